//! The contest list and a contest's home (countdown, state, problems, registration).

use super::{Load, fetch, pending};
use crate::ctx::Ctx;
use crate::format;
use crate::i18n::t;
use codehub_protocol::views::{ContestRatingsView, ContestView, ProblemView};
use gloo_net::http::Method;
use sycamore::prelude::*;

/// The live state of a contest, given the server's clock skew.
fn live_state(c: &ContestView, now: i64) -> &'static str {
    format::state_at(
        now,
        c.start_at,
        c.end_at,
        c.freeze_at,
        c.unfreeze_at,
        c.unfrozen,
    )
}

/// The state badge.
pub fn state_badge(state: &'static str) -> View {
    let class = format!("state state-{state}");
    let name = format::state_name(state);
    view! { span(class=class, data-testid="contest-state") { (name) } }
}

/// `Date.now()` corrected by the offset between the server's and the browser's clocks.
fn server_now(ctx: Ctx, c: &ContestView, loaded_at: i64) -> i64 {
    ctx.now.get() + (c.server_time - loaded_at)
}

/// Every contest.
#[component]
pub fn ContestList() -> View {
    let ctx = use_context::<Ctx>();
    let loaded_at = js_sys::Date::now() as i64;
    let contests = fetch::<Vec<ContestView>>(ctx.api, "/api/contests".into());
    view! {
        section {
            h1 { (t("contests-title")) }
            (pending(&contests.get_clone()))
            (match contests.get_clone() {
                Load::Ready(list) if list.is_empty() => view! { p(class="muted") { (t("contests-none")) } },
                Load::Ready(list) => {
                    let cards: Vec<View> = list.into_iter().map(|c| {
                        let home = format!("/contests/{}", c.id);
                        let board = format!("/contests/{}/scoreboard", c.id);
                        let name = c.name.clone();
                        let kind = c.kind.as_str().to_uppercase();
                        let c2 = c.clone();
                        view! {
                            article(class="card contest-card", data-testid="contest-card") {
                                h2 { a(href=home) { (name) } }
                                p {
                                    (state_badge(live_state(&c2, server_now(ctx, &c2, loaded_at))))
                                    " " span(class="muted") { (kind) }
                                }
                                p(class="countdown") {
                                    (format::countdown(live_state(&c, server_now(ctx, &c, loaded_at)), server_now(ctx, &c, loaded_at), c.start_at, c.end_at, c.freeze_at))
                                }
                                p { a(href=board) { (t("contests-scoreboard-link")) } }
                            }
                        }
                    }).collect();
                    view! { div(class="grid") { (cards) } }
                }
                _ => view! {},
            })
        }
    }
}

