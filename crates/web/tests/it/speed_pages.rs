//! Pages that stay fast as the data grows (issue 6, decision 0037): the audit view counts up to a
//! limit, and "my meetings" finds every way a person is concerned by a meeting in one set. (The
//! translations' table is checked and measured by `benches/i18n.rs`.)

use crate::app_tests;
use crate::harness::TestApp;
use axum::http::StatusCode;
use reti_domain::Role;
use reti_store::Actor;
use reti_store::audit::COUNT_LIMIT;
use reti_store::meetings::InviteeKind;

/// Writes audit entries `from + 1` to `from + n` of the test's programme, at one instant, straight
/// into the log.
async fn audit_entries(app: &TestApp, from: i64, n: i64) {
    sqlx::query(
        "WITH RECURSIVE seq(i) AS (SELECT CAST($1 AS BIGINT) + 1 UNION ALL SELECT i + 1 FROM seq WHERE i < $1 + $2)
         INSERT INTO audit_log (id, at, actor_label, programme_id, action, entity)
         SELECT 'bulk-' || CAST(i AS TEXT), '2026-01-01T10:00:00.000000Z', 'cli', $3, 'update', 'network' FROM seq",
    )
    .bind(from)
    .bind(n)
    .bind(&app.programme_id)
    .execute(app.db.pool())
    .await
    .unwrap();
}

/// A network led by an organisation of its own; returns both ids.
async fn network(app: &TestApp, name: &str, tax_code: &str) -> (String, String) {
    let lead = app.organisation(&format!("Capofila di {name}"), tax_code).await;
    (app.network(name).lead(&lead).create().await.id, lead)
}

app_tests! {
    async fn the_audit_view_counts_up_to_its_limit_and_pages_on(app: TestApp) {
        let coordinator = app.user().role(Role::Coordinator).create().await;
        app.login(&coordinator.email).await;
        audit_entries(&app, 0, 60).await;
        let page = app.get("/audit?lang=en").await;
        assert_eq!(page.status, StatusCode::OK);
        let exact = reti_store::audit::Filter { programmes: Some(vec![app.programme_id.clone()]), ..Default::default() };
        let counted = app.db.audit_entries(&exact, 50, 0).await.unwrap();
        assert!(!counted.more);
        assert!(page.body.contains(&format!("{} changes found.", counted.total)), "{}", page.body);
        assert!(page.body.contains("page=2"), "a second page");

        audit_entries(&app, 60, COUNT_LIMIT).await;
        let counted = app.db.audit_entries(&exact, 50, 0).await.unwrap();
        assert!(counted.more, "past the limit");
        assert_eq!(counted.total, COUNT_LIMIT);
        assert_eq!(counted.entries.len(), 50);
        let page = app.get("/audit?lang=en").await;
        assert!(page.body.contains(&format!("More than {COUNT_LIMIT} changes found.")), "{}", page.body);
        assert!(page.body.contains("page=2"));
        // A page past the count's limit still shows its entries and leads on.
        let deep = app.get(&format!("/audit?page={}", COUNT_LIMIT / 50 + 1)).await;
        assert_eq!(deep.status, StatusCode::OK);
        assert!(deep.body.contains(&format!("page={}", COUNT_LIMIT / 50 + 2)), "{}", deep.body);
    }

    async fn my_meetings_include_invitations_through_organisation_and_network(app: TestApp) {
        let (alfa, lead) = network(&app, "Rete Alfa", "00743110157").await;
        let (beta, _) = network(&app, "Rete Beta", "01199250158").await;
        let user = app.user().create().await;
        let person = app.person("Dora Neri").email(&user.email).works_for(&lead).create().await;
        let by_organisation = app.meeting(&beta, "Per l'ente").invite(InviteeKind::Organisation, &lead).create().await;
        let by_network = app.meeting(&beta, "Per la rete").invite(InviteeKind::Network, &alfa).create().await;
        let cancelled = app.meeting(&beta, "Iscrizione annullata").create().await;
        let other = app.meeting(&beta, "Di altri").invite(InviteeKind::Network, &beta).create().await;
        app.db.register(&Actor::cli(), &cancelled, &person).await.unwrap();
        app.db.cancel_registration(&Actor::cli(), &cancelled, &person).await.unwrap();
        app.login(&user.email).await;
        let home = app.get("/").await;
        assert_eq!(home.status, StatusCode::OK);
        assert!(home.body.contains(&format!("/meetings/{by_organisation}")), "through the organisation: {}", home.body);
        assert!(home.body.contains(&format!("/meetings/{by_network}")), "through the organisation's network");
        assert!(!home.body.contains(&format!("/meetings/{cancelled}")), "a cancelled registration");
        assert!(!home.body.contains(&format!("/meetings/{other}")), "another network's meeting");

        // Working on the network (an assignment) shows its own meetings.
        app.db.assign_to_network(&Actor::cli(), &user.id, &beta, Role::NetworkMember).await.unwrap();
        let home = app.get("/").await;
        assert!(home.body.contains(&format!("/meetings/{other}")), "the assigned network's meeting");
    }

    async fn people_show_the_organisations_they_work_for(app: TestApp) {
        let coordinator = app.user().role(Role::Coordinator).create().await;
        let (_, lead) = network(&app, "Rete Alfa", "00743110157").await;
        app.person("Dora Neri").works_for(&lead).create().await;
        app.login(&coordinator.email).await;
        let people = app.get("/people").await;
        assert_eq!(people.status, StatusCode::OK);
        assert!(people.body.contains("Capofila di Rete Alfa"), "{}", people.body);
    }
}
