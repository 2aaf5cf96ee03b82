//! Problem packages for judge workers: fetched from a `codehub serve` node by content
//! hash (`GET /api/internal/blobs/{hash}` with the shared worker token), checked against
//! the hash, and cached on disk.

use async_trait::async_trait;
use codehub_engine::ports::blobs::{BlobError, BlobStore};
use sha2::{Digest, Sha256};
use std::path::PathBuf;

/// A read-only blob store backed by nodes over HTTP (tried in turn), with a local cache.
pub struct HttpBlobs {
    bases: Vec<String>,
    token: String,
    cache: PathBuf,
    http: reqwest::Client,
}

impl HttpBlobs {
    /// Blobs from the nodes at `bases` (`http://host:port`, comma-separated: the first that
    /// answers serves), cached in `cache`.
    pub fn new(bases: &str, token: &str, cache: PathBuf) -> std::io::Result<HttpBlobs> {
        std::fs::create_dir_all(&cache)?;
        Ok(HttpBlobs {
            bases: bases
                .split(',')
                .map(|b| b.trim().trim_end_matches('/').to_owned())
                .filter(|b| !b.is_empty())
                .collect(),
            token: token.to_owned(),
            cache,
            http: reqwest::Client::new(),
        })
    }
}

impl HttpBlobs {
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

fn valid(hash: &str) -> bool {
    hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit())
}

#[async_trait]
impl BlobStore for HttpBlobs {
    async fn put(&self, _bytes: Vec<u8>) -> Result<String, BlobError> {
        Err(BlobError::ReadOnly)
    }

    async fn local_path(&self, hash: &str) -> Result<PathBuf, BlobError> {
        if !valid(hash) {
            return Err(BlobError::BadHash(hash.to_owned()));
        }
        let path = self.cache.join(format!("{hash}.blob"));
        if path.exists() {
            return Ok(path);
        }
        let mut failures = Vec::new();
        let mut fetched = None;
        for base in &self.bases {
            match self.fetch(base, hash).await {
                Ok(bytes) => {
                    fetched = Some(bytes);
                    break;
                }
                Err(e) => failures.push(e),
            }
        }
        let Some(bytes) = fetched else {
            return Err(BlobError::Unavailable(failures.join("; ")));
        };
        let got = hex::encode(Sha256::digest(&bytes));
        if got != hash {
            return Err(BlobError::Corrupt {
                hash: hash.to_owned(),
                got,
            });
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
        .map_err(std::io::Error::other)??;
        Ok(path)
    }
}
