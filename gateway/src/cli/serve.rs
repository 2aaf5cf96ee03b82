//! `codehub serve`: the contest server on embedded defaults (SQLite in the data dir,
//! in-process fan-out, native sandbox, local blobs), or PostgreSQL with `DATABASE_URL`.

use super::{SandboxArgs, with_sandboxes};
use crate::app::{AppInner, AppState};
use crate::auth::AuthKeys;
use crate::routes::app as router;
use crate::settings::{BlobArgs, FileSettings, Judging, Overrides, Settings};
use anyhow::Context;
use codehub_blobs::{LocalBlobs, S3Blobs};
use codehub_cluster::contests::{ClusterPort, RedisCluster};
use codehub_cluster::limits::SharedRateLimit;
use codehub_cluster::relay::Relay;
use codehub_engine::actors::user::RateLimit;
use codehub_engine::actors::{ClusterHooks, Engine, EngineConfig};
use codehub_engine::ports::blobs::BlobStore;
use codehub_engine::ports::judging::JudgeService;
use codehub_judge::judge::Judge;
use codehub_judge::service::SandboxedJudge;
use codehub_store::SqlStore;
use rand::RngCore;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

/// Arguments of `codehub serve`. Every setting can also come from the settings file
/// (`--config`); a flag or its environment variable beats the file (see
/// [`crate::settings`]).
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// A TOML settings file (see the `settings` module docs; flags and environment win).
    #[arg(long, env = "CODEHUB_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,
    /// Address to listen on (port 0 picks a free port; the address is printed) [default:
    /// 127.0.0.1:8080].
    #[arg(long, env = "CODEHUB_LISTEN")]
    listen: Option<SocketAddr>,
    /// Where the SQLite database, blobs and the token secret live [default: ./data].
    #[arg(long, env = "CODEHUB_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// `postgres://…` or `sqlite://…` (default: SQLite in the data dir).
    #[arg(long, env = "DATABASE_URL")]
    database_url: Option<String>,
    /// Create the demo contest (also done on first start with an empty store).
    #[arg(long)]
    demo: bool,
    /// Secret for signing tokens (default: generated once into the data dir).
    #[arg(long, env = "CODEHUB_JWT_SECRET", hide_env_values = true)]
    jwt_secret: Option<String>,
    /// Access-token lifetime, seconds [default: 900].
    #[arg(long)]
    access_ttl: Option<u64>,
    /// Submissions a user may make in a burst [default: 10].
    #[arg(long)]
    rate_burst: Option<u32>,
    /// Seconds to earn one more submission [default: 6].
    #[arg(long)]
    rate_refill: Option<f64>,
    /// Runs on samples or typed input a user may make in a burst [default: 5].
    #[arg(long)]
    run_rate_burst: Option<u32>,
    /// Seconds to earn one more run [default: 2].
    #[arg(long)]
    run_rate_refill: Option<f64>,
    /// Redis for cluster mode (`redis://host:port`): the judge queue and readiness.
    #[arg(long, env = "REDIS_URL")]
    redis_url: Option<String>,
    /// This node's id in the cluster (default: host name and pid).
    #[arg(long, env = "CODEHUB_NODE_ID")]
    node_id: Option<String>,
    /// Judge on `codehub judge-worker` processes through Redis instead of in this process
    /// (needs Redis and the worker token).
    #[arg(long, env = "CODEHUB_REMOTE_JUDGES")]
    remote_judges: bool,
    /// Milliseconds a contest owner's lease lasts without renewal (cluster mode): the
    /// longest a contest waits for a new owner after its owner died [default: 3000].
    #[arg(long, env = "CODEHUB_LEASE_MS")]
    lease_ms: Option<u64>,
    /// Shared secret of the judge workers (they fetch packages with it).
    #[arg(long, env = "CODEHUB_WORKER_TOKEN", hide_env_values = true)]
    worker_token: Option<String>,
    /// Serve HTTPS (and wss://) with this certificate chain (PEM); reloaded on SIGHUP or
    /// when the file changes.
    #[arg(long, env = "CODEHUB_TLS_CERT", value_name = "FILE")]
    tls_cert: Option<PathBuf>,
    /// The certificate's private key (PEM).
    #[arg(long, env = "CODEHUB_TLS_KEY", value_name = "FILE")]
    tls_key: Option<PathBuf>,
    /// The address browsers use (`https://contest.example.org`), for sign-in redirects;
    /// default: each request's `Host`.
    #[arg(long, env = "CODEHUB_PUBLIC_URL", value_name = "URL")]
    public_url: Option<String>,
    /// A reverse proxy (address or network) whose `Forwarded`/`X-Forwarded-*` headers are
    /// believed; repeat for several.
    #[arg(
        long = "trusted-proxy",
        env = "CODEHUB_TRUSTED_PROXIES",
        value_delimiter = ',',
        value_name = "NET"
    )]
    trusted_proxies: Vec<String>,
    /// An origin whose pages may call the API from a browser (CORS); repeat for several.
    #[arg(
        long = "cors-origin",
        env = "CODEHUB_CORS_ORIGINS",
        value_delimiter = ',',
        value_name = "ORIGIN"
    )]
    cors_origins: Vec<String>,
    /// With HTTPS: also listen for plain HTTP here and redirect it to HTTPS.
    #[arg(long, env = "CODEHUB_REDIRECT_HTTP", value_name = "ADDR")]
    redirect_http: Option<SocketAddr>,
    #[command(flatten)]
    blobs: BlobArgs,
    /// Record no metrics and serve no `/metrics`.
    #[arg(long)]
    no_metrics: bool,
    /// Also serve `/metrics` (only) on this address, to anyone who reaches it: bind it to
    /// a private network (port 0 picks a free port; the address is printed).
    #[arg(long, env = "CODEHUB_METRICS_LISTEN", value_name = "ADDR")]
    metrics_listen: Option<SocketAddr>,
    /// A network (or address) that may scrape `/metrics` on the main listener without an
    /// admin's token; repeat for several.
    #[arg(
        long = "metrics-allow",
        env = "CODEHUB_METRICS_ALLOW",
        value_delimiter = ',',
        value_name = "NET"
    )]
    metrics_allow: Vec<String>,
    #[command(flatten)]
    sandbox: SandboxArgs,
}

