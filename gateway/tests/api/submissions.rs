//! Submitting: the refusals, each with its status and message.

use super::helpers::{Options, now_ms, spawn_app, spawn_app_with};
use serde_json::json;

const HELLO_C: &str = "#include <stdio.h>\nint main(void) { puts(\"Hello World!\"); return 0; }\n";

#[tokio::test]
async fn refused_submissions_say_why() {
    let app = spawn_app();
    let admin = app.admin().await;
    let hello = app.import(&admin, "hello").await;
    let floats = app.import(&admin, "floats").await;
    let running = app.contest(&admin, "now", &[hello], json!({})).await;
    let later = app
        .contest(
            &admin,
            "later",
            &[hello],
            json!({"start_at": now_ms() + 3_600_000, "end_at": now_ms() + 7_200_000}),
        )
        .await;
    let over = app
        .contest(
            &admin,
            "over",
            &[hello],
            json!({"start_at": now_ms() - 7_200_000, "end_at": now_ms() - 3_600_000}),
        )
        .await;
    let (token, _) = app.register("frank").await;

    let big = "x".repeat(129 << 10);
    let cases: Vec<(serde_json::Value, u16, &str)> = vec![
        (
            json!({"problem_id": hello, "contest_id": running, "language": "cobol", "files": [{"name": "a.cob", "contents": "x"}]}),
            422,
            "unknown language `cobol`",
        ),
        (
            json!({"problem_id": hello, "contest_id": running, "files": [{"name": "notes.txt", "contents": "x"}]}),
            422,
            "cannot tell the language",
        ),
        (
            json!({"problem_id": 4242, "contest_id": running, "files": [{"name": "a.c", "contents": HELLO_C}]}),
            404,
            "unknown problem 4242",
        ),
        (
            json!({"problem_id": floats, "contest_id": running, "files": [{"name": "a.c", "contents": HELLO_C}]}),
            422,
            "not part of this contest",
        ),
        (
            json!({"problem_id": hello, "contest_id": 999, "files": [{"name": "a.c", "contents": HELLO_C}]}),
            404,
            "unknown contest 999",
        ),
        (
            json!({"problem_id": hello, "contest_id": later, "files": [{"name": "a.c", "contents": HELLO_C}]}),
            403,
            "the contest is scheduled",
        ),
        (
            json!({"problem_id": hello, "contest_id": over, "files": [{"name": "a.c", "contents": HELLO_C}]}),
            403,
            "the contest is ended",
        ),
        (
            json!({"problem_id": hello, "contest_id": running, "files": [{"name": "a.c", "contents": big}]}),
            413,
            "at most 131072 bytes",
        ),
        (
            json!({"problem_id": hello, "contest_id": running, "files": []}),
            422,
            "at least one",
        ),
        (
            json!({"problem_id": hello, "contest_id": running}),
            422,
            "files",
        ),
        (
            json!({"contest_id": running, "files": [{"name": "a.c", "contents": HELLO_C}]}),
            422,
            "problem_id",
        ),
    ];
    for (body, status, needle) in cases {
        let (got, resp) = app
            .post("/api/submissions", Some(&token), body.clone())
            .await;
        assert_eq!(got, status, "{body} → {resp}");
        assert_eq!(resp["code"], status);
        assert!(
            resp["message"].as_str().unwrap_or("").contains(needle),
            "{needle}: {resp}"
        );
    }
    let (status, _) = app
        .post(
            "/api/submissions",
            None,
            json!({"problem_id": hello, "files": []}),
        )
        .await;
    assert_eq!(status, 401);

    // A problem not open for practice cannot be submitted outside a contest.
    let (status, p) = app.get("/api/problems", Some(&admin)).await;
    assert_eq!(status, 200);
    let demo_a = p.as_array().unwrap()[0]["id"].as_i64().unwrap();
    let (status, _) = app.submit(&token, None, demo_a, "a.c", HELLO_C).await;
    assert_eq!(status, 202, "demo problems are open for practice");
}

