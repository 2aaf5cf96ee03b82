//! Cluster mode against a real Redis (`CODEHUB_TEST_REDIS_URL`, started by the test
//! script) with real processes: a `codehub serve` node judging through the Redis queue and
//! `codehub judge-worker` processes, one of which is killed with SIGKILL mid-judging.
//!
//! Each test uses its own Redis database number, so tests running at once never share
//! streams.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

const TOKEN: &str = "worker-secret-for-tests";

fn redis_url(db: u8) -> Option<String> {
    match std::env::var("CODEHUB_TEST_REDIS_URL") {
        Ok(url) => Some(format!("{}/{db}", url.trim_end_matches('/'))),
        Err(_) => {
            eprintln!("redis: SKIPPED (set CODEHUB_TEST_REDIS_URL; scripts/test does)");
            None
        }
    }
}

/// A child process killed on drop, with its stdout lines on a channel.
struct Proc {
    child: Child,
    lines: Receiver<String>,
    _dir: tempfile::TempDir,
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Proc {
    fn spawn(args: &[&str], dir_flag: &str) -> Proc {
        let dir = tempfile::tempdir().unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_codehub"))
            .args(args)
            .arg(dir_flag)
            .arg(dir.path())
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start codehub");
        let out = child.stdout.take().unwrap();
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Proc {
            child,
            lines,
            _dir: dir,
        }
    }

    /// Waits for a line starting with `prefix`; returns the rest.
    fn line(&self, prefix: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let line = self
                .lines
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .unwrap_or_else(|_| panic!("no `{prefix}` line"));
            if let Some(rest) = line.strip_prefix(prefix) {
                return rest.to_owned();
            }
        }
    }
}

struct Node {
    proc: Proc,
    base: String,
    http: reqwest::Client,
}

fn node(redis: &str) -> Node {
    let proc = Proc::spawn(
        &[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--redis-url",
            redis,
            "--remote-judges",
            "--worker-token",
            TOKEN,
            "--node-id",
            "node-a",
            "--rate-burst",
            "50",
        ],
        "--data-dir",
    );
    let base = proc.line("codehub: listening on ").trim().to_owned();
    Node {
        proc,
        base,
        http: reqwest::Client::new(),
    }
}

fn worker(redis: &str, gateway: &str, id: &str) -> Proc {
    let w = Proc::spawn(
        &[
            "judge-worker",
            "--redis",
            redis,
            "--gateway",
            gateway,
            "--token",
            TOKEN,
            "--id",
            id,
            "--claim-timeout",
            "3",
            "--parallel",
            "1",
        ],
        "--cache-dir",
    );
    w.line(&format!("judge-worker: {id} ready"));
    w
}

impl Node {
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    async fn register(&self, name: &str) -> String {
        let (s, v) = self
            .call(
                reqwest::Method::POST,
                "/api/auth/register",
                None,
                Some(json!({"username": name, "password": "correct horse battery"})),
            )
            .await;
        assert_eq!(s, 201, "{v}");
        v["access_token"].as_str().unwrap().to_owned()
    }

    async fn submit(&self, token: &str, code: &str) -> i64 {
        let (_, contest) = self
            .call(reqwest::Method::GET, "/api/contests/1", None, None)
            .await;
        let problem = contest["problems"][1]["problem_id"].as_i64().unwrap();
        let body = json!({"contest_id": 1, "problem_id": problem, "language": "python3",
                          "files": [{"name": "a.py", "contents": code}]});
        let (s, v) = self
            .call(
                reqwest::Method::POST,
                "/api/submissions",
                Some(token),
                Some(body),
            )
            .await;
        assert_eq!(s, 202, "{v}");
        v["id"].as_i64().unwrap()
    }

