//! The ICPC Contest API, version 2026-01, under `/api/ccs/` (`docs/contest-api.md`).
//!
//! - `objects`: a contest as API objects, with what the jury, the public and each team
//!   see; every endpoint and the event feed read it.
//! - `format`: `TIME`, `RELTIME`, `ID`.
//! - `board`: `scoreboard` and `awards` from CodeHub's boards.
//! - `feed`: the event feed (recorder and readers).
//! - `auth`: HTTP Basic and bearer callers, and what each may see.
//! - `write`: the write side, by capability; `webhooks`: notifications POSTed to clients.
//! - `test_count`: `test_data_count` from the package.

mod auth;
pub mod board;
pub mod feed;
pub mod format;
pub mod objects;
mod test_count;
pub mod webhooks;
pub mod write;

use self::auth::CcsCaller;
use self::objects::{ContestData, KINDS, Viewer};
use crate::app::AppState;
use crate::error::{ApiError, ApiResult};
use crate::routes::{ApiPath, ApiQuery};
use axum::Json;
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use codehub_engine::model::{Contest, ContestKind};
use serde_json::{Value, json};
use std::collections::HashMap;

/// The version of the Contest API served.
pub const VERSION: &str = "2026-01";

/// The routes of the Contest API.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/ccs", get(api_information))
        .route("/api/ccs/", get(api_information))
        .route("/api/ccs/contests", get(contests))
        .route(
            "/api/ccs/webhooks",
            get(webhooks::list).post(webhooks::create),
        )
        .route(
            "/api/ccs/webhooks/{id}",
            get(webhooks::get_one).delete(webhooks::delete),
        )
        .route(
            "/api/ccs/contests/{cid}",
            get(contest).patch(write::patch_contest),
        )
        .route("/api/ccs/contests/{cid}/access", get(access))
        .route("/api/ccs/contests/{cid}/account", get(account))
        .route("/api/ccs/contests/{cid}/scoreboard", get(scoreboard))
        .route("/api/ccs/contests/{cid}/event-feed", get(event_feed))
        .route(
            "/api/ccs/contests/{cid}/submissions/{id}/files",
            get(submission_files),
        )
        .route(
            "/api/ccs/contests/{cid}/problems/{id}/package",
            get(problem_package),
        )
        .route(
            "/api/ccs/contests/{cid}/{kind}",
            get(collection).post(create),
        )
        .route(
            "/api/ccs/contests/{cid}/{kind}/{id}",
            get(object).put(edit).patch(edit).delete(edit),
        )
}

async fn api_information() -> Json<Value> {
    Json(json!({
        "version": VERSION,
        "version_url": "https://ccs-specs.icpc.io/2026-01/contest_api",
        "provider": {"name": "CodeHub", "version": env!("CARGO_PKG_VERSION")},
    }))
}

/// The contest whose API id is `cid`.
async fn find(state: &AppState, cid: &str) -> Result<Contest, ApiError> {
    state
        .store
        .contests()
        .await?
        .into_iter()
        .find(|c| objects::contest_id(c) == cid)
        .ok_or_else(|| ApiError::not_found(format!("unknown contest `{cid}`")))
}

async fn contests(State(state): State<AppState>) -> ApiResult<Json<Value>> {
    let mut out = Vec::new();
    for c in state.store.contests().await? {
        let data = ContestData::load(&state, c).await?;
        out.push(data.contest_object());
    }
    Ok(Json(Value::Array(out)))
}

async fn contest(
    State(state): State<AppState>,
    ApiPath(cid): ApiPath<String>,
) -> ApiResult<Json<Value>> {
    let data = ContestData::load(&state, find(&state, &cid).await?).await?;
    Ok(Json(data.contest_object()))
}

