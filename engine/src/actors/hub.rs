//! The Hub: channels → local subscribers, on this node.
//!
//! Publishers hand the Hub a payload; the Hub gives it the channel's next `seq` (unless
//! the publisher owns the sequence, as the leaderboard does), serialises it **once**, keeps
//! it in the channel's ring buffer (for `since` resumption), and hands the same bytes to
//! the fan-out writers ([`super::fanout`]), which offer them to every subscriber. Nothing
//! waits for a subscriber: one that cannot keep up is marked lagged, and its connection
//! replaces its backlog with one fresh snapshot.
//!
//! In cluster mode the Hub has a *bridge*: publications leave the node (to Redis) instead
//! of being delivered, and come back to every node, this one included, as
//! [`HubMsg::Relay`] with their cluster-wide `seq`; so every node delivers the same
//! messages in the same order. The bridge is bounded ([`BRIDGE_CAPACITY`]): the Hub never
//! waits for the cluster either (see [`Bridge`] for what a full bridge costs).

use crate::model::now_ms;
use bytes::Bytes;
use codehub_protocol::ws::MessageKind;
use ractor::{Actor, ActorProcessingErr, ActorRef, RpcReplyPort};
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

/// Messages kept per channel for `since` resumption (boards, clarifications, resolver).
pub const RING_CAPACITY: usize = 1024;

/// Messages kept for one submission's or one user's verdict stream: a client resuming
/// from further back gets a snapshot, which the store answers.
pub const STREAM_RING_CAPACITY: usize = 64;

/// How long a verdict-stream channel is kept once nobody watches it and nothing is
/// published to it: then it is forgotten ([`HubMsg::Sweep`]), so the Hub does not hold
/// every submission ever made. A client resuming such a channel gets a snapshot.
pub const STREAM_IDLE: Duration = Duration::from_secs(120);

/// How often the Hub forgets idle verdict-stream channels.
const SWEEP_EVERY: Duration = Duration::from_secs(30);

/// Is `channel` a verdict stream (`submission/N`, `user/N/submissions`)? The Hub numbers
/// those itself, so forgetting one idle channel loses nothing: a new subscriber starts
/// from a snapshot at the channel's new numbering. Channels whose publisher owns the
/// sequence (boards) are never forgotten.
fn is_verdict_stream(channel: &str) -> bool {
    channel.starts_with("submission/")
        || (channel.starts_with("user/") && channel.ends_with("/submissions"))
}

/// Messages kept in `channel`'s ring.
fn ring_capacity(channel: &str) -> usize {
    if is_verdict_stream(channel) {
        STREAM_RING_CAPACITY
    } else {
        RING_CAPACITY
    }
}

/// A connection id (unique per node).
pub type ConnId = u64;

/// One message on its way to a connection.
#[derive(Debug, Clone)]
pub struct Outgoing {
    /// The channel.
    pub channel: Arc<str>,
    /// Its sequence number in the channel.
    pub seq: u64,
    /// The serialised message (shared by every subscriber).
    pub bytes: Bytes,
    /// When it was published (ms since the epoch; its `ts`), for the delivery lag.
    pub ts: i64,
}

pub use super::fanout::{Inbox, Offered, QueueInbox, Subscriber};
use super::fanout::{Shards, Writers};

/// A publication.
#[derive(Debug)]
pub struct Publication {
    /// Channel (`contest/1/scoreboard`, `submission/7`, …).
    pub channel: String,
    /// `Some(seq)` when the publisher owns the channel's sequence.
    pub seq: Option<u64>,
    /// Message type.
    pub kind: MessageKind,
    /// Payload.
    pub data: serde_json::Value,
}

/// Publications a bridged Hub may have on their way to the cluster.
pub const BRIDGE_CAPACITY: usize = 8192;

/// How often a Hub whose bridge overflowed looks whether it has drained.
const BRIDGE_CHECK: Duration = Duration::from_millis(100);

