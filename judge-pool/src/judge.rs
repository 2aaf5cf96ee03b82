//! The judging pipeline: prepare → compile → run each test → validate → verdict.
//!
//! Every program of a submission, its compiler and the problem's validator run in
//! sandboxes. Submissions and validators use two separate pools, so a judging that holds
//! a submission environment and waits for a validator environment can never deadlock
//! with another judging.

use crate::language::{Language, LanguageTable, PrepareError, Prepared, SourceFile};
use crate::package::{Problem, ProblemLimits, Protocol, TestCase, Validation};
use crate::policy::VerdictPolicy;
use crate::sandbox::{
    Environment, ExitStatus, LimitHit, RunLimits, RunResult, RunSpec, Sandbox, SandboxError, Stdin,
    Stdout, StopSignal, default_env, stop_pair,
};
use crate::score::{GroupScore, ScoreFeedback, aggregate};
use crate::validator::{EXIT_ACCEPTED, EXIT_WRONG_ANSWER, default_validate};
use codehub_engine::Verdict;
use codehub_protocol::files::ANSWER_LANGUAGE;
use serde::Serialize;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc::Sender;

mod inputs;
mod run_once;
mod testlib;
mod tools;
pub use inputs::{InputFailure, InputValidation};
pub use tools::Tool;

/// Bytes of compiler output kept for the contestant.
const COMPILE_OUTPUT_BYTES: u64 = 64 << 10;
/// Largest file read back from a work directory (compiled files).
const COMPILE_FILE_BYTES: u64 = 256 << 20;
/// Processes (and threads) of a run, unless the language says otherwise.
const DEFAULT_PROCESSES: u32 = 64;
/// Bytes of a validator's judge message kept.
const JUDGE_MESSAGE_BYTES: u64 = 16 << 10;
/// Bytes of a validator's `score.txt` or `score_multiplier.txt` read.
const SCORE_FILE_BYTES: u64 = 1 << 10;

/// A request the judge refuses before running anything: the submitter's mistake, with a
/// message for them.
#[derive(Debug, thiserror::Error)]
pub enum JudgeError {
    /// No language given and none recognised from the file names.
    #[error(
        "cannot tell the language of {0}; name the files with a known extension or give --language"
    )]
    UnknownLanguageOf(String),
    /// The language id is not in the table.
    #[error("unknown language `{0}`")]
    UnknownLanguage(String),
    /// The language's toolchain is not installed.
    #[error("language `{0}` is not available on this judge (its toolchain is missing)")]
    LanguageUnavailable(String),
    /// No source files.
    #[error("the submission has no files")]
    Empty,
    /// Larger than the problem's code limit.
    #[error("the source is {size} bytes; this problem allows at most {limit} bytes")]
    SourceTooLarge {
        /// Total size of the files.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// A program submitted to a submit-answer problem.
    #[error(
        "this problem takes answer files, one per test case (language `answer`), not a program"
    )]
    AnswersExpected,
    /// Answer files submitted to a problem that takes programs.
    #[error("this problem takes a program, not answer files")]
    NotSubmitAnswer,
    /// A run outside judging that this problem or request cannot have (the reason).
    #[error("{0}")]
    CannotRun(String),
    /// The sandbox failed: not the submitter's fault; judge again later.
    #[error(transparent)]
    Sandbox(#[from] SandboxError),
}

/// A step of a judging, for live verdict streams.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Progress {
    /// Compiling.
    Compiling,
    /// Running test `test` (1-based) of `total`.
    Running {
        /// 1-based index.
        test: usize,
        /// Number of tests.
        total: usize,
    },
}

/// Options of one judging.
#[derive(Debug, Clone, Default)]
pub struct JudgeOptions {
    /// Run every test (IOI) instead of stopping at the first failure (ICPC).
    pub run_all_tests: bool,
    /// Where progress goes, if anywhere: a bounded queue, never waited on (progress is
    /// advisory; a step that finds it full is dropped, the report is the result).
    pub progress: Option<Sender<Progress>>,
    /// This judging's verdict policy (a contest's); `None`: the judge's own.
    pub policy: Option<VerdictPolicy>,
}

/// The result of one test case.
#[derive(Debug, Clone, Serialize)]
pub struct TestReport {
    /// Test name (`secret/group1/03`).
    pub name: String,
    /// Its group.
    pub group: String,
    /// Whether it is a sample.
    pub sample: bool,
    /// Verdict.
    pub verdict: Verdict,
    /// CPU time, ms.
    pub time_ms: u64,
    /// Peak memory, KiB.
    pub memory_kib: u64,
    /// Validator message, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Its score (secret cases of 2023-07 scoring problems in sum or min groups).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
}

/// The result of judging a submission.
#[derive(Debug, Clone, Serialize)]
pub struct JudgeReport {
    /// The verdict: the first failing test's, or AC.
    pub verdict: Verdict,
    /// Language id.
    pub language: String,
    /// Compiler output (truncated).
    pub compile_output: String,
    /// Per-test results, in order.
    pub tests: Vec<TestReport>,
    /// Slowest test, ms.
    pub max_time_ms: u64,
    /// Largest memory peak, KiB.
    pub max_memory_kib: u64,
    /// The score. Scoring problems (2023-07): `secret`'s score by the format's rules,
    /// always. Pass-fail problems with `run_all_tests` (IOI): the points of every group
    /// whose tests all pass, or the percentage of passed secret tests when the package
    /// gives no points.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// The most `score` can be (`None` with a score: unbounded).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_score: Option<f64>,
    /// Scores of `secret` and its groups (scoring problems).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<GroupScore>,
    /// Why the judge failed, for a JE verdict.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub judge_message: Option<String>,
}

/// A test hook: how long the judge waits, after each side of an interactive run has
/// ended, before it collects (reaps) that side's result. Tests force either order with it;
/// the verdict must not depend on it. Zero (the default) everywhere else.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReapDelays {
    /// Before collecting the submission's result.
    pub submission: Duration,
    /// Before collecting the validator's result.
    pub validator: Duration,
}

/// A compiled program: the files of a work directory after compilation.
struct Artifact {
    language: Language,
    prepared: Prepared,
    files: Vec<(String, Vec<u8>)>,
}

/// The judge: sandboxes, languages, and compiled validators.
pub struct Judge<S: Sandbox> {
    submissions: S,
    validators: S,
    languages: Arc<LanguageTable>,
    /// Compiled validators by problem root (a validator is compiled once per problem).
    compiled_validators: tokio::sync::Mutex<HashMap<PathBuf, Arc<Result<Artifact, String>>>>,
    /// Test hook; zero unless a test set it.
    reap_delays: ReapDelays,
    /// Wall time, stack, output overflow and compiler file limits (default: CodeHub's).
    policy: VerdictPolicy,
}

