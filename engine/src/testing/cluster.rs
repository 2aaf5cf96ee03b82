//! [`MemoryCluster`]: the cluster port with configured roles.

use crate::model::ContestId;
use crate::ports::cluster::{Cluster, ClusterError, ContestEvent, Role};
use crate::scoring::{ScoreboardSnapshot, View};
use async_trait::async_trait;
use std::collections::HashMap;
use std::sync::Mutex;
use tokio::sync::watch;

/// A [`Cluster`] in memory: `claim` answers the role set for the contest (by default
/// [`Role::Owner`] with fence 1), `forward` records events, `snapshot` answers the
/// snapshot set for the board. Every call fails while a failure is set; forwards wait
/// while paused.
pub struct MemoryCluster {
    default_role: Role,
    roles: Mutex<HashMap<ContestId, Role>>,
    claims: Mutex<HashMap<ContestId, usize>>,
    forwarded: Mutex<Vec<(ContestId, ContestEvent)>>,
    snapshots: Mutex<HashMap<(ContestId, View), ScoreboardSnapshot>>,
    failure: Mutex<Option<ClusterError>>,
    /// `true` while forwards are held back.
    paused: watch::Sender<bool>,
}

impl Default for MemoryCluster {
    fn default() -> Self {
        MemoryCluster::new(Role::Owner { fence: 1 })
    }
}

impl MemoryCluster {
    /// A cluster where this node's role is `default_role` for every contest not set.
    pub fn new(default_role: Role) -> MemoryCluster {
        MemoryCluster {
            default_role,
            roles: Mutex::new(HashMap::new()),
            claims: Mutex::new(HashMap::new()),
            forwarded: Mutex::new(Vec::new()),
            snapshots: Mutex::new(HashMap::new()),
            failure: Mutex::new(None),
            paused: watch::Sender::new(false),
        }
    }

    /// This node's role for `contest` from its next claim on.
    pub fn set_role(&self, contest: ContestId, role: Role) {
        self.roles
            .lock()
            .expect("not poisoned")
            .insert(contest, role);
    }

    /// How many times `contest` was claimed.
    pub fn claims(&self, contest: ContestId) -> usize {
        self.claims
            .lock()
            .expect("not poisoned")
            .get(&contest)
            .copied()
            .unwrap_or(0)
    }

    /// Every event forwarded so far, in order.
    pub fn forwarded(&self) -> Vec<(ContestId, ContestEvent)> {
        self.forwarded.lock().expect("not poisoned").clone()
    }

    /// What `snapshot` answers for a board.
    pub fn set_snapshot(&self, snapshot: ScoreboardSnapshot) {
        self.snapshots
            .lock()
            .expect("not poisoned")
            .insert((snapshot.contest_id, snapshot.view), snapshot);
    }

    /// Makes every call fail with `error` (`None`: work again).
    pub fn set_failure(&self, error: Option<ClusterError>) {
        *self.failure.lock().expect("not poisoned") = error;
    }

    /// Holds forwards back (`true`) or lets them through (`false`).
    pub fn pause_forwards(&self, paused: bool) {
        self.paused.send_replace(paused);
    }

    fn check(&self) -> Result<(), ClusterError> {
        match self.failure.lock().expect("not poisoned").clone() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

#[async_trait]
impl Cluster for MemoryCluster {
    async fn claim(&self, contest: ContestId) -> Result<Role, ClusterError> {
        self.check()?;
        *self
            .claims
            .lock()
            .expect("not poisoned")
            .entry(contest)
            .or_default() += 1;
        let roles = self.roles.lock().expect("not poisoned");
        Ok(roles.get(&contest).copied().unwrap_or(self.default_role))
    }

    async fn forward(&self, contest: ContestId, event: ContestEvent) -> Result<(), ClusterError> {
        let mut paused = self.paused.subscribe();
        let _ = paused.wait_for(|p| !*p).await;
        self.check()?;
        self.forwarded
            .lock()
            .expect("not poisoned")
            .push((contest, event));
        Ok(())
    }

    async fn snapshot(
        &self,
        contest: ContestId,
        view: View,
    ) -> Result<ScoreboardSnapshot, ClusterError> {
        self.check()?;
        self.snapshots
            .lock()
            .expect("not poisoned")
            .get(&(contest, view))
            .cloned()
            .ok_or_else(|| ClusterError::Timeout(format!("no snapshot of contest {contest}")))
    }
}
