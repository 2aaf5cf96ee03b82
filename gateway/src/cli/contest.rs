//! `codehub contest export|import`: a contest as a CCS contest package (the Contest API's
//! objects as files, `docs/contest-api.md`), through a running server's API.
//!
//! - `export` reads every endpoint of `/api/ccs/contests/{id}` as the jury, the event
//!   feed, each submission's files and each problem's package, and writes the package:
//!   `api.json`, `contest.json`, `<endpoint>.json`, `event-feed.ndjson`,
//!   `submissions/<id>/files.zip`, `problems/<id>/problem.zip` (a directory, or a `.zip`).
//! - `import` sets a contest up from a package: its problems (`problems/<id>/*.zip`, a
//!   `problems/<id>/` or `<id>/` package directory, or `<id>.zip`), the contest
//!   (`contest.json` or `.yaml`), and its teams' accounts (`accounts.json`/`.yaml`, or the
//!   legacy `accounts.tsv`; teams without an account get one named after the team), each
//!   registered in the contest. Accounts without a password get a generated one, printed.
//!   Submissions and judgements are not imported: CodeHub assigns their ids and times.

use anyhow::{Context, bail};
use base64::Engine as _;
use codehub_judge::polygon::zip_dir;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

/// Arguments of `codehub contest`.
#[derive(Debug, clap::Args)]
pub struct ContestArgs {
    #[command(subcommand)]
    command: ContestCommand,
}

#[derive(Debug, clap::Subcommand)]
enum ContestCommand {
    /// Write a contest, with its submissions and judgements, as a CCS contest package.
    Export(ExportArgs),
    /// Set a contest up from a CCS contest package: problems, the contest, accounts.
    Import(ImportArgs),
}

/// The server and the account used.
#[derive(Debug, clap::Args)]
struct Server {
    /// The server's base URL.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    /// An administrator's user name.
    #[arg(long, default_value = "admin")]
    user: String,
    /// Its password.
    #[arg(long, env = "CODEHUB_PASSWORD", hide_env_values = true)]
    password: String,
}

#[derive(Debug, clap::Args)]
struct ExportArgs {
    #[command(flatten)]
    server: Server,
    /// The contest's Contest API id (its short name).
    #[arg(value_name = "CONTEST")]
    contest: String,
    /// Where to write: a new directory, or a path ending in `.zip`.
    #[arg(value_name = "OUT")]
    out: PathBuf,
    /// How long the event feed may stay silent before the export stops reading it
    /// (a finished contest's feed ends by itself).
    #[arg(long, default_value = "2s", value_parser = humantime_ms)]
    feed_idle: Duration,
}

#[derive(Debug, clap::Args)]
struct ImportArgs {
    #[command(flatten)]
    server: Server,
    /// The package: a directory or a `.zip`.
    #[arg(value_name = "DIR|ZIP")]
    package: PathBuf,
}

fn humantime_ms(s: &str) -> Result<Duration, String> {
    let (n, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u64 = n
        .parse()
        .map_err(|_| format!("`{s}`: a number then s or ms"))?;
    match unit {
        "s" | "" => Ok(Duration::from_secs(n)),
        "ms" => Ok(Duration::from_millis(n)),
        _ => Err(format!("`{s}`: a number then s or ms")),
    }
}

/// Runs `codehub contest …`.
pub async fn run(args: ContestArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        ContestCommand::Export(a) => export(a).await,
        ContestCommand::Import(a) => import(a).await,
    }
    .map(|()| ExitCode::SUCCESS)
}

/// A client of one server.
struct Client {
    http: reqwest::Client,
    base: String,
    user: String,
    password: String,
}

impl Client {
    fn new(s: &Server) -> anyhow::Result<Client> {
        Ok(Client {
            http: reqwest::Client::builder().build()?,
            base: s.url.trim_end_matches('/').to_owned(),
            user: s.user.clone(),
            password: s.password.clone(),
        })
    }

    /// `GET /api/ccs/<path>` as the jury (HTTP Basic).
    async fn ccs(&self, path: &str) -> anyhow::Result<reqwest::Response> {
        let url = format!("{}/api/ccs/{path}", self.base);
        let resp = self
            .http
            .get(&url)
            .basic_auth(&self.user, Some(&self.password))
            .send()
            .await
            .with_context(|| format!("GET {url}"))?;
        checked(resp, &url).await
    }

