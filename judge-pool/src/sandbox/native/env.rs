//! [`NativeEnv`]: one slot lent to one submission, as an [`Environment`].

use super::fs::{FsIdGuard, fingerprint, make_parents, open_in_root};
use super::pool::{HostIds, Pool};
use super::slot::Slot;
use crate::sandbox::{Environment, RunResult, RunSpec, SandboxError, Seal, check_relative};
use std::fs;
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::sync::{Arc, Mutex};
use tokio::sync::OwnedSemaphorePermit;

/// An environment of the native sandbox: one slot, for one submission.
pub struct NativeEnv {
    pub(super) slot: Option<Arc<Mutex<Slot>>>,
    pub(super) pool: Arc<Pool>,
    pub(super) permit: Option<OwnedSemaphorePermit>,
}

impl NativeEnv {
    pub(super) async fn with_slot<T: Send + 'static>(
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
            Ok(Some(Seal(Arc::new(fingerprint(&work).map_err(failed)?))))
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
                && crate::sandbox::fsutil::xattr_names(&work)
                    .map_err(failed)?
                    .is_empty()
                && fingerprint(&work).is_ok_and(|now| now == *seal.0))
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
