//! JudgePool and JudgeActors: the judge queue and one actor per sandbox slot.
//!
//! The pool keeps the queue and hands one job at a time to each idle JudgeActor. A
//! JudgeActor marks the submission as judging, runs the judge in a task (its `handle`
//! never blocks on judging), streams progress to the Hub, stores the judgement
//! (idempotently) and tells the contest. If a JudgeActor panics, the pool requeues its job
//! at the front and starts a replacement; if the judge itself fails (sandbox down), the job
//! goes back to the queue after a pause ([`JudgeContext::retry_delay`]) — never as the
//! contestant's fault.
//!
//! Progress reaches the Hub through a bounded [`ProgressSender`] (advisory: a step that
//! finds it full is dropped); the judgement never goes through it.

use super::Faults;
use super::contest::{ContestMsg, ContestSupMsg};
use super::hub::{HubMsg, Publication};
use crate::model::{ContestId, Judgement, SubmissionId, UserId, now_ms};
use crate::ports::cluster::Role;
use crate::ports::judging::{
    JudgeFailure, JudgeJob, JudgeProgress, JudgeService, ProgressSender, RunError, RunJob,
};
use crate::ports::store::{Store, StoreError};
use codehub_protocol::Channel;
use codehub_protocol::names::LiveState;
use codehub_protocol::ws::{MessageKind, Status};
use ractor::{Actor, ActorId, ActorProcessingErr, ActorRef, RpcReplyPort, SupervisionEvent};
use serde::Serialize;
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::Duration;
use tracing::Instrument;

/// Default pause before a job whose judging failed is tried again.
pub const RETRY_DELAY: Duration = Duration::from_secs(2);

/// A job with what the pool needs to route its results.
#[derive(Debug, Clone)]
pub struct QueuedJob {
    /// The job.
    pub job: JudgeJob,
    /// Author (for `user/{id}/submissions`).
    pub user_id: UserId,
    /// Contest, if any.
    pub contest_id: Option<ContestId>,
    /// The contest owner's fencing token (cluster mode): the judgement is stored only if
    /// this node still owns the contest.
    pub fence: Option<u64>,
    /// The submission's span: judging and the verdict's publication are its children.
    pub span: tracing::Span,
}

/// The channel of one submission's verdict stream.
pub fn submission_channel(id: SubmissionId) -> String {
    Channel::Submission(id).to_string()
}

/// The channel of a user's submissions.
pub fn user_channel(id: UserId) -> String {
    Channel::UserSubmissions(id).to_string()
}

/// The Hub channel where a contest's submissions are announced when they arrive, start
/// judging and are judged (no test-by-test progress). Internal: the event feed's
/// recorder watches it; it is not a `/ws` channel.
pub fn contest_submissions_channel(contest: ContestId) -> String {
    format!("internal/contest/{contest}/submissions")
}

/// Publishes a submission's live state on its two channels (`verdict` once done,
/// `status` before), and, for a contest's submission arriving, starting judging or
/// judged, on [`contest_submissions_channel`].
pub fn publish_status(
    hub: &ActorRef<HubMsg>,
    user: UserId,
    contest: Option<ContestId>,
    status: &Status,
) {
    let id = SubmissionId(status.submission_id);
    let kind = if status.state == LiveState::Done {
        MessageKind::Verdict
    } else {
        MessageKind::Status
    };
    let data = serde_json::to_value(status).expect("statuses serialise");
    let milestone = matches!(
        status.state,
        LiveState::Queued | LiveState::Compiling | LiveState::Done
    );
    let contest = contest
        .filter(|_| milestone)
        .map(contest_submissions_channel);
    for channel in [submission_channel(id), user_channel(user)]
        .into_iter()
        .chain(contest)
    {
        let _ = hub.send_message(HubMsg::Publish(Publication {
            channel,
            seq: None,
            kind,
            data: data.clone(),
        }));
    }
}

/// The live state a judging step reports.
fn progress_status(id: SubmissionId, progress: &JudgeProgress) -> Status {
    match *progress {
        JudgeProgress::Compiling => Status::new(id.0, LiveState::Compiling),
        JudgeProgress::Running { test, total } => Status {
            test: Some(test),
            total: Some(total),
            ..Status::new(id.0, LiveState::Running)
        },
    }
}

/// Publishes one judging's progress steps on the Hub as they come, in a task of its own.
struct ProgressForwarder {
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<()>,
}

