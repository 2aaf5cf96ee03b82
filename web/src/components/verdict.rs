//! Verdict badges and live status lines.

use crate::format;
use sycamore::prelude::*;

/// The CSS class of a verdict code.
pub fn verdict_class(code: Option<&str>) -> &'static str {
    match code {
        Some("AC") => "badge ok",
        Some("CE") | Some("JE") => "badge neutral",
        Some(_) => "badge bad",
        None => "badge pending",
    }
}

/// A badge: the verdict code with its name as a tooltip, or the live state.
pub fn verdict_badge(verdict: Option<String>, status: String) -> View {
    let class = verdict_class(verdict.as_deref());
    let (text, title) = match &verdict {
        Some(v) => (v.clone(), format::verdict_name(v).to_owned()),
        None => (status.clone(), status.clone()),
    };
    view! { span(class=class, title=title, data-testid="verdict") { (text) } }
}
