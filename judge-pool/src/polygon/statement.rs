//! Polygon statements as Markdown: the sections of `statement-sections/<language>/`
//! (`legend.tex`, `input.tex`, …) joined under headings, with the common text commands
//! of Polygon's LaTeX turned into Markdown. Math (`$…$`, `$$…$$`) is kept as written:
//! statements render it like 2023-07 Markdown statements.

/// Sections in statement order, with their headings.
pub const SECTIONS: &[(&str, &str)] = &[
    ("legend", ""),
    ("input", "Input"),
    ("output", "Output"),
    ("interaction", "Interaction"),
    ("scoring", "Scoring"),
    ("notes", "Notes"),
];

/// The ISO 639-1 code of a Polygon language name (`english` → `en`).
pub fn language_code(polygon: &str) -> String {
    let code = match polygon {
        "english" => "en",
        "russian" => "ru",
        "ukrainian" => "uk",
        "french" => "fr",
        "german" => "de",
        "spanish" => "es",
        "portuguese" => "pt",
        "italian" => "it",
        "polish" => "pl",
        "chinese" => "zh",
        "japanese" => "ja",
        "korean" => "ko",
        "vietnamese" => "vi",
        "turkish" => "tr",
        "arabic" => "ar",
        "persian" => "fa",
        "kazakh" => "kk",
        "uzbek" => "uz",
        "armenian" => "hy",
        "georgian" => "ka",
        "azerbaijani" => "az",
        "belarusian" => "be",
        "indonesian" => "id",
        "romanian" => "ro",
        "hungarian" => "hu",
        "czech" => "cs",
        "dutch" => "nl",
        "swedish" => "sv",
        "hebrew" => "he",
        "greek" => "el",
        "bulgarian" => "bg",
        "serbian" => "sr",
        "croatian" => "hr",
        "thai" => "th",
        other => return other.chars().take(2).collect(),
    };
    code.to_owned()
}

/// Joins `(section, LaTeX text)` pairs into one Markdown statement.
pub fn markdown(sections: &[(&str, String)]) -> String {
    let mut out = String::new();
    for (name, tex) in sections {
        let heading = SECTIONS
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, h)| h);
        if !heading.is_empty() {
            out.push_str(&format!("## {heading}\n\n"));
        }
        out.push_str(tex_to_markdown(tex).trim());
        out.push_str("\n\n");
    }
    out.trim_end().to_owned() + "\n"
}

/// The text commands of Polygon statements as Markdown; anything else stays as written.
pub fn tex_to_markdown(tex: &str) -> String {
    let mut s = tex.replace("\r\n", "\n");
    for (command, open, close) in [
        ("\\textbf{", "**", "**"),
        ("\\textit{", "*", "*"),
        ("\\emph{", "*", "*"),
        ("\\texttt{", "`", "`"),
        ("\\t{", "`", "`"),
        ("\\underline{", "", ""),
    ] {
        s = replace_command(&s, command, open, close);
    }
    let mut lines = Vec::new();
    let mut numbered = false;
    for line in s.lines() {
        let t = line.trim();
        match t {
            "\\begin{itemize}" => numbered = false,
            "\\begin{enumerate}" => numbered = true,
            "\\end{itemize}" | "\\end{enumerate}" | "\\begin{center}" | "\\end{center}" => {}
            _ => {
                if let Some(item) = t.strip_prefix("\\item") {
                    let bullet = if numbered { "1." } else { "-" };
                    lines.push(format!("{bullet} {}", item.trim()));
                } else {
                    lines.push(line.to_owned());
                }
            }
        }
    }
    lines
        .join("\n")
        .replace("---", "—")
        .replace("--", "–")
        .replace("``", "“")
        .replace("''", "”")
        .replace("<<", "«")
        .replace(">>", "»")
        .replace("\\\\", "  \n")
        .replace('~', " ")
        .replace("\\%", "%")
        .replace("\\&", "&")
        .replace("\\_", "_")
        .replace("\\#", "#")
}

/// Replaces `command…}` (balanced braces) by `open…close`.
fn replace_command(s: &str, command: &str, open: &str, close: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find(command) {
        out.push_str(&rest[..at]);
        let body = &rest[at + command.len()..];
        let mut depth = 1;
        let mut end = None;
        for (i, c) in body.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(i);
                        break;
                    }
                }
                _ => {}
            }
        }
        match end {
            Some(i) => {
                out.push_str(open);
                out.push_str(&body[..i]);
                out.push_str(close);
                rest = &body[i + 1..];
            }
            None => {
                out.push_str(&rest[at..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_commands_become_markdown_and_math_stays() {
        let tex = "Given $n$ numbers, print their \\textbf{sum} (see \\emph{notes}).\n\
                   \\begin{itemize}\n\\item first\n\\item \\texttt{second}\n\\end{itemize}\n\
                   It is ``easy''~--- really.";
        let md = tex_to_markdown(tex);
        assert!(
            md.contains("Given $n$ numbers, print their **sum** (see *notes*)."),
            "{md}"
        );
        assert!(md.contains("- first\n- `second`"), "{md}");
        assert!(md.contains("It is “easy” — really."), "{md}");
    }

    #[test]
    fn sections_get_headings_in_order() {
        let md = markdown(&[
            ("legend", "Add.".into()),
            ("input", "Two numbers.".into()),
            ("output", "One number.".into()),
        ]);
        assert_eq!(
            md,
            "Add.\n\n## Input\n\nTwo numbers.\n\n## Output\n\nOne number.\n"
        );
        assert_eq!(language_code("english"), "en");
        assert_eq!(language_code("russian"), "ru");
    }
}
