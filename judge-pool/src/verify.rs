//! `verify-problem`: judge every submission a package ships and compare with the verdict
//! its directory promises.

use crate::judge::{Judge, JudgeOptions, JudgeReport};
use crate::package::{Expectation, PackageError, Problem};
use crate::sandbox::Sandbox;
use codehub_engine::Verdict;
use futures::StreamExt;
use serde::Serialize;

/// The outcome for one shipped submission.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyEntry {
    /// Path relative to the package.
    pub submission: String,
    /// What it must get: a verdict code (legacy directories, `compile_error`) or the
    /// 2023-07 rules (`permitted AC,WA required WA; secret/g1: score 40`).
    pub expected: String,
    /// The verdict it got (`None` if it could not be judged).
    pub got: Option<Verdict>,
    /// Its score (scoring problems).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// Slowest test, ms.
    pub max_time_ms: u64,
    /// Whether it got what it must.
    pub ok: bool,
    /// The expectations it missed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failures: Vec<String>,
    /// Why it could not be judged, or the judge message of a JE.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl VerifyEntry {
    /// Whether the submission got what it must.
    pub fn matches(&self) -> bool {
        self.ok
    }
}

/// The outcome for a whole package.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    /// Problem short name.
    pub problem: String,
    /// One entry per shipped submission.
    pub submissions: Vec<VerifyEntry>,
    /// Advice that does not fail the check (e.g. a tight time limit).
    pub warnings: Vec<String>,
    /// What the package reader read past ([`Problem::warnings`]).
    pub package_warnings: Vec<String>,
}

impl VerifyReport {
    /// The entries that missed what they must get.
    pub fn mismatches(&self) -> impl Iterator<Item = &VerifyEntry> {
        self.submissions.iter().filter(|e| !e.matches())
    }
}

/// Whether `got` is in `set`, reading the format's four verdicts the way CodeHub's finer
/// ones fall under them (MLE and OLE are run-time errors there).
fn within(set: &[Verdict], got: Verdict) -> bool {
    set.contains(&got)
        || (matches!(
            got,
            Verdict::MemoryLimitExceeded | Verdict::OutputLimitExceeded
        ) && set.contains(&Verdict::RunTimeError))
}

fn codes(set: &[Verdict]) -> String {
    set.iter().map(|v| v.code()).collect::<Vec<_>>().join(",")
}

fn in_range(x: f64, (a, b): (f64, f64)) -> bool {
    let eps = 1e-6 * a.abs().max(b.abs()).max(1.0);
    x >= a - eps && x <= b + eps
}

/// What `report` misses of `expectation` (empty: it meets it).
pub fn check(expectation: &Expectation, report: &JudgeReport) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(v) = expectation.verdict
        && report.verdict != v
    {
        out.push(format!("got {}, expected {}", report.verdict, v));
    }
    if !expectation.rules.is_empty()
        && matches!(report.verdict, Verdict::CompileError | Verdict::JudgeError)
        && expectation.verdict != Some(report.verdict)
    {
        out.push(format!(
            "got {} before any rule could apply",
            report.verdict
        ));
        return out;
    }
    for rule in &expectation.rules {
        let scope = rule
            .tests
            .as_ref()
            .map_or_else(|| "all tests".to_owned(), |t| t.text.clone());
        let covered: Vec<_> = report
            .tests
            .iter()
            .filter(|t| rule.tests.as_ref().is_none_or(|p| p.covers(&t.name)))
            .collect();
        if let Some(set) = &rule.permitted {
            for t in covered.iter().filter(|t| !within(set, t.verdict)) {
                out.push(format!(
                    "{} got {}, permitted {}",
                    t.name,
                    t.verdict,
                    codes(set)
                ));
            }
        }
        if let Some(set) = &rule.required
            && !covered.iter().any(|t| within(set, t.verdict))
        {
            out.push(format!("no test of {scope} got one of {}", codes(set)));
        }
        if let Some(range) = rule.score {
            match &rule.tests {
                None => match report.score {
                    Some(s) if in_range(s, range) => {}
                    got => out.push(format!("score {got:?}, expected {range:?}")),
                },
                Some(p) => {
                    let groups: Vec<_> = report
                        .groups
                        .iter()
                        .filter(|g| p.covers(&g.group))
                        .collect();
                    if groups.is_empty() {
                        out.push(format!("no group score for {}", p.text));
                    }
                    for g in groups.iter().filter(|g| !in_range(g.score, range)) {
                        out.push(format!(
                            "{} scored {}, expected {range:?}",
                            g.group, g.score
                        ));
                    }
                }
            }
        }
        if let Some(m) = &rule.message
            && !covered
                .iter()
                .any(|t| t.message.as_deref().is_some_and(|x| x.contains(m.as_str())))
        {
            out.push(format!("no judge message of {scope} contains {m:?}"));
        }
    }
    out
}

