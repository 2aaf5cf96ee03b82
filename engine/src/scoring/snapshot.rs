//! A whole scoreboard at one point of its channel: what a subscriber gets first, before
//! the deltas that follow it. The wire type is the protocol's.

/// A full scoreboard, as sent on subscribe.
pub use codehub_protocol::board::Snapshot as ScoreboardSnapshot;
