// Wrong answer: the right shape, the wrong words.
fn main() {
    println!("Goodbye World!");
}
