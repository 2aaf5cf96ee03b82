//! CodeHub's domain core.
//!
//! # Layout
//! - [`actors`]: the supervised actor tree and [`actors::Engine`], its handle.
//! - [`verdict`]: the outcome of judging a submission or one test case.
//! - [`model`]: users, problems, contests, submissions, judgements.
//! - [`ports`]: the traits the engine needs from the outside (store, blobs, judging).
//! - [`scoring`]: incremental ICPC/IOI scoreboards (public and jury boards, freeze).
//!
//! The engine depends on nothing that speaks HTTP, SQL, Redis or Docker; the judge
//! (`codehub-judge`), the store (`codehub-store`) and the gateway depend on it, never
//! the other way round.

pub mod actors;
pub mod model;
pub mod ports;
pub mod scoring;
#[cfg(feature = "testing")]
pub mod testing;
pub mod verdict;

pub use verdict::Verdict;