    async fn ccs_json(&self, path: &str) -> anyhow::Result<Value> {
        Ok(self.ccs(path).await?.json().await?)
    }

    /// A request to CodeHub's own API with `token`.
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> anyhow::Result<(u16, Value)> {
        let url = format!("{}{path}", self.base);
        let mut req = self.http.request(method.clone(), &url);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req
            .send()
            .await
            .with_context(|| format!("{method} {url}"))?;
        let status = resp.status().as_u16();
        Ok((status, resp.json().await.unwrap_or(Value::Null)))
    }
}

/// The response, or an error with the server's `{code, message}`.
async fn checked(resp: reqwest::Response, url: &str) -> anyhow::Result<reqwest::Response> {
    if resp.status().is_success() {
        return Ok(resp);
    }
    let status = resp.status();
    let body: Value = resp.json().await.unwrap_or(Value::Null);
    bail!(
        "{url}: {status}: {}",
        body["message"].as_str().unwrap_or("no message")
    )
}

fn write_json(dir: &Path, name: &str, value: &Value) -> anyhow::Result<()> {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(&path, serde_json::to_vec_pretty(value)?)
        .with_context(|| format!("writing {}", path.display()))
}

/// The endpoints a package holds as `<endpoint>.json`.
const ENDPOINTS: [&str; 14] = [
    "judgement-types",
    "languages",
    "problems",
    "groups",
    "organizations",
    "teams",
    "accounts",
    "state",
    "submissions",
    "judgements",
    "runs",
    "clarifications",
    "awards",
    "scoreboard",
];

async fn export(a: ExportArgs) -> anyhow::Result<()> {
    let zip = a.out.extension().is_some_and(|e| e == "zip");
    if a.out.exists() && (zip || std::fs::read_dir(&a.out)?.next().is_some()) {
        bail!("{}: already exists; give a new path", a.out.display());
    }
    let client = Client::new(&a.server)?;
    let staging = tempfile::tempdir()?;
    let dir = if zip {
        staging.path().to_owned()
    } else {
        std::fs::create_dir_all(&a.out)?;
        a.out.clone()
    };
    let cid = &a.contest;
    write_json(&dir, "api.json", &client.ccs_json("").await?)?;
    write_json(
        &dir,
        "contest.json",
        &client.ccs_json(&format!("contests/{cid}")).await?,
    )?;
    let mut objects = HashMap::new();
    for endpoint in ENDPOINTS {
        let value = client
            .ccs_json(&format!("contests/{cid}/{endpoint}"))
            .await?;
        write_json(&dir, &format!("{endpoint}.json"), &value)?;
        objects.insert(endpoint, value);
    }
    // Files: each reference's `href` is relative to the API's base URL.
    let mut files = 0;
    for (endpoint, property) in [("submissions", "files"), ("problems", "package")] {
        for object in objects[endpoint].as_array().into_iter().flatten() {
            let id = object["id"].as_str().context("an object without an id")?;
            for file in object[property].as_array().into_iter().flatten() {
                let (Some(href), Some(name)) = (file["href"].as_str(), file["filename"].as_str())
                else {
                    continue;
                };
                let bytes = client.ccs(href).await?.bytes().await?;
                let path = dir.join(endpoint).join(id).join(name);
                std::fs::create_dir_all(path.parent().expect("a parent"))?;
                std::fs::write(&path, &bytes)?;
                files += 1;
            }
        }
    }
    // The event feed: until it ends (a finished contest) or stays silent for a while.
    let mut resp = client.ccs(&format!("contests/{cid}/event-feed")).await?;
    let mut feed = Vec::new();
    while let Ok(chunk) = tokio::time::timeout(a.feed_idle, resp.chunk()).await {
        match chunk? {
            Some(c) => feed.extend_from_slice(&c),
            None => break,
        }
    }
    let feed: Vec<u8> = feed
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .flat_map(|l| l.iter().copied().chain([b'\n']))
        .collect();
    std::fs::write(dir.join("event-feed.ndjson"), &feed)?;
    if zip {
        let bytes = zip_dir(&dir).map_err(anyhow::Error::msg)?;
        std::fs::write(&a.out, bytes)?;
    }
    println!(
        "exported contest `{cid}`: {} submissions, {} files, {} events → {}",
        objects["submissions"].as_array().map_or(0, Vec::len),
        files,
        feed.iter().filter(|b| **b == b'\n').count(),
        a.out.display()
    );
    Ok(())
}

