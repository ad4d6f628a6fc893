//! Editions of the e-book (issue 11, decision 0041), on both engines: the coordination composes an
//! edition (chapters, ordered practices, cover), builds versions on the job queue, and every built
//! version stays downloadable from the public `/bacheca/ebook`; bad input is refused by name, a
//! failed build says why, and nobody else composes or builds.

use crate::app_tests;
use crate::harness::TestApp;
use axum::http::{Method, StatusCode, header};
use reti_domain::Role;
use reti_domain::practices::{PracticeInput, PracticeTexts};
use reti_store::Actor;
use reti_store::editions::VersionStatus;
use reti_store::practices::PracticeImport;
use sha2::{Digest, Sha256};
use std::io::Read;

fn practice(title: &str, action_line: i64) -> PracticeImport {
    let text = |s: &str| format!("{s} di «{title}».");
    PracticeImport {
        programme_id: String::new(),
        input: PracticeInput {
            title: title.into(),
            network_id: None,
            municipalities: vec!["Milano".into()],
            action_line: Some(action_line),
            theme: "Inclusione".into(),
            year: Some(2025),
            texts: PracticeTexts {
                context: text("Il contesto"),
                problem: text("Il problema"),
                objectives: text("Gli obiettivi"),
                target_group: text("I destinatari"),
                activities: text("Le attività"),
                results: text("I risultati"),
                contacts: text("I contatti"),
                ..PracticeTexts::default()
            },
        },
        codes: vec!["015146".into()],
    }
}

/// Published practices with these titles; their ids in the same order.
async fn published(app: &TestApp, titles: &[(&str, i64)]) -> Vec<String> {
    let entries: Vec<PracticeImport> = titles
        .iter()
        .map(|(title, line)| PracticeImport { programme_id: app.programme_id.clone(), ..practice(title, *line) })
        .collect();
    app.db.import_practices(&Actor::cli(), &entries, true).await.unwrap()
}

async fn coordinator(app: &TestApp) -> reti_store::users::User {
    let user = app.user().role(Role::Coordinator).create().await;
    app.login(&user.email).await;
    user
}

/// A new edition through the form; its id.
async fn create_edition(app: &TestApp, title: &str) -> String {
    let fields = [
        ("title", title),
        ("editions_subtitle", "Esperienze per linea d'azione"),
        ("year", "2026"),
        ("editions_editors", "Anna Rossi\r\nLuca Bianchi"),
        ("editions_licence", ""),
        ("editions_introduction", "Perché *queste* pratiche."),
        ("editions_english_summary", "Why *these* practices."),
    ];
    let created = app.post("/ebook/editions", &fields).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    created.location().trim_start_matches("/ebook/editions/").to_owned()
}

/// A new chapter of `edition`; its id.
async fn add_chapter(app: &TestApp, edition: &str, title: &str) -> String {
    let fields = [("editions_chapter_title", title), ("editions_chapter_introduction", "Le scuole aperte.")];
    let added = app.post(&format!("/ebook/editions/{edition}/chapters"), &fields).await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    added.location().rsplit('/').next().unwrap().to_owned()
}

async fn add_practice(app: &TestApp, edition: &str, chapter: &str, practice: &str) -> crate::harness::TestResponse {
    app.post(&format!("/ebook/editions/{edition}/chapters/{chapter}/practices"), &[("editions_practice", practice)])
        .await
}

async fn order(app: &TestApp, edition: &str) -> Vec<Vec<String>> {
    app.db
        .edition_chapters(edition)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.practices.into_iter().map(|p| p.title).collect())
        .collect()
}

fn epub_text(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut text).unwrap();
    text
}

