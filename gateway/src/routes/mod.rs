//! The HTTP API under `/api`, one module per resource, plus `/healthz`, `/ws` and the
//! OpenAPI document.

mod archive;
mod auth;
mod avatar;
pub mod balloons;
pub mod clarifications;
pub mod contests;
mod editorial;
mod misc;
pub mod problems;
mod ratings;
mod runs;
mod sso;
pub mod submissions;
mod users;
mod virtual_contest;

pub use problems::import_package;

use crate::app::AppState;
use crate::error::ApiError;
use axum::Router;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts};
use axum::routing::{get, post};
use utoipa::OpenApi;

/// A JSON body whose rejections are API errors: 400 malformed JSON, 422 missing or
/// mistyped fields, 415 without a JSON content type, 413 too large. Numbers are taken as
/// JSON Schema reads them: `3.0` is the integer 3 (an integral float in an integer field
/// is not an error).
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        let axum::Json(mut value) =
            axum::Json::<serde_json::Value>::from_request(req, state).await?;
        // Every body is an object (serde would also read a struct from an array).
        if !value.is_object() {
            return Err(ApiError::unprocessable("the body must be a JSON object"));
        }
        integral_floats_to_integers(&mut value);
        serde_json::from_value(value).map(ApiJson).map_err(|e| {
            ApiError::unprocessable(format!(
                "Failed to deserialize the JSON body into the target type: {e}"
            ))
        })
    }
}

/// Rewrites every float with no fractional part that a double holds exactly (|x| ≤
/// 2^53) as an integer; larger ones stay floats (and integer fields refuse them).
fn integral_floats_to_integers(value: &mut serde_json::Value) {
    use serde_json::Value;
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    match value {
        Value::Number(n) if n.is_f64() => {
            let f = n.as_f64().unwrap_or(f64::NAN);
            if f.fract() == 0.0 && f.abs() <= EXACT {
                *value = Value::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_floats_to_integers),
        Value::Object(map) => map.values_mut().for_each(integral_floats_to_integers),
        _ => {}
    }
}

/// A path parameter whose rejections are API errors (400).
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

/// A query string whose rejections are API errors (400).
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        let status = match &r {
            JsonRejection::JsonDataError(_) => axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            JsonRejection::MissingJsonContentType(_) => {
                axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE
            }
            _ => r.status(),
        };
        ApiError::new(status, r.body_text())
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        ApiError::bad_request(r.body_text())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError::bad_request(r.body_text())
    }
}

impl<T: serde::Serialize> axum::response::IntoResponse for ApiJson<T> {
    fn into_response(self) -> axum::response::Response {
        axum::Json(self.0).into_response()
    }
}

/// The OpenAPI document of `/api`.
#[derive(OpenApi)]
#[openapi(
    info(title = "CodeHub API", description = "Programming contests: auth, contests, problems, submissions, scoreboards. Errors are `{code, message}`."),
    paths(
        auth::register, auth::login, auth::refresh, auth::logout, auth::me, auth::change_password, auth::sign_out_everywhere,
        contests::list, contests::get_one, contests::create, contests::update, contests::register,
        contests::unfreeze, contests::scoreboard, contests::teams, contests::inject,
        clarifications::list, clarifications::create, clarifications::claim, clarifications::canned, clarifications::note,
        balloons::list, balloons::mark, contests::medals, contests::resolver,
        problems::list, problems::get_one, problems::import, problems::update, archive::list,
        editorial::get, editorial::put, editorial::next_hint, editorial::open,
        submissions::create, submissions::list, submissions::get_one, submissions::rejudge, runs::create,
        ratings::get, ratings::finalize, ratings::list, virtual_contest::start, virtual_contest::get,
        users::update, users::list, users::reset_password, users::audit_log, users::profile,
        users::update_profile, users::put_avatar, users::delete_avatar, users::get_avatar,
        users::delete_me, sso::get, sso::put,
        crate::oidc::providers, crate::oidc::start, crate::oidc::callback, crate::oidc::session,
        crate::oidc::identities, crate::oidc::link, crate::oidc::unlink,
        misc::healthz, misc::readyz, misc::languages, misc::queue, misc::progress,
    ),
    components(schemas(crate::error::ErrorBody, crate::auth::TokenPair, contests::BoardView)),
    modifiers(&BearerAuth, &CommonErrors)
)]
pub struct ApiDoc;

/// The error answers every operation of a kind can give, added where a handler's own list
/// lacks them: 400 (a malformed path, query or body), 401 (an `Authorization` header
/// that holds no valid token: every `/api` route reads it), and for JSON bodies 413 (too
/// large), 415 (not JSON) and 422 (fields missing, mistyped or invalid).
struct CommonErrors;

