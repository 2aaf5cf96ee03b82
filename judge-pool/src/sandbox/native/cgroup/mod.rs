//! Per-slot cgroups on either hierarchy: [`v1`] (`memory`, `pids`, `cpuacct`) or [`v2`]
//! (the unified hierarchy, as root or inside a delegated subtree).
//!
//! [`detect`] tells which one this host gives; the native sandbox picks the backend from
//! it at start. Either way the host creates the slot's cgroups, sets the limits before
//! each run and hands the keeper descriptors (opened by the host) through which the run
//! joins its cgroup and the keeper reads what it used.

pub mod v1;
pub mod v2;

use crate::sandbox::SandboxError;
use std::fs;
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};

/// The cgroup hierarchy a host gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hierarchy {
    /// cgroup v1 controllers at `<root>/<controller>`; `hybrid` when a cgroup2 hierarchy
    /// is also mounted (at `<root>/unified`) but holds no controllers the judge needs.
    V1 {
        /// Where the controllers are mounted (`/sys/fs/cgroup`).
        root: PathBuf,
        /// Whether a controller-less cgroup2 hierarchy is mounted beside them.
        hybrid: bool,
    },
    /// The unified hierarchy mounted at `mount`.
    V2 {
        /// Where cgroup2 is mounted (`/sys/fs/cgroup`).
        mount: PathBuf,
    },
    /// Neither: the reason.
    None(String),
}

impl Hierarchy {
    /// `"v1"`, `"hybrid"`, `"v2"` or `"none"`, for logs and `codehub doctor`.
    pub fn name(&self) -> &'static str {
        match self {
            Hierarchy::V1 { hybrid: false, .. } => "v1",
            Hierarchy::V1 { hybrid: true, .. } => "hybrid",
            Hierarchy::V2 { .. } => "v2",
            Hierarchy::None(_) => "none",
        }
    }
}

/// Which hierarchy holds the controllers under `root` (normally `/sys/fs/cgroup`).
pub fn detect(root: &Path) -> Hierarchy {
    if root.join("cgroup.controllers").exists() {
        return Hierarchy::V2 {
            mount: root.to_owned(),
        };
    }
    if v1::CONTROLLERS
        .iter()
        .all(|c| root.join(c).join("cgroup.procs").exists())
    {
        return Hierarchy::V1 {
            root: root.to_owned(),
            hybrid: root.join("unified/cgroup.controllers").exists(),
        };
    }
    let mounted: Vec<String> = fs::read_dir(root)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    Hierarchy::None(format!(
        "no cgroup hierarchy with the memory, pids and cpu accounting controllers is \
         mounted at {} (found: {})",
        root.display(),
        if mounted.is_empty() {
            "nothing".to_owned()
        } else {
            mounted.join(", ")
        }
    ))
}

/// The cgroup layer of one sandbox pool: where its slots' cgroups go.
#[derive(Debug, Clone)]
pub enum HostCgroups {
    /// cgroup v1 controllers (root only).
    V1(PathBuf),
    /// A cgroup v2 subtree this process may manage.
    V2(v2::Parent),
}

impl HostCgroups {
    /// Prepares the cgroups of this host: v1 (root) or v2 (root, or a delegated subtree).
    ///
    /// # Errors
    /// [`SandboxError::Unavailable`] with what is missing and the ways out.
    pub fn prepare(root: &Path) -> Result<HostCgroups, SandboxError> {
        let root_user = nix::unistd::geteuid().is_root();
        match detect(root) {
            Hierarchy::V1 { root, .. } => {
                if !root_user {
                    return Err(SandboxError::Unavailable(
                        "this host mounts cgroup v1, where only root can create the sandbox's \
                         cgroups: run CodeHub as root, or use `--sandbox docker`"
                            .into(),
                    ));
                }
                v1::remove_stale(&root);
                Ok(HostCgroups::V1(root))
            }
            Hierarchy::V2 { mount } => Ok(HostCgroups::V2(v2::Parent::prepare(&mount)?)),
            Hierarchy::None(reason) => Err(SandboxError::Unavailable(reason)),
        }
    }

    /// `"v1"` or `"v2"`.
    pub fn version(&self) -> &'static str {
        match self {
            HostCgroups::V1(_) => "v1",
            HostCgroups::V2(_) => "v2",
        }
    }

    /// Creates one slot's cgroups, named `<judge pid>-<slot>`; `keeper_uid` is the host uid
    /// the keeper runs as (on v2 it is given the slot's `cgroup.procs`, so it may move its
    /// runs there). With `cpu`, everything the slot runs stays on that CPU (cpuset).
    pub fn create_slot(
        &self,
        name: &str,
        keeper_uid: u32,
        cpu: Option<usize>,
    ) -> Result<SlotCgroup, SandboxError> {
        match self {
            HostCgroups::V1(root) => v1::SlotCgroup::create(root, name, cpu).map(SlotCgroup::V1),
            HostCgroups::V2(parent) => parent
                .create_slot(name, keeper_uid, cpu)
                .map(SlotCgroup::V2),
        }
    }
}

