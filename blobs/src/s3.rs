//! Blobs in an S3-compatible object store (AWS S3, SeaweedFS, Ceph, …), through
//! `aws-sdk-s3`.
//!
//! A blob is the object `<prefix><sha256>`; the same bytes always land on the same key, so
//! every node and worker of a cluster shares one copy, and `put` first asks whether the
//! object is there. Objects over [`MULTIPART_THRESHOLD`] go up in parts. Reads go through a
//! verified cache on local disk ([`BlobCache`]): once a host has a blob it never asks S3
//! for it again, so judging carries on while S3 is unreachable. The SDK retries throttling,
//! timeouts and 5xx answers with exponential backoff and jitter ([`MAX_ATTEMPTS`] tries).

use crate::cache::BlobCache;
use crate::hash_of;
use async_trait::async_trait;
use aws_sdk_s3::config::retry::RetryConfig;
use aws_sdk_s3::config::timeout::TimeoutConfig;
use aws_sdk_s3::config::{Credentials, Region};
use aws_sdk_s3::error::{DisplayErrorContext, SdkError};
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart};
use bytes::Bytes;
use codehub_engine::ports::blobs::{BlobError, BlobStore};
use std::path::PathBuf;
use std::time::Duration;

/// Objects larger than this are uploaded in parts.
pub const MULTIPART_THRESHOLD: usize = 16 << 20;
/// The size of each part of a multipart upload (S3's minimum is 5 MiB).
pub const PART_SIZE: usize = 8 << 20;
/// Tries per request, the first included, before a failure is reported.
pub const MAX_ATTEMPTS: u32 = 5;

/// Where the blobs are and how to reach them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct S3Settings {
    /// The bucket.
    pub bucket: String,
    /// A key prefix, empty or ending in `/`.
    pub prefix: String,
    /// The service's URL for S3-compatible stores (`None`: AWS, or `AWS_ENDPOINT_URL`).
    pub endpoint: Option<String>,
    /// The region (`None`: the standard AWS chain, then `us-east-1`).
    pub region: Option<String>,
    /// Path-style addressing (`endpoint/bucket/key`), which most self-hosted stores need.
    pub path_style: bool,
    /// An access key id and secret; `None`: the standard AWS credential chain
    /// (environment, profile files, web identity, container and instance metadata).
    pub credentials: Option<(String, String)>,
}

impl S3Settings {
    /// Parses `s3://bucket[/prefix]`; the other fields stay at their defaults.
    ///
    /// # Errors
    /// A readable message when `url` is not such a URL or the bucket name is not valid.
    pub fn from_url(url: &str) -> Result<S3Settings, String> {
        let rest = url
            .strip_prefix("s3://")
            .ok_or_else(|| format!("`{url}` is not an s3://bucket/prefix URL"))?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        let bucket_ok = (3..=63).contains(&bucket.len())
            && bucket
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
            && !bucket.starts_with(['-', '.'])
            && !bucket.ends_with(['-', '.']);
        if !bucket_ok {
            return Err(format!(
                "`{bucket}` is not an S3 bucket name (3-63 characters of a-z, 0-9, `-` and `.`)"
            ));
        }
        let prefix = prefix.trim_matches('/');
        if prefix.split('/').any(|part| part == "." || part == "..") {
            return Err(format!(
                "the key prefix `{prefix}` may not hold `.` or `..`"
            ));
        }
        Ok(S3Settings {
            bucket: bucket.to_owned(),
            prefix: if prefix.is_empty() {
                String::new()
            } else {
                format!("{prefix}/")
            },
            ..S3Settings::default()
        })
    }

    /// The `s3://bucket/prefix` URL of these settings.
    pub fn url(&self) -> String {
        format!("s3://{}/{}", self.bucket, self.prefix)
    }
}

/// A blob store on S3 with a local read-through cache.
pub struct S3Blobs {
    client: aws_sdk_s3::Client,
    bucket: String,
    prefix: String,
    cache: BlobCache,
}

