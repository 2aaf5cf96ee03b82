//! The Contest API's `scoreboard` and `awards`, both read off CodeHub's own boards: the
//! jury board for the jury, the public (frozen) board for everyone else.

use super::format::reltime;
use super::objects::{ContestData, Entry, Viewer, problem_id};
use codehub_engine::model::ContestKind;
use codehub_protocol::board::{Snapshot, View};
use serde_json::{Value, json};

/// Medals awarded per colour unless the jury sets the counts (the World Finals' 4 each;
/// fewer when fewer teams scored).
pub const MEDALS_PER_COLOUR: usize = 4;

/// The event-log kind of the jury's medal counts: `{"gold", "silver", "bronze"}`.
pub const MEDALS_EVENT: &str = "medals";
/// The event-log kind of the jury's award edits: `{"id", "award"}` (`award: null` removes
/// it, a computed one included).
pub const AWARD_EVENT: &str = "award";

/// What the jury set about a contest's awards (folded from its event log).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AwardSettings {
    /// Gold, silver and bronze places (`None`: [`MEDALS_PER_COLOUR`] each).
    pub medals: Option<[usize; 3]>,
    /// Awards the jury set (`Some`) or removed (`None`), by id, replacing computed ones.
    pub edits: std::collections::BTreeMap<String, Option<Value>>,
}

impl AwardSettings {
    /// Folds the contest's log.
    pub fn from_log(events: &[codehub_engine::ports::store::LoggedEvent]) -> Self {
        let mut s = AwardSettings::default();
        for (_, kind, payload, _) in events {
            match kind.as_str() {
                MEDALS_EVENT => {
                    let n = |k: &str| payload[k].as_u64().map(|v| v as usize);
                    if let (Some(g), Some(si), Some(b)) = (n("gold"), n("silver"), n("bronze")) {
                        s.medals = Some([g, si, b]);
                    }
                }
                AWARD_EVENT => {
                    if let Some(id) = payload["id"].as_str() {
                        let award = Some(payload["award"].clone()).filter(|a| !a.is_null());
                        s.edits.insert(id.to_owned(), award);
                    }
                }
                _ => {}
            }
        }
        s
    }
}

/// The board a viewer reads.
pub fn view_of(viewer: Viewer) -> View {
    if viewer.is_admin() {
        View::Jury
    } else {
        View::Public
    }
}

/// The `scoreboard` object of `board`.
pub fn scoreboard(data: &ContestData, board: &Snapshot) -> Value {
    let icpc = data.contest.kind == ContestKind::Icpc;
    let rows: Vec<Value> = board
        .rows
        .iter()
        .map(|row| {
            let last = row
                .cells
                .iter()
                .filter(|c| c.solved || c.score > 0.0)
                .filter_map(|c| c.solved_at_min)
                .max();
            let mut score = if icpc {
                json!({"num_solved": row.solved, "total_time": reltime(row.penalty * 60_000)})
            } else {
                json!({"score": row.score})
            };
            if (icpc && row.solved > 0) || (!icpc && row.score > 0.0) {
                score["time"] = json!(reltime(last.unwrap_or(0) * 60_000));
            }
            let problems: Vec<Value> = row
                .cells
                .iter()
                .zip(&data.problems)
                .map(|(cell, (_, p))| {
                    let mut o = json!({
                        "problem_id": problem_id(p),
                        "num_judged": cell.attempts,
                        "num_pending": cell.pending,
                    });
                    if icpc {
                        o["solved"] = json!(cell.solved);
                    } else {
                        o["score"] = json!(cell.score);
                    }
                    if (cell.solved || cell.score > 0.0)
                        && let Some(min) = cell.solved_at_min
                    {
                        o["time"] = json!(reltime(min * 60_000));
                    }
                    o
                })
                .collect();
            json!({"rank": row.rank, "team_id": row.team.0.to_string(), "score": score,
                   "problems": problems})
        })
        .collect();
    let now = data.now.min(data.contest.end_at.max(data.contest.start_at));
    json!({
        "time": super::format::time(data.now),
        "contest_time": reltime((now - data.contest.start_at).max(0)),
        "state": data.state_object(),
        "rows": rows,
    })
}

