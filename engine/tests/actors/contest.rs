//! ContestActor: the submission window, the frozen and jury views, rejudges, followers.

use crate::support::{World, fast, minutes, wait_for, world, world_with};
use codehub_engine::Verdict;
use codehub_engine::actors::contest::{OUTBOX_CAPACITY, Refusal};
use codehub_engine::actors::hub::bridge;
use codehub_engine::actors::user::SubmitError;
use codehub_engine::actors::{ClusterHooks, Engine, EngineConfig};
use codehub_engine::model::{ContestId, ContestKind, SubmissionId, SubmissionStatus, UserId};
use codehub_engine::ports::cluster::{ContestEvent, Role};
use codehub_engine::ports::store::prelude::*;
use codehub_engine::scoring::{ScoreboardSnapshot, View};
use codehub_engine::testing::{MemoryCluster, MemoryStore, Script, ScriptedJudge, Step};
use std::sync::Arc;

#[tokio::test]
async fn submissions_are_refused_outside_the_window_and_nothing_is_stored() {
    let before = world_with(fast(), |c| {
        c.start_at = minutes(10);
        c.end_at = minutes(70);
    })
    .await;
    let refused = before
        .engine
        .submit(before.user, before.request(Some(before.contest)))
        .await
        .unwrap_err();
    assert!(
        matches!(
            refused,
            SubmitError::Refused(Refusal::OutsideWindow("scheduled"))
        ),
        "{refused:?}"
    );

    let after = world_with(fast(), |c| {
        c.start_at = minutes(-70);
        c.end_at = minutes(-10);
    })
    .await;
    let refused = after
        .engine
        .submit(after.user, after.request(Some(after.contest)))
        .await
        .unwrap_err();
    assert!(
        matches!(
            refused,
            SubmitError::Refused(Refusal::OutsideWindow("ended"))
        ),
        "{refused:?}"
    );

    for w in [&before, &after] {
        assert!(
            w.store
                .user_submissions(w.user, None)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(w.judge.jobs().is_empty());
    }
}

#[tokio::test]
async fn a_problem_outside_the_contest_or_an_unknown_contest_is_refused() {
    let w = world(fast()).await;
    let mut other = w.request(Some(w.contest));
    other.problem_id = w
        .store
        .create_problem(crate::support::problem("other", true))
        .await
        .unwrap()
        .id;
    let refused = w.engine.submit(w.user, other).await.unwrap_err();
    assert!(
        matches!(
            refused,
            SubmitError::Refused(Refusal::ProblemNotInContest(_))
        ),
        "{refused:?}"
    );
    let unknown = w
        .engine
        .submit(w.user, w.request(Some(ContestId(999))))
        .await
        .unwrap_err();
    assert!(
        matches!(unknown, SubmitError::UnknownContest(ContestId(999))),
        "{unknown:?}"
    );
    assert!(
        w.store
            .user_submissions(w.user, None)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn an_ioi_contest_runs_every_test_and_an_icpc_one_stops_at_the_first_failure() {
    let icpc = world(fast()).await;
    let ioi = world_with(fast(), |c| c.kind = ContestKind::Ioi).await;
    for (w, all) in [(&icpc, false), (&ioi, true)] {
        let s = w
            .engine
            .submit(w.user, w.request(Some(w.contest)))
            .await
            .unwrap();
        w.judged(s.id).await;
        let jobs = w.judge.jobs();
        assert_eq!(jobs.len(), 1);
        assert_eq!(jobs[0].run_all_tests, all);
    }
}

fn solved(board: &ScoreboardSnapshot, team: UserId) -> Option<u32> {
    board.rows.iter().find(|r| r.team == team).map(|r| r.solved)
}

#[tokio::test]
async fn the_public_board_hides_results_while_frozen_and_shows_them_after_unfreeze() {
    let w = world_with(fast(), |c| c.freeze_at = Some(minutes(-5))).await;
    let s = w
        .engine
        .submit(w.user, w.request(Some(w.contest)))
        .await
        .unwrap();
    w.judged(s.id).await;
    let jury = wait_for(|| async {
        let b = w.engine.scoreboard(w.contest, View::Jury).await.unwrap();
        (solved(&b, w.user) == Some(1)).then_some(b)
    })
    .await;
    assert!(!jury.rows.is_empty());
    let public = w.engine.scoreboard(w.contest, View::Public).await.unwrap();
    assert!(public.frozen);
    assert_eq!(solved(&public, w.user), Some(0), "hidden by the freeze");
    assert_eq!(public.rows[0].cells[0].pending, 1, "shown as pending");

    w.engine.unfreeze(w.contest).await.unwrap();
    let public = w.engine.scoreboard(w.contest, View::Public).await.unwrap();
    assert!(!public.frozen);
    assert_eq!(solved(&public, w.user), Some(1));
    assert!(w.store.contest(w.contest).await.unwrap().unwrap().unfrozen);
}

#[tokio::test]
async fn a_rejudge_clears_the_judgement_and_the_board_follows_the_new_verdict() {
    let w = world(fast()).await;
    // Ids start at 1.
    w.judge.script(
        SubmissionId(1),
        Script::new([
            Step::Verdict(Verdict::Accepted),
            Step::Verdict(Verdict::WrongAnswer),
        ]),
    );
    let s = w
        .engine
        .submit(w.user, w.request(Some(w.contest)))
        .await
        .unwrap();
    assert_eq!(w.judged(s.id).await.verdict, Verdict::Accepted);
    wait_for(|| async {
        let b = w.engine.scoreboard(w.contest, View::Jury).await.unwrap();
        (solved(&b, w.user) == Some(1)).then_some(())
    })
    .await;

    assert!(w.engine.rejudge(s.id).await.unwrap());
    let verdict = wait_for(|| async {
        let s = w.store.submission(s.id).await.unwrap().unwrap();
        s.judgement
            .filter(|j| j.verdict != Verdict::Accepted)
            .map(|j| j.verdict)
    })
    .await;
    assert_eq!(verdict, Verdict::WrongAnswer);
    wait_for(|| async {
        let b = w.engine.scoreboard(w.contest, View::Jury).await.unwrap();
        (solved(&b, w.user) == Some(0)).then_some(())
    })
    .await;
    assert_eq!(w.judge.calls(s.id), 2);
    assert!(!w.engine.rejudge(SubmissionId(999)).await.unwrap());
}

#[tokio::test]
async fn requeueing_a_contest_does_not_judge_a_submission_twice() {
    let w = world(fast()).await;
    w.judge.set_default(
        Script::verdict(Verdict::Accepted).delay(std::time::Duration::from_millis(100)),
    );
    let s = w
        .engine
        .submit(w.user, w.request(Some(w.contest)))
        .await
        .unwrap();
    for _ in 0..3 {
        w.engine.requeue_contest(w.contest).await.unwrap();
    }
    w.judged(s.id).await;
    // Requeued once more after it is done: nothing left to requeue.
    w.engine.requeue_contest(w.contest).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert_eq!(w.judge.calls(s.id), 1);
}

/// A follower engine: the cluster says another node owns every contest.
async fn follower(cluster: Arc<MemoryCluster>) -> World {
    let store = Arc::new(MemoryStore::new());
    let judge = Arc::new(ScriptedJudge::new());
    let (user, problem, contest) = crate::support::seed(&store, |_| {}).await;
    // Nobody reads the bridge: publications are dropped, which these tests ignore.
    let (bridge, _) = bridge();
    let config = EngineConfig {
        cluster: Some(ClusterHooks {
            cluster: cluster.clone(),
            bridge,
        }),
        ..fast()
    };
    let engine = Engine::start(store.clone(), judge.clone(), config)
        .await
        .unwrap();
    World {
        engine,
        store,
        judge,
        user,
        problem,
        contest,
    }
}

#[tokio::test]
async fn a_follower_stores_forwards_and_judges_nothing() {
    let cluster = Arc::new(MemoryCluster::new(Role::Follower));
    let w = follower(cluster.clone()).await;
    let s = w
        .engine
        .submit(w.user, w.request(Some(w.contest)))
        .await
        .unwrap();
    assert_eq!(
        w.store.submission(s.id).await.unwrap().unwrap().status,
        SubmissionStatus::Queued,
        "durable before the answer"
    );
    let forwarded = wait_for(|| async {
        let f = cluster.forwarded();
        (!f.is_empty()).then_some(f)
    })
    .await;
    assert_eq!(
        forwarded,
        vec![(w.contest, ContestEvent::Submitted { id: s.id })]
    );
    assert_eq!(w.engine.role(w.contest).await.unwrap(), Role::Follower);
    assert!(w.judge.jobs().is_empty(), "the owner judges it");

    // Snapshots come from the owner.
    let board = ScoreboardSnapshot {
        contest_id: w.contest,
        view: View::Public,
        frozen: false,
        problems: vec!["A".into()],
        seq: 42,
        rows: vec![],
    };
    cluster.set_snapshot(board);
    let got = w.engine.scoreboard(w.contest, View::Public).await.unwrap();
    assert_eq!(got.seq, 42);
}

#[tokio::test]
async fn a_full_outbox_drops_events_and_then_asks_the_owner_to_reload() {
    let cluster = Arc::new(MemoryCluster::new(Role::Follower));
    cluster.pause_forwards(true);
    let World {
        engine,
        user,
        contest,
        ..
    } = follower(cluster.clone()).await;
    let sent = OUTBOX_CAPACITY + 100;
    for i in 0..sent {
        engine
            .inject(contest, user, 0, Verdict::WrongAnswer, i as i64)
            .await
            .unwrap();
    }
    // Every inject has reached the actor once a query has been answered.
    engine.role(contest).await.unwrap();
    cluster.pause_forwards(false);
    let forwarded = wait_for(|| async {
        let f = cluster.forwarded();
        f.iter()
            .any(|(_, e)| *e == ContestEvent::Reload)
            .then_some(f)
    })
    .await;
    // Let the rest of the outbox through: the full outbox's worth of injects.
    let forwarded_all = wait_for(|| async {
        let f = cluster.forwarded();
        let injects = f
            .iter()
            .filter(|(_, e)| matches!(e, ContestEvent::Inject { .. }))
            .count();
        (injects >= OUTBOX_CAPACITY).then_some(f)
    })
    .await;
    let injected: Vec<i64> = forwarded_all
        .iter()
        .filter_map(|(_, e)| match e {
            ContestEvent::Inject { judged } => Some(judged.at),
            _ => None,
        })
        .collect();
    // A full outbox and the one event in the (paused) forwarder's hands; the rest of the
    // `sent` were dropped.
    assert!(
        injected.len() <= OUTBOX_CAPACITY + 1,
        "only a full outbox's worth forwarded ({} of {sent})",
        injected.len()
    );
    assert!(injected.windows(2).all(|w| w[0] < w[1]), "in order");
    let reloads = forwarded_all
        .iter()
        .filter(|(_, e)| *e == ContestEvent::Reload)
        .count();
    assert_eq!(reloads, 1, "one reload for the whole overflow");
    assert!(forwarded.iter().all(|(c, _)| *c == contest));
}
