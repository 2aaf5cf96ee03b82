//! Giving the heap that a burst of connections freed back to the system.
//!
//! Thousands of spectators arriving together allocate their handshakes, snapshots and
//! first frames at once; glibc's malloc keeps what they free in its arenas, about
//! 2.8 KiB per connection at 19,000 (`docs/benchmarks.md`, issue 19), so the process
//! stays that much larger than what it holds. Once such a burst has settled,
//! `malloc_trim` returns the free pages (it also releases free pages inside the heaps,
//! not only at their tops). A long contest frees memory in small pieces all along (the
//! 30-minute soak's fragmentation), so the heap is also trimmed once a minute. A trim
//! runs on a blocking thread and takes about 12 ms with 19,000 connections.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Connections opened plus connections closed since the process started.
static CHURN: AtomicU64 = AtomicU64::new(0);

/// How often the churn is looked at.
const CHECK_EVERY: Duration = Duration::from_secs(5);

/// Connections opened or closed since the last trim that make one worth doing.
const BURST: u64 = 1_000;

/// Longest time between two trims.
const TRIM_EVERY: Duration = Duration::from_secs(60);

/// Counts a connection opened or closed.
pub fn note_connection_churn() {
    CHURN.fetch_add(1, Ordering::Relaxed);
}

/// Whether to trim now: a burst happened since the last trim (`since_trim` connections
/// opened or closed) and has settled (only `last_interval` in the last check's time), or
/// the last trim is `TRIM_EVERY` old. A churn that never settles is trimmed after ten
/// bursts' worth.
#[must_use]
pub fn trim_due(since_trim: u64, last_interval: u64, trimmed_ago: Duration) -> bool {
    let burst_over =
        since_trim >= BURST && (last_interval < BURST / 10 || since_trim >= 10 * BURST);
    burst_over || trimmed_ago >= TRIM_EVERY
}

/// Watches the churn and trims the heap after each burst and once a minute; runs until
/// the runtime stops.
pub async fn trim_heap() {
    let mut interval = tokio::time::interval(CHECK_EVERY);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let (mut at_trim, mut at_check, mut trimmed) = (0, 0, Instant::now());
    loop {
        interval.tick().await;
        let now = CHURN.load(Ordering::Relaxed);
        if trim_due(now - at_trim, now - at_check, trimmed.elapsed()) {
            (at_trim, trimmed) = (now, Instant::now());
            let took = tokio::task::spawn_blocking(trim).await.unwrap_or_default();
            metrics::counter!("codehub_heap_trims_total").increment(1);
            tracing::debug!(took_ms = took.as_millis() as u64, "heap trimmed");
        }
        at_check = now;
    }
}

/// Sets `codehub_heap_allocated_bytes` (what the process holds) and
/// `codehub_heap_free_bytes` (what malloc keeps free in its arenas) to their values now.
pub fn record_heap_stats() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: mallinfo2 only reads malloc's counters, taking each arena's lock.
        let info = unsafe { libc::mallinfo2() };
        metrics::gauge!("codehub_heap_allocated_bytes").set((info.uordblks + info.hblkhd) as f64);
        metrics::gauge!("codehub_heap_free_bytes").set(info.fordblks as f64);
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
    use super::trim_due;
    use std::time::Duration;

    #[test]
    fn a_burst_is_trimmed_once_it_has_settled_and_the_heap_once_a_minute() {
        let soon = Duration::from_secs(5);
        assert!(!trim_due(999, 0, soon), "fewer than a burst");
        assert!(!trim_due(5_000, 4_000, soon), "still arriving");
        assert!(trim_due(5_000, 50, soon), "settled");
        assert!(trim_due(10_000, 2_000, soon), "a churn that never settles");
        assert!(
            !trim_due(0, 0, Duration::from_secs(55)),
            "a quiet minute not yet over"
        );
        assert!(
            trim_due(0, 0, Duration::from_secs(60)),
            "a minute since the last trim"
        );
    }
}
