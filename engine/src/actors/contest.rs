//! ContestSupervisor and ContestActor: one actor per active contest, owning its
//! configuration, its submission window and its LeaderboardActor.
//!
//! A ContestActor that panics is restarted by the ContestSupervisor; its `pre_start`
//! reloads the contest from the store and rebuilds the leaderboard, so a restart loses
//! nothing the store has.
//!
//! In a cluster ([`Cluster`]) a ContestActor is the *owner* (it runs the leaderboard) or a
//! *follower*: it checks submissions against the stored configuration and forwards what
//! the owner must know as [`ContestEvent`]s through a bounded outbox
//! ([`OUTBOX_CAPACITY`]); its snapshots come from the owner.

use super::Faults;
use super::hub::HubMsg;
use super::leaderboard::{LeaderboardActor, LeaderboardMsg, ScoreboardSnapshot};
use crate::model::{
    Contest, ContestId, ContestKind, ContestState, Millis, ProblemId, Submission, UserId, now_ms,
};
use crate::ports::cluster::{Cluster, ClusterError, ContestEvent, Role, seq_floor};
use crate::ports::store::{Store, StoreError};
use crate::scoring::View;
use ractor::{Actor, ActorProcessingErr, ActorRef, RpcReplyPort, SpawnErr, SupervisionEvent};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::sync::mpsc;

/// Events a follower's outbox holds for the contest's owner.
///
/// **Overflow policy: drop the event, then resynchronise the owner.** Every event is
/// about something already in the store (followers store before they forward), so none
/// carries data that could be lost: when the outbox is full (the cluster is slow or
/// unreachable) the event is dropped and the outbox is marked; once the forwarding task
/// gets through again it sends one [`ContestEvent::Reload`], and the owner rebuilds its
/// board from the store. Submissions still unjudged are caught by the owner's periodic
/// requeue from the store. The actor never waits on the cluster.
pub const OUTBOX_CAPACITY: usize = 1024;

/// Why a contest refuses a submission.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The problem is not in this contest.
    #[error("problem {0} is not part of this contest")]
    ProblemNotInContest(ProblemId),
    /// Before the start or after the end.
    #[error("the contest is {0}: submissions are accepted only while it runs")]
    OutsideWindow(&'static str),
}

/// What a contest tells a submission it admits: all a UserActor needs to store and
/// route it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Admission {
    /// How the contest is scored (IOI runs every test).
    pub kind: ContestKind,
    /// This node's role: an owner judges the submission, a follower forwards it.
    pub role: Role,
    /// The contest's verdict policy (`None`: the judge's own).
    pub verdict_policy: Option<crate::model::VerdictPolicy>,
}

