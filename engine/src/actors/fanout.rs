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
//! writes all of its messages, in the order the Hub published them.

use super::hub::Outgoing;
use codehub_protocol::channel::Channel;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc as std_mpsc;
use tokio::sync::{Notify, mpsc};

/// What became of one offered message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offer {
    /// Written to the client's socket (or queued behind earlier bytes for it).
    Written,
    /// Put in an in-process queue.
    Queued,
    /// Not for this subscriber (not watched, or not newer than what it has).
    Skipped,
    /// The subscriber could not keep up: it dropped its backlog and will resynchronise.
    Lagged,
}

/// A connection's inbox, as the Hub sees it.
///
/// **Overflow policy: mark lagged, never wait.** An inbox that cannot take a message
/// drops its backlog, marks itself lagged and wakes its connection, which sends each of
/// its channels one fresh snapshot.
pub trait Inbox: Send + Sync + std::fmt::Debug + 'static {
    /// Takes `out` without waiting.
    fn offer(&self, out: &Outgoing) -> Offer;
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
    fn offer(&self, out: &Outgoing) -> Offer {
        match self.tx.try_send(out.clone()) {
            Ok(()) => Offer::Queued,
            Err(mpsc::error::TrySendError::Full(_)) => {
                self.lag();
                Offer::Lagged
            }
            Err(mpsc::error::TrySendError::Closed(_)) => Offer::Skipped,
        }
    }

    fn lag(&self) {
        if !self.lagged.swap(true, Ordering::AcqRel) {
            self.wake.notify_one();
        }
    }
}

/// A channel's subscribers split into shards by connection id (one per writer).
pub type Shards = Arc<Vec<Vec<Subscriber>>>;

/// Offers `out` to `subscribers` and records the delivery metrics once for the lot
/// (not per message per connection): messages sent and dropped, and the delivery lag of
/// the last one written.
pub fn offer_all(out: &Outgoing, subscribers: &[Subscriber]) {
    let (mut written, mut lagged) = (0u64, 0u64);
    for s in subscribers {
        match s.offer(out) {
            Offer::Written => written += 1,
            Offer::Lagged => lagged += 1,
            Offer::Queued | Offer::Skipped => {}
        }
    }
    if lagged > 0 {
        metrics::counter!("codehub_ws_messages_dropped_total").increment(lagged);
    }
    if written > 0 {
        let kind = out.channel.parse::<Channel>().map_or("other", |c| c.kind());
        metrics::counter!("codehub_ws_messages_sent_total", "kind" => kind).increment(written);
        let lag_ms = (crate::model::now_ms() - out.ts).max(0);
        metrics::histogram!("codehub_ws_delivery_lag_seconds", "kind" => kind)
            .record(lag_ms as f64 / 1000.0);
    }
}

/// How the Hub fans a message out.
#[derive(Debug, Default)]
pub enum Writers {
    /// In the Hub's own call (one shard; unit tests).
    #[default]
    Inline,
    /// One thread per shard; each takes `(message, shards)` and writes its shard.
    Threads(Vec<std_mpsc::Sender<(Outgoing, Shards)>>),
}

impl Writers {
    /// One writer thread per core (at most 8), named `codehub-fanout-N`.
    pub fn per_core() -> Writers {
        let n = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
        let senders = (0..n)
            .map(|shard| {
                let (tx, rx) = std_mpsc::channel::<(Outgoing, Shards)>();
                std::thread::Builder::new()
                    .name(format!("codehub-fanout-{shard}"))
                    .spawn(move || {
                        // Ends when the Hub (the only sender) is gone.
                        while let Ok((out, shards)) = rx.recv() {
                            if let Some(subscribers) = shards.get(shard) {
                                offer_all(&out, subscribers);
                            }
                        }
                    })
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
                    offer_all(out, subscribers);
                }
            }
            Writers::Threads(threads) => {
                for (tx, subscribers) in threads.iter().zip(shards.iter()) {
                    if !subscribers.is_empty() {
                        let _ = tx.send((out.clone(), shards.clone()));
                    }
                }
            }
        }
    }
}
