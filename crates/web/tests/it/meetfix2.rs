//! Issue 7's last gaps (decision 0036), on both engines: a small group of a saved grouping as an
//! invitee (form, API, meeting page, each person mailed once), the API's `invite_networks` and
//! `invite_groups` like the form's, a mail job run again after the server accepted its message
//! sending nothing twice, and the calendar page's statements bounded whatever its meetings.

use crate::app_tests;
use crate::harness::TestApp;
use axum::http::{Method, StatusCode};
use reti_domain::{Email, MembershipRole, NetworkStatus, PersonName, Role};
use reti_store::Actor;
use reti_store::registry::networks::{MembershipInput, NetworkInput};
use reti_store::registry::people::PersonInput;
use serde_json::json;

struct World {
    /// Alfa, Beta, Gamma, Delta: groups 1 (Alfa, Beta) and 2 (Gamma, Delta) of "Gruppi 2027".
    networks: Vec<String>,
    groups: Vec<String>,
}

/// A network of the programme with one member organisation where the people named work.
async fn network_with(
    app: &TestApp,
    programme_id: &str,
    name: &str,
    tax_code: &str,
    people: &[(&str, &str)],
) -> String {
    let organisation = app.organisation(&format!("Ente {name}"), tax_code).await;
    let input = NetworkInput {
        programme_id: programme_id.to_owned(),
        name: name.into(),
        description: String::new(),
        maturity: None,
        status: NetworkStatus::Active,
        municipality_codes: vec!["015146".into()],
        action_line_ids: Vec::new(),
    };
    let network = app.db.create_network(&Actor::cli(), &input).await.unwrap().id;
    let membership =
        MembershipInput { organisation_id: organisation.clone(), role: MembershipRole::Lead, joined_on: None };
    app.db.add_membership(&Actor::cli(), &network, &membership).await.unwrap();
    for (name, email) in people {
        let person = PersonInput {
            name: PersonName::parse(name).unwrap(),
            email: Some(Email::parse(email).unwrap()),
            phone: String::new(),
        };
        let id = app.db.create_person(&Actor::cli(), &person).await.unwrap().id;
        app.db.add_affiliation(&Actor::cli(), &id, &organisation, "Operatrice").await.unwrap();
    }
    network
}

/// Four networks, a saved grouping of them in two groups, a facilitator of Alfa logged in.
async fn world(app: &TestApp) -> World {
    let p = app.programme_id.clone();
    let networks = vec![
        network_with(
            app,
            &p,
            "Rete Alfa",
            "00743110157",
            &[("Anna Rossi", "anna@alfa.it"), ("Bruno Bianchi", "bruno@alfa.it")],
        )
        .await,
        network_with(app, &p, "Rete Beta", "01234567897", &[("Carla Verdi", "carla@beta.it")]).await,
        network_with(app, &p, "Rete Gamma", "80012345676", &[("Dario Neri", "dario@gamma.it")]).await,
        network_with(app, &p, "Rete Delta", "97012345670", &[]).await,
    ];
    let grouping = reti_store::groups::GroupingInput {
        name: "Gruppi 2027".into(),
        bounds: reti_domain::groups::Bounds::new(2, 2).unwrap(),
        groups: vec![networks[..2].to_vec(), networks[2..].to_vec()],
    };
    let saved = app.db.save_grouping(&Actor::cli(), &p, &grouping).await.unwrap();
    let groups = app.db.grouping(&p, &saved).await.unwrap().unwrap().groups.into_iter().map(|g| g.id).collect();
    let facilitator = app.user().role(Role::Facilitator).create().await;
    app.db.assign_to_network(&Actor::cli(), &facilitator.id, &networks[0], Role::Facilitator).await.unwrap();
    app.login(&facilitator.email).await;
    World { networks, groups }
}

fn fields<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("title", "Workshop del gruppo"),
        ("kind", "workshop"),
        ("mode", "in_presenza"),
        ("place", "Milano, Palazzo Isimbardi"),
        ("starts_at", "2027-03-04T10:00"),
        ("ends_at", "2027-03-04T12:00"),
        ("registration_open", "1"),
    ];
    fields.extend_from_slice(extra);
    fields
}

fn to(mails: &[String], email: &str) -> usize {
    mails.iter().filter(|m| m.contains(&format!("To: {email}"))).count()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(app.db.pool()).await.unwrap()
}

