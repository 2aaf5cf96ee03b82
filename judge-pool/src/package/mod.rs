//! Problem packages in the Kattis problem package format, from a directory or a `.zip`:
//! the legacy edition and 2023-07 (`problem_format_version: 2023-07-draft` or `2023-07`).
//!
//! What is read: `problem.yaml` (name, type, limits; legacy validation and validator
//! flags), `data/sample` and `data/secret` with nested groups in lexicographic order and
//! their configuration (arguments, scoring), the output validator (`output_validator/`,
//! legacy `output_validators/<name>/`), `include/<language>/`, the statement, attachments
//! and input validators (listed) and the shipped submissions with what they must get.
//! Every error names the problem and the file; keys the reader does not know, or knows but
//! does not act on, are [`PackageWarning`]s in [`Problem::warnings`], never refusals.
//!
//! Files: this one (the types, `Problem::load`, validators, includes), `yaml.rs`
//! (`problem.yaml` in both editions, limits, YAML helpers), `testdata.rs` (the walk of
//! `data/`), `scoring.rs` (2023-07 scoring keys), `submissions.rs` (shipped submissions
//! and `submissions.yaml`), `archive.rs` (zip packages), `codehub.rs` (CodeHub's own
//! `codehub.yaml`: testlib programs of converted Polygon packages).

mod archive;
pub mod codehub;
mod scoring;
mod submissions;
mod testdata;
mod yaml;

use crate::language::SourceFile;
pub use archive::extract_zip;
use archive::package_root;
pub use codehub::Protocol;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;
pub use submissions::{Expectation, PackageSubmission, Rule, TestPattern};
use yaml::{Fault, Warnings};

/// A problem package that cannot be used, with the problem and file it concerns.
#[derive(Debug, thiserror::Error)]
#[error("problem `{problem}`: {}: {message}", file.display())]
pub struct PackageError {
    /// The problem (short name: the directory or zip name).
    pub problem: String,
    /// The file at fault, relative to the package root.
    pub file: PathBuf,
    /// What is wrong.
    pub message: String,
}

/// Something in a package the judge reads past: an unknown key, or one it does not act
/// on. Loading goes on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackageWarning {
    /// The file, relative to the package root.
    pub file: PathBuf,
    /// What is ignored and why (names the key).
    pub message: String,
}

impl fmt::Display for PackageWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file.display(), self.message)
    }
}

/// The edition of the format a package is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum FormatVersion {
    /// No `problem_format_version`, or `legacy` / `legacy-icpc`.
    Legacy,
    /// `2023-07-draft` or `2023-07`.
    V2023_07,
}

/// The problem type (2023-07 `type`; legacy `validation` words).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ProblemType {
    /// Accepted submissions also get a score (`scoring`); else pass-fail.
    pub scoring: bool,
    /// The output validator talks to the submission (`interactive`).
    pub interactive: bool,
    /// The submission runs again on the validator's `nextpass.in` (`multi-pass`, legacy
    /// `validation: custom multi-pass`), up to `limits.validation_passes` times.
    pub multi_pass: bool,
    /// Submissions are answer files, one per test case, not programs (`submit-answer`).
    pub submit_answer: bool,
}

/// How output is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validation {
    /// The built-in token comparison, with [`ValidatorFlags`].
    Default,
    /// A custom output validator.
    Custom,
    /// A custom validator that talks to the submission (interactive problem).
    Interactive,
}

/// Limits of a problem (defaults are the Kattis ones).
#[derive(Debug, Clone, PartialEq)]
pub struct ProblemLimits {
    /// CPU time per test case.
    pub time_limit: Duration,
    /// Whether `time_limit` came from the package (not the default).
    pub time_limit_given: bool,
    /// The time limit over the slowest accepted submission (legacy `time_multiplier`,
    /// 2023-07 `time_multipliers.ac_to_time_limit`).
    pub time_multiplier: f64,
    /// How far past the limit a TLE submission must run (legacy `time_safety_margin`,
    /// 2023-07 `time_multipliers.time_limit_to_tle`).
    pub time_safety_margin: f64,
    /// 2023-07 `time_resolution`: the step of a computed time limit.
    pub time_resolution: Duration,
    /// Memory, bytes.
    pub memory_bytes: u64,
    /// Output, bytes.
    pub output_bytes: u64,
    /// Source code size, bytes.
    pub code_bytes: u64,
    /// Compilation time.
    pub compilation_time: Duration,
    /// Compilation memory, bytes.
    pub compilation_memory_bytes: u64,
    /// Validator time.
    pub validation_time: Duration,
    /// Validator memory, bytes.
    pub validation_memory_bytes: u64,
    /// Validator output, bytes.
    pub validation_output_bytes: u64,
    /// 2023-07 `validation_passes`: most passes of a multi-pass problem.
    pub validation_passes: u32,
}

impl Default for ProblemLimits {
    fn default() -> Self {
        ProblemLimits {
            time_limit: Duration::from_secs(1),
            time_limit_given: false,
            time_multiplier: 2.0,
            time_safety_margin: 1.5,
            time_resolution: Duration::from_secs(1),
            memory_bytes: 2048 << 20,
            output_bytes: 8 << 20,
            code_bytes: 128 << 10,
            compilation_time: Duration::from_secs(60),
            compilation_memory_bytes: 2048 << 20,
            validation_time: Duration::from_secs(60),
            validation_memory_bytes: 2048 << 20,
            validation_output_bytes: 8 << 20,
            validation_passes: 2,
        }
    }
}
/// The default validator's options (Kattis flags).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ValidatorFlags {
    /// Compare tokens case-sensitively.
    pub case_sensitive: bool,
    /// Whitespace must match exactly.
    pub space_change_sensitive: bool,
    /// Absolute tolerance for numbers.
    pub float_absolute_tolerance: Option<f64>,
    /// Relative tolerance for numbers.
    pub float_relative_tolerance: Option<f64>,
}

