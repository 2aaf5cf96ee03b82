//! Code run once outside judging (`POST /api/runs`): on one of the problem's samples,
//! checked against its answer, or on typed input. The same sandbox, limits and checker as
//! judging; nothing is stored.

use super::{
    Judge, JudgeError, Pass, check_output, compile_in, prepare_with_includes, run_verdict,
    submission_spec,
};
use crate::language::{PrepareError, SourceFile};
use crate::package::{Problem, Validation};
use crate::policy::VerdictPolicy;
use crate::sandbox::{Environment, ExitStatus, Sandbox, SandboxError, Stdin};
use codehub_engine::Verdict;
use codehub_protocol::requests::RunInput;
use codehub_protocol::views::{RUN_OUTPUT_BYTES, RunView, SampleCheckView};

impl<S: Sandbox> Judge<S> {
    /// Compiles `files` and runs them once on `input` with the problem's limits.
    ///
    /// # Errors
    /// [`JudgeError::CannotRun`] for an interactive or submit-answer problem, a multi-pass
    /// problem's sample, or a sample the problem does not have; the language and size
    /// errors of judging; [`JudgeError::Sandbox`] when the sandbox fails.
    pub async fn run_once(
        &self,
        problem: &Problem,
        files: &[SourceFile],
        language: Option<&str>,
        input: &RunInput,
        policy: Option<&VerdictPolicy>,
    ) -> Result<RunView, JudgeError> {
        if files.is_empty() {
            return Err(JudgeError::Empty);
        }
        if problem.kind.submit_answer {
            return Err(JudgeError::CannotRun(
                "this problem takes answer files: there is no program to run".to_owned(),
            ));
        }
        if problem.validation == Validation::Interactive {
            return Err(JudgeError::CannotRun(
                "runs are not available on interactive problems (the program talks to the \
                 judge's interactor): submit to test it"
                    .to_owned(),
            ));
        }
        let sample = match input {
            RunInput::Stdin(_) => None,
            RunInput::Sample(_) if problem.kind.multi_pass => {
                return Err(JudgeError::CannotRun(
                    "a multi-pass problem's samples cannot be checked by a run: run on typed \
                     input, or submit"
                        .to_owned(),
                ));
            }
            RunInput::Sample(n) => {
                let samples: Vec<_> = problem.tests.iter().filter(|t| t.sample).collect();
                let test = n
                    .checked_sub(1)
                    .and_then(|i| samples.get(i))
                    .ok_or_else(|| {
                        JudgeError::CannotRun(format!(
                            "sample {n} does not exist: this problem has {} (numbered from 1)",
                            samples.len()
                        ))
                    })?;
                Some(*test)
            }
        };
        let policy = policy.unwrap_or(&self.policy);
        let lang = self.language_of(problem, files, language)?;
        let mut view = RunView {
            language: lang.id.clone(),
            verdict: None,
            compile_output: String::new(),
            stdout: String::new(),
            stdout_truncated: false,
            stderr: String::new(),
            stderr_truncated: false,
            time_ms: 0,
            memory_kib: 0,
            exit_code: None,
            sample: None,
        };
        let prepared = match prepare_with_includes(problem, lang, files) {
            Ok(p) => p,
            Err(PrepareError(message)) => {
                view.verdict = Some(Verdict::CompileError);
                view.compile_output = message;
                return Ok(view);
            }
        };
        // Compiled before any environment is held (as in judging: no deadlock).
        let validator = match sample {
            Some(_) => match self.custom_validator(problem).await? {
                Ok(v) => v,
                Err(message) => {
                    return Err(JudgeError::CannotRun(format!(
                        "the problem's output validator does not compile, so its samples \
                         cannot be checked: {message}"
                    )));
                }
            },
            None => None,
        };
        let env = self.submissions.acquire().await?;
        for f in &prepared.files {
            env.write_file(&f.name, &f.contents, false).await?;
        }
        if let Some(compile) = &lang.compile {
            let (ok, output) =
                compile_in(&env, lang, &prepared, compile, &problem.limits, policy).await?;
            view.compile_output = output;
            if !ok {
                view.verdict = Some(Verdict::CompileError);
                return Ok(view);
            }
        }
        let typed;
        let mut spec = match sample {
            Some(test) => {
                let mut spec = submission_spec(lang, &prepared, problem, policy, &test.args);
                spec.stdin = Stdin::File(test.input.clone());
                spec
            }
            None => {
                let RunInput::Stdin(text) = input else {
                    unreachable!("no sample: typed input")
                };
                typed = tempfile::NamedTempFile::new()
                    .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()).map(|_| f))
                    .map_err(|e| SandboxError::io("write the run's input", e))?;
                let mut spec = submission_spec(lang, &prepared, problem, policy, &[]);
                spec.stdin = Stdin::File(typed.path().to_owned());
                spec
            }
        };
        spec.limits.stderr_bytes = spec.limits.stderr_bytes.min(RUN_OUTPUT_BYTES as u64);
        let r = env.run(spec).await?;
        (view.stdout, view.stdout_truncated) = shown(&r.stdout, r.stdout_truncated);
        (view.stderr, view.stderr_truncated) = shown(&r.stderr, r.stderr_truncated);
        view.time_ms = r.cpu_time.as_millis() as u64;
        view.memory_kib = r.peak_memory_bytes / 1024;
        view.exit_code = match r.status {
            ExitStatus::Exited(code) => Some(code),
            _ => None,
        };
        view.verdict = run_verdict(&r, lang, policy);
        let Some(test) = sample else {
            return Ok(view);
        };
        let answer = std::fs::read(&test.answer)
            .map_err(|e| SandboxError::io("read the sample's answer", e))?;
        let (expected, expected_truncated) = shown(&answer, false);
        let mut message = None;
        if view.verdict.is_none() {
            let venv = match &validator {
                Some(v) => {
                    let venv = self.validators.acquire().await?;
                    let artifact = v.as_ref().as_ref().expect("compiled above");
                    for (name, data) in &artifact.files {
                        venv.write_file(name, data, true).await?;
                    }
                    Some((venv, artifact))
                }
                None => None,
            };
            let first = Pass {
                number: 1,
                input: None,
            };
            let index = problem
                .tests
                .iter()
                .position(|t| std::ptr::eq(t, test))
                .expect("a test of the problem");
            let (verdict, why, _, _) = check_output(
                problem,
                policy,
                test,
                venv.as_ref().map(|(e, a)| (e, *a)),
                index,
                &first,
                &r.stdout,
            )
            .await?;
            view.verdict = Some(verdict);
            message = why;
        }
        view.sample = Some(SampleCheckView {
            expected,
            expected_truncated,
            message,
        });
        Ok(view)
    }
}

/// The first [`RUN_OUTPUT_BYTES`] of `bytes` as text, and whether anything is cut.
fn shown(bytes: &[u8], truncated: bool) -> (String, bool) {
    let cut = bytes.len() > RUN_OUTPUT_BYTES;
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(RUN_OUTPUT_BYTES)]).into_owned();
    (text, truncated || cut)
}
