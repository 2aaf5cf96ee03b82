//! The signed-in user's account: how they sign in (password, linked providers), a
//! password change, and signing out everywhere.

use crate::api::Body;
use crate::ctx::Ctx;
use codehub_protocol::views::{AuthorizeRedirect, SignInMethods, SignInProvider, TokenPair};
use gloo_net::http::Method;
use sycamore::prelude::*;

/// `/account`.
#[component]
pub fn AccountPage() -> View {
    let ctx = use_context::<Ctx>();
    let Some(user) = ctx.api.user() else {
        return view! {
            section(class="card narrow") {
                h1 { "Account" }
                p { a(href="/login") { "Sign in" } " to see your account." }
            }
        };
    };
    let methods = create_signal(super::Load::<SignInMethods>::Loading);
    let reload = move || {
        sycamore::futures::spawn_local_scoped(async move {
            methods.set(
                match ctx.api.get::<SignInMethods>("/api/me/identities").await {
                    Ok(m) => super::Load::Ready(m),
                    Err(e) => super::Load::Failed(e.to_string()),
                },
            );
        });
    };
    reload();
    let providers = super::fetch::<Vec<SignInProvider>>(ctx.api, "/api/auth/providers".into());
    let error = create_signal(None::<String>);
    let notice = create_signal(None::<String>);

    let link = move |name: String| {
        sycamore::futures::spawn_local_scoped(async move {
            let path = format!("/api/me/identities/{name}");
            match ctx
                .api
                .post::<AuthorizeRedirect>(&path, serde_json::json!({}))
                .await
            {
                Ok(r) => {
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().set_href(&r.authorize_url);
                    }
                }
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    let unlink = move |name: String| {
        sycamore::futures::spawn_local_scoped(async move {
            let path = format!("/api/me/identities/{name}");
            match ctx.api.call(Method::DELETE, &path, Body::Empty).await {
                Ok(()) => {
                    notice.set(Some(format!("Unlinked {name}.")));
                    reload();
                }
                Err(e) => error.set(Some(e.message)),
            }
        });
    };

    let current = create_signal(String::new());
    let new = create_signal(String::new());
    let change_password = move |e: web_sys::SubmitEvent| {
        e.prevent_default();
        error.set(None);
        sycamore::futures::spawn_local_scoped(async move {
            let body = serde_json::json!({"current": current.get_clone(), "new": new.get_clone()});
            match ctx.api.post::<TokenPair>("/api/me/password", body).await {
                Ok(tokens) => {
                    ctx.api.replace_tokens(tokens);
                    current.set(String::new());
                    new.set(String::new());
                    notice.set(Some(
                        "Password changed; every other session is signed out.".into(),
                    ));
                    reload();
                }
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    let sign_out_everywhere = move |_| {
        sycamore::futures::spawn_local_scoped(async move {
            match ctx
                .api
                .call(Method::POST, "/api/me/sign-out-everywhere", Body::Empty)
                .await
            {
                Ok(()) => {
                    ctx.api.logout();
                    sycamore_router::navigate("/login");
                }
                Err(e) => error.set(Some(e.message)),
            }
        });
    };

    let identities = move || {
        let Some(m) = methods.with(|m| m.ready().cloned()) else {
            return methods.with(super::pending);
        };
        let all = providers.with(|p| p.ready().cloned().unwrap_or_default());
        let rows = all
            .into_iter()
            .map(|p| {
                let linked = m.identities.iter().find(|i| i.provider == p.name).cloned();
                let name = p.name.clone();
                let testid = format!("identity-{}", p.name);
                match linked {
                    Some(i) => {
                        let email = i.email.unwrap_or_default();
                        view! {
                            li(data-testid=testid) {
                                strong { (p.label) } " · linked " (email) " "
                                button(class="ghost", on:click=move |_| unlink(name.clone())) { "Unlink" }
                            }
                        }
                    }
                    None => view! {
                        li(data-testid=testid) {
                            strong { (p.label) } " · not linked "
                            button(class="ghost", on:click=move |_| link(name.clone())) { "Link" }
                        }
                    },
                }
            })
            .collect::<Vec<_>>();
        let password = if m.has_password {
            "You can sign in with your password."
        } else {
            "No password yet: you sign in through a provider. Set one below if you like."
        };
        view! {
            p(data-testid="has-password") { (password) }
            ul(class="plain") { (rows) }
        }
    };
    let has_password = move || methods.with(|m| m.ready().is_some_and(|m| m.has_password));

    view! {
        section(class="card narrow stack") {
            h1 { "Account" }
            p { "Signed in as " strong { (user.username.clone()) } " (" (user.role.as_str()) ")." }
            (super::error_line(error))
            (notice.get_clone().map(|n| view! { p(class="notice", role="status", data-testid="account-notice") { (n) } }).unwrap_or_default())
            h2 { "How you sign in" }
            (identities())
            h2 { "Password" }
            form(on:submit=change_password, class="stack") {
                (if has_password() {
                    view! {
                        label(r#for="current-password") { "Current password" }
                        input(id="current-password", r#type="password", bind:value=current, required=true, autocomplete="current-password")
                    }
                } else {
                    view! {}
                })
                label(r#for="new-password") { "New password (8–256 characters)" }
                input(id="new-password", r#type="password", bind:value=new, required=true, minlength="8", autocomplete="new-password", data-testid="new-password")
                button(r#type="submit", data-testid="change-password") { "Change password" }
            }
            h2 { "Sessions" }
            p { "Signing out everywhere ends every session of this account, on every device." }
            button(on:click=sign_out_everywhere, data-testid="sign-out-everywhere") { "Sign out everywhere" }
        }
    }
}
