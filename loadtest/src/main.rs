//! `codehub-loadtest`: load scenarios against CodeHub servers.
//!
//! ```text
//! codehub-loadtest spectators --url http://127.0.0.1:8080 --connections 10000 \
//!     --duration 30s --rate 1 --admin-password … --report out.json --plot out.svg
//! codehub-loadtest spectators --local --connections 1000 --duration 10s --report r.json
//! codehub-loadtest ramp --local --start 1000 --step 2000 --max 19000 --bound-ms 100
//! ```
//!
//! Spectators are spread over worker processes (each a copy of this binary) so that no
//! process runs into the open-files limit; every run stops by itself after `--duration`.

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use codehub_loadtest::report::{Latency, RunReport, WorkerReport, merge};
use codehub_loadtest::server::{Admin, LocalServer};
use codehub_loadtest::{parse_duration, raise_fd_limit, worker};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(
    name = "codehub-loadtest",
    version,
    about = "Load scenarios against CodeHub servers"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// N WebSocket spectators on one scoreboard; deltas at a fixed rate; delivery latency.
    Spectators(Spectators),
    /// Raise the number of spectators until the p99 passes a bound.
    Ramp(Ramp),
    /// Contestants submit a realistic mix while spectators watch.
    Contest(ContestArgs),
    /// (internal) One worker process's share of spectators.
    #[command(hide = true)]
    Worker(WorkerArgs),
}

#[derive(Args, Clone)]
struct Target {
    /// Server URL(s); several are used round-robin. Only loopback or these URLs are contacted.
    #[arg(long = "url")]
    urls: Vec<String>,
    /// Start a local `codehub serve` (fresh data dir) and test it.
    #[arg(long)]
    local: bool,
    /// The `codehub` binary for `--local` (default: next to this one).
    #[arg(long)]
    codehub: Option<PathBuf>,
    /// Password of the server's `admin` (not needed with `--local`).
    #[arg(long, env = "CODEHUB_ADMIN_PASSWORD", hide_env_values = true)]
    admin_password: Option<String>,
    /// Contest whose public scoreboard is watched.
    #[arg(long, default_value_t = 1)]
    contest: i64,
    /// Worker processes (default: one per 8000 connections).
    #[arg(long)]
    processes: Option<usize>,
}

#[derive(Args, Clone)]
struct Spectators {
    #[command(flatten)]
    target: Target,
    /// Spectator connections.
    #[arg(long, default_value_t = 100)]
    connections: usize,
    /// Length of the measured phase (e.g. 30s).
    #[arg(long, default_value = "30s", value_parser = parse_duration)]
    duration: Duration,
    /// Scoreboard deltas per second.
    #[arg(long, default_value_t = 1.0)]
    rate: f64,
    /// Where to write the JSON report.
    #[arg(long)]
    report: Option<PathBuf>,
    /// Where to write the latency plot (SVG).
    #[arg(long)]
    plot: Option<PathBuf>,
}

#[derive(Args)]
struct Ramp {
    #[command(flatten)]
    target: Target,
    /// First number of spectators.
    #[arg(long, default_value_t = 1000)]
    start: usize,
    /// Added each step.
    #[arg(long, default_value_t = 1000)]
    step: usize,
    /// Largest number tried.
    #[arg(long, default_value_t = 19_000)]
    max: usize,
    /// p99 bound, ms.
    #[arg(long, default_value_t = 100)]
    bound_ms: u64,
    /// Measured phase of each step.
    #[arg(long, default_value = "10s", value_parser = parse_duration)]
    duration: Duration,
    /// Deltas per second.
    #[arg(long, default_value_t = 1.0)]
    rate: f64,
    /// Where to write the JSON report.
    #[arg(long)]
    report: Option<PathBuf>,
}

#[derive(Args)]
struct ContestArgs {
    #[command(flatten)]
    target: Target,
    /// Contestants submitting (registered for the run).
    #[arg(long, default_value_t = 10)]
    contestants: usize,
    /// Spectators watching the scoreboard.
    #[arg(long, default_value_t = 100)]
    spectators: usize,
    /// Submissions per second, all contestants together.
    #[arg(long, default_value_t = 1.0)]
    rate: f64,
    /// Length of the submitting phase.
    #[arg(long, default_value = "30s", value_parser = parse_duration)]
    duration: Duration,
    /// The problem submitted to (default: the contest's first; it must be `Hello World!`).
    #[arg(long)]
    problem: Option<i64>,
    /// Where to write the JSON report.
    #[arg(long)]
    report: Option<PathBuf>,
}

