//! How many SQL statements each page shape of the demo costs a coordinator: a bound per page, and
//! the same count when every list on the page has more rows, so that a query per row fails here.

use crate::app_tests;
use crate::harness::TestApp;
use axum::http::StatusCode;
use reti_domain::{Email, MembershipRole, NetworkStatus, PersonName, Role};
use reti_store::Actor;
use reti_store::registry::networks::{MembershipInput, NetworkInput};
use reti_store::registry::people::PersonInput;
use reti_store::registry::projects::{ActionInput, ProjectInput};

/// The statements a page costs once its session is warm (CSRF token set, nothing else to write).
async fn statements(app: &TestApp, path: &str) -> u64 {
    let warm = app.get(path).await;
    assert_eq!(warm.status, StatusCode::OK, "{path}: {}", warm.body);
    let before = app.db.statements();
    let response = app.get(path).await;
    assert_eq!(response.status, StatusCode::OK, "{path}");
    app.db.statements() - before
}

/// The demo's shapes: a network with members, their people, a project with actions.
struct Demo {
    network: String,
    organisation: String,
    project: String,
    lab: String,
    /// A thread of the network, opened by the coordinator, and who replies in it.
    thread: String,
    writer: String,
}

/// Adds one more of everything the pages list: an organisation (member of the network, with a
/// resource), a person working there, an action of the project, a network and the audit entries of
/// all these.
async fn grow(app: &TestApp, demo: &Demo, n: u32) {
    let actor = Actor::cli();
    let organisation = app.organisation(&format!("Ente {n}"), &tax_code(n)).await;
    let membership =
        MembershipInput { organisation_id: organisation.clone(), role: MembershipRole::Partner, joined_on: None };
    app.db.add_membership(&actor, &demo.network, &membership).await.unwrap();
    let person = PersonInput {
        name: PersonName::parse(&format!("Persona {n}")).unwrap(),
        email: Some(Email::parse(&format!("persona{n}@prova.it")).unwrap()),
        phone: String::new(),
    };
    let person = app.db.create_person(&actor, &person).await.unwrap().id;
    app.db.add_affiliation(&actor, &person, &organisation, "Operatrice").await.unwrap();
    app.db.add_affiliation(&actor, &person, &demo.organisation, "Volontaria").await.unwrap();
    let action = ActionInput {
        title: format!("Azione {n}"),
        planned_outputs: "Laboratori".into(),
        target_groups: "Famiglie".into(),
    };
    app.db.add_project_action(&actor, &demo.project, &action).await.unwrap();
    network(app, &format!("Rete {n}")).await;
    let participant = app.user().create().await;
    app.db.assign_to_network(&actor, &participant.id, &demo.network, Role::NetworkMember).await.unwrap();
    let people = [(participant.id, demo.network.clone())];
    app.db.enrol_in_lab(&actor, &demo.lab, &people, reti_domain::labs::Joiner::Manager).await.unwrap();
    let guest = reti_domain::labs::GuestExpert::parse(&format!("Esperta {n}"), "esperta@prova.it", "Ente").unwrap();
    app.db.add_lab_guest_expert(&actor, &demo.lab, &guest).await.unwrap();
    // A reply with a file in the thread (a notification to the coordinator), and a new thread.
    let scope = reti_store::exchanges::ExchangeScope::Network(demo.network.clone());
    let space = app.db.exchange_space(&scope).await.unwrap().unwrap();
    let thread = app.db.exchange_thread(&demo.thread, &demo.writer).await.unwrap().unwrap();
    let reply = reti_domain::exchanges::ReplyInput { body: format!("Risposta {n}"), quote: None };
    let file = reti_store::exchanges::NewFile {
        id: reti_store::new_id(),
        file_name: format!("allegato-{n}.pdf"),
        content_type: "application/pdf".into(),
        size_bytes: 10,
    };
    app.db.exchange_reply(&actor, &space, &thread, &demo.writer, &reply, Some(&file)).await.unwrap();
    let input = reti_domain::exchanges::ThreadInput { title: format!("Tema {n}"), body: "Testo".into() };
    app.db.exchange_create_thread(&actor, &space, &demo.writer, &input, None).await.unwrap();
}

