//! The actor map (decision 0030), by page and by API, on both engines: who reads and changes it,
//! route by route; bad input refused whole and named; snapshots that hold the `graph` crate's
//! metrics; growth spaces with their reasons; the relations' import and export; statement bounds.

use crate::app_tests;
use crate::harness::TestApp;
use axum::http::{Method, StatusCode};
use reti_domain::reading::{RoundInput, RoundKind, default_instrument};
use reti_domain::taxcode::check_digit_numeric;
use reti_domain::{MembershipRole, NetworkStatus, Role};
use reti_store::Actor;
use reti_store::registry::networks::{MembershipInput, Network, NetworkInput};
use reti_store::users::User;
use serde_json::json;

fn tax_code(n: u32) -> String {
    let first10 = format!("{:07}000", 4_200_000 + n);
    format!("{first10}{}", check_digit_numeric(&first10))
}

struct World {
    a: Network,
    b: Network,
    /// A's members: the lead first.
    members: Vec<String>,
    /// B's only member.
    b_member: String,
    /// An organisation of A's territory (Milano), not a member, offering communication.
    library: String,
}

async fn organisation_with(app: &TestApp, name: &str, code: &str, resources: &[&str]) -> String {
    let input = reti_store::registry::organisations::OrganisationInput {
        name: name.into(),
        kind: reti_domain::OrganisationKind::ThirdSector,
        tax_code: reti_domain::TaxCode::parse(code).unwrap(),
        municipality_code: Some("015146".into()),
        address: String::new(),
        email: None,
        phone: String::new(),
        website: String::new(),
        resources: resources.iter().map(|r| (*r).to_owned()).collect(),
    };
    app.db.create_organisation(&Actor::cli(), &input).await.unwrap().id
}

async fn world(app: &TestApp) -> World {
    let actor = Actor::cli();
    let mut networks = Vec::new();
    let mut members = Vec::new();
    let mut b_member = String::new();
    for (index, (name, count)) in [("Rete Ticino", 3), ("Rete Olona", 1)].into_iter().enumerate() {
        let input = NetworkInput {
            programme_id: app.programme_id.clone(),
            name: name.into(),
            description: String::new(),
            maturity: None,
            status: NetworkStatus::Active,
            municipality_codes: vec![if index == 0 { "015146".into() } else { "016024".into() }],
            action_line_ids: Vec::new(),
        };
        let network = app.db.create_network(&actor, &input).await.unwrap();
        for member in 0..count {
            let code = tax_code(u32::try_from(index * 10 + member + 1).unwrap());
            let id =
                organisation_with(app, &format!("Ente {member} di {name}"), &code, &["Informazione e comunicazione"])
                    .await;
            let role = if member == 0 { MembershipRole::Lead } else { MembershipRole::Partner };
            let membership = MembershipInput { organisation_id: id.clone(), role, joined_on: None };
            app.db.add_membership(&actor, &network.id, &membership).await.unwrap();
            if index == 0 {
                members.push(id);
            } else {
                b_member = id;
            }
        }
        networks.push(app.db.network(&network.id).await.unwrap().unwrap());
    }
    let library =
        organisation_with(app, "Biblioteca civica Sormani", &tax_code(99), &["Informazione e comunicazione"]).await;
    let b = networks.pop().unwrap();
    let a = networks.pop().unwrap();
    World { a, b, members, b_member, library }
}

async fn on_network(app: &TestApp, network: &Network, role: Role) -> User {
    let user = app.user().role(role).create().await;
    app.db.assign_to_network(&Actor::cli(), &user.id, &network.id, role).await.unwrap();
    user
}

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

async fn relations(app: &TestApp, network: &Network) -> usize {
    app.db.actor_map(&network.id).await.unwrap().relations.len()
}

