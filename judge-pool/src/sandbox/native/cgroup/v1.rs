//! Per-slot cgroups on the v1 hierarchy (`memory`, `pids`, `cpuacct`), root only.
//!
//! The host creates one cgroup per sandbox slot in each controller and keeps it for the
//! slot's life; every run's processes join it before `execve`. The host sets the memory
//! and pids limits before each run; the keeper reads CPU usage, the memory peak and the
//! OOM-kill counter through descriptors the host opened (so it needs no host privilege).

use super::{KeeperFds, io};
use crate::sandbox::SandboxError;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The controllers a slot needs.
pub const CONTROLLERS: [&str; 3] = ["memory", "pids", "cpuacct"];
/// The directory under each controller that holds CodeHub's cgroups.
const PARENT: &str = "codehub";

/// One slot's cgroups; removed on drop (after its processes are gone).
#[derive(Debug)]
pub struct SlotCgroup {
    dirs: Vec<PathBuf>,
    memory_limit: File,
    pids_max: File,
}

/// Removes CodeHub cgroups left by processes that no longer exist.
pub fn remove_stale(root: &Path) {
    // cpuset holds slots only when they are pinned; a missing directory is skipped.
    for c in CONTROLLERS.into_iter().chain(["cpuset"]) {
        let Ok(entries) = fs::read_dir(root.join(c).join(PARENT)) else {
            continue;
        };
        for entry in entries.flatten() {
            if super::is_stale_slot(&entry.file_name().to_string_lossy()) {
                let _ = fs::remove_dir(entry.path());
            }
        }
    }
}

/// Creates `cpuset/codehub/<name>` holding only `cpu` (v1 cpusets need their CPUs and
/// memory nodes set before a process may join, each within its parent's).
fn create_cpuset(root: &Path, name: &str, cpu: usize) -> Result<PathBuf, SandboxError> {
    let top = root.join("cpuset");
    if !top.join("cgroup.procs").exists() {
        return Err(SandboxError::Unavailable(
            "CPU pinning needs the cgroup v1 cpuset controller".into(),
        ));
    }
    let parent = top.join(PARENT);
    let mems = fs::read_to_string(top.join("cpuset.mems")).map_err(io("read cpuset.mems"))?;
    if !parent.exists() {
        fs::create_dir_all(&parent).map_err(io(format!("create {}", parent.display())))?;
        let cpus = fs::read_to_string(top.join("cpuset.cpus")).map_err(io("read cpuset.cpus"))?;
        fs::write(parent.join("cpuset.cpus"), cpus.trim()).map_err(io("set cpuset.cpus"))?;
        fs::write(parent.join("cpuset.mems"), mems.trim()).map_err(io("set cpuset.mems"))?;
    }
    let dir = parent.join(name);
    fs::create_dir_all(&dir).map_err(io(format!("create cgroup {}", dir.display())))?;
    let set = (|| {
        fs::write(dir.join("cpuset.cpus"), cpu.to_string())?;
        fs::write(dir.join("cpuset.mems"), mems.trim())
    })();
    if let Err(e) = set {
        let _ = fs::remove_dir(&dir);
        return Err(SandboxError::io(format!("pin a slot to CPU {cpu}"), e));
    }
    Ok(dir)
}

impl SlotCgroup {
    /// Creates the slot's cgroups, named `<judge pid>-<slot>`, pinned to `cpu` if given.
    pub fn create(root: &Path, name: &str, cpu: Option<usize>) -> Result<SlotCgroup, SandboxError> {
        let mut dirs = Vec::new();
        for c in CONTROLLERS {
            let dir = root.join(c).join(PARENT).join(name);
            fs::create_dir_all(&dir).map_err(io(format!("create cgroup {}", dir.display())))?;
            dirs.push(dir);
        }
        if let Some(cpu) = cpu {
            dirs.push(create_cpuset(root, name, cpu)?);
        }
        let open_w = |p: PathBuf| {
            OpenOptions::new()
                .write(true)
                .open(&p)
                .map_err(io(format!("open {}", p.display())))
        };
        let memory_limit = open_w(dirs[0].join("memory.limit_in_bytes"))?;
        let pids_max = open_w(dirs[1].join("pids.max"))?;
        // No swap for the sandbox, even where the host has some.
        let _ = fs::write(dirs[0].join("memory.swappiness"), "0");
        Ok(SlotCgroup {
            dirs,
            memory_limit,
            pids_max,
        })
    }

    /// Opens the descriptors handed to the keeper.
    pub fn keeper_fds(&self) -> Result<KeeperFds, SandboxError> {
        let open = |p: PathBuf, write: bool| super::open_fd(&p, write);
        Ok(KeeperFds {
            procs: self
                .dirs
                .iter()
                .map(|d| open(d.join("cgroup.procs"), true))
                .collect::<Result<_, _>>()?,
            cpu_usage: open(self.dirs[2].join("cpuacct.usage"), false)?,
            memory_peak: open(self.dirs[0].join("memory.max_usage_in_bytes"), true)?,
            oom_events: open(self.dirs[0].join("memory.oom_control"), false)?,
            dir: None,
            kill: None,
        })
    }

    /// Sets the memory and process limits of the next run.
    pub fn set_limits(&mut self, memory_bytes: u64, processes: u32) -> Result<(), SandboxError> {
        self.memory_limit
            .write_all(memory_bytes.to_string().as_bytes())
            .map_err(io("set memory.limit_in_bytes"))?;
        self.pids_max
            .write_all(processes.to_string().as_bytes())
            .map_err(io("set pids.max"))?;
        Ok(())
    }
}

impl Drop for SlotCgroup {
    fn drop(&mut self) {
        for dir in &self.dirs {
            // The keeper is dead by now; its last processes may take a moment to leave.
            for _ in 0..50 {
                if fs::remove_dir(dir).is_ok() || !dir.exists() {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
        }
    }
}
