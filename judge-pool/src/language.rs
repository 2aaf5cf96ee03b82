//! The language table: how each language is compiled and run, as data.
//!
//! The built-in table is `judge-pool/languages.toml`; an admin can load another file with
//! [`LanguageTable::from_toml`] to add or change languages without touching code.

use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// The built-in language table.
pub const BUILTIN_LANGUAGES: &str = include_str!("../languages.toml");

/// How the entry file (`{main}`) of a submission is chosen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Entry {
    /// The first source file in name order.
    #[default]
    First,
    /// The file with `if __name__ == "__main__"`, else `main.py`, else the first file.
    Python,
    /// The class with `public static void main`; files are named after their public class.
    Java,
}

/// One language.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Language {
    /// Its id in the table (`cpp`, `python3`, …); filled in on load.
    #[serde(skip)]
    pub id: String,
    /// Human name.
    pub name: String,
    /// File extensions, without the dot.
    pub extensions: Vec<String>,
    /// Command printing the toolchain version.
    pub version: Vec<String>,
    /// Compile command, if the language is compiled (or syntax-checked).
    #[serde(default)]
    pub compile: Option<Vec<String>>,
    /// Run command.
    pub run: Vec<String>,
    /// Name of the compiled program (`{executable}`).
    pub executable: String,
    /// File name for a submission that arrives without one.
    pub source_name: String,
    /// How `{main}` is chosen.
    #[serde(default)]
    pub entry: Entry,
    /// Also cap virtual memory with `RLIMIT_AS` at the memory limit.
    #[serde(default)]
    pub address_space_limit: bool,
    /// MiB added to the kernel memory limit for the runtime's own footprint.
    #[serde(default)]
    pub memory_overhead_mib: u64,
    /// Process/thread limit for this language, instead of the judge's default.
    #[serde(default)]
    pub processes: Option<u32>,
    /// Exit status the runtime uses when its own heap limit is hit (reported as MLE).
    #[serde(default)]
    pub oom_exit_code: Option<i32>,
    /// Extra environment variables for compile and run.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// Host paths this toolchain needs inside the sandbox.
    #[serde(default)]
    pub readonly_paths: Vec<PathBuf>,
}

/// An error in a language table.
#[derive(Debug, thiserror::Error)]
pub enum LanguageError {
    /// The TOML did not parse or did not match the schema.
    #[error("language table: {0}")]
    Parse(#[from] toml::de::Error),
    /// A language entry is inconsistent.
    #[error("language table: language `{id}`: {message}")]
    Invalid {
        /// The language id.
        id: String,
        /// What is wrong.
        message: String,
    },
    /// Two languages claim one extension.
    #[error("language table: extension `.{ext}` belongs to both `{first}` and `{second}`")]
    DuplicateExtension {
        /// The extension.
        ext: String,
        /// One language.
        first: String,
        /// The other.
        second: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TableFile {
    languages: BTreeMap<String, Language>,
}

/// Why a submission's language id and file names name no language that can judge it:
/// the request is refused before anything is stored or run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChoiceError {
    /// The language id is not in the table.
    #[error("unknown language `{0}`")]
    UnknownLanguage(String),
    /// No language id given, and no file ends in an extension of the table.
    #[error(
        "cannot tell the language from the file names: none ends in a known extension ({known})"
    )]
    Undetectable {
        /// Every extension of the table (`.c, .cpp, …`).
        known: String,
    },
    /// No file ends in one of the chosen language's extensions (so there is nothing to
    /// compile or run).
    #[error("no {name} source file: at least one file must end in {extensions}")]
    NoSource {
        /// The language's id.
        language: String,
        /// Its human name.
        name: String,
        /// Its extensions (`.cpp, .cc, …`).
        extensions: String,
    },
}

/// All languages, by id and by extension.
#[derive(Debug, Clone)]
pub struct LanguageTable {
    languages: BTreeMap<String, Language>,
    by_extension: HashMap<String, String>,
}

