//! Contests and problems: admin operations, roles, validation, OpenAPI.

use super::helpers::{copy_package, now_ms, problems_dir, spawn_app, zip_dir};
use serde_json::json;

#[tokio::test]
async fn admin_creates_updates_and_lists_contests_others_cannot() {
    let app = spawn_app();
    let admin = app.admin().await;
    let (contestant, _) = app.register("eve").await;
    let hello = app.import(&admin, "hello").await;

    let id = app
        .contest(&admin, "spring", &[hello], json!({"kind": "ioi"}))
        .await;
    let (status, c) = app.get(&format!("/api/contests/{id}"), None).await;
    assert_eq!(status, 200);
    assert_eq!(
        (c["kind"].as_str(), c["state"].as_str()),
        (Some("ioi"), Some("running"))
    );

    let patch = json!({"name": "Spring Cup", "freeze_at": now_ms() - 1000});
    let (status, c) = app
        .request(
            reqwest::Method::PATCH,
            &format!("/api/contests/{id}"),
            Some(&admin),
            Some(patch.clone()),
        )
        .await;
    assert_eq!(status, 200, "{c}");
    assert_eq!(
        (c["name"].as_str(), c["state"].as_str()),
        (Some("Spring Cup"), Some("frozen"))
    );
    let (status, _) = app
        .request(
            reqwest::Method::PATCH,
            &format!("/api/contests/{id}"),
            Some(&contestant),
            Some(patch),
        )
        .await;
    assert_eq!(status, 403);

    let (status, list) = app.get("/api/contests", None).await;
    assert_eq!(status, 200);
    assert!(list.as_array().unwrap().iter().any(|c| c["id"] == id));

    let body = json!({"slug": "x", "name": "X", "start_at": now_ms(), "end_at": now_ms() + 1000, "problems": []});
    let (status, resp) = app.post("/api/contests", Some(&contestant), body).await;
    assert_eq!(
        (status, resp["message"].as_str()),
        (403, Some("this needs the admin role"))
    );
}

#[tokio::test]
async fn invalid_contests_and_paths_are_rejected_with_reasons() {
    let app = spawn_app();
    let admin = app.admin().await;
    let now = now_ms();
    let cases = [
        (
            json!({"slug": "a", "name": "A", "start_at": now, "end_at": now - 1, "problems": []}),
            422,
            "end_at must be after start_at",
        ),
        (
            json!({"slug": "a", "name": "A", "start_at": now, "end_at": now + 10, "problems": [{"problem_id": 999, "label": "A"}]}),
            422,
            "unknown problem 999",
        ),
        (
            json!({"slug": "a", "name": "A", "kind": "chess", "start_at": now, "end_at": now + 10, "problems": []}),
            422,
            "unknown contest kind",
        ),
        (
            json!({"slug": "a b", "name": "A", "start_at": now, "end_at": now + 10, "problems": []}),
            422,
            "slug",
        ),
        (
            json!({"slug": "a", "name": "A", "start_at": now, "end_at": now + 10, "freeze_at": now + 20, "problems": []}),
            422,
            "freeze_at",
        ),
        (
            json!({"slug": "a", "name": "A", "start_at": now, "end_at": now + 10, "bogus": 1, "problems": []}),
            422,
            "bogus",
        ),
        (
            json!({"slug": "a", "name": "A", "start_at": now}),
            422,
            "end_at",
        ),
        (
            json!({"slug": "demo", "name": "A", "start_at": now, "end_at": now + 10, "problems": []}),
            409,
            "demo",
        ),
    ];
    for (body, status, needle) in cases {
        let (got, resp) = app.post("/api/contests", Some(&admin), body.clone()).await;
        assert_eq!(got, status, "{body} → {resp}");
        assert_eq!(resp["code"], status);
        assert!(
            resp["message"].as_str().unwrap().contains(needle),
            "{body} → {resp}"
        );
    }
    let (status, resp) = app.get("/api/contests/abc", None).await;
    assert_eq!(status, 400, "{resp}");
    let (status, resp) = app.get("/api/contests/424242", None).await;
    assert_eq!(
        (status, resp["message"].as_str()),
        (404, Some("unknown contest 424242"))
    );
    let (status, resp) = app.get("/api/nothing-here", None).await;
    assert_eq!((status, resp["code"].as_i64()), (404, Some(404)));
}

