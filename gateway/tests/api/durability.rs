//! `kill -9` while submissions are queued and judging: every acknowledged submission is
//! judged after the restart, and the scoreboard equals a full recompute.

use super::helpers::{Options, spawn_app, spawn_app_with};
use codehub_engine::Verdict;
use codehub_engine::model::{ContestKind, SubmissionId, UserId};
use codehub_engine::scoring::{Judged, Rules, View, naive};
use serde_json::json;
use std::time::Duration;

/// Slow enough that a few are still queued or judging when the server dies.
const SLOW_AC: &str = "import time\ntime.sleep(0.4)\nprint('Hello World!')\n";
const SLOW_WA: &str = "import time\ntime.sleep(0.4)\nprint('Hello there')\n";

#[tokio::test]
async fn sigkill_during_judging_loses_nothing() {
    let app = spawn_app();
    let admin = app.admin().await;
    let hello = app.import(&admin, "hello").await;
    let contest = app.contest(&admin, "durable", &[hello], json!({})).await;
    let mut users = Vec::new();
    for name in ["user1", "user2", "user3"] {
        users.push(app.register(name).await);
    }
    let mut accepted = Vec::new();
    for round in 0..3 {
        for (i, (token, uid)) in users.iter().enumerate() {
            let src = if (round + i) % 2 == 0 {
                SLOW_WA
            } else {
                SLOW_AC
            };
            let (status, s) = app.submit(token, Some(contest), hello, "s.py", src).await;
            assert_eq!(status, 202, "{s}");
            accepted.push((
                s["id"].as_i64().unwrap(),
                *uid,
                token.clone(),
                src == SLOW_AC,
            ));
        }
    }
    // Some are being judged, most are queued: kill -9 now.
    let (_, queue) = app.get("/api/queue", Some(&admin)).await;
    assert!(
        queue["queued"].as_u64().unwrap() + queue["judging"].as_u64().unwrap() > 0,
        "{queue}"
    );
    let data_dir = app.data_dir.clone();
    let admin_pw = app.admin_password.clone();
    let mut app = app;
    let pid = app.child.id() as i32;
    // SAFETY: signalling our own child.
    unsafe { libc::kill(pid, libc::SIGKILL) };
    app.child.wait().unwrap();

    let mut app2 = spawn_app_with(Options {
        data_dir: Some(data_dir),
        ..Options::default()
    });
    app2.admin_password = admin_pw;
    let mut judged = Vec::new();
    for (id, uid, token, is_ac) in &accepted {
        let s = app2.wait_judged(token, *id).await;
        let verdict = if *is_ac { "AC" } else { "WA" };
        assert_eq!(s["verdict"], verdict, "submission {id}: {s}");
        judged.push((*id, *uid, s["submitted_at"].as_i64().unwrap(), verdict));
    }

    // The scoreboard equals a full recompute over the stored submissions.
    let (_, c) = app2.get(&format!("/api/contests/{contest}"), None).await;
    let start = c["start_at"].as_i64().unwrap();
    let rules = Rules {
        kind: ContestKind::Icpc,
        problem_count: 1,
        penalty_minutes: 20,
        freeze_at: None,
    };
    let teams: Vec<UserId> = users.iter().map(|(_, id)| UserId(*id)).collect();
    let submitted: Vec<_> = judged
        .iter()
        .map(|(id, u, at, _)| (UserId(*u), 0usize, SubmissionId(*id), at - start))
        .collect();
    let results: Vec<Judged> = judged
        .iter()
        .map(|(id, u, at, v)| Judged {
            id: SubmissionId(*id),
            team: UserId(*u),
            problem: 0,
            at: at - start,
            verdict: v.parse::<Verdict>().unwrap(),
            score: 0.0,
        })
        .collect();
    let expected = naive::recompute(&rules, &teams, &submitted, &results, true, View::Public);
    let mut board = serde_json::Value::Null;
    // Until no cell is pending (at most 30 s): the restored board may trail the store.
    for _ in 0..300 {
        board = app2
            .get(&format!("/api/contests/{contest}/scoreboard"), None)
            .await
            .1;
        if crate::board::settled(&board) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let got: Vec<(i64, i64, i64, i64)> = board["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["team"].as_i64().unwrap(),
                r["rank"].as_i64().unwrap(),
                r["solved"].as_i64().unwrap(),
                r["penalty"].as_i64().unwrap(),
            )
        })
        .collect();
    let want: Vec<(i64, i64, i64, i64)> = expected
        .iter()
        .map(|r| (r.team.0, r.rank as i64, i64::from(r.solved), r.penalty))
        .collect();
    assert_eq!(got, want);
    let _ = spawn_app; // (the first server was started with spawn_app)
}
