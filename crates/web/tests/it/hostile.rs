//! Hostile files at the import (issue 6, point 1): a workbook that declares the whole sheet, an
//! upload past the limit, a preview left unconfirmed past its lifetime.

use crate::app_tests;
use crate::harness::TestApp;
use axum::http::StatusCode;
use reti_domain::Role;
use reti_store::Timestamp;

/// The 1.6 KB workbook of the issue: cells A1 and XFD1048576.
fn whole_sheet_workbook() -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write(0, 0, "Denominazione").unwrap();
    sheet.write(1_048_575, 16_383, "x").unwrap();
    workbook.save_to_buffer().unwrap()
}

/// Logs a coordinator in and returns the session's CSRF token for the import form.
async fn coordinator(app: &TestApp) -> String {
    let coordinator = app.user().role(Role::Coordinator).create().await;
    app.login(&coordinator.email).await;
    app.csrf().await
}

app_tests! {
    async fn a_workbook_declaring_the_whole_sheet_is_refused_and_the_server_lives(app: TestApp) {
        let token = coordinator(&app).await;
        let bytes = whole_sheet_workbook();
        assert!(bytes.len() < 10_000);
        let refused = app.upload("/import", &[("csrf_token", token.as_str()), ("entity", "organisations")], "enti.xlsx", &bytes).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.body.contains("Il foglio dichiara 1.048.576 righe × 16.384 colonne; si leggono al massimo 1.000.000 righe e 256 colonne"),
            "{}",
            refused.body
        );
        assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
    }

    async fn an_upload_past_the_limit_is_refused_while_streaming(app: TestApp) {
        let token = coordinator(&app).await;
        let bytes = vec![b'a'; reti_web::pages::imports::UPLOAD_LIMIT + 1];
        let refused = app.upload("/import", &[("csrf_token", token.as_str()), ("entity", "organisations")], "enti.csv", &bytes).await;
        assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(refused.body.contains("Il file supera 64 MB"), "{}", refused.body);
        assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
    }

    async fn an_expired_pending_import_cannot_be_confirmed_and_is_purged(app: TestApp) {
        let token = coordinator(&app).await;
        let good = "Denominazione;Tipologia;Codice fiscale;Comune\nA;Comune;00743110157;Milano\n";
        let preview = app.upload("/import", &[("csrf_token", token.as_str()), ("entity", "organisations")], "enti.csv", good.as_bytes()).await;
        assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
        let start = preview.body.find("/import/").unwrap();
        let confirm = preview.body[start..].split('"').next().unwrap().to_owned();

        // Another preview, fresh, must survive the sweep.
        let fresh = app.upload("/import", &[("csrf_token", token.as_str()), ("entity", "organisations")], "altri.csv", good.as_bytes()).await;
        assert_eq!(fresh.status, StatusCode::OK);
        let id = confirm.trim_start_matches("/import/").trim_end_matches("/confirm");
        let old = Timestamp::now().before(time::Duration::hours(25)).to_db();
        sqlx::query("UPDATE pending_imports SET created_at = $1 WHERE id = $2")
            .bind(old)
            .bind(id)
            .execute(app.db.pool())
            .await
            .unwrap();

        let gone = app.post(&confirm, &[]).await;
        assert_eq!(gone.status, StatusCode::GONE);
        assert!(gone.body.contains("Questa anteprima è scaduta"), "{}", gone.body);
        let listed = app.db.list_organisations(&Default::default(), reti_store::PageRequest::new(None, None)).await.unwrap();
        assert_eq!(listed.total, 0, "nothing was imported");

        assert_eq!(app.db.delete_expired_pending_imports().await.unwrap(), 1);
        assert_eq!(app.post(&confirm, &[]).await.status, StatusCode::NOT_FOUND, "purged");
    }
}
