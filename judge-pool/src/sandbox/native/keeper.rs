//! The sandbox keeper: a small process that lives inside the sandbox's namespaces and
//! starts each run.
//!
//! Building namespaces and a root filesystem costs milliseconds; forking from a process
//! that already lives in them costs a fraction of one. So the judge starts one keeper per
//! sandbox slot and reuses it for every run of the submissions judged there:
//!
//! 1. The keeper (process A, started by the judge, single-threaded) reads its setup, calls
//!    `unshare` for new user, mount, pid, net, ipc and uts namespaces, and lets the judge
//!    write its id maps: keeper root → an unprivileged host uid, [`SANDBOX_UID`] → another
//!    (a judge without root may map only its own uid: it becomes [`SANDBOX_UID`], and the
//!    keeper runs as that id too).
//! 2. A forks B, pid 1 of the new pid namespace. B builds the root: a tmpfs with read-only
//!    binds of the toolchain paths, a fresh `/proc`, a few `/dev` nodes, tmpfs `/work` and
//!    `/tmp`; then `pivot_root`, and the old root is detached. B never holds host
//!    privileges: its uid 0 maps to an unprivileged host uid.
//! 3. For each run request B creates C in the run's cgroup (`clone3(CLONE_INTO_CGROUP)` on
//!    v2; on v1, or kernels before 5.7, C joins it before `execve`), which sets its
//!    rlimits, drops to [`SANDBOX_UID`] with no capabilities, `no_new_privs` and the
//!    [seccomp filter](crate::sandbox::seccomp), and `execve`s.
//!    B enforces wall and CPU time, then kills every process left in the namespace
//!    (`kill(-1)` from pid 1) and reaps them before it reports: a run never outlives itself.
//!
//! If the judge goes away, B sees its socket close and exits; the kernel then kills every
//! process in the pid namespace.

use super::protocol::{Channel, KeeperConfig, Message, RunReport, RunRequest, SANDBOX_UID};
use crate::sandbox::process::{self, Accounting, ChildSetup};
use std::ffi::CString;
use std::fs;
use std::io;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

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
    unified: bool,
    procs: Vec<OwnedFd>,
    cpu_usage: OwnedFd,
    memory_peak: OwnedFd,
    oom_events: OwnedFd,
    dir: Option<OwnedFd>,
    kill: Option<OwnedFd>,
}

