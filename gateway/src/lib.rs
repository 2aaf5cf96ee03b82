//! CodeHub's gateway: the `codehub` command line today; the HTTP API and WebSocket fan-out
//! arrive with the engine/gateway issue.
//!
//! # Layout
//! - [`cli`]: argument parsing and one module per subcommand.

pub mod cli;
