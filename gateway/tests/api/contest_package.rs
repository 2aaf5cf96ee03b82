//! `codehub contest export` and `import`: a contest played on one server is exported as a
//! CCS contest package (validated against the schemas), imported into a fresh server, and
//! comes back the same (contest, problems, teams, accounts that sign in); a hand-written
//! package with YAML and the legacy `accounts.tsv` imports too; bad packages are refused
//! with a readable message.

use super::ccs_schemas::check;
use super::helpers::{problems_dir, spawn_app};
use serde_json::{Value, json};
use std::path::Path;
use std::process::Command;

/// Runs `codehub contest …`: (success, stdout, stderr).
fn codehub(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_codehub"))
        .arg("contest")
        .args(args)
        .output()
        .expect("run codehub");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn read_json(dir: &Path, name: &str) -> Value {
    serde_json::from_slice(&std::fs::read(dir.join(name)).unwrap()).unwrap()
}

/// A contest object without what differs between servers.
fn comparable(mut contest: Value) -> Value {
    contest
        .as_object_mut()
        .unwrap()
        .remove("scoreboard_thaw_time");
    contest
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_contest_exports_as_a_package_and_imports_into_another_server() {
    let app = spawn_app();
    let admin = app.admin().await;
    let password = app.admin_password.clone().unwrap();
    let hello = app.import(&admin, "hello").await;
    let now = super::helpers::now_ms();
    let contest = app
        .contest(
            &admin,
            "pkg-wf",
            &[hello],
            json!({"start_at": now - 600_000, "freeze_at": now + 600_000, "penalty_minutes": 15}),
        )
        .await;
    let source =
        std::fs::read_to_string(problems_dir().join("hello/submissions/accepted/hello.py"))
            .unwrap();
    for name in ["pat_pkg", "quinn_pkg"] {
        let (token, _) = app.register(name).await;
        app.post(
            &format!("/api/contests/{contest}/register"),
            Some(&token),
            json!({}),
        )
        .await;
        let (status, s) = app
            .submit(&token, Some(contest), hello, "hello.py", &source)
            .await;
        assert_eq!(status, 202, "{s}");
        app.wait_judged(&token, s["id"].as_i64().unwrap()).await;
    }

    // Export to a directory: every file validates, files and packages are there.
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("pkg-wf");
    let (ok, stdout, stderr) = codehub(&[
        "export",
        "--url",
        &app.base,
        "--user",
        "admin",
        "--password",
        &password,
        "--feed-idle",
        "1s",
        "pkg-wf",
        dir.to_str().unwrap(),
    ]);
    assert!(ok, "{stdout}{stderr}");
    assert!(stdout.contains("2 submissions"), "{stdout}");
    for (file, schema) in [
        ("api.json", "api_information.json"),
        ("contest.json", "contest.json"),
        ("problems.json", "problems.json"),
        ("teams.json", "teams.json"),
        ("accounts.json", "accounts.json"),
        ("submissions.json", "submissions.json"),
        ("judgements.json", "judgements.json"),
        ("runs.json", "runs.json"),
        ("awards.json", "awards.json"),
        ("scoreboard.json", "scoreboard.json"),
        ("state.json", "state.json"),
    ] {
        if let Err(e) = check(schema, &read_json(&dir, file)) {
            panic!("{file}: {e}");
        }
    }
    let feed = std::fs::read_to_string(dir.join("event-feed.ndjson")).unwrap();
    assert!(feed.lines().count() > 10, "{feed}");
    for line in feed.lines() {
        check("event-feed.json", &serde_json::from_str(line).unwrap()).unwrap();
    }
    let submissions = read_json(&dir, "submissions.json");
    for s in submissions.as_array().unwrap() {
        let zip = dir
            .join("submissions")
            .join(s["id"].as_str().unwrap())
            .join("files.zip");
        let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip).unwrap()).unwrap();
        assert_eq!(archive.by_index(0).unwrap().name(), "hello.py");
    }
    assert!(dir.join("problems/t-hello/problem.zip").is_file());
    // A second export to the same place is refused.
    let (ok, _, stderr) = codehub(&[
        "export",
        "--url",
        &app.base,
        "--password",
        &password,
        "pkg-wf",
        dir.to_str().unwrap(),
    ]);
    assert!(!ok && stderr.contains("already exists"), "{stderr}");

    // Zip it, import it into a fresh server: the same contest, problems and teams.
    let zipped = out.path().join("pkg-wf.zip");
    let (ok, stdout, stderr) = codehub(&[
        "export",
        "--url",
        &app.base,
        "--password",
        &password,
        "--feed-idle",
        "1s",
        "pkg-wf",
        zipped.to_str().unwrap(),
    ]);
    assert!(ok, "{stdout}{stderr}");
    let other = spawn_app();
    let other_password = other.admin_password.clone().unwrap();
    let (ok, stdout, stderr) = codehub(&[
        "import",
        "--url",
        &other.base,
        "--password",
        &other_password,
        zipped.to_str().unwrap(),
    ]);
    assert!(ok, "{stdout}{stderr}");
    assert!(stdout.contains("contest `pkg-wf`: created"), "{stdout}");
    let get = |app: &super::helpers::TestApp, path: String| {
        let (client, url) = (app.client.clone(), format!("{}/api/ccs/{path}", app.base));
        let pw = if app.base == other.base {
            other_password.clone()
        } else {
            password.clone()
        };
        async move {
            client
                .get(url)
                .basic_auth("admin", Some(pw))
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    assert_eq!(
        comparable(get(&other, "contests/pkg-wf".into()).await),
        comparable(read_json(&dir, "contest.json"))
    );
    let strip = |v: Value| -> Vec<Value> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|p| {
                let mut p = p.clone();
                p.as_object_mut().unwrap().remove("package");
                p
            })
            .collect()
    };
    assert_eq!(
        strip(get(&other, "contests/pkg-wf/problems".into()).await),
        strip(read_json(&dir, "problems.json"))
    );
    let names = |v: Value| -> Vec<String> {
        let mut n: Vec<String> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap().to_owned())
            .collect();
        n.sort();
        n
    };
    assert_eq!(
        names(get(&other, "contests/pkg-wf/teams".into()).await),
        ["pat_pkg", "quinn_pkg"]
    );
    // The exported accounts had no passwords: the import made some and printed them.
    let generated: Vec<(&str, &str)> = stdout
        .lines()
        .skip_while(|l| !l.starts_with("generated passwords"))
        .skip(1)
        .filter_map(|l| l.split_once('\t'))
        .collect();
    assert_eq!(generated.len(), 2, "{stdout}");
    let (user, pw) = generated[0];
    let (status, body) = other
        .post(
            "/api/auth/login",
            None,
            json!({"username": user, "password": pw}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    // Importing again reuses the problems and refuses the existing contest by name.
    let (ok, stdout, stderr) = codehub(&[
        "import",
        "--url",
        &other.base,
        "--password",
        &other_password,
        dir.to_str().unwrap(),
    ]);
    assert!(
        !ok && stdout.contains("reused") && stderr.contains("pkg-wf"),
        "{stdout}{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hand_written_package_with_yaml_and_legacy_accounts_imports() {
    let app = spawn_app();
    let password = app.admin_password.clone().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("contest.yaml"),
        "id: spring-cup\nname: Spring Cup\nstart_time: 2030-04-01T10:00:00+02:00\nduration: 5:00:00\n\
         scoreboard_freeze_duration: 1:00:00\npenalty_time: 20\n",
    )
    .unwrap();
    std::fs::write(
        root.join("problems.yaml"),
        "- id: hello\n  label: X\n  ordinal: 1\n",
    )
    .unwrap();
    // The legacy layout: the problem's package directory at the root.
    copy_dir(&problems_dir().join("hello"), &root.join("hello"));
    std::fs::write(
        root.join("accounts.tsv"),
        "accounts\t1\nteam\tTeam One\tteam-one\tpw-one-1-long\njudge\tJudge\tjudy\tpw-judy-1-long\n",
    )
    .unwrap();
    let (ok, stdout, stderr) = codehub(&[
        "import",
        "--url",
        &app.base,
        "--password",
        &password,
        root.to_str().unwrap(),
    ]);
    assert!(ok, "{stdout}{stderr}");
    let (_, contest) = app.get("/api/ccs/contests/spring-cup", None).await;
    assert_eq!(contest["start_time"], "2030-04-01T08:00:00.000Z");
    assert_eq!(
        (
            contest["duration"].as_str(),
            contest["scoreboard_freeze_duration"].as_str()
        ),
        (Some("5:00:00.000"), Some("1:00:00.000"))
    );
    assert_eq!(contest["penalty_time"], "0:20:00.000");
    let (status, team) = app
        .post(
            "/api/auth/login",
            None,
            json!({"username": "team-one", "password": "pw-one-1-long"}),
        )
        .await;
    assert_eq!(status, 200, "{team}");
    let (status, judge) = app
        .post(
            "/api/auth/login",
            None,
            json!({"username": "judy", "password": "pw-judy-1-long"}),
        )
        .await;
    assert_eq!(
        (status, judge["user"]["role"].as_str()),
        (200, Some("jury")),
        "{judge}"
    );
    let (_, list) = app.get("/api/contests", None).await;
    let id = list
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["slug"] == "spring-cup")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let (_, teams) = app.get(&format!("/api/contests/{id}/teams"), None).await;
    assert_eq!(teams[0]["name"], "team-one", "{teams}");

    // Bad packages: readable refusals.
    for (file, text, needle) in [
        (
            "contest.yaml",
            "id: x\nname: X\nduration: 5:00:00\n",
            "start_time",
        ),
        (
            "contest.yaml",
            "id: x\nname: X\nstart_time: yesterday\nduration: 5:00:00\n",
            "not a TIME",
        ),
        (
            "contest.yaml",
            "id: x\nname: X\nstart_time: 2030-04-01T10:00:00Z\nduration: five hours\n",
            "not a RELTIME",
        ),
    ] {
        let bad = tempfile::tempdir().unwrap();
        std::fs::write(bad.path().join(file), text).unwrap();
        let (ok, _, stderr) = codehub(&[
            "import",
            "--url",
            &app.base,
            "--password",
            &password,
            bad.path().to_str().unwrap(),
        ]);
        assert!(!ok && stderr.contains(needle), "{needle}: {stderr}");
    }
    let empty = tempfile::tempdir().unwrap();
    let (ok, _, stderr) = codehub(&[
        "import",
        "--url",
        &app.base,
        "--password",
        &password,
        empty.path().to_str().unwrap(),
    ]);
    assert!(!ok && stderr.contains("no contest.json"), "{stderr}");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}
