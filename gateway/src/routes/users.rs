//! Users: the administrators' list, role changes, disabling and password resets (each
//! kept in the audit log), public profiles and avatars, and deletion by the owner.

use super::{ApiJson, ApiPath, ApiQuery, avatar};
use crate::app::AppState;
use crate::auth::{Caller, hash_password, verify_password};
use crate::error::{ApiError, ApiResult};
use crate::present;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use codehub_engine::model::{ContestId, Profile, Role, User, UserId};
use codehub_protocol::requests::{AccountDeletion, ProfileChange, UserChange};
use codehub_protocol::views::{
    AdminUserView, AuditEntry, ContestTaken, CountOf, DayCount, ProfileView, RecentSubmission,
    SolvedProblem, UserPage, UserView,
};
use rand::RngCore;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The audit log's kind in the store's global event log.
const AUDIT_EVENT: &str = "audit";
/// How many of a user's newest submissions a profile shows.
const RECENT: usize = 20;
/// How many submissions a profile reads per page while looking for them.
const RECENT_PAGE: u32 = 50;

/// Records an administrator's action in the audit log.
pub(crate) async fn audit(
    state: &AppState,
    actor: &Caller,
    action: &str,
    target: String,
    detail: serde_json::Value,
) -> Result<(), ApiError> {
    let entry = serde_json::json!({
        "actor_id": actor.id.0,
        "actor": actor.username,
        "action": action,
        "target": target,
        "detail": detail,
    });
    state.store.append_event(None, AUDIT_EVENT, &entry).await?;
    Ok(())
}

async fn existing(state: &AppState, id: i64) -> Result<User, ApiError> {
    state
        .store
        .user(UserId(id))
        .await?
        .filter(|u| !u.deleted)
        .ok_or_else(|| ApiError::not_found(format!("unknown user {id}")))
}

/// Changes a user's role, or disables or enables the account (admin). A role takes
/// effect with the user's next access token; disabling ends every session at once
/// (refresh tokens are revoked; access tokens run out within their lifetime).
#[utoipa::path(patch, path = "/api/users/{id}", params(("id" = i64, Path)), request_body = UserChange, security(("bearer" = [])),
    responses((status = 200, body = UserView), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(change): ApiJson<UserChange>,
) -> ApiResult<ApiJson<UserView>> {
    caller.require(Role::Admin)?;
    let role = change
        .role
        .as_deref()
        .map(|r| {
            Role::parse(r).ok_or_else(|| {
                ApiError::unprocessable(format!(
                    "unknown role `{r}` (admin, jury, contestant, spectator)"
                ))
            })
        })
        .transpose()?;
    existing(&state, id).await?;
    if change.disabled == Some(true) && id == caller.id.0 {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "administrators cannot disable their own account",
        ));
    }
    if let Some(role) = role {
        state.store.set_role(UserId(id), role).await?;
        audit(
            &state,
            &caller,
            "set_role",
            format!("user {id}"),
            serde_json::json!({"role": role.as_str()}),
        )
        .await?;
    }
    if let Some(disabled) = change.disabled {
        state.store.set_disabled(UserId(id), disabled).await?;
        if disabled {
            state.store.revoke_refresh_tokens(UserId(id)).await?;
        }
        let action = if disabled { "disable" } else { "enable" };
        audit(
            &state,
            &caller,
            action,
            format!("user {id}"),
            serde_json::json!({}),
        )
        .await?;
    }
    Ok(ApiJson(present::user(&existing(&state, id).await?)))
}

/// `GET /api/users` filters.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UserQuery {
    /// Part of the user name (case-insensitive).
    #[serde(default)]
    pub search: String,
    /// Users per page, 1-200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// Users skipped (default 0).
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

/// The users, searched by name and paged (admin).
#[utoipa::path(get, path = "/api/users", params(UserQuery), security(("bearer" = [])),
    responses((status = 200, body = UserPage), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<UserQuery>,
) -> ApiResult<ApiJson<UserPage>> {
    caller.require(Role::Admin)?;
    let limit = q.limit.unwrap_or(50);
    let offset = q.offset.unwrap_or(0);
    if !(1..=200).contains(&limit) || offset < 0 {
        return Err(ApiError::bad_request(
            "limit is 1-200 and offset at least 0",
        ));
    }
    let (users, total) = state.store.list_users(&q.search, limit, offset).await?;
    Ok(ApiJson(UserPage {
        users: users
            .into_iter()
            .map(|u| AdminUserView {
                id: u.id.0,
                username: u.username,
                role: u.role,
                disabled: u.disabled,
                created_at: u.created_at,
            })
            .collect(),
        total,
    }))
}

