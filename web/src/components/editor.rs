//! The code editor: a textarea over a syntax-highlighted copy of its text, with line
//! numbers. Tab indents (Escape, then Tab, leaves the editor, so keyboard users are never
//! trapped); Enter keeps the line's indentation, one level more after an opening bracket
//! or a Python `:`.

use crate::highlight::highlight;
use sycamore::prelude::*;
use wasm_bindgen::JsCast;

/// An editor bound to `code`, highlighted as `language`.
#[component(inline_props)]
pub fn Editor(code: Signal<String>, language: ReadSignal<String>) -> View {
    let layer = create_node_ref();
    let gutter = create_node_ref();
    let input = create_node_ref();
    let escaped = create_signal(false);
    let on_keydown = move |e: web_sys::KeyboardEvent| {
        if e.key() == "Escape" {
            escaped.set(true);
            return;
        }
        if e.key() == "Enter" && !e.shift_key() && !e.ctrl_key() && !e.alt_key() && !e.meta_key() {
            e.prevent_default();
            let area: web_sys::HtmlTextAreaElement = input.get().unchecked_into();
            let text = area.value();
            let start = area.selection_start().ok().flatten().unwrap_or(0);
            let end = area.selection_end().ok().flatten().unwrap_or(start);
            // Selection offsets count UTF-16 units.
            let before: String = char::decode_utf16(text.encode_utf16().take(start as usize))
                .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect();
            let line = before.rsplit('\n').next().unwrap_or_default();
            let insert = format!("\n{}", indent_after(line));
            let _ = area.set_range_text_with_start_and_end(&insert, start, end);
            let caret = start + insert.encode_utf16().count() as u32;
            let _ = area.set_selection_range(caret, caret);
            code.set(area.value());
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
        let numbers: web_sys::Element = gutter.get().unchecked_into();
        numbers.set_scroll_top(area.scroll_top());
    };
    let line_numbers = move || {
        let lines = code.with(|c| c.split('\n').count()).max(1);
        (1..=lines)
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let view = view! {
        div(class="editor") {
            pre(class="editor-gutter", aria-hidden="true", r#ref=gutter, data-testid="line-numbers") { (line_numbers()) }
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

/// The indentation of a new line after `line` (the text before the cursor on its line):
/// the same, and one level (4 spaces) more after `{`, `(`, `[` or a Python `:`.
pub fn indent_after(line: &str) -> String {
    let own: String = line
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let opens = line.trim_end().ends_with(['{', '(', '[', ':']);
    if opens { format!("{own}    ") } else { own }
}

#[cfg(test)]
mod tests {
    use super::indent_after;

    #[test]
    fn a_new_line_keeps_the_indentation_and_opens_a_level_after_a_bracket() {
        assert_eq!(indent_after("int main() {"), "    ");
        assert_eq!(indent_after("    return 0;"), "    ");
        assert_eq!(indent_after("    for x in xs:"), "        ");
        assert_eq!(indent_after("\tcall(a,  "), "\t");
        assert_eq!(indent_after("\tcall(a,"), "\t");
        assert_eq!(indent_after("  v = ["), "      ");
        assert_eq!(indent_after(""), "");
    }
}
