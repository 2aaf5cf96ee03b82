//! Cross-node fan-out: the bridged Hub's publications go to Redis pub/sub, and each node
//! subscribes to the channels its own clients use and relays what arrives to its Hub.
//!
//! A message on `codehub:<db>:ch:<channel>` is `"<seq> <type> <ts> <data JSON>"`. Publishers
//! that own a channel's `seq` (a contest's owner for its scoreboards) send theirs; for
//! the other channels (verdict streams, which several nodes may publish on) a script
//! takes the next number from `codehub:seq:<channel>` and publishes in one step, so every
//! node sees one order. Each node builds the client bytes once per message
//! ([`encode_raw`]) and its Hub shares them between its subscribers.

use super::contests::RedisCluster;
use super::wire::{PubSubNames, seq_counter};
use codehub_engine::actors::hub::{HubMsg, Outgoing, Publication, encode_raw};
use codehub_engine::model::now_ms;
use fred::clients::SubscriberClient;
use fred::prelude::*;
use ractor::ActorRef;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::mpsc::Receiver;

/// Numbers and publishes a message in one step.
const NUMBER_AND_PUBLISH: &str = "local s = redis.call('INCR', KEYS[1]) \
    redis.call('PUBLISH', KEYS[2], s .. ' ' .. ARGV[1]) return s";

/// Sends the bridged Hub's publications to Redis, in order (the reading end of the
/// Hub's bounded [`Bridge`](codehub_engine::actors::hub::Bridge)).
pub async fn publish(client: Client, names: PubSubNames, mut rx: Receiver<Publication>) {
    while let Some(p) = rx.recv().await {
        let data = match serde_json::to_string(&p.data) {
            Ok(d) => d,
            Err(e) => {
                tracing::warn!(channel = %p.channel, error = %e, "unserialisable publication");
                continue;
            }
        };
        let body = format!("{} {} {}", p.kind.as_str(), now_ms(), data);
        let sent: Result<(), Error> = match p.seq {
            Some(seq) => client
                .publish::<i64, _, _>(names.hub_channel(&p.channel), format!("{seq} {body}"))
                .await
                .map(|_| ()),
            None => client
                .eval::<i64, _, _, _>(
                    NUMBER_AND_PUBLISH,
                    vec![seq_counter(&p.channel), names.hub_channel(&p.channel)],
                    vec![body],
                )
                .await
                .map(|_| ()),
        };
        if let Err(e) = sent {
            tracing::warn!(channel = %p.channel, error = %e, "publishing to the cluster");
        }
    }
}

/// Parses a relayed message into what the Hub delivers.
pub fn parse(channel: &str, payload: &str) -> Option<Outgoing> {
    let mut parts = payload.splitn(4, ' ');
    let seq: u64 = parts.next()?.parse().ok()?;
    let kind = parts.next()?;
    let ts: i64 = parts.next()?.parse().ok()?;
    let data = parts.next()?;
    Some(Outgoing {
        channel: Arc::from(channel),
        seq,
        bytes: encode_raw(channel, seq, kind, ts, data),
        ts,
    })
}

/// This node's pub/sub side: which Hub channels its clients watch.
pub struct Relay {
    subscriber: SubscriberClient,
    names: PubSubNames,
    /// Local watchers per Hub channel.
    watchers: tokio::sync::Mutex<HashMap<String, usize>>,
}

