//! Contest ownership across nodes: the engine's [`Cluster`] port on Redis and PostgreSQL.
//!
//! - A contest's owner holds its **lease** (`SET NX PX`, renewed every third of its life
//!   by a script that checks the value is still ours) and a **fencing token** from the
//!   store (`Store::advance_fence`, larger for every new owner; the owner's judgements are
//!   stored only with the latest token).
//! - Followers put events and snapshot requests on the contest's **inbox** stream; the
//!   owner reads it in order and answers snapshot requests on the asker's pub/sub channel.
//! - Every node **watches** the leases of all known contests: a lease that expired (its
//!   owner died) is taken by the first node to see it, which rebuilds the board from the
//!   store, requeues the unfinished submissions and reads the inbox from a little before
//!   the takeover (replayed events are idempotent; pending snapshot requests get answers).
//! - PostgreSQL is the source of truth a new owner rebuilds from; Redis holds a **hot
//!   copy** of each owned board (refreshed every second when it changed), which followers
//!   serve while a contest has no owner.

mod hot_copy;
mod inbox;

use self::inbox::{InFlight, Pending, SNAPSHOT_TIMEOUT};
use super::wire::{CONTESTS, InboxEntry, PubSubNames, lease};
use async_trait::async_trait;
use codehub_engine::actors::Engine;
use codehub_engine::model::{ContestId, now_ms};
use codehub_engine::ports::cluster::{Cluster, ClusterError, ContestEvent, Role};
use codehub_engine::ports::store::Store;
use codehub_engine::scoring::ScoreboardSnapshot;
use codehub_engine::scoring::View;
use fred::prelude::*;
use fred::types::{Expiration, SetOptions};
use std::collections::HashMap;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

/// Renews a lease if it is still ours.
const RENEW: &str = "if redis.call('GET', KEYS[1]) == ARGV[1] then \
    return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";
/// Deletes a lease if it is still ours.
const RELEASE: &str = "if redis.call('GET', KEYS[1]) == ARGV[1] then \
    return redis.call('DEL', KEYS[1]) else return 0 end";
/// How often an owner requeues unfinished submissions it may not have heard of.
const RECONCILE_EVERY: Duration = Duration::from_secs(10);

/// A Redis failure as the port's [`ClusterError::Unavailable`].
fn cluster_err(e: impl std::fmt::Display) -> ClusterError {
    metrics::counter!("codehub_redis_errors_total", "op" => "contests").increment(1);
    ClusterError::Unavailable(e.to_string())
}

/// Contest ownership on Redis (leases, inboxes) with fencing tokens from the store.
pub struct RedisCluster {
    url: String,
    client: Client,
    /// This process's lease value: node id and a random instance tag.
    member: String,
    store: Arc<dyn Store>,
    engine: OnceLock<Engine>,
    /// Contests this node owns, with their fencing tokens.
    held: Mutex<HashMap<ContestId, u64>>,
    /// Snapshot requests waiting for the owner's answer.
    pending: Pending,
    /// One request per board at a time: a thousand spectators arriving together (or
    /// resyncing after a reconnect) cost the owner one snapshot, not a thousand.
    in_flight: InFlight,
    next_request: AtomicU64,
    lease_ms: u64,
    names: PubSubNames,
}

