//! `problem.yaml` and `testdata.yaml` as the package writes them, and the limits read
//! from them.

use super::ProblemLimits;
use serde::Deserialize;
use std::fs;
use std::path::Path;
use std::time::Duration;

#[derive(Deserialize, Default)]
pub(super) struct ProblemYaml {
    #[serde(default)]
    pub(super) name: Option<serde_norway::Value>,
    #[serde(default)]
    pub(super) validation: Option<String>,
    #[serde(default)]
    pub(super) validator_flags: Option<serde_norway::Value>,
    #[serde(default)]
    pub(super) limits: Option<LimitsYaml>,
}

#[derive(Deserialize, Default)]
pub(super) struct LimitsYaml {
    pub(super) time_limit: Option<f64>,
    pub(super) time_multiplier: Option<f64>,
    pub(super) time_safety_margin: Option<f64>,
    pub(super) memory: Option<f64>,
    pub(super) output: Option<f64>,
    pub(super) code: Option<f64>,
    pub(super) compilation_time: Option<f64>,
    pub(super) compilation_memory: Option<f64>,
    pub(super) validation_time: Option<f64>,
    pub(super) validation_memory: Option<f64>,
    pub(super) validation_output: Option<f64>,
}

#[derive(Deserialize, Default)]
pub(super) struct TestdataYaml {
    #[serde(default)]
    pub(super) score: Option<f64>,
}

pub(super) fn positive(v: Option<f64>, key: &str) -> Result<Option<f64>, (&'static str, String)> {
    match v {
        Some(x) if !(x.is_finite() && x > 0.0) => Err((
            "problem.yaml",
            format!("limits.{key} must be a positive number, got {x}"),
        )),
        other => Ok(other),
    }
}

pub(super) fn read_limits(
    root: &Path,
    y: LimitsYaml,
) -> Result<ProblemLimits, (&'static str, String)> {
    let mut l = ProblemLimits::default();
    let mib = |x: f64| (x * (1 << 20) as f64) as u64;
    let secs = Duration::from_secs_f64;
    if let Some(t) = positive(y.time_limit, "time_limit")? {
        l.time_limit = secs(t);
        l.time_limit_given = true;
    } else if let Ok(text) = fs::read_to_string(root.join(".timelimit")) {
        let t: f64 = text
            .split_whitespace()
            .next()
            .and_then(|w| w.parse().ok())
            .filter(|t: &f64| t.is_finite() && *t > 0.0)
            .ok_or((
                ".timelimit",
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
    Ok(l)
}
