//! The native Linux sandbox: namespaces, a read-only root view, tmpfs work space, cgroup
//! (v1 or v2) limits, rlimits and a seccomp filter, with a warm pool of pre-built
//! sandboxes ("slots").
//!
//! Each slot is a [`keeper`] process living inside its own user, pid, net, mount, ipc and
//! uts namespaces; a run costs one `fork` + `execve` inside it, not a new set of
//! namespaces. A slot serves one [`NativeEnv`] at a time; when the environment is dropped
//! its `/work` and `/tmp` are wiped (every process of it is already gone) and the slot goes
//! back to the pool.
//!
//! The host reaches a slot's files through a descriptor of the sandbox root that the
//! keeper sends when it is ready, always with `openat2(RESOLVE_IN_ROOT)`, so a symlink planted by a program cannot point the judge at
//! a host file.
//!
//! Requirements: either root with the cgroup v1 `memory`, `pids` and `cpuacct` controllers
//! or cgroup v2; or, without root, cgroup v2 with a delegated subtree and unprivileged
//! user namespaces (see [`cgroup::v2`]). Otherwise [`NativeSandbox::new`] says what is
//! missing and the ways out.
//!
//! Without root the judge may map only its own uid into a keeper's user namespace: the
//! programs then run as that uid (seen inside as [`SANDBOX_UID`]) with no capabilities,
//! `no_new_privs` and the seccomp filter, in their own pid namespace, so they can reach
//! no process of the host; the keeper's init is non-dumpable, so they cannot trace it.

pub mod cgroup;
pub mod keeper;
pub mod protocol;

use self::cgroup::{HostCgroups, SlotCgroup};
use self::protocol::{Channel, IdMapping, KeeperConfig, Message, SANDBOX_UID};
use super::{
    Environment, RunResult, RunSpec, Sandbox, SandboxError, Seal, Stdin, Stdout, check_relative,
};
use crate::sandbox::process::{self, Captured};
use nix::sys::socket::{AddressFamily, SockFlag, SockType, setsockopt, socketpair, sockopt};
use nix::sys::time::TimeVal;
use std::fs;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How to start a keeper: a program (and arguments) whose `main` calls
/// [`keeper::keeper_main`] (the `codehub-sandbox-keeper` binary, or `codehub
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

/// Next slot number, unique in this process (slot names are `<judge pid>-<n>`).
static NEXT_SLOT_ID: AtomicUsize = AtomicUsize::new(0);

/// The native sandbox: a bounded pool of keeper slots.
#[derive(Clone)]
pub struct NativeSandbox {
    inner: Arc<Pool>,
}

struct Pool {
    config: NativeConfig,
    /// Where the slots' cgroups go.
    cgroups: HostCgroups,
    /// Who the keepers and programs are on the host.
    ids: HostIds,
    /// Idle, wiped slots ready for the next environment.
    idle: Mutex<Vec<Slot>>,
    /// One permit per slot that may exist; an environment holds one for its life.
    permits: Arc<Semaphore>,
}

/// Host ids of a pool's keepers and programs.
#[derive(Debug, Clone, Copy)]
struct HostIds {
    /// The keeper's host uid (and gid).
    keeper: (u32, u32),
    /// The programs' host uid (and gid).
    sandbox: (u32, u32),
    /// Whether the judge is root (maps two ids; otherwise only its own).
    privileged: bool,
}

impl HostIds {
    fn of(config: &NativeConfig) -> HostIds {
        if nix::unistd::geteuid().is_root() {
            let base = config.host_uid_base;
            HostIds {
                keeper: (base, base),
                sandbox: (base + 1, base + 1),
                privileged: true,
            }
        } else {
            let me = (
                nix::unistd::geteuid().as_raw(),
                nix::unistd::getegid().as_raw(),
            );
            HostIds {
                keeper: me,
                sandbox: me,
                privileged: false,
            }
        }
    }
}

