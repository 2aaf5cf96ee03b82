//! `serve --tls-cert/--tls-key`: the API and `/ws` over TLS (a self-signed certificate
//! made here with `rcgen`), HSTS, and a new certificate taken on SIGHUP while an open
//! WebSocket keeps working.

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::{self, pki_types::ServerName};
use tokio_tungstenite::tungstenite::Message;

/// A fresh self-signed certificate for `localhost` written to `dir`: its PEM.
fn certificate(dir: &Path) -> String {
    let c = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
    let pem = c.cert.pem();
    std::fs::write(dir.join("cert.pem"), &pem).unwrap();
    std::fs::write(dir.join("key.pem"), c.signing_key.serialize_pem()).unwrap();
    pem
}

/// A TLS client that trusts only `pem`.
fn connector(pem: &str) -> TlsConnector {
    let mut roots = rustls::RootCertStore::empty();
    let der = rustls_pemfile(pem);
    roots.add(der).unwrap();
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    TlsConnector::from(Arc::new(config))
}

/// The DER of a one-certificate PEM.
fn rustls_pemfile(pem: &str) -> rustls::pki_types::CertificateDer<'static> {
    use rustls::pki_types::pem::PemObject;
    rustls::pki_types::CertificateDer::from_pem_slice(pem.as_bytes()).unwrap()
}

async fn tls(
    addr: &str,
    pem: &str,
) -> std::io::Result<tokio_rustls::client::TlsStream<tokio::net::TcpStream>> {
    let tcp = tokio::net::TcpStream::connect(addr).await?;
    connector(pem)
        .connect(ServerName::try_from("localhost").unwrap(), tcp)
        .await
}

