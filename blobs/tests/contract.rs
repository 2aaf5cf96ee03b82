//! The blob store contract, run against every adapter: the local directory, and S3 on a
//! real S3-compatible server (SeaweedFS, which `scripts/test` starts and exports as
//! `CODEHUB_TEST_S3_URL`). Then what only a remote store meets: nodes sharing nothing but
//! the bucket, corrupt objects, and an unreachable or flaky service.

use codehub_blobs::{LocalBlobs, S3Blobs, S3Settings, hash_of};
use codehub_engine::ports::blobs::{BlobError, BlobStore};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

/// The test server's settings under a key prefix private to this test, or `None` (and
/// the SKIPPED marker that makes `scripts/test` fail where the server runs).
fn s3(test: &str) -> Option<S3Settings> {
    let Ok(endpoint) = std::env::var("CODEHUB_TEST_S3_URL") else {
        eprintln!("s3: SKIPPED (set CODEHUB_TEST_S3_URL; scripts/test does)");
        return None;
    };
    let var = |name: &str| std::env::var(name).unwrap_or_else(|_| panic!("{name} is unset"));
    let mut settings = S3Settings::from_url(&format!(
        "s3://{}/{test}-{}-{}",
        var("CODEHUB_TEST_S3_BUCKET"),
        std::process::id(),
        rand_suffix()
    ))
    .unwrap();
    settings.endpoint = Some(endpoint);
    settings.path_style = true;
    settings.credentials = Some((
        var("CODEHUB_TEST_S3_ACCESS_KEY"),
        var("CODEHUB_TEST_S3_SECRET_KEY"),
    ));
    Some(settings)
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

/// Pseudo-random bytes (incompressible, reproducible).
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

/// What every blob store promises.
async fn contract(store: &dyn BlobStore) {
    // Named by the SHA-256 of the bytes; the file holds exactly them.
    let bytes = b"a problem package".to_vec();
    let hash = store.put(bytes.clone()).await.unwrap();
    assert_eq!(hash, hash_of(&bytes));
    assert_eq!(hash.len(), 64);
    let path = store.local_path(&hash).await.unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
    // Idempotent.
    assert_eq!(store.put(bytes.clone()).await.unwrap(), hash);
    assert_eq!(
        std::fs::read(store.local_path(&hash).await.unwrap()).unwrap(),
        bytes
    );
    // The empty blob is a blob.
    let empty = store.put(Vec::new()).await.unwrap();
    assert_eq!(
        std::fs::read(store.local_path(&empty).await.unwrap()).unwrap(),
        b""
    );
    // Over the multipart threshold: parts joined in order.
    let big = noise(
        codehub_blobs::s3::MULTIPART_THRESHOLD + 3 * 1024 * 1024 + 17,
        7,
    );
    let big_hash = store.put(big.clone()).await.unwrap();
    assert_eq!(big_hash, hash_of(&big));
    assert!(std::fs::read(store.local_path(&big_hash).await.unwrap()).unwrap() == big);
    // Unknown and malformed names.
    let unknown = hash_of(b"never stored");
    assert!(matches!(
        store.local_path(&unknown).await,
        Err(BlobError::NotFound(h)) if h == unknown
    ));
    for bad in ["../../etc/passwd", "abc", &format!("{}/", &unknown[..63])] {
        assert!(
            matches!(store.local_path(bad).await, Err(BlobError::BadHash(_))),
            "{bad}"
        );
    }
}

#[tokio::test]
async fn the_local_directory_keeps_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    let store = LocalBlobs::new(dir.path().join("blobs")).unwrap();
    contract(&store).await;
}

#[tokio::test]
async fn s3_keeps_the_contract() {
    let Some(settings) = s3("contract") else {
        return;
    };
    let cache = tempfile::tempdir().unwrap();
    let store = S3Blobs::new(&settings, cache.path().to_owned())
        .await
        .unwrap();
    contract(&store).await;
}

/// `curl` signing with SigV4: the test's own view of the bucket, not the adapter's.
fn curl_s3(settings: &S3Settings, method: &str, key: &str, body: Option<&[u8]>) -> (u16, Vec<u8>) {
    let (id, secret) = settings.credentials.clone().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new("curl");
    cmd.args(["-sS", "-o"])
        .arg(dir.path().join("out"))
        .args([
            "-w",
            "%{http_code}",
            "--aws-sigv4",
            "aws:amz:us-east-1:s3",
            "--user",
        ])
        .arg(format!("{id}:{secret}"))
        .args(["-X", method]);
    if let Some(body) = body {
        let file = dir.path().join("in");
        std::fs::write(&file, body).unwrap();
        cmd.arg("-T").arg(&file);
    }
    let url = format!(
        "{}/{}/{key}",
        settings.endpoint.as_deref().unwrap(),
        settings.bucket
    );
    let out = cmd.arg(url).output().expect("curl");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let status = String::from_utf8_lossy(&out.stdout).parse().unwrap();
    (
        status,
        std::fs::read(dir.path().join("out")).unwrap_or_default(),
    )
}

