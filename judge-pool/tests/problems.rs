//! Every test problem package: its shipped submissions get the verdicts their
//! directories promise (what `codehub verify-problem` checks), in the native sandbox.

mod common;

use codehub_judge::judge::{Judge, JudgeOptions};
use codehub_judge::language::{LanguageTable, SourceFile};
use codehub_judge::package::Problem;
use codehub_judge::polygon;
use codehub_judge::verify::verify_problem;
use std::sync::Arc;

fn judge() -> Judge<codehub_judge::sandbox::native::NativeSandbox> {
    Judge::new(
        common::native_sandbox(2),
        common::native_sandbox(2),
        Arc::new(LanguageTable::builtin()),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_package_verifies_without_a_mismatch() {
    let judge = judge();
    let mut names: Vec<String> = std::fs::read_dir(common::problems_dir())
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(
        names.len() >= 5,
        "expected the five test packages, found {names:?}"
    );
    let mut failures = Vec::new();
    for name in &names {
        // Polygon packages are imported first (their tests made in the sandbox).
        let (mut problem, _) = polygon::load(&common::problems_dir().join(name), Some(&judge))
            .await
            .unwrap();
        let report = verify_problem(&judge, &mut problem, 2).await.unwrap();
        assert!(
            !report.submissions.is_empty(),
            "{name} ships no submissions"
        );
        for e in report.mismatches() {
            failures.push(format!(
                "{name}: {} expected {} got {:?} ({:?})",
                e.submission, e.expected, e.got, e.error
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ioi_mode_runs_every_test_and_scores_groups() {
    let judge = judge();
    let problem = Problem::load(&common::problems_dir().join("groups")).unwrap();
    let overflow = problem
        .submissions()
        .unwrap()
        .into_iter()
        .find(|s| {
            s.expectation.verdict == Some(codehub_engine::Verdict::WrongAnswer)
                && s.path.to_string_lossy().ends_with(".c")
        })
        .expect("groups ships a C wrong answer (32-bit overflow)");
    let options = JudgeOptions {
        run_all_tests: true,
        progress: None,
        policy: None,
    };
    let report = judge
        .judge(&problem, &overflow.files, None, &options)
        .await
        .unwrap();
    assert_eq!(report.tests.len(), problem.tests.len(), "every test runs");
    let group1 = problem
        .group_score("secret/group1")
        .expect("group1 has points");
    assert_eq!(
        report.score,
        Some(group1),
        "only the small group passes: {:?}",
        report.tests
    );

    let accepted = problem
        .submissions()
        .unwrap()
        .into_iter()
        .find(|s| s.expectation.verdict == Some(codehub_engine::Verdict::Accepted))
        .unwrap();
    let report = judge
        .judge(&problem, &accepted.files, None, &options)
        .await
        .unwrap();
    let all: f64 = problem.groups.iter().filter_map(|g| g.score).sum();
    assert_eq!(report.score, Some(all));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_is_reported_and_bad_requests_are_refused() {
    let judge = judge();
    let problem = Problem::load(&common::problems_dir().join("hello")).unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::channel(1024);
    let files = [SourceFile {
        name: "a.c".into(),
        contents: b"#include <stdio.h>\nint main(){puts(\"Hello World!\");}".to_vec(),
    }];
    let options = JudgeOptions {
        run_all_tests: false,
        progress: Some(tx),
        policy: None,
    };
    let report = judge.judge(&problem, &files, None, &options).await.unwrap();
    assert_eq!(report.verdict, codehub_engine::Verdict::Accepted);
    drop(options);
    let mut steps = Vec::new();
    while let Some(p) = rx.recv().await {
        steps.push(serde_json::to_string(&p).unwrap());
    }
    assert_eq!(steps[0], r#"{"state":"compiling"}"#);
    assert_eq!(
        steps.last().unwrap(),
        &format!(
            r#"{{"state":"running","test":{n},"total":{n}}}"#,
            n = problem.tests.len()
        )
    );

    let opts = JudgeOptions::default();
    let e = judge
        .judge(&problem, &files, Some("cobol"), &opts)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("unknown language `cobol`"), "{e}");
    let txt = [SourceFile {
        name: "notes.txt".into(),
        contents: b"hi".to_vec(),
    }];
    let e = judge.judge(&problem, &txt, None, &opts).await.unwrap_err();
    assert!(e.to_string().contains("notes.txt"), "{e}");
    let big = [SourceFile {
        name: "a.c".into(),
        contents: vec![b' '; (problem.limits.code_bytes + 1) as usize],
    }];
    let e = judge.judge(&problem, &big, None, &opts).await.unwrap_err();
    assert!(e.to_string().contains("at most"), "{e}");
    let e = judge.judge(&problem, &[], None, &opts).await.unwrap_err();
    assert!(e.to_string().contains("no files"), "{e}");
}

/// Copies a test package into `to`, so a test can change it.
fn copy_package(name: &str, to: &std::path::Path) {
    fn copy(from: &std::path::Path, to: &std::path::Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap().flatten() {
            let target = to.join(entry.file_name());
            if entry.path().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }
    copy(&common::problems_dir().join(name), to);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_validator_asking_for_too_many_passes_or_answers_for_programs_are_judge_errors_or_refusals()
 {
    use codehub_engine::Verdict;
    let judge = judge();
    // The validator asks for 3 passes, the package allows 2: a judge error, which says why.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("multipass2023");
    copy_package("multipass2023", &root);
    let yaml = std::fs::read_to_string(root.join("problem.yaml")).unwrap();
    std::fs::write(
        root.join("problem.yaml"),
        yaml.replace("validation_passes: 3", "validation_passes: 2"),
    )
    .unwrap();
    let problem = Problem::load(&root).unwrap();
    let plus_one = [SourceFile {
        name: "plus_one.py".into(),
        contents: b"k, v = map(int, input().split())\nprint(v + 1)\n".to_vec(),
    }];
    let opts = JudgeOptions::default();
    let report = judge.judge(&problem, &plus_one, None, &opts).await.unwrap();
    assert_eq!(report.verdict, Verdict::JudgeError, "{report:?}");
    let why = report.judge_message.unwrap_or_default();
    assert!(
        why.contains("pass 3") && why.contains("validation_passes is 2"),
        "{why}"
    );

    // Answers to a program problem, a program to an answer problem: refused.
    let hello = Problem::load(&common::problems_dir().join("hello")).unwrap();
    let answer = [SourceFile {
        name: "1.out".into(),
        contents: b"7\n".to_vec(),
    }];
    let e = judge
        .judge(&hello, &answer, Some("answer"), &opts)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("takes a program"), "{e}");
    let answers = Problem::load(&common::problems_dir().join("answers2023")).unwrap();
    let e = judge
        .judge(&answers, &plus_one, Some("python3"), &opts)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("takes answer files"), "{e}");
}

/// The Polygon package imports with its generated tests made in the sandbox, and its
/// testlib checker's verdicts and the groups' points come out as its authors meant.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_polygon_package_imports_and_scores_its_groups() {
    let judge = judge();
    let path = common::problems_dir().join("polygonsum");
    let (problem, conversion) = polygon::load(&path, Some(&judge)).await.unwrap();
    let c = conversion.expect("polygonsum is a Polygon package");
    assert_eq!(c.short_name, "polygonsum");
    assert_eq!(
        (c.tests, c.generated_inputs, c.generated_answers),
        (6, 4, 6)
    );
    assert!(
        c.notes.iter().any(|n| n.contains("slowish.py")),
        "the tag without a 2023-07 directory is reported: {:?}",
        c.notes
    );
    assert!(problem.kind.scoring);
    let statement = std::fs::read_to_string(problem.statement_file().unwrap()).unwrap();
    assert!(statement.contains("print their **sum**"), "{statement}");
    assert!(statement.contains("## Scoring\n\n- Group 1"), "{statement}");
    let inputs = judge
        .validate_inputs(&problem, &problem.input_validator_programs().unwrap())
        .await
        .unwrap();
    assert_eq!((inputs.validators, inputs.inputs), (1, 6));
    assert!(inputs.failures.is_empty(), "{:?}", inputs.failures);
    let by_name = |needle: &str| {
        problem
            .submissions()
            .unwrap()
            .into_iter()
            .find(|s| s.path.to_string_lossy().ends_with(needle))
            .unwrap()
    };
    let options = JudgeOptions::default();
    let overflow = judge
        .judge(&problem, &by_name("overflow.c").files, None, &options)
        .await
        .unwrap();
    assert_eq!(overflow.score, Some(30.0), "group 1 only: {overflow:?}");
    let labelled = judge
        .judge(&problem, &by_name("labelled.py").files, None, &options)
        .await
        .unwrap();
    assert_eq!(labelled.verdict, codehub_engine::Verdict::WrongAnswer);
    let message = labelled.tests[0].message.as_deref().unwrap_or_default();
    assert!(
        message.starts_with("wrong output format expected an integer"),
        "the checker's stderr is the judge message: {message}"
    );
    let main = judge
        .judge(&problem, &by_name("sum.cpp").files, None, &options)
        .await
        .unwrap();
    assert_eq!(
        (main.verdict, main.score),
        (codehub_engine::Verdict::Accepted, Some(100.0))
    );
}

/// A Polygon interactive problem: the checker runs on what the interactor wrote, after an
/// interaction the interactor accepted, and can still reject it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_polygon_interactors_output_goes_to_its_checker() {
    let judge = judge();
    let path = common::problems_dir().join("polygonguess");
    let (problem, _) = polygon::load(&path, Some(&judge)).await.unwrap();
    assert!(problem.kind.interactive && problem.interactor_checker.is_some());
    let source = |name: &str| {
        let path = path.join("solutions").join(name);
        vec![SourceFile {
            name: name.into(),
            contents: std::fs::read(path).unwrap(),
        }]
    };
    let options = JudgeOptions::default();
    let steps = judge
        .judge(&problem, &source("steps.py"), None, &options)
        .await
        .unwrap();
    assert_eq!(steps.verdict, codehub_engine::Verdict::WrongAnswer);
    let failed = steps.tests.last().unwrap();
    assert_eq!(failed.name, "secret/003", "{steps:?}");
    assert!(
        failed
            .message
            .as_deref()
            .is_some_and(|m| m.contains("17 queries, at most 10 allowed")),
        "the checker's message: {failed:?}"
    );
    let bisect = judge
        .judge(&problem, &source("bisect.cpp"), None, &options)
        .await
        .unwrap();
    assert_eq!(
        bisect.verdict,
        codehub_engine::Verdict::Accepted,
        "{bisect:?}"
    );
    assert!(
        bisect.tests[0]
            .message
            .as_deref()
            .is_some_and(|m| m.starts_with("ok ") && m.contains("queries")),
        "{bisect:?}"
    );
}

/// With a single validator environment, the interactor's checker is still compiled and
/// run: its compilation does not wait for a second environment while the judging holds
/// the only one (that wait never ended, so Polygon interactive problems hung whenever
/// every validator environment was held by a judging reaching its first check).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interactors_checker_compiles_with_one_validator_environment() {
    let judge = Judge::new(
        common::native_sandbox(1),
        common::native_sandbox(1),
        Arc::new(LanguageTable::builtin()),
    );
    let path = common::problems_dir().join("polygonguess");
    let (problem, _) = polygon::load(&path, Some(&judge)).await.unwrap();
    let source = vec![SourceFile {
        name: "bisect.cpp".into(),
        contents: std::fs::read(path.join("solutions/bisect.cpp")).unwrap(),
    }];
    let judged = tokio::time::timeout(
        std::time::Duration::from_secs(120),
        judge.judge(&problem, &source, None, &JudgeOptions::default()),
    )
    .await
    .expect("judging finishes (it waited for a second validator environment)")
    .unwrap();
    assert_eq!(
        judged.verdict,
        codehub_engine::Verdict::Accepted,
        "{judged:?}"
    );
}
