//! Scoreboard snapshots shared by the spectators who subscribe within [`FRESH`] of each
//! other: when thousands arrive at once, the board is asked for and serialised once, not
//! once each. A shared snapshot may be a little older than the board; the subscriber
//! gets the Hub ring's messages after it, as a cluster node does with the owner's
//! snapshot (and a fresh one if the ring no longer reaches back to it). Taking the
//! snapshot is also how a subscription learns that the contest exists.

use crate::error::ApiError;
use bytes::Bytes;
use codehub_engine::actors::Engine;
use codehub_engine::actors::hub::encode_raw;
use codehub_engine::model::{ContestId, now_ms};
use codehub_engine::scoring::View;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a snapshot is shared.
pub const FRESH: Duration = Duration::from_millis(250);

/// One board's last snapshot: its `seq` and the whole message.
struct Taken {
    seq: u64,
    message: Bytes,
    at: Instant,
}

type Slot = Arc<tokio::sync::Mutex<Option<Taken>>>;

/// The last snapshot of each board and view (see the module documentation).
#[derive(Default)]
pub struct BoardSnapshots {
    slots: Mutex<HashMap<(ContestId, View), Slot>>,
}

impl BoardSnapshots {
    fn slot(&self, contest: ContestId, view: View) -> Slot {
        self.slots
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry((contest, view))
            .or_default()
            .clone()
    }

    /// The snapshot message of `channel` (the board of `contest` in `view`) and its
    /// `seq`: one taken less than [`FRESH`] ago if `share`, else a new one. Those asking
    /// while one is being taken wait for it.
    pub async fn get(
        &self,
        engine: &Engine,
        channel: &str,
        contest: ContestId,
        view: View,
        share: bool,
    ) -> Result<(u64, Bytes), ApiError> {
        let slot = self.slot(contest, view);
        let mut taken = slot.lock().await;
        if share
            && let Some(t) = taken.as_ref()
            && t.at.elapsed() < FRESH
        {
            return Ok((t.seq, t.message.clone()));
        }
        let board = match engine.scoreboard(contest, view).await {
            Ok(board) => board,
            Err(e) => {
                // No slot is kept for a board that could not be had (an unknown contest).
                if taken.is_none() {
                    self.slots
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .remove(&(contest, view));
                }
                return Err(e.into());
            }
        };
        let data = serde_json::to_string(&board).map_err(ApiError::internal)?;
        let message = encode_raw(channel, board.seq, "snapshot", now_ms(), &data);
        *taken = Some(Taken {
            seq: board.seq,
            message: message.clone(),
            at: Instant::now(),
        });
        Ok((board.seq, message))
    }
}
