fn main() {
    println!("Hello World!");
    panic!("crash after printing the right answer");
}
