//! The seccomp filter every native run gets, after `no_new_privs` and just before
//! `execve`: it denies (`EPERM`) what no contest program needs and what widens the
//! kernel's attack surface, and answers `clone3` with `ENOSYS` (its flags live in memory
//! a filter cannot read; C libraries then fall back to `clone`, whose flags it can).
//!
//! Denied: new namespaces (`unshare`, `setns`, `clone` with a namespace flag), tracing and
//! other processes' memory (`ptrace`, `process_vm_*`), the mount family (old and new API),
//! `bpf`, `perf_event_open`, the key store, `userfaultfd`, `io_uring_*`, kernel modules,
//! `kexec`, `reboot`, swap, process accounting, `syslog`, quotas, file handles
//! (`open_by_handle_at`, the classic container escape), `fanotify`, `chroot`, `iopl` /
//! `ioperm`, and `personality` changes other than the default and the query.
//!
//! Installing a filter costs about a microsecond per BPF instruction (the kernel checks
//! and JIT-compiles it), so the filter comes in two parts. The keeper's init installs the
//! large part once, after it has built the sandbox and before the first run: every run
//! inherits it. Each run adds only the small part, denying the two calls the keeper
//! itself still needs (`clone3`, to create a run inside its cgroup, and `unshare`, for a
//! run's own IPC namespace). Filters stack: a call is checked by both.
//!
//! The filters are compiled once (by [`seccompiler`]) before the keeper forks, so a run's
//! child only makes the `seccomp(2)` system call.

use seccompiler::{
    BpfProgram, SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition, SeccompFilter,
    SeccompRule, TargetArch,
};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The compiled filters.
pub struct Filters {
    /// Installed once by the keeper's init (all but `clone3` and `unshare`).
    keeper: Vec<BpfProgram>,
    /// Installed by each run before `execve`.
    run: Vec<BpfProgram>,
}

/// The namespace flags `clone(2)` may not carry.
const NAMESPACE_FLAGS: [libc::c_int; 7] = [
    libc::CLONE_NEWNS,
    libc::CLONE_NEWUSER,
    libc::CLONE_NEWPID,
    libc::CLONE_NEWNET,
    libc::CLONE_NEWIPC,
    libc::CLONE_NEWUTS,
    libc::CLONE_NEWCGROUP,
];

/// System calls denied whatever their arguments.
fn always_denied() -> Vec<libc::c_long> {
    let mut calls = vec![
        libc::SYS_setns,
        libc::SYS_ptrace,
        libc::SYS_process_vm_readv,
        libc::SYS_process_vm_writev,
        libc::SYS_mount,
        libc::SYS_umount2,
        libc::SYS_pivot_root,
        libc::SYS_open_tree,
        libc::SYS_move_mount,
        libc::SYS_fsopen,
        libc::SYS_fsconfig,
        libc::SYS_fsmount,
        libc::SYS_fspick,
        libc::SYS_mount_setattr,
        libc::SYS_bpf,
        libc::SYS_perf_event_open,
        libc::SYS_keyctl,
        libc::SYS_add_key,
        libc::SYS_request_key,
        libc::SYS_userfaultfd,
        libc::SYS_io_uring_setup,
        libc::SYS_io_uring_enter,
        libc::SYS_io_uring_register,
        libc::SYS_init_module,
        libc::SYS_finit_module,
        libc::SYS_delete_module,
        libc::SYS_kexec_load,
        libc::SYS_kexec_file_load,
        libc::SYS_reboot,
        libc::SYS_swapon,
        libc::SYS_swapoff,
        libc::SYS_acct,
        libc::SYS_syslog,
        libc::SYS_quotactl,
        libc::SYS_name_to_handle_at,
        libc::SYS_open_by_handle_at,
        libc::SYS_fanotify_init,
        libc::SYS_chroot,
    ];
    #[cfg(target_arch = "x86_64")]
    calls.extend([libc::SYS_iopl, libc::SYS_ioperm]);
    calls
}

fn arch() -> Result<TargetArch, String> {
    std::env::consts::ARCH
        .try_into()
        .map_err(|e| format!("seccomp: unsupported architecture: {e:?}"))
}