impl ProgressForwarder {
    fn start(
        hub: ActorRef<HubMsg>,
        user: UserId,
        contest: Option<ContestId>,
        id: SubmissionId,
        mut rx: tokio::sync::mpsc::Receiver<JudgeProgress>,
    ) -> ProgressForwarder {
        let (stop, mut stopped) = tokio::sync::oneshot::channel();
        let publish = move |p: &JudgeProgress| {
            publish_status(&hub, user, contest, &progress_status(id, p));
        };
        let task = tokio::spawn(async move {
            loop {
                tokio::select! {
                    biased;
                    step = rx.recv() => match step {
                        Some(p) => publish(&p),
                        None => return,
                    },
                    _ = &mut stopped => {
                        rx.close();
                        while let Ok(p) = rx.try_recv() {
                            publish(&p);
                        }
                        return;
                    }
                }
            }
        });
        ProgressForwarder { stop, task }
    }

    /// Publishes the steps still queued and ends the task, even if a judge kept a clone
    /// of the sender: so a "running" status never follows the verdict.
    async fn finish(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
    }
}

/// Counts a finished judging: by verdict and language, or by failure, and its duration
/// (queue wait excluded).
fn record_judging(
    language: &str,
    took: std::time::Duration,
    result: &Result<Judgement, JudgeFailure>,
) {
    let language = language.to_owned();
    match result {
        Ok(judgement) => {
            metrics::counter!("codehub_judgements_total",
                "verdict" => judgement.verdict.code(), "language" => language.clone())
            .increment(1);
        }
        Err(failure) => {
            let kind = match failure {
                JudgeFailure::Package(_) => "package",
                JudgeFailure::BadPackage(_) => "bad_package",
                JudgeFailure::Sandbox(_) => "sandbox",
                JudgeFailure::Unavailable(_) => "unavailable",
                JudgeFailure::Remote(_) => "remote",
            };
            metrics::counter!("codehub_judge_failures_total", "kind" => kind).increment(1);
        }
    }
    metrics::histogram!("codehub_judge_duration_seconds", "language" => language)
        .record(took.as_secs_f64());
}

/// Queue statistics.
#[derive(Debug, Clone, Serialize)]
pub struct PoolStats {
    /// Jobs waiting.
    pub queued: usize,
    /// Jobs being judged.
    pub judging: usize,
    /// JudgeActors.
    pub judges: usize,
    /// Runs (`POST /api/runs`) waiting.
    pub runs_queued: usize,
    /// Runs running.
    pub runs_running: usize,
}

/// Runs that may wait for a judge; more are refused (the judges are busy).
pub const MAX_WAITING_RUNS: usize = 64;

/// A run (code on a sample or typed input) waiting for a judge, and where its result goes.
#[derive(Debug)]
pub struct QueuedRun {
    /// The run.
    pub job: RunJob,
    /// Its caller (gone if it stopped waiting: the run is then skipped).
    pub reply: tokio::sync::oneshot::Sender<Result<codehub_protocol::views::RunView, RunError>>,
}

/// Messages of the pool.
#[derive(Debug)]
pub enum PoolMsg {
    /// Queue a job (boxed: a job is large, the other messages small).
    Enqueue(Box<QueuedJob>),
    /// A JudgeActor finished its job.
    Idle(ActorId),
    /// Queue statistics.
    Stats(RpcReplyPort<PoolStats>),
    /// Run code outside a submission, after every queued submission: a run never takes
    /// a judge a waiting submission could have.
    Run(Box<QueuedRun>),
    /// A run finished.
    RunDone,
}

/// The pool (configuration only).
pub struct JudgePool {
    /// JudgeActors to run.
    pub judges: usize,
    /// Shared by the JudgeActors.
    pub ctx: JudgeContext,
}

/// What every JudgeActor needs.
#[derive(Clone)]
pub struct JudgeContext {
    /// Judges submissions.
    pub judge: Arc<dyn JudgeService>,
    /// Source of truth.
    pub store: Arc<dyn Store>,
    /// Verdict streams.
    pub hub: ActorRef<HubMsg>,
    /// Where judged contest submissions go.
    pub contests: ActorRef<ContestSupMsg>,
    /// Fault injection (tests).
    pub faults: Faults,
    /// Pause before a job whose judging failed goes back to the queue.
    pub retry_delay: Duration,
}

