//! The test data: `data/sample` and `data/secret`, nested groups in lexicographic order,
//! each group's `testdata.yaml`.

use super::{TestCase, TestGroup, sorted_entries};
use std::fs;
use std::path::Path;

use super::yaml::TestdataYaml;

pub(super) type TestsAndGroups = (Vec<TestCase>, Vec<TestGroup>);

pub(super) fn read_tests(root: &Path) -> Result<TestsAndGroups, (String, String)> {
    let mut tests = Vec::new();
    let mut groups = Vec::new();
    for top in ["sample", "secret"] {
        let dir = root.join("data").join(top);
        if dir.is_dir() {
            walk_group(root, &dir, top, top == "sample", &mut tests, &mut groups)?;
        }
    }
    Ok((tests, groups))
}

pub(super) fn walk_group(
    root: &Path,
    dir: &Path,
    group: &str,
    sample: bool,
    tests: &mut Vec<TestCase>,
    groups: &mut Vec<TestGroup>,
) -> Result<(), (String, String)> {
    let rel = format!("data/{group}");
    let score = match fs::read_to_string(dir.join("testdata.yaml")) {
        Ok(text) if !text.trim().is_empty() => {
            let y: TestdataYaml = serde_norway::from_str(&text)
                .map_err(|e| (format!("{rel}/testdata.yaml"), e.to_string()))?;
            y.score
        }
        _ => None,
    };
    groups.push(TestGroup {
        name: group.to_owned(),
        score,
    });
    for entry in sorted_entries(dir).map_err(|e| (rel.clone(), e))? {
        let file_name = entry
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if entry.is_dir() {
            walk_group(
                root,
                &entry,
                &format!("{group}/{file_name}"),
                sample,
                tests,
                groups,
            )?;
        } else if let Some(stem) = file_name.strip_suffix(".in") {
            let answer = dir.join(format!("{stem}.ans"));
            if !answer.is_file() {
                return Err((
                    format!("{rel}/{file_name}"),
                    format!("no answer file `{stem}.ans` beside it"),
                ));
            }
            tests.push(TestCase {
                name: format!("{group}/{stem}"),
                group: group.to_owned(),
                sample,
                input: entry.clone(),
                answer,
            });
        }
    }
    let _ = root;
    Ok(())
}
