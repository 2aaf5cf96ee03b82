//! `problem.yaml` in both editions (legacy and 2023-07), the limits read from it, and the
//! helpers every YAML file of a package shares: reading a map, warning on unknown keys,
//! argument lists.

use super::{PackageWarning, ProblemLimits, ProblemType};
use serde::Deserialize;
use serde_norway::{Mapping, Value};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A fault in a file of the package: the file (relative to the root) and what is wrong.
pub(super) type Fault = (String, String);

/// Warnings gathered while a package is read.
#[derive(Debug, Default)]
pub(super) struct Warnings(pub(super) Vec<PackageWarning>);

impl Warnings {
    pub(super) fn push(&mut self, file: impl Into<PathBuf>, message: impl Into<String>) {
        self.0.push(PackageWarning {
            file: file.into(),
            message: message.into(),
        });
    }

    /// Warns of every key of `map` that is not in `known`: `prefix` is the path of the
    /// map inside the file (`limits.`), empty at the top.
    pub(super) fn unknown_keys(&mut self, map: &Mapping, known: &[&str], file: &str, prefix: &str) {
        for key in map.keys() {
            let name = key_text(key);
            if !known.contains(&name.as_str()) {
                self.push(file, format!("unknown key `{prefix}{name}`, ignored"));
            }
        }
    }
}

fn key_text(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        other => serde_norway::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_owned(),
    }
}

/// Reads `rel` under `root` as a YAML map: `None` if the file does not exist, an empty map
/// for an empty file.
pub(super) fn read_map(root: &Path, rel: &str) -> Result<Option<Mapping>, Fault> {
    let text = match fs::read_to_string(root.join(rel)) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err((rel.to_owned(), format!("cannot read: {e}"))),
    };
    if text.trim().is_empty() {
        return Ok(Some(Mapping::new()));
    }
    match serde_norway::from_str::<Value>(&text).map_err(|e| (rel.to_owned(), e.to_string()))? {
        Value::Mapping(m) => Ok(Some(m)),
        Value::Null => Ok(Some(Mapping::new())),
        _ => Err((rel.to_owned(), "must be a map of keys to values".into())),
    }
}

/// Deserializes a map (or one of its values) into `T`, naming the file and key on error.
pub(super) fn typed<T: serde::de::DeserializeOwned>(
    value: Value,
    file: &str,
    key: &str,
) -> Result<T, Fault> {
    serde_norway::from_value(value).map_err(|e| {
        let at = if key.is_empty() {
            String::new()
        } else {
            format!("`{key}`: ")
        };
        (file.to_owned(), format!("{at}{e}"))
    })
}

/// An argument list: a sequence of strings (2023-07) or one string of words (legacy and
/// early drafts). Numbers are taken as written.
pub(super) fn args(value: &Value, file: &str, key: &str) -> Result<Vec<String>, Fault> {
    let word = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    match value {
        Value::Null => Ok(Vec::new()),
        Value::String(s) => Ok(s.split_whitespace().map(str::to_owned).collect()),
        Value::Sequence(items) => items
            .iter()
            .map(|v| {
                word(v).ok_or_else(|| {
                    (
                        file.to_owned(),
                        format!("`{key}` must be a list of strings"),
                    )
                })
            })
            .collect(),
        _ => Err((
            file.to_owned(),
            format!("`{key}` must be a list of strings"),
        )),
    }
}

/// Keys of a legacy `problem.yaml`.
const LEGACY_KEYS: &[&str] = &[
    "problem_format_version",
    "type",
    "name",
    "uuid",
    "author",
    "source",
    "source_url",
    "license",
    "rights_owner",
    "limits",
    "validation",
    "validator_flags",
    "grading",
    "keywords",
];

/// Keys of a legacy `limits` map (`time_limit` is CodeHub's, as `.timelimit`).
const LEGACY_LIMIT_KEYS: &[&str] = &[
    "time_limit",
    "time_multiplier",
    "time_safety_margin",
    "memory",
    "output",
    "code",
    "compilation_time",
    "compilation_memory",
    "validation_time",
    "validation_memory",
    "validation_output",
    "validation_passes",
];

/// Keys of a 2023-07 `problem.yaml`.
const KEYS_2023: &[&str] = &[
    "problem_format_version",
    "type",
    "name",
    "uuid",
    "version",
    "credits",
    "source",
    "license",
    "rights_owner",
    "embargo_until",
    "limits",
    "keywords",
    "languages",
    "allow_file_writing",
    "constants",
];

/// Keys of a 2023-07 `limits` map.
const LIMIT_KEYS_2023: &[&str] = &[
    "time_multipliers",
    "time_limit",
    "time_resolution",
    "memory",
    "output",
    "code",
    "compilation_time",
    "compilation_memory",
    "validation_time",
    "validation_memory",
    "validation_output",
    "validation_passes",
];

