//! A whole scoreboard at one point of its channel: what a subscriber gets first, before
//! the deltas that follow it.

use super::{Row, View};
use crate::model::ContestId;
use serde::Serialize;

/// A full scoreboard, as sent on subscribe.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct ScoreboardSnapshot {
    /// Contest id.
    pub contest_id: ContestId,
    /// Which board.
    pub view: View,
    /// Whether the public board is frozen.
    pub frozen: bool,
    /// Problem labels, in column order.
    pub problems: Vec<String>,
    /// The channel sequence number this snapshot corresponds to.
    pub seq: u64,
    /// Rows in rank order.
    pub rows: Vec<Row>,
}
