//! CodeHub's domain core: contests, submissions, scoring and the actor tree that runs
//! them, reaching the outside world only through ports.
//!
//! # Layout
//! - [`actors`]: the supervised actor tree and [`actors::Engine`], its handle
//!   (`ContestSupervisor` → `ContestActor` → `LeaderboardActor`, `UserSupervisor` →
//!   `UserActor`, `JudgePool` → `JudgeActor`, `Hub`).
//! - [`model`]: users, problems, contests, submissions, judgements (ids and wire names
//!   are the `codehub-protocol` crate's, re-exported).
//! - [`ports`]: what the engine needs from the outside: the store (split by concern:
//!   [`ports::store::UserStore`], [`ports::store::ContestStore`],
//!   [`ports::store::SubmissionStore`], [`ports::store::FenceStore`],
//!   [`ports::store::EventLog`]; [`ports::store::Store`] is all of them), blobs,
//!   judging and the cluster. Each trait states its contract; errors are enums callers
//!   match on.
//! - [`rating`]: ratings of rated contests (Elo-MMR performances, Gaussian beliefs).
//! - [`scoring`]: incremental ICPC/IOI scoreboards (public and jury boards, freeze).
//! - [`verdict`]: the outcome of judging a submission or one test case (the protocol's).
//! - `testing` (feature `testing`): in-memory fakes of every port, so the whole tree runs
//!   in a test in milliseconds.
//!
//! Every queue between actors and tasks that could grow without bound is bounded, with
//! its overflow policy on its definition: a subscriber's queue
//! ([`actors::hub::Subscriber`]), the cluster bridge ([`actors::hub::Bridge`]), a
//! follower's outbox ([`actors::contest::OUTBOX_CAPACITY`]) and judge progress
//! ([`ports::judging::ProgressSender`]). Judgements and submissions never go through a
//! queue that drops: they are in the store first.
//!
//! The engine depends on nothing that speaks HTTP, SQL, Redis or Docker; the judge
//! (`codehub-judge`), the store (`codehub-store`), the cluster (`codehub-cluster`) and the
//! gateway depend on it, never the other way round.
//!
//! # Example
//! ```
//! # #[cfg(feature = "testing")]
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use codehub_engine::actors::{Engine, EngineConfig};
//! use codehub_engine::actors::user::SubmitRequest;
//! use codehub_engine::model::{Problem, ProblemId, Role, SubmittedFile};
//! use codehub_engine::ports::store::{NewUser, prelude::*};
//! use codehub_engine::testing::{MemoryStore, ScriptedJudge};
//! use std::sync::Arc;
//!
//! let store = Arc::new(MemoryStore::new());
//! let user = store
//!     .create_user(NewUser {
//!         username: "ada".into(),
//!         password_hash: "…".into(),
//!         role: Role::Contestant,
//!     })
//!     .await
//!     .unwrap();
//! let problem = store
//!     .create_problem(Problem {
//!         id: ProblemId(0),
//!         slug: "sum".into(),
//!         name: "Sum".into(),
//!         package_hash: "ab".repeat(32),
//!         time_limit_ms: 1000,
//!         memory_limit_kib: 65_536,
//!         code_limit_bytes: 65_536,
//!         statement: String::new(),
//!         samples: vec![],
//!         answer_files: vec![],
//!         practice: true,
//!         created_at: 0,
//!         tags: vec![],
//!         difficulty: None,
//!         source: None,
//!         statement_language: None,
//!         translations: Default::default(),
//!     })
//!     .await
//!     .unwrap();
//! let judge = Arc::new(ScriptedJudge::new());
//! let engine = Engine::start(store.clone(), judge, EngineConfig::default())
//!     .await
//!     .unwrap();
//! // Durable in the store when `submit` returns; judged in the background.
//! let submission = engine
//!     .submit(user.id, SubmitRequest {
//!         contest_id: None,
//!         problem_id: problem.id,
//!         language: "c".into(),
//!         files: vec![SubmittedFile { name: "a.c".into(), contents: "int main(){}".into() }],
//!         trace: tracing::Span::current(),
//!     })
//!     .await
//!     .unwrap();
//! assert!(store.submission(submission.id).await.unwrap().is_some());
//! engine.shutdown().await.unwrap();
//! # });
//! ```

pub mod actors;
pub mod model;
pub mod ports;
pub mod rating;
pub mod scoring;
#[cfg(feature = "testing")]
pub mod testing;
pub mod verdict;

pub use verdict::Verdict;
