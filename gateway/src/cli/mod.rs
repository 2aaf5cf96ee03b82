//! The `codehub` command line: one module per subcommand.

mod contest;
mod doctor;
mod import;
mod judge;
mod languages;
mod serve;
pub mod tls;
mod verify;
mod worker;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use codehub_judge::language::LanguageTable;
use codehub_judge::policy::{OutputOverflow, VerdictPolicy};
use codehub_judge::sandbox::docker::{DockerConfig, DockerSandbox};
use codehub_judge::sandbox::native::{KeeperCommand, NativeConfig, NativeSandbox};
use std::path::PathBuf;
use std::process::ExitCode;

/// The hidden first argument that turns `codehub` into a sandbox keeper.
pub const KEEPER_ARG: &str = "__sandbox-keeper";
/// The hidden first argument that turns `codehub` into a Docker sandbox runner.
pub const RUNNER_ARG: &str = "__sandbox-runner";

/// CodeHub: a real-time programming-contest engine.
#[derive(Debug, Parser)]
#[command(name = "codehub", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Judge source files on a problem package and print the verdict.
    Judge(judge::JudgeArgs),
    /// Judge every submission a problem package ships and report verdict mismatches.
    VerifyProblem(verify::VerifyArgs),
    /// Export a contest as a CCS contest package, or set one up from a package.
    Contest(contest::ContestArgs),
    /// Import a Polygon package into the Kattis layout (tests generated in the sandbox).
    ImportPolygon(import::ImportArgs),
    /// List the languages with their detected versions.
    Languages(languages::LanguagesArgs),
    /// Run the contest server (HTTP API, WebSocket live updates, judging).
    Serve(Box<serve::ServeArgs>),
    /// Judge jobs from the cluster's Redis queue (see `serve --remote-judges`).
    JudgeWorker(worker::WorkerArgs),
    /// Check this host for judging: cgroups, namespaces, seccomp, timing noise, Docker,
    /// toolchains; what works, what does not, and the fix.
    Doctor(doctor::DoctorArgs),
}

/// Which sandbox runs untrusted code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SandboxKind {
    /// Native if this host supports it, else Docker if the daemon answers.
    Auto,
    /// Linux namespaces + cgroups (v1 or v2) + seccomp on this host (root, or a
    /// delegated cgroup v2 subtree).
    Native,
    /// Hardened Docker containers (needs the Docker daemon and the judge runtime image).
    Docker,
}

/// Evaluates `$body` with `$s` and `$v` bound to a [`Backend`]'s two sandboxes (for
/// submissions, for validators), whichever backend it is: the one place the backends are
/// told apart.
macro_rules! with_sandboxes {
    ($backend:expr, |$s:ident, $v:ident| $body:expr) => {
        match $backend {
            $crate::cli::Backend::Native($s, $v) => $body,
            $crate::cli::Backend::Docker($s, $v) => $body,
        }
    };
}
pub(crate) use with_sandboxes;

/// The sandboxes a judge uses: one pool for submissions, one for validators.
pub enum Backend {
    /// Native pools.
    Native(NativeSandbox, NativeSandbox),
    /// Docker pools.
    Docker(DockerSandbox, DockerSandbox),
}

/// The verdict policy of a command that judges (`docs/judging.md`); every flag left out
/// keeps CodeHub's default.
#[derive(Debug, clap::Args)]
pub struct PolicyArgs {
    /// Wall-clock limit of a run as a multiple of the time limit (default 2).
    #[arg(long, value_name = "N")]
    wall_time_factor: Option<u32>,
    /// Added to the wall-clock limit of a run, ms (default 1000).
    #[arg(long, value_name = "MS")]
    wall_time_extra_ms: Option<u64>,
    /// Verdict for output past the limit: OLE (default), WA or RTE.
    #[arg(long, value_name = "OLE|WA|RTE", value_parser = OutputOverflow::parse)]
    output_overflow: Option<OutputOverflow>,
    /// Stack of a submission, MiB (default: its memory limit).
    #[arg(long, value_name = "MIB")]
    stack_mib: Option<u64>,
    /// Largest file a compiler may write, MiB (default and most: 256).
    #[arg(long, value_name = "MIB")]
    compile_file_mib: Option<u64>,
}

