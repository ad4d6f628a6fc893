//! Social-planning districts from the browser and the API, and the import preview's warnings
//! about likely duplicate people.

use crate::app_tests;
use crate::harness::TestApp;
use axum::http::StatusCode;
use reti_domain::taxcode::TaxCode;
use reti_domain::{NetworkStatus, OrganisationKind, Role};
use reti_store::Actor;
use reti_store::registry::networks::NetworkInput;
use reti_store::registry::organisations::OrganisationInput;

const DISTRICTS: &str = "Codice ambito;Ambito;Comune;Provincia\n\
                         LC-01;Ambito di Lecco;Lecco;LC\n\
                         LC-01;Ambito di Lecco;Valmadrera;LC\n\
                         LC-02;Ambito di Merate;Merate;LC\n";

/// Uploads `csv` as `entity` at `/import`, checks the preview accepts it, and confirms it.
async fn import_in_browser(app: &TestApp, entity: &str, csv: &str) -> String {
    let token = app.csrf().await;
    let preview =
        app.upload("/import", &[("csrf_token", token.as_str()), ("entity", entity)], "file.csv", csv.as_bytes()).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    let start = preview.body.find("/import/").unwrap();
    let confirm = preview.body[start..].split('"').next().unwrap().to_owned();
    app.post(&confirm, &[]).await.location().to_owned()
}

app_tests! {
    async fn districts_are_imported_listed_exported_and_filter_networks(app: TestApp) {
        let coordinator = app.user().role(Role::Coordinator).create().await;
        app.login(&coordinator.email).await;
        assert!(app.get("/import").await.body.contains("value=\"districts\""), "districts are offered for import");
        assert_eq!(import_in_browser(&app, "districts", DISTRICTS).await, "/districts");

        let input = NetworkInput {
            programme_id: app.programme_id.clone(),
            name: "Rete del lago".into(),
            description: String::new(),
            maturity: None,
            status: NetworkStatus::Active,
            municipality_codes: vec!["097042".into()],
            action_line_ids: Vec::new(),
        };
        let network = app.db.create_network(&Actor::cli(), &input).await.unwrap();
        let districts = app.db.list_districts("").await.unwrap();
        let (lecco, merate) = (&districts[0], &districts[1]);

        let page = app.get(&format!("/networks/{}", network.id)).await;
        assert!(page.body.contains("Ambito di Lecco") && !page.body.contains("Ambito di Merate"), "{}", page.body);
        let filtered = app.get(&format!("/networks?district={}", lecco.id)).await;
        assert!(filtered.body.contains("Rete del lago"));
        assert!(filtered.body.contains("<option value=\"") && filtered.body.contains("Ambito di Merate (LC-02)"));
        assert!(!app.get(&format!("/networks?district={}", merate.id)).await.body.contains("Rete del lago"));

        let export = app.get("/export/districts.csv").await;
        assert_eq!(export.status, StatusCode::OK);
        assert!(export.body.contains("Codice ambito") && export.body.contains("Valmadrera"), "{}", export.body);

        // Every logged-in person reads the districts; nobody else.
        let member = app.user().role(Role::NetworkMember).create().await;
        let token = app.token_for(&member).await;
        app.login(&member.email).await;
        let list = app.get("/districts?q=lecco").await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains("Valmadrera") && !list.body.contains("Merate"), "{}", list.body);
        app.logout_locally();
        assert_eq!(app.get("/districts").await.status, StatusCode::SEE_OTHER);

        let api = app.api_get("/api/v1/districts", Some(&token)).await.json();
        assert_eq!(api[0]["code"], "LC-01");
        assert_eq!(api[0]["municipalities"].as_array().unwrap().len(), 2);
        assert_eq!(api[1]["region"], "Lombardia");
        assert_eq!(app.api_get("/api/v1/networks?district=lc-01", Some(&token)).await.json()["total"], 1);
        assert_eq!(app.api_get(&format!("/api/v1/networks?district={}", merate.id), Some(&token)).await.json()["total"], 0);
        assert_eq!(app.api_get("/api/v1/districts", None).await.status, StatusCode::UNAUTHORIZED);
    }

    async fn the_preview_flags_likely_duplicate_people(app: TestApp) {
        let organisation = OrganisationInput {
            name: "Coop Aurora".into(),
            kind: OrganisationKind::ThirdSector,
            tax_code: TaxCode::parse("00743110157").unwrap(),
            municipality_code: Some("015146".into()),
            address: String::new(),
            email: None,
            phone: String::new(),
            website: String::new(),
            resources: Vec::new(),
        };
        app.db.create_organisation(&Actor::cli(), &organisation).await.unwrap();
        let coordinator = app.user().role(Role::Coordinator).create().await;
        app.login(&coordinator.email).await;
        let first = "Nome e cognome;E-mail;Ente\nGiulia Bianchi;giulia@coop.example;00743110157\n";
        assert_eq!(import_in_browser(&app, "people", first).await, "/people");

        let token = app.csrf().await;
        let again = "Nome e cognome;E-mail;Ente\ngiulia  bianchi;g.bianchi@altro.example;00743110157\n";
        let preview = app.upload("/import", &[("csrf_token", token.as_str()), ("entity", "people")], "persone.csv", again.as_bytes()).await;
        assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
        assert!(preview.body.contains("sembrano doppioni"), "{}", preview.body);
        assert!(preview.body.contains("Giulia Bianchi (giulia@coop.example)"));
        assert!(preview.body.contains("/confirm"), "a warning does not stop the import");
    }
}
