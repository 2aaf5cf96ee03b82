//! `codehub languages`: the language table with the versions found in the sandbox.

use super::{Backend, SandboxArgs};
use codehub_judge::language::{Language, LanguageTable};
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
    let (backend, table) = args.sandbox.backend().await?;
    let rows = match backend {
        Backend::Native(s, _) => rows(&s, &table).await?,
        Backend::Docker(s, _) => rows(&s, &table).await?,
    };
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

/// Each language with the version its toolchain reports inside `sandbox`.
async fn rows<S: Sandbox>(sandbox: &S, table: &LanguageTable) -> anyhow::Result<Vec<Row>> {
    let mut rows = Vec::new();
    for lang in table.iter() {
        let version = version(sandbox, lang).await?;
        rows.push(Row {
            id: lang.id.clone(),
            name: lang.name.clone(),
            extensions: lang.extensions.clone(),
            available: version.is_some(),
            version,
        });
    }
    Ok(rows)
}

/// The first line the version command prints in the sandbox, if the toolchain is there.
async fn version<S: Sandbox>(sandbox: &S, lang: &Language) -> anyhow::Result<Option<String>> {
    let env = sandbox.acquire().await?;
    let mut spec = RunSpec::new(lang.version.clone());
    spec.limits.cpu_time = std::time::Duration::from_secs(10);
    spec.limits.wall_time = std::time::Duration::from_secs(20);
    spec.limits.memory_bytes = 1 << 30;
    spec.limits.processes = 128;
    let r = match env.run(spec).await {
        Ok(r) => r,
        // The program does not exist in this sandbox: the language is unavailable.
        Err(codehub_judge::sandbox::SandboxError::Protocol(m)) if m.contains("cannot start") => {
            return Ok(None);
        }
        Err(e) => return Err(e.into()),
    };
    if !r.status.success() {
        return Ok(None);
    }
    let text = [r.stdout, r.stderr].concat();
    Ok(String::from_utf8_lossy(&text)
        .lines()
        .find(|l| !l.trim().is_empty())
        .map(|l| l.trim().to_owned()))
}
