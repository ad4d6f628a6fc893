//! Reading tools, by page and by API, on both engines: versioned instruments (a published version
//! refuses edits), rounds with their invitations, answers (drafts, submission once, the scale,
//! the deadline), results and their isolation, route by route.

use crate::app_tests;
use crate::harness::TestApp;
use axum::http::{Method, StatusCode};
use reti_domain::input::person::PersonInput;
use reti_domain::reading::{ItemKind, RoundInput, RoundKind, default_instrument, format_number};
use reti_domain::taxcode::check_digit_numeric;
use reti_domain::{Email, MembershipRole, PersonName, Role};
use reti_store::Actor;
use reti_store::registry::networks::Network;
use reti_store::users::User;
use serde_json::json;

fn tax_code(n: u32) -> String {
    let first10 = format!("{n:07}000");
    format!("{first10}{}", check_digit_numeric(&first10))
}

struct World {
    a: Network,
    b: Network,
    /// Organisations of A (two) and of B (one).
    a_orgs: Vec<String>,
    b_org: String,
    coordinator: User,
    /// Works for A's first organisation, leads A.
    referent: User,
    /// Works for A's second organisation, member of A.
    member: User,
    /// Works for B's organisation, leads B.
    other: User,
}

/// A user who works for `organisation_id` (a person with the same e-mail) and has `role` on the network.
async fn worker(app: &TestApp, network: &Network, organisation_id: &str, role: Role) -> User {
    let user = app.user().role(role).create().await;
    app.db.assign_to_network(&Actor::cli(), &user.id, &network.id, role).await.unwrap();
    let input = PersonInput {
        name: PersonName::parse(&user.name).unwrap(),
        email: Some(Email::parse(&user.email).unwrap()),
        phone: String::new(),
    };
    let person = app.db.create_person(&Actor::cli(), &input).await.unwrap();
    app.db.add_affiliation(&Actor::cli(), &person.id, organisation_id, "Referente").await.unwrap();
    user
}

async fn world(app: &TestApp) -> World {
    let mut networks = Vec::new();
    let mut organisations = Vec::new();
    for (index, (name, members)) in [("Rete Adda", 2), ("Rete Brembo", 1)].into_iter().enumerate() {
        let mut network = app.network(name);
        for member in 0..members {
            let code = tax_code(u32::try_from(index * 10 + member + 1).unwrap());
            let organisation_id = app.organisation(&format!("Ente {member} di {name}"), &code).await;
            let role = if member == 0 { MembershipRole::Lead } else { MembershipRole::Partner };
            network = network.member(&organisation_id, role);
            organisations.push(organisation_id);
        }
        networks.push(network.create().await);
    }
    let b = networks.pop().unwrap();
    let a = networks.pop().unwrap();
    let b_org = organisations.pop().unwrap();
    let coordinator = app.user().role(Role::Coordinator).create().await;
    let referent = worker(app, &a, &organisations[0], Role::NetworkLead).await;
    let member = worker(app, &a, &organisations[1], Role::NetworkMember).await;
    let other = worker(app, &b, &b_org, Role::NetworkLead).await;
    World { a, b, a_orgs: organisations, b_org, coordinator, referent, member, other }
}

/// A complete, valid answer to the default instrument, at `level` on the scale.
fn full_answers(level: usize) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for dimension in default_instrument().dimensions {
        for item in dimension.items {
            let value = match item.kind {
                ItemKind::Likert => level.to_string(),
                ItemKind::Single => "1".into(),
                ItemKind::Multiple => "0".into(),
                ItemKind::Number => format_number(item.max),
                ItemKind::Text => continue,
            };
            pairs.push((item.key, value));
        }
    }
    pairs
}

fn days(n: i64) -> time::Date {
    reti_domain::meetings::today_in_rome() + time::Duration::days(n)
}

