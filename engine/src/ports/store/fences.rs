//! Fencing tokens: a contest's owner in a cluster writes judgements only while no later
//! owner exists.

use super::StoreError;
use crate::model::{ContestId, Judgement, SubmissionId};
use async_trait::async_trait;

/// Fenced writes of contest owners (cluster mode).
#[async_trait]
pub trait FenceStore: Send + Sync + 'static {
    /// [`SubmissionStore::finish_submission`](super::SubmissionStore::finish_submission)
    /// for the owner of `contest` holding fencing token `fence`: [`StoreError::Fenced`]
    /// (and nothing written) if `fence` is not the contest's latest token. The token is
    /// compared where the row is written (one atomic step).
    async fn finish_submission_fenced(
        &self,
        id: SubmissionId,
        judgement: &Judgement,
        contest: ContestId,
        fence: u64,
    ) -> Result<bool, StoreError>;
    /// Takes the next fencing token of `contest` (1, 2, 3, …: larger for every new owner).
    async fn advance_fence(&self, contest: ContestId) -> Result<u64, StoreError>;
}
