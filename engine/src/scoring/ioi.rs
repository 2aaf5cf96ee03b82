//! IOI rules: per problem the best score over the team's revealed tries; rank by the total.
//!
//! Every revealed try except CE and JE counts as an attempt and offers its score (a JE is
//! the judge's fault, so its score is never used); scores that are negative or not finite
//! count as 0. A cell is `solved` once some revealed try is AC (the first one is what
//! first-to-solve looks at); solving does not affect the rank.

use super::{Eval, Outcome, Tie, Totals, Try, points};
use crate::Verdict;

/// Evaluates one cell from its tries (sorted by `(at, id)`); `revealed` gives a try's
/// outcome on the board being computed, `None` if it shows as pending there.
pub(crate) fn eval(tries: &[Try], revealed: impl Fn(&Try) -> Option<Outcome>) -> Eval {
    let mut e = Eval::default();
    for t in tries {
        let Some(outcome) = revealed(t) else {
            e.pending += 1;
            continue;
        };
        if matches!(outcome.verdict, Verdict::CompileError | Verdict::JudgeError) {
            continue;
        }
        e.attempts += 1;
        let score = points(outcome.score);
        if score > e.score {
            e.score = score;
        }
        if outcome.verdict == Verdict::Accepted && e.first_ac.is_none() {
            e.first_ac = Some((t.at, t.id));
        }
    }
    e
}

/// The rank key (without the team) of a row's totals: the total score alone.
pub(crate) fn tie(t: &Totals) -> Tie {
    Tie::new(t.score, 0, 0, 0)
}

/// A row's total: the sum of each problem's best, in problem order.
pub(crate) fn total(bests: impl Iterator<Item = f64>) -> f64 {
    bests.fold(0.0, |sum, b| sum + b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SubmissionId;

    /// (tries as (verdict, score), expected attempts, best, solved).
    type Case = (&'static [(Verdict, f64)], u32, f64, bool);

    #[test]
    fn the_best_score_counts_and_bad_scores_are_zero() {
        use Verdict::*;
        let cases: &[Case] = &[
            (&[], 0, 0.0, false),
            (
                &[
                    (WrongAnswer, 30.0),
                    (WrongAnswer, 70.0),
                    (WrongAnswer, 40.0),
                ],
                3,
                70.0,
                false,
            ),
            (&[(WrongAnswer, 30.0), (Accepted, 100.0)], 2, 100.0, true),
            // JE scores are never used; CE is not an attempt.
            (
                &[
                    (JudgeError, 100.0),
                    (CompileError, 0.0),
                    (WrongAnswer, 10.0),
                ],
                1,
                10.0,
                false,
            ),
            (
                &[
                    (WrongAnswer, f64::NAN),
                    (WrongAnswer, -5.0),
                    (WrongAnswer, f64::INFINITY),
                ],
                3,
                0.0,
                false,
            ),
        ];
        for (i, &(list, attempts, best, solved)) in cases.iter().enumerate() {
            let tries: Vec<Try> = list
                .iter()
                .enumerate()
                .map(|(k, &(verdict, score))| Try {
                    problem: 0,
                    at: k as i64,
                    id: SubmissionId(k as i64),
                    result: Some(Outcome { verdict, score }),
                })
                .collect();
            let e = eval(&tries, |t| t.result);
            assert_eq!(
                (e.attempts, e.score, e.first_ac.is_some()),
                (attempts, best, solved),
                "case {i}"
            );
        }
        assert_eq!(total([10.0, 0.0, 32.5].into_iter()), 42.5);
    }
}