#[derive(Args)]
struct WorkerArgs {
    #[arg(long = "url")]
    urls: Vec<String>,
    #[arg(long)]
    contest: i64,
    #[arg(long)]
    connections: usize,
    #[arg(long)]
    source: u8,
}

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
            Cmd::Contest(c) => contest_cmd(c).await,
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

/// Runs one worker process: connect, say `ready`, measure until told `end <seq>`.
async fn worker_cmd(args: WorkerArgs) -> anyhow::Result<ExitCode> {
    raise_fd_limit();
    let channel = format!("contest/{}/scoreboard", args.contest);
    let w = worker::start(&args.urls, &channel, args.connections, args.source);
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
    let report = w.report(args.connections as u64, final_seq);
    println!("{}", serde_json::to_string(&report)?);
    Ok(ExitCode::SUCCESS)
}

struct Prepared {
    urls: Vec<String>,
    admin: Admin,
    local: Option<LocalServer>,
}

async fn prepare(t: &Target) -> anyhow::Result<Prepared> {
    if t.local {
        let codehub = match &t.codehub {
            Some(p) => p.clone(),
            None => std::env::current_exe()?.with_file_name("codehub"),
        };
        let server = LocalServer::start(&codehub)?;
        let admin = Admin::login(&server.url, &server.admin_password).await?;
        return Ok(Prepared {
            urls: vec![server.url.clone()],
            admin,
            local: Some(server),
        });
    }
    if t.urls.is_empty() {
        bail!("give --url (one or more) or --local");
    }
    let password = t.admin_password.as_deref().context(
        "the admin password is needed to make deltas: --admin-password or CODEHUB_ADMIN_PASSWORD",
    )?;
    let admin = Admin::login(&t.urls[0], password).await?;
    Ok(Prepared {
        urls: t.urls.clone(),
        admin,
        local: None,
    })
}

/// The worker processes holding a run's spectators.
struct Fleet {
    children: Vec<std::process::Child>,
    readers: Vec<BufReader<std::process::ChildStdout>>,
}

impl Fleet {
    /// Starts workers (one per 8,000 connections unless `--processes`) and waits until
    /// they are connected.
    fn spawn(p: &Prepared, t: &Target, connections: usize) -> anyhow::Result<Fleet> {
        let processes = t
            .processes
            .unwrap_or(connections.div_ceil(8000))
            .max(1)
            .min(connections.max(1));
        let exe = std::env::current_exe()?;
        let mut children = Vec::new();
        for k in 0..processes {
            let share = connections / processes + usize::from(k < connections % processes);
            let mut cmd = Command::new(&exe);
            cmd.arg("worker")
                .args([
                    "--contest",
                    &t.contest.to_string(),
                    "--connections",
                    &share.to_string(),
                ])
                .args(["--source", &(2 + (k * 50) % 200).to_string()]);
            for u in &p.urls {
                cmd.args(["--url", u]);
            }
            children.push(cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).spawn()?);
        }
        let bar = ProgressBar::new(connections as u64);
        bar.set_style(
            ProgressStyle::with_template("{msg:>12} [{bar:40}] {pos}/{len}").expect("template"),
        );
        bar.set_message("connecting");
        let mut readers = Vec::new();
        for w in &mut children {
            let mut r = BufReader::new(w.stdout.take().context("worker stdout")?);
            let line = tokio::task::block_in_place(|| {
                let mut line = String::new();
                r.read_line(&mut line).map(|_| line)
            })?;
            let ready: u64 = line
                .trim()
                .strip_prefix("ready ")
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            bar.inc(ready);
            readers.push(r);
        }
        bar.finish_and_clear();
        Ok(Fleet { children, readers })
    }

    fn processes(&self) -> usize {
        self.children.len()
    }

    /// Tells the workers the channel's final `seq` and collects their reports.
    fn finish(mut self, final_seq: u64) -> anyhow::Result<Vec<WorkerReport>> {
        let mut reports = Vec::new();
        for (w, r) in self.children.iter_mut().zip(self.readers.iter_mut()) {
            let mut stdin = w.stdin.take().context("worker stdin")?;
            writeln!(stdin, "end {final_seq}")?;
            drop(stdin);
            let line = tokio::task::block_in_place(|| {
                let mut line = String::new();
                r.read_line(&mut line).map(|_| line)
            })?;
            reports.push(
                serde_json::from_str(line.trim())
                    .with_context(|| format!("worker report: {line}"))?,
            );
        }
        Ok(reports)
    }
}

impl Drop for Fleet {
    fn drop(&mut self) {
        for w in &mut self.children {
            let _ = w.kill();
            let _ = w.wait();
        }
    }
}

