//! Webhooks (Contest API 2026-01): a client registers a URL and a token; CodeHub POSTs
//! `{"contest_id", "notifications": [<event>, …]}` there, with the header
//! `Webhook-Token: <token>`, for every change after the registration, in the event feed's
//! order and format (the jury's view; `endpoints` and `contest_ids` narrow it).
//!
//! A 2xx acknowledges the batch: it is never sent again (the acknowledged token is kept in
//! the store, so a restart resumes after it). Otherwise the batch (grown with what came
//! since) is retried with backoff, 1 s doubling to 30 s; a webhook failing for
//! [`GIVE_UP`] is removed. Registrations, removals and acknowledgements are events of the
//! store's global log, so they survive restarts. In a cluster a contest's notifications
//! are sent by its owner only.

use super::auth::CcsCaller;
use super::feed::{FEED_KIND, HubTap, Record, feed_channel};
use super::objects::{KINDS, Viewer};
use crate::app::AppState;
use crate::error::{ApiError, ApiResult};
use crate::routes::{ApiJson, ApiPath};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use codehub_engine::model::{Contest, Role};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Event-log kinds (global log): a registration, a removal, an acknowledged batch.
const REGISTERED: &str = "webhook";
const REMOVED: &str = "webhook_removed";
const ACKED: &str = "webhook_ack";
/// A webhook failing this long is removed.
pub const GIVE_UP: Duration = Duration::from_secs(600);
/// Events per POST at most.
const BATCH: usize = 500;

/// A registered webhook.
#[derive(Debug, Clone, PartialEq)]
struct Webhook {
    id: String,
    url: String,
    token: String,
    endpoints: Vec<String>,
    contest_ids: Vec<String>,
    /// Per contest (CodeHub id), the last feed token delivered (or current at registration).
    cursors: HashMap<i64, i64>,
}

impl Webhook {
    fn view(&self) -> Value {
        json!({"id": self.id, "url": self.url, "endpoints": self.endpoints,
               "contest_ids": self.contest_ids, "active": true})
    }
}

