//! Thematic labs on both engines: creating and changing a lab, the enrolment rules (open or by
//! invitation, capacity, people outside the programme), isolation route by route, sessions that
//! are meetings linked to their lab, materials with the attachments' limits, and the API.

use crate::app_tests;
use crate::harness::{TestApp, TestResponse};
use axum::http::{Method, StatusCode};
use reti_domain::{NetworkStatus, Role};
use reti_store::Actor;
use reti_store::registry::networks::{Network, NetworkInput};
use reti_store::users::User;

async fn network(app: &TestApp, programme_id: &str, name: &str) -> Network {
    let input = NetworkInput {
        programme_id: programme_id.to_owned(),
        name: name.into(),
        description: String::new(),
        maturity: None,
        status: NetworkStatus::Active,
        municipality_codes: vec!["015146".into()],
        action_line_ids: Vec::new(),
    };
    app.db.create_network(&Actor::cli(), &input).await.unwrap()
}

async fn member_of(app: &TestApp, network: &Network) -> User {
    let user = app.user().create().await;
    app.db.assign_to_network(&Actor::cli(), &user.id, &network.id, Role::NetworkMember).await.unwrap();
    user
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(app.db.pool()).await.unwrap()
}

fn assert_refused(response: &TestResponse, label: &str) {
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", response.body);
    assert!(response.body.contains(label), "the message names «{label}»: {}", response.body);
}

/// Two networks of the programme with a member each, a network of another programme with its
/// member, the coordination, and an expert account.
struct World {
    adda: Network,
    brembo: Network,
    anna: User,
    bruno: User,
    outsider: User,
    coordinator: User,
    expert: User,
}

async fn world(app: &TestApp) -> World {
    app.db.put_action_line(&Actor::cli(), &app.programme_id, 1, "Scuola").await.unwrap();
    app.db.put_action_line(&Actor::cli(), &app.programme_id, 2, "Servizi").await.unwrap();
    let adda = network(app, &app.programme_id, "Rete Adda").await;
    let brembo = network(app, &app.programme_id, "Rete Brembo").await;
    let other = app.db.create_programme(&Actor::cli(), "ALTRO-1", "Altro programma").await.unwrap();
    let elsewhere = network(app, &other.id, "Rete Altrove").await;
    World {
        anna: member_of(app, &adda).await,
        bruno: member_of(app, &brembo).await,
        outsider: member_of(app, &elsewhere).await,
        coordinator: app.user().role(Role::Coordinator).create().await,
        expert: app.user().create().await,
        adda,
        brembo,
    }
}

fn lab_fields<'a>(programme_id: &'a str, overrides: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("programme_id", programme_id),
        ("title", "Scuola e territorio"),
        ("theme", "Dispersione scolastica"),
        ("action_line", "1"),
        ("description", "Un **confronto** tra reti.<script>alert(1)</script>"),
        ("enrolment", "open"),
        ("capacity", "2"),
        ("status", "running"),
    ];
    for (key, value) in overrides {
        fields.retain(|(k, _)| k != key);
        fields.push((key, value));
    }
    fields
}

/// Creates a lab through the form as the coordinator; returns its id.
async fn create_lab(app: &TestApp, world: &World, overrides: &[(&str, &str)]) -> String {
    app.login(&world.coordinator.email).await;
    let response = app.post("/labs", &lab_fields(&app.programme_id, overrides)).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    response.location().trim_start_matches("/labs/").to_owned()
}

