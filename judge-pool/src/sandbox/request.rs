//! What a run asks for and what it reports: the same for every backend (the native
//! keeper's socket protocol and the Docker runner's frames both carry these), read by
//! the shared run loop (`sandbox/process.rs`).

use serde::{Deserialize, Serialize};

/// One run, as a backend's supervisor (the native keeper, the Docker runner) executes
/// it. Memory and process limits are set on the cgroup by the host before it is sent.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunRequest {
    /// Program and arguments.
    pub argv: Vec<String>,
    /// Complete environment.
    pub env: Vec<(String, String)>,
    /// CPU limit in nanoseconds (all processes of the run).
    pub cpu_ns: u64,
    /// Wall limit in nanoseconds.
    pub wall_ns: u64,
    /// `RLIMIT_FSIZE`.
    pub file_size: u64,
    /// `RLIMIT_STACK`.
    pub stack: u64,
    /// `RLIMIT_AS`, if any.
    pub address_space: Option<u64>,
    /// `RLIMIT_NOFILE`.
    pub open_files: u64,
    /// `RLIMIT_NPROC` (the cgroup pids limit is the real bound).
    pub processes: u64,
}

/// Why the keeper killed a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Killed {
    /// CPU time ran out.
    CpuTime,
    /// Wall time ran out.
    WallTime,
    /// The judge stopped it ([`crate::sandbox::RunSpec::stop`]).
    Stopped,
}

/// What the keeper measured for one run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunReport {
    /// `Some(code)` when it exited.
    pub exit_code: Option<i32>,
    /// `Some(signal)` when a signal killed it.
    pub signal: Option<i32>,
    /// Set when the keeper killed it.
    pub killed: Option<Killed>,
    /// CPU time of the run's cgroup, nanoseconds.
    pub cpu_ns: u64,
    /// Wall time, nanoseconds.
    pub wall_ns: u64,
    /// Peak resident set of the main process and its waited-for children, KiB.
    pub max_rss_kib: u64,
    /// Peak charge of the run's memory cgroup, bytes.
    pub cgroup_peak_bytes: u64,
    /// Processes the OOM killer killed during the run.
    pub oom_kills: u64,
    /// Set when the program could not be started (`execve` failed): errno text.
    pub exec_error: Option<String>,
    /// Whether the writing side of the program's input (a pipe) had closed when the
    /// program ended ([`crate::sandbox::RunResult::input_closed`]).
    #[serde(default)]
    pub input_closed: bool,
}
