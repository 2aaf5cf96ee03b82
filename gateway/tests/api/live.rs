//! The live path end to end: contestants submit in C++, Python and Java; the verdict
//! stream (queued → compiling → running test i/n → verdict) and the scoreboard deltas
//! arrive over WebSocket; ranks and penalties come out right.

use super::helpers::spawn_app;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::time::Duration;

const WA_PY: &str = "print('Hello, World!')\n";
const AC_CPP: &str = "#include <cstdio>\nint main() { std::puts(\"Hello World!\"); }\n";
const AC_JAVA: &str = "public class Main { public static void main(String[] a) { System.out.println(\"Hello World!\"); } }\n";

/// Reads the verdict stream of one submission from a `user/{id}/submissions` socket.
async fn stream_of(ws: &mut super::helpers::Ws, id: i64) -> Vec<Value> {
    let msgs = ws
        .until(Duration::from_secs(120), |m| {
            m["type"] == "verdict" && m["data"]["submission_id"] == id
        })
        .await;
    msgs.into_iter()
        .filter(|m| m["data"]["submission_id"] == id)
        .collect()
}

fn states(stream: &[Value]) -> Vec<String> {
    stream
        .iter()
        .map(|m| match m["data"]["state"].as_str().unwrap() {
            "running" => format!("running {}/{}", m["data"]["test"], m["data"]["total"]),
            other => other.to_owned(),
        })
        .collect()
}

