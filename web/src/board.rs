//! The live scoreboard's state: a snapshot kept in rank order while deltas arrive.
//!
//! A delta carries only the rows that changed (with their new rank); the other rows'
//! ranks shift implicitly. The board re-sorts with the server's order — ICPC: solved
//! (more first), penalty, last solve minute; IOI: total score — then team id, and
//! recomputes shared ranks, so every row's rank matches what the server would send.

use codehub_protocol::board::{Cell, Delta, Row, Snapshot};
use codehub_protocol::{ContestKind, UserId};
use std::cmp::Ordering;
use std::collections::HashMap;
use std::ops::Range;

/// A scoreboard in rank order.
#[derive(Debug, Clone, PartialEq)]
pub struct Board {
    kind: ContestKind,
    /// Problem labels.
    pub problems: Vec<String>,
    /// Whether the (public) board is frozen.
    pub frozen: bool,
    /// The last applied sequence number.
    pub seq: u64,
    rows: Vec<Row>,
    position: HashMap<UserId, usize>,
}

fn last_solve(row: &Row) -> i64 {
    row.cells
        .iter()
        .filter(|c| c.solved)
        .filter_map(|c| c.solved_at_min)
        .max()
        .unwrap_or(0)
}

fn points(score: f64) -> f64 {
    if score.is_finite() && score > 0.0 {
        score
    } else {
        0.0
    }
}

/// How two rows compare, ignoring the team (equal = tied, sharing a rank).
fn tie(kind: ContestKind, a: &Row, b: &Row) -> Ordering {
    match kind {
        ContestKind::Icpc => b
            .solved
            .cmp(&a.solved)
            .then(a.penalty.cmp(&b.penalty))
            .then(last_solve(a).cmp(&last_solve(b))),
        ContestKind::Ioi => points(b.score).total_cmp(&points(a.score)),
    }
}

impl Board {
    /// A board from a snapshot.
    pub fn new(kind: ContestKind, snapshot: Snapshot) -> Board {
        let mut board = Board {
            kind,
            problems: snapshot.problems,
            frozen: snapshot.frozen,
            seq: snapshot.seq,
            rows: snapshot.rows,
            position: HashMap::new(),
        };
        board.reorder();
        board
    }

    /// Applies a delta with sequence number `seq`; returns the teams whose row changed.
    ///
    /// Each changed row is moved to its place by binary search, and ranks and positions
    /// are recomputed only where they can have changed (from the first moved place until
    /// ranks agree again past the last), so a delta costs O(moved span), not a full sort.
    pub fn apply(&mut self, seq: u64, delta: Delta) -> Vec<UserId> {
        self.seq = seq;
        self.frozen = delta.frozen;
        let kind = self.kind;
        let mut changed = Vec::with_capacity(delta.rows.len());
        let (mut lo, mut hi) = (usize::MAX, 0);
        for row in delta.rows {
            changed.push(row.team);
            let old = self.position.get(&row.team).copied();
            if let Some(old) = old {
                self.rows.remove(old);
            }
            let at = self.rows.partition_point(|r| {
                tie(kind, r, &row).then(r.team.cmp(&row.team)) == Ordering::Less
            });
            self.rows.insert(at, row);
            // Only the rows between the old and the new place moved (a new team shifts
            // everything after its place).
            let (from, to) = match old {
                Some(old) => (old.min(at), old.max(at)),
                None => (at, self.rows.len() - 1),
            };
            for i in from..=to {
                self.position.insert(self.rows[i].team, i);
            }
            lo = lo.min(from);
            hi = hi.max(to);
        }
        if lo == usize::MAX {
            return changed;
        }
        for i in lo..self.rows.len() {
            let rank = if i == 0 || tie(kind, &self.rows[i - 1], &self.rows[i]) != Ordering::Equal {
                i + 1
            } else {
                self.rows[i - 1].rank
            };
            if i > hi + 1 && self.rows[i].rank == rank {
                break;
            }
            self.rows[i].rank = rank;
        }
        changed
    }

