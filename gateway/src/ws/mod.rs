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
//! Each connection has a [`Link`](link::Link): the Hub's fan-out writers write its
//! channels' messages through it, on plain TCP straight to the socket. Messages of a
//! channel reach the client in `seq` order with none at or below what the client already
//! has; a connection that falls behind drops its backlog and each channel gets one fresh
//! snapshot. The connection's task reads commands and writes out what the socket could
//! not take at once.

mod boards;
mod link;
mod upgrade;

pub use boards::BoardSnapshots;

use crate::app::AppState;
use crate::auth::{Caller, verify_access_token};
use crate::error::ApiError;
use crate::listener::Peer;
use axum::extract::connect_info::ConnectInfo;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use codehub_engine::actors::hub::{HubMsg, Outgoing, Subscriber, encode};
use codehub_engine::scoring::View;
use codehub_protocol::channel::{Channel, UnknownChannel};
use codehub_protocol::ws::{ClientCommand, ServerMessage, UserSubmissions};
use futures::StreamExt;
use hyper_util::rt::TokioIo;
use link::Link;
use serde::Deserialize;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use tokio::io::AsyncWriteExt;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};
use upgrade::{Duplex, UpgradedIo};

/// Largest client message.
const MAX_CLIENT_MESSAGE: usize = 16 << 10;

/// Counts an open connection in `codehub_ws_connections` while it lives.
struct OpenConnection;

impl OpenConnection {
    fn new() -> OpenConnection {
        metrics::gauge!("codehub_ws_connections").increment(1.0);
        crate::memory::note_connection_churn();
        OpenConnection
    }
}

impl Drop for OpenConnection {
    fn drop(&mut self) {
        metrics::gauge!("codehub_ws_connections").decrement(1.0);
        crate::memory::note_connection_churn();
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
    State(state): State<AppState>,
    query: Result<axum::extract::Query<WsQuery>, axum::extract::rejection::QueryRejection>,
    mut req: Request,
) -> Response {
    let token = query.ok().and_then(|q| q.0.token);
    let caller = match token {
        None => None,
        Some(t) => match verify_access_token(&state.keys, &t) {
            Ok(c) => Some(c),
            Err(e) => return e.into_response(),
        },
    };
    let tcp = req
        .extensions()
        .get::<ConnectInfo<Peer>>()
        .and_then(|p| p.0.tcp.clone());
    let (response, on_upgrade) = match upgrade::accept(&mut req) {
        Ok(accepted) => accepted,
        Err(refused) => return *refused,
    };
    tokio::spawn(async move {
        match on_upgrade.await {
            Ok(upgraded) => Connection::start(state, caller, tcp, TokioIo::new(upgraded)).await,
            Err(e) => tracing::debug!(error = %e, "WebSocket upgrade failed"),
        }
    });
    response
}

/// One client connection.
struct Connection {
    state: AppState,
    caller: Option<Caller>,
    /// This connection's id in the Hub.
    id: u64,
    /// Its way out, and its inbox as the Hub sees it.
    link: Arc<Link>,
}

fn error_message(status: u16, message: &str) -> Bytes {
    serde_json::to_string(&ServerMessage::error(status, message))
        .expect("messages serialise")
        .into()
}

/// Where the task writes what the link could not write at once.
enum Outlet {
    /// Plain TCP: the link writes the socket itself.
    Direct,
    /// TLS: the task writes the link's frames to the stream's write half.
    Stream(tokio::io::WriteHalf<UpgradedIo>),
}

impl Outlet {
    async fn flush(&mut self, link: &Link) -> std::io::Result<()> {
        match self {
            Outlet::Direct => link.flush_direct().await,
            Outlet::Stream(w) => {
                let frames = link.take_pending();
                if frames.is_empty() {
                    return if link.is_closed() {
                        Err(std::io::ErrorKind::BrokenPipe.into())
                    } else {
                        Ok(())
                    };
                }
                for f in frames {
                    w.write_all(&f).await?;
                }
                w.flush().await
            }
        }
    }
}

fn config() -> WebSocketConfig {
    // Small buffers: a spectator sends a few short commands, and the defaults (128 KiB
    // read buffer) would cost ~140 KiB per idle connection.
    WebSocketConfig::default()
        .max_message_size(Some(MAX_CLIENT_MESSAGE))
        .max_frame_size(Some(MAX_CLIENT_MESSAGE))
        .read_buffer_size(1 << 10)
        .write_buffer_size(0)
}

impl Connection {
    /// Runs a connection on its upgraded socket; with `tcp`, the link writes to the raw
    /// socket directly.
    async fn start(
        state: AppState,
        caller: Option<Caller>,
        tcp: Option<Arc<tokio::net::TcpStream>>,
        io: UpgradedIo,
    ) {
        let id = state.next_conn.fetch_add(1, Ordering::Relaxed);
        let link = Arc::new(Link::new(tcp.clone()));
        let conn = Connection {
            state,
            caller,
            id,
            link: link.clone(),
        };
        if tcp.is_some() {
            let ws = WebSocketStream::from_raw_socket(
                Duplex { read: io, link },
                Role::Server,
                Some(config()),
            )
            .await;
            conn.run(ws, Outlet::Direct).await;
        } else {
            let (read, write) = tokio::io::split(io);
            let ws = WebSocketStream::from_raw_socket(
                Duplex { read, link },
                Role::Server,
                Some(config()),
            )
            .await;
            conn.run(ws, Outlet::Stream(write)).await;
        }
    }

