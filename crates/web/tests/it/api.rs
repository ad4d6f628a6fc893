//! The JSON API and its OpenAPI document.

use crate::app_tests;

use axum::http::StatusCode;
use reti_domain::Role;

app_tests! {
    async fn organisations_need_a_token(app: TestApp) {
        let missing = app.api_get("/api/v1/organisations", None).await;
        assert_eq!(missing.status, StatusCode::UNAUTHORIZED);
        assert_eq!(missing.json()["error"]["code"], "unauthorized");
        assert_eq!(missing.json()["error"]["message"], "Accesso richiesto");
        assert_eq!(app.api_get("/api/v1/organisations", Some("reti_forged")).await.status, StatusCode::UNAUTHORIZED);

        let user = app.user().role(Role::NetworkMember).create().await;
        let (_, token) = app.db.create_token(&reti_store::Actor::cli(), &user.id, "t").await.unwrap();
        let list = app.api_get("/api/v1/organisations?page=2&per_page=10", Some(&token)).await;
        assert_eq!(list.status, StatusCode::OK);
        let body = list.json();
        assert_eq!(body["items"], serde_json::json!([]));
        assert_eq!((body["page"].as_u64(), body["per_page"].as_u64()), (Some(2), Some(10)));
        let me = app.api_get("/api/v1/me", Some(&token)).await.json();
        assert_eq!(me["email"], user.email.as_str());
        assert_eq!(me["roles"][0]["role"], "network_member");
    }

    async fn session_cookies_do_not_open_the_api(app: TestApp) {
        let user = app.user().admin().create().await;
        app.login(&user.email).await;
        // The browser's cookie rides along, but the API only accepts bearer tokens.
        let response = app.get("/api/v1/me").await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    }

    async fn openapi_document_describes_the_handlers(app: TestApp) {
        let document = app.api_get("/api/v1/openapi.json", None).await;
        assert_eq!(document.status, StatusCode::OK);
        let json = document.json();
        assert!(json["openapi"].as_str().unwrap().starts_with("3."));
        assert!(json["paths"]["/api/v1/organisations"]["get"].is_object());
        assert!(json["paths"]["/api/v1/me"]["get"].is_object());
        assert_eq!(json["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
        // Every API route of the router is documented.
        for route in reti_web::routes::table() {
            if route.path.starts_with("/api/") && route.path != "/api/v1/openapi.json" {
                assert!(json["paths"][route.path].is_object(), "{} is not documented", route.path);
            }
        }
    }
}
