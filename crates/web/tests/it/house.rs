//! The house patterns every activity copies: one reading of dates for pages, API and import, and
//! the OpenAPI document pinned by a snapshot.

use crate::app_tests;
use axum::http::Method;
use reti_domain::Role;

app_tests! {
    async fn pages_and_api_read_the_same_date_forms(app: TestApp) {
        let coordinator = app.user().role(Role::Coordinator).create().await;
        app.login(&coordinator.email).await;
        let path = format!("/programmes/{}", app.programme_id);
        let saved = app.post(&path, &[("name", "LAB'IMPACT"), ("starts_on", "1.3.2026"), ("ends_on", "31-12-2027")]).await;
        assert!(saved.status.is_redirection(), "{}: {}", saved.status, saved.body);
        let details = app.db.programme_details(&app.programme_id).await.unwrap().unwrap();
        assert_eq!(details.starts_on, Some(time::macros::date!(2026 - 03 - 01)));
        assert_eq!(details.ends_on, Some(time::macros::date!(2027 - 12 - 31)));
        // The page shows them the way they are written in Italy.
        let shown = app.get(&format!("/programmes/{}", app.programme_id)).await;
        assert!(shown.body.contains("01/03/2026") && shown.body.contains("31/12/2027"), "{}", shown.body);

        let token = app.token_for(&coordinator).await;
        let body = serde_json::json!({"name": "LAB'IMPACT", "starts_on": "1/3/2026", "ends_on": "2027-12-31"});
        let answer = app.api_send(Method::PUT, &format!("/api/v1/programmes/{}", app.programme_id), Some(&token), body).await;
        assert!(answer.status.is_success(), "{}: {}", answer.status, answer.body);

        // A spreadsheet's serial day number is for the import only: typed, it is refused by name.
        let body = serde_json::json!({"name": "LAB'IMPACT", "starts_on": "45352"});
        let refused = app.api_send(Method::PUT, &format!("/api/v1/programmes/{}", app.programme_id), Some(&token), body).await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(refused.body.contains("starts_on"), "{}", refused.body);
    }
}

/// The OpenAPI document, pinned: an API change shows in review as a change of
/// `snapshots/it__house__openapi_document.snap`. After a deliberate change, update the snapshot with
/// `INSTA_UPDATE=always cargo test -p reti-web --test it openapi_document` (or `cargo insta review`,
/// if cargo-insta is installed) and commit it with the change.
#[test]
fn openapi_document() {
    use utoipa::OpenApi;
    insta::assert_json_snapshot!("openapi_document", reti_web::api::ApiDoc::openapi());
}
