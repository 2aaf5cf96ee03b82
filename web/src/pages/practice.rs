//! The practice archive: search by name, tag and difficulty, unsolved only, sorted and
//! paged by the server (`GET /api/archive`), with solved markers for a signed-in learner.

use super::Load;
use crate::ctx::Ctx;
use crate::i18n::t;
use codehub_protocol::views::{ArchiveEntry, ArchivePage, ProgressView};
use std::collections::HashMap;
use sycamore::prelude::*;
use wasm_bindgen::JsCast;

/// Problems per page.
const PER_PAGE: usize = 25;

/// The value of the form control that fired `e`.
fn value_of(e: &web_sys::Event) -> String {
    let target = e.target();
    if let Some(s) = target
        .clone()
        .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
    {
        return s.value();
    }
    target
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .map(|i| i.value())
        .unwrap_or_default()
}

/// The page.
#[component]
pub fn PracticePage() -> View {
    let ctx = use_context::<Ctx>();
    let signed_in = ctx.api.user().is_some();
    let text = create_signal(String::new());
    let tag = create_signal(String::new());
    let max_difficulty = create_signal(String::new());
    let unsolved = create_signal(false);
    let sort = create_signal("name".to_owned());
    let page = create_signal(1usize);
    let result = create_signal(Load::<ArchivePage>::Loading);
    let progress = create_signal(HashMap::<i64, ProgressView>::new());
    if signed_in {
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
    // Every change of the search asks the server again; only the latest answer is shown
    // (an earlier one may arrive after it).
    let asked = create_signal(0u64);
    create_effect(move || {
        let mut path = format!(
            "/api/archive?sort={}&page={}&per_page={PER_PAGE}",
            sort.get_clone(),
            page.get()
        );
        let q = text.get_clone();
        if !q.trim().is_empty() {
            path.push_str(&format!("&q={}", js_sys::encode_uri_component(q.trim())));
        }
        let t = tag.get_clone();
        if !t.is_empty() {
            path.push_str(&format!("&tags={}", js_sys::encode_uri_component(&t)));
        }
        let d = max_difficulty.get_clone();
        if !d.is_empty() {
            path.push_str(&format!("&max_difficulty={d}"));
        }
        if unsolved.get() {
            path.push_str("&unsolved=true");
        }
        super::fetch_latest(ctx.api, asked, result, path);
    });
    // A new search starts at its first page.
    let search_changed = move || page.set(1);

    let tag_options = move || -> Vec<View> {
        let tags = result.with(|r| match r {
            Load::Ready(p) => p.tags.clone(),
            _ => Vec::new(),
        });
        tags.into_iter()
            .map(|t| {
                let label = format!("{} ({})", t.tag, t.problems);
                let selected = tag.get_clone_untracked() == t.tag;
                view! { option(value=t.tag, selected=selected) { (label) } }
            })
            .collect()
    };
    view! {
        section(class="card") {
            h1 { (t("practice-title")) }
            p(class="muted") { (t("practice-intro")) " " a(href="/practice/submissions") { (t("practice-my-submissions")) } }
            form(class="archive-search row", on:submit=move |e: web_sys::SubmitEvent| e.prevent_default()) {
                input(r#type="search", placeholder=t("practice-search"), aria-label=t("practice-search"),
                    data-testid="archive-search", bind:value=text, on:input=move |_| search_changed())
                select(aria-label=t("practice-tag"), data-testid="archive-tag", on:change=move |e: web_sys::Event| {
                    tag.set(value_of(&e));
                    search_changed();
                }) {
                    option(value="") { (t("practice-any-tag")) }
                    (tag_options())
                }
                select(aria-label=t("practice-difficulty-at-most"), data-testid="archive-difficulty", on:change=move |e: web_sys::Event| {
                    max_difficulty.set(value_of(&e));
                    search_changed();
                }) {
                    option(value="") { (t("practice-any-difficulty")) }
                    ((1..=10).map(|d| view! { option(value=d.to_string()) { "≤ " (d) } }).collect::<Vec<View>>())
                }
                select(aria-label=t("practice-sort"), data-testid="archive-sort", on:change=move |e: web_sys::Event| {
                    sort.set(value_of(&e));
                    search_changed();
                }) {
                    option(value="name") { (t("practice-sort-name")) }
                    option(value="difficulty") { (t("practice-sort-difficulty")) }
                    option(value="solved") { (t("practice-sort-solved")) }
                    option(value="acceptance") { (t("practice-sort-acceptance")) }
                    option(value="newest") { (t("practice-sort-newest")) }
                }
                (if signed_in {
                    view! {
                        label {
                            input(r#type="checkbox", data-testid="archive-unsolved", bind:checked=unsolved,
                                on:change=move |_| search_changed())
                            " " (t("practice-unsolved-only"))
                        }
                    }
                } else {
                    view! {}
                })
            }
            (super::pending(&result.get_clone()))
            (match result.get_clone() {
                Load::Ready(found) => results(found, page, progress),
                _ => view! {},
            })
        }
    }
}

/// A page of results with its pager.
fn results(
    found: ArchivePage,
    page: Signal<usize>,
    progress: Signal<HashMap<i64, ProgressView>>,
) -> View {
    if found.problems.is_empty() {
        return view! { p(class="muted", data-testid="archive-empty") { (t("practice-no-match")) } };
    }
    let pages = found.total.div_ceil(found.per_page).max(1);
    let at = found.page;
    let summary = crate::t!(
        "practice-summary",
        count = found.total,
        page = at,
        pages = pages
    );
    let rows: Vec<View> = found
        .problems
        .into_iter()
        .map(|p| row(p, progress))
        .collect();
    view! {
        table(class="table") {
            thead { tr {
                th(scope="col") { (t("practice-status")) } th(scope="col") { (t("practice-problem")) } th(scope="col") { (t("practice-tags")) }
                th(scope="col") { (t("practice-difficulty")) } th(scope="col") { (t("practice-solved-by")) } th(scope="col") { (t("practice-acceptance")) }
            } }
            tbody { (rows) }
        }
        div(class="row pager") {
            button(r#type="button", class="ghost", disabled=at <= 1, data-testid="archive-prev",
                on:click=move |_| page.set(at.saturating_sub(1).max(1))) { (t("practice-previous")) }
            span(class="muted", data-testid="archive-summary") { (summary) }
            button(r#type="button", class="ghost", disabled=at >= pages, data-testid="archive-next",
                on:click=move |_| page.set(at + 1)) { (t("practice-next")) }
        }
    }
}

/// One problem's row.
fn row(p: ArchiveEntry, progress: Signal<HashMap<i64, ProgressView>>) -> View {
    let href = format!("/practice/{}", p.id);
    let id = p.id;
    let solved_by_me = p.solved_by_me;
    let status: View = match progress.with(|m| m.get(&id).cloned()) {
        _ if solved_by_me => {
            view! { span(class="badge ok", title=t("practice-solved-title"), data-testid="solved") { (t("practice-solved")) } }
        }
        Some(mine) if mine.attempts > 0 => {
            let tries = crate::t!("practice-tries", count = mine.attempts);
            view! { span(class="badge bad", title=t("practice-tried-title")) { (tries) } }
        }
        _ => view! { span(class="muted") { "—" } },
    };
    let tags = p.tags.join(", ");
    let difficulty = p
        .difficulty
        .map(|d| format!("{d:.1}"))
        .unwrap_or_else(|| "—".into());
    let acceptance = p
        .acceptance
        .map(|a| format!("{:.0} %", a * 100.0))
        .unwrap_or_else(|| "—".into());
    let name = p.name;
    let solved = p.solved;
    view! {
        tr(data-testid="practice-row") {
            td { (status) }
            td { a(href=href) { (name) } }
            td(class="muted", data-testid="archive-tags") { (tags) }
            td { (difficulty) }
            td { (solved) }
            td { (acceptance) }
        }
    }
}
