//! Meeting mail (issue 7, decision 0022) on both engines: the invitation carries an `.ics` a real
//! parser reads, a cancellation carries METHOD:CANCEL, reminders go out once however often the
//! sweep runs, follow-ups falling due reach their owner, and the profile's choices switch mail off.

use crate::app_tests;
use crate::harness::TestApp;
use axum::http::StatusCode;
use chrono::{TimeZone, Utc};
use icalendar::Component;
use reti_domain::{Email, Locale, MembershipRole, NetworkStatus, PersonName, Role};
use reti_store::Actor;
use reti_store::registry::networks::{MembershipInput, NetworkInput};
use reti_store::registry::people::PersonInput;
use reti_store::users::User;

/// A network whose member organisation has Bruno (no account) and Anna (an account in English);
/// a facilitator of the network, logged in. Returns the network id, Anna's account and Anna's id.
async fn world(app: &TestApp) -> (String, User, String) {
    let organisation = app.organisation("Cooperativa Alfa", "00743110157").await;
    let input = NetworkInput {
        programme_id: app.programme_id.clone(),
        name: "Rete Alfa".into(),
        description: String::new(),
        maturity: None,
        status: NetworkStatus::Active,
        municipality_codes: vec!["015146".into()],
        action_line_ids: Vec::new(),
    };
    let network = app.db.create_network(&Actor::cli(), &input).await.unwrap();
    let membership =
        MembershipInput { organisation_id: organisation.clone(), role: MembershipRole::Lead, joined_on: None };
    app.db.add_membership(&Actor::cli(), &network.id, &membership).await.unwrap();
    let anna_user = app.user().role(Role::NetworkMember).create().await;
    app.db.set_locale(&Actor::cli(), &anna_user.id, Locale::En).await.unwrap();
    let mut anna = String::new();
    for (name, email) in [("Anna Rossi", anna_user.email.as_str()), ("Bruno Bianchi", "bruno@alfa.it")] {
        let person = PersonInput {
            name: PersonName::parse(name).unwrap(),
            email: Some(Email::parse(email).unwrap()),
            phone: String::new(),
        };
        let id = app.db.create_person(&Actor::cli(), &person).await.unwrap().id;
        app.db.add_affiliation(&Actor::cli(), &id, &organisation, "Operatrice").await.unwrap();
        if name.starts_with("Anna") {
            anna = id;
        }
    }
    let facilitator = app.user().role(Role::Facilitator).create().await;
    app.db.assign_to_network(&Actor::cli(), &facilitator.id, &network.id, Role::Facilitator).await.unwrap();
    app.login(&facilitator.email).await;
    (network.id, anna_user, anna)
}

/// Schedules a meeting of the whole network on 12 May 2026, 10:00 Rome time.
async fn schedule(app: &TestApp, network: &str) -> String {
    let fields = [
        ("title", "Laboratorio di rete"),
        ("kind", "workshop"),
        ("mode", "in_presenza"),
        ("place", "Sala consiliare, Como"),
        ("starts_at", "2026-05-12T10:00"),
        ("ends_at", "2026-05-12T12:00"),
        ("registration_open", "1"),
        ("invite_network", "1"),
    ];
    let response = app.post(&format!("/networks/{network}/meetings"), &fields).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    response.location().trim_start_matches("/meetings/").to_owned()
}

async fn count_registrations(app: &TestApp, meeting: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM meeting_registrations WHERE meeting_id = $1 AND status = 'registered'")
        .bind(meeting)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

/// The calendar file in a mail, parsed back.
fn calendar_in(mail: &str) -> icalendar::Calendar {
    let start = mail.find("BEGIN:VCALENDAR").unwrap_or_else(|| panic!("no calendar in {mail}"));
    let end = mail.find("END:VCALENDAR").unwrap() + "END:VCALENDAR".len();
    mail[start..end].parse().expect("a calendar a real parser reads")
}

fn to<'a>(mails: &'a [String], email: &str) -> Vec<&'a String> {
    mails.iter().filter(|m| m.contains(&format!("To: {email}"))).collect()
}