/// What `problem.yaml` says, in either edition, once read.
#[derive(Debug)]
pub(super) struct ProblemYaml {
    /// The display name, if given.
    pub(super) name: Option<String>,
    /// Legacy `validation` (`default`, `custom`, `custom interactive`).
    pub(super) validation: Option<String>,
    /// Legacy `validator_flags`, split into words.
    pub(super) validator_flags: Vec<String>,
    /// The problem type (2023-07 `type`; legacy is pass-fail, or scoring by `type`).
    pub(super) kind: ProblemType,
    /// Limits.
    pub(super) limits: ProblemLimits,
    /// Whether `limits.validation_passes` was given (it only matters for multi-pass).
    pub(super) validation_passes_given: bool,
    /// `keywords`, lower case, without repeats.
    pub(super) keywords: Vec<String>,
    /// `source` (its name where it is a map; several joined with `, `).
    pub(super) source: Option<String>,
    /// Every name by language where `name` is a map (2023-07); empty for one string.
    pub(super) names: std::collections::BTreeMap<String, String>,
}

/// The names of a `name` map by language code (empty when `name` is one string).
fn names_of(map: &Mapping) -> std::collections::BTreeMap<String, String> {
    match map.get("name") {
        Some(Value::Mapping(m)) => m
            .iter()
            .filter_map(|(k, v)| Some((k.as_str()?.to_owned(), v.as_str()?.to_owned())))
            .collect(),
        _ => Default::default(),
    }
}

/// `keywords` (a list, or legacy's string of words), lower case and without repeats; a
/// value of another shape is a warning, not a broken package.
fn keywords_of(map: &Mapping, w: &mut Warnings) -> Vec<String> {
    let Some(v) = map.get("keywords") else {
        return Vec::new();
    };
    match args(v, PROBLEM_YAML, "keywords") {
        Ok(words) => {
            let mut out: Vec<String> = Vec::new();
            for word in words.iter().map(|k| k.trim().to_lowercase()) {
                if !word.is_empty() && !out.contains(&word) {
                    out.push(word);
                }
            }
            out
        }
        Err((_, message)) => {
            w.push(PROBLEM_YAML, format!("{message}; ignored"));
            Vec::new()
        }
    }
}

/// `source`: a string, a map with `name` (2023-07), or a list of those.
fn source_of(map: &Mapping) -> Option<String> {
    fn one(v: &Value) -> Option<String> {
        match v {
            Value::String(s) => Some(s.trim().to_owned()),
            Value::Mapping(m) => m
                .get("name")
                .and_then(Value::as_str)
                .map(|s| s.trim().to_owned()),
            _ => None,
        }
    }
    let names: Vec<String> = match map.get("source")? {
        Value::Sequence(items) => items.iter().filter_map(one).collect(),
        other => one(other).into_iter().collect(),
    };
    let names: Vec<String> = names.into_iter().filter(|n| !n.is_empty()).collect();
    (!names.is_empty()).then(|| names.join(", "))
}

/// The limits as either edition writes them (numbers; checked by [`read_limits`]).
#[derive(Deserialize, Default)]
struct LimitsYaml {
    time_limit: Option<f64>,
    time_multiplier: Option<f64>,
    time_safety_margin: Option<f64>,
    time_multipliers: Option<TimeMultipliers>,
    time_resolution: Option<f64>,
    memory: Option<f64>,
    output: Option<f64>,
    code: Option<f64>,
    compilation_time: Option<f64>,
    compilation_memory: Option<f64>,
    validation_time: Option<f64>,
    validation_memory: Option<f64>,
    validation_output: Option<f64>,
    validation_passes: Option<u32>,
}

#[derive(Deserialize, Default)]
struct TimeMultipliers {
    ac_to_time_limit: Option<f64>,
    time_limit_to_tle: Option<f64>,
}

const PROBLEM_YAML: &str = "problem.yaml";