/// A source file of a submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// File name (no directories).
    pub name: String,
    /// Contents.
    pub contents: Vec<u8>,
}

impl LanguageTable {
    /// The built-in table.
    pub fn builtin() -> Self {
        Self::from_toml(BUILTIN_LANGUAGES).expect("the built-in language table is valid")
    }

    /// Parses a table.
    ///
    /// # Errors
    /// [`LanguageError`] naming the language and the problem.
    pub fn from_toml(text: &str) -> Result<Self, LanguageError> {
        let file: TableFile = toml::from_str(text)?;
        let mut by_extension = HashMap::new();
        let mut languages = BTreeMap::new();
        for (id, mut lang) in file.languages {
            lang.id = id.clone();
            let invalid = |message: &str| LanguageError::Invalid {
                id: id.clone(),
                message: message.to_owned(),
            };
            if lang.run.is_empty() {
                return Err(invalid("`run` is empty"));
            }
            if lang.version.is_empty() {
                return Err(invalid("`version` is empty"));
            }
            if lang.compile.as_ref().is_some_and(|c| c.is_empty()) {
                return Err(invalid("`compile` is empty"));
            }
            if lang.extensions.is_empty() {
                return Err(invalid("`extensions` is empty"));
            }
            for ext in &lang.extensions {
                if let Some(first) = by_extension.insert(ext.clone(), id.clone()) {
                    return Err(LanguageError::DuplicateExtension {
                        ext: ext.clone(),
                        first,
                        second: id.clone(),
                    });
                }
            }
            languages.insert(id, lang);
        }
        Ok(LanguageTable {
            languages,
            by_extension,
        })
    }

    /// Every language, by id.
    pub fn iter(&self) -> impl Iterator<Item = &Language> {
        self.languages.values()
    }

    /// The language `id`.
    pub fn get(&self, id: &str) -> Option<&Language> {
        self.languages.get(id)
    }

    /// The language of a file name, from its extension.
    pub fn by_file_name(&self, name: &str) -> Option<&Language> {
        let ext = Path::new(name).extension()?.to_str()?;
        self.by_extension
            .get(ext)
            .or_else(|| self.by_extension.get(&ext.to_ascii_lowercase()))
            .and_then(|id| self.languages.get(id))
    }

    /// The language of a submission: the one most of its files belong to (files of no
    /// language, such as headers, are ignored).
    pub fn detect(&self, files: &[SourceFile]) -> Option<&Language> {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for f in files {
            if let Some(lang) = self.by_file_name(&f.name) {
                *counts.entry(lang.id.as_str()).or_default() += 1;
            }
        }
        counts
            .into_iter()
            .max_by_key(|(_, n)| *n)
            .and_then(|(id, _)| self.languages.get(id))
    }

    /// The language a submission of files named `names` is judged in: `id` if given,
    /// else the one detected from the extensions (as [`Self::detect`]); either way at
    /// least one file must be a source file of it ([`Language::owns`]).
    ///
    /// # Errors
    /// [`ChoiceError`] saying which of the three fails, with the extensions that would do.
    pub fn choose(&self, id: Option<&str>, names: &[&str]) -> Result<&Language, ChoiceError> {
        let lang = match id {
            Some(id) => self
                .get(id)
                .ok_or_else(|| ChoiceError::UnknownLanguage(id.to_owned()))?,
            None => {
                let files: Vec<SourceFile> = names
                    .iter()
                    .map(|&name| SourceFile {
                        name: name.to_owned(),
                        contents: Vec::new(),
                    })
                    .collect();
                self.detect(&files)
                    .ok_or_else(|| ChoiceError::Undetectable {
                        known: dotted(self.iter().flat_map(|l| &l.extensions)),
                    })?
            }
        };
        if !names.iter().any(|name| lang.owns(name)) {
            return Err(ChoiceError::NoSource {
                language: lang.id.clone(),
                name: lang.name.clone(),
                extensions: dotted(&lang.extensions),
            });
        }
        Ok(lang)
    }

