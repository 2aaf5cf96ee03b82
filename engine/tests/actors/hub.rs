//! Hub: subscribers, a subscriber's bounded queue, the bounded cluster bridge.

use crate::support::{subscribe, wait_for};
use codehub_engine::actors::hub::{Hub, HubMsg, Outgoing, Publication};
use ractor::Actor;
use std::time::Duration;
use tokio::sync::mpsc;

fn publication(channel: &str, n: u64) -> HubMsg {
    HubMsg::Publish(Publication {
        channel: channel.into(),
        seq: None,
        kind: codehub_protocol::ws::MessageKind::Delta,
        data: serde_json::json!({ "n": n }),
    })
}

#[tokio::test]
async fn a_slow_subscriber_is_marked_lagged_and_never_holds_the_hub_back() {
    let (hub, _) = Actor::spawn(None, Hub::default(), ()).await.unwrap();
    let mut slow = subscribe(&hub, "c", 2).await;
    let mut fast = subscribe(&hub, "c", 256).await;
    let mut other = subscribe(&hub, "d", 8).await;
    for n in 1..=100 {
        hub.send_message(publication("c", n)).unwrap();
    }
    // The Hub answers at once: it did not wait for the slow queue.
    let last = ractor::call_t!(hub, HubMsg::LastSeq, 1000, "c".into()).unwrap();
    assert_eq!(last, 100);
    // The writer threads deliver after the Hub has moved on.
    let got: Vec<u64> = fast
        .until(|m| m["seq"] == 100)
        .await
        .iter()
        .map(|m| m["seq"].as_u64().unwrap())
        .collect();
    // Each subscriber's writer runs on its own: the fast one's last delivery does not
    // mean the slow one's writer has found its queue full yet.
    wait_for(|| async { slow.is_lagged().then_some(()) }).await;
    assert_eq!(slow.drain().len(), 2, "the queue's capacity, then nothing");
    assert!(!fast.is_lagged());
    assert_eq!(got, (1..=100).collect::<Vec<_>>());
    assert!(other.drain().is_empty(), "another channel gets nothing");
    hub.stop(None);
}

#[tokio::test]
async fn a_resubscriber_with_since_gets_the_backlog_from_the_ring() {
    let (hub, _) = Actor::spawn(None, Hub::default(), ()).await.unwrap();
    for n in 1..=5 {
        hub.send_message(publication("c", n)).unwrap();
    }
    let (subscriber, _rx) = codehub_engine::actors::hub::QueueInbox::new(8);
    let backlog: Option<Vec<Outgoing>> = ractor::call!(hub, |reply| HubMsg::Subscribe {
        channel: "c".into(),
        conn: 7,
        subscriber,
        since: Some(3),
        reply,
    })
    .unwrap();
    let seqs: Vec<u64> = backlog.unwrap().iter().map(|o| o.seq).collect();
    assert_eq!(seqs, [4, 5]);
    hub.stop(None);
}

#[tokio::test]
async fn a_full_bridge_drops_publications_and_resyncs_subscribers_once_it_drains() {
    let (bridge, mut out) = mpsc::channel(4);
    let (hub, _) = Actor::spawn(
        None,
        Hub {
            bridge: Some(bridge),
        },
        (),
    )
    .await
    .unwrap();
    let watcher = subscribe(&hub, "c", 8).await;
    for n in 1..=10 {
        hub.send_message(publication("c", n)).unwrap();
    }
    let dropped = ractor::call!(hub, HubMsg::BridgeDropped).unwrap();
    assert_eq!(dropped, 6, "the bridge holds 4; the Hub did not wait");
    // Still full: nobody is told to resync yet.
    tokio::time::sleep(Duration::from_millis(250)).await;
    assert!(!watcher.is_lagged());
    // The cluster's publisher catches up: every local subscriber resyncs.
    let mut sent = Vec::new();
    while let Ok(p) = out.try_recv() {
        sent.push(p.data["n"].as_u64().unwrap());
    }
    assert_eq!(sent, [1, 2, 3, 4], "the first ones went through, in order");
    wait_for(|| async { watcher.is_lagged().then_some(()) }).await;
    hub.send_message(publication("c", 11)).unwrap();
    assert_eq!(
        out.recv().await.unwrap().data["n"],
        11,
        "and it flows again"
    );
    assert_eq!(ractor::call!(hub, HubMsg::BridgeDropped).unwrap(), 6);
    hub.stop(None);
}