/// Why a ContestActor could not start.
#[derive(Debug, Clone, thiserror::Error)]
pub enum StartError {
    /// The contest is not in the store.
    #[error("no such contest: {0}")]
    Missing(ContestId),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The cluster could not tell this node's role.
    #[error(transparent)]
    Cluster(#[from] ClusterError),
    /// The actor failed otherwise (a panic, its leaderboard).
    #[error("contest actor: {0}")]
    Actor(String),
}

impl StartError {
    /// The typed cause of a failed spawn (what `pre_start` returned), or its text.
    fn of(e: SpawnErr) -> StartError {
        match e {
            SpawnErr::StartupFailed(inner) => match inner.downcast::<StartError>() {
                Ok(start) => *start,
                Err(other) => StartError::Actor(other.to_string()),
            },
            other => StartError::Actor(other.to_string()),
        }
    }
}

/// Messages of a ContestActor.
#[derive(Debug)]
pub enum ContestMsg {
    /// The contest's configuration.
    Info(RpcReplyPort<Contest>),
    /// May this problem be submitted at this time? If so, how is it scored and who
    /// judges it (one round trip for a UserActor).
    Admit(ProblemId, Millis, RpcReplyPort<Result<Admission, Refusal>>),
    /// A team registered.
    AddTeam(UserId),
    /// A submission was stored and queued.
    Submitted(Submission),
    /// A submission was judged (the judgement is in the store already).
    Judged(Submission),
    /// The configuration changed in the store: reload it and rebuild the board.
    Reload(RpcReplyPort<()>),
    /// Unfreeze the public board now (the store is already updated).
    Unfreeze,
    /// A scoreboard snapshot.
    Snapshot(View, RpcReplyPort<ScoreboardSnapshot>),
    /// A synthetic judged result for load tests (live board only, never stored).
    Inject(crate::scoring::Judged),
    /// This node's role for the contest.
    Role(RpcReplyPort<Role>),
}

/// The actor (configuration only).
pub struct ContestActor {
    /// Prefix of registered actor names, unique per engine in this process.
    pub scope: String,
    /// Source of truth.
    pub store: Arc<dyn Store>,
    /// Fan-out.
    pub hub: ActorRef<HubMsg>,
    /// Fault injection (tests).
    pub faults: Faults,
    /// The cluster, if this node is part of one.
    pub cluster: Option<Arc<dyn Cluster>>,
}

/// A contest's live state.
pub struct ContestActorState {
    /// The configuration, as stored.
    contest: Contest,
    /// Owner or follower.
    role: Role,
    /// The contest's leaderboard (a linked child; owners only).
    leaderboard: Option<ActorRef<LeaderboardMsg>>,
    /// Events for the owner (followers in a cluster only).
    outbox: Option<Outbox>,
    /// Fires the automatic unfreeze.
    unfreeze_timer: Option<tokio::task::JoinHandle<()>>,
}

/// A follower's bounded queue of events for the owner ([`OUTBOX_CAPACITY`]).
pub struct Outbox {
    /// To the forwarding task.
    tx: mpsc::Sender<ContestEvent>,
    /// Set when an event was dropped; the task then sends a `Reload`.
    overflowed: Arc<AtomicBool>,
}

fn state_name(s: ContestState) -> &'static str {
    match s {
        ContestState::Scheduled => "scheduled",
        ContestState::Running => "running",
        ContestState::Frozen => "frozen",
        ContestState::Ended => "ended",
    }
}

