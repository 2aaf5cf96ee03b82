//! The submissions a package ships and what each must get: legacy directories name a
//! verdict; 2023-07 directories carry default rules (`permitted`, `required`) that
//! `submissions/submissions.yaml` extends with globs over submissions and test cases.

use super::yaml::{Fault, Warnings, read_map, typed};
use super::{Problem, read_source, sorted_entries};
use crate::language::SourceFile;
use codehub_engine::Verdict;
use globset::{GlobBuilder, GlobMatcher};
use serde_norway::{Mapping, Value};
use std::fmt;
use std::path::{Path, PathBuf};

/// A submission shipped with the package, and what it must get.
#[derive(Debug, Clone)]
pub struct PackageSubmission {
    /// Path relative to the package (`submissions/accepted/hello.cpp`).
    pub path: PathBuf,
    /// What it must get.
    pub expectation: Expectation,
    /// Its language, when `submissions.yaml` names one (else detected from the files).
    pub language: Option<String>,
    /// Its files (one, or several for a directory submission).
    pub files: Vec<SourceFile>,
}

/// What a shipped submission must get.
#[derive(Debug, Clone, Default)]
pub struct Expectation {
    /// The verdict of the whole submission (legacy directories, `compile_error`).
    pub verdict: Option<Verdict>,
    /// Rules over its test cases (2023-07 directories and `submissions.yaml`).
    pub rules: Vec<Rule>,
}

/// One 2023-07 requirement over a set of test cases.
#[derive(Debug, Clone, Default)]
pub struct Rule {
    /// The test cases and groups it covers (a glob over names relative to `data/`); all
    /// when `None`.
    pub tests: Option<TestPattern>,
    /// Every covered test case must get one of these.
    pub permitted: Option<Vec<Verdict>>,
    /// At least one covered test case must get one of these.
    pub required: Option<Vec<Verdict>>,
    /// The score (of the submission, or of each covered group) lies in this range.
    pub score: Option<(f64, f64)>,
    /// Some covered test case's judge message contains this.
    pub message: Option<String>,
}

/// A glob over test case and group names (`secret/*-hard`, `{sample,secret/g1}`).
#[derive(Debug, Clone)]
pub struct TestPattern {
    /// As written.
    pub text: String,
    matcher: GlobMatcher,
}

impl TestPattern {
    /// Whether `name` itself matches (a group's score rule applies to the groups it
    /// names, not to their parents).
    pub fn names(&self, name: &str) -> bool {
        self.matcher.is_match(name)
    }

    /// Whether `name` (a test case or group, relative to `data/`) or one of its parent
    /// groups matches.
    pub fn covers(&self, name: &str) -> bool {
        let mut prefix = name;
        loop {
            if self.matcher.is_match(prefix) {
                return true;
            }
            match prefix.rfind('/') {
                Some(i) => prefix = &prefix[..i],
                None => return false,
            }
        }
    }
}

impl Expectation {
    /// Whether its runs bound the time limit from below (the format's "time limit
    /// inference"): it is not permitted TLE on some cases (legacy: `accepted`).
    pub fn bounds_time_limit_below(&self) -> bool {
        self.verdict == Some(Verdict::Accepted)
            || self.rules.iter().any(|r| {
                r.permitted
                    .as_ref()
                    .is_some_and(|p| !p.contains(&Verdict::TimeLimitExceeded))
            })
    }

    /// Whether it bounds the time limit from above: it must get TLE (exactly `required:
    /// [TLE]`; legacy: `time_limit_exceeded`).
    pub fn bounds_time_limit_above(&self) -> bool {
        self.verdict == Some(Verdict::TimeLimitExceeded)
            || self
                .rules
                .iter()
                .any(|r| r.required.as_deref() == Some(&[Verdict::TimeLimitExceeded][..]))
    }

    /// Whether checking it needs every test judged (group rules or scores), not just up
    /// to the first failure.
    pub fn needs_all_tests(&self) -> bool {
        self.rules
            .iter()
            .any(|r| r.tests.is_some() || r.score.is_some())
    }
}

