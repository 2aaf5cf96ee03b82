//! Native sandbox benchmark: per-run overhead against a bare `fork`+`exec`, and
//! throughput of trivial sandboxed runs.
//!
//! `cargo bench -p codehub-judge --bench sandbox [-- RUNS]` (as root). Prints a Markdown
//! table for `docs/benchmarks.md`.

use codehub_judge::sandbox::native::{KeeperCommand, NativeConfig, NativeSandbox};
use codehub_judge::sandbox::{Environment, RunSpec, Sandbox};
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn sandbox(slots: usize) -> NativeSandbox {
    let keeper = KeeperCommand {
        program: PathBuf::from(env!("CARGO_BIN_EXE_codehub-sandbox-keeper")),
        args: Vec::new(),
    };
    let mut config = NativeConfig::new(keeper);
    config.max_slots = slots;
    NativeSandbox::new(config).expect("native sandbox (run as root)")
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Cold container start, warm acquisition and per-run times of the Docker backend, if
/// Docker runs here.
async fn docker_figures(
    program: &[u8],
    runs: usize,
) -> Option<(Vec<Duration>, Vec<Duration>, Vec<Duration>)> {
    use codehub_judge::sandbox::docker::{DockerConfig, DockerSandbox};
    let runner = KeeperCommand {
        program: PathBuf::from(env!("CARGO_BIN_EXE_codehub-sandbox-keeper")),
        args: vec!["--runner".into()],
    };
    let mut config = DockerConfig::new(runner);
    config.pool_size = 2;
    config.max_containers = 2;
    let sb = match DockerSandbox::new(config).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("docker: skipped ({e})");
            return None;
        }
    };
    let mut cold = Vec::new();
    for _ in 0..20 {
        cold.push(Duration::from_secs_f64(
            sb.cold_container_ms().await.ok()? / 1000.0,
        ));
    }
    let mut warm = Vec::new();
    for _ in 0..30 {
        sb.wait_warm().await;
        let t = Instant::now();
        let env = sb.acquire().await.ok()?;
        warm.push(t.elapsed());
        drop(env);
    }
    sb.wait_warm().await;
    let env = sb.acquire().await.ok()?;
    env.write_file("t", program, true).await.ok()?;
    let mut times = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let r = env.run(RunSpec::new(vec!["./t".into()])).await.ok()?;
        times.push(t.elapsed());
        assert!(r.status.success());
    }
    cold.sort();
    warm.sort();
    times.sort();
    Some((cold, warm, times))
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// A trivial static program, built once on the host.
fn trivial_program(dir: &std::path::Path) -> Vec<u8> {
    let src = dir.join("t.c");
    std::fs::write(&src, "int main(void) { return 0; }\n").unwrap();
    let out = dir.join("t");
    let status = std::process::Command::new("gcc")
        .args(["-O2", "-static", "-o"])
        .arg(&out)
        .arg(&src)
        .status()
        .expect("gcc");
    assert!(status.success(), "gcc -static failed (libc6-dev needed)");
    std::fs::read(out).unwrap()
}

/// What the seccomp filters cost, measured inside forked children: the median time to
/// install a run's part (once per run, just before `execve`; the keeper's part is
/// installed once per slot) and the added cost of one system call under both parts
/// (every call a program makes runs the filters' BPF).
fn seccomp_cost(runs: usize) -> (Duration, Duration) {
    let filters = codehub_judge::sandbox::seccomp::filters().expect("seccomp filter");
    const CALLS: u32 = 20_000;
    let mut installs = Vec::new();
    let mut per_call = Vec::new();
    for _ in 0..runs.min(200) {
        let (read, write) = nix::unistd::pipe().unwrap();
        // SAFETY: the child only makes system calls and reads the clock, then exits.
        let pid = unsafe { libc::fork() };
        if pid == 0 {
            let calls = || {
                let t = Instant::now();
                for _ in 0..CALLS {
                    unsafe { libc::syscall(libc::SYS_getppid) };
                }
                t.elapsed().as_nanos() as u64
            };
            unsafe { libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) };
            let before = calls();
            // As in the sandbox: the keeper's part was installed once, before; a run pays
            // for its own part only.
            let ok = filters.apply_keeper_part().is_ok();
            let t = Instant::now();
            let ok = ok && filters.apply_run_part().is_ok();
            let install = t.elapsed().as_nanos() as u64;
            let after = calls();
            let out = [install, before, after, u64::from(ok)];
            unsafe {
                libc::write(
                    std::os::fd::AsRawFd::as_raw_fd(&write),
                    out.as_ptr().cast(),
                    32,
                );
                libc::_exit(0);
            }
        }
        drop(write);
        let mut buf = [0u8; 32];
        let mut file = std::fs::File::from(read);
        std::io::Read::read_exact(&mut file, &mut buf).unwrap();
        unsafe { libc::waitpid(pid, std::ptr::null_mut(), 0) };
        let v: Vec<u64> = buf
            .chunks_exact(8)
            .map(|c| u64::from_ne_bytes(c.try_into().unwrap()))
            .collect();
        assert_eq!(v[3], 1, "filters installed");
        installs.push(Duration::from_nanos(v[0]));
        per_call.push(Duration::from_nanos(
            v[2].saturating_sub(v[1]) / u64::from(CALLS),
        ));
    }
    installs.sort();
    per_call.sort();
    (percentile(&installs, 0.5), percentile(&per_call, 0.5))
}

