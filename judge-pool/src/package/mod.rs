//! Problem packages in the Kattis / ICPC problem package format, from a directory or a
//! `.zip`.
//!
//! What is read: `problem.yaml` (name, validation, validator flags, limits), the time limit
//! (`limits.time_limit` or a `.timelimit` file), `data/sample` and `data/secret` with
//! nested groups in lexicographic order (each group may carry `testdata.yaml` with a
//! `score`), `output_validators/<name>/` and `submissions/<expected verdict>/`.
//! Every error names the problem and the file.
//!
//! Files: this one (the types, `Problem::load`, validators and shipped submissions),
//! `yaml.rs` (`problem.yaml`, `testdata.yaml`, limits), `testdata.rs` (the test-data walk),
//! `archive.rs` (zip packages).

mod archive;
mod testdata;
mod yaml;

use crate::language::SourceFile;
use archive::{extract_zip, package_root};
use codehub_engine::Verdict;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;
use testdata::read_tests;
use yaml::{ProblemYaml, read_limits};

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
    /// Kattis `time_multiplier`: the time limit over the slowest accepted submission.
    pub time_multiplier: f64,
    /// Kattis `time_safety_margin`: how far past the limit a TLE submission must run.
    pub time_safety_margin: f64,
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
}

impl Default for ProblemLimits {
    fn default() -> Self {
        ProblemLimits {
            time_limit: Duration::from_secs(1),
            time_limit_given: false,
            time_multiplier: 2.0,
            time_safety_margin: 1.5,
            memory_bytes: 2048 << 20,
            output_bytes: 8 << 20,
            code_bytes: 128 << 10,
            compilation_time: Duration::from_secs(60),
            compilation_memory_bytes: 2048 << 20,
            validation_time: Duration::from_secs(60),
            validation_memory_bytes: 2048 << 20,
            validation_output_bytes: 8 << 20,
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
}

/// A test-data group with its points (IOI-style subtasks).
#[derive(Debug, Clone, PartialEq)]
pub struct TestGroup {
    /// Directory relative to `data/`.
    pub name: String,
    /// Points from the group's `testdata.yaml` (`score`), if given.
    pub score: Option<f64>,
}

/// A submission shipped with the package, and the verdict it must get.
#[derive(Debug, Clone)]
pub struct PackageSubmission {
    /// Path relative to the package (`submissions/accepted/hello.cpp`).
    pub path: PathBuf,
    /// The verdict its directory names.
    pub expected: Verdict,
    /// Its files (one, or several for a directory submission).
    pub files: Vec<SourceFile>,
}

/// A loaded problem package.
#[derive(Debug)]
pub struct Problem {
    /// Short name (directory or zip name without extension).
    pub short_name: String,
    /// Display name from `problem.yaml`.
    pub name: String,
    /// The package root on disk.
    pub root: PathBuf,
    /// How output is checked.
    pub validation: Validation,
    /// Default-validator flags (empty for custom validators).
    pub flags: ValidatorFlags,
    /// Raw `validator_flags` (passed to custom validators).
    pub validator_args: Vec<String>,
    /// Limits.
    pub limits: ProblemLimits,
    /// Test cases: samples first, then secret, each in lexicographic order.
    pub tests: Vec<TestCase>,
    /// Groups with points.
    pub groups: Vec<TestGroup>,
    /// The custom validator's sources, if any.
    pub validator: Option<Vec<SourceFile>>,
    /// Keeps an extracted zip alive.
    _extracted: Option<tempfile::TempDir>,
}

/// Largest source file of a shipped submission or validator.
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
        if meta.is_dir() {
            Self::load_dir(path, short_name.clone(), None)
        } else {
            let tmp = tempfile::Builder::new()
                .prefix("codehub-problem-")
                .tempdir()
                .map_err(|e| fail(path, format!("cannot make a temp dir: {e}")))?;
            extract_zip(path, tmp.path()).map_err(|m| fail(Path::new(""), m))?;
            let root = package_root(tmp.path())
                .ok_or_else(|| fail(Path::new("problem.yaml"), "missing from the zip".into()))?;
            Self::load_dir(&root, short_name.clone(), Some(tmp))
        }
    }

