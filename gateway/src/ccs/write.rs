//! The Contest API's write side, by capability (listed per caller in `access`):
//!
//! - `team_submit` (a team) and `proxy_submit` (the jury, for a team): `POST submissions`;
//! - `post_clar` (a team asks; the jury answers or announces): `POST clarifications`;
//! - `contest_start` and `contest_thaw` (an administrator): `PATCH contests/{id}`.
//!
//! Each goes through the same checks as CodeHub's own API (`routes`), so the rules (file
//! names, languages, rate limits, registration) are one set.

use super::auth::CcsCaller;
use super::objects::{ContestData, Viewer, problem_id};
use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::routes::{ApiJson, ApiPath, clarifications, contests, submissions};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use codehub_engine::model::{Contest, Millis, Role, UserId, now_ms};
use codehub_protocol::requests::{ContestPatch, NewClarification, NewSubmission};
use codehub_protocol::views::FileView;
use serde_json::{Value, json};
use std::io::Read;

/// Largest submission archive accepted, bytes (before base64).
const MAX_ARCHIVE_BYTES: usize = 1 << 20;
/// A start may not be moved when it is this close, nor to a time this close (the text's
/// 30 s).
const START_MARGIN_MS: Millis = 30_000;

/// The capabilities `viewer` has in `contest`.
pub fn capabilities(viewer: Viewer, caller: Option<&Caller>) -> Vec<&'static str> {
    match viewer {
        Viewer::Team(_) => vec!["team_submit", "post_clar"],
        Viewer::Admin if caller.is_some_and(|c| c.role == Role::Admin) => {
            vec!["proxy_submit", "post_clar", "contest_start", "contest_thaw"]
        }
        Viewer::Admin => vec!["proxy_submit", "post_clar"],
        Viewer::Public => Vec::new(),
    }
}

fn object(body: &Value) -> Result<&serde_json::Map<String, Value>, ApiError> {
    body.as_object()
        .ok_or_else(|| ApiError::bad_request("the body must be a JSON object"))
}

/// Refuses properties outside `allowed` (the text: "a property that must not be provided").
fn only(body: &serde_json::Map<String, Value>, allowed: &[&str]) -> Result<(), ApiError> {
    match body
        .iter()
        .find(|(k, v)| !allowed.contains(&k.as_str()) && !v.is_null())
    {
        Some((k, _)) => Err(ApiError::bad_request(format!(
            "`{k}` may not be given here (allowed: {})",
            allowed.join(", ")
        ))),
        None => Ok(()),
    }
}

fn string<'a>(
    body: &'a serde_json::Map<String, Value>,
    key: &str,
) -> Result<Option<&'a str>, ApiError> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(ApiError::bad_request(format!("`{key}` must be a string"))),
    }
}

/// A team of `data` by API id.
fn team(data: &ContestData, id: &str) -> Result<UserId, ApiError> {
    data.teams
        .iter()
        .find(|u| u.id.0.to_string() == id)
        .map(|u| u.id)
        .ok_or_else(|| ApiError::unprocessable(format!("unknown team `{id}`")))
}

/// A problem of `data` by API id.
fn problem(data: &ContestData, id: &str) -> Result<i64, ApiError> {
    data.problems
        .iter()
        .find(|(_, p)| problem_id(p) == id)
        .map(|(_, p)| p.id.0)
        .ok_or_else(|| ApiError::unprocessable(format!("unknown problem `{id}`")))
}

