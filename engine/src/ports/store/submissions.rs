//! Submissions and their judgements: the judge queue's source of truth.

use super::{NewSubmission, StoreError};
use crate::model::{ContestId, Judgement, Submission, SubmissionId, UserId};
use async_trait::async_trait;

/// Submissions from acceptance to judgement.
#[async_trait]
pub trait SubmissionStore: Send + Sync + 'static {
    /// Stores a new submission as queued; durable on return. [`StoreError::NotFound`] if
    /// its user, problem or contest does not exist.
    async fn create_submission(&self, submission: NewSubmission) -> Result<Submission, StoreError>;
    /// Marks a queued submission as being judged; a judging or done one is left as it is
    /// (a duplicate job must not undo a judgement). [`StoreError::NotFound`] if absent.
    async fn mark_judging(&self, id: SubmissionId) -> Result<(), StoreError>;
    /// Records the judgement (idempotent: the first one stays). Returns whether this call
    /// recorded it. [`StoreError::NotFound`] if absent.
    async fn finish_submission(
        &self,
        id: SubmissionId,
        judgement: &Judgement,
    ) -> Result<bool, StoreError>;
    /// Puts a submission back in the queue and clears its judgement (rejudge).
    /// [`StoreError::NotFound`] if absent.
    async fn requeue_submission(&self, id: SubmissionId) -> Result<(), StoreError>;
    /// A submission by id.
    async fn submission(&self, id: SubmissionId) -> Result<Option<Submission>, StoreError>;
    /// A page of a user's submissions (optionally in one contest; `None`: practice and
    /// contests alike), newest first: at most `limit`, and only those older than `before`
    /// when it is given.
    async fn user_submissions_page(
        &self,
        user: UserId,
        contest: Option<ContestId>,
        before: Option<SubmissionId>,
        limit: u32,
    ) -> Result<Vec<Submission>, StoreError>;
    /// All of a user's submissions (optionally in one contest), newest first: the page
    /// without bounds.
    async fn user_submissions(
        &self,
        user: UserId,
        contest: Option<ContestId>,
    ) -> Result<Vec<Submission>, StoreError> {
        self.user_submissions_page(user, contest, None, u32::MAX)
            .await
    }
    /// A contest's submissions, by id.
    async fn contest_submissions(&self, contest: ContestId) -> Result<Vec<Submission>, StoreError>;
    /// Submissions not yet judged (queued or judging), by id: the queue after a restart.
    async fn unfinished_submissions(&self) -> Result<Vec<Submission>, StoreError>;
}
