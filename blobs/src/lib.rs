//! CodeHub's blob stores: adapters of the engine's
//! [`BlobStore`](codehub_engine::ports::blobs::BlobStore) port.
//!
//! - [`local`]: a directory (the embedded default, `<data dir>/blobs`).
//! - [`s3`]: any S3-compatible object store, shared by every node and worker of a cluster,
//!   with a verified read-through cache on each host.
//! - [`http`]: for judge workers without S3 access, packages fetched from a
//!   `codehub serve` node.
//! - [`cache`]: the verified on-disk cache the remote stores share.

pub mod cache;
pub mod http;
pub mod local;
pub mod s3;

pub use http::HttpBlobs;
pub use local::LocalBlobs;
pub use s3::{S3Blobs, S3Settings};

use codehub_engine::ports::blobs::BlobError;

/// Checks that `hash` names a blob: 64 hex digits.
///
/// # Errors
/// [`BlobError::BadHash`] otherwise (it also keeps path separators out of file names and
/// object keys).
pub fn check_hash(hash: &str) -> Result<(), BlobError> {
    if hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(())
    } else {
        Err(BlobError::BadHash(hash.to_owned()))
    }
}

/// The SHA-256 of `bytes`, as a blob's name.
pub fn hash_of(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes))
}
