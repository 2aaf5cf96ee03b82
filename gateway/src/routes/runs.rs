//! `/api/runs`: run code on a problem's sample or on typed input, without a submission.
//!
//! Same sandbox, limits and checker as judging; nothing is stored. A run waits behind
//! every queued submission (it never delays judging), has its own per-user rate limit,
//! and is refused to a contest's participants while the contest runs unless the contest
//! allows runs (`allow_runs`).

use super::submissions::{check_files, choose_language};
use super::{ApiJson, problems};
use crate::app::AppState;
use crate::auth::{Caller, MaybeCaller};
use crate::error::{ApiError, ApiResult};
use axum::extract::State;
use axum::http::StatusCode;
use codehub_engine::model::{ContestId, ProblemId, Role, SubmittedFile, now_ms};
use codehub_engine::ports::judging::{RunError, RunJob};
use codehub_protocol::requests::{MAX_RUN_INPUT_BYTES, NewRun, RunInput};
use codehub_protocol::views::RunView;
use std::time::Duration;

/// How long a run may wait for a free judge and run, before 503.
const RUN_WAIT: Duration = Duration::from_secs(60);

/// Runs code once on a sample (checked against its answer) or on typed input.
#[utoipa::path(post, path = "/api/runs", request_body = NewRun, security(("bearer" = [])),
    responses((status = 200, body = RunView), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 413, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody), (status = 429, body = crate::error::ErrorBody),
        (status = 503, body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(n): ApiJson<NewRun>,
) -> ApiResult<ApiJson<RunView>> {
    caller.require(Role::Contestant)?;
    check_files(&n.files)?;
    if let RunInput::Stdin(text) = &n.input
        && text.len() > MAX_RUN_INPUT_BYTES
    {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the input is {} bytes; a run takes at most {MAX_RUN_INPUT_BYTES}",
                text.len()
            ),
        ));
    }
    let id = ProblemId(n.problem_id);
    let caller = MaybeCaller(Some(caller));
    let problem = match state.store.problem(id).await? {
        Some(p) if problems::visible(&state, &caller).await?.contains(&id) => p,
        _ => return Err(ApiError::not_found(format!("problem {id} not found"))),
    };
    let caller = caller.0.expect("signed in");
    if !problem.answer_files.is_empty() {
        return Err(ApiError::unprocessable(
            "this problem takes answer files: there is no program to run",
        ));
    }
    let names: Vec<&str> = n.files.iter().map(|f| f.name.as_str()).collect();
    let language = choose_language(&state, n.language.as_deref(), &names)?;
    let policy = contest_rules(&state, &caller, id, n.contest_id.map(ContestId)).await?;
    state.run_limit.take(caller.id.0).map_err(|wait| ApiError {
        status: StatusCode::TOO_MANY_REQUESTS,
        message: format!(
            "too many runs: the next is allowed in {} s",
            wait.as_secs_f64().ceil()
        ),
        retry_after: Some(wait.max(Duration::from_secs(1))),
    })?;
    let job = RunJob {
        package_hash: problem.package_hash.clone(),
        language,
        files: n
            .files
            .into_iter()
            .map(|f| SubmittedFile {
                name: f.name,
                contents: f.contents,
            })
            .collect(),
        input: n.input,
        time_limit_ms: Some(problem.time_limit_ms),
        policy,
    };
    match state.engine.run(job, RUN_WAIT).await {
        Ok(view) => Ok(ApiJson(view)),
        Err(RunError::Refused(why)) => Err(ApiError::unprocessable(why)),
        Err(RunError::Failed(failure)) => Err(ApiError {
            status: StatusCode::SERVICE_UNAVAILABLE,
            message: failure.to_string(),
            retry_after: Some(Duration::from_secs(5)),
        }),
    }
}

/// Whether `caller` may run code on `problem` now, and the verdict policy of the contest
/// the run is made in. Refused (403) while a contest that holds the problem runs, the
/// caller takes part in it (or names it) and it does not allow runs; the jury may always.
async fn contest_rules(
    state: &AppState,
    caller: &Caller,
    problem: ProblemId,
    named: Option<ContestId>,
) -> Result<Option<codehub_engine::model::VerdictPolicy>, ApiError> {
    let mut policy = None;
    if let Some(c) = named {
        let contest = state
            .store
            .contest(c)
            .await?
            .filter(|c| c.problem_index(problem).is_some())
            .ok_or_else(|| {
                ApiError::not_found(format!(
                    "contest {c} not found, or it has no problem {problem}"
                ))
            })?;
        policy = contest.verdict_policy.clone();
    }
    if caller.role.is_jury() {
        return Ok(policy);
    }
    for c in contests_in_progress(state, caller, problem, named).await? {
        if !c.allow_runs {
            return Err(ApiError::forbidden(format!(
                "runs are off during contest `{}`: submit to have your code judged",
                c.name
            )));
        }
    }
    Ok(policy)
}

/// The contests running now that hold `problem` and in which `caller` takes part (or
/// which the request names): while one runs, what would help with the problem (runs,
/// hints, the editorial) may be off.
pub(super) async fn contests_in_progress(
    state: &AppState,
    caller: &Caller,
    problem: ProblemId,
    named: Option<ContestId>,
) -> Result<Vec<codehub_engine::model::Contest>, ApiError> {
    let now = now_ms();
    let mut found = Vec::new();
    for c in state.store.contests().await? {
        if !c.accepts_submissions(now) || c.problem_index(problem).is_none() {
            continue;
        }
        if Some(c.id) == named || state.store.participants(c.id).await?.contains(&caller.id) {
            found.push(c);
        }
    }
    Ok(found)
}
