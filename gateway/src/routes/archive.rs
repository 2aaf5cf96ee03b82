//! `GET /api/archive`: the practice archive, searched, filtered, sorted and paged here
//! (see [`crate::archive`]).

use super::{ApiJson, ApiQuery};
use crate::app::AppState;
use crate::archive::{Search, Sort, search};
use crate::auth::MaybeCaller;
use crate::error::{ApiError, ApiResult};
use axum::extract::State;
use codehub_protocol::views::ArchivePage;
use serde::Deserialize;
use std::collections::HashSet;

/// The largest page.
const MAX_PER_PAGE: usize = 100;

/// The query of `GET /api/archive`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ArchiveQuery {
    /// Words the name or short name contains.
    q: Option<String>,
    /// Tags the problem carries, all of them (comma-separated).
    tags: Option<String>,
    /// Lowest difficulty, 1-10.
    #[param(minimum = 1, maximum = 10)]
    min_difficulty: Option<f64>,
    /// Highest difficulty, 1-10.
    #[param(minimum = 1, maximum = 10)]
    max_difficulty: Option<f64>,
    /// Only problems the caller has not solved (signed in).
    unsolved: Option<bool>,
    /// `name` (default), `difficulty`, `solved`, `acceptance` or `newest`.
    #[param(pattern = "^(name|difficulty|solved|acceptance|newest)$")]
    sort: Option<String>,
    /// Reverse the order.
    desc: Option<bool>,
    /// Page, from 1.
    #[param(minimum = 1)]
    page: Option<usize>,
    /// Problems per page, 1-100 (default 50).
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<usize>,
}

/// Practice problems with tags, difficulty and solve statistics; the jury sees every
/// problem.
#[utoipa::path(get, path = "/api/archive", params(ArchiveQuery),
    responses((status = 200, body = ArchivePage), (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: MaybeCaller,
    ApiQuery(q): ApiQuery<ArchiveQuery>,
) -> ApiResult<ApiJson<ArchivePage>> {
    let sort = match q.sort.as_deref() {
        None => Sort::Name,
        Some(name) => Sort::parse(name).ok_or_else(|| {
            ApiError::bad_request(format!(
                "sort `{name}`: use name, difficulty, solved, acceptance or newest"
            ))
        })?,
    };
    let per_page = q.per_page.unwrap_or(50);
    if !(1..=MAX_PER_PAGE).contains(&per_page) {
        return Err(ApiError::bad_request(format!(
            "per_page must be 1 to {MAX_PER_PAGE}"
        )));
    }
    let page = q.page.unwrap_or(1);
    if page == 0 {
        return Err(ApiError::bad_request("page counts from 1"));
    }
    for d in [q.min_difficulty, q.max_difficulty].into_iter().flatten() {
        if !(1.0..=10.0).contains(&d) {
            return Err(ApiError::bad_request("difficulty bounds are 1 to 10"));
        }
    }
    let unsolved = q.unsolved.unwrap_or(false);
    let solved: HashSet<i64> = match &caller.0 {
        Some(c) => state
            .store
            .user_problem_tallies(c.id)
            .await?
            .iter()
            .filter(|t| t.solved)
            .map(|t| t.problem_id.0)
            .collect(),
        None if unsolved => {
            return Err(ApiError::unauthorized(
                "sign in to list the problems you have not solved",
            ));
        }
        None => HashSet::new(),
    };
    let all = state.archive.entries(&state.store).await?;
    let tags = q
        .tags
        .as_deref()
        .unwrap_or_default()
        .split(',')
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty())
        .collect();
    Ok(ApiJson(search(
        &all,
        &Search {
            text: q.q,
            tags,
            min_difficulty: q.min_difficulty,
            max_difficulty: q.max_difficulty,
            unsolved,
            sort,
            reverse: q.desc.unwrap_or(false),
            page,
            per_page,
            everything: caller.0.as_ref().is_some_and(|c| c.role.is_jury()),
        },
        &solved,
    )))
}
