//! `codehub.yaml`: CodeHub's own keys beside `problem.yaml`, read by CodeHub only (as
//! DOMjudge keeps `domjudge-problem.ini` beside a Kattis package). The Polygon import
//! writes it: the package's checker, interactor and validators follow testlib's
//! conventions, not Kattis'.
//!
//! ```yaml
//! converted_from: polygon
//! output_validator_protocol: testlib   # kattis (default) | testlib
//! input_validator_protocol: testlib    # kattis (default) | testlib
//! interactor_checker: checker          # testlib checker run on the interactor's output
//! ```

use super::yaml::{Fault, Warnings, read_map};
use serde::Serialize;
use std::path::Path;

/// How a package program (validator, checker, interactor) is called and what its exit
/// code means.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Protocol {
    /// Kattis: `validator input answer feedback_dir/ < output`, 42 accepts, 43 rejects;
    /// input validators read the input on stdin, 42 valid.
    #[default]
    Kattis,
    /// testlib: `checker input output answer`, 0 accepts, 1/2/4/8 reject (WA, PE,
    /// dirt, unexpected end of file), 3 is the checker's own failure, 7 and ≥ 16 give
    /// points; `interactor input output` with the submission on stdin/stdout; input
    /// validators read stdin, 0 valid.
    Testlib,
}

impl Protocol {
    fn parse(text: &str) -> Option<Protocol> {
        match text {
            "kattis" => Some(Protocol::Kattis),
            "testlib" => Some(Protocol::Testlib),
            _ => None,
        }
    }
}

/// What `codehub.yaml` says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct CodehubYaml {
    /// Where the package came from (`polygon`), if converted.
    pub(super) converted_from: Option<String>,
    /// Protocol of the output validator (or interactor).
    pub(super) output_validator: Protocol,
    /// Protocol of the input validators.
    pub(super) input_validators: Protocol,
    /// Directory (relative to the root) of a testlib checker run after the interactor.
    pub(super) interactor_checker: Option<String>,
}

/// The name of the file.
pub const FILE: &str = "codehub.yaml";

/// Reads `codehub.yaml` under `root`; defaults when there is none.
pub(super) fn read(root: &Path, w: &mut Warnings) -> Result<CodehubYaml, Fault> {
    let Some(map) = read_map(root, FILE)? else {
        return Ok(CodehubYaml::default());
    };
    let mut out = CodehubYaml::default();
    for (key, value) in map {
        let key = key.as_str().unwrap_or_default().to_owned();
        let text = || {
            value
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| (FILE.to_owned(), format!("`{key}` must be a string")))
        };
        let protocol = |t: String| {
            Protocol::parse(&t).ok_or_else(|| {
                (
                    FILE.to_owned(),
                    format!("`{key}: {t}`: the protocol is `kattis` or `testlib`"),
                )
            })
        };
        match key.as_str() {
            "converted_from" => out.converted_from = Some(text()?),
            "output_validator_protocol" => out.output_validator = protocol(text()?)?,
            "input_validator_protocol" => out.input_validators = protocol(text()?)?,
            "interactor_checker" => {
                let dir = text()?;
                if dir.is_empty() || dir.starts_with('/') || dir.split('/').any(|p| p == "..") {
                    return Err((
                        FILE.to_owned(),
                        format!("`interactor_checker: {dir}` must be a directory of the package"),
                    ));
                }
                out.interactor_checker = Some(dir);
            }
            _ => w.push(FILE, format!("unknown key `{key}`, ignored")),
        }
    }
    Ok(out)
}
