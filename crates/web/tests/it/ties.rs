//! Cross-network ties (decision 0031) by page, files and API, on both engines: ties from shared
//! organisations and joint meetings at a date, the change since another, brokers and bridges;
//! who sees the whole programme, who only their networks' ties, who nothing; bad dates named;
//! files formula-safe and well-formed.

use crate::app_tests;
use crate::harness::TestApp;
use axum::http::StatusCode;
use reti_domain::meetings::{Attendance, MeetingDraft, MeetingKind, MeetingMode};
use reti_domain::{Email, MembershipRole, NetworkStatus, PersonName, Role};
use reti_store::Actor;
use reti_store::meetings::{InviteeKind, MeetingChanges};
use reti_store::registry::networks::{MembershipInput, NetworkInput};
use reti_store::registry::people::PersonInput;
use reti_store::users::NewUser;
use time::macros::date;

struct Programme {
    /// Rete Adda, Rete Brembo, Rete Chiese, Rete Dora.
    networks: Vec<String>,
}

async fn network(app: &TestApp, name: &str) -> String {
    let input = NetworkInput {
        programme_id: app.programme_id.clone(),
        name: name.into(),
        description: String::new(),
        maturity: None,
        status: NetworkStatus::Active,
        municipality_codes: vec!["015146".into()],
        action_line_ids: Vec::new(),
    };
    app.db.create_network(&Actor::cli(), &input).await.unwrap().id
}

async fn member(app: &TestApp, network: &str, organisation: &str, joined: time::Date) -> String {
    let input = MembershipInput {
        organisation_id: organisation.into(),
        role: MembershipRole::Partner,
        joined_on: Some(joined),
    };
    app.db.add_membership(&Actor::cli(), network, &input).await.unwrap()
}

async fn meeting(app: &TestApp, network: &str, title: &str, day: &str, invitees: &[(InviteeKind, String)]) -> String {
    let starts_at = chrono::DateTime::parse_from_rfc3339(&format!("{day}T08:00:00Z")).unwrap().to_utc();
    let draft = MeetingDraft {
        title: title.into(),
        kind: MeetingKind::Workshop,
        mode: MeetingMode::InPerson,
        place: "Sala".into(),
        link: String::new(),
        starts_at,
        ends_at: starts_at + chrono::Duration::hours(2),
        agenda: String::new(),
        registration_open: true,
        capacity: None,
        recurrence: None,
    };
    let changes = MeetingChanges { draft: &draft, invitees, room_base: None };
    app.db.create_meetings(&Actor::cli(), network, &changes).await.unwrap().remove(0)
}

/// Adda–Brembo share x (from 2020); Brembo–Chiese shared y until 30/06/2024; Chiese's workshop
/// of 10/03/2025 invited Dora; a person of z (Dora's only) was present at Adda's meeting of
/// 01/04/2025; w, in Adda, came to Adda's meeting too (no tie: it came as Adda's).
async fn programme(app: &TestApp) -> Programme {
    let actor = Actor::cli();
    let mut networks = Vec::new();
    for name in ["Rete Adda", "Rete Brembo", "Rete Chiese", "Rete Dora"] {
        networks.push(network(app, name).await);
    }
    let x = app.organisation("=HYPERLINK(\"http://x\") Coop", "00743110157").await;
    let y = app.organisation("Associazione <Ponte>", "02372760005").await;
    let z = app.organisation("Comune di Dora", "03416380008").await;
    let w = app.organisation("Istituto Adda", "10032000001").await;
    member(app, &networks[0], &x, date!(2020 - 01 - 01)).await;
    member(app, &networks[1], &x, date!(2020 - 01 - 01)).await;
    member(app, &networks[1], &y, date!(2020 - 01 - 01)).await;
    let leaving = member(app, &networks[2], &y, date!(2020 - 01 - 01)).await;
    app.db.end_membership(&actor, &networks[2], &leaving, date!(2024 - 06 - 30)).await.unwrap();
    member(app, &networks[3], &z, date!(2020 - 01 - 01)).await;
    member(app, &networks[0], &w, date!(2020 - 01 - 01)).await;
    meeting(app, &networks[2], "Workshop con Dora", "2025-03-10", &[(InviteeKind::Network, networks[3].clone())]).await;
    let adda = meeting(app, &networks[0], "Incontro di Adda", "2025-04-01", &[]).await;
    let mut lines = Vec::new();
    for (name, organisation) in [("Zeno Dora", &z), ("Walter Adda", &w)] {
        let input = PersonInput { name: PersonName::parse(name).unwrap(), email: None, phone: String::new() };
        let person = app.db.create_person(&actor, &input).await.unwrap().id;
        app.db.add_affiliation(&actor, &person, organisation, "Operatore").await.unwrap();
        lines.push(Attendance { person_id: person, present: true, minutes: 120, role: String::new() });
    }
    app.db.record_attendance(&actor, &adda, &lines, None).await.unwrap();
    Programme { networks }
}

