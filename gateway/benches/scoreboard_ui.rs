//! Browser benchmark of the live scoreboard page (headless Chromium over WebDriver):
//!
//! 1. first load: bytes transferred (compressed) for HTML, JS, WASM and CSS, and the time
//!    from navigation to the first rendered scoreboard (`performance.mark`), on loopback;
//! 2. a board of `TEAMS` teams (default 2000) receiving `RATE` deltas/s (default 50) for
//!    `SECONDS` (default 20): frame intervals from `requestAnimationFrame`, long tasks
//!    (`PerformanceObserver`), frames over 1.5 × 16.7 ms counted as dropped, and the time
//!    the page spends applying deltas.
//!
//! `cargo bench -p codehub-gateway --bench scoreboard_ui [-- TEAMS RATE SECONDS]`
//! (needs Debian's chromium and chromium-driver).

#[path = "../tests/api/browser_support.rs"]
mod browser_support;

use browser_support::{Driver, installed, screenshot, wait_text};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RECORDER: &str = r#"
window.__frames = []; window.__long = [];
const tick = (t) => { window.__frames.push(t); window.__raf = requestAnimationFrame(tick); };
window.__raf = requestAnimationFrame(tick);
try {
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); })
    .observe({ type: "longtask", buffered: false });
} catch (e) {}
window.codehubStats = { deltas: 0, applyMs: 0, applyMaxMs: 0 };
return true;
"#;

const REPORT: &str = r#"
cancelAnimationFrame(window.__raf);
const f = window.__frames; const gaps = [];
for (let i = 1; i < f.length; i++) gaps.push(f[i] - f[i - 1]);
gaps.sort((a, b) => a - b);
const q = (p) => gaps.length ? gaps[Math.min(gaps.length - 1, Math.floor(p * gaps.length))] : 0;
return { frames: f.length, seconds: (f[f.length - 1] - f[0]) / 1000,
  gap_p50: q(0.5), gap_p99: q(0.99), gap_max: gaps.length ? gaps[gaps.length - 1] : 0,
  dropped: gaps.filter((g) => g > 25).length, long_tasks: window.__long.length,
  long_task_ms: window.__long.reduce((a, b) => a + b, 0), stats: window.codehubStats };
"#;

const LOAD: &str = r#"
const out = {};
for (const e of performance.getEntriesByType("resource").concat(performance.getEntriesByType("navigation"))) {
  const name = e.name.split("?")[0].split("/").pop() || "index.html";
  out[name] = { transferred: e.transferSize, encoded: e.encodedBodySize, decoded: e.decodedBodySize };
}
const m = performance.getEntriesByName("scoreboard-rendered")[0];
return { resources: out, first_render_ms: m ? m.startTime : null };
"#;

/// Prints the 25 functions with the most samples (self time) of a CDP CPU profile.
fn print_profile(profile: &Value) {
    let mut by_name: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
    let mut total = 0;
    for node in profile["nodes"].as_array().into_iter().flatten() {
        let hits = node["hitCount"].as_u64().unwrap_or(0);
        let name = node["callFrame"]["functionName"].as_str().unwrap_or("?");
        let url = node["callFrame"]["url"]
            .as_str()
            .unwrap_or("")
            .rsplit('/')
            .next()
            .unwrap_or("");
        *by_name.entry(format!("{name} ({url})")).or_default() += hits;
        total += hits;
    }
    let mut top: Vec<_> = by_name.into_iter().collect();
    top.sort_by_key(|t| std::cmp::Reverse(t.1));
    eprintln!("profile: {total} samples");
    for (name, hits) in top.into_iter().take(25) {
        eprintln!("{:6.1}%  {name}", hits as f64 * 100.0 / total.max(1) as f64);
    }
}