impl NativeSandbox {
    /// Checks the host can run native sandboxes (cgroups, namespaces), prepares the
    /// runtime directory and starts one slot, so a host that cannot run them fails here
    /// with the reason, not at the first submission.
    ///
    /// # Errors
    /// [`SandboxError::Unavailable`] with what is missing and the ways out.
    pub fn new(config: NativeConfig) -> Result<Self, SandboxError> {
        let cgroups = HostCgroups::prepare(&config.cgroup_root)?;
        let ids = HostIds::of(&config);
        remove_stale_slot_dirs(&config.runtime_dir);
        fs::create_dir_all(&config.runtime_dir)
            .map_err(|e| SandboxError::io("create sandbox runtime dir", e))?;
        let _ = fs::set_permissions(&config.runtime_dir, fs::Permissions::from_mode(0o755));
        let permits = Arc::new(Semaphore::new(config.max_slots.max(1)));
        tracing::debug!(
            cgroup = cgroups.version(),
            rootless = !ids.privileged,
            "native sandbox"
        );
        let pool = Arc::new(Pool {
            config,
            cgroups,
            ids,
            idle: Mutex::new(Vec::new()),
            permits,
        });
        let id = NEXT_SLOT_ID.fetch_add(1, Ordering::Relaxed);
        let first = Slot::spawn(&pool, id).map_err(explain_unavailable)?;
        pool.idle.lock().expect("pool lock").push(first);
        Ok(NativeSandbox { inner: pool })
    }

    /// `"v1"` or `"v2"`: the cgroup hierarchy in use.
    pub fn cgroup_version(&self) -> &'static str {
        self.inner.cgroups.version()
    }

    /// Whether the sandbox runs without root (one mapped uid, a delegated cgroup).
    pub fn rootless(&self) -> bool {
        !self.inner.ids.privileged
    }
}

/// Turns a failure to start the first slot into the reason and the way out.
fn explain_unavailable(e: SandboxError) -> SandboxError {
    let text = e.to_string();
    if text.contains("unshare namespaces") {
        let mut hint = String::from("the native sandbox cannot create user namespaces here: ");
        let read = |p: &str| fs::read_to_string(p).ok().map(|s| s.trim().to_owned());
        if read("/proc/sys/kernel/apparmor_restrict_unprivileged_userns").as_deref() == Some("1") {
            hint.push_str(
                "AppArmor restricts unprivileged user namespaces (Ubuntu 24.04 and later);                  install deploy/apparmor/codehub (see its header) or run as root",
            );
        } else if read("/proc/sys/kernel/unprivileged_userns_clone").as_deref() == Some("0") {
            hint.push_str(
                "enable them with `sysctl kernel.unprivileged_userns_clone=1`, or run as root",
            );
        } else if read("/proc/sys/user/max_user_namespaces").as_deref() == Some("0") {
            hint.push_str("`user.max_user_namespaces` is 0; raise it with sysctl, or run as root");
        } else {
            hint.push_str("run as root, or use `--sandbox docker`");
        }
        return SandboxError::Unavailable(format!("{hint} ({text})"));
    }
    match e {
        SandboxError::Unavailable(_) => e,
        other => SandboxError::Unavailable(format!("cannot start a sandbox here: {other}")),
    }
}

fn remove_stale_slot_dirs(runtime_dir: &Path) {
    let Ok(entries) = fs::read_dir(runtime_dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let alive = name
            .split('-')
            .next()
            .and_then(|p| p.parse::<u32>().ok())
            .is_some_and(|pid| Path::new(&format!("/proc/{pid}")).exists());
        if !alive {
            let _ = fs::remove_dir(entry.path().join("root"));
            let _ = fs::remove_dir(entry.path());
        }
    }
}

impl Sandbox for NativeSandbox {
    type Env = NativeEnv;

