//! `codehub judge-worker`: judges jobs from the Redis queue with this host's sandbox,
//! fetching problem packages by content hash from S3 (`--blobs`) or else from a
//! `codehub serve` node.

use super::{SandboxArgs, with_sandboxes};
use crate::settings::{BlobArgs, FileBlobs};
use anyhow::Context;
use codehub_blobs::{HttpBlobs, S3Blobs};
use codehub_cluster::worker::{self, WorkerConfig};
use codehub_engine::ports::blobs::BlobStore;
use codehub_engine::ports::judging::JudgeService;
use codehub_judge::judge::Judge;
use codehub_judge::service::SandboxedJudge;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

/// Arguments of `codehub judge-worker`.
#[derive(Debug, clap::Args)]
pub struct WorkerArgs {
    /// Redis holding the job queue (`redis://host:port`).
    #[arg(long, env = "REDIS_URL")]
    redis: String,
    /// `codehub serve` nodes to fetch problem packages from (`http://host:port`, several
    /// comma-separated: tried in turn, so one node down costs nothing). Not needed with
    /// `--blobs`: packages then come from S3 with no node in the path.
    #[arg(long, env = "CODEHUB_GATEWAY_URL", required_unless_present = "blobs")]
    gateway: Option<String>,
    /// The shared secret the nodes were started with (`--worker-token`); with `--gateway`.
    #[arg(long, env = "CODEHUB_WORKER_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// Where fetched packages are cached.
    #[arg(long, env = "CODEHUB_CACHE_DIR", default_value = "./worker-cache")]
    cache_dir: PathBuf,
    /// This worker's name in the consumer group (default: host name and pid).
    #[arg(long, env = "CODEHUB_WORKER_ID")]
    id: Option<String>,
    /// Seconds a job may go unrenewed before another worker takes it over.
    #[arg(long, default_value_t = 30.0)]
    claim_timeout: f64,
    #[command(flatten)]
    blobs: BlobArgs,
    /// Serve this worker's Prometheus metrics (compile, test and sandbox times) at
    /// `/metrics` on this address, to anyone who reaches it (port 0 picks one; printed).
    #[arg(long, env = "CODEHUB_METRICS_LISTEN", value_name = "ADDR")]
    metrics_listen: Option<std::net::SocketAddr>,
    #[command(flatten)]
    sandbox: SandboxArgs,
}

/// Runs a worker until killed.
pub async fn run(args: WorkerArgs) -> anyhow::Result<ExitCode> {
    crate::telemetry::init("codehub-judge-worker");
    if !(args.claim_timeout.is_finite() && args.claim_timeout >= 1.0) {
        anyhow::bail!("--claim-timeout must be at least 1 second");
    }
    if let Some(addr) = args.metrics_listen {
        let metrics = crate::metrics::Metrics::install(Vec::new());
        let bound = crate::metrics::spawn_listener(metrics, addr).await?;
        println!("judge-worker: metrics on http://{bound}/metrics");
    }
    let cache_error = || format!("cannot create the cache dir {}", args.cache_dir.display());
    let blobs: Arc<dyn BlobStore> = match args.blobs.clone().resolve(FileBlobs::default())? {
        Some(s3) => Arc::new(
            S3Blobs::new(&s3, args.cache_dir.clone())
                .await
                .with_context(cache_error)?,
        ),
        None => {
            let (Some(gateway), Some(token)) = (&args.gateway, &args.token) else {
                anyhow::bail!(
                    "packages come from S3 (--blobs) or from the nodes (--gateway with --token)"
                );
            };
            Arc::new(
                HttpBlobs::new(gateway, token, args.cache_dir.clone()).with_context(cache_error)?,
            )
        }
    };
    let (backend, languages) = args.sandbox.backend().await?;
    let languages = Arc::new(languages);
    let judge: Arc<dyn JudgeService> = with_sandboxes!(backend, |s, v| {
        Arc::new(SandboxedJudge::new(Judge::new(s, v, languages), blobs))
    });
    let judge = crate::telemetry::TracedJudge::wrap(judge);
    let name = args
        .id
        .unwrap_or_else(|| codehub_cluster::default_member_name("worker"));
    let config = WorkerConfig {
        name,
        parallel: args.sandbox.parallelism(),
        claim_idle: Duration::from_secs_f64(args.claim_timeout),
    };
    worker::run(&args.redis, config, judge).await?;
    Ok(ExitCode::SUCCESS)
}