/// The package's files, from a directory or an extracted zip.
struct Package {
    root: PathBuf,
    _extracted: Option<tempfile::TempDir>,
}

impl Package {
    fn open(path: &Path) -> anyhow::Result<Package> {
        if path.is_dir() {
            return Ok(Package {
                root: path.to_owned(),
                _extracted: None,
            });
        }
        let file = std::fs::File::open(path).with_context(|| format!("{}", path.display()))?;
        let mut archive = zip::ZipArchive::new(file)
            .with_context(|| format!("{}: not a directory or a zip", path.display()))?;
        let dir = tempfile::tempdir()?;
        archive
            .extract(dir.path())
            .with_context(|| format!("{}: cannot extract", path.display()))?;
        // A zip of the package's directory: step into it.
        let mut root = dir.path().to_owned();
        let entries: Vec<_> = std::fs::read_dir(&root)?.flatten().collect();
        if let [only] = entries.as_slice()
            && only.path().is_dir()
        {
            root = only.path();
        }
        Ok(Package {
            root,
            _extracted: Some(dir),
        })
    }

    /// `<name>.json` or `<name>.yaml` (`None`: neither).
    fn document(&self, name: &str) -> anyhow::Result<Option<Value>> {
        let json = self.root.join(format!("{name}.json"));
        if json.is_file() {
            let text = std::fs::read_to_string(&json)?;
            return Ok(Some(
                serde_json::from_str(&text).with_context(|| format!("{name}.json"))?,
            ));
        }
        for ext in ["yaml", "yml"] {
            let yaml = self.root.join(format!("{name}.{ext}"));
            if yaml.is_file() {
                let text = std::fs::read_to_string(&yaml)?;
                return Ok(Some(
                    serde_norway::from_str(&text).with_context(|| format!("{name}.{ext}"))?,
                ));
            }
        }
        Ok(None)
    }

    /// The zip of problem `id`'s package.
    fn problem_zip(&self, id: &str) -> anyhow::Result<Vec<u8>> {
        let dir = self.root.join("problems").join(id);
        if dir.is_dir() {
            if dir.join("problem.yaml").is_file() {
                return zip_dir(&dir).map_err(anyhow::Error::msg);
            }
            for entry in std::fs::read_dir(&dir)?.flatten() {
                if entry.path().extension().is_some_and(|e| e == "zip") {
                    return Ok(std::fs::read(entry.path())?);
                }
            }
        }
        let legacy = self.root.join(id);
        if legacy.join("problem.yaml").is_file() || legacy.join("problem.xml").is_file() {
            return zip_dir(&legacy).map_err(anyhow::Error::msg);
        }
        let zipped = self.root.join(format!("{id}.zip"));
        if zipped.is_file() {
            return Ok(std::fs::read(zipped)?);
        }
        bail!(
            "problem `{id}`: no package (problems/{id}/*.zip, problems/{id}/problem.yaml, {id}/ or {id}.zip)"
        )
    }
}

/// A field of a contest document, as milliseconds.
fn reltime_field(contest: &Value, key: &str) -> anyhow::Result<Option<i64>> {
    match &contest[key] {
        Value::Null => Ok(None),
        // Legacy packages give penalties in whole minutes.
        Value::Number(n) if key == "penalty_time" => Ok(n.as_i64().map(|m| m * 60_000)),
        Value::String(s) => crate::ccs::format::parse_reltime(s)
            .map(Some)
            .with_context(|| format!("contest `{key}`: `{s}` is not a RELTIME (h:mm:ss)")),
        other => bail!("contest `{key}`: `{other}` is not a RELTIME"),
    }
}

/// An account to set up.
struct Account {
    username: String,
    password: Option<String>,
    kind: String,
    team: Option<String>,
}

