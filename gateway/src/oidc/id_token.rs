//! Verifying an OpenID Connect ID token (OpenID Connect Core 1.0 §3.1.3.7): signed by one
//! of the provider's keys (its JWKS) with an asymmetric algorithm, issued by the provider,
//! for this client, not expired, carrying the nonce of this sign-in.

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;

/// Clock skew allowed on `exp` (seconds).
pub const LEEWAY_SECS: u64 = 60;

/// What CodeHub takes from an ID token.
#[derive(Debug, Clone, Deserialize)]
pub struct IdClaims {
    /// The provider's stable id of the person.
    pub sub: String,
    /// Expiry (seconds since the epoch).
    pub exp: u64,
    /// The nonce of the sign-in it answers.
    #[serde(default)]
    pub nonce: Option<String>,
    /// E-mail address, if given.
    #[serde(default)]
    pub email: Option<String>,
    /// The user name the person goes by at the provider, if given.
    #[serde(default)]
    pub preferred_username: Option<String>,
    /// Full name, if given.
    #[serde(default)]
    pub name: Option<String>,
}

/// Why an ID token was refused; each has a stable error code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdTokenError {
    /// Not a JWT, or its header or claims are malformed or incomplete.
    #[error("the ID token is malformed: {0}")]
    Malformed(String),
    /// Signed with a symmetric algorithm or none.
    #[error(
        "the ID token is signed with {0:?}, which is not accepted (asymmetric algorithms only)"
    )]
    Algorithm(Algorithm),
    /// No key of the provider verifies the signature.
    #[error("the ID token's signature does not verify against the provider's keys")]
    Signature,
    /// `iss` is not the provider.
    #[error("the ID token was issued by someone else than the provider")]
    Issuer,
    /// `aud` does not name this client.
    #[error("the ID token is not for this client")]
    Audience,
    /// `exp` has passed.
    #[error("the ID token has expired")]
    Expired,
    /// `nonce` is missing or not this sign-in's.
    #[error("the ID token's nonce is not this sign-in's (a replayed or mixed-up answer)")]
    Nonce,
}

/// The algorithms an ID token may be signed with.
const ACCEPTED: [Algorithm; 8] = [
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
    Algorithm::ES384,
];

/// Verifies `token` against the provider's `keys`; `now` is seconds since the epoch.
///
/// # Errors
/// [`IdTokenError`], naming the first check that failed.
pub fn verify(
    token: &str,
    keys: &JwkSet,
    issuer: &str,
    client_id: &str,
    nonce: &str,
    now: u64,
) -> Result<IdClaims, IdTokenError> {
    let header =
        jsonwebtoken::decode_header(token).map_err(|e| IdTokenError::Malformed(e.to_string()))?;
    if !ACCEPTED.contains(&header.alg) {
        return Err(IdTokenError::Algorithm(header.alg));
    }
    // The key named by `kid`, or (no `kid`) every key that could have made it.
    let candidates: Vec<_> = keys
        .keys
        .iter()
        .filter(|k| match (&header.kid, &k.common.key_id) {
            (Some(kid), Some(id)) => kid == id,
            (Some(_), None) => false,
            (None, _) => true,
        })
        .filter_map(|k| DecodingKey::from_jwk(k).ok())
        .collect();
    let mut validation = Validation::new(header.alg);
    validation.set_issuer(&[issuer]);
    validation.set_audience(&[client_id]);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    // Expiry is checked below against `now`, so it can be tested without waiting.
    validation.validate_exp = false;
    let mut last = IdTokenError::Signature;
    for key in &candidates {
        match jsonwebtoken::decode::<IdClaims>(token, key, &validation) {
            Ok(data) => return check_claims(data.claims, nonce, now),
            Err(e) => {
                last = match e.kind() {
                    ErrorKind::InvalidSignature
                    | ErrorKind::InvalidKeyFormat
                    | ErrorKind::InvalidRsaKey(_)
                    | ErrorKind::InvalidEcdsaKey
                    | ErrorKind::InvalidAlgorithm => IdTokenError::Signature,
                    ErrorKind::InvalidIssuer => return Err(IdTokenError::Issuer),
                    ErrorKind::InvalidAudience => return Err(IdTokenError::Audience),
                    _ => return Err(IdTokenError::Malformed(e.to_string())),
                }
            }
        }
    }
    Err(last)
}

fn check_claims(claims: IdClaims, nonce: &str, now: u64) -> Result<IdClaims, IdTokenError> {
    if claims.exp.saturating_add(LEEWAY_SECS) < now {
        return Err(IdTokenError::Expired);
    }
    if claims.nonce.as_deref() != Some(nonce) {
        return Err(IdTokenError::Nonce);
    }
    Ok(claims)
}