/// A contest's home page.
#[component(inline_props)]
pub fn ContestHome(id: i64) -> View {
    let ctx = use_context::<Ctx>();
    let loaded_at = js_sys::Date::now() as i64;
    let contest = fetch::<ContestView>(ctx.api, format!("/api/contests/{id}"));
    let problems = fetch::<Vec<ProblemView>>(ctx.api, "/api/problems".into());
    let message = create_signal(None::<String>);
    let register = move |_| {
        sycamore::futures::spawn_local_scoped(async move {
            let path = format!("/api/contests/{id}/register");
            message.set(Some(
                match ctx
                    .api
                    .call(Method::POST, &path, crate::api::Body::Empty)
                    .await
                {
                    Ok(()) => t("contest-registered"),
                    Err(e) => e.to_string(),
                },
            ));
        });
    };
    let take_virtually = move |_| {
        sycamore::futures::spawn_local_scoped(async move {
            let path = format!("/api/contests/{id}/virtual");
            match ctx
                .api
                .send(Method::POST, &path, crate::api::Body::Empty)
                .await
            {
                Ok(_) => sycamore_router::navigate(&path.replace("/api", "")),
                Err(e) if e.to_string().contains("already") => {
                    sycamore_router::navigate(&path.replace("/api", ""))
                }
                Err(e) => message.set(Some(e.to_string())),
            }
        });
    };
    view! {
        (pending(&contest.get_clone()))
        (match contest.get_clone() {
            Load::Ready(c) => {
                let name = c.name.clone();
                let ended = c.state == codehub_protocol::ContestState::Ended;
                let rated = c.rated;
                let c_state = c.clone();
                let c_count = c.clone();
                let rows: Vec<View> = c.problems.iter().map(|p| {
                    let href = format!("/contests/{id}/problems/{}", p.problem_id);
                    let label = p.label.clone();
                    let pid = p.problem_id;
                    view! {
                        tr {
                            td { strong { (label) } }
                            td { a(href=href, data-testid="problem-link") {
                                (problems.with(|ps| ps.ready().and_then(|ps| ps.iter().find(|x| x.id == pid)).map(|x| x.name.clone()).unwrap_or_else(|| crate::t!("contest-problem-fallback", id = pid.to_string()))))
                            } }
                            td(class="muted") {
                                (problems.with(|ps| ps.ready().and_then(|ps| ps.iter().find(|x| x.id == pid)).map(|x| format!("{} · {}", format::ms(x.time_limit_ms), format::kib(x.memory_limit_kib))).unwrap_or_default()))
                            }
                        }
                    }
                }).collect();
                let table = if rows.is_empty() {
                    view! { p(class="muted") { (t("contest-problems-later")) } }
                } else {
                    view! {
                        table(class="table") {
                            thead { tr { th(scope="col") { "" } th(scope="col") { (t("contest-problem")) } th(scope="col") { (t("contest-limits")) } } }
                            tbody { (rows) }
                        }
                    }
                };
                let board = format!("/contests/{id}/scoreboard");
                let mine = format!("/contests/{id}/submissions");
                let kind = c.kind.as_str().to_uppercase();
                let penalty = crate::t!("contest-penalty", minutes = c.penalty_minutes);
                view! {
                    section(class="card") {
                        h1 { (name) }
                        p {
                            (state_badge(live_state(&c_state, server_now(ctx, &c_state, loaded_at))))
                            " " span(class="muted") { (kind) " " (penalty) }
                        }
                        p(class="countdown", aria-live="polite") {
                            (format::countdown(live_state(&c_count, server_now(ctx, &c_count, loaded_at)), server_now(ctx, &c_count, loaded_at), c_count.start_at, c_count.end_at, c_count.freeze_at))
                        }
                        p(class="actions") {
                            a(class="button", href=board) { (t("contest-scoreboard")) }
                            (if ctx.api.user().is_some() {
                                let mine = mine.clone();
                                let clars = format!("/contests/{id}/clarifications");
                                let resolver = format!("/contests/{id}/resolver");
                                let jury_links = if ctx.api.user().is_some_and(|u| u.role.is_jury()) {
                                    let balloons = format!("/contests/{id}/balloons");
                                    view! {
                                        a(class="button ghost", href=resolver, data-testid="resolver-link") { (t("contest-resolver")) }
                                        a(class="button ghost", href=balloons, data-testid="balloons-link") { (t("contest-balloons")) }
                                    }
                                } else {
                                    view! {}
                                };
                                let virtual_button = if ended {
                                    view! { button(class="ghost", on:click=take_virtually, data-testid="start-virtual") { (t("contest-take-virtually")) } }
                                } else {
                                    view! {}
                                };
                                view! {
                                    a(class="button ghost", href=mine) { (t("contest-my-submissions")) }
                                    a(class="button ghost", href=clars, data-testid="clarifications-link") { (t("contest-clarifications")) }
                                    (jury_links)
                                    button(class="ghost", on:click=register) { (t("contest-register")) }
                                    (virtual_button)
                                }
                            } else {
                                view! { a(class="button ghost", href="/login") { (t("contest-sign-in-to-compete")) } }
                            })
                        }
                        (super::error_line(message))
                    }
                    section(class="card") {
                        h2 { (t("contest-problems")) }
                        (table)
                    }
                    (if ended {
                        view! { Awards(contest=c.clone()) }
                    } else {
                        view! {}
                    })
                    (if ended && rated {
                        view! { RatingChanges(contest=id) }
                    } else {
                        view! {}
                    })
                }
            }
            _ => view! {},
        })
    }
}

