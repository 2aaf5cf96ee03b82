//! CodeHub's gateway: the `codehub` command line, the HTTP API under `/api`, and the
//! WebSocket fan-out on `/ws`.
//!
//! # Layout
//! - [`cli`]: argument parsing and one module per subcommand (`serve` wires everything
//!   from one [`settings::Settings`] tree: defaults, file, environment, flags).
//! - [`app`]: shared state (imported by the routes, importing none of them).
//! - [`routes`]: the router and one module per API resource; [`present`]: builds the
//!   protocol's views (`codehub_protocol::views`) from the engine's models.
//! - [`ws`]: WebSocket connections.
//! - [`ccs`]: the ICPC Contest API (2026-01) under `/api/ccs/`, with its event feed.
//! - [`auth`]: passwords, tokens, extractors.
//! - [`error`]: the `{code, message}` error type.
//! - blob stores (local directory, S3, HTTP for workers) live in the `codehub-blobs` crate.
//! - the Redis adapters (cluster mode) live in the `codehub-cluster` crate.
//! - [`metrics`]: Prometheus metrics (`/metrics`, the HTTP middleware).
//! - [`demo`]: demo data.
//! - [`web`]: the embedded browser UI.
//! - [`statement`]: Markdown + LaTeX statements to HTML.

pub mod app;
pub mod archive;
pub mod auth;
pub mod ccs;
pub mod cli;
pub mod demo;
pub mod error;
pub mod listener;
pub mod memory;
pub mod metrics;
pub mod oidc;
pub mod present;
pub mod proxy;
pub mod ratings;
pub mod routes;
pub mod run_limit;
pub mod settings;
pub mod statement;
pub mod telemetry;
pub mod throttle;
pub mod virtual_contest;
pub mod web;
pub mod ws;
