//! LeaderboardActor: `seq` invariants of snapshots and deltas, the freeze.

use crate::support::{fast, minutes, subscribe, wait_for, world, world_with};
use codehub_engine::Verdict;
use codehub_engine::actors::leaderboard::{jury_channel, public_channel};
use codehub_engine::model::SubmissionId;
use codehub_engine::scoring::View;
use codehub_engine::testing::Script;

fn seqs(messages: &[serde_json::Value]) -> Vec<u64> {
    messages
        .iter()
        .map(|m| m["seq"].as_u64().unwrap())
        .collect()
}

fn consecutive(seqs: &[u64]) -> bool {
    seqs.windows(2).all(|w| w[1] == w[0] + 1)
}

#[tokio::test]
async fn deltas_are_consecutive_and_a_snapshot_carries_the_last_seq() {
    let w = world(fast()).await;
    w.judge
        .script(SubmissionId(1), Script::verdict(Verdict::WrongAnswer));
    let mut jury = subscribe(w.engine.hub(), &jury_channel(w.contest), 1024).await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(
            w.engine
                .submit(w.user, w.request(Some(w.contest)))
                .await
                .unwrap()
                .id,
        );
    }
    for id in &ids {
        w.judged(*id).await;
    }
    let snapshot = wait_for(|| async {
        let b = w.engine.scoreboard(w.contest, View::Jury).await.unwrap();
        (b.rows.first().map(|r| (r.solved, r.cells[0].pending)) == Some((1, 0))).then_some(b)
    })
    .await;
    let got = jury
        .until(|m| m["seq"].as_u64() == Some(snapshot.seq))
        .await;
    let seqs = seqs(&got);
    assert!(consecutive(&seqs), "{seqs:?}");
    assert_eq!(got[0]["type"], "snapshot", "a new board announces itself");
    assert!(got[1..].iter().all(|m| m["type"] == "delta"));
    assert_eq!(*seqs.last().unwrap(), snapshot.seq);
    // The last delta shows what the snapshot shows.
    let last = &got.last().unwrap()["data"]["rows"][0];
    assert_eq!(last["solved"], 1);
    assert_eq!(last["penalty"], snapshot.rows[0].penalty);
    assert!(jury.drain().is_empty(), "nothing after the snapshot's seq");
}

#[tokio::test]
async fn the_freeze_hides_results_on_the_public_channel_and_unfreeze_reveals_them() {
    let w = world_with(fast(), |c| c.freeze_at = Some(minutes(-5))).await;
    let mut public = subscribe(w.engine.hub(), &public_channel(w.contest), 1024).await;
    let s = w
        .engine
        .submit(w.user, w.request(Some(w.contest)))
        .await
        .unwrap();
    w.judged(s.id).await;
    // The jury sees it; the public channel said only "pending".
    wait_for(|| async {
        let b = w.engine.scoreboard(w.contest, View::Jury).await.unwrap();
        (b.rows[0].solved == 1).then_some(())
    })
    .await;
    let snapshot = w.engine.scoreboard(w.contest, View::Public).await.unwrap();
    let before = public
        .until(|m| m["seq"].as_u64() == Some(snapshot.seq))
        .await;
    assert!(before.iter().all(|m| m["data"]["frozen"] == true));
    assert!(
        before
            .iter()
            .flat_map(|m| m["data"]["rows"].as_array().unwrap().clone())
            .all(|r| r["solved"] == 0),
        "{before:?}"
    );

    w.engine.unfreeze(w.contest).await.unwrap();
    let reveal = public.next().await;
    assert_eq!(
        reveal["type"], "snapshot",
        "a rebuilt board is announced in-stream"
    );
    assert_eq!(
        reveal["seq"].as_u64(),
        Some(snapshot.seq + 1),
        "the sequence goes on"
    );
    assert_eq!(reveal["data"]["frozen"], false);
    assert_eq!(reveal["data"]["rows"][0]["solved"], 1);
    assert_eq!(reveal["data"]["seq"], reveal["seq"]);
}

#[tokio::test]
async fn a_reloaded_board_continues_its_channels_sequence() {
    let w = world(fast()).await;
    let mut jury = subscribe(w.engine.hub(), &jury_channel(w.contest), 1024).await;
    let s = w
        .engine
        .submit(w.user, w.request(Some(w.contest)))
        .await
        .unwrap();
    w.judged(s.id).await;
    let before = wait_for(|| async {
        let b = w.engine.scoreboard(w.contest, View::Jury).await.unwrap();
        (b.rows[0].solved == 1).then_some(b)
    })
    .await;
    jury.until(|m| m["seq"].as_u64() == Some(before.seq)).await;
    w.engine.contest_updated(w.contest).await.unwrap();
    let announced = jury.next().await;
    assert_eq!(announced["type"], "snapshot");
    assert_eq!(announced["seq"].as_u64(), Some(before.seq + 1));
    let after = w.engine.scoreboard(w.contest, View::Jury).await.unwrap();
    assert_eq!(after.seq, before.seq + 1);
    assert_eq!(
        after.rows, before.rows,
        "rebuilt from the store: the same board"
    );
}
