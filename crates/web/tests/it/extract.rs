//! The access extractors on their own: a tiny router whose handlers only take an extractor, with
//! the request context set by the test, so that each refusal is the extractor's and nothing else's.

use crate::app_tests;
use crate::harness::TestApp;
use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::routing::get;
use reti_domain::{Locale, NetworkStatus, Role};
use reti_store::Actor;
use reti_store::registry::networks::{Network, NetworkInput};
use reti_store::registry::projects::ProjectInput;
use reti_store::users::User;
use reti_web::context::{Identity, RequestContext};
use reti_web::extract::{
    CoordinatedProgramme, Coordination, CurrentUser, Manage, NetworkAt, Private, ProjectAt, Public,
};
use reti_web::{AppState, WebConfig};
use tower::ServiceExt;

/// The identity the request context loads, from the same single roles statement.
async fn identity(app: &TestApp, user: &User) -> Identity {
    let (assignments, networks) = app.db.roles(&user.id).await.unwrap();
    Identity { user: user.clone(), assignments, networks }
}

/// A router with one route per extractor, where every request is made by `who`.
fn probe(app: &TestApp, data_dir: &std::path::Path, who: Option<Identity>) -> Router {
    let context = RequestContext {
        identity: who,
        locale: Locale::It,
        csrf: None,
        programme_name: String::new(),
        path: String::new(),
        client_ip: "127.0.0.1".into(),
        unread_notifications: 0,
        mfa_setup_due: false,
    };
    let state = AppState::new(app.db.clone(), WebConfig::new("http://reti.test", data_dir.to_path_buf()));
    Router::new()
        .route("/user", get(|user: CurrentUser| async move { user.user.email.to_string() }))
        .route("/coordination", get(|_: Coordination| async { "ok" }))
        .route("/public/{id}", get(|n: NetworkAt<Public>| async move { format!("{:?}", n.access) }))
        .route("/private/{id}", get(|n: NetworkAt<Private>| async move { format!("{:?}", n.access) }))
        .route("/manage/{id}", get(|n: NetworkAt<Manage>| async move { format!("{:?}", n.network.name) }))
        .route("/programme/{id}", get(|p: CoordinatedProgramme| async move { p.programme.code }))
        .route("/project/{id}", get(|p: ProjectAt<Private>| async move { format!("{:?}", p.access) }))
        .route("/project/{id}/manage", get(|p: ProjectAt<Manage>| async move { p.project.title }))
        .layer(middleware::from_fn(move |mut request: Request, next: Next| {
            request.extensions_mut().insert(context.clone());
            next.run(request)
        }))
        .with_state(state)
}

async fn status(router: &Router, path: &str) -> (StatusCode, String) {
    let response = router.clone().oneshot(Request::get(path).body(Body::empty()).unwrap()).await.unwrap();
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
    (status, String::from_utf8_lossy(&body).into_owned())
}

async fn network(app: &TestApp, programme_id: &str) -> Network {
    let input = NetworkInput {
        programme_id: programme_id.into(),
        name: "Rete Sonda".into(),
        description: String::new(),
        maturity: None,
        status: NetworkStatus::Active,
        municipality_codes: vec!["015146".into()],
        action_line_ids: Vec::new(),
    };
    app.db.create_network(&Actor::cli(), &input).await.unwrap()
}

/// A local project of `network`, with its id.
async fn project(app: &TestApp, network: &Network) -> String {
    let input = ProjectInput {
        title: "Progetto Sonda".into(),
        description: String::new(),
        budget_cents: None,
        starts_on: None,
        ends_on: None,
        action_line_ids: Vec::new(),
    };
    app.db.create_project(&Actor::cli(), &network.id, &input).await.unwrap().id
}

