//! One validation for every path (decision 0017): the organisation form, the API and the import
//! refuse the same bad organisation name and the same bad date, naming the same field.

use crate::app_tests;
use crate::harness::TestApp;
use axum::http::{Method, StatusCode};
use reti_domain::{NetworkStatus, Role};
use reti_store::Actor;
use reti_store::registry::import::Entity;
use reti_store::registry::networks::NetworkInput;
use serde_json::json;

/// The fields an API answer names, with their codes.
fn api_fields(response: &crate::harness::TestResponse) -> Vec<(String, String)> {
    let body = response.json();
    body["error"]["fields"]
        .as_array()
        .unwrap_or_else(|| panic!("no fields in {body}"))
        .iter()
        .map(|f| (f["field"].as_str().unwrap().to_owned(), f["code"].as_str().unwrap().to_owned()))
        .collect()
}

/// The fields an import refuses, with their codes.
async fn import_fields(app: &TestApp, actor: &Actor, entity: Entity, csv: &str) -> Vec<(String, String)> {
    let result = app.db.import_file(actor, entity, csv.as_bytes(), true).await.unwrap();
    result.errors.iter().map(|e| (e.field.clone(), e.code.to_owned())).collect()
}

/// A workbook of text cells.
fn workbook(rows: &[[&str; 4]]) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write(r as u32, c as u16, *cell).unwrap();
        }
    }
    workbook.save_to_buffer().unwrap()
}

fn only(field: &str, code: &str) -> Vec<(String, String)> {
    vec![(field.to_owned(), code.to_owned())]
}

