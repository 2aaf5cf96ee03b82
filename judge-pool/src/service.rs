//! The engine's judging port, served by a sandboxed [`Judge`].

use crate::judge::{Judge, JudgeError, JudgeOptions, JudgeReport, Progress};
use crate::language::SourceFile;
use crate::package::Problem;
use crate::sandbox::Sandbox;
use crate::verify::settle_problem_time_limit;
use async_trait::async_trait;
use codehub_engine::Verdict;
use codehub_engine::model::{Judgement, TestResult, now_ms};
use codehub_engine::ports::blobs::BlobStore;
use codehub_engine::ports::judging::PROGRESS_CAPACITY;
use codehub_engine::ports::judging::{
    ImportedPackage, JudgeFailure, JudgeJob, JudgeProgress, JudgeService, ProgressSender, RunError,
    RunJob,
};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// A loaded package: its content hash and the time limit a package without one gets.
type ProblemKey = (String, Option<i64>);

/// Judges the engine's jobs in sandboxes; problem packages come from the blob store and
/// are loaded once per content hash (and stored time limit, for packages without one).
pub struct SandboxedJudge<S: Sandbox> {
    judge: Judge<S>,
    blobs: Arc<dyn BlobStore>,
    /// Loaded packages by content hash and the time limit they are judged with when the
    /// package gives none (the job's, computed at import; `None`: the package's).
    problems: tokio::sync::Mutex<HashMap<ProblemKey, Arc<Problem>>>,
}

impl<S: Sandbox> SandboxedJudge<S> {
    /// Wraps a judge.
    pub fn new(judge: Judge<S>, blobs: Arc<dyn BlobStore>) -> Self {
        SandboxedJudge {
            judge,
            blobs,
            problems: tokio::sync::Mutex::new(HashMap::new()),
        }
    }

    /// The package `hash`, judged with `time_limit_ms` if it gives no limit of its own.
    async fn problem(
        &self,
        hash: &str,
        time_limit_ms: Option<i64>,
    ) -> Result<Arc<Problem>, JudgeFailure> {
        let key = (hash.to_owned(), time_limit_ms);
        let mut cache = self.problems.lock().await;
        if let Some(p) = cache.get(&key) {
            return Ok(p.clone());
        }
        let mut problem = self.load(hash).await?;
        if let Some(ms) = time_limit_ms.filter(|&ms| ms > 0)
            && !problem.limits.time_limit_given
        {
            problem.limits.time_limit = Duration::from_millis(ms as u64);
        }
        let problem = Arc::new(problem);
        cache.insert(key, problem.clone());
        Ok(problem)
    }

    async fn load(&self, hash: &str) -> Result<Problem, JudgeFailure> {
        let path = self.blobs.local_path(hash).await?;
        let problem = tokio::task::spawn_blocking(move || Problem::load(&path))
            .await
            .map_err(|e| JudgeFailure::BadPackage(e.to_string()))?
            .map_err(|e| JudgeFailure::BadPackage(e.to_string()))?;
        for w in &problem.warnings {
            tracing::warn!(package = hash, "{w}");
        }
        Ok(problem)
    }
}

/// The judge's files of a job's sources.
fn source_files(files: &[codehub_engine::model::SubmittedFile]) -> Vec<SourceFile> {
    files
        .iter()
        .map(|f| SourceFile {
            name: f.name.clone(),
            contents: f.contents.as_bytes().to_vec(),
        })
        .collect()
}

/// Converts the judge's report to the engine's judgement.
pub fn to_judgement(report: &JudgeReport) -> Judgement {
    Judgement {
        verdict: report.verdict,
        score: report.score,
        time_ms: report.max_time_ms as i64,
        memory_kib: report.max_memory_kib as i64,
        compile_output: report.compile_output.clone(),
        tests: report
            .tests
            .iter()
            .map(|t| TestResult {
                name: t.name.clone(),
                group: t.group.clone(),
                sample: t.sample,
                verdict: t.verdict,
                time_ms: t.time_ms as i64,
                memory_kib: t.memory_kib as i64,
            })
            .collect(),
        judged_at: now_ms(),
    }
}

