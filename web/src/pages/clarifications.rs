//! A contest's clarifications, live: a team asks and reads the jury's answers and
//! announcements (a notice says when a new one arrives); the jury sees the queue, claims
//! a question, answers it (to the team or to everyone, typed or predefined) and
//! announces.

use super::{Load, fetch, pending, spawn_in_scope};
use crate::api::Body;
use crate::ctx::Ctx;
use crate::i18n::t;
use crate::live;
use codehub_protocol::board::View as BoardView;
use codehub_protocol::views::{ClarificationView, ContestView};
use codehub_protocol::ws::MessageKind;
use codehub_protocol::{Channel, ContestId, UserId};
use gloo_net::http::Method;
use serde_json::json;
use sycamore::prelude::*;

/// Adds or replaces `c` in the list (newest first); an answer marks its question
/// answered.
fn upsert(list: Signal<Load<Vec<ClarificationView>>>, c: ClarificationView) {
    list.update(|l| {
        if let Load::Ready(l) = l {
            if let Some(q) = c.reply_to_id.and_then(|q| l.iter_mut().find(|x| x.id == q)) {
                q.answered = true;
            }
            match l.iter_mut().find(|x| x.id == c.id) {
                Some(x) => *x = c,
                None => l.insert(0, c),
            }
        }
    });
}

