//! Meetings (issue 7) on both engines: scheduling in Europe/Rome across the changes of time,
//! series, registrations with a waiting list, the attendance register with walk-ins, sign-off,
//! corrections and its hash, minutes, attachments, actions, the `.ics` parsed back, the API, and
//! isolation between networks. Every "bad input" of the issue is refused naming its field, with
//! nothing half-saved.

use crate::app_tests;
use crate::harness::{TestApp, TestResponse};
use axum::http::{Method, StatusCode, header};
use icalendar::Component;
use reti_domain::Role;
use reti_store::registry::networks::Network;
use reti_store::users::User;
use serde_json::json;

/// A network with a member organisation and two people working there, a facilitator assigned to
/// it, and a member whose account matches the first person by e-mail.
struct World {
    network: Network,
    anna: String,
    bruno: String,
    outsider: String,
    facilitator: User,
    member: User,
}

async fn world(app: &TestApp) -> World {
    let organisation = app.organisation("Cooperativa Alfa", "00743110157").await;
    let network = app.network("Rete Alfa").lead(&organisation).create().await;
    let member = app.user().role(Role::NetworkMember).on_network(&network.id, Role::NetworkMember).create().await;
    let anna = app.person("Anna Rossi").email(&member.email).works_for(&organisation).create().await;
    let bruno = app.person("Bruno Bianchi").email("bruno@alfa.it").works_for(&organisation).create().await;
    let outsider = app.person("Carla Verdi").email("carla@altrove.it").create().await;
    let facilitator = app.user().role(Role::Facilitator).on_network(&network.id, Role::Facilitator).create().await;
    World { network, anna, bruno, outsider, facilitator, member }
}

fn meeting_fields<'a>(overrides: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("title", "Incontro di accompagnamento"),
        ("kind", "accompaniment"),
        ("mode", "in_presenza"),
        ("place", "Sala consiliare, Como"),
        ("starts_at", "2026-05-12T10:00"),
        ("ends_at", "2026-05-12T12:00"),
        ("agenda", "1. Presentazioni\n2. Matrice"),
        ("registration_open", "1"),
        ("invite_network", "1"),
    ];
    for (key, value) in overrides {
        fields.retain(|(k, _)| k != key);
        fields.push((key, value));
    }
    fields
}

/// Schedules a meeting through the form as the facilitator; returns its id.
async fn schedule(app: &TestApp, world: &World, overrides: &[(&str, &str)]) -> String {
    app.login(&world.facilitator.email).await;
    let response = app.post(&format!("/networks/{}/meetings", world.network.id), &meeting_fields(overrides)).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    response.location().trim_start_matches("/meetings/").to_owned()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(app.db.pool()).await.unwrap()
}

fn assert_refused(response: &TestResponse, label: &str) {
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", response.body);
    assert!(response.body.contains(label), "the message names «{label}»: {}", response.body);
}

