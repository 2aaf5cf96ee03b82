//! The blob port: immutable content-addressed files (problem packages).

use async_trait::async_trait;
use std::path::PathBuf;

/// A blob store failure.
#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    /// The name is not a blob hash (64 hex digits).
    #[error("not a blob hash: `{0}`")]
    BadHash(String),
    /// No blob has this hash (here, or on any remote that was asked).
    #[error("blob {0} not found")]
    NotFound(String),
    /// Bytes fetched for `hash` hash to `got`: refused, nothing cached.
    #[error("blob {hash} arrived with hash {got}")]
    Corrupt {
        /// What was asked for.
        hash: String,
        /// The hash of what arrived.
        got: String,
    },
    /// This store does not take new blobs (a judge worker's cache).
    #[error("this blob store is read-only")]
    ReadOnly,
    /// A remote store could not be reached or refused the request.
    #[error("blob store unavailable: {0}")]
    Unavailable(String),
    /// The local file system failed.
    #[error("blob store I/O: {0}")]
    Io(#[from] std::io::Error),
}

/// Content-addressed storage: a blob's name is the SHA-256 (hex) of its bytes.
///
/// Contract: `put` is durable on return and idempotent; a path from `local_path` holds
/// exactly the bytes whose hash it is named by (blobs never change).
#[async_trait]
pub trait BlobStore: Send + Sync + 'static {
    /// Stores bytes; returns their hash. Storing the same bytes twice is a no-op.
    async fn put(&self, bytes: Vec<u8>) -> Result<String, BlobError>;
    /// A local file holding the blob (fetched into a cache if the store is remote).
    async fn local_path(&self, hash: &str) -> Result<PathBuf, BlobError>;
}
