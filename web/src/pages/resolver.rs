//! The resolver page: the frozen board revealed from the bottom up, one cell per key
//! press, rows gliding to their new places, award winners marked at the end. The jury
//! drives it (keyboard: Space, Enter or → reveal, ← back); everyone else's page follows the
//! jury's steps live (`contest/{id}/resolver`). Reads the contest from the Contest API, or
//! from an event-feed file (an exported contest). Laid out for a 1080p projector.

use crate::api::Body;
use crate::ctx::Ctx;
use crate::i18n::t;
use crate::live;
use crate::resolver::{Objects, Resolver};
use codehub_protocol::views::{ContestView, ResolverState};
use codehub_protocol::{Channel, ContestId};
use gloo_net::http::Method;
use serde_json::Value;
use std::collections::HashMap;
use sycamore::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// Height of a row, px (the rows' `top` moves in these steps).
const ROW_HEIGHT: usize = 64;

/// Reads the contest's objects through the Contest API, as whoever is signed in (the
/// jury sees everything; others the board as frozen).
async fn load(ctx: Ctx, id: i64) -> Result<Objects, String> {
    let contest: ContestView = ctx
        .api
        .get(&format!("/api/contests/{id}"))
        .await
        .map_err(|e| e.to_string())?;
    let base = format!("/api/ccs/contests/{}", contest.ccs_id);
    let mut objects = Objects {
        contest: ctx
            .api
            .get::<Value>(&base)
            .await
            .map_err(|e| e.to_string())?,
        by_type: HashMap::new(),
    };
    for kind in ["problems", "teams", "submissions", "judgements", "awards"] {
        let list: Vec<Value> = ctx
            .api
            .get(&format!("{base}/{kind}"))
            .await
            .map_err(|e| e.to_string())?;
        objects.by_type.insert(kind.to_owned(), list);
    }
    Ok(objects)
}

