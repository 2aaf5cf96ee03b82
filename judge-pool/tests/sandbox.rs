//! The native sandbox, exercised directly: isolation, limits and accounting.

mod common;

use codehub_judge::sandbox::{Environment, ExitStatus, LimitHit, RunSpec, Sandbox};
use std::time::Duration;

fn sh(script: &str) -> RunSpec {
    RunSpec::new(vec!["/bin/sh".into(), "-c".into(), script.into()])
}

#[tokio::test]
async fn runs_as_an_unprivileged_user_in_fresh_namespaces() {
    let sandbox = common::native_sandbox(1);
    let env = sandbox.acquire().await.unwrap();
    let r = env
        .run(sh(
            "id -u; hostname; pwd; ls /proc | grep -c '^[0-9]'; echo $HOME",
        ))
        .await
        .unwrap();
    let out = String::from_utf8_lossy(&r.stdout);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        r.status,
        ExitStatus::Exited(0),
        "stderr: {}",
        String::from_utf8_lossy(&r.stderr)
    );
    assert_eq!(lines[0], "1000");
    assert_eq!(lines[1], "codehub");
    assert_eq!(lines[2], "/work");
    // Only the keeper, the shell and `ls` (and maybe grep) are visible.
    assert!(lines[3].parse::<u32>().unwrap() <= 4, "{out}");
    assert_eq!(lines[4], "/work");
}

#[tokio::test]
async fn host_files_and_network_are_out_of_reach() {
    let sandbox = common::native_sandbox(1);
    let env = sandbox.acquire().await.unwrap();
    let r = env
        .run(sh("cat /etc/shadow 2>/dev/null && echo SHADOW; \
             ls /root 2>/dev/null && echo ROOT; \
             touch /usr/x 2>/dev/null && echo USR; \
             touch /x 2>/dev/null && echo SLASH; \
             echo ok"))
        .await
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&r.stdout).trim(), "ok");
}

#[tokio::test]
async fn files_written_by_the_host_are_visible_and_writable_inside() {
    let sandbox = common::native_sandbox(1);
    let env = sandbox.acquire().await.unwrap();
    env.write_file("dir/in.txt", b"hello\n", false)
        .await
        .unwrap();
    let r = env
        .run(sh("cat dir/in.txt; echo made > dir/out.txt"))
        .await
        .unwrap();
    assert_eq!(r.stdout, b"hello\n");
    assert_eq!(env.read_file("dir/out.txt", 100).await.unwrap(), b"made\n");
    assert_eq!(
        env.list_files().await.unwrap(),
        vec!["dir/in.txt", "dir/out.txt"]
    );
}

#[tokio::test]
async fn cpu_wall_and_output_limits_stop_the_program() {
    let sandbox = common::native_sandbox(1);
    let env = sandbox.acquire().await.unwrap();
    let mut spin = sh("while :; do :; done");
    spin.limits.cpu_time = Duration::from_millis(300);
    let r = env.run(spin).await.unwrap();
    assert_eq!(r.limit_hit, Some(LimitHit::CpuTime));
    assert!(r.cpu_time >= Duration::from_millis(300), "{:?}", r.cpu_time);

    let mut sleeper = sh("sleep 10");
    sleeper.limits.wall_time = Duration::from_millis(300);
    let r = env.run(sleeper).await.unwrap();
    assert_eq!(r.limit_hit, Some(LimitHit::WallTime));

    let mut flood = sh("yes");
    flood.limits.output_bytes = 1 << 20;
    let r = env.run(flood).await.unwrap();
    assert_eq!(r.limit_hit, Some(LimitHit::Output));
    assert!(r.stdout_truncated);
    assert_eq!(r.stdout.len(), 1 << 20);
}

#[tokio::test]
async fn memory_limit_is_enforced_by_the_kernel() {
    let sandbox = common::native_sandbox(1);
    let env = sandbox.acquire().await.unwrap();
    let mut hog = RunSpec::new(vec![
        "/usr/bin/python3".into(),
        "-c".into(),
        "x = bytearray(512 << 20)\nfor i in range(0, len(x), 4096): x[i] = 1".into(),
    ]);
    hog.limits.memory_bytes = 64 << 20;
    hog.limits.cpu_time = Duration::from_secs(5);
    hog.limits.wall_time = Duration::from_secs(10);
    let r = env.run(hog).await.unwrap();
    assert_eq!(r.limit_hit, Some(LimitHit::Memory), "{r:?}");
}

