//! Practice archive search: 10,000 problems (2 KiB statements, tags, difficulties) and
//! 5,000 judged submissions by 500 users in the store, then `GET /api/archive` with
//! varied searches (text, tag, difficulty, unsolved, sorts, pages) against a
//! `codehub serve` on it; prints p50/p99/max, and the first search (which reads the
//! store) apart. SQLite always; PostgreSQL too when `CODEHUB_TEST_POSTGRES_URL` is set
//! (a fresh database is made on that server with `psql`).
//!
//! `cargo bench -p codehub-gateway --bench archive [-- PROBLEMS SEARCHES]`.

use codehub_engine::Verdict;
use codehub_engine::model::{Judgement, ProblemId, Role, SubmittedFile, now_ms};
use codehub_engine::ports::store::prelude::*;
use codehub_engine::ports::store::{NewSubmission, NewUser};
use codehub_store::SqlStore;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Instant;

const TAGS: &[&str] = &[
    "graphs",
    "dp",
    "greedy",
    "math",
    "strings",
    "geometry",
    "trees",
    "sorting",
    "brute force",
    "binary search",
    "number theory",
    "flows",
    "data structures",
    "implementation",
    "games",
];

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// Fills `store` with `problems` problems and 5,000 judged submissions by 500 users.
async fn fill(store: &SqlStore, problems: usize) {
    let statement = "Lorem ipsum dolor sit amet. ".repeat(75);
    let mut ids = Vec::with_capacity(problems);
    for i in 0..problems {
        let tags = vec![
            TAGS[i % TAGS.len()].to_owned(),
            TAGS[(i * 7 + 3) % TAGS.len()].to_owned(),
        ];
        let p = store
            .create_problem(codehub_engine::model::Problem {
                id: ProblemId(0),
                slug: format!("p{i}"),
                name: format!("Problem {i} {}", TAGS[(i * 3) % TAGS.len()]),
                package_hash: "0".repeat(64),
                time_limit_ms: 1000,
                memory_limit_kib: 262_144,
                code_limit_bytes: 65_536,
                statement: statement.clone(),
                samples: vec![("1 2\n".into(), "3\n".into())],
                answer_files: vec![],
                practice: true,
                created_at: 0,
                tags,
                difficulty: Some((i % 10) as i64 + 1),
                source: Some("Bench Cup".into()),
                statement_language: None,
                translations: Default::default(),
            })
            .await
            .unwrap();
        ids.push(p.id);
    }
    let mut users = Vec::new();
    for u in 0..500 {
        users.push(
            store
                .create_user(NewUser {
                    username: format!("u{u}"),
                    password_hash: "x".into(),
                    role: Role::Contestant,
                })
                .await
                .unwrap()
                .id,
        );
    }
    for k in 0..5_000usize {
        let s = store
            .create_submission(NewSubmission {
                user_id: users[k % users.len()],
                contest_id: None,
                problem_id: ids[(k * 31) % ids.len().min(800)],
                language: "cpp".into(),
                files: vec![SubmittedFile {
                    name: "a.cpp".into(),
                    contents: "int main() {}".into(),
                }],
                submitted_at: now_ms(),
            })
            .await
            .unwrap();
        let verdict = if k % 3 == 0 {
            Verdict::Accepted
        } else {
            Verdict::WrongAnswer
        };
        store
            .finish_submission(
                s.id,
                &Judgement {
                    verdict,
                    score: None,
                    time_ms: 1,
                    memory_kib: 1,
                    compile_output: String::new(),
                    tests: vec![],
                    judged_at: now_ms(),
                },
            )
            .await
            .unwrap();
    }
}