/// A second programme with a network and a grouping of its own.
async fn foreign(app: &TestApp) -> (String, String) {
    let other = app.db.create_programme(&Actor::cli(), "PROG-9999", "Altro programma").await.unwrap().id;
    let network = network_with(app, &other, "Rete Estera", "02345678904", &[("Ezio Blu", "ezio@estera.it")]).await;
    let grouping = reti_store::groups::GroupingInput {
        name: "Altri gruppi".into(),
        bounds: reti_domain::groups::Bounds::new(1, 1).unwrap(),
        groups: vec![vec![network.clone()]],
    };
    let saved = app.db.save_grouping(&Actor::cli(), &other, &grouping).await.unwrap();
    let group = app.db.grouping(&other, &saved).await.unwrap().unwrap().groups.remove(0).id;
    (network, group)
}

app_tests! {
    async fn a_small_group_is_invited_and_each_person_mailed_once(app: TestApp) {
        let world = world(&app).await;
        let alfa = &world.networks[0];
        // The grouping page's link: the form of the group's workshop, the group ticked.
        let form = app.get(&format!("/networks/{alfa}/meetings/new?group={}", world.groups[0])).await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        let checked = format!("name=\"invite_groups\" id=\"group-{0}\" value=\"{0}\" checked", world.groups[0]);
        assert!(form.body.contains(&checked), "{}", form.body);
        assert!(form.body.contains("Gruppo 1 (raggruppamento Gruppi 2027): Rete Alfa, Rete Beta"), "{}", form.body);
        assert!(form.body.contains("Gruppo 2 (raggruppamento Gruppi 2027): Rete Delta, Rete Gamma"), "{}", form.body);
        assert!(form.body.contains("value=\"workshop\" selected"));

        // Alfa both as a network and through group 1: Anna and Bruno still get one mail each.
        let created = app.post(&format!("/networks/{alfa}/meetings"), &fields(&[("invite_network", "1"), ("invite_groups", &world.groups[0])])).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let id = created.location().trim_start_matches("/meetings/").to_owned();
        let page = app.get(&format!("/meetings/{id}")).await;
        assert!(page.body.contains("Gruppo 1 (raggruppamento Gruppi 2027)"), "{}", page.body);
        app.run_jobs().await;
        let mails = app.mails();
        assert_eq!(mails.len(), 3, "{mails:?}");
        for email in ["anna@alfa.it", "bruno@alfa.it", "carla@beta.it"] {
            assert_eq!(to(&mails, email), 1, "{email}");
        }
        assert_eq!(to(&mails, "dario@gamma.it"), 0, "group 2 is not invited");
        // Carla (Beta, only through the group) is on the register's list and may register.
        let carla: String = sqlx::query_scalar("SELECT id FROM people WHERE email = 'carla@beta.it'").fetch_one(app.db.pool()).await.unwrap();
        assert!(app.db.register_candidates(&id).await.unwrap().iter().any(|(p, _, _)| *p == carla));

        // The edit form keeps the group; moving the meeting to group 2 withdraws group 1's people.
        let edit = app.get(&format!("/meetings/{id}/edit")).await;
        assert!(edit.body.contains(&checked), "{}", edit.body);
        let moved = app.post(&format!("/meetings/{id}"), &fields(&[("invite_groups", &world.groups[1])])).await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
        app.run_jobs().await;
        let mails = app.mails();
        assert_eq!(to(&mails[3..], "dario@gamma.it"), 1, "group 2's people are invited");
        assert_eq!(to(&mails[3..], "carla@beta.it"), 1, "and group 1's withdrawn");
        assert!(mails[3..].iter().any(|m| m.contains("To: carla@beta.it") && m.contains("Invito ritirato")));

        // A group of another programme, or none at all, is refused naming the invitees; nothing saved.
        let (_, foreign_group) = foreign(&app).await;
        let before = count(&app, "SELECT COUNT(*) FROM meetings").await;
        for group in [foreign_group.as_str(), "0190c3a4-0000-7000-8000-000000000000"] {
            let refused = app.post(&format!("/networks/{alfa}/meetings"), &fields(&[("invite_groups", group)])).await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
            assert!(refused.body.contains("piccolo gruppo"), "{}", refused.body);
        }
        assert_eq!(count(&app, "SELECT COUNT(*) FROM meetings").await, before);
    }

    async fn the_api_invites_networks_and_groups_like_the_form(app: TestApp) {
        let world = world(&app).await;
        let coordinator = app.user().role(Role::Coordinator).create().await;
        let token = app.token_for(&coordinator).await;
        let body = json!({
            "network_id": world.networks[0], "title": "Workshop", "kind": "workshop", "mode": "in_presenza",
            "place": "Milano", "starts_at": "2027-03-04T10:00", "ends_at": "2027-03-04T12:00",
            "invite_network": true, "invite_networks": [world.networks[2]], "invite_groups": [world.groups[0]],
        });
        let created = app.api_send(Method::POST, "/api/v1/meetings", Some(&token), body.clone()).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let meeting = &created.json()[0];
        let id = meeting["id"].as_str().unwrap().to_owned();
        let mut kinds: Vec<(String, String)> = meeting["invitees"].as_array().unwrap().iter()
            .map(|i| (i["kind"].as_str().unwrap().to_owned(), i["id"].as_str().unwrap().to_owned())).collect();
        kinds.sort();
        assert_eq!(kinds, vec![
            ("group".to_owned(), world.groups[0].clone()),
            ("network".to_owned(), world.networks[0].clone()),
            ("network".to_owned(), world.networks[2].clone()),
        ]);
        let read = app.api_get(&format!("/api/v1/meetings/{id}"), Some(&token)).await.json();
        let group = read["invitees"].as_array().unwrap().iter().find(|i| i["kind"] == "group").unwrap().clone();
        assert_eq!(group["label"], "Gruppi 2027");
        assert_eq!(group["group_number"], 1);
        let listed = app.api_get("/api/v1/meetings", Some(&token)).await.json();
        assert!(listed["items"][0].get("invitees").is_none(), "lists stay one statement: no invitees per row");
        app.run_jobs().await;
        let mails = app.mails();
        for email in ["anna@alfa.it", "bruno@alfa.it", "carla@beta.it", "dario@gamma.it"] {
            assert_eq!(to(&mails, email), 1, "{email}");
        }

        // The `group` kind in the invitees list, on a change.
        let mut changed = body.clone();
        changed["invite_network"] = json!(false);
        changed["invite_networks"] = json!([]);
        changed["invite_groups"] = json!([]);
        changed["invitees"] = json!([{"kind": "group", "id": world.groups[1]}]);
        let updated = app.api_send(Method::PUT, &format!("/api/v1/meetings/{id}"), Some(&token), changed).await;
        assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
        assert_eq!(updated.json()["invitees"], json!([{"kind": "group", "id": world.groups[1], "label": "Gruppi 2027", "group_number": 2}]));

        // Networks and groups of another programme, unknown kinds: 422, nothing saved.
        let (foreign_network, foreign_group) = foreign(&app).await;
        let before = count(&app, "SELECT COUNT(*) FROM meetings").await;
        for (field, value) in [
            ("invite_networks", json!([foreign_network])),
            ("invite_groups", json!([foreign_group])),
            ("invitees", json!([{"kind": "network", "id": foreign_network}])),
            ("invitees", json!([{"kind": "gruppo", "id": world.groups[0]}])),
        ] {
            let mut wrong = body.clone();
            wrong[field] = value;
            let refused = app.api_send(Method::POST, "/api/v1/meetings", Some(&token), wrong).await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", refused.body);
            assert!(refused.body.contains("invitees"), "{}", refused.body);
        }
        assert_eq!(count(&app, "SELECT COUNT(*) FROM meetings").await, before);
        // A facilitator of Alfa only cannot schedule for Gamma.
        let facilitator = app.user().role(Role::Facilitator).create().await;
        app.db.assign_to_network(&Actor::cli(), &facilitator.id, &world.networks[0], Role::Facilitator).await.unwrap();
        let facilitator_token = app.token_for(&facilitator).await;
        let mut elsewhere = body.clone();
        elsewhere["network_id"] = json!(world.networks[2]);
        let forbidden = app.api_send(Method::POST, "/api/v1/meetings", Some(&facilitator_token), elsewhere).await;
        assert_eq!(forbidden.status, StatusCode::FORBIDDEN, "{}", forbidden.body);
    }

    async fn a_mail_job_run_again_after_the_server_accepted_it_is_not_sent_twice(app: TestApp) {
        let world = world(&app).await;
        let alfa = &world.networks[0];
        let created = app.post(&format!("/networks/{alfa}/meetings"), &fields(&[])).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        app.run_jobs().await;
        assert!(app.mails().is_empty());

        // A mail job: a worker claims it, the server accepts the message, the worker dies before
        // marking the job done. Its lease passes; another worker runs it again.
        let mail = reti_web::mail::Mail { to: "anna@alfa.it".into(), subject: "Prova".into(), body: "Ciao".into(), attachment: None };
        app.db.enqueue(&mail.job()).await.unwrap();
        let now = reti_store::Timestamp::now();
        let job = app.db.claim_jobs("worker-that-dies", 1, time::Duration::ZERO, now).await.unwrap().pop().unwrap();
        let payload: reti_web::mail::MailJob = serde_json::from_value(job.payload.clone()).unwrap();
        let mailer = reti_web::mail::Mailer::new(&reti_web::mail::MailConfig::outbox(app.outbox.clone())).unwrap();
        reti_web::mail::send_once(&app.db, &mailer, &payload).await.unwrap();
        assert_eq!(app.mails().len(), 1);
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        assert_eq!(app.run_jobs().await, 1, "the job is taken again");
        let mails = app.mails();
        assert_eq!(mails.len(), 1, "and not sent again: {mails:?}");
        let message_id = mailer.message_id(payload.message_key.as_deref().unwrap());
        assert!(mails[0].contains(&format!("Message-ID: {message_id}")), "{}", mails[0]);
        assert_eq!(app.db.job(&job.id).await.unwrap().unwrap().status, reti_store::jobs::JobStatus::Done);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM mail_sends WHERE attempts = 2 AND accepted_at IS NOT NULL").await, 1);

        // An attempt that did not get the message accepted is sent again, under the same Message-ID.
        let other = reti_web::mail::Mail { to: "bruno@alfa.it".into(), ..mail.clone() };
        let job: reti_web::mail::MailJob = serde_json::from_value(other.job().payload).unwrap();
        let id = mailer.message_id(job.message_key.as_deref().unwrap());
        assert_eq!(app.db.mail_send_begin(&id, "bruno@alfa.it", now).await.unwrap(), reti_store::mail_sends::MailSendState::First);
        reti_web::mail::send_once(&app.db, &mailer, &job).await.unwrap();
        assert_eq!(app.mails().len(), 2);
        assert!(app.mails()[1].contains(&format!("Message-ID: {id}")));

        // A meeting's mails carry the same Message-ID for the same change to the same address.
        let invited = app.post(&format!("/networks/{alfa}/meetings"), &fields(&[("invite_network", "1")])).await;
        assert_eq!(invited.status, StatusCode::SEE_OTHER, "{}", invited.body);
        let notice: String = sqlx::query_scalar("SELECT payload FROM jobs WHERE kind = 'meeting-notice' ORDER BY created_at DESC, id DESC")
            .fetch_one(app.db.pool()).await.unwrap();
        let notice: reti_store::notices::MeetingNotice = serde_json::from_str(&notice).unwrap();
        let meeting = app.db.meeting(&notice.meeting_id).await.unwrap().unwrap();
        app.run_jobs().await;
        let key = reti_web::notices::meeting_mail_key(&notice, &meeting, "Anna@Alfa.it");
        let anna = app.mails().into_iter().rfind(|m| m.contains("To: anna@alfa.it")).unwrap();
        assert!(anna.contains(&format!("Message-ID: {}", mailer.message_id(&key))), "{anna}");
        assert_ne!(key, reti_web::notices::meeting_mail_key(&notice, &meeting, "bruno@alfa.it"));
    }

    async fn the_calendar_reads_its_month_in_a_bounded_number_of_statements(app: TestApp) {
        let world = world(&app).await;
        let alfa = &world.networks[0];
        let schedule = async |day: u32, count: u32| {
            let starts = format!("2027-03-{day:02}T10:00");
            let ends = format!("2027-03-{day:02}T11:00");
            let count = count.to_string();
            let mut fields = fields(&[("invite_network", "1")]);
            fields.retain(|(name, _)| !["starts_at", "ends_at"].contains(name));
            fields.extend([("starts_at", starts.as_str()), ("ends_at", ends.as_str())]);
            if count != "1" {
                fields.extend([("repeat", "weekly"), ("repeat_count", count.as_str())]);
            }
            let created = app.post(&format!("/networks/{alfa}/meetings"), &fields).await;
            assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        };
        let paths = [
            format!("/networks/{alfa}/meetings?month=2027-03"),
            format!("/networks/{alfa}/meetings?month=2027-03&view=list"),
            format!("/networks/{alfa}/meetings?month=2030-01"),
        ];
        let statements = async |path: &str| {
            let warm = app.get(path).await;
            assert_eq!(warm.status, StatusCode::OK, "{path}: {}", warm.body);
            let before = app.db.statements();
            assert_eq!(app.get(path).await.status, StatusCode::OK);
            app.db.statements() - before
        };
        schedule(1, 1).await;
        let mut few = Vec::new();
        for path in &paths {
            few.push(statements(path).await);
        }
        // Twenty-eight more in March, and most of a year after: the month reads its own weeks only.
        for day in 2..=28 {
            schedule(day, 1).await;
        }
        schedule(29, 40).await;
        let month = app.get(&paths[0]).await.body;
        assert_eq!(month.matches("class=\"reti-event").count(), 29, "March's, not 5 April's (after the grid's last day)");
        for (path, few) in paths.iter().zip(few) {
            let many = statements(path).await;
            // The session with its account and roles, the network with its members, the meetings.
            assert!(many == few && many <= 3, "{path}: {few} statements, then {many}");
        }
    }
}