/// Where a bridged Hub sends its publications (cluster mode): a bounded queue to the
/// cluster's publisher ([`BRIDGE_CAPACITY`]; make one with [`bridge`]).
///
/// **Overflow policy: drop the publication, then resynchronise.** The Hub never waits on
/// the cluster. Publications are views of state the engine keeps (boards) or the store
/// holds (submissions, judgements), so none is the only copy of anything: when the
/// bridge is full the publication is dropped and the Hub marks itself as needing a
/// resync; once the bridge has drained to half its capacity, every local subscriber is
/// marked lagged and resynchronises by snapshot (as after a relay gap). Subscribers on
/// other nodes see the `seq` gap on owner-numbered channels and resynchronise the same
/// way; a dropped verdict-stream message is superseded by the stored judgement.
pub type Bridge = mpsc::Sender<Publication>;

/// A bridge of [`BRIDGE_CAPACITY`] and its reading end (the cluster's publisher).
pub fn bridge() -> (Bridge, mpsc::Receiver<Publication>) {
    mpsc::channel(BRIDGE_CAPACITY)
}

/// Messages of the Hub.
#[derive(Debug)]
pub enum HubMsg {
    /// Publish to a channel.
    Publish(Publication),
    /// A message of the cluster (bridged Hubs): delivered if newer than what the channel has.
    Relay(Outgoing),
    /// Every subscriber resynchronises by snapshot (after the cluster link was down).
    ResyncAll,
    /// Subscribe a connection; replies with the messages after `since` if the ring still
    /// holds all of them (`None`: the caller must send a snapshot).
    Subscribe {
        /// Channel.
        channel: String,
        /// Connection.
        conn: ConnId,
        /// Its inbox.
        subscriber: Subscriber,
        /// Resume point.
        since: Option<u64>,
        /// Backlog, or `None`.
        reply: RpcReplyPort<Option<Vec<Outgoing>>>,
    },
    /// Unsubscribe a connection from a channel.
    Unsubscribe {
        /// Channel.
        channel: String,
        /// Connection.
        conn: ConnId,
    },
    /// Forget a closed connection everywhere.
    Disconnect(ConnId),
    /// The last `seq` of a channel (0 if none).
    LastSeq(String, RpcReplyPort<u64>),
    /// Has the overflowed bridge drained? (The Hub sends this to itself.)
    BridgeCheck,
    /// Publications dropped because the bridge was full, since the Hub started.
    BridgeDropped(RpcReplyPort<u64>),
    /// Forget idle verdict-stream channels (the Hub sends this to itself every 30 s).
    Sweep,
}

/// The Hub actor: local delivery, or with a bridge, delivery of what the cluster relays.
#[derive(Default)]
pub struct Hub {
    /// Cluster mode: publications go here instead of to local subscribers.
    pub bridge: Option<Bridge>,
}

/// One channel's state.
#[derive(Default)]
struct Channel {
    /// Last sequence number delivered.
    seq: u64,
    /// When the channel was last published to or unsubscribed from (ms since the epoch).
    touched_ms: i64,
    /// Last sequence number this node published (bridged Hubs; delivered later by relay).
    published: u64,
    /// Recent messages, oldest first, for `since` resumption.
    ring: VecDeque<Outgoing>,
    /// Local subscribers.
    subscribers: HashMap<ConnId, Subscriber>,
    /// The subscribers split into the writers' shards; made again at the next message
    /// after they change.
    shards: Option<Shards>,
}

/// State of the Hub.
#[derive(Default)]
pub struct HubState {
    /// Channels by name.
    channels: HashMap<String, Channel>,
    /// Channels of each connection (for disconnects).
    by_conn: HashMap<ConnId, Vec<String>>,
    /// The bridge overflowed and has not drained yet: subscribers resync when it has.
    resync_pending: bool,
    /// Publications dropped at a full bridge (a counter for diagnostics and tests).
    bridge_dropped: u64,
    /// Who writes messages to subscribers.
    writers: Writers,
}