impl utoipa::Modify for CommonErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let error = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                        .build(),
                )
                .build()
        };
        for (path, item) in openapi.paths.paths.iter_mut() {
            let api = path.starts_with("/api/") && path != "/api/openapi.json";
            let operations = [
                item.get.as_mut(),
                item.put.as_mut(),
                item.post.as_mut(),
                item.delete.as_mut(),
                item.patch.as_mut(),
            ];
            for op in operations.into_iter().flatten() {
                let has_params = op.parameters.as_ref().is_some_and(|p| !p.is_empty());
                let json_body = op
                    .request_body
                    .as_ref()
                    .is_some_and(|b| b.content.contains_key("application/json"));
                let mut add = |code: &str, description: &str| {
                    op.responses
                        .responses
                        .entry(code.to_owned())
                        .or_insert_with(|| error(description).into());
                };
                if has_params || op.request_body.is_some() {
                    add("400", "Malformed path, query or body");
                }
                if api {
                    add(
                        "401",
                        "The Authorization header holds no valid token (or one is needed)",
                    );
                }
                if op.request_body.is_some() {
                    add("413", "The body is too large");
                    add("415", "The body is not of the documented type");
                }
                if json_body {
                    add("422", "Fields missing, mistyped or invalid");
                }
            }
        }
    }
}

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// All routes (state attached by the caller).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(misc::healthz))
        .route("/readyz", get(misc::readyz))
        .route("/metrics", get(crate::metrics::scrape))
        .route("/api/internal/blobs/{hash}", get(misc::blob))
        .route("/ws", get(crate::ws::upgrade))
        .route("/api/openapi.json", get(misc::openapi))
        .route("/api/auth/register", post(auth::register))
        .route("/api/auth/login", post(auth::login))
        .route("/api/auth/refresh", post(auth::refresh))
        .route("/api/auth/logout", post(auth::logout))
        .route("/api/me", get(auth::me).delete(users::delete_me))
        .route("/api/me/password", post(auth::change_password))
        .route(
            "/api/me/sign-out-everywhere",
            post(auth::sign_out_everywhere),
        )
        .route("/api/auth/providers", get(crate::oidc::providers))
        .route("/api/auth/oidc/{provider}/start", get(crate::oidc::start))
        .route(
            "/api/auth/oidc/{provider}/callback",
            get(crate::oidc::callback),
        )
        .route("/api/auth/oidc/session", post(crate::oidc::session))
        .route("/api/me/identities", get(crate::oidc::identities))
        .route(
            "/api/me/identities/{provider}",
            post(crate::oidc::link).delete(crate::oidc::unlink),
        )
        .route("/api/languages", get(misc::languages))
        .route("/api/queue", get(misc::queue))
        .route("/api/practice/progress", get(misc::progress))
        .route("/api/contests", get(contests::list).post(contests::create))
        .route(
            "/api/contests/{id}",
            get(contests::get_one).patch(contests::update),
        )
        .route("/api/contests/{id}/register", post(contests::register))
        .route("/api/contests/{id}/sso", get(sso::get).put(sso::put))
        .route(
            "/api/contests/{id}/clarifications",
            get(clarifications::list).post(clarifications::create),
        )
        .route(
            "/api/contests/{id}/clarifications/{cid}/claim",
            post(clarifications::claim),
        )
        .route(
            "/api/contests/{id}/clarifications/{cid}/notes",
            post(clarifications::note),
        )
        .route("/api/clarifications/canned", get(clarifications::canned))
        .route("/api/contests/{id}/balloons", get(balloons::list))
        .route("/api/contests/{id}/resolver", post(contests::resolver))
        .route(
            "/api/contests/{id}/medals",
            axum::routing::put(contests::medals),
        )
        .route(
            "/api/contests/{id}/balloons/{submission}",
            post(balloons::mark),
        )
        .route("/api/contests/{id}/unfreeze", post(contests::unfreeze))
        .route(
            "/api/contests/{id}/ratings",
            get(ratings::get).post(ratings::finalize),
        )
        .route("/api/ratings", get(ratings::list))
        .route(
            "/api/contests/{id}/virtual",
            get(virtual_contest::get).post(virtual_contest::start),
        )
        .route("/api/contests/{id}/scoreboard", get(contests::scoreboard))
        .route("/api/contests/{id}/teams", get(contests::teams))
        .route("/api/contests/{id}/inject", post(contests::inject))
        .route(
            "/api/problems",
            get(problems::list)
                .post(problems::import)
                .layer(axum::extract::DefaultBodyLimit::max(
                    problems::MAX_PACKAGE_BYTES,
                )),
        )
        .route(
            "/api/problems/{id}",
            get(problems::get_one).patch(problems::update),
        )
        .route("/api/archive", get(archive::list))
        .route(
            "/api/problems/{id}/editorial",
            get(editorial::get).put(editorial::put),
        )
        .route("/api/problems/{id}/editorial/open", post(editorial::open))
        .route("/api/problems/{id}/hints/next", post(editorial::next_hint))
        .route(
            "/api/submissions",
            get(submissions::list).post(submissions::create),
        )
        .route("/api/submissions/{id}", get(submissions::get_one))
        .route("/api/runs", post(runs::create))
        .route("/api/submissions/{id}/rejudge", post(submissions::rejudge))
        .route("/api/users", get(users::list))
        .route("/api/users/{id}", axum::routing::patch(users::update))
        .route(
            "/api/users/{id}/profile",
            get(users::profile).patch(users::update_profile),
        )
        .route("/api/users/{id}/avatar", get(users::get_avatar))
        .route(
            "/api/users/{id}/reset-password",
            post(users::reset_password),
        )
        .route("/api/audit", get(users::audit_log))
        .route(
            "/api/me/avatar",
            axum::routing::put(users::put_avatar)
                .delete(users::delete_avatar)
                .layer(axum::extract::DefaultBodyLimit::max(
                    avatar::MAX_UPLOAD_BYTES,
                )),
        )
        .merge(crate::ccs::router())
        .route("/assets/{*path}", get(crate::web::asset))
        .fallback(crate::web::fallback)
}

