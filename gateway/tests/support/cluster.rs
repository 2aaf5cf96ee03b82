//! Real processes for cluster tests and benchmarks: `codehub serve` nodes and
//! `codehub judge-worker`s on loopback, a private PostgreSQL database, Redis databases,
//! and WebSocket spectators that check what they receive.
#![allow(dead_code)]

#[path = "board.rs"]
pub mod board;
#[path = "feed.rs"]
pub mod feed;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message;

/// The judge workers' shared secret in tests.
pub const TOKEN: &str = "worker-secret-for-tests";
/// The token-signing secret every node of a test cluster shares.
pub const JWT_SECRET: &str = "jwt-secret-shared-by-the-test-cluster";

/// `CODEHUB_TEST_REDIS_URL` with database `db`, or `None` (and the SKIPPED marker).
pub fn redis_url(db: u8) -> Option<String> {
    match std::env::var("CODEHUB_TEST_REDIS_URL") {
        Ok(url) => Some(format!("{}/{db}", url.trim_end_matches('/'))),
        Err(_) => {
            eprintln!("redis: SKIPPED (set CODEHUB_TEST_REDIS_URL; scripts/test does)");
            None
        }
    }
}

/// Empties a Redis database.
pub fn flush(redis: &str) {
    let out = Command::new("redis-cli")
        .args(["-u", redis, "flushdb"])
        .output()
        .expect("redis-cli");
    assert!(out.status.success(), "flushdb failed");
}

