//! What metrics cost on the hot paths, per event, with the recorder absent ("off": the
//! `metrics` facade's no-op) and installed ("on"): a WebSocket delivery (a counter and a
//! lag histogram through handles resolved once per subscription, plus the clock read), an
//! HTTP request (a counter and a histogram looked up by labels), a judged test (one
//! histogram by name).
//!
//! `cargo bench -p codehub-gateway --bench metrics_overhead [-- ITERATIONS]`

use std::hint::black_box;
use std::time::Instant;

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// Nanoseconds per call of `f`, best of 5 runs of `n` calls.
fn ns_per(n: u64, mut f: impl FnMut(u64)) -> f64 {
    (0..5)
        .map(|_| {
            let started = Instant::now();
            for i in 0..n {
                f(i);
            }
            started.elapsed().as_nanos() as f64 / n as f64
        })
        .fold(f64::INFINITY, f64::min)
}

fn measure(n: u64) -> [f64; 3] {
    let sent = metrics::counter!("codehub_ws_messages_sent_total", "kind" => "scoreboard");
    let lag = metrics::histogram!("codehub_ws_delivery_lag_seconds", "kind" => "scoreboard");
    let published = now_ms();
    let delivery = ns_per(n, |_| {
        sent.increment(1);
        lag.record(black_box((now_ms() - published).max(0)) as f64 / 1000.0);
    });
    let http = ns_per(n / 10, |i| {
        let route = if i % 2 == 0 {
            "/api/submissions"
        } else {
            "/api/contests/{id}"
        };
        metrics::histogram!("codehub_http_request_duration_seconds",
            "method" => "GET", "route" => route.to_owned())
        .record(0.001);
        metrics::counter!("codehub_http_requests_total",
            "method" => "GET", "route" => route.to_owned(), "status" => "200".to_owned())
        .increment(1);
    });
    let test = ns_per(n / 10, |_| {
        metrics::histogram!("codehub_judge_test_seconds").record(black_box(0.05));
    });
    [delivery, http, test]
}

fn main() {
    let n: u64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(2_000_000);
    let off = measure(n);
    let _metrics = codehub_gateway::metrics::Metrics::install(Vec::new());
    let on = measure(n);
    println!("| per event | off (ns) | on (ns) |");
    println!("|---|---|---|");
    for (i, what) in ["WebSocket delivery", "HTTP request", "judged test"]
        .iter()
        .enumerate()
    {
        println!("| {what} | {:.1} | {:.1} |", off[i], on[i]);
    }
}