#[tokio::test]
async fn hosts_sharing_only_the_bucket_see_each_others_blobs_and_refuse_corrupt_ones() {
    let Some(settings) = s3("shared") else {
        return;
    };
    let (cache_a, cache_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = S3Blobs::new(&settings, cache_a.path().to_owned())
        .await
        .unwrap();
    let b = S3Blobs::new(&settings, cache_b.path().to_owned())
        .await
        .unwrap();
    // A blob put on one host is in the bucket under its hash and readable on the other.
    let package = noise(300_000, 3);
    let hash = a.put(package.clone()).await.unwrap();
    let (status, stored) = curl_s3(&settings, "GET", &a.key(&hash), None);
    assert_eq!((status, stored == package), (200, true));
    let path = b.local_path(&hash).await.unwrap();
    assert!(path.starts_with(cache_b.path()));
    assert!(std::fs::read(&path).unwrap() == package);

    // An object whose bytes are not its name's: refused, and nothing cached.
    let claimed = hash_of(b"the real package");
    let (status, _) = curl_s3(&settings, "PUT", &b.key(&claimed), Some(b"tampered"));
    assert_eq!(status, 200);
    match b.local_path(&claimed).await {
        Err(BlobError::Corrupt { hash, got }) => {
            assert_eq!((hash, got), (claimed.clone(), hash_of(b"tampered")));
        }
        other => panic!("a corrupt object was accepted: {other:?}"),
    }
    assert!(!cache_b.path().join(format!("{claimed}.blob")).exists());
}

/// A TCP forwarder to the S3 server that can be cut: while down it closes its open
/// connections and every new one at once, as a dead or restarting service does.
struct Cut {
    endpoint: String,
    up: tokio::sync::watch::Sender<bool>,
}

impl Cut {
    fn set(&self, up: bool) {
        self.up.send_replace(up);
    }
}

async fn cut(upstream: &str) -> Cut {
    let upstream = upstream
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let (up, state) = tokio::sync::watch::channel(true);
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            if !*state.borrow() {
                drop(client);
                continue;
            }
            let (upstream, mut state) = (upstream.clone(), state.clone());
            tokio::spawn(async move {
                if let Ok(mut server) = tokio::net::TcpStream::connect(&upstream).await {
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                        _ = state.wait_for(|up| !*up) => {}
                    }
                }
            });
        }
    });
    Cut { endpoint, up }
}

#[tokio::test]
async fn with_s3_unreachable_cached_blobs_serve_uploads_fail_clearly_and_retries_succeed() {
    let Some(mut settings) = s3("outage") else {
        return;
    };
    let link = cut(settings.endpoint.as_deref().unwrap()).await;
    settings.endpoint = Some(link.endpoint.clone());
    let cache = tempfile::tempdir().unwrap();
    let store = S3Blobs::new(&settings, cache.path().to_owned())
        .await
        .unwrap();
    let cached = store
        .put(b"package judged before the outage".to_vec())
        .await
        .unwrap();

    link.set(false);
    // What this host has, it still serves: judging of cached packages goes on.
    let path = store.local_path(&cached).await.unwrap();
    assert_eq!(
        std::fs::read(path).unwrap(),
        b"package judged before the outage"
    );
    // What it lacks cannot be fetched, and an upload fails, saying why and where.
    let missing = hash_of(b"not here");
    assert!(matches!(
        store.local_path(&missing).await,
        Err(BlobError::Unavailable(_))
    ));
    let started = std::time::Instant::now();
    match store.put(b"uploaded during the outage".to_vec()).await {
        Err(BlobError::Unavailable(message)) => {
            assert!(
                message.contains(&store.key(&hash_of(b"uploaded during the outage"))),
                "{message}"
            );
        }
        other => panic!("an upload to an unreachable store: {other:?}"),
    }
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "an upload gives up within the retry budget"
    );

    // The service comes back while a request is being retried: the retry succeeds.
    let upload = {
        let bytes = b"uploaded across the outage's end".to_vec();
        let store = Arc::new(store);
        let task_store = store.clone();
        (
            store,
            tokio::spawn(async move { task_store.put(bytes).await }),
        )
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    link.set(true);
    let hash = upload.1.await.unwrap().unwrap();
    assert_eq!(hash, hash_of(b"uploaded across the outage's end"));
    let (status, stored) = curl_s3(
        &settings_without_cut(&settings),
        "GET",
        &upload.0.key(&hash),
        None,
    );
    assert_eq!(
        (status, stored),
        (200, b"uploaded across the outage's end".to_vec())
    );
}

/// The same settings, straight to the server.
fn settings_without_cut(settings: &S3Settings) -> S3Settings {
    let mut direct = settings.clone();
    direct.endpoint = std::env::var("CODEHUB_TEST_S3_URL").ok();
    direct
}
