//! Bracket matching: the bracket at the caret and its partner, found by counting nesting
//! (brackets inside string literals and comments count too: the editor does not parse).

/// The bracket pairs.
const PAIRS: [(char, char); 3] = [('(', ')'), ('[', ']'), ('{', '}')];

/// The positions (in chars) of the bracket touching `caret` (the one just before it,
/// else the one just after) and its partner, if both exist.
pub fn matching_bracket(text: &[char], caret: usize) -> Option<(usize, usize)> {
    let candidates = [caret.checked_sub(1), Some(caret)];
    candidates
        .into_iter()
        .flatten()
        .filter(|&i| i < text.len())
        .find_map(|i| partner(text, i).map(|j| (i, j)))
}

/// The partner of the bracket at `at`, if it is a bracket and has one.
fn partner(text: &[char], at: usize) -> Option<usize> {
    let c = text[at];
    if let Some(&(open, close)) = PAIRS.iter().find(|p| p.0 == c) {
        let mut depth = 0usize;
        for (i, &x) in text.iter().enumerate().skip(at) {
            if x == open {
                depth += 1;
            } else if x == close {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
        }
        None
    } else if let Some(&(open, close)) = PAIRS.iter().find(|p| p.1 == c) {
        let mut depth = 0usize;
        for i in (0..=at).rev() {
            let x = text[i];
            if x == close {
                depth += 1;
            } else if x == open {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
        }
        None
    } else {
        None
    }
}

/// `text` as HTML for the marks layer: everything escaped, the chars at `marks` wrapped
/// in `<mark>`.
pub fn marks_html(text: &[char], marks: &[usize]) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    for (i, &c) in text.iter().enumerate() {
        let marked = marks.contains(&i);
        if marked {
            out.push_str("<mark class=\"bracket\">");
        }
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c => out.push(c),
        }
        if marked {
            out.push_str("</mark>");
        }
    }
    // A final newline needs a character after it to take up its line.
    out.push(' ');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn the_bracket_before_the_caret_wins_and_nesting_is_counted() {
        let t = chars("f(a[1], {b(2)})");
        // Caret after `(` at 1: its partner is the last `)`.
        assert_eq!(matching_bracket(&t, 2), Some((1, 14)));
        // Caret before `[` (after `a`): the bracket after the caret.
        assert_eq!(matching_bracket(&t, 3), Some((3, 5)));
        // Caret after `}`: back to `{`.
        assert_eq!(matching_bracket(&t, 14), Some((13, 8)));
        // Not next to a bracket.
        assert_eq!(matching_bracket(&chars("abc"), 1), None);
        // Unbalanced: no partner.
        assert_eq!(matching_bracket(&chars("((x)"), 0), None);
        assert_eq!(matching_bracket(&[], 0), None);
    }

    #[test]
    fn marks_wrap_the_pair_and_escape_the_rest() {
        let t = chars("a<(b)>&");
        assert_eq!(
            marks_html(&t, &[2, 4]),
            "a&lt;<mark class=\"bracket\">(</mark>b<mark class=\"bracket\">)</mark>&gt;&amp; "
        );
    }
}
