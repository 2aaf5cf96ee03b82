//! The application shell: routes, header and navigation, theme.

use crate::api::{self, Api};
use crate::ctx::Ctx;
use crate::i18n::t;
use crate::pages;
use sycamore::prelude::*;
use sycamore_router::{HistoryIntegration, Route, Router};

/// The pages.
#[derive(Route, Clone, Debug, PartialEq)]
pub enum AppRoute {
    /// Contest list.
    #[to("/")]
    Home,
    /// A contest's home.
    #[to("/contests/<id>")]
    Contest {
        /// Contest id.
        id: i64,
    },
    /// A problem inside a contest.
    #[to("/contests/<id>/problems/<problem>")]
    ContestProblem {
        /// Contest id.
        id: i64,
        /// Problem id.
        problem: i64,
    },
    /// The live scoreboard.
    #[to("/contests/<id>/scoreboard")]
    Scoreboard {
        /// Contest id.
        id: i64,
    },
    /// Balloons to deliver (jury).
    #[to("/contests/<id>/balloons")]
    Balloons {
        /// Contest id.
        id: i64,
    },
    /// The resolver (jury).
    #[to("/contests/<id>/resolver")]
    Resolver {
        /// Contest id.
        id: i64,
    },
    /// A contest's clarifications.
    #[to("/contests/<id>/clarifications")]
    Clarifications {
        /// Contest id.
        id: i64,
    },
    /// A virtual participation in a past contest, with its ghost board.
    #[to("/contests/<id>/virtual")]
    Virtual {
        /// Contest id.
        id: i64,
    },
    /// My submissions in a contest.
    #[to("/contests/<id>/submissions")]
    Submissions {
        /// Contest id.
        id: i64,
    },
    /// The practice archive.
    #[to("/practice")]
    Practice,
    /// My practice submissions.
    #[to("/practice/submissions")]
    PracticeSubmissions,
    /// A practice problem.
    #[to("/practice/<problem>")]
    PracticeProblem {
        /// Problem id.
        problem: i64,
    },
    /// Admin and jury.
    #[to("/admin")]
    Admin,
    /// Sign in.
    #[to("/login")]
    Login,
    /// Create an account.
    #[to("/register")]
    Register,
    /// Where a provider's sign-in comes back to.
    #[to("/signin/complete")]
    SignInComplete,
    /// The signed-in user's account.
    #[to("/account")]
    Account,
    /// A user's public profile.
    #[to("/users/<id>")]
    Profile {
        /// User id.
        id: i64,
    },
    /// Anything else.
    #[not_found]
    NotFound,
}

const THEME_KEY: &str = "codehub.theme";

fn apply_theme(theme: &str) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-theme", theme);
    }
}

fn system_prefers_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// The whole application.
#[component]
pub fn App() -> View {
    crate::i18n::set_language(&crate::i18n::preferred());
    let api = Api::new();
    let now = create_signal(js_sys::Date::now() as i64);
    gloo_timers::callback::Interval::new(1000, move || now.set(js_sys::Date::now() as i64))
        .forget();
    provide_context(Ctx { api, now: *now });
    let theme = create_signal(api::stored(THEME_KEY).unwrap_or_else(|| {
        if system_prefers_dark() {
            "dark".into()
        } else {
            "light".into()
        }
    }));
    create_effect(move || apply_theme(&theme.get_clone()));
    let toggle_theme = move |_| {
        let next = if theme.get_clone() == "dark" {
            "light"
        } else {
            "dark"
        };
        api::store(THEME_KEY, Some(next));
        theme.set(next.to_owned());
    };
    let choose_language = move |e: web_sys::Event| {
        use wasm_bindgen::JsCast;
        let chosen = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
            .map(|s| s.value())
            .unwrap_or_default();
        api::store(crate::i18n::LANG_KEY, Some(&chosen));
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    };
    view! {
        Router(
            integration=HistoryIntegration::new(),
            view=move |route: ReadSignal<AppRoute>| view! {
                a(class="skip-link", href="#main") { (t("skip-to-content")) }
                header(class="topbar") {
                    a(class="brand", href="/") { "CodeHub" }
                    nav(aria-label=t("nav-main")) {
                        a(href="/") { (t("nav-contests")) }
                        a(href="/practice") { (t("nav-practice")) }
                        (if api.user().is_some_and(|u| u.role.is_jury()) {
                            view! { a(href="/admin") { (t("nav-admin")) } }
                        } else {
                            view! {}
                        })
                    }
                    div(class="spacer")
                    select(class="lang", aria-label=t("language"), data-testid="language-picker", on:change=choose_language) {
                        (crate::i18n::LANGUAGES.iter().map(|(code, name, _)| {
                            let selected = *code == crate::i18n::language();
                            view! { option(value=*code, selected=selected) { (*name) } }
                        }).collect::<Vec<View>>())
                    }
                    button(class="ghost", on:click=toggle_theme, aria-label=t("theme-toggle"),
                        title=t("theme")) {
                        (if theme.get_clone() == "dark" { t("theme-light") } else { t("theme-dark") })
                    }
                    (match api.user() {
                        Some(u) => view! {
                            a(class="who", href="/account", data-testid="whoami", title=t("nav-account")) { (u.username.clone()) " · " (crate::format::role_name(u.role)) }
                            button(class="ghost", on:click=move |_| api.logout()) { (t("nav-sign-out")) }
                        },
                        None => view! {
                            a(class="button ghost", href="/login") { (t("nav-sign-in")) }
                            a(class="button", href="/register") { (t("nav-register")) }
                        },
                    })
                }
                main(id="main", tabindex="-1") {
                    (match route.get_clone() {
                        AppRoute::Home => view! { pages::contests::ContestList() },
                        AppRoute::Contest { id } => view! { pages::contests::ContestHome(id=id) },
                        AppRoute::ContestProblem { id, problem } => view! { pages::problem::ProblemPage(contest=id, problem=problem) },
                        AppRoute::Scoreboard { id } => view! { pages::scoreboard::ScoreboardPage(id=id) },
                        AppRoute::Balloons { id } => view! { pages::balloons::BalloonsPage(id=id) },
                        AppRoute::Resolver { id } => view! { pages::resolver::ResolverPage(id=id) },
                        AppRoute::Clarifications { id } => view! { pages::clarifications::ClarificationsPage(id=id) },
                        AppRoute::Virtual { id } => view! { pages::virtual_contest::VirtualPage(id=id) },
                        AppRoute::Submissions { id } => view! { pages::submissions::SubmissionsPage(contest=id) },
                        AppRoute::Practice => view! { pages::practice::PracticePage() },
                        AppRoute::PracticeProblem { problem } => view! { pages::problem::ProblemPage(problem=problem) },
                        AppRoute::PracticeSubmissions => view! { pages::submissions::SubmissionsPage() },
                        AppRoute::Admin => view! { pages::admin::AdminPage() },
                        AppRoute::Login => view! { pages::auth::AuthPage(register=false) },
                        AppRoute::Register => view! { pages::auth::AuthPage(register=true) },
                        AppRoute::SignInComplete => view! { pages::auth::SignInComplete() },
                        AppRoute::Account => view! { pages::account::AccountPage() },
                        AppRoute::Profile { id } => view! { pages::users::ProfilePage(id=id) },
                        AppRoute::NotFound => view! {
                            section(class="card") { h1 { (t("not-found")) } p { (t("not-found-text")) " " a(href="/") { (t("back-to-contests")) } } }
                        },
                    })
                }
            },
        )
    }
}