impl<S: Sandbox> Judge<S> {
    /// A judge running submissions in `submissions` and validators in `validators`.
    pub fn new(submissions: S, validators: S, languages: Arc<LanguageTable>) -> Self {
        Judge {
            submissions,
            validators,
            languages,
            compiled_validators: tokio::sync::Mutex::new(HashMap::new()),
            reap_delays: ReapDelays::default(),
            policy: VerdictPolicy::default(),
        }
    }

    /// This judge with `policy` instead of the default one.
    pub fn with_policy(mut self, policy: VerdictPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// The verdict policy.
    pub fn policy(&self) -> &VerdictPolicy {
        &self.policy
    }

    /// Why `problem`'s output validator cannot be used (it does not compile), or `None`
    /// (it compiles, or the problem has none).
    ///
    /// # Errors
    /// [`JudgeError::Sandbox`] when the sandbox fails.
    pub async fn output_validator_error(
        &self,
        problem: &Problem,
    ) -> Result<Option<String>, JudgeError> {
        Ok(self.custom_validator(problem).await?.err())
    }

    /// For tests: collect the two sides of interactive runs late, by `delays`.
    pub fn set_reap_delays(&mut self, delays: ReapDelays) {
        self.reap_delays = delays;
    }

    /// The language table.
    pub fn languages(&self) -> &LanguageTable {
        &self.languages
    }

    /// Judges `files` on `problem`.
    ///
    /// # Errors
    /// [`JudgeError`] when the request is unusable (unknown language, too large) or the
    /// sandbox fails; every outcome of the program itself is a verdict in the report.
    pub async fn judge(
        &self,
        problem: &Problem,
        files: &[SourceFile],
        language: Option<&str>,
        options: &JudgeOptions,
    ) -> Result<JudgeReport, JudgeError> {
        if files.is_empty() {
            return Err(JudgeError::Empty);
        }
        let policy = options.policy.as_ref().unwrap_or(&self.policy);
        let answers = language == Some(ANSWER_LANGUAGE);
        if problem.kind.submit_answer {
            if language.is_some() && !answers {
                return Err(JudgeError::AnswersExpected);
            }
            return self.judge_answers(problem, files, options).await;
        }
        if answers {
            return Err(JudgeError::NotSubmitAnswer);
        }
        let lang = self.language_of(problem, files, language)?;
        let mut report = JudgeReport {
            verdict: Verdict::Accepted,
            language: lang.id.clone(),
            compile_output: String::new(),
            tests: Vec::new(),
            max_time_ms: 0,
            max_memory_kib: 0,
            score: None,
            max_score: None,
            groups: Vec::new(),
            judge_message: None,
        };
        let prepared = match prepare_with_includes(problem, lang, files) {
            Ok(p) => p,
            Err(PrepareError(message)) => {
                report.verdict = Verdict::CompileError;
                report.compile_output = message;
                return Ok(report);
            }
        };

        let validator = match self.custom_validator(problem).await? {
            Ok(v) => v,
            Err(message) => {
                report.verdict = Verdict::JudgeError;
                report.judge_message =
                    Some(format!("the output validator does not compile: {message}"));
                return Ok(report);
            }
        };

        // Compiled now, before this judging holds any environment: compiling takes a
        // validator environment, and waiting for one while holding one deadlocks once
        // every validator environment is held by a judging doing the same.
        self.compile_interactor_checker(problem).await?;

        let env = self.submissions.acquire().await?;
        for f in &prepared.files {
            env.write_file(&f.name, &f.contents, false).await?;
        }
        if let Some(compile) = &lang.compile {
            send(options, Progress::Compiling);
            let (ok, output) =
                compile_in(&env, lang, &prepared, compile, &problem.limits, policy).await?;
            report.compile_output = output;
            if !ok {
                report.verdict = Verdict::CompileError;
                return Ok(report);
            }
        }

        let venv = match &validator {
            Some(v) => {
                let venv = self.validators.acquire().await?;
                let artifact = v.as_ref().as_ref().expect("checked above");
                for (name, data) in &artifact.files {
                    venv.write_file(name, data, true).await?;
                }
                Some((venv, v.clone()))
            }
            None => None,
        };

        // Every test starts from the compiled files alone: nothing a run leaves in the
        // work directory or /tmp reaches the next test.
        // Where the backend can seal them (the compiled files made read-only to the
        // programs), a test that left the work directory as sealed needs no restore.
        let compiled = snapshot(&env).await?;
        let mut seal = None;
        // Scoring problems run every test: the score needs them all.
        let run_all = options.run_all_tests || problem.kind.scoring;
        let mut feedback = Vec::new();
        let total = problem.tests.len();
        for (i, test) in problem.tests.iter().enumerate() {
            send(options, Progress::Running { test: i + 1, total });
            let validator = venv
                .as_ref()
                .map(|(e, a)| (e, a.as_ref().as_ref().expect("checked")));
            // A multi-pass test runs the submission afresh on each pass's input: the
            // test's, then each `nextpass.in` its validator writes.
            let mut pass = Pass {
                number: 1,
                input: None,
            };
            let (mut worst_time, mut worst_memory) = (0, 0);
            let (t, fb) = loop {
                let intact = match &seal {
                    Some(s) => env.is_sealed_state(s).await?,
                    None => false,
                };
                if !intact {
                    restore(&env, &compiled).await?;
                    seal = env.seal().await?;
                }
                let (mut t, fb, validated) = match problem.validation {
                    Validation::Interactive => {
                        let (venv, artifact) = validator.expect("interactive has a validator");
                        let delays = self.reap_delays;
                        let (mut t, fb, validated) = run_interactive(
                            &env, lang, &prepared, problem, policy, test, venv, artifact, i, &pass,
                            delays,
                        )
                        .await?;
                        let checked = if t.verdict == Verdict::Accepted {
                            self.check_interaction(problem, venv, &artifact.files, i)
                                .await?
                        } else {
                            None
                        };
                        match checked {
                            Some((v, message, score)) => {
                                t.verdict = v.end.verdict();
                                t.message = message.filter(|m| !m.is_empty()).or(t.message);
                                (t, score, Some(v))
                            }
                            None => (t, fb, validated),
                        }
                    }
                    _ => {
                        run_test(
                            &env, lang, &prepared, problem, policy, test, validator, i, &pass,
                        )
                        .await?
                    }
                };
                worst_time = worst_time.max(t.time_ms);
                worst_memory = worst_memory.max(t.memory_kib);
                let (end, next) = validated.map_or((None, None), |v| (Some(v.end), v.next_pass));
                match after_pass(
                    t.verdict,
                    end,
                    next.is_some(),
                    pass.number,
                    problem.limits.validation_passes,
                ) {
                    AfterPass::Again => {
                        pass = Pass {
                            number: pass.number + 1,
                            input: next,
                        };
                    }
                    AfterPass::Done(verdict, why) => {
                        t.verdict = verdict;
                        if let Some(why) = why {
                            t.message = Some(why);
                        }
                        (t.time_ms, t.memory_kib) = (worst_time, worst_memory);
                        break (t, fb);
                    }
                }
            };
            report.max_time_ms = report.max_time_ms.max(t.time_ms);
            report.max_memory_kib = report.max_memory_kib.max(t.memory_kib);
            let failed = t.verdict != Verdict::Accepted;
            if failed && report.verdict == Verdict::Accepted {
                report.verdict = t.verdict;
                if t.verdict == Verdict::JudgeError {
                    report.judge_message = t.message.clone();
                }
            }
            report.tests.push(t);
            feedback.push(fb);
            if failed && !run_all {
                break;
            }
        }
        self.finish_scores(problem, options, &mut report, &feedback);
        Ok(report)
    }

    /// Judges answer files (a submit-answer problem): each test case's file (named by
    /// [`answer_file_name`](codehub_protocol::files::answer_file_name)) is checked as
    /// that case's output would be. A sample without an answer is skipped; a secret case
    /// without one is wrong; an answer larger than the output limit is OLE.
    async fn judge_answers(
        &self,
        problem: &Problem,
        files: &[SourceFile],
        options: &JudgeOptions,
    ) -> Result<JudgeReport, JudgeError> {
        let names = problem.answer_files();
        let mut report = JudgeReport {
            verdict: Verdict::Accepted,
            language: ANSWER_LANGUAGE.to_owned(),
            compile_output: String::new(),
            tests: Vec::new(),
            max_time_ms: 0,
            max_memory_kib: 0,
            score: None,
            max_score: None,
            groups: Vec::new(),
            judge_message: None,
        };
        // Files that answer no test case make the submission unusable, as a badly named
        // source file does a program's: a compile error, with the names expected.
        let mut answers: HashMap<&str, &[u8]> = HashMap::new();
        for f in files {
            let problem_with_it = if !names.contains(&f.name) {
                Some(format!(
                    "answer file `{}` is no test case's; the answer files are {}",
                    f.name,
                    names
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            } else if answers.insert(&f.name, &f.contents).is_some() {
                Some(format!("answer file `{}` is given twice", f.name))
            } else {
                None
            };
            if let Some(message) = problem_with_it {
                report.verdict = Verdict::CompileError;
                report.compile_output = message;
                return Ok(report);
            }
        }
        let validator = match self.custom_validator(problem).await? {
            Ok(None) => None,
            Ok(Some(compiled)) => {
                let venv = self.validators.acquire().await?;
                let artifact = compiled.as_ref().as_ref().expect("checked above");
                for (name, data) in &artifact.files {
                    venv.write_file(name, data, true).await?;
                }
                Some((venv, compiled))
            }
            Err(message) => {
                report.verdict = Verdict::JudgeError;
                report.judge_message =
                    Some(format!("the output validator does not compile: {message}"));
                return Ok(report);
            }
        };
        let run_all = options.run_all_tests || problem.kind.scoring;
        let mut feedback = Vec::new();
        let total = problem.tests.len();
        let first = Pass {
            number: 1,
            input: None,
        };
        for (i, (test, name)) in problem.tests.iter().zip(&names).enumerate() {
            send(options, Progress::Running { test: i + 1, total });
            let checked = match answers.get(name.as_str()) {
                None if test.sample => continue,
                None => (
                    Verdict::WrongAnswer,
                    Some(format!("no answer file `{name}` was submitted")),
                    None,
                ),
                Some(answer) if answer.len() as u64 > problem.limits.output_bytes => (
                    Verdict::OutputLimitExceeded,
                    Some(format!(
                        "`{name}` is {} bytes; the output limit is {} bytes",
                        answer.len(),
                        problem.limits.output_bytes
                    )),
                    None,
                ),
                Some(answer) => {
                    let v = validator
                        .as_ref()
                        .map(|(e, a)| (e, a.as_ref().as_ref().expect("checked")));
                    let (verdict, message, fb, _) = check_output(
                        problem,
                        options.policy.as_ref().unwrap_or(&self.policy),
                        test,
                        v,
                        i,
                        &first,
                        answer,
                    )
                    .await?;
                    (verdict, message, fb)
                }
            };
            let (verdict, message, fb) = checked;
            let failed = verdict != Verdict::Accepted;
            if failed && report.verdict == Verdict::Accepted {
                report.verdict = verdict;
                if verdict == Verdict::JudgeError {
                    report.judge_message = message.clone();
                }
            }
            report.tests.push(TestReport {
                name: test.name.clone(),
                group: test.group.clone(),
                sample: test.sample,
                verdict,
                time_ms: 0,
                memory_kib: 0,
                message: message.filter(|m| !m.is_empty()),
                score: None,
            });
            feedback.push(fb);
            if failed && !run_all {
                break;
            }
        }
        self.finish_scores(problem, options, &mut report, &feedback);
        Ok(report)
    }

    /// Fills in a report's score: by the format's rules (scoring problems), or CodeHub's
    /// group points (`run_all_tests`).
    fn finish_scores(
        &self,
        problem: &Problem,
        options: &JudgeOptions,
        report: &mut JudgeReport,
        feedback: &[Option<ScoreFeedback>],
    ) {
        if problem.kind.scoring {
            match aggregate(problem, &mut report.tests, feedback) {
                Ok(summary) => {
                    report.score = Some(summary.score);
                    report.max_score = summary.max_score;
                    report.groups = summary.groups;
                }
                Err(message) => {
                    report.verdict = Verdict::JudgeError;
                    report.judge_message = Some(message);
                }
            }
        } else if options.run_all_tests {
            let (score, max) = score(problem, &report.tests);
            report.score = Some(score);
            report.max_score = Some(max);
        }
    }

    /// The compiled validator of `problem` (compiling it on first use).
    /// `problem`'s compiled output validator: `Ok(None)` for the default one, `Err` with
    /// the compiler's message when it does not compile (a judge error, never the
    /// contestant's).
    /// The language `files` are judged as (`language`, or detected from their names),
    /// checked against this judge's toolchains and the problem's code limit.
    fn language_of(
        &self,
        problem: &Problem,
        files: &[SourceFile],
        language: Option<&str>,
    ) -> Result<&Language, JudgeError> {
        let lang = match language {
            Some(id) => self
                .languages
                .get(id)
                .ok_or_else(|| JudgeError::UnknownLanguage(id.to_owned()))?,
            None => self.languages.detect(files).ok_or_else(|| {
                JudgeError::UnknownLanguageOf(
                    files
                        .iter()
                        .map(|f| format!("`{}`", f.name))
                        .collect::<Vec<_>>()
                        .join(", "),
                )
            })?,
        };
        if self.submissions.uses_host_toolchains() && !lang.available_on_host() {
            return Err(JudgeError::LanguageUnavailable(lang.id.clone()));
        }
        let size: u64 = files.iter().map(|f| f.contents.len() as u64).sum();
        if size > problem.limits.code_bytes {
            return Err(JudgeError::SourceTooLarge {
                size,
                limit: problem.limits.code_bytes,
            });
        }
        Ok(lang)
    }

    async fn custom_validator(
        &self,
        problem: &Problem,
    ) -> Result<Result<Option<Arc<Result<Artifact, String>>>, String>, JudgeError> {
        if problem.validation == Validation::Default {
            return Ok(Ok(None));
        }
        let compiled = self.validator_for(problem).await?;
        if let Err(message) = &*compiled {
            return Ok(Err(message.clone()));
        }
        Ok(Ok(Some(compiled)))
    }

    async fn validator_for(
        &self,
        problem: &Problem,
    ) -> Result<Arc<Result<Artifact, String>>, JudgeError> {
        let sources = problem
            .validator
            .as_ref()
            .expect("custom validation has sources");
        compile_lookup(self, problem.root.clone(), sources, &problem.limits).await
    }

    async fn compile_validator(
        &self,
        limits: &ProblemLimits,
        lang: &Language,
        sources: &[SourceFile],
    ) -> Result<Result<Artifact, String>, JudgeError> {
        let prepared = match lang.prepare(sources) {
            Ok(p) => p,
            Err(e) => return Ok(Err(e.0)),
        };
        let env = self.validators.acquire().await?;
        for f in &prepared.files {
            env.write_file(&f.name, &f.contents, false).await?;
        }
        if let Some(compile) = &lang.compile {
            let (ok, output) =
                compile_in(&env, lang, &prepared, compile, limits, &self.policy).await?;
            if !ok {
                return Ok(Err(output));
            }
        }
        Ok(Ok(Artifact {
            language: lang.clone(),
            prepared,
            files: snapshot(&env).await?,
        }))
    }
}

/// The compiled program `sources` cached under `key` (a problem root, or a path beside
/// it for a second program): compiled on first use, like every package program.
///
/// A first use compiles in a validator environment: never call this while holding one
/// (with every validator environment held that way, nothing would ever be released).
async fn compile_lookup<S: Sandbox>(
    judge: &Judge<S>,
    key: PathBuf,
    sources: &[SourceFile],
    limits: &ProblemLimits,
) -> Result<Arc<Result<Artifact, String>>, JudgeError> {
    let mut cache = judge.compiled_validators.lock().await;
    if let Some(v) = cache.get(&key) {
        return Ok(v.clone());
    }
    let compiled = match judge.languages.detect(sources) {
        None => Err(format!(
            "no known language for {}",
            sources
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
        Some(lang) => judge.compile_validator(limits, lang, sources).await?,
    };
    let compiled = Arc::new(compiled);
    cache.insert(key, compiled.clone());
    Ok(compiled)
}

/// The sandbox's own cost of a run: how much longer the call took than the program ran.
fn record_overhead(took: std::time::Duration, r: &RunResult) {
    metrics::histogram!("codehub_sandbox_overhead_seconds")
        .record(took.saturating_sub(r.wall_time).as_secs_f64());
}

/// Every file of the work directory, read into memory.
async fn snapshot<E: Environment>(env: &E) -> Result<Vec<(String, Vec<u8>)>, SandboxError> {
    let mut files = Vec::new();
    for name in env.list_files().await? {
        let data = env.read_file(&name, COMPILE_FILE_BYTES).await?;
        files.push((name, data));
    }
    Ok(files)
}

/// Empties the environment and puts `files` back.
async fn restore<E: Environment>(env: &E, files: &[(String, Vec<u8>)]) -> Result<(), SandboxError> {
    env.clear().await?;
    for (name, data) in files {
        env.write_file(name, data, true).await?;
    }
    Ok(())
}

/// Prepares `files` for compilation with the problem's included files for `lang`, which
/// join after the code limit is checked and replace same-named ones.
fn prepare_with_includes(
    problem: &Problem,
    lang: &Language,
    files: &[SourceFile],
) -> Result<Prepared, PrepareError> {
    let includes = problem.includes_for(&lang.id);
    if includes.is_empty() {
        return lang.prepare_submission(files);
    }
    let with_includes: Vec<SourceFile> = files
        .iter()
        .filter(|f| !includes.iter().any(|i| i.name == f.name))
        .chain(includes)
        .cloned()
        .collect();
    lang.prepare_submission(&with_includes)
}

fn send(options: &JudgeOptions, p: Progress) {
    if let Some(tx) = &options.progress {
        let _ = tx.try_send(p);
    }
}

fn env_for(lang: &Language) -> Vec<(String, String)> {
    let mut env = default_env();
    env.extend(lang.env.iter().map(|(k, v)| (k.clone(), v.clone())));
    env
}

/// Compiles in `env`; returns whether it succeeded and the (truncated) compiler output.
#[tracing::instrument(name = "compile", skip_all, fields(language = %lang.id))]
async fn compile_in<E: Environment>(
    env: &E,
    lang: &Language,
    prepared: &Prepared,
    compile: &[String],
    limits: &ProblemLimits,
    policy: &VerdictPolicy,
) -> Result<(bool, String), JudgeError> {
    let memory = limits.compilation_memory_bytes;
    let mut spec = RunSpec::new(lang.expand(compile, prepared, memory >> 20));
    spec.env = env_for(lang);
    spec.limits = RunLimits {
        cpu_time: limits.compilation_time,
        wall_time: limits.compilation_time * 2,
        memory_bytes: memory + (lang.memory_overhead_mib << 20),
        stack_bytes: 64 << 20,
        address_space_bytes: None,
        processes: lang
            .processes
            .unwrap_or(DEFAULT_PROCESSES)
            .max(DEFAULT_PROCESSES),
        file_size_bytes: policy.compile_file_bytes.min(COMPILE_FILE_BYTES),
        output_bytes: COMPILE_OUTPUT_BYTES,
        stderr_bytes: COMPILE_OUTPUT_BYTES,
        open_files: 256,
    };
    let started = std::time::Instant::now();
    let r = env.run(spec).await?;
    let took = started.elapsed();
    metrics::histogram!("codehub_judge_compile_seconds").record(took.as_secs_f64());
    record_overhead(took, &r);
    let mut output = String::from_utf8_lossy(&r.stdout).into_owned();
    output.push_str(&String::from_utf8_lossy(&r.stderr));
    if r.stdout_truncated || r.stderr_truncated {
        output.push_str("\n[compiler output truncated]\n");
    }
    let note = match r.limit_hit {
        Some(LimitHit::CpuTime | LimitHit::WallTime) => Some("compilation exceeded its time limit"),
        Some(LimitHit::Memory) => Some("compilation exceeded its memory limit"),
        Some(LimitHit::Output) => Some("compilation produced too much output"),
        None if !r.status.success() && file_too_large(&r, &output) => Some(FILE_SIZE_NOTE),
        None if !r.status.success() => None,
        None => return Ok((true, output)),
    };
    if let Some(note) = note {
        let mib = policy.compile_file_bytes.min(COMPILE_FILE_BYTES) >> 20;
        let note = note.replace("{MIB}", &mib.to_string());
        output.push_str(&format!("\n[{note}]\n"));
    }
    Ok((false, output))
}

/// Why a compiler stopped at the judge's file-size limit, for the contestant.
const FILE_SIZE_NOTE: &str = "the compiler tried to write a file larger than {MIB} MiB, the judge's \
    limit on what a compiler writes (\"File size limit exceeded\"): a very large static array \
    or an initialised table is written into the program; allocate it at run time (e.g. a \
    std::vector) instead";

/// Whether a compiler was stopped by its file-size limit (`SIGXFSZ`, directly or as a
/// compiler driver reports it).
fn file_too_large(r: &RunResult, output: &str) -> bool {
    r.status == ExitStatus::Signaled(libc::SIGXFSZ) || output.contains("File size limit exceeded")
}

fn run_limits(lang: &Language, problem: &Problem, policy: &VerdictPolicy) -> RunLimits {
    let l = &problem.limits;
    RunLimits {
        cpu_time: l.time_limit,
        wall_time: policy.wall_time(l.time_limit),
        memory_bytes: l.memory_bytes + (lang.memory_overhead_mib << 20),
        stack_bytes: policy.stack(l.memory_bytes),
        address_space_bytes: lang.address_space_limit.then_some(l.memory_bytes),
        processes: lang.processes.unwrap_or(DEFAULT_PROCESSES),
        file_size_bytes: l.output_bytes,
        output_bytes: l.output_bytes,
        stderr_bytes: 64 << 10,
        open_files: 64,
    }
}

fn submission_spec(
    lang: &Language,
    prepared: &Prepared,
    problem: &Problem,
    policy: &VerdictPolicy,
    args: &[String],
) -> RunSpec {
    let mut argv = lang.expand(&lang.run, prepared, problem.limits.memory_bytes >> 20);
    argv.extend(args.iter().cloned());
    let mut spec = RunSpec::new(argv);
    spec.env = env_for(lang);
    spec.limits = run_limits(lang, problem, policy);
    spec
}

/// The verdict a run earns before its output is looked at, if it earns one.
fn run_verdict(r: &RunResult, lang: &Language, policy: &VerdictPolicy) -> Option<Verdict> {
    match r.limit_hit {
        Some(LimitHit::CpuTime | LimitHit::WallTime) => Some(Verdict::TimeLimitExceeded),
        Some(LimitHit::Memory) => Some(Verdict::MemoryLimitExceeded),
        Some(LimitHit::Output) => Some(policy.output_overflow.verdict()),
        None => match r.status {
            ExitStatus::Exited(0) => None,
            ExitStatus::Exited(c) if Some(c) == lang.oom_exit_code => {
                Some(Verdict::MemoryLimitExceeded)
            }
            _ => Some(Verdict::RunTimeError),
        },
    }
}

fn test_report(
    test: &TestCase,
    verdict: Verdict,
    r: &RunResult,
    message: Option<String>,
) -> TestReport {
    TestReport {
        name: test.name.clone(),
        group: test.group.clone(),
        sample: test.sample,
        verdict,
        time_ms: r.cpu_time.as_millis() as u64,
        memory_kib: r.peak_memory_bytes / 1024,
        message: message.filter(|m| !m.is_empty()),
        score: None,
    }
}

/// One pass of a test: the first (the test's input) or a later one of a multi-pass
/// problem (the input the validator wrote in `nextpass.in`).
struct Pass {
    /// 1-based.
    number: u32,
    /// The pass's input; `None`: the test's `.in`.
    input: Option<Vec<u8>>,
}

/// What follows a pass.
#[derive(Debug, PartialEq)]
enum AfterPass {
    /// Run the submission again on the `nextpass.in` the validator wrote.
    Again,
    /// The test's verdict, and the judge's reason when the pass loop decided it.
    Done(Verdict, Option<String>),
}

/// The multi-pass rule of the format, after pass `pass` of at most `max_passes`:
/// `verdict` is the pass's, `validator` how the custom validator ended (if it ran) and
/// `wrote_next` whether it left `nextpass.in` (only looked for in multi-pass problems).
///
/// A pass that fails decides; `nextpass.in` with an exit code other than 42 is a judge
/// error, as is asking for more than `max_passes` passes; an accepting validator that
/// wrote no `nextpass.in` ends the test, accepted.
fn after_pass(
    verdict: Verdict,
    validator: Option<ValidatorEnd>,
    wrote_next: bool,
    pass: u32,
    max_passes: u32,
) -> AfterPass {
    if wrote_next && validator == Some(ValidatorEnd::WrongAnswer) {
        return AfterPass::Done(
            Verdict::JudgeError,
            Some(format!(
                "the output validator wrote nextpass.in but rejected pass {pass} (exit code 43); \
                 another pass needs exit code 42"
            )),
        );
    }
    if verdict != Verdict::Accepted || !wrote_next {
        return AfterPass::Done(verdict, None);
    }
    if pass >= max_passes {
        return AfterPass::Done(
            Verdict::JudgeError,
            Some(format!(
                "the output validator asked for pass {} but limits.validation_passes is {max_passes}",
                pass + 1
            )),
        );
    }
    AfterPass::Again
}

/// How the custom validator of a pass ended, and the next pass's input it wrote.
struct Validated {
    end: ValidatorEnd,
    /// `nextpass.in` (multi-pass problems only), removed from the feedback directory.
    next_pass: Option<Vec<u8>>,
}

/// A pass's input for the submission's stdin: the test's file, or a temporary copy of
/// the pass's input (kept alive by the returned guard).
fn pass_stdin(
    test: &TestCase,
    pass: &Pass,
) -> Result<(Stdin, Option<tempfile::NamedTempFile>), SandboxError> {
    match &pass.input {
        None => Ok((Stdin::File(test.input.clone()), None)),
        Some(data) => {
            let file = tempfile::NamedTempFile::new()
                .and_then(|mut f| std::io::Write::write_all(&mut f, data).map(|_| f))
                .map_err(|e| SandboxError::io("write the next pass's input", e))?;
            Ok((Stdin::File(file.path().to_owned()), Some(file)))
        }
    }
}

#[allow(clippy::too_many_arguments)]
#[tracing::instrument(name = "test", skip_all, fields(test = %test.name))]
async fn run_test<E: Environment>(
    env: &E,
    lang: &Language,
    prepared: &Prepared,
    problem: &Problem,
    policy: &VerdictPolicy,
    test: &TestCase,
    validator: Option<(&E, &Artifact)>,
    index: usize,
    pass: &Pass,
) -> Result<(TestReport, Option<ScoreFeedback>, Option<Validated>), JudgeError> {
    let mut spec = submission_spec(lang, prepared, problem, policy, &test.args);
    let (stdin, _input_file) = pass_stdin(test, pass)?;
    spec.stdin = stdin;
    let started = std::time::Instant::now();
    let r = env.run(spec).await?;
    let took = started.elapsed();
    metrics::histogram!("codehub_judge_test_seconds").record(took.as_secs_f64());
    record_overhead(took, &r);
    if let Some(v) = run_verdict(&r, lang, policy) {
        return Ok((test_report(test, v, &r, None), None, None));
    }
    let (verdict, message, feedback, validated) =
        check_output(problem, policy, test, validator, index, pass, &r.stdout).await?;
    Ok((test_report(test, verdict, &r, message), feedback, validated))
}

/// Checks one output (a program's, or a submitted answer) of one test and pass with the
/// default validator or the custom one: the verdict, the validator's message, its score
/// feedback and how the custom validator ended.
async fn check_output<E: Environment>(
    problem: &Problem,
    policy: &VerdictPolicy,
    test: &TestCase,
    validator: Option<(&E, &Artifact)>,
    index: usize,
    pass: &Pass,
    output: &[u8],
) -> Result<CheckedOutput, JudgeError> {
    Ok(match validator {
        None => match std::fs::read(&test.answer) {
            Ok(answer) => {
                let j = default_validate(&answer, output, &test.flags);
                let v = if j.accepted {
                    Verdict::Accepted
                } else {
                    Verdict::WrongAnswer
                };
                (v, Some(j.message), None, None)
            }
            Err(e) => (
                Verdict::JudgeError,
                Some(format!("cannot read {}: {e}", test.answer.display())),
                None,
                None,
            ),
        },
        Some((venv, artifact)) => {
            let team_output = tempfile::NamedTempFile::new()
                .and_then(|mut f| std::io::Write::write_all(&mut f, output).map(|_| f))
                .map_err(|e| SandboxError::io("write team output", e))?;
            // A Kattis validator reads the output on stdin, a testlib checker from a file.
            let stdin = match problem.validator_protocol {
                Protocol::Kattis => Stdin::File(team_output.path().to_owned()),
                Protocol::Testlib => {
                    venv.write_file(testlib::OUTPUT, output, false).await?;
                    Stdin::Null
                }
            };
            let (v, message, feedback) = validate_custom(
                venv, artifact, problem, policy, test, index, pass, stdin, None,
            )
            .await?;
            let verdict = v.end.verdict();
            (verdict, message, feedback, Some(v))
        }
    })
}

/// What [`check_output`] found.
type CheckedOutput = (
    Verdict,
    Option<String>,
    Option<ScoreFeedback>,
    Option<Validated>,
);

/// How a custom validator's run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ValidatorEnd {
    /// Exit code 42.
    Accepted,
    /// Exit code 43.
    WrongAnswer,
    /// The judge stopped it: the submission's time limit ended the interactive pair.
    Stopped,
    /// Anything else (another exit code, a signal, its own limits): a judge error.
    Failed,
}

impl ValidatorEnd {
    /// The verdict of an output so judged.
    fn verdict(self) -> Verdict {
        match self {
            ValidatorEnd::Accepted => Verdict::Accepted,
            ValidatorEnd::WrongAnswer => Verdict::WrongAnswer,
            ValidatorEnd::Failed | ValidatorEnd::Stopped => Verdict::JudgeError,
        }
    }
}

/// Runs the custom validator on one pass of one test (the `index`th: each test gets a
/// fresh feedback directory, which persists across its passes); `stdout` is `Some` for
/// interactive problems, and its stop signal ends the run early. Its input file is the
/// pass's input. The message is the validator's judge message, or for
/// [`ValidatorEnd::Failed`] what went wrong.
#[allow(clippy::too_many_arguments)]
async fn validate_custom<E: Environment>(
    venv: &E,
    artifact: &Artifact,
    problem: &Problem,
    policy: &VerdictPolicy,
    test: &TestCase,
    index: usize,
    pass: &Pass,
    stdin: Stdin,
    stdout: Option<(std::os::fd::OwnedFd, StopSignal)>,
) -> Result<(Validated, Option<String>, Option<ScoreFeedback>), JudgeError> {
    let read = |p: &PathBuf| {
        std::fs::read(p).map_err(|e| SandboxError::io(format!("read {}", p.display()), e))
    };
    let input = match &pass.input {
        Some(data) => data.clone(),
        None => read(&test.input)?,
    };
    venv.write_file("judge/input", &input, false).await?;
    let feedback_dir = format!("judge/feedback-{index}");
    if pass.number == 1 {
        venv.write_file("judge/answer", &read(&test.answer)?, false)
            .await?;
        venv.make_dir(&feedback_dir).await?;
    }
    let lang = &artifact.language;
    let l = &problem.limits;
    let mut argv = lang.expand(
        &lang.run,
        &artifact.prepared,
        l.validation_memory_bytes >> 20,
    );
    let testlib = problem.validator_protocol == Protocol::Testlib;
    match (testlib, stdout.is_some()) {
        (false, _) => {
            argv.extend([
                "judge/input".into(),
                "judge/answer".into(),
                format!("{feedback_dir}/"),
            ]);
            argv.extend(test.validator_args.iter().cloned());
        }
        (true, false) => argv.extend(testlib::checker_args()),
        (true, true) => argv.extend(testlib::interactor_args(index)),
    }
    let interactive = stdout.is_some();
    let mut spec = validator_spec(argv, lang, problem, interactive.then_some(policy));
    spec.stdin = stdin;
    if let Some((fd, stop)) = stdout {
        spec.stdout = Stdout::Pipe(fd);
        spec.stop = Some(stop);
    }
    let r = venv.run(spec).await?;
    let judge_message = venv
        .read_file(
            &format!("{feedback_dir}/judgemessage.txt"),
            JUDGE_MESSAGE_BYTES,
        )
        .await
        .ok()
        .map(|m| String::from_utf8_lossy(&m).trim().to_owned());
    let (score_path, multiplier_path) = (
        format!("{feedback_dir}/score.txt"),
        format!("{feedback_dir}/score_multiplier.txt"),
    );
    let score = venv.read_file(&score_path, SCORE_FILE_BYTES).await.ok();
    let multiplier = venv
        .read_file(&multiplier_path, SCORE_FILE_BYTES)
        .await
        .ok();
    let score = ScoreFeedback::parse(score.as_deref(), multiplier.as_deref());
    let next_pass = if problem.kind.multi_pass {
        take_next_pass(venv, &feedback_dir, l.validation_output_bytes).await?
    } else {
        None
    };
    let (end, message, score) = match (r.limit_hit, r.status) {
        _ if r.stopped => (ValidatorEnd::Stopped, judge_message, None),
        (hit, status) if testlib => testlib::outcome(hit, status, &r.stderr),
        (None, ExitStatus::Exited(EXIT_ACCEPTED)) => (ValidatorEnd::Accepted, judge_message, score),
        (None, ExitStatus::Exited(EXIT_WRONG_ANSWER)) => {
            (ValidatorEnd::WrongAnswer, judge_message, score)
        }
        (hit, status) => (
            ValidatorEnd::Failed,
            Some(format!(
                "output validator failed ({status:?}, limit {hit:?}): {}",
                String::from_utf8_lossy(&r.stderr).trim()
            )),
            None,
        ),
    };
    Ok((Validated { end, next_pass }, message, score))
}

/// A run of a validator, checker or interactor (`argv`) under the problem's validation
/// limits; an interactive one (`Some(policy)`) lives as long as its submission may, plus
/// its own budget.
fn validator_spec(
    argv: Vec<String>,
    lang: &Language,
    problem: &Problem,
    interactive: Option<&VerdictPolicy>,
) -> RunSpec {
    let l = &problem.limits;
    let mut spec = RunSpec::new(argv);
    spec.env = env_for(lang);
    let wall = match interactive {
        Some(policy) => policy.wall_time(l.time_limit) + l.validation_time,
        None => l.validation_time * 2,
    };
    spec.limits = RunLimits {
        cpu_time: l.validation_time,
        wall_time: wall,
        memory_bytes: l.validation_memory_bytes + (lang.memory_overhead_mib << 20),
        stack_bytes: 64 << 20,
        address_space_bytes: None,
        processes: lang.processes.unwrap_or(DEFAULT_PROCESSES),
        file_size_bytes: l.validation_output_bytes,
        output_bytes: l.validation_output_bytes,
        stderr_bytes: 16 << 10,
        open_files: 64,
    };
    spec
}

/// The name of the file in which a multi-pass validator asks for another pass.
const NEXT_PASS: &str = "nextpass.in";

/// Reads and removes `nextpass.in` from a feedback directory, keeping every other file
/// there (the format: they persist between passes). `None` if there is none.
async fn take_next_pass<E: Environment>(
    venv: &E,
    feedback_dir: &str,
    max_bytes: u64,
) -> Result<Option<Vec<u8>>, SandboxError> {
    let prefix = format!("{feedback_dir}/");
    let files = venv.list_files().await?;
    let next_path = format!("{prefix}{NEXT_PASS}");
    if !files.contains(&next_path) {
        return Ok(None);
    }
    let next = venv.read_file(&next_path, max_bytes).await?;
    // Environments can empty a directory but not remove one file: keep the others aside.
    let mut kept = Vec::new();
    for name in files {
        if name.starts_with(&prefix) && name != next_path {
            let data = venv.read_file(&name, max_bytes).await?;
            kept.push((name, data));
        }
    }
    venv.make_dir(feedback_dir).await?;
    for (name, data) in kept {
        venv.write_file(&name, &data, false).await?;
    }
    Ok(Some(next))
}

/// The verdict of one interactive test from how its two sides ended: Kattis' rule (as
/// problemtools and DOMjudge apply it), decided by outcomes alone, never by the order in
/// which the judge happened to collect them.
///
/// - a validator that ended first with wrong answer decides: WA, whatever the submission
///   did afterwards (it may have died of the closed pipe, or timed out waiting);
/// - a validator that failed (exit code other than 42/43, crash, its own limits) is a
///   judge error;
/// - otherwise the submission's own outcome decides (`submission`: TLE, MLE, OLE, RTE;
///   `None` when it exited 0 within its limits); a validator stopped because the
///   submission's time limit ended the pair is not a judge error;
/// - otherwise the validator's verdict.
///
/// `validator_first` is the submission's [`RunResult::input_closed`]: its input's writer,
/// the validator, had ended when the submission ended. Each backend records it before the
/// submission's end can reach the validator, so an end caused by the other side is
/// ordered after it, however late either side is reaped.
fn interactive_verdict(
    validator: ValidatorEnd,
    validator_first: bool,
    submission: Option<Verdict>,
) -> Verdict {
    match (validator, submission) {
        (ValidatorEnd::WrongAnswer, _) if validator_first => Verdict::WrongAnswer,
        (ValidatorEnd::Failed, _) => Verdict::JudgeError,
        (_, Some(v)) => v,
        (ValidatorEnd::Accepted, None) => Verdict::Accepted,
        (ValidatorEnd::WrongAnswer, None) => Verdict::WrongAnswer,
        // Only the submission's time limit stops a validator, so this does not happen.
        (ValidatorEnd::Stopped, None) => Verdict::JudgeError,
    }
}

#[allow(clippy::too_many_arguments)]
#[tracing::instrument(name = "test", skip_all, fields(test = %test.name, interactive = true))]
async fn run_interactive<E: Environment>(
    env: &E,
    lang: &Language,
    prepared: &Prepared,
    problem: &Problem,
    policy: &VerdictPolicy,
    test: &TestCase,
    venv: &E,
    artifact: &Artifact,
    index: usize,
    pass: &Pass,
    delays: ReapDelays,
) -> Result<(TestReport, Option<ScoreFeedback>, Option<Validated>), JudgeError> {
    let pipe = || {
        nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC)
            .map_err(|e| SandboxError::io("pipe", e.into()))
    };
    let (to_team_r, to_team_w) = pipe()?;
    let (from_team_r, from_team_w) = pipe()?;
    // Kept until both sides are collected: dropping it would stop the validator.
    let (stop_validator, validator_stop) = stop_pair()?;
    let mut spec = submission_spec(lang, prepared, problem, policy, &test.args);
    spec.stdin = Stdin::Pipe(to_team_r);
    spec.stdout = Stdout::Pipe(from_team_w);
    let team = async {
        let r = env.run(spec).await;
        if !delays.submission.is_zero() {
            tokio::time::sleep(delays.submission).await;
        }
        // The submission's time limit ends the pair: the validator goes with it, as does
        // a validator whose submission the sandbox lost.
        let timed_out =
            |r: &RunResult| matches!(r.limit_hit, Some(LimitHit::CpuTime | LimitHit::WallTime));
        if r.as_ref().map_or(true, timed_out) {
            stop_validator.stop();
        }
        r
    };
    let judge = async {
        let v = Stdin::Pipe(from_team_r);
        let out = Some((to_team_w, validator_stop));
        let r = validate_custom(venv, artifact, problem, policy, test, index, pass, v, out).await;
        if !delays.validator.is_zero() {
            tokio::time::sleep(delays.validator).await;
        }
        r
    };
    let (team, judge) = tokio::join!(team, judge);
    drop(stop_validator);
    let (team, (validated, message, feedback)) = (team?, judge?);
    let verdict = interactive_verdict(
        validated.end,
        team.input_closed,
        run_verdict(&team, lang, policy),
    );
    Ok((
        test_report(test, verdict, &team, message),
        feedback,
        Some(validated),
    ))
}

/// The IOI score of a pass-fail problem judged with `run_all_tests`, and its maximum.
fn score(problem: &Problem, tests: &[TestReport]) -> (f64, f64) {
    let secret: Vec<&TestReport> = tests.iter().filter(|t| !t.sample).collect();
    let scored: Vec<_> = problem
        .groups
        .iter()
        .filter(|g| g.score.is_some())
        .collect();
    if scored.is_empty() {
        if secret.is_empty() {
            return (0.0, 100.0);
        }
        let passed = secret
            .iter()
            .filter(|t| t.verdict == Verdict::Accepted)
            .count();
        return (100.0 * passed as f64 / secret.len() as f64, 100.0);
    }
    let max = scored.iter().filter_map(|g| g.score).sum();
    let got = scored
        .iter()
        .filter(|g| {
            let in_group =
                |t: &&TestReport| t.group == g.name || t.group.starts_with(&format!("{}/", g.name));
            let mut group_tests = tests.iter().filter(in_group).peekable();
            group_tests.peek().is_some() && group_tests.all(|t| t.verdict == Verdict::Accepted)
        })
        .map(|g| g.score.unwrap_or(0.0))
        .sum();
    (got, max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ValidatorEnd as V;
    use Verdict::{
        Accepted as AC, JudgeError as JE, MemoryLimitExceeded as MLE, OutputLimitExceeded as OLE,
        RunTimeError as RTE, TimeLimitExceeded as TLE, WrongAnswer as WA,
    };

    /// `(validator, validator ended first, submission's own verdict) → verdict`.
    fn check(cases: &[(ValidatorEnd, bool, Option<Verdict>, Verdict)]) {
        for &(validator, first, submission, expected) in cases {
            assert_eq!(
                interactive_verdict(validator, first, submission),
                expected,
                "validator {validator:?} (first: {first}), submission {submission:?}"
            );
        }
    }

    #[test]
    fn interactive_verdicts_follow_kattis_precedence() {
        check(&[
            // A validator that rejected first decides, whatever the submission did after.
            (V::WrongAnswer, true, Some(RTE), WA),
            (V::WrongAnswer, true, Some(TLE), WA),
            (V::WrongAnswer, true, Some(MLE), WA),
            (V::WrongAnswer, true, None, WA),
            // Rejecting the end of output of a submission that failed first: its failure.
            (V::WrongAnswer, false, Some(RTE), RTE),
            (V::WrongAnswer, false, Some(TLE), TLE),
            (V::WrongAnswer, false, None, WA),
            // Accepted: the submission's own outcome decides.
            (V::Accepted, false, None, AC),
            (V::Accepted, true, None, AC),
            (V::Accepted, true, Some(RTE), RTE),
            (V::Accepted, false, Some(OLE), OLE),
            // Stopped because the submission's time limit ended the pair: not a judge error.
            (V::Stopped, false, Some(TLE), TLE),
            // A broken validator is a judge error, never the contestant's verdict.
            (V::Failed, false, Some(TLE), JE),
            (V::Failed, true, None, JE),
        ]);
    }

    #[test]
    fn the_pass_loop_follows_the_multi_pass_rules() {
        let done = |v| AfterPass::Done(v, None);
        // (verdict, validator end, wrote nextpass.in, pass, validation_passes) → next.
        for (verdict, end, next, pass, max, expected) in [
            // Accepted with nextpass.in: another pass, up to the limit.
            (AC, Some(V::Accepted), true, 1, 2, AfterPass::Again),
            (AC, Some(V::Accepted), true, 2, 3, AfterPass::Again),
            // Accepted without nextpass.in ends the test, on any pass.
            (AC, Some(V::Accepted), false, 1, 2, done(AC)),
            (AC, Some(V::Accepted), false, 2, 2, done(AC)),
            // A failing pass decides.
            (WA, Some(V::WrongAnswer), false, 2, 2, done(WA)),
            (TLE, None, false, 2, 3, done(TLE)),
            (RTE, Some(V::Accepted), true, 1, 2, done(RTE)),
            (TLE, Some(V::Stopped), true, 1, 2, done(TLE)),
            (JE, Some(V::Failed), true, 1, 2, done(JE)),
        ] {
            assert_eq!(
                after_pass(verdict, end, next, pass, max),
                expected,
                "{verdict:?} {end:?} next {next} pass {pass}/{max}"
            );
        }
        // Too many passes, or nextpass.in with a rejection: judge errors, with reasons.
        let AfterPass::Done(JE, Some(why)) = after_pass(AC, Some(V::Accepted), true, 2, 2) else {
            panic!("a third pass of two is a judge error");
        };
        assert!(
            why.contains("pass 3") && why.contains("validation_passes is 2"),
            "{why}"
        );
        let AfterPass::Done(JE, Some(why)) = after_pass(WA, Some(V::WrongAnswer), true, 1, 2)
        else {
            panic!("nextpass.in with exit code 43 is a judge error");
        };
        assert!(why.contains("nextpass.in") && why.contains("43"), "{why}");
    }
}
