//! Health, languages, the judge queue, practice progress and the OpenAPI document.

use super::ApiJson;
use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use axum::extract::State;
use codehub_engine::model::Role;
use codehub_protocol::views::{LanguageView, ProgressView, QueueView};
use sha2::Digest;
use std::collections::BTreeMap;
use utoipa::OpenApi;

/// Liveness: 200 once the server serves.
#[utoipa::path(get, path = "/healthz", responses((status = 200, description = "serving")))]
pub async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: 200 when the store (and Redis, in cluster mode) answer, else 503 with
/// what does not, so a load balancer sends traffic only to nodes that can serve it.
#[utoipa::path(get, path = "/readyz", responses((status = 200, description = "ready"), (status = 503, body = crate::error::ErrorBody)))]
pub async fn readyz(State(state): State<AppState>) -> ApiResult<&'static str> {
    // A probe must answer quickly: a dependency slower than this counts as down.
    const PROBE: std::time::Duration = std::time::Duration::from_secs(2);
    let store = tokio::time::timeout(PROBE, state.store.count_users()).await;
    match store {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => {
            return Err(ApiError::unavailable(format!(
                "the store does not answer: {e}"
            )));
        }
        Err(_) => return Err(ApiError::unavailable("the store does not answer in time")),
    }
    if let Some(redis) = &state.redis {
        use fred::prelude::ClientLike;
        let pong = tokio::time::timeout(PROBE, redis.ping::<String>(None)).await;
        match pong {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => return Err(ApiError::unavailable(format!("Redis does not answer: {e}"))),
            Err(_) => return Err(ApiError::unavailable("Redis does not answer in time")),
        }
    }
    Ok("ready")
}

/// A problem package by content hash, for judge workers (bearer: the worker token).
pub async fn blob(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    axum::extract::Path(hash): axum::extract::Path<String>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let Some(expected) = state.worker_token.as_deref() else {
        return Err(ApiError::not_found(
            "no judge workers are configured on this node",
        ));
    };
    let given = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    // Compare digests so the time taken does not depend on where the strings differ.
    if sha2::Sha256::digest(given.as_bytes()) != sha2::Sha256::digest(expected.as_bytes()) {
        return Err(ApiError::unauthorized("a judge worker token is needed"));
    }
    let path = state
        .blobs
        .local_path(&hash)
        .await
        .map_err(|e| ApiError::not_found(e.to_string()))?;
    let bytes = tokio::fs::read(&path).await.map_err(ApiError::internal)?;
    Ok((
        [(axum::http::header::CONTENT_TYPE, "application/zip")],
        bytes,
    )
        .into_response())
}

/// The OpenAPI document.
pub async fn openapi() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(super::ApiDoc::openapi())
}

/// Languages the judge knows.
#[utoipa::path(get, path = "/api/languages", responses((status = 200, body = Vec<LanguageView>)))]
pub async fn languages(State(state): State<AppState>) -> ApiJson<Vec<LanguageView>> {
    ApiJson(
        state
            .languages
            .iter()
            .map(|l| LanguageView {
                id: l.id.clone(),
                name: l.name.clone(),
                extensions: l.extensions.clone(),
                available: l.available_on_host(),
            })
            .collect(),
    )
}

/// The judge queue (jury).
#[utoipa::path(get, path = "/api/queue", security(("bearer" = [])), responses((status = 200, body = QueueView), (status = 403, body = crate::error::ErrorBody)))]
pub async fn queue(State(state): State<AppState>, caller: Caller) -> ApiResult<ApiJson<QueueView>> {
    caller.require(Role::Jury)?;
    let s = state.engine.queue_stats().await?;
    Ok(ApiJson(QueueView {
        queued: s.queued,
        judging: s.judging,
        judges: s.judges,
    }))
}

/// The caller's personal progress list over practice problems.
#[utoipa::path(get, path = "/api/practice/progress", security(("bearer" = [])), responses((status = 200, body = Vec<ProgressView>)))]
pub async fn progress(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<ApiJson<Vec<ProgressView>>> {
    let problems = state.store.problems().await?;
    let mine = state.store.user_problem_tallies(caller.id).await?;
    let mut by_problem: BTreeMap<i64, ProgressView> = problems
        .iter()
        .filter(|p| p.practice)
        .map(|p| {
            (
                p.id.0,
                ProgressView {
                    problem_id: p.id.0,
                    solved: false,
                    attempts: 0,
                    best_score: None,
                },
            )
        })
        .collect();
    // A problem's tallies in practice and in each contest add up.
    for t in &mine {
        if let Some(entry) = by_problem.get_mut(&t.problem_id.0) {
            entry.attempts += t.attempts as usize;
            entry.solved |= t.solved;
            if let Some(score) = t.best_score {
                entry.best_score = Some(entry.best_score.map_or(score, |b: f64| b.max(score)));
            }
        }
    }
    Ok(ApiJson(by_problem.into_values().collect()))
}
