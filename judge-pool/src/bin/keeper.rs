//! The native sandbox's keeper process (see `codehub_judge::sandbox::native::keeper`), or
//! with `--runner`, the Docker sandbox's in-container runner
//! (`codehub_judge::sandbox::docker::runner`).

fn main() {
    if std::env::args_os().nth(1).is_some_and(|a| a == "--runner") {
        codehub_judge::sandbox::docker::runner::runner_main()
    }
    codehub_judge::sandbox::native::keeper::keeper_main()
}