impl PolicyArgs {
    /// The policy these flags give.
    pub fn policy(&self) -> VerdictPolicy {
        let mut p = VerdictPolicy::default();
        if let Some(x) = self.wall_time_factor {
            p.wall_time_factor = x.max(1);
        }
        if let Some(x) = self.wall_time_extra_ms {
            p.wall_time_extra_ms = x;
        }
        if let Some(x) = self.output_overflow {
            p.output_overflow = x;
        }
        if let Some(x) = self.stack_mib {
            p.stack_bytes = Some(x << 20);
        }
        if let Some(x) = self.compile_file_mib {
            p.compile_file_bytes = x << 20;
        }
        p
    }
}

/// Options shared by every command that runs code.
#[derive(Debug, clap::Args)]
pub struct SandboxArgs {
    /// Sandbox backend.
    #[arg(long, value_enum, default_value = "auto", env = "CODEHUB_SANDBOX")]
    pub(crate) sandbox: SandboxKind,
    /// A language table to use instead of the built-in one.
    #[arg(long, env = "CODEHUB_LANGUAGES", value_name = "FILE")]
    languages: Option<PathBuf>,
    /// Sandboxes running at once (default: one per CPU).
    #[arg(long)]
    parallel: Option<usize>,
    /// Docker: containers kept started ahead of demand (default: --parallel).
    #[arg(long)]
    pool_size: Option<usize>,
    /// Native: pin each sandbox slot to one CPU of this list in turn (`0,2-3`), or to the
    /// CPUs this process may use (`auto`), so timing stays stable under load; default:
    /// no pinning.
    #[arg(long, env = "CODEHUB_CPUS", value_name = "LIST|auto", value_parser = parse_cpus)]
    cpus: Option<CpuList>,
}

/// CPUs named by `--cpus`.
#[derive(Debug, Clone)]
pub struct CpuList(Vec<usize>);

/// Parses `auto` or a list such as `0,2-3`.
fn parse_cpus(text: &str) -> Result<CpuList, String> {
    let set = nix::sched::sched_getaffinity(nix::unistd::Pid::from_raw(0))
        .map_err(|e| format!("cannot read this process's CPUs: {e}"))?;
    let usable: Vec<usize> = (0..nix::sched::CpuSet::count())
        .filter(|&c| set.is_set(c).unwrap_or(false))
        .collect();
    if text == "auto" {
        return Ok(CpuList(usable));
    }
    let mut cpus = Vec::new();
    for part in text.split(',').map(str::trim) {
        let bad = || format!("`{part}` is not a CPU number or range (e.g. `0,2-3` or `auto`)");
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b): (usize, usize) =
                    (a.parse().map_err(|_| bad())?, b.parse().map_err(|_| bad())?);
                if a > b {
                    return Err(bad());
                }
                cpus.extend(a..=b);
            }
            None => cpus.push(part.parse().map_err(|_| bad())?),
        }
    }
    if let Some(c) = cpus.iter().find(|c| !usable.contains(c)) {
        return Err(format!(
            "CPU {c} is not available to this process (it may use {usable:?})"
        ));
    }
    if cpus.is_empty() {
        return Err("no CPU given".into());
    }
    Ok(CpuList(cpus))
}

