//! The per-user limit on runs (`POST /api/runs`): a token bucket per user on this node
//! (`--run-rate-burst`, `--run-rate-refill`), apart from the submission limit, so trying
//! code never costs a contestant a submission.

use governor::clock::{Clock, DefaultClock};
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use std::num::NonZeroU32;
use std::time::Duration;

/// Users whose buckets are kept before the full ones are forgotten.
const PRUNE_ABOVE: usize = 100_000;

/// Runs each user may make: `burst` at once, one more every `refill`.
pub struct RunLimit {
    limiter: RateLimiter<i64, DefaultKeyedStateStore<i64>, DefaultClock>,
}

impl RunLimit {
    /// A limit of `burst` runs (at least 1), one more every `refill` (positive).
    pub fn new(burst: u32, refill: Duration) -> Self {
        let quota = Quota::with_period(refill)
            .expect("the refill is positive (checked in settings)")
            .allow_burst(NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN));
        RunLimit {
            limiter: RateLimiter::keyed(quota),
        }
    }

    /// Takes one run for `user`, or says how long until the next is allowed.
    pub fn take(&self, user: i64) -> Result<(), Duration> {
        if self.limiter.len() > PRUNE_ABOVE {
            self.limiter.retain_recent();
        }
        self.limiter
            .check_key(&user)
            .map_err(|not_until| not_until.wait_time_from(self.limiter.clock().now()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_user_has_a_burst_then_waits_for_the_refill() {
        let limit = RunLimit::new(2, Duration::from_secs(60));
        assert!(limit.take(1).is_ok());
        assert!(limit.take(1).is_ok());
        let wait = limit.take(1).unwrap_err();
        assert!(
            wait > Duration::from_secs(50) && wait <= Duration::from_secs(60),
            "{wait:?}"
        );
        // Another user's bucket is their own.
        assert!(limit.take(2).is_ok());
    }
}
