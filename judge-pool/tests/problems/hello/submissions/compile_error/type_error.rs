fn main() {
    let x: u32 = "Hello World!";
    println!("{}", x);
}
