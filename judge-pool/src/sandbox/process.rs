//! Running one program under limits, from a process that is pid 1 of its namespace: the
//! native keeper and the Docker runner share this.
//!
//! The child (forked from a single-threaded parent) moves its stdin/stdout/stderr into
//! place, optionally joins cgroups and drops to an unprivileged uid, sets rlimits,
//! `no_new_privs`, marks every other descriptor close-on-exec and `execve`s. The parent
//! enforces wall and CPU time, then kills every other process of the namespace and reaps
//! them before it reports: a run never outlives itself.

use super::request::{Killed, RunReport, RunRequest};
use std::ffi::CString;
use std::io;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What the child does besides rlimits before `execve`.
pub struct ChildSetup<'a> {
    /// `cgroup.procs` descriptors to write "0" to (join the run's cgroups).
    pub join_cgroups: &'a [RawFd],
    /// The run cgroup's directory (v2): the child is created in it with
    /// `clone3(CLONE_INTO_CGROUP)`, so it never runs a moment outside its limits; on
    /// kernels without it (before 5.7) it joins through `join_cgroups` instead.
    pub into_cgroup: Option<RawFd>,
    /// Drop to this uid and gid (with no supplementary groups), if set.
    pub drop_to: Option<u32>,
    /// Give the run an IPC namespace of its own (System V objects die with it).
    pub new_ipc_namespace: bool,
    /// Seccomp filters: their per-run part is installed right before `execve` (the
    /// caller has installed the rest in itself, so the run inherits it).
    pub seccomp: Option<&'a super::seccomp::Filters>,
    /// Make the run the OOM killer's first choice (`oom_score_adj` 1000), for a
    /// supervisor that shares the run's memory cgroup (the Docker runner, pid 1: its
    /// death ends the container mid-run). Exempting the supervisor instead (-1000)
    /// needs `CAP_SYS_RESOURCE` in the daemon, which many hosts' Docker lacks.
    pub first_to_oom_kill: bool,
}

/// Extra descriptors the supervising loop serves while the program runs (the Docker
/// runner relays an interactive program's stdin and stdout through them).
pub trait Relay {
    /// Descriptors to poll, with the events of interest.
    fn interest(&self) -> Vec<libc::pollfd>;
    /// Handles the polled descriptors (those in `interest`, with `revents` filled in).
    ///
    /// # Errors
    /// A broken relay ends the run as a sandbox failure.
    fn ready(&mut self, polled: &[libc::pollfd]) -> io::Result<()>;
    /// Whether the judge asked to stop the run.
    fn stop_requested(&self) -> bool;
    /// Whether the writing side of the program's input has closed (see
    /// [`RunReport::input_closed`]).
    fn input_closed(&self) -> bool;
}

/// Where usage is read from.
pub struct Accounting<'a> {
    /// `cpuacct.usage` (ns) or, with `cpu_stat`, `cpu.stat` (`usage_usec`) of the run's
    /// cgroup (else: rusage of reaped children).
    pub cpu_usage: Option<&'a OwnedFd>,
    /// Whether `cpu_usage` is a v2 `cpu.stat`.
    pub cpu_stat: bool,
    /// `memory.max_usage_in_bytes` or `memory.peak`, reset before each run when writable.
    pub memory_peak: Option<&'a OwnedFd>,
    /// `memory.oom_control` or `memory.events` (their `oom_kill` counter).
    pub oom_events: Option<&'a OwnedFd>,
    /// `cgroup.kill` (v2, kernel ≥ 5.14): ends whatever a killed run left.
    pub kill: Option<&'a OwnedFd>,
}

impl Accounting<'_> {
    /// CPU time of the cgroup so far (or of reaped children), ns.
    fn cpu_ns(&self) -> u64 {
        match self.cpu_usage {
            Some(f) if self.cpu_stat => read_counter(f, Some("usage_usec")) * 1000,
            Some(f) => read_counter(f, None),
            None => children_cpu_ns(),
        }
    }

    /// OOM kills so far.
    fn oom_kills(&self) -> u64 {
        self.oom_events
            .map_or(0, |f| read_counter(f, Some("oom_kill")))
    }
}