#[tokio::test]
async fn contestants_see_only_their_own_submissions() {
    let app = spawn_app();
    let admin = app.admin().await;
    let hello = app.import(&admin, "hello").await;
    let c = app.contest(&admin, "own", &[hello], json!({})).await;
    let (alice, _) = app.register("alice").await;
    let (bob, _) = app.register("bob").await;
    let (status, s) = app.submit(&alice, Some(c), hello, "a.c", HELLO_C).await;
    assert_eq!(status, 202);
    let id = s["id"].as_i64().unwrap();
    let judged = app.wait_judged(&alice, id).await;
    assert_eq!(judged["verdict"], "AC");
    assert!(
        judged["tests"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["name"].as_str().unwrap().starts_with("sample/")),
        "contestants see sample results only: {judged}"
    );
    assert_eq!(judged["tests_run"], 2);
    let (status, _) = app.get(&format!("/api/submissions/{id}"), Some(&bob)).await;
    assert_eq!(status, 404);
    let (status, list) = app.get("/api/submissions", Some(&bob)).await;
    assert_eq!((status, list.as_array().unwrap().len()), (200, 0));
    let (status, jury_view) = app
        .get(&format!("/api/submissions/{id}"), Some(&admin))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        jury_view["tests"].as_array().unwrap().len(),
        2,
        "the jury sees every test"
    );
}

#[tokio::test]
async fn the_list_of_ones_submissions_comes_a_page_at_a_time() {
    let app = spawn_app();
    let admin = app.admin().await;
    let hello = app.import(&admin, "hello").await;
    let (learner, _) = app.register("pager").await;
    let mut made = Vec::new();
    for _ in 0..3 {
        let (status, s) = app.submit(&learner, None, hello, "a.c", HELLO_C).await;
        assert_eq!(status, 202, "{s}");
        made.push(s["id"].as_i64().unwrap());
    }
    let ids = |list: &serde_json::Value| -> Vec<i64> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_i64().unwrap())
            .collect()
    };
    let (status, all) = app.get("/api/submissions", Some(&learner)).await;
    assert_eq!(status, 200);
    assert_eq!(ids(&all), vec![made[2], made[1], made[0]], "newest first");
    let (_, first) = app.get("/api/submissions?limit=2", Some(&learner)).await;
    assert_eq!(ids(&first), vec![made[2], made[1]]);
    let (_, next) = app
        .get(
            &format!("/api/submissions?limit=2&before={}", made[1]),
            Some(&learner),
        )
        .await;
    assert_eq!(
        ids(&next),
        vec![made[0]],
        "the next page: older than the last seen"
    );
    for bad in ["limit=0", "limit=1001"] {
        let (status, error) = app
            .get(&format!("/api/submissions?{bad}"), Some(&learner))
            .await;
        assert_eq!(status, 400, "{bad}: {error}");
        assert!(
            error["message"]
                .as_str()
                .unwrap()
                .contains("limit must be 1 to 1000"),
            "{error}"
        );
    }
    let (status, error) = app.get("/api/submissions?limit=many", Some(&learner)).await;
    assert_eq!(status, 400, "{error}");
}

#[tokio::test]
async fn the_rate_limit_answers_429_with_retry_after() {
    let app = spawn_app_with(Options {
        rate_burst: 2,
        ..Options::default()
    });
    let admin = app.admin().await;
    let hello = app.import(&admin, "hello").await;
    let (token, _) = app.register("grace").await;
    for _ in 0..2 {
        assert_eq!(app.submit(&token, None, hello, "a.c", HELLO_C).await.0, 202);
    }
    let resp = app
        .client
        .post(format!("{}/api/submissions", app.base))
        .bearer_auth(&token)
        .json(&json!({"problem_id": hello, "files": [{"name": "a.c", "contents": HELLO_C}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 429);
    let retry: u64 = resp.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=30).contains(&retry), "{retry}");
    let body: serde_json::Value = resp.json().await.unwrap();
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("too many submissions")
    );
}

