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
