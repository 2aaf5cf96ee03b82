//! The body of every error the REST API answers.

use serde::{Deserialize, Serialize};

/// `{code, message}`: the HTTP status and what went wrong, in words a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// HTTP status code.
    pub code: u16,
    /// What went wrong.
    pub message: String,
}
