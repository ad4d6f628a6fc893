//! Small groups of networks, by page and by API, on both engines: the coordination proposes,
//! moves a network by hand, saves (audited) and schedules a group workshop that invites the
//! group's networks; bad bounds and drafts are refused naming the field; nobody outside the
//! programme's coordination reaches any of it.

use crate::app_tests;
use crate::harness::TestApp;
use axum::http::{Method, StatusCode};
use reti_domain::{Maturity, NetworkStatus, Role};
use reti_store::Actor;
use reti_store::registry::networks::NetworkInput;
use reti_store::users::NewUser;
use serde_json::json;

/// Six networks of the programme: three on line 1 (first experience), three on line 2
/// (consolidated); returns their ids in that order.
async fn six_networks(app: &TestApp, programme_id: &str) -> Vec<String> {
    let actor = Actor::cli();
    let school = app.db.put_action_line(&actor, programme_id, 1, "Scuola e dispersione").await.unwrap();
    let services = app.db.put_action_line(&actor, programme_id, 2, "Accesso ai servizi").await.unwrap();
    let mut ids = Vec::new();
    for (index, name) in
        ["Rete Adda", "Rete Brembo", "Rete Chiese", "Rete Dora", "Rete Enza", "Rete Fella"].iter().enumerate()
    {
        let (line, maturity) =
            if index < 3 { (&school, Maturity::FirstExperience) } else { (&services, Maturity::Consolidated) };
        let input = NetworkInput {
            programme_id: programme_id.to_owned(),
            name: (*name).into(),
            description: String::new(),
            maturity: Some(maturity),
            status: NetworkStatus::Active,
            municipality_codes: vec!["015146".into()],
            action_line_ids: vec![line.id.clone()],
        };
        ids.push(app.db.create_network(&actor, &input).await.unwrap().id);
    }
    ids
}

fn hidden(body: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = body.find(&marker).unwrap_or_else(|| panic!("no {name} in {body}")) + marker.len();
    body[start..].split('"').next().unwrap().to_owned()
}

