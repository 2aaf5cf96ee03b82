//! The resolver: the frozen ICPC board revealed cell by cell, from the bottom up, the way
//! it is done at the end of a contest. It reads Contest API objects (`problems`, `teams`,
//! `submissions`, `judgements`, `awards`, `contest`), so it runs the same from the live
//! API or from an exported event feed.
//!
//! Each step takes the lowest-ranked team that still has hidden submissions and reveals
//! its leftmost hidden problem: the hidden tries are judged in order up to the first
//! accepted one; the team's rank is recomputed (it may climb). When no team has anything
//! hidden the board is the final one.

use crate::i18n::t;
use codehub_protocol::reltime::parse_reltime;
use codehub_protocol::views::{ResolverState, RevealedCell};
use serde_json::Value;
use std::collections::HashMap;

/// Contest API objects of one contest, by type.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Objects {
    /// The `contest` object.
    pub contest: Value,
    /// Objects by type and id.
    pub by_type: HashMap<String, Vec<Value>>,
}

impl Objects {
    /// Folds an event feed (NDJSON lines): the newest data of each object wins, `null`
    /// deletes.
    ///
    /// # Errors
    /// A line that is not a JSON event.
    pub fn from_feed(text: &str) -> Result<Objects, String> {
        let mut contest = Value::Null;
        let mut objects: HashMap<String, Vec<(String, Value)>> = HashMap::new();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let event: Value = serde_json::from_str(line).map_err(|e| {
                crate::t!(
                    "resolver-feed-bad-line",
                    line = n + 1,
                    error = e.to_string()
                )
            })?;
            let kind = event["type"].as_str().unwrap_or_default().to_owned();
            let data = event["data"].clone();
            if kind == "contest" {
                contest = data;
                continue;
            }
            let Some(id) = event["id"].as_str() else {
                continue;
            };
            let list = objects.entry(kind).or_default();
            list.retain(|(i, _)| i != id);
            if !data.is_null() {
                list.push((id.to_owned(), data));
            }
        }
        Ok(Objects {
            contest,
            by_type: objects
                .into_iter()
                .map(|(k, v)| (k, v.into_iter().map(|(_, o)| o).collect()))
                .collect(),
        })
    }

    fn of(&self, kind: &str) -> &[Value] {
        self.by_type.get(kind).map_or(&[], Vec::as_slice)
    }
}

/// One try, in contest order.
#[derive(Debug, Clone, PartialEq)]
struct Try {
    minute: i64,
    /// Judgement type id (`None`: not judged).
    verdict: Option<String>,
}

/// A cell: what is shown and what is still hidden.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cell {
    /// Counted tries shown (up to the first accepted one).
    pub tries: u32,
    /// Minute of the accepted try, once shown.
    pub solved_at: Option<i64>,
    /// Hidden tries (made during the freeze).
    pub hidden: Vec<(i64, Option<String>)>,
}

impl Cell {
    /// Tries still hidden.
    pub fn pending(&self) -> usize {
        self.hidden.len()
    }
}

/// A team's row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Team id.
    pub team: String,
    /// Display name.
    pub name: String,
    /// 1-based rank (ties share).
    pub rank: usize,
    /// Problems solved (shown).
    pub solved: u32,
    /// Penalty minutes (shown).
    pub penalty: i64,
    /// One per problem, in problem order.
    pub cells: Vec<Cell>,
}

impl Row {
    fn last_solve(&self) -> i64 {
        self.cells
            .iter()
            .filter_map(|c| c.solved_at)
            .max()
            .unwrap_or(0)
    }

    fn totals(&mut self, penalty_minutes: i64) {
        self.solved = self.cells.iter().filter(|c| c.solved_at.is_some()).count() as u32;
        self.penalty = self
            .cells
            .iter()
            .filter_map(|c| {
                c.solved_at
                    .map(|at| at + penalty_minutes * i64::from(c.tries - 1))
            })
            .sum();
    }
}

