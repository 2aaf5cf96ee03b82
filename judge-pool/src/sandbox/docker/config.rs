//! Settings of the Docker sandbox and the labels its containers carry.

use crate::sandbox::native::KeeperCommand;

/// The label every CodeHub sandbox container carries.
pub const LABEL: &str = "codehub.sandbox";
/// The label holding the pid of the judge that owns the container.
pub const OWNER_LABEL: &str = "codehub.owner.pid";
/// Slack added to the container memory limit for the runner itself.
pub(super) const RUNNER_MEMORY: u64 = 16 << 20;

/// Settings of the Docker sandbox.
#[derive(Debug, Clone)]
pub struct DockerConfig {
    /// The judge runtime image (toolchains), e.g. `codehub/judge-runtime:1`.
    pub runtime_image: String,
    /// The runner: a host binary copied into the image, and the arguments that make it run
    /// as the runner (`codehub __sandbox-runner` or `codehub-sandbox-keeper --runner`).
    pub runner: KeeperCommand,
    /// Containers kept started ahead of demand.
    pub pool_size: usize,
    /// Containers in use at once (the judge's parallelism).
    pub max_containers: usize,
    /// Size of `/work`.
    pub work_bytes: u64,
    /// Size of `/tmp`.
    pub tmp_bytes: u64,
    /// The uid (and gid) inside; it should own nothing on the host.
    pub uid: u32,
    /// CPUs a container may use.
    pub cpus: f64,
    /// Processes and threads in a container (runner included).
    pub pids_limit: i64,
}

impl DockerConfig {
    /// Defaults: runtime image version 1, pool of 2, one container per CPU.
    pub fn new(runner: KeeperCommand) -> Self {
        let cpus = std::thread::available_parallelism().map_or(2, |n| n.get());
        DockerConfig {
            runtime_image: format!("codehub/judge-runtime:{}", RUNTIME_VERSION),
            runner,
            pool_size: 2,
            max_containers: cpus,
            work_bytes: 256 << 20,
            tmp_bytes: 64 << 20,
            uid: 62_001,
            cpus: 1.0,
            pids_limit: 160,
        }
    }
}

/// The version of `deploy/judge-runtime` this code expects.
pub const RUNTIME_VERSION: &str = "1";
