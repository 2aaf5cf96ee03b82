//! The event feed (`contests/{id}/event-feed`): every change of the contest's API objects,
//! one NDJSON line each, with a `token` to resume from.
//!
//! **Recorder.** One task per contest (started by the first reader) keeps the feed: when
//! CodeHub's change stream says the contest changed (the Hub channels of its jury board,
//! its clarifications and its submissions) or a scheduled moment passes (start, freeze,
//! end, thaw), it recomputes the contest's objects ([`super::objects`]) and appends every
//! object whose jury, public or own-team view changed to the store's event log (kind
//! [`FEED_KIND`]). The log id is the token: tokens survive restarts and any node reading
//! the store can resume from any of them. A restarted recorder folds the log back into
//! what it last wrote, so it appends only real changes. In a cluster every node serving a
//! reader runs a recorder; each appends with a compare-and-append on the feed's last
//! token ([`EventLog::append_events_if_last`]), and one that lost the race folds the
//! winner's records in and compares again: one history, nothing written twice.
//!
//! [`EventLog::append_events_if_last`]: codehub_engine::ports::store::EventLog::append_events_if_last
//!
//! **Readers.** Each appended record is also published on the Hub channel
//! [`feed_channel`] (its `seq` is the token). A reader subscribes to it, then sends the log
//! from the store (after `since_token`, or from the start; only each object's newest
//! record), then follows the channel; if its queue overflows it reads the gap back from
//! the store. Every reader filters records by what its viewer may see.

use super::objects::{ContestData, Entry, KINDS, Viewer};
use crate::app::AppState;
use crate::error::ApiError;
use bytes::Bytes;
use codehub_engine::actors::hub::{HubMsg, Outgoing, Publication, QueueInbox, Subscriber};
use codehub_engine::model::{ContestId, Millis, now_ms};
use codehub_protocol::board::View;
use codehub_protocol::channel::Channel;
use codehub_protocol::ws::MessageKind;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{Notify, mpsc, watch};

/// The event-log kind of feed records.
pub const FEED_KIND: &str = "ccs";
/// A newline is sent after this long without an event (the text's 120 s).
pub const KEEPALIVE: Duration = Duration::from_secs(120);
/// How long the recorder waits after a change for others that come with it.
const SETTLE: Duration = Duration::from_millis(20);
/// A reader's queue of live records.
const READER_QUEUE: usize = 1024;

/// Who a record is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// The jury's view.
    Admin,
    /// Everyone's view (except the object's own teams).
    Public,
    /// The object's own teams' view.
    Own,
}

/// One logged change of one object, for one audience.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Who sees it.
    pub audience: Audience,
    /// The teams whose own view this is, or who get `own` records instead of this public one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub owners: Vec<i64>,
    /// Object type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Object id (`None` for `contest` and `state`).
    pub id: Option<String>,
    /// The object (`null`: deleted or no longer visible).
    pub data: Value,
}

impl Record {
    /// Whether `viewer` receives this record.
    pub fn visible_to(&self, viewer: Viewer) -> bool {
        match (viewer, self.audience) {
            (Viewer::Admin, a) => a == Audience::Admin,
            (Viewer::Public, a) => a == Audience::Public,
            (Viewer::Team(t), Audience::Public) => !self.owners.contains(&t.0),
            (Viewer::Team(t), Audience::Own) => self.owners.contains(&t.0),
            (Viewer::Team(_), Audience::Admin) => false,
        }
    }

    /// The NDJSON line of this record with `token`.
    pub fn line(&self, token: i64) -> Bytes {
        let event = serde_json::json!({
            "type": self.kind, "id": self.id, "data": self.data, "token": token.to_string(),
        });
        let mut line = serde_json::to_vec(&event).expect("JSON values serialise");
        line.push(b'\n');
        Bytes::from(line)
    }

    /// Whether this is the state event that ends the feed.
    pub fn ends_feed(&self) -> bool {
        self.kind == "state" && !self.data["end_of_updates"].is_null()
    }

    fn key(&self) -> (Audience, String, Option<String>) {
        (self.audience, self.kind.clone(), self.id.clone())
    }
}

/// The Hub channel of a contest's feed records (not a `/ws` channel).
pub fn feed_channel(contest: ContestId) -> String {
    format!("internal/contest/{contest}/event-feed")
}

/// The Hub channel where a contest's submissions are announced when they arrive, start
/// judging and are judged.
pub fn submissions_channel(contest: ContestId) -> String {
    codehub_engine::actors::judge_pool::contest_submissions_channel(contest)
}

/// The running recorders of this node.
#[derive(Default)]
pub struct Feeds {
    recorders: Mutex<HashMap<ContestId, Recorder>>,
}