    fn backend(&self) -> &'static str {
        "native"
    }

    async fn acquire(&self) -> Result<NativeEnv, SandboxError> {
        let permit = self
            .inner
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| SandboxError::Protocol("sandbox pool closed".into()))?;
        let idle = self.inner.idle.lock().expect("pool lock").pop();
        let slot = match idle {
            Some(slot) => slot,
            None => {
                let pool = self.inner.clone();
                let id = NEXT_SLOT_ID.fetch_add(1, Ordering::Relaxed);
                tokio::task::spawn_blocking(move || Slot::spawn(&pool, id))
                    .await
                    .map_err(|e| SandboxError::Protocol(format!("slot start panicked: {e}")))??
            }
        };
        Ok(NativeEnv {
            slot: Some(Arc::new(Mutex::new(slot))),
            pool: self.inner.clone(),
            permit: Some(permit),
        })
    }
}

/// One pre-built sandbox: a keeper and its cgroups.
struct Slot {
    /// The keeper process the judge started (parent of the sandbox's init).
    keeper: Child,
    /// Host pid of the sandbox's init (killing it ends every process of the sandbox).
    init_pid: i32,
    /// The keeper socket.
    chan: Channel,
    /// The slot's cgroups (limits are set per run).
    cgroup: SlotCgroup,
    /// `O_PATH` descriptor of the sandbox root, for `openat2(RESOLVE_IN_ROOT)`.
    root_fd: OwnedFd,
    /// The host directory holding the slot's mount point.
    dir: PathBuf,
    /// Set when the keeper broke protocol or died: the slot is destroyed, not reused.
    broken: bool,
}

fn set_recv_timeout(chan: &Channel, timeout: Duration) {
    // SAFETY: the descriptor outlives this borrow.
    let fd = unsafe { std::os::fd::BorrowedFd::borrow_raw(chan.raw()) };
    let tv = TimeVal::new(
        timeout.as_secs() as libc::time_t,
        timeout.subsec_micros() as libc::suseconds_t,
    );
    let _ = setsockopt(&fd, sockopt::ReceiveTimeout, &tv);
}

