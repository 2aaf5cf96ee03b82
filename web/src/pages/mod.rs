//! One module per page.

pub mod account;
pub mod admin;
pub mod auth;
pub mod balloons;
pub mod clarifications;
pub mod contests;
pub mod practice;
pub mod problem;
pub mod resolver;
pub mod scoreboard;
pub mod submissions;
pub mod users;
pub mod virtual_contest;

use crate::api::Api;
use crate::i18n::t;
use serde::de::DeserializeOwned;
use sycamore::prelude::*;

/// Something fetched.
#[derive(Debug, Clone, PartialEq)]
pub enum Load<T> {
    /// Waiting for the answer.
    Loading,
    /// Here.
    Ready(T),
    /// Failed, with the message to show.
    Failed(String),
}

impl<T> Load<T> {
    /// The value, if here.
    pub fn ready(&self) -> Option<&T> {
        match self {
            Load::Ready(v) => Some(v),
            _ => None,
        }
    }
}

/// A signal filled by `GET path` (once, in the current scope).
pub fn fetch<T: DeserializeOwned + 'static>(api: Api, path: String) -> Signal<Load<T>> {
    let value = create_signal(Load::Loading);
    sycamore::futures::spawn_local_scoped(async move {
        value.set(match api.get::<T>(&path).await {
            Ok(v) => Load::Ready(v),
            Err(e) => Load::Failed(e.to_string()),
        });
    });
    value
}

/// Fills `into` by `GET path`, unless another load through the same `asked` counter
/// started meanwhile: of answers arriving out of order, only the latest request's is
/// shown.
pub fn fetch_latest<T: DeserializeOwned + 'static>(
    api: Api,
    asked: Signal<u64>,
    into: Signal<Load<T>>,
    path: String,
) {
    let this = asked.get_untracked() + 1;
    asked.set_silent(this);
    sycamore::futures::spawn_local_scoped(async move {
        let answer = match api.get::<T>(&path).await {
            Ok(v) => Load::Ready(v),
            Err(e) => Load::Failed(e.to_string()),
        };
        if asked.get_untracked() == this {
            into.set(answer);
        }
    });
}

/// Spawns `task` in `scope` (from `use_current_scope()` in a page's body: the scope the
/// page is mounted in, cleaned up when the route changes) instead of the current one. An
/// action taken in a list item that a live update re-renders (a claim, a reply) then runs
/// to its end and can still show its error; a task in the item's own scope would be
/// dropped with the item. It is still dropped when the page is left.
pub fn spawn_in_scope(scope: NodeHandle, task: impl std::future::Future<Output = ()> + 'static) {
    scope.run_in(|| sycamore::futures::spawn_local_scoped(task));
}

/// The standard rendering of a load state: a spinner line or an error box.
pub fn pending<T>(state: &Load<T>) -> View {
    match state {
        Load::Loading => view! { p(class="muted", role="status") { (t("common-loading")) } },
        Load::Failed(msg) => {
            let msg = msg.clone();
            view! { p(class="error", role="alert") { (msg) } }
        }
        Load::Ready(_) => view! {},
    }
}

/// An error line for an optional message (e.g. a form's last error).
pub fn error_line(message: Signal<Option<String>>) -> View {
    view! {
        (message.get_clone().map(|m| view! { p(class="error", role="alert") { (m) } }).unwrap_or_default())
    }
}
