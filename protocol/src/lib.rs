//! CodeHub's wire protocol: every JSON shape that crosses the network, written once.
//!
//! The gateway serialises these types, the web UI and the load-test harness deserialise
//! them, and the engine publishes live messages in them. Nothing here does I/O, and the
//! crate builds for `wasm32` (the browser UI depends on it).
//!
//! - [`ids`], [`names`], [`verdict`]: identifiers and the wire names of roles, contest
//!   kinds and states, submission states and verdicts.
//! - [`channel`]: the live channels a WebSocket client subscribes to, parsed and
//!   formatted in one place.
//! - [`views`] and [`requests`]: REST answers and request bodies.
//! - [`board`]: scoreboard rows, snapshots and deltas.
//! - [`ws`]: the `/ws` frames and commands.
//! - [`error`]: the `{code, message}` body of every error.
//! - [`files`]: the rule for submitted file names, checked by the gateway, the CLI, the
//!   UI and the judge alike.
//! - [`reltime`]: the Contest API's `RELTIME`, shared by the gateway and the resolver.
//! - [`policy`]: the verdict policy a contest may set (wall time, stack, output
//!   overflow, compiler file size).
//!
//! With the `openapi` feature every REST type derives `utoipa::ToSchema`, so the
//! published OpenAPI document is generated from the same definitions.

pub mod board;
pub mod channel;
pub mod error;
pub mod files;
pub mod ids;
pub mod names;
pub mod policy;
pub mod reltime;
pub mod requests;
pub mod verdict;
pub mod views;
pub mod ws;

pub use board::{Cell, Delta, Row, Snapshot, Team, View};
pub use channel::Channel;
pub use error::ErrorBody;
pub use ids::{ContestId, ProblemId, SubmissionId, UserId};
pub use names::{ContestKind, ContestState, Role, SubmissionStatus};
pub use verdict::Verdict;