impl ServeArgs {
    /// The settings: these flags over the file over the defaults.
    fn settings(&self) -> anyhow::Result<Settings> {
        let file = match &self.config {
            Some(path) => FileSettings::read(path)?,
            None => FileSettings::default(),
        };
        Settings::resolve(
            file,
            Overrides {
                listen: self.listen,
                data_dir: self.data_dir.clone(),
                database_url: self.database_url.clone(),
                demo: self.demo,
                jwt_secret: self.jwt_secret.clone(),
                access_ttl_secs: self.access_ttl,
                rate_burst: self.rate_burst,
                rate_refill_secs: self.rate_refill,
                run_rate_burst: self.run_rate_burst,
                run_rate_refill_secs: self.run_rate_refill,
                redis_url: self.redis_url.clone(),
                node_id: self.node_id.clone(),
                lease_ms: self.lease_ms,
                remote_judges: self.remote_judges,
                worker_token: self.worker_token.clone(),
                tls_cert: self.tls_cert.clone(),
                tls_key: self.tls_key.clone(),
                public_url: self.public_url.clone(),
                trusted_proxies: self.trusted_proxies.clone(),
                cors_origins: self.cors_origins.clone(),
                redirect_http: self.redirect_http,
                blobs: self.blobs.clone(),
                no_metrics: self.no_metrics,
                metrics_listen: self.metrics_listen,
                metrics_allow: self.metrics_allow.clone(),
            },
        )
    }
}

