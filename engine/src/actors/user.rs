//! UserSupervisor and UserActors: one actor per active user, serialising that user's
//! submissions through a rate limiter. An idle UserActor stops itself (passivation); the
//! supervisor starts a fresh one on the user's next request.

use super::Faults;
use super::contest::{ContestMsg, ContestSupMsg, Refusal, StartError};
use super::hub::HubMsg;
use super::judge_pool::{PoolMsg, QueuedJob, publish_status};
use crate::model::ContestKind;
use crate::model::{ContestId, ProblemId, Submission, SubmittedFile, UserId, now_ms};
use crate::ports::cluster::Role;
use crate::ports::judging::JudgeJob;
use crate::ports::store::{NewSubmission, Store, StoreError};
use codehub_protocol::names::LiveState;
use codehub_protocol::ws::Status;
use ractor::{Actor, ActorProcessingErr, ActorRef, RpcReplyPort, SupervisionEvent};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Token-bucket limits on submissions.
#[derive(Debug, Clone, Copy)]
pub struct RateLimit {
    /// Submissions allowed in a burst.
    pub burst: u32,
    /// Seconds to earn one more.
    pub refill_seconds: f64,
}

impl Default for RateLimit {
    fn default() -> Self {
        RateLimit {
            burst: 10,
            refill_seconds: 6.0,
        }
    }
}

/// A submission as requested.
#[derive(Debug, Clone)]
pub struct SubmitRequest {
    /// Contest (`None`: practice).
    pub contest_id: Option<ContestId>,
    /// Problem.
    pub problem_id: ProblemId,
    /// Language id (validated by the caller against the judge's table).
    pub language: String,
    /// Files.
    pub files: Vec<SubmittedFile>,
    /// The span the submission was made in (the HTTP request's): judging and the
    /// verdict's publication are traced under it.
    pub trace: tracing::Span,
}

/// Why a submission is refused.
#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    /// Too many submissions; try again after this long.
    #[error("too many submissions; retry in {} s", .0.as_secs_f64().ceil())]
    RateLimited(Duration),
    /// No such problem.
    #[error("unknown problem {0}")]
    UnknownProblem(ProblemId),
    /// No such contest.
    #[error("unknown contest {0}")]
    UnknownContest(ContestId),
    /// The contest's actor could not start (store or cluster failure).
    #[error("engine unavailable: contest {contest}: {cause}")]
    ContestUnavailable {
        /// The contest.
        contest: ContestId,
        /// Why its actor could not start.
        cause: StartError,
    },
    /// The contest refuses it.
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// Practice submission to a problem not open for practice (nor in a contest that
    /// has ended).
    #[error("problem {0} is not open for practice")]
    NotPractice(ProblemId),
    /// Larger than the problem allows.
    #[error("the source is {size} bytes; this problem allows at most {limit} bytes")]
    SourceTooLarge {
        /// Size.
        size: usize,
        /// Limit.
        limit: usize,
    },
    /// No files.
    #[error("the submission has no files")]
    Empty,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The engine is not answering.
    #[error("engine unavailable: {0}")]
    Unavailable(String),
}

/// Messages of a UserActor.
#[derive(Debug)]
pub enum UserMsg {
    /// Submit.
    Submit(SubmitRequest, RpcReplyPort<Result<Submission, SubmitError>>),
    /// Stop if idle for long enough.
    IdleCheck,
}

/// What UserActors share.
#[derive(Clone)]
pub struct UserContext {
    /// Source of truth.
    pub store: Arc<dyn Store>,
    /// Verdict streams.
    pub hub: ActorRef<HubMsg>,
    /// Contest actors.
    pub contests: ActorRef<ContestSupMsg>,
    /// Judge queue.
    pub pool: ActorRef<PoolMsg>,
    /// Rate limits.
    pub rate: RateLimit,
    /// Idle time before passivation.
    pub idle: Duration,
    /// Cluster mode (jobs carry the owner's fencing token).
    pub clustered: bool,
    /// Fault injection (tests).
    pub faults: Faults,
}

/// One user's actor.
pub struct UserActor {
    /// Shared context.
    pub ctx: UserContext,
}

/// A user's live state.
pub struct UserState {
    /// Whose.
    user: UserId,
    /// Tokens left in the bucket.
    tokens: f64,
    /// When the bucket was last refilled.
    refilled: Instant,
    /// When the last request ended (passivation counts idle time from it).
    last_active: Instant,
    /// The passivation timer.
    ticker: tokio::task::JoinHandle<()>,
}

