//! Verifying packages beyond their submissions' verdicts, in the native sandbox: a time
//! limit computed from the accepted submissions, input validators that reject an input,
//! and a compile error that explains the compiler's file-size limit.

mod common;

use codehub_engine::Verdict;
use codehub_judge::judge::{Judge, JudgeOptions};
use codehub_judge::language::{LanguageTable, SourceFile};
use codehub_judge::package::Problem;
use codehub_judge::sandbox::native::NativeSandbox;
use codehub_judge::timelimit;
use codehub_judge::verify::{CheckStatus, verify_problem};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

fn judge() -> Judge<NativeSandbox> {
    Judge::new(
        common::native_sandbox(2),
        common::native_sandbox(2),
        Arc::new(LanguageTable::builtin()),
    )
}

fn package(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/verify-problems")
        .join(name)
}

fn status(report: &codehub_judge::verify::VerifyReport, check: &str) -> CheckStatus {
    report
        .checks
        .iter()
        .find(|c| c.check == check)
        .unwrap_or_else(|| panic!("no `{check}` row in {:?}", report.checks))
        .status
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_package_without_a_time_limit_gets_one_from_its_slowest_accepted_submission() {
    let mut problem = Problem::load(&package("untimed")).unwrap();
    assert!(!problem.limits.time_limit_given);

    let report = verify_problem(&judge(), &mut problem, 2).await.unwrap();

    assert!(report.ok, "{:#?}", report.checks);
    let t = &report.time_limit;
    assert!(t.computed);
    assert_eq!(
        t.slowest_submission.as_deref(),
        Some("submissions/accepted/slow.py")
    );
    let slowest = Duration::from_millis(t.slowest_ms.unwrap());
    assert!(slowest >= Duration::from_millis(200), "{slowest:?}");
    let expected = timelimit::compute(slowest, 2.0, Duration::from_millis(250)).unwrap();
    assert_eq!(Duration::from_millis(t.time_limit_ms), expected);
    // The computed limit is the one judged with, and the caller's from now on.
    assert_eq!(problem.limits.time_limit, expected);
    let spin = report
        .submissions
        .iter()
        .find(|e| e.submission.ends_with("spin.py"))
        .unwrap();
    assert_eq!(spin.got, Some(Verdict::TimeLimitExceeded));
    assert_eq!(status(&report, "input validators"), CheckStatus::Ok);
    assert_eq!(status(&report, "time limit"), CheckStatus::Ok);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_input_validator_rejects_the_input_outside_its_arguments_bound() {
    let mut problem = Problem::load(&package("badinput")).unwrap();

    let report = verify_problem(&judge(), &mut problem, 2).await.unwrap();

    assert!(!report.ok);
    assert_eq!(status(&report, "input validators"), CheckStatus::Error);
    assert_eq!(status(&report, "submissions"), CheckStatus::Ok);
    let v = &report.input_validation;
    assert_eq!((v.validators, v.inputs), (1, 3));
    // Only secret/2 breaks `--max 100` (the sample has no bound, secret/1 is within it).
    assert_eq!(v.failures.len(), 1, "{:?}", v.failures);
    let f = &v.failures[0];
    assert_eq!(f.test.as_deref(), Some("secret/2"));
    assert_eq!(f.validator, "bounded");
    assert!(f.message.contains("out of range 0..100"), "{}", f.message);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_compiler_stopped_by_the_file_size_limit_says_so() {
    let problem = Problem::load(&common::problems_dir().join("hello")).unwrap();
    // An initialised 512 MiB array is written into the object file.
    let source = "#include <cstdio>\nstatic char big[512 << 20] = {1};\n\
                  int main() { std::puts(big + 1); }\n";
    let files = [SourceFile {
        name: "big.cpp".into(),
        contents: source.as_bytes().to_vec(),
    }];
    let report = judge()
        .judge(&problem, &files, None, &JudgeOptions::default())
        .await
        .unwrap();
    assert_eq!(report.verdict, Verdict::CompileError);
    assert!(
        report.compile_output.contains("larger than 256 MiB"),
        "{}",
        report.compile_output
    );
}
