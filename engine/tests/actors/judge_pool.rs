//! JudgePool and JudgeActors: supervision, retries, progress, a hung judge.

use crate::support::{fast, subscribe, wait_for, world};
use codehub_engine::Verdict;
use codehub_engine::actors::judge_pool::user_channel;
use codehub_engine::actors::{EngineConfig, Faults};
use codehub_engine::model::SubmissionId;
use codehub_engine::ports::judging::JudgeProgress;
use codehub_engine::ports::store::prelude::*;
use codehub_engine::scoring::View;
use codehub_engine::testing::{Script, Step};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A hook that fires (returns true) only on its first call.
fn once(counter: Arc<AtomicUsize>) -> Arc<dyn Fn(SubmissionId) -> bool + Send + Sync> {
    Arc::new(move |_| counter.fetch_add(1, Ordering::SeqCst) == 0)
}

#[tokio::test]
async fn a_crashed_judge_actor_is_replaced_and_its_job_judged_exactly_once() {
    let fired = Arc::new(AtomicUsize::new(0));
    let w = world(EngineConfig {
        faults: Faults {
            judge_actor: Some(once(fired.clone())),
            ..Faults::default()
        },
        ..fast()
    })
    .await;
    let s = w
        .engine
        .submit(w.user, w.request(Some(w.contest)))
        .await
        .unwrap();
    assert_eq!(w.judged(s.id).await.verdict, Verdict::Accepted);
    assert!(
        fired.load(Ordering::SeqCst) >= 2,
        "the first actor panicked, a second ran it"
    );
    assert_eq!(w.judge.calls(s.id), 1, "judged exactly once");
    let judged_events = w
        .store
        .events(Some(w.contest), 0)
        .await
        .unwrap()
        .into_iter()
        .filter(|(_, kind, payload, _)| kind == "judged" && payload["submission_id"] == s.id.0)
        .count();
    assert_eq!(judged_events, 1);
    let stats = w.engine.queue_stats().await.unwrap();
    assert_eq!((stats.judges, stats.queued, stats.judging), (2, 0, 0));
    // The pool keeps working.
    let again = w.engine.submit(w.user, w.request(None)).await.unwrap();
    assert_eq!(w.judged(again.id).await.verdict, Verdict::Accepted);
}

#[tokio::test]
async fn a_crashed_contest_actor_restarts_and_recovers_its_board_from_the_store() {
    let fired = Arc::new(AtomicUsize::new(0));
    let w = world(EngineConfig {
        faults: Faults {
            contest_actor: Some(once(fired.clone())),
            ..Faults::default()
        },
        ..fast()
    })
    .await;
    let s = w
        .engine
        .submit(w.user, w.request(Some(w.contest)))
        .await
        .unwrap();
    w.judged(s.id).await;
    wait_for(|| async {
        let b = w.engine.scoreboard(w.contest, View::Jury).await.ok()?;
        b.rows
            .iter()
            .any(|r| r.team == w.user && r.solved == 1)
            .then_some(())
    })
    .await;
    assert_eq!(
        fired.load(Ordering::SeqCst),
        1,
        "the panic was injected once"
    );
    // The restarted actor handles new work.
    let second = w
        .engine
        .submit(w.user, w.request(Some(w.contest)))
        .await
        .unwrap();
    w.judged(second.id).await;
    assert_eq!(w.judge.calls(second.id), 1);
}

#[tokio::test]
async fn a_failed_judging_is_retried_and_never_blamed_on_the_contestant() {
    let w = world(fast()).await;
    w.judge.set_default(Script::new([
        Step::Fail("sandbox down".into()),
        Step::Verdict(Verdict::Accepted),
    ]));
    let s = w.engine.submit(w.user, w.request(None)).await.unwrap();
    assert_eq!(w.judged(s.id).await.verdict, Verdict::Accepted);
    assert_eq!(w.judge.calls(s.id), 2);
}

#[tokio::test]
async fn progress_and_the_verdict_reach_the_users_channel_in_order() {
    let w = world(fast()).await;
    w.judge
        .set_default(Script::verdict(Verdict::WrongAnswer).progress([
            JudgeProgress::Compiling,
            JudgeProgress::Running { test: 1, total: 2 },
            JudgeProgress::Running { test: 2, total: 2 },
        ]));
    let mut stream = subscribe(w.engine.hub(), &user_channel(w.user), 64).await;
    let s = w.engine.submit(w.user, w.request(None)).await.unwrap();
    let got = stream.until(|m| m["type"] == "verdict").await;
    let states: Vec<String> = got
        .iter()
        .map(|m| m["data"]["state"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        states,
        ["queued", "compiling", "running", "running", "done"]
    );
    assert!(got.iter().all(|m| m["data"]["submission_id"] == s.id.0));
    assert!(
        got.windows(2)
            .all(|p| p[1]["seq"].as_u64() == p[0]["seq"].as_u64().map(|s| s + 1))
    );
    assert_eq!(got.last().unwrap()["data"]["verdict"], "WA");
}

#[tokio::test]
async fn a_hung_judging_holds_only_its_own_slot() {
    let w = world(fast()).await;
    // Ids start at 1: the first submission hangs until released, then is accepted.
    w.judge.script(
        SubmissionId(1),
        Script::new([Step::Hang, Step::Verdict(Verdict::Accepted)]),
    );
    let hung = w.engine.submit(w.user, w.request(None)).await.unwrap();
    assert_eq!(hung.id, SubmissionId(1));
    let s = w.engine.submit(w.user, w.request(None)).await.unwrap();
    w.judged(s.id).await;
    let stats = w.engine.queue_stats().await.unwrap();
    assert_eq!(
        (stats.judging, stats.queued),
        (1, 0),
        "one slot hung, the other free"
    );
    assert!(
        w.store
            .submission(hung.id)
            .await
            .unwrap()
            .unwrap()
            .judgement
            .is_none()
    );
    w.judge.release_hung();
    assert_eq!(w.judged(hung.id).await.verdict, Verdict::Accepted);
    assert_eq!(w.judge.calls(hung.id), 2);
}
