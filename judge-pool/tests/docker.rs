//! The Docker sandbox on a real engine: hardening, limits, accounting, cleanup.

mod common;

use codehub_judge::sandbox::{Environment, ExitStatus, LimitHit, RunSpec, Sandbox};
use std::time::Duration;

fn sh(script: &str) -> RunSpec {
    RunSpec::new(vec!["/bin/sh".into(), "-c".into(), script.into()])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn containers_are_hardened_and_isolated() {
    let Some(sandbox) = common::docker_sandbox(1).await else {
        return;
    };
    let env = sandbox.acquire().await.unwrap();
    let r = env
        .run(sh(
            "id -u; hostname; pwd; cat /proc/self/status | grep CapEff; \
                 touch /usr/x 2>/dev/null && echo USR; touch /x 2>/dev/null && echo ROOT; \
                 cat /etc/shadow 2>/dev/null && echo SHADOW; ls /sys/class/net; \
                 cat /proc/self/oom_score_adj; \
                 (echo -1 > /proc/self/oom_score_adj) 2>/dev/null && echo OOM_EXEMPT; env | sort",
        ))
        .await
        .unwrap();
    let out = String::from_utf8_lossy(&r.stdout);
    assert_eq!(
        r.status,
        ExitStatus::Exited(0),
        "{out} {}",
        String::from_utf8_lossy(&r.stderr)
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "62001");
    assert_eq!(lines[1], "codehub");
    assert_eq!(lines[2], "/work");
    assert!(
        lines[3].ends_with("0000000000000000"),
        "no capabilities: {}",
        lines[3]
    );
    assert!(
        !out.contains("USR") && !out.contains("ROOT") && !out.contains("SHADOW"),
        "{out}"
    );
    // The OOM killer takes the program before the runner (pid 1, whose death would end
    // the container mid-run), and the program cannot shield itself below the runner.
    assert!(
        out.lines().any(|l| l == "1000") && !out.contains("OOM_EXEMPT"),
        "oom scores: {out}"
    );
    assert!(
        out.lines().any(|l| l == "lo") && !out.contains("eth0"),
        "no network: {out}"
    );
    assert!(
        !out.contains("CODEHUB") && !out.contains("CARGO"),
        "no host environment: {out}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_limits_and_accounting_work_in_containers() {
    let Some(sandbox) = common::docker_sandbox(1).await else {
        return;
    };
    let env = sandbox.acquire().await.unwrap();
    env.write_file("d/in.txt", b"hello\n", false).await.unwrap();
    let r = env
        .run(sh("cat d/in.txt; echo made > d/out.txt"))
        .await
        .unwrap();
    assert_eq!(r.stdout, b"hello\n");
    assert_eq!(env.read_file("d/out.txt", 100).await.unwrap(), b"made\n");
    assert_eq!(env.list_files().await.unwrap(), ["d/in.txt", "d/out.txt"]);

    let mut spin = sh("while :; do :; done");
    spin.limits.cpu_time = Duration::from_millis(300);
    let r = env.run(spin).await.unwrap();
    assert_eq!(r.limit_hit, Some(LimitHit::CpuTime));
    assert!(
        r.cpu_time >= Duration::from_millis(300) && r.cpu_time < Duration::from_secs(2),
        "{:?}",
        r.cpu_time
    );

    let mut sleeper = sh("sleep 10");
    sleeper.limits.wall_time = Duration::from_millis(300);
    assert_eq!(
        env.run(sleeper).await.unwrap().limit_hit,
        Some(LimitHit::WallTime)
    );

    let mut flood = sh("yes");
    flood.limits.output_bytes = 1 << 20;
    let r = env.run(flood).await.unwrap();
    assert_eq!(
        (r.limit_hit, r.stdout.len()),
        (Some(LimitHit::Output), 1 << 20)
    );

    let mut hog = RunSpec::new(vec![
        "python3".into(),
        "-c".into(),
        "x = bytearray(512 << 20)\nfor i in range(0, len(x), 4096): x[i] = 1".into(),
    ]);
    hog.limits.memory_bytes = 64 << 20;
    hog.limits.cpu_time = Duration::from_secs(5);
    hog.limits.wall_time = Duration::from_secs(10);
    let r = env.run(hog).await.unwrap();
    assert_eq!(r.limit_hit, Some(LimitHit::Memory), "{r:?}");

    let r = env
        .run(sh("(setsid sleep 100 &); sleep 100 & echo started"))
        .await
        .unwrap();
    assert_eq!(r.stdout, b"started\n");
    let r = env.run(sh("ls /proc | grep -c '^[0-9]'")).await.unwrap();
    assert!(
        String::from_utf8_lossy(&r.stdout)
            .trim()
            .parse::<u32>()
            .unwrap()
            <= 4,
        "nothing survives a run"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interactive_pipes_report_their_writers_end_and_runs_stop_when_told() {
    let Some(sandbox) = common::docker_sandbox(1).await else {
        return;
    };
    let env = sandbox.acquire().await.unwrap();
    common::check_interactive_pipes(&env).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_package_gets_the_same_verdicts_on_docker_as_native() {
    use codehub_judge::judge::Judge;
    use codehub_judge::language::LanguageTable;
    use codehub_judge::verify::verify_problem;
    use std::sync::Arc;
    let Some(docker) = common::docker_sandbox(2).await else {
        return;
    };
    let Some(docker_validators) = common::docker_sandbox(2).await else {
        return;
    };
    let languages = Arc::new(LanguageTable::builtin());
    let (docker_pool, validators_pool) = (docker.clone(), docker_validators.clone());
    let on_docker = Judge::new(docker, docker_validators, languages.clone());
    let on_native = Judge::new(
        common::native_sandbox(2),
        common::native_sandbox(2),
        languages,
    );
    let mut names: Vec<_> = std::fs::read_dir(common::problems_dir())
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut differences = Vec::new();
    for name in &names {
        let path = common::problems_dir().join(name);
        let (mut problem, _) = codehub_judge::polygon::load(&path, Some(&on_native))
            .await
            .unwrap();
        // A package verifies in well under a minute; one that takes 3 says where it hung:
        // which backend, and how the Docker pools stood while it hung (read before the
        // verification is dropped, which gives its containers back).
        let limit = std::time::Duration::from_secs(180);
        let hung = |backend: &str| {
            format!(
                "{name} on {backend} did not finish in {limit:?}: docker containers in use \
                 {} (warm {}), validators {} (warm {})",
                docker_pool.containers_in_use(),
                docker_pool.ready_containers(),
                validators_pool.containers_in_use(),
                validators_pool.ready_containers()
            )
        };
        let docker = {
            let verification = verify_problem(&on_docker, &mut problem, 2);
            tokio::pin!(verification);
            tokio::select! {
                report = &mut verification => report.unwrap(),
                () = tokio::time::sleep(limit) => panic!("{}", hung("docker")),
            }
        };
        let native = tokio::time::timeout(limit, verify_problem(&on_native, &mut problem, 2))
            .await
            .unwrap_or_else(|_| panic!("{}", hung("native")))
            .unwrap();
        for (d, n) in docker.submissions.iter().zip(&native.submissions) {
            assert_eq!(d.submission, n.submission);
            if d.got != n.got || !d.matches() {
                differences.push(format!(
                    "{name}/{}: docker {:?} native {:?} expected {} (errors: {:?}, {:?})",
                    d.submission, d.got, n.got, d.expected, d.error, n.error
                ));
            }
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}

/// The limit a program gets is the problem's on both backends (a container's slack for its
/// runner does not count): a C program that touches an array just over the limit is
/// stopped for memory, one well under it is not, natively and in Docker alike.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_memory_limit_is_the_same_at_the_boundary_on_both_backends() {
    let Some(docker) = common::docker_sandbox(1).await else {
        return;
    };
    let native = common::native_sandbox(1);
    const LIMIT_MIB: u64 = 64;
    let source = r#"
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv) {
    size_t n = (size_t)atol(argv[1]) << 20;
    char *p = malloc(n);
    if (!p) return 3;
    memset(p, 1, n);
    return p[n - 1] == 1 ? 0 : 4;
}
"#;
    async fn outcome<S: Sandbox>(sandbox: &S, source: &str, mib: u64) -> Option<LimitHit> {
        let env = sandbox.acquire().await.unwrap();
        env.write_file("m.c", source.as_bytes(), false)
            .await
            .unwrap();
        let mut cc = RunSpec::new(["gcc", "-O1", "-o", "m", "m.c"].map(String::from).to_vec());
        cc.limits.memory_bytes = 512 << 20;
        cc.limits.cpu_time = Duration::from_secs(20);
        cc.limits.wall_time = Duration::from_secs(40);
        let c = env.run(cc).await.unwrap();
        assert!(c.status.success(), "{}", String::from_utf8_lossy(&c.stderr));
        let mut run = RunSpec::new(vec!["./m".into(), mib.to_string()]);
        run.limits.memory_bytes = LIMIT_MIB << 20;
        run.limits.stack_bytes = 8 << 20;
        run.limits.cpu_time = Duration::from_secs(5);
        run.limits.wall_time = Duration::from_secs(10);
        let r = env.run(run).await.unwrap();
        if r.limit_hit.is_none() {
            assert_eq!(r.status, ExitStatus::Exited(0), "{mib} MiB");
        }
        r.limit_hit
    }
    for (mib, want) in [
        (LIMIT_MIB + 2, Some(LimitHit::Memory)),
        (LIMIT_MIB - 16, None),
    ] {
        assert_eq!(
            outcome(&native, source, mib).await,
            want,
            "native, {mib} MiB"
        );
        assert_eq!(
            outcome(&docker, source, mib).await,
            want,
            "docker, {mib} MiB"
        );
    }
}