    fn load_dir(
        root: &Path,
        short_name: String,
        extracted: Option<tempfile::TempDir>,
    ) -> Result<Problem, PackageError> {
        let fail = |file: &str, message: String| PackageError {
            problem: short_name.clone(),
            file: PathBuf::from(file),
            message,
        };
        let yaml_path = root.join("problem.yaml");
        let yaml_text = fs::read_to_string(&yaml_path)
            .map_err(|e| fail("problem.yaml", format!("cannot read: {e}")))?;
        let yaml: ProblemYaml = if yaml_text.trim().is_empty() {
            ProblemYaml::default()
        } else {
            serde_norway::from_str(&yaml_text).map_err(|e| fail("problem.yaml", e.to_string()))?
        };

        let name = match &yaml.name {
            None => short_name.clone(),
            Some(serde_norway::Value::String(s)) => s.clone(),
            Some(serde_norway::Value::Mapping(m)) => m
                .get("en")
                .or_else(|| m.values().next())
                .and_then(|v| v.as_str())
                .map(str::to_owned)
                .ok_or_else(|| fail("problem.yaml", "`name` has no text".into()))?,
            Some(_) => return Err(fail("problem.yaml", "`name` must be text".into())),
        };

        let validation_text = yaml.validation.clone().unwrap_or_else(|| "default".into());
        let words: Vec<&str> = validation_text.split_whitespace().collect();
        let validation = match words.as_slice() {
            ["default"] => Validation::Default,
            ["custom"] => Validation::Custom,
            ["custom", "interactive"] | ["interactive", "custom"] => Validation::Interactive,
            _ => {
                return Err(fail(
                    "problem.yaml",
                    format!(
                        "`validation: {validation_text}` is not supported (use default, custom \
                         or custom interactive)"
                    ),
                ));
            }
        };

        let validator_args: Vec<String> = match &yaml.validator_flags {
            None | Some(serde_norway::Value::Null) => Vec::new(),
            Some(serde_norway::Value::String(s)) => {
                s.split_whitespace().map(str::to_owned).collect()
            }
            Some(serde_norway::Value::Mapping(_)) => {
                return Err(fail(
                    "problem.yaml",
                    "`validator_flags` must be a string of flags".into(),
                ));
            }
            Some(other) => vec![
                serde_norway::to_string(other)
                    .unwrap_or_default()
                    .trim()
                    .to_owned(),
            ],
        };
        let flags = if validation == Validation::Default {
            ValidatorFlags::parse(&validator_args)
                .map_err(|m| fail("problem.yaml", format!("validator_flags: {m}")))?
        } else {
            ValidatorFlags::default()
        };

        let limits = read_limits(root, yaml.limits.unwrap_or_default())
            .map_err(|(file, m)| fail(file, m))?;
        let (tests, groups) = read_tests(root).map_err(|(file, m)| fail(&file, m))?;
        if tests.is_empty() {
            return Err(fail(
                "data",
                "no test cases (need data/sample or data/secret with .in/.ans pairs)".into(),
            ));
        }

        let validator = if validation == Validation::Default {
            None
        } else {
            Some(read_validator(root).map_err(|(file, m)| fail(&file, m))?)
        };

        Ok(Problem {
            short_name: short_name.clone(),
            name,
            root: root.to_owned(),
            validation,
            flags,
            validator_args,
            limits,
            tests,
            groups,
            validator,
            _extracted: extracted,
        })
    }

    /// The submissions under `submissions/<verdict>/`, each with its expected verdict.
    /// A file is one submission; a directory is one multi-file submission.
    ///
    /// # Errors
    /// [`PackageError`] for an unknown verdict directory or an unreadable file.
    pub fn submissions(&self) -> Result<Vec<PackageSubmission>, PackageError> {
        let fail = |file: &Path, message: String| PackageError {
            problem: self.short_name.clone(),
            file: file.to_owned(),
            message,
        };
        let dir = self.root.join("submissions");
        let mut out = Vec::new();
        if !dir.is_dir() {
            return Ok(out);
        }
        for verdict_dir in sorted_entries(&dir).map_err(|e| fail(Path::new("submissions"), e))? {
            let dir_name = verdict_dir
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let rel = Path::new("submissions").join(&dir_name);
            if !verdict_dir.is_dir() {
                continue;
            }
            let expected = Verdict::from_submissions_dir(&dir_name).ok_or_else(|| {
                fail(&rel, "unknown expected verdict (use accepted, wrong_answer, time_limit_exceeded, run_time_error, memory_limit_exceeded, output_limit_exceeded, compile_error)".into())
            })?;
            for entry in sorted_entries(&verdict_dir).map_err(|e| fail(&rel, e))? {
                let entry_name = entry
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned();
                if entry_name.starts_with('.') {
                    continue;
                }
                let path = rel.join(&entry_name);
                let files = if entry.is_dir() {
                    let mut files = Vec::new();
                    for f in sorted_entries(&entry).map_err(|e| fail(&path, e))? {
                        if f.is_file() {
                            files.push(read_source(&f).map_err(|e| fail(&path, e))?);
                        }
                    }
                    files
                } else {
                    vec![read_source(&entry).map_err(|e| fail(&path, e))?]
                };
                out.push(PackageSubmission {
                    path,
                    expected,
                    files,
                });
            }
        }
        Ok(out)
    }

    /// Points of a group, if the package gives them.
    pub fn group_score(&self, group: &str) -> Option<f64> {
        self.groups
            .iter()
            .find(|g| g.name == group)
            .and_then(|g| g.score)
    }
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

fn read_validator(root: &Path) -> Result<Vec<SourceFile>, (String, String)> {
    let dir = root.join("output_validators");
    let subdirs: Vec<PathBuf> = sorted_entries(&dir)
        .map_err(|e| ("output_validators".to_owned(), e))?
        .into_iter()
        .filter(|p| p.is_dir())
        .collect();
    let vdir = match subdirs.as_slice() {
        [one] => one.clone(),
        [] => {
            return Err((
                "output_validators".into(),
                "custom validation needs one validator directory here".into(),
            ));
        }
        _ => {
            return Err((
                "output_validators".into(),
                "more than one validator directory; CodeHub supports one".into(),
            ));
        }
    };
    let rel = format!(
        "output_validators/{}",
        vdir.file_name().unwrap_or_default().to_string_lossy()
    );
    let mut files = Vec::new();
    for f in sorted_entries(&vdir).map_err(|e| (rel.clone(), e))? {
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
}
