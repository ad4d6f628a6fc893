//! The registry from the browser and the API: organisations, networks with per-network isolation,
//! local projects, import with preview and confirmation, export.

use crate::app_tests;
use crate::builders::tax_code;
use crate::harness::TestApp;
use axum::http::{Method, StatusCode, header};
use reti_domain::taxcode::TaxCode;
use reti_domain::{MembershipRole, NetworkStatus, OrganisationKind, Role};
use reti_store::Actor;
use reti_store::registry::networks::{MembershipInput, Network, NetworkInput};
use reti_store::registry::organisations::OrganisationInput;
use reti_store::registry::projects::ProjectInput;
use serde_json::json;

async fn organisation(app: &TestApp, name: &str, tax_code: &str) -> String {
    let input = OrganisationInput {
        name: name.into(),
        kind: OrganisationKind::Municipality,
        tax_code: TaxCode::parse(tax_code).unwrap(),
        municipality_code: Some("015146".into()),
        address: String::new(),
        email: Some(reti_domain::Email::parse("info@ente.example").unwrap()),
        phone: "02 1234".into(),
        website: String::new(),
        resources: Vec::new(),
    };
    app.db.create_organisation(&Actor::cli(), &input).await.unwrap().id
}

/// Two networks, A and B, each with a lead organisation and a local project.
async fn two_networks(app: &TestApp) -> (Network, Network, String) {
    let actor = Actor::cli();
    let mut networks = Vec::new();
    for (name, tax_code) in [("Rete A", "00743110157"), ("Rete B", "01234567897")] {
        let input = NetworkInput {
            programme_id: app.programme_id.clone(),
            name: name.into(),
            description: String::new(),
            maturity: None,
            status: NetworkStatus::Active,
            municipality_codes: vec!["015146".into()],
            action_line_ids: Vec::new(),
        };
        let network = app.db.create_network(&actor, &input).await.unwrap();
        let organisation_id = organisation(app, &format!("Capofila {name}"), tax_code).await;
        let membership = MembershipInput { organisation_id, role: MembershipRole::Lead, joined_on: None };
        app.db.add_membership(&actor, &network.id, &membership).await.unwrap();
        networks.push(network);
    }
    let project = ProjectInput {
        title: "Progetto segreto di A".into(),
        description: String::new(),
        budget_cents: Some(4_200_000),
        starts_on: None,
        ends_on: None,
        action_line_ids: Vec::new(),
    };
    let project = app.db.create_project(&actor, &networks[0].id, &project).await.unwrap();
    let b = networks.pop().unwrap();
    let a = networks.pop().unwrap();
    (a, b, project.id)
}

async fn member_of(app: &TestApp, network: &Network, role: Role) -> reti_store::users::User {
    let user = app.user().role(role).create().await;
    app.db.assign_to_network(&Actor::cli(), &user.id, &network.id, role).await.unwrap();
    user
}

