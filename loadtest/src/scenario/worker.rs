//! `worker` (hidden, internal): one process of the [`Fleet`](crate::fleet::Fleet).
//!
//! Opens its share of spectator connections (from 127.0.0.`--source` on), prints
//! `ready <established>` once all are connected (or after two minutes), measures until
//! told `end <final seq>` on stdin, waits for the deltas still on their way (at most 10 s),
//! then prints its [`WorkerReport`] as one JSON line.
//!
//! [`WorkerReport`]: codehub_loadtest::report::WorkerReport

use crate::cli::WorkerArgs;
use codehub_loadtest::{raise_fd_limit, worker};
use codehub_protocol::{Channel, ContestId, View};
use std::io::BufRead;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// How long a worker told `end` waits for deltas still on their way.
const DRAIN: Duration = Duration::from_secs(10);

/// Runs one worker process: connect, say `ready`, measure until told `end <seq>`, wait
/// for the deltas still on their way, report.
pub(crate) async fn worker_cmd(args: WorkerArgs) -> anyhow::Result<ExitCode> {
    raise_fd_limit();
    let what = if args.peer.as_deref() == Some("nchan") {
        worker::Subscription::Nchan
    } else {
        worker::Subscription::CodeHub(
            Channel::Scoreboard(ContestId(args.contest), View::Public).to_string(),
        )
    };
    let w = worker::start(&args.urls, &what, args.connections, args.source);
    let deadline = Instant::now() + Duration::from_secs(120);
    while (w
        .counters
        .established
        .load(std::sync::atomic::Ordering::Relaxed) as usize)
        < args.connections
        && Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    println!(
        "ready {}",
        w.counters
            .established
            .load(std::sync::atomic::Ordering::Relaxed)
    );
    let line = tokio::task::spawn_blocking(|| {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map(|_| line)
    })
    .await??;
    let final_seq: u64 = line
        .trim()
        .strip_prefix("end ")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    // Deltas still on their way when the run ended are delivered, not missed: wait (at
    // most DRAIN) until every connection has seen the final `seq`.
    let drain = Instant::now() + DRAIN;
    while !w.caught_up(final_seq) && Instant::now() < drain {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let report = w.report(args.connections as u64, final_seq);
    println!("{}", serde_json::to_string(&report)?);
    Ok(ExitCode::SUCCESS)
}