/// A valid numeric tax code, different for each `n`.
fn tax_code(n: u32) -> String {
    let first10 = format!("{:010}", 8_000_000_000 + u64::from(n));
    let check = reti_domain::taxcode::check_digit_numeric(&first10);
    format!("{first10}{check}")
}

async fn network(app: &TestApp, name: &str) -> String {
    let line = app.db.put_action_line(&Actor::cli(), &app.programme_id, 1, "Linea").await.unwrap().id;
    let input = NetworkInput {
        programme_id: app.programme_id.clone(),
        name: name.into(),
        description: String::new(),
        maturity: None,
        status: NetworkStatus::Active,
        municipality_codes: vec!["015146".into(), "016024".into()],
        action_line_ids: vec![line],
    };
    app.db.create_network(&Actor::cli(), &input).await.unwrap().id
}

/// The page shapes of the benchmark (`scripts/bench-pages`) with the most statements each may run.
fn pages(demo: &Demo, programme_id: &str) -> Vec<(String, u64)> {
    vec![
        // The session with its account and roles, then "my meetings".
        ("/".into(), 2),
        ("/networks".into(), 3),
        // The network with its lists; its projects, people and districts; the organisation picker;
        // the counts of its remote exchanges.
        (format!("/networks/{}", demo.network), 5),
        // Lists carry their total in their rows.
        ("/organisations".into(), 2),
        (format!("/organisations/{}", demo.organisation), 3),
        ("/people".into(), 2),
        ("/programmes".into(), 2),
        (format!("/programmes/{programme_id}"), 3),
        // The project and its network, each with its lists.
        (format!("/projects/{}", demo.project), 3),
        // The session, then the page of entries with its count and the filter's vocabulary.
        ("/audit".into(), 2),
        // The search runs over the shipped ISTAT list in memory.
        ("/municipalities?q=berg".into(), 1),
        // Reading tools: the session, the network or programme, the rounds with their instrument and
        // every submitted answer (two statements, whatever the rounds, networks and answers).
        (format!("/networks/{}/reading", demo.network), 5),
        (format!("/programmes/{programme_id}/reading"), 5),
        (format!("/programmes/{programme_id}/reading/results"), 5),
        // A network's calendar: the session, the network, its meetings as one JSON row (meetfix2.rs
        // checks the same bound with a month full of meetings).
        (format!("/networks/{}/meetings", demo.network), 3),
        (format!("/networks/{}/meetings?view=list", demo.network), 3),
        // Cross-network ties: the session, the programme, its networks, memberships and meetings'
        // participations (three statements whatever the programme's size).
        (format!("/programmes/{programme_id}/ties"), 6),
        // Labs: the list (with the programme's action lines for its filter); a lab with its lists
        // in its row, its sessions, for the coordination the people and networks to invite, and
        // its latest threads and documents with their totals.
        ("/labs".into(), 3),
        (format!("/labs/{}", demo.lab), 9),
        // Remote exchanges: the space, then the threads with their counts and total; a thread with
        // a page of its messages (their total in their rows) and their files, and the viewer's
        // read marker; the notifications.
        (format!("/networks/{}/threads", demo.network), 4),
        (format!("/threads/{}", demo.thread), 6),
        ("/notifications".into(), 3),
        // The actor map: the network, its map (organisations, relations), the territory, the
        // matrix and reading results the growth spaces need, snapshots and rounds.
        (format!("/networks/{}/map", demo.network), 16),
    ]
}

