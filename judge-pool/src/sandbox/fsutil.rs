//! File-system helpers shared by the sandbox backends.

use nix::fcntl::{AtFlags, OFlag, open, openat};
use nix::sys::stat::{FchmodatFlags, Mode, fchmodat, fstatat};
use nix::unistd::{UnlinkatFlags, close, unlinkat};
use std::ffi::CString;
use std::io;
use std::os::fd::RawFd;
use std::path::Path;

const DIR_FLAGS: OFlag = OFlag::O_RDONLY
    .union(OFlag::O_DIRECTORY)
    .union(OFlag::O_NOFOLLOW)
    .union(OFlag::O_CLOEXEC);

/// Removes every non-directory entry of the open directory `fd` and returns the names of
/// its subdirectories.
fn unlink_files(fd: RawFd) -> io::Result<Vec<CString>> {
    let mut dirs = Vec::new();
    let mut files = Vec::new();
    {
        let mut d = nix::dir::Dir::from_fd(nix::unistd::dup(fd)?)?;
        for entry in d.iter() {
            let entry = entry?;
            let name = entry.file_name();
            if name.to_bytes() == b"." || name.to_bytes() == b".." {
                continue;
            }
            let is_dir = match entry.file_type() {
                Some(t) => t == nix::dir::Type::Directory,
                None => fstatat(Some(fd), name, AtFlags::AT_SYMLINK_NOFOLLOW)
                    .is_ok_and(|st| st.st_mode & libc::S_IFMT == libc::S_IFDIR),
            };
            if is_dir {
                dirs.push(name.to_owned());
            } else {
                files.push(name.to_owned());
            }
        }
    }
    for name in files {
        unlinkat(Some(fd), name.as_c_str(), UnlinkatFlags::NoRemoveDir)?;
    }
    Ok(dirs)
}

/// Empties a directory this process may manage, whatever a (dead) program left in it:
/// directories made unreadable (mode 000) are opened up first, and the walk goes by
/// descriptor, one directory open at a time and without recursion, so paths far longer
/// than `PATH_MAX` and thousands of nested levels are no obstacle.
pub(crate) fn empty_dir(dir: &Path) -> io::Result<()> {
    let mut cur = open(dir, DIR_FLAGS, Mode::empty())?;
    // One level per directory entered: its name in its parent and its subdirectories
    // still to empty.
    let mut levels: Vec<(Option<CString>, Vec<CString>)> = Vec::new();
    let result = (|| -> io::Result<()> {
        levels.push((None, unlink_files(cur)?));
        while let Some((name, pending)) = levels.last_mut() {
            if let Some(sub) = pending.pop() {
                let _ = fchmodat(
                    Some(cur),
                    sub.as_c_str(),
                    Mode::from_bits_truncate(0o700),
                    FchmodatFlags::NoFollowSymlink,
                );
                let next = openat(Some(cur), sub.as_c_str(), DIR_FLAGS, Mode::empty())?;
                let _ = close(std::mem::replace(&mut cur, next));
                let subdirs = unlink_files(cur)?;
                levels.push((Some(sub), subdirs));
                continue;
            }
            let Some(name) = name.take() else {
                return Ok(()); // the top directory: emptied
            };
            levels.pop();
            // The program is gone: nothing moves directories while this walks back up.
            let parent = openat(Some(cur), c"..", DIR_FLAGS, Mode::empty())?;
            let _ = close(std::mem::replace(&mut cur, parent));
            unlinkat(Some(cur), name.as_c_str(), UnlinkatFlags::RemoveDir)?;
        }
        Ok(())
    })();
    let _ = close(cur);
    result
}

/// The names of the extended attributes on `path` itself (empty where the file system
/// has none).
pub(crate) fn xattr_names(path: &Path) -> io::Result<Vec<CString>> {
    let c = CString::new(path.as_os_str().as_encoded_bytes()).map_err(io::Error::other)?;
    // SAFETY: valid C string; a null buffer of size 0 asks for the size only.
    let size = unsafe { libc::llistxattr(c.as_ptr(), std::ptr::null_mut(), 0) };
    if size < 0 {
        let e = io::Error::last_os_error();
        return if e.raw_os_error() == Some(libc::ENOTSUP) {
            Ok(Vec::new())
        } else {
            Err(e)
        };
    }
    if size == 0 {
        return Ok(Vec::new());
    }
    let mut names = vec![0u8; size as usize];
    // SAFETY: the buffer holds `size` bytes.
    let n = unsafe { libc::llistxattr(c.as_ptr(), names.as_mut_ptr().cast(), names.len()) };
    if n < 0 {
        return Err(io::Error::last_os_error());
    }
    names[..n as usize]
        .split(|b| *b == 0)
        .filter(|n| !n.is_empty())
        .map(|n| CString::new(n).map_err(io::Error::other))
        .collect()
}

/// Puts a directory's own mode back to `mode` and removes its extended attributes: a
/// program that owns its work directory could otherwise keep state in them.
pub(crate) fn reset_dir_metadata(dir: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode))?;
    let c = CString::new(dir.as_os_str().as_encoded_bytes()).map_err(io::Error::other)?;
    for name in xattr_names(dir)? {
        // SAFETY: valid C strings.
        if unsafe { libc::lremovexattr(c.as_ptr(), name.as_ptr()) } != 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn empties_deep_unreadable_trees_without_recursing() {
        let top = tempfile::tempdir().unwrap();
        let mut path = top.path().to_owned();
        // Hundreds of levels (within PATH_MAX, so the test can build them by path; the
        // adversarial suite's workdir_mess goes 1000 levels past it).
        for i in 0.. {
            if path.as_os_str().len() + 8 > 4000 {
                break;
            }
            path.push(format!("d{i}"));
            std::fs::create_dir(&path).unwrap();
            std::fs::write(path.join("f"), b"x").unwrap();
        }
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
        std::fs::write(top.path().join("-rf"), b"").unwrap();
        empty_dir(top.path()).unwrap();
        assert_eq!(std::fs::read_dir(top.path()).unwrap().count(), 0);
    }
}
