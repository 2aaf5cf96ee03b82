//! LeaderboardActor: one contest's scoreboard, updated incrementally, publishing deltas.
//!
//! It owns the sequence numbers of its two channels, `contest/{id}/scoreboard` (public,
//! frozen view) and `contest/{id}/scoreboard/jury` (live), so a snapshot and the deltas
//! after it always agree. On start it rebuilds the board from the store and continues the
//! channels' sequences where the Hub left them.

use super::hub::{HubMsg, Publication};
use crate::model::{Contest, ContestId, Millis, Submission, SubmissionStatus, UserId, now_ms};
use crate::ports::store::Store;
pub use crate::scoring::ScoreboardSnapshot;
use crate::scoring::{Changes, Judged, Row, Rules, Scoreboard, View};
use codehub_protocol::ws::MessageKind;
use codehub_protocol::{Channel, Delta};
use ractor::{Actor, ActorProcessingErr, ActorRef, RpcReplyPort};
use std::sync::Arc;

/// The public scoreboard channel of a contest.
pub fn public_channel(id: ContestId) -> String {
    Channel::Scoreboard(id, View::Public).to_string()
}

/// The jury scoreboard channel of a contest.
pub fn jury_channel(id: ContestId) -> String {
    Channel::Scoreboard(id, View::Jury).to_string()
}

/// Messages of a LeaderboardActor.
#[derive(Debug)]
pub enum LeaderboardMsg {
    /// A team joined.
    AddTeam(UserId),
    /// A submission was queued.
    Submitted(Submission),
    /// A submission was judged.
    Judged(Submission),
    /// Publish the final public board.
    Unfreeze,
    /// A synthetic judged result for load tests: changes the live board only.
    Inject(Judged),
    /// The current board.
    Snapshot(View, RpcReplyPort<ScoreboardSnapshot>),
}

/// The actor (configuration only).
pub struct LeaderboardActor {
    /// Where submissions and participants are read from on start.
    pub store: Arc<dyn Store>,
    /// Where deltas go.
    pub hub: ActorRef<HubMsg>,
}

/// State: the board and the channels' sequence numbers.
pub struct LeaderboardState {
    /// The contest (start time turns absolute times into contest times).
    contest: Contest,
    /// The incremental board.
    board: Scoreboard,
    /// Last `seq` published on the public channel.
    public_seq: u64,
    /// Last `seq` published on the jury channel.
    jury_seq: u64,
}

fn judged_of(contest: &Contest, s: &Submission) -> Option<Judged> {
    let j = s.judgement.as_ref()?;
    Some(Judged {
        id: s.id,
        team: s.user_id,
        problem: contest.problem_index(s.problem_id)?,
        at: s.submitted_at - contest.start_at,
        verdict: j.verdict,
        score: j.score.unwrap_or(0.0),
    })
}

/// The scoring rules of a contest.
pub fn rules_of(contest: &Contest) -> Rules {
    Rules {
        kind: contest.kind,
        problem_count: contest.problems.len(),
        penalty_minutes: contest.penalty_minutes,
        freeze_at: contest.freeze_at.map(|f| f - contest.start_at),
    }
}

/// Builds a contest's board from stored participants and submissions.
pub fn build_board(
    contest: &Contest,
    teams: &[UserId],
    submissions: &[Submission],
    now: Millis,
) -> Scoreboard {
    let mut board = Scoreboard::new(rules_of(contest));
    for t in teams {
        board.add_team(*t);
    }
    for s in submissions {
        let Some(problem) = contest.problem_index(s.problem_id) else {
            continue;
        };
        board.add_team(s.user_id);
        board.submitted(s.user_id, problem, s.id, s.submitted_at - contest.start_at);
        if s.status == SubmissionStatus::Done
            && let Some(j) = judged_of(contest, s)
        {
            board.judged(&j);
        }
    }
    let unfrozen = contest.unfrozen || contest.unfreeze_at.is_some_and(|u| now >= u);
    if contest.freeze_at.is_some() && unfrozen {
        board.unfreeze();
    }
    board
}

impl LeaderboardState {
    /// The board of `view`; with `advance`, under the channel's next sequence number.
    fn snapshot(&mut self, view: View, advance: bool) -> ScoreboardSnapshot {
        let seq = match view {
            View::Public => &mut self.public_seq,
            View::Jury => &mut self.jury_seq,
        };
        if advance {
            *seq += 1;
        }
        ScoreboardSnapshot {
            contest_id: self.contest.id,
            view,
            frozen: self.contest.is_frozen(now_ms()),
            problems: self
                .contest
                .problems
                .iter()
                .map(|p| p.label.clone())
                .collect(),
            seq: *seq,
            rows: self.board.rows(view),
        }
    }

