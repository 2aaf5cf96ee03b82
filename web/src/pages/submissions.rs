//! My submissions (in a contest or in practice), updated live over
//! `user/{id}/submissions`; a row opens to show compiler output and sample results.

use super::{Load, fetch, pending};
use crate::components::verdict::verdict_badge;
use crate::ctx::Ctx;
use crate::format;
use crate::i18n::t;
use crate::live;
use crate::pages::problem::submission_detail;
use codehub_protocol::views::SubmissionView;
use codehub_protocol::ws::{MessageKind, Status};
use codehub_protocol::{Channel, UserId};
use std::collections::HashMap;
use sycamore::prelude::*;

/// The page.
#[component(inline_props)]
pub fn SubmissionsPage(contest: Option<i64>) -> View {
    let ctx = use_context::<Ctx>();
    let Some(user) = ctx.api.user() else {
        return view! { section(class="card") { p { a(href="/login") { (t("submissions-sign-in")) } (t("submissions-sign-in-to")) } } };
    };
    // The newest thousand: more than a contest or a season of practice holds.
    let path = match contest {
        Some(c) => format!("/api/submissions?contest_id={c}&limit=1000"),
        None => "/api/submissions?limit=1000".to_owned(),
    };
    let list = fetch::<Vec<SubmissionView>>(ctx.api, path);
    let live_state =
        create_signal(HashMap::<i64, (String, Option<codehub_protocol::Verdict>)>::new());
    let open = create_signal(None::<i64>);
    let detail = create_signal(None::<SubmissionView>);
    live::subscribe(
        ctx.api,
        Channel::UserSubmissions(UserId(user.id)),
        move |msg| {
            if !matches!(msg.kind, MessageKind::Status | MessageKind::Verdict) {
                return;
            }
            let Ok(s) = serde_json::from_value::<Status>(msg.data) else {
                return;
            };
            let line = format::status_line(s.state, s.test, s.total, s.verdict);
            let known = list.with_untracked(|l| {
                l.ready()
                    .is_some_and(|l| l.iter().any(|x| x.id == s.submission_id))
            });
            live_state.update(|m| {
                m.insert(s.submission_id, (line, s.verdict));
            });
            if !known || s.verdict.is_some() {
                // A submission made elsewhere, or a final result: fetch its row.
                let id = s.submission_id;
                sycamore::futures::spawn_local_scoped(async move {
                    if let Ok(sub) = ctx
                        .api
                        .get::<SubmissionView>(&format!("/api/submissions/{id}"))
                        .await
                        && sub.contest_id == contest
                    {
                        list.update(|l| {
                            if let Load::Ready(l) = l {
                                match l.iter_mut().find(|x| x.id == id) {
                                    Some(x) => *x = sub.clone(),
                                    None => l.insert(0, sub.clone()),
                                }
                            }
                        });
                        if open.get_untracked() == Some(id) {
                            detail.set(Some(sub));
                        }
                    }
                });
            }
        },
    );
    let toggle = move |id: i64| {
        if open.get() == Some(id) {
            open.set(None);
            return;
        }
        open.set(Some(id));
        detail.set(None);
        sycamore::futures::spawn_local_scoped(async move {
            if let Ok(s) = ctx
                .api
                .get::<SubmissionView>(&format!("/api/submissions/{id}"))
                .await
            {
                detail.set(Some(s));
            }
        });
    };
    let back = match contest {
        Some(c) => (format!("/contests/{c}"), t("common-back-to-contest")),
        None => ("/practice".to_owned(), t("common-back-to-practice")),
    };
    view! {
        p { a(href=back.0) { (back.1) } }
        section(class="card") {
            h1 { (t("submissions-title")) }
            (pending(&list.get_clone()))
            (match list.get_clone() {
                Load::Ready(subs) if subs.is_empty() => view! { p(class="muted") { (t("submissions-none")) } },
                Load::Ready(subs) => {
                    let rows: Vec<View> = subs.into_iter().map(|s| {
                        let id = s.id;
                        let when = js_sys::Date::new(&(s.submitted_at as f64).into()).to_locale_time_string("default").as_string().unwrap_or_default();
                        let lang = s.language.clone();
                        let problem = s.problem_id;
                        let base_status = format::submission_status_name(s.status);
                        let problem = crate::t!("submissions-problem", id = problem.to_string());
                        let base_verdict = s.verdict;
                        let score = s.score.map(|x| format!("{x:.0}")).unwrap_or_default();
                        view! {
                            tr(class="clickable", data-testid="submission-row", on:click=move |_| toggle(id)) {
                                td { button(class="link", aria-expanded=(open.get() == Some(id)).to_string()) { "#" (id) } }
                                td { (when) }
                                td { (problem) }
                                td { (lang) }
                                td {
                                    (match live_state.with(|m| m.get(&id).cloned()) {
                                        Some((line, v)) => verdict_badge(v.or(base_verdict), line),
                                        None => verdict_badge(base_verdict, base_status.clone()),
                                    })
                                }
                                td(class="muted", data-testid="submission-status") {
                                    (live_state.with(|m| m.get(&id).map(|(l, _)| l.clone())).unwrap_or_default())
                                }
                                td { (score) }
                            }
                            (if open.get() == Some(id) {
                                view! { tr { td(colspan="7") { (detail.get_clone().map(submission_detail).unwrap_or_else(|| view! { p(class="muted") { (t("common-loading")) } })) } } }
                            } else { view! {} })
                        }
                    }).collect();
                    view! {
                        table(class="table") {
                            thead { tr { th(scope="col") { (t("submissions-id")) } th(scope="col") { (t("submissions-time")) } th(scope="col") { (t("submissions-problem-column")) } th(scope="col") { (t("submissions-language")) } th(scope="col") { (t("submissions-verdict")) } th(scope="col") { (t("submissions-progress")) } th(scope="col") { (t("submissions-score")) } } }
                            tbody { (rows) }
                        }
                    }
                }
                _ => view! {},
            })
        }
    }
}