impl S3Blobs {
    /// Connects (lazily: no request is made here) with `settings`, caching in `cache`.
    ///
    /// # Errors
    /// If the cache directory cannot be created.
    pub async fn new(settings: &S3Settings, cache: PathBuf) -> std::io::Result<S3Blobs> {
        let http = aws_smithy_http_client::Builder::new()
            .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
                aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
            ))
            .build_https();
        let mut loader =
            aws_config::defaults(aws_config::BehaviorVersion::latest()).http_client(http);
        if let Some(region) = &settings.region {
            loader = loader.region(Region::new(region.clone()));
        }
        if let Some(endpoint) = &settings.endpoint {
            loader = loader.endpoint_url(endpoint);
        }
        if let Some((id, secret)) = &settings.credentials {
            loader = loader.credentials_provider(Credentials::new(
                id,
                secret,
                None,
                None,
                "codehub-settings",
            ));
        }
        let shared = loader.load().await;
        let mut config = aws_sdk_s3::config::Builder::from(&shared);
        if shared.region().is_none() {
            config.set_region(Some(Region::from_static("us-east-1")));
        }
        let config = config
            .force_path_style(settings.path_style)
            .retry_config(
                RetryConfig::standard()
                    .with_max_attempts(MAX_ATTEMPTS)
                    .with_initial_backoff(Duration::from_millis(200))
                    .with_max_backoff(Duration::from_secs(5)),
            )
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(3))
                    .operation_attempt_timeout(Duration::from_secs(120))
                    .build(),
            )
            .build();
        Ok(S3Blobs {
            client: aws_sdk_s3::Client::from_conf(config),
            bucket: settings.bucket.clone(),
            prefix: settings.prefix.clone(),
            cache: BlobCache::new(cache)?,
        })
    }

    /// The object key of blob `hash`.
    pub fn key(&self, hash: &str) -> String {
        format!("{}{hash}", self.prefix)
    }

    /// Whether the object of `hash` exists.
    async fn exists(&self, key: &str) -> Result<bool, BlobError> {
        match self
            .client
            .head_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
        {
            Ok(_) => Ok(true),
            Err(SdkError::ServiceError(e)) if e.err().is_not_found() => Ok(false),
            Err(e) => Err(unavailable("checking", key, e)),
        }
    }

    async fn upload(&self, key: &str, bytes: Bytes) -> Result<(), BlobError> {
        if bytes.len() <= MULTIPART_THRESHOLD {
            self.client
                .put_object()
                .bucket(&self.bucket)
                .key(key)
                .body(ByteStream::from(bytes))
                .send()
                .await
                .map_err(|e| unavailable("uploading", key, e))?;
            return Ok(());
        }
        let started = self
            .client
            .create_multipart_upload()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
            .map_err(|e| unavailable("starting the upload of", key, e))?;
        let Some(upload_id) = started.upload_id() else {
            return Err(BlobError::Unavailable(format!(
                "the store started an upload of {key} without an upload id"
            )));
        };
        let result = self.upload_parts(key, upload_id, bytes).await;
        if result.is_err() {
            // Leave no orphan parts behind (they are billed); the upload is retried whole.
            let _ = self
                .client
                .abort_multipart_upload()
                .bucket(&self.bucket)
                .key(key)
                .upload_id(upload_id)
                .send()
                .await;
        }
        result
    }

    async fn upload_parts(
        &self,
        key: &str,
        upload_id: &str,
        bytes: Bytes,
    ) -> Result<(), BlobError> {
        let mut parts = Vec::new();
        for (index, start) in (0..bytes.len()).step_by(PART_SIZE).enumerate() {
            let number = i32::try_from(index + 1).expect("fewer than 2^31 parts");
            let chunk = bytes.slice(start..(start + PART_SIZE).min(bytes.len()));
            let done = self
                .client
                .upload_part()
                .bucket(&self.bucket)
                .key(key)
                .upload_id(upload_id)
                .part_number(number)
                .body(ByteStream::from(chunk))
                .send()
                .await
                .map_err(|e| unavailable("uploading a part of", key, e))?;
            parts.push(
                CompletedPart::builder()
                    .part_number(number)
                    .set_e_tag(done.e_tag().map(str::to_owned))
                    .build(),
            );
        }
        self.client
            .complete_multipart_upload()
            .bucket(&self.bucket)
            .key(key)
            .upload_id(upload_id)
            .multipart_upload(
                CompletedMultipartUpload::builder()
                    .set_parts(Some(parts))
                    .build(),
            )
            .send()
            .await
            .map_err(|e| unavailable("completing the upload of", key, e))?;
        Ok(())
    }
}

/// A request that failed after the SDK's retries, with the whole error chain.
fn unavailable<E, R>(doing: &str, key: &str, error: SdkError<E, R>) -> BlobError
where
    E: std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    BlobError::Unavailable(format!("{doing} {key}: {}", DisplayErrorContext(error)))
}

#[async_trait]
impl BlobStore for S3Blobs {
    async fn put(&self, bytes: Vec<u8>) -> Result<String, BlobError> {
        let hash = hash_of(&bytes);
        // A cached blob is in S3 already: the cache is filled only from S3 or after an
        // upload.
        if self.cache.get(&hash)?.is_some() {
            return Ok(hash);
        }
        let key = self.key(&hash);
        let bytes = Bytes::from(bytes);
        if !self.exists(&key).await? {
            self.upload(&key, bytes.clone()).await?;
        }
        // Durable in S3 now; keep a copy for this host's readers (hashed above).
        self.cache.write(&hash, bytes).await?;
        Ok(hash)
    }

    async fn local_path(&self, hash: &str) -> Result<PathBuf, BlobError> {
        if let Some(path) = self.cache.get(hash)? {
            return Ok(path);
        }
        let key = self.key(hash);
        let object = match self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(&key)
            .send()
            .await
        {
            Ok(object) => object,
            Err(SdkError::ServiceError(e)) if e.err().is_no_such_key() => {
                return Err(BlobError::NotFound(hash.to_owned()));
            }
            Err(e) => return Err(unavailable("fetching", &key, e)),
        };
        let bytes = object
            .body
            .collect()
            .await
            .map_err(|e| BlobError::Unavailable(format!("fetching {key}: {e}")))?
            .into_bytes();
        self.cache.keep(hash, bytes).await
    }
}
