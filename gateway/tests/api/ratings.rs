//! Ratings and virtual contests through the API: finalising a rated contest (refusals,
//! idempotence, history and profiles), and a virtual participant's clock and ghost rows.

use crate::helpers::*;
use serde_json::{Value, json};

const HELLO_PY: &str = "print('Hello World!')\n";
const WRONG_PY: &str = "print('no')\n";

/// Registers `token` in `contest` and submits `code`; waits for the verdict.
async fn take_part(app: &TestApp, token: &str, contest: i64, problem: i64, code: &str) -> Value {
    let (status, v) = app
        .post(
            &format!("/api/contests/{contest}/register"),
            Some(token),
            json!({}),
        )
        .await;
    assert_eq!(status, 204, "{v}");
    let (status, s) = app
        .submit(token, Some(contest), problem, "a.py", code)
        .await;
    assert_eq!(status, 202, "{s}");
    app.wait_judged(token, s["id"].as_i64().unwrap()).await
}

async fn end_now(app: &TestApp, admin: &str, contest: i64) {
    let (status, v) = app
        .request(
            reqwest::Method::PATCH,
            &format!("/api/contests/{contest}"),
            Some(admin),
            Some(json!({"end_at": now_ms() - 1})),
        )
        .await;
    assert_eq!(status, 200, "{v}");
}