app_tests! {
    async fn the_map_is_drawn_edited_and_kept_to_its_network(app: TestApp) {
        let w = world(&app).await;
        let lead = on_network(&app, &w.a, Role::NetworkLead).await;
        let member = on_network(&app, &w.a, Role::NetworkMember).await;
        let other = on_network(&app, &w.b, Role::NetworkLead).await;
        let map = format!("/networks/{}/map", w.a.id);

        app.login(&lead.email).await;
        assert!(app.get(&format!("/networks/{}", w.a.id)).await.body.contains(&map), "the network links its map");
        let page = app.get(&map).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains(r#"role="img""#) && page.body.contains("<title id=\"actor-map-title\">"));
        assert!(page.body.contains("Nessuna relazione."));

        let add = |a: &str, b: &str, strength: &str| {
            vec![("organisation_a", a.to_owned()), ("organisation_b", b.to_owned()), ("kind", "collaborazione".to_owned()), ("strength", strength.to_owned()), ("since", "2024-03-01".to_owned()), ("note", "Tavolo <b>mensile</b>".to_owned())]
        };
        let post = |fields: Vec<(&'static str, String)>| {
            let app = &app;
            let map = map.clone();
            async move {
                let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                app.post(&format!("{map}/relations"), &fields).await
            }
        };
        let created = post(add(&w.members[0], &w.members[1], "3")).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        // A relation to an organisation off the map brings it in as a context actor.
        assert_eq!(post(add(&w.members[0], &w.library, "1")).await.status, StatusCode::SEE_OTHER);
        let page = app.get(&map).await;
        assert!(page.body.contains("Biblioteca civica Sormani") && page.body.contains("Attore del contesto"));
        assert!(page.body.contains("mensile") && !page.body.contains("<b>mensile</b>"), "notes are text");
        assert_eq!(relations(&app, &w.a).await, 2);

        // Bad input: named, in Italian, nothing saved.
        for (fields, expected) in [
            (add(&w.members[0], &w.members[2], "4"), "«Intensità» deve essere 1, 2 o 3"),
            (add(&w.members[0], &w.members[0], "2"), "indica lo stesso ente"),
            (add(&w.members[0], "0190ffff-0000-7000-8000-000000000000", "2"), "non esiste nel registro"),
            (add(&w.members[1], &w.members[0], "2"), "già una relazione di questo tipo"),
        ] {
            let refused = post(fields).await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
            assert!(refused.body.contains(expected), "{expected}: {}", refused.body);
        }
        assert_eq!(relations(&app, &w.a).await, 2, "nothing half-saved");

        // Edit, ego view, delete.
        let relation = app.db.actor_map(&w.a.id).await.unwrap().relations[0].clone();
        let edit = format!("{map}/relations/{}", relation.id);
        assert_eq!(app.get(&format!("{edit}/edit")).await.status, StatusCode::OK);
        let fields = add(&relation.organisation_a, &relation.organisation_b, "2");
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let mut fields = fields;
        fields[2] = ("kind", "accordo_formale");
        assert_eq!(app.post(&edit, &fields).await.status, StatusCode::SEE_OTHER);
        let ego = app.get(&format!("{map}/organisations/{}", w.members[0])).await;
        assert_eq!(ego.status, StatusCode::OK);
        assert!(ego.body.contains("Biblioteca civica Sormani") && ego.body.contains("Accordo formale"), "{}", ego.body);
        assert_eq!(app.get(&format!("{map}?ego={}", w.members[0])).await.status, StatusCode::SEE_OTHER);
        assert_eq!(app.get(&format!("{map}/organisations/{}", w.b_member)).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.post(&format!("{edit}/delete"), &[]).await.status, StatusCode::SEE_OTHER);
        assert_eq!(relations(&app, &w.a).await, 1);

        // The API: the same map with its metrics, the same rules.
        let token = app.token_for(&lead).await;
        let api = format!("/api/v1/networks/{}/map", w.a.id);
        let got = app.api_get(&api, Some(&token)).await;
        assert_eq!(got.status, StatusCode::OK, "{}", got.body);
        let body = got.json();
        assert_eq!(body["nodes"].as_array().unwrap().len(), 4);
        assert_eq!(body["edges"].as_array().unwrap().len(), 1);
        let made = app.api_send(Method::POST, &format!("{api}/relations"), Some(&token), json!({"organisation_a": w.members[1], "organisation_b": w.members[2], "kind": "scambio_informazioni", "strength": 2})).await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        let relation_id = made.json()["id"].as_str().unwrap().to_owned();
        let bad = app.api_send(Method::POST, &format!("{api}/relations"), Some(&token), json!({"organisation_a": w.members[1], "organisation_b": w.members[2], "kind": "amicizia", "strength": 4})).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let bad = bad.json();
        let fields: Vec<&str> = bad["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["kind", "strength"]);
        let twice = app.api_send(Method::POST, &format!("{api}/relations"), Some(&token), json!({"organisation_a": w.members[2], "organisation_b": w.members[1], "kind": "scambio_informazioni"})).await;
        assert_eq!(twice.status, StatusCode::CONFLICT);
        let put = app.api_send(Method::PUT, &format!("{api}/relations/{relation_id}"), Some(&token), json!({"organisation_a": w.members[1], "organisation_b": w.members[2], "kind": "condivisione_risorse", "strength": 3, "since": "2025-01-10"})).await;
        assert_eq!(put.status, StatusCode::OK, "{}", put.body);
        assert_eq!(put.json()["kind"], "condivisione_risorse");
        assert_eq!(app.api_get(&format!("{api}/relations"), Some(&token)).await.json().as_array().unwrap().len(), 2);

        // Another network's lead: kept out of every route, page and API alike.
        let b_relation = {
            let ids: std::collections::BTreeSet<String> = [w.b_member.clone(), w.library.clone()].into_iter().collect();
            let raw = reti_domain::actor_map::RelationRaw { organisation_a: w.b_member.clone(), organisation_b: w.library.clone(), kind: "collaborazione".into(), ..Default::default() };
            let input = reti_domain::actor_map::RelationInput::parse(&raw, &reti_domain::actor_map::RelationContext { organisation_ids: &ids }).unwrap();
            app.db.map_add_relation(&Actor::cli(), &w.b.id, &input).await.unwrap()
        };
        // A relation of B named under A's path does not exist there.
        assert_eq!(app.api_send(Method::DELETE, &format!("{api}/relations/{b_relation}"), Some(&token), json!({})).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.get(&format!("{map}/relations/{b_relation}/edit")).await.status, StatusCode::NOT_FOUND);

        let other_token = app.token_for(&other).await;
        app.login(&other.email).await;
        for path in [map.clone(), format!("{map}/organisations/{}", w.members[0]), format!("{map}/relations/{relation_id}/edit"), format!("{map}/export?format=csv"), format!("{map}/import")] {
            assert_eq!(app.get(&path).await.status, StatusCode::FORBIDDEN, "{path}");
        }
        for path in [format!("{map}/relations"), format!("{map}/relations/{relation_id}"), format!("{map}/relations/{relation_id}/delete"), format!("{map}/actors"), format!("{map}/snapshots")] {
            assert_eq!(app.post(&path, &[("organisation_id", w.library.as_str())]).await.status, StatusCode::FORBIDDEN, "{path}");
        }
        for path in [api.clone(), format!("{api}/relations"), format!("{api}/snapshots"), format!("{api}/growth-spaces")] {
            assert_eq!(app.api_get(&path, Some(&other_token)).await.status, StatusCode::FORBIDDEN, "{path}");
        }
        assert_eq!(app.api_send(Method::DELETE, &format!("{api}/relations/{relation_id}"), Some(&other_token), json!({})).await.status, StatusCode::FORBIDDEN);

        // A member reads but does not change.
        app.login(&member.email).await;
        let page = app.get(&map).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains(&format!("{map}/relations\"")), "no form for a reader");
        assert_eq!(app.post(&format!("{map}/relations"), &[("organisation_a", w.members[0].as_str())]).await.status, StatusCode::FORBIDDEN);
        let member_token = app.token_for(&member).await;
        assert_eq!(app.api_get(&api, Some(&member_token)).await.status, StatusCode::OK);
        assert_eq!(app.api_send(Method::DELETE, &format!("{api}/relations/{relation_id}"), Some(&member_token), json!({})).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.get("/networks/0190ffff-0000-7000-8000-000000000000/map").await.status, StatusCode::NOT_FOUND);
        assert_eq!(relations(&app, &w.a).await, 2);
    }

    async fn snapshots_hold_the_graph_crates_metrics_and_show_the_change(app: TestApp) {
        let w = world(&app).await;
        let baseline = round(&app, RoundKind::Baseline, 200).await;
        let midterm = round(&app, RoundKind::Midterm, 30).await;
        let coordinator = app.user().role(Role::Coordinator).create().await;
        app.login(&coordinator.email).await;
        let map = format!("/networks/{}/map", w.a.id);
        let add = |a: &str, b: &str, kind: &str| {
            let (a, b, kind) = (a.to_owned(), b.to_owned(), kind.to_owned());
            let app = &app;
            let map = map.clone();
            async move {
                let response = app.post(&format!("{map}/relations"), &[("organisation_a", &a), ("organisation_b", &b), ("kind", &kind), ("strength", "2")]).await;
                assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
            }
        };
        add(&w.members[0], &w.members[1], "collaborazione").await;
        add(&w.members[1], &w.members[2], "collaborazione").await;
        assert_eq!(app.post(&format!("{map}/snapshots"), &[("round_id", &baseline)]).await.status, StatusCode::SEE_OTHER);
        add(&w.members[0], &w.library, "scambio_informazioni").await;
        add(&w.members[0], &w.members[1], "accordo_formale").await;
        assert_eq!(app.post(&format!("{map}/snapshots"), &[("round_id", &midterm)]).await.status, StatusCode::SEE_OTHER);
        // Taking a round's snapshot again replaces it.
        assert_eq!(app.post(&format!("{map}/snapshots"), &[("round_id", &midterm)]).await.status, StatusCode::SEE_OTHER);
        let refused = app.post(&format!("{map}/snapshots"), &[("round_id", "nope")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);

        let snapshots = app.db.map_snapshots(&w.a.id).await.unwrap();
        assert_eq!(snapshots.len(), 2);
        let latest = app.db.map_snapshot(&w.a.id, &snapshots[1].id).await.unwrap().unwrap();
        // The same graph built apart: the metrics are the graph crate's, node by node.
        let edges = [(&w.members[0], &w.members[1]), (&w.members[1], &w.members[2]), (&w.members[0], &w.library)];
        let (graph, _) = reti_graph::Graph::from_edges(edges.iter().map(|(a, b)| (a.as_str(), b.as_str())));
        let expected = reti_graph::metrics(&graph);
        assert_eq!(latest.data.relations.len(), 4);
        assert!((latest.data.density - expected.density).abs() < 1e-12);
        assert_eq!(latest.data.components, expected.components);
        for node in &latest.data.nodes {
            let v = graph.index_of(&node.organisation_id).unwrap();
            assert_eq!(node.degree, expected.degree[v]);
            assert!((node.betweenness - expected.betweenness[v]).abs() < 1e-12);
            assert!((node.closeness - expected.closeness[v]).abs() < 1e-12);
            assert_eq!(node.eigenvector.is_some(), expected.eigenvector.is_some());
            assert_eq!(node.constraint, expected.constraint[v]);
        }
        assert!(!latest.data.nodes.iter().find(|n| n.organisation_id == w.library).unwrap().member);

        let page = app.get(&map).await;
        assert!(page.body.contains("Cambiamento da") && page.body.contains("Relazioni nuove"), "{}", page.body);
        assert!(page.body.contains("Biblioteca civica Sormani — ") || page.body.contains("— Biblioteca civica Sormani"));

        let token = app.token_for(&coordinator).await;
        let api = format!("/api/v1/networks/{}/map/snapshots", w.a.id);
        let listed = app.api_get(&api, Some(&token)).await.json();
        assert_eq!(listed.as_array().unwrap().len(), 2);
        assert_eq!(listed[0]["round_kind"], "baseline");
        let one = app.api_get(&format!("{api}/{}", snapshots[0].id), Some(&token)).await;
        assert_eq!(one.status, StatusCode::OK);
        assert_eq!(one.json()["edges"].as_array().unwrap().len(), 2);
        let taken = app.api_send(Method::POST, &api, Some(&token), json!({"round_id": baseline})).await;
        assert_eq!(taken.status, StatusCode::CREATED, "{}", taken.body);
        assert_eq!(taken.json()["edges"].as_array().unwrap().len(), 4);
        assert_eq!(app.api_get(&format!("{api}/{}", snapshots[0].id), Some(&token)).await.status, StatusCode::NOT_FOUND, "replaced");
        // B's snapshots are B's.
        assert_eq!(app.api_get(&format!("/api/v1/networks/{}/map/snapshots/{}", w.b.id, snapshots[1].id), Some(&token)).await.status, StatusCode::NOT_FOUND);
    }

    async fn growth_spaces_name_their_reasons(app: TestApp) {
        let w = world(&app).await;
        let input = reti_domain::matrix::ObjectiveInput { title: "Accesso ai servizi".into(), action_line_id: None };
        app.db.add_objective(&Actor::cli(), &w.a.id, &input).await.unwrap();
        let lead = on_network(&app, &w.a, Role::NetworkLead).await;
        app.login(&lead.email).await;
        let page = app.get(&format!("/networks/{}/map", w.a.id)).await;
        assert!(page.body.contains("Biblioteca civica Sormani"), "{}", page.body);
        assert!(page.body.contains("offre «Informazione e comunicazione»: il processo «Comunicazione» non ha un Responsabile"), "{}", page.body);
        let token = app.token_for(&lead).await;
        let spaces = app.api_get(&format!("/api/v1/networks/{}/map/growth-spaces", w.a.id), Some(&token)).await.json();
        let spaces = spaces.as_array().unwrap();
        // A's members are not growth spaces; B's member, in A's territory too, is one.
        assert_eq!(spaces.len(), 2, "{spaces:?}");
        assert!(spaces.iter().all(|s| !w.members.contains(&s.as_object().unwrap()["organisation_id"].as_str().unwrap().to_owned())));
        assert_eq!(spaces[0]["organisation_id"], w.library.as_str());
        assert_eq!(spaces[0]["score"], 2.0);
        assert_eq!(spaces[0]["reasons"][0]["need_kind"], "process");
        assert_eq!(spaces[0]["reasons"][0]["need"], "Comunicazione");
    }

    async fn relations_import_is_all_or_nothing_and_export_reads_back(app: TestApp) {
        let w = world(&app).await;
        let lead = on_network(&app, &w.a, Role::NetworkLead).await;
        app.login(&lead.email).await;
        let import = format!("/networks/{}/map/import", w.a.id);
        assert_eq!(app.get(&import).await.status, StatusCode::OK);
        let csrf = app.csrf().await;
        let upload = |content: String| {
            let app = &app;
            let import = import.clone();
            let csrf = csrf.clone();
            async move { app.upload(&import, &[("csrf_token", &csrf)], "relazioni.csv", content.as_bytes()).await }
        };
        let header = "Codice fiscale ente A;Codice fiscale ente B;Tipo;Intensità;Dal;Note\r\n";
        let bad = format!("{header}{};{};collaborazione;2;;\r\n{};{};collaborazione;4;;\r\n{};99999999999;collaborazione;1;;\r\n", tax_code(1), tax_code(2), tax_code(1), tax_code(3), tax_code(1));
        let refused = upload(bad).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
        assert!(refused.body.contains("<td>3</td><td>Intensità</td>"), "{}", refused.body);
        assert!(refused.body.contains("<td>4</td>"), "line 4 is named: {}", refused.body);
        assert_eq!(relations(&app, &w.a).await, 0, "nothing half-saved");
        let empty = upload(String::new()).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        let missing = upload(format!("Codice fiscale ente A;Tipo\r\n{};collaborazione\r\n", tax_code(1))).await;
        assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(missing.body.contains("manca la colonna «Codice fiscale ente B»"), "{}", missing.body);

        let good = format!("{header}{};{};collaborazione;2;01/02/2024;Tavolo\r\n{};{};accordo formale;3;;\r\n", tax_code(1), tax_code(2), tax_code(3), tax_code(99));
        let preview = upload(good.clone()).await;
        assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
        assert_eq!(relations(&app, &w.a).await, 0, "the preview writes nothing");
        let confirm = preview.body.split("action=\"").find_map(|rest| rest.split('"').next().filter(|a| a.ends_with("/confirm"))).unwrap().to_owned();
        assert_eq!(app.post(&confirm, &[]).await.status, StatusCode::SEE_OTHER);
        assert_eq!(relations(&app, &w.a).await, 2);
        assert_eq!(app.post(&confirm, &[]).await.status, StatusCode::NOT_FOUND, "a file is imported once");

        let export = app.get(&format!("/networks/{}/map/export?format=csv", w.a.id)).await;
        assert_eq!(export.status, StatusCode::OK);
        assert!(export.body.contains(&tax_code(99)) && export.body.contains("accordo_formale"), "{}", export.body);
        // The export imports back: the same relations, updated, none added.
        let again = upload(export.body.trim_start_matches('\u{feff}').to_owned()).await;
        assert_eq!(again.status, StatusCode::OK, "{}", again.body);
        assert_eq!(app.get(&format!("/networks/{}/map/export?format=xlsx", w.a.id)).await.status, StatusCode::OK);
        assert_eq!(app.get(&format!("/networks/{}/map/export?format=pdf", w.a.id)).await.status, StatusCode::UNPROCESSABLE_ENTITY);

        let member = on_network(&app, &w.a, Role::NetworkMember).await;
        app.login(&member.email).await;
        assert_eq!(app.get(&import).await.status, StatusCode::FORBIDDEN);
    }

    async fn the_map_page_costs_the_same_statements_with_more_relations(app: TestApp) {
        let w = world(&app).await;
        round(&app, RoundKind::Baseline, 100).await;
        let coordinator = app.user().role(Role::Coordinator).create().await;
        app.login(&coordinator.email).await;
        let map = format!("/networks/{}/map", w.a.id);
        let statements = || async {
            let warm = app.get(&map).await;
            assert_eq!(warm.status, StatusCode::OK);
            let before = app.db.statements();
            assert_eq!(app.get(&map).await.status, StatusCode::OK);
            app.db.statements() - before
        };
        let relate = |a: String, b: String| {
            let app = &app;
            let map = map.clone();
            async move {
                app.post(&format!("{map}/relations"), &[("organisation_a", &a), ("organisation_b", &b), ("kind", "collaborazione")]).await;
            }
        };
        relate(w.members[0].clone(), w.members[1].clone()).await;
        app.post(&format!("{map}/snapshots"), &[("round_id", &app.db.reading_rounds(&app.programme_id).await.unwrap()[0].id)]).await;
        let few = statements().await;
        for n in 0..6 {
            let extra = organisation_with(&app, &format!("Ente extra {n}"), &tax_code(50 + n), &["Volontariato"]).await;
            relate(w.members[2].clone(), extra).await;
        }
        let many = statements().await;
        assert_eq!(few, many, "a statement per row");
        assert!(many <= 16, "{many} statements");
    }
}
