//! A lab's threads and documents on both engines (decision 0040): who reaches them route by route
//! (pages and API, a person of the same programme outside the lab and a person of another
//! programme included), a stale save on a lab document refused with the merge view, the
//! notification of a new lab thread to a participant, the paging of a thread's messages, the
//! owner's foreign key, and the lab's page with its "Scambi" and "Documenti".

use crate::app_tests;
use crate::harness::{TestApp, TestResponse};
use axum::http::{Method, StatusCode};
use reti_domain::documents::{DocumentInput, DocumentScope};
use reti_domain::exchanges::{ReplyInput, ThreadInput};
use reti_domain::labs::{Enrolment, Joiner, LabInput, LabStatus};
use reti_domain::{NetworkStatus, Role};
use reti_store::exchanges::{ExchangeScope, NotificationKind};
use reti_store::registry::networks::{Network, NetworkInput};
use reti_store::users::User;
use reti_store::{Actor, PageRequest};
use serde_json::json;

async fn network(app: &TestApp, programme_id: &str, name: &str) -> Network {
    let input = NetworkInput {
        programme_id: programme_id.to_owned(),
        name: name.into(),
        description: String::new(),
        maturity: None,
        status: NetworkStatus::Active,
        municipality_codes: vec!["015146".into()],
        action_line_ids: Vec::new(),
    };
    app.db.create_network(&Actor::cli(), &input).await.unwrap()
}

async fn member_of(app: &TestApp, network: &Network) -> User {
    let user = app.user().create().await;
    app.db.assign_to_network(&Actor::cli(), &user.id, &network.id, Role::NetworkMember).await.unwrap();
    user
}

/// A running lab with an expert and a participant from Adda; Bruno (Brembo, same programme) is
/// not enrolled; a facilitator and the coordination of the programme; a member of another
/// programme's network.
struct World {
    lab: String,
    coordinator: User,
    facilitator: User,
    expert: User,
    participant: User,
    bystander: User,
    outsider: User,
}

async fn world(app: &TestApp) -> World {
    let adda = network(app, &app.programme_id, "Rete Adda").await;
    let brembo = network(app, &app.programme_id, "Rete Brembo").await;
    let other = app.db.create_programme(&Actor::cli(), "ALTRO-1", "Altro programma").await.unwrap();
    let elsewhere = network(app, &other.id, "Rete Altrove").await;
    let input = LabInput {
        title: "Scuola e territorio".into(),
        theme: "Dispersione".into(),
        action_line: None,
        description: String::new(),
        enrolment: Enrolment::Open,
        capacity: None,
        status: LabStatus::Running,
    };
    let lab = app.db.create_lab(&Actor::cli(), &app.programme_id, &input).await.unwrap();
    let expert = app.user().create().await;
    app.db.add_lab_expert_account(&Actor::cli(), &lab, &expert.id).await.unwrap();
    let participant = member_of(app, &adda).await;
    app.db
        .enrol_in_lab(&Actor::cli(), &lab, &[(participant.id.clone(), adda.id.clone())], Joiner::Manager)
        .await
        .unwrap();
    World {
        lab,
        coordinator: app.user().role(Role::Coordinator).create().await,
        facilitator: app.user().role(Role::Facilitator).create().await,
        expert,
        participant,
        bystander: member_of(app, &brembo).await,
        outsider: member_of(app, &elsewhere).await,
    }
}

