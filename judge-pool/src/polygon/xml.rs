//! `problem.xml` of a Polygon package: the parts the import uses.

use roxmltree::{Document, Node};

/// What `problem.xml` says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PolygonXml {
    /// `short-name`.
    pub short_name: String,
    /// `(language, name)` pairs (`english`, `A + B`).
    pub names: Vec<(String, String)>,
    /// `<statement>`s: `(language, path, MIME type)`.
    pub statements: Vec<(String, String, String)>,
    /// `<judging input-file>`: empty for standard input.
    pub input_file: String,
    /// `<judging output-file>`: empty for standard output.
    pub output_file: String,
    /// The testset named `tests` (the one judged).
    pub testset: Testset,
    /// Other testsets' names (not judged; reported).
    pub other_testsets: Vec<String>,
    /// `<resources>` file paths (`files/testlib.h`).
    pub resources: Vec<String>,
    /// `<executables>` source paths (`files/gen.cpp`).
    pub executables: Vec<String>,
    /// The checker's source path and `name` (`std::wcmp.cpp` for a standard one).
    pub checker: Option<(String, Option<String>)>,
    /// The interactor's source path.
    pub interactor: Option<String>,
    /// Validators' source paths.
    pub validators: Vec<String>,
    /// `(tag, source path)` of each solution.
    pub solutions: Vec<(String, String)>,
}

/// A testset.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Testset {
    /// CPU time limit, ms.
    pub time_limit_ms: u64,
    /// Memory limit, bytes.
    pub memory_bytes: u64,
    /// `tests/%02d`.
    pub input_pattern: String,
    /// `tests/%02d.a`.
    pub answer_pattern: String,
    /// The tests, in order (1-based numbers in the patterns).
    pub tests: Vec<Test>,
    /// The groups, if any.
    pub groups: Vec<Group>,
}

/// A test.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Test {
    /// `method="generated"`: made by `cmd`.
    pub generated: bool,
    /// `cmd`: generator name and arguments.
    pub cmd: Option<String>,
    /// `from-file`: which of a multi-file generator's outputs.
    pub from_file: Option<String>,
    /// Shown in the statement.
    pub sample: bool,
    /// Group name.
    pub group: Option<String>,
    /// Points of the test.
    pub points: Option<f64>,
}

/// A group of tests.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Group {
    /// Name.
    pub name: String,
    /// Points (`complete-group`: all or nothing; `each-test`: the tests' own points).
    pub points: Option<f64>,
    /// `points-policy`: `complete-group` or `each-test`.
    pub each_test: bool,
    /// Groups that must be passed first.
    pub dependencies: Vec<String>,
}

impl PolygonXml {
    /// The headers among the resources (`testlib.h` and the package's own), which every
    /// program of the package compiles with.
    pub fn headers(&self) -> Vec<String> {
        self.resources
            .iter()
            .filter(|r| r.ends_with(".h") || r.ends_with(".hpp"))
            .cloned()
            .collect()
    }
}

fn child<'a>(node: Node<'a, 'a>, name: &str) -> Option<Node<'a, 'a>> {
    node.children().find(|c| c.has_tag_name(name))
}

fn children<'a>(node: Node<'a, 'a>, name: &'a str) -> impl Iterator<Item = Node<'a, 'a>> {
    node.children().filter(move |c| c.has_tag_name(name))
}

fn text(node: Option<Node>) -> String {
    node.and_then(|n| n.text())
        .unwrap_or_default()
        .trim()
        .to_owned()
}

fn source_of(node: Node) -> Option<String> {
    child(node, "source").and_then(|s| s.attribute("path").map(str::to_owned))
}