/// Accounts from `accounts.json`/`.yaml`, or the legacy `accounts.tsv`.
fn accounts(p: &Package) -> anyhow::Result<Vec<Account>> {
    if let Some(list) = p.document("accounts")? {
        let list = list.as_array().context("accounts: a list")?;
        return list
            .iter()
            .map(|a| {
                Ok(Account {
                    username: a["username"]
                        .as_str()
                        .context("an account without a username")?
                        .to_owned(),
                    password: a["password"].as_str().map(str::to_owned),
                    kind: a["type"].as_str().unwrap_or("team").to_owned(),
                    team: a["team_id"].as_str().map(str::to_owned),
                })
            })
            .collect();
    }
    let tsv = p.root.join("accounts.tsv");
    if !tsv.is_file() {
        return Ok(Vec::new());
    }
    // `accounts	1`, then `type	full name	username	password` per line.
    let text = std::fs::read_to_string(&tsv)?;
    let mut lines = text.lines();
    let header = lines.next().unwrap_or_default();
    if !header.starts_with("accounts") {
        bail!("accounts.tsv: the first line must be `accounts<TAB>1`, not `{header}`");
    }
    lines
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(n, line)| {
            let fields: Vec<&str> = line.split('\t').collect();
            let [kind, _name, username, password, ..] = fields.as_slice() else {
                bail!(
                    "accounts.tsv line {}: type, name, username, password",
                    n + 2
                );
            };
            Ok(Account {
                username: (*username).to_owned(),
                password: Some((*password).to_owned()),
                kind: (*kind).to_owned(),
                team: None,
            })
        })
        .collect()
}

/// A user name CodeHub accepts, from a team's id or name.
fn username_for(team: &Value) -> String {
    let raw = team["name"]
        .as_str()
        .or(team["id"].as_str())
        .unwrap_or("team");
    let name: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(32)
        .collect();
    if name.len() < 3 {
        format!("team_{name}")
    } else {
        name
    }
}

fn random_password() -> String {
    use rand::RngCore;
    let mut raw = [0u8; 9];
    rand::rng().fill_bytes(&mut raw);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
}

