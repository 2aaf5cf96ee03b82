//! `feed`: `--readers` clients follow a contest's Contest API event feed
//! (`/api/ccs/contests/{id}/event-feed`, anonymous) while `--contestants` submit Python
//! (AC and WA in turn) at `--rate` per second for `--duration`.
//!
//! Measures the event delay: for each `submissions` line, its arrival minus the
//! submission's `time`; for each `judgements` line with an `end_time`, its arrival minus
//! that (the server's and this process's clocks are the machine's). The run fails (exit 1)
//! if a reader did not see every submission made during the run.

use crate::cli::FeedArgs;
use crate::target::{prepare, register_contestants};
use anyhow::{Context, bail};
use codehub_loadtest::raise_fd_limit;
use codehub_loadtest::report::{Latency, MAX_LATENCY_MS, histogram};
use hdrhistogram::Histogram;
use serde_json::{Value, json};
use std::collections::HashSet;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Milliseconds since the epoch of a Contest API `TIME`.
fn time_ms(s: &str) -> Option<i64> {
    let t = time::OffsetDateTime::parse(s, &time::format_description::well_known::Iso8601::DEFAULT)
        .ok()?;
    Some((t.unix_timestamp_nanos() / 1_000_000) as i64)
}

/// What one reader saw.
struct Seen {
    submissions: HashSet<String>,
    delays: Histogram<u64>,
}

/// Follows the feed until `stop`; records the delay of events made after `from_ms`.
async fn read(
    client: reqwest::Client,
    url: String,
    from_ms: i64,
    stop: Instant,
) -> anyhow::Result<Seen> {
    let mut resp = client.get(&url).send().await?.error_for_status()?;
    let mut seen = Seen {
        submissions: HashSet::new(),
        delays: histogram(),
    };
    let mut buffer = Vec::new();
    while let Ok(chunk) = tokio::time::timeout_at(stop.into(), resp.chunk()).await {
        let Some(chunk) = chunk? else { break };
        let now = codehub_loadtest::now_ms();
        buffer.extend_from_slice(&chunk);
        while let Some(end) = buffer.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = buffer.drain(..=end).collect();
            if line.len() < 2 {
                continue;
            }
            let event: Value = serde_json::from_slice(&line).context("a feed line")?;
            let at = match event["type"].as_str() {
                Some("submissions") => {
                    if let Some(id) = event["id"].as_str() {
                        seen.submissions.insert(id.to_owned());
                    }
                    event["data"]["time"].as_str().and_then(time_ms)
                }
                Some("judgements") => event["data"]["end_time"].as_str().and_then(time_ms),
                _ => None,
            };
            if let Some(at) = at.filter(|at| *at >= from_ms) {
                let _ = seen
                    .delays
                    .record(((now - at).max(1) as u64).min(MAX_LATENCY_MS));
            }
        }
    }
    Ok(seen)
}

/// Runs `feed`.
pub(crate) async fn feed_cmd(f: FeedArgs) -> anyhow::Result<ExitCode> {
    use codehub_protocol::requests::NewSubmission;
    use codehub_protocol::views::{ContestView, FileView};
    raise_fd_limit();
    if !(f.rate.is_finite() && f.rate > 0.0) || f.contestants == 0 || f.readers == 0 {
        bail!("--rate must be positive, --contestants and --readers at least 1");
    }
    let p = prepare(&f.target).await?;
    let client = p.admin.client().clone();
    let url = p.admin.url().to_owned();
    let contest: ContestView = client
        .get(format!("{url}/api/contests/{}", f.target.contest))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let problem = contest
        .problems
        .first()
        .context("the contest has no problem")?
        .problem_id;
    let contestants = register_contestants(&client, &url, "feed", f.contestants).await?;
    // Readers connect first and take the snapshot; the measured phase starts after.
    let feed = format!("{url}/api/ccs/contests/{}/event-feed", contest.ccs_id);
    let readers_client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()?;
    let connect = Duration::from_secs(10);
    let from_ms = codehub_loadtest::now_ms() + connect.as_millis() as i64;
    let stop = Instant::now() + connect + f.duration + Duration::from_secs(5);
    let readers: Vec<_> = (0..f.readers)
        .map(|_| tokio::spawn(read(readers_client.clone(), feed.clone(), from_ms, stop)))
        .collect();
    tokio::time::sleep(connect).await;
    let interval = Duration::from_secs_f64(1.0 / f.rate);
    let start = Instant::now();
    let mut made = Vec::new();
    let mut k = 0usize;
    while start.elapsed() < f.duration {
        let (file, source) = if k.is_multiple_of(2) {
            ("a.py", "print('Hello World!')\n")
        } else {
            ("a.py", "print('Hello, there')\n")
        };
        let submission = NewSubmission {
            problem_id: problem,
            contest_id: Some(contest.id),
            language: None,
            files: vec![FileView {
                name: file.to_owned(),
                contents: source.to_owned(),
            }],
        };
        let resp = contestants[k % contestants.len()]
            .send(|c| c.post(format!("{url}/api/submissions")).json(&submission))
            .await?;
        if resp.status().as_u16() == 202 {
            let s: Value = resp.json().await?;
            made.push(s["id"].as_i64().context("a submission id")?.to_string());
        }
        k += 1;
        if let Some(wait) = (interval * k as u32).checked_sub(start.elapsed()) {
            tokio::time::sleep(wait).await;
        }
    }
    let submitting = start.elapsed();
    let mut delays = histogram();
    let mut missed = 0u64;
    let mut failed = 0u64;
    for r in readers {
        match r.await? {
            Ok(seen) => {
                delays
                    .add(&seen.delays)
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                missed += made
                    .iter()
                    .filter(|id| !seen.submissions.contains(*id))
                    .count() as u64;
            }
            Err(_) => failed += 1,
        }
    }
    let ok = missed == 0 && failed == 0 && !made.is_empty();
    let out = json!({
        "scenario": "feed",
        "urls": p.urls,
        "readers": f.readers,
        "readers_failed": failed,
        "submissions": made.len(),
        "submissions_per_s": made.len() as f64 / submitting.as_secs_f64(),
        "events_measured": delays.len(),
        "submissions_missed": missed,
        "event_delay_ms": Latency::of(&delays),
        "server_cpu_s": p.local.as_ref().and_then(|l| l.cpu_us()).map(|us| us / 1e6),
        "ok": ok,
    });
    eprintln!("{}", serde_json::to_string_pretty(&out)?);
    if let Some(path) = &f.report {
        std::fs::write(path, serde_json::to_string_pretty(&out)?)?;
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
