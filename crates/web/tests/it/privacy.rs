//! Personal data (SPEC §9, decision 0050) on both engines: a person downloads their own data and
//! nobody else's; the coordination erases a person (confirmation, CSRF, audited) and afterwards
//! no text column of any table holds their name or address while every count and indicator is
//! what it was; consent is required and recorded; retention erases guests after their event.

use crate::app_tests;
use crate::harness::{PASSWORD, TestApp};
use axum::http::{StatusCode, header};
use reti_domain::indicators::Period;
use reti_domain::meetings::{Attendance, MeetingDraft, MeetingKind, MeetingMode};
use reti_domain::{Email, Password, PersonName, Role};
use reti_store::indicators::IndicatorScope;
use reti_store::jobs::{JobStatus, NewJob};
use reti_store::meetings::MeetingChanges;
use reti_store::privacy::{NOTICE_VERSION, RETENTION_KIND, Retention};
use reti_store::users::{NewUser, User};
use reti_store::{Actor, Engine, Timestamp};
use sqlx::Row;

const NAME: &str = "Giulia Bianchini";
const EMAIL: &str = "giulia.bianchini@esempio.it";

struct World {
    network: String,
    person: String,
    giulia: User,
    meeting: String,
}

/// A network in the test's programme led by an organisation Giulia works for; Giulia with an
/// account (the same address) and a registry record, registered for and present at a meeting
/// held ten days ago, with another person present too.
async fn world(app: &TestApp) -> World {
    let organisation = app.organisation("Cooperativa Arcobaleno", "00623530136").await;
    let network = app.network("Rete Ticino").lead(&organisation).create().await.id;
    let person = app.person(NAME).email(EMAIL).works_for(&organisation).create().await;
    let other = app.person("Bruno Verdi").works_for(&organisation).create().await;
    let new = NewUser {
        email: Email::parse(EMAIL).unwrap(),
        name: PersonName::parse(NAME).unwrap(),
        password: Some(Password::parse(PASSWORD, &[]).unwrap()),
        is_admin: false,
    };
    let giulia = app
        .db
        .create_user_with_roles(&Actor::cli(), new, &[(app.programme_id.clone(), Role::NetworkMember)])
        .await
        .unwrap();
    app.db.assign_to_network(&Actor::cli(), &giulia.id, &network, Role::NetworkMember).await.unwrap();
    let starts_at = chrono::Utc::now() - chrono::Duration::days(10);
    let draft = MeetingDraft {
        title: "Tavolo di rete".into(),
        kind: MeetingKind::Webinar,
        mode: MeetingMode::Webinar,
        place: String::new(),
        link: "https://webinar.example.org/1".into(),
        starts_at,
        ends_at: starts_at + chrono::Duration::hours(2),
        agenda: String::new(),
        registration_open: true,
        capacity: None,
        recurrence: None,
    };
    let changes = MeetingChanges { draft: &draft, invitees: &[], room_base: None };
    let meeting = app.db.create_meetings(&Actor::cli(), &network, &changes).await.unwrap().remove(0);
    app.db.register(&Actor::cli(), &meeting, &person).await.unwrap();
    let lines: Vec<Attendance> = [&person, &other]
        .iter()
        .map(|id| Attendance { person_id: (*id).clone(), present: true, minutes: 120, role: String::new() })
        .collect();
    app.db.record_attendance(&Actor::cli(), &meeting, &lines, None).await.unwrap();
    World { network, person, giulia, meeting }
}

/// Every indicator of the programme over the year of the meeting, as text (figures and breakdowns).
async fn indicators(app: &TestApp) -> String {
    let year = (chrono::Utc::now() - chrono::Duration::days(10)).format("%Y").to_string();
    let period = Period::parse("period", &year).unwrap();
    let figures = app.db.indicator_figures_all(&IndicatorScope::programme(&app.programme_id), period).await.unwrap();
    let text = format!("{figures:?}");
    assert!(text.contains("total: Some(2.0)"), "the world gives figures: {text}");
    text
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(app.db.pool()).await.unwrap()
}