/// The properties of each endpoint a viewer can see (the `access` endpoint; also what
/// ID filters accept).
fn properties(kind: &str, viewer: Viewer, contest: &Contest) -> &'static [&'static str] {
    let ioi = contest.kind == ContestKind::Ioi;
    match kind {
        "contest" if ioi => &[
            "id",
            "name",
            "formal_name",
            "start_time",
            "duration",
            "scoreboard_type",
            "scoreboard_freeze_duration",
            "scoreboard_thaw_time",
        ],
        "contest" => &[
            "id",
            "name",
            "formal_name",
            "start_time",
            "duration",
            "scoreboard_type",
            "scoreboard_freeze_duration",
            "scoreboard_thaw_time",
            "penalty_time",
        ],
        "judgement-types" => &["id", "name", "penalty", "solved"],
        "languages" => &[
            "id",
            "name",
            "entry_point_required",
            "entry_point_name",
            "extensions",
        ],
        "problems" if viewer == Viewer::Admin => &[
            "id",
            "label",
            "name",
            "ordinal",
            "time_limit",
            "memory_limit",
            "code_limit",
            "test_data_count",
            "package",
        ],
        "problems" => &[
            "id",
            "label",
            "name",
            "ordinal",
            "time_limit",
            "memory_limit",
            "code_limit",
            "test_data_count",
        ],
        "groups" | "organizations" => &["id", "name"],
        "teams" => &["id", "label", "name", "display_name", "group_ids", "hidden"],
        "accounts" if viewer != Viewer::Public => &["id", "username", "name", "type", "team_id"],
        "state" => &[
            "started",
            "frozen",
            "ended",
            "thawed",
            "finalized",
            "end_of_updates",
        ],
        // The public and other teams get `files: []`: the sources are the jury's and the team's.
        "submissions" => &[
            "id",
            "language_id",
            "problem_id",
            "team_id",
            "account_id",
            "time",
            "contest_time",
            "entry_point",
            "files",
        ],
        "judgements" if ioi => &[
            "id",
            "submission_id",
            "judgement_type_id",
            "score",
            "current",
            "start_time",
            "start_contest_time",
            "end_time",
            "end_contest_time",
            "max_run_time",
        ],
        "judgements" => &[
            "id",
            "submission_id",
            "judgement_type_id",
            "current",
            "start_time",
            "start_contest_time",
            "end_time",
            "end_contest_time",
            "max_run_time",
        ],
        "runs" if viewer == Viewer::Admin => &[
            "id",
            "judgement_id",
            "ordinal",
            "judgement_type_id",
            "time",
            "contest_time",
            "run_time",
        ],
        "clarifications" => &[
            "id",
            "from_team_id",
            "to_team_ids",
            "to_group_ids",
            "reply_to_id",
            "problem_id",
            "text",
            "time",
            "contest_time",
        ],
        "awards" => &["id", "citation", "team_ids"],
        "scoreboard" => &["time", "contest_time", "state", "rows"],
        _ => &[],
    }
}

async fn access(
    State(state): State<AppState>,
    caller: CcsCaller,
    ApiPath(cid): ApiPath<String>,
) -> ApiResult<Json<Value>> {
    let contest = find(&state, &cid).await?;
    let viewer = caller.viewer(&state, &contest).await?;
    let endpoints: Vec<Value> = KINDS
        .iter()
        .chain(&["scoreboard"])
        .filter_map(|kind| {
            let props = properties(kind, viewer, &contest);
            (!props.is_empty()).then(|| json!({"type": kind, "properties": props}))
        })
        .collect();
    let capabilities = write::capabilities(viewer, caller.0.as_ref());
    Ok(Json(
        json!({"capabilities": capabilities, "endpoints": endpoints}),
    ))
}

async fn account(
    State(state): State<AppState>,
    caller: CcsCaller,
    ApiPath(cid): ApiPath<String>,
) -> ApiResult<Json<Value>> {
    let contest = find(&state, &cid).await?;
    let Some(me) = &caller.0 else {
        return Err(ApiError::not_found("not signed in: no account"));
    };
    let user = state
        .store
        .user(me.id)
        .await?
        .ok_or_else(|| ApiError::not_found("no account"))?;
    let team = caller.viewer(&state, &contest).await? == Viewer::Team(me.id);
    let data = ContestData::load(&state, contest).await?;
    Ok(Json(data.account_object(&user, team)))
}

