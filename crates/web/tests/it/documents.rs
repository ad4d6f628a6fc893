//! Shared documents on both engines (decision 0034): revisions, the diff between any two, comments
//! anchored to a revision, restore, the stale save refused (409 and the merge view, nothing
//! saved), bad input, isolation route by route, statement bounds and an XSS corpus through
//! title, body and comment on every rendered page.

use crate::app_tests;
use crate::harness::TestApp;
use crate::practices::assert_safe;
use axum::http::{Method, StatusCode};
use reti_domain::Role;
use reti_domain::documents::{DocumentInput, DocumentScope};
use reti_store::Actor;
use reti_store::documents::Document;
use reti_store::registry::networks::Network;
use reti_store::users::User;
use serde_json::json;

async fn document(app: &TestApp, network: &Network, author: &User, body: &str) -> Document {
    let input = DocumentInput { title: "Piano di lavoro".into(), body: body.into(), summary: String::new() };
    app.db
        .document_create(&Actor::cli(), &DocumentScope::Network(network.id.clone()), &author.id, &input)
        .await
        .unwrap()
}

/// The newest revision id of a document, as the database has it.
async fn current(app: &TestApp, id: &str) -> String {
    app.db.document(id).await.unwrap().unwrap().current_revision_id
}

async fn revisions(app: &TestApp, id: &str) -> i64 {
    app.db.document(id).await.unwrap().unwrap().revisions
}

const BASE: &str = "uno\ndue\ntre\nquattro\ncinque\nsei\nsette\n";

