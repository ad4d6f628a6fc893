//! Storage tests, each run on SQLite and on PostgreSQL (when `RETI_TEST_DATABASE_URL` is set).

use crate::audit::Filter;
use crate::users::{LoginOutcome, NewUser};
use crate::{Actor, Db, StoreError};
use reti_domain::{Email, Password, PersonName, Role};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::SessionStore;

fn new_user(email: &str, password: &str) -> NewUser {
    NewUser {
        email: Email::parse(email).unwrap(),
        name: PersonName::parse("Anna Rossi").unwrap(),
        password: Some(Password::parse(password, &[]).unwrap()),
        is_admin: false,
    }
}

fn logged_in(user_id: &str, at: crate::Timestamp) -> std::collections::HashMap<String, serde_json::Value> {
    [
        (crate::sessions::USER_ID_KEY.to_owned(), serde_json::json!(user_id)),
        (crate::sessions::LOGGED_IN_AT_KEY.to_owned(), serde_json::json!(at.to_db())),
    ]
    .into_iter()
    .collect()
}

/// The message of a reset or an invitation, which these tests do not read.
fn no_mail<T>(_: &T, _: &str) -> crate::jobs::NewJob {
    crate::jobs::NewJob::new("mail", serde_json::json!({}))
}

/// The notice of a new password, addressed to its account.
fn notice(user: &crate::users::User) -> crate::jobs::NewJob {
    crate::jobs::NewJob::new("mail", serde_json::json!({"to": user.email}))
}

/// How many notices were queued for `email`.
async fn notices_to(db: &Db, email: &str) -> usize {
    let jobs = db.jobs(None, crate::PageRequest::new(None, None)).await.unwrap().jobs;
    jobs.iter().filter(|job| job.payload["to"] == email).count()
}

async fn audit_count(db: &Db, entity: &str) -> i64 {
    let filter = Filter { entity: Some(entity.into()), ..Filter::default() };
    db.audit_entries(&filter, 10, 0).await.unwrap().total
}

