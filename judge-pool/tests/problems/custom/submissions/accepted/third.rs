use std::io::Read;

// a = n/3 and b = n - n/3 >= 2n/3 > a; printed on separate lines.
fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let n: i64 = s.trim().parse().unwrap();
    let a = n / 3;
    println!("{}\n{}", a, n - a);
}
