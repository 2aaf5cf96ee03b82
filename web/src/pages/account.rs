//! The signed-in user's account: how they sign in (password, linked providers), a
//! password change, and signing out everywhere.

use crate::api::Body;
use crate::ctx::Ctx;
use crate::i18n::t;
use codehub_protocol::views::{
    AuthorizeRedirect, ProfileView, SignInMethods, SignInProvider, TokenPair,
};
use gloo_net::http::Method;
use sycamore::prelude::*;
use wasm_bindgen::JsCast;

/// `/account`.
#[component]
pub fn AccountPage() -> View {
    let ctx = use_context::<Ctx>();
    let Some(user) = ctx.api.user() else {
        return view! {
            section(class="card narrow") {
                h1 { (t("account-title")) }
                p { a(href="/login") { (t("account-sign-in")) } (t("account-sign-in-to")) }
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
                    notice.set(Some(crate::t!("account-unlinked", provider = name)));
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
                    notice.set(Some(t("account-password-changed")));
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
            return super::pending(&methods.get_clone());
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
                                strong { (p.label) } " " (t("account-linked")) " " (email) " "
                                button(class="ghost", on:click=move |_| unlink(name.clone())) { (t("account-unlink")) }
                            }
                        }
                    }
                    None => view! {
                        li(data-testid=testid) {
                            strong { (p.label) } " " (t("account-not-linked")) " "
                            button(class="ghost", on:click=move |_| link(name.clone())) { (t("account-link")) }
                        }
                    },
                }
            })
            .collect::<Vec<_>>();
        let password = if m.has_password {
            t("account-has-password")
        } else {
            t("account-no-password")
        };
        view! {
            p(data-testid="has-password") { (password) }
            ul(class="plain") { (rows) }
        }
    };
    let has_password = move || methods.with(|m| m.ready().is_some_and(|m| m.has_password));

    // The public profile: fields and avatar.
    let uid = user.id;
    let display_name = create_signal(String::new());
    let affiliation = create_signal(String::new());
    let country = create_signal(String::new());
    let bio = create_signal(String::new());
    sycamore::futures::spawn_local_scoped(async move {
        if let Ok(p) = ctx
            .api
            .get::<ProfileView>(&format!("/api/users/{uid}/profile"))
            .await
        {
            // A field typed in before the profile arrived keeps what was typed.
            for (field, value) in [
                (display_name, p.display_name),
                (affiliation, p.affiliation),
                (country, p.country),
                (bio, p.bio),
            ] {
                if field.with_untracked(String::is_empty) {
                    field.set(value.unwrap_or_default());
                }
            }
        }
    });
    let save_profile = move |e: web_sys::SubmitEvent| {
        e.prevent_default();
        error.set(None);
        sycamore::futures::spawn_local_scoped(async move {
            let body = serde_json::json!({
                "display_name": display_name.get_clone(),
                "affiliation": affiliation.get_clone(),
                "country": country.get_clone().trim().to_uppercase(),
                "bio": bio.get_clone(),
            });
            let path = format!("/api/users/{uid}/profile");
            match ctx.api.patch::<ProfileView>(&path, body).await {
                Ok(_) => notice.set(Some(t("account-profile-saved"))),
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    let on_avatar = move |e: web_sys::Event| {
        let file = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|i| i.files())
            .and_then(|f| f.get(0));
        let Some(file) = file else { return };
        sycamore::futures::spawn_local_scoped(async move {
            match super::users::upload_avatar(ctx.api, file).await {
                Ok(()) => notice.set(Some(t("account-avatar-saved"))),
                Err(e) => error.set(Some(e)),
            }
        });
    };

    // Deletion: the user name again, and the password when there is one.
    let confirm_name = create_signal(String::new());
    let confirm_password = create_signal(String::new());
    let delete_account = move |e: web_sys::SubmitEvent| {
        e.prevent_default();
        error.set(None);
        sycamore::futures::spawn_local_scoped(async move {
            let body = serde_json::json!({
                "confirm_username": confirm_name.get_clone(),
                "password": confirm_password.get_clone(),
            });
            match ctx
                .api
                .call(Method::DELETE, "/api/me", Body::Json(body))
                .await
            {
                Ok(()) => {
                    ctx.api.logout();
                    sycamore_router::navigate("/");
                }
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    let profile_href = format!("/users/{uid}");
    let role = crate::format::role_name(user.role);

    view! {
        section(class="card narrow stack") {
            h1 { (t("account-title")) }
            p { (t("account-signed-in-as")) " " strong { (user.username.clone()) } " (" (role) ")." }
            (super::error_line(error))
            (notice.get_clone().map(|n| view! { p(class="notice", role="status", data-testid="account-notice") { (n) } }).unwrap_or_default())
            p { a(href=profile_href, data-testid="my-profile") { (t("account-public-profile")) } }
            h2 { (t("account-profile")) }
            form(on:submit=save_profile, class="stack") {
                label(r#for="display-name") { (t("account-display-name")) }
                input(id="display-name", bind:value=display_name, maxlength="64", data-testid="display-name")
                label(r#for="affiliation") { (t("account-affiliation")) }
                input(id="affiliation", bind:value=affiliation, maxlength="128")
                label(r#for="country") { (t("account-country")) }
                input(id="country", bind:value=country, maxlength="3", pattern="[A-Za-z]{3}")
                label(r#for="bio") { (t("account-about")) }
                textarea(id="bio", bind:value=bio, maxlength="2000", rows="3")
                button(r#type="submit", data-testid="save-profile") { (t("account-save-profile")) }
            }
            label(r#for="avatar") { (t("account-avatar")) }
            input(id="avatar", r#type="file", accept="image/png,image/jpeg,image/webp", on:change=on_avatar, data-testid="avatar-file")
            h2 { (t("account-how-sign-in")) }
            (identities())
            h2 { (t("account-password")) }
            form(on:submit=change_password, class="stack") {
                (if has_password() {
                    view! {
                        label(r#for="current-password") { (t("account-current-password")) }
                        input(id="current-password", r#type="password", bind:value=current, required=true, autocomplete="current-password")
                    }
                } else {
                    view! {}
                })
                label(r#for="new-password") { (t("account-new-password")) }
                input(id="new-password", r#type="password", bind:value=new, required=true, minlength="12", autocomplete="new-password", data-testid="new-password")
                button(r#type="submit", data-testid="change-password") { (t("account-change-password")) }
            }
            h2 { (t("account-sessions")) }
            p { (t("account-sessions-text")) }
            button(on:click=sign_out_everywhere, data-testid="sign-out-everywhere") { (t("account-sign-out-everywhere")) }
            h2 { (t("account-delete-title")) }
            p { (t("account-delete-text")) }
            form(on:submit=delete_account, class="stack") {
                label(r#for="confirm-name") { (t("account-confirm-name")) }
                input(id="confirm-name", bind:value=confirm_name, required=true, autocomplete="off", data-testid="confirm-username")
                (if has_password() {
                    view! {
                        label(r#for="confirm-password") { (t("account-confirm-password")) }
                        input(id="confirm-password", r#type="password", bind:value=confirm_password, autocomplete="current-password", data-testid="confirm-password")
                    }
                } else {
                    view! {}
                })
                button(r#type="submit", class="danger", data-testid="delete-account") { (t("account-delete")) }
            }
        }
    }
}
