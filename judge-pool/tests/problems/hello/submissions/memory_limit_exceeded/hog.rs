// Memory limit exceeded: keeps allocating and touching 16 MiB blocks (limit 256 MiB).
fn main() {
    let mut blocks: Vec<Vec<u8>> = Vec::new();
    loop {
        blocks.push(vec![1u8; 16 << 20]);
        if blocks.len() == usize::MAX {
            break;
        }
    }
    println!("Hello World! {}", blocks.len());
}
