// Output limit exceeded: prints forever.
use std::io::{BufWriter, Write};

fn main() {
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    loop {
        if out.write_all(b"Hello World!\n").is_err() {
            return;
        }
    }
}
