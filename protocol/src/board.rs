//! Scoreboards on the wire: rows and cells, the snapshot a subscriber gets first, and the
//! deltas that follow it (`contest/{id}/scoreboard[/jury]`).

use crate::ids::{ContestId, UserId};
use serde::{Deserialize, Serialize};

/// Which board.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum View {
    /// What everyone sees: frozen submissions show as pending.
    Public,
    /// What the jury sees: always live.
    Jury,
}

impl View {
    /// The wire name (`public` or `jury`, as in `?view=`).
    pub fn as_str(self) -> &'static str {
        match self {
            View::Public => "public",
            View::Jury => "jury",
        }
    }
}

/// One problem cell of a row.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Cell {
    /// Tries counted (CE and JE never count; pending ones are in `pending`). ICPC: up to
    /// and including the first AC, or all if unsolved. IOI: all.
    pub attempts: u32,
    /// Tries not judged yet or hidden by the freeze (ICPC: only those before the first
    /// revealed AC).
    pub pending: u32,
    /// Whether some revealed try is AC.
    pub solved: bool,
    /// Contest minute (rounded down) of the first AC.
    pub solved_at_min: Option<i64>,
    /// Whether this team's first AC is the earliest of all teams (by `at`, then id).
    pub first_to_solve: bool,
    /// IOI: the best score (0 for ICPC).
    pub score: f64,
}

/// One row of a board.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Row {
    /// The team.
    pub team: UserId,
    /// 1-based; tied rows share a rank (1, 2, 2, 4).
    pub rank: usize,
    /// Problems solved.
    pub solved: u32,
    /// ICPC penalty minutes (0 for IOI).
    pub penalty: i64,
    /// IOI total (0 for ICPC).
    pub score: f64,
    /// One cell per problem.
    pub cells: Vec<Cell>,
}

/// A whole scoreboard at one point of its channel: what a subscriber gets first (message
/// type `snapshot`), and what `GET /api/contests/{id}/scoreboard` answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Snapshot {
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

/// The rows that changed, with their new ranks (message type `delta`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Delta {
    /// Whether the public board is frozen.
    pub frozen: bool,
    /// The changed rows.
    pub rows: Vec<Row>,
}

/// A team's display name (`GET /api/contests/{id}/teams`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Team {
    /// User id (the `team` of scoreboard rows).
    pub id: UserId,
    /// Display name.
    pub name: String,
}
