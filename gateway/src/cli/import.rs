//! `codehub import-polygon`: a Polygon package into the Kattis 2023-07 layout, with the
//! tests it does not hold made in the sandbox and a report of what was not converted.

use super::{SandboxArgs, with_sandboxes};
use codehub_judge::judge::Judge;
use codehub_judge::polygon::{self, Conversion};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// Arguments of `codehub import-polygon`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The Polygon package (directory or .zip with `problem.xml`).
    #[arg(value_name = "DIR|ZIP")]
    source: PathBuf,
    /// Where to write the Kattis package: a new directory, or a path ending in `.zip`.
    #[arg(value_name = "OUT")]
    out: PathBuf,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    sandbox: SandboxArgs,
}

/// Runs `codehub import-polygon`: exit 0 when the package was written, 2 on an error.
pub async fn run(args: ImportArgs) -> anyhow::Result<ExitCode> {
    if !polygon::is_polygon(&args.source) {
        anyhow::bail!(
            "{}: not a Polygon package (no problem.xml at its top, or it also has a problem.yaml)",
            args.source.display()
        );
    }
    let zip = args.out.extension().is_some_and(|e| e == "zip");
    if args.out.exists() && (zip || std::fs::read_dir(&args.out)?.next().is_some()) {
        anyhow::bail!("{}: already exists; give a new path", args.out.display());
    }
    let staging = tempfile::tempdir()?;
    let out_dir = if zip {
        staging.path().to_owned()
    } else {
        std::fs::create_dir_all(&args.out)?;
        args.out.clone()
    };
    let (backend, languages) = args.sandbox.backend().await?;
    let languages = Arc::new(languages);
    let result = with_sandboxes!(backend, |s, v| {
        let judge = Judge::new(s, v, languages);
        polygon::import(&args.source, &out_dir, Some(&judge)).await
    });
    let conversion = match result {
        Ok(c) => c,
        Err(e) => {
            if !zip {
                let _ = std::fs::remove_dir_all(&args.out);
            }
            return Err(e.into());
        }
    };
    if zip {
        let bytes = polygon::zip_dir(&out_dir).map_err(anyhow::Error::msg)?;
        std::fs::write(&args.out, bytes)?;
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&conversion)?);
    } else {
        print_report(&conversion, &args.out);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_report(c: &Conversion, out: &std::path::Path) {
    println!(
        "imported {} into {}: {} tests ({} inputs generated, {} answers made by the main \
         solution), {} submissions",
        c.short_name,
        out.display(),
        c.tests,
        c.generated_inputs,
        c.generated_answers,
        c.submissions
    );
    if c.notes.is_empty() {
        println!("everything was converted");
    }
    for n in &c.notes {
        println!("  not converted: {n}");
    }
}