/// Searches the archive of the node at `base`; prints the figures under `label`.
async fn measure(label: &str, base: &str, token: &str, searches: usize) {
    let client = reqwest::Client::new();
    let queries: Vec<String> = (0..searches)
        .map(|i| {
            let tag = TAGS[i % TAGS.len()].replace(' ', "%20");
            match i % 6 {
                0 => format!("q=problem%20{}", i % 97),
                1 => format!("tags={tag}&sort=difficulty"),
                2 => format!("max_difficulty={}&sort=solved&page=3", i % 10 + 1),
                3 => format!("unsolved=true&sort=acceptance&page={}", i % 20 + 1),
                4 => format!("q={tag}&sort=newest&per_page=100"),
                _ => format!("page={}", i % 200 + 1),
            }
        })
        .collect();
    let mut first = None;
    let mut took = Vec::with_capacity(searches);
    for q in &queries {
        let t = Instant::now();
        let resp = client
            .get(format!("{base}/api/archive?{q}"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 200, "{q}");
        let page: Value = resp.json().await.unwrap();
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        assert!(page["total"].as_u64().is_some());
        match first {
            None => first = Some(ms),
            Some(_) => took.push(ms),
        }
    }
    took.sort_by(f64::total_cmp);
    println!(
        "archive, {label}: first search (reads the store) {:.1} ms; then n={} p50={:.2} ms p99={:.2} ms max={:.2} ms",
        first.unwrap_or_default(),
        took.len(),
        percentile(&took, 0.5),
        percentile(&took, 0.99),
        took[took.len() - 1]
    );
}

/// Starts `codehub serve` on `database` (or the data dir's SQLite) and signs `u1` in.
fn serve(dir: &std::path::Path, database: Option<&str>) -> (std::process::Child, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_codehub"));
    cmd.args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped());
    if let Some(url) = database {
        cmd.args(["--database-url", url]);
    }
    let mut child = cmd.spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let base = loop {
        let line = lines.next().unwrap().unwrap();
        if let Some(a) = line.strip_prefix("codehub: listening on ") {
            break a.trim().to_owned();
        }
    };
    (child, base)
}

/// A signed-in learner (registered through the API).
async fn learner(base: &str) -> String {
    let v: Value = reqwest::Client::new()
        .post(format!("{base}/api/auth/register"))
        .json(&serde_json::json!({"username": "bench-learner", "password": "correct horse"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["access_token"].as_str().unwrap().to_owned()
}

#[tokio::main]
async fn main() {
    let numbers: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let problems = numbers.first().copied().unwrap_or(10_000);
    let searches = numbers.get(1).copied().unwrap_or(600);

    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("codehub.db").display()
    );
    let t = Instant::now();
    fill(&SqlStore::connect(&url).await.unwrap(), problems).await;
    println!(
        "SQLite: {problems} problems filled in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let (mut child, base) = serve(dir.path(), None);
    let token = learner(&base).await;
    measure(
        &format!("SQLite, {problems} problems"),
        &base,
        &token,
        searches,
    )
    .await;
    let _ = child.kill();
    let _ = child.wait();

    let Ok(server) = std::env::var("CODEHUB_TEST_POSTGRES_URL") else {
        println!("PostgreSQL: not measured (set CODEHUB_TEST_POSTGRES_URL)");
        return;
    };
    let name = format!("archive_bench_{}", std::process::id());
    let made = Command::new("psql")
        .arg(&server)
        .args(["-q", "-c", &format!("CREATE DATABASE {name}")])
        .status()
        .unwrap();
    assert!(made.success(), "psql CREATE DATABASE");
    let (head, _) = server.rsplit_once('/').unwrap();
    let url = format!("{head}/{name}");
    let t = Instant::now();
    fill(&SqlStore::connect(&url).await.unwrap(), problems).await;
    println!(
        "PostgreSQL: {problems} problems filled in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let pg_dir = tempfile::tempdir().unwrap();
    let (mut child, base) = serve(pg_dir.path(), Some(&url));
    let token = learner(&base).await;
    measure(
        &format!("PostgreSQL, {problems} problems"),
        &base,
        &token,
        searches,
    )
    .await;
    let _ = child.kill();
    let _ = child.wait();
    let _ = Command::new("psql")
        .arg(&server)
        .args(["-q", "-c", &format!("DROP DATABASE {name}")])
        .status();
}
