//! The actor tree of one node, and [`Engine`], the handle the gateway uses.
//!
//! ```text
//! Engine
//! ├─ ContestSupervisor ── ContestActor[c] ── LeaderboardActor[c]
//! ├─ UserSupervisor ───── UserActor[u]      (rate limit, passivates when idle)
//! ├─ JudgePool ────────── JudgeActor[k]     (crash → restart + job requeued)
//! └─ Hub                                    (channel → local subscribers)
//! ```
//!
//! Submission path: [`Engine::submit`] → UserActor (rate limit, checks) → ContestActor
//! (`Admit`: window, problem, scoring, role) → store (durable before the caller answers
//! 202) → JudgePool → JudgeActor → store (idempotent) → ContestActor → LeaderboardActor →
//! Hub.
//!
//! [`Engine::shutdown`] stops the tree top-down and waits for every actor of it.

pub mod contest;
pub mod fanout;
pub mod hub;
pub mod judge_pool;
pub mod leaderboard;
pub mod user;

use self::contest::{ContestMsg, ContestSupMsg, ContestSupervisor, StartError};
use self::hub::{Bridge, Hub, HubMsg};
use self::judge_pool::{JudgeContext, JudgePool, PoolMsg, PoolStats, QueuedJob};
use self::leaderboard::ScoreboardSnapshot;
use self::user::{RateLimit, SubmitError, SubmitRequest, UserContext, UserSupMsg, UserSupervisor};
use crate::model::{
    ContestId, ContestKind, Submission, SubmissionId, SubmissionStatus, UserId, now_ms,
};
use crate::ports::cluster::{Cluster, ContestEvent, Role};
use crate::ports::judging::{JudgeJob, JudgeService};
use crate::ports::store::{Store, StoreError};
use crate::scoring::View;
use ractor::{Actor, ActorCell, ActorRef};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long [`Engine::shutdown`] waits for the whole actor tree to stop.
pub const SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a stopping supervisor waits for its children to stop.
const CHILD_STOP_TIMEOUT: Duration = Duration::from_secs(5);

/// What a supervisor does in `post_stop`: stops its children and waits for them (at most
/// [`CHILD_STOP_TIMEOUT`]), so none is restarted on the way down.
async fn stop_children<M: ractor::Message>(supervisor: &ActorRef<M>) {
    supervisor
        .stop_children_and_wait(Some("supervisor stopped".into()), Some(CHILD_STOP_TIMEOUT))
        .await;
}

/// Ids of synthetic (injected) submissions are negative: never a stored id. Each process
/// starts at a random point, so nodes of a cluster injecting into one board never reuse
/// each other's ids.
static NEXT_SYNTHETIC: std::sync::LazyLock<std::sync::atomic::AtomicI64> =
    std::sync::LazyLock::new(|| {
        use std::hash::{BuildHasher, Hasher};
        let random = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish();
        // 2^40 starting points, 2^22 injections each before they could meet.
        std::sync::atomic::AtomicI64::new(1 + ((random >> 24) as i64) * (1 << 22))
    });

/// Numbers engines in this process, so their registered actor names never collide.
static NEXT_ENGINE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// A fault-injection hook: returns `true` to make the actor panic on that submission.
pub type FaultHook = Arc<dyn Fn(SubmissionId) -> bool + Send + Sync>;

/// Fault injection for supervision tests; empty in production.
#[derive(Clone, Default)]
pub struct Faults {
    /// Makes a JudgeActor panic when it receives a job.
    pub judge_actor: Option<FaultHook>,
    /// Makes a ContestActor panic when it receives a judged submission.
    pub contest_actor: Option<FaultHook>,
}

/// Engine settings.
#[derive(Clone)]
pub struct EngineConfig {
    /// JudgeActors (sandbox slots judging at once).
    pub judges: usize,
    /// Submission rate limit per user.
    pub rate: RateLimit,
    /// Idle time before a UserActor passivates.
    pub user_idle: Duration,
    /// Fault injection (tests only).
    pub faults: Faults,
    /// Cluster mode: shared contests and a bridged Hub (`None`: this node is alone).
    pub cluster: Option<ClusterHooks>,
    /// Pause before a job whose judging failed goes back to the queue.
    pub retry_delay: Duration,
}

