//! The servers under test: a local `codehub serve` started for the run (`--local`) or the
//! `--url`s given, with an admin session to make deltas and read the board.

use crate::cli::Target;
use anyhow::{Context, bail};
use codehub_loadtest::server::{Admin, LocalServer, SignedIn};

/// The servers of a run, ready to be loaded.
pub(crate) struct Prepared {
    /// Server URLs (one for `--local`), used round-robin by the spectators.
    pub(crate) urls: Vec<String>,
    /// The admin session on the first URL.
    pub(crate) admin: Admin,
    /// The server started for the run, if any (killed on drop).
    pub(crate) local: Option<LocalServer>,
}

/// Starts a local server (`--local`) or takes the `--url`s, and logs in as admin.
pub(crate) async fn prepare(t: &Target) -> anyhow::Result<Prepared> {
    if t.local {
        let codehub = match &t.codehub {
            Some(p) => p.clone(),
            None => std::env::current_exe()?.with_file_name("codehub"),
        };
        let server = LocalServer::start(&codehub)?;
        let admin = Admin::login(&server.url, &server.admin_password).await?;
        return Ok(Prepared {
            urls: vec![server.url.clone()],
            admin,
            local: Some(server),
        });
    }
    if t.urls.is_empty() {
        bail!("give --url (one or more) or --local");
    }
    let password = t.admin_password.as_deref().context(
        "the admin password is needed to make deltas: --admin-password or CODEHUB_ADMIN_PASSWORD",
    )?;
    let admin = Admin::login(&t.urls[0], password).await?;
    Ok(Prepared {
        urls: t.urls.clone(),
        admin,
        local: None,
    })
}

/// The password every contestant of a run signs up with.
const CONTESTANT_PASSWORD: &str = "load test password";

/// A run's contestants, signed in (their tokens renewed when they expire, so a long soak
/// does not count expired tokens as refused submissions).
pub(crate) type Contestants = std::sync::Arc<[SignedIn]>;

/// Registers `n` fresh contestants (`<prefix><pid>x<i>`).
///
/// # Errors
/// A registration the server refuses.
pub(crate) async fn register_contestants(
    client: &reqwest::Client,
    url: &str,
    prefix: &str,
    n: usize,
) -> anyhow::Result<Contestants> {
    use codehub_protocol::requests::Credentials;
    let mut contestants = Vec::with_capacity(n);
    for i in 0..n {
        let name = format!("{prefix}{}x{i}", std::process::id());
        client
            .post(format!("{url}/api/auth/register"))
            .json(&Credentials {
                username: name.clone(),
                password: CONTESTANT_PASSWORD.to_owned(),
            })
            .send()
            .await?
            .error_for_status()
            .with_context(|| format!("register {name}"))?;
        contestants.push(SignedIn::new(client, url, &name, CONTESTANT_PASSWORD).await?);
    }
    Ok(contestants.into())
}