impl ValidatorFlags {
    /// Parses `validator_flags` (`case_sensitive`, `space_change_sensitive`,
    /// `float_tolerance X`, `float_absolute_tolerance X`, `float_relative_tolerance X`).
    ///
    /// # Errors
    /// A message naming the bad flag.
    pub fn parse(flags: &[String]) -> Result<Self, String> {
        let mut out = ValidatorFlags::default();
        let mut it = flags.iter();
        while let Some(flag) = it.next() {
            let mut number = |name: &str| -> Result<f64, String> {
                let v = it
                    .next()
                    .ok_or_else(|| format!("`{name}` needs a number"))?;
                v.parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite() && *x >= 0.0)
                    .ok_or_else(|| format!("`{name} {v}`: not a non-negative number"))
            };
            match flag.as_str() {
                "case_sensitive" => out.case_sensitive = true,
                "space_change_sensitive" => out.space_change_sensitive = true,
                "float_tolerance" => {
                    let x = number("float_tolerance")?;
                    out.float_absolute_tolerance = Some(x);
                    out.float_relative_tolerance = Some(x);
                }
                "float_absolute_tolerance" => {
                    out.float_absolute_tolerance = Some(number("float_absolute_tolerance")?)
                }
                "float_relative_tolerance" => {
                    out.float_relative_tolerance = Some(number("float_relative_tolerance")?)
                }
                other => return Err(format!("unknown validator flag `{other}`")),
            }
        }
        Ok(out)
    }
}

/// One test case.
#[derive(Debug, Clone, PartialEq)]
pub struct TestCase {
    /// Path of the case relative to `data/`, without extension (`secret/group1/03`).
    pub name: String,
    /// Its group: the directory relative to `data/` (`sample`, `secret/group1`).
    pub group: String,
    /// Whether it is a sample (shown to contestants).
    pub sample: bool,
    /// The input file.
    pub input: PathBuf,
    /// The answer file.
    pub answer: PathBuf,
    /// Command-line arguments of the submission (`args`).
    pub args: Vec<String>,
    /// Arguments of the output validator: legacy `validator_flags` then the group's
    /// `output_validator_flags`; 2023-07 `output_validator_args`.
    pub validator_args: Vec<String>,
    /// `validator_args` as the default validator's flags (default validation only).
    pub flags: ValidatorFlags,
    /// Arguments of the input validators (`input_validator_args`, legacy
    /// `input_validator_flags`); the case's `args` follow them.
    pub input_validator_args: InputValidatorArgs,
}

/// `input_validator_args`: one list for every input validator, or a list per validator
/// (by its name under `input_validators/`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InputValidatorArgs {
    /// For every validator not in `by_validator`.
    pub all: Vec<String>,
    /// Per validator name.
    pub by_validator: BTreeMap<String, Vec<String>>,
}

impl InputValidatorArgs {
    /// The arguments of the validator `name` (a map key may name a one-file validator
    /// with or without its extension).
    pub fn of(&self, name: &str) -> &[String] {
        let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
        self.by_validator
            .get(name)
            .or_else(|| self.by_validator.get(stem))
            .unwrap_or(&self.all)
    }
}

/// A test-data group: a directory under `data/`.
#[derive(Debug, Clone, PartialEq)]
pub struct TestGroup {
    /// Directory relative to `data/`.
    pub name: String,
    /// CodeHub's points for the group (legacy `testdata.yaml` `score`), if given.
    pub score: Option<f64>,
    /// How a 2023-07 scoring problem scores it (`secret` and its groups only).
    pub scoring: Option<GroupScoring>,
}

/// A 2023-07 `score_aggregation`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Aggregation {
    /// The maximum score when every test case passes, else 0.
    PassFail,
    /// The sum of the parts' scores.
    Sum,
    /// The least of the parts' scores.
    Min,
}

/// How `secret` or one of its groups is scored in a 2023-07 scoring problem.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupScoring {
    /// `score_aggregation` (default: sum for `secret`, pass-fail for groups).
    pub aggregation: Aggregation,
    /// `max_score`; `None` is `unbounded` (default: 100 for `secret`).
    pub max_score: Option<f64>,
    /// `require_pass`: groups (or `sample`) every test case of which must pass first.
    pub require_pass: Vec<String>,
}

/// A loaded problem package.
#[derive(Debug)]
pub struct Problem {
    /// Short name (directory or zip name without extension).
    pub short_name: String,
    /// Display name from `problem.yaml` (English when it gives several).
    pub name: String,
    /// The package root on disk.
    pub root: PathBuf,
    /// The edition of the format.
    pub format: FormatVersion,
    /// The problem type.
    pub kind: ProblemType,
    /// How output is checked.
    pub validation: Validation,
    /// Default-validator flags from `problem.yaml` (legacy; each test has its own).
    pub flags: ValidatorFlags,
    /// Raw legacy `validator_flags` (each test's `validator_args` start with them).
    pub validator_args: Vec<String>,
    /// Limits.
    pub limits: ProblemLimits,
    /// Test cases: samples first, then secret, each in lexicographic order.
    pub tests: Vec<TestCase>,
    /// Groups (every directory of `data/sample` and `data/secret`).
    pub groups: Vec<TestGroup>,
    /// The custom validator's sources, if any.
    pub validator: Option<Vec<SourceFile>>,
    /// Files added to every submission, by language id (`default`: any language without
    /// its own directory; legacy has no default).
    pub includes: BTreeMap<String, Vec<SourceFile>>,
    /// Statement files, relative to the root (`statement/problem.en.md`, legacy
    /// `problem_statement/problem.en.tex`).
    pub statements: Vec<PathBuf>,
    /// Files of `attachments/`, relative to the root.
    pub attachments: Vec<PathBuf>,
    /// Names of the input validators (listed; the judge does not run them).
    pub input_validators: Vec<String>,
    /// How the output validator (or interactor) is called (`codehub.yaml`).
    pub validator_protocol: Protocol,
    /// How the input validators are called (`codehub.yaml`).
    pub input_validator_protocol: Protocol,
    /// A testlib checker run on the interactor's output file after an accepted
    /// interaction (`codehub.yaml` `interactor_checker`; Polygon interactive problems).
    pub interactor_checker: Option<Vec<SourceFile>>,
    /// Where the package was converted from (`polygon`), if it was.
    pub converted_from: Option<String>,
    /// `keywords` of `problem.yaml`, lower case: the archive's tags.
    pub keywords: Vec<String>,
    /// `source` of `problem.yaml` (a contest, a book), if given.
    pub source: Option<String>,
    /// The name in each language where `problem.yaml` gives a map (2023-07).
    pub names: BTreeMap<String, String>,
    /// What the reader read past, each naming its file and key.
    pub warnings: Vec<PackageWarning>,
    /// Keeps an extracted zip alive.
    _extracted: Option<tempfile::TempDir>,
}

