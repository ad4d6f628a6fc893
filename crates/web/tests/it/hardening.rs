//! Issue 6, access hardening: redirects, caching and transport headers, tokens and passwords,
//! throttling, GET without side effects, secrets out of URLs, `/metrics`, the 404 language link,
//! the absolute session lifetime, and the log of refused requests.

use crate::app_tests;
use crate::harness::{LogCapture, PASSWORD, TestApp, TestResponse, link_in};
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use reti_web::{AppState, WebConfig};
use std::net::SocketAddr;
use tower::ServiceExt;

/// `next=` targets that a browser would take to another site (raw, encoded, or after dropping
/// tabs and newlines).
const OFF_SITE: &[&str] = &[
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "/\t/evil.example",
    "/\r\n/evil.example",
    "/%09/evil.example",
    "/%0d%0a/evil.example",
    "/%00/evil.example",
    "/%2F/evil.example",
    "/%2f%2fevil.example",
    "/%5Cevil.example",
    "https://evil.example",
    "http:/evil.example",
    "javascript:alert(1)",
    " //evil.example",
];

fn query(next: &str) -> String {
    serde_urlencoded::to_string([("next", next)]).unwrap()
}

/// A router of its own over the test app's database, for settings the harness does not change.
fn router_with(app: &TestApp, public_url: &str, configure: impl FnOnce(&mut WebConfig)) -> axum::Router {
    let mut config = WebConfig::new(public_url, app.outbox.parent().unwrap().to_path_buf());
    configure(&mut config);
    reti_web::router(AppState::new(app.db.clone(), config))
}

async fn send(router: &axum::Router, request: Request<Body>) -> TestResponse {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    TestResponse { status, headers, body: String::from_utf8_lossy(&bytes).into_owned(), bytes: bytes.to_vec() }
}

fn from_peer(builder: axum::http::request::Builder, peer: [u8; 4]) -> Request<Body> {
    let mut request = builder.body(Body::empty()).unwrap();
    request.extensions_mut().insert(ConnectInfo(SocketAddr::from((peer, 40000))));
    request
}

fn cache_control(response: &TestResponse) -> &str {
    response.headers.get(header::CACHE_CONTROL).and_then(|v| v.to_str().ok()).unwrap_or("")
}

