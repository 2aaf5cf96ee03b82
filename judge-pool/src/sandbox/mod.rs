//! Sandboxes: where untrusted programs run.
//!
//! A [`Sandbox`] hands out [`Environment`]s; an environment is an isolated place with a
//! private writable work directory (`/work`, also the current directory of every run) in
//! which one submission (or one validator) is compiled and run, test after test. An
//! environment is never shared between submissions: dropping it wipes it and kills every
//! process left in it.
//!
//! Limits are enforced by the kernel (cgroups, rlimits, namespaces), never by the judge
//! watching and hoping. A [`RunResult`] reports what the kernel measured and which limit,
//! if any, stopped the program; turning that into a verdict is the judge's job.
//!
//! Backends: [`native`] (Linux namespaces + cgroup v1 or v2 + seccomp, as root or not; the
//! embedded default) and
//! [`docker`] (hardened containers through bollard, for production).

pub mod docker;
pub(crate) mod fsutil;
pub mod native;
pub(crate) mod process;
pub mod request;
pub mod seccomp;

use std::future::Future;
use std::os::fd::OwnedFd;
use std::path::PathBuf;
use std::time::Duration;

/// An error of the sandbox itself (never of the program inside it).
///
/// A judge that gets one reports a judge error (or requeues the job): it is never the
/// contestant's fault.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// The host cannot provide this kind of sandbox (missing privileges, cgroups, …).
    #[error("sandbox unavailable: {0}")]
    Unavailable(String),
    /// Setting up or talking to a sandbox failed.
    #[error("sandbox failure: {context}: {source}")]
    Io {
        /// What the sandbox was doing.
        context: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The sandbox process broke its protocol or died.
    #[error("sandbox protocol error: {0}")]
    Protocol(String),
    /// The program could not be started in the sandbox (it is not there, or not
    /// executable): the sandbox works, the program does not exist for it.
    #[error("cannot start the program: {0}")]
    Exec(String),
    /// A path given to the environment is not a plain relative path.
    #[error("invalid sandbox path `{0}`: must be relative, without `..`")]
    BadPath(String),
}

impl SandboxError {
    /// Wraps an I/O error with what was being done.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        SandboxError::Io {
            context: context.into(),
            source,
        }
    }
}

/// Kernel-enforced limits for one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunLimits {
    /// CPU time (user + system, all processes and threads of the run).
    pub cpu_time: Duration,
    /// Wall-clock time from start to exit.
    pub wall_time: Duration,
    /// Memory the run may really use (resident, page cache and tmpfs; not reservations).
    pub memory_bytes: u64,
    /// Largest stack of the main thread; contest judges set it to the memory limit.
    pub stack_bytes: u64,
    /// Optional address-space limit (`RLIMIT_AS`); `None` for runtimes that reserve a
    /// lot of virtual memory (Java, Go).
    pub address_space_bytes: Option<u64>,
    /// Processes plus threads alive at once.
    pub processes: u32,
    /// Largest file the run may write, captured stdout and stderr included.
    pub file_size_bytes: u64,
    /// Bytes of stdout kept and allowed: writing more is an output-limit hit.
    pub output_bytes: u64,
    /// Bytes of stderr kept (more is dropped silently, up to `file_size_bytes`).
    pub stderr_bytes: u64,
    /// Open file descriptors.
    pub open_files: u32,
}

impl Default for RunLimits {
    fn default() -> Self {
        RunLimits {
            cpu_time: Duration::from_secs(1),
            wall_time: Duration::from_secs(3),
            memory_bytes: 256 << 20,
            stack_bytes: 256 << 20,
            address_space_bytes: None,
            processes: 64,
            file_size_bytes: 8 << 20,
            output_bytes: 8 << 20,
            stderr_bytes: 64 << 10,
            open_files: 64,
        }
    }
}

/// The fingerprint of a sealed work directory: every entry's path, inode, mode and owner,
/// the directory's own included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seal(pub(crate) std::sync::Arc<Vec<(PathBuf, u64, u32, u32)>>);

/// Where a run's standard input comes from.
#[derive(Debug)]
pub enum Stdin {
    /// `/dev/null`.
    Null,
    /// A file on the host, opened read-only by the judge (the program never sees its path).
    File(PathBuf),
    /// One end of a pipe (interactive problems).
    Pipe(OwnedFd),
}

