//! The node side of the Redis judge queue.

use super::wire::{FIELD, JOBS, Job, RUNS, RUNS_CAP, Reply, RunRequest, replies};
use async_trait::async_trait;
use codehub_engine::model::Judgement;
use codehub_engine::ports::judging::{
    JudgeFailure, JudgeJob, JudgeService, ProgressSender, RunError, RunJob,
};
use codehub_protocol::views::RunView;
use fred::prelude::*;
use rand::RngCore;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::oneshot;

struct Waiter {
    progress: ProgressSender,
    done: oneshot::Sender<Result<Judgement, JudgeFailure>>,
}

type Waiting = Arc<Mutex<HashMap<String, Waiter>>>;

/// Runs waiting for their result, by attempt.
type WaitingRuns = Arc<Mutex<HashMap<String, oneshot::Sender<Result<RunView, RunError>>>>>;

/// How long a run waits for a worker's answer (a worker that died with it never answers).
const RUN_REPLY_WAIT: Duration = Duration::from_secs(120);

/// A fresh random attempt id.
fn new_attempt() -> String {
    let mut raw = [0u8; 12];
    rand::rng().fill_bytes(&mut raw);
    hex::encode(raw)
}

/// Judges through `codehub judge-worker` processes: a job goes on the shared stream, the
/// progress and the judgement come back on this node's reply stream.
pub struct RedisJudge {
    client: Client,
    reply_to: String,
    waiting: Waiting,
    runs: WaitingRuns,
}

impl RedisJudge {
    /// Connects (two clients: commands, and the blocking reader of replies) and starts
    /// reading this node's reply stream.
    pub async fn start(url: &str, node: &str) -> anyhow::Result<Arc<RedisJudge>> {
        let client = super::connect(url).await?;
        let reader = super::connect(url).await?;
        let judge = Arc::new(RedisJudge {
            client,
            reply_to: replies(node),
            waiting: Arc::new(Mutex::new(HashMap::new())),
            runs: Arc::new(Mutex::new(HashMap::new())),
        });
        tokio::spawn(read_replies(
            reader,
            judge.reply_to.clone(),
            judge.waiting.clone(),
            judge.runs.clone(),
        ));
        // After a reconnect the queue may be gone (a restarted Redis without persistence):
        // every job in flight fails, and the engine queues it again.
        let mut reconnects = judge.client.reconnect_rx();
        let (waiting, runs) = (judge.waiting.clone(), judge.runs.clone());
        tokio::spawn(async move {
            while reconnects.recv().await.is_ok() {
                for (_, run) in runs.lock().expect("not poisoned").drain() {
                    let _ = run.send(Err(RunError::Failed(JudgeFailure::Unavailable(
                        "the Redis connection was lost while the run was queued".into(),
                    ))));
                }
                let lost: Vec<Waiter> = waiting
                    .lock()
                    .expect("not poisoned")
                    .drain()
                    .map(|(_, w)| w)
                    .collect();
                if !lost.is_empty() {
                    tracing::warn!(
                        jobs = lost.len(),
                        "Redis reconnected: requeueing jobs in flight"
                    );
                }
                for w in lost {
                    let _ = w.done.send(Err(JudgeFailure::Unavailable(
                        "the Redis connection was lost while the job was queued".into(),
                    )));
                }
            }
        });
        Ok(judge)
    }
}

