//! The import of full packages (every test present): no sandbox needed.

use super::*;
use crate::package::{Aggregation, Problem, Protocol};
use crate::sandbox::native::NativeSandbox;

fn put(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

const XML: &str = r#"<problem short-name="pairs">
  <names><name language="english" value="Pairs"/></names>
  <judging input-file="" output-file="">
    <testset name="tests">
      <time-limit>1500</time-limit><memory-limit>134217728</memory-limit><test-count>3</test-count>
      <input-path-pattern>tests/%02d</input-path-pattern><answer-path-pattern>tests/%02d.a</answer-path-pattern>
      <tests>
        <test method="manual" sample="true" group="0"/>
        <test method="generated" cmd="gen 1" group="1"/>
        <test method="generated" cmd="gen 2" group="1"/>
      </tests>
      <groups>
        <group name="0" points="0" points-policy="complete-group"/>
        <group name="1" points="25" points-policy="complete-group"><dependencies><dependency group="0"/></dependencies></group>
      </groups>
    </testset>
  </judging>
  <files><resources><file path="files/testlib.h"/></resources></files>
  <assets>
    <checker type="testlib"><source path="files/check.cpp"/></checker>
    <solutions>
      <solution tag="main"><source path="solutions/a.py"/></solution>
      <solution tag="time-limit-exceeded-or-accepted"><source path="solutions/b.py"/></solution>
    </solutions>
  </assets>
</problem>"#;

fn full_package(root: &Path) {
    put(root, "problem.xml", XML);
    for n in 1..=3 {
        put(root, &format!("tests/{n:02}"), &format!("{n}\n"));
        put(root, &format!("tests/{n:02}.a"), &format!("{}\n", n * 2));
    }
    put(root, "files/testlib.h", "// the package's own header\n");
    put(
        root,
        "files/check.cpp",
        "#include \"testlib.h\"\nint main() {}\n",
    );
    put(root, "solutions/a.py", "print(int(input()) * 2)\n");
    put(root, "solutions/b.py", "print(int(input()) * 2)\n");
}

#[tokio::test]
async fn a_full_package_imports_into_a_kattis_layout_that_loads() {
    let src = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    full_package(src.path());
    let c = import::<NativeSandbox>(src.path(), out.path(), None)
        .await
        .unwrap();
    assert_eq!((c.tests, c.generated_inputs, c.submissions), (3, 0, 1));
    assert!(
        c.notes
            .iter()
            .any(|n| n.contains("time-limit-exceeded-or-accepted")),
        "{:?}",
        c.notes
    );
    let p = Problem::load(out.path()).unwrap();
    assert_eq!(p.name, "Pairs");
    assert!(p.kind.scoring && !p.kind.interactive);
    assert_eq!(p.limits.time_limit, std::time::Duration::from_millis(1500));
    assert_eq!(p.limits.memory_bytes, 128 << 20);
    assert_eq!(p.validator_protocol, Protocol::Testlib);
    assert_eq!(p.converted_from.as_deref(), Some("polygon"));
    let names: Vec<&str> = p
        .validator
        .as_ref()
        .unwrap()
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(names, ["check.cpp", "testlib.h"]);
    let tests: Vec<&str> = p.tests.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        tests,
        ["sample/001", "secret/group01/002", "secret/group01/003"]
    );
    let g = p
        .groups
        .iter()
        .find(|g| g.name == "secret/group01")
        .unwrap();
    let s = g.scoring.as_ref().unwrap();
    assert_eq!(
        (s.max_score, s.aggregation),
        (Some(25.0), Aggregation::PassFail)
    );
    assert_eq!(s.require_pass, vec!["sample".to_owned()]);
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
}

#[tokio::test]
async fn what_would_be_judged_wrongly_is_refused_by_name() {
    let src = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    full_package(src.path());
    fs::remove_file(src.path().join("tests/03")).unwrap();
    let e = import::<NativeSandbox>(src.path(), out.path(), None)
        .await
        .unwrap_err();
    assert!(
        e.message.contains("generated") && e.message.contains("sandbox"),
        "{e}"
    );
    put(
        src.path(),
        "problem.xml",
        &XML.replace(r#"input-file="""#, r#"input-file="pairs.in""#),
    );
    let e = import::<NativeSandbox>(src.path(), tempfile::tempdir().unwrap().path(), None)
        .await
        .unwrap_err();
    assert!(e.message.contains("pairs.in"), "{e}");
    fs::remove_file(src.path().join("problem.xml")).unwrap();
    let e = import::<NativeSandbox>(src.path(), tempfile::tempdir().unwrap().path(), None)
        .await
        .unwrap_err();
    assert_eq!(e.file, Path::new("problem.xml"));
}