async fn import(a: ImportArgs) -> anyhow::Result<()> {
    let p = Package::open(&a.package)?;
    let client = Client::new(&a.server)?;
    let contest = p
        .document("contest")?
        .context("no contest.json or contest.yaml in the package")?;
    let slug = contest["id"]
        .as_str()
        .or(contest["short_name"].as_str())
        .context("contest: no `id`")?
        .to_owned();
    let start = contest["start_time"]
        .as_str()
        .context("contest: `start_time` is needed (CodeHub has no paused countdown)")?;
    let start_at = crate::ccs::format::parse_time(start)
        .with_context(|| format!("contest `start_time`: `{start}` is not a TIME"))?;
    let duration = reltime_field(&contest, "duration")?.context("contest: no `duration`")?;
    let freeze = reltime_field(&contest, "scoreboard_freeze_duration")?.filter(|f| *f > 0);
    let penalty = reltime_field(&contest, "penalty_time")?.map(|ms| ms / 60_000);
    let kind = match contest["scoreboard_type"].as_str().unwrap_or("pass-fail") {
        "pass-fail" => "icpc",
        "score" => "ioi",
        other => bail!("contest `scoreboard_type`: `{other}` (pass-fail or score)"),
    };
    let (status, login) = client
        .call(
            reqwest::Method::POST,
            "/api/auth/login",
            None,
            Some(json!({"username": client.user, "password": client.password})),
        )
        .await?;
    if status != 200 {
        bail!("cannot sign in as `{}`: {}", client.user, login["message"]);
    }
    let admin = login["access_token"]
        .as_str()
        .context("a token")?
        .to_owned();

    // Problems, by ordinal.
    let mut problems: Vec<Value> = p
        .document("problems")?
        .or(p.document("problemset")?.map(|d| d["problems"].clone()))
        .context("no problems.json or problems.yaml in the package")?
        .as_array()
        .context("problems: a list")?
        .clone();
    problems.sort_by_key(|q| q["ordinal"].as_i64().unwrap_or(i64::MAX));
    let existing = client
        .call(reqwest::Method::GET, "/api/problems", Some(&admin), None)
        .await?
        .1;
    let mut contest_problems = Vec::new();
    for (i, problem) in problems.iter().enumerate() {
        let id = problem["id"]
            .as_str()
            .or(problem["short-name"].as_str())
            .context("a problem without an id")?;
        let label = problem["label"]
            .as_str()
            .map_or_else(|| ((b'A' + i as u8) as char).to_string(), str::to_owned);
        let known = existing
            .as_array()
            .into_iter()
            .flatten()
            .find(|q| q["slug"] == id)
            .and_then(|q| q["id"].as_i64());
        let problem_id = match known {
            Some(pid) => {
                println!("problem {label} `{id}`: already on the server (#{pid}), reused");
                pid
            }
            None => {
                let url = format!("{}/api/problems?slug={id}", client.base);
                let resp = client
                    .http
                    .post(&url)
                    .bearer_auth(&admin)
                    .header("content-type", "application/zip")
                    .body(p.problem_zip(id)?)
                    .send()
                    .await?;
                let created: Value = checked(resp, &url).await?.json().await?;
                let pid = created["id"].as_i64().context("a problem id")?;
                println!("problem {label} `{id}`: imported (#{pid})");
                pid
            }
        };
        contest_problems.push(json!({"problem_id": problem_id, "label": label}));
    }
    let mut body = json!({
        "slug": slug,
        "name": contest["name"].as_str().unwrap_or(&slug),
        "kind": kind,
        "start_at": start_at,
        "end_at": start_at + duration,
        "problems": contest_problems,
    });
    if let Some(f) = freeze {
        body["freeze_at"] = json!(start_at + duration - f);
    }
    if let Some(pen) = penalty {
        body["penalty_minutes"] = json!(pen);
    }
    let (status, created) = client
        .call(
            reqwest::Method::POST,
            "/api/contests",
            Some(&admin),
            Some(body),
        )
        .await?;
    if status != 201 {
        bail!("contest `{slug}`: {status}: {}", created["message"]);
    }
    let contest_id = created["id"].as_i64().context("a contest id")?;
    println!("contest `{slug}`: created (#{contest_id})");

    // Accounts: every account of the package, and one per team that has none.
    let mut accounts = accounts(&p)?;
    if let Some(teams) = p.document("teams")? {
        for team in teams.as_array().into_iter().flatten() {
            let tid = team["id"].as_str().unwrap_or_default();
            if !accounts.iter().any(|a| a.team.as_deref() == Some(tid)) {
                accounts.push(Account {
                    username: username_for(team),
                    password: None,
                    kind: "team".into(),
                    team: Some(tid.to_owned()),
                });
            }
        }
    }
    let mut generated = Vec::new();
    for account in accounts {
        let password = match account.password.clone() {
            Some(p) => p,
            None => {
                let p = random_password();
                generated.push((account.username.clone(), p.clone()));
                p
            }
        };
        let credentials = json!({"username": account.username, "password": password});
        let (status, session) = client
            .call(
                reqwest::Method::POST,
                "/api/auth/register",
                None,
                Some(credentials.clone()),
            )
            .await?;
        let session = match status {
            201 => session,
            409 => {
                let (status, session) = client
                    .call(
                        reqwest::Method::POST,
                        "/api/auth/login",
                        None,
                        Some(credentials),
                    )
                    .await?;
                if status != 200 {
                    eprintln!(
                        "account `{}`: exists with another password; left as it is",
                        account.username
                    );
                    continue;
                }
                session
            }
            _ => bail!(
                "account `{}`: {status}: {}",
                account.username,
                session["message"]
            ),
        };
        let token = session["access_token"].as_str().context("a token")?;
        let user_id = session["user"]["id"].as_i64().context("a user id")?;
        match account.kind.as_str() {
            "team" => {
                let (status, e) = client
                    .call(
                        reqwest::Method::POST,
                        &format!("/api/contests/{contest_id}/register"),
                        Some(token),
                        Some(json!({})),
                    )
                    .await?;
                if status >= 300 {
                    bail!(
                        "account `{}`: cannot join the contest: {}",
                        account.username,
                        e["message"]
                    );
                }
            }
            kind => {
                let role = match kind {
                    "admin" => "admin",
                    "judge" | "jury" => "jury",
                    _ => "spectator",
                };
                let (status, e) = client
                    .call(
                        reqwest::Method::PATCH,
                        &format!("/api/users/{user_id}"),
                        Some(&admin),
                        Some(json!({"role": role})),
                    )
                    .await?;
                if status != 200 {
                    bail!(
                        "account `{}`: cannot set role {role}: {}",
                        account.username,
                        e["message"]
                    );
                }
            }
        }
        println!("account `{}` ({}): ready", account.username, account.kind);
    }
    if !generated.is_empty() {
        println!("generated passwords (username<TAB>password):");
        for (u, p) in generated {
            println!("{u}\t{p}");
        }
    }
    Ok(())
}
