//! The command line: subcommands and their arguments (clap).
//!
//! The `///` comments on the argument types and fields are their `--help` text.

use clap::{Args, Parser, Subcommand};
use codehub_loadtest::parse_duration;
use std::path::PathBuf;
use std::time::Duration;

// No `///` here: with `about` given, a doc comment would become `--help`'s long text.
#[derive(Parser)]
#[command(
    name = "codehub-loadtest",
    version,
    about = "Load scenarios against CodeHub servers"
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Cmd,
}

// Each variant's `///` comment is the subcommand's help line.
#[derive(Subcommand)]
pub(crate) enum Cmd {
    /// N WebSocket spectators on one scoreboard; deltas at a fixed rate; delivery latency.
    Spectators(Spectators),
    /// Raise the number of spectators until the p99 passes a bound.
    Ramp(Ramp),
    /// The spectators workload on CodeHub, then on nginx-nchan, back to back; one report
    /// with both and their ratios.
    Compare(Compare),
    /// Contestants submit a realistic mix while spectators watch.
    Contest(ContestArgs),
    /// Readers follow the Contest API event feed while contestants submit; event delay.
    Feed(FeedArgs),
    /// (internal) One worker process's share of spectators.
    #[command(hide = true)]
    Worker(WorkerArgs),
}

// The servers under test and how spectators are spread (shared by every scenario).
#[derive(Args, Clone)]
pub(crate) struct Target {
    /// Server URL(s); several are used round-robin. Only loopback or these URLs are contacted.
    #[arg(long = "url")]
    pub(crate) urls: Vec<String>,
    /// Start a local `codehub serve` (fresh data dir) and test it.
    #[arg(long)]
    pub(crate) local: bool,
    /// The `codehub` binary for `--local` (default: next to this one).
    #[arg(long)]
    pub(crate) codehub: Option<PathBuf>,
    /// Password of the server's `admin` (not needed with `--local`).
    #[arg(long, env = "CODEHUB_ADMIN_PASSWORD", hide_env_values = true)]
    pub(crate) admin_password: Option<String>,
    /// Contest whose public scoreboard is watched.
    #[arg(long, default_value_t = 1)]
    pub(crate) contest: i64,
    /// Worker processes (default: one per 8000 connections).
    #[arg(long)]
    pub(crate) processes: Option<usize>,
}

// Arguments of `spectators`.
#[derive(Args, Clone)]
pub(crate) struct Spectators {
    #[command(flatten)]
    pub(crate) target: Target,
    /// Spectator connections.
    #[arg(long, default_value_t = 100)]
    pub(crate) connections: usize,
    /// Length of the measured phase (e.g. 30s).
    #[arg(long, default_value = "30s", value_parser = parse_duration)]
    pub(crate) duration: Duration,
    /// Scoreboard deltas per second.
    #[arg(long, default_value_t = 1.0)]
    pub(crate) rate: f64,
    /// Where to write the JSON report.
    #[arg(long)]
    pub(crate) report: Option<PathBuf>,
    /// Where to write the latency plot (SVG).
    #[arg(long)]
    pub(crate) plot: Option<PathBuf>,
    /// Load the peer instead of CodeHub: `nchan` (nginx with nchan, started on loopback
    /// with one worker; the same workload, deltas of CodeHub's shape).
    #[arg(long, value_parser = ["nchan"])]
    pub(crate) peer: Option<String>,
}

// Arguments of `ramp`.
#[derive(Args)]
pub(crate) struct Ramp {
    #[command(flatten)]
    pub(crate) target: Target,
    /// First number of spectators.
    #[arg(long, default_value_t = 1000)]
    pub(crate) start: usize,
    /// Added each step.
    #[arg(long, default_value_t = 1000)]
    pub(crate) step: usize,
    /// Largest number tried.
    #[arg(long, default_value_t = 19_000)]
    pub(crate) max: usize,
    /// p99 bound, ms.
    #[arg(long, default_value_t = 100)]
    pub(crate) bound_ms: u64,
    /// Measured phase of each step.
    #[arg(long, default_value = "10s", value_parser = parse_duration)]
    pub(crate) duration: Duration,
    /// Deltas per second.
    #[arg(long, default_value_t = 1.0)]
    pub(crate) rate: f64,
    /// Where to write the JSON report.
    #[arg(long)]
    pub(crate) report: Option<PathBuf>,
    /// Ramp the peer instead of CodeHub (`nchan`).
    #[arg(long, value_parser = ["nchan"])]
    pub(crate) peer: Option<String>,
}

