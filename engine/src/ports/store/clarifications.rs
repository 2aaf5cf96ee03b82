//! Clarifications: teams' questions, the jury's answers and announcements.

use super::StoreError;
use crate::model::{Clarification, ClarificationId, ContestId, UserId};
use async_trait::async_trait;

/// The clarifications of contests.
#[async_trait]
pub trait ClarificationStore: Send + Sync + 'static {
    /// Stores a clarification; `id` of the argument is ignored. When it answers a
    /// question (`reply_to`), that question is marked answered in the same write.
    /// [`StoreError::NotFound`] if the contest, or the question answered, does not exist
    /// in that contest.
    async fn create_clarification(
        &self,
        clarification: Clarification,
    ) -> Result<Clarification, StoreError>;
    /// A clarification by id.
    async fn clarification(&self, id: ClarificationId)
    -> Result<Option<Clarification>, StoreError>;
    /// A contest's clarifications, by id (the order they were made).
    async fn clarifications(&self, contest: ContestId) -> Result<Vec<Clarification>, StoreError>;
    /// Sets (or with `None` clears) the judge who claimed a question.
    /// [`StoreError::NotFound`] if it does not exist.
    async fn claim_clarification(
        &self,
        id: ClarificationId,
        judge: Option<UserId>,
    ) -> Result<(), StoreError>;
}
