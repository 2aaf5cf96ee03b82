//! The browser entry point (`wasm32-unknown-unknown`).

fn main() {
    codehub_web::start();
}
