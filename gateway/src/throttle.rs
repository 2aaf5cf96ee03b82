//! Password guessing is slowed down: failed sign-ins are counted per account name and
//! per client address over a sliding window; past the limit, attempts are refused (429
//! with `Retry-After`) before any password is checked, until the oldest failure leaves
//! the window. A success clears the account's count. Per node (in a cluster each node
//! counts its own, so the limits scale with the nodes behind the balancer).

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The window failures are counted in.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Failures allowed per account name in the window.
pub const PER_ACCOUNT: usize = 10;
/// Failures allowed per client address in the window (a classroom behind one NAT
/// mistypes too).
pub const PER_ADDRESS: usize = 100;
/// Keys kept at most; beyond, the stalest are dropped (memory stays bounded under a
/// spray of names).
const MAX_KEYS: usize = 100_000;

/// Failed sign-ins by key.
#[derive(Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

fn keys(username: &str, ip: Option<IpAddr>) -> [(Option<String>, usize); 2] {
    [
        (
            Some(format!("user:{}", username.to_lowercase())),
            PER_ACCOUNT,
        ),
        (ip.map(|ip| format!("ip:{ip}")), PER_ADDRESS),
    ]
}

impl LoginThrottle {
    /// `Err(wait)` when `username` or `ip` has used up its failures.
    pub fn check(&self, username: &str, ip: Option<IpAddr>) -> Result<(), Duration> {
        self.check_at(username, ip, Instant::now())
    }

    fn check_at(&self, username: &str, ip: Option<IpAddr>, now: Instant) -> Result<(), Duration> {
        let mut map = self.failures.lock().expect("not poisoned");
        let mut wait = None;
        for (key, limit) in keys(username, ip) {
            let Some(list) = key.and_then(|k| map.get_mut(&k)) else {
                continue;
            };
            while list
                .front()
                .is_some_and(|t| now.duration_since(*t) >= WINDOW)
            {
                list.pop_front();
            }
            if list.len() >= limit {
                let until = list[list.len() - limit] + WINDOW;
                let w = until.saturating_duration_since(now);
                wait = Some(wait.map_or(w, |x: Duration| x.max(w)));
            }
        }
        wait.map_or(Ok(()), Err)
    }

    /// Counts a failed sign-in.
    pub fn failed(&self, username: &str, ip: Option<IpAddr>) {
        self.failed_at(username, ip, Instant::now());
    }

    fn failed_at(&self, username: &str, ip: Option<IpAddr>, now: Instant) {
        let mut map = self.failures.lock().expect("not poisoned");
        if map.len() >= MAX_KEYS {
            map.retain(|_, list| list.back().is_some_and(|t| now.duration_since(*t) < WINDOW));
            if map.len() >= MAX_KEYS {
                map.clear();
            }
        }
        for (key, limit) in keys(username, ip) {
            if let Some(key) = key {
                let list = map.entry(key).or_default();
                list.push_back(now);
                while list.len() > limit {
                    list.pop_front();
                }
            }
        }
    }

    /// A successful sign-in: the account's failures are forgotten.
    pub fn succeeded(&self, username: &str) {
        let key = format!("user:{}", username.to_lowercase());
        self.failures.lock().expect("not poisoned").remove(&key);
    }
}

/// Checks a user name and password as every password sign-in does (the API's login and
/// the Contest API's HTTP Basic): the throttle first, the same work and answer whether
/// or not the account exists, a disabled account refused after its password.
///
/// # Errors
/// 429 with `Retry-After` while throttled, 401 for a wrong name or password, 403 for a
/// disabled account.
pub async fn password_sign_in(
    state: &crate::app::AppState,
    username: &str,
    password: String,
    ip: Option<IpAddr>,
) -> Result<codehub_engine::model::User, crate::error::ApiError> {
    use crate::error::ApiError;
    use axum::http::StatusCode;
    if let Err(wait) = state.login_throttle.check(username, ip) {
        let mut e = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too many failed sign-ins; wait before trying again",
        );
        e.retry_after = Some(wait);
        return Err(e);
    }
    let user = state.store.user_by_name(username).await?;
    // An unknown name costs the same hashing as a known one.
    let hash = match &user {
        Some(u) => u.password_hash.clone(),
        None => dummy_hash().await,
    };
    let ok = crate::auth::verify_password(password, hash).await && user.is_some();
    let Some(user) = user.filter(|_| ok) else {
        tracing::info!(username, client = ?ip, "failed sign-in");
        state.login_throttle.failed(username, ip);
        return Err(ApiError::unauthorized("wrong username or password"));
    };
    state.login_throttle.succeeded(username);
    if user.disabled {
        return Err(ApiError::forbidden(
            "this account is disabled; ask an administrator",
        ));
    }
    Ok(user)
}

/// An argon2 hash of nothing anyone types, made once.
async fn dummy_hash() -> String {
    static HASH: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    HASH.get_or_init(|| async {
        crate::auth::hash_password(String::from("\u{0}no account\u{0}"))
            .await
            .unwrap_or_default()
    })
    .await
    .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_held_after_its_failures_until_the_oldest_leaves_the_window() {
        let t = LoginThrottle::default();
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let start = Instant::now();
        for i in 0..PER_ACCOUNT {
            assert!(t.check_at("Alice", Some(ip), start).is_ok(), "attempt {i}");
            t.failed_at("alice", Some(ip), start + Duration::from_secs(i as u64));
        }
        let later = start + Duration::from_secs(60);
        let wait = t.check_at("ALICE", None, later).unwrap_err();
        assert_eq!(wait, WINDOW - Duration::from_secs(60));
        // Another account from the same address is still fine.
        assert!(t.check_at("bob", Some(ip), later).is_ok());
        // After the window, the account may try again.
        assert!(
            t.check_at("alice", None, start + WINDOW + Duration::from_secs(1))
                .is_ok()
        );
        // A success clears the count.
        t.succeeded("Alice");
        assert!(t.check_at("alice", None, later).is_ok());
    }

    #[test]
    fn an_address_spraying_many_names_is_held() {
        let t = LoginThrottle::default();
        let ip: IpAddr = "198.51.100.9".parse().unwrap();
        let now = Instant::now();
        for i in 0..PER_ADDRESS {
            t.failed_at(&format!("user{i}"), Some(ip), now);
        }
        assert!(t.check_at("someone-new", Some(ip), now).is_err());
        assert!(
            t.check_at("someone-new", Some("198.51.100.10".parse().unwrap()), now)
                .is_ok()
        );
    }
}
