//! The sandbox keeper: a small process that lives inside the sandbox's namespaces and
//! starts each run.
//!
//! Building namespaces and a root filesystem costs milliseconds; forking from a process
//! that already lives in them costs a fraction of one. So the judge starts one keeper per
//! sandbox slot and reuses it for every run of the submissions judged there:
//!
//! 1. The keeper (process A, started by the judge, single-threaded) reads its setup, calls
//!    `unshare` for new user, mount, pid, net, ipc and uts namespaces, and lets the judge
//!    write its id maps: keeper root → an unprivileged host uid, [`SANDBOX_UID`] → another.
//! 2. A forks B, pid 1 of the new pid namespace. B builds the root: a tmpfs with read-only
//!    binds of the toolchain paths, a fresh `/proc`, a few `/dev` nodes, tmpfs `/work` and
//!    `/tmp`; then `pivot_root`, and the old root is detached. B never holds host
//!    privileges: its uid 0 maps to an unprivileged host uid.
//! 3. For each run request B forks C, which joins the run's cgroups, sets its rlimits,
//!    drops to [`SANDBOX_UID`] with no capabilities and `no_new_privs`, and `execve`s.
//!    B enforces wall and CPU time, then kills every process left in the namespace
//!    (`kill(-1)` from pid 1) and reaps them before it reports: a run never outlives itself.
//!
//! If the judge goes away, B sees its socket close and exits; the kernel then kills every
//! process in the pid namespace.

use super::protocol::{Channel, KeeperConfig, Killed, Message, RunReport, RunRequest, SANDBOX_UID};
use std::ffi::CString;
use std::fs;
use std::io;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Runs the keeper on the socket at descriptor 0 and exits. Call it first thing in `main`
/// of a single-threaded process.
pub fn keeper_main() -> ! {
    // SAFETY: the judge hands the keeper its socket as stdin and nothing else owns fd 0.
    let chan = unsafe { Channel::from_raw(0) };
    let code = match keeper(&chan) {
        Ok(()) => 0,
        Err(e) => {
            let _ = chan.send(
                &Message::Failed {
                    message: e.to_string(),
                },
                &[],
            );
            eprintln!("codehub sandbox keeper: {e}");
            1
        }
    };
    std::process::exit(code)
}

fn err(context: &str) -> impl FnOnce(io::Error) -> io::Error + '_ {
    move |e| io::Error::new(e.kind(), format!("{context}: {e}"))
}

fn cvt(ret: libc::c_int, context: &str) -> io::Result<libc::c_int> {
    if ret < 0 {
        Err(err(context)(io::Error::last_os_error()))
    } else {
        Ok(ret)
    }
}

/// The cgroup descriptors the judge passes in (opened by the host, so writes through them
/// carry the host's permission).
struct CgroupFds {
    procs: Vec<OwnedFd>,
    cpu_usage: OwnedFd,
    memory_peak: OwnedFd,
    oom_control: OwnedFd,
}

fn keeper(chan: &Channel) -> io::Result<()> {
    let (config, fds) = match chan.recv()? {
        Some((Message::Setup(config), fds)) => (config, fds),
        other => return Err(io::Error::other(format!("expected setup, got {other:?}"))),
    };
    if fds.len() != config.cgroup_procs + 3 {
        return Err(io::Error::other("wrong number of cgroup descriptors"));
    }
    let mut fds = fds.into_iter();
    let procs = fds.by_ref().take(config.cgroup_procs).collect();
    let cg = CgroupFds {
        procs,
        cpu_usage: fds.next().expect("counted"),
        memory_peak: fds.next().expect("counted"),
        oom_control: fds.next().expect("counted"),
    };

    let flags = libc::CLONE_NEWUSER
        | libc::CLONE_NEWNS
        | libc::CLONE_NEWPID
        | libc::CLONE_NEWNET
        | libc::CLONE_NEWIPC
        | libc::CLONE_NEWUTS;
    // SAFETY: plain syscall.
    cvt(unsafe { libc::unshare(flags) }, "unshare namespaces")?;
    chan.send(&Message::Unshared, &[])?;
    match chan.recv()? {
        Some((Message::Mapped, _)) => {}
        other => return Err(io::Error::other(format!("expected mapped, got {other:?}"))),
    }
    // Become the namespace's root, which the judge mapped to an unprivileged host uid:
    // from here on this process holds no host privilege at all.
    // SAFETY: plain syscalls.
    unsafe {
        cvt(libc::setgroups(0, std::ptr::null()), "setgroups")?;
        cvt(libc::setresgid(0, 0, 0), "setresgid")?;
        cvt(libc::setresuid(0, 0, 0), "setresuid")?;
    }

    let (go_read, go_write) = nix::unistd::pipe()?;
    // SAFETY: this process is single-threaded.
    match unsafe { libc::fork() } {
        -1 => Err(err("fork init")(io::Error::last_os_error())),
        0 => {
            drop(go_write);
            let mut byte = [0u8; 1];
            let _ = nix::unistd::read(go_read.as_raw_fd(), &mut byte);
            drop(go_read);
            let code = match init(chan, &config, &cg) {
                Ok(()) => 0,
                Err(e) => {
                    let _ = chan.send(
                        &Message::Failed {
                            message: e.to_string(),
                        },
                        &[],
                    );
                    1
                }
            };
            // SAFETY: ending the sandbox's init ends every process in it.
            unsafe { libc::_exit(code) }
        }
        child => {
            drop(go_read);
            chan.send(&Message::Init { pid: child }, &[])?;
            nix::unistd::write(&go_write, b"g")?;
            drop(go_write);
            let mut status = 0;
            // SAFETY: plain syscall; the socket stays open in the child only.
            unsafe {
                libc::close(chan.raw());
                libc::waitpid(child, &mut status, 0);
                libc::_exit(if libc::WIFEXITED(status) {
                    libc::WEXITSTATUS(status)
                } else {
                    1
                })
            }
        }
    }
}

