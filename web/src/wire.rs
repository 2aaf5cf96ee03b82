//! The gateway's JSON, as the UI reads it (a subset of the API's views).

use serde::{Deserialize, Serialize};

/// `{code, message}`: every API error.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ErrorBody {
    /// HTTP status.
    pub code: u16,
    /// What went wrong.
    pub message: String,
}

/// A user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    /// Id (also the team id on scoreboards).
    pub id: i64,
    /// Login name.
    pub username: String,
    /// `admin`, `jury`, `contestant` or `spectator`.
    pub role: String,
}

impl User {
    /// Jury or admin.
    pub fn is_jury(&self) -> bool {
        matches!(self.role.as_str(), "jury" | "admin")
    }

    /// Admin.
    pub fn is_admin(&self) -> bool {
        self.role == "admin"
    }
}

/// Tokens from login, register or refresh.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tokens {
    /// Bearer token.
    pub access_token: String,
    /// One-use refresh token.
    pub refresh_token: String,
    /// Seconds the access token lives.
    pub expires_in: u64,
}

/// Login or register answer.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Session {
    /// Who.
    pub user: User,
    /// Their tokens (flattened into the object).
    #[serde(flatten)]
    pub tokens: Tokens,
}

/// A problem slot of a contest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContestProblem {
    /// Problem id.
    pub problem_id: i64,
    /// `A`, `B`, …
    pub label: String,
}

/// A contest.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Contest {
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
    /// Start, ms since the epoch.
    pub start_at: i64,
    /// End.
    pub end_at: i64,
    /// Freeze, if any.
    pub freeze_at: Option<i64>,
    /// Automatic unfreeze, if any.
    pub unfreeze_at: Option<i64>,
    /// Unfrozen by hand.
    pub unfrozen: bool,
    /// ICPC penalty minutes per rejected try.
    pub penalty_minutes: i64,
    /// Problems.
    pub problems: Vec<ContestProblem>,
    /// The server's clock when it answered.
    pub server_time: i64,
}

/// A sample test.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Sample {
    /// Input.
    pub input: String,
    /// Expected output.
    pub output: String,
}

/// A problem.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Problem {
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
    /// In the practice archive.
    pub practice: bool,
    /// Statement as HTML (rendered by the server); absent in lists.
    #[serde(default)]
    pub statement_html: Option<String>,
    /// Samples; absent in lists.
    #[serde(default)]
    pub samples: Option<Vec<Sample>>,
}

/// A language.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Language {
    /// Id to submit with.
    pub id: String,
    /// Name.
    pub name: String,
    /// File extensions (without dot).
    pub extensions: Vec<String>,
    /// Whether the judge can run it.
    pub available: bool,
}

/// One test's result.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TestResult {
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
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Submission {
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
    /// ms since the epoch.
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
    /// Compiler output (author and jury).
    #[serde(default)]
    pub compile_output: Option<String>,
    /// Sample results (author) or all (jury).
    #[serde(default)]
    pub tests: Vec<TestResult>,
    /// Tests run.
    #[serde(default)]
    pub tests_run: usize,
}

/// A source file to submit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceFile {
    /// File name.
    pub name: String,
    /// Contents.
    pub contents: String,
}

/// `POST /api/submissions`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewSubmission {
    /// Problem.
    pub problem_id: i64,
    /// Contest, if any.
    pub contest_id: Option<i64>,
    /// Language id.
    pub language: Option<String>,
    /// Sources.
    pub files: Vec<SourceFile>,
}

/// A scoreboard cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// Tries counted.
    pub attempts: u32,
    /// Tries pending (not judged or frozen).
    pub pending: u32,
    /// Solved.
    pub solved: bool,
    /// Contest minute of the first AC.
    pub solved_at_min: Option<i64>,
    /// First to solve this problem.
    pub first_to_solve: bool,
    /// IOI best score.
    pub score: f64,
}

/// A scoreboard row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Team (user id).
    pub team: i64,
    /// Rank (ties share).
    pub rank: usize,
    /// Solved.
    pub solved: u32,
    /// ICPC penalty.
    pub penalty: i64,
    /// IOI total.
    pub score: f64,
    /// Cells, one per problem.
    pub cells: Vec<Cell>,
}

/// A full scoreboard (`snapshot` message).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Snapshot {
    /// Contest.
    pub contest_id: i64,
    /// Public board frozen.
    pub frozen: bool,
    /// Problem labels.
    pub problems: Vec<String>,
    /// Sequence number of this snapshot.
    pub seq: u64,
    /// Rows in rank order.
    pub rows: Vec<Row>,
}

/// Changed rows (`delta` message).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Delta {
    /// Public board frozen.
    pub frozen: bool,
    /// The rows that changed, with their new rank.
    pub rows: Vec<Row>,
}

/// A team's display name.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Team {
    /// User id.
    pub id: i64,
    /// Name.
    pub name: String,
}

/// Judge queue.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Queue {
    /// Waiting.
    pub queued: usize,
    /// Being judged.
    pub judging: usize,
    /// Judges.
    pub judges: usize,
}

/// Practice progress on one problem.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Progress {
    /// Problem.
    pub problem_id: i64,
    /// Solved.
    pub solved: bool,
    /// Submissions.
    pub attempts: usize,
    /// Best IOI score.
    pub best_score: Option<f64>,
}

/// A message from `/ws`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct WsMessage {
    /// Channel (absent on errors).
    #[serde(default)]
    pub channel: Option<String>,
    /// Sequence number in the channel.
    #[serde(default)]
    pub seq: Option<u64>,
    /// `snapshot`, `delta`, `status`, `verdict` or `error`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Payload.
    #[serde(default)]
    pub data: serde_json::Value,
    /// Error message.
    #[serde(default)]
    pub message: Option<String>,
}

/// A submission's live state (`status` and `verdict` messages).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Status {
    /// Submission.
    pub submission_id: i64,
    /// `queued`, `compiling`, `running` or `done`.
    pub state: String,
    /// Running: the test (1-based).
    #[serde(default)]
    pub test: Option<usize>,
    /// Running: the count.
    #[serde(default)]
    pub total: Option<usize>,
    /// Done: the verdict.
    #[serde(default)]
    pub verdict: Option<String>,
    /// Done: IOI score.
    #[serde(default)]
    pub score: Option<f64>,
}