fn expect(chan: &Channel, what: &str) -> Result<(Message, Vec<OwnedFd>), SandboxError> {
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
    fn spawn(pool: &Pool, id: usize) -> Result<Slot, SandboxError> {
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
    fn host_path(&self, inside: &str) -> PathBuf {
        PathBuf::from(format!(
            "/proc/self/fd/{}/{inside}",
            self.root_fd.as_raw_fd()
        ))
    }

    fn run(&mut self, spec: RunSpec) -> Result<RunResult, SandboxError> {
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
        let fds = [
            stdin.as_raw_fd(),
            stdout.as_raw_fd(),
            stderr_capture.as_raw_fd(),
        ];
        set_recv_timeout(&self.chan, limits.wall_time + Duration::from_secs(30));
        let sent = self.chan.send(&Message::Run(req), &fds);
        // Our copies must go now: a pipe only reaches end-of-file when every writer closes.
        drop(stdin);
        drop(stdout);
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
    fn wipe(&self) -> io::Result<()> {
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

fn write_id_map(pid: u32, file: &str, contents: &str) -> Result<(), SandboxError> {
    fs::write(format!("/proc/{pid}/{file}"), contents)
        .map_err(|e| SandboxError::io(format!("write {file} of the sandbox keeper"), e))
}

/// Kills a keeper that did not finish starting.
struct SlotGuard {
    keeper: Option<Child>,
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

fn memfd(name: &str) -> Result<OwnedFd, SandboxError> {
    let cname = std::ffi::CString::new(name).expect("no nul");
    nix::sys::memfd::memfd_create(&cname, nix::sys::memfd::MemFdCreateFlag::MFD_CLOEXEC)
        .map_err(|e| SandboxError::io("memfd_create", e.into()))
}

fn dup(fd: &OwnedFd) -> Result<OwnedFd, SandboxError> {
    fd.try_clone().map_err(|e| SandboxError::io("dup", e))
}

fn read_capture(fd: &OwnedFd, keep: u64) -> Result<(Vec<u8>, bool), SandboxError> {
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

/// `struct open_how` of `openat2(2)`.
#[repr(C)]
struct OpenHow {
    flags: u64,
    mode: u64,
    resolve: u64,
}
const RESOLVE_NO_MAGICLINKS: u64 = 0x02;
const RESOLVE_IN_ROOT: u64 = 0x10;

/// Opens `path` relative to `root`, resolving every symlink as if `root` were `/`.
fn open_in_root(root: &OwnedFd, path: &str, flags: i32, mode: u32) -> io::Result<OwnedFd> {
    let c = std::ffi::CString::new(path).map_err(io::Error::other)?;
    let how = OpenHow {
        flags: (flags | libc::O_CLOEXEC) as u64,
        mode: u64::from(mode),
        resolve: RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
    };
    // SAFETY: valid pointers and sizes.
    let fd = unsafe {
        libc::syscall(
            libc::SYS_openat2,
            root.as_raw_fd(),
            c.as_ptr(),
            &how as *const OpenHow,
            std::mem::size_of::<OpenHow>(),
        )
    };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: we own the new descriptor.
    Ok(unsafe { OwnedFd::from_raw_fd(fd as RawFd) })
}

/// Switches this thread's filesystem uid and gid to the sandbox's for its lifetime (as
/// root; without root the judge already is the sandbox's host uid).
///
/// The sandbox's tmpfs belongs to its user namespace, where host root is not mapped: the
/// kernel refuses to create files there as root (`EOVERFLOW`). Files the judge writes are
/// created as the sandbox user instead, which is also who should own them.
struct FsIdGuard(bool);

impl FsIdGuard {
    fn new(ids: &HostIds) -> Self {
        if !ids.privileged {
            return FsIdGuard(false);
        }
        // SAFETY: setfsuid/setfsgid change only this thread's filesystem credentials.
        unsafe {
            libc::setfsgid(ids.sandbox.1);
            libc::setfsuid(ids.sandbox.0);
        }
        FsIdGuard(true)
    }
}

impl Drop for FsIdGuard {
    fn drop(&mut self) {
        if self.0 {
            // SAFETY: as above; back to root.
            unsafe {
                libc::setfsuid(0);
                libc::setfsgid(0);
            }
        }
    }
}

/// Every entry under `dir` (itself included, as the empty path) with its inode, mode and
/// owner, sorted; symbolic links are not followed.
fn fingerprint(dir: &Path) -> io::Result<Vec<(PathBuf, u64, u32, u32)>> {
    use std::os::unix::fs::MetadataExt;
    let meta = fs::symlink_metadata(dir)?;
    let mut out = vec![(PathBuf::new(), meta.ino(), meta.mode(), meta.uid())];
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        for entry in fs::read_dir(dir.join(&rel))? {
            let entry = entry?;
            let meta = entry.metadata()?;
            let path = rel.join(entry.file_name());
            if meta.is_dir() {
                stack.push(path.clone());
            }
            out.push((path, meta.ino(), meta.mode(), meta.uid()));
        }
    }
    out.sort();
    Ok(out)
}

/// Whether `path` carries extended attributes (a program could keep state in those of
/// the work directory it owns).
fn has_xattrs(path: &Path) -> io::Result<bool> {
    let c =
        std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).map_err(io::Error::other)?;
    // SAFETY: valid C string; a null buffer of size 0 asks for the size only.
    let n = unsafe { libc::llistxattr(c.as_ptr(), std::ptr::null_mut(), 0) };
    if n < 0 {
        let e = io::Error::last_os_error();
        return if e.raw_os_error() == Some(libc::ENOTSUP) {
            Ok(false)
        } else {
            Err(e)
        };
    }
    Ok(n > 0)
}

/// An environment of the native sandbox: one slot, for one submission.
pub struct NativeEnv {
    slot: Option<Arc<Mutex<Slot>>>,
    pool: Arc<Pool>,
    permit: Option<OwnedSemaphorePermit>,
}

impl NativeEnv {
    async fn with_slot<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Slot, &HostIds) -> Result<T, SandboxError> + Send + 'static,
    ) -> Result<T, SandboxError> {
        let slot = self.slot.clone().expect("slot present until drop");
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = slot.lock().expect("slot lock");
            f(&mut guard, &pool.ids)
        })
        .await
        .map_err(|e| SandboxError::Protocol(format!("sandbox task panicked: {e}")))?
    }
}

