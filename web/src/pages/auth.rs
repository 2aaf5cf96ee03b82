//! Sign in and register.

use crate::ctx::Ctx;
use crate::i18n::t;
use codehub_protocol::views::SignInProvider;
use sycamore::prelude::*;

/// The sign-in (or, with `register`, account creation) form.
#[component(inline_props)]
pub fn AuthPage(register: bool) -> View {
    let ctx = use_context::<Ctx>();
    let username = create_signal(String::new());
    let password = create_signal(String::new());
    let error = create_signal(None::<String>);
    let busy = create_signal(false);
    let shown = create_signal(false);
    let providers = super::fetch::<Vec<SignInProvider>>(ctx.api, "/api/auth/providers".into());
    let submit = move |e: web_sys::SubmitEvent| {
        e.prevent_default();
        if busy.get() {
            return;
        }
        busy.set(true);
        error.set(None);
        sycamore::futures::spawn_local_scoped(async move {
            let (u, p) = (username.get_clone(), password.get_clone());
            let result = if register {
                ctx.api.register(&u, &p).await
            } else {
                ctx.api.login(&u, &p).await
            };
            busy.set(false);
            match result {
                Ok(_) => sycamore_router::navigate("/"),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    let title = if register {
        t("auth-register-title")
    } else {
        t("auth-sign-in-title")
    };
    let button_label = title.clone();
    let other = if register {
        view! { p { (t("auth-have-account")) " " a(href="/login") { (t("auth-to-sign-in")) } } }
    } else {
        view! { p { (t("auth-new-here")) " " a(href="/register") { (t("auth-to-register")) } } }
    };
    view! {
        section(class="card narrow") {
            h1 { (title) }
            form(on:submit=submit, class="stack") {
                label(r#for="username") { (t("auth-username")) }
                input(id="username", name="username", bind:value=username, required=true, autocomplete="username", data-testid="username")
                label(r#for="password") { (if register { t("auth-new-password") } else { t("auth-password") }) }
                input(id="password", name="password", r#type=if shown.get() { "text" } else { "password" }, bind:value=password, required=true,
                    autocomplete=if register { "new-password" } else { "current-password" }, data-testid="password")
                label(class="inline") {
                    input(r#type="checkbox", bind:checked=shown, data-testid="show-password")
                    " " (t("auth-show-password"))
                }
                button(r#type="submit", disabled=busy.get(), data-testid="auth-submit") { (button_label) }
                (super::error_line(error))
            }
            (providers_view(providers))
            (other)
        }
    }
}

/// "Sign in with …" for each configured provider (plain links: the browser leaves for
/// the provider and comes back to `/signin/complete`).
fn providers_view(providers: Signal<super::Load<Vec<SignInProvider>>>) -> View {
    let list = providers.with(|p| p.ready().cloned().unwrap_or_default());
    if list.is_empty() {
        return view! {};
    }
    let buttons = list
        .into_iter()
        .map(|p| {
            let href = format!("/api/auth/oidc/{}/start", p.name);
            let testid = format!("provider-{}", p.name);
            let label = crate::t!("auth-sign-in-with", provider = p.label);
            view! {
                a(class="button ghost", href=href, rel="external", data-testid=testid) {
                    (label)
                }
            }
        })
        .collect::<Vec<_>>();
    view! {
        div(class="stack providers") {
            p(class="muted") { (t("auth-or")) }
            (buttons)
        }
    }
}

/// Where a provider's sign-in ends: the session is taken, then on to `return_to`.
#[component]
pub fn SignInComplete() -> View {
    let ctx = use_context::<Ctx>();
    let error = create_signal(None::<String>);
    sycamore::futures::spawn_local_scoped(async move {
        match ctx.api.finish_provider_sign_in().await {
            Ok(_) => {
                let target = web_sys::window()
                    .and_then(|w| w.location().search().ok())
                    .and_then(|q| web_sys::UrlSearchParams::new_with_str(&q).ok())
                    .and_then(|q| q.get("return_to"))
                    .filter(|p| p.starts_with('/') && !p.starts_with("//"))
                    .unwrap_or_else(|| "/".into());
                sycamore_router::navigate(&target);
            }
            Err(e) => error.set(Some(e.message)),
        }
    });
    view! {
        section(class="card narrow") {
            h1 { (t("auth-signing-in")) }
            (super::error_line(error))
            (if error.with(Option::is_some) {
                view! { p { a(href="/login") { (t("auth-back-to-sign-in")) } } }
            } else {
                view! {}
            })
        }
    }
}
