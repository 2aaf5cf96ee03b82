//! What crosses Redis: stream names, jobs and replies (JSON in one field, `msg`).

use codehub_engine::model::{Judgement, SubmittedFile};
use serde::{Deserialize, Serialize};

/// The stream of judge jobs.
pub const JOBS: &str = "codehub:jobs";
/// The stream of runs (code run on a sample or typed input, `POST /api/runs`). Workers
/// read it only when no judge job waits, and at most once: a run is acknowledged when
/// read, and a run whose worker died is answered by the node's timeout.
pub const RUNS: &str = "codehub:runs";
/// Runs kept on [`RUNS`] (approximate trim): a run nobody took for that long is stale.
pub const RUNS_CAP: u64 = 1_000;
/// The consumer group of judge workers on [`JOBS`] (and on [`RUNS`]).
pub const GROUP: &str = "judges";
/// The field holding a message's JSON.
pub const FIELD: &str = "msg";
/// Replies kept per node stream (approximate trim).
pub const REPLY_CAP: u64 = 10_000;

/// The reply stream of node `node`.
pub fn replies(node: &str) -> String {
    format!("codehub:replies:{node}")
}

/// The set of contests that have (or had) an owner: every node watches their leases.
pub const CONTESTS: &str = "codehub:contests";
/// Entries kept per contest inbox (approximate trim).
pub const INBOX_CAP: u64 = 10_000;

/// The lease of a contest's owner (value: the owner's member name; expires unless renewed).
pub fn lease(contest: i64) -> String {
    format!("codehub:lease:contest:{contest}")
}

/// The stream of events and snapshot requests for a contest's owner.
pub fn inbox(contest: i64) -> String {
    format!("codehub:contest:{contest}:inbox")
}

/// Pub/sub channel names. Redis pub/sub ignores database numbers, so the names carry the
/// database: clusters sharing one Redis server on different databases never hear each
/// other.
#[derive(Debug, Clone)]
pub struct PubSubNames {
    prefix: String,
}

impl PubSubNames {
    /// Names for the database of `url` (0 if it names none).
    pub fn for_url(url: &str) -> anyhow::Result<PubSubNames> {
        let db = fred::types::config::Config::from_url(url)?
            .database
            .unwrap_or(0);
        Ok(PubSubNames {
            prefix: format!("codehub:{db}:"),
        })
    }

    /// The pub/sub channel of a Hub channel.
    pub fn hub_channel(&self, channel: &str) -> String {
        format!("{}ch:{channel}", self.prefix)
    }

    /// The Hub channel a pub/sub channel carries, if it carries one.
    pub fn hub_channel_of<'a>(&self, name: &'a str) -> Option<&'a str> {
        name.strip_prefix(&self.prefix)?.strip_prefix("ch:")
    }

    /// The pub/sub channel on which a node gets answers to its snapshot requests.
    pub fn rpc_replies(&self, member: &str) -> String {
        format!("{}rpc:{member}", self.prefix)
    }
}

/// The sequence counter of a Hub channel whose publishers do not own its `seq`.
pub fn seq_counter(channel: &str) -> String {
    format!("codehub:seq:{channel}")
}

/// An entry of a contest's inbox (JSON in [`FIELD`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum InboxEntry {
    /// Something the owner must apply.
    Event {
        /// The event.
        event: codehub_engine::ports::cluster::ContestEvent,
    },
    /// A follower wants a scoreboard snapshot.
    Snapshot {
        /// Request id (the follower's).
        request: u64,
        /// Pub/sub channel for the answer.
        reply_to: String,
        /// Which board.
        view: codehub_engine::scoring::View,
    },
}

/// The answer to [`InboxEntry::Snapshot`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SnapshotReply {
    /// The request.
    pub request: u64,
    /// The snapshot, or why there is none.
    pub snapshot: Result<codehub_engine::scoring::ScoreboardSnapshot, String>,
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
    /// The problem's stored time limit, ms (absent from older nodes' jobs).
    #[serde(default)]
    pub time_limit_ms: Option<i64>,
    /// The contest's verdict policy (absent: the worker's own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<codehub_engine::model::VerdictPolicy>,
    /// Where to reply.
    pub reply_to: String,
    /// The W3C `traceparent` of the node's judging span: the worker's spans join the
    /// submission's trace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace_parent: Option<String>,
}

/// A run on [`RUNS`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunRequest {
    /// This run (replies name it).
    pub attempt: String,
    /// Package content hash.
    pub package_hash: String,
    /// Language id.
    pub language: String,
    /// Sources.
    pub files: Vec<SubmittedFile>,
    /// What the program reads.
    pub input: codehub_protocol::requests::RunInput,
    /// The problem's stored time limit, ms.
    #[serde(default)]
    pub time_limit_ms: Option<i64>,
    /// The contest's verdict policy (absent: the worker's own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<codehub_engine::model::VerdictPolicy>,
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
    /// A run's result.
    RunDone {
        /// The run.
        attempt: String,
        /// What it gave.
        view: codehub_protocol::views::RunView,
    },
    /// A run the worker refused (the caller's to fix: no such sample, …).
    RunRefused {
        /// The run.
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
            | Reply::Failed { attempt, .. }
            | Reply::RunDone { attempt, .. }
            | Reply::RunRefused { attempt, .. } => attempt,
        }
    }
}
