//! The accompaniment diary and the objectives–processes matrix, by page and by API, on both
//! engines: who reads and writes them, per network; totals; bad input refused whole; the grid's
//! analysis, history and export.

use crate::app_tests;
use crate::harness::TestApp;
use axum::http::{Method, StatusCode};
use reti_domain::taxcode::check_digit_numeric;
use reti_domain::{MembershipRole, Role};
use reti_store::Actor;
use reti_store::registry::networks::Network;
use reti_store::users::User;
use serde_json::json;

fn tax_code(n: u32) -> String {
    let first10 = format!("{n:07}000");
    format!("{first10}{}", check_digit_numeric(&first10))
}

/// Networks A (three member organisations) and B (one), in the test programme.
async fn two_networks(app: &TestApp) -> (Network, Network, Vec<String>) {
    let mut networks = Vec::new();
    let mut organisations = Vec::new();
    for (index, (name, members)) in [("Rete Adda", 3), ("Rete Brembo", 1)].into_iter().enumerate() {
        let mut network = app.network(name);
        for member in 0..members {
            let code = tax_code(u32::try_from(index * 10 + member + 1).unwrap());
            let organisation_id = app.organisation(&format!("Ente {member} di {name}"), &code).await;
            let role = if member == 0 { MembershipRole::Lead } else { MembershipRole::Partner };
            network = network.member(&organisation_id, role);
            if index == 0 {
                organisations.push(organisation_id);
            }
        }
        networks.push(network.create().await);
    }
    let b = networks.pop().unwrap();
    let a = networks.pop().unwrap();
    (a, b, organisations)
}

async fn on_network(app: &TestApp, network: &Network, role: Role) -> User {
    let user = app.user().role(role).create().await;
    app.db.assign_to_network(&Actor::cli(), &user.id, &network.id, role).await.unwrap();
    user
}

fn days_ago(days: i64) -> String {
    (time::OffsetDateTime::now_utc().date() - time::Duration::days(days)).to_string()
}

