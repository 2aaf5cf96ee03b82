//! `/api/auth/*` and `/api/me`.

use super::ApiJson;
use crate::app::AppState;
use crate::auth::{Caller, TokenPair, hash_password, issue_tokens, verify_password};
use crate::error::{ApiError, ApiResult};
use crate::present;
use axum::extract::State;
use axum::http::StatusCode;
use codehub_engine::model::Role;
use codehub_engine::ports::store::NewUser;
use codehub_protocol::requests::{Credentials, RefreshRequest};
use codehub_protocol::views::{Session, UserView};

fn validate(c: &Credentials) -> Result<(), ApiError> {
    let name_ok = (3..=32).contains(&c.username.len())
        && c.username
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || "_-.".contains(ch));
    if !name_ok {
        return Err(ApiError::unprocessable(
            "username must be 3-32 characters of letters, digits, `_`, `-` or `.`",
        ));
    }
    if c.username.starts_with("deleted-") {
        return Err(ApiError::unprocessable(
            "user names starting with `deleted-` are kept for deleted accounts",
        ));
    }
    if !(12..=128).contains(&c.password.chars().count()) {
        return Err(ApiError::unprocessable(
            "password must be 12-128 characters",
        ));
    }
    Ok(())
}

/// Registers a contestant and logs them in.
#[utoipa::path(post, path = "/api/auth/register", request_body = Credentials,
    responses((status = 201, body = Session), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn register(
    State(state): State<AppState>,
    ApiJson(c): ApiJson<Credentials>,
) -> ApiResult<(StatusCode, ApiJson<Session>)> {
    validate(&c)?;
    let password_hash = hash_password(c.password).await?;
    let user = state
        .store
        .create_user(NewUser {
            username: c.username,
            password_hash,
            role: Role::Contestant,
        })
        .await?;
    let tokens = issue_tokens(&state.keys, &*state.store, &user).await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(Session {
            user: present::user(&user),
            tokens,
        }),
    ))
}

/// Logs in. After 10 failed attempts on one account (or 100 from one address) within
/// 15 minutes, attempts are refused with 429 and `Retry-After` until the oldest failure
/// is 15 minutes old.
#[utoipa::path(post, path = "/api/auth/login", request_body = Credentials,
    responses((status = 200, body = Session), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 429, body = crate::error::ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    client: Option<axum::Extension<crate::proxy::ClientInfo>>,
    ApiJson(c): ApiJson<Credentials>,
) -> ApiResult<ApiJson<Session>> {
    let ip = client.and_then(|axum::Extension(c)| c.ip);
    let user = crate::throttle::password_sign_in(&state, &c.username, c.password, ip).await?;
    let tokens = issue_tokens(&state.keys, &*state.store, &user).await?;
    Ok(ApiJson(Session {
        user: present::user(&user),
        tokens,
    }))
}

/// Exchanges a refresh token for a new pair (the old one stops working).
#[utoipa::path(post, path = "/api/auth/refresh", request_body = RefreshRequest,
    responses((status = 200, body = TokenPair), (status = 401, body = crate::error::ErrorBody)))]
pub async fn refresh(
    State(state): State<AppState>,
    ApiJson(r): ApiJson<RefreshRequest>,
) -> ApiResult<ApiJson<TokenPair>> {
    crate::auth::refresh(&state.keys, &*state.store, &r.refresh_token)
        .await
        .map(ApiJson)
}

/// Signs this session out on the server: its refresh token stops working at once (the
/// access token runs out within its lifetime). Unknown or used tokens are answered the
/// same way.
#[utoipa::path(post, path = "/api/auth/logout", request_body = RefreshRequest,
    responses((status = 204)))]
pub async fn logout(
    State(state): State<AppState>,
    ApiJson(r): ApiJson<RefreshRequest>,
) -> ApiResult<StatusCode> {
    crate::auth::revoke_refresh_token(&*state.store, &r.refresh_token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The current user.
#[utoipa::path(get, path = "/api/me", security(("bearer" = [])),
    responses((status = 200, body = UserView), (status = 401, body = crate::error::ErrorBody)))]
pub async fn me(State(state): State<AppState>, caller: Caller) -> ApiResult<ApiJson<UserView>> {
    let user = state
        .store
        .user(caller.id)
        .await?
        .ok_or_else(|| ApiError::unauthorized("the user of this token no longer exists"))?;
    Ok(ApiJson(present::user(&user)))
}

/// `POST /api/me/password`: the current password and the new one.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    /// The password now (empty for an account that has none yet).
    #[serde(default)]
    pub current: String,
    /// The new one, 12 to 128 characters.
    #[schema(min_length = 12, max_length = 128)]
    pub new: String,
}

/// Changes the caller's password: every other session ends (their refresh tokens are
/// revoked) and a fresh pair is returned for this one.
#[utoipa::path(post, path = "/api/me/password", request_body = PasswordChange, security(("bearer" = [])),
    responses((status = 200, body = TokenPair), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn change_password(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(change): ApiJson<PasswordChange>,
) -> ApiResult<ApiJson<TokenPair>> {
    if !(12..=128).contains(&change.new.chars().count()) {
        return Err(ApiError::unprocessable(
            "password must be 12-128 characters",
        ));
    }
    let user = state
        .store
        .user(caller.id)
        .await?
        .ok_or_else(|| ApiError::unauthorized("no such user"))?;
    // An account made by a sign-in provider has no password yet: it sets one without.
    let has_password = !user.password_hash.is_empty();
    if has_password && !verify_password(change.current, user.password_hash.clone()).await {
        return Err(ApiError::forbidden("the current password is wrong"));
    }
    let hash = hash_password(change.new).await?;
    state.store.set_password_hash(user.id, &hash).await?;
    state.store.revoke_refresh_tokens(user.id).await?;
    Ok(ApiJson(
        issue_tokens(&state.keys, &*state.store, &user).await?,
    ))
}

/// Signs the caller out everywhere: every refresh token is revoked, so no session can be
/// renewed (access tokens run out within their lifetime, 15 minutes by default).
#[utoipa::path(post, path = "/api/me/sign-out-everywhere", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = crate::error::ErrorBody)))]
pub async fn sign_out_everywhere(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<StatusCode> {
    state.store.revoke_refresh_tokens(caller.id).await?;
    Ok(StatusCode::NO_CONTENT)
}