/// Largest source file of a shipped submission, validator or included file.
const MAX_SOURCE_BYTES: u64 = 4 << 20;

impl Problem {
    /// Loads a package from a directory or a `.zip` file.
    ///
    /// # Errors
    /// [`PackageError`] naming the file and what is wrong with it.
    pub fn load(path: &Path) -> Result<Problem, PackageError> {
        let short_name = path.file_stem().map_or_else(
            || "problem".to_owned(),
            |s| s.to_string_lossy().into_owned(),
        );
        let fail = |file: &Path, message: String| PackageError {
            problem: short_name.clone(),
            file: file.to_owned(),
            message,
        };
        let meta = fs::metadata(path).map_err(|e| fail(path, format!("cannot open: {e}")))?;
        let (root, extracted) = if meta.is_dir() {
            (path.to_owned(), None)
        } else {
            let tmp = tempfile::Builder::new()
                .prefix("codehub-problem-")
                .tempdir()
                .map_err(|e| fail(path, format!("cannot make a temp dir: {e}")))?;
            extract_zip(path, tmp.path()).map_err(|m| fail(Path::new(""), m))?;
            let root = package_root(tmp.path())
                .ok_or_else(|| fail(Path::new("problem.yaml"), "missing from the zip".into()))?;
            (root, Some(tmp))
        };
        Self::load_dir(&root, short_name.clone(), extracted).map_err(|(file, message)| {
            PackageError {
                problem: short_name.clone(),
                file: PathBuf::from(file),
                message,
            }
        })
    }

