//! Accounts beyond signing in: public profiles and avatars, the administrators' user list
//! (search, roles, disabling, password resets) with its audit log, and deletion by the
//! owner (submissions kept, anonymised).

use super::helpers::{problems_dir, spawn_app};
use image::{ImageBuffer, ImageFormat, Rgb};
use serde_json::{Value, json};
use std::io::Cursor;

fn picture(width: u32, height: u32, format: ImageFormat) -> Vec<u8> {
    let img = ImageBuffer::from_fn(width, height, |x, y| Rgb([x as u8, y as u8, 200]));
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut out), format)
        .unwrap();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profiles_are_public_and_only_their_owner_or_an_admin_edits_them() {
    let app = spawn_app();
    let admin = app.admin().await;
    let (pia, pia_id) = app.register("pia_profile").await;
    let (other, _) = app.register("other_profile").await;
    let path = format!("/api/users/{pia_id}/profile");
    let change = json!({"display_name": "Pia P.", "affiliation": "KTH", "country": "SWE", "bio": "I like graphs."});
    let (status, body) = app
        .request(
            reqwest::Method::PATCH,
            &path,
            Some(&pia),
            Some(change.clone()),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, public) = app.get(&path, None).await;
    assert_eq!(status, 200);
    assert_eq!(public["display_name"], "Pia P.");
    assert_eq!(public["country"], "SWE");
    assert_eq!(public["avatar_url"], Value::Null);
    assert_eq!(public["solved"], json!([]));
    // Someone else may not; an administrator may (and it is audited).
    let (status, _) = app
        .request(reqwest::Method::PATCH, &path, Some(&other), Some(change))
        .await;
    assert_eq!(status, 403);
    let (status, _) = app
        .request(
            reqwest::Method::PATCH,
            &path,
            Some(&admin),
            Some(json!({"bio": ""})),
        )
        .await;
    assert_eq!(status, 200);
    let (_, public) = app.get(&path, None).await;
    assert_eq!(public["bio"], Value::Null, "an empty string clears a field");
    assert_eq!(public["affiliation"], "KTH", "absent fields stay");
    for bad in [
        json!({"country": "Sweden"}),
        json!({"display_name": "x".repeat(65)}),
        json!({"bio": "bell\u{7}"}),
        json!({"website": "https://example.org"}),
    ] {
        let (status, body) = app
            .request(reqwest::Method::PATCH, &path, Some(&pia), Some(bad.clone()))
            .await;
        assert_eq!(status, 422, "{bad}: {body}");
        assert!(body["message"].is_string());
    }
    let (status, _) = app.get("/api/users/999999/profile", None).await;
    assert_eq!(status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn avatars_are_reencoded_pngs_and_other_uploads_are_refused() {
    let app = spawn_app();
    let (token, id) = app.register("ava_tar").await;
    // A client per upload: the server may close a connection after refusing a body
    // unread (the 413), and a pooled connection would carry that into the next request.
    let put = |body: Vec<u8>, ty: &'static str| {
        let request = reqwest::Client::new()
            .put(format!("{}/api/me/avatar", app.base))
            .bearer_auth(&token)
            .header("content-type", ty)
            .body(body);
        async move {
            let r = request.send().await.unwrap();
            let status = r.status().as_u16();
            (status, r.text().await.unwrap())
        }
    };
    let upload = picture(300, 200, ImageFormat::Jpeg);
    assert_eq!(put(upload.clone(), "image/jpeg").await.0, 204);
    let (_, profile) = app.get(&format!("/api/users/{id}/profile"), None).await;
    let url = profile["avatar_url"].as_str().unwrap().to_owned();
    let r = app
        .client
        .get(format!("{}{url}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    let served = r.bytes().await.unwrap();
    assert_ne!(
        served.as_ref(),
        upload.as_slice(),
        "never the uploaded bytes"
    );
    let back = image::load_from_memory_with_format(&served, ImageFormat::Png).unwrap();
    assert_eq!((back.width(), back.height()), (256, 256));

    // Other formats, broken images, giants: refused with the reason; the avatar stays.
    let (status, body) = put(
        b"<svg xmlns='http://www.w3.org/2000/svg'/>".to_vec(),
        "image/svg+xml",
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("PNG, JPEG or WebP"), "{body}");
    let (status, _) = put(picture(4100, 8, ImageFormat::Png), "image/png").await;
    assert_eq!(status, 422);
    let (status, _) = put(vec![0x89; 3 << 20], "image/png").await;
    assert_eq!(status, 413);
    let r = app
        .client
        .get(format!("{}{url}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    let (status, _) = app
        .request(
            reqwest::Method::DELETE,
            "/api/me/avatar",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, 204);
    let (status, _) = app.get(&url, None).await;
    assert_eq!(status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_search_disable_and_reset_and_every_action_is_audited() {
    let app = spawn_app();
    let admin = app.admin().await;
    let (dan, dan_id) = app.register("dan_disable").await;
    app.register("dana_other").await;
    let (status, page) = app
        .get("/api/users?search=DAN&limit=10", Some(&admin))
        .await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["total"], 2);
    let (status, _) = app.get("/api/users", Some(&dan)).await;
    assert_eq!(status, 403);
    let (status, _) = app.get("/api/users?limit=0", Some(&admin)).await;
    assert_eq!(status, 400);

    // Disabled: no sign-in, no renewal; enabled again: back.
    let (_, session) = app
        .post(
            "/api/auth/login",
            None,
            json!({"username": "dan_disable", "password": "correct horse"}),
        )
        .await;
    let refresh = session["refresh_token"].as_str().unwrap().to_owned();
    let user = format!("/api/users/{dan_id}");
    let (status, _) = app
        .request(
            reqwest::Method::PATCH,
            &user,
            Some(&admin),
            Some(json!({"disabled": true})),
        )
        .await;
    assert_eq!(status, 200);
    let login = json!({"username": "dan_disable", "password": "correct horse"});
    let (status, body) = app.post("/api/auth/login", None, login.clone()).await;
    assert_eq!(status, 403, "{body}");
    assert!(body["message"].as_str().unwrap().contains("disabled"));
    let (status, _) = app
        .post("/api/auth/refresh", None, json!({"refresh_token": refresh}))
        .await;
    assert_eq!(status, 401);
    let (status, _) = app
        .request(
            reqwest::Method::PATCH,
            &user,
            Some(&admin),
            Some(json!({"disabled": false, "role": "jury"})),
        )
        .await;
    assert_eq!(status, 200);
    let (status, _) = app.post("/api/auth/login", None, login.clone()).await;
    assert_eq!(status, 200);
    // An administrator cannot lock themselves out.
    let (_, me) = app.get("/api/me", Some(&admin)).await;
    let (status, _) = app
        .request(
            reqwest::Method::PATCH,
            &format!("/api/users/{}", me["id"]),
            Some(&admin),
            Some(json!({"disabled": true})),
        )
        .await;
    assert_eq!(status, 409);

    // A reset password: shown once, the old one stops working.
    let (status, reset) = app
        .post(
            &format!("/api/users/{dan_id}/reset-password"),
            Some(&admin),
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, _) = app.post("/api/auth/login", None, login).await;
    assert_eq!(status, 401);
    let (status, _) = app
        .post(
            "/api/auth/login",
            None,
            json!({"username": "dan_disable", "password": reset["password"]}),
        )
        .await;
    assert_eq!(status, 200);

    let (status, log) = app.get("/api/audit", Some(&admin)).await;
    assert_eq!(status, 200);
    let actions: Vec<(&str, &str, &str)> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap(),
                e["target"].as_str().unwrap(),
                e["actor"].as_str().unwrap(),
            )
        })
        .collect();
    let target = format!("user {dan_id}");
    assert_eq!(
        actions,
        [
            ("reset_password", target.as_str(), "admin"),
            ("enable", target.as_str(), "admin"),
            ("set_role", target.as_str(), "admin"),
            ("disable", target.as_str(), "admin"),
        ],
        "newest first"
    );
    assert_eq!(log[2]["detail"]["role"], "jury");
    let (status, _) = app.get("/api/audit", Some(&dan)).await;
    assert_eq!(status, 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_deletes_their_account_and_their_submissions_stay_anonymised() {
    let app = spawn_app();
    let admin = app.admin().await;
    let hello = app.import(&admin, "hello").await;
    let (token, id) = app.register("gone_soon").await;
    let source =
        std::fs::read_to_string(problems_dir().join("hello/submissions/accepted/hello.py"))
            .unwrap();
    let (_, s) = app.submit(&token, None, hello, "hello.py", &source).await;
    let sid = s["id"].as_i64().unwrap();
    app.wait_judged(&token, sid).await;

    let delete =
        |body: Value| app.request(reqwest::Method::DELETE, "/api/me", Some(&token), Some(body));
    let (status, _) =
        delete(json!({"confirm_username": "someone", "password": "correct horse"})).await;
    assert_eq!(status, 422);
    let (status, _) = delete(json!({"confirm_username": "gone_soon", "password": "wrong"})).await;
    assert_eq!(status, 403);
    let (status, _) =
        delete(json!({"confirm_username": "gone_soon", "password": "correct horse"})).await;
    assert_eq!(status, 204);

    let (status, _) = app
        .post(
            "/api/auth/login",
            None,
            json!({"username": "gone_soon", "password": "correct horse"}),
        )
        .await;
    assert_eq!(status, 401);
    let (status, _) = app.get(&format!("/api/users/{id}/profile"), None).await;
    assert_eq!(status, 404);
    // The judged submission is still there for the jury, under no name.
    let (status, sub) = app
        .get(&format!("/api/submissions/{sid}"), Some(&admin))
        .await;
    assert_eq!(status, 200);
    assert_eq!(sub["user_id"], id);
    assert_eq!(sub["verdict"], "AC", "{sub}");
    let (_, page) = app.get("/api/users?search=gone", Some(&admin)).await;
    assert_eq!(page["total"], 0);
    // The name is free again; `deleted-` names are not.
    app.register("gone_soon").await;
    let (status, _) = app
        .post(
            "/api/auth/register",
            None,
            json!({"username": format!("deleted-{}", id + 1), "password": "correct horse"}),
        )
        .await;
    assert_eq!(status, 422);
    // The last administrator stays.
    let (status, _) = app
        .request(
            reqwest::Method::DELETE,
            "/api/me",
            Some(&admin),
            Some(json!({"confirm_username": "admin", "password": app.admin_password.clone().unwrap()})),
        )
        .await;
    assert_eq!(status, 409);
}

#[tokio::test]
async fn a_profile_shows_progress_by_difficulty_and_tag_activity_and_recent_submissions() {
    let app = spawn_app();
    let admin = app.admin().await;
    let hello = app.import(&admin, "hello").await;
    let (status, _) = app
        .request(
            reqwest::Method::PATCH,
            &format!("/api/problems/{hello}"),
            Some(&admin),
            Some(json!({"tags": ["output", "strings"], "difficulty": 2})),
        )
        .await;
    assert_eq!(status, 200);
    // A running contest's submissions stay off the profile until it ends.
    let other = app.import(&admin, "custom").await;
    let contest = app.contest(&admin, "live", &[other], json!({})).await;
    let (token, id) = app.register("paula_progress").await;
    let mut ids = Vec::new();
    for code in ["print('Hello')\n", "print('Hello World!')\n"] {
        let (_, s) = app.submit(&token, None, hello, "a.py", code).await;
        ids.push(s["id"].as_i64().unwrap());
        app.wait_judged(&token, *ids.last().unwrap()).await;
    }
    let (status, _) = app
        .submit(&token, Some(contest), other, "a.py", "print(1)\n")
        .await;
    assert_eq!(status, 202);
    let (status, p) = app.get(&format!("/api/users/{id}/profile"), None).await;
    assert_eq!(status, 200, "{p}");
    assert_eq!(p["solved_by_difficulty"], json!([{"key": "2", "count": 1}]));
    assert_eq!(
        p["solved_by_tag"],
        json!([{"key": "output", "count": 1}, {"key": "strings", "count": 1}])
    );
    let today = p["activity"].as_array().unwrap();
    assert_eq!(today.len(), 1, "{p}");
    assert_eq!(
        today[0]["submissions"], 2,
        "the contest's submission is not counted"
    );
    let recent: Vec<i64> = p["recent"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(
        recent,
        [ids[1], ids[0]],
        "newest first, the running contest's left out"
    );
    assert_eq!(p["recent"][0]["verdict"], "AC");
    assert!(
        p["recent"][0].get("files").is_none(),
        "no code on a public profile"
    );
}
