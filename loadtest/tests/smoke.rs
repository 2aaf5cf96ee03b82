//! Short runs of each scenario against a local `codehub serve`: the harness connects,
//! measures, and writes a well-formed report with nothing missed.

use std::path::PathBuf;
use std::process::Command;

fn loadtest() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_codehub-loadtest"))
}

/// The `codehub` binary of the same build (built by `cargo test --workspace`).
fn codehub() -> PathBuf {
    let path = loadtest().with_file_name("codehub");
    assert!(
        path.exists(),
        "{} is missing: build the workspace (cargo test --workspace)",
        path.display()
    );
    path
}

#[test]
fn a_short_spectators_run_reports_every_delta() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    let plot = dir.path().join("latency.svg");
    let out = Command::new(loadtest())
        .args([
            "spectators",
            "--local",
            "--connections",
            "60",
            "--duration",
            "3s",
            "--rate",
            "3",
            "--processes",
            "2",
        ])
        .arg("--codehub")
        .arg(codehub())
        .arg("--report")
        .arg(&report)
        .arg("--plot")
        .arg(&plot)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(r["connections_established"], 60);
    assert_eq!(r["deltas_missed"], 0);
    assert_eq!(r["deltas_out_of_order"], 0);
    let published = r["deltas_published"].as_u64().unwrap();
    assert!(published >= 8, "{r}");
    assert_eq!(
        r["messages_delivered"].as_u64().unwrap(),
        60 * published,
        "{r}"
    );
    for key in ["p50", "p90", "p99", "p999", "max"] {
        assert!(r["latency_ms"][key].as_u64().is_some(), "{key} in {r}");
    }
    assert!(std::fs::read_to_string(&plot).unwrap().contains("<svg"));
}

#[test]
fn a_short_ramp_finds_the_largest_size_within_the_bound() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("ramp.json");
    let out = Command::new(loadtest())
        .args([
            "ramp",
            "--local",
            "--start",
            "20",
            "--step",
            "20",
            "--max",
            "40",
            "--duration",
            "2s",
            "--rate",
            "2",
            "--bound-ms",
            "30000",
        ])
        .arg("--codehub")
        .arg(codehub())
        .arg("--report")
        .arg(&report)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(r["largest_connections_within_bound"], 40, "{r}");
    assert_eq!(r["steps"].as_array().unwrap().len(), 2);
}

#[test]
fn bad_arguments_get_a_readable_error() {
    let out = Command::new(loadtest())
        .args(["spectators", "--connections", "5", "--duration", "1s"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--url"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = Command::new(loadtest())
        .args(["spectators", "--local", "--duration", "5h"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown unit"));
}

#[test]
fn a_short_contest_run_judges_every_submission_as_expected() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("contest.json");
    // Access tokens live one second, so every contestant's and the admin's expire during
    // the run: the harness must sign them in again rather than count refusals.
    let short_tokens = dir.path().join("codehub-short-tokens");
    std::fs::write(
        &short_tokens,
        format!(
            "#!/bin/sh\nexec '{}' \"$@\" --access-ttl 1\n",
            codehub().display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&short_tokens, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = Command::new(loadtest())
        .args([
            "contest",
            "--local",
            "--contestants",
            "3",
            "--spectators",
            "20",
            "--rate",
            "2",
            "--duration",
            "4s",
        ])
        .arg("--codehub")
        .arg(&short_tokens)
        .arg("--report")
        .arg(&report)
        .args(["--sample-every", "500ms", "--resources"])
        .arg(dir.path().join("resources.svg"))
        .arg("--metrics")
        .arg(dir.path().join("metrics.txt"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(r["ok"], true, "{r}");
    assert!(r["submissions"].as_u64().unwrap() >= 6, "{r}");
    // The server's memory and descriptors over the run, and its metrics at the end.
    let resources = &r["server_resources"];
    assert!(resources["samples"].as_u64().unwrap() >= 5, "{r}");
    assert!(resources["rss_kib_last"].as_u64().unwrap() > 1000, "{r}");
    let csv = std::fs::read_to_string(dir.path().join("resources.csv")).unwrap();
    assert!(csv.starts_with("seconds,rss_kib,open_fds\n"), "{csv}");
    let svg = std::fs::read_to_string(dir.path().join("resources.svg")).unwrap();
    assert!(svg.contains("RSS, MiB"), "the plot");
    let metrics = std::fs::read_to_string(dir.path().join("metrics.txt")).unwrap();
    assert!(
        metrics.contains("codehub_judgements_total{"),
        "the judged submissions are in /metrics"
    );
    assert_eq!(r["judged"], r["submissions"]);
    assert_eq!(
        (
            r["unexpected_verdicts"].as_u64(),
            r["deltas_missed"].as_u64()
        ),
        (Some(0), Some(0))
    );
    for key in ["post_latency_ms", "submit_to_verdict_ms", "latency_ms"] {
        assert!(r[key]["p99"].as_u64().is_some(), "{key}: {r}");
    }
}

/// Runs `cmd` with `--report`, checks it succeeded, and returns the report.
fn report_of(cmd: &mut Command) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    let out = cmd.arg("--report").arg(&report).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap()
}

/// nginx with nchan, which the test script installs; CI requires it.
fn nchan_or_skip() -> bool {
    let here = codehub_loadtest::nchan::installed();
    if !here {
        assert!(
            std::env::var_os("CI").is_none(),
            "nginx-light and libnginx-mod-nchan are missing (scripts/test installs them)"
        );
        eprintln!("nchan: SKIPPED (apt-get install nginx-light libnginx-mod-nchan)");
    }
    here
}

#[test]
fn the_peer_takes_the_same_spectators_workload() {
    if !nchan_or_skip() {
        return;
    }
    let r = report_of(Command::new(loadtest()).args([
        "spectators",
        "--peer",
        "nchan",
        "--connections",
        "40",
        "--duration",
        "2s",
        "--rate",
        "4",
    ]));
    assert_eq!(r["server"], "nchan");
    assert_eq!(r["connections_established"], 40);
    assert_eq!(
        (&r["deltas_missed"], &r["deltas_out_of_order"]),
        (&0.into(), &0.into())
    );
    let published = r["deltas_published"].as_u64().unwrap();
    assert!(published >= 6, "{r}");
    assert_eq!(r["messages_delivered"].as_u64().unwrap(), published * 40);
    assert!(r["server_cpu_us_per_message"].as_f64().is_some(), "{r}");
}

#[test]
fn compare_runs_both_servers_and_reports_their_ratios() {
    if !nchan_or_skip() {
        return;
    }
    let r = report_of(
        Command::new(loadtest())
            .args([
                "compare",
                "--local",
                "--connections",
                "30",
                "--duration",
                "2s",
                "--rate",
                "4",
            ])
            .arg("--codehub")
            .arg(codehub()),
    );
    assert_eq!(r["ok"], true, "{r}");
    for (side, name) in [("codehub", "codehub"), ("nchan", "nchan")] {
        assert_eq!(r[side]["server"], name);
        assert_eq!(r[side]["connections_established"], 30, "{r}");
        assert_eq!(r[side]["deltas_missed"], 0, "{r}");
    }
    let ratios = &r["codehub_over_nchan"];
    for key in ["latency_p50", "latency_p99", "setup_per_s"] {
        assert!(ratios[key].as_f64().is_some_and(|x| x > 0.0), "{key}: {r}");
    }
    // CPU is read in 10 ms ticks: a short run may see none on one side.
    for side in ["codehub", "nchan"] {
        assert!(
            r[side]["server_cpu_us_per_message"].as_f64().is_some(),
            "{r}"
        );
    }
}
