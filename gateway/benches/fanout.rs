//! Fan-out benchmark: N WebSocket subscribers on one contest scoreboard of one
//! `codehub serve` process; a submission makes scoreboard deltas; measures, per delta,
//! the delay from the server's timestamp to each client's receipt.
//!
//! `cargo bench -p codehub-gateway --bench fanout [-- N]` (as root; default N = 10000).

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message;

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

fn raise_fd_limit() {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: valid out-pointer.
    unsafe {
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim);
        lim.rlim_cur = lim.rlim_max;
        libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
    }
}

/// CPU time (user + system) of a process, ms.
fn cpu_ms(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks: f64 = fields
        .get(11)
        .and_then(|u| u.parse::<f64>().ok())
        .unwrap_or(0.0)
        + fields
            .get(12)
            .and_then(|s| s.parse::<f64>().ok())
            .unwrap_or(0.0);
    // SAFETY: sysconf is always safe to call.
    ticks * 1000.0 / unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64
}

fn number_after(text: &str, key: &str) -> i64 {
    let start = text.find(key).map_or(0, |i| i + key.len());
    text[start..]
        .bytes()
        .take_while(u8::is_ascii_digit)
        .fold(0, |n, d| n * 10 + i64::from(d - b'0'))
}

fn percentile(sorted: &[i64], p: f64) -> i64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10_000);
    raise_fd_limit();
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_codehub"))
        .args(["serve", "--listen", "127.0.0.1:0", "--parallel", "2"])
        // Extra flags for side-by-side runs (`--no-metrics`, say).
        .args(
            std::env::var("CODEHUB_BENCH_SERVE_ARGS")
                .unwrap_or_default()
                .split_whitespace(),
        )
        .arg("--data-dir")
        .arg(dir.path())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut password = String::new();
    let base = loop {
        let line = lines.next().unwrap().unwrap();
        if let Some(rest) = line.strip_prefix("demo: admin account `admin`, password `") {
            password = rest.split('`').next().unwrap().to_owned();
        }
        if let Some(a) = line.strip_prefix("codehub: listening on ") {
            break a.trim().to_owned();
        }
    };
    let client = reqwest::Client::new();
    let post = |path: &str, token: Option<&str>, body: Value| {
        let mut r = client.post(format!("{base}{path}")).json(&body);
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        async move { r.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let admin = post(
        "/api/auth/login",
        None,
        json!({"username": "admin", "password": password}),
    )
    .await;
    let _admin = admin["access_token"].as_str().unwrap().to_owned();
    let team = post(
        "/api/auth/register",
        None,
        json!({"username": "team1", "password": "correct horse"}),
    )
    .await;
    let token = team["access_token"].as_str().unwrap().to_owned();
    let server_rss_before = rss_kib(child.id());

    // N spectators, each on its own task, all on the demo contest's public scoreboard.
    let ws_url = format!("{}/ws", base.replace("http://", "ws://"));
    let latencies: Arc<Mutex<Vec<(u64, i64)>>> = Arc::new(Mutex::new(Vec::with_capacity(n * 4)));
    let (ready_tx, mut ready_rx) = tokio::sync::mpsc::channel::<()>(n);
    let connect_start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..n {
        let url = ws_url.clone();
        let lat = latencies.clone();
        let ready = ready_tx.clone();
        tasks.push(tokio::spawn(async move {
            let (mut ws, _) = loop {
                match tokio_tungstenite::connect_async(&url).await {
                    Ok(c) => break c,
                    Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
                }
            };
            ws.send(Message::Text(
                json!({"op": "subscribe", "channel": "contest/1/scoreboard"})
                    .to_string()
                    .into(),
            ))
            .await
            .unwrap();
            let mut got_snapshot = false;
            while let Some(Ok(m)) = ws.next().await {
                let Message::Text(t) = m else { continue };
                let now = now_ms();
                // Cheap field extraction: the client must not be the bottleneck it measures.
                let text = t.as_str();
                if !got_snapshot && text.contains("\"type\":\"snapshot\"") {
                    got_snapshot = true;
                    let _ = ready.send(()).await;
                } else if text.contains("\"type\":\"delta\"") {
                    let seq = number_after(text, "\"seq\":");
                    let ts = number_after(text, "\"ts\":");
                    lat.lock().unwrap().push((seq as u64, now - ts));
                }
            }
        }));
    }
    for _ in 0..n {
        ready_rx.recv().await.unwrap();
    }
    let connect_time = connect_start.elapsed();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let server_rss_idle = rss_kib(child.id());

    // One submission: a "submitted" delta, then a "judged" delta.
    let cpu_before = cpu_ms(child.id());
    let client_cpu_before = cpu_ms(std::process::id());
    let sub = client
        .post(format!("{base}/api/submissions"))
        .bearer_auth(&token)
        .json(&json!({"problem_id": 1, "contest_id": 1, "files": [{"name": "a.c", "contents": "#include <stdio.h>\nint main(void){puts(\"Hello World!\");}\n"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(sub.status().as_u16(), 202);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let count = latencies.lock().unwrap().len();
        if count >= 2 * n || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let lat = latencies.lock().unwrap().clone();
    let server_cpu_ms = cpu_ms(child.id()) - cpu_before;
    let client_cpu_ms = cpu_ms(std::process::id()) - client_cpu_before;
    let mut by_seq: std::collections::BTreeMap<u64, Vec<i64>> = Default::default();
    for (seq, l) in lat {
        by_seq.entry(seq).or_default().push(l);
    }
    println!(
        "subscribers: {n}; all connected and subscribed in {:.1} s",
        connect_time.as_secs_f64()
    );
    println!(
        "server RSS: {} KiB before, {} KiB with {n} idle subscribers ({:.1} KiB per connection)",
        server_rss_before,
        server_rss_idle,
        (server_rss_idle.saturating_sub(server_rss_before)) as f64 / n as f64
    );
    println!();
    println!("| delta (seq) | delivered | p50 ms | p99 ms | max ms |");
    println!("|---|---|---|---|---|");
    for (seq, mut v) in by_seq {
        v.sort();
        println!(
            "| {seq} | {}/{n} | {} | {} | {} |",
            v.len(),
            percentile(&v, 0.5),
            percentile(&v, 0.99),
            v.last().unwrap()
        );
    }
    println!();
    println!(
        "server CPU during the submission (compile + run + 2 deltas × {n}): {server_cpu_ms:.0} ms = {:.1} µs per delivered message (upper bound: includes judging)",
        server_cpu_ms * 1000.0 / (2 * n) as f64
    );
    println!(
        "client (this process, {n} sockets) CPU meanwhile: {client_cpu_ms:.0} ms — server and clients share the machine's {} cores",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let _ = child.kill();
    let _ = child.wait();
    for t in tasks {
        t.abort();
    }
}