app_tests! {
    async fn next_never_leaves_the_site(app: TestApp) {
        let user = app.user().create().await;
        app.login(&user.email).await;
        // The form reported from outside, as the browser sends it.
        let reported = app.get("/login?next=/%09/evil.example").await;
        assert_eq!(reported.status, StatusCode::SEE_OTHER);
        assert_eq!(reported.location(), "/");
        for target in OFF_SITE {
            let already_in = app.get(&format!("/login?{}", query(target))).await;
            assert_eq!(already_in.location(), "/", "GET followed {target:?}");
            let login = app.post("/login", &[("email", &user.email), ("password", PASSWORD), ("next", target)]).await;
            assert_eq!(login.status, StatusCode::SEE_OTHER);
            assert_eq!(login.location(), "/", "POST followed {target:?}");
        }
        let local = app.get(&format!("/login?{}", query("/audit?page=2"))).await;
        assert_eq!(local.location(), "/audit?page=2", "a path of this site is still followed");
    }

    async fn private_answers_are_not_stored_and_https_is_pinned(app: TestApp) {
        let user = app.user().create().await;
        app.login(&user.email).await;
        assert_eq!(cache_control(&app.get("/account").await), "no-store");
        let created = app.post("/account/tokens", &[("token_name", "script"), ("token_days", "30")]).await;
        assert!(created.body.contains("reti_"), "the new token is shown once");
        assert_eq!(cache_control(&created), "no-store");
        let token = app.token_for(&user).await;
        assert_eq!(cache_control(&app.api_get("/api/v1/programmes", Some(&token)).await), "no-store");
        assert_eq!(cache_control(&app.api_get("/api/v1/programmes", None).await), "no-store");
        let asset = app.get("/static/app.css").await;
        assert_eq!(asset.status, StatusCode::OK);
        assert!(!cache_control(&asset).contains("no-store"), "static assets keep their caching");
        assert!(app.get("/").await.headers.get(header::STRICT_TRANSPORT_SECURITY).is_none(), "plain http: no HSTS");

        let https = router_with(&app, "https://reti.example.org", |_| {});
        let page = send(&https, Request::get("/login").body(Body::empty()).unwrap()).await;
        assert_eq!(page.headers.get(header::STRICT_TRANSPORT_SECURITY).unwrap(), "max-age=31536000; includeSubDomains");
        let cookie = page.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
        assert!(cookie.starts_with("__Host-reti_session="), "{cookie}");
        assert!(cookie.contains("Secure") && cookie.contains("Path=/") && !cookie.contains("Domain"), "{cookie}");
    }

    async fn a_password_reset_revokes_sessions_and_tokens(app: TestApp) {
        let user = app.user().create().await;
        let token = app.token_for(&user).await;
        assert_eq!(app.api_get("/api/v1/me", Some(&token)).await.status, StatusCode::OK);
        app.post("/password/forgot", &[("email", &user.email)]).await;
        assert_eq!(app.run_jobs().await, 2, "the lookup, then the reset mail it queues");
        let mail = app.mails().pop().expect("a reset mail");
        let link = link_in(&mail, "http://reti.test/password/reset/");
        let path = link.trim_start_matches("http://reti.test");
        let new_password = "tramonto-sul-ticino-sicuro";
        let done = app.post(path, &[("password", new_password), ("password_confirm", new_password)]).await;
        assert_eq!(done.location(), "/login");
        assert_eq!(app.api_get("/api/v1/me", Some(&token)).await.status, StatusCode::UNAUTHORIZED);
    }

    async fn tokens_expire(app: TestApp) {
        let user = app.user().create().await;
        app.login(&user.email).await;
        let refused = app.post("/account/tokens", &[("token_name", "script"), ("token_days", "400")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("da 1 a 365"), "{}", refused.body);
        app.post("/account/tokens", &[("token_name", "script"), ("token_days", "30")]).await;
        let tokens = app.db.tokens_of(&user.id).await.unwrap();
        assert_eq!((tokens[0].expires_at.0 - tokens[0].created_at.0).whole_days(), 30);
        let account = app.get("/account").await;
        assert!(account.body.contains("Scade"), "the expiry is shown");

        let token = app.token_for(&user).await;
        assert_eq!(app.api_get("/api/v1/me", Some(&token)).await.status, StatusCode::OK);
        sqlx::query("UPDATE api_tokens SET expires_at = $1")
            .bind("2020-01-01T00:00:00.000000Z")
            .execute(app.db.pool())
            .await
            .unwrap();
        assert_eq!(app.api_get("/api/v1/me", Some(&token)).await.status, StatusCode::UNAUTHORIZED);
        assert!(app.get("/account").await.body.contains("Scaduto"));
    }

    async fn weak_passwords_are_refused_in_forms(app: TestApp) {
        let user = app.user().create().await;
        app.login(&user.email).await;
        for weak in ["password1234", "abcdefghijklmnop"] {
            let response = app
                .post("/account/password", &[("current_password", PASSWORD), ("password", weak), ("password_confirm", weak)])
                .await;
            assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{weak:?} accepted");
        }
        let short = app
            .post("/account/password", &[("current_password", PASSWORD), ("password", "corta-123"), ("password_confirm", "corta-123")])
            .await;
        assert!(short.body.contains("almeno 12 caratteri"));
    }

    async fn a_burst_of_logins_is_evaluated_at_most_the_limit(app: TestApp) {
        let user = app.user().create().await;
        // One browser session, twenty tabs submitting at once.
        let form = send(&app.router, Request::get("/password/forgot").body(Body::empty()).unwrap()).await;
        let csrf = form.csrf().unwrap();
        let cookie = form.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().split(';').next().unwrap().to_owned();
        let body = serde_urlencoded::to_string([("csrf_token", csrf.as_str()), ("email", &user.email), ("password", "sbagliata-e-lunga")]).unwrap();
        let burst: Vec<_> = (0..20)
            .map(|_| {
                let request = Request::post("/login")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header(header::COOKIE, &cookie)
                    .body(Body::from(body.clone()))
                    .unwrap();
                let router = app.router.clone();
                tokio::spawn(async move { router.oneshot(request).await.unwrap().status() })
            })
            .collect();
        let mut evaluated = 0;
        for attempt in burst {
            let status = attempt.await.unwrap();
            assert!(matches!(status, StatusCode::UNAUTHORIZED | StatusCode::TOO_MANY_REQUESTS), "{status}");
            evaluated += i64::from(status == StatusCode::UNAUTHORIZED);
        }
        assert!(evaluated <= reti_store::throttle::AttemptKind::Login.limits().0, "{evaluated} passwords checked");
    }

    async fn forgot_password_answers_alike_and_is_throttled(app: TestApp) {
        let user = app.user().create().await;
        let unknown = app.post("/password/forgot", &[("email", "nessuno@prova.it")]).await;
        let known = app.post("/password/forgot", &[("email", &user.email)]).await;
        assert_eq!(unknown.status, known.status);
        assert_eq!(unknown.bytes, known.bytes, "byte for byte the same answer");
        for _ in 1..reti_store::throttle::AttemptKind::PasswordForgot.limits().0 {
            assert_eq!(app.post("/password/forgot", &[("email", &user.email)]).await.status, StatusCode::OK);
        }
        let throttled = app.post("/password/forgot", &[("email", &user.email)]).await;
        assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(throttled.body.contains("Troppi tentativi"));
    }

    async fn password_change_is_throttled(app: TestApp) {
        let user = app.user().create().await;
        app.login(&user.email).await;
        let new_password = "tramonto-sul-ticino-sicuro";
        for _ in 0..reti_store::throttle::AttemptKind::PasswordChange.limits().0 {
            let wrong = app
                .post("/account/password", &[("current_password", "sbagliata-e-lunga"), ("password", new_password), ("password_confirm", new_password)])
                .await;
            assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        }
        let right = app
            .post("/account/password", &[("current_password", PASSWORD), ("password", new_password), ("password_confirm", new_password)])
            .await;
        assert_eq!(right.status, StatusCode::UNPROCESSABLE_ENTITY, "throttled even with the right password");
        assert!(right.body.contains("Troppi tentativi"));
    }

    async fn refusals_are_logged_with_the_client_and_never_the_password(app: TestApp) {
        let user = app.user().create().await;
        let behind_proxy = router_with(&app, "http://reti.test", |config| config.trust_proxy = true);
        let form = send(&behind_proxy, Request::get("/password/forgot").body(Body::empty()).unwrap()).await;
        let csrf = form.csrf().unwrap();
        let cookie = form.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().split(';').next().unwrap().to_owned();
        // Through the proxy on this host, which appends the address it saw.
        let login = |fields: &[(&str, &str)]| {
            let builder = Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, &cookie)
                .header("x-forwarded-for", "203.0.113.7");
            let mut request = builder.body(Body::from(serde_urlencoded::to_string(fields).unwrap())).unwrap();
            request.extensions_mut().insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
            request
        };
        let password = "sbagliata-segreta-4321";
        let logs = LogCapture::start();
        let failed = send(&behind_proxy, login(&[("csrf_token", &csrf), ("email", &user.email), ("password", password)])).await;
        assert_eq!(failed.status, StatusCode::UNAUTHORIZED);
        let forged = send(&behind_proxy, login(&[("csrf_token", "forged"), ("email", &user.email), ("password", password)])).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        app.login(&user.email).await;
        assert_eq!(app.get("/audit").await.status, StatusCode::FORBIDDEN);

        let text = logs.text();
        let events: Vec<&str> = text.lines().filter(|line| line.contains("reti::security")).collect();
        assert_eq!(events.len(), 3, "{text}");
        assert!(events.iter().all(|e| e.contains("WARN")), "{text}");
        let [login_failed, csrf_refused, forbidden] = events[..] else { unreachable!() };
        for part in ["203.0.113.7", "POST", "/login", "bad_credentials", user.email.as_str()] {
            assert!(login_failed.contains(part), "{part} missing: {login_failed}");
        }
        for part in ["203.0.113.7", "/login", "csrf"] {
            assert!(csrf_refused.contains(part), "{part} missing: {csrf_refused}");
        }
        for part in ["GET", "/audit", "forbidden", user.id.as_str()] {
            assert!(forbidden.contains(part), "{part} missing: {forbidden}");
        }
        assert!(!csrf_refused.contains(&user.email) && !forbidden.contains(&user.email), "the e-mail only for a login attempt");
        for secret in [password, PASSWORD, csrf.as_str(), "forged", cookie.split('=').nth(1).unwrap()] {
            assert!(!text.contains(secret), "{secret} logged: {text}");
        }
    }

    async fn the_client_is_the_right_most_forwarded_hop(app: TestApp) {
        let behind_proxy = router_with(&app, "http://reti.test", |config| config.trust_proxy = true);
        // The proxy runs on this host and appends the address it saw; the client wrote the rest.
        let spoofed = Request::get("/metrics").header("x-forwarded-for", "127.0.0.1, 203.0.113.7");
        assert_eq!(send(&behind_proxy, from_peer(spoofed, [127, 0, 0, 1])).await.status, StatusCode::NOT_FOUND);
        let local = Request::get("/metrics").header("x-forwarded-for", "203.0.113.7, 127.0.0.1");
        assert_eq!(send(&behind_proxy, from_peer(local, [127, 0, 0, 1])).await.status, StatusCode::OK);
    }

    async fn language_switch_by_get_is_for_the_session_only(app: TestApp) {
        let user = app.user().create().await;
        app.login(&user.email).await;
        let english = app.get("/?lang=en").await;
        assert!(english.body.contains("lang=\"en\""));
        assert_eq!(app.db.user(&user.id).await.unwrap().unwrap().locale, None, "a GET saved the preference");
        assert!(app.get("/").await.body.contains("lang=\"en\""), "the session keeps the switch");
        app.post("/account/language", &[("locale", "en")]).await;
        assert_eq!(app.db.user(&user.id).await.unwrap().unwrap().locale, Some(reti_domain::Locale::En));
    }

    async fn csrf_token_is_never_taken_from_the_url(app: TestApp) {
        let user = app.user().create().await;
        app.login(&user.email).await;
        let token = app.csrf().await;
        let in_url = app.post_raw(&format!("/logout?csrf_token={token}"), &[]).await;
        assert_eq!(in_url.status, StatusCode::FORBIDDEN);
        assert!(app.get("/account").await.status.is_success(), "still logged in");
        let import = app.get("/import").await;
        assert!(!import.body.contains("csrf_token="), "no form carries the token in its address");
    }

    async fn metrics_are_for_this_host_or_the_token(app: TestApp) {
        let anywhere = from_peer(Request::get("/metrics"), [203, 0, 113, 7]);
        assert_eq!(send(&app.router, anywhere).await.status, StatusCode::NOT_FOUND);
        let here = send(&app.router, from_peer(Request::get("/metrics"), [127, 0, 0, 1])).await;
        assert_eq!(here.status, StatusCode::OK);
        let with_token = router_with(&app, "http://reti.test", |config| config.metrics_token = Some("scrape-secret".into()));
        let right = Request::get("/metrics").header(header::AUTHORIZATION, "Bearer scrape-secret");
        assert_eq!(send(&with_token, from_peer(right, [203, 0, 113, 7])).await.status, StatusCode::OK);
        let wrong = Request::get("/metrics").header(header::AUTHORIZATION, "Bearer scrape-guess");
        assert_eq!(send(&with_token, from_peer(wrong, [203, 0, 113, 7])).await.status, StatusCode::NOT_FOUND);
    }

    async fn not_found_language_link_stays_on_the_site(app: TestApp) {
        let request = Request::builder().method(Method::GET).uri("//evil.example/x").header(header::ACCEPT, "text/html");
        let request = request.body(Body::empty()).unwrap();
        assert_eq!(request.uri().path(), "//evil.example/x", "the path as a browser-made request carries it");
        let response = app.request(request).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND);
        assert!(!response.body.contains("href=\"//evil.example"), "{}", response.body);
        assert!(response.body.contains("href=\"/?lang=en\""));
    }

    async fn sessions_end_seven_days_after_login(app: TestApp) {
        let user = app.user().create().await;
        app.login(&user.email).await;
        assert_eq!(app.get("/account").await.status, StatusCode::OK);
        let (id, data): (String, String) = sqlx::query_as("SELECT id, data FROM sessions WHERE user_id = $1")
            .bind(&user.id)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        let mut data: serde_json::Value = serde_json::from_str(&data).unwrap();
        let eight_days_ago = reti_store::Timestamp::now().before(time::Duration::days(8)).to_db();
        data[reti_store::sessions::LOGGED_IN_AT_KEY] = serde_json::json!(eight_days_ago);
        sqlx::query("UPDATE sessions SET data = $1 WHERE id = $2")
            .bind(data.to_string())
            .bind(&id)
            .execute(app.db.pool())
            .await
            .unwrap();
        let after = app.get("/account").await;
        assert_eq!(after.status, StatusCode::SEE_OTHER, "an old login is over, however active");
        assert!(after.location().starts_with("/login"));
    }
}
