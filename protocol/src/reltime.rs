//! The Contest API's relative times (`RELTIME`: `(-)?h:mm:ss(.uuu)?`), written and read in
//! one place for the gateway (the API, contest packages) and the UI (the resolver).

/// A duration (`RELTIME`): `(-)?h:mm:ss.uuu`, hours unbounded.
pub fn reltime(ms: i64) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