/// The files of a submission: one zip, base64 in `data`, its files at the root.
fn unpack(files: &Value) -> Result<Vec<FileView>, ApiError> {
    let bad = |m: &str| ApiError::bad_request(format!("files: {m}"));
    let [file] = files
        .as_array()
        .map(Vec::as_slice)
        .ok_or_else(|| bad("must be an array with one archive"))?
    else {
        return Err(bad("must hold exactly one archive"));
    };
    if let Some(mime) = file.get("mime").and_then(Value::as_str)
        && mime != "application/zip"
    {
        return Err(bad("the archive's mime must be application/zip"));
    }
    let data = file
        .get("data")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("the archive goes in `data`, base64"))?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data)
        .map_err(|_| bad("`data` is not base64"))?;
    if bytes.len() > MAX_ARCHIVE_BYTES {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("files: the archive is larger than {MAX_ARCHIVE_BYTES} bytes"),
        ));
    }
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|_| bad("`data` is not a zip archive"))?;
    // What an archive may unpack to: a submission's 32 files, 4 MiB of text in all (a
    // small zip can expand a thousandfold).
    const MAX_ENTRIES: usize = 64;
    const MAX_UNPACKED: u64 = 4 << 20;
    if archive.len() > MAX_ENTRIES {
        return Err(bad(&format!(
            "the archive holds more than {MAX_ENTRIES} entries"
        )));
    }
    let mut unpacked = 0u64;
    let mut out = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|_| bad("a damaged zip entry"))?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().to_owned();
        if name.contains('/') {
            return Err(bad(&format!("`{name}`: files go at the archive's root")));
        }
        let mut contents = String::new();
        entry
            .by_ref()
            .take(MAX_UNPACKED - unpacked + 1)
            .read_to_string(&mut contents)
            .map_err(|_| bad(&format!("`{name}` is not UTF-8 text")))?;
        unpacked += contents.len() as u64;
        if unpacked > MAX_UNPACKED {
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("files: the archive unpacks to more than {MAX_UNPACKED} bytes"),
            ));
        }
        out.push(FileView { name, contents });
    }
    Ok(out)
}

/// `POST contests/{id}/submissions`: `team_submit` or `proxy_submit`.
pub async fn submit(
    state: &AppState,
    caller: CcsCaller,
    cid: &str,
    body: Value,
) -> ApiResult<Response> {
    let state = state.clone();
    let contest = super::find(&state, cid).await?;
    let viewer = caller.viewer(&state, &contest).await?;
    let Some(me) = caller.0.clone() else {
        return Err(ApiError::unauthorized("sign in to submit"));
    };
    let fields = object(&body)?;
    only(
        fields,
        &[
            "language_id",
            "problem_id",
            "team_id",
            "files",
            "entry_point",
        ],
    )?;
    let data = ContestData::load(&state, contest.clone()).await?;
    let team_id = string(fields, "team_id")?;
    let author = match viewer {
        Viewer::Team(t) => {
            if team_id.is_some_and(|id| id != t.0.to_string()) {
                return Err(ApiError::forbidden("a team submits as itself only"));
            }
            me
        }
        Viewer::Admin => {
            let id = team_id.ok_or_else(|| {
                ApiError::bad_request("`team_id` is required to submit for a team")
            })?;
            let t = team(&data, id)?;
            let user = data
                .teams
                .iter()
                .find(|u| u.id == t)
                .expect("a team of the contest");
            Caller {
                id: t,
                username: user.username.clone(),
                role: user.role,
            }
        }
        Viewer::Public => {
            return Err(ApiError::forbidden(
                "only a team of the contest (team_submit) or the jury (proxy_submit) may submit",
            ));
        }
    };
    let problem = problem(
        &data,
        string(fields, "problem_id")?
            .ok_or_else(|| ApiError::bad_request("`problem_id` is required"))?,
    )?;
    let language = string(fields, "language_id")?
        .ok_or_else(|| ApiError::bad_request("`language_id` is required"))?;
    let files = unpack(
        fields
            .get("files")
            .ok_or_else(|| ApiError::bad_request("`files` is required"))?,
    )?;
    let (_, ApiJson(created)) = submissions::create(
        State(state.clone()),
        author,
        ApiJson(NewSubmission {
            problem_id: problem,
            contest_id: Some(contest.id.0),
            language: Some(language.to_owned()),
            files,
        }),
    )
    .await?;
    created_response(&state, contest, viewer, "submissions", created.id).await
}

