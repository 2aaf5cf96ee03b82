//! Balloons (jury): each team's first solve per problem, newest last, with a "delivered"
//! button for the volunteers; refreshed live from the jury board.

use super::{Load, fetch, pending};
use crate::ctx::Ctx;
use crate::i18n::t;
use crate::live;
use codehub_protocol::board::View as BoardView;
use codehub_protocol::{Channel, ContestId};
use serde::Deserialize;
use serde_json::json;
use sycamore::prelude::*;

/// A balloon as `GET /api/contests/{id}/balloons` lists it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Balloon {
    submission_id: i64,
    team: String,
    label: String,
    judged_at: i64,
    first_to_solve: bool,
    done: bool,
}

/// The page.
#[component(inline_props)]
pub fn BalloonsPage(id: i64) -> View {
    let ctx = use_context::<Ctx>();
    let path = format!("/api/contests/{id}/balloons");
    let list = fetch::<Vec<Balloon>>(ctx.api, path.clone());
    let show_done = create_signal(false);
    let message = create_signal(None::<String>);
    let reload = move || {
        let path = path.clone();
        sycamore::futures::spawn_local_scoped(async move {
            if let Ok(l) = ctx.api.get::<Vec<Balloon>>(&path).await {
                list.set(Load::Ready(l));
            }
        });
    };
    let on_board = reload.clone();
    live::subscribe(
        ctx.api,
        Channel::Scoreboard(ContestId(id), BoardView::Jury),
        move |_| on_board(),
    );
    let toggle = move |submission: i64, done: bool| {
        let reload = reload.clone();
        sycamore::futures::spawn_local_scoped(async move {
            let path = format!("/api/contests/{id}/balloons/{submission}");
            match ctx.api.post::<Balloon>(&path, json!({"done": done})).await {
                Ok(_) => reload(),
                Err(e) => message.set(Some(e.to_string())),
            }
        });
    };
    view! {
        p { a(href=format!("/contests/{id}")) { (t("common-back-to-contest")) } }
        section(class="card") {
            h1 { (t("balloons-title")) }
            label(class="check") { input(r#type="checkbox", bind:checked=show_done) " " (t("balloons-show-delivered")) }
            (super::error_line(message))
            (pending(&list.get_clone()))
            (match list.get_clone() {
                Load::Ready(l) => {
                    let rows: Vec<View> = l.into_iter().filter(|b| show_done.get() || !b.done).map(|b| {
                        let toggle = toggle.clone();
                        let when = js_sys::Date::new(&(b.judged_at as f64).into()).to_locale_time_string("default").as_string().unwrap_or_default();
                        let (sid, done) = (b.submission_id, b.done);
                        view! {
                            tr(data-testid="balloon") {
                                td { (when) }
                                td { strong { (b.label.clone()) } }
                                td { (b.team.clone()) }
                                td { (if b.first_to_solve { t("balloons-first-to-solve") } else { String::new() }) }
                                td {
                                    button(class=if done { "ghost" } else { "" }, data-testid="balloon-done",
                                        on:click=move |_| toggle(sid, !done)) {
                                        (if done { t("balloons-delivered") } else { t("balloons-mark-delivered") })
                                    }
                                }
                            }
                        }
                    }).collect();
                    if rows.is_empty() {
                        view! { p(class="muted") { (t("balloons-none")) } }
                    } else {
                        view! {
                            table(class="table") {
                                thead { tr { th(scope="col") { (t("balloons-judged")) } th(scope="col") { (t("balloons-problem")) } th(scope="col") { (t("balloons-team")) } th(scope="col") { "" } th(scope="col") { "" } } }
                                tbody { (rows) }
                            }
                        }
                    }
                }
                _ => view! {},
            })
        }
    }
}
