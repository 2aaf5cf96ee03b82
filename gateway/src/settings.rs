//! What `codehub serve` runs with: one typed [`Settings`] tree, resolved once from
//! defaults, an optional TOML file (`--config`), the environment and the flags, in that
//! order of precedence (a flag beats its environment variable, which beats the file).
//!
//! Combinations that cannot work are unrepresentable: judging is either
//! [`Judging::Local`] or [`Judging::Remote`], and remote judging exists only inside
//! [`ClusterSettings`], so `serve` wires adapters by matching one tree, and every
//! inconsistency is refused here, with a message, before anything starts.
//!
//! ```toml
//! # codehub.toml: every key optional
//! listen = "0.0.0.0:8080"
//! data_dir = "/var/lib/codehub"
//! database_url = "postgres://codehub@db/codehub"
//! demo = false
//!
//! [auth]
//! jwt_secret = "…"          # default: generated once into the data dir
//! access_ttl_secs = 900
//!
//! [rate]
//! burst = 10
//! refill_secs = 6.0
//! run_burst = 5              # runs on samples or typed input (POST /api/runs)
//! run_refill_secs = 2.0
//!
//! [tls]                      # HTTPS (and wss://); both or neither
//! cert = "/etc/codehub/cert.pem"
//! key = "/etc/codehub/key.pem"
//!
//! public_url = "https://contest.example.org"   # how browsers reach it (sign-in redirects)
//! trusted_proxies = ["10.0.0.0/8"]   # whose X-Forwarded-*/Forwarded headers count
//! cors_origins = ["https://board.example.org"]   # other sites' pages that may call the API
//! redirect_http = "0.0.0.0:80"       # with [tls]: answer plain HTTP with a redirect
//!
//! [[oidc]]                   # a sign-in provider (OpenID Connect, found by discovery)
//! name = "uni"               # in URLs: /api/auth/oidc/uni/start
//! label = "University login" # on the sign-in button
//! issuer = "https://login.uni.example"
//! client_id = "codehub"
//! client_secret = "…"        # or CODEHUB_OIDC_UNI_CLIENT_SECRET
//!
//! [[oidc]]                   # GitHub (OAuth 2.0 and its user API)
//! name = "github"
//! preset = "github"
//! client_id = "…"
//! client_secret = "…"
//!
//! [blobs]                    # problem packages and avatars (default: <data_dir>/blobs)
//! url = "s3://codehub/blobs"  # any S3-compatible store, shared by every node and worker
//! endpoint = "http://seaweedfs:8333"   # default: AWS (or AWS_ENDPOINT_URL)
//! region = "us-east-1"        # default: the AWS chain (AWS_REGION, profile), then us-east-1
//! path_style = true           # most self-hosted stores need it
//! # credentials: the standard AWS chain (AWS_ACCESS_KEY_ID/…, profile, web identity,
//! # instance roles), or access_key_id + secret_access_key here
//!
//! [metrics]                  # Prometheus, at GET /metrics
//! enabled = true              # default; false records nothing
//! listen = "10.0.0.5:9464"    # also a listener of its own, /metrics only, no token
//! allow = ["10.0.0.0/8"]      # may scrape the main listener without a token
//!
//! [cluster]
//! redis_url = "redis://redis:6379"
//! node_id = "node-1"
//! lease_ms = 3000
//! remote_judges = true
//! worker_token = "…"
//! ```

use anyhow::{Context, bail};
use codehub_blobs::S3Settings;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Everything `serve` needs to start, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// Where the SQLite database, blobs and the token secret live.
    pub data_dir: PathBuf,
    /// `postgres://…` or `sqlite://…`; `None`: SQLite in the data dir.
    pub database_url: Option<String>,
    /// Seed the demo contest even if the store has users.
    pub demo: bool,
    /// Tokens.
    pub auth: AuthSettings,
    /// The per-user submission rate limit.
    pub rate: RateSettings,
    /// Cluster mode (`None`: this node is alone, fan-out in process).
    pub cluster: Option<ClusterSettings>,
    /// HTTPS (`None`: plain HTTP, e.g. behind a TLS proxy).
    pub tls: Option<TlsSettings>,
    /// The address browsers use (`https://host[:port]`); `None`: taken from each
    /// request's `Host`.
    pub public_url: Option<String>,
    /// Sign-in providers, in the order of the sign-in page.
    pub oidc: Vec<OidcProvider>,
    /// Networks of the reverse proxies whose `Forwarded`/`X-Forwarded-*` headers are
    /// believed (none: those headers are ignored).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Origins whose pages may call the API from a browser (CORS; none: off).
    pub cors_origins: Vec<String>,
    /// With TLS: a plain HTTP listener that redirects every request to HTTPS.
    pub redirect_http: Option<SocketAddr>,
    /// Blobs in S3 (`None`: in `<data_dir>/blobs`).
    pub s3: Option<S3Settings>,
    /// Prometheus metrics.
    pub metrics: MetricsSettings,
}

