//! Formatting for people, in the language in use: durations, countdowns, the names of
//! states, roles and verdicts, sizes.

use crate::i18n::t;
use codehub_protocol::Verdict;
use codehub_protocol::names::{LiveState, Role, SubmissionStatus};

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
        "scheduled" => crate::t!("countdown-starts-in", time = duration(start_at - now)),
        "running" => match freeze_at {
            Some(f) if f > now => crate::t!(
                "countdown-freezes-in",
                freeze = duration(f - now),
                end = duration(end_at - now)
            ),
            _ => crate::t!("countdown-ends-in", time = duration(end_at - now)),
        },
        "frozen" => crate::t!("countdown-frozen", time = duration(end_at - now)),
        _ => t("countdown-ended"),
    }
}

/// The name of a contest state (a wire name of [`state_at`]) to show.
pub fn state_name(state: &str) -> String {
    match state {
        "scheduled" => t("contest-state-scheduled"),
        "running" => t("contest-state-running"),
        "frozen" => t("contest-state-frozen"),
        "ended" => t("contest-state-ended"),
        other => other.to_owned(),
    }
}

/// The name of a role to show.
pub fn role_name(role: Role) -> String {
    match role {
        Role::Spectator => t("role-spectator"),
        Role::Contestant => t("role-contestant"),
        Role::Jury => t("role-jury"),
        Role::Admin => t("role-admin"),
    }
}

/// The name of a live submission state to show.
pub fn live_state_name(state: LiveState) -> String {
    match state {
        LiveState::Queued => t("status-queued"),
        LiveState::Compiling => t("status-compiling"),
        LiveState::Running => t("status-running"),
        LiveState::Done => t("status-done"),
    }
}

/// The name of a stored submission's state to show.
pub fn submission_status_name(status: SubmissionStatus) -> String {
    match status {
        SubmissionStatus::Queued => t("status-queued"),
        SubmissionStatus::Judging => t("status-judging"),
        SubmissionStatus::Done => t("status-done"),
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
pub fn verdict_name(verdict: Verdict) -> String {
    t(match verdict {
        Verdict::Accepted => "verdict-accepted",
        Verdict::WrongAnswer => "verdict-wrong-answer",
        Verdict::TimeLimitExceeded => "verdict-time-limit-exceeded",
        Verdict::MemoryLimitExceeded => "verdict-memory-limit-exceeded",
        Verdict::RunTimeError => "verdict-run-time-error",
        Verdict::CompileError => "verdict-compilation-error",
        Verdict::OutputLimitExceeded => "verdict-output-limit-exceeded",
        Verdict::JudgeError => "verdict-judge-error",
    })
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
            (Some(test), Some(total)) => {
                crate::t!("status-running-test", test = test, total = total)
            }
            _ => live_state_name(LiveState::Running),
        },
        (s, _) => live_state_name(s),
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
