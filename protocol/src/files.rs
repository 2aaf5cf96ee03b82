//! The rule for the names of submitted source files, written once: the gateway refuses a
//! submission that breaks it (422), `codehub judge` refuses it (exit 2), the web UI
//! refuses the upload, and the judge checks it again before it writes files.
//!
//! Whether an extension belongs to a language is not decided here: only the callers know
//! the language table. Answers to a submit-answer problem follow the same rule, under
//! the language id [`ANSWER_LANGUAGE`] and the names of [`answer_file_name`].

use std::fmt;

/// The longest accepted file name, in characters.
pub const MAX_SOURCE_NAME_CHARS: usize = 100;

/// The rule, in words (the end of every [`BadFileName`] message).
pub const SOURCE_NAME_RULE: &str = "a file name is 1 to 100 characters: ASCII letters, \
     digits, `_`, `-`, `+` and `.`, with no directory part (`/` or `\\`), no leading `.`, \
     and an extension after the last `.` naming its language (such as `main.cpp`)";

/// What is wrong with a file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameProblem {
    /// The name is empty.
    Empty,
    /// Longer than [`MAX_SOURCE_NAME_CHARS`]; holds the length in characters.
    TooLong(usize),
    /// Contains `/` or `\` (the first one found).
    DirectoryPart(char),
    /// Starts with `.` (a hidden file, `.` or `..`).
    LeadingDot,
    /// Contains a character outside the allowed set (the first one found).
    Character(char),
    /// Nothing (or nothing usable) after the last `.`.
    NoExtension,
}

impl fmt::Display for NameProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            NameProblem::Empty => f.write_str("is empty"),
            NameProblem::TooLong(n) => write!(f, "is {n} characters long"),
            NameProblem::DirectoryPart(c) => write!(f, "has a directory part (`{c}`)"),
            NameProblem::LeadingDot => f.write_str("starts with `.`"),
            NameProblem::Character(' ') => f.write_str("contains a space"),
            NameProblem::Character(c) if c.is_control() || c.is_whitespace() => {
                write!(f, "contains the character {}", c.escape_unicode())
            }
            NameProblem::Character(c) => write!(f, "contains `{c}`"),
            NameProblem::NoExtension => f.write_str("has no extension"),
        }
    }
}

/// A file name that breaks the rule: the name, what is wrong, and (in its message) the
/// rule itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadFileName {
    /// The name as given.
    pub name: String,
    /// What is wrong with it.
    pub problem: NameProblem,
}

impl fmt::Display for BadFileName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Quoted safely: control characters escaped, a long name shortened.
        const SHOWN: usize = 60;
        f.write_str("file name `")?;
        for c in self.name.chars().take(SHOWN) {
            write!(f, "{}", c.escape_debug())?;
        }
        if self.name.chars().nth(SHOWN).is_some() {
            f.write_str("…")?;
        }
        write!(f, "` {}: {SOURCE_NAME_RULE}", self.problem)
    }
}

impl std::error::Error for BadFileName {}

/// Whether `c` may appear in a source file name.
pub fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+' | '.')
}

/// Checks a source file name against [`SOURCE_NAME_RULE`].
///
/// # Errors
/// [`BadFileName`] with the first problem found, in the order of [`NameProblem`]'s
/// variants.
pub fn check_source_name(name: &str) -> Result<(), BadFileName> {
    let bad = |problem| {
        Err(BadFileName {
            name: name.to_owned(),
            problem,
        })
    };
    let chars = name.chars().count();
    if chars == 0 {
        return bad(NameProblem::Empty);
    }
    if chars > MAX_SOURCE_NAME_CHARS {
        return bad(NameProblem::TooLong(chars));
    }
    if let Some(c) = name.chars().find(|&c| c == '/' || c == '\\') {
        return bad(NameProblem::DirectoryPart(c));
    }
    if name.starts_with('.') {
        return bad(NameProblem::LeadingDot);
    }
    if let Some(c) = name.chars().find(|&c| !is_name_char(c)) {
        return bad(NameProblem::Character(c));
    }
    if extension(name).is_none() {
        return bad(NameProblem::NoExtension);
    }
    Ok(())
}

/// The extension of a file name (after the last `.`, without it), if it has a non-empty
/// one after a non-empty stem.
pub fn extension(name: &str) -> Option<&str> {
    match name.rsplit_once('.')? {
        ("", _) | (_, "") => None,
        (_, ext) => Some(ext),
    }
}

