//! Packages as `.zip` files: bounded extraction and finding the package root.

use super::sorted_entries;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Largest total size of an extracted zip package.
pub const MAX_ZIP_BYTES: u64 = 2 << 30;
/// Most entries of a zip package.
pub const MAX_ZIP_ENTRIES: usize = 100_000;
/// The directory holding `problem.yaml`: the zip root or its single top directory.
pub(super) fn package_root(dir: &Path) -> Option<PathBuf> {
    if dir.join("problem.yaml").is_file() {
        return Some(dir.to_owned());
    }
    let entries: Vec<PathBuf> = sorted_entries(dir)
        .ok()?
        .into_iter()
        .filter(|p| p.is_dir())
        .collect();
    match entries.as_slice() {
        [one] if one.join("problem.yaml").is_file() => Some(one.clone()),
        _ => None,
    }
}

/// Extracts `zip_path` into `into`, refusing entries that escape it, symlinks, more than
/// [`MAX_ZIP_ENTRIES`] entries or more than [`MAX_ZIP_BYTES`] in all.
///
/// # Errors
/// A message saying which entry and why.
pub fn extract_zip(zip_path: &Path, into: &Path) -> Result<(), String> {
    let file = fs::File::open(zip_path).map_err(|e| format!("cannot open zip: {e}"))?;
    let mut archive = zip::ZipArchive::new(file).map_err(|e| format!("not a valid zip: {e}"))?;
    if archive.len() > MAX_ZIP_ENTRIES {
        return Err(format!("zip has more than {MAX_ZIP_ENTRIES} entries"));
    }
    let mut total = 0u64;
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|e| format!("zip entry {i}: {e}"))?;
        let Some(rel) = entry.enclosed_name() else {
            return Err(format!("zip entry `{}` escapes the package", entry.name()));
        };
        let out = into.join(rel);
        if entry.is_dir() {
            fs::create_dir_all(&out).map_err(|e| e.to_string())?;
            continue;
        }
        if entry.is_symlink() {
            return Err(format!("zip entry `{}` is a symlink", entry.name()));
        }
        if let Some(parent) = out.parent() {
            fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        let mut f = fs::File::create(&out).map_err(|e| e.to_string())?;
        let budget = MAX_ZIP_BYTES.saturating_sub(total);
        let written = std::io::copy(&mut (&mut entry).take(budget + 1), &mut f)
            .map_err(|e| format!("zip entry `{}`: {e}", entry.name()))?;
        total += written;
        if total > MAX_ZIP_BYTES {
            return Err(format!("zip expands to more than {MAX_ZIP_BYTES} bytes"));
        }
    }
    Ok(())
}