/// Serialises a channel message (the wire format of `/ws`).
pub fn encode(channel: &str, seq: u64, kind: &str, data: &serde_json::Value) -> Bytes {
    let data = serde_json::to_string(data).expect("JSON values serialise");
    encode_raw(channel, seq, kind, now_ms(), &data)
}

/// Serialises a channel message whose `data` is already JSON text.
pub fn encode_raw(channel: &str, seq: u64, kind: &str, ts: i64, data_json: &str) -> Bytes {
    let channel = serde_json::to_string(channel).expect("strings serialise");
    let kind = serde_json::to_string(kind).expect("strings serialise");
    Bytes::from(format!(
        r#"{{"channel":{channel},"seq":{seq},"type":{kind},"ts":{ts},"data":{data_json}}}"#
    ))
}

impl HubState {
    fn publish(&mut self, p: Publication) {
        let last = self.channels.get(&p.channel).map_or(0, |c| c.seq);
        let seq = p.seq.unwrap_or(last + 1);
        let ts = now_ms();
        let data = serde_json::to_string(&p.data).expect("JSON values serialise");
        let out = Outgoing {
            channel: Arc::from(p.channel.as_str()),
            seq,
            bytes: encode_raw(&p.channel, seq, p.kind.as_str(), ts, &data),
            ts,
        };
        self.deliver(out);
    }

    /// Keeps `out` in its channel's ring and offers it to the channel's subscribers,
    /// unless the channel already has that `seq`.
    fn deliver(&mut self, out: Outgoing) {
        // Looked up by `&str` first: no allocation per message on a known channel.
        if !self.channels.contains_key(&*out.channel) {
            self.channels
                .insert(out.channel.to_string(), Channel::default());
        }
        let channel = self.channels.get_mut(&*out.channel).expect("just ensured");
        if out.seq <= channel.seq {
            return;
        }
        channel.seq = out.seq;
        channel.touched_ms = out.ts;
        if channel.ring.len() >= ring_capacity(&out.channel) {
            channel.ring.pop_front();
        }
        channel.ring.push_back(out.clone());
        if channel.subscribers.is_empty() {
            return;
        }
        let writers = &self.writers;
        let shards = channel.shards.get_or_insert_with(|| {
            let n = writers.shards() as u64;
            let mut shards = vec![Vec::new(); n as usize];
            for (conn, sub) in &channel.subscribers {
                shards[(conn % n) as usize].push(sub.clone());
            }
            Arc::new(shards)
        });
        writers.deliver(&out, shards);
    }

    fn subscribe(
        &mut self,
        name: String,
        conn: ConnId,
        subscriber: Subscriber,
        since: Option<u64>,
    ) -> Option<Vec<Outgoing>> {
        let channel = self.channels.entry(name.clone()).or_default();
        if channel.subscribers.insert(conn, subscriber).is_none() {
            channel.shards = None;
        }
        let chans = self.by_conn.entry(conn).or_default();
        if !chans.contains(&name) {
            chans.push(name);
        }
        let since = since?;
        if since > channel.seq {
            return None;
        }
        let covered = since == channel.seq
            || channel
                .ring
                .front()
                .is_some_and(|first| first.seq <= since + 1);
        covered.then(|| {
            channel
                .ring
                .iter()
                .filter(|m| m.seq > since)
                .cloned()
                .collect()
        })
    }

    /// Marks every local subscriber lagged: each resynchronises by snapshot.
    fn resync_all(&self) {
        for c in self.channels.values() {
            for sub in c.subscribers.values() {
                sub.lag();
            }
        }
    }

    fn unsubscribe(&mut self, name: &str, conn: ConnId) {
        if let Some(c) = self.channels.get_mut(name) {
            if c.subscribers.remove(&conn).is_some() {
                c.shards = None;
            }
            c.touched_ms = now_ms();
        }
        if let Some(chans) = self.by_conn.get_mut(&conn) {
            chans.retain(|c| c != name);
        }
    }

