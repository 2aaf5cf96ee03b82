//! The UI's words, from Fluent message catalogues (`web/locales/<lang>.ftl`, compiled
//! in): English, and German. The language is the one chosen in the header (kept in local
//! storage), else the browser's if it is one of ours, else English; a message missing
//! from a catalogue falls back to English.
//!
//! Pages call [`t`] (or [`t!`](crate::t) with arguments). Choosing another language
//! stores it and reloads the page, so nothing needs to re-render on a change.

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
use std::cell::RefCell;
use unic_langid::LanguageIdentifier;

/// The catalogues: (code, name in the language itself, Fluent source).
pub const LANGUAGES: [(&str, &str, &str); 2] = [
    ("en", "English", include_str!("../locales/en.ftl")),
    ("de", "Deutsch", include_str!("../locales/de.ftl")),
];

/// Local-storage key of the chosen language.
pub const LANG_KEY: &str = "codehub.lang";

/// A language's messages, with English behind them.
pub struct Catalog {
    lang: &'static str,
    bundle: FluentBundle<FluentResource>,
    english: FluentBundle<FluentResource>,
}

fn bundle(code: &str, source: &str) -> FluentBundle<FluentResource> {
    let id: LanguageIdentifier = code.parse().unwrap_or_default();
    let mut bundle = FluentBundle::new(vec![id]);
    // No Unicode isolation marks around placeables: the text is shown as it is.
    bundle.set_use_isolating(false);
    let resource = FluentResource::try_new(source.to_owned()).unwrap_or_else(|(r, _)| r);
    let _ = bundle.add_resource(resource);
    bundle
}

impl Catalog {
    /// The catalogue of `lang` (English if it is not one of [`LANGUAGES`]).
    pub fn new(lang: &str) -> Catalog {
        let (code, _, source) = LANGUAGES
            .iter()
            .find(|l| l.0 == lang)
            .copied()
            .unwrap_or(LANGUAGES[0]);
        Catalog {
            lang: code,
            bundle: bundle(code, source),
            english: bundle("en", LANGUAGES[0].2),
        }
    }

    /// Its language code.
    pub fn lang(&self) -> &'static str {
        self.lang
    }

    /// Message `id` with `args`; the id itself if no catalogue has it.
    pub fn format(&self, id: &str, args: Option<&FluentArgs>) -> String {
        for b in [&self.bundle, &self.english] {
            if let Some(pattern) = b.get_message(id).and_then(|m| m.value()) {
                let mut errors = Vec::new();
                return b.format_pattern(pattern, args, &mut errors).into_owned();
            }
        }
        id.to_owned()
    }
}

thread_local! {
    static CATALOG: RefCell<Option<Catalog>> = const { RefCell::new(None) };
}

/// The language to use: the stored choice, else the browser's, else English.
pub fn preferred() -> String {
    let ours = |code: &str| {
        let primary = code
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_lowercase();
        LANGUAGES
            .iter()
            .find(|l| l.0 == primary)
            .map(|l| l.0.to_owned())
    };
    crate::api::stored(LANG_KEY)
        .and_then(|l| ours(&l))
        .or_else(|| {
            web_sys::window()
                .and_then(|w| w.navigator().language())
                .and_then(|l| ours(&l))
        })
        .unwrap_or_else(|| "en".to_owned())
}

/// Uses `lang` from now on (and marks the document's language).
pub fn set_language(lang: &str) {
    let catalog = Catalog::new(lang);
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", catalog.lang());
    }
    CATALOG.with(|c| *c.borrow_mut() = Some(catalog));
}

/// The language in use.
pub fn language() -> &'static str {
    CATALOG.with(|c| c.borrow().as_ref().map_or("en", Catalog::lang))
}

/// Message `id` in the language in use, with `args`.
pub fn format(id: &str, args: Option<&FluentArgs>) -> String {
    CATALOG.with(|c| {
        let mut c = c.borrow_mut();
        c.get_or_insert_with(|| Catalog::new("en")).format(id, args)
    })
}

/// Message `id` in the language in use.
pub fn t(id: &str) -> String {
    format(id, None)
}

/// Message `id` with named arguments: `t!("submissions-last-year", count = 3)`.
#[macro_export]
macro_rules! t {
    ($id:expr) => {
        $crate::i18n::t($id)
    };
    ($id:expr, $($name:ident = $value:expr),+ $(,)?) => {{
        let mut args = fluent_bundle::FluentArgs::new();
        $( args.set(stringify!($name), $crate::i18n::arg($value)); )+
        $crate::i18n::format($id, Some(&args))
    }};
}

