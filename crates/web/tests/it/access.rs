//! Role × route: every registered route, asked by every kind of person, answers as its rule says.

use crate::app_tests;
use crate::harness::TestApp;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use reti_domain::Role;
use reti_web::access::Access;
use reti_web::routes;

/// The routes anyone may use. Adding a public route means adding it here, on purpose.
const PUBLIC: [(&str, &str); 30] = [
    ("GET", "/"),
    ("GET", "/accessibility"),
    ("GET", "/privacy"),
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/logout"),
    ("GET", "/password/forgot"),
    ("POST", "/password/forgot"),
    ("GET", "/password/reset/{token}"),
    ("POST", "/password/reset/{token}"),
    ("GET", "/invitations/{token}"),
    ("GET", "/calendar/{token}"),
    ("GET", "/meetings/{id}/guests"),
    ("POST", "/meetings/{id}/guests"),
    ("GET", "/guests/{token}"),
    ("POST", "/guests/{token}"),
    ("POST", "/invitations/{token}"),
    ("GET", "/static/{*path}"),
    ("GET", "/healthz"),
    ("GET", "/metrics"),
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/bacheca"),
    ("GET", "/bacheca/{id}"),
    ("GET", "/bacheca/export/{file}"),
    // The e-book's editions: built versions are public, a version not built is 404.
    ("GET", "/bacheca/ebook"),
    ("GET", "/bacheca/ebook/{id}/{number}/{file}"),
    ("GET", "/bacheca/ebook/{id}/cover"),
    ("GET", "/api/v1/board/practices"),
    // A published practice's images; a draft's are 404 to those who may not see the draft.
    ("GET", "/practices/{id}/images/{image_id}"),
    ("GET", "/favicon.ico"),
];

#[test]
fn public_routes_are_exactly_the_listed_ones() {
    let mut public: Vec<(String, String)> = routes::table()
        .iter()
        .filter(|r| r.access == Access::Public)
        .map(|r| (r.method.to_string(), r.path.to_owned()))
        .collect();
    public.sort();
    let mut expected: Vec<(String, String)> =
        PUBLIC.iter().filter(|(_, p)| *p != "/favicon.ico").map(|(m, p)| (m.to_string(), p.to_string())).collect();
    expected.sort();
    assert_eq!(public, expected);
}

#[test]
fn every_api_route_but_its_document_needs_a_token() {
    for route in routes::table() {
        // The board of experiences is public by design (issue 10), its API too.
        if route.path.starts_with("/api/")
            && route.path != "/api/v1/openapi.json"
            && route.path != "/api/v1/board/practices"
        {
            assert!(
                matches!(route.access, Access::ApiToken | Access::ApiCoordinator | Access::ApiAdmin),
                "{} {}",
                route.method,
                route.path
            );
        }
    }
}

fn concrete(path: &str) -> String {
    path.replace("{token}", "not-a-real-token")
        .replace("{id}", "00000000-0000-0000-0000-000000000000")
        .replace("{*path}", "app.css")
}

#[derive(Clone, Copy, Debug)]
enum Persona {
    Anonymous,
    Member,
    Lead,
    Facilitator,
    Coordinator,
    Admin,
}

const PERSONAS: [Persona; 6] =
    [Persona::Anonymous, Persona::Member, Persona::Lead, Persona::Facilitator, Persona::Coordinator, Persona::Admin];

async fn become_persona(app: &TestApp, persona: Persona) -> Option<String> {
    app.logout_locally();
    let builder = app.user();
    let user = match persona {
        Persona::Anonymous => return None,
        Persona::Member => builder.role(Role::NetworkMember).create().await,
        Persona::Lead => builder.role(Role::NetworkLead).create().await,
        Persona::Facilitator => builder.role(Role::Facilitator).create().await,
        Persona::Coordinator => builder.role(Role::Coordinator).create().await,
        Persona::Admin => builder.admin().create().await,
    };
    app.login(&user.email).await;
    let (_, token) = app.db.create_token(&reti_store::Actor::cli(), &user.id, "test").await.unwrap();
    Some(token)
}

app_tests! {
    async fn every_route_denies_by_default(app: TestApp) {
        for persona in PERSONAS {
            let token = become_persona(&app, persona).await;
            let identity_allowed = |access: Access| match persona {
                Persona::Anonymous => access == Access::Public,
                Persona::Member | Persona::Lead | Persona::Facilitator => {
                    matches!(access, Access::Public | Access::LoggedIn | Access::ApiToken)
                }
                Persona::Coordinator => !matches!(access, Access::Admin | Access::ApiAdmin),
                Persona::Admin => true,
            };
            for route in routes::table() {
                let path = concrete(route.path);
                let is_api = route.path.starts_with("/api/");
                let response = if is_api {
                    app.api_send(route.method.clone(), &path, token.as_deref(), serde_json::json!({})).await
                } else if route.method == Method::GET {
                    app.get(&path).await
                } else {
                    app.post(&path, &[]).await
                };
                let allowed = identity_allowed(route.access);
                let what = format!("{persona:?} {} {}: {} {}", route.method, route.path, response.status, response.location());
                if allowed {
                    assert_ne!(response.status, StatusCode::FORBIDDEN, "{what}");
                    assert!(!response.location().starts_with("/login?next"), "{what}");
                    if is_api {
                        assert_ne!(response.status, StatusCode::UNAUTHORIZED, "{what}");
                    }
                    assert!(!response.status.is_server_error(), "{what}");
                } else if matches!(persona, Persona::Anonymous) {
                    if is_api || route.method != Method::GET {
                        assert_eq!(response.status, StatusCode::UNAUTHORIZED, "{what}");
                    } else {
                        assert_eq!(response.status, StatusCode::SEE_OTHER, "{what}");
                        assert!(response.location().starts_with("/login?next="), "{what}");
                    }
                } else {
                    assert_eq!(response.status, StatusCode::FORBIDDEN, "{what}");
                }
                if route.path == "/logout" && !matches!(persona, Persona::Anonymous) {
                    // That request logged the persona out: log back in as a new one of the same kind.
                    become_persona(&app, persona).await;
                }
            }
        }
    }

    async fn unknown_routes_are_not_found_for_everyone(app: TestApp) {
        assert_eq!(app.get("/admin").await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.api_get("/api/v1/secret", None).await.status, StatusCode::NOT_FOUND);
        let admin = app.user().admin().create().await;
        app.login(&admin.email).await;
        assert_eq!(app.get("/admin").await.status, StatusCode::NOT_FOUND);
        let wrong_method = app
            .request(Request::builder().method(Method::DELETE).uri("/account").header(header::ACCEPT, "text/html").body(Body::empty()).unwrap())
            .await;
        assert!(matches!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED | StatusCode::FORBIDDEN), "{}", wrong_method.status);
        assert!(wrong_method.body.contains("<html"), "even a bare error gets a page");
    }
}