/// `redis-cli -u <redis> <args…>`, trimmed stdout.
pub fn redis_cli(redis: &str, args: &[&str]) -> String {
    let out = Command::new("redis-cli")
        .arg("-u")
        .arg(redis)
        .args(args)
        .output()
        .expect("redis-cli");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// A fresh PostgreSQL database (`CODEHUB_TEST_POSTGRES_URL` is the admin URL), or `None`
/// (and the SKIPPED marker). Dropped with [`drop_database`].
pub fn postgres_database(name: &str) -> Option<(String, String)> {
    let Ok(admin) = std::env::var("CODEHUB_TEST_POSTGRES_URL") else {
        eprintln!("postgres: SKIPPED (set CODEHUB_TEST_POSTGRES_URL; scripts/test does)");
        return None;
    };
    let database = format!("codehub_{name}_{}", std::process::id());
    let out = Command::new("psql")
        .args([&admin, "-qc", &format!("CREATE DATABASE {database}")])
        .output()
        .expect("psql");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (base, query) = admin
        .split_once('?')
        .map_or((admin.as_str(), ""), |(b, q)| (b, q));
    let cut = base
        .rfind('/')
        .filter(|&i| i > "postgres://".len())
        .unwrap_or(base.len());
    let mut url = format!("{}/{database}", &base[..cut]);
    if !query.is_empty() {
        url = format!("{url}?{query}");
    }
    Some((admin, url))
}

/// Drops a database made by [`postgres_database`].
pub fn drop_database(admin: &str, url: &str) {
    let database = url.rsplit('/').next().unwrap().split('?').next().unwrap();
    let _ = Command::new("psql")
        .args([
            admin,
            "-qc",
            &format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"),
        ])
        .output();
}

/// A child process killed on drop, with its stdout lines on a channel.
pub struct Proc {
    pub child: Child,
    lines: Receiver<String>,
    /// Lines read so far.
    history: Mutex<Vec<String>>,
    _dir: Option<tempfile::TempDir>,
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Proc {
    /// Starts `codehub <args>`; with `dir_flag`, a private temporary directory follows it.
    pub fn spawn(args: &[&str], dir_flag: Option<&str>) -> Proc {
        Proc::spawn_with_env(args, dir_flag, &[])
    }

    /// [`Proc::spawn`] with environment variables added.
    pub fn spawn_with_env(args: &[&str], dir_flag: Option<&str>, env: &[(String, String)]) -> Proc {
        Proc::spawn_wrapped(&[], args, dir_flag, env)
    }

    /// [`Proc::spawn_with_env`] through a `wrapper` command (`nsenter …`) that runs
    /// `codehub <args>` as its last arguments.
    pub fn spawn_wrapped(
        wrapper: &[&str],
        args: &[&str],
        dir_flag: Option<&str>,
        env: &[(String, String)],
    ) -> Proc {
        let dir = dir_flag.map(|_| tempfile::tempdir().unwrap());
        let codehub = env!("CARGO_BIN_EXE_codehub");
        let mut cmd = match wrapper {
            [] => Command::new(codehub),
            [program, rest @ ..] => {
                let mut cmd = Command::new(program);
                cmd.args(rest).arg(codehub);
                cmd
            }
        };
        cmd.args(args).envs(env.iter().map(|(k, v)| (k, v)));
        if let (Some(flag), Some(dir)) = (dir_flag, &dir) {
            cmd.arg(flag).arg(dir.path());
        }
        let mut child = cmd
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
            history: Mutex::new(Vec::new()),
            _dir: dir,
        }
    }

    /// Waits for a line starting with `prefix` (or finds one read before); returns the rest.
    pub fn line(&self, prefix: &str) -> String {
        let mut history = self.history.lock().unwrap();
        if let Some(rest) = history.iter().find_map(|l| l.strip_prefix(prefix)) {
            return rest.to_owned();
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let line = self
                .lines
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .unwrap_or_else(|_| panic!("no `{prefix}` line"));
            history.push(line.clone());
            if let Some(rest) = line.strip_prefix(prefix) {
                return rest.to_owned();
            }
        }
    }

    /// The demo admin's password, as the first node printed it.
    pub fn admin_password(&self) -> String {
        let rest = self.line("demo: admin account `admin`, password `");
        rest.split('`').next().unwrap().to_owned()
    }

    /// SIGKILL, and reap.
    pub fn kill9(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

/// An HTTP client for one node.
pub struct Api {
    pub base: String,
    pub http: reqwest::Client,
}

impl Api {
    /// A client for the node at `base`.
    pub fn new(base: String) -> Api {
        Api {
            base,
            http: reqwest::Client::new(),
        }
    }
}

/// A `codehub serve` process and an HTTP client for it.
pub struct Node {
    pub proc: Proc,
    pub api: Api,
}

impl std::ops::Deref for Node {
    type Target = Api;

    fn deref(&self) -> &Api {
        &self.api
    }
}

/// How to start a node.
pub struct NodeSpec<'a> {
    pub redis: &'a str,
    pub id: &'a str,
    /// `None`: SQLite in a private data dir.
    pub database: Option<&'a str>,
    /// Shared data dir (blobs, so any node serves packages); `None`: a private one.
    pub data_dir: Option<&'a Path>,
    pub lease_ms: u64,
    /// Submissions a user may make at once (one more per minute).
    pub rate_burst: u32,
    /// Blobs in the test S3 server under this `s3://` URL (see [`s3_blobs`]).
    pub s3: Option<&'a str>,
    /// Environment variables added (OpenTelemetry's, say).
    pub env: &'a [(String, String)],
}

impl<'a> NodeSpec<'a> {
    /// A node alone: SQLite in a private data dir, 3 s leases.
    pub fn alone(redis: &'a str, id: &'a str) -> Self {
        NodeSpec {
            redis,
            id,
            database: None,
            data_dir: None,
            lease_ms: 3_000,
            rate_burst: 100,
            s3: None,
            env: &[],
        }
    }

    /// A node of a test cluster: shared PostgreSQL database and data dir, 2 s leases.
    pub fn shared(redis: &'a str, id: &'a str, database: &'a str, data_dir: &'a Path) -> Self {
        NodeSpec {
            redis,
            id,
            database: Some(database),
            data_dir: Some(data_dir),
            lease_ms: 2_000,
            rate_burst: 100,
            s3: None,
            env: &[],
        }
    }
}

/// Which node (`node-a`, …) holds contest 1's lease.
pub fn owner(redis: &str) -> String {
    let value = redis_cli(redis, &["get", "codehub:lease:contest:1"]);
    value.split('/').next().unwrap_or_default().to_owned()
}

/// Starts a node judging through Redis and waits until it listens.
pub fn node(spec: NodeSpec<'_>) -> Node {
    let lease = spec.lease_ms.to_string();
    let burst = spec.rate_burst.to_string();
    let mut args = vec![
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--redis-url",
        spec.redis,
        "--remote-judges",
        "--worker-token",
        TOKEN,
        "--jwt-secret",
        JWT_SECRET,
        "--node-id",
        spec.id,
        "--rate-burst",
        &burst,
        "--rate-refill",
        "60",
        "--lease-ms",
        &lease,
    ];
    if let Some(db) = spec.database {
        args.extend(["--database-url", db]);
    }
    let data_dir = spec.data_dir.map(|d| d.to_str().unwrap().to_owned());
    if let Some(d) = &data_dir {
        args.extend(["--data-dir", d.as_str()]);
    }
    let (s3_args, mut env) = spec.s3.map(s3_flags).unwrap_or_default();
    args.extend(s3_args.iter().map(String::as_str));
    env.extend(spec.env.iter().cloned());
    let proc = Proc::spawn_with_env(&args, data_dir.is_none().then_some("--data-dir"), &env);
    let base = proc.line("codehub: listening on ").trim().to_owned();
    Node {
        proc,
        api: Api::new(base),
    }
}

/// The test S3 server (`CODEHUB_TEST_S3_*`, started by the test script): a fresh
/// `s3://` URL in its bucket, or `None` (and the SKIPPED marker).
pub fn s3_blobs(test: &str) -> Option<String> {
    let Ok(bucket) = std::env::var("CODEHUB_TEST_S3_BUCKET") else {
        eprintln!("s3: SKIPPED (set CODEHUB_TEST_S3_URL; scripts/test does)");
        return None;
    };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    Some(format!(
        "s3://{bucket}/{test}-{}-{nanos}",
        std::process::id()
    ))
}

/// The flags and environment (standard AWS credentials) that put a process's blobs at
/// the `s3://` URL `url` of the test server.
pub fn s3_flags(url: &str) -> (Vec<String>, Vec<(String, String)>) {
    let var = |name: &str| std::env::var(name).unwrap_or_else(|_| panic!("{name} is unset"));
    let args = vec![
        "--blobs".to_owned(),
        url.to_owned(),
        "--s3-endpoint".to_owned(),
        var("CODEHUB_TEST_S3_URL"),
        "--s3-path-style".to_owned(),
        "--s3-region".to_owned(),
        "us-east-1".to_owned(),
    ];
    let env = vec![
        (
            "AWS_ACCESS_KEY_ID".to_owned(),
            var("CODEHUB_TEST_S3_ACCESS_KEY"),
        ),
        (
            "AWS_SECRET_ACCESS_KEY".to_owned(),
            var("CODEHUB_TEST_S3_SECRET_KEY"),
        ),
    ];
    (args, env)
}

/// Starts `codehub judge-worker` (one job at a time, 3 s claim timeout) with `source`
/// saying where packages come from, and waits until it is ready.
fn spawn_worker(redis: &str, id: &str, source: &[&str], env: &[(String, String)]) -> Proc {
    let mut args = vec![
        "judge-worker",
        "--redis",
        redis,
        "--id",
        id,
        "--claim-timeout",
        "3",
        "--parallel",
        "1",
    ];
    args.extend(source);
    let w = Proc::spawn_with_env(&args, Some("--cache-dir"), env);
    w.line(&format!("judge-worker: {id} ready"));
    w
}

/// Starts a judge worker that fetches packages from S3 only (no node) and waits until
/// it is ready.
pub fn s3_worker(redis: &str, url: &str, id: &str) -> Proc {
    let (s3_args, env) = s3_flags(url);
    let source: Vec<&str> = s3_args.iter().map(String::as_str).collect();
    spawn_worker(redis, id, &source, &env)
}

/// Starts a judge worker fetching packages from `gateway` and waits until it is ready.
pub fn worker(redis: &str, gateway: &str, id: &str) -> Proc {
    worker_with_env(redis, gateway, id, &[])
}

/// [`worker`] with environment variables added.
pub fn worker_with_env(redis: &str, gateway: &str, id: &str, env: &[(String, String)]) -> Proc {
    spawn_worker(redis, id, &["--gateway", gateway, "--token", TOKEN], env)
}

impl Api {
    pub async fn call(
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

    /// Logs in; returns the access token.
    pub async fn login(&self, name: &str, password: &str) -> String {
        let (s, v) = self
            .call(
                reqwest::Method::POST,
                "/api/auth/login",
                None,
                Some(json!({"username": name, "password": password})),
            )
            .await;
        assert_eq!(s, 200, "{v}");
        v["access_token"].as_str().unwrap().to_owned()
    }

    pub async fn register(&self, name: &str) -> String {
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

    /// Submits to problem `index` of contest 1; returns the submission id.
    pub async fn submit_to(&self, token: &str, index: usize, code: &str) -> i64 {
        let problem = self.problem_id(index).await;
        let response = self.post_submission(token, problem, code).await;
        let status = response.status();
        let v: Value = response.json().await.unwrap();
        assert_eq!(status, 202, "{v}");
        v["id"].as_i64().unwrap()
    }

    /// The id of problem `index` of contest 1.
    pub async fn problem_id(&self, index: usize) -> i64 {
        let (_, contest) = self
            .call(reqwest::Method::GET, "/api/contests/1", None, None)
            .await;
        contest["problems"][index]["problem_id"].as_i64().unwrap()
    }

    /// POSTs a Python submission to `problem` of contest 1 and returns the raw answer
    /// (for tests of refusals: status, headers, body).
    pub async fn post_submission(
        &self,
        token: &str,
        problem: i64,
        code: &str,
    ) -> reqwest::Response {
        self.http
            .post(format!("{}/api/submissions", self.base))
            .bearer_auth(token)
            .json(
                &json!({"contest_id": 1, "problem_id": problem, "language": "python3",
                          "files": [{"name": "a.py", "contents": code}]}),
            )
            .send()
            .await
            .unwrap()
    }

    /// Submits to problem B (a + b) of contest 1.
    pub async fn submit(&self, token: &str, code: &str) -> i64 {
        self.submit_to(token, 1, code).await
    }

    pub async fn wait_status(&self, token: &str, id: i64, want: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(120);
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

    /// The public scoreboard once no cell is pending (see [`board::settled`]).
    pub async fn settled_board(&self) -> Value {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let board = self.board().await;
            if board::settled(&board) {
                return board;
            }
            assert!(Instant::now() < deadline, "board still pending: {board}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The public scoreboard over HTTP.
    pub async fn board(&self) -> Value {
        let (s, v) = self
            .call(
                reqwest::Method::GET,
                "/api/contests/1/scoreboard",
                None,
                None,
            )
            .await;
        assert_eq!(s, 200, "{v}");
        v
    }
}

/// An answer's `Retry-After`, in seconds.
pub fn retry_after(response: &reqwest::Response) -> u64 {
    response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// A correct a + b.
pub const AC: &str = "a, b = map(int, input().split())\nprint(a + b)\n";
/// A wrong a + b.
pub const WA: &str = "a, b = map(int, input().split())\nprint(a - b)\n";

/// What a spectator saw on one channel.
#[derive(Debug, Default)]
pub struct Seen {
    /// Last `seq`.
    pub seq: u64,
    /// Rows by team (without ranks: deltas carry only the rows that changed).
    pub rows: BTreeMap<i64, Value>,
    /// Snapshots received: (when, seq).
    pub snapshots: Vec<(Instant, u64)>,
    /// Deltas received: (when, seq, server timestamp ms).
    pub deltas: Vec<(Instant, u64, i64)>,
    /// Broken promises: gaps, repeats, errors.
    pub violations: Vec<String>,
    /// Every message: (seq, type).
    pub log: Vec<(u64, String)>,
}

impl Seen {
    fn apply(&mut self, msg: &Value) {
        let now = Instant::now();
        if msg["type"] == "error" {
            self.violations.push(format!("error: {msg}"));
            return;
        }
        let seq = msg["seq"].as_u64().unwrap_or(0);
        let kind = msg["type"].as_str().unwrap_or("");
        self.log.push((seq, kind.to_owned()));
        // Within one owner (same high 32 bits) numbers are consecutive; a new owner's
        // first message is a snapshot.
        let same_epoch = seq >> 32 == self.seq >> 32;
        if seq <= self.seq {
            self.violations
                .push(format!("seq {seq} after {} ({kind})", self.seq));
            return;
        }
        if kind == "delta" && self.seq != 0 && !(same_epoch && seq == self.seq + 1) {
            self.violations.push(format!(
                "gap: delta {seq} after {} in {:?}",
                self.seq, self.log
            ));
        }
        self.seq = seq;
        let rows = msg["data"]["rows"].as_array().cloned().unwrap_or_default();
        match kind {
            "snapshot" => {
                self.snapshots.push((now, seq));
                self.rows.clear();
                self.insert(rows);
            }
            "delta" => {
                self.deltas
                    .push((now, seq, msg["ts"].as_i64().unwrap_or_default()));
                self.insert(rows);
            }
            other => self.violations.push(format!("unexpected type {other}")),
        }
    }

    fn insert(&mut self, rows: Vec<Value>) {
        for mut row in rows {
            let team = row["team"].as_i64().unwrap();
            row.as_object_mut().unwrap().remove("rank");
            self.rows.insert(team, row);
        }
    }
}

/// Rows of a scoreboard JSON by team, without ranks.
pub fn rows_by_team(board: &Value) -> BTreeMap<i64, Value> {
    board["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let mut r = r.clone();
            r.as_object_mut().unwrap().remove("rank");
            (r["team"].as_i64().unwrap(), r)
        })
        .collect()
}

/// A WebSocket client following `contest/1/scoreboard` on one node.
pub struct Spectator {
    pub seen: Arc<Mutex<Seen>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Spectator {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Spectator {
    /// Connects to `base` (an `http://` URL), subscribes (from `since` if given) and keeps
    /// applying what arrives to `seen`.
    pub async fn follow(base: &str, seen: Arc<Mutex<Seen>>, since: Option<u64>) -> Spectator {
        let url = format!("{}/ws", base.replace("http://", "ws://"));
        let (mut ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
        let mut cmd = json!({"op": "subscribe", "channel": "contest/1/scoreboard"});
        if let Some(s) = since {
            cmd["since"] = json!(s);
        }
        ws.send(Message::Text(cmd.to_string().into()))
            .await
            .unwrap();
        let into = seen.clone();
        let task = tokio::spawn(async move {
            while let Some(Ok(m)) = ws.next().await {
                if let Message::Text(t) = m
                    && let Ok(v) = serde_json::from_str::<Value>(&t)
                {
                    into.lock().unwrap().apply(&v);
                }
            }
        });
        Spectator { seen, task }
    }

    /// Connects with an empty view.
    pub async fn new(base: &str) -> Spectator {
        Self::follow(base, Arc::new(Mutex::new(Seen::default())), None).await
    }

    /// Waits until the spectator has had its first snapshot.
    pub async fn ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.seen.lock().unwrap().snapshots.is_empty() {
            assert!(
                Instant::now() < deadline,
                "no snapshot: {:?}",
                self.seen.lock().unwrap().violations
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// One spectator per node, in order, each with its first snapshot before the next
/// connects (so the first node's spectator is the one that makes it the contest's owner).
pub async fn spectators<const N: usize>(bases: [&str; N]) -> [Spectator; N] {
    let mut all = Vec::new();
    for base in bases {
        let s = Spectator::new(base).await;
        s.ready().await;
        all.push(s);
    }
    all.try_into().ok().expect("one per base")
}

/// Waits until every spectator's rows equal `want`.
pub async fn converge(spectators: &[&Spectator], want: &BTreeMap<i64, Value>, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let all = spectators
            .iter()
            .all(|s| &s.seen.lock().unwrap().rows == want);
        if all {
            return;
        }
        if Instant::now() > deadline {
            for (i, s) in spectators.iter().enumerate() {
                let seen = s.seen.lock().unwrap();
                eprintln!("spectator {i}: seq {} rows {:?}", seen.seq, seen.rows);
            }
            panic!("{what}: spectators never converged on {want:?}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A private `redis-server` on a free loopback port, without persistence (so a restart
/// loses everything, the hardest case). Killed on drop.
pub struct PrivateRedis {
    pub port: u16,
    child: Child,
}

impl PrivateRedis {
    /// Starts one, or `None` (and the SKIPPED marker) without `redis-server`.
    pub fn start() -> Option<PrivateRedis> {
        if std::env::var("CODEHUB_TEST_REDIS_URL").is_err() {
            eprintln!("redis: SKIPPED (set CODEHUB_TEST_REDIS_URL; scripts/test does)");
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        Some(PrivateRedis {
            port,
            child: Self::spawn(port),
        })
    }

    fn spawn(port: u16) -> Child {
        let child = Command::new("redis-server")
            .args(["--bind", "127.0.0.1", "--port", &port.to_string()])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .spawn()
            .expect("redis-server");
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "redis-server did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        child
    }

    /// Its URL.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// SIGKILL and start again on the same port: every key is gone.
    pub fn restart(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.child = Self::spawn(self.port);
    }
}

impl Drop for PrivateRedis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A TCP proxy on loopback that can cut its traffic: a network partition between one
/// process and a server (the process keeps running, its connections die, new ones are
/// refused until [`Proxy::heal`]).
pub struct Proxy {
    pub port: u16,
    blocked: Arc<std::sync::atomic::AtomicBool>,
    links: Arc<Mutex<Vec<tokio::task::AbortHandle>>>,
    accept: tokio::task::JoinHandle<()>,
}

impl Proxy {
    /// Forwards a fresh loopback port to `target` (`host:port`).
    pub async fn start(target: String) -> Proxy {
        Self::start_on("127.0.0.1", target).await
    }

    /// Forwards a fresh port on address `bind` to `target` (`host:port`).
    pub async fn start_on(bind: &str, target: String) -> Proxy {
        let listener = tokio::net::TcpListener::bind((bind, 0)).await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let blocked = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let links: Arc<Mutex<Vec<tokio::task::AbortHandle>>> = Arc::default();
        let (b, l) = (blocked.clone(), links.clone());
        let accept = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if b.load(std::sync::atomic::Ordering::SeqCst) {
                    continue; // dropped: refused
                }
                let target = target.clone();
                let link = tokio::spawn(async move {
                    if let Ok(mut outbound) = tokio::net::TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                l.lock().unwrap().push(link.abort_handle());
            }
        });
        Proxy {
            port,
            blocked,
            links,
            accept,
        }
    }

    /// Cuts every connection and refuses new ones.
    pub fn partition(&self) {
        self.blocked
            .store(true, std::sync::atomic::Ordering::SeqCst);
        for link in self.links.lock().unwrap().drain(..) {
            link.abort();
        }
    }

    /// Lets connections through again.
    pub fn heal(&self) {
        self.blocked
            .store(false, std::sync::atomic::Ordering::SeqCst);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.accept.abort();
        self.partition();
    }
}

/// `docker <args…>`: trimmed stdout, or a panic with stderr.
pub fn docker(args: &[&str]) -> String {
    let out = Command::new("docker").args(args).output().expect("docker");
    assert!(
        out.status.success(),
        "docker {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// Whether a Docker engine answers and has the judge runtime image (`docker: SKIPPED`
/// otherwise; scripts/test makes that a failure where Docker runs).
pub fn docker_ready(runtime: &str) -> bool {
    let ok = Command::new("docker")
        .args(["image", "inspect", runtime])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!(
            "docker: SKIPPED (no Docker engine or no {runtime} image; scripts/test builds it)"
        );
    }
    ok
}

/// A private Docker network, CodeHub node containers on it, and the test image; removed
/// on drop.
pub struct DockerCluster {
    pub network: String,
    /// The host's address on the network (where the containers reach PostgreSQL and Redis).
    pub gateway: String,
    pub image: String,
    containers: Mutex<Vec<String>>,
}

impl DockerCluster {
    /// Builds the image (this test binary's `codehub` on the judge runtime) and creates
    /// the network.
    pub fn new(runtime: &str) -> DockerCluster {
        let tag = format!("codehub-test-{}", std::process::id());
        let context = tempfile::tempdir().unwrap();
        std::fs::copy(
            env!("CARGO_BIN_EXE_codehub"),
            context.path().join("codehub"),
        )
        .unwrap();
        std::fs::write(
            context.path().join("Dockerfile"),
            format!(
                "FROM {runtime}\nCOPY codehub /usr/local/bin/codehub\nENTRYPOINT [\"/usr/local/bin/codehub\"]\n"
            ),
        )
        .unwrap();
        let image = format!("codehub/codehub:{tag}");
        docker(&[
            "build",
            "-q",
            "-t",
            &image,
            context.path().to_str().unwrap(),
        ]);
        docker(&["network", "create", &tag]);
        let gateway = docker(&[
            "network",
            "inspect",
            "-f",
            "{{(index .IPAM.Config 0).Gateway}}",
            &tag,
        ]);
        DockerCluster {
            network: tag,
            gateway,
            image,
            containers: Mutex::new(Vec::new()),
        }
    }

    /// Starts a node container (`serve` + `args`) with the data dir `data` mounted at
    /// `/data`; returns its name and the host URL of its published port, once it is ready.
    pub async fn node(&self, id: &str, data: &Path, args: &[&str]) -> (String, String) {
        let name = format!("{}-{id}", self.network);
        let volume = format!("{}:/data", data.display());
        let mut run = vec![
            "run",
            "-d",
            "--name",
            &name,
            "--network",
            &self.network,
            "-v",
            &volume,
            "-p",
            "127.0.0.1::8080",
            &self.image,
            "serve",
            "--listen",
            "0.0.0.0:8080",
            "--data-dir",
            "/data",
            "--node-id",
            id,
        ];
        run.extend_from_slice(args);
        docker(&run);
        self.containers.lock().unwrap().push(name.clone());
        let port = docker(&["port", &name, "8080/tcp"]);
        let base = format!("http://{}", port.lines().next().unwrap());
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let ready = reqwest::get(format!("{base}/readyz")).await;
            if ready.is_ok_and(|r| r.status() == 200) {
                return (name, base);
            }
            if Instant::now() > deadline {
                eprintln!("{}", self.logs(&name));
                panic!("container {name} never became ready");
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// A container's output.
    pub fn logs(&self, name: &str) -> String {
        let out = Command::new("docker")
            .args(["logs", name])
            .output()
            .unwrap();
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    }
}

impl Drop for DockerCluster {
    fn drop(&mut self) {
        for c in self.containers.lock().unwrap().drain(..) {
            let _ = Command::new("docker").args(["rm", "-f", &c]).output();
        }
        let _ = Command::new("docker")
            .args(["network", "rm", &self.network])
            .output();
        let _ = Command::new("docker")
            .args(["rmi", "-f", &self.image])
            .output();
    }
}

/// Every message of one channel on one node's `/ws` (with `token`, for private channels).
pub struct Listener {
    pub messages: Arc<Mutex<Vec<Value>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Listener {
    /// Subscribes to `channel` on the node at `base`.
    pub async fn start(base: &str, token: &str, channel: &str) -> Listener {
        let url = format!("{}/ws?token={token}", base.replace("http://", "ws://"));
        let (mut ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
        let cmd = json!({"op": "subscribe", "channel": channel});
        ws.send(Message::Text(cmd.to_string().into()))
            .await
            .unwrap();
        let messages: Arc<Mutex<Vec<Value>>> = Arc::default();
        let into = messages.clone();
        let task = tokio::spawn(async move {
            while let Some(Ok(m)) = ws.next().await {
                if let Message::Text(t) = m
                    && let Ok(v) = serde_json::from_str::<Value>(&t)
                {
                    into.lock().unwrap().push(v);
                }
            }
        });
        Listener { messages, task }
    }

    /// Waits for a message satisfying `pred`.
    pub async fn wait_for(&self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(m) = self.messages.lock().unwrap().iter().find(|m| pred(m)) {
                return m.clone();
            }
            assert!(
                Instant::now() < deadline,
                "never got {what}: {:?}",
                self.messages.lock().unwrap()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}
