//! Sign in and register.

use crate::ctx::Ctx;
use sycamore::prelude::*;

/// The sign-in (or, with `register`, account creation) form.
#[component(inline_props)]
pub fn AuthPage(register: bool) -> View {
    let ctx = use_context::<Ctx>();
    let username = create_signal(String::new());
    let password = create_signal(String::new());
    let error = create_signal(None::<String>);
    let busy = create_signal(false);
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
        "Create an account"
    } else {
        "Sign in"
    };
    let other = if register {
        view! { p { "Have an account? " a(href="/login") { "Sign in" } } }
    } else {
        view! { p { "New here? " a(href="/register") { "Create an account" } } }
    };
    view! {
        section(class="card narrow") {
            h1 { (title) }
            form(on:submit=submit, class="stack") {
                label(r#for="username") { "User name" }
                input(id="username", name="username", bind:value=username, required=true, autocomplete="username", data-testid="username")
                label(r#for="password") { "Password" }
                input(id="password", name="password", r#type="password", bind:value=password, required=true,
                    autocomplete=if register { "new-password" } else { "current-password" }, data-testid="password")
                button(r#type="submit", disabled=busy.get(), data-testid="auth-submit") { (title) }
                (super::error_line(error))
            }
            (other)
        }
    }
}