/// The page.
#[component(inline_props)]
pub fn ResolverPage(id: i64) -> View {
    let ctx = use_context::<Ctx>();
    let jury = ctx.api.user().is_some_and(|u| u.role.is_jury());
    let state = create_signal(None::<Resolver>);
    let error = create_signal(None::<String>);
    // The jury's last published steps (spectators), applied once the board is loaded.
    let followed = create_signal(None::<ResolverState>);
    let start =
        move |objects: Result<Objects, String>| match objects.and_then(|o| Resolver::new(&o)) {
            Ok(mut r) => {
                error.set(None);
                if let Some(f) = followed.get_clone_untracked() {
                    r.follow(&f);
                }
                state.set(Some(r));
            }
            Err(e) => error.set(Some(e)),
        };
    sycamore::futures::spawn_local_scoped(async move { start(load(ctx, id).await) });
    if !jury {
        live::subscribe(ctx.api, Channel::Resolver(ContestId(id)), move |msg| {
            let Ok(f) = serde_json::from_value::<ResolverState>(msg.data) else {
                return;
            };
            state.update(|s| {
                if let Some(r) = s {
                    r.follow(&f);
                }
            });
            followed.set(Some(f));
        });
    }
    // The jury's page publishes each step for the spectators' pages through one task that
    // lives as long as the page: one request at a time, in the order the steps were
    // taken, and only the latest of those taken while a request was under way, so the
    // server never gets an older step after a newer one.
    let (steps, mut taken) = futures::channel::mpsc::unbounded::<ResolverState>();
    if jury {
        sycamore::futures::spawn_local_scoped(async move {
            use futures::StreamExt;
            let path = format!("/api/contests/{id}/resolver");
            while let Some(mut body) = taken.next().await {
                while let Ok(newer) = taken.try_recv() {
                    body = newer;
                }
                let body = serde_json::to_value(body).unwrap_or_default();
                if let Err(e) = ctx.api.call(Method::POST, &path, Body::Json(body)).await {
                    error.set(Some(crate::t!(
                        "resolver-not-following",
                        error = e.to_string()
                    )));
                }
            }
        });
    }
    let steps = create_signal(steps);
    let publish = move || {
        if let Some(body) = state.with_untracked(|s| s.as_ref().map(|r| r.state())) {
            steps.with_untracked(|steps| {
                let _ = steps.unbounded_send(body);
            });
        }
    };
    let on_file = move |e: web_sys::Event| {
        let Some(file) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|i| i.files())
            .and_then(|f| f.get(0))
        else {
            return;
        };
        sycamore::futures::spawn_local_scoped(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
            match text.ok().and_then(|t| t.as_string()) {
                Some(text) => start(Objects::from_feed(&text)),
                None => error.set(Some(t("resolver-cannot-read-file"))),
            }
        });
    };
    let forward = move || {
        if !jury {
            return;
        }
        state.update(|s| {
            if let Some(r) = s {
                r.step();
            }
        });
        publish();
    };
    let back = move || {
        if !jury {
            return;
        }
        state.update(|s| {
            if let Some(r) = s {
                r.back();
            }
        });
        publish();
    };
    // Keys on the whole window, for as long as the page is shown.
    let on_key =
        Closure::<dyn FnMut(web_sys::KeyboardEvent)>::new(move |e: web_sys::KeyboardEvent| {
            let typing = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .is_some();
            if typing {
                return;
            }
            match e.key().as_str() {
                " " | "Enter" | "ArrowRight" => {
                    e.prevent_default();
                    forward();
                }
                "ArrowLeft" => {
                    e.prevent_default();
                    back();
                }
                _ => {}
            }
        });
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback("keydown", on_key.as_ref().unchecked_ref());
    }
    on_cleanup(move || {
        if let Some(w) = web_sys::window() {
            let _ =
                w.remove_event_listener_with_callback("keydown", on_key.as_ref().unchecked_ref());
        }
        drop(on_key);
    });

    // Rows are keyed by team in a fixed order; each reads its place from the state, so a
    // team that climbs keeps its element and glides (CSS transition on `top`).
    let teams = create_memo(move || {
        let mut t: Vec<String> = state.with(|s| {
            s.as_ref()
                .map(|r| r.rows.iter().map(|r| r.team.clone()).collect())
                .unwrap_or_default()
        });
        t.sort();
        t
    });
    let labels = move || state.with(|s| s.as_ref().map(|r| r.labels.clone()).unwrap_or_default());
    let columns = move || format!("--problems: {}", labels().len());
    let height = move || format!("height: {}px", teams.with(Vec::len) * ROW_HEIGHT);
    let status = move || {
        state.with(|s| match s {
            None => String::new(),
            Some(r) if r.done() => t("resolver-final-standings"),
            Some(r) => match &r.last {
                Some(l) if l.solved => crate::t!(
                    "resolver-solved",
                    team = name_of(r, &l.team),
                    rank = l.to_rank
                ),
                Some(l) => crate::t!(
                    "resolver-not-solved",
                    team = name_of(r, &l.team),
                    rank = l.to_rank
                ),
                None => t("resolver-at-the-freeze"),
            },
        })
    };
    view! {
        section(class="resolver", style=columns, data-testid="resolver") {
            header(class="resolver-head") {
                h1 { (t("resolver-title")) }
                p(class="resolver-status", aria-live="polite", data-testid="resolver-status") { (status()) }
                div(class="row") {
                    (if jury {
                        view! {
                            button(on:click=move |_| back(), data-testid="resolver-back") { (t("resolver-back")) }
                            button(on:click=move |_| forward(), data-testid="resolver-next") { (t("resolver-reveal")) }
                        }
                    } else {
                        view! { span(class="muted", data-testid="resolver-following") { (t("resolver-following")) } }
                    })
                    label(class="button ghost") {
                        (t("resolver-load-feed"))
                        input(r#type="file", accept=".ndjson,.json,.txt", class="visually-hidden", on:change=on_file, data-testid="resolver-file")
                    }
                }
                (super::error_line(error))
            }
            div(class="resolver-board", role="table") {
                div(class="rv-row rv-head", role="row") {
                    span(class="rv-rank") { "#" }
                    span(class="rv-team") { (t("resolver-team")) }
                    span(class="rv-total") { (t("resolver-solved-column")) }
                    span(class="rv-pen") { (t("resolver-time")) }
                    (labels().into_iter().map(|l| view! { span(class="rv-cell") { (l) } }).collect::<Vec<View>>())
                }
                div(class="rv-body", style=height) {
                    Keyed(
                        list=teams,
                        key=|team| team.clone(),
                        view=move |team| view! { ResolverRow(team=team, state=*state) },
                    )
                }
            }
        }
    }
}

