//! The store port: durable state, split by concern into [`UserStore`], [`ContestStore`],
//! [`SubmissionStore`], [`FenceStore`], [`EventLog`], [`ClarificationStore`],
//! [`PracticeStore`] and [`RatingStore`]; [`Store`] is all of them (what
//! the engine holds as `Arc<dyn Store>`). The SQL adapter (SQLite or PostgreSQL) lives in
//! the `codehub-store` crate; an in-memory one in `crate::testing` (feature `testing`).
//!
//! # Contract
//! - Every write is durable when its future resolves: a submission returned by
//!   [`SubmissionStore::create_submission`] survives `kill -9` of the process.
//! - [`SubmissionStore::finish_submission`] is idempotent: finishing a submission twice
//!   keeps the first judgement (a job judged twice counts once).
//! - [`FenceStore::finish_submission_fenced`] writes nothing unless the caller holds the
//!   contest's latest fencing token.
//! - A refused write ([`StoreError::Conflict`], [`StoreError::NotFound`],
//!   [`StoreError::Fenced`]) changes nothing.
//! - Lists are ordered as documented on each method.
//! - Methods may be called concurrently; each is atomic on its own (no multi-call
//!   transactions).
//!
//! Bring the traits into scope with `use codehub_engine::ports::store::prelude::*` to call
//! them on a concrete store (`Arc<dyn Store>` needs no import).

mod clarifications;
mod contests;
mod events;
mod fences;
mod practice;
mod ratings;
mod submissions;
mod users;

pub use self::clarifications::ClarificationStore;
pub use self::contests::{ContestStore, ProblemStats};
pub use self::events::EventLog;
pub use self::fences::FenceStore;
pub use self::practice::{Editorial, PracticeStore, Revealed, VirtualStart};
pub use self::ratings::{RatingRow, RatingStore};
pub use self::submissions::{ProblemTally, SubmissionMark, SubmissionStore};
pub use self::users::UserStore;

use crate::model::{Contest, ContestId, Millis, Problem, ProblemId, Role, SubmittedFile, UserId};

/// Every store trait, for `use codehub_engine::ports::store::prelude::*`.
pub mod prelude {
    pub use super::{
        ClarificationStore, ContestStore, EventLog, FenceStore, PracticeStore, RatingStore, Store,
        SubmissionStore, UserStore,
    };
}

/// A store failure.
#[derive(Debug, Clone, thiserror::Error)]
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
    /// The database cannot be reached now (down, restarting, connections refused):
    /// nothing was written; the same request may succeed later.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// The database's disk is full (SQLite `SQLITE_FULL`, PostgreSQL `53100`): the
    /// write was rolled back and nothing was stored; it may succeed once space is freed.
    #[error("storage full: {0}")]
    Full(String),
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

/// An external identity (an OpenID Connect or OAuth 2.0 provider's subject) linked to an
/// account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The provider's configured name (`github`, `uni`, …).
    pub provider: String,
    /// The provider's stable id of the person (`sub`, or GitHub's numeric id).
    pub subject: String,
    /// The account it signs in to.
    pub user_id: UserId,
    /// The e-mail address the provider gave, if any (shown to the owner only).
    pub email: Option<String>,
    /// When it was linked.
    pub linked_at: Millis,
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

/// An event of a contest's log: (id, kind, payload, at).
pub type LoggedEvent = (i64, String, serde_json::Value, Millis);

/// Durable state of CodeHub: every store trait at once. Implemented for every type that
/// implements them all, so adapters implement the store traits and nothing else.
pub trait Store:
    UserStore
    + ContestStore
    + SubmissionStore
    + FenceStore
    + EventLog
    + ClarificationStore
    + PracticeStore
    + RatingStore
{
}

impl<T> Store for T where
    T: UserStore
        + ContestStore
        + SubmissionStore
        + FenceStore
        + EventLog
        + ClarificationStore
        + PracticeStore
        + RatingStore
{
}
