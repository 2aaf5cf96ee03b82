//! [`ScriptedJudge`]: judging whose outcome per submission is scripted.

use crate::Verdict;
use crate::model::{Judgement, SubmissionId, now_ms};
use crate::ports::judging::{JudgeFailure, JudgeJob, JudgeProgress, JudgeService, ProgressSender};
use async_trait::async_trait;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;
use tokio::sync::Notify;

/// What one judging attempt does.
#[derive(Debug, Clone)]
pub enum Step {
    /// Answers this verdict (score 100 if accepted, else 0).
    Verdict(Verdict),
    /// Answers this judgement.
    Judgement(Judgement),
    /// Fails ([`JudgeFailure::Sandbox`] with this message): the engine retries.
    Fail(String),
    /// Never answers, until [`ScriptedJudge::release_hung`] (then it fails).
    Hang,
}

/// A submission's script: attempt `n` does `steps[n]` (the last step repeats), after
/// reporting `progress` and waiting `delay`.
#[derive(Debug, Clone)]
pub struct Script {
    /// One step per attempt; the last one repeats.
    pub steps: Vec<Step>,
    /// How long each attempt takes.
    pub delay: Duration,
    /// Reported at the start of each attempt.
    pub progress: Vec<JudgeProgress>,
}

impl Script {
    /// Attempts do `steps` in turn, at once, without progress.
    pub fn new(steps: impl IntoIterator<Item = Step>) -> Script {
        let steps: Vec<Step> = steps.into_iter().collect();
        assert!(!steps.is_empty(), "a script needs a step");
        Script {
            steps,
            delay: Duration::ZERO,
            progress: Vec::new(),
        }
    }

    /// Every attempt answers `verdict`.
    pub fn verdict(verdict: Verdict) -> Script {
        Script::new([Step::Verdict(verdict)])
    }

    /// The same, each attempt taking `delay`.
    pub fn delay(mut self, delay: Duration) -> Script {
        self.delay = delay;
        self
    }

    /// The same, each attempt reporting `progress` first.
    pub fn progress(mut self, progress: impl IntoIterator<Item = JudgeProgress>) -> Script {
        self.progress = progress.into_iter().collect();
        self
    }
}

/// A [`JudgeService`] that answers from scripts: per submission if one was given
/// ([`ScriptedJudge::script`]), else the default (accepted, at once). It records every
/// job it was asked to judge.
pub struct ScriptedJudge {
    default: Mutex<Script>,
    scripts: Mutex<HashMap<SubmissionId, Script>>,
    /// Jobs asked for, in order.
    jobs: Mutex<Vec<JudgeJob>>,
    /// Wakes hung attempts.
    release: Notify,
}

impl Default for ScriptedJudge {
    fn default() -> Self {
        ScriptedJudge::new()
    }
}

impl ScriptedJudge {
    /// Accepts everything, at once.
    pub fn new() -> ScriptedJudge {
        ScriptedJudge {
            default: Mutex::new(Script::verdict(Verdict::Accepted)),
            scripts: Mutex::new(HashMap::new()),
            jobs: Mutex::new(Vec::new()),
            release: Notify::new(),
        }
    }

    /// The script of submissions without their own.
    pub fn set_default(&self, script: Script) {
        *self.default.lock().expect("not poisoned") = script;
    }

    /// The script of one submission.
    pub fn script(&self, id: SubmissionId, script: Script) {
        self.scripts
            .lock()
            .expect("not poisoned")
            .insert(id, script);
    }

    /// Every job asked for, in order.
    pub fn jobs(&self) -> Vec<JudgeJob> {
        self.jobs.lock().expect("not poisoned").clone()
    }

    /// How many times `id` was asked for.
    pub fn calls(&self, id: SubmissionId) -> usize {
        self.jobs
            .lock()
            .expect("not poisoned")
            .iter()
            .filter(|j| j.submission_id == id)
            .count()
    }

    /// Makes every hung attempt fail now.
    pub fn release_hung(&self) {
        self.release.notify_waiters();
    }
}

/// The judgement a scripted verdict stands for.
pub fn judgement_of(verdict: Verdict) -> Judgement {
    Judgement {
        verdict,
        score: Some(if verdict == Verdict::Accepted {
            100.0
        } else {
            0.0
        }),
        time_ms: 1,
        memory_kib: 1024,
        compile_output: String::new(),
        tests: Vec::new(),
        judged_at: now_ms(),
    }
}

#[async_trait]
impl JudgeService for ScriptedJudge {
    async fn judge(
        &self,
        job: JudgeJob,
        progress: ProgressSender,
    ) -> Result<Judgement, JudgeFailure> {
        let id = job.submission_id;
        let attempt = {
            let mut jobs = self.jobs.lock().expect("not poisoned");
            let n = jobs.iter().filter(|j| j.submission_id == id).count();
            jobs.push(job);
            n
        };
        let script = self
            .scripts
            .lock()
            .expect("not poisoned")
            .get(&id)
            .cloned()
            .unwrap_or_else(|| self.default.lock().expect("not poisoned").clone());
        for p in &script.progress {
            progress.report(p.clone());
        }
        if !script.delay.is_zero() {
            tokio::time::sleep(script.delay).await;
        }
        let step = script.steps[attempt.min(script.steps.len() - 1)].clone();
        match step {
            Step::Verdict(v) => Ok(judgement_of(v)),
            Step::Judgement(j) => Ok(j),
            Step::Fail(m) => Err(JudgeFailure::Sandbox(m)),
            Step::Hang => {
                self.release.notified().await;
                Err(JudgeFailure::Unavailable(
                    "a hung judging was released".into(),
                ))
            }
        }
    }
}