fn secret(settings: &Settings, data_dir: &Path) -> anyhow::Result<Vec<u8>> {
    if let Some(s) = &settings.auth.jwt_secret {
        return Ok(s.as_bytes().to_vec());
    }
    let path = data_dir.join("jwt.secret");
    if let Ok(s) = std::fs::read(&path) {
        return Ok(s);
    }
    let mut raw = [0u8; 32];
    rand::rng().fill_bytes(&mut raw);
    let s = hex::encode(raw).into_bytes();
    write_private(&path, &s).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(s)
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    std::io::Write::write_all(&mut f, bytes)?;
    f.sync_all()
}

/// Lifts the soft open-files limit to the hard one: every WebSocket is a descriptor.
fn raise_fd_limit() {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: valid out-pointer; setrlimit only raises the soft limit to the hard one.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) == 0 && lim.rlim_cur < lim.rlim_max {
            lim.rlim_cur = lim.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
        }
    }
}

async fn shutdown_signal() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = async { match term.as_mut() { Some(t) => { t.recv().await; } None => std::future::pending().await } } => {}
    }
}

/// Runs the server until SIGINT/SIGTERM.
pub async fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    crate::telemetry::init("codehub");
    let settings = args.settings()?;
    raise_fd_limit();
    // Before anything records: the recorder must be in place first.
    let metrics = settings
        .metrics
        .enabled
        .then(|| crate::metrics::Metrics::install(settings.metrics.allow.clone()));
    if let (Some(metrics), Some(addr)) = (&metrics, settings.metrics.listen) {
        let bound = crate::metrics::spawn_listener(metrics.clone(), addr).await?;
        println!("codehub: metrics on http://{bound}/metrics");
    }
    std::fs::create_dir_all(&settings.data_dir)
        .with_context(|| format!("cannot create data dir {}", settings.data_dir.display()))?;
    let data_dir = settings.data_dir.canonicalize()?;
    let url = settings.database_url.clone().unwrap_or_else(|| {
        format!(
            "sqlite://{}?mode=rwc",
            data_dir.join("codehub.db").display()
        )
    });
    let store = Arc::new(
        SqlStore::connect(&url)
            .await
            .with_context(|| "cannot open the database")?,
    );
    let blobs: Arc<dyn BlobStore> = match &settings.s3 {
        None => Arc::new(LocalBlobs::new(data_dir.join("blobs"))?),
        Some(s3) => {
            let cache = data_dir.join("blob-cache");
            let blobs = S3Blobs::new(s3, cache.clone())
                .await
                .with_context(|| format!("cannot create the blob cache {}", cache.display()))?;
            tracing::info!(url = %s3.url(), "blobs in S3");
            Arc::new(blobs)
        }
    };
    let rate = RateLimit {
        burst: settings.rate.burst,
        refill_seconds: settings.rate.refill.as_secs_f64(),
    };
    // The adapters of the cluster, when there is one.
    let cluster = match &settings.cluster {
        None => None,
        Some(c) => {
            let redis = codehub_cluster::connect(&c.redis_url).await?;
            let cluster = RedisCluster::new(
                redis.clone(),
                &c.redis_url,
                &c.node_id,
                store.clone(),
                c.lease,
            )?;
            Some((c, redis, cluster))
        }
    };
    // Who judges: a node judging remotely needs no sandbox (nor root, nor cgroups).
    let (judge, judges, languages): (Arc<dyn JudgeService>, usize, _) =
        match (settings.judging(), &cluster) {
            (Judging::Remote { .. }, Some((c, _, _))) => {
                println!("codehub: judging through Redis as node `{}`", c.node_id);
                let judge =
                    codehub_cluster::queue::RedisJudge::start(&c.redis_url, &c.node_id).await?;
                // Jobs in flight at once (the workers bound the real parallelism).
                (judge, 64, Arc::new(args.sandbox.language_table()?))
            }
            (Judging::Remote { .. }, None) => unreachable!("remote judging is a cluster setting"),
            (Judging::Local, _) => {
                let (backend, languages) = args.sandbox.backend().await?;
                let languages = Arc::new(languages);
                let judge: Arc<dyn JudgeService> = with_sandboxes!(backend, |s, v| {
                    Arc::new(SandboxedJudge::new(
                        Judge::new(s, v, languages.clone()),
                        blobs.clone(),
                    ))
                });
                (judge, args.sandbox.parallelism(), languages)
            }
        };
    let mut config = EngineConfig {
        judges,
        rate,
        ..EngineConfig::default()
    };
    if let Some((_, redis, cluster)) = &cluster {
        let (bridge, published) = codehub_engine::actors::hub::bridge();
        tokio::spawn(codehub_cluster::relay::publish(
            redis.clone(),
            cluster.names().clone(),
            published,
        ));
        config.cluster = Some(ClusterHooks {
            cluster: Arc::new(ClusterPort(cluster.clone())),
            bridge,
        });
    }
    let judge = crate::telemetry::TracedJudge::wrap(judge);
    let engine = Engine::start(store.clone(), judge.clone(), config).await?;
    let relay = match &cluster {
        Some((c, _, cluster)) => {
            let relay = Relay::start(&c.redis_url, engine.hub().clone(), cluster.clone()).await?;
            cluster.run(engine.clone());
            println!("codehub: cluster member `{}`", cluster.member());
            Some(relay)
        }
        None => None,
    };
    let redis = cluster.as_ref().map(|(_, redis, _)| redis.clone());
    let state = AppState(Arc::new(AppInner {
        engine: engine.clone(),
        store: store.clone(),
        blobs,
        judge,
        languages,
        keys: AuthKeys::new(
            &secret(&settings, &data_dir)?,
            settings.auth.access_ttl,
            Duration::from_secs(30 * 24 * 3600),
        ),
        next_conn: AtomicU64::new(1),
        feeds: Default::default(),
        webhooks: Default::default(),
        worker_token: settings.worker_token().map(str::to_owned),
        shared_limit: redis
            .as_ref()
            .map(|r| SharedRateLimit::new(r.clone(), settings.rate.burst, settings.rate.refill)),
        redis,
        relay,
        oidc: crate::oidc::Providers::new(&settings.oidc)?,
        public_url: settings.public_url.clone(),
        tls: settings.tls.is_some(),
        trusted_proxies: settings.trusted_proxies.clone(),
        cors_origins: settings.cors_origins.clone(),
        login_throttle: Default::default(),
        archive: Default::default(),
        ghosts: Default::default(),
        boards: Default::default(),
        run_limit: crate::run_limit::RunLimit::new(
            settings.rate.run_burst,
            settings.rate.run_refill,
        ),
        metrics,
    }));
    tokio::spawn(crate::ccs::webhooks::deliver(state.clone()));
    tokio::spawn(crate::memory::trim_heap());
    if settings.demo || codehub_engine::ports::store::UserStore::count_users(&*store).await? == 0 {
        crate::demo::seed(&state).await?;
    }
    match &settings.tls {
        None => {
            let listener = crate::listener::bind(settings.listen)
                .with_context(|| format!("cannot listen on {}", settings.listen))?;
            println!("codehub: listening on http://{}", listener.local_addr()?);
            let app = router(state).into_make_service_with_connect_info::<crate::listener::Peer>();
            axum::serve(crate::listener::PeerListener(listener), app)
                .with_graceful_shutdown(shutdown_signal())
                .await?;
        }
        Some(tls) => {
            let redirect = settings
                .redirect_http
                .map(|addr| (addr, settings.public_url.clone()));
            super::tls::serve(
                settings.listen,
                tls,
                router(state),
                shutdown_signal(),
                redirect,
            )
            .await?
        }
    }
    if let Some((_, _, cluster)) = &cluster {
        cluster.release_all().await;
    }
    if let Err(e) = engine.shutdown().await {
        tracing::warn!(error = %e, "engine shutdown");
    }
    tokio::task::spawn_blocking(crate::telemetry::flush).await?;
    Ok(ExitCode::SUCCESS)
}