app_tests! {
    async fn nobody_logged_in_is_unauthorized(app: TestApp) {
        let dir = tempfile::tempdir().unwrap();
        let net = network(&app, &app.programme_id).await;
        let router = probe(&app, dir.path(), None);
        for path in ["/user".to_owned(), "/coordination".to_owned(), format!("/public/{}", net.id), format!("/manage/{}", net.id)] {
            assert_eq!(status(&router, &path).await.0, StatusCode::UNAUTHORIZED, "{path}");
        }
    }

    async fn a_plain_user_sees_only_the_public_profile(app: TestApp) {
        let dir = tempfile::tempdir().unwrap();
        let net = network(&app, &app.programme_id).await;
        let user = app.user().create().await;
        let router = probe(&app, dir.path(), Some(identity(&app, &user).await));
        assert_eq!(status(&router, "/user").await, (StatusCode::OK, user.email.to_string()));
        assert_eq!(status(&router, "/coordination").await.0, StatusCode::FORBIDDEN);
        assert_eq!(status(&router, &format!("/public/{}", net.id)).await, (StatusCode::OK, "Public".into()));
        assert_eq!(status(&router, &format!("/private/{}", net.id)).await.0, StatusCode::FORBIDDEN);
        assert_eq!(status(&router, &format!("/manage/{}", net.id)).await.0, StatusCode::FORBIDDEN);
        assert_eq!(status(&router, "/public/no-such-network").await.0, StatusCode::NOT_FOUND);
    }

    async fn a_network_member_reads_but_does_not_manage(app: TestApp) {
        let dir = tempfile::tempdir().unwrap();
        let net = network(&app, &app.programme_id).await;
        let user = app.user().create().await;
        app.db.assign_to_network(&Actor::cli(), &user.id, &net.id, Role::NetworkMember).await.unwrap();
        let router = probe(&app, dir.path(), Some(identity(&app, &user).await));
        assert_eq!(status(&router, &format!("/private/{}", net.id)).await, (StatusCode::OK, "Private".into()));
        assert_eq!(status(&router, &format!("/manage/{}", net.id)).await.0, StatusCode::FORBIDDEN);
    }

    async fn a_coordinator_manages_only_their_programmes_networks(app: TestApp) {
        let dir = tempfile::tempdir().unwrap();
        let other = app.db.create_programme(&Actor::cli(), "PROG-9999", "Altro programma").await.unwrap().id;
        let ours = network(&app, &app.programme_id).await;
        let theirs = network(&app, &other).await;
        let coordinator = app.user().role(Role::Coordinator).create().await;
        let router = probe(&app, dir.path(), Some(identity(&app, &coordinator).await));
        assert_eq!(status(&router, "/coordination").await.0, StatusCode::OK);
        assert_eq!(status(&router, &format!("/manage/{}", ours.id)).await.0, StatusCode::OK);
        assert_eq!(status(&router, &format!("/manage/{}", theirs.id)).await.0, StatusCode::FORBIDDEN);
        assert_eq!(status(&router, &format!("/public/{}", theirs.id)).await, (StatusCode::OK, "Public".into()));
    }

    async fn the_administrator_passes_every_extractor(app: TestApp) {
        let dir = tempfile::tempdir().unwrap();
        let other = app.db.create_programme(&Actor::cli(), "PROG-9999", "Altro programma").await.unwrap().id;
        let net = network(&app, &other).await;
        let admin = app.user().admin().create().await;
        let router = probe(&app, dir.path(), Some(identity(&app, &admin).await));
        assert_eq!(status(&router, "/coordination").await.0, StatusCode::OK);
        assert_eq!(status(&router, &format!("/private/{}", net.id)).await, (StatusCode::OK, "Manage".into()));
        assert_eq!(status(&router, &format!("/manage/{}", net.id)).await, (StatusCode::OK, "\"Rete Sonda\"".into()));
    }

    async fn a_project_is_reached_through_its_network(app: TestApp) {
        let dir = tempfile::tempdir().unwrap();
        let net = network(&app, &app.programme_id).await;
        let id = project(&app, &net).await;
        let outsider = app.user().create().await;
        let router = probe(&app, dir.path(), Some(identity(&app, &outsider).await));
        assert_eq!(status(&router, &format!("/project/{id}")).await.0, StatusCode::FORBIDDEN, "a project is private to its network");
        assert_eq!(status(&router, "/project/no-such-project").await.0, StatusCode::NOT_FOUND);
        let member = app.user().create().await;
        app.db.assign_to_network(&Actor::cli(), &member.id, &net.id, Role::NetworkMember).await.unwrap();
        let router = probe(&app, dir.path(), Some(identity(&app, &member).await));
        assert_eq!(status(&router, &format!("/project/{id}")).await, (StatusCode::OK, "Private".into()));
        assert_eq!(status(&router, &format!("/project/{id}/manage")).await.0, StatusCode::FORBIDDEN);
        let lead = app.user().create().await;
        app.db.assign_to_network(&Actor::cli(), &lead.id, &net.id, Role::NetworkLead).await.unwrap();
        let router = probe(&app, dir.path(), Some(identity(&app, &lead).await));
        assert_eq!(status(&router, &format!("/project/{id}/manage")).await, (StatusCode::OK, "Progetto Sonda".into()));
        let router = probe(&app, dir.path(), None);
        assert_eq!(status(&router, &format!("/project/{id}")).await.0, StatusCode::UNAUTHORIZED);
    }

    async fn a_programme_is_changed_only_by_its_coordination(app: TestApp) {
        let dir = tempfile::tempdir().unwrap();
        let other = app.db.create_programme(&Actor::cli(), "PROG-9999", "Altro programma").await.unwrap().id;
        let coordinator = app.user().role(Role::Coordinator).create().await;
        let router = probe(&app, dir.path(), Some(identity(&app, &coordinator).await));
        assert_eq!(status(&router, &format!("/programme/{}", app.programme_id)).await, (StatusCode::OK, "PROG-2463".into()));
        assert_eq!(status(&router, &format!("/programme/{other}")).await.0, StatusCode::FORBIDDEN);
        assert_eq!(status(&router, "/programme/no-such-programme").await.0, StatusCode::NOT_FOUND);
        let lead = app.user().role(Role::NetworkLead).create().await;
        let router = probe(&app, dir.path(), Some(identity(&app, &lead).await));
        assert_eq!(status(&router, &format!("/programme/{}", app.programme_id)).await.0, StatusCode::FORBIDDEN);
    }
}