/// The contest's awards (Contest API `awards`, as this viewer may see them: the public
/// sees those of the board it sees), with team names; shown once the contest is over.
#[component(inline_props)]
fn Awards(contest: ContestView) -> View {
    let ctx = use_context::<Ctx>();
    let awards = fetch::<Vec<serde_json::Value>>(
        ctx.api,
        format!("/api/ccs/contests/{}/awards", contest.ccs_id),
    );
    let teams = fetch::<Vec<codehub_protocol::board::Team>>(
        ctx.api,
        format!("/api/contests/{}/teams", contest.id),
    );
    let name = move |id: &str| {
        teams.with(|t| {
            t.ready()
                .and_then(|t| t.iter().find(|x| x.id.0.to_string() == id))
                .map_or_else(
                    || crate::t!("common-team-fallback", id = id),
                    |x| x.name.clone(),
                )
        })
    };
    view! {
        (match awards.get_clone() {
            Load::Ready(list) if list.iter().any(|a| a["team_ids"].as_array().is_some_and(|t| !t.is_empty())) => {
                let rows: Vec<View> = list.into_iter().filter_map(|a| {
                    let teams: Vec<String> = a["team_ids"].as_array()?.iter().filter_map(|t| t.as_str()).map(name).collect();
                    if teams.is_empty() {
                        return None;
                    }
                    let citation = a["citation"].as_str().unwrap_or_default().to_owned();
                    let teams = teams.join(", ");
                    Some(view! { tr(data-testid="award") { td { strong { (citation) } } td { (teams) } } })
                }).collect();
                view! {
                    section(class="card") {
                        h2 { (t("contest-awards")) }
                        table(class="table") { tbody { (rows) } }
                    }
                }
            }
            _ => view! {},
        })
    }
}

/// A rated contest's rating changes once finalised; administrators finalise them here.
#[component(inline_props)]
fn RatingChanges(contest: i64) -> View {
    let ctx = use_context::<Ctx>();
    let path = format!("/api/contests/{contest}/ratings");
    let ratings = fetch::<ContestRatingsView>(ctx.api, path.clone());
    let message = create_signal(None::<String>);
    let finalize = move |_| {
        let path = path.clone();
        sycamore::futures::spawn_local_scoped(async move {
            match ctx
                .api
                .post::<ContestRatingsView>(&path, serde_json::json!({}))
                .await
            {
                Ok(v) => {
                    message.set(None);
                    ratings.set(Load::Ready(v));
                }
                Err(e) => message.set(Some(e.to_string())),
            }
        });
    };
    let admin = ctx
        .api
        .user()
        .is_some_and(|u| u.role == codehub_protocol::Role::Admin);
    view! {
        section(class="card", data-testid="rating-changes") {
            h2 { (t("contest-rating-changes")) }
            (match ratings.get_clone() {
                Load::Ready(r) if r.finalized => {
                    let rows: Vec<View> = r.changes.into_iter().map(|c| {
                        let profile = format!("/users/{}", c.user_id);
                        let delta = format!("{:+}", c.delta);
                        let class = if c.delta >= 0 { "delta up" } else { "delta down" };
                        view! {
                            tr(data-testid="rating-change") {
                                td { (c.place) }
                                td { a(href=profile) { (c.username) } }
                                td { (c.performance) }
                                td { (c.rating) }
                                td(class=class) { (delta) }
                            }
                        }
                    }).collect();
                    view! {
                        table(class="table") {
                            thead { tr { th(scope="col") { "#" } th(scope="col") { (t("contest-ratings-who")) } th(scope="col") { (t("contest-ratings-performance")) } th(scope="col") { (t("contest-ratings-rating")) } th(scope="col") { (t("contest-ratings-change")) } } }
                            tbody { (rows) }
                        }
                    }
                }
                Load::Ready(_) => view! { p(class="muted") { (t("contest-ratings-pending")) } },
                other => pending(&other),
            })
            (if admin {
                view! { button(on:click=finalize, data-testid="finalize-ratings") { (t("contest-finalise-ratings")) } }
            } else {
                view! {}
            })
            (super::error_line(message))
        }
    }
}
