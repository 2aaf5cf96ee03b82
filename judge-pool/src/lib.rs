//! CodeHub's judge: untrusted source code plus a problem package in, a verdict out.
//!
//! # Overview
//! - [`sandbox`]: the [`sandbox::Sandbox`] trait (environments where programs run under
//!   kernel-enforced limits) and its native Linux backend.
//!
//! The crate knows nothing of HTTP or storage; the engine and the CLI drive it.

pub mod sandbox;