/// Where a run's standard output goes.
#[derive(Debug)]
pub enum Stdout {
    /// Captured up to [`RunLimits::output_bytes`] and returned in [`RunResult::stdout`].
    Capture,
    /// One end of a pipe (interactive problems); nothing is captured.
    Pipe(OwnedFd),
}

/// The judge's end of a [`StopSignal`]: [`Stopper::stop`], or dropping it, ends the run
/// that holds the signal (every process killed, [`RunResult::stopped`] set).
#[derive(Debug)]
pub struct Stopper(OwnedFd);

impl Stopper {
    /// Ends the run now; does nothing if it has ended already.
    pub fn stop(&self) {
        // A full pipe or a reader gone both mean the run has been told already.
        let _ = nix::unistd::write(&self.0, b"x");
    }
}

/// What a run watches to be stopped early ([`RunSpec::stop`]): the read end of a pipe
/// whose write end is the [`Stopper`].
#[derive(Debug)]
pub struct StopSignal(pub(crate) OwnedFd);

/// A new pair: the [`Stopper`] for the caller, the [`StopSignal`] for [`RunSpec::stop`].
///
/// # Errors
/// [`SandboxError::Io`] if no pipe can be made.
pub fn stop_pair() -> Result<(Stopper, StopSignal), SandboxError> {
    let (r, w) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC | nix::fcntl::OFlag::O_NONBLOCK)
        .map_err(|e| SandboxError::io("stop pipe", e.into()))?;
    Ok((Stopper(w), StopSignal(r)))
}

/// One program to run inside an [`Environment`].
#[derive(Debug)]
pub struct RunSpec {
    /// Program and arguments; a program without `/` is looked up in `PATH` of `env`.
    pub argv: Vec<String>,
    /// The whole environment of the program: nothing of the judge's own leaks in.
    pub env: Vec<(String, String)>,
    /// Standard input.
    pub stdin: Stdin,
    /// Standard output.
    pub stdout: Stdout,
    /// Limits.
    pub limits: RunLimits,
    /// Ends the run early when its [`Stopper`] says so (the judge ends an interactive
    /// validator when the submission's time limit ends the submission). The Docker
    /// backend watches it in interactive runs (piped stdin and stdout) only.
    pub stop: Option<StopSignal>,
}

impl RunSpec {
    /// A run of `argv` with `/dev/null` as input, captured output and default limits.
    pub fn new(argv: Vec<String>) -> Self {
        RunSpec {
            argv,
            env: default_env(),
            stdin: Stdin::Null,
            stdout: Stdout::Capture,
            limits: RunLimits::default(),
            stop: None,
        }
    }
}

