//! testlib's conventions (Polygon checkers, interactors and validators), mapped onto the
//! judge's: how they are called and what their exit codes mean. Only the conventions
//! are known here; each program compiles with the `testlib.h` its package ships.
//!
//! | exit code | testlib | here |
//! |---|---|---|
//! | 0 | `_ok` | accepted |
//! | 1, 2 | `_wa`, `_pe` (also `_dirt` and an unexpected end of file by default) | wrong answer |
//! | 4, 8 | `_dirt`, unexpected end of file (builds that give them codes of their own) | wrong answer |
//! | 3 | `_fail` (the checker's own failure) | judge error |
//! | 7 | `_points` (`quitp`): stderr starts `points <x>` | accepted, score `x` |
//!
//! testlib's partial credit (`_pc(k)`) exits with `k` itself in the default build, so it
//! cannot be told from the codes above; `quitp` is how a Polygon checker gives points.
//! A checker reports on stderr (`ok 3 numbers`, `wrong answer 2nd words differ`): that
//! is the judge message. Input validators (`registerValidation`) exit 0 for a valid
//! input and 3 (`_fail`) for an invalid one.

use super::{Judge, JudgeError, Validated, ValidatorEnd, compile_lookup};
use crate::package::Problem;
use crate::sandbox::{ExitStatus, LimitHit, Sandbox};
use crate::score::ScoreFeedback;
use std::path::PathBuf;

/// Where the contestant's output is put for a checker.
pub(super) const OUTPUT: &str = "judge/output";
/// Exit code of `_points`.
const POINTS: i32 = 7;

/// A checker's arguments: `input output answer`.
pub(super) fn checker_args() -> [String; 3] {
    ["judge/input".into(), OUTPUT.into(), "judge/answer".into()]
}

/// The file an interactor writes its output to, for the checker (one per test).
pub(super) fn interactor_output(index: usize) -> String {
    format!("judge/tout-{index}")
}

/// An interactor's arguments: `input output` (the output file goes to the checker).
pub(super) fn interactor_args(index: usize) -> [String; 2] {
    ["judge/input".into(), interactor_output(index)]
}

/// How a testlib program ended: the validator outcome, its message (stderr), and the
/// score it gave.
pub(super) fn outcome(
    hit: Option<LimitHit>,
    status: ExitStatus,
    stderr: &[u8],
) -> (ValidatorEnd, Option<String>, Option<ScoreFeedback>) {
    let said = String::from_utf8_lossy(stderr).trim().to_owned();
    let message = Some(said.clone()).filter(|m| !m.is_empty());
    let failed = |why: String| (ValidatorEnd::Failed, Some(why), None);
    match (hit, status) {
        (None, ExitStatus::Exited(0)) => (ValidatorEnd::Accepted, message, None),
        (None, ExitStatus::Exited(1 | 2 | 4 | 8)) => (ValidatorEnd::WrongAnswer, message, None),
        (None, ExitStatus::Exited(POINTS)) => match points(&said) {
            Some(x) => (
                ValidatorEnd::Accepted,
                message,
                Some(ScoreFeedback::Score(x)),
            ),
            None => failed(format!(
                "the checker exited with _points (7) but wrote no `points <number>`: {said}"
            )),
        },
        (None, ExitStatus::Exited(3)) => failed(format!("the checker failed (_fail): {said}")),
        (hit, status) => failed(format!(
            "the testlib program failed ({status:?}, limit {hit:?}): {said}"
        )),
    }
}

/// The number of a `points <x> …` report.
fn points(said: &str) -> Option<f64> {
    let rest = said.strip_prefix("points")?;
    rest.split_whitespace()
        .next()?
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
}

impl<S: Sandbox> Judge<S> {
    /// Compiles the problem's `interactor_checker` (if any) into the cache, so that
    /// [`Self::check_interaction`], which runs while holding a validator environment, finds
    /// it there. A checker that does not compile is reported by `check_interaction`.
    pub(super) async fn compile_interactor_checker(
        &self,
        problem: &Problem,
    ) -> Result<(), JudgeError> {
        if let Some(sources) = &problem.interactor_checker {
            compile_lookup(self, checker_key(problem), sources, &problem.limits).await?;
        }
        Ok(())
    }