/// What one step revealed.
#[derive(Debug, Clone, PartialEq)]
pub struct Reveal {
    /// The team.
    pub team: String,
    /// The problem's index.
    pub problem: usize,
    /// Whether it turned out solved.
    pub solved: bool,
    /// Rank before and after.
    pub from_rank: usize,
    /// Rank after.
    pub to_rank: usize,
}

/// The resolver's state.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolver {
    /// Problem labels, in order.
    pub labels: Vec<String>,
    /// Rows in rank order.
    pub rows: Vec<Row>,
    penalty_minutes: i64,
    /// Award citations per team (shown once the board is final).
    pub awards: HashMap<String, Vec<String>>,
    history: Vec<(Vec<Row>, Option<Reveal>)>,
    /// The last step's reveal.
    pub last: Option<Reveal>,
    /// The board at the freeze.
    initial: Vec<Row>,
    /// Problem ids, in column order.
    problem_ids: Vec<String>,
}

/// Whether a judgement type counts as a try (compile and judging errors do not).
fn counts(verdict: &str) -> bool {
    !matches!(verdict, "CE" | "JE" | "CTL" | "SE" | "CS")
}

impl Resolver {
    /// The board at the freeze, with every try made during it hidden.
    ///
    /// # Errors
    /// A contest that is not pass-fail, or objects without what the board needs.
    pub fn new(objects: &Objects) -> Result<Resolver, String> {
        let contest = &objects.contest;
        if contest["scoreboard_type"] != "pass-fail" {
            return Err(t("resolver-icpc-only"));
        }
        let duration = contest["duration"]
            .as_str()
            .and_then(parse_reltime)
            .ok_or_else(|| t("resolver-no-duration"))?;
        let freeze = contest["scoreboard_freeze_duration"]
            .as_str()
            .and_then(parse_reltime)
            .map_or(duration, |f| duration - f);
        let penalty_minutes = contest["penalty_time"]
            .as_str()
            .and_then(parse_reltime)
            .unwrap_or(1_200_000)
            / 60_000;
        let mut problems: Vec<&Value> = objects.of("problems").iter().collect();
        problems.sort_by_key(|p| p["ordinal"].as_i64().unwrap_or(0));
        let column: HashMap<&str, usize> = problems
            .iter()
            .enumerate()
            .filter_map(|(i, p)| Some((p["id"].as_str()?, i)))
            .collect();
        let verdicts: HashMap<&str, Option<String>> = objects
            .of("judgements")
            .iter()
            .filter(|j| j["current"] != false)
            .filter_map(|j| {
                Some((
                    j["submission_id"].as_str()?,
                    j["judgement_type_id"].as_str().map(str::to_owned),
                ))
            })
            .collect();
        let mut tries: HashMap<(&str, usize), Vec<(i64, Try)>> = HashMap::new();
        for s in objects.of("submissions") {
            let (Some(team), Some(col), Some(at)) = (
                s["team_id"].as_str(),
                s["problem_id"].as_str().and_then(|p| column.get(p)),
                s["contest_time"].as_str().and_then(parse_reltime),
            ) else {
                continue;
            };
            if at >= duration || at < 0 {
                continue;
            }
            let verdict = verdicts
                .get(s["id"].as_str().unwrap_or_default())
                .cloned()
                .flatten();
            tries.entry((team, *col)).or_default().push((
                at,
                Try {
                    minute: at / 60_000,
                    verdict,
                },
            ));
        }
        let mut rows: Vec<Row> = objects
            .of("teams")
            .iter()
            .filter(|t| t["hidden"] != true)
            .filter_map(|t| {
                let team = t["id"].as_str()?;
                let name = t["display_name"]
                    .as_str()
                    .or(t["name"].as_str())
                    .unwrap_or(team)
                    .to_owned();
                let cells = (0..problems.len())
                    .map(|col| {
                        let mut cell = Cell::default();
                        let mut list = tries.get(&(team, col)).cloned().unwrap_or_default();
                        list.sort_by_key(|(at, _)| *at);
                        for (at, t) in list {
                            if at >= freeze {
                                cell.hidden.push((t.minute, t.verdict));
                            } else if cell.solved_at.is_none() {
                                match t.verdict.as_deref() {
                                    Some("AC") => {
                                        cell.tries += 1;
                                        cell.solved_at = Some(t.minute);
                                    }
                                    Some(v) if counts(v) => cell.tries += 1,
                                    _ => {}
                                }
                            }
                        }
                        if cell.solved_at.is_some() {
                            cell.hidden.clear();
                        }
                        cell
                    })
                    .collect();
                let mut row = Row {
                    team: team.to_owned(),
                    name,
                    rank: 0,
                    solved: 0,
                    penalty: 0,
                    cells,
                };
                row.totals(penalty_minutes);
                Some(row)
            })
            .collect();
        rank(&mut rows);
        let mut awards: HashMap<String, Vec<String>> = HashMap::new();
        for a in objects.of("awards") {
            for t in a["team_ids"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                awards
                    .entry(t.to_owned())
                    .or_default()
                    .push(a["citation"].as_str().unwrap_or_default().to_owned());
            }
        }
        Ok(Resolver {
            labels: problems
                .iter()
                .map(|p| p["label"].as_str().unwrap_or("?").to_owned())
                .collect(),
            problem_ids: problems
                .iter()
                .map(|p| p["id"].as_str().unwrap_or_default().to_owned())
                .collect(),
            initial: rows.clone(),
            rows,
            penalty_minutes,
            awards,
            history: Vec::new(),
            last: None,
        })
    }