/// `struct clone_args` of `clone3(2)` (the fields up to `cgroup`, kernel 5.7).
#[repr(C)]
#[derive(Default)]
struct CloneArgs {
    flags: u64,
    pidfd: u64,
    child_tid: u64,
    parent_tid: u64,
    exit_signal: u64,
    stack: u64,
    stack_size: u64,
    tls: u64,
    set_tid: u64,
    set_tid_size: u64,
    cgroup: u64,
}
const CLONE_INTO_CGROUP: u64 = 0x2_0000_0000;

/// Set once `clone3(CLONE_INTO_CGROUP)` proved missing: later runs fork directly.
static NO_CLONE3: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Forks (the calling process must be single-threaded), into `cgroup` when given and the
/// kernel can. Returns the child's pid (0 in the child), whether it was created in the
/// cgroup, and a pidfd when the kernel gave one.
fn fork_into(cgroup: Option<RawFd>) -> io::Result<(libc::pid_t, bool, Option<RawFd>)> {
    use std::sync::atomic::Ordering;
    if let Some(cgroup) = cgroup
        && !NO_CLONE3.load(Ordering::Relaxed)
    {
        let mut pidfd: RawFd = -1;
        let args = CloneArgs {
            flags: CLONE_INTO_CGROUP | libc::CLONE_PIDFD as u64,
            pidfd: (&mut pidfd as *mut RawFd) as u64,
            exit_signal: libc::SIGCHLD as u64,
            cgroup: cgroup as u64,
            ..CloneArgs::default()
        };
        // SAFETY: like fork(2) (no CLONE_VM): the child gets a copy of this
        // single-threaded process and only makes system calls before execve.
        let ret = unsafe {
            libc::syscall(
                libc::SYS_clone3,
                &args as *const CloneArgs,
                std::mem::size_of::<CloneArgs>(),
            )
        };
        if ret >= 0 {
            let pid = ret as libc::pid_t;
            return Ok((pid, true, (pid > 0).then_some(pidfd)));
        }
        let e = io::Error::last_os_error();
        if matches!(
            e.raw_os_error(),
            Some(libc::ENOSYS | libc::E2BIG | libc::EINVAL)
        ) {
            NO_CLONE3.store(true, Ordering::Relaxed);
        }
    }
    // SAFETY: the caller is single-threaded; the child only makes system calls.
    match unsafe { libc::fork() } {
        -1 => Err(err("fork run")(io::Error::last_os_error())),
        pid => Ok((pid, false, None)),
    }
}

/// Reads a decimal counter (or the `key value` line of a stat file) through a descriptor.
pub(crate) fn read_counter(fd: &OwnedFd, key: Option<&str>) -> u64 {
    let mut buf = [0u8; 4096];
    // SAFETY: valid descriptor and buffer.
    let n = unsafe { libc::pread(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len(), 0) };
    if n <= 0 {
        return 0;
    }
    let text = String::from_utf8_lossy(&buf[..n as usize]);
    match key {
        None => text.trim().parse().unwrap_or(0),
        Some(key) => text
            .lines()
            .filter_map(|l| l.split_once(' '))
            .find(|(k, _)| *k == key)
            .and_then(|(_, v)| v.trim().parse().ok())
            .unwrap_or(0),
    }
}

fn write_fd(fd: RawFd, bytes: &[u8]) -> isize {
    // SAFETY: valid buffer.
    unsafe { libc::pwrite(fd, bytes.as_ptr().cast(), bytes.len(), 0) }
}

/// Finds `program` in the `PATH` of `env` (inside the sandbox root).
fn resolve_program(program: &str, env: &[(String, String)]) -> PathBuf {
    if program.contains('/') {
        return PathBuf::from(program);
    }
    let path = env
        .iter()
        .find(|(k, _)| k == "PATH")
        .map_or("/usr/bin:/bin", |(_, v)| v.as_str());
    for dir in path.split(':').filter(|d| !d.is_empty()) {
        let candidate = Path::new(dir).join(program);
        if candidate.is_file() {
            return candidate;
        }
    }
    PathBuf::from(program)
}

/// Kills every process of the namespace but init, then reaps them all.
pub(crate) fn kill_all_and_reap() {
    // SAFETY: plain syscalls; from pid 1, kill(-1) reaches every other process of the
    // namespace and nothing outside it.
    unsafe {
        libc::kill(-1, libc::SIGKILL);
        while libc::waitpid(-1, std::ptr::null_mut(), libc::__WALL) > 0 {}
    }
}