impl fmt::Display for Expectation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let codes = |v: &[Verdict]| v.iter().map(|v| v.code()).collect::<Vec<_>>().join(",");
        let mut parts = Vec::new();
        if let Some(v) = self.verdict {
            parts.push(v.code().to_owned());
        }
        for r in &self.rules {
            let mut p = Vec::new();
            if let Some(t) = &r.tests {
                p.push(format!("{}:", t.text));
            }
            if let Some(v) = &r.permitted {
                p.push(format!("permitted {}", codes(v)));
            }
            if let Some(v) = &r.required {
                p.push(format!("required {}", codes(v)));
            }
            if let Some((a, b)) = r.score {
                p.push(if a == b {
                    format!("score {a}")
                } else {
                    format!("score {a}..{b}")
                });
            }
            if let Some(m) = &r.message {
                p.push(format!("message {m:?}"));
            }
            parts.push(p.join(" "));
        }
        if parts.is_empty() {
            f.write_str("anything")
        } else {
            f.write_str(&parts.join("; "))
        }
    }
}

const SUBMISSIONS_YAML: &str = "submissions/submissions.yaml";

/// Keys of a `submissions.yaml` entry; others are test-case globs (or unknown).
const ENTRY_KEYS: &[&str] = &[
    "language",
    "entrypoint",
    "authors",
    "model_solution",
    "permitted",
    "required",
    "score",
    "message",
    "use_for_time_limit",
];

/// Keys of a test-case glob's map in `submissions.yaml`.
const GROUP_KEYS: &[&str] = &[
    "permitted",
    "required",
    "score",
    "message",
    "use_for_time_limit",
];

use Verdict::{
    Accepted as AC, MemoryLimitExceeded as MLE, OutputLimitExceeded as OLE, RunTimeError as RTE,
    TimeLimitExceeded as TLE, WrongAnswer as WA,
};

/// The default rule of a 2023-07 directory (CodeHub adds its MLE, OLE and CE ones).
fn default_rule(dir: &str) -> Option<Expectation> {
    let rule = |permitted: Option<Vec<Verdict>>, required: Option<Vec<Verdict>>| Expectation {
        verdict: None,
        rules: vec![Rule {
            permitted,
            required,
            ..Rule::default()
        }],
    };
    Some(match dir {
        "accepted" => rule(Some(vec![AC]), None),
        "rejected" => rule(None, Some(vec![RTE, TLE, WA])),
        "wrong_answer" => rule(Some(vec![AC, WA]), Some(vec![WA])),
        "time_limit_exceeded" => rule(Some(vec![AC, TLE]), Some(vec![TLE])),
        "run_time_error" => rule(Some(vec![AC, RTE]), Some(vec![RTE])),
        "brute_force" => rule(Some(vec![AC, RTE, TLE]), Some(vec![RTE, TLE])),
        "memory_limit_exceeded" => rule(Some(vec![AC, MLE]), Some(vec![MLE])),
        "output_limit_exceeded" => rule(Some(vec![AC, OLE]), Some(vec![OLE])),
        "compile_error" => Expectation {
            verdict: Some(Verdict::CompileError),
            rules: Vec::new(),
        },
        _ => return None,
    })
}

/// One entry of `submissions.yaml`, read.
struct Entry {
    pattern: String,
    matcher: GlobMatcher,
    language: Option<String>,
    rules: Vec<Rule>,
}

impl Problem {
    /// The submissions under `submissions/`, each with what it must get. A file is one
    /// submission; a directory is one multi-file submission.
    ///
    /// # Errors
    /// [`PackageError`](super::PackageError) for an unknown legacy verdict directory, a
    /// malformed `submissions.yaml` or an unreadable file.
    pub fn submissions(&self) -> Result<Vec<PackageSubmission>, super::PackageError> {
        let legacy = self.format == super::FormatVersion::Legacy;
        read_submissions(&self.root, legacy, &mut Warnings::default()).map_err(|(file, message)| {
            super::PackageError {
                problem: self.short_name.clone(),
                file: file.into(),
                message,
            }
        })
    }
}

