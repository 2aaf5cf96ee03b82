//! Problems, contests and their participants.

use super::{ContestData, NewProblem, StoreError};
use crate::model::{Contest, ContestId, Problem, ProblemId, UserId};
use async_trait::async_trait;

/// Solve statistics of one problem, over every judged submission (contests and
/// practice); judge errors are not counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProblemStats {
    /// The problem.
    pub problem_id: ProblemId,
    /// Users with a judged submission.
    pub attempted: i64,
    /// Users with an accepted submission.
    pub solved: i64,
    /// Judged submissions.
    pub judged: i64,
    /// Accepted submissions.
    pub accepted: i64,
}

/// What can be submitted to, and who takes part.
#[async_trait]
pub trait ContestStore: Send + Sync + 'static {
    /// Creates a problem; `id`/`created_at` of the argument are ignored.
    /// [`StoreError::Conflict`] if the slug is taken.
    async fn create_problem(&self, problem: NewProblem) -> Result<Problem, StoreError>;
    /// A problem by id.
    async fn problem(&self, id: ProblemId) -> Result<Option<Problem>, StoreError>;
    /// All problems, by id.
    async fn problems(&self) -> Result<Vec<Problem>, StoreError>;
    /// Changes a problem's archive details: tags, the author's difficulty, source, and
    /// whether it is open for practice. [`StoreError::NotFound`] if absent.
    async fn update_problem_details(&self, problem: &Problem) -> Result<(), StoreError>;
    /// Solve statistics of every problem that has a judged submission.
    async fn problem_stats(&self) -> Result<Vec<ProblemStats>, StoreError>;

    /// Creates a contest; `id` of the argument is ignored.
    /// [`StoreError::Conflict`] if the slug is taken.
    async fn create_contest(&self, contest: ContestData) -> Result<Contest, StoreError>;
    /// Replaces a contest (by id). [`StoreError::NotFound`] if absent,
    /// [`StoreError::Conflict`] if another contest has the slug.
    async fn update_contest(&self, contest: &Contest) -> Result<(), StoreError>;
    /// A contest by id.
    async fn contest(&self, id: ContestId) -> Result<Option<Contest>, StoreError>;
    /// All contests, by start time then id.
    async fn contests(&self) -> Result<Vec<Contest>, StoreError>;

    /// Registers a participant (idempotent). [`StoreError::NotFound`] if the contest or
    /// the user does not exist.
    async fn add_participant(&self, contest: ContestId, user: UserId) -> Result<(), StoreError>;
    /// Participants of a contest, by user id.
    async fn participants(&self, contest: ContestId) -> Result<Vec<UserId>, StoreError>;
    /// Participants of a contest with their user names, by user id.
    async fn participant_names(
        &self,
        contest: ContestId,
    ) -> Result<Vec<(UserId, String)>, StoreError>;
}