/// The environment every sandboxed program starts with.
pub fn default_env() -> Vec<(String, String)> {
    [
        ("PATH", "/usr/local/bin:/usr/bin:/bin"),
        ("HOME", "/work"),
        ("TMPDIR", "/tmp"),
        ("LANG", "C.UTF-8"),
        ("LC_ALL", "C.UTF-8"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

/// How a run ended, as the kernel reported it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExitStatus {
    /// Exited by itself with this status.
    Exited(i32),
    /// Killed by this signal.
    Signaled(i32),
}

impl ExitStatus {
    /// Exited with status 0.
    pub fn success(self) -> bool {
        self == ExitStatus::Exited(0)
    }
}

/// The limit that stopped a run, if one did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitHit {
    /// CPU time ran out.
    CpuTime,
    /// Wall-clock time ran out.
    WallTime,
    /// The kernel's memory limit was hit (the OOM killer ran in the run's cgroup).
    Memory,
    /// More output than allowed (or a file larger than allowed).
    Output,
}

/// What one run did.
#[derive(Debug, Clone)]
pub struct RunResult {
    /// How it ended.
    pub status: ExitStatus,
    /// The limit that stopped it, if any.
    pub limit_hit: Option<LimitHit>,
    /// CPU time of all its processes and threads.
    pub cpu_time: Duration,
    /// Wall-clock time.
    pub wall_time: Duration,
    /// Peak resident memory (bytes).
    pub peak_memory_bytes: u64,
    /// Captured stdout (empty when piped).
    pub stdout: Vec<u8>,
    /// Whether stdout was cut at the output limit.
    pub stdout_truncated: bool,
    /// Captured stderr, cut at [`RunLimits::stderr_bytes`].
    pub stderr: Vec<u8>,
    /// Whether stderr was cut.
    pub stderr_truncated: bool,
    /// Whether the run was ended through its [`RunSpec::stop`] (then `limit_hit` is `None`).
    pub stopped: bool,
    /// Whether the program's input was a pipe whose writing side had closed when the
    /// program ended (interactive runs: the other side had ended first). Every backend
    /// keeps a run's pipe ends open until it has recorded the program's end, so an end
    /// caused by the other side's (end of input, `SIGPIPE`) always finds this set.
    pub input_closed: bool,
}

/// A provider of isolated [`Environment`]s.
pub trait Sandbox: Send + Sync + 'static {
    /// The environments this sandbox hands out.
    type Env: Environment;

    /// A short name of the backend (`native`, `docker`).
    fn backend(&self) -> &'static str;

    /// Whether programs run from this host's file system (so a toolchain missing on the
    /// host is missing in the sandbox); `false` for image-based backends.
    fn uses_host_toolchains(&self) -> bool {
        true
    }

    /// Takes a fresh environment, waiting while all are busy.
    ///
    /// # Errors
    /// [`SandboxError`] if an environment cannot be set up.
    fn acquire(&self) -> impl Future<Output = Result<Self::Env, SandboxError>> + Send;
}

/// One isolated place to compile and run one submission.
///
/// Paths are relative to the work directory and may not contain `..`.
pub trait Environment: Send + Sync + 'static {
    /// Writes a file into the work directory (creating parent directories).
    fn write_file(
        &self,
        path: &str,
        contents: &[u8],
        executable: bool,
    ) -> impl Future<Output = Result<(), SandboxError>> + Send;

    /// Reads a file of the work directory, at most `max_len` bytes.
    fn read_file(
        &self,
        path: &str,
        max_len: u64,
    ) -> impl Future<Output = Result<Vec<u8>, SandboxError>> + Send;

    /// Lists the regular files of the work directory (recursively, relative paths).
    fn list_files(&self) -> impl Future<Output = Result<Vec<String>, SandboxError>> + Send;

    /// Creates an empty directory in the work directory (removing what was there).
    fn make_dir(&self, path: &str) -> impl Future<Output = Result<(), SandboxError>> + Send;

    /// Empties the work directory and `/tmp` (no process of the environment is running).
    fn clear(&self) -> impl Future<Output = Result<(), SandboxError>> + Send;

    /// Makes what the work directory holds now unchangeable by the programs (they may
    /// still add files beside it) and returns its fingerprint; `None` where this backend
    /// cannot, and then every test starts from a fresh copy of the compiled files.
    fn seal(&self) -> impl Future<Output = Result<Option<Seal>, SandboxError>> + Send {
        async { Ok(None) }
    }

    /// Whether the work directory is exactly as `seal` found it and `/tmp` is empty, so
    /// nothing a run did can reach the next run and nothing needs restoring.
    fn is_sealed_state(
        &self,
        seal: &Seal,
    ) -> impl Future<Output = Result<bool, SandboxError>> + Send {
        let _ = seal;
        async { Ok(false) }
    }

    /// Runs a program; returns when it and every process it started are gone.
    fn run(&self, spec: RunSpec) -> impl Future<Output = Result<RunResult, SandboxError>> + Send;
}

/// Checks that `path` is a plain relative path (no root, no `..`, not empty).
pub fn check_relative(path: &str) -> Result<(), SandboxError> {
    let p = std::path::Path::new(path);
    let plain = !path.is_empty()
        && p.components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
    if plain {
        Ok(())
    } else {
        Err(SandboxError::BadPath(path.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_are_checked() {
        assert!(check_relative("a/b.txt").is_ok());
        assert!(check_relative("Main.java").is_ok());
        for bad in ["", "/etc/passwd", "../x", "a/../../b", "./"] {
            assert!(check_relative(bad).is_err(), "{bad}");
        }
    }
}
