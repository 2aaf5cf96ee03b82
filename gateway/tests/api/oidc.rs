//! Sign-in with a real OpenID Connect provider on loopback (PyPI's oidc-provider-mock,
//! started by `scripts/services/oidc` as `CODEHUB_TEST_OIDC_URL`): the whole browser flow
//! without a browser (redirects followed by hand, cookies kept), linking a second
//! provider, unlinking, signing out everywhere; and every refusal, each a `{code,
//! message}`: an unknown provider, a tampered `state`, a swapped `nonce`, no flow in the
//! browser, a denied sign-in; and the ID token checks on real tokens of that provider
//! (bad signature, a token signed by another key, expired, wrong audience, issuer, nonce).

use super::helpers::{Options, TestApp, spawn_app_with};
use codehub_gateway::oidc::id_token::{self, IdTokenError};
use reqwest::redirect::Policy;
use serde_json::{Value, json};

/// The provider's URL, or `None` (the test skips) where none runs.
pub fn provider_url() -> Option<String> {
    match std::env::var("CODEHUB_TEST_OIDC_URL") {
        Ok(url) => Some(url),
        Err(_) => {
            eprintln!("oidc: SKIPPED (CODEHUB_TEST_OIDC_URL is not set; scripts/services/oidc)");
            None
        }
    }
}

/// A server with two providers on the same issuer (`mock` and `second`, different clients).
pub fn app_with_providers(issuer: &str) -> TestApp {
    spawn_app_with(Options {
        config: Some(format!(
            r#"
            [[oidc]]
            name = "mock"
            label = "Mock University"
            issuer = "{issuer}"
            client_id = "codehub"
            client_secret = "s3cret"

            [[oidc]]
            name = "second"
            label = "Second login"
            issuer = "{issuer}"
            client_id = "codehub-second"
            client_secret = "s3cret-too"
            "#
        )),
        ..Options::default()
    })
}

/// A browser: keeps cookies, follows no redirect by itself.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .unwrap()
}

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .unwrap_or_else(|| panic!("no Location on a {}", r.status()))
        .to_str()
        .unwrap()
        .to_owned()
}

