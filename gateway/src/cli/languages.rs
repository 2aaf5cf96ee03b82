//! `codehub languages`: the language table with the versions found in the sandbox (or,
//! where no sandbox can run and none was asked for, those of the host's toolchains).

use super::{SandboxArgs, with_sandboxes};
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
    let rows = match args.sandbox.backend().await {
        Ok((backend, table)) => with_sandboxes!(backend, |s, _v| rows(&s, &table).await?),
        Err(e) if args.sandbox.sandbox == super::SandboxKind::Auto => {
            eprintln!(
                "codehub: no sandbox here, so these are the host's toolchains ({})",
                format!("{e:#}").lines().next().unwrap_or_default()
            );
            host_rows(&args.sandbox.language_table()?).await
        }
        Err(e) => return Err(e),
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

impl Row {
    fn new(lang: &Language, version: Option<String>) -> Row {
        Row {
            id: lang.id.clone(),
            name: lang.name.clone(),
            extensions: lang.extensions.clone(),
            available: version.is_some(),
            version,
        }
    }
}

/// Each language with the version its toolchain reports inside `sandbox`.
async fn rows<S: Sandbox>(sandbox: &S, table: &LanguageTable) -> anyhow::Result<Vec<Row>> {
    let mut rows = Vec::new();
    for lang in table.iter() {
        let version = version(sandbox, lang).await?;
        rows.push(Row::new(lang, version));
    }
    Ok(rows)
}

/// Each language with the version its toolchain reports on the host.
async fn host_rows(table: &LanguageTable) -> Vec<Row> {
    let mut rows = Vec::new();
    for lang in table.iter() {
        let version = host_version(lang).await;
        rows.push(Row::new(lang, version));
    }
    rows
}

/// The first line a toolchain's version command prints when run directly on the host (a
/// fixed, trusted command: no untrusted code), if it is installed.
pub(crate) async fn host_version(lang: &Language) -> Option<String> {
    let (program, rest) = lang.version.split_first()?;
    let run = tokio::process::Command::new(program)
        .args(rest)
        .env_clear()
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(std::time::Duration::from_secs(20), run)
        .await
        .ok()?
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = [out.stdout, out.stderr].concat();
    String::from_utf8_lossy(&text)
        .lines()
        .find(|l| !l.trim().is_empty())
        .map(|l| l.trim().to_owned())
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
        Err(codehub_judge::sandbox::SandboxError::Exec(_)) => {
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
