//! Scoreboards (ICPC and IOI), kept up to date incrementally.
//!
//! A [`Scoreboard`] holds two boards over the same submissions: the **jury** board is
//! always live; the **public** board shows every submission made at or after
//! [`Rules::freeze_at`] as pending until [`Scoreboard::unfreeze`]. On both, a submission
//! that is queued but not judged yet is pending.
//!
//! Each team keeps its tries sorted by `(problem, at, id)`. A judgement (in any order, and
//! a rejudge replaces the earlier result of the same submission id) recomputes only the
//! affected cell from that cell's tries, updates the row's totals in O(problems), moves
//! the row in an order-statistics tree keyed by its rank key (O(log n)) and keeps a
//! per-problem set of each team's first accepted try for first-to-solve. Every operation
//! returns the [`Changes`]: exactly the teams whose row (ignoring the rank) changed on
//! each board.
//!
//! The rules of a cell are in `icpc.rs` and `ioi.rs` (see [`Cell`] for what is counted);
//! [`naive`] is the straightforward full recomputation, the oracle for tests.
//!
//! Events for a problem index `>= problem_count` are ignored (empty [`Changes`]). Any
//! other event for a team not added yet adds it first.

mod icpc;
mod ioi;
pub mod naive;
mod order;
mod snapshot;

pub use codehub_protocol::board::{Cell, Row, View};
pub use snapshot::ScoreboardSnapshot;
#[cfg(test)]
mod tests;

use crate::Verdict;
use crate::model::{Contest, ContestKind, Millis, SubmissionId, UserId};
use order::OrderedSet;
use serde::{Deserialize, Serialize};
use std::cmp::{Ordering, Reverse};
use std::collections::{BTreeSet, HashMap};

/// Scoring rules of a contest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rules {
    /// ICPC or IOI.
    pub kind: ContestKind,
    /// Problems are indexed `0..problem_count`.
    pub problem_count: usize,
    /// ICPC: penalty minutes per rejected try before the first AC (usually 20).
    pub penalty_minutes: i64,
    /// Contest-relative ms: submissions at or after it are hidden on the public board.
    pub freeze_at: Option<Millis>,
}

impl Rules {
    /// The rules of `contest` (its freeze time made relative to its start).
    pub fn for_contest(contest: &Contest) -> Rules {
        Rules {
            kind: contest.kind,
            problem_count: contest.problems.len(),
            penalty_minutes: contest.penalty_minutes,
            freeze_at: contest.freeze_at.map(|f| f - contest.start_at),
        }
    }
}

/// One judged submission, in contest-relative time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Judged {
    /// The submission.
    pub id: SubmissionId,
    /// Its author.
    pub team: UserId,
    /// Problem index in the contest.
    pub problem: usize,
    /// When submitted, ms since the contest start.
    pub at: Millis,
    /// The verdict.
    pub verdict: Verdict,
    /// IOI points (ignored for ICPC; negative or non-finite counts as 0).
    pub score: f64,
}

const VIEWS: [View; 2] = [View::Public, View::Jury];

/// The index of `view`'s board in per-board arrays.
fn board_idx(view: View) -> usize {
    match view {
        View::Public => 0,
        View::Jury => 1,
    }
}

/// Teams whose rows changed on each board after an operation (sorted, no duplicates).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// On the public board.
    pub public: Vec<UserId>,
    /// On the jury board.
    pub jury: Vec<UserId>,
}

impl Changes {
    /// The teams changed on `view`.
    pub fn on(&self, view: View) -> &[UserId] {
        match view {
            View::Public => &self.public,
            View::Jury => &self.jury,
        }
    }

    /// Whether no row changed on either board.
    pub fn is_empty(&self) -> bool {
        self.public.is_empty() && self.jury.is_empty()
    }

    fn on_mut(&mut self, view: View) -> &mut Vec<UserId> {
        match view {
            View::Public => &mut self.public,
            View::Jury => &mut self.jury,
        }
    }

