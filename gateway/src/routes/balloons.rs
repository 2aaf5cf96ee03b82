//! `/api/contests/{id}/balloons` (jury): each team's first accepted submission per
//! problem, in the order they were judged, for the volunteers who deliver balloons; each
//! with a "delivered" mark. Marks are events of the contest's log (kind
//! [`BALLOON_EVENT`]), so they survive restarts and are shared by every node.

use super::contests::load;
use super::{ApiJson, ApiPath};
use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use axum::extract::State;
use codehub_engine::Verdict;
use codehub_engine::model::{ContestId, Role, SubmissionStatus};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// The event-log kind of a delivery mark: `{"submission_id", "done"}`.
pub const BALLOON_EVENT: &str = "balloon";

/// A balloon to deliver.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Balloon {
    /// The accepted submission.
    pub submission_id: i64,
    /// The team (user id) and its name.
    pub team_id: i64,
    /// Team name.
    pub team: String,
    /// The problem and its label (the balloon's colour is the label's).
    pub problem_id: i64,
    /// Problem label.
    pub label: String,
    /// When it was judged, ms since the epoch.
    pub judged_at: i64,
    /// The first team to solve this problem.
    pub first_to_solve: bool,
    /// Delivered.
    pub done: bool,
}

/// A delivery mark.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct Mark {
    /// Delivered (`false` takes the mark back).
    pub done: bool,
}

async fn balloons(state: &AppState, id: i64) -> Result<Vec<Balloon>, ApiError> {
    let contest = load(state, id).await?;
    let names: HashMap<_, _> = state
        .store
        .participant_names(contest.id)
        .await?
        .into_iter()
        .collect();
    let mut done = HashMap::new();
    for (_, _, payload, _) in state
        .store
        .events_of_kind(contest.id, BALLOON_EVENT, 0)
        .await?
    {
        if let (Some(s), Some(d)) = (payload["submission_id"].as_i64(), payload["done"].as_bool()) {
            done.insert(s, d);
        }
    }
    let mut accepted: Vec<_> = state
        .store
        .contest_submissions(contest.id)
        .await?
        .into_iter()
        .filter(|s| s.status == SubmissionStatus::Done && s.submitted_at < contest.end_at)
        .filter_map(|s| {
            let j = s.judgement.as_ref()?;
            (j.verdict == Verdict::Accepted).then_some((s.submitted_at, s.id, j.judged_at, s))
        })
        .collect();
    // The first accepted try counts, by submission time (then id), as on the board.
    accepted.sort_by_key(|(at, id, _, _)| (*at, *id));
    let mut seen = HashSet::new();
    let mut solved_problems = HashSet::new();
    let mut out = Vec::new();
    for (_, sid, judged_at, s) in accepted {
        if !seen.insert((s.user_id, s.problem_id)) {
            continue;
        }
        let Some(label) = contest
            .problems
            .iter()
            .find(|p| p.problem_id == s.problem_id)
            .map(|p| p.label.clone())
        else {
            continue;
        };
        out.push(Balloon {
            submission_id: sid.0,
            team_id: s.user_id.0,
            team: names.get(&s.user_id).cloned().unwrap_or_default(),
            problem_id: s.problem_id.0,
            label,
            judged_at,
            first_to_solve: solved_problems.insert(s.problem_id),
            done: done.get(&sid.0).copied().unwrap_or(false),
        });
    }
    out.sort_by_key(|b| (b.judged_at, b.submission_id));
    Ok(out)
}

/// The contest's balloons, in the order they were earned (jury).
#[utoipa::path(get, path = "/api/contests/{id}/balloons", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<Balloon>), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<ApiJson<Vec<Balloon>>> {
    caller.require(Role::Jury)?;
    Ok(ApiJson(balloons(&state, id).await?))
}

/// Marks a balloon delivered, or not (jury).
#[utoipa::path(post, path = "/api/contests/{id}/balloons/{submission}", params(("id" = i64, Path), ("submission" = i64, Path)),
    request_body = Mark, security(("bearer" = [])),
    responses((status = 200, body = Balloon), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn mark(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, submission)): ApiPath<(i64, i64)>,
    ApiJson(mark): ApiJson<Mark>,
) -> ApiResult<ApiJson<Balloon>> {
    caller.require(Role::Jury)?;
    if !balloons(&state, id)
        .await?
        .iter()
        .any(|b| b.submission_id == submission)
    {
        return Err(ApiError::not_found(format!(
            "submission {submission} earned no balloon in contest {id}"
        )));
    }
    state
        .store
        .append_event(
            Some(ContestId(id)),
            BALLOON_EVENT,
            &serde_json::json!({"submission_id": submission, "done": mark.done, "by": caller.id}),
        )
        .await?;
    balloons(&state, id)
        .await?
        .into_iter()
        .find(|b| b.submission_id == submission)
        .map(ApiJson)
        .ok_or_else(|| ApiError::not_found(format!("submission {submission} earned no balloon")))
}