fn set_rlimit(resource: libc::__rlimit_resource_t, soft: u64, hard: u64) {
    let lim = libc::rlimit {
        rlim_cur: soft,
        rlim_max: hard,
    };
    // SAFETY: valid struct.
    unsafe { libc::setrlimit(resource, &lim) };
}

/// Whether the writing side of the pipe `fd` reads from has closed (`false` for anything
/// but a pipe).
pub(crate) fn writer_closed(fd: RawFd) -> bool {
    let mut p = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd; no waiting.
    let n = unsafe { libc::poll(&mut p, 1, 0) };
    n > 0 && p.revents & libc::POLLHUP != 0
}

/// Runs `req` with `fds` as stdin, stdout and stderr; `hangup` is watched for the
/// controller going away (then everything is killed and the process exits), `stop` (if
/// any) for the judge ending the run early (readable or hung up: [`Killed::Stopped`]).
///
/// # Errors
/// If the program cannot be prepared or forked (not if it fails: that is in the report).
pub fn run(
    hangup: RawFd,
    req: &RunRequest,
    fds: &[OwnedFd],
    stop: Option<RawFd>,
    setup: &ChildSetup,
    acct: &Accounting,
    mut relay: Option<&mut dyn Relay>,
) -> io::Result<RunReport> {
    if fds.len() != 3 || req.argv.is_empty() {
        return Err(io::Error::other("run needs argv and three descriptors"));
    }
    let program = c_path(&resolve_program(&req.argv[0], &req.env))?;
    let argv: Vec<CString> = req
        .argv
        .iter()
        .map(|a| CString::new(a.as_bytes()))
        .collect::<Result<_, _>>()
        .map_err(io::Error::other)?;
    let envp: Vec<CString> = req
        .env
        .iter()
        .map(|(k, v)| CString::new(format!("{k}={v}")))
        .collect::<Result<_, _>>()
        .map_err(io::Error::other)?;
    let mut argv_ptrs: Vec<*const libc::c_char> = argv.iter().map(|a| a.as_ptr()).collect();
    argv_ptrs.push(std::ptr::null());
    let mut envp_ptrs: Vec<*const libc::c_char> = envp.iter().map(|a| a.as_ptr()).collect();
    envp_ptrs.push(std::ptr::null());
    let io_fds: Vec<RawFd> = fds.iter().map(|f| f.as_raw_fd()).collect();
    let procs_fds: &[RawFd] = setup.join_cgroups;
    let drop_to = setup.drop_to;
    let new_ipc = setup.new_ipc_namespace;
    let first_to_oom_kill = setup.first_to_oom_kill;
    let seccomp = setup.seccomp;
    let cpu_secs = req.cpu_ns.div_ceil(1_000_000_000) + 1;
    let (err_read, err_write) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC)?;

    if let Some(peak) = acct.memory_peak {
        write_fd(peak.as_raw_fd(), b"0");
    }
    let oom_before = acct.oom_kills();
    let cpu_before = acct.cpu_ns();
    let start = Instant::now();

    // The child only makes syscalls on memory prepared above, then execs or exits.
    let (child, in_cgroup, child_pidfd) = fork_into(setup.into_cgroup)?;
    if child == 0 {
        // SAFETY: async-signal-safe syscalls only, on prepared data.
        unsafe {
            libc::setsid();
            // Move the descriptors out of the way of 0..=2 before placing them.
            let mut high = [0; 3];
            for (i, fd) in io_fds.iter().enumerate() {
                high[i] = libc::fcntl(*fd, libc::F_DUPFD_CLOEXEC, 10);
            }
            for (i, fd) in high.iter().enumerate() {
                libc::dup2(*fd, i as RawFd);
            }
            for fd in procs_fds.iter().filter(|_| !in_cgroup) {
                if libc::pwrite(*fd, b"0".as_ptr().cast(), 1, 0) < 0 {
                    child_fail(err_write.as_raw_fd(), *libc::__errno_location(), 126);
                }
            }
            if new_ipc && libc::unshare(libc::CLONE_NEWIPC) != 0 {
                child_fail(err_write.as_raw_fd(), *libc::__errno_location(), 126);
            }
            if first_to_oom_kill && let Err(errno) = raise_oom_score() {
                child_fail(err_write.as_raw_fd(), errno, 126);
            }
            set_rlimit(libc::RLIMIT_CPU, cpu_secs, cpu_secs + 1);
            set_rlimit(libc::RLIMIT_FSIZE, req.file_size, req.file_size);
            set_rlimit(libc::RLIMIT_STACK, req.stack, req.stack);
            if let Some(a) = req.address_space {
                set_rlimit(libc::RLIMIT_AS, a, a);
            }
            set_rlimit(libc::RLIMIT_NOFILE, req.open_files, req.open_files);
            set_rlimit(libc::RLIMIT_NPROC, req.processes, req.processes);
            set_rlimit(libc::RLIMIT_CORE, 0, 0);
            set_rlimit(libc::RLIMIT_MEMLOCK, 0, 0);
            set_rlimit(libc::RLIMIT_MSGQUEUE, 0, 0);
            if let Some(uid) = drop_to {
                libc::setgroups(0, std::ptr::null());
                if libc::setresgid(uid, uid, uid) != 0 || libc::setresuid(uid, uid, uid) != 0 {
                    child_fail(err_write.as_raw_fd(), *libc::__errno_location(), 126);
                }
            }
            // No capabilities left (an unprivileged keeper's runs would otherwise keep
            // those it holds in its own user namespace until execve).
            let header = CapHeader {
                version: 0x2008_0522,
                pid: 0,
            };
            let none = [CapData::default(), CapData::default()];
            libc::syscall(libc::SYS_capset, &header as *const CapHeader, none.as_ptr());
            libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong);
            if let Some(filters) = seccomp
                && let Err(e) = filters.apply_run_part()
            {
                child_fail(err_write.as_raw_fd(), e, 126);
            }
            // Every descriptor above stderr closes on exec.
            libc::syscall(
                libc::SYS_close_range,
                3u32,
                u32::MAX,
                libc::CLOSE_RANGE_CLOEXEC,
            );
            libc::chdir(c"/work".as_ptr());
            libc::execve(program.as_ptr(), argv_ptrs.as_ptr(), envp_ptrs.as_ptr());
            child_fail(err_write.as_raw_fd(), *libc::__errno_location(), 127);
        }
    }
    drop(err_write);

    // SAFETY: plain syscall on our own child.
    let pidfd = child_pidfd
        .unwrap_or_else(|| unsafe { libc::syscall(libc::SYS_pidfd_open, child, 0) } as RawFd);
    let wall_limit = Duration::from_nanos(req.wall_ns);
    let mut killed = None;
    loop {
        let elapsed = start.elapsed();
        if elapsed >= wall_limit {
            killed = Some(Killed::WallTime);
            break;
        }
        if running_cpu_ns(acct, child, cpu_before) > req.cpu_ns {
            killed = Some(Killed::CpuTime);
            break;
        }
        if relay.as_deref().is_some_and(|r| r.stop_requested()) {
            killed = Some(Killed::Stopped);
            break;
        }
        let timeout = (wall_limit - elapsed).min(Duration::from_millis(10));
        let mut pfds = vec![
            libc::pollfd {
                fd: pidfd,
                events: libc::POLLIN,
                revents: 0,
            },
            libc::pollfd {
                fd: hangup,
                events: libc::POLLRDHUP,
                revents: 0,
            },
            // Readable or hung up: stop. Without a stop descriptor, -1 is ignored.
            libc::pollfd {
                fd: stop.unwrap_or(-1),
                events: libc::POLLIN,
                revents: 0,
            },
        ];
        if let Some(r) = relay.as_deref() {
            pfds.extend(r.interest());
        }
        // SAFETY: valid pollfd array.
        let n = unsafe {
            libc::poll(
                pfds.as_mut_ptr(),
                pfds.len() as libc::nfds_t,
                timeout.as_millis().max(1) as i32,
            )
        };
        if n > 0
            && let Some(r) = relay.as_deref_mut()
            && let Err(e) = r.ready(&pfds[3..])
        {
            // SAFETY: plain syscall; the run cannot go on without its relay.
            unsafe { libc::kill(-1, libc::SIGKILL) };
            kill_all_and_reap();
            return Err(e);
        }
        if n > 0 && pfds[0].revents != 0 {
            break;
        }
        if n > 0 && pfds[1].revents & (libc::POLLHUP | libc::POLLRDHUP | libc::POLLERR) != 0 {
            // The judge is gone: take everything down with us.
            kill_all_and_reap();
            std::process::exit(0);
        }
        if n > 0 && pfds[2].revents != 0 {
            killed = Some(Killed::Stopped);
            break;
        }
    }
    // Recorded before anything of this run closes: the other side of an interactive run
    // learns of this end only once the caller drops its pipe ends, after this report.
    let input_closed = match relay.as_deref() {
        Some(r) => r.input_closed(),
        None => writer_closed(fds[0].as_raw_fd()),
    };
    if killed.is_some() {
        if let Some(kill) = acct.kill {
            write_fd(kill.as_raw_fd(), b"1");
        }
        // SAFETY: plain syscall.
        unsafe { libc::kill(-1, libc::SIGKILL) };
    }
    let mut status = 0;
    // SAFETY: zeroed rusage is a valid out-parameter.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: valid out-pointers; `child` is ours.
    unsafe { libc::wait4(child, &mut status, libc::__WALL, &mut usage) };
    let wall = start.elapsed();
    kill_all_and_reap();
    // SAFETY: closing our own descriptor.
    unsafe { libc::close(pidfd) };

    let mut errno = [0u8; 4];
    let exec_error = match nix::unistd::read(err_read.as_raw_fd(), &mut errno) {
        Ok(4) => Some(io::Error::from_raw_os_error(i32::from_ne_bytes(errno)).to_string()),
        _ => None,
    };
    let oom_kills = acct.oom_kills().saturating_sub(oom_before);
    let cpu_ns = acct.cpu_ns().saturating_sub(cpu_before);
    Ok(RunReport {
        exit_code: libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status)),
        signal: libc::WIFSIGNALED(status).then(|| libc::WTERMSIG(status)),
        killed,
        cpu_ns,
        wall_ns: wall.as_nanos() as u64,
        max_rss_kib: usage.ru_maxrss.max(0) as u64,
        cgroup_peak_bytes: acct.memory_peak.map_or(0, |f| read_counter(f, None)),
        oom_kills,
        exec_error,
        input_closed,
    })
}

