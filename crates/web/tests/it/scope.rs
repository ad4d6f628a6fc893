//! The scope of programme and personal data (decision 0010) across pages, API, import and
//! export; formula-safe CSV; JSON body errors that name the field.

use crate::app_tests;
use crate::harness::TestApp;
use axum::http::{Method, StatusCode};
use reti_domain::taxcode::TaxCode;
use reti_domain::{Email, MembershipRole, NetworkStatus, PersonName, Role};
use reti_store::Actor;
use reti_store::audit::Filter;
use reti_store::registry::networks::{MembershipInput, Network, NetworkInput};
use reti_store::registry::organisations::OrganisationInput;
use reti_store::registry::people::PersonInput;
use reti_store::users::User;
use serde_json::json;

/// Programme A (the test programme) and programme B, each with one network, its lead organisation
/// and one person working there. Alfa's lead also left Beta in the past (history private to B).
struct World {
    programme_b: String,
    alfa: Network,
    beta: Network,
    person_b: String,
}

async fn network(app: &TestApp, programme_id: &str, name: &str, lead: &str) -> Network {
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
    let membership = MembershipInput { organisation_id: lead.into(), role: MembershipRole::Lead, joined_on: None };
    app.db.add_membership(&Actor::cli(), &network.id, &membership).await.unwrap();
    app.db.network(&network.id).await.unwrap().unwrap()
}

async fn person(app: &TestApp, actor: &Actor, name: &str, email: &str, organisation: Option<&str>) -> String {
    let input = PersonInput {
        name: PersonName::parse(name).unwrap(),
        email: Some(Email::parse(email).unwrap()),
        phone: String::new(),
    };
    let id = app.db.create_person(actor, &input).await.unwrap().id;
    if let Some(organisation) = organisation {
        app.db.add_affiliation(actor, &id, organisation, "Referente").await.unwrap();
    }
    id
}

async fn world(app: &TestApp) -> World {
    let programme_b = app.db.create_programme(&Actor::cli(), "PROG-9999", "Altro programma").await.unwrap().id;
    let alfa_lead = app.organisation("Cooperativa Alfa", "00743110157").await;
    let beta_lead = app.organisation("Associazione Beta", "01234567897").await;
    let alfa = network(app, &app.programme_id, "Rete Alfa", &alfa_lead).await;
    let beta = network(app, &programme_b, "Rete Beta", &beta_lead).await;
    let past = MembershipInput { organisation_id: alfa_lead.clone(), role: MembershipRole::Supporter, joined_on: None };
    let membership = app.db.add_membership(&Actor::cli(), &beta.id, &past).await.unwrap();
    let left_on = time::macros::date!(2024 - 06 - 30);
    app.db.end_membership(&Actor::cli(), &beta.id, &membership, left_on).await.unwrap();
    person(app, &Actor::cli(), "Anna Alfa", "anna@alfa.example", Some(&alfa_lead)).await;
    let person_b = person(app, &Actor::cli(), "Bruno Beta", "bruno@beta.example", Some(&beta_lead)).await;
    World { programme_b, alfa, beta, person_b }
}

async fn coordinator_of_a(app: &TestApp) -> User {
    app.user().role(Role::Coordinator).create().await
}