#[tokio::test]
async fn problem_import_validates_packages_and_hides_test_data() {
    let app = spawn_app();
    let admin = app.admin().await;
    let post_zip = |bytes: Vec<u8>, token: String| {
        let client = app.client.clone();
        let url = format!("{}/api/problems?slug=broken", app.base);
        async move {
            let r = client
                .post(url)
                .bearer_auth(token)
                .header("content-type", "application/zip")
                .body(bytes)
                .send()
                .await
                .unwrap();
            (
                r.status().as_u16(),
                r.json::<serde_json::Value>().await.unwrap(),
            )
        }
    };
    let (status, resp) = post_zip(b"not a zip".to_vec(), admin.clone()).await;
    assert_eq!(status, 422, "{resp}");
    assert!(
        resp["message"]
            .as_str()
            .unwrap()
            .contains("not a valid zip")
    );
    // A package whose test lacks its answer file: the error names the file.
    let tmp = tempfile::tempdir().unwrap();
    let copy = copy_package(tmp.path(), "hello", "hello");
    std::fs::remove_file(copy.join("data/secret/1.ans")).unwrap();
    let (status, resp) = post_zip(zip_dir(&copy), admin.clone()).await;
    assert_eq!(status, 422);
    let msg = resp["message"].as_str().unwrap();
    assert!(
        msg.contains("data/secret/1.in") && msg.contains("1.ans"),
        "{msg}"
    );
    let (contestant, _) = app.register("mallory").await;
    let (status, _) = post_zip(zip_dir(&problems_dir().join("hello")), contestant).await;
    assert_eq!(status, 403);

    let id = app.import(&admin, "floats").await;
    let (status, p) = app.get(&format!("/api/problems/{id}"), None).await;
    assert_eq!(status, 200);
    assert!(p["statement"].as_str().unwrap().len() > 10);
    let samples = p["samples"].as_array().unwrap();
    assert_eq!(samples.len(), 2, "only samples are shown");
    let text = p.to_string();
    let secret = std::fs::read_to_string(problems_dir().join("floats/data/secret/01.ans")).unwrap();
    assert!(
        !text.contains(secret.trim())
            || samples
                .iter()
                .any(|s| s["output"].as_str().unwrap().contains(secret.trim()))
    );
}

#[tokio::test]
async fn a_package_without_a_time_limit_is_imported_with_the_computed_one() {
    let app = spawn_app();
    let admin = app.admin().await;
    let untimed = problems_dir().join("../verify-problems/untimed");

    let id = app.import_dir(&admin, &untimed, "untimed").await;

    let (status, p) = app.get(&format!("/api/problems/{id}"), None).await;
    assert_eq!(status, 200);
    // Its slowest accepted submission spends about 0.2 s: × 2, in steps of 0.25 s.
    let ms = p["time_limit_ms"].as_i64().unwrap();
    assert!(ms % 250 == 0 && (400..1000).contains(&ms), "{p}");
}

#[tokio::test]
async fn openapi_document_describes_the_api() {
    let app = spawn_app();
    let (status, doc) = app.get("/api/openapi.json", None).await;
    assert_eq!(status, 200);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/auth/register",
        "/api/auth/login",
        "/api/contests",
        "/api/contests/{id}/scoreboard",
        "/api/submissions",
        "/api/problems",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing");
    }
    assert!(doc["components"]["schemas"].get("ErrorBody").is_some());
}

