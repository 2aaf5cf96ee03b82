//! The HTTP API and WebSocket channels end to end, against a real `codehub serve`
//! process (SQLite in a temp dir, native sandbox), over real sockets.

mod archive;
mod auth;
mod authz;
#[path = "../support/board.rs"]
mod board;
mod browser;
mod browser_support;
mod ccs;
mod ccs_schemas;
mod clarifications;
mod contest_package;
mod contests;
mod durability;
mod editorial;
#[path = "../support/feed.rs"]
mod feed;
mod helpers;
mod live;
mod metrics;
mod oidc;
mod packages;
mod proxy;
mod ratings;
mod runs;
mod submissions;
mod tls;
mod users;
