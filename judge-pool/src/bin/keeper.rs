//! The native sandbox's keeper process (see `codehub_judge::sandbox::native::keeper`).

fn main() {
    codehub_judge::sandbox::native::keeper::keeper_main()
}