/// A contest's verdict policy reaches its judging: output past the limit is WA in a
/// contest that says so, OLE in practice (the judge's own policy); a policy out of range
/// is refused by name.
#[tokio::test]
async fn a_contests_verdict_policy_decides_its_verdicts() {
    let app = spawn_app();
    let admin = app.admin().await;
    let hello = app.import(&admin, "hello").await;
    let policy = json!({"output_overflow": "wrong_answer", "wall_time_factor": 3});
    let contest = app
        .contest(
            &admin,
            "policy",
            &[hello],
            json!({"verdict_policy": policy}),
        )
        .await;
    let (_, view) = app.get(&format!("/api/contests/{contest}"), None).await;
    assert_eq!(
        view["verdict_policy"]["output_overflow"], "wrong_answer",
        "{view}"
    );
    assert_eq!(view["verdict_policy"]["wall_time_factor"], 3, "{view}");
    let (token, _) = app.register("flooder").await;
    app.post(
        &format!("/api/contests/{contest}/register"),
        Some(&token),
        json!({}),
    )
    .await;
    let flood = "import sys\nwhile True:\n    sys.stdout.write('x' * 65536)\n";
    let (status, s) = app
        .submit(&token, Some(contest), hello, "flood.py", flood)
        .await;
    assert_eq!(status, 202, "{s}");
    let in_contest = app.wait_judged(&token, s["id"].as_i64().unwrap()).await;
    assert_eq!(in_contest["verdict"], "WA", "{in_contest}");
    let (status, s) = app.submit(&token, None, hello, "flood.py", flood).await;
    assert_eq!(status, 202, "{s}");
    let practice = app.wait_judged(&token, s["id"].as_i64().unwrap()).await;
    assert_eq!(practice["verdict"], "OLE", "{practice}");

    // Out of range, or unknown knobs: refused, the contest unchanged.
    for (body, needle) in [
        (
            json!({"verdict_policy": {"wall_time_factor": 0}}),
            "wall_time_factor",
        ),
        (json!({"verdict_policy": {"walltime": 3}}), "walltime"),
    ] {
        let resp = app
            .client
            .patch(format!("{}/api/contests/{contest}", app.base))
            .bearer_auth(&admin)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 422);
        let err: serde_json::Value = resp.json().await.unwrap();
        assert!(err["message"].as_str().unwrap().contains(needle), "{err}");
    }
    let resp = app
        .client
        .patch(format!("{}/api/contests/{contest}", app.base))
        .bearer_auth(&admin)
        .json(&json!({"verdict_policy": null}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let view: serde_json::Value = resp.json().await.unwrap();
    assert!(view.get("verdict_policy").is_none(), "{view}");
}

#[tokio::test]
async fn the_jury_delivers_a_balloon_per_first_solve() {
    let app = spawn_app();
    let admin = app.admin().await;
    let hello = app.import(&admin, "hello").await;
    let contest = app.contest(&admin, "balloons", &[hello], json!({})).await;
    let dir = super::helpers::problems_dir().join("hello/submissions");
    let ac = std::fs::read_to_string(dir.join("accepted/hello.py")).unwrap();
    let wa = std::fs::read_to_string(dir.join("wrong_answer/no_bang.py")).unwrap();
    let mut accepted = Vec::new();
    for (name, sources) in [("ann_b", vec![&ac, &ac]), ("ben_b", vec![&wa, &ac])] {
        let (token, _) = app.register(name).await;
        app.post(
            &format!("/api/contests/{contest}/register"),
            Some(&token),
            json!({}),
        )
        .await;
        for src in sources {
            let (status, s) = app.submit(&token, Some(contest), hello, "a.py", src).await;
            assert_eq!(status, 202, "{s}");
            let id = s["id"].as_i64().unwrap();
            if app.wait_judged(&token, id).await["verdict"] == "AC" {
                accepted.push((name, id, token.clone()));
            }
        }
    }
    let path = format!("/api/contests/{contest}/balloons");
    let (status, list) = app.get(&path, Some(&admin)).await;
    assert_eq!(status, 200, "{list}");
    let list = list.as_array().unwrap();
    // One balloon per team and problem: ann's second AC earns none.
    assert_eq!(list.len(), 2, "{list:?}");
    assert_eq!(
        (
            list[0]["team"].as_str(),
            list[0]["label"].as_str(),
            list[0]["first_to_solve"].as_bool()
        ),
        (Some("ann_b"), Some("A"), Some(true))
    );
    assert_eq!(
        (
            list[1]["team"].as_str(),
            list[1]["first_to_solve"].as_bool()
        ),
        (Some("ben_b"), Some(false))
    );
    assert!(list.iter().all(|b| b["done"] == false));
    let (status, _) = app.get(&path, Some(&accepted[0].2)).await;
    assert_eq!(status, 403, "teams do not see the balloon queue");

    let first = list[0]["submission_id"].as_i64().unwrap();
    let (status, b) = app
        .post(
            &format!("{path}/{first}"),
            Some(&admin),
            json!({"done": true}),
        )
        .await;
    assert_eq!((status, b["done"].as_bool()), (200, Some(true)), "{b}");
    let (_, after) = app.get(&path, Some(&admin)).await;
    assert_eq!(after[0]["done"], true);
    assert_eq!(after[1]["done"], false);
    let (status, b) = app
        .post(
            &format!("{path}/{first}"),
            Some(&admin),
            json!({"done": false}),
        )
        .await;
    assert_eq!((status, b["done"].as_bool()), (200, Some(false)), "{b}");
    let second_ac_of_ann = accepted[1].1;
    let (status, e) = app
        .post(
            &format!("{path}/{second_ac_of_ann}"),
            Some(&admin),
            json!({"done": true}),
        )
        .await;
    assert_eq!(status, 404, "{e}");
}
