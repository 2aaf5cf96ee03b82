//! Tests a standard Polygon package does not hold, made in the sandbox as Polygon's
//! `doall.sh` makes them: `cmd="gen 10 5"` runs the executable `gen` (from `<executables>`)
//! with those arguments and its standard output is the input; the `main` solution's
//! output on an input is its answer.

use super::xml::PolygonXml;
use super::{Conversion, Fault, Pending};
use crate::judge::{Judge, Tool};
use crate::language::SourceFile;
use crate::package::ProblemLimits;
use crate::sandbox::Sandbox;
use std::collections::HashMap;
use std::fs;
use std::path::Path;
use std::time::Duration;

/// CPU time of one generator run.
const GENERATOR_TIME: Duration = Duration::from_secs(30);
/// Largest input or answer made.
const MAX_OUTPUT_BYTES: u64 = 256 << 20;

fn sources(root: &Path, path: &str, headers: &[String]) -> Result<Vec<SourceFile>, Fault> {
    let mut files = Vec::new();
    for p in std::iter::once(path).chain(headers.iter().map(String::as_str)) {
        let full = root.join(p);
        if p != path && !full.is_file() {
            continue;
        }
        let contents = fs::read(&full).map_err(|e| (p.to_owned(), format!("cannot read: {e}")))?;
        let name = Path::new(p)
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        files.push(SourceFile { name, contents });
    }
    Ok(files)
}

async fn compile<S: Sandbox>(
    judge: &Judge<S>,
    root: &Path,
    path: &str,
    headers: &[String],
    limits: &ProblemLimits,
) -> Result<Tool, Fault> {
    let files = sources(root, path, headers)?;
    judge
        .compile_tool(path, limits, &files)
        .await
        .map_err(|e| (path.to_owned(), e.to_string()))?
        .map_err(|m| (path.to_owned(), m))
}

/// Makes every pending input (by its generator) and answer (by the `main` solution).
pub(super) async fn make_tests<S: Sandbox>(
    judge: &Judge<S>,
    root: &Path,
    xml: &PolygonXml,
    pending: &[Pending],
    main: Option<&str>,
    c: &mut Conversion,
) -> Result<(), Fault> {
    let headers = xml.headers();
    let limits = ProblemLimits {
        memory_bytes: xml.testset.memory_bytes.max(256 << 20),
        ..ProblemLimits::default()
    };
    let mut generators: HashMap<String, Tool> = HashMap::new();
    for p in pending {
        let Some(cmd) = &p.cmd else { continue };
        let mut words = cmd.split_whitespace();
        let name = words.next().unwrap_or_default().to_owned();
        let args: Vec<String> = words.map(str::to_owned).collect();
        if !generators.contains_key(&name) {
            let path = xml
                .executables
                .iter()
                .find(|e| Path::new(e).file_stem().is_some_and(|s| s == name.as_str()))
                .ok_or_else(|| {
                    (
                        "problem.xml".to_owned(),
                        format!(
                            "test {}: generator `{name}` is not among the <executables>",
                            p.number
                        ),
                    )
                })?;
            let tool = compile(judge, root, path, &headers, &limits).await?;
            generators.insert(name.clone(), tool);
        }
        let tool = &generators[&name];
        let input = judge
            .run_tool(tool, &limits, &args, None, GENERATOR_TIME, MAX_OUTPUT_BYTES)
            .await
            .map_err(|e| ("problem.xml".to_owned(), e.to_string()))?
            .map_err(|m| ("problem.xml".to_owned(), format!("test {}: {m}", p.number)))?;
        write(&p.input, &input)?;
        c.generated_inputs += 1;
    }
    let answers: Vec<&Pending> = pending.iter().filter(|p| p.needs_answer).collect();
    if answers.is_empty() {
        return Ok(());
    }
    if xml.interactor.is_some() {
        for p in &answers {
            write(&p.answer, b"")?;
        }
        c.notes.push(format!(
            "{} answers of this interactive problem are not in the package; they are left \
             empty (Polygon makes them from the interactor's output for the main solution)",
            answers.len()
        ));
        return Ok(());
    }
    let main = main.ok_or_else(|| {
        (
            "problem.xml".to_owned(),
            "answers are missing from tests/ and no solution is tagged `main` to make them".into(),
        )
    })?;
    let tool = compile(judge, root, main, &headers, &limits).await?;
    // The reference solution gets ten times the time limit, at least ten seconds.
    let time = (Duration::from_millis(xml.testset.time_limit_ms) * 10).max(Duration::from_secs(10));
    for p in answers {
        let answer = judge
            .run_tool(&tool, &limits, &[], Some(&p.input), time, MAX_OUTPUT_BYTES)
            .await
            .map_err(|e| (main.to_owned(), e.to_string()))?
            .map_err(|m| (main.to_owned(), format!("on test {}: {m}", p.number)))?;
        write(&p.answer, &answer)?;
        c.generated_answers += 1;
    }
    Ok(())
}

fn write(path: &Path, data: &[u8]) -> Result<(), Fault> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| super::io(parent, e))?;
    }
    fs::write(path, data).map_err(|e| super::io(path, e))
}
