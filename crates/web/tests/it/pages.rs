//! Pages: language, error pages, escaping, headers, the audit log, the account page.

use crate::app_tests;
use crate::harness::PASSWORD;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use reti_domain::Role;

app_tests! {
    async fn italian_first_english_on_request(app: TestApp) {
        let home = app.get("/").await;
        assert!(home.body.contains("<html lang=\"it\""));
        assert!(home.body.contains("Reti territoriali per l&#39;integrazione"));
        let english = app.get_with("/", "accept-language", "en-GB,en;q=0.9").await;
        assert!(english.body.contains("<html lang=\"en\""));
        assert!(english.body.contains("Local networks for integration"));
        // The switch is remembered by the session.
        let switched = app.get("/privacy?lang=en").await;
        assert!(switched.body.contains("<html lang=\"en\""));
        assert!(app.get("/").await.body.contains("<html lang=\"en\""));
        assert!(app.get("/?lang=it").await.body.contains("<html lang=\"it\""));
    }

    async fn a_users_language_follows_them_across_sessions(app: TestApp) {
        let user = app.user().create().await;
        app.login(&user.email).await;
        let saved = app.post("/account/language", &[("locale", "en")]).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
        app.logout_locally();
        app.login(&user.email).await;
        assert!(app.get("/").await.body.contains("<html lang=\"en\""));
        let bad = app.post("/account/language", &[("locale", "xx")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("Language"), "names the field: {}", bad.body);
    }

    async fn error_pages_are_friendly_and_translated(app: TestApp) {
        let missing = app.get("/non-esiste").await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert!(missing.body.contains("Pagina non trovata") && missing.body.contains("<html lang=\"it\""));
        let english = app.get_with("/does-not-exist", "accept-language", "en").await;
        assert!(english.body.contains("Page not found"));
        let api = app.request(Request::builder().uri("/api/v1/me").header("accept-language", "en").body(Body::empty()).unwrap()).await;
        assert_eq!(api.status, StatusCode::UNAUTHORIZED);
        assert_eq!(api.json()["error"]["message"], "Login required");
        assert_eq!(api.headers.get(header::WWW_AUTHENTICATE).unwrap(), "Bearer");
    }

    async fn oversized_forms_are_refused_with_413(app: TestApp) {
        let token = app.csrf().await;
        let huge = "x".repeat(reti_web::csrf::FORM_BODY_LIMIT + 10);
        let response = app.post_raw("/password/forgot", &[("csrf_token", &token), ("email", &huge)]).await;
        assert_eq!(response.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(response.body.contains("Invio troppo grande"));
    }

    async fn security_headers_on_every_response(app: TestApp) {
        for path in ["/", "/login", "/non-esiste", "/static/app.css", "/api/v1/openapi.json"] {
            let response = app.get(path).await;
            let csp = response.headers.get("content-security-policy").unwrap().to_str().unwrap().to_owned();
            assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{path}: {csp}");
            assert!(csp.contains("frame-ancestors 'none'"), "{path}");
            assert_eq!(response.headers.get("x-content-type-options").unwrap(), "nosniff", "{path}");
            assert!(response.headers.get("referrer-policy").is_some(), "{path}");
            assert!(response.headers.get("x-request-id").is_some(), "{path}");
        }
        let api = app.get("/api/v1/openapi.json").await;
        assert_eq!(api.headers.get("content-disposition").unwrap(), "attachment; filename=\"api.json\"");
        assert!(app.get("/login").await.headers.get("content-disposition").is_none(), "pages are shown");
        let page = app.get("/").await.body;
        assert!(!page.contains("<script>") && !page.contains(" style=\""), "no inline script or style");
    }

    async fn user_text_is_escaped(app: TestApp) {
        let coordinator = app.user().role(Role::Coordinator).create().await;
        let actor = reti_store::Actor::cli();
        let new = reti_store::users::NewUser {
            email: reti_domain::Email::parse("xss@prova.it").unwrap(),
            name: reti_domain::PersonName::parse("<script>alert(1)</script>").unwrap(),
            password: None,
            is_admin: false,
        };
        let evil = app.db.create_user(&actor, new).await.unwrap();
        app.db.assign_role(&actor, &evil.id, &app.programme_id, Role::NetworkMember).await.unwrap();
        app.login(&coordinator.email).await;
        let page = app.get("/users").await;
        assert!(page.body.contains("&#60;script&#62;alert(1)&#60;/script&#62;"), "{}", page.body);
        assert!(!page.body.contains("<script>alert(1)"));
    }

    async fn audit_log_records_and_filters(app: TestApp) {
        let coordinator = app.user().role(Role::Coordinator).create().await;
        let other_programme = app.db.create_programme(&reti_store::Actor::cli(), "AMIF-2027", "AMIF").await.unwrap();
        app.login(&coordinator.email).await;
        app.post("/invitations", &[("email", "invitata@scuola.it"), ("programme", &app.programme_id), ("role", "network_member")]).await;
        let log = app.get("/audit").await;
        assert_eq!(log.status, StatusCode::OK);
        assert!(log.body.contains("invitata@scuola.it") && log.body.contains(&coordinator.email), "who and what");
        assert!(!log.body.contains("AMIF"), "entries of programmes not coordinated are hidden");
        let filtered = app.get("/audit?action=invite").await;
        assert!(filtered.body.contains("Una modifica trovata"), "{}", filtered.body);
        let none = app.get("/audit?since=2999-01-01").await;
        assert!(none.body.contains("0 modifiche trovate"));
        let admin = app.user().admin().create().await;
        app.logout_locally();
        app.login(&admin.email).await;
        let all = app.get("/audit?entity=programme").await;
        assert!(all.body.contains(&other_programme.id), "the administrator sees every programme");
    }

    async fn account_manages_tokens_and_password(app: TestApp) {
        let user = app.user().role(Role::NetworkLead).create().await;
        app.login(&user.email).await;
        let empty = app.post("/account/tokens", &[("token_name", " ")]).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        let created = app.post("/account/tokens", &[("token_name", "script di export")]).await;
        assert_eq!(created.status, StatusCode::OK);
        let start = created.body.find("<code>reti_").expect("the new token is shown once") + "<code>".len();
        let secret = created.body[start..].split('<').next().unwrap().to_owned();
        assert_eq!(app.api_get("/api/v1/me", Some(&secret)).await.status, StatusCode::OK);
        assert!(!app.get("/account").await.body.contains(&secret), "never shown again");
        let tokens = app.db.tokens_of(&user.id).await.unwrap();
        let revoke = app.post(&format!("/account/tokens/{}/revoke", tokens[0].id), &[]).await;
        assert_eq!(revoke.status, StatusCode::SEE_OTHER);
        assert_eq!(app.api_get("/api/v1/me", Some(&secret)).await.status, StatusCode::UNAUTHORIZED);

        let wrong = app.post("/account/password", &[("current_password", "sbagliata-123"), ("password", "tramonto-sul-ticino-1"), ("password_confirm", "tramonto-sul-ticino-1")]).await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(wrong.body.contains("Password attuale"));
        let changed = app.post("/account/password", &[("current_password", PASSWORD), ("password", "tramonto-sul-ticino-1"), ("password_confirm", "tramonto-sul-ticino-1")]).await;
        assert_eq!(changed.location(), "/account");
        assert!(app.get("/account").await.body.contains("Password cambiata"), "this session survives the change");
    }

    async fn health_and_metrics(app: TestApp) {
        let health = app.get("/healthz").await;
        assert_eq!((health.status, health.body.as_str()), (StatusCode::OK, "ok"));
        app.get("/").await;
        // Served to this host only (see hardening.rs for the rest of the rule).
        let mut request = Request::builder().uri("/metrics").body(Body::empty()).unwrap();
        request.extensions_mut().insert(axum::extract::ConnectInfo(std::net::SocketAddr::from(([127, 0, 0, 1], 40000))));
        let metrics = app.request(request).await;
        assert!(metrics.body.contains("http_requests_total"), "{}", metrics.body);
        let head = app.request(Request::builder().method(Method::HEAD).uri("/").body(Body::empty()).unwrap()).await;
        assert_eq!(head.status, StatusCode::OK);
    }
}
