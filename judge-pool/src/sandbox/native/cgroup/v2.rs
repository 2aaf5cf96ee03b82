//! Per-slot cgroups on the unified (v2) hierarchy, as root or inside a delegated subtree.
//!
//! Layout, under the pool's parent `P`:
//! - `P/<slot>/keeper`: the slot's keeper and the sandbox's init live here;
//! - `P/<slot>/run`: each run is created in it (`clone3(CLONE_INTO_CGROUP)`, or joins it
//!   before `execve` on kernels older than 5.7), with `memory.max`, `memory.swap.max = 0`
//!   and `pids.max`; CPU from `cpu.stat` (`usage_usec`), OOM kills from `memory.events`,
//!   the peak from `memory.peak` (reset per run on kernels ≥ 6.12, else since the slot
//!   started: it is reported, the verdict uses the run's own peak RSS), `cgroup.kill` to
//!   end what is left.
//!
//! The keeper's host uid is given `P/<slot>/cgroup.procs` and `run/cgroup.procs` (as
//! systemd delegates a subtree), since on v2 a process may move only within a subtree
//! whose common ancestor it may write.
//!
//! `P` is `/sys/fs/cgroup/codehub` for root, or the cgroup this process was started in
//! when that is delegated to it (`systemd-run --user --scope -p Delegate=yes …`, a unit
//! with `Delegate=yes`, or `CODEHUB_CGROUP`): the processes already there move into a
//! `codehub-supervisor` leaf first, since a cgroup that hands controllers down may hold
//! no processes of its own.

use super::{KeeperFds, io};
use crate::sandbox::SandboxError;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::fd::OwnedFd;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// Controllers every slot needs.
const REQUIRED: [&str; 2] = ["memory", "pids"];
/// The leaf the processes of a delegated cgroup move into.
pub const SUPERVISOR: &str = "codehub-supervisor";
/// The environment variable naming a delegated cgroup to use (a path under the mount).
pub const CGROUP_ENV: &str = "CODEHUB_CGROUP";

/// The cgroup under which a pool creates its slots.
#[derive(Debug, Clone)]
pub struct Parent {
    dir: PathBuf,
    /// Whether `dir` is a subtree delegated to this (unprivileged) process.
    pub delegated: bool,
}

/// This process's cgroup path on the unified hierarchy (`/` for the root).
pub fn own_cgroup() -> std::io::Result<String> {
    let text = fs::read_to_string("/proc/self/cgroup")?;
    text.lines()
        .find_map(|l| l.strip_prefix("0::"))
        .map(str::to_owned)
        .ok_or_else(|| std::io::Error::other("no cgroup v2 entry in /proc/self/cgroup"))
}

/// Whether systemd marked `dir` as delegated (`trusted.delegate` or `user.delegate`).
fn marked_delegated(dir: &Path) -> bool {
    let Ok(c) = std::ffi::CString::new(dir.as_os_str().as_encoded_bytes()) else {
        return false;
    };
    [c"trusted.delegate", c"user.delegate"].iter().any(|name| {
        let mut buf = [0u8; 8];
        // SAFETY: valid C strings and buffer.
        let n = unsafe { libc::getxattr(c.as_ptr(), name.as_ptr(), buf.as_mut_ptr().cast(), 8) };
        n > 0 && buf[0] == b'1'
    })
}

fn writable(path: &Path) -> bool {
    nix::unistd::access(path, nix::unistd::AccessFlags::W_OK).is_ok()
}

fn controllers(dir: &Path) -> Vec<String> {
    fs::read_to_string(dir.join("cgroup.controllers"))
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

/// Hands `wanted` (those available) down from `dir` to its children.
fn enable(dir: &Path, wanted: &[&str]) -> std::io::Result<()> {
    let have = controllers(dir);
    let line: Vec<String> = wanted
        .iter()
        .filter(|c| have.iter().any(|h| h == *c))
        .map(|c| format!("+{c}"))
        .collect();
    if line.is_empty() {
        return Ok(());
    }
    fs::write(dir.join("cgroup.subtree_control"), line.join(" "))
}

/// Moves every process of `dir` into `dir/SUPERVISOR`, so `dir` may hand controllers down.
fn vacate(dir: &Path) -> std::io::Result<()> {
    let leaf = dir.join(SUPERVISOR);
    match fs::create_dir(&leaf) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    for _ in 0..10 {
        let procs = fs::read_to_string(dir.join("cgroup.procs"))?;
        if procs.trim().is_empty() {
            return Ok(());
        }
        for pid in procs.split_whitespace() {
            // A process may exit meanwhile (ESRCH): the next round reads the list again.
            let _ = fs::write(leaf.join("cgroup.procs"), pid);
        }
    }
    Err(std::io::Error::other(format!(
        "processes keep appearing in {}",
        dir.display()
    )))
}

/// Enables the controllers in `dir`, moving its processes aside first if it has some.
fn enable_vacating(dir: &Path, wanted: &[&str]) -> std::io::Result<()> {
    match enable(dir, wanted) {
        Err(e) if e.raw_os_error() == Some(libc::EBUSY) => {
            vacate(dir)?;
            enable(dir, wanted)
        }
        other => other,
    }
}

fn not_delegated(dir: &Path, why: &str) -> SandboxError {
    SandboxError::Unavailable(format!(
        "cgroup v2: the cgroup this process runs in ({}) is not delegated to it: {why}. \
         Without root, the native sandbox needs a delegated cgroup: \
         run it as `systemd-run --user --scope -p Delegate=yes codehub serve` (or a unit with \
         `Delegate=yes`, see deploy/systemd/), or set {CGROUP_ENV} to a cgroup delegated to \
         you; or run as root, or use `--sandbox docker`",
        dir.display()
    ))
}

/// The first controller a slot needs that `dir` does not offer.
fn missing_controller(dir: &Path) -> Option<&'static str> {
    let have = controllers(dir);
    REQUIRED.into_iter().find(|c| !have.iter().any(|h| h == c))
}

