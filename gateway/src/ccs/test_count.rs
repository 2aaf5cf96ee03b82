//! `test_data_count` of a problem: the test cases in its package, counted once per
//! package (packages are content-addressed, so the count never changes).

use crate::app::AppState;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

fn cache() -> &'static Mutex<HashMap<String, usize>> {
    static CACHE: OnceLock<Mutex<HashMap<String, usize>>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// The number of `*.in` files under the `data` directory in the package `hash` (0 if it cannot be read).
pub async fn count(state: &AppState, hash: &str) -> usize {
    if let Some(n) = cache().lock().expect("cache lock").get(hash) {
        return *n;
    }
    let Ok(path) = state.blobs.local_path(hash).await else {
        return 0;
    };
    let n = tokio::task::spawn_blocking(move || {
        let file = std::fs::File::open(path).ok()?;
        let archive = zip::ZipArchive::new(file).ok()?;
        Some(
            archive
                .file_names()
                .filter(|n| n.ends_with(".in") && n.split('/').any(|c| c == "data"))
                .count(),
        )
    })
    .await
    .ok()
    .flatten();
    match n {
        Some(n) => {
            cache()
                .lock()
                .expect("cache lock")
                .insert(hash.to_owned(), n);
            n
        }
        None => 0,
    }
}