    /// Checks the caller may read `name`.
    async fn authorize(&self, name: &str) -> Result<Channel, ApiError> {
        let target: Channel = name
            .parse()
            .map_err(|e: UnknownChannel| ApiError::bad_request(e.to_string()))?;
        let jury = self.caller.as_ref().is_some_and(|c| c.role.is_jury());
        let me = self.caller.as_ref().map(|c| c.id);
        match &target {
            Channel::Scoreboard(_, view) => {
                if *view == View::Jury && !jury {
                    return Err(ApiError::forbidden(
                        "the jury scoreboard needs a jury token",
                    ));
                }
                // Whether the contest exists, the snapshot tells ([`BoardSnapshots`]):
                // thousands of spectators arriving at once must not each ask the store.
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

    /// A snapshot message of a channel and its sequence number; `share`: a board's may
    /// be one taken for another subscriber moments ago ([`BoardSnapshots`]).
    async fn snapshot(
        &self,
        name: &str,
        target: &Channel,
        share: bool,
    ) -> Result<(u64, Bytes), ApiError> {
        let (seq, data): (u64, serde_json::Value) = match target {
            Channel::Scoreboard(c, view) => {
                return self
                    .state
                    .boards
                    .get(&self.state.engine, name, *c, *view, share)
                    .await;
            }
            Channel::UserSubmissions(u) => {
                let seq = self.last_seq(name).await?;
                let subs = self
                    .state
                    .store
                    .user_submissions_page(*u, None, None, 50)
                    .await?;
                let role = self
                    .caller
                    .as_ref()
                    .map_or(codehub_engine::model::Role::Spectator, |c| c.role);
                let views: Vec<_> = subs
                    .iter()
                    .map(|s| crate::present::submission(s, role))
                    .map(|mut v| {
                        v.files = None;
                        v
                    })
                    .collect();
                (
                    seq,
                    serde_json::to_value(UserSubmissions { submissions: views })
                        .map_err(ApiError::internal)?,
                )
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
                (seq, serde_json::to_value(view).map_err(ApiError::internal)?)
            }
            Channel::Clarifications(..) | Channel::UserClarifications(_) => {
                let seq = self.last_seq(name).await?;
                let list =
                    crate::routes::clarifications::channel_snapshot(&self.state, target).await?;
                (seq, serde_json::json!({ "clarifications": list }))
            }
            Channel::Resolver(c) => {
                let seq = self.last_seq(name).await?;
                (
                    seq,
                    crate::routes::contests::resolver_state(&self.state, *c).await?,
                )
            }
        };
        Ok((seq, encode(name, seq, "snapshot", &data)))
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

    /// Subscribes and sends the snapshot or backlog. In a cluster the node subscribes to
    /// the channel on Redis first, so nothing published after the snapshot is missed.
    async fn subscribe(&self, name: String, since: Option<u64>) -> Result<(), ApiError> {
        let target = self.authorize(&name).await?;
        let relay = self.state.relay.clone();
        let fresh = !self.link.watches(&name);
        if fresh && let Some(relay) = &relay {
            relay
                .watch(&name)
                .await
                .map_err(|e| ApiError::unavailable(format!("cluster fan-out: {e}")))?;
        }
        self.link.hold(&name, target.kind());
        let result = self.subscribe_watched(&name, since, &target).await;
        if result.is_err() && fresh {
            self.forget(name).await;
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
        let subscriber: Subscriber = self.link.clone();
        let (id, channel) = (self.id, name.to_owned());
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
        &self,
        name: &str,
        since: Option<u64>,
        target: &Channel,
    ) -> Result<(), ApiError> {
        if let Some(since) = since
            && let Some(backlog) = self.hub_subscribe(name, Some(since)).await?
        {
            self.link.open(name, since, None, backlog);
            return Ok(());
        }
        self.resync(name, target).await
    }

    /// A snapshot, then whatever the Hub's ring already holds after it: the snapshot may
    /// be a little older than what the Hub has (shared with other subscribers, or in a
    /// cluster taken by the owner), and those messages would otherwise be missed. The
    /// Hub registers the connection in the same call, so nothing falls between. If the
    /// ring no longer reaches back to a shared snapshot, a fresh one is taken. The
    /// channel must be held ([`Link::hold`]).
    async fn resync(&self, name: &str, target: &Channel) -> Result<(), ApiError> {
        for share in [true, false] {
            let (seq, snapshot) = self.snapshot(name, target, share).await?;
            let after = self.hub_subscribe(name, Some(seq)).await?;
            // `None`: the Hub has not reached `seq` yet (a cluster's relay) and delivers
            // what follows as it comes, or the ring no longer reaches back to it.
            if after.is_some() || !share || !matches!(target, Channel::Scoreboard(..)) {
                self.link
                    .open(name, seq, Some(snapshot), after.unwrap_or_default());
                return Ok(());
            }
        }
        unreachable!("the second pass takes a fresh snapshot and returns")
    }

    /// After a lag: every channel gets a fresh snapshot.
    async fn resync_all(&self) {
        for name in self.link.channel_names() {
            let Ok(target) = name.parse::<Channel>() else {
                continue;
            };
            if let Err(e) = self.resync(&name, &target).await {
                self.link
                    .send_text(&error_message(e.status.as_u16(), &e.message));
            }
        }
    }

    /// Stops watching `name` here, in the Hub and in the cluster relay.
    async fn forget(&self, name: String) {
        if self.link.forget(&name)
            && let Some(relay) = &self.state.relay
        {
            relay.unwatch(&name).await;
        }
        let _ = self.state.engine.hub().send_message(HubMsg::Unsubscribe {
            channel: name,
            conn: self.id,
        });
    }

    async fn command(&mut self, raw: &str) {
        let cmd: ClientCommand = match serde_json::from_str(raw) {
            Ok(c) => c,
            Err(e) => {
                let reply = error_message(400, &format!("bad command: {e}"));
                return self.link.send_text(&reply);
            }
        };
        match cmd {
            ClientCommand::Subscribe { channel, since } => {
                if let Err(e) = self.subscribe(channel, since).await {
                    self.link
                        .send_text(&error_message(e.status.as_u16(), &e.message));
                }
            }
            ClientCommand::Auth { token } => {
                if self.caller.is_some() {
                    let reply = error_message(
                        409,
                        "this connection is already authenticated; open another for another user",
                    );
                    return self.link.send_text(&reply);
                }
                match verify_access_token(&self.state.keys, &token) {
                    Ok(caller) => {
                        let reply = serde_json::json!({
                            "type": "auth",
                            "data": {"user_id": caller.id.0, "role": caller.role.as_str()},
                        });
                        self.caller = Some(caller);
                        self.link.send_text(&reply.to_string().into());
                    }
                    Err(e) => self
                        .link
                        .send_text(&error_message(e.status.as_u16(), &e.message)),
                }
            }
            ClientCommand::Unsubscribe { channel } => self.forget(channel).await,
        }
    }

    /// Tells the Hub (and the cluster relay) the connection is gone.
    async fn close(self) {
        let _ = self
            .state
            .engine
            .hub()
            .send_message(HubMsg::Disconnect(self.id));
        let names = self.link.channel_names();
        self.link.close();
        if let Some(relay) = &self.state.relay {
            for name in names {
                relay.unwatch(&name).await;
            }
        }
    }

    /// The connection's task: reads commands, resynchronises after a lag, and writes out
    /// what the socket could not take at once. Channel messages do not pass through it.
    async fn run<R>(mut self, mut ws: WebSocketStream<Duplex<R>>, mut outlet: Outlet)
    where
        R: tokio::io::AsyncRead + Unpin,
    {
        let _open = OpenConnection::new();
        let link = self.link.clone();
        loop {
            tokio::select! {
                incoming = ws.next() => match incoming {
                    // Boxed: an idle connection's task stays small, the command's
                    // (store and actor calls) state lives only while it runs.
                    Some(Ok(Message::Text(t))) => Box::pin(self.command(t.as_str())).await,
                    Some(Ok(Message::Binary(_))) => {
                        link.send_text(&error_message(400, "commands are JSON text"));
                    }
                    Some(Ok(_)) => {}
                    Some(Err(_)) | None => break,
                },
                _ = link.wake.notified() => {}
            }
            if link.take_lag() {
                Box::pin(self.resync_all()).await;
            }
            if outlet.flush(&link).await.is_err() {
                break;
            }
        }
        // Boxed like the commands: the cluster relay's calls would otherwise be part of
        // every idle connection's task.
        Box::pin(self.close()).await;
    }
}
