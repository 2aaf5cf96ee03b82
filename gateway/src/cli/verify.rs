//! `codehub verify-problem`: check a package's own submissions get their verdicts.

use super::{SandboxArgs, with_sandboxes};
use codehub_judge::judge::Judge;
use codehub_judge::package::Problem;
use codehub_judge::verify::verify_problem;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// Arguments of `codehub verify-problem`.
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// The problem package (directory or .zip).
    #[arg(value_name = "DIR|ZIP")]
    problem: PathBuf,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    sandbox: SandboxArgs,
}

/// Runs `codehub verify-problem`: exit 0 when every submission got its expected verdict,
/// 1 on any mismatch, 2 on an error.
pub async fn run(args: VerifyArgs) -> anyhow::Result<ExitCode> {
    let problem = Problem::load(&args.problem)?;
    for w in &problem.warnings {
        eprintln!("warning: {w}");
    }
    let (backend, languages) = args.sandbox.backend().await?;
    let languages = Arc::new(languages);
    let parallel = args.sandbox.parallelism();
    let report = with_sandboxes!(backend, |s, v| {
        verify_problem(&Judge::new(s, v, languages), &problem, parallel).await?
    });
    let mismatches = report.mismatches().count();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "problem {}: {} submissions",
            report.problem,
            report.submissions.len()
        );
        for e in &report.submissions {
            let got = e
                .got
                .map_or_else(|| "error".to_owned(), |v| v.code().to_owned());
            let mark = if e.matches() { "ok  " } else { "FAIL" };
            let score = e.score.map(|s| format!(" score {s}")).unwrap_or_default();
            println!(
                "  {mark} {:<60} expected {:<3} got {:<5}{score} {:>6} ms{}",
                e.submission,
                e.expected,
                got,
                e.max_time_ms,
                e.error
                    .as_deref()
                    .map(|m| format!("  ({m})"))
                    .unwrap_or_default()
            );
            for f in &e.failures {
                println!("         {f}");
            }
        }
        for w in &report.warnings {
            println!("  warning: {w}");
        }
        println!(
            "{}",
            if mismatches == 0 {
                "all verdicts as expected".to_owned()
            } else {
                format!("{mismatches} mismatch(es)")
            }
        );
    }
    Ok(if mismatches == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
