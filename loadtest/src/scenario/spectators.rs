//! `spectators`: N WebSocket spectators (spread over the [`Fleet`]) watch one scoreboard
//! while deltas happen at `--rate` per second: on CodeHub, synthetic results through the
//! injection endpoint; on the peer (`--peer nchan`), messages of the same shape and size
//! POSTed to nginx-nchan.
//!
//! Measures each delta's delivery latency (publication timestamp → receipt, HDR
//! percentiles), deltas missed or out of order, connections dropped, the connection
//! set-up rate, and for a local server its memory per connection and CPU time per
//! delivered message. The run fails (exit 1) unless every connection was established and
//! held and every delta arrived in order.

use crate::cli::{Spectators, Target};
use crate::fleet::Fleet;
use crate::summary::{plot, summary};
use crate::target::{Prepared, prepare};
use anyhow::bail;
use codehub_loadtest::nchan::NchanServer;
use codehub_loadtest::report::{Latency, RunReport, merge};
use codehub_loadtest::server::LocalServer;
use codehub_loadtest::{now_ms, raise_fd_limit};
use codehub_protocol::ws::ServerMessage;
use indicatif::{ProgressBar, ProgressStyle};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// The server a run loads.
pub(super) enum Side<'a> {
    /// CodeHub: deltas by injection on the contest's public board.
    CodeHub(&'a Prepared),
    /// nginx-nchan: `template` (a CodeHub delta) published with each `seq` and `ts`.
    Nchan(&'a NchanServer, ServerMessage),
}

impl Side<'_> {
    fn name(&self) -> &'static str {
        match self {
            Side::CodeHub(_) => "codehub",
            Side::Nchan(..) => "nchan",
        }
    }

    fn urls(&self) -> Vec<String> {
        match self {
            Side::CodeHub(p) => p.urls.clone(),
            Side::Nchan(n, _) => vec![n.url.clone()],
        }
    }

    fn cpu_us(&self) -> Option<f64> {
        match self {
            Side::CodeHub(p) => p.local.as_ref().and_then(LocalServer::cpu_us),
            Side::Nchan(n, _) => n.cpu_us(),
        }
    }

    fn rss_kib(&self) -> Option<u64> {
        match self {
            Side::CodeHub(p) => p.local.as_ref().and_then(LocalServer::rss_kib),
            Side::Nchan(n, _) => n.rss_kib(),
        }
    }

    /// Makes delta number `n` (0-based) happen.
    async fn publish(&self, t: &Target, problems: usize, n: u64) -> anyhow::Result<()> {
        match self {
            Side::CodeHub(p) => {
                let team = 1_000_000 + (n % 1000) as i64;
                let verdict = if n.is_multiple_of(3) { "WA" } else { "AC" };
                p.admin
                    .inject(
                        t.contest,
                        team,
                        n as usize % problems,
                        verdict,
                        (n as i64) * 1000,
                    )
                    .await
            }
            Side::Nchan(server, template) => {
                let mut m = template.clone();
                m.seq = Some(n + 1);
                m.ts = Some(now_ms());
                server.publish(serde_json::to_string(&m)?).await
            }
        }
    }

    /// The channel's last `seq` after `published` deltas.
    async fn final_seq(&self, t: &Target, published: u64) -> anyhow::Result<u64> {
        match self {
            Side::CodeHub(p) => Ok(p.admin.board(t.contest).await?.0),
            Side::Nchan(..) => Ok(published),
        }
    }
}