app_tests! {
    async fn an_overlong_organisation_name_is_refused_on_every_path(app: TestApp) {
        let coordinator = app.user().role(Role::Coordinator).create().await;
        let token = app.token_for(&coordinator).await;
        let actor = Actor::user(&coordinator.id, &coordinator.email, None);
        app.login(&coordinator.email).await;
        let long = "x".repeat(301);
        let fits = "y".repeat(300);

        let page = app.post("/organisations", &[("name", &long), ("kind", "altro"), ("tax_code", "00743110157")]).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
        assert!(page.body.contains(r#"id="name-error""#), "the message stands next to the field: {}", page.body);
        assert!(page.body.contains("troppo lungo"), "{}", page.body);

        let body = |name: &str| json!({"name": name, "kind": "altro", "tax_code": "00743110157"});
        let post = app.api_send(Method::POST, "/api/v1/organisations", Some(&token), body(&long)).await;
        assert_eq!(post.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", post.body);
        assert_eq!(api_fields(&post), only("name", "error-too-long"));
        let created = app.api_send(Method::POST, "/api/v1/organisations", Some(&token), body(&fits)).await;
        assert_eq!(created.status, StatusCode::CREATED, "300 characters fit: {}", created.body);
        let id = created.json()["id"].as_str().unwrap().to_owned();
        let put = app.api_send(Method::PUT, &format!("/api/v1/organisations/{id}"), Some(&token), body(&long)).await;
        assert_eq!(put.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", put.body);
        assert_eq!(api_fields(&put), only("name", "error-too-long"));

        let csv = format!("Denominazione;Tipologia;Codice fiscale;Comune\n{long};altro;01199250158;Milano\n");
        assert_eq!(import_fields(&app, &actor, Entity::Organisations, &csv).await, only("name", "error-too-long"));
        let workbook = workbook(&[["Denominazione", "Tipologia", "Codice fiscale", "Comune"], [&long, "altro", "01199250158", "Milano"]]);
        let result = app.db.import_file(&actor, Entity::Organisations, &workbook, true).await.unwrap();
        let fields: Vec<_> = result.errors.iter().map(|e| (e.field.clone(), e.code.to_owned())).collect();
        assert_eq!(fields, only("name", "error-too-long"), "the workbook reader too");
        let upload = app.upload("/import", &[("csrf_token", &app.csrf().await), ("entity", "organisations")], "enti.csv", csv.as_bytes()).await;
        assert_eq!(upload.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(upload.body.contains("troppo lungo"), "{}", upload.body);
    }

    async fn a_bad_date_is_refused_on_every_path(app: TestApp) {
        let coordinator = app.user().role(Role::Coordinator).create().await;
        let token = app.token_for(&coordinator).await;
        let actor = Actor::user(&coordinator.id, &coordinator.email, None);
        app.login(&coordinator.email).await;
        let organisation_id = app.organisation("Coop Aurora", "00743110157").await;
        let input = NetworkInput {
            programme_id: app.programme_id.clone(),
            name: "Rete Brianza".into(),
            description: String::new(),
            maturity: None,
            status: NetworkStatus::Active,
            municipality_codes: Vec::new(),
            action_line_ids: Vec::new(),
        };
        let network = app.db.create_network(&Actor::cli(), &input).await.unwrap();

        let page = app
            .post(
                &format!("/networks/{}/memberships", network.id),
                &[("organisation_id", &organisation_id), ("role", "partner"), ("joined_on", "31/02/2024")],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
        assert!(page.body.contains(r#"id="joined_on-error""#), "the message stands next to the field: {}", page.body);

        let api = app
            .api_send(
                Method::POST,
                &format!("/api/v1/networks/{}/memberships", network.id),
                Some(&token),
                json!({"organisation_id": organisation_id, "role": "partner", "joined_on": "31/02/2024"}),
            )
            .await;
        assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", api.body);
        assert_eq!(api_fields(&api), only("joined_on", "error-date-invalid"));

        let csv = "Rete;Codice fiscale;Ruolo;Dal\nRete Brianza;00743110157;partner;31/02/2024\n";
        assert_eq!(import_fields(&app, &actor, Entity::Memberships, csv).await, only("joined_on", "error-date-invalid"));

        // An Excel serial day is a date in a spreadsheet cell only.
        let api = app
            .api_send(
                Method::POST,
                &format!("/api/v1/networks/{}/memberships", network.id),
                Some(&token),
                json!({"organisation_id": organisation_id, "role": "partner", "joined_on": "45352"}),
            )
            .await;
        assert_eq!(api_fields(&api), only("joined_on", "error-date-invalid"));
        let csv = "Rete;Codice fiscale;Ruolo;Dal\nRete Brianza;00743110157;partner;45352\n";
        assert!(import_fields(&app, &actor, Entity::Memberships, csv).await.is_empty());
    }
}

app_tests! {
    async fn a_period_ends_after_it_starts_on_the_page_and_in_the_api(app: TestApp) {
        let coordinator = app.user().role(Role::Coordinator).create().await;
        let token = app.token_for(&coordinator).await;
        app.login(&coordinator.email).await;
        let path = format!("/programmes/{}", app.programme_id);
        let fields = [("name", "LAB'IMPACT"), ("starts_on", "2025-01-01"), ("ends_on", "31/12/2024")];
        let page = app.post(&path, &fields).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
        assert!(page.body.contains(r#"id="ends_on-error""#), "{}", page.body);

        let body = json!({"name": "LAB'IMPACT", "starts_on": "2025-01-01", "ends_on": "31/12/2024",
            "action_lines": [{"number": 100, "title": "Troppo"}]});
        let api = app.api_send(Method::PUT, &format!("/api/v1{path}"), Some(&token), body).await;
        assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", api.body);
        assert_eq!(
            api_fields(&api),
            [("ends_on", "error-date-order"), ("action_lines[0].number", "error-number-invalid")]
                .map(|(field, code)| (field.to_owned(), code.to_owned()))
        );
    }
}

app_tests! {
    async fn an_overlong_position_is_refused_on_the_page_and_in_the_api(app: TestApp) {
        let coordinator = app.user().role(Role::Coordinator).create().await;
        let token = app.token_for(&coordinator).await;
        app.login(&coordinator.email).await;
        let organisation_id = app.organisation("Coop Aurora", "00743110157").await;
        let long = "x".repeat(301);
        let affiliation = json!([{"organisation_id": organisation_id, "position": long}]);
        let api = app.api_send(Method::POST, "/api/v1/people", Some(&token), json!({"name": "Anna Neri", "affiliations": affiliation})).await;
        assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", api.body);
        assert_eq!(api_fields(&api), only("affiliations[0].position", "error-too-long"));

        let created = app.api_send(Method::POST, "/api/v1/people", Some(&token), json!({"name": "Anna Neri"})).await;
        let id = created.json()["id"].as_str().unwrap().to_owned();
        let page = app.post(&format!("/people/{id}/affiliations"), &[("organisation_id", &organisation_id), ("position", &long)]).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
        assert!(page.body.contains(r#"id="position-error""#), "{}", page.body);
    }
}