fn name_of(r: &Resolver, team: &str) -> String {
    r.rows
        .iter()
        .find(|x| x.team == team)
        .map(|x| x.name.clone())
        .unwrap_or_default()
}

/// One team's row at its current place.
#[component(inline_props)]
fn ResolverRow(team: String, state: ReadSignal<Option<Resolver>>) -> View {
    let t = team.clone();
    let place = create_selector(move || {
        state.with(|s| {
            s.as_ref()
                .and_then(|r| r.rows.iter().position(|x| x.team == t))
                .unwrap_or(0)
        })
    });
    let t = team.clone();
    let row = create_memo(move || {
        state.with(|s| {
            s.as_ref()
                .and_then(|r| r.rows.iter().find(|x| x.team == t).cloned())
        })
    });
    let t = team.clone();
    let class = move || {
        state.with(|s| {
            let Some(r) = s else {
                return "rv-row".to_owned();
            };
            let mut class = "rv-row".to_owned();
            let next = r.next().map(|(i, _)| r.rows[i].team == t).unwrap_or(false);
            if next {
                class.push_str(" rv-next");
            }
            if r.done() {
                for (word, medal) in [
                    ("Gold", " rv-gold"),
                    ("Silver", " rv-silver"),
                    ("Bronze", " rv-bronze"),
                    ("winner", " rv-winner"),
                ] {
                    if r.awards
                        .get(&t)
                        .is_some_and(|a| a.iter().any(|c| c.contains(word)))
                    {
                        class.push_str(medal);
                    }
                }
            }
            class
        })
    };
    let t = team.clone();
    let citations = create_memo(move || {
        state.with(|s| {
            s.as_ref()
                .filter(|r| r.done())
                .and_then(|r| r.awards.get(&t).cloned())
                .unwrap_or_default()
                .join(" · ")
        })
    });

    let t = team.clone();
    let focus = create_memo(move || {
        state.with(|s| {
            s.as_ref().and_then(|r| {
                r.next()
                    .filter(|(i, _)| r.rows[*i].team == t)
                    .map(|(_, c)| c)
            })
        })
    });

    let t = team.clone();
    let revealed = create_memo(move || {
        state.with(|s| {
            s.as_ref()
                .and_then(|r| r.last.as_ref().filter(|l| l.team == t).map(|l| l.problem))
        })
    });
    view! {
        div(class=class, role="row", data-team=team, data-testid="rv-row",
            style=move || format!("top: {}px", place.get() * ROW_HEIGHT)) {
            (row.get_clone().map(|r| {
                let cells: Vec<View> = r.cells.iter().enumerate().map(|(i, c)| {
                    let (kind, text) = if let Some(at) = c.solved_at {
                        ("rv-solved", format!("{} · {at}", c.tries))
                    } else if c.pending() > 0 {
                        ("rv-pending", format!("? {}", c.tries as usize + c.pending()))
                    } else if c.tries > 0 {
                        ("rv-failed", c.tries.to_string())
                    } else {
                        ("rv-empty", String::new())
                    };
                    let mut class = format!("rv-cell {kind}");
                    if focus.get() == Some(i) {
                        class.push_str(" rv-focus");
                    }
                    if revealed.get() == Some(i) {
                        class.push_str(" rv-revealed");
                    }
                    view! { span(class=class, data-testid="rv-cell") { (text) } }
                }).collect();
                let name = r.name.clone();
                view! {
                    span(class="rv-rank", data-testid="rv-rank") { (r.rank) }
                    span(class="rv-team") { span(data-testid="rv-name") { (name) } span(class="rv-awards") { (citations.get_clone()) } }
                    span(class="rv-total", data-testid="rv-solved") { (r.solved) }
                    span(class="rv-pen") { (r.penalty) }
                    (cells)
                }
            }).unwrap_or_default())
        }
    }
}