    async fn wait_status(&self, token: &str, id: i64, want: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            let (_, v) = self
                .call(
                    reqwest::Method::GET,
                    &format!("/api/submissions/{id}"),
                    Some(token),
                    None,
                )
                .await;
            if v["status"] == want {
                return v;
            }
            assert!(
                Instant::now() < deadline,
                "submission {id} never reached `{want}`: {v}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// Waits until `consumer` holds an unacknowledged job (it is judging it).
async fn wait_pending(redis: &str, consumer: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let out = Command::new("redis-cli")
            .args(["-u", redis, "xpending", "codehub:jobs", "judges"])
            .output()
            .expect("redis-cli");
        if String::from_utf8_lossy(&out.stdout).contains(consumer) {
            return;
        }
        assert!(Instant::now() < deadline, "{consumer} never took the job");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

const AC: &str = "a, b = map(int, input().split())\nprint(a + b)\n";
/// Correct, but each test keeps the CPU busy for 0.6 s (time limit 1 s): ~2.5 s in all.
const SLOW_AC: &str = "import time\nt = time.time()\nwhile time.time() - t < 0.6:\n    pass\na, b = map(int, input().split())\nprint(a + b)\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remote_workers_judge_and_a_killed_workers_job_is_taken_over() {
    let Some(redis) = redis_url(1) else { return };
    // A fresh database for this test.
    let _ = Command::new("redis-cli")
        .args(["-u", &redis, "flushdb"])
        .output();
    let node = node(&redis);
    let first = worker(&redis, &node.base, "worker-a");

    // Judged remotely, end to end.
    let alice = node.register("alice").await;
    let id = node.submit(&alice, AC).await;
    let done = node.wait_status(&alice, id, "done").await;
    assert_eq!(done["verdict"], "AC", "{done}");

    // Kill the worker while it judges; a second worker takes the job over.
    let bob = node.register("bob").await;
    let slow = node.submit(&bob, SLOW_AC).await;
    node.wait_status(&bob, slow, "judging").await;
    wait_pending(&redis, "worker-a").await;
    let mut first = first;
    first.child.kill().unwrap(); // SIGKILL
    first.child.wait().unwrap();
    let taken_at = Instant::now();
    let _second = worker(&redis, &node.base, "worker-b");
    let done = node.wait_status(&bob, slow, "done").await;
    assert_eq!(done["verdict"], "AC", "{done}");
    assert!(
        taken_at.elapsed() >= Duration::from_secs(2),
        "taken over only after the claim timeout (3 s, renewed every 1 s)"
    );

    // Judged once as far as the scoreboard can tell: one try, solved.
    let (_, teams) = node
        .call(reqwest::Method::GET, "/api/contests/1/teams", None, None)
        .await;
    let bob_id = teams
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "bob")
        .unwrap()["id"]
        .clone();
    let (_, board) = node
        .call(
            reqwest::Method::GET,
            "/api/contests/1/scoreboard",
            None,
            None,
        )
        .await;
    let row = board["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["team"] == bob_id)
        .unwrap()
        .clone();
    assert_eq!(row["cells"][1]["attempts"], 1, "{row}");
    assert_eq!(row["cells"][1]["solved"], true, "{row}");
    assert_eq!(row["solved"], 1, "{row}");
    drop(node.proc);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_and_the_package_endpoint_for_workers() {
    let Some(redis) = redis_url(2) else { return };
    let node = node(&redis);
    let res = node
        .http
        .get(format!("{}/readyz", node.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    // Packages are for workers only, and by valid hash only.
    let hash = "0".repeat(64);
    let (s, v) = node
        .call(
            reqwest::Method::GET,
            &format!("/api/internal/blobs/{hash}"),
            None,
            None,
        )
        .await;
    assert_eq!((s, v["code"].as_u64()), (401, Some(401)), "{v}");
    let (s, v) = node
        .call(
            reqwest::Method::GET,
            &format!("/api/internal/blobs/{hash}"),
            Some(TOKEN),
            None,
        )
        .await;
    assert_eq!(s, 404, "{v}");
    let (s, v) = node
        .call(
            reqwest::Method::GET,
            "/api/internal/blobs/..%2F..%2Fetc%2Fpasswd",
            Some(TOKEN),
            None,
        )
        .await;
    assert_eq!(s, 404, "{v}");
}
