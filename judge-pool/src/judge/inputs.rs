//! Input validators: every program of `input_validators/` runs on every test input, as
//! `<program> <input_validator_args> <args> < input`; exit code 42 confirms the input,
//! anything else rejects it (43 is the usual "invalid"). testlib validators (converted
//! Polygon packages) exit 0 for a valid input.

use super::{Judge, JudgeError, validator_spec};
use crate::language::SourceFile;
use crate::package::{Problem, Protocol};
use crate::sandbox::{Environment, ExitStatus, Sandbox, Stdin};
use crate::validator::{EXIT_ACCEPTED, EXIT_WRONG_ANSWER};
use serde::Serialize;

/// Characters of a validator's output kept in a failure.
const MESSAGE_CHARS: usize = 300;

/// A test input an input validator did not confirm, or a validator that cannot run.
#[derive(Debug, Clone, Serialize)]
pub struct InputFailure {
    /// The validator (its name under `input_validators/`).
    pub validator: String,
    /// The test case (`secret/03`); `None`: the validator itself cannot be used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub test: Option<String>,
    /// How it ended and what it said.
    pub message: String,
}

/// Every input validator run on every test input.
#[derive(Debug, Clone, Default, Serialize)]
pub struct InputValidation {
    /// Validators run.
    pub validators: usize,
    /// Test inputs each validator saw.
    pub inputs: usize,
    /// What failed: validators that do not compile, inputs not confirmed.
    pub failures: Vec<InputFailure>,
}

impl<S: Sandbox> Judge<S> {
    /// Runs each of `programs` (name, sources; see [`Problem::input_validator_programs`])
    /// on every test input of `problem`, compiled like output validators and under the
    /// problem's validation limits.
    ///
    /// # Errors
    /// [`JudgeError::Sandbox`] when the sandbox fails; validators' own failures are
    /// [`InputFailure`]s.
    pub async fn validate_inputs(
        &self,
        problem: &Problem,
        programs: &[(String, Vec<SourceFile>)],
    ) -> Result<InputValidation, JudgeError> {
        let mut out = InputValidation {
            validators: programs.len(),
            inputs: problem.tests.len(),
            failures: Vec::new(),
        };
        for (name, sources) in programs {
            let fail = |test: Option<&str>, message: String| InputFailure {
                validator: name.clone(),
                test: test.map(str::to_owned),
                message,
            };
            let Some(lang) = self.languages.detect(sources) else {
                out.failures.push(fail(
                    None,
                    "no known language (programs only: .viva and .ctd are not supported)".into(),
                ));
                continue;
            };
            let artifact = match self
                .compile_validator(&problem.limits, lang, sources)
                .await?
            {
                Ok(a) => a,
                Err(message) => {
                    out.failures
                        .push(fail(None, format!("does not compile: {message}")));
                    continue;
                }
            };
            let env = self.validators.acquire().await?;
            for (file, data) in &artifact.files {
                env.write_file(file, data, true).await?;
            }
            let l = &problem.limits;
            for test in &problem.tests {
                let mut argv = lang.expand(
                    &lang.run,
                    &artifact.prepared,
                    l.validation_memory_bytes >> 20,
                );
                argv.extend(test.input_validator_args.of(name).iter().cloned());
                argv.extend(test.args.iter().cloned());
                let mut spec = validator_spec(argv, lang, problem, None);
                spec.stdin = Stdin::File(test.input.clone());
                let r = env.run(spec).await?;
                let testlib = problem.input_validator_protocol == Protocol::Testlib;
                let how = match (r.limit_hit, r.status) {
                    (None, ExitStatus::Exited(0)) if testlib => continue,
                    (None, ExitStatus::Exited(_)) if testlib => "invalid".to_owned(),
                    (None, ExitStatus::Exited(EXIT_ACCEPTED)) => continue,
                    (None, ExitStatus::Exited(EXIT_WRONG_ANSWER)) => "invalid".to_owned(),
                    (None, ExitStatus::Exited(c)) => {
                        format!("not confirmed: exit code {c} (42 is valid, 43 invalid)")
                    }
                    (None, ExitStatus::Signaled(s)) => {
                        format!("not confirmed: killed by signal {s}")
                    }
                    (Some(hit), _) => format!("not confirmed: the validator hit its {hit:?} limit"),
                };
                let said = format!(
                    "{} {}",
                    String::from_utf8_lossy(&r.stdout).trim(),
                    String::from_utf8_lossy(&r.stderr).trim()
                );
                let said: String = said.trim().chars().take(MESSAGE_CHARS).collect();
                let message = if said.is_empty() {
                    how
                } else {
                    format!("{how}: {said}")
                };
                out.failures.push(fail(Some(&test.name), message));
            }
        }
        Ok(out)
    }
}