/// Signs `sub` in at the provider's authorize URL: the provider's redirect back.
async fn consent(browser: &reqwest::Client, authorize_url: &str, sub: &str) -> String {
    let r = browser
        .post(authorize_url)
        .form(&[("sub", sub)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302, "the provider did not redirect back");
    location(&r)
}

/// Follows a sign-in from the start to the session: the Session JSON.
async fn sign_in(app: &TestApp, browser: &reqwest::Client, provider: &str, sub: &str) -> Value {
    let r = browser
        .get(format!(
            "{}/api/auth/oidc/{provider}/start?return_to=/contests",
            app.base
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let authorize = location(&r);
    assert!(
        authorize.contains("code_challenge_method=S256"),
        "{authorize}"
    );
    assert!(authorize.contains("nonce="), "{authorize}");
    let back = consent(browser, &authorize, sub).await;
    assert!(back.starts_with(&app.base), "{back}");
    let r = browser.get(&back).send().await.unwrap();
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    assert_eq!(location(&r), "/signin/complete?return_to=%2Fcontests");
    let r = browser
        .post(format!("{}/api/auth/oidc/session", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

async fn error_of(r: reqwest::Response) -> (u16, String) {
    let status = r.status().as_u16();
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], status, "{body}");
    (status, body["message"].as_str().unwrap().to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provider_signs_in_links_a_second_and_signs_out_everywhere() {
    let Some(issuer) = provider_url() else { return };
    let app = app_with_providers(&issuer);
    let (status, providers) = app.get("/api/auth/providers", None).await;
    assert_eq!(status, 200);
    assert_eq!(
        providers,
        json!([{"name": "mock", "label": "Mock University"},
               {"name": "second", "label": "Second login"}])
    );

    // First sign-in makes the account, named after the person.
    let b = browser();
    let session = sign_in(&app, &b, "mock", "alice").await;
    assert_eq!(session["user"]["username"], "alice");
    assert_eq!(session["user"]["role"], "contestant");
    let uid = session["user"]["id"].as_i64().unwrap();
    let token = session["access_token"].as_str().unwrap().to_owned();
    let refresh = session["refresh_token"].as_str().unwrap().to_owned();
    // The finished sign-in is traded once.
    let again = b
        .post(format!("{}/api/auth/oidc/session", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(again).await.0, 401);
    // Signing in again (another browser) is the same account.
    let again = sign_in(&app, &browser(), "mock", "alice").await;
    assert_eq!(again["user"]["id"].as_i64(), Some(uid));
    // A password user named alice exists? No: the next person called alice gets a suffix.
    let bob = sign_in(&app, &browser(), "second", "alice").await;
    assert_eq!(bob["user"]["username"], "alice-2", "{bob}");

    let (status, methods) = app.get("/api/me/identities", Some(&token)).await;
    assert_eq!(status, 200);
    assert_eq!(methods["has_password"], false);
    assert_eq!(methods["identities"][0]["provider"], "mock");

    // Link the second provider (as another subject there).
    let link = b
        .post(format!("{}/api/me/identities/second", app.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(link.status(), 200);
    let authorize = link.json::<Value>().await.unwrap()["authorize_url"]
        .as_str()
        .unwrap()
        .to_owned();
    let back = consent(&b, &authorize, "alice-at-second").await;
    let r = b.get(&back).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/account");
    let (_, methods) = app.get("/api/me/identities", Some(&token)).await;
    let linked: Vec<&str> = methods["identities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["provider"].as_str().unwrap())
        .collect();
    assert_eq!(linked, ["mock", "second"]);
    let via_second = sign_in(&app, &browser(), "second", "alice-at-second").await;
    assert_eq!(via_second["user"]["id"].as_i64(), Some(uid));
    // An identity that signs in to someone else cannot be linked here.
    let b2 = browser();
    let bob_token = bob["access_token"].as_str().unwrap();
    let (status, _) = app
        .request(
            reqwest::Method::DELETE,
            "/api/me/identities/mock",
            Some(bob_token),
            None,
        )
        .await;
    assert_eq!(status, 404, "bob has no mock identity");
    let link = b2
        .post(format!("{}/api/me/identities/mock", app.base))
        .bearer_auth(bob_token)
        .send()
        .await
        .unwrap();
    let authorize = link.json::<Value>().await.unwrap()["authorize_url"]
        .as_str()
        .unwrap()
        .to_owned();
    let back = consent(&b2, &authorize, "alice").await;
    let (status, message) = error_of(b2.get(&back).send().await.unwrap()).await;
    assert_eq!(status, 409);
    assert!(message.contains("another account"), "{message}");

    // Unlinking: fine while another way remains; never the last one.
    let (status, _) = app
        .request(
            reqwest::Method::DELETE,
            "/api/me/identities/mock",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, 204);
    let (status, body) = app
        .request(
            reqwest::Method::DELETE,
            "/api/me/identities/second",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, 409, "{body}");
    // A password (none yet, so no current one) makes it unlinkable.
    let (status, body) = app
        .post(
            "/api/me/password",
            Some(&token),
            json!({"current": "", "new": "a long new password"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = app
        .request(
            reqwest::Method::DELETE,
            "/api/me/identities/second",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, 204);
    let (status, _) = app
        .post(
            "/api/auth/login",
            None,
            json!({"username": "alice", "password": "a long new password"}),
        )
        .await;
    assert_eq!(status, 200);

    // Sign out everywhere: the provider's session's refresh token dies too.
    let (status, _) = app
        .post("/api/me/sign-out-everywhere", Some(&token), json!({}))
        .await;
    assert_eq!(status, 204);
    let (status, _) = app
        .post("/api/auth/refresh", None, json!({"refresh_token": refresh}))
        .await;
    assert_eq!(status, 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_refusals_are_clear() {
    let Some(issuer) = provider_url() else { return };
    let app = app_with_providers(&issuer);

    // An unknown provider.
    let r = browser()
        .get(format!("{}/api/auth/oidc/nope/start", app.base))
        .send()
        .await
        .unwrap();
    let (status, message) = error_of(r).await;
    assert_eq!(status, 404);
    assert!(message.contains("nope"), "{message}");

    let begin = |b: reqwest::Client| {
        let base = app.base.clone();
        async move {
            let r = b
                .get(format!("{base}/api/auth/oidc/mock/start"))
                .send()
                .await
                .unwrap();
            (b, location(&r))
        }
    };

    // A tampered state.
    let (b, authorize) = begin(browser()).await;
    let back = consent(&b, &authorize, "mallory").await;
    let state = back
        .split("state=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    let tampered = back.replace(state, "forged-state");
    let (status, message) = error_of(b.get(&tampered).send().await.unwrap()).await;
    assert_eq!(status, 400);
    assert!(message.contains("state does not match"), "{message}");

    // The provider's answer in a browser that began no sign-in (a login CSRF).
    let (b, authorize) = begin(browser()).await;
    let back = consent(&b, &authorize, "mallory").await;
    let (status, message) = error_of(browser().get(&back).send().await.unwrap()).await;
    assert_eq!(status, 400);
    assert!(message.contains("no sign-in is under way"), "{message}");
    // The right browser still can, once.
    let r = b.get(&back).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let (status, _) = error_of(b.get(&back).send().await.unwrap()).await;
    assert_eq!(status, 400, "a used answer is not taken twice");

    // A nonce swapped on the way to the provider: the ID token carries the wrong one.
    let (b, authorize) = begin(browser()).await;
    let nonce = authorize
        .split("nonce=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    let swapped = authorize.replace(&format!("nonce={nonce}"), "nonce=someone-elses");
    let back = consent(&b, &swapped, "mallory").await;
    let (status, message) = error_of(b.get(&back).send().await.unwrap()).await;
    assert_eq!(status, 401);
    assert!(message.contains("nonce"), "{message}");

    // The person denies the sign-in at the provider.
    let (b, authorize) = begin(browser()).await;
    let r = b
        .post(&authorize)
        .form(&[("action", "deny")])
        .send()
        .await
        .unwrap();
    let back = location(&r);
    let (status, message) = error_of(b.get(&back).send().await.unwrap()).await;
    assert_eq!(status, 401);
    assert!(message.contains("access_denied"), "{message}");

    // Linking needs a signed-in caller; unknown providers are 404 there too.
    let (status, _) = app.post("/api/me/identities/mock", None, json!({})).await;
    assert_eq!(status, 401);
    let (token, _) = app.register("plain_user").await;
    let (status, body) = app
        .post("/api/me/identities/nope", Some(&token), json!({}))
        .await;
    assert_eq!(status, 404, "{body}");
}

/// A real ID token of the provider, for `client_id`, with `nonce`: (token, key set).
async fn real_id_token(issuer: &str, client_id: &str, nonce: &str) -> (String, Value) {
    let b = browser();
    let verifier = "a-verifier-of-at-least-43-characters-0123456789";
    let challenge = {
        use base64::Engine;
        use sha2::Digest;
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(sha2::Sha256::digest(verifier.as_bytes()))
    };
    let redirect = "http://127.0.0.1:9/cb";
    let authorize = format!(
        "{issuer}/oauth2/authorize?response_type=code&client_id={client_id}&redirect_uri={redirect}\
         &scope=openid&state=s&nonce={nonce}&code_challenge={challenge}&code_challenge_method=S256"
    );
    let back = consent(&b, &authorize, "tester").await;
    let code = back
        .split("code=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    let answer: Value = b
        .post(format!("{issuer}/oauth2/token"))
        .basic_auth(client_id, Some("s3cret"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect),
            ("code_verifier", verifier),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let keys: Value = b
        .get(format!("{issuer}/jwks"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (answer["id_token"].as_str().unwrap().to_owned(), keys)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn id_tokens_are_checked_for_signature_issuer_audience_expiry_and_nonce() {
    let Some(issuer) = provider_url() else { return };
    let (token, keys) = real_id_token(&issuer, "codehub", "n-1").await;
    let keys: jsonwebtoken::jwk::JwkSet = serde_json::from_value(keys).unwrap();
    let now = codehub_engine::model::now_ms() as u64 / 1000;
    let verify = |t: &str, iss: &str, aud: &str, nonce: &str, now: u64| {
        id_token::verify(t, &keys, iss, aud, nonce, now)
    };
    let claims = verify(&token, &issuer, "codehub", "n-1", now).expect("a good token");
    assert_eq!(claims.sub, "tester");

    assert_eq!(
        verify(&token, &issuer, "codehub", "n-2", now).unwrap_err(),
        IdTokenError::Nonce
    );
    assert_eq!(
        verify(&token, &issuer, "someone-else", "n-1", now).unwrap_err(),
        IdTokenError::Audience
    );
    assert_eq!(
        verify(&token, "https://evil.example", "codehub", "n-1", now).unwrap_err(),
        IdTokenError::Issuer
    );
    let after_expiry = claims.exp + id_token::LEEWAY_SECS + 1;
    assert_eq!(
        verify(&token, &issuer, "codehub", "n-1", after_expiry).unwrap_err(),
        IdTokenError::Expired
    );
    assert!(
        verify(
            &token,
            &issuer,
            "codehub",
            "n-1",
            claims.exp + id_token::LEEWAY_SECS
        )
        .is_ok()
    );

    // The signature changed by one bit.
    let (head, sig) = token.rsplit_once('.').unwrap();
    let mut bytes = sig.as_bytes().to_vec();
    bytes[10] = if bytes[10] == b'A' { b'B' } else { b'A' };
    let tampered = format!("{head}.{}", String::from_utf8(bytes).unwrap());
    assert_eq!(
        verify(&tampered, &issuer, "codehub", "n-1", now).unwrap_err(),
        IdTokenError::Signature
    );

    // The same claims signed with another RSA key (made here with openssl).
    let dir = tempfile::tempdir().unwrap();
    let key_path = dir.path().join("key.pem");
    let made = std::process::Command::new("openssl")
        .args([
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
            "-out",
        ])
        .arg(&key_path)
        .output()
        .expect("openssl");
    assert!(made.status.success(), "{made:?}");
    let der_path = dir.path().join("key.der");
    let converted = std::process::Command::new("openssl")
        .args(["rsa", "-traditional", "-outform", "DER", "-in"])
        .arg(&key_path)
        .arg("-out")
        .arg(&der_path)
        .output()
        .expect("openssl");
    assert!(converted.status.success(), "{converted:?}");
    let der = std::fs::read(&der_path).unwrap();
    let claims_json: Value = {
        use base64::Engine;
        let payload = token.split('.').nth(1).unwrap();
        serde_json::from_slice(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(payload)
                .unwrap(),
        )
        .unwrap()
    };
    let forged = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256),
        &claims_json,
        &jsonwebtoken::EncodingKey::from_rsa_der(&der),
    )
    .unwrap();
    assert_eq!(
        verify(&forged, &issuer, "codehub", "n-1", now).unwrap_err(),
        IdTokenError::Signature
    );
    // Or with a shared secret (the algorithm-confusion attack): refused for its algorithm.
    let hs = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims_json,
        &jsonwebtoken::EncodingKey::from_secret(b"guess"),
    )
    .unwrap();
    assert!(matches!(
        verify(&hs, &issuer, "codehub", "n-1", now).unwrap_err(),
        IdTokenError::Algorithm(_)
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_contest_can_require_a_provider_for_its_participants() {
    let Some(issuer) = provider_url() else { return };
    let app = app_with_providers(&issuer);
    let admin = app.admin().await;
    let hello = app.import(&admin, "hello").await;
    let contest = app.contest(&admin, "uni-only", &[hello], json!({})).await;
    let sso = format!("/api/contests/{contest}/sso");
    let (status, body) = app
        .request(
            reqwest::Method::PUT,
            &sso,
            Some(&admin),
            Some(json!({"provider": "nope"})),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    let (plain, _) = app.register("plain_contestant").await;
    let (status, _) = app
        .request(
            reqwest::Method::PUT,
            &sso,
            Some(&plain),
            Some(json!({"provider": "mock"})),
        )
        .await;
    assert_eq!(status, 403);
    let (status, _) = app
        .request(
            reqwest::Method::PUT,
            &sso,
            Some(&admin),
            Some(json!({"provider": "mock"})),
        )
        .await;
    assert_eq!(status, 200);
    let (_, now) = app.get(&sso, None).await;
    assert_eq!(now["provider"], "mock");

    // A password-only account is turned away, with the way in named.
    let register = format!("/api/contests/{contest}/register");
    let (status, body) = app.post(&register, Some(&plain), json!({})).await;
    assert_eq!(status, 403);
    assert!(
        body["message"].as_str().unwrap().contains("`mock`"),
        "{body}"
    );
    let source = std::fs::read_to_string(
        super::helpers::problems_dir().join("hello/submissions/accepted/hello.py"),
    )
    .unwrap();
    let (status, _) = app
        .submit(&plain, Some(contest), hello, "hello.py", &source)
        .await;
    assert_eq!(status, 403);
    // Signed in through the provider: in.
    let session = sign_in(&app, &browser(), "mock", "uni-student").await;
    let student = session["access_token"].as_str().unwrap();
    let (status, _) = app.post(&register, Some(student), json!({})).await;
    assert_eq!(status, 204);
    // Lifted: everyone again.
    let (status, _) = app
        .request(
            reqwest::Method::PUT,
            &sso,
            Some(&admin),
            Some(json!({"provider": null})),
        )
        .await;
    assert_eq!(status, 200);
    let (status, _) = app.post(&register, Some(&plain), json!({})).await;
    assert_eq!(status, 204);
}