impl RedisCluster {
    /// On the node's Redis client (`url` is for the blocking readers it opens); call
    /// [`RedisCluster::run`] once the engine exists.
    pub fn new(
        client: Client,
        url: &str,
        node: &str,
        store: Arc<dyn Store>,
        lease: Duration,
    ) -> anyhow::Result<Arc<RedisCluster>> {
        let mut raw = [0u8; 4];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut raw);
        Ok(Arc::new(RedisCluster {
            url: url.to_owned(),
            client,
            member: format!("{node}/{}", hex::encode(raw)),
            store,
            engine: OnceLock::new(),
            held: Mutex::new(HashMap::new()),
            pending: Mutex::new(HashMap::new()),
            in_flight: Mutex::new(HashMap::new()),
            next_request: AtomicU64::new(1),
            lease_ms: lease.as_millis().max(300) as u64,
            names: PubSubNames::for_url(url)?,
        }))
    }

    /// This process's member name (lease value, reply channel).
    pub fn member(&self) -> &str {
        &self.member
    }

    /// The pub/sub channel of this node's snapshot answers.
    pub fn reply_channel(&self) -> String {
        self.names.rpc_replies(&self.member)
    }

    /// Pub/sub channel names of this cluster.
    pub fn names(&self) -> &PubSubNames {
        &self.names
    }

    /// Starts renewing leases and watching for contests without an owner.
    pub fn run(self: &Arc<Self>, engine: Engine) {
        let _ = self.engine.set(engine);
        tokio::spawn(self.clone().renew_loop());
        tokio::spawn(self.clone().watch_loop());
        tokio::spawn(self.clone().hot_copy_loop());
        tokio::spawn(self.clone().reconcile_loop());
    }

    /// Now and then an owner requeues its contests' unfinished submissions from the store:
    /// a follower that stored a submission but could not forward it (Redis unreachable
    /// longer than its command timeout) is caught up within this period.
    async fn reconcile_loop(self: Arc<Self>) {
        loop {
            tokio::time::sleep(RECONCILE_EVERY).await;
            let engine = self.engine().await;
            for c in self.owned() {
                if let Err(e) = engine.requeue_contest(c).await {
                    tracing::warn!(contest_id = %c, error = %e, "reconciling with the store");
                }
            }
        }
    }

    /// Contests this node owns now.
    pub fn owned(&self) -> Vec<ContestId> {
        self.held
            .lock()
            .expect("not poisoned")
            .keys()
            .copied()
            .collect()
    }

    fn fence(&self, contest: ContestId) -> Option<u64> {
        self.held
            .lock()
            .expect("not poisoned")
            .get(&contest)
            .copied()
    }

    async fn engine(&self) -> Engine {
        loop {
            if let Some(e) = self.engine.get() {
                return e.clone();
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Takes the contest's lease if nobody holds it; returns the new fencing token.
    async fn try_acquire(
        self: &Arc<Self>,
        contest: ContestId,
    ) -> Result<Option<u64>, ClusterError> {
        // Where to read the inbox from: before the board is rebuilt, and far enough back
        // that snapshot requests made while nobody owned the contest (the old owner's last
        // moments, the takeover) are still answered. Replayed events are idempotent, and
        // older ones are in the store already (followers store before they forward).
        let from = format!(
            "{}-0",
            (now_ms() - SNAPSHOT_TIMEOUT.as_millis() as i64).max(0)
        );
        let taken: Option<String> = self
            .client
            .set(
                lease(contest.0),
                self.member.as_str(),
                Some(Expiration::PX(self.lease_ms as i64)),
                Some(SetOptions::NX),
                false,
            )
            .await
            .map_err(cluster_err)?;
        if taken.is_none() {
            return Ok(None);
        }
        let fence = match self.store.advance_fence(contest).await {
            Ok(f) => f,
            Err(e) => {
                self.release(contest).await;
                return Err(ClusterError::Store(e));
            }
        };
        self.held
            .lock()
            .expect("not poisoned")
            .insert(contest, fence);
        let _: Result<i64, _> = self.client.sadd(CONTESTS, contest.0).await;
        tracing::info!(contest_id = %contest, fence, member = %self.member, "took the contest's lease");
        metrics::counter!("codehub_cluster_leases_acquired_total").increment(1);
        tokio::spawn(self.clone().own(contest, from));
        Ok(Some(fence))
    }

    async fn release(&self, contest: ContestId) {
        let _: Result<i64, _> = self
            .client
            .eval(RELEASE, vec![lease(contest.0)], vec![self.member.clone()])
            .await;
    }

    /// Gives up every lease (graceful shutdown: another node takes over at once).
    pub async fn release_all(&self) {
        let owned: Vec<ContestId> = self
            .held
            .lock()
            .expect("not poisoned")
            .drain()
            .map(|(c, _)| c)
            .collect();
        for c in owned {
            self.release(c).await;
        }
    }

    /// Stops acting as the contest's owner; its actor restarts as a follower.
    async fn lose(&self, contest: ContestId) {
        if self
            .held
            .lock()
            .expect("not poisoned")
            .remove(&contest)
            .is_none()
        {
            return;
        }
        tracing::warn!(contest_id = %contest, "lost the contest's lease");
        metrics::counter!("codehub_cluster_leases_lost_total").increment(1);
        if let Some(engine) = self.engine.get()
            && let Err(e) = engine.reassign(contest).await
        {
            tracing::warn!(contest_id = %contest, error = %e, "restarting as follower");
        }
    }

    async fn renew_loop(self: Arc<Self>) {
        let period = Duration::from_millis(self.lease_ms / 3);
        let mut renewed: HashMap<ContestId, Instant> = HashMap::new();
        loop {
            tokio::time::sleep(period).await;
            let held: Vec<ContestId> = self.owned();
            renewed.retain(|c, _| held.contains(c));
            for c in held {
                let last = *renewed.entry(c).or_insert_with(Instant::now);
                // Bounded: a renewal that would come back after the lease ran out is useless.
                let r: Result<i64, String> = tokio::time::timeout(
                    period,
                    self.client.eval(
                        RENEW,
                        vec![lease(c.0)],
                        vec![self.member.clone(), self.lease_ms.to_string()],
                    ),
                )
                .await
                .map_err(|_| "no answer in time".to_owned())
                .and_then(|r| r.map_err(|e| e.to_string()));
                match r {
                    Ok(1) => {
                        renewed.insert(c, Instant::now());
                    }
                    Ok(_) => self.lose(c).await,
                    // Unreachable Redis: the lease runs out there too, so stop owning.
                    Err(e) if last.elapsed() >= Duration::from_millis(self.lease_ms) => {
                        tracing::warn!(contest_id = %c, error = %e, "cannot renew the lease");
                        self.lose(c).await;
                    }
                    Err(_) => {}
                }
            }
        }
    }

    /// Takes over contests whose lease has expired (their owner died).
    async fn watch_loop(self: Arc<Self>) {
        let period = Duration::from_millis((self.lease_ms / 4).clamp(100, 1_000));
        loop {
            tokio::time::sleep(period).await;
            let known: Result<Vec<i64>, _> = self.client.smembers(CONTESTS).await;
            let Ok(known) = known else { continue };
            for c in known.into_iter().map(ContestId) {
                if self.fence(c).is_some() {
                    continue;
                }
                let exists: Result<i64, _> = self.client.exists(lease(c.0)).await;
                if exists != Ok(0) {
                    continue;
                }
                match self.try_acquire(c).await {
                    Ok(Some(_)) => {
                        metrics::counter!("codehub_cluster_takeovers_total").increment(1);
                        let engine = self.engine().await;
                        if let Err(e) = engine.reassign(c).await {
                            tracing::warn!(contest_id = %c, error = %e, "starting as owner");
                        }
                    }
                    Ok(None) => {}
                    Err(e) => tracing::warn!(contest_id = %c, error = %e, "taking over"),
                }
            }
        }
    }

    /// Resynchronises what this node owns from the store (after Redis came back: events
    /// forwarded meanwhile may be lost).
    pub async fn resync_owned(&self) {
        let engine = self.engine().await;
        for c in self.owned() {
            if let Err(e) = engine.contest_updated(c).await {
                tracing::warn!(contest_id = %c, error = %e, "reloading after reconnect");
            }
            if let Err(e) = engine.requeue_contest(c).await {
                tracing::warn!(contest_id = %c, error = %e, "requeueing after reconnect");
            }
        }
    }
}

/// The engine's handle on [`RedisCluster`].
pub struct ClusterPort(pub Arc<RedisCluster>);

#[async_trait]
impl Cluster for ClusterPort {
    async fn claim(&self, contest: ContestId) -> Result<Role, ClusterError> {
        if let Some(fence) = self.0.fence(contest) {
            return Ok(Role::Owner { fence });
        }
        // Bounded: a node cut off from Redis must not hold its contests' actors for the
        // client's whole command timeout (a lease not recorded here simply expires).
        let limit = Duration::from_millis(self.0.lease_ms);
        let acquired = tokio::time::timeout(limit, self.0.try_acquire(contest))
            .await
            .map_err(|_| ClusterError::Timeout("Redis did not answer in time".into()))??;
        Ok(match acquired {
            Some(fence) => Role::Owner { fence },
            None => Role::Follower,
        })
    }

    async fn forward(&self, contest: ContestId, event: ContestEvent) -> Result<(), ClusterError> {
        self.0.push(contest, &InboxEntry::Event { event }).await
    }

    async fn snapshot(
        &self,
        contest: ContestId,
        view: View,
    ) -> Result<ScoreboardSnapshot, ClusterError> {
        let key = (contest, view);
        let waiting = {
            let mut in_flight = self.0.in_flight.lock().expect("not poisoned");
            match in_flight.get_mut(&key) {
                Some(others) => {
                    let (tx, rx) = oneshot::channel();
                    others.push(tx);
                    Some(rx)
                }
                None => {
                    in_flight.insert(key, Vec::new());
                    None
                }
            }
        };
        if let Some(rx) = waiting {
            return match rx.await {
                Ok(answer) => answer,
                Err(_) => Err(ClusterError::Unavailable(
                    "the shared snapshot request was dropped".into(),
                )),
            };
        }
        let answer = self.0.ask_owner(contest, view).await;
        let others = self
            .0
            .in_flight
            .lock()
            .expect("not poisoned")
            .remove(&key)
            .unwrap_or_default();
        for tx in others {
            let _ = tx.send(answer.clone());
        }
        answer
    }
}