/// The objects of one type that `viewer` sees.
pub(crate) async fn visible(
    state: &AppState,
    contest: Contest,
    viewer: Viewer,
    kind: &str,
) -> Result<Vec<Value>, ApiError> {
    if !KINDS.contains(&kind) || kind == "contest" {
        return Err(ApiError::not_found(format!("unknown endpoint `{kind}`")));
    }
    if properties(kind, viewer, &contest).is_empty() {
        return Err(ApiError::not_found(format!(
            "`{kind}` is not available to this account"
        )));
    }
    let data = ContestData::load(state, contest).await?;
    // The boards are asked for only when awards are.
    let awards = if kind == "awards" {
        board::current_award_entries(state, &data).await?
    } else {
        Vec::new()
    };
    Ok(data
        .entries(awards)
        .iter()
        .filter(|e| e.kind == kind)
        .filter_map(|e| e.seen_by(viewer).cloned())
        .collect())
}

async fn collection(
    State(state): State<AppState>,
    caller: CcsCaller,
    ApiPath((cid, kind)): ApiPath<(String, String)>,
    ApiQuery(filters): ApiQuery<HashMap<String, String>>,
) -> ApiResult<Response> {
    let contest = find(&state, &cid).await?;
    let viewer = caller.viewer(&state, &contest).await?;
    if kind == "state" {
        let data = ContestData::load(&state, contest).await?;
        return Ok(Json(data.state_object()).into_response());
    }
    let props = properties(&kind, viewer, &contest);
    for name in filters.keys() {
        if !(name.ends_with("_id") && props.contains(&name.as_str())) {
            return Err(ApiError::bad_request(format!(
                "cannot filter `{kind}` on `{name}` (filters: its ID properties)"
            )));
        }
    }
    let objects = visible(&state, contest, viewer, &kind).await?;
    let matching: Vec<Value> = objects
        .into_iter()
        .filter(|o| {
            filters.iter().all(|(name, want)| match &o[name.as_str()] {
                Value::Null => want.is_empty(),
                Value::String(s) => s == want,
                _ => false,
            })
        })
        .collect();
    Ok(Json(Value::Array(matching)).into_response())
}

async fn object(
    State(state): State<AppState>,
    caller: CcsCaller,
    ApiPath((cid, kind, id)): ApiPath<(String, String, String)>,
) -> ApiResult<Json<Value>> {
    let contest = find(&state, &cid).await?;
    let viewer = caller.viewer(&state, &contest).await?;
    visible(&state, contest, viewer, &kind)
        .await?
        .into_iter()
        .find(|o| o["id"] == id.as_str())
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("unknown {kind} `{id}`")))
}

#[derive(serde::Deserialize)]
struct ScoreboardQuery {
    group_id: Option<String>,
}

async fn scoreboard(
    State(state): State<AppState>,
    caller: CcsCaller,
    ApiPath(cid): ApiPath<String>,
    ApiQuery(q): ApiQuery<ScoreboardQuery>,
) -> ApiResult<Json<Value>> {
    let contest = find(&state, &cid).await?;
    if let Some(group) = q.group_id {
        return Err(ApiError::bad_request(format!(
            "unknown group `{group}` (this contest has no groups)"
        )));
    }
    let viewer = caller.viewer(&state, &contest).await?;
    let id = contest.id;
    let data = ContestData::load(&state, contest).await?;
    let snapshot = state.engine.scoreboard(id, board::view_of(viewer)).await?;
    Ok(Json(board::scoreboard(&data, &snapshot)))
}

