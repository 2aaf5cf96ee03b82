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
//! (window) → store (durable before the caller answers 202) → JudgePool → JudgeActor →
//! store (idempotent) → ContestActor → LeaderboardActor → Hub.

pub mod contest;
pub mod hub;
pub mod judge_pool;
pub mod leaderboard;
pub mod user;

use self::contest::{ContestMsg, ContestSupMsg, ContestSupervisor};
use self::hub::{Hub, HubMsg};
use self::judge_pool::{JudgeContext, JudgePool, PoolMsg, PoolStats, QueuedJob};
use self::leaderboard::ScoreboardSnapshot;
use self::user::{RateLimit, SubmitError, SubmitRequest, UserContext, UserSupMsg, UserSupervisor};
use crate::model::{ContestId, ContestKind, Submission, SubmissionId, UserId};
use crate::ports::judging::{JudgeJob, JudgeService};
use crate::ports::store::{Store, StoreError};
use crate::scoring::View;
use ractor::{Actor, ActorRef};
use std::sync::Arc;
use std::time::Duration;

/// Ids of synthetic (injected) submissions count down from -1: never a stored id.
static NEXT_SYNTHETIC: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(1);

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
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            judges: 2,
            rate: RateLimit::default(),
            user_idle: Duration::from_secs(300),
            faults: Faults::default(),
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
        let (hub, _) = Actor::spawn(None, Hub, ()).await.map_err(unavailable)?;
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
        };
        engine.requeue_unfinished().await?;
        Ok(engine)
    }

    async fn requeue_unfinished(&self) -> Result<(), EngineError> {
        for s in self.store.unfinished_submissions().await? {
            self.enqueue(&s).await?;
        }
        Ok(())
    }

    async fn enqueue(&self, s: &Submission) -> Result<(), EngineError> {
        let Some(problem) = self.store.problem(s.problem_id).await? else {
            return Ok(());
        };
        let run_all_tests = match s.contest_id {
            Some(c) => self.contest(c).await?.kind == ContestKind::Ioi,
            None => true,
        };
        let _ = self.pool.send_message(PoolMsg::Enqueue(QueuedJob {
            job: JudgeJob {
                submission_id: s.id,
                package_hash: problem.package_hash,
                language: s.language.clone(),
                files: s.files.clone(),
                run_all_tests,
            },
            user_id: s.user_id,
            contest_id: s.contest_id,
        }));
        Ok(())
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
            .map_err(|_| EngineError::UnknownContest(id))
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
        let actor = self.contest_actor(id).await?;
        ractor::call_t!(actor, ContestMsg::Snapshot, 30_000, view).map_err(unavailable)
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

    /// Live user actors (passivation is observable here).
    ///
    /// # Errors
    /// If the supervisor does not answer.
    pub async fn active_users(&self) -> Result<usize, EngineError> {
        ractor::call_t!(self.users, UserSupMsg::Count, 10_000).map_err(unavailable)
    }

    /// Stops every actor.
    pub fn shutdown(&self) {
        self.users.stop(None);
        self.pool.stop(None);
        self.contests.stop(None);
        self.hub.stop(None);
    }
}