    /// Whether nothing is hidden any more.
    pub fn done(&self) -> bool {
        self.rows
            .iter()
            .all(|r| r.cells.iter().all(|c| c.hidden.is_empty()))
    }

    /// The team whose cell the next step reveals, and the cell.
    pub fn next(&self) -> Option<(usize, usize)> {
        self.rows.iter().enumerate().rev().find_map(|(i, r)| {
            r.cells
                .iter()
                .position(|c| !c.hidden.is_empty())
                .map(|col| (i, col))
        })
    }

    /// Reveals one cell; `None` when the board is final.
    pub fn step(&mut self) -> Option<Reveal> {
        let (index, col) = self.next()?;
        self.history.push((self.rows.clone(), self.last.clone()));
        let penalty = self.penalty_minutes;
        let row = &mut self.rows[index];
        let from_rank = row.rank;
        let team = row.team.clone();
        let cell = &mut row.cells[col];
        for (minute, verdict) in std::mem::take(&mut cell.hidden) {
            match verdict.as_deref() {
                Some("AC") => {
                    cell.tries += 1;
                    cell.solved_at = Some(minute);
                    break;
                }
                Some(v) if counts(v) => cell.tries += 1,
                _ => {}
            }
        }
        let solved = cell.solved_at.is_some();
        row.totals(penalty);
        rank(&mut self.rows);
        let to_rank = self
            .rows
            .iter()
            .find(|r| r.team == team)
            .map_or(from_rank, |r| r.rank);
        let reveal = Reveal {
            team,
            problem: col,
            solved,
            from_rank,
            to_rank,
        };
        self.last = Some(reveal.clone());
        Some(reveal)
    }

