//! Shared state of the HTTP/WebSocket server (what every handler can reach). The router
//! is in the `routes` module, which imports this one, never the other way round.

use crate::auth::AuthKeys;
use codehub_engine::actors::Engine;
use codehub_engine::ports::blobs::BlobStore;
use codehub_engine::ports::judging::JudgeService;
use codehub_engine::ports::store::Store;
use codehub_judge::language::LanguageTable;
use std::ops::Deref;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

/// What every handler can reach.
pub struct AppInner {
    /// The actor tree.
    pub engine: Engine,
    /// The store (reads that need no actor).
    pub store: Arc<dyn Store>,
    /// Problem packages.
    pub blobs: Arc<dyn BlobStore>,
    /// The engine's judge, also asked at import for the time limit of a package that
    /// gives none.
    pub judge: Arc<dyn JudgeService>,
    /// Languages the judge knows, with availability.
    pub languages: Arc<LanguageTable>,
    /// Token keys.
    pub keys: AuthKeys,
    /// Next WebSocket connection id.
    pub next_conn: AtomicU64,
    /// The judge workers' shared secret (cluster mode).
    pub worker_token: Option<String>,
    /// Redis (cluster mode).
    pub redis: Option<fred::prelude::Client>,
    /// Cross-node fan-out (cluster mode): which channels this node's clients watch.
    pub relay: Option<Arc<codehub_cluster::relay::Relay>>,
    /// The Contest API event feeds' recorders on this node.
    pub feeds: crate::ccs::feed::Feeds,
    /// Wakes the Contest API's webhook delivery (a webhook registered or removed).
    pub webhooks: tokio::sync::Notify,
    /// Submission rate limits shared by all nodes (cluster mode).
    pub shared_limit: Option<codehub_cluster::limits::SharedRateLimit>,
    /// Sign-in providers (OpenID Connect, GitHub).
    pub oidc: crate::oidc::Providers,
    /// The address browsers use, if configured.
    pub public_url: Option<String>,
    /// Whether this server itself serves HTTPS.
    pub tls: bool,
    /// Reverse proxies whose forwarding headers are believed.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Origins allowed to call the API from their pages (CORS).
    pub cors_origins: Vec<String>,
    /// The practice archive's list, kept in memory for a few seconds.
    pub archive: crate::archive::Archive,
    /// Past contests' submissions for virtual participants' ghost boards.
    pub ghosts: crate::virtual_contest::GhostCache,
    /// Scoreboard snapshots shared by spectators subscribing at once.
    pub boards: crate::ws::BoardSnapshots,
    /// Runs (`POST /api/runs`) each user may make.
    pub run_limit: crate::run_limit::RunLimit,
    /// Failed password sign-ins (password guessing is slowed down).
    pub login_throttle: crate::throttle::LoginThrottle,
    /// Prometheus metrics (`None`: off).
    pub metrics: Option<crate::metrics::Metrics>,
}

/// Cheap-to-clone handle to [`AppInner`].
#[derive(Clone)]
pub struct AppState(pub Arc<AppInner>);

/// The extractors of [`crate::auth`] need only the token keys.
impl axum::extract::FromRef<AppState> for AuthKeys {
    fn from_ref(state: &AppState) -> AuthKeys {
        state.keys.clone()
    }
}

impl Deref for AppState {
    type Target = AppInner;

    fn deref(&self) -> &AppInner {
        &self.0
    }
}
