//! Reaching a slot's files from the host: `openat2(RESOLVE_IN_ROOT)`, the sandbox's
//! file-system ids, and the fingerprint of a sealed work directory.

use super::pool::HostIds;
use super::slot::Slot;
use crate::sandbox::SandboxError;
use std::fs;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::path::{Path, PathBuf};

/// `struct open_how` of `openat2(2)`.
#[repr(C)]
pub(super) struct OpenHow {
    pub(super) flags: u64,
    pub(super) mode: u64,
    pub(super) resolve: u64,
}
pub(super) const RESOLVE_NO_MAGICLINKS: u64 = 0x02;
pub(super) const RESOLVE_IN_ROOT: u64 = 0x10;

/// Opens `path` relative to `root`, resolving every symlink as if `root` were `/`.
pub(super) fn open_in_root(
    root: &OwnedFd,
    path: &str,
    flags: i32,
    mode: u32,
) -> io::Result<OwnedFd> {
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
pub(super) struct FsIdGuard(bool);

impl FsIdGuard {
    pub(super) fn new(ids: &HostIds) -> Self {
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
pub(super) fn fingerprint(dir: &Path) -> io::Result<Vec<(PathBuf, u64, u32, u32)>> {
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

pub(super) fn make_parents(slot: &Slot, ids: &HostIds, path: &str) -> Result<(), SandboxError> {
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
