//! CodeHub's domain core.
//!
//! # Layout
//! - [`verdict`]: the outcome of judging a submission or one test case.
//!
//! The engine depends on nothing that speaks HTTP, SQL, Redis or Docker; the judge
//! (`codehub-judge`) and the gateway depend on it, never the other way round.

pub mod verdict;

pub use verdict::Verdict;