    /// What has been revealed so far, for spectators to follow ([`Resolver::follow`]).
    pub fn state(&self) -> ResolverState {
        let mut revealed = Vec::new();
        for start in &self.initial {
            let Some(now) = self.rows.iter().find(|r| r.team == start.team) else {
                continue;
            };
            for (col, (before, after)) in start.cells.iter().zip(&now.cells).enumerate() {
                if !before.hidden.is_empty() && after.hidden.is_empty() {
                    revealed.push(RevealedCell {
                        team_id: now.team.clone(),
                        problem_id: self.problem_ids[col].clone(),
                        tries: after.tries,
                        solved_at: after.solved_at,
                    });
                }
            }
        }
        // The last reveal goes last, so followers highlight it too.
        if let Some(l) = &self.last {
            let key = |c: &RevealedCell| {
                c.team_id == l.team && c.problem_id == self.problem_ids[l.problem]
            };
            if let Some(i) = revealed.iter().position(key) {
                let last = revealed.remove(i);
                revealed.push(last);
            }
        }
        ResolverState {
            step: self.history.len() as u32,
            revealed,
        }
    }

    /// Shows what the jury's resolver revealed: the board at the freeze with `state`'s
    /// cells opened (a spectator's board, which cannot see the hidden results itself).
    pub fn follow(&mut self, state: &ResolverState) {
        self.rows = self.initial.clone();
        self.last = None;
        for c in &state.revealed {
            let Some(col) = self.problem_ids.iter().position(|p| *p == c.problem_id) else {
                continue;
            };
            let Some(row) = self.rows.iter_mut().find(|r| r.team == c.team_id) else {
                continue;
            };
            let from_rank = row.rank;
            let cell = &mut row.cells[col];
            cell.hidden.clear();
            cell.tries = c.tries;
            cell.solved_at = c.solved_at;
            row.totals(self.penalty_minutes);
            self.last = Some(Reveal {
                team: c.team_id.clone(),
                problem: col,
                solved: c.solved_at.is_some(),
                from_rank,
                to_rank: 0,
            });
        }
        rank(&mut self.rows);
        if let Some(l) = &mut self.last {
            l.to_rank = self
                .rows
                .iter()
                .find(|r| r.team == l.team)
                .map_or(0, |r| r.rank);
        }
    }

    /// Undoes the last step.
    pub fn back(&mut self) -> bool {
        match self.history.pop() {
            Some((rows, last)) => {
                self.rows = rows;
                self.last = last;
                true
            }
            None => false,
        }
    }
}