/// A message argument: numbers stay numbers (for plural rules), the rest is text.
pub fn arg<'a>(value: impl Into<Arg>) -> FluentValue<'a> {
    match value.into() {
        Arg::Number(n) => FluentValue::from(n),
        Arg::Text(s) => FluentValue::from(s),
    }
}

/// What [`arg`] takes.
pub enum Arg {
    /// A number.
    Number(f64),
    /// Text.
    Text(String),
}

macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Arg {
                Arg::Number(n as f64)
            }
        }
    )*};
}
number_arg!(i32, i64, u32, u64, usize, f64);

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Text(s)
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Text(s.to_owned())
    }
}

impl From<&String> for Arg {
    fn from(s: &String) -> Arg {
        Arg::Text(s.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fluent_syntax::ast;
    use std::collections::BTreeSet;

    fn ids(source: &str) -> BTreeSet<String> {
        let resource = FluentResource::try_new(source.to_owned())
            .unwrap_or_else(|(_, e)| panic!("the catalogue does not parse: {e:?}"));
        resource
            .entries()
            .filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn every_language_has_every_message() {
        let english = ids(LANGUAGES[0].2);
        for (code, _, source) in &LANGUAGES[1..] {
            let other = ids(source);
            let missing: Vec<_> = english.difference(&other).collect();
            let extra: Vec<_> = other.difference(&english).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{code}: missing {missing:?}, not in English {extra:?}"
            );
        }
    }

    /// Every id the code asks for (`t("…")`, `t!("…"`) is in the English catalogue.
    #[test]
    fn every_message_the_code_uses_exists() {
        let english = ids(LANGUAGES[0].2);
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut missing = Vec::new();
        let mut used = 0;
        let mut stack = vec![root];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for opener in ["t(\"", "t!(\""] {
                    for (i, _) in text.match_indices(opener) {
                        // `t(` itself, not the end of `format(` or `set(`.
                        let before = text[..i].chars().next_back().unwrap_or(' ');
                        if before.is_alphanumeric() || before == '_' || before == '.' {
                            continue;
                        }
                        let rest = &text[i + opener.len()..];
                        let id = &rest[..rest.find('"').unwrap()];
                        if id.is_empty() || id.contains(' ') || id == "…" {
                            continue;
                        }
                        used += 1;
                        if !english.contains(id) {
                            missing.push(format!("{}: {id}", path.display()));
                        }
                    }
                }
            }
        }
        assert!(used > 0, "no message is used");
        assert!(missing.is_empty(), "not in en.ftl: {missing:#?}");
    }

    #[test]
    fn plurals_and_arguments_follow_each_language() {
        let en = Catalog::new("en");
        let de = Catalog::new("de");
        let count = |c: &Catalog, n: i64| {
            let mut args = FluentArgs::new();
            args.set("count", n);
            c.format("submissions-last-year", Some(&args))
        };
        assert_eq!(count(&en, 1), "1 submission in the last year");
        assert_eq!(count(&en, 3), "3 submissions in the last year");
        assert_eq!(count(&de, 1), "1 Einreichung im letzten Jahr");
        assert_eq!(count(&de, 3), "3 Einreichungen im letzten Jahr");
        assert_eq!(Catalog::new("xx").lang(), "en", "unknown: English");
        assert_eq!(en.format("no-such-message", None), "no-such-message");
    }

