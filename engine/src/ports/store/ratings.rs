//! Rating history: every player's result in each finalised rated contest.

use super::StoreError;
use crate::model::{ContestId, UserId};
use async_trait::async_trait;

/// One player's result in one finalised rated contest (`crate::rating`).
#[derive(Debug, Clone, PartialEq)]
pub struct RatingRow {
    /// The contest.
    pub contest_id: ContestId,
    /// The player.
    pub user_id: UserId,
    /// Position of the contest in the history (0: the first rated contest).
    pub round: i64,
    /// Final place (1-based, ties share it).
    pub place: i64,
    /// Estimated performance.
    pub performance: f64,
    /// Belief after the contest: mean.
    pub mu: f64,
    /// Belief after the contest: standard deviation.
    pub sigma: f64,
    /// The rating after the contest (μ rounded).
    pub rating: i64,
    /// The rating before it; `None`: the player's first rated contest.
    pub previous: Option<i64>,
}

/// Rating history and which contests' ratings are final.
#[async_trait]
pub trait RatingStore: Send + Sync + 'static {
    /// Contests whose ratings the jury finalised, by id.
    async fn finalized_contests(&self) -> Result<Vec<ContestId>, StoreError>;
    /// Replaces the whole history in one transaction: `finalized` becomes the set of
    /// finalised contests and `rows` every result. [`StoreError::NotFound`] (and nothing
    /// changed) if a contest or user is missing.
    async fn replace_ratings(
        &self,
        finalized: &[ContestId],
        rows: &[RatingRow],
    ) -> Result<(), StoreError>;
    /// A contest's results, by place then user.
    async fn contest_ratings(&self, contest: ContestId) -> Result<Vec<RatingRow>, StoreError>;
    /// A user's results, oldest round first.
    async fn user_ratings(&self, user: UserId) -> Result<Vec<RatingRow>, StoreError>;
    /// Every rated user's current rating (from their latest round) with their user name,
    /// by user id.
    async fn current_ratings(&self) -> Result<Vec<(UserId, String, i64)>, StoreError>;
}
