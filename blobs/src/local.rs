//! The local blob store: content-addressed files in a directory.

use crate::cache::write_atomically;
use crate::{check_hash, hash_of};
use async_trait::async_trait;
use codehub_engine::ports::blobs::{BlobError, BlobStore};
use std::path::PathBuf;

/// Blobs as `<dir>/<sha256>.blob`, written atomically (synced temp file + rename).
pub struct LocalBlobs {
    dir: PathBuf,
}

impl LocalBlobs {
    /// A store in `dir` (created if missing).
    ///
    /// # Errors
    /// If the directory cannot be created.
    pub fn new(dir: PathBuf) -> std::io::Result<Self> {
        std::fs::create_dir_all(&dir)?;
        Ok(LocalBlobs { dir })
    }

    fn path(&self, hash: &str) -> Result<PathBuf, BlobError> {
        check_hash(hash)?;
        Ok(self.dir.join(format!("{hash}.blob")))
    }
}

#[async_trait]
impl BlobStore for LocalBlobs {
    async fn put(&self, bytes: Vec<u8>) -> Result<String, BlobError> {
        let hash = hash_of(&bytes);
        let path = self.path(&hash)?;
        let dir = self.dir.clone();
        tokio::task::spawn_blocking(move || -> std::io::Result<()> {
            if path.exists() {
                return Ok(());
            }
            write_atomically(&dir, &path, &bytes)
        })
        .await
        .map_err(std::io::Error::other)??;
        Ok(hash)
    }

    async fn local_path(&self, hash: &str) -> Result<PathBuf, BlobError> {
        let path = self.path(hash)?;
        if path.exists() {
            Ok(path)
        } else {
            Err(BlobError::NotFound(hash.to_owned()))
        }
    }
}
