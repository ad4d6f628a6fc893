//! Sustainability plans (decision 0044), by page and by API, on both engines: the network's lead
//! edits its plan, bad input is refused whole naming each field, members read and do not write,
//! another network's people are kept out; reviews at the reading-tool rounds and the warning of a
//! round without one; the programme's share of funded plans.

use crate::app_tests;
use crate::harness::TestApp;
use axum::http::{Method, StatusCode};
use reti_domain::reading::{RoundInput, RoundKind, default_instrument};
use reti_domain::taxcode::check_digit_numeric;
use reti_domain::{MembershipRole, NetworkStatus, Role};
use reti_store::Actor;
use reti_store::registry::networks::{MembershipInput, Network, NetworkInput};
use reti_store::sustainability::{PlanStatus, Section};
use reti_store::users::User;
use serde_json::json;

fn tax_code(n: u32) -> String {
    let first10 = format!("{n:07}000");
    format!("{first10}{}", check_digit_numeric(&first10))
}

/// A network of the test programme named `name`, with `members` member organisations.
async fn network(app: &TestApp, name: &str, members: u32, first_code: u32) -> Network {
    let actor = Actor::cli();
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
    for member in 0..members {
        let organisation_id =
            app.organisation(&format!("Ente {member} di {name}"), &tax_code(first_code + member)).await;
        let role = if member == 0 { MembershipRole::Lead } else { MembershipRole::Partner };
        let membership = MembershipInput { organisation_id, role, joined_on: None };
        app.db.add_membership(&actor, &network.id, &membership).await.unwrap();
    }
    app.db.network(&network.id).await.unwrap().unwrap()
}

async fn on_network(app: &TestApp, network: &Network, role: Role) -> User {
    let user = app.user().role(role).create().await;
    app.db.assign_to_network(&Actor::cli(), &user.id, &network.id, role).await.unwrap();
    user
}

/// A round of the test programme opening `opens_days_ago` days ago (negative: in the future).
async fn round(app: &TestApp, kind: RoundKind, opens_days_ago: i64) -> String {
    let today = reti_domain::meetings::today_in_rome();
    let version_id =
        app.db.create_instrument(&Actor::cli(), &app.programme_id, &default_instrument(), true).await.unwrap();
    let input = RoundInput {
        kind,
        version_id,
        opens_on: today - time::Duration::days(opens_days_ago),
        closes_on: today - time::Duration::days(opens_days_ago - 20),
    };
    app.db.create_round(&Actor::cli(), &app.programme_id, &input, &[]).await.unwrap()
}

fn days_ago(days: i64) -> String {
    (reti_domain::meetings::today_in_rome() - time::Duration::days(days)).to_string()
}

