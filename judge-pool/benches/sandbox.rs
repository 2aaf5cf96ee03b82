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
    println!();
    println!("| concurrent slots | sandboxed runs/s |");
    println!("|---|---|");
    for (slots, rate) in throughput {
        println!("| {slots} | {rate:.0} |");
    }
}
