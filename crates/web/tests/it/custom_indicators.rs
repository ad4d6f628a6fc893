//! Custom indicators (decision 0046) on both engines: the coordination defines a formula and a
//! value typed by hand, by form and by API; bad formulas and a value without its required evidence
//! are refused naming the field; the figures reach the dashboards, the API, the exports with their
//! targets and AMIF references; a member sees only their network's values and evidence, another
//! programme's coordinator neither sees nor defines; every write is audited.

use crate::app_tests;
use crate::harness::TestApp;
use axum::http::{Method, StatusCode};
use reti_domain::Role;
use reti_domain::indicators::Period;
use reti_store::Actor;
use serde_json::json;

async fn audited(app: &TestApp, action: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'custom_indicator' AND action = $1")
        .bind(action)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

fn item<'a>(items: &'a [serde_json::Value], code: &str, network: Option<&str>) -> &'a serde_json::Value {
    items
        .iter()
        .find(|i| i["code"] == code && network.map_or(i["network_id"].is_null(), |n| i["network_id"] == n))
        .unwrap_or_else(|| panic!("{code} {network:?} in {items:?}"))
}

/// The markup of the chart `id` on a dashboard: its figure, SVG and data table.
fn chart<'a>(body: &'a str, id: &str) -> &'a str {
    let start = body.find(&format!("id=\"{id}-title\"")).unwrap_or_else(|| panic!("no chart {id}:\n{body}"));
    let end = body[start..].find("</figure>").map_or(body.len(), |e| start + e);
    &body[start..end]
}

/// A row of a chart's data table: its heading cell, then its figures.
fn data_row(head: &str, cells: &[&str]) -> String {
    let cells: String = cells.iter().map(|c| format!("<td class=\"text-end\">{c}</td>")).collect();
    format!("<tr><th scope=\"row\" class=\"fw-normal\">{head}</th>{cells}</tr>")
}

