//! Images of a good practice, on both engines: an upload with its required alt text, the type
//! read from the bytes, the size and side limits, deletion, and who may see a draft's image.

use crate::app_tests;
use crate::harness::TestApp;
use axum::http::StatusCode;
use reti_domain::{NetworkStatus, Role};
use reti_store::Actor;
use reti_store::registry::networks::{Network, NetworkInput};
use reti_store::users::User;

async fn network(app: &TestApp) -> Network {
    let input = NetworkInput {
        programme_id: app.programme_id.clone(),
        name: "Rete Adda".into(),
        description: String::new(),
        maturity: None,
        status: NetworkStatus::Active,
        municipality_codes: vec!["015146".into()],
        action_line_ids: Vec::new(),
    };
    app.db.create_network(&Actor::cli(), &input).await.unwrap()
}

async fn author(app: &TestApp, network: &Network) -> User {
    let user = app.user().create().await;
    app.db.assign_to_network(&Actor::cli(), &user.id, &network.id, Role::NetworkMember).await.unwrap();
    user
}

/// A complete draft by the logged-in author; its path.
async fn draft(app: &TestApp, network: &Network) -> String {
    let mut fields = vec![("title", "Lo sportello condiviso"), ("network_id", network.id.as_str())];
    fields.extend([
        ("action_line", "2"),
        ("theme", "Inclusione"),
        ("year", "2024"),
        ("municipalities", "Milano"),
        ("context", "Un contesto."),
        ("problem", "Le famiglie restavano senza servizi."),
        ("objectives", "Obiettivi."),
        ("target_group", "Famiglie straniere"),
        ("activities", "Attività."),
        ("results", "Risultati."),
        ("contacts", "Contatti."),
    ]);
    let created = app.post("/practices", &fields).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    created.location().to_owned()
}

/// The first bytes of a PNG of `width` × `height`: all the header our check reads.
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    bytes.extend_from_slice(&width.to_be_bytes());
    bytes.extend_from_slice(&height.to_be_bytes());
    bytes.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
    bytes
}

async fn upload(app: &TestApp, path: &str, alt: &str, name: &str, content: &[u8]) -> crate::harness::TestResponse {
    let token = app.csrf().await;
    let fields = [("csrf_token", token.as_str()), ("alt", alt), ("caption", "Lo sportello aperto")];
    app.upload(&format!("{path}/images"), &fields, name, content).await
}

async fn images(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM practice_images").fetch_one(app.db.pool()).await.unwrap()
}

/// The statements a page costs once its session is warm.
async fn statements(app: &TestApp, path: &str) -> u64 {
    assert_eq!(app.get(path).await.status, StatusCode::OK);
    let before = app.db.statements();
    assert_eq!(app.get(path).await.status, StatusCode::OK);
    app.db.statements() - before
}

fn files(app: &TestApp) -> usize {
    let root = app.data_dir().join("practice-images");
    std::fs::read_dir(root)
        .map(|owners| owners.flatten().map(|o| std::fs::read_dir(o.path()).unwrap().count()).sum())
        .unwrap_or(0)
}