/// A new password made by an administrator (shown once).
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PasswordReset {
    /// The new password: give it to the user, who should change it.
    pub password: String,
}

/// Resets a user's password to a random one, shown once, and ends their sessions (admin).
#[utoipa::path(post, path = "/api/users/{id}/reset-password", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = PasswordReset), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn reset_password(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<ApiJson<PasswordReset>> {
    caller.require(Role::Admin)?;
    existing(&state, id).await?;
    let mut raw = [0u8; 12];
    rand::rng().fill_bytes(&mut raw);
    let password = hex::encode(raw);
    let hash = hash_password(password.clone()).await?;
    state.store.set_password_hash(UserId(id), &hash).await?;
    state.store.revoke_refresh_tokens(UserId(id)).await?;
    audit(
        &state,
        &caller,
        "reset_password",
        format!("user {id}"),
        serde_json::json!({}),
    )
    .await?;
    Ok(ApiJson(PasswordReset { password }))
}

/// `GET /api/audit` paging.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Entries before this id (default: the newest).
    pub before: Option<i64>,
    /// Entries per page, 1-500 (default 100).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

/// The audit log of administrator actions, newest first (admin).
#[utoipa::path(get, path = "/api/audit", params(AuditQuery), security(("bearer" = [])),
    responses((status = 200, body = [AuditEntry]), (status = 403, body = crate::error::ErrorBody)))]
pub async fn audit_log(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> ApiResult<ApiJson<Vec<AuditEntry>>> {
    caller.require(Role::Admin)?;
    let limit = q.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::bad_request("limit is 1-500"));
    }
    let before = q.before.unwrap_or(i64::MAX);
    let mut entries: Vec<AuditEntry> = state
        .store
        .events(None, 0)
        .await?
        .into_iter()
        .filter(|(id, kind, _, _)| kind == AUDIT_EVENT && *id < before)
        .map(|(id, _, data, at)| AuditEntry {
            id,
            at,
            actor_id: data["actor_id"].as_i64().unwrap_or_default(),
            actor: data["actor"].as_str().unwrap_or_default().to_owned(),
            action: data["action"].as_str().unwrap_or_default().to_owned(),
            target: data["target"].as_str().unwrap_or_default().to_owned(),
            detail: data["detail"].clone(),
        })
        .collect();
    entries.reverse();
    entries.truncate(limit as usize);
    Ok(ApiJson(entries))
}

/// A user's public profile: what they tell, practice problems solved, finished contests
/// taken part in.
#[utoipa::path(get, path = "/api/users/{id}/profile", params(("id" = i64, Path)),
    responses((status = 200, body = ProfileView), (status = 404, body = crate::error::ErrorBody)))]
