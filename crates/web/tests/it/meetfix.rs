//! The gaps of meeting mail and attachments closed after issue 7's first pass (decision 0026), on
//! both engines: the person promoted from the waiting list is told, people no longer invited get
//! a METHOD:CANCEL, a series is announced in one mail with all its meetings, a guest's mails speak
//! the language of the page they registered from, every `.ics` names its ORGANIZER and the
//! recipient as ATTENDEE, a notice run twice mails nobody twice, and an attachment whose
//! transaction fails at its commit leaves no file.

use crate::app_tests;
use crate::harness::TestApp;
use axum::http::StatusCode;
use chrono::{TimeZone, Utc};
use icalendar::Component;
use reti_domain::{Email, MembershipRole, NetworkStatus, PersonName, Role};
use reti_store::Actor;
use reti_store::registry::networks::{MembershipInput, NetworkInput};
use reti_store::registry::people::PersonInput;

struct World {
    network: String,
    organisation: String,
    anna: String,
    bruno: String,
}

/// A network with one member organisation where Anna and Bruno (no accounts) work; a
/// facilitator of the network, logged in.
async fn world(app: &TestApp) -> World {
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
    let mut ids = Vec::new();
    for (name, email) in [("Anna Rossi", "anna@alfa.it"), ("Bruno Bianchi", "bruno@alfa.it")] {
        let person = PersonInput {
            name: PersonName::parse(name).unwrap(),
            email: Some(Email::parse(email).unwrap()),
            phone: String::new(),
        };
        let id = app.db.create_person(&Actor::cli(), &person).await.unwrap().id;
        app.db.add_affiliation(&Actor::cli(), &id, &organisation, "Operatrice").await.unwrap();
        ids.push(id);
    }
    let facilitator = app.user().role(Role::Facilitator).create().await;
    app.db.assign_to_network(&Actor::cli(), &facilitator.id, &network.id, Role::Facilitator).await.unwrap();
    app.login(&facilitator.email).await;
    World { network: network.id, organisation, bruno: ids.pop().unwrap(), anna: ids.pop().unwrap() }
}

fn fields<'a>(overrides: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("title", "Laboratorio di rete"),
        ("kind", "workshop"),
        ("mode", "in_presenza"),
        ("place", "Sala consiliare, Como"),
        ("starts_at", "2026-05-12T10:00"),
        ("ends_at", "2026-05-12T12:00"),
        ("registration_open", "1"),
    ];
    for (name, value) in overrides {
        fields.retain(|(n, _)| n != name);
        fields.push((name, value));
    }
    fields
}

async fn schedule(app: &TestApp, world: &World, overrides: &[(&str, &str)]) -> String {
    let response = app.post(&format!("/networks/{}/meetings", world.network), &fields(overrides)).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    response.location().trim_start_matches("/meetings/").to_owned()
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

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(app.db.pool()).await.unwrap()
}

