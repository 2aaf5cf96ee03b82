//! The blob port: immutable content-addressed files (problem packages).

use async_trait::async_trait;
use std::path::PathBuf;

/// A blob store failure.
#[derive(Debug, thiserror::Error)]
#[error("blob store: {0}")]
pub struct BlobError(pub String);

/// Content-addressed storage: a blob's name is the SHA-256 (hex) of its bytes.
#[async_trait]
pub trait BlobStore: Send + Sync + 'static {
    /// Stores bytes; returns their hash. Storing the same bytes twice is a no-op.
    async fn put(&self, bytes: Vec<u8>) -> Result<String, BlobError>;
    /// A local file holding the blob (fetched into a cache if the store is remote).
    async fn local_path(&self, hash: &str) -> Result<PathBuf, BlobError>;
}
