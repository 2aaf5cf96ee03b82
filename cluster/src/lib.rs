//! Cluster mode on Redis: several `codehub serve` nodes sharing contests and live
//! channels, and the judge queue shared with `codehub judge-worker` processes.
//!
//! - [`wire`]: stream names and the job / reply messages.
//! - [`queue`]: the node side, a [`JudgeService`](codehub_engine::ports::judging::JudgeService)
//!   that puts jobs on the `codehub:jobs` stream and waits for replies on its own stream.
//! - [`worker`]: the worker side: a consumer group member that judges jobs, keeps its
//!   claim alive while judging and takes over jobs of workers that died.
//! - [`contests`]: contest ownership (leases, fencing tokens, inboxes, takeover): the
//!   engine's [`Cluster`](codehub_engine::ports::cluster::Cluster) port.
//! - [`relay`]: cross-node fan-out of the Hub's channels over pub/sub.
//! - [`limits`]: submission rate limits shared by all nodes.

pub mod contests;
pub mod limits;
pub mod queue;
pub mod relay;
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
    count_connection_errors(&client);
    client
        .init()
        .await
        .with_context(|| format!("cannot reach Redis at {url}"))?;
    Ok(client)
}

/// Counts the client's connection errors in `codehub_redis_errors_total{op="connection"}`.
pub fn count_connection_errors(client: &Client) {
    // The listener task runs for the client's life; its handle is not needed.
    drop(client.on_error(|_| async {
        metrics::counter!("codehub_redis_errors_total", "op" => "connection").increment(1);
        Ok(())
    }));
}

/// A member name for this process: the host name and the pid (`fallback` when the host
/// name cannot be read).
pub fn default_member_name(fallback: &str) -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_else(|_| fallback.to_owned());
    format!("{host}-{}", std::process::id())
}

/// One stream entry: its id and fields.
pub type StreamEntry = (String, std::collections::HashMap<String, String>);

/// Entries of one stream from an `XREAD`/`XREADGROUP` answer. A blocking read that timed
/// out answers nil, which is no entries.
pub fn stream_entries(answer: fred::types::Value, stream: &str) -> Result<Vec<StreamEntry>, Error> {
    if answer.is_null() {
        return Ok(Vec::new());
    }
    let mut map: fred::types::streams::XReadResponse<String, String, String, String> =
        answer.into_xread_response()?;
    Ok(map.remove(stream).unwrap_or_default())
}
