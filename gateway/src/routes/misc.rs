//! Health, languages, the judge queue, practice progress and the OpenAPI document.

use super::ApiJson;
use crate::app::AppState;
use crate::auth::Caller;
use crate::error::ApiResult;
use axum::extract::State;
use codehub_engine::Verdict;
use codehub_engine::model::{Role, SubmissionStatus};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::{OpenApi, ToSchema};

/// Liveness: 200 once the server serves.
#[utoipa::path(get, path = "/healthz", responses((status = 200, description = "serving")))]
pub async fn healthz() -> &'static str {
    "ok"
}

/// The OpenAPI document.
pub async fn openapi() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(super::ApiDoc::openapi())
}

/// A language.
#[derive(Debug, Serialize, ToSchema)]
pub struct LanguageView {
    /// Id to submit with.
    pub id: String,
    /// Name.
    pub name: String,
    /// File extensions.
    pub extensions: Vec<String>,
    /// Whether the judge has its toolchain.
    pub available: bool,
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

/// Judge queue statistics.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueueView {
    /// Waiting.
    pub queued: usize,
    /// Being judged.
    pub judging: usize,
    /// Judges.
    pub judges: usize,
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

/// A learner's progress on one problem.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgressView {
    /// Problem.
    pub problem_id: i64,
    /// Solved (an accepted submission anywhere).
    pub solved: bool,
    /// Submissions made.
    pub attempts: usize,
    /// Best IOI score seen.
    pub best_score: Option<f64>,
}

/// The caller's personal progress list over practice problems.
#[utoipa::path(get, path = "/api/practice/progress", security(("bearer" = [])), responses((status = 200, body = Vec<ProgressView>)))]
pub async fn progress(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<ApiJson<Vec<ProgressView>>> {
    let problems = state.store.problems().await?;
    let mine = state.store.user_submissions(caller.id, None).await?;
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
    for s in &mine {
        if let Some(entry) = by_problem.get_mut(&s.problem_id.0) {
            entry.attempts += 1;
            if s.status == SubmissionStatus::Done
                && let Some(j) = &s.judgement
            {
                entry.solved |= j.verdict == Verdict::Accepted;
                if let Some(score) = j.score {
                    entry.best_score = Some(entry.best_score.map_or(score, |b: f64| b.max(score)));
                }
            }
        }
    }
    Ok(ApiJson(by_problem.into_values().collect()))
}
