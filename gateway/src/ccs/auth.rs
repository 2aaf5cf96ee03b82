//! Who calls the Contest API: HTTP Basic (a CodeHub username and password, as the text
//! requires) or CodeHub's bearer tokens; nobody for public reads.

use super::objects::Viewer;
use crate::app::AppState;
use crate::auth::{Caller, verify_access_token};
use crate::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use base64::Engine as _;
use codehub_engine::model::{Contest, Role};

/// The caller of a Contest API request, if authenticated.
#[derive(Debug, Clone)]
pub struct CcsCaller(pub Option<Caller>);

impl FromRequestParts<AppState> for CcsCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Some(value) = parts.headers.get(AUTHORIZATION) else {
            return Ok(CcsCaller(None));
        };
        let value = value
            .to_str()
            .map_err(|_| ApiError::unauthorized("malformed Authorization header"))?;
        if let Some(token) = value.strip_prefix("Bearer ") {
            return verify_access_token(&state.keys, token).map(|c| CcsCaller(Some(c)));
        }
        let Some(encoded) = value.strip_prefix("Basic ") else {
            return Err(ApiError::unauthorized(
                "Authorization must be `Basic <credentials>` or `Bearer <token>`",
            ));
        };
        let invalid = || ApiError::unauthorized("invalid username or password");
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(encoded.trim())
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .ok_or_else(|| ApiError::unauthorized("malformed Basic credentials"))?;
        let (username, password) = decoded
            .split_once(':')
            .ok_or_else(|| ApiError::unauthorized("malformed Basic credentials"))?;
        let ip = parts
            .extensions
            .get::<crate::proxy::ClientInfo>()
            .and_then(|c| c.ip);
        let user = crate::throttle::password_sign_in(state, username, password.to_owned(), ip)
            .await
            .map_err(|e| match e.status {
                axum::http::StatusCode::UNAUTHORIZED => invalid(),
                _ => e,
            })?;
        Ok(CcsCaller(Some(Caller {
            id: user.id,
            username: user.username,
            role: user.role,
        })))
    }
}

impl CcsCaller {
    /// What this caller sees of `contest`: the jury all, a registered contestant its
    /// team's view, anyone else the public view.
    ///
    /// # Errors
    /// Store failures.
    pub async fn viewer(&self, state: &AppState, contest: &Contest) -> Result<Viewer, ApiError> {
        let Some(caller) = &self.0 else {
            return Ok(Viewer::Public);
        };
        if caller.role.is_jury() {
            return Ok(Viewer::Admin);
        }
        if caller.role == Role::Contestant
            && state
                .store
                .participants(contest.id)
                .await?
                .contains(&caller.id)
        {
            return Ok(Viewer::Team(caller.id));
        }
        Ok(Viewer::Public)
    }
}
