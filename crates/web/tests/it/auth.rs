//! Login, logout, sessions (and ending them), CSRF, password reset and its notice, invitations.

use crate::app_tests;
use crate::harness::{PASSWORD, link_in};
use axum::http::{StatusCode, header};
use reti_domain::{Locale, Role};
use reti_store::Actor;

/// The actions of the forms that end one session, on an account page.
fn end_session_forms(body: &str) -> Vec<String> {
    body.match_indices("action=\"/account/sessions/")
        .map(|(start, _)| body[start + "action=\"".len()..].split('"').next().unwrap().to_owned())
        .filter(|action| action.ends_with("/end"))
        .collect()
}

app_tests! {
    async fn wrong_password_and_unknown_email_look_the_same(app: TestApp) {
        let user = app.user().create().await;
        let wrong = app.post("/login", &[("email", &user.email), ("password", "sbagliata-1234")]).await;
        let unknown = app.post("/login", &[("email", "nessuno@prova.it"), ("password", "sbagliata-1234")]).await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert_eq!(unknown.status, wrong.status);
        let message = "Indirizzo e-mail o password non corretti";
        assert!(wrong.body.contains(message) && unknown.body.contains(message));
        assert!(wrong.body.contains("name=\"password\""), "the form is shown again");
    }

    async fn login_rotates_the_session_and_sets_safe_cookies(app: TestApp) {
        let user = app.user().role(Role::NetworkMember).create().await;
        let before = app.get("/password/forgot").await;
        let anonymous_cookie = before.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().to_owned();
        assert!(anonymous_cookie.contains("HttpOnly") && anonymous_cookie.contains("SameSite=Lax"), "{anonymous_cookie}");
        let response = app.login(&user.email).await;
        assert_eq!(response.location(), "/");
        let logged_cookie = response.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().to_owned();
        assert_ne!(anonymous_cookie.split(';').next(), logged_cookie.split(';').next(), "a new session id at login");
        let home = app.get("/").await;
        assert!(home.body.contains("action=\"/logout\""), "the home page shows the logout form");
        assert!(home.body.contains("Membro di rete"), "the home page shows the role");
    }

    async fn login_follows_only_local_next(app: TestApp) {
        let user = app.user().role(Role::Coordinator).create().await;
        let redirect = app.get("/audit").await;
        assert_eq!(redirect.location(), "/login?next=%2Faudit");
        let response = app.post("/login", &[("email", &user.email), ("password", PASSWORD), ("next", "/audit")]).await;
        assert_eq!(response.location(), "/audit");
        app.logout_locally();
        let response = app.post("/login", &[("email", &user.email), ("password", PASSWORD), ("next", "//evil.example/")]).await;
        assert_eq!(response.location(), "/");
    }

    async fn repeated_failures_are_throttled(app: TestApp) {
        let user = app.user().create().await;
        for _ in 0..reti_store::throttle::AttemptKind::Login.limits().0 {
            let response = app.post("/login", &[("email", &user.email), ("password", "sbagliata-1234")]).await;
            assert_eq!(response.status, StatusCode::UNAUTHORIZED);
        }
        let blocked = app.post("/login", &[("email", &user.email), ("password", PASSWORD)]).await;
        assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(blocked.body.contains("Troppi tentativi"));
    }

    async fn logout_ends_the_session(app: TestApp) {
        let user = app.user().create().await;
        app.login(&user.email).await;
        let response = app.post("/logout", &[]).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER);
        assert!(!app.get("/").await.body.contains("action=\"/logout\""));
        assert_eq!(app.get("/account").await.status, StatusCode::SEE_OTHER);
    }

    async fn forms_without_a_valid_csrf_token_are_refused(app: TestApp) {
        let user = app.user().create().await;
        app.get("/password/forgot").await;
        let missing = app.post_raw("/login", &[("email", &user.email), ("password", PASSWORD)]).await;
        assert_eq!(missing.status, StatusCode::FORBIDDEN);
        assert!(missing.body.contains("Modulo scaduto"));
        let wrong = app.post_raw("/login", &[("csrf_token", "forged"), ("email", &user.email), ("password", PASSWORD)]).await;
        assert_eq!(wrong.status, StatusCode::FORBIDDEN);
        assert!(app.get("/").await.body.contains("href=\"/login\""), "still logged out");
    }

    async fn password_reset_by_email_link(app: TestApp) {
        let user = app.user().create().await;
        let unknown = app.post("/password/forgot", &[("email", "nessuno@prova.it")]).await;
        let known = app.post("/password/forgot", &[("email", &user.email)]).await;
        assert_eq!(unknown.status, StatusCode::OK);
        assert_eq!(unknown.body.replace(&user.email, ""), known.body.replace(&user.email, ""), "the answer does not tell whether the account exists");
        assert!(app.mails().is_empty(), "mail waits for the job queue");
        assert_eq!(app.run_jobs().await, 3, "two lookups, one mail for the real account");
        let mails = app.mails();
        assert_eq!(mails.len(), 1, "one mail, for the real account");
        let link = link_in(&mails[0], "http://reti.test/password/reset/");
        let path = link.trim_start_matches("http://reti.test");
        assert_eq!(app.get(path).await.status, StatusCode::OK);
        let short = app.post(path, &[("password", "corta"), ("password_confirm", "corta")]).await;
        assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(short.body.contains("almeno 12 caratteri"));
        let done = app.post(path, &[("password", "tramonto-sul-ticino-sicuro"), ("password_confirm", "tramonto-sul-ticino-sicuro")]).await;
        assert_eq!(done.location(), "/login");
        assert_eq!(app.get(path).await.status, StatusCode::GONE, "the link works once");
        let login = app.post("/login", &[("email", &user.email), ("password", "tramonto-sul-ticino-sicuro")]).await;
        assert_eq!(login.status, StatusCode::SEE_OTHER);
    }

    async fn a_changed_or_reset_password_is_told_to_the_account(app: TestApp) {
        let user = app.user().create().await;
        app.login(&user.email).await;
        let changed_to = "tramonto-sul-ticino-sicuro";
        let changed = app.post("/account/password", &[("current_password", PASSWORD), ("password", changed_to), ("password_confirm", changed_to)]).await;
        assert_eq!(changed.location(), "/account");
        assert!(app.mails().is_empty(), "queued with the change, sent by the workers");
        assert_eq!(app.run_jobs().await, 1);
        let mails = app.mails();
        assert_eq!(mails.len(), 1);
        let notice = &mails[0];
        assert!(notice.contains(&user.email), "{notice}");
        assert!(notice.contains("la password del tuo account Reti è stata cambiata il"), "in Italian without a preference: {notice}");
        assert!(notice.contains("http://reti.test/password/forgot"), "what to do if it was not them: {notice}");
        assert!(!notice.contains(changed_to) && !notice.contains("/password/reset/"), "no password, no secret link: {notice}");

        // Reset by link, for an account that reads English.
        app.db.set_locale(&Actor::cli(), &user.id, Locale::En).await.unwrap();
        app.logout_locally();
        app.post("/password/forgot", &[("email", &user.email)]).await;
        app.run_jobs().await;
        let link = link_in(&app.mails().pop().unwrap(), "http://reti.test/password/reset/");
        let path = link.trim_start_matches("http://reti.test");
        let reset_to = "fiume-lungo-vigevano-sicuro";
        let done = app.post(path, &[("password", reset_to), ("password_confirm", reset_to)]).await;
        assert_eq!(done.location(), "/login");
        assert_eq!(app.run_jobs().await, 1);
        let mails = app.mails();
        assert_eq!(mails.len(), 3, "the change's notice, the reset link, the reset's notice");
        let notice = mails.iter().find(|m| m.contains("the password of your Reti account was changed on")).expect("the reset's notice, in English");
        assert!(notice.contains(&user.email) && notice.contains("http://reti.test/password/forgot"), "{notice}");
        let token = path.trim_start_matches("/password/reset/");
        assert!(!notice.contains(reset_to) && !notice.contains(token), "no password, no secret link: {notice}");
    }

    async fn a_person_sees_their_sessions_and_ends_the_others(app: TestApp) {
        let user = app.user().create().await;
        app.login(&user.email).await;
        let first = app.swap_browser(None);
        app.login(&user.email).await;
        let second = app.swap_browser(None);
        app.login(&user.email).await;
        let page = app.get("/account").await;
        assert_eq!(page.body.matches("Questa sessione").count(), 1, "the current one is marked");
        let forms = end_session_forms(&page.body);
        assert_eq!(forms.len(), 2, "the two others can be ended: {forms:?}");
        assert!(page.body.contains("action=\"/account/sessions/end-others\""));
        let session_ids: Vec<String> = sqlx::query_scalar("SELECT id FROM sessions").fetch_all(app.db.pool()).await.unwrap();
        assert!(session_ids.iter().all(|id| !page.body.contains(id.as_str())), "the page never shows a session id, the cookie's secret");

        let one = app.post(&forms[0], &[]).await;
        assert_eq!(one.location(), "/account");
        let page = app.get("/account").await;
        assert!(page.body.contains("Una sessione chiusa."), "{}", page.body);
        assert_eq!(end_session_forms(&page.body).len(), 1);
        let others = app.post("/account/sessions/end-others", &[]).await;
        assert_eq!(others.location(), "/account");
        let page = app.get("/account").await;
        assert_eq!(page.status, StatusCode::OK, "this session stays");
        assert!(page.body.contains("Una sessione chiusa.") && end_session_forms(&page.body).is_empty());

        for browser in [first, second] {
            app.swap_browser(browser);
            assert_eq!(app.get("/account").await.location(), "/login?next=%2Faccount", "the other browsers are logged out");
        }
        let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action IN ('end_session', 'end_other_sessions') AND entity_id = $1")
            .bind(&user.id)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        assert_eq!(audited, 2);
    }

    async fn nobody_ends_another_persons_session(app: TestApp) {
        let anna = app.user().create().await;
        let bruno = app.user().create().await;
        app.login(&anna.email).await;
        let annas_browser = app.swap_browser(None);
        app.login(&bruno.email).await;
        // Bruno has come to know the handle of Anna's session.
        let handle = app.db.open_sessions(&anna.id, None).await.unwrap()[0].handle.clone();
        let refused = app.post(&format!("/account/sessions/{handle}/end"), &[]).await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND);
        assert_eq!(app.post("/account/sessions/end-others", &[]).await.status, StatusCode::SEE_OTHER);
        app.logout_locally();
        let forged = app.post(&format!("/account/sessions/{handle}/end"), &[]).await;
        assert_eq!(forged.status, StatusCode::UNAUTHORIZED, "not logged in");
        app.swap_browser(annas_browser);
        assert_eq!(app.get("/account").await.status, StatusCode::OK, "Anna is still logged in");
        assert_eq!(app.db.open_sessions(&anna.id, None).await.unwrap().len(), 1);
    }

    async fn invitation_creates_an_account_with_its_role(app: TestApp) {
        let coordinator = app.user().role(Role::Coordinator).create().await;
        app.login(&coordinator.email).await;
        let form = app.get("/invitations/new").await;
        assert_eq!(form.status, StatusCode::OK);
        let bad = app.post("/invitations", &[("email", "non-una-mail"), ("programme", &app.programme_id), ("role", "network_lead")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("Indirizzo e-mail"), "the error names the field");
        let foreign = app.post("/invitations", &[("email", "a@b.it"), ("programme", "altro"), ("role", "network_lead")]).await;
        assert_eq!(foreign.status, StatusCode::UNPROCESSABLE_ENTITY, "only programmes the coordinator coordinates");
        let sent = app.post("/invitations", &[("email", "nuova@scuola.it"), ("programme", &app.programme_id), ("role", "network_lead")]).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER);
        assert!(app.get(sent.location()).await.body.contains("Invito inviato a nuova@scuola.it"));

        app.logout_locally();
        app.run_jobs().await;
        let mail = app.mails().pop().unwrap();
        assert!(mail.contains("Referente di rete"), "{mail}");
        let path = link_in(&mail, "http://reti.test/invitations/").trim_start_matches("http://reti.test").to_owned();
        let page = app.get(&path).await;
        assert!(page.body.contains("nuova@scuola.it"));
        let missing = app.post(&path, &[("name", ""), ("password", "fiume-lungo-vigevano-9"), ("password_confirm", "diversa-password")]).await;
        assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(missing.body.contains("«Nome»") && missing.body.contains("non coincide"));
        let accepted = app.post(&path, &[("name", "Nuova Referente"), ("password", "fiume-lungo-vigevano-9"), ("password_confirm", "fiume-lungo-vigevano-9"), ("consent", "1")]).await;
        assert_eq!(accepted.location(), "/");
        let home = app.get("/").await;
        assert!(home.body.contains("Nuova Referente") && home.body.contains("Referente di rete"));
        assert_eq!(app.get(&path).await.status, StatusCode::GONE, "single use");
    }

    async fn coordination_pages_are_closed_to_members(app: TestApp) {
        let member = app.user().role(Role::NetworkMember).create().await;
        app.login(&member.email).await;
        for path in ["/invitations/new", "/audit", "/users"] {
            let response = app.get(path).await;
            assert_eq!(response.status, StatusCode::FORBIDDEN, "{path}");
            assert!(response.body.contains("Accesso non consentito"));
        }
        let post = app.post("/invitations", &[("email", "x@y.it"), ("programme", &app.programme_id), ("role", "coordinator")]).await;
        assert_eq!(post.status, StatusCode::FORBIDDEN);
        assert_eq!(app.run_jobs().await, 0);
        assert!(app.mails().is_empty());
    }
}
