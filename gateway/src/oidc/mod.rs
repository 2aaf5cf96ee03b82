//! Sign-in with OpenID Connect providers and GitHub: the authorization code flow with
//! PKCE (the `oauth2` crate), `state` bound to the browser by a signed cookie, and the ID
//! token verified against the provider's keys (signature, `iss`, `aud`, `exp`, `nonce`).
//!
//! The browser goes `GET /api/auth/oidc/{provider}/start` → the provider → `GET
//! /api/auth/oidc/{provider}/callback`, which signs the account in (making it on first
//! sign-in) or links the identity, and sends the browser back to the UI with a one-use
//! sign-in cookie; the UI trades that for the usual access and refresh tokens at `POST
//! /api/auth/oidc/session`. No token ever travels in a URL. Every state lives in signed
//! cookies, so any node of a cluster can finish a sign-in another began.

pub mod http;
pub mod id_token;
pub mod provider;

use crate::app::AppState;
use crate::auth::{Caller, issue_tokens};
use crate::error::{ApiError, ApiResult};
use crate::present;
use crate::proxy::ClientInfo;
use crate::routes::{ApiJson, ApiPath, ApiQuery};
use crate::settings::OidcProvider;
use axum::Extension;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use codehub_engine::model::{Role, User, UserId, now_ms};
use codehub_engine::ports::store::{Identity, NewUser, StoreError};
use codehub_protocol::views::{
    AuthorizeRedirect, LinkedIdentity, Session, SignInMethods, SignInProvider,
};
use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse,
    BasicTokenType,
};
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, ExtraTokenFields,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RequestTokenError, Scope,
    StandardRevocableToken, StandardTokenResponse, TokenResponse, TokenUrl,
};
use provider::{Metadata, Provider};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The cookie holding a sign-in under way (state, nonce, PKCE verifier).
const FLOW_COOKIE: &str = "codehub_oidc_flow";
/// The cookie holding a finished sign-in until the UI trades it for tokens.
const SIGNIN_COOKIE: &str = "codehub_oidc_signin";
/// How long a sign-in at the provider may take.
const FLOW_TTL_SECS: u64 = 600;
/// How long the UI has to trade a finished sign-in for tokens.
const SIGNIN_TTL_SECS: u64 = 120;
/// Where the browser lands after signing in (the UI finishes there).
const SIGNED_IN_PAGE: &str = "/signin/complete";

/// The configured providers and the HTTP client that talks to them.
#[derive(Clone)]
pub struct Providers {
    list: Arc<Vec<Provider>>,
    http: http::ProviderClient,
}

impl Providers {
    /// The providers of the settings (nothing is fetched until a sign-in).
    ///
    /// # Errors
    /// When the system's root certificates cannot be read.
    pub fn new(config: &[OidcProvider]) -> anyhow::Result<Self> {
        Ok(Providers {
            list: Arc::new(config.iter().cloned().map(Provider::new).collect()),
            http: http::ProviderClient::new()?,
        })
    }

    /// The configured providers' names.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.list.iter().map(|p| p.config.name.as_str())
    }

    fn get(&self, name: &str) -> Result<&Provider, ApiError> {
        self.list
            .iter()
            .find(|p| p.config.name == name)
            .ok_or_else(|| ApiError::not_found(format!("no sign-in provider `{name}` here")))
    }
}

/// The ID token beside the access token in a token answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct IdTokenField {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id_token: Option<String>,
}

impl ExtraTokenFields for IdTokenField {}

type TokenAnswer = StandardTokenResponse<IdTokenField, BasicTokenType>;

/// A sign-in under way (the flow cookie).
#[derive(Debug, Serialize, Deserialize)]
struct Flow {
    typ: String,
    provider: String,
    state: String,
    nonce: String,
    verifier: String,
    redirect_uri: String,
    /// Linking to this account rather than signing in.
    link: Option<i64>,
    return_to: String,
    exp: u64,
}

/// A finished sign-in (the sign-in cookie).
#[derive(Debug, Serialize, Deserialize)]
struct SignedIn {
    typ: String,
    uid: i64,
    exp: u64,
}