app_tests! {
    async fn the_invitation_carries_the_ics_and_the_cancellation_cancels_it(app: TestApp) {
        let (network, anna, _) = world(&app).await;
        let id = schedule(&app, &network).await;
        assert!(app.mails().is_empty(), "the request only queued the notice");
        app.run_jobs().await;
        let mails = app.mails();
        assert_eq!(mails.len(), 2, "one mail per invited person with an e-mail");
        let bruno = to(&mails, "bruno@alfa.it");
        assert_eq!(bruno.len(), 1);
        assert!(bruno[0].contains("Subject: Invito: Laboratorio di rete"), "{}", bruno[0]);
        assert!(bruno[0].contains("text/calendar; method=REQUEST"), "{}", bruno[0]);
        assert!(bruno[0].contains("12/05/2026 10:00"), "Rome time: {}", bruno[0]);
        let calendar = calendar_in(bruno[0]);
        assert_eq!(calendar.property_value("METHOD"), Some("REQUEST"));
        let event = calendar.events().next().expect("one event");
        assert_eq!(event.get_uid(), Some(format!("{id}@reti").as_str()));
        assert_eq!(event.get_summary(), Some("Laboratorio di rete"));
        let english = to(&mails, &anna.email);
        assert!(english[0].contains("Subject: Invitation: Laboratorio di rete"), "in Anna's language: {}", english[0]);

        let cancelled = app.post(&format!("/meetings/{id}/cancel"), &[]).await;
        assert_eq!(cancelled.status, StatusCode::SEE_OTHER);
        app.run_jobs().await;
        let mails = app.mails();
        assert_eq!(mails.len(), 4);
        let last = to(&mails, "bruno@alfa.it").pop().unwrap();
        assert!(last.contains("Subject: Annullato: Laboratorio di rete"), "{last}");
        let calendar = calendar_in(last);
        assert_eq!(calendar.property_value("METHOD"), Some("CANCEL"));
        let event = calendar.events().next().unwrap();
        assert_eq!(event.get_uid(), Some(format!("{id}@reti").as_str()));
        assert_eq!(event.property_value("STATUS"), Some("CANCELLED"));
        assert_eq!(event.property_value("SEQUENCE"), Some("1"), "replaces the invitation");
    }

    async fn a_reminder_goes_out_once_however_often_the_sweep_runs(app: TestApp) {
        let (network, _, _) = world(&app).await;
        let id = schedule(&app, &network).await;
        let added = app.post(&format!("/meetings/{id}/actions"), &[
            ("action_kind", "action"), ("description", "Inviare il verbale"), ("owner", "bruno@alfa.it"), ("due_on", "2026-05-12"),
        ]).await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        app.run_jobs().await;
        let invitations = app.mails().len();
        // Two days before: nothing is due yet.
        let early = Utc.with_ymd_and_hms(2026, 5, 10, 6, 0, 0).unwrap();
        assert_eq!(app.db.sweep_reminders(early).await.unwrap(), 0);
        // Twelve hours before, by two servers: the meeting's reminder and the follow-up's, once.
        let now = Utc.with_ymd_and_hms(2026, 5, 11, 20, 0, 0).unwrap();
        let (a, b) = tokio::join!(app.db.sweep_reminders(now), app.db.sweep_reminders(now));
        assert_eq!(a.unwrap() + b.unwrap(), 2);
        assert_eq!(app.db.sweep_reminders(now).await.unwrap(), 0);
        app.run_jobs().await;
        let mails = app.mails();
        let new: Vec<&String> = mails[invitations..].iter().collect();
        let reminders: Vec<_> = new.iter().filter(|m| m.contains("Subject: Promemoria: Laboratorio di rete")).collect();
        assert_eq!(reminders.len(), 1, "Bruno's reminder (Anna's is in English)");
        assert!(new.iter().any(|m| m.contains("Subject: Reminder: Laboratorio di rete")));
        assert!(reminders[0].contains("BEGIN:VCALENDAR"), "the reminder carries the calendar file");
        let follow_up: Vec<_> = new.iter().filter(|m| m.contains("Inviare il verbale")).collect();
        assert_eq!(follow_up.len(), 1, "{new:?}");
        assert!(follow_up[0].contains("To: bruno@alfa.it"));
        assert_eq!(new.len(), 3);
    }

    async fn a_guest_registers_for_a_webinar_confirms_and_gets_the_ics(app: TestApp) {
        let (network, _, _) = world(&app).await;
        let closed = schedule(&app, &network).await;
        let fields = [
            ("title", "Webinar sulla co-progettazione"), ("kind", "webinar"), ("mode", "webinar"),
            ("link", "https://meet.example.org/coprogettazione"), ("starts_at", "2026-06-09T17:00"),
            ("ends_at", "2026-06-09T18:30"), ("registration_open", "1"), ("capacity", "1"),
        ];
        let created = app.post(&format!("/networks/{network}/meetings"), &fields).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let id = created.location().trim_start_matches("/meetings/").to_owned();
        app.run_jobs().await;
        let before = app.mails().len();
        let page = app.get(&format!("/meetings/{id}")).await;
        assert!(page.body.contains(&format!("href=\"/meetings/{id}/guests\"")), "the form's address is shown to share");
        app.logout_locally();
        assert_eq!(app.get(&format!("/meetings/{closed}/guests")).await.status, StatusCode::NOT_FOUND, "not a webinar");
        let path = format!("/meetings/{id}/guests");
        let form = app.get(&path).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("Webinar sulla co-progettazione") && form.body.contains("name=\"email\""));
        let bad = app.post(&path, &[("name", "Dora Neri"), ("email", "non-un-indirizzo")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("«Indirizzo e-mail» non contiene un indirizzo e-mail valido"), "{}", bad.body);
        let english = app.post(&format!("{path}?lang=en"), &[("name", ""), ("email", "dora@esempio.it")]).await;
        assert_eq!(english.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(english.body.contains("Name"), "{}", english.body);
        app.get("/?lang=it").await;
        assert_eq!(app.post_raw(&path, &[("name", "Dora Neri"), ("email", "dora@esempio.it")]).await.status, StatusCode::FORBIDDEN, "CSRF");

        let sent = app.post(&path, &[("name", "Dora Neri"), ("email", "dora@esempio.it"), ("consent", "1")]).await;
        assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
        assert_eq!(count_registrations(&app, &id).await, 0, "nothing until confirmed");
        app.run_jobs().await;
        let mails = app.mails();
        let confirm = to(&mails[before..], "dora@esempio.it");
        assert_eq!(confirm.len(), 1);
        let link = crate::harness::link_in(confirm[0], "http://reti.test/guests/");
        let token_path = link.trim_start_matches("http://reti.test");
        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM meeting_guest_requests WHERE token_hash = $1")
            .bind(token_path.trim_start_matches("/guests/")).fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(stored, 0, "only the hash is stored");
        assert_eq!(app.get(token_path).await.status, StatusCode::OK);
        let confirmed = app.post(token_path, &[]).await;
        assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
        assert!(confirmed.body.contains("Iscrizione confermata"));
        assert_eq!(app.post(token_path, &[]).await.status, StatusCode::GONE, "used once");
        assert_eq!(count_registrations(&app, &id).await, 1);
        app.run_jobs().await;
        let mails = app.mails();
        let dora = to(&mails[before..], "dora@esempio.it");
        assert_eq!(dora.len(), 2);
        let calendar = calendar_in(dora[1]);
        assert_eq!(calendar.property_value("METHOD"), Some("REQUEST"));
        assert_eq!(calendar.events().next().unwrap().get_uid(), Some(format!("{id}@reti").as_str()));

        // A second guest finds the one place taken: the waiting list, like anyone else.
        app.post(&path, &[("name", "Ezio Gialli"), ("email", "ezio@esempio.it"), ("consent", "1")]).await;
        app.run_jobs().await;
        let mails = app.mails();
        let link = crate::harness::link_in(to(&mails, "ezio@esempio.it")[0], "http://reti.test/guests/");
        let waiting = app.post(link.trim_start_matches("http://reti.test"), &[]).await;
        assert!(waiting.body.contains("lista d"), "{}", waiting.body);
        let statuses: Vec<String> = sqlx::query_scalar("SELECT status FROM meeting_registrations WHERE meeting_id = $1 ORDER BY queued_at")
            .bind(&id).fetch_all(app.db.pool()).await.unwrap();
        assert_eq!(statuses, ["registered", "waiting"]);
        // Guests receive the reminders.
        let now = Utc.with_ymd_and_hms(2026, 6, 8, 18, 0, 0).unwrap();
        assert_eq!(app.db.sweep_reminders(now).await.unwrap(), 1);
        app.run_jobs().await;
        assert!(to(&app.mails(), "dora@esempio.it").iter().any(|m| m.contains("Subject: Promemoria: Webinar")));
    }

    async fn the_profile_switches_mails_off(app: TestApp) {
        let (network, anna, _) = world(&app).await;
        app.login(&anna.email).await;
        let page = app.get("/account").await;
        assert!(page.body.contains("action=\"/account/notifications\"") && page.body.contains("name=\"invitations\""), "{}", page.body);
        let forged = app.post_raw("/account/notifications", &[("csrf_token", "forged")]).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        let saved = app.post("/account/notifications", &[("updates", "1"), ("reminders", "1")]).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
        let page = app.get("/account").await;
        assert!(!page.body.contains("id=\"notify-invitations\" value=\"1\" checked"), "saved off");
        assert!(page.body.contains("id=\"notify-updates\" value=\"1\" checked"), "saved on");
        app.logout_locally();
        let facilitator = app.user().role(Role::Facilitator).create().await;
        app.db.assign_to_network(&Actor::cli(), &facilitator.id, &network, Role::Facilitator).await.unwrap();
        app.login(&facilitator.email).await;
        let id = schedule(&app, &network).await;
        app.run_jobs().await;
        let mails = app.mails();
        assert_eq!(mails.len(), 1, "Anna switched invitations off");
        assert!(to(&mails, &anna.email).is_empty());
        app.post(&format!("/meetings/{id}/cancel"), &[]).await;
        app.run_jobs().await;
        assert_eq!(to(&app.mails(), &anna.email).len(), 1, "updates are still on");
    }
}
