//! Problem statements: Markdown with LaTeX math (`$…$`, `$$…$$`) rendered to HTML with
//! MathML, on the server, so the browser needs no math library.
//!
//! Statements come from problem packages; raw HTML in them is shown as text, never
//! interpreted, so a package cannot inject scripts into the UI.

use pulldown_cmark::{CowStr, Event, Options, Parser};
use pulldown_latex::config::DisplayMode;
use pulldown_latex::{RenderConfig, Storage};

/// `markdown` as sanitised HTML with MathML for math.
pub fn to_html(markdown: &str) -> String {
    let options = Options::ENABLE_MATH
        | Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::InlineMath(tex) => Event::InlineHtml(math(&tex, DisplayMode::Inline).into()),
        Event::DisplayMath(tex) => Event::Html(math(&tex, DisplayMode::Block).into()),
        other => other,
    });
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// One formula as MathML; on a LaTeX error, the source in a `<code class="math-error">`.
fn math(tex: &CowStr<'_>, display_mode: DisplayMode) -> String {
    let storage = Storage::new();
    let parser = pulldown_latex::Parser::new(tex, &storage);
    let config = RenderConfig {
        display_mode,
        annotation: Some(tex),
        ..RenderConfig::default()
    };
    let mut out = String::new();
    let ok = pulldown_latex::push_mathml(&mut out, parser, config).is_ok();
    if ok && !out.contains("<merror") {
        out
    } else {
        let escaped = tex
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;");
        format!("<code class=\"math-error\">{escaped}</code>")
    }
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn markdown_and_math_render() {
        let html =
            to_html("# Sum\n\nGiven $a + b$ with $$\\sum_{i=1}^n x_i$$\n\n|a|b|\n|-|-|\n|1|2|\n");
        assert!(html.contains("<h1>Sum</h1>"), "{html}");
        assert!(html.contains("<math"), "{html}");
        assert!(html.contains("display=\"block\""), "{html}");
        assert!(
            html.contains("<msub") || html.contains("<munderover"),
            "{html}"
        );
        assert!(html.contains("<table>"), "{html}");
    }

    #[test]
    fn raw_html_is_shown_not_run() {
        let html = to_html("hi <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn bad_latex_is_shown_as_source() {
        let html = to_html("broken $\\frac{1}$ and $\\unknowncommand{x}$ here");
        assert!(html.contains("math-error"), "{html}");
        assert!(
            html.contains("\\unknowncommand"),
            "the source is shown: {html}"
        );
        assert!(!html.contains("<script"), "{html}");
    }
}