/// `POST contests/{id}/clarifications`: `post_clar`. A team asks (about a problem or in
/// general); the jury answers (`reply_to_id`; to the asking team, or to the teams in
/// `to_team_ids`) or announces to every team.
pub async fn clarify(
    state: &AppState,
    caller: CcsCaller,
    cid: &str,
    body: Value,
) -> ApiResult<Response> {
    let state = state.clone();
    let contest = super::find(&state, cid).await?;
    let viewer = caller.viewer(&state, &contest).await?;
    let Some(me) = caller.0.clone() else {
        return Err(ApiError::unauthorized("sign in to send a clarification"));
    };
    let fields = object(&body)?;
    let data = ContestData::load(&state, contest.clone()).await?;
    let text =
        string(fields, "text")?.ok_or_else(|| ApiError::bad_request("`text` is required"))?;
    let problem_id = string(fields, "problem_id")?
        .map(|p| problem(&data, p))
        .transpose()?;
    let mut request = NewClarification {
        text: text.to_owned(),
        canned: None,
        problem_id,
        reply_to_id: None,
        to_user_ids: None,
        to_all: false,
    };
    match viewer {
        Viewer::Team(t) => {
            only(fields, &["text", "problem_id", "from_team_id"])?;
            if string(fields, "from_team_id")?.is_some_and(|f| f != t.0.to_string()) {
                return Err(ApiError::forbidden(
                    "a team sends clarifications as itself only",
                ));
            }
        }
        Viewer::Admin => {
            only(
                fields,
                &["text", "problem_id", "reply_to_id", "to_team_ids"],
            )?;
            if let Some(r) = string(fields, "reply_to_id")? {
                let r: i64 = r
                    .parse()
                    .map_err(|_| ApiError::unprocessable(format!("unknown clarification `{r}`")))?;
                request.reply_to_id = Some(r);
            }
            match fields.get("to_team_ids") {
                None | Some(Value::Null) => request.to_all = request.reply_to_id.is_none(),
                Some(Value::Array(ids)) => {
                    let mut teams = Vec::new();
                    for id in ids {
                        let id = id.as_str().ok_or_else(|| {
                            ApiError::bad_request("`to_team_ids` holds team ids (strings)")
                        })?;
                        teams.push(team(&data, id)?.0);
                    }
                    request.to_user_ids = Some(teams);
                }
                Some(_) => return Err(ApiError::bad_request("`to_team_ids` must be an array")),
            }
        }
        Viewer::Public => {
            return Err(ApiError::forbidden(
                "only a team of the contest or the jury may send clarifications",
            ));
        }
    }
    let (_, ApiJson(created)) = clarifications::create(
        State(state.clone()),
        me,
        ApiPath(contest.id.0),
        ApiJson(request),
    )
    .await?;
    created_response(&state, contest, viewer, "clarifications", created.id).await
}

/// `201 Created` with `Location` and the new object as `viewer` sees it.
async fn created_response(
    state: &AppState,
    contest: Contest,
    viewer: Viewer,
    kind: &str,
    id: i64,
) -> ApiResult<Response> {
    let id = id.to_string();
    let data = ContestData::load(state, contest).await?;
    let object = data
        .entries(Vec::new())
        .into_iter()
        .find(|e| e.kind == kind && e.id.as_deref() == Some(&id))
        .and_then(|e| e.seen_by(viewer).cloned())
        .unwrap_or(Value::Null);
    let location = format!("/api/ccs/contests/{}/{kind}/{id}", data.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        axum::Json(object),
    )
        .into_response())
}

fn parse_time(key: &str, s: &str) -> Result<Millis, ApiError> {
    super::format::parse_time(s).ok_or_else(|| {
        ApiError::bad_request(format!(
            "`{key}` must be a TIME (ISO 8601 with a time zone)"
        ))
    })
}

async fn patch(
    state: &AppState,
    caller: &Caller,
    contest: &Contest,
    body: Value,
) -> Result<(), ApiError> {
    let patch: ContestPatch = serde_json::from_value(body).map_err(ApiError::internal)?;
    contests::update(
        State(state.clone()),
        caller.clone(),
        ApiPath(contest.id.0),
        ApiJson(patch),
    )
    .await?;
    Ok(())
}

