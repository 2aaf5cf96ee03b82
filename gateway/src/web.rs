//! The browser UI: the sycamore bundle embedded at build time (see `build.rs`), served
//! at `/assets/*`, with `index.html` for every other page path (the UI routes itself).

use crate::error::ApiError;
use axum::http::{HeaderValue, Method, Uri, header};
use axum::response::{IntoResponse, Response};

mod bundle {
    include!(concat!(env!("OUT_DIR"), "/web_bundle.rs"));
}

/// Whether the UI bundle was built into this binary.
pub fn is_embedded() -> bool {
    file("index.html").is_some()
}

fn file(path: &str) -> Option<&'static [u8]> {
    bundle::FILES
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, bytes)| *bytes)
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}

fn respond(path: &str, bytes: &'static [u8], cache: &'static str) -> Response {
    let mut res = bytes.into_response();
    let headers = res.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(path)),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    res
}

/// `GET /assets/{*path}`: a file of the bundle. Asset URLs carry the bundle's hash, so
/// they may be cached for good.
pub async fn asset(axum::extract::Path(path): axum::extract::Path<String>) -> Response {
    let path = format!("assets/{path}");
    match file(&path) {
        Some(bytes) => respond(&path, bytes, "public, max-age=31536000, immutable"),
        None => ApiError::not_found("no such asset").into_response(),
    }
}

/// Everything no route matched: JSON 404 under `/api` and `/ws` and for other methods;
/// otherwise the UI's `index.html` (or a page saying how to build it).
pub async fn fallback(method: Method, uri: Uri) -> Response {
    let path = uri.path();
    let page = matches!(method, Method::GET | Method::HEAD)
        && !path.starts_with("/api/")
        && path != "/api"
        && !path.starts_with("/ws");
    if !page {
        return ApiError::not_found("no such route").into_response();
    }
    match file("index.html") {
        Some(bytes) => respond("index.html", bytes, "no-cache"),
        None => (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            "<!doctype html><title>CodeHub</title><h1>CodeHub</h1><p>The web UI was not built \
             into this binary. Run <code>scripts/build-web</code> (it installs Debian's \
             <code>rustc-web</code> toolchain when run as root), then rebuild. The API is at \
             <a href=\"/api/openapi.json\">/api/openapi.json</a>.</p>",
        )
            .into_response(),
    }
}
