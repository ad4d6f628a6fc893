//! The last gaps of issue 6: a network row is checked as the network form and the API check it;
//! an import problem quotes its limit; every form field shows its own error; archiving a network
//! belongs to its programme's coordination.

use crate::app_tests;
use crate::harness::{TestApp, TestResponse};
use axum::http::{Method, StatusCode};
use reti_domain::{NetworkStatus, Role};
use reti_store::Actor;
use reti_store::registry::import::Entity;
use reti_store::registry::networks::{Network, NetworkInput};
use serde_json::json;

/// The fields an API answer names, with their codes.
fn api_fields(response: &TestResponse) -> Vec<(String, String)> {
    let body = response.json();
    body["error"]["fields"]
        .as_array()
        .unwrap_or_else(|| panic!("no fields in {body}"))
        .iter()
        .map(|f| (f["field"].as_str().unwrap().to_owned(), f["code"].as_str().unwrap().to_owned()))
        .collect()
}

/// The fields a page's error summary links to (`href="#field"`), in order.
fn summary_fields(body: &str) -> Vec<String> {
    let start = body.find(r#"class="alert alert-danger""#).unwrap_or_else(|| panic!("no error summary: {body}"));
    let summary = &body[start..start + body[start..].find("</div>").unwrap()];
    summary.split(r##"href="#"##).skip(1).map(|rest| rest[..rest.find('"').unwrap()].to_owned()).collect()
}

/// The opening tag of the element with `id`.
fn tag_with_id<'a>(body: &'a str, id: &str) -> Option<&'a str> {
    let at = body.find(&format!(r#" id="{id}""#))?;
    let open = body[..at].rfind('<')?;
    Some(&body[open..at + body[at..].find('>')?])
}

/// Every field of the summary is also marked where it stands: its control (or group) is
/// `aria-invalid` and described by the message shown next to it, and that message is the
/// summary's. Returns the fields checked.
fn assert_errors_inline(body: &str) -> Vec<String> {
    let fields = summary_fields(body);
    assert!(!fields.is_empty(), "no errors in the summary: {body}");
    for field in &fields {
        let control = tag_with_id(body, field).unwrap_or_else(|| panic!("no control #{field}: {body}"));
        let error_id = format!("{field}-error");
        assert!(
            control.contains(&format!(r#"aria-describedby="{error_id}"#))
                || control.contains(&format!(r#" {error_id}""#))
                || control.contains(&format!(r#"aria-describedby="{error_id} "#)),
            "#{field} is not described by its message: {control}"
        );
        let group = control.starts_with("<fieldset");
        assert!(group || control.contains(r#"aria-invalid="true""#), "#{field} is not marked invalid: {control}");
        if group {
            let inside = &body[body.find(control).unwrap()..];
            let inside = &inside[..inside.find("</fieldset>").unwrap()];
            assert!(inside.contains(r#"aria-invalid="true""#), "the choices of #{field} are not marked invalid");
        }
        let message = tag_with_id(body, &error_id).unwrap_or_else(|| panic!("no message #{error_id}: {body}"));
        assert!(message.contains("invalid-feedback"), "{message}");
    }
    fields
}

async fn network(app: &TestApp, programme_id: &str, name: &str) -> Network {
    let input = NetworkInput {
        programme_id: programme_id.to_owned(),
        name: name.into(),
        description: String::new(),
        maturity: None,
        status: NetworkStatus::Active,
        municipality_codes: Vec::new(),
        action_line_ids: Vec::new(),
    };
    app.db.create_network(&Actor::cli(), &input).await.unwrap()
}

app_tests! {
    async fn a_network_row_is_checked_as_the_form_and_the_api_check_it(app: TestApp) {
        let coordinator = app.user().role(Role::Coordinator).create().await;
        let token = app.token_for(&coordinator).await;
        let actor = Actor::user(&coordinator.id, &coordinator.email, None);
        app.login(&coordinator.email).await;
        app.db.put_action_line(&Actor::cli(), &app.programme_id, 1, "Scuola").await.unwrap();
        let long = "x".repeat(301);
        let mut expected = vec![
            ("name".to_owned(), "error-too-long".to_owned()),
            ("maturity".to_owned(), "error-maturity-invalid".to_owned()),
            ("status".to_owned(), "error-network-status-invalid".to_owned()),
            ("municipalities".to_owned(), "error-municipality-unknown".to_owned()),
            ("action_lines".to_owned(), "error-action-line-invalid".to_owned()),
        ];

        let page = app
            .post(
                "/networks",
                &[
                    ("programme", &app.programme_id),
                    ("name", &long),
                    ("maturity", "boh"),
                    ("status", "boh"),
                    ("municipalities", "Atlantide"),
                    ("action_lines", "9"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
        assert!(page.body.contains("al massimo 300 caratteri"), "the message names the limit: {}", page.body);
        let page_fields = assert_errors_inline(&page.body);
        let wanted: Vec<String> = expected.iter().map(|(field, _)| field.clone()).collect();
        assert_eq!(page_fields, wanted, "the form names the same fields");

        let body = json!({"programme_id": app.programme_id, "name": long, "maturity": "boh", "status": "boh",
            "municipalities": ["Atlantide"], "action_lines": ["9"]});
        let api = app.api_send(Method::POST, "/api/v1/networks", Some(&token), body).await;
        assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", api.body);
        assert_eq!(api_fields(&api), expected);

        let csv = format!("Nome rete;Programma;Comuni;Linee d'azione;Maturità;Stato\n{long};PROG-2463;Atlantide;9;boh;boh\n");
        let result = app.db.import_file(&actor, Entity::Networks, csv.as_bytes(), true).await.unwrap();
        let mut fields: Vec<_> = result.errors.iter().map(|e| (e.field.clone(), e.code.to_owned())).collect();
        fields.sort();
        expected.sort();
        assert_eq!(fields, expected, "the import, field for field");
        let name = result.errors.iter().find(|e| e.field == "name").unwrap();
        assert_eq!(name.args, [("max", "300".to_owned())], "the row's problem carries its limit");
        assert_eq!(name.line, 2);

        // The browser's preview says the limit, translated.
        let upload = app
            .upload("/import", &[("csrf_token", &app.csrf().await), ("entity", "networks")], "reti.csv", csv.as_bytes())
            .await;
        assert_eq!(upload.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", upload.body);
        assert!(upload.body.contains("al massimo 300 caratteri"), "{}", upload.body);

        // A good row goes in as the form would put it.
        let good = "Nome rete;Programma;Comuni;Linee d'azione;Maturità;Stato\n  Rete   Brianza ;PROG-2463;Milano;1;;\n";
        let result = app.db.import_file(&actor, Entity::Networks, good.as_bytes(), false).await.unwrap();
        assert!(result.accepted(), "{:?}", result.errors);
        let network = app.db.network_by_name(&app.programme_id, "Rete Brianza").await.unwrap().unwrap();
        assert_eq!(network.name, "Rete Brianza", "collapsed as the form collapses it");
        assert_eq!(network.action_lines.len(), 1);
        assert_eq!(network.municipalities[0].istat_code, "015146");
    }

    async fn an_unknown_programme_does_not_hide_the_other_problems_of_a_row(app: TestApp) {
        let actor = Actor::cli();
        let csv = "Nome rete;Programma;Maturità;Linee d'azione\n;PROG-0000;boh;7\n";
        let result = app.db.import_file(&actor, Entity::Networks, csv.as_bytes(), true).await.unwrap();
        let fields: Vec<_> = result.errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            fields,
            [("maturity", "error-maturity-invalid"), ("name", "error-required"), ("programme", "error-programme-unknown")],
            "the action lines of an unknown programme are not judged"
        );
    }

    async fn a_repeated_row_names_the_first_line(app: TestApp) {
        let csv = "Denominazione;Tipologia;Codice fiscale;Comune\nA;altro;00743110157;Milano\nB;altro;00743110157;Milano\n";
        let coordinator = app.user().role(Role::Coordinator).create().await;
        app.login(&coordinator.email).await;
        let upload = app
            .upload("/import", &[("csrf_token", &app.csrf().await), ("entity", "organisations")], "enti.csv", csv.as_bytes())
            .await;
        assert_eq!(upload.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", upload.body);
        assert!(upload.body.contains("compare già alla riga 2 del file"), "{}", upload.body);
    }

    async fn every_registry_form_shows_each_error_next_to_its_field(app: TestApp) {
        let coordinator = app.user().role(Role::Coordinator).create().await;
        app.login(&coordinator.email).await;
        let description = "d".repeat(10_001);

        let organisation = app.post("/organisations", &[("name", ""), ("kind", "boh"), ("tax_code", "123"), ("email", "x")]).await;
        assert_eq!(organisation.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(assert_errors_inline(&organisation.body).contains(&"kind".to_owned()));

        let person = app.post("/people", &[("name", ""), ("email", "not-an-address")]).await;
        assert_eq!(person.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_errors_inline(&person.body);

        let network_page = app
            .post("/networks", &[("programme", "nope"), ("name", ""), ("description", &description), ("maturity", "boh")])
            .await;
        assert_eq!(network_page.status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields = assert_errors_inline(&network_page.body);
        for field in ["programme", "description", "maturity"] {
            assert!(fields.contains(&field.to_owned()), "{field} in {fields:?}");
        }

        let net = network(&app, &app.programme_id, "Rete Prova").await;
        let project = app
            .post(&format!("/networks/{}/projects", net.id), &[("title", ""), ("description", &description), ("budget", "tanti")])
            .await;
        assert_eq!(project.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", project.body);
        assert!(assert_errors_inline(&project.body).contains(&"description".to_owned()));

        // Refused with the picker's matches on the page: the choices are what is marked invalid.
        let organisation_id = app.organisation("Coop Aurora", "00743110157").await;
        let refused = [("organisation_q", "aurora"), ("role", "boh"), ("joined_on", "31/02/2024")];
        let membership = app.post(&format!("/networks/{}/memberships", net.id), &refused).await;
        assert_eq!(membership.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", membership.body);
        assert!(assert_errors_inline(&membership.body).contains(&"organisation_id".to_owned()));

        let added = app.post(&format!("/networks/{}/memberships", net.id), &[("organisation_id", &organisation_id), ("role", "partner"), ("joined_on", "2024-03-01")]).await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        let membership_id = app.db.network(&net.id).await.unwrap().unwrap().memberships[0].id.clone();
        let end = app.post(&format!("/networks/{}/memberships/{membership_id}/end", net.id), &[("left_on", "31/02/2024")]).await;
        assert_eq!(end.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", end.body);
        assert_eq!(assert_errors_inline(&end.body), ["left_on"]);

        let invitation = app.post("/invitations", &[("email", "x"), ("programme", "nope"), ("role", "boh")]).await;
        assert_eq!(invitation.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", invitation.body);
        assert_errors_inline(&invitation.body);

        let programme = app
            .post(&format!("/programmes/{}", app.programme_id), &[("name", ""), ("starts_on", "2025-01-01"), ("ends_on", "2024-01-01")])
            .await;
        assert_eq!(programme.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", programme.body);
        assert_errors_inline(&programme.body);
        let line = app.post(&format!("/programmes/{}/action-lines", app.programme_id), &[("number", "x"), ("title", "")]).await;
        assert_eq!(line.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", line.body);
        assert_errors_inline(&line.body);

        let account = app
            .post("/account/password", &[("current_password", "sbagliata"), ("password", "corta"), ("password_confirm", "altra")])
            .await;
        assert_eq!(account.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", account.body);
        assert_errors_inline(&account.body);
        let token = app.post("/account/tokens", &[("token_name", ""), ("token_days", "9999")]).await;
        assert_eq!(token.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", token.body);
        assert_errors_inline(&token.body);
    }

    async fn only_the_coordination_of_its_programme_archives_a_network(app: TestApp) {
        let other = app.db.create_programme(&Actor::cli(), "PROG-9999", "Altro programma").await.unwrap().id;
        let theirs = network(&app, &other, "Rete Altrove").await;
        let ours = network(&app, &app.programme_id, "Rete Nostra").await;
        let coordinator = app.user().role(Role::Coordinator).create().await;
        let token = app.token_for(&coordinator).await;
        app.login(&coordinator.email).await;

        let page = app.post(&format!("/networks/{}/archive", theirs.id), &[]).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "another programme's network");
        let api = app.api_send(Method::DELETE, &format!("/api/v1/networks/{}", theirs.id), Some(&token), json!({})).await;
        assert_eq!(api.status, StatusCode::FORBIDDEN, "{}", api.body);
        assert!(!app.db.network(&theirs.id).await.unwrap().unwrap().archived, "nothing changed");
        let unknown = app.post("/networks/no-such-network/archive", &[]).await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);

        let lead = app.user().create().await;
        app.db.assign_to_network(&Actor::cli(), &lead.id, &ours.id, Role::NetworkLead).await.unwrap();
        let lead_token = app.token_for(&lead).await;
        let refused = app.api_send(Method::DELETE, &format!("/api/v1/networks/{}", ours.id), Some(&lead_token), json!({})).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "a lead manages the network but does not archive it");

        let page = app.post(&format!("/networks/{}/archive", ours.id), &[]).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        assert!(app.db.network(&ours.id).await.unwrap().unwrap().archived);
        let api = app.api_send(Method::DELETE, &format!("/api/v1/networks/{}", ours.id), Some(&token), json!({})).await;
        assert_eq!(api.status, StatusCode::NO_CONTENT, "{}", api.body);
    }
}
