//! The `codehub` command.
fn main() {}
