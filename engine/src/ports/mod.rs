//! Ports: the traits through which the engine reaches the outside world. Adapters (SQL
//! stores, blob directories, sandboxed judges, Redis) implement them elsewhere; in-memory
//! fakes of all of them are in `crate::testing` (feature `testing`). Each trait states its
//! contract (delivery, ordering, idempotency); each fails with an error enum whose
//! variants callers match on.

pub mod blobs;
pub mod cluster;
pub mod judging;
pub mod store;
