//! Registration, login, token refresh and their failures.

use super::helpers::{Options, spawn_app, spawn_app_with};
use serde_json::{Value, json};

#[tokio::test]
async fn register_login_me_and_refresh_rotation() {
    let app = spawn_app();
    let (status, body) = app
        .post(
            "/api/auth/register",
            None,
            json!({"username": "alice", "password": "correct horse"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["user"]["role"], "contestant");
    assert!(body.get("password_hash").is_none() && body["user"].get("password_hash").is_none());

    let (status, login) = app
        .post(
            "/api/auth/login",
            None,
            json!({"username": "alice", "password": "correct horse"}),
        )
        .await;
    assert_eq!(status, 200);
    let access = login["access_token"].as_str().unwrap();
    let (status, me) = app.get("/api/me", Some(access)).await;
    assert_eq!((status, me["username"].as_str()), (200, Some("alice")));

    let refresh = login["refresh_token"].as_str().unwrap();
    let (status, pair) = app
        .post("/api/auth/refresh", None, json!({"refresh_token": refresh}))
        .await;
    assert_eq!(status, 200, "{pair}");
    let (status, me) = app
        .get("/api/me", Some(pair["access_token"].as_str().unwrap()))
        .await;
    assert_eq!((status, me["username"].as_str()), (200, Some("alice")));
    // The old refresh token was rotated out.
    let (status, err) = app
        .post("/api/auth/refresh", None, json!({"refresh_token": refresh}))
        .await;
    assert_eq!(status, 401);
    assert_eq!(err["code"], 401);
    assert!(err["message"].as_str().unwrap().contains("refresh token"));
}

#[tokio::test]
async fn bad_auth_requests_get_json_errors_with_the_right_status() {
    let app = spawn_app();
    app.register("bob").await;
    let raw = |body: &'static str, ctype: &'static str| {
        let client = app.client.clone();
        let url = format!("{}/api/auth/register", app.base);
        async move {
            let r = client
                .post(url)
                .header("content-type", ctype)
                .body(body)
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            (status, r.json::<serde_json::Value>().await.unwrap())
        }
    };
    let cases = [
        (
            raw("{\"username\": \"x\",", "application/json").await,
            400,
            "parse",
        ),
        (
            raw("{\"username\": \"carol\"}", "application/json").await,
            422,
            "password",
        ),
        (
            raw(
                "{\"username\": \"carol\", \"password\": \"x\"}",
                "text/plain",
            )
            .await,
            415,
            "Content-Type",
        ),
    ];
    for ((status, body), expected, needle) in cases {
        assert_eq!(status, expected, "{body}");
        assert_eq!(body["code"], expected);
        assert!(body["message"].as_str().unwrap().contains(needle), "{body}");
    }
    let checks = [
        (
            json!({"username": "bob", "password": "correct horse"}),
            409,
            "already exists",
        ),
        (
            json!({"username": "b", "password": "correct horse"}),
            422,
            "username",
        ),
        (
            json!({"username": "carol", "password": "short"}),
            422,
            "password",
        ),
        (
            json!({"username": "bad name!", "password": "correct horse"}),
            422,
            "username",
        ),
    ];
    for (body, expected, needle) in checks {
        let (status, resp) = app.post("/api/auth/register", None, body).await;
        assert_eq!(status, expected, "{resp}");
        assert!(resp["message"].as_str().unwrap().contains(needle), "{resp}");
    }
    let (status, resp) = app
        .post(
            "/api/auth/login",
            None,
            json!({"username": "bob", "password": "wrong password"}),
        )
        .await;
    assert_eq!(
        (status, resp["message"].as_str()),
        (401, Some("wrong username or password"))
    );
    let (status, resp) = app
        .post(
            "/api/auth/login",
            None,
            json!({"username": "nobody", "password": "wrong password"}),
        )
        .await;
    assert_eq!(
        (status, resp["message"].as_str()),
        (401, Some("wrong username or password"))
    );

    let (status, resp) = app.get("/api/me", None).await;
    assert_eq!(
        (status, resp["message"].as_str()),
        (401, Some("missing bearer token"))
    );
    let (status, resp) = app.get("/api/me", Some("not.a.token")).await;
    assert_eq!(
        (status, resp["message"].as_str()),
        (401, Some("invalid or expired access token"))
    );
}

#[tokio::test]
async fn expired_access_tokens_are_refused() {
    let app = spawn_app_with(Options {
        // Valid 3 to 4 s (whole seconds, no leeway): long enough to be used once on a
        // loaded machine.
        access_ttl: 3,
        ..Options::default()
    });
    let (token, _) = app.register("dave").await;
    assert_eq!(app.get("/api/me", Some(&token)).await.0, 200);
    tokio::time::sleep(std::time::Duration::from_millis(4100)).await;
    let (status, resp) = app.get("/api/me", Some(&token)).await;
    assert_eq!(
        (status, resp["message"].as_str()),
        (401, Some("invalid or expired access token"))
    );
}

#[tokio::test]
async fn admins_assign_roles_and_roles_gate_the_jury_view() {
    let app = spawn_app();
    let admin = app.admin().await;
    let (token, id) = app.register("judge").await;
    let (status, _) = app
        .get("/api/contests/1/scoreboard?view=jury", Some(&token))
        .await;
    assert_eq!(status, 403);
    let patch = |token: String, body: serde_json::Value| {
        let app = &app;
        async move {
            app.request(
                reqwest::Method::PATCH,
                &format!("/api/users/{id}"),
                Some(&token),
                Some(body),
            )
            .await
        }
    };
    assert_eq!(patch(token.clone(), json!({"role": "admin"})).await.0, 403);
    let (status, resp) = patch(admin.clone(), json!({"role": "wizard"})).await;
    assert_eq!(
        (
            status,
            resp["message"].as_str().unwrap().contains("unknown role")
        ),
        (422, true)
    );
    let (status, resp) = patch(admin.clone(), json!({"role": "jury"})).await;
    assert_eq!((status, resp["role"].as_str()), (200, Some("jury")));
    let (_, login) = app
        .post(
            "/api/auth/login",
            None,
            json!({"username": "judge", "password": "correct horse"}),
        )
        .await;
    let jury = login["access_token"].as_str().unwrap();
    let (status, board) = app
        .get("/api/contests/1/scoreboard?view=jury", Some(jury))
        .await;
    assert_eq!((status, board["view"].as_str()), (200, Some("jury")));
    let (status, _) = app
        .request(
            reqwest::Method::PATCH,
            "/api/users/9999",
            Some(&admin),
            Some(json!({"role": "jury"})),
        )
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_password_change_and_sign_out_everywhere_end_the_other_sessions() {
    let app = spawn_app();
    let login = |password: &'static str| {
        let app = &app;
        async move {
            app.post(
                "/api/auth/login",
                None,
                json!({"username": "sam_sessions", "password": password}),
            )
            .await
        }
    };
    app.register("sam_sessions").await;
    // Two sessions (say, a laptop and a phone).
    let (_, laptop) = login("correct horse").await;
    let (_, phone) = login("correct horse").await;
    let token = laptop["access_token"].as_str().unwrap().to_owned();
    let refresh = |session: &Value| json!({"refresh_token": session["refresh_token"]});

    // A wrong current password or a too-short new one changes nothing.
    let change = "/api/me/password";
    let (status, e) = app
        .post(
            change,
            Some(&token),
            json!({"current": "wrong one", "new": "battery staple"}),
        )
        .await;
    assert_eq!(status, 403, "{e}");
    let (status, e) = app
        .post(
            change,
            Some(&token),
            json!({"current": "correct horse", "new": "short"}),
        )
        .await;
    assert_eq!(status, 422, "{e}");
    let (status, _) = app
        .post(
            change,
            None,
            json!({"current": "correct horse", "new": "battery staple"}),
        )
        .await;
    assert_eq!(status, 401);
    // The change: a fresh pair for this session; the phone's session cannot be renewed.
    let (status, fresh) = app
        .post(
            change,
            Some(&token),
            json!({"current": "correct horse", "new": "battery staple"}),
        )
        .await;
    assert_eq!(status, 200, "{fresh}");
    let (status, _) = app.post("/api/auth/refresh", None, refresh(&phone)).await;
    assert_eq!(status, 401, "the other session ended");
    let (status, _) = app.post("/api/auth/refresh", None, refresh(&laptop)).await;
    assert_eq!(status, 401, "the old pair of this session too");
    assert_eq!(login("correct horse").await.0, 401);
    let (status, again) = login("battery staple").await;
    assert_eq!(status, 200, "{again}");

    // Sign out everywhere: no session renews.
    let token = again["access_token"].as_str().unwrap().to_owned();
    let (status, _) = app
        .post("/api/me/sign-out-everywhere", Some(&token), json!({}))
        .await;
    assert_eq!(status, 204);
    for session in [&fresh, &again] {
        let (status, _) = app.post("/api/auth/refresh", None, refresh(session)).await;
        assert_eq!(status, 401);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_guessing_is_held_after_ten_failures_per_account() {
    let app = spawn_app();
    app.register("guess_me").await;
    app.register("bystander").await;
    let attempt = |name: &'static str, password: &'static str| {
        let request = app
            .client
            .post(format!("{}/api/auth/login", app.base))
            .json(&json!({"username": name, "password": password}));
        async move { request.send().await.unwrap() }
    };
    for _ in 0..10 {
        assert_eq!(attempt("guess_me", "wrong guess").await.status(), 401);
    }
    // Now even the right password waits; the answer says how long.
    let held = attempt("guess_me", "correct horse").await;
    assert_eq!(held.status(), 429);
    let retry: u64 = held.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((800..=900).contains(&retry), "{retry}");
    // The Contest API's Basic credentials count against the same account.
    let basic = app
        .client
        .get(format!("{}/api/ccs/contests/demo/account", app.base))
        .basic_auth("guess_me", Some("correct horse"))
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), 429);
    // Other accounts are not held.
    assert_eq!(attempt("bystander", "correct horse").await.status(), 200);
    // Unknown names answer like known ones.
    let unknown = attempt("nobody_here", "whatever12").await;
    assert_eq!(unknown.status(), 401);
    assert_eq!(
        unknown.json::<serde_json::Value>().await.unwrap()["message"],
        "wrong username or password"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_revokes_the_refresh_token_and_api_answers_are_not_cached() {
    let app = spawn_app();
    let (status, session) = app
        .post(
            "/api/auth/register",
            None,
            json!({"username": "leaver", "password": "correct horse"}),
        )
        .await;
    assert_eq!(status, 201);
    let refresh = session["refresh_token"].clone();
    let (status, _) = app
        .post("/api/auth/logout", None, json!({"refresh_token": refresh}))
        .await;
    assert_eq!(status, 204);
    let (status, _) = app
        .post("/api/auth/refresh", None, json!({"refresh_token": refresh}))
        .await;
    assert_eq!(status, 401);
    // Unknown tokens get the same answer.
    let (status, _) = app
        .post("/api/auth/logout", None, json!({"refresh_token": "nope"}))
        .await;
    assert_eq!(status, 204);
    // A password under 12 characters is refused at registration.
    let (status, body) = app
        .post(
            "/api/auth/register",
            None,
            json!({"username": "shorty", "password": "eleven char"}),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    let r = app
        .client
        .get(format!("{}/api/contests", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert_eq!(
        r.headers()["content-disposition"],
        "attachment; filename=\"api.json\""
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refreshing_never_extends_the_session() {
    let app = spawn_app();
    let (_, session) = app
        .post(
            "/api/auth/register",
            None,
            json!({"username": "long_lived", "password": "correct horse"}),
        )
        .await;
    let first = session["refresh_expires_in"].as_u64().unwrap();
    assert!((30 * 86_400 - 60..=30 * 86_400).contains(&first), "{first}");
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let (status, pair) = app
        .post(
            "/api/auth/refresh",
            None,
            json!({"refresh_token": session["refresh_token"]}),
        )
        .await;
    assert_eq!(status, 200);
    let second = pair["refresh_expires_in"].as_u64().unwrap();
    assert!(
        second < first,
        "the session's end stays put: {first} then {second}"
    );
    // A new sign-in is a new session.
    let (_, login) = app
        .post(
            "/api/auth/login",
            None,
            json!({"username": "long_lived", "password": "correct horse"}),
        )
        .await;
    assert!(login["refresh_expires_in"].as_u64().unwrap() > second);
}
