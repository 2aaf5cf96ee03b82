//! The live scoreboard: a snapshot then deltas over `/ws`, kept in order by
//! [`Board`](crate::board::Board). Only the rows in view are in the DOM (windowed), each
//! keyed by team and placed with a CSS transform, so a rank change slides the row to its
//! new place. Frozen boards show pending cells and a banner; a team can be followed.
//! Spectators need no login; the jury can switch to the live jury board.

use crate::board::{self, Board};
use crate::ctx::Ctx;
use crate::format;
use crate::i18n::t;
use crate::live::{self, Link};
use codehub_protocol::board::{Delta, Row, Snapshot, Team};
use codehub_protocol::views::ContestView;
use codehub_protocol::ws::MessageKind;
use codehub_protocol::{Channel, ContestId, ContestKind, UserId};
use std::collections::HashMap;
use sycamore::prelude::*;
use wasm_bindgen::JsCast;

/// Row height in px (the CSS uses the same).
pub const ROW_HEIGHT: f64 = 36.0;
const OVERSCAN: usize = 6;

fn follow_key(contest: i64) -> String {
    format!("codehub.follow.{contest}")
}

/// `window.codehubStats`, if the benchmark installed it.
fn stats() -> Option<wasm_bindgen::JsValue> {
    let w = web_sys::window()?;
    js_sys::Reflect::get(&w, &"codehubStats".into())
        .ok()
        .filter(|v| v.is_object())
}

/// Updates the counter `key` of `window.codehubStats` with `f(old, value)`.
fn update_stat(key: &str, value: f64, f: fn(f64, f64) -> f64) {
    let Some(stats) = stats() else { return };
    let old = js_sys::Reflect::get(&stats, &key.into())
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0);
    let _ = js_sys::Reflect::set(&stats, &key.into(), &f(old, value).into());
}

/// Adds `value` to the counter `key` (read by the browser benchmark).
fn record_stat(key: &str, value: f64) {
    update_stat(key, value, |a, b| a + b);
}