impl Relay {
    /// Connects the subscriber and starts relaying to `hub`; answers to this node's
    /// snapshot requests go to `cluster`. After a reconnect (messages may have been lost)
    /// every local client resynchronises and the owned contests reload from the store.
    pub async fn start(
        url: &str,
        hub: ActorRef<HubMsg>,
        cluster: Arc<RedisCluster>,
    ) -> anyhow::Result<Arc<Relay>> {
        let config = Config::from_url(url)?;
        let subscriber = Builder::from_config(config)
            .with_performance_config(|p| p.broadcast_channel_capacity = 1 << 14)
            .set_policy(ReconnectPolicy::new_exponential(0, 100, 2_000, 2))
            .build_subscriber_client()?;
        subscriber.init().await?;
        drop(subscriber.manage_subscriptions());
        subscriber.subscribe(cluster.reply_channel()).await?;
        let mut messages = subscriber.message_rx();
        let replies = cluster.reply_channel();
        let names = cluster.names().clone();
        let relay_names = names.clone();
        let relay_hub = hub.clone();
        let relay_cluster = cluster.clone();
        tokio::spawn(async move {
            loop {
                match messages.recv().await {
                    Ok(m) => {
                        let Some(payload) = m.value.as_str() else {
                            continue;
                        };
                        if *m.channel == *replies {
                            relay_cluster.deliver_reply(&payload);
                        } else if let Some(channel) = relay_names.hub_channel_of(&m.channel)
                            && let Some(out) = parse(channel, &payload)
                        {
                            let _ = relay_hub.send_message(HubMsg::Relay(out));
                        }
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => {
                        tracing::warn!(missed = n, "relay fell behind; clients resynchronise");
                        let _ = relay_hub.send_message(HubMsg::ResyncAll);
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
                }
            }
        });
        let mut reconnects = subscriber.reconnect_rx();
        tokio::spawn(async move {
            while reconnects.recv().await.is_ok() {
                tracing::warn!("Redis reconnected: resynchronising from the store");
                let _ = hub.send_message(HubMsg::ResyncAll);
                cluster.resync_owned().await;
            }
        });
        Ok(Arc::new(Relay {
            subscriber,
            names,
            watchers: tokio::sync::Mutex::new(HashMap::new()),
        }))
    }

    /// A local client watches `channel`: subscribed on Redis before this returns.
    ///
    /// # Errors
    /// If Redis refuses the subscription.
    pub async fn watch(&self, channel: &str) -> Result<(), Error> {
        let mut watchers = self.watchers.lock().await;
        let n = watchers.entry(channel.to_owned()).or_default();
        if *n == 0 {
            self.subscriber
                .subscribe(self.names.hub_channel(channel))
                .await?;
        }
        *n += 1;
        Ok(())
    }

    /// A local client stopped watching `channel`; the last one unsubscribes.
    pub async fn unwatch(&self, channel: &str) {
        let mut watchers = self.watchers.lock().await;
        if let Some(n) = watchers.get_mut(channel) {
            *n -= 1;
            if *n == 0 {
                watchers.remove(channel);
                let _ = self
                    .subscriber
                    .unsubscribe(self.names.hub_channel(channel))
                    .await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pub_sub_names_carry_the_database() {
        let one = PubSubNames::for_url("redis://127.0.0.1:6379/1").unwrap();
        let zero = PubSubNames::for_url("redis://127.0.0.1:6379").unwrap();
        assert_eq!(
            one.hub_channel("contest/1/scoreboard"),
            "codehub:1:ch:contest/1/scoreboard"
        );
        assert_ne!(one.hub_channel("x"), zero.hub_channel("x"));
        assert_eq!(
            one.hub_channel_of(&one.hub_channel("user/3/submissions")),
            Some("user/3/submissions")
        );
        assert_eq!(zero.hub_channel_of(&one.hub_channel("x")), None);
        assert_eq!(one.hub_channel_of(&one.rpc_replies("n")), None);
    }

    #[test]
    fn a_relayed_message_becomes_the_client_wire_format() {
        let out = parse("contest/1/scoreboard", r#"42 delta 1700 {"rows":[1, 2]}"#).unwrap();
        assert_eq!(out.seq, 42);
        let json: serde_json::Value = serde_json::from_slice(&out.bytes).unwrap();
        assert_eq!(json["channel"], "contest/1/scoreboard");
        assert_eq!(json["seq"], 42);
        assert_eq!(json["type"], "delta");
        assert_eq!(json["ts"], 1700);
        assert_eq!(json["data"]["rows"][1], 2);
        assert!(parse("c", "x delta 1 {}").is_none());
        assert!(parse("c", "1 delta").is_none());
    }
}