app_tests! {
    async fn an_image_shows_with_its_alt_and_is_public_only_once_published(app: TestApp) {
        let a = network(&app).await;
        let writer = author(&app, &a).await;
        let coordinator = app.user().role(Role::Coordinator).create().await;
        let other_programme = app.db.create_programme(&Actor::cli(), "ALTRO-1", "Altro programma").await.unwrap();
        let outsider = app.user().create().await;
        app.db.assign_role(&Actor::cli(), &outsider.id, &other_programme.id, Role::Coordinator).await.unwrap();

        app.login(&writer.email).await;
        let path = draft(&app, &a).await;
        let id = path.trim_start_matches("/practices/").to_owned();
        let content = png(640, 480);
        let added = upload(&app, &path, "Due operatrici allo sportello", "sportello.png", &content).await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        let (image_id, mime, width): (String, String, i64) =
            sqlx::query_as("SELECT id, mime, width FROM practice_images WHERE practice_id = $1")
                .bind(&id)
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        assert_eq!((mime.as_str(), width), ("image/png", 640));
        let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'add_image' AND entity_id = $1")
            .bind(&id)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        assert_eq!(audited, 1);
        let url = format!("{path}/images/{image_id}");
        let page = app.get(&path).await;
        assert!(page.body.contains(&format!(r#"src="{url}" alt="Due operatrici allo sportello" width="640" height="480""#)), "{}", page.body);
        assert!(page.body.contains("<figcaption class=\"figure-caption\">Lo sportello aperto</figcaption>"));
        let served = app.get(&url).await;
        assert_eq!(served.status, StatusCode::OK);
        assert_eq!(served.headers["content-type"], "image/png");
        assert_eq!(served.bytes, content);

        // A draft's image does not exist for anybody who may not see the draft.
        app.logout_locally();
        assert_eq!(app.get(&url).await.status, StatusCode::NOT_FOUND);
        app.login(&outsider.email).await;
        assert_eq!(app.get(&url).await.status, StatusCode::NOT_FOUND);
        let foreign = upload(&app, &path, "Altro", "x.png", &content).await;
        assert_eq!(foreign.status, StatusCode::NOT_FOUND);

        app.logout_locally();
        app.login(&writer.email).await;
        assert_eq!(app.post(&format!("{path}/steps"), &[("step", "submit"), ("comment", "")]).await.status, StatusCode::SEE_OTHER);
        // Once submitted the practice, images included, is no longer the authors' to change.
        assert_eq!(upload(&app, &path, "Altro", "x.png", &content).await.status, StatusCode::FORBIDDEN);
        app.logout_locally();
        app.login(&coordinator.email).await;
        assert_eq!(app.post(&format!("{path}/steps"), &[("step", "start_review"), ("comment", "")]).await.status, StatusCode::SEE_OTHER);
        assert_eq!(app.post(&format!("{path}/steps"), &[("step", "publish"), ("comment", "")]).await.status, StatusCode::SEE_OTHER);

        app.logout_locally();
        let board = app.get(&format!("/bacheca/{id}")).await;
        assert_eq!(board.status, StatusCode::OK);
        assert!(board.body.contains(r#"alt="Due operatrici allo sportello" width="640" height="480""#), "{}", board.body);
        let og = board.body.split(r#"<meta property="og:image" content=""#).nth(1).expect("an og:image");
        let og = &og[..og.find('"').unwrap()];
        assert!(og.starts_with("http") && og.ends_with(&url), "og:image names the first image: {og}");
        let public = app.get(&url).await;
        assert_eq!(public.status, StatusCode::OK);
        assert_eq!(public.bytes, content);
    }

    async fn bad_images_are_refused_and_nothing_is_saved(app: TestApp) {
        let a = network(&app).await;
        let writer = author(&app, &a).await;
        app.login(&writer.email).await;
        let path = draft(&app, &a).await;

        let no_alt = upload(&app, &path, "  ", "foto.png", &png(10, 10)).await;
        assert_eq!(no_alt.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(no_alt.body.contains(r#"id="alt-error">Il campo «Testo alternativo» è obbligatorio"#), "{}", no_alt.body);

        let text = upload(&app, &path, "Una foto", "foto.png", b"soltanto testo, non un'immagine").await;
        assert_eq!(text.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(text.body.contains("non contiene un&#39;immagine JPEG, PNG o WebP"), "{}", text.body);

        let mut oversized = png(10, 10);
        oversized.resize(5 * 1024 * 1024 + 1, 0);
        let big = upload(&app, &path, "Una foto", "foto.png", &oversized).await;
        assert_eq!(big.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(big.body.contains("supera i 5 MB"), "{}", big.body);

        let wide = upload(&app, &path, "Una foto", "foto.png", &png(9000, 10)).await;
        assert_eq!(wide.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(wide.body.contains("8000 × 8000 pixel"), "{}", wide.body);

        let long_alt = "a".repeat(301);
        assert_eq!(upload(&app, &path, &long_alt, "foto.png", &png(10, 10)).await.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!((images(&app).await, files(&app)), (0, 0), "nothing refused is saved");

        // The type is the content's, whatever the name says.
        let renamed = upload(&app, &path, "Una foto", "foto.txt", &png(10, 10)).await;
        assert_eq!(renamed.status, StatusCode::SEE_OTHER, "{}", renamed.body);
        assert_eq!((images(&app).await, files(&app)), (1, 1));

        // The images come in one statement, however many there are.
        let one = statements(&app, &path).await;
        for alt in ["Seconda", "Terza"] {
            assert_eq!(upload(&app, &path, alt, "foto.webp", &png(10, 10)).await.status, StatusCode::SEE_OTHER);
        }
        assert_eq!(statements(&app, &path).await, one);
        assert!(app.get(&path).await.body.find("alt=\"Seconda\"") < app.get(&path).await.body.find("alt=\"Terza\""), "in upload order");

        // Deleting removes the rows and the files.
        let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM practice_images").fetch_all(app.db.pool()).await.unwrap();
        for image_id in &ids {
            let deleted = app.post(&format!("{path}/images/{image_id}/delete"), &[]).await;
            assert_eq!(deleted.status, StatusCode::SEE_OTHER);
        }
        assert_eq!((images(&app).await, files(&app)), (0, 0));
        let image_id = &ids[0];
        assert_eq!(app.post(&format!("{path}/images/{image_id}/delete"), &[]).await.status, StatusCode::NOT_FOUND);
    }
}