/// Counts a delta and the main-thread time it took.
fn record_delta(apply_ms: f64) {
    record_stat("deltas", 1.0);
    record_stat("applyMs", apply_ms);
    update_stat("applyMaxMs", apply_ms, f64::max);
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// The page.
#[component(inline_props)]
pub fn ScoreboardPage(id: i64) -> View {
    let ctx = use_context::<Ctx>();
    let contest = super::fetch::<ContestView>(ctx.api, format!("/api/contests/{id}"));
    let names = create_signal(HashMap::<UserId, String>::new());
    let load_names = move || {
        sycamore::futures::spawn_local_scoped(async move {
            if let Ok(teams) = ctx
                .api
                .get::<Vec<Team>>(&format!("/api/contests/{id}/teams"))
                .await
            {
                names.set(teams.into_iter().map(|t| (t.id, t.name)).collect());
            }
        });
    };
    load_names();
    // Current ratings, shown beside the names (read once).
    let ratings = create_signal(HashMap::<UserId, i64>::new());
    sycamore::futures::spawn_local_scoped(async move {
        if let Ok(list) = ctx
            .api
            .get::<Vec<codehub_protocol::views::RatingView>>("/api/ratings")
            .await
        {
            ratings.set(
                list.into_iter()
                    .map(|r| (UserId(r.user_id), r.rating))
                    .collect(),
            );
        }
    });
    let jury = create_signal(false);
    let board = create_signal(None::<Board>);
    let link = create_signal(Link::Connecting);
    let error = create_signal(None::<String>);
    let follow = create_signal(
        crate::api::stored(&follow_key(id))
            .and_then(|s| s.parse::<i64>().ok())
            .map(UserId),
    );
    create_effect(move || {
        let value = follow.get().map(|t| t.to_string());
        crate::api::store(&follow_key(id), value.as_deref());
    });
    let scroll_top = create_signal(0.0);
    let viewport_height = create_signal(600.0);
    let viewport = create_node_ref();
    let first_render = create_signal(true);

    // (Re)subscribe whenever the board kind is known or the view changes.
    create_effect(move || {
        let kind = contest.with(|c| c.ready().map(|c| c.kind));
        let Some(kind) = kind else { return };
        let view = if jury.get() {
            codehub_protocol::View::Jury
        } else {
            codehub_protocol::View::Public
        };
        let channel = Channel::Scoreboard(ContestId(id), view);
        board.set(None);
        let state = live::subscribe(ctx.api, channel, move |msg| match msg.kind {
            MessageKind::Snapshot => match serde_json::from_value::<Snapshot>(msg.data) {
                Ok(s) => {
                    board.set(Some(Board::new(kind, s)));
                    if first_render.get_untracked() {
                        first_render.set(false);
                        if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
                            let _ = p.mark("scoreboard-rendered");
                        }
                    }
                }
                Err(e) => error.set(Some(crate::t!(
                    "scoreboard-bad-snapshot",
                    error = e.to_string()
                ))),
            },
            MessageKind::Delta => {
                let Ok(d) = serde_json::from_value::<Delta>(msg.data) else {
                    return;
                };
                let seq = msg.seq.unwrap_or(0);
                let started = now_ms();
                let mut unknown = false;
                let mut apply_ms = 0.0;
                board.update(|b| {
                    if let Some(b) = b {
                        unknown = d.rows.iter().any(|r| b.row(r.team).is_none());
                        let t = now_ms();
                        b.apply(seq, d);
                        apply_ms = now_ms() - t;
                    }
                });
                record_stat("boardMs", apply_ms);
                if unknown && names.with_untracked(|n| n.len() < 5000) {
                    load_names();
                }
                record_delta(now_ms() - started);
            }
            MessageKind::Error => error.set(msg.message),
            _ => {}
        });
        create_effect(move || link.set(state.get()));
    });

    // Keep a followed team in view.
    create_effect(move || {
        let Some(team) = follow.get() else { return };
        let Some(pos) = board.with(|b| b.as_ref().and_then(|b| b.position(team))) else {
            return;
        };
        let Some(node) = viewport.try_get() else {
            return;
        };
        let el: web_sys::Element = node.unchecked_into();
        let top = pos as f64 * ROW_HEIGHT;
        let (view_top, height) = (el.scroll_top() as f64, el.client_height() as f64);
        if top < view_top || top + ROW_HEIGHT > view_top + height {
            el.set_scroll_top((top - height / 2.0).max(0.0) as i32);
        }
    });

    // The teams in view, in team order: rows are placed by transform, so their DOM order
    // need not follow the ranks, and a stable order means a rank change moves no nodes.
    let visible = create_selector(move || {
        board.with(|b| {
            let Some(b) = b else { return Vec::new() };
            let range = board::window(
                b.len(),
                scroll_top.get(),
                viewport_height.get(),
                ROW_HEIGHT,
                OVERSCAN,
            );
            let mut teams: Vec<UserId> = b.rows()[range].iter().map(|r| r.team).collect();
            teams.sort_unstable();
            teams
        })
    });
    let on_scroll = move |_| {
        if let Some(node) = viewport.try_get() {
            let el: web_sys::Element = node.unchecked_into();
            scroll_top.set(el.scroll_top() as f64);
            viewport_height.set(el.client_height() as f64);
        }
    };
    on_mount(move || {
        if let Some(node) = viewport.try_get() {
            let el: web_sys::Element = node.unchecked_into();
            viewport_height.set(el.client_height() as f64);
        }
    });

    let is_jury = ctx.api.user().is_some_and(|u| u.role.is_jury());
    // Selectors (memos that compare): a delta re-runs them, but what depends on them
    // re-renders only when the value changed.
    let team_count = create_selector(move || board.with(|b| b.as_ref().map_or(0, |b| b.len())));
    let total_height = move || team_count.get() as f64 * ROW_HEIGHT;
    let problem_list = create_selector(move || {
        board.with(|b| b.as_ref().map(|b| b.problems.clone()).unwrap_or_default())
    });
    let problems = move || problem_list.get_clone();
    let board_kind =
        create_selector(move || board.with(|b| b.as_ref().map_or(ContestKind::Icpc, |b| b.kind())));
    let kind = move || board_kind.get();
    let frozen_now = create_selector(move || {
        !jury.get() && board.with(|b| b.as_ref().is_some_and(|b| b.frozen))
    });
    let frozen = move || frozen_now.get();
    let loaded = create_selector(move || board.with(|b| b.is_some()));
    let columns = move || {
        let n = problems().len();
        format!("--problems: {n}")
    };

    view! {
        section(class="scoreboard") {
            div(class="sb-title") {
                h1 { (contest.with(|c| c.ready().map(|c| c.name.clone()).unwrap_or_else(|| t("scoreboard-title")))) }
                span(class=move || format!("link-dot link-{:?}", link.get()).to_lowercase(), title=t("scoreboard-link-title"),
                    data-testid="link-state") {
                    (match link.get() {
                        Link::Live => t("scoreboard-link-live"),
                        Link::Connecting => t("scoreboard-link-connecting"),
                        Link::Reconnecting => t("scoreboard-link-reconnecting"),
                    })
                }
                span(class="countdown") {
                    ({
                        let now = ctx.now.get();
                        contest.with(|c| c.ready().map(|c| format::countdown(
                            format::state_at(now, c.start_at, c.end_at, c.freeze_at, c.unfreeze_at, c.unfrozen),
                            now, c.start_at, c.end_at, c.freeze_at))).unwrap_or_default()
                    })
                }
            }
            div(class="sb-controls") {
                label(r#for="follow") { (t("scoreboard-follow")) }
                select(id="follow", data-testid="follow",
                    on:change=move |e: web_sys::Event| {
                        let v = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()).map(|s| s.value()).unwrap_or_default();
                        follow.set(v.parse::<i64>().ok().map(UserId));
                    }) {
                    option(value="") { (t("scoreboard-follow-nobody")) }
                    ({
                        // Views are never built inside `with` (it holds the signal graph).
                        let mut list: Vec<(UserId, String)> = names.with(|n| n.iter().map(|(k, v)| (*k, v.clone())).collect());
                        list.sort_by(|a, b| a.1.cmp(&b.1));
                        list.into_iter().map(|(team, name)| {
                            let selected = follow.get_untracked() == Some(team);
                            view! { option(value=team.to_string(), selected=selected) { (name) } }
                        }).collect::<Vec<View>>()
                    })
                }
                (if is_jury {
                    view! {
                        label(class="check") {
                            input(r#type="checkbox", bind:checked=jury, data-testid="jury-toggle")
                            " " (t("scoreboard-jury-view"))
                        }
                    }
                } else { view! {} })
                span(class="muted") { (if loaded.get() { crate::t!("scoreboard-teams", count = team_count.get()) } else { String::new() }) }
            }
            (if frozen() {
                view! { div(class="frozen-banner", role="status", data-testid="frozen-banner") {
                    (t("scoreboard-frozen"))
                } }
            } else { view! {} })
            (super::error_line(error))
            div(class="sb-table", role="table", aria-label=t("scoreboard-title"), style=columns) {
                div(class="sb-row sb-head", role="row") {
                    span(class="c-rank", role="columnheader") { "#" }
                    span(class="c-team", role="columnheader") { (t("scoreboard-team")) }
                    span(class="c-total", role="columnheader") { (if kind() == ContestKind::Ioi { t("scoreboard-score") } else { t("scoreboard-solved") }) }
                    span(class="c-pen", role="columnheader") { (if kind() == ContestKind::Ioi { String::new() } else { t("scoreboard-time") }) }
                    (problems().into_iter().map(|p| view! { span(class="c-cell", role="columnheader") { (p) } }).collect::<Vec<View>>())
                }
                div(class="sb-viewport", r#ref=viewport, on:scroll=on_scroll, tabindex="0", data-testid="sb-viewport") {
                    div(class="sb-body", role="rowgroup", style=move || format!("height: {}px", total_height())) {
                        Keyed(
                            list=visible,
                            key=|team| *team,
                            view=move |team| view! { ScoreRow(team=team, board=*board, names=*names, ratings=*ratings, follow=*follow) },
                        )
                    }
                }
            }
            (if loaded.get() && team_count.get() == 0 {
                view! { p(class="muted") { (t("scoreboard-no-teams")) } }
            } else { view! {} })
        }
    }
}

/// One team's row, placed at its rank.
#[component(inline_props)]
fn ScoreRow(
    team: UserId,
    board: ReadSignal<Option<Board>>,
    names: ReadSignal<HashMap<UserId, String>>,
    ratings: ReadSignal<HashMap<UserId, i64>>,
    follow: ReadSignal<Option<UserId>>,
) -> View {
    // The rank is its own memo: when a team moves, the rows it passes change rank only,
    // and only that text node is touched.
    let rank = create_selector(move || {
        board.with(|b| b.as_ref().and_then(|b| b.row(team)).map_or(0, |r| r.rank))
    });
    let row = create_selector(move || {
        board.with(|b| {
            b.as_ref().and_then(|b| b.row(team)).map(|r| Row {
                rank: 0,
                ..r.clone()
            })
        })
    });
    let position = create_selector(move || {
        board.with(|b| b.as_ref().and_then(|b| b.position(team)).unwrap_or(0))
    });
    let kind = board.with_untracked(|b| b.as_ref().map_or(ContestKind::Icpc, |b| b.kind()));
    let class = move || {
        if follow.get() == Some(team) {
            "sb-row followed"
        } else {
            "sb-row"
        }
    };
    view! {
        div(class=class, role="row", data-team=team.to_string(), data-testid="sb-row",
            style=move || format!("transform: translateY({}px)", position.get() as f64 * ROW_HEIGHT)) {
            span(class="c-rank", role="cell", data-testid="sb-rank") { (rank.get()) }
            (row.get_clone().map(|r| row_cells(kind, &r, names.with(|n| n.get(&team).cloned()), ratings.with(|x| x.get(&team).copied()))).unwrap_or_default())
        }
    }
}

/// The cells of a row after the rank: team (with its rating, if rated), totals, one per
/// problem.
pub fn row_cells(kind: ContestKind, r: &Row, name: Option<String>, rating: Option<i64>) -> View {
    let name = name.unwrap_or_else(|| crate::t!("common-team-fallback", id = r.team.to_string()));
    let (total, penalty) = match kind {
        ContestKind::Icpc => (r.solved.to_string(), r.penalty.to_string()),
        ContestKind::Ioi => (format!("{:.0}", r.score), String::new()),
    };
    let cells: Vec<View> = r
        .cells
        .iter()
        .map(|c| {
            let class = if c.first_to_solve {
                "c-cell first"
            } else if c.solved {
                "c-cell solved"
            } else if c.pending > 0 {
                "c-cell pending"
            } else if c.attempts > 0 {
                "c-cell failed"
            } else {
                "c-cell"
            };
            let text = match kind {
                ContestKind::Icpc => board::icpc_cell_text(c),
                ContestKind::Ioi if c.attempts == 0 && c.pending == 0 => String::new(),
                ContestKind::Ioi if c.pending > 0 => format!("{:.0} ?", c.score),
                ContestKind::Ioi => format!("{:.0}", c.score),
            };
            view! { span(class=class, role="cell") { (text) } }
        })
        .collect();
    let title = name.clone();
    view! {
        span(class="c-team", role="cell", title=title) {
            (name)
            (rating.map(|x| view! { " " span(class="rating", data-testid="sb-rating") { (x) } }).unwrap_or_default())
        }
        span(class="c-total", role="cell", data-testid="sb-total") { (total) }
        span(class="c-pen", role="cell") { (penalty) }
        (cells)
    }
}
