//! ICPC rules: solved count, then penalty minutes, then the minute of the last solve.
//!
//! A cell counts its tries in `(at, id)` order: WA, TLE, MLE, RTE and OLE are rejected
//! tries; CE and JE are not tries at all; the first revealed AC solves the problem and
//! everything after it is ignored. Tries not yet judged (or hidden by the freeze) are
//! pending and neither count nor stop the scan, so a pending try made before an AC adds
//! no penalty until it is judged.

use super::{Eval, Outcome, Tie, Totals, Try, minute};
use crate::Verdict;

/// Evaluates one cell from its tries (sorted by `(at, id)`); `revealed` gives a try's
/// outcome on the board being computed, `None` if it shows as pending there.
pub(crate) fn eval(
    tries: &[Try],
    revealed: impl Fn(&Try) -> Option<Outcome>,
    penalty_minutes: i64,
) -> Eval {
    let mut e = Eval::default();
    for t in tries {
        let Some(outcome) = revealed(t) else {
            e.pending += 1;
            continue;
        };
        match outcome.verdict {
            Verdict::CompileError | Verdict::JudgeError => {}
            Verdict::Accepted => {
                e.attempts += 1;
                e.first_ac = Some((t.at, t.id));
                e.penalty = minute(t.at)
                    .wrapping_add(penalty_minutes.wrapping_mul(i64::from(e.attempts - 1)));
                break;
            }
            Verdict::WrongAnswer
            | Verdict::TimeLimitExceeded
            | Verdict::MemoryLimitExceeded
            | Verdict::RunTimeError
            | Verdict::OutputLimitExceeded => e.attempts += 1,
        }
    }
    e
}

/// The rank key (without the team) of a row's totals.
pub(crate) fn tie(t: &Totals) -> Tie {
    Tie::new(0.0, t.solved, t.penalty, t.last_ac)
}

/// The last-solve minute of a row given each problem's solve minute.
pub(crate) fn last_ac(minutes: impl Iterator<Item = Option<i64>>) -> i64 {
    minutes.flatten().max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SubmissionId;

    fn tries(list: &[(i64, Verdict)]) -> Vec<Try> {
        list.iter()
            .enumerate()
            .map(|(i, &(at, verdict))| Try {
                problem: 0,
                at,
                id: SubmissionId(i as i64),
                result: Some(Outcome {
                    verdict,
                    score: 0.0,
                }),
            })
            .collect()
    }

    /// (tries as (ms, verdict), expected attempts, solved minute, penalty).
    type Case<'a> = (&'a [(i64, Verdict)], u32, Option<i64>, i64);

    #[test]
    fn cells_follow_the_penalty_arithmetic() {
        use Verdict::*;
        let m = 60_000;
        let cases: &[Case<'_>] = &[
            (&[], 0, None, 0),
            // Minutes round down: 59.999 s is minute 0, 119.999 s is minute 1.
            (&[(m - 1, Accepted)], 1, Some(0), 0),
            (&[(2 * m - 1, Accepted)], 1, Some(1), 1),
            // Two rejected tries: 2 × 20 minutes on top of minute 30.
            (
                &[
                    (m, WrongAnswer),
                    (2 * m, TimeLimitExceeded),
                    (30 * m + 5, Accepted),
                ],
                3,
                Some(30),
                70,
            ),
            // CE and JE are neither tries nor penalty.
            (
                &[(m, CompileError), (2 * m, JudgeError), (10 * m, Accepted)],
                1,
                Some(10),
                10,
            ),
            // Everything after the first AC is ignored.
            (
                &[(5 * m, Accepted), (6 * m, WrongAnswer), (7 * m, Accepted)],
                1,
                Some(5),
                5,
            ),
            // Unsolved: every rejected try counts, no penalty.
            (
                &[
                    (m, RunTimeError),
                    (m, MemoryLimitExceeded),
                    (m, OutputLimitExceeded),
                ],
                3,
                None,
                0,
            ),
        ];
        for (i, &(list, attempts, solved, penalty)) in cases.iter().enumerate() {
            let e = eval(&tries(list), |t| t.result, 20);
            assert_eq!(e.attempts, attempts, "case {i}");
            assert_eq!(e.first_ac.map(|(at, _)| minute(at)), solved, "case {i}");
            assert_eq!(e.penalty, penalty, "case {i}");
            assert_eq!(e.pending, 0, "case {i}");
        }
    }

    #[test]
    fn pending_tries_before_the_ac_add_no_penalty_yet() {
        use Verdict::*;
        let list = tries(&[
            (60_000, WrongAnswer),
            (120_000, WrongAnswer),
            (180_000, Accepted),
        ]);
        // The second try is not judged yet.
        let e = eval(
            &list,
            |t| (t.id != SubmissionId(1)).then_some(t.result).flatten(),
            20,
        );
        assert_eq!((e.attempts, e.pending, e.penalty), (2, 1, 3 + 20));
    }
}