const FLOW_TYPE: &str = "oidc_flow";
const SIGNED_IN_TYPE: &str = "oidc_signed_in";

fn now_secs() -> u64 {
    (now_ms() / 1000) as u64
}

fn random_token() -> String {
    let mut raw = [0u8; 32];
    rand::rng().fill_bytes(&mut raw);
    hex::encode(raw)
}

/// The address browsers reach this server at: the configured public URL, else the
/// request's `Host` with the scheme the client used (here, or at a trusted proxy).
fn base_url(state: &AppState, headers: &HeaderMap, https: bool) -> Result<String, ApiError> {
    if let Some(url) = &state.public_url {
        return Ok(url.clone());
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .ok_or_else(|| ApiError::bad_request("the request has no usable Host header"))?;
    let scheme = if https { "https" } else { "http" };
    Ok(format!("{scheme}://{host}"))
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax (the provider's redirect back is a
/// top-level GET), Secure over HTTPS, scoped to the sign-in routes.
fn cookie_header(name: &str, value: &str, max_age_secs: u64, secure: bool) -> HeaderValue {
    let cookie = cookie::Cookie::build((name, value))
        .path("/api/auth/oidc")
        .http_only(true)
        .secure(secure)
        .same_site(cookie::SameSite::Lax)
        .max_age(cookie::time::Duration::seconds(max_age_secs as i64))
        .build();
    HeaderValue::from_str(&cookie.to_string()).expect("cookie values are ASCII")
}

fn read_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .flatten()
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
}

/// A local path to return to (never another site: no scheme, no `//`).
fn safe_return_to(path: Option<String>) -> String {
    match path {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') => p,
        _ => "/".to_owned(),
    }
}

/// Whether the client came over HTTPS (here, or at a trusted proxy).
fn https(state: &AppState, client: Option<Extension<ClientInfo>>) -> bool {
    client.map_or(state.tls, |Extension(c)| c.https)
}

fn bad_gateway(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_GATEWAY, message)
}

/// Starts a flow: the provider's authorization URL and the flow cookie.
async fn begin(
    state: &AppState,
    headers: &HeaderMap,
    https: bool,
    provider: &Provider,
    link: Option<UserId>,
    return_to: String,
) -> Result<(String, HeaderValue), ApiError> {
    let metadata = provider
        .metadata(&state.oidc.http)
        .await
        .map_err(bad_gateway)?;
    let base = base_url(state, headers, https)?;
    let redirect_uri = format!("{base}/api/auth/oidc/{}/callback", provider.config.name);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let nonce = random_token();
    let client = oauth_client(&provider.config, &metadata, &redirect_uri)?;
    let mut request = client
        .authorize_url(CsrfToken::new_random)
        .set_pkce_challenge(challenge);
    if provider.is_oidc() {
        request = request
            .add_scope(Scope::new("openid".into()))
            .add_scope(Scope::new("profile".into()))
            .add_scope(Scope::new("email".into()))
            .add_extra_param("nonce", nonce.clone());
    } else {
        request = request.add_scope(Scope::new("read:user".into()));
    }
    let (url, csrf) = request.url();
    let flow = Flow {
        typ: FLOW_TYPE.into(),
        provider: provider.config.name.clone(),
        state: csrf.secret().clone(),
        nonce,
        verifier: verifier.secret().clone(),
        redirect_uri,
        link: link.map(|u| u.0),
        return_to,
        exp: now_secs() + FLOW_TTL_SECS,
    };
    let cookie = cookie_header(
        FLOW_COOKIE,
        &state.keys.sign(&flow)?,
        FLOW_TTL_SECS,
        base.starts_with("https://"),
    );
    Ok((url.to_string(), cookie))
}

/// The oauth2 client of a provider: authorization and token endpoints set.
type OauthClient = oauth2::Client<
    BasicErrorResponse,
    TokenAnswer,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    oauth2::EndpointSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointSet,
>;

fn oauth_client(
    config: &OidcProvider,
    metadata: &Metadata,
    redirect_uri: &str,
) -> Result<OauthClient, ApiError> {
    let bad = |what: &str, e: oauth2::url::ParseError| {
        bad_gateway(format!("the provider's {what} is not a URL: {e}"))
    };
    let client = oauth2::Client::new(ClientId::new(config.client_id.clone()))
        .set_auth_uri(
            AuthUrl::new(metadata.authorization_endpoint.clone())
                .map_err(|e| bad("authorization endpoint", e))?,
        )
        .set_token_uri(
            TokenUrl::new(metadata.token_endpoint.clone()).map_err(|e| bad("token endpoint", e))?,
        )
        .set_redirect_uri(
            RedirectUrl::new(redirect_uri.to_owned())
                .map_err(|e| ApiError::bad_request(format!("bad redirect URL: {e}")))?,
        );
    Ok(match &config.client_secret {
        Some(secret) => client.set_client_secret(ClientSecret::new(secret.clone())),
        None => client,
    })
}

/// The sign-in providers configured here.
#[utoipa::path(get, path = "/api/auth/providers",
    responses((status = 200, body = [SignInProvider])))]