app_tests! {
    async fn saves_make_revisions_with_history_diff_comments_and_restore(app: TestApp) {
        let rete = app.network("Rete Adda").create().await;
        let giulia = app.user().on_network(&rete.id, Role::NetworkMember).create().await;
        app.login(&giulia.email).await;
        let created = app
            .post(&format!("/networks/{}/documents", rete.id), &[("title", "Piano"), ("body", "uno\r\ndue tre quattro\r\n"), ("summary", "")])
            .await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let id = created.location().trim_start_matches("/documents/").to_owned();
        let first = current(&app, &id).await;
        let saved = app
            .post(&format!("/documents/{id}"), &[("title", "Piano"), ("body", "uno\ndue cinque quattro\n"), ("summary", "Seconda"), ("base_revision", &first)])
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let second = current(&app, &id).await;
        assert_eq!(revisions(&app, &id).await, 2);

        let list = app.get(&format!("/networks/{}/documents", rete.id)).await;
        assert!(list.body.contains("Piano") && list.body.contains("Persona di Prova"), "{}", list.body);
        let history = app.get(&format!("/documents/{id}/history")).await;
        assert_eq!(history.status, StatusCode::OK);
        assert!(history.body.contains("Seconda"), "{}", history.body);

        let diff = app.get(&format!("/documents/{id}/diff?from={first}&to={second}")).await;
        assert_eq!(diff.status, StatusCode::OK, "{}", diff.body);
        assert!(diff.body.contains("<del>") && diff.body.contains("<ins>"), "{}", diff.body);
        assert!(diff.body.contains("Tolta") && diff.body.contains("Aggiunta"), "text labels, not colour only");
        assert!(diff.body.contains("parole aggiunte"), "changed words are labelled for screen readers");
        let back = app.get(&format!("/documents/{id}/diff?from={second}&to={first}")).await;
        assert_eq!(back.status, StatusCode::OK, "any two revisions, either way");

        let commented = app
            .post(&format!("/documents/{id}/comments"), &[("revision_id", &first), ("quote", "uno"), ("body", "Da rivedere")])
            .await;
        assert_eq!(commented.status, StatusCode::SEE_OTHER, "{}", commented.body);
        let old = app.get(&format!("/documents/{id}/revisions/{first}")).await;
        assert!(old.body.contains("Da rivedere") && old.body.contains("<blockquote"), "{}", old.body);

        let restored = app
            .post(&format!("/documents/{id}/restore"), &[("revision_id", &first), ("base_revision", &second)])
            .await;
        assert_eq!(restored.status, StatusCode::SEE_OTHER, "{}", restored.body);
        let third = app.db.document_revision(&id, &current(&app, &id).await).await.unwrap().unwrap();
        assert_eq!((third.number, third.body.as_str(), third.restored_from), (3, "uno\ndue tre quattro\n", Some(1)));
        let audit: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'document' AND action = 'restore'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        assert_eq!(audit, 1, "the restore is audited");
    }

    async fn a_stale_save_is_refused_with_the_merge_view_and_nothing_saved(app: TestApp) {
        let rete = app.network("Rete Adda").create().await;
        let giulia = app.user().on_network(&rete.id, Role::NetworkMember).create().await;
        let ahmed = app.user().on_network(&rete.id, Role::NetworkMember).create().await;
        let doc = document(&app, &rete, &giulia, BASE).await;
        let base = doc.current_revision_id.clone();
        // Giulia saves first, changing the top.
        let theirs = BASE.replace("uno", "UNO di Giulia");
        let input = DocumentInput { title: "Piano di lavoro".into(), body: theirs.clone(), summary: String::new() };
        app.db.document_save(&Actor::cli(), &doc, &base, &giulia.id, &input).await.unwrap();

        // Ahmed, still on the first revision, changes the bottom.
        app.login(&ahmed.email).await;
        let yours = BASE.replace("sette", "SETTE di Ahmed");
        let refused = app
            .post(&format!("/documents/{}", doc.id), &[("title", "Piano di lavoro"), ("body", &yours), ("summary", ""), ("base_revision", &base)])
            .await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
        assert_eq!(revisions(&app, &doc.id).await, 2, "nothing saved");
        assert!(refused.body.contains("UNO di Giulia"), "their version is shown");
        assert!(refused.body.contains("SETTE di Ahmed"), "your version is kept");
        assert!(refused.body.contains("non sono state salvate"), "{}", refused.body);
        let newest = current(&app, &doc.id).await;
        assert!(refused.body.contains(&format!("name=\"base_revision\" value=\"{newest}\"")), "the form is based on the newest");
        assert!(refused.body.contains("Salva il testo unito"), "the changes do not touch: a merge is offered");

        // Saving the merge against the new base works.
        let merged = BASE.replace("uno", "UNO di Giulia").replace("sette", "SETTE di Ahmed");
        let saved = app
            .post(&format!("/documents/{}", doc.id), &[("title", "Piano di lavoro"), ("body", &merged), ("summary", "Unione"), ("base_revision", &newest)])
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        assert_eq!(revisions(&app, &doc.id).await, 3);

        // The API: 409 with both versions and the merge.
        let token = app.token_for(&ahmed).await;
        let body = json!({"title": "Piano di lavoro", "body": BASE.replace("tre", "TRE"), "base_revision": base});
        let conflict = app.api_send(Method::PUT, &format!("/api/v1/documents/{}", doc.id), Some(&token), body).await;
        assert_eq!(conflict.status, StatusCode::CONFLICT, "{}", conflict.body);
        let json = conflict.json();
        assert_eq!(json["error"]["code"], "stale_revision");
        assert_eq!(json["current"]["number"], 3);
        assert_eq!(json["current"]["body"], merged.as_str());
        assert!(json["yours"]["body"].as_str().unwrap().contains("TRE"));
        assert!(json["merged"].as_str().unwrap().contains("TRE") && json["merged"].as_str().unwrap().contains("SETTE di Ahmed"));
        assert!(!json["diff"].as_array().unwrap().is_empty());
        assert_eq!(revisions(&app, &doc.id).await, 3, "nothing saved");
        let newest = current(&app, &doc.id).await;
        let ok = app
            .api_send(Method::PUT, &format!("/api/v1/documents/{}", doc.id), Some(&token), json!({"title": "Piano", "body": "x", "base_revision": newest}))
            .await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        assert_eq!(ok.json()["current"]["number"], 4);
    }

    async fn bad_input_is_named_and_nothing_is_half_saved(app: TestApp) {
        let rete = app.network("Rete Adda").create().await;
        let altra = app.network("Rete Brembo").create().await;
        let giulia = app.user().on_network(&rete.id, Role::NetworkMember).create().await;
        let doc = document(&app, &rete, &giulia, "uno\n").await;
        let foreign = document(&app, &rete, &giulia, "altro\n").await;
        let far_author = app.user().on_network(&altra.id, Role::NetworkMember).create().await;
        let far = document(&app, &altra, &far_author, "lontano\n").await;
        app.login(&giulia.email).await;
        let base = doc.current_revision_id.clone();

        let empty = app.post(&format!("/documents/{}", doc.id), &[("title", " "), ("body", "x"), ("base_revision", &base)]).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(empty.body.contains("«Titolo» è obbligatorio"), "{}", empty.body);
        let long = "a".repeat(200_001);
        let too_long = app.post(&format!("/documents/{}", doc.id), &[("title", "T"), ("body", &long), ("base_revision", &base)]).await;
        assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(too_long.body.contains("«Testo» è troppo lungo"), "{}", &too_long.body[..2000.min(too_long.body.len())]);
        assert!(too_long.body.contains("200000") || too_long.body.contains("200.000"));
        let new_empty = app.post(&format!("/networks/{}/documents", rete.id), &[("title", ""), ("body", "")]).await;
        assert_eq!(new_empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(revisions(&app, &doc.id).await, 1);

        let other = foreign.current_revision_id.clone();
        let diff = app.get(&format!("/documents/{}/diff?from={base}&to={other}", doc.id)).await;
        assert_eq!(diff.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(diff.body.contains("Revisione di arrivo del confronto"), "{}", diff.body);
        let restore = app.post(&format!("/documents/{}/restore", doc.id), &[("revision_id", &other), ("base_revision", &base)]).await;
        assert_eq!(restore.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", restore.body);
        assert!(restore.body.contains("non indica una revisione di questo documento"));
        let far_revision = far.current_revision_id.clone();
        let comment = app.post(&format!("/documents/{}/comments", doc.id), &[("revision_id", &far_revision), ("body", "x")]).await;
        assert_eq!(comment.status, StatusCode::UNPROCESSABLE_ENTITY);
        let blank = app.post(&format!("/documents/{}/comments", doc.id), &[("revision_id", &base), ("body", " ")]).await;
        assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(blank.body.contains("«Commento» è obbligatorio"), "{}", blank.body);
        assert_eq!(revisions(&app, &doc.id).await, 1);
        assert!(app.db.document_comments(&doc.id).await.unwrap().is_empty());

        // A stale restore: nothing restored, 409 with the reason.
        let input = DocumentInput { title: "T".into(), body: "due\n".into(), summary: String::new() };
        app.db.document_save(&Actor::cli(), &doc, &base, &giulia.id, &input).await.unwrap();
        let stale = app.post(&format!("/documents/{}/restore", doc.id), &[("revision_id", &base), ("base_revision", &base)]).await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
        assert_eq!(revisions(&app, &doc.id).await, 2);

        let token = app.token_for(&giulia).await;
        let api = app.api_send(Method::POST, &format!("/api/v1/networks/{}/documents", rete.id), Some(&token), json!({"title": "", "body": long})).await;
        assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<String> = api.json()["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap().to_owned()).collect();
        assert_eq!(fields, ["title", "document_body"]);
        let api_diff = app.api_get(&format!("/api/v1/documents/{}/diff?from={base}&to={other}", doc.id), Some(&token)).await;
        assert_eq!(api_diff.status, StatusCode::UNPROCESSABLE_ENTITY);
        let no_base = app.api_send(Method::PUT, &format!("/api/v1/documents/{}", doc.id), Some(&token), json!({"title": "T", "body": "x"})).await;
        assert_eq!(no_base.status, StatusCode::UNPROCESSABLE_ENTITY);
    }

    async fn outsiders_get_404_on_every_route(app: TestApp) {
        let rete = app.network("Rete Adda").create().await;
        let altra = app.network("Rete Brembo").create().await;
        let giulia = app.user().on_network(&rete.id, Role::NetworkMember).create().await;
        let outsider = app.user().on_network(&altra.id, Role::NetworkMember).create().await;
        let doc = document(&app, &rete, &giulia, "uno\n").await;
        let r = doc.current_revision_id.clone();
        let id = doc.id.clone();
        app.login(&outsider.email).await;
        for path in [
            format!("/networks/{}/documents", rete.id),
            format!("/networks/{}/documents/new", rete.id),
            format!("/documents/{id}"),
            format!("/documents/{id}/edit"),
            format!("/documents/{id}/history"),
            format!("/documents/{id}/diff?from={r}&to={r}"),
            format!("/documents/{id}/revisions/{r}"),
        ] {
            assert_eq!(app.get(&path).await.status, StatusCode::NOT_FOUND, "{path}");
        }
        for path in [format!("/networks/{}/documents", rete.id), format!("/documents/{id}"), format!("/documents/{id}/comments"), format!("/documents/{id}/restore")] {
            let response = app.post(&path, &[("title", "x"), ("body", "x"), ("base_revision", &r), ("revision_id", &r)]).await;
            assert_eq!(response.status, StatusCode::NOT_FOUND, "{path}");
        }
        let token = app.token_for(&outsider).await;
        for path in [
            format!("/api/v1/networks/{}/documents", rete.id),
            format!("/api/v1/documents/{id}"),
            format!("/api/v1/documents/{id}/revisions"),
            format!("/api/v1/documents/{id}/diff?from={r}&to={r}"),
        ] {
            assert_eq!(app.api_get(&path, Some(&token)).await.status, StatusCode::NOT_FOUND, "{path}");
        }
        let body = json!({"title": "x", "body": "x", "base_revision": r, "revision_id": r});
        for (method, path) in [
            (Method::POST, format!("/api/v1/networks/{}/documents", rete.id)),
            (Method::PUT, format!("/api/v1/documents/{id}")),
            (Method::POST, format!("/api/v1/documents/{id}/comments")),
            (Method::POST, format!("/api/v1/documents/{id}/restore")),
        ] {
            assert_eq!(app.api_send(method, &path, Some(&token), body.clone()).await.status, StatusCode::NOT_FOUND, "{path}");
        }
        assert_eq!(revisions(&app, &id).await, 1);

        // The coordination reads and writes every network's documents of its programme.
        let coordinator = app.user().role(Role::Coordinator).create().await;
        app.login(&coordinator.email).await;
        assert_eq!(app.get(&format!("/documents/{id}")).await.status, StatusCode::OK);
        let token = app.token_for(&coordinator).await;
        let listed = app.api_get(&format!("/api/v1/networks/{}/documents", rete.id), Some(&token)).await;
        assert_eq!(listed.json()["total"], 1);
        let revisions_page = app.api_get(&format!("/api/v1/documents/{id}/revisions"), Some(&token)).await;
        assert_eq!(revisions_page.status, StatusCode::OK);
        assert!(revisions_page.json()["items"][0].get("body").is_none(), "lists leave bodies out");
        let commented = app
            .api_send(Method::POST, &format!("/api/v1/documents/{id}/comments"), Some(&token), json!({"revision_id": r, "body": "Bene"}))
            .await;
        assert_eq!(commented.status, StatusCode::CREATED, "{}", commented.body);
        let restored = app
            .api_send(Method::POST, &format!("/api/v1/documents/{id}/restore"), Some(&token), json!({"revision_id": r, "base_revision": r}))
            .await;
        assert_eq!(restored.status, StatusCode::OK, "{}", restored.body);
        assert_eq!(restored.json()["current"]["restored_from"], 1);
    }

    async fn pages_cost_the_same_statements_with_more_revisions_and_comments(app: TestApp) {
        let rete = app.network("Rete Adda").create().await;
        let giulia = app.user().on_network(&rete.id, Role::NetworkMember).create().await;
        let doc = document(&app, &rete, &giulia, "uno\n").await;
        app.login(&giulia.email).await;
        async fn grow(app: &TestApp, doc: &Document, author: &User, n: usize) {
            let base = app.db.document(&doc.id).await.unwrap().unwrap().current_revision_id;
            let input = DocumentInput { title: format!("Piano {n}"), body: format!("riga {n}\n"), summary: "s".into() };
            let revision = app.db.document_save(&Actor::cli(), doc, &base, &author.id, &input).await.unwrap();
            let comment = reti_domain::documents::CommentInput { revision_id: revision.id, quote: String::new(), body: "c".into() };
            app.db.document_comment(&Actor::cli(), doc, &author.id, &comment).await.unwrap();
            let reti_domain::documents::DocumentScope::Network(network_id) = &doc.scope else { panic!("a network's document") };
            document(app, &app.db.network(network_id).await.unwrap().unwrap(), author, "x\n").await;
        }
        grow(&app, &doc, &giulia, 1).await;
        let pages = |first: &str, last: &str| {
            vec![
                format!("/networks/{}/documents", rete.id),
                format!("/documents/{}", doc.id),
                format!("/documents/{}/history", doc.id),
                format!("/documents/{}/diff?from={first}&to={last}", doc.id),
                format!("/documents/{}/revisions/{first}", doc.id),
            ]
        };
        let first = doc.current_revision_id.clone();
        let mut before = Vec::new();
        for path in pages(&first, &current(&app, &doc.id).await) {
            before.push(statements(&app, &path).await);
        }
        for n in 2..6 {
            grow(&app, &doc, &giulia, n).await;
        }
        for (path, count) in pages(&first, &current(&app, &doc.id).await).iter().zip(before) {
            let after = statements(&app, path).await;
            assert_eq!(after, count, "{path}: a query per row");
            assert!(after <= 12, "{path}: {after} statements");
        }
    }

    async fn no_title_body_or_comment_can_run_script_on_any_page(app: TestApp) {
        let rete = app.network("Rete Adda").create().await;
        let giulia = app.user().on_network(&rete.id, Role::NetworkMember).create().await;
        let corpus = [
            "<script>alert('x1')</script>",
            "<img src=x onerror=alert('x2')>",
            "[clic](javascript:alert('x3'))",
            "<a href=\"javascript:alert('x5')\">x</a>",
            "[dati](data:text/html;base64,PHNjcmlwdD5hbGVydCgneDYnKTwvc2NyaXB0Pg==)",
            "<svg onload=alert('x7')><circle/></svg>",
            "<scr<script>ipt>alert('x8')</script>",
            "\"><script>alert('x9')</script>",
            "'\" onmouseover=alert('x10') x='",
            "![img](x\" onerror=\"alert('x11'))",
            "<iframe src=\"javascript:alert('x13')\"></iframe>",
            "<math><mi xlink:href=\"javascript:alert('x14')\">x</mi></math>",
            "[x]: javascript:alert('x16')\n\n[link][x]",
        ];
        let payload = corpus.join("\n\n");
        let title = format!("{} {}", corpus[7], corpus[8]);
        app.login(&giulia.email).await;
        let created = app.post(&format!("/networks/{}/documents", rete.id), &[("title", &title), ("body", "innocuo\n")]).await;
        let id = created.location().trim_start_matches("/documents/").to_owned();
        let first = current(&app, &id).await;
        let saved = app
            .post(&format!("/documents/{id}"), &[("title", &title), ("body", &payload), ("summary", corpus[1]), ("base_revision", &first)])
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let second = current(&app, &id).await;
        app.post(&format!("/documents/{id}/comments"), &[("revision_id", &second), ("quote", corpus[0]), ("body", &payload)]).await;
        // A stale save of the corpus: the merge view shows it on both sides.
        let merge = app
            .post(&format!("/documents/{id}"), &[("title", &title), ("body", &format!("{payload}\n{}", corpus[2])), ("base_revision", &first)])
            .await;
        assert_eq!(merge.status, StatusCode::CONFLICT);
        assert_safe("merge view", &merge.body);
        for path in [
            format!("/networks/{}/documents", rete.id),
            format!("/documents/{id}"),
            format!("/documents/{id}/edit"),
            format!("/documents/{id}/history"),
            format!("/documents/{id}/diff?from={first}&to={second}"),
            format!("/documents/{id}/revisions/{second}"),
        ] {
            let page = app.get(&path).await;
            assert_eq!(page.status, StatusCode::OK, "{path}");
            assert_safe(&path, &page.body);
        }
    }
}

/// The statements a page costs once its session is warm.
async fn statements(app: &TestApp, path: &str) -> u64 {
    let warm = app.get(path).await;
    assert_eq!(warm.status, StatusCode::OK, "{path}: {}", warm.body);
    let before = app.db.statements();
    let response = app.get(path).await;
    assert_eq!(response.status, StatusCode::OK, "{path}");
    app.db.statements() - before
}
