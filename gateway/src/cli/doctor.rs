//! `codehub doctor`: checks this host for judging, the way `isolate-check-environment`
//! does: cgroup version and delegated controllers, user namespaces, seccomp, swap, CPU
//! frequency scaling and turbo, address-space randomisation, the native sandbox end to
//! end, the Docker daemon, and each language's toolchain; what works, what does not, and
//! the fix.

use super::SandboxArgs;
use super::languages::host_version;
use codehub_judge::sandbox::docker::{DockerConfig, DockerSandbox};
use codehub_judge::sandbox::native::KeeperCommand;
use codehub_judge::sandbox::native::cgroup::{self, Hierarchy, v2};
use codehub_judge::sandbox::{Environment, RunSpec, Sandbox};
use serde::Serialize;
use std::path::Path;
use std::process::ExitCode;

/// Arguments of `codehub doctor`.
#[derive(Debug, clap::Args)]
pub struct DoctorArgs {
    /// Print JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    sandbox: SandboxArgs,
}

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum Status {
    /// Works.
    Ok,
    /// Works, with a caveat (timing noise, a missing optional piece).
    Warn,
    /// Does not work.
    Fail,
}

#[derive(Debug, Serialize)]
struct Check {
    name: &'static str,
    status: Status,
    detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<String>,
}

#[derive(Serialize)]
struct Report {
    /// The backend `--sandbox auto` would pick, if any.
    sandbox: Option<&'static str>,
    checks: Vec<Check>,
}

fn check(name: &'static str, status: Status, detail: impl Into<String>) -> Check {
    Check {
        name,
        status,
        detail: detail.into(),
        fix: None,
    }
}

impl Check {
    fn fix(mut self, fix: impl Into<String>) -> Check {
        self.fix = Some(fix.into());
        self
    }
}

fn read(path: &str) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()
        .map(|s| s.trim().to_owned())
}

fn is_root() -> bool {
    nix::unistd::geteuid().is_root()
}

fn cgroups() -> Check {
    let root = Path::new("/sys/fs/cgroup");
    match cgroup::detect(root) {
        Hierarchy::V1 { hybrid, .. } => {
            let what = if hybrid {
                "hybrid (v1 controllers; an empty cgroup2 at /sys/fs/cgroup/unified): v1 is used"
            } else {
                "v1 (memory, pids, cpuacct mounted)"
            };
            if is_root() {
                check("cgroups", Status::Ok, what)
            } else {
                check(
                    "cgroups",
                    Status::Fail,
                    format!("{what}; only root may create cgroups"),
                )
                .fix("run as root, or use --sandbox docker")
            }
        }
        Hierarchy::V2 { mount } => {
            let controllers =
                read(&format!("{}/cgroup.controllers", mount.display())).unwrap_or_default();
            let own = v2::own_cgroup().unwrap_or_else(|_| "?".into());
            if is_root() {
                return check(
                    "cgroups",
                    Status::Ok,
                    format!("v2; controllers: {controllers}; this process in {own}"),
                );
            }
            let dir = match v2::delegated_dir(&mount) {
                Ok(dir) => dir,
                Err(e) => return check("cgroups", Status::Fail, e.to_string()),
            };
            match v2::check_delegated(&dir) {
                Ok(()) => check(
                    "cgroups",
                    Status::Ok,
                    format!(
                        "v2; delegated to this user: {} ({})",
                        dir.display(),
                        read(&format!("{}/cgroup.controllers", dir.display())).unwrap_or_default()
                    ),
                ),
                Err(e) => check("cgroups", Status::Fail, format!("v2; {e}")).fix(
                    "run `systemd-run --user --scope -p Delegate=yes codehub …`, or a unit \
                     with Delegate=yes (deploy/systemd/); or run as root",
                ),
            }
        }
        Hierarchy::None(reason) => check("cgroups", Status::Fail, reason)
            .fix("mount cgroup2 at /sys/fs/cgroup (or the v1 memory, pids, cpuacct controllers)"),
    }
}