fn make_parents(slot: &Slot, ids: &HostIds, path: &str) -> Result<(), SandboxError> {
    let _as_sandbox = FsIdGuard::new(ids);
    let parts: Vec<&str> = path.split('/').collect();
    let mut prefix = String::from("work");
    for part in &parts[..parts.len() - 1] {
        prefix.push('/');
        prefix.push_str(part);
        match open_in_root(&slot.root_fd, &prefix, libc::O_PATH | libc::O_DIRECTORY, 0) {
            Ok(_) => continue,
            Err(_) => {
                let parent = prefix.rsplit_once('/').map_or("work", |(p, _)| p);
                let dir = open_in_root(&slot.root_fd, parent, libc::O_PATH | libc::O_DIRECTORY, 0)
                    .map_err(|e| SandboxError::io(format!("open {parent}"), e))?;
                nix::sys::stat::mkdirat(
                    Some(dir.as_raw_fd()),
                    *part,
                    nix::sys::stat::Mode::from_bits_truncate(0o755),
                )
                .map_err(|e| SandboxError::io(format!("mkdir {prefix}"), e.into()))?;
            }
        }
    }
    Ok(())
}

impl Environment for NativeEnv {
    async fn write_file(
        &self,
        path: &str,
        contents: &[u8],
        executable: bool,
    ) -> Result<(), SandboxError> {
        check_relative(path)?;
        let path = path.to_owned();
        let contents = contents.to_vec();
        self.with_slot(move |slot, ids| {
            make_parents(slot, ids, &path)?;
            let _as_sandbox = FsIdGuard::new(ids);
            let mode = if executable { 0o755 } else { 0o644 };
            let fd = open_in_root(
                &slot.root_fd,
                &format!("work/{path}"),
                libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC | libc::O_NOFOLLOW,
                mode,
            )
            .map_err(|e| SandboxError::io(format!("create {path}"), e))?;
            let mut file = fs::File::from(fd);
            file.set_permissions(fs::Permissions::from_mode(mode))
                .map_err(|e| SandboxError::io("chmod", e))?;
            io::Write::write_all(&mut file, &contents)
                .map_err(|e| SandboxError::io(format!("write {path}"), e))
        })
        .await
    }

    async fn read_file(&self, path: &str, max_len: u64) -> Result<Vec<u8>, SandboxError> {
        check_relative(path)?;
        let path = path.to_owned();
        self.with_slot(move |slot, _| {
            let fd = open_in_root(&slot.root_fd, &format!("work/{path}"), libc::O_RDONLY, 0)
                .map_err(|e| SandboxError::io(format!("open {path}"), e))?;
            let file = fs::File::from(fd);
            let meta = file.metadata().map_err(|e| SandboxError::io("stat", e))?;
            if !meta.is_file() {
                return Err(SandboxError::io(
                    format!("read {path}"),
                    io::Error::other("not a regular file"),
                ));
            }
            let mut buf = Vec::new();
            io::Read::read_to_end(&mut io::Read::take(file, max_len), &mut buf)
                .map_err(|e| SandboxError::io(format!("read {path}"), e))?;
            Ok(buf)
        })
        .await
    }

    async fn list_files(&self) -> Result<Vec<String>, SandboxError> {
        self.with_slot(move |slot, _| {
            let base = slot.host_path("work");
            let mut out = Vec::new();
            let mut stack = vec![base.clone()];
            while let Some(dir) = stack.pop() {
                for entry in fs::read_dir(&dir).map_err(|e| SandboxError::io("list work", e))? {
                    let entry = entry.map_err(|e| SandboxError::io("list work", e))?;
                    let ft = entry.file_type().map_err(|e| SandboxError::io("stat", e))?;
                    if ft.is_dir() {
                        stack.push(entry.path());
                    } else if ft.is_file() {
                        let rel = entry
                            .path()
                            .strip_prefix(&base)
                            .expect("under base")
                            .to_owned();
                        out.push(rel.to_string_lossy().into_owned());
                    }
                }
            }
            out.sort();
            Ok(out)
        })
        .await
    }

