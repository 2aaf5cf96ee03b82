//! `spawn_app()`: a `codehub serve` child process on a free port with a fresh data dir,
//! plus request helpers.
#![allow(dead_code)]

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message;

/// Options of a test server.
#[derive(Clone)]
pub struct Options {
    /// Submissions per burst.
    pub rate_burst: u32,
    /// Access token lifetime (s).
    pub access_ttl: u64,
    /// Reuse a data dir (restart tests).
    pub data_dir: Option<PathBuf>,
    /// A settings file's text (`--config`).
    pub config: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            rate_burst: 50,
            access_ttl: 900,
            data_dir: None,
            config: None,
        }
    }
}

/// A running server.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The server process.
    pub child: Child,
    /// Its data dir (kept for restarts).
    pub data_dir: PathBuf,
    /// Keeps a temp data dir alive.
    _tmp: Option<tempfile::TempDir>,
    /// The demo admin's password (first start only).
    pub admin_password: Option<String>,
    /// `http://ADDR/metrics` of the separate metrics listener, when configured.
    pub metrics_url: Option<String>,
    /// HTTP client.
    pub client: reqwest::Client,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts a server.
pub fn spawn_app() -> TestApp {
    spawn_app_with(Options::default())
}

/// Starts a server with options.
pub fn spawn_app_with(opts: Options) -> TestApp {
    let (tmp, data_dir) = match &opts.data_dir {
        Some(d) => (None, d.clone()),
        None => {
            let t = tempfile::tempdir().unwrap();
            let d = t.path().to_owned();
            (Some(t), d)
        }
    };
    let mut command = Command::new(env!("CARGO_BIN_EXE_codehub"));
    command.args(["serve", "--listen", "127.0.0.1:0", "--parallel", "2"]);
    if let Some(text) = &opts.config {
        let path = data_dir.join("codehub-test.toml");
        std::fs::create_dir_all(&data_dir).unwrap();
        std::fs::write(&path, text).unwrap();
        command.arg("--config").arg(path);
    }
    let mut child = command
        .arg("--data-dir")
        .arg(&data_dir)
        .args([
            "--rate-burst",
            &opts.rate_burst.to_string(),
            "--rate-refill",
            "30",
        ])
        .args(["--access-ttl", &opts.access_ttl.to_string()])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start codehub serve");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut admin_password = None;
    let mut metrics_url = None;
    let deadline = Instant::now() + Duration::from_secs(60);
    let base = loop {
        let line = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("server did not say where it listens");
        if let Some(rest) = line.strip_prefix("demo: admin account `admin`, password `") {
            admin_password = Some(rest.split('`').next().unwrap().to_owned());
        }
        if let Some(url) = line.strip_prefix("codehub: metrics on ") {
            metrics_url = Some(url.trim().to_owned());
        }
        if let Some(addr) = line.strip_prefix("codehub: listening on ") {
            break addr.trim().to_owned();
        }
    };
    TestApp {
        base,
        child,
        data_dir,
        _tmp: tmp,
        admin_password,
        metrics_url,
        client: reqwest::Client::new(),
    }
}

/// A zip of a directory (problem packages).
pub fn zip_dir(dir: &Path) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                w.start_file(rel, zip::write::SimpleFileOptions::default())
                    .unwrap();
                std::io::Write::write_all(&mut w, &std::fs::read(&p).unwrap()).unwrap();
            }
        }
    }
    w.finish().unwrap().into_inner()
}

/// The judge's test packages.
pub fn problems_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../judge-pool/tests/problems")
}

/// Milliseconds since the epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

