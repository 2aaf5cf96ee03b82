//! Engine: start (requeue from the store), cluster fencing, shutdown.

use crate::support::{fast, seed, wait_for};
use codehub_engine::Verdict;
use codehub_engine::actors::hub::bridge;
use codehub_engine::actors::{ClusterHooks, Engine, EngineConfig, SHUTDOWN_TIMEOUT};
use codehub_engine::model::{
    ContestId, ProblemId, Submission, SubmissionStatus, SubmittedFile, UserId, now_ms,
};
use codehub_engine::ports::store::NewSubmission;
use codehub_engine::ports::store::prelude::*;
use codehub_engine::testing::{MemoryCluster, MemoryStore, ScriptedJudge, judgement_of};
use ractor::ActorStatus;
use std::sync::Arc;
use std::time::{Duration, Instant};

async fn stored(
    store: &MemoryStore,
    user: UserId,
    problem: ProblemId,
    contest: Option<ContestId>,
) -> Submission {
    store
        .create_submission(NewSubmission {
            user_id: user,
            contest_id: contest,
            problem_id: problem,
            language: "c".into(),
            files: vec![SubmittedFile {
                name: "a.c".into(),
                contents: "int main(void) { return 0; }".into(),
            }],
            submitted_at: now_ms(),
        })
        .await
        .unwrap()
}

async fn done(store: &MemoryStore, s: &Submission) -> bool {
    store.submission(s.id).await.unwrap().unwrap().status == SubmissionStatus::Done
}

#[tokio::test]
async fn start_requeues_what_the_store_has_not_seen_judged() {
    let store = Arc::new(MemoryStore::new());
    let (user, problem, contest) = seed(&store, |_| {}).await;
    let queued = stored(&store, user, problem, None).await;
    let judging = stored(&store, user, problem, Some(contest)).await;
    store.mark_judging(judging.id).await.unwrap();
    let finished = stored(&store, user, problem, Some(contest)).await;
    store
        .finish_submission(finished.id, &judgement_of(Verdict::WrongAnswer))
        .await
        .unwrap();

    let judge = Arc::new(ScriptedJudge::new());
    let engine = Engine::start(store.clone(), judge.clone(), fast())
        .await
        .unwrap();
    for s in [&queued, &judging] {
        wait_for(|| async { done(&store, s).await.then_some(()) }).await;
        assert_eq!(judge.calls(s.id), 1);
    }
    assert_eq!(
        judge.calls(finished.id),
        0,
        "a judged submission stays judged"
    );
    let verdict = store
        .submission(finished.id)
        .await
        .unwrap()
        .unwrap()
        .judgement
        .unwrap()
        .verdict;
    assert_eq!(verdict, Verdict::WrongAnswer);
    engine.shutdown().await.unwrap();
}

#[tokio::test]
async fn in_a_cluster_only_the_owner_judges_and_only_under_the_latest_fence() {
    let store = Arc::new(MemoryStore::new());
    let (user, problem, contest) = seed(&store, |_| {}).await;
    let practice = stored(&store, user, problem, None).await;
    let in_contest = stored(&store, user, problem, Some(contest)).await;
    // Another node took the contest after us: our token (1) is stale.
    assert_eq!(store.advance_fence(contest).await.unwrap(), 1);
    assert_eq!(store.advance_fence(contest).await.unwrap(), 2);
    let cluster = Arc::new(MemoryCluster::default());
    let judge = Arc::new(ScriptedJudge::new());
    let (bridge, _) = bridge();
    let engine = Engine::start(
        store.clone(),
        judge.clone(),
        EngineConfig {
            cluster: Some(ClusterHooks {
                cluster: cluster.clone(),
                bridge,
            }),
            ..fast()
        },
    )
    .await
    .unwrap();
    wait_for(|| async { done(&store, &practice).await.then_some(()) }).await;
    assert_eq!(
        judge.calls(in_contest.id),
        0,
        "a contest's owner requeues its own"
    );

    // As the owner does when it takes the contest.
    engine.requeue_contest(contest).await.unwrap();
    wait_for(|| async { (judge.calls(in_contest.id) == 1).then_some(()) }).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(!done(&store, &in_contest).await, "fenced off: not stored");

    // This node owns it again, with the latest token.
    cluster.set_role(
        contest,
        codehub_engine::ports::cluster::Role::Owner { fence: 2 },
    );
    engine.reassign(contest).await.unwrap();
    engine.requeue_contest(contest).await.unwrap();
    wait_for(|| async { done(&store, &in_contest).await.then_some(()) }).await;
    engine.shutdown().await.unwrap();
}

#[tokio::test]
async fn shutdown_returns_once_every_actor_of_the_tree_has_stopped() {
    let w = crate::support::world(fast()).await;
    let s = w
        .engine
        .submit(w.user, w.request(Some(w.contest)))
        .await
        .unwrap();
    w.judged(s.id).await;
    let tree = w.engine.actors();
    // 4 roots, 2 judges, a user, a contest and its leaderboard.
    assert!(tree.len() >= 9, "{} actors", tree.len());
    let started = Instant::now();
    w.engine.shutdown().await.unwrap();
    assert!(started.elapsed() < SHUTDOWN_TIMEOUT);
    for cell in &tree {
        assert_eq!(
            cell.get_status(),
            ActorStatus::Stopped,
            "{:?}",
            cell.get_name()
        );
    }
    // A stopped engine refuses work instead of hanging.
    assert!(w.engine.submit(w.user, w.request(None)).await.is_err());
}
