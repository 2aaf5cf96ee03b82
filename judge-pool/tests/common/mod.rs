//! Helpers shared by the judge's integration tests.
#![allow(dead_code)]

use codehub_judge::sandbox::native::{KeeperCommand, NativeConfig, NativeSandbox};
use std::path::PathBuf;

/// The keeper binary cargo built for these tests.
pub fn keeper() -> KeeperCommand {
    KeeperCommand {
        program: PathBuf::from(env!("CARGO_BIN_EXE_codehub-sandbox-keeper")),
        args: Vec::new(),
    }
}

/// A native sandbox with `slots` slots.
pub fn native_sandbox(slots: usize) -> NativeSandbox {
    let mut config = NativeConfig::new(keeper());
    config.max_slots = slots;
    config
        .readonly_paths
        .extend(codehub_judge::language::LanguageTable::builtin().readonly_paths());
    NativeSandbox::new(config).expect("native sandbox (run the tests as root)")
}

/// The test problem packages.
pub fn problems_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/problems")
}

/// A Docker sandbox, or `None` (with a note) when Docker is not usable here. With
/// `CODEHUB_REQUIRE_DOCKER=1` (set by `scripts/test` when `docker info` works) a missing
/// Docker fails the test instead.
pub async fn docker_sandbox(
    containers: usize,
) -> Option<codehub_judge::sandbox::docker::DockerSandbox> {
    use codehub_judge::sandbox::docker::{DockerConfig, DockerSandbox};
    let runner = KeeperCommand {
        program: PathBuf::from(env!("CARGO_BIN_EXE_codehub-sandbox-keeper")),
        args: vec!["--runner".into()],
    };
    let mut config = DockerConfig::new(runner);
    config.max_containers = containers;
    config.pool_size = containers;
    match DockerSandbox::new(config).await {
        Ok(s) => Some(s),
        Err(e) if std::env::var("CODEHUB_REQUIRE_DOCKER").is_ok_and(|v| v == "1") => {
            panic!("docker is required here: {e}")
        }
        Err(e) => {
            eprintln!("docker: SKIPPED ({e})");
            None
        }
    }
}

/// The pipes of interactive runs, on any backend: a run reports whether its input's
/// writer had closed when it ended, and its stop signal ends it at once.
pub async fn check_interactive_pipes<E: codehub_judge::sandbox::Environment>(env: &E) {
    use codehub_judge::sandbox::{RunSpec, Stdin, Stdout, stop_pair};
    use std::io::{Read, Write};
    use std::time::{Duration, Instant};
    let pipe = || {
        let (r, w) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).unwrap();
        (std::fs::File::from(r), std::fs::File::from(w))
    };
    let piped = |script: &str, stdin, stdout| {
        let mut spec = RunSpec::new(vec!["/bin/sh".into(), "-c".into(), script.into()]);
        spec.stdin = Stdin::Pipe(std::os::fd::OwnedFd::from(stdin));
        spec.stdout = Stdout::Pipe(std::os::fd::OwnedFd::from(stdout));
        spec.limits.wall_time = Duration::from_secs(10);
        spec
    };

    // Ends after its input's writer has gone: input closed, and what it copied came through.
    let ((in_r, mut in_w), (out_r, out_w)) = (pipe(), pipe());
    in_w.write_all(b"hello\n").unwrap();
    drop(in_w);
    let r = env.run(piped("cat", in_r, out_w)).await.unwrap();
    assert!(r.status.success() && r.input_closed && !r.stopped, "{r:?}");
    let copied = tokio::task::spawn_blocking(move || {
        let mut s = String::new();
        std::io::BufReader::new(out_r)
            .read_to_string(&mut s)
            .unwrap();
        s
    });
    let copied = tokio::time::timeout(Duration::from_secs(5), copied)
        .await
        .expect("the output ends with the run")
        .unwrap();
    assert_eq!(copied, "hello\n");

    // Ends by itself while its input's writer is still there: not closed.
    let ((in_r, in_w), (out_r, out_w)) = (pipe(), pipe());
    let r = env.run(piped("exit 3", in_r, out_w)).await.unwrap();
    assert!(!r.input_closed && r.status == codehub_judge::sandbox::ExitStatus::Exited(3));
    drop((in_w, out_r));

    // Stopped: ended at once, no limit hit.
    let ((in_r, in_w), (out_r, out_w)) = (pipe(), pipe());
    let (stopper, signal) = stop_pair().unwrap();
    let mut spec = piped("sleep 30", in_r, out_w);
    spec.stop = Some(signal);
    let started = Instant::now();
    let stop_soon = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        stopper.stop();
    };
    let (r, ()) = tokio::join!(env.run(spec), stop_soon);
    let r = r.unwrap();
    assert!(r.stopped && r.limit_hit.is_none(), "{r:?}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "stopped after {:?}",
        started.elapsed()
    );
    drop((in_w, out_r));
}
