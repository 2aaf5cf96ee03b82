//! `codehub verify-problem`: check a problem package the way problemtools'
//! `verifyproblem` does, and print one summary.

use super::{PolicyArgs, SandboxArgs, with_sandboxes};
use codehub_judge::judge::Judge;
use codehub_judge::package::Problem;
use codehub_judge::polygon;
use codehub_judge::verify::{CheckStatus, VerifyReport, verify_problem};
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
    #[command(flatten)]
    policy: PolicyArgs,
}

/// Runs `codehub verify-problem`: exit 0 when no check ended in an error and every
/// submission got what it must, 1 otherwise, 2 when the package cannot be read.
pub async fn run(args: VerifyArgs) -> anyhow::Result<ExitCode> {
    // A Kattis package is read before any sandbox starts, so its errors come first.
    let polygon = polygon::is_polygon(&args.problem);
    let kattis = if polygon {
        None
    } else {
        Some(Problem::load(&args.problem)?)
    };
    let (backend, languages) = args.sandbox.backend().await?;
    let languages = Arc::new(languages);
    let parallel = args.sandbox.parallelism();
    let policy = args.policy.policy();
    let report = with_sandboxes!(backend, |s, v| {
        let judge = Judge::new(s, v, languages).with_policy(policy);
        let mut problem = match kattis {
            Some(p) => p,
            None => {
                let (p, conversion) = polygon::load(&args.problem, Some(&judge)).await?;
                for n in conversion.map(|c| c.notes).unwrap_or_default() {
                    eprintln!("polygon import: not converted: {n}");
                }
                p
            }
        };
        for w in &problem.warnings {
            eprintln!("warning: {w}");
        }
        verify_problem(&judge, &mut problem, parallel).await?
    });
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_summary(&report);
    }
    Ok(if report.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn print_summary(report: &VerifyReport) {
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
    println!();
    println!("  {:<18} {:<8} detail", "check", "status");
    for c in &report.checks {
        let status = match c.status {
            CheckStatus::Ok => "ok",
            CheckStatus::Warning => "warning",
            CheckStatus::Error => "ERROR",
        };
        println!("  {:<18} {:<8} {}", c.check, status, c.detail);
    }
    let mismatches = report.mismatches().count();
    let errors = report.errors().count();
    println!(
        "{}",
        match (mismatches, errors) {
            (0, 0) => "all verdicts as expected".to_owned(),
            (0, e) => format!("all verdicts as expected; {e} check(s) failed"),
            (m, _) => format!("{m} mismatch(es)"),
        }
    );
}
