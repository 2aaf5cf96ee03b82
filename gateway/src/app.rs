//! Shared state of the HTTP/WebSocket server and the router.

use crate::auth::AuthKeys;
use crate::routes;
use codehub_engine::actors::Engine;
use codehub_engine::ports::blobs::BlobStore;
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
    /// Submission rate limits shared by all nodes (cluster mode).
    pub shared_limit: Option<codehub_cluster::limits::SharedRateLimit>,
}

/// Cheap-to-clone handle to [`AppInner`].
#[derive(Clone)]
pub struct AppState(pub Arc<AppInner>);

impl Deref for AppState {
    type Target = AppInner;

    fn deref(&self) -> &AppInner {
        &self.0
    }
}

/// The whole router: `/api`, `/ws`, `/healthz`, the UI; responses gzip-compressed when
/// the client accepts it.
pub fn router(state: AppState) -> axum::Router {
    routes::router()
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}
