//! CodeHub's load-test harness.
//!
//! # Layout
//! - [`worker`]: one process's share of spectator connections: connect (from a chosen
//!   127.0.0.x source address), subscribe, check `seq` continuity, record latencies.
//! - [`report`]: what a worker reports, and the merged report of a run (HDR histograms).
//! - [`server`]: talking to a CodeHub server (login, injection) or starting a local one.
//! - [`nchan`]: the peer, nginx with nchan, started on loopback for side-by-side runs.
//!
//! The binary (`codehub-loadtest`, `main.rs`, its modules beside these) drives the
//! scenarios: `spectators`, `ramp` and `contest`.

pub mod nchan;
pub mod report;
pub mod server;
pub mod worker;

use std::time::Duration;

/// Parses `30s`, `500ms`, `2m` or a plain number of seconds.
///
/// # Errors
/// A readable message for anything else.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (number, unit) = match s.find(|c: char| !c.is_ascii_digit() && c != '.') {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, "s"),
    };
    let n: f64 = number
        .parse()
        .map_err(|_| format!("`{s}` is not a duration (try 30s, 500ms, 2m)"))?;
    let secs = match unit {
        "ms" => n / 1000.0,
        "s" => n,
        "m" => n * 60.0,
        _ => return Err(format!("`{s}`: unknown unit `{unit}` (ms, s, m)")),
    };
    if !(secs.is_finite() && secs > 0.0) {
        return Err(format!("`{s}` must be positive"));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// Lifts the soft open-files limit to the hard one; returns the limit now in force.
pub fn raise_fd_limit() -> u64 {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: valid out-pointer; only the soft limit is raised, up to the hard one.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) == 0 {
            lim.rlim_cur = lim.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
        }
    }
    lim.rlim_cur
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_with_units() {
        assert_eq!(parse_duration("30s").unwrap(), Duration::from_secs(30));
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("2m").unwrap(), Duration::from_secs(120));
        assert_eq!(parse_duration("3").unwrap(), Duration::from_secs(3));
        for bad in ["", "x", "5h", "-1s", "0s"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }
}