/// Prometheus metrics: on unless turned off; `/metrics` on the main listener for admins
/// and the allowed networks, and optionally on a listener of its own.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricsSettings {
    /// Record and serve metrics at all.
    pub enabled: bool,
    /// A separate listener serving only `/metrics`, to anyone who reaches it.
    pub listen: Option<SocketAddr>,
    /// Networks that may scrape the main listener's `/metrics` without a token.
    pub allow: Vec<ipnet::IpNet>,
}

/// A sign-in provider.
#[derive(Debug, Clone, PartialEq)]
pub struct OidcProvider {
    /// Its name in URLs and in linked identities (`[a-z0-9_-]`, 1-32).
    pub name: String,
    /// The sign-in button's text.
    pub label: String,
    /// How it signs in.
    pub kind: OidcKind,
    /// This server's client id there.
    pub client_id: String,
    /// This server's client secret there (`None`: a public client, PKCE alone).
    pub client_secret: Option<String>,
}

/// How a provider signs in.
#[derive(Debug, Clone, PartialEq)]
pub enum OidcKind {
    /// OpenID Connect: endpoints and keys by discovery under the issuer, an ID token.
    Oidc {
        /// The issuer URL (`{issuer}/.well-known/openid-configuration`).
        issuer: String,
    },
    /// GitHub: OAuth 2.0 and the user API (`id` is the subject).
    Github,
}

/// The certificate and key of HTTPS (PEM files; reloaded on SIGHUP or when they change).
#[derive(Debug, Clone, PartialEq)]
pub struct TlsSettings {
    /// Certificate chain, PEM.
    pub cert: PathBuf,
    /// Private key, PEM.
    pub key: PathBuf,
}

/// Token settings.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthSettings {
    /// Secret for signing tokens; `None`: generated once into the data dir.
    pub jwt_secret: Option<String>,
    /// Access-token lifetime.
    pub access_ttl: Duration,
}

/// The submission rate limit.
#[derive(Debug, Clone, PartialEq)]
pub struct RateSettings {
    /// Submissions a user may make in a burst (at least 1).
    pub burst: u32,
    /// Time to earn one more submission (positive).
    pub refill: Duration,
    /// Runs (`POST /api/runs`) a user may make in a burst (at least 1).
    pub run_burst: u32,
    /// Time to earn one more run (positive).
    pub run_refill: Duration,
}

/// Cluster mode: contests shared through Redis.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterSettings {
    /// `redis://host:port`.
    pub redis_url: String,
    /// This node's id in the cluster.
    pub node_id: String,
    /// How long a contest owner's lease lasts without renewal.
    pub lease: Duration,
    /// Who judges.
    pub judging: Judging,
}

/// Who judges this node's submissions.
#[derive(Debug, Clone, PartialEq)]
pub enum Judging {
    /// Sandboxes in this process.
    Local,
    /// `codehub judge-worker` processes through the Redis queue; they fetch packages
    /// with the shared token.
    Remote {
        /// The workers' shared secret.
        worker_token: String,
    },
}

impl Settings {
    /// How this node judges (local sandboxes unless a cluster says otherwise).
    pub fn judging(&self) -> &Judging {
        self.cluster
            .as_ref()
            .map_or(&Judging::Local, |c| &c.judging)
    }

    /// The worker token, when workers may fetch packages from this node.
    pub fn worker_token(&self) -> Option<&str> {
        match self.judging() {
            Judging::Remote { worker_token } => Some(worker_token),
            Judging::Local => None,
        }
    }
}

/// The settings file, as written (every key optional).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSettings {
    listen: Option<SocketAddr>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    demo: Option<bool>,
    #[serde(default)]
    auth: FileAuth,
    #[serde(default)]
    rate: FileRate,
    cluster: Option<FileCluster>,
    #[serde(default)]
    tls: FileTls,
    public_url: Option<String>,
    #[serde(default)]
    oidc: Vec<FileOidc>,
    #[serde(default)]
    trusted_proxies: Vec<String>,
    #[serde(default)]
    cors_origins: Vec<String>,
    redirect_http: Option<SocketAddr>,
    #[serde(default)]
    blobs: FileBlobs,
    #[serde(default)]
    metrics: FileMetrics,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileMetrics {
    enabled: Option<bool>,
    listen: Option<SocketAddr>,
    #[serde(default)]
    allow: Vec<String>,
}