/// Every (table, text column) holding `needle`, on either engine: the catalog's every table.
async fn places_holding(app: &TestApp, needle: &str) -> Vec<String> {
    let catalog = match app.db.engine() {
        Engine::Sqlite => {
            "SELECT m.name AS table_name, p.name AS column_name FROM sqlite_master m JOIN pragma_table_info(m.name) p
             WHERE m.type = 'table' AND UPPER(p.type) = 'TEXT' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
        }
        Engine::Postgres => {
            "SELECT table_name::text AS table_name, column_name::text AS column_name FROM information_schema.columns
             WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying')"
        }
    };
    let columns = sqlx::query(catalog).fetch_all(app.db.pool()).await.unwrap();
    assert!(columns.len() > 100, "the catalog lists every text column ({})", columns.len());
    let mut found = Vec::new();
    for row in &columns {
        let (table, column): (String, String) = (row.get("table_name"), row.get("column_name"));
        let sql = format!("SELECT COUNT(*) FROM {table} WHERE LOWER({column}) LIKE $1");
        let hits: i64 = sqlx::query_scalar(&sql)
            .bind(format!("%{}%", needle.to_lowercase()))
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        if hits > 0 {
            found.push(format!("{table}.{column}"));
        }
    }
    found
}

app_tests! {
    async fn a_person_downloads_their_own_data_and_nobody_elses(app: TestApp) {
        let world = world(&app).await;
        let other = app.user().role(Role::NetworkMember).create().await;
        app.login(EMAIL).await;
        let page = app.get("/account").await;
        assert!(page.body.contains("href=\"/account/export\"") && page.body.contains("Scarica i miei dati"), "{}", page.body);
        let export = app.get("/account/export").await;
        assert_eq!(export.status, StatusCode::OK);
        assert!(export.headers.get(header::CONTENT_TYPE).unwrap().to_str().unwrap().starts_with("application/json"));
        assert!(export.headers.get(header::CONTENT_DISPOSITION).unwrap().to_str().unwrap().contains("attachment"));
        let document = export.json();
        assert_eq!(document["email"], EMAIL);
        assert_eq!(document["accounts"][0]["id"], world.giulia.id.as_str());
        assert_eq!(document["accounts"][0]["name"], NAME);
        assert_eq!(document["people"][0]["id"], world.person.as_str());
        assert_eq!(document["affiliations"][0]["organisation"], "Cooperativa Arcobaleno");
        assert_eq!(document["programme_roles"][0]["role"], "network_member");
        assert_eq!(document["network_roles"][0]["network_id"], world.network.as_str());
        assert_eq!(document["meeting_registrations"][0]["meeting_id"], world.meeting.as_str());
        assert_eq!(document["meeting_attendance"][0]["title"], "Tavolo di rete");
        assert!(document["audit"].as_array().unwrap().iter().any(|e| e["entity_id"] == world.person.as_str()));
        assert!(document["accounts"][0].get("password_hash").is_none(), "never the password's hash");
        assert!(!export.body.contains(&other.email) && !export.body.contains("Bruno Verdi"), "nobody else's data");

        let token = app.token_for(&world.giulia).await;
        let api = app.api_get("/api/v1/me/export", Some(&token)).await;
        assert_eq!(api.status, StatusCode::OK);
        assert_eq!(api.json()["accounts"], document["accounts"], "the API gives the same document");

        app.logout_locally();
        app.login(&other.email).await;
        let theirs = app.get("/account/export").await;
        assert_eq!(theirs.status, StatusCode::OK);
        assert_eq!(theirs.json()["email"], other.email.as_str());
        assert!(!theirs.body.contains(EMAIL) && !theirs.body.contains(NAME), "only their own");
    }

    async fn erasure_leaves_no_trace_and_every_count_as_it_was(app: TestApp) {
        let world = world(&app).await;
        // Traces in many places: a session and a token, a change of her own in the audit log, a
        // pending invitation, a guest request, a queued mail.
        app.login(EMAIL).await;
        assert_eq!(app.post("/account/language", &[("locale", "it")]).await.status, StatusCode::SEE_OTHER);
        let (_, token) = app.db.create_token(&Actor::cli(), &world.giulia.id, "script").await.unwrap();
        let programme = app.programme("PROG-2", "Altro programma").await;
        let mail = |_: &reti_store::invitations::Invitation, _: &str| NewJob::new("mail", serde_json::json!({ "to": EMAIL }));
        app.db.create_invitation(&Actor::cli(), &Email::parse(EMAIL).unwrap(), &programme, Role::NetworkLead, mail).await.unwrap();
        let webinar = app.meeting(&world.network, "Webinar aperto").create().await;
        app.logout_locally();
        let guest = app.post(&format!("/meetings/{webinar}/guests"), &[("name", NAME), ("email", EMAIL), ("consent", "1")]).await;
        assert_eq!(guest.status, StatusCode::OK, "{}", guest.body);
        app.login(EMAIL).await;
        let sessions = format!("SELECT COUNT(*) FROM sessions WHERE user_id = '{}'", world.giulia.id);
        assert!(count(&app, &sessions).await > 0);
        assert!(!places_holding(&app, NAME).await.is_empty() && !places_holding(&app, EMAIL).await.is_empty());
        let figures = indicators(&app).await;
        let attendance = count(&app, "SELECT COUNT(*) FROM meeting_attendance").await;
        let registrations = count(&app, "SELECT COUNT(*) FROM meeting_registrations").await;

        // Only the coordination: the page asks first, the form needs its CSRF token.
        app.logout_locally();
        let member = app.user().role(Role::NetworkMember).create().await;
        app.login(&member.email).await;
        assert_eq!(app.post(&format!("/people/{}/erase", world.person), &[]).await.status, StatusCode::FORBIDDEN);
        app.logout_locally();
        let coordinator = app.user().role(Role::Coordinator).create().await;
        app.login(&coordinator.email).await;
        let person_page = app.get(&format!("/people/{}", world.person)).await;
        assert!(person_page.body.contains(&format!("href=\"/people/{}/erase\"", world.person)));
        let confirm = app.get(&format!("/people/{}/erase", world.person)).await;
        assert_eq!(confirm.status, StatusCode::OK);
        assert!(confirm.body.contains("Cancella definitivamente") && confirm.body.contains(NAME), "{}", confirm.body);
        let forged = app.post_raw(&format!("/people/{}/erase", world.person), &[("csrf_token", "forged")]).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM erasures").await, 0);
        let audit = count(&app, "SELECT COUNT(*) FROM audit_log").await;
        let erased = app.post(&format!("/people/{}/erase", world.person), &[]).await;
        assert_eq!(erased.status, StatusCode::SEE_OTHER, "{}", erased.body);
        let shown = app.get(erased.location()).await;
        assert!(shown.body.contains("Persona cancellata #1"), "{}", shown.body);
        assert_eq!(app.get(&format!("/people/{}/erase", world.person)).await.status, StatusCode::OK);
        assert_eq!(app.post(&format!("/people/{}/erase", world.person), &[]).await.status, StatusCode::NOT_FOUND, "once");

        // Nowhere any more, on every text column of every table.
        for needle in [NAME, EMAIL, "bianchini"] {
            assert_eq!(places_holding(&app, needle).await, Vec::<String>::new(), "{needle}");
        }
        // The rows stay: every count and indicator is what it was.
        assert_eq!(indicators(&app).await, figures);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM meeting_attendance").await, attendance);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM meeting_registrations").await, registrations);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log").await, audit + 1, "every entry kept, the erasure added");
        let entry = sqlx::query("SELECT actor_label, action, entity_id FROM audit_log WHERE action = 'erase'")
            .fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(entry.get::<String, _>("actor_label"), coordinator.email);
        assert_eq!(entry.get::<String, _>("entity_id"), world.person);
        let own: Vec<Option<String>> = sqlx::query_scalar("SELECT ip FROM audit_log WHERE actor_user_id = $1")
            .bind(&world.giulia.id).fetch_all(app.db.pool()).await.unwrap();
        assert!(!own.is_empty() && own.iter().all(Option::is_none), "her entries stay, without her address");
        // No way back in: the session is gone, the token too, the password does not open.
        assert_eq!(count(&app, "SELECT COUNT(*) FROM invitations WHERE accepted_at IS NULL").await, 0, "pending invitation removed");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM jobs WHERE status = 'queued' AND kind = 'mail'").await, 0, "her mail not sent");
        assert_eq!(app.api_get("/api/v1/networks", Some(&token)).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(count(&app, &sessions).await, 0, "her sessions are gone");
        app.logout_locally();
        let login = app.post("/login", &[("email", EMAIL), ("password", PASSWORD)]).await;
        assert_ne!(login.location(), "/");
        let user: (String, Option<String>) = sqlx::query_as("SELECT name, disabled_at FROM users WHERE id = $1")
            .bind(&world.giulia.id).fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(user.0, "Persona cancellata #1");
        assert!(user.1.is_some(), "login disabled");
    }

    async fn consent_is_required_and_recorded(app: TestApp) {
        let organisation = app.organisation("Cooperativa Arcobaleno", "00623530136").await;
        let network = app.network("Rete Ticino").lead(&organisation).create().await.id;
        let webinar = app.meeting(&network, "Webinar aperto").create().await;
        let path = format!("/meetings/{webinar}/guests");
        let form = app.get(&path).await;
        assert!(form.body.contains("name=\"consent\"") && form.body.contains("href=\"/privacy\""), "{}", form.body);
        let refused = app.post(&path, &[("name", "Dora Neri"), ("email", "dora@esempio.it")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("Per continuare devi accettare l&#39;informativa") || refused.body.contains("Per continuare devi accettare l&#x27;informativa"), "{}", refused.body);
        let english = app.post(&format!("{path}?lang=en"), &[("name", "Dora Neri"), ("email", "dora@esempio.it")]).await;
        assert!(english.body.contains("To continue you must accept the privacy notice"), "{}", english.body);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM meeting_guest_requests").await, 0, "nothing written");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM consents").await, 0);
        app.get("/?lang=it").await;
        let sent = app.post(&path, &[("name", "Dora Neri"), ("email", "dora@esempio.it"), ("consent", "1")]).await;
        assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
        let consent = sqlx::query("SELECT c.email, c.purpose, c.notice_version, c.locale, c.given_at FROM consents c JOIN meeting_guest_requests g ON g.id = c.reference_id")
            .fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(consent.get::<String, _>("email"), "dora@esempio.it");
        assert_eq!(consent.get::<String, _>("purpose"), "meeting_guest");
        assert_eq!(consent.get::<String, _>("notice_version"), NOTICE_VERSION);
        assert_eq!(consent.get::<String, _>("locale"), "it");

        // An invitation: the consent box too, for a new account.
        let coordinator = app.user().role(Role::Coordinator).create().await;
        app.login(&coordinator.email).await;
        app.post("/invitations", &[("email", "nuova@scuola.it"), ("programme", &app.programme_id), ("role", "network_lead")]).await;
        app.logout_locally();
        app.run_jobs().await;
        let mail = app.mails().into_iter().find(|m| m.contains("nuova@scuola.it")).unwrap();
        let link = crate::harness::link_in(&mail, "http://reti.test/invitations/");
        let path = link.trim_start_matches("http://reti.test");
        assert!(app.get(path).await.body.contains("name=\"consent\""));
        let fields = [("name", "Nuova Referente"), ("password", "fiume-lungo-vigevano-9"), ("password_confirm", "fiume-lungo-vigevano-9")];
        let refused = app.post(path, &fields).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM users WHERE email = 'nuova@scuola.it'").await, 0, "no account");
        let mut with_consent = fields.to_vec();
        with_consent.push(("consent", "1"));
        assert_eq!(app.post(path, &with_consent).await.location(), "/");
        let purposes: Vec<String> = sqlx::query_scalar("SELECT purpose FROM consents WHERE email = 'nuova@scuola.it'")
            .fetch_all(app.db.pool()).await.unwrap();
        assert_eq!(purposes, ["invitation"]);
    }

    async fn retention_erases_guests_a_year_after_their_event(app: TestApp) {
        let organisation = app.organisation("Cooperativa Arcobaleno", "00623530136").await;
        let network = app.network("Rete Ticino").lead(&organisation).create().await.id;
        let webinar = app.meeting(&network, "Webinar aperto").create().await;
        let colleague = app.person("Bruno Verdi").email("bruno@esempio.it").works_for(&organisation).create().await;
        app.db.register(&Actor::cli(), &webinar, &colleague).await.unwrap();
        let path = format!("/meetings/{webinar}/guests");
        for (name, email) in [("Dora Neri", "dora@esempio.it"), ("Ezio Gialli", "ezio@esempio.it")] {
            app.post(&path, &[("name", name), ("email", email), ("consent", "1")]).await;
        }
        app.run_jobs().await;
        // Dora confirms and becomes a guest; Ezio never does.
        let link = crate::harness::link_in(
            app.mails().iter().find(|m| m.contains("dora@esempio.it")).unwrap(),
            "http://reti.test/guests/",
        );
        assert_eq!(app.post(link.trim_start_matches("http://reti.test"), &[]).await.status, StatusCode::OK);
        let registrations = count(&app, "SELECT COUNT(*) FROM meeting_registrations").await;
        assert_eq!(registrations, 2);

        // A month after the webinar: within the period, nothing goes.
        let soon = Timestamp::now().after(time::Duration::days(30));
        let kept = app.db.apply_retention(soon, Retention::default()).await.unwrap();
        assert_eq!((kept.guest_requests_deleted, kept.guests_erased), (0, 0));
        assert_eq!(count(&app, "SELECT COUNT(*) FROM meeting_guest_requests").await, 2);
        // Past the period: the requests and their consents go, the guest is erased, her
        // registration stays (the count does not change); the colleague of the registry stays.
        let later = Timestamp::now().after(time::Duration::days(400));
        let done = app.db.apply_retention(later, Retention::default()).await.unwrap();
        assert_eq!((done.guest_requests_deleted, done.guests_erased), (2, 2), "Dora the guest, Ezio's address");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM meeting_guest_requests").await, 0);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM consents").await, 0);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM meeting_registrations").await, registrations);
        for needle in ["Dora Neri", "dora@esempio.it", "Ezio Gialli", "ezio@esempio.it"] {
            assert_eq!(places_holding(&app, needle).await, Vec::<String>::new(), "{needle}");
        }
        let names: Vec<String> = sqlx::query_scalar("SELECT name FROM people ORDER BY name").fetch_all(app.db.pool()).await.unwrap();
        assert_eq!(names, ["Bruno Verdi", "Persona cancellata #1"]);
        let reasons: Vec<String> = sqlx::query_scalar("SELECT reason FROM erasures").fetch_all(app.db.pool()).await.unwrap();
        assert_eq!(reasons, ["retention", "retention"]);
        // A shorter period, configured: applies sooner.
        let short = Retention { guests: time::Duration::days(10) };
        assert_eq!(app.db.apply_retention(Timestamp::now().after(time::Duration::days(30)), short).await.unwrap().guests_erased, 0, "nobody left");

        // The job: queued once a day however often the sweep runs, and run by the workers.
        let today = Timestamp::now();
        assert!(app.db.privacy_sweep_retention(today).await.unwrap());
        assert!(!app.db.privacy_sweep_retention(today).await.unwrap(), "once a day");
        let job: String = sqlx::query_scalar("SELECT id FROM jobs WHERE kind = $1").bind(RETENTION_KIND).fetch_one(app.db.pool()).await.unwrap();
        app.run_jobs().await;
        assert_eq!(app.db.job(&job).await.unwrap().unwrap().status, JobStatus::Done);
        assert!(app.db.privacy_sweep_retention(today.after(time::Duration::days(1))).await.unwrap(), "the next day");
    }
}
