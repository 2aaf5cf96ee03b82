//! Fan-out: how the Hub hands a message to every subscriber of its channel.
//!
//! A subscriber is an [`Inbox`]: something that takes a message **without waiting**. A
//! WebSocket connection's inbox writes the frame to its socket there and then (the
//! gateway's `ws::link`); a bounded queue ([`QueueInbox`]) suits in-process readers.
//!
//! The Hub does not call the inboxes itself: it gives each message, with the channel's
//! subscribers split into shards by connection id, to one **writer thread per core**
//! ([`Writers`]). Each thread offers the message to its shard's subscribers in turn, so a
//! message to 19,000 spectators costs two hand-offs instead of 19,000 task wake-ups, and
//! the two cores write at once. A connection is always in the same shard, so one thread
//! writes all of its messages, in the order the Hub published them. A writer that falls
//! behind takes what has queued (up to 64) and gives each socket the run of one
//! channel's messages in one write, so under load it catches up in fewer syscalls; its
//! queue is bounded ([`WRITER_QUEUE`]): past it, the shard's subscribers resynchronise.

use super::hub::Outgoing;
use codehub_protocol::channel::Channel;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc as std_mpsc;
use tokio::sync::{Notify, mpsc};

/// What became of a batch offered to one subscriber.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Offered {
    /// Messages written to the client's socket (or queued behind earlier bytes for it).
    pub written: usize,
    /// The subscriber could not keep up: it dropped its backlog and will resynchronise.
    pub lagged: bool,
}

/// A connection's inbox, as the Hub sees it.
///
/// **Overflow policy: mark lagged, never wait.** An inbox that cannot take a message
/// drops its backlog, marks itself lagged and wakes its connection, which sends each of
/// its channels one fresh snapshot.
pub trait Inbox: Send + Sync + std::fmt::Debug + 'static {
    /// Takes `batch` (messages of one channel, oldest first) without waiting; a socket
    /// gets them with one write. Messages not for it (not watched, not newer than what
    /// it has) are skipped.
    fn offer(&self, batch: &[Outgoing]) -> Offered;
    /// Marks the subscriber lagged: it resynchronises every channel by snapshot.
    fn lag(&self);
}

/// A subscriber as the Hub holds it.
pub type Subscriber = Arc<dyn Inbox>;

/// An inbox that is a bounded queue (in-process readers such as the Contest API feed,
/// and tests).
#[derive(Debug)]
pub struct QueueInbox {
    /// Bounded queue to the reader.
    pub tx: mpsc::Sender<Outgoing>,
    /// Set when the queue overflowed; the reader drops its backlog and resyncs.
    pub lagged: Arc<AtomicBool>,
    /// Wakes the reader after `lagged` is set.
    pub wake: Arc<Notify>,
}

impl QueueInbox {
    /// A queue of `capacity` and its reading end.
    pub fn new(capacity: usize) -> (Arc<QueueInbox>, mpsc::Receiver<Outgoing>) {
        let (tx, rx) = mpsc::channel(capacity);
        let inbox = QueueInbox {
            tx,
            lagged: Arc::default(),
            wake: Arc::default(),
        };
        (Arc::new(inbox), rx)
    }
}

impl Inbox for QueueInbox {
    /// Queued messages are not counted as written (they are not on a socket yet).
    fn offer(&self, batch: &[Outgoing]) -> Offered {
        for out in batch {
            if let Err(mpsc::error::TrySendError::Full(_)) = self.tx.try_send(out.clone()) {
                self.lag();
                return Offered {
                    written: 0,
                    lagged: true,
                };
            }
        }
        Offered::default()
    }

    fn lag(&self) {
        if !self.lagged.swap(true, Ordering::AcqRel) {
            self.wake.notify_one();
        }
    }
}

/// A channel's subscribers split into shards by connection id (one per writer).
pub type Shards = Arc<Vec<Vec<Subscriber>>>;

