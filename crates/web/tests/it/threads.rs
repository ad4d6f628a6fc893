//! Remote exchanges of a network, by page and by API, on both engines: threads, replies, quotes,
//! mentions and their notifications (in-app, immediate mail, daily digest once), unread markers,
//! attachments, moderation; outsiders get 404; bad input refused whole; the XSS corpus through
//! every field.

use crate::app_tests;
use crate::harness::TestApp;
use crate::practices::{XSS_CORPUS, assert_safe};
use axum::http::{Method, StatusCode};
use chrono::TimeZone;
use reti_domain::exchanges::MailMode;
use reti_domain::{NetworkStatus, Role};
use reti_store::registry::networks::{Network, NetworkInput};
use reti_store::users::User;
use reti_store::{Actor, PageRequest};
use serde_json::json;

async fn network(app: &TestApp, name: &str) -> Network {
    let input = NetworkInput {
        programme_id: app.programme_id.clone(),
        name: name.into(),
        description: String::new(),
        maturity: None,
        status: NetworkStatus::Active,
        municipality_codes: vec!["015146".into()],
        action_line_ids: Vec::new(),
    };
    app.db.create_network(&Actor::cli(), &input).await.unwrap()
}

async fn on_network(app: &TestApp, network: &Network, role: Role) -> User {
    let user = app.user().role(role).create().await;
    app.db.assign_to_network(&Actor::cli(), &user.id, &network.id, role).await.unwrap();
    user
}