    /// Sorts everything and recomputes all ranks and positions (after a snapshot).
    fn reorder(&mut self) {
        let kind = self.kind;
        self.rows
            .sort_by(|a, b| tie(kind, a, b).then(a.team.cmp(&b.team)));
        let mut rank = 0;
        for i in 0..self.rows.len() {
            if i == 0 || tie(kind, &self.rows[i - 1], &self.rows[i]) != Ordering::Equal {
                rank = i + 1;
            }
            self.rows[i].rank = rank;
        }
        self.position = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| (r.team, i))
            .collect();
    }

    /// The scoring family.
    pub fn kind(&self) -> ContestKind {
        self.kind
    }

    /// Rows in rank order.
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// `team`'s row.
    pub fn row(&self, team: UserId) -> Option<&Row> {
        self.position.get(&team).map(|&i| &self.rows[i])
    }

    /// `team`'s 0-based place in the order.
    pub fn position(&self, team: UserId) -> Option<usize> {
        self.position.get(&team).copied()
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// The rows to render for a scroll position: those in view plus `overscan` on each side.
pub fn window(
    rows: usize,
    scroll_top: f64,
    height: f64,
    row_height: f64,
    overscan: usize,
) -> Range<usize> {
    if rows == 0 || row_height <= 0.0 {
        return 0..0;
    }
    let first = (scroll_top.max(0.0) / row_height).floor() as usize;
    let last = ((scroll_top.max(0.0) + height.max(0.0)) / row_height).ceil() as usize;
    let start = first.saturating_sub(overscan).min(rows);
    let end = (last + overscan).min(rows);
    start..end.max(start)
}

/// What an ICPC cell shows: tries and solve minute (`3 / 41`), or `?` pending.
pub fn icpc_cell_text(cell: &Cell) -> String {
    match (cell.solved, cell.attempts, cell.pending) {
        (true, a, _) => format!("{a} / {}", cell.solved_at_min.unwrap_or(0)),
        (false, 0, 0) => String::new(),
        (false, a, 0) => format!("{a}"),
        (false, a, p) => format!("{a} + {p}?"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(solved_at: Option<i64>, attempts: u32, pending: u32) -> Cell {
        Cell {
            attempts,
            pending,
            solved: solved_at.is_some(),
            solved_at_min: solved_at,
            first_to_solve: false,
            score: 0.0,
        }
    }

    fn row(team: i64, solved: u32, penalty: i64, cells: Vec<Cell>) -> Row {
        Row {
            team: UserId(team),
            rank: 0,
            solved,
            penalty,
            score: 0.0,
            cells,
        }
    }

    #[test]
    fn window_covers_the_view_plus_overscan() {
        assert_eq!(window(2000, 0.0, 700.0, 35.0, 5), 0..25);
        assert_eq!(window(2000, 3500.0, 700.0, 35.0, 5), 95..125);
        assert_eq!(window(10, 3500.0, 700.0, 35.0, 5), 10..10);
        assert_eq!(window(0, 0.0, 700.0, 35.0, 5), 0..0);
        assert_eq!(window(2000, 69_300.0, 700.0, 35.0, 5), 1975..2000);
    }

    #[test]
    fn icpc_cells_read_like_a_board() {
        assert_eq!(icpc_cell_text(&cell(Some(41), 3, 0)), "3 / 41");
        assert_eq!(icpc_cell_text(&cell(None, 2, 0)), "2");
        assert_eq!(icpc_cell_text(&cell(None, 1, 2)), "1 + 2?");
        assert_eq!(icpc_cell_text(&cell(None, 0, 0)), "");
    }

    #[test]
    fn ties_share_ranks_and_last_solve_breaks_ties() {
        let snap = Snapshot {
            contest_id: codehub_protocol::ContestId(1),
            view: codehub_protocol::View::Public,
            frozen: false,
            problems: vec!["A".into(), "B".into()],
            seq: 3,
            rows: vec![
                row(7, 1, 20, vec![cell(Some(20), 1, 0), cell(None, 0, 0)]),
                row(5, 1, 20, vec![cell(None, 0, 0), cell(Some(20), 1, 0)]),
                row(9, 1, 20, vec![cell(Some(10), 1, 0), cell(None, 1, 0)]),
                row(2, 0, 0, vec![cell(None, 0, 0), cell(None, 0, 0)]),
            ],
        };
        let board = Board::new(ContestKind::Icpc, snap);
        let order: Vec<(i64, usize)> = board.rows().iter().map(|r| (r.team.0, r.rank)).collect();
        // 9 solved at minute 10 (with 10 min of penalty from B? no: penalty equal, last
        // solve 10 < 20); 5 and 7 tie and share rank 2, ordered by team id.
        assert_eq!(order, vec![(9, 1), (5, 2), (7, 2), (2, 4)]);
        assert_eq!(board.position(UserId(7)), Some(2));
    }
}
