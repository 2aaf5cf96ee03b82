//! The verdict policy: the judge's own choices where the package format leaves them to
//! the judging system (see `docs/judging.md`). The type is the protocol's, so a contest
//! carries it and a judge job takes it to whichever judge runs it.

pub use codehub_protocol::policy::{OutputOverflow, VerdictPolicy};