fn user_namespaces() -> Check {
    let max = read("/proc/sys/user/max_user_namespaces");
    if max.as_deref() == Some("0") {
        return check(
            "user namespaces",
            Status::Fail,
            "user.max_user_namespaces = 0",
        )
        .fix("sysctl -w user.max_user_namespaces=15000");
    }
    if is_root() {
        return check("user namespaces", Status::Ok, "available (root)");
    }
    if read("/proc/sys/kernel/unprivileged_userns_clone").as_deref() == Some("0") {
        return check(
            "user namespaces",
            Status::Fail,
            "unprivileged user namespaces are disabled (kernel.unprivileged_userns_clone = 0)",
        )
        .fix("sysctl -w kernel.unprivileged_userns_clone=1, or run as root");
    }
    if read("/proc/sys/kernel/apparmor_restrict_unprivileged_userns").as_deref() == Some("1") {
        return check(
            "user namespaces",
            Status::Fail,
            "AppArmor restricts unprivileged user namespaces",
        )
        .fix("install deploy/apparmor/codehub (see its header), or run as root");
    }
    check(
        "user namespaces",
        Status::Ok,
        "unprivileged user namespaces allowed",
    )
}

fn seccomp() -> Check {
    let status = read("/proc/self/status").unwrap_or_default();
    let actions = read("/proc/sys/kernel/seccomp/actions_avail").unwrap_or_default();
    if !status.contains("Seccomp:") || !actions.split_whitespace().any(|a| a == "errno") {
        return check("seccomp", Status::Fail, "the kernel has no seccomp filters")
            .fix("a kernel built with CONFIG_SECCOMP_FILTER");
    }
    match codehub_judge::sandbox::seccomp::filters() {
        Ok(_) => check(
            "seccomp",
            Status::Ok,
            format!("filters available ({actions})"),
        ),
        Err(e) => check("seccomp", Status::Fail, e),
    }
}

fn swap() -> Check {
    let swaps = read("/proc/swaps").unwrap_or_default();
    let devices = swaps.lines().skip(1).count();
    if devices == 0 {
        check("swap", Status::Ok, "no swap")
    } else {
        check(
            "swap",
            Status::Ok,
            format!(
                "{devices} swap device(s); sandboxes get none (memory.swap.max = 0 / swappiness 0)"
            ),
        )
    }
}

fn cpu_frequency() -> Vec<Check> {
    let mut checks = Vec::new();
    let governors: Vec<String> = (0..1024)
        .map_while(|i| {
            read(&format!(
                "/sys/devices/system/cpu/cpu{i}/cpufreq/scaling_governor"
            ))
        })
        .collect();
    if governors.is_empty() {
        checks.push(check(
            "cpu frequency",
            Status::Ok,
            "no frequency scaling exposed (a VM, or fixed frequency)",
        ));
    } else if governors.iter().all(|g| g == "performance") {
        checks.push(check("cpu frequency", Status::Ok, "governor: performance"));
    } else {
        checks.push(
            check(
                "cpu frequency",
                Status::Warn,
                format!("governors: {} (timing noise)", governors.join(" ")),
            )
            .fix("cpupower frequency-set -g performance"),
        );
    }
    let turbo_on = read("/sys/devices/system/cpu/intel_pstate/no_turbo").as_deref() == Some("0")
        || read("/sys/devices/system/cpu/cpufreq/boost").as_deref() == Some("1");
    checks.push(if turbo_on {
        check(
            "turbo",
            Status::Warn,
            "turbo boost on (timing depends on load and heat)",
        )
        .fix("echo 1 > /sys/devices/system/cpu/intel_pstate/no_turbo (or 0 > …/cpufreq/boost)")
    } else {
        check("turbo", Status::Ok, "off or not exposed")
    });
    checks
}

fn aslr() -> Check {
    match read("/proc/sys/kernel/randomize_va_space").as_deref() {
        Some("0") => check(
            "address randomisation",
            Status::Ok,
            "off (repeatable timings)",
        ),
        Some(v) => check(
            "address randomisation",
            Status::Warn,
            format!("randomize_va_space = {v}: run times vary slightly between runs"),
        )
        .fix("on a dedicated judge host: sysctl -w kernel.randomize_va_space=0"),
        None => check("address randomisation", Status::Warn, "unknown"),
    }
}

