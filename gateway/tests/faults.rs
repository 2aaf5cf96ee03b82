//! Faults an operator meets, with the real service: PostgreSQL restarted in the middle of
//! a contest (a private cluster of this test's own, started by `scripts/services/postgres`
//! with its own state file, so other tests' database is untouched). While it is down,
//! the scoreboard is served from memory and a submission is answered 503 with
//! `Retry-After` (never acknowledged and lost); once it is back, everything resumes by
//! itself and every acknowledged submission is there, judged.

#[path = "support/cluster.rs"]
mod support;

use std::path::PathBuf;
use std::process::Command;
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
    let board = node.board().await;
    let problem = node.problem_id(1).await;

    pg.run("halt");
    // Reads of the live contest come from memory.
    assert_eq!(node.board().await["rows"], board["rows"]);
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
    let deadline = Instant::now() + Duration::from_secs(30);
    let after = loop {
        let response = node.post_submission(&team, problem, WA).await;
        if response.status() == 202 {
            let body: serde_json::Value = response.json().await.unwrap();
            break body["id"].as_i64().unwrap();
        }
        assert!(
            Instant::now() < deadline,
            "never accepted again: {}",
            response.status()
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
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