fn cond(arg: u8, len: SeccompCmpArgLen, op: SeccompCmpOp, value: u64) -> SeccompCondition {
    SeccompCondition::new(arg, len, op, value).expect("argument index below 6")
}

fn compile() -> Result<Filters, String> {
    let arch = arch()?;
    let mut deny: BTreeMap<i64, Vec<SeccompRule>> = always_denied()
        .into_iter()
        .map(|nr| (nr, Vec::new()))
        .collect();
    let namespace_rules = NAMESPACE_FLAGS
        .iter()
        .map(|&flag| {
            let flag = flag as u64;
            SeccompRule::new(vec![cond(
                0,
                SeccompCmpArgLen::Qword,
                SeccompCmpOp::MaskedEq(flag),
                flag,
            )])
        })
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    deny.insert(libc::SYS_clone, namespace_rules);
    // personality(0) (PER_LINUX) and personality(0xffffffff) (a query) only.
    deny.insert(
        libc::SYS_personality,
        vec![
            SeccompRule::new(vec![
                cond(0, SeccompCmpArgLen::Dword, SeccompCmpOp::Ne, 0),
                cond(0, SeccompCmpArgLen::Dword, SeccompCmpOp::Ne, 0xffff_ffff),
            ])
            .map_err(|e| e.to_string())?,
        ],
    );
    let filter = |rules, errno: libc::c_int| -> Result<BpfProgram, String> {
        SeccompFilter::new(
            rules,
            SeccompAction::Allow,
            SeccompAction::Errno(errno as u32),
            arch,
        )
        .and_then(TryInto::try_into)
        .map_err(|e| format!("seccomp filter: {e}"))
    };
    let clone3 = BTreeMap::from([(libc::SYS_clone3, Vec::new())]);
    let unshare = BTreeMap::from([(libc::SYS_unshare, Vec::new())]);
    Ok(Filters {
        keeper: vec![filter(deny, libc::EPERM)?],
        run: vec![filter(unshare, libc::EPERM)?, filter(clone3, libc::ENOSYS)?],
    })
}

/// The filters, compiled on first use.
///
/// # Errors
/// On an architecture the filter compiler does not know.
pub fn filters() -> Result<&'static Filters, String> {
    static FILTERS: OnceLock<Result<Filters, String>> = OnceLock::new();
    FILTERS.get_or_init(compile).as_ref().map_err(Clone::clone)
}

/// `struct sock_fprog`.
#[repr(C)]
struct SockFprog {
    len: libc::c_ushort,
    filter: *const seccompiler::sock_filter,
}

const SECCOMP_SET_MODE_FILTER: libc::c_ulong = 1;

impl Filters {
    /// Installs the whole filter (both parts) on the calling thread: what a run of the
    /// native sandbox is under. `no_new_privs` must be set (or the caller hold
    /// `CAP_SYS_ADMIN`).
    ///
    /// # Errors
    /// The `errno` of the failed `seccomp(2)` call.
    pub fn apply(&self) -> Result<(), i32> {
        self.apply_keeper_part()?;
        self.apply_run_part()
    }

    /// Installs the large part (everything but `clone3` and `unshare`), once per keeper.
    ///
    /// # Errors
    /// The `errno` of the failed `seccomp(2)` call.
    pub fn apply_keeper_part(&self) -> Result<(), i32> {
        install(&self.keeper)
    }

    /// Installs the small part (`clone3`, `unshare`): once per run, between `fork` and
    /// `execve`. Async-signal-safe: one system call per program, no allocation.
    ///
    /// # Errors
    /// The `errno` of the failed `seccomp(2)` call.
    pub fn apply_run_part(&self) -> Result<(), i32> {
        install(&self.run)
    }
}

fn install(programs: &[BpfProgram]) -> Result<(), i32> {
    for program in programs {
        let prog = SockFprog {
            len: program.len() as libc::c_ushort,
            filter: program.as_ptr(),
        };
        // SAFETY: `prog` points at a valid BPF program that outlives the call.
        let ret = unsafe {
            libc::syscall(
                libc::SYS_seccomp,
                SECCOMP_SET_MODE_FILTER,
                0,
                &prog as *const SockFprog,
            )
        };
        if ret != 0 {
            // SAFETY: reading this thread's errno.
            return Err(unsafe { *libc::__errno_location() });
        }
    }
    Ok(())
}
