//! The `codehub` command: CLI → settings → wiring → run → exit code.

use std::process::ExitCode;

fn main() -> ExitCode {
    // The native sandbox starts its keepers as `codehub __sandbox-keeper`, and Docker
    // containers run `codehub __sandbox-runner`; neither may start a runtime or parse
    // arguments, so this comes before everything else.
    if std::env::args_os()
        .nth(1)
        .is_some_and(|a| a == codehub_gateway::cli::KEEPER_ARG)
    {
        codehub_judge::sandbox::native::keeper::keeper_main();
    }
    codehub_gateway::cli::main()
}