/// The pool's state.
pub struct PoolState {
    /// Waiting jobs, first out first.
    queue: VecDeque<QueuedJob>,
    /// JudgeActors without a job.
    idle: Vec<ActorRef<JudgeMsg>>,
    /// JudgeActors with a job, and the job (requeued if the actor dies).
    busy: HashMap<ActorId, (ActorRef<JudgeMsg>, QueuedJob)>,
    /// When each waiting job was queued (for the queue wait metric).
    queued_at: HashMap<SubmissionId, std::time::Instant>,
    /// Waiting runs, first out first; dispatched only while no submission waits.
    runs: VecDeque<QueuedRun>,
    /// Runs running (each holds a judge's share of the sandbox, as a job does).
    runs_running: usize,
}

impl JudgePool {
    async fn spawn_judge(
        &self,
        myself: &ActorRef<PoolMsg>,
    ) -> Result<ActorRef<JudgeMsg>, ActorProcessingErr> {
        let actor = JudgeActor {
            ctx: self.ctx.clone(),
            pool: myself.clone(),
        };
        let (a, _) = Actor::spawn_linked(None, actor, (), myself.get_cell()).await?;
        Ok(a)
    }

    /// Publishes the queue's depth and the jobs being judged.
    fn gauge(state: &PoolState) {
        metrics::gauge!("codehub_judge_queue_depth").set(state.queue.len() as f64);
        metrics::gauge!("codehub_judge_busy").set(state.busy.len() as f64);
    }

    /// Hands waiting jobs to idle JudgeActors, then, if no job waits, runs to free
    /// judges. A running run counts as a busy judge (it uses the same sandbox), so at most
    /// half the judges (at least one) run runs, and jobs take precedence.
    fn dispatch(&self, myself: &ActorRef<PoolMsg>, state: &mut PoolState) {
        while !state.queue.is_empty() && state.idle.len() > state.runs_running {
            let Some(judge) = state.idle.pop() else { break };
            let job = state.queue.pop_front().expect("not empty");
            if judge.send_message(JudgeMsg::Run(job.clone())).is_ok() {
                if let Some(since) = state.queued_at.remove(&job.job.submission_id) {
                    metrics::histogram!("codehub_judge_queue_wait_seconds")
                        .record(since.elapsed().as_secs_f64());
                }
                state.busy.insert(judge.get_id(), (judge, job));
            } else {
                state.queue.push_front(job);
            }
        }
        let run_cap = (self.judges / 2).max(1);
        while state.queue.is_empty()
            && state.runs_running < run_cap
            && state.idle.len() > state.runs_running
        {
            let Some(run) = state.runs.pop_front() else {
                break;
            };
            if run.reply.is_closed() {
                continue;
            }
            state.runs_running += 1;
            let (judge, pool) = (self.ctx.judge.clone(), myself.clone());
            let QueuedRun { job, reply } = run;
            tokio::spawn(async move {
                // In a task of its own, so that a panic in the judge still frees the slot.
                let result = tokio::spawn(async move { judge.run(job).await })
                    .await
                    .unwrap_or_else(|e| {
                        Err(RunError::Failed(JudgeFailure::Sandbox(format!(
                            "the run's task failed: {e}"
                        ))))
                    });
                let _ = reply.send(result);
                let _ = pool.send_message(PoolMsg::RunDone);
            });
        }
    }
}

impl Actor for JudgePool {
    type Msg = PoolMsg;
    type State = PoolState;
    type Arguments = ();

    async fn pre_start(
        &self,
        myself: ActorRef<PoolMsg>,
        _: (),
    ) -> Result<PoolState, ActorProcessingErr> {
        let mut idle = Vec::new();
        for _ in 0..self.judges.max(1) {
            idle.push(self.spawn_judge(&myself).await?);
        }
        Ok(PoolState {
            queue: VecDeque::new(),
            idle,
            busy: HashMap::new(),
            queued_at: HashMap::new(),
            runs: VecDeque::new(),
            runs_running: 0,
        })
    }

    /// Stops the JudgeActors before the pool is gone (their judging tasks finish on
    /// their own; the store keeps the queue).
    async fn post_stop(
        &self,
        myself: ActorRef<PoolMsg>,
        _: &mut PoolState,
    ) -> Result<(), ActorProcessingErr> {
        super::stop_children(&myself).await;
        Ok(())
    }

