//! The Contest API's value formats: `TIME`, `RELTIME` and `ID` exactly as the 2026-01 text
//! defines them.

use codehub_engine::model::Millis;
use time::OffsetDateTime;
use time::format_description::well_known::iso8601::{Config, Iso8601, TimePrecision};

/// ISO 8601 with milliseconds and `Z`: `2026-11-29T10:00:00.000Z`. Every TIME the API
/// writes has the `.uuu` part (the text asks one choice to be used throughout).
const TIME_FORMAT: Iso8601<
    {
        Config::DEFAULT
            .set_time_precision(TimePrecision::Second {
                decimal_digits: std::num::NonZeroU8::new(3),
            })
            .encode()
    },
> = Iso8601;

/// An absolute time (`TIME`) in UTC with milliseconds.
pub fn time(ms: Millis) -> String {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&TIME_FORMAT).ok())
        .unwrap_or_else(|| "1970-01-01T00:00:00.000Z".to_owned())
}

/// A duration (`RELTIME`): `(-)?h:mm:ss.uuu`, hours unbounded.
pub fn reltime(ms: Millis) -> String {
    let sign = if ms < 0 { "-" } else { "" };
    let ms = ms.unsigned_abs();
    let (h, rest) = (ms / 3_600_000, ms % 3_600_000);
    let (m, rest) = (rest / 60_000, rest % 60_000);
    let (s, milli) = (rest / 1000, rest % 1000);
    format!("{sign}{h}:{m:02}:{s:02}.{milli:03}")
}

/// Milliseconds of a `RELTIME` (`(-)?h:mm:ss(.uuu)?`); `None` if it is not one.
pub fn parse_reltime(s: &str) -> Option<i64> {
    let (sign, rest) = s.strip_prefix('-').map_or((1, s), |r| (-1, r));
    let mut parts = rest.split(':');
    let (h, m, sec) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || m.len() != 2 {
        return None;
    }
    let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
    let (whole, milli) = sec.split_once('.').unwrap_or((sec, "000"));
    if !(digits(h)
        && digits(m)
        && digits(whole)
        && whole.len() == 2
        && digits(milli)
        && milli.len() == 3)
    {
        return None;
    }
    let (h, m, whole, milli): (i64, i64, i64, i64) = (
        h.parse().ok()?,
        m.parse().ok()?,
        whole.parse().ok()?,
        milli.parse().ok()?,
    );
    if m > 59 || whole > 59 {
        return None;
    }
    Some(sign * (h * 3_600_000 + m * 60_000 + whole * 1000 + milli))
}

/// Whether `s` is a Contest API `ID`: 1–36 of `[a-zA-Z0-9_.-]`, not starting with `-` or
/// `.`, not ending with `.`.
pub fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 36
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
        && !s.starts_with(['-', '.'])
        && !s.ends_with('.')
}

/// The API id of something CodeHub names by `name` (a slug) and numbers by `number`:
/// the name when it is a valid `ID`, else `prefix` + number (names CodeHub allows may be
/// longer than 36 characters).
pub fn named_id(name: &str, prefix: &str, number: i64) -> String {
    if is_id(name) {
        name.to_owned()
    } else {
        format!("{prefix}{number}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_iso8601_utc_with_milliseconds() {
        assert_eq!(time(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(time(1_796_000_000_123), "2026-11-30T00:53:20.123Z");
    }

    #[test]
    fn reltimes_have_unbounded_hours_and_a_sign() {
        assert_eq!(reltime(0), "0:00:00.000");
        assert_eq!(reltime(5 * 3_600_000 + 7 * 60_000 + 9_001), "5:07:09.001");
        assert_eq!(reltime(-61_500), "-0:01:01.500");
        assert_eq!(reltime(150 * 3_600_000), "150:00:00.000");
    }

    #[test]
    fn reltimes_parse_back() {
        for ms in [
            0,
            1,
            59_999,
            5 * 3_600_000 + 7 * 60_000 + 9_001,
            -61_500,
            150 * 3_600_000,
        ] {
            assert_eq!(parse_reltime(&reltime(ms)), Some(ms), "{ms}");
        }
        assert_eq!(parse_reltime("5:00:00"), Some(18_000_000));
        for bad in [
            "",
            "5",
            "5:00",
            "5:60:00",
            "5:00:61",
            "a:00:00",
            "5:0:00",
            "5:00:00.5",
            "5:00:00:00",
        ] {
            assert_eq!(parse_reltime(bad), None, "{bad}");
        }
    }

    #[test]
    fn ids_follow_the_text() {
        for ok in ["a", "wf2026", "team_1.x-y", &"x".repeat(36)] {
            assert!(is_id(ok), "{ok}");
        }
        for bad in ["", "-a", ".a", "a.", "a b", "ä", &"x".repeat(37)] {
            assert!(!is_id(bad), "{bad}");
        }
        assert_eq!(named_id("spring", "c", 4), "spring");
        assert_eq!(named_id(&"s".repeat(40), "c", 4), "c4");
    }
}
