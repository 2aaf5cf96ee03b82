//! `/api/contests/{id}/clarifications`: teams ask (about a problem or in general), the
//! jury claims, answers privately or to everyone, or announces; each side sees what it
//! may. Texts are Markdown, rendered like statements. Each new clarification (and each
//! claim) is published live: to the jury's channel, and to the public channel (messages
//! to every team) or the teams' own channels (questions, private answers).

use super::contests::load;
use super::{ApiJson, ApiPath};
use crate::app::AppState;
use crate::auth::{Caller, MaybeCaller};
use crate::error::{ApiError, ApiResult};
use axum::extract::State;
use axum::http::StatusCode;
use codehub_engine::actors::hub::{HubMsg, Publication};
use codehub_engine::model::{
    Clarification, ClarificationId, ContestId, ProblemId, Role, UserId, now_ms,
};
use codehub_protocol::board::View;
use codehub_protocol::channel::Channel;
use codehub_protocol::requests::NewClarification;
use codehub_protocol::views::{ClarificationView, JuryNote};
use codehub_protocol::ws::MessageKind;
use std::collections::HashMap;
use std::time::Duration;

/// The jury's predefined answers, by index (`canned` in a request).
pub const CANNED_ANSWERS: &[&str] = &[
    "No comment.",
    "Read the problem statement carefully.",
    "Yes.",
    "No.",
    "This will be answered during the contest.",
];

/// Longest text, characters.
const MAX_TEXT_CHARS: usize = 4000;
/// Questions a team may ask per [`RATE_WINDOW`].
const RATE_QUESTIONS: usize = 3;
/// The window of the question rate limit.
const RATE_WINDOW: Duration = Duration::from_secs(60);

/// Team names of a contest, for `from_username`.
async fn team_names(
    state: &AppState,
    contest: ContestId,
) -> Result<HashMap<UserId, String>, ApiError> {
    Ok(state
        .store
        .participant_names(contest)
        .await?
        .into_iter()
        .collect())
}

/// The event-log kind of a judge's note on a clarification:
/// `{"clarification_id", "text", "by"}`.
pub const NOTE_EVENT: &str = "clarification_note";

/// The jury's notes of a contest's clarifications, by clarification id.
type Notes = HashMap<i64, Vec<JuryNote>>;

async fn jury_notes(state: &AppState, contest: ContestId) -> Result<Notes, ApiError> {
    let mut notes = Notes::new();
    for (_, _, payload, at) in state.store.events_of_kind(contest, NOTE_EVENT, 0).await? {
        if let (Some(id), Some(text), Some(by)) = (
            payload["clarification_id"].as_i64(),
            payload["text"].as_str(),
            payload["by"].as_str(),
        ) {
            notes.entry(id).or_default().push(JuryNote {
                text: text.to_owned(),
                by: by.to_owned(),
                at,
            });
        }
    }
    Ok(notes)
}

/// The view of `c`: for the jury (`notes` given) with claims and notes.
fn view(
    c: &Clarification,
    names: &HashMap<UserId, String>,
    notes: Option<&Notes>,
) -> ClarificationView {
    let jury = notes.is_some();
    ClarificationView {
        id: c.id.0,
        contest_id: c.contest_id.0,
        from_user_id: c.from_user.map(|u| u.0),
        from_username: c.from_user.and_then(|u| names.get(&u).cloned()),
        to_user_ids: c
            .to_users
            .as_ref()
            .map(|to| to.iter().map(|u| u.0).collect()),
        reply_to_id: c.reply_to.map(|r| r.0),
        problem_id: c.problem_id.map(|p| p.0),
        text: c.text.clone(),
        text_html: crate::statement::to_html(&c.text),
        created_at: c.created_at,
        answered: c.answered,
        claimed_by: if jury {
            c.claimed_by.map(|u| u.0)
        } else {
            None
        },
        jury_notes: notes
            .and_then(|n| n.get(&c.id.0).cloned())
            .unwrap_or_default(),
    }
}

