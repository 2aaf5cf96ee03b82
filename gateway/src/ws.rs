//! `/ws`: live channels over WebSocket.
//!
//! Client → server: `{"op":"subscribe","channel":"contest/1/scoreboard","since":12}` (since
//! optional), `{"op":"unsubscribe","channel":"…"}`. Server → client: channel messages
//! `{"channel","seq","type","ts","data"}` where `type` is `snapshot`, `delta`, `status` or
//! `verdict`; errors `{"type":"error","code","message"}`.
//!
//! Channels: `contest/{id}/scoreboard` (public, no login), `contest/{id}/scoreboard/jury`
//! (jury), `user/{id}/submissions` and `submission/{id}` (the user or the jury), and the
//! clarification and resolver channels. A socket authenticates with its first message,
//! `{"op":"auth","token":"<access token>"}` (answered `{"type":"auth","data":{"user_id",
//! "role"}}`; once per connection), or, for compatibility, `/ws?token=` (tokens in URLs end
//! up in logs: the UI no longer uses it).
//!
//! Each connection has one bounded queue fed by the Hub. Messages of a channel reach the
//! client in `seq` order with none at or below what the client already has; when the queue
//! overflows, the backlog is dropped and each channel gets one fresh snapshot.

use crate::app::AppState;
use crate::auth::{Caller, verify_access_token};
use crate::error::ApiError;
use axum::extract::State;
use axum::extract::ws::{Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::response::{IntoResponse, Response};
use codehub_engine::actors::hub::{HubMsg, Outgoing, Subscriber, encode};
use codehub_engine::scoring::View;
use codehub_protocol::channel::{Channel, UnknownChannel};
use codehub_protocol::ws::{ClientCommand, ServerMessage, UserSubmissions};
use futures::SinkExt;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::sync::{Notify, mpsc};

/// Messages queued per connection before it counts as lagging.
const QUEUE: usize = 256;
/// At most this many queued messages go out in one write (one flush).
const COALESCE: usize = 32;
/// Largest client message.
const MAX_CLIENT_MESSAGE: usize = 16 << 10;

/// A channel a connection watches: the last `seq` it has, and its metrics (handles
/// resolved once, so a delivery costs no label lookup).
struct Watched {
    last: u64,
    sent: metrics::Counter,
    resyncs: metrics::Counter,
    /// `None` with metrics off: no clock read per delivery.
    lag: Option<metrics::Histogram>,
}

impl Watched {
    fn new(last: u64, channel: &Channel, metered: bool) -> Watched {
        let kind = channel.kind();
        Watched {
            last,
            sent: metrics::counter!("codehub_ws_messages_sent_total", "kind" => kind),
            resyncs: metrics::counter!("codehub_ws_resyncs_total", "kind" => kind),
            lag: metered
                .then(|| metrics::histogram!("codehub_ws_delivery_lag_seconds", "kind" => kind)),
        }
    }
}

/// Counts an open connection in `codehub_ws_connections` while it lives.
struct OpenConnection;

impl OpenConnection {
    fn new() -> OpenConnection {
        metrics::gauge!("codehub_ws_connections").increment(1.0);
        OpenConnection
    }
}

impl Drop for OpenConnection {
    fn drop(&mut self) {
        metrics::gauge!("codehub_ws_connections").decrement(1.0);
    }
}

/// `?token=`.
#[derive(Debug, Deserialize)]
pub struct WsQuery {
    #[serde(default)]
    token: Option<String>,
}

/// Upgrades to a WebSocket (401 first if the token is invalid).
pub async fn upgrade(
    ws: WebSocketUpgrade,
    State(state): State<AppState>,
    query: Result<axum::extract::Query<WsQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let token = query.ok().and_then(|q| q.0.token);
    let caller = match token {
        None => None,
        Some(t) => match verify_access_token(&state.keys, &t) {
            Ok(c) => Some(c),
            Err(e) => return e.into_response(),
        },
    };
    // Small buffers: a spectator sends a few short commands and reads small messages, and
    // the defaults (128 KiB read buffer) would cost ~140 KiB per idle connection.
    ws.max_message_size(MAX_CLIENT_MESSAGE)
        .max_frame_size(MAX_CLIENT_MESSAGE)
        .read_buffer_size(1 << 10)
        .write_buffer_size(0)
        .on_upgrade(move |socket| Connection::run(Connection::new(state, caller), socket))
}

/// One client connection.
struct Connection {
    state: AppState,
    caller: Option<Caller>,
    /// This connection's id in the Hub.
    id: u64,
    /// Its inbox as the Hub sees it.
    subscriber: Subscriber,
    /// Last `seq` delivered per subscribed channel.
    channels: HashMap<String, Watched>,
}

fn error_message(status: u16, message: &str) -> Message {
    let body =
        serde_json::to_string(&ServerMessage::error(status, message)).expect("messages serialise");
    Message::Text(Utf8Bytes::from(body))
}

fn text(bytes: bytes::Bytes) -> Option<Message> {
    Utf8Bytes::try_from(bytes).ok().map(Message::Text)
}

impl Connection {
    fn new(state: AppState, caller: Option<Caller>) -> (Self, mpsc::Receiver<Outgoing>) {
        let (tx, rx) = mpsc::channel(QUEUE);
        let id = state.next_conn.fetch_add(1, Ordering::Relaxed);
        let subscriber = Subscriber {
            tx,
            lagged: Arc::new(AtomicBool::new(false)),
            wake: Arc::new(Notify::new()),
        };
        (
            Connection {
                state,
                caller,
                id,
                subscriber,
                channels: HashMap::new(),
            },
            rx,
        )
    }

    /// Checks the caller may read `name`.
    async fn authorize(&self, name: &str) -> Result<Channel, ApiError> {
        let target: Channel = name
            .parse()
            .map_err(|e: UnknownChannel| ApiError::bad_request(e.to_string()))?;
        let jury = self.caller.as_ref().is_some_and(|c| c.role.is_jury());
        let me = self.caller.as_ref().map(|c| c.id);
        match &target {
            Channel::Scoreboard(c, view) => {
                if *view == View::Jury && !jury {
                    return Err(ApiError::forbidden(
                        "the jury scoreboard needs a jury token",
                    ));
                }
                if self.state.store.contest(*c).await?.is_none() {
                    return Err(ApiError::not_found(format!("unknown contest {c}")));
                }
            }
            Channel::UserSubmissions(u) => {
                if !(jury || me == Some(*u)) {
                    return Err(ApiError::forbidden(
                        "only this user or the jury may follow these submissions",
                    ));
                }
            }
            Channel::Submission(s) => {
                let owner = self.state.store.submission(*s).await?.map(|s| s.user_id);
                if owner.is_none() || !(jury || owner == me) {
                    return Err(ApiError::not_found(format!("unknown submission {s}")));
                }
            }
            Channel::Clarifications(c, view) => {
                if *view == View::Jury && !jury {
                    return Err(ApiError::forbidden(
                        "the jury's clarification queue needs a jury token",
                    ));
                }
                if self.state.store.contest(*c).await?.is_none() {
                    return Err(ApiError::not_found(format!("unknown contest {c}")));
                }
            }
            Channel::Resolver(c) => {
                if self.state.store.contest(*c).await?.is_none() {
                    return Err(ApiError::not_found(format!("unknown contest {c}")));
                }
            }
            Channel::UserClarifications(u) => {
                if !(jury || me == Some(*u)) {
                    return Err(ApiError::forbidden(
                        "only this user or the jury may follow these clarifications",
                    ));
                }
            }
        }
        Ok(target)
    }

    /// A fresh snapshot of a channel and its sequence number.
    async fn snapshot(
        &self,
        name: &str,
        target: &Channel,
    ) -> Result<(u64, serde_json::Value), ApiError> {
        match target {
            Channel::Scoreboard(c, view) => {
                let s = self.state.engine.scoreboard(*c, *view).await?;
                Ok((s.seq, serde_json::to_value(&s).map_err(ApiError::internal)?))
            }
            Channel::UserSubmissions(u) => {
                let seq = self.last_seq(name).await?;
                let subs = self.state.store.user_submissions(*u, None).await?;
                let role = self
                    .caller
                    .as_ref()
                    .map_or(codehub_engine::model::Role::Spectator, |c| c.role);
                let views: Vec<_> = subs
                    .iter()
                    .take(50)
                    .map(|s| crate::present::submission(s, role))
                    .map(|mut v| {
                        v.files = None;
                        v
                    })
                    .collect();
                Ok((
                    seq,
                    serde_json::to_value(UserSubmissions { submissions: views })
                        .map_err(ApiError::internal)?,
                ))
            }
            Channel::Submission(s) => {
                let seq = self.last_seq(name).await?;
                let sub = self
                    .state
                    .store
                    .submission(*s)
                    .await?
                    .ok_or_else(|| ApiError::not_found("submission gone"))?;
                let role = self
                    .caller
                    .as_ref()
                    .map_or(codehub_engine::model::Role::Spectator, |c| c.role);
                let mut view = crate::present::submission(&sub, role);
                view.files = None;
                Ok((seq, serde_json::to_value(view).map_err(ApiError::internal)?))
            }
            Channel::Clarifications(..) | Channel::UserClarifications(_) => {
                let seq = self.last_seq(name).await?;
                let list =
                    crate::routes::clarifications::channel_snapshot(&self.state, target).await?;
                Ok((seq, serde_json::json!({ "clarifications": list })))
            }
            Channel::Resolver(c) => {
                let seq = self.last_seq(name).await?;
                Ok((
                    seq,
                    crate::routes::contests::resolver_state(&self.state, *c).await?,
                ))
            }
        }
    }

    async fn last_seq(&self, name: &str) -> Result<u64, ApiError> {
        ractor::call_t!(
            self.state.engine.hub(),
            HubMsg::LastSeq,
            10_000,
            name.to_owned()
        )
        .map_err(|e| ApiError::new(axum::http::StatusCode::SERVICE_UNAVAILABLE, e.to_string()))
    }

    /// Subscribes and returns what to send now. In a cluster the node subscribes to the
    /// channel on Redis first, so nothing published after the snapshot is missed.
    async fn subscribe(
        &mut self,
        name: String,
        since: Option<u64>,
    ) -> Result<Vec<Message>, ApiError> {
        let target = self.authorize(&name).await?;
        let relay = self.state.relay.clone();
        let fresh = !self.channels.contains_key(&name);
        if fresh && let Some(relay) = &relay {
            relay
                .watch(&name)
                .await
                .map_err(|e| ApiError::unavailable(format!("cluster fan-out: {e}")))?;
        }
        let result = self.subscribe_watched(name.clone(), since, target).await;
        if fresh
            && !self.channels.contains_key(&name)
            && let Some(relay) = &relay
        {
            relay.unwatch(&name).await;
        }
        result
    }

    /// Registers this connection for `name` in the Hub; with `since`, returns the ring's
    /// messages after it if the ring still holds all of them.
    async fn hub_subscribe(
        &self,
        name: &str,
        since: Option<u64>,
    ) -> Result<Option<Vec<Outgoing>>, ApiError> {
        let (id, subscriber, channel) = (self.id, self.subscriber.clone(), name.to_owned());
        self.state
            .engine
            .hub()
            .call(
                |reply| HubMsg::Subscribe {
                    channel,
                    conn: id,
                    subscriber,
                    since,
                    reply,
                },
                Some(std::time::Duration::from_secs(10)),
            )
            .await
            .ok()
            .and_then(|r| match r {
                ractor::rpc::CallResult::Success(b) => Some(b),
                _ => None,
            })
            .ok_or_else(|| {
                ApiError::new(
                    axum::http::StatusCode::SERVICE_UNAVAILABLE,
                    "hub unavailable",
                )
            })
    }

    async fn subscribe_watched(
        &mut self,
        name: String,
        since: Option<u64>,
        target: Channel,
    ) -> Result<Vec<Message>, ApiError> {
        match (since, self.hub_subscribe(&name, since).await?) {
            (Some(since), Some(backlog)) => {
                let last = backlog.last().map_or(since, |m| m.seq);
                self.watch(name, last, &target);
                Ok(backlog.into_iter().filter_map(|m| text(m.bytes)).collect())
            }
            _ => self.resync(name, &target).await,
        }
    }

    /// A fresh snapshot, then whatever the Hub's ring already holds after it: in a cluster
    /// the snapshot may be a little older than what this node has relayed (it comes from
    /// the owner, possibly shared by several subscribers), and those messages would
    /// otherwise be missed.
    async fn resync(&mut self, name: String, target: &Channel) -> Result<Vec<Message>, ApiError> {
        let (seq, data) = self.snapshot(&name, target).await?;
        let bytes = encode(&name, seq, "snapshot", &data);
        let mut out = vec![text(bytes).ok_or_else(|| ApiError::internal("snapshot is not UTF-8"))?];
        let mut last = seq;
        if let Some(after) = self.hub_subscribe(&name, Some(seq)).await? {
            for m in after {
                last = m.seq;
                out.extend(text(m.bytes));
            }
        }
        self.watch(name, last, target);
        Ok(out)
    }

    /// Records that the client has `name` up to `last`.
    fn watch(&mut self, name: String, last: u64, target: &Channel) {
        match self.channels.get_mut(&name) {
            Some(watched) => watched.last = last,
            None => {
                let metered = self.state.metrics.is_some();
                self.channels
                    .insert(name, Watched::new(last, target, metered));
            }
        }
    }

    async fn command(&mut self, raw: &str) -> Vec<Message> {
        let cmd: ClientCommand = match serde_json::from_str(raw) {
            Ok(c) => c,
            Err(e) => return vec![error_message(400, &format!("bad command: {e}"))],
        };
        match cmd {
            ClientCommand::Subscribe { channel, since } => {
                match self.subscribe(channel, since).await {
                    Ok(msgs) => msgs,
                    Err(e) => vec![error_message(e.status.as_u16(), &e.message)],
                }
            }
            ClientCommand::Auth { token } => {
                if self.caller.is_some() {
                    return vec![error_message(
                        409,
                        "this connection is already authenticated; open another for another user",
                    )];
                }
                match verify_access_token(&self.state.keys, &token) {
                    Ok(caller) => {
                        let reply = serde_json::json!({
                            "type": "auth",
                            "data": {"user_id": caller.id.0, "role": caller.role.as_str()},
                        });
                        self.caller = Some(caller);
                        vec![Message::Text(reply.to_string().into())]
                    }
                    Err(e) => vec![error_message(e.status.as_u16(), &e.message)],
                }
            }
            ClientCommand::Unsubscribe { channel } => {
                if self.channels.remove(&channel).is_some()
                    && let Some(relay) = &self.state.relay
                {
                    relay.unwatch(&channel).await;
                }
                let _ = self.state.engine.hub().send_message(HubMsg::Unsubscribe {
                    channel,
                    conn: self.id,
                });
                Vec::new()
            }
        }
    }

    /// Tells the Hub (and the cluster relay) the connection is gone.
    async fn close(self) {
        let _ = self
            .state
            .engine
            .hub()
            .send_message(HubMsg::Disconnect(self.id));
        if let Some(relay) = &self.state.relay {
            for name in self.channels.keys() {
                relay.unwatch(name).await;
            }
        }
    }

    /// Takes the deliveries of one queued message: `None` if it is not for a channel
    /// this connection watches or is not newer than what it has. `record_lag`: the
    /// delivery lag is recorded (once per write, for its oldest message).
    fn deliver(&mut self, out: Outgoing, record_lag: bool) -> Option<Message> {
        let watched = self.channels.get_mut(&*out.channel)?;
        if out.seq <= watched.last {
            return None;
        }
        watched.last = out.seq;
        watched.sent.increment(1);
        if record_lag && let Some(lag) = &watched.lag {
            let lag_ms = (codehub_engine::model::now_ms() - out.ts).max(0);
            lag.record(lag_ms as f64 / 1000.0);
        }
        text(out.bytes)
    }

    /// One task per socket, the socket not split (no lock between a reader and a
    /// writer half): it waits for a command or a queued message, and writes what is
    /// queued by then (up to [`COALESCE`] messages) with one flush, so a connection that
    /// falls behind catches up in few writes.
    async fn run(self_and_rx: (Self, mpsc::Receiver<Outgoing>), mut socket: WebSocket) {
        let (mut conn, mut rx) = self_and_rx;
        let _open = OpenConnection::new();
        let wake = conn.subscriber.wake.clone();
        let lagged = conn.subscriber.lagged.clone();
        loop {
            let outgoing: Vec<Message> = tokio::select! {
                incoming = socket.recv() => match incoming {
                    Some(Ok(Message::Text(t))) => conn.command(t.as_str()).await,
                    Some(Ok(Message::Binary(_))) => vec![error_message(400, "commands are JSON text")],
                    Some(Ok(_)) => continue,
                    Some(Err(_)) | None => break,
                },
                out = rx.recv() => {
                    let Some(out) = out else { break };
                    let mut msgs: Vec<Message> = conn.deliver(out, true).into_iter().collect();
                    while msgs.len() < COALESCE {
                        match rx.try_recv() {
                            Ok(next) => msgs.extend(conn.deliver(next, false)),
                            Err(_) => break,
                        }
                    }
                    if msgs.is_empty() {
                        continue;
                    }
                    msgs
                }
                _ = wake.notified() => {
                    if !lagged.swap(false, Ordering::AcqRel) {
                        continue;
                    }
                    // Too slow: drop the backlog, send each channel one fresh snapshot.
                    while rx.try_recv().is_ok() {}
                    for watched in conn.channels.values() {
                        watched.resyncs.increment(1);
                    }
                    let names: Vec<String> = conn.channels.keys().cloned().collect();
                    let mut msgs = Vec::new();
                    for name in names {
                        if let Ok(target) = name.parse::<Channel>() {
                            match conn.resync(name, &target).await {
                                Ok(m) => msgs.extend(m),
                                Err(e) => msgs.push(error_message(e.status.as_u16(), &e.message)),
                            }
                        }
                    }
                    msgs
                }
            };
            let mut written = true;
            for m in outgoing {
                if socket.feed(m).await.is_err() {
                    written = false;
                    break;
                }
            }
            if !written || socket.flush().await.is_err() {
                conn.close().await;
                return;
            }
        }
        conn.close().await;
    }
}
