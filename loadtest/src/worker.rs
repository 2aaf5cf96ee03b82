//! One worker process's share of spectators.
//!
//! Each connection binds a 127.0.0.x source address (spreading sockets over addresses),
//! subscribes to `contest/{id}/scoreboard` (or opens the nchan peer's `/sub`, where the
//! first delta is `seq` 1), takes the snapshot's `seq` as its start, then
//! for every delta records `receipt − ts` and checks `seq` continuity: a gap counts as
//! missed deltas, a repeat or step back as out of order. A snapshot in the stream (the
//! board was rebuilt) resets the expected `seq`.

use crate::now_ms;
use crate::report::{MAX_LATENCY_MS, WorkerReport, histogram};
use codehub_protocol::ws::ClientCommand;
use futures::{SinkExt, StreamExt};
use hdrhistogram::Histogram;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

/// Counters shared by a worker's connections.
#[derive(Default)]
pub struct Counters {
    /// Connections subscribed (snapshot received).
    pub established: AtomicU64,
    /// Connections closed early.
    pub dropped: AtomicU64,
    /// Deltas received.
    pub delivered: AtomicU64,
    /// Deltas missed inside the stream.
    pub missed: AtomicU64,
    /// Deltas out of order.
    pub out_of_order: AtomicU64,
}

/// The state of one worker.
pub struct Worker {
    /// Shared counters.
    pub counters: Arc<Counters>,
    /// Latencies, ms.
    pub latencies: Arc<Mutex<Histogram<u64>>>,
    /// Last `seq` seen by each connection (for missed-at-the-end accounting).
    pub last_seq: Arc<Mutex<Vec<u64>>>,
    /// Each connection has ended (closed or failed): nothing more will arrive on it.
    pub closed: Arc<Vec<AtomicBool>>,
}

fn field(text: &str, key: &str) -> Option<i64> {
    let start = text.find(key)? + key.len();
    let digits: String = text[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok()
}

/// What a spectator subscribes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subscription {
    /// A CodeHub channel over `/ws` (snapshot first, then deltas).
    CodeHub(String),
    /// The nchan peer's `/sub` location (deltas only; the first is `seq` 1).
    Nchan,
}

/// Opens `count` spectators of `what` on the servers in `urls` (round-robin), source
/// addresses 127.0.0.(`first_source`…).
pub fn start(urls: &[String], what: &Subscription, count: usize, first_source: u8) -> Worker {
    let worker = Worker {
        counters: Arc::new(Counters::default()),
        latencies: Arc::new(Mutex::new(histogram())),
        last_seq: Arc::new(Mutex::new(vec![0; count])),
        closed: Arc::new((0..count).map(|_| AtomicBool::new(false)).collect()),
    };
    for i in 0..count {
        let url = urls[i % urls.len()].clone();
        let what = what.clone();
        let counters = worker.counters.clone();
        let latencies = worker.latencies.clone();
        let last_seq = worker.last_seq.clone();
        let closed = worker.closed.clone();
        let source = Ipv4Addr::new(127, 0, 0, first_source.saturating_add((i % 50) as u8));
        tokio::spawn(async move {
            if let Err(e) = spectate(i, &url, &what, source, &counters, &latencies, &last_seq).await
            {
                eprintln!("spectator {i}: {e}");
            }
            closed[i].store(true, Ordering::Relaxed);
        });
    }
    worker
}

async fn connect(
    url: &str,
    path: &str,
    source: Ipv4Addr,
) -> anyhow::Result<tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>> {
    let ws_url = format!(
        "{}{path}",
        url.trim_end_matches('/').replace("http://", "ws://")
    );
    let host = url.trim_start_matches("http://").trim_end_matches('/');
    let addr: SocketAddr = tokio::net::lookup_host(host)
        .await?
        .next()
        .ok_or_else(|| anyhow::anyhow!("cannot resolve {host}"))?;
    let socket = tokio::net::TcpSocket::new_v4()?;
    // Spread over source addresses when the server is on loopback.
    if addr.ip().is_loopback() {
        socket.bind(SocketAddr::new(source.into(), 0))?;
    }
    let stream = socket.connect(addr).await?;
    let config = WebSocketConfig::default()
        .read_buffer_size(4 << 10)
        .write_buffer_size(0)
        .max_message_size(Some(64 << 20));
    let (ws, _) = tokio_tungstenite::client_async_with_config(ws_url, stream, Some(config)).await?;
    Ok(ws)
}