/// The clarifications the caller may read: all for the jury; a team's own questions and
/// the jury's messages to every team or to it; without a login, announcements to all.
#[utoipa::path(get, path = "/api/contests/{id}/clarifications", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<ClarificationView>), (status = 404, body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: MaybeCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<ApiJson<Vec<ClarificationView>>> {
    let c = load(&state, id).await?;
    let all = state.store.clarifications(c.id).await?;
    let names = team_names(&state, c.id).await?;
    let jury = caller.0.as_ref().is_some_and(|c| c.role.is_jury());
    let notes = if jury {
        Some(jury_notes(&state, c.id).await?)
    } else {
        None
    };
    let visible = |x: &Clarification| match &caller.0 {
        _ if jury => true,
        Some(me) => x.visible_to_team(me.id),
        None => x.from_user.is_none() && x.to_users.is_none(),
    };
    Ok(ApiJson(
        all.iter()
            .filter(|x| visible(x))
            .map(|x| view(x, &names, notes.as_ref()))
            .collect(),
    ))
}

/// The jury's predefined answers (`canned` index → text).
#[utoipa::path(get, path = "/api/clarifications/canned", responses((status = 200, body = Vec<String>)))]
pub async fn canned() -> ApiJson<Vec<String>> {
    ApiJson(CANNED_ANSWERS.iter().map(|s| (*s).to_owned()).collect())
}

/// Asks (a registered team), or answers or announces (the jury).
///
/// A team's question goes to the jury, at most [`RATE_QUESTIONS`] a minute (429 with
/// `Retry-After` past that). The jury's message answers a question (`reply_to_id`: to its
/// team, or with `to_all` to every team), goes to chosen teams (`to_user_ids`), or to
/// every team.
#[utoipa::path(post, path = "/api/contests/{id}/clarifications", params(("id" = i64, Path)), request_body = NewClarification, security(("bearer" = [])),
    responses((status = 201, body = ClarificationView), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody), (status = 429, body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(n): ApiJson<NewClarification>,
) -> ApiResult<(StatusCode, ApiJson<ClarificationView>)> {
    let c = load(&state, id).await?;
    let jury = caller.role.is_jury();
    let participants = state.store.participants(c.id).await?;
    let text = match (n.text.trim(), n.canned) {
        ("", Some(i)) if jury => {
            CANNED_ANSWERS
                .get(i)
                .map(|s| (*s).to_owned())
                .ok_or_else(|| {
                    ApiError::unprocessable(format!(
                        "canned must be 0-{} (GET /api/clarifications/canned)",
                        CANNED_ANSWERS.len() - 1
                    ))
                })?
        }
        ("", _) => return Err(ApiError::unprocessable("text must not be empty")),
        (t, _) if t.chars().count() > MAX_TEXT_CHARS => {
            return Err(ApiError::unprocessable(format!(
                "text must be at most {MAX_TEXT_CHARS} characters"
            )));
        }
        (t, _) => t.to_owned(),
    };
    let problem_id = match n.problem_id {
        Some(p) if c.problem_index(ProblemId(p)).is_none() => {
            return Err(ApiError::unprocessable(format!(
                "problem {p} is not in contest {id}"
            )));
        }
        p => p.map(ProblemId),
    };
    let now = now_ms();
    let clarification = if jury {
        let question = match n.reply_to_id {
            Some(q) => Some(
                state
                    .store
                    .clarification(ClarificationId(q))
                    .await?
                    .filter(|x| x.contest_id == c.id && x.from_user.is_some())
                    .ok_or_else(|| {
                        ApiError::unprocessable(format!(
                            "reply_to_id {q} is not a question of contest {id}"
                        ))
                    })?,
            ),
            None => None,
        };
        let to_users = match (&n.to_user_ids, &question) {
            (Some(_), _) if n.to_all => {
                return Err(ApiError::unprocessable(
                    "give either to_user_ids or to_all, not both",
                ));
            }
            (Some(ids), _) => {
                let ids: Vec<UserId> = ids.iter().map(|&u| UserId(u)).collect();
                if ids.is_empty() {
                    return Err(ApiError::unprocessable("to_user_ids must not be empty"));
                }
                if let Some(u) = ids.iter().find(|u| !participants.contains(u)) {
                    return Err(ApiError::unprocessable(format!(
                        "user {u} is not a team of contest {id}"
                    )));
                }
                Some(ids)
            }
            (None, Some(q)) if !n.to_all => q.from_user.map(|u| vec![u]),
            (None, _) => None,
        };
        Clarification {
            id: ClarificationId(0),
            contest_id: c.id,
            from_user: None,
            to_users,
            reply_to: question.as_ref().map(|q| q.id),
            problem_id: problem_id.or(question.and_then(|q| q.problem_id)),
            text,
            created_at: now,
            answered: false,
            claimed_by: None,
        }
    } else {
        if caller.role < Role::Contestant || !participants.contains(&caller.id) {
            return Err(ApiError::forbidden(format!(
                "only teams of contest {id} may ask it questions (register first)"
            )));
        }
        if n.reply_to_id.is_some() || n.to_user_ids.is_some() || n.to_all || n.canned.is_some() {
            return Err(ApiError::forbidden(
                "reply_to_id, to_user_ids, to_all and canned are for the jury",
            ));
        }
        let since = now - RATE_WINDOW.as_millis() as i64;
        let recent: Vec<i64> = state
            .store
            .clarifications(c.id)
            .await?
            .iter()
            .filter(|x| x.from_user == Some(caller.id) && x.created_at > since)
            .map(|x| x.created_at)
            .collect();
        if recent.len() >= RATE_QUESTIONS {
            let oldest = recent.iter().min().copied().unwrap_or(now);
            let wait = Duration::from_millis((oldest - since).max(1000) as u64);
            let mut e = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "at most {RATE_QUESTIONS} questions a minute; ask again in {} s",
                    wait.as_secs().max(1)
                ),
            );
            e.retry_after = Some(wait);
            return Err(e);
        }
        Clarification {
            id: ClarificationId(0),
            contest_id: c.id,
            from_user: Some(caller.id),
            to_users: None,
            reply_to: None,
            problem_id,
            text,
            created_at: now,
            answered: false,
            claimed_by: None,
        }
    };
    let stored = state.store.create_clarification(clarification).await?;
    let names = team_names(&state, c.id).await?;
    publish(&state, &stored, &names);
    Ok((
        StatusCode::CREATED,
        ApiJson(view(&stored, &names, jury.then(Notes::new).as_ref())),
    ))
}