/// Parses `problem.xml`.
///
/// # Errors
/// A message naming what is missing or malformed.
pub fn parse(xml: &str) -> Result<PolygonXml, String> {
    let doc = Document::parse(xml).map_err(|e| format!("not valid XML: {e}"))?;
    let root = doc.root_element();
    if !root.has_tag_name("problem") {
        return Err("the root element must be <problem>".into());
    }
    let mut out = PolygonXml {
        short_name: root.attribute("short-name").unwrap_or_default().to_owned(),
        ..PolygonXml::default()
    };
    if let Some(names) = child(root, "names") {
        for n in children(names, "name") {
            if let (Some(l), Some(v)) = (n.attribute("language"), n.attribute("value")) {
                out.names.push((l.to_owned(), v.to_owned()));
            }
        }
    }
    if let Some(statements) = child(root, "statements") {
        for s in children(statements, "statement") {
            let get = |a: &str| s.attribute(a).unwrap_or_default().to_owned();
            out.statements
                .push((get("language"), get("path"), get("type")));
        }
    }
    let judging = child(root, "judging").ok_or("<judging> is missing")?;
    out.input_file = judging.attribute("input-file").unwrap_or_default().into();
    out.output_file = judging.attribute("output-file").unwrap_or_default().into();
    let mut found = false;
    for set in children(judging, "testset") {
        let name = set.attribute("name").unwrap_or_default();
        if name != "tests" {
            out.other_testsets.push(name.to_owned());
            continue;
        }
        found = true;
        out.testset = testset(set)?;
    }
    if !found {
        return Err("<judging> has no <testset name=\"tests\">".into());
    }
    if let Some(files) = child(root, "files") {
        if let Some(r) = child(files, "resources") {
            out.resources = children(r, "file")
                .filter_map(|f| f.attribute("path").map(str::to_owned))
                .collect();
        }
        if let Some(e) = child(files, "executables") {
            out.executables = children(e, "executable").filter_map(source_of).collect();
        }
    }
    if let Some(assets) = child(root, "assets") {
        if let Some(c) = child(assets, "checker") {
            let path = source_of(c).ok_or("<checker> has no <source path>")?;
            out.checker = Some((path, c.attribute("name").map(str::to_owned)));
        }
        if let Some(i) = child(assets, "interactor") {
            out.interactor = Some(source_of(i).ok_or("<interactor> has no <source path>")?);
        }
        if let Some(v) = child(assets, "validators") {
            out.validators = children(v, "validator").filter_map(source_of).collect();
        }
        if let Some(s) = child(assets, "solutions") {
            for sol in children(s, "solution") {
                if let Some(path) = source_of(sol) {
                    let tag = sol.attribute("tag").unwrap_or("accepted").to_owned();
                    out.solutions.push((tag, path));
                }
            }
        }
    }
    Ok(out)
}

fn number<T: std::str::FromStr>(node: Node, name: &str) -> Result<T, String> {
    let t = text(child(node, name));
    t.parse()
        .map_err(|_| format!("<{name}> must be a number, not `{t}`"))
}