app_tests! {
    async fn a_lab_is_created_people_enrol_within_capacity_and_leave(app: TestApp) {
        let world = world(&app).await;
        // Bad input: named, translated, nothing saved.
        app.login(&world.coordinator.email).await;
        assert_eq!(app.get("/labs/new").await.status, StatusCode::OK);
        for capacity in ["0", "-4", "tre"] {
            let refused = app.post("/labs", &lab_fields(&app.programme_id, &[("capacity", capacity)])).await;
            assert_refused(&refused, "«Posti disponibili»");
        }
        let refused = app.post("/labs", &lab_fields(&app.programme_id, &[("title", ""), ("enrolment", "tutti")])).await;
        assert_refused(&refused, "«Titolo»");
        assert_refused(&refused, "«Iscrizione»");
        // An action line the programme does not have.
        let refused = app.post("/labs", &lab_fields(&app.programme_id, &[("action_line", "7")])).await;
        assert_refused(&refused, "«Linea d");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM labs").await, 0);

        let id = create_lab(&app, &world, &[]).await;
        let page = app.get(&format!("/labs/{id}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("<strong>confronto</strong>"), "Markdown rendered");
        assert!(!page.body.contains("<script>alert(1)"), "and sanitised");
        let list = app.get("/labs").await;
        assert!(list.body.contains(&format!("/labs/{id}")), "{}", list.body);
        assert!(app.get("/labs?status=closed").await.body.contains("Nessun laboratorio"));
        assert!(app.get("/labs?action_line=1").await.body.contains(&format!("/labs/{id}")));

        // Anna and Bruno enrol from their networks; a third person finds it full.
        app.logout_locally();
        app.login(&world.anna.email).await;
        let shown = app.get(&format!("/labs/{id}")).await;
        assert!(shown.body.contains("Iscriviti al laboratorio"), "{}", shown.body);
        let enrolled = app.post(&format!("/labs/{id}/enrol"), &[("network_id", &world.adda.id)]).await;
        assert_eq!(enrolled.status, StatusCode::SEE_OTHER, "{}", enrolled.body);
        // From a network that is not hers: refused, naming the field.
        app.post(&format!("/labs/{id}/leave"), &[]).await;
        let foreign = app.post(&format!("/labs/{id}/enrol"), &[("network_id", &world.brembo.id)]).await;
        assert_refused(&foreign, "«Persona»");
        app.post(&format!("/labs/{id}/enrol"), &[("network_id", &world.adda.id)]).await;
        app.logout_locally();
        app.login(&world.bruno.email).await;
        app.post(&format!("/labs/{id}/enrol"), &[("network_id", &world.brembo.id)]).await;
        let third = member_of(&app, &world.brembo).await;
        app.logout_locally();
        app.login(&third.email).await;
        assert!(app.get(&format!("/labs/{id}")).await.body.contains("al completo"));
        let full = app.post(&format!("/labs/{id}/enrol"), &[("network_id", &world.brembo.id)]).await;
        assert_refused(&full, "al completo");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM lab_participants").await, 2);

        // Participants by network.
        let lab = app.db.lab(&id).await.unwrap().unwrap();
        assert_eq!(lab.participant_networks().iter().map(|n| n.1.as_str()).collect::<Vec<_>>(), ["Rete Adda", "Rete Brembo"]);
        let page = app.get(&format!("/labs/{id}")).await.body;
        assert!(page.find("Rete Adda").unwrap() < page.find("Rete Brembo").unwrap());

        // The capacity cannot go below who is enrolled; leaving frees a place.
        app.logout_locally();
        app.login(&world.coordinator.email).await;
        let below = app.post(&format!("/labs/{id}"), &lab_fields(&app.programme_id, &[("capacity", "1")])).await;
        assert_refused(&below, "«Posti disponibili»");
        assert_eq!(app.db.lab(&id).await.unwrap().unwrap().capacity, Some(2));
        app.logout_locally();
        app.login(&world.bruno.email).await;
        assert_eq!(app.post(&format!("/labs/{id}/leave"), &[]).await.status, StatusCode::SEE_OTHER);
        app.logout_locally();
        app.login(&third.email).await;
        assert_eq!(app.post(&format!("/labs/{id}/enrol"), &[("network_id", &world.brembo.id)]).await.status, StatusCode::SEE_OTHER);
        let audited = count(&app, "SELECT COUNT(*) FROM audit_log WHERE entity = 'lab'").await;
        assert!(audited >= 7, "every change is audited: {audited}");
    }

    async fn invitation_only_labs_take_people_and_networks_from_the_coordination_and_experts(app: TestApp) {
        let world = world(&app).await;
        let id = create_lab(&app, &world, &[("enrolment", "invitation"), ("capacity", "")]).await;
        // The coordination names an expert by account and one as a guest.
        let unknown = app.post(&format!("/labs/{id}/experts"), &[("user_id", "nessuno@example.org")]).await;
        assert_refused(&unknown, "nessun account");
        let guest = app.post(&format!("/labs/{id}/experts"), &[("name", ""), ("email", "non-valido"), ("organisation", "")]).await;
        assert_refused(&guest, "«Nome»");
        assert_eq!(app.post(&format!("/labs/{id}/experts"), &[("user_id", &world.expert.email)]).await.status, StatusCode::SEE_OTHER);
        assert_eq!(app.post(&format!("/labs/{id}/experts"), &[("name", "Laura Bianchi"), ("email", "laura@uni.example"), ("organisation", "Università")]).await.status, StatusCode::SEE_OTHER);
        assert_eq!(app.db.lab(&id).await.unwrap().unwrap().experts.len(), 2);

        // Someone of the programme cannot enrol on their own.
        app.logout_locally();
        app.login(&world.anna.email).await;
        let refused = app.post(&format!("/labs/{id}/enrol"), &[("network_id", &world.adda.id)]).await;
        assert_refused(&refused, "solo su invito");
        // Nor invite anyone, nor change the lab.
        let invite = format!("{}|{}", world.anna.id, world.adda.id);
        assert_eq!(app.post(&format!("/labs/{id}/invite"), &[("person", &invite)]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.get(&format!("/labs/{id}/edit")).await.status, StatusCode::FORBIDDEN);

        // The expert invites a person and a whole network; not someone of another programme.
        app.logout_locally();
        app.login(&world.expert.email).await;
        assert_eq!(app.get(&format!("/labs/{id}")).await.status, StatusCode::OK);
        assert_eq!(app.post(&format!("/labs/{id}/invite"), &[("person", &invite)]).await.status, StatusCode::SEE_OTHER);
        let outsider = format!("{}|{}", world.outsider.id, world.outsider.id);
        let refused = app.post(&format!("/labs/{id}/invite"), &[("person", &outsider)]).await;
        assert_refused(&refused, "non lavora su quella rete");
        member_of(&app, &world.brembo).await;
        assert_eq!(app.post(&format!("/labs/{id}/invite"), &[("network_id", &world.brembo.id)]).await.status, StatusCode::SEE_OTHER);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM lab_participants").await, 3);
        // The expert does not manage experts.
        assert_eq!(app.post(&format!("/labs/{id}/experts"), &[("user_id", &world.anna.email)]).await.status, StatusCode::FORBIDDEN);

        // With a capacity, a whole network past it is refused, all or nothing.
        app.logout_locally();
        app.login(&world.coordinator.email).await;
        let second = create_lab(&app, &world, &[("enrolment", "invitation"), ("capacity", "1"), ("title", "Sportelli")]).await;
        let refused = app.post(&format!("/labs/{second}/invite"), &[("network_id", &world.brembo.id)]).await;
        assert_refused(&refused, "al completo");
        assert_eq!(app.db.lab(&second).await.unwrap().unwrap().participants.len(), 0);
    }

    async fn nobody_outside_the_programme_reaches_a_lab(app: TestApp) {
        let world = world(&app).await;
        let id = create_lab(&app, &world, &[]).await;
        let material = app.upload(&format!("/labs/{id}/materials"), &[("csrf_token", &app.csrf().await)], "traccia.txt", b"Traccia del laboratorio").await;
        assert_eq!(material.status, StatusCode::SEE_OTHER, "{}", material.body);
        let material_id = app.db.lab(&id).await.unwrap().unwrap().materials[0].id.clone();
        app.logout_locally();
        app.login(&world.outsider.email).await;
        assert!(!app.get("/labs").await.body.contains(&format!("/labs/{id}")));
        let gets = [
            format!("/labs/{id}"),
            format!("/labs/{id}/edit"),
            format!("/labs/{id}/materials/{material_id}"),
            format!("/labs/{id}/sessions/new"),
        ];
        for path in &gets {
            assert_eq!(app.get(path).await.status, StatusCode::NOT_FOUND, "{path}");
        }
        let posts = [
            format!("/labs/{id}"),
            format!("/labs/{id}/enrol"),
            format!("/labs/{id}/leave"),
            format!("/labs/{id}/invite"),
            format!("/labs/{id}/participants/{}/remove", world.anna.id),
            format!("/labs/{id}/experts"),
            format!("/labs/{id}/experts/x/remove"),
            format!("/labs/{id}/materials/{material_id}/delete"),
        ];
        for path in &posts {
            assert_eq!(app.post(path, &[("network_id", &world.adda.id)]).await.status, StatusCode::NOT_FOUND, "{path}");
        }
        let token = app.token_for(&world.outsider).await;
        assert_eq!(app.api_get(&format!("/api/v1/labs/{id}"), Some(&token)).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.api_get("/api/v1/labs", Some(&token)).await.json()["total"], 0);
        // A member of the programme reads it and its material, but does not change it.
        app.logout_locally();
        app.login(&world.anna.email).await;
        let download = app.get(&format!("/labs/{id}/materials/{material_id}")).await;
        assert_eq!(download.status, StatusCode::OK);
        assert_eq!(download.body, "Traccia del laboratorio");
        assert_eq!(app.post(&format!("/labs/{id}/materials/{material_id}/delete"), &[]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.get("/labs/new").await.status, StatusCode::FORBIDDEN);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM lab_materials").await, 1);
    }

    async fn materials_keep_the_attachments_limits(app: TestApp) {
        let world = world(&app).await;
        let id = create_lab(&app, &world, &[]).await;
        let path = format!("/labs/{id}/materials");
        let token = app.csrf().await;
        let wrong = app.upload(&path, &[("csrf_token", &token)], "programma.exe", b"MZ\x90\x00 not a document").await;
        assert_refused(&wrong, "«File» non è di un tipo ammesso");
        let disguised = app.upload(&path, &[("csrf_token", &token)], "traccia.pdf", b"MZ not a pdf").await;
        assert_refused(&disguised, "non è di un tipo ammesso");
        let big = vec![b'a'; (reti_domain::meetings::MAX_ATTACHMENT_BYTES + 1) as usize];
        let large = app.upload(&path, &[("csrf_token", &token)], "note.txt", &big).await;
        assert_refused(&large, "«File» supera i 10 MB");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM lab_materials").await, 0);
        let ok = app.upload(&path, &[("csrf_token", &token)], "../scheda.pdf", b"%PDF-1.7\n%test\n").await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let lab = app.db.lab(&id).await.unwrap().unwrap();
        assert_eq!(lab.materials[0].file_name, "scheda.pdf");
        let file = app.data_dir().join("attachments").join(&id).join(&lab.materials[0].id);
        assert!(file.exists());
        // The sweep of files without a row keeps materials.
        let removed = reti_web::attachments::sweep_orphans(&app.db, app.data_dir(), std::time::Duration::ZERO).await.unwrap();
        assert_eq!(removed, 0);
        let deleted = app.post(&format!("/labs/{id}/materials/{}/delete", lab.materials[0].id), &[]).await;
        assert_eq!(deleted.status, StatusCode::SEE_OTHER);
        assert!(!file.exists());
        assert_eq!(count(&app, "SELECT COUNT(*) FROM lab_materials").await, 0);
    }

    async fn a_session_is_a_lab_meeting_inviting_the_participants_networks(app: TestApp) {
        let world = world(&app).await;
        let id = create_lab(&app, &world, &[]).await;
        app.db.add_lab_expert_account(&Actor::cli(), &id, &world.expert.id).await.unwrap();
        for (user, network) in [(&world.anna, &world.adda), (&world.bruno, &world.brembo)] {
            app.db.enrol_in_lab(&Actor::cli(), &id, &[(user.id.clone(), network.id.clone())], reti_domain::labs::Joiner::Themself).await.unwrap();
        }
        // The expert, who works on no network, adds a session hosted by Rete Adda.
        app.logout_locally();
        app.login(&world.expert.email).await;
        let to_form = app.get(&format!("/labs/{id}/sessions/new?network_id={}", world.adda.id)).await;
        assert_eq!(to_form.status, StatusCode::SEE_OTHER);
        let form_path = to_form.location().to_owned();
        assert_eq!(form_path, format!("/networks/{}/meetings/new?lab={id}", world.adda.id));
        let form = app.get(&form_path).await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        assert!(form.body.contains(&format!("name=\"lab_id\" value=\"{id}\"")), "{}", form.body);
        assert!(form.body.contains("value=\"lab\" selected"));
        assert!(form.body.contains(&format!("id=\"net-{}\"", world.brembo.id)), "the other network is invited");
        let fields = [
            ("title", "Prima sessione"),
            ("kind", "lab"),
            ("mode", "in_presenza"),
            ("place", "Milano"),
            ("starts_at", "2030-05-12T10:00"),
            ("ends_at", "2030-05-12T12:00"),
            ("registration_open", "1"),
            ("invite_network", "1"),
            ("invite_networks", world.brembo.id.as_str()),
            ("lab_id", id.as_str()),
        ];
        let created = app.post(&format!("/networks/{}/meetings", world.adda.id), &fields).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let meeting_id = created.location().trim_start_matches("/meetings/").to_owned();
        let meeting = app.db.meeting(&meeting_id).await.unwrap().unwrap();
        assert_eq!(meeting.lab_id.as_deref(), Some(id.as_str()));
        assert_eq!(meeting.kind.code(), "lab");
        // The expert sees and manages the session; the lab lists it.
        assert_eq!(app.get(&format!("/meetings/{meeting_id}")).await.status, StatusCode::OK);
        assert_eq!(app.get(&format!("/meetings/{meeting_id}/edit")).await.status, StatusCode::OK);
        assert!(app.get(&format!("/labs/{id}")).await.body.contains(&format!("/meetings/{meeting_id}")));
        // A participant of the other network sees the session, without managing it.
        app.logout_locally();
        app.login(&world.bruno.email).await;
        assert_eq!(app.get(&format!("/meetings/{meeting_id}")).await.status, StatusCode::OK);
        assert_eq!(app.get(&format!("/meetings/{meeting_id}/edit")).await.status, StatusCode::FORBIDDEN);
        // Nor can a participant schedule sessions, even naming the lab.
        let refused = app.post(&format!("/networks/{}/meetings", world.brembo.id), &fields).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        // A lab of another programme does not exist for a network of this one.
        let other = app.db.create_programme(&Actor::cli(), "ALTRO-2", "Altro").await.unwrap();
        let input = reti_domain::labs::LabInput::parse(&reti_domain::labs::LabRaw {
            title: "Altrove".into(),
            theme: "Tema".into(),
            enrolment: "open".into(),
            ..Default::default()
        })
        .unwrap();
        let foreign = app.db.create_lab(&Actor::cli(), &other.id, &input).await.unwrap();
        app.logout_locally();
        app.login(&world.coordinator.email).await;
        let path = format!("/networks/{}/meetings/new?lab={foreign}", world.adda.id);
        assert_eq!(app.get(&path).await.status, StatusCode::NOT_FOUND);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM meetings WHERE lab_id IS NOT NULL").await, 1);
    }

    async fn the_api_lists_reads_creates_changes_and_enrols(app: TestApp) {
        let world = world(&app).await;
        let coordinator = app.token_for(&world.coordinator).await;
        let body = serde_json::json!({"programme_id": app.programme_id, "title": "Sportelli", "theme": "Informazione",
            "action_line": 2, "enrolment": "open", "capacity": 0});
        let refused = app.api_send(Method::POST, "/api/v1/labs", Some(&coordinator), body.clone()).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
        assert!(refused.body.contains("capacity"), "{}", refused.body);
        let mut good = body.clone();
        good["capacity"] = serde_json::json!(10);
        let anna = app.token_for(&world.anna).await;
        assert_eq!(app.api_send(Method::POST, "/api/v1/labs", Some(&anna), good.clone()).await.status, StatusCode::FORBIDDEN);
        let created = app.api_send(Method::POST, "/api/v1/labs", Some(&coordinator), good.clone()).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let id = created.json()["id"].as_str().unwrap().to_owned();
        let mut changed = good.clone();
        changed["status"] = serde_json::json!("running");
        let put = app.api_send(Method::PUT, &format!("/api/v1/labs/{id}"), Some(&coordinator), changed).await;
        assert_eq!(put.json()["status"], "running");
        let enrolled = app.api_send(Method::POST, &format!("/api/v1/labs/{id}/enrolment"), Some(&anna), serde_json::json!({"network_id": world.adda.id})).await;
        assert_eq!(enrolled.status, StatusCode::OK, "{}", enrolled.body);
        assert_eq!(enrolled.json()[0]["network_name"], "Rete Adda");
        let participants = app.api_get(&format!("/api/v1/labs/{id}/participants"), Some(&anna)).await;
        assert_eq!(participants.json().as_array().unwrap().len(), 1);
        let list = app.api_get("/api/v1/labs?status=running", Some(&anna)).await;
        assert_eq!(list.json()["total"], 1);
        assert_eq!(list.json()["items"][0]["participants"], 1);
        let one = app.api_get(&format!("/api/v1/labs/{id}"), Some(&anna)).await;
        assert_eq!(one.json()["title"], "Sportelli");
        let left = app.api_send(Method::DELETE, &format!("/api/v1/labs/{id}/enrolment"), Some(&anna), serde_json::json!({})).await;
        assert_eq!(left.status, StatusCode::NO_CONTENT);
        assert_eq!(app.db.lab(&id).await.unwrap().unwrap().participants.len(), 0);
        assert_eq!(app.api_send(Method::PUT, &format!("/api/v1/labs/{id}"), Some(&anna), good).await.status, StatusCode::FORBIDDEN);
    }

    async fn the_lab_pages_cost_the_same_statements_whatever_their_lists(app: TestApp) {
        let world = world(&app).await;
        let id = create_lab(&app, &world, &[("capacity", "")]).await;
        let statements = async |path: &str| {
            let warm = app.get(path).await;
            assert_eq!(warm.status, StatusCode::OK, "{path}");
            let before = app.db.statements();
            app.get(path).await;
            app.db.statements() - before
        };
        let grow = async |n: usize| {
            for _ in 0..n {
                let user = member_of(&app, &world.brembo).await;
                app.db.enrol_in_lab(&Actor::cli(), &id, &[(user.id, world.brembo.id.clone())], reti_domain::labs::Joiner::Manager).await.unwrap();
                let guest = reti_domain::labs::GuestExpert::parse("Ospite", "ospite@example.org", "Ente").unwrap();
                app.db.add_lab_guest_expert(&Actor::cli(), &id, &guest).await.unwrap();
            }
        };
        grow(1).await;
        let (few_page, few_list) = (statements(&format!("/labs/{id}")).await, statements("/labs").await);
        grow(4).await;
        let (many_page, many_list) = (statements(&format!("/labs/{id}")).await, statements("/labs").await);
        assert_eq!((few_page, few_list), (many_page, many_list));
        // The lab's page: its row, sessions, the people and networks to invite, and its latest
        // threads and documents with their totals (decision 0040).
        assert!(many_page <= 9 && many_list <= 3, "lab page {many_page}, list {many_list}");
    }
}