/// The language id of an answer submission to a submit-answer (output-only) problem: its
/// files are answers, one per test case, named by [`answer_file_name`], not programs.
pub const ANSWER_LANGUAGE: &str = "answer";

/// The name of the answer file for a test case of a submit-answer problem, from the
/// case's path under `data/` (`secret/group1/03`): `secret/` dropped, each `/` a `.`,
/// then `.out` (`group1.03.out`; `sample/1` is `sample.1.out`). The name must also
/// follow [`check_source_name`]; a package whose names break it or collide is refused.
pub fn answer_file_name(case: &str) -> String {
    let path = case.strip_prefix("secret/").unwrap_or(case);
    format!("{}.out", path.replace('/', "."))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(name: &str, expected: Option<NameProblem>) {
        let got = check_source_name(name).err().map(|e| e.problem);
        assert_eq!(got, expected, "{name:?}");
    }

    #[test]
    fn names_in_use_today_pass() {
        for name in [
            "Main.java",
            "hello.cpp",
            "a.c",
            "main.py",
            "sol.py3",
            "x.c++",
            "main.C",
            "a.CC",
            "util.h",
            "prefix_quadratic.cpp",
            "debug-spam.cpp",
            "Int32.java",
            "a..py",
            "Cargo.toml",
        ] {
            check(name, None);
        }
        check(
            &format!("{}.py", "a".repeat(MAX_SOURCE_NAME_CHARS - 3)),
            None,
        );
    }

    #[test]
    fn unusable_names_are_refused_with_the_first_problem() {
        use NameProblem::*;
        let long = format!("{}.py", "a".repeat(MAX_SOURCE_NAME_CHARS - 2));
        for (name, problem) in [
            ("", Empty),
            (long.as_str(), TooLong(MAX_SOURCE_NAME_CHARS + 1)),
            ("../../etc/passwd.py", DirectoryPart('/')),
            ("x/y.py", DirectoryPart('/')),
            ("a b\\#.py", DirectoryPart('\\')),
            ("C:\\main.c", DirectoryPart('\\')),
            (".hidden.py", LeadingDot),
            ("..", LeadingDot),
            (".", LeadingDot),
            ("a b#.py", Character(' ')),
            ("a#.py", Character('#')),
            ("a\0.c", Character('\0')),
            ("naïve.py", Character('ï')),
            ("Makefile", NoExtension),
            ("main.", NoExtension),
        ] {
            check(name, Some(problem));
        }
    }

    #[test]
    fn the_message_names_the_file_the_problem_and_the_rule() {
        let e = check_source_name("x/y.py").unwrap_err().to_string();
        assert!(
            e.starts_with("file name `x/y.py` has a directory part (`/`): "),
            "{e}"
        );
        assert!(e.ends_with(SOURCE_NAME_RULE), "{e}");
        for needle in [
            "1 to 100",
            "ASCII letters",
            "`_`",
            "directory",
            "leading `.`",
            "extension",
        ] {
            assert!(SOURCE_NAME_RULE.contains(needle), "{needle}");
        }
        let e = check_source_name("a b.py").unwrap_err().to_string();
        assert!(e.contains("contains a space"), "{e}");
        let e = check_source_name("a\n.py").unwrap_err().to_string();
        assert!(e.contains("`a\\n.py`") && e.contains("\\u{a}"), "{e}");
        let e = check_source_name(&"é".repeat(500)).unwrap_err().to_string();
        assert!(
            e.contains("is 500 characters long") && e.contains("…"),
            "{e}"
        );
        assert!(e.len() < 600, "a long name is shortened: {e}");
    }

    #[test]
    fn answer_files_are_named_after_their_test_cases() {
        assert_eq!(answer_file_name("secret/1"), "1.out");
        assert_eq!(answer_file_name("secret/group1/03"), "group1.03.out");
        assert_eq!(answer_file_name("sample/1"), "sample.1.out");
        assert_eq!(check_source_name(&answer_file_name("secret/a-b_c")), Ok(()));
    }

    #[test]
    fn extensions_follow_the_last_dot() {
        assert_eq!(extension("a.tar.gz"), Some("gz"));
        assert_eq!(extension("x.c++"), Some("c++"));
        assert_eq!(extension("Makefile"), None);
        assert_eq!(extension(".py"), None);
        assert_eq!(extension("a."), None);
    }
}
