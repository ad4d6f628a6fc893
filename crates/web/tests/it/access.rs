//! Role × route: every registered route, asked by every kind of person, answers as its rule says.

use crate::app_tests;
use crate::harness::TestApp;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use reti_domain::Role;
use reti_domain::documents::{DocumentInput, DocumentScope};
use reti_domain::exchanges::ThreadInput;
use reti_store::Actor;
use reti_store::exchanges::ExchangeScope;
use reti_store::registry::projects::ProjectInput;
use reti_web::access::Access;
use reti_web::routes;

/// The routes anyone may use. Adding a public route means adding it here, on purpose.
const PUBLIC: [(&str, &str); 32] = [
    ("GET", "/"),
    ("GET", "/accessibility"),
    ("GET", "/privacy"),
    ("GET", "/login"),
    ("POST", "/login"),
    // The second step of logging in: the session is anonymous until it is passed (decision 0060).
    ("GET", "/login/code"),
    ("POST", "/login/code"),
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

/// `path` with its first `{id}` as `id` and every other parameter as an id that names nothing.
fn filled(path: &str, id: &str) -> String {
    let mut out = path.replacen("{id}", id, 1);
    while let (Some(start), Some(end)) = (out.find('{'), out.find('}')) {
        out.replace_range(start..=end, "00000000-0000-0000-0000-000000000000");
    }
    out
}

/// The owner (its route prefix and id) whose `{id}` a route names: the route starts with the
/// prefix, or its API twin does.
fn owner<'a>(path: &str, owners: &'a [(&'static str, String)]) -> Option<(&'static str, &'a str)> {
    let plain = path.strip_prefix("/api/v1").unwrap_or(path);
    owners.iter().find_map(|(prefix, id)| {
        let rest = plain.strip_prefix(prefix)?;
        (rest.is_empty() || rest.starts_with('/') || rest.starts_with('.')).then_some((*prefix, id.as_str()))
    })
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

    async fn another_networks_people_reach_nothing_of_a_network(app: TestApp) {
        // Network A's records, one of each kind a route's `{id}` names; the lab and the programme
        // are A's programme's.
        app.db.put_action_line(&Actor::cli(), &app.programme_id, 1, "Scuola").await.unwrap();
        let adda = app.network("Rete Adda").create().await;
        let brembo = app.network("Rete Brembo").create().await;
        let lead = app.user().on_network(&adda.id, Role::NetworkLead).create().await;
        let project = ProjectInput {
            title: "Progetto Adda".into(),
            description: String::new(),
            budget_cents: None,
            starts_on: None,
            ends_on: None,
            action_line_ids: Vec::new(),
        };
        let project = app.db.create_project(&Actor::cli(), &adda.id, &project).await.unwrap().id;
        let meeting = app.meeting(&adda.id, "Incontro della rete").create().await;
        let document = DocumentInput { title: "Piano".into(), body: "uno\n".into(), summary: String::new() };
        let scope = DocumentScope::Network(adda.id.clone());
        let document = app.db.document_create(&Actor::cli(), &scope, &lead.id, &document).await.unwrap().id;
        let space = app.db.exchange_space(&ExchangeScope::Network(adda.id.clone())).await.unwrap().unwrap();
        let input = ThreadInput { title: "Domanda".into(), body: "Chi viene?".into() };
        let thread = app.db.exchange_create_thread(&Actor::cli(), &space, &lead.id, &input, None).await.unwrap();
        let coordinator = app.user().role(Role::Coordinator).create().await;
        app.login(&coordinator.email).await;
        let fields = [("programme_id", app.programme_id.as_str()), ("title", "Scuola"), ("theme", "Scuola"),
            ("action_line", "1"), ("description", ""), ("enrolment", "open"), ("capacity", "10"), ("status", "running")];
        let created = app.post("/labs", &fields).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let lab = created.location().trim_start_matches("/labs/").to_owned();
        let of_the_network: Vec<(&'static str, String)> = vec![
            ("/networks/{id}", adda.id.clone()),
            ("/projects/{id}", project),
            ("/meetings/{id}", meeting),
            ("/documents/{id}", document),
            ("/threads/{id}", thread),
        ];
        let mut of_the_programme = of_the_network.clone();
        of_the_programme.extend([("/labs/{id}", lab), ("/programmes/{id}", app.programme_id.clone())]);

        // Every logged-in person reads a network's public profile and a programme's own page.
        let readable = |method: &Method, path: &str| {
            *method == Method::GET
                && ["/networks/{id}", "/api/v1/networks/{id}", "/programmes/{id}", "/api/v1/programmes/{id}"].contains(&path)
        };
        let other = app.programme("ALTRO-1", "Altro programma").await;
        let elsewhere = app.db.create_network(&Actor::cli(), &reti_store::registry::networks::NetworkInput {
            programme_id: other.clone(),
            name: "Rete Altrove".into(),
            description: String::new(),
            maturity: None,
            status: reti_domain::NetworkStatus::Active,
            municipality_codes: vec!["015146".into()],
            action_line_ids: Vec::new(),
        }).await.unwrap();
        let outsiders = [
            (app.user().on_network(&brembo.id, Role::NetworkMember).create().await, &of_the_network),
            (app.user().on_network(&brembo.id, Role::NetworkLead).create().await, &of_the_network),
            (app.user().on_network(&brembo.id, Role::Facilitator).create().await, &of_the_network),
            (app.user().role(Role::Facilitator).create().await, &of_the_network),
            (app.user().on_network(&elsewhere.id, Role::NetworkLead).create().await, &of_the_programme),
            (app.user().role_in(&other, Role::Coordinator).create().await, &of_the_programme),
        ];
        let mut reached = std::collections::BTreeSet::new();
        for (outsider, owners) in &outsiders {
            app.logout_locally();
            app.login(&outsider.email).await;
            let token = app.token_for(outsider).await;
            for route in routes::table() {
                let Some((prefix, id)) = owner(route.path, owners) else { continue };
                if route.access == Access::Public {
                    continue;
                }
                let path = filled(route.path, id);
                let response = if route.path.starts_with("/api/") {
                    app.api_send(route.method.clone(), &path, Some(&token), serde_json::json!({})).await
                } else if route.method == Method::GET {
                    app.get(&path).await
                } else {
                    let form = app.post(&path, &[]).await;
                    if matches!(form.status, StatusCode::BAD_REQUEST | StatusCode::UNSUPPORTED_MEDIA_TYPE) {
                        // An upload route takes only a multipart body: send it one.
                        let csrf = app.csrf().await;
                        app.upload(&path, &[("csrf_token", &csrf)], "nota.txt", b"nota").await
                    } else {
                        form
                    }
                };
                let what = format!("{} {} {}: {} {}", outsider.email, route.method, route.path, response.status, response.body);
                if readable(&route.method, route.path) {
                    assert_eq!(response.status, StatusCode::OK, "{what}");
                } else {
                    assert!(matches!(response.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{what}");
                }
                reached.insert(prefix);
            }
        }
        assert_eq!(reached.len(), of_the_programme.len(), "every kind of record was tried: {reached:?}");

        // The refusals are the scope's: the coordination of A's programme gets none of them on the
        // pages that need no more than the record.
        app.logout_locally();
        app.login(&coordinator.email).await;
        for route in routes::table() {
            let Some((_, id)) = owner(route.path, &of_the_programme) else { continue };
            let path = filled(route.path, id);
            if route.method != Method::GET || route.path.starts_with("/api/") || path.contains("00000000-0000") {
                continue;
            }
            let response = app.get(&path).await;
            assert!(
                !matches!(response.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
                "coordination GET {}: {}",
                route.path,
                response.status
            );
        }
    }
}
