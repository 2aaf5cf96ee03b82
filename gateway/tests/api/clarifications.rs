//! Clarifications end to end: teams ask, the jury claims and answers privately or to
//! all, announces; each side reads only what it may; bad input and floods are refused.

use super::helpers::spawn_app;
use serde_json::{Value, json};

#[tokio::test]
async fn teams_ask_the_jury_answers_and_each_reads_what_it_may() {
    let app = spawn_app();
    let admin = app.admin().await;
    let hello = app.import(&admin, "hello").await;
    let contest = app.contest(&admin, "clars", &[hello], json!({})).await;
    let path = format!("/api/contests/{contest}/clarifications");
    let (alice, alice_id) = app.register("alice_asks").await;
    let (bob, _) = app.register("bob_asks").await;
    let (carol, _) = app.register("carol_outside").await;
    for t in [&alice, &bob] {
        app.post(
            &format!("/api/contests/{contest}/register"),
            Some(t),
            json!({}),
        )
        .await;
    }
    let ask = |token: &str, body: Value| {
        let (app, path, token) = (&app, path.clone(), token.to_owned());
        async move { app.post(&path, Some(&token), body).await }
    };

    // Asking: a team of the contest, a text, a problem of the contest.
    let (status, q1) = ask(
        &alice,
        json!({"text": "Is **n** ever 0?", "problem_id": hello}),
    )
    .await;
    assert_eq!(status, 201, "{q1}");
    assert_eq!(q1["from_user_id"], alice_id);
    assert!(
        q1["text_html"]
            .as_str()
            .unwrap()
            .contains("<strong>n</strong>"),
        "{q1}"
    );
    let (status, q2) = ask(&bob, json!({"text": "May we use a calculator?"})).await;
    assert_eq!(status, 201, "{q2}");
    for (token, body, code, needle) in [
        (&carol, json!({"text": "hi"}), 403, "register first"),
        (&alice, json!({"text": "   "}), 422, "must not be empty"),
        (
            &alice,
            json!({"text": "x", "problem_id": 999}),
            422,
            "not in contest",
        ),
        (
            &alice,
            json!({"text": "x", "to_all": true}),
            403,
            "for the jury",
        ),
        (
            &alice,
            json!({"text": "x".repeat(4001)}),
            422,
            "at most 4000",
        ),
    ] {
        let (status, e) = ask(token, body).await;
        assert_eq!(status, code, "{e}");
        assert!(
            e["message"].as_str().unwrap().contains(needle),
            "{needle}: {e}"
        );
    }

    // Each team sees its own question only; the public sees none.
    let ids = |v: &Value| -> Vec<i64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect()
    };
    let (_, seen) = app.get(&path, Some(&alice)).await;
    assert_eq!(ids(&seen), vec![q1["id"].as_i64().unwrap()]);
    let (_, seen) = app.get(&path, None).await;
    assert!(ids(&seen).is_empty(), "{seen}");

    // The jury sees the queue, claims, answers privately with a canned answer.
    let (_, queue) = app.get(&path, Some(&admin)).await;
    assert_eq!(ids(&queue).len(), 2);
    assert_eq!(queue[0]["from_username"], "alice_asks");
    let q1_id = q1["id"].as_i64().unwrap();
    let (status, _) = app
        .post(&format!("{path}/{q1_id}/claim"), Some(&admin), json!({}))
        .await;
    assert_eq!(status, 204);
    let (judy, judy_id) = app.register("judy_judge").await;
    let resp = app
        .client
        .patch(format!("{}/api/users/{judy_id}", app.base))
        .bearer_auth(&admin)
        .json(&json!({"role": "jury"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    drop(judy);
    let (_, login) = app
        .post(
            "/api/auth/login",
            None,
            json!({"username": "judy_judge", "password": "correct horse"}),
        )
        .await;
    let judy = login["access_token"].as_str().unwrap().to_owned();
    let (status, e) = app
        .post(&format!("{path}/{q1_id}/claim"), Some(&judy), json!({}))
        .await;
    assert_eq!(status, 409, "{e}");
    let (status, a1) = app
        .post(
            &path,
            Some(&admin),
            json!({"reply_to_id": q1_id, "canned": 2}),
        )
        .await;
    assert_eq!(status, 201, "{a1}");
    assert_eq!(
        (a1["text"].as_str(), a1["to_user_ids"].clone()),
        (Some("Yes."), json!([alice_id]))
    );
    assert_eq!(
        a1["problem_id"], hello,
        "an answer is about the question's problem"
    );

    // The answer to Bob goes to everyone; then an announcement.
    let q2_id = q2["id"].as_i64().unwrap();
    let (status, a2) = app
        .post(
            &path,
            Some(&admin),
            json!({"reply_to_id": q2_id, "text": "No calculators.", "to_all": true}),
        )
        .await;
    assert_eq!(status, 201, "{a2}");
    let (status, news) = app
        .post(
            &path,
            Some(&admin),
            json!({"text": "The contest is extended by 10 minutes."}),
        )
        .await;
    assert_eq!(status, 201, "{news}");
    let (_, seen) = app.get(&path, Some(&alice)).await;
    let want = |v: &[&Value]| {
        v.iter()
            .map(|x| x["id"].as_i64().unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&seen), want(&[&q1, &a1, &a2, &news]));
    let (_, seen) = app.get(&path, Some(&bob)).await;
    assert_eq!(
        ids(&seen),
        want(&[&q2, &a2, &news]),
        "not Alice's question nor its answer"
    );
    let (_, seen) = app.get(&path, None).await;
    assert_eq!(
        ids(&seen),
        want(&[&a2, &news]),
        "the public reads what went to all"
    );
    let (_, queue) = app.get(&path, Some(&admin)).await;
    assert_eq!(queue[0]["answered"], true);
    assert_eq!(
        queue[0]["claimed_by"],
        app.get("/api/me", Some(&admin)).await.1["id"]
    );
    let (_, mine) = app.get(&path, Some(&alice)).await;
    assert!(
        mine[0].get("claimed_by").is_none(),
        "teams do not see who claimed: {mine}"
    );

    // Bad jury input.
    for (body, needle) in [
        (
            json!({"reply_to_id": a1["id"], "text": "x"}),
            "not a question",
        ),
        (json!({"text": "x", "to_user_ids": [9999]}), "not a team"),
        (json!({"canned": 99}), "canned must be"),
    ] {
        let (status, e) = app.post(&path, Some(&admin), body).await;
        assert_eq!(status, 422, "{e}");
        assert!(
            e["message"].as_str().unwrap().contains(needle),
            "{needle}: {e}"
        );
    }

    // A flood of questions is slowed down, with Retry-After.
    for i in 0..2 {
        let (status, e) = ask(&alice, json!({"text": format!("follow-up {i}")})).await;
        assert_eq!(status, 201, "{e}");
    }
    let resp = app
        .client
        .post(format!("{}{path}", app.base))
        .bearer_auth(&alice)
        .json(&json!({"text": "one more"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 429);
    assert!(resp.headers().get("retry-after").is_some());
    let (_, canned) = app.get("/api/clarifications/canned", None).await;
    assert_eq!(canned[2], "Yes.");
}

/// Clarifications arrive live over `/ws`: the jury's queue gets every question, a team
/// its own answers, everyone the announcements; a team cannot follow the jury's queue.
#[tokio::test]
async fn clarifications_arrive_live_where_they_may_be_read() {
    let app = spawn_app();
    let admin = app.admin().await;
    let hello = app.import(&admin, "hello").await;
    let contest = app.contest(&admin, "live-clars", &[hello], json!({})).await;
    let path = format!("/api/contests/{contest}/clarifications");
    let (alice, alice_id) = app.register("alice_live").await;
    let (bob, bob_id) = app.register("bob_live").await;
    for t in [&alice, &bob] {
        app.post(
            &format!("/api/contests/{contest}/register"),
            Some(t),
            json!({}),
        )
        .await;
    }
    let wait = std::time::Duration::from_secs(10);
    let mut jury = app.ws(Some(&admin)).await;
    jury.subscribe(&format!("contest/{contest}/clarifications/jury"), None)
        .await;
    let mut a = app.ws(Some(&alice)).await;
    a.subscribe(&format!("user/{alice_id}/clarifications"), None)
        .await;
    a.subscribe(&format!("contest/{contest}/clarifications"), None)
        .await;
    let mut b = app.ws(Some(&bob)).await;
    b.subscribe(&format!("user/{bob_id}/clarifications"), None)
        .await;
    b.subscribe(&format!("contest/{contest}/clarifications"), None)
        .await;
    b.subscribe(&format!("contest/{contest}/clarifications/jury"), None)
        .await;
    for ws in [&mut jury, &mut a] {
        ws.until(wait, |m| m["type"] == "snapshot").await;
    }
    let refused = b.until(wait, |m| m["type"] == "error").await;
    assert_eq!(refused.last().unwrap()["code"], 403, "{refused:?}");

    let (_, q) = app
        .post(&path, Some(&alice), json!({"text": "Is the input sorted?"}))
        .await;
    let got = jury.until(wait, |m| m["type"] == "clarification").await;
    assert_eq!(got.last().unwrap()["data"]["id"], q["id"]);
    let got = a.until(wait, |m| m["type"] == "clarification").await;
    assert_eq!(got.last().unwrap()["data"]["text"], "Is the input sorted?");

    let (_, answer) = app
        .post(
            &path,
            Some(&admin),
            json!({"reply_to_id": q["id"], "text": "No."}),
        )
        .await;
    let got = a.until(wait, |m| m["type"] == "clarification").await;
    let m = got.last().unwrap();
    assert_eq!(m["channel"], format!("user/{alice_id}/clarifications"));
    assert_eq!(m["data"]["id"], answer["id"]);

    let (_, news) = app
        .post(&path, Some(&admin), json!({"text": "Problem A: n ≥ 1."}))
        .await;
    for ws in [&mut a, &mut b] {
        let got = ws.until(wait, |m| m["type"] == "clarification").await;
        let m = got.last().unwrap();
        assert_eq!(m["channel"], format!("contest/{contest}/clarifications"));
        assert_eq!(
            m["data"]["id"], news["id"],
            "Bob never saw Alice's answer: {got:?}"
        );
    }
    // A late subscriber gets what it may read as the snapshot.
    let mut late = app.ws(Some(&bob)).await;
    late.subscribe(&format!("contest/{contest}/clarifications"), None)
        .await;
    let snap = late.until(wait, |m| m["type"] == "snapshot").await;
    let list = &snap.last().unwrap()["data"]["clarifications"];
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list[0]["id"], news["id"]);
}

#[tokio::test]
async fn judges_keep_notes_on_a_clarification_that_teams_never_see() {
    let app = spawn_app();
    let admin = app.admin().await;
    let hello = app.import(&admin, "hello").await;
    let contest = app.contest(&admin, "notes", &[hello], json!({})).await;
    let path = format!("/api/contests/{contest}/clarifications");
    let (team, _) = app.register("nora_notes").await;
    app.post(
        &format!("/api/contests/{contest}/register"),
        Some(&team),
        json!({}),
    )
    .await;
    let (_, q) = app
        .post(&path, Some(&team), json!({"text": "Is 0 allowed?"}))
        .await;
    let qid = q["id"].as_i64().unwrap();
    let notes = format!("{path}/{qid}/notes");
    let (status, v) = app
        .post(
            &notes,
            Some(&admin),
            json!({"text": "Ask the problem setter"}),
        )
        .await;
    assert_eq!(status, 201, "{v}");
    assert_eq!(v["jury_notes"][0]["text"], "Ask the problem setter");
    assert_eq!(v["jury_notes"][0]["by"], "admin");
    app.post(
        &notes,
        Some(&admin),
        json!({"text": "Setter: yes, 0 is allowed"}),
    )
    .await;
    let (_, jury) = app.get(&path, Some(&admin)).await;
    assert_eq!(jury[0]["jury_notes"].as_array().unwrap().len(), 2, "{jury}");
    let (_, mine) = app.get(&path, Some(&team)).await;
    assert!(mine[0].get("jury_notes").is_none(), "{mine}");
    for (token, body, code) in [
        (Some(team.as_str()), json!({"text": "x"}), 403),
        (Some(admin.as_str()), json!({"text": "  "}), 422),
        (None, json!({"text": "x"}), 401),
    ] {
        let (status, e) = app.post(&notes, token, body).await;
        assert_eq!(status, code, "{e}");
    }
    let (status, _) = app
        .post(
            &format!("{path}/99999/notes"),
            Some(&admin),
            json!({"text": "x"}),
        )
        .await;
    assert_eq!(status, 404);
}
