//! Submissions and their judgements: the judge queue's source of truth.

use super::{NewSubmission, StoreError};
use crate::Verdict;
use crate::model::{ContestId, Judgement, Millis, ProblemId, Submission, SubmissionId, UserId};
use async_trait::async_trait;

/// What one user did on one problem in one setting (practice, or one contest): how many
/// submissions, whether one was accepted, and the best score judged.
#[derive(Debug, Clone, PartialEq)]
pub struct ProblemTally {
    /// The problem.
    pub problem_id: ProblemId,
    /// The contest the submissions were made in; `None` for practice.
    pub contest_id: Option<ContestId>,
    /// Submissions, judged or not.
    pub attempts: u32,
    /// Whether a judged submission was accepted.
    pub solved: bool,
    /// The best score of a judged submission, if any had one.
    pub best_score: Option<f64>,
}

/// One submission without its files or judgement details.
#[derive(Debug, Clone, PartialEq)]
pub struct SubmissionMark {
    /// The submission.
    pub id: SubmissionId,
    /// Its problem.
    pub problem_id: ProblemId,
    /// Its contest; `None` for practice.
    pub contest_id: Option<ContestId>,
    /// When it was submitted.
    pub submitted_at: Millis,
    /// Its verdict once judged.
    pub verdict: Option<Verdict>,
}

/// How many submissions [`SubmissionStore::user_submissions_since`] reads per page.
const SINCE_PAGE: u32 = 100;

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
    /// The user's submissions made at `since` or later, newest first, read a page at a
    /// time; ids follow submission time, so the reading stops at the first page that
    /// reaches back before `since`.
    async fn user_submissions_since(
        &self,
        user: UserId,
        since: Millis,
    ) -> Result<Vec<Submission>, StoreError> {
        let mut found = Vec::new();
        let mut before = None;
        loop {
            let page = self
                .user_submissions_page(user, None, before, SINCE_PAGE)
                .await?;
            let full = page.len() == SINCE_PAGE as usize;
            before = page.last().map(|s| s.id);
            let reached = page.last().is_some_and(|s| s.submitted_at < since);
            found.extend(page.into_iter().filter(|s| s.submitted_at >= since));
            if !full || reached {
                return Ok(found);
            }
        }
    }
    /// The user's tally on every problem they submitted to, one per problem and setting
    /// (practice or a contest), by problem id and then by contest id, practice first.
    async fn user_problem_tallies(&self, user: UserId) -> Result<Vec<ProblemTally>, StoreError>;
    /// The user's submissions made at `since` or later, newest first, without files or
    /// judgement details.
    async fn user_submission_marks(
        &self,
        user: UserId,
        since: Millis,
    ) -> Result<Vec<SubmissionMark>, StoreError>;
    /// A contest's submissions, by id.
    async fn contest_submissions(&self, contest: ContestId) -> Result<Vec<Submission>, StoreError>;
    /// Submissions not yet judged (queued or judging), by id: the queue after a restart.
    async fn unfinished_submissions(&self) -> Result<Vec<Submission>, StoreError>;
}