    async fn handle(
        &self,
        myself: ActorRef<PoolMsg>,
        msg: PoolMsg,
        state: &mut PoolState,
    ) -> Result<(), ActorProcessingErr> {
        match msg {
            PoolMsg::Enqueue(job) => {
                let job = *job;
                // Already queued or being judged here: once is enough (the cluster may
                // announce a submission again after a takeover or a resynchronisation).
                let id = job.job.submission_id;
                let known = state.queue.iter().any(|j| j.job.submission_id == id)
                    || state.busy.values().any(|(_, j)| j.job.submission_id == id);
                if let Some(queued) = state.queue.iter_mut().find(|j| j.job.submission_id == id) {
                    // The newest owner's token wins.
                    queued.fence = job.fence;
                } else if !known {
                    state.queued_at.insert(id, std::time::Instant::now());
                    state.queue.push_back(job);
                }
            }
            PoolMsg::Idle(id) => {
                if let Some((judge, _)) = state.busy.remove(&id) {
                    state.idle.push(judge);
                }
            }
            PoolMsg::Stats(reply) => {
                let _ = reply.send(PoolStats {
                    queued: state.queue.len(),
                    judging: state.busy.len(),
                    judges: state.busy.len() + state.idle.len(),
                    runs_queued: state.runs.len(),
                    runs_running: state.runs_running,
                });
            }
            PoolMsg::Run(run) => {
                state.runs.retain(|r| !r.reply.is_closed());
                if state.runs.len() >= MAX_WAITING_RUNS {
                    let _ = run
                        .reply
                        .send(Err(RunError::Failed(JudgeFailure::Unavailable(
                            "every judge is busy: too many runs are waiting".to_owned(),
                        ))));
                } else {
                    state.runs.push_back(*run);
                }
            }
            PoolMsg::RunDone => state.runs_running = state.runs_running.saturating_sub(1),
        }
        self.dispatch(&myself, state);
        Self::gauge(state);
        Ok(())
    }

    async fn handle_supervisor_evt(
        &self,
        myself: ActorRef<PoolMsg>,
        event: SupervisionEvent,
        state: &mut PoolState,
    ) -> Result<(), ActorProcessingErr> {
        let dead = match event {
            SupervisionEvent::ActorFailed(cell, err) => {
                tracing::warn!(error = %err, "judge actor failed; requeueing its job and restarting it");
                Some(cell.get_id())
            }
            SupervisionEvent::ActorTerminated(cell, _, _) => Some(cell.get_id()),
            _ => None,
        };
        if let Some(id) = dead {
            if let Some((_, job)) = state.busy.remove(&id) {
                state.queue.push_front(job);
            }
            state.idle.retain(|a| a.get_id() != id);
            let replacement = self.spawn_judge(&myself).await?;
            state.idle.push(replacement);
            self.dispatch(&myself, state);
        }
        Ok(())
    }
}

/// Messages of a JudgeActor.
#[derive(Debug)]
pub enum JudgeMsg {
    /// Judge this job.
    Run(QueuedJob),
    /// The judging task finished.
    Finished(QueuedJob, Result<Judgement, JudgeFailure>),
}

/// One judge slot.
pub struct JudgeActor {
    /// Shared context.
    pub ctx: JudgeContext,
    /// The pool, told when this actor is idle again.
    pub pool: ActorRef<PoolMsg>,
}

impl JudgeActor {
    /// Stores a judgement; in a cluster, under the contest owner's fencing token. A token
    /// gone stale because this node took the contest again (a newer token) is replaced;
    /// if another node owns the contest now, nothing is stored (that owner judges it).
    async fn record(
        &self,
        job: &QueuedJob,
        judgement: &Judgement,
    ) -> Result<bool, ActorProcessingErr> {
        let id = job.job.submission_id;
        let (Some(contest), Some(mut fence)) = (job.contest_id, job.fence) else {
            return Ok(self.ctx.store.finish_submission(id, judgement).await?);
        };
        loop {
            match self
                .ctx
                .store
                .finish_submission_fenced(id, judgement, contest, fence)
                .await
            {
                Err(StoreError::Fenced(e)) => {
                    let actor =
                        ractor::call_t!(self.ctx.contests, ContestSupMsg::Get, 10_000, contest)?;
                    let role = match actor {
                        Ok(a) => Some(ractor::call_t!(a, ContestMsg::Role, 10_000)?),
                        Err(_) => None,
                    };
                    match role {
                        Some(Role::Owner { fence: now }) if now != fence => fence = now,
                        _ => {
                            tracing::warn!(submission_id = %id, error = %e, "judgement not stored: another node owns the contest now");
                            return Ok(false);
                        }
                    }
                }
                other => return Ok(other?),
            }
        }
    }