app_tests! {
    async fn a_network_shows_its_private_data_only_to_its_own_people(app: TestApp) {
        let (a, b, project) = two_networks(&app).await;
        let member_a = member_of(&app, &a, Role::NetworkMember).await;
        let member_b = member_of(&app, &b, Role::NetworkMember).await;

        app.login(&member_a.email).await;
        let own = app.get(&format!("/networks/{}", a.id)).await;
        assert!(own.body.contains("Progetto segreto di A"), "a member sees the network's projects");
        assert_eq!(app.get(&format!("/projects/{project}")).await.status, StatusCode::OK);
        assert_eq!(app.get(&format!("/networks/{}/edit", a.id)).await.status, StatusCode::FORBIDDEN, "members read, leads manage");

        app.logout_locally();
        app.login(&member_b.email).await;
        let other = app.get(&format!("/networks/{}", a.id)).await;
        assert_eq!(other.status, StatusCode::OK, "the public profile is visible");
        assert!(other.body.contains("Capofila Rete A"));
        assert!(!other.body.contains("Progetto segreto di A"), "but not the private data");
        for path in [format!("/projects/{project}"), format!("/projects/{project}/edit"), format!("/networks/{}/edit", a.id), format!("/networks/{}/projects/new", a.id)] {
            assert_eq!(app.get(&path).await.status, StatusCode::FORBIDDEN, "{path}");
        }
        for path in [
            format!("/networks/{}", a.id),
            format!("/networks/{}/memberships", a.id),
            format!("/networks/{}/projects", a.id),
            format!("/projects/{project}"),
            format!("/projects/{project}/actions"),
            format!("/projects/{project}/archive"),
        ] {
            assert_eq!(app.post(&path, &[("title", "x"), ("name", "x")]).await.status, StatusCode::FORBIDDEN, "POST {path}");
        }

        let token_b = app.token_for(&member_b).await;
        let api = app.api_get(&format!("/api/v1/networks/{}", a.id), Some(&token_b)).await.json();
        assert_eq!(api["private"], false);
        assert!(api["memberships"].as_array().unwrap().iter().all(|m| m["joined_on"].is_null()));
        assert_eq!(app.api_get(&format!("/api/v1/networks/{}/projects", a.id), Some(&token_b)).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.api_get(&format!("/api/v1/projects/{project}"), Some(&token_b)).await.status, StatusCode::FORBIDDEN);
        let put = app.api_send(Method::PUT, &format!("/api/v1/networks/{}", a.id), Some(&token_b), json!({"name": "Presa"})).await;
        assert_eq!(put.status, StatusCode::FORBIDDEN);
        let token_a = app.token_for(&member_a).await;
        assert_eq!(app.api_get(&format!("/api/v1/networks/{}", a.id), Some(&token_a)).await.json()["private"], true);
    }

    async fn a_network_lead_manages_only_their_network(app: TestApp) {
        let (a, b, _) = two_networks(&app).await;
        let lead = member_of(&app, &a, Role::NetworkLead).await;
        let partner = organisation(&app, "Cooperativa Partner", "09876543217").await;
        app.login(&lead.email).await;
        assert_eq!(app.get(&format!("/networks/{}/edit", a.id)).await.status, StatusCode::OK);
        let added = app.post(&format!("/networks/{}/memberships", a.id), &[("organisation_id", &partner), ("role", "partner"), ("joined_on", "2024-03-01")]).await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        let second_lead = app.post(&format!("/networks/{}/memberships", a.id), &[("organisation_id", &partner), ("role", "lead")]).await;
        assert_eq!(second_lead.status, StatusCode::UNPROCESSABLE_ENTITY);
        let page = app.get(&format!("/networks/{}", a.id)).await;
        assert!(page.body.contains("Cooperativa Partner") && page.body.contains("01/03/2024"));
        let renamed = app.post(&format!("/networks/{}", a.id), &[("name", "Rete A rinominata"), ("status", "active"), ("municipalities", "Cantu, 015146")]).await;
        assert_eq!(renamed.status, StatusCode::SEE_OTHER, "{}", renamed.body);
        let network = app.db.network(&a.id).await.unwrap().unwrap();
        assert_eq!(network.name, "Rete A rinominata");
        assert_eq!(network.municipalities.len(), 2, "Cantù found without its accent");
        let unknown = app.post(&format!("/networks/{}", a.id), &[("name", "Rete A"), ("municipalities", "Atlantide")]).await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(unknown.body.contains("Comuni"), "the error names the field");
        assert_eq!(app.get(&format!("/networks/{}/edit", b.id)).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.post(&format!("/networks/{}/archive", a.id), &[]).await.status, StatusCode::FORBIDDEN, "archiving is the coordination's");
    }

    async fn adding_a_member_or_an_affiliation_searches_the_registry_instead_of_listing_it(app: TestApp) {
        let (a, _, _) = two_networks(&app).await;
        let lead = member_of(&app, &a, Role::NetworkLead).await;
        for n in 1..=22 {
            organisation(&app, &format!("Cooperativa Sole {n:02}"), &tax_code(n)).await;
        }
        let luna = organisation(&app, "Associazione Luna", &tax_code(99)).await;
        app.login(&lead.email).await;
        let network = format!("/networks/{}", a.id);

        let page = app.get(&network).await.body;
        assert!(page.contains("name=\"organisation_q\"") && !page.contains("Cooperativa Sole"), "a search, not the registry");
        let many = app.get(&format!("{network}?organisation_q=sole")).await.body;
        assert_eq!(many.matches("name=\"organisation_id\"").count(), 20, "twenty at most");
        assert!(many.contains("Cooperativa Sole 01") && !many.contains("Cooperativa Sole 21"), "by name");
        assert!(many.contains("Ci sono altri enti che corrispondono"));
        let none = app.get(&format!("{network}?organisation_q=marte")).await.body;
        assert!(none.contains("Nessun ente attivo corrisponde a «marte»"));
        let by_code = app.get(&format!("{network}?organisation_q={}", tax_code(99))).await.body;
        assert_eq!(by_code.matches("name=\"organisation_id\"").count(), 1);
        assert!(by_code.contains(&format!("value=\"{luna}\" checked>")), "the only match is chosen");

        // Sent without a choice, the form comes back naming the field, with the same matches.
        let memberships = format!("{network}/memberships");
        let refused = app.post(&memberships, &[("organisation_q", "luna"), ("role", "partner"), ("joined_on", "2024-03-01")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("aria-describedby=\"organisation_id-error\""), "{}", refused.body);
        assert!(refused.body.contains(&format!("value=\"{luna}\"")));
        let chosen = [("organisation_q", "luna"), ("organisation_id", luna.as_str()), ("role", "partner"), ("joined_on", "2024-03-01")];
        let added = app.post(&memberships, &chosen).await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        let network_now = app.db.network(&a.id).await.unwrap().unwrap();
        assert!(network_now.current_members().any(|m| m.organisation_id == luna));

        // A person's page finds organisations the same way.
        let person = app.person("Lucia Bianchi").works_for(&luna).create().await;
        let coordinator = app.user().role(Role::Coordinator).create().await;
        app.logout_locally();
        app.login(&coordinator.email).await;
        let page = app.get(&format!("/people/{person}")).await.body;
        assert!(!page.contains("Cooperativa Sole"));
        let found = app.get(&format!("/people/{person}?organisation_q=sole+05")).await.body;
        assert_eq!(found.matches("name=\"organisation_id\"").count(), 1, "{found}");
        let sole = app.db.organisation_by_tax_code(&tax_code(5)).await.unwrap().unwrap().id;
        let affiliations = format!("/people/{person}/affiliations");
        let added = app.post(&affiliations, &[("organisation_id", sole.as_str()), ("position", "Educatrice")]).await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        let person = app.db.person(&person).await.unwrap().unwrap();
        assert!(person.affiliations.iter().any(|a| a.organisation_id == sole && a.position == "Educatrice"));
    }

    async fn coordination_creates_and_edits_organisations(app: TestApp) {
        let coordinator = app.user().role(Role::Coordinator).create().await;
        app.login(&coordinator.email).await;
        let bad = app.post("/organisations", &[("name", ""), ("kind", "banca"), ("tax_code", "00743110158"), ("municipality", "Atlantide")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        for expected in ["Denominazione", "Tipologia", "controllo", "Atlantide"] {
            if expected == "Atlantide" {
                assert!(bad.body.contains("value=\"Atlantide\""), "what was typed is kept");
            } else {
                assert!(bad.body.contains(expected), "{expected} missing");
            }
        }
        let created = app
            .post(
                "/organisations",
                &[("name", "Associazione Cantù Insieme"), ("kind", "associazione_migranti"), ("tax_code", "00743110157"),
                  ("municipality", "cantu"), ("resources", "Mediazione linguistico-culturale, Sportello")],
            )
            .await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let detail = app.get(created.location()).await;
        assert!(detail.body.contains("Cantù (CO)") && detail.body.contains("Sportello"));
        let duplicate = app.post("/organisations", &[("name", "Copia"), ("kind", "comune"), ("tax_code", "00743110157")]).await;
        assert_eq!(duplicate.status, StatusCode::UNPROCESSABLE_ENTITY);
        let list = app.get("/organisations?q=CANTU").await;
        assert!(list.body.contains("Associazione Cantù Insieme") && list.body.contains("Un ente."));
        let id = created.location().trim_start_matches("/organisations/").to_owned();
        assert_eq!(app.post(&format!("/organisations/{id}/archive"), &[]).await.status, StatusCode::SEE_OTHER);
        assert!(app.get("/organisations?q=cantu").await.body.contains("0 enti."));

        let member = app.user().role(Role::NetworkMember).create().await;
        app.logout_locally();
        app.login(&member.email).await;
        assert_eq!(app.get("/organisations").await.status, StatusCode::OK, "everyone reads the registry");
        assert_eq!(app.get("/organisations/new").await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.get("/people").await.status, StatusCode::FORBIDDEN, "people are personal data");
    }

    async fn import_previews_refuses_and_confirms(app: TestApp) {
        let coordinator = app.user().role(Role::Coordinator).create().await;
        app.login(&coordinator.email).await;
        assert_eq!(app.get("/import").await.status, StatusCode::OK);
        let token = app.csrf().await;
        let fields = [("csrf_token", token.as_str()), ("entity", "organisations")];
        let bad = "Denominazione;Tipologia;Codice fiscale;Comune\nA;Comune;00743110157;Milano\nB;Comune;01234567897;Atlantide\nC;Comune;00743110158;Milano\n";
        let refused = app.upload("/import", &fields, "enti.csv", bad.as_bytes()).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("<td>3</td>") && refused.body.contains("Atlantide"), "{}", refused.body);
        assert!(refused.body.contains("<td>4</td>") && refused.body.contains("controllo"), "every bad row is listed");
        assert!(!refused.body.contains("/confirm"), "no confirmation for a refused file");
        assert_eq!(app.db.list_organisations(&Default::default(), reti_store::PageRequest::new(None, None)).await.unwrap().total, 0);

        let good = "Denominazione;Tipologia;Codice fiscale;Comune\nA;Comune;00743110157;Milano\n";
        let preview = app.upload("/import", &fields, "enti.csv", good.as_bytes()).await;
        assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
        let start = preview.body.find("/import/").unwrap();
        let confirm = preview.body[start..].split('"').next().unwrap().to_owned();
        let done = app.post(&confirm, &[]).await;
        assert_eq!(done.location(), "/organisations");
        assert!(app.get("/organisations").await.body.contains("Importazione completata: 1"));
        assert_eq!(app.post(&confirm, &[]).await.status, StatusCode::NOT_FOUND, "a confirmation is used once");

        let forged = app.upload("/import", &[("entity", "organisations")], "enti.csv", good.as_bytes()).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN, "the upload needs the CSRF token too");
    }

    async fn exports_in_three_formats(app: TestApp) {
        organisation(&app, "Comune di Prova", "00743110157").await;
        let coordinator = app.user().role(Role::Coordinator).create().await;
        app.login(&coordinator.email).await;
        let csv = app.get("/export/organisations.csv").await;
        assert!(csv.body.starts_with("\u{feff}Denominazione;Tipologia;Codice fiscale"));
        assert!(csv.headers.get(header::CONTENT_DISPOSITION).unwrap().to_str().unwrap().contains("reti-organisations.csv"));
        let xlsx = app.get("/export/organisations.xlsx").await;
        assert_eq!(xlsx.status, StatusCode::OK);
        // The exported workbook goes back in through the import: XLSX is read, nothing is new.
        let token = app.csrf().await;
        let preview = app.upload("/import", &[("csrf_token", token.as_str()), ("entity", "organisations")], "enti.xlsx", &xlsx.bytes).await;
        assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
        assert!(preview.body.contains("0 nuove schede e 0 aggiornamenti"), "{}", preview.body);
        let json = app.get("/export/organisations.json").await.json();
        assert_eq!(json[0]["tax_code"], "00743110157");
        assert_eq!(app.get("/export/segreti.csv").await.status, StatusCode::NOT_FOUND);
    }

    async fn api_crud_for_organisations(app: TestApp) {
        let coordinator = app.user().role(Role::Coordinator).create().await;
        let token = app.token_for(&coordinator).await;
        let body = json!({"name": "Cooperativa Il Ponte", "kind": "cooperativa sociale", "tax_code": "00743110157", "municipality": "Cantù", "resources": ["Mediazione"]});
        let created = app.api_send(Method::POST, "/api/v1/organisations", Some(&token), body.clone()).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let id = created.json()["id"].as_str().unwrap().to_owned();
        assert_eq!(created.json()["kind"], "terzo_settore");
        assert_eq!(created.json()["municipality"], "013041");
        let duplicate = app.api_send(Method::POST, "/api/v1/organisations", Some(&token), body).await;
        assert_eq!(duplicate.status, StatusCode::CONFLICT);
        assert_eq!(duplicate.json()["error"]["fields"][0]["field"], "tax_code");
        let invalid = app.api_send(Method::POST, "/api/v1/organisations", Some(&token), json!({"name": "", "kind": "x", "tax_code": "123"})).await;
        assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<String> = invalid.json()["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap().to_owned()).collect();
        assert_eq!(fields, vec!["name", "kind", "tax_code"]);
        let list = app.api_get("/api/v1/organisations?q=ponte&per_page=1&page=1", Some(&token)).await.json();
        assert_eq!((list["total"].as_i64(), list["items"][0]["id"].as_str()), (Some(1), Some(id.as_str())));
        let updated = app
            .api_send(Method::PUT, &format!("/api/v1/organisations/{id}"), Some(&token), json!({"name": "Il Ponte", "kind": "impresa", "tax_code": "00743110157"}))
            .await;
        assert_eq!(updated.json()["name"], "Il Ponte");
        assert_eq!(app.api_send(Method::DELETE, &format!("/api/v1/organisations/{id}"), Some(&token), json!({})).await.status, StatusCode::NO_CONTENT);
        assert_eq!(app.api_get("/api/v1/organisations", Some(&token)).await.json()["total"], 0);
        let member = app.user().role(Role::NetworkMember).create().await;
        let member_token = app.token_for(&member).await;
        let refused = app.api_send(Method::POST, "/api/v1/organisations", Some(&member_token), json!({"name": "x"})).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
    }

    async fn api_networks_and_projects(app: TestApp) {
        app.db.put_action_line(&Actor::cli(), &app.programme_id, 1, "Scuola").await.unwrap();
        let coordinator = app.user().role(Role::Coordinator).create().await;
        let token = app.token_for(&coordinator).await;
        let lead = organisation(&app, "Comune capofila", "00743110157").await;
        let network = app
            .api_send(Method::POST, "/api/v1/networks", Some(&token), json!({"programme_id": app.programme_id, "name": "Rete Lario", "municipalities": ["Como", "013041"], "action_lines": ["1"], "maturity": "consolidata"}))
            .await;
        assert_eq!(network.status, StatusCode::CREATED, "{}", network.body);
        let id = network.json()["id"].as_str().unwrap().to_owned();
        let membership = app.api_send(Method::POST, &format!("/api/v1/networks/{id}/memberships"), Some(&token), json!({"organisation_id": lead, "role": "capofila", "joined_on": "2020-01-15"})).await;
        assert_eq!(membership.status, StatusCode::CREATED, "{}", membership.body);
        let project = app
            .api_send(Method::POST, &format!("/api/v1/networks/{id}/projects"), Some(&token), json!({"title": "Scuole aperte", "budget_cents": 5000000, "action_lines": ["1"], "actions": [{"title": "Laboratori L2", "planned_outputs": "10 laboratori", "target_groups": "Alunni NAI"}]}))
            .await;
        assert_eq!(project.status, StatusCode::CREATED, "{}", project.body);
        assert_eq!(project.json()["actions"][0]["title"], "Laboratori L2");
        let listed = app.api_get("/api/v1/networks?maturity=consolidated&province=CO", Some(&token)).await.json();
        assert_eq!(listed["total"], 1);
        assert_eq!(listed["items"][0]["lead"], "Comune capofila");
        let bad_filter = app.api_get("/api/v1/networks?status=boh", Some(&token)).await;
        assert_eq!(bad_filter.status, StatusCode::UNPROCESSABLE_ENTITY);
        let municipalities = app.api_get("/api/v1/municipalities?q=cantu", Some(&token)).await.json();
        assert_eq!(municipalities[0]["name"], "Cantù");
        let programmes = app.api_get("/api/v1/programmes", Some(&token)).await.json();
        assert_eq!(programmes[0]["action_lines"][0]["number"], 1);
    }
}
