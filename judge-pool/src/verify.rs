//! `verify-problem`: judge every submission a package ships and compare with the verdict
//! its directory promises.

use crate::judge::{Judge, JudgeOptions};
use crate::package::{PackageError, Problem};
use crate::sandbox::Sandbox;
use codehub_engine::Verdict;
use futures::StreamExt;
use serde::Serialize;

/// The outcome for one shipped submission.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyEntry {
    /// Path relative to the package.
    pub submission: String,
    /// The verdict its directory names.
    pub expected: Verdict,
    /// The verdict it got (`None` if it could not be judged).
    pub got: Option<Verdict>,
    /// Slowest test, ms.
    pub max_time_ms: u64,
    /// Why it could not be judged, or the judge message of a JE.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl VerifyEntry {
    /// Whether the submission got the verdict it promised.
    pub fn matches(&self) -> bool {
        self.got == Some(self.expected)
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
}

impl VerifyReport {
    /// The entries whose verdict differs from the expected one.
    pub fn mismatches(&self) -> impl Iterator<Item = &VerifyEntry> {
        self.submissions.iter().filter(|e| !e.matches())
    }
}

/// Judges every submission of `problem` (`parallel` at a time).
///
/// # Errors
/// [`PackageError`] if the `submissions/` tree is malformed.
pub async fn verify_problem<S: Sandbox>(
    judge: &Judge<S>,
    problem: &Problem,
    parallel: usize,
) -> Result<VerifyReport, PackageError> {
    let submissions = problem.submissions()?;
    let options = JudgeOptions::default();
    let mut entries: Vec<(usize, VerifyEntry)> =
        futures::stream::iter(submissions.iter().enumerate())
            .map(|(i, s)| {
                let options = &options;
                async move {
                    let result = judge.judge(problem, &s.files, None, options).await;
                    let entry = match result {
                        Ok(r) => VerifyEntry {
                            submission: s.path.display().to_string(),
                            expected: s.expected,
                            got: Some(r.verdict),
                            max_time_ms: r.max_time_ms,
                            error: r.judge_message,
                        },
                        Err(e) => VerifyEntry {
                            submission: s.path.display().to_string(),
                            expected: s.expected,
                            got: None,
                            max_time_ms: 0,
                            error: Some(e.to_string()),
                        },
                    };
                    (i, entry)
                }
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
        .filter(|e| e.expected == Verdict::Accepted && e.matches())
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
    if !problem.limits.time_limit_given {
        warnings.push(format!(
            "no time limit in problem.yaml or .timelimit: using the default {limit_ms} ms"
        ));
    }
    Ok(VerifyReport {
        problem: problem.short_name.clone(),
        submissions,
        warnings,
    })
}