/// Reads the reply stream from "now" on, dispatching to the waiting jobs. Replies for
/// attempts nobody waits for (a job judged twice after a worker died) are dropped.
async fn read_replies(reader: Client, stream: String, waiting: Waiting, runs: WaitingRuns) {
    let mut last = "$".to_owned();
    loop {
        let read: Result<fred::types::Value, _> = reader
            .xread(Some(100), Some(5_000), stream.clone(), last.clone())
            .await;
        let entries = match read.and_then(|v| super::stream_entries(v, &stream)) {
            Ok(entries) => entries,
            Err(e) => {
                tracing::warn!("reading judge replies: {e}");
                tokio::time::sleep(Duration::from_millis(500)).await;
                continue;
            }
        };
        for (id, fields) in entries {
            last = id;
            let Some(reply) = fields
                .get(FIELD)
                .and_then(|m| serde_json::from_str::<Reply>(m).ok())
            else {
                continue;
            };
            let mut waiting = waiting.lock().expect("not poisoned");
            match reply {
                Reply::Progress { attempt, progress } => {
                    if let (Some(w), Ok(p)) =
                        (waiting.get(&attempt), serde_json::from_value(progress))
                    {
                        w.progress.report(p);
                    }
                }
                Reply::Done {
                    attempt,
                    judgement,
                    worker,
                } => {
                    if let Some(w) = waiting.remove(&attempt) {
                        tracing::debug!(%worker, "judged remotely");
                        let _ = w.done.send(Ok(judgement));
                    }
                }
                Reply::Failed { attempt, message } => {
                    if let Some(w) = waiting.remove(&attempt) {
                        let _ = w.done.send(Err(JudgeFailure::Remote(message)));
                    } else if let Some(run) = runs.lock().expect("not poisoned").remove(&attempt) {
                        let _ = run.send(Err(RunError::Failed(JudgeFailure::Remote(message))));
                    }
                }
                Reply::RunDone { attempt, view } => {
                    if let Some(run) = runs.lock().expect("not poisoned").remove(&attempt) {
                        let _ = run.send(Ok(view));
                    }
                }
                Reply::RunRefused { attempt, message } => {
                    if let Some(run) = runs.lock().expect("not poisoned").remove(&attempt) {
                        let _ = run.send(Err(RunError::Refused(message)));
                    }
                }
            }
        }
    }
}

#[async_trait]
impl JudgeService for RedisJudge {
    async fn judge(
        &self,
        job: JudgeJob,
        progress: ProgressSender,
    ) -> Result<Judgement, JudgeFailure> {
        let attempt = new_attempt();
        let message = Job {
            submission_id: job.submission_id.0,
            attempt: attempt.clone(),
            package_hash: job.package_hash,
            language: job.language,
            files: job.files,
            run_all_tests: job.run_all_tests,
            time_limit_ms: job.time_limit_ms,
            policy: job.policy,
            reply_to: self.reply_to.clone(),
            trace_parent: job.trace_parent,
        };
        let json = serde_json::to_string(&message)
            .map_err(|e| JudgeFailure::Unavailable(format!("encoding the job: {e}")))?;
        let (done, rx) = oneshot::channel();
        self.waiting
            .lock()
            .expect("not poisoned")
            .insert(attempt.clone(), Waiter { progress, done });
        let queued: Result<String, _> = self
            .client
            .xadd(JOBS, false, None, "*", vec![(super::wire::FIELD, json)])
            .await;
        if let Err(e) = queued {
            self.waiting.lock().expect("not poisoned").remove(&attempt);
            return Err(JudgeFailure::Unavailable(format!(
                "cannot queue the job in Redis: {e}"
            )));
        }
        rx.await
            .unwrap_or_else(|_| Err(JudgeFailure::Unavailable("the reply reader stopped".into())))
    }

    /// Queues the run on [`RUNS`] for a worker (which takes it only when no judge job
    /// waits) and waits for its answer.
    async fn run(&self, job: RunJob) -> Result<RunView, RunError> {
        let attempt = new_attempt();
        let message = RunRequest {
            attempt: attempt.clone(),
            package_hash: job.package_hash,
            language: job.language,
            files: job.files,
            input: job.input,
            time_limit_ms: job.time_limit_ms,
            policy: job.policy,
            reply_to: self.reply_to.clone(),
        };
        let unavailable = |why: String| RunError::Failed(JudgeFailure::Unavailable(why));
        let json = serde_json::to_string(&message)
            .map_err(|e| unavailable(format!("encoding the run: {e}")))?;
        let (done, rx) = oneshot::channel();
        self.runs
            .lock()
            .expect("not poisoned")
            .insert(attempt.clone(), done);
        let cap = (
            fred::types::streams::XCapKind::MaxLen,
            fred::types::streams::XCapTrim::AlmostExact,
            RUNS_CAP as i64,
        );
        let queued: Result<String, _> = self
            .client
            .xadd(RUNS, false, cap, "*", vec![(FIELD, json)])
            .await;
        if let Err(e) = queued {
            self.runs.lock().expect("not poisoned").remove(&attempt);
            return Err(unavailable(format!("cannot queue the run in Redis: {e}")));
        }
        let answer = tokio::time::timeout(RUN_REPLY_WAIT, rx).await;
        self.runs.lock().expect("not poisoned").remove(&attempt);
        match answer {
            Ok(Ok(result)) => result,
            Ok(Err(_)) => Err(unavailable("the reply reader stopped".into())),
            Err(_) => Err(unavailable("no judge worker answered the run".into())),
        }
    }
}