async fn submission_files(
    State(state): State<AppState>,
    caller: CcsCaller,
    ApiPath((cid, id)): ApiPath<(String, String)>,
) -> ApiResult<Response> {
    let contest = find(&state, &cid).await?;
    let viewer = caller.viewer(&state, &contest).await?;
    let missing = || ApiError::not_found(format!("unknown submission `{id}`"));
    let sid: i64 = id.parse().map_err(|_| missing())?;
    let s = state
        .store
        .submission(codehub_engine::model::SubmissionId(sid))
        .await?
        .filter(|s| s.contest_id == Some(contest.id))
        .ok_or_else(missing)?;
    let allowed = match viewer {
        Viewer::Admin => true,
        Viewer::Team(t) => t == s.user_id,
        Viewer::Public => false,
    };
    if !allowed {
        return Err(missing());
    }
    let zip = tokio::task::spawn_blocking(move || -> zip::result::ZipResult<Vec<u8>> {
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for f in &s.files {
            out.start_file(f.name.as_str(), zip::write::SimpleFileOptions::default())?;
            std::io::Write::write_all(&mut out, f.contents.as_bytes())?;
        }
        Ok(out.finish()?.into_inner())
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(ApiError::internal)?;
    Ok(([(header::CONTENT_TYPE, "application/zip")], zip).into_response())
}

#[derive(serde::Deserialize)]
struct FeedQuery {
    since_token: Option<String>,
}

async fn event_feed(
    State(state): State<AppState>,
    caller: CcsCaller,
    ApiPath(cid): ApiPath<String>,
    ApiQuery(q): ApiQuery<FeedQuery>,
) -> ApiResult<Response> {
    let contest = find(&state, &cid).await?;
    let viewer = caller.viewer(&state, &contest).await?;
    state.feeds.ensure(&state, contest.id).await?;
    let since = match q.since_token.as_deref() {
        Some(token) => feed::check_token(&state, contest.id, token).await?,
        None => 0,
    };
    let (tx, mut rx) = tokio::sync::mpsc::channel::<bytes::Bytes>(64);
    tokio::spawn(feed::stream(state.clone(), contest.id, viewer, since, tx));
    let body = futures::stream::poll_fn(move |cx| {
        rx.poll_recv(cx)
            .map(|line| line.map(Ok::<_, std::convert::Infallible>))
    });
    Ok((
        [(header::CONTENT_TYPE, "application/x-ndjson")],
        Body::from_stream(body),
    )
        .into_response())
}

/// `POST` on a collection: `submissions` and `clarifications` (see [`write`]).
async fn create(
    State(state): State<AppState>,
    caller: CcsCaller,
    ApiPath((cid, kind)): ApiPath<(String, String)>,
    crate::routes::ApiJson(body): crate::routes::ApiJson<Value>,
) -> ApiResult<Response> {
    match kind.as_str() {
        "submissions" => write::submit(&state, caller, &cid, body).await,
        "clarifications" => write::clarify(&state, caller, &cid, body).await,
        "awards" => write::award_post(&state, caller, &cid, body).await,
        _ => Err(ApiError::new(
            axum::http::StatusCode::METHOD_NOT_ALLOWED,
            format!("`{kind}` cannot be created through the API"),
        )),
    }
}

/// `PUT`, `PATCH` and `DELETE` on an object: `awards` (see [`write::award_edit`]).
async fn edit(
    State(state): State<AppState>,
    caller: CcsCaller,
    method: axum::http::Method,
    ApiPath((cid, kind, id)): ApiPath<(String, String, String)>,
    body: bytes::Bytes,
) -> ApiResult<Response> {
    if kind != "awards" {
        return Err(ApiError::new(
            axum::http::StatusCode::METHOD_NOT_ALLOWED,
            format!("`{kind}` cannot be changed through the API"),
        ));
    }
    let body = if body.is_empty() {
        None
    } else {
        Some(
            serde_json::from_slice(&body)
                .map_err(|e| ApiError::bad_request(format!("the body is not JSON: {e}")))?,
        )
    };
    write::award_edit(&state, caller, &method, &cid, &id, body).await
}

/// A problem's package (the jury's): the zip CodeHub judges with.
async fn problem_package(
    State(state): State<AppState>,
    caller: CcsCaller,
    ApiPath((cid, id)): ApiPath<(String, String)>,
) -> ApiResult<Response> {
    let contest = find(&state, &cid).await?;
    let missing = || ApiError::not_found(format!("unknown problem `{id}`"));
    if caller.viewer(&state, &contest).await? != Viewer::Admin {
        return Err(missing());
    }
    let data = ContestData::load(&state, contest).await?;
    let (_, problem) = data
        .problems
        .iter()
        .find(|(_, p)| objects::problem_id(p) == id)
        .ok_or_else(missing)?;
    let path = state
        .blobs
        .local_path(&problem.package_hash)
        .await
        .map_err(ApiError::internal)?;
    let bytes = tokio::fs::read(path).await.map_err(ApiError::internal)?;
    Ok(([(header::CONTENT_TYPE, "application/zip")], bytes).into_response())
}
