//! Giving the heap that a burst of connections freed back to the system.
//!
//! Thousands of spectators arriving together allocate their handshakes, snapshots and
//! first frames at once; glibc's malloc keeps what they free in its arenas, about
//! 2.8 KiB per connection at 19,000 (`docs/benchmarks.md`, issue 19), so the process
//! stays that much larger than what it holds. Once such a burst has settled,
//! `malloc_trim` returns the free pages (it also releases free pages inside the heaps,
//! not only at their tops). It runs on a blocking thread, only after bursts, so a
//! steady server never pays for it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Connections opened plus connections closed since the process started.
static CHURN: AtomicU64 = AtomicU64::new(0);

/// How often the churn is looked at.
const CHECK_EVERY: Duration = Duration::from_secs(5);

/// Connections opened or closed since the last trim that make one worth doing.
const BURST: u64 = 1_000;

/// Counts a connection opened or closed.
pub fn note_connection_churn() {
    CHURN.fetch_add(1, Ordering::Relaxed);
}

/// Whether to trim now: a burst happened since the last trim (`since_trim` connections
/// opened or closed) and has settled (only `last_interval` in the last check's time).
/// A churn that never settles is trimmed after ten bursts' worth.
#[must_use]
pub fn burst_settled(since_trim: u64, last_interval: u64) -> bool {
    since_trim >= BURST && (last_interval < BURST / 10 || since_trim >= 10 * BURST)
}

/// Watches the churn and trims the heap after each burst; runs until the runtime stops.
pub async fn trim_after_bursts() {
    let mut interval = tokio::time::interval(CHECK_EVERY);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let (mut at_trim, mut at_check) = (0, 0);
    loop {
        interval.tick().await;
        let now = CHURN.load(Ordering::Relaxed);
        if burst_settled(now - at_trim, now - at_check) {
            at_trim = now;
            let took = tokio::task::spawn_blocking(trim).await.unwrap_or_default();
            metrics::counter!("codehub_heap_trims_total").increment(1);
            tracing::debug!(
                took_ms = took.as_millis() as u64,
                "heap trimmed after a burst of connections"
            );
        }
        at_check = now;
    }
}

/// Returns free heap pages to the system; how long it took.
fn trim() -> Duration {
    let start = Instant::now();
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases memory malloc holds free; it takes the arenas'
    // locks itself.
    unsafe {
        libc::malloc_trim(0);
    }
    start.elapsed()
}

#[cfg(test)]
mod tests {
    use super::burst_settled;

    #[test]
    fn a_burst_is_trimmed_once_it_has_settled() {
        assert!(!burst_settled(999, 0), "fewer than a burst");
        assert!(!burst_settled(5_000, 4_000), "still arriving");
        assert!(burst_settled(5_000, 50), "settled");
        assert!(burst_settled(10_000, 2_000), "a churn that never settles");
    }
}