async fn spectate(
    index: usize,
    url: &str,
    what: &Subscription,
    source: Ipv4Addr,
    counters: &Counters,
    latencies: &Mutex<Histogram<u64>>,
    last_seq: &Mutex<Vec<u64>>,
) -> anyhow::Result<()> {
    let mut last: Option<u64> = None;
    let mut ws = match what {
        Subscription::CodeHub(channel) => {
            let mut ws = connect(url, "/ws", source).await?;
            let cmd = serde_json::to_string(&ClientCommand::Subscribe {
                channel: channel.clone(),
                since: None,
            })?;
            ws.send(Message::Text(cmd.into())).await?;
            ws
        }
        Subscription::Nchan => {
            let ws = connect(url, "/sub", source).await?;
            // Publishing starts once every spectator is connected, at `seq` 1.
            counters.established.fetch_add(1, Ordering::Relaxed);
            last = Some(0);
            ws
        }
    };
    while let Some(msg) = ws.next().await {
        let Ok(Message::Text(t)) = msg else {
            if msg.is_err() {
                break;
            }
            continue;
        };
        let now = now_ms();
        let text = t.as_str();
        let Some(seq) = field(text, "\"seq\":").map(|s| s as u64) else {
            continue;
        };
        if text.contains("\"type\":\"snapshot\"") {
            if last.is_none() {
                counters.established.fetch_add(1, Ordering::Relaxed);
            }
            last = Some(seq);
        } else if text.contains("\"type\":\"delta\"") {
            let Some(prev) = last else { continue };
            if seq <= prev {
                counters.out_of_order.fetch_add(1, Ordering::Relaxed);
                continue;
            }
            counters.missed.fetch_add(seq - prev - 1, Ordering::Relaxed);
            counters.delivered.fetch_add(1, Ordering::Relaxed);
            last = Some(seq);
            if let Some(ts) = field(text, "\"ts\":") {
                let latency = (now - ts).clamp(1, MAX_LATENCY_MS as i64) as u64;
                let _ = latencies.lock().expect("histogram lock").record(latency);
            }
        }
        if let Some(l) = last {
            last_seq.lock().expect("seq lock")[index] = l;
        }
    }
    counters.dropped.fetch_add(1, Ordering::Relaxed);
    Ok(())
}

impl Worker {
    /// Whether every open connection that has seen a `seq` has seen `final_seq` (or
    /// later); one that has ended will see nothing more.
    pub fn caught_up(&self, final_seq: u64) -> bool {
        self.last_seq
            .lock()
            .expect("seq lock")
            .iter()
            .zip(self.closed.iter())
            .all(|(s, closed)| *s == 0 || *s >= final_seq || closed.load(Ordering::Relaxed))
    }

    /// The report, counting as missed every delta after a connection's last `seq` up to
    /// `final_seq` (the channel's last `seq` when the run ended).
    pub fn report(&self, attempted: u64, final_seq: u64) -> WorkerReport {
        let c = &self.counters;
        let tail: u64 = self
            .last_seq
            .lock()
            .expect("seq lock")
            .iter()
            .filter(|s| **s > 0)
            .map(|s| final_seq.saturating_sub(*s))
            .sum();
        let mut r = WorkerReport {
            attempted,
            established: c.established.load(Ordering::Relaxed),
            dropped: c.dropped.load(Ordering::Relaxed),
            delivered: c.delivered.load(Ordering::Relaxed),
            missed: c.missed.load(Ordering::Relaxed) + tail,
            out_of_order: c.out_of_order.load(Ordering::Relaxed),
            histogram: String::new(),
        };
        r.set_histogram(&self.latencies.lock().expect("histogram lock"));
        r
    }
}
