//! UserActor: the rate limit, the checks before anything is stored, passivation.

use crate::support::{fast, subscribe, wait_for, world};
use codehub_engine::actors::contest::StartError;
use codehub_engine::actors::hub::bridge;
use codehub_engine::actors::judge_pool::user_channel;
use codehub_engine::actors::user::{RateLimit, SubmitError};
use codehub_engine::actors::{ClusterHooks, Engine, EngineConfig};
use codehub_engine::model::{ProblemId, SubmittedFile};
use codehub_engine::ports::cluster::ClusterError;
use codehub_engine::ports::store::prelude::*;
use codehub_engine::testing::{MemoryCluster, MemoryStore, ScriptedJudge};
use std::sync::Arc;
use std::time::Duration;

#[tokio::test]
async fn a_burst_over_the_rate_limit_is_refused_with_the_time_to_wait() {
    let w = world(EngineConfig {
        rate: RateLimit {
            burst: 2,
            refill_seconds: 60.0,
        },
        ..fast()
    })
    .await;
    for _ in 0..2 {
        w.engine.submit(w.user, w.request(None)).await.unwrap();
    }
    let refused = w.engine.submit(w.user, w.request(None)).await.unwrap_err();
    let SubmitError::RateLimited(wait) = refused else {
        panic!("{refused:?}")
    };
    assert!(
        wait > Duration::from_secs(50) && wait <= Duration::from_secs(60),
        "{wait:?}"
    );
    assert_eq!(
        w.store.user_submissions(w.user, None).await.unwrap().len(),
        2
    );
}

#[tokio::test]
async fn bad_submissions_are_refused_before_anything_is_stored() {
    let w = world(fast()).await;
    let mut empty = w.request(None);
    empty.files.clear();
    assert!(matches!(
        w.engine.submit(w.user, empty).await,
        Err(SubmitError::Empty)
    ));

    let mut large = w.request(None);
    large.files.push(SubmittedFile {
        name: "big.h".into(),
        contents: "x".repeat(2000),
    });
    let e = w.engine.submit(w.user, large).await.unwrap_err();
    assert!(
        matches!(e, SubmitError::SourceTooLarge { limit: 1024, .. }),
        "{e:?}"
    );

    let mut unknown = w.request(None);
    unknown.problem_id = ProblemId(999);
    assert!(matches!(
        w.engine.submit(w.user, unknown).await,
        Err(SubmitError::UnknownProblem(ProblemId(999)))
    ));

    let closed = w
        .store
        .create_problem(crate::support::problem("closed", false))
        .await
        .unwrap();
    let mut practice = w.request(None);
    practice.problem_id = closed.id;
    assert!(matches!(
        w.engine.submit(w.user, practice).await,
        Err(SubmitError::NotPractice(_))
    ));

    assert!(
        w.store
            .user_submissions(w.user, None)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(w.judge.jobs().is_empty());
}

#[tokio::test]
async fn an_accepted_submission_is_stored_and_announced_before_the_answer() {
    let w = world(fast()).await;
    let mut stream = subscribe(w.engine.hub(), &user_channel(w.user), 64).await;
    let s = w
        .engine
        .submit(w.user, w.request(Some(w.contest)))
        .await
        .unwrap();
    let stored = w.store.submission(s.id).await.unwrap().expect("durable");
    assert_eq!(stored.files, s.files);
    let first = stream.next().await;
    assert_eq!(first["type"], "status");
    assert_eq!(first["data"]["state"], "queued");
    assert_eq!(first["data"]["submission_id"], s.id.0);
}

#[tokio::test]
async fn idle_user_actors_passivate_and_come_back_on_demand() {
    let w = world(EngineConfig {
        // Long enough that the count right after a submission sees the actor even on a
        // loaded machine; passivation is then waited for.
        user_idle: Duration::from_millis(500),
        ..fast()
    })
    .await;
    let first = w.engine.submit(w.user, w.request(None)).await.unwrap();
    assert_eq!(w.engine.active_users().await.unwrap(), 1);
    wait_for(|| async { (w.engine.active_users().await.unwrap() == 0).then_some(()) }).await;
    let second = w.engine.submit(w.user, w.request(None)).await.unwrap();
    assert!(second.id > first.id);
    assert_eq!(w.engine.active_users().await.unwrap(), 1);
    w.judged(second.id).await;
}

#[tokio::test]
async fn a_contest_whose_actor_cannot_start_is_unavailable_not_unknown() {
    let store = Arc::new(MemoryStore::new());
    let (user, problem, contest) = crate::support::seed(&store, |_| {}).await;
    let cluster = Arc::new(MemoryCluster::default());
    cluster.set_failure(Some(ClusterError::Timeout("Redis is away".into())));
    let (bridge, _) = bridge();
    let engine = Engine::start(
        store.clone(),
        Arc::new(ScriptedJudge::new()),
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
    let w = crate::support::World {
        engine,
        store,
        judge: Arc::new(ScriptedJudge::new()),
        user,
        problem,
        contest,
    };
    let e = w
        .engine
        .submit(w.user, w.request(Some(contest)))
        .await
        .unwrap_err();
    assert!(
        matches!(
            &e,
            SubmitError::ContestUnavailable {
                cause: StartError::Cluster(ClusterError::Timeout(_)),
                ..
            }
        ),
        "{e:?}"
    );
    assert!(
        w.store
            .user_submissions(user, None)
            .await
            .unwrap()
            .is_empty()
    );
    // The cluster is back: the next request starts the actor.
    cluster.set_failure(None);
    w.engine
        .submit(w.user, w.request(Some(contest)))
        .await
        .unwrap();
}
