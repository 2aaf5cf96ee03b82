//! One slot: a keeper, its cgroups and its root; starting it, one run, wiping it.

use super::cgroup::SlotCgroup;
use super::pool::Pool;
use super::protocol::{Channel, IdMapping, KeeperConfig, Message, SANDBOX_UID};
use crate::sandbox::process::{self, Captured};
use crate::sandbox::{RunResult, RunSpec, SandboxError, Stdin, Stdout};
use nix::sys::socket::{AddressFamily, SockFlag, SockType, setsockopt, socketpair, sockopt};
use nix::sys::time::TimeVal;
use std::fs;
use std::io;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// One pre-built sandbox: a keeper and its cgroups.
pub(super) struct Slot {
    /// The keeper process the judge started (parent of the sandbox's init).
    pub(super) keeper: Child,
    /// Host pid of the sandbox's init (killing it ends every process of the sandbox).
    pub(super) init_pid: i32,
    /// The keeper socket.
    pub(super) chan: Channel,
    /// The slot's cgroups (limits are set per run).
    pub(super) cgroup: SlotCgroup,
    /// `O_PATH` descriptor of the sandbox root, for `openat2(RESOLVE_IN_ROOT)`.
    pub(super) root_fd: OwnedFd,
    /// The host directory holding the slot's mount point.
    pub(super) dir: PathBuf,
    /// Set when the keeper broke protocol or died: the slot is destroyed, not reused.
    pub(super) broken: bool,
}

pub(super) fn set_recv_timeout(chan: &Channel, timeout: Duration) {
    // SAFETY: the descriptor outlives this borrow.
    let fd = unsafe { std::os::fd::BorrowedFd::borrow_raw(chan.raw()) };
    let tv = TimeVal::new(
        timeout.as_secs() as libc::time_t,
        timeout.subsec_micros() as libc::suseconds_t,
    );
    let _ = setsockopt(&fd, sockopt::ReceiveTimeout, &tv);
}

pub(super) fn expect(chan: &Channel, what: &str) -> Result<(Message, Vec<OwnedFd>), SandboxError> {
    match chan.recv() {
        Ok(Some((Message::Failed { message }, _))) => Err(SandboxError::Unavailable(format!(
            "sandbox keeper failed: {message}"
        ))),
        Ok(Some(msg)) => Ok(msg),
        Ok(None) => Err(SandboxError::Protocol(format!(
            "sandbox keeper exited while waiting for {what}"
        ))),
        Err(e) => Err(SandboxError::io(format!("waiting for {what}"), e)),
    }
}

impl Slot {
    pub(super) fn spawn(pool: &Pool, id: usize) -> Result<Slot, SandboxError> {
        let config = &pool.config;
        let name = format!("{}-{id}", std::process::id());
        let dir = config.runtime_dir.join(&name);
        let root_dir = dir.join("root");
        fs::create_dir_all(&root_dir).map_err(|e| SandboxError::io("create slot dir", e))?;
        for d in [&dir, &root_dir] {
            let _ = fs::set_permissions(d, fs::Permissions::from_mode(0o755));
        }
        let cpu = (!config.cpus.is_empty()).then(|| config.cpus[id % config.cpus.len()]);
        let cgroup = pool.cgroups.create_slot(&name, pool.ids.keeper.0, cpu)?;
        let kfds = cgroup.keeper_fds()?;

        let (ours, theirs) = socketpair(
            AddressFamily::Unix,
            SockType::SeqPacket,
            None,
            SockFlag::SOCK_CLOEXEC,
        )
        .map_err(|e| SandboxError::io("socketpair", e.into()))?;
        let keeper = Command::new(&config.keeper.program)
            .args(&config.keeper.args)
            .env_clear()
            .stdin(Stdio::from(theirs))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| {
                SandboxError::io(
                    format!("start sandbox keeper {}", config.keeper.program.display()),
                    e,
                )
            })?;
        let chan = Channel::new(ours);
        let mut slot = SlotGuard {
            keeper: Some(keeper),
        };
        set_recv_timeout(&chan, Duration::from_secs(30));
        let pid = slot.keeper.as_ref().expect("set").id();
        // Before it does anything: everything the keeper starts lives in the slot's cgroup.
        cgroup.adopt_keeper(pid)?;