struct Recorder {
    /// The last token once the recorder has caught up (`None` before).
    ready: watch::Receiver<Option<i64>>,
    /// Wakes the recorder for a change no Hub channel carries (the jury's award edits).
    poke: Arc<Notify>,
    task: tokio::task::JoinHandle<()>,
}

impl Feeds {
    /// Starts the contest's recorder unless it runs, and waits until it has caught up;
    /// returns the last token then.
    ///
    /// # Errors
    /// 503 if it cannot catch up within 30 s.
    pub async fn ensure(&self, state: &AppState, contest: ContestId) -> Result<i64, ApiError> {
        let mut ready = {
            let mut recorders = self.recorders.lock().expect("feeds lock");
            let running = recorders
                .get(&contest)
                .is_some_and(|r| !r.task.is_finished());
            if !running {
                let (tx, rx) = watch::channel(None);
                let poke = Arc::new(Notify::new());
                let task = tokio::spawn(record(state.clone(), contest, tx, poke.clone()));
                recorders.insert(
                    contest,
                    Recorder {
                        ready: rx,
                        poke,
                        task,
                    },
                );
            }
            recorders[&contest].ready.clone()
        };
        let caught_up =
            tokio::time::timeout(Duration::from_secs(30), ready.wait_for(Option::is_some))
                .await
                .map_err(|_| ApiError::unavailable("the event feed is not ready; try again"))?
                .map_err(|_| ApiError::unavailable("the event feed stopped; try again"))?;
        Ok(caught_up.unwrap_or(0))
    }
}

impl Feeds {
    /// Tells the contest's recorder, if it runs, that its objects changed in a way no Hub
    /// channel announces.
    pub fn poke(&self, contest: ContestId) {
        if let Some(r) = self.recorders.lock().expect("feeds lock").get(&contest) {
            r.poke.notify_one();
        }
    }
}

/// A subscription of this node's Hub, as the feed tasks hold it.
pub(crate) struct HubTap {
    pub(crate) rx: mpsc::Receiver<Outgoing>,
    lagged: Arc<AtomicBool>,
    wake: Arc<Notify>,
    conn: u64,
}

impl HubTap {
    pub(crate) async fn open(
        state: &AppState,
        channels: &[String],
        capacity: usize,
    ) -> Result<Self, ApiError> {
        let (inbox, rx) = QueueInbox::new(capacity);
        let (lagged, wake) = (inbox.lagged.clone(), inbox.wake.clone());
        let conn = state.next_conn.fetch_add(1, Ordering::Relaxed);
        for channel in channels {
            if let Some(relay) = &state.relay {
                relay.watch(channel).await.map_err(ApiError::internal)?;
            }
            let subscriber: Subscriber = inbox.clone();
            ractor::call_t!(
                state.engine.hub(),
                |reply| HubMsg::Subscribe {
                    channel: channel.clone(),
                    conn,
                    subscriber,
                    since: None,
                    reply,
                },
                5000
            )
            .map_err(ApiError::internal)?;
        }
        Ok(HubTap {
            rx,
            lagged,
            wake,
            conn,
        })
    }

    fn close(&self, state: &AppState) {
        let _ = state
            .engine
            .hub()
            .send_message(HubMsg::Disconnect(self.conn));
    }
}

/// The next scheduled moment after `now` at which the contest's objects change by
/// themselves (start, freeze, end, automatic thaw).
fn next_moment(data: &ContestData, now: Millis) -> Option<Millis> {
    let c = &data.contest;
    [Some(c.start_at), c.freeze_at, Some(c.end_at), c.unfreeze_at]
        .into_iter()
        .flatten()
        .filter(|t| *t > now)
        .min()
}

/// The records that bring `last` up to `entries`, updating `last`. A state that ends
/// the feed goes last.
fn diff(
    last: &mut HashMap<(Audience, String, Option<String>), Value>,
    entries: &[Entry],
) -> Vec<Record> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for e in entries {
        let owners: Vec<i64> = e.owners.iter().map(|u| u.0).collect();
        for (audience, data) in [
            (Audience::Admin, Some(&e.admin)),
            (Audience::Public, e.public.as_ref()),
            (
                Audience::Own,
                e.own.as_ref().filter(|_| !e.owners.is_empty()),
            ),
        ] {
            let Some(data) = data else { continue };
            let record = Record {
                audience,
                owners: if audience == Audience::Admin {
                    Vec::new()
                } else {
                    owners.clone()
                },
                kind: e.kind.to_owned(),
                id: e.id.clone(),
                data: data.clone(),
            };
            let key = record.key();
            seen.insert(key.clone());
            if last.get(&key) != Some(data) {
                last.insert(key, data.clone());
                out.push(record);
            }
        }
    }
    // What is no longer there (or no longer visible) is deleted.
    let mut gone: Vec<_> = last
        .iter()
        .filter(|(k, v)| !seen.contains(*k) && !v.is_null())
        .map(|(k, _)| k.clone())
        .collect();
    gone.sort_by_key(|(a, kind, id)| (KINDS.iter().position(|k| k == kind), *a as u8, id.clone()));
    for (audience, kind, id) in gone {
        last.insert((audience, kind.clone(), id.clone()), Value::Null);
        out.push(Record {
            audience,
            owners: Vec::new(),
            kind,
            id,
            data: Value::Null,
        });
    }
    out.sort_by_key(Record::ends_feed);
    out
}