fn scored(data: &ContestData, row: &codehub_protocol::board::Row) -> bool {
    match data.contest.kind {
        ContestKind::Icpc => row.solved > 0,
        ContestKind::Ioi => row.score > 0.0,
    }
}

/// The awards `board` gives: `winner`, `gold-medal`, `silver-medal`, `bronze-medal` (by
/// rank, the jury's counts or [`MEDALS_PER_COLOUR`] places each; ties share a medal) and
/// `first-to-solve-<problem>`; only teams that scored get any. Then the jury's edits.
pub fn awards(data: &ContestData, board: &Snapshot) -> Vec<(String, Value)> {
    let mut out = computed_awards(data, board);
    for (id, edit) in &data.award_settings.edits {
        out.retain(|(a, _)| a != id);
        if let Some(award) = edit {
            out.push((id.clone(), award.clone()));
        }
    }
    out
}

fn computed_awards(data: &ContestData, board: &Snapshot) -> Vec<(String, Value)> {
    let team = |r: &codehub_protocol::board::Row| r.team.0.to_string();
    let ranked: Vec<_> = board.rows.iter().filter(|r| scored(data, r)).collect();
    let mut out = vec![(
        "winner".to_owned(),
        json!({"id": "winner", "citation": "Contest winner",
               "team_ids": ranked.iter().filter(|r| r.rank == 1).map(|r| team(r)).collect::<Vec<_>>()}),
    )];
    for (i, (id, citation)) in [
        ("gold-medal", "Gold medal winner"),
        ("silver-medal", "Silver medal winner"),
        ("bronze-medal", "Bronze medal winner"),
    ]
    .into_iter()
    .enumerate()
    {
        let counts = data.award_settings.medals.unwrap_or([MEDALS_PER_COLOUR; 3]);
        let low: usize = counts[..i].iter().sum();
        let high = low + counts[i];
        let teams: Vec<String> = ranked
            .iter()
            .filter(|r| r.rank > low && r.rank <= high)
            .map(|r| team(r))
            .collect();
        out.push((
            id.to_owned(),
            json!({"id": id, "citation": citation, "team_ids": teams}),
        ));
    }
    for (i, (label, p)) in data.problems.iter().enumerate() {
        let teams: Vec<String> = board
            .rows
            .iter()
            .filter(|r| r.cells.get(i).is_some_and(|c| c.first_to_solve))
            .map(team)
            .collect();
        if teams.is_empty() {
            continue;
        }
        let id = format!("first-to-solve-{}", problem_id(p));
        if !super::format::is_id(&id) {
            continue;
        }
        out.push((
            id.clone(),
            json!({"id": id, "citation": format!("First to solve problem {label}"),
                   "team_ids": teams}),
        ));
    }
    out
}

/// Award entries: the jury's from the jury board, everyone else's from the public board
/// (an award the frozen board does not give yet is hidden from them).
pub fn award_entries(data: &ContestData, jury: &Snapshot, public: &Snapshot) -> Vec<Entry> {
    let public = awards(data, public);
    awards(data, jury)
        .into_iter()
        .map(|(id, admin)| Entry {
            kind: "awards",
            public: public
                .iter()
                .find(|(p, _)| *p == id)
                .map(|(_, v)| v.clone()),
            id: Some(id),
            owners: Vec::new(),
            own: None,
            admin,
        })
        .collect()
}

/// The award entries now: both boards asked of the engine.
///
/// # Errors
/// The engine cannot give a board.
pub async fn current_award_entries(
    state: &crate::app::AppState,
    data: &ContestData,
) -> Result<Vec<Entry>, crate::error::ApiError> {
    let id = data.contest.id;
    let jury = state.engine.scoreboard(id, View::Jury).await?;
    let public = state.engine.scoreboard(id, View::Public).await?;
    Ok(award_entries(data, &jury, &public))
}
