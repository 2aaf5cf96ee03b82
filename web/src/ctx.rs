//! The context every page reads (`use_context::<Ctx>()`): pages depend on it, not on the
//! application shell that provides it.

use crate::api::Api;
use sycamore::prelude::*;

/// What every page can reach (`use_context::<Ctx>()`).
#[derive(Clone, Copy)]
pub struct Ctx {
    /// The API client and session.
    pub api: Api,
    /// The clock, ticking every second (`Date.now()` ms).
    pub now: ReadSignal<i64>,
}