    async fn make_dir(&self, path: &str) -> Result<(), SandboxError> {
        check_relative(path)?;
        let path = path.to_owned();
        self.with_slot(move |slot, ids| {
            let host = slot.host_path(&format!("work/{path}"));
            if let Ok(meta) = fs::symlink_metadata(&host) {
                if meta.is_dir() {
                    fs::remove_dir_all(&host)
                } else {
                    fs::remove_file(&host)
                }
                .map_err(|e| SandboxError::io(format!("clear {path}"), e))?;
            }
            make_parents(slot, ids, &format!("{path}/x"))?;
            Ok(())
        })
        .await
    }

    async fn clear(&self) -> Result<(), SandboxError> {
        self.with_slot(|slot, _| {
            slot.wipe()
                .map_err(|e| SandboxError::io("clear work dir", e))
        })
        .await
    }

    async fn run(&self, spec: RunSpec) -> Result<RunResult, SandboxError> {
        self.with_slot(move |slot, _| slot.run(spec)).await
    }

    /// As root: the work directory's entries go to the keeper's uid (root inside, which the
    /// programs are not) without write permission, so a program can neither change nor
    /// extend them; it can still add, rename or remove entries in `/work`, which the
    /// fingerprint then shows. Without root the programs share the judge's uid: no seal.
    async fn seal(&self) -> Result<Option<Seal>, SandboxError> {
        self.with_slot(|slot, ids| {
            if !ids.privileged {
                return Ok(None);
            }
            let work = slot.host_path("work");
            let failed = |e| SandboxError::io("seal the work directory", e);
            let (uid, gid) = ids.keeper;
            for (rel, _, mode, _) in fingerprint(&work).map_err(failed)? {
                if rel.as_os_str().is_empty() {
                    continue; // /work itself stays the programs' own
                }
                let path = work.join(&rel);
                nix::unistd::fchownat(
                    None,
                    &path,
                    Some(nix::unistd::Uid::from_raw(uid)),
                    Some(nix::unistd::Gid::from_raw(gid)),
                    nix::fcntl::AtFlags::AT_SYMLINK_NOFOLLOW,
                )
                .map_err(|e| failed(e.into()))?;
                if mode & libc::S_IFMT != libc::S_IFLNK {
                    fs::set_permissions(&path, fs::Permissions::from_mode(mode & 0o555))
                        .map_err(failed)?;
                }
            }
            Ok(Some(Seal(fingerprint(&work).map_err(failed)?)))
        })
        .await
    }

    async fn is_sealed_state(&self, seal: &Seal) -> Result<bool, SandboxError> {
        let seal = seal.clone();
        self.with_slot(move |slot, _| {
            let failed = |e| SandboxError::io("check the work directory", e);
            let work = slot.host_path("work");
            let tmp_empty = fs::read_dir(slot.host_path("tmp"))
                .map_err(failed)?
                .next()
                .is_none();
            // A tree too deep to walk by path (a hostile program's) is simply not intact:
            // the restore that follows empties it by descriptor.
            Ok(tmp_empty
                && !has_xattrs(&work).map_err(failed)?
                && fingerprint(&work).is_ok_and(|now| now == seal.0))
        })
        .await
    }
}

impl Drop for NativeEnv {
    fn drop(&mut self) {
        let Some(slot) = self.slot.take() else { return };
        let pool = self.pool.clone();
        let permit = self.permit.take();
        let release = move || {
            if let Ok(mutex) = Arc::try_unwrap(slot) {
                let slot = mutex.into_inner().unwrap_or_else(|e| e.into_inner());
                if !slot.broken && slot.wipe().is_ok() {
                    pool.idle.lock().expect("pool lock").push(slot);
                }
            }
            drop(permit);
        };
        match tokio::runtime::Handle::try_current() {
            Ok(handle) => {
                handle.spawn_blocking(release);
            }
            Err(_) => release(),
        }
    }
}
