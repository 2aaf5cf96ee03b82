//! Problem packages for judge workers without S3: fetched from a `codehub serve` node by
//! content hash (`GET /api/internal/blobs/{hash}` with the shared worker token), checked
//! against the hash, and cached on disk.

use crate::cache::BlobCache;
use async_trait::async_trait;
use codehub_engine::ports::blobs::{BlobError, BlobStore};
use std::path::PathBuf;

/// A read-only blob store backed by nodes over HTTP (tried in turn), with a local cache.
pub struct HttpBlobs {
    bases: Vec<String>,
    token: String,
    cache: BlobCache,
    http: reqwest::Client,
}

impl HttpBlobs {
    /// Blobs from the nodes at `bases` (`http://host:port`, comma-separated: the first that
    /// answers serves), cached in `cache`.
    ///
    /// # Errors
    /// If the cache directory cannot be created.
    pub fn new(bases: &str, token: &str, cache: PathBuf) -> std::io::Result<HttpBlobs> {
        Ok(HttpBlobs {
            bases: bases
                .split(',')
                .map(|b| b.trim().trim_end_matches('/').to_owned())
                .filter(|b| !b.is_empty())
                .collect(),
            token: token.to_owned(),
            cache: BlobCache::new(cache)?,
            http: reqwest::Client::new(),
        })
    }

    async fn fetch(&self, base: &str, hash: &str) -> Result<bytes::Bytes, String> {
        let url = format!("{base}/api/internal/blobs/{hash}");
        let res = self
            .http
            .get(&url)
            .bearer_auth(&self.token)
            .send()
            .await
            .map_err(|e| format!("fetching {url}: {e}"))?;
        if !res.status().is_success() {
            return Err(format!("fetching {url}: HTTP {}", res.status()));
        }
        res.bytes()
            .await
            .map_err(|e| format!("fetching {url}: {e}"))
    }
}

#[async_trait]
impl BlobStore for HttpBlobs {
    async fn put(&self, _bytes: Vec<u8>) -> Result<String, BlobError> {
        Err(BlobError::ReadOnly)
    }

    async fn local_path(&self, hash: &str) -> Result<PathBuf, BlobError> {
        if let Some(path) = self.cache.get(hash)? {
            return Ok(path);
        }
        let mut failures = Vec::new();
        for base in &self.bases {
            match self.fetch(base, hash).await {
                Ok(bytes) => return self.cache.keep(hash, bytes).await,
                Err(e) => failures.push(e),
            }
        }
        Err(BlobError::Unavailable(failures.join("; ")))
    }
}
