//! The browser entry point.
use sycamore::prelude::*;

fn main() {
    sycamore::render(|| {
        let count = create_signal(0);
        view! { button(on:click=move |_| count.set(count.get() + 1)) { (count.get()) } }
    });
}
