//! The scoring keys of a 2023-07 scoring problem (`max_score`, `score_aggregation`,
//! `require_pass` of `secret` and its groups), with the format's defaults and rules.

use super::testdata::RawScoring;
use super::yaml::{Fault, Warnings};
use super::{Aggregation, GroupScoring, TestCase, TestGroup};
use serde_norway::Value;

/// Gives `secret` and each of its groups their [`GroupScoring`] (scoring problems), or
/// warns that the keys are ignored (pass-fail problems).
pub(super) fn resolve(
    groups: &mut [TestGroup],
    tests: &[TestCase],
    raws: Vec<RawScoring>,
    scoring: bool,
    w: &mut Warnings,
) -> Result<(), Fault> {
    if !scoring {
        for raw in raws {
            w.push(
                &raw.file,
                "`max_score`, `score_aggregation` and `require_pass` only apply to scoring \
                 problems, ignored",
            );
        }
        return Ok(());
    }
    let names: Vec<String> = groups.iter().map(|g| g.name.clone()).collect();
    let direct = |name: &str| {
        name.strip_prefix("secret/")
            .is_some_and(|rest| !rest.contains('/'))
    };
    let has_tests = |g: &str| tests.iter().any(|t| t.name.starts_with(&format!("{g}/")));
    let subgroups: Vec<String> = names
        .iter()
        .filter(|n| direct(n) && has_tests(n))
        .cloned()
        .collect();
    if !subgroups.is_empty() && tests.iter().any(|t| t.group == "secret") {
        return Err((
            "data/secret".into(),
            "a scoring problem's secret data holds test cases or groups, not both".into(),
        ));
    }
    let mut resolved = Vec::new();
    for raw in &raws {
        if raw.group != "secret" && !direct(&raw.group) {
            w.push(
                &raw.file,
                "groups do not nest in 2023-07: scoring keys below a group are ignored",
            );
        }
    }
    let raw_of = |g: &str| raws.iter().find(|r| r.group == g);
    let file_of =
        |g: &str| raw_of(g).map_or_else(|| format!("data/{g}/test_group.yaml"), |r| r.file.clone());
    for g in std::iter::once("secret".to_owned()).chain(subgroups.iter().cloned()) {
        let is_secret = g == "secret";
        let raw = raw_of(&g);
        let file = file_of(&g);
        let aggregation = match raw.and_then(|r| r.aggregation.as_deref()) {
            None if is_secret => Aggregation::Sum,
            None => Aggregation::PassFail,
            Some("pass-fail") => Aggregation::PassFail,
            Some("sum") => Aggregation::Sum,
            Some("min") => Aggregation::Min,
            Some(other) => {
                return Err((
                    file,
                    format!("`score_aggregation: {other}` (use pass-fail, sum or min)"),
                ));
            }
        };
        let max_score = match raw.and_then(|r| r.max_score.as_ref()) {
            None if is_secret => Some(100.0),
            None => None,
            Some(Value::String(s)) if s == "unbounded" => None,
            Some(v) => match v.as_f64() {
                Some(x) if x.is_finite() && x >= 0.0 => Some(x),
                _ => {
                    return Err((
                        file,
                        "`max_score` must be a non-negative number or `unbounded`".into(),
                    ));
                }
            },
        };
        let require_pass: Vec<String> = match raw.and_then(|r| r.require_pass.as_ref()) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Sequence(items)) => items
                .iter()
                .map(|i| i.as_str().map(str::to_owned))
                .collect::<Option<_>>()
                .ok_or_else(|| {
                    (
                        file.clone(),
                        "`require_pass` must be names of groups".into(),
                    )
                })?,
            Some(_) => {
                return Err((file, "`require_pass` must be names of groups".into()));
            }
        };
        for r in &require_pass {
            let known = r == "sample" || subgroups.contains(r);
            let allowed = if is_secret {
                r == "sample"
            } else {
                r.as_str() < g.as_str()
            };
            if !known || !allowed {
                return Err((
                    file,
                    format!(
                        "`require_pass: {r}`: must name `sample` or an earlier group of secret"
                    ),
                ));
            }
        }
        if aggregation == Aggregation::PassFail && max_score.is_none() {
            return Err((
                file,
                "`max_score` is needed: a pass-fail group has a bounded score".into(),
            ));
        }
        resolved.push((
            g,
            GroupScoring {
                aggregation,
                max_score,
                require_pass,
            },
        ));
    }
    let secret = resolved[0].1.clone();
    for (g, s) in &resolved[1..] {
        let file = file_of(g);
        if secret.max_score.is_some() && s.max_score.is_none() {
            return Err((
                file,
                "`max_score` is needed: secret's score is bounded (100 unless its \
                 test_group.yaml says otherwise), so every group's must be"
                    .into(),
            ));
        }
        if secret.aggregation == Aggregation::PassFail && s.aggregation != Aggregation::PassFail {
            return Err((
                file,
                "`score_aggregation` must be pass-fail when secret's is".into(),
            ));
        }
    }
    for (g, s) in &resolved {
        for r in &s.require_pass {
            let pass_fail = r == "sample"
                || resolved
                    .iter()
                    .any(|(n, o)| n == r && o.aggregation == Aggregation::PassFail);
            if !pass_fail {
                return Err((
                    file_of(g),
                    format!("`require_pass: {r}`: that group must have pass-fail aggregation"),
                ));
            }
        }
    }
    for (g, s) in resolved {
        if let Some(group) = groups.iter_mut().find(|x| x.name == g) {
            group.scoring = Some(s);
        }
    }
    Ok(())
}