app_tests! {
    async fn the_coordination_defines_formulas_and_values_with_evidence(app: TestApp) {
        let adda = app.network("Rete Adda").create().await;
        let brembo = app.network("Rete Brembo").create().await;
        let coordinator = app.user().role(Role::Coordinator).create().await;
        let token = app.token_for(&coordinator).await;
        app.login(&coordinator.email).await;
        let programme = format!("/programmes/{}", app.programme_id);
        let period = Period::containing(reti_domain::meetings::today_in_rome()).to_string();

        // Bad formulas are named on their field, in Italian; nothing is written.
        let custom = format!("{programme}/indicators/custom");
        let form = |code: &'static str, kind: &'static str, formula: &'static str| {
            vec![("custom_code", code), ("custom_label_it", "Reti per due"), ("custom_label_en", ""), ("custom_unit", "count"),
                 ("custom_kind", kind), ("custom_formula", formula), ("custom_amif", "")]
        };
        let unknown = app.post(&custom, &form("doppio", "formula", "felicita * 2")).await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", unknown.body);
        assert!(unknown.body.contains("usa l&#39;indicatore «felicita», che non esiste") || unknown.body.contains("usa l'indicatore «felicita», che non esiste"), "{}", unknown.body);
        assert!(unknown.body.contains("href=\"#custom_formula\""), "the summary links the field");
        let zero = app.post(&custom, &form("doppio", "formula", "networks_supported / (3 - 3)")).await;
        assert_eq!(zero.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(zero.body.contains("divide per zero"), "{}", zero.body);
        let code = app.post(&custom, &form("meetings_held", "formula", "1")).await;
        assert!(code.body.contains("è già il codice di un indicatore"), "{}", code.body);
        assert!(app.db.custom_indicators(&app.programme_id).await.unwrap().is_empty());

        // A formula by form, a value typed by hand by API.
        let created = app.post(&custom, &form("doppio", "formula", "networks_supported × 2")).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let body = json!({"code": "volontari", "label_it": "Volontari coinvolti", "label_en": "Volunteers involved",
            "unit": "count", "evidence_required": true, "amif": "r.2.9"});
        let api = format!("/api/v1/programmes/{}/indicators/custom", app.programme_id);
        let made = app.api_send(Method::POST, &api, Some(&token), body).await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        assert_eq!((made.json()["amif"].as_str(), made.json()["formula"].as_null()), (Some("R.2.9"), Some(())));
        let bad = app.api_send(Method::POST, &api, Some(&token), json!({"code": "x_y", "label_it": "X", "unit": "count", "formula": "volontari / 0"})).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(bad.body.contains("\"formula\""), "the body's field is named: {}", bad.body);
        let again = app.api_send(Method::POST, &api, Some(&token), json!({"code": "volontari", "label_it": "X", "unit": "count"})).await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", again.body);
        assert_eq!(audited(&app, "create").await, 2);
        let per_volunteer = app.api_send(Method::POST, &api, Some(&token),
            json!({"code": "reti_per_volontario", "label_it": "Reti per volontario", "unit": "ratio", "formula": "networks_supported / volontari"})).await;
        assert_eq!(per_volunteer.status, StatusCode::CREATED, "a formula over a custom indicator: {}", per_volunteer.body);

        // A value without its required evidence is refused on the file field; with it, kept.
        let values = format!("{custom}/volontari/values");
        let token_field = app.csrf().await;
        let without = app.upload(&values, &[("csrf_token", &token_field), ("custom_period", &period), ("custom_network", &adda.id), ("custom_value", "4"), ("custom_note", "")], "", b"").await;
        assert_eq!(without.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", without.body);
        assert!(without.body.contains("questo indicatore richiede un&#39;evidenza") || without.body.contains("questo indicatore richiede un'evidenza"), "{}", without.body);
        let outside = app.upload(&values, &[("csrf_token", &token_field), ("custom_period", "1999"), ("custom_network", &adda.id), ("custom_value", "4"), ("custom_note", "")], "registro.csv", b"nome;ore\n").await;
        assert_eq!(outside.status, StatusCode::UNPROCESSABLE_ENTITY);
        let saved = app.upload(&values, &[("csrf_token", &token_field), ("custom_period", &period), ("custom_network", &adda.id), ("custom_value", "4"), ("custom_note", "registro firmato")], "registro.csv", b"nome;ore\nAnna;3\n").await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let saved = app.upload(&values, &[("csrf_token", &token_field), ("custom_period", &period), ("custom_network", &brembo.id), ("custom_value", "1"), ("custom_note", "")], "elenco.csv", b"nome\nBruno\n").await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        assert_eq!(audited(&app, "set_value").await, 2);

        // A target for a custom indicator, through the dashboard's form.
        let target = app.post(&format!("{programme}/indicators/targets"), &[("indicators_code", "volontari"), ("indicators_period", &period), ("indicators_network", ""), ("indicators_value", "10")]).await;
        assert_eq!(target.status, StatusCode::SEE_OTHER, "{}", target.body);
        assert!(app.db.indicator_targets(&app.programme_id, None).await.unwrap().is_empty(), "built-in targets stay built-in");

        // The API: the same shape, the figures per scope, targets, AMIF references.
        let list = app.api_get(&format!("/api/v1/indicators?programme={}&period={period}", app.programme_id), Some(&token)).await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        let items = list.json()["items"].as_array().unwrap().clone();
        assert_eq!(item(&items, "doppio", None)["value"], 4.0, "two networks supported, doubled");
        assert_eq!(item(&items, "doppio", Some(&adda.id))["value"], 2.0);
        let volunteers = item(&items, "volontari", None);
        assert_eq!((volunteers["value"].as_f64(), volunteers["target"].as_f64()), (Some(5.0), Some(10.0)));
        assert_eq!(volunteers["amif"]["reference"], "R.2.9");
        assert!(volunteers["rows_url"].as_str().unwrap().starts_with(&format!("{custom}/volontari?")));
        assert_eq!(item(&items, "reti_per_volontario", Some(&brembo.id))["value"], 1.0);
        assert_eq!(item(&items, "participants_unique", None)["amif"]["reference"], "O.2.3");
        assert_eq!(item(&items, "member_organisations", None)["amif"]["breakdown"], "comune");

        // The dashboards, the explanation pages, the exports.
        let dashboard = app.get(&format!("{programme}/indicators?period={period}")).await;
        assert_eq!(dashboard.status, StatusCode::OK, "{}", dashboard.body);
        assert!(dashboard.body.contains("id=\"indicator-doppio\"") && dashboard.body.contains("Volontari coinvolti"), "{}", dashboard.body);
        assert!(dashboard.body.contains("R.2.9 — Partecipanti secondo cui"), "{}", dashboard.body);
        let network = app.get(&format!("/networks/{}/indicators?period={period}", adda.id)).await;
        assert!(network.body.contains("id=\"indicator-volontari\""), "{}", network.body);
        let explain = app.get(&format!("{custom}/doppio?period={period}&network={}", adda.id)).await;
        assert_eq!(explain.status, StatusCode::OK, "{}", explain.body);
        assert!(explain.body.contains("networks_supported * 2") && explain.body.contains("id=\"indicator-value\">2<"), "{}", explain.body);
        let manual = app.get(&format!("{custom}/volontari?period={period}")).await;
        assert!(manual.body.contains("registro.csv") && manual.body.contains("elenco.csv"), "{}", manual.body);
        let csv = app.get(&format!("{programme}/indicators/export?period={period}&format=csv")).await;
        assert!(csv.body.contains("volontari") && csv.body.contains("R.2.9") && csv.body.contains("O.2.3"), "{}", csv.body);

        // A member of one network sees its value and evidence only.
        let member = app.user().role(Role::NetworkMember).on_network(&brembo.id, Role::NetworkMember).create().await;
        let member_token = app.token_for(&member).await;
        let theirs = app.api_get(&format!("/api/v1/indicators?programme={}&period={period}", app.programme_id), Some(&member_token)).await;
        let items = theirs.json()["items"].as_array().unwrap().clone();
        assert_eq!(item(&items, "volontari", None)["value"], 1.0, "the total of Brembo alone");
        assert!(!theirs.body.contains(adda.id.as_str()));
        app.login(&member.email).await;
        let page = app.get(&format!("{custom}/volontari?period={period}")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("elenco.csv") && !page.body.contains("registro.csv"), "{}", page.body);
        assert!(!page.body.contains("name=\"custom_value\""), "no form for a member");
        let adda_value = app.db.custom_values(&app.programme_id, None, None).await.unwrap().into_iter().find(|v| v.network_id.as_deref() == Some(adda.id.as_str())).unwrap();
        let evidence = format!("{custom}/volontari/values/{}/evidence", adda_value.id);
        assert_eq!(app.get(&evidence).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.post(&custom, &form("altro", "formula", "1")).await.status, StatusCode::FORBIDDEN);
        app.login(&coordinator.email).await;
        let file = app.get(&evidence).await;
        assert_eq!(file.status, StatusCode::OK);
        assert!(file.body.contains("Anna;3"));

        // Another programme's coordinator neither sees nor defines.
        let other = app.db.create_programme(&Actor::cli(), "ALTRO-2", "Altro programma").await.unwrap();
        let stranger = app.user().role_in(&other.id, Role::Coordinator).create().await;
        let stranger_token = app.token_for(&stranger).await;
        assert_eq!(app.api_get(&api, Some(&stranger_token)).await.status, StatusCode::FORBIDDEN);
        let refused = app.api_send(Method::POST, &api, Some(&stranger_token), json!({"code": "intruso", "label_it": "X", "unit": "count"})).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        app.login(&stranger.email).await;
        assert_eq!(app.get(&format!("{custom}/volontari?period={period}")).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.get(&custom).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.get(&evidence).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.db.custom_indicators(&app.programme_id).await.unwrap().len(), 3);
    }

    async fn the_coordination_changes_and_deletes_custom_indicators(app: TestApp) {
        use base64::Engine as _;
        let adda = app.network("Rete Adda").create().await;
        let coordinator = app.user().role(Role::Coordinator).create().await;
        let token = app.token_for(&coordinator).await;
        app.login(&coordinator.email).await;
        let period = Period::containing(reti_domain::meetings::today_in_rome()).to_string();
        let api = format!("/api/v1/programmes/{}/indicators/custom", app.programme_id);
        let custom = format!("/programmes/{}/indicators/custom", app.programme_id);
        let made = app.api_send(Method::POST, &api, Some(&token), json!({"code": "volontari", "label_it": "Volontari", "unit": "count", "evidence_required": true})).await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        let made = app.api_send(Method::POST, &api, Some(&token), json!({"code": "per_rete", "label_it": "Volontari per rete", "unit": "ratio", "formula": "volontari / networks_supported"})).await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);

        // The form: the code and the kind stay; a formula naming itself is refused on its field.
        let explain = app.get(&format!("{custom}/per_rete?period={period}")).await;
        assert!(explain.body.contains(&format!("href=\"{custom}/per_rete/edit\"")), "{}", explain.body);
        let edit = app.get(&format!("{custom}/per_rete/edit")).await;
        assert_eq!(edit.status, StatusCode::OK, "{}", edit.body);
        assert!(edit.body.contains("value=\"volontari / networks_supported\"") && !edit.body.contains("name=\"custom_code\""), "{}", edit.body);
        let fields = |formula: &'static str| vec![("custom_code", "rinominato"), ("custom_label_it", "Volontari ogni cento reti"), ("custom_label_en", ""),
            ("custom_unit", "ratio"), ("custom_kind", "manual"), ("custom_formula", formula), ("custom_amif", "")];
        let cycle = app.post(&format!("{custom}/per_rete"), &fields("per_rete + 1")).await;
        assert_eq!(cycle.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", cycle.body);
        assert!(cycle.body.contains("href=\"#custom_formula\"") && cycle.body.contains("«per_rete»"), "{}", cycle.body);
        let saved = app.post(&format!("{custom}/per_rete"), &fields("volontari / networks_supported * 100")).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let changed = app.db.custom_indicator(&app.programme_id, "per_rete").await.unwrap().expect("the code stayed");
        assert_eq!((changed.label_it.as_str(), changed.formula.map(|f| f.to_string())), ("Volontari ogni cento reti", Some("volontari / networks_supported * 100".to_owned())));

        // A value typed by API, its evidence in base64; without the evidence it requires, refused.
        let values = format!("{api}/volontari/values");
        let missing = app.api_send(Method::POST, &values, Some(&token), json!({"period": period, "network_id": adda.id, "value": 3})).await;
        assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", missing.body);
        assert!(missing.body.contains("\"evidence\""), "{}", missing.body);
        let garbled = app.api_send(Method::POST, &values, Some(&token), json!({"period": period, "network_id": adda.id, "value": 3, "evidence": {"file_name": "registro.csv", "content_base64": "@@@"}})).await;
        assert_eq!(garbled.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", garbled.body);
        let content = base64::engine::general_purpose::STANDARD.encode("nome;ore\nAnna;3\n");
        let typed = app.api_send(Method::POST, &values, Some(&token), json!({"period": period, "network_id": adda.id, "value": 3, "note": "registro", "evidence": {"file_name": "registro.csv", "content_base64": content}})).await;
        assert_eq!(typed.status, StatusCode::CREATED, "{}", typed.body);
        let value_id = typed.json()["id"].as_str().unwrap().to_owned();
        let volunteers = app.db.custom_indicator(&app.programme_id, "volontari").await.unwrap().unwrap();
        let evidence = app.data_dir().join("attachments").join(&volunteers.id).join(&value_id);
        assert_eq!(std::fs::read_to_string(&evidence).unwrap(), "nome;ore\nAnna;3\n");
        let list = app.api_get(&format!("/api/v1/indicators?programme={}&period={period}", app.programme_id), Some(&token)).await;
        let items = list.json()["items"].as_array().unwrap().clone();
        assert_eq!(item(&items, "per_rete", Some(&adda.id))["value"], 300.0, "the changed formula counts");

        // PUT changes the labels; the kind stays.
        let put = app.api_send(Method::PUT, &format!("{api}/volontari"), Some(&token), json!({"label_it": "Volontari attivi", "unit": "count", "formula": "1", "evidence_required": true})).await;
        assert_eq!(put.status, StatusCode::OK, "{}", put.body);
        assert_eq!((put.json()["label_it"].as_str(), put.json()["formula"].is_null()), (Some("Volontari attivi"), true));

        // Deleting: refused while a formula names it, and without the confirmation.
        let named = app.api_send(Method::DELETE, &format!("{api}/volontari"), Some(&token), json!({})).await;
        assert_eq!(named.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", named.body);
        assert!(named.body.contains("per_rete"), "{}", named.body);
        let unconfirmed = app.post(&format!("{custom}/per_rete/delete"), &[]).await;
        assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", unconfirmed.body);
        assert!(unconfirmed.body.contains("non si può annullare"), "{}", unconfirmed.body);
        let gone = app.post(&format!("{custom}/per_rete/delete"), &[("custom_confirm", "1")]).await;
        assert_eq!(gone.status, StatusCode::SEE_OTHER, "{}", gone.body);
        let target = Period::parse("period", &period).unwrap();
        app.db.set_custom_target(&Actor::cli(), &volunteers, None, target, 10.0).await.unwrap();
        let deleted = app.api_send(Method::DELETE, &format!("{api}/volontari"), Some(&token), json!({})).await;
        assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.body);
        assert!(app.db.custom_indicators(&app.programme_id).await.unwrap().is_empty());
        assert!(app.db.custom_values(&app.programme_id, None, None).await.unwrap().is_empty());
        assert!(app.db.custom_targets(&app.programme_id, None).await.unwrap().is_empty());
        assert!(!evidence.exists(), "the evidence file went with its value");
        assert_eq!((audited(&app, "update").await, audited(&app, "delete").await), (2, 2));

        // Nobody else changes or deletes.
        let lead = app.user().role(Role::NetworkLead).on_network(&adda.id, Role::NetworkLead).create().await;
        let lead_token = app.token_for(&lead).await;
        app.api_send(Method::POST, &api, Some(&token), json!({"code": "altro", "label_it": "Altro", "unit": "count"})).await;
        let refused = app.api_send(Method::PUT, &format!("{api}/altro"), Some(&lead_token), json!({"label_it": "X", "unit": "count"})).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        app.login(&lead.email).await;
        assert_eq!(app.get(&format!("{custom}/altro/edit")).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.post(&format!("{custom}/altro/delete"), &[("custom_confirm", "1")]).await.status, StatusCode::FORBIDDEN);
    }

    async fn custom_indicators_are_charted_like_built_ins(app: TestApp) {
        let adda = app.network("Rete Adda").create().await;
        let brembo = app.network("Rete Brembo").create().await;
        let coordinator = app.user().role(Role::Coordinator).create().await;
        let token = app.token_for(&coordinator).await;
        app.login(&coordinator.email).await;
        let year = reti_domain::meetings::today_in_rome().year().to_string();
        let q = |n: u8| format!("{year}-Q{n}");
        let api = format!("/api/v1/programmes/{}/indicators/custom", app.programme_id);
        let made = app.api_send(Method::POST, &api, Some(&token), json!({"code": "volontari", "label_it": "Volontari coinvolti", "label_en": "Volunteers involved", "unit": "count"})).await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        let made = app.api_send(Method::POST, &api, Some(&token), json!({"code": "doppi", "label_it": "Volontari raddoppiati", "unit": "count", "formula": "volontari * 2"})).await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        // Values typed per quarter and for the year.
        for (network, period, value) in [(&adda.id, q(1), 3), (&adda.id, q(2), 5), (&brembo.id, q(1), 1), (&adda.id, year.clone(), 8)] {
            let typed = app.api_send(Method::POST, &format!("{api}/volontari/values"), Some(&token), json!({"period": period, "network_id": network, "value": value})).await;
            assert_eq!(typed.status, StatusCode::CREATED, "{}", typed.body);
        }
        let targets = format!("/programmes/{}/indicators/targets", app.programme_id);
        for (network, value) in [("", "10"), (adda.id.as_str(), "6")] {
            let set = app.post(&targets, &[("indicators_code", "volontari"), ("indicators_period", &year), ("indicators_network", network), ("indicators_value", value)]).await;
            assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.body);
        }

        // The programme's dashboard: the custom figure against its target, and each series by quarter.
        let page = app.get(&format!("/programmes/{}/indicators?period={year}", app.programme_id)).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let against = chart(&page.body, "targets");
        assert!(against.contains(&data_row("Volontari coinvolti", &["8", "10"])), "{against}");
        let series = chart(&page.body, "series-custom-volontari");
        assert!(series.contains(&format!("Volontari coinvolti per trimestre, {year}")), "{series}");
        for (quarter, value) in [(1, "4"), (2, "5"), (3, "—"), (4, "—")] {
            assert!(series.contains(&data_row(&q(quarter), &[value])), "{quarter}: {series}");
        }
        assert!(page.body.contains("aria-labelledby=\"series-custom-volontari-title series-custom-volontari-desc\""));
        let doubled = chart(&page.body, "series-custom-doppi");
        assert!(doubled.contains(&data_row(&q(1), &["8"])) && doubled.contains(&data_row(&q(2), &["10"])), "{doubled}");
        assert!(doubled.contains(&format!("{}: 8; {}: 10; {}: —; {}: —", q(1), q(2), q(3), q(4))), "the description says the series: {doubled}");

        // A network's dashboard: its own figures, target and series.
        let network = app.get(&format!("/networks/{}/indicators?period={year}", adda.id)).await;
        assert_eq!(network.status, StatusCode::OK, "{}", network.body);
        assert!(chart(&network.body, "targets").contains(&data_row("Volontari coinvolti", &["8", "6"])), "{}", network.body);
        let series = chart(&network.body, "series-custom-volontari");
        assert!(series.contains(&data_row(&q(1), &["3"])) && series.contains(&data_row(&q(2), &["5"])), "{series}");
        assert!(chart(&network.body, "series-custom-doppi").contains(&data_row(&q(1), &["6"])));

        // A member of Brembo sees Brembo's series only; a series with no figure at all is not drawn.
        let member = app.user().role(Role::NetworkMember).on_network(&brembo.id, Role::NetworkMember).create().await;
        app.login(&member.email).await;
        let theirs = app.get(&format!("/programmes/{}/indicators?period={year}", app.programme_id)).await;
        assert_eq!(theirs.status, StatusCode::OK, "{}", theirs.body);
        let series = chart(&theirs.body, "series-custom-volontari");
        assert!(series.contains(&data_row(&q(1), &["1"])) && series.contains(&data_row(&q(2), &["—"])), "{series}");
        let last_year = (reti_domain::meetings::today_in_rome().year() - 1).to_string();
        let before = app.get(&format!("/programmes/{}/indicators?period={last_year}", app.programme_id)).await;
        assert_eq!(before.status, StatusCode::OK, "{}", before.body);
        assert!(!before.body.contains("series-custom-volontari"), "no figure in any quarter, no chart");
    }

    async fn the_coordination_reaches_only_its_own_custom_indicators(app: TestApp) {
        let coordinator = app.user().role(Role::Coordinator).create().await;
        let token = app.token_for(&coordinator).await;
        let api = format!("/api/v1/programmes/{}/indicators/custom", app.programme_id);
        let made = app.api_send(Method::POST, &api, Some(&token), json!({"code": "volontari", "label_it": "Volontari", "unit": "count"})).await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        app.login(&coordinator.email).await;
        let custom = format!("/programmes/{}/indicators/custom", app.programme_id);
        // An unknown code is 404 on every route that names one, the same for page and API.
        assert_eq!(app.get(&format!("{custom}/nessuno/edit")).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.post(&format!("{custom}/nessuno"), &[("custom_label_it", "X")]).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.post(&format!("{custom}/nessuno/delete"), &[("custom_confirm", "1")]).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.api_send(Method::DELETE, &format!("{api}/nessuno"), Some(&token), json!({})).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.api_send(Method::PUT, &format!("{api}/nessuno"), Some(&token), json!({"label_it": "X", "unit": "count"})).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.api_send(Method::POST, &format!("{api}/nessuno/values"), Some(&token), json!({"period": "2026", "value": 1})).await.status, StatusCode::NOT_FOUND);
        // Another programme's path does not reach this programme's indicator.
        let other = app.db.create_programme(&Actor::cli(), "ALTRO-3", "Altro programma").await.unwrap();
        let admin = app.user().admin().create().await;
        let admin_token = app.token_for(&admin).await;
        let elsewhere = format!("/api/v1/programmes/{}/indicators/custom/volontari", other.id);
        assert_eq!(app.api_send(Method::DELETE, &elsewhere, Some(&admin_token), json!({})).await.status, StatusCode::NOT_FOUND);
        // A programme the caller does not coordinate is 403 before its indicators are looked at.
        let stranger = app.user().role_in(&other.id, Role::Coordinator).create().await;
        let stranger_token = app.token_for(&stranger).await;
        assert_eq!(app.api_send(Method::DELETE, &format!("{api}/volontari"), Some(&stranger_token), json!({})).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.api_send(Method::DELETE, &format!("{api}/nessuno"), Some(&stranger_token), json!({})).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.db.custom_indicators(&app.programme_id).await.unwrap().len(), 1);
    }
}