/// Pid 1 of the sandbox: builds the root, then serves runs until the socket closes.
fn init(chan: &Channel, config: &KeeperConfig, cg: &CgroupFds) -> io::Result<()> {
    // SAFETY: plain prctl; the keeper parent is single-threaded, so the death signal is
    // tied to its lifetime.
    unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong) };
    build_root(config)?;
    // SAFETY: plain prctl: no core dumps, no ptrace of the keeper by the runs.
    unsafe { libc::prctl(libc::PR_SET_DUMPABLE, 0) };
    chan.send(&Message::Ready, &[])?;
    loop {
        let Some((msg, fds)) = chan.recv()? else {
            return Ok(());
        };
        match msg {
            Message::Run(req) => {
                let report = match run(chan, &req, &fds, cg) {
                    Ok(report) => report,
                    Err(e) => {
                        kill_all_and_reap();
                        return Err(e);
                    }
                };
                drop(fds);
                chan.send(&Message::Done(report), &[])?;
            }
            other => return Err(io::Error::other(format!("unexpected message {other:?}"))),
        }
    }
}

fn c_path(p: &Path) -> io::Result<CString> {
    CString::new(p.as_os_str().as_bytes()).map_err(io::Error::other)
}

fn mount(
    src: Option<&Path>,
    target: &Path,
    fstype: Option<&str>,
    flags: libc::c_ulong,
    data: Option<&str>,
) -> io::Result<()> {
    let src = src.map(c_path).transpose()?;
    let target_c = c_path(target)?;
    let fstype = fstype.map(|s| CString::new(s).expect("no nul"));
    let data = data.map(|s| CString::new(s).expect("no nul"));
    // SAFETY: all pointers are valid C strings or null.
    let ret = unsafe {
        libc::mount(
            src.as_ref().map_or(std::ptr::null(), |s| s.as_ptr()),
            target_c.as_ptr(),
            fstype.as_ref().map_or(std::ptr::null(), |s| s.as_ptr()),
            flags,
            data.as_ref()
                .map_or(std::ptr::null(), |s| s.as_ptr().cast()),
        )
    };
    cvt(ret, &format!("mount {}", target.display())).map(drop)
}

/// The mount flags of the mount holding `path` that a user namespace may not clear.
fn locked_flags(path: &Path) -> io::Result<libc::c_ulong> {
    let c = c_path(path)?;
    // SAFETY: zeroed statvfs is a valid out-parameter.
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: valid path and out-pointer.
    cvt(unsafe { libc::statvfs(c.as_ptr(), &mut st) }, "statvfs")?;
    let mut flags = 0;
    for (st_flag, ms_flag) in [
        (libc::ST_NOSUID, libc::MS_NOSUID),
        (libc::ST_NODEV, libc::MS_NODEV),
        (libc::ST_NOEXEC, libc::MS_NOEXEC),
        (libc::ST_NOATIME, libc::MS_NOATIME),
        (libc::ST_NODIRATIME, libc::MS_NODIRATIME),
        (libc::ST_RELATIME, libc::MS_RELATIME),
    ] {
        if st.f_flag & st_flag != 0 {
            flags |= ms_flag;
        }
    }
    Ok(flags)
}

fn bind_readonly(src: &Path, target: &Path) -> io::Result<()> {
    mount(Some(src), target, None, libc::MS_BIND, None)?;
    let flags = libc::MS_REMOUNT
        | libc::MS_BIND
        | libc::MS_RDONLY
        | libc::MS_NOSUID
        | libc::MS_NODEV
        | locked_flags(target)?;
    mount(None, target, None, flags, None)
}

