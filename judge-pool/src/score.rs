//! Scores of 2023-07 scoring problems: each test case's score (from the validator's
//! `score.txt` or `score_multiplier.txt`, or its maximum), each group's by its
//! aggregation (`pass-fail`, `sum`, `min`) and `require_pass`, and `secret`'s, which is
//! the submission's. Samples never count.

use crate::judge::TestReport;
use crate::package::{Aggregation, GroupScoring, Problem};
use codehub_engine::Verdict;
use serde::Serialize;

/// What a validator's feedback directory said about a test case's score.
#[derive(Debug, Clone, PartialEq)]
pub enum ScoreFeedback {
    /// `score.txt`: the test case's score.
    Score(f64),
    /// `score_multiplier.txt`: a fraction of its maximum score.
    Multiplier(f64),
    /// A file that is not a number, or both files.
    Invalid(String),
}

impl ScoreFeedback {
    /// Reads the two files' contents (either may be absent).
    pub fn parse(score: Option<&[u8]>, multiplier: Option<&[u8]>) -> Option<ScoreFeedback> {
        let number = |name: &str, b: &[u8]| {
            let text = String::from_utf8_lossy(b);
            text.trim()
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| format!("{name} is not a number: `{}`", text.trim()))
        };
        Some(match (score, multiplier) {
            (None, None) => return None,
            (Some(_), Some(_)) => ScoreFeedback::Invalid(
                "the validator wrote score.txt and score_multiplier.txt".into(),
            ),
            (Some(s), None) => match number("score.txt", s) {
                Ok(x) => ScoreFeedback::Score(x),
                Err(m) => ScoreFeedback::Invalid(m),
            },
            (None, Some(m)) => match number("score_multiplier.txt", m) {
                Ok(x) => ScoreFeedback::Multiplier(x),
                Err(m) => ScoreFeedback::Invalid(m),
            },
        })
    }
}

/// The score of `secret` or one of its groups.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupScore {
    /// The group (`secret`, `secret/group1`).
    pub group: String,
    /// Its score.
    pub score: f64,
    /// Its maximum (`None`: unbounded).
    pub max_score: Option<f64>,
}

/// A submission's score: `secret`'s, with every group's.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreSummary {
    /// The submission's score.
    pub score: f64,
    /// `secret`'s maximum (`None`: unbounded).
    pub max_score: Option<f64>,
    /// `secret` and each of its groups.
    pub groups: Vec<GroupScore>,
}

/// Slack for sums of floating-point shares (`3 × 100/3`).
fn over(score: f64, max: Option<f64>) -> bool {
    max.is_some_and(|m| score > m + 1e-6 * m.max(1.0))
}

/// Scores a judged submission on a scoring `problem`: sets each secret test's `score`
/// and returns the summary. `feedback[i]` belongs to `tests[i]`.
///
/// # Errors
/// A judge-error message: a validator broke the format's rules (a score above the
/// maximum, a score on a rejected case or a pass-fail group, none for an unbounded case,
/// a file that is not a number), or a group exceeds its maximum.
pub fn aggregate(
    problem: &Problem,
    tests: &mut [TestReport],
    feedback: &[Option<ScoreFeedback>],
) -> Result<ScoreSummary, String> {
    let Some(secret) = problem.secret_scoring().cloned() else {
        return Ok(ScoreSummary {
            score: 0.0,
            max_score: Some(0.0),
            groups: Vec::new(),
        });
    };
    let groups: Vec<(String, GroupScoring)> = problem
        .groups
        .iter()
        .filter(|g| g.name != "secret")
        .filter_map(|g| g.scoring.clone().map(|s| (g.name.clone(), s)))
        .collect();
    let in_group = |t: &TestReport, g: &str| t.name.starts_with(&format!("{g}/"));
    let passed = |tests: &[TestReport], g: &str| {
        tests
            .iter()
            .filter(|t| in_group(t, g))
            .all(|t| t.verdict == Verdict::Accepted)
    };
    let mut out = Vec::new();
    let score = if groups.is_empty() {
        let idx: Vec<usize> = (0..tests.len())
            .filter(|&i| in_group(&tests[i], "secret"))
            .collect();
        cases(tests, feedback, &idx, &secret, "secret")?
    } else {
        let mut parts = Vec::new();
        for (name, scoring) in &groups {
            let idx: Vec<usize> = (0..tests.len())
                .filter(|&i| in_group(&tests[i], name))
                .collect();
            let mut s = cases(tests, feedback, &idx, scoring, name)?;
            if !scoring.require_pass.iter().all(|r| passed(tests, r)) {
                s = 0.0;
            }
            let all_ac = idx.iter().all(|&i| tests[i].verdict == Verdict::Accepted);
            parts.push((s, all_ac));
            out.push(GroupScore {
                group: name.clone(),
                score: s,
                max_score: scoring.max_score,
            });
        }
        combine(&secret, &parts)
    };
    let score = if secret.require_pass.iter().all(|r| passed(tests, r)) {
        score
    } else {
        0.0
    };
    if over(score, secret.max_score) {
        return Err(format!(
            "secret scores {score}, above its max_score {}",
            secret.max_score.unwrap_or_default()
        ));
    }
    out.insert(
        0,
        GroupScore {
            group: "secret".into(),
            score,
            max_score: secret.max_score,
        },
    );
    Ok(ScoreSummary {
        score,
        max_score: secret.max_score,
        groups: out,
    })
}