/// Reads `submissions/` (`legacy`: verdict directories only).
pub(super) fn read_submissions(
    root: &Path,
    legacy: bool,
    w: &mut Warnings,
) -> Result<Vec<PackageSubmission>, Fault> {
    let dir = root.join("submissions");
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    let entries = if legacy {
        Vec::new()
    } else {
        read_yaml(root, w)?
    };
    for sub_dir in sorted_entries(&dir).map_err(|e| ("submissions".to_owned(), e))? {
        if !sub_dir.is_dir() {
            continue;
        }
        let dir_name = sub_dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let rel = format!("submissions/{dir_name}");
        let base = if legacy {
            let v = Verdict::from_submissions_dir(&dir_name).ok_or_else(|| {
                (rel.clone(), "unknown expected verdict (use accepted, wrong_answer, time_limit_exceeded, run_time_error, memory_limit_exceeded, output_limit_exceeded, compile_error)".to_owned())
            })?;
            Some(Expectation {
                verdict: Some(v),
                rules: Vec::new(),
            })
        } else {
            default_rule(&dir_name)
        };
        for entry in sorted_entries(&sub_dir).map_err(|e| (rel.clone(), e))? {
            let entry_name = entry
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            if entry_name.starts_with('.') {
                continue;
            }
            let path = format!("{rel}/{entry_name}");
            let files = if entry.is_dir() {
                let mut files = Vec::new();
                for f in sorted_entries(&entry).map_err(|e| (path.clone(), e))? {
                    if f.is_file() {
                        files.push(read_source(&f).map_err(|e| (path.clone(), e))?);
                    }
                }
                files
            } else {
                vec![read_source(&entry).map_err(|e| (path.clone(), e))?]
            };
            let inner = format!("{dir_name}/{entry_name}");
            let mut expectation = base.clone().unwrap_or_default();
            let mut language = None;
            for e in entries.iter().filter(|e| covers(&e.matcher, &inner)) {
                if e.pattern == dir_name && base.is_some() {
                    // Naming a default directory replaces the keys it gives.
                    for given in &e.rules {
                        if given.tests.is_some() {
                            expectation.rules.push(given.clone());
                            continue;
                        }
                        if expectation.rules.is_empty() {
                            expectation.rules.push(Rule::default());
                        }
                        let r = &mut expectation.rules[0];
                        r.permitted = given.permitted.clone().or(r.permitted.take());
                        r.required = given.required.clone().or(r.required.take());
                        r.score = given.score.or(r.score);
                        r.message = given.message.clone().or(r.message.take());
                    }
                } else {
                    expectation.rules.extend(e.rules.iter().cloned());
                }
                if e.language.is_some() {
                    language = e.language.clone();
                }
            }
            if expectation.verdict.is_none() && expectation.rules.is_empty() {
                w.push(
                    &path,
                    "nothing is expected of it (not in a known directory, not matched by \
                     submissions.yaml)",
                );
            }
            out.push(PackageSubmission {
                path: PathBuf::from(path),
                expectation,
                language,
                files,
            });
        }
    }
    Ok(out)
}

/// A submission is covered by a pattern matching it or one of its directories.
fn covers(m: &GlobMatcher, path: &str) -> bool {
    let mut p = path;
    loop {
        if m.is_match(p) {
            return true;
        }
        match p.rfind('/') {
            Some(i) => p = &p[..i],
            None => return false,
        }
    }
}

fn glob(pattern: &str) -> Result<GlobMatcher, Fault> {
    GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map(|g| g.compile_matcher())
        .map_err(|e| {
            (
                SUBMISSIONS_YAML.into(),
                format!("bad glob `{pattern}`: {e}"),
            )
        })
}

