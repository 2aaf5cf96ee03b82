//! The HTTP API client: JSON requests with the session's bearer token, refreshed
//! silently before it expires (and once more on a 401), errors as `{code, message}`.

use codehub_protocol::error::ErrorBody;
use codehub_protocol::views::{Session, TokenPair, UserView};
use gloo_net::http::{Method, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::fmt;
use sycamore::prelude::*;

const SESSION_KEY: &str = "codehub.session";
/// Refresh when the access token has less than this left.
const REFRESH_MARGIN_MS: f64 = 60_000.0;

/// A signed-in user and their tokens (kept in `localStorage`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Auth {
    /// Who.
    pub user: UserView,
    /// Bearer token.
    pub access_token: String,
    /// One-use refresh token.
    pub refresh_token: String,
    /// When the access token expires (`Date.now()` ms).
    pub expires_at: f64,
}

impl Auth {
    fn new(user: UserView, tokens: TokenPair) -> Auth {
        Auth {
            user,
            expires_at: js_sys::Date::now() + tokens.expires_in as f64 * 1000.0,
            access_token: tokens.access_token,
            refresh_token: tokens.refresh_token,
        }
    }
}

/// An error to show: the server's message, or what failed on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    /// HTTP status (0: no answer).
    pub status: u16,
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.status == 0 {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{} ({})", self.message, self.status)
        }
    }
}

impl Error {
    fn network(e: impl fmt::Display) -> Error {
        Error {
            status: 0,
            message: crate::t!("api-unreachable", error = e.to_string()),
        }
    }
}