/// `PATCH contests/{id}`: `contest_start` (`start_time`; the duration and the freeze move
/// with it) or `contest_thaw` (`scoreboard_thaw_time`; now or earlier thaws at once).
pub async fn patch_contest(
    State(state): State<AppState>,
    caller: CcsCaller,
    ApiPath(cid): ApiPath<String>,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult<Response> {
    let contest = super::find(&state, &cid).await?;
    let Some(me) = caller.0.clone().filter(|c| c.role == Role::Admin) else {
        return Err(ApiError::forbidden(
            "contest_start and contest_thaw need an administrator",
        ));
    };
    let fields = object(&body)?;
    if let Some(id) = string(fields, "id")?
        && id != cid
    {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            format!("the body's id `{id}` is not `{cid}`"),
        ));
    }
    let now = now_ms();
    if fields.contains_key("start_time") {
        only(fields, &["id", "start_time"])?;
        let start = string(fields, "start_time")?.ok_or_else(|| {
            ApiError::bad_request("CodeHub cannot pause a countdown: `start_time` must be a TIME")
        })?;
        let start = parse_time("start_time", start)?;
        if contest.start_at <= now + START_MARGIN_MS {
            return Err(ApiError::forbidden(
                "the contest has started or starts within 30 s",
            ));
        }
        if start <= now + START_MARGIN_MS {
            return Err(ApiError::forbidden(
                "the new start must be more than 30 s away",
            ));
        }
        let shift = start - contest.start_at;
        patch(
            &state,
            &me,
            &contest,
            json!({
                "start_at": start,
                "end_at": contest.end_at + shift,
                "freeze_at": contest.freeze_at.map(|f| f + shift),
            }),
        )
        .await?;
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    if fields.contains_key("scoreboard_thaw_time") {
        only(fields, &["id", "scoreboard_thaw_time"])?;
        let at = string(fields, "scoreboard_thaw_time")?
            .ok_or_else(|| ApiError::bad_request("`scoreboard_thaw_time` must be a TIME"))?;
        let at = parse_time("scoreboard_thaw_time", at)?;
        if contest.freeze_at.is_none() || !contest.is_frozen(now.max(contest.end_at)) {
            return Err(ApiError::forbidden("the scoreboard is not frozen"));
        }
        if now < contest.end_at {
            return Err(ApiError::forbidden("the contest has not ended"));
        }
        if at <= now {
            state.engine.unfreeze(contest.id).await?;
            let contest = super::find(&state, &cid).await?;
            let data = ContestData::load(&state, contest).await?;
            return Ok(axum::Json(data.contest_object()).into_response());
        }
        patch(&state, &me, &contest, json!({"unfreeze_at": at})).await?;
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    Err(ApiError::bad_request(
        "give `start_time` (contest_start) or `scoreboard_thaw_time` (contest_thaw)",
    ))
}

/// The awards the jury sees now, by id.
async fn current_awards(state: &AppState, contest: &Contest) -> Result<Vec<Value>, ApiError> {
    super::visible(state, contest.clone(), Viewer::Admin, "awards").await
}

/// Checks an award body: `citation` (non-empty) and `team_ids` (teams of the contest).
fn check_award(data: &ContestData, award: &serde_json::Map<String, Value>) -> Result<(), ApiError> {
    only(award, &["id", "citation", "team_ids"])?;
    match award.get("citation") {
        Some(Value::String(c)) if !c.trim().is_empty() => {}
        _ => {
            return Err(ApiError::bad_request(
                "`citation` must be a non-empty string",
            ));
        }
    }
    let Some(Value::Array(teams)) = award.get("team_ids") else {
        return Err(ApiError::bad_request(
            "`team_ids` must be an array of team ids",
        ));
    };
    for t in teams {
        let t = t
            .as_str()
            .ok_or_else(|| ApiError::bad_request("`team_ids` holds team ids (strings)"))?;
        team(data, t)?;
    }
    Ok(())
}

/// Records the jury's version of award `id` (`None`: removed) and wakes the feed.
async fn set_award(
    state: &AppState,
    contest: &Contest,
    id: &str,
    award: Option<&Value>,
) -> Result<(), ApiError> {
    state
        .store
        .append_event(
            Some(contest.id),
            super::board::AWARD_EVENT,
            &json!({"id": id, "award": award}),
        )
        .await?;
    state.feeds.poke(contest.id);
    Ok(())
}

/// The jury, or 403.
async fn jury_only(
    state: &AppState,
    caller: &CcsCaller,
    contest: &Contest,
) -> Result<(), ApiError> {
    if caller.viewer(state, contest).await? == Viewer::Admin {
        Ok(())
    } else if caller.0.is_none() {
        Err(ApiError::unauthorized("sign in as the jury to edit awards"))
    } else {
        Err(ApiError::forbidden("awards are edited by the jury"))
    }
}

/// `POST awards` (the jury): a new award, named `award-<n>` by CodeHub.
pub async fn award_post(
    state: &AppState,
    caller: CcsCaller,
    cid: &str,
    body: Value,
) -> ApiResult<Response> {
    let contest = super::find(state, cid).await?;
    jury_only(state, &caller, &contest).await?;
    let fields = object(&body)?;
    if fields.contains_key("id") {
        return Err(ApiError::bad_request(
            "POST assigns the id; use PUT awards/{id} to name it",
        ));
    }
    let data = ContestData::load(state, contest.clone()).await?;
    check_award(&data, fields)?;
    let taken = current_awards(state, &contest).await?;
    let id = (1..)
        .map(|n| format!("award-{n}"))
        .find(|id| taken.iter().all(|a| a["id"] != id.as_str()))
        .expect("a free id");
    let mut award = body.clone();
    award["id"] = json!(id);
    set_award(state, &contest, &id, Some(&award)).await?;
    let location = format!("/api/ccs/contests/{cid}/awards/{id}");
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        axum::Json(award),
    )
        .into_response())
}