pub async fn providers(State(state): State<AppState>) -> ApiJson<Vec<SignInProvider>> {
    ApiJson(
        state
            .oidc
            .list
            .iter()
            .map(|p| SignInProvider {
                name: p.config.name.clone(),
                label: p.config.label.clone(),
            })
            .collect(),
    )
}

/// `?return_to=` of a sign-in: a path of this site to land on afterwards.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StartQuery {
    /// A path of this site (default `/`).
    pub return_to: Option<String>,
}

/// Starts signing in with a provider: redirects the browser there.
#[utoipa::path(get, path = "/api/auth/oidc/{provider}/start", params(("provider" = String, Path), StartQuery),
    responses((status = 303, description = "to the provider"), (status = 404, body = crate::error::ErrorBody), (status = 502, body = crate::error::ErrorBody)))]
pub async fn start(
    State(state): State<AppState>,
    ApiPath(name): ApiPath<String>,
    ApiQuery(query): ApiQuery<StartQuery>,
    client: Option<Extension<ClientInfo>>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let provider = state.oidc.get(&name)?;
    let (url, cookie) = begin(
        &state,
        &headers,
        https(&state, client),
        provider,
        None,
        safe_return_to(query.return_to),
    )
    .await?;
    Ok(redirect(&url, [cookie]))
}

/// Starts linking a provider's identity to the caller's account: where to send the
/// browser (the flow cookie is set on this answer).
#[utoipa::path(post, path = "/api/me/identities/{provider}", params(("provider" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = AuthorizeRedirect), (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 502, body = crate::error::ErrorBody)))]
pub async fn link(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(name): ApiPath<String>,
    client: Option<Extension<ClientInfo>>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let provider = state.oidc.get(&name)?;
    let linked = state.store.identities_of(caller.id).await?;
    if linked.iter().any(|i| i.provider == name) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            format!("an identity of `{name}` is linked already; unlink it first"),
        ));
    }
    let (url, cookie) = begin(
        &state,
        &headers,
        https(&state, client),
        provider,
        Some(caller.id),
        "/account".into(),
    )
    .await?;
    let mut response = ApiJson(AuthorizeRedirect { authorize_url: url }).into_response();
    response.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(response)
}

/// What the provider sends the browser back with.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CallbackQuery {
    /// The authorization code.
    pub code: Option<String>,
    /// The `state` of the request.
    pub state: Option<String>,
    /// The provider's error (`access_denied`, …).
    pub error: Option<String>,
    /// Its explanation.
    pub error_description: Option<String>,
}

/// The provider's answer: checks it, then signs in (or links) and sends the browser on.
#[utoipa::path(get, path = "/api/auth/oidc/{provider}/callback", params(("provider" = String, Path), CallbackQuery),
    responses((status = 303, description = "signed in or linked: to the UI"), (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 502, body = crate::error::ErrorBody)))]
