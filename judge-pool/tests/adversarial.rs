//! The adversarial suite: hostile submissions (`tests/adversarial/cases.toml`) judged in
//! the native sandbox. Each must get one of its expected verdicts, and the host must be
//! left intact: no process of the sandbox user survives, no file appears outside the
//! sandbox, no connection reaches a loopback listener, and neither the judge's
//! environment nor the host's `/etc/shadow` shows up in anything reported.

mod common;

use codehub_engine::Verdict;
use codehub_judge::judge::{Judge, JudgeOptions};
use codehub_judge::language::{LanguageTable, SourceFile};
use codehub_judge::package::Problem;
use serde::Deserialize;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The suites run one at a time: side by side on two cores, wall-clock limits would
/// fire on programs that are merely starved.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// A secret in the judge's environment that must never reach a sandbox.
static CANARY: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let canary = format!("CODEHUB_CANARY_{}", std::process::id());
    // SAFETY: set once, before any sandbox starts; the tests only read it afterwards.
    unsafe { std::env::set_var("CODEHUB_CANARY_SECRET", &canary) };
    canary
});

#[derive(Deserialize)]
struct Manifest {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    file: String,
    problem: String,
    expect: Vec<String>,
    #[serde(default)]
    host_paths_absent: Vec<PathBuf>,
    #[serde(default)]
    listen_port: Option<u16>,
    /// The judging must take at most this long (seconds).
    #[serde(default)]
    max_seconds: Option<u64>,
    /// Backends the case runs on (all when empty).
    #[serde(default)]
    backends: Vec<String>,
    #[allow(dead_code)]
    why: String,
}

/// Host uid the native sandbox maps its programs to (see `NativeConfig::host_uid_base`):
/// the next one after the base as root, the test's own uid without root.
fn native_host_uid() -> u32 {
    if nix::unistd::geteuid().is_root() {
        codehub_judge::sandbox::native::NativeConfig::new(common::keeper()).host_uid_base + 1
    } else {
        nix::unistd::geteuid().as_raw()
    }
}

/// Host uid of programs in Docker containers (see `DockerConfig::uid`).
fn docker_host_uid() -> u32 {
    codehub_judge::sandbox::docker::DockerConfig::new(common::keeper()).uid
}