#[tokio::test]
async fn finalising_a_rated_contest_rates_its_contestants_once_and_for_all() {
    let app = spawn_app();
    let admin = app.admin().await;
    let hello = app.import(&admin, "hello").await;
    let contest = app.contest(&admin, "rated1", &[hello], json!({})).await;
    let ratings = format!("/api/contests/{contest}/ratings");
    let (ann, ann_id) = app.register("ann").await;
    let (ben, ben_id) = app.register("ben").await;
    take_part(&app, &ann, contest, hello, HELLO_PY).await;
    take_part(&app, &ben, contest, hello, WRONG_PY).await;

    // Not rated, then not ended: refused with the reason; contestants cannot finalise.
    let (status, e) = app.post(&ratings, Some(&admin), json!({})).await;
    assert_eq!((status, e["code"].as_i64()), (409, Some(409)), "{e}");
    assert!(e["message"].as_str().unwrap().contains("not rated"), "{e}");
    let (status, v) = app
        .request(
            reqwest::Method::PATCH,
            &format!("/api/contests/{contest}"),
            Some(&admin),
            Some(json!({"rated": true})),
        )
        .await;
    assert_eq!((status, &v["rated"]), (200, &json!(true)), "{v}");
    let (status, e) = app.post(&ratings, Some(&admin), json!({})).await;
    assert_eq!(status, 409, "{e}");
    assert!(e["message"].as_str().unwrap().contains("not ended"), "{e}");
    end_now(&app, &admin, contest).await;
    let (status, _) = app.post(&ratings, Some(&ann), json!({})).await;
    assert_eq!(status, 403);
    let (_, before) = app.get(&ratings, None).await;
    assert_eq!(
        (&before["rated"], &before["finalized"], &before["changes"]),
        (&json!(true), &json!(false), &json!([]))
    );

    // Finalised: two new players, the winner up by the hand-checked 116, the loser down.
    let (status, v) = app.post(&ratings, Some(&admin), json!({})).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["finalized"], json!(true));
    let changes = v["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 2, "{v}");
    assert_eq!(
        (
            &changes[0]["username"],
            &changes[0]["place"],
            &changes[0]["rating"]
        ),
        (&json!("ann"), &json!(1), &json!(1616))
    );
    assert_eq!(
        (
            &changes[0]["delta"],
            &changes[0]["previous"],
            &changes[0]["performance"]
        ),
        (&json!(116), &Value::Null, &json!(1654))
    );
    assert_eq!(
        (
            &changes[1]["username"],
            &changes[1]["rating"],
            &changes[1]["delta"]
        ),
        (&json!("ben"), &json!(1384), &json!(-116))
    );

    // Idempotent: finalising again changes nothing.
    let (status, again) = app.post(&ratings, Some(&admin), json!({})).await;
    assert_eq!((status, &again), (200, &v));

    // A second rated contest builds on the first: ben wins it this time.
    let second = app
        .contest(&admin, "rated2", &[hello], json!({"rated": true}))
        .await;
    take_part(&app, &ann, second, hello, WRONG_PY).await;
    take_part(&app, &ben, second, hello, HELLO_PY).await;
    end_now(&app, &admin, second).await;
    let (status, v2) = app
        .post(
            &format!("/api/contests/{second}/ratings"),
            Some(&admin),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{v2}");
    let ben_change = &v2["changes"][0];
    assert_eq!(
        (&ben_change["username"], &ben_change["previous"]),
        (&json!("ben"), &json!(1384))
    );
    let ben_now = ben_change["rating"].as_i64().unwrap();
    assert!(ben_now > 1384, "{v2}");

    // Profiles carry the rating and its history; /api/ratings lists everyone.
    let (_, p) = app.get(&format!("/api/users/{ben_id}/profile"), None).await;
    assert_eq!(p["rating"], json!(ben_now));
    let history: Vec<i64> = p["ratings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rating"].as_i64().unwrap())
        .collect();
    assert_eq!(history, vec![1384, ben_now]);
    let (_, all) = app.get("/api/ratings", None).await;
    let ids: Vec<i64> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["user_id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 2, "{all}");
    assert!(ids.contains(&ann_id) && ids.contains(&ben_id));

    // Unrating the first contest recomputes: ben's second contest is now his first.
    let (status, _) = app
        .request(
            reqwest::Method::PATCH,
            &format!("/api/contests/{contest}"),
            Some(&admin),
            Some(json!({"rated": false})),
        )
        .await;
    assert_eq!(status, 200);
    let (_, p) = app.get(&format!("/api/users/{ben_id}/profile"), None).await;
    assert_eq!(p["ratings"].as_array().unwrap().len(), 1, "{p}");
    assert_eq!(p["rating"], json!(1616), "{p}");
    let (_, first) = app.get(&ratings, None).await;
    assert_eq!(
        (&first["rated"], &first["changes"]),
        (&json!(false), &json!([]))
    );
}

#[tokio::test]
async fn a_virtual_participant_races_the_ghosts_of_the_original_teams() {
    let app = spawn_app();
    let admin = app.admin().await;
    let hello = app.import(&admin, "hello").await;
    // Started 8 s ago, so the original solutions come about 8 s into it.
    let contest = app
        .contest(
            &admin,
            "past",
            &[hello],
            json!({"start_at": now_ms() - 8_000}),
        )
        .await;
    let path = format!("/api/contests/{contest}/virtual");
    let (ann, ann_id) = app.register("ann").await;
    let (ben, ben_id) = app.register("ben").await;
    let (vic, vic_id) = app.register("vic").await;

    // Refused while the contest runs.
    let (status, e) = app.post(&path, Some(&vic), json!({})).await;
    assert_eq!(status, 409, "{e}");
    assert!(e["message"].as_str().unwrap().contains("not ended"), "{e}");

    // ann solves first, ben a little later.
    let (_, c) = app.get(&format!("/api/contests/{contest}"), None).await;
    let start_at = c["start_at"].as_i64().unwrap();
    let a = take_part(&app, &ann, contest, hello, HELLO_PY).await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let b = take_part(&app, &ben, contest, hello, HELLO_PY).await;
    let at_of = |s: &Value| s["submitted_at"].as_i64().unwrap() - start_at;
    let (ann_at, ben_at) = (at_of(&a), at_of(&b));
    end_now(&app, &admin, contest).await;

    // Those who took part cannot; vic can, once.
    let (status, e) = app.post(&path, Some(&ann), json!({})).await;
    assert_eq!(status, 409, "{e}");
    let (status, v) = app.get(&path, Some(&vic)).await;
    assert_eq!(status, 404, "{v}");
    let (status, v) = app.post(&path, Some(&vic), json!({})).await;
    assert_eq!(status, 201, "{v}");
    assert_eq!(
        (v["user_id"].as_i64(), &v["finished"]),
        (Some(vic_id), &json!(false))
    );
    let (status, e) = app.post(&path, Some(&vic), json!({})).await;
    assert_eq!(status, 409, "{e}");
    assert!(e["message"].as_str().unwrap().contains("already"), "{e}");

    // vic solves at once, as a practice submission.
    let (status, s) = app.submit(&vic, None, hello, "a.py", HELLO_PY).await;
    assert_eq!(status, 202, "{s}");
    app.wait_judged(&vic, s["id"].as_i64().unwrap()).await;

    let solved = |v: &Value, team: i64| -> (i64, i64) {
        let row = v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["team"] == json!(team))
            .unwrap_or_else(|| panic!("no row of {team}: {v}"));
        (
            row["solved"].as_i64().unwrap(),
            row["rank"].as_i64().unwrap(),
        )
    };
    // When vic solved, moments into his clock, the ghosts had not solved anything yet (read
    // at that time, not "now": judging may take longer than the ghosts' head start).
    let vic_at = s["submitted_at"].as_i64().unwrap() - v["started_at"].as_i64().unwrap();
    assert!(vic_at < ann_at, "{vic_at} vs {ann_at}");
    let (status, then) = app.get(&format!("{path}?at={vic_at}"), Some(&vic)).await;
    assert_eq!(status, 200, "{then}");
    assert_eq!(solved(&then, vic_id), (1, 1), "{then}");
    assert_eq!(solved(&then, ann_id).0, 0, "{then}");
    assert_eq!(solved(&then, ben_id).0, 0, "{then}");
    let names: Vec<&str> = then["teams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"vic") && names.contains(&"ann"), "{then}");

    // Never ahead of vic's clock; back in time vic had not solved yet.
    let (status, now) = app.get(&path, Some(&vic)).await;
    assert_eq!(status, 200, "{now}");
    let ahead = now["elapsed_ms"].as_i64().unwrap() + 60_000;
    let (status, e) = app.get(&format!("{path}?at={ahead}"), Some(&vic)).await;
    assert_eq!((status, e["code"].as_i64()), (422, Some(422)), "{e}");
    let (status, zero) = app.get(&format!("{path}?at=0"), Some(&vic)).await;
    assert_eq!(status, 200, "{zero}");
    assert_eq!(solved(&zero, vic_id).0, 0, "{zero}");

    // The ghosts move as vic's clock passes their times.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let later = loop {
        let (_, v) = app.get(&path, Some(&vic)).await;
        if v["elapsed_ms"].as_i64().unwrap() > ben_at {
            break v;
        }
        assert!(std::time::Instant::now() < deadline, "{v}");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert_eq!(solved(&later, ann_id).0, 1, "{later}");
    assert_eq!(solved(&later, ben_id).0, 1, "{later}");
    let at = |t: i64| {
        let (app, vic, path) = (&app, &vic, &path);
        async move {
            let (status, v) = app.get(&format!("{path}?at={t}"), Some(vic)).await;
            assert_eq!(status, 200, "{v}");
            v
        }
    };
    let before_ann = at(ann_at - 1).await;
    assert_eq!(
        (solved(&before_ann, ann_id).0, solved(&before_ann, ben_id).0),
        (0, 0)
    );
    let after_ann = at(ann_at).await;
    assert_eq!(
        (solved(&after_ann, ann_id).0, solved(&after_ann, ben_id).0),
        (1, 0)
    );
    assert_eq!(solved(&after_ann, ben_id).1, 3, "ben last: {after_ann}");

    // vic's profile lists the contest as taken virtually.
    let (_, p) = app.get(&format!("/api/users/{vic_id}/profile"), None).await;
    assert_eq!(
        p["contests"],
        json!([{"contest_id": contest, "name": "Contest past", "virtual": true}])
    );
}