/// The `[blobs]` table of a settings file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileBlobs {
    url: Option<String>,
    endpoint: Option<String>,
    region: Option<String>,
    path_style: Option<bool>,
    access_key_id: Option<String>,
    secret_access_key: Option<String>,
}

/// Where blobs are, as flags and environment give it (`codehub serve` and
/// `codehub judge-worker` share these).
#[derive(Debug, Default, Clone, clap::Args)]
pub struct BlobArgs {
    /// Keep problem packages and avatars in S3 (`s3://bucket/prefix`) instead of the data
    /// dir; every node and worker of a cluster then shares them through S3. Credentials:
    /// the standard AWS chain (`AWS_ACCESS_KEY_ID`, …, profiles, instance roles).
    #[arg(long, env = "CODEHUB_BLOBS", value_name = "S3_URL")]
    pub blobs: Option<String>,
    /// The S3 service's URL for S3-compatible stores (default: AWS, or `AWS_ENDPOINT_URL`).
    #[arg(long, env = "CODEHUB_S3_ENDPOINT", value_name = "URL")]
    pub s3_endpoint: Option<String>,
    /// The S3 region (default: `AWS_REGION`, the profile, then us-east-1).
    #[arg(long, env = "CODEHUB_S3_REGION")]
    pub s3_region: Option<String>,
    /// Path-style S3 addressing (`endpoint/bucket/key`), which most self-hosted stores
    /// need.
    #[arg(long, env = "CODEHUB_S3_PATH_STYLE")]
    pub s3_path_style: bool,
}

