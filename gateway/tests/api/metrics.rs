//! Prometheus metrics: who may scrape `/metrics`, that the values move when submissions
//! are judged, that `promtool check metrics` accepts the exposition, and that a real
//! Prometheus (Debian's `prometheus`, started here on loopback) scrapes a node.

use super::helpers::{Options, TestApp, spawn_app_with};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const HELLO_C: &str = "#include <stdio.h>\nint main(void) { puts(\"Hello World!\"); return 0; }\n";
const BYE_C: &str = "#include <stdio.h>\nint main(void) { puts(\"Goodbye!\"); return 0; }\n";

/// `promtool`, or `None` (and the SKIPPED marker that fails `scripts/test`, which
/// installs it).
fn promtool() -> Option<&'static str> {
    if Command::new("promtool").arg("--version").output().is_ok() {
        Some("promtool")
    } else {
        eprintln!("prometheus: SKIPPED (install Debian's prometheus; scripts/test does)");
        None
    }
}

/// The value of the sample `name{labels}` (labels as rendered), if present.
fn sample(exposition: &str, series: &str) -> Option<f64> {
    exposition.lines().find_map(|line| {
        let (name, value) = line.rsplit_once(' ')?;
        (name == series).then(|| value.parse().ok())?
    })
}

/// Judges an accepted and a wrong submission of the `hello` package.
async fn judge_two(app: &TestApp) {
    let admin = app.admin().await;
    let hello = app.import(&admin, "hello").await;
    let (token, _) = app.register("metered").await;
    for (code, verdict) in [(HELLO_C, "AC"), (BYE_C, "WA")] {
        let (status, s) = app.submit(&token, None, hello, "a.c", code).await;
        assert_eq!(status, 202, "{s}");
        let judged = app.wait_judged(&token, s["id"].as_i64().unwrap()).await;
        assert_eq!(judged["verdict"], verdict);
    }
}

async fn scrape(app: &TestApp, token: Option<&str>) -> (u16, String, String) {
    let mut request = app.client.get(format!("{}/metrics", app.base));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, kind, response.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_are_for_admins_or_allowed_networks_and_move_with_judging() {
    let app = spawn_app_with(Options {
        config: Some("[metrics]\nallow = [\"10.77.0.0/16\"]\n".into()),
        ..Options::default()
    });
    // Loopback is not in the allowed network: a token is needed, an admin's.
    let (status, _, body) = scrape(&app, None).await;
    assert_eq!(status, 401, "{body}");
    let error: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(
        error["message"].as_str().unwrap().contains("metrics"),
        "{error}"
    );
    let (contestant, _) = app.register("not_an_admin").await;
    assert_eq!(scrape(&app, Some(&contestant)).await.0, 403);

    judge_two(&app).await;
    let admin = app.admin().await;
    let (status, kind, text) = scrape(&app, Some(&admin)).await;
    assert_eq!(status, 200);
    assert!(kind.starts_with("text/plain; version=0.0.4"), "{kind}");
    for series in [
        r#"codehub_judgements_total{verdict="AC",language="c"}"#,
        r#"codehub_judgements_total{verdict="WA",language="c"}"#,
    ] {
        assert_eq!(sample(&text, series), Some(1.0), "{series} in\n{text}");
    }
    let accepted = sample(
        &text,
        r#"codehub_http_requests_total{method="POST",route="/api/submissions",status="202"}"#,
    );
    assert_eq!(accepted, Some(2.0), "{text}");
    assert!(
        sample(&text, "codehub_judge_compile_seconds_count").is_some_and(|n| n >= 2.0),
        "{text}"
    );
    assert!(
        sample(&text, "codehub_judge_test_seconds_count").is_some_and(|n| n >= 2.0),
        "{text}"
    );
    assert_eq!(sample(&text, "codehub_judge_queue_depth"), Some(0.0));
    // The heap's figures: a running node holds megabytes, and malloc keeps some free.
    let held = sample(&text, "codehub_heap_allocated_bytes").expect("held");
    let free = sample(&text, "codehub_heap_free_bytes").expect("free");
    assert!(held > 1e6 && free > 0.0, "{held} {free}");
    assert!(
        text.contains("# HELP codehub_judgements_total Submissions judged"),
        "described: {text}"
    );

    // The exposition is valid Prometheus text.
    let Some(promtool) = promtool() else {
        return;
    };
    let mut check = Command::new(promtool)
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut check.stdin.take().unwrap(), text.as_bytes()).unwrap();
    let out = check.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "promtool: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_allowed_network_scrapes_without_a_token_and_metrics_can_be_off() {
    let app = spawn_app_with(Options {
        config: Some("[metrics]\nallow = [\"127.0.0.0/8\"]\n".into()),
        ..Options::default()
    });
    assert_eq!(app.get("/healthz", None).await.0, 200);
    let (status, _, text) = scrape(&app, None).await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(
        sample(
            &text,
            r#"codehub_http_requests_total{method="GET",route="/healthz",status="200"}"#
        ),
        Some(1.0),
        "{text}"
    );
    let off = spawn_app_with(Options {
        config: Some("[metrics]\nenabled = false\n".into()),
        ..Options::default()
    });
    let admin = off.admin().await;
    assert_eq!(scrape(&off, Some(&admin)).await.0, 404);
}

/// Debian's Prometheus scrapes the node's separate metrics listener every second; its
/// query API then shows the judged submissions.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_prometheus_scrapes_a_node() {
    if promtool().is_none() {
        return;
    }
    let app = spawn_app_with(Options {
        config: Some("[metrics]\nlisten = \"127.0.0.1:0\"\n".into()),
        ..Options::default()
    });
    let target = app
        .metrics_url
        .clone()
        .expect("the node prints its metrics address");
    let target = target
        .trim_start_matches("http://")
        .trim_end_matches("/metrics")
        .to_owned();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("prometheus.yml");
    std::fs::write(
        &config,
        format!(
            "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: codehub\n    \
             static_configs:\n      - targets: ['{target}']\n"
        ),
    )
    .unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let mut prometheus = Command::new("prometheus")
        .arg(format!("--config.file={}", config.display()))
        .arg(format!("--web.listen-address=127.0.0.1:{port}"))
        .arg(format!(
            "--storage.tsdb.path={}",
            dir.path().join("data").display()
        ))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("prometheus");
    struct Kill<'a>(&'a mut std::process::Child);
    impl Drop for Kill<'_> {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let _prometheus = Kill(&mut prometheus);

    judge_two(&app).await;
    let client = reqwest::Client::new();
    // sum(codehub_judgements_total{job="codehub"}), URL-encoded.
    let query = "sum%28codehub_judgements_total%7Bjob%3D%22codehub%22%7D%29";
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut last = serde_json::Value::Null;
    loop {
        if let Ok(response) = client
            .get(format!(
                "http://127.0.0.1:{port}/api/v1/query?query={query}"
            ))
            .send()
            .await
            && let Ok(body) = response.json::<serde_json::Value>().await
        {
            let value = body["data"]["result"][0]["value"][1]
                .as_str()
                .map(str::to_owned);
            if value.as_deref() == Some("2") {
                break;
            }
            last = body;
        }
        assert!(
            Instant::now() < deadline,
            "Prometheus never saw the two judgements: {last}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    // The target is healthy in Prometheus's own view.
    let targets: serde_json::Value = client
        .get(format!("http://127.0.0.1:{port}/api/v1/targets"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        targets["data"]["activeTargets"][0]["health"], "up",
        "{targets}"
    );
}
