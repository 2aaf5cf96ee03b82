//! `spectators`: N WebSocket spectators (spread over the [`Fleet`]) watch one contest's
//! public scoreboard while the admin makes deltas happen at `--rate` per second
//! (synthetic results through the injection endpoint).
//!
//! Measures each delta's delivery latency (server timestamp → receipt, HDR percentiles),
//! deltas missed or out of order, connections dropped, and for a `--local` server its
//! memory per connection and CPU time per delivered message. The run fails (exit 1) unless
//! every connection was established and held and every delta arrived in order.

use crate::cli::{Spectators, Target};
use crate::fleet::Fleet;
use crate::summary::{plot, summary};
use crate::target::{Prepared, prepare};
use anyhow::bail;
use codehub_loadtest::raise_fd_limit;
use codehub_loadtest::report::{Latency, RunReport, merge};
use codehub_loadtest::server::LocalServer;
use indicatif::{ProgressBar, ProgressStyle};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// One spectators run against prepared servers.
pub(super) async fn run_spectators(
    p: &Prepared,
    t: &Target,
    connections: usize,
    duration: Duration,
    rate: f64,
) -> anyhow::Result<RunReport> {
    if !(rate.is_finite() && rate > 0.0) {
        bail!("--rate must be a positive number");
    }
    let (_, problems) = p.admin.board(t.contest).await?;
    if problems == 0 {
        bail!("contest {} has no problems to score", t.contest);
    }
    let rss_before = p.local.as_ref().and_then(LocalServer::rss_kib);
    let fleet = Fleet::spawn(p, t, connections)?;
    let processes = fleet.processes();
    let bar = ProgressBar::new(duration.as_secs().max(1));
    bar.set_style(
        ProgressStyle::with_template("{msg:>12} [{bar:40}] {pos}/{len} s").expect("template"),
    );
    bar.set_message("measuring");
    let cpu_before = p.local.as_ref().and_then(LocalServer::cpu_us);
    let start = Instant::now();
    let interval = Duration::from_secs_f64(1.0 / rate);
    let mut published = 0u64;
    while start.elapsed() < duration {
        let team = 1_000_000 + (published % 1000) as i64;
        let verdict = if published.is_multiple_of(3) {
            "WA"
        } else {
            "AC"
        };
        p.admin
            .inject(
                t.contest,
                team,
                published as usize % problems,
                verdict,
                (published as i64) * 1000,
            )
            .await?;
        published += 1;
        bar.set_position(start.elapsed().as_secs());
        let next = interval * published as u32;
        if let Some(wait) = next.checked_sub(start.elapsed()) {
            tokio::time::sleep(wait).await;
        }
    }
    bar.finish_and_clear();
    let measured = start.elapsed();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let cpu_after = p.local.as_ref().and_then(LocalServer::cpu_us);
    let (final_seq, _) = p.admin.board(t.contest).await?;
    let reports = fleet.finish(final_seq)?;
    let (total, histogram) = merge(&reports).map_err(anyhow::Error::msg)?;
    let rss = p.local.as_ref().and_then(LocalServer::rss_kib);
    let ok = total.established == total.attempted
        && total.missed == 0
        && total.out_of_order == 0
        && total.dropped == 0;
    let report = RunReport {
        scenario: "spectators".into(),
        urls: p.urls.clone(),
        connections_attempted: total.attempted,
        connections_established: total.established,
        connections_dropped: total.dropped,
        processes,
        deltas_published: published,
        messages_delivered: total.delivered,
        deltas_missed: total.missed,
        deltas_out_of_order: total.out_of_order,
        latency_ms: Latency::of(&histogram),
        duration_s: measured.as_secs_f64(),
        rate_per_s: rate,
        server_rss_kib: rss,
        server_rss_per_connection_kib: rss.zip(rss_before).map(|(after, before)| {
            after.saturating_sub(before) as f64 / total.established.max(1) as f64
        }),
        server_cpu_us_per_message: cpu_before
            .zip(cpu_after)
            .map(|(b, a)| (a - b) / total.delivered.max(1) as f64),
        ok,
    };
    Ok(report)
}

/// Runs `spectators`: one run, its summary, the report and plot if asked.
pub(crate) async fn spectators_cmd(s: Spectators) -> anyhow::Result<ExitCode> {
    raise_fd_limit();
    let p = prepare(&s.target).await?;
    let report = run_spectators(&p, &s.target, s.connections, s.duration, s.rate).await?;
    summary(&report);
    if let Some(path) = &s.report {
        std::fs::write(path, serde_json::to_string_pretty(&report)?)?;
    }
    if let Some(path) = &s.plot {
        plot(path, &report)?;
    }
    Ok(if report.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