/// `GET path` over TLS: the raw answer.
async fn get(addr: &str, pem: &str, path: &str) -> std::io::Result<String> {
    let mut s = tls(addr, pem).await?;
    s.write_all(
        format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .await?;
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.ok();
    Ok(String::from_utf8_lossy(&out).into_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_and_websockets_are_served_over_tls_and_the_certificate_reloads() {
    let data = tempfile::tempdir().unwrap();
    let certs = tempfile::tempdir().unwrap();
    let first = certificate(certs.path());
    let mut child = Command::new(env!("CARGO_BIN_EXE_codehub"))
        .args(["serve", "--listen", "127.0.0.1:0", "--parallel", "1"])
        .arg("--data-dir")
        .arg(data.path())
        .arg("--tls-cert")
        .arg(certs.path().join("cert.pem"))
        .arg("--tls-key")
        .arg(certs.path().join("key.pem"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("the server says where it listens")
            .unwrap();
        if let Some(rest) = line.strip_prefix("codehub: listening on https://") {
            break rest.trim().to_owned();
        }
    };
    std::thread::spawn(move || for _ in lines {});

    // The API over TLS, with HSTS and the other security headers.
    let answer = get(&addr, &first, "/api/contests").await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let lower = answer.to_ascii_lowercase();
    assert!(
        lower.contains("strict-transport-security: max-age=63072000"),
        "{answer}"
    );
    assert!(lower.contains("content-security-policy:"), "{answer}");

    // A WebSocket over TLS (wss://): subscribe, get the snapshot.
    let stream = tls(&addr, &first).await.unwrap();
    let (mut ws, _) = tokio_tungstenite::client_async("wss://localhost/ws", stream)
        .await
        .unwrap();
    let subscribe =
        |channel: &str| Message::text(json!({"op": "subscribe", "channel": channel}).to_string());
    ws.send(subscribe("contest/1/scoreboard")).await.unwrap();
    let first_message = read_text(&mut ws).await;
    assert_eq!(first_message["type"], "snapshot", "{first_message}");

    // A new certificate, taken on SIGHUP: new connections get it, the open socket lives on.
    let second = certificate(certs.path());
    // SAFETY: signalling our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGHUP) };
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Ok(a) = get(&addr, &second, "/healthz").await
            && a.starts_with("HTTP/1.1 200")
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the new certificate was not taken"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(
        get(&addr, &first, "/healthz").await.is_err(),
        "the old certificate is gone"
    );
    ws.send(subscribe("contest/1/clarifications"))
        .await
        .unwrap();
    let again = read_text(&mut ws).await;
    assert_eq!(again["channel"], "contest/1/clarifications", "{again}");

    // Plain HTTP on the TLS port is no answer.
    let mut plain = tokio::net::TcpStream::connect(&addr).await.unwrap();
    plain
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 64];
    let n = tokio::time::timeout(Duration::from_secs(5), plain.read(&mut buf))
        .await
        .unwrap()
        .unwrap_or(0);
    assert!(!String::from_utf8_lossy(&buf[..n]).contains("200 OK"));
    let _ = child.kill();
    let _ = child.wait();

    // Bad settings are refused before anything starts, with the reason.
    for (args, needle) in [
        (vec!["--tls-cert", "cert.pem"], "needs the key"),
        (
            vec!["--tls-cert", "missing.pem", "--tls-key", "missing.pem"],
            "cannot use the certificate",
        ),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_codehub"))
            .args(["serve", "--listen", "127.0.0.1:0"])
            .arg("--data-dir")
            .arg(data.path())
            .args(&args)
            .current_dir(certs.path())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && err.contains(needle),
            "{args:?}: {err}"
        );
    }
}

async fn read_text(
    ws: &mut tokio_tungstenite::WebSocketStream<
        tokio_rustls::client::TlsStream<tokio::net::TcpStream>,
    >,
) -> Value {
    loop {
        match tokio::time::timeout(Duration::from_secs(10), ws.next())
            .await
            .unwrap()
        {
            Some(Ok(Message::Text(t))) => return serde_json::from_str(&t).unwrap(),
            Some(Ok(_)) => continue,
            other => panic!("the socket ended: {other:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_http_is_redirected_to_https_when_asked() {
    let data = tempfile::tempdir().unwrap();
    let certs = tempfile::tempdir().unwrap();
    let pem = certificate(certs.path());
    let mut child = Command::new(env!("CARGO_BIN_EXE_codehub"))
        .args(["serve", "--listen", "127.0.0.1:0", "--parallel", "1"])
        .arg("--data-dir")
        .arg(data.path())
        .arg("--tls-cert")
        .arg(certs.path().join("cert.pem"))
        .arg("--tls-key")
        .arg(certs.path().join("key.pem"))
        .args(["--redirect-http", "127.0.0.1:0"])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let (mut plain, mut secure) = (None, None);
    while secure.is_none() {
        let line = lines
            .next()
            .expect("the server says where it listens")
            .unwrap();
        if let Some(rest) = line.strip_prefix("codehub: redirecting http://") {
            plain = Some(rest.split_whitespace().next().unwrap().to_owned());
        }
        if let Some(rest) = line.strip_prefix("codehub: listening on https://") {
            secure = Some(rest.trim().to_owned());
        }
    }
    std::thread::spawn(move || for _ in lines {});
    let (plain, secure) = (plain.expect("the redirect listener"), secure.unwrap());
    let https_port = secure.rsplit(':').next().unwrap();

    let mut s = tokio::net::TcpStream::connect(&plain).await.unwrap();
    s.write_all(
        b"GET /contests/1?tab=board HTTP/1.1\r\nHost: contest.example:8080\r\nConnection: close\r\n\r\n",
    )
    .await
    .unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.unwrap();
    let answer = String::from_utf8_lossy(&out).to_ascii_lowercase();
    assert!(answer.starts_with("http/1.1 308"), "{answer}");
    assert!(
        answer.contains(&format!(
            "location: https://contest.example:{https_port}/contests/1?tab=board"
        )),
        "{answer}"
    );
    // The HTTPS side still answers.
    let answer = get(&secure, &pem, "/api/contests").await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    child.kill().unwrap();
    child.wait().unwrap();
}
