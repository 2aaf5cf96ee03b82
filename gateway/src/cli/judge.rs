//! `codehub judge`: judge source files on a problem package.

use super::{PolicyArgs, SandboxArgs, with_sandboxes};
use anyhow::Context;
use codehub_engine::Verdict;
use codehub_judge::judge::JudgeOptions;
use codehub_judge::judge::{Judge, JudgeReport};
use codehub_judge::language::{ChoiceError, SourceFile};
use codehub_judge::package::Problem;
use codehub_judge::sandbox::Sandbox;
use codehub_protocol::files::check_source_name;
use std::path::PathBuf;
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
    /// Source files; several files form one submission.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

/// Runs `codehub judge`: exit 0 for AC, 1 for any other verdict, 2 for an error.
///
/// File names are checked first, by the same rules as `POST /api/submissions`: each
/// name by [`check_source_name`], and the files must hold a source file of the language
/// (given, or detected from the extensions).
pub async fn run(args: JudgeArgs) -> anyhow::Result<ExitCode> {
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
    let problem = Problem::load(&args.problem)?;
    for w in &problem.warnings {
        eprintln!("warning: {w}");
    }
    let mut files = Vec::new();
    for (path, name) in args.files.iter().zip(names) {
        let contents =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        files.push(SourceFile { name, contents });
    }
    let options = JudgeOptions {
        run_all_tests: args.all_tests,
        progress: None,
    };
    let (backend, languages) = args.sandbox.backend().await?;
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    languages
        .choose(args.language.as_deref(), &names)
        .map_err(|e| match e {
            ChoiceError::Undetectable { .. } => anyhow::anyhow!("{e}; give --language"),
            _ => e.into(),
        })?;
    let languages = Arc::new(languages);
    let language = args.language.as_deref();
    let policy = args.policy.policy();
    let report = with_sandboxes!(backend, |s, v| {
        judge_with(
            Judge::new(s, v, languages).with_policy(policy),
            &problem,
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

async fn judge_with<S: Sandbox>(
    judge: Judge<S>,
    problem: &Problem,
    files: &[SourceFile],
    language: Option<&str>,
    options: &JudgeOptions,
) -> anyhow::Result<JudgeReport> {
    Ok(judge.judge(problem, files, language, options).await?)
}