    /// Checks an accepted interaction with the problem's `interactor_checker`: the
    /// checker reads the test's input, the interactor's output file and the answer.
    /// `None` when the problem has no such checker.
    ///
    /// The checker runs in the validator environment `venv` in place of the interactor
    /// (same file names): the interactor's files come back afterwards.
    pub(super) async fn check_interaction<E: crate::sandbox::Environment>(
        &self,
        problem: &Problem,
        venv: &E,
        interactor_files: &[(String, Vec<u8>)],
        index: usize,
    ) -> Result<Option<(Validated, Option<String>, Option<ScoreFeedback>)>, JudgeError> {
        let Some(sources) = &problem.interactor_checker else {
            return Ok(None);
        };
        let compiled = compile_lookup(self, checker_key(problem), sources, &problem.limits).await?;
        let artifact = match &*compiled {
            Ok(a) => a,
            Err(m) => {
                let why = format!("the interactor's checker does not compile: {m}");
                return Ok(Some((failed(), Some(why), None)));
            }
        };
        let l = &problem.limits;
        let read = |name: String| async move { venv.read_file(&name, l.output_bytes).await };
        let (input, answer) = (
            read("judge/input".into()).await?,
            read("judge/answer".into()).await?,
        );
        let output = venv
            .read_file(&interactor_output(index), l.validation_output_bytes)
            .await
            .unwrap_or_default();
        super::restore(venv, &artifact.files).await?;
        venv.write_file("judge/input", &input, false).await?;
        venv.write_file("judge/answer", &answer, false).await?;
        venv.write_file(OUTPUT, &output, false).await?;
        let lang = &artifact.language;
        let mut argv = lang.expand(
            &lang.run,
            &artifact.prepared,
            l.validation_memory_bytes >> 20,
        );
        argv.extend(checker_args());
        let r = venv
            .run(super::validator_spec(argv, lang, problem, None))
            .await?;
        super::restore(venv, interactor_files).await?;
        let (end, message, score) = outcome(r.limit_hit, r.status, &r.stderr);
        Ok(Some((
            Validated {
                end,
                next_pass: None,
            },
            message,
            score,
        )))
    }
}

fn failed() -> Validated {
    Validated {
        end: ValidatorEnd::Failed,
        next_pass: None,
    }
}

/// The cache key of a problem's interactor checker.
fn checker_key(problem: &Problem) -> PathBuf {
    problem.root.join("#interactor_checker")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn end(code: i32, stderr: &str) -> (ValidatorEnd, Option<String>, Option<ScoreFeedback>) {
        outcome(None, ExitStatus::Exited(code), stderr.as_bytes())
    }

    #[test]
    fn exit_codes_map_onto_verdicts() {
        assert_eq!(end(0, "ok 3 numbers").0, ValidatorEnd::Accepted);
        assert_eq!(end(0, "ok 3 numbers").1.as_deref(), Some("ok 3 numbers"));
        for code in [1, 2, 4, 8] {
            assert_eq!(
                end(code, "wrong answer").0,
                ValidatorEnd::WrongAnswer,
                "{code}"
            );
        }
        assert_eq!(end(3, "FAIL bad answer file").0, ValidatorEnd::Failed);
        assert_eq!(end(5, "").0, ValidatorEnd::Failed);
        let signalled = outcome(None, ExitStatus::Signaled(11), b"");
        assert_eq!(signalled.0, ValidatorEnd::Failed);
        let limited = outcome(Some(LimitHit::CpuTime), ExitStatus::Exited(0), b"");
        assert_eq!(limited.0, ValidatorEnd::Failed);
    }

    #[test]
    fn points_are_scores() {
        let (e, _, s) = end(7, "points 2.5 two of four");
        assert_eq!(
            (e, s),
            (ValidatorEnd::Accepted, Some(ScoreFeedback::Score(2.5)))
        );
        assert_eq!(end(7, "no number").0, ValidatorEnd::Failed);
    }
}
