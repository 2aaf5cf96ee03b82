//! The test data: `data/sample` and `data/secret`, nested groups in lexicographic order,
//! each group's configuration (`test_group.yaml` in 2023-07, `testdata.yaml` in legacy)
//! and, in 2023-07, each test case's own `<case>.yaml`.
//!
//! Arguments (`args`, `output_validator_args`, legacy `output_validator_flags`) are
//! inherited from the nearest directory above that sets them; scoring keys
//! (`max_score`, `score_aggregation`, `require_pass`) belong to their own group and are
//! resolved by `score.rs`.

use super::yaml::{Fault, Warnings, args, read_map, typed};
use super::{InputValidatorArgs, TestCase, TestGroup, ValidatorFlags, sorted_entries};
use serde_norway::{Mapping, Value};
use std::path::Path;

/// Keys of a legacy `testdata.yaml` (`score` is CodeHub's group points; `args` and the
/// `*_validator_args` of early 2023-07 drafts are read too).
const LEGACY_KEYS: &[&str] = &[
    "on_reject",
    "grading",
    "grader_flags",
    "input_validator_flags",
    "output_validator_flags",
    "accept_score",
    "reject_score",
    "range",
    "score",
    "args",
    "input_validator_args",
    "output_validator_args",
];

/// Keys of a 2023-07 `test_group.yaml`.
const KEYS_2023: &[&str] = &[
    "max_score",
    "score_aggregation",
    "static_validation_score",
    "require_pass",
    "args",
    "input_validator_args",
    "static_validator_args",
    "output_validator_args",
    "input_visualizer_args",
    "output_visualizer_args",
    "full_feedback",
];

/// Keys of a 2023-07 test case's `<case>.yaml`.
const CASE_KEYS_2023: &[&str] = &[
    "args",
    "input_validator_args",
    "output_validator_args",
    "input_visualizer_args",
    "output_visualizer_args",
    "full_feedback",
    "hint",
    "description",
];

/// A group's scoring keys as written (2023-07), checked later against the problem type.
#[derive(Debug, Clone, Default)]
pub(super) struct RawScoring {
    /// The group (`secret`, `secret/group1`).
    pub(super) group: String,
    /// The file the keys come from.
    pub(super) file: String,
    /// `max_score`: a number or `unbounded`.
    pub(super) max_score: Option<Value>,
    /// `score_aggregation`.
    pub(super) aggregation: Option<String>,
    /// `require_pass`: a name or a list of names.
    pub(super) require_pass: Option<Value>,
}

/// How the walk reads the tree.
pub(super) struct Walk<'a> {
    /// The package root.
    pub(super) root: &'a Path,
    /// A 2023-07 package (else legacy).
    pub(super) modern: bool,
    /// Whether tests use the default validator (their arguments are its flags).
    pub(super) default_validation: bool,
    /// Legacy `validator_flags`, before every group's own.
    pub(super) problem_validator_args: Vec<String>,
    /// Where warnings go.
    pub(super) warnings: &'a mut Warnings,
    /// Tests found, in order.
    pub(super) tests: Vec<TestCase>,
    /// Groups found, in order.
    pub(super) groups: Vec<TestGroup>,
    /// Scoring keys found.
    pub(super) scoring: Vec<RawScoring>,
}

/// What a directory passes down to its tests and subdirectories.
#[derive(Clone, Default)]
struct Inherited {
    args: Vec<String>,
    validator_args: Option<(Vec<String>, String)>,
    input_validator_args: InputValidatorArgs,
}

/// `input_validator_args` (or legacy `input_validator_flags`) as written: a list, or a
/// map from validator names to lists.
fn input_args(value: &Value, file: &str, key: &str) -> Result<InputValidatorArgs, Fault> {
    match value {
        Value::Mapping(m) => {
            let mut out = InputValidatorArgs::default();
            for (name, v) in m {
                let name = name.as_str().ok_or_else(|| {
                    (
                        file.to_owned(),
                        format!("`{key}`: validator names must be strings"),
                    )
                })?;
                out.by_validator
                    .insert(name.to_owned(), args(v, file, key)?);
            }
            Ok(out)
        }
        v => Ok(InputValidatorArgs {
            all: args(v, file, key)?,
            by_validator: Default::default(),
        }),
    }
}

