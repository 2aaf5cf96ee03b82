//! A connection's link: its inbox as the Hub sees it, and the one way out to its socket.
//!
//! The fan-out writer threads call [`Link::offer`] for every message of a channel the
//! connection watches. On plain TCP the frame is written there and then, with one
//! non-blocking `writev` (header + the message's shared bytes) and no task woken; only
//! when the socket's buffer is full do frames wait in `pending`, which the connection's
//! task writes out once the socket is writable. Over TLS every frame waits in `pending`
//! for the task. Everything the task sends itself (snapshots, replies, pongs) goes the
//! same way, under the same lock, so frames never interleave and a channel's messages
//! leave in `seq` order.
//!
//! While a channel is being (re)subscribed its messages are *held* until its snapshot or
//! backlog is written ([`Link::open`]), then those newer than it follow. A connection that
//! falls [`MAX_PENDING`] frames behind, or holds more than [`MAX_HELD`], drops its backlog
//! (a partly written frame is finished first) and resynchronises every channel.

use bytes::Bytes;
use codehub_engine::actors::hub::{Inbox, Offered, Outgoing};
use std::collections::VecDeque;
use std::io::{self, IoSlice};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::net::TcpStream;
use tokio::sync::Notify;
use tokio_tungstenite::tungstenite::protocol::frame::FrameHeader;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};

/// Frames waiting for the socket before the connection counts as lagging.
pub const MAX_PENDING: usize = 256;
/// Messages held for a channel being subscribed before the connection counts as lagging.
pub const MAX_HELD: usize = 256;
/// Frames written with one `writev` (two buffers each, well under `IOV_MAX`).
const FLUSH_BATCH: usize = 64;

/// A text frame's header for a payload of `len` bytes (server frames are not masked).
fn text_header(len: usize) -> ([u8; 10], usize) {
    let header = FrameHeader {
        opcode: OpCode::Data(Data::Text),
        ..FrameHeader::default()
    };
    let mut out = [0u8; 10];
    let mut cursor = io::Cursor::new(&mut out[..]);
    header
        .format(len as u64, &mut cursor)
        .expect("a header fits in 10 bytes");
    let n = cursor.position() as usize;
    (out, n)
}

/// A channel the connection watches.
struct Watched {
    name: Arc<str>,
    /// Last `seq` written.
    last: u64,
    /// Its snapshot or backlog is written: messages go out as they come.
    ready: bool,
    /// Messages that came while it was not ready.
    held: Vec<Outgoing>,
    resyncs: metrics::Counter,
}

/// A frame on its way: what is left of its header (kept inline: no allocation per
/// message per connection) and of its payload (shared).
#[derive(Clone)]
struct Frame {
    head: [u8; 10],
    head_from: u8,
    head_to: u8,
    body: Bytes,
}

impl Frame {
    /// A text frame of `payload` (its bytes shared, not copied).
    fn text(payload: &Bytes) -> Frame {
        let (head, n) = text_header(payload.len());
        Frame {
            head,
            head_from: 0,
            head_to: n as u8,
            body: payload.clone(),
        }
    }

    /// Bytes that are already whole frames.
    fn raw(bytes: Bytes) -> Frame {
        Frame {
            head: [0; 10],
            head_from: 0,
            head_to: 0,
            body: bytes,
        }
    }

    fn head(&self) -> &[u8] {
        &self.head[usize::from(self.head_from)..usize::from(self.head_to)]
    }

    fn len(&self) -> usize {
        self.head().len() + self.body.len()
    }

    /// Drops the first `n` bytes (fewer than [`Frame::len`]).
    fn advance(&mut self, n: usize) {
        let head = self.head().len();
        if n < head {
            self.head_from += n as u8;
        } else {
            self.head_from = self.head_to;
            bytes::Buf::advance(&mut self.body, n - head);
        }
    }
}

