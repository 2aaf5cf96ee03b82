//! Syntax highlighting for the editor: a small lexer per language family that wraps
//! keywords, strings, comments, numbers and preprocessor lines in `<span class=…>` and
//! escapes everything else. The output keeps every input character, so the highlighted
//! layer lines up exactly with the textarea above it.

/// Keywords per language id (`c`, `cpp`, `java`, `python`, `rust`).
fn keywords(language: &str) -> &'static [&'static str] {
    match language {
        "c" => &[
            "auto", "break", "case", "char", "const", "continue", "default", "do", "double",
            "else", "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long",
            "register", "return", "short", "signed", "sizeof", "static", "struct", "switch",
            "typedef", "union", "unsigned", "void", "volatile", "while", "bool", "true", "false",
        ],
        "cpp" => &[
            "auto",
            "bool",
            "break",
            "case",
            "catch",
            "char",
            "class",
            "const",
            "constexpr",
            "continue",
            "default",
            "delete",
            "do",
            "double",
            "else",
            "enum",
            "explicit",
            "false",
            "float",
            "for",
            "friend",
            "if",
            "inline",
            "int",
            "long",
            "namespace",
            "new",
            "nullptr",
            "operator",
            "private",
            "protected",
            "public",
            "return",
            "short",
            "signed",
            "sizeof",
            "static",
            "struct",
            "switch",
            "template",
            "this",
            "throw",
            "true",
            "try",
            "typedef",
            "typename",
            "unsigned",
            "using",
            "virtual",
            "void",
            "while",
        ],
        "java" => &[
            "abstract",
            "boolean",
            "break",
            "byte",
            "case",
            "catch",
            "char",
            "class",
            "continue",
            "default",
            "do",
            "double",
            "else",
            "extends",
            "false",
            "final",
            "finally",
            "float",
            "for",
            "if",
            "implements",
            "import",
            "instanceof",
            "int",
            "interface",
            "long",
            "new",
            "null",
            "package",
            "private",
            "protected",
            "public",
            "return",
            "short",
            "static",
            "super",
            "switch",
            "this",
            "throw",
            "throws",
            "true",
            "try",
            "var",
            "void",
            "while",
        ],
        "python" => &[
            "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
            "elif", "else", "except", "False", "finally", "for", "from", "global", "if", "import",
            "in", "is", "lambda", "None", "nonlocal", "not", "or", "pass", "raise", "return",
            "True", "try", "while", "with", "yield",
        ],
        "rust" => &[
            "as", "break", "const", "continue", "crate", "else", "enum", "false", "fn", "for",
            "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
            "return", "self", "Self", "static", "struct", "trait", "true", "type", "unsafe", "use",
            "where", "while",
        ],
        _ => &[],
    }
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

fn span(out: &mut String, class: &str, s: &str) {
    out.push_str("<span class=\"tok-");
    out.push_str(class);
    out.push_str("\">");
    escape_into(out, s);
    out.push_str("</span>");
}

/// Byte length of a string literal starting at `s[0]` (a quote), up to and including the
/// closing quote, or to the end of the line if unterminated.
fn string_len(s: &str, quote: &str) -> usize {
    let mut i = quote.len();
    let bytes = s.as_bytes();
    while i < s.len() {
        if s[i..].starts_with(quote) {
            return i + quote.len();
        }
        match bytes[i] {
            b'\\' => i += 2,
            b'\n' if quote.len() == 1 => return i,
            _ => i += 1,
        }
    }
    s.len()
}

/// `code` in `language` as HTML.
pub fn highlight(language: &str, code: &str) -> String {
    let language = if language.starts_with("python") {
        "python"
    } else {
        language
    };
    let python = language == "python";
    let keywords = keywords(language);
    let mut out = String::with_capacity(code.len() * 2);
    let mut rest = code;
    let mut line_start = true;
    while let Some(c) = rest.chars().next() {
        let len = if python && c == '#' || !python && rest.starts_with("//") {
            let n = rest.find('\n').unwrap_or(rest.len());
            span(&mut out, "com", &rest[..n]);
            n
        } else if !python && rest.starts_with("/*") {
            let n = rest[2..].find("*/").map_or(rest.len(), |i| i + 4);
            span(&mut out, "com", &rest[..n]);
            n
        } else if line_start && !python && c == '#' && matches!(language, "c" | "cpp") {
            let n = rest.find('\n').unwrap_or(rest.len());
            span(&mut out, "pp", &rest[..n]);
            n
        } else if python && (rest.starts_with("\"\"\"") || rest.starts_with("'''")) {
            let n = string_len(rest, &rest[..3]);
            span(&mut out, "str", &rest[..n]);
            n
        } else if c == '"' || (c == '\'' && (python || !is_lifetime(rest))) {
            let n = string_len(rest, &rest[..1]);
            span(&mut out, "str", &rest[..n]);
            n
        } else if c.is_ascii_digit() {
            let n = rest
                .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '.' || ch == '_'))
                .unwrap_or(rest.len());
            span(&mut out, "num", &rest[..n]);
            n
        } else if c.is_alphabetic() || c == '_' {
            let n = rest
                .find(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
                .unwrap_or(rest.len());
            let word = &rest[..n];
            if keywords.contains(&word) {
                span(&mut out, "kw", word);
            } else {
                escape_into(&mut out, word);
            }
            n
        } else {
            let n = c.len_utf8();
            escape_into(&mut out, &rest[..n]);
            n
        };
        let taken = &rest[..len];
        if let Some(last) = taken.chars().last() {
            line_start = last == '\n' || (line_start && taken.trim().is_empty());
        }
        rest = &rest[len..];
    }
    // A trailing newline needs a character after it to take up a line in a <pre>.
    if code.ends_with('\n') || code.is_empty() {
        out.push(' ');
    }
    out
}