fn read_yaml(root: &Path, w: &mut Warnings) -> Result<Vec<Entry>, Fault> {
    let Some(map) = read_map(root, SUBMISSIONS_YAML)? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (key, value) in &map {
        let Some(pattern) = key.as_str() else {
            return Err((SUBMISSIONS_YAML.into(), "keys must be glob patterns".into()));
        };
        let Value::Mapping(m) = value else {
            return Err((
                SUBMISSIONS_YAML.into(),
                format!("`{pattern}` must map to keys such as permitted, required, score"),
            ));
        };
        let mut rules = vec![rule_of(m, pattern, None)?];
        let mut language = None;
        for (k, v) in m {
            let k = k.as_str().unwrap_or_default();
            match k {
                "language" => {
                    language = Some(typed::<String>(v.clone(), SUBMISSIONS_YAML, "language")?)
                }
                "entrypoint" => w.push(
                    SUBMISSIONS_YAML,
                    format!("`{pattern}.entrypoint` is not supported yet, ignored"),
                ),
                _ if ENTRY_KEYS.contains(&k) => {}
                _ if is_test_glob(k) => {
                    let Value::Mapping(g) = v else {
                        return Err((
                            SUBMISSIONS_YAML.into(),
                            format!("`{pattern}.{k}` must be a map"),
                        ));
                    };
                    w.unknown_keys(g, GROUP_KEYS, SUBMISSIONS_YAML, &format!("{pattern}.{k}."));
                    rules.push(rule_of(g, &format!("{pattern}.{k}"), Some(k))?);
                }
                _ => w.push(
                    SUBMISSIONS_YAML,
                    format!("unknown key `{pattern}.{k}`, ignored"),
                ),
            }
        }
        rules.retain(|r| {
            r.tests.is_some()
                || r.permitted.is_some()
                || r.required.is_some()
                || r.score.is_some()
                || r.message.is_some()
        });
        out.push(Entry {
            pattern: pattern.to_owned(),
            matcher: glob(pattern)?,
            language,
            rules,
        });
    }
    Ok(out)
}

/// Keys naming test cases or groups: `sample`, `secret` and paths or globs below them.
fn is_test_glob(k: &str) -> bool {
    ["sample", "secret"]
        .iter()
        .any(|top| k == *top || k.starts_with(&format!("{top}/")))
        || k.starts_with('{')
        || k.starts_with('*')
}

fn rule_of(m: &Mapping, at: &str, tests: Option<&str>) -> Result<Rule, Fault> {
    let verdicts = |key: &str| -> Result<Option<Vec<Verdict>>, Fault> {
        let Some(v) = m.get(key) else {
            return Ok(None);
        };
        let list: Vec<String> = match v {
            Value::String(s) => vec![s.clone()],
            other => typed(other.clone(), SUBMISSIONS_YAML, &format!("{at}.{key}"))?,
        };
        list.iter()
            .map(|c| {
                c.parse::<Verdict>()
                    .map_err(|e| (SUBMISSIONS_YAML.to_owned(), format!("`{at}.{key}`: {e}")))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    };
    let score = match m.get("score") {
        None => None,
        Some(v) => {
            let bad = || {
                (
                    SUBMISSIONS_YAML.to_owned(),
                    format!("`{at}.score` must be a number or a list of two numbers"),
                )
            };
            match v {
                Value::Sequence(s) if s.len() == 2 => {
                    let a = s[0].as_f64().ok_or_else(bad)?;
                    let b = s[1].as_f64().ok_or_else(bad)?;
                    Some((a.min(b), a.max(b)))
                }
                other => {
                    let x = other.as_f64().ok_or_else(bad)?;
                    Some((x, x))
                }
            }
        }
    };
    Ok(Rule {
        tests: tests
            .map(|t| {
                glob(t).map(|matcher| TestPattern {
                    text: t.to_owned(),
                    matcher,
                })
            })
            .transpose()?,
        permitted: verdicts("permitted")?,
        required: verdicts("required")?,
        score,
        message: match m.get("message") {
            Some(v) => Some(typed(
                v.clone(),
                SUBMISSIONS_YAML,
                &format!("{at}.message"),
            )?),
            None => None,
        },
    })
}
