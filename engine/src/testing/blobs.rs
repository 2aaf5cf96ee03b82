//! [`MemoryBlobs`]: the blob port in memory.

use crate::ports::blobs::{BlobError, BlobStore};
use async_trait::async_trait;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

static NEXT_DIR: AtomicUsize = AtomicUsize::new(0);

/// Blobs in memory, named by SHA-256 like every blob store. `local_path` writes the blob
/// to a private temporary directory (removed on drop) the first time it is asked for.
pub struct MemoryBlobs {
    blobs: Mutex<HashMap<String, Vec<u8>>>,
    dir: PathBuf,
}

impl Default for MemoryBlobs {
    fn default() -> Self {
        MemoryBlobs::new()
    }
}

impl MemoryBlobs {
    /// An empty store.
    pub fn new() -> MemoryBlobs {
        let dir = std::env::temp_dir().join(format!(
            "codehub-memory-blobs-{}-{}",
            std::process::id(),
            NEXT_DIR.fetch_add(1, Ordering::Relaxed)
        ));
        MemoryBlobs {
            blobs: Mutex::new(HashMap::new()),
            dir,
        }
    }

    /// The bytes of a blob, if stored.
    pub fn get(&self, hash: &str) -> Option<Vec<u8>> {
        self.blobs.lock().expect("not poisoned").get(hash).cloned()
    }
}

impl Drop for MemoryBlobs {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn is_hash(hash: &str) -> bool {
    hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit())
}

#[async_trait]
impl BlobStore for MemoryBlobs {
    async fn put(&self, bytes: Vec<u8>) -> Result<String, BlobError> {
        let hash: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        self.blobs
            .lock()
            .expect("not poisoned")
            .entry(hash.clone())
            .or_insert(bytes);
        Ok(hash)
    }

    async fn local_path(&self, hash: &str) -> Result<PathBuf, BlobError> {
        if !is_hash(hash) {
            return Err(BlobError::BadHash(hash.to_owned()));
        }
        let bytes = self
            .get(hash)
            .ok_or_else(|| BlobError::NotFound(hash.to_owned()))?;
        let path = self.dir.join(format!("{hash}.blob"));
        if !path.exists() {
            std::fs::create_dir_all(&self.dir)?;
            let tmp = self.dir.join(format!("{hash}.tmp"));
            std::fs::write(&tmp, bytes)?;
            std::fs::rename(&tmp, &path)?;
        }
        Ok(path)
    }
}