/// Sorts rows by the ICPC order (solved, penalty, last solve, then name) and ranks them;
/// equal rows share a rank.
fn rank(rows: &mut [Row]) {
    rows.sort_by(|a, b| {
        b.solved
            .cmp(&a.solved)
            .then(a.penalty.cmp(&b.penalty))
            .then(a.last_solve().cmp(&b.last_solve()))
            .then(a.name.cmp(&b.name))
    });
    for i in 0..rows.len() {
        let tied = i > 0 && {
            let (a, b) = (&rows[i - 1], &rows[i]);
            (a.solved, a.penalty, a.last_solve()) == (b.solved, b.penalty, b.last_solve())
        };
        rows[i].rank = if tied { rows[i - 1].rank } else { i + 1 };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A 5-hour contest frozen for the last hour; penalty 20.
    fn feed(submissions: &[(&str, &str, &str, &str)]) -> String {
        let mut lines = vec![
            json!({"type": "contest", "data": {"id": "c", "name": "C", "duration": "5:00:00.000",
                "scoreboard_freeze_duration": "1:00:00.000", "scoreboard_type": "pass-fail",
                "penalty_time": "0:20:00.000"}}),
        ];
        for (i, p) in ["a", "b"].iter().enumerate() {
            lines.push(json!({"type": "problems", "id": p, "data": {"id": p, "label": p.to_uppercase(), "ordinal": i + 1}}));
        }
        for t in ["t1", "t2", "t3"] {
            lines.push(json!({"type": "teams", "id": t, "data": {"id": t, "name": t, "label": t}}));
        }
        for (i, (team, problem, at, verdict)) in submissions.iter().enumerate() {
            let id = i.to_string();
            lines.push(
                json!({"type": "submissions", "id": id, "data": {"id": id, "team_id": team,
                "problem_id": problem, "contest_time": at}}),
            );
            lines.push(
                json!({"type": "judgements", "id": id, "data": {"id": id, "submission_id": id,
                "judgement_type_id": verdict}}),
            );
        }
        lines.iter().map(|l| l.to_string() + "\n").collect()
    }

    fn order(r: &Resolver) -> Vec<(&str, usize, u32, i64)> {
        r.rows
            .iter()
            .map(|row| (row.team.as_str(), row.rank, row.solved, row.penalty))
            .collect()
    }

    #[test]
    fn the_frozen_board_hides_the_last_hour_and_reveals_from_the_bottom() {
        let text = feed(&[
            ("t1", "a", "1:00:00.000", "WA"),
            ("t1", "a", "1:10:00.000", "AC"),
            ("t2", "a", "2:00:00.000", "AC"),
            ("t2", "b", "4:30:00.000", "AC"),
            ("t3", "a", "4:10:00.000", "CE"),
            ("t3", "a", "4:20:00.000", "WA"),
            ("t3", "a", "4:40:00.000", "AC"),
            ("t3", "b", "4:50:00.000", "AC"),
        ]);
        let mut r = Resolver::new(&Objects::from_feed(&text).unwrap()).unwrap();
        // At the freeze: t1 (1 solved, 90), t2 (1 solved, 120), t3 (nothing).
        assert_eq!(
            order(&r),
            [("t1", 1, 1, 90), ("t2", 2, 1, 120), ("t3", 3, 0, 0)]
        );
        assert_eq!(r.rows[2].cells[0].pending(), 3);
        // t3 is at the bottom: A is revealed first (CE does not count: 280 + 20).
        let first = r.step().unwrap();
        assert_eq!(
            (
                first.team.as_str(),
                first.problem,
                first.solved,
                first.from_rank,
                first.to_rank
            ),
            ("t3", 0, true, 3, 3)
        );
        assert_eq!(order(&r)[2], ("t3", 3, 1, 300));
        // Then t3's B: 2 solved, it climbs to the top.
        let second = r.step().unwrap();
        assert_eq!((second.team.as_str(), second.to_rank), ("t3", 1));
        // Then t2 (now last) reveals B and passes t1.
        let third = r.step().unwrap();
        assert_eq!(
            (third.team.as_str(), third.problem, third.to_rank),
            ("t2", 1, 1)
        );
        assert!(r.step().is_none() && r.done());
        assert_eq!(
            order(&r),
            [("t2", 1, 2, 390), ("t3", 2, 2, 590), ("t1", 3, 1, 90)]
        );
        // A spectator's board (the freeze's results hidden) follows the jury's reveals.
        let hidden_results: String = text
            .lines()
            .filter(|l| {
                let event: Value = serde_json::from_str(l).unwrap();
                let late = ["3", "4", "5", "6", "7"].contains(&event["id"].as_str().unwrap_or(""));
                !(event["type"] == "judgements" && late)
            })
            .map(|l| format!("{l}\n"))
            .collect();
        let mut follower = Resolver::new(&Objects::from_feed(&hidden_results).unwrap()).unwrap();
        assert_eq!(
            follower.rows[2].cells[0].pending(),
            3,
            "hidden, results unknown"
        );
        follower.follow(&r.state());
        assert_eq!(order(&follower), order(&r));
        let last = follower.last.as_ref().map(|l| (l.team.as_str(), l.problem));
        assert_eq!(last, Some(("t2", 1)));
        // Undo goes back one step at a time.
        assert!(r.back());
        follower.follow(&r.state());
        assert_eq!(order(&follower), order(&r));
        assert_eq!(r.rows.iter().find(|x| x.team == "t2").unwrap().solved, 1);
    }

    #[test]
    fn reltimes_parse() {
        assert_eq!(parse_reltime("1:02:03.450"), Some(3_723_450));
        assert_eq!(parse_reltime("-0:00:01"), Some(-1000));
        assert_eq!(parse_reltime("x"), None);
    }
}