/// The cgroup this process manages without root: the one `CODEHUB_CGROUP` names, else its
/// own (above the `codehub-supervisor` leaf it may already have moved into).
///
/// # Errors
/// If `/proc/self/cgroup` cannot be read.
pub fn delegated_dir(mount: &Path) -> Result<PathBuf, SandboxError> {
    let named = std::env::var(CGROUP_ENV).ok().filter(|s| !s.is_empty());
    let path = match named {
        Some(named) => named,
        None => own_cgroup().map_err(io("read /proc/self/cgroup"))?,
    };
    let mut dir = mount.join(path.trim_start_matches('/'));
    if dir.file_name().is_some_and(|n| n == SUPERVISOR) {
        dir.pop();
    }
    Ok(dir)
}

/// Checks that `dir` is delegated to this process: it may write its `cgroup.procs` and
/// `cgroup.subtree_control`, and the controllers a slot needs are there.
///
/// # Errors
/// [`SandboxError::Unavailable`] saying what is missing and the ways out.
pub fn check_delegated(dir: &Path) -> Result<(), SandboxError> {
    for file in ["cgroup.procs", "cgroup.subtree_control"] {
        if !writable(&dir.join(file)) {
            return Err(not_delegated(
                dir,
                &format!("this process may not write {file} of its cgroup"),
            ));
        }
    }
    match missing_controller(dir) {
        Some(missing) => Err(not_delegated(
            dir,
            &format!("the `{missing}` controller is not delegated to this cgroup"),
        )),
        None => Ok(()),
    }
}

impl Parent {
    /// Finds (and sets up) where this process may create slot cgroups.
    ///
    /// # Errors
    /// [`SandboxError::Unavailable`] when no cgroup may be managed here, with the fix.
    pub fn prepare(mount: &Path) -> Result<Parent, SandboxError> {
        let root = nix::unistd::geteuid().is_root();
        let named = std::env::var(CGROUP_ENV).is_ok_and(|s| !s.is_empty());
        let own_dir = delegated_dir(mount)?;
        let delegated = named || !root || (own_dir != mount && marked_delegated(&own_dir));
        let wanted = ["memory", "pids", "cpu", "cpuset"];
        let dir = if delegated {
            check_delegated(&own_dir)?;
            enable_vacating(&own_dir, &wanted)
                .map_err(io(format!("enable controllers in {}", own_dir.display())))?;
            own_dir
        } else {
            if let Some(missing) = missing_controller(mount) {
                return Err(SandboxError::Unavailable(format!(
                    "cgroup v2 is mounted at {} but its `{missing}` controller is not \
                     available (a cgroup v1 hierarchy may hold it)",
                    mount.display()
                )));
            }
            enable_vacating(mount, &wanted)
                .map_err(io(format!("enable controllers in {}", mount.display())))?;
            let dir = mount.join("codehub");
            fs::create_dir_all(&dir).map_err(io(format!("create {}", dir.display())))?;
            enable(&dir, &wanted)
                .map_err(io(format!("enable controllers in {}", dir.display())))?;
            dir
        };
        if let Some(missing) = missing_controller(&dir) {
            return Err(SandboxError::Unavailable(format!(
                "cgroup v2: the `{missing}` controller is not available in {}",
                dir.display()
            )));
        }
        remove_stale(&dir);
        Ok(Parent { dir, delegated })
    }

    /// The directory holding the slots' cgroups.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Creates `<parent>/<name>/{keeper,run}`.
    pub fn create_slot(
        &self,
        name: &str,
        keeper_uid: u32,
        cpu: Option<usize>,
    ) -> Result<SlotCgroup, SandboxError> {
        let slot = self.dir.join(name);
        fs::create_dir(&slot).map_err(io(format!("create cgroup {}", slot.display())))?;
        SlotCgroup {
            run: slot.join("run"),
            slot,
            memory_max: None,
            pids_max: None,
        }
        .setup(keeper_uid, cpu)
    }
}