pub async fn callback(
    State(state): State<AppState>,
    ApiPath(name): ApiPath<String>,
    ApiQuery(query): ApiQuery<CallbackQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let provider = state.oidc.get(&name)?;
    let flow: Flow = read_cookie(&headers, FLOW_COOKIE)
        .and_then(|c| state.keys.verify::<Flow>(&c))
        .filter(|f| f.typ == FLOW_TYPE)
        .ok_or_else(|| {
            ApiError::bad_request(
                "no sign-in is under way in this browser (it expired after 10 minutes, or \
                 cookies are blocked); start again",
            )
        })?;
    if flow.provider != name {
        return Err(ApiError::bad_request(format!(
            "this browser began signing in with `{}`, not `{name}`; start again",
            flow.provider
        )));
    }
    if let Some(error) = &query.error {
        return Err(ApiError::unauthorized(format!(
            "the provider refused the sign-in: {error}{}",
            query
                .error_description
                .as_deref()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default()
        )));
    }
    let given_state = query.state.as_deref().unwrap_or_default();
    if !constant_time_eq(given_state.as_bytes(), flow.state.as_bytes()) {
        return Err(ApiError::bad_request(
            "the sign-in's state does not match this browser's (a forged or mixed-up \
             answer); start again",
        ));
    }
    let code = query
        .code
        .ok_or_else(|| ApiError::bad_request("the provider's answer has no code"))?;
    let (subject, email, username_hint) = identify(&state, provider, &flow, code).await?;
    let secure = flow.redirect_uri.starts_with("https://");
    let clear_flow = cookie_header(FLOW_COOKIE, "", 0, secure);
    if let Some(uid) = flow.link {
        link_identity(&state, &name, UserId(uid), subject, email).await?;
        return Ok(redirect(&flow.return_to, [clear_flow]));
    }
    let user = account_for(&state, &name, subject, email, username_hint).await?;
    if user.disabled {
        return Err(ApiError::forbidden(
            "this account is disabled; ask an administrator",
        ));
    }
    let signed_in = SignedIn {
        typ: SIGNED_IN_TYPE.into(),
        uid: user.id.0,
        exp: now_secs() + SIGNIN_TTL_SECS,
    };
    let signin = cookie_header(
        SIGNIN_COOKIE,
        &state.keys.sign(&signed_in)?,
        SIGNIN_TTL_SECS,
        secure,
    );
    let target = format!("{SIGNED_IN_PAGE}?return_to={}", percent(&flow.return_to));
    Ok(redirect(&target, [clear_flow, signin]))
}

/// Exchanges the code and says who signed in: (subject, e-mail, a user-name hint).
async fn identify(
    state: &AppState,
    provider: &Provider,
    flow: &Flow,
    code: String,
) -> Result<(String, Option<String>, Option<String>), ApiError> {
    let http = &state.oidc.http;
    let metadata = provider.metadata(http).await.map_err(bad_gateway)?;
    let client = oauth_client(&provider.config, &metadata, &flow.redirect_uri)?;
    let send = |request| {
        let http = http.clone();
        async move { http.send(request).await }
    };
    let answer: TokenAnswer = client
        .exchange_code(AuthorizationCode::new(code))
        .set_pkce_verifier(PkceCodeVerifier::new(flow.verifier.clone()))
        .request_async(&send)
        .await
        .map_err(|e| match e {
            RequestTokenError::ServerResponse(r) => ApiError::unauthorized(format!(
                "the provider refused the code: {}{}",
                r.error(),
                r.error_description()
                    .map(|d| format!(" ({d})"))
                    .unwrap_or_default()
            )),
            other => bad_gateway(format!("cannot exchange the code at the provider: {other}")),
        })?;
    if !provider.is_oidc() {
        return github_user(http, answer.access_token().secret()).await;
    }
    let token = answer.extra_fields().id_token.as_deref().ok_or_else(|| {
        bad_gateway("the provider's token answer has no ID token (is `openid` allowed?)")
    })?;
    let issuer = metadata.issuer.as_str();
    let client_id = provider.config.client_id.as_str();
    let check = |keys: &jsonwebtoken::jwk::JwkSet| {
        id_token::verify(token, keys, issuer, client_id, &flow.nonce, now_secs())
    };
    let keys = provider
        .keys(http, &metadata, false)
        .await
        .map_err(bad_gateway)?;
    let claims = match check(&keys) {
        // The provider may have rotated its keys since they were fetched.
        Err(id_token::IdTokenError::Signature) => {
            let keys = provider
                .keys(http, &metadata, true)
                .await
                .map_err(bad_gateway)?;
            check(&keys)
        }
        other => other,
    }
    .map_err(|e| ApiError::unauthorized(format!("sign-in refused: {e}")))?;
    let hint = claims
        .preferred_username
        .clone()
        .or_else(|| {
            claims
                .email
                .as_ref()
                .map(|e| e.split('@').next().unwrap_or(e).to_owned())
        })
        .or(claims.name.clone());
    Ok((claims.sub, claims.email, hint))
}