/// CPU time of every reaped child of this process, ns.
fn children_cpu_ns() -> u64 {
    // SAFETY: zeroed rusage is a valid out-parameter.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: valid out-pointer.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut u) };
    let tv = |t: libc::timeval| t.tv_sec as u64 * 1_000_000_000 + t.tv_usec as u64 * 1000;
    tv(u.ru_utime) + tv(u.ru_stime)
}

/// CPU used so far by the run: from the cgroup when there is one, else from the main
/// process's own counters (all its threads) in `/proc`.
fn running_cpu_ns(acct: &Accounting, child: libc::pid_t, before: u64) -> u64 {
    if acct.cpu_usage.is_some() {
        return acct.cpu_ns().saturating_sub(before);
    }
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{child}/stat")) else {
        return 0;
    };
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks: u64 = fields
        .get(11)
        .and_then(|u| u.parse::<u64>().ok())
        .unwrap_or(0)
        + fields
            .get(12)
            .and_then(|s| s.parse::<u64>().ok())
            .unwrap_or(0);
    // SAFETY: sysconf is always safe.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as u64;
    ticks * (1_000_000_000 / hz)
}

/// In a forked child that cannot go on: reports `errno` to the parent through `pipe` (read
/// as the run's `exec_error`) and exits with `code`. Async-signal-safe.
/// Sets the calling process's `oom_score_adj` to 1000 (raising it needs no privilege).
/// A non-dumpable process's `/proc/self` belongs to root, so the (forked, not yet
/// exec'd) child becomes dumpable first, as `execve` would make it anyway.
///
/// # Safety
/// Async-signal-safe syscalls only: callable between `fork` and `execve`.
unsafe fn raise_oom_score() -> Result<(), i32> {
    // SAFETY: plain syscalls on static data.
    unsafe {
        libc::prctl(libc::PR_SET_DUMPABLE, 1);
        let fd = libc::open(
            c"/proc/self/oom_score_adj".as_ptr(),
            libc::O_WRONLY | libc::O_CLOEXEC,
        );
        if fd < 0 || libc::write(fd, b"1000".as_ptr().cast(), 4) != 4 {
            return Err(*libc::__errno_location());
        }
        libc::close(fd);
    }
    Ok(())
}