    fn finish(mut self) -> Changes {
        for list in [&mut self.public, &mut self.jury] {
            list.sort_unstable();
            list.dedup();
        }
        self
    }
}

/// A judging result as kept in a try.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Outcome {
    pub(crate) verdict: Verdict,
    pub(crate) score: f64,
}

/// One submission of a team (`result` is `None` while queued).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Try {
    pub(crate) problem: usize,
    pub(crate) at: Millis,
    pub(crate) id: SubmissionId,
    pub(crate) result: Option<Outcome>,
}

impl Try {
    fn order(&self) -> (usize, Millis, SubmissionId) {
        (self.problem, self.at, self.id)
    }
}

/// A cell as computed from its tries on one board (first-to-solve aside).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Eval {
    pub(crate) attempts: u32,
    pub(crate) pending: u32,
    /// The AC that solves the cell, as `(at, id)`.
    pub(crate) first_ac: Option<(Millis, SubmissionId)>,
    /// ICPC penalty minutes of the cell.
    pub(crate) penalty: i64,
    /// IOI best score.
    pub(crate) score: f64,
}

impl Eval {
    fn solved_at(&self) -> Option<i64> {
        self.first_ac.map(|(at, _)| minute(at))
    }

    /// What a [`Cell`] shows, first-to-solve aside.
    fn shown(&self) -> (u32, u32, Option<i64>, f64) {
        (self.attempts, self.pending, self.solved_at(), self.score)
    }
}

/// A row's totals on one board.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Totals {
    pub(crate) solved: u32,
    pub(crate) penalty: i64,
    pub(crate) score: f64,
    /// ICPC: the minute of the last solve (0 if none).
    pub(crate) last_ac: i64,
}

/// A score ordered by [`f64::total_cmp`] (scores are never NaN or -0.0 here).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Points(f64);

impl PartialEq for Points {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Points {}
impl PartialOrd for Points {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Points {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// The part of the rank key that tied rows share; smaller is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Tie {
    score: Reverse<Points>,
    solved: Reverse<u32>,
    penalty: i64,
    last_ac: i64,
}

impl Tie {
    pub(crate) fn new(score: f64, solved: u32, penalty: i64, last_ac: i64) -> Tie {
        Tie {
            score: Reverse(Points(score)),
            solved: Reverse(solved),
            penalty,
            last_ac,
        }
    }
}

/// A row's place in the order: the tie key, then the team id; `slot` (the team's index)
/// never decides since team ids are unique.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct RankKey {
    tie: Tie,
    team: UserId,
    slot: usize,
}

/// The contest minute of `at` (rounded down).
pub(crate) fn minute(at: Millis) -> i64 {
    at.div_euclid(60_000)
}

/// An IOI score as counted: negative and non-finite scores are 0.
pub(crate) fn points(score: f64) -> f64 {
    if score.is_finite() && score > 0.0 {
        score
    } else {
        0.0
    }
}

/// Per problem and board: what the row totals are recomputed from.
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    minute: Option<i64>,
    best: f64,
}

#[derive(Debug, Clone)]
struct TeamState {
    id: UserId,
    /// Sorted by `(problem, at, id)`.
    tries: Vec<Try>,
    /// Per board.
    totals: [Totals; 2],
    /// `[board * problem_count + problem]`.
    slots: Box<[Slot]>,
}

/// Where a submission is.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Loc {
    team: usize,
    problem: usize,
    at: Millis,
}

#[derive(Debug, Clone)]
struct Board {
    order: OrderedSet<RankKey>,
    /// Per problem: each team's first AC as `(at, id, team)`; the first is first-to-solve.
    first: Vec<BTreeSet<(Millis, SubmissionId, UserId)>>,
}

/// The incremental scoreboard of one contest: a public and a jury board.
#[derive(Debug, Clone)]
pub struct Scoreboard {
    rules: Rules,
    unfrozen: bool,
    index: HashMap<UserId, usize>,
    teams: Vec<TeamState>,
    subs: HashMap<SubmissionId, Loc>,
    boards: [Board; 2],
}