#[tokio::test]
async fn nothing_survives_a_run() {
    let sandbox = common::native_sandbox(1);
    let env = sandbox.acquire().await.unwrap();
    let r = env
        .run(sh("(setsid sleep 100 &) ; sleep 100 & echo started"))
        .await
        .unwrap();
    assert_eq!(r.stdout, b"started\n");
    let r = env.run(sh("ls /proc | grep -c '^[0-9]'")).await.unwrap();
    // keeper + sh + ls + grep at most: the sleepers are gone.
    assert!(
        String::from_utf8_lossy(&r.stdout)
            .trim()
            .parse::<u32>()
            .unwrap()
            <= 4
    );
}

/// With `cpus`, each slot's processes are held on one CPU by the kernel (cpuset): the
/// program sees only that CPU and cannot widen its affinity.
#[tokio::test]
async fn slots_are_pinned_to_their_cpu() {
    let last = std::thread::available_parallelism().map_or(1, |n| n.get()) - 1;
    let mut config = codehub_judge::sandbox::native::NativeConfig::new(common::keeper());
    config.max_slots = 1;
    config.cpus = vec![last];
    let sandbox = codehub_judge::sandbox::native::NativeSandbox::new(config)
        .expect("native sandbox with CPU pinning");
    let env = sandbox.acquire().await.unwrap();
    // `taskset -p` (util-linux) asks for every CPU; the cpuset keeps the program on one.
    let r = env
        .run(sh("grep Cpus_allowed_list /proc/self/status; \
             taskset -a -p -c 0-1023 $$ >/dev/null 2>&1; grep Cpus_allowed_list /proc/self/status"))
        .await
        .unwrap();
    let out = String::from_utf8_lossy(&r.stdout);
    let lists: Vec<&str> = out
        .lines()
        .map(|l| l.split_whitespace().last().unwrap_or(""))
        .collect();
    assert_eq!(lists, vec![last.to_string(), last.to_string()], "{out}");
}

/// A sealed work directory (root only: without root the programs share the judge's uid and
/// nothing is sealed) cannot be changed by a program, and anything a program does add,
/// rename or leave in `/tmp` or on `/work` itself shows in the check.
#[tokio::test]
async fn a_sealed_work_directory_shows_every_change() {
    let sandbox = common::native_sandbox(1);
    let env = sandbox.acquire().await.unwrap();
    env.write_file("prog", b"#!/bin/sh\necho hi\n", true)
        .await
        .unwrap();
    env.write_file("lib/data", b"x", false).await.unwrap();
    let Some(mut seal) = env.seal().await.unwrap() else {
        assert!(!nix::unistd::geteuid().is_root(), "root seals");
        return;
    };
    assert!(env.is_sealed_state(&seal).await.unwrap(), "fresh seal");
    // Writing, chmod-ing or adding inside sealed entries fails; the state stays sealed.
    let r = env
        .run(sh(
            "echo x >> prog; chmod 777 prog; echo y > lib/new; echo z >> lib/data; ./prog",
        ))
        .await
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&r.stdout), "hi\n");
    assert!(env.is_sealed_state(&seal).await.unwrap(), "nothing changed");
    for change in [
        "touch new",
        "mv prog prog2 && cp prog2 prog",
        "touch /tmp/t",
        "chmod 700 .",
        "mkdir d",
    ] {
        env.run(sh(change)).await.unwrap();
        assert!(
            !env.is_sealed_state(&seal).await.unwrap(),
            "`{change}` went unseen"
        );
        env.clear().await.unwrap();
        env.write_file("prog", b"#!/bin/sh\necho hi\n", true)
            .await
            .unwrap();
        env.write_file("lib/data", b"x", false).await.unwrap();
        seal = env.seal().await.unwrap().unwrap();
        assert!(
            env.is_sealed_state(&seal).await.unwrap(),
            "after `{change}`"
        );
    }
}

#[tokio::test]
async fn interactive_pipes_report_their_writers_end_and_runs_stop_when_told() {
    let sandbox = common::native_sandbox(1);
    let env = sandbox.acquire().await.unwrap();
    common::check_interactive_pipes(&env).await;
}
