//! `codehub serve`: the contest server on embedded defaults (SQLite in the data dir,
//! in-process fan-out, native sandbox, local blobs), or PostgreSQL with `DATABASE_URL`.

use super::{SandboxArgs, with_sandboxes};
use crate::app::{AppInner, AppState};
use crate::auth::AuthKeys;
use crate::blobs::LocalBlobs;
use crate::routes::app as router;
use anyhow::Context;
use codehub_cluster::contests::{ClusterPort, RedisCluster};
use codehub_cluster::limits::SharedRateLimit;
use codehub_cluster::relay::Relay;
use codehub_engine::actors::{ClusterHooks, Engine, EngineConfig};
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

/// Arguments of `codehub serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free port; the address is printed).
    #[arg(long, env = "CODEHUB_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Where the SQLite database, blobs and the token secret live.
    #[arg(long, env = "CODEHUB_DATA_DIR", default_value = "./data")]
    data_dir: PathBuf,
    /// `postgres://…` or `sqlite://…` (default: SQLite in the data dir).
    #[arg(long, env = "DATABASE_URL")]
    database_url: Option<String>,
    /// Create the demo contest (also done on first start with an empty store).
    #[arg(long)]
    demo: bool,
    /// Secret for signing tokens (default: generated once into the data dir).
    #[arg(long, env = "CODEHUB_JWT_SECRET", hide_env_values = true)]
    jwt_secret: Option<String>,
    /// Access-token lifetime, seconds.
    #[arg(long, default_value_t = 900)]
    access_ttl: u64,
    /// Submissions a user may make in a burst.
    #[arg(long, default_value_t = 10)]
    rate_burst: u32,
    /// Seconds to earn one more submission.
    #[arg(long, default_value_t = 6.0)]
    rate_refill: f64,
    /// Redis for cluster mode (`redis://host:port`): the judge queue and readiness.
    #[arg(long, env = "REDIS_URL")]
    redis_url: Option<String>,
    /// This node's id in the cluster (default: host name and pid).
    #[arg(long, env = "CODEHUB_NODE_ID")]
    node_id: Option<String>,
    /// Judge on `codehub judge-worker` processes through Redis instead of in this process.
    #[arg(
        long,
        env = "CODEHUB_REMOTE_JUDGES",
        requires = "redis_url",
        requires = "worker_token"
    )]
    remote_judges: bool,
    /// Milliseconds a contest owner's lease lasts without renewal (cluster mode): the
    /// longest a contest waits for a new owner after its owner died.
    #[arg(long, env = "CODEHUB_LEASE_MS", default_value_t = 3_000)]
    lease_ms: u64,
    /// Shared secret of the judge workers (they fetch packages with it).
    #[arg(long, env = "CODEHUB_WORKER_TOKEN", hide_env_values = true)]
    worker_token: Option<String>,
    #[command(flatten)]
    sandbox: SandboxArgs,
}

/// This node's cluster id.
fn node_id(args: &ServeArgs) -> String {
    args.node_id
        .clone()
        .unwrap_or_else(|| codehub_cluster::default_member_name("node"))
}

fn secret(args: &ServeArgs) -> anyhow::Result<Vec<u8>> {
    if let Some(s) = &args.jwt_secret {
        return Ok(s.as_bytes().to_vec());
    }
    let path = args.data_dir.join("jwt.secret");
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
    crate::telemetry::init();
    raise_fd_limit();
    std::fs::create_dir_all(&args.data_dir)
        .with_context(|| format!("cannot create data dir {}", args.data_dir.display()))?;
    let data_dir = args.data_dir.canonicalize()?;
    let url = args.database_url.clone().unwrap_or_else(|| {
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
    let blobs = Arc::new(LocalBlobs::new(data_dir.join("blobs"))?);
    // A node judging remotely needs no sandbox (nor root, nor cgroups): only the table.
    let (backend, languages) = if args.remote_judges {
        (None, args.sandbox.language_table()?)
    } else {
        let (b, l) = args.sandbox.backend().await?;
        (Some(b), l)
    };
    let languages = Arc::new(languages);
    let node = node_id(&args);
    let redis = match &args.redis_url {
        Some(url) => Some(codehub_cluster::connect(url).await?),
        None => None,
    };
    let cluster = match (&args.redis_url, &redis) {
        (Some(url), Some(client)) => Some(RedisCluster::new(
            client.clone(),
            url,
            &node,
            store.clone(),
            Duration::from_millis(args.lease_ms),
        )?),
        _ => None,
    };
    let judge: Arc<dyn JudgeService> = match (&args.redis_url, backend) {
        (Some(url), None) => {
            println!("codehub: judging through Redis as node `{node}`");
            codehub_cluster::queue::RedisJudge::start(url, &node).await?
        }
        (None, None) => anyhow::bail!("--remote-judges needs --redis-url"),
        (_, Some(backend)) => with_sandboxes!(backend, |s, v| {
            Arc::new(SandboxedJudge::new(
                Judge::new(s, v, languages.clone()),
                blobs.clone(),
            ))
        }),
    };
    let config = EngineConfig {
        // Remote judges: jobs in flight at once (the workers bound the real parallelism).
        judges: if args.remote_judges {
            64
        } else {
            args.sandbox.parallelism()
        },
        rate: codehub_engine::actors::user::RateLimit {
            burst: args.rate_burst.max(1),
            refill_seconds: args.rate_refill.max(0.001),
        },
        cluster: None,
        ..EngineConfig::default()
    };
    let mut config = config;
    if let (Some(cluster), Some(redis)) = (&cluster, &redis) {
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
    let engine = Engine::start(store.clone(), judge, config).await?;
    let relay = match (&cluster, &args.redis_url) {
        (Some(cluster), Some(url)) => {
            let relay = Relay::start(url, engine.hub().clone(), cluster.clone()).await?;
            cluster.run(engine.clone());
            println!("codehub: cluster member `{}`", cluster.member());
            Some(relay)
        }
        _ => None,
    };
    let state = AppState(Arc::new(AppInner {
        engine: engine.clone(),
        store: store.clone(),
        blobs,
        languages,
        keys: AuthKeys::new(
            &secret(&args)?,
            Duration::from_secs(args.access_ttl),
            Duration::from_secs(30 * 24 * 3600),
        ),
        next_conn: AtomicU64::new(1),
        worker_token: args.worker_token.clone(),
        shared_limit: redis.as_ref().map(|r| {
            SharedRateLimit::new(
                r.clone(),
                args.rate_burst,
                Duration::from_secs_f64(args.rate_refill.max(0.001)),
            )
        }),
        redis,
        relay,
    }));
    if args.demo || codehub_engine::ports::store::UserStore::count_users(&*store).await? == 0 {
        crate::demo::seed(&state).await?;
    }
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    println!("codehub: listening on http://{}", listener.local_addr()?);
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    if let Some(cluster) = &cluster {
        cluster.release_all().await;
    }
    if let Err(e) = engine.shutdown().await {
        tracing::warn!(error = %e, "engine shutdown");
    }
    Ok(ExitCode::SUCCESS)
}
