//! Builds the browser UI (`scripts/build-web`) and embeds the bundle in the binary, so
//! `codehub serve` serves it with no files beside it.
//!
//! - `CODEHUB_WEB_DIST=<dir>`: embed that prebuilt bundle instead of building.
//! - `CODEHUB_SKIP_WEB=1`: embed nothing (the server then answers `/` with a page saying
//!   how to build the UI).
//! - `CODEHUB_REQUIRE_WEB=1` (the test script sets it): a failed UI build fails the build
//!   instead of being a warning.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let root = manifest
        .parent()
        .expect("gateway/ is in the workspace")
        .to_owned();
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets it"));
    for var in [
        "CODEHUB_WEB_DIST",
        "CODEHUB_SKIP_WEB",
        "CODEHUB_REQUIRE_WEB",
    ] {
        println!("cargo:rerun-if-env-changed={var}");
    }
    for input in [
        "web/src",
        "web/static",
        "web/Cargo.toml",
        "scripts/build-web",
        "Cargo.lock",
    ] {
        println!("cargo:rerun-if-changed={}", root.join(input).display());
    }
    let required = std::env::var_os("CODEHUB_REQUIRE_WEB").is_some_and(|v| v == "1");
    let dist = if let Some(dir) = std::env::var_os("CODEHUB_WEB_DIST") {
        Some(PathBuf::from(dir))
    } else if std::env::var_os("CODEHUB_SKIP_WEB").is_some_and(|v| v == "1") {
        None
    } else {
        build(&root, required)
    };
    let files = dist.map(|d| list(&d)).unwrap_or_default();
    let mut code = String::from(
        "/// The embedded UI bundle: (path, contents).\npub static FILES: &[(&str, &[u8])] = &[\n",
    );
    for (rel, abs) in &files {
        code.push_str(&format!(
            "    ({rel:?}, include_bytes!({:?})),\n",
            abs.display().to_string()
        ));
    }
    code.push_str("];\n");
    std::fs::write(out.join("web_bundle.rs"), code).expect("OUT_DIR is writable");
}

/// Runs `scripts/build-web` into `target/web/dist`; `None` (with a warning) if it fails.
fn build(root: &Path, required: bool) -> Option<PathBuf> {
    let dist = root.join("target/web/dist");
    // The nested build must not see this cargo's settings (RUSTC, flags, jobserver, …).
    let mut cmd = Command::new("bash");
    cmd.arg(root.join("scripts/build-web"))
        .arg(&dist)
        .env_clear();
    for var in [
        "PATH",
        "HOME",
        "CARGO_HOME",
        "RUSTUP_HOME",
        "TMPDIR",
        "LANG",
    ] {
        if let Some(v) = std::env::var_os(var) {
            cmd.env(var, v);
        }
    }
    match cmd.status() {
        Ok(s) if s.success() => Some(dist),
        outcome => {
            let why = format!(
                "the web UI was not built ({outcome:?}); run scripts/build-web to see why. \
                 The server will answer `/` with instructions instead of the UI."
            );
            if required {
                panic!("{why}");
            }
            println!("cargo:warning={why}");
            None
        }
    }
}

/// Every file under `dir` as (path relative to `dir` with `/`, absolute path), sorted.
fn list(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(dir) {
                let rel = rel.to_string_lossy().replace('\\', "/");
                files.push((rel, path));
            }
        }
    }
    files.sort();
    files
}
