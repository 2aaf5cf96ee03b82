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
    // pulldown-latex writes the annotation (the TeX source, for copying) as given, so it
    // gets the escaped source: markup typed inside math stays text.
    let escaped = escape_html(tex);
    let config = RenderConfig {
        display_mode,
        annotation: Some(&escaped),
        ..RenderConfig::default()
    };
    let mut out = String::new();
    let ok = pulldown_latex::push_mathml(&mut out, parser, config).is_ok();
    if ok && !out.contains("<merror") && !emits_foreign_markup(&out) {
        out
    } else {
        format!("<code class=\"math-error\">{escaped}</code>")
    }
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Whether rendered MathML holds a tag that is not MathML's (text the renderer passed
/// through unescaped, as `\text{<b>…</b>}` would): such a formula is shown as source.
fn emits_foreign_markup(mathml: &str) -> bool {
    const MATHML: &[&str] = &[
        "math",
        "semantics",
        "annotation",
        "mrow",
        "mi",
        "mn",
        "mo",
        "ms",
        "mtext",
        "mspace",
        "msub",
        "msup",
        "msubsup",
        "munder",
        "mover",
        "munderover",
        "mfrac",
        "msqrt",
        "mroot",
        "mstyle",
        "merror",
        "mpadded",
        "mphantom",
        "menclose",
        "mtable",
        "mtr",
        "mtd",
        "mlabeledtr",
        "mmultiscripts",
        "mprescripts",
        "none",
    ];
    let bytes = mathml.as_bytes();
    let mut i = 0;
    while let Some(at) = mathml[i..].find('<') {
        let start = i + at + 1;
        let name_start = if bytes.get(start) == Some(&b'/') {
            start + 1
        } else {
            start
        };
        let name_len = mathml[name_start..]
            .bytes()
            .take_while(u8::is_ascii_alphanumeric)
            .count();
        let name = &mathml[name_start..name_start + name_len];
        // `<` not opening a tag (an operator written raw) is harmless text.
        if !name.is_empty() && !MATHML.contains(&name) {
            return true;
        }
        i = start;
    }
    false
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
    fn markup_inside_math_is_never_markup() {
        for source in [
            "$a<img src=x onerror=alert(1)>$",
            "$$x</annotation></semantics></math><img src=x onerror=alert(1)>$$",
            "$\\text{<b>bold</b>}$",
        ] {
            let html = to_html(source);
            assert!(!html.contains("<img"), "{source}: {html}");
            assert!(!html.contains("<b>"), "{source}: {html}");
        }
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