pub async fn profile(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<ApiJson<ProfileView>> {
    let user = existing(&state, id).await?;
    let p = state.store.profile(user.id).await?;
    // Practice problems and those of finished contests, as the archive lists them.
    let every_problem = state.archive.entries(&state.store).await?;
    let archive: BTreeMap<i64, &crate::archive::Indexed> = every_problem
        .iter()
        .filter(|p| p.practice)
        .map(|p| (p.entry.id, p))
        .collect();
    let now = codehub_engine::model::now_ms();
    let all_contests = state.store.contests().await?;
    // Submissions of a contest that still runs stay private to its board.
    let running: std::collections::HashSet<_> = all_contests
        .iter()
        .filter(|c| c.end_at > now)
        .map(|c| c.id)
        .collect();
    let visible = |contest: Option<ContestId>| contest.is_none_or(|c| !running.contains(&c));
    let mut solved = BTreeMap::new();
    for t in state.store.user_problem_tallies(user.id).await? {
        if let (true, Some(p)) = (
            t.solved && visible(t.contest_id),
            archive.get(&t.problem_id.0),
        ) {
            solved.insert(t.problem_id.0, p);
        }
    }
    let virtuals: BTreeMap<_, _> = state
        .store
        .user_virtuals(user.id)
        .await?
        .into_iter()
        .map(|v| (v.contest_id, v))
        .collect();
    let mut contests = Vec::new();
    for c in all_contests {
        if c.end_at > now {
            continue;
        }
        let virtual_participation = virtuals.contains_key(&c.id);
        if virtual_participation || state.store.participants(c.id).await?.contains(&user.id) {
            contests.push(ContestTaken {
                contest_id: c.id.0,
                name: c.name,
                virtual_participation,
            });
        }
    }
    let ratings = crate::ratings::views(&state, &state.store.user_ratings(user.id).await?).await?;
    let since = now - 365 * 86_400_000;
    let mut days: BTreeMap<String, usize> = BTreeMap::new();
    for s in state.store.user_submission_marks(user.id, since).await? {
        if visible(s.contest_id) {
            *days.entry(day_of(s.submitted_at)).or_default() += 1;
        }
    }
    let names: BTreeMap<i64, &str> = every_problem
        .iter()
        .map(|p| (p.entry.id, p.entry.name.as_str()))
        .collect();
    // The newest visible ones, read a page at a time past those of running contests.
    let mut submissions = Vec::new();
    let mut before = None;
    while submissions.len() < RECENT {
        let page = state
            .store
            .user_submissions_page(user.id, None, before, RECENT_PAGE)
            .await?;
        let last = page.len() < RECENT_PAGE as usize;
        before = page.last().map(|s| s.id);
        submissions.extend(page.into_iter().filter(|s| visible(s.contest_id)));
        if last {
            break;
        }
    }
    let recent = submissions
        .iter()
        .take(RECENT)
        .map(|s| RecentSubmission {
            id: s.id.0,
            problem_id: s.problem_id.0,
            problem: names
                .get(&s.problem_id.0)
                .map(|n| (*n).to_owned())
                .unwrap_or_default(),
            verdict: s.judgement.as_ref().map(|j| j.verdict),
            submitted_at: s.submitted_at,
        })
        .collect();
    Ok(ApiJson(ProfileView {
        id: user.id.0,
        username: user.username,
        display_name: p.display_name,
        affiliation: p.affiliation,
        country: p.country,
        bio: p.bio,
        avatar_url: p.avatar.map(|_| format!("/api/users/{id}/avatar")),
        created_at: user.created_at,
        rating: ratings.last().map(|r| r.rating),
        ratings,
        solved_by_difficulty: {
            let mut levels: Vec<CountOf> = count_by(solved.values().map(|p| {
                p.entry
                    .difficulty
                    .map_or("unrated".to_owned(), |d| (d.round() as i64).to_string())
            }))
            .into_iter()
            .map(|(key, count)| CountOf { key, count })
            .collect();
            // 1 … 10, then unrated.
            levels.sort_by_key(|c| c.key.parse::<i64>().unwrap_or(i64::MAX));
            levels
        },
        solved_by_tag: {
            let mut tags: Vec<CountOf> =
                count_by(solved.values().flat_map(|p| p.entry.tags.clone()))
                    .into_iter()
                    .map(|(key, count)| CountOf { key, count })
                    .collect();
            tags.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
            tags
        },
        solved: solved
            .into_iter()
            .map(|(problem_id, p)| SolvedProblem {
                problem_id,
                name: p.entry.name.clone(),
            })
            .collect(),
        contests,
        activity: days
            .into_iter()
            .map(|(day, submissions)| DayCount { day, submissions })
            .collect(),
        recent,
    }))
}

/// How many times each key comes.
fn count_by(keys: impl Iterator<Item = String>) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for k in keys {
        *counts.entry(k).or_default() += 1;
    }
    counts
}

/// The UTC day of `ms` (since the epoch), `YYYY-MM-DD`.
fn day_of(ms: i64) -> String {
    let date = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .map(|t| t.date())
        .unwrap_or(time::Date::MIN);
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

fn may_edit(caller: &Caller, id: i64) -> Result<(), ApiError> {
    if caller.id.0 == id || caller.role >= Role::Admin {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "only the user or an administrator may change a profile",
        ))
    }
}

/// A changed field: empty clears it; over `max` characters or with control characters
/// is refused.
fn field(
    name: &str,
    given: Option<String>,
    now: Option<String>,
    max: usize,
) -> Result<Option<String>, ApiError> {
    let Some(value) = given else { return Ok(now) };
    let value = value.trim().to_owned();
    if value.chars().count() > max {
        return Err(ApiError::unprocessable(format!(
            "{name} is at most {max} characters"
        )));
    }
    if value.chars().any(|c| c.is_control() && c != '\n') {
        return Err(ApiError::unprocessable(format!(
            "{name} holds control characters"
        )));
    }
    Ok((!value.is_empty()).then_some(value))
}