/// What a request carries.
pub enum Body {
    /// Nothing.
    Empty,
    /// JSON.
    Json(serde_json::Value),
    /// Raw bytes with a content type.
    Bytes(Vec<u8>, &'static str),
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// A `localStorage` value.
pub fn stored(key: &str) -> Option<String> {
    storage()?.get_item(key).ok()?
}

/// Sets (or with `None` removes) a `localStorage` value.
pub fn store(key: &str, value: Option<&str>) {
    if let Some(s) = storage() {
        let _ = match value {
            Some(v) => s.set_item(key, v),
            None => s.remove_item(key),
        };
    }
}

/// The client; `Copy`, shared through the context.
#[derive(Clone, Copy)]
pub struct Api {
    auth: Signal<Option<Auth>>,
    refreshing: Signal<bool>,
}

impl Api {
    /// The client, with the session restored from `localStorage` (creates signals in the
    /// current reactive scope, so it is not a `Default`).
    #[allow(clippy::new_without_default)]
    pub fn new() -> Api {
        let saved = stored(SESSION_KEY).and_then(|s| serde_json::from_str(&s).ok());
        let auth = create_signal::<Option<Auth>>(saved);
        create_effect(move || {
            auth.with(|a| {
                let json = a.as_ref().and_then(|a| serde_json::to_string(a).ok());
                store(SESSION_KEY, json.as_deref());
            })
        });
        Api {
            auth,
            refreshing: create_signal(false),
        }
    }

    /// The signed-in user (tracked).
    pub fn user(self) -> Option<UserView> {
        self.auth.with(|a| a.as_ref().map(|a| a.user.clone()))
    }

    /// Signs out: the refresh token is revoked on the server (in the background) and the
    /// session forgotten here.
    pub fn logout(self) {
        if let Some(auth) = self.auth.get_clone_untracked() {
            let body = serde_json::json!({ "refresh_token": auth.refresh_token });
            sycamore::futures::spawn_local(async move {
                if let Ok(request) = RequestBuilder::new("/api/auth/logout")
                    .method(Method::POST)
                    .json(&body)
                {
                    let _ = request.send().await;
                }
            });
        }
        self.auth.set(None);
    }

    /// Logs in.
    pub async fn login(self, username: &str, password: &str) -> Result<UserView, Error> {
        self.start_session("/api/auth/login", username, password)
            .await
    }

    /// Registers and logs in.
    pub async fn register(self, username: &str, password: &str) -> Result<UserView, Error> {
        self.start_session("/api/auth/register", username, password)
            .await
    }

    async fn start_session(
        self,
        path: &str,
        username: &str,
        password: &str,
    ) -> Result<UserView, Error> {
        let body = serde_json::json!({ "username": username, "password": password });
        let res = self
            .raw(Method::POST, path, &Body::Json(body), None)
            .await?;
        let session: Session = decode(res).await?;
        self.auth
            .set(Some(Auth::new(session.user.clone(), session.tokens)));
        Ok(session.user)
    }

    /// Finishes a sign-in with a provider: trades the server's one-use sign-in cookie
    /// for this browser's session.
    pub async fn finish_provider_sign_in(self) -> Result<UserView, Error> {
        let res = self
            .raw(Method::POST, "/api/auth/oidc/session", &Body::Empty, None)
            .await?;
        let session: Session = decode(res).await?;
        self.auth
            .set(Some(Auth::new(session.user.clone(), session.tokens)));
        Ok(session.user)
    }

    /// Replaces this session's tokens (after a password change, which ends the others).
    pub fn replace_tokens(self, tokens: TokenPair) {
        if let Some(auth) = self.auth.get_clone_untracked() {
            self.auth.set(Some(Auth::new(auth.user, tokens)));
        }
    }

    /// A valid access token, refreshed first if it is about to expire; `None` when
    /// signed out (or the refresh was refused, which signs out).
    pub async fn token(self) -> Option<String> {
        let auth = self.auth.get_clone_untracked()?;
        if auth.expires_at - js_sys::Date::now() > REFRESH_MARGIN_MS {
            return Some(auth.access_token);
        }
        self.refresh().await;
        self.auth
            .with_untracked(|a| a.as_ref().map(|a| a.access_token.clone()))
    }

    /// Trades the refresh token for new tokens. Refresh tokens are one-use, so only one
    /// refresh runs at a time; others wait for it.
    async fn refresh(self) {
        if self.refreshing.get_untracked() {
            while self.refreshing.get_untracked() {
                gloo_timers::future::TimeoutFuture::new(50).await;
            }
            return;
        }
        let Some(auth) = self.auth.get_clone_untracked() else {
            return;
        };
        self.refreshing.set(true);
        let body = serde_json::json!({ "refresh_token": auth.refresh_token });
        let result = self
            .raw(Method::POST, "/api/auth/refresh", &Body::Json(body), None)
            .await;
        // A network error keeps the session (offline: try again later).
        if let Ok(res) = result {
            match decode::<TokenPair>(res).await {
                Ok(tokens) => self.auth.set(Some(Auth::new(auth.user, tokens))),
                Err(e) if e.status == 401 => self.auth.set(None),
                Err(_) => {}
            }
        }
        self.refreshing.set(false);
    }

    async fn raw(
        self,
        method: Method,
        path: &str,
        body: &Body,
        token: Option<&str>,
    ) -> Result<Response, Error> {
        let mut req = RequestBuilder::new(path).method(method);
        if let Some(t) = token {
            req = req.header("Authorization", &format!("Bearer {t}"));
        }
        let req = match body {
            Body::Empty => req.build(),
            Body::Json(v) => req.json(v),
            Body::Bytes(bytes, ty) => req
                .header("Content-Type", ty)
                .body(js_sys::Uint8Array::from(bytes.as_slice())),
        }
        .map_err(Error::network)?;
        req.send().await.map_err(Error::network)
    }

    /// Sends a request with the session's token; on a 401 refreshes once and retries.
    pub async fn send(self, method: Method, path: &str, body: Body) -> Result<Response, Error> {
        let token = self.token().await;
        let res = self
            .raw(method.clone(), path, &body, token.as_deref())
            .await?;
        if res.status() == 401 && token.is_some() {
            self.refresh().await;
            let token = self
                .auth
                .with_untracked(|a| a.as_ref().map(|a| a.access_token.clone()));
            return self.raw(method, path, &body, token.as_deref()).await;
        }
        Ok(res)
    }

    /// `GET` JSON.
    pub async fn get<T: DeserializeOwned>(self, path: &str) -> Result<T, Error> {
        decode(self.send(Method::GET, path, Body::Empty).await?).await
    }

    /// `POST` JSON, answer JSON.
    pub async fn post<T: DeserializeOwned>(
        self,
        path: &str,
        body: serde_json::Value,
    ) -> Result<T, Error> {
        decode(self.send(Method::POST, path, Body::Json(body)).await?).await
    }

    /// `PATCH` JSON, answer JSON.
    pub async fn patch<T: DeserializeOwned>(
        self,
        path: &str,
        body: serde_json::Value,
    ) -> Result<T, Error> {
        decode(self.send(Method::PATCH, path, Body::Json(body)).await?).await
    }

    /// `PUT` JSON, answer JSON.
    pub async fn put<T: DeserializeOwned>(
        self,
        path: &str,
        body: serde_json::Value,
    ) -> Result<T, Error> {
        decode(self.send(Method::PUT, path, Body::Json(body)).await?).await
    }

    /// A request whose answer has no body worth reading.
    pub async fn call(self, method: Method, path: &str, body: Body) -> Result<(), Error> {
        let res = self.send(method, path, body).await?;
        if res.ok() {
            Ok(())
        } else {
            Err(error_of(res).await)
        }
    }
}

async fn error_of(res: Response) -> Error {
    let status = res.status();
    match res.json::<ErrorBody>().await {
        Ok(body) => Error {
            status,
            message: body.message,
        },
        Err(_) => Error {
            status,
            message: res.status_text(),
        },
    }
}

async fn decode<T: DeserializeOwned>(res: Response) -> Result<T, Error> {
    if !res.ok() {
        return Err(error_of(res).await);
    }
    res.json::<T>().await.map_err(|e| Error {
        status: res.status(),
        message: crate::t!("api-unexpected-answer", error = e.to_string()),
    })
}