#[async_trait]
impl<S: Sandbox> JudgeService for SandboxedJudge<S> {
    async fn judge(
        &self,
        job: JudgeJob,
        progress: ProgressSender,
    ) -> Result<Judgement, JudgeFailure> {
        let problem = self.problem(&job.package_hash, job.time_limit_ms).await?;
        let files = source_files(&job.files);
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Progress>(PROGRESS_CAPACITY);
        let forward = tokio::spawn(async move {
            while let Some(p) = rx.recv().await {
                let p = match p {
                    Progress::Compiling => JudgeProgress::Compiling,
                    Progress::Running { test, total } => JudgeProgress::Running { test, total },
                };
                progress.report(p);
            }
        });
        let options = JudgeOptions {
            run_all_tests: job.run_all_tests,
            progress: Some(tx),
            policy: job.policy.clone(),
        };
        let result = self
            .judge
            .judge(&problem, &files, Some(&job.language), &options)
            .await;
        drop(options);
        let _ = forward.await;
        match result {
            Ok(report) => Ok(to_judgement(&report)),
            Err(JudgeError::Sandbox(e)) => Err(JudgeFailure::Sandbox(e.to_string())),
            // Refusals the gateway should have caught: the submitter's problem, shown as CE.
            Err(other) => Ok(Judgement {
                verdict: Verdict::CompileError,
                score: None,
                time_ms: 0,
                memory_kib: 0,
                compile_output: other.to_string(),
                tests: Vec::new(),
                judged_at: now_ms(),
            }),
        }
    }

    async fn run(&self, job: RunJob) -> Result<codehub_protocol::views::RunView, RunError> {
        let problem = self.problem(&job.package_hash, job.time_limit_ms).await?;
        let files = source_files(&job.files);
        self.judge
            .run_once(
                &problem,
                &files,
                Some(&job.language),
                &job.input,
                job.policy.as_ref(),
            )
            .await
            .map_err(|e| match e {
                JudgeError::Sandbox(e) => RunError::Failed(JudgeFailure::Sandbox(e.to_string())),
                refused => RunError::Refused(refused.to_string()),
            })
    }

    async fn time_limit(&self, package_hash: &str) -> Result<Option<i64>, JudgeFailure> {
        let mut problem = self.load(package_hash).await?;
        if problem.limits.time_limit_given {
            return Ok(None);
        }
        let report = settle_problem_time_limit(&self.judge, &mut problem, TIME_LIMIT_PARALLEL)
            .await
            .map_err(JudgeFailure::BadPackage)?;
        tracing::info!(
            package = package_hash,
            time_limit_ms = report.time_limit_ms,
            slowest_ms = report.slowest_ms,
            "computed the time limit of a package that gives none"
        );
        Ok(Some(report.time_limit_ms as i64))
    }

    async fn import_package(
        &self,
        archive: Vec<u8>,
    ) -> Result<Option<ImportedPackage>, JudgeFailure> {
        let io = |e: std::io::Error| JudgeFailure::Sandbox(format!("import: {e}"));
        let dir = tempfile::tempdir().map_err(io)?;
        let zip = dir.path().join("package.zip");
        std::fs::write(&zip, &archive).map_err(io)?;
        if !crate::polygon::is_polygon(&zip) {
            return Err(JudgeFailure::BadPackage(
                "not a package this judge imports (no problem.xml)".into(),
            ));
        }
        let out = dir.path().join("kattis");
        std::fs::create_dir(&out).map_err(io)?;
        let conversion = crate::polygon::import(&zip, &out, Some(&self.judge))
            .await
            .map_err(|e| JudgeFailure::BadPackage(e.to_string()))?;
        let zip = tokio::task::spawn_blocking(move || crate::polygon::zip_dir(&out))
            .await
            .map_err(|e| JudgeFailure::Sandbox(e.to_string()))?
            .map_err(JudgeFailure::Sandbox)?;
        Ok(Some(ImportedPackage {
            zip,
            notes: conversion.notes,
        }))
    }
}

/// Submissions run at once while a time limit is computed.
const TIME_LIMIT_PARALLEL: usize = 2;
