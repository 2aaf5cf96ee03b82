//! The WebSocket handshake (RFC 6455 §4.2) and the socket the connection reads from.
//!
//! The handshake is done here rather than by axum's `WebSocketUpgrade` because the
//! connection must keep the raw socket ([`Peer::tcp`](crate::listener::Peer)) for its
//! [`Link`]: tungstenite only *reads* (commands, pings), and everything it would write
//! (pongs, the close reply) goes through the link like every other frame.

use super::link::Link;
use crate::error::ApiError;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hyper::upgrade::{OnUpgrade, Upgraded};
use hyper_util::rt::TokioIo;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;

/// The upgraded connection as hyper hands it over.
pub type UpgradedIo = TokioIo<Upgraded>;

fn header_has(headers: &HeaderMap, name: header::HeaderName, token: &str) -> bool {
    headers.get_all(name).iter().any(|v| {
        v.to_str()
            .is_ok_and(|v| v.split(',').any(|t| t.trim().eq_ignore_ascii_case(token)))
    })
}

/// Checks an upgrade request; returns the `101 Switching Protocols` answer and the
/// future of the upgraded connection.
pub fn accept(req: &mut Request) -> Result<(Response, OnUpgrade), Box<Response>> {
    let headers = req.headers();
    if !header_has(headers, header::CONNECTION, "upgrade")
        || !header_has(headers, header::UPGRADE, "websocket")
    {
        return Err(ApiError::bad_request(
            "/ws is a WebSocket: send `Connection: upgrade` and `Upgrade: websocket`",
        )
        .into_response()
        .into());
    }
    if headers
        .get(header::SEC_WEBSOCKET_VERSION)
        .is_none_or(|v| v != "13")
    {
        let mut response = ApiError::new(
            StatusCode::UPGRADE_REQUIRED,
            "only WebSocket version 13 is spoken here",
        )
        .into_response();
        response.headers_mut().insert(
            header::SEC_WEBSOCKET_VERSION,
            HeaderValue::from_static("13"),
        );
        return Err(response.into());
    }
    let Some(key) = headers.get(header::SEC_WEBSOCKET_KEY) else {
        return Err(ApiError::bad_request("Sec-WebSocket-Key is missing")
            .into_response()
            .into());
    };
    let accept_key = derive_accept_key(key.as_bytes());
    let Some(on_upgrade) = req.extensions_mut().remove::<OnUpgrade>() else {
        return Err(ApiError::bad_request("this connection cannot be upgraded")
            .into_response()
            .into());
    };
    let response = Response::builder()
        .status(StatusCode::SWITCHING_PROTOCOLS)
        .header(header::CONNECTION, "upgrade")
        .header(header::UPGRADE, "websocket")
        .header(header::SEC_WEBSOCKET_ACCEPT, accept_key)
        .body(axum::body::Body::empty())
        .expect("a valid response");
    Ok((response, on_upgrade))
}

/// What tungstenite reads from and writes to: reads come from the connection, writes
/// (whole frames: pongs, close replies) go to the [`Link`].
pub struct Duplex<R> {
    /// Where frames are read.
    pub read: R,
    /// Where frames are written.
    pub link: Arc<Link>,
}

impl<R: AsyncRead + Unpin> AsyncRead for Duplex<R> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.read).poll_read(cx, buf)
    }
}

impl<R: Unpin> AsyncWrite for Duplex<R> {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Poll::Ready(if self.link.send_frames(buf) {
            Ok(buf.len())
        } else {
            Err(io::ErrorKind::BrokenPipe.into())
        })
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}
