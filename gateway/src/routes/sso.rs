//! A contest open only to people signed in through one provider (a university's own
//! OpenID Connect, say): an administrator names the provider; registering and submitting
//! then need an identity of it linked to the account (the jury is exempt).

use super::{ApiJson, ApiPath};
use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use axum::extract::State;
use codehub_engine::model::{ContestId, Role};
use serde::{Deserialize, Serialize};

/// The event log's kind of a contest's sign-in requirement.
const SSO_EVENT: &str = "sso";

/// A contest's sign-in requirement.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SsoRequirement {
    /// The provider whose identity participants need (`null`: none).
    pub provider: Option<String>,
}

/// The provider a contest requires, if any.
///
/// # Errors
/// Store failures.
pub async fn required_provider(
    state: &AppState,
    contest: ContestId,
) -> Result<Option<String>, ApiError> {
    let last = state
        .store
        .events_of_kind(contest, SSO_EVENT, 0)
        .await?
        .pop();
    Ok(last.and_then(|(_, _, data, _)| data["provider"].as_str().map(str::to_owned)))
}

/// 403 unless `caller` may take part in `contest` as far as sign-in goes.
///
/// # Errors
/// 403 naming the provider needed; store failures.
pub async fn check(state: &AppState, contest: ContestId, caller: &Caller) -> Result<(), ApiError> {
    let Some(provider) = required_provider(state, contest).await? else {
        return Ok(());
    };
    if caller.role >= Role::Jury {
        return Ok(());
    }
    let linked = state.store.identities_of(caller.id).await?;
    if linked.iter().any(|i| i.provider == provider) {
        return Ok(());
    }
    Err(ApiError::forbidden(format!(
        "this contest is open to accounts signed in with `{provider}` only: link it on your \
         account page (/account), then try again"
    )))
}

/// The provider a contest requires (`null`: none).
#[utoipa::path(get, path = "/api/contests/{id}/sso", params(("id" = i64, Path)),
    responses((status = 200, body = SsoRequirement), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<ApiJson<SsoRequirement>> {
    super::contests::load(&state, id).await?;
    Ok(ApiJson(SsoRequirement {
        provider: required_provider(&state, ContestId(id)).await?,
    }))
}

/// Requires sign-in through a configured provider for a contest, or lifts the
/// requirement (admin). Participants registered before keep their place.
#[utoipa::path(put, path = "/api/contests/{id}/sso", params(("id" = i64, Path)), request_body = SsoRequirement, security(("bearer" = [])),
    responses((status = 200, body = SsoRequirement), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn put(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<SsoRequirement>,
) -> ApiResult<ApiJson<SsoRequirement>> {
    caller.require(Role::Admin)?;
    super::contests::load(&state, id).await?;
    if let Some(p) = &req.provider
        && !state.oidc.names().any(|n| n == p)
    {
        return Err(ApiError::unprocessable(format!(
            "no sign-in provider `{p}` is configured here"
        )));
    }
    let data = serde_json::json!({"provider": req.provider});
    state
        .store
        .append_event(Some(ContestId(id)), SSO_EVENT, &data)
        .await?;
    super::users::audit(
        &state,
        &caller,
        "require_sso",
        format!("contest {id}"),
        data,
    )
    .await?;
    Ok(ApiJson(req))
}