/// Rust lifetimes and labels (`'a`, `'static`) are not char literals.
fn is_lifetime(s: &str) -> bool {
    let mut chars = s.chars().skip(1);
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) => (a.is_alphabetic() || a == '_') && b != '\'',
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strip_tags(html: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => in_tag = false,
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&")
    }

    #[test]
    fn every_character_survives() {
        for (lang, code) in [
            (
                "cpp",
                "#include <bits/stdc++.h>\nint main() { // hi\n  std::cout << \"a\\\"b\" << 'x' << 42; /* c */ }\n",
            ),
            (
                "python",
                "def f(x):  # c\n    return '''a\nb''' + \"q\" + str(3.5)\n",
            ),
            ("rust", "fn f<'a>(x: &'a str) -> char { 'x' }\n"),
            ("java", "class A { String s = \"<&>\"; }"),
            ("c", "unterminated \"string\nnext"),
        ] {
            let html = highlight(lang, code);
            let text = strip_tags(&html);
            assert_eq!(
                text.trim_end_matches(' '),
                code.trim_end_matches(' '),
                "{lang}: {html}"
            );
        }
    }

    #[test]
    fn tokens_are_classified() {
        let html = highlight("cpp", "#include <x>\nint main() { return 0; } // done");
        assert!(
            html.contains("<span class=\"tok-pp\">#include &lt;x&gt;</span>"),
            "{html}"
        );
        assert!(html.contains("<span class=\"tok-kw\">int</span>"), "{html}");
        assert!(html.contains("<span class=\"tok-num\">0</span>"), "{html}");
        assert!(
            html.contains("<span class=\"tok-com\">// done</span>"),
            "{html}"
        );
        let py = highlight("python3", "x = 'a#b'  # note");
        assert!(py.contains("<span class=\"tok-str\">'a#b'</span>"), "{py}");
        assert!(py.contains("<span class=\"tok-com\"># note</span>"), "{py}");
        assert!(
            highlight("python3", "import sys").starts_with("<span class=\"tok-kw\">import</span>")
        );
        let rs = highlight("rust", "fn f<'a>() -> char { 'x' }");
        assert!(rs.contains("<span class=\"tok-str\">'x'</span>"), "{rs}");
        assert!(!rs.contains("<span class=\"tok-str\">'a"), "{rs}");
    }

    #[test]
    fn markup_in_code_is_escaped() {
        let html = highlight("c", "<script>alert(1)</script>");
        assert!(!html.contains("<script"), "{html}");
    }
}
