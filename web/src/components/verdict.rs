//! Verdict badges and live status lines.

use crate::format;
use codehub_protocol::Verdict;
use sycamore::prelude::*;

/// The CSS class of a verdict.
pub fn verdict_class(verdict: Option<Verdict>) -> &'static str {
    match verdict {
        Some(Verdict::Accepted) => "badge ok",
        Some(Verdict::CompileError | Verdict::JudgeError) => "badge neutral",
        Some(_) => "badge bad",
        None => "badge pending",
    }
}

/// A badge: the verdict code with its name as a tooltip, or the live state.
pub fn verdict_badge(verdict: Option<Verdict>, status: String) -> View {
    let class = verdict_class(verdict);
    let (text, title) = match verdict {
        Some(v) => (v.code().to_owned(), format::verdict_name(v)),
        None => (status.clone(), status.clone()),
    };
    view! { span(class=class, title=title, data-testid="verdict") { (text) } }
}