    /// The statement to show: English Markdown first, then any Markdown, then LaTeX.
    pub fn statement_file(&self) -> Option<PathBuf> {
        let score = |p: &PathBuf| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            let md = name.ends_with(".md");
            let en = name.starts_with("problem.en.") || name.matches('.').count() == 1;
            (!md, !en, !name.ends_with(".tex"))
        };
        let mut files: Vec<&PathBuf> = self.statements.iter().collect();
        files.sort_by_key(|p| score(p));
        files.first().map(|p| self.root.join(p))
    }

    /// The Markdown statements by language (`problem.<lang>.md`; a bare `problem.md`
    /// counts as English), as files under the root.
    pub fn markdown_statements(&self) -> BTreeMap<String, PathBuf> {
        self.statements
            .iter()
            .filter_map(|p| {
                let name = p.file_name()?.to_str()?;
                let stem = name.strip_suffix(".md")?.strip_prefix("problem")?;
                let lang = match stem.strip_prefix('.') {
                    Some(l) if !l.is_empty() && !l.contains('.') => l.to_owned(),
                    None if stem.is_empty() => "en".to_owned(),
                    _ => return None,
                };
                Some((lang, self.root.join(p)))
            })
            .collect()
    }

    /// The sources of each input validator of `input_validators/`, by name: a directory
    /// is one program (its files), a file is a program of its own.
    ///
    /// # Errors
    /// A [`PackageError`] naming the validator that cannot be read.
    pub fn input_validator_programs(&self) -> Result<Vec<(String, Vec<SourceFile>)>, PackageError> {
        let mut out = Vec::new();
        for name in &self.input_validators {
            let path = self.root.join("input_validators").join(name);
            let program = if path.is_dir() {
                read_program(&self.root, &path)
            } else {
                read_source(&path)
                    .map(|f| vec![f])
                    .map_err(|e| (String::new(), e))
            };
            let files = program.map_err(|(_, message)| PackageError {
                problem: self.short_name.clone(),
                file: Path::new("input_validators").join(name),
                message,
            })?;
            out.push((name.clone(), files));
        }
        Ok(out)
    }

    fn load_dir(
        root: &Path,
        short_name: String,
        extracted: Option<tempfile::TempDir>,
    ) -> Result<Problem, Fault> {
        let mut w = Warnings::default();
        let map = yaml::read_map(root, "problem.yaml")?
            .ok_or_else(|| ("problem.yaml".to_owned(), "cannot read: missing".to_owned()))?;
        let format = match map.get("problem_format_version") {
            None => FormatVersion::Legacy,
            Some(v) => match v.as_str() {
                Some("legacy" | "legacy-icpc") => FormatVersion::Legacy,
                Some("2023-07-draft" | "2023-07") => FormatVersion::V2023_07,
                _ => {
                    return Err((
                        "problem.yaml".into(),
                        format!(
                            "`problem_format_version: {}` is not supported (legacy, \
                             2023-07-draft or 2023-07)",
                            serde_norway::to_string(v).unwrap_or_default().trim()
                        ),
                    ));
                }
            },
        };
        let modern = format == FormatVersion::V2023_07;
        let yaml = if modern {
            yaml::read_2023(root, &map, &mut w)?
        } else {
            yaml::read_legacy(root, &map, &mut w)?
        };
        let name = yaml.name.clone().unwrap_or_else(|| short_name.clone());
        let mut legacy_multi_pass = false;
        let validation = if modern {
            let found = validator_dir(root, &mut w)?;
            match (yaml.kind.interactive, found.is_some()) {
                (true, true) => Validation::Interactive,
                (true, false) => {
                    return Err((
                        "output_validator".into(),
                        "an interactive problem needs its output validator here".into(),
                    ));
                }
                (false, true) => Validation::Custom,
                (false, false) => Validation::Default,
            }
        } else {
            let text = yaml.validation.clone().unwrap_or_else(|| "default".into());
            let (validation, multi_pass) = legacy_validation(&text).map_err(|m| {
                (
                    "problem.yaml".to_owned(),
                    format!("`validation: {text}` {m}"),
                )
            })?;
            legacy_multi_pass = multi_pass;
            validation
        };
        let kind = ProblemType {
            interactive: validation == Validation::Interactive,
            multi_pass: yaml.kind.multi_pass || legacy_multi_pass,
            ..yaml.kind
        };
        if kind.multi_pass && validation == Validation::Default {
            return Err((
                if modern {
                    "output_validator"
                } else {
                    "output_validators"
                }
                .into(),
                "a multi-pass problem needs its output validator here (it writes \
                 `nextpass.in`)"
                    .into(),
            ));
        }
        if yaml.validation_passes_given && !kind.multi_pass {
            w.push(
                "problem.yaml",
                "`limits.validation_passes` only matters for multi-pass problems, ignored",
            );
        }
        let flags = if validation == Validation::Default {
            ValidatorFlags::parse(&yaml.validator_flags)
                .map_err(|m| ("problem.yaml".to_owned(), format!("validator_flags: {m}")))?
        } else {
            ValidatorFlags::default()
        };

        let mut walk = testdata::Walk {
            root,
            modern,
            default_validation: validation == Validation::Default,
            problem_validator_args: yaml.validator_flags.clone(),
            warnings: &mut w,
            tests: Vec::new(),
            groups: Vec::new(),
            scoring: Vec::new(),
        };
        walk.run()?;
        let (tests, mut groups, raws) = (walk.tests, walk.groups, walk.scoring);
        if tests.is_empty() {
            return Err((
                "data".into(),
                "no test cases (need data/sample or data/secret with .in/.ans pairs)".into(),
            ));
        }
        scoring::resolve(&mut groups, &tests, raws, kind.scoring, &mut w)?;
        if kind.submit_answer {
            check_answer_names(&tests)?;
        }

        let validator = if validation == Validation::Default {
            None
        } else {
            let dir = if modern {
                validator_dir(root, &mut Warnings::default())?.expect("checked above")
            } else {
                legacy_validator_dir(root)?
            };
            Some(read_program(root, &dir)?)
        };
        let includes = read_includes(root, modern)?;
        let statement_dir = if modern {
            "statement"
        } else {
            "problem_statement"
        };
        let other_statement_dir = if modern {
            "problem_statement"
        } else {
            "statement"
        };
        if root.join(other_statement_dir).is_dir() && !root.join(statement_dir).is_dir() {
            w.push(
                other_statement_dir,
                format!("this edition keeps the statement in `{statement_dir}/`; read from here"),
            );
        }
        let mut statements = Vec::new();
        for dir in [statement_dir, other_statement_dir] {
            if statements.is_empty() {
                statements = list_files(root, dir, |n| {
                    n.starts_with("problem.")
                        && [".md", ".tex", ".pdf"].iter().any(|e| n.ends_with(e))
                });
            }
        }
        let attachments = list_files(root, "attachments", |_| true);
        let input_validators = match fs::read_dir(root.join("input_validators")) {
            Ok(entries) => {
                let mut names: Vec<String> = entries
                    .flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| !n.starts_with('.'))
                    .collect();
                names.sort();
                names
            }
            Err(_) => Vec::new(),
        };
        for dir in ["static_validator", "output_visualizer", "input_visualizer"] {
            if modern && root.join(dir).exists() {
                w.push(dir, "not supported yet, ignored");
            }
        }
        if modern {
            submissions::read_submissions(root, false, &mut w)?;
        }
        let own = codehub::read(root, &mut w)?;
        if own.output_validator == Protocol::Testlib && validator.is_none() {
            return Err((
                codehub::FILE.into(),
                "`output_validator_protocol: testlib` needs an output validator".into(),
            ));
        }
        let interactor_checker = match &own.interactor_checker {
            None => None,
            Some(_) if validation != Validation::Interactive => {
                return Err((
                    codehub::FILE.into(),
                    "`interactor_checker` is for interactive problems".into(),
                ));
            }
            Some(dir) => Some(read_program(root, &root.join(dir))?),
        };

        Ok(Problem {
            short_name,
            name,
            root: root.to_owned(),
            format,
            kind,
            validation,
            flags,
            validator_args: yaml.validator_flags,
            limits: yaml.limits,
            tests,
            groups,
            validator,
            includes,
            statements,
            attachments,
            input_validators,
            validator_protocol: own.output_validator,
            input_validator_protocol: own.input_validators,
            interactor_checker,
            converted_from: own.converted_from,
            keywords: yaml.keywords,
            source: yaml.source,
            names: yaml.names,
            warnings: w.0,
            _extracted: extracted,
        })
    }

    /// Keeps `dir` (the package's files: an import's output) as long as the problem.
    pub fn keep(&mut self, dir: tempfile::TempDir) {
        self._extracted = Some(dir);
    }

    /// Points of a group, if the package gives them (legacy `score`).
    pub fn group_score(&self, group: &str) -> Option<f64> {
        self.groups
            .iter()
            .find(|g| g.name == group)
            .and_then(|g| g.score)
    }

    /// The files included with every submission in `language` (an id of the language
    /// table, which uses the format's codes): `include/<language>/`, or else (2023-07)
    /// `include/default/`.
    pub fn includes_for(&self, language: &str) -> &[SourceFile] {
        self.includes
            .get(language)
            .or_else(|| self.includes.get("default"))
            .map_or(&[], Vec::as_slice)
    }

    /// The answer files a submission to this submit-answer problem consists of, one per
    /// test case in order ([`answer_file_name`](codehub_protocol::files::answer_file_name));
    /// empty for other problems.
    pub fn answer_files(&self) -> Vec<String> {
        if !self.kind.submit_answer {
            return Vec::new();
        }
        self.tests
            .iter()
            .map(|t| codehub_protocol::files::answer_file_name(&t.name))
            .collect()
    }

    /// How `secret` is scored (2023-07 scoring problems only).
    pub fn secret_scoring(&self) -> Option<&GroupScoring> {
        self.groups
            .iter()
            .find(|g| g.name == "secret")
            .and_then(|g| g.scoring.as_ref())
    }
}

