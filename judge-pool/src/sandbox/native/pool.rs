//! The pool of slots: [`NativeSandbox`] checks the host, starts slots and lends them.

use super::cgroup::HostCgroups;
use super::config::NativeConfig;
use super::env::NativeEnv;
use super::slot::Slot;
use crate::sandbox::{Sandbox, SandboxError};
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

/// Next slot number, unique in this process (slot names are `<judge pid>-<n>`).
pub(super) static NEXT_SLOT_ID: AtomicUsize = AtomicUsize::new(0);

/// The native sandbox: a bounded pool of keeper slots.
#[derive(Clone)]
pub struct NativeSandbox {
    pub(super) inner: Arc<Pool>,
}

pub(super) struct Pool {
    pub(super) config: NativeConfig,
    /// Where the slots' cgroups go.
    pub(super) cgroups: HostCgroups,
    /// Who the keepers and programs are on the host.
    pub(super) ids: HostIds,
    /// Idle, wiped slots ready for the next environment.
    pub(super) idle: Mutex<Vec<Slot>>,
    /// One permit per slot that may exist; an environment holds one for its life.
    pub(super) permits: Arc<Semaphore>,
}

/// Host ids of a pool's keepers and programs.
#[derive(Debug, Clone, Copy)]
pub(super) struct HostIds {
    /// The keeper's host uid (and gid).
    pub(super) keeper: (u32, u32),
    /// The programs' host uid (and gid).
    pub(super) sandbox: (u32, u32),
    /// Whether the judge is root (maps two ids; otherwise only its own).
    pub(super) privileged: bool,
}

impl HostIds {
    pub(super) fn of(config: &NativeConfig) -> HostIds {
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
pub(super) fn explain_unavailable(e: SandboxError) -> SandboxError {
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

pub(super) fn remove_stale_slot_dirs(runtime_dir: &Path) {
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