async fn audit_count(app: &TestApp, action: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'edition' AND action = $1")
        .bind(action)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

app_tests! {
    async fn the_coordination_composes_builds_and_everyone_downloads(app: TestApp) {
        let ids = published(&app, &[("Scuola aperta", 1), ("Sportello unico", 2), ("Mediazione in classe", 1)]).await;
        coordinator(&app).await;
        assert_eq!(app.get("/ebook/editions/new").await.status, StatusCode::OK);
        let edition = create_edition(&app, "Buone pratiche 2026").await;
        let stored = app.db.edition(&edition).await.unwrap().unwrap();
        assert_eq!(stored.editors, ["Anna Rossi", "Luca Bianchi"]);
        assert_eq!(stored.licence, "CC BY 4.0", "a blank licence is CC BY 4.0");

        let school = add_chapter(&app, &edition, "La scuola").await;
        let services = add_chapter(&app, &edition, "I servizi").await;
        for id in [&ids[0], &ids[2]] {
            assert_eq!(add_practice(&app, &edition, &school, id).await.status, StatusCode::SEE_OTHER);
        }
        assert_eq!(add_practice(&app, &edition, &services, &ids[1]).await.status, StatusCode::SEE_OTHER);
        assert_eq!(order(&app, &edition).await, [vec!["Scuola aperta", "Mediazione in classe"], vec!["Sportello unico"]]);

        // Move up and down, remove and add back: the order is the forms'.
        let practice_path = |chapter: &str, id: &str| format!("/ebook/editions/{edition}/chapters/{chapter}/practices/{id}");
        let moved = app.post(&format!("{}/move", practice_path(&school, &ids[2])), &[("editions_direction", "up")]).await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
        assert_eq!(order(&app, &edition).await[0], ["Mediazione in classe", "Scuola aperta"]);
        let first = app.post(&format!("{}/move", practice_path(&school, &ids[2])), &[("editions_direction", "up")]).await;
        assert_eq!(first.status, StatusCode::SEE_OTHER, "moving the first up changes nothing");
        assert_eq!(order(&app, &edition).await[0], ["Mediazione in classe", "Scuola aperta"]);
        let removed = app.post(&format!("{}/remove", practice_path(&school, &ids[2])), &[]).await;
        assert_eq!(removed.status, StatusCode::SEE_OTHER);
        assert_eq!(order(&app, &edition).await[0], ["Scuola aperta"]);
        add_practice(&app, &edition, &school, &ids[2]).await;
        let chapter_down = app
            .post(&format!("/ebook/editions/{edition}/chapters/{school}/move"), &[("editions_direction", "down")])
            .await;
        assert_eq!(chapter_down.status, StatusCode::SEE_OTHER);
        assert_eq!(order(&app, &edition).await, [vec!["Sportello unico"], vec!["Scuola aperta", "Mediazione in classe"]]);

        let page = app.get(&format!("/ebook/editions/{edition}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("La scuola") && page.body.contains("I servizi"), "{}", page.body);
        assert!(page.body.contains("<div class=\"reti-markdown\" lang=\"en\"><p>Why <em>these</em> practices.</p>"), "{}", page.body);
        let chapter_page = app.get(&format!("/ebook/editions/{edition}/chapters/{school}")).await;
        assert!(chapter_page.body.contains("Mediazione in classe"), "{}", chapter_page.body);

        // Build: queued, then done by the job queue, with its file's size and digest.
        let built = app.post(&format!("/ebook/editions/{edition}/build"), &[]).await;
        assert_eq!(built.status, StatusCode::SEE_OTHER, "{}", built.body);
        let queued = app.db.edition_versions(&edition).await.unwrap();
        assert_eq!((queued[0].number, queued[0].status), (1, VersionStatus::Queued));
        assert!(app.get(&format!("/ebook/editions/{edition}")).await.body.contains("data-editions-poll"), "a pending build is followed");
        assert!(app.run_jobs().await >= 1);
        let done = app.db.edition_versions(&edition).await.unwrap();
        assert_eq!((done[0].status, done[0].progress), (VersionStatus::Done, 100), "{:?}", done[0].error);
        let file = &done[0].files[0];
        assert_eq!((file.format.as_str(), file.file_name.as_str()), ("epub", "buone-pratiche-2026.epub"));

        // Anyone downloads it from the board, at a stable address.
        app.logout_locally();
        let board = app.get("/bacheca/ebook").await;
        assert_eq!(board.status, StatusCode::OK);
        let v1 = format!("/bacheca/ebook/{edition}/1/buone-pratiche-2026.epub");
        assert!(board.body.contains(&v1), "{}", board.body);
        let download = app.get(&v1).await;
        assert_eq!(download.status, StatusCode::OK);
        assert_eq!(download.headers[header::CONTENT_TYPE], "application/epub+zip");
        assert_eq!(download.headers[header::CONTENT_DISPOSITION], "attachment; filename=\"buone-pratiche-2026.epub\"");
        assert_eq!(download.bytes.len() as i64, file.size);
        let digest: String = Sha256::digest(&download.bytes).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(digest, file.sha256);
        let pdf = app.get(&format!("/bacheca/ebook/{edition}/1/buone-pratiche-2026.pdf")).await;
        assert_eq!(pdf.status, StatusCode::OK, "the PDF is built from the same edition");
        assert_eq!(pdf.headers[header::CONTENT_TYPE], "application/pdf");
        assert!(pdf.bytes.starts_with(b"%PDF-"));
        let nav = epub_text(&download.bytes, "EPUB/nav.xhtml");
        let (services_at, school_at) = (nav.find("I servizi").unwrap(), nav.find("La scuola").unwrap());
        assert!(services_at < school_at, "chapters in the chosen order: {nav}");
        let chapter = epub_text(&download.bytes, "EPUB/chapter-2.xhtml");
        assert!(chapter.find("Scuola aperta").unwrap() < chapter.find("Mediazione in classe").unwrap(), "{chapter}");
        assert!(chapter.contains("<h3 id=\"c2-p1-context\">Contesto</h3>"), "headings from the locale files: {chapter}");
        let front = epub_text(&download.bytes, "EPUB/front.xhtml");
        assert!(front.contains("<section lang=\"en\" xml:lang=\"en\" aria-labelledby=\"summary-en\">"), "{front}");
        assert!(front.contains("Why <em>these</em> practices."), "{front}");
        assert!(front.contains("<th scope=\"row\"><bdi>Inclusione</bdi></th><td>3</td>"), "the themes chart's data: {front}");
        assert!(epub_text(&download.bytes, "EPUB/cover.svg").contains(">Buone pratiche 2026</text>"), "a generated cover");

        // Version 2 keeps version 1 downloadable.
        coordinator(&app).await;
        app.post(&format!("/ebook/editions/{edition}"), &[("title", "Buone pratiche 2026"), ("year", "2026"), ("editions_subtitle", "Seconda edizione")]).await;
        app.post(&format!("/ebook/editions/{edition}/build"), &[]).await;
        app.run_jobs().await;
        app.logout_locally();
        let v2 = format!("/bacheca/ebook/{edition}/2/buone-pratiche-2026.epub");
        assert_eq!(app.get(&v2).await.status, StatusCode::OK);
        assert_eq!(app.get(&v1).await.status, StatusCode::OK, "the first version stays");
        let board = app.get("/bacheca/ebook").await;
        assert!(board.body.find(&v2).unwrap() < board.body.find(&v1).unwrap(), "latest first: {}", board.body);
        assert!(board.body.contains("Seconda edizione"));

        assert_eq!(audit_count(&app, "create").await, 1);
        assert_eq!(audit_count(&app, "update").await, 1);
        assert_eq!(audit_count(&app, "build").await, 2);
        assert!(audit_count(&app, "add_practice").await >= 3);
        assert_eq!(audit_count(&app, "move_practice").await, 1, "a move that changes nothing records nothing");
    }

    async fn bad_input_is_refused_by_name(app: TestApp) {
        coordinator(&app).await;
        let refused = app.post("/ebook/editions", &[("title", " "), ("year", "1800"), ("editions_licence", "")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("Il campo «Titolo» è obbligatorio"), "{}", refused.body);
        assert!(refused.body.contains("«Anno» deve essere un anno tra 1990 e 2100"), "{}", refused.body);
        assert_eq!(app.db.editions().await.unwrap().len(), 0, "nothing written");

        let edition = create_edition(&app, "Edizione").await;
        let no_title = app.post(&format!("/ebook/editions/{edition}/chapters"), &[("editions_chapter_title", "")]).await;
        assert_eq!(no_title.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(no_title.body.contains("«Titolo del capitolo» è obbligatorio"), "{}", no_title.body);

        // Only published practices, each once in a chapter.
        let chapter = add_chapter(&app, &edition, "Capitolo").await;
        let draft = app.db.import_practices(&Actor::cli(), &[PracticeImport { programme_id: app.programme_id.clone(), ..practice("Bozza", 1) }], false).await.unwrap();
        let unpublished = add_practice(&app, &edition, &chapter, &draft[0]).await;
        assert_eq!(unpublished.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(unpublished.body.contains("«Pratica pubblicata» non indica una pratica pubblicata"), "{}", unpublished.body);

        // An edition without a published practice is not built.
        let empty = app.post(&format!("/ebook/editions/{edition}/build"), &[]).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(empty.body.contains("nessun capitolo contiene una pratica pubblicata"), "{}", empty.body);
        assert!(app.db.edition_versions(&edition).await.unwrap().is_empty());

        let ids = published(&app, &[("Pubblicata", 2)]).await;
        add_practice(&app, &edition, &chapter, &ids[0]).await;
        let twice = add_practice(&app, &edition, &chapter, &ids[0]).await;
        assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
        let sideways = app
            .post(&format!("/ebook/editions/{edition}/chapters/{chapter}/move"), &[("editions_direction", "sideways")])
            .await;
        assert_eq!(sideways.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(sideways.body.contains("«Direzione»"), "{}", sideways.body);
    }

    async fn a_failed_build_says_why(app: TestApp) {
        let ids = published(&app, &[("Scuola aperta", 1)]).await;
        coordinator(&app).await;
        let edition = create_edition(&app, "Edizione fragile").await;
        let chapter = add_chapter(&app, &edition, "Capitolo").await;
        add_practice(&app, &edition, &chapter, &ids[0]).await;
        app.post(&format!("/ebook/editions/{edition}/build"), &[]).await;
        // The practice leaves the edition between the request and the build.
        sqlx::query("DELETE FROM edition_chapter_practices").execute(app.db.pool()).await.unwrap();
        app.run_jobs().await;
        let failed = &app.db.edition_versions(&edition).await.unwrap()[0];
        assert_eq!(failed.status, VersionStatus::Failed);
        assert!(failed.files.is_empty());
        let page = app.get(&format!("/ebook/editions/{edition}")).await;
        assert!(page.body.contains("nessun capitolo contiene una pratica pubblicata"), "{}", page.body);
        app.logout_locally();
        assert!(!app.get("/bacheca/ebook").await.body.contains("Edizione fragile"), "a failed build is not on the board");
        assert_eq!(app.get(&format!("/bacheca/ebook/{edition}/1/edizione-fragile.epub")).await.status, StatusCode::NOT_FOUND);
    }

    async fn the_cover_is_the_coordinations_until_built(app: TestApp) {
        let ids = published(&app, &[("Scuola aperta", 1)]).await;
        coordinator(&app).await;
        let edition = create_edition(&app, "Con copertina").await;
        let token = app.csrf().await;
        // 60 × 90 pixels of one blue.
        let png = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, "iVBORw0KGgoAAAANSUhEUgAAADwAAABaCAIAAABrM6JiAAAAX0lEQVR42u3OQQkAAAgEsEtiJKPY/2kLQRgswFI970RaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpa+toC57b3cL9lzxEAAAAASUVORK5CYII=").unwrap();
        let path = format!("/ebook/editions/{edition}/cover");
        let no_alt = app.upload(&path, &[("csrf_token", token.as_str()), ("alt", "")], "copertina.png", &png).await;
        assert_eq!(no_alt.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(no_alt.body.contains("«Testo alternativo» è obbligatorio"), "{}", no_alt.body);
        let uploaded = app.upload(&path, &[("csrf_token", token.as_str()), ("alt", "Bambini in classe")], "copertina.png", &png).await;
        assert_eq!(uploaded.status, StatusCode::SEE_OTHER, "{}", uploaded.body);
        let cover = format!("/bacheca/ebook/{edition}/cover");
        let seen = app.get(&cover).await;
        assert_eq!((seen.status, seen.headers[header::CONTENT_TYPE].to_str().unwrap()), (StatusCode::OK, "image/png"));
        app.logout_locally();
        assert_eq!(app.get(&cover).await.status, StatusCode::NOT_FOUND, "not public before a build");

        coordinator(&app).await;
        let chapter = add_chapter(&app, &edition, "Capitolo").await;
        add_practice(&app, &edition, &chapter, &ids[0]).await;
        app.post(&format!("/ebook/editions/{edition}/build"), &[]).await;
        app.run_jobs().await;
        app.logout_locally();
        assert_eq!(app.get(&cover).await.status, StatusCode::OK);
        assert!(app.get("/bacheca/ebook").await.body.contains("alt=\"Bambini in classe\""));
        // The uploaded cover is the e-book's, inside the EPUB (and the PDF's first page).
        let epub = app.get(&format!("/bacheca/ebook/{edition}/1/con-copertina.epub")).await;
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&epub.bytes[..])).unwrap();
        let mut inside = Vec::new();
        zip.by_name("EPUB/cover.png").unwrap().read_to_end(&mut inside).unwrap();
        assert_eq!(inside, png);
        let page = epub_text(&epub.bytes, "EPUB/cover.xhtml");
        assert!(page.contains("<img role=\"doc-cover\" src=\"cover.png\" alt=\"Bambini in classe\"/>"), "{page}");
        assert!(app.get(&format!("/bacheca/ebook/{edition}/1/con-copertina.pdf")).await.bytes.starts_with(b"%PDF-"));
    }

    async fn chapters_are_made_per_action_line_or_theme(app: TestApp) {
        published(&app, &[("Sportello unico", 2), ("Scuola aperta", 1), ("Mediazione in classe", 1)]).await;
        coordinator(&app).await;
        let edition = create_edition(&app, "Per linea").await;
        let made = app.post(&format!("/ebook/editions/{edition}/chapters/generate"), &[("editions_basis", "action_line")]).await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        let chapters = app.db.edition_chapters(&edition).await.unwrap();
        let titles: Vec<&str> = chapters.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(titles, ["Linea d'azione 1", "Linea d'azione 2"]);
        assert_eq!(order(&app, &edition).await, [vec!["Mediazione in classe", "Scuola aperta"], vec!["Sportello unico"]]);
        let themes = app.post(&format!("/ebook/editions/{edition}/chapters/generate"), &[("editions_basis", "theme")]).await;
        assert_eq!(themes.status, StatusCode::SEE_OTHER);
        assert_eq!(app.db.edition_chapters(&edition).await.unwrap().last().unwrap().title, "Inclusione");
    }

    async fn only_the_coordination_composes_and_builds(app: TestApp) {
        let ids = published(&app, &[("Scuola aperta", 1)]).await;
        let coordination = coordinator(&app).await;
        let edition = create_edition(&app, "Riservata").await;
        let chapter = add_chapter(&app, &edition, "Capitolo").await;
        add_practice(&app, &edition, &chapter, &ids[0]).await;
        app.post(&format!("/ebook/editions/{edition}/build"), &[]).await;

        let member = app.user().role(Role::NetworkMember).create().await;
        app.logout_locally();
        app.login(&member.email).await;
        for path in ["/ebook/editions".to_owned(), format!("/ebook/editions/{edition}"), format!("/ebook/editions/{edition}/chapters/{chapter}")] {
            assert_eq!(app.get(&path).await.status, StatusCode::FORBIDDEN, "{path}");
        }
        assert_eq!(app.post("/ebook/editions", &[("title", "Mia"), ("year", "2026")]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.post(&format!("/ebook/editions/{edition}/build"), &[]).await.status, StatusCode::FORBIDDEN);
        let member_token = app.token_for(&member).await;
        assert_eq!(app.api_get("/api/v1/editions", Some(&member_token)).await.status, StatusCode::FORBIDDEN);
        let build_path = format!("/api/v1/editions/{edition}/builds");
        assert_eq!(app.api_send(Method::POST, &build_path, Some(&member_token), serde_json::json!({})).await.status, StatusCode::FORBIDDEN);

        app.logout_locally();
        let anonymous = app.get("/ebook/editions").await;
        assert!(anonymous.location().starts_with("/login?next="), "{}", anonymous.status);
        assert_eq!(app.get(&format!("/bacheca/ebook/{edition}/1/riservata.epub")).await.status, StatusCode::NOT_FOUND, "not built yet");
        assert_eq!(app.get(&format!("/bacheca/ebook/{edition}/x/riservata.epub")).await.status, StatusCode::NOT_FOUND);

        // The API: the coordination lists, reads and builds.
        let token = app.token_for(&coordination).await;
        let queued = app.api_send(Method::POST, &build_path, Some(&token), serde_json::json!({})).await;
        assert_eq!(queued.status, StatusCode::ACCEPTED, "{}", queued.body);
        assert_eq!(queued.json()["number"], 2);
        assert_eq!(queued.json()["status"], "queued");
        app.run_jobs().await;
        let list = app.api_get("/api/v1/editions", Some(&token)).await.json();
        assert_eq!(list[0]["id"], edition.as_str());
        assert_eq!(list[0]["latest_version"]["status"], "done");
        let one = app.api_get(&format!("/api/v1/editions/{edition}"), Some(&token)).await.json();
        assert_eq!(one["chapters"][0]["practices"][0]["title"], "Scuola aperta");
        assert_eq!(one["versions"].as_array().unwrap().len(), 2);
        let url = one["versions"][0]["files"][0]["download_url"].as_str().unwrap();
        assert_eq!(url, format!("http://reti.test/bacheca/ebook/{edition}/2/riservata.epub"));
        assert_eq!(one["versions"][0]["files"][0]["content_type"], "application/epub+zip");
    }
}
