//! The code editor: a textarea over a syntax-highlighted copy of its text. Tab indents
//! (Escape, then Tab, leaves the editor, so keyboard users are never trapped).

use crate::highlight::highlight;
use sycamore::prelude::*;
use wasm_bindgen::JsCast;

/// An editor bound to `code`, highlighted as `language`.
#[component(inline_props)]
pub fn Editor(code: Signal<String>, language: ReadSignal<String>) -> View {
    let layer = create_node_ref();
    let input = create_node_ref();
    let escaped = create_signal(false);
    let on_keydown = move |e: web_sys::KeyboardEvent| {
        if e.key() == "Escape" {
            escaped.set(true);
            return;
        }
        if e.key() != "Tab" || e.shift_key() || escaped.get() {
            escaped.set(false);
            return;
        }
        e.prevent_default();
        let area: web_sys::HtmlTextAreaElement = input.get().unchecked_into();
        let start = area.selection_start().ok().flatten().unwrap_or(0);
        let end = area.selection_end().ok().flatten().unwrap_or(start);
        let _ = area.set_range_text_with_start_and_end("    ", start, end);
        let _ = area.set_selection_range(start + 4, start + 4);
        code.set(area.value());
    };
    let on_scroll = move |_| {
        let area: web_sys::Element = input.get().unchecked_into();
        let pre: web_sys::Element = layer.get().unchecked_into();
        pre.set_scroll_top(area.scroll_top());
        pre.set_scroll_left(area.scroll_left());
    };
    let view = view! {
        div(class="editor") {
            pre(class="editor-layer", aria-hidden="true", r#ref=layer)
            textarea(
                class="editor-input", r#ref=input, bind:value=code,
                autocomplete="off", aria-label="Source code (Tab indents; Escape then Tab leaves)",
                data-testid="editor", on:keydown=on_keydown, on:scroll=on_scroll,
            )
        }
    };
    if let Some(node) = input.try_get() {
        let _ = node
            .unchecked_into::<web_sys::Element>()
            .set_attribute("spellcheck", "false");
    }
    create_effect(move || {
        let html = highlight(&language.get_clone(), &code.get_clone());
        if let Some(node) = layer.try_get() {
            node.unchecked_into::<web_sys::Element>()
                .set_inner_html(&html);
        }
    });
    view
}