/// Claims a question for the caller (jury), so two judges do not answer it twice; 409 if
/// another judge holds it.
#[utoipa::path(post, path = "/api/contests/{id}/clarifications/{cid}/claim", params(("id" = i64, Path), ("cid" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn claim(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, cid)): ApiPath<(i64, i64)>,
) -> ApiResult<StatusCode> {
    caller.require(Role::Jury)?;
    let c = load(&state, id).await?;
    let question = state
        .store
        .clarification(ClarificationId(cid))
        .await?
        .filter(|x| x.contest_id == c.id && x.from_user.is_some())
        .ok_or_else(|| ApiError::not_found(format!("no question {cid} in contest {id}")))?;
    if let Some(other) = question.claimed_by.filter(|j| *j != caller.id) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            format!("question {cid} is claimed by judge {other}"),
        ));
    }
    state
        .store
        .claim_clarification(question.id, Some(caller.id))
        .await?;
    // The jury's queue shows who holds it.
    let claimed = Clarification {
        claimed_by: Some(caller.id),
        ..question
    };
    let names = team_names(&state, c.id).await?;
    let notes = jury_notes(&state, c.id).await?;
    send(
        &state,
        Channel::Clarifications(c.id, View::Jury),
        &view(&claimed, &names, Some(&notes)),
    );
    Ok(StatusCode::NO_CONTENT)
}

fn send(state: &AppState, channel: Channel, data: &ClarificationView) {
    let data = serde_json::to_value(data).expect("views serialise");
    let _ = state
        .engine
        .hub()
        .send_message(HubMsg::Publish(Publication {
            channel: channel.to_string(),
            seq: None,
            kind: MessageKind::Clarification,
            data,
        }));
}

