//! What the pages show after their queries were batched (one query per list, not one per row):
//! the same people, affiliations and organisations, in the same order.

use crate::app_tests;
use crate::harness::TestApp;
use axum::http::StatusCode;
use reti_domain::{Email, MembershipRole, NetworkStatus, PersonName, Role};
use reti_store::Actor;
use reti_store::registry::networks::{MembershipInput, NetworkInput};
use reti_store::registry::people::PersonInput;

async fn person(app: &TestApp, name: &str, email: &str, works_for: &[(&str, &str)]) -> String {
    let actor = Actor::cli();
    let input = PersonInput {
        name: PersonName::parse(name).unwrap(),
        email: Some(Email::parse(email).unwrap()),
        phone: String::new(),
    };
    let id = app.db.create_person(&actor, &input).await.unwrap().id;
    for (organisation_id, position) in works_for {
        app.db.add_affiliation(&actor, &id, organisation_id, position).await.unwrap();
    }
    id
}

/// `rows` organisations in an import file, each with two resources; `bad` lines (1-based data
/// rows) get a tax code with a wrong check digit.
fn organisations_file(rows: u64, bad: &[u64]) -> String {
    let mut text =
        String::from("Denominazione;Tipologia;Codice fiscale;Comune;Provincia;E-mail;Risorse e competenze\n");
    for row in 1..=rows {
        let first10 = format!("{:010}", 1_000_000_000 + row);
        let check = reti_domain::taxcode::check_digit_numeric(&first10);
        let check = if bad.contains(&row) { if check == '0' { '1' } else { '0' } } else { check };
        text.push_str(&format!(
            "Ente numero {row};Cooperativa sociale;{first10}{check};Milano;MI;ente{row}@prova.it;Mediazione, Volontariato\n"
        ));
    }
    text
}

/// The position of `needle` in `haystack`, failing the test when it is missing.
fn at(haystack: &str, needle: &str) -> usize {
    haystack.find(needle).unwrap_or_else(|| panic!("{needle:?} missing from the page"))
}

/// A network of the test programme covering `municipalities`, with these action lines.
async fn network(app: &TestApp, name: &str, municipalities: &[&str], action_line_ids: Vec<String>) -> String {
    let input = NetworkInput {
        programme_id: app.programme_id.clone(),
        name: name.into(),
        description: String::new(),
        maturity: None,
        status: NetworkStatus::Active,
        municipality_codes: municipalities.iter().map(|&c| c.to_owned()).collect(),
        action_line_ids,
    };
    app.db.create_network(&Actor::cli(), &input).await.unwrap().id
}

async fn join(app: &TestApp, network_id: &str, organisation_id: &str, role: MembershipRole) {
    let input = MembershipInput { organisation_id: organisation_id.to_owned(), role, joined_on: None };
    app.db.add_membership(&Actor::cli(), network_id, &input).await.unwrap();
}

/// The table row of the page that starts with `name`.
fn row_of(body: &str, name: &str) -> String {
    let start = at(body, name);
    let end = body[start..].find("</tr>").unwrap() + start;
    body[start..end].to_owned()
}

