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
    codehub_gateway::cli::main()
}
