//! What the API returns: views of the domain, shaped for clients (no password hashes,
//! no other contestants' code, no hidden test data).

use codehub_engine::model::{
    Contest, ContestKind, ContestState, Problem, Role, Submission, User, now_ms,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A user.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    /// Id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// `admin`, `jury`, `contestant` or `spectator`.
    pub role: String,
}

impl From<&User> for UserView {
    fn from(u: &User) -> Self {
        UserView {
            id: u.id.0,
            username: u.username.clone(),
            role: u.role.as_str().to_owned(),
        }
    }
}

/// A problem of a contest.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ContestProblemView {
    /// Problem id.
    pub problem_id: i64,
    /// Label (`A`, `B`, …).
    pub label: String,
}

/// A contest.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContestView {
    /// Id.
    pub id: i64,
    /// Short name.
    pub slug: String,
    /// Name.
    pub name: String,
    /// `icpc` or `ioi`.
    pub kind: String,
    /// `scheduled`, `running`, `frozen` or `ended`.
    pub state: String,
    /// Start (ms since the epoch).
    pub start_at: i64,
    /// End.
    pub end_at: i64,
    /// Freeze time, if any.
    pub freeze_at: Option<i64>,
    /// Automatic unfreeze time, if any.
    pub unfreeze_at: Option<i64>,
    /// Unfrozen by hand.
    pub unfrozen: bool,
    /// ICPC penalty minutes per rejected try.
    pub penalty_minutes: i64,
    /// Problems.
    pub problems: Vec<ContestProblemView>,
    /// Server time of this answer (for countdowns).
    pub server_time: i64,
}

/// The wire name of a contest kind.
pub fn kind_name(k: ContestKind) -> &'static str {
    match k {
        ContestKind::Icpc => "icpc",
        ContestKind::Ioi => "ioi",
    }
}

fn state_name(s: ContestState) -> &'static str {
    match s {
        ContestState::Scheduled => "scheduled",
        ContestState::Running => "running",
        ContestState::Frozen => "frozen",
        ContestState::Ended => "ended",
    }
}

impl From<&Contest> for ContestView {
    fn from(c: &Contest) -> Self {
        let now = now_ms();
        ContestView {
            id: c.id.0,
            slug: c.slug.clone(),
            name: c.name.clone(),
            kind: kind_name(c.kind).to_owned(),
            state: state_name(c.state(now)).to_owned(),
            start_at: c.start_at,
            end_at: c.end_at,
            freeze_at: c.freeze_at,
            unfreeze_at: c.unfreeze_at,
            unfrozen: c.unfrozen,
            penalty_minutes: c.penalty_minutes,
            problems: c
                .problems
                .iter()
                .map(|p| ContestProblemView {
                    problem_id: p.problem_id.0,
                    label: p.label.clone(),
                })
                .collect(),
            server_time: now,
        }
    }
}

/// A sample test.
#[derive(Debug, Serialize, ToSchema)]
pub struct SampleView {
    /// Input.
    pub input: String,
    /// Expected output.
    pub output: String,
}

/// A problem (statement and limits; never hidden data).
#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemView {
    /// Id.
    pub id: i64,
    /// Short name.
    pub slug: String,
    /// Name.
    pub name: String,
    /// Time limit, ms.
    pub time_limit_ms: i64,
    /// Memory limit, KiB.
    pub memory_limit_kib: i64,
    /// Source size limit, bytes.
    pub code_limit_bytes: i64,
    /// Open for practice.
    pub practice: bool,
    /// Statement (Markdown + LaTeX); omitted in lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement: Option<String>,
    /// The statement rendered to HTML (math as MathML, raw HTML escaped); omitted in lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement_html: Option<String>,
    /// Samples; omitted in lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub samples: Option<Vec<SampleView>>,
}

impl ProblemView {
    /// A view with (`full`) or without statement and samples.
    pub fn new(p: &Problem, full: bool) -> Self {
        ProblemView {
            id: p.id.0,
            slug: p.slug.clone(),
            name: p.name.clone(),
            time_limit_ms: p.time_limit_ms,
            memory_limit_kib: p.memory_limit_kib,
            code_limit_bytes: p.code_limit_bytes,
            practice: p.practice,
            statement: full.then(|| p.statement.clone()),
            statement_html: full.then(|| crate::statement::to_html(&p.statement)),
            samples: full.then(|| {
                p.samples
                    .iter()
                    .map(|(i, o)| SampleView {
                        input: i.clone(),
                        output: o.clone(),
                    })
                    .collect()
            }),
        }
    }
}

/// One test's result, as the viewer may see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct TestView {
    /// Test name.
    pub name: String,
    /// Verdict code.
    pub verdict: String,
    /// CPU ms.
    pub time_ms: i64,
    /// Peak KiB.
    pub memory_kib: i64,
}

/// A submission.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubmissionView {
    /// Id.
    pub id: i64,
    /// Author.
    pub user_id: i64,
    /// Contest, if any.
    pub contest_id: Option<i64>,
    /// Problem.
    pub problem_id: i64,
    /// Language id.
    pub language: String,
    /// When accepted (ms since the epoch).
    pub submitted_at: i64,
    /// `queued`, `judging` or `done`.
    pub status: String,
    /// Verdict code once judged.
    pub verdict: Option<String>,
    /// IOI score.
    pub score: Option<f64>,
    /// Slowest test, ms.
    pub time_ms: Option<i64>,
    /// Largest memory peak, KiB.
    pub memory_kib: Option<i64>,
    /// Compiler output (the author and the jury only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compile_output: Option<String>,
    /// Test results: samples for the author, every test for the jury.
    pub tests: Vec<TestView>,
    /// Tests run in total.
    pub tests_run: usize,
    /// Source files (the author and the jury only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub files: Option<Vec<FileView>>,
}

/// A source file.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FileView {
    /// Name.
    pub name: String,
    /// Contents.
    pub contents: String,
}

impl SubmissionView {
    /// The view of `s` for a viewer with `role` (who is its author or the jury).
    pub fn new(s: &Submission, viewer_role: Role) -> Self {
        let jury = viewer_role.is_jury();
        let j = s.judgement.as_ref();
        SubmissionView {
            id: s.id.0,
            user_id: s.user_id.0,
            contest_id: s.contest_id.map(|c| c.0),
            problem_id: s.problem_id.0,
            language: s.language.clone(),
            submitted_at: s.submitted_at,
            status: s.status.as_str().to_owned(),
            verdict: j.map(|j| j.verdict.code().to_owned()),
            score: j.and_then(|j| j.score),
            time_ms: j.map(|j| j.time_ms),
            memory_kib: j.map(|j| j.memory_kib),
            compile_output: j.map(|j| j.compile_output.clone()),
            tests: j
                .map(|j| {
                    j.tests
                        .iter()
                        .filter(|t| jury || t.sample)
                        .map(|t| TestView {
                            name: t.name.clone(),
                            verdict: t.verdict.code().to_owned(),
                            time_ms: t.time_ms,
                            memory_kib: t.memory_kib,
                        })
                        .collect()
                })
                .unwrap_or_default(),
            tests_run: j.map_or(0, |j| j.tests.len()),
            files: Some(
                s.files
                    .iter()
                    .map(|f| FileView {
                        name: f.name.clone(),
                        contents: f.contents.clone(),
                    })
                    .collect(),
            ),
        }
    }
}
