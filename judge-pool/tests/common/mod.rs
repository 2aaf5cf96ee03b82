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