impl TestApp {
    /// `METHOD path` with an optional token and JSON body: (status, JSON body or null).
    pub async fn request(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut req = self.client.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// GET.
    pub async fn get(&self, path: &str, token: Option<&str>) -> (u16, Value) {
        self.request(reqwest::Method::GET, path, token, None).await
    }

    /// POST JSON.
    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> (u16, Value) {
        self.request(reqwest::Method::POST, path, token, Some(body))
            .await
    }

    /// Registers a contestant: (access token, user id).
    pub async fn register(&self, name: &str) -> (String, i64) {
        let (status, body) = self
            .post(
                "/api/auth/register",
                None,
                json!({"username": name, "password": "correct horse"}),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        (
            body["access_token"].as_str().unwrap().to_owned(),
            body["user"]["id"].as_i64().unwrap(),
        )
    }

    /// Logs the demo admin in.
    pub async fn admin(&self) -> String {
        let pw = self
            .admin_password
            .clone()
            .expect("first start prints the admin password");
        let (status, body) = self
            .post(
                "/api/auth/login",
                None,
                json!({"username": "admin", "password": pw}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        body["access_token"].as_str().unwrap().to_owned()
    }

    /// Imports one of the judge's test packages (admin): the problem id.
    pub async fn import(&self, admin: &str, name: &str) -> i64 {
        self.import_dir(admin, &problems_dir().join(name), name)
            .await
    }

    /// Imports the package directory `dir` as `t-<slug>` (admin, practice).
    pub async fn import_dir(&self, admin: &str, dir: &Path, name: &str) -> i64 {
        let resp = self
            .client
            .post(format!(
                "{}/api/problems?slug=t-{name}&practice=true",
                self.base
            ))
            .bearer_auth(admin)
            .header("content-type", "application/zip")
            .body(zip_dir(dir))
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        let body: Value = resp.json().await.unwrap();
        assert_eq!(status, 201, "{body}");
        body["id"].as_i64().unwrap()
    }

    /// Creates a running ICPC contest (admin) with problems labelled A, B, …
    pub async fn contest(&self, admin: &str, slug: &str, problems: &[i64], extra: Value) -> i64 {
        let mut body = json!({
            "slug": slug,
            "name": format!("Contest {slug}"),
            "start_at": now_ms() - 60_000,
            "end_at": now_ms() + 3_600_000,
            "problems": problems.iter().enumerate().map(|(i, p)| json!({"problem_id": p, "label": ((b'A' + i as u8) as char).to_string()})).collect::<Vec<_>>(),
        });
        for (k, v) in extra.as_object().cloned().unwrap_or_default() {
            body[k] = v;
        }
        let (status, resp) = self.post("/api/contests", Some(admin), body).await;
        assert_eq!(status, 201, "{resp}");
        resp["id"].as_i64().unwrap()
    }

    /// Submits one file: (status, body).
    pub async fn submit(
        &self,
        token: &str,
        contest: Option<i64>,
        problem: i64,
        file: &str,
        contents: &str,
    ) -> (u16, Value) {
        let mut body =
            json!({"problem_id": problem, "files": [{"name": file, "contents": contents}]});
        if let Some(c) = contest {
            body["contest_id"] = json!(c);
        }
        self.post("/api/submissions", Some(token), body).await
    }

    /// Polls a submission until judged.
    pub async fn wait_judged(&self, token: &str, id: i64) -> Value {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let (status, body) = self
                .get(&format!("/api/submissions/{id}"), Some(token))
                .await;
            assert_eq!(status, 200, "{body}");
            if body["status"] == "done" {
                return body;
            }
            assert!(
                Instant::now() < deadline,
                "submission {id} not judged in time: {body}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Reads a contest's jury scoreboard once no cell is pending: a verdict is stored
    /// before the contest actor applies it, so the board may trail the submission briefly.
    pub async fn settled_board(&self, admin: &str, contest: i64) -> Value {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let (status, board) = self
                .get(
                    &format!("/api/contests/{contest}/scoreboard?view=jury"),
                    Some(admin),
                )
                .await;
            assert_eq!(status, 200, "{board}");
            if crate::board::settled(&board) {
                return board;
            }
            assert!(Instant::now() < deadline, "board still pending: {board}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Opens a WebSocket (with a token if given).
    pub async fn ws(&self, token: Option<&str>) -> Ws {
        let url = match token {
            Some(t) => format!("{}/ws?token={t}", self.base.replace("http://", "ws://")),
            None => format!("{}/ws", self.base.replace("http://", "ws://")),
        };
        let (stream, _) = tokio_tungstenite::connect_async(url)
            .await
            .expect("ws connect");
        Ws { stream }
    }
}

/// A WebSocket client.
pub struct Ws {
    stream: tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
}

impl Ws {
    /// Sends a command.
    pub async fn send(&mut self, cmd: Value) {
        self.stream
            .send(Message::Text(cmd.to_string().into()))
            .await
            .unwrap();
    }

    /// Subscribes.
    pub async fn subscribe(&mut self, channel: &str, since: Option<u64>) {
        let mut cmd = json!({"op": "subscribe", "channel": channel});
        if let Some(s) = since {
            cmd["since"] = json!(s);
        }
        self.send(cmd).await;
    }

    /// The next message (JSON), or `None` after `timeout`.
    pub async fn next(&mut self, timeout: Duration) -> Option<Value> {
        loop {
            let msg = tokio::time::timeout(timeout, self.stream.next())
                .await
                .ok()??
                .ok()?;
            if let Message::Text(t) = msg {
                return serde_json::from_str(t.as_str()).ok();
            }
        }
    }

    /// Reads messages until one satisfies `pred`; returns all read (the last one matches).
    pub async fn until(
        &mut self,
        timeout: Duration,
        mut pred: impl FnMut(&Value) -> bool,
    ) -> Vec<Value> {
        let deadline = Instant::now() + timeout;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let Some(m) = self.next(left).await else {
                panic!("timed out; messages so far: {seen:#?}");
            };
            let done = pred(&m);
            seen.push(m);
            if done {
                return seen;
            }
        }
    }
}

/// A copy of the judge's test package `name` as `dir/as_name`, to change for a test.
pub fn copy_package(dir: &Path, name: &str, as_name: &str) -> PathBuf {
    let root = dir.join(as_name);
    let ok = std::process::Command::new("cp")
        .arg("-r")
        .arg(problems_dir().join(name))
        .arg(&root)
        .status()
        .unwrap();
    assert!(ok.success(), "copying package {name}");
    root
}

/// A copy of `hello` as a 2023-07 package in English and German (name map and
/// statements), with a Portuguese name only.
pub fn hello_in_two_languages(dir: &std::path::Path) -> std::path::PathBuf {
    let root = copy_package(dir, "hello", "bilingual");
    std::fs::remove_dir_all(root.join("problem_statement")).unwrap();
    std::fs::write(
        root.join("problem.yaml"),
        "problem_format_version: 2023-07\nname: {en: Hello World, de: Hallo Welt, pt-BR: Olá Mundo}\n\
         limits:\n  time_limit: 1\n  memory: 256\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("statement")).unwrap();
    std::fs::write(
        root.join("statement/problem.en.md"),
        "Print *Hello World!*\n",
    )
    .unwrap();
    std::fs::write(
        root.join("statement/problem.de.md"),
        "Gib *Hello World!* aus.\n",
    )
    .unwrap();
    root
}