impl ContestActor {
    async fn start_leaderboard(
        &self,
        myself: &ActorRef<ContestMsg>,
        contest: &Contest,
        announce: bool,
        seq_floor: u64,
    ) -> Result<ActorRef<LeaderboardMsg>, ActorProcessingErr> {
        let name = format!("{}/leaderboard/{}", self.scope, contest.id);
        // A leaderboard left by a crashed predecessor must not publish beside ours.
        if let Some(old) = ractor::registry::where_is(name.clone()) {
            old.kill();
            for _ in 0..100 {
                if ractor::registry::where_is(name.clone()).is_none() {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        }
        let actor = LeaderboardActor {
            store: self.store.clone(),
            hub: self.hub.clone(),
        };
        let (lb, _) = Actor::spawn_linked(
            Some(name),
            actor,
            (contest.clone(), announce, seq_floor),
            myself.get_cell(),
        )
        .await?;
        Ok(lb)
    }

    fn schedule_unfreeze(
        myself: &ActorRef<ContestMsg>,
        contest: &Contest,
    ) -> Option<tokio::task::JoinHandle<()>> {
        let at = contest.unfreeze_at?;
        if contest.unfrozen || contest.freeze_at.is_none() {
            return None;
        }
        let delay = (at - now_ms()).max(0) as u64;
        let me = myself.clone();
        Some(tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(delay)).await;
            let _ = me.send_message(ContestMsg::Unfreeze);
        }))
    }

    /// Starts the owner's leaderboard and unfreeze timer (nothing for a follower).
    async fn start_owner_parts(
        &self,
        myself: &ActorRef<ContestMsg>,
        state: &mut ContestActorState,
    ) -> Result<(), ActorProcessingErr> {
        if let Role::Owner { fence } = state.role {
            state.leaderboard = Some(
                self.start_leaderboard(myself, &state.contest, true, seq_floor(fence))
                    .await?,
            );
            state.unfreeze_timer = Self::schedule_unfreeze(myself, &state.contest);
        }
        Ok(())
    }

    /// A follower's outbox: one task forwards its events to the owner in order, so the
    /// actor never waits on the cluster (a slow or unreachable Redis delays forwards, not
    /// the submissions this node accepts). Bounded; see [`OUTBOX_CAPACITY`] for what
    /// happens when it is full.
    fn outbox(&self, contest: ContestId) -> Option<Outbox> {
        let cluster = self.cluster.clone()?;
        let (tx, mut rx) = mpsc::channel::<ContestEvent>(OUTBOX_CAPACITY);
        let overflowed = Arc::new(AtomicBool::new(false));
        let lost = overflowed.clone();
        tokio::spawn(async move {
            let forward = |event: ContestEvent| {
                let cluster = cluster.clone();
                async move {
                    if let Err(e) = cluster.forward(contest, event).await {
                        tracing::warn!(contest_id = %contest, error = %e, "cannot forward to the contest's owner; it resynchronises from the store");
                    }
                }
            };
            while let Some(event) = rx.recv().await {
                forward(event).await;
                // Events were dropped while this one was on its way: the owner rebuilds
                // from the store, which has everything they were about.
                if lost.swap(false, Ordering::AcqRel) {
                    forward(ContestEvent::Reload).await;
                }
            }
        });
        Some(Outbox { tx, overflowed })
    }

    /// Queues an event for the owner (a follower's job), in the order the follower got it;
    /// never waits (a full outbox drops it and marks the owner for a reload).
    fn forward(state: &ContestActorState, event: ContestEvent) {
        if let Some(outbox) = &state.outbox
            && let Err(mpsc::error::TrySendError::Full(event)) = outbox.tx.try_send(event)
        {
            tracing::warn!(contest_id = %state.contest.id, ?event, "outbox full: event dropped; the owner will reload from the store");
            outbox.overflowed.store(true, Ordering::Release);
        }
    }

    /// A follower's answer to a message the owner would handle itself.
    async fn handle_as_follower(&self, msg: ContestMsg, state: &ContestActorState) {
        let id = state.contest.id;
        match msg {
            ContestMsg::AddTeam(team) => Self::forward(state, ContestEvent::AddTeam { team }),
            ContestMsg::Submitted(s) => Self::forward(state, ContestEvent::Submitted { id: s.id }),
            ContestMsg::Judged(s) => Self::forward(state, ContestEvent::Judged { id: s.id }),
            ContestMsg::Inject(judged) => Self::forward(state, ContestEvent::Inject { judged }),
            ContestMsg::Snapshot(view, reply) => {
                if let Some(cluster) = self.cluster.clone() {
                    tokio::spawn(async move {
                        match cluster.snapshot(id, view).await {
                            Ok(s) => {
                                let _ = reply.send(s);
                            }
                            Err(e) => {
                                tracing::warn!(contest_id = %id, error = %e, "no snapshot from the owner")
                            }
                        }
                    });
                }
            }
            // The owner runs the unfreeze timer; the rest is answered in `handle`.
            _ => {}
        }
    }
}

impl Actor for ContestActor {
    type Msg = ContestMsg;
    type State = ContestActorState;
    type Arguments = ContestId;

    async fn pre_start(
        &self,
        myself: ActorRef<ContestMsg>,
        id: ContestId,
    ) -> Result<ContestActorState, ActorProcessingErr> {
        let contest = self
            .store
            .contest(id)
            .await
            .map_err(StartError::Store)?
            .ok_or(StartError::Missing(id))?;
        let role = match &self.cluster {
            None => Role::Owner { fence: 0 },
            Some(cluster) => cluster.claim(id).await.map_err(StartError::Cluster)?,
        };
        let outbox = match role {
            Role::Follower => self.outbox(id),
            Role::Owner { .. } => None,
        };
        let mut state = ContestActorState {
            contest,
            role,
            leaderboard: None,
            outbox,
            unfreeze_timer: None,
        };
        self.start_owner_parts(&myself, &mut state)
            .await
            .map_err(|e| StartError::Actor(e.to_string()))?;
        tracing::debug!(contest_id = %id, ?role, "contest actor started");
        Ok(state)
    }

    async fn post_stop(
        &self,
        _myself: ActorRef<ContestMsg>,
        state: &mut ContestActorState,
    ) -> Result<(), ActorProcessingErr> {
        if let Some(t) = state.unfreeze_timer.take() {
            t.abort();
        }
        if let Some(lb) = &state.leaderboard {
            let _ = lb
                .stop_and_wait(None, Some(super::CHILD_STOP_TIMEOUT))
                .await;
        }
        Ok(())
    }

