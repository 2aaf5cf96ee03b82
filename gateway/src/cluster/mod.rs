//! Cluster mode on Redis: the judge queue shared by `codehub serve` nodes and
//! `codehub judge-worker` processes.
//!
//! - [`wire`]: stream names and the job / reply messages.
//! - [`queue`]: the node side, a [`JudgeService`](codehub_engine::ports::judging::JudgeService)
//!   that puts jobs on the `codehub:jobs` stream and waits for replies on its own stream.
//! - [`worker`]: the worker side: a consumer group member that judges jobs, keeps its
//!   claim alive while judging and takes over jobs of workers that died.
//! - [`blobs`]: problem packages fetched from a node by content hash, cached locally.

pub mod blobs;
pub mod queue;
pub mod wire;
pub mod worker;

use anyhow::Context;
use fred::prelude::*;

/// A connected Redis client (reconnects by itself, forever, with backoff).
pub async fn connect(url: &str) -> anyhow::Result<Client> {
    let config = Config::from_url(url).with_context(|| format!("bad Redis URL `{url}`"))?;
    let client = Builder::from_config(config)
        .with_performance_config(|p| p.default_command_timeout = std::time::Duration::from_secs(10))
        .set_policy(ReconnectPolicy::new_exponential(0, 100, 2_000, 2))
        .build()
        .context("cannot create a Redis client")?;
    client
        .init()
        .await
        .with_context(|| format!("cannot reach Redis at {url}"))?;
    Ok(client)
}

/// A member name for this process: the host name and the pid (`fallback` when the host
/// name cannot be read).
pub fn default_member_name(fallback: &str) -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_else(|_| fallback.to_owned());
    format!("{host}-{}", std::process::id())
}
