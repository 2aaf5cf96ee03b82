//! The `codehub` binary end to end: `judge`, `verify-problem` and `languages`, as a
//! problem setter or contestant runs them.

use std::path::PathBuf;
use std::process::{Command, Output};

fn codehub(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_codehub"))
        .args(args)
        .output()
        .expect("run codehub")
}

fn problems() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../judge-pool/tests/problems")
}

fn path(p: PathBuf) -> String {
    p.to_string_lossy().into_owned()
}

#[test]
fn judge_prints_json_for_every_language() {
    let hello = problems().join("hello");
    for file in ["hello.c", "hello.cpp", "hello.py", "Hello.java", "hello.rs"] {
        let src = path(hello.join("submissions/accepted").join(file));
        let out = codehub(&["judge", "--problem", &path(hello.clone()), "--json", &src]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{file}: {stdout} {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(json["verdict"], "AC", "{file}");
        for key in ["tests", "compile_output", "max_time_ms", "max_memory_kib"] {
            assert!(json.get(key).is_some(), "{file}: missing {key}");
        }
        let tests = json["tests"].as_array().unwrap();
        assert_eq!(tests.len(), 2);
        assert!(tests.iter().all(|t| t["verdict"] == "AC"
            && t.get("time_ms").is_some()
            && t.get("memory_kib").is_some()));
    }
}

#[test]
fn judge_reports_a_compile_error_with_the_compiler_output() {
    let hello = problems().join("hello");
    let src = path(hello.join("submissions/compile_error/missing_semicolon.c"));
    let out = codehub(&["judge", "--problem", &path(hello), "--json", &src]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["verdict"], "CE");
    assert!(json["compile_output"].as_str().unwrap().contains("error"));
}

#[test]
fn verify_problem_passes_a_good_package_and_fails_a_lying_one() {
    let out = codehub(&["verify-problem", &path(problems().join("floats"))]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("all verdicts as expected"));

    // A copy of `hello` whose wrong answer is filed under accepted/.
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("liar");
    let status = Command::new("cp")
        .arg("-r")
        .arg(problems().join("hello"))
        .arg(&copy)
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::rename(
        copy.join("submissions/wrong_answer/comma.c"),
        copy.join("submissions/accepted/comma.c"),
    )
    .unwrap();
    let out = codehub(&["verify-problem", "--json", &path(copy)]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let bad: Vec<&serde_json::Value> = json["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["expected"] != s["got"])
        .collect();
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0]["submission"], "submissions/accepted/comma.c");
    assert_eq!(bad[0]["got"], "WA");
}

#[test]
fn bad_input_gets_a_readable_error_and_exit_status_2() {
    let hello = path(problems().join("hello"));
    let cases: [(&[&str], &str); 4] = [
        (
            &["judge", "--problem", "/nonexistent/problem", "x.c"],
            "problem `problem`",
        ),
        (
            &["judge", "--problem", &hello, "/nonexistent/x.c"],
            "cannot read /nonexistent/x.c",
        ),
        (
            &[
                "judge",
                "--problem",
                &hello,
                "--language",
                "cobol",
                "Cargo.toml",
            ],
            "unknown language `cobol`",
        ),
        (&["verify-problem", "/nonexistent/pkg"], "cannot open"),
    ];
    for (args, expected) in cases {
        let out = codehub(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn languages_lists_versions_found_in_the_sandbox() {
    let out = codehub(&["languages", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    for id in ["c", "cpp", "python3", "java", "rust"] {
        let row = rows
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("{id} listed"));
        assert_eq!(row["available"], true, "{id}");
        assert!(!row["version"].as_str().unwrap().is_empty());
    }
}

#[test]
fn a_language_with_a_missing_toolchain_is_unavailable_not_a_crash() {
    let tmp = tempfile::tempdir().unwrap();
    let table = tmp.path().join("languages.toml");
    std::fs::write(
        &table,
        "[languages.cobol]\nname = \"COBOL\"\nextensions = [\"cob\"]\nversion = [\"cobc\", \"--version\"]\n\
         compile = [\"cobc\", \"-x\", \"{main}\"]\nrun = [\"./{executable}\"]\nexecutable = \"main\"\nsource_name = \"main.cob\"\n",
    )
    .unwrap();
    let out = codehub(&["languages", "--json", "--languages", &path(table.clone())]);
    assert!(out.status.success());
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows[0]["available"], false);
    let src = tmp.path().join("a.cob");
    std::fs::write(&src, "IDENTIFICATION DIVISION.").unwrap();
    let hello = path(problems().join("hello"));
    let out = codehub(&[
        "judge",
        "--problem",
        &hello,
        "--languages",
        &path(table),
        &path(src),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not available"));
}
