//! The native sandbox's seccomp filter, family by family: each denied system call is made
//! twice with arguments it would otherwise answer with something else (success, or an
//! argument error such as `EFAULT`/`EBADF`/`EINVAL`) — once in a process without the
//! filter and once in a process with it — and must answer `EPERM` (`ENOSYS` for `clone3`)
//! only with the filter. Calls every program makes must answer alike with and without.
//!
//! Runs as root (as the rest of the suite), in forked children of the test process.

use codehub_judge::sandbox::seccomp;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

type Probe = (&'static str, fn() -> i64, Option<i32>);

fn ret(r: libc::c_long) -> i64 {
    if r < 0 {
        // SAFETY: reading this thread's errno.
        -i64::from(unsafe { *libc::__errno_location() })
    } else {
        r
    }
}

/// `clone(flags | SIGCHLD)`: the new process exits at once; 1 when it was created.
fn clone_with(flags: libc::c_int) -> i64 {
    // SAFETY: the child exits immediately without touching memory.
    let r = unsafe {
        libc::syscall(
            libc::SYS_clone,
            (flags | libc::SIGCHLD) as libc::c_ulong,
            0,
            0,
            0,
            0,
        )
    };
    if r == 0 {
        // SAFETY: plain exit of the new process.
        unsafe { libc::_exit(0) };
    }
    if r > 0 {
        // SAFETY: reaping our own child.
        unsafe { libc::waitpid(r as libc::pid_t, std::ptr::null_mut(), libc::__WALL) };
        return 1;
    }
    ret(r)
}

const BAD: usize = 1; // an address no call may read

/// (family, probe, errno the filter answers; `None` = allowed, must answer alike).
fn probes() -> Vec<Probe> {
    // SAFETY (all probes): raw system calls with harmless arguments; pointers are either
    // null or the unmapped address BAD, so the kernel reads nothing of ours.
    let mut v: Vec<Probe> = vec![
        // First, before any probe below changes the persona.
        (
            "personality(query)",
            || ret(unsafe { libc::syscall(libc::SYS_personality, 0xffff_ffffu32) }),
            None,
        ),
        (
            "personality(PER_LINUX)",
            || ret(unsafe { libc::syscall(libc::SYS_personality, 0) }),
            None,
        ),
        (
            "unshare",
            || ret(unsafe { libc::syscall(libc::SYS_unshare, 0) }),
            Some(libc::EPERM),
        ),
        (
            "setns",
            || ret(unsafe { libc::syscall(libc::SYS_setns, -1, 0) }),
            Some(libc::EPERM),
        ),
        (
            "clone+CLONE_NEWUSER",
            || clone_with(libc::CLONE_NEWUSER),
            Some(libc::EPERM),
        ),
        (
            "clone+CLONE_NEWNS",
            || clone_with(libc::CLONE_NEWNS),
            Some(libc::EPERM),
        ),
        (
            "clone+CLONE_NEWNET",
            || clone_with(libc::CLONE_NEWNET),
            Some(libc::EPERM),
        ),
        (
            "clone3",
            || ret(unsafe { libc::syscall(libc::SYS_clone3, 0, 0) }),
            Some(libc::ENOSYS),
        ),
        (
            "ptrace",
            || {
                ret(unsafe {
                    libc::syscall(
                        libc::SYS_ptrace,
                        libc::PTRACE_PEEKDATA,
                        libc::getppid(),
                        0,
                        0,
                    )
                })
            },
            Some(libc::EPERM),
        ),
        (
            "process_vm_readv",
            || {
                ret(unsafe {
                    libc::syscall(libc::SYS_process_vm_readv, libc::getpid(), 0, 0, 0, 0, 0)
                })
            },
            Some(libc::EPERM),
        ),
        (
            "process_vm_writev",
            || {
                ret(unsafe {
                    libc::syscall(libc::SYS_process_vm_writev, libc::getpid(), 0, 0, 0, 0, 0)
                })
            },
            Some(libc::EPERM),
        ),
        (
            "mount",
            || ret(unsafe { libc::syscall(libc::SYS_mount, 0, BAD, 0, 0, 0) }),
            Some(libc::EPERM),
        ),
        (
            "umount2",
            || ret(unsafe { libc::syscall(libc::SYS_umount2, BAD, 0) }),
            Some(libc::EPERM),
        ),
        (
            "pivot_root",
            || ret(unsafe { libc::syscall(libc::SYS_pivot_root, BAD, BAD) }),
            Some(libc::EPERM),
        ),
        (
            "open_tree",
            || ret(unsafe { libc::syscall(libc::SYS_open_tree, -1, BAD, 0) }),
            Some(libc::EPERM),
        ),
        (
            "move_mount",
            || ret(unsafe { libc::syscall(libc::SYS_move_mount, -1, BAD, -1, BAD, 0) }),
            Some(libc::EPERM),
        ),
        (
            "fsopen",
            || ret(unsafe { libc::syscall(libc::SYS_fsopen, BAD, 0) }),
            Some(libc::EPERM),
        ),
        (
            "fsconfig",
            || ret(unsafe { libc::syscall(libc::SYS_fsconfig, -1, 0, 0, 0, 0) }),
            Some(libc::EPERM),
        ),
        (
            "fsmount",
            || ret(unsafe { libc::syscall(libc::SYS_fsmount, -1, 0, 0) }),
            Some(libc::EPERM),
        ),
        (
            "fspick",
            || ret(unsafe { libc::syscall(libc::SYS_fspick, -1, BAD, 0) }),
            Some(libc::EPERM),
        ),
        (
            "mount_setattr",
            || ret(unsafe { libc::syscall(libc::SYS_mount_setattr, -1, BAD, 0, 0, 0) }),
            Some(libc::EPERM),
        ),
        (
            "bpf",
            || ret(unsafe { libc::syscall(libc::SYS_bpf, 0xffff, 0, 0) }),
            Some(libc::EPERM),
        ),
        (
            "perf_event_open",
            || ret(unsafe { libc::syscall(libc::SYS_perf_event_open, 0, 0, -1, -1, 0) }),
            Some(libc::EPERM),
        ),
        (
            "keyctl",
            || ret(unsafe { libc::syscall(libc::SYS_keyctl, 0xffff, 0, 0, 0, 0) }),
            Some(libc::EPERM),
        ),
        (
            "add_key",
            || ret(unsafe { libc::syscall(libc::SYS_add_key, BAD, BAD, 0, 0, 0) }),
            Some(libc::EPERM),
        ),
        (
            "request_key",
            || ret(unsafe { libc::syscall(libc::SYS_request_key, BAD, BAD, 0, 0) }),
            Some(libc::EPERM),
        ),
        (
            "userfaultfd",
            || ret(unsafe { libc::syscall(libc::SYS_userfaultfd, -1) }),
            Some(libc::EPERM),
        ),
        (
            "io_uring_setup",
            || ret(unsafe { libc::syscall(libc::SYS_io_uring_setup, 0, 0) }),
            Some(libc::EPERM),
        ),
        (
            "io_uring_enter",
            || ret(unsafe { libc::syscall(libc::SYS_io_uring_enter, -1, 0, 0, 0, 0, 0) }),
            Some(libc::EPERM),
        ),
        (
            "io_uring_register",
            || ret(unsafe { libc::syscall(libc::SYS_io_uring_register, -1, 0, 0, 0) }),
            Some(libc::EPERM),
        ),
        (
            "init_module",
            || ret(unsafe { libc::syscall(libc::SYS_init_module, BAD, 16, BAD) }),
            Some(libc::EPERM),
        ),
        (
            "finit_module",
            || ret(unsafe { libc::syscall(libc::SYS_finit_module, -1, BAD, 0) }),
            Some(libc::EPERM),
        ),
        (
            "delete_module",
            || ret(unsafe { libc::syscall(libc::SYS_delete_module, BAD, 0) }),
            Some(libc::EPERM),
        ),
        (
            "kexec_load",
            || ret(unsafe { libc::syscall(libc::SYS_kexec_load, 0, 0, 0, 0xffff_0000u64) }),
            Some(libc::EPERM),
        ),
        (
            "kexec_file_load",
            || {
                ret(unsafe {
                    libc::syscall(libc::SYS_kexec_file_load, -1, -1, 0, 0, 0xffff_0000u64)
                })
            },
            Some(libc::EPERM),
        ),
        (
            "reboot",
            || ret(unsafe { libc::syscall(libc::SYS_reboot, 0xdead, 0, 0, 0) }),
            Some(libc::EPERM),
        ),
        (
            "swapon",
            || ret(unsafe { libc::syscall(libc::SYS_swapon, BAD, 0) }),
            Some(libc::EPERM),
        ),
        (
            "swapoff",
            || ret(unsafe { libc::syscall(libc::SYS_swapoff, BAD) }),
            Some(libc::EPERM),
        ),
        (
            "acct",
            || ret(unsafe { libc::syscall(libc::SYS_acct, BAD) }),
            Some(libc::EPERM),
        ),
        (
            "syslog",
            || ret(unsafe { libc::syscall(libc::SYS_syslog, -1, 0, 0) }),
            Some(libc::EPERM),
        ),
        (
            "quotactl",
            || ret(unsafe { libc::syscall(libc::SYS_quotactl, 0, BAD, 0, 0) }),
            Some(libc::EPERM),
        ),
        (
            "name_to_handle_at",
            || ret(unsafe { libc::syscall(libc::SYS_name_to_handle_at, -1, BAD, 0, 0, 0) }),
            Some(libc::EPERM),
        ),
        (
            "open_by_handle_at",
            || ret(unsafe { libc::syscall(libc::SYS_open_by_handle_at, -1, 0, 0) }),
            Some(libc::EPERM),
        ),
        (
            "fanotify_init",
            || ret(unsafe { libc::syscall(libc::SYS_fanotify_init, 0xffff_ffffu32, 0) }),
            Some(libc::EPERM),
        ),
        (
            "chroot",
            || ret(unsafe { libc::syscall(libc::SYS_chroot, BAD) }),
            Some(libc::EPERM),
        ),
        (
            "personality(PER_BSD)",
            || ret(unsafe { libc::syscall(libc::SYS_personality, 6) }),
            Some(libc::EPERM),
        ),
        (
            "personality(ADDR_NO_RANDOMIZE)",
            || ret(unsafe { libc::syscall(libc::SYS_personality, 0x0040000) }),
            Some(libc::EPERM),
        ),
        // Allowed: what runtimes do all the time.
        (
            "getpid",
            || i64::from(unsafe { libc::syscall(libc::SYS_getpid) } > 0),
            None,
        ),
        ("clone (fork)", || clone_with(0), None),
        (
            "clone (thread-like flags)",
            || clone_with(libc::CLONE_FILES | libc::CLONE_FS),
            None,
        ),
    ];
    #[cfg(target_arch = "x86_64")]
    v.extend([
        (
            "iopl",
            (|| ret(unsafe { libc::syscall(libc::SYS_iopl, 99) })) as fn() -> i64,
            Some(libc::EPERM),
        ),
        (
            "ioperm",
            || ret(unsafe { libc::syscall(libc::SYS_ioperm, 0x10000, 1, 1) }),
            Some(libc::EPERM),
        ),
    ]);
    v
}

/// Runs every probe in a forked child, with or without the filter, and returns what each
/// answered.
fn run_probes(probes: &[Probe], filtered: bool) -> Vec<i64> {
    let filters = seccomp::filters().expect("filter compiles on this architecture");
    let mut results = vec![0i64; probes.len()];
    let (read, write) = nix::unistd::pipe().unwrap();
    // SAFETY: the child only makes system calls on memory allocated before the fork, then
    // exits.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork");
    if pid == 0 {
        // SAFETY: as above.
        unsafe {
            libc::setsid();
            libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
            if filtered && filters.apply().is_err() {
                libc::_exit(3);
            }
            for (slot, (_, probe, _)) in results.iter_mut().zip(probes) {
                *slot = probe();
            }
            let bytes = results.len() * 8;
            libc::write(write.as_raw_fd(), results.as_ptr().cast(), bytes);
            libc::_exit(0);
        }
    }
    drop(write);
    let mut status = 0;
    // SAFETY: reaping our own child.
    unsafe { libc::waitpid(pid, &mut status, 0) };
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "probe child failed: {status:#x}"
    );
    let mut file = std::fs::File::from(unsafe {
        OwnedFd::from_raw_fd(std::os::fd::IntoRawFd::into_raw_fd(read))
    });
    let mut buf = Vec::new();
    std::io::Read::read_to_end(&mut file, &mut buf).unwrap();
    assert_eq!(buf.len(), results.len() * 8, "probe results");
    buf.chunks_exact(8)
        .map(|c| i64::from_ne_bytes(c.try_into().unwrap()))
        .collect()
}

#[test]
fn every_denied_family_is_denied_only_by_the_filter_and_common_calls_still_work() {
    let probes = probes();
    let without = run_probes(&probes, false);
    let with = run_probes(&probes, true);
    let mut failures = Vec::new();
    for (((name, _, denied), before), after) in probes.iter().zip(&without).zip(&with) {
        match denied {
            Some(errno) => {
                if *after != -i64::from(*errno) {
                    failures.push(format!("{name}: with the filter {after}, want -{errno}"));
                }
                if before == after {
                    failures.push(format!(
                        "{name}: answers {before} without the filter too, so this probe proves nothing"
                    ));
                }
            }
            None if before != after => {
                failures.push(format!("{name}: allowed call changed: {before} → {after}"))
            }
            None => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
