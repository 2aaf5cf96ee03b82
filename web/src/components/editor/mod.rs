//! The code editor: a textarea over a syntax-highlighted copy of its text, with line
//! numbers. Tab indents (Escape, then Tab, leaves the editor, so keyboard users are never
//! trapped); Enter keeps the line's indentation, one level more after an opening bracket
//! or a Python `:`; the bracket at the caret and its partner are marked; Ctrl+F (⌘F)
//! opens find and replace.

mod brackets;
mod find;

use crate::highlight::highlight;
use crate::i18n::t;
use sycamore::prelude::*;
use wasm_bindgen::JsCast;

fn area_of(node: NodeRef) -> web_sys::HtmlTextAreaElement {
    node.get().unchecked_into()
}

/// An editor bound to `code`, highlighted as `language`.
#[component(inline_props)]
pub fn Editor(code: Signal<String>, language: ReadSignal<String>) -> View {
    let layer = create_node_ref();
    let marks = create_node_ref();
    let gutter = create_node_ref();
    let input = create_node_ref();
    let find_input = create_node_ref();
    let escaped = create_signal(false);
    // The caret, in chars; and the find bar's state.
    let caret = create_signal(0usize);
    let finding = create_signal(false);
    let query = create_signal(String::new());
    let replacement = create_signal(String::new());
    let found = create_signal(String::new());
    let track_caret = move || {
        let area = area_of(input);
        let at = area.selection_start().ok().flatten().unwrap_or(0);
        caret.set(find::char_index(&area.value(), at));
    };
    let open_find = move || {
        finding.set(true);
        let area = area_of(input);
        let (start, end) = (
            area.selection_start().ok().flatten().unwrap_or(0),
            area.selection_end().ok().flatten().unwrap_or(0),
        );
        if end > start {
            let text = area.value();
            let from = find::char_index(&text, start);
            let to = find::char_index(&text, end);
            let selected: String = text.chars().skip(from).take(to - from).collect();
            if !selected.contains('\n') {
                query.set(selected);
            }
        }
        if let Some(node) = find_input.try_get() {
            let _ = node.unchecked_into::<web_sys::HtmlElement>().focus();
        }
    };
    // Selects the next match after the selection (wrapping), in the textarea.
    let find_next = move || {
        let area = area_of(input);
        let text = area.value();
        let q = query.get_clone();
        let from = find::char_index(&text, area.selection_end().ok().flatten().unwrap_or(0));
        match find::find_next(&text, &q, from) {
            Some((a, b)) => {
                let start = find::utf16_offset(&text, a);
                let end = find::utf16_offset(&text, b);
                let _ = area.focus();
                let _ = area.set_selection_range(start, end);
                caret.set(a);
                found.set(crate::t!("editor-found", count = find::count(&text, &q)));
            }
            None if q.is_empty() => found.set(String::new()),
            None => found.set(t("editor-not-found")),
        }
    };
    let replace_one = move || {
        let area = area_of(input);
        let text = area.value();
        let (start, end) = (
            area.selection_start().ok().flatten().unwrap_or(0),
            area.selection_end().ok().flatten().unwrap_or(0),
        );
        let (a, b) = (find::char_index(&text, start), find::char_index(&text, end));
        let selected: String = text.chars().skip(a).take(b - a).collect();
        let q = query.get_clone();
        if !q.is_empty() && selected == q {
            let with = replacement.get_clone();
            let _ = area.set_range_text_with_start_and_end(&with, start, end);
            let after = start + with.encode_utf16().count() as u32;
            let _ = area.set_selection_range(after, after);
            code.set(area.value());
        }
        find_next();
    };
    let replace_every = move || {
        let (text, n) = find::replace_all(
            &code.get_clone(),
            &query.get_clone(),
            &replacement.get_clone(),
        );
        if n > 0 {
            code.set(text);
        }
        found.set(crate::t!("editor-replaced", count = n));
    };
    let on_find_key = move |e: web_sys::KeyboardEvent| match e.key().as_str() {
        "Enter" => {
            e.prevent_default();
            find_next();
        }
        "Escape" => {
            finding.set(false);
            let _ = area_of(input).focus();
        }
        _ => {}
    };
    let on_keydown = move |e: web_sys::KeyboardEvent| {
        if (e.ctrl_key() || e.meta_key()) && e.key().eq_ignore_ascii_case("f") {
            e.prevent_default();
            open_find();
            return;
        }
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
        let marked: web_sys::Element = marks.get().unchecked_into();
        marked.set_scroll_top(area.scroll_top());
        marked.set_scroll_left(area.scroll_left());
    };
    let line_numbers = move || {
        let lines = code.with(|c| c.split('\n').count()).max(1);
        (1..=lines)
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let view = view! {
        div(class="find-bar", hidden=!finding.get(), data-testid="find-bar") {
            input(r#type="search", r#ref=find_input, bind:value=query, placeholder=t("editor-find"),
                aria-label=t("editor-find"), data-testid="find-input", on:keydown=on_find_key)
            input(r#type="text", bind:value=replacement, placeholder=t("editor-replace-with"),
                aria-label=t("editor-replace-with"), data-testid="replace-input", on:keydown=on_find_key)
            button(r#type="button", class="ghost", on:click=move |_| find_next(), data-testid="find-next") { (t("editor-next")) }
            button(r#type="button", class="ghost", on:click=move |_| replace_one(), data-testid="replace-one") { (t("editor-replace")) }
            button(r#type="button", class="ghost", on:click=move |_| replace_every(), data-testid="replace-all") { (t("editor-replace-all")) }
            span(class="muted", aria-live="polite", data-testid="find-status") { (found.get_clone()) }
            button(r#type="button", class="ghost", aria-label=t("editor-close-find"),
                on:click=move |_| { finding.set(false); let _ = area_of(input).focus(); }) { "×" }
        }
        div(class="editor") {
            pre(class="editor-gutter", aria-hidden="true", r#ref=gutter, data-testid="line-numbers") { (line_numbers()) }
            pre(class="editor-layer editor-marks", aria-hidden="true", r#ref=marks, data-testid="bracket-marks")
            pre(class="editor-layer", aria-hidden="true", r#ref=layer)
            textarea(
                class="editor-input", r#ref=input, bind:value=code,
                autocomplete="off", aria-label=t("editor-source-code"),
                data-testid="editor", on:keydown=on_keydown, on:scroll=on_scroll,
                on:keyup=move |_| track_caret(), on:click=move |_| track_caret(),
                on:input=move |_| track_caret(), on:select=move |_| track_caret(),
            )
        }
    };
    if let Some(node) = input.try_get() {
        let _ = node
            .unchecked_into::<web_sys::Element>()
            .set_attribute("spellcheck", "false");
    }
    create_effect(move || {
        let at = caret.get();
        let html = code.with(|c| {
            let chars: Vec<char> = c.chars().collect();
            let pair = brackets::matching_bracket(&chars, at);
            brackets::marks_html(&chars, &pair.map(|(a, b)| vec![a, b]).unwrap_or_default())
        });
        if let Some(node) = marks.try_get() {
            node.unchecked_into::<web_sys::Element>()
                .set_inner_html(&html);
        }
    });
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
