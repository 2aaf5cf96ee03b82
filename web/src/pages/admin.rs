//! Admin and jury: judge queue, contests (create, edit, freeze, unfreeze), problem
//! package import, rejudge.

use super::{Load, fetch};
use crate::api::Body;
use crate::ctx::Ctx;
use crate::i18n::t;
use codehub_protocol::error::ErrorBody;
use codehub_protocol::views::{ContestProblemView, ContestView, ProblemView, QueueView};
use gloo_net::http::Method;
use sycamore::prelude::*;
use wasm_bindgen::JsCast;

/// ms since the epoch → the `datetime-local` input's local `YYYY-MM-DDTHH:MM`.
fn to_local_input(ms: i64) -> String {
    let d = js_sys::Date::new(&(ms as f64).into());
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// A `datetime-local` value (local time) → ms since the epoch.
fn from_local_input(s: &str) -> Option<i64> {
    if s.trim().is_empty() {
        return None;
    }
    let t = js_sys::Date::new(&s.into()).get_time();
    t.is_finite().then_some(t as i64)
}

/// `A=1, B=2` → contest problems.
pub fn parse_problems(s: &str) -> Result<Vec<ContestProblemView>, String> {
    s.split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(|item| {
            let (label, id) = item
                .split_once('=')
                .ok_or_else(|| crate::t!("admin-problems-syntax", item = item))?;
            let problem_id = id
                .trim()
                .parse::<i64>()
                .map_err(|_| crate::t!("admin-problems-bad-id", item = item, id = id.trim()))?;
            Ok(ContestProblemView {
                problem_id,
                label: label.trim().to_owned(),
            })
        })
        .collect()
}

/// Contest problems → `A=1, B=2`.
pub fn format_problems(ps: &[ContestProblemView]) -> String {
    ps.iter()
        .map(|p| format!("{}={}", p.label, p.problem_id))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The page.
#[component]
pub fn AdminPage() -> View {
    let ctx = use_context::<Ctx>();
    if !ctx.api.user().is_some_and(|u| u.role.is_jury()) {
        return view! { section(class="card") { h1 { (t("admin-title")) } p { (t("admin-jury-only")) " " a(href="/login") { (t("admin-sign-in")) } } } };
    }
    view! {
        h1 { (t("admin-title")) }
        div(class="grid wide") {
            QueuePanel()
            ContestPanel()
            ImportPanel()
            RejudgePanel()
            EditorialPanel()
        }
        (if ctx.api.user().is_some_and(|u| u.role == codehub_protocol::names::Role::Admin) {
            view! {
                div(class="grid wide") {
                    super::users::UsersPanel()
                    super::users::AuditPanel()
                }
            }
        } else {
            view! {}
        })
    }
}

#[component]
fn QueuePanel() -> View {
    let ctx = use_context::<Ctx>();
    let queue = create_signal(None::<Result<QueueView, String>>);
    // Every two seconds while the page is open: the task belongs to the panel's scope
    // (a timer callback runs outside any reactive scope, where no task may start).
    sycamore::futures::spawn_local_scoped(async move {
        loop {
            queue.set(Some(
                ctx.api
                    .get::<QueueView>("/api/queue")
                    .await
                    .map_err(|e| e.to_string()),
            ));
            gloo_timers::future::TimeoutFuture::new(2000).await;
        }
    });
    view! {
        section(class="card", aria-live="polite") {
            h2 { (t("admin-queue")) }
            (match queue.get_clone() {
                None => view! { p(class="muted") { (t("common-loading")) } },
                Some(Err(e)) => view! { p(class="error") { (e) } },
                Some(Ok(q)) => view! {
                    dl(class="stats", data-testid="queue") {
                        dt { (t("admin-queue-waiting")) } dd { (q.queued) }
                        dt { (t("admin-queue-judging")) } dd { (q.judging) }
                        dt { (t("admin-queue-judges")) } dd { (q.judges) }
                    }
                },
            })
        }
    }
}

#[component]
fn ContestPanel() -> View {
    let ctx = use_context::<Ctx>();
    let contests = fetch::<Vec<ContestView>>(ctx.api, "/api/contests".into());
    let selected = create_signal(String::new());
    let slug = create_signal(String::new());
    let name = create_signal(String::new());
    let kind = create_signal("icpc".to_owned());
    let start = create_signal(to_local_input(js_sys::Date::now() as i64));
    let end = create_signal(to_local_input(js_sys::Date::now() as i64 + 5 * 3600 * 1000));
    let freeze = create_signal(String::new());
    let penalty = create_signal("20".to_owned());
    let rated = create_signal(false);
    let allow_runs = create_signal(false);
    let problems = create_signal(String::new());
    let message = create_signal(None::<String>);
    let reload = move || {
        sycamore::futures::spawn_local_scoped(async move {
            if let Ok(list) = ctx.api.get::<Vec<ContestView>>("/api/contests").await {
                contests.set(Load::Ready(list));
            }
        });
    };
    // Selecting a contest fills the form for editing.
    create_effect(move || {
        let id = selected.get_clone().parse::<i64>().ok();
        let chosen = contests.with(|l| {
            l.ready()
                .and_then(|l| l.iter().find(|c| Some(c.id) == id).cloned())
        });
        if let Some(c) = chosen {
            slug.set(c.slug.clone());
            name.set(c.name.clone());
            kind.set(c.kind.as_str().to_owned());
            start.set(to_local_input(c.start_at));
            end.set(to_local_input(c.end_at));
            freeze.set(c.freeze_at.map(to_local_input).unwrap_or_default());
            penalty.set(c.penalty_minutes.to_string());
            rated.set(c.rated);
            allow_runs.set(c.allow_runs);
            problems.set(format_problems(&c.problems));
        }
    });
    let save = move |e: web_sys::SubmitEvent| {
        e.prevent_default();
        let parsed = parse_problems(&problems.get_clone());
        let (Some(start_at), Some(end_at)) = (
            from_local_input(&start.get_clone()),
            from_local_input(&end.get_clone()),
        ) else {
            message.set(Some(t("admin-start-end-required")));
            return;
        };
        let problems = match parsed {
            Ok(p) => p,
            Err(e) => {
                message.set(Some(e));
                return;
            }
        };
        let Ok(penalty) = penalty.get_clone().trim().parse::<i64>() else {
            message.set(Some(t("admin-penalty-whole")));
            return;
        };
        let freeze_at = from_local_input(&freeze.get_clone());
        let id = selected.get_clone().parse::<i64>().ok();
        sycamore::futures::spawn_local_scoped(async move {
            let result = match id {
                Some(id) => {
                    let body = serde_json::json!({
                        "name": name.get_clone(), "start_at": start_at, "end_at": end_at,
                        "freeze_at": freeze_at, "penalty_minutes": penalty, "problems": problems,
                        "rated": rated.get(), "allow_runs": allow_runs.get(),
                    });
                    ctx.api
                        .patch::<serde_json::Value>(&format!("/api/contests/{id}"), body)
                        .await
                        .map(|_| crate::t!("admin-contest-saved", id = id.to_string()))
                }
                None => {
                    let body = serde_json::json!({
                        "slug": slug.get_clone(), "name": name.get_clone(), "kind": kind.get_clone(),
                        "start_at": start_at, "end_at": end_at, "freeze_at": freeze_at,
                        "penalty_minutes": penalty, "problems": problems,
                        "rated": rated.get(), "allow_runs": allow_runs.get(),
                    });
                    ctx.api
                        .post::<ContestView>("/api/contests", body)
                        .await
                        .map(|c| crate::t!("admin-contest-created", id = c.id.to_string()))
                }
            };
            message.set(Some(result.unwrap_or_else(|e| e.to_string())));
            reload();
        });
    };
    let freeze_now = move |_| {
        let Ok(id) = selected.get_clone().parse::<i64>() else {
            return;
        };
        sycamore::futures::spawn_local_scoped(async move {
            let body = serde_json::json!({ "freeze_at": js_sys::Date::now() as i64 });
            let r = ctx
                .api
                .patch::<serde_json::Value>(&format!("/api/contests/{id}"), body)
                .await;
            message.set(Some(
                r.map(|_| t("admin-frozen-now"))
                    .unwrap_or_else(|e| e.to_string()),
            ));
            reload();
        });
    };
    let unfreeze = move |_| {
        let Ok(id) = selected.get_clone().parse::<i64>() else {
            return;
        };
        sycamore::futures::spawn_local_scoped(async move {
            let r = ctx
                .api
                .call(
                    Method::POST,
                    &format!("/api/contests/{id}/unfreeze"),
                    Body::Empty,
                )
                .await;
            message.set(Some(
                r.map(|_| t("admin-unfrozen"))
                    .unwrap_or_else(|e| e.to_string()),
            ));
            reload();
        });
    };
    let editing = move || !selected.get_clone().is_empty();
    view! {
        section(class="card") {
            h2 { (t("admin-contests")) }
            form(class="stack", on:submit=save) {
                label(r#for="contest-pick") { (t("admin-contest")) }
                select(id="contest-pick", bind:value=selected, data-testid="contest-pick") {
                    option(value="") { (t("admin-new-contest")) }
                    (contests.with(|l| l.ready().cloned().unwrap_or_default()).into_iter().map(|c| {
                        let label = format!("#{} {}", c.id, c.name);
                        view! { option(value=c.id.to_string()) { (label) } }
                    }).collect::<Vec<View>>())
                }
                label(r#for="c-slug") { (t("admin-contest-slug")) }
                input(id="c-slug", bind:value=slug, disabled=editing(), required=true)
                label(r#for="c-name") { (t("admin-contest-name")) }
                input(id="c-name", bind:value=name, required=true)
                label(r#for="c-kind") { (t("admin-contest-rules")) }
                select(id="c-kind", bind:value=kind, disabled=editing()) {
                    option(value="icpc") { "ICPC" }
                    option(value="ioi") { "IOI" }
                }
                label(r#for="c-start") { (t("admin-contest-start")) }
                input(id="c-start", r#type="datetime-local", bind:value=start, required=true)
                label(r#for="c-end") { (t("admin-contest-end")) }
                input(id="c-end", r#type="datetime-local", bind:value=end, required=true)
                label(r#for="c-freeze") { (t("admin-contest-freeze")) }
                input(id="c-freeze", r#type="datetime-local", bind:value=freeze)
                label(r#for="c-penalty") { (t("admin-contest-penalty")) }
                input(id="c-penalty", r#type="number", min="0", bind:value=penalty)
                label(class="check") {
                    input(r#type="checkbox", bind:checked=rated, data-testid="c-rated")
                    " " (t("admin-contest-rated"))
                }
                label(class="check") {
                    input(r#type="checkbox", bind:checked=allow_runs)
                    " " (t("admin-contest-allow-runs"))
                }
                label(r#for="c-problems") { (t("admin-contest-problems")) }
                input(id="c-problems", bind:value=problems, placeholder="A=1, B=2")
                div(class="row") {
                    button(r#type="submit") { (if editing() { t("admin-contest-save") } else { t("admin-contest-create") }) }
                    (if editing() {
                        view! {
                            button(r#type="button", class="ghost", on:click=freeze_now) { (t("admin-freeze-now")) }
                            button(r#type="button", class="ghost", on:click=unfreeze, data-testid="unfreeze") { (t("admin-unfreeze")) }
                        }
                    } else { view! {} })
                }
                (super::error_line(message))
            }
        }
    }
}

#[component]
fn ImportPanel() -> View {
    let ctx = use_context::<Ctx>();
    let problems = fetch::<Vec<ProblemView>>(ctx.api, "/api/problems".into());
    let slug = create_signal(String::new());
    let practice = create_signal(false);
    let file = create_signal(None::<web_sys::File>);
    let message = create_signal(None::<String>);
    let busy = create_signal(false);
    let on_file = move |e: web_sys::Event| {
        let f = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|i| i.files())
            .and_then(|f| f.get(0));
        file.set(f);
    };
    let import = move |e: web_sys::SubmitEvent| {
        e.prevent_default();
        let Some(f) = file.get_clone() else {
            message.set(Some(t("admin-choose-package")));
            return;
        };
        busy.set(true);
        sycamore::futures::spawn_local_scoped(async move {
            let bytes = match wasm_bindgen_futures::JsFuture::from(f.array_buffer()).await {
                Ok(buf) => js_sys::Uint8Array::new(&buf).to_vec(),
                Err(_) => {
                    message.set(Some(t("common-cannot-read-file")));
                    busy.set(false);
                    return;
                }
            };
            let mut path = format!("/api/problems?practice={}", practice.get());
            let s = slug.get_clone();
            if !s.trim().is_empty() {
                path.push_str(&format!("&slug={}", js_sys::encode_uri_component(s.trim())));
            }
            let r = ctx
                .api
                .send(Method::POST, &path, Body::Bytes(bytes, "application/zip"))
                .await;
            let text = match r {
                Ok(res) if res.ok() => match res.json::<ProblemView>().await {
                    Ok(p) if p.import_notes.is_empty() => {
                        crate::t!("admin-imported", id = p.id.to_string(), name = p.name)
                    }
                    Ok(p) => crate::t!(
                        "admin-imported-with-notes",
                        id = p.id.to_string(),
                        name = p.name,
                        notes = p.import_notes.join("; ")
                    ),
                    Err(e) => e.to_string(),
                },
                Ok(res) => res
                    .json::<ErrorBody>()
                    .await
                    .map(|b| b.message)
                    .unwrap_or_else(|_| res.status_text()),
                Err(e) => e.to_string(),
            };
            message.set(Some(text));
            busy.set(false);
            if let Ok(list) = ctx.api.get::<Vec<ProblemView>>("/api/problems").await {
                problems.set(Load::Ready(list));
            }
        });
    };
    view! {
        section(class="card") {
            h2 { (t("admin-import-title")) }
            form(class="stack", on:submit=import) {
                label(r#for="pkg") { (t("admin-import-package")) }
                input(id="pkg", r#type="file", accept=".zip,application/zip", on:change=on_file)
                label(r#for="pkg-slug") { (t("admin-import-slug")) }
                input(id="pkg-slug", bind:value=slug)
                label(class="check") { input(r#type="checkbox", bind:checked=practice) " " (t("admin-import-practice")) }
                button(r#type="submit", disabled=busy.get()) { (if busy.get() { t("admin-importing") } else { t("admin-import") }) }
                div(data-testid="import-result") { (super::error_line(message)) }
            }
            h3 { (t("admin-problems")) }
            ul(class="plain") {
                (problems.with(|l| l.ready().cloned().unwrap_or_default()).into_iter().map(|p| {
                    let practice = if p.practice { format!(" {}", t("admin-problem-practice")) } else { String::new() };
                    let line = format!("#{} {} ({}){practice}", p.id, p.name, p.slug);
                    view! { li { (line) } }
                }).collect::<Vec<View>>())
            }
        }
    }
}

#[component]
fn RejudgePanel() -> View {
    let ctx = use_context::<Ctx>();
    let id = create_signal(String::new());
    let message = create_signal(None::<String>);
    let rejudge = move |e: web_sys::SubmitEvent| {
        e.prevent_default();
        let Ok(n) = id.get_clone().trim().parse::<i64>() else {
            message.set(Some(t("admin-give-submission-id")));
            return;
        };
        sycamore::futures::spawn_local_scoped(async move {
            let r = ctx
                .api
                .call(
                    Method::POST,
                    &format!("/api/submissions/{n}/rejudge"),
                    Body::Empty,
                )
                .await;
            message.set(Some(
                r.map(|_| crate::t!("admin-rejudge-queued", id = n.to_string()))
                    .unwrap_or_else(|e| e.to_string()),
            ));
        });
    };
    view! {
        section(class="card") {
            h2 { (t("admin-rejudge-title")) }
            form(class="row", on:submit=rejudge) {
                label(r#for="rj") { (t("admin-rejudge-id")) }
                input(id="rj", r#type="number", min="1", bind:value=id)
                button(r#type="submit") { (t("admin-rejudge")) }
            }
            (super::error_line(message))
        }
    }
}

/// Hints in the admin's text box: separated by lines holding only `---`.
pub fn split_hints(text: &str) -> Vec<String> {
    let mut hints = vec![String::new()];
    for line in text.lines() {
        if line.trim() == "---" {
            hints.push(String::new());
        } else {
            let last = hints.last_mut().expect("never empty");
            last.push_str(line);
            last.push('\n');
        }
    }
    hints
        .into_iter()
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .collect()
}

/// A problem's editorial and hints, written by the jury.
#[component]
fn EditorialPanel() -> View {
    let ctx = use_context::<Ctx>();
    let id = create_signal(String::new());
    let editorial = create_signal(String::new());
    let hints = create_signal(String::new());
    let message = create_signal(None::<String>);
    let problem = move || id.get_clone().trim().parse::<i64>().ok();
    let load = move |_| {
        let Some(n) = problem() else {
            message.set(Some(t("admin-give-problem-id")));
            return;
        };
        sycamore::futures::spawn_local_scoped(async move {
            match ctx
                .api
                .get::<codehub_protocol::views::EditorialView>(&format!(
                    "/api/problems/{n}/editorial"
                ))
                .await
            {
                Ok(v) => {
                    editorial.set(v.editorial.map(|e| e.markdown).unwrap_or_default());
                    hints.set(
                        v.hints
                            .into_iter()
                            .map(|h| h.markdown)
                            .collect::<Vec<_>>()
                            .join("\n---\n"),
                    );
                    message.set(None);
                }
                Err(e) => message.set(Some(e.to_string())),
            }
        });
    };
    let save = move |e: web_sys::SubmitEvent| {
        e.prevent_default();
        let Some(n) = problem() else {
            message.set(Some(t("admin-give-problem-id")));
            return;
        };
        let body = serde_json::json!({
            "editorial": editorial.get_clone(),
            "hints": split_hints(&hints.get_clone()),
        });
        sycamore::futures::spawn_local_scoped(async move {
            let r = ctx
                .api
                .put::<codehub_protocol::views::EditorialView>(
                    &format!("/api/problems/{n}/editorial"),
                    body,
                )
                .await;
            message.set(Some(match r {
                Ok(v) => crate::t!(
                    "admin-editorial-saved",
                    hints = v.hints_total,
                    editorial = if v.has_editorial { "written" } else { "empty" }
                ),
                Err(e) => e.to_string(),
            }));
        });
    };
    view! {
        section(class="card") {
            h2 { (t("admin-editorial-title")) }
            form(on:submit=save) {
                div(class="row") {
                    label(r#for="ed-problem") { (t("admin-editorial-problem")) }
                    input(id="ed-problem", r#type="number", min="1", bind:value=id, data-testid="editorial-problem")
                    button(r#type="button", class="ghost", on:click=load, data-testid="editorial-load") { (t("admin-editorial-load")) }
                }
                label(r#for="ed-text") { (t("admin-editorial-text")) }
                textarea(id="ed-text", rows="6", bind:value=editorial, data-testid="editorial-text")
                label(r#for="ed-hints") { (t("admin-editorial-hints")) }
                textarea(id="ed-hints", rows="4", bind:value=hints, data-testid="editorial-hints")
                button(r#type="submit", data-testid="editorial-save") { (t("admin-editorial-save")) }
            }
            (super::error_line(message))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::split_hints;

    #[test]
    fn hints_are_the_blocks_between_dash_lines() {
        assert_eq!(
            split_hints("Think of sorting.\n---\nTwo pointers:\n  left and right\n ---\n\n---\n"),
            ["Think of sorting.", "Two pointers:\n  left and right"]
        );
        assert!(split_hints("  \n").is_empty());
    }
}
