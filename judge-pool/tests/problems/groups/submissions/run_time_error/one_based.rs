use std::io::{self, Read};

// 1-based indexing into a 0-based Vec: a[n] is out of bounds -> panic.
fn main() {
    let mut s = String::new();
    io::stdin().read_to_string(&mut s).unwrap();
    let mut it = s.split_ascii_whitespace();
    let n: usize = it.next().unwrap().parse().unwrap();
    let mut a = vec![0i64; n];
    for i in 1..=n {
        a[i] = it.next().unwrap().parse().unwrap();
    }
    println!("{}", a.iter().sum::<i64>());
}