    async fn handle(
        &self,
        myself: ActorRef<ContestMsg>,
        msg: ContestMsg,
        state: &mut ContestActorState,
    ) -> Result<(), ActorProcessingErr> {
        match msg {
            ContestMsg::Info(reply) => {
                let _ = reply.send(state.contest.clone());
            }
            ContestMsg::Role(reply) => {
                let _ = reply.send(state.role);
            }
            ContestMsg::Admit(problem, at, reply) => {
                let c = &state.contest;
                let verdict = if c.problem_index(problem).is_none() {
                    Err(Refusal::ProblemNotInContest(problem))
                } else if !c.accepts_submissions(at) {
                    Err(Refusal::OutsideWindow(state_name(c.state(at))))
                } else {
                    Ok(Admission {
                        kind: c.kind,
                        role: state.role,
                        verdict_policy: c.verdict_policy.clone(),
                    })
                };
                let _ = reply.send(verdict);
            }
            ContestMsg::Reload(reply) => {
                if let Some(contest) = self.store.contest(state.contest.id).await? {
                    if let Some(lb) = state.leaderboard.take() {
                        lb.stop(None);
                    }
                    if let Some(t) = state.unfreeze_timer.take() {
                        t.abort();
                    }
                    state.contest = contest;
                    self.start_owner_parts(&myself, state).await?;
                    if state.role == Role::Follower {
                        Self::forward(state, ContestEvent::Reload);
                    }
                }
                let _ = reply.send(());
            }
            ContestMsg::Judged(s) => {
                if let Some(fault) = &self.faults.contest_actor
                    && fault(s.id)
                {
                    panic!("injected fault: contest actor, submission {}", s.id);
                }
                match &state.leaderboard {
                    Some(lb) => {
                        let _ = lb.send_message(LeaderboardMsg::Judged(s));
                    }
                    None => self.handle_as_follower(ContestMsg::Judged(s), state).await,
                }
            }
            msg => match &state.leaderboard {
                None => self.handle_as_follower(msg, state).await,
                Some(lb) => match msg {
                    ContestMsg::AddTeam(team) => {
                        let _ = lb.send_message(LeaderboardMsg::AddTeam(team));
                    }
                    ContestMsg::Submitted(s) => {
                        let _ = lb.send_message(LeaderboardMsg::Submitted(s));
                    }
                    ContestMsg::Inject(j) => {
                        let _ = lb.send_message(LeaderboardMsg::Inject(j));
                    }
                    ContestMsg::Unfreeze => {
                        let _ = lb.send_message(LeaderboardMsg::Unfreeze);
                    }
                    ContestMsg::Snapshot(view, reply) => {
                        let snapshot = ractor::call_t!(lb, LeaderboardMsg::Snapshot, 10_000, view)?;
                        let _ = reply.send(snapshot);
                    }
                    _ => unreachable!("answered above"),
                },
            },
        }
        Ok(())
    }

    async fn handle_supervisor_evt(
        &self,
        myself: ActorRef<ContestMsg>,
        event: SupervisionEvent,
        state: &mut ContestActorState,
    ) -> Result<(), ActorProcessingErr> {
        // The leaderboard failed: rebuild it from the store.
        if let SupervisionEvent::ActorFailed(cell, err) = event
            && state
                .leaderboard
                .as_ref()
                .is_some_and(|lb| cell.get_id() == lb.get_id())
        {
            tracing::warn!(contest_id = %state.contest.id, error = %err, "leaderboard failed; rebuilding");
            let floor = match state.role {
                Role::Owner { fence } => seq_floor(fence),
                Role::Follower => 0,
            };
            state.leaderboard = Some(
                self.start_leaderboard(&myself, &state.contest, true, floor)
                    .await?,
            );
        }
        Ok(())
    }
}

/// Messages of the ContestSupervisor.
#[derive(Debug)]
pub enum ContestSupMsg {
    /// The actor of a contest, started if needed.
    Get(
        ContestId,
        RpcReplyPort<Result<ActorRef<ContestMsg>, StartError>>,
    ),
    /// Stop the contest's actor and start it again, so it claims its role anew (the
    /// cluster changed the owner).
    Restart(ContestId, RpcReplyPort<()>),
}

