use std::io::Read;

fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let mut it = s.split_whitespace().map(|t| t.parse::<f64>().unwrap());
    let a = it.next().unwrap();
    let b = it.next().unwrap();
    // Display for f64 never uses an exponent: plain decimal digits.
    println!("{}", a / b);
}
