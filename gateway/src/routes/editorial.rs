//! A problem's hints and editorial: written by the jury (or imported from the package's
//! `solution/`), revealed to learners one hint at a time, the editorial once they solved
//! the problem or chose to see it; hidden from a running contest's participants.

use super::runs::contests_in_progress;
use super::{ApiJson, ApiPath, problems};
use crate::app::AppState;
use crate::auth::{Caller, MaybeCaller};
use crate::error::{ApiError, ApiResult};
use axum::extract::State;
use codehub_engine::model::{ProblemId, Role};
use codehub_engine::ports::store::{Editorial, Revealed};
use codehub_protocol::requests::EditorialBody;
use codehub_protocol::views::{EditorialView, RichText};

/// The longest editorial, bytes.
const MAX_EDITORIAL_BYTES: usize = 64 << 10;
/// The longest hint, bytes.
const MAX_HINT_BYTES: usize = 4 << 10;
/// Hints a problem may have.
const MAX_HINTS: usize = 10;

fn rich(markdown: &str) -> RichText {
    RichText {
        markdown: markdown.to_owned(),
        html: crate::statement::to_html(markdown),
    }
}

/// The problem `id` if `caller` may see it, and what the caller may not see while a
/// contest that holds it runs.
async fn checked(state: &AppState, caller: &Caller, id: i64) -> Result<ProblemId, ApiError> {
    let id = ProblemId(id);
    let maybe = MaybeCaller(Some(caller.clone()));
    if state.store.problem(id).await?.is_none()
        || !problems::visible(state, &maybe).await?.contains(&id)
    {
        return Err(ApiError::not_found(format!("unknown problem {id}")));
    }
    if !caller.role.is_jury()
        && let Some(c) = contests_in_progress(state, caller, id, None).await?.first()
    {
        return Err(ApiError::forbidden(format!(
            "hints and the editorial are hidden while contest `{}` runs",
            c.name
        )));
    }
    Ok(id)
}

/// What `caller` sees of problem `id`.
async fn view_of(
    state: &AppState,
    caller: &Caller,
    id: ProblemId,
) -> Result<EditorialView, ApiError> {
    let e = state.store.editorial(id).await?;
    let solved = state
        .store
        .user_problem_tallies(caller.id)
        .await?
        .iter()
        .any(|t| t.problem_id == id && t.solved);
    let (hints, editorial) = if caller.role.is_jury() {
        (e.hints.len(), true)
    } else {
        let r = state.store.revealed(caller.id, id).await?;
        (r.hints.min(e.hints.len()), solved || r.editorial)
    };
    let has_editorial = !e.editorial.trim().is_empty();
    Ok(EditorialView {
        hints_total: e.hints.len(),
        hints: e.hints[..hints].iter().map(|h| rich(h)).collect(),
        has_editorial,
        editorial: (editorial && has_editorial).then(|| rich(&e.editorial)),
        solved,
    })
}

/// The caller's view of a problem's hints and editorial.
#[utoipa::path(get, path = "/api/problems/{id}/editorial", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = EditorialView), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<ApiJson<EditorialView>> {
    let id = checked(&state, &caller, id).await?;
    Ok(ApiJson(view_of(&state, &caller, id).await?))
}

/// Reveals the next hint.
#[utoipa::path(post, path = "/api/problems/{id}/hints/next", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = EditorialView), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn next_hint(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<ApiJson<EditorialView>> {
    let id = checked(&state, &caller, id).await?;
    let total = state.store.editorial(id).await?.hints.len();
    let seen = state.store.revealed(caller.id, id).await?;
    if seen.hints >= total {
        return Err(ApiError::new(
            axum::http::StatusCode::CONFLICT,
            if total == 0 {
                "this problem has no hints".to_owned()
            } else {
                format!("every hint is shown already ({total})")
            },
        ));
    }
    // What was revealed stays revealed: the store keeps the larger of each.
    let more = Revealed {
        hints: seen.hints + 1,
        editorial: false,
    };
    state.store.reveal(caller.id, id, more).await?;
    Ok(ApiJson(view_of(&state, &caller, id).await?))
}

/// Shows the editorial before the problem is solved (the learner's choice, kept).
#[utoipa::path(post, path = "/api/problems/{id}/editorial/open", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = EditorialView), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn open(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<ApiJson<EditorialView>> {
    let id = checked(&state, &caller, id).await?;
    if state.store.editorial(id).await?.editorial.trim().is_empty() {
        return Err(ApiError::new(
            axum::http::StatusCode::CONFLICT,
            "this problem has no editorial",
        ));
    }
    let chosen = Revealed {
        hints: 0,
        editorial: true,
    };
    state.store.reveal(caller.id, id, chosen).await?;
    Ok(ApiJson(view_of(&state, &caller, id).await?))
}

/// Writes a problem's editorial and hints (jury).
#[utoipa::path(put, path = "/api/problems/{id}/editorial", params(("id" = i64, Path)), request_body = EditorialBody, security(("bearer" = [])),
    responses((status = 200, body = EditorialView), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn put(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<EditorialBody>,
) -> ApiResult<ApiJson<EditorialView>> {
    caller.require(Role::Jury)?;
    let id = ProblemId(id);
    if body.editorial.len() > MAX_EDITORIAL_BYTES {
        return Err(ApiError::unprocessable(format!(
            "the editorial is {} bytes; at most {MAX_EDITORIAL_BYTES}",
            body.editorial.len()
        )));
    }
    if body.hints.len() > MAX_HINTS {
        return Err(ApiError::unprocessable(format!(
            "at most {MAX_HINTS} hints"
        )));
    }
    // Blank hints are dropped (an empty block of the admin's form).
    let hints: Vec<String> = body
        .hints
        .into_iter()
        .filter(|h| !h.trim().is_empty())
        .collect();
    if let Some(i) = hints.iter().position(|h| h.len() > MAX_HINT_BYTES) {
        return Err(ApiError::unprocessable(format!(
            "hint {}: at most {MAX_HINT_BYTES} bytes",
            i + 1
        )));
    }
    state
        .store
        .set_editorial(
            id,
            &Editorial {
                editorial: body.editorial,
                hints,
            },
        )
        .await?;
    Ok(ApiJson(view_of(&state, &caller, id).await?))
}
