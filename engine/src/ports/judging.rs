//! The judging port: how the engine gets a submission judged. The sandboxed adapter lives
//! in `codehub-judge`.

use crate::model::{Judgement, SubmissionId, SubmittedFile};
use async_trait::async_trait;
use serde::Serialize;
use tokio::sync::mpsc::UnboundedSender;

/// One submission to judge.
#[derive(Debug, Clone)]
pub struct JudgeJob {
    /// The submission.
    pub submission_id: SubmissionId,
    /// Package blob hash of the problem.
    pub package_hash: String,
    /// Language id.
    pub language: String,
    /// Source files.
    pub files: Vec<SubmittedFile>,
    /// Run every test (IOI) instead of stopping at the first failure.
    pub run_all_tests: bool,
}

/// A judging step, for live verdict streams.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum JudgeProgress {
    /// Compiling.
    Compiling,
    /// Running test `test` of `total`.
    Running {
        /// 1-based.
        test: usize,
        /// Count.
        total: usize,
    },
}

/// Why a job could not be judged: never the contestant's fault; the job is retried.
#[derive(Debug, thiserror::Error)]
#[error("judging failed: {0}")]
pub struct JudgeFailure(pub String);

/// Something that judges submissions.
#[async_trait]
pub trait JudgeService: Send + Sync + 'static {
    /// Judges one job, reporting progress as it goes.
    async fn judge(
        &self,
        job: JudgeJob,
        progress: UnboundedSender<JudgeProgress>,
    ) -> Result<Judgement, JudgeFailure>;
}
