//! Users: the public profile page, and the administrators' user list and audit log.

use crate::api::Body;
use crate::ctx::Ctx;
use crate::format::role_name;
use crate::i18n::t;
use codehub_protocol::Role;
use codehub_protocol::views::{AuditEntry, CountOf, ProfileView, UserPage, UserView};
use gloo_net::http::Method;
use sycamore::prelude::*;

/// `/users/<id>`: a user's public profile.
#[component(inline_props)]
pub fn ProfilePage(id: i64) -> View {
    let ctx = use_context::<Ctx>();
    let profile = super::fetch::<ProfileView>(ctx.api, format!("/api/users/{id}/profile"));
    view! {
        section(class="card narrow stack", data-testid="profile") {
            (match profile.get_clone() {
                super::Load::Ready(p) => profile_view(p),
                other => super::pending(&other),
            })
        }
    }
}

fn profile_view(p: ProfileView) -> View {
    let title = p.display_name.clone().unwrap_or_else(|| p.username.clone());
    let avatar = p
        .avatar_url
        .clone()
        .map(|src| view! { img(class="avatar", src=src, alt="", width="96", height="96", data-testid="avatar") })
        .unwrap_or_default();
    let facts = [
        (t("profile-affiliation"), p.affiliation.clone()),
        (t("profile-country"), p.country.clone()),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| view! { dt { (k) } dd { (v) } }))
    .collect::<Vec<_>>();
    let bio = p
        .bio
        .clone()
        .map(|b| view! { p(class="bio") { (b) } })
        .unwrap_or_default();
    let solved = p
        .solved
        .iter()
        .map(|s| {
            let href = format!("/practice/{}", s.problem_id);
            let name = s.name.clone();
            view! { li { a(href=href) { (name) } } }
        })
        .collect::<Vec<_>>();
    let contests = p
        .contests
        .iter()
        .map(|c| {
            let href = format!("/contests/{}", c.contest_id);
            let name = c.name.clone();
            let tag = if c.virtual_participation {
                view! { " " span(class="muted") { (t("profile-virtual")) } }
            } else {
                view! {}
            };
            view! { li { a(href=href) { (name) } (tag) } }
        })
        .collect::<Vec<_>>();
    let solved_count = p.solved.len();
    let recent: View = if p.recent.is_empty() {
        view! {}
    } else {
        let rows: Vec<View> = p
            .recent
            .iter()
            .map(|r| {
                let href = format!("/practice/{}", r.problem_id);
                let name = r.problem.clone();
                let verdict = r.verdict;
                let when = js_sys::Date::new(&(r.submitted_at as f64).into())
                    .to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED)
                    .as_string()
                    .unwrap_or_default();
                view! {
                    tr {
                        td { a(href=href) { (name) } }
                        td { (crate::components::verdict::verdict_badge(verdict, t("status-queued"))) }
                        td(class="muted") { (when) }
                    }
                }
            })
            .collect();
        view! {
            h2 { (t("profile-recent")) }
            table(class="table", data-testid="recent") { tbody { (rows) } }
        }
    };
    view! {
        div(class="profile-head") {
            (avatar)
            div {
                h1(data-testid="profile-name") { (title) }
                p(class="muted") { "@" (p.username.clone()) }
            }
        }
        dl(class="stats") { (facts) }
        (bio)
        (match p.rating {
            Some(r) => view! {
                h2 { (t("profile-rating")) " " span(class="rating", data-testid="rating") { (r) } }
                (crate::components::rating_graph::rating_graph(&p.ratings))
            },
            None => view! {},
        })
        h2 { (t("profile-activity")) }
        (crate::components::heatmap::heatmap(&p.activity, crate::components::heatmap::today()))
        (breakdown(t("profile-by-difficulty"), "by-difficulty", &p.solved_by_difficulty))
        (breakdown(t("profile-by-tag"), "by-tag", &p.solved_by_tag))
        (recent)
        h2 { (crate::t!("profile-solved", count = solved_count)) }
        (if solved_count == 0 { view! { p(class="muted") { (t("profile-nothing-yet")) } } } else { view! { ul(class="plain", data-testid="solved") { (solved) } } })
        h2 { (t("profile-contests")) }
        ul(class="plain") { (contests) }
    }
}