/// Posts a multipart form as the pages do: the CSRF token first, then the fields, then the file.
async fn post_form(
    app: &TestApp,
    path: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> crate::harness::TestResponse {
    let token = app.csrf().await;
    let mut all = vec![("csrf_token", token.as_str())];
    all.extend_from_slice(fields);
    let (name, content) = file.unwrap_or(("", b""));
    app.upload(path, &all, name, content).await
}

/// Opens a thread as the logged-in user; returns its id.
async fn open_thread(app: &TestApp, network: &Network, title: &str, message: &str) -> String {
    let response =
        post_form(app, &format!("/networks/{}/threads", network.id), &[("title", title), ("message", message)], None)
            .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    response.location().trim_start_matches("/threads/").to_owned()
}

async fn threads_count(app: &TestApp) -> i64 {
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM exchange_messages").fetch_one(app.db.pool()).await.unwrap();
    count
}

app_tests! {
    async fn a_thread_a_reply_with_a_mention_and_the_notification(app: TestApp) {
        let a = network(&app, "Rete Adda").await;
        let member = on_network(&app, &a, Role::NetworkMember).await;
        let lead = on_network(&app, &a, Role::NetworkLead).await;
        let facilitator = on_network(&app, &a, Role::Facilitator).await;

        app.login(&member.email).await;
        let network_page = app.get(&format!("/networks/{}", a.id)).await;
        assert!(network_page.body.contains(&format!("/networks/{}/threads", a.id)), "the network links its exchanges");
        let list = app.get(&format!("/networks/{}/threads", a.id)).await;
        assert_eq!(list.status, StatusCode::OK);
        let pdf = b"%PDF-1.4 verbale";
        let created = post_form(
            &app,
            &format!("/networks/{}/threads", a.id),
            &[("title", "Calendario del tavolo"), ("message", "Proposta: **primo martedì** del mese.")],
            Some(("verbale.pdf", pdf)),
        )
        .await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let thread = created.location().trim_start_matches("/threads/").to_owned();
        let page = app.get(&format!("/threads/{thread}")).await;
        assert!(page.body.contains("<strong>primo martedì</strong>"), "{}", page.body);
        assert!(page.body.contains("verbale.pdf"));
        let file = page.body.split("href=\"/threads/").find(|s| s.contains("/attachments/")).unwrap();
        let file = format!("/threads/{}", file.split('"').next().unwrap());
        assert_eq!(app.get(&file).await.bytes, pdf.to_vec());

        // The lead and the facilitator hear of the new thread; the member does not (the author).
        app.login(&lead.email).await;
        let home = app.get("/").await;
        assert!(home.body.contains("href=\"/notifications\""), "the header shows the bell");
        assert!(home.body.contains("1 notifica da leggere"), "{}", home.body);
        let list = app.get(&format!("/networks/{}/threads", a.id)).await;
        assert!(list.body.contains("1 nuovo"), "an unread marker in the list");
        assert!(app.get(&format!("/networks/{}", a.id)).await.body.contains("1 discussioni, 1 da leggere"));

        // The lead quotes the opening message and mentions the member by e-mail.
        let opening = app.db.exchange_messages(&thread, PageRequest::all()).await.unwrap().items.remove(0);
        let quoting = app.get(&format!("/threads/{thread}?quote={}", opening.id)).await;
        let textarea = quoting.body.split("name=\"message\"").nth(1).unwrap().split("</textarea>").next().unwrap();
        assert!(textarea.contains("**Persona di Prova:**") && textarea.contains("Proposta"), "the reply starts from the quote: {textarea}");
        let reply = format!("> **Persona di Prova:**\n> Proposta\n\nVa bene, @{} ci sei?", member.email);
        let sent = post_form(&app, &format!("/threads/{thread}/replies"), &[("quote", &opening.id), ("message", &reply)], None).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let shown = app.get(&format!("/threads/{thread}")).await;
        assert!(shown.body.contains("<blockquote>"), "the quote is a quote block");
        // Read now: no unread marker left for the lead.
        assert!(!app.get(&format!("/networks/{}/threads", a.id)).await.body.contains("nuovo</span>"));

        // The member sees the mention, in the page and by mail.
        app.login(&member.email).await;
        let notifications = app.get("/notifications").await;
        assert!(notifications.body.contains("ti ha menzionato/a nella discussione «Calendario del tavolo»"), "{}", notifications.body);
        let mine = app.db.notifications(&member.id, reti_store::PageRequest::new(None, None)).await.unwrap();
        assert_eq!(mine.total, 1, "one notification: the mention, not also the reply");
        let open = app.post(&format!("/notifications/{}/open", mine.items[0].id), &[]).await;
        assert_eq!(open.status, StatusCode::SEE_OTHER);
        assert!(open.location().starts_with(&format!("/threads/{thread}?message=")));
        assert_eq!(app.db.notifications_unread(&member.id).await.unwrap(), 0);
        app.run_jobs().await;
        let mails = app.mails();
        assert!(
            mails.iter().any(|m| m.contains(&member.email) && m.contains("ti ha menzionato/a")),
            "the mention is mailed at once: {mails:?}"
        );
        let again = app.mails().len();
        app.run_jobs().await;
        assert_eq!(app.mails().len(), again, "nothing mailed twice");

        // The facilitator's API view.
        let token = app.token_for(&facilitator).await;
        let api = app.api_get(&format!("/api/v1/threads/{thread}"), Some(&token)).await;
        assert_eq!(api.status, StatusCode::OK, "{}", api.body);
        let body = api.json();
        assert_eq!(body["messages"].as_array().unwrap().len(), 2);
        assert_eq!(body["moderator"], json!(true));
        assert_eq!(body["messages"][1]["quoted_message_id"], json!(opening.id));
        assert_eq!(body["messages"][0]["attachments"][0]["file_name"], json!("verbale.pdf"));
    }

    async fn outsiders_get_404_and_only_moderators_hide(app: TestApp) {
        let a = network(&app, "Rete Adda").await;
        let b = network(&app, "Rete Brembo").await;
        let member = on_network(&app, &a, Role::NetworkMember).await;
        let lead = on_network(&app, &a, Role::NetworkLead).await;
        let facilitator = on_network(&app, &a, Role::Facilitator).await;
        let outsider = on_network(&app, &b, Role::NetworkLead).await;
        let coordinator = app.user().role(Role::Coordinator).create().await;

        app.login(&member.email).await;
        let thread = open_thread(&app, &a, "Dati", "Chi raccoglie i dati?").await;
        let opening = app.db.exchange_messages(&thread, PageRequest::all()).await.unwrap().items.remove(0);
        let reply = post_form(&app, &format!("/threads/{thread}/replies"), &[("message", "Annuncio personale")], None).await;
        let reply_id = reply.location().split("#m-").nth(1).unwrap().to_owned();

        app.login(&outsider.email).await;
        for path in [format!("/networks/{}/threads", a.id), format!("/threads/{thread}")] {
            assert_eq!(app.get(&path).await.status, StatusCode::NOT_FOUND, "{path}");
        }
        let refused = post_form(&app, &format!("/threads/{thread}/replies"), &[("message", "intruso")], None).await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND);
        let token = app.token_for(&outsider).await;
        assert_eq!(app.api_get(&format!("/api/v1/threads/{thread}"), Some(&token)).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.api_get(&format!("/api/v1/networks/{}/threads", a.id), Some(&token)).await.status, StatusCode::NOT_FOUND);
        let hide = format!("/threads/{thread}/messages/{reply_id}/hide");
        assert_eq!(app.post(&hide, &[("hide_reason", "no")]).await.status, StatusCode::NOT_FOUND);

        // The lead reads and writes but does not moderate.
        app.login(&lead.email).await;
        assert_eq!(app.post(&hide, &[("hide_reason", "no")]).await.status, StatusCode::FORBIDDEN);
        assert!(!app.get(&format!("/threads/{thread}")).await.body.contains("/hide\""));

        // The facilitator hides the reply: a reason is required.
        app.login(&facilitator.email).await;
        let empty = app.post(&hide, &[("hide_reason", "  ")]).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(empty.body.contains("Il campo «Motivo per nascondere il messaggio» è obbligatorio"), "{}", empty.body);
        let hidden = app.post(&hide, &[("hide_reason", "Fuori tema")]).await;
        assert_eq!(hidden.status, StatusCode::SEE_OTHER, "{}", hidden.body);
        let seen = app.get(&format!("/threads/{thread}")).await.body;
        assert!(seen.contains("Nascosto dalla moderazione: Fuori tema") && seen.contains("Annuncio personale"), "moderators read the text");
        assert_eq!(app.post(&hide, &[("hide_reason", "ancora")]).await.status, StatusCode::NOT_FOUND, "hidden once");
        let audit: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'hide' AND entity_id = $1")
            .bind(&reply_id)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        assert_eq!(audit.0, 1, "the hiding is audited");

        // The author is told, and sees the reason without the text.
        app.login(&member.email).await;
        assert!(app.get("/notifications").await.body.contains("ha nascosto un tuo messaggio"));
        let page = app.get(&format!("/threads/{thread}")).await.body;
        assert!(page.contains("Nascosto dalla moderazione: Fuori tema"));
        assert!(!page.contains("Annuncio personale"), "the text is for moderators only");

        // The coordination hides the opening message: the thread takes no more replies.
        app.login(&coordinator.email).await;
        let closed = app
            .post(&format!("/threads/{thread}/messages/{}/hide", opening.id), &[("hide_reason", "Dati personali")])
            .await;
        assert_eq!(closed.status, StatusCode::SEE_OTHER, "{}", closed.body);
        let before = threads_count(&app).await;
        app.login(&lead.email).await;
        let late = post_form(&app, &format!("/threads/{thread}/replies"), &[("message", "ancora io")], None).await;
        assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(late.body.contains("la discussione è stata nascosta"), "{}", late.body);
        assert_eq!(threads_count(&app).await, before, "nothing saved");
        let token = app.token_for(&lead).await;
        let api = app
            .api_send(Method::POST, &format!("/api/v1/threads/{thread}/replies"), Some(&token), json!({"message": "via API"}))
            .await;
        assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(app.get(&format!("/networks/{}/threads", a.id)).await.body.contains("Discussione nascosta dalla moderazione"));
    }

    async fn bad_input_is_refused_whole_with_the_field_named(app: TestApp) {
        let a = network(&app, "Rete Adda").await;
        let member = on_network(&app, &a, Role::NetworkMember).await;
        app.login(&member.email).await;
        let path = format!("/networks/{}/threads", a.id);

        let empty = post_form(&app, &path, &[("title", ""), ("message", " ")], None).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(empty.body.contains("Il campo «Titolo» è obbligatorio"), "{}", empty.body);
        assert!(empty.body.contains("Il campo «Messaggio» è obbligatorio"));

        let long = "a".repeat(20_001);
        let too_long = post_form(&app, &path, &[("title", "Lungo"), ("message", &long)], None).await;
        assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(too_long.body.contains("Il campo «Messaggio» è troppo lungo"), "{}", too_long.body);
        assert!(too_long.body.contains("Lungo"), "the form keeps what was typed");

        let big = vec![b'a'; reti_domain::meetings::MAX_ATTACHMENT_BYTES as usize + 10];
        let oversized = post_form(&app, &path, &[("title", "Allegato"), ("message", "ecco")], Some(("dati.txt", &big))).await;
        assert_eq!(oversized.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", oversized.body);
        assert!(oversized.body.contains("«File»"), "{}", oversized.body);

        let wrong = post_form(&app, &path, &[("title", "Eseguibile"), ("message", "ecco")], Some(("setup.exe", b"MZ..."))).await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(threads_count(&app).await, 0, "nothing half-saved");
        let files: Vec<_> = std::fs::read_dir(app.data_dir().join("attachments").join(&a.id))
            .map(|d| d.flatten().collect())
            .unwrap_or_default();
        assert!(files.is_empty(), "no file left behind: {files:?}");

        // A reply quoting a message of another thread, and the API's own checks.
        let first = open_thread(&app, &a, "Uno", "primo").await;
        let second = open_thread(&app, &a, "Due", "secondo").await;
        let foreign = app.db.exchange_messages(&first, PageRequest::all()).await.unwrap().items.remove(0);
        let quoted = post_form(&app, &format!("/threads/{second}/replies"), &[("quote", &foreign.id), ("message", "cito")], None).await;
        assert_eq!(quoted.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(quoted.body.contains("Il campo «Citazione» non è valido"), "{}", quoted.body);
        let token = app.token_for(&member).await;
        let api = app
            .api_send(Method::POST, &format!("/api/v1/networks/{}/threads", a.id), Some(&token), json!({"title": "x", "message": ""}))
            .await;
        assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(api.body.contains("message"), "{}", api.body);
        assert_eq!(app.api_get("/api/v1/threads/nessuno", Some(&token)).await.status, StatusCode::NOT_FOUND);
    }

    async fn no_field_of_an_exchange_can_run_script(app: TestApp) {
        let a = network(&app, "Rete Adda").await;
        let member = on_network(&app, &a, Role::NetworkMember).await;
        let facilitator = on_network(&app, &a, Role::Facilitator).await;
        app.login(&member.email).await;
        let payload = XSS_CORPUS.join("\n\n");
        let mut threads = Vec::new();
        for (index, title) in XSS_CORPUS.iter().enumerate().take(4) {
            let thread = open_thread(&app, &a, title, &payload).await;
            let reply = post_form(&app, &format!("/threads/{thread}/replies"), &[("message", XSS_CORPUS[15 - index])], None).await;
            assert_eq!(reply.status, StatusCode::SEE_OTHER);
            threads.push(thread);
        }
        app.login(&facilitator.email).await;
        for (index, thread) in threads.iter().enumerate() {
            let message = app.db.exchange_messages(thread, PageRequest::all()).await.unwrap().items.pop().unwrap();
            let hide = app
                .post(&format!("/threads/{thread}/messages/{}/hide", message.id), &[("hide_reason", XSS_CORPUS[index + 4])])
                .await;
            assert_eq!(hide.status, StatusCode::SEE_OTHER);
        }
        for user in [&facilitator, &member] {
            app.login(&user.email).await;
            let mut pages = vec![format!("/networks/{}/threads", a.id), "/notifications".to_owned(), "/".to_owned()];
            pages.extend(threads.iter().map(|t| format!("/threads/{t}")));
            for path in &pages {
                let page = app.get(path).await;
                assert_eq!(page.status, StatusCode::OK, "{path}");
                assert_safe(path, &page.body);
            }
        }
        let token = app.token_for(&member).await;
        let api = app.api_get(&format!("/api/v1/threads/{}", threads[0]), Some(&token)).await.json();
        assert_safe("api body_html", api["messages"][0]["body_html"].as_str().unwrap());
    }

    async fn the_daily_digest_goes_once_with_everything_since_the_last(app: TestApp) {
        let a = network(&app, "Rete Adda").await;
        let member = on_network(&app, &a, Role::NetworkMember).await;
        let lead = on_network(&app, &a, Role::NetworkLead).await;
        let quiet = on_network(&app, &a, Role::NetworkMember).await;
        app.login(&member.email).await;
        assert_eq!(app.post("/account/exchanges", &[("exchange_mail", "digest")]).await.status, StatusCode::SEE_OTHER);
        assert!(app.get("/account").await.body.contains("id=\"exchange-mail-digest\" value=\"digest\" checked"));
        assert_eq!(app.post("/account/exchanges", &[("exchange_mail", "weekly")]).await.status, StatusCode::UNPROCESSABLE_ENTITY);
        app.db.set_exchange_mail_mode(&Actor::cli(), &quiet.id, MailMode::None).await.unwrap();

        app.login(&lead.email).await;
        let first = open_thread(&app, &a, "Primo tema", "Apro io").await;
        open_thread(&app, &a, "Secondo tema", &format!("Ciao @{}", member.email)).await;
        app.run_jobs().await;
        assert!(!app.mails().iter().any(|m| m.contains(&member.email) || m.contains(&quiet.email)), "no immediate mail");

        let rome = reti_domain::meetings::ZONE;
        let early = rome.with_ymd_and_hms(2026, 3, 10, 6, 0, 0).unwrap().with_timezone(&chrono::Utc);
        assert!(!app.db.exchange_sweep_digest(early).await.unwrap(), "not before seven");
        let morning = rome.with_ymd_and_hms(2026, 3, 10, 8, 0, 0).unwrap().with_timezone(&chrono::Utc);
        assert!(app.db.exchange_sweep_digest(morning).await.unwrap());
        assert!(!app.db.exchange_sweep_digest(morning).await.unwrap(), "one run a day");
        app.run_jobs().await;
        let digests: Vec<String> = app.mails().into_iter().filter(|m| m.contains(&member.email)).collect();
        assert_eq!(digests.len(), 1, "{digests:?}");
        assert!(digests[0].contains("10/03/2026") && digests[0].contains("Primo tema") && digests[0].contains("ti ha menzionato/a"), "{}", digests[0]);
        assert!(!app.mails().iter().any(|m| m.contains(&quiet.email)), "none means none");

        // The same day again: nothing twice, even with new notifications (they wait for tomorrow).
        post_form(&app, &format!("/threads/{first}/replies"), &[("message", &format!("@{} e domani?", member.email))], None).await;
        app.db.enqueue(&reti_store::jobs::NewJob::new(reti_store::exchanges::EXCHANGE_DIGEST_KIND, json!({"day": "2026-03-10"}))).await.unwrap();
        app.run_jobs().await;
        assert_eq!(app.mails().iter().filter(|m| m.contains(&member.email)).count(), 1);
        let tomorrow = rome.with_ymd_and_hms(2026, 3, 11, 9, 0, 0).unwrap().with_timezone(&chrono::Utc);
        assert!(app.db.exchange_sweep_digest(tomorrow).await.unwrap());
        app.run_jobs().await;
        let digests: Vec<String> = app.mails().into_iter().filter(|m| m.contains(&member.email)).collect();
        assert_eq!(digests.len(), 2);
        assert!(digests[1].contains("e domani") || digests[1].contains("Primo tema"), "{}", digests[1]);
        assert!(!digests[1].contains("Secondo tema"), "only what came since the last digest");

        let token = app.token_for(&member).await;
        let api = app.api_get("/api/v1/notifications", Some(&token)).await;
        assert_eq!(api.status, StatusCode::OK);
        assert_eq!(api.json()["total"], json!(3));
    }
}