/// One spectators run against prepared servers.
async fn run_spectators(
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

fn summary(r: &RunReport) {
    let l = &r.latency_ms;
    eprintln!(
        "{} connections ({} established, {} dropped), {} deltas published, {} delivered, {} missed, {} out of order; latency ms p50 {} p90 {} p99 {} p99.9 {} max {}{}",
        r.connections_attempted,
        r.connections_established,
        r.connections_dropped,
        r.deltas_published,
        r.messages_delivered,
        r.deltas_missed,
        r.deltas_out_of_order,
        l.p50,
        l.p90,
        l.p99,
        l.p999,
        l.max,
        r.server_rss_kib
            .map(|k| format!("; server RSS {k} KiB"))
            .unwrap_or_default()
    );
}

fn plot(path: &PathBuf, r: &RunReport) -> anyhow::Result<()> {
    use plotters::prelude::*;
    let l = &r.latency_ms;
    let points = [
        (50.0, l.p50),
        (90.0, l.p90),
        (99.0, l.p99),
        (99.9, l.p999),
        (100.0, l.max),
    ];
    let top = (l.max.max(1) as f64) * 1.1;
    let root = SVGBackend::new(path, (800, 500)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!("delivery latency, {} spectators", r.connections_established),
            ("sans-serif", 22),
        )
        .margin(20)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(50.0..100.0, 0.0..top)?;
    chart
        .configure_mesh()
        .x_desc("percentile")
        .y_desc("ms")
        .draw()?;
    chart.draw_series(LineSeries::new(
        points.iter().map(|(p, v)| (*p, *v as f64)),
        &BLUE,
    ))?;
    chart.draw_series(
        points
            .iter()
            .map(|(p, v)| Circle::new((*p, *v as f64), 4, BLUE.filled())),
    )?;
    root.present()?;
    Ok(())
}

async fn spectators_cmd(s: Spectators) -> anyhow::Result<ExitCode> {
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

async fn ramp_cmd(r: Ramp) -> anyhow::Result<ExitCode> {
    raise_fd_limit();
    let p = prepare(&r.target).await?;
    let mut steps = Vec::new();
    let mut largest_ok = None;
    let mut n = r.start.max(1);
    while n <= r.max {
        let report = run_spectators(&p, &r.target, n, r.duration, r.rate).await?;
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

/// The mix of the `contest` scenario: (language file, source, expected verdict), by weight.
const MIX: &[(&str, &str, &str)] = &[
    (
        "a.cpp",
        "#include <cstdio>\nint main() { std::puts(\"Hello World!\"); }\n",
        "AC",
    ),
    ("a.py", "print('Hello World!')\n", "AC"),
    (
        "Main.java",
        "public class Main { public static void main(String[] a) { System.out.println(\"Hello World!\"); } }\n",
        "AC",
    ),
    (
        "a.cpp",
        "#include <cstdio>\nint main() { std::puts(\"Hello World!\"); }\n",
        "AC",
    ),
    ("a.py", "print('Hello, there')\n", "WA"),
    (
        "Main.java",
        "public class Main { public static void main(String[] a) { System.out.println(\"Hello\"); } }\n",
        "WA",
    ),
    ("a.py", "while True:\n    pass\n", "TLE"),
    ("a.cpp", "int main( {\n", "CE"),
];

async fn contest_cmd(c: ContestArgs) -> anyhow::Result<ExitCode> {
    use serde_json::{Value, json};
    raise_fd_limit();
    if !(c.rate.is_finite() && c.rate > 0.0) || c.contestants == 0 {
        bail!("--rate must be positive and --contestants at least 1");
    }
    let p = prepare(&c.target).await?;
    let client = p.admin.client().clone();
    let url = p.admin.url().to_owned();
    let contest: Value = client
        .get(format!("{url}/api/contests/{}", c.target.contest))
        .send()
        .await?
        .json()
        .await?;
    let problem = match c.problem {
        Some(id) => id,
        None => contest["problems"][0]["problem_id"]
            .as_i64()
            .context("the contest has no problem")?,
    };
    let mut tokens = Vec::new();
    for i in 0..c.contestants {
        let name = format!("lt{}x{i}", std::process::id());
        let body: Value = client
            .post(format!("{url}/api/auth/register"))
            .json(&json!({"username": name, "password": "load test password"}))
            .send()
            .await?
            .json()
            .await?;
        tokens.push(
            body["access_token"]
                .as_str()
                .with_context(|| format!("register: {body}"))?
                .to_owned(),
        );
    }
    let fleet = Fleet::spawn(&p, &c.target, c.spectators.max(1))?;
    // Verdicts are noticed as they come (every 100 ms), not after the submitting phase.
    let seen: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<i64, (Instant, String)>>> =
        Default::default();
    let poller = {
        let (client, url, tokens, seen) =
            (client.clone(), url.clone(), tokens.clone(), seen.clone());
        let contest_id = c.target.contest;
        tokio::spawn(async move {
            loop {
                for token in &tokens {
                    let Ok(resp) = client
                        .get(format!("{url}/api/submissions?contest_id={contest_id}"))
                        .bearer_auth(token)
                        .send()
                        .await
                    else {
                        continue;
                    };
                    let Ok(list) = resp.json::<Value>().await else {
                        continue;
                    };
                    let now = Instant::now();
                    let mut seen = seen.lock().expect("verdicts lock");
                    for s in list.as_array().into_iter().flatten() {
                        if s["status"] == "done" {
                            let id = s["id"].as_i64().unwrap_or(0);
                            seen.entry(id).or_insert_with(|| {
                                (now, s["verdict"].as_str().unwrap_or("").to_owned())
                            });
                        }
                    }
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
    };
    let mut post = codehub_loadtest::report::histogram();
    let mut pending: Vec<(i64, usize, Instant, &str)> = Vec::new();
    let mut refused = 0u64;
    let start = Instant::now();
    let interval = Duration::from_secs_f64(1.0 / c.rate);
    let mut k = 0usize;
    while start.elapsed() < c.duration {
        let (file, source, expected) = MIX[k % MIX.len()];
        let who = k % tokens.len();
        let t = Instant::now();
        let resp = client
            .post(format!("{url}/api/submissions"))
            .bearer_auth(&tokens[who])
            .json(&json!({"contest_id": c.target.contest, "problem_id": problem, "files": [{"name": file, "contents": source}]}))
            .send()
            .await?;
        let _ = post.record(
            (t.elapsed().as_millis() as u64).clamp(1, codehub_loadtest::report::MAX_LATENCY_MS),
        );
        if resp.status().as_u16() == 202 {
            let body: Value = resp.json().await?;
            pending.push((
                body["id"].as_i64().context("submission id")?,
                who,
                t,
                expected,
            ));
        } else {
            refused += 1;
        }
        k += 1;
        if let Some(wait) = (interval * k as u32).checked_sub(start.elapsed()) {
            tokio::time::sleep(wait).await;
        }
    }
    let submitting = start.elapsed();
    // Wait for every verdict.
    let mut verdict_latency = codehub_loadtest::report::histogram();
    let mut wrong = 0u64;
    let deadline = Instant::now() + Duration::from_secs(300);
    while Instant::now() < deadline {
        let all = {
            let seen = seen.lock().expect("verdicts lock");
            pending.iter().all(|(id, ..)| seen.contains_key(id))
        };
        if all {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    poller.abort();
    {
        let seen = seen.lock().expect("verdicts lock");
        pending.retain(|(id, _, at, expected)| match seen.get(id) {
            Some((done, v)) => {
                let ms = done.saturating_duration_since(*at).as_millis() as u64;
                let _ =
                    verdict_latency.record(ms.clamp(1, codehub_loadtest::report::MAX_LATENCY_MS));
                if v != expected {
                    wrong += 1;
                }
                false
            }
            None => true,
        });
    }
    let judging = start.elapsed();
    let (final_seq, _) = p.admin.board(c.target.contest).await?;
    let reports = fleet.finish(final_seq)?;
    let (spectators, delivery) = merge(&reports).map_err(anyhow::Error::msg)?;
    let judged = verdict_latency.len();
    let ok = pending.is_empty()
        && refused == 0
        && wrong == 0
        && spectators.missed == 0
        && spectators.out_of_order == 0;
    let out = json!({
        "scenario": "contest",
        "urls": p.urls,
        "contestants": c.contestants,
        "submissions": k,
        "submissions_refused": refused,
        "submissions_per_s": k as f64 / submitting.as_secs_f64(),
        "post_latency_ms": Latency::of(&post),
        "submit_to_verdict_ms": Latency::of(&verdict_latency),
        "judged": judged,
        "unexpected_verdicts": wrong,
        "not_judged": pending.len(),
        "judge_throughput_per_s": judged as f64 / judging.as_secs_f64(),
        "connections_established": spectators.established,
        "deltas_missed": spectators.missed,
        "deltas_out_of_order": spectators.out_of_order,
        "latency_ms": Latency::of(&delivery),
        "ok": ok,
    });
    eprintln!("{}", serde_json::to_string_pretty(&out)?);
    if let Some(path) = &c.report {
        std::fs::write(path, serde_json::to_string_pretty(&out)?)?;
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
