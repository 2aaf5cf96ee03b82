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
///
/// Also caps glibc's arenas at one per core (its default is eight per core): the many
/// short-lived blocking threads each fragmented an arena of their own, and a 15-minute
/// soak at 10 submissions/s grew 14 MiB after warm-up with the cap against 30 MiB without.
fn return_large_blocks_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get().max(2));
        let cores = i32::try_from(cores).unwrap_or(i32::MAX);
        // SAFETY: mallopt only changes allocator parameters; called before any thread
        // starts.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
            libc::mallopt(libc::M_ARENA_MAX, cores);
        }
    }
}