impl UserState {
    fn take_token(&mut self, rate: RateLimit) -> Result<(), Duration> {
        let now = Instant::now();
        let earned = now.duration_since(self.refilled).as_secs_f64() / rate.refill_seconds;
        self.tokens = (self.tokens + earned).min(f64::from(rate.burst));
        self.refilled = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64(
                (1.0 - self.tokens) * rate.refill_seconds,
            ))
        }
    }
}

impl UserActor {
    async fn submit(&self, user: UserId, req: SubmitRequest) -> Result<Submission, SubmitError> {
        let store = &self.ctx.store;
        if req.files.is_empty() {
            return Err(SubmitError::Empty);
        }
        let problem = store
            .problem(req.problem_id)
            .await?
            .ok_or(SubmitError::UnknownProblem(req.problem_id))?;
        let size: usize = req.files.iter().map(|f| f.contents.len()).sum();
        if size as i64 > problem.code_limit_bytes {
            return Err(SubmitError::SourceTooLarge {
                size,
                limit: problem.code_limit_bytes as usize,
            });
        }
        let now = now_ms();
        let (contest_actor, run_all_tests, role, policy) = match req.contest_id {
            Some(cid) => {
                let actor = ractor::call_t!(self.ctx.contests, ContestSupMsg::Get, 10_000, cid)
                    .map_err(|e| SubmitError::Unavailable(e.to_string()))?
                    .map_err(|cause| match cause {
                        StartError::Missing(_) => SubmitError::UnknownContest(cid),
                        cause => SubmitError::ContestUnavailable {
                            contest: cid,
                            cause,
                        },
                    })?;
                let admission =
                    ractor::call_t!(actor, ContestMsg::Admit, 10_000, req.problem_id, now)
                        .map_err(|e| SubmitError::Unavailable(e.to_string()))??;
                (
                    Some(actor),
                    admission.kind == ContestKind::Ioi,
                    admission.role,
                    admission.verdict_policy,
                )
            }
            None if problem.practice || upsolvable(&**store, req.problem_id, now).await? => {
                (None, true, Role::Owner { fence: 0 }, None)
            }
            None => return Err(SubmitError::NotPractice(req.problem_id)),
        };
        let submission = store
            .create_submission(NewSubmission {
                user_id: user,
                contest_id: req.contest_id,
                problem_id: req.problem_id,
                language: req.language.clone(),
                files: req.files.clone(),
                submitted_at: now,
            })
            .await?;
        publish_status(
            &self.ctx.hub,
            user,
            req.contest_id,
            &Status::new(submission.id.0, LiveState::Queued),
        );
        if let Some(actor) = contest_actor {
            // A follower forwards this to the contest's owner, which judges it.
            let _ = actor.send_message(ContestMsg::Submitted(submission.clone()));
        }
        let Role::Owner { fence } = role else {
            return Ok(submission);
        };
        let _ = self
            .ctx
            .pool
            .send_message(PoolMsg::Enqueue(Box::new(QueuedJob {
                job: JudgeJob {
                    submission_id: submission.id,
                    package_hash: problem.package_hash.clone(),
                    language: req.language,
                    files: req.files,
                    run_all_tests,
                    time_limit_ms: Some(problem.time_limit_ms),
                    policy,
                    trace_parent: None,
                },
                user_id: user,
                contest_id: req.contest_id,
                fence: (self.ctx.clustered && req.contest_id.is_some()).then_some(fence),
                span: req.trace,
            })));
        Ok(submission)
    }
}

/// Whether `problem` is open for upsolving: it belongs to a contest that has ended, so
/// anyone may practise it as if it were a practice problem.
pub async fn upsolvable(
    store: &dyn crate::ports::store::Store,
    problem: ProblemId,
    now: crate::model::Millis,
) -> Result<bool, StoreError> {
    Ok(store
        .contests()
        .await?
        .iter()
        .any(|c| now >= c.end_at && c.problem_index(problem).is_some()))
}

impl Actor for UserActor {
    type Msg = UserMsg;
    type State = UserState;
    type Arguments = UserId;

    async fn pre_start(
        &self,
        myself: ActorRef<UserMsg>,
        user: UserId,
    ) -> Result<UserState, ActorProcessingErr> {
        let period = (self.ctx.idle / 2).max(Duration::from_millis(10));
        let ticker = tokio::spawn(async move {
            loop {
                tokio::time::sleep(period).await;
                if myself.send_message(UserMsg::IdleCheck).is_err() {
                    break;
                }
            }
        });
        Ok(UserState {
            user,
            tokens: f64::from(self.ctx.rate.burst),
            refilled: Instant::now(),
            last_active: Instant::now(),
            ticker,
        })
    }

