//! Time limits as the package format computes them from the package's own submissions
//! (2023-07 "Problem Timing"; the legacy edition's `time_multiplier` and
//! `time_safety_margin` play the same parts, with a resolution of one second).
//!
//! The limit must satisfy `T_ac × ac_to_time_limit ≤ limit` (`T_ac`: the slowest run of a
//! submission not permitted TLE) and `limit × time_limit_to_tle ≤ T_tle` (`T_tle`: the
//! fastest submission required to get TLE; infinite without one). Without a `time_limit`
//! the limit is the smallest positive multiple of `time_resolution` satisfying both.

use std::time::Duration;

/// The computed time limit: the smallest positive multiple of `resolution` that is at
/// least `slowest_ac × ac_to_time_limit`.
///
/// # Errors
/// A message when `resolution` is zero.
pub fn compute(
    slowest_ac: Duration,
    ac_to_time_limit: f64,
    resolution: Duration,
) -> Result<Duration, String> {
    let step = resolution.as_nanos();
    if step == 0 {
        return Err("time_resolution must be positive".into());
    }
    let lower = slowest_ac.as_nanos() as f64 * ac_to_time_limit;
    // A hair under an exact multiple is the multiple (float products like 0.3 × 2).
    let steps = ((lower / step as f64) - 1e-9).ceil().max(1.0) as u128;
    let nanos = steps * step;
    Ok(Duration::new(
        (nanos / 1_000_000_000) as u64,
        (nanos % 1_000_000_000) as u32,
    ))
}

/// Whether an accepted run of `time` is too close to `limit`: `time × ac_to_time_limit`
/// exceeds it.
pub fn too_close(time: Duration, limit: Duration, ac_to_time_limit: f64) -> bool {
    time.as_secs_f64() * ac_to_time_limit > limit.as_secs_f64() + 1e-9
}

/// The limit a submission required to get TLE is judged with: it must still time out
/// at `limit × time_limit_to_tle`.
pub fn tle_margin(limit: Duration, time_limit_to_tle: f64) -> Duration {
    limit.mul_f64(time_limit_to_tle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(x: u64) -> Duration {
        Duration::from_millis(x)
    }

    /// `(slowest AC ms, ac_to_time_limit, resolution ms) → limit ms`.
    fn check(cases: &[(u64, f64, u64, u64)]) {
        for &(ac, mult, res, expected) in cases {
            assert_eq!(
                compute(ms(ac), mult, ms(res)),
                Ok(ms(expected)),
                "slowest {ac} ms × {mult}, resolution {res} ms"
            );
        }
    }

    #[test]
    fn computed_limits_round_up_to_the_resolution() {
        check(&[
            // The spec's defaults: × 2, whole seconds.
            (40, 2.0, 1000, 1000),
            (500, 2.0, 1000, 1000),
            (501, 2.0, 1000, 2000),
            (1300, 2.0, 1000, 3000),
            // An exact multiple is not rounded past.
            (300, 2.0, 200, 600),
            (150, 2.0, 100, 300),
            // Finer resolutions, other multipliers.
            (130, 3.0, 100, 400),
            (1000, 1.5, 250, 1500),
            (1001, 1.5, 250, 1750),
            // A submission too fast to measure still gets one step.
            (0, 2.0, 500, 500),
        ]);
    }

    #[test]
    fn a_zero_resolution_is_an_error() {
        assert!(compute(ms(100), 2.0, Duration::ZERO).is_err());
    }

    #[test]
    fn accepted_runs_close_to_the_limit_are_flagged() {
        assert!(!too_close(ms(500), ms(1000), 2.0));
        assert!(too_close(ms(501), ms(1000), 2.0));
        assert!(too_close(ms(700), ms(1000), 1.5));
        assert_eq!(tle_margin(ms(1000), 1.5), ms(1500));
    }
}