impl Walk<'_> {
    /// Walks `data/sample` then `data/secret`.
    pub(super) fn run(&mut self) -> Result<(), Fault> {
        let base = Inherited {
            args: Vec::new(),
            input_validator_args: InputValidatorArgs::default(),
            validator_args: (!self.problem_validator_args.is_empty())
                .then(|| (self.problem_validator_args.clone(), "problem.yaml".into())),
        };
        for top in ["sample", "secret"] {
            let dir = self.root.join("data").join(top);
            if dir.is_dir() {
                self.group(&dir, top, top == "sample", &base)?;
            }
        }
        Ok(())
    }

    fn config_name(&mut self, dir: &Path, rel: &str) -> Option<String> {
        let (own, other) = if self.modern {
            ("test_group.yaml", "testdata.yaml")
        } else {
            ("testdata.yaml", "test_group.yaml")
        };
        if dir.join(own).is_file() {
            return Some(format!("{rel}/{own}"));
        }
        if dir.join(other).is_file() {
            let file = format!("{rel}/{other}");
            if self.modern {
                self.warnings.push(
                    &file,
                    "2023-07 calls this file `test_group.yaml`; read as such",
                );
                return Some(file);
            }
            self.warnings.push(
                &file,
                "`test_group.yaml` is 2023-07's; a legacy package uses `testdata.yaml`: ignored",
            );
        }
        None
    }

    fn group(
        &mut self,
        dir: &Path,
        group: &str,
        sample: bool,
        parent: &Inherited,
    ) -> Result<(), Fault> {
        let rel = format!("data/{group}");
        let mut here = parent.clone();
        let mut score = None;
        if let Some(file) = self.config_name(dir, &rel)
            && let Some(map) = read_map(self.root, &file)?
        {
            score = self.config(&map, &file, group, sample, &mut here)?;
        }
        self.groups.push(TestGroup {
            name: group.to_owned(),
            score,
            scoring: None,
        });
        for entry in sorted_entries(dir).map_err(|e| (rel.clone(), e))? {
            let file_name = entry
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            if entry.is_dir() {
                if file_name.ends_with(".files") {
                    self.warnings.push(
                        format!("{rel}/{file_name}"),
                        "`.files` inputs are not supported yet, ignored",
                    );
                    continue;
                }
                self.group(&entry, &format!("{group}/{file_name}"), sample, &here)?;
            } else if let Some(stem) = file_name.strip_suffix(".in") {
                self.case(dir, &rel, group, stem, sample, &here)?;
            }
        }
        Ok(())
    }

    /// Reads a group's configuration into `here`; returns legacy `score` points.
    fn config(
        &mut self,
        map: &Mapping,
        file: &str,
        group: &str,
        sample: bool,
        here: &mut Inherited,
    ) -> Result<Option<f64>, Fault> {
        let known = if self.modern { KEYS_2023 } else { LEGACY_KEYS };
        self.warnings.unknown_keys(map, known, file, "");
        if let Some(v) = map.get("args") {
            here.args = args(v, file, "args")?;
        }
        if let Some(key) = ["input_validator_args", "input_validator_flags"]
            .into_iter()
            .find(|k| known.contains(k) && map.contains_key(*k))
        {
            here.input_validator_args = input_args(&map[key], file, key)?;
        }
        let validator_key = ["output_validator_args", "output_validator_flags"]
            .into_iter()
            .find(|k| known.contains(k) && map.contains_key(*k));
        if let Some(key) = validator_key {
            let mut list = if self.modern {
                Vec::new()
            } else {
                self.problem_validator_args.clone()
            };
            list.extend(args(&map[key], file, key)?);
            here.validator_args = Some((list, file.to_owned()));
        }
        if self.modern {
            if map.contains_key("static_validation_score") {
                self.warnings.push(
                    file,
                    "`static_validation_score`: static validation is not supported yet, ignored",
                );
            }
            let raw = RawScoring {
                group: group.to_owned(),
                file: file.to_owned(),
                max_score: map.get("max_score").cloned(),
                aggregation: match map.get("score_aggregation") {
                    Some(v) => Some(typed(v.clone(), file, "score_aggregation")?),
                    None => None,
                },
                require_pass: map.get("require_pass").cloned(),
            };
            let any =
                raw.max_score.is_some() || raw.aggregation.is_some() || raw.require_pass.is_some();
            if any && sample {
                self.warnings.push(
                    file,
                    "`max_score`, `score_aggregation` and `require_pass` are not permitted in \
                     sample, ignored",
                );
            } else if any {
                self.scoring.push(raw);
            }
            return Ok(None);
        }
        for key in ["accept_score", "reject_score", "range", "grader_flags"] {
            if map.contains_key(key) {
                self.warnings.push(
                    file,
                    format!("`{key}`: legacy grading is not supported, ignored"),
                );
            }
        }
        if map.get("grading").and_then(Value::as_str) == Some("custom") {
            self.warnings.push(
                file,
                "`grading: custom`: graders are not supported, ignored",
            );
        }
        match map.get("score") {
            None | Some(Value::Null) => Ok(None),
            Some(v) => Ok(Some(typed(v.clone(), file, "score")?)),
        }
    }

    fn case(
        &mut self,
        dir: &Path,
        rel: &str,
        group: &str,
        stem: &str,
        sample: bool,
        inherited: &Inherited,
    ) -> Result<(), Fault> {
        let answer = dir.join(format!("{stem}.ans"));
        if !answer.is_file() {
            return Err((
                format!("{rel}/{stem}.in"),
                format!("no answer file `{stem}.ans` beside it"),
            ));
        }
        let mut own = inherited.clone();
        if self.modern && stem != "test_group" {
            let file = format!("{rel}/{stem}.yaml");
            if let Some(map) = read_map(self.root, &file)? {
                self.warnings.unknown_keys(&map, CASE_KEYS_2023, &file, "");
                if let Some(v) = map.get("args") {
                    own.args = args(v, &file, "args")?;
                }
                if let Some(v) = map.get("input_validator_args") {
                    own.input_validator_args = input_args(v, &file, "input_validator_args")?;
                }
                if let Some(v) = map.get("output_validator_args") {
                    own.validator_args = Some((args(v, &file, "output_validator_args")?, file));
                }
            }
        }
        let (validator_args, source) = own.validator_args.unwrap_or_default();
        let flags = if self.default_validation {
            ValidatorFlags::parse(&validator_args).map_err(|m| {
                let key = if source == "problem.yaml" {
                    "validator_flags"
                } else if self.modern {
                    "output_validator_args"
                } else {
                    "output_validator_flags"
                };
                (source.clone(), format!("{key}: {m}"))
            })?
        } else {
            ValidatorFlags::default()
        };
        self.tests.push(TestCase {
            name: format!("{group}/{stem}"),
            group: group.to_owned(),
            sample,
            input: dir.join(format!("{stem}.in")),
            answer,
            args: own.args,
            validator_args,
            flags,
            input_validator_args: own.input_validator_args,
        });
        Ok(())
    }
}