/// The page.
#[component(inline_props)]
pub fn ClarificationsPage(id: i64) -> View {
    let ctx = use_context::<Ctx>();
    let Some(user) = ctx.api.user() else {
        return view! { section(class="card") { p { a(href="/login") { (t("clarifications-sign-in")) } (t("clarifications-sign-in-to")) } } };
    };
    let jury = user.role.is_jury();
    // Actions in a clarification run in the scope the page is mounted in: the jury's live
    // channel re-renders the list (often before the action's own answer comes back).
    let page = use_current_scope();
    let contest = fetch::<ContestView>(ctx.api, format!("/api/contests/{id}"));
    let list =
        fetch::<Vec<ClarificationView>>(ctx.api, format!("/api/contests/{id}/clarifications"));
    let canned = fetch::<Vec<String>>(ctx.api, "/api/clarifications/canned".into());
    let notice = create_signal(None::<String>);
    let on_message = move |msg: codehub_protocol::ws::ServerMessage| {
        if msg.kind == MessageKind::Snapshot {
            // After a reconnection: what the channel holds, without a notice.
            #[derive(serde::Deserialize)]
            struct Snapshot {
                clarifications: Vec<ClarificationView>,
            }
            if let Ok(s) = serde_json::from_value::<Snapshot>(msg.data) {
                for c in s.clarifications.into_iter().filter(|c| c.contest_id == id) {
                    upsert(list, c);
                }
            }
            return;
        }
        if msg.kind != MessageKind::Clarification {
            return;
        }
        let Ok(c) = serde_json::from_value::<ClarificationView>(msg.data) else {
            return;
        };
        if c.contest_id != id {
            return;
        }
        let new =
            list.with_untracked(|l| l.ready().is_some_and(|l| l.iter().all(|x| x.id != c.id)));
        if new && c.from_user_id != Some(user.id) {
            notice.set(Some(if c.from_user_id.is_some() {
                crate::t!(
                    "clarifications-new-question",
                    team = c.from_username.clone().unwrap_or_default()
                )
            } else if c.reply_to_id.is_some() {
                t("clarifications-jury-answered")
            } else {
                t("clarifications-new-announcement")
            }));
        }
        upsert(list, c);
    };
    if jury {
        live::subscribe(
            ctx.api,
            Channel::Clarifications(ContestId(id), BoardView::Jury),
            on_message,
        );
    } else {
        live::subscribe(
            ctx.api,
            Channel::Clarifications(ContestId(id), BoardView::Public),
            on_message,
        );
        live::subscribe(
            ctx.api,
            Channel::UserClarifications(UserId(user.id)),
            on_message,
        );
    }

    // Asking (a team) or announcing (the jury).
    let text = create_signal(String::new());
    let problem = create_signal(String::new());
    let message = create_signal(None::<String>);
    let send = move |e: web_sys::SubmitEvent| {
        e.prevent_default();
        let mut body = json!({"text": text.get_clone()});
        if let Ok(p) = problem.get_clone().parse::<i64>() {
            body["problem_id"] = json!(p);
        }
        if jury {
            body["to_all"] = json!(true);
        }
        sycamore::futures::spawn_local_scoped(async move {
            match ctx
                .api
                .post::<ClarificationView>(&format!("/api/contests/{id}/clarifications"), body)
                .await
            {
                Ok(c) => {
                    text.set(String::new());
                    message.set(None);
                    upsert(list, c);
                }
                Err(e) => message.set(Some(e.to_string())),
            }
        });
    };
    let problems = move || -> Vec<View> {
        contest
            .with(|c| c.ready().map(|c| c.problems.clone()).unwrap_or_default())
            .into_iter()
            .map(|p| {
                let label = crate::t!("clarifications-problem", label = p.label);
                view! { option(value=p.problem_id.to_string()) { (label) } }
            })
            .collect()
    };
    let label_of = move |pid: Option<i64>| -> String {
        pid.and_then(|pid| {
            contest.with(|c| {
                c.ready().and_then(|c| {
                    c.problems
                        .iter()
                        .find(|p| p.problem_id == pid)
                        .map(|p| crate::t!("clarifications-problem", label = &p.label))
                })
            })
        })
        .unwrap_or_else(|| t("clarifications-general"))
    };

    let item = move |c: ClarificationView| -> View {
        let cid = c.id;
        let html = c.text_html.clone();
        let when = js_sys::Date::new(&(c.created_at as f64).into())
            .to_locale_time_string("default")
            .as_string()
            .unwrap_or_default();
        let who = match (&c.from_username, c.reply_to_id, &c.to_user_ids) {
            (Some(team), _, _) => crate::t!("clarifications-asks", team = team),
            (None, Some(_), Some(_)) => t("clarifications-answer-private"),
            (None, Some(_), None) => t("clarifications-answer-to-everyone"),
            (None, None, Some(_)) => t("clarifications-jury-message"),
            (None, None, None) => t("clarifications-announcement"),
        };
        let kind = if c.from_user_id.is_some() {
            "clar question"
        } else {
            "clar answer"
        };
        let subject = label_of(c.problem_id);
        let open = c.from_user_id.is_some() && !c.answered;
        let (status, status_text) = if c.from_user_id.is_none() {
            ("", String::new())
        } else if c.answered {
            ("answered", t("clarifications-answered"))
        } else {
            ("waiting", t("clarifications-waiting"))
        };
        let claimed = c.claimed_by.is_some();
        let answer = create_signal(String::new());
        let canned_pick = create_signal(String::new());
        let to_all = create_signal(false);
        let reply = move |e: web_sys::SubmitEvent| {
            e.prevent_default();
            let mut body =
                json!({"text": answer.get_clone(), "reply_to_id": cid, "to_all": to_all.get()});
            if let Ok(i) = canned_pick.get_clone().parse::<usize>() {
                body["canned"] = json!(i);
            }
            spawn_in_scope(page, async move {
                match ctx
                    .api
                    .post::<ClarificationView>(&format!("/api/contests/{id}/clarifications"), body)
                    .await
                {
                    Ok(a) => upsert(list, a),
                    Err(e) => message.set(Some(e.to_string())),
                }
            });
        };
        // The claim answers 204: the question is marked claimed here at once, and the
        // jury's channel brings the same to the other judges.
        let claim = move |_| {
            spawn_in_scope(page, async move {
                match ctx
                    .api
                    .call(
                        Method::POST,
                        &format!("/api/contests/{id}/clarifications/{cid}/claim"),
                        Body::Json(json!({})),
                    )
                    .await
                {
                    Ok(()) => list.update(|l| {
                        if let Load::Ready(l) = l
                            && let Some(q) = l.iter_mut().find(|q| q.id == cid)
                        {
                            q.claimed_by = ctx.api.user().map(|u| u.id);
                        }
                    }),
                    Err(e) => message.set(Some(e.to_string())),
                }
            });
        };
        view! {
            article(class=kind, data-testid="clarification") {
                header(class="row") {
                    strong { (who) } " " span(class="muted") { (subject) " · " (when) }
                    span(class=format!("badge {status}")) { (status_text) }
                }
                div(class="statement-body", data-testid="clarification-text", dangerously_set_inner_html=html)
                (if jury {
                    let notes: Vec<View> = c.jury_notes.iter().map(|n| {
                        let line = format!("{}: {}", n.by, n.text);
                        view! { li(data-testid="jury-note") { (line) } }
                    }).collect();
                    let note = create_signal(String::new());
                    let add_note = move |e: web_sys::SubmitEvent| {
                        e.prevent_default();
                        let body = json!({"text": note.get_clone()});
                        spawn_in_scope(page, async move {
                            let path = format!("/api/contests/{id}/clarifications/{cid}/notes");
                            match ctx.api.post::<ClarificationView>(&path, body).await {
                                Ok(c) => upsert(list, c),
                                Err(e) => message.set(Some(e.to_string())),
                            }
                        });
                    };
                    view! {
                        ul(class="muted jury-notes") { (notes) }
                        form(class="row", on:submit=add_note) {
                            input(bind:value=note, placeholder=t("clarifications-note-placeholder"), data-testid="note-text")
                            button(r#type="submit", class="ghost", data-testid="note-add") { (t("clarifications-add-note")) }
                        }
                    }
                } else { view! {} })
                (if jury && open {
                    let options: Vec<View> = canned.with(|c| c.ready().cloned().unwrap_or_default()).into_iter().enumerate().map(|(i, t)| {
                        view! { option(value=i.to_string()) { (t) } }
                    }).collect();
                    view! {
                        form(class="stack", on:submit=reply, data-testid="answer-form") {
                            (if claimed { view! { p(class="muted") { (t("clarifications-claimed")) } } } else {
                                view! { button(r#type="button", class="ghost", on:click=claim, data-testid="claim") { (t("clarifications-claim")) } }
                            })
                            textarea(bind:value=answer, rows="2", placeholder=t("clarifications-answer-placeholder"), data-testid="answer-text")
                            select(bind:value=canned_pick, data-testid="canned") {
                                option(value="") { (t("clarifications-canned")) }
                                (options)
                            }
                            label(class="check") { input(r#type="checkbox", bind:checked=to_all) " " (t("clarifications-to-every-team")) }
                            button(r#type="submit", data-testid="answer-send") { (t("clarifications-answer")) }
                        }
                    }
                } else { view! {} })
            }
        }
    };

    view! {
        p { a(href=format!("/contests/{id}")) { (t("common-back-to-contest")) } }
        (notice.get_clone().map(|n| view! {
            p(class="notice", role="status", data-testid="clar-notice") {
                (n) " " button(class="link", on:click=move |_| notice.set(None)) { (t("clarifications-dismiss")) }
            }
        }).unwrap_or_default())
        section(class="card") {
            h1 { (t("clarifications-title")) }
            form(class="stack", on:submit=send, data-testid="ask-form") {
                label(r#for="clar-problem") { (if jury { t("clarifications-announcement-about") } else { t("clarifications-question-about") }) }
                select(id="clar-problem", bind:value=problem) {
                    option(value="") { (t("clarifications-general")) }
                    (problems())
                }
                textarea(id="clar-text", bind:value=text, rows="3", required=true, data-testid="ask-text",
                    placeholder=if jury { t("clarifications-announcement-placeholder") } else { t("clarifications-question-placeholder") })
                button(r#type="submit", data-testid="ask-send") { (if jury { t("clarifications-announce") } else { t("clarifications-ask") }) }
                (super::error_line(message))
            }
        }
        section(class="card") {
            (pending(&list.get_clone()))
            (match list.get_clone() {
                Load::Ready(l) if l.is_empty() => view! { p(class="muted") { (t("clarifications-none")) } },
                Load::Ready(l) => {
                    let items: Vec<View> = l.into_iter().map(item).collect();
                    view! { div(class="stack", data-testid="clarification-list") { (items) } }
                }
                _ => view! {},
            })
        }
    }
}
