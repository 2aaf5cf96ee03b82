//! `compare`: the spectators workload on CodeHub and then on the peer (nginx-nchan), back
//! to back on this machine, with one report of both sides and their ratios (CodeHub ÷
//! nchan: below 1 is CodeHub's advantage).
//!
//! The peer publishes the very bytes CodeHub sent for a delta on this contest (captured
//! from a subscription before the runs), with each message's `seq` and `ts` set at its
//! publish request; CodeHub stamps `ts` when the delta is published inside the server.

use super::spectators::{Side, finish_run, run_spectators};
use crate::cli::{Compare, Target};
use crate::summary::summary;
use crate::target::{Prepared, prepare};
use anyhow::{Context, bail};
use codehub_loadtest::nchan::NchanServer;
use codehub_loadtest::raise_fd_limit;
use codehub_loadtest::report::RunReport;
use codehub_protocol::ws::{ClientCommand, MessageKind, ServerMessage};
use codehub_protocol::{Channel, ContestId, View};
use futures::{SinkExt, StreamExt};
use std::process::ExitCode;
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;

/// How long the server shares a board snapshot among subscribers (the gateway's `FRESH`).
const SHARED_SNAPSHOT_WINDOW: Duration = Duration::from_millis(250);

/// A real delta of the contest's public board: subscribes, makes one result happen, and
/// returns the delta that arrives.
async fn capture_delta(p: &Prepared, t: &Target) -> anyhow::Result<ServerMessage> {
    let url = format!("{}/ws", p.urls[0].replace("http://", "ws://"));
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await?;
    let channel = Channel::Scoreboard(ContestId(t.contest), View::Public).to_string();
    let cmd = serde_json::to_string(&ClientCommand::Subscribe {
        channel,
        since: None,
    })?;
    ws.send(Message::Text(cmd.into())).await?;
    let (_, problems) = p.admin.board(t.contest).await?;
    if problems == 0 {
        bail!("contest {} has no problems to score", t.contest);
    }
    let read = async {
        let mut injected = false;
        while let Some(msg) = ws.next().await {
            let Message::Text(text) = msg? else { continue };
            let m: ServerMessage = serde_json::from_str(text.as_str())?;
            match m.kind {
                MessageKind::Snapshot if !injected => {
                    p.admin.inject(t.contest, 999_999, 0, "AC", 0).await?;
                    injected = true;
                }
                MessageKind::Delta => return Ok(m),
                _ => {}
            }
        }
        bail!("the subscription closed before a delta came")
    };
    tokio::time::timeout(Duration::from_secs(30), read)
        .await
        .context("no delta within 30 s")?
}

/// `a ÷ b`, when both are known and `b` is not zero.
fn ratio(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    a.zip(b).filter(|(_, b)| *b != 0.0).map(|(a, b)| a / b)
}

/// The ratios of two runs (CodeHub ÷ nchan).
pub(crate) fn ratios(codehub: &RunReport, nchan: &RunReport) -> serde_json::Value {
    let l = |r: &RunReport| {
        (
            r.latency_ms.p50 as f64,
            r.latency_ms.p99 as f64,
            r.latency_ms.max as f64,
        )
    };
    let (c, n) = (l(codehub), l(nchan));
    serde_json::json!({
        "latency_p50": ratio(Some(c.0), Some(n.0)),
        "latency_p99": ratio(Some(c.1), Some(n.1)),
        "latency_max": ratio(Some(c.2), Some(n.2)),
        "cpu_us_per_message": ratio(codehub.server_cpu_us_per_message, nchan.server_cpu_us_per_message),
        "rss_kib_per_connection": ratio(codehub.server_rss_per_connection_kib, nchan.server_rss_per_connection_kib),
        "setup_per_s": ratio(codehub.setup_per_s, nchan.setup_per_s),
    })
}

/// Runs `compare`: CodeHub, then nchan, then one report.
pub(crate) async fn compare_cmd(c: Compare) -> anyhow::Result<ExitCode> {
    raise_fd_limit();
    let p = prepare(&c.target).await?;
    let template = capture_delta(&p, &c.target).await?;
    // The capture's subscription took a snapshot that the server shares with whoever
    // subscribes in the next 250 ms (`gateway/src/ws/boards.rs`, `FRESH`); spectators that
    // came that soon would get it and then the capture's delta from the Hub's ring, as
    // one delta more each with its latency counted from before they connected. Waiting
    // past that window gives every spectator a snapshot that already holds it.
    tokio::time::sleep(SHARED_SNAPSHOT_WINDOW * 2).await;
    eprintln!("codehub:");
    let codehub = run_spectators(
        &Side::CodeHub(&p),
        &c.target,
        c.connections,
        c.duration,
        c.rate,
    )
    .await?;
    summary(&codehub);
    drop(p);
    eprintln!("nchan:");
    let server = NchanServer::start(c.connections).await?;
    let nchan = run_spectators(
        &Side::Nchan(&server, template),
        &c.target,
        c.connections,
        c.duration,
        c.rate,
    )
    .await?;
    drop(server);
    let code = finish_run(&nchan, None, None)?;
    let ratios = ratios(&codehub, &nchan);
    eprintln!("codehub ÷ nchan: {ratios}");
    let ok = codehub.ok && nchan.ok;
    if let Some(path) = &c.report {
        let out = serde_json::json!({
            "scenario": "compare",
            "connections": c.connections,
            "rate_per_s": c.rate,
            "codehub": codehub,
            "nchan": nchan,
            "codehub_over_nchan": ratios,
            "ok": ok,
        });
        std::fs::write(path, serde_json::to_string_pretty(&out)?)?;
    }
    Ok(if ok { code } else { ExitCode::from(1) })
}