app_tests! {
    async fn a_coordinator_exports_only_their_programmes(app: TestApp) {
        world(&app).await;
        let coordinator = coordinator_of_a(&app).await;
        app.login(&coordinator.email).await;

        let networks = app.get("/export/networks.csv").await.body;
        assert!(networks.contains("Rete Alfa") && !networks.contains("Rete Beta"), "{networks}");
        let memberships = app.get("/export/memberships.csv").await.body;
        assert!(memberships.contains("Rete Alfa") && !memberships.contains("Rete Beta"), "{memberships}");
        let organisations = app.get("/export/organisations.json").await.body;
        assert!(organisations.contains("Cooperativa Alfa") && !organisations.contains("Associazione Beta"), "{organisations}");
        let people = app.get("/export/people.csv").await.body;
        assert!(people.contains("Anna Alfa") && !people.contains("Bruno Beta"), "{people}");
        let workbook = app.get("/export/networks.xlsx").await;
        let read = reti_domain::table::read_table(&workbook.bytes).unwrap();
        assert!(read.rows.iter().all(|r| r.cells[0] != "Rete Beta"), "XLSX is scoped too");

        // The administrator exports everything.
        let admin = app.user().admin().create().await;
        app.login(&admin.email).await;
        let all = app.get("/export/networks.csv").await.body;
        assert!(all.contains("Rete Alfa") && all.contains("Rete Beta"));
    }

    async fn a_coordinator_reaches_only_their_people(app: TestApp) {
        let world = world(&app).await;
        let coordinator = coordinator_of_a(&app).await;
        let actor = Actor::user(&coordinator.id, &coordinator.email, None);
        person(&app, &actor, "Carla Nuova", "carla@nuova.example", None).await;
        app.login(&coordinator.email).await;

        let list = app.get("/people").await.body;
        assert!(list.contains("Anna Alfa"), "people of organisations in their networks");
        assert!(list.contains("Carla Nuova"), "people they recorded themselves");
        assert!(!list.contains("Bruno Beta"), "{list}");
        assert_eq!(app.get(&format!("/people/{}", world.person_b)).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.get(&format!("/people/{}/edit", world.person_b)).await.status, StatusCode::NOT_FOUND);

        let token = app.token_for(&coordinator).await;
        let api = app.api_get("/api/v1/people", Some(&token)).await.body;
        assert!(api.contains("Anna Alfa") && !api.contains("Bruno Beta"), "{api}");
        let other = format!("/api/v1/people/{}", world.person_b);
        assert_eq!(app.api_get(&other, Some(&token)).await.status, StatusCode::NOT_FOUND);
        let put = app.api_send(Method::PUT, &other, Some(&token), json!({"name": "Preso"})).await;
        assert_eq!(put.status, StatusCode::NOT_FOUND);
        assert_eq!(app.db.person(&world.person_b).await.unwrap().unwrap().name, "Bruno Beta");
    }

    async fn ended_memberships_stay_private_on_organisation_pages_and_api(app: TestApp) {
        let world = world(&app).await;
        let alfa_lead = world.alfa.memberships.first().map(|m| m.organisation_id.clone()).unwrap();
        let coordinator = coordinator_of_a(&app).await;
        app.login(&coordinator.email).await;
        let page = app.get(&format!("/organisations/{alfa_lead}")).await.body;
        assert!(page.contains("Rete Alfa"));
        assert!(!page.contains("Rete Beta"), "a past membership of B's network is B's private data: {page}");
        let token = app.token_for(&coordinator).await;
        let api = app.api_get(&format!("/api/v1/networks?organisation={alfa_lead}"), Some(&token)).await.json();
        let names: Vec<&str> = api["items"].as_array().unwrap().iter().map(|n| n["name"].as_str().unwrap()).collect();
        assert_eq!(names, vec!["Rete Alfa"]);

        // B's coordination sees its own history.
        let coordinator_b = app.user().create().await;
        app.db.assign_role(&Actor::cli(), &coordinator_b.id, &world.programme_b, Role::Coordinator).await.unwrap();
        app.login(&coordinator_b.email).await;
        assert!(app.get(&format!("/organisations/{alfa_lead}")).await.body.contains("Rete Beta"));
        let token_b = app.token_for(&coordinator_b).await;
        let beta = app.api_get(&format!("/api/v1/networks/{}", world.beta.id), Some(&token_b)).await.json();
        assert!(beta["memberships"].as_array().unwrap().iter().any(|m| m["left_on"] == "2024-06-30"));
        let public = app.api_get(&format!("/api/v1/networks/{}", world.beta.id), Some(&token)).await.json();
        assert!(public["memberships"].as_array().unwrap().iter().all(|m| m["left_on"].is_null()));
    }

    async fn an_import_refuses_rows_of_other_programmes(app: TestApp) {
        let world = world(&app).await;
        let coordinator = coordinator_of_a(&app).await;
        app.login(&coordinator.email).await;
        let token = app.csrf().await;

        let memberships = "Rete;Codice fiscale;Ruolo\nRete Alfa;01234567897;partner\nRete Beta;00743110157;partner\nRete Beta;01234567897;partner\n";
        let refused = app.upload("/import", &[("csrf_token", token.as_str()), ("entity", "memberships")], "adesioni.csv", memberships.as_bytes()).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
        for line in ["<td>3</td><td>Rete</td>", "<td>4</td><td>Rete</td>"] {
            assert!(refused.body.contains(line), "line and field named ({line}): {}", refused.body);
        }
        assert!(!refused.body.contains("<td>2</td>"), "a row of their own network is fine");
        assert!(refused.body.contains("che non coordini"), "the reason is told");

        let networks = "Nome rete;Programma\nRete Nuova;PROG-2463\nRete Intrusa;PROG-9999\n";
        let refused = app.upload("/import", &[("csrf_token", token.as_str()), ("entity", "networks")], "reti.csv", networks.as_bytes()).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("<td>3</td><td>Programma</td>"), "{}", refused.body);

        let people = "Nome e cognome;E-mail\nBruno Rinominato;bruno@beta.example\n";
        let refused = app.upload("/import", &[("csrf_token", token.as_str()), ("entity", "people")], "persone.csv", people.as_bytes()).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("<td>2</td><td>Indirizzo e-mail</td>"), "{}", refused.body);

        let beta = app.db.network(&world.beta.id).await.unwrap().unwrap();
        assert_eq!(beta.current_members().count(), 1, "nothing was written into B");

        // The command line runs as the operator and is not limited.
        let result = app.db.import_file(&Actor::cli(), reti_store::registry::import::Entity::Networks, networks.as_bytes(), true).await.unwrap();
        assert!(result.accepted(), "{:?}", result.errors);
    }

    async fn exported_csv_cells_cannot_run_formulas(app: TestApp) {
        let lead = app.organisation("Cooperativa Alfa", "00743110157").await;
        let formula = "=HYPERLINK(\"http://evil.example\",\"x\")";
        network(&app, &app.programme_id, formula, &lead).await;
        let coordinator = coordinator_of_a(&app).await;
        app.login(&coordinator.email).await;
        let csv = app.get("/export/networks.csv").await;
        let row = csv.body.lines().nth(1).unwrap();
        assert!(row.starts_with("\"'=HYPERLINK("), "{row}");

        // The guarded file goes back in unchanged: the name still matches the network.
        let actor = Actor::user(&coordinator.id, &coordinator.email, None);
        let entity = reti_store::registry::import::Entity::Networks;
        let result = app.db.import_file(&actor, entity, &csv.bytes, true).await.unwrap();
        assert!(result.accepted(), "{:?}", result.errors);
        assert_eq!((result.created, result.updated), (0, 0), "the name read back is the network's own: nothing changes");
        let xlsx = app.get("/export/networks.xlsx").await;
        let read = reti_domain::table::read_table(&xlsx.bytes).unwrap();
        assert_eq!(read.rows[0].cells[0], formula, "XLSX keeps the typed string as it is");
    }

    async fn the_api_cannot_move_a_network_to_a_foreign_programme(app: TestApp) {
        let world = world(&app).await;
        let coordinator = coordinator_of_a(&app).await;
        let token = app.token_for(&coordinator).await;
        let path = format!("/api/v1/networks/{}", world.alfa.id);
        let moved = app.api_send(Method::PUT, &path, Some(&token), json!({"programme_id": world.programme_b, "name": "Rete Alfa"})).await;
        assert_eq!(moved.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", moved.body);
        assert_eq!(moved.json()["error"]["fields"][0]["field"], "programme_id");
        assert_eq!(app.db.network(&world.alfa.id).await.unwrap().unwrap().programme_id, app.programme_id);
        let kept = app.api_send(Method::PUT, &path, Some(&token), json!({"programme_id": app.programme_id, "name": "Rete Alfa"})).await;
        assert_eq!(kept.status, StatusCode::OK, "{}", kept.body);
    }

    async fn a_json_body_of_the_wrong_type_names_the_field(app: TestApp) {
        let coordinator = coordinator_of_a(&app).await;
        let token = app.token_for(&coordinator).await;
        let answer = app.api_send(Method::POST, "/api/v1/organisations", Some(&token), json!({"name": 5})).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
        let field = &answer.json()["error"]["fields"][0];
        assert_eq!(field["field"], "name");
        assert_eq!(field["code"], "error-invalid-type");
        assert!(field["message"].as_str().unwrap().contains("Nome"), "translated, naming the field: {field}");
        let nested = app.api_send(Method::POST, "/api/v1/people", Some(&token), json!({"name": "Anna Neri", "affiliations": [{"position": 3}]})).await;
        assert_eq!(nested.json()["error"]["fields"][0]["field"], "affiliations[0].position");
        let broken = app.request(
            axum::http::Request::post("/api/v1/organisations")
                .header("content-type", "application/json")
                .header("authorization", format!("Bearer {token}"))
                .body(axum::body::Body::from("{\"name\": "))
                .unwrap(),
        ).await;
        assert_eq!(broken.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(broken.json()["error"]["fields"][0]["field"], "body");
    }

    async fn audit_entries_carry_the_programme(app: TestApp) {
        let world = world(&app).await;
        let coordinator = coordinator_of_a(&app).await;
        let actor = Actor::user(&coordinator.id, &coordinator.email, None);
        let alfa_lead = world.alfa.memberships[0].organisation_id.clone();
        let before = app.db.organisation(&alfa_lead).await.unwrap().unwrap();
        let mut input = OrganisationInput {
            name: "Cooperativa Alfa Due".into(),
            kind: before.kind,
            tax_code: TaxCode::parse(&before.tax_code).unwrap(),
            municipality_code: None,
            address: String::new(),
            email: None,
            phone: String::new(),
            website: String::new(),
            resources: Vec::new(),
        };
        app.db.update_organisation(&actor, &alfa_lead, &input).await.unwrap();
        input.name = "Cooperativa Nuova".into();
        input.tax_code = TaxCode::parse("01199250158").unwrap();
        app.db.create_organisation(&actor, &input).await.unwrap();
        person(&app, &actor, "Dora Alfa", "dora@alfa.example", Some(&alfa_lead)).await;

        let filter = Filter { programmes: Some(vec![app.programme_id.clone()]), ..Filter::default() };
        let entries = app.db.audit_entries(&filter, 100, 0).await.unwrap().entries;
        let seen = |entity: &str, action: &str| entries.iter().any(|e| e.entity == entity && e.action == action && e.actor_label == coordinator.email);
        assert!(seen("organisation", "update"), "an organisation's change is filed under its programme");
        assert!(seen("organisation", "create"), "a new organisation is filed under its creator's programme");
        assert!(seen("person", "create") && seen("affiliation", "create"));

        // An import's updates record the state before and after.
        let csv = "Rete;Codice fiscale;Ruolo\nRete Alfa;00743110157;partner\n";
        let result = app.db.import_file(&actor, reti_store::registry::import::Entity::Memberships, csv.as_bytes(), false).await.unwrap();
        assert!(result.accepted() && result.updated == 1, "{:?}", result.errors);
        let entries = app.db.audit_entries(&filter, 100, 0).await.unwrap().entries;
        let update = entries.iter().find(|e| e.entity == "membership" && e.action == "import").unwrap();
        assert!(update.before_json.as_deref().unwrap_or("").contains("lead"), "{:?}", update.before_json);
        assert!(update.after_json.as_deref().unwrap_or("").contains("partner"));
        assert!(entries.iter().any(|e| e.entity == "memberships" && e.action == "import"), "the import's summary is filed under the importer's programme");
    }
}