    /// Puts `job` back in the pool's queue after the retry delay.
    fn requeue_later(&self, job: QueuedJob) {
        let pool = self.pool.clone();
        let delay = self.ctx.retry_delay;
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            let _ = pool.send_message(PoolMsg::Enqueue(Box::new(job)));
        });
    }

    /// Stores a judgement and, if this node still owns the contest, tells everyone: the
    /// event log, the verdict streams, the contest's scoreboard.
    async fn publish_verdict(
        &self,
        job: &QueuedJob,
        judgement: &Judgement,
    ) -> Result<(), ActorProcessingErr> {
        let id = job.job.submission_id;
        let recorded = self.record(job, judgement).await?;
        if recorded {
            let _ = self
                .ctx
                .store
                .append_event(
                    job.contest_id,
                    "judged",
                    &serde_json::json!({
                        "submission_id": id,
                        "verdict": judgement.verdict,
                        "at": now_ms(),
                    }),
                )
                .await;
            publish_status(
                &self.ctx.hub,
                job.user_id,
                job.contest_id,
                &Status {
                    verdict: Some(judgement.verdict),
                    score: judgement.score,
                    time_ms: Some(judgement.time_ms),
                    memory_kib: Some(judgement.memory_kib),
                    ..Status::new(id.0, LiveState::Done)
                },
            );
            if let Some(contest) = job.contest_id
                && let Some(sub) = self.ctx.store.submission(id).await?
            {
                let actor =
                    ractor::call_t!(self.ctx.contests, ContestSupMsg::Get, 10_000, contest)?;
                if let Ok(actor) = actor {
                    let _ = actor.send_message(ContestMsg::Judged(sub));
                }
            }
        }
        Ok(())
    }
}

impl Actor for JudgeActor {
    type Msg = JudgeMsg;
    type State = ();
    type Arguments = ();

    async fn pre_start(&self, _: ActorRef<JudgeMsg>, _: ()) -> Result<(), ActorProcessingErr> {
        Ok(())
    }

    async fn handle(
        &self,
        myself: ActorRef<JudgeMsg>,
        msg: JudgeMsg,
        _: &mut (),
    ) -> Result<(), ActorProcessingErr> {
        match msg {
            JudgeMsg::Run(job) => {
                let id = job.job.submission_id;
                if let Some(fault) = &self.ctx.faults.judge_actor
                    && fault(id)
                {
                    panic!("injected fault: judge actor, submission {id}");
                }
                self.ctx.store.mark_judging(id).await?;
                let (tx, rx) = ProgressSender::channel();
                let progress = ProgressForwarder::start(
                    self.ctx.hub.clone(),
                    job.user_id,
                    job.contest_id,
                    id,
                    rx,
                );
                let judge = self.ctx.judge.clone();
                let me = myself.clone();
                let span = tracing::info_span!(parent: &job.span, "judge",
                    submission_id = %id, language = %job.job.language);
                tokio::spawn(
                    async move {
                        let started = std::time::Instant::now();
                        let result = judge.judge(job.job.clone(), tx).await;
                        // Every step reported is published before the verdict is.
                        progress.finish().await;
                        record_judging(&job.job.language, started.elapsed(), &result);
                        let _ = me.send_message(JudgeMsg::Finished(job, result));
                    }
                    .instrument(span),
                );
            }
            JudgeMsg::Finished(job, result) => {
                let id = job.job.submission_id;
                match result {
                    Ok(judgement) => {
                        let span = tracing::info_span!(parent: &job.span, "verdict",
                            submission_id = %id, verdict = judgement.verdict.code());
                        // A verdict that cannot be stored (the database down or its
                        // disk full) is judged again later, never dropped.
                        if let Err(e) = self
                            .publish_verdict(&job, &judgement)
                            .instrument(span)
                            .await
                        {
                            tracing::warn!(submission_id = %id, error = %e, "verdict not stored; job requeued");
                            self.requeue_later(job);
                        }
                    }
                    Err(e) => {
                        tracing::warn!(submission_id = %id, error = %e, "judging failed; job requeued");
                        self.requeue_later(job);
                    }
                }
                let _ = self.pool.send_message(PoolMsg::Idle(myself.get_id()));
            }
        }
        Ok(())
    }
}