fn remove_stale(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if super::is_stale_slot(&entry.file_name().to_string_lossy()) {
            let _ = remove_tree(&entry.path());
        }
    }
}

/// Removes a slot's cgroup and its two children (each must be empty of processes).
fn remove_tree(slot: &Path) -> std::io::Result<()> {
    for child in ["run", "keeper"] {
        let dir = slot.join(child);
        if dir.exists() {
            fs::remove_dir(&dir)?;
        }
    }
    fs::remove_dir(slot)
}

/// One slot's cgroups.
#[derive(Debug)]
pub struct SlotCgroup {
    slot: PathBuf,
    run: PathBuf,
    memory_max: Option<File>,
    pids_max: Option<File>,
}

impl SlotCgroup {
    fn setup(mut self, keeper_uid: u32, cpu: Option<usize>) -> Result<SlotCgroup, SandboxError> {
        enable(&self.slot, &["memory", "pids", "cpu"])
            .map_err(io(format!("enable controllers in {}", self.slot.display())))?;
        if let Some(cpu) = cpu {
            // The keeper and every run stay on this CPU (children inherit the set).
            fs::write(self.slot.join("cpuset.cpus"), cpu.to_string()).map_err(|e| {
                SandboxError::io(
                    format!("pin a slot to CPU {cpu} (needs the cpuset controller)"),
                    e,
                )
            })?;
        }
        for child in ["keeper", "run"] {
            let dir = self.slot.join(child);
            fs::create_dir(&dir).map_err(io(format!("create cgroup {}", dir.display())))?;
        }
        if nix::unistd::geteuid().is_root() {
            // The keeper (an unprivileged uid) moves each run from `keeper` to `run`: it
            // must be able to write the common ancestor's and the target's cgroup.procs.
            let uid = Some(nix::unistd::Uid::from_raw(keeper_uid));
            for file in [
                self.slot.join("cgroup.procs"),
                self.run.join("cgroup.procs"),
            ] {
                nix::unistd::chown(&file, uid, None)
                    .map_err(|e| SandboxError::io(format!("chown {}", file.display()), e.into()))?;
            }
        }
        // No swap for the sandbox, even where the host has some (absent without swap
        // accounting, where there is nothing to turn off).
        let _ = fs::write(self.run.join("memory.swap.max"), "0");
        let open_w = |p: PathBuf| {
            OpenOptions::new()
                .write(true)
                .open(&p)
                .map_err(io(format!("open {}", p.display())))
        };
        self.memory_max = Some(open_w(self.run.join("memory.max"))?);
        self.pids_max = Some(open_w(self.run.join("pids.max"))?);
        Ok(self)
    }

    /// Moves the keeper (and so everything it starts) into `<slot>/keeper`.
    pub fn adopt_keeper(&self, pid: u32) -> Result<(), SandboxError> {
        fs::write(self.slot.join("keeper/cgroup.procs"), pid.to_string())
            .map_err(io("move the keeper into its cgroup"))
    }

    /// Opens the descriptors handed to the keeper.
    pub fn keeper_fds(&self) -> Result<KeeperFds, SandboxError> {
        let open = |name: &str, write: bool| super::open_fd(&self.run.join(name), write);
        // memory.peak is writable (a per-descriptor reset) from kernel 6.12; before that
        // it is read-only, and absent before 5.19 (then memory.current, read at the end of
        // the run, is all there is: it may miss a peak the run freed before exiting).
        let memory_peak = open("memory.peak", true)
            .or_else(|_| open("memory.peak", false))
            .or_else(|_| open("memory.current", false))?;
        let dir = OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_DIRECTORY)
            .open(&self.run)
            .map(OwnedFd::from)
            .map_err(io(format!("open {}", self.run.display())))?;
        Ok(KeeperFds {
            procs: vec![open("cgroup.procs", true)?],
            cpu_usage: open("cpu.stat", false)?,
            memory_peak,
            oom_events: open("memory.events", false)?,
            dir: Some(dir),
            kill: open("cgroup.kill", true).ok(),
        })
    }

    /// Sets the memory and process limits of the next run.
    pub fn set_limits(&mut self, memory_bytes: u64, processes: u32) -> Result<(), SandboxError> {
        let (Some(memory), Some(pids)) = (&mut self.memory_max, &mut self.pids_max) else {
            return Err(SandboxError::Protocol("slot cgroup not set up".into()));
        };
        memory
            .write_all(memory_bytes.to_string().as_bytes())
            .map_err(io("set memory.max"))?;
        pids.write_all(processes.to_string().as_bytes())
            .map_err(io("set pids.max"))?;
        Ok(())
    }
}

impl Drop for SlotCgroup {
    fn drop(&mut self) {
        // The keeper is dead by now; its last processes may take a moment to leave.
        for _ in 0..50 {
            if remove_tree(&self.slot).is_ok() || !self.slot.exists() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
}
