//! Ratings: a contest's changes (public once finalised), finalising them (admin), and
//! everyone's current rating.

use super::{ApiJson, ApiPath};
use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use axum::extract::State;
use axum::http::StatusCode;
use codehub_engine::model::{ContestId, Role, SubmissionStatus, now_ms};
use codehub_protocol::views::{ContestRatingsView, RatingView};

async fn contest_view(state: &AppState, id: i64) -> Result<ContestRatingsView, ApiError> {
    let c = super::contests::load(state, id).await?;
    let finalized = state.store.finalized_contests().await?.contains(&c.id);
    let rows = if finalized && c.rated {
        state.store.contest_ratings(c.id).await?
    } else {
        Vec::new()
    };
    Ok(ContestRatingsView {
        rated: c.rated,
        finalized,
        changes: crate::ratings::views(state, &rows).await?,
    })
}

/// A contest's rating changes (empty until the jury finalises them).
#[utoipa::path(get, path = "/api/contests/{id}/ratings", params(("id" = i64, Path)),
    responses((status = 200, body = ContestRatingsView), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<ApiJson<ContestRatingsView>> {
    Ok(ApiJson(contest_view(&state, id).await?))
}

/// Finalises a rated contest's ratings (admin): the contest has ended, its board is not
/// frozen and every submission is judged. Recomputes the whole history, so finalising
/// again (after a rejudge, say) is safe and lands on the same numbers for the same
/// results.
#[utoipa::path(post, path = "/api/contests/{id}/ratings", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = ContestRatingsView), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn finalize(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<ApiJson<ContestRatingsView>> {
    caller.require(Role::Admin)?;
    let c = super::contests::load(&state, id).await?;
    let unjudged = state
        .store
        .contest_submissions(c.id)
        .await?
        .iter()
        .filter(|s| s.status != SubmissionStatus::Done)
        .count();
    if let Some(why) = crate::ratings::not_ready(&c, unjudged, now_ms()) {
        return Err(ApiError::new(StatusCode::CONFLICT, why));
    }
    crate::ratings::recompute(&state, Some(ContestId(id))).await?;
    Ok(ApiJson(contest_view(&state, id).await?))
}

/// Every rated user's current rating, highest first.
#[utoipa::path(get, path = "/api/ratings",
    responses((status = 200, body = Vec<RatingView>)))]
pub async fn list(State(state): State<AppState>) -> ApiResult<ApiJson<Vec<RatingView>>> {
    let mut out: Vec<RatingView> = state
        .store
        .current_ratings()
        .await?
        .into_iter()
        .map(|(user, username, rating)| RatingView {
            user_id: user.0,
            username,
            rating,
        })
        .collect();
    out.sort_by_key(|r| (std::cmp::Reverse(r.rating), r.user_id));
    Ok(ApiJson(out))
}
