//! The demo: an admin account, two practice problems and a running ICPC contest, so a
//! newcomer can register and submit within a minute of `codehub serve`.

use crate::app::AppState;
use crate::auth::hash_password;
use crate::routes::import_package;
use codehub_engine::model::{Contest, ContestId, ContestKind, ContestProblem, Role, now_ms};
use codehub_engine::ports::store::NewUser;
use rand::RngCore;
use std::io::Write;

/// The demo problems: (slug, files of the package).
const PROBLEMS: &[(&str, &[(&str, &str)])] = &[
    (
        "hello",
        &[
            (
                "problem.yaml",
                "name: Hello World\nlimits:\n  time_limit: 1\n  memory: 256\n",
            ),
            (
                "problem_statement/problem.en.md",
                "# Hello World\n\nPrint the line `Hello World!`.\n\n## Input\n\nNone.\n\n## Output\n\nOne line: `Hello World!`\n",
            ),
            ("data/sample/1.in", ""),
            ("data/sample/1.ans", "Hello World!\n"),
            ("data/secret/1.in", ""),
            ("data/secret/1.ans", "Hello World!\n"),
        ],
    ),
    (
        "aplusb",
        &[
            (
                "problem.yaml",
                "name: A plus B\nlimits:\n  time_limit: 1\n  memory: 256\n",
            ),
            (
                "problem_statement/problem.en.md",
                "# A plus B\n\nGiven two integers $a$ and $b$ ($-10^{18} \\le a, b \\le 10^{18}$), print $a + b$.\n\n## Input\n\nOne line with $a$ and $b$.\n\n## Output\n\nOne line with $a+b$.\n",
            ),
            ("data/sample/1.in", "1 2\n"),
            ("data/sample/1.ans", "3\n"),
            ("data/secret/1.in", "-5 5\n"),
            ("data/secret/1.ans", "0\n"),
            (
                "data/secret/2.in",
                "1000000000000000000 -999999999999999999\n",
            ),
            ("data/secret/2.ans", "1\n"),
            ("data/secret/3.in", "123456789 987654321\n"),
            ("data/secret/3.ans", "1111111110\n"),
        ],
    ),
];

fn zip(files: &[(&str, &str)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in files {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .expect("in-memory zip");
        w.write_all(text.as_bytes()).expect("in-memory zip");
    }
    w.finish().expect("in-memory zip").into_inner()
}

/// Creates the demo data (once: skipped when a user `admin` exists). Prints the admin
/// password once.
///
/// # Errors
/// Store or import failures.
pub async fn seed(state: &AppState) -> anyhow::Result<()> {
    if state.store.user_by_name("admin").await?.is_some() {
        return Ok(());
    }
    let mut raw = [0u8; 12];
    rand::rng().fill_bytes(&mut raw);
    let password = hex::encode(raw);
    state
        .store
        .create_user(NewUser {
            username: "admin".into(),
            password_hash: hash_password(password.clone())
                .await
                .map_err(|e| anyhow::anyhow!(e.message))?,
            role: Role::Admin,
        })
        .await?;
    let mut problems = Vec::new();
    for (i, (slug, files)) in PROBLEMS.iter().enumerate() {
        let p = import_package(state, zip(files), Some((*slug).to_owned()), true)
            .await
            .map_err(|e| anyhow::anyhow!("demo problem {slug}: {}", e.message))?;
        problems.push(ContestProblem {
            problem_id: p.id,
            label: ((b'A' + i as u8) as char).to_string(),
        });
    }
    let now = now_ms();
    let hour = 3_600_000;
    state
        .store
        .create_contest(Contest {
            id: ContestId(0),
            slug: "demo".into(),
            name: "CodeHub Demo Contest".into(),
            kind: ContestKind::Icpc,
            start_at: now - 60_000,
            end_at: now + 5 * hour,
            freeze_at: Some(now + 4 * hour),
            unfreeze_at: Some(now + 5 * hour + hour / 2),
            unfrozen: false,
            penalty_minutes: 20,
            problems,
            verdict_policy: None,
            allow_runs: false,
            rated: false,
        })
        .await?;
    println!("demo: admin account `admin`, password `{password}` (shown once)");
    println!("demo: contest `demo` is running with problems A (hello) and B (aplusb)");
    Ok(())
}
