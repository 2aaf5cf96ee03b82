//! Authentication: argon2 password hashes, short-lived JWT access tokens, rotating
//! refresh tokens (stored hashed), and the extractors handlers use.

use crate::error::ApiError;
use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use codehub_engine::model::{Role, User, UserId, now_ms};
use codehub_engine::ports::store::{RefreshToken, Store};
use jsonwebtoken::{DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::time::Duration;

/// Signing keys and token lifetimes.
#[derive(Clone)]
pub struct AuthKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    /// Lifetime of access tokens.
    pub access_ttl: Duration,
    /// Lifetime of refresh tokens.
    pub refresh_ttl: Duration,
}

impl AuthKeys {
    /// Keys from a secret (HS256).
    pub fn new(secret: &[u8], access_ttl: Duration, refresh_ttl: Duration) -> Self {
        AuthKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            access_ttl,
            refresh_ttl,
        }
    }
}

impl AuthKeys {
    /// Signs claims of this server's own short-lived tokens (the sign-in flow's cookies)
    /// with the access tokens' key. The claims must carry `exp` and a type field that no
    /// access token has, so one kind never passes for another.
    ///
    /// # Errors
    /// If signing fails.
    pub fn sign<T: Serialize>(&self, claims: &T) -> Result<String, ApiError> {
        jsonwebtoken::encode(&Header::default(), claims, &self.encoding).map_err(ApiError::internal)
    }

    /// Claims signed by [`AuthKeys::sign`], if the signature holds and `exp` has not
    /// passed.
    pub fn verify<T: serde::de::DeserializeOwned>(&self, token: &str) -> Option<T> {
        let validation = Validation {
            leeway: 0,
            ..Validation::default()
        };
        jsonwebtoken::decode::<T>(token, &self.decoding, &validation)
            .ok()
            .map(|d| d.claims)
    }
}

/// Claims of an access token.
#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    /// User id.
    sub: i64,
    /// User name.
    name: String,
    /// Role.
    role: String,
    /// Expiry (seconds since the epoch).
    exp: u64,
    /// Issued at.
    iat: u64,
}

pub use codehub_protocol::views::TokenPair;

/// Password hashes computed at once, one per core: each takes argon2's 19 MiB and a core
/// for a while, so a burst of sign-ins (a contest's tokens expiring together) queues
/// here instead of holding 19 MiB per request and crowding the blocking threads.
fn hashing() -> &'static tokio::sync::Semaphore {
    static HASHING: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    HASHING.get_or_init(|| {
        tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
    })
}

/// Hashes a password with argon2 (off the async threads).
///
/// # Errors
/// If hashing fails.
pub async fn hash_password(password: String) -> Result<String, ApiError> {
    let _turn = hashing().acquire().await.map_err(ApiError::internal)?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(ApiError::internal)
    })
    .await
    .map_err(ApiError::internal)?
}