fn testset(set: Node) -> Result<Testset, String> {
    let mut out = Testset {
        time_limit_ms: number(set, "time-limit")?,
        memory_bytes: number(set, "memory-limit")?,
        input_pattern: text(child(set, "input-path-pattern")),
        answer_pattern: text(child(set, "answer-path-pattern")),
        ..Testset::default()
    };
    if out.input_pattern.is_empty() || out.answer_pattern.is_empty() {
        return Err("the testset needs <input-path-pattern> and <answer-path-pattern>".into());
    }
    let points = |n: Node| -> Result<Option<f64>, String> {
        n.attribute("points")
            .map(|p| {
                p.parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite() && *x >= 0.0)
                    .ok_or_else(|| format!("points=\"{p}\" is not a number"))
            })
            .transpose()
    };
    if let Some(tests) = child(set, "tests") {
        for t in children(tests, "test") {
            out.tests.push(Test {
                generated: t.attribute("method") == Some("generated"),
                cmd: t.attribute("cmd").map(str::to_owned),
                from_file: t.attribute("from-file").map(str::to_owned),
                sample: t.attribute("sample") == Some("true"),
                group: t.attribute("group").map(str::to_owned),
                points: points(t)?,
            });
        }
    }
    let declared: Option<usize> = text(child(set, "test-count")).parse().ok();
    if declared.is_some_and(|n| n != out.tests.len()) {
        return Err(format!(
            "<test-count> says {} but {} <test>s are listed",
            declared.unwrap_or_default(),
            out.tests.len()
        ));
    }
    if let Some(groups) = child(set, "groups") {
        for g in children(groups, "group") {
            out.groups.push(Group {
                name: g.attribute("name").unwrap_or_default().to_owned(),
                points: points(g)?,
                each_test: g.attribute("points-policy") == Some("each-test"),
                dependencies: child(g, "dependencies")
                    .map(|d| {
                        children(d, "dependency")
                            .filter_map(|x| x.attribute("group").map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default(),
            });
        }
    }
    Ok(out)
}

/// A path pattern (`tests/%02d`) for test `n`: `%d` with an optional zero-padded width.
pub fn pattern(pattern: &str, n: usize) -> String {
    let Some(at) = pattern.find('%') else {
        return pattern.to_owned();
    };
    let rest = &pattern[at + 1..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let after = &rest[digits.len()..];
    let Some(after) = after.strip_prefix('d') else {
        return pattern.to_owned();
    };
    let width: usize = digits.trim_start_matches('0').parse().unwrap_or(0);
    format!("{}{n:0width$}{after}", &pattern[..at])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_number_tests_like_printf() {
        assert_eq!(pattern("tests/%02d", 3), "tests/03");
        assert_eq!(pattern("tests/%02d.a", 12), "tests/12.a");
        assert_eq!(pattern("tests/%d", 7), "tests/7");
        assert_eq!(pattern("tests/%03d.in", 5), "tests/005.in");
    }

    #[test]
    fn a_problem_xml_is_read_with_tests_groups_and_assets() {
        let xml = r#"<?xml version="1.0" encoding="utf-8"?>
<problem revision="3" short-name="sum">
  <names><name language="english" value="Sum"/><name language="russian" value="Сумма"/></names>
  <judging input-file="" output-file="">
    <testset name="tests">
      <time-limit>2000</time-limit>
      <memory-limit>268435456</memory-limit>
      <test-count>3</test-count>
      <input-path-pattern>tests/%02d</input-path-pattern>
      <answer-path-pattern>tests/%02d.a</answer-path-pattern>
      <tests>
        <test method="manual" sample="true" group="0" points="0"/>
        <test cmd="gen 5 1" method="generated" group="1" points="40"/>
        <test cmd="gen 9 2" method="generated" group="1"/>
      </tests>
      <groups>
        <group name="0" points="0" points-policy="complete-group"/>
        <group name="1" points="40" points-policy="each-test"><dependencies><dependency group="0"/></dependencies></group>
      </groups>
    </testset>
    <testset name="pretests"><time-limit>1</time-limit><memory-limit>1</memory-limit>
      <input-path-pattern>p/%02d</input-path-pattern><answer-path-pattern>p/%02d.a</answer-path-pattern></testset>
  </judging>
  <files>
    <resources><file path="files/testlib.h" type="h.g++"/></resources>
    <executables><executable><source path="files/gen.cpp" type="cpp.g++17"/></executable></executables>
  </files>
  <assets>
    <checker name="std::wcmp.cpp" type="testlib"><source path="files/check.cpp" type="cpp.g++17"/></checker>
    <validators><validator><source path="files/val.cpp" type="cpp.g++17"/></validator></validators>
    <solutions><solution tag="main"><source path="solutions/a.cpp" type="cpp.g++17"/></solution>
      <solution tag="wrong-answer"><source path="solutions/wa.py" type="python.3"/></solution></solutions>
  </assets>
</problem>"#;
        let p = parse(xml).unwrap();
        assert_eq!(p.short_name, "sum");
        assert_eq!(p.names[1], ("russian".into(), "Сумма".into()));
        assert_eq!(p.testset.time_limit_ms, 2000);
        assert_eq!(p.testset.memory_bytes, 256 << 20);
        assert_eq!(p.testset.tests.len(), 3);
        assert!(p.testset.tests[0].sample && !p.testset.tests[0].generated);
        assert_eq!(p.testset.tests[1].cmd.as_deref(), Some("gen 5 1"));
        assert_eq!(p.testset.tests[1].points, Some(40.0));
        assert_eq!(p.testset.groups[1].dependencies, vec!["0".to_owned()]);
        assert!(p.testset.groups[1].each_test);
        assert_eq!(p.other_testsets, vec!["pretests".to_owned()]);
        assert_eq!(p.executables, vec!["files/gen.cpp".to_owned()]);
        assert_eq!(
            p.checker,
            Some(("files/check.cpp".into(), Some("std::wcmp.cpp".into())))
        );
        assert_eq!(p.validators, vec!["files/val.cpp".to_owned()]);
        assert_eq!(
            p.solutions[1],
            ("wrong-answer".into(), "solutions/wa.py".into())
        );
    }

    #[test]
    fn malformed_files_say_what_is_wrong() {
        assert!(parse("<problem").unwrap_err().contains("not valid XML"));
        assert!(parse("<contest/>").unwrap_err().contains("<problem>"));
        assert!(parse("<problem/>").unwrap_err().contains("<judging>"));
        let miscounted = r#"<problem><judging><testset name="tests"><time-limit>1000</time-limit>
            <memory-limit>1024</memory-limit><test-count>2</test-count>
            <input-path-pattern>t/%02d</input-path-pattern><answer-path-pattern>t/%02d.a</answer-path-pattern>
            <tests><test method="manual"/></tests></testset></judging></problem>"#;
        assert!(parse(miscounted).unwrap_err().contains("test-count"));
    }
}
