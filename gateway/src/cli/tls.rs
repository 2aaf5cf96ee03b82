//! HTTPS for `codehub serve --tls-cert F --tls-key F` (rustls with the `ring` provider,
//! through `axum-server`): the API, the UI and `/ws` (then `wss://`), with HSTS. The
//! certificate is reloaded on SIGHUP and when either file changes (checked every 2 s),
//! without dropping open connections; a reload that fails keeps the current one.

use crate::settings::TlsSettings;
use anyhow::Context;
use axum::http::{HeaderValue, header};
use axum_server::tls_rustls::RustlsConfig;
use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, SystemTime};
use tower_http::set_header::SetResponseHeaderLayer;

/// `Strict-Transport-Security` once TLS is on: two years, subdomains included.
pub const HSTS: &str = "max-age=63072000; includeSubDomains";

/// The newest modification time of the two files.
fn stamp(tls: &TlsSettings) -> Option<SystemTime> {
    let m = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    m(&tls.cert).max(m(&tls.key))
}

/// Serves `app` over TLS on `listen` until `shutdown`; with `redirect` (an address and
/// the public URL, if set), also answers plain HTTP there with a redirect to HTTPS.
///
/// # Errors
/// Unreadable or invalid certificate or key (named), or an address that cannot be bound.
pub async fn serve(
    listen: SocketAddr,
    tls: &TlsSettings,
    app: axum::Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    redirect: Option<(SocketAddr, Option<String>)>,
) -> anyhow::Result<()> {
    let config = RustlsConfig::from_pem_file(&tls.cert, &tls.key)
        .await
        .with_context(|| {
            format!(
                "cannot use the certificate {} with the key {}",
                tls.cert.display(),
                tls.key.display()
            )
        })?;
    let listener = std::net::TcpListener::bind(listen)
        .with_context(|| format!("cannot listen on {listen}"))?;
    listener.set_nonblocking(true)?;
    if let Some((addr, public_url)) = redirect {
        redirect_http(addr, public_url, listener.local_addr()?.port()).await?;
    }
    println!("codehub: listening on https://{}", listener.local_addr()?);
    tokio::spawn(reload(config.clone(), tls.clone()));
    let handle = axum_server::Handle::new();
    let stopper = handle.clone();
    tokio::spawn(async move {
        shutdown.await;
        stopper.graceful_shutdown(Some(Duration::from_secs(10)));
    });
    let app = app.layer(SetResponseHeaderLayer::if_not_present(
        header::STRICT_TRANSPORT_SECURITY,
        HeaderValue::from_static(HSTS),
    ));
    axum_server::from_tcp_rustls(listener, config)?
        .handle(handle)
        .serve(app.into_make_service_with_connect_info::<crate::listener::Peer>())
        .await?;
    Ok(())
}

/// Listens for plain HTTP on `addr` and answers every request with a permanent redirect
/// (308) to the same path over HTTPS: on `public_url` when given, else on the request's
/// host at the HTTPS port.
///
/// # Errors
/// An address that cannot be bound.
async fn redirect_http(
    addr: SocketAddr,
    public_url: Option<String>,
    https_port: u16,
) -> anyhow::Result<()> {
    use axum::extract::Request;
    use axum::response::{IntoResponse, Redirect};
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr} for the HTTP redirect"))?;
    println!(
        "codehub: redirecting http://{} to https",
        listener.local_addr()?
    );
    let to_https = move |req: Request| {
        let public_url = public_url.clone();
        async move {
            let path = req
                .uri()
                .path_and_query()
                .map_or("/", |p| p.as_str())
                .to_owned();
            let base = match public_url {
                Some(url) => url,
                None => {
                    let host = req
                        .headers()
                        .get(header::HOST)
                        .and_then(|h| h.to_str().ok())
                        .filter(|h| {
                            h.chars()
                                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
                        })
                        .unwrap_or("localhost");
                    let name = host.rsplit_once(':').map_or(host, |(n, _)| n);
                    match https_port {
                        443 => format!("https://{name}"),
                        port => format!("https://{name}:{port}"),
                    }
                }
            };
            Redirect::permanent(&format!("{base}{path}")).into_response()
        }
    };
    let app = axum::Router::new().fallback(to_https);
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::error!(error = %e, "the HTTP redirect listener stopped");
        }
    });
    Ok(())
}

/// Reloads the certificate on SIGHUP or when its files change.
async fn reload(config: RustlsConfig, tls: TlsSettings) {
    let mut hup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()).ok();
    let mut seen = stamp(&tls);
    loop {
        let signalled = tokio::select! {
            _ = async {
                match hup.as_mut() {
                    Some(h) => { h.recv().await; }
                    None => std::future::pending().await,
                }
            } => true,
            () = tokio::time::sleep(Duration::from_secs(2)) => false,
        };
        let now = stamp(&tls);
        if !signalled && now == seen {
            continue;
        }
        seen = now;
        match config.reload_from_pem_file(&tls.cert, &tls.key).await {
            Ok(()) => tracing::info!(cert = %tls.cert.display(), "TLS certificate reloaded"),
            Err(e) => {
                tracing::warn!(error = %e, "TLS certificate not reloaded; keeping the current one")
            }
        }
    }
}
