//! The `codehub` command: CLI → settings → wiring → run → exit code.

use std::process::ExitCode;

fn main() -> ExitCode {
    // The native sandbox starts its keepers as `codehub __sandbox-keeper`, and Docker
    // containers run `codehub __sandbox-runner`; neither may start a runtime or parse
    // arguments, so this comes before everything else.
    let first = std::env::args_os().nth(1);
    if first
        .as_ref()
        .is_some_and(|a| a == codehub_gateway::cli::KEEPER_ARG)
    {
        codehub_judge::sandbox::native::keeper::keeper_main();
    }
    if first
        .as_ref()
        .is_some_and(|a| a == codehub_gateway::cli::RUNNER_ARG)
    {
        codehub_judge::sandbox::docker::runner::runner_main();
    }
    return_large_blocks_to_the_system();
    codehub_gateway::cli::main()
}

/// Makes glibc's malloc serve every block of 1 MiB or more with its own mapping, unmapped
/// when freed. By default the threshold rises to the largest block freed (up to 32 MiB),
/// so argon2's 19 MiB blocks (one per sign-in) then come from the heaps of the blocking
/// threads' arenas and stay there: a burst of 20 sign-ins kept about 100 MiB for good in
/// the soak (`docs/benchmarks.md`).
fn return_large_blocks_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator parameters; called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}
