//! The second factor (decision 0060, finding F-1): turning TOTP on and off from the profile, the
//! second step of logging in, its throttle, replays, recovery codes, and that a login waiting for
//! its second step reaches nothing. Codes are computed with the crate the application uses.

use crate::app_tests;
use crate::harness::{PASSWORD, TestApp};
use axum::http::StatusCode;
use reti_domain::Role;
use reti_store::Actor;
use reti_store::throttle::AttemptKind;
use reti_store::users::User;
use totp_rs::{Algorithm, Secret, TOTP};

fn totp(secret: &str) -> TOTP {
    let bytes = Secret::Encoded(secret.to_owned()).to_bytes().unwrap();
    TOTP::new(Algorithm::SHA1, 6, 1, 30, bytes).unwrap()
}

/// The code an authenticator app shows for `secret`, `steps` time steps from now.
fn code(secret: &str, steps: i64) -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    totp(secret).generate(now.saturating_add_signed(steps * 30))
}

/// The code of time step `step` (Unix time / 30 s).
fn code_of_step(secret: &str, step: i64) -> String {
    totp(secret).generate(u64::try_from(step).unwrap() * 30)
}

/// The last time step whose code the account gave.
async fn last_step(app: &TestApp, user: &User) -> i64 {
    sqlx::query_scalar("SELECT last_step FROM user_totp WHERE user_id = $1")
        .bind(&user.id)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

/// A code the account has not given yet and that is current: the step after the last one given
/// (which is at most the current step, so the next one is within the skew allowed), whenever the
/// test runs within a step boundary.
async fn next_code(app: &TestApp, user: &User, secret: &str) -> String {
    code_of_step(secret, last_step(app, user).await + 1)
}

/// Six digits that are no code of `secret` anywhere near now.
fn wrong_code(secret: &str) -> String {
    let near: Vec<String> = (-3..=3).map(|steps| code(secret, steps)).collect();
    (0..1_000_000u32).map(|n| format!("{n:06}")).find(|candidate| !near.contains(candidate)).unwrap()
}

async fn totp_secret(app: &TestApp, user: &User) -> String {
    sqlx::query_scalar("SELECT secret FROM user_totp WHERE user_id = $1")
        .bind(&user.id)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

/// An account with its second factor on (turned on with the code of the current step); returns
/// the secret and the recovery codes.
async fn with_totp(app: &TestApp, user: &User) -> (String, Vec<String>) {
    let secret = app.db.start_totp(&user.id).await.unwrap();
    let codes = app.db.enable_totp(&Actor::cli(), &user.id, &code(&secret, 0)).await.unwrap().unwrap();
    (secret, codes)
}

async fn second_factor_actions(app: &TestApp, user: &User) -> Vec<String> {
    sqlx::query_scalar("SELECT action FROM audit_log WHERE entity = 'second_factor' AND entity_id = $1 ORDER BY at, id")
        .bind(&user.id)
        .fetch_all(app.db.pool())
        .await
        .unwrap()
}

/// The password step: the answer leads to the second step.
async fn password_step(app: &TestApp, user: &User) {
    app.logout_locally();
    let response = app.post("/login", &[("email", &user.email), ("password", PASSWORD)]).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    assert_eq!(response.location(), "/login/code");
}

app_tests! {
    async fn turning_totp_on_needs_a_current_code(app: TestApp) {
        let user = app.user().role(Role::NetworkMember).create().await;
        app.login(&user.email).await;
        let account = app.get("/account").await;
        assert!(account.body.contains("action=\"/account/mfa/setup\""), "the profile offers it");
        let setup = app.post("/account/mfa/setup", &[]).await;
        assert_eq!(setup.status, StatusCode::SEE_OTHER);
        assert_eq!(setup.location(), "/account#second-factor");
        let secret = totp_secret(&app, &user).await;
        let pending = app.get("/account").await;
        assert!(pending.body.contains("otpauth://totp/Reti:utente%2D"), "{}", pending.body);
        assert!(pending.body.contains(&format!("secret={secret}")));
        assert!(pending.body.contains("<svg xmlns"), "a QR code of the same URI");
        assert!(!app.db.has_totp(&user.id).await.unwrap(), "not on before a code confirms it");

        let wrong = app.post("/account/mfa/enable", &[("enable_code", &wrong_code(&secret))]).await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(wrong.body.contains("Codice non valido o già usato"), "{}", wrong.body);
        assert!(!app.db.has_totp(&user.id).await.unwrap());

        let right = app.post("/account/mfa/enable", &[("enable_code", &code(&secret, 0))]).await;
        assert_eq!(right.status, StatusCode::OK, "{}", right.body);
        assert!(app.db.has_totp(&user.id).await.unwrap());
        assert_eq!(right.body.matches("<li><code>").count(), 10, "ten recovery codes, shown once");
        let stored: Vec<String> = sqlx::query_scalar("SELECT code_hash FROM mfa_recovery_codes WHERE user_id = $1")
            .bind(&user.id).fetch_all(app.db.pool()).await.unwrap();
        assert_eq!(stored.len(), 10);
        assert!(stored.iter().all(|hash| hash.len() == 64 && !right.body.contains(hash.as_str())), "kept as hashes");
        let again = app.get("/account").await;
        assert_eq!(again.body.matches("<li><code>").count(), 0, "never shown again");
        assert!(!again.body.contains(&secret), "the key is not shown once on");
        assert_eq!(second_factor_actions(&app, &user).await, ["enable"]);
    }

    async fn login_takes_the_second_step(app: TestApp) {
        let user = app.user().role(Role::NetworkMember).create().await;
        let (secret, _) = with_totp(&app, &user).await;
        password_step(&app, &user).await;
        let form = app.get("/login/code").await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("autocomplete=\"one-time-code\""));
        assert!(!form.body.contains("action=\"/logout\""), "nobody is logged in yet");
        let response = app.post("/login/code", &[("code", &next_code(&app, &user, &secret).await)]).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
        assert_eq!(response.location(), "/");
        assert_eq!(app.get("/account").await.status, StatusCode::OK);
        let login: Option<String> = sqlx::query_scalar(
            "SELECT after_json FROM audit_log WHERE action = 'login' AND actor_user_id = $1",
        )
        .bind(&user.id).fetch_one(app.db.pool()).await.unwrap();
        assert!(login.unwrap_or_default().contains("totp"), "the login records its second factor");
    }

    async fn login_follows_next_after_the_second_step(app: TestApp) {
        let user = app.user().role(Role::Coordinator).create().await;
        let (secret, _) = with_totp(&app, &user).await;
        let response = app.post("/login", &[("email", &user.email), ("password", PASSWORD), ("next", "/audit")]).await;
        assert_eq!(response.location(), "/login/code");
        let response = app.post("/login/code", &[("code", &next_code(&app, &user, &secret).await)]).await;
        assert_eq!(response.location(), "/audit");
        assert_eq!(app.get("/audit").await.status, StatusCode::OK);
    }

    async fn wrong_codes_are_refused_and_throttled(app: TestApp) {
        let user = app.user().create().await;
        let (secret, _) = with_totp(&app, &user).await;
        password_step(&app, &user).await;
        for _ in 0..AttemptKind::SecondFactor.limits().0 {
            let response = app.post("/login/code", &[("code", &wrong_code(&secret))]).await;
            assert_eq!(response.status, StatusCode::UNAUTHORIZED);
            assert!(response.body.contains("Codice non valido o già usato"));
        }
        let counted: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM login_attempts WHERE kind = 'second_factor' AND email = $1")
            .bind(&user.email).fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(counted, AttemptKind::SecondFactor.limits().0);
        // Even the right code waits now.
        let blocked = app.post("/login/code", &[("code", &next_code(&app, &user, &secret).await)]).await;
        assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(blocked.body.contains("Troppi codici non validi"));
        assert_eq!(app.get("/account").await.status, StatusCode::SEE_OTHER, "still not logged in");
    }

    async fn a_code_cannot_be_replayed(app: TestApp) {
        let user = app.user().create().await;
        let (secret, _) = with_totp(&app, &user).await;
        password_step(&app, &user).await;
        let enabling = code_of_step(&secret, last_step(&app, &user).await);
        let spent = app.post("/login/code", &[("code", &enabling)]).await;
        assert_eq!(spent.status, StatusCode::UNAUTHORIZED, "the code that turned it on is spent");
        let next = next_code(&app, &user, &secret).await;
        assert_eq!(app.post("/login/code", &[("code", &next)]).await.status, StatusCode::SEE_OTHER);
        password_step(&app, &user).await;
        let replayed = app.post("/login/code", &[("code", &next)]).await;
        assert_eq!(replayed.status, StatusCode::UNAUTHORIZED, "a code works once");
        assert_eq!(app.get("/account").await.status, StatusCode::SEE_OTHER);
    }

    async fn a_recovery_code_works_once(app: TestApp) {
        let user = app.user().create().await;
        let (_, codes) = with_totp(&app, &user).await;
        assert_eq!(codes.len(), 10);
        password_step(&app, &user).await;
        // Typed in capitals and without dashes, as people do.
        let typed = codes[3].to_uppercase().replace('-', " ");
        let response = app.post("/login/code", &[("code", &typed)]).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
        let account = app.get("/account").await;
        assert_eq!(account.status, StatusCode::OK);
        assert!(account.body.contains("Ti restano 9 codici di recupero"), "{}", account.body);
        password_step(&app, &user).await;
        assert_eq!(app.post("/login/code", &[("code", &codes[3])]).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(second_factor_actions(&app, &user).await, ["enable", "use_recovery_code"]);
    }

    async fn a_pending_second_step_reaches_nothing(app: TestApp) {
        let user = app.user().admin().create().await;
        let (secret, _) = with_totp(&app, &user).await;
        let token = app.token_for(&user).await;
        password_step(&app, &user).await;
        for path in ["/account", "/audit", "/admin/jobs", "/users", "/networks"] {
            let response = app.get(path).await;
            assert_eq!(response.status, StatusCode::SEE_OTHER, "{path}");
            assert!(response.location().starts_with("/login?next="), "{path}: {}", response.location());
        }
        let home = app.get("/").await;
        assert!(!home.body.contains("action=\"/logout\""), "the home page is the anonymous one");
        let disable = app.post("/account/mfa/disable", &[("disable_password", PASSWORD)]).await;
        assert_eq!(disable.status, StatusCode::UNAUTHORIZED);
        assert!(app.db.has_totp(&user.id).await.unwrap());
        // The session cookie never opens the API, pending or not; the account's token still does
        // (decision 0060: tokens are a separate credential).
        assert_eq!(app.get("/api/v1/networks").await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(app.api_get("/api/v1/networks", Some(&token)).await.status, StatusCode::OK);
        let sessions: Vec<Option<String>> = sqlx::query_scalar("SELECT user_id FROM sessions")
            .fetch_all(app.db.pool()).await.unwrap();
        assert!(sessions.iter().all(Option::is_none), "no session belongs to the account yet");
        // Once the code is given, the same pages open.
        let given = next_code(&app, &user, &secret).await;
        assert_eq!(app.post("/login/code", &[("code", &given)]).await.status, StatusCode::SEE_OTHER);
        assert_eq!(app.get("/admin/jobs").await.status, StatusCode::OK);
    }

    async fn the_second_step_needs_a_password_first(app: TestApp) {
        let user = app.user().create().await;
        let (secret, _) = with_totp(&app, &user).await;
        let form = app.get("/login/code").await;
        assert_eq!(form.status, StatusCode::SEE_OTHER);
        assert_eq!(form.location(), "/login");
        let response = app.post("/login/code", &[("code", &code(&secret, 0))]).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER);
        assert_eq!(response.location(), "/login");
        assert_eq!(app.get("/account").await.status, StatusCode::SEE_OTHER);
    }

    async fn turning_totp_off_needs_a_code_or_the_password(app: TestApp) {
        let user = app.user().create().await;
        let (secret, _) = with_totp(&app, &user).await;
        password_step(&app, &user).await;
        app.post("/login/code", &[("code", &next_code(&app, &user, &secret).await)]).await;
        let nothing = app.post("/account/mfa/disable", &[]).await;
        assert_eq!(nothing.status, StatusCode::UNPROCESSABLE_ENTITY);
        let wrong = app.post("/account/mfa/disable", &[("disable_password", "sbagliata-1234")]).await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        let wrong = app.post("/account/mfa/disable", &[("disable_code", &wrong_code(&secret))]).await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(app.db.has_totp(&user.id).await.unwrap());
        let right = app.post("/account/mfa/disable", &[("disable_password", PASSWORD)]).await;
        assert_eq!(right.status, StatusCode::SEE_OTHER, "{}", right.body);
        assert!(!app.db.has_totp(&user.id).await.unwrap());
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM mfa_recovery_codes WHERE user_id = $1")
            .bind(&user.id).fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(left, 0, "the recovery codes go too");
        assert_eq!(second_factor_actions(&app, &user).await, ["enable", "disable"]);
        app.logout_locally();
        assert_eq!(app.login(&user.email).await.location(), "/", "the password alone opens again");
    }

    async fn new_recovery_codes_replace_the_old_ones(app: TestApp) {
        let user = app.user().create().await;
        let (secret, old) = with_totp(&app, &user).await;
        password_step(&app, &user).await;
        app.post("/login/code", &[("code", &next_code(&app, &user, &secret).await)]).await;
        let refused = app.post("/account/mfa/recovery-codes", &[("renew_code", &old[0])]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "a current code of the app is needed");
        // The current step's code is spent by the login: move the account's last step back, as
        // the clock would move forward in 30 seconds.
        sqlx::query("UPDATE user_totp SET last_step = last_step - 3").execute(app.db.pool()).await.unwrap();
        let renewed = app.post("/account/mfa/recovery-codes", &[("renew_code", &code(&secret, 0))]).await;
        assert_eq!(renewed.status, StatusCode::OK, "{}", renewed.body);
        assert_eq!(renewed.body.matches("<li><code>").count(), 10);
        password_step(&app, &user).await;
        assert_eq!(app.post("/login/code", &[("code", &old[0])]).await.status, StatusCode::UNAUTHORIZED, "old codes stop working");
        assert_eq!(second_factor_actions(&app, &user).await, ["enable", "renew_recovery_codes"]);
    }

    async fn the_coordination_is_asked_to_turn_it_on(app: TestApp) {
        let coordinator = app.user().role(Role::Coordinator).create().await;
        app.login(&coordinator.email).await;
        let banner = "Per il tuo ruolo è richiesta la verifica in due passaggi";
        for path in ["/", "/networks", "/account"] {
            let page = app.get(path).await;
            assert!(page.body.contains(banner), "a banner on {path}");
            assert!(page.body.contains("href=\"/account#second-factor\""), "leading to the profile");
        }
        assert!(app.get("/account").await.body.contains("Per il tuo ruolo questa protezione è richiesta"));
        let member = app.user().role(Role::NetworkMember).create().await;
        app.logout_locally();
        app.login(&member.email).await;
        assert!(!app.get("/networks").await.body.contains(banner));
        // Once on, the banner goes.
        let (secret, _) = with_totp(&app, &coordinator).await;
        password_step(&app, &coordinator).await;
        app.post("/login/code", &[("code", &next_code(&app, &coordinator, &secret).await)]).await;
        assert!(!app.get("/networks").await.body.contains(banner));
    }
}