/// Posts a multipart form as the pages do: the CSRF token first, then the fields, no file.
async fn post_form(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> TestResponse {
    let token = app.csrf().await;
    let mut all = vec![("csrf_token", token.as_str())];
    all.extend_from_slice(fields);
    app.upload(path, &all, "", b"").await
}

/// A thread of the lab opened by `author` through the store; returns its id.
async fn lab_thread(app: &TestApp, world: &World, author: &User, title: &str) -> String {
    let space = app.db.exchange_space(&ExchangeScope::Lab(world.lab.clone())).await.unwrap().unwrap();
    let input = ThreadInput { title: title.into(), body: "Primo messaggio.".into() };
    app.db.exchange_create_thread(&Actor::cli(), &space, &author.id, &input, None).await.unwrap()
}

async fn lab_document(app: &TestApp, world: &World, author: &User, body: &str) -> reti_store::documents::Document {
    let input = DocumentInput { title: "Protocollo".into(), body: body.into(), summary: String::new() };
    app.db.document_create(&Actor::cli(), &DocumentScope::Lab(world.lab.clone()), &author.id, &input).await.unwrap()
}

app_tests! {
    async fn a_labs_threads_and_documents_are_its_peoples_only(app: TestApp) {
        let world = world(&app).await;
        let lab = world.lab.clone();
        let thread = lab_thread(&app, &world, &world.expert, "Casi da portare").await;
        let document = lab_document(&app, &world, &world.expert, "uno\n").await;
        let revision = document.current_revision_id.clone();
        let doc = document.id.clone();
        let reads = [
            format!("/labs/{lab}/threads"),
            format!("/labs/{lab}/documents"),
            format!("/labs/{lab}/documents/new"),
            format!("/threads/{thread}"),
            format!("/documents/{doc}"),
            format!("/documents/{doc}/edit"),
            format!("/documents/{doc}/history"),
        ];
        let api_reads = [
            format!("/api/v1/labs/{lab}/threads"),
            format!("/api/v1/labs/{lab}/documents"),
            format!("/api/v1/threads/{thread}"),
            format!("/api/v1/documents/{doc}"),
        ];
        let reached = [&world.coordinator, &world.facilitator, &world.expert, &world.participant];
        for (n, user) in reached.iter().enumerate() {
            app.logout_locally();
            app.login(&user.email).await;
            for path in &reads {
                let response = app.get(path).await;
                assert_eq!(response.status, StatusCode::OK, "{path} for reader {n}: {}", response.body);
            }
            let title = format!("Discussione {n}");
            let created = post_form(&app, &format!("/labs/{lab}/threads"), &[("title", &title), ("message", "Ciao")]).await;
            assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
            let replied = post_form(&app, &format!("/threads/{thread}/replies"), &[("message", "Una risposta")]).await;
            assert_eq!(replied.status, StatusCode::SEE_OTHER, "{}", replied.body);
            let made = app.post(&format!("/labs/{lab}/documents"), &[("title", "Nota"), ("body", "testo")]).await;
            assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
            let commented = app.post(&format!("/documents/{doc}/comments"), &[("revision_id", &revision), ("body", "Bene")]).await;
            assert_eq!(commented.status, StatusCode::SEE_OTHER, "{}", commented.body);
            let token = app.token_for(user).await;
            for path in &api_reads {
                let response = app.api_get(path, Some(&token)).await;
                assert_eq!(response.status, StatusCode::OK, "{path} for reader {n}: {}", response.body);
            }
            let api_thread = app
                .api_send(Method::POST, &format!("/api/v1/labs/{lab}/threads"), Some(&token), json!({"title": "Via API", "message": "Ciao"}))
                .await;
            assert_eq!(api_thread.status, StatusCode::CREATED, "{}", api_thread.body);
            let api_doc = app
                .api_send(Method::POST, &format!("/api/v1/labs/{lab}/documents"), Some(&token), json!({"title": "Via API", "body": "x"}))
                .await;
            assert_eq!(api_doc.status, StatusCode::CREATED, "{}", api_doc.body);
            assert_eq!(api_doc.json()["lab_id"], lab.as_str());
            assert!(api_doc.json()["network_id"].is_null());
        }
        let api_thread = app.api_get(&format!("/api/v1/threads/{thread}"), Some(&app.token_for(&world.expert).await)).await;
        assert_eq!(api_thread.json()["space_kind"], "lab");
        assert_eq!(api_thread.json()["space_id"], lab.as_str());

        // Bruno is of the programme: he sees the lab's page, not its exchanges; the outsider
        // sees nothing. Both get 404 everywhere, and nothing they send is written.
        let before: (i64, i64) = (
            sqlx::query_scalar("SELECT COUNT(*) FROM exchange_messages").fetch_one(app.db.pool()).await.unwrap(),
            sqlx::query_scalar("SELECT COUNT(*) FROM document_revisions").fetch_one(app.db.pool()).await.unwrap(),
        );
        for user in [&world.bystander, &world.outsider] {
            app.logout_locally();
            app.login(&user.email).await;
            for path in &reads {
                assert_eq!(app.get(path).await.status, StatusCode::NOT_FOUND, "{path} for {}", user.email);
            }
            let created = post_form(&app, &format!("/labs/{lab}/threads"), &[("title", "No"), ("message", "No")]).await;
            assert_eq!(created.status, StatusCode::NOT_FOUND);
            let replied = post_form(&app, &format!("/threads/{thread}/replies"), &[("message", "No")]).await;
            assert_eq!(replied.status, StatusCode::NOT_FOUND);
            assert_eq!(app.post(&format!("/labs/{lab}/documents"), &[("title", "No"), ("body", "x")]).await.status, StatusCode::NOT_FOUND);
            let save = app.post(&format!("/documents/{doc}"), &[("title", "No"), ("body", "x"), ("base_revision", &revision)]).await;
            assert_eq!(save.status, StatusCode::NOT_FOUND);
            let token = app.token_for(user).await;
            for path in &api_reads {
                assert_eq!(app.api_get(path, Some(&token)).await.status, StatusCode::NOT_FOUND, "{path}");
            }
            let api = app
                .api_send(Method::POST, &format!("/api/v1/labs/{lab}/threads"), Some(&token), json!({"title": "No", "message": "No"}))
                .await;
            assert_eq!(api.status, StatusCode::NOT_FOUND);
        }
        let after: (i64, i64) = (
            sqlx::query_scalar("SELECT COUNT(*) FROM exchange_messages").fetch_one(app.db.pool()).await.unwrap(),
            sqlx::query_scalar("SELECT COUNT(*) FROM document_revisions").fetch_one(app.db.pool()).await.unwrap(),
        );
        assert_eq!(before, after, "nothing written by those outside the lab");
        app.logout_locally();
        app.login(&world.bystander.email).await;
        let page = app.get(&format!("/labs/{lab}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Scambi") && page.body.contains("sono riservati"), "{}", page.body);
        assert!(!page.body.contains(&format!("/threads/{thread}")));
        app.logout_locally();
        app.login(&world.outsider.email).await;
        assert_eq!(app.get(&format!("/labs/{lab}")).await.status, StatusCode::NOT_FOUND);

        // The participant sees the lab's latest threads and documents on its page, with the links to all.
        app.logout_locally();
        app.login(&world.participant.email).await;
        let page = app.get(&format!("/labs/{lab}")).await;
        assert!(page.body.contains(&format!("href=\"/threads/{thread}\"")), "{}", page.body);
        assert!(page.body.contains("href=\"/documents/"), "the latest documents");
        assert!(page.body.contains(&format!("href=\"/labs/{lab}/threads\"")));
        assert!(page.body.contains(&format!("href=\"/labs/{lab}/documents\"")));

        // Moderation: the expert hides a message; a participant may not.
        let message = app.db.exchange_messages(&thread, PageRequest::all()).await.unwrap().items.pop().unwrap();
        let refused = app.post(&format!("/threads/{thread}/messages/{}/hide", message.id), &[("hide_reason", "Fuori tema")]).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        app.logout_locally();
        app.login(&world.expert.email).await;
        let hidden = app.post(&format!("/threads/{thread}/messages/{}/hide", message.id), &[("hide_reason", "Fuori tema")]).await;
        assert_eq!(hidden.status, StatusCode::SEE_OTHER, "{}", hidden.body);
    }

    async fn a_stale_save_of_a_lab_document_is_refused_with_the_merge_view(app: TestApp) {
        let world = world(&app).await;
        let base_text = "uno\ndue\ntre\nquattro\ncinque\nsei\nsette\n";
        let doc = lab_document(&app, &world, &world.expert, base_text).await;
        let base = doc.current_revision_id.clone();
        let theirs = DocumentInput { title: "Protocollo".into(), body: base_text.replace("uno", "UNO della esperta"), summary: String::new() };
        app.db.document_save(&Actor::cli(), &doc, &base, &world.expert.id, &theirs).await.unwrap();

        app.login(&world.participant.email).await;
        let yours = base_text.replace("sette", "SETTE del partecipante");
        let refused = app
            .post(&format!("/documents/{}", doc.id), &[("title", "Protocollo"), ("body", &yours), ("summary", ""), ("base_revision", &base)])
            .await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
        assert!(refused.body.contains("UNO della esperta"), "their version is shown");
        assert!(refused.body.contains("SETTE del partecipante"), "your version is kept");
        assert!(refused.body.contains("non sono state salvate"));
        let newest = app.db.document(&doc.id).await.unwrap().unwrap().current_revision_id;
        assert!(refused.body.contains(&format!("name=\"base_revision\" value=\"{newest}\"")));
        assert_eq!(app.db.document(&doc.id).await.unwrap().unwrap().revisions, 2, "nothing saved");
        let history = app.get(&format!("/documents/{}/history", doc.id)).await;
        assert!(history.body.contains(&format!("/labs/{}/documents", world.lab)), "the history links back to the lab's documents");
    }

    async fn a_new_lab_thread_notifies_its_participants_in_app_and_by_mail(app: TestApp) {
        let world = world(&app).await;
        app.login(&world.expert.email).await;
        let created = post_form(
            &app,
            &format!("/labs/{}/threads", world.lab),
            &[("title", "Casi da portare"), ("message", "Ogni rete porti un caso.")],
        )
        .await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let mine = app.db.notifications(&world.participant.id, PageRequest::new(None, None)).await.unwrap();
        assert_eq!(mine.total, 1);
        assert_eq!(mine.items[0].kind, NotificationKind::ExchangeThread);
        assert_eq!(mine.items[0].subject, "Casi da portare");
        for user in [&world.bystander, &world.outsider, &world.expert] {
            assert_eq!(app.db.notifications_unread(&user.id).await.unwrap(), 0, "{} hears nothing", user.email);
        }
        app.run_jobs().await;
        let mails = app.mails();
        assert!(mails.iter().any(|m| m.contains(&world.participant.email) && m.contains("Casi da portare")), "{mails:#?}");
        assert!(!mails.iter().any(|m| m.contains(&world.bystander.email)));

        // A reply mentioning the coordination notifies it; the participant opens the link.
        app.logout_locally();
        app.login(&world.participant.email).await;
        let thread = created.location().trim_start_matches("/threads/").to_owned();
        let body = format!("Porto il caso di Adda, @{}", world.coordinator.email);
        let replied = post_form(&app, &format!("/threads/{thread}/replies"), &[("message", &body)]).await;
        assert_eq!(replied.status, StatusCode::SEE_OTHER, "{}", replied.body);
        let theirs = app.db.notifications(&world.coordinator.id, PageRequest::new(None, None)).await.unwrap();
        assert_eq!(theirs.items[0].kind, NotificationKind::ExchangeMention);
        let open = app.post(&format!("/notifications/{}/open", mine.items[0].id), &[]).await;
        assert_eq!(open.status, StatusCode::SEE_OTHER);
        let page = app.get(open.location().split('#').next().unwrap()).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Ogni rete porti un caso."));
    }

    async fn a_threads_messages_are_paged(app: TestApp) {
        let world = world(&app).await;
        let thread_id = lab_thread(&app, &world, &world.expert, "Lunga discussione").await;
        let space = app.db.exchange_space(&ExchangeScope::Lab(world.lab.clone())).await.unwrap().unwrap();
        let thread = app.db.exchange_thread(&thread_id, &world.expert.id).await.unwrap().unwrap();
        for n in 1..=60 {
            let reply = ReplyInput { body: format!("Risposta numero {n}."), quote: None };
            app.db.exchange_reply(&Actor::cli(), &space, &thread, &world.participant.id, &reply, None).await.unwrap();
        }
        let first = app.db.exchange_messages(&thread_id, PageRequest::new(Some(1), Some(50))).await.unwrap();
        assert_eq!((first.total, first.items.len()), (61, 50));
        assert!(first.items[0].opening, "the opening message first");
        let second = app.db.exchange_messages(&thread_id, PageRequest::new(Some(2), Some(50))).await.unwrap();
        assert_eq!(second.items.len(), 11);
        assert!(first.items.iter().all(|m| second.items.iter().all(|s| s.id != m.id)), "no message on both pages");
        let last = second.items.last().unwrap().id.clone();
        assert_eq!(app.db.exchange_message_page(&thread_id, &last, 50).await.unwrap(), Some(2));
        assert_eq!(app.db.exchange_message_page(&thread_id, &first.items[0].id, 50).await.unwrap(), Some(1));

        app.login(&world.participant.email).await;
        let page_one = app.get(&format!("/threads/{thread_id}")).await;
        assert!(page_one.body.contains("Pagina 1 di 2") || page_one.body.contains("1 di 2"), "{}", page_one.body);
        assert!(page_one.body.contains(&format!("/threads/{thread_id}?page=2")), "a link to the next page");
        assert!(!page_one.body.contains(&format!("id=\"m-{last}\"")));
        let by_link = app.get(&format!("/threads/{thread_id}?message={last}")).await;
        assert!(by_link.body.contains(&format!("id=\"m-{last}\"")), "a message's link opens the page that holds it");

        let token = app.token_for(&world.participant).await;
        let api = app.api_get(&format!("/api/v1/threads/{thread_id}?page=7&per_page=10"), Some(&token)).await;
        assert_eq!(api.status, StatusCode::OK, "{}", api.body);
        let json = api.json();
        assert_eq!(json["total_messages"], 61);
        assert_eq!(json["messages"].as_array().unwrap().len(), 1);
        assert_eq!(json["messages"][0]["id"], last.as_str());

        // Network threads page the same way.
        let adda = app.db.lab(&world.lab).await.unwrap().unwrap().participants[0].network_id.clone();
        let network_space = app.db.exchange_space(&ExchangeScope::Network(adda)).await.unwrap().unwrap();
        let input = ThreadInput { title: "Rete".into(), body: "Apertura".into() };
        let network_thread =
            app.db.exchange_create_thread(&Actor::cli(), &network_space, &world.participant.id, &input, None).await.unwrap();
        let paged = app.api_get(&format!("/api/v1/threads/{network_thread}?per_page=1"), Some(&token)).await.json();
        assert_eq!((paged["space_kind"].as_str(), paged["total_messages"].as_i64()), (Some("network"), Some(1)));
    }

    async fn a_lab_owner_must_exist(app: TestApp) {
        let world = world(&app).await;
        let bad_document = sqlx::query(
            "INSERT INTO documents (id, lab_id, title, current_revision_id, revisions, created_at, updated_at)
             VALUES ('d-1', 'no-such-lab', 'T', '', 1, '', '')",
        )
        .execute(app.db.pool())
        .await;
        assert!(bad_document.is_err(), "an unknown lab is refused");
        let both = sqlx::query(
            "INSERT INTO exchange_threads (id, network_id, lab_id, programme_id, title, author_user_id, created_at, last_message_at)
             SELECT 't-1', lp.network_id, lp.lab_id, l.programme_id, 'T', lp.user_id, '', ''
             FROM lab_participants lp JOIN labs l ON l.id = lp.lab_id",
        )
        .execute(app.db.pool())
        .await;
        assert!(both.is_err(), "never two owners");
        let unknown = sqlx::query(
            "INSERT INTO exchange_threads (id, lab_id, programme_id, title, author_user_id, created_at, last_message_at)
             VALUES ('t-2', 'no-such-lab', $1, 'T', $2, '', '')",
        )
        .bind(&app.programme_id)
        .bind(&world.expert.id)
        .execute(app.db.pool())
        .await;
        assert!(unknown.is_err(), "an unknown lab is refused");
        lab_thread(&app, &world, &world.expert, "Tiene il laboratorio").await;
        let gone = sqlx::query("DELETE FROM labs WHERE id = $1").bind(&world.lab).execute(app.db.pool()).await;
        assert!(gone.is_err(), "a lab that owns threads stays");
    }
}
