//! The store port: durable state. The SQL adapter (SQLite or PostgreSQL) lives in the
//! `codehub-store` crate.
//!
//! # Contract
//! - Every write is durable when its future resolves: a submission returned by
//!   [`Store::create_submission`] survives `kill -9` of the process.
//! - [`Store::finish_submission`] is idempotent: finishing a submission twice keeps the
//!   first judgement (a job judged twice counts once).
//! - Lists are ordered as documented on each method.

use crate::model::{
    Contest, ContestId, Judgement, Millis, Problem, ProblemId, Role, Submission, SubmissionId,
    SubmittedFile, User, UserId,
};
use async_trait::async_trait;

/// A store failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique key is taken (username, slug).
    #[error("{0} already exists")]
    Conflict(String),
    /// The row does not exist.
    #[error("{0} not found")]
    NotFound(String),
    /// The database failed.
    #[error("database error: {0}")]
    Database(String),
    /// A write of a contest's owner carried an outdated fencing token.
    #[error("fenced off: {0}")]
    Fenced(String),
}

/// A user to create.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Unique login name.
    pub username: String,
    /// Argon2 PHC string.
    pub password_hash: String,
    /// Role.
    pub role: Role,
}

/// A problem to create (`id` and `created_at` are assigned).
pub type NewProblem = Problem;
/// A contest to create or update (`id` is assigned on create).
pub type ContestData = Contest;

/// A submission to store.
#[derive(Debug, Clone)]
pub struct NewSubmission {
    /// Author.
    pub user_id: UserId,
    /// Contest (`None`: practice).
    pub contest_id: Option<ContestId>,
    /// Problem.
    pub problem_id: ProblemId,
    /// Language id.
    pub language: String,
    /// Files.
    pub files: Vec<SubmittedFile>,
    /// Acceptance time.
    pub submitted_at: Millis,
}

/// A refresh token as stored (only its hash is kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshToken {
    /// Owner.
    pub user_id: UserId,
    /// Expiry.
    pub expires_at: Millis,
}

/// Durable state of CodeHub.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Creates a user. [`StoreError::Conflict`] if the name is taken.
    async fn create_user(&self, user: NewUser) -> Result<User, StoreError>;
    /// A user by id.
    async fn user(&self, id: UserId) -> Result<Option<User>, StoreError>;
    /// A user by name.
    async fn user_by_name(&self, username: &str) -> Result<Option<User>, StoreError>;
    /// Number of users.
    async fn count_users(&self) -> Result<i64, StoreError>;
    /// Changes a user's role. [`StoreError::NotFound`] if absent.
    async fn set_role(&self, id: UserId, role: Role) -> Result<(), StoreError>;

    /// Stores a refresh token hash.
    async fn put_refresh_token(
        &self,
        token_hash: &str,
        token: RefreshToken,
    ) -> Result<(), StoreError>;
    /// Removes and returns a refresh token (each token works once: rotation).
    async fn take_refresh_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<RefreshToken>, StoreError>;

    /// Creates a problem; `id`/`created_at` of the argument are ignored.
    /// [`StoreError::Conflict`] if the slug is taken.
    async fn create_problem(&self, problem: NewProblem) -> Result<Problem, StoreError>;
    /// A problem by id.
    async fn problem(&self, id: ProblemId) -> Result<Option<Problem>, StoreError>;
    /// All problems, by id.
    async fn problems(&self) -> Result<Vec<Problem>, StoreError>;

    /// Creates a contest; `id` of the argument is ignored.
    /// [`StoreError::Conflict`] if the slug is taken.
    async fn create_contest(&self, contest: ContestData) -> Result<Contest, StoreError>;
    /// Replaces a contest (by id). [`StoreError::NotFound`] if absent.
    async fn update_contest(&self, contest: &Contest) -> Result<(), StoreError>;
    /// A contest by id.
    async fn contest(&self, id: ContestId) -> Result<Option<Contest>, StoreError>;
    /// All contests, by start time then id.
    async fn contests(&self) -> Result<Vec<Contest>, StoreError>;

    /// Registers a participant (idempotent).
    async fn add_participant(&self, contest: ContestId, user: UserId) -> Result<(), StoreError>;
    /// Participants of a contest, by user id.
    async fn participants(&self, contest: ContestId) -> Result<Vec<UserId>, StoreError>;
    /// Participants of a contest with their user names, by user id.
    async fn participant_names(
        &self,
        contest: ContestId,
    ) -> Result<Vec<(UserId, String)>, StoreError>;

    /// Stores a new submission as queued; durable on return.
    async fn create_submission(&self, submission: NewSubmission) -> Result<Submission, StoreError>;
    /// Marks a queued submission as being judged.
    async fn mark_judging(&self, id: SubmissionId) -> Result<(), StoreError>;
    /// Records the judgement (idempotent: the first one stays). Returns whether this call
    /// recorded it.
    async fn finish_submission(
        &self,
        id: SubmissionId,
        judgement: &Judgement,
    ) -> Result<bool, StoreError>;
    /// [`Store::finish_submission`] for the owner of `contest` holding fencing token
    /// `fence`: [`StoreError::Fenced`] (and nothing written) if a later owner exists.
    async fn finish_submission_fenced(
        &self,
        id: SubmissionId,
        judgement: &Judgement,
        contest: ContestId,
        fence: u64,
    ) -> Result<bool, StoreError>;
    /// Takes the next fencing token of `contest` (1, 2, 3, …: larger for every new owner).
    async fn advance_fence(&self, contest: ContestId) -> Result<u64, StoreError>;
    /// Puts a submission back in the queue and clears its judgement (rejudge).
    async fn requeue_submission(&self, id: SubmissionId) -> Result<(), StoreError>;
    /// A submission by id.
    async fn submission(&self, id: SubmissionId) -> Result<Option<Submission>, StoreError>;
    /// A user's submissions (optionally in one contest), newest first.
    async fn user_submissions(
        &self,
        user: UserId,
        contest: Option<ContestId>,
    ) -> Result<Vec<Submission>, StoreError>;
    /// A contest's submissions, by id.
    async fn contest_submissions(&self, contest: ContestId) -> Result<Vec<Submission>, StoreError>;
    /// Submissions not yet judged (queued or judging), by id: the queue after a restart.
    async fn unfinished_submissions(&self) -> Result<Vec<Submission>, StoreError>;

    /// Appends an event to a contest's log (audit, replay).
    async fn append_event(
        &self,
        contest: Option<ContestId>,
        kind: &str,
        payload: &serde_json::Value,
    ) -> Result<i64, StoreError>;
    /// Events of a contest after `after_id`, by id: (id, kind, payload, at).
    async fn events(
        &self,
        contest: Option<ContestId>,
        after_id: i64,
    ) -> Result<Vec<(i64, String, serde_json::Value, Millis)>, StoreError>;
}