/// The whole application: `/api`, `/ws`, `/healthz`, the UI, with `state`; responses
/// gzip-compressed when the client accepts it.
pub fn app(state: AppState) -> axum::Router {
    use tower_http::compression::predicate::{NotForContentType, Predicate};
    // Streams (the Contest API's event feed) are not compressed: a compressor holds
    // back what it has not flushed, and feed lines must leave at once.
    let compress = tower_http::compression::DefaultPredicate::new()
        .and(NotForContentType::const_new("application/x-ndjson"));
    // Browser hardening on every answer: the CSP, no MIME sniffing, no referrer, no
    // cross-origin opener. CORS is off unless origins are configured (then only those,
    // with bearer tokens, never cookies).
    use axum::http::{HeaderName, HeaderValue, header};
    use tower_http::set_header::SetResponseHeaderLayer;
    let set = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    let cors = (!state.cors_origins.is_empty()).then(|| {
        use axum::http::Method;
        let origins: Vec<HeaderValue> = state
            .cors_origins
            .iter()
            .filter_map(|o| HeaderValue::from_str(o).ok())
            .collect();
        tower_http::cors::CorsLayer::new()
            .allow_origin(origins)
            .allow_methods([
                Method::GET,
                Method::POST,
                Method::PUT,
                Method::PATCH,
                Method::DELETE,
            ])
            .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
            .max_age(std::time::Duration::from_secs(600))
    });
    let app = router();
    // Counted per route only when metrics are on (off, nothing is added).
    let app = match state.metrics {
        Some(_) => app.layer(axum::middleware::from_fn(crate::metrics::track_http)),
        None => app,
    };
    let app = app
        .layer(axum::middleware::from_fn(no_store_api))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::proxy::client_info,
        ))
        .layer(set(
            header::CONTENT_SECURITY_POLICY,
            CONTENT_SECURITY_POLICY,
        ))
        .layer(set(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(set(header::REFERRER_POLICY, "no-referrer"))
        .layer(set(
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ))
        .layer(tower_http::compression::CompressionLayer::new().compress_when(compress))
        .layer(
            tower_http::trace::TraceLayer::new_for_http()
                .make_span_with(crate::telemetry::http_span)
                .on_response(crate::telemetry::http_status),
        );
    let app = match cors {
        Some(cors) => app.layer(cors),
        None => app,
    };
    app.with_state(state)
}

/// API answers are not kept by browsers or shared caches (`Cache-Control: no-store`)
/// unless a handler says otherwise (avatars), and JSON answers are never rendered by a
/// browser that navigates to them (`Content-Disposition: attachment`).
async fn no_store_api(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    let api = req.uri().path().starts_with("/api/");
    let mut response = next.run(req).await;
    if api {
        let json = response
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|t| t.as_bytes().starts_with(b"application/json"));
        let headers = response.headers_mut();
        headers
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("no-store"));
        if json {
            headers
                .entry(header::CONTENT_DISPOSITION)
                .or_insert(HeaderValue::from_static(
                    "attachment; filename=\"api.json\"",
                ));
        }
    }
    response
}

/// The Content-Security-Policy of every answer: only this origin's scripts (no inline
/// script; `wasm-unsafe-eval` for the WebAssembly UI), styles (inline style attributes,
/// which the UI sets), images and connections (the API and `/ws`); no plugins, no
/// framing by other sites.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
     font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'";
