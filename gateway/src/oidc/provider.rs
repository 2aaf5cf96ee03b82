//! The configured sign-in providers: OpenID Connect providers found by discovery, and
//! GitHub (OAuth 2.0 and its user API). Discovery documents and key sets are fetched on
//! first use and cached; keys are fetched again when a token names one not yet seen
//! (rotation).

use super::http::{HttpError, ProviderClient};
use crate::settings::{OidcKind, OidcProvider};
use jsonwebtoken::jwk::JwkSet;
use serde::Deserialize;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// How long a discovery document is trusted.
const METADATA_TTL: Duration = Duration::from_secs(3600);
/// Keys are fetched again at most this often when a token's key is unknown.
const KEYS_REFETCH: Duration = Duration::from_secs(60);

/// A provider's endpoints (from discovery, or the GitHub preset).
#[derive(Debug, Clone, Deserialize)]
pub struct Metadata {
    /// `iss` of its ID tokens (OpenID Connect only).
    #[serde(default)]
    pub issuer: String,
    /// Where the browser is sent to sign in.
    pub authorization_endpoint: String,
    /// Where the code is exchanged.
    pub token_endpoint: String,
    /// Its signing keys (OpenID Connect only).
    #[serde(default)]
    pub jwks_uri: Option<String>,
}

/// One configured provider.
pub struct Provider {
    /// Its configuration.
    pub config: OidcProvider,
    cache: Mutex<Cache>,
}

#[derive(Default)]
struct Cache {
    metadata: Option<(Metadata, Instant)>,
    keys: Option<(Arc<JwkSet>, Instant)>,
}

/// GitHub's endpoints.
const GITHUB_AUTHORIZE: &str = "https://github.com/login/oauth/authorize";
const GITHUB_TOKEN: &str = "https://github.com/login/oauth/access_token";
/// GitHub's user API (the signed-in user: `id`, `login`, `email`, `name`).
pub const GITHUB_USER: &str = "https://api.github.com/user";

impl Provider {
    /// A provider from its configuration (nothing fetched yet).
    pub fn new(config: OidcProvider) -> Self {
        Provider {
            config,
            cache: Mutex::new(Cache::default()),
        }
    }

    /// Whether it signs in with OpenID Connect (an ID token) rather than GitHub's API.
    pub fn is_oidc(&self) -> bool {
        matches!(self.config.kind, OidcKind::Oidc { .. })
    }

    /// Its endpoints, from discovery (cached an hour) or the preset.
    ///
    /// # Errors
    /// The discovery document cannot be fetched, is malformed, or names another issuer.
    pub async fn metadata(&self, http: &ProviderClient) -> Result<Metadata, String> {
        let issuer = match &self.config.kind {
            OidcKind::Github => {
                return Ok(Metadata {
                    issuer: String::new(),
                    authorization_endpoint: GITHUB_AUTHORIZE.into(),
                    token_endpoint: GITHUB_TOKEN.into(),
                    jwks_uri: None,
                });
            }
            OidcKind::Oidc { issuer } => issuer,
        };
        let mut cache = self.cache.lock().await;
        if let Some((m, at)) = &cache.metadata
            && at.elapsed() < METADATA_TTL
        {
            return Ok(m.clone());
        }
        let url = format!(
            "{}/.well-known/openid-configuration",
            issuer.trim_end_matches('/')
        );
        let metadata: Metadata = http
            .get_json(&url, None)
            .await
            .map_err(|e: HttpError| format!("discovery at {url} failed: {e}"))?;
        // OpenID Connect Discovery §4.3: the document's issuer is the one asked.
        if metadata.issuer.trim_end_matches('/') != issuer.trim_end_matches('/') {
            return Err(format!(
                "discovery at {url} names the issuer `{}`, not `{issuer}`",
                metadata.issuer
            ));
        }
        cache.metadata = Some((metadata.clone(), Instant::now()));
        Ok(metadata)
    }

    /// Its signing keys; `refresh` fetches them again unless fetched within a minute.
    ///
    /// # Errors
    /// No `jwks_uri`, or the key set cannot be fetched or read.
    pub async fn keys(
        &self,
        http: &ProviderClient,
        metadata: &Metadata,
        refresh: bool,
    ) -> Result<Arc<JwkSet>, String> {
        let mut cache = self.cache.lock().await;
        if let Some((keys, at)) = &cache.keys
            && (!refresh || at.elapsed() < KEYS_REFETCH)
        {
            return Ok(keys.clone());
        }
        let url = metadata
            .jwks_uri
            .as_deref()
            .ok_or("the provider's discovery document has no jwks_uri")?;
        let keys: JwkSet = http
            .get_json(url, None)
            .await
            .map_err(|e| format!("the provider's keys at {url}: {e}"))?;
        let keys = Arc::new(keys);
        cache.keys = Some((keys.clone(), Instant::now()));
        Ok(keys)
    }
}