/// The webhooks in the global log.
async fn registered(state: &AppState) -> Result<Vec<Webhook>, ApiError> {
    let mut hooks: Vec<Webhook> = Vec::new();
    for (_, kind, p, _) in state.store.events(None, 0).await? {
        let id = p["id"].as_str().unwrap_or_default().to_owned();
        match kind.as_str() {
            REGISTERED => {
                let strings = |k: &str| -> Vec<String> {
                    p[k].as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect()
                };
                let cursors = p["cursors"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter_map(|(k, v)| Some((k.parse().ok()?, v.as_i64()?)))
                    .collect();
                hooks.push(Webhook {
                    url: p["url"].as_str().unwrap_or_default().to_owned(),
                    token: p["token"].as_str().unwrap_or_default().to_owned(),
                    endpoints: strings("endpoints"),
                    contest_ids: strings("contest_ids"),
                    cursors,
                    id,
                });
            }
            REMOVED => hooks.retain(|h| h.id != id),
            ACKED => {
                if let (Some(h), Some(c), Some(t)) = (
                    hooks.iter_mut().find(|h| h.id == id),
                    p["contest"].as_i64(),
                    p["token"].as_i64(),
                ) {
                    h.cursors.insert(c, t);
                }
            }
            _ => {}
        }
    }
    Ok(hooks)
}

/// The jury only (webhooks see the jury's view).
fn jury(caller: &CcsCaller) -> Result<(), ApiError> {
    match &caller.0 {
        Some(c) if c.role >= Role::Jury => Ok(()),
        Some(_) => Err(ApiError::forbidden("webhooks are the jury's")),
        None => Err(ApiError::unauthorized(
            "sign in as the jury to manage webhooks",
        )),
    }
}

/// The contests a webhook covers.
async fn contests_of(state: &AppState, hook: &Webhook) -> Result<Vec<Contest>, ApiError> {
    Ok(state
        .store
        .contests()
        .await?
        .into_iter()
        .filter(|c| {
            hook.contest_ids.is_empty() || hook.contest_ids.contains(&super::objects::contest_id(c))
        })
        .collect())
}

/// `GET /api/ccs/webhooks`.
pub async fn list(State(state): State<AppState>, caller: CcsCaller) -> ApiResult<Json<Value>> {
    jury(&caller)?;
    Ok(Json(Value::Array(
        registered(&state)
            .await?
            .iter()
            .map(Webhook::view)
            .collect(),
    )))
}

/// `GET /api/ccs/webhooks/{id}`.
pub async fn get_one(
    State(state): State<AppState>,
    caller: CcsCaller,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Value>> {
    jury(&caller)?;
    registered(&state)
        .await?
        .iter()
        .find(|h| h.id == id)
        .map(|h| Json(h.view()))
        .ok_or_else(|| ApiError::not_found(format!("unknown webhook `{id}`")))
}

/// `DELETE /api/ccs/webhooks/{id}`.
pub async fn delete(
    State(state): State<AppState>,
    caller: CcsCaller,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<StatusCode> {
    jury(&caller)?;
    if !registered(&state).await?.iter().any(|h| h.id == id) {
        return Err(ApiError::not_found(format!("unknown webhook `{id}`")));
    }
    state
        .store
        .append_event(None, REMOVED, &json!({"id": id, "reason": "deleted"}))
        .await?;
    state.webhooks.notify_one();
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/ccs/webhooks` `{url, token, endpoints?, contest_ids?}`: from now on.
pub async fn create(
    State(state): State<AppState>,
    caller: CcsCaller,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult<Response> {
    jury(&caller)?;
    let fields = body
        .as_object()
        .ok_or_else(|| ApiError::bad_request("the body must be a JSON object"))?;
    if let Some(k) = fields
        .keys()
        .find(|k| !["url", "token", "endpoints", "contest_ids"].contains(&k.as_str()))
    {
        return Err(ApiError::bad_request(format!(
            "`{k}` may not be given (url, token, endpoints, contest_ids)"
        )));
    }
    let url = fields
        .get("url")
        .and_then(Value::as_str)
        .filter(|u| reqwest::Url::parse(u).is_ok_and(|u| matches!(u.scheme(), "http" | "https")))
        .ok_or_else(|| ApiError::bad_request("`url` must be an http(s) URL"))?;
    let token = fields
        .get("token")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::bad_request("`token` is required (sent back as Webhook-Token)"))?;
    let list = |key: &str| -> Result<Vec<String>, ApiError> {
        match fields.get(key) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(a)) => a
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_owned)
                        .ok_or_else(|| ApiError::bad_request(format!("`{key}` holds strings")))
                })
                .collect(),
            Some(_) => Err(ApiError::bad_request(format!("`{key}` must be an array"))),
        }
    };
    let endpoints = list("endpoints")?;
    if let Some(e) = endpoints.iter().find(|e| !KINDS.contains(&e.as_str())) {
        return Err(ApiError::unprocessable(format!("unknown endpoint `{e}`")));
    }
    let contest_ids = list("contest_ids")?;
    let all = state.store.contests().await?;
    if let Some(c) = contest_ids
        .iter()
        .find(|c| !all.iter().any(|x| super::objects::contest_id(x) == **c))
    {
        return Err(ApiError::unprocessable(format!("unknown contest `{c}`")));
    }
    let taken = registered(&state).await?;
    let id = (1..)
        .map(|n| format!("webhook-{n}"))
        .find(|id| taken.iter().all(|h| h.id != *id))
        .expect("a free id");
    let mut hook = Webhook {
        id,
        url: url.to_owned(),
        token: token.to_owned(),
        endpoints,
        contest_ids,
        cursors: HashMap::new(),
    };
    // Only what changes from now on: each contest's feed, caught up, is the start.
    for c in contests_of(&state, &hook).await? {
        let last = state.feeds.ensure(&state, c.id).await?;
        hook.cursors.insert(c.id.0, last);
    }
    state
        .store
        .append_event(
            None,
            REGISTERED,
            &json!({"id": hook.id, "url": hook.url, "token": hook.token,
                    "endpoints": hook.endpoints, "contest_ids": hook.contest_ids,
                    "cursors": hook.cursors.iter().map(|(c, t)| (c.to_string(), json!(t))).collect::<serde_json::Map<_, _>>()}),
        )
        .await?;
    state.webhooks.notify_one();
    let location = format!("/api/ccs/webhooks/{}", hook.id);
    Ok((
        StatusCode::CREATED,
        [(axum::http::header::LOCATION, location)],
        Json(hook.view()),
    )
        .into_response())
}

/// Delivers every webhook's notifications, for as long as the server runs.
pub async fn deliver(state: AppState) {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("an HTTP client");
    // When each failing webhook may be tried again, its current delay, since when it fails.
    let mut failing: HashMap<String, (Instant, Duration, Instant)> = HashMap::new();
    let mut taps: HashMap<i64, HubTap> = HashMap::new();
    loop {
        let hooks = registered(&state).await.unwrap_or_default();
        failing.retain(|id, _| hooks.iter().any(|h| h.id == *id));
        let mut next_retry = None::<Instant>;
        for hook in &hooks {
            if let Some((at, _, _)) = failing.get(&hook.id)
                && *at > Instant::now()
            {
                next_retry = Some(next_retry.map_or(*at, |n| n.min(*at)));
                continue;
            }
            match deliver_one(&state, &client, hook, &mut taps).await {
                Ok(()) => {
                    failing.remove(&hook.id);
                }
                Err(e) => {
                    let now = Instant::now();
                    let (_, delay, since) = failing.get(&hook.id).copied().unwrap_or((
                        now,
                        Duration::from_millis(500),
                        now,
                    ));
                    if now.duration_since(since) >= GIVE_UP {
                        tracing::warn!(webhook = %hook.id, url = %hook.url, error = %e, "webhook failing too long: removed");
                        let _ = state
                            .store
                            .append_event(None, REMOVED, &json!({"id": hook.id, "reason": e}))
                            .await;
                        failing.remove(&hook.id);
                        continue;
                    }
                    let delay = (delay * 2).min(Duration::from_secs(30));
                    tracing::debug!(webhook = %hook.id, error = %e, "webhook: retrying in {delay:?}");
                    failing.insert(hook.id.clone(), (now + delay, delay, since));
                    next_retry = Some(next_retry.map_or(now + delay, |n| n.min(now + delay)));
                }
            }
        }
        // Wait for a record on any watched feed, a registration change, or a retry.
        let wait = next_retry.map_or(Duration::from_secs(60), |at| {
            at.saturating_duration_since(Instant::now())
        });
        type Next<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + 'a>>;
        let waits: Vec<Next<'_>> = taps
            .values_mut()
            .map(|t| -> Next<'_> { Box::pin(async move { t.rx.recv().await.map_or((), |_| ()) }) })
            .chain(std::iter::once(
                Box::pin(futures::future::pending::<()>()) as Next<'_>
            ))
            .collect();
        let any_record = futures::future::select_all(waits);
        tokio::select! {
            _ = any_record => {}
            () = state.webhooks.notified() => {}
            () = tokio::time::sleep(wait) => {}
        }
        for tap in taps.values_mut() {
            while tap.rx.try_recv().is_ok() {}
        }
    }
}

/// Sends a webhook what it has not acknowledged, contest by contest.
async fn deliver_one(
    state: &AppState,
    client: &reqwest::Client,
    hook: &Webhook,
    taps: &mut HashMap<i64, HubTap>,
) -> Result<(), String> {
    for contest in contests_of(state, hook).await.map_err(|e| e.message)? {
        let id = contest.id;
        if state.relay.is_some()
            && !matches!(
                state.engine.role(id).await,
                Ok(codehub_engine::ports::cluster::Role::Owner { .. })
            )
        {
            continue;
        }
        if let std::collections::hash_map::Entry::Vacant(slot) = taps.entry(id.0) {
            let tap = HubTap::open(state, &[feed_channel(id)], 64)
                .await
                .map_err(|e| e.message)?;
            slot.insert(tap);
            state.feeds.ensure(state, id).await.map_err(|e| e.message)?;
        }
        let mut cursor = hook.cursors.get(&id.0).copied().unwrap_or(0);
        loop {
            let records = state
                .store
                .events_of_kind(id, FEED_KIND, cursor)
                .await
                .map_err(|e| e.to_string())?;
            if records.is_empty() {
                break;
            }
            let mut batch = Vec::new();
            let mut last = cursor;
            for (token, _, payload, _) in records.into_iter().take(BATCH) {
                last = token;
                let Ok(r) = serde_json::from_value::<Record>(payload) else {
                    continue;
                };
                if !r.visible_to(Viewer::Admin)
                    || !(hook.endpoints.is_empty() || hook.endpoints.contains(&r.kind))
                {
                    continue;
                }
                batch.push(
                    json!({"type": r.kind, "id": r.id, "data": r.data, "token": token.to_string()}),
                );
            }
            if !batch.is_empty() {
                let body = json!({"contest_id": super::objects::contest_id(&contest), "notifications": batch});
                let resp = client
                    .post(&hook.url)
                    .header("Webhook-Token", &hook.token)
                    .json(&body)
                    .send()
                    .await
                    .map_err(|e| e.to_string())?;
                if !resp.status().is_success() {
                    return Err(format!("{} answered {}", hook.url, resp.status()));
                }
            }
            state
                .store
                .append_event(
                    None,
                    ACKED,
                    &json!({"id": hook.id, "contest": id.0, "token": last}),
                )
                .await
                .map_err(|e| e.to_string())?;
            cursor = last;
        }
    }
    Ok(())
}