/// What the engine needs to run as one node of a cluster.
#[derive(Clone)]
pub struct ClusterHooks {
    /// Contest ownership and forwarding.
    pub cluster: Arc<dyn Cluster>,
    /// Where the Hub sends publications (they come back as relays).
    pub bridge: Bridge,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            judges: 2,
            rate: RateLimit::default(),
            user_idle: Duration::from_secs(300),
            faults: Faults::default(),
            cluster: None,
            retry_delay: judge_pool::RETRY_DELAY,
        }
    }
}

/// An engine failure that is not a refusal of the request.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// An actor did not answer.
    #[error("engine unavailable: {0}")]
    Unavailable(String),
    /// No such contest.
    #[error("unknown contest {0}")]
    UnknownContest(ContestId),
    /// A contest's actor could not start: the store or the cluster failed.
    #[error("engine unavailable: contest {contest}: {cause}")]
    ContestUnavailable {
        /// The contest.
        contest: ContestId,
        /// Why its actor could not start.
        cause: StartError,
    },
}

fn unavailable(e: impl std::fmt::Display) -> EngineError {
    EngineError::Unavailable(e.to_string())
}

/// The running actor tree of this node.
#[derive(Clone)]
pub struct Engine {
    store: Arc<dyn Store>,
    hub: ActorRef<HubMsg>,
    contests: ActorRef<ContestSupMsg>,
    users: ActorRef<UserSupMsg>,
    pool: ActorRef<PoolMsg>,
    clustered: bool,
}

impl Engine {
    /// Starts the actors and requeues every submission the store has not seen judged
    /// (after a crash: queued or judging).
    ///
    /// # Errors
    /// If an actor cannot start or the store cannot be read.
    pub async fn start(
        store: Arc<dyn Store>,
        judge: Arc<dyn JudgeService>,
        config: EngineConfig,
    ) -> Result<Engine, EngineError> {
        let hub_actor = Hub {
            bridge: config.cluster.as_ref().map(|c| c.bridge.clone()),
        };
        let (hub, _) = Actor::spawn(None, hub_actor, ())
            .await
            .map_err(unavailable)?;
        let cluster = config.cluster.as_ref().map(|c| c.cluster.clone());
        let (contests, _) = Actor::spawn(
            None,
            ContestSupervisor {
                scope: format!(
                    "engine{}",
                    NEXT_ENGINE.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                ),
                store: store.clone(),
                hub: hub.clone(),
                faults: config.faults.clone(),
                cluster: cluster.clone(),
            },
            (),
        )
        .await
        .map_err(unavailable)?;
        let (pool, _) = Actor::spawn(
            None,
            JudgePool {
                judges: config.judges,
                ctx: JudgeContext {
                    judge,
                    store: store.clone(),
                    hub: hub.clone(),
                    contests: contests.clone(),
                    faults: config.faults.clone(),
                    retry_delay: config.retry_delay,
                },
            },
            (),
        )
        .await
        .map_err(unavailable)?;
        let (users, _) = Actor::spawn(
            None,
            UserSupervisor {
                ctx: UserContext {
                    store: store.clone(),
                    hub: hub.clone(),
                    contests: contests.clone(),
                    pool: pool.clone(),
                    rate: config.rate,
                    idle: config.user_idle,
                    clustered: cluster.is_some(),
                    faults: config.faults.clone(),
                },
            },
            (),
        )
        .await
        .map_err(unavailable)?;
        let engine = Engine {
            store,
            hub,
            contests,
            users,
            pool,
            clustered: cluster.is_some(),
        };
        engine.requeue_unfinished().await?;
        Ok(engine)
    }

    /// Requeues unfinished submissions; in a cluster only practice ones (a contest's are
    /// requeued by its owner when it takes the contest: [`Engine::requeue_contest`]).
    async fn requeue_unfinished(&self) -> Result<(), EngineError> {
        for s in self.store.unfinished_submissions().await? {
            if !(self.clustered && s.contest_id.is_some()) {
                self.enqueue(&s).await?;
            }
        }
        Ok(())
    }