    fn disconnect(&mut self, conn: ConnId) {
        let now = now_ms();
        for name in self.by_conn.remove(&conn).unwrap_or_default() {
            if let Some(c) = self.channels.get_mut(&name) {
                if c.subscribers.remove(&conn).is_some() {
                    c.shards = None;
                }
                c.touched_ms = now;
            }
        }
    }

    /// Forgets the verdict-stream channels nobody watches that have been quiet for
    /// [`STREAM_IDLE`] at `now_ms`.
    fn sweep(&mut self, now_ms: i64) {
        let idle_ms = STREAM_IDLE.as_millis() as i64;
        self.channels.retain(|name, c| {
            !(is_verdict_stream(name)
                && c.subscribers.is_empty()
                && now_ms - c.touched_ms >= idle_ms
                && c.published <= c.seq)
        });
        self.channels.shrink_to(self.channels.len() * 2);
    }
}

impl Actor for Hub {
    type Msg = HubMsg;
    type State = HubState;
    type Arguments = ();

    async fn pre_start(
        &self,
        myself: ActorRef<HubMsg>,
        _: (),
    ) -> Result<HubState, ActorProcessingErr> {
        myself.send_interval(SWEEP_EVERY, || HubMsg::Sweep);
        Ok(HubState {
            writers: Writers::per_core(),
            ..HubState::default()
        })
    }