    fn publish(&mut self, hub: &ActorRef<HubMsg>, changes: Changes) {
        let id = self.contest.id;
        for (view, teams) in [(View::Public, changes.public), (View::Jury, changes.jury)] {
            if teams.is_empty() {
                continue;
            }
            let rows: Vec<Row> = teams
                .iter()
                .filter_map(|t| self.board.row(view, *t))
                .collect();
            let (channel, seq) = match view {
                View::Public => {
                    self.public_seq += 1;
                    (public_channel(id), self.public_seq)
                }
                View::Jury => {
                    self.jury_seq += 1;
                    (jury_channel(id), self.jury_seq)
                }
            };
            let _ = hub.send_message(HubMsg::Publish(Publication {
                channel,
                seq: Some(seq),
                kind: MessageKind::Delta,
                data: serde_json::to_value(Delta {
                    frozen: self.contest.is_frozen(now_ms()),
                    rows,
                })
                .expect("rows serialise"),
            }));
        }
    }
}

impl Actor for LeaderboardActor {
    type Msg = LeaderboardMsg;
    type State = LeaderboardState;
    /// The contest, whether to announce the rebuilt board to subscribers (after a
    /// configuration change or unfreeze: a full snapshot goes out in-stream), and the
    /// lowest `seq` to continue from (a new cluster owner's floor; 0 on one node).
    type Arguments = (Contest, bool, u64);

    async fn pre_start(
        &self,
        _myself: ActorRef<LeaderboardMsg>,
        (contest, announce, floor): (Contest, bool, u64),
    ) -> Result<LeaderboardState, ActorProcessingErr> {
        let teams = self.store.participants(contest.id).await?;
        let submissions = self.store.contest_submissions(contest.id).await?;
        let board = build_board(&contest, &teams, &submissions, now_ms());
        let public_seq =
            ractor::call_t!(self.hub, HubMsg::LastSeq, 5000, public_channel(contest.id))?;
        let jury_seq = ractor::call_t!(self.hub, HubMsg::LastSeq, 5000, jury_channel(contest.id))?;
        let mut state = LeaderboardState {
            contest,
            board,
            public_seq: public_seq.max(floor),
            jury_seq: jury_seq.max(floor),
        };
        if announce {
            for view in [View::Public, View::Jury] {
                let snapshot = state.snapshot(view, true);
                let channel = match view {
                    View::Public => public_channel(state.contest.id),
                    View::Jury => jury_channel(state.contest.id),
                };
                let _ = self.hub.send_message(HubMsg::Publish(Publication {
                    channel,
                    seq: Some(snapshot.seq),
                    kind: MessageKind::Snapshot,
                    data: serde_json::to_value(&snapshot)?,
                }));
            }
        }
        Ok(state)
    }

    async fn handle(
        &self,
        _myself: ActorRef<LeaderboardMsg>,
        msg: LeaderboardMsg,
        state: &mut LeaderboardState,
    ) -> Result<(), ActorProcessingErr> {
        let changes = match msg {
            LeaderboardMsg::AddTeam(team) => state.board.add_team(team),
            LeaderboardMsg::Submitted(s) => {
                let Some(problem) = state.contest.problem_index(s.problem_id) else {
                    return Ok(());
                };
                let mut changes = state.board.add_team(s.user_id);
                let more = state.board.submitted(
                    s.user_id,
                    problem,
                    s.id,
                    s.submitted_at - state.contest.start_at,
                );
                changes.public.extend(more.public);
                changes.jury.extend(more.jury);
                changes
            }
            LeaderboardMsg::Judged(s) => match judged_of(&state.contest, &s) {
                Some(j) => state.board.judged(&j),
                None => return Ok(()),
            },
            LeaderboardMsg::Unfreeze => state.board.unfreeze(),
            LeaderboardMsg::Inject(j) => state.board.judged(&j),
            LeaderboardMsg::Snapshot(view, reply) => {
                let _ = reply.send(state.snapshot(view, false));
                return Ok(());
            }
        };
        let mut changes = changes;
        changes.public.sort();
        changes.public.dedup();
        changes.jury.sort();
        changes.jury.dedup();
        state.publish(&self.hub, changes);
        Ok(())
    }
}