/// Reads a legacy `problem.yaml` (already parsed into `map`).
pub(super) fn read_legacy(
    root: &Path,
    map: &Mapping,
    w: &mut Warnings,
) -> Result<ProblemYaml, Fault> {
    w.unknown_keys(map, LEGACY_KEYS, PROBLEM_YAML, "");
    let name = match map.get("name") {
        None | Some(Value::Null) => None,
        Some(v) => Some(name_of(v)?),
    };
    let validation = match map.get("validation") {
        None | Some(Value::Null) => None,
        Some(v) => Some(typed::<String>(v.clone(), PROBLEM_YAML, "validation")?),
    };
    let validator_flags = match map.get("validator_flags") {
        None => Vec::new(),
        Some(Value::Mapping(_)) => {
            return Err((
                PROBLEM_YAML.into(),
                "`validator_flags` must be a string of flags".into(),
            ));
        }
        Some(v @ Value::Sequence(_)) => args(v, PROBLEM_YAML, "validator_flags")?,
        Some(Value::String(s)) => s.split_whitespace().map(str::to_owned).collect(),
        Some(Value::Null) => Vec::new(),
        Some(other) => vec![key_text(other)],
    };
    let kind = match map.get("type").and_then(Value::as_str) {
        Some("scoring") => {
            w.push(
                PROBLEM_YAML,
                "`type: scoring` in a legacy package: legacy grading (graders, accept_score) is \
                 not supported; IOI contests score by the groups' `score` points",
            );
            ProblemType::default()
        }
        Some("pass-fail") | None => ProblemType::default(),
        Some(other) => {
            return Err((
                PROBLEM_YAML.into(),
                format!("`type: {other}` is not a legacy problem type (pass-fail or scoring)"),
            ));
        }
    };
    let limits_map = limits_map(map)?;
    w.unknown_keys(&limits_map, LEGACY_LIMIT_KEYS, PROBLEM_YAML, "limits.");
    let y: LimitsYaml = typed(Value::Mapping(limits_map), PROBLEM_YAML, "limits")?;
    Ok(ProblemYaml {
        name,
        validation,
        validator_flags,
        kind,
        validation_passes_given: y.validation_passes.is_some(),
        limits: read_limits(root, y, true)?,
        keywords: keywords_of(map, w),
        source: source_of(map),
        names: names_of(map),
    })
}

/// Reads a 2023-07 `problem.yaml` (already parsed into `map`).
pub(super) fn read_2023(
    root: &Path,
    map: &Mapping,
    w: &mut Warnings,
) -> Result<ProblemYaml, Fault> {
    w.unknown_keys(map, KEYS_2023, PROBLEM_YAML, "");
    let name = match map.get("name") {
        None | Some(Value::Null) => {
            w.push(
                PROBLEM_YAML,
                "`name` is required in 2023-07; using the package's name",
            );
            None
        }
        Some(v) => Some(name_of(v)?),
    };
    let kind = parse_type(map.get("type")).map_err(|m| (PROBLEM_YAML.to_owned(), m))?;
    if let Some(v) = map.get("languages")
        && v.as_str() != Some("all")
    {
        w.push(
            PROBLEM_YAML,
            "`languages` is read but not enforced: every language of the judge is allowed",
        );
    }
    if let Some(Value::Mapping(m)) = map.get("constants")
        && !m.is_empty()
    {
        w.push(
            PROBLEM_YAML,
            "`constants` are not substituted into statements, validators or submissions",
        );
    }
    let limits_map = limits_map(map)?;
    w.unknown_keys(&limits_map, LIMIT_KEYS_2023, PROBLEM_YAML, "limits.");
    if let Some(Value::Mapping(m)) = limits_map.get("time_multipliers") {
        w.unknown_keys(
            m,
            &["ac_to_time_limit", "time_limit_to_tle"],
            PROBLEM_YAML,
            "limits.time_multipliers.",
        );
    }
    let y: LimitsYaml = typed(Value::Mapping(limits_map), PROBLEM_YAML, "limits")?;
    Ok(ProblemYaml {
        name,
        validation: None,
        validator_flags: Vec::new(),
        kind,
        validation_passes_given: y.validation_passes.is_some(),
        limits: read_limits(root, y, false)?,
        keywords: keywords_of(map, w),
        source: source_of(map),
        names: names_of(map),
    })
}

fn limits_map(map: &Mapping) -> Result<Mapping, Fault> {
    match map.get("limits") {
        None | Some(Value::Null) => Ok(Mapping::new()),
        Some(Value::Mapping(m)) => Ok(m.clone()),
        Some(_) => Err((PROBLEM_YAML.into(), "`limits` must be a map".into())),
    }
}

/// `name`: a string, or a map from language codes to names (English first).
fn name_of(v: &Value) -> Result<String, Fault> {
    let fail = |m: &str| (PROBLEM_YAML.to_owned(), m.to_owned());
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Mapping(m) => m
            .get("en")
            .or_else(|| m.values().next())
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| fail("`name` has no text")),
        _ => Err(fail("`name` must be text or a map of languages to text")),
    }
}