/// Aggregates parts (score, all accepted) by `scoring`.
fn combine(scoring: &GroupScoring, parts: &[(f64, bool)]) -> f64 {
    match scoring.aggregation {
        Aggregation::PassFail => {
            if !parts.is_empty() && parts.iter().all(|(_, ok)| *ok) {
                scoring.max_score.unwrap_or(0.0)
            } else {
                0.0
            }
        }
        Aggregation::Sum => parts.iter().map(|(s, _)| s).sum(),
        Aggregation::Min => parts
            .iter()
            .map(|(s, _)| *s)
            .fold(None, |m: Option<f64>, s| Some(m.map_or(s, |m| m.min(s))))
            .unwrap_or(0.0),
    }
}

/// Scores the test cases `idx` of one group and aggregates them.
fn cases(
    tests: &mut [TestReport],
    feedback: &[Option<ScoreFeedback>],
    idx: &[usize],
    scoring: &GroupScoring,
    group: &str,
) -> Result<f64, String> {
    let case_max = match scoring.aggregation {
        Aggregation::PassFail => None,
        Aggregation::Sum => scoring.max_score.map(|m| m / idx.len().max(1) as f64),
        Aggregation::Min => scoring.max_score,
    };
    let mut parts = Vec::new();
    for &i in idx {
        let t = &mut tests[i];
        let fb = feedback.get(i).cloned().flatten();
        let accepted = t.verdict == Verdict::Accepted;
        let fault = |m: &str| format!("test {}: {m}", t.name);
        let s = match (scoring.aggregation, accepted, fb) {
            (_, _, Some(ScoreFeedback::Invalid(m))) => return Err(fault(&m)),
            (Aggregation::PassFail, _, Some(_)) => {
                return Err(fault(
                    "the validator wrote a score in a group with pass-fail aggregation",
                ));
            }
            (Aggregation::PassFail, _, None) => {
                parts.push((0.0, accepted));
                continue;
            }
            (_, false, Some(_)) => {
                return Err(fault("the validator rejected the case but wrote a score"));
            }
            (_, false, None) => 0.0,
            (_, true, Some(ScoreFeedback::Score(x))) => {
                if x < 0.0 || over(x, case_max) {
                    return Err(fault(&format!(
                        "score.txt says {x}, outside 0..{}",
                        case_max.unwrap_or(f64::INFINITY)
                    )));
                }
                x
            }
            (_, true, Some(ScoreFeedback::Multiplier(m))) => match case_max {
                None => {
                    return Err(fault(
                        "score_multiplier.txt in a group whose score is unbounded",
                    ));
                }
                Some(_) if !(0.0..=1.0).contains(&m) => {
                    return Err(fault(&format!(
                        "score_multiplier.txt says {m}, outside 0..1"
                    )));
                }
                Some(max) => m * max,
            },
            (_, true, None) => case_max.ok_or_else(|| {
                fault("no score.txt for an accepted case whose score is unbounded")
            })?,
        };
        t.score = Some(s);
        parts.push((s, accepted));
    }
    let s = combine(scoring, &parts);
    if over(s, scoring.max_score) {
        return Err(format!(
            "group {group} scores {s}, above its max_score {}",
            scoring.max_score.unwrap_or_default()
        ));
    }
    Ok(s)
}
