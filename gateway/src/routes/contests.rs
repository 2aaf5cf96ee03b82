//! `/api/contests`: list, read, create and update (admin), register, unfreeze (jury),
//! scoreboard.

use super::{ApiJson, ApiPath, ApiQuery};
use crate::app::AppState;
use crate::auth::{Caller, MaybeCaller};
use crate::error::{ApiError, ApiResult};
use crate::present;
use axum::extract::State;
use axum::http::StatusCode;
use codehub_engine::model::{Contest, ContestId, ContestKind, ContestProblem, ProblemId, Role};
use codehub_engine::scoring::View;
use codehub_protocol::board::Team as TeamView;
use codehub_protocol::requests::{ContestPatch, Injection, NewContest};
use codehub_protocol::views::{ContestProblemView, ContestView};
use serde::Deserialize;
use std::collections::HashSet;

/// `?view=public|jury`.
#[derive(Debug, Deserialize)]
pub struct ViewQuery {
    #[serde(default)]
    view: Option<String>,
}

/// The scoreboard views (the schema of `?view=`).
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum BoardView {
    /// What spectators see (frozen during the freeze).
    Public,
    /// The jury's live board.
    Jury,
}

async fn validate(state: &AppState, c: &Contest) -> Result<(), ApiError> {
    if c.slug.is_empty()
        || c.slug.len() > 64
        || !c
            .slug
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || "-_".contains(ch))
    {
        return Err(ApiError::unprocessable(
            "slug must be 1-64 letters, digits, `-` or `_`",
        ));
    }
    if c.name.trim().is_empty() {
        return Err(ApiError::unprocessable("name must not be empty"));
    }
    /// Year 9999, the last moment a time here may name (ms since the epoch).
    const LAST_MS: i64 = 253_402_300_799_999;
    let times = [Some(c.start_at), Some(c.end_at), c.freeze_at, c.unfreeze_at];
    if times
        .into_iter()
        .flatten()
        .any(|t| !(0..=LAST_MS).contains(&t))
    {
        return Err(ApiError::unprocessable(
            "times must be between 1970 and the year 9999 (ms since the epoch)",
        ));
    }
    if c.end_at <= c.start_at {
        return Err(ApiError::unprocessable("end_at must be after start_at"));
    }
    if let Some(f) = c.freeze_at
        && (f < c.start_at || f > c.end_at)
    {
        return Err(ApiError::unprocessable(
            "freeze_at must be between start_at and end_at",
        ));
    }
    if let Some(u) = c.unfreeze_at
        && u < c.end_at
    {
        return Err(ApiError::unprocessable(
            "unfreeze_at must not be before end_at",
        ));
    }
    if !(0..=1000).contains(&c.penalty_minutes) {
        return Err(ApiError::unprocessable("penalty_minutes must be 0-1000"));
    }
    if let Some(why) = c.verdict_policy.as_ref().and_then(|p| p.problem()) {
        return Err(ApiError::unprocessable(why));
    }
    let mut labels = HashSet::new();
    for p in &c.problems {
        if p.label.is_empty() || p.label.len() > 8 || !labels.insert(p.label.clone()) {
            return Err(ApiError::unprocessable(format!(
                "problem labels must be unique, 1-8 characters (`{}`)",
                p.label
            )));
        }
        if state.store.problem(p.problem_id).await?.is_none() {
            return Err(ApiError::unprocessable(format!(
                "unknown problem {}",
                p.problem_id
            )));
        }
    }
    Ok(())
}

fn parse_kind(kind: Option<&str>) -> Result<ContestKind, ApiError> {
    let Some(kind) = kind else {
        return Ok(ContestKind::Icpc);
    };
    ContestKind::parse(kind).ok_or_else(|| {
        ApiError::unprocessable(format!("unknown contest kind `{kind}` (icpc or ioi)"))
    })
}

fn problems(list: &[ContestProblemView]) -> Vec<ContestProblem> {
    list.iter()
        .map(|p| ContestProblem {
            problem_id: ProblemId(p.problem_id),
            label: p.label.clone(),
        })
        .collect()
}

/// A contest by id, or 404.
pub(crate) async fn load(state: &AppState, id: i64) -> Result<Contest, ApiError> {
    state
        .store
        .contest(ContestId(id))
        .await?
        .ok_or_else(|| ApiError::not_found(format!("unknown contest {id}")))
}

