//! The Contest API's value formats: `TIME`, `RELTIME` and `ID` exactly as the 2026-01 text
//! defines them (`RELTIME` is the protocol crate's, shared with the UI's resolver).

use codehub_engine::model::Millis;
pub use codehub_protocol::reltime::{parse_reltime, reltime};
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

/// Milliseconds since the epoch of a `TIME` (ISO 8601 with a time zone); `None` if it is
/// not one.
pub fn parse_time(s: &str) -> Option<Millis> {
    OffsetDateTime::parse(s, &time::format_description::well_known::Iso8601::DEFAULT)
        .ok()
        .map(|t| (t.unix_timestamp_nanos() / 1_000_000) as Millis)
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
    fn times_parse_back_with_any_offset() {
        assert_eq!(
            parse_time(&time(1_796_000_000_123)),
            Some(1_796_000_000_123)
        );
        assert_eq!(
            parse_time("2030-04-01T10:00:00+02:00"),
            parse_time("2030-04-01T08:00:00Z")
        );
        assert_eq!(parse_time("2030-04-01 10:00"), None);
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