fn keeper(chan: &Channel) -> io::Result<()> {
    let (config, fds) = match chan.recv()? {
        Some((Message::Setup(config), fds)) => (config, fds),
        other => return Err(io::Error::other(format!("expected setup, got {other:?}"))),
    };
    let layout = config.cgroup;
    if fds.len() != layout.count() {
        return Err(io::Error::other("wrong number of cgroup descriptors"));
    }
    let mut fds = fds.into_iter();
    let procs = fds.by_ref().take(layout.procs).collect();
    let cg = CgroupFds {
        unified: layout.unified,
        procs,
        cpu_usage: fds.next().expect("counted"),
        memory_peak: fds.next().expect("counted"),
        oom_events: fds.next().expect("counted"),
        dir: if layout.dir { fds.next() } else { None },
        kill: if layout.kill { fds.next() } else { None },
    };
    // Compiled before the first fork, so each run only installs it.
    let seccomp = crate::sandbox::seccomp::filters().map_err(io::Error::other)?;

    let flags = libc::CLONE_NEWUSER
        | libc::CLONE_NEWNS
        | libc::CLONE_NEWPID
        | libc::CLONE_NEWNET
        | libc::CLONE_NEWIPC
        | libc::CLONE_NEWUTS;
    // SAFETY: plain syscall.
    cvt(unsafe { libc::unshare(flags) }, "unshare namespaces")?;
    chan.send(&Message::Unshared, &[])?;
    let mapping = match chan.recv()? {
        Some((Message::Mapped(mapping), _)) => mapping,
        other => return Err(io::Error::other(format!("expected mapped, got {other:?}"))),
    };
    // Take the id the judge mapped for us (an unprivileged host uid): from here on this
    // process holds no host privilege at all.
    let id = mapping.keeper_id;
    // SAFETY: plain syscalls.
    unsafe {
        if mapping.setgroups {
            cvt(libc::setgroups(0, std::ptr::null()), "setgroups")?;
        }
        cvt(libc::setresgid(id, id, id), "setresgid")?;
        cvt(libc::setresuid(id, id, id), "setresuid")?;
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
            let code = match init(chan, &config, &cg, seccomp) {
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
fn init(
    chan: &Channel,
    config: &KeeperConfig,
    cg: &CgroupFds,
    seccomp: &crate::sandbox::seccomp::Filters,
) -> io::Result<()> {
    // SAFETY: plain prctl; the keeper parent is single-threaded, so the death signal is
    // tied to its lifetime.
    unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong) };
    let ipc_per_run = build_root(config)?;
    // SAFETY: plain prctl: no core dumps, no ptrace of the keeper by the runs.
    unsafe { libc::prctl(libc::PR_SET_DUMPABLE, 0) };
    // The large part of the seccomp filter, once: every run inherits it (each adds the
    // small part). From here on this process needs only what a run's start needs.
    // SAFETY: plain prctl.
    unsafe { libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) };
    seccomp
        .apply_keeper_part()
        .map_err(|e| err("install the seccomp filter")(io::Error::from_raw_os_error(e)))?;
    // The judge reaches the sandbox's files through this descriptor (not through
    // /proc/<init>/root, which an unprivileged judge may not open: this process is not
    // dumpable).
    let root = nix::fcntl::open(
        "/",
        nix::fcntl::OFlag::O_PATH | nix::fcntl::OFlag::O_DIRECTORY | nix::fcntl::OFlag::O_CLOEXEC,
        nix::sys::stat::Mode::empty(),
    )?;
    chan.send(&Message::Ready, &[root.as_raw_fd()])?;
    let _ = nix::unistd::close(root);
    loop {
        let Some((msg, fds)) = chan.recv()? else {
            return Ok(());
        };
        match msg {
            Message::Run(req) => {
                let report = match run(chan, &req, &fds, cg, seccomp, ipc_per_run) {
                    Ok(report) => report,
                    Err(e) => {
                        process::kill_all_and_reap();
                        return Err(e);
                    }
                };
                // The output closes before the input: a program on the other side of an
                // interactive run that dies writing to this one (SIGPIPE) then always
                // finds its own input closed too (`RunReport::input_closed`).
                let mut fds = fds;
                if fds.len() > 1 {
                    drop(fds.remove(1));
                }
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

/// Builds the sandbox root; returns whether each run needs an IPC namespace of its own
/// (when this namespace's System V IPC limits cannot be set to zero).
fn build_root(config: &KeeperConfig) -> io::Result<bool> {
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
    fs::write(sys.join("user/max_user_namespaces"), "0")
        .map_err(err("set user/max_user_namespaces"))?;
    // The IPC limits belong to the namespace's root uid, which an unprivileged judge
    // cannot map: then every run gets a fresh IPC namespace instead (gone with the run).
    let mut ipc_per_run = false;
    for (file, value) in [
        ("kernel/shmmni", "0"),
        ("kernel/msgmni", "0"),
        ("kernel/sem", "0 0 0 0"),
    ] {
        match fs::write(sys.join(file), value) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::PermissionDenied => ipc_per_run = true,
            Err(e) => return Err(err(&format!("set {file}"))(e)),
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
    Ok(ipc_per_run)
}

fn run(
    chan: &Channel,
    req: &RunRequest,
    fds: &[OwnedFd],
    cg: &CgroupFds,
    seccomp: &crate::sandbox::seccomp::Filters,
    new_ipc_namespace: bool,
) -> io::Result<RunReport> {
    let procs: Vec<RawFd> = cg.procs.iter().map(|f| f.as_raw_fd()).collect();
    let setup = ChildSetup {
        join_cgroups: &procs,
        into_cgroup: cg.dir.as_ref().map(|d| d.as_raw_fd()),
        drop_to: Some(SANDBOX_UID),
        new_ipc_namespace,
        seccomp: Some(seccomp),
        first_to_oom_kill: false,
    };
    let acct = Accounting {
        cpu_usage: Some(&cg.cpu_usage),
        cpu_stat: cg.unified,
        memory_peak: Some(&cg.memory_peak),
        oom_events: Some(&cg.oom_events),
        kill: cg.kill.as_ref(),
    };
    // stdin, stdout, stderr, then the stop descriptor if the run has one.
    let (io_fds, stop) = fds.split_at(fds.len().min(3));
    let stop = stop.first().map(|f| f.as_raw_fd());
    process::run(chan.raw(), req, io_fds, stop, &setup, &acct, None)
}
