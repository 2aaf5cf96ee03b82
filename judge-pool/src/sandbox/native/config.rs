//! Settings of the native sandbox: how keepers start, what a sandbox shows, its sizes.

use std::path::PathBuf;

/// How to start a keeper: a program (and arguments) whose `main` calls
/// [`super::keeper::keeper_main`] (the `codehub-sandbox-keeper` binary, or `codehub
/// __sandbox-keeper`).
#[derive(Debug, Clone)]
pub struct KeeperCommand {
    /// The executable.
    pub program: PathBuf,
    /// Its arguments.
    pub args: Vec<String>,
}

/// Settings of the native sandbox.
#[derive(Debug, Clone)]
pub struct NativeConfig {
    /// How keepers are started.
    pub keeper: KeeperCommand,
    /// Host directory for the slots' mount points (nothing is written in it but empty
    /// directories).
    pub runtime_dir: PathBuf,
    /// Where the cgroup hierarchy is mounted (v1 controllers or cgroup2).
    pub cgroup_root: PathBuf,
    /// Host paths shown read-only inside (toolchains and what they need).
    pub readonly_paths: Vec<PathBuf>,
    /// Most slots alive at once (busy + idle): the judge's parallelism.
    pub max_slots: usize,
    /// CPUs to pin slots to, one CPU per slot in turn (slot `n` on `cpus[n % len]`), so a
    /// submission's processes stay on their core and timing is stable under load; empty:
    /// no pinning.
    pub cpus: Vec<usize>,
    /// Size of each slot's `/work`.
    pub work_bytes: u64,
    /// Size of each slot's `/tmp`.
    pub tmp_bytes: u64,
    /// As root: host uid (and gid) of the keeper; the programs run as the next one.
    /// Neither needs to exist in `/etc/passwd`; neither should own anything on the host.
    /// Without root, both are the judge's own uid (the only one it may map).
    pub host_uid_base: u32,
}

/// The read-only paths every sandbox shows: the usual toolchain locations.
pub const DEFAULT_READONLY_PATHS: &[&str] = &[
    "/usr",
    "/bin",
    "/sbin",
    "/lib",
    "/lib32",
    "/lib64",
    "/libx32",
    "/etc/alternatives",
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/localtime",
];

impl NativeConfig {
    /// Defaults: slots under the system temp dir (one directory per uid), one slot per
    /// CPU, 256 MiB `/work`, 64 MiB `/tmp`.
    pub fn new(keeper: KeeperCommand) -> Self {
        let uid = nix::unistd::geteuid();
        let runtime = if uid.is_root() {
            "codehub-sandbox".to_owned()
        } else {
            format!("codehub-sandbox-{uid}")
        };
        NativeConfig {
            keeper,
            runtime_dir: std::env::temp_dir().join(runtime),
            cgroup_root: PathBuf::from("/sys/fs/cgroup"),
            readonly_paths: DEFAULT_READONLY_PATHS.iter().map(PathBuf::from).collect(),
            max_slots: std::thread::available_parallelism().map_or(2, |n| n.get()),
            cpus: Vec::new(),
            work_bytes: 256 << 20,
            tmp_bytes: 64 << 20,
            host_uid_base: 61_000,
        }
    }
}