fn build_root(config: &KeeperConfig) -> io::Result<()> {
    nix::unistd::sethostname("codehub").map_err(io::Error::from)?;
    mount(
        None,
        Path::new("/"),
        None,
        libc::MS_REC | libc::MS_PRIVATE,
        None,
    )?;
    let root = &config.root_dir;
    mount(
        Some(Path::new("tmpfs")),
        root,
        Some("tmpfs"),
        libc::MS_NOSUID | libc::MS_NODEV,
        Some("size=16m,mode=0755"),
    )?;
    let inside = |p: &Path| -> PathBuf { root.join(p.strip_prefix("/").unwrap_or(p)) };

    for host in &config.readonly_paths {
        let Ok(meta) = fs::symlink_metadata(host) else {
            continue; // absent on this host: nothing to show
        };
        let target = inside(host);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(err("mkdir in root"))?;
        }
        if meta.file_type().is_symlink() {
            symlink(fs::read_link(host)?, &target).map_err(err("symlink in root"))?;
        } else if meta.is_dir() {
            fs::create_dir_all(&target).map_err(err("mkdir in root"))?;
            bind_readonly(host, &target)?;
        } else {
            fs::write(&target, b"").map_err(err("file in root"))?;
            bind_readonly(host, &target)?;
        }
    }

    // A fresh /proc of the new pid namespace: the runs see only themselves.
    let proc_dir = inside(Path::new("/proc"));
    fs::create_dir_all(&proc_dir)?;
    mount(
        Some(Path::new("proc")),
        &proc_dir,
        Some("proc"),
        libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC,
        None,
    )?;
    // Forbid nested user namespaces for everything below this one, and System V IPC
    // objects (they would outlive a run inside the slot's IPC namespace).
    let sys = proc_dir.join("sys");
    for (file, value) in [
        ("user/max_user_namespaces", "0"),
        ("kernel/shmmni", "0"),
        ("kernel/msgmni", "0"),
        ("kernel/sem", "0 0 0 0"),
    ] {
        if let Err(e) = fs::write(sys.join(file), value) {
            return Err(err(&format!("set {file}"))(e));
        }
    }

    // A minimal /dev.
    let dev = inside(Path::new("/dev"));
    fs::create_dir_all(&dev)?;
    for node in ["null", "zero", "full", "random", "urandom"] {
        let target = dev.join(node);
        fs::write(&target, b"")?;
        mount(
            Some(&Path::new("/dev").join(node)),
            &target,
            None,
            libc::MS_BIND,
            None,
        )?;
    }
    for (name, to) in [
        ("fd", "/proc/self/fd"),
        ("stdin", "/proc/self/fd/0"),
        ("stdout", "/proc/self/fd/1"),
        ("stderr", "/proc/self/fd/2"),
    ] {
        symlink(to, dev.join(name))?;
    }

    // Writable scratch space, size-limited by the kernel.
    let work = inside(Path::new("/work"));
    fs::create_dir_all(&work)?;
    mount(
        Some(Path::new("tmpfs")),
        &work,
        Some("tmpfs"),
        libc::MS_NOSUID | libc::MS_NODEV,
        Some(&format!(
            "size={},mode=0755,uid={SANDBOX_UID},gid={SANDBOX_UID}",
            config.work_bytes
        )),
    )?;
    let tmp = inside(Path::new("/tmp"));
    fs::create_dir_all(&tmp)?;
    mount(
        Some(Path::new("tmpfs")),
        &tmp,
        Some("tmpfs"),
        libc::MS_NOSUID | libc::MS_NODEV,
        Some(&format!("size={},mode=1777", config.tmp_bytes)),
    )?;

    // Who's who, for programs that ask (Java does).
    let etc = inside(Path::new("/etc"));
    fs::create_dir_all(&etc)?;
    fs::write(
        etc.join("passwd"),
        format!(
            "root:x:0:0:root:/:/bin/sh\ncodehub:x:{SANDBOX_UID}:{SANDBOX_UID}:codehub:/work:/bin/sh\n"
        ),
    )?;
    fs::write(
        etc.join("group"),
        format!("root:x:0:\ncodehub:x:{SANDBOX_UID}:\n"),
    )?;
    fs::write(etc.join("hostname"), "codehub\n")?;
    fs::write(etc.join("hosts"), "127.0.0.1 localhost codehub\n")?;

    // Switch roots: stack the new root over the old one, then detach the old.
    nix::unistd::chdir(root).map_err(io::Error::from)?;
    nix::unistd::pivot_root(".", ".").map_err(io::Error::from)?;
    nix::mount::umount2(".", nix::mount::MntFlags::MNT_DETACH).map_err(io::Error::from)?;
    nix::unistd::chdir("/").map_err(io::Error::from)?;
    mount(
        None,
        Path::new("/"),
        None,
        libc::MS_REMOUNT | libc::MS_BIND | libc::MS_RDONLY | libc::MS_NOSUID | libc::MS_NODEV,
        None,
    )?;
    Ok(())
}

