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

    bare.sort();
    let mut sandboxed = sandboxed;
    sandboxed.sort();
    println!(
        "runs: {runs}, trivial static C program, {} CPUs",
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
    println!("| concurrent slots | sandboxed runs/s |");
    println!("|---|---|");
    for (slots, rate) in throughput {
        println!("| {slots} | {rate:.0} |");
    }
}