    /// Requeues a contest's unfinished submissions (an owner does this when it takes the
    /// contest, and now and then to catch submissions whose forward was lost; jobs queued
    /// or being judged here are not queued twice).
    ///
    /// # Errors
    /// Store failure or an unresponsive actor.
    pub async fn requeue_contest(&self, contest: ContestId) -> Result<(), EngineError> {
        let actor = self.contest_actor(contest).await?;
        for s in self.store.unfinished_submissions().await? {
            if s.contest_id == Some(contest) {
                // Pending on the board too (a known submission changes nothing there).
                let _ = actor.send_message(ContestMsg::Submitted(s.clone()));
                self.enqueue(&s).await?;
            }
        }
        Ok(())
    }

    /// Queues a submission for judging here if this node owns its contest (or it has
    /// none); otherwise tells the contest's owner, which judges it.
    async fn enqueue(&self, s: &Submission) -> Result<(), EngineError> {
        let Some(problem) = self.store.problem(s.problem_id).await? else {
            return Ok(());
        };
        let (run_all_tests, fence, policy) = match s.contest_id {
            Some(c) => {
                let actor = self.contest_actor(c).await?;
                let contest =
                    ractor::call_t!(actor, ContestMsg::Info, 10_000).map_err(unavailable)?;
                match ractor::call_t!(actor, ContestMsg::Role, 10_000).map_err(unavailable)? {
                    Role::Owner { fence } => (
                        contest.kind == ContestKind::Ioi,
                        Some(fence),
                        contest.verdict_policy,
                    ),
                    Role::Follower => {
                        let _ = actor.send_message(ContestMsg::Submitted(s.clone()));
                        return Ok(());
                    }
                }
            }
            None => (true, None, None),
        };
        let _ = self.pool.send_message(PoolMsg::Enqueue(Box::new(QueuedJob {
            job: JudgeJob {
                submission_id: s.id,
                package_hash: problem.package_hash,
                language: s.language.clone(),
                files: s.files.clone(),
                run_all_tests,
                time_limit_ms: Some(problem.time_limit_ms),
                policy,
                trace_parent: None,
            },
            user_id: s.user_id,
            contest_id: s.contest_id,
            fence: fence.filter(|_| self.clustered),
            span: tracing::Span::current(),
        })));
        Ok(())
    }

    /// Applies an event a follower forwarded to this node, the contest's owner.
    ///
    /// # Errors
    /// Store failure, unknown contest or an unresponsive actor.
    pub async fn apply(&self, contest: ContestId, event: ContestEvent) -> Result<(), EngineError> {
        let actor = self.contest_actor(contest).await?;
        match event {
            ContestEvent::Submitted { id } => {
                if let Some(s) = self.store.submission(id).await?
                    && s.contest_id == Some(contest)
                {
                    let _ = actor.send_message(ContestMsg::Submitted(s.clone()));
                    if s.status != SubmissionStatus::Done {
                        self.enqueue(&s).await?;
                    }
                }
            }
            ContestEvent::Judged { id } => {
                if let Some(s) = self.store.submission(id).await?
                    && s.contest_id == Some(contest)
                    && s.status == SubmissionStatus::Done
                {
                    let _ = actor.send_message(ContestMsg::Judged(s));
                }
            }
            ContestEvent::AddTeam { team } => {
                let _ = actor.send_message(ContestMsg::AddTeam(team));
            }
            ContestEvent::Reload => {
                ractor::call_t!(actor, ContestMsg::Reload, 30_000).map_err(unavailable)?;
            }
            ContestEvent::Inject { judged } => {
                let _ = actor.send_message(ContestMsg::Inject(judged));
            }
        }
        Ok(())
    }

    /// Restarts a contest's actor so it claims its role again (the cluster saw the owner
    /// change: this node took the lease or lost it).
    ///
    /// # Errors
    /// If the supervisor does not answer.
    pub async fn reassign(&self, contest: ContestId) -> Result<(), EngineError> {
        ractor::call_t!(self.contests, ContestSupMsg::Restart, 30_000, contest).map_err(unavailable)
    }

    /// This node's role for a contest.
    ///
    /// # Errors
    /// Unknown contest or an unresponsive actor.
    pub async fn role(&self, contest: ContestId) -> Result<Role, EngineError> {
        let actor = self.contest_actor(contest).await?;
        ractor::call_t!(actor, ContestMsg::Role, 10_000).map_err(unavailable)
    }

    /// The store.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// The Hub (for WebSocket connections).
    pub fn hub(&self) -> &ActorRef<HubMsg> {
        &self.hub
    }

