//! A 2023-07 package and its legacy twin judge alike: random answers, submission outputs,
//! default-validator flags and memory limits, written in both layouts, judged with the
//! same submission in the native sandbox, give the same verdict on every test.

mod common;

use codehub_judge::judge::{Judge, JudgeOptions};
use codehub_judge::language::{LanguageTable, SourceFile};
use codehub_judge::package::{FormatVersion, Problem};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::path::Path;
use std::sync::Arc;

/// A tiny problem: three cases (one sample), each answered by one token.
#[derive(Debug, Clone)]
struct Case {
    answers: Vec<&'static str>,
    outputs: Vec<&'static str>,
    case_sensitive: bool,
    tolerance: Option<&'static str>,
    memory_mib: u32,
    allocate_mib: u32,
}

const TOKENS: [&str; 6] = ["2.5", "2.5000001", "abc", "ABC", "7", "x y"];

fn case() -> impl Strategy<Value = Case> {
    (
        proptest::collection::vec(proptest::sample::select(&TOKENS[..5]), 3),
        proptest::collection::vec(proptest::sample::select(&TOKENS[..]), 3),
        any::<bool>(),
        proptest::option::of(proptest::sample::select(&["1e-6", "1e-9"][..])),
        proptest::sample::select(&[64u32, 256][..]),
        proptest::sample::select(&[0u32, 120][..]),
    )
        .prop_map(
            |(answers, outputs, case_sensitive, tolerance, memory_mib, allocate_mib)| Case {
                answers,
                outputs,
                case_sensitive,
                tolerance,
                memory_mib,
                allocate_mib,
            },
        )
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// Writes `c` as a legacy package and as a 2023-07 one.
fn write_both(c: &Case, legacy: &Path, modern: &Path) {
    let mut flags = Vec::new();
    if c.case_sensitive {
        flags.push("case_sensitive".to_owned());
    }
    if let Some(t) = c.tolerance {
        flags.extend(["float_tolerance".to_owned(), t.to_owned()]);
    }
    write(
        legacy,
        "problem.yaml",
        &format!(
            "name: Twin\nvalidator_flags: \"{}\"\nlimits:\n  time_limit: 1\n  memory: {}\n",
            flags.join(" "),
            c.memory_mib
        ),
    );
    write(
        modern,
        "problem.yaml",
        &format!(
            "problem_format_version: 2023-07-draft\nname: Twin\nlimits:\n  time_limit: 1\n  \
             memory: {}\n",
            c.memory_mib
        ),
    );
    let args = format!(
        "output_validator_args: [{}]\n",
        flags
            .iter()
            .map(|f| format!("\"{f}\""))
            .collect::<Vec<_>>()
            .join(", ")
    );
    for (i, name) in ["sample/1", "secret/1", "secret/2"].iter().enumerate() {
        for root in [legacy, modern] {
            write(root, &format!("data/{name}.in"), &format!("{i}\n"));
            write(
                root,
                &format!("data/{name}.ans"),
                &format!("{}\n", c.answers[i]),
            );
        }
    }
    for group in ["sample", "secret"] {
        write(modern, &format!("data/{group}/test_group.yaml"), &args);
    }
}

fn submission(c: &Case) -> SourceFile {
    let source = format!(
        "outputs = {:?}\nkeep = bytearray({} << 20)\nprint(outputs[int(input())])\n",
        c.outputs, c.allocate_mib
    );
    SourceFile {
        name: "twin.py".into(),
        contents: source.into_bytes(),
    }
}

#[test]
fn a_2023_07_package_and_its_legacy_twin_give_the_same_verdicts() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let judge = Judge::new(
        common::native_sandbox(2),
        common::native_sandbox(2),
        Arc::new(LanguageTable::builtin()),
    );
    let options = JudgeOptions {
        run_all_tests: true,
        progress: None,
        policy: None,
    };
    let mut runner = TestRunner::new(Config {
        cases: 8,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&case(), |c| {
            let dir = tempfile::tempdir().unwrap();
            let (legacy, modern) = (dir.path().join("legacy"), dir.path().join("modern"));
            write_both(&c, &legacy, &modern);
            let legacy = Problem::load(&legacy).unwrap();
            let modern = Problem::load(&modern).unwrap();
            prop_assert_eq!(legacy.format, FormatVersion::Legacy);
            prop_assert_eq!(modern.format, FormatVersion::V2023_07);
            prop_assert!(modern.warnings.is_empty(), "{:?}", modern.warnings);
            let files = [submission(&c)];
            let (a, b) = rt.block_on(async {
                let a = judge.judge(&legacy, &files, None, &options).await.unwrap();
                let b = judge.judge(&modern, &files, None, &options).await.unwrap();
                (a, b)
            });
            let verdicts = |r: &codehub_judge::judge::JudgeReport| {
                r.tests.iter().map(|t| t.verdict).collect::<Vec<_>>()
            };
            prop_assert_eq!(verdicts(&a), verdicts(&b));
            prop_assert_eq!(a.verdict, b.verdict);
            prop_assert_eq!(a.score, b.score);
            Ok(())
        })
        .unwrap();
}