app_tests! {
    async fn the_lead_edits_the_plan_members_read_it_and_others_are_kept_out(app: TestApp) {
        let a = network(&app, "Rete Adda", 2, 1).await;
        let b = network(&app, "Rete Brembo", 1, 10).await;
        let lead = on_network(&app, &a, Role::NetworkLead).await;
        let member = on_network(&app, &a, Role::NetworkMember).await;
        let facilitator = on_network(&app, &a, Role::Facilitator).await;
        let other_lead = on_network(&app, &b, Role::NetworkLead).await;
        let coordinator = app.user().role(Role::Coordinator).create().await;
        let plan = format!("/networks/{}/sustainability", a.id);

        app.login(&lead.email).await;
        assert!(app.get(&format!("/networks/{}", a.id)).await.body.contains(&plan), "the network links its plan");
        let page = app.get(&plan).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Piano di sostenibilità") && page.body.contains("Non ancora scritto"), "{}", page.body);

        let saved = app.post(&plan, &[("sustain_summary", "Il tavolo **continua** con i Comuni.\n\n<script>alert(1)</script>")]).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let added = app.post(&format!("{plan}/sources"), &[("kind", "foundation"), ("sustain_amount", "12.500"), ("status", "obtained"), ("note", "Bando 2027")]).await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        app.post(&format!("{plan}/sources"), &[("kind", "regional"), ("sustain_amount", ""), ("status", "requested")]).await;
        let member_org = &a.memberships[0].organisation_id;
        let committed = app.post(&format!("{plan}/commitments"), &[("organisation_id", member_org), ("sustain_commitment", "Mette a disposizione la sede"), ("sustain_until", "2028-12-31")]).await;
        assert_eq!(committed.status, StatusCode::SEE_OTHER, "{}", committed.body);
        app.post(&format!("{plan}/risks"), &[("description", "Il bando regionale slitta"), ("sustain_likelihood", "medium"), ("sustain_impact", "high"), ("sustain_mitigation", "Fondi ponte dei Comuni")]).await;
        let grown = app.post(&format!("{plan}/growth"), &[("sustain_growth_label", "Le scuole del quartiere")]).await;
        assert_eq!(grown.status, StatusCode::SEE_OTHER, "{}", grown.body);

        let page = app.get(&plan).await;
        for text in ["<strong>continua</strong>", "12.500,00 €", "Finanziato", "Fondazioni", "Richiesto", "Mette a disposizione la sede", "31/12/2028", "Il bando regionale slitta", "Le scuole del quartiere"] {
            assert!(page.body.contains(text), "{text} is shown: {}", page.body);
        }
        assert!(!page.body.contains("<script>alert(1)"), "the summary's HTML never gets through");

        // Bad input names every field, in Italian, and saves nothing.
        let refused = app.post(&format!("{plan}/sources"), &[("kind", ""), ("sustain_amount", "tanti"), ("status", "vinto")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        for field in ["Tipologia", "Importo", "Stato"] {
            assert!(refused.body.contains(&format!("«{field}»")), "{field} is named: {}", refused.body);
        }
        assert!(refused.body.contains("value=\"tanti\""), "the typed value is shown again");
        let stranger = &b.memberships[0].organisation_id;
        let refused = app.post(&format!("{plan}/commitments"), &[("organisation_id", stranger), ("sustain_commitment", "x")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("non è membro attuale della rete"), "{}", refused.body);
        let refused = app.post(&format!("{plan}/risks"), &[("description", ""), ("sustain_likelihood", "enorme"), ("sustain_impact", "")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        for field in ["Descrizione", "Probabilità", "Impatto"] {
            assert!(refused.body.contains(&format!("«{field}»")), "{field} is named: {}", refused.body);
        }
        assert_eq!(app.post(&format!("{plan}/bogus"), &[]).await.status, StatusCode::NOT_FOUND);
        let stored = app.db.sustainability_plan(&a.id).await.unwrap();
        assert_eq!((stored.sources.len(), stored.commitments.len(), stored.risks.len(), stored.growth.len()), (2, 1, 1, 1));
        assert_eq!(stored.status(), PlanStatus::Funded);

        // A source is changed through its prefilled form, a risk removed.
        let source_id = stored.sources[1].id.clone();
        let form = app.get(&format!("{plan}?edit={source_id}")).await;
        assert!(form.body.contains(&format!("action=\"{plan}/sources/{source_id}\"")), "the form changes the source");
        let changed = app.post(&format!("{plan}/sources/{source_id}"), &[("kind", "regional"), ("sustain_amount", "40.000,50"), ("status", "denied")]).await;
        assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
        let removed = app.post(&format!("{plan}/risks/{}/delete", stored.risks[0].id), &[]).await;
        assert_eq!(removed.status, StatusCode::SEE_OTHER);
        let stored = app.db.sustainability_plan(&a.id).await.unwrap();
        assert_eq!((stored.sources[1].amount_cents, stored.risks.len()), (Some(4_000_050), 0));
        let audit = app.db.audit_vocabulary().await.unwrap().0;
        assert!(audit.iter().any(|e| e == "sustainability_source"), "changes are audited: {audit:?}");

        // Members read without forms and cannot write; the facilitator writes.
        app.login(&member.email).await;
        let page = app.get(&plan).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("12.500,00 €") && !page.body.contains("id=\"sources-kind\""), "read only");
        assert_eq!(app.post(&format!("{plan}/sources"), &[("kind", "other"), ("status", "hypothesis")]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.post(&plan, &[("sustain_summary", "x")]).await.status, StatusCode::FORBIDDEN);
        app.login(&facilitator.email).await;
        assert_eq!(app.post(&format!("{plan}/sources"), &[("kind", "other"), ("status", "hypothesis")]).await.status, StatusCode::SEE_OTHER);

        // Another network's lead is kept out of this plan, by page and by API.
        app.login(&other_lead.email).await;
        assert_eq!(app.get(&plan).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.post(&format!("{plan}/sources"), &[("kind", "other"), ("status", "hypothesis")]).await.status, StatusCode::FORBIDDEN);
        let token = app.token_for(&other_lead).await;
        let api = format!("/api/v1/networks/{}/sustainability", a.id);
        assert_eq!(app.api_get(&api, Some(&token)).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.api_send(Method::PUT, &api, Some(&token), json!({})).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.get(&format!("/networks/{}/sustainability", b.id)).await.status, StatusCode::OK, "its own plan it reads");

        app.login(&coordinator.email).await;
        assert_eq!(app.post(&format!("{plan}/growth"), &[("sustain_growth_label", "Il consultorio")]).await.status, StatusCode::SEE_OTHER);
        assert_eq!(app.db.sustainability_plan(&a.id).await.unwrap().sources.len(), 3);
    }

    async fn the_plan_is_reviewed_at_each_round(app: TestApp) {
        let a = network(&app, "Rete Adda", 1, 1).await;
        let lead = on_network(&app, &a, Role::NetworkLead).await;
        let baseline = round(&app, RoundKind::Baseline, 60).await;
        let midterm = round(&app, RoundKind::Midterm, 2).await;
        let last = round(&app, RoundKind::Final, -30).await;
        let plan = format!("/networks/{}/sustainability", a.id);
        let reviews = format!("{plan}/reviews");

        app.login(&lead.email).await;
        let page = app.get(&plan).await;
        assert!(page.body.contains("id=\"sustain-review-due\"") && page.body.contains("Rilevazione intermedia"), "{}", page.body);
        assert!(page.body.contains("Il piano non è ancora stato rivisto."));
        assert!(!page.body.contains(&format!("value=\"{last}\"")), "a round not open yet is not offered");

        let done = app.post(&reviews, &[("round_id", &baseline), ("sustain_reviewed_on", &days_ago(40)), ("note", "Prima stesura")]).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        let page = app.get(&plan).await;
        assert!(page.body.contains("id=\"sustain-review-due\""), "the mid-term round still has no review");
        assert!(page.body.contains("Prima stesura"));

        for (round_id, day, expected) in [
            (baseline.as_str(), days_ago(1), "è già stato rivisto"),
            (last.as_str(), days_ago(1), "non indica una rilevazione già aperta"),
            (midterm.as_str(), days_ago(-2), "è nel futuro"),
            ("", days_ago(1), "«Rilevazione»"),
        ] {
            let refused = app.post(&reviews, &[("round_id", round_id), ("sustain_reviewed_on", &day)]).await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{round_id} {day}");
            assert!(refused.body.contains(expected), "{expected}: {}", refused.body);
        }

        let done = app.post(&reviews, &[("round_id", &midterm), ("sustain_reviewed_on", &days_ago(0)), ("note", "Revisione intermedia")]).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        let page = app.get(&plan).await;
        assert!(!page.body.contains("id=\"sustain-review-due\""), "every open round has its review");
        let today = reti_domain::dates::format(reti_domain::meetings::today_in_rome());
        assert!(page.body.contains(&format!("{today}, alla Rilevazione intermedia")), "the last review is shown: {}", page.body);

        // The API lists the reviews and refuses a second one at the same round, naming the field.
        let token = app.token_for(&lead).await;
        let listed = app.api_get(&format!("/api/v1{reviews}"), Some(&token)).await.json();
        assert_eq!(listed.as_array().unwrap().len(), 2);
        assert_eq!(listed[0]["round_kind"], "baseline");
        let again = app.api_send(Method::POST, &format!("/api/v1{reviews}"), Some(&token), json!({"round_id": midterm, "reviewed_on": days_ago(0)})).await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(again.json()["error"]["fields"][0]["field"], "round_id", "{}", again.body);
        let plan_json = app.api_get(&format!("/api/v1{plan}"), Some(&token)).await.json();
        assert_eq!(plan_json["review_due_round_id"], serde_json::Value::Null);

        let review_id = app.db.sustainability_plan(&a.id).await.unwrap().reviews[0].id.clone();
        assert_eq!(app.post(&format!("{reviews}/{review_id}/delete"), &[]).await.status, StatusCode::SEE_OTHER);
        assert_eq!(app.post(&format!("{reviews}/{review_id}"), &[]).await.status, StatusCode::NOT_FOUND, "a review is not changed");
    }

    async fn the_api_reads_and_replaces_the_plan_whole(app: TestApp) {
        let a = network(&app, "Rete Adda", 2, 1).await;
        let lead = on_network(&app, &a, Role::NetworkLead).await;
        let member = on_network(&app, &a, Role::NetworkMember).await;
        let api = format!("/api/v1/networks/{}/sustainability", a.id);
        let token = app.token_for(&lead).await;
        let organisation_id = a.memberships[0].organisation_id.clone();

        let body = json!({
            "summary": "Piano via API",
            "sources": [{"kind": "municipal", "amount_cents": 1_800_000, "status": "obtained", "note": "Piano di zona"},
                        {"kind": "european", "status": "hypothesis"}],
            "commitments": [{"organisation_id": organisation_id, "commitment": "Segreteria del tavolo", "until": "2028-06-30"}],
            "risks": [{"description": "Cambio di giunta", "likelihood": "low", "impact": "high", "mitigation": "Protocollo firmato"}],
            "growth": [{"label": "Le parrocchie"}],
        });
        let put = app.api_send(Method::PUT, &api, Some(&token), body).await;
        assert_eq!(put.status, StatusCode::OK, "{}", put.body);
        let plan = app.api_get(&api, Some(&app.token_for(&member).await)).await;
        assert_eq!(plan.status, StatusCode::OK, "members read the plan");
        let plan = plan.json();
        assert_eq!(plan["status"], "funded");
        assert_eq!(plan["sources"][0]["amount_cents"], 1_800_000);
        assert_eq!(plan["sources"][1]["amount_cents"], serde_json::Value::Null);
        assert_eq!(plan["commitments"][0]["until"], "2028-06-30");
        assert_eq!(plan["risks"][0]["impact"], "high");
        assert_eq!(plan["growth"][0]["organisation_id"], serde_json::Value::Null);

        // Every problem at once, each naming its item; nothing is written.
        let bad = json!({
            "sources": [{"kind": "municipal", "amount_cents": -5, "status": "obtained"}],
            "commitments": [{"organisation_id": "nessuno", "commitment": ""}],
            "risks": [{"description": "x", "likelihood": "forse", "impact": "low"}],
            "growth": [{"organisation_id": "nessuno"}],
        });
        let refused = app.api_send(Method::PUT, &api, Some(&token), bad).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<String> = refused.json()["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap().to_owned()).collect();
        assert_eq!(fields, ["sources[0].amount_cents", "commitments[0].organisation_id", "commitments[0].commitment", "risks[0].likelihood", "growth[0].organisation_id"]);
        assert_eq!(app.db.sustainability_plan(&a.id).await.unwrap().summary, "Piano via API");

        let member_token = app.token_for(&member).await;
        assert_eq!(app.api_send(Method::PUT, &api, Some(&member_token), json!({})).await.status, StatusCode::FORBIDDEN);
        let emptied = app.api_send(Method::PUT, &api, Some(&token), json!({"summary": ""})).await.json();
        assert_eq!((emptied["status"].as_str(), emptied["sources"].as_array().map(Vec::len)), (Some("draft"), Some(0)));
        assert_eq!(Section::parse("reviews"), Some(Section::Reviews));
    }

    async fn the_share_of_networks_with_a_funded_plan(app: TestApp) {
        let a = network(&app, "Rete Adda", 1, 1).await;
        let b = network(&app, "Rete Brembo", 1, 10).await;
        network(&app, "Rete Chiese", 1, 20).await;
        let lead = on_network(&app, &a, Role::NetworkLead).await;
        let coordinator = app.user().role(Role::Coordinator).create().await;

        app.login(&lead.email).await;
        app.post(&format!("/networks/{}/sustainability/sources", a.id), &[("kind", "foundation"), ("sustain_amount", "5.000"), ("status", "obtained")]).await;
        app.post(&format!("/networks/{}/sustainability/sources", a.id), &[("kind", "municipal"), ("sustain_amount", "1.000"), ("status", "obtained")]).await;
        app.post(&format!("/networks/{}/sustainability/sources", a.id), &[("kind", "regional"), ("sustain_amount", "9.000"), ("status", "requested")]).await;
        let b_lead = on_network(&app, &b, Role::NetworkLead).await;
        app.login(&b_lead.email).await;
        app.post(&format!("/networks/{}/sustainability/sources", b.id), &[("kind", "european"), ("status", "denied")]).await;

        let share = app.db.funded_plan_share(&app.programme_id).await.unwrap();
        assert_eq!((share.funded, share.networks), (1, 3));
        let statuses: Vec<(&str, PlanStatus, bool, i64, i64)> =
            share.rows.iter().map(|r| (r.network_name.as_str(), r.status, r.funded, r.sources, r.obtained_cents)).collect();
        assert_eq!(statuses, [
            ("Rete Adda", PlanStatus::Funded, true, 3, 600_000),
            ("Rete Brembo", PlanStatus::Draft, false, 1, 0),
            ("Rete Chiese", PlanStatus::Missing, false, 0, 0),
        ]);
        // The share recomputed from each network's own plan.
        let mut funded = 0;
        for row in &share.rows {
            funded += i64::from(app.db.sustainability_plan(&row.network_id).await.unwrap().funded());
        }
        assert_eq!(funded, share.funded);

        let page = format!("/programmes/{}/sustainability", app.programme_id);
        assert_eq!(app.get(&page).await.status, StatusCode::FORBIDDEN, "the programme's table is the coordination's");
        app.login(&coordinator.email).await;
        let table = app.get(&page).await;
        assert_eq!(table.status, StatusCode::OK);
        assert!(table.body.contains("1 reti su 3 hanno un piano finanziato") && table.body.contains("(33 %)"), "{}", table.body);
        assert!(table.body.contains("6.000,00 €") && table.body.contains("In preparazione") && table.body.contains("Non ancora scritto"), "{}", table.body);
    }
}
