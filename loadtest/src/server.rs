//! The server side of a run: an admin session on a CodeHub server (started locally if
//! asked), the injection of scoreboard deltas, and the channel's final `seq`.

use anyhow::{Context, bail};
use codehub_protocol::ErrorBody;
use codehub_protocol::board::Snapshot;
use codehub_protocol::requests::{Credentials, Injection};
use codehub_protocol::views::Session;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// A CodeHub server started for the run (killed on drop).
pub struct LocalServer {
    /// Its process.
    pub child: Child,
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    /// The demo admin's password.
    pub admin_password: String,
    /// Keeps the data dir alive.
    _data: tempfile::TempDir,
}

impl LocalServer {
    /// Starts `codehub serve` on a free loopback port with a fresh data dir.
    ///
    /// # Errors
    /// If the binary does not start or does not say where it listens.
    pub fn start(codehub: &Path) -> anyhow::Result<LocalServer> {
        let data = tempfile::tempdir()?;
        let mut child = Command::new(codehub)
            // Load, not the per-user rate limit, is what a local run measures.
            .args([
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--rate-burst",
                "1000000",
                "--data-dir",
            ])
            .arg(data.path())
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .spawn()
            .with_context(|| format!("cannot start {}", codehub.display()))?;
        let mut lines = BufReader::new(child.stdout.take().context("no stdout")?).lines();
        let mut password = String::new();
        loop {
            let Some(line) = lines.next() else {
                bail!("{} exited before it listened", codehub.display());
            };
            let line = line?;
            if let Some(rest) = line.strip_prefix("demo: admin account `admin`, password `") {
                password = rest.split('`').next().unwrap_or_default().to_owned();
            }
            if let Some(url) = line.strip_prefix("codehub: listening on ") {
                return Ok(LocalServer {
                    child,
                    url: url.trim().to_owned(),
                    admin_password: password,
                    _data: data,
                });
            }
        }
    }

    /// CPU time (user + system) the server has used, µs.
    pub fn cpu_us(&self) -> Option<f64> {
        cpu_us_of(self.child.id())
    }

    /// Resident memory of the server, KiB.
    pub fn rss_kib(&self) -> Option<u64> {
        rss_kib_of(self.child.id())
    }
}

/// CPU time (user + system) process `pid` has used, µs.
pub fn cpu_us_of(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<&str> = stat.rsplit(')').next()?.split_whitespace().collect();
    let ticks = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    // SAFETY: sysconf is always safe to call.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
    Some(ticks * 1e6 / hz)
}

/// Resident memory of process `pid`, KiB.
pub fn rss_kib_of(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A signed-in user whose access token is renewed when it expires: a run can outlive
/// an access token (15 minutes by default).
pub struct SignedIn {
    client: reqwest::Client,
    url: String,
    username: String,
    password: String,
    /// The current access token, renewed when the server answers 401.
    token: std::sync::Mutex<String>,
}

impl SignedIn {
    /// Signs `username` in on `url`.
    ///
    /// # Errors
    /// Connection failures and a refused sign-in (with the server's message).
    pub async fn new(
        client: &reqwest::Client,
        url: &str,
        username: &str,
        password: &str,
    ) -> anyhow::Result<SignedIn> {
        let user = SignedIn {
            client: client.clone(),
            url: url.to_owned(),
            username: username.to_owned(),
            password: password.to_owned(),
            token: std::sync::Mutex::new(String::new()),
        };
        *user.token.lock().expect("token lock") = user.sign_in().await?;
        Ok(user)
    }

    /// Sends the request `make` builds with this user's token, signing in again once if
    /// the server answers 401 (the token expired).
    ///
    /// # Errors
    /// Connection failures and a refused sign-in.
    pub async fn send(
        &self,
        make: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    ) -> anyhow::Result<reqwest::Response> {
        let token = self.token.lock().expect("token lock").clone();
        let resp = make(&self.client).bearer_auth(&token).send().await?;
        if resp.status() != reqwest::StatusCode::UNAUTHORIZED {
            return Ok(resp);
        }
        let fresh = self.sign_in().await?;
        *self.token.lock().expect("token lock") = fresh.clone();
        Ok(make(&self.client).bearer_auth(&fresh).send().await?)
    }

    async fn sign_in(&self) -> anyhow::Result<String> {
        let resp = self
            .client
            .post(format!("{}/api/auth/login", self.url))
            .json(&Credentials {
                username: self.username.clone(),
                password: self.password.clone(),
            })
            .send()
            .await
            .with_context(|| format!("cannot reach {}", self.url))?;
        let status = resp.status();
        if !status.is_success() {
            bail!(
                "sign-in of {} refused ({status}): {}",
                self.username,
                error_message(resp).await
            );
        }
        let session: Session = resp.json().await.context("sign-in answer")?;
        Ok(session.tokens.access_token)
    }
}

/// An admin session on a server.
pub struct Admin {
    session: SignedIn,
}

impl Admin {
    /// Logs in as `admin`.
    ///
    /// # Errors
    /// Connection failures and a refused login (with the server's message).
    pub async fn login(url: &str, password: &str) -> anyhow::Result<Admin> {
        // A request the server never answers fails the run (after a minute) instead of
        // stalling it silently.
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(60))
            .build()?;
        Ok(Admin {
            session: SignedIn::new(&client, url, "admin", password).await?,
        })
    }

    /// Makes one scoreboard delta: a synthetic result for a synthetic team.
    ///
    /// # Errors
    /// A refused injection.
    pub async fn inject(
        &self,
        contest: i64,
        team: i64,
        problem: usize,
        verdict: &str,
        at_ms: i64,
    ) -> anyhow::Result<()> {
        let injection = Injection {
            team,
            problem,
            verdict: verdict.to_owned(),
            at_ms,
        };
        let url = format!("{}/api/contests/{contest}/inject", self.url());
        let resp = self.session.send(|c| c.post(&url).json(&injection)).await?;
        if !resp.status().is_success() {
            let status = resp.status();
            bail!(
                "injection refused ({status}): {}",
                error_message(resp).await
            );
        }
        Ok(())
    }

    /// The client (for requests as other users).
    pub fn client(&self) -> &reqwest::Client {
        &self.session.client
    }

    /// The server's Prometheus exposition (`GET /metrics` with the admin's token).
    ///
    /// # Errors
    /// A refused or failed request.
    pub async fn metrics(&self) -> anyhow::Result<String> {
        let url = format!("{}/metrics", self.url());
        Ok(self
            .session
            .send(|c| c.get(&url))
            .await?
            .error_for_status()?
            .text()
            .await?)
    }

    /// The server URL.
    pub fn url(&self) -> &str {
        &self.session.url
    }

    /// The public scoreboard's current `seq` and problem count.
    ///
    /// # Errors
    /// Unknown contest, connection failures.
    pub async fn board(&self, contest: i64) -> anyhow::Result<(u64, usize)> {
        let resp = self
            .client()
            .get(format!("{}/api/contests/{contest}/scoreboard", self.url()))
            .send()
            .await?;
        let status = resp.status();
        if !status.is_success() {
            bail!("no scoreboard ({status}): {}", error_message(resp).await);
        }
        let board: Snapshot = resp.json().await.context("scoreboard answer")?;
        Ok((board.seq, board.problems.len()))
    }
}

/// The `message` of an error answer, or its status text if the body is not `{code, message}`.
async fn error_message(resp: reqwest::Response) -> String {
    let status = resp.status();
    match resp.json::<ErrorBody>().await {
        Ok(e) => e.message,
        Err(_) => status.to_string(),
    }
}