crate::engine_tests! {
    async fn statistics_are_fresh_on_postgres_and_never_stale_on_sqlite(db: Db) {
        db.create_user(&Actor::cli(), new_user("anna@comune.it", "fiume-lungo-vigevano-1")).await.unwrap();
        db.refresh_statistics().await.unwrap();
        let (query, expected) = match db.engine() {
            // Stale samples would outlive the data they describe: none are ever written.
            crate::Engine::Sqlite => ("SELECT count(*) FROM sqlite_master WHERE name LIKE 'sqlite_stat%'", 0),
            // A table never analysed has reltuples -1.
            crate::Engine::Postgres => {
                ("SELECT count(*) FROM pg_class WHERE oid = 'users'::regclass AND reltuples >= 0", 1)
            }
        };
        let found: i64 = sqlx::query_scalar(query).fetch_one(db.pool()).await.unwrap();
        assert_eq!(found, expected);
    }

    async fn users_are_unique_by_email(db: Db) {
        db.create_user(&Actor::cli(), new_user("anna@comune.it", "fiume-lungo-vigevano-1")).await.unwrap();
        let again = db.create_user(&Actor::cli(), new_user(" ANNA@comune.it", "fiume-lungo-vigevano-2")).await;
        assert!(matches!(again, Err(StoreError::Conflict { field: "email" })), "{again:?}");
        // The refused insert left no audit entry behind: change and audit commit together.
        assert_eq!(audit_count(&db, "user").await, 1);
        assert_eq!(db.user_count().await.unwrap(), 1);
    }

    async fn login_checks_password_and_hides_which_part_failed(db: Db) {
        db.create_user(&Actor::cli(), new_user("anna@comune.it", "fiume-lungo-vigevano-1")).await.unwrap();
        assert!(matches!(db.check_login("Anna@Comune.it", "fiume-lungo-vigevano-1").await.unwrap(), LoginOutcome::Success(_)));
        assert!(matches!(db.check_login("anna@comune.it", "sbagliata-123").await.unwrap(), LoginOutcome::Failure));
        assert!(matches!(db.check_login("nessuno@comune.it", "fiume-lungo-vigevano-1").await.unwrap(), LoginOutcome::Failure));
        assert!(matches!(db.check_login("not an email", "x").await.unwrap(), LoginOutcome::Failure));
    }

    async fn roles_are_per_programme_and_idempotent(db: Db) {
        let actor = Actor::cli();
        let lab = db.create_programme(&actor, "PROG-2463", "LAB'IMPACT").await.unwrap();
        let amif = db.create_programme(&actor, "AMIF-2027", "AMIF 2021-2027").await.unwrap();
        assert!(matches!(db.create_programme(&actor, "PROG-2463", "again").await, Err(StoreError::Conflict { field: "code" })));
        let user = db.create_user(&actor, new_user("anna@comune.it", "fiume-lungo-vigevano-1")).await.unwrap();
        db.assign_role(&actor, &user.id, &lab.id, Role::NetworkLead).await.unwrap();
        db.assign_role(&actor, &user.id, &lab.id, Role::NetworkLead).await.unwrap();
        db.assign_role(&actor, &user.id, &amif.id, Role::NetworkMember).await.unwrap();
        let roles: Vec<_> = db.assignments(&user.id).await.unwrap().into_iter().map(|a| (a.programme_code, a.role.0)).collect();
        assert_eq!(roles, vec![("AMIF-2027".to_owned(), Role::NetworkMember), ("PROG-2463".to_owned(), Role::NetworkLead)]);
        assert_eq!(db.users_in_programmes(std::slice::from_ref(&amif.id)).await.unwrap().len(), 1);
        assert!(db.users_in_programmes(&[]).await.unwrap().is_empty());
    }

    async fn password_reset_links_work_once(db: Db) {
        let actor = Actor::cli();
        let user = db.create_user(&actor, new_user("anna@comune.it", "fiume-lungo-vigevano-1")).await.unwrap();
        assert!(db.start_password_reset(&actor, &Email::parse("x@y.it").unwrap(), no_mail).await.unwrap().is_none());
        let (_, token) = db.start_password_reset(&actor, &Email::parse("anna@comune.it").unwrap(), no_mail).await.unwrap().unwrap();
        assert_eq!(db.password_reset_user(&token).await.unwrap().unwrap().id, user.id);
        let password = Password::parse("tramonto-sul-ticino-2", &[]).unwrap();
        db.complete_password_reset(&actor, &token, &password, notice).await.unwrap();
        assert!(matches!(db.check_login("anna@comune.it", "tramonto-sul-ticino-2").await.unwrap(), LoginOutcome::Success(_)));
        assert_eq!(notices_to(&db, "anna@comune.it").await, 1, "the account is told, in the same transaction");
        assert!(db.password_reset_user(&token).await.unwrap().is_none());
        assert!(matches!(db.complete_password_reset(&actor, &token, &password, notice).await, Err(StoreError::NotFound)));
        assert_eq!(notices_to(&db, "anna@comune.it").await, 1, "a spent link tells nobody");
        assert!(db.password_reset_user("made-up").await.unwrap().is_none());
    }

    async fn invitations_create_the_account_once(db: Db) {
        let actor = Actor::cli();
        let programme = db.create_programme(&actor, "PROG-2463", "LAB'IMPACT").await.unwrap();
        let email = Email::parse("nuovo@scuola.it").unwrap();
        let (invitation, token) = db.create_invitation(&actor, &email, &programme.id, Role::NetworkMember, no_mail).await.unwrap();
        assert_eq!(db.open_invitation(&token).await.unwrap().unwrap().id, invitation.id);
        // Without name and password there is no account to create.
        assert!(matches!(db.accept_invitation(&token, None, &crate::privacy::Consent::current("it"), None).await, Err(StoreError::Invalid(_))));
        let name = PersonName::parse("Luca Verdi").unwrap();
        let password = Password::parse("fiume-lungo-vigevano-3", &[]).unwrap();
        let user = db.accept_invitation(&token, Some((&name, &password)), &crate::privacy::Consent::current("it"), None).await.unwrap();
        assert_eq!(user.email, "nuovo@scuola.it");
        assert_eq!(db.assignments(&user.id).await.unwrap()[0].role.0, Role::NetworkMember);
        assert!(db.open_invitation(&token).await.unwrap().is_none());
        assert!(matches!(db.accept_invitation(&token, Some((&name, &password)), &crate::privacy::Consent::current("it"), None).await, Err(StoreError::NotFound)));
        // A second invitation to an existing account only adds the role.
        let (_, token) = db.create_invitation(&actor, &email, &programme.id, Role::NetworkLead, no_mail).await.unwrap();
        let same = db.accept_invitation(&token, None, &crate::privacy::Consent::current("it"), None).await.unwrap();
        assert_eq!(same.id, user.id);
        assert_eq!(db.assignments(&user.id).await.unwrap().len(), 2);
    }

    async fn tokens_expire_and_end_with_a_password_reset(db: Db) {
        let actor = Actor::cli();
        let user = db.create_user(&actor, new_user("anna@comune.it", "fiume-lungo-vigevano-1")).await.unwrap();
        let month = reti_domain::TokenLifetime::parse("30", "days").unwrap();
        let (token, secret) = db.create_token_for(&actor, &user.id, "script", month).await.unwrap();
        assert_eq!((token.expires_at.0 - token.created_at.0).whole_days(), 30);
        assert_eq!(db.tokens_of(&user.id).await.unwrap()[0].expires_at.to_db(), token.expires_at.to_db());
        assert!(db.user_by_token(&secret).await.unwrap().is_some());
        let yesterday = crate::Timestamp::now().before(time::Duration::days(1)).to_db();
        sqlx::query("UPDATE api_tokens SET expires_at = $1").bind(yesterday).execute(db.pool()).await.unwrap();
        assert!(db.user_by_token(&secret).await.unwrap().is_none(), "an expired token is refused");

        let (default, secret) = db.create_token(&actor, &user.id, "other").await.unwrap();
        assert_eq!((default.expires_at.0 - default.created_at.0).whole_days(), 90);
        let email = Email::parse("anna@comune.it").unwrap();
        let (_, reset) = db.start_password_reset(&actor, &email, no_mail).await.unwrap().unwrap();
        let password = Password::parse("tramonto-sul-ticino-3", &[]).unwrap();
        db.complete_password_reset(&actor, &reset, &password, notice).await.unwrap();
        assert!(db.user_by_token(&secret).await.unwrap().is_none(), "a password reset revokes the tokens");
        assert!(db.tokens_of(&user.id).await.unwrap().iter().all(|t| t.revoked_at.is_some()));

        let (_, kept) = db.create_token(&actor, &user.id, "kept").await.unwrap();
        let password = Password::parse("tramonto-sul-ticino-4", &[]).unwrap();
        db.set_password(&actor, &user.id, &password, notice).await.unwrap();
        assert!(db.user_by_token(&kept).await.unwrap().is_some(), "the owner's own change keeps the tokens");
        db.reset_password(&actor, &user.id, &password, notice).await.unwrap();
        assert!(db.user_by_token(&kept).await.unwrap().is_none(), "an operator's reset revokes them");
        assert_eq!(notices_to(&db, "anna@comune.it").await, 3, "every change and reset is told to the account");
    }

    async fn api_tokens_are_hashed_and_revocable(db: Db) {
        let actor = Actor::cli();
        let user = db.create_user(&actor, new_user("anna@comune.it", "fiume-lungo-vigevano-1")).await.unwrap();
        let (token, secret) = db.create_token(&actor, &user.id, "script").await.unwrap();
        assert!(secret.starts_with("reti_"));
        let stored: String = sqlx::query_scalar("SELECT token_hash FROM api_tokens").fetch_one(db.pool()).await.unwrap();
        assert!(!stored.contains(&secret[5..]), "the secret itself is not stored");
        assert_eq!(db.user_by_token(&secret).await.unwrap().unwrap().id, user.id);
        assert!(db.user_by_token("reti_wrong").await.unwrap().is_none());
        let other = db.create_user(&actor, new_user("other@comune.it", "fiume-lungo-vigevano-1")).await.unwrap();
        assert!(matches!(db.revoke_token(&actor, &other.id, &token.id).await, Err(StoreError::NotFound)), "only the owner revokes");
        db.revoke_token(&actor, &user.id, &token.id).await.unwrap();
        assert!(db.user_by_token(&secret).await.unwrap().is_none());
        assert_eq!(audit_count(&db, "api_token").await, 2);
    }

    async fn sessions_round_trip_and_end_with_password_change(db: Db) {
        let actor = Actor::cli();
        let user = db.create_user(&actor, new_user("anna@comune.it", "fiume-lungo-vigevano-1")).await.unwrap();
        let store = crate::sessions::DbSessionStore::new(db.clone());
        let mut record = Record {
            id: Id::default(),
            data: logged_in(&user.id, crate::Timestamp::now()),
            expiry_date: time::OffsetDateTime::now_utc() + time::Duration::hours(1),
        };
        store.create(&mut record).await.unwrap();
        assert_eq!(store.load(&record.id).await.unwrap().unwrap().data, record.data);
        db.set_password(&actor, &user.id, &Password::parse("tramonto-sul-ticino-2", &[]).unwrap(), notice).await.unwrap();
        assert!(store.load(&record.id).await.unwrap().is_none(), "a new password ends the sessions");
        let mut expired = Record { id: Id::default(), data: Default::default(), expiry_date: time::OffsetDateTime::now_utc() - time::Duration::seconds(1) };
        store.create(&mut expired).await.unwrap();
        assert!(store.load(&expired.id).await.unwrap().is_none());
        assert_eq!(db.delete_expired_sessions().await.unwrap(), 1);
    }

    async fn sessions_end_seven_days_after_login_however_active(db: Db) {
        let user = db.create_user(&Actor::cli(), new_user("anna@comune.it", "fiume-lungo-vigevano-1")).await.unwrap();
        let store = crate::sessions::DbSessionStore::new(db.clone());
        let active = time::OffsetDateTime::now_utc() + time::Duration::hours(1);
        let eight_days_ago = crate::Timestamp::now().before(time::Duration::days(8));
        let mut old = Record { id: Id::default(), data: logged_in(&user.id, eight_days_ago), expiry_date: active };
        store.create(&mut old).await.unwrap();
        assert!(store.load(&old.id).await.unwrap().is_none(), "past the absolute lifetime");
        let six_days_ago = crate::Timestamp::now().before(time::Duration::days(6));
        let mut recent = Record { id: Id::default(), data: logged_in(&user.id, six_days_ago), expiry_date: active };
        store.create(&mut recent).await.unwrap();
        assert!(store.load(&recent.id).await.unwrap().is_some());
        let untimed = [("user_id".to_owned(), serde_json::json!(user.id))].into_iter().collect();
        let mut untimed = Record { id: Id::default(), data: untimed, expiry_date: active };
        store.create(&mut untimed).await.unwrap();
        assert!(store.load(&untimed.id).await.unwrap().is_none(), "a login without a time is refused");
        let mut anonymous = Record { id: Id::default(), data: Default::default(), expiry_date: active };
        store.create(&mut anonymous).await.unwrap();
        assert!(store.load(&anonymous.id).await.unwrap().is_some(), "no login, no absolute limit");
    }

    async fn login_throttle_counts_failures(db: Db) {
        use crate::throttle::AttemptKind;
        let (per_email, _) = AttemptKind::Login.limits();
        for _ in 0..per_email {
            assert!(db.reserve_attempt(AttemptKind::Login, "Anna@comune.it", "10.0.0.1").await.unwrap().is_some());
        }
        assert!(db.reserve_attempt(AttemptKind::Login, "anna@comune.it", "10.0.0.2").await.unwrap().is_none(), "blocked by e-mail");
        assert!(db.reserve_attempt(AttemptKind::PasswordForgot, "anna@comune.it", "10.0.0.2").await.unwrap().is_some(), "another kind, another budget");
        let luca = db.reserve_attempt(AttemptKind::Login, "luca@comune.it", "10.0.0.1").await.unwrap();
        let luca = luca.expect("the address is under its own limit");
        db.attempt_succeeded(luca).await.unwrap();
        assert!(db.reserve_attempt(AttemptKind::Login, "anna@comune.it", "10.0.0.1").await.unwrap().is_none(), "a refused attempt is not a free one");
    }

    async fn parallel_attempts_never_pass_the_limit(db: Db) {
        use crate::throttle::AttemptKind;
        let tries: Vec<_> = (0..20)
            .map(|_| {
                let db = db.clone();
                tokio::spawn(async move { db.reserve_attempt(AttemptKind::Login, "anna@comune.it", "10.0.0.9").await.unwrap().is_some() })
            })
            .collect();
        let mut passed = 0;
        for attempt in tries {
            passed += i64::from(attempt.await.unwrap());
        }
        assert!(passed <= AttemptKind::Login.limits().0, "{passed} attempts passed the limit");
    }

    async fn audit_log_filters(db: Db) {
        let actor = Actor::cli();
        let lab = db.create_programme(&actor, "PROG-2463", "LAB'IMPACT").await.unwrap();
        let other = db.create_programme(&actor, "AMIF-2027", "AMIF").await.unwrap();
        let user = db.create_user(&actor, new_user("anna@comune.it", "fiume-lungo-vigevano-1")).await.unwrap();
        db.assign_role(&actor, &user.id, &lab.id, Role::Coordinator).await.unwrap();
        db.assign_role(&actor, &user.id, &other.id, Role::NetworkMember).await.unwrap();
        let only_lab = Filter { programmes: Some(vec![lab.id.clone()]), ..Filter::default() };
        let page = db.audit_entries(&only_lab, 50, 0).await.unwrap();
        assert_eq!(page.total, 2, "the programme's creation and its role assignment");
        assert!(page.entries.iter().all(|e| e.programme_id.as_deref() == Some(lab.id.as_str())));
        let by_action = Filter { action: Some("assign_role".into()), ..Filter::default() };
        assert_eq!(db.audit_entries(&by_action, 50, 0).await.unwrap().total, 2);
        let by_actor = Filter { actor: Some("CLI".into()), ..Filter::default() };
        assert_eq!(db.audit_entries(&by_actor, 2, 0).await.unwrap().entries.len(), 2);
        let none = Filter { programmes: Some(Vec::new()), ..Filter::default() };
        assert_eq!(db.audit_entries(&none, 50, 0).await.unwrap().total, 0);
        let (entities, actions) = db.audit_vocabulary().await.unwrap();
        assert!(entities.contains(&"user".to_owned()) && actions.contains(&"create".to_owned()));
        // The view reads the same page and vocabulary in one statement.
        let view = db.audit_view(&only_lab, 50, 0).await.unwrap();
        let ids = |entries: &[crate::audit::Entry]| entries.iter().map(|e| e.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&view.page.entries), ids(&page.entries));
        assert_eq!((view.page.total, &view.entities, &view.actions), (page.total, &entities, &actions));
        let nothing = db.audit_view(&none, 50, 0).await.unwrap();
        assert_eq!((nothing.page.total, nothing.entities, nothing.actions), (0, entities, actions));
    }
}
