//! `codehub judge`: judge source files on a problem package.

use super::{PolicyArgs, SandboxArgs, with_sandboxes};
use anyhow::Context;
use codehub_engine::Verdict;
use codehub_judge::judge::JudgeOptions;
use codehub_judge::judge::{Judge, JudgeReport};
use codehub_judge::language::{ChoiceError, SourceFile};
use codehub_judge::package::Problem;
use codehub_judge::sandbox::Sandbox;
use codehub_protocol::files::{ANSWER_LANGUAGE, check_source_name};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// Arguments of `codehub judge`.
#[derive(Debug, clap::Args)]
pub struct JudgeArgs {
    /// The problem package (directory or .zip).
    #[arg(long, value_name = "DIR|ZIP")]
    problem: PathBuf,
    /// Language id (see `codehub languages`); detected from the file extensions if omitted.
    #[arg(long)]
    language: Option<String>,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
    /// Run every test instead of stopping at the first failure (IOI style, with a score).
    #[arg(long)]
    all_tests: bool,
    #[command(flatten)]
    sandbox: SandboxArgs,
    #[command(flatten)]
    policy: PolicyArgs,
    /// Source files; several files form one submission. For a submit-answer problem:
    /// answer files, or directories or .zip files holding them (named after test cases:
    /// `1.out` for `secret/1`, `sample.1.out`).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

/// Runs `codehub judge`: exit 0 for AC, 1 for any other verdict, 2 for an error.
///
/// File names are checked first, by the same rules as `POST /api/submissions`: each
/// name by [`check_source_name`], and the files must hold a source file of the language
/// (given, or detected from the extensions); to a submit-answer problem, each answer
/// file must be one of the problem's.
pub async fn run(args: JudgeArgs) -> anyhow::Result<ExitCode> {
    // A full Polygon package (every test present) imports without a sandbox; one whose
    // tests must be generated says to import it first.
    let (problem, _) =
        codehub_judge::polygon::load::<codehub_judge::sandbox::native::NativeSandbox>(
            &args.problem,
            None,
        )
        .await
        .map_err(|e| {
            if codehub_judge::polygon::is_polygon(&args.problem) {
                anyhow::anyhow!("{e}; `codehub import-polygon` makes a Kattis package of it first")
            } else {
                e.into()
            }
        })?;
    if problem.kind.submit_answer {
        if let Some(other) = args.language.as_deref().filter(|l| *l != ANSWER_LANGUAGE) {
            anyhow::bail!(
                "problem `{}` takes answer files (language `{ANSWER_LANGUAGE}`), one per test \
                 case, not a program in `{other}`",
                problem.short_name
            );
        }
        let files = answer_files(
            &args.files,
            &problem.answer_files(),
            problem.limits.output_bytes,
        )?;
        return judge_and_print(&args, &problem, files, Some(ANSWER_LANGUAGE)).await;
    }
    if args.language.as_deref() == Some(ANSWER_LANGUAGE) {
        anyhow::bail!(
            "problem `{}` takes a program, not answer files",
            problem.short_name
        );
    }
    let mut names = Vec::new();
    for path in &args.files {
        let name = path
            .file_name()
            .with_context(|| format!("{}: a source path has no file name", path.display()))?
            .to_string_lossy()
            .into_owned();
        check_source_name(&name).map_err(|e| anyhow::anyhow!("{e}; rename {}", path.display()))?;
        names.push(name);
    }
    let mut files = Vec::new();
    for (path, name) in args.files.iter().zip(names) {
        let contents =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        files.push(SourceFile { name, contents });
    }
    judge_and_print(&args, &problem, files, args.language.as_deref()).await
}

/// Judges `files` (checked) and prints the report; the exit code by the verdict.
async fn judge_and_print(
    args: &JudgeArgs,
    problem: &Problem,
    files: Vec<SourceFile>,
    language: Option<&str>,
) -> anyhow::Result<ExitCode> {
    for w in &problem.warnings {
        eprintln!("warning: {w}");
    }
    let options = JudgeOptions {
        run_all_tests: args.all_tests,
        progress: None,
        policy: None,
    };
    let (backend, languages) = args.sandbox.backend().await?;
    if language != Some(ANSWER_LANGUAGE) {
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        languages.choose(language, &names).map_err(|e| match e {
            ChoiceError::Undetectable { .. } => anyhow::anyhow!("{e}; give --language"),
            _ => e.into(),
        })?;
    }
    let languages = Arc::new(languages);
    let policy = args.policy.policy();
    let report = with_sandboxes!(backend, |s, v| {
        judge_with(
            Judge::new(s, v, languages).with_policy(policy),
            problem,
            &files,
            language,
            &options,
        )
        .await?
    });
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "{}  ({}, max {} ms, {} KiB)",
            report.verdict, report.language, report.max_time_ms, report.max_memory_kib
        );
        for t in &report.tests {
            println!(
                "  {:<4} {:<28} {:>6} ms {:>8} KiB{}",
                t.verdict.code(),
                t.name,
                t.time_ms,
                t.memory_kib,
                t.message
                    .as_deref()
                    .map(|m| format!("  {m}"))
                    .unwrap_or_default()
            );
        }
        if let Some(score) = report.score {
            match report.max_score {
                Some(max) => println!("score: {score} / {max}"),
                None => println!("score: {score}"),
            }
        }
        for g in report.groups.iter().filter(|g| g.group != "secret") {
            let max = g.max_score.map(|m| format!(" / {m}")).unwrap_or_default();
            println!("  {:<32} {}{max}", g.group, g.score);
        }
        if let Some(m) = &report.judge_message {
            println!("judge error: {m}");
        }
        if report.verdict == Verdict::CompileError && !report.compile_output.is_empty() {
            println!("compiler output:\n{}", report.compile_output);
        }
    }
    Ok(if report.verdict == Verdict::Accepted {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The answer files of a submit-answer submission: the files given, the regular files of
/// the directories given, and the files of the .zip files given (by their base names).
/// Each must be one of `expected`, once. Of a zipped answer at most one byte more than
/// `output_bytes` is read (the judge then finds it over the output limit).
fn answer_files(
    paths: &[PathBuf],
    expected: &[String],
    output_bytes: u64,
) -> anyhow::Result<Vec<SourceFile>> {
    let mut files: Vec<SourceFile> = Vec::new();
    let mut add = |name: String, contents: Vec<u8>, from: &Path| -> anyhow::Result<()> {
        if !expected.contains(&name) {
            let list: Vec<String> = expected.iter().map(|n| format!("`{n}`")).collect();
            anyhow::bail!(
                "{}: `{name}` is not an answer file of this problem; its answer files are {}",
                from.display(),
                list.join(", ")
            );
        }
        if files.iter().any(|f| f.name == name) {
            anyhow::bail!("{}: answer file `{name}` is given twice", from.display());
        }
        files.push(SourceFile { name, contents });
        Ok(())
    };
    for path in paths {
        let read =
            |p: &Path| std::fs::read(p).with_context(|| format!("cannot read {}", p.display()));
        let base = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned());
        if path.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
                .with_context(|| format!("cannot list {}", path.display()))?
                .map(|e| e.map(|e| e.path()))
                .collect::<Result<_, _>>()
                .with_context(|| format!("cannot list {}", path.display()))?;
            entries.sort();
            for p in entries.iter().filter(|p| p.is_file()) {
                let name = base(p).unwrap_or_default();
                if !name.starts_with('.') {
                    add(name, read(p)?, p)?;
                }
            }
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
        {
            let file = std::fs::File::open(path)
                .with_context(|| format!("cannot open {}", path.display()))?;
            let mut zip = zip::ZipArchive::new(file)
                .with_context(|| format!("{}: not a valid zip", path.display()))?;
            for i in 0..zip.len() {
                let mut entry = zip
                    .by_index(i)
                    .with_context(|| format!("{}: entry {i}", path.display()))?;
                if entry.is_dir() {
                    continue;
                }
                let Some(name) = entry.enclosed_name().as_deref().and_then(base) else {
                    anyhow::bail!(
                        "{}: entry `{}` has no usable name",
                        path.display(),
                        entry.name()
                    );
                };
                if name.starts_with('.') {
                    continue;
                }
                let mut contents = Vec::new();
                std::io::Read::read_to_end(
                    &mut std::io::Read::take(&mut entry, output_bytes.saturating_add(1)),
                    &mut contents,
                )
                .with_context(|| format!("{}: cannot read `{name}`", path.display()))?;
                add(name, contents, path)?;
            }
        } else {
            let name = base(path)
                .with_context(|| format!("{}: a path has no file name", path.display()))?;
            add(name, read(path)?, path)?;
        }
    }
    if files.is_empty() {
        anyhow::bail!("no answer files given");
    }
    Ok(files)
}

async fn judge_with<S: Sandbox>(
    judge: Judge<S>,
    problem: &Problem,
    files: &[SourceFile],
    language: Option<&str>,
    options: &JudgeOptions,
) -> anyhow::Result<JudgeReport> {
    Ok(judge.judge(problem, files, language, options).await?)
}
