//! The HTTP client of sign-in: discovery, keys, the token exchange and user APIs. Plain
//! hyper with rustls (ring) and the system's root certificates; it never follows
//! redirects, bounds every answer's size and time, and is what oauth2's token exchange
//! calls.

use http_body_util::{BodyExt, Full, Limited};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use std::time::Duration;

/// Largest answer read from a provider.
const MAX_BODY: usize = 1 << 20;
/// How long one request to a provider may take.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Why a request to a provider failed.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// Could not connect, TLS failed, or the connection broke.
    #[error("cannot reach the provider: {0}")]
    Connect(String),
    /// No answer within the time allowed.
    #[error("the provider did not answer within {TIMEOUT:?}")]
    Timeout,
    /// The answer was larger than allowed or unreadable.
    #[error("the provider's answer is unreadable: {0}")]
    Body(String),
}

/// A shared HTTPS/HTTP client.
#[derive(Clone)]
pub struct ProviderClient {
    inner: Client<hyper_rustls::HttpsConnector<HttpConnector>, Full<bytes::Bytes>>,
}

impl ProviderClient {
    /// A client trusting the system's root certificates (and plain `http://`, which only
    /// a provider on loopback or a private network should use).
    ///
    /// # Errors
    /// When the system has no readable root certificates.
    pub fn new() -> std::io::Result<Self> {
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_native_roots(std::sync::Arc::new(
                rustls::crypto::ring::default_provider(),
            ))?
            .https_or_http()
            .enable_http1()
            .build();
        Ok(ProviderClient {
            inner: Client::builder(TokioExecutor::new()).build(connector),
        })
    }

    /// Sends one request and reads the whole answer (at most 1 MiB, within 10 s).
    ///
    /// # Errors
    /// [`HttpError`].
    pub async fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, HttpError> {
        let (parts, body) = request.into_parts();
        let request = http::Request::from_parts(parts, Full::new(bytes::Bytes::from(body)));
        let exchange = async {
            let response = self
                .inner
                .request(request)
                .await
                .map_err(|e| HttpError::Connect(error_chain(&e)))?;
            let (parts, body) = response.into_parts();
            let body = Limited::new(body, MAX_BODY)
                .collect()
                .await
                .map_err(|e| HttpError::Body(e.to_string()))?
                .to_bytes();
            Ok(http::Response::from_parts(parts, body.to_vec()))
        };
        tokio::time::timeout(TIMEOUT, exchange)
            .await
            .map_err(|_| HttpError::Timeout)?
    }

    /// GETs a JSON document (`Accept: application/json`, an optional bearer token).
    ///
    /// # Errors
    /// [`HttpError`], or a status other than 200, or a body that is not that JSON.
    pub async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        url: &str,
        bearer: Option<&str>,
    ) -> Result<T, HttpError> {
        let mut request = http::Request::get(url)
            .header(http::header::ACCEPT, "application/json")
            .header(http::header::USER_AGENT, "CodeHub");
        if let Some(token) = bearer {
            request = request.header(http::header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let request = request
            .body(Vec::new())
            .map_err(|e| HttpError::Connect(format!("bad URL `{url}`: {e}")))?;
        let response = self.send(request).await?;
        if response.status() != http::StatusCode::OK {
            return Err(HttpError::Body(format!(
                "GET {url} answered {}",
                response.status()
            )));
        }
        serde_json::from_slice(response.body())
            .map_err(|e| HttpError::Body(format!("GET {url}: {e}")))
    }
}

/// An error with its causes (hyper's top-level message alone says little).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