fn child_fail(pipe: RawFd, errno: i32, code: i32) -> ! {
    // SAFETY: plain syscalls on a valid buffer.
    unsafe {
        libc::write(pipe, (&errno as *const i32).cast(), 4);
        libc::_exit(code)
    }
}

/// `struct __user_cap_header_struct`.
#[repr(C)]
struct CapHeader {
    version: u32,
    pid: libc::c_int,
}

/// `struct __user_cap_data_struct`.
#[repr(C)]
#[derive(Default, Clone, Copy)]
struct CapData {
    effective: u32,
    permitted: u32,
    inheritable: u32,
}

fn err(context: &str) -> impl FnOnce(io::Error) -> io::Error + '_ {
    move |e| io::Error::new(e.kind(), format!("{context}: {e}"))
}

fn c_path(p: &Path) -> io::Result<CString> {
    CString::new(p.as_os_str().as_bytes()).map_err(io::Error::other)
}

/// The request for a run of `argv` under `limits`, with `processes` as `RLIMIT_NPROC`.
pub(crate) fn request(
    argv: Vec<String>,
    env: Vec<(String, String)>,
    limits: &super::RunLimits,
    processes: u64,
) -> RunRequest {
    RunRequest {
        argv,
        env,
        cpu_ns: limits.cpu_time.as_nanos() as u64,
        wall_ns: limits.wall_time.as_nanos() as u64,
        // One byte over the output limit tells "exactly at the limit" from "over it".
        file_size: limits.file_size_bytes.max(limits.output_bytes + 1),
        stack: limits.stack_bytes,
        address_space: limits.address_space_bytes,
        open_files: u64::from(limits.open_files),
        processes,
    }
}