/// `PUT`, `PATCH` or `DELETE awards/{id}` (the jury): set, change or remove an award,
/// computed ones included (a removed computed award stays removed).
pub async fn award_edit(
    state: &AppState,
    caller: CcsCaller,
    method: &axum::http::Method,
    cid: &str,
    id: &str,
    body: Option<Value>,
) -> ApiResult<Response> {
    let contest = super::find(state, cid).await?;
    jury_only(state, &caller, &contest).await?;
    if !super::format::is_id(id) {
        return Err(ApiError::bad_request(format!("`{id}` is not an ID")));
    }
    let existing = current_awards(state, &contest)
        .await?
        .into_iter()
        .find(|a| a["id"] == id);
    let data = ContestData::load(state, contest.clone()).await?;
    let missing = || ApiError::not_found(format!("unknown award `{id}`"));
    let award = match method.as_str() {
        "DELETE" => {
            existing.ok_or_else(missing)?;
            set_award(state, &contest, id, None).await?;
            return Ok(StatusCode::NO_CONTENT.into_response());
        }
        "PUT" => {
            let body = body.unwrap_or(Value::Null);
            let fields = object(&body)?;
            if fields
                .get("id")
                .and_then(Value::as_str)
                .is_some_and(|b| b != id)
            {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    format!("the body's id is not `{id}`"),
                ));
            }
            check_award(&data, fields)?;
            let mut award = body.clone();
            award["id"] = json!(id);
            award
        }
        _ => {
            let mut award = existing.ok_or_else(missing)?;
            let body = body.unwrap_or(Value::Null);
            let fields = object(&body)?;
            if fields
                .get("id")
                .and_then(Value::as_str)
                .is_some_and(|b| b != id)
            {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    format!("the body's id is not `{id}`"),
                ));
            }
            for (k, v) in fields {
                if v.is_null() {
                    return Err(ApiError::bad_request(format!("`{k}` may not be null")));
                }
                award[k.as_str()] = v.clone();
            }
            check_award(&data, object(&award)?)?;
            award
        }
    };
    set_award(state, &contest, id, Some(&award)).await?;
    Ok(axum::Json(award).into_response())
}
