//! Hints and editorials: imported from the package's `solution/`, written by the jury,
//! revealed one hint at a time, the editorial once solved or chosen; hidden from a
//! running contest's participants; refusals.

use crate::helpers::*;
use serde_json::{Value, json};

/// A copy of `hello` with a solution description in `solution/`.
fn hello_with_solution(dir: &std::path::Path) -> std::path::PathBuf {
    let root = copy_package(dir, "hello", "explained");
    std::fs::create_dir_all(root.join("solution")).unwrap();
    std::fs::write(
        root.join("solution/solution.en.md"),
        "Print the words; no input is read. Time $O(1)$.\n",
    )
    .unwrap();
    root
}

#[tokio::test]
async fn hints_one_at_a_time_and_the_editorial_once_solved_or_chosen() {
    let app = spawn_app();
    let admin = app.admin().await;
    let tmp = tempfile::tempdir().unwrap();
    let problem = app
        .import_dir(&admin, &hello_with_solution(tmp.path()), "explained")
        .await;
    let path = |what: &str| format!("/api/problems/{problem}/{what}");
    let (learner, _) = app.register("lena").await;

    // The package's solution description is the editorial: there, but hidden.
    let (status, v) = app.get(&path("editorial"), Some(&learner)).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        (&v["has_editorial"], &v["editorial"], &v["hints_total"]),
        (&json!(true), &Value::Null, &json!(0))
    );
    let (_, jury_view) = app.get(&path("editorial"), Some(&admin)).await;
    assert!(
        jury_view["editorial"]["markdown"]
            .as_str()
            .unwrap()
            .starts_with("Print the words")
    );
    assert!(
        jury_view["editorial"]["html"]
            .as_str()
            .unwrap()
            .contains("<math"),
        "LaTeX as MathML"
    );

    // The jury writes two hints.
    let put = |token: &str, body: Value| {
        let (app, token, path) = (&app, token.to_owned(), path("editorial"));
        async move {
            app.request(reqwest::Method::PUT, &path, Some(&token), Some(body))
                .await
        }
    };
    let (status, v) = put(
        &admin,
        json!({"editorial": "Just print it.", "hints": ["Read nothing.", "Use `puts`."]}),
    )
    .await;
    assert_eq!((status, &v["hints_total"]), (200, &json!(2)), "{v}");
    for bad in [
        json!({"hints": ["h".repeat(5000)]}),
        json!({"hints": vec!["h"; 11]}),
        json!({"editorial": "x".repeat(70_000)}),
    ] {
        let (status, e) = put(&admin, bad).await;
        assert_eq!(status, 422, "{e}");
    }
    assert_eq!(put(&learner, json!({"editorial": "mine"})).await.0, 403);

    // Hints one at a time, kept; then no more.
    let (_, v) = app.get(&path("editorial"), Some(&learner)).await;
    assert_eq!(
        (&v["hints_total"], v["hints"].as_array().unwrap().len()),
        (&json!(2), 0)
    );
    let (status, v) = app
        .post(&path("hints/next"), Some(&learner), json!({}))
        .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["hints"][0]["markdown"], "Read nothing.");
    assert_eq!(v["hints"].as_array().unwrap().len(), 1);
    app.post(&path("hints/next"), Some(&learner), json!({}))
        .await;
    let (status, e) = app
        .post(&path("hints/next"), Some(&learner), json!({}))
        .await;
    assert_eq!(status, 409, "{e}");
    let (_, v) = app.get(&path("editorial"), Some(&learner)).await;
    assert_eq!(
        v["hints"].as_array().unwrap().len(),
        2,
        "revealed hints stay revealed"
    );
    assert_eq!(v["editorial"], Value::Null);

    // The learner chooses to see the editorial.
    let (status, v) = app
        .post(&path("editorial/open"), Some(&learner), json!({}))
        .await;
    assert_eq!(
        (status, &v["editorial"]["markdown"]),
        (200, &json!("Just print it.")),
        "{v}"
    );

    // Another learner sees it once they solved the problem, without asking.
    let (solver, _) = app.register("solver").await;
    let (_, s) = app
        .submit(&solver, None, problem, "a.py", "print('Hello World!')\n")
        .await;
    app.wait_judged(&solver, s["id"].as_i64().unwrap()).await;
    let (_, v) = app.get(&path("editorial"), Some(&solver)).await;
    assert_eq!(
        (&v["solved"], &v["editorial"]["markdown"]),
        (&json!(true), &json!("Just print it.")),
        "{v}"
    );
    assert_eq!(
        v["hints"].as_array().unwrap().len(),
        0,
        "hints are still asked for"
    );

    // Hidden from a running contest's participants; the jury still sees everything.
    let contest = app.contest(&admin, "hidden", &[problem], json!({})).await;
    let (entrant, _) = app.register("edwin").await;
    app.post(
        &format!("/api/contests/{contest}/register"),
        Some(&entrant),
        json!({}),
    )
    .await;
    for what in ["editorial", "hints/next", "editorial/open"] {
        let (status, e) = if what == "editorial" {
            app.get(&path(what), Some(&entrant)).await
        } else {
            app.post(&path(what), Some(&entrant), json!({})).await
        };
        assert_eq!(status, 403, "{what}: {e}");
        assert!(
            e["message"]
                .as_str()
                .unwrap()
                .contains("hidden while contest"),
            "{e}"
        );
    }
    assert_eq!(app.get(&path("editorial"), Some(&admin)).await.0, 200);
    assert_eq!(
        app.get("/api/problems/9999/editorial", Some(&learner))
            .await
            .0,
        404
    );
    assert_eq!(app.get(&path("editorial"), None).await.0, 401);
}

#[tokio::test]
async fn hints_come_from_the_package_in_their_numbers_order() {
    let app = spawn_app();
    let admin = app.admin().await;
    let tmp = tempfile::tempdir().unwrap();
    let root = hello_with_solution(tmp.path());
    for (file, text) in [
        ("hint-10.md", "Third."),
        ("hint-2.md", "Second."),
        ("hint-1.md", "First: no input.\n"),
    ] {
        std::fs::write(root.join("solution").join(file), text).unwrap();
    }
    let problem = app.import_dir(&admin, &root, "hinted").await;
    let (status, v) = app
        .get(&format!("/api/problems/{problem}/editorial"), Some(&admin))
        .await;
    assert_eq!(status, 200, "{v}");
    let hints: Vec<&str> = v["hints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["markdown"].as_str().unwrap())
        .collect();
    assert_eq!(hints, ["First: no input.", "Second.", "Third."]);
    assert!(
        v["editorial"]["markdown"]
            .as_str()
            .unwrap()
            .starts_with("Print the words"),
        "hints are not the editorial: {v}"
    );
}
