// Time limit exceeded: spins forever (the volatile read keeps the loop alive under -O).
fn main() {
    let x = 0u64;
    loop {
        if unsafe { std::ptr::read_volatile(&x) } == 1 {
            break;
        }
    }
    println!("Hello World!");
}