impl Scoreboard {
    /// An empty scoreboard.
    pub fn new(rules: Rules) -> Self {
        let board = Board {
            order: OrderedSet::new(),
            first: vec![BTreeSet::new(); rules.problem_count],
        };
        Scoreboard {
            rules,
            unfrozen: false,
            index: HashMap::new(),
            teams: Vec::new(),
            subs: HashMap::new(),
            boards: [board.clone(), board],
        }
    }

    /// The rules.
    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// Adds a team with an empty row; does nothing if it is already there.
    pub fn add_team(&mut self, team: UserId) -> Changes {
        let mut changes = Changes::default();
        self.register(team, &mut changes);
        changes
    }

    /// A submission was queued: it shows as pending on both boards until judged (on the
    /// public board until unfreeze if `at >= freeze_at`). A known `id` changes nothing.
    pub fn submitted(
        &mut self,
        team: UserId,
        problem: usize,
        id: SubmissionId,
        at: Millis,
    ) -> Changes {
        let mut changes = Changes::default();
        if problem >= self.rules.problem_count {
            return changes;
        }
        let t = self.register(team, &mut changes);
        if self.subs.contains_key(&id) {
            return changes;
        }
        self.subs.insert(
            id,
            Loc {
                team: t,
                problem,
                at,
            },
        );
        let new = Try {
            problem,
            at,
            id,
            result: None,
        };
        self.touch(
            &[(t, problem)],
            |teams| insert_try(&mut teams[t].tries, new),
            &mut changes,
        );
        changes.finish()
    }

    /// A submission was judged (possibly out of order, possibly without a `submitted`
    /// first). Judging the same id again replaces the earlier result (rejudge), moving the
    /// try if its team, problem or time differ.
    pub fn judged(&mut self, j: &Judged) -> Changes {
        let mut changes = Changes::default();
        if j.problem >= self.rules.problem_count {
            return changes;
        }
        let t = self.register(j.team, &mut changes);
        let new = Try {
            problem: j.problem,
            at: j.at,
            id: j.id,
            result: Some(Outcome {
                verdict: j.verdict,
                score: j.score,
            }),
        };
        let loc = Loc {
            team: t,
            problem: j.problem,
            at: j.at,
        };
        match self.subs.insert(j.id, loc) {
            None => self.touch(
                &[(t, j.problem)],
                |teams| insert_try(&mut teams[t].tries, new),
                &mut changes,
            ),
            Some(old) if old.team == t && old.problem == j.problem => self.touch(
                &[(t, j.problem)],
                |teams| {
                    remove_try(&mut teams[t].tries, old.problem, old.at, j.id);
                    insert_try(&mut teams[t].tries, new);
                },
                &mut changes,
            ),
            Some(old) => self.touch(
                &[(old.team, old.problem), (t, j.problem)],
                |teams| {
                    remove_try(&mut teams[old.team].tries, old.problem, old.at, j.id);
                    insert_try(&mut teams[t].tries, new);
                },
                &mut changes,
            ),
        }
        changes.finish()
    }

    /// Publishes everything: the public board becomes the jury board and stays live from
    /// now on. O(n + submissions).
    pub fn unfreeze(&mut self) -> Changes {
        let mut changes = Changes::default();
        if self.unfrozen {
            return changes;
        }
        if self.rules.freeze_at.is_some() {
            for t in 0..self.teams.len() {
                if self.build_row(t, View::Public, 0) != self.build_row(t, View::Jury, 0) {
                    changes.public.push(self.teams[t].id);
                }
            }
        }
        self.unfrozen = true;
        self.boards[0] = self.boards[1].clone();
        let p = self.rules.problem_count;
        for team in &mut self.teams {
            team.totals[0] = team.totals[1];
            team.slots.copy_within(p..2 * p, 0);
        }
        changes.finish()
    }

