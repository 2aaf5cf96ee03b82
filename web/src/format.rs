//! Formatting for people: durations, countdowns, verdicts, sizes.

use codehub_protocol::Verdict;
use codehub_protocol::names::LiveState;

/// `1d 02:03:04`, `02:03:04` or `03:04` for a non-negative duration in ms.
pub fn duration(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    let (d, h, m, sec) = (s / 86_400, s / 3600 % 24, s / 60 % 60, s % 60);
    if d > 0 {
        format!("{d}d {h:02}:{m:02}:{sec:02}")
    } else if h > 0 {
        format!("{h:02}:{m:02}:{sec:02}")
    } else {
        format!("{m:02}:{sec:02}")
    }
}

/// The countdown line of a contest at `now`: what comes next and how far it is.
pub fn countdown(
    state: &str,
    now: i64,
    start_at: i64,
    end_at: i64,
    freeze_at: Option<i64>,
) -> String {
    match state {
        "scheduled" => format!("starts in {}", duration(start_at - now)),
        "running" => match freeze_at {
            Some(f) if f > now => format!(
                "freezes in {}, ends in {}",
                duration(f - now),
                duration(end_at - now)
            ),
            _ => format!("ends in {}", duration(end_at - now)),
        },
        "frozen" => format!("scoreboard frozen · ends in {}", duration(end_at - now)),
        _ => "ended".to_owned(),
    }
}

/// The state a contest is in at `now`, as the server computes it (for live countdowns).
pub fn state_at(
    now: i64,
    start_at: i64,
    end_at: i64,
    freeze_at: Option<i64>,
    unfreeze_at: Option<i64>,
    unfrozen: bool,
) -> &'static str {
    if now < start_at {
        "scheduled"
    } else if now >= end_at {
        "ended"
    } else if is_frozen(now, freeze_at, unfreeze_at, unfrozen) {
        "frozen"
    } else {
        "running"
    }
}

/// Whether the public scoreboard is frozen at `now`.
pub fn is_frozen(
    now: i64,
    freeze_at: Option<i64>,
    unfreeze_at: Option<i64>,
    unfrozen: bool,
) -> bool {
    let thawed = unfrozen || unfreeze_at.is_some_and(|u| now >= u);
    freeze_at.is_some_and(|f| now >= f) && !thawed
}

/// The full name of a verdict.
pub fn verdict_name(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Accepted => "Accepted",
        Verdict::WrongAnswer => "Wrong answer",
        Verdict::TimeLimitExceeded => "Time limit exceeded",
        Verdict::MemoryLimitExceeded => "Memory limit exceeded",
        Verdict::RunTimeError => "Run-time error",
        Verdict::CompileError => "Compilation error",
        Verdict::OutputLimitExceeded => "Output limit exceeded",
        Verdict::JudgeError => "Judge error",
    }
}

/// A live status line: `queued`, `compiling`, `test 7/42`, or the verdict.
pub fn status_line(
    state: LiveState,
    test: Option<usize>,
    total: Option<usize>,
    verdict: Option<Verdict>,
) -> String {
    match (state, verdict) {
        (_, Some(v)) => format!("{v} · {}", verdict_name(v)),
        (LiveState::Running, _) => match (test, total) {
            (Some(t), Some(n)) => format!("running test {t}/{n}"),
            _ => "running".to_owned(),
        },
        (s, _) => s.as_str().to_owned(),
    }
}

/// `256 MiB`, `64 KiB`.
pub fn kib(k: i64) -> String {
    if k >= 1024 && k % 1024 == 0 {
        format!("{} MiB", k / 1024)
    } else {
        format!("{k} KiB")
    }
}

/// `1 s`, `2.5 s`, `500 ms`.
pub fn ms(t: i64) -> String {
    if t >= 1000 {
        let s = t as f64 / 1000.0;
        if t % 1000 == 0 {
            format!("{} s", t / 1000)
        } else {
            format!("{s:.1} s")
        }
    } else {
        format!("{t} ms")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(duration(0), "00:00");
        assert_eq!(duration(61_000), "01:01");
        assert_eq!(duration(3_723_000), "01:02:03");
        assert_eq!(duration(90_061_000), "1d 01:01:01");
        assert_eq!(duration(-5), "00:00");
    }

    #[test]
    fn countdowns_and_states() {
        assert_eq!(
            countdown("scheduled", 0, 65_000, 100_000, None),
            "starts in 01:05"
        );
        assert_eq!(
            countdown("running", 0, 0, 120_000, Some(60_000)),
            "freezes in 01:00, ends in 02:00"
        );
        assert_eq!(
            countdown("running", 70_000, 0, 120_000, Some(60_000)),
            "ends in 00:50"
        );
        assert_eq!(countdown("ended", 0, 0, 0, None), "ended");
        assert_eq!(state_at(5, 10, 20, None, None, false), "scheduled");
        assert_eq!(state_at(15, 10, 20, Some(18), None, false), "running");
        assert_eq!(state_at(19, 10, 20, Some(18), None, false), "frozen");
        assert_eq!(state_at(25, 10, 20, Some(18), None, false), "ended");
        assert!(is_frozen(25, Some(18), None, false));
        assert!(!is_frozen(25, Some(18), Some(24), false));
        assert_eq!(state_at(19, 10, 20, Some(18), None, true), "running");
    }

    #[test]
    fn statuses_and_units() {
        assert_eq!(
            status_line(LiveState::Running, Some(7), Some(42), None),
            "running test 7/42"
        );
        assert_eq!(
            status_line(LiveState::Done, None, None, Some(Verdict::WrongAnswer)),
            "WA · Wrong answer"
        );
        assert_eq!(status_line(LiveState::Queued, None, None, None), "queued");
        assert_eq!(kib(262_144), "256 MiB");
        assert_eq!(kib(1000), "1000 KiB");
        assert_eq!(ms(1000), "1 s");
        assert_eq!(ms(2500), "2.5 s");
        assert_eq!(ms(300), "300 ms");
    }
}
