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
//! programs then run as that uid (seen inside as [`protocol::SANDBOX_UID`]) with no capabilities,
//! `no_new_privs` and the seccomp filter, in their own pid namespace, so they can reach
//! no process of the host; the keeper's init is non-dumpable, so they cannot trace it.

pub mod cgroup;
pub mod keeper;
pub mod protocol;

mod config;
mod env;
mod fs;
mod pool;
mod slot;

pub use config::{DEFAULT_READONLY_PATHS, KeeperCommand, NativeConfig};
pub use env::NativeEnv;
pub use pool::NativeSandbox;
