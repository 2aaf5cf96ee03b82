//! Identifiers: integers on the wire (`#[serde(transparent)]`), distinct types in code.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = i64))]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A user (contestant, jury, admin or spectator); also the team id on scoreboards.
    UserId
);
id_type!(
    /// A problem.
    ProblemId
);
id_type!(
    /// A contest.
    ContestId
);
id_type!(
    /// A submission.
    SubmissionId
);
id_type!(
    /// A clarification: a contestant's question, the jury's answer or announcement.
    ClarificationId
);
