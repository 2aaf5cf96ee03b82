//! `POST /api/runs`: code run on a sample or typed input in the sandbox, without a
//! submission: outputs, limits, the sample's check, refusals, its own rate limit, its
//! place behind queued submissions, and contests that forbid it.

use crate::helpers::*;
use serde_json::{Value, json};

const HELLO_PY: &str = "print('Hello World!')\n";

fn run(problem: i64, file: &str, code: &str, input: Value) -> Value {
    json!({"problem_id": problem, "files": [{"name": file, "contents": code}], "input": input})
}

#[tokio::test]
async fn a_run_shows_its_output_checks_samples_and_stores_nothing() {
    let app = spawn_app_with(Options {
        config: Some("[rate]\nrun_burst = 100\n".into()),
        ..Options::default()
    });
    let admin = app.admin().await;
    let hello = app.import(&admin, "hello").await;
    let (token, _) = app.register("runner").await;
    let post = |body: Value| {
        let (app, token) = (&app, token.clone());
        async move { app.post("/api/runs", Some(&token), body).await }
    };

    // A sample: checked against its answer.
    let (status, ok) = post(run(hello, "a.py", HELLO_PY, json!({"sample": 1}))).await;
    assert_eq!(status, 200, "{ok}");
    assert_eq!(ok["verdict"], "AC", "{ok}");
    assert_eq!(ok["stdout"], "Hello World!\n");
    assert_eq!(ok["exit_code"], 0);
    assert!(
        ok["sample"]["expected"]
            .as_str()
            .unwrap()
            .contains("Hello World!")
    );
    let (_, wrong) = post(run(hello, "a.py", "print('Hello')\n", json!({"sample": 1}))).await;
    assert_eq!(wrong["verdict"], "WA", "{wrong}");
    assert!(wrong["sample"]["message"].as_str().is_some(), "{wrong}");

    // Typed input: output and error output, nothing to check against.
    let echo = "import sys\nprint(sys.stdin.read().upper(), end='')\nsys.stderr.write('note')\n";
    let (status, typed) = post(run(hello, "a.py", echo, json!({"stdin": "abc\n"}))).await;
    assert_eq!(status, 200, "{typed}");
    assert_eq!(
        (&typed["verdict"], &typed["stdout"], &typed["stderr"]),
        (&Value::Null, &json!("ABC\n"), &json!("note"))
    );

    // Judging's limits and verdicts.
    let (_, tle) = post(run(
        hello,
        "a.py",
        "while True:\n    pass\n",
        json!({"stdin": ""}),
    ))
    .await;
    assert_eq!(tle["verdict"], "TLE", "{tle}");
    let (_, rte) = post(run(
        hello,
        "a.py",
        "raise SystemExit(3)\n",
        json!({"stdin": ""}),
    ))
    .await;
    assert_eq!(
        (&rte["verdict"], &rte["exit_code"]),
        (&json!("RTE"), &json!(3))
    );
    let (_, ce) = post(run(hello, "a.c", "int main( {\n", json!({"stdin": ""}))).await;
    assert_eq!(ce["verdict"], "CE", "{ce}");
    assert!(!ce["compile_output"].as_str().unwrap().is_empty());
    let flood = "import sys\nsys.stdout.write('x' * 200000)\n";
    let (_, long) = post(run(hello, "a.py", flood, json!({"stdin": ""}))).await;
    assert_eq!(long["stdout_truncated"], true, "only the start is shown");
    assert_eq!(long["stdout"].as_str().unwrap().len(), 64 << 10);

    // Refusals, each with {code, message}.
    let (status, missing) = post(run(hello, "a.py", HELLO_PY, json!({"sample": 2}))).await;
    assert_eq!(status, 422, "{missing}");
    assert!(
        missing["message"].as_str().unwrap().contains("has 1"),
        "{missing}"
    );
    let huge = "x".repeat((1 << 20) + 1);
    let (status, _) = post(run(hello, "a.py", HELLO_PY, json!({"stdin": huge}))).await;
    assert_eq!(status, 413);
    let (status, _) = post(run(9999, "a.py", HELLO_PY, json!({"sample": 1}))).await;
    assert_eq!(status, 404);
    let interactive = app.import(&admin, "interactive").await;
    let (status, body) = post(run(interactive, "a.py", HELLO_PY, json!({"stdin": ""}))).await;
    assert_eq!(status, 422, "{body}");
    assert!(body["message"].as_str().unwrap().contains("interactive"));
    let (status, _) = app
        .post(
            "/api/runs",
            None,
            run(hello, "a.py", HELLO_PY, json!({"sample": 1})),
        )
        .await;
    assert_eq!(status, 401);

    // Nothing was stored.
    let (_, mine) = app.get("/api/submissions", Some(&token)).await;
    assert_eq!(mine, json!([]));
}

