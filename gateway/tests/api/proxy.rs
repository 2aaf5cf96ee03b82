//! Behind a reverse proxy: forwarding headers count only from a configured trusted
//! proxy (then HTTPS at the proxy brings HSTS); CORS is off unless origins are
//! configured, and then only for those.

use super::helpers::{Options, spawn_app, spawn_app_with};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarding_headers_count_only_from_trusted_proxies_and_cors_only_for_listed_origins() {
    let untrusted = spawn_app();
    let trusting = spawn_app_with(Options {
        config: Some(
            "trusted_proxies = [\"127.0.0.1/32\"]\ncors_origins = [\"https://board.example.org\"]\n"
                .into(),
        ),
        ..Options::default()
    });
    let get = |base: &str, headers: &[(&str, &str)]| {
        let mut request = reqwest::Client::new().get(format!("{base}/api/contests"));
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        async move { request.send().await.unwrap() }
    };
    let hsts = |r: &reqwest::Response| r.headers().contains_key("strict-transport-security");

    // Anyone may write X-Forwarded-Proto; only a trusted proxy is believed.
    let r = get(&untrusted.base, &[("x-forwarded-proto", "https")]).await;
    assert!(!hsts(&r));
    let r = get(&trusting.base, &[("x-forwarded-proto", "https")]).await;
    assert!(hsts(&r), "HTTPS at a trusted proxy");
    let r = get(
        &trusting.base,
        &[("forwarded", "for=192.0.2.1;proto=https")],
    )
    .await;
    assert!(hsts(&r));
    let r = get(&trusting.base, &[("x-forwarded-proto", "http")]).await;
    assert!(!hsts(&r));

    // CORS: nothing by default; the listed origin only.
    let preflight = |base: &str, origin: &str| {
        let request = reqwest::Client::new()
            .request(reqwest::Method::OPTIONS, format!("{base}/api/contests"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "authorization, content-type",
            );
        async move { request.send().await.unwrap() }
    };
    let allowed = |r: &reqwest::Response| {
        r.headers()
            .get("access-control-allow-origin")
            .map(|v| v.to_str().unwrap().to_owned())
    };
    let r = preflight(&untrusted.base, "https://board.example.org").await;
    assert_eq!(allowed(&r), None);
    let r = preflight(&trusting.base, "https://board.example.org").await;
    assert_eq!(allowed(&r).as_deref(), Some("https://board.example.org"));
    let methods = r.headers()["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(methods.contains("POST"), "{methods}");
    let r = preflight(&trusting.base, "https://evil.example").await;
    assert_eq!(allowed(&r), None);
    let r = get(&trusting.base, &[("origin", "https://board.example.org")]).await;
    assert_eq!(allowed(&r).as_deref(), Some("https://board.example.org"));
    assert!(!r.headers().contains_key("access-control-allow-credentials"));
}
