//! `verify-problem`: check a package (statement, data, validators, input validation),
//! judge every submission it ships against what it must get, and settle its time limit.

use crate::judge::{InputValidation, Judge, JudgeError, JudgeOptions, JudgeReport};
use crate::package::{
    Expectation, FormatVersion, PackageError, PackageSubmission, Problem, ProblemLimits,
};
use crate::sandbox::Sandbox;
use crate::timelimit;
use codehub_engine::Verdict;
use futures::StreamExt;
use serde::Serialize;
use std::time::Duration;

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

/// How a check of the package ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    /// Fine.
    Ok,
    /// Worth a look; does not fail the verification.
    Warning,
    /// The package is not right: `codehub verify-problem` exits non-zero.
    Error,
}

/// One row of the summary: a check of the package and how it ended.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// What was checked (`statement`, `input validators`, `time limit`, …).
    pub check: String,
    /// How it ended.
    pub status: CheckStatus,
    /// What was found.
    pub detail: String,
}

/// The time limit judged with, and where it comes from.
#[derive(Debug, Clone, Serialize)]
pub struct TimeLimitReport {
    /// The limit, ms.
    pub time_limit_ms: u64,
    /// Computed from the submissions (the package gives none), not read.
    pub computed: bool,
    /// The slowest run of the submissions bounding the limit from below, ms.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slowest_ms: Option<u64>,
    /// Which submission that was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slowest_submission: Option<String>,
    /// `ac_to_time_limit` (legacy `time_multiplier`).
    pub ac_to_time_limit: f64,
    /// `time_limit_to_tle` (legacy `time_safety_margin`).
    pub time_limit_to_tle: f64,
    /// `time_resolution`, ms (a computed limit is a multiple of it).
    pub time_resolution_ms: u64,
}

impl TimeLimitReport {
    /// The package's limits, before anything is measured.
    fn of(l: &ProblemLimits) -> Self {
        TimeLimitReport {
            time_limit_ms: l.time_limit.as_millis() as u64,
            computed: !l.time_limit_given,
            slowest_ms: None,
            slowest_submission: None,
            ac_to_time_limit: l.time_multiplier,
            time_limit_to_tle: l.time_safety_margin,
            time_resolution_ms: l.time_resolution.as_millis() as u64,
        }
    }
}