/// Starts ContestActors on demand and restarts them when they fail.
pub struct ContestSupervisor {
    /// Prefix of registered actor names, unique per engine in this process.
    pub scope: String,
    /// Passed to each ContestActor.
    pub store: Arc<dyn Store>,
    /// Passed to each ContestActor.
    pub hub: ActorRef<HubMsg>,
    /// Passed to each ContestActor.
    pub faults: Faults,
    /// Passed to each ContestActor.
    pub cluster: Option<Arc<dyn Cluster>>,
}

/// Live contest actors.
#[derive(Default)]
pub struct ContestSupState {
    /// By contest.
    actors: HashMap<ContestId, ActorRef<ContestMsg>>,
}

impl ContestSupervisor {
    /// Lets a stopped actor's registered name go before a new actor takes it.
    async fn wait_for_name(&self, id: ContestId) {
        for _ in 0..200 {
            if ractor::registry::where_is(format!("{}/contest/{id}", self.scope)).is_none() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    async fn spawn(
        &self,
        myself: &ActorRef<ContestSupMsg>,
        id: ContestId,
    ) -> Result<ActorRef<ContestMsg>, StartError> {
        let actor = ContestActor {
            scope: self.scope.clone(),
            store: self.store.clone(),
            hub: self.hub.clone(),
            faults: self.faults.clone(),
            cluster: self.cluster.clone(),
        };
        Actor::spawn_linked(
            Some(format!("{}/contest/{id}", self.scope)),
            actor,
            id,
            myself.get_cell(),
        )
        .await
        .map(|(a, _)| a)
        .map_err(StartError::of)
    }
}

impl Actor for ContestSupervisor {
    type Msg = ContestSupMsg;
    type State = ContestSupState;
    type Arguments = ();

    async fn pre_start(
        &self,
        _: ActorRef<ContestSupMsg>,
        _: (),
    ) -> Result<ContestSupState, ActorProcessingErr> {
        Ok(ContestSupState::default())
    }

    /// Stops the ContestActors (and so their leaderboards) before the supervisor is gone.
    async fn post_stop(
        &self,
        myself: ActorRef<ContestSupMsg>,
        _: &mut ContestSupState,
    ) -> Result<(), ActorProcessingErr> {
        super::stop_children(&myself).await;
        Ok(())
    }

    async fn handle(
        &self,
        myself: ActorRef<ContestSupMsg>,
        msg: ContestSupMsg,
        state: &mut ContestSupState,
    ) -> Result<(), ActorProcessingErr> {
        match msg {
            ContestSupMsg::Get(id, reply) => {
                let result = match state.actors.get(&id) {
                    Some(a) => Ok(a.clone()),
                    None => {
                        let spawned = self.spawn(&myself, id).await;
                        if let Ok(a) = &spawned {
                            state.actors.insert(id, a.clone());
                        }
                        spawned
                    }
                };
                let _ = reply.send(result);
            }
            ContestSupMsg::Restart(id, reply) => {
                if let Some(old) = state.actors.remove(&id) {
                    old.stop(None);
                    self.wait_for_name(id).await;
                }
                match self.spawn(&myself, id).await {
                    Ok(a) => {
                        state.actors.insert(id, a);
                    }
                    Err(e) => {
                        tracing::warn!(contest_id = %id, error = %e, "contest actor restart failed")
                    }
                }
                let _ = reply.send(());
            }
        }
        Ok(())
    }

    async fn handle_supervisor_evt(
        &self,
        myself: ActorRef<ContestSupMsg>,
        event: SupervisionEvent,
        state: &mut ContestSupState,
    ) -> Result<(), ActorProcessingErr> {
        match event {
            SupervisionEvent::ActorFailed(cell, err) => {
                let failed = state
                    .actors
                    .iter()
                    .find(|(_, a)| a.get_id() == cell.get_id())
                    .map(|(id, _)| *id);
                if let Some(id) = failed {
                    tracing::warn!(contest_id = %id, error = %err, "contest actor failed; restarting");
                    state.actors.remove(&id);
                    self.wait_for_name(id).await;
                    if let Ok(a) = self.spawn(&myself, id).await {
                        state.actors.insert(id, a);
                    }
                }
            }
            SupervisionEvent::ActorTerminated(cell, _, _) => {
                state.actors.retain(|_, a| a.get_id() != cell.get_id());
            }
            _ => {}
        }
        Ok(())
    }
}
