//! API errors: every failure is JSON `{"code": <status>, "message": "..."}`.
//!
//! Validation failures (4xx) say what was wrong; unexpected failures (5xx) are logged with
//! their cause and answered with a generic message.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use codehub_engine::actors::EngineError;
use codehub_engine::actors::user::SubmitError;
use codehub_engine::ports::blobs::BlobError;
use codehub_engine::ports::store::StoreError;
use std::time::Duration;

/// An error answered to an API client.
#[derive(Debug)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Human-readable message.
    pub message: String,
    /// `Retry-After` for 429 answers.
    pub retry_after: Option<Duration>,
}

pub use codehub_protocol::ErrorBody;

impl ApiError {
    /// An error with a status and message.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
            retry_after: None,
        }
    }

    /// 400.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// 404.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    /// 401.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, message)
    }

    /// 403.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, message)
    }

    /// 422.
    pub fn unprocessable(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, message)
    }

    /// 503: a dependency does not answer.
    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, message)
    }

    /// 507: the server's disk is full; nothing was stored. Worth retrying once an
    /// operator has freed space.
    pub fn storage_full() -> Self {
        ApiError {
            status: StatusCode::INSUFFICIENT_STORAGE,
            message: "the server's storage is full: nothing was saved; try again once space \
                      is freed"
                .to_owned(),
            retry_after: Some(Duration::from_secs(30)),
        }
    }

    /// 500, logged with its cause.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error.message = %cause, "internal error");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            code: self.status.as_u16(),
            message: self.message,
        };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(after) = self.retry_after {
            let secs = after.as_secs_f64().ceil().max(1.0) as u64;
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        response
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(what) => {
                Self::new(StatusCode::CONFLICT, format!("{what} already exists"))
            }
            StoreError::NotFound(what) => Self::not_found(format!("{what} not found")),
            StoreError::Database(m) => Self::internal(m),
            StoreError::Unavailable(m) => {
                tracing::warn!(error = %m, "the database is unavailable");
                ApiError {
                    status: StatusCode::SERVICE_UNAVAILABLE,
                    message: "the database is unavailable; try again shortly".to_owned(),
                    retry_after: Some(std::time::Duration::from_secs(5)),
                }
            }
            StoreError::Full(m) => {
                tracing::error!(error = %m, "the database's disk is full");
                Self::storage_full()
            }
            StoreError::Fenced(m) => Self::new(StatusCode::CONFLICT, m),
        }
    }
}

impl From<BlobError> for ApiError {
    fn from(e: BlobError) -> Self {
        match e {
            BlobError::Io(io) if io.kind() == std::io::ErrorKind::StorageFull => {
                tracing::error!(error = %io, "the blob directory's disk is full");
                Self::storage_full()
            }
            BlobError::Unavailable(m) => {
                tracing::warn!(error = %m, "the blob store is unavailable");
                ApiError {
                    status: StatusCode::SERVICE_UNAVAILABLE,
                    message: "the file store is unavailable: nothing was saved; try again \
                              shortly"
                        .to_owned(),
                    retry_after: Some(Duration::from_secs(10)),
                }
            }
            BlobError::NotFound(what) => Self::not_found(format!("file {what} not found")),
            e => Self::internal(e),
        }
    }
}

impl From<EngineError> for ApiError {
    fn from(e: EngineError) -> Self {
        match e {
            EngineError::UnknownContest(id) => Self::not_found(format!("unknown contest {id}")),
            EngineError::Store(s) => s.into(),
            EngineError::Unavailable(m) => Self::new(StatusCode::SERVICE_UNAVAILABLE, m),
            e @ EngineError::ContestUnavailable { .. } => {
                Self::new(StatusCode::SERVICE_UNAVAILABLE, e.to_string())
            }
        }
    }
}

impl From<SubmitError> for ApiError {
    fn from(e: SubmitError) -> Self {
        let message = e.to_string();
        match e {
            SubmitError::RateLimited(after) => ApiError {
                status: StatusCode::TOO_MANY_REQUESTS,
                message,
                retry_after: Some(after),
            },
            SubmitError::UnknownProblem(_) | SubmitError::UnknownContest(_) => {
                Self::not_found(message)
            }
            SubmitError::Refused(codehub_engine::actors::contest::Refusal::OutsideWindow(_)) => {
                Self::forbidden(message)
            }
            SubmitError::Refused(_) | SubmitError::NotPractice(_) => Self::unprocessable(message),
            SubmitError::SourceTooLarge { .. } => Self::new(StatusCode::PAYLOAD_TOO_LARGE, message),
            SubmitError::Empty => Self::unprocessable(message),
            SubmitError::Store(s) => s.into(),
            SubmitError::Unavailable(m) => Self::new(StatusCode::SERVICE_UNAVAILABLE, m),
            SubmitError::ContestUnavailable { .. } => {
                Self::new(StatusCode::SERVICE_UNAVAILABLE, message)
            }
        }
    }
}

/// Result of an API handler.
pub type ApiResult<T> = Result<T, ApiError>;
