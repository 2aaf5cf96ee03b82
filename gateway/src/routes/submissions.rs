//! `/api/submissions`: submit (202 once durable), list and read one's own, rejudge (jury).
//!
//! A submission is refused (422) before anything is stored when a file name breaks the
//! rule of [`codehub_protocol::files`], or when its files hold no source file of its
//! language (given, or detected from the extensions). To a submit-answer problem a
//! submission is answer files (language `answer`): each must be one of the problem's.

use super::{ApiJson, ApiPath, ApiQuery};
use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::present;
use axum::extract::State;
use axum::http::StatusCode;
use codehub_engine::actors::user::{SubmitError, SubmitRequest};
use codehub_engine::model::{ContestId, ProblemId, Role, SubmissionId, SubmittedFile};
use codehub_judge::language::ChoiceError;
use codehub_protocol::files::{ANSWER_LANGUAGE, check_source_name};
use codehub_protocol::requests::NewSubmission;
use codehub_protocol::views::SubmissionView;
use serde::Deserialize;

/// The largest page of `GET /api/submissions`.
const MAX_LIMIT: u32 = 1000;

/// The query of `GET /api/submissions`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only this contest's submissions.
    #[serde(default)]
    contest_id: Option<i64>,
    /// Only submissions older than this one (the last id of the previous page).
    #[serde(default)]
    before: Option<i64>,
    /// Submissions per page, 1-1000 (default 100).
    #[serde(default)]
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u32>,
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
    check_files(&n.files)?;
    let names: Vec<&str> = n.files.iter().map(|f| f.name.as_str()).collect();
    // An unknown problem is the engine's to refuse (404), as before.
    let answer_files = state
        .store
        .problem(ProblemId(n.problem_id))
        .await?
        .map(|p| p.answer_files)
        .unwrap_or_default();
    let language = if answer_files.is_empty() {
        if n.language.as_deref() == Some(ANSWER_LANGUAGE) {
            return Err(ApiError::unprocessable(format!(
                "problem {} takes a program, not answer files (language `{ANSWER_LANGUAGE}`)",
                n.problem_id
            )));
        }
        choose_language(&state, n.language.as_deref(), &names)?
    } else {
        check_answers(n.problem_id, n.language.as_deref(), &names, &answer_files)?;
        ANSWER_LANGUAGE.to_owned()
    };
    if let Some(limit) = &state.shared_limit
        && let Err(wait) = limit.take(caller.id).await
    {
        return Err(SubmitError::RateLimited(wait).into());
    }
    if let Some(c) = n.contest_id {
        super::sso::check(&state, ContestId(c), &caller).await?;
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
                language,
                files: n
                    .files
                    .into_iter()
                    .map(|f| SubmittedFile {
                        name: f.name,
                        contents: f.contents,
                    })
                    .collect(),
                trace: tracing::Span::current(),
            },
        )
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        ApiJson(present::submission(&submission, caller.role)),
    ))
}

/// Checks the files of a submission or a run: 1 to 32, each name by the rule of
/// [`check_source_name`].
pub(super) fn check_files(files: &[codehub_protocol::views::FileView]) -> Result<(), ApiError> {
    if files.is_empty() {
        return Err(ApiError::unprocessable(
            "files must hold at least one source file",
        ));
    }
    if files.len() > 32 {
        return Err(ApiError::unprocessable("at most 32 files per submission"));
    }
    for f in files {
        check_source_name(&f.name).map_err(|e| ApiError::unprocessable(e.to_string()))?;
    }
    Ok(())
}

/// The language id of files named `names` (`language`, or detected), if this judge has it.
pub(super) fn choose_language(
    state: &AppState,
    language: Option<&str>,
    names: &[&str],
) -> Result<String, ApiError> {
    let language = state
        .languages
        .choose(language, names)
        .map_err(|e| match e {
            ChoiceError::Undetectable { .. } => {
                ApiError::unprocessable(format!("{e}; give `language`"))
            }
            _ => ApiError::unprocessable(e.to_string()),
        })?;
    if !language.available_on_host() {
        return Err(ApiError::unprocessable(format!(
            "language `{}` is not available on this judge",
            language.id
        )));
    }
    Ok(language.id.clone())
}

/// Checks an answer submission to a submit-answer problem: language `answer` (or none),
/// and each file one of the problem's answer files, once.
fn check_answers(
    problem: i64,
    language: Option<&str>,
    names: &[&str],
    answer_files: &[String],
) -> Result<(), ApiError> {
    if let Some(other) = language.filter(|l| *l != ANSWER_LANGUAGE) {
        return Err(ApiError::unprocessable(format!(
            "problem {problem} takes answer files (language `{ANSWER_LANGUAGE}`), one per test \
             case, not a program in `{other}`"
        )));
    }
    for (i, name) in names.iter().enumerate() {
        if !answer_files.iter().any(|a| a == name) {
            let expected: Vec<String> = answer_files.iter().map(|a| format!("`{a}`")).collect();
            return Err(ApiError::unprocessable(format!(
                "`{name}` is not an answer file of problem {problem}; its answer files are {}",
                expected.join(", ")
            )));
        }
        if names[..i].contains(name) {
            return Err(ApiError::unprocessable(format!(
                "answer file `{name}` is given twice"
            )));
        }
    }
    Ok(())
}

/// The caller's submissions, newest first (optionally in one contest), a page at a time:
/// the next page is `?before=` the last id of this one.
#[utoipa::path(get, path = "/api/submissions", params(ListQuery), security(("bearer" = [])),
    responses((status = 200, body = Vec<SubmissionView>), (status = 400, body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<ApiJson<Vec<SubmissionView>>> {
    let limit = q.limit.unwrap_or(100);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::bad_request(format!(
            "limit must be 1 to {MAX_LIMIT}"
        )));
    }
    let subs = state
        .store
        .user_submissions_page(
            caller.id,
            q.contest_id.map(ContestId),
            q.before.map(SubmissionId),
            limit,
        )
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
