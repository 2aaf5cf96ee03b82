//! Ratings: the whole history recomputed from the finalised rated contests (so
//! finalising again, or changing whether a contest is rated, always lands on the same
//! numbers), and its views.

use crate::app::AppState;
use crate::error::ApiError;
use codehub_engine::actors::leaderboard::build_board;
use codehub_engine::model::{Contest, ContestId, Role, UserId, now_ms};
use codehub_engine::ports::store::RatingRow;
use codehub_engine::rating::{self, Placing, RatingParams};
use codehub_engine::scoring::View;
use codehub_protocol::views::RatingChangeView;
use std::collections::{BTreeSet, HashMap};

/// One recomputation at a time on this node: each writes a whole history, and two at
/// once could each miss the contest the other finalised.
static RECOMPUTE: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Recomputes every rating from the first finalised rated contest, adding `finalize` to
/// the finalised contests first.
///
/// # Errors
/// Store failures (nothing is changed then).
pub async fn recompute(state: &AppState, finalize: Option<ContestId>) -> Result<(), ApiError> {
    let _one = RECOMPUTE.lock().await;
    let mut finals: BTreeSet<ContestId> = state
        .store
        .finalized_contests()
        .await?
        .into_iter()
        .collect();
    finals.extend(finalize);
    let mut contests: Vec<Contest> = state
        .store
        .contests()
        .await?
        .into_iter()
        .filter(|c| c.rated && finals.contains(&c.id))
        .collect();
    contests.sort_by_key(|c| (c.end_at, c.id));
    let mut rounds = Vec::with_capacity(contests.len());
    let mut roles: HashMap<UserId, Role> = HashMap::new();
    for c in &contests {
        rounds.push(placings(state, c, &mut roles).await?);
    }
    let (changes, _) = rating::replay(&RatingParams::default(), &rounds);
    let rows: Vec<RatingRow> = contests
        .iter()
        .zip(&changes)
        .enumerate()
        .flat_map(|(round, (c, changes))| {
            changes.iter().map(move |x| RatingRow {
                contest_id: c.id,
                user_id: x.user,
                round: round as i64,
                place: x.place as i64,
                performance: x.performance,
                mu: x.after.mu,
                sigma: x.after.sigma,
                rating: x.after.rating(),
                previous: x.before.map(|b| b.rating()),
            })
        })
        .collect();
    let finals: Vec<ContestId> = finals.into_iter().collect();
    state.store.replace_ratings(&finals, &rows).await?;
    tracing::info!(
        contests = contests.len(),
        results = rows.len(),
        "ratings recomputed"
    );
    Ok(())
}

/// The final places of a contest's contestants: the jury board of everyone who
/// submitted, without jury and admin accounts (their test submissions rate nobody).
async fn placings(
    state: &AppState,
    c: &Contest,
    roles: &mut HashMap<UserId, Role>,
) -> Result<Vec<Placing>, ApiError> {
    let submissions = state.store.contest_submissions(c.id).await?;
    let board = build_board(c, &[], &submissions, now_ms());
    let mut placings = Vec::new();
    for row in board.rows(View::Jury) {
        let role = match roles.get(&row.team) {
            Some(r) => *r,
            None => {
                let Some(user) = state.store.user(row.team).await? else {
                    continue;
                };
                roles.insert(row.team, user.role);
                user.role
            }
        };
        if !role.is_jury() {
            placings.push(Placing {
                user: row.team,
                place: row.rank,
            });
        }
    }
    Ok(placings)
}

/// Why a contest's ratings cannot be finalised now, if they cannot.
pub fn not_ready(c: &Contest, unjudged: usize, now: i64) -> Option<String> {
    if !c.rated {
        Some("the contest is not rated: set `rated` first".into())
    } else if now < c.end_at {
        Some("the contest has not ended".into())
    } else if c.is_frozen(now) {
        Some("the scoreboard is frozen: unfreeze it before finalising ratings".into())
    } else if unjudged > 0 {
        Some(format!(
            "{unjudged} submission(s) are still being judged; finalise once all are"
        ))
    } else {
        None
    }
}

/// The views of `rows`, with contest and user names.
///
/// # Errors
/// Store failures.
pub async fn views(
    state: &AppState,
    rows: &[RatingRow],
) -> Result<Vec<RatingChangeView>, ApiError> {
    let mut contests: HashMap<ContestId, Option<Contest>> = HashMap::new();
    let mut names: HashMap<UserId, String> = HashMap::new();
    let initial = RatingParams::default().mu_init.round() as i64;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        if let std::collections::hash_map::Entry::Vacant(e) = contests.entry(r.contest_id) {
            e.insert(state.store.contest(r.contest_id).await?);
        }
        let Some(c) = contests[&r.contest_id].as_ref() else {
            continue;
        };
        if let std::collections::hash_map::Entry::Vacant(e) = names.entry(r.user_id) {
            let user = state.store.user(r.user_id).await?;
            e.insert(user.map(|u| u.username).unwrap_or_default());
        }
        out.push(RatingChangeView {
            contest_id: c.id.0,
            contest_name: c.name.clone(),
            ended_at: c.end_at,
            user_id: r.user_id.0,
            username: names[&r.user_id].clone(),
            place: r.place,
            performance: r.performance.round() as i64,
            rating: r.rating,
            previous: r.previous,
            delta: r.rating - r.previous.unwrap_or(initial),
        });
    }
    Ok(out)
}
