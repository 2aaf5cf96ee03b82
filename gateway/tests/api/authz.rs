//! Authorization, route by route and role by role: for each route the status every kind
//! of caller gets (anonymous, the contestant who owns the object, another contestant, a
//! judge, an administrator). No contestant reads another's code or a jury channel; the
//! security headers are on every answer.

use super::helpers::{TestApp, problems_dir, spawn_app};
use serde_json::{Value, json};

/// Whether a concrete path fits an OpenAPI path template (`{name}` matches one
/// non-empty segment).
fn fits(template: &str, path: &str) -> bool {
    let (t, p): (Vec<_>, Vec<_>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len()
        && t.iter().zip(&p).all(|(t, p)| {
            if t.starts_with('{') {
                !p.is_empty()
            } else {
                t == p
            }
        })
}

/// The callers of the table.
struct Callers {
    owner: String,
    other: String,
    jury: String,
    admin: String,
}

async fn status(
    app: &TestApp,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> u16 {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    app.request(method, path, token, body).await.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_answers_each_role_as_the_table_says() {
    let app = spawn_app();
    let admin = app.admin().await;
    let hello = app.import(&admin, "hello").await;
    let contest = app
        .contest(
            &admin,
            "authz",
            &[hello],
            json!({"freeze_at": super::helpers::now_ms() - 1000}),
        )
        .await;
    let (owner, owner_id) = app.register("owner_az").await;
    let (other, _) = app.register("other_az").await;
    let (jury, jury_id) = app.register("judge_az").await;
    let (status_code, _) = app
        .request(
            reqwest::Method::PATCH,
            &format!("/api/users/{jury_id}"),
            Some(&admin),
            Some(json!({"role": "jury"})),
        )
        .await;
    assert_eq!(status_code, 200);
    // A fresh token carries the new role.
    let (_, session) = app
        .post(
            "/api/auth/login",
            None,
            json!({"username": "judge_az", "password": "correct horse"}),
        )
        .await;
    let jury = session["access_token"]
        .as_str()
        .map(str::to_owned)
        .unwrap_or(jury);
    for t in [&owner, &other] {
        app.post(
            &format!("/api/contests/{contest}/register"),
            Some(t),
            json!({}),
        )
        .await;
    }
    let source =
        std::fs::read_to_string(problems_dir().join("hello/submissions/accepted/hello.py"))
            .unwrap();
    let (_, s) = app
        .submit(&owner, Some(contest), hello, "hello.py", &source)
        .await;
    let sid = s["id"].as_i64().unwrap();
    app.wait_judged(&owner, sid).await;
    // Rejudged by the table: a submission of its own, so `sid` stays judged (AC) for the
    // rows after it (a balloon is only for a judged AC).
    let (submitted, s) = app
        .submit(&owner, Some(contest), hello, "hello.py", &source)
        .await;
    assert_eq!(submitted, 202, "{s}");
    let rejudged = s["id"].as_i64().unwrap();
    app.wait_judged(&owner, rejudged).await;
    let (_, q) = app
        .post(
            &format!("/api/contests/{contest}/clarifications"),
            Some(&owner),
            json!({"text": "Q?"}),
        )
        .await;
    let qid = q["id"].as_i64().unwrap();
    let c = Callers {
        owner,
        other,
        jury,
        admin,
    };

    // (method, path, body, [anonymous, owner, other contestant, jury, admin])
    let c_ = contest;
    let table: Vec<(&str, String, Option<Value>, [u16; 5])> = vec![
        (
            "GET",
            "/api/contests".into(),
            None,
            [200, 200, 200, 200, 200],
        ),
        (
            "POST",
            "/api/contests".into(),
            Some(json!({"slug": "x", "name": "X", "start_at": 0, "end_at": 1, "problems": []})),
            [401, 403, 403, 403, 201],
        ),
        (
            "PATCH",
            format!("/api/contests/{c_}"),
            Some(json!({"name": "Renamed"})),
            [401, 403, 403, 403, 200],
        ),
        (
            "GET",
            format!("/api/contests/{c_}/scoreboard"),
            None,
            [200, 200, 200, 200, 200],
        ),
        (
            "GET",
            format!("/api/contests/{c_}/scoreboard?view=jury"),
            None,
            [401, 403, 403, 200, 200],
        ),
        (
            "GET",
            format!("/api/submissions/{sid}"),
            None,
            [401, 200, 404, 200, 200],
        ),
        (
            "POST",
            format!("/api/submissions/{rejudged}/rejudge"),
            None,
            [401, 403, 403, 202, 202],
        ),
        (
            "GET",
            format!("/api/contests/{c_}/clarifications/{qid}/notes"),
            None,
            [405, 405, 405, 405, 405],
        ),
        (
            "POST",
            format!("/api/contests/{c_}/clarifications/{qid}/claim"),
            None,
            // The judge holds it: another judge (the admin) is told so.
            [401, 403, 403, 204, 409],
        ),
        (
            "POST",
            format!("/api/contests/{c_}/clarifications/{qid}/notes"),
            Some(json!({"text": "n"})),
            [401, 403, 403, 201, 201],
        ),
        (
            "GET",
            format!("/api/contests/{c_}/balloons"),
            None,
            [401, 403, 403, 200, 200],
        ),
        (
            "PUT",
            format!("/api/contests/{c_}/medals"),
            Some(json!({"gold": 1, "silver": 1, "bronze": 1})),
            [401, 403, 403, 200, 200],
        ),
        (
            "POST",
            format!("/api/contests/{c_}/resolver"),
            Some(json!({"step": 0, "revealed": []})),
            [401, 403, 403, 204, 204],
        ),
        (
            "POST",
            format!("/api/contests/{c_}/unfreeze"),
            None,
            [401, 403, 403, 204, 204],
        ),
        (
            "POST",
            format!("/api/contests/{c_}/inject"),
            Some(json!({"team": 1, "problem": 0, "verdict": "AC", "at_ms": 60_000})),
            [401, 403, 403, 403, 202],
        ),
        (
            "PATCH",
            "/api/users/1".into(),
            Some(json!({"role": "admin"})),
            [401, 403, 403, 403, 200],
        ),
        ("GET", "/api/queue".into(), None, [401, 403, 403, 200, 200]),
        ("GET", "/api/users".into(), None, [401, 403, 403, 403, 200]),
        (
            "GET",
            format!("/api/contests/{c_}/sso"),
            None,
            [200, 200, 200, 200, 200],
        ),
        (
            "PUT",
            format!("/api/contests/{c_}/sso"),
            Some(json!({"provider": null})),
            [401, 403, 403, 403, 200],
        ),
        ("GET", "/api/audit".into(), None, [401, 403, 403, 403, 200]),
        (
            "GET",
            format!("/api/users/{owner_id}/profile"),
            None,
            [200, 200, 200, 200, 200],
        ),
        (
            "GET",
            "/api/archive".into(),
            None,
            [200, 200, 200, 200, 200],
        ),
        (
            "PATCH",
            format!("/api/problems/{hello}"),
            Some(json!({"difficulty": 3})),
            [401, 403, 403, 200, 200],
        ),
        (
            "PUT",
            format!("/api/problems/{hello}/editorial"),
            Some(json!({"editorial": "E", "hints": ["h"]})),
            [401, 403, 403, 200, 200],
        ),
        // The contestants take part in the running contest that holds the problem.
        (
            "GET",
            format!("/api/problems/{hello}/editorial"),
            None,
            [401, 403, 403, 200, 200],
        ),
        (
            "POST",
            format!("/api/problems/{hello}/editorial/open"),
            None,
            [401, 403, 403, 200, 200],
        ),
        (
            "POST",
            format!("/api/problems/{hello}/hints/next"),
            None,
            [401, 403, 403, 200, 200],
        ),
        (
            "POST",
            "/api/runs".into(),
            Some(json!({"problem_id": hello, "language": "python3",
                "files": [{"name": "a.py", "contents": "print(1)"}], "input": {"stdin": ""}})),
            [401, 403, 403, 200, 200],
        ),
        ("GET", format!("/api/contests/{c_}/ratings"), None, [200; 5]),
        (
            // Only admins finalise; this contest is not rated (and still runs).
            "POST",
            format!("/api/contests/{c_}/ratings"),
            None,
            [401, 403, 403, 403, 409],
        ),
        ("GET", "/api/ratings".into(), None, [200; 5]),
        (
            // Virtual participation waits for the end.
            "POST",
            format!("/api/contests/{c_}/virtual"),
            None,
            [401, 409, 409, 409, 409],
        ),
        (
            "GET",
            format!("/api/contests/{c_}/virtual"),
            None,
            [401, 404, 404, 404, 404],
        ),
        (
            "PATCH",
            format!("/api/users/{owner_id}/profile"),
            Some(json!({"bio": "hi"})),
            [401, 200, 403, 403, 200],
        ),
        (
            "GET",
            format!("/api/users/{owner_id}/avatar"),
            None,
            [404, 404, 404, 404, 404],
        ),
        (
            "POST",
            format!("/api/users/{jury_id}/reset-password"),
            None,
            [401, 403, 403, 403, 200],
        ),
        (
            "DELETE",
            "/api/me".into(),
            Some(json!({"confirm_username": "nobody"})),
            [401, 422, 422, 422, 422],
        ),
        (
            "GET",
            "/api/auth/providers".into(),
            None,
            [200, 200, 200, 200, 200],
        ),
        (
            "GET",
            "/api/me/identities".into(),
            None,
            [401, 200, 200, 200, 200],
        ),
        (
            // No provider is configured on this server.
            "POST",
            "/api/me/identities/uni".into(),
            None,
            [401, 404, 404, 404, 404],
        ),
        (
            "DELETE",
            "/api/me/identities/uni".into(),
            None,
            [401, 404, 404, 404, 404],
        ),
        (
            // Only a browser that finished a provider's sign-in holds its cookie.
            "POST",
            "/api/auth/oidc/session".into(),
            None,
            [401, 401, 401, 401, 401],
        ),
        (
            "GET",
            "/api/auth/oidc/uni/start".into(),
            None,
            [404, 404, 404, 404, 404],
        ),
        (
            "GET",
            format!("/api/ccs/contests/authz/submissions/{sid}/files"),
            None,
            [404, 200, 404, 200, 200],
        ),
        (
            "GET",
            "/api/ccs/contests/authz/runs".into(),
            None,
            [404, 404, 404, 200, 200],
        ),
        (
            "GET",
            format!("/api/ccs/contests/authz/accounts/{owner_id}"),
            None,
            [404, 200, 404, 200, 200],
        ),
        (
            "GET",
            "/api/ccs/contests/authz/problems/t-hello/package".into(),
            None,
            [404, 404, 404, 200, 200],
        ),
        (
            "GET",
            "/api/ccs/webhooks".into(),
            None,
            [401, 403, 403, 200, 200],
        ),
        ("GET", "/api/openapi.json".into(), None, [200; 5]),
        ("GET", "/api/me".into(), None, [401, 200, 200, 200, 200]),
        (
            "POST",
            "/api/auth/login".into(),
            Some(json!({"username": "owner_az", "password": "not the password"})),
            [401; 5],
        ),
        ("GET", format!("/api/contests/{c_}"), None, [200; 5]),
        (
            "GET",
            // Anonymous readers see announcements; teams their own questions too.
            format!("/api/contests/{c_}/clarifications"),
            None,
            [200; 5],
        ),
        (
            "POST",
            format!("/api/contests/{c_}/clarifications"),
            Some(json!({"text": "Another question?"})),
            [401, 201, 201, 201, 201],
        ),
        (
            "POST",
            format!("/api/contests/{c_}/register"),
            None,
            [401, 204, 204, 204, 204],
        ),
        ("GET", "/api/languages".into(), None, [200; 5]),
        ("GET", "/api/clarifications/canned".into(), None, [200; 5]),
        ("GET", format!("/api/contests/{c_}/teams"), None, [200; 5]),
        (
            "POST",
            format!("/api/contests/{c_}/balloons/{sid}"),
            Some(json!({"done": true})),
            [401, 403, 403, 200, 200],
        ),
        (
            "GET",
            "/api/practice/progress".into(),
            None,
            [401, 200, 200, 200, 200],
        ),
        ("GET", "/api/problems".into(), None, [200; 5]),
        ("GET", format!("/api/problems/{hello}"), None, [200; 5]),
        (
            // Not a zip: who may import reaches the package check.
            "POST",
            "/api/problems".into(),
            None,
            [401, 403, 403, 403, 400],
        ),
        (
            "GET",
            "/api/submissions".into(),
            None,
            [401, 200, 200, 200, 200],
        ),
        (
            "POST",
            "/api/submissions".into(),
            Some(json!({"problem_id": hello, "files": []})),
            [401, 422, 422, 422, 422],
        ),
        (
            "POST",
            "/api/auth/register".into(),
            Some(json!({"username": "authz_newcomer", "password": "correct horse"})),
            [201, 409, 409, 409, 409],
        ),
        (
            "POST",
            "/api/auth/refresh".into(),
            Some(json!({"refresh_token": "not-a-token"})),
            [401; 5],
        ),
        (
            "POST",
            "/api/auth/logout".into(),
            Some(json!({"refresh_token": "not-a-token"})),
            [204; 5],
        ),
        (
            "GET",
            "/api/auth/oidc/uni/callback?code=c&state=s".into(),
            None,
            [404; 5],
        ),
        (
            "POST",
            "/api/me/password".into(),
            Some(json!({"current": "x", "new": "short"})),
            [401, 422, 422, 422, 422],
        ),
        (
            "PUT",
            "/api/me/avatar".into(),
            None,
            [401, 422, 422, 422, 422],
        ),
        (
            "DELETE",
            "/api/me/avatar".into(),
            None,
            [401, 204, 204, 204, 204],
        ),
        (
            // Last: it ends the callers' other sessions (their access tokens live on).
            "POST",
            "/api/me/sign-out-everywhere".into(),
            None,
            [401, 204, 204, 204, 204],
        ),
    ];
    // Every operation of the OpenAPI document (the Contest API has its own tests) has a
    // row: a path of the table matches its template.
    let (_, doc) = app.get("/api/openapi.json", None).await;
    let mut missing = Vec::new();
    for (template, operations) in doc["paths"].as_object().unwrap() {
        if !template.starts_with("/api/") || template.starts_with("/api/ccs") {
            continue;
        }
        for method in operations.as_object().unwrap().keys() {
            let covered = table.iter().any(|(m, path, _, _)| {
                m.eq_ignore_ascii_case(method) && fits(template, path.split('?').next().unwrap())
            });
            if !covered {
                missing.push(format!("{} {template}", method.to_uppercase()));
            }
        }
    }
    assert!(missing.is_empty(), "routes without a row: {missing:?}");
    let mut wrong = Vec::new();
    for (method, path, body, want) in &table {
        for (i, token) in [
            None,
            Some(&c.owner),
            Some(&c.other),
            Some(&c.jury),
            Some(&c.admin),
        ]
        .into_iter()
        .enumerate()
        {
            let got = status(&app, method, path, token.map(String::as_str), body.clone()).await;
            if got != want[i] {
                let who = ["anonymous", "owner", "other contestant", "jury", "admin"][i];
                wrong.push(format!("{method} {path} as {who}: {got}, want {}", want[i]));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    // Live channels: a contestant never subscribes to the jury's.
    let mut ws = app.ws(Some(&c.owner)).await;
    for channel in [
        format!("contest/{contest}/scoreboard/jury"),
        format!("contest/{contest}/clarifications/jury"),
        format!("submission/{}", sid + 1000),
    ] {
        ws.subscribe(&channel, None).await;
        let reply = ws
            .next(std::time::Duration::from_secs(10))
            .await
            .expect("an answer");
        assert_eq!(reply["type"], "error", "{channel}: {reply}");
        assert!(
            matches!(reply["code"].as_u64(), Some(403 | 404)),
            "{channel}: {reply}"
        );
    }
    let mut other_ws = app.ws(Some(&c.other)).await;
    other_ws.subscribe(&format!("submission/{sid}"), None).await;
    let reply = other_ws
        .next(std::time::Duration::from_secs(10))
        .await
        .expect("an answer");
    assert_eq!(
        (reply["type"].as_str(), reply["code"].as_u64()),
        (Some("error"), Some(404)),
        "{reply}"
    );
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let app = spawn_app();
    for path in ["/", "/contests/1", "/api/contests", "/api/nope", "/healthz"] {
        let resp = app
            .client
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        let h = resp.headers();
        let csp = h
            .get("content-security-policy")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        for directive in [
            "default-src 'self'",
            "script-src 'self' 'wasm-unsafe-eval'",
            "frame-ancestors 'none'",
            "object-src 'none'",
        ] {
            assert!(csp.contains(directive), "{path}: {csp}");
        }
        assert!(
            !csp.contains("unsafe-eval'") || csp.contains("wasm-unsafe-eval"),
            "{csp}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
        assert!(
            h.get("access-control-allow-origin").is_none(),
            "CORS is off by default: {path}"
        );
        assert!(
            h.get("strict-transport-security").is_none(),
            "no HSTS without TLS: {path}"
        );
    }
    // The page itself has no inline script (the policy would block it).
    let page = app
        .client
        .get(format!("{}/", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    if page.contains("<script") {
        for tag in page.split("<script").skip(1) {
            let open = &tag[..tag.find('>').unwrap()];
            assert!(open.contains("src="), "inline script: <script{open}>");
        }
    }
}