    async fn post_stop(
        &self,
        _: ActorRef<UserMsg>,
        state: &mut UserState,
    ) -> Result<(), ActorProcessingErr> {
        state.ticker.abort();
        Ok(())
    }

    async fn handle(
        &self,
        myself: ActorRef<UserMsg>,
        msg: UserMsg,
        state: &mut UserState,
    ) -> Result<(), ActorProcessingErr> {
        match msg {
            UserMsg::Submit(req, reply) => {
                let result = match state.take_token(self.ctx.rate) {
                    Err(wait) => Err(SubmitError::RateLimited(wait)),
                    Ok(()) => self.submit(state.user, req).await,
                };
                // Idle from the end of the last request: a slow store write does not
                // count as idle time.
                state.last_active = Instant::now();
                let _ = reply.send(result);
            }
            UserMsg::IdleCheck => {
                if state.last_active.elapsed() >= self.ctx.idle {
                    tracing::debug!(user_id = %state.user, "user actor passivated");
                    myself.stop(Some("idle".into()));
                }
            }
        }
        Ok(())
    }
}

/// Messages of the UserSupervisor.
#[derive(Debug)]
pub enum UserSupMsg {
    /// Route a submission to the user's actor (started if needed).
    Submit(
        UserId,
        SubmitRequest,
        RpcReplyPort<Result<Submission, SubmitError>>,
    ),
    /// How many user actors are alive.
    Count(RpcReplyPort<usize>),
}

/// Starts UserActors on demand.
pub struct UserSupervisor {
    /// Shared by the UserActors.
    pub ctx: UserContext,
}

/// Live user actors.
#[derive(Default)]
pub struct UserSupState {
    /// By user.
    actors: HashMap<UserId, ActorRef<UserMsg>>,
}

impl Actor for UserSupervisor {
    type Msg = UserSupMsg;
    type State = UserSupState;
    type Arguments = ();

    async fn pre_start(
        &self,
        _: ActorRef<UserSupMsg>,
        _: (),
    ) -> Result<UserSupState, ActorProcessingErr> {
        Ok(UserSupState::default())
    }

    /// Stops the UserActors before the supervisor is gone.
    async fn post_stop(
        &self,
        myself: ActorRef<UserSupMsg>,
        _: &mut UserSupState,
    ) -> Result<(), ActorProcessingErr> {
        super::stop_children(&myself).await;
        Ok(())
    }

    async fn handle(
        &self,
        myself: ActorRef<UserSupMsg>,
        msg: UserSupMsg,
        state: &mut UserSupState,
    ) -> Result<(), ActorProcessingErr> {
        match msg {
            UserSupMsg::Submit(user, req, reply) => {
                let actor = match state.actors.get(&user) {
                    Some(a) => a.clone(),
                    None => {
                        let actor = UserActor {
                            ctx: self.ctx.clone(),
                        };
                        let (a, _) =
                            Actor::spawn_linked(None, actor, user, myself.get_cell()).await?;
                        state.actors.insert(user, a.clone());
                        a
                    }
                };
                // The user's actor replies directly; this supervisor never waits for it.
                if let Err(e) = actor.send_message(UserMsg::Submit(req, reply)) {
                    state.actors.remove(&user);
                    if let ractor::MessagingErr::SendErr(UserMsg::Submit(req, reply)) = e {
                        let actor = UserActor {
                            ctx: self.ctx.clone(),
                        };
                        let (a, _) =
                            Actor::spawn_linked(None, actor, user, myself.get_cell()).await?;
                        state.actors.insert(user, a.clone());
                        let _ = a.send_message(UserMsg::Submit(req, reply));
                    }
                }
            }
            UserSupMsg::Count(reply) => {
                let _ = reply.send(state.actors.len());
            }
        }
        Ok(())
    }

    async fn handle_supervisor_evt(
        &self,
        _myself: ActorRef<UserSupMsg>,
        event: SupervisionEvent,
        state: &mut UserSupState,
    ) -> Result<(), ActorProcessingErr> {
        match event {
            SupervisionEvent::ActorTerminated(cell, _, _)
            | SupervisionEvent::ActorFailed(cell, _) => {
                state.actors.retain(|_, a| a.get_id() != cell.get_id());
            }
            _ => {}
        }
        Ok(())
    }
}
