//! Problem packages for judge workers: fetched from a `codehub serve` node by content
//! hash (`GET /api/internal/blobs/{hash}` with the shared worker token), checked against
//! the hash, and cached on disk.

use async_trait::async_trait;
use codehub_engine::ports::blobs::{BlobError, BlobStore};
use sha2::{Digest, Sha256};
use std::path::PathBuf;

/// A read-only blob store backed by a node over HTTP, with a local cache.
pub struct HttpBlobs {
    base: String,
    token: String,
    cache: PathBuf,
    http: reqwest::Client,
}

impl HttpBlobs {
    /// Blobs from the node at `base` (`http://host:port`), cached in `cache`.
    pub fn new(base: &str, token: &str, cache: PathBuf) -> std::io::Result<HttpBlobs> {
        std::fs::create_dir_all(&cache)?;
        Ok(HttpBlobs {
            base: base.trim_end_matches('/').to_owned(),
            token: token.to_owned(),
            cache,
            http: reqwest::Client::new(),
        })
    }
}

fn valid(hash: &str) -> bool {
    hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit())
}

#[async_trait]
impl BlobStore for HttpBlobs {
    async fn put(&self, _bytes: Vec<u8>) -> Result<String, BlobError> {
        Err(BlobError("a judge worker's blob store is read-only".into()))
    }

    async fn local_path(&self, hash: &str) -> Result<PathBuf, BlobError> {
        if !valid(hash) {
            return Err(BlobError(format!("not a blob hash: `{hash}`")));
        }
        let path = self.cache.join(format!("{hash}.blob"));
        if path.exists() {
            return Ok(path);
        }
        let url = format!("{}/api/internal/blobs/{hash}", self.base);
        let res = self
            .http
            .get(&url)
            .bearer_auth(&self.token)
            .send()
            .await
            .map_err(|e| BlobError(format!("fetching {url}: {e}")))?;
        if !res.status().is_success() {
            return Err(BlobError(format!("fetching {url}: HTTP {}", res.status())));
        }
        let bytes = res
            .bytes()
            .await
            .map_err(|e| BlobError(format!("fetching {url}: {e}")))?;
        let got = hex::encode(Sha256::digest(&bytes));
        if got != hash {
            return Err(BlobError(format!("blob {hash} arrived with hash {got}")));
        }
        let cache = self.cache.clone();
        let target = path.clone();
        tokio::task::spawn_blocking(move || -> std::io::Result<()> {
            let mut tmp = tempfile::NamedTempFile::new_in(&cache)?;
            std::io::Write::write_all(&mut tmp, &bytes)?;
            tmp.persist(&target).map_err(|e| e.error)?;
            Ok(())
        })
        .await
        .map_err(|e| BlobError(e.to_string()))?
        .map_err(|e| BlobError(e.to_string()))?;
        Ok(path)
    }
}
