//! The problem page's hints and editorial: hints revealed one at a time, the editorial
//! once solved or on the learner's choice (`/api/problems/{id}/editorial`).

use crate::ctx::Ctx;
use crate::i18n::t;
use codehub_protocol::views::EditorialView;
use sycamore::prelude::*;

/// The hints and editorial of `problem` for the signed-in learner.
#[component(inline_props)]
pub fn HelpPanel(problem: i64) -> View {
    let ctx = use_context::<Ctx>();
    let state = create_signal(None::<Result<EditorialView, String>>);
    let busy = create_signal(false);
    let base = format!("/api/problems/{problem}");
    {
        let path = format!("{base}/editorial");
        sycamore::futures::spawn_local_scoped(async move {
            state.set(Some(
                ctx.api
                    .get::<EditorialView>(&path)
                    .await
                    .map_err(|e| e.to_string()),
            ));
        });
    }
    let act = move |path: String| {
        if busy.get() {
            return;
        }
        busy.set(true);
        sycamore::futures::spawn_local_scoped(async move {
            match ctx
                .api
                .post::<EditorialView>(&path, serde_json::json!({}))
                .await
            {
                Ok(v) => state.set(Some(Ok(v))),
                Err(e) => state.set(Some(Err(e.to_string()))),
            }
            busy.set(false);
        });
    };
    let next_hint = format!("{base}/hints/next");
    let open = format!("{base}/editorial/open");
    view! {
        (match state.get_clone() {
            None => view! {},
            Some(Err(message)) => view! {
                section(class="card help") { p(class="muted", data-testid="help-closed") { (message) } }
            },
            Some(Ok(v)) if v.hints_total == 0 && !v.has_editorial => view! {},
            Some(Ok(v)) => {
                let shown = v.hints.len();
                let total = v.hints_total;
                let hints: Vec<View> = v.hints.iter().enumerate().map(|(i, h)| {
                    let html = h.html.clone();
                    view! {
                        div(class="hint", data-testid="hint") {
                            strong { (crate::t!("problem-hint", number = i + 1)) }
                            div(dangerously_set_inner_html=html)
                        }
                    }
                }).collect();
                let (next_hint, open) = (next_hint.clone(), open.clone());
                let more = if shown < total {
                    view! {
                        button(r#type="button", class="ghost", disabled=busy.get(), data-testid="next-hint",
                            on:click=move |_| act(next_hint.clone())) {
                            (crate::t!("problem-show-hint", shown = shown + 1, total = total))
                        }
                    }
                } else {
                    view! {}
                };
                let editorial = match (&v.editorial, v.has_editorial) {
                    (Some(e), _) => {
                        let html = e.html.clone();
                        view! {
                            h3 { (t("problem-editorial")) }
                            div(class="statement-body", data-testid="editorial", dangerously_set_inner_html=html)
                        }
                    }
                    (None, true) => view! {
                        p(class="muted") { (t("problem-editorial-locked")) }
                        button(r#type="button", class="ghost", disabled=busy.get(), data-testid="open-editorial",
                            on:click=move |_| act(open.clone())) { (t("problem-show-editorial")) }
                    },
                    (None, false) => view! {},
                };
                view! {
                    section(class="card help") {
                        h2 { (t("problem-hints")) }
                        (hints)
                        (more)
                        (editorial)
                    }
                }
            }
        })
    }
}
