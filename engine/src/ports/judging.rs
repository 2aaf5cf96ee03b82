//! The judging port: how the engine gets a submission judged. The sandboxed adapter lives
//! in `codehub-judge`, the Redis queue in `codehub-cluster`, a scripted one in
//! `crate::testing` (feature `testing`).

use super::blobs::BlobError;
use crate::model::{Judgement, SubmissionId, SubmittedFile};
use async_trait::async_trait;
use serde::Serialize;
use tokio::sync::mpsc;

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
    /// The problem's stored time limit (`Problem::time_limit_ms`), ms: what a package
    /// without a time limit of its own is judged with (it was computed at import).
    pub time_limit_ms: Option<i64>,
    /// The contest's verdict policy; `None`: the judge's own.
    pub policy: Option<crate::model::VerdictPolicy>,
    /// The W3C `traceparent` of the judging's span, for a judge in another process to
    /// continue the submission's trace (`None`: tracing is off or not yet known).
    pub trace_parent: Option<String>,
}

/// One run of code outside a submission: on a sample or on typed input, with the
/// problem's limits (`POST /api/runs`). Nothing is stored.
#[derive(Debug, Clone)]
pub struct RunJob {
    /// Package blob hash of the problem.
    pub package_hash: String,
    /// Language id.
    pub language: String,
    /// Source files.
    pub files: Vec<SubmittedFile>,
    /// What the program reads.
    pub input: codehub_protocol::requests::RunInput,
    /// The problem's stored time limit, ms (as [`JudgeJob::time_limit_ms`]).
    pub time_limit_ms: Option<i64>,
    /// The contest's verdict policy; `None`: the judge's own.
    pub policy: Option<crate::model::VerdictPolicy>,
}

/// Why a run gave no result.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The request cannot be run (no such sample, an interactive problem, an unknown
    /// language, code over the limit): the caller's to fix; the message says how.
    #[error("{0}")]
    Refused(String),
    /// The judge failed (not the program); worth trying again later.
    #[error(transparent)]
    Failed(#[from] JudgeFailure),
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

/// Progress steps one judging may have waiting in its [`ProgressSender`].
pub const PROGRESS_CAPACITY: usize = 256;

/// Where a judge reports [`JudgeProgress`]: a bounded queue ([`PROGRESS_CAPACITY`]).
///
/// **Overflow policy: drop the new step.** Progress is advisory (a live "running test
/// 7/20"); the verdict never goes through this queue, it is the judge's return value.
/// So a judge never waits for a slow reader: a step that finds the queue full, or nobody
/// listening, is dropped, and a later step or the verdict supersedes it.
#[derive(Debug, Clone)]
pub struct ProgressSender(mpsc::Sender<JudgeProgress>);

impl ProgressSender {
    /// A bounded progress queue and its reading end.
    pub fn channel() -> (ProgressSender, mpsc::Receiver<JudgeProgress>) {
        let (tx, rx) = mpsc::channel(PROGRESS_CAPACITY);
        (ProgressSender(tx), rx)
    }

    /// Reports a step without waiting; `false` if it was dropped (queue full or closed).
    pub fn report(&self, progress: JudgeProgress) -> bool {
        self.0.try_send(progress).is_ok()
    }
}

/// Why a job could not be judged: never the contestant's fault; the engine queues the
/// job again after a pause.
#[derive(Debug, thiserror::Error)]
pub enum JudgeFailure {
    /// The problem's package could not be had from the blob store.
    #[error("judging failed: problem package: {0}")]
    Package(#[from] BlobError),
    /// The package is there but cannot be loaded.
    #[error("judging failed: bad problem package: {0}")]
    BadPackage(String),
    /// The sandbox failed (not the program in it).
    #[error("judging failed: sandbox: {0}")]
    Sandbox(String),
    /// A remote judge could not be reached, or the job was lost on the way.
    #[error("judging failed: {0}")]
    Unavailable(String),
    /// A remote judge reported a failure (its message).
    #[error("judging failed: remote judge: {0}")]
    Remote(String),
}

/// Something that judges submissions.
///
/// Contract: at least once — the engine may ask again for a job whose earlier attempt
/// failed, hung behind a dead node or was judged elsewhere; the store keeps the first
/// judgement. `Err` means "not judged" (retried), never a verdict.
#[async_trait]
pub trait JudgeService: Send + Sync + 'static {
    /// Judges one job, reporting progress as it goes.
    async fn judge(
        &self,
        job: JudgeJob,
        progress: ProgressSender,
    ) -> Result<Judgement, JudgeFailure>;

    /// Runs code once on a sample or typed input ([`RunJob`]), with judging's sandbox and
    /// limits. The default refuses: a judge that cannot run code outside jobs.
    async fn run(&self, job: RunJob) -> Result<codehub_protocol::views::RunView, RunError> {
        let _ = job;
        Err(RunError::Failed(JudgeFailure::Unavailable(
            "this judge cannot run code outside submissions".to_owned(),
        )))
    }

    /// The time limit of a package that gives none, ms, computed from its own
    /// submissions (the slowest accepted run × `ac_to_time_limit`, rounded up to
    /// `time_resolution`); `None` when the package gives one, or when this judge cannot
    /// run submissions outside jobs (the default). Called at import.
    async fn time_limit(&self, package_hash: &str) -> Result<Option<i64>, JudgeFailure> {
        let _ = package_hash;
        Ok(None)
    }

    /// Imports a package in another format (a Polygon zip) into the Kattis layout,
    /// running its programs (generators, the reference solution) in this judge's sandbox
    /// for the tests it does not hold. `Ok(None)` when this judge cannot run programs
    /// outside jobs (the default: a remote judge); the caller then imports without them.
    /// A package that cannot be imported is [`JudgeFailure::BadPackage`] with the reason.
    async fn import_package(
        &self,
        archive: Vec<u8>,
    ) -> Result<Option<ImportedPackage>, JudgeFailure> {
        let _ = archive;
        Ok(None)
    }
}

/// A package imported from another format.
#[derive(Debug, Clone)]
pub struct ImportedPackage {
    /// The Kattis package, zipped.
    pub zip: Vec<u8>,
    /// What could not be converted, or was converted approximately.
    pub notes: Vec<String>,
}