/// Judges every submission of `problem` (`parallel` at a time) and checks each against
/// what it must get. A submission runs every test when its rules need them (group rules,
/// scores; scoring problems always), else up to its first failure, as in a contest.
///
/// # Errors
/// [`PackageError`] if the `submissions/` tree is malformed.
pub async fn verify_problem<S: Sandbox>(
    judge: &Judge<S>,
    problem: &Problem,
    parallel: usize,
) -> Result<VerifyReport, PackageError> {
    let submissions = problem.submissions()?;
    let mut entries: Vec<(usize, VerifyEntry)> =
        futures::stream::iter(submissions.iter().enumerate())
            .map(|(i, s)| async move {
                let options = JudgeOptions {
                    run_all_tests: s.expectation.needs_all_tests(),
                    progress: None,
                };
                let language = s.language.as_deref();
                let result = judge.judge(problem, &s.files, language, &options).await;
                let expected = s.expectation.to_string();
                let entry = match result {
                    Ok(r) => {
                        let failures = check(&s.expectation, &r);
                        VerifyEntry {
                            submission: s.path.display().to_string(),
                            expected,
                            got: Some(r.verdict),
                            score: r.score.filter(|_| problem.kind.scoring),
                            max_time_ms: r.max_time_ms,
                            ok: failures.is_empty(),
                            failures,
                            error: r.judge_message,
                        }
                    }
                    Err(e) => VerifyEntry {
                        submission: s.path.display().to_string(),
                        expected,
                        got: None,
                        score: None,
                        max_time_ms: 0,
                        ok: false,
                        failures: Vec::new(),
                        error: Some(e.to_string()),
                    },
                };
                (i, entry)
            })
            .buffer_unordered(parallel.max(1))
            .collect()
            .await;
    entries.sort_by_key(|(i, _)| *i);
    let submissions: Vec<VerifyEntry> = entries.into_iter().map(|(_, e)| e).collect();

    let mut warnings = Vec::new();
    if submissions.is_empty() {
        warnings.push("the package ships no submissions under submissions/".to_owned());
    }
    let slowest_ac = submissions
        .iter()
        .filter(|e| e.expected == "AC" || e.expected == "permitted AC")
        .filter(|e| e.matches())
        .map(|e| e.max_time_ms)
        .max();
    let limit_ms = problem.limits.time_limit.as_millis() as f64;
    if let Some(slowest) = slowest_ac
        && slowest as f64 * problem.limits.time_multiplier > limit_ms
    {
        warnings.push(format!(
            "the slowest accepted submission takes {slowest} ms: with time_multiplier {} the \
             time limit should be at least {:.0} ms (it is {limit_ms} ms)",
            problem.limits.time_multiplier,
            slowest as f64 * problem.limits.time_multiplier
        ));
    }
    // Answers to a submit-answer problem do not run: no time limit applies.
    if !problem.limits.time_limit_given && !problem.kind.submit_answer {
        warnings.push(format!(
            "no time limit in problem.yaml or .timelimit: using the default {limit_ms} ms"
        ));
    }
    Ok(VerifyReport {
        problem: problem.short_name.clone(),
        submissions,
        warnings,
        package_warnings: problem.warnings.iter().map(ToString::to_string).collect(),
    })
}
