//! `/api/users/{id}`: role changes (admin).

use super::{ApiJson, ApiPath};
use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::present;
use axum::extract::State;
use codehub_engine::model::{Role, UserId};
use codehub_protocol::requests::RoleChange;
use codehub_protocol::views::UserView;

/// Sets a user's role (admin). Takes effect with the user's next access token.
#[utoipa::path(patch, path = "/api/users/{id}", params(("id" = i64, Path)), request_body = RoleChange, security(("bearer" = [])),
    responses((status = 200, body = UserView), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn set_role(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(change): ApiJson<RoleChange>,
) -> ApiResult<ApiJson<UserView>> {
    caller.require(Role::Admin)?;
    let role = Role::parse(&change.role).ok_or_else(|| {
        ApiError::unprocessable(format!(
            "unknown role `{}` (admin, jury, contestant, spectator)",
            change.role
        ))
    })?;
    state.store.set_role(UserId(id), role).await?;
    let user = state
        .store
        .user(UserId(id))
        .await?
        .ok_or_else(|| ApiError::not_found(format!("unknown user {id}")))?;
    Ok(ApiJson(present::user(&user)))
}
