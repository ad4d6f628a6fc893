//! Calendar feeds of a network for the coordination (decisions 0007, 0010): a programme's
//! coordinator is offered, and may subscribe to, the calendar of every network of their
//! programmes, not only those they are assigned to; never a network of another programme. And
//! "my meetings" found through the account's e-mail, looked up once per list.

use crate::app_tests;
use crate::harness::TestApp;
use axum::http::StatusCode;
use reti_domain::{MembershipRole, NetworkStatus, Role};
use reti_store::Actor;
use reti_store::meetings::{InviteeKind, MeetingChanges};
use reti_store::registry::networks::{MembershipInput, NetworkInput};

async fn network(app: &TestApp, programme_id: &str, name: &str, tax_code: &str) -> String {
    let organisation = app.organisation(&format!("Capofila di {name}"), tax_code).await;
    let input = NetworkInput {
        programme_id: programme_id.into(),
        name: name.into(),
        description: String::new(),
        maturity: None,
        status: NetworkStatus::Active,
        municipality_codes: vec!["015146".into()],
        action_line_ids: Vec::new(),
    };
    let network = app.db.create_network(&Actor::cli(), &input).await.unwrap();
    let membership = MembershipInput { organisation_id: organisation, role: MembershipRole::Lead, joined_on: None };
    app.db.add_membership(&Actor::cli(), &network.id, &membership).await.unwrap();
    network.id
}

fn offers(body: &str, network_id: &str) -> bool {
    body.contains(&format!("<option value=\"{network_id}\">"))
}

app_tests! {
    async fn a_coordinator_subscribes_to_any_network_of_their_programmes(app: TestApp) {
        let other_programme = app.db.create_programme(&Actor::cli(), "PROG-9999", "Altro programma").await.unwrap().id;
        let alfa = network(&app, &app.programme_id, "Rete Alfa", "00743110157").await;
        let gamma = network(&app, &app.programme_id, "Rete Gamma", "01199250158").await;
        let beta = network(&app, &other_programme, "Rete Beta", "80012000826").await;
        let coordinator = app.user().role(Role::Coordinator).create().await;
        app.login(&coordinator.email).await;

        let agenda = app.get("/agenda").await;
        assert_eq!(agenda.status, StatusCode::OK);
        assert!(offers(&agenda.body, &alfa) && offers(&agenda.body, &gamma), "every network of the programme: {}", agenda.body);
        assert!(!offers(&agenda.body, &beta), "not another programme's network");
        let created = app.post("/calendar-feeds", &[("network_id", gamma.as_str())]).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let feeds: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM calendar_feeds WHERE network_id = $1")
            .bind(&gamma).fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(feeds, 1);
        let refused = app.post("/calendar-feeds", &[("network_id", beta.as_str())]).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "no feed of another programme's network");

        // A member sees only the network they work on.
        let member = app.user().role(Role::NetworkMember).create().await;
        app.db.assign_to_network(&Actor::cli(), &member.id, &alfa, Role::NetworkMember).await.unwrap();
        app.login(&member.email).await;
        let agenda = app.get("/agenda").await;
        assert!(offers(&agenda.body, &alfa));
        assert!(!offers(&agenda.body, &gamma) && !offers(&agenda.body, &beta));
    }

    async fn my_meetings_are_those_of_the_person_with_the_accounts_email(app: TestApp) {
        let network_id = network(&app, &app.programme_id, "Rete Alfa", "00743110157").await;
        let user = app.user().create().await;
        let input = reti_store::registry::people::PersonInput {
            name: reti_domain::PersonName::parse("Dora Neri").unwrap(),
            email: Some(reti_domain::Email::parse(&user.email.to_uppercase()).unwrap()),
            phone: String::new(),
        };
        let person = app.db.create_person(&Actor::cli(), &input).await.unwrap().id;
        let starts_at = chrono::Utc::now() + chrono::Duration::days(2);
        let schedule = async |title: &str, invitees: &[(InviteeKind, String)]| {
            let draft = reti_domain::meetings::MeetingDraft {
                title: title.into(),
                kind: reti_domain::meetings::MeetingKind::Webinar,
                mode: reti_domain::meetings::MeetingMode::Webinar,
                place: String::new(),
                link: "https://webinar.example.org/1".into(),
                starts_at,
                ends_at: starts_at + chrono::Duration::hours(1),
                agenda: String::new(),
                registration_open: true,
                capacity: None,
                recurrence: None,
            };
            let changes = MeetingChanges { draft: &draft, invitees, room_base: None };
            app.db.create_meetings(&Actor::cli(), &network_id, &changes).await.unwrap().remove(0)
        };
        let invited = schedule("Webinar su invito", &[(InviteeKind::Person, person.clone())]).await;
        let registered = schedule("Webinar con iscrizione", &[]).await;
        let other = schedule("Webinar di altri", &[]).await;
        app.db.register(&Actor::cli(), &registered, &person).await.unwrap();
        app.login(&user.email).await;
        let home = app.get("/").await;
        assert_eq!(home.status, StatusCode::OK);
        assert!(home.body.contains(&format!("/meetings/{invited}")), "invited by name: {}", home.body);
        assert!(home.body.contains(&format!("/meetings/{registered}")), "registered");
        assert!(!home.body.contains(&format!("/meetings/{other}")), "not someone else's meeting");
    }
}