fn arg(n: usize, default: u64) -> u64 {
    std::env::args()
        .filter(|a| !a.starts_with('-'))
        .nth(n)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() {
    let teams = arg(1, 2000) as i64;
    let rate = arg(2, 50);
    let seconds = arg(3, 20);
    let Some((driver, browser)) = installed() else {
        eprintln!("scoreboard_ui: chromium and chromium-driver are needed");
        std::process::exit(2);
    };
    let data = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_codehub"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(data.path())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let (mut password, mut base) = (String::new(), String::new());
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(rest) = line.strip_prefix("demo: admin account `admin`, password `") {
            password = rest.split('`').next().unwrap().to_owned();
        }
        if let Some(addr) = line.strip_prefix("codehub: listening on ") {
            base = addr.trim().to_owned();
            break;
        }
    }
    std::thread::spawn(move || for _ in lines {});
    let http = reqwest::Client::new();
    let login: Value = http
        .post(format!("{base}/api/auth/login"))
        .json(&json!({ "username": "admin", "password": password }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["access_token"].as_str().unwrap().to_owned();
    let inject = |team: i64, problem: usize, verdict: &str, at_ms: i64| {
        http.post(format!("{base}/api/contests/1/inject"))
            .bearer_auth(&token)
            .json(&json!({ "team": team, "problem": problem, "verdict": verdict, "at_ms": at_ms }))
            .send()
    };
    // Teams 1000.. each with one wrong try: a board of `teams` rows.
    for t in 0..teams {
        let r = inject(1000 + t, (t % 2) as usize, "WA", 60_000)
            .await
            .unwrap();
        assert!(r.status().is_success(), "inject: {}", r.status());
    }

    let driver = Driver::start(driver, browser);
    let page = driver.session(1280, 900).await;
    page.goto(&format!("{base}/contests/1/scoreboard"))
        .await
        .unwrap();
    wait_text(
        &page,
        "[data-testid=sb-row]",
        Duration::from_secs(60),
        |t| !t.is_empty(),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let load = page.execute(LOAD, vec![]).await.unwrap();
    let rows_in_dom = page
        .execute(
            "return document.querySelectorAll('[data-testid=sb-row]').length",
            vec![],
        )
        .await
        .unwrap();

    if std::env::var_os("CODEHUB_BENCH_NO_TRANSITION").is_some() {
        let css = "const s = document.createElement('style'); s.textContent = '.sb-body .sb-row { transition: none !important; }'; document.head.appendChild(s); return true;";
        page.execute(css, vec![]).await.unwrap();
    }
    page.execute(RECORDER, vec![]).await.unwrap();
    // CODEHUB_BENCH_PROFILE=1: a CPU profile of the page over the run (Chrome DevTools
    // Protocol through chromedriver), summarised as the top functions by self time.
    let profile = std::env::var_os("CODEHUB_BENCH_PROFILE").is_some();
    let cdp = format!(
        "{}/session/{}/goog/cdp/execute",
        driver.url(),
        page.session_id().await.unwrap().unwrap()
    );
    if profile {
        for (cmd, params) in [
            ("Profiler.enable", json!({})),
            ("Profiler.setSamplingInterval", json!({"interval": 200})),
            ("Profiler.start", json!({})),
        ] {
            http.post(&cdp)
                .json(&json!({"cmd": cmd, "params": params}))
                .send()
                .await
                .unwrap();
        }
    }
    let started = Instant::now();
    let mut ticker = tokio::time::interval(Duration::from_secs_f64(1.0 / rate as f64));
    let mut sent = 0u64;
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    while started.elapsed() < Duration::from_secs(seconds) {
        ticker.tick().await;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let team = 1000 + (x % teams as u64) as i64;
        let problem = ((x >> 20) % 2) as usize;
        let verdict = if (x >> 30).is_multiple_of(3) {
            "AC"
        } else {
            "WA"
        };
        let at = 60_000 + (started.elapsed().as_millis() as i64) * 100;
        inject(team, problem, verdict, at).await.unwrap();
        sent += 1;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let report = page.execute(REPORT, vec![]).await.unwrap();
    if profile {
        let stopped: Value = http
            .post(&cdp)
            .json(&json!({"cmd": "Profiler.stop", "params": {}}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        print_profile(&stopped["value"]["profile"]);
    }
    screenshot(&page, "bench-scoreboard-2000").await;
    let result = json!({
        "teams": teams, "rate_per_s": rate, "seconds": seconds, "deltas_sent": sent,
        "rows_in_dom": rows_in_dom, "first_load": load, "live": report,
    });
    println!("{}", serde_json::to_string_pretty(&result).unwrap());
    page.close().await.unwrap();
    let _ = child.kill();
    let _ = child.wait();
}