// Arguments of `compare`.
#[derive(Args)]
pub(crate) struct Compare {
    #[command(flatten)]
    pub(crate) target: Target,
    /// Spectator connections, the same for both servers.
    #[arg(long, default_value_t = 1000)]
    pub(crate) connections: usize,
    /// Length of each measured phase.
    #[arg(long, default_value = "30s", value_parser = parse_duration)]
    pub(crate) duration: Duration,
    /// Deltas per second.
    #[arg(long, default_value_t = 1.0)]
    pub(crate) rate: f64,
    /// Where to write the JSON report (both sides and the ratios).
    #[arg(long)]
    pub(crate) report: Option<PathBuf>,
}

// Arguments of `contest`.
#[derive(Args)]
pub(crate) struct ContestArgs {
    #[command(flatten)]
    pub(crate) target: Target,
    /// Contestants submitting (registered for the run).
    #[arg(long, default_value_t = 10)]
    pub(crate) contestants: usize,
    /// Spectators watching the scoreboard.
    #[arg(long, default_value_t = 100)]
    pub(crate) spectators: usize,
    /// Submissions per second, all contestants together.
    #[arg(long, default_value_t = 1.0)]
    pub(crate) rate: f64,
    /// What is submitted: `realistic` (AC, WA, TLE and CE in C++, Python and Java; the
    /// judges' capacity on a 2-core machine is about 4.7/s) or `light` (Python AC and WA
    /// only: for rates the realistic mix cannot sustain on small machines).
    #[arg(long, default_value = "realistic", value_parser = ["realistic", "light"])]
    pub(crate) mix: String,
    /// Length of the submitting phase.
    #[arg(long, default_value = "30s", value_parser = parse_duration)]
    pub(crate) duration: Duration,
    /// The problem submitted to (default: the contest's first; it must be `Hello World!`).
    #[arg(long)]
    pub(crate) problem: Option<i64>,
    /// Where to write the JSON report.
    #[arg(long)]
    pub(crate) report: Option<PathBuf>,
    /// Sample the local server's memory and open descriptors (`--local` only) and draw
    /// them over time into this SVG file; the samples go beside it as `.csv`.
    #[arg(long)]
    pub(crate) resources: Option<PathBuf>,
    /// Interval of the `--resources` samples.
    #[arg(long, default_value = "10s", value_parser = parse_duration)]
    pub(crate) sample_every: Duration,
    /// Where to write the server's `/metrics` exposition at the end of the run.
    #[arg(long)]
    pub(crate) metrics: Option<PathBuf>,
}

// Arguments of `feed`.
#[derive(Args)]
pub(crate) struct FeedArgs {
    #[command(flatten)]
    pub(crate) target: Target,
    /// Event-feed readers (held by this process).
    #[arg(long, default_value_t = 1000)]
    pub(crate) readers: usize,
    /// Contestants submitting.
    #[arg(long, default_value_t = 20)]
    pub(crate) contestants: usize,
    /// Submissions per second, all contestants together.
    #[arg(long, default_value_t = 10.0)]
    pub(crate) rate: f64,
    /// Length of the submitting phase.
    #[arg(long, default_value = "30s", value_parser = parse_duration)]
    pub(crate) duration: Duration,
    /// Where to write the JSON report.
    #[arg(long)]
    pub(crate) report: Option<PathBuf>,
}

// Arguments of the hidden `worker` subcommand, passed by `Fleet::spawn`. Its options
// have no help text, so they carry no `///` comments: servers, contest, the worker's
// share of connections, and its first 127.0.0.x source address.
#[derive(Args)]
pub(crate) struct WorkerArgs {
    #[arg(long = "url")]
    pub(crate) urls: Vec<String>,
    #[arg(long)]
    pub(crate) contest: i64,
    #[arg(long)]
    pub(crate) connections: usize,
    #[arg(long)]
    pub(crate) source: u8,
    #[arg(long)]
    pub(crate) peer: Option<String>,
}