#[tokio::test]
async fn verdicts_and_scoreboard_stream_live_over_websockets() {
    let app = spawn_app();
    let admin = app.admin().await;
    let hello = app.import(&admin, "hello").await;
    let contest = app
        .contest(&admin, "live", &[hello], json!({"penalty_minutes": 20}))
        .await;
    let (alice, alice_id) = app.register("alice").await;
    let (bob, bob_id) = app.register("bob").await;

    // A spectator without an account watches the public board.
    let mut spectator = app.ws(None).await;
    spectator
        .subscribe(&format!("contest/{contest}/scoreboard"), None)
        .await;
    let snapshot = spectator.next(Duration::from_secs(10)).await.unwrap();
    assert_eq!(snapshot["type"], "snapshot", "{snapshot}");
    let mut last_seq = snapshot["seq"].as_u64().unwrap();
    // ... and may not read the jury board.
    spectator
        .subscribe(&format!("contest/{contest}/scoreboard/jury"), None)
        .await;
    let refused = spectator.next(Duration::from_secs(10)).await.unwrap();
    assert_eq!(
        (refused["type"].as_str(), refused["code"].as_i64()),
        (Some("error"), Some(403))
    );

    let mut alice_ws = app.ws(Some(&alice)).await;
    alice_ws
        .subscribe(&format!("user/{alice_id}/submissions"), None)
        .await;
    assert_eq!(
        alice_ws.next(Duration::from_secs(10)).await.unwrap()["type"],
        "snapshot"
    );
    let mut bob_ws = app.ws(Some(&bob)).await;
    bob_ws
        .subscribe(&format!("user/{bob_id}/submissions"), None)
        .await;
    assert_eq!(
        bob_ws.next(Duration::from_secs(10)).await.unwrap()["type"],
        "snapshot"
    );
    // Alice may not follow Bob.
    alice_ws
        .subscribe(&format!("user/{bob_id}/submissions"), None)
        .await;
    let refused = alice_ws.next(Duration::from_secs(10)).await.unwrap();
    assert_eq!(refused["code"], 403);

    let (status, wa) = app
        .submit(&alice, Some(contest), hello, "hello.py", WA_PY)
        .await;
    assert_eq!(status, 202, "{wa}");
    let wa_stream = stream_of(&mut alice_ws, wa["id"].as_i64().unwrap()).await;
    let (status, ac) = app
        .submit(&alice, Some(contest), hello, "hello.cpp", AC_CPP)
        .await;
    assert_eq!(status, 202);
    let ac_stream = stream_of(&mut alice_ws, ac["id"].as_i64().unwrap()).await;
    let (status, java) = app
        .submit(&bob, Some(contest), hello, "Main.java", AC_JAVA)
        .await;
    assert_eq!(status, 202);
    let java_stream = stream_of(&mut bob_ws, java["id"].as_i64().unwrap()).await;

    assert_eq!(
        states(&wa_stream),
        ["queued", "compiling", "running 1/2", "done"]
    );
    assert_eq!(wa_stream.last().unwrap()["data"]["verdict"], "WA");
    assert_eq!(
        states(&ac_stream),
        ["queued", "compiling", "running 1/2", "running 2/2", "done"]
    );
    assert_eq!(ac_stream.last().unwrap()["data"]["verdict"], "AC");
    assert_eq!(java_stream.last().unwrap()["data"]["verdict"], "AC");
    for stream in [&wa_stream, &ac_stream, &java_stream] {
        let seqs: Vec<u64> = stream.iter().map(|m| m["seq"].as_u64().unwrap()).collect();
        assert!(
            seqs.windows(2).all(|w| w[0] < w[1]),
            "seq increases: {seqs:?}"
        );
    }

    // The spectator's deltas converge on: Bob first (1 solved, minute 1), Alice second
    // (1 solved, minute 1 + 20 for the wrong answer).
    let mut rows: HashMap<i64, Value> = HashMap::new();
    let expected = |rows: &HashMap<i64, Value>| {
        rows.get(&alice_id)
            .is_some_and(|r| r["solved"] == 1 && r["penalty"] == 21)
            && rows
                .get(&bob_id)
                .is_some_and(|r| r["solved"] == 1 && r["penalty"] == 1)
    };
    while !expected(&rows) {
        let m = spectator
            .next(Duration::from_secs(30))
            .await
            .expect("scoreboard delta");
        assert_eq!(m["type"], "delta", "{m}");
        let seq = m["seq"].as_u64().unwrap();
        assert_eq!(seq, last_seq + 1, "no gaps, in order");
        last_seq = seq;
        for row in m["data"]["rows"].as_array().unwrap() {
            rows.insert(row["team"].as_i64().unwrap(), row.clone());
        }
    }
    let alice_cell = &rows[&alice_id]["cells"][0];
    assert_eq!(
        (
            alice_cell["attempts"].as_i64(),
            alice_cell["solved_at_min"].as_i64()
        ),
        (Some(2), Some(1))
    );

    let (status, board) = app
        .get(&format!("/api/contests/{contest}/scoreboard"), None)
        .await;
    assert_eq!(status, 200);
    let ranks: Vec<(i64, i64)> = board["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["team"].as_i64().unwrap(), r["rank"].as_i64().unwrap()))
        .collect();
    assert_eq!(ranks, [(bob_id, 1), (alice_id, 2)]);
    assert_eq!(
        board["seq"].as_u64().unwrap(),
        last_seq,
        "the snapshot matches the deltas"
    );
    let first = board["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["team"] == alice_id)
        .unwrap();
    assert_eq!(
        first["cells"][0]["first_to_solve"], true,
        "Alice's C++ AC was judged first"
    );

    // Resuming with `since` replays exactly the missed deltas.
    let mut late = app.ws(None).await;
    late.subscribe(&format!("contest/{contest}/scoreboard"), Some(last_seq - 1))
        .await;
    let replay = late.next(Duration::from_secs(10)).await.unwrap();
    assert_eq!(
        (replay["type"].as_str(), replay["seq"].as_u64()),
        (Some("delta"), Some(last_seq))
    );
}

#[tokio::test]
async fn freeze_hides_results_from_the_public_until_unfrozen() {
    let app = spawn_app();
    let admin = app.admin().await;
    let hello = app.import(&admin, "hello").await;
    let now = super::helpers::now_ms();
    let contest = app
        .contest(&admin, "frozen", &[hello], json!({"freeze_at": now - 1000}))
        .await;
    let (alice, alice_id) = app.register("alice").await;
    let (_, ac) = app
        .submit(&alice, Some(contest), hello, "hello.cpp", AC_CPP)
        .await;
    app.wait_judged(&alice, ac["id"].as_i64().unwrap()).await;

    let row = |board: &Value| {
        board["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["team"] == alice_id)
            .cloned()
            .unwrap()
    };
    // The boards follow the verdict asynchronously (the contest actor applies it after
    // the store holds it): wait until the jury's board has it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let (_, jury) = app
            .get(
                &format!("/api/contests/{contest}/scoreboard?view=jury"),
                Some(&admin),
            )
            .await;
        if row(&jury)["solved"] == 1 || std::time::Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let (_, public) = app
        .get(&format!("/api/contests/{contest}/scoreboard"), None)
        .await;
    assert_eq!(public["frozen"], true);
    assert_eq!(
        (
            row(&public)["solved"].as_i64(),
            row(&public)["cells"][0]["pending"].as_i64()
        ),
        (Some(0), Some(1))
    );
    let (_, jury) = app
        .get(
            &format!("/api/contests/{contest}/scoreboard?view=jury"),
            Some(&admin),
        )
        .await;
    assert_eq!(row(&jury)["solved"], 1);
    let (status, _) = app
        .get(
            &format!("/api/contests/{contest}/scoreboard?view=jury"),
            Some(&alice),
        )
        .await;
    assert_eq!(status, 403);

    let mut spectator = app.ws(None).await;
    spectator
        .subscribe(&format!("contest/{contest}/scoreboard"), None)
        .await;
    spectator.next(Duration::from_secs(10)).await.unwrap();
    let (status, _) = app
        .post(
            &format!("/api/contests/{contest}/unfreeze"),
            Some(&alice),
            json!({}),
        )
        .await;
    assert_eq!(status, 403);
    let (status, _) = app
        .post(
            &format!("/api/contests/{contest}/unfreeze"),
            Some(&admin),
            json!({}),
        )
        .await;
    assert_eq!(status, 204);
    let (_, public) = app
        .get(&format!("/api/contests/{contest}/scoreboard"), None)
        .await;
    assert_eq!(
        (public["frozen"].as_bool(), row(&public)["solved"].as_i64()),
        (Some(false), Some(1))
    );
    // A spectator connected during the unfreeze is brought up to date.
    let m = spectator
        .until(Duration::from_secs(10), |m| {
            m["data"]["rows"].as_array().is_some_and(|rows| {
                rows.iter()
                    .any(|r| r["team"] == alice_id && r["solved"] == 1)
            })
        })
        .await;
    assert!(!m.is_empty());
}

#[tokio::test]
async fn admins_inject_synthetic_results_for_load_tests_only() {
    let app = spawn_app();
    let admin = app.admin().await;
    let (contestant, _) = app.register("carol").await;
    let mut spectator = app.ws(None).await;
    spectator.subscribe("contest/1/scoreboard", None).await;
    let snapshot = spectator.next(Duration::from_secs(10)).await.unwrap();
    let seq = snapshot["seq"].as_u64().unwrap();
    let body = json!({"team": 1_000_001, "problem": 1, "verdict": "AC", "at_ms": 90_000});
    let (status, _) = app
        .post("/api/contests/1/inject", Some(&contestant), body.clone())
        .await;
    assert_eq!(status, 403);
    let (status, _) = app.post("/api/contests/1/inject", Some(&admin), body).await;
    assert_eq!(status, 202);
    let deltas = spectator
        .until(Duration::from_secs(10), |m| {
            m["type"] == "delta" && m["data"]["rows"][0]["solved"] == 1
        })
        .await;
    let last = deltas.last().unwrap();
    assert_eq!(last["data"]["rows"][0]["team"], 1_000_001);
    assert!(last["seq"].as_u64().unwrap() > seq);
    for (bad, needle) in [
        (
            json!({"team": 1, "problem": 9, "verdict": "AC", "at_ms": 0}),
            "out of range",
        ),
        (
            json!({"team": 1, "problem": 0, "verdict": "OK", "at_ms": 0}),
            "unknown verdict",
        ),
    ] {
        let (status, resp) = app.post("/api/contests/1/inject", Some(&admin), bad).await;
        assert_eq!(status, 422);
        assert!(resp["message"].as_str().unwrap().contains(needle), "{resp}");
    }
    // Nothing was stored: the jury's stored submissions are untouched.
    let (_, subs) = app.get("/api/submissions", Some(&admin)).await;
    assert_eq!(subs.as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn a_socket_authenticates_with_its_first_message_not_its_url() {
    let app = spawn_app();
    let admin = app.admin().await;
    let mut ws = app.ws(None).await;
    // Anonymous: the jury's board is refused.
    ws.subscribe("contest/1/scoreboard/jury", None).await;
    let refused = ws.next(Duration::from_secs(10)).await.expect("an answer");
    assert_eq!(
        (refused["type"].as_str(), refused["code"].as_u64()),
        (Some("error"), Some(403)),
        "{refused}"
    );
    // A bad token: 401, still anonymous.
    ws.send(json!({"op": "auth", "token": "forged"})).await;
    let bad = ws.next(Duration::from_secs(10)).await.expect("an answer");
    assert_eq!(bad["code"], 401, "{bad}");
    // The token in a message: authenticated as the admin, the jury board opens.
    ws.send(json!({"op": "auth", "token": admin})).await;
    let ok = ws.next(Duration::from_secs(10)).await.expect("an answer");
    assert_eq!(
        (ok["type"].as_str(), ok["data"]["role"].as_str()),
        (Some("auth"), Some("admin")),
        "{ok}"
    );
    ws.subscribe("contest/1/scoreboard/jury", None).await;
    let snapshot = ws.next(Duration::from_secs(10)).await.expect("an answer");
    assert_eq!(snapshot["type"], "snapshot", "{snapshot}");
    // One user per connection.
    ws.send(json!({"op": "auth", "token": admin})).await;
    let again = ws.next(Duration::from_secs(10)).await.expect("an answer");
    assert_eq!(again["code"], 409, "{again}");
}

#[tokio::test]
async fn spectators_arriving_together_all_reach_the_board_and_an_unknown_board_is_404() {
    let app = spawn_app();
    let admin = app.admin().await;
    // An unknown contest's board: 404, and the connection keeps working.
    let mut first = app.ws(None).await;
    first.subscribe("contest/424242/scoreboard", None).await;
    let refused = first
        .next(Duration::from_secs(10))
        .await
        .expect("an answer");
    assert_eq!(
        (refused["code"].as_u64(), refused["message"].as_str()),
        (Some(404), Some("unknown contest 424242")),
        "{refused}"
    );
    first.subscribe("contest/1/scoreboard", None).await;
    let snapshot = first
        .next(Duration::from_secs(10))
        .await
        .expect("a snapshot");
    let base = snapshot["seq"].as_u64().unwrap();
    // The board moves on right after that snapshot was taken: spectators subscribing now
    // may be given it (shared for 250 ms); each must still reach the new `seq`, by the
    // delta that follows it or by a fresher snapshot, with no gap.
    let body = json!({"team": 1_000_001, "problem": 0, "verdict": "AC", "at_ms": 60_000});
    let (status, _) = app.post("/api/contests/1/inject", Some(&admin), body).await;
    assert_eq!(status, 202);
    let mut crowd = Vec::new();
    for _ in 0..20 {
        let mut ws = app.ws(None).await;
        ws.subscribe("contest/1/scoreboard", None).await;
        crowd.push(ws);
    }
    let solved = first
        .until(Duration::from_secs(10), |m| {
            m["type"] == "delta" && m["data"]["rows"][0]["solved"] == 1
        })
        .await;
    let last = solved.last().unwrap()["seq"].as_u64().unwrap();
    for ws in &mut crowd {
        let mut seq = None;
        while seq.is_none_or(|s| s < last) {
            let m = ws.next(Duration::from_secs(10)).await.expect("the board");
            let got = m["seq"].as_u64().expect("a channel message");
            match m["type"].as_str() {
                Some("snapshot") => assert!(got >= base, "{m}"),
                Some("delta") => assert_eq!(Some(got), seq.map(|s| s + 1), "no gap: {m}"),
                _ => panic!("unexpected {m}"),
            }
            seq = Some(got);
        }
        assert_eq!(seq, Some(last));
    }
}
