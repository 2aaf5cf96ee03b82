//! `codehub-loadtest`: load scenarios against CodeHub servers.
//!
//! ```text
//! codehub-loadtest spectators --url http://127.0.0.1:8080 --connections 10000 \
//!     --duration 30s --rate 1 --admin-password … --report out.json --plot out.svg
//! codehub-loadtest spectators --local --connections 1000 --duration 10s --report r.json
//! codehub-loadtest ramp --local --start 1000 --step 2000 --max 19000 --bound-ms 100
//! codehub-loadtest spectators --peer nchan --connections 1000 --duration 10s
//! codehub-loadtest compare --local --connections 19000 --duration 30s --report c.json
//! ```
//!
//! Spectators are spread over worker processes (each a copy of this binary) so that no
//! process runs into the open-files limit; every run stops by itself after `--duration`.
//!
//! # Layout
//! The binary's modules sit beside the library's (`report`, `server`, `worker`) in `src/`:
//! - `cli`: the subcommands and their arguments.
//! - `target`: the servers under test (`--url`s or a `--local` one) and the admin session.
//! - `fleet`: the worker processes holding a run's spectators.
//! - `scenario/`: one module per subcommand (`spectators`, `ramp`, `compare`, `contest`,
//!   `feed`, `worker`).
//! - `summary`: a run report printed on one line, or plotted to SVG.

mod cli;
mod fleet;
mod resources;
mod scenario;
mod summary;
mod target;

use clap::Parser;
use cli::{Cli, Cmd};
use scenario::{compare_cmd, contest_cmd, feed_cmd, ramp_cmd, spectators_cmd, worker_cmd};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("codehub-loadtest: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let result = rt.block_on(async {
        match cli.command {
            Cmd::Spectators(s) => spectators_cmd(s).await,
            Cmd::Ramp(r) => ramp_cmd(r).await,
            Cmd::Compare(c) => compare_cmd(c).await,
            Cmd::Contest(c) => contest_cmd(c).await,
            Cmd::Feed(f) => feed_cmd(f).await,
            Cmd::Worker(w) => worker_cmd(w).await,
        }
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("codehub-loadtest: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
