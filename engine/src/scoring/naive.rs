//! The obvious full recomputation of a board from every event, written independently of
//! the incremental [`Scoreboard`](super::Scoreboard): the oracle for tests and for
//! end-to-end consistency checks. O(submissions · log + teams · problems).

use super::{Cell, Judged, Row, Rules, View};
use crate::Verdict;
use crate::model::{ContestKind, Millis, SubmissionId, UserId};
use std::collections::{BTreeSet, HashMap};

struct Sub {
    team: UserId,
    problem: usize,
    at: Millis,
    id: SubmissionId,
    result: Option<(Verdict, f64)>,
}

/// The board `view` after these events: `teams` added, `submitted` queued as
/// `(team, problem, id, at)`, `judged` in the order the judgements arrived (the last one
/// per id wins), and whether the board was unfrozen. Events whose problem is out of range
/// are ignored; a queued id that is queued again keeps its first place.
pub fn recompute(
    rules: &Rules,
    teams: &[UserId],
    submitted: &[(UserId, usize, SubmissionId, Millis)],
    judged: &[Judged],
    unfrozen: bool,
    view: View,
) -> Vec<Row> {
    let n = rules.problem_count;
    let mut all_teams: BTreeSet<UserId> = teams.iter().copied().collect();
    let mut subs: HashMap<SubmissionId, Sub> = HashMap::new();
    for &(team, problem, id, at) in submitted {
        if problem < n {
            all_teams.insert(team);
            subs.entry(id).or_insert(Sub {
                team,
                problem,
                at,
                id,
                result: None,
            });
        }
    }
    for j in judged {
        if j.problem < n {
            all_teams.insert(j.team);
            subs.insert(
                j.id,
                Sub {
                    team: j.team,
                    problem: j.problem,
                    at: j.at,
                    id: j.id,
                    result: Some((j.verdict, j.score)),
                },
            );
        }
    }

    let hidden =
        |at: Millis| view == View::Public && !unfrozen && rules.freeze_at.is_some_and(|f| at >= f);
    let shown = |s: &Sub| if hidden(s.at) { None } else { s.result };

    // First to solve: the earliest shown AC of each problem.
    let mut first: Vec<Option<(Millis, SubmissionId, UserId)>> = vec![None; n];
    for s in subs.values() {
        if let Some((Verdict::Accepted, _)) = shown(s) {
            let candidate = (s.at, s.id, s.team);
            if first[s.problem].is_none_or(|f| candidate < f) {
                first[s.problem] = Some(candidate);
            }
        }
    }

    // Each team's tries per problem, in (at, id) order.
    let mut tries: HashMap<(UserId, usize), Vec<&Sub>> = HashMap::new();
    for s in subs.values() {
        tries.entry((s.team, s.problem)).or_default().push(s);
    }
    for list in tries.values_mut() {
        list.sort_by_key(|s| (s.at, s.id));
    }

    // (row, last solve minute)
    let mut rows: Vec<(Row, i64)> = Vec::new();
    for &team in &all_teams {
        let mut row = Row {
            team,
            rank: 0,
            solved: 0,
            penalty: 0,
            score: 0.0,
            cells: Vec::new(),
        };
        let mut last = 0;
        for (p, first) in first.iter().enumerate() {
            let mut cell = Cell {
                attempts: 0,
                pending: 0,
                solved: false,
                solved_at_min: None,
                first_to_solve: first.is_some_and(|f| f.2 == team),
                score: 0.0,
            };
            let mut cell_penalty = 0;
            for s in tries.get(&(team, p)).map_or(&[][..], |v| &v[..]) {
                let Some((verdict, score)) = shown(s) else {
                    if rules.kind == ContestKind::Ioi || !cell.solved {
                        cell.pending += 1;
                    }
                    continue;
                };
                if verdict == Verdict::CompileError || verdict == Verdict::JudgeError {
                    continue;
                }
                match rules.kind {
                    ContestKind::Icpc => {
                        if cell.solved {
                            continue;
                        }
                        cell.attempts += 1;
                        if verdict == Verdict::Accepted {
                            let m = s.at.div_euclid(60_000);
                            cell.solved = true;
                            cell.solved_at_min = Some(m);
                            cell_penalty = m.wrapping_add(
                                rules
                                    .penalty_minutes
                                    .wrapping_mul(i64::from(cell.attempts) - 1),
                            );
                        }
                    }
                    ContestKind::Ioi => {
                        cell.attempts += 1;
                        if score.is_finite() && score > cell.score {
                            cell.score = score;
                        }
                        if verdict == Verdict::Accepted && !cell.solved {
                            cell.solved = true;
                            cell.solved_at_min = Some(s.at.div_euclid(60_000));
                        }
                    }
                }
            }
            if cell.solved {
                row.solved += 1;
                row.penalty = row.penalty.wrapping_add(cell_penalty);
                last = last.max(cell.solved_at_min.unwrap_or(0));
            }
            row.score += cell.score;
            row.cells.push(cell);
        }
        if rules.kind == ContestKind::Ioi {
            // Only ICPC has penalty time or a last-solve tiebreak.
            last = 0;
        }
        rows.push((row, last));
    }

    let tie = |(r, last): &(Row, i64)| match rules.kind {
        ContestKind::Icpc => (0.0, u32::MAX - r.solved, r.penalty, *last),
        ContestKind::Ioi => (-r.score, 0, 0, 0),
    };
    rows.sort_by(|a, b| {
        let (x, y) = (tie(a), tie(b));
        x.0.total_cmp(&y.0)
            .then((x.1, x.2, x.3).cmp(&(y.1, y.2, y.3)))
            .then(a.0.team.cmp(&b.0.team))
    });
    let mut out: Vec<Row> = Vec::with_capacity(rows.len());
    for i in 0..rows.len() {
        let rank = if i > 0 && tie(&rows[i]) == tie(&rows[i - 1]) {
            out[i - 1].rank
        } else {
            i + 1
        };
        let mut row = rows[i].0.clone();
        row.rank = rank;
        out.push(row);
    }
    out
}