/// The outcome for a whole package.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    /// Problem short name.
    pub problem: String,
    /// No check ended in an error and every submission got what it must.
    pub ok: bool,
    /// The summary: one row per check, in order.
    pub checks: Vec<Check>,
    /// The time limit (`Problem::limits` holds it after verification).
    pub time_limit: TimeLimitReport,
    /// What the input validators said.
    pub input_validation: InputValidation,
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

    /// The checks that ended in an error.
    pub fn errors(&self) -> impl Iterator<Item = &Check> {
        self.checks
            .iter()
            .filter(|c| c.status == CheckStatus::Error)
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

/// The limit the submissions bounding a time limit from below run with while it is
/// computed: generous, so their real times are measured.
pub const PROVISIONAL_TIME_LIMIT: Duration = Duration::from_secs(10);

/// Judges `subs` (by index into `all`) on `problem` as it stands, `parallel` at a time.
async fn judge_each<S: Sandbox>(
    judge: &Judge<S>,
    problem: &Problem,
    all: &[PackageSubmission],
    subs: &[usize],
    parallel: usize,
) -> Vec<(usize, VerifyEntry)> {
    futures::stream::iter(subs.iter().copied())
        .map(|i| async move {
            let s = &all[i];
            let options = JudgeOptions {
                run_all_tests: s.expectation.needs_all_tests(),
                progress: None,
                policy: None,
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
        .await
}

/// Computes the time limit of a package that gives none: judges the submissions `lower`
/// (those bounding the limit from below) with [`PROVISIONAL_TIME_LIMIT`], writes the
/// computed limit into `problem.limits` (unchanged when none can be computed) and
/// `report`. Returns their entries and, when no limit could be computed, the error row.
async fn settle_time_limit<S: Sandbox>(
    judge: &Judge<S>,
    problem: &mut Problem,
    submissions: &[PackageSubmission],
    lower: &[usize],
    parallel: usize,
    report: &mut TimeLimitReport,
) -> (Vec<(usize, VerifyEntry)>, Option<Check>) {
    let l = problem.limits.clone();
    problem.limits.time_limit = PROVISIONAL_TIME_LIMIT;
    let entries = judge_each(judge, problem, submissions, lower, parallel).await;
    problem.limits.time_limit = l.time_limit;
    let slowest = entries
        .iter()
        .filter(|(_, e)| e.ok)
        .max_by_key(|(_, e)| e.max_time_ms);
    let Some((_, e)) = slowest else {
        report.computed = false;
        let detail = format!(
            "no time limit given and no accepted submission to compute one from: using {} ms",
            l.time_limit.as_millis()
        );
        return (entries, Some(row("time limit", CheckStatus::Error, detail)));
    };
    report.slowest_ms = Some(e.max_time_ms);
    report.slowest_submission = Some(e.submission.clone());
    let t = Duration::from_millis(e.max_time_ms);
    let check = match timelimit::compute(t, l.time_multiplier, l.time_resolution) {
        Ok(limit) => {
            problem.limits.time_limit = limit;
            report.time_limit_ms = limit.as_millis() as u64;
            None
        }
        Err(m) => Some(row("time limit", CheckStatus::Error, m)),
    };
    (entries, check)
}

/// The time limit `problem` is judged with, written into `problem.limits`: the
/// package's own, or computed from the submissions bounding it from below as
/// [`verify_problem`] does (without judging the others).
///
/// # Errors
/// A message when the `submissions/` tree is malformed or no limit can be computed (no
/// such submission is accepted).
pub async fn settle_problem_time_limit<S: Sandbox>(
    judge: &Judge<S>,
    problem: &mut Problem,
    parallel: usize,
) -> Result<TimeLimitReport, String> {
    let l = problem.limits.clone();
    let mut report = TimeLimitReport::of(&l);
    if l.time_limit_given {
        return Ok(report);
    }
    let submissions = problem.submissions().map_err(|e| e.to_string())?;
    let lower: Vec<usize> = (0..submissions.len())
        .filter(|&i| submissions[i].expectation.bounds_time_limit_below())
        .collect();
    let (_, check) =
        settle_time_limit(judge, problem, &submissions, &lower, parallel, &mut report).await;
    match check {
        Some(c) => Err(c.detail),
        None => Ok(report),
    }
}

fn row(check: &str, status: CheckStatus, detail: impl Into<String>) -> Check {
    Check {
        check: check.to_owned(),
        status,
        detail: detail.into(),
    }
}

/// Verifies a package the way problemtools' `verifyproblem` does, in order: the package
/// itself (statement, samples, secret cases, reader warnings), its output validator
/// (compiles), its input validators (compile, confirm every test input), then every
/// shipped submission against what it must get, and the time limit.
///
/// Without a `time_limit` in the package, the limit is computed (see
/// [`crate::timelimit`]): the submissions that bound it from below run first with
/// [`PROVISIONAL_TIME_LIMIT`], the limit is their slowest run × `ac_to_time_limit`
/// rounded up to `time_resolution`, and it is written into `problem.limits` for the
/// rest (and for the caller: the limit to judge with). Submissions that must get TLE run
/// with the limit × `time_limit_to_tle` and must still time out. A submission runs every
/// test when its rules need them (group rules, scores; scoring problems always), else up
/// to its first failure, as in a contest.
///
/// # Errors
/// [`PackageError`] if the `submissions/` tree is malformed.
pub async fn verify_problem<S: Sandbox>(
    judge: &Judge<S>,
    problem: &mut Problem,
    parallel: usize,
) -> Result<VerifyReport, PackageError> {
    use CheckStatus::{Error, Ok as Fine, Warning};
    let submissions = problem.submissions()?;
    let mut checks = Vec::new();
    let mut warnings = Vec::new();
    let package_warnings: Vec<String> = problem.warnings.iter().map(ToString::to_string).collect();
    checks.push(if package_warnings.is_empty() {
        row(
            "package",
            Fine,
            match problem.format {
                FormatVersion::Legacy => "legacy format",
                FormatVersion::V2023_07 => "2023-07 format",
            },
        )
    } else {
        row(
            "package",
            Warning,
            format!("{} warning(s), listed above", package_warnings.len()),
        )
    });
    checks.push(match problem.statements.first() {
        Some(p) => row("statement", Fine, p.display().to_string()),
        None => row("statement", Warning, "no problem statement"),
    });
    let samples = problem.tests.iter().filter(|t| t.sample).count();
    let secret = problem.tests.len() - samples;
    checks.push(if samples == 0 {
        row("samples", Warning, "no sample cases in data/sample")
    } else {
        row("samples", Fine, format!("{samples} case(s)"))
    });
    checks.push(if secret == 0 {
        row("secret data", Error, "no secret cases in data/secret")
    } else {
        row("secret data", Fine, format!("{secret} case(s)"))
    });
    let sandbox_error = |e: JudgeError| e.to_string();
    checks.push(match judge.output_validator_error(problem).await {
        Ok(None) if problem.validator.is_none() => row("output validator", Fine, "default"),
        Ok(None) => row("output validator", Fine, "compiles"),
        Ok(Some(m)) => row("output validator", Error, format!("does not compile: {m}")),
        Err(e) => row("output validator", Error, sandbox_error(e)),
    });
    let mut input_validation = InputValidation::default();
    checks.push(match problem.input_validator_programs() {
        Err(e) => row("input validators", Error, e.to_string()),
        Ok(programs) if programs.is_empty() => {
            row("input validators", Warning, "none in input_validators/")
        }
        Ok(programs) => match judge.validate_inputs(problem, &programs).await {
            Err(e) => row("input validators", Error, sandbox_error(e)),
            Ok(v) => {
                input_validation = v;
                let v = &input_validation;
                if v.failures.is_empty() {
                    row(
                        "input validators",
                        Fine,
                        format!(
                            "{} validator(s) confirm all {} input(s)",
                            v.validators, v.inputs
                        ),
                    )
                } else {
                    let list: Vec<String> = v
                        .failures
                        .iter()
                        .map(|f| match &f.test {
                            Some(t) => format!("{t} ({}): {}", f.validator, f.message),
                            None => format!("{}: {}", f.validator, f.message),
                        })
                        .collect();
                    row("input validators", Error, list.join("; "))
                }
            }
        },
    });

    // Submissions: lower bounds first when the limit is computed, then the rest.
    let l = problem.limits.clone();
    let mut time_limit = TimeLimitReport::of(&l);
    let lower: Vec<usize> = (0..submissions.len())
        .filter(|&i| submissions[i].expectation.bounds_time_limit_below())
        .collect();
    let upper: Vec<usize> = (0..submissions.len())
        .filter(|&i| {
            let e = &submissions[i].expectation;
            e.bounds_time_limit_above() && !e.bounds_time_limit_below()
        })
        .collect();
    // Answers to a submit-answer problem do not run: no time limit applies.
    let untimed = problem.kind.submit_answer;
    let (mut entries, time_check) = if l.time_limit_given || untimed {
        (Vec::new(), None)
    } else {
        settle_time_limit(
            judge,
            problem,
            &submissions,
            &lower,
            parallel,
            &mut time_limit,
        )
        .await
    };
    let done: Vec<usize> = entries.iter().map(|(i, _)| *i).collect();
    let rest: Vec<usize> = (0..submissions.len())
        .filter(|i| !done.contains(i) && !upper.contains(i))
        .collect();
    entries.extend(judge_each(judge, problem, &submissions, &rest, parallel).await);
    let limit = problem.limits.time_limit;
    let margin = timelimit::tle_margin(limit, l.time_safety_margin);
    problem.limits.time_limit = margin;
    let mut slow = judge_each(judge, problem, &submissions, &upper, parallel).await;
    problem.limits.time_limit = limit;
    for (_, e) in &mut slow {
        if !e.ok {
            e.failures.push(format!(
                "judged with the time limit × time_limit_to_tle ({} ms), as a submission \
                 that must time out is",
                margin.as_millis()
            ));
        }
    }
    let too_fast: Vec<String> = slow
        .iter()
        .filter(|(_, e)| e.got.is_some_and(|v| v != Verdict::TimeLimitExceeded))
        .map(|(_, e)| e.submission.clone())
        .collect();
    entries.extend(slow);
    entries.sort_by_key(|(i, _)| *i);
    let submissions_out: Vec<VerifyEntry> = entries.into_iter().map(|(_, e)| e).collect();

    // The time limit against the submissions that bound it.
    if l.time_limit_given {
        let slowest = submissions_out
            .iter()
            .enumerate()
            .filter(|(i, e)| lower.contains(i) && e.ok)
            .map(|(_, e)| e)
            .max_by_key(|e| e.max_time_ms);
        if let Some(e) = slowest {
            time_limit.slowest_ms = Some(e.max_time_ms);
            time_limit.slowest_submission = Some(e.submission.clone());
        }
    }
    let close: Vec<String> = submissions_out
        .iter()
        .enumerate()
        .filter(|(i, e)| {
            lower.contains(i)
                && e.ok
                && timelimit::too_close(
                    Duration::from_millis(e.max_time_ms),
                    limit,
                    l.time_multiplier,
                )
        })
        .map(|(_, e)| format!("{} ({} ms)", e.submission, e.max_time_ms))
        .collect();
    let source = if time_limit.computed {
        format!(
            "computed: slowest {} ms ({}) × {}, rounded up to a multiple of {} ms",
            time_limit.slowest_ms.unwrap_or(0),
            time_limit.slowest_submission.as_deref().unwrap_or("-"),
            l.time_multiplier,
            time_limit.time_resolution_ms
        )
    } else {
        "from the package".to_owned()
    };
    let time_check = time_check.or_else(|| {
        untimed.then(|| {
            row(
                "time limit",
                Fine,
                "none: answers to a submit-answer problem do not run",
            )
        })
    });
    let time_check = time_check.unwrap_or_else(|| {
        let head = format!("{} ms, {source}", limit.as_millis());
        if !too_fast.is_empty() {
            row(
                "time limit",
                Error,
                format!(
                    "{head}; must time out but ran within {} ms (the limit × {}): {}",
                    margin.as_millis(),
                    l.time_safety_margin,
                    too_fast.join(", ")
                ),
            )
        } else if !close.is_empty() {
            warnings.push(format!(
                "accepted within the time limit / {} ({} ms): {}",
                l.time_multiplier,
                limit.as_millis(),
                close.join(", ")
            ));
            row(
                "time limit",
                Warning,
                format!(
                    "{head}; accepted submissions need it below the limit / {}: {}",
                    l.time_multiplier,
                    close.join(", ")
                ),
            )
        } else {
            row("time limit", Fine, head)
        }
    });
    let mismatches = submissions_out.iter().filter(|e| !e.matches()).count();
    checks.push(if submissions_out.is_empty() {
        warnings.push("the package ships no submissions under submissions/".to_owned());
        row("submissions", Warning, "none under submissions/")
    } else if mismatches > 0 {
        row(
            "submissions",
            Error,
            format!(
                "{mismatches} of {} missed what they must get",
                submissions_out.len()
            ),
        )
    } else {
        row(
            "submissions",
            Fine,
            format!("all {} as expected", submissions_out.len()),
        )
    });
    checks.push(time_check);
    let ok = checks.iter().all(|c| c.status != Error);
    Ok(VerifyReport {
        problem: problem.short_name.clone(),
        ok,
        checks,
        time_limit,
        input_validation,
        submissions: submissions_out,
        warnings,
        package_warnings,
    })
}
