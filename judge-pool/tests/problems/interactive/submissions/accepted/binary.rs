use std::io::{self, BufRead, Write};

fn main() {
    let stdin = io::stdin();
    let mut input = stdin.lock();
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let (mut lo, mut hi) = (1u64, 1_000_000_000u64);
    while lo <= hi {
        let mid = (lo + hi) / 2;
        writeln!(out, "? {}", mid).unwrap();
        out.flush().unwrap();
        let mut line = String::new();
        if input.read_line(&mut line).unwrap() == 0 {
            return;
        }
        match line.trim() {
            "=" => return,
            "<" => hi = mid - 1,
            _ => lo = mid + 1,
        }
    }
}
