//! Ports: the traits through which the engine reaches the outside world. Adapters (SQL
//! stores, blob directories, sandboxed judges) implement them elsewhere.

pub mod blobs;
pub mod cluster;
pub mod judging;
pub mod store;