        let setup = KeeperConfig {
            root_dir,
            readonly_paths: config.readonly_paths.clone(),
            work_bytes: config.work_bytes,
            tmp_bytes: config.tmp_bytes,
            cgroup: kfds.layout(cgroup.unified()),
        };
        chan.send(&Message::Setup(setup), &kfds.ordered())
            .map_err(|e| SandboxError::io("send sandbox setup", e))?;
        drop(kfds);
        expect(&chan, "namespaces")?;
        let ids = pool.ids;
        let mapping = if ids.privileged {
            let ((ku, kg), (su, sg)) = (ids.keeper, ids.sandbox);
            write_id_map(pid, "uid_map", &format!("0 {ku} 1\n{SANDBOX_UID} {su} 1\n"))?;
            write_id_map(pid, "gid_map", &format!("0 {kg} 1\n{SANDBOX_UID} {sg} 1\n"))?;
            IdMapping {
                keeper_id: 0,
                setgroups: true,
            }
        } else {
            // An unprivileged process may map its own ids only, and must give up
            // setgroups(2) in the namespace first.
            let (uid, gid) = ids.sandbox;
            write_id_map(pid, "setgroups", "deny")?;
            write_id_map(pid, "uid_map", &format!("{SANDBOX_UID} {uid} 1\n"))?;
            write_id_map(pid, "gid_map", &format!("{SANDBOX_UID} {gid} 1\n"))?;
            IdMapping {
                keeper_id: SANDBOX_UID,
                setgroups: false,
            }
        };
        chan.send(&Message::Mapped(mapping), &[])
            .map_err(|e| SandboxError::io("send mapped", e))?;
        let init_pid = match expect(&chan, "init pid")? {
            (Message::Init { pid }, _) => pid,
            (other, _) => {
                return Err(SandboxError::Protocol(format!(
                    "expected init, got {other:?}"
                )));
            }
        };
        let root_fd = match expect(&chan, "ready")? {
            (Message::Ready, fds) if fds.len() == 1 => fds.into_iter().next().expect("one"),
            (other, _) => {
                return Err(SandboxError::Protocol(format!(
                    "expected ready with the root descriptor, got {other:?}"
                )));
            }
        };
        let is_dir = nix::sys::stat::fstat(root_fd.as_raw_fd())
            .is_ok_and(|st| st.st_mode & libc::S_IFMT == libc::S_IFDIR);
        if !is_dir {
            return Err(SandboxError::Protocol(
                "the sandbox root is not a directory".into(),
            ));
        }
        Ok(Slot {
            keeper: slot.keeper.take().expect("set"),
            init_pid,
            chan,
            cgroup,
            root_fd,
            dir,
            broken: false,
        })
    }

    /// The host path of a sandbox directory, through the descriptor of the sandbox root.
    pub(super) fn host_path(&self, inside: &str) -> PathBuf {
        PathBuf::from(format!(
            "/proc/self/fd/{}/{inside}",
            self.root_fd.as_raw_fd()
        ))
    }

    pub(super) fn run(&mut self, spec: RunSpec) -> Result<RunResult, SandboxError> {
        let limits = spec.limits.clone();
        self.cgroup
            .set_limits(limits.memory_bytes, limits.processes)
            .inspect_err(|_| self.broken = true)?;
        let stdin: OwnedFd = match spec.stdin {
            Stdin::Null => fs::File::open("/dev/null")
                .map_err(|e| SandboxError::io("open /dev/null", e))?
                .into(),
            Stdin::File(path) => fs::File::open(&path)
                .map_err(|e| SandboxError::io(format!("open {}", path.display()), e))?
                .into(),
            Stdin::Pipe(fd) => fd,
        };
        let (stdout, stdout_capture) = match spec.stdout {
            Stdout::Capture => {
                let m = memfd("stdout")?;
                (dup(&m)?, Some(m))
            }
            Stdout::Pipe(fd) => (fd, None),
        };
        let stderr_capture = memfd("stderr")?;
        let processes = u64::from(limits.processes);
        let req = process::request(spec.argv, spec.env, &limits, processes);
        let mut fds = vec![
            stdin.as_raw_fd(),
            stdout.as_raw_fd(),
            stderr_capture.as_raw_fd(),
        ];
        fds.extend(spec.stop.as_ref().map(|s| s.0.as_raw_fd()));
        set_recv_timeout(&self.chan, limits.wall_time + Duration::from_secs(30));
        let sent = self.chan.send(&Message::Run(req), &fds);
        // Our copies must go now: a pipe only reaches end-of-file when every writer closes.
        drop(stdout);
        drop(stdin);
        drop(spec.stop);
        sent.map_err(|e| {
            self.broken = true;
            SandboxError::io("send run", e)
        })?;
        let report = match expect(&self.chan, "run result") {
            Ok((Message::Done(report), _)) => report,
            Ok((other, _)) => {
                self.broken = true;
                return Err(SandboxError::Protocol(format!(
                    "expected done, got {other:?}"
                )));
            }
            Err(e) => {
                self.broken = true;
                return Err(e);
            }
        };
        let (stdout, stdout_truncated) = match &stdout_capture {
            Some(m) => read_capture(m, limits.output_bytes)?,
            None => (Vec::new(), false),
        };
        let (stderr, stderr_truncated) = read_capture(&stderr_capture, limits.stderr_bytes)?;
        process::result(
            report,
            &limits,
            Captured {
                bytes: stdout,
                truncated: stdout_truncated,
            },
            Captured {
                bytes: stderr,
                truncated: stderr_truncated,
            },
        )
    }

    /// Empties `/work` and `/tmp` for the next submission.
    pub(super) fn wipe(&self) -> io::Result<()> {
        // By descriptor, opening up what a program made unreadable: without root the judge
        // has no override of file modes.
        for (dir, mode) in [("work", 0o755), ("tmp", 0o1777)] {
            let path = self.host_path(dir);
            crate::sandbox::fsutil::empty_dir(&path)?;
            // The programs own /work: what they did to its mode or attributes goes too.
            crate::sandbox::fsutil::reset_dir_metadata(&path, mode)?;
        }
        Ok(())
    }
}

