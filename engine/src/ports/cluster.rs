//! The cluster port: how a node shares contests with other nodes.
//!
//! Without it (one node) the node owns every contest. With it, one node at a time *owns*
//! a contest (its ContestActor runs the LeaderboardActor and dispatches judging); the
//! others run a *follower* ContestActor that checks submissions against the stored
//! configuration and forwards what the owner must know as [`ContestEvent`]s. The adapter
//! (Redis leases and streams) lives in `codehub-cluster`; an in-memory one in
//! `crate::testing` (feature `testing`).

use super::store::StoreError;
use crate::model::{ContestId, SubmissionId, UserId};
use crate::scoring::{Judged, ScoreboardSnapshot, View};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

/// This node's part in a contest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// This node owns the contest; `fence` is its fencing token (larger for every new owner).
    Owner {
        /// Fencing token, checked by the store on the owner's writes.
        fence: u64,
    },
    /// Another node owns it.
    Follower,
}

/// What a follower tells a contest's owner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum ContestEvent {
    /// A submission was stored: show it pending and judge it.
    Submitted {
        /// The stored submission.
        id: SubmissionId,
    },
    /// A submission's judgement was stored elsewhere: apply it.
    Judged {
        /// The stored submission.
        id: SubmissionId,
    },
    /// A team registered.
    AddTeam {
        /// The team.
        team: UserId,
    },
    /// The configuration changed in the store.
    Reload,
    /// A synthetic result for load tests.
    Inject {
        /// The result.
        judged: Judged,
    },
}

/// Why the cluster could not do something.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ClusterError {
    /// The cluster's backend (Redis) failed or cannot be reached.
    #[error("cluster unavailable: {0}")]
    Unavailable(String),
    /// No answer in time (the backend is slow or cut off; the owner may be changing).
    #[error("cluster: no answer in time: {0}")]
    Timeout(String),
    /// The store failed while taking ownership (the fencing token).
    #[error("cluster: {0}")]
    Store(#[from] StoreError),
    /// The contest's owner answered, with a failure.
    #[error("cluster: the owner failed: {0}")]
    Owner(String),
    /// A message could not be encoded.
    #[error("cluster: encoding: {0}")]
    Encoding(String),
}

/// The cluster as the engine sees it.
///
/// Contract: `forward` delivers at least once and in order per contest (events are
/// idempotent on the owner); an `Err` means "maybe not delivered", and the owner catches
/// up from the store (see the invariants in `ARCHITECTURE.md`).
#[async_trait]
pub trait Cluster: Send + Sync + 'static {
    /// This node's role for `contest`, taking ownership if nobody holds it.
    async fn claim(&self, contest: ContestId) -> Result<Role, ClusterError>;
    /// Delivers an event to the contest's owner (durably queued when this returns).
    async fn forward(&self, contest: ContestId, event: ContestEvent) -> Result<(), ClusterError>;
    /// A scoreboard snapshot from the contest's owner.
    async fn snapshot(
        &self,
        contest: ContestId,
        view: View,
    ) -> Result<ScoreboardSnapshot, ClusterError>;
}

/// The base of a new owner's channel sequence numbers: every owner's numbers are larger
/// than any earlier owner's, so nodes and clients never mistake new messages for old ones.
pub fn seq_floor(fence: u64) -> u64 {
    fence << 32
}
