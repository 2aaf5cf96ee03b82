//! What crosses Redis: stream names, jobs and replies (JSON in one field, `msg`).

use codehub_engine::model::{Judgement, SubmittedFile};
use serde::{Deserialize, Serialize};

/// The stream of judge jobs.
pub const JOBS: &str = "codehub:jobs";
/// The consumer group of judge workers on [`JOBS`].
pub const GROUP: &str = "judges";
/// The field holding a message's JSON.
pub const FIELD: &str = "msg";
/// Replies kept per node stream (approximate trim).
pub const REPLY_CAP: u64 = 10_000;

/// The reply stream of node `node`.
pub fn replies(node: &str) -> String {
    format!("codehub:replies:{node}")
}

/// A job on [`JOBS`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Job {
    /// Submission.
    pub submission_id: i64,
    /// This attempt (a node may retry a submission; replies name the attempt).
    pub attempt: String,
    /// Package content hash.
    pub package_hash: String,
    /// Language id.
    pub language: String,
    /// Sources.
    pub files: Vec<SubmittedFile>,
    /// Run every test.
    pub run_all_tests: bool,
    /// Where to reply.
    pub reply_to: String,
}

/// A reply on a node's stream.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reply {
    /// A judging step (`JudgeProgress` as JSON).
    Progress {
        /// The job's attempt.
        attempt: String,
        /// The step.
        progress: serde_json::Value,
    },
    /// The judgement.
    Done {
        /// The job's attempt.
        attempt: String,
        /// The result.
        judgement: Judgement,
        /// Which worker judged it.
        worker: String,
    },
    /// The worker could not judge it (not the contestant's fault: the node retries).
    Failed {
        /// The job's attempt.
        attempt: String,
        /// Why.
        message: String,
    },
}

impl Reply {
    /// The attempt the reply is about.
    pub fn attempt(&self) -> &str {
        match self {
            Reply::Progress { attempt, .. }
            | Reply::Done { attempt, .. }
            | Reply::Failed { attempt, .. } => attempt,
        }
    }
}
