//! `/api/submissions`: submit (202 once durable), list and read one's own, rejudge (jury).

use super::{ApiJson, ApiPath, ApiQuery};
use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::present;
use axum::extract::State;
use axum::http::StatusCode;
use codehub_engine::actors::user::{SubmitError, SubmitRequest};
use codehub_engine::model::{ContestId, ProblemId, Role, SubmissionId, SubmittedFile};
use codehub_judge::language::SourceFile;
use codehub_protocol::requests::NewSubmission;
use codehub_protocol::views::SubmissionView;
use serde::Deserialize;

/// `?contest_id=`.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    contest_id: Option<i64>,
}

/// Submits; answers 202 once the submission is durable.
#[utoipa::path(post, path = "/api/submissions", request_body = NewSubmission, security(("bearer" = [])),
    responses((status = 202, body = SubmissionView), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 413, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody), (status = 429, body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(n): ApiJson<NewSubmission>,
) -> ApiResult<(StatusCode, ApiJson<SubmissionView>)> {
    caller.require(Role::Contestant)?;
    if n.files.is_empty() {
        return Err(ApiError::unprocessable(
            "files must hold at least one source file",
        ));
    }
    if n.files.len() > 32 {
        return Err(ApiError::unprocessable("at most 32 files per submission"));
    }
    let language = match &n.language {
        Some(id) => state
            .languages
            .get(id)
            .ok_or_else(|| ApiError::unprocessable(format!("unknown language `{id}`")))?,
        None => {
            let files: Vec<SourceFile> = n
                .files
                .iter()
                .map(|f| SourceFile {
                    name: f.name.clone(),
                    contents: Vec::new(),
                })
                .collect();
            state.languages.detect(&files).ok_or_else(|| {
                ApiError::unprocessable(
                    "cannot tell the language from the file names; give `language`",
                )
            })?
        }
    };
    if !language.available_on_host() {
        return Err(ApiError::unprocessable(format!(
            "language `{}` is not available on this judge",
            language.id
        )));
    }
    if let Some(limit) = &state.shared_limit
        && let Err(wait) = limit.take(caller.id).await
    {
        return Err(SubmitError::RateLimited(wait).into());
    }
    if let Some(c) = n.contest_id
        && caller.role == Role::Contestant
    {
        state
            .engine
            .add_participant(ContestId(c), caller.id)
            .await?;
    }
    let submission = state
        .engine
        .submit(
            caller.id,
            SubmitRequest {
                contest_id: n.contest_id.map(ContestId),
                problem_id: ProblemId(n.problem_id),
                language: language.id.clone(),
                files: n
                    .files
                    .into_iter()
                    .map(|f| SubmittedFile {
                        name: f.name,
                        contents: f.contents,
                    })
                    .collect(),
            },
        )
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        ApiJson(present::submission(&submission, caller.role)),
    ))
}

/// The caller's submissions, newest first (optionally in one contest).
#[utoipa::path(get, path = "/api/submissions", params(("contest_id" = Option<i64>, Query)), security(("bearer" = [])), responses((status = 200, body = Vec<SubmissionView>)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<ApiJson<Vec<SubmissionView>>> {
    let subs = state
        .store
        .user_submissions(caller.id, q.contest_id.map(ContestId))
        .await?;
    Ok(ApiJson(
        subs.iter()
            .map(|s| present::submission(s, caller.role))
            .collect(),
    ))
}

/// One submission (its author or the jury).
#[utoipa::path(get, path = "/api/submissions/{id}", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = SubmissionView), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<ApiJson<SubmissionView>> {
    let s = state
        .store
        .submission(SubmissionId(id))
        .await?
        .filter(|s| s.user_id == caller.id || caller.role.is_jury())
        .ok_or_else(|| ApiError::not_found(format!("unknown submission {id}")))?;
    Ok(ApiJson(present::submission(&s, caller.role)))
}

/// Judges a submission again (jury).
#[utoipa::path(post, path = "/api/submissions/{id}/rejudge", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 202), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn rejudge(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    caller.require(Role::Jury)?;
    if state.engine.rejudge(SubmissionId(id)).await? {
        Ok(StatusCode::ACCEPTED)
    } else {
        Err(ApiError::not_found(format!("unknown submission {id}")))
    }
}