    /// Host paths all languages need inside the sandbox.
    pub fn readonly_paths(&self) -> Vec<PathBuf> {
        let mut paths: Vec<PathBuf> = self
            .iter()
            .flat_map(|l| l.readonly_paths.iter().cloned())
            .collect();
        paths.sort();
        paths.dedup();
        paths
    }
}

/// `.a, .b, .c`.
fn dotted<'a>(extensions: impl IntoIterator<Item = &'a String>) -> String {
    extensions
        .into_iter()
        .map(|e| format!(".{e}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The directories searched for programs inside the sandbox (its `PATH`).
pub const SANDBOX_PATH: &[&str] = &["/usr/local/bin", "/usr/bin", "/bin"];

impl Language {
    /// Whether the toolchain's programs exist on this host (as the sandbox will see them).
    pub fn available_on_host(&self) -> bool {
        let programs = self
            .compile
            .iter()
            .map(|c| c[0].as_str())
            .chain([self.run[0].as_str(), self.version[0].as_str()]);
        programs
            .filter(|p| !p.contains('{') && !p.starts_with("./"))
            .all(|p| {
                if p.contains('/') {
                    Path::new(p).is_file()
                } else {
                    SANDBOX_PATH.iter().any(|d| Path::new(d).join(p).is_file())
                }
            })
    }

    /// Whether `name` has one of this language's extensions.
    pub fn owns(&self, name: &str) -> bool {
        Path::new(name)
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| self.extensions.iter().any(|x| x == e))
    }
}

/// What a submission's files become inside the sandbox, and the values of the
/// placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    /// Files to write (renamed where the language requires it).
    pub files: Vec<SourceFile>,
    /// `{main}`.
    pub main: String,
    /// `{main_class}` (Java), else the stem of `{main}`.
    pub main_class: String,
}

/// Why a submission's files cannot be prepared: reported to the contestant as CE.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PrepareError(pub String);

impl Language {
    /// [`Self::prepare`] for a contestant's submission: first every file name given is
    /// checked against the submission rule
    /// ([`check_source_name`](codehub_protocol::files::check_source_name)), which the
    /// gateway and `codehub judge` also check before judging; an empty name takes the
    /// language's `source_name`.
    ///
    /// # Errors
    /// [`PrepareError`] (a compile error) for a name that breaks the rule, and as
    /// [`Self::prepare`].
    pub fn prepare_submission(&self, files: &[SourceFile]) -> Result<Prepared, PrepareError> {
        for f in files.iter().filter(|f| !f.name.is_empty()) {
            codehub_protocol::files::check_source_name(&f.name)
                .map_err(|e| PrepareError(e.to_string()))?;
        }
        self.prepare(files)
    }

    /// Names the files and finds the entry point. Only names that cannot be written
    /// safely are refused here (the judge's own files, such as a validator's, use it);
    /// contestants' files go through [`Self::prepare_submission`].
    ///
    /// # Errors
    /// [`PrepareError`] (a compile error) when there is no source file of this language,
    /// a name is unusable, or (Java) no class has a `main` method.
    pub fn prepare(&self, files: &[SourceFile]) -> Result<Prepared, PrepareError> {
        let mut out = Vec::new();
        for f in files {
            let mut name = if f.name.is_empty() {
                self.source_name.clone()
            } else {
                f.name.clone()
            };
            let plain = !name.starts_with('.')
                && !name.contains('/')
                && !name.contains('\0')
                && name.len() <= 255;
            if !plain {
                return Err(PrepareError(format!("unusable file name `{name}`")));
            }
            let public_class = (self.entry == Entry::Java && self.owns(&name))
                .then(|| java_public_class(&String::from_utf8_lossy(&f.contents)))
                .flatten();
            if let Some(class) = public_class {
                name = format!("{class}.java");
            }
            if out.iter().any(|o: &SourceFile| o.name == name) {
                return Err(PrepareError(format!("two files are named `{name}`")));
            }
            out.push(SourceFile {
                name,
                contents: f.contents.clone(),
            });
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        let sources: Vec<&SourceFile> = out.iter().filter(|f| self.owns(&f.name)).collect();
        let Some(first) = sources.first() else {
            return Err(PrepareError(format!(
                "no {} source file (expected one of: {})",
                self.name,
                self.extensions
                    .iter()
                    .map(|e| format!(".{e}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        };
        let stem = |n: &str| {
            Path::new(n)
                .file_stem()
                .map_or_else(String::new, |s| s.to_string_lossy().into_owned())
        };
        let (main, main_class) = match self.entry {
            Entry::First => (first.name.clone(), stem(&first.name)),
            Entry::Python => {
                let main = sources
                    .iter()
                    .find(|f| String::from_utf8_lossy(&f.contents).contains("__name__"))
                    .or_else(|| sources.iter().find(|f| f.name == "main.py"))
                    .unwrap_or(first);
                (main.name.clone(), stem(&main.name))
            }
            Entry::Java => {
                let found = sources.iter().find_map(|f| {
                    let text = String::from_utf8_lossy(&f.contents);
                    java_main_class(&text).map(|c| (f.name.clone(), c))
                });
                match found {
                    Some(found) => found,
                    None => {
                        return Err(PrepareError(
                            "no class with `public static void main(String[] args)`".into(),
                        ));
                    }
                }
            }
        };
        Ok(Prepared {
            files: out,
            main,
            main_class,
        })
    }

    /// Expands a command template.
    pub fn expand(&self, template: &[String], prepared: &Prepared, memory_mib: u64) -> Vec<String> {
        let mut out = Vec::new();
        for arg in template {
            if arg == "{files}" {
                out.extend(
                    prepared
                        .files
                        .iter()
                        .filter(|f| self.owns(&f.name))
                        .map(|f| f.name.clone()),
                );
                continue;
            }
            out.push(
                arg.replace("{main_class}", &prepared.main_class)
                    .replace("{main_stem}", &prepared.main_class)
                    .replace("{main}", &prepared.main)
                    .replace("{executable}", &self.executable)
                    .replace("{memory_mib}", &memory_mib.to_string()),
            );
        }
        out
    }
}

/// Removes `//` and `/* */` comments and the contents of string and char literals, so
/// that scanning for keywords sees code only.
fn java_code_only(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let b = src.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
                out.push(' ');
            }
            q @ (b'"' | b'\'') => {
                i += 1;
                while i < b.len() && b[i] != q {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
                out.push_str("\"\"");
            }
            c => {
                out.push(c as char);
                i += 1;
            }
        }
    }
    out
}

fn words(code: &str) -> Vec<&str> {
    code.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$' || c == '.'))
        .filter(|w| !w.is_empty())
        .collect()
}

/// The name of the top-level `public class` (or interface, enum, record) of a source.
pub fn java_public_class(src: &str) -> Option<String> {
    let code = java_code_only(src);
    let w = words(&code);
    w.windows(3).find_map(|win| {
        (win[0] == "public" && matches!(win[1], "class" | "interface" | "enum" | "record"))
            .then(|| win[2].to_owned())
    })
}

/// The fully qualified name of the class declaring `static void main`, if any.
pub fn java_main_class(src: &str) -> Option<String> {
    let code = java_code_only(src);
    let main_at = code.find("static void main")?;
    let before = &code[..main_at];
    let w = words(before);
    let class = w
        .windows(2)
        .rev()
        .find(|win| matches!(win[0], "class" | "record" | "enum" | "interface"))
        .map(|win| win[1].to_owned())?;
    let package = words(&code)
        .windows(2)
        .find(|win| win[0] == "package")
        .map(|win| win[1].to_owned());
    Some(match package {
        Some(p) => format!("{p}.{class}"),
        None => class,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(name: &str, text: &str) -> SourceFile {
        SourceFile {
            name: name.into(),
            contents: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn builtin_table_has_the_required_languages_and_extensions() {
        let t = LanguageTable::builtin();
        for (file, id) in [
            ("a.c", "c"),
            ("a.cc", "cpp"),
            ("a.cpp", "cpp"),
            ("a.cxx", "cpp"),
            ("a.c++", "cpp"),
            ("a.py", "python3"),
            ("A.java", "java"),
            ("a.rs", "rust"),
        ] {
            assert_eq!(
                t.by_file_name(file).map(|l| l.id.as_str()),
                Some(id),
                "{file}"
            );
        }
        assert!(t.by_file_name("a.txt").is_none());
        assert!(t.by_file_name("Makefile").is_none());
    }

    #[test]
    fn detection_ignores_headers_and_takes_the_majority() {
        let t = LanguageTable::builtin();
        let files = [src("a.h", ""), src("a.cpp", ""), src("b.cpp", "")];
        assert_eq!(t.detect(&files).unwrap().id, "cpp");
        assert!(t.detect(&[src("notes.txt", "")]).is_none());
    }

    #[test]
    fn bad_tables_are_rejected_with_the_language_named() {
        let dup = r#"
            [languages.a]
            name = "A"
            extensions = ["x"]
            version = ["a"]
            run = ["a"]
            executable = "a"
            source_name = "a.x"
            [languages.b]
            name = "B"
            extensions = ["x"]
            version = ["b"]
            run = ["b"]
            executable = "b"
            source_name = "b.x"
        "#;
        let e = LanguageTable::from_toml(dup).unwrap_err().to_string();
        assert!(
            e.contains("`.x`") && e.contains('a') && e.contains('b'),
            "{e}"
        );
        let empty_run = dup.replace("run = [\"b\"]", "run = []").replace(
            "[\"x\"]\n            version = [\"b\"]",
            "[\"y\"]\n            version = [\"b\"]",
        );
        let e = LanguageTable::from_toml(&empty_run)
            .unwrap_err()
            .to_string();
        assert!(e.contains("`b`") && e.contains("run"), "{e}");
        let unknown = "[languages.a]\nname = \"A\"\nbogus = 1\n";
        assert!(LanguageTable::from_toml(unknown).is_err());
    }

    #[test]
    fn java_main_class_is_found_and_files_are_named_after_public_classes() {
        let t = LanguageTable::builtin();
        let java = t.get("java").unwrap();
        let main = "// class Fake { static void main }\npackage p.q;\nimport java.util.*;\n\
                    public class Solver {\n  public static void main(String[] a) { System.out.println(\"class X\"); }\n}";
        let helper = "class Helper { int f() { return 1; } }";
        let p = java
            .prepare(&[src("whatever.java", main), src("Helper.java", helper)])
            .unwrap();
        assert_eq!(p.main_class, "p.q.Solver");
        assert_eq!(p.main, "Solver.java");
        assert_eq!(
            p.files.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(),
            ["Helper.java", "Solver.java"]
        );
        let no_main = java.prepare(&[src("A.java", helper)]).unwrap_err();
        assert!(no_main.0.contains("main"));
    }

    #[test]
    fn commands_expand_placeholders() {
        let t = LanguageTable::builtin();
        let cpp = t.get("cpp").unwrap();
        let p = cpp
            .prepare(&[src("b.cpp", ""), src("a.cpp", ""), src("a.h", "")])
            .unwrap();
        let cmd = cpp.expand(cpp.compile.as_ref().unwrap(), &p, 256);
        assert_eq!(
            cmd,
            [
                "g++",
                "-std=gnu++20",
                "-O2",
                "-pipe",
                "-o",
                "solution",
                "a.cpp",
                "b.cpp"
            ]
        );
        let java = t.get("java").unwrap();
        let p = java
            .prepare(&[src(
                "x.java",
                "public class Main { public static void main(String[] a){} }",
            )])
            .unwrap();
        let run = java.expand(&java.run, &p, 256);
        assert!(run.contains(&"-Xmx256m".to_owned()) && run.last().unwrap() == "Main");
    }

    #[test]
    fn python_entry_prefers_the_file_with_a_main_guard() {
        let t = LanguageTable::builtin();
        let py = t.get("python3").unwrap();
        let p = py
            .prepare(&[
                src("a.py", "def f(): pass"),
                src("z.py", "if __name__ == '__main__':\n  pass"),
            ])
            .unwrap();
        assert_eq!(p.main, "z.py");
    }

    #[test]
    fn unusable_names_are_compile_errors() {
        let t = LanguageTable::builtin();
        let c = t.get("c").unwrap();
        assert!(c.prepare(&[src("../x.c", "")]).is_err());
        assert!(c.prepare(&[src(".hidden.c", "")]).is_err());
        assert!(c.prepare(&[src("notes.txt", "")]).is_err());
        let unnamed = c.prepare(&[src("", "int main(){}")]).unwrap();
        assert_eq!(unnamed.main, "main.c");
    }

    #[test]
    fn submissions_are_held_to_the_file_name_rule() {
        let t = LanguageTable::builtin();
        let py = t.get("python3").unwrap();
        for name in ["a b#.py", "x/y.py", ".hidden.py", "../../etc/passwd.py"] {
            let e = py.prepare_submission(&[src(name, "print(1)")]).unwrap_err();
            assert!(
                e.0.contains("a file name is 1 to 100 characters"),
                "{name}: {e}"
            );
        }
        // `prepare` alone (the judge's own files) still takes what is safe to write.
        assert!(py.prepare(&[src("a b#.py", "print(1)")]).is_ok());
        let ok = py
            .prepare_submission(&[src("util.py", "x = 1"), src("", "print(1)")])
            .unwrap();
        assert_eq!(ok.main, "main.py");
        let java = t.get("java").unwrap();
        let main = "public class Main { public static void main(String[] a) {} }";
        assert_eq!(
            java.prepare_submission(&[src("Main.java", main)])
                .unwrap()
                .main_class,
            "Main"
        );
    }

    #[test]
    fn a_language_is_chosen_only_with_a_source_file_of_it() {
        let t = LanguageTable::builtin();
        let id = |r: Result<&Language, ChoiceError>| r.map(|l| l.id.clone());
        assert_eq!(id(t.choose(None, &["a.h", "a.cpp"])), Ok("cpp".into()));
        assert_eq!(id(t.choose(Some("c"), &["a.c", "util.h"])), Ok("c".into()));
        assert_eq!(id(t.choose(None, &["Main.java"])), Ok("java".into()));
        assert_eq!(
            t.choose(Some("cobol"), &["a.cob"]).unwrap_err(),
            ChoiceError::UnknownLanguage("cobol".into())
        );
        let e = t.choose(None, &["notes.txt"]).unwrap_err();
        assert!(matches!(e, ChoiceError::Undetectable { .. }), "{e}");
        let msg = e.to_string();
        assert!(
            msg.contains(".cpp") && msg.contains(".py") && msg.contains(".java"),
            "{msg}"
        );
        let e = t.choose(Some("python3"), &["a.cpp"]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "no Python 3 source file: at least one file must end in .py, .py3"
        );
        // Detection ignores case, the judge does not: `a.CPP` would compile nothing.
        let e = t.choose(None, &["a.CPP"]).unwrap_err();
        assert!(
            matches!(e, ChoiceError::NoSource { ref language, .. } if language == "cpp"),
            "{e}"
        );
    }
}