/// Changes a profile (the user, or an administrator).
#[utoipa::path(patch, path = "/api/users/{id}/profile", params(("id" = i64, Path)), request_body = ProfileChange, security(("bearer" = [])),
    responses((status = 200, body = ProfileView), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn update_profile(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(change): ApiJson<ProfileChange>,
) -> ApiResult<ApiJson<ProfileView>> {
    may_edit(&caller, id)?;
    let user = existing(&state, id).await?;
    let now = state.store.profile(user.id).await?;
    if let Some(c) = &change.country
        && !(c.is_empty() || (c.len() == 3 && c.chars().all(|ch| ch.is_ascii_uppercase())))
    {
        return Err(ApiError::unprocessable(
            "country is an ISO 3166-1 alpha-3 code (three capital letters)",
        ));
    }
    let next = Profile {
        display_name: field(
            "display_name",
            change.display_name,
            now.display_name.clone(),
            64,
        )?,
        affiliation: field(
            "affiliation",
            change.affiliation,
            now.affiliation.clone(),
            128,
        )?,
        country: field("country", change.country, now.country.clone(), 3)?,
        bio: field("bio", change.bio, now.bio.clone(), 2000)?,
        avatar: now.avatar,
    };
    state.store.set_profile(user.id, &next).await?;
    if caller.id != user.id {
        audit(
            &state,
            &caller,
            "edit_profile",
            format!("user {id}"),
            serde_json::json!({}),
        )
        .await?;
    }
    profile(State(state), ApiPath(id)).await
}

/// Sets the caller's avatar from a PNG, JPEG or WebP upload (at most 2 MiB and 4096×4096
/// pixels); it is stored re-encoded as a 256×256 PNG.
#[utoipa::path(put, path = "/api/me/avatar", security(("bearer" = [])),
    request_body(content = Vec<u8>, content_type = "image/png"),
    responses((status = 204), (status = 413, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn put_avatar(
    State(state): State<AppState>,
    caller: Caller,
    body: axum::body::Bytes,
) -> ApiResult<StatusCode> {
    let upload = body.to_vec();
    let png = tokio::task::spawn_blocking(move || avatar::reencode(&upload))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::unprocessable)?;
    let hash = state.blobs.put(png).await?;
    let mut p = state.store.profile(caller.id).await?;
    p.avatar = Some(hash);
    state.store.set_profile(caller.id, &p).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes the caller's avatar.
#[utoipa::path(delete, path = "/api/me/avatar", security(("bearer" = [])),
    responses((status = 204)))]
pub async fn delete_avatar(State(state): State<AppState>, caller: Caller) -> ApiResult<StatusCode> {
    let mut p = state.store.profile(caller.id).await?;
    p.avatar = None;
    state.store.set_profile(caller.id, &p).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A user's avatar (a PNG the server made).
#[utoipa::path(get, path = "/api/users/{id}/avatar", params(("id" = i64, Path)),
    responses((status = 200, content_type = "image/png", body = Vec<u8>), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_avatar(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Response> {
    let user = existing(&state, id).await?;
    let hash = state
        .store
        .profile(user.id)
        .await?
        .avatar
        .ok_or_else(|| ApiError::not_found(format!("user {id} has no avatar")))?;
    let path = state
        .blobs
        .local_path(&hash)
        .await
        .map_err(|e| ApiError::not_found(e.to_string()))?;
    let bytes = tokio::fs::read(&path).await.map_err(ApiError::internal)?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("inline; filename=\"avatar.png\""),
    );
    Ok(response)
}

/// Deletes the caller's account (the user name, to confirm, and the password when the
/// account has one): the name becomes `deleted-<id>`, the password, profile, avatar,
/// linked identities and sessions go. Submissions stay, anonymised, so scoreboards and
/// judged contests stay whole.
#[utoipa::path(delete, path = "/api/me", request_body = AccountDeletion, security(("bearer" = [])),
    responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn delete_me(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(confirm): ApiJson<AccountDeletion>,
) -> ApiResult<StatusCode> {
    let user = existing(&state, caller.id.0).await?;
    if confirm.confirm_username != user.username {
        return Err(ApiError::unprocessable(
            "confirm_username must be this account's user name",
        ));
    }
    if !user.password_hash.is_empty() {
        let given = confirm.password.unwrap_or_default();
        if !verify_password(given, user.password_hash.clone()).await {
            return Err(ApiError::forbidden("the password is wrong"));
        }
    }
    if user.role == Role::Admin {
        let (admins, _) = state.store.list_users("", 10_000, 0).await?;
        if admins
            .iter()
            .filter(|u| u.role == Role::Admin && !u.disabled)
            .count()
            <= 1
        {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "the last administrator cannot delete their account; make another one first",
            ));
        }
    }
    state.store.delete_user(user.id).await?;
    Ok(StatusCode::NO_CONTENT)
}