/// Publishes a new clarification on the channels of those who may read it.
fn publish(state: &AppState, c: &Clarification, names: &HashMap<UserId, String>) {
    send(
        state,
        Channel::Clarifications(c.contest_id, View::Jury),
        &view(c, names, Some(&Notes::new())),
    );
    let team_view = view(c, names, None);
    match (c.from_user, &c.to_users) {
        (Some(asker), _) => send(state, Channel::UserClarifications(asker), &team_view),
        (None, Some(teams)) => {
            for t in teams {
                send(state, Channel::UserClarifications(*t), &team_view);
            }
        }
        (None, None) => send(
            state,
            Channel::Clarifications(c.contest_id, View::Public),
            &team_view,
        ),
    }
}

/// What a clarification channel holds now: a contest's messages to every team (public),
/// all of them (jury), or a team's own (of every contest).
///
/// # Errors
/// A store failure.
pub async fn channel_snapshot(
    state: &AppState,
    channel: &Channel,
) -> Result<Vec<ClarificationView>, ApiError> {
    let (contests, jury) = match channel {
        Channel::Clarifications(c, view) => (vec![*c], *view == View::Jury),
        Channel::UserClarifications(_) => (
            state.store.contests().await?.iter().map(|c| c.id).collect(),
            false,
        ),
        _ => return Ok(Vec::new()),
    };
    let mut out = Vec::new();
    for contest in contests {
        let names = team_names(state, contest).await?;
        let notes = if jury {
            Some(jury_notes(state, contest).await?)
        } else {
            None
        };
        for c in state.store.clarifications(contest).await? {
            let keep = match channel {
                _ if jury => true,
                Channel::UserClarifications(u) => {
                    c.from_user == Some(*u) || c.to_users.as_ref().is_some_and(|to| to.contains(u))
                }
                _ => c.from_user.is_none() && c.to_users.is_none(),
            };
            if keep {
                out.push(view(&c, &names, notes.as_ref()));
            }
        }
    }
    Ok(out)
}

/// A judge's note (`POST /api/contests/{id}/clarifications/{cid}/notes`).
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct NewNote {
    /// The note, 1 to 2000 characters (not blank).
    #[schema(min_length = 1, max_length = 2000, pattern = r"\S")]
    pub text: String,
}

/// Adds a jury-only note to a clarification (jury): for the judges who answer it next;
/// teams never see notes.
#[utoipa::path(post, path = "/api/contests/{id}/clarifications/{cid}/notes", params(("id" = i64, Path), ("cid" = i64, Path)),
    request_body = NewNote, security(("bearer" = [])),
    responses((status = 201, body = ClarificationView), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn note(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, cid)): ApiPath<(i64, i64)>,
    ApiJson(n): ApiJson<NewNote>,
) -> ApiResult<(StatusCode, ApiJson<ClarificationView>)> {
    caller.require(Role::Jury)?;
    let c = load(&state, id).await?;
    let clarification = state
        .store
        .clarification(ClarificationId(cid))
        .await?
        .filter(|x| x.contest_id == c.id)
        .ok_or_else(|| ApiError::not_found(format!("no clarification {cid} in contest {id}")))?;
    let text = n.text.trim();
    if text.is_empty() || text.chars().count() > 2000 {
        return Err(ApiError::unprocessable("a note is 1 to 2000 characters"));
    }
    state
        .store
        .append_event(
            Some(c.id),
            NOTE_EVENT,
            &serde_json::json!({"clarification_id": cid, "text": text, "by": caller.username}),
        )
        .await?;
    let names = team_names(&state, c.id).await?;
    let notes = jury_notes(&state, c.id).await?;
    let jury_view = view(&clarification, &names, Some(&notes));
    send(
        &state,
        Channel::Clarifications(c.id, View::Jury),
        &jury_view,
    );
    Ok((StatusCode::CREATED, ApiJson(jury_view)))
}