/// GitHub's user API: the numeric id is the subject.
async fn github_user(
    http: &http::ProviderClient,
    access_token: &str,
) -> Result<(String, Option<String>, Option<String>), ApiError> {
    #[derive(Deserialize)]
    struct GithubUser {
        id: u64,
        login: String,
        email: Option<String>,
    }
    let user: GithubUser = http
        .get_json(provider::GITHUB_USER, Some(access_token))
        .await
        .map_err(|e| bad_gateway(format!("GitHub's user API: {e}")))?;
    Ok((user.id.to_string(), user.email, Some(user.login)))
}

async fn link_identity(
    state: &AppState,
    provider: &str,
    user: UserId,
    subject: String,
    email: Option<String>,
) -> Result<(), ApiError> {
    if let Some(owner) = state.store.identity_user(provider, &subject).await? {
        if owner == user {
            return Ok(());
        }
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            format!("this `{provider}` identity signs in to another account already"),
        ));
    }
    state
        .store
        .link_identity(Identity {
            provider: provider.to_owned(),
            subject,
            user_id: user,
            email,
            linked_at: now_ms(),
        })
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => ApiError::new(
                StatusCode::CONFLICT,
                format!("an identity of `{provider}` is linked to this account already"),
            ),
            other => other.into(),
        })
}

/// The account an identity signs in to, made (and linked) on its first sign-in.
async fn account_for(
    state: &AppState,
    provider: &str,
    subject: String,
    email: Option<String>,
    hint: Option<String>,
) -> Result<User, ApiError> {
    if let Some(id) = state.store.identity_user(provider, &subject).await? {
        return state
            .store
            .user(id)
            .await?
            .ok_or_else(|| ApiError::unauthorized("the account of this identity is gone"));
    }
    let base = username_base(hint.as_deref().unwrap_or(&subject));
    let mut user = None;
    for attempt in 0..20 {
        let username = match attempt {
            0 => base.clone(),
            n if n < 10 => format!("{base}-{}", n + 1),
            _ => format!("{base}-{}", &random_token()[..6]),
        };
        match state
            .store
            .create_user(NewUser {
                username,
                // No password: this account signs in through its provider until one is set.
                password_hash: String::new(),
                role: Role::Contestant,
            })
            .await
        {
            Ok(u) => {
                user = Some(u);
                break;
            }
            Err(StoreError::Conflict(_)) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    let user = user.ok_or_else(|| ApiError::internal("no free user name for a new account"))?;
    match link_identity(state, provider, user.id, subject.clone(), email).await {
        Ok(()) => Ok(user),
        // Another sign-in of the same person made an account at the same moment: that
        // one is theirs (this one stays unused, with no way to sign in).
        Err(_) => {
            let id = state
                .store
                .identity_user(provider, &subject)
                .await?
                .ok_or_else(|| ApiError::internal("the identity vanished"))?;
            state
                .store
                .user(id)
                .await?
                .ok_or_else(|| ApiError::internal("the account vanished"))
        }
    }
}

/// A valid user name from a provider's hint: 3-24 characters of `[A-Za-z0-9_.-]`.
fn username_base(hint: &str) -> String {
    let mut name: String = hint
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "_-.".contains(*c))
        .take(24)
        .collect();
    if name.len() < 3 || name.starts_with("deleted-") {
        name = format!("user{name}");
    }
    name.truncate(24);
    name
}

fn percent(text: &str) -> String {
    oauth2::url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn redirect<const N: usize>(to: &str, cookies: [HeaderValue; N]) -> Response {
    let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response();
    for cookie in cookies {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Trades a finished sign-in (its cookie, once) for the usual session.
#[utoipa::path(post, path = "/api/auth/oidc/session",
    responses((status = 200, body = Session), (status = 401, body = crate::error::ErrorBody)))]
pub async fn session(
    State(state): State<AppState>,
    client: Option<Extension<ClientInfo>>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let signed_in: SignedIn = read_cookie(&headers, SIGNIN_COOKIE)
        .and_then(|c| state.keys.verify::<SignedIn>(&c))
        .filter(|s| s.typ == SIGNED_IN_TYPE)
        .ok_or_else(|| {
            ApiError::unauthorized(
                "no finished sign-in in this browser (or it expired); sign in again",
            )
        })?;
    let user = state
        .store
        .user(UserId(signed_in.uid))
        .await?
        .filter(|u| !u.disabled)
        .ok_or_else(|| ApiError::unauthorized("the account is gone or disabled"))?;
    let tokens = issue_tokens(&state.keys, &*state.store, &user).await?;
    let mut response = ApiJson(Session {
        user: present::user(&user),
        tokens,
    })
    .into_response();
    let secure =
        base_url(&state, &headers, https(&state, client)).is_ok_and(|b| b.starts_with("https://"));
    response.headers_mut().append(
        header::SET_COOKIE,
        cookie_header(SIGNIN_COOKIE, "", 0, secure),
    );
    Ok(response)
}

/// How the caller can sign in: password or not, linked identities.
#[utoipa::path(get, path = "/api/me/identities", security(("bearer" = [])),
    responses((status = 200, body = SignInMethods), (status = 401, body = crate::error::ErrorBody)))]