/// A submit-answer problem's answer file names must be usable file names, one per case.
fn check_answer_names(tests: &[TestCase]) -> Result<(), Fault> {
    use codehub_protocol::files::{answer_file_name, check_source_name};
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for t in tests {
        let name = answer_file_name(&t.name);
        let fail = |m: String| (format!("data/{}.in", t.name), m);
        check_source_name(&name).map_err(|e| {
            fail(format!(
                "in a submit-answer problem each test case names its answer file, and this \
                 one cannot: {e}"
            ))
        })?;
        if let Some(other) = seen.insert(name.clone(), &t.name) {
            return Err(fail(format!(
                "its answer file `{name}` would be the same as test case `{other}`'s"
            )));
        }
    }
    Ok(())
}

/// Legacy `validation`: `default`, or `custom` with any of `interactive` and `multi-pass`
/// (in any order, once each). Returns the validation and whether it is multi-pass.
///
/// # Errors
/// What is wrong, to follow the quoted value.
fn legacy_validation(text: &str) -> Result<(Validation, bool), String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words == ["default"] {
        return Ok((Validation::Default, false));
    }
    let usage = "(use default, or custom with interactive and/or multi-pass)";
    for (i, word) in words.iter().enumerate() {
        if !["custom", "interactive", "multi-pass"].contains(word) {
            return Err(format!("is not supported: `{word}` {usage}"));
        }
        if words[..i].contains(word) {
            return Err(format!("names `{word}` twice"));
        }
    }
    if !words.contains(&"custom") {
        return Err(format!("is not supported {usage}"));
    }
    let validation = if words.contains(&"interactive") {
        Validation::Interactive
    } else {
        Validation::Custom
    };
    Ok((validation, words.contains(&"multi-pass")))
}

fn read_source(path: &Path) -> Result<SourceFile, String> {
    let meta = fs::metadata(path).map_err(|e| e.to_string())?;
    if meta.len() > MAX_SOURCE_BYTES {
        return Err(format!("larger than {} bytes", MAX_SOURCE_BYTES));
    }
    Ok(SourceFile {
        name: path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned(),
        contents: fs::read(path).map_err(|e| e.to_string())?,
    })
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("cannot list: {e}"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    Ok(entries)
}

/// Files under `root/dir` (recursively) whose names pass `keep`, relative to `root`.
fn list_files(root: &Path, dir: &str, keep: impl Fn(&str) -> bool) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.join(dir)];
    while let Some(d) = stack.pop() {
        for p in sorted_entries(&d).unwrap_or_default() {
            if p.is_dir() {
                stack.push(p);
            } else if keep(&p.file_name().unwrap_or_default().to_string_lossy())
                && let Ok(rel) = p.strip_prefix(root)
            {
                out.push(rel.to_owned());
            }
        }
    }
    out.sort();
    out
}

/// The 2023-07 output validator's directory, if any: `output_validator/` (its files are
/// the program; a lone subdirectory is taken as the program too), or the legacy
/// `output_validators/<name>/` with a warning.
fn validator_dir(root: &Path, w: &mut Warnings) -> Result<Option<PathBuf>, Fault> {
    let dir = root.join("output_validator");
    if dir.is_dir() {
        let entries = sorted_entries(&dir).map_err(|e| ("output_validator".to_owned(), e))?;
        let subdirs: Vec<&PathBuf> = entries.iter().filter(|p| p.is_dir()).collect();
        if let [one] = subdirs.as_slice()
            && entries.iter().all(|p| p.is_dir())
        {
            w.push(
                "output_validator",
                "the validator is the directory itself in 2023-07; read from its one subdirectory",
            );
            return Ok(Some((*one).clone()));
        }
        return Ok(Some(dir));
    }
    if root.join("output_validators").is_dir() {
        w.push(
            "output_validators",
            "2023-07 names it `output_validator/` (one validator); read as such",
        );
        return legacy_validator_dir(root).map(Some);
    }
    Ok(None)
}

fn legacy_validator_dir(root: &Path) -> Result<PathBuf, Fault> {
    let dir = root.join("output_validators");
    let subdirs: Vec<PathBuf> = sorted_entries(&dir)
        .map_err(|e| ("output_validators".to_owned(), e))?
        .into_iter()
        .filter(|p| p.is_dir())
        .collect();
    match subdirs.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err((
            "output_validators".into(),
            "custom validation needs one validator directory here".into(),
        )),
        _ => Err((
            "output_validators".into(),
            "more than one validator directory; CodeHub supports one".into(),
        )),
    }
}

/// A program's source files (validators): every file of `dir`; no build/run scripts.
fn read_program(root: &Path, dir: &Path) -> Result<Vec<SourceFile>, Fault> {
    let rel = dir
        .strip_prefix(root)
        .unwrap_or(dir)
        .to_string_lossy()
        .into_owned();
    let mut files = Vec::new();
    for f in sorted_entries(dir).map_err(|e| (rel.clone(), e))? {
        if f.is_file() {
            files.push(read_source(&f).map_err(|e| (rel.clone(), e))?);
        }
    }
    if files.iter().any(|f| f.name == "build" || f.name == "run") {
        return Err((
            rel,
            "build/run scripts are not supported; ship the validator's source files".into(),
        ));
    }
    if files.is_empty() {
        return Err((rel, "no source files".into()));
    }
    Ok(files)
}

