//! `/api/contests/{id}/virtual`: taking a past contest again on one's own clock, and its
//! ghost board.

use super::{ApiJson, ApiPath, ApiQuery};
use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use axum::extract::State;
use axum::http::StatusCode;
use codehub_engine::model::{Contest, Role, now_ms};
use codehub_engine::ports::store::{StoreError, VirtualStart};
use codehub_protocol::board::Team;
use codehub_protocol::views::VirtualView;
use serde::Deserialize;

/// `?at=`: the contest time to show.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AtQuery {
    /// Contest time in ms, up to the participant's elapsed time (default: now on their
    /// clock).
    #[serde(default)]
    #[param(minimum = 0)]
    at: Option<i64>,
}

async fn view(
    state: &AppState,
    c: &Contest,
    start: &VirtualStart,
    at: Option<i64>,
) -> Result<VirtualView, ApiError> {
    let now = now_ms();
    let elapsed = crate::virtual_contest::elapsed(c, start, now);
    let at = match at {
        None => elapsed,
        Some(t) if (0..=elapsed).contains(&t) => t,
        Some(t) => {
            return Err(ApiError::unprocessable(format!(
                "at must be 0 to {elapsed} (the time elapsed on your clock), not {t}"
            )));
        }
    };
    let originals = state.ghosts.submissions(&*state.store, c.id).await?;
    let names = state.store.participant_names(c.id).await?;
    let teams: Vec<_> = names.iter().map(|(id, _)| *id).collect();
    let own = state
        .store
        .user_submissions_since(start.user_id, start.started_at)
        .await?;
    let rows = crate::virtual_contest::ghost_board(c, &originals, &teams, start, &own, at, now);
    let mut teams: Vec<Team> = names
        .into_iter()
        .map(|(id, name)| Team { id, name })
        .collect();
    let mut listed: std::collections::HashSet<_> = teams.iter().map(|t| t.id).collect();
    for row in &rows {
        if listed.insert(row.team)
            && let Some(u) = state.store.user(row.team).await?
        {
            teams.push(Team {
                id: u.id,
                name: u.username,
            });
        }
    }
    Ok(VirtualView {
        contest_id: c.id.0,
        user_id: start.user_id.0,
        started_at: start.started_at,
        ends_at: start.started_at + (c.end_at - c.start_at),
        at_ms: at,
        elapsed_ms: elapsed,
        finished: elapsed >= c.end_at - c.start_at,
        problems: crate::present::contest_problems(c),
        rows,
        teams,
    })
}

/// Starts the caller's virtual participation in a contest that has ended: their own
/// clock of the contest's length starts now. Refused (409) before the contest ends, to
/// those who submitted in it, and a second time.
#[utoipa::path(post, path = "/api/contests/{id}/virtual", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 201, body = VirtualView), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn start(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<(StatusCode, ApiJson<VirtualView>)> {
    caller.require(Role::Contestant)?;
    let c = super::contests::load(&state, id).await?;
    let now = now_ms();
    if now < c.end_at {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "the contest has not ended: take part in it live",
        ));
    }
    if !state
        .store
        .user_submissions_page(caller.id, Some(c.id), None, 1)
        .await?
        .is_empty()
    {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "you took part in this contest; its problems are open for practice",
        ));
    }
    let start = VirtualStart {
        user_id: caller.id,
        contest_id: c.id,
        started_at: now,
    };
    match state.store.start_virtual(start).await {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "you already took this contest virtually",
            ));
        }
        Err(e) => return Err(e.into()),
    }
    Ok((
        StatusCode::CREATED,
        ApiJson(view(&state, &c, &start, None).await?),
    ))
}

/// The caller's virtual participation and its ghost board at `?at=` (default: now on
/// their clock). 404 if they have not started one.
#[utoipa::path(get, path = "/api/contests/{id}/virtual", params(("id" = i64, Path), AtQuery), security(("bearer" = [])),
    responses((status = 200, body = VirtualView), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<AtQuery>,
) -> ApiResult<ApiJson<VirtualView>> {
    let c = super::contests::load(&state, id).await?;
    let start = state
        .store
        .virtual_start(caller.id, c.id)
        .await?
        .ok_or_else(|| ApiError::not_found("you have not started this contest virtually"))?;
    Ok(ApiJson(view(&state, &c, &start, q.at).await?))
}