app_tests! {
    async fn the_networks_list_shows_each_networks_lead_municipalities_and_action_lines(app: TestApp) {
        let actor = Actor::cli();
        // Numbered so that text order ("1, 12, 3") would differ from number order.
        let mut lines = Vec::new();
        for number in [3, 12, 1] {
            lines.push(app.db.put_action_line(&actor, &app.programme_id, number, "Linea").await.unwrap().id);
        }
        // Milano before Lecco in the input: the first municipality by name is Lecco (LC).
        let full = network(&app, "Rete Alfa", &["015146", "097042"], lines).await;
        let former = app.organisation("Zeta Comune uscito", "00743110157").await;
        let lead = app.organisation("Gamma Comune capofila", "01234567897").await;
        let partner = app.organisation("Alfa Cooperativa partner", "12345678903").await;
        join(&app, &full, &former, MembershipRole::Lead).await;
        let membership = app.db.network(&full).await.unwrap().unwrap().memberships[0].id.clone();
        let today = time::OffsetDateTime::now_utc().date();
        app.db.end_membership(&actor, &full, &membership, today).await.unwrap();
        join(&app, &full, &partner, MembershipRole::Partner).await;
        join(&app, &full, &lead, MembershipRole::Lead).await;
        network(&app, "Rete Beta", &[], Vec::new()).await;

        let coordinator = app.user().role(Role::Coordinator).create().await;
        app.login(&coordinator.email).await;
        let page = app.get("/networks").await;
        assert_eq!(page.status, StatusCode::OK);
        let alfa = row_of(&page.body, ">Rete Alfa</a>");
        for cell in ["<td>Gamma Comune capofila</td>", "<td>2 (LC)</td>", "<td>1, 3, 12</td>"] {
            assert!(alfa.contains(cell), "{cell} missing from {alfa}");
        }
        assert!(!alfa.contains("Zeta") && !alfa.contains("Alfa Cooperativa"), "only the current lead: {alfa}");
        let beta = row_of(&page.body, ">Rete Beta</a>");
        assert!(beta.contains("<td></td>\n          <td>0</td>\n          <td></td>"), "{beta}");

        // A page past the end still counts every network.
        let status = |body: &str| row_of(body, "role=\"status\"").split("</p>").next().unwrap().to_owned();
        let past = app.get("/networks?page=9").await;
        assert_eq!(past.status, StatusCode::OK);
        assert_eq!(status(&past.body), status(&page.body));
        assert!(!past.body.contains("Rete Alfa"));
    }

    async fn the_request_context_reads_every_role_and_the_first_programmes_name(app: TestApp) {
        let actor = Actor::cli();
        let other = app.db.create_programme(&actor, "ALFA-1", "Programma Alfa").await.unwrap();
        let led = network(&app, "Rete Zeta", &[], Vec::new()).await;
        let joined = network(&app, "Rete Beta", &[], Vec::new()).await;
        let archived = network(&app, "Rete Archiviata", &[], Vec::new()).await;
        let user = app.user().role(Role::NetworkMember).create().await;
        app.db.assign_role(&actor, &user.id, &other.id, Role::Coordinator).await.unwrap();
        app.db.assign_to_network(&actor, &user.id, &led, Role::NetworkLead).await.unwrap();
        app.db.assign_to_network(&actor, &user.id, &joined, Role::NetworkMember).await.unwrap();
        app.db.assign_to_network(&actor, &user.id, &archived, Role::NetworkMember).await.unwrap();
        app.db.set_network_archived(&actor, &archived, true).await.unwrap();

        let (assignments, networks) = app.db.roles(&user.id).await.unwrap();
        let separately = (app.db.assignments(&user.id).await.unwrap(), app.db.network_assignments(&user.id).await.unwrap());
        assert_eq!(format!("{:?}", (&assignments, &networks)), format!("{separately:?}"));
        let programmes: Vec<&str> = assignments.iter().map(|a| a.programme_code.as_str()).collect();
        assert_eq!(programmes, ["ALFA-1", "PROG-2463"]);
        let names: Vec<(&str, Role)> = networks.iter().map(|n| (n.network_name.as_str(), n.role)).collect();
        assert_eq!(names, [("Rete Beta", Role::NetworkMember), ("Rete Zeta", Role::NetworkLead)]);
        assert!(networks.iter().all(|n| n.programme_id == app.programme_id));

        app.login(&user.email).await;
        let page = app.get("/networks").await;
        assert!(page.body.contains("Programma Alfa"), "the first programme by code names the header");
        // Coordinator of ALFA-1 only: the lead's role opens the edit form, membership alone does not.
        assert_eq!(app.get(&format!("/networks/{led}/edit")).await.status, StatusCode::OK);
        assert_eq!(app.get(&format!("/networks/{joined}/edit")).await.status, StatusCode::FORBIDDEN);
    }

    async fn a_network_page_lists_the_people_of_its_current_members_with_their_organisations(app: TestApp) {
        let actor = Actor::cli();
        let network = NetworkInput {
            programme_id: app.programme_id.clone(),
            name: "Rete di Milano".into(),
            description: String::new(),
            maturity: None,
            status: NetworkStatus::Active,
            municipality_codes: vec!["015146".into()],
            action_line_ids: Vec::new(),
        };
        let network = app.db.create_network(&actor, &network).await.unwrap();
        // Named so that alphabetical order would put the partner first: the lead must still lead.
        let lead = app.organisation("Zeta Comune capofila", "00743110157").await;
        let partner = app.organisation("Alfa Cooperativa partner", "01234567897").await;
        let former = app.organisation("Beta Associazione uscita", "12345678903").await;
        for (organisation_id, role) in
            [(&lead, MembershipRole::Lead), (&partner, MembershipRole::Partner), (&former, MembershipRole::Partner)]
        {
            let input = MembershipInput { organisation_id: organisation_id.clone(), role, joined_on: None };
            app.db.add_membership(&actor, &network.id, &input).await.unwrap();
        }
        let left = app.db.network(&network.id).await.unwrap().unwrap();
        let membership = left.memberships.iter().find(|m| m.organisation_id == former).unwrap();
        let today = time::OffsetDateTime::now_utc().date();
        app.db.end_membership(&actor, &network.id, &membership.id, today).await.unwrap();

        person(&app, "Laura Bianchi", "laura@prova.it", &[(&lead, "Referente")]).await;
        person(&app, "Anna Verdi", "anna@prova.it", &[(&partner, "")]).await;
        person(&app, "Bruno Neri", "bruno@prova.it", &[(&partner, ""), (&lead, "")]).await;
        let ended = person(&app, "Carla Gialli", "carla@prova.it", &[(&partner, "")]).await;
        let affiliation = app.db.person(&ended).await.unwrap().unwrap().affiliations[0].id.clone();
        app.db.end_affiliation(&actor, &ended, &affiliation).await.unwrap();
        let archived = person(&app, "Dario Rossi", "dario@prova.it", &[(&partner, "")]).await;
        app.db.set_person_archived(&actor, &archived, true).await.unwrap();
        person(&app, "Elena Blu", "elena@prova.it", &[(&former, "")]).await;

        let coordinator = app.user().role(Role::Coordinator).create().await;
        app.login(&coordinator.email).await;
        let page = app.get(&format!("/networks/{}", network.id)).await;
        assert_eq!(page.status, StatusCode::OK);
        let body = &page.body;
        let people = &body[at(body, "id=\"people-heading\"")..];
        // The lead's people first (by name), then the partner's; Bruno under both.
        let order = [
            "Bruno Neri — <a href=\"mailto:bruno@prova.it\">bruno@prova.it</a> (Zeta Comune capofila)",
            "Laura Bianchi — <a href=\"mailto:laura@prova.it\">laura@prova.it</a> (Zeta Comune capofila)",
            "Anna Verdi — <a href=\"mailto:anna@prova.it\">anna@prova.it</a> (Alfa Cooperativa partner)",
            "Bruno Neri — <a href=\"mailto:bruno@prova.it\">bruno@prova.it</a> (Alfa Cooperativa partner)",
        ];
        let positions: Vec<usize> = order.iter().map(|line| at(people, line)).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "order: {positions:?}\n{people}");
        for absent in ["Carla Gialli", "Dario Rossi", "Elena Blu"] {
            assert!(!people.contains(absent), "{absent}: ended affiliation, archived, or a former member's");
        }

        // A member who is not a coordinator sees the same people; a stranger sees none.
        let member = app.user().role(Role::NetworkMember).create().await;
        app.db.assign_to_network(&actor, &member.id, &network.id, Role::NetworkMember).await.unwrap();
        app.logout_locally();
        app.login(&member.email).await;
        assert!(app.get(&format!("/networks/{}", network.id)).await.body.contains("Anna Verdi"));
        let stranger = app.user().role(Role::NetworkMember).create().await;
        app.logout_locally();
        app.login(&stranger.email).await;
        let public = app.get(&format!("/networks/{}", network.id)).await;
        assert_eq!(public.status, StatusCode::OK);
        assert!(!public.body.contains("Laura Bianchi"), "private to the network");
    }

    async fn the_people_list_shows_each_persons_own_affiliations(app: TestApp) {
        let first = app.organisation("Cooperativa Il Ponte", "00743110157").await;
        let second = app.organisation("Comune di Milano", "01234567897").await;
        person(&app, "Anna Verdi", "anna@prova.it", &[(&first, "Educatrice"), (&second, "")]).await;
        person(&app, "Bruno Neri", "bruno@prova.it", &[(&second, "Assessore")]).await;
        person(&app, "Carla Gialli", "carla@prova.it", &[]).await;
        // The administrator reaches every person; what a coordinator reaches is scope's test.
        let admin = app.user().admin().create().await;
        app.login(&admin.email).await;
        let page = app.get("/people").await;
        assert_eq!(page.status, StatusCode::OK);
        let row = |name: &str| {
            let start = at(&page.body, name);
            let end = page.body[start..].find("</tr>").unwrap() + start;
            page.body[start..end].to_owned()
        };
        let anna = row("Anna Verdi");
        assert!(anna.contains("Cooperativa Il Ponte (Educatrice); Comune di Milano"), "{anna}");
        let bruno = row("Bruno Neri");
        assert!(bruno.contains("Comune di Milano (Assessore)") && !bruno.contains("Il Ponte"), "{bruno}");
        let carla = row("Carla Gialli");
        assert!(!carla.contains("Comune di Milano") && !carla.contains("Il Ponte"), "{carla}");
    }

    async fn a_large_import_writes_every_row_its_tags_and_its_audit_entry_or_nothing(app: TestApp) {
        use reti_store::audit::Filter;
        use reti_store::registry::import::Entity;
        use reti_store::registry::organisations::OrganisationFilter;
        let actor = Actor::cli();
        let created_entries = |app: &TestApp| {
            let db = app.db.clone();
            async move {
                // Counted whole: the audit view stops counting at `COUNT_LIMIT`.
                let sql = "SELECT COUNT(*) FROM audit_log WHERE entity = 'organisation' AND action = 'create'";
                sqlx::query_scalar::<_, i64>(sql).fetch_one(db.pool()).await.unwrap()
            }
        };
        // Several statements' worth of rows on both engines, the last statement a short one.
        let refused = organisations_file(1_234, &[700, 1_200]);
        let result = app.db.import_file(&actor, Entity::Organisations, refused.as_bytes(), false).await.unwrap();
        let lines: Vec<usize> = result.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![701, 1_201], "every bad row reported by its line: {:?}", result.errors);
        let filter = OrganisationFilter::default();
        let page = reti_store::PageRequest::new(None, None);
        assert_eq!(app.db.list_organisations(&filter, page).await.unwrap().total, 0, "nothing written");
        assert_eq!(created_entries(&app).await, 0);

        let good = organisations_file(1_234, &[]);
        let result = app.db.import_file(&actor, Entity::Organisations, good.as_bytes(), false).await.unwrap();
        assert!(result.accepted(), "{:?}", result.errors);
        assert_eq!((result.rows, result.created, result.updated), (1_234, 1_234, 0));
        assert_eq!(app.db.list_organisations(&filter, page).await.unwrap().total, 1_234);
        assert_eq!(created_entries(&app).await, 1_234, "one audit entry per organisation");
        let mut after_by_id = std::collections::HashMap::new();
        for offset in [0, 500, 1_000] {
            let filter = Filter { entity: Some("organisation".into()), ..Filter::default() };
            for entry in app.db.audit_entries(&filter, 500, offset).await.unwrap().entries {
                after_by_id.insert(entry.entity_id.unwrap(), entry.after_json.unwrap());
            }
        }
        assert_eq!(after_by_id.len(), 1_234);
        for row in [1_u64, 333, 334, 1_234] {
            let first10 = format!("{:010}", 1_000_000_000 + row);
            let tax_code = format!("{first10}{}", reti_domain::taxcode::check_digit_numeric(&first10));
            let organisation = app.db.organisation_by_tax_code(&tax_code).await.unwrap().unwrap();
            assert_eq!(organisation.name, format!("Ente numero {row}"));
            assert_eq!(organisation.email.as_deref(), Some(format!("ente{row}@prova.it").as_str()));
            assert_eq!(organisation.municipality.as_ref().unwrap().istat_code, "015146");
            assert_eq!(organisation.resources, vec!["Mediazione", "Volontariato"]);
            let after: serde_json::Value = serde_json::from_str(&after_by_id[&organisation.id]).unwrap();
            assert_eq!(after["tax_code"], tax_code.as_str());
            assert_eq!(after["name"], format!("Ente numero {row}").as_str());
            assert_eq!(after["resources"], serde_json::json!(["Mediazione", "Volontariato"]));
        }
    }
}
