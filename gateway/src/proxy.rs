//! Who the client is behind a reverse proxy: the `Forwarded` (RFC 7239) or
//! `X-Forwarded-For`/`X-Forwarded-Proto` headers are believed only when the connection
//! comes from a configured trusted proxy; anyone else could write them. The result,
//! [`ClientInfo`], is in every request's extensions; over HTTPS (here or at a trusted
//! proxy) answers carry HSTS.

use crate::app::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use std::net::{IpAddr, SocketAddr};

/// What is known of a request's client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientInfo {
    /// Its address (the proxy's own when no trusted proxy says otherwise; `None` when
    /// the server runs without connection info, as in-process tests do).
    pub ip: Option<IpAddr>,
    /// Whether it reached the site over HTTPS.
    pub https: bool,
}

/// The last hop's `for` and `proto` of `Forwarded`, else of `X-Forwarded-For` and
/// `X-Forwarded-Proto`.
fn forwarded(headers: &HeaderMap) -> (Option<IpAddr>, Option<String>) {
    let last = |name: header::HeaderName| {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .next_back()
            .map(|v| v.trim().to_owned())
    };
    if let Some(hop) = last(header::FORWARDED) {
        let mut ip = None;
        let mut proto = None;
        for pair in hop.split(';') {
            let Some((key, value)) = pair.split_once('=') else {
                continue;
            };
            let value = value.trim().trim_matches('"');
            match key.trim().to_ascii_lowercase().as_str() {
                "for" => ip = parse_node(value),
                "proto" => proto = Some(value.to_ascii_lowercase()),
                _ => {}
            }
        }
        return (ip, proto);
    }
    let ip = last(header::HeaderName::from_static("x-forwarded-for")).and_then(|v| parse_node(&v));
    let proto =
        last(header::HeaderName::from_static("x-forwarded-proto")).map(|v| v.to_ascii_lowercase());
    (ip, proto)
}

/// An address as forwarding headers write it: `1.2.3.4`, `1.2.3.4:80`, `[::1]:80`.
fn parse_node(value: &str) -> Option<IpAddr> {
    if let Ok(ip) = value.parse() {
        return Some(ip);
    }
    if let Ok(addr) = value.parse::<SocketAddr>() {
        return Some(addr.ip());
    }
    value
        .strip_prefix('[')
        .and_then(|v| v.strip_suffix(']'))
        .and_then(|v| v.parse().ok())
}

/// Works out [`ClientInfo`] for the request, and adds HSTS to answers over HTTPS that
/// a trusted proxy terminated.
pub async fn client_info(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<crate::listener::Peer>>()
        .map(|c| c.0.addr.ip());
    let trusted = peer.is_some_and(|ip| state.trusted_proxies.iter().any(|n| n.contains(&ip)));
    let mut info = ClientInfo {
        ip: peer,
        https: state.tls,
    };
    if trusted {
        let (ip, proto) = forwarded(req.headers());
        info.ip = ip.or(peer);
        if let Some(proto) = proto {
            info.https = proto == "https";
        }
    }
    req.extensions_mut().insert(info);
    let mut response = next.run(req).await;
    if info.https && !state.tls {
        response
            .headers_mut()
            .entry(header::STRICT_TRANSPORT_SECURITY)
            .or_insert(HeaderValue::from_static(crate::cli::tls::HSTS));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(
                header::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        h
    }

    #[test]
    fn the_last_hop_of_the_forwarding_headers_counts() {
        let h = headers(&[(
            "forwarded",
            "for=10.0.0.1;proto=http, for=\"[2001:db8::1]:4711\";proto=HTTPS",
        )]);
        assert_eq!(
            forwarded(&h),
            (Some("2001:db8::1".parse().unwrap()), Some("https".into()))
        );
        let h = headers(&[
            ("x-forwarded-for", "203.0.113.9, 198.51.100.7"),
            ("x-forwarded-proto", "https"),
        ]);
        assert_eq!(
            forwarded(&h),
            (Some("198.51.100.7".parse().unwrap()), Some("https".into()))
        );
        assert_eq!(forwarded(&headers(&[])), (None, None));
        assert_eq!(
            forwarded(&headers(&[("forwarded", "for=unknown;proto=http")])),
            (None, Some("http".into()))
        );
    }
}