/// The contest's teams, for scoreboard names (public).
#[utoipa::path(get, path = "/api/contests/{id}/teams", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<TeamView>), (status = 404, body = crate::error::ErrorBody)))]
pub async fn teams(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<ApiJson<Vec<TeamView>>> {
    load(&state, id).await?;
    let names = state.store.participant_names(ContestId(id)).await?;
    Ok(ApiJson(
        names
            .into_iter()
            .map(|(id, name)| TeamView { id, name })
            .collect(),
    ))
}

/// Every contest.
#[utoipa::path(get, path = "/api/contests", responses((status = 200, body = Vec<ContestView>)))]
pub async fn list(State(state): State<AppState>) -> ApiResult<ApiJson<Vec<ContestView>>> {
    Ok(ApiJson(
        state
            .store
            .contests()
            .await?
            .iter()
            .map(present::contest)
            .collect(),
    ))
}

/// One contest.
#[utoipa::path(get, path = "/api/contests/{id}", params(("id" = i64, Path)), responses((status = 200, body = ContestView), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<ApiJson<ContestView>> {
    Ok(ApiJson(present::contest(&load(&state, id).await?)))
}

/// Creates a contest (admin).
#[utoipa::path(post, path = "/api/contests", request_body = NewContest, security(("bearer" = [])),
    responses((status = 201, body = ContestView), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(n): ApiJson<NewContest>,
) -> ApiResult<(StatusCode, ApiJson<ContestView>)> {
    caller.require(Role::Admin)?;
    let contest = Contest {
        id: ContestId(0),
        slug: n.slug,
        name: n.name,
        kind: parse_kind(n.kind.as_deref())?,
        start_at: n.start_at,
        end_at: n.end_at,
        freeze_at: n.freeze_at,
        unfreeze_at: n.unfreeze_at,
        unfrozen: false,
        penalty_minutes: n.penalty_minutes.unwrap_or(20),
        problems: problems(&n.problems),
        verdict_policy: n.verdict_policy,
        allow_runs: n.allow_runs,
        rated: n.rated,
    };
    validate(&state, &contest).await?;
    let created = state.store.create_contest(contest).await?;
    Ok((StatusCode::CREATED, ApiJson(present::contest(&created))))
}

/// Updates a contest (admin).
#[utoipa::path(patch, path = "/api/contests/{id}", params(("id" = i64, Path)), request_body = ContestPatch, security(("bearer" = [])),
    responses((status = 200, body = ContestView), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(p): ApiJson<ContestPatch>,
) -> ApiResult<ApiJson<ContestView>> {
    caller.require(Role::Admin)?;
    let mut c = load(&state, id).await?;
    if let Some(v) = p.name {
        c.name = v;
    }
    if let Some(v) = p.start_at {
        c.start_at = v;
    }
    if let Some(v) = p.end_at {
        c.end_at = v;
    }
    if let Some(v) = p.freeze_at {
        c.freeze_at = v;
    }
    if let Some(v) = p.unfreeze_at {
        c.unfreeze_at = v;
    }
    if let Some(v) = p.penalty_minutes {
        c.penalty_minutes = v;
    }
    if let Some(v) = p.problems {
        c.problems = problems(&v);
    }
    if let Some(v) = p.verdict_policy {
        c.verdict_policy = v;
    }
    if let Some(v) = p.allow_runs {
        c.allow_runs = v;
    }
    let rated_changed = p.rated.is_some_and(|v| v != c.rated);
    if let Some(v) = p.rated {
        c.rated = v;
    }
    validate(&state, &c).await?;
    state.store.update_contest(&c).await?;
    state.engine.contest_updated(c.id).await?;
    if rated_changed && state.store.finalized_contests().await?.contains(&c.id) {
        crate::ratings::recompute(&state, None).await?;
    }
    Ok(ApiJson(present::contest(&c)))
}

/// Registers the caller as a participant.
#[utoipa::path(post, path = "/api/contests/{id}/register", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn register(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    caller.require(Role::Contestant)?;
    load(&state, id).await?;
    super::sso::check(&state, ContestId(id), &caller).await?;
    state
        .engine
        .add_participant(ContestId(id), caller.id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Unfreezes the public scoreboard now (jury).
#[utoipa::path(post, path = "/api/contests/{id}/unfreeze", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn unfreeze(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    caller.require(Role::Jury)?;
    load(&state, id).await?;
    state.engine.unfreeze(ContestId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The scoreboard: public (frozen view; no login needed) or `?view=jury` (jury, live).
#[utoipa::path(get, path = "/api/contests/{id}/scoreboard", params(("id" = i64, Path), ("view" = Option<BoardView>, Query, description = "`public` (default) or `jury` (the jury's unfrozen board)")),
    responses((status = 200, description = "snapshot: {contest_id, view, frozen, problems, seq, rows}"), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn scoreboard(
    State(state): State<AppState>,
    caller: MaybeCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ViewQuery>,
) -> ApiResult<axum::Json<serde_json::Value>> {
    let view = match q.view.as_deref() {
        None | Some("public") => View::Public,
        Some("jury") => {
            let caller = caller
                .0
                .ok_or_else(|| ApiError::unauthorized("the jury view needs a jury token"))?;
            caller.require(Role::Jury)?;
            View::Jury
        }
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "unknown view `{other}` (public or jury)"
            )));
        }
    };
    // The contest's actor holds the board (and knows whether the contest exists): no
    // store read, so a live board is served while the database is down.
    let snapshot = state.engine.scoreboard(ContestId(id), view).await?;
    Ok(axum::Json(
        serde_json::to_value(snapshot).map_err(ApiError::internal)?,
    ))
}

