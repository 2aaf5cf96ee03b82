//! Cluster benchmark: three `codehub serve` nodes on PostgreSQL and Redis (real processes
//! on loopback), one spectator on each.
//!
//! - **Cross-node delivery**: results injected one at a time on the contest's owner; for
//!   each, the time from the request to the delta reaching the spectator on the owner
//!   itself and on the two other nodes (through Redis pub/sub).
//! - **Failover**: `kill -9` of the owner → the first message of the new owner (its
//!   snapshot) at a spectator on another node; a fresh node replaces the dead one and the
//!   next round kills the new owner.
//!
//! `cargo bench -p codehub-gateway --bench cluster [-- EVENTS FAILOVERS]` (default 500 3),
//! with `CODEHUB_TEST_POSTGRES_URL` and `CODEHUB_TEST_REDIS_URL` set (scripts/services/).

#[path = "../tests/support/cluster.rs"]
mod support;

use serde_json::json;
use std::time::{Duration, Instant};
use support::*;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn summary(name: &str, mut v: Vec<Duration>) {
    v.sort();
    println!(
        "{name:<28} n={:<5} p50 {:>8.2?}  p90 {:>8.2?}  p99 {:>8.2?}  max {:>8.2?}",
        v.len(),
        percentile(&v, 0.5),
        percentile(&v, 0.9),
        percentile(&v, 0.99),
        v[v.len() - 1]
    );
}

/// Waits until `spectator` has seen more than `count` deltas; returns when it saw it.
async fn delta_after(spectator: &Spectator, count: usize) -> Instant {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some((at, _, _)) = spectator.seen.lock().unwrap().deltas.get(count) {
            return *at;
        }
        assert!(Instant::now() < deadline, "delta {count} never arrived");
        tokio::task::yield_now().await;
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let events = args.first().copied().unwrap_or(500);
    let failovers = args.get(1).copied().unwrap_or(3);
    let Some(redis) = redis_url(5) else { return };
    let Some((admin_url, database)) = postgres_database("bench") else {
        return;
    };
    flush(&redis);
    let data = tempfile::tempdir().unwrap();
    let spec = |id: &'static str| NodeSpec::shared(&redis, id, &database, data.path());
    let names = [
        "node-a", "node-b", "node-c", "node-d", "node-e", "node-f", "node-g",
    ];
    let mut next = 0;
    let mut start = || {
        let n = node(spec(names[next]));
        next += 1;
        n
    };
    let a = start();
    let password = a.proc.admin_password();
    let mut nodes = vec![a, start(), start()];
    let mut spectators = Vec::new();
    for n in &nodes {
        let s = Spectator::new(&n.base).await;
        s.ready().await;
        spectators.push(s);
    }
    assert_eq!(owner(&redis), "node-a");
    let token = nodes[0].login("admin", &password).await;

    // Cross-node delivery.
    let (mut local, mut remote) = (Vec::new(), Vec::new());
    for i in 0..events {
        let before: Vec<usize> = spectators
            .iter()
            .map(|s| s.seen.lock().unwrap().deltas.len())
            .collect();
        let body = json!({"team": 1000 + i, "problem": 0, "verdict": "AC", "at_ms": 60_000});
        let sent = Instant::now();
        let (s, v) = nodes[0]
            .call(
                reqwest::Method::POST,
                "/api/contests/1/inject",
                Some(&token),
                Some(body),
            )
            .await;
        assert!(s < 300, "{v}");
        for (k, spectator) in spectators.iter().enumerate() {
            let at = delta_after(spectator, before[k]).await;
            let took = at.duration_since(sent);
            if k == 0 {
                local.push(took);
            } else {
                remote.push(took);
            }
        }
    }
    println!("cluster: 3 nodes, {events} results injected on the owner, one at a time");
    summary("owner's own spectator", local);
    summary("spectators on other nodes", remote);

    // Failover.
    let mut times = Vec::new();
    for round in 0..failovers {
        let dead = owner(&redis);
        // Which process is the owner: each node printed its member name.
        let index = (0..nodes.len())
            .find(|&i| {
                nodes[i]
                    .proc
                    .line("codehub: cluster member `")
                    .starts_with(&dead)
            })
            .expect("the owner is one of ours");
        let epoch = spectators[(index + 1) % nodes.len()]
            .seen
            .lock()
            .unwrap()
            .seq
            >> 32;
        nodes[index].proc.kill9();
        let killed = Instant::now();
        let watcher = &spectators[(index + 1) % nodes.len()];
        let deadline = killed + Duration::from_secs(30);
        let took = loop {
            let new_owner = watcher
                .seen
                .lock()
                .unwrap()
                .snapshots
                .iter()
                .find(|(at, seq)| *at > killed && seq >> 32 > epoch)
                .map(|(at, _)| at.duration_since(killed));
            if let Some(took) = new_owner {
                break took;
            }
            assert!(Instant::now() < deadline, "no new owner within 30 s");
            tokio::time::sleep(Duration::from_millis(5)).await;
        };
        println!(
            "failover {round}: owner {dead} killed → new owner's first message on another node after {took:.2?}"
        );
        times.push(took);
        // Replace the dead node (and its spectator).
        let fresh = start();
        let s = Spectator::new(&fresh.base).await;
        s.ready().await;
        nodes[index] = fresh;
        spectators[index] = s;
    }
    if !times.is_empty() {
        summary("failover (lease 2 s)", times);
    }
    drop(spectators);
    drop(nodes);
    drop_database(&admin_url, &database);
}