/// Checks a password against an argon2 hash.
pub async fn verify_password(password: String, hash: String) -> bool {
    let Ok(_turn) = hashing().acquire().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|h| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &h)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Issues a fresh access token and refresh token for `user` (a new session: the
/// refresh token lives the full refresh lifetime).
///
/// # Errors
/// If signing or storing fails.
pub async fn issue_tokens(
    keys: &AuthKeys,
    store: &dyn Store,
    user: &User,
) -> Result<TokenPair, ApiError> {
    let session_end = now_ms() + keys.refresh_ttl.as_millis() as i64;
    issue_tokens_until(keys, store, user, session_end).await
}

/// Issues tokens whose refresh token expires at `session_end` (ms since the epoch):
/// refreshing keeps the session's end, so every session signs in again within the
/// refresh lifetime (30 days; ASVS 3.3.2).
async fn issue_tokens_until(
    keys: &AuthKeys,
    store: &dyn Store,
    user: &User,
    session_end: i64,
) -> Result<TokenPair, ApiError> {
    let now = (now_ms() / 1000) as u64;
    let claims = Claims {
        sub: user.id.0,
        name: user.username.clone(),
        role: user.role.as_str().to_owned(),
        iat: now,
        exp: now + keys.access_ttl.as_secs(),
    };
    let access_token = jsonwebtoken::encode(&Header::default(), &claims, &keys.encoding)
        .map_err(ApiError::internal)?;
    let mut raw = [0u8; 32];
    rand::rng().fill_bytes(&mut raw);
    let refresh_token = hex::encode(raw);
    store
        .put_refresh_token(
            &token_hash(&refresh_token),
            RefreshToken {
                user_id: user.id,
                expires_at: session_end,
            },
        )
        .await?;
    Ok(TokenPair {
        access_token,
        refresh_token,
        token_type: "Bearer".to_owned(),
        expires_in: keys.access_ttl.as_secs(),
        refresh_expires_in: Some(((session_end - now_ms()).max(0) / 1000) as u64),
    })
}

/// Revokes a refresh token (sign-out); nothing happens for an unknown one.
///
/// # Errors
/// Store failures.
pub async fn revoke_refresh_token(store: &dyn Store, refresh_token: &str) -> Result<(), ApiError> {
    store.take_refresh_token(&token_hash(refresh_token)).await?;
    Ok(())
}

/// Exchanges a refresh token (once) for a new pair.
///
/// # Errors
/// 401 if the token is unknown, used or expired.
pub async fn refresh(
    keys: &AuthKeys,
    store: &dyn Store,
    refresh_token: &str,
) -> Result<TokenPair, ApiError> {
    let invalid = || ApiError::unauthorized("invalid or expired refresh token");
    let stored = store
        .take_refresh_token(&token_hash(refresh_token))
        .await?
        .ok_or_else(invalid)?;
    if stored.expires_at <= now_ms() {
        return Err(invalid());
    }
    let user = store
        .user(stored.user_id)
        .await?
        .filter(|u| !u.disabled)
        .ok_or_else(invalid)?;
    issue_tokens_until(keys, store, &user, stored.expires_at).await
}

/// The authenticated caller of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    /// User id.
    pub id: UserId,
    /// User name.
    pub username: String,
    /// Role.
    pub role: Role,
}

impl Caller {
    /// 403 unless the caller has at least `role`.
    ///
    /// # Errors
    /// 403 with the role needed.
    pub fn require(&self, role: Role) -> Result<(), ApiError> {
        if self.role >= role {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "this needs the {} role",
                role.as_str()
            )))
        }
    }
}

/// Verifies an access token.
///
/// # Errors
/// 401 if it is malformed, forged or expired.
pub fn verify_access_token(keys: &AuthKeys, token: &str) -> Result<Caller, ApiError> {
    let validation = Validation {
        leeway: 0,
        ..Validation::default()
    };
    let data = jsonwebtoken::decode::<Claims>(token, &keys.decoding, &validation)
        .map_err(|_| ApiError::unauthorized("invalid or expired access token"))?;
    let role = Role::parse(&data.claims.role)
        .ok_or_else(|| ApiError::unauthorized("invalid or expired access token"))?;
    Ok(Caller {
        id: UserId(data.claims.sub),
        username: data.claims.name,
        role,
    })
}

fn bearer(parts: &Parts) -> Result<Option<&str>, ApiError> {
    let Some(value) = parts.headers.get(axum::http::header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value
        .to_str()
        .map_err(|_| ApiError::unauthorized("malformed Authorization header"))?;
    value
        .strip_prefix("Bearer ")
        .map(Some)
        .ok_or_else(|| ApiError::unauthorized("Authorization must be `Bearer <token>`"))
}

impl<S> FromRequestParts<S> for Caller
where
    S: Send + Sync,
    AuthKeys: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let keys = AuthKeys::from_ref(state);
        let token = bearer(parts)?.ok_or_else(|| ApiError::unauthorized("missing bearer token"))?;
        verify_access_token(&keys, token)
    }
}

/// A caller who may be anonymous (public pages).
#[derive(Debug, Clone)]
pub struct MaybeCaller(pub Option<Caller>);

impl<S> FromRequestParts<S> for MaybeCaller
where
    S: Send + Sync,
    AuthKeys: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let keys = AuthKeys::from_ref(state);
        match bearer(parts)? {
            None => Ok(MaybeCaller(None)),
            Some(token) => verify_access_token(&keys, token).map(|c| MaybeCaller(Some(c))),
        }
    }
}