    /// Whether the public board hides submissions from `freeze_at` on (a freeze time is
    /// set and [`Scoreboard::unfreeze`] has not been called).
    pub fn is_frozen(&self) -> bool {
        self.rules.freeze_at.is_some() && !self.unfrozen
    }

    /// `team`'s row on `view`, with its rank (O(log n) plus the team's tries).
    pub fn row(&self, view: View, team: UserId) -> Option<Row> {
        let &t = self.index.get(&team)?;
        let below = RankKey {
            tie: self.key(t, view).tie,
            team: UserId(i64::MIN),
            slot: 0,
        };
        let rank = self.boards[board_idx(view)].order.count_less(&below) + 1;
        Some(self.build_row(t, view, rank))
    }

    /// All rows of `view`, best first.
    pub fn rows(&self, view: View) -> Vec<Row> {
        let mut rows = Vec::with_capacity(self.teams.len());
        let mut rank = 0;
        let mut previous = None;
        for (i, key) in self.boards[board_idx(view)].order.iter().enumerate() {
            if previous != Some(key.tie) {
                rank = i + 1;
                previous = Some(key.tie);
            }
            rows.push(self.build_row(key.slot, view, rank));
        }
        rows
    }

    /// The number of teams.
    pub fn team_count(&self) -> usize {
        self.teams.len()
    }

    fn register(&mut self, team: UserId, changes: &mut Changes) -> usize {
        if let Some(&t) = self.index.get(&team) {
            return t;
        }
        let t = self.teams.len();
        self.index.insert(team, t);
        self.teams.push(TeamState {
            id: team,
            tries: Vec::new(),
            totals: [Totals::default(); 2],
            slots: vec![Slot::default(); 2 * self.rules.problem_count].into_boxed_slice(),
        });
        for view in VIEWS {
            let key = self.key(t, view);
            self.boards[board_idx(view)].order.insert(key);
            changes.on_mut(view).push(team);
        }
        t
    }

    fn key(&self, t: usize, view: View) -> RankKey {
        let team = &self.teams[t];
        let totals = &team.totals[board_idx(view)];
        let tie = match self.rules.kind {
            ContestKind::Icpc => icpc::tie(totals),
            ContestKind::Ioi => ioi::tie(totals),
        };
        RankKey {
            tie,
            team: team.id,
            slot: t,
        }
    }

    fn holder(&self, view: View, problem: usize) -> Option<UserId> {
        self.boards[board_idx(view)].first[problem]
            .first()
            .map(|&(_, _, team)| team)
    }

    fn eval_tries(&self, tries: &[Try], view: View) -> Eval {
        let hide_from = match view {
            View::Public if !self.unfrozen => self.rules.freeze_at,
            _ => None,
        };
        let revealed = |t: &Try| match hide_from {
            Some(f) if t.at >= f => None,
            _ => t.result,
        };
        match self.rules.kind {
            ContestKind::Icpc => icpc::eval(tries, revealed, self.rules.penalty_minutes),
            ContestKind::Ioi => ioi::eval(tries, revealed),
        }
    }

    fn eval(&self, t: usize, problem: usize, view: View) -> Eval {
        let tries = &self.teams[t].tries;
        let start = tries.partition_point(|x| x.problem < problem);
        let len = tries[start..].partition_point(|x| x.problem == problem);
        self.eval_tries(&tries[start..start + len], view)
    }