fn main() {
    let runs: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(2000);
    let tmp = tempfile::tempdir().unwrap();
    let program = trivial_program(tmp.path());
    let host_program = tmp.path().join("t");

    // Bare: fork + exec + wait of the same static binary, from the same process.
    let mut bare = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        let status = std::process::Command::new(&host_program).status().unwrap();
        bare.push(t.elapsed());
        assert!(status.success());
    }

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (sandboxed, throughput) = rt.block_on(async {
        let sb = sandbox(1);
        let env = sb.acquire().await.unwrap();
        env.write_file("t", &program, true).await.unwrap();
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs {
            let t = Instant::now();
            let r = env.run(RunSpec::new(vec!["./t".into()])).await.unwrap();
            times.push(t.elapsed());
            assert!(r.status.success());
        }
        drop(env);

        // Throughput: `slots` environments running back to back for a fixed count.
        let mut throughput = Vec::new();
        for slots in [1usize, 2, 4] {
            let sb = sandbox(slots);
            let mut envs = Vec::new();
            for _ in 0..slots {
                let env = sb.acquire().await.unwrap();
                env.write_file("t", &program, true).await.unwrap();
                envs.push(env);
            }
            let per_env = runs / slots;
            let t = Instant::now();
            let tasks: Vec<_> = envs
                .into_iter()
                .map(|env| {
                    tokio::spawn(async move {
                        for _ in 0..per_env {
                            let r = env.run(RunSpec::new(vec!["./t".into()])).await.unwrap();
                            assert!(r.status.success());
                        }
                    })
                })
                .collect();
            for task in tasks {
                task.await.unwrap();
            }
            let elapsed = t.elapsed();
            throughput.push((slots, (per_env * slots) as f64 / elapsed.as_secs_f64()));
        }
        (times, throughput)
    });

    let docker = rt.block_on(docker_figures(&program, runs.min(500)));
    let (seccomp_install, seccomp_call) = seccomp_cost(runs);

    bare.sort();
    let mut sandboxed = sandboxed;
    sandboxed.sort();
    let cgroup = sandbox(1).cgroup_version();
    println!(
        "runs: {runs}, trivial static C program, {} CPUs, cgroup {cgroup}",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!();
    println!("| measure | median (µs) | p99 (µs) |");
    println!("|---|---|---|");
    for (name, v) in [
        ("bare fork+exec+wait", &bare),
        ("sandboxed run (warm slot)", &sandboxed),
    ] {
        println!(
            "| {name} | {:.0} | {:.0} |",
            us(percentile(v, 0.5)),
            us(percentile(v, 0.99))
        );
    }
    println!(
        "| overhead (sandboxed − bare) | {:.0} | {:.0} |",
        us(percentile(&sandboxed, 0.5)) - us(percentile(&bare, 0.5)),
        us(percentile(&sandboxed, 0.99)) - us(percentile(&bare, 0.99))
    );
    if let Some((cold, warm, docker_runs)) = docker {
        let native_median = us(percentile(&sandboxed, 0.5));
        println!();
        println!(
            "Docker backend ({} runs in one warm container):",
            docker_runs.len()
        );
        println!();
        println!("| measure | median | p99 |");
        println!("|---|---|---|");
        println!(
            "| cold container (create + start + attach) | {:.1} ms | {:.1} ms |",
            ms(percentile(&cold, 0.5)),
            ms(percentile(&cold, 0.99))
        );
        println!(
            "| warm-pool acquisition | {:.3} ms | {:.3} ms |",
            ms(percentile(&warm, 0.5)),
            ms(percentile(&warm, 0.99))
        );
        println!(
            "| trivial run in a warm container | {:.0} µs | {:.0} µs |",
            us(percentile(&docker_runs, 0.5)),
            us(percentile(&docker_runs, 0.99))
        );
        println!(
            "| per-run overhead vs native sandboxed run | {:.0} µs | |",
            us(percentile(&docker_runs, 0.5)) - native_median
        );
        println!(
            "| per-run overhead vs bare fork+exec | {:.0} µs | |",
            us(percentile(&docker_runs, 0.5)) - us(percentile(&bare, 0.5))
        );
    }
    println!();
    println!(
        "seccomp: installing the filters {:.1} µs per run (median); each system call after \
         that +{} ns (median of 20,000 getppid calls)",
        seccomp_install.as_secs_f64() * 1e6,
        seccomp_call.as_nanos()
    );
    println!();
    println!("| concurrent slots | sandboxed runs/s |");
    println!("|---|---|");
    for (slots, rate) in throughput {
        println!("| {slots} | {rate:.0} |");
    }
}
