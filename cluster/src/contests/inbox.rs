//! The owner's inbox: reading and applying what followers send, and snapshot requests
//! (asked through the inbox, answered on the asker's pub/sub channel, one in flight per
//! board on a follower).

use super::{RedisCluster, cluster_err};
use crate::wire::{FIELD, INBOX_CAP, InboxEntry, SnapshotReply, inbox};
use codehub_engine::actors::Engine;
use codehub_engine::model::ContestId;
use codehub_engine::ports::cluster::ClusterError;
use codehub_engine::scoring::ScoreboardSnapshot;
use codehub_engine::scoring::View;
use fred::prelude::*;
use fred::types::streams::{XCapKind, XCapTrim};
use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::oneshot;

/// How long a follower waits for the owner's snapshot (a takeover may be under way).
pub(super) const SNAPSHOT_TIMEOUT: Duration = Duration::from_secs(20);
/// How long a follower waits for the owner before it looks for an orphaned hot copy.
const HOT_COPY_AFTER: Duration = Duration::from_secs(1);

pub(super) type Answer = oneshot::Sender<Result<ScoreboardSnapshot, String>>;
/// Snapshot requests waiting for the owner's answer, by request id.
pub(super) type Pending = Mutex<HashMap<u64, Answer>>;
/// Who else waits for the answer to a request in flight.
pub(super) type Shared = oneshot::Sender<Result<ScoreboardSnapshot, ClusterError>>;
/// Snapshot requests in flight per board, and who else waits for the same answer.
pub(super) type InFlight = Mutex<HashMap<(ContestId, View), Vec<Shared>>>;

impl RedisCluster {
    /// The owner's work for one contest while it holds the lease: requeue the unfinished
    /// submissions, then apply the inbox in order.
    pub(super) async fn own(self: Arc<Self>, contest: ContestId, mut from: String) {
        let engine = self.engine().await;
        if let Err(e) = engine.requeue_contest(contest).await {
            tracing::warn!(contest_id = %contest, error = %e, "requeueing after takeover");
        }
        let reader = match crate::connect(&self.url).await {
            Ok(r) => r,
            Err(e) => {
                tracing::error!(contest_id = %contest, error = %e, "no inbox reader; giving the contest up");
                self.lose(contest).await;
                return;
            }
        };
        let key = inbox(contest.0);
        while self.fence(contest).is_some() {
            let read: Result<fred::types::Value, _> = reader
                .xread(Some(100), Some(1_000), key.as_str(), from.as_str())
                .await;
            let entries = match read.and_then(|v| crate::stream_entries(v, &key)) {
                Ok(entries) => entries,
                Err(e) => {
                    tracing::warn!(contest_id = %contest, error = %e, "reading the inbox");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    continue;
                }
            };
            for (id, fields) in entries {
                from = id;
                match fields
                    .get(FIELD)
                    .map(|m| serde_json::from_str::<InboxEntry>(m))
                {
                    Some(Ok(entry)) => self.handle(&engine, contest, entry).await,
                    _ => tracing::warn!(contest_id = %contest, "unreadable inbox entry skipped"),
                }
            }
        }
        let _ = reader.quit().await;
    }

    pub(super) async fn handle(&self, engine: &Engine, contest: ContestId, entry: InboxEntry) {
        match entry {
            InboxEntry::Event { event } => {
                if let Err(e) = engine.apply(contest, event).await {
                    tracing::warn!(contest_id = %contest, error = %e, "applying a forwarded event");
                }
            }
            InboxEntry::Snapshot {
                request,
                reply_to,
                view,
            } => {
                let snapshot = engine
                    .scoreboard(contest, view)
                    .await
                    .map_err(|e| e.to_string());
                let reply = SnapshotReply { request, snapshot };
                if let Ok(json) = serde_json::to_string(&reply) {
                    let _: Result<i64, _> = self.client.publish(reply_to, json).await;
                }
            }
        }
    }

    pub(super) async fn push(
        &self,
        contest: ContestId,
        entry: &InboxEntry,
    ) -> Result<(), ClusterError> {
        let json =
            serde_json::to_string(entry).map_err(|e| ClusterError::Encoding(e.to_string()))?;
        let _: String = self
            .client
            .xadd(
                inbox(contest.0),
                false,
                (XCapKind::MaxLen, XCapTrim::AlmostExact, INBOX_CAP as i64),
                "*",
                vec![(FIELD, json)],
            )
            .await
            .map_err(cluster_err)?;
        Ok(())
    }

    /// Asks the contest's owner for a snapshot through its inbox (or, while the contest
    /// has no owner, takes the hot copy).
    pub(super) async fn ask_owner(
        &self,
        contest: ContestId,
        view: View,
    ) -> Result<ScoreboardSnapshot, ClusterError> {
        let request = self.next_request.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = oneshot::channel();
        self.pending
            .lock()
            .expect("not poisoned")
            .insert(request, tx);
        let entry = InboxEntry::Snapshot {
            request,
            reply_to: self.reply_channel(),
            view,
        };
        let mut rx = rx;
        let answer = match self.push(contest, &entry).await {
            Ok(()) => {
                let started = tokio::time::Instant::now();
                loop {
                    match tokio::time::timeout(HOT_COPY_AFTER, &mut rx).await {
                        Ok(answer) => break Ok(answer),
                        Err(elapsed) => {
                            // No owner (it died; the takeover is under way): the hot copy
                            // is the latest board, and nothing newer can be published
                            // until the new owner announces its own snapshot.
                            if let Some(copy) = self.hot_copy_if_orphaned(contest, view).await {
                                break Ok(Ok(Ok(copy)));
                            }
                            if started.elapsed() >= SNAPSHOT_TIMEOUT {
                                break Err(elapsed);
                            }
                        }
                    }
                }
            }
            Err(e) => {
                self.pending.lock().expect("not poisoned").remove(&request);
                return Err(e);
            }
        };
        self.pending.lock().expect("not poisoned").remove(&request);
        match answer {
            Ok(Ok(Ok(s))) => Ok(s),
            Ok(Ok(Err(e))) => Err(ClusterError::Owner(e)),
            _ => Err(ClusterError::Timeout(format!(
                "no answer from contest {contest}'s owner within {}s",
                SNAPSHOT_TIMEOUT.as_secs()
            ))),
        }
    }

    /// An answer to one of this node's snapshot requests (from the relay's subscriber).
    pub fn deliver_reply(&self, payload: &str) {
        let Ok(reply) = serde_json::from_str::<SnapshotReply>(payload) else {
            tracing::warn!("unreadable snapshot answer");
            return;
        };
        if let Some(tx) = self
            .pending
            .lock()
            .expect("not poisoned")
            .remove(&reply.request)
        {
            let _ = tx.send(reply.snapshot);
        }
    }
}
