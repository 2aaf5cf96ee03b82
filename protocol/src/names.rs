//! The wire names of roles, contest kinds and states, and submission states: one
//! spelling each, shared by the store, the API, the live messages and the UI.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Declares `as_str`, `parse`, `ALL` and `Display` for a fieldless enum with snake_case
/// wire names.
macro_rules! wire_names {
    ($name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The wire name (also the database's).
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// Parses [`Self::as_str`].
            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|x| x.as_str() == s)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Watches public scoreboards.
    Spectator,
    /// Submits solutions.
    Contestant,
    /// Sees live (unfrozen) scoreboards and all submissions, rejudges.
    Jury,
    /// Everything, including creating contests and importing problems.
    Admin,
}

wire_names!(Role {
    Spectator => "spectator",
    Contestant => "contestant",
    Jury => "jury",
    Admin => "admin",
});

impl Role {
    /// Whether this role sees everything the jury sees.
    pub fn is_jury(self) -> bool {
        self >= Role::Jury
    }
}

/// How a contest is scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ContestKind {
    /// Solved count, then penalty time.
    Icpc,
    /// Sum of the best score per problem.
    Ioi,
}

wire_names!(ContestKind {
    Icpc => "icpc",
    Ioi => "ioi",
});

/// Where a contest is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ContestState {
    /// Not started.
    Scheduled,
    /// Running, scoreboard live.
    Running,
    /// Running, public scoreboard frozen.
    Frozen,
    /// Over.
    Ended,
}

wire_names!(ContestState {
    Scheduled => "scheduled",
    Running => "running",
    Frozen => "frozen",
    Ended => "ended",
});

/// Where a stored submission is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SubmissionStatus {
    /// Stored, waiting for a judge.
    Queued,
    /// A judge has it.
    Judging,
    /// Judged.
    Done,
}

wire_names!(SubmissionStatus {
    Queued => "queued",
    Judging => "judging",
    Done => "done",
});

/// Where a submission is, as its live channel reports it (finer than
/// [`SubmissionStatus`]: judging is split into compiling and running).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LiveState {
    /// Stored, waiting for a judge.
    Queued,
    /// Being compiled.
    Compiling,
    /// Running tests.
    Running,
    /// Judged.
    Done,
}

wire_names!(LiveState {
    Queued => "queued",
    Compiling => "compiling",
    Running => "running",
    Done => "done",
});

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trips<T>(all: &[T], as_str: fn(T) -> &'static str, parse: fn(&str) -> Option<T>)
    where
        T: Copy + PartialEq + fmt::Debug + Serialize + for<'de> Deserialize<'de>,
    {
        for &x in all {
            let name = as_str(x);
            assert_eq!(parse(name), Some(x));
            assert_eq!(serde_json::to_string(&x).unwrap(), format!("\"{name}\""));
            assert_eq!(
                serde_json::from_str::<T>(&format!("\"{name}\"")).unwrap(),
                x
            );
        }
        assert_eq!(parse("nonsense"), None);
    }

    #[test]
    fn names_round_trip_through_parse_and_serde() {
        round_trips(Role::ALL, Role::as_str, Role::parse);
        round_trips(ContestKind::ALL, ContestKind::as_str, ContestKind::parse);
        round_trips(ContestState::ALL, ContestState::as_str, ContestState::parse);
        round_trips(
            SubmissionStatus::ALL,
            SubmissionStatus::as_str,
            SubmissionStatus::parse,
        );
        round_trips(LiveState::ALL, LiveState::as_str, LiveState::parse);
    }

    #[test]
    fn jury_and_admin_see_what_the_jury_sees() {
        assert!(Role::Admin.is_jury() && Role::Jury.is_jury());
        assert!(!Role::Contestant.is_jury() && !Role::Spectator.is_jury());
    }
}