#[tokio::test]
async fn learners_practise_outside_contests_and_see_their_progress() {
    let app = spawn_app();
    let (token, _) = app.register("learner").await;
    let (status, problems) = app.get("/api/problems", None).await;
    assert_eq!(status, 200);
    let practice: Vec<i64> = problems
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["practice"] == true)
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    assert!(
        practice.len() >= 2,
        "the demo opens its problems for practice: {problems}"
    );
    let (status, s) = app.submit(&token, None, practice[0], "a.c", HELLO_C).await;
    assert_eq!(status, 202, "{s}");
    let judged = app.wait_judged(&token, s["id"].as_i64().unwrap()).await;
    assert_eq!(judged["verdict"], "AC");
    let (status, progress) = app.get("/api/practice/progress", Some(&token)).await;
    assert_eq!(status, 200);
    let rows = progress.as_array().unwrap();
    let row = |id: i64| rows.iter().find(|r| r["problem_id"] == id).unwrap();
    assert_eq!(
        (
            row(practice[0])["solved"].as_bool(),
            row(practice[0])["attempts"].as_i64()
        ),
        (Some(true), Some(1))
    );
    assert_eq!(
        (
            row(practice[1])["solved"].as_bool(),
            row(practice[1])["attempts"].as_i64()
        ),
        (Some(false), Some(0))
    );
}

