//! Hot copies: an owner keeps each of its boards in Redis, and followers serve that copy
//! to new spectators while the contest has no owner (PostgreSQL stays the source of
//! truth: a new owner rebuilds from it, never from the copy).

use super::RedisCluster;
use crate::wire::lease;
use codehub_engine::actors::hub::HubMsg;
use codehub_engine::actors::leaderboard::{jury_channel, public_channel};
use codehub_engine::model::ContestId;
use codehub_engine::scoring::ScoreboardSnapshot;
use codehub_engine::scoring::View;
use fred::prelude::*;
use fred::types::Expiration;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// How often an owner refreshes the hot copies of its boards (when they changed).
const HOT_COPY_EVERY: Duration = Duration::from_secs(1);
/// How long a hot copy outlives its last refresh.
const HOT_COPY_TTL_MS: i64 = 10 * 60_000;

/// The Redis key of a contest board's hot copy.
fn hot_copy(contest: ContestId, view: View) -> String {
    format!("codehub:board:{}:{}", contest.0, view.as_str())
}

impl RedisCluster {
    /// Keeps a copy of each owned board in Redis (written when its `seq` moved), for
    /// followers while a contest has no owner.
    pub(super) async fn hot_copy_loop(self: Arc<Self>) {
        let mut written: HashMap<(ContestId, View), u64> = HashMap::new();
        loop {
            tokio::time::sleep(HOT_COPY_EVERY).await;
            let engine = self.engine().await;
            let owned = self.owned();
            written.retain(|(c, _), _| owned.contains(c));
            for c in owned {
                for view in [View::Public, View::Jury] {
                    let channel = match view {
                        View::Public => public_channel(c),
                        View::Jury => jury_channel(c),
                    };
                    let seq = ractor::call_t!(engine.hub(), HubMsg::LastSeq, 5_000, channel);
                    let Ok(seq) = seq else { continue };
                    if written.get(&(c, view)) == Some(&seq) {
                        continue;
                    }
                    let Ok(snapshot) = engine.scoreboard(c, view).await else {
                        continue;
                    };
                    let Ok(json) = serde_json::to_string(&snapshot) else {
                        continue;
                    };
                    let set: Result<(), Error> = self
                        .client
                        .set(
                            hot_copy(c, view),
                            json,
                            Some(Expiration::PX(HOT_COPY_TTL_MS)),
                            None,
                            false,
                        )
                        .await;
                    if set.is_ok() {
                        written.insert((c, view), snapshot.seq);
                    }
                }
            }
        }
    }

    /// The hot copy of a board whose contest has no owner right now.
    pub(super) async fn hot_copy_if_orphaned(
        &self,
        contest: ContestId,
        view: View,
    ) -> Option<ScoreboardSnapshot> {
        let owned: Result<i64, Error> = self.client.exists(lease(contest.0)).await;
        if owned != Ok(0) {
            return None;
        }
        let copy: Option<String> = self.client.get(hot_copy(contest, view)).await.ok()?;
        serde_json::from_str(&copy?).ok()
    }
}
