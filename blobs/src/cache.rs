//! The on-disk cache of a remote blob store: `<dir>/<sha256>.blob`, each file checked
//! against its name before it is kept, written atomically (temp file + rename), so a
//! reader never sees a partial or wrong blob.

use crate::{check_hash, hash_of};
use codehub_engine::ports::blobs::BlobError;
use std::path::{Path, PathBuf};

/// A directory of verified blobs.
#[derive(Debug, Clone)]
pub struct BlobCache {
    dir: PathBuf,
}

impl BlobCache {
    /// A cache in `dir` (created if missing).
    ///
    /// # Errors
    /// If the directory cannot be created.
    pub fn new(dir: PathBuf) -> std::io::Result<BlobCache> {
        std::fs::create_dir_all(&dir)?;
        Ok(BlobCache { dir })
    }

    /// Where blob `hash` is (or would be) kept.
    ///
    /// # Errors
    /// [`BlobError::BadHash`] when `hash` is not one.
    pub fn path(&self, hash: &str) -> Result<PathBuf, BlobError> {
        check_hash(hash)?;
        Ok(self.dir.join(format!("{hash}.blob")))
    }

    /// The cached file of `hash`, if present.
    ///
    /// # Errors
    /// [`BlobError::BadHash`] when `hash` is not one.
    pub fn get(&self, hash: &str) -> Result<Option<PathBuf>, BlobError> {
        let path = self.path(hash)?;
        Ok(path.exists().then_some(path))
    }

    /// Keeps `bytes` as blob `hash` after checking they hash to it; returns the file.
    ///
    /// # Errors
    /// [`BlobError::Corrupt`] (nothing is written) or an I/O error (no partial file is
    /// left: the temporary file is removed).
    pub async fn keep(&self, hash: &str, bytes: bytes::Bytes) -> Result<PathBuf, BlobError> {
        check_hash(hash)?;
        let got = hash_of(&bytes);
        if got != hash {
            return Err(BlobError::Corrupt {
                hash: hash.to_owned(),
                got,
            });
        }
        self.write(hash, bytes).await
    }

    /// Keeps `bytes`, which the caller has just hashed to `hash`, as that blob.
    pub(crate) async fn write(
        &self,
        hash: &str,
        bytes: bytes::Bytes,
    ) -> Result<PathBuf, BlobError> {
        let path = self.path(hash)?;
        let dir = self.dir.clone();
        let target = path.clone();
        tokio::task::spawn_blocking(move || write_atomically(&dir, &target, &bytes))
            .await
            .map_err(std::io::Error::other)??;
        Ok(path)
    }
}

/// Writes `bytes` to `target` through a synced temporary file in `dir` and a rename.
pub(crate) fn write_atomically(dir: &Path, target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut tmp, bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(target).map_err(|e| e.error)?;
    Ok(())
}