impl BlobArgs {
    /// The S3 settings these flags and the settings file's `[blobs]` give (flags win);
    /// `None`: blobs stay local.
    ///
    /// # Errors
    /// A bad `s3://` URL or endpoint, S3 options without a bucket, or half a key pair.
    pub fn resolve(self, file: FileBlobs) -> anyhow::Result<Option<S3Settings>> {
        let endpoint = self.s3_endpoint.or(file.endpoint);
        let region = self.s3_region.or(file.region);
        let path_style = self.s3_path_style || file.path_style.unwrap_or(false);
        let credentials = match (file.access_key_id, file.secret_access_key) {
            (Some(id), Some(secret)) => Some((id, secret)),
            (None, None) => None,
            _ => bail!("blobs.access_key_id and blobs.secret_access_key go together"),
        };
        let Some(url) = self.blobs.or(file.url) else {
            if endpoint.is_some() || region.is_some() || path_style || credentials.is_some() {
                bail!(
                    "S3 options are set but no bucket: give --blobs s3://bucket/prefix \
                     (CODEHUB_BLOBS, blobs.url)"
                );
            }
            return Ok(None);
        };
        let mut s3 = S3Settings::from_url(&url)
            .map_err(|e| anyhow::anyhow!("--blobs (CODEHUB_BLOBS, blobs.url): {e}"))?;
        if let Some(e) = &endpoint
            && !(e.starts_with("https://") || e.starts_with("http://"))
        {
            bail!("the S3 endpoint (--s3-endpoint, blobs.endpoint) `{e}` is not an http(s) URL");
        }
        s3.endpoint = endpoint;
        s3.region = region;
        s3.path_style = path_style;
        s3.credentials = credentials;
        Ok(Some(s3))
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileOidc {
    name: String,
    label: Option<String>,
    issuer: Option<String>,
    preset: Option<String>,
    client_id: String,
    client_secret: Option<String>,
}

impl FileOidc {
    /// Checks one provider's entry; the secret may come from
    /// `CODEHUB_OIDC_<NAME>_CLIENT_SECRET`.
    fn resolve(self) -> anyhow::Result<OidcProvider> {
        let name_ok = (1..=32).contains(&self.name.len())
            && self
                .name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_-".contains(c));
        if !name_ok {
            bail!(
                "oidc provider name `{}` must be 1-32 characters of a-z, 0-9, `_` or `-`",
                self.name
            );
        }
        let name = self.name;
        if self.client_id.is_empty() {
            bail!("oidc provider `{name}` needs a client_id");
        }
        let env = format!(
            "CODEHUB_OIDC_{}_CLIENT_SECRET",
            name.to_ascii_uppercase().replace('-', "_")
        );
        let client_secret = std::env::var(&env).ok().or(self.client_secret);
        let kind = match (self.issuer, self.preset.as_deref()) {
            (Some(issuer), None) => {
                if !(issuer.starts_with("https://") || issuer.starts_with("http://")) {
                    bail!("oidc provider `{name}`: the issuer `{issuer}` is not an http(s) URL");
                }
                OidcKind::Oidc { issuer }
            }
            (None, Some("github")) => {
                if client_secret.is_none() {
                    bail!("oidc provider `{name}` (GitHub) needs a client_secret (or {env})");
                }
                OidcKind::Github
            }
            (None, Some(other)) => {
                bail!("oidc provider `{name}`: unknown preset `{other}` (known: github)")
            }
            (Some(_), Some(_)) => {
                bail!("oidc provider `{name}`: give an issuer or a preset, not both")
            }
            (None, None) => {
                bail!("oidc provider `{name}` needs an issuer (or preset = \"github\")")
            }
        };
        Ok(OidcProvider {
            label: self.label.unwrap_or_else(|| match kind {
                OidcKind::Github => "GitHub".to_owned(),
                OidcKind::Oidc { .. } => name.clone(),
            }),
            name,
            kind,
            client_id: self.client_id,
            client_secret,
        })
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileTls {
    cert: Option<PathBuf>,
    key: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileAuth {
    jwt_secret: Option<String>,
    access_ttl_secs: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileRate {
    burst: Option<u32>,
    refill_secs: Option<f64>,
    run_burst: Option<u32>,
    run_refill_secs: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileCluster {
    redis_url: Option<String>,
    node_id: Option<String>,
    lease_ms: Option<u64>,
    remote_judges: Option<bool>,
    worker_token: Option<String>,
}

impl FileSettings {
    /// Reads and parses a settings file.
    ///
    /// # Errors
    /// An unreadable file, or TOML that is not a settings file (the message names the
    /// key and line).
    pub fn read(path: &Path) -> anyhow::Result<FileSettings> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the settings file {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("in the settings file {}", path.display()))
    }
}

/// What the environment and the command line gave (`None`: not given). Clap fills it,
/// so a flag already beats its environment variable.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    /// `--listen` / `CODEHUB_LISTEN`.
    pub listen: Option<SocketAddr>,
    /// `--data-dir` / `CODEHUB_DATA_DIR`.
    pub data_dir: Option<PathBuf>,
    /// `--database-url` / `DATABASE_URL`.
    pub database_url: Option<String>,
    /// `--demo`.
    pub demo: bool,
    /// `--jwt-secret` / `CODEHUB_JWT_SECRET`.
    pub jwt_secret: Option<String>,
    /// `--access-ttl` (seconds).
    pub access_ttl_secs: Option<u64>,
    /// `--rate-burst`.
    pub rate_burst: Option<u32>,
    /// `--rate-refill` (seconds).
    pub rate_refill_secs: Option<f64>,
    /// `--run-rate-burst`.
    pub run_rate_burst: Option<u32>,
    /// `--run-rate-refill` (seconds).
    pub run_rate_refill_secs: Option<f64>,
    /// `--redis-url` / `REDIS_URL`.
    pub redis_url: Option<String>,
    /// `--node-id` / `CODEHUB_NODE_ID`.
    pub node_id: Option<String>,
    /// `--lease-ms` / `CODEHUB_LEASE_MS`.
    pub lease_ms: Option<u64>,
    /// `--remote-judges` / `CODEHUB_REMOTE_JUDGES`.
    pub remote_judges: bool,
    /// `--worker-token` / `CODEHUB_WORKER_TOKEN`.
    pub worker_token: Option<String>,
    /// `--tls-cert` / `CODEHUB_TLS_CERT`.
    pub tls_cert: Option<PathBuf>,
    /// `--tls-key` / `CODEHUB_TLS_KEY`.
    pub tls_key: Option<PathBuf>,
    /// `--public-url` / `CODEHUB_PUBLIC_URL`.
    pub public_url: Option<String>,
    /// `--trusted-proxy` (repeatable) / `CODEHUB_TRUSTED_PROXIES` (comma-separated).
    pub trusted_proxies: Vec<String>,
    /// `--cors-origin` (repeatable) / `CODEHUB_CORS_ORIGINS` (comma-separated).
    pub cors_origins: Vec<String>,
    /// `--redirect-http` / `CODEHUB_REDIRECT_HTTP`.
    pub redirect_http: Option<SocketAddr>,
    /// `--blobs`, `--s3-*` / `CODEHUB_BLOBS`, `CODEHUB_S3_*`.
    pub blobs: BlobArgs,
    /// `--no-metrics`.
    pub no_metrics: bool,
    /// `--metrics-listen` / `CODEHUB_METRICS_LISTEN`.
    pub metrics_listen: Option<SocketAddr>,
    /// `--metrics-allow` (repeatable) / `CODEHUB_METRICS_ALLOW` (comma-separated).
    pub metrics_allow: Vec<String>,
}

/// Parses addresses or networks (`10.0.0.0/8`, `::1`); `what` and `keys` name them in
/// the error.
fn networks(list: &[String], what: &str, keys: &str) -> anyhow::Result<Vec<ipnet::IpNet>> {
    list.iter()
        .map(|p| {
            p.parse::<ipnet::IpNet>()
                .or_else(|_| p.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| {
                    anyhow::anyhow!(
                        "{what} `{p}` ({keys}) is not an address or a network like 10.0.0.0/8"
                    )
                })
        })
        .collect()
}

/// Refuses a secret anyone could guess: shorter than `min` characters, or a placeholder
/// left from an example file (`change-me`, `replace…`).
fn check_secret(secret: &str, min: usize, what: &str) -> anyhow::Result<()> {
    let lower = secret.to_ascii_lowercase();
    if lower.contains("change-me") || lower.contains("changeme") || lower.starts_with("replace") {
        bail!("{what} is an example placeholder; set a random one (`openssl rand -hex 32`)");
    }
    if secret.chars().count() < min {
        bail!("{what} must be at least {min} characters (`openssl rand -hex 32` makes one)");
    }
    Ok(())
}

/// Defaults of the embedded setup.
const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
const DEFAULT_ACCESS_TTL_SECS: u64 = 900;
const DEFAULT_BURST: u32 = 10;
const DEFAULT_REFILL_SECS: f64 = 6.0;
const DEFAULT_RUN_BURST: u32 = 5;
const DEFAULT_RUN_REFILL_SECS: f64 = 2.0;
const DEFAULT_LEASE_MS: u64 = 3_000;

impl Settings {
    /// Resolves the settings: `over` (flags, environment) beats `file`, which beats the
    /// defaults.
    ///
    /// # Errors
    /// Values that cannot work together or at all, each named with the flag and the
    /// file key that set it.
    pub fn resolve(file: FileSettings, over: Overrides) -> anyhow::Result<Settings> {
        let burst = over.rate_burst.or(file.rate.burst).unwrap_or(DEFAULT_BURST);
        if burst == 0 {
            bail!("the rate burst (--rate-burst, rate.burst) must be at least 1");
        }
        let refill = over
            .rate_refill_secs
            .or(file.rate.refill_secs)
            .unwrap_or(DEFAULT_REFILL_SECS);
        if !(refill.is_finite() && refill > 0.0) {
            bail!(
                "the rate refill (--rate-refill, rate.refill_secs) must be a positive number of seconds"
            );
        }
        let run_burst = over
            .run_rate_burst
            .or(file.rate.run_burst)
            .unwrap_or(DEFAULT_RUN_BURST);
        if run_burst == 0 {
            bail!("the run rate burst (--run-rate-burst, rate.run_burst) must be at least 1");
        }
        let run_refill = over
            .run_rate_refill_secs
            .or(file.rate.run_refill_secs)
            .unwrap_or(DEFAULT_RUN_REFILL_SECS);
        if !(run_refill.is_finite() && run_refill > 0.0) {
            bail!(
                "the run rate refill (--run-rate-refill, rate.run_refill_secs) must be a positive number of seconds"
            );
        }
        let access_ttl_secs = over
            .access_ttl_secs
            .or(file.auth.access_ttl_secs)
            .unwrap_or(DEFAULT_ACCESS_TTL_SECS);
        if access_ttl_secs == 0 {
            bail!(
                "the access-token lifetime (--access-ttl, auth.access_ttl_secs) must be positive"
            );
        }
        let tls = match (
            over.tls_cert.or(file.tls.cert),
            over.tls_key.or(file.tls.key),
        ) {
            (Some(cert), Some(key)) => Some(TlsSettings { cert, key }),
            (None, None) => None,
            (Some(_), None) => bail!("HTTPS needs the key too (--tls-key, tls.key)"),
            (None, Some(_)) => bail!("HTTPS needs the certificate too (--tls-cert, tls.cert)"),
        };
        let jwt_secret = over.jwt_secret.or(file.auth.jwt_secret);
        if let Some(secret) = &jwt_secret {
            check_secret(
                secret,
                32,
                "the token-signing secret (--jwt-secret, CODEHUB_JWT_SECRET, auth.jwt_secret)",
            )?;
        }
        let mut oidc: Vec<OidcProvider> = Vec::new();
        for entry in file.oidc {
            let provider = entry.resolve()?;
            if oidc.iter().any(|p| p.name == provider.name) {
                bail!("oidc provider `{}` is configured twice", provider.name);
            }
            oidc.push(provider);
        }
        let public_url = over.public_url.or(file.public_url);
        if let Some(url) = &public_url
            && !(url.starts_with("https://") || url.starts_with("http://"))
        {
            bail!("the public URL (--public-url, public_url) `{url}` is not an http(s) URL");
        }
        let public_url = public_url.map(|u| u.trim_end_matches('/').to_owned());
        let proxies = if over.trusted_proxies.is_empty() {
            file.trusted_proxies
        } else {
            over.trusted_proxies
        };
        let trusted_proxies = networks(
            &proxies,
            "trusted proxy",
            "--trusted-proxy, trusted_proxies",
        )?;
        let metrics_allow = if over.metrics_allow.is_empty() {
            file.metrics.allow
        } else {
            over.metrics_allow
        };
        let metrics = MetricsSettings {
            enabled: !over.no_metrics && file.metrics.enabled.unwrap_or(true),
            listen: over.metrics_listen.or(file.metrics.listen),
            allow: networks(
                &metrics_allow,
                "metrics network",
                "--metrics-allow, metrics.allow",
            )?,
        };
        let cors_origins = if over.cors_origins.is_empty() {
            file.cors_origins
        } else {
            over.cors_origins
        };
        for origin in &cors_origins {
            let ok = (origin.starts_with("https://") || origin.starts_with("http://"))
                && !origin.ends_with('/')
                && origin.matches('/').count() == 2;
            if !ok {
                bail!(
                    "CORS origin `{origin}` (--cors-origin, cors_origins) must be a scheme and \
                     host like https://board.example.org (no path, no trailing slash)"
                );
            }
        }
        let redirect_http = over.redirect_http.or(file.redirect_http);
        if redirect_http.is_some() && tls.is_none() {
            bail!(
                "the HTTP redirect (--redirect-http, redirect_http) needs HTTPS (--tls-cert, --tls-key)"
            );
        }
        let s3 = over.blobs.resolve(file.blobs)?;
        let file_cluster = file.cluster.unwrap_or_default();
        let redis_url = over.redis_url.or(file_cluster.redis_url);
        let remote = over.remote_judges || file_cluster.remote_judges.unwrap_or(false);
        let worker_token = over.worker_token.or(file_cluster.worker_token);
        let cluster = match redis_url {
            None if remote => bail!(
                "remote judges (--remote-judges, cluster.remote_judges) need Redis \
                 (--redis-url, REDIS_URL or cluster.redis_url)"
            ),
            None => None,
            Some(redis_url) => {
                let lease_ms = over
                    .lease_ms
                    .or(file_cluster.lease_ms)
                    .unwrap_or(DEFAULT_LEASE_MS);
                if lease_ms < 100 {
                    bail!("the lease (--lease-ms, cluster.lease_ms) must be at least 100 ms");
                }
                let judging = match (remote, worker_token) {
                    (false, _) => Judging::Local,
                    (true, Some(worker_token)) if !worker_token.is_empty() => {
                        check_secret(
                            &worker_token,
                            16,
                            "the workers' shared secret (--worker-token, CODEHUB_WORKER_TOKEN, cluster.worker_token)",
                        )?;
                        Judging::Remote { worker_token }
                    }
                    (true, _) => bail!(
                        "remote judges need the workers' shared secret (--worker-token, \
                         CODEHUB_WORKER_TOKEN or cluster.worker_token)"
                    ),
                };
                Some(ClusterSettings {
                    redis_url,
                    node_id: over
                        .node_id
                        .or(file_cluster.node_id)
                        .unwrap_or_else(|| codehub_cluster::default_member_name("node")),
                    lease: Duration::from_millis(lease_ms),
                    judging,
                })
            }
        };
        Ok(Settings {
            listen: over
                .listen
                .or(file.listen)
                .unwrap_or_else(|| DEFAULT_LISTEN.parse().expect("a valid address")),
            data_dir: over
                .data_dir
                .or(file.data_dir)
                .unwrap_or_else(|| PathBuf::from("./data")),
            database_url: over.database_url.or(file.database_url),
            demo: over.demo || file.demo.unwrap_or(false),
            auth: AuthSettings {
                jwt_secret,
                access_ttl: Duration::from_secs(access_ttl_secs),
            },
            rate: RateSettings {
                burst,
                refill: Duration::from_secs_f64(refill),
                run_burst,
                run_refill: Duration::from_secs_f64(run_refill),
            },
            cluster,
            tls,
            public_url,
            oidc,
            trusted_proxies,
            cors_origins,
            redirect_http,
            s3,
            metrics,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> FileSettings {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn sign_in_providers_are_checked() {
        let f = file(
            r#"
            public_url = "https://contest.example.org/"
            [[oidc]]
            name = "uni"
            label = "University"
            issuer = "https://login.uni.example"
            client_id = "codehub"
            [[oidc]]
            name = "github"
            preset = "github"
            client_id = "gh"
            client_secret = "s"
            "#,
        );
        let s = Settings::resolve(f, Overrides::default()).unwrap();
        assert_eq!(s.public_url.as_deref(), Some("https://contest.example.org"));
        assert_eq!(s.oidc.len(), 2);
        assert_eq!(
            s.oidc[0].kind,
            OidcKind::Oidc {
                issuer: "https://login.uni.example".into()
            }
        );
        assert_eq!(
            (s.oidc[1].kind.clone(), s.oidc[1].label.as_str()),
            (OidcKind::Github, "GitHub")
        );
        for (text, needle) in [
            (
                "name = \"Bad Name\"\nissuer = \"https://x\"\nclient_id = \"c\"",
                "must be 1-32",
            ),
            ("name = \"a\"\nclient_id = \"c\"", "needs an issuer"),
            (
                "name = \"a\"\nissuer = \"ftp://x\"\nclient_id = \"c\"",
                "not an http(s) URL",
            ),
            (
                "name = \"a\"\npreset = \"gitlab\"\nclient_id = \"c\"",
                "unknown preset",
            ),
            (
                "name = \"a\"\npreset = \"github\"\nclient_id = \"c\"",
                "needs a client_secret",
            ),
            (
                "name = \"a\"\nissuer = \"https://x\"\nclient_id = \"\"",
                "needs a client_id",
            ),
        ] {
            let err = Settings::resolve(file(&format!("[[oidc]]\n{text}")), Overrides::default())
                .unwrap_err();
            assert!(err.to_string().contains(needle), "{text}: {err}");
        }
        let twice = "[[oidc]]\nname = \"a\"\nissuer = \"https://x\"\nclient_id = \"c\"\n";
        let err =
            Settings::resolve(file(&format!("{twice}{twice}")), Overrides::default()).unwrap_err();
        assert!(err.to_string().contains("configured twice"), "{err}");
    }

    #[test]
    fn proxies_origins_and_the_redirect_are_checked() {
        let s = Settings::resolve(
            file("trusted_proxies = [\"10.0.0.0/8\", \"192.0.2.7\"]\ncors_origins = [\"https://a.example\"]"),
            Overrides::default(),
        )
        .unwrap();
        assert_eq!(s.trusted_proxies.len(), 2);
        assert!(s.trusted_proxies[1].contains(&"192.0.2.7".parse::<std::net::IpAddr>().unwrap()));
        for (text, needle) in [
            ("trusted_proxies = [\"proxy.local\"]", "is not an address"),
            (
                "cors_origins = [\"https://a.example/\"]",
                "no trailing slash",
            ),
            ("cors_origins = [\"*\"]", "must be a scheme"),
            ("redirect_http = \"0.0.0.0:80\"", "needs HTTPS"),
        ] {
            let err = Settings::resolve(file(text), Overrides::default()).unwrap_err();
            assert!(err.to_string().contains(needle), "{text}: {err}");
        }
    }

    #[test]
    fn blobs_in_s3_are_configured_by_url_flags_and_file() {
        let f = file(
            r#"
            [blobs]
            url = "s3://contest-data/codehub/"
            endpoint = "http://127.0.0.1:8333"
            path_style = true
            access_key_id = "k"
            secret_access_key = "s"
            "#,
        );
        let s = Settings::resolve(f, Overrides::default()).unwrap();
        let s3 = s.s3.unwrap();
        assert_eq!(
            (s3.bucket.as_str(), s3.prefix.as_str()),
            ("contest-data", "codehub/")
        );
        assert_eq!(s3.endpoint.as_deref(), Some("http://127.0.0.1:8333"));
        assert!(s3.path_style);
        assert_eq!(s3.credentials, Some(("k".into(), "s".into())));
        // A flag beats the file; nothing set keeps blobs local.
        let over = Overrides {
            blobs: BlobArgs {
                blobs: Some("s3://other".into()),
                ..BlobArgs::default()
            },
            ..Overrides::default()
        };
        let s3 = Settings::resolve(file("[blobs]\nurl = \"s3://contest-data\""), over)
            .unwrap()
            .s3
            .unwrap();
        assert_eq!((s3.bucket.as_str(), s3.prefix.as_str()), ("other", ""));
        assert_eq!(
            Settings::resolve(file(""), Overrides::default())
                .unwrap()
                .s3,
            None
        );
        for (text, needle) in [
            ("url = \"https://bucket\"", "not an s3://"),
            ("url = \"s3://Bad_Bucket\"", "not an S3 bucket name"),
            ("url = \"s3://ok-bucket/../x\"", "may not hold"),
            ("endpoint = \"http://x\"", "no bucket"),
            (
                "url = \"s3://ok-bucket\"\nendpoint = \"x:1\"",
                "not an http(s) URL",
            ),
            (
                "url = \"s3://ok-bucket\"\naccess_key_id = \"k\"",
                "go together",
            ),
        ] {
            let err = Settings::resolve(file(&format!("[blobs]\n{text}")), Overrides::default())
                .unwrap_err();
            assert!(format!("{err:#}").contains(needle), "{text}: {err:#}");
        }
    }

    #[test]
    fn guessable_secrets_are_refused() {
        for (secret, needle) in [
            ("change-me-too", "placeholder"),
            ("replace-with-openssl-rand-hex-32", "placeholder"),
            ("short", "at least 32"),
        ] {
            let over = Overrides {
                jwt_secret: Some(secret.into()),
                ..Overrides::default()
            };
            let err = Settings::resolve(FileSettings::default(), over).unwrap_err();
            assert!(err.to_string().contains(needle), "{secret}: {err}");
        }
        let over = Overrides {
            redis_url: Some("redis://r".into()),
            remote_judges: true,
            worker_token: Some("tiny".into()),
            ..Overrides::default()
        };
        let err = Settings::resolve(FileSettings::default(), over).unwrap_err();
        assert!(err.to_string().contains("at least 16"), "{err}");
    }

    #[test]
    fn defaults_are_the_embedded_setup() {
        let s = Settings::resolve(FileSettings::default(), Overrides::default()).unwrap();
        assert_eq!(s.listen, "127.0.0.1:8080".parse().unwrap());
        assert_eq!(s.data_dir, PathBuf::from("./data"));
        assert_eq!(s.database_url, None);
        assert_eq!(s.cluster, None);
        assert_eq!(s.judging(), &Judging::Local);
        assert_eq!(s.rate.burst, 10);
        assert_eq!(s.auth.access_ttl, Duration::from_secs(900));
    }

    #[test]
    fn flags_beat_the_file_which_beats_the_defaults() {
        let f = file(
            r#"
            listen = "0.0.0.0:9000"
            data_dir = "/srv/codehub"
            [rate]
            burst = 3
            [cluster]
            redis_url = "redis://file:6379"
            node_id = "from-file"
            "#,
        );
        let over = Overrides {
            listen: Some("127.0.0.1:7000".parse().unwrap()),
            redis_url: Some("redis://flag:6379".into()),
            ..Overrides::default()
        };
        let s = Settings::resolve(f, over).unwrap();
        assert_eq!(s.listen, "127.0.0.1:7000".parse().unwrap());
        assert_eq!(s.data_dir, PathBuf::from("/srv/codehub"));
        assert_eq!(s.rate.burst, 3);
        let c = s.cluster.unwrap();
        assert_eq!(
            (c.redis_url.as_str(), c.node_id.as_str()),
            ("redis://flag:6379", "from-file")
        );
        assert_eq!(c.lease, Duration::from_millis(3_000));
        assert_eq!(c.judging, Judging::Local);
    }

    #[test]
    fn remote_judging_needs_redis_and_a_worker_token() {
        let over = Overrides {
            remote_judges: true,
            ..Overrides::default()
        };
        let err = Settings::resolve(FileSettings::default(), over.clone()).unwrap_err();
        assert!(err.to_string().contains("need Redis"), "{err}");
        let over = Overrides {
            redis_url: Some("redis://r".into()),
            ..over
        };
        let err = Settings::resolve(FileSettings::default(), over.clone()).unwrap_err();
        assert!(err.to_string().contains("shared secret"), "{err}");
        let s = Settings::resolve(
            file("[cluster]\nworker_token = \"a-long-enough-token\""),
            over,
        )
        .unwrap();
        assert_eq!(s.worker_token(), Some("a-long-enough-token"));
    }

    #[test]
    fn impossible_values_and_unknown_keys_are_refused() {
        for bad in [
            "[rate]\nburst = 0",
            "[rate]\nrefill_secs = -1.0",
            "[auth]\naccess_ttl_secs = 0",
        ] {
            assert!(
                Settings::resolve(file(bad), Overrides::default()).is_err(),
                "{bad}"
            );
        }
        let err = toml::from_str::<FileSettings>("[rate]\nbrust = 3").unwrap_err();
        assert!(err.to_string().contains("brust"), "{err}");
    }
}
