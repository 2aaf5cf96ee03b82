//! A virtual participation in a past contest: the participant's own clock and the ghost
//! board, where the original teams stand as they stood at the same elapsed time. The
//! board is fetched again every two seconds while the clock runs, so ghost rows move as
//! the participant's time reaches theirs.

use super::{Load, pending};
use crate::ctx::Ctx;
use crate::format;
use crate::i18n::t;
use codehub_protocol::ContestKind;
use codehub_protocol::views::{ContestView, VirtualView};
use sycamore::prelude::*;

/// The virtual contest page of contest `id`.
#[component(inline_props)]
pub fn VirtualPage(id: i64) -> View {
    let ctx = use_context::<Ctx>();
    let state = create_signal(Load::<VirtualView>::Loading);
    let kind = create_signal(ContestKind::Icpc);
    let name = create_signal(String::new());
    sycamore::futures::spawn_local_scoped(async move {
        if let Ok(c) = ctx
            .api
            .get::<ContestView>(&format!("/api/contests/{id}"))
            .await
        {
            kind.set(c.kind);
            name.set(c.name);
        }
    });
    // Fetched every two seconds until the participant's clock runs out (the loop ends
    // with the page: the task belongs to its scope).
    sycamore::futures::spawn_local_scoped(async move {
        let path = format!("/api/contests/{id}/virtual");
        loop {
            let next = match ctx.api.get::<VirtualView>(&path).await {
                Ok(v) => Load::Ready(v),
                Err(e) => Load::Failed(e.to_string()),
            };
            // Done when the clock has run out, or when there is nothing to follow (not
            // started: the page says so).
            let done = next.ready().is_none_or(|v| v.finished);
            state.set(next);
            if done {
                break;
            }
            gloo_timers::future::TimeoutFuture::new(2000).await;
        }
    });
    view! {
        section(class="card") {
            h1 { (crate::t!("virtual-title", contest = name.get_clone())) }
            (pending(&state.get_clone()))
            (match state.get_clone() {
                Load::Ready(v) => {
                    let left = (v.ends_at - ctx.now.get()).max(0);
                    let clock = if v.finished {
                        t("virtual-over")
                    } else {
                        crate::t!("virtual-clock", elapsed = format::duration(v.elapsed_ms), left = format::duration(left))
                    };
                    let problems: Vec<View> = v.problems.iter().map(|p| {
                        let href = format!("/practice/{}", p.problem_id);
                        let label = p.label.clone();
                        view! { a(class="button ghost", href=href, data-testid="virtual-problem") { (label) } }
                    }).collect();
                    view! {
                        p(class="countdown", aria-live="polite", data-testid="virtual-clock") { (clock) }
                        p(class="muted") { (t("virtual-submit-from-problems")) }
                        p(class="actions") { (problems) }
                    }
                }
                _ => view! {},
            })
        }
        section(class="card") {
            h2 { (t("virtual-ghost-board")) }
            (match state.get_clone() {
                Load::Ready(v) => ghost_table(kind.get(), &v),
                _ => view! {},
            })
        }
    }
}

/// The ghost board: the participant's row marked, every other row a ghost.
fn ghost_table(kind: ContestKind, v: &VirtualView) -> View {
    let labels: Vec<View> = v
        .problems
        .iter()
        .map(|p| {
            let l = p.label.clone();
            view! { th(scope="col") { (l) } }
        })
        .collect();
    let rows: Vec<View> = v
        .rows
        .iter()
        .map(|r| {
            let me = r.team.0 == v.user_id;
            let name = v.teams.iter().find(|t| t.id == r.team).map_or_else(
                || crate::t!("common-team-fallback", id = r.team.to_string()),
                |t| t.name.clone(),
            );
            let (class, testid) = if me {
                ("virtual-me", "virtual-me")
            } else {
                ("ghost-team", "ghost-row")
            };
            let total = match kind {
                ContestKind::Icpc => format!("{} · {}", r.solved, r.penalty),
                ContestKind::Ioi => format!("{:.0}", r.score),
            };
            let cells: Vec<View> = r
                .cells
                .iter()
                .map(|c| {
                    let (class, text) = match kind {
                        ContestKind::Icpc => (
                            if c.solved {
                                "solved"
                            } else if c.attempts > 0 {
                                "failed"
                            } else {
                                ""
                            },
                            crate::board::icpc_cell_text(c),
                        ),
                        ContestKind::Ioi => (
                            "",
                            if c.attempts > 0 {
                                format!("{:.0}", c.score)
                            } else {
                                String::new()
                            },
                        ),
                    };
                    view! { td(class=class) { (text) } }
                })
                .collect();
            let rank = r.rank;
            let solved = r.solved.to_string();
            view! {
                tr(class=class, data-testid=testid, data-solved=solved) {
                    td { (rank) } td { (name) } td { (total) } (cells)
                }
            }
        })
        .collect();
    view! {
        table(class="table ghost-board") {
            thead { tr { th(scope="col") { "#" } th(scope="col") { (t("virtual-team")) } th(scope="col") { (t("virtual-total")) } (labels) } }
            tbody { (rows) }
        }
    }
}