/// The objects of a contest now, for every audience.
async fn entries(
    state: &AppState,
    contest: ContestId,
) -> Result<(Vec<Entry>, Option<Millis>), ApiError> {
    let c = state
        .store
        .contest(contest)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("unknown contest {contest}")))?;
    let data = ContestData::load(state, c).await?;
    let awards = super::board::current_award_entries(state, &data).await?;
    Ok((data.entries(awards), next_moment(&data, data.now)))
}

/// The recorder of one contest (see the module's documentation).
async fn record(
    state: AppState,
    contest: ContestId,
    ready: watch::Sender<Option<i64>>,
    poke: Arc<Notify>,
) {
    let triggers = [
        Channel::Scoreboard(contest, View::Jury).to_string(),
        Channel::Clarifications(contest, View::Jury).to_string(),
        submissions_channel(contest),
    ];
    let mut tap = loop {
        match HubTap::open(&state, &triggers, 256).await {
            Ok(tap) => break tap,
            Err(e) => {
                tracing::warn!(%contest, error = %e.message, "event feed: cannot watch the contest; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    };
    let mut last = HashMap::new();
    let mut last_token = 0;
    while let Err(e) = catch_up(&state, contest, &mut last, &mut last_token).await {
        tracing::warn!(%contest, error = %e, "event feed: cannot read the log; retrying");
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    loop {
        let next = match entries(&state, contest).await {
            Ok((entries, next)) => {
                let mut trial = last.clone();
                let records = diff(&mut trial, &entries);
                let payloads: Vec<Value> = records
                    .iter()
                    .map(|r| serde_json::to_value(r).expect("records serialise"))
                    .collect();
                let appended = if payloads.is_empty() {
                    Ok(Some(Vec::new()))
                } else {
                    state
                        .store
                        .append_events_if_last(contest, FEED_KIND, last_token, &payloads)
                        .await
                };
                match appended {
                    Ok(Some(tokens)) => {
                        last = trial;
                        for (token, payload) in tokens.into_iter().zip(payloads) {
                            last_token = token;
                            let _ = state
                                .engine
                                .hub()
                                .send_message(HubMsg::Publish(Publication {
                                    channel: feed_channel(contest),
                                    seq: Some(token as u64),
                                    kind: MessageKind::Delta,
                                    data: payload,
                                }));
                        }
                        ready.send_replace(Some(last_token));
                        next
                    }
                    Ok(None) => {
                        // Another node's recorder wrote first: take its records in, then
                        // compare again (nothing is written twice, nothing stale last).
                        match catch_up(&state, contest, &mut last, &mut last_token).await {
                            Ok(()) => continue,
                            Err(e) => {
                                tracing::warn!(%contest, error = %e, "event feed: cannot read the log");
                                Some(now_ms() + 1000)
                            }
                        }
                    }
                    Err(e) => {
                        tracing::warn!(%contest, error = %e, "event feed: cannot append");
                        Some(now_ms() + 1000)
                    }
                }
            }
            Err(e) if e.status == axum::http::StatusCode::NOT_FOUND => break,
            Err(e) => {
                tracing::warn!(%contest, error = %e.message, "event feed: cannot read the contest");
                Some(now_ms() + 1000)
            }
        };
        let sleep = next.map_or(Duration::from_secs(3600), |t| {
            Duration::from_millis((t - now_ms()).clamp(0, 3_600_000) as u64 + 1)
        });
        tokio::select! {
            got = tap.rx.recv() => if got.is_none() { break },
            () = tap.wake.notified() => {}
            () = poke.notified() => {}
            () = tokio::time::sleep(sleep) => {}
        }
        tokio::time::sleep(SETTLE).await;
        while tap.rx.try_recv().is_ok() {}
        tap.lagged.store(false, Ordering::Release);
    }
    tap.close(&state);
}

/// Folds the log's records after `last_token` into `last`.
async fn catch_up(
    state: &AppState,
    contest: ContestId,
    last: &mut HashMap<(Audience, String, Option<String>), Value>,
    last_token: &mut i64,
) -> Result<(), codehub_engine::ports::store::StoreError> {
    for (id, _, payload, _) in state
        .store
        .events_of_kind(contest, FEED_KIND, *last_token)
        .await?
    {
        if let Ok(r) = serde_json::from_value::<Record>(payload) {
            last.insert(r.key(), r.data);
        }
        *last_token = id;
    }
    Ok(())
}

/// The records of `contest` after token `after` that `viewer` sees, only each object's
/// newest, in token order.
async fn backlog(
    state: &AppState,
    contest: ContestId,
    after: i64,
    viewer: Viewer,
) -> Result<Vec<(i64, Record)>, ApiError> {
    let mut newest: HashMap<(Audience, String, Option<String>), (i64, Record)> = HashMap::new();
    for (id, _, payload, _) in state
        .store
        .events_of_kind(contest, FEED_KIND, after)
        .await?
    {
        if let Ok(r) = serde_json::from_value::<Record>(payload)
            && r.visible_to(viewer)
        {
            newest.insert(r.key(), (id, r));
        }
    }
    let mut out: Vec<_> = newest.into_values().collect();
    out.sort_by_key(|(id, _)| *id);
    Ok(out)
}

/// Checks a `since_token`: the id of a feed record of this contest.
///
/// # Errors
/// 400 naming what is wrong.
pub async fn check_token(
    state: &AppState,
    contest: ContestId,
    token: &str,
) -> Result<i64, ApiError> {
    let bad = || {
        ApiError::bad_request(format!(
            "since_token `{token}` is not a token of this contest's event feed"
        ))
    };
    let id: i64 = token.parse().map_err(|_| bad())?;
    if id <= 0 {
        return Err(bad());
    }
    let first = state
        .store
        .events_of_kind(contest, FEED_KIND, id - 1)
        .await?;
    match first.first() {
        Some((found, _, _, _)) if *found == id => Ok(id),
        _ => Err(bad()),
    }
}

/// Streams the feed to one reader: the backlog after `since` (0: everything), then live
/// records, a newline after [`KEEPALIVE`] of silence, until the state that ends it.
pub async fn stream(
    state: AppState,
    contest: ContestId,
    viewer: Viewer,
    since: i64,
    out: mpsc::Sender<Bytes>,
) {
    let mut tap = match HubTap::open(&state, &[feed_channel(contest)], READER_QUEUE).await {
        Ok(tap) => tap,
        Err(_) => return,
    };
    let mut last = since;
    'feed: loop {
        // The backlog: at the start, and again after the live queue overflowed.
        match backlog(&state, contest, last, viewer).await {
            Ok(records) => {
                for (token, r) in records {
                    last = last.max(token);
                    if out.send(r.line(token)).await.is_err() {
                        break 'feed;
                    }
                    if r.ends_feed() {
                        break 'feed;
                    }
                }
            }
            Err(_) => break,
        }
        loop {
            let next = tokio::select! {
                got = tap.rx.recv() => got,
                () = tap.wake.notified() => None,
                () = tokio::time::sleep(KEEPALIVE) => {
                    if out.send(Bytes::from_static(b"\n")).await.is_err() {
                        break 'feed;
                    }
                    continue;
                }
            };
            if tap.lagged.swap(false, Ordering::AcqRel) {
                while tap.rx.try_recv().is_ok() {}
                continue 'feed;
            }
            let Some(message) = next else { continue };
            let token = message.seq as i64;
            if token <= last {
                continue;
            }
            let Some(r) = parse(&message.bytes) else {
                continue;
            };
            last = token;
            if !r.visible_to(viewer) {
                continue;
            }
            if out.send(r.line(token)).await.is_err() {
                break 'feed;
            }
            if r.ends_feed() {
                break 'feed;
            }
        }
    }
    tap.close(&state);
}

/// The record in a Hub message of [`feed_channel`].
fn parse(bytes: &[u8]) -> Option<Record> {
    #[derive(Deserialize)]
    struct Message {
        data: Record,
    }
    serde_json::from_slice::<Message>(bytes)
        .ok()
        .map(|m| m.data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use codehub_engine::model::UserId;

    fn record(audience: Audience, owners: Vec<i64>) -> Record {
        Record {
            audience,
            owners,
            kind: "submissions".into(),
            id: Some("1".into()),
            data: Value::Null,
        }
    }

    #[test]
    fn each_viewer_gets_its_own_records() {
        let public_of_7 = record(Audience::Public, vec![7]);
        let own_of_7 = record(Audience::Own, vec![7]);
        let admin = record(Audience::Admin, vec![]);
        let (team7, team8) = (Viewer::Team(UserId(7)), Viewer::Team(UserId(8)));
        assert!(public_of_7.visible_to(Viewer::Public) && public_of_7.visible_to(team8));
        assert!(!public_of_7.visible_to(team7) && own_of_7.visible_to(team7));
        assert!(!own_of_7.visible_to(team8) && !own_of_7.visible_to(Viewer::Public));
        assert!(admin.visible_to(Viewer::Admin) && !admin.visible_to(team7));
        assert!(!public_of_7.visible_to(Viewer::Admin));
    }
}
