//! The `codehub` binary end to end: `judge`, `verify-problem` and `languages`, as a
//! problem setter or contestant runs them.

use std::path::PathBuf;
use std::process::{Command, Output};

fn codehub(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_codehub"))
        .args(args)
        .output()
        .expect("run codehub")
}

fn problems() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../judge-pool/tests/problems")
}

fn path(p: PathBuf) -> String {
    p.to_string_lossy().into_owned()
}

#[test]
fn judge_prints_json_for_every_language() {
    let hello = problems().join("hello");
    for file in ["hello.c", "hello.cpp", "hello.py", "Hello.java", "hello.rs"] {
        let src = path(hello.join("submissions/accepted").join(file));
        let out = codehub(&["judge", "--problem", &path(hello.clone()), "--json", &src]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{file}: {stdout} {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(json["verdict"], "AC", "{file}");
        for key in ["tests", "compile_output", "max_time_ms", "max_memory_kib"] {
            assert!(json.get(key).is_some(), "{file}: missing {key}");
        }
        let tests = json["tests"].as_array().unwrap();
        assert_eq!(tests.len(), 2);
        assert!(tests.iter().all(|t| t["verdict"] == "AC"
            && t.get("time_ms").is_some()
            && t.get("memory_kib").is_some()));
    }
}

#[test]
fn judge_reports_a_compile_error_with_the_compiler_output() {
    let hello = problems().join("hello");
    let src = path(hello.join("submissions/compile_error/missing_semicolon.c"));
    let out = codehub(&["judge", "--problem", &path(hello), "--json", &src]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["verdict"], "CE");
    assert!(json["compile_output"].as_str().unwrap().contains("error"));
}

#[test]
fn verify_problem_passes_a_good_package_and_fails_a_lying_one() {
    let out = codehub(&["verify-problem", &path(problems().join("floats"))]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("all verdicts as expected"), "{stdout}");
    // The summary table: a row per check.
    assert!(
        stdout.contains("secret data        ok") && stdout.contains("time limit         ok"),
        "{stdout}"
    );

    // A copy of `hello` whose wrong answer is filed under accepted/.
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("liar");
    let status = Command::new("cp")
        .arg("-r")
        .arg(problems().join("hello"))
        .arg(&copy)
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::rename(
        copy.join("submissions/wrong_answer/comma.c"),
        copy.join("submissions/accepted/comma.c"),
    )
    .unwrap();
    let out = codehub(&["verify-problem", "--json", &path(copy)]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let bad: Vec<&serde_json::Value> = json["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["expected"] != s["got"])
        .collect();
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0]["submission"], "submissions/accepted/comma.c");
    assert_eq!(bad[0]["got"], "WA");
}

#[test]
fn verify_problem_summarises_its_checks_and_fails_on_a_rejected_input() {
    let badinput = problems().join("../verify-problems/badinput");
    let out = codehub(&["verify-problem", "--json", &path(badinput)]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["ok"], false);
    let checks = json["checks"].as_array().unwrap();
    let names: Vec<&str> = checks
        .iter()
        .map(|c| c["check"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "package",
            "statement",
            "samples",
            "secret data",
            "output validator",
            "input validators",
            "submissions",
            "time limit"
        ]
    );
    let status = |name: &str| {
        checks.iter().find(|c| c["check"] == name).unwrap()["status"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(status("input validators"), "error");
    assert_eq!(status("submissions"), "ok");
    let detail = checks[5]["detail"].as_str().unwrap();
    assert!(detail.contains("secret/2"), "{detail}");
    let failures = json["input_validation"]["failures"].as_array().unwrap();
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0]["test"], "secret/2");
    assert_eq!(json["time_limit"]["time_limit_ms"], 1000);
    assert_eq!(json["time_limit"]["computed"], false);
    assert_eq!(json["submissions"][0]["got"], "AC");
}

#[test]
fn bad_input_gets_a_readable_error_and_exit_status_2() {
    let hello = path(problems().join("hello"));
    let cases: [(&[&str], &str); 4] = [
        (
            &["judge", "--problem", "/nonexistent/problem", "x.c"],
            "problem `problem`",
        ),
        (
            &["judge", "--problem", &hello, "/nonexistent/x.c"],
            "cannot read /nonexistent/x.c",
        ),
        (
            &[
                "judge",
                "--problem",
                &hello,
                "--language",
                "cobol",
                "Cargo.toml",
            ],
            "unknown language `cobol`",
        ),
        (&["verify-problem", "/nonexistent/pkg"], "cannot open"),
    ];
    for (args, expected) in cases {
        let out = codehub(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn judge_refuses_unusable_file_names_with_exit_status_2() {
    let hello = path(problems().join("hello"));
    let tmp = tempfile::tempdir().unwrap();
    let source = "print(\"Hello World!\")\n";
    let cases: [(&str, &[&str], &str); 6] = [
        (".hidden.py", &[], "file name `.hidden.py` starts with `.`"),
        ("a b#.py", &[], "file name `a b#.py` contains a space"),
        ("a b\\#.py", &[], "has a directory part (`\\`)"),
        (
            "Makefile",
            &["--language", "python3"],
            "file name `Makefile` has no extension",
        ),
        (
            "notes.txt",
            &[],
            "cannot tell the language from the file names",
        ),
        (
            "hello.cpp",
            &["--language", "python3"],
            "no Python 3 source file",
        ),
    ];
    for (name, extra, expected) in cases {
        let file = tmp.path().join(name);
        std::fs::write(&file, source).unwrap();
        let mut args = vec!["judge", "--problem", &hello];
        args.extend_from_slice(extra);
        let file = path(file);
        args.push(&file);
        let out = codehub(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains(expected), "{name}: {stderr}");
        if !expected.starts_with("file name") {
            continue;
        }
        assert!(
            stderr.contains("a file name is 1 to 100 characters") && stderr.contains("rename "),
            "{name}: states the rule and what to do: {stderr}"
        );
    }
}

#[test]
fn languages_lists_versions_found_in_the_sandbox() {
    let out = codehub(&["languages", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    for id in ["c", "cpp", "python3", "java", "rust"] {
        let row = rows
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("{id} listed"));
        assert_eq!(row["available"], true, "{id}");
        assert!(!row["version"].as_str().unwrap().is_empty());
    }
}

#[test]
fn a_language_with_a_missing_toolchain_is_unavailable_not_a_crash() {
    let tmp = tempfile::tempdir().unwrap();
    let table = tmp.path().join("languages.toml");
    std::fs::write(
        &table,
        "[languages.cobol]\nname = \"COBOL\"\nextensions = [\"cob\"]\nversion = [\"cobc\", \"--version\"]\n\
         compile = [\"cobc\", \"-x\", \"{main}\"]\nrun = [\"./{executable}\"]\nexecutable = \"main\"\nsource_name = \"main.cob\"\n",
    )
    .unwrap();
    let out = codehub(&["languages", "--json", "--languages", &path(table.clone())]);
    assert!(out.status.success());
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows[0]["available"], false);
    let src = tmp.path().join("a.cob");
    std::fs::write(&src, "IDENTIFICATION DIVISION.").unwrap();
    let hello = path(problems().join("hello"));
    let out = codehub(&[
        "judge",
        "--problem",
        &hello,
        "--languages",
        &path(table),
        &path(src),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not available"));
}

/// Whether this machine runs Docker (`scripts/test` sets `CODEHUB_REQUIRE_DOCKER=1` then).
fn docker_here() -> bool {
    let works = Command::new("docker")
        .arg("info")
        .output()
        .is_ok_and(|o| o.status.success());
    if !works {
        assert!(
            std::env::var("CODEHUB_REQUIRE_DOCKER").as_deref() != Ok("1"),
            "docker is required here"
        );
        eprintln!("docker: SKIPPED (no docker daemon)");
    }
    works
}

fn containers_of(pid: u32) -> Vec<(String, String)> {
    let out = Command::new("docker")
        .args([
            "ps",
            "-a",
            "--filter",
            &format!("label=codehub.owner.pid={pid}"),
            "--format",
            "{{.ID}} {{.State}}",
        ])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_once(' ').map(|(a, b)| (a.to_owned(), b.to_owned())))
        .collect()
}

#[test]
fn judge_on_docker_gives_the_native_verdicts() {
    if !docker_here() {
        return;
    }
    let hello = problems().join("hello");
    for (file, verdict) in [
        ("accepted/hello.cpp", "AC"),
        ("wrong_answer/comma.c", "WA"),
        ("time_limit_exceeded/spin.py", "TLE"),
    ] {
        let src = path(hello.join("submissions").join(file));
        for backend in ["native", "docker"] {
            let out = codehub(&[
                "judge",
                "--sandbox",
                backend,
                "--problem",
                &path(hello.clone()),
                "--json",
                &src,
            ]);
            let json: serde_json::Value =
                serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
                    panic!("{backend} {file}: {}", String::from_utf8_lossy(&out.stderr))
                });
            assert_eq!(json["verdict"], verdict, "{backend} {file}");
        }
    }
}

#[test]
fn containers_of_a_killed_judge_stop_and_are_removed_on_the_next_start() {
    if !docker_here() {
        return;
    }
    let hello = problems().join("hello");
    let src = path(hello.join("submissions/time_limit_exceeded/spin.c"));
    let mut judge = Command::new(env!("CARGO_BIN_EXE_codehub"))
        .args([
            "judge",
            "--sandbox",
            "docker",
            "--problem",
            &path(hello),
            &src,
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pid = judge.id();
    // Wait until it is judging in a container, then kill -9 the judge.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while containers_of(pid)
        .iter()
        .filter(|(_, s)| s == "running")
        .count()
        < 2
    {
        assert!(
            std::time::Instant::now() < deadline,
            "no container appeared"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    std::thread::sleep(std::time::Duration::from_millis(1500));
    judge.kill().unwrap();
    judge.wait().unwrap();
    // Its runners lose their connection and exit: nothing keeps running.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while containers_of(pid).iter().any(|(_, s)| s == "running") {
        assert!(
            std::time::Instant::now() < deadline,
            "containers still running: {:?}",
            containers_of(pid)
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    // The next judge start removes what is left.
    let out = codehub(&["languages", "--sandbox", "docker"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(containers_of(pid), Vec::<(String, String)>::new());
}

#[test]
fn an_unreachable_docker_daemon_is_a_clear_error() {
    let hello = path(problems().join("hello"));
    let src = path(problems().join("hello/submissions/accepted/hello.c"));
    let out = Command::new(env!("CARGO_BIN_EXE_codehub"))
        .args(["judge", "--sandbox", "docker", "--problem", &hello, &src])
        .env("DOCKER_HOST", "unix:///nonexistent/docker.sock")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("docker") && stderr.contains("does not answer"),
        "{stderr}"
    );
}

/// Runs `codehub` in a private mount namespace where `/sys/fs/cgroup` holds only cgroup2
/// (on this cgroup v1 host its controllers stay with v1, so the native sandbox cannot run).
fn codehub_with_only_cgroup2(args: &[&str], docker_host: Option<&str>) -> Output {
    let mut cmd = Command::new("unshare");
    cmd.args([
        "--mount",
        "--propagation",
        "private",
        "sh",
        "-c",
        "mount -t cgroup2 none /sys/fs/cgroup && exec \"$@\"",
        "sh",
        env!("CARGO_BIN_EXE_codehub"),
    ])
    .args(args);
    if let Some(host) = docker_host {
        cmd.env("DOCKER_HOST", host);
    }
    cmd.output().expect("run unshare")
}

#[test]
fn auto_picks_native_here_and_docker_where_cgroups_are_missing() {
    let hello = path(problems().join("hello"));
    let src = path(problems().join("hello/submissions/accepted/hello.c"));
    let judge = ["judge", "--problem", &hello, "--json", &src];
    // This host: native.
    let out = codehub(&judge);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("judging in Docker"), "{stderr}");
    let doctor = codehub(&["doctor", "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&doctor.stdout).unwrap();
    assert_eq!(report["sandbox"], "native", "{report}");

    // Only cgroup2, Docker unreachable: a clear error naming both and the ways out.
    let out = codehub_with_only_cgroup2(&judge, Some("unix:///nonexistent/docker.sock"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    for needle in [
        "no sandbox can run here",
        "native:",
        "docker:",
        "Delegate=yes",
        "codehub doctor",
    ] {
        assert!(stderr.contains(needle), "missing {needle:?} in: {stderr}");
    }
    // `languages` needs no sandbox: it falls back to the host's toolchains.
    let out = codehub_with_only_cgroup2(
        &["languages", "--json"],
        Some("unix:///nonexistent/docker.sock"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == "c" && r["available"] == true),
        "{rows}"
    );

    // Only cgroup2, Docker answering: Docker.
    if !docker_here() {
        return;
    }
    let out = codehub_with_only_cgroup2(&judge, None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("judging in Docker"), "{stderr}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["verdict"], "AC", "{json}");
}

#[test]
fn cpu_pinning_takes_a_list_and_refuses_cpus_this_host_lacks() {
    let hello = path(problems().join("hello"));
    let src = path(problems().join("hello/submissions/accepted/hello.c"));
    let out = codehub(&["judge", "--cpus", "0", "--problem", &hello, "--json", &src]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for bad in ["9999", "1-0", "x"] {
        let out = codehub(&["judge", "--cpus", bad, "--problem", &hello, &src]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad}: {stderr}");
        assert!(stderr.contains("--cpus"), "{bad}: {stderr}");
    }
}

#[test]
fn serve_refuses_a_bad_settings_file_before_starting_anything() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("codehub.toml");
    let data_dir = dir.path().join("data");
    std::fs::write(&config, "listen = \"127.0.0.1:0\"\n[rate]\nbrust = 3\n").unwrap();
    let data = path(data_dir.clone());
    let out = codehub(&[
        "serve",
        "--config",
        &path(config.clone()),
        "--data-dir",
        &data,
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("codehub.toml") && stderr.contains("brust"),
        "{stderr}"
    );
    std::fs::write(&config, "[cluster]\nremote_judges = true\n").unwrap();
    let out = codehub(&["serve", "--config", &path(config), "--data-dir", &data]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("need Redis"), "{stderr}");
    assert!(
        !data_dir.exists(),
        "nothing may be created before the settings are valid"
    );
}

#[test]
fn judge_takes_answer_files_directories_and_zips_for_an_output_only_problem() {
    let answers = problems().join("answers2023");
    let problem = path(answers.clone());
    let all = path(answers.join("submissions/accepted/all"));
    let out = codehub(&["judge", "--problem", &problem, "--json", &all]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        (&json["verdict"], &json["language"]),
        (&"AC".into(), &"answer".into())
    );

    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("answers.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    for (name, text) in [("1.out", "7\n"), ("2.out", "10\n")] {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut zip, text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
    let out = codehub(&["judge", "--problem", &problem, &path(zip_path)]);
    assert_eq!(out.status.code(), Some(1), "a wrong answer in the zip");
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("WA"));

    let stray = dir.path().join("3.out");
    std::fs::write(&stray, "7\n").unwrap();
    let stray = path(stray);
    for (args, expected) in [
        (
            vec!["judge", "--problem", &problem, &stray],
            "`3.out` is not an answer file of this problem; its answer files are \
             `sample.1.out`, `1.out`, `2.out`",
        ),
        (
            vec![
                "judge",
                "--problem",
                &problem,
                "--language",
                "python3",
                &all,
            ],
            "takes answer files",
        ),
    ] {
        let out = codehub(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}
