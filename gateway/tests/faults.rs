//! Faults an operator meets, each with the real service:
//! - PostgreSQL restarted in the middle of a contest (a private cluster of this test's
//!   own, started by `scripts/services/postgres` with its own state file, so other tests'
//!   database is untouched). While it is down, the scoreboard is served from memory and a
//!   submission is answered 503 with `Retry-After` (never acknowledged and lost); once it
//!   is back, everything resumes by itself and every acknowledged submission is there,
//!   judged.
//! - The data disk full (a small tmpfs holding SQLite and the blob directory): writes are
//!   refused with 507 and a message, reads go on, nothing is corrupted, and writes resume
//!   once space returns.
//! - S3 unreachable for a minute (a proxy that cuts every connection): judging of cached
//!   packages goes on, uploads fail with 503 and a message, and succeed once it is back.

#[path = "support/cluster.rs"]
mod support;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::*;

/// A private PostgreSQL cluster, stopped and deleted on drop.
struct PrivatePostgres {
    state: PathBuf,
    url: String,
}

impl PrivatePostgres {
    fn script() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scripts/services/postgres")
    }

    fn run(&self, verb: &str) -> String {
        let out = Command::new(Self::script())
            .arg(verb)
            .env("CODEHUB_POSTGRES_STATE", &self.state)
            .output()
            .expect("scripts/services/postgres");
        assert!(
            out.status.success(),
            "postgres {verb}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Starts one, or `None` (and the SKIPPED marker) where the test script set up none.
    fn start() -> Option<PrivatePostgres> {
        if std::env::var("CODEHUB_TEST_POSTGRES_URL").is_err() {
            eprintln!("postgres: SKIPPED (set CODEHUB_TEST_POSTGRES_URL; scripts/test does)");
            return None;
        }
        let mut pg = PrivatePostgres {
            state: std::env::temp_dir().join(format!("codehub-drill-{}.state", std::process::id())),
            url: String::new(),
        };
        let out = pg.run("start");
        pg.url = out
            .trim()
            .strip_prefix("export CODEHUB_TEST_POSTGRES_URL=")
            .expect("the export line")
            .to_owned();
        Some(pg)
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        let _ = Command::new(Self::script())
            .arg("stop")
            .env("CODEHUB_POSTGRES_STATE", &self.state)
            .output();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_restart_mid_contest_loses_nothing_and_heals_by_itself() {
    let Some(pg) = PrivatePostgres::start() else {
        return;
    };
    let proc = Proc::spawn(
        &[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            &pg.url,
            "--jwt-secret",
            JWT_SECRET,
            "--rate-burst",
            "100",
        ],
        Some("--data-dir"),
    );
    let node = Api::new(proc.line("codehub: listening on ").trim().to_owned());
    let team = node.register("drill").await;
    let before = node.submit(&team, AC).await;
    assert_eq!(
        node.wait_status(&team, before, "done").await["verdict"],
        "AC"
    );
    let board = node.settled_board().await;
    let problem = node.problem_id(1).await;

    pg.run("halt");
    // Reads of the live contest come from memory.
    assert_eq!(node.settled_board().await["rows"], board["rows"]);
    // A submission is refused, saying when to come back, and is not acknowledged.
    let refused = node.post_submission(&team, problem, AC).await;
    assert_eq!(refused.status(), 503);
    let retry = retry_after(&refused);
    assert!((1..=30).contains(&retry), "Retry-After: {retry}");
    let error: serde_json::Value = refused.json().await.unwrap();
    assert!(
        error["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{error}"
    );

    pg.run("resume");
    // Back by itself: the next submission is acknowledged within the pool's reconnect.
    let after = submit_when_writable(&node, &team, problem, WA).await;
    assert_eq!(
        node.wait_status(&team, after, "done").await["verdict"],
        "WA"
    );
    assert_eq!(
        node.wait_status(&team, before, "done").await["verdict"],
        "AC"
    );
    drop(proc);
}

/// A small disk: a tmpfs of its own at a temporary path, in a private user and mount
/// namespace held open by a sleeping process. Processes started through
/// [`SmallDisk::enter`] see it; the test writes to it through `/proc/<holder>/root`. It
/// vanishes with the holder (killed on drop), so no mount outlives the test, and no
/// root is needed where unprivileged user namespaces are allowed.
struct SmallDisk {
    holder: std::process::Child,
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(size: &str) -> SmallDisk {
        let dir = tempfile::tempdir().unwrap();
        let mut holder = Command::new("unshare")
            .args([
                "--user",
                "--map-root-user",
                "--mount",
                "--propagation",
                "private",
            ])
            .args(["sh", "-c"])
            .arg(r#"mount -t tmpfs -o size="$1" tmpfs "$0" && echo mounted && exec sleep 3600"#)
            .arg(dir.path())
            .arg(size)
            .stdout(Stdio::piped())
            .spawn()
            .expect("unshare (util-linux)");
        let mut line = String::new();
        BufReader::new(holder.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(
            line.trim(),
            "mounted",
            "a tmpfs in a private mount namespace (needs root or user namespaces)"
        );
        SmallDisk { holder, dir }
    }

    /// The command prefix that runs a program inside the mount namespace (and, for a
    /// user other than root, the user namespace too; root stays root, so the node judges
    /// with its default native sandbox).
    fn enter(&self) -> Vec<String> {
        use std::os::unix::fs::MetadataExt;
        let root = std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
        let pid = self.holder.id().to_string();
        let mut enter = vec!["nsenter", "-t", &pid, "-m"];
        if !root {
            enter.push("-U");
        }
        enter.push("--");
        enter.into_iter().map(str::to_owned).collect()
    }

    /// The disk as processes inside see it.
    fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The disk as seen from here.
    fn outside(&self) -> PathBuf {
        PathBuf::from(format!("/proc/{}/root", self.holder.id()))
            .join(self.dir.path().strip_prefix("/").unwrap())
    }

    /// Fills what is left with one file, up to `ENOSPC`; returns its size.
    fn fill(&self) -> u64 {
        let mut file = std::fs::File::create(self.outside().join("filler")).unwrap();
        let chunk = vec![0u8; 64 << 10];
        let mut written = 0;
        loop {
            match file.write(&chunk) {
                Ok(n) if n > 0 => written += n as u64,
                Ok(_) => break,
                Err(e) => {
                    assert_eq!(e.kind(), std::io::ErrorKind::StorageFull, "{e}");
                    break;
                }
            }
        }
        written
    }

    /// Gives the filled space back.
    fn free(&self) {
        std::fs::remove_file(self.outside().join("filler")).unwrap();
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = self.holder.kill();
        let _ = self.holder.wait();
    }
}

/// A small PNG for avatar uploads.
fn png() -> Vec<u8> {
    let img = image::ImageBuffer::from_fn(40, 30, |x, y| image::Rgb([x as u8, y as u8, 7]));
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    png
}

/// `PUT /api/me/avatar`.
async fn put_avatar(node: &Api, token: &str) -> reqwest::Response {
    node.http
        .put(format!("{}/api/me/avatar", node.base))
        .bearer_auth(token)
        .header("content-type", "image/png")
        .body(png())
        .send()
        .await
        .unwrap()
}

/// Asserts an error answer: `status`, a `Retry-After`, and `{code, message}` whose
/// message contains `says`.
async fn assert_refused(response: reqwest::Response, status: u16, says: &str) {
    assert_eq!(response.status(), status);
    let retry = retry_after(&response);
    assert!((1..=60).contains(&retry), "Retry-After: {retry}");
    let error: serde_json::Value = response.json().await.unwrap();
    assert_eq!(error["code"], status, "{error}");
    assert!(
        error["message"].as_str().is_some_and(|m| m.contains(says)),
        "{error}"
    );
}

/// Posts a submission until it is acknowledged (within 60 s); returns its id.
async fn submit_when_writable(node: &Api, token: &str, problem: i64, code: &str) -> i64 {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let response = node.post_submission(token, problem, code).await;
        if response.status() == 202 {
            let body: serde_json::Value = response.json().await.unwrap();
            return body["id"].as_i64().unwrap();
        }
        assert!(
            Instant::now() < deadline,
            "never accepted again: {}",
            response.status()
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_writes_clearly_corrupts_nothing_and_recovers() {
    let disk = SmallDisk::mount("16m");
    let enter = disk.enter();
    let wrapper: Vec<&str> = enter.iter().map(String::as_str).collect();
    let data_dir = disk.dir().to_str().unwrap().to_owned();
    let args = [
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--data-dir",
        &data_dir,
        "--jwt-secret",
        JWT_SECRET,
        "--rate-burst",
        "1000",
    ];
    let proc = Proc::spawn_wrapped(&wrapper, &args, None, &[]);
    let node = Api::new(proc.line("codehub: listening on ").trim().to_owned());
    let team = node.register("full").await;
    let before = node.submit(&team, AC).await;
    assert_eq!(
        node.wait_status(&team, before, "done").await["verdict"],
        "AC"
    );
    let board = node.settled_board().await;
    let problem = node.problem_id(1).await;

    let filled = disk.fill();
    assert!(filled > 0, "the disk had room left to fill");
    // SQLite goes on writing into the space its write-ahead log already holds; once that
    // is used up, writes are refused, saying why. What was acknowledged was stored.
    let mut acknowledged = Vec::new();
    let refused = loop {
        let code = format!("{WA}# {}\n", acknowledged.len());
        let response = node.post_submission(&team, problem, &code).await;
        if response.status() != 202 {
            break response;
        }
        let body: serde_json::Value = response.json().await.unwrap();
        acknowledged.push(body["id"].as_i64().unwrap());
        assert!(
            acknowledged.len() < 300,
            "never refused on a full disk: {:?}",
            std::fs::read_dir(disk.outside())
                .unwrap()
                .flatten()
                .map(|e| (e.file_name(), e.metadata().unwrap().len()))
                .collect::<Vec<_>>()
        );
    };
    eprintln!(
        "{} submissions stored on the full disk before the first refusal",
        acknowledged.len()
    );
    assert_refused(refused, 507, "storage is full").await;
    assert_refused(put_avatar(&node, &team).await, 507, "storage is full").await;
    // Reads go on.
    assert_eq!(node.settled_board().await["rows"], board["rows"]);
    assert_eq!(
        node.wait_status(&team, before, "done").await["verdict"],
        "AC"
    );

    // Space returns: writes resume by themselves.
    disk.free();
    acknowledged.push(submit_when_writable(&node, &team, problem, WA).await);
    for &id in &acknowledged {
        assert_eq!(node.wait_status(&team, id, "done").await["verdict"], "WA");
    }
    let avatar = put_avatar(&node, &team).await;
    assert!(avatar.status().is_success(), "{}", avatar.status());

    // Nothing was corrupted: a restart on the same disk finds every acknowledged
    // submission, judged, and the scoreboard as it was.
    let board = node.settled_board().await;
    drop(proc);
    let proc = Proc::spawn_wrapped(&wrapper, &args, None, &[]);
    let node = Api::new(proc.line("codehub: listening on ").trim().to_owned());
    assert_eq!(
        node.wait_status(&team, before, "done").await["verdict"],
        "AC"
    );
    for &id in &acknowledged {
        assert_eq!(node.wait_status(&team, id, "done").await["verdict"], "WA");
    }
    assert_eq!(node.settled_board().await["rows"], board["rows"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_unreachable_for_a_minute_judging_goes_on_and_uploads_fail_then_succeed() {
    let Some(url) = s3_blobs("outage") else {
        return;
    };
    let (mut s3_args, env) = s3_flags(&url);
    let endpoint = s3_args.iter().position(|a| a == "--s3-endpoint").unwrap() + 1;
    let target = s3_args[endpoint]
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let proxy = Proxy::start(target).await;
    s3_args[endpoint] = format!("http://127.0.0.1:{}", proxy.port);
    let mut args = vec![
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--jwt-secret",
        JWT_SECRET,
        "--rate-burst",
        "100",
    ];
    args.extend(s3_args.iter().map(String::as_str));
    let proc = Proc::spawn_with_env(&args, Some("--data-dir"), &env);
    let node = Api::new(proc.line("codehub: listening on ").trim().to_owned());
    let team = node.register("outage").await;
    let problem = node.problem_id(1).await;
    let first = node.submit(&team, AC).await;
    assert_eq!(
        node.wait_status(&team, first, "done").await["verdict"],
        "AC"
    );

    proxy.partition();
    let cut = Instant::now();
    // Judging of the cached package goes on, all minute long.
    let mut judged = 0;
    while cut.elapsed() < Duration::from_secs(50) {
        let (code, want) = if judged % 2 == 0 {
            (WA, "WA")
        } else {
            (AC, "AC")
        };
        let id = submit_when_writable(&node, &team, problem, code).await;
        assert_eq!(node.wait_status(&team, id, "done").await["verdict"], want);
        judged += 1;
        if judged == 1 {
            // An upload fails, saying so, after the client's retries (not hanging on).
            let started = Instant::now();
            assert_refused(put_avatar(&node, &team).await, 503, "unavailable").await;
            assert!(
                started.elapsed() < Duration::from_secs(45),
                "{:?}",
                started.elapsed()
            );
        }
        tokio::time::sleep(Duration::from_secs(5)).await;
    }
    assert!(judged >= 3, "judged {judged} during the outage");
    tokio::time::sleep(Duration::from_secs(60).saturating_sub(cut.elapsed())).await;

    // Back: the same upload succeeds.
    proxy.heal();
    let avatar = put_avatar(&node, &team).await;
    assert!(avatar.status().is_success(), "{}", avatar.status());
    let last = node.submit(&team, AC).await;
    assert_eq!(node.wait_status(&team, last, "done").await["verdict"], "AC");
}