app_tests! {
    async fn a_meeting_is_scheduled_in_rome_time_and_shown_in_it(app: TestApp) {
        let world = world(&app).await;
        let id = schedule(&app, &world, &[]).await;
        let stored: String = sqlx::query_scalar("SELECT starts_at FROM meetings WHERE id = $1").bind(&id).fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(stored, "2026-05-12T08:00:00Z", "summer time: UTC+2");
        let page = app.get(&format!("/meetings/{id}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("12/05/2026 10:00 – 12:00"), "{}", page.body);
        let calendar = app.get(&format!("/networks/{}/meetings?month=2026-05", world.network.id)).await;
        assert!(calendar.body.contains("10:00 Incontro di accompagnamento"), "{}", calendar.body);
        let list = app.get(&format!("/networks/{}/meetings?view=list&month=2026-05", world.network.id)).await;
        assert!(list.body.contains(&format!("/meetings/{id}")));
        let audit = count(&app, "SELECT COUNT(*) FROM audit_log WHERE entity = 'meeting' AND action = 'create'").await;
        assert_eq!(audit, 1);
    }

    async fn bad_times_are_refused_naming_the_field_and_nothing_is_saved(app: TestApp) {
        let world = world(&app).await;
        app.login(&world.facilitator.email).await;
        let path = format!("/networks/{}/meetings", world.network.id);
        let end_first = app.post(&path, &meeting_fields(&[("ends_at", "2026-05-12T09:00")])).await;
        assert_refused(&end_first, "«Fine» viene prima");
        // 29 March 2026, 02:30 does not exist in Italy.
        let gap = app.post(&path, &meeting_fields(&[("starts_at", "2026-03-29T02:30"), ("ends_at", "2026-03-29T04:00")])).await;
        assert_refused(&gap, "del campo «Inizio» non esiste");
        // A series whose later meeting would fall in the gap is refused whole.
        let series = app.post(&path, &meeting_fields(&[
            ("starts_at", "2026-03-22T02:30"), ("ends_at", "2026-03-22T03:30"), ("repeat", "weekly"), ("repeat_count", "3"),
        ])).await;
        assert_refused(&series, "«Inizio»");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM meetings").await, 0);
        // The autumn hour that happens twice is the first one (summer time).
        let id = schedule(&app, &world, &[("starts_at", "2026-10-25T02:30"), ("ends_at", "2026-10-25T04:00")]).await;
        let stored: String = sqlx::query_scalar("SELECT starts_at FROM meetings WHERE id = $1").bind(&id).fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(stored, "2026-10-25T00:30:00Z");
        // In English too.
        let english = app.post(&format!("{path}?lang=en"), &meeting_fields(&[("ends_at", "2026-05-12T09:00")])).await;
        assert_refused(&english, "“End” is before the start");
    }

    async fn a_series_shares_its_id_and_keeps_its_wall_clock_time(app: TestApp) {
        let world = world(&app).await;
        let first = schedule(&app, &world, &[
            ("starts_at", "2026-03-17T10:00"), ("ends_at", "2026-03-17T11:30"), ("repeat", "weekly"), ("repeat_count", "3"),
        ]).await;
        let rows: Vec<(String, Option<String>)> = sqlx::query_as("SELECT starts_at, series_id FROM meetings ORDER BY starts_at")
            .fetch_all(app.db.pool()).await.unwrap();
        let starts: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(starts, ["2026-03-17T09:00:00Z", "2026-03-24T09:00:00Z", "2026-03-31T08:00:00Z"]);
        assert!(rows.iter().all(|r| r.1.is_some() && r.1 == rows[0].1), "one series id");
        assert!(app.get(&format!("/meetings/{first}")).await.body.contains("17/03/2026 10:00"));
    }

    async fn past_capacity_goes_to_the_waiting_list_and_a_cancellation_promotes_the_next(app: TestApp) {
        let world = world(&app).await;
        let id = schedule(&app, &world, &[("capacity", "1")]).await;
        let path = format!("/meetings/{id}/registrations");
        let first = app.post(&path, &[("person_id", world.bruno.as_str())]).await;
        assert_eq!(first.status, StatusCode::SEE_OTHER);
        let second = app.post(&path, &[("person_id", world.outsider.as_str())]).await;
        assert_eq!(second.status, StatusCode::SEE_OTHER);
        let page = app.get(&format!("/meetings/{id}")).await;
        assert!(page.body.contains("I posti sono esauriti: iscrizione in lista d&#39;attesa") || page.body.contains("lista d&#x27;attesa"), "{}", page.body);
        let status = |person: String| {
            let app = &app;
            let id = id.clone();
            async move {
                sqlx::query_scalar::<_, String>("SELECT status FROM meeting_registrations WHERE meeting_id = $1 AND person_id = $2")
                    .bind(&id).bind(&person).fetch_one(app.db.pool()).await.unwrap()
            }
        };
        assert_eq!(status(world.outsider.clone()).await, "waiting");
        let cancel = app.post(&format!("/meetings/{id}/registrations/{}/cancel", world.bruno), &[]).await;
        assert_eq!(cancel.status, StatusCode::SEE_OTHER);
        assert_eq!(status(world.outsider.clone()).await, "registered", "the next in line is promoted");
        assert_eq!(status(world.bruno.clone()).await, "cancelled");
        // A member registers themselves, and only themselves.
        app.login(&world.member.email).await;
        let own = app.post(&path, &[("person_id", world.anna.as_str())]).await;
        assert_eq!(own.status, StatusCode::SEE_OTHER);
        assert_eq!(status(world.anna.clone()).await, "waiting");
        let other = app.post(&path, &[("person_id", world.bruno.as_str())]).await;
        assert_eq!(other.status, StatusCode::FORBIDDEN);
    }

    async fn the_register_flags_walk_ins_locks_on_sign_off_and_logs_corrections(app: TestApp) {
        let world = world(&app).await;
        let id = schedule(&app, &world, &[]).await;
        let page = app.get(&format!("/meetings/{id}")).await;
        assert!(page.body.contains("Anna Rossi") && page.body.contains("Bruno Bianchi"), "the network's people are invited");
        let path = format!("/meetings/{id}/attendance");
        // A bad line refuses the whole form.
        let bad = app.post(&path, &[
            ("person[0]", world.anna.as_str()), ("present[0]", "1"), ("minutes[0]", "90"),
            ("person[1]", world.bruno.as_str()), ("present[1]", "1"), ("minutes[1]", "500"),
        ]).await;
        assert_refused(&bad, "«Minuti di presenza»");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM meeting_attendance").await, 0);
        let saved = app.post(&path, &[
            ("person[0]", world.anna.as_str()), ("present[0]", "1"), ("minutes[0]", "90"), ("role[0]", "referente"),
            ("person[1]", world.bruno.as_str()), ("minutes[1]", ""),
            ("walk_in_person", world.outsider.as_str()), ("walk_in_minutes", "60"),
        ]).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let walk_in: i64 = sqlx::query_scalar("SELECT walk_in FROM meeting_attendance WHERE person_id = $1")
            .bind(&world.outsider).fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(walk_in, 1, "someone not invited is a flagged walk-in");
        let page = app.get(&format!("/meetings/{id}")).await;
        assert!(page.body.contains("non invitato"), "the walk-in is shown");

        let sign = app.post(&format!("/meetings/{id}/sign"), &[]).await;
        assert_eq!(sign.status, StatusCode::SEE_OTHER);
        let hash: String = sqlx::query_scalar("SELECT register_hash FROM meetings WHERE id = $1").bind(&id).fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(hash.len(), 64);
        let page = app.get(&format!("/meetings/{id}/register")).await;
        assert!(page.body.contains(&hash) && page.body.contains("Anna Rossi"), "the printable register shows the hash");
        assert!(!page.body.contains("modificato dopo la firma"));

        // Locked: a change needs a reason.
        let no_reason = app.post(&path, &[("person[0]", world.anna.as_str()), ("present[0]", "1"), ("minutes[0]", "100")]).await;
        assert_refused(&no_reason, "«Motivo della correzione» è obbligatorio");
        let minutes: i64 = sqlx::query_scalar("SELECT minutes_attended FROM meeting_attendance WHERE person_id = $1")
            .bind(&world.anna).fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(minutes, 90, "nothing changed");
        let corrected = app.post(&path, &[
            ("person[0]", world.anna.as_str()), ("present[0]", "1"), ("minutes[0]", "100"), ("reason", "Uscita alle 11:40, non alle 11:30"),
        ]).await;
        assert_eq!(corrected.status, StatusCode::SEE_OTHER, "{}", corrected.body);
        let new_hash: String = sqlx::query_scalar("SELECT register_hash FROM meetings WHERE id = $1").bind(&id).fetch_one(app.db.pool()).await.unwrap();
        assert_ne!(new_hash, hash, "the hash covers the corrected register");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM meeting_register_corrections").await, 1);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'correct_attendance' AND after_json LIKE '%Uscita alle 11:40%'").await, 1);
        let page = app.get(&format!("/meetings/{id}")).await;
        assert!(page.body.contains("Uscita alle 11:40"), "the correction is listed");

        // A change behind the application's back is detected.
        sqlx::query("UPDATE meeting_attendance SET minutes_attended = 5 WHERE person_id = $1").bind(&world.anna).execute(app.db.pool()).await.unwrap();
        let page = app.get(&format!("/meetings/{id}/register")).await;
        assert!(page.body.contains("modificato dopo la firma"), "{}", page.body);
        // Signing twice is a conflict.
        assert_eq!(app.post(&format!("/meetings/{id}/sign"), &[]).await.status, StatusCode::CONFLICT);
    }

    async fn attachments_are_checked_by_type_and_size(app: TestApp) {
        let world = world(&app).await;
        let id = schedule(&app, &world, &[]).await;
        let path = format!("/meetings/{id}/attachments");
        let token = app.csrf().await;
        let wrong = app.upload(&path, &[("csrf_token", &token)], "programma.exe", b"MZ\x90\x00 not a document").await;
        assert_refused(&wrong, "«File» non è di un tipo ammesso");
        let disguised = app.upload(&path, &[("csrf_token", &token)], "verbale.pdf", b"MZ\x90\x00 not a pdf").await;
        assert_refused(&disguised, "non è di un tipo ammesso");
        let big = vec![b'a'; (reti_domain::meetings::MAX_ATTACHMENT_BYTES + 1) as usize];
        let large = app.upload(&path, &[("csrf_token", &token)], "note.txt", &big).await;
        assert_refused(&large, "«File» supera i 10 MB");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM meeting_attachments").await, 0);
        let ok = app.upload(&path, &[("csrf_token", &token)], "../verbale.pdf", b"%PDF-1.7\n%test\n").await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let page = app.get(&format!("/meetings/{id}")).await;
        let link = crate::harness::link_in(&page.body.replace('"', " "), &format!("/meetings/{id}/attachments/"));
        let download = app.get(&link).await;
        assert_eq!(download.status, StatusCode::OK);
        assert_eq!(download.bytes, b"%PDF-1.7\n%test\n");
        assert_eq!(download.headers.get(header::CONTENT_TYPE).unwrap(), "application/pdf");
        assert!(download.headers.get(header::CONTENT_DISPOSITION).unwrap().to_str().unwrap().contains("filename=\"verbale.pdf\""));
    }

    async fn minutes_render_markdown_and_no_raw_html(app: TestApp) {
        let world = world(&app).await;
        let id = schedule(&app, &world, &[]).await;
        let saved = app.post(&format!("/meetings/{id}/minutes"), &[(
            "minutes", "## Decisioni\n\n- **calendario** approvato\n\n<script>alert(1)</script><img src=x onerror=alert(1)> [x](javascript:alert(1))",
        )]).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
        let page = app.get(&format!("/meetings/{id}")).await;
        assert!(page.body.contains("<h2>Decisioni</h2>") && page.body.contains("<strong>calendario</strong>"), "{}", page.body);
        assert!(!page.body.contains("<script>alert") && !page.body.contains("<img") && !page.body.contains("href=\"javascript"), "{}", page.body);
    }

    async fn follow_up_actions_need_an_owner_and_change_status(app: TestApp) {
        let world = world(&app).await;
        let id = schedule(&app, &world, &[]).await;
        let path = format!("/meetings/{id}/actions");
        let missing = app.post(&path, &[("action_kind", "action"), ("description", "Inviare il verbale"), ("due_on", "2026-05-20")]).await;
        assert_refused(&missing, "«Responsabile» è obbligatorio");
        let added = app.post(&path, &[("action_kind", "action"), ("description", "Inviare il verbale"), ("owner", "Anna Rossi"), ("due_on", "2026-05-20")]).await;
        assert_eq!(added.status, StatusCode::SEE_OTHER);
        let action_id: String = sqlx::query_scalar("SELECT id FROM meeting_actions").fetch_one(app.db.pool()).await.unwrap();
        let done = app.post(&format!("/meetings/{id}/actions/{action_id}/status"), &[("status", "done")]).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER);
        let page = app.get(&format!("/meetings/{id}")).await;
        assert!(page.body.contains("20/05/2026") && page.body.contains("Inviare il verbale"));
        let status: String = sqlx::query_scalar("SELECT status FROM meeting_actions").fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(status, "done");
    }

    async fn the_ics_parses_back_with_its_time_zone_and_a_stable_uid(app: TestApp) {
        let world = world(&app).await;
        let id = schedule(&app, &world, &[("starts_at", "2026-01-20T17:30"), ("ends_at", "2026-01-20T19:00")]).await;
        let file = app.get(&format!("/meetings/{id}/calendar.ics")).await;
        assert_eq!(file.status, StatusCode::OK);
        assert!(file.headers.get(header::CONTENT_TYPE).unwrap().to_str().unwrap().starts_with("text/calendar"));
        let calendar: icalendar::Calendar = file.body.parse().expect("a calendar a real parser reads");
        let event = calendar.events().next().expect("one event");
        assert_eq!(event.get_uid(), Some(format!("{id}@reti").as_str()));
        assert_eq!(event.get_summary(), Some("Incontro di accompagnamento"));
        let start = event.get_start().expect("a start");
        assert!(format!("{start:?}").contains("Europe/Rome"), "{start:?}");
        assert!(file.body.contains("DTSTART;TZID=Europe/Rome:20260120T173000"), "{}", file.body);
        assert!(file.body.contains("BEGIN:VTIMEZONE") && file.body.contains("TZID:Europe/Rome"));
        assert_eq!(event.property_value("SEQUENCE"), Some("0"));
        // Changed, then cancelled: same UID, a higher sequence, METHOD:CANCEL.
        let edited = app.post(&format!("/meetings/{id}"), &meeting_fields(&[("starts_at", "2026-01-20T18:00"), ("ends_at", "2026-01-20T19:00")])).await;
        assert_eq!(edited.status, StatusCode::SEE_OTHER, "{}", edited.body);
        app.post(&format!("/meetings/{id}/cancel"), &[]).await;
        let file = app.get(&format!("/meetings/{id}/calendar.ics")).await;
        let calendar: icalendar::Calendar = file.body.parse().unwrap();
        let event = calendar.events().next().unwrap();
        assert_eq!(event.get_uid(), Some(format!("{id}@reti").as_str()));
        assert_eq!(event.property_value("SEQUENCE"), Some("2"));
        assert_eq!(calendar.property_value("METHOD"), Some("CANCEL"));
        assert_eq!(event.property_value("STATUS"), Some("CANCELLED"));
    }

    async fn networks_see_only_their_own_meetings(app: TestApp) {
        let world = world(&app).await;
        let id = schedule(&app, &world, &[("starts_at", "2099-05-12T10:00"), ("ends_at", "2099-05-12T12:00")]).await;
        let other_organisation = app.organisation("Associazione Beta", "01234567897").await;
        let other = app.network("Rete Beta").lead(&other_organisation).create().await;
        let stranger = app.user().role(Role::NetworkMember).on_network(&other.id, Role::NetworkMember).create().await;
        app.login(&stranger.email).await;
        for path in [
            format!("/meetings/{id}"), format!("/meetings/{id}/calendar.ics"), format!("/meetings/{id}/register"),
            format!("/networks/{}/meetings", world.network.id),
        ] {
            assert_eq!(app.get(&path).await.status, StatusCode::FORBIDDEN, "{path}");
        }
        assert_eq!(app.post(&format!("/meetings/{id}/registrations"), &[("person_id", world.bruno.as_str())]).await.status, StatusCode::FORBIDDEN);
        let token = app.token_for(&stranger).await;
        let listed = app.api_get("/api/v1/meetings", Some(&token)).await;
        assert_eq!(listed.json()["total"], 0);
        assert_eq!(app.api_get(&format!("/api/v1/meetings/{id}"), Some(&token)).await.status, StatusCode::FORBIDDEN);
        // A member sees, but does not manage.
        app.login(&world.member.email).await;
        assert_eq!(app.get(&format!("/meetings/{id}")).await.status, StatusCode::OK);
        assert_eq!(app.get(&format!("/meetings/{id}/edit")).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.post(&format!("/meetings/{id}/sign"), &[]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.get(&format!("/networks/{}/meetings/new", world.network.id)).await.status, StatusCode::FORBIDDEN);
        // The member's home lists the meeting (invited through the network).
        let home = app.get("/").await;
        assert!(home.body.contains(&format!("/meetings/{id}")), "my meetings on the home page");
    }

    async fn the_api_schedules_registers_and_records_attendance(app: TestApp) {
        let world = world(&app).await;
        let token = app.token_for(&world.facilitator).await;
        let body = json!({
            "network_id": world.network.id, "title": "Webinar sulla co-progettazione", "kind": "webinar", "mode": "webinar",
            "link": "https://meet.example.org/webinar", "starts_at": "2026-11-10T15:00", "ends_at": "2026-11-10T16:30",
            "capacity": 1, "invitees": [{"kind": "person", "id": world.bruno}],
        });
        let created = app.api_send(Method::POST, "/api/v1/meetings", Some(&token), body.clone()).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let meeting = &created.json()[0];
        let id = meeting["id"].as_str().unwrap().to_owned();
        assert_eq!(meeting["starts_at"], "2026-11-10T14:00:00Z");
        assert_eq!(meeting["starts_local"], "2026-11-10T15:00:00+01:00");
        assert_eq!(meeting["ics_url"], format!("http://reti.test/meetings/{id}/calendar.ics"));
        assert_eq!(meeting["mode"], "webinar");

        let mut wrong = body.clone();
        wrong["ends_at"] = json!("2026-11-10T14:00");
        wrong["mode"] = json!("online");
        let refused = app.api_send(Method::POST, "/api/v1/meetings", Some(&token), wrong).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<String> = refused.json()["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap().to_owned()).collect();
        assert!(fields.contains(&"mode".to_owned()), "{fields:?}");

        let listed = app.api_get(&format!("/api/v1/meetings?network={}&from=2026-11-01&to=2026-12-01", world.network.id), Some(&token)).await;
        assert_eq!(listed.json()["total"], 1, "{}", listed.body);
        let none = app.api_get("/api/v1/meetings?from=2026-12-01", Some(&token)).await;
        assert_eq!(none.json()["total"], 0);
        let bad_from = app.api_get("/api/v1/meetings?from=domani", Some(&token)).await;
        assert_eq!(bad_from.status, StatusCode::UNPROCESSABLE_ENTITY);

        let registrations = format!("/api/v1/meetings/{id}/registrations");
        let first = app.api_send(Method::POST, &registrations, Some(&token), json!({"person_id": world.bruno})).await;
        assert_eq!(first.json()["status"], "registered");
        let second = app.api_send(Method::POST, &registrations, Some(&token), json!({"person_id": world.anna})).await;
        assert_eq!(second.json()["status"], "waiting");
        let cancelled = app.api_send(Method::DELETE, &format!("/api/v1/meetings/{id}/registrations/{}", world.bruno), Some(&token), json!({})).await;
        assert_eq!(cancelled.json()["promoted_person_id"], world.anna.as_str());

        let lines = json!({"lines": [
            {"person_id": world.anna, "present": true, "minutes": 80, "role": "relatrice"},
            {"person_id": world.outsider, "present": true},
        ]});
        let recorded = app.api_send(Method::PUT, &format!("/api/v1/meetings/{id}/attendance"), Some(&token), lines).await;
        assert_eq!(recorded.status, StatusCode::OK, "{}", recorded.body);
        let register = recorded.json();
        let outsider = register["lines"].as_array().unwrap().iter().find(|l| l["person_id"] == world.outsider.as_str()).unwrap();
        assert_eq!((outsider["walk_in"].clone(), outsider["minutes"].clone()), (json!(true), json!(90)));
        let signed = app.api_send(Method::POST, &format!("/api/v1/meetings/{id}/attendance/sign"), Some(&token), json!({})).await;
        assert_eq!(signed.json()["intact"], true);
        let locked = app.api_send(Method::PUT, &format!("/api/v1/meetings/{id}/attendance"), Some(&token), json!({"lines": [{"person_id": world.anna, "present": false}]})).await;
        assert_eq!(locked.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(locked.json()["error"]["fields"][0]["field"], "reason");

        let mut changed = body.clone();
        changed["title"] = json!("Webinar (nuovo titolo)");
        let updated = app.api_send(Method::PUT, &format!("/api/v1/meetings/{id}"), Some(&token), changed).await;
        assert_eq!(updated.json()["title"], "Webinar (nuovo titolo)");
        let deleted = app.api_send(Method::DELETE, &format!("/api/v1/meetings/{id}"), Some(&token), json!({})).await;
        assert_eq!(deleted.status, StatusCode::NO_CONTENT);
        assert_eq!(app.api_get(&format!("/api/v1/meetings/{id}"), Some(&token)).await.json()["cancelled"], true);
        let member_token = app.token_for(&world.member).await;
        let forbidden = app.api_send(Method::POST, "/api/v1/meetings", Some(&member_token), body).await;
        assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    }

    async fn a_configured_jitsi_server_gives_videoconferences_a_room(app: TestApp) {
        let world = world(&app).await;
        let data_dir = tempfile::tempdir().unwrap();
        let mut config = reti_web::WebConfig::new("http://reti.test", data_dir.path().to_path_buf());
        config.jitsi_url = Some("https://meet.jit.si/".into());
        let router = reti_web::router(reti_web::AppState::new(app.db.clone(), config));
        let token = app.token_for(&world.facilitator).await;
        let send = |body: serde_json::Value| {
            let router = router.clone();
            let token = token.clone();
            async move {
                use tower::ServiceExt;
                let request = axum::http::Request::builder().method(Method::POST).uri("/api/v1/meetings")
                    .header(header::CONTENT_TYPE, "application/json").header(header::AUTHORIZATION, format!("Bearer {token}"))
                    .body(axum::body::Body::from(body.to_string())).unwrap();
                let response = router.oneshot(request).await.unwrap();
                let bytes = http_body_util::BodyExt::collect(response.into_body()).await.unwrap().to_bytes();
                serde_json::from_slice::<serde_json::Value>(&bytes).unwrap()
            }
        };
        let base = json!({"network_id": world.network.id, "title": "Accompagnamento", "kind": "accompaniment",
            "mode": "videoconferenza", "starts_at": "2026-06-03T09:00", "ends_at": "2026-06-03T10:00"});
        let created = send(base.clone()).await;
        let link = created[0]["link"].as_str().unwrap();
        assert!(link.starts_with("https://meet.jit.si/Reti-"), "{created}");
        let mut pasted = base;
        pasted["link"] = json!("https://zoom.example.org/j/123");
        assert_eq!(send(pasted).await[0]["link"], "https://zoom.example.org/j/123");
    }

    async fn secret_calendar_feeds_work_without_login_and_stop_when_revoked(app: TestApp) {
        let world = world(&app).await;
        let id = schedule(&app, &world, &[("starts_at", "2099-05-12T10:00"), ("ends_at", "2099-05-12T12:00")]).await;
        // Within the feed's window: a meeting next month.
        let soon = (chrono::Utc::now() + chrono::Duration::days(30)).format("%Y-%m-%dT10:00").to_string();
        let soon_end = (chrono::Utc::now() + chrono::Duration::days(30)).format("%Y-%m-%dT11:00").to_string();
        let near = schedule(&app, &world, &[("starts_at", &soon), ("ends_at", &soon_end)]).await;
        app.login(&world.member.email).await;
        // The personal feed last: the page shows the link just created, once.
        for network_id in [world.network.id.as_str(), ""] {
            let created = app.post("/calendar-feeds", &[("network_id", network_id)]).await;
            assert_eq!(created.status, StatusCode::SEE_OTHER);
        }
        let agenda = app.get("/agenda").await;
        let link = crate::harness::link_in(&agenda.body, "http://reti.test/calendar/");
        let path = link.trim_start_matches("http://reti.test");
        app.logout_locally();
        let feed = app.get(path).await;
        assert_eq!(feed.status, StatusCode::OK, "no login needed");
        assert!(feed.headers.get(header::CONTENT_TYPE).unwrap().to_str().unwrap().starts_with("text/calendar"));
        let calendar: icalendar::Calendar = feed.body.parse().unwrap();
        let uids: Vec<&str> = calendar.events().filter_map(|e| e.get_uid()).collect();
        assert!(uids.contains(&format!("{near}@reti").as_str()), "{uids:?}");
        assert!(!uids.contains(&format!("{id}@reti").as_str()), "beyond the window");
        assert_eq!(app.get("/calendar/not-a-feed").await.status, StatusCode::NOT_FOUND);
        app.login(&world.member.email).await;
        let agenda = app.get("/agenda").await;
        assert!(agenda.body.contains("Gli incontri della rete Rete Alfa"));
        let feed_id: String = sqlx::query_scalar("SELECT id FROM calendar_feeds WHERE network_id IS NULL").fetch_one(app.db.pool()).await.unwrap();
        let revoked = app.post(&format!("/calendar-feeds/{feed_id}/revoke"), &[]).await;
        assert_eq!(revoked.status, StatusCode::SEE_OTHER);
        assert_eq!(app.get(path).await.status, StatusCode::NOT_FOUND, "a revoked link stops at once");
        let stranger = app.user().role(Role::NetworkMember).create().await;
        app.login(&stranger.email).await;
        let refused = app.post("/calendar-feeds", &[("network_id", world.network.id.as_str())]).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "no feed of a network one cannot see");
    }
}