/// The default instrument published, and a round of `kind` open from `opens` to `closes` days from today.
async fn open_round(app: &TestApp, kind: RoundKind, opens: i64, closes: i64) -> String {
    let version_id =
        app.db.create_instrument(&Actor::cli(), &app.programme_id, &default_instrument(), true).await.unwrap();
    let input = RoundInput { kind, version_id, opens_on: days(opens), closes_on: days(closes) };
    app.db.create_round(&Actor::cli(), &app.programme_id, &input, &[]).await.unwrap()
}

app_tests! {
    async fn a_published_version_is_immutable_and_a_draft_starts_as_its_copy(app: TestApp) {
        let w = world(&app).await;
        app.login(&w.coordinator.email).await;
        let programme = format!("/programmes/{}/reading", app.programme_id);
        assert_eq!(app.get(&programme).await.status, StatusCode::OK);
        let loaded = app.post(&format!("{programme}/default"), &[]).await;
        assert_eq!(loaded.status, StatusCode::SEE_OTHER, "{}", loaded.body);
        let version_page = loaded.location().to_owned();
        let version_id = version_page.rsplit('/').next().unwrap().to_owned();
        let page = app.get(&version_page).await;
        assert!(page.body.contains("Potenziale generativo della rete") && page.body.contains("Integrazione dei servizi"));

        // Bad input names the field and saves nothing.
        let refused = app.post(&format!("{version_page}/dimensions"), &[("name_it", ""), ("weight", "0")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("«Nome (italiano)»") && refused.body.contains("«Peso»"), "{}", refused.body);
        let added = app.post(&format!("{version_page}/dimensions"), &[("name_it", "Comunicazione"), ("name_en", "Communication"), ("order", "1")]).await;
        assert_eq!(added.status, StatusCode::SEE_OTHER);
        let version = app.db.reading_version(&version_id).await.unwrap().unwrap();
        assert_eq!(version.content.dimensions.len(), 9);
        assert_eq!(version.content.dimensions[0].name.it, "Comunicazione", "moved to the first place");
        // A dimension without a scored question keeps the version from being published.
        let unpublishable = app.post(&format!("{version_page}/publish"), &[]).await;
        assert_eq!(unpublishable.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(unpublishable.body.contains("Comunicazione"), "{}", unpublishable.body);
        let key = version.content.dimensions[0].key.clone();
        let item = app.post(&format!("{version_page}/dimensions/{key}/items"), &[("text_it", "La rete comunica?"), ("kind", "likert")]).await;
        assert_eq!(item.status, StatusCode::SEE_OTHER, "{}", item.body);
        // The maturity bands are edited on the page too: a floor out of order is named by its line.
        let bands = "0 | Avvio | Start\n40 | Crescita\n80 | Generativa | Generative";
        assert_eq!(app.post(&format!("{version_page}/bands"), &[("bands", bands)]).await.status, StatusCode::SEE_OTHER);
        let saved = app.db.reading_version(&version_id).await.unwrap().unwrap().content.bands;
        assert_eq!(saved.iter().map(|b| (b.min, b.label.en.as_str())).collect::<Vec<_>>(), [(0.0, "Start"), (40.0, "Crescita"), (80.0, "Generative")]);
        let bad = app.post(&format!("{version_page}/bands"), &[("bands", "0 | Avvio\n90 | Alta\n50 | Media")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("«50 | Media»") && bad.body.contains("aria-invalid=\"true\""), "{}", bad.body);
        assert_eq!(app.db.reading_version(&version_id).await.unwrap().unwrap().content.bands, saved, "nothing half-saved");
        assert_eq!(app.post(&format!("{version_page}/publish"), &[]).await.status, StatusCode::SEE_OTHER);
        assert_eq!(app.post(&format!("{version_page}/bands"), &[("bands", bands)]).await.status, StatusCode::UNPROCESSABLE_ENTITY);

        // Published: the page says so, and every edit is refused whole, by page and by API.
        assert!(app.get(&version_page).await.body.contains("non si può più modificare"));
        let edit = app.post(&format!("{version_page}/dimensions"), &[("name_it", "Altro")]).await;
        assert_eq!(edit.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(edit.body.contains("«Versione dello strumento»"), "{}", edit.body);
        let token = app.token_for(&w.coordinator).await;
        let api = app.api_send(Method::PUT, &format!("/api/v1/reading/versions/{version_id}"), Some(&token), json!(default_instrument())).await;
        assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(api.json()["error"]["fields"][0]["field"], "version", "{}", api.body);
        assert_eq!(app.db.reading_version(&version_id).await.unwrap().unwrap().content.dimensions.len(), 9);

        let draft = app.post(&format!("{version_page}/draft"), &[]).await;
        assert_eq!(draft.status, StatusCode::SEE_OTHER);
        let draft_id = draft.location().rsplit('/').next().unwrap().to_owned();
        let copy = app.db.reading_version(&draft_id).await.unwrap().unwrap();
        assert_eq!((copy.number, copy.published), (2, false));
        assert_eq!(copy.content, app.db.reading_version(&version_id).await.unwrap().unwrap().content);
        let listed = app.api_get(&format!("/api/v1/programmes/{}/reading/versions", app.programme_id), Some(&token)).await;
        assert_eq!(listed.json().as_array().unwrap().len(), 2);

        // Only the coordination reaches instruments.
        app.login(&w.referent.email).await;
        assert_eq!(app.get(&version_page).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.get(&programme).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.post(&format!("{version_page}/publish"), &[]).await.status, StatusCode::FORBIDDEN);
        let referent_token = app.token_for(&w.referent).await;
        assert_eq!(app.api_get(&format!("/api/v1/reading/versions/{version_id}"), Some(&referent_token)).await.status, StatusCode::FORBIDDEN);
    }

    async fn organisations_answer_once_within_the_scale_and_the_deadline(app: TestApp) {
        let w = world(&app).await;
        let version_id = app.db.create_instrument(&Actor::cli(), &app.programme_id, &default_instrument(), true).await.unwrap();
        app.login(&w.coordinator.email).await;
        let rounds = format!("/programmes/{}/reading/rounds", app.programme_id);
        let round_form = |kind: &'static str| {
            vec![("kind", kind.to_owned()), ("version_id", version_id.clone()), ("opens_on", days(-1).to_string()), ("closes_on", days(10).to_string())]
        };
        let form: Vec<(&str, String)> = round_form("baseline");
        let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let opened = app.post(&rounds, &fields).await;
        assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
        let round_id = opened.location().rsplit('/').next().unwrap().to_owned();
        let again = app.post(&rounds, &fields).await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "one baseline per programme");
        let bad_dates = app.post(&rounds, &[("kind", "final"), ("version_id", &version_id), ("opens_on", "2026-05-10"), ("closes_on", "2026-05-01")]).await;
        assert_eq!(bad_dates.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad_dates.body.contains("«Scadenza»"), "{}", bad_dates.body);
        // Every person of every member organisation is invited by e-mail.
        while app.run_jobs().await > 0 {}
        let mails = app.mails();
        for user in [&w.referent, &w.member, &w.other] {
            assert!(mails.iter().any(|m| m.contains(&user.email) && m.contains("Rilevazione ex ante")), "{} invited", user.email);
        }

        let answer = |org: &str| format!("/reading/rounds/{round_id}/answer/{org}");
        app.login(&w.referent.email).await;
        assert!(app.get("/reading").await.body.contains(&answer(&w.a_orgs[0])), "the referent's rounds link the answer");
        assert_eq!(app.get(&answer(&w.a_orgs[0])).await.status, StatusCode::OK);
        assert_eq!(app.get(&answer(&w.a_orgs[1])).await.status, StatusCode::FORBIDDEN, "only for their own organisation");
        assert_eq!(app.get(&answer(&w.b_org)).await.status, StatusCode::FORBIDDEN);

        // Off the scale: the item is named, nothing is saved.
        let mut off = full_answers(4);
        off[0].1 = "7".into();
        off.push(("action".into(), "submit".into()));
        let fields: Vec<(&str, &str)> = off.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let refused = app.post(&answer(&w.a_orgs[0]), &fields).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("Domanda 1.1: la risposta è fuori scala, deve essere tra 1 e 5."), "{}", refused.body);
        assert!(app.db.reading_answer(&round_id, &w.a_orgs[0]).await.unwrap().is_none());

        // A draft may be partial; submitting needs every scored item.
        let draft = app.post(&answer(&w.a_orgs[0]), &[("d1i1", "4"), ("action", "draft")]).await;
        assert_eq!(draft.status, StatusCode::SEE_OTHER, "{}", draft.body);
        let saved = app.db.reading_answer(&round_id, &w.a_orgs[0]).await.unwrap().unwrap();
        assert!(saved.submitted_at.is_none() && saved.values.len() == 1);
        assert!(app.get(&answer(&w.a_orgs[0])).await.body.contains(r#"value="4" checked"#), "the draft comes back");
        let incomplete = app.post(&answer(&w.a_orgs[0]), &[("d1i1", "4"), ("action", "submit")]).await;
        assert_eq!(incomplete.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(incomplete.body.contains("Domanda 1.2: manca la risposta"));
        let mut full = full_answers(4);
        full.push(("action".into(), "submit".into()));
        let fields: Vec<(&str, &str)> = full.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(app.post(&answer(&w.a_orgs[0]), &fields).await.status, StatusCode::SEE_OTHER);
        let twice = app.post(&answer(&w.a_orgs[0]), &fields).await;
        assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(twice.body.contains("ha già inviato la sua risposta"), "{}", twice.body);

        // The member answers for the second organisation by API; a second answer is refused.
        let token = app.token_for(&w.member).await;
        let api = format!("/api/v1/reading/rounds/{round_id}/answers/{}", w.a_orgs[1]);
        let values: serde_json::Map<String, serde_json::Value> =
            full_answers(2).into_iter().map(|(k, v)| (k, json!(v.parse::<f64>().unwrap()))).collect();
        let off_scale = app.api_send(Method::PUT, &api, Some(&token), json!({"values": {"d1i1": 0}, "submit": false})).await;
        assert_eq!(off_scale.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(off_scale.json()["error"]["fields"][0]["field"], "d1i1");
        let put = app.api_send(Method::PUT, &api, Some(&token), json!({"values": values, "submit": true})).await;
        assert_eq!(put.status, StatusCode::OK, "{}", put.body);
        assert_eq!(put.json()["submitted"], true);
        let second = app.api_send(Method::PUT, &api, Some(&token), json!({"values": values, "submit": true})).await;
        assert_eq!(second.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(second.json()["error"]["fields"][0]["field"], "organisation_id");
        let other_org = format!("/api/v1/reading/rounds/{round_id}/answers/{}", w.a_orgs[0]);
        assert_eq!(app.api_send(Method::PUT, &other_org, Some(&token), json!({"values": {}})).await.status, StatusCode::FORBIDDEN);

        // The deadline: a closed round takes no answer.
        let closed = open_round(&app, RoundKind::Final, -30, -2).await;
        app.login(&w.other.email).await;
        let late = app.post(&format!("/reading/rounds/{closed}/answer/{}", w.b_org), &[("d1i1", "3"), ("action", "draft")]).await;
        assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(late.body.contains("la rilevazione si è chiusa il"), "{}", late.body);
        assert!(app.db.reading_answer(&closed, &w.b_org).await.unwrap().is_none());

        // Progress per network, for the coordination only.
        let progress = format!("/reading/rounds/{round_id}");
        assert_eq!(app.get(&progress).await.status, StatusCode::FORBIDDEN);
        app.login(&w.coordinator.email).await;
        let page = app.get(&progress).await;
        assert_eq!(page.status, StatusCode::OK);
        let row_a = page.body.split("Rete Adda").nth(1).unwrap();
        assert!(row_a.contains(r#"<td class="text-end">2</td><td class="text-end">2</td><td class="text-end">0</td><td class="text-end">0</td>"#), "{row_a}");
    }

    async fn results_show_the_profile_to_the_network_and_the_ranking_to_the_coordination(app: TestApp) {
        let w = world(&app).await;
        let round_id = open_round(&app, RoundKind::Baseline, -1, 5).await;
        let round = app.db.reading_round(&round_id).await.unwrap().unwrap();
        let version = app.db.reading_version(&round.version_id).await.unwrap().unwrap();
        let today = days(0);
        for (network, org, level) in [(&w.a, &w.a_orgs[0], 4), (&w.a, &w.a_orgs[1], 3), (&w.b, &w.b_org, 2)] {
            let values = reti_domain::reading::parse_answers(&version.content, &full_answers(level), true).unwrap();
            app.db.save_answer(&Actor::cli(), &round, &network.id, org, &values, true, today).await.unwrap();
        }
        let index = app.db.latest_reading_index_by_network(&app.programme_id).await.unwrap();
        assert_eq!(index.len(), 2);
        assert!(index.values().all(|i| (0.0..=100.0).contains(i)));
        assert!(index[&w.a.id] != index[&w.b.id]);

        let results = format!("/networks/{}/reading", w.a.id);
        app.login(&w.member.email).await;
        let page = app.get(&results).await;
        assert_eq!(page.status, StatusCode::OK);
        for expected in [r#"role="img""#, "<title id=\"radar-title\">", "<desc id=\"radar-desc\">", "Spazi di crescita", "Mediana del programma", "Accordo tra enti"] {
            assert!(page.body.contains(expected), "{expected}: {}", page.body);
        }
        assert!(app.get(&format!("/networks/{}", w.a.id)).await.body.contains(&results), "the network links its results");
        let csv = app.get(&format!("{results}/export?format=csv")).await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.body.contains("Dimensione") && csv.body.contains("Rete Adda") && !csv.body.contains("Rete Brembo"));
        assert_eq!(app.get(&format!("{results}/export?format=xlsx")).await.status, StatusCode::OK);
        let token = app.token_for(&w.member).await;
        let api = app.api_get(&format!("/api/v1/networks/{}/reading/results", w.a.id), Some(&token)).await;
        assert_eq!(api.status, StatusCode::OK);
        assert_eq!(api.json()[0]["organisations"], 2);
        assert!(api.json()[0]["dimensions"][0]["deviation"].as_f64().unwrap() > 0.0, "two organisations disagree");

        // Another network's people and the programme's ranking are out of reach.
        for path in [format!("/programmes/{}/reading/results", app.programme_id), format!("/programmes/{}/reading/export?format=csv", app.programme_id)] {
            assert_eq!(app.get(&path).await.status, StatusCode::FORBIDDEN, "{path}");
        }
        app.login(&w.other.email).await;
        assert_eq!(app.get(&results).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.get(&format!("{results}/export?format=csv")).await.status, StatusCode::FORBIDDEN);
        let other_token = app.token_for(&w.other).await;
        assert_eq!(app.api_get(&format!("/api/v1/networks/{}/reading/results", w.a.id), Some(&other_token)).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.api_get(&format!("/api/v1/programmes/{}/reading/rounds", app.programme_id), Some(&other_token)).await.status, StatusCode::FORBIDDEN);

        app.login(&w.coordinator.email).await;
        let ranking = app.get(&format!("/programmes/{}/reading/results", app.programme_id)).await;
        assert_eq!(ranking.status, StatusCode::OK);
        assert!(ranking.body.contains("Graduatoria") && ranking.body.contains("Rete Adda") && ranking.body.contains("Rete Brembo"));
        assert_eq!(app.get(&format!("/programmes/{}/reading/export?format=csv", app.programme_id)).await.status, StatusCode::OK);
        assert_eq!(app.get(&results).await.status, StatusCode::OK);
    }
}