    /// Messages whose English the browser tests read, or whose Fluent is delicate
    /// (plurals, selects, spaces kept at the start, escaped brackets), say what the
    /// UI said before it had catalogues.
    #[test]
    fn english_says_what_the_ui_said() {
        let en = Catalog::new("en");
        let de = Catalog::new("de");
        let say = |c: &Catalog, id: &str, args: &[(&str, FluentValue<'static>)]| {
            let mut a = FluentArgs::new();
            for (k, v) in args {
                a.set(*k, v.clone());
            }
            c.format(id, Some(&a))
        };
        let n = |x: i64| FluentValue::from(x);
        let s = |x: &'static str| FluentValue::from(x);
        let summary = |c: &Catalog, count: i64| {
            say(
                c,
                "practice-summary",
                &[("count", n(count)), ("page", n(1)), ("pages", n(2))],
            )
        };
        assert_eq!(summary(&en, 1), "1 problem · page 1 of 2");
        assert_eq!(summary(&en, 3), "3 problems · page 1 of 2");
        assert_eq!(summary(&de, 1), "1 Aufgabe · Seite 1 von 2");
        assert_eq!(summary(&de, 3), "3 Aufgaben · Seite 1 von 2");
        let saved = |c: &Catalog, hints: i64, editorial| {
            say(
                c,
                "admin-editorial-saved",
                &[("hints", n(hints)), ("editorial", s(editorial))],
            )
        };
        assert_eq!(
            saved(&en, 2, "written"),
            "Saved: 2 hint(s), editorial written."
        );
        assert_eq!(saved(&en, 0, "empty"), "Saved: 0 hint(s), editorial empty.");
        assert_eq!(
            saved(&de, 1, "empty"),
            "Gespeichert: 1 Hinweis, Lösungsweg leer."
        );
        assert_eq!(
            saved(&de, 3, "written"),
            "Gespeichert: 3 Hinweise, Lösungsweg geschrieben."
        );
        let tests = |c: &Catalog, count: i64| {
            say(
                c,
                "problem-tests-summary",
                &[
                    ("count", n(count)),
                    ("time", s("1 s")),
                    ("memory", s("2 MiB")),
                ],
            )
        };
        assert_eq!(tests(&en, 1), "1 test(s) run · slowest 1 s · peak 2 MiB");
        assert_eq!(
            tests(&de, 1),
            "1 Test ausgeführt · längste Laufzeit 1 s · höchster Speicherbedarf 2 MiB"
        );
        assert_eq!(say(&en, "account-sign-in-to", &[]), " to see your account.");
        assert_eq!(say(&en, "problem-run-cut", &[]), "[… cut]");
        assert_eq!(
            say(
                &en,
                "problem-show-hint",
                &[("shown", n(1)), ("total", n(2))]
            ),
            "Show a hint (1 of 2)"
        );
        assert_eq!(
            say(&en, "editor-replaced", &[("count", n(1))]),
            "1 replaced"
        );
        assert_eq!(
            say(&en, "common-team-fallback", &[("id", s("9001"))]),
            "team 9001"
        );
        assert_eq!(
            say(
                &en,
                "admin-imported-with-notes",
                &[
                    ("id", s("7")),
                    ("name", s("Polygon Sum")),
                    ("notes", s("solution"))
                ]
            ),
            "Imported problem 7 “Polygon Sum”. Not converted: solution"
        );
        assert_eq!(say(&en, "scoreboard-teams", &[("count", n(1))]), "1 team");
        assert_eq!(say(&en, "practice-tries", &[("count", n(2))]), "2 tries");
    }

    /// Every message of every language formats without errors (each variable it uses
    /// given as text, so selectors take their default variant) and says something.
    #[test]
    fn every_message_formats_cleanly() {
        for (code, _, source) in &LANGUAGES {
            let resource = FluentResource::try_new((*source).to_owned()).unwrap();
            let catalog = Catalog::new(code);
            for entry in resource.entries() {
                let fluent_syntax::ast::Entry::Message(m) = entry else {
                    continue;
                };
                let id = m.id.name;
                let mut names = Vec::new();
                if let Some(value) = &m.value {
                    pattern_variables(value, &mut names);
                }
                let mut args = FluentArgs::new();
                for name in names {
                    args.set(name, "x");
                }
                let pattern = catalog.bundle.get_message(id).and_then(|m| m.value());
                let pattern = pattern.unwrap_or_else(|| panic!("{code} {id}: no value"));
                let mut errors = Vec::new();
                let text = catalog
                    .bundle
                    .format_pattern(pattern, Some(&args), &mut errors);
                assert!(errors.is_empty(), "{code} {id}: {errors:?}");
                assert!(!text.trim().is_empty(), "{code} {id}: empty");
            }
        }
    }

    /// The variables a pattern uses.
    fn pattern_variables<'s>(pattern: &ast::Pattern<&'s str>, out: &mut Vec<&'s str>) {
        for element in &pattern.elements {
            if let ast::PatternElement::Placeable { expression } = element {
                expression_variables(expression, out);
            }
        }
    }

    fn expression_variables<'s>(expression: &ast::Expression<&'s str>, out: &mut Vec<&'s str>) {
        match expression {
            ast::Expression::Inline(inline) => inline_variables(inline, out),
            ast::Expression::Select { selector, variants } => {
                inline_variables(selector, out);
                for v in variants {
                    pattern_variables(&v.value, out);
                }
            }
        }
    }

    fn inline_variables<'s>(inline: &ast::InlineExpression<&'s str>, out: &mut Vec<&'s str>) {
        match inline {
            ast::InlineExpression::VariableReference { id } => out.push(id.name),
            ast::InlineExpression::Placeable { expression } => {
                expression_variables(expression, out);
            }
            _ => {}
        }
    }
}