    async fn handle(
        &self,
        myself: ActorRef<HubMsg>,
        msg: HubMsg,
        state: &mut HubState,
    ) -> Result<(), ActorProcessingErr> {
        match msg {
            HubMsg::Publish(p) => match &self.bridge {
                None => state.publish(p),
                Some(bridge) => {
                    if let Some(seq) = p.seq {
                        let c = state.channels.entry(p.channel.clone()).or_default();
                        c.published = c.published.max(seq);
                    }
                    if let Err(mpsc::error::TrySendError::Full(p)) = bridge.try_send(p) {
                        state.bridge_dropped += 1;
                        if !state.resync_pending {
                            state.resync_pending = true;
                            tracing::warn!(channel = %p.channel, "cluster bridge full: publications dropped until it drains; clients will resynchronise");
                            myself.send_after(BRIDGE_CHECK, || HubMsg::BridgeCheck);
                        }
                    }
                }
            },
            HubMsg::BridgeCheck if !state.resync_pending => {}
            HubMsg::BridgeCheck => {
                let drained = self
                    .bridge
                    .as_ref()
                    .is_none_or(|b| b.capacity() >= b.max_capacity() / 2);
                if drained {
                    state.resync_pending = false;
                    tracing::warn!(
                        dropped = state.bridge_dropped,
                        "cluster bridge drained: clients resynchronise"
                    );
                    state.resync_all();
                } else {
                    myself.send_after(BRIDGE_CHECK, || HubMsg::BridgeCheck);
                }
            }
            HubMsg::BridgeDropped(reply) => {
                let _ = reply.send(state.bridge_dropped);
            }
            HubMsg::Relay(out) => state.deliver(out),
            HubMsg::ResyncAll => state.resync_all(),
            HubMsg::Subscribe {
                channel,
                conn,
                subscriber,
                since,
                reply,
            } => {
                let backlog = state.subscribe(channel, conn, subscriber, since);
                let _ = reply.send(backlog);
            }
            HubMsg::Unsubscribe { channel, conn } => state.unsubscribe(&channel, conn),
            HubMsg::Disconnect(conn) => state.disconnect(conn),
            HubMsg::Sweep => {
                state.sweep(now_ms());
                metrics::gauge!("codehub_hub_channels").set(state.channels.len() as f64);
            }
            HubMsg::LastSeq(name, reply) => {
                let last = state
                    .channels
                    .get(&name)
                    .map_or(0, |c| c.seq.max(c.published));
                let _ = reply.send(last);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subscriber(cap: usize) -> (Arc<QueueInbox>, mpsc::Receiver<Outgoing>) {
        QueueInbox::new(cap)
    }

    fn publish(state: &mut HubState, channel: &str, n: i64) {
        state.publish(Publication {
            channel: channel.into(),
            seq: None,
            kind: MessageKind::Delta,
            data: serde_json::json!({ "n": n }),
        });
    }

    #[test]
    fn every_subscriber_gets_the_same_bytes_in_seq_order() {
        let mut hub = HubState::default();
        let (a, mut ra) = subscriber(8);
        let (b, mut rb) = subscriber(8);
        hub.subscribe("c".into(), 1, a, None);
        hub.subscribe("c".into(), 2, b, None);
        publish(&mut hub, "c", 1);
        publish(&mut hub, "c", 2);
        publish(&mut hub, "other", 3);
        let (a1, a2) = (ra.try_recv().unwrap(), ra.try_recv().unwrap());
        let b1 = rb.try_recv().unwrap();
        assert_eq!((a1.seq, a2.seq), (1, 2));
        assert_eq!(
            a1.bytes.as_ptr(),
            b1.bytes.as_ptr(),
            "serialised once, shared"
        );
        assert!(ra.try_recv().is_err());
        let json: serde_json::Value = serde_json::from_slice(&a2.bytes).unwrap();
        assert_eq!(json["channel"], "c");
        assert_eq!(json["seq"], 2);
        assert_eq!(json["data"]["n"], 2);
    }

    #[test]
    fn a_full_queue_marks_the_subscriber_lagged_instead_of_blocking() {
        let mut hub = HubState::default();
        let (a, _ra) = subscriber(2);
        let lagged = a.lagged.clone();
        hub.subscribe("c".into(), 1, a, None);
        for n in 0..5 {
            publish(&mut hub, "c", n);
        }
        assert!(lagged.load(std::sync::atomic::Ordering::Acquire));
    }

    #[test]
    fn since_resumes_from_the_ring_or_asks_for_a_snapshot() {
        let mut hub = HubState::default();
        for n in 0..(RING_CAPACITY as i64 + 10) {
            publish(&mut hub, "c", n);
        }
        let (a, _) = subscriber(8);
        let backlog = hub
            .subscribe("c".into(), 1, a.clone(), Some(RING_CAPACITY as u64))
            .unwrap();
        assert_eq!(backlog.len(), 10);
        assert_eq!(backlog[0].seq, RING_CAPACITY as u64 + 1);
        // Too old: the ring no longer covers it.
        assert!(hub.subscribe("c".into(), 1, a.clone(), Some(3)).is_none());
        // Up to date: nothing missed.
        let up_to_date = hub.subscribe("c".into(), 1, a.clone(), Some(RING_CAPACITY as u64 + 10));
        assert_eq!(up_to_date.map(|v| v.len()), Some(0));
        // From the future (another epoch): snapshot.
        assert!(hub.subscribe("c".into(), 1, a, Some(10_000)).is_none());
    }

    #[tokio::test]
    async fn a_bridged_hub_delivers_only_what_the_cluster_relays_once_in_order() {
        let (bridge, mut out) = mpsc::channel(8);
        let (hub, _) = Actor::spawn(
            None,
            Hub {
                bridge: Some(bridge),
            },
            (),
        )
        .await
        .unwrap();
        let (a, mut ra) = subscriber(8);
        let backlog = ractor::call!(hub, |reply| HubMsg::Subscribe {
            channel: "c".into(),
            conn: 1,
            subscriber: a,
            since: None,
            reply,
        })
        .unwrap();
        assert!(backlog.is_none());
        hub.send_message(HubMsg::Publish(Publication {
            channel: "c".into(),
            seq: Some(7),
            kind: MessageKind::Delta,
            data: serde_json::json!({}),
        }))
        .unwrap();
        let sent = out.recv().await.unwrap();
        assert_eq!((sent.channel.as_str(), sent.seq), ("c", Some(7)));
        // Not delivered locally, but counted: a rebuilt board continues after it.
        assert_eq!(ractor::call!(hub, HubMsg::LastSeq, "c".into()).unwrap(), 7);
        assert!(ra.try_recv().is_err());
        let relayed = |seq| Outgoing {
            channel: Arc::from("c"),
            seq,
            bytes: Bytes::from(format!("m{seq}")),
            ts: 0,
        };
        for seq in [7, 7, 6, 8] {
            hub.send_message(HubMsg::Relay(relayed(seq))).unwrap();
        }
        let last = ractor::call!(hub, HubMsg::LastSeq, "c".into()).unwrap();
        assert_eq!(last, 8);
        // The writer threads deliver after the Hub has moved on: wait for the last one.
        let mut got = Vec::new();
        while got.last() != Some(&8) {
            got.push(ra.recv().await.unwrap().seq);
        }
        assert_eq!(got, vec![7, 8], "duplicates and older messages dropped");
        hub.stop(None);
        assert!(
            ra.recv().await.is_none(),
            "nothing more once the Hub stopped"
        );
    }

    #[test]
    fn disconnect_forgets_the_connection_everywhere() {
        let mut hub = HubState::default();
        let (a, mut ra) = subscriber(8);
        hub.subscribe("x".into(), 7, a.clone(), None);
        hub.subscribe("y".into(), 7, a, None);
        hub.disconnect(7);
        assert!(hub.by_conn.is_empty());
        publish(&mut hub, "x", 1);
        publish(&mut hub, "y", 1);
        assert!(ra.try_recv().is_err());
    }

    #[test]
    fn verdict_streams_keep_a_short_ring_and_boards_a_long_one() {
        let mut hub = HubState::default();
        for n in 0..2000 {
            publish(&mut hub, "submission/1", n);
            publish(&mut hub, "user/2/submissions", n);
            publish(&mut hub, "contest/1/scoreboard", n);
        }
        let ring = |hub: &HubState, c: &str| hub.channels[c].ring.len();
        assert_eq!(ring(&hub, "submission/1"), STREAM_RING_CAPACITY);
        assert_eq!(ring(&hub, "user/2/submissions"), STREAM_RING_CAPACITY);
        assert_eq!(ring(&hub, "contest/1/scoreboard"), RING_CAPACITY);
        // Resuming from before the short ring: a snapshot.
        let (a, _) = subscriber(8);
        assert!(
            hub.subscribe("submission/1".into(), 1, a, Some(1000))
                .is_none()
        );
    }

    #[test]
    fn idle_verdict_streams_are_forgotten_and_resumed_from_a_snapshot() {
        let mut hub = HubState::default();
        for c in [
            "submission/1",
            "submission/2",
            "user/3/submissions",
            "contest/1/scoreboard",
        ] {
            publish(&mut hub, c, 1);
            publish(&mut hub, c, 2);
        }
        // submission/2 is still watched.
        let (watcher, _rw) = subscriber(8);
        hub.subscribe("submission/2".into(), 9, watcher, None);
        let idle = STREAM_IDLE.as_millis() as i64;
        let touched = hub.channels["submission/1"].touched_ms;
        hub.sweep(touched + idle - 1_000);
        assert_eq!(hub.channels.len(), 4, "not idle long enough");
        hub.sweep(touched + idle + 1_000);
        let mut kept: Vec<&str> = hub.channels.keys().map(String::as_str).collect();
        kept.sort_unstable();
        assert_eq!(kept, ["contest/1/scoreboard", "submission/2"]);
        // A client that had seq 2 of the forgotten channel is sent a snapshot, and then
        // gets the channel's next message (numbered afresh).
        let (a, mut ra) = subscriber(8);
        assert!(
            hub.subscribe("submission/1".into(), 1, a, Some(2))
                .is_none()
        );
        publish(&mut hub, "submission/1", 3);
        assert_eq!(ra.try_recv().unwrap().seq, 1);
        // Unwatched after the connection closes: forgotten once idle again.
        hub.disconnect(9);
        hub.sweep(now_ms() + idle + 1_000);
        assert!(!hub.channels.contains_key("submission/2"));
    }
}