/// Processes on the host owned by `uid` (without root, where the sandbox's programs share
/// the test's uid: those in another pid namespace, the keepers' inits aside).
fn processes_of(uid: u32) -> Vec<String> {
    let rootless = !nix::unistd::geteuid().is_root();
    let our_pidns = std::fs::read_link("/proc/self/ns/pid").ok();
    let mut out = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(status) = std::fs::read_to_string(entry.path().join("status")) else {
            continue;
        };
        let owned = status
            .lines()
            .find(|l| l.starts_with("Uid:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|u| u.parse::<u32>().ok())
            == Some(uid);
        let name = status.lines().next().unwrap_or_default().to_owned();
        if rootless
            && (std::fs::read_link(entry.path().join("ns/pid")).ok() == our_pidns
                || name.starts_with("Name:\tcodehub-sandbo"))
        {
            continue;
        }
        // A warm container's pid 1 is the (trusted) runner, waiting for its next job.
        if owned && name != "Name:\trunner" {
            out.push(format!("{} {name}", entry.file_name().to_string_lossy()));
        }
    }
    out
}

#[test]
fn hostile_submissions_are_contained_by_the_native_sandbox() {
    let _one_at_a_time = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let _ = &*CANARY;
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let judge = runtime.block_on(async {
        Judge::new(
            common::native_sandbox(1),
            common::native_sandbox(1),
            Arc::new(LanguageTable::builtin()),
        )
    });
    contain(&runtime, &judge, "native", native_host_uid());
}

#[test]
fn hostile_submissions_are_contained_by_the_docker_sandbox() {
    let _one_at_a_time = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let _ = &*CANARY;
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let sandboxes = runtime.block_on(async {
        Some((
            common::docker_sandbox(1).await?,
            common::docker_sandbox(1).await?,
        ))
    });
    let Some((submissions, validators)) = sandboxes else {
        return;
    };
    let judge = Judge::new(submissions, validators, Arc::new(LanguageTable::builtin()));
    contain(&runtime, &judge, "docker", docker_host_uid());
}

fn contain<S: codehub_judge::sandbox::Sandbox>(
    runtime: &tokio::runtime::Runtime,
    judge: &Judge<S>,
    backend: &str,
    uid: u32,
) {
    let canary = CANARY.clone();
    let shadow_root_line = std::fs::read_to_string("/etc/shadow")
        .ok()
        .and_then(|s| s.lines().next().map(str::to_owned))
        .unwrap_or_default();

    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/adversarial");
    let manifest: Manifest =
        toml::from_str(&std::fs::read_to_string(dir.join("cases.toml")).unwrap()).unwrap();
    // CODEHUB_ADVERSARIAL_CASES=a,b,… runs only those cases (the cgroup v2 VM runs a
    // focused subset).
    let only: Option<Vec<String>> = std::env::var("CODEHUB_ADVERSARIAL_CASES")
        .ok()
        .map(|v| v.split(',').map(|s| s.trim().to_owned()).collect());
    if let Some(only) = &only {
        for name in only {
            assert!(
                manifest.case.iter().any(|c| &c.name == name),
                "CODEHUB_ADVERSARIAL_CASES names an unknown case {name}"
            );
        }
    }
    let mut failures = Vec::new();
    for case in &manifest.case {
        if !case.backends.is_empty() && !case.backends.iter().any(|b| b == backend) {
            continue;
        }
        if let Some(only) = &only
            && !only.iter().any(|n| n == &case.name)
        {
            continue;
        }
        let mut problem = Problem::load(&common::problems_dir().join(&case.problem)).unwrap();
        // Compile bombs must die quickly here; the limit's enforcement is what is tested.
        problem.limits.compilation_time = Duration::from_secs(5);
        problem.limits.compilation_memory_bytes = 1 << 30;
        for p in &case.host_paths_absent {
            let _ = std::fs::remove_file(p);
            let _ = std::fs::remove_dir_all(p);
        }
        let listener = case.listen_port.map(|port| {
            let l = TcpListener::bind(("127.0.0.1", port)).expect("bind the case's port");
            l.set_nonblocking(true).unwrap();
            l
        });
        let file = SourceFile {
            name: case.file.clone(),
            contents: std::fs::read(dir.join(&case.file)).unwrap(),
        };
        let started = Instant::now();
        let result =
            runtime.block_on(judge.judge(&problem, &[file], None, &JudgeOptions::default()));
        let took = started.elapsed();
        let mut problems = Vec::new();
        match &result {
            Ok(report) => {
                let allowed: Vec<Verdict> =
                    case.expect.iter().map(|v| v.parse().unwrap()).collect();
                if !allowed.contains(&report.verdict) {
                    problems.push(format!(
                        "verdict {} not in {:?}; tests {:?}; compile output {:?}",
                        report.verdict,
                        case.expect,
                        report
                            .tests
                            .iter()
                            .map(|t| (t.verdict, t.message.clone()))
                            .collect::<Vec<_>>(),
                        report.compile_output.chars().take(300).collect::<String>()
                    ));
                }
                let json = serde_json::to_string(report).unwrap();
                if json.contains(&canary) {
                    problems.push("the judge's environment leaked into the report".into());
                }
                if !shadow_root_line.is_empty() && json.contains(&shadow_root_line) {
                    problems.push("the host's /etc/shadow leaked into the report".into());
                }
            }
            Err(e) => problems.push(format!("judge error: {e}")),
        }
        if let Some(max) = case.max_seconds
            && took > Duration::from_secs(max)
        {
            problems.push(format!("took {took:?}, more than {max} s"));
        }
        for p in &case.host_paths_absent {
            if Path::new(p).exists() {
                problems.push(format!("host path {} was created", p.display()));
            }
        }
        if listener.as_ref().is_some_and(|l| l.accept().is_ok()) {
            problems.push("a connection reached the loopback listener".into());
        }
        // Environments are released in the background; give them a moment (up to 10 s on
        // a loaded machine).
        let mut left = processes_of(uid);
        for _ in 0..500 {
            if left.is_empty() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
            left = processes_of(uid);
        }
        if !left.is_empty() {
            problems.push(format!("sandbox processes survived: {left:?}"));
        }
        let verdict = result
            .as_ref()
            .map_or("ERR".to_owned(), |r| r.verdict.to_string());
        eprintln!(
            "{:<28} {:<4} {:>6} ms {}",
            case.name,
            verdict,
            took.as_millis(),
            if problems.is_empty() { "ok" } else { "FAILED" }
        );
        if !problems.is_empty() {
            failures.push(format!("{}: {}", case.name, problems.join("; ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