/// Another programme with its own coordinator.
async fn outsider(app: &TestApp) -> reti_store::users::User {
    let other = app.db.create_programme(&Actor::cli(), "ALTRO-1", "Altro programma").await.unwrap();
    let new = NewUser {
        email: Email::parse("altra@prova.it").unwrap(),
        name: PersonName::parse("Altra Coordinatrice").unwrap(),
        password: Some(reti_domain::Password::parse(crate::harness::PASSWORD, &[]).unwrap()),
        is_admin: false,
    };
    app.db.create_user_with_roles(&Actor::cli(), new, &[(other.id, Role::Coordinator)]).await.unwrap()
}

app_tests! {
    async fn the_coordination_sees_every_tie_and_its_change(app: TestApp) {
        let p = programme(&app).await;
        let coordinator = app.user().role(Role::Coordinator).create().await;
        app.login(&coordinator.email).await;
        let base = format!("/programmes/{}/ties", app.programme_id);
        assert!(app.get(&format!("/programmes/{}", app.programme_id)).await.body.contains(&base), "the programme links its ties");

        let page = app.get(&format!("{base}?at=2025-05-01&since=2024-05-01")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let body = &page.body;
        assert!(body.contains("role=\"img\"") && body.contains("<title id=\"ties-title\">"), "{body}");
        // Three ties on 01/05/2025: Adda–Brembo (x), Adda–Dora (z present), Chiese–Dora (workshop);
        // Adda–Chiese is not a tie (w came to Adda's meeting as Adda's member).
        assert!(body.contains("4 reti, 3 legami, densità 0.500"), "{body}");
        assert!(!body.contains("Associazione &#60;Ponte&#62;"), "y left Chiese before: {body}");
        assert!(body.contains("Workshop con Dora (10/03/2025)") && body.contains("Incontro di Adda (01/04/2025)"), "{body}");
        // A path Brembo–Adda–Dora–Chiese: every tie a bridge, Adda and Dora the hubs.
        assert_eq!(body.matches("<td>sì</td>").count(), 3 + 2, "{body}");
        // On 01/05/2024: Adda–Brembo and Brembo–Chiese; since then one lost, two gained.
        assert!(body.contains("Rete Brembo — Rete Chiese"), "lost: {body}");
        assert!(body.contains("Rete Adda — Rete Dora") && body.contains("Rete Chiese — Rete Dora"), "gained: {body}");
        assert!(body.contains("0.500 (al 01/05/2024: 0.333; +0.167)"), "{body}");

        // The API says the same.
        let token = app.token_for(&coordinator).await;
        let api = app.api_get(&format!("/api/v1/programmes/{}/ties?at=2025-05-01&since=2024-05-01", app.programme_id), Some(&token)).await;
        assert_eq!(api.status, StatusCode::OK, "{}", api.body);
        let json = api.json();
        assert_eq!(json["scope"], "whole");
        assert_eq!(json["ties"].as_array().unwrap().len(), 3);
        let adda_dora = json["ties"].as_array().unwrap().iter().find(|t| {
            let pair = [t["source"].as_str().unwrap(), t["target"].as_str().unwrap()];
            pair.contains(&p.networks[0].as_str()) && pair.contains(&p.networks[3].as_str())
        }).unwrap();
        assert_eq!(adda_dora["kind"], "meetings");
        assert_eq!(adda_dora["bridge"], true);
        assert_eq!(json["change"]["lost"], serde_json::json!([["Rete Brembo", "Rete Chiese"]]));
        let adda = json["networks"].as_array().unwrap().iter().find(|n| n["id"] == p.networks[0].as_str()).unwrap();
        assert_eq!(adda["cut_point"], true);
        assert!((adda["betweenness"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-12, "{adda}");
        assert_eq!(json["shared_organisations"].as_array().unwrap().len(), 1);

        // Earlier, y was in Brembo and Chiese: listed as an organisation in several networks.
        let early = app.get(&format!("{base}?at=2024-05-01")).await;
        assert!(early.body.contains("Associazione &#60;Ponte&#62;</a>: Rete Brembo; Rete Chiese"), "{}", early.body);
    }

    async fn files_are_formula_safe_and_well_formed(app: TestApp) {
        programme(&app).await;
        let coordinator = app.user().role(Role::Coordinator).create().await;
        app.login(&coordinator.email).await;
        let base = format!("/programmes/{}/ties", app.programme_id);
        let csv = app.get(&format!("{base}/export?format=csv&at=2025-05-01")).await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.body.contains("'=HYPERLINK"), "{}", csv.body);
        assert!(!csv.body.contains(";=HYPERLINK") && !csv.body.contains(";\"=HYPERLINK"), "{}", csv.body);
        let xlsx = app.get(&format!("{base}/export?format=xlsx&at=2025-05-01")).await;
        assert_eq!(xlsx.status, StatusCode::OK);
        assert!(xlsx.bytes.starts_with(b"PK"));
        assert_eq!(app.get(&format!("{base}/export?format=pdf")).await.status, StatusCode::UNPROCESSABLE_ENTITY);

        let gexf = app.get(&format!("{base}.gexf?at=2025-05-01")).await;
        assert_eq!(gexf.status, StatusCode::OK);
        let (nodes, edges) = elements(&gexf.body);
        assert_eq!((nodes, edges), (4, 3), "{}", gexf.body);
        let graphml = app.get(&format!("{base}.graphml?at=2025-05-01")).await;
        assert_eq!(graphml.status, StatusCode::OK);
        assert_eq!(elements(&graphml.body), (4, 3), "{}", graphml.body);
    }

    async fn bad_dates_are_named(app: TestApp) {
        programme(&app).await;
        let coordinator = app.user().role(Role::Coordinator).create().await;
        app.login(&coordinator.email).await;
        let base = format!("/programmes/{}/ties", app.programme_id);
        let bad = app.get(&format!("{base}?at=31/02/2025")).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("«Alla data»"), "{}", bad.body);
        let reversed = app.get(&format!("{base}?at=2024-01-01&since=2025-01-01")).await;
        assert_eq!(reversed.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reversed.body.contains("dev&#39;essere precedente"), "{}", reversed.body);
        assert_eq!(app.get(&format!("{base}.gexf?at=domani")).await.status, StatusCode::UNPROCESSABLE_ENTITY);
        let token = app.token_for(&coordinator).await;
        let api = app.api_get(&format!("/api/v1/programmes/{}/ties?since=2999-01-01", app.programme_id), Some(&token)).await;
        assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY);
    }

    async fn members_see_their_networks_ties_and_outsiders_nothing(app: TestApp) {
        let p = programme(&app).await;
        let base = format!("/programmes/{}/ties?at=2025-05-01", app.programme_id);

        // A member of Dora: the ties of Dora (with Adda and Chiese), not Brembo.
        let member = app.user().create().await;
        app.db.assign_to_network(&Actor::cli(), &member.id, &p.networks[3], Role::NetworkMember).await.unwrap();
        app.login(&member.email).await;
        let page = app.get(&base).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("Vedi i legami delle reti su cui lavori"));
        assert!(page.body.contains("Rete Adda") && page.body.contains("Rete Chiese"));
        assert!(!page.body.contains("Rete Brembo"), "{}", page.body);
        assert!(!page.body.contains("HYPERLINK"), "x is shared by Adda and Brembo, not Dora's: {}", page.body);
        let token = app.token_for(&member).await;
        let api = app.api_get(&format!("/api/v1/programmes/{}/ties?at=2025-05-01", app.programme_id), Some(&token)).await;
        assert_eq!(api.json()["scope"], "networks");
        assert_eq!(api.json()["ties"].as_array().unwrap().len(), 2);
        let gexf = app.get(&format!("/programmes/{}/ties.gexf?at=2025-05-01", app.programme_id)).await;
        assert!(!gexf.body.contains("Rete Brembo"));

        // A facilitator of one network sees the whole programme.
        let facilitator = app.user().create().await;
        app.db.assign_to_network(&Actor::cli(), &facilitator.id, &p.networks[0], Role::Facilitator).await.unwrap();
        app.login(&facilitator.email).await;
        assert!(app.get(&base).await.body.contains("Rete Brembo"));

        // Someone with no part in the programme, and another programme's coordinator: 403; an
        // unknown programme: 404.
        let nobody = app.user().create().await;
        app.login(&nobody.email).await;
        assert_eq!(app.get(&base).await.status, StatusCode::FORBIDDEN);
        let other = outsider(&app).await;
        app.login(&other.email).await;
        assert_eq!(app.get(&base).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.get(&format!("/programmes/{}/ties.graphml", app.programme_id)).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.get(&format!("/programmes/{}/ties/export?format=csv", app.programme_id)).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.get("/programmes/nessuno/ties").await.status, StatusCode::NOT_FOUND);
        let token = app.token_for(&other).await;
        let api = app.api_get(&format!("/api/v1/programmes/{}/ties", app.programme_id), Some(&token)).await;
        assert_eq!(api.status, StatusCode::FORBIDDEN);
        assert_eq!(app.api_get(&format!("/api/v1/programmes/{}/ties", app.programme_id), None).await.status, StatusCode::UNAUTHORIZED);
    }
}

/// The nodes and edges of a GEXF or GraphML file, checking that it is well-formed XML.
fn elements(xml: &str) -> (usize, usize) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let (mut nodes, mut edges) = (0, 0);
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "node" => nodes += 1,
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "edge" => edges += 1,
            _ => {}
        }
    }
    (nodes, edges)
}