async fn native(args: &SandboxArgs) -> Check {
    let languages = match args.language_table() {
        Ok(t) => t,
        Err(e) => return check("native sandbox", Status::Fail, format!("{e:#}")),
    };
    let sandbox = match args.native(&languages) {
        Ok(s) => s,
        Err(e) => {
            return check("native sandbox", Status::Fail, format!("{e:#}"))
                .fix("see the checks above; or use --sandbox docker");
        }
    };
    let ran = async {
        let env = sandbox.acquire().await?;
        env.run(RunSpec::new(vec!["/bin/true".into()])).await
    }
    .await;
    let what = format!(
        "cgroup {}{}, seccomp on",
        sandbox.cgroup_version(),
        if sandbox.rootless() {
            ", rootless"
        } else {
            ", root"
        }
    );
    match ran {
        Ok(r) if r.status.success() => {
            check("native sandbox", Status::Ok, format!("works: {what}"))
        }
        Ok(r) => check(
            "native sandbox",
            Status::Fail,
            format!("{what}: /bin/true ended {:?}", r.status),
        ),
        Err(e) => check("native sandbox", Status::Fail, format!("{what}: {e}")),
    }
}

async fn docker() -> Check {
    let runner = KeeperCommand {
        program: std::env::current_exe().unwrap_or_default(),
        args: vec![super::RUNNER_ARG.to_owned()],
    };
    let mut config = DockerConfig::new(runner);
    config.max_containers = 1;
    config.pool_size = 0;
    match DockerSandbox::new(config).await {
        Ok(_) => check(
            "docker",
            Status::Ok,
            "the daemon answers; the judge image is there",
        ),
        Err(e) => check("docker", Status::Warn, e.to_string()).fix(
            "only needed for --sandbox docker: start the daemon, then \
             deploy/judge-runtime/build-offline.sh",
        ),
    }
}

async fn toolchains(args: &SandboxArgs) -> Vec<Check> {
    let Ok(table) = args.language_table() else {
        return Vec::new();
    };
    let mut checks = Vec::new();
    for lang in table.iter() {
        checks.push(match host_version(lang).await {
            Some(v) => check("toolchain", Status::Ok, format!("{}: {v}", lang.id)),
            None => check(
                "toolchain",
                Status::Warn,
                format!("{}: not installed", lang.id),
            )
            .fix(format!(
                "install `{}` to judge {}",
                lang.version[0], lang.name
            )),
        });
    }
    checks
}

/// Runs `codehub doctor`: exit 0 when a sandbox can run here, 1 otherwise.
pub async fn run(args: DoctorArgs) -> anyhow::Result<ExitCode> {
    let mut checks = vec![cgroups(), user_namespaces(), seccomp(), swap()];
    checks.extend(cpu_frequency());
    checks.push(aslr());
    let native = native(&args.sandbox).await;
    let native_ok = native.status == Status::Ok;
    checks.push(native);
    let docker = docker().await;
    let docker_ok = docker.status == Status::Ok;
    checks.push(docker);
    checks.extend(toolchains(&args.sandbox).await);
    let sandbox = match (native_ok, docker_ok) {
        (true, _) => Some("native"),
        (false, true) => Some("docker"),
        _ => None,
    };
    let report = Report { sandbox, checks };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        for c in &report.checks {
            let mark = match c.status {
                Status::Ok => "ok  ",
                Status::Warn => "warn",
                Status::Fail => "FAIL",
            };
            println!("{mark}  {:<22} {}", c.name, c.detail);
            if let Some(fix) = &c.fix {
                println!("      {:<22} fix: {fix}", "");
            }
        }
        match sandbox {
            Some(s) => println!("\n`--sandbox auto` uses: {s}"),
            None => println!(
                "\nNo sandbox can run here: see the fixes above (root, a delegated cgroup, \
                 or Docker)."
            ),
        }
    }
    Ok(if sandbox.is_some() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