impl SandboxArgs {
    /// Loads the language table.
    pub(crate) fn language_table(&self) -> anyhow::Result<LanguageTable> {
        match &self.languages {
            None => Ok(LanguageTable::builtin()),
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("cannot read language table {}", path.display()))?;
                Ok(LanguageTable::from_toml(&text)
                    .with_context(|| format!("in {}", path.display()))?)
            }
        }
    }

    pub(crate) fn parallelism(&self) -> usize {
        self.parallel
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
            .max(1)
    }

    /// Builds a native sandbox pool for `languages`.
    pub(crate) fn native(&self, languages: &LanguageTable) -> anyhow::Result<NativeSandbox> {
        let keeper = KeeperCommand {
            program: std::env::current_exe().context("cannot find the codehub executable")?,
            args: vec![KEEPER_ARG.to_owned()],
        };
        let mut config = NativeConfig::new(keeper);
        config.readonly_paths.extend(languages.readonly_paths());
        config.max_slots = self.parallelism();
        if let Some(CpuList(cpus)) = &self.cpus {
            config.cpus = cpus.clone();
        }
        Ok(NativeSandbox::new(config)?)
    }

    /// Builds a Docker sandbox pool running this binary as the in-container runner.
    async fn docker(&self) -> anyhow::Result<DockerSandbox> {
        let runner = KeeperCommand {
            program: std::env::current_exe().context("cannot find the codehub executable")?,
            args: vec![RUNNER_ARG.to_owned()],
        };
        let mut config = DockerConfig::new(runner);
        config.max_containers = self.parallelism();
        config.pool_size = self.pool_size.unwrap_or_else(|| self.parallelism());
        Ok(DockerSandbox::new(config).await?)
    }

    /// Builds the sandboxes of the chosen backend (and the language table); `auto` takes
    /// the native sandbox where this host supports it, else Docker, else says why neither
    /// and the ways out.
    pub(crate) async fn backend(&self) -> anyhow::Result<(Backend, LanguageTable)> {
        let languages = self.language_table()?;
        let native = || -> anyhow::Result<Backend> {
            Ok(Backend::Native(
                self.native(&languages)?,
                self.native(&languages)?,
            ))
        };
        let backend = match self.sandbox {
            SandboxKind::Native => native()?,
            SandboxKind::Docker => Backend::Docker(self.docker().await?, self.docker().await?),
            SandboxKind::Auto => match native() {
                Ok(b) => b,
                Err(native_error) => match self.docker().await {
                    Ok(d) => {
                        eprintln!(
                            "codehub: the native sandbox is unavailable here ({native_error:#}); \
                             judging in Docker"
                        );
                        Backend::Docker(d, self.docker().await?)
                    }
                    Err(docker_error) => anyhow::bail!(
                        "no sandbox can run here.\n  native: {native_error:#}\n  docker: \
                         {docker_error:#}\nWays out: run as root; or run without root in a \
                         delegated cgroup v2 (`systemd-run --user --scope -p Delegate=yes \
                         codehub …`, see deploy/systemd/); or start the Docker daemon and \
                         build the judge image (deploy/judge-runtime/) for `--sandbox docker`. \
                         `codehub doctor` checks this host."
                    ),
                },
            },
        };
        tracing::info!(sandbox = %backend.describe(), "sandbox ready");
        Ok((backend, languages))
    }
}

impl Backend {
    /// The backend in words: `native (cgroup v2, rootless)`, `docker`.
    pub fn describe(&self) -> String {
        match self {
            Backend::Native(s, _) => format!(
                "native (cgroup {}{})",
                s.cgroup_version(),
                if s.rootless() { ", rootless" } else { "" }
            ),
            Backend::Docker(..) => "docker".to_owned(),
        }
    }
}

/// Parses the command line, runs the command and returns its exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("codehub: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Judge(args) => judge::run(args).await,
            Command::VerifyProblem(args) => verify::run(args).await,
            Command::ImportPolygon(args) => import::run(args).await,
            Command::Contest(args) => contest::run(args).await,
            Command::Languages(args) => languages::run(args).await,
            Command::Serve(args) => serve::run(*args).await,
            Command::JudgeWorker(args) => worker::run(args).await,
            Command::Doctor(args) => doctor::run(args).await,
        }
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("codehub: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