#[tokio::test]
async fn the_jury_rejudges_a_submission_and_it_is_judged_again() {
    let app = spawn_app();
    let admin = app.admin().await;
    let hello = app.import(&admin, "hello").await;
    let c = app.contest(&admin, "rejudge", &[hello], json!({})).await;
    let (token, user) = app.register("rita").await;
    let (_, s) = app.submit(&token, Some(c), hello, "a.c", HELLO_C).await;
    let id = s["id"].as_i64().unwrap();
    let first = app.wait_judged(&token, id).await;
    assert_eq!(first["verdict"], "AC");
    let (status, _) = app
        .post(
            &format!("/api/submissions/{id}/rejudge"),
            Some(&token),
            json!({}),
        )
        .await;
    assert_eq!(status, 403, "contestants cannot rejudge");
    let (status, _) = app
        .post(
            &format!("/api/submissions/{id}/rejudge"),
            Some(&admin),
            json!({}),
        )
        .await;
    assert_eq!(status, 202);
    let (status, _) = app
        .post("/api/submissions/99999/rejudge", Some(&admin), json!({}))
        .await;
    assert_eq!(status, 404);
    let again = app.wait_judged(&token, id).await;
    assert_eq!(again["verdict"], "AC");
    let board = app.settled_board(&admin, c).await;
    let row = board["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["team"] == user)
        .unwrap()
        .clone();
    assert_eq!(
        (row["solved"].as_i64(), row["cells"][0]["attempts"].as_i64()),
        (Some(1), Some(1)),
        "counted once: {row}"
    );
}

#[tokio::test]
async fn unusable_file_names_are_refused_at_the_door_with_the_rule() {
    let app = spawn_app();
    let admin = app.admin().await;
    let hello = app.import(&admin, "hello").await;
    let (token, _) = app.register("nadia").await;
    let hello_py = "print(\"Hello World!\")\n";

    for name in [
        "../../etc/passwd.py",
        "x/y.py",
        ".hidden.py",
        "a b\\#.py",
        "a b#.py",
        "",
        "Makefile",
    ] {
        let (status, resp) = app.submit(&token, None, hello, name, hello_py).await;
        assert_eq!(
            (status, resp["code"].as_u64()),
            (422, Some(422)),
            "{name:?}: {resp}"
        );
        let message = resp["message"].as_str().unwrap();
        assert!(
            message.starts_with(&format!("file name `{}` ", name.escape_debug())),
            "names the file: {message}"
        );
        assert!(
            message.contains("a file name is 1 to 100 characters: ASCII letters, digits"),
            "states the rule: {message}"
        );
    }
    // Names that follow the rule but hold no source file of the language.
    let cases = [
        (
            json!("python3"),
            "a.cpp",
            "no Python 3 source file: at least one file must end in .py, .py3",
        ),
        (
            json!(null),
            "notes.txt",
            "cannot tell the language from the file names: none ends in a known extension (.c, ",
        ),
        (json!(null), "a.PY", "no Python 3 source file"),
    ];
    for (language, name, needle) in cases {
        let (status, resp) = app
            .post(
                "/api/submissions",
                Some(&token),
                json!({"problem_id": hello, "language": language, "files": [{"name": name, "contents": hello_py}]}),
            )
            .await;
        assert_eq!(status, 422, "{name}: {resp}");
        assert!(
            resp["message"].as_str().unwrap().contains(needle),
            "{needle}: {resp}"
        );
    }
    let (status, mine) = app.get("/api/submissions", Some(&token)).await;
    assert_eq!(
        (status, mine),
        (200, json!([])),
        "nothing refused was stored"
    );

    // Names in use today still pass, and are judged.
    let (status, s) = app
        .submit(&token, None, hello, "hello_world-2.py", hello_py)
        .await;
    assert_eq!(status, 202, "{s}");
    let judged = app.wait_judged(&token, s["id"].as_i64().unwrap()).await;
    assert_eq!(judged["verdict"], "AC", "{judged}");
    let (status, s) = app
        .post(
            "/api/submissions",
            Some(&token),
            json!({"problem_id": hello, "files": [
                {"name": "main.c", "contents": HELLO_C},
                {"name": "util.h", "contents": "#define GREETING 1\n"},
            ]}),
        )
        .await;
    assert_eq!(status, 202, "a header beside the source: {s}");
    assert_eq!(s["language"], "c", "{s}");
    let (status, s) = app
        .submit(&token, None, hello, "Main.java", "public class Main { public static void main(String[] a) { System.out.println(\"Hello World!\"); } }")
        .await;
    assert_eq!(status, 202, "{s}");
}

#[tokio::test]
async fn output_only_answers_are_accepted_and_judged() {
    let app = spawn_app();
    let admin = app.admin().await;
    let problem = app.import(&admin, "answers2023").await;
    let hello = app.import(&admin, "hello").await;
    let (status, view) = app.get(&format!("/api/problems/{problem}"), None).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["kind"], "answers", "{view}");
    assert_eq!(
        view["answer_files"],
        json!(["sample.1.out", "1.out", "2.out"])
    );
    let (_, view) = app.get(&format!("/api/problems/{hello}"), None).await;
    assert_eq!(
        (&view["kind"], view.get("answer_files")),
        (&json!("program"), None)
    );
    let (token, _) = app.register("outputter").await;
    let answers = |problem: i64, files: &[(&str, &str)]| {
        json!({"problem_id": problem, "language": "answer", "files": files
            .iter()
            .map(|(name, contents)| json!({"name": name, "contents": contents}))
            .collect::<Vec<_>>()})
    };

    // Refused at the door, with the reason: a program, a stray or repeated answer file,
    // answers to a problem that takes programs.
    for (body, needle) in [
        (
            json!({"problem_id": problem, "files": [{"name": "a.py", "contents": "print(7)"}], "language": "python3"}),
            "takes answer files (language `answer`)",
        ),
        (
            answers(problem, &[("3.out", "7")]),
            "`3.out` is not an answer file of problem",
        ),
        (
            answers(problem, &[("1.out", "7"), ("1.out", "7")]),
            "`1.out` is given twice",
        ),
        (answers(hello, &[("1.out", "7")]), "takes a program"),
    ] {
        let (status, resp) = app.post("/api/submissions", Some(&token), body).await;
        assert_eq!(status, 422, "{resp}");
        assert!(
            resp["message"].as_str().unwrap().contains(needle),
            "{needle}: {resp}"
        );
    }

    // Judged by the problem's validator, like a program's output; a sample may be left out.
    for (files, verdict) in [
        (&[("1.out", "13\n"), ("2.out", "11\n")][..], "AC"),
        (&[("1.out", "13\n"), ("2.out", "10\n")][..], "WA"),
    ] {
        let (status, s) = app
            .post("/api/submissions", Some(&token), answers(problem, files))
            .await;
        assert_eq!(status, 202, "{s}");
        assert_eq!(s["language"], "answer", "{s}");
        let judged = app.wait_judged(&token, s["id"].as_i64().unwrap()).await;
        assert_eq!(judged["verdict"], verdict, "{judged}");
    }
}