/// Captured output of a run: the bytes kept and whether more was written.
pub(crate) struct Captured {
    /// Bytes kept.
    pub bytes: Vec<u8>,
    /// Whether the program wrote more than was kept.
    pub truncated: bool,
}

/// Reads a report the same way for every backend: how the run ended, the limit that
/// stopped it, what it used.
///
/// # Errors
/// [`super::SandboxError::Exec`] if the program could not be started at all.
pub(crate) fn result(
    report: RunReport,
    limits: &super::RunLimits,
    stdout: Captured,
    stderr: Captured,
) -> Result<super::RunResult, super::SandboxError> {
    use super::{ExitStatus, LimitHit};
    if let Some(e) = report.exec_error {
        return Err(super::SandboxError::Exec(e));
    }
    let status = match (report.exit_code, report.signal) {
        (Some(code), _) => ExitStatus::Exited(code),
        (None, Some(sig)) => ExitStatus::Signaled(sig),
        (None, None) => ExitStatus::Signaled(libc::SIGKILL),
    };
    let cpu_time = Duration::from_nanos(report.cpu_ns);
    let stopped = report.killed == Some(Killed::Stopped);
    let limit_hit = match report.killed {
        Some(Killed::CpuTime) => Some(LimitHit::CpuTime),
        Some(Killed::WallTime) => Some(LimitHit::WallTime),
        Some(Killed::Stopped) => None,
        None if report.oom_kills > 0 => Some(LimitHit::Memory),
        // The same bound on every backend: a container's limit carries the runner's own
        // slack, so its kernel may let a program a little past the problem's limit.
        None if report.max_rss_kib.saturating_mul(1024) > limits.memory_bytes => {
            Some(LimitHit::Memory)
        }
        None if status == ExitStatus::Signaled(libc::SIGXCPU) => Some(LimitHit::CpuTime),
        None if status == ExitStatus::Signaled(libc::SIGXFSZ) || stdout.truncated => {
            Some(LimitHit::Output)
        }
        None if cpu_time > limits.cpu_time => Some(LimitHit::CpuTime),
        None => None,
    };
    Ok(super::RunResult {
        status,
        limit_hit,
        cpu_time,
        wall_time: Duration::from_nanos(report.wall_ns),
        peak_memory_bytes: report.max_rss_kib * 1024,
        stdout: stdout.bytes,
        stdout_truncated: stdout.truncated,
        stderr: stderr.bytes,
        stderr_truncated: stderr.truncated,
        stopped,
        input_closed: report.input_closed,
    })
}
