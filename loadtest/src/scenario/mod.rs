//! The scenarios, one per subcommand. Each prepares its target, loads it, and returns
//! the exit code: success, or 1 if the run failed its checks (errors are the caller's).
//!
//! - [`spectators`]: N spectators on one scoreboard, deltas at a rate; delivery latency.
//! - [`ramp`]: spectators runs with growing N until the p99 passes a bound.
//! - [`compare`]: the spectators workload on CodeHub and on nginx-nchan, one report.
//! - [`contest`]: contestants submit a mix while spectators watch; judging and delivery.
//! - [`feed`]: readers follow the Contest API event feed while contestants submit.
//! - [`worker`]: (internal) one worker process of the [`Fleet`](crate::fleet::Fleet).

mod compare;
mod contest;
mod feed;
mod ramp;
mod spectators;
mod worker;

pub(crate) use compare::compare_cmd;
pub(crate) use contest::contest_cmd;
pub(crate) use feed::feed_cmd;
pub(crate) use ramp::ramp_cmd;
pub(crate) use spectators::spectators_cmd;
pub(crate) use worker::worker_cmd;