/// Load testing only (admin): applies a synthetic judged result to the live scoreboard so
/// spectator fan-out can be measured without compiling. Nothing is stored; a restart or a
/// contest update drops injected results.
#[utoipa::path(post, path = "/api/contests/{id}/inject", params(("id" = i64, Path)), request_body = Injection, security(("bearer" = [])),
    responses((status = 202), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn inject(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(i): ApiJson<Injection>,
) -> ApiResult<StatusCode> {
    caller.require(Role::Admin)?;
    if !(0..=253_402_300_799_999).contains(&i.at_ms) {
        return Err(ApiError::unprocessable(
            "at_ms must be 0 to 253402300799999",
        ));
    }
    let contest = load(&state, id).await?;
    if i.problem >= contest.problems.len() {
        return Err(ApiError::unprocessable(format!(
            "problem index {} is out of range (the contest has {})",
            i.problem,
            contest.problems.len()
        )));
    }
    let verdict: codehub_engine::Verdict =
        i.verdict
            .parse()
            .map_err(|e: codehub_engine::verdict::UnknownVerdict| {
                ApiError::unprocessable(e.to_string())
            })?;
    state
        .engine
        .inject(
            ContestId(id),
            codehub_engine::model::UserId(i.team),
            i.problem,
            verdict,
            i.at_ms,
        )
        .await?;
    Ok(StatusCode::ACCEPTED)
}

/// Medal places per colour (`PUT /api/contests/{id}/medals`).
#[derive(Debug, Clone, serde::Serialize, Deserialize, utoipa::ToSchema)]
pub struct Medals {
    /// Gold places (at most 10,000).
    #[schema(maximum = 10_000)]
    pub gold: usize,
    /// Silver places (at most 10,000).
    #[schema(maximum = 10_000)]
    pub silver: usize,
    /// Bronze places (at most 10,000).
    #[schema(maximum = 10_000)]
    pub bronze: usize,
}

/// Sets how many places get a gold, silver and bronze medal (jury); the Contest API's
/// `awards` follow. The default is 4 each.
#[utoipa::path(put, path = "/api/contests/{id}/medals", params(("id" = i64, Path)), request_body = Medals, security(("bearer" = [])),
    responses((status = 200, body = Medals), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn medals(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(m): ApiJson<Medals>,
) -> ApiResult<ApiJson<Medals>> {
    caller.require(Role::Jury)?;
    let c = load(&state, id).await?;
    if [m.gold, m.silver, m.bronze].iter().any(|&n| n > 10_000) {
        return Err(ApiError::unprocessable("at most 10000 places per medal"));
    }
    state
        .store
        .append_event(
            Some(c.id),
            crate::ccs::board::MEDALS_EVENT,
            &serde_json::to_value(&m).map_err(ApiError::internal)?,
        )
        .await?;
    state.feeds.poke(c.id);
    Ok(ApiJson(m))
}

/// The event-log kind of the jury resolver's published state.
pub const RESOLVER_EVENT: &str = "resolver";

/// What the jury's resolver has revealed so far (the last state it published).
///
/// # Errors
/// Store failures.
pub async fn resolver_state(
    state: &AppState,
    contest: ContestId,
) -> Result<serde_json::Value, ApiError> {
    Ok(state
        .store
        .events_of_kind(contest, RESOLVER_EVENT, 0)
        .await?
        .pop()
        .map(|(_, _, payload, _)| payload)
        .unwrap_or_else(|| {
            serde_json::to_value(codehub_protocol::views::ResolverState::default())
                .expect("states serialise")
        }))
}

/// Publishes the jury's resolver state: spectators' resolver pages follow it live on
/// `contest/{id}/resolver` (jury).
#[utoipa::path(post, path = "/api/contests/{id}/resolver", params(("id" = i64, Path)),
    request_body = codehub_protocol::views::ResolverState, security(("bearer" = [])),
    responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn resolver(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<codehub_protocol::views::ResolverState>,
) -> ApiResult<StatusCode> {
    caller.require(Role::Jury)?;
    let c = load(&state, id).await?;
    if r.revealed.len() > 100_000 {
        return Err(ApiError::unprocessable("at most 100000 revealed cells"));
    }
    let data = serde_json::to_value(&r).map_err(ApiError::internal)?;
    state
        .store
        .append_event(Some(c.id), RESOLVER_EVENT, &data)
        .await?;
    let _ = state
        .engine
        .hub()
        .send_message(codehub_engine::actors::hub::HubMsg::Publish(
            codehub_engine::actors::hub::Publication {
                channel: codehub_protocol::channel::Channel::Resolver(c.id).to_string(),
                seq: None,
                kind: codehub_protocol::ws::MessageKind::Snapshot,
                data,
            },
        ));
    Ok(StatusCode::NO_CONTENT)
}