/// One slot's cgroups; removed on drop (after its processes are gone).
#[derive(Debug)]
pub enum SlotCgroup {
    /// v1: one cgroup per controller.
    V1(v1::SlotCgroup),
    /// v2: `<slot>/keeper` and `<slot>/run`.
    V2(v2::SlotCgroup),
}

/// Descriptors the keeper needs, opened by the host (see
/// [`super::protocol::CgroupLayout`]).
pub struct KeeperFds {
    /// `cgroup.procs` of every cgroup a run joins, opened for writing.
    pub procs: Vec<OwnedFd>,
    /// CPU usage (`cpuacct.usage` in ns, or `cpu.stat` with `usage_usec`).
    pub cpu_usage: OwnedFd,
    /// Peak memory (`memory.max_usage_in_bytes`, `memory.peak` or `memory.current`).
    pub memory_peak: OwnedFd,
    /// OOM-kill counter (`memory.oom_control` or `memory.events`, key `oom_kill`).
    pub oom_events: OwnedFd,
    /// v2: the run cgroup's directory, for `clone3(CLONE_INTO_CGROUP)`.
    pub dir: Option<OwnedFd>,
    /// v2 (kernel ≥ 5.14): `cgroup.kill`.
    pub kill: Option<OwnedFd>,
}

impl KeeperFds {
    /// The descriptors in the order the keeper expects them.
    pub fn ordered(&self) -> Vec<std::os::fd::RawFd> {
        use std::os::fd::AsRawFd;
        let mut fds: Vec<_> = self.procs.iter().map(|f| f.as_raw_fd()).collect();
        fds.extend([
            self.cpu_usage.as_raw_fd(),
            self.memory_peak.as_raw_fd(),
            self.oom_events.as_raw_fd(),
        ]);
        fds.extend(self.dir.iter().map(|f| f.as_raw_fd()));
        fds.extend(self.kill.iter().map(|f| f.as_raw_fd()));
        fds
    }

    /// How the descriptors are laid out, for the keeper.
    pub fn layout(&self, unified: bool) -> super::protocol::CgroupLayout {
        super::protocol::CgroupLayout {
            unified,
            procs: self.procs.len(),
            dir: self.dir.is_some(),
            kill: self.kill.is_some(),
        }
    }
}

impl SlotCgroup {
    /// Opens the descriptors handed to the keeper.
    pub fn keeper_fds(&self) -> Result<KeeperFds, SandboxError> {
        match self {
            SlotCgroup::V1(c) => c.keeper_fds(),
            SlotCgroup::V2(c) => c.keeper_fds(),
        }
    }

    /// Whether this is a unified-hierarchy (v2) cgroup.
    pub fn unified(&self) -> bool {
        matches!(self, SlotCgroup::V2(_))
    }

    /// Moves a process (the freshly started keeper) into the slot's keeper cgroup (v2;
    /// nothing to do on v1, where only the runs join the slot's cgroups).
    pub fn adopt_keeper(&self, pid: u32) -> Result<(), SandboxError> {
        match self {
            SlotCgroup::V1(_) => Ok(()),
            SlotCgroup::V2(c) => c.adopt_keeper(pid),
        }
    }

    /// Sets the memory and process limits of the next run.
    pub fn set_limits(&mut self, memory_bytes: u64, processes: u32) -> Result<(), SandboxError> {
        match self {
            SlotCgroup::V1(c) => c.set_limits(memory_bytes, processes),
            SlotCgroup::V2(c) => c.set_limits(memory_bytes, processes),
        }
    }
}

/// Whether a directory name is a slot's (`<pid>-<n>`) and its judge process is gone.
pub(crate) fn is_stale_slot(name: &str) -> bool {
    let Some((pid, n)) = name.split_once('-') else {
        return false;
    };
    let (Ok(pid), Ok(_)) = (pid.parse::<u32>(), n.parse::<u32>()) else {
        return false;
    };
    !Path::new(&format!("/proc/{pid}")).exists()
}

/// Opens a cgroup file for the keeper (read, and write if asked).
pub(crate) fn open_fd(path: &Path, write: bool) -> Result<OwnedFd, SandboxError> {
    std::fs::OpenOptions::new()
        .read(true)
        .write(write)
        .open(path)
        .map(OwnedFd::from)
        .map_err(io(format!("open {}", path.display())))
}

pub(crate) fn io(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> SandboxError {
    let context = context.into();
    move |e| SandboxError::io(context, e)
}