app_tests! {
    async fn the_coordination_proposes_moves_saves_and_schedules(app: TestApp) {
        let ids = six_networks(&app, &app.programme_id).await;
        let coordinator = app.user().role(Role::Coordinator).create().await;
        app.login(&coordinator.email).await;
        let base = format!("/programmes/{}/groupings", app.programme_id);
        assert!(app.get(&format!("/programmes/{}", app.programme_id)).await.body.contains(&base), "the programme links its groups");
        let index = app.get(&base).await;
        assert_eq!(index.status, StatusCode::OK, "{}", index.body);
        assert!(index.body.contains("6 reti"), "{}", index.body);

        // Infeasible and malformed bounds are named, nothing is proposed.
        let refused = app.post(&format!("{base}/propose"), &[("min_size", "4"), ("max_size", "5")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("Nessuna suddivisione di 6 reti in gruppi da 4 a 5"), "{}", refused.body);
        let refused = app.post(&format!("{base}/propose"), &[("min_size", "tre"), ("max_size", "3")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("«Reti per gruppo: minimo»"), "{}", refused.body);

        // The proposal puts alike networks together at no cost.
        let proposal = app.post(&format!("{base}/propose"), &[("min_size", "3"), ("max_size", "3")]).await;
        assert_eq!(proposal.status, StatusCode::OK, "{}", proposal.body);
        assert!(proposal.body.contains("2 gruppi da 3 a 3 reti; costo totale 0.00."), "{}", proposal.body);
        assert!(proposal.body.contains("1. Scuola e dispersione") && proposal.body.contains("15–15"), "{}", proposal.body);
        let draft = hidden(&proposal.body, "draft");
        assert_eq!(draft.split(';').map(|g| g.split(',').count()).collect::<Vec<_>>(), vec![3, 3]);

        // Moving Adda to group 2 costs: Adda differs from each of Dora, Enza, Fella by 1 + 0.70.
        let moved = app
            .post(&format!("{base}/move"), &[("draft", &draft), ("min_size", "3"), ("max_size", "3"), ("name", "Gruppi 2026"), ("network", &ids[0]), ("target", "2")])
            .await;
        assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
        assert!(moved.body.contains("costo totale 5.10."), "{}", moved.body);
        assert!(moved.body.contains("fuori dai limiti"), "group sizes 2 and 4 are flagged: {}", moved.body);
        let moved_draft = hidden(&moved.body, "draft");
        // Saving out of bounds is refused naming the group; nothing is saved.
        let refused = app.post(&base, &[("draft", &moved_draft), ("min_size", "3"), ("max_size", "3"), ("name", "Gruppi 2026")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("Il gruppo 1 deve avere da 3 a 3 reti"), "{}", refused.body);
        // A draft naming a network of nowhere is refused too.
        let forged = app.post(&base, &[("draft", &format!("{draft},intrusa")), ("min_size", "3"), ("max_size", "3"), ("name", "X")]).await;
        assert_eq!(forged.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(app.db.groupings(&app.programme_id, reti_store::PageRequest::new(None, None)).await.unwrap().items.is_empty());

        // Fella to group 1 completes a swap (Adda ↔ Fella): 3 + 3 within bounds, each group 3.40.
        let swapped = app
            .post(&format!("{base}/move"), &[("draft", &moved_draft), ("min_size", "3"), ("max_size", "3"), ("name", "Gruppi 2026"), ("network", &ids[5]), ("target", "1")])
            .await;
        let saved = app.post(&base, &[("draft", &hidden(&swapped.body, "draft")), ("min_size", "3"), ("max_size", "3"), ("name", "Gruppi 2026")]).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let page = app.get(saved.location()).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("Gruppi 2026") && page.body.contains("costo totale 6.80."), "{}", page.body);
        assert!(app.get(&base).await.body.contains("Gruppi 2026"), "the list shows the saved grouping");
        let audit = app.db.audit_entries(&reti_store::audit::Filter::default(), 50, 0).await.unwrap();
        assert!(audit.entries.iter().any(|e| e.entity == "grouping" && e.action == "create"), "saving is audited");

        // The workshop: the meetings form of the group's first network, inviting the group.
        let schedule = page.body.split("/meetings/new?group=").nth(1).unwrap().split('"').next().unwrap().to_owned();
        let host_start = page.body.find("/meetings/new?group=").unwrap();
        let host = page.body[..host_start].rsplit("/networks/").next().unwrap().to_owned();
        let form = app.get(&format!("/networks/{host}/meetings/new?group={schedule}")).await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        assert!(form.body.contains("value=\"workshop\" selected"), "{}", form.body);
        assert!(form.body.contains(&format!("id=\"group-{schedule}\" value=\"{schedule}\" checked")), "{}", form.body);
        let mut fields = vec![("title", "Workshop del gruppo 1"), ("kind", "workshop"), ("mode", "in_presenza"), ("place", "Milano, Palazzo Isimbardi"),
            ("starts_at", "2030-03-04T10:00"), ("ends_at", "2030-03-04T12:00"), ("invite_groups", schedule.as_str())];
        let created = app.post(&format!("/networks/{host}/meetings"), &fields).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let meeting_id = created.location().rsplit('/').next().unwrap().to_owned();
        let invitees = app.db.invitees(&meeting_id).await.unwrap();
        assert_eq!(invitees.len(), 1, "{invitees:?}");
        assert_eq!(invitees[0].kind, reti_store::meetings::InviteeKind::Group);
        // A network of another programme cannot be slipped in.
        let other = app.db.create_programme(&Actor::cli(), "PROG-9999", "Altro programma").await.unwrap().id;
        let foreign = six_networks(&app, &other).await;
        fields.push(("invite_networks", &foreign[0]));
        let refused = app.post(&format!("/networks/{host}/meetings"), &fields).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
        assert_eq!(app.get(&format!("/networks/{}/meetings/new?group={schedule}", foreign[0])).await.status, StatusCode::FORBIDDEN);
    }

    async fn the_api_proposes_lists_and_saves(app: TestApp) {
        let ids = six_networks(&app, &app.programme_id).await;
        let coordinator = app.user().role(Role::Coordinator).create().await;
        let token = app.token_for(&coordinator).await;
        let base = format!("/api/v1/programmes/{}/groupings", app.programme_id);
        let proposal = app.api_send(Method::POST, &format!("{base}/propose"), Some(&token), json!({"min_size": 2, "max_size": 3})).await;
        assert_eq!(proposal.status, StatusCode::OK, "{}", proposal.body);
        let body = proposal.json();
        assert_eq!(body["cost"], 0.0);
        assert!(body["groups"].as_array().unwrap().iter().all(|g| (2..=3).contains(&g["networks"].as_array().unwrap().len())), "{body}");
        assert_eq!(body["groups"][0]["maturity_min"], 15.0);
        assert_eq!(body["groups"][0]["shared_lines"][0], "1. Scuola e dispersione");
        let infeasible = app.api_send(Method::POST, &format!("{base}/propose"), Some(&token), json!({"min_size": 4, "max_size": 5})).await;
        assert_eq!(infeasible.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(infeasible.json()["error"]["fields"][0]["field"], "min_size");

        let groups = json!([[ids[0], ids[1], ids[2]], [ids[3], ids[4], ids[5]]]);
        let repeated = json!([[ids[0], ids[1], ids[2]], [ids[3], ids[4], ids[0]]]);
        let bad = app.api_send(Method::POST, &base, Some(&token), json!({"name": "Doppia", "min_size": 3, "max_size": 3, "groups": repeated})).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert_eq!(bad.json()["error"]["fields"][0]["field"], "groups");
        let made = app.api_send(Method::POST, &base, Some(&token), json!({"name": "Gruppi", "min_size": 3, "max_size": 3, "groups": groups})).await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        let id = made.json()["id"].as_str().unwrap().to_owned();
        assert_eq!(made.json()["cost"], 0.0);
        let listed = app.api_get(&base, Some(&token)).await.json();
        assert_eq!(listed["total"], 1, "{listed}");
        let one = app.api_get(&format!("{base}/{id}"), Some(&token)).await.json();
        assert_eq!(one["groups"][1]["network_ids"].as_array().unwrap().len(), 3, "{one}");
    }

    async fn only_the_programmes_coordination_reaches_groups(app: TestApp) {
        let ids = six_networks(&app, &app.programme_id).await;
        let coordinator = app.user().role(Role::Coordinator).create().await;
        let grouping = reti_store::groups::GroupingInput {
            name: "Gruppi".into(),
            bounds: reti_domain::groups::Bounds::new(3, 3).unwrap(),
            groups: vec![ids[..3].to_vec(), ids[3..].to_vec()],
        };
        let saved = app.db.save_grouping(&Actor::cli(), &app.programme_id, &grouping).await.unwrap();
        let other = app.db.create_programme(&Actor::cli(), "PROG-9999", "Altro programma").await.unwrap().id;
        let new = NewUser {
            email: reti_domain::Email::parse("coordina.altro@prova.it").unwrap(),
            name: reti_domain::PersonName::parse("Coordina Altro").unwrap(),
            password: Some(reti_domain::Password::parse(crate::harness::PASSWORD, &[]).unwrap()),
            is_admin: false,
        };
        let foreign = app.db.create_user_with_roles(&Actor::cli(), new, &[(other.clone(), Role::Coordinator)]).await.unwrap();
        let facilitator = app.user().role(Role::Facilitator).create().await;
        let lead = app.user().role(Role::NetworkLead).create().await;
        let _ = coordinator;
        let pages = [
            format!("/programmes/{}/groupings", app.programme_id),
            format!("/programmes/{}/groupings/{saved}", app.programme_id),
        ];
        for user in [&foreign, &facilitator, &lead] {
            app.login(&user.email).await;
            for page in &pages {
                let status = app.get(page).await.status;
                assert!(status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND, "{} reaches {page}: {status}", user.email);
            }
            let posted = app.post(&format!("/programmes/{}/groupings/propose", app.programme_id), &[("min_size", "3"), ("max_size", "3")]).await;
            assert_eq!(posted.status, StatusCode::FORBIDDEN, "{}", user.email);
            let token = app.token_for(user).await;
            let api = format!("/api/v1/programmes/{}/groupings", app.programme_id);
            assert_eq!(app.api_get(&api, Some(&token)).await.status, StatusCode::FORBIDDEN, "{}", user.email);
            assert_eq!(app.api_get(&format!("{api}/{saved}"), Some(&token)).await.status, StatusCode::FORBIDDEN);
            let body = json!({"min_size": 3, "max_size": 3});
            assert_eq!(app.api_send(Method::POST, &format!("{api}/propose"), Some(&token), body).await.status, StatusCode::FORBIDDEN);
            app.logout_locally();
        }
        // The other programme's coordinator does not see this grouping under their own programme.
        app.login(&foreign.email).await;
        assert_eq!(app.get(&format!("/programmes/{other}/groupings/{saved}")).await.status, StatusCode::NOT_FOUND);
    }
}

/// The statements a page costs once its session is warm.
async fn statements(app: &TestApp, path: &str) -> u64 {
    let warm = app.get(path).await;
    assert_eq!(warm.status, StatusCode::OK, "{path}: {}", warm.body);
    let before = app.db.statements();
    assert_eq!(app.get(path).await.status, StatusCode::OK, "{path}");
    app.db.statements() - before
}

app_tests! {
    async fn the_groups_pages_cost_a_fixed_number_of_statements(app: TestApp) {
        let ids = six_networks(&app, &app.programme_id).await;
        let coordinator = app.user().role(Role::Coordinator).create().await;
        app.login(&coordinator.email).await;
        let save = |groups: Vec<Vec<String>>, name: &str| reti_store::groups::GroupingInput {
            name: name.into(),
            bounds: reti_domain::groups::Bounds::new(1, 6).unwrap(),
            groups,
        };
        let first = app.db.save_grouping(&Actor::cli(), &app.programme_id, &save(vec![ids.clone()], "Uno")).await.unwrap();
        let index = format!("/programmes/{}/groupings", app.programme_id);
        let show = format!("{index}/{first}");
        // The session (3), then: the programme, the networks, the page of groupings and its count;
        // the grouping, its members, the networks with their lines and maturities (the latest
        // reading-tool results: rounds and answers, two statements).
        let bounds = [(index.clone(), 8), (show.clone(), 9)];
        let few: Vec<u64> = { let mut v = Vec::new(); for (path, _) in &bounds { v.push(statements(&app, path).await); } v };
        for n in 0..4 {
            let groups: Vec<Vec<String>> = ids.chunks(2).map(|c| c.to_vec()).collect();
            app.db.save_grouping(&Actor::cli(), &app.programme_id, &save(groups, &format!("Altro {n}"))).await.unwrap();
        }
        let mut report = String::new();
        let mut failed = false;
        for ((path, bound), few) in bounds.iter().zip(few) {
            let many = statements(&app, path).await;
            failed |= few != many || many > *bound;
            report.push_str(&format!("{path}: {few} statements, {many} with more rows, at most {bound} allowed\n"));
        }
        assert!(!failed, "{report}");
    }
}
