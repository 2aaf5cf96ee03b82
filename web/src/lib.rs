//! CodeHub's browser UI, in sycamore: contest list and home, problem statements with an
//! editor, live verdicts, the live scoreboard (windowed, animated, freeze-aware),
//! practice, admin/jury pages, login/register.
//!
//! Built for `wasm32-unknown-unknown` by `scripts/build-web` and embedded in the
//! `codehub` binary. The logic that needs no browser (board ordering, highlighting,
//! formatting) is plain Rust, unit-tested on the host; pages render on the
//! host too (sycamore SSR), which the component tests use.
//!
//! # Layout
//! - the API's JSON types come from `codehub-protocol`, shared with the gateway.
//! - [`board`]: the scoreboard kept in order under deltas; windowing.
//! - [`highlight`]: editor syntax highlighting.
//! - [`format`]: durations, countdowns, verdict names.
//! - [`api`]: HTTP client with silent token refresh.
//! - [`live`]: `/ws` subscriptions with resumption.
//! - [`resolver`]: the frozen board revealed step by step, from Contest API objects.
//! - [`app`]: routes, layout, theme; [`ctx`]: what every page reads; [`pages`]: one
//!   module per page;
//!   [`components`]: shared pieces (editor, scoreboard view).

pub mod api;
pub mod app;
pub mod board;
// `#[component(inline_props)]` generates prop structs whose fields cannot carry docs.
#[allow(missing_docs)]
pub mod components;
pub mod ctx;
pub mod format;
pub mod highlight;
pub mod i18n;
pub mod live;
#[allow(missing_docs)]
pub mod pages;
pub mod resolver;

/// Mounts the application on the page's `<body>`.
pub fn start() {
    console_error_panic_hook_lite();
    sycamore::render(app::App);
}

/// Panics go to the browser console instead of vanishing.
fn console_error_panic_hook_lite() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&info.to_string().into());
    }));
}