app_tests! {
    async fn the_person_promoted_from_the_waiting_list_is_mailed(app: TestApp) {
        let world = world(&app).await;
        let id = schedule(&app, &world, &[("capacity", "1"), ("invite_network", "1")]).await;
        app.db.register(&Actor::cli(), &id, &world.anna).await.unwrap();
        app.db.register(&Actor::cli(), &id, &world.bruno).await.unwrap();
        app.run_jobs().await;
        let before = app.mails().len();
        let promoted = app.db.cancel_registration(&Actor::cli(), &id, &world.anna).await.unwrap();
        assert_eq!(promoted.as_deref(), Some(world.bruno.as_str()));
        app.run_jobs().await;
        let mails = app.mails();
        let new = &mails[before..];
        assert_eq!(new.len(), 1, "only the promoted person: {new:?}");
        assert!(new[0].contains("To: bruno@alfa.it"), "{}", new[0]);
        assert!(new[0].contains("Subject: Posto confermato: Laboratorio di rete"), "{}", new[0]);
        let calendar = calendar_in(&new[0]);
        assert_eq!(calendar.property_value("METHOD"), Some("REQUEST"));
    }

    async fn people_no_longer_invited_get_a_cancellation(app: TestApp) {
        let world = world(&app).await;
        let id = schedule(&app, &world, &[("invite_network", "1")]).await;
        app.run_jobs().await;
        assert_eq!(app.mails().len(), 2);
        // Now only Anna, by name: Bruno drops out of the invitees.
        let changed = app.post(&format!("/meetings/{id}"), &fields(&[("invite_people", world.anna.as_str())])).await;
        assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
        app.run_jobs().await;
        let mails = app.mails();
        let bruno = to(&mails[2..], "bruno@alfa.it");
        assert_eq!(bruno.len(), 1, "no update, one withdrawal: {bruno:?}");
        assert!(bruno[0].contains("Subject: Invito ritirato: Laboratorio di rete"), "{}", bruno[0]);
        let calendar = calendar_in(bruno[0]);
        assert_eq!(calendar.property_value("METHOD"), Some("CANCEL"));
        let event = calendar.events().next().unwrap();
        assert_eq!(event.get_uid(), Some(format!("{id}@reti").as_str()));
        assert_eq!(event.property_value("STATUS"), Some("CANCELLED"));
        assert_eq!(event.property_value("SEQUENCE"), Some("1"));
        let anna = to(&mails[2..], "anna@alfa.it");
        assert_eq!(anna.len(), 1);
        assert!(anna[0].contains("Subject: Aggiornato: Laboratorio di rete"), "{}", anna[0]);
        // Invited by organisation again: Bruno is back, and nobody is withdrawn.
        let again = app.post(&format!("/meetings/{id}"), &fields(&[("invite_organisations", world.organisation.as_str())])).await;
        assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
        app.run_jobs().await;
        assert!(app.mails()[mails.len()..].iter().all(|m| !m.contains("Invito ritirato")));
    }

    async fn a_series_is_announced_in_one_mail_with_every_meeting(app: TestApp) {
        let world = world(&app).await;
        schedule(&app, &world, &[("invite_network", "1"), ("repeat", "weekly"), ("repeat_count", "4")]).await;
        assert_eq!(count(&app, "SELECT COUNT(*) FROM meetings").await, 4);
        app.run_jobs().await;
        let mails = app.mails();
        assert_eq!(mails.len(), 2, "one mail per person, not per meeting");
        let bruno = to(&mails, "bruno@alfa.it");
        assert!(bruno[0].contains("Subject: Invito: Laboratorio di rete (serie di incontri)"), "{}", bruno[0]);
        assert!(bruno[0].contains("serie di 4 incontri"), "{}", bruno[0]);
        for date in ["12/05/2026 10:00", "19/05/2026 10:00", "26/05/2026 10:00", "02/06/2026 10:00"] {
            assert!(bruno[0].contains(date), "{date} in {}", bruno[0]);
        }
        let calendar = calendar_in(bruno[0]);
        assert_eq!(calendar.property_value("METHOD"), Some("PUBLISH"));
        let events: Vec<_> = calendar.events().collect();
        assert_eq!(events.len(), 4);
        let uids: std::collections::BTreeSet<_> = events.iter().map(|e| e.get_uid().unwrap().to_owned()).collect();
        assert_eq!(uids.len(), 4, "each meeting its own UID, as its later changes use");
        assert!(events.iter().all(|e| e.property_value("ORGANIZER") == Some("mailto:noreply@reti.example")));
        assert!(events.iter().all(|e| e.get_attendees().is_empty()), "no ATTENDEE in a PUBLISH");
    }

    async fn the_ics_names_the_organizer_and_the_recipient(app: TestApp) {
        let world = world(&app).await;
        schedule(&app, &world, &[("invite_network", "1")]).await;
        app.run_jobs().await;
        let mails = app.mails();
        for (email, name) in [("anna@alfa.it", "Anna Rossi"), ("bruno@alfa.it", "Bruno Bianchi")] {
            let mail = to(&mails, email);
            let calendar = calendar_in(mail[0]);
            let event = calendar.events().next().unwrap();
            let organizer = event.properties().get("ORGANIZER").expect("an ORGANIZER");
            assert_eq!(organizer.value(), "mailto:noreply@reti.example");
            assert_eq!(organizer.params().get("CN").map(|p| p.value()), Some("Reti"));
            let attendees = event.get_attendees();
            assert_eq!(attendees.len(), 1, "the recipient only");
            assert_eq!(attendees[0].cal_address, format!("mailto:{email}"));
            assert_eq!(attendees[0].cn.as_deref(), Some(name));
            assert_eq!(attendees[0].rsvp, Some(false));
        }
    }

    async fn a_notice_run_twice_mails_each_recipient_once(app: TestApp) {
        let world = world(&app).await;
        let id = schedule(&app, &world, &[("invite_network", "1")]).await;
        let payload: String = sqlx::query_scalar("SELECT payload FROM jobs WHERE kind = 'meeting-notice'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        let payload: serde_json::Value = serde_json::from_str(&payload).unwrap();
        app.run_jobs().await;
        assert_eq!(app.mails().len(), 2);
        // The worker died before completing the notice: the job runs again, and again.
        let config = reti_web::WebConfig::new("http://reti.test", app.data_dir().to_path_buf());
        for _ in 0..2 {
            reti_web::notices::send_meeting_notice(&app.db, &config, payload.clone()).await.unwrap();
        }
        assert_eq!(count(&app, "SELECT COUNT(*) FROM jobs WHERE kind = 'mail'").await, 2, "no mail queued twice");
        app.run_jobs().await;
        assert_eq!(app.mails().len(), 2);
        // A later change is a new round: mailed again, once.
        let changed = app.post(&format!("/meetings/{id}"), &fields(&[("invite_network", "1"), ("place", "Sala B")])).await;
        assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
        app.run_jobs().await;
        assert_eq!(app.mails().len(), 4);
    }

    async fn a_guest_is_mailed_in_the_language_of_the_page(app: TestApp) {
        let world = world(&app).await;
        let id = schedule(&app, &world, &[
            ("title", "Webinar"), ("kind", "webinar"), ("mode", "webinar"), ("place", ""),
            ("link", "https://meet.example.org/w"), ("starts_at", "2026-06-09T17:00"), ("ends_at", "2026-06-09T18:30"),
        ]).await;
        app.run_jobs().await;
        let before = app.mails().len();
        app.logout_locally();
        let path = format!("/meetings/{id}/guests");
        app.get(&format!("{path}?lang=en")).await;
        let sent = app.post(&path, &[("name", "Dora Neri"), ("email", "dora@example.org"), ("consent", "1")]).await;
        assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
        let stored: Option<String> = sqlx::query_scalar("SELECT locale FROM meeting_guest_requests")
            .fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(stored.as_deref(), Some("en"));
        app.run_jobs().await;
        let mails = app.mails();
        let link = crate::harness::link_in(to(&mails[before..], "dora@example.org")[0], "http://reti.test/guests/");
        // Confirmed from a page in Italian: the guest's language is still the one stored.
        app.get("/?lang=it").await;
        let confirmed = app.post(link.trim_start_matches("http://reti.test"), &[]).await;
        assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
        app.run_jobs().await;
        let now = Utc.with_ymd_and_hms(2026, 6, 8, 18, 0, 0).unwrap();
        assert_eq!(app.db.sweep_reminders(now).await.unwrap(), 1);
        app.run_jobs().await;
        let mails = app.mails();
        let dora = to(&mails[before..], "dora@example.org");
        assert_eq!(dora.len(), 3, "link, invitation, reminder");
        assert!(dora[1].contains("Subject: Invitation: Webinar"), "{}", dora[1]);
        assert!(dora[2].contains("Subject: Reminder: Webinar is tomorrow"), "{}", dora[2]);
    }

    async fn an_attachment_whose_commit_fails_leaves_no_file(app: TestApp) {
        let world = world(&app).await;
        let id = schedule(&app, &world, &[]).await;
        let path = format!("/meetings/{id}/attachments");
        let token = app.csrf().await;
        let kept = app.upload(&path, &[("csrf_token", &token)], "verbale.pdf", b"%PDF-1.7\n%kept\n").await;
        assert_eq!(kept.status, StatusCode::SEE_OTHER, "{}", kept.body);
        let dir = app.data_dir().join("attachments").join(&id);
        let files = || std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.file_name()).collect::<Vec<_>>();
        assert_eq!(files().len(), 1);
        reti_store::testing::fail_commits(&app.db, "meeting_attachments").await;
        let failed = app.upload(&path, &[("csrf_token", &token)], "allegato.pdf", b"%PDF-1.7\n%lost\n").await;
        assert_eq!(failed.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM meeting_attachments").await, 1, "the row rolled back");
        assert_eq!(files().len(), 1, "and its file is gone: {:?}", files());

        // A file no row records (a crash between the move and the commit) is swept once old.
        let orphan = dir.join("0190c3a4-orphan");
        std::fs::write(&orphan, b"left behind").unwrap();
        let swept = reti_web::attachments::sweep_orphans(&app.db, app.data_dir(), reti_web::attachments::ORPHAN_AGE);
        assert_eq!(swept.await.unwrap(), 0, "too young: maybe an upload in flight");
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 3600);
        std::fs::File::options().write(true).open(&orphan).unwrap().set_modified(old).unwrap();
        let swept = reti_web::attachments::sweep_orphans(&app.db, app.data_dir(), reti_web::attachments::ORPHAN_AGE);
        assert_eq!(swept.await.unwrap(), 1);
        assert!(!orphan.exists());
        assert_eq!(files().len(), 1, "the recorded file stays");
    }
}
