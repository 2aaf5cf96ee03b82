//! The Docker sandbox (bollard): one hardened container per submission, from a warm pool.
//!
//! Every container is created from `codehub/judge-runner:<hash>` — the judge runtime image
//! (`deploy/judge-runtime`) plus the [`runner`] binary — with no network, a read-only root,
//! size-limited tmpfs `/work` and `/tmp`, all capabilities dropped, `no-new-privileges`, a
//! non-root uid, a pids limit, memory with equal memory+swap (no swap), a CPU quota,
//! ulimits, Docker's default seccomp profile, no host mounts and no host environment. Its
//! pid 1 is the runner, which talks to the judge over the container's attached stdio
//! ([`wire`]) and starts each program with one fork + exec, measuring that run alone.
//!
//! A container serves one [`DockerEnv`] (one submission), then is removed; the pool keeps
//! `pool_size` containers started ahead of demand and refills in the background. Every
//! container carries the label `codehub.sandbox` and its judge's pid; containers of judges
//! that no longer run are removed when a sandbox starts.

pub mod runner;
pub mod wire;

mod config;
mod container;
mod env;
mod pool;

pub use config::{DockerConfig, LABEL, OWNER_LABEL, RUNTIME_VERSION};
pub use env::DockerEnv;
pub use pool::DockerSandbox;
