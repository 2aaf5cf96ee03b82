//! Run-on-input round trip: `POST /api/runs` of a trivial C++ program (A plus B) on an
//! idle `codehub serve`, from the request to the answer (compile, run, check), for a
//! sample and for typed input; prints p50/p90/p99/max.
//!
//! `cargo bench -p codehub-gateway --bench runs [-- N]` (default N = 40 of each).

use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Instant;

const PLUS_CPP: &str = "#include <cstdio>\nint main() { long long a, b; if (std::scanf(\"%lld %lld\", &a, &b) == 2) std::printf(\"%lld\\n\", a + b); }\n";

fn percentile(sorted: &[u128], p: f64) -> u128 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(40);
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_codehub"))
        .args(["serve", "--listen", "127.0.0.1:0", "--parallel", "2"])
        .args(["--run-rate-burst", "100000", "--data-dir"])
        .arg(dir.path())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let base = loop {
        let line = lines.next().unwrap().unwrap();
        if let Some(a) = line.strip_prefix("codehub: listening on ") {
            break a.trim().to_owned();
        }
    };
    let client = reqwest::Client::new();
    let learner: Value = client
        .post(format!("{base}/api/auth/register"))
        .json(&json!({"username": "learner", "password": "correct horse"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = learner["access_token"].as_str().unwrap().to_owned();
    let problems: Vec<Value> = client
        .get(format!("{base}/api/problems"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let plus = problems
        .iter()
        .find(|p| p["name"] == "A plus B")
        .expect("the demo's A plus B")["id"]
        .clone();
    for (name, input, want) in [
        ("sample 1", json!({"sample": 1}), "AC"),
        ("typed input", json!({"stdin": "40 2\n"}), ""),
    ] {
        let mut took = Vec::with_capacity(n);
        for i in 0..=n {
            let t = Instant::now();
            let answer: Value = client
                .post(format!("{base}/api/runs"))
                .bearer_auth(&token)
                .json(&json!({"problem_id": plus, "language": "cpp",
                    "files": [{"name": "main.cpp", "contents": PLUS_CPP}], "input": input}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let ms = t.elapsed().as_millis();
            match want {
                "" => assert_eq!(answer["stdout"], "42\n", "{answer}"),
                v => assert_eq!(answer["verdict"], v, "{answer}"),
            }
            // The first run warms the package cache: not counted.
            if i > 0 {
                took.push(ms);
            }
        }
        took.sort_unstable();
        println!(
            "runs, {name}: n={n} p50={} ms p90={} ms p99={} ms max={} ms",
            percentile(&took, 0.5),
            percentile(&took, 0.9),
            percentile(&took, 0.99),
            took[took.len() - 1]
        );
    }
    let _ = child.kill();
    let _ = child.wait();
}