/// The administrators' user list: search, role, disable or enable, password reset.
#[component]
pub fn UsersPanel() -> View {
    let ctx = use_context::<Ctx>();
    let search = create_signal(String::new());
    let page = create_signal(super::Load::<UserPage>::Loading);
    let message = create_signal(None::<String>);
    // Only the latest request's answer is shown: an earlier one arriving late (a search
    // typed while a reload runs) must not overwrite it.
    let asked = create_signal(0u64);
    let load = move || {
        let q = js_sys::encode_uri_component(search.get_clone_untracked().trim());
        super::fetch_latest(
            ctx.api,
            asked,
            page,
            format!("/api/users?search={q}&limit=50"),
        );
    };
    load();
    // `done` says what happened to the user (named).
    let change = move |id: i64, body: serde_json::Value, done: fn(&str) -> String| {
        sycamore::futures::spawn_local_scoped(async move {
            let path = format!("/api/users/{id}");
            match ctx.api.patch::<UserView>(&path, body).await {
                Ok(u) => message.set(Some(done(&u.username))),
                Err(e) => message.set(Some(e.message)),
            }
            load();
        });
    };
    let reset = move |id: i64, name: String| {
        sycamore::futures::spawn_local_scoped(async move {
            let path = format!("/api/users/{id}/reset-password");
            match ctx
                .api
                .post::<serde_json::Value>(&path, serde_json::json!({}))
                .await
            {
                Ok(r) => message.set(Some(crate::t!(
                    "users-new-password",
                    user = name,
                    password = r["password"].as_str().unwrap_or_default()
                ))),
                Err(e) => message.set(Some(e.message)),
            }
        });
    };
    let rows = move || {
        let Some(p) = page.with(|p| p.ready().cloned()) else {
            return super::pending(&page.get_clone());
        };
        let total = p.total;
        let rows = p
            .users
            .into_iter()
            .map(|u| {
                let id = u.id;
                let name = u.username.clone();
                let shown = u.username.clone();
                let profile = format!("/users/{id}");
                let (toggle, label) = if u.disabled {
                    (serde_json::json!({"disabled": false}), t("users-enable"))
                } else {
                    (serde_json::json!({"disabled": true}), t("users-disable"))
                };
                let done: fn(&str) -> String = if u.disabled {
                    |user| crate::t!("users-enabled", user = user)
                } else {
                    |user| crate::t!("users-disabled", user = user)
                };
                let testid = format!("user-row-{}", u.username);
                let state = if u.disabled { t("users-state-disabled") } else { t("users-state-active") };
                let role = u.role;
                let on_role = move |e: web_sys::Event| {
                    let value = e
                        .target()
                        .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlSelectElement>(t).ok())
                        .map(|s| s.value())
                        .unwrap_or_default();
                    change(id, serde_json::json!({"role": value}), |user| {
                        crate::t!("users-role-changed", user = user)
                    });
                };
                let options = [Role::Contestant, Role::Jury, Role::Admin, Role::Spectator]
                    .into_iter()
                    .map(|r| {
                        let name = role_name(r);
                        view! { option(value=r.as_str(), selected=r == role) { (name) } }
                    })
                    .collect::<Vec<_>>();
                view! {
                    tr(data-testid=testid) {
                        td { a(href=profile) { (shown) } }
                        td { select(on:change=on_role, aria-label=t("users-role")) { (options) } }
                        td(data-testid="user-state") { (state) }
                        td {
                            button(class="ghost", on:click=move |_| change(id, toggle.clone(), done)) { (label) }
                            " "
                            button(class="ghost", on:click=move |_| reset(id, name.clone())) { (t("users-reset-password")) }
                        }
                    }
                }
            })
            .collect::<Vec<_>>();
        view! {
            p(class="muted", data-testid="users-count") { (crate::t!("users-count", count = total)) }
            table(class="table") {
                thead { tr { th { (t("users-user")) } th { (t("users-role")) } th { (t("users-state")) } th { "" } } }
                tbody { (rows) }
            }
        }
    };
    let on_search = move |e: web_sys::SubmitEvent| {
        e.prevent_default();
        load();
    };
    view! {
        section(class="card", data-testid="users-panel") {
            h2 { (t("users-title")) }
            form(on:submit=on_search, class="row") {
                input(bind:value=search, placeholder=t("users-search-placeholder"), aria-label=t("users-search-label"), data-testid="user-search")
                button(r#type="submit") { (t("users-search")) }
            }
            (message.get_clone().map(|m| view! { p(class="notice", role="status", data-testid="users-message") { (m) } }).unwrap_or_default())
            (rows())
        }
    }
}

/// The audit log of administrator actions, newest first.
#[component]
pub fn AuditPanel() -> View {
    let ctx = use_context::<Ctx>();
    let log = super::fetch::<Vec<AuditEntry>>(ctx.api, "/api/audit?limit=50".into());
    view! {
        section(class="card", data-testid="audit-panel") {
            h2 { (t("audit-title")) }
            (match log.get_clone() {
                super::Load::Ready(entries) if entries.is_empty() => view! { p(class="muted") { (t("audit-none")) } },
                super::Load::Ready(entries) => {
                    let rows = entries.into_iter().map(|e| {
                        let when = js_sys::Date::new(&(e.at as f64).into())
                            .to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED)
                            .as_string()
                            .unwrap_or_default();
                        let detail = if e.detail.as_object().is_some_and(|o| o.is_empty()) { String::new() } else { e.detail.to_string() };
                        view! { tr { td { (when) } td { (e.actor) } td { (e.action) } td { (e.target) } td { (detail) } } }
                    }).collect::<Vec<_>>();
                    view! {
                        table(class="table") {
                            thead { tr { th { (t("audit-when")) } th { (t("audit-who")) } th { (t("audit-what")) } th { (t("audit-on")) } th { "" } } }
                            tbody { (rows) }
                        }
                    }
                }
                other => super::pending(&other),
            })
        }
    }
}

/// Uploads an avatar file for the signed-in user.
pub async fn upload_avatar(api: crate::api::Api, file: web_sys::File) -> Result<(), String> {
    let buf = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| t("common-cannot-read-file"))?;
    let bytes = js_sys::Uint8Array::new(&buf).to_vec();
    let ty: &'static str = match file.type_().as_str() {
        "image/jpeg" => "image/jpeg",
        "image/webp" => "image/webp",
        _ => "image/png",
    };
    api.call(Method::PUT, "/api/me/avatar", Body::Bytes(bytes, ty))
        .await
        .map_err(|e| e.message)
}

/// Solved problems counted by `title` (a difficulty, a tag), as a row of chips.
fn breakdown(title: String, testid: &'static str, counts: &[CountOf]) -> View {
    if counts.is_empty() {
        return view! {};
    }
    let chips: Vec<View> = counts
        .iter()
        .map(|c| {
            let text = format!("{} × {}", c.key, c.count);
            view! { span(class="badge") { (text) } }
        })
        .collect();
    view! {
        h3 { (title) }
        p(class="chips", data-testid=testid) { (chips) }
    }
}