/// `include/<language>/` (and 2023-07 `include/default/`): the files of each directory.
fn read_includes(root: &Path, modern: bool) -> Result<BTreeMap<String, Vec<SourceFile>>, Fault> {
    let mut out = BTreeMap::new();
    let dir = root.join("include");
    if !dir.is_dir() {
        return Ok(out);
    }
    for lang_dir in sorted_entries(&dir).map_err(|e| ("include".to_owned(), e))? {
        if !lang_dir.is_dir() {
            continue;
        }
        let lang = lang_dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if lang == "default" && !modern {
            continue;
        }
        let rel = format!("include/{lang}");
        let mut files = Vec::new();
        for f in sorted_entries(&lang_dir).map_err(|e| (rel.clone(), e))? {
            if f.is_file() {
                files.push(read_source(&f).map_err(|e| (rel.clone(), e))?);
            }
        }
        out.insert(lang, files);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    fn minimal(root: &Path) {
        write(
            root,
            "problem.yaml",
            "name: Minimal\nlimits:\n  memory: 64\n  time_limit: 2.5\n",
        );
        write(root, "data/sample/1.in", "1\n");
        write(root, "data/sample/1.ans", "1\n");
        write(root, "data/secret/b/2.in", "2\n");
        write(root, "data/secret/b/2.ans", "2\n");
        write(root, "data/secret/a/10.in", "10\n");
        write(root, "data/secret/a/10.ans", "10\n");
        write(root, "data/secret/a/testdata.yaml", "score: 40\n");
        write(root, "data/secret/9.in", "9\n");
        write(root, "data/secret/9.ans", "9\n");
    }

    #[test]
    fn a_package_is_read_in_lexicographic_group_order() {
        let dir = tempfile::tempdir().unwrap();
        minimal(dir.path());
        let p = Problem::load(dir.path()).unwrap();
        assert_eq!(p.name, "Minimal");
        assert_eq!(p.limits.time_limit, Duration::from_millis(2500));
        assert_eq!(p.limits.memory_bytes, 64 << 20);
        let names: Vec<&str> = p.tests.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["sample/1", "secret/9", "secret/a/10", "secret/b/2"]);
        assert_eq!(p.group_score("secret/a"), Some(40.0));
        assert!(p.tests[0].sample && !p.tests[1].sample);
    }

    #[test]
    fn timelimit_file_is_used_when_the_yaml_has_none() {
        let dir = tempfile::tempdir().unwrap();
        minimal(dir.path());
        write(dir.path(), "problem.yaml", "name: T\n");
        write(dir.path(), ".timelimit", "3\n");
        let p = Problem::load(dir.path()).unwrap();
        assert_eq!(p.limits.time_limit, Duration::from_secs(3));
    }

    #[test]
    fn errors_name_the_problem_and_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("broken");
        minimal(&root);
        fs::remove_file(root.join("data/secret/a/10.ans")).unwrap();
        let e = Problem::load(&root).unwrap_err().to_string();
        assert!(
            e.contains("problem `broken`")
                && e.contains("data/secret/a/10.in")
                && e.contains("10.ans"),
            "{e}"
        );

        minimal(&root);
        write(&root, "problem.yaml", "validation: magic\n");
        let e = Problem::load(&root).unwrap_err().to_string();
        assert!(e.contains("problem.yaml") && e.contains("magic"), "{e}");

        write(
            &root,
            "problem.yaml",
            "validator_flags: float_tolerance abc\n",
        );
        let e = Problem::load(&root).unwrap_err().to_string();
        assert!(e.contains("float_tolerance abc"), "{e}");

        write(&root, "problem.yaml", "limits: {memory: -3}\n");
        let e = Problem::load(&root).unwrap_err().to_string();
        assert!(e.contains("limits.memory"), "{e}");

        write(&root, "problem.yaml", "name: [unterminated\n");
        let e = Problem::load(&root).unwrap_err().to_string();
        assert!(e.contains("problem.yaml"), "{e}");

        write(&root, "problem.yaml", "validation: custom\n");
        let e = Problem::load(&root).unwrap_err().to_string();
        assert!(e.contains("output_validators"), "{e}");
    }

    #[test]
    fn flags_parse_like_kattis() {
        let f =
            ValidatorFlags::parse(&["case_sensitive", "float_tolerance", "1e-6"].map(String::from))
                .unwrap();
        assert!(f.case_sensitive && !f.space_change_sensitive);
        assert_eq!(f.float_absolute_tolerance, Some(1e-6));
        assert_eq!(f.float_relative_tolerance, Some(1e-6));
        assert!(ValidatorFlags::parse(&["float_tolerance".into()]).is_err());
        assert!(ValidatorFlags::parse(&["bogus".into()]).is_err());
    }

    #[test]
    fn zip_packages_load_with_or_without_a_top_directory() {
        let dir = tempfile::tempdir().unwrap();
        minimal(&dir.path().join("src/minimal"));
        for (zip_name, prefix) in [("flat.zip", ""), ("nested.zip", "minimal/")] {
            let zip_path = dir.path().join(zip_name);
            let mut w = zip::ZipWriter::new(fs::File::create(&zip_path).unwrap());
            let src = dir.path().join("src/minimal");
            let mut stack = vec![src.clone()];
            while let Some(d) = stack.pop() {
                for e in fs::read_dir(&d).unwrap() {
                    let p = e.unwrap().path();
                    if p.is_dir() {
                        stack.push(p);
                    } else {
                        let rel = p.strip_prefix(&src).unwrap().to_string_lossy().into_owned();
                        w.start_file(
                            format!("{prefix}{rel}"),
                            zip::write::SimpleFileOptions::default(),
                        )
                        .unwrap();
                        std::io::Write::write_all(&mut w, &fs::read(&p).unwrap()).unwrap();
                    }
                }
            }
            w.finish().unwrap();
            let p = Problem::load(&zip_path).unwrap();
            assert_eq!(p.tests.len(), 4, "{zip_name}");
        }
        let evil = dir.path().join("evil.zip");
        let mut w = zip::ZipWriter::new(fs::File::create(&evil).unwrap());
        w.start_file("../escape.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        w.finish().unwrap();
        let e = Problem::load(&evil).unwrap_err().to_string();
        assert!(e.contains("escapes"), "{e}");
        fs::write(dir.path().join("junk.zip"), b"not a zip").unwrap();
        assert!(
            Problem::load(&dir.path().join("junk.zip"))
                .unwrap_err()
                .to_string()
                .contains("not a valid zip")
        );
    }

    fn modern(root: &Path, yaml: &str) {
        write(root, "problem.yaml", yaml);
        write(root, "data/sample/1.in", "1\n");
        write(root, "data/sample/1.ans", "1\n");
        write(root, "data/secret/a/1.in", "1\n");
        write(root, "data/secret/a/1.ans", "1\n");
        write(root, "data/secret/b/1.in", "2\n");
        write(root, "data/secret/b/1.ans", "2\n");
    }

    const V2023: &str = "problem_format_version: 2023-07-draft\nname: M\n";

    #[test]
    fn an_unknown_key_is_a_warning_naming_the_file_and_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        modern(
            root,
            &format!("{V2023}colour: blue\nlimits:\n  memory: 64\n  speed: 3\n"),
        );
        write(
            root,
            "data/secret/a/test_group.yaml",
            "args: [x]\nflavour: 1\n",
        );
        write(root, "data/secret/a/1.yaml", "hint: h\nmood: ok\n");
        let p = Problem::load(root).unwrap();
        let shown: Vec<String> = p.warnings.iter().map(ToString::to_string).collect();
        for (file, key) in [
            ("problem.yaml", "`colour`"),
            ("problem.yaml", "`limits.speed`"),
            ("data/secret/a/test_group.yaml", "`flavour`"),
            ("data/secret/a/1.yaml", "`mood`"),
        ] {
            assert!(
                p.warnings
                    .iter()
                    .any(|w| w.file == Path::new(file) && w.message.contains(key)),
                "{file} {key}: {shown:?}"
            );
        }
        assert_eq!(p.limits.memory_bytes, 64 << 20);
        assert_eq!(p.tests[1].args, ["x"]);

        minimal(root);
        write(root, "problem.yaml", "name: Legacy\ncolour: red\n");
        let p = Problem::load(root).unwrap();
        assert_eq!(p.format, FormatVersion::Legacy);
        assert!(
            p.warnings
                .iter()
                .any(|w| w.to_string() == "problem.yaml: unknown key `colour`, ignored")
        );
    }

    #[test]
    fn types_the_format_forbids_are_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("t");
        for (ty, needle) in [
            ("[pass-fail, scoring]", "combines `pass-fail` and `scoring`"),
            (
                "[interactive, submit-answer]",
                "combines `interactive` and `submit-answer`",
            ),
            (
                "[multi-pass, submit-answer]",
                "combines `multi-pass` and `submit-answer`",
            ),
            ("[scoring, scoring]", "lists `scoring` twice"),
            ("golf", "`type: golf` is not a problem type"),
        ] {
            modern(&root, &format!("{V2023}type: {ty}\n"));
            let e = Problem::load(&root).unwrap_err().to_string();
            assert!(
                e.contains("problem.yaml") && e.contains(needle),
                "{ty}: {e}"
            );
        }
        modern(&root, &format!("{V2023}type: [scoring, interactive]\n"));
        let e = Problem::load(&root).unwrap_err().to_string();
        assert!(e.contains("output_validator"), "{e}");
        write(&root, "output_validator/v.py", "import sys\nsys.exit(42)\n");
        for g in ["a", "b"] {
            write(
                &root,
                &format!("data/secret/{g}/test_group.yaml"),
                "max_score: 50\n",
            );
        }
        let p = Problem::load(&root).unwrap();
        assert!(p.kind.scoring && p.kind.interactive);
        assert_eq!(p.validation, Validation::Interactive);
    }

    #[test]
    fn multi_pass_and_submit_answer_problems_load() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("t");
        modern(
            &root,
            &format!("{V2023}type: multi-pass\nlimits:\n  validation_passes: 4\n"),
        );
        let e = Problem::load(&root).unwrap_err().to_string();
        assert!(
            e.contains("output_validator") && e.contains("multi-pass"),
            "{e}"
        );
        write(&root, "output_validator/v.py", "import sys\nsys.exit(42)\n");
        let p = Problem::load(&root).unwrap();
        assert!(p.kind.multi_pass && !p.kind.interactive);
        assert_eq!(p.limits.validation_passes, 4);
        assert!(p.answer_files().is_empty());
        let warned = |p: &Problem| {
            p.warnings
                .iter()
                .any(|w| w.message.contains("validation_passes"))
        };
        assert!(!warned(&p));
        modern(&root, &format!("{V2023}limits:\n  validation_passes: 3\n"));
        assert!(warned(&Problem::load(&root).unwrap()));
        modern(&root, &format!("{V2023}type: [multi-pass, interactive]\n"));
        let p = Problem::load(&root).unwrap();
        assert!(p.kind.multi_pass && p.kind.interactive);
        assert_eq!(p.limits.validation_passes, 2, "the format's default");

        modern(&root, &format!("{V2023}type: submit-answer\n"));
        let p = Problem::load(&root).unwrap();
        assert!(p.kind.submit_answer);
        assert_eq!(p.answer_files(), ["sample.1.out", "a.1.out", "b.1.out"]);
        write(&root, "data/secret/a.1.in", "3\n");
        write(&root, "data/secret/a.1.ans", "3\n");
        let e = Problem::load(&root).unwrap_err().to_string();
        assert!(e.contains("`a.1.out`") && e.contains("secret/a"), "{e}");
    }

    #[test]
    fn legacy_validation_words_combine_custom_interactive_and_multi_pass() {
        use Validation::*;
        for (text, expected) in [
            ("default", Ok((Default, false))),
            ("custom", Ok((Custom, false))),
            ("custom interactive", Ok((Interactive, false))),
            ("interactive custom", Ok((Interactive, false))),
            ("custom multi-pass", Ok((Custom, true))),
            ("custom multi-pass interactive", Ok((Interactive, true))),
            ("custom score", Err("`score`")),
            ("multi-pass", Err("is not supported")),
            ("custom custom", Err("names `custom` twice")),
            ("default custom", Err("`default`")),
        ] {
            match (legacy_validation(text), expected) {
                (Ok(got), Ok(want)) => assert_eq!(got, want, "{text}"),
                (Err(e), Err(needle)) => assert!(e.contains(needle), "{text}: {e}"),
                (got, _) => panic!("{text}: {got:?}"),
            }
        }
    }

    #[test]
    fn limits_and_names_map_onto_the_judges_limits() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        modern(
            root,
            "problem_format_version: 2023-07\nname: {de: Hallo, en: Hello}\nlimits:\n  \
             time_limit: 1.5\n  time_multipliers: {ac_to_time_limit: 3, time_limit_to_tle: 1.2}\n  \
             time_resolution: 0.5\n  memory: 128\n  output: 4\n  code: 64\n  compilation_time: 30\n  \
             validation_time: 10\n  validation_memory: 512\n  validation_output: 2\n",
        );
        write(root, "statement/problem.en.md", "Say hello.\n");
        write(root, "statement/problem.de.md", "Sag hallo.\n");
        write(root, "statement/problem.pt-BR.md", "Diga olá.\n");
        write(root, "statement/problem.fr.tex", "Dis bonjour.\n");
        let p = Problem::load(root).unwrap();
        let l = &p.limits;
        assert_eq!(p.name, "Hello");
        assert_eq!(
            p.names
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>(),
            ["de=Hallo", "en=Hello"]
        );
        let statements = p.markdown_statements();
        assert_eq!(
            statements.keys().collect::<Vec<_>>(),
            ["de", "en", "pt-BR"],
            "Markdown only"
        );
        assert!(statements["de"].ends_with("statement/problem.de.md"));
        assert_eq!(
            (l.time_limit, l.time_limit_given),
            (Duration::from_millis(1500), true)
        );
        assert_eq!((l.time_multiplier, l.time_safety_margin), (3.0, 1.2));
        assert_eq!(l.time_resolution, Duration::from_millis(500));
        assert_eq!(
            (l.memory_bytes, l.output_bytes, l.code_bytes),
            (128 << 20, 4 << 20, 64 << 10)
        );
        assert_eq!(l.compilation_time, Duration::from_secs(30));
        assert_eq!(l.validation_time, Duration::from_secs(10));
        assert_eq!(
            (l.validation_memory_bytes, l.validation_output_bytes),
            (512 << 20, 2 << 20)
        );
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);

        modern(
            root,
            &format!("{V2023}limits:\n  time_multipliers: {{ac_to_time_limit: 0.5}}\n"),
        );
        let e = Problem::load(root).unwrap_err().to_string();
        assert!(e.contains("ac_to_time_limit"), "{e}");
    }

    #[test]
    fn scoring_keys_get_the_formats_defaults_and_rules() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("s");
        modern(&root, &format!("{V2023}type: scoring\n"));
        write(
            &root,
            "data/secret/a/test_group.yaml",
            "max_score: 30\nscore_aggregation: min\n",
        );
        write(
            &root,
            "data/secret/b/test_group.yaml",
            "max_score: 70\nrequire_pass: [sample, secret/a]\n",
        );
        let e = Problem::load(&root).unwrap_err().to_string();
        assert!(
            e.contains("secret/b/test_group.yaml") && e.contains("pass-fail aggregation"),
            "{e}"
        );
        write(
            &root,
            "data/secret/b/test_group.yaml",
            "max_score: 70\nrequire_pass: sample\n",
        );
        let p = Problem::load(&root).unwrap();
        let s = p.secret_scoring().unwrap();
        assert_eq!(
            (s.aggregation, s.max_score),
            (Aggregation::Sum, Some(100.0))
        );
        let b = p.groups.iter().find(|g| g.name == "secret/b").unwrap();
        let b = b.scoring.as_ref().unwrap();
        assert_eq!(
            (b.aggregation, b.max_score),
            (Aggregation::PassFail, Some(70.0))
        );
        assert_eq!(b.require_pass, ["sample"]);

        fs::remove_file(root.join("data/secret/b/test_group.yaml")).unwrap();
        let e = Problem::load(&root).unwrap_err().to_string();
        assert!(
            e.contains("data/secret/b/test_group.yaml") && e.contains("max_score"),
            "{e}"
        );

        modern(&root, V2023);
        write(&root, "data/secret/a/test_group.yaml", "max_score: 30\n");
        let p = Problem::load(&root).unwrap();
        assert!(p.secret_scoring().is_none());
        assert!(
            p.warnings
                .iter()
                .any(|w| w.message.contains("only apply to scoring"))
        );
    }

    #[test]
    fn input_validator_args_are_inherited_per_group_and_may_name_validators() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        modern(root, V2023);
        write(
            root,
            "data/secret/test_group.yaml",
            "input_validator_args: [--max, 10]\n",
        );
        write(
            root,
            "data/secret/b/test_group.yaml",
            "input_validator_args: {strict: [--strict], other: []}\n",
        );
        write(
            root,
            "input_validators/strict.py",
            "import sys\nsys.exit(42)\n",
        );
        let p = Problem::load(root).unwrap();
        let args = |name: &str| {
            &p.tests
                .iter()
                .find(|t| t.name == name)
                .unwrap()
                .input_validator_args
        };
        assert!(args("sample/1").all.is_empty());
        assert_eq!(args("secret/a/1").of("strict"), ["--max", "10"]);
        assert_eq!(args("secret/b/1").of("strict"), ["--strict"]);
        assert_eq!(args("secret/b/1").of("strict.py"), ["--strict"]);
        assert!(args("secret/b/1").of("other").is_empty());
        let programs = p.input_validator_programs().unwrap();
        assert_eq!(programs.len(), 1);
        assert_eq!(
            (programs[0].0.as_str(), programs[0].1[0].name.as_str()),
            ("strict.py", "strict.py")
        );
    }
}
