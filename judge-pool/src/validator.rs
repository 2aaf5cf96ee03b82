//! Output validation: the built-in default validator (Kattis semantics) and the exit-code
//! protocol of custom validators.

use crate::package::ValidatorFlags;

/// Exit status of a custom validator that accepts.
pub const EXIT_ACCEPTED: i32 = 42;
/// Exit status of a custom validator that rejects.
pub const EXIT_WRONG_ANSWER: i32 = 43;

/// What a validator said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judgement {
    /// Whether the output is accepted.
    pub accepted: bool,
    /// Why (for the jury; samples may show it to the contestant).
    pub message: String,
}

impl Judgement {
    fn accept() -> Self {
        Judgement {
            accepted: true,
            message: String::new(),
        }
    }

    fn reject(message: String) -> Self {
        Judgement {
            accepted: false,
            message,
        }
    }
}

/// A token with the whitespace before it.
type Token<'a> = (&'a [u8], &'a [u8]);

/// Splits text into (whitespace before, token) pairs, plus the trailing whitespace.
fn tokens(text: &[u8]) -> (Vec<Token<'_>>, &[u8]) {
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        let ws_start = i;
        while i < text.len() && text[i].is_ascii_whitespace() {
            i += 1;
        }
        if i == text.len() {
            return (out, &text[ws_start..]);
        }
        let tok_start = i;
        while i < text.len() && !text[i].is_ascii_whitespace() {
            i += 1;
        }
        out.push((&text[ws_start..tok_start], &text[tok_start..i]));
    }
}

fn as_float(tok: &[u8]) -> Option<f64> {
    let s = std::str::from_utf8(tok).ok()?;
    // Only plain decimal / scientific notation counts as a number: `inf`, `nan`, hex are
    // compared as text.
    if !s
        .bytes()
        .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        return None;
    }
    s.parse::<f64>().ok().filter(|x| x.is_finite())
}

fn show(tok: &[u8]) -> String {
    let s = String::from_utf8_lossy(tok);
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s.into_owned()
    }
}

/// Compares a team's output with the judge's answer, as Kattis' default validator does.
pub fn default_validate(answer: &[u8], output: &[u8], flags: &ValidatorFlags) -> Judgement {
    let (judge, judge_tail) = tokens(answer);
    let (team, team_tail) = tokens(output);
    let float_mode =
        flags.float_absolute_tolerance.is_some() || flags.float_relative_tolerance.is_some();
    for (i, (j, t)) in judge.iter().zip(team.iter()).enumerate() {
        let n = i + 1;
        if flags.space_change_sensitive && j.0 != t.0 {
            return Judgement::reject(format!("whitespace differs before token {n}"));
        }
        if let Some(expected) = as_float(j.1).filter(|_| float_mode) {
            let Some(got) = as_float(t.1) else {
                return Judgement::reject(format!(
                    "token {n}: expected a number like `{}`, got `{}`",
                    show(j.1),
                    show(t.1)
                ));
            };
            let diff = (got - expected).abs();
            let abs_ok = flags
                .float_absolute_tolerance
                .is_some_and(|tol| diff <= tol);
            let rel_ok = flags
                .float_relative_tolerance
                .is_some_and(|tol| diff <= tol * expected.abs());
            if !(abs_ok || rel_ok) {
                return Judgement::reject(format!(
                    "token {n}: expected {expected}, got {got} (difference {diff:e})"
                ));
            }
            continue;
        }
        let same = if flags.case_sensitive {
            j.1 == t.1
        } else {
            j.1.eq_ignore_ascii_case(t.1)
        };
        if !same {
            return Judgement::reject(format!(
                "token {n}: expected `{}`, got `{}`",
                show(j.1),
                show(t.1)
            ));
        }
    }
    if team.len() > judge.len() {
        return Judgement::reject(format!(
            "extra output after {} tokens: `{}`",
            judge.len(),
            show(team[judge.len()].1)
        ));
    }
    if team.len() < judge.len() {
        return Judgement::reject(format!(
            "output ended after {} of {} tokens",
            team.len(),
            judge.len()
        ));
    }
    if flags.space_change_sensitive && judge_tail != team_tail {
        return Judgement::reject("trailing whitespace differs".into());
    }
    Judgement::accept()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(args: &str) -> ValidatorFlags {
        let v: Vec<String> = args.split_whitespace().map(String::from).collect();
        ValidatorFlags::parse(&v).unwrap()
    }

    fn check(answer: &str, output: &str, f: &str, expected: bool) {
        let j = default_validate(answer.as_bytes(), output.as_bytes(), &flags(f));
        assert_eq!(
            j.accepted, expected,
            "answer {answer:?} output {output:?} flags {f:?}: {}",
            j.message
        );
    }

    #[test]
    fn tokens_ignore_whitespace_and_case_by_default() {
        check("Hello World!\n", "Hello World!\n", "", true);
        check("Hello World!\n", "  hello\n\nWORLD!  ", "", true);
        check("Hello World!\n", "Hello World!", "", true);
        check("Hello World!\n", "Hello, World!\n", "", false);
        check("Hello World!\n", "Hello World! extra\n", "", false);
        check("Hello World!\n", "Hello\n", "", false);
        check("Hello World!\n", "", "", false);
        check("", "", "", true);
        check("", "\n\n", "", true);
        check("", "x", "", false);
    }

    #[test]
    fn case_and_space_sensitivity_flags() {
        check("Hello World!\n", "hello world!\n", "case_sensitive", false);
        check("Hello World!\n", "Hello World!\n", "case_sensitive", true);
        check("a b\n", "a  b\n", "space_change_sensitive", false);
        check("a b\n", "a b", "space_change_sensitive", false);
        check("a b\n", "a b\n", "space_change_sensitive", true);
    }

    #[test]
    fn float_tolerances_are_absolute_or_relative() {
        check("0.333333333\n", "0.3333334\n", "float_tolerance 1e-6", true);
        check("0.333333333\n", "0.33\n", "float_tolerance 1e-6", false);
        check(
            "1000000\n",
            "1000000.5\n",
            "float_relative_tolerance 1e-6",
            true,
        );
        check(
            "1000000\n",
            "1000002\n",
            "float_relative_tolerance 1e-6",
            false,
        );
        check(
            "1000000\n",
            "1000002\n",
            "float_absolute_tolerance 1e-6",
            false,
        );
        check("1e-9\n", "0\n", "float_absolute_tolerance 1e-6", true);
        check("1e-9\n", "0\n", "float_relative_tolerance 1e-6", false);
        check("2.5\n", "2.5e0\n", "float_tolerance 1e-9", true);
        check("2.5\n", "nan\n", "float_tolerance 1e-9", false);
        check("2.5\n", "abc\n", "float_tolerance 1e-9", false);
        // Non-numeric judge tokens stay text comparisons, case-insensitive.
        check("YES 2.5\n", "yes 2.5000001\n", "float_tolerance 1e-6", true);
        // Without a tolerance numbers are text.
        check("2.5\n", "2.50\n", "", false);
    }
}
