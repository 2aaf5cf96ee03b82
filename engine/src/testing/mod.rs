//! In-memory fakes of every port, so the actor tree runs in tests without a database,
//! sandboxes, Redis or a file system (feature `testing`; this crate's own tests enable
//! it, other crates may too as a dev-dependency).
//!
//! - [`MemoryStore`]: every store trait, with the SQL adapter's semantics (conflicts,
//!   missing rows, idempotent finish, fencing), plus a switch that makes it fail.
//! - [`ScriptedJudge`]: a [`JudgeService`](crate::ports::judging::JudgeService) whose
//!   answers per submission are scripted (verdicts, failures, hangs, delay, progress).
//! - [`MemoryCluster`]: a [`Cluster`](crate::ports::cluster::Cluster) whose roles are
//!   configured, which records forwarded events and serves configured snapshots.
//! - [`MemoryBlobs`]: a [`BlobStore`](crate::ports::blobs::BlobStore) in memory.
//!
//! ```
//! use codehub_engine::actors::{Engine, EngineConfig};
//! use codehub_engine::testing::{MemoryStore, ScriptedJudge};
//! use std::sync::Arc;
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let store = Arc::new(MemoryStore::new());
//! let judge = Arc::new(ScriptedJudge::new());
//! let engine = Engine::start(store, judge, EngineConfig::default()).await.unwrap();
//! engine.shutdown().await.unwrap();
//! # });
//! ```

mod blobs;
mod cluster;
mod judge;
mod store;

pub use self::blobs::MemoryBlobs;
pub use self::cluster::MemoryCluster;
pub use self::judge::{Script, ScriptedJudge, Step, judgement_of};
pub use self::store::MemoryStore;