app_tests! {
    async fn the_diary_is_its_facilitators_and_totals_its_hours(app: TestApp) {
        let (a, b, _) = two_networks(&app).await;
        let facilitator = on_network(&app, &a, Role::Facilitator).await;
        let colleague = on_network(&app, &a, Role::Facilitator).await;
        let lead = on_network(&app, &a, Role::NetworkLead).await;
        let member = on_network(&app, &a, Role::NetworkMember).await;
        let other = on_network(&app, &b, Role::Facilitator).await;
        let coordinator = app.user().role(Role::Coordinator).create().await;
        let diary = format!("/networks/{}/diary", a.id);

        app.login(&facilitator.email).await;
        assert!(app.get(&format!("/networks/{}", a.id)).await.body.contains(&diary), "the network links its diary");
        let form = app.get(&format!("{diary}/new")).await;
        assert_eq!(form.status, StatusCode::OK);
        let notes = "Incontro **molto partecipato**.\n\n<script>alert(1)</script>";
        let created = app.post(&diary, &[("entry_date", &days_ago(40)), ("hours", "1,5"), ("kind", "coaching"), ("notes", notes), ("growth_spaces", "- coinvolgere le scuole"), ("next_steps", "")]).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        app.post(&diary, &[("entry_date", &days_ago(1)), ("hours", "2"), ("kind", "remote_contact")]).await;

        // Bad input names its fields, in Italian, and saves nothing.
        let refused = app.post(&diary, &[("entry_date", &days_ago(-3)), ("hours", "25"), ("kind", "")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        for field in ["Data", "Ore", "Tipologia"] {
            assert!(refused.body.contains(&format!("«{field}»")), "{field} is named: {}", refused.body);
        }
        let page = app.get(&diary).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Totale: 3,5 ore.") && page.body.contains("2 annotazioni."), "{}", page.body);
        assert!(page.body.contains("<strong>molto partecipato</strong>"), "notes are Markdown");
        assert!(!page.body.contains("<script>alert(1)"), "raw HTML never gets through");
        assert!(app.get("/diary").await.body.contains("Rete Adda"), "the facilitator's view lists the network");

        let token = app.token_for(&facilitator).await;
        let api = format!("/api/v1/networks/{}/diary", a.id);
        let listed = app.api_get(&api, Some(&token)).await.json();
        assert_eq!(listed["total"], 2);
        assert_eq!(listed["totals"]["hours"], 3.5);
        assert_eq!(listed["totals"]["by_month"].as_array().unwrap().iter().map(|m| m["hours"].as_f64().unwrap()).sum::<f64>(), 3.5);
        let bad = app.api_send(Method::POST, &api, Some(&token), json!({"entry_date": days_ago(0), "hours": 0.001, "kind": "coaching"})).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.json()["error"]["fields"][0]["field"], "hours", "{}", bad.body);
        let made = app.api_send(Method::POST, &api, Some(&token), json!({"entry_date": days_ago(0), "hours": 0.75, "kind": "document_review", "notes": "Rilettura del piano"})).await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        let entry_id = made.json()["id"].as_str().unwrap().to_owned();
        assert_eq!(app.api_get(&api, Some(&token)).await.json()["totals"]["hours"], 4.25);

        // A colleague on the same network reads but does not change another's entry.
        let colleague_token = app.token_for(&colleague).await;
        assert_eq!(app.api_get(&format!("{api}/{entry_id}"), Some(&colleague_token)).await.status, StatusCode::OK);
        let body = json!({"entry_date": days_ago(0), "hours": 1, "kind": "coaching"});
        assert_eq!(app.api_send(Method::PUT, &format!("{api}/{entry_id}"), Some(&colleague_token), body.clone()).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.api_send(Method::PUT, &format!("{api}/{entry_id}"), Some(&token), body).await.status, StatusCode::OK);
        assert_eq!(app.api_send(Method::DELETE, &format!("{api}/{entry_id}"), Some(&token), json!({})).await.status, StatusCode::NO_CONTENT);
        assert_eq!(app.api_get(&api, Some(&token)).await.json()["totals"]["hours"], 3.5);

        // The network's lead and members, and the facilitator of another network, are kept out.
        for user in [&lead, &member, &other] {
            app.login(&user.email).await;
            assert_eq!(app.get(&diary).await.status, StatusCode::FORBIDDEN);
            let post = app.post(&diary, &[("entry_date", &days_ago(1)), ("hours", "1"), ("kind", "coaching")]).await;
            assert_eq!(post.status, StatusCode::FORBIDDEN);
            let user_token = app.token_for(user).await;
            assert_eq!(app.api_get(&api, Some(&user_token)).await.status, StatusCode::FORBIDDEN);
            let write = app.api_send(Method::POST, &api, Some(&user_token), json!({"entry_date": days_ago(1), "hours": 1, "kind": "coaching"})).await;
            assert_eq!(write.status, StatusCode::FORBIDDEN);
        }
        assert_eq!(app.get(&format!("/networks/{}/diary", b.id)).await.status, StatusCode::OK, "the other facilitator keeps their own");
        assert_eq!(app.get("/diary/totals").await.status, StatusCode::FORBIDDEN);

        app.login(&coordinator.email).await;
        let totals = app.get("/diary/totals").await;
        assert_eq!(totals.status, StatusCode::OK);
        assert!(totals.body.contains("Rete Adda") && totals.body.contains("3,5"), "{}", totals.body);
        let page = app.get(&diary).await;
        assert_eq!(page.status, StatusCode::OK, "the coordination reads every diary of its programme");
    }

    async fn the_matrix_is_edited_analysed_exported_and_kept_per_network(app: TestApp) {
        let (a, b, organisations) = two_networks(&app).await;
        let line = app.db.put_action_line(&Actor::cli(), &app.programme_id, 2, "Accesso ai servizi").await.unwrap();
        let lead = on_network(&app, &a, Role::NetworkLead).await;
        let member = on_network(&app, &a, Role::NetworkMember).await;
        let facilitator = on_network(&app, &a, Role::Facilitator).await;
        let other_lead = on_network(&app, &b, Role::NetworkLead).await;
        let matrix = format!("/networks/{}/matrix", a.id);

        app.login(&lead.email).await;
        assert!(app.get(&matrix).await.body.contains("non ha ancora obiettivi"));
        let refused = app.post(&format!("{matrix}/objectives"), &[("title", " "), ("action_line_id", "")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("«Titolo»"), "{}", refused.body);
        let added = app.post(&format!("{matrix}/objectives"), &[("title", "Sportello unico per l'integrazione"), ("action_line_id", &line.id)]).await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        let page = app.get(&matrix).await;
        assert!(page.body.contains("<th scope=\"col\">Coordinamento</th>"), "the default processes come with the first objective");
        assert!(page.body.contains("<th scope=\"row\">Sportello unico"), "{}", page.body);

        let token = app.token_for(&lead).await;
        let api = format!("/api/v1/networks/{}/matrix", a.id);
        let grid = app.api_get(&api, Some(&token)).await.json();
        assert_eq!(grid["processes"].as_array().unwrap().len(), 6);
        let objective = grid["objectives"][0]["id"].as_str().unwrap().to_owned();
        assert_eq!(grid["gaps"], json!([objective]), "nobody is responsible yet");
        let coordination = grid["processes"][0]["id"].as_str().unwrap().to_owned();

        // One form per cell, without JavaScript.
        let cell = format!("{matrix}/cells/{objective}/{coordination}");
        let form = app.get(&cell).await;
        assert!(form.body.contains("Ente 2 di Rete Adda") && !form.body.contains("Rete Brembo"), "only the network's members");
        let role_0 = format!("role_{}", organisations[0]);
        let role_1 = format!("role_{}", organisations[1]);
        let saved = app.post(&cell, &[("status", "in_progress"), (&role_0, "R"), (&role_1, "C")]).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let page = app.get(&matrix).await;
        assert!(page.body.contains("Nessuna lacuna"), "{}", page.body);
        assert!(page.body.contains("Coordinamento: solo Ente 0 di Rete Adda"), "fragility");
        assert!(page.body.contains("In corso"));

        // A cell naming a non-member is refused whole.
        let cell_api = format!("{api}/cells/{objective}/{coordination}");
        let outsider = app.db.network(&b.id).await.unwrap().unwrap().memberships[0].organisation_id.clone();
        let bad = app.api_send(Method::PUT, &cell_api, Some(&token), json!({"status": "achieved", "assignments": [{"organisation_id": organisations[2], "role": "A"}, {"organisation_id": outsider, "role": "R"}]})).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert_eq!(bad.json()["error"]["fields"][0]["field"], "assignments[1].organisation_id");
        let bad_role = app.api_send(Method::PUT, &cell_api, Some(&token), json!({"assignments": [{"organisation_id": organisations[2], "role": "X"}]})).await;
        assert_eq!(bad_role.status, StatusCode::UNPROCESSABLE_ENTITY);
        let grid = app.api_get(&api, Some(&token)).await.json();
        assert_eq!(grid["cells"][0]["status"], "in_progress");
        assert_eq!(grid["cells"][0]["assignments"].as_array().unwrap().len(), 2, "nothing half-saved");
        assert_eq!(grid["load"][0]["responsible"], 1);

        // Processes: add, refuse a duplicate, move, rename, remove.
        let formazione = app.api_send(Method::POST, &format!("{api}/processes"), Some(&token), json!({"name": "Formazione"})).await;
        assert_eq!(formazione.status, StatusCode::CREATED);
        let duplicate = app.post(&format!("{matrix}/processes"), &[("name", "formazione")]).await;
        assert_eq!(duplicate.status, StatusCode::UNPROCESSABLE_ENTITY);
        let process = formazione.json()["processes"][6]["id"].as_str().unwrap().to_owned();
        let moved = app.api_send(Method::PUT, &format!("{api}/processes/{process}"), Some(&token), json!({"name": "Formazione congiunta", "position": 1})).await;
        assert_eq!(moved.json()["processes"][0]["name"], "Formazione congiunta");
        assert_eq!(moved.json()["processes"][1]["name"], "Coordinamento");
        let removed = app.post(&format!("{matrix}/processes/{process}/delete"), &[]).await;
        assert_eq!(removed.status, StatusCode::SEE_OTHER);

        let history = app.get(&format!("{matrix}/history")).await;
        assert!(history.body.contains("Cella modificata") && history.body.contains("Processo rimosso"), "{}", history.body);
        let csv = app.get(&format!("{matrix}/export?format=csv")).await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.body.contains("Obiettivo;Linea d'azione;Processo;Stato;Ente;Ruolo RACI"), "{}", csv.body);
        assert!(csv.body.contains("Sportello unico per l'integrazione;2;Coordinamento;in_progress;Ente 0 di Rete Adda;R"));
        let xlsx = app.get(&format!("{matrix}/export?format=xlsx")).await;
        assert!(xlsx.bytes.starts_with(b"PK"), "an XLSX is a zip");
        assert_eq!(app.get(&format!("{matrix}/export?format=pdf")).await.status, StatusCode::UNPROCESSABLE_ENTITY);

        // Members read; the facilitator edits; the lead of another network does neither.
        app.login(&member.email).await;
        let read = app.get(&matrix).await;
        assert_eq!(read.status, StatusCode::OK);
        assert!(!read.body.contains("Aggiungi un obiettivo"));
        assert_eq!(app.post(&format!("{matrix}/objectives"), &[("title", "Altro")]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.get(&cell).await.status, StatusCode::FORBIDDEN);
        app.login(&facilitator.email).await;
        assert_eq!(app.post(&format!("{matrix}/objectives"), &[("title", "Rete con le scuole")]).await.status, StatusCode::SEE_OTHER);
        app.login(&other_lead.email).await;
        assert_eq!(app.get(&matrix).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.post(&cell, &[("status", "achieved")]).await.status, StatusCode::FORBIDDEN);
        let other_token = app.token_for(&other_lead).await;
        assert_eq!(app.api_get(&api, Some(&other_token)).await.status, StatusCode::FORBIDDEN);
        let write = app.api_send(Method::PUT, &cell_api, Some(&other_token), json!({"status": "achieved"})).await;
        assert_eq!(write.status, StatusCode::FORBIDDEN);
        // Nor can they reach network A's objective through their own network's address.
        let own = format!("/api/v1/networks/{}/matrix/objectives/{objective}", b.id);
        assert_eq!(app.api_send(Method::DELETE, &own, Some(&other_token), json!({})).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.api_get(&api, Some(&token)).await.json()["objectives"].as_array().unwrap().len(), 2);
    }
}