#[derive(Default)]
struct State {
    channels: Vec<Watched>,
    /// Frames not yet written, oldest first.
    pending: VecDeque<Frame>,
    /// The first pending frame is partly written: it must be finished.
    front_started: bool,
    /// Fell behind: the task drops the backlog and resynchronises.
    lagged: bool,
    /// The socket failed or the connection closed: nothing more is written.
    closed: bool,
}

impl State {
    fn watched(&mut self, name: &str) -> Option<&mut Watched> {
        self.channels.iter_mut().find(|w| &*w.name == name)
    }
}

/// See the module documentation.
pub struct Link {
    /// The socket, on plain TCP: frames are written to it directly.
    tcp: Option<Arc<TcpStream>>,
    state: Mutex<State>,
    /// Wakes the connection's task: frames to flush, a lag, or the socket failed.
    pub wake: Notify,
}

impl std::fmt::Debug for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Link")
            .field("direct", &self.tcp.is_some())
            .finish_non_exhaustive()
    }
}

impl Link {
    /// A link writing to `tcp` directly, or (`None`) through the connection's task.
    pub fn new(tcp: Option<Arc<TcpStream>>) -> Link {
        Link {
            tcp,
            state: Mutex::default(),
            wake: Notify::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Writes `frames` now, with one `writev`, if nothing waits before them and the socket
    /// takes them; what it does not take is queued. False if the connection is closed or
    /// lagged (then nothing more of them is written). `bounded`: more than
    /// [`MAX_PENDING`] frames waiting counts as lagging (live messages); a subscription's
    /// snapshot and backlog are bounded by the Hub's ring instead.
    fn write(&self, st: &mut State, frames: &[Frame], bounded: bool) -> bool {
        if st.closed {
            return false;
        }
        let mut rest = frames;
        if st.pending.is_empty()
            && let Some(tcp) = &self.tcp
        {
            // At most FLUSH_BATCH frames per call: a `since` backlog may hold a thousand,
            // more buffers than one `writev` takes (IOV_MAX); the rest waits.
            let slices: Vec<IoSlice<'_>> = frames
                .iter()
                .take(FLUSH_BATCH)
                .flat_map(|f| [IoSlice::new(f.head()), IoSlice::new(&f.body)])
                .collect();
            match tcp.try_write_vectored(&slices) {
                Ok(mut n) => {
                    // Skip what went out; a frame cut short waits with its remainder.
                    while let Some(f) = rest.first() {
                        let len = f.len();
                        if n < len {
                            break;
                        }
                        n -= len;
                        rest = &rest[1..];
                    }
                    if let Some(f) = rest.first()
                        && n > 0
                    {
                        let mut cut = f.clone();
                        cut.advance(n);
                        st.pending.push_back(cut);
                        st.front_started = true;
                        rest = &rest[1..];
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(_) => {
                    st.closed = true;
                    st.pending.clear();
                    self.wake.notify_one();
                    return false;
                }
            }
        }
        if bounded && st.pending.len() + rest.len() > MAX_PENDING {
            self.lag_locked(st);
            return false;
        }
        st.pending.extend(rest.iter().cloned());
        if !st.pending.is_empty() {
            self.wake.notify_one();
        }
        true
    }

    /// Drops the backlog (finishing a partly written frame), forgets held messages and
    /// wakes the task to resynchronise.
    fn lag_locked(&self, st: &mut State) {
        if st.lagged || st.closed {
            return;
        }
        st.lagged = true;
        let keep = usize::from(st.front_started);
        st.pending.truncate(keep);
        for w in &mut st.channels {
            w.held.clear();
        }
        self.wake.notify_one();
    }

    /// Sends a text message (a reply, an error, a snapshot outside any channel).
    pub fn send_text(&self, payload: &Bytes) {
        let mut st = self.lock();
        self.write(&mut st, &[Frame::text(payload)], true);
    }

    /// Sends bytes that are already whole frames (tungstenite's pongs and close replies).
    /// False once the connection is closed.
    pub fn send_frames(&self, frames: &[u8]) -> bool {
        let frame = Frame::raw(Bytes::copy_from_slice(frames));
        let mut st = self.lock();
        self.write(&mut st, &[frame], true)
    }

    /// Does the connection watch `name`?
    pub fn watches(&self, name: &str) -> bool {
        self.lock().watched(name).is_some()
    }

    /// The channels the connection watches.
    pub fn channel_names(&self) -> Vec<Arc<str>> {
        self.lock()
            .channels
            .iter()
            .map(|w| w.name.clone())
            .collect()
    }

    /// Starts (re)subscribing `name`: its messages are held until [`Link::open`].
    pub fn hold(&self, name: &str, kind: &'static str) {
        let mut st = self.lock();
        match st.watched(name) {
            Some(w) => {
                w.ready = false;
                w.held.clear();
            }
            None => st.channels.push(Watched {
                name: Arc::from(name),
                last: 0,
                ready: false,
                held: Vec::new(),
                resyncs: metrics::counter!("codehub_ws_resyncs_total", "kind" => kind),
            }),
        }
    }

    /// Finishes subscribing `name`: writes `snapshot` (if any), then the messages of
    /// `after` and those held meanwhile that are newer than `base` and each other, and
    /// lets the channel's messages flow. Does nothing if the connection lagged meanwhile
    /// (it resynchronises the channel again).
    pub fn open(&self, name: &str, base: u64, snapshot: Option<Bytes>, after: Vec<Outgoing>) {
        let mut st = self.lock();
        if st.lagged || st.closed {
            return;
        }
        let Some(w) = st.watched(name) else { return };
        w.last = base;
        let held = std::mem::take(&mut w.held);
        let mut frames: Vec<Bytes> = snapshot.into_iter().collect();
        for m in after.into_iter().chain(held) {
            if m.seq > w.last {
                w.last = m.seq;
                frames.push(m.bytes);
            }
        }
        w.ready = true;
        let frames: Vec<Frame> = frames.iter().map(Frame::text).collect();
        self.write(&mut st, &frames, false);
    }

    /// Stops watching `name`; true if it was watched.
    pub fn forget(&self, name: &str) -> bool {
        let mut st = self.lock();
        let before = st.channels.len();
        st.channels.retain(|w| &*w.name != name);
        st.channels.len() != before
    }

    /// If the connection lagged: clears the mark, holds every channel and counts a
    /// resync for each; the caller then resubscribes them. False if it had not lagged.
    pub fn take_lag(&self) -> bool {
        let mut st = self.lock();
        if !st.lagged {
            return false;
        }
        st.lagged = false;
        for w in &mut st.channels {
            w.ready = false;
            w.held.clear();
            w.resyncs.increment(1);
        }
        true
    }

    /// Closes the link: nothing more is written.
    pub fn close(&self) {
        let mut st = self.lock();
        st.closed = true;
        st.pending.clear();
    }

    /// Is the link closed (the socket failed)?
    pub fn is_closed(&self) -> bool {
        self.lock().closed
    }

    /// Writes the pending frames to the TCP socket, waiting until it takes them all.
    /// Direct links only.
    pub async fn flush_direct(&self) -> io::Result<()> {
        let tcp = self.tcp.as_ref().expect("a direct link");
        loop {
            {
                let mut st = self.lock();
                if st.closed {
                    return Err(io::ErrorKind::BrokenPipe.into());
                }
                while !st.pending.is_empty() {
                    let slices: Vec<IoSlice<'_>> = st
                        .pending
                        .iter()
                        .take(FLUSH_BATCH)
                        .flat_map(|f| [IoSlice::new(f.head()), IoSlice::new(&f.body)])
                        .collect();
                    match tcp.try_write_vectored(&slices) {
                        Ok(n) => {
                            drop(slices);
                            advance(&mut st, n);
                        }
                        Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                        Err(e) => {
                            st.closed = true;
                            st.pending.clear();
                            return Err(e);
                        }
                    }
                }
                if st.pending.is_empty() {
                    return Ok(());
                }
            }
            tcp.writable().await?;
        }
    }

    /// Takes the pending frames, for a task that writes them itself (links that are not
    /// direct: nothing else writes to their socket).
    pub fn take_pending(&self) -> Vec<Bytes> {
        let mut st = self.lock();
        st.front_started = false;
        st.pending
            .drain(..)
            .flat_map(|f| [Bytes::copy_from_slice(f.head()), f.body])
            .filter(|b| !b.is_empty())
            .collect()
    }
}

/// Drops the first `n` written bytes from `st.pending`.
fn advance(st: &mut State, mut n: usize) {
    while n > 0 {
        let front = st
            .pending
            .front_mut()
            .expect("no more written than pending");
        let len = front.len();
        if n < len {
            front.advance(n);
            st.front_started = true;
            return;
        }
        n -= len;
        st.pending.pop_front();
        st.front_started = false;
    }
}

impl Inbox for Link {
    fn offer(&self, batch: &[Outgoing]) -> Offered {
        let mut st = self.lock();
        let mut offered = Offered::default();
        if st.lagged || st.closed {
            return offered;
        }
        let mut frames = Vec::with_capacity(batch.len());
        for out in batch {
            let Some(w) = st.watched(&out.channel) else {
                continue;
            };
            if !w.ready {
                if w.held.len() >= MAX_HELD {
                    self.lag_locked(&mut st);
                    offered.lagged = true;
                    return offered;
                }
                w.held.push(out.clone());
                continue;
            }
            if out.seq > w.last {
                w.last = out.seq;
                frames.push(Frame::text(&out.bytes));
            }
        }
        if !frames.is_empty() {
            if self.write(&mut st, &frames, true) {
                offered.written = frames.len();
            } else {
                offered.lagged = st.lagged;
            }
        }
        offered
    }

    fn lag(&self) {
        let mut st = self.lock();
        self.lag_locked(&mut st);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(channel: &str, seq: u64) -> Outgoing {
        Outgoing {
            channel: Arc::from(channel),
            seq,
            bytes: Bytes::from(format!("m{seq}")),
            ts: 0,
        }
    }

    fn pending(link: &Link) -> Vec<String> {
        link.take_pending()
            .iter()
            .filter(|b| b.first() != Some(&0x81))
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .collect()
    }

    #[test]
    fn headers_are_those_of_unmasked_final_text_frames() {
        assert_eq!(text_header(5), ([0x81, 5, 0, 0, 0, 0, 0, 0, 0, 0], 2));
        let (h, n) = text_header(300);
        assert_eq!(&h[..n], &[0x81, 126, 1, 44]);
        let (h, n) = text_header(70_000);
        assert_eq!(&h[..n], &[0x81, 127, 0, 0, 0, 0, 0, 1, 0x11, 0x70]);
    }

    fn offer(link: &Link, channel: &str, seqs: &[u64]) -> Offered {
        let batch: Vec<Outgoing> = seqs.iter().map(|s| out(channel, *s)).collect();
        link.offer(&batch)
    }

    fn written(n: usize) -> Offered {
        Offered {
            written: n,
            lagged: false,
        }
    }

    #[test]
    fn messages_wait_for_the_snapshot_then_only_newer_ones_follow_in_order() {
        let link = Link::new(None);
        link.hold("c", "scoreboard");
        assert_eq!(offer(&link, "c", &[3, 4]), written(0), "held");
        assert_eq!(offer(&link, "c", &[5]), written(0), "held");
        assert_eq!(offer(&link, "other", &[1]), written(0));
        link.open("c", 3, Some(Bytes::from("snapshot@3")), vec![out("c", 4)]);
        assert_eq!(pending(&link), ["snapshot@3", "m4", "m5"]);
        assert_eq!(offer(&link, "c", &[5]), written(0), "not newer");
        assert_eq!(
            offer(&link, "c", &[5, 6, 7]),
            written(2),
            "only the newer ones"
        );
        assert_eq!(pending(&link), ["m6", "m7"]);
    }

    #[test]
    fn a_link_that_falls_behind_drops_its_backlog_and_resyncs_once() {
        let link = Link::new(None);
        link.hold("c", "scoreboard");
        link.open("c", 0, None, Vec::new());
        for seq in 1..=MAX_PENDING as u64 {
            assert_eq!(offer(&link, "c", &[seq]), written(1));
        }
        let lagged = Offered {
            written: 0,
            lagged: true,
        };
        assert_eq!(offer(&link, "c", &[999]), lagged);
        assert_eq!(
            offer(&link, "c", &[1000]),
            written(0),
            "ignored until resynced"
        );
        assert!(pending(&link).is_empty(), "the backlog is dropped");
        assert!(link.take_lag());
        assert!(!link.take_lag(), "one resync per lag");
        assert_eq!(
            offer(&link, "c", &[1001]),
            written(0),
            "held until resynced"
        );
        link.open("c", 1000, Some(Bytes::from("snapshot@1000")), Vec::new());
        assert_eq!(pending(&link), ["snapshot@1000", "m1001"]);
    }

    #[test]
    fn holding_too_much_while_subscribing_counts_as_lagging() {
        let link = Link::new(None);
        link.hold("c", "scoreboard");
        let seqs: Vec<u64> = (1..=MAX_HELD as u64).collect();
        assert_eq!(offer(&link, "c", &seqs), written(0));
        assert!(offer(&link, "c", &[9999]).lagged);
        // The subscription in progress finds the lag and leaves the channel to the resync.
        link.open("c", 0, Some(Bytes::from("snapshot@0")), Vec::new());
        assert!(pending(&link).is_empty());
        assert!(link.take_lag());
    }

    #[test]
    fn a_partly_written_frame_is_finished_before_anything_else() {
        let mut st = State::default();
        for body in ["abcd", "efgh"] {
            st.pending.push_back(Frame::text(&Bytes::from(body)));
        }
        // Each frame: a 2-byte header and 4 bytes.
        advance(&mut st, 3);
        assert!(st.front_started);
        assert_eq!(
            (st.pending[0].head(), &st.pending[0].body[..]),
            (&[][..], &b"bcd"[..])
        );
        advance(&mut st, 3);
        assert!(!st.front_started);
        assert_eq!(st.pending.len(), 1);
        advance(&mut st, 1);
        assert_eq!(st.pending[0].head(), &[4][..], "half a header left");
    }

    #[tokio::test]
    async fn a_thousand_message_backlog_reaches_a_real_socket_whole_and_in_order() {
        use tokio::io::AsyncReadExt;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let client = tokio::net::TcpStream::connect(listener.local_addr().unwrap());
        let (client, accepted) = tokio::join!(client, listener.accept());
        let (mut client, server) = (client.unwrap(), accepted.unwrap().0);
        let link = Arc::new(Link::new(Some(Arc::new(server))));
        link.hold("c", "scoreboard");
        let backlog: Vec<Outgoing> = (1..=1000).map(|seq| out("c", seq)).collect();
        let expected: Vec<u8> = backlog
            .iter()
            .flat_map(|m| {
                let (head, n) = text_header(m.bytes.len());
                [&head[..n], &m.bytes[..]].concat()
            })
            .collect();
        link.open("c", 0, None, backlog);
        assert!(!link.is_closed(), "more frames than one writev takes");
        let flusher = tokio::spawn({
            let link = link.clone();
            async move { link.flush_direct().await }
        });
        let mut got = vec![0u8; expected.len()];
        client.read_exact(&mut got).await.unwrap();
        flusher.await.unwrap().unwrap();
        assert!(got == expected, "every frame, whole and in order");
        // Live messages after it go straight to the socket.
        assert_eq!(offer(&link, "c", &[1001]).written, 1);
    }
}
