//! `ramp`: spectators runs with N = `--start`, then `--step` more each time up to `--max`,
//! stopping at the first run that fails or whose p99 delivery latency passes
//! `--bound-ms`.
//!
//! Reports the largest N within the bound and every step's run report. The exit code is
//! success either way: finding the bound is the result.

use super::spectators::{Side, run_spectators, synthetic_delta};
use crate::cli::Ramp;
use crate::summary::summary;
use crate::target::prepare;
use codehub_loadtest::nchan::NchanServer;
use codehub_loadtest::raise_fd_limit;
use std::process::ExitCode;

/// Runs `ramp`: growing spectators runs against the same server (CodeHub, or the peer
/// with `--peer nchan`).
pub(crate) async fn ramp_cmd(r: Ramp) -> anyhow::Result<ExitCode> {
    raise_fd_limit();
    let (prepared, peer) = if r.peer.is_some() {
        (None, Some(NchanServer::start(r.max).await?))
    } else {
        (Some(prepare(&r.target).await?), None)
    };
    let side = match (&prepared, &peer) {
        (Some(p), _) => Side::CodeHub(p),
        (None, Some(n)) => Side::Nchan(n, synthetic_delta(r.target.contest, 12)),
        (None, None) => unreachable!("one side is prepared"),
    };
    let mut steps = Vec::new();
    let mut largest_ok = None;
    let mut n = r.start.max(1);
    while n <= r.max {
        let report = run_spectators(&side, &r.target, n, r.duration, r.rate).await?;
        summary(&report);
        let held = report.ok && report.latency_ms.p99 <= r.bound_ms;
        steps.push(report);
        if !held {
            break;
        }
        largest_ok = Some(n);
        n += r.step.max(1);
    }
    let out = serde_json::json!({
        "scenario": "ramp",
        "bound_ms": r.bound_ms,
        "largest_connections_within_bound": largest_ok,
        "steps": steps,
    });
    eprintln!("largest N within p99 ≤ {} ms: {largest_ok:?}", r.bound_ms);
    if let Some(path) = &r.report {
        std::fs::write(path, serde_json::to_string_pretty(&out)?)?;
    }
    Ok(ExitCode::SUCCESS)
}