/// The 2023-07 `type`: one string or a list, without repetition or forbidden pairs.
///
/// # Errors
/// A message naming the value: unknown, repeated or incompatible.
pub(super) fn parse_type(v: Option<&Value>) -> Result<ProblemType, String> {
    const TYPES: [&str; 5] = [
        "pass-fail",
        "scoring",
        "interactive",
        "multi-pass",
        "submit-answer",
    ];
    let list: Vec<String> = match v {
        None | Some(Value::Null) => vec!["pass-fail".into()],
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Sequence(items)) if !items.is_empty() => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| "`type` must be a string or a list of strings".to_owned())
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err("`type` must be a string or a non-empty list of strings".into()),
    };
    for (i, t) in list.iter().enumerate() {
        if !TYPES.contains(&t.as_str()) {
            return Err(format!(
                "`type: {t}` is not a problem type (one of {})",
                TYPES.join(", ")
            ));
        }
        if list[..i].contains(t) {
            return Err(format!("`type` lists `{t}` twice"));
        }
    }
    let has = |t: &str| list.iter().any(|x| x == t);
    for (a, b) in [
        ("pass-fail", "scoring"),
        ("multi-pass", "submit-answer"),
        ("interactive", "submit-answer"),
    ] {
        if has(a) && has(b) {
            return Err(format!(
                "`type` combines `{a}` and `{b}`, which the format forbids"
            ));
        }
    }
    Ok(ProblemType {
        scoring: has("scoring"),
        interactive: has("interactive"),
        multi_pass: has("multi-pass"),
        submit_answer: has("submit-answer"),
    })
}

fn positive(v: Option<f64>, key: &str) -> Result<Option<f64>, Fault> {
    match v {
        Some(x) if !(x.is_finite() && x > 0.0) => Err((
            PROBLEM_YAML.into(),
            format!("limits.{key} must be a positive number, got {x}"),
        )),
        other => Ok(other),
    }
}

fn at_least_one(v: Option<f64>, key: &str) -> Result<Option<f64>, Fault> {
    match v {
        Some(x) if !(x.is_finite() && x >= 1.0) => Err((
            PROBLEM_YAML.into(),
            format!("limits.time_multipliers.{key} must be a number >= 1, got {x}"),
        )),
        other => Ok(other),
    }
}

/// The limits the judge enforces, from either edition's `limits` (`legacy` also reads
/// `.timelimit`).
fn read_limits(root: &Path, y: LimitsYaml, legacy: bool) -> Result<ProblemLimits, Fault> {
    let mut l = ProblemLimits::default();
    let mib = |x: f64| (x * (1 << 20) as f64) as u64;
    let secs = Duration::from_secs_f64;
    if let Some(t) = positive(y.time_limit, "time_limit")? {
        l.time_limit = secs(t);
        l.time_limit_given = true;
    } else if legacy && let Ok(text) = fs::read_to_string(root.join(".timelimit")) {
        let t: f64 = text
            .split_whitespace()
            .next()
            .and_then(|w| w.parse().ok())
            .filter(|t: &f64| t.is_finite() && *t > 0.0)
            .ok_or((
                ".timelimit".to_owned(),
                format!("not a positive number of seconds: `{}`", text.trim()),
            ))?;
        l.time_limit = secs(t);
        l.time_limit_given = true;
    }
    if let Some(x) = positive(y.time_multiplier, "time_multiplier")? {
        l.time_multiplier = x;
    }
    if let Some(x) = positive(y.time_safety_margin, "time_safety_margin")? {
        l.time_safety_margin = x;
    }
    if let Some(m) = y.time_multipliers {
        if let Some(x) = at_least_one(m.ac_to_time_limit, "ac_to_time_limit")? {
            l.time_multiplier = x;
        }
        if let Some(x) = at_least_one(m.time_limit_to_tle, "time_limit_to_tle")? {
            l.time_safety_margin = x;
        }
    }
    if let Some(x) = positive(y.time_resolution, "time_resolution")? {
        l.time_resolution = secs(x);
    }
    if let Some(x) = positive(y.memory, "memory")? {
        l.memory_bytes = mib(x);
    }
    if let Some(x) = positive(y.output, "output")? {
        l.output_bytes = mib(x);
    }
    if let Some(x) = positive(y.code, "code")? {
        l.code_bytes = (x * 1024.0) as u64;
    }
    if let Some(x) = positive(y.compilation_time, "compilation_time")? {
        l.compilation_time = secs(x);
    }
    if let Some(x) = positive(y.compilation_memory, "compilation_memory")? {
        l.compilation_memory_bytes = mib(x);
    }
    if let Some(x) = positive(y.validation_time, "validation_time")? {
        l.validation_time = secs(x);
    }
    if let Some(x) = positive(y.validation_memory, "validation_memory")? {
        l.validation_memory_bytes = mib(x);
    }
    if let Some(x) = positive(y.validation_output, "validation_output")? {
        l.validation_output_bytes = mib(x);
    }
    if let Some(x) = y.validation_passes {
        if x < 2 {
            return Err((
                PROBLEM_YAML.into(),
                format!("limits.validation_passes must be at least 2, got {x}"),
            ));
        }
        l.validation_passes = x;
    }
    Ok(l)
}