/// Offers `batch` (messages of one channel) to `subscribers` and records the delivery
/// metrics once for the lot (not per message per connection): messages sent and dropped,
/// and the delivery lag of the newest one when written.
pub fn offer_all(batch: &[Outgoing], subscribers: &[Subscriber]) {
    let Some(newest) = batch.last() else { return };
    let (mut written, mut lagged) = (0usize, 0u64);
    for s in subscribers {
        let offered = s.offer(batch);
        written += offered.written;
        lagged += u64::from(offered.lagged);
    }
    if lagged > 0 {
        metrics::counter!("codehub_ws_messages_dropped_total").increment(lagged);
    }
    if written > 0 {
        let kind = newest
            .channel
            .parse::<Channel>()
            .map_or("other", |c| c.kind());
        metrics::counter!("codehub_ws_messages_sent_total", "kind" => kind)
            .increment(written as u64);
        let lag_ms = (crate::model::now_ms() - newest.ts).max(0);
        metrics::histogram!("codehub_ws_delivery_lag_seconds", "kind" => kind)
            .record(lag_ms as f64 / 1000.0);
    }
}

/// Messages a writer may have waiting; past that its shard's subscribers of the channel
/// are marked lagged instead (they resynchronise), so the Hub never waits and the queue
/// never grows without bound.
pub const WRITER_QUEUE: usize = 4096;

/// Messages a writer takes at once: consecutive ones of the same channel and the same
/// subscribers go to each socket in one write (under load, several deltas per syscall).
const WRITER_BATCH: usize = 64;

/// One writer thread's loop over its shard.
fn write_shard(rx: std_mpsc::Receiver<(Outgoing, Shards)>, shard: usize) {
    // Ends when the Hub (the only sender) is gone.
    while let Ok(first) = rx.recv() {
        let mut items = vec![first];
        while items.len() < WRITER_BATCH {
            match rx.try_recv() {
                Ok(item) => items.push(item),
                Err(_) => break,
            }
        }
        let mut start = 0;
        while start < items.len() {
            let shards = &items[start].1;
            let end = start
                + items[start..]
                    .iter()
                    .take_while(|(_, s)| Arc::ptr_eq(s, shards))
                    .count();
            let batch: Vec<Outgoing> = items[start..end].iter().map(|(o, _)| o.clone()).collect();
            if let Some(subscribers) = shards.get(shard) {
                offer_all(&batch, subscribers);
            }
            start = end;
        }
    }
}

/// How the Hub fans a message out.
#[derive(Debug, Default)]
pub enum Writers {
    /// In the Hub's own call (one shard; unit tests).
    #[default]
    Inline,
    /// One thread per shard; each takes `(message, shards)` and writes its shard.
    Threads(Vec<std_mpsc::SyncSender<(Outgoing, Shards)>>),
}

impl Writers {
    /// One writer thread per core (at most 8), named `codehub-fanout-N`.
    pub fn per_core() -> Writers {
        let n = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
        let senders = (0..n)
            .map(|shard| {
                let (tx, rx) = std_mpsc::sync_channel::<(Outgoing, Shards)>(WRITER_QUEUE);
                std::thread::Builder::new()
                    .name(format!("codehub-fanout-{shard}"))
                    .spawn(move || write_shard(rx, shard))
                    .expect("a fan-out thread starts");
                tx
            })
            .collect();
        Writers::Threads(senders)
    }

    /// Shards subscribers are split into.
    pub fn shards(&self) -> usize {
        match self {
            Writers::Inline => 1,
            Writers::Threads(t) => t.len(),
        }
    }

    /// Hands `out` to every shard that has subscribers.
    pub fn deliver(&self, out: &Outgoing, shards: &Shards) {
        match self {
            Writers::Inline => {
                for subscribers in shards.iter() {
                    offer_all(std::slice::from_ref(out), subscribers);
                }
            }
            Writers::Threads(threads) => {
                for (tx, subscribers) in threads.iter().zip(shards.iter()) {
                    if subscribers.is_empty() {
                        continue;
                    }
                    if let Err(std_mpsc::TrySendError::Full(_)) =
                        tx.try_send((out.clone(), shards.clone()))
                    {
                        metrics::counter!("codehub_ws_messages_dropped_total")
                            .increment(subscribers.len() as u64);
                        for s in subscribers {
                            s.lag();
                        }
                    }
                }
            }
        }
    }
}