    /// Applies `edit` to the tries of the given cells (at most two, distinct) and brings
    /// totals, order, first-to-solve and `changes` up to date.
    fn touch(
        &mut self,
        cells: &[(usize, usize)],
        edit: impl FnOnce(&mut [TeamState]),
        changes: &mut Changes,
    ) {
        let mut before = [[Eval::default(); 2]; 2];
        let mut holders = [[None; 2]; 2];
        for (i, &(t, p)) in cells.iter().enumerate() {
            for view in VIEWS {
                before[i][board_idx(view)] = self.eval(t, p, view);
                holders[i][board_idx(view)] = self.holder(view, p);
            }
        }
        edit(&mut self.teams);
        let mut after = [[Eval::default(); 2]; 2];
        for (i, &(t, p)) in cells.iter().enumerate() {
            for view in VIEWS {
                let new = self.eval(t, p, view);
                after[i][board_idx(view)] = new;
                let old = before[i][board_idx(view)];
                if new != old {
                    self.apply(t, p, view, &old, &new);
                }
            }
        }
        for (i, &(t, p)) in cells.iter().enumerate() {
            let team = self.teams[t].id;
            for view in VIEWS {
                let v = board_idx(view);
                let (was, is) = (holders[i][v], self.holder(view, p));
                let list = changes.on_mut(view);
                if was != is {
                    list.extend(was);
                    list.extend(is);
                }
                if before[i][v].shown() != after[i][v].shown() {
                    list.push(team);
                }
            }
        }
    }

    /// Records that cell `(t, p)` on `view` went from `old` to `new`.
    fn apply(&mut self, t: usize, p: usize, view: View, old: &Eval, new: &Eval) {
        let team = self.teams[t].id;
        let old_key = self.key(t, view);
        let board = &mut self.boards[board_idx(view)];
        if old.first_ac != new.first_ac {
            if let Some((at, id)) = old.first_ac {
                board.first[p].remove(&(at, id, team));
            }
            if let Some((at, id)) = new.first_ac {
                board.first[p].insert((at, id, team));
            }
        }
        let n = self.rules.problem_count;
        let state = &mut self.teams[t];
        let slots = &mut state.slots[board_idx(view) * n..(board_idx(view) + 1) * n];
        slots[p] = Slot {
            minute: new.solved_at(),
            best: new.score,
        };
        let totals = &mut state.totals[board_idx(view)];
        totals.solved =
            totals.solved + u32::from(new.first_ac.is_some()) - u32::from(old.first_ac.is_some());
        totals.penalty = totals
            .penalty
            .wrapping_sub(old.penalty)
            .wrapping_add(new.penalty);
        match self.rules.kind {
            ContestKind::Icpc => totals.last_ac = icpc::last_ac(slots.iter().map(|s| s.minute)),
            ContestKind::Ioi => totals.score = ioi::total(slots.iter().map(|s| s.best)),
        }
        let new_key = self.key(t, view);
        if new_key != old_key {
            let order = &mut self.boards[board_idx(view)].order;
            order.remove(&old_key);
            order.insert(new_key);
        }
    }

    fn build_row(&self, t: usize, view: View, rank: usize) -> Row {
        let team = &self.teams[t];
        let mut rest = &team.tries[..];
        let cells = (0..self.rules.problem_count)
            .map(|p| {
                let (mine, tail) = rest.split_at(rest.partition_point(|x| x.problem == p));
                rest = tail;
                let e = self.eval_tries(mine, view);
                Cell {
                    attempts: e.attempts,
                    pending: e.pending,
                    solved: e.first_ac.is_some(),
                    solved_at_min: e.solved_at(),
                    first_to_solve: self.holder(view, p) == Some(team.id),
                    score: e.score,
                }
            })
            .collect();
        let totals = &team.totals[board_idx(view)];
        Row {
            team: team.id,
            rank,
            solved: totals.solved,
            penalty: totals.penalty,
            score: totals.score,
            cells,
        }
    }
}

fn insert_try(tries: &mut Vec<Try>, new: Try) {
    let at = tries.partition_point(|x| x.order() < new.order());
    tries.insert(at, new);
}

fn remove_try(tries: &mut Vec<Try>, problem: usize, at: Millis, id: SubmissionId) {
    let i = tries.partition_point(|x| x.order() < (problem, at, id));
    if tries.get(i).is_some_and(|x| x.id == id) {
        tries.remove(i);
    }
}