/// A delta as CodeHub sends it when a result changes a row of a board with `problems`
/// problems: the same types, so the same bytes as the real thing.
pub(super) fn synthetic_delta(contest: i64, problems: usize) -> ServerMessage {
    use codehub_protocol::board::{Cell, Delta, Row};
    use codehub_protocol::{Channel, ContestId, UserId, View};
    let cells = (0..problems)
        .map(|i| Cell {
            attempts: 1,
            pending: 0,
            solved: i == 0,
            solved_at_min: (i == 0).then_some(42),
            first_to_solve: false,
            score: 0.0,
        })
        .collect();
    let delta = Delta {
        frozen: false,
        rows: vec![Row {
            team: UserId(1_000_001),
            rank: 1,
            solved: 1,
            penalty: 42,
            score: 0.0,
            cells,
        }],
    };
    ServerMessage {
        channel: Some(Channel::Scoreboard(ContestId(contest), View::Public).to_string()),
        seq: Some(1),
        kind: codehub_protocol::ws::MessageKind::Delta,
        ts: Some(now_ms()),
        data: serde_json::to_value(delta).expect("a delta serialises"),
        code: None,
        message: None,
    }
}

/// One spectators run against a prepared server.
pub(super) async fn run_spectators(
    side: &Side<'_>,
    t: &Target,
    connections: usize,
    duration: Duration,
    rate: f64,
) -> anyhow::Result<RunReport> {
    if !(rate.is_finite() && rate > 0.0) {
        bail!("--rate must be a positive number");
    }
    let problems = match side {
        Side::CodeHub(p) => p.admin.board(t.contest).await?.1,
        Side::Nchan(..) => 1,
    };
    if problems == 0 {
        bail!("contest {} has no problems to score", t.contest);
    }
    let rss_before = side.rss_kib();
    let urls = side.urls();
    let peer = matches!(side, Side::Nchan(..)).then_some("nchan");
    let setup = Instant::now();
    let fleet = Fleet::spawn(&urls, t, connections, peer)?;
    let setup_s = setup.elapsed().as_secs_f64();
    let processes = fleet.processes();
    let bar = ProgressBar::new(duration.as_secs().max(1));
    bar.set_style(
        ProgressStyle::with_template("{msg:>12} [{bar:40}] {pos}/{len} s").expect("template"),
    );
    bar.set_message("measuring");
    let cpu_before = side.cpu_us();
    let start = Instant::now();
    let interval = Duration::from_secs_f64(1.0 / rate);
    let mut published = 0u64;
    while start.elapsed() < duration {
        side.publish(t, problems, published).await?;
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
    let cpu_after = side.cpu_us();
    let final_seq = side.final_seq(t, published).await?;
    let reports = fleet.finish(final_seq)?;
    let (total, histogram) = merge(&reports).map_err(anyhow::Error::msg)?;
    let rss = side.rss_kib();
    let ok = total.established == total.attempted
        && total.missed == 0
        && total.out_of_order == 0
        && total.dropped == 0;
    Ok(RunReport {
        scenario: "spectators".into(),
        urls,
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
        server: side.name().into(),
        setup_per_s: Some(total.established as f64 / setup_s.max(1e-3)),
        ok,
    })
}

/// Writes the report and plot if asked; the exit code of a run.
pub(super) fn finish_run(
    report: &RunReport,
    path: Option<&std::path::Path>,
    plot_to: Option<&std::path::Path>,
) -> anyhow::Result<ExitCode> {
    summary(report);
    if let Some(path) = path {
        std::fs::write(path, serde_json::to_string_pretty(report)?)?;
    }
    if let Some(path) = plot_to {
        plot(path, report)?;
    }
    Ok(if report.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Runs `spectators`: one run (on CodeHub, or on the peer), its summary, the report and
/// plot if asked.
pub(crate) async fn spectators_cmd(s: Spectators) -> anyhow::Result<ExitCode> {
    raise_fd_limit();
    let report = if s.peer.is_some() {
        let server = NchanServer::start(s.connections).await?;
        let side = Side::Nchan(&server, synthetic_delta(s.target.contest, 12));
        run_spectators(&side, &s.target, s.connections, s.duration, s.rate).await?
    } else {
        let p = prepare(&s.target).await?;
        run_spectators(
            &Side::CodeHub(&p),
            &s.target,
            s.connections,
            s.duration,
            s.rate,
        )
        .await?
    };
    finish_run(&report, s.report.as_deref(), s.plot.as_deref())
}