app_tests! {
    async fn no_page_runs_a_statement_per_row(app: TestApp) {
        let actor = Actor::cli();
        let network = network(&app, "Rete di prova").await;
        let organisation = app.organisation("Ente capofila", &tax_code(0)).await;
        let lead = MembershipInput { organisation_id: organisation.clone(), role: MembershipRole::Lead, joined_on: None };
        app.db.add_membership(&actor, &network, &lead).await.unwrap();
        let project = ProjectInput {
            title: "Progetto".into(),
            description: String::new(),
            budget_cents: None,
            starts_on: None,
            ends_on: None,
            action_line_ids: Vec::new(),
        };
        let project = app.db.create_project(&actor, &network, &project).await.unwrap().id;
        let raw = reti_domain::labs::LabRaw {
            title: "Laboratorio".into(),
            theme: "Tema".into(),
            enrolment: "open".into(),
            ..Default::default()
        };
        let input = reti_domain::labs::LabInput::parse(&raw).unwrap();
        let lab = app.db.create_lab(&actor, &app.programme_id, &input).await.unwrap();
        let coordinator = app.user().role(Role::Coordinator).create().await;
        let writer = app.user().role(Role::NetworkMember).create().await;
        app.db.assign_to_network(&actor, &writer.id, &network, Role::NetworkMember).await.unwrap();
        let space = app
            .db
            .exchange_space(&reti_store::exchanges::ExchangeScope::Network(network.clone()))
            .await
            .unwrap()
            .unwrap();
        let opening = reti_domain::exchanges::ThreadInput { title: "Calendario".into(), body: "Proposte?".into() };
        let thread = app.db.exchange_create_thread(&actor, &space, &coordinator.id, &opening, None).await.unwrap();
        let demo = Demo { network, organisation, project, lab, thread, writer: writer.id };
        app.login(&coordinator.email).await;

        grow(&app, &demo, 1).await;
        grow(&app, &demo, 2).await;
        let mut few = Vec::new();
        for (path, _) in pages(&demo, &app.programme_id) {
            few.push(statements(&app, &path).await);
        }
        for n in 3..6 {
            grow(&app, &demo, n).await;
        }
        let mut report = String::new();
        let mut failed = false;
        for ((path, bound), few) in pages(&demo, &app.programme_id).into_iter().zip(few) {
            let many = statements(&app, &path).await;
            failed |= few != many || many > bound;
            report.push_str(&format!("{path}: {few} statements, {many} with more rows, at most {bound} allowed\n"));
        }
        assert!(!failed, "{report}");

        // The picker of a new member offers what the search found, by name, never the registry.
        let page = app.get(&format!("/networks/{}", demo.network)).await.body;
        assert!(!page.contains("name=\"organisation_id\""), "nothing is offered before a search");
        let page = app.get(&format!("/networks/{}?organisation_q=ente", demo.network)).await.body;
        let names: Vec<&str> = page
            .split("class=\"form-check-label\" for=\"organisation-")
            .skip(1)
            .map(|label| label.split_once('>').unwrap().1.split(" (").next().unwrap())
            .collect();
        assert_eq!(names, ["Ente 1", "Ente 2", "Ente 3", "Ente 4", "Ente 5", "Ente capofila"]);
        assert!(page.contains(&format!("value=\"{}\">", demo.organisation)));
    }
}

app_tests! {
    async fn the_account_and_roles_read_with_the_session_are_those_of_this_request(app: TestApp) {
        let coordinator = app.user().role(Role::Coordinator).create().await;
        app.login(&coordinator.email).await;
        assert_eq!(app.get("/people").await.status, StatusCode::OK);

        // Nothing is remembered between requests: a role taken away counts at once.
        sqlx::query("DELETE FROM role_assignments WHERE user_id = $1").bind(&coordinator.id).execute(app.db.pool()).await.unwrap();
        assert_ne!(app.get("/people").await.status, StatusCode::OK);
        assert_eq!(app.get("/account").await.status, StatusCode::OK);

        // And so does a disabled account: the session no longer logs anyone in.
        sqlx::query("UPDATE users SET disabled_at = $1 WHERE id = $2")
            .bind("2026-01-01T00:00:00.000000Z")
            .bind(&coordinator.id)
            .execute(app.db.pool())
            .await
            .unwrap();
        assert_ne!(app.get("/account").await.status, StatusCode::OK);
    }
}