pub async fn identities(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<ApiJson<SignInMethods>> {
    let user = state
        .store
        .user(caller.id)
        .await?
        .ok_or_else(|| ApiError::unauthorized("the user of this token no longer exists"))?;
    let identities = state
        .store
        .identities_of(caller.id)
        .await?
        .into_iter()
        .map(|i| LinkedIdentity {
            provider: i.provider,
            email: i.email,
            linked_at: i.linked_at,
        })
        .collect();
    Ok(ApiJson(SignInMethods {
        has_password: !user.password_hash.is_empty(),
        identities,
    }))
}

/// Unlinks a provider's identity from the caller's account; refused when it is the
/// account's only way to sign in.
#[utoipa::path(delete, path = "/api/me/identities/{provider}", params(("provider" = String, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn unlink(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(name): ApiPath<String>,
) -> ApiResult<StatusCode> {
    let user = state
        .store
        .user(caller.id)
        .await?
        .ok_or_else(|| ApiError::unauthorized("the user of this token no longer exists"))?;
    let linked = state.store.identities_of(caller.id).await?;
    if !linked.iter().any(|i| i.provider == name) {
        return Err(ApiError::not_found(format!(
            "no `{name}` identity is linked"
        )));
    }
    if user.password_hash.is_empty() && linked.len() == 1 {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "this is the account's only way to sign in: set a password or link another \
             provider first",
        ));
    }
    state.store.unlink_identity(caller.id, &name).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_names_from_hints_are_valid() {
        assert_eq!(username_base("alice"), "alice");
        assert_eq!(username_base("Zoë O'Brien"), "ZoOBrien");
        assert_eq!(username_base("x"), "userx");
        assert_eq!(username_base(&"a".repeat(40)).len(), 24);
    }

    #[test]
    fn only_local_paths_are_returned_to() {
        assert_eq!(safe_return_to(Some("/contests/3".into())), "/contests/3");
        assert_eq!(safe_return_to(Some("//evil.example".into())), "/");
        assert_eq!(safe_return_to(Some("https://evil.example".into())), "/");
        assert_eq!(safe_return_to(Some("/\\evil.example".into())), "/");
        assert_eq!(safe_return_to(None), "/");
    }
}
