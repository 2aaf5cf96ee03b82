//! `GET /api/archive` and `PATCH /api/problems/{id}`: tags from the package and the jury,
//! the author's and the computed difficulty, solve statistics, search, filters, sorting,
//! paging, and clear refusals.

use crate::helpers::*;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const HELLO_PY: &str = "print('Hello World!')\n";

/// A copy of the `hello` package whose `problem.yaml` carries keywords and a source.
fn tagged_hello(dir: &std::path::Path) -> std::path::PathBuf {
    let root = copy_package(dir, "hello", "tagged");
    std::fs::write(
        root.join("problem.yaml"),
        "name: Greetings\nsource: NWERC 2025\nkeywords: Strings Output strings\n\
         limits:\n  time_limit: 1\n  memory: 256\n",
    )
    .unwrap();
    root
}

fn ids(page: &Value) -> Vec<i64> {
    page["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn the_archive_searches_filters_sorts_and_pages_with_solve_statistics() {
    let app = spawn_app();
    let admin = app.admin().await;
    let tmp = tempfile::tempdir().unwrap();
    let greetings = app
        .import_dir(&admin, &tagged_hello(tmp.path()), "greetings")
        .await;
    let custom = app.import(&admin, "custom").await;

    // Tags and source come from the package (lower case, no repeats).
    let (_, p) = app.get(&format!("/api/problems/{greetings}"), None).await;
    assert_eq!(p["tags"], json!(["strings", "output"]), "{p}");
    assert_eq!(p["source"], "NWERC 2025");

    // The jury tags and rates a problem; bad values are refused and change nothing.
    let patch = |id: i64, token: &str, body: Value| {
        let token = token.to_owned();
        let app = &app;
        async move {
            app.request(
                reqwest::Method::PATCH,
                &format!("/api/problems/{id}"),
                Some(&token),
                Some(body),
            )
            .await
        }
    };
    let (status, p) = patch(
        custom,
        &admin,
        json!({"tags": ["Math", "math", "Ad hoc"], "difficulty": 8}),
    )
    .await;
    assert_eq!(status, 200, "{p}");
    assert_eq!(
        (&p["tags"], &p["difficulty"]),
        (&json!(["math", "ad hoc"]), &json!(8))
    );
    for bad in [
        json!({"difficulty": 11}),
        json!({"tags": ["a,b"]}),
        json!({"tags": ["x".repeat(41)]}),
    ] {
        let (status, e) = patch(custom, &admin, bad).await;
        assert_eq!(status, 422, "{e}");
        assert!(e["message"].is_string());
    }
    let (learner, _) = app.register("learner").await;
    assert_eq!(
        patch(custom, &learner, json!({"difficulty": 1})).await.0,
        403
    );
    assert_eq!(patch(9999, &admin, json!({"difficulty": 1})).await.0, 404);

    // Search by text, tag and difficulty; sort; page.
    let (status, all) = app.get("/api/archive", None).await;
    assert_eq!(status, 200, "{all}");
    // The demo's two practice problems are there too.
    assert_eq!(all["total"], 4);
    let names: Vec<&str> = all["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(names, sorted, "by name");
    let tag_names: Vec<&str> = all["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["tag"].as_str().unwrap())
        .collect();
    assert!(tag_names.contains(&"strings") && tag_names.contains(&"ad hoc"));
    let (_, found) = app.get("/api/archive?q=greet", None).await;
    assert_eq!(ids(&found), [greetings]);
    let (_, found) = app.get("/api/archive?tags=Math,ad%20hoc", None).await;
    assert_eq!(ids(&found), [custom]);
    let (_, found) = app.get("/api/archive?min_difficulty=7", None).await;
    assert_eq!(
        ids(&found),
        [custom],
        "no difficulty yet: outside any bound"
    );
    let (_, found) = app
        .get("/api/archive?sort=newest&per_page=1&page=2", None)
        .await;
    assert_eq!((ids(&found), &found["total"]), (vec![greetings], &json!(4)));

    // Five users try `greetings`, two solve it: statistics and a computed difficulty.
    for (i, ok) in [true, true, false, false, false].into_iter().enumerate() {
        let (token, _) = app.register(&format!("solver{i}")).await;
        let code = if ok { HELLO_PY } else { "print('no')\n" };
        let (_, s) = app.submit(&token, None, greetings, "a.py", code).await;
        app.wait_judged(&token, s["id"].as_i64().unwrap()).await;
        if i == 0 {
            // Unsolved hides what the caller solved.
            let (_, mine) = app
                .request(
                    reqwest::Method::GET,
                    "/api/archive?unsolved=true",
                    Some(&token),
                    None,
                )
                .await;
            assert!(!ids(&mine).contains(&greetings) && ids(&mine).contains(&custom));
        }
    }
    // The list is cached for a few seconds.
    let deadline = Instant::now() + Duration::from_secs(15);
    let entry = loop {
        let (_, all) = app.get("/api/archive?q=greetings", None).await;
        let entry = all["problems"][0].clone();
        if entry["attempted"] == 5 || Instant::now() > deadline {
            break entry;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    assert_eq!(
        (&entry["attempted"], &entry["solved"]),
        (&json!(5), &json!(2)),
        "{entry}"
    );
    assert_eq!(entry["acceptance"], 0.4);
    // (2 + 1) / (5 + 2) solve: 1 + 9 × 4/7 = 6.1.
    assert_eq!(entry["difficulty"], 6.1);
    let (_, by_difficulty) = app.get("/api/archive?sort=difficulty", None).await;
    assert_eq!(
        ids(&by_difficulty)[..2],
        [greetings, custom],
        "6.1 before the author's 8, the unrated last"
    );

    // Refusals, each `{code, message}`.
    for bad in [
        "sort=bogus",
        "per_page=0",
        "per_page=101",
        "page=0",
        "min_difficulty=11",
        "colour=red",
    ] {
        let (status, e) = app.get(&format!("/api/archive?{bad}"), None).await;
        assert_eq!(status, 400, "{bad}: {e}");
        assert!(e["message"].is_string(), "{bad}: {e}");
    }
    assert_eq!(app.get("/api/archive?unsolved=true", None).await.0, 401);
}

#[tokio::test]
async fn a_contests_problems_open_for_practice_once_it_ends() {
    let app = spawn_app();
    let admin = app.admin().await;
    let problem = app.import(&admin, "hello").await;
    let (status, _) = app
        .request(
            reqwest::Method::PATCH,
            &format!("/api/problems/{problem}"),
            Some(&admin),
            Some(json!({"practice": false})),
        )
        .await;
    assert_eq!(status, 200);
    let contest = app.contest(&admin, "upsolve", &[problem], json!({})).await;
    let (learner, _) = app.register("late_learner").await;

    // While the contest runs: not a practice problem.
    let (status, refused) = app.submit(&learner, None, problem, "a.py", HELLO_PY).await;
    assert_eq!(status, 422, "{refused}");
    let (_, archive) = app.get("/api/archive?q=hello", None).await;
    assert!(!ids(&archive).contains(&problem));

    // It ends: anyone may practise its problems.
    let (status, c) = app
        .request(
            reqwest::Method::PATCH,
            &format!("/api/contests/{contest}"),
            Some(&admin),
            Some(json!({"start_at": now_ms() - 120_000, "end_at": now_ms() - 1_000})),
        )
        .await;
    assert_eq!(status, 200, "{c}");
    let (status, s) = app.submit(&learner, None, problem, "a.py", HELLO_PY).await;
    assert_eq!(status, 202, "{s}");
    let judged = app.wait_judged(&learner, s["id"].as_i64().unwrap()).await;
    assert_eq!(judged["verdict"], "AC");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (_, archive) = app.get("/api/archive?q=hello", None).await;
        if ids(&archive).contains(&problem) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the ended contest's problem is listed"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[tokio::test]
async fn a_problem_reads_in_each_language_its_package_gives() {
    let app = spawn_app();
    let admin = app.admin().await;
    let tmp = tempfile::tempdir().unwrap();
    let id = app
        .import_dir(&admin, &hello_in_two_languages(tmp.path()), "bilingual")
        .await;
    let (status, en) = app.get(&format!("/api/problems/{id}"), None).await;
    assert_eq!(status, 200, "{en}");
    assert_eq!(
        (&en["name"], &en["language"], &en["languages"]),
        (
            &json!("Hello World"),
            &json!("en"),
            &json!(["en", "de", "pt-BR"])
        )
    );
    assert!(
        en["statement"].as_str().unwrap().starts_with("Print"),
        "{en}"
    );
    let (_, de) = app.get(&format!("/api/problems/{id}?lang=de"), None).await;
    assert_eq!(
        (&de["name"], &de["language"]),
        (&json!("Hallo Welt"), &json!("de"))
    );
    assert!(de["statement"].as_str().unwrap().starts_with("Gib"), "{de}");
    assert!(
        de["statement_html"]
            .as_str()
            .unwrap()
            .contains("<em>Hello World!</em>"),
        "{de}"
    );
    // A name-only language keeps the main statement; an unknown one is the main problem.
    let (_, pt) = app
        .get(&format!("/api/problems/{id}?lang=pt-BR"), None)
        .await;
    assert_eq!(pt["name"], json!("Olá Mundo"));
    assert!(
        pt["statement"].as_str().unwrap().starts_with("Print"),
        "{pt}"
    );
    let (_, other) = app.get(&format!("/api/problems/{id}?lang=xx"), None).await;
    assert_eq!(
        (&other["name"], &other["language"]),
        (&json!("Hello World"), &json!("en"))
    );
}
