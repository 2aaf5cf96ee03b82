//! Verdicts: what the judge says about a submission or a single test case. The type and
//! its wire codes live in the protocol crate; the engine re-exports them.

pub use codehub_protocol::verdict::{UnknownVerdict, Verdict};
