//! The practice archive, with solved markers for a signed-in learner.

use super::{Load, fetch, pending};
use crate::ctx::Ctx;
use crate::format;
use codehub_protocol::views::{ProblemView, ProgressView};
use std::collections::HashMap;
use sycamore::prelude::*;

/// The page.
#[component]
pub fn PracticePage() -> View {
    let ctx = use_context::<Ctx>();
    let problems = fetch::<Vec<ProblemView>>(ctx.api, "/api/problems".into());
    let progress = create_signal(HashMap::<i64, ProgressView>::new());
    if ctx.api.user().is_some() {
        sycamore::futures::spawn_local_scoped(async move {
            if let Ok(list) = ctx
                .api
                .get::<Vec<ProgressView>>("/api/practice/progress")
                .await
            {
                progress.set(list.into_iter().map(|p| (p.problem_id, p)).collect());
            }
        });
    }
    view! {
        section(class="card") {
            h1 { "Practice" }
            p(class="muted") { "Problems open for practice at any time. " a(href="/practice/submissions") { "My practice submissions" } }
            (pending(&problems.get_clone()))
            (match problems.get_clone() {
                Load::Ready(list) => {
                    let rows: Vec<View> = list.into_iter().filter(|p| p.practice).map(|p| {
                        let href = format!("/practice/{}", p.id);
                        let id = p.id;
                        let name = p.name.clone();
                        let limits = format!("{} · {}", format::ms(p.time_limit_ms), format::kib(p.memory_limit_kib));
                        view! {
                            tr(data-testid="practice-row") {
                                td {
                                    (match progress.with(|m| m.get(&id).cloned()) {
                                        Some(p) if p.solved => view! { span(class="badge ok", title="Solved", data-testid="solved") { "✓ solved" } },
                                        Some(p) if p.attempts > 0 => view! { span(class="badge bad", title="Tried") { (p.attempts) " tries" } },
                                        _ => view! { span(class="muted") { "—" } },
                                    })
                                }
                                td { a(href=href) { (name) } }
                                td(class="muted") { (limits) }
                            }
                        }
                    }).collect();
                    if rows.is_empty() {
                        view! { p(class="muted") { "No practice problems yet." } }
                    } else {
                        view! {
                            table(class="table") {
                                thead { tr { th(scope="col") { "Status" } th(scope="col") { "Problem" } th(scope="col") { "Limits" } } }
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
