//! Problem packages in other formats through the API: a Polygon zip is imported into
//! the Kattis layout (tests generated in the server's sandbox) and judged with its
//! testlib checker and its groups' points.

use super::helpers::{problems_dir, spawn_app, zip_dir};
use serde_json::json;

#[tokio::test]
async fn a_polygon_zip_imports_and_is_judged_with_its_checker_and_points() {
    let app = spawn_app();
    let admin = app.admin().await;
    let resp = app
        .client
        .post(format!("{}/api/problems?slug=psum&practice=true", app.base))
        .bearer_auth(&admin)
        .header("content-type", "application/zip")
        .body(zip_dir(&problems_dir().join("polygonsum")))
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let view: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(status, 201, "{view}");
    assert_eq!(view["name"], "Polygon Sum");
    assert_eq!(view["time_limit_ms"], 1000);
    assert!(
        view["import_notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap().contains("slowish.py")),
        "what was not converted is reported: {view}"
    );
    assert!(
        view["statement_html"]
            .as_str()
            .unwrap()
            .contains("<strong>sum</strong>"),
        "{view}"
    );
    assert_eq!(view["samples"][0]["output"], "6\n", "answers made by main");
    let problem = view["id"].as_i64().unwrap();
    let contest = app
        .contest(&admin, "ioi-psum", &[problem], json!({"kind": "ioi"}))
        .await;
    let (token, _) = app.register("polygoner").await;
    let overflow =
        std::fs::read_to_string(problems_dir().join("polygonsum/solutions/overflow.c")).unwrap();
    let (status, s) = app
        .submit(&token, Some(contest), problem, "overflow.c", &overflow)
        .await;
    assert_eq!(status, 202, "{s}");
    let judged = app.wait_judged(&token, s["id"].as_i64().unwrap()).await;
    assert_eq!(judged["verdict"], "WA", "{judged}");
    assert_eq!(judged["score"], 30.0, "group 1 only: {judged}");

    // A Polygon zip that is not a package says why.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("problem.xml"),
        "<problem><judging/></problem>",
    )
    .unwrap();
    let resp = app
        .client
        .post(format!("{}/api/problems?slug=broken", app.base))
        .bearer_auth(&admin)
        .header("content-type", "application/zip")
        .body(zip_dir(dir.path()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 422);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["code"], 422, "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("testset"),
        "{body}"
    );
}