/// Reads a decimal counter (or the `key value` line of a stat file) through a descriptor.
fn read_counter(fd: &OwnedFd, key: Option<&str>) -> u64 {
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
fn kill_all_and_reap() {
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

fn run(chan: &Channel, req: &RunRequest, fds: &[OwnedFd], cg: &CgroupFds) -> io::Result<RunReport> {
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
    let procs_fds: Vec<RawFd> = cg.procs.iter().map(|f| f.as_raw_fd()).collect();
    let cpu_secs = req.cpu_ns.div_ceil(1_000_000_000) + 1;
    let (err_read, err_write) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC)?;

    write_fd(cg.memory_peak.as_raw_fd(), b"0");
    let oom_before = read_counter(&cg.oom_control, Some("oom_kill"));
    let cpu_before = read_counter(&cg.cpu_usage, None);
    let start = Instant::now();

    // SAFETY: this process is single-threaded; the child only makes syscalls on memory
    // prepared above, then execs or exits.
    let child = unsafe { libc::fork() };
    if child < 0 {
        return Err(err("fork run")(io::Error::last_os_error()));
    }
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
            for fd in &procs_fds {
                if libc::pwrite(*fd, b"0".as_ptr().cast(), 1, 0) < 0 {
                    let e = *libc::__errno_location();
                    libc::write(err_write.as_raw_fd(), (&e as *const i32).cast(), 4);
                    libc::_exit(126);
                }
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
            libc::setgroups(0, std::ptr::null());
            if libc::setresgid(SANDBOX_UID, SANDBOX_UID, SANDBOX_UID) != 0
                || libc::setresuid(SANDBOX_UID, SANDBOX_UID, SANDBOX_UID) != 0
            {
                let e = *libc::__errno_location();
                libc::write(err_write.as_raw_fd(), (&e as *const i32).cast(), 4);
                libc::_exit(126);
            }
            libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong);
            // Every descriptor above stderr closes on exec.
            libc::syscall(
                libc::SYS_close_range,
                3u32,
                u32::MAX,
                libc::CLOSE_RANGE_CLOEXEC,
            );
            libc::chdir(c"/work".as_ptr());
            libc::execve(program.as_ptr(), argv_ptrs.as_ptr(), envp_ptrs.as_ptr());
            let e = *libc::__errno_location();
            libc::write(err_write.as_raw_fd(), (&e as *const i32).cast(), 4);
            libc::_exit(127);
        }
    }
    drop(err_write);

    // SAFETY: plain syscall on our own child.
    let pidfd = unsafe { libc::syscall(libc::SYS_pidfd_open, child, 0) } as RawFd;
    let wall_limit = Duration::from_nanos(req.wall_ns);
    let mut killed = None;
    loop {
        let elapsed = start.elapsed();
        if elapsed >= wall_limit {
            killed = Some(Killed::WallTime);
            break;
        }
        if read_counter(&cg.cpu_usage, None).saturating_sub(cpu_before) > req.cpu_ns {
            killed = Some(Killed::CpuTime);
            break;
        }
        let timeout = (wall_limit - elapsed).min(Duration::from_millis(10));
        let mut pfds = [
            libc::pollfd {
                fd: pidfd,
                events: libc::POLLIN,
                revents: 0,
            },
            libc::pollfd {
                fd: chan.raw(),
                events: libc::POLLRDHUP,
                revents: 0,
            },
        ];
        // SAFETY: valid pollfd array.
        let n = unsafe { libc::poll(pfds.as_mut_ptr(), 2, timeout.as_millis().max(1) as i32) };
        if n > 0 && pfds[0].revents != 0 {
            break;
        }
        if n > 0 && pfds[1].revents & (libc::POLLHUP | libc::POLLRDHUP | libc::POLLERR) != 0 {
            // The judge is gone: take everything down with us.
            kill_all_and_reap();
            std::process::exit(0);
        }
    }
    if killed.is_some() {
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
    let oom_kills = read_counter(&cg.oom_control, Some("oom_kill")).saturating_sub(oom_before);
    let cpu_ns = read_counter(&cg.cpu_usage, None).saturating_sub(cpu_before);
    Ok(RunReport {
        exit_code: libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status)),
        signal: libc::WIFSIGNALED(status).then(|| libc::WTERMSIG(status)),
        killed,
        cpu_ns,
        wall_ns: wall.as_nanos() as u64,
        max_rss_kib: usage.ru_maxrss.max(0) as u64,
        cgroup_peak_bytes: read_counter(&cg.memory_peak, None),
        oom_kills,
        exec_error,
    })
}