#[tokio::test]
async fn runs_have_their_own_rate_limit() {
    let app = spawn_app_with(Options {
        config: Some("[rate]\nrun_burst = 2\nrun_refill_secs = 60\n".into()),
        ..Options::default()
    });
    let admin = app.admin().await;
    let hello = app.import(&admin, "hello").await;
    let (token, _) = app.register("eager").await;
    for _ in 0..2 {
        let body = run(hello, "a.py", HELLO_PY, json!({"sample": 1}));
        assert_eq!(app.post("/api/runs", Some(&token), body).await.0, 200);
    }
    let resp = app
        .client
        .post(format!("{}/api/runs", app.base))
        .bearer_auth(&token)
        .json(&run(hello, "a.py", HELLO_PY, json!({"sample": 1})))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 429);
    let retry: u64 = resp.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((20..=60).contains(&retry), "{retry}");
    // Submissions are counted apart.
    assert_eq!(
        app.submit(&token, None, hello, "a.py", HELLO_PY).await.0,
        202
    );
}

#[tokio::test]
async fn a_run_waits_behind_every_queued_submission() {
    let app = spawn_app();
    let admin = app.admin().await;
    let hello = app.import(&admin, "hello").await;
    let (token, _) = app.register("busy").await;
    // Six one-second submissions for two judges: a queue of several seconds.
    let mut ids = Vec::new();
    for _ in 0..6 {
        let (status, s) = app
            .submit(&token, None, hello, "a.py", "while True:\n    pass\n")
            .await;
        assert_eq!(status, 202, "{s}");
        ids.push(s["id"].as_i64().unwrap());
    }
    let (status, ran) = app
        .post(
            "/api/runs",
            Some(&token),
            run(hello, "a.py", HELLO_PY, json!({"sample": 1})),
        )
        .await;
    assert_eq!((status, &ran["verdict"]), (200, &json!("AC")), "{ran}");
    // By the time the run answered, every submission made before it had left the queue.
    for id in ids {
        let (_, s) = app
            .get(&format!("/api/submissions/{id}"), Some(&token))
            .await;
        assert_ne!(s["status"], "queued", "submission {id} still waits: {s}");
    }
}

#[tokio::test]
async fn runs_are_refused_during_a_contest_unless_it_allows_them() {
    let app = spawn_app();
    let admin = app.admin().await;
    let hello = app.import(&admin, "hello").await;
    let contest = app.contest(&admin, "runs", &[hello], json!({})).await;
    let (token, _) = app.register("entrant").await;
    let (outsider, _) = app.register("learner").await;
    let (status, _) = app
        .post(
            &format!("/api/contests/{contest}/register"),
            Some(&token),
            json!({}),
        )
        .await;
    assert!(status < 300, "{status}");
    let sample = run(hello, "a.py", HELLO_PY, json!({"sample": 1}));
    let mut in_contest = sample.clone();
    in_contest["contest_id"] = json!(contest);

    // A participant: refused in the contest and on the practice page alike.
    for body in [&in_contest, &sample] {
        let (status, refused) = app.post("/api/runs", Some(&token), body.clone()).await;
        assert_eq!(status, 403, "{refused}");
        assert!(
            refused["message"]
                .as_str()
                .unwrap()
                .contains("runs are off")
        );
    }
    // Someone outside the contest practises the same problem; the jury may always run.
    assert_eq!(
        app.post("/api/runs", Some(&outsider), sample.clone())
            .await
            .0,
        200
    );
    assert_eq!(
        app.post("/api/runs", Some(&admin), in_contest.clone())
            .await
            .0,
        200
    );

    // The jury allows runs: the participant may run now.
    let (status, c) = app
        .request(
            reqwest::Method::PATCH,
            &format!("/api/contests/{contest}"),
            Some(&admin),
            Some(json!({"allow_runs": true})),
        )
        .await;
    assert_eq!((status, &c["allow_runs"]), (200, &json!(true)), "{c}");
    let (status, ran) = app.post("/api/runs", Some(&token), in_contest).await;
    assert_eq!((status, &ran["verdict"]), (200, &json!("AC")), "{ran}");
}