    /// Submits for `user`: durable in the store when this returns `Ok`.
    ///
    /// # Errors
    /// [`SubmitError`] saying why the submission was refused.
    pub async fn submit(
        &self,
        user: UserId,
        req: SubmitRequest,
    ) -> Result<Submission, SubmitError> {
        ractor::call_t!(self.users, UserSupMsg::Submit, 30_000, user, req)
            .map_err(|e| SubmitError::Unavailable(e.to_string()))?
    }

    async fn contest_actor(&self, id: ContestId) -> Result<ActorRef<ContestMsg>, EngineError> {
        ractor::call_t!(self.contests, ContestSupMsg::Get, 10_000, id)
            .map_err(unavailable)?
            .map_err(|cause| match cause {
                StartError::Missing(_) => EngineError::UnknownContest(id),
                cause => EngineError::ContestUnavailable { contest: id, cause },
            })
    }

    async fn contest(&self, id: ContestId) -> Result<crate::model::Contest, EngineError> {
        let actor = self.contest_actor(id).await?;
        ractor::call_t!(actor, ContestMsg::Info, 10_000).map_err(unavailable)
    }

    /// A scoreboard snapshot.
    ///
    /// # Errors
    /// Unknown contest or an unresponsive actor.
    pub async fn scoreboard(
        &self,
        id: ContestId,
        view: View,
    ) -> Result<ScoreboardSnapshot, EngineError> {
        // The contest's actor may be restarting (a cluster takeover): ask the new one.
        let mut attempts = 0;
        loop {
            let actor = self.contest_actor(id).await?;
            match ractor::call_t!(actor, ContestMsg::Snapshot, 30_000, view) {
                Ok(s) => return Ok(s),
                Err(ractor::RactorErr::Messaging(_)) if attempts < 3 => {
                    attempts += 1;
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                Err(e) => return Err(unavailable(e)),
            }
        }
    }

    /// Tells the contest its configuration changed in the store.
    ///
    /// # Errors
    /// Unknown contest or an unresponsive actor.
    pub async fn contest_updated(&self, id: ContestId) -> Result<(), EngineError> {
        let actor = self.contest_actor(id).await?;
        ractor::call_t!(actor, ContestMsg::Reload, 30_000).map_err(unavailable)
    }

    /// Registers a participant (store and live board).
    ///
    /// # Errors
    /// Unknown contest, store failure.
    pub async fn add_participant(
        &self,
        contest: ContestId,
        user: UserId,
    ) -> Result<(), EngineError> {
        let actor = self.contest_actor(contest).await?;
        self.store.add_participant(contest, user).await?;
        let _ = actor.send_message(ContestMsg::AddTeam(user));
        Ok(())
    }

    /// Unfreezes a contest's public scoreboard now.
    ///
    /// # Errors
    /// Unknown contest, store failure.
    pub async fn unfreeze(&self, id: ContestId) -> Result<(), EngineError> {
        let mut contest = self.contest(id).await?;
        contest.unfrozen = true;
        // The thaw's moment (the Contest API's `thawed`), unless it was thawed earlier.
        let now = now_ms();
        contest.unfreeze_at = Some(contest.unfreeze_at.map_or(now, |u| u.min(now)));
        self.store.update_contest(&contest).await?;
        self.contest_updated(id).await
    }

    /// Judges a submission again: its judgement is cleared and it goes to the queue.
    ///
    /// # Errors
    /// Store failure; `Ok(false)` if the submission does not exist.
    pub async fn rejudge(&self, id: SubmissionId) -> Result<bool, EngineError> {
        let Some(s) = self.store.submission(id).await? else {
            return Ok(false);
        };
        self.store.requeue_submission(id).await?;
        if let Some(c) = s.contest_id {
            self.contest_updated(c).await?;
        }
        self.enqueue(&s).await?;
        Ok(true)
    }

    /// Applies a synthetic judged result to a contest's live scoreboard, so spectator
    /// fan-out can be load-tested without compiling anything. Nothing is stored: a restart
    /// or reload of the contest drops injected results. Callers must restrict it to admins.
    ///
    /// # Errors
    /// Unknown contest or an unresponsive actor.
    pub async fn inject(
        &self,
        contest: ContestId,
        team: UserId,
        problem: usize,
        verdict: crate::Verdict,
        at_ms: i64,
    ) -> Result<(), EngineError> {
        let actor = self.contest_actor(contest).await?;
        let id = SubmissionId(-NEXT_SYNTHETIC.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
        let judged = crate::scoring::Judged {
            id,
            team,
            problem,
            at: at_ms,
            verdict,
            score: 0.0,
        };
        actor
            .send_message(ContestMsg::Inject(judged))
            .map_err(unavailable)
    }

    /// Judge queue statistics.
    ///
    /// # Errors
    /// If the pool does not answer.
    pub async fn queue_stats(&self) -> Result<PoolStats, EngineError> {
        ractor::call_t!(self.pool, PoolMsg::Stats, 10_000).map_err(unavailable)
    }

    /// Runs code on a sample or typed input ([`RunJob`](crate::ports::judging::RunJob)) once a judge is free, after every
    /// queued submission. Waits at most `wait` for the judge to start and finish.
    ///
    /// # Errors
    /// The run's [`RunError`]; [`RunError::Failed`] when the judges stayed busy for
    /// `wait`, too many runs wait, or the pool is gone.
    pub async fn run(
        &self,
        job: crate::ports::judging::RunJob,
        wait: std::time::Duration,
    ) -> Result<codehub_protocol::views::RunView, crate::ports::judging::RunError> {
        use crate::ports::judging::{JudgeFailure, RunError};
        let busy = |why: &str| RunError::Failed(JudgeFailure::Unavailable(why.to_owned()));
        let (reply, result) = tokio::sync::oneshot::channel();
        self.pool
            .send_message(PoolMsg::Run(Box::new(judge_pool::QueuedRun { job, reply })))
            .map_err(|_| busy("the judge pool is not running"))?;
        match tokio::time::timeout(wait, result).await {
            Ok(Ok(outcome)) => outcome,
            Ok(Err(_)) => Err(busy("the run was dropped by the judge pool")),
            Err(_) => Err(busy(
                "every judge stayed busy with submissions; try the run again shortly",
            )),
        }
    }

    /// Live user actors (passivation is observable here).
    ///
    /// # Errors
    /// If the supervisor does not answer.
    pub async fn active_users(&self) -> Result<usize, EngineError> {
        ractor::call_t!(self.users, UserSupMsg::Count, 10_000).map_err(unavailable)
    }

    /// Every actor of the tree: the four roots, then their children, parents before
    /// children (diagnostics and tests).
    pub fn actors(&self) -> Vec<ActorCell> {
        let mut all: Vec<ActorCell> = self.roots().to_vec();
        let mut next = 0;
        while next < all.len() {
            let children = all[next].get_children();
            all.extend(children);
            next += 1;
        }
        all
    }

    fn roots(&self) -> [ActorCell; 4] {
        [
            self.users.get_cell(),
            self.pool.get_cell(),
            self.contests.get_cell(),
            self.hub.get_cell(),
        ]
    }

    /// Stops the actor tree and waits until every actor has stopped, at most
    /// [`SHUTDOWN_TIMEOUT`]: users first (no new submissions), then the judge pool, the
    /// contests and the Hub. Each supervisor stops its children (and a ContestActor its
    /// leaderboard) and waits for them before it stops itself, so nothing is restarted
    /// on the way down. Judgings in flight are not awaited: their submissions are still
    /// unfinished in the store, and the next start requeues them.
    ///
    /// # Errors
    /// [`EngineError::Unavailable`] if some actor had not stopped in time.
    pub async fn shutdown(&self) -> Result<(), EngineError> {
        let deadline = Instant::now() + SHUTDOWN_TIMEOUT;
        let tree = self.actors();
        for root in self.roots() {
            let left = deadline.saturating_duration_since(Instant::now());
            // An actor that is gone already is as stopped as it gets.
            let _ = root
                .stop_and_wait(Some("engine shutdown".into()), Some(left))
                .await;
        }
        for cell in tree {
            let left = deadline.saturating_duration_since(Instant::now());
            if cell.wait(Some(left)).await.is_err() {
                return Err(EngineError::Unavailable(format!(
                    "actor {} did not stop within {} s",
                    cell.get_id(),
                    SHUTDOWN_TIMEOUT.as_secs()
                )));
            }
        }
        Ok(())
    }
}