pub(super) fn write_id_map(pid: u32, file: &str, contents: &str) -> Result<(), SandboxError> {
    fs::write(format!("/proc/{pid}/{file}"), contents)
        .map_err(|e| SandboxError::io(format!("write {file} of the sandbox keeper"), e))
}

/// Kills a keeper that did not finish starting.
pub(super) struct SlotGuard {
    pub(super) keeper: Option<Child>,
}

impl Drop for SlotGuard {
    fn drop(&mut self) {
        if let Some(mut k) = self.keeper.take() {
            let _ = k.kill();
            let _ = k.wait();
        }
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        // SAFETY: plain syscall. Killing the init kills every process of the sandbox.
        unsafe { libc::kill(self.init_pid, libc::SIGKILL) };
        let _ = self.keeper.kill();
        let _ = self.keeper.wait();
        let _ = fs::remove_dir(self.dir.join("root"));
        let _ = fs::remove_dir(&self.dir);
    }
}

pub(super) fn memfd(name: &str) -> Result<OwnedFd, SandboxError> {
    let cname = std::ffi::CString::new(name).expect("no nul");
    nix::sys::memfd::memfd_create(&cname, nix::sys::memfd::MemFdCreateFlag::MFD_CLOEXEC)
        .map_err(|e| SandboxError::io("memfd_create", e.into()))
}

pub(super) fn dup(fd: &OwnedFd) -> Result<OwnedFd, SandboxError> {
    fd.try_clone().map_err(|e| SandboxError::io("dup", e))
}

pub(super) fn read_capture(fd: &OwnedFd, keep: u64) -> Result<(Vec<u8>, bool), SandboxError> {
    let file = fs::File::from(dup(fd)?);
    let size = file
        .metadata()
        .map_err(|e| SandboxError::io("stat capture", e))?
        .len();
    let n = size.min(keep) as usize;
    let mut buf = vec![0u8; n];
    std::os::unix::fs::FileExt::read_exact_at(&file, &mut buf, 0)
        .map_err(|e| SandboxError::io("read capture", e))?;
    Ok((buf, size > keep))
}
