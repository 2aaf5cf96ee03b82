//! `codehub languages`: the language table with the versions found in the sandbox.

use super::SandboxArgs;
use codehub_judge::sandbox::{Environment, RunSpec, Sandbox};
use serde::Serialize;
use std::process::ExitCode;

/// Arguments of `codehub languages`.
#[derive(Debug, clap::Args)]
pub struct LanguagesArgs {
    /// Print JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    sandbox: SandboxArgs,
}

#[derive(Serialize)]
struct Row {
    id: String,
    name: String,
    extensions: Vec<String>,
    available: bool,
    version: Option<String>,
}

/// Runs `codehub languages`.
pub async fn run(args: LanguagesArgs) -> anyhow::Result<ExitCode> {
    let table = args.sandbox.language_table()?;
    let sandbox = args.sandbox.native(&table)?;
    let mut rows = Vec::new();
    for lang in table.iter() {
        let available = lang.available_on_host();
        let version = if available {
            let env = sandbox.acquire().await?;
            let mut spec = RunSpec::new(lang.version.clone());
            spec.limits.cpu_time = std::time::Duration::from_secs(10);
            spec.limits.wall_time = std::time::Duration::from_secs(20);
            spec.limits.memory_bytes = 1 << 30;
            spec.limits.processes = 128;
            let r = env.run(spec).await?;
            let text = [r.stdout, r.stderr].concat();
            String::from_utf8_lossy(&text)
                .lines()
                .find(|l| !l.trim().is_empty())
                .map(|l| l.trim().to_owned())
        } else {
            None
        };
        rows.push(Row {
            id: lang.id.clone(),
            name: lang.name.clone(),
            extensions: lang.extensions.clone(),
            available: available && version.is_some(),
            version,
        });
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
    } else {
        for r in &rows {
            let exts: Vec<String> = r.extensions.iter().map(|e| format!(".{e}")).collect();
            println!(
                "{:<10} {:<22} {:<28} {}",
                r.id,
                r.name,
                exts.join(" "),
                match (&r.version, r.available) {
                    (Some(v), true) => v.clone(),
                    _ => "unavailable (toolchain not installed)".to_owned(),
                }
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
