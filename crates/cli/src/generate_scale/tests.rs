use super::*;
use reti_domain::TaxCode;
use reti_store::Engine;
use reti_store::PageRequest;
use reti_store::testing::TestDb;

/// A thousandth of EU scale: 10 networks, 200 organisations, 1,000 register lines.
const SMALL: usize = 1000;

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db.pool()).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Rows that break a rule the foreign keys cannot express; each query must find none.
const BROKEN: &[(&str, &str)] = &[
    (
        "register line of someone who is not a current person of the meeting's network",
        "SELECT COUNT(*) FROM meeting_attendance a JOIN meetings m ON m.id = a.meeting_id
         WHERE NOT EXISTS (SELECT 1 FROM memberships ms
             JOIN affiliations af ON af.organisation_id = ms.organisation_id AND af.ended_at IS NULL
             WHERE ms.network_id = m.network_id AND ms.left_on IS NULL AND af.person_id = a.person_id)",
    ),
    (
        "register of a meeting still to come",
        "SELECT COUNT(*) FROM meeting_attendance a JOIN meetings m ON m.id = a.meeting_id
         WHERE m.starts_at > '2026-11-28'",
    ),
    (
        "network without exactly one current lead",
        "SELECT COUNT(*) FROM networks n WHERE (SELECT COUNT(*) FROM memberships ms
             WHERE ms.network_id = n.id AND ms.role = 'lead' AND ms.left_on IS NULL) <> 1",
    ),
    (
        "member organisation of another region than its programme's networks",
        "SELECT COUNT(*) FROM memberships ms
         JOIN organisations o ON o.id = ms.organisation_id
         JOIN municipalities mo ON mo.istat_code = o.municipality_code
         JOIN network_municipalities nm ON nm.network_id = ms.network_id
         JOIN municipalities mn ON mn.istat_code = nm.istat_code
         WHERE mo.region <> mn.region",
    ),
    (
        "network's municipalities in several provinces",
        "SELECT COUNT(*) FROM (SELECT nm.network_id FROM network_municipalities nm
             JOIN municipalities m ON m.istat_code = nm.istat_code
             GROUP BY nm.network_id HAVING COUNT(DISTINCT m.province_code) > 1) x",
    ),
    (
        "action line of another programme",
        "SELECT COUNT(*) FROM network_action_lines nal JOIN networks n ON n.id = nal.network_id
         JOIN action_lines l ON l.id = nal.action_line_id WHERE l.programme_id <> n.programme_id",
    ),
    (
        "practice of another programme than its network's",
        "SELECT COUNT(*) FROM practices p JOIN networks n ON n.id = p.network_id WHERE p.programme_id <> n.programme_id",
    ),
    (
        "practice place outside its network's municipalities",
        "SELECT COUNT(*) FROM practice_municipalities pm JOIN practices p ON p.id = pm.practice_id
         WHERE NOT EXISTS (SELECT 1 FROM network_municipalities nm
             WHERE nm.network_id = p.network_id AND nm.istat_code = pm.istat_code)",
    ),
    (
        "answer by an organisation that is not a current member of the network",
        "SELECT COUNT(*) FROM reading_answers a WHERE NOT EXISTS (SELECT 1 FROM memberships ms
             WHERE ms.network_id = a.network_id AND ms.organisation_id = a.organisation_id AND ms.left_on IS NULL)",
    ),
    (
        "answer to a round of another programme than the network's",
        "SELECT COUNT(*) FROM reading_answers a JOIN reading_rounds r ON r.id = a.round_id
         JOIN networks n ON n.id = a.network_id WHERE r.programme_id <> n.programme_id",
    ),
    (
        "map relation with an organisation that is neither member nor context actor",
        "SELECT COUNT(*) FROM map_relations r WHERE r.organisation_a NOT IN (SELECT organisation_id FROM memberships
             WHERE network_id = r.network_id AND left_on IS NULL UNION SELECT organisation_id FROM map_actors
             WHERE network_id = r.network_id)
         OR r.organisation_b NOT IN (SELECT organisation_id FROM memberships
             WHERE network_id = r.network_id AND left_on IS NULL UNION SELECT organisation_id FROM map_actors
             WHERE network_id = r.network_id)",
    ),
    (
        "context actor who is a member",
        "SELECT COUNT(*) FROM map_actors ma JOIN memberships ms
         ON ms.network_id = ma.network_id AND ms.organisation_id = ma.organisation_id",
    ),
    (
        "network without relations on its map",
        "SELECT COUNT(*) FROM networks n WHERE NOT EXISTS (SELECT 1 FROM map_relations r WHERE r.network_id = n.id)",
    ),
    (
        "meeting not inviting its network",
        "SELECT COUNT(*) FROM meetings m WHERE NOT EXISTS (SELECT 1 FROM meeting_invitees i
             WHERE i.meeting_id = m.id AND i.kind = 'network' AND i.target_id = m.network_id)",
    ),
    (
        "published practices the board's index does not count",
        "SELECT COUNT(*) FROM practice_term_counts WHERE term = ''
             AND practices <> (SELECT COUNT(*) FROM practices WHERE status = 'published')",
    ),
];

async fn generates_valid_data(engine: Engine) {
    let Some(test) = TestDb::new(engine).await else { return };
    let db = &test.db;
    let sizes = Sizes::divided(SMALL);
    let summary = generate(db, sizes, 7).await.unwrap();

    // The counts asked for, and the rows the summary reports are in the tables.
    let expected = [
        ("programmes", sizes.programmes),
        ("networks", sizes.networks),
        ("organisations", sizes.organisations),
        ("people", sizes.people),
        ("meetings", sizes.meetings),
        ("meeting_attendance", sizes.attendance),
        ("practices", sizes.practices),
        ("reading_answers", sizes.answers),
    ];
    for (table, n) in expected {
        assert_eq!(summary.rows[table], n, "{table}");
    }
    for (table, n) in &summary.rows {
        assert_eq!(count(db, &format!("SELECT COUNT(*) FROM {table}")).await, *n as i64, "{table}");
    }
    assert!(summary.rows["map_relations"] >= sizes.networks);
    assert!(
        summary.lines.iter().any(|l| l.starts_with("attendance: meeting_attendance 1000 in")),
        "{:?}",
        summary.lines
    );

    // Every reference valid: the foreign keys, and the rules they cannot express.
    if engine == Engine::Sqlite {
        let broken: Vec<(String, i64, String, i64)> =
            sqlx::query_as("PRAGMA foreign_key_check").fetch_all(db.pool()).await.unwrap();
        assert!(broken.is_empty(), "{broken:?}");
    }
    for (rule, sql) in BROKEN {
        assert_eq!(count(db, sql).await, 0, "{rule}");
    }
    let codes: Vec<String> =
        sqlx::query_scalar("SELECT tax_code FROM organisations").fetch_all(db.pool()).await.unwrap();
    assert!(codes.iter().all(|c| TaxCode::parse(c).is_ok_and(|code| !code.is_personal())));
    let published = count(db, "SELECT COUNT(*) FROM practices WHERE status = 'published'").await;
    assert!(published > 0);

    // The registers' aggregates agree with the registers: kept by the triggers on SQLite, made
    // again in one pass after the attendance on PostgreSQL.
    let drift = db.indicator_aggregates_drift().await.unwrap();
    assert!(drift.is_empty(), "{drift:?}");
    assert!(count(db, "SELECT COUNT(*) FROM indicator_person_months").await > 0);

    // A network's pages read what they read at any scale.
    let network_id: String =
        sqlx::query_scalar("SELECT id FROM networks ORDER BY id LIMIT 1").fetch_one(db.pool()).await.unwrap();
    let network = db.network(&network_id).await.unwrap().unwrap();
    assert!(network.lead().is_some());
    assert!(network.current_members().count() >= 2);
    assert!(!network.municipalities.is_empty() && !network.action_lines.is_empty());
    assert!(!db.network_people(&network_id).await.unwrap().is_empty());
    let map = db.actor_map(&network_id).await.unwrap();
    assert!(!map.relations.is_empty());
    for relation in &map.relations {
        assert!(
            map.organisation(&relation.organisation_a).is_some()
                && map.organisation(&relation.organisation_b).is_some()
        );
    }
    let filter = reti_store::meetings::MeetingFilter { network: Some(network_id.clone()), ..Default::default() };
    let meetings = db.meetings(&filter, PageRequest::all()).await.unwrap();
    assert!(meetings.total > 0);
    let past = meetings.items.iter().find(|m| m.starts_at < chrono::Utc::now()).unwrap();
    assert!(!db.attendance(&past.id).await.unwrap().is_empty());
    let rounds = db.reading_rounds(&network.programme_id).await.unwrap();
    assert_eq!(rounds.len(), 3);
    let progress = db.round_progress(&rounds[0]).await.unwrap();
    assert!(progress.iter().map(|p| p.submitted).sum::<i64>() > 0);
    let board = db.board(&Default::default(), PageRequest::new(None, Some(20))).await.unwrap();
    assert_eq!(board.total, published);
    let by_network =
        count(db, "SELECT CAST(SUM(practices) AS BIGINT) FROM practice_facets WHERE kind = 'network'").await;
    assert_eq!(by_network, published, "every published practice counted under its network");

    // The demo's accounts, the network lead on the programme's largest network.
    let lead = db.user_by_email(&reti_domain::Email::parse("referente@reti.example").unwrap()).await.unwrap().unwrap();
    let assigned = db.network_assignments(&lead.id).await.unwrap();
    let largest: String = sqlx::query_scalar(
        "SELECT m.network_id FROM memberships m JOIN networks n ON n.id = m.network_id
         WHERE n.programme_id = $1 AND m.left_on IS NULL
         GROUP BY m.network_id ORDER BY COUNT(*) DESC, m.network_id LIMIT 1",
    )
    .bind(id(7, Kind::Programme, 0))
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(assigned.iter().map(|a| &a.network_id).collect::<Vec<_>>(), [&largest]);

    // Generated data is there already: a second run refuses and writes nothing.
    let audit = count(db, "SELECT COUNT(*) FROM audit_log").await;
    assert!(generate(db, sizes, 7).await.is_err());
    assert_eq!(count(db, "SELECT COUNT(*) FROM audit_log").await, audit);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn small_scale_is_valid_on_sqlite() {
    generates_valid_data(Engine::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn small_scale_is_valid_on_postgres() {
    generates_valid_data(Engine::Postgres).await;
}

/// What a generated database holds, as text: every generated table, in id order.
async fn dump(db: &Db) -> String {
    let queries = [
        "SELECT id || code || name FROM programmes ORDER BY id",
        "SELECT id || name || tax_code || COALESCE(municipality_code, '') FROM organisations ORDER BY id",
        "SELECT id || name || COALESCE(email, '') FROM people ORDER BY id",
        "SELECT id || name || status FROM networks ORDER BY id",
        "SELECT id || network_id || organisation_id || role FROM memberships ORDER BY id",
        "SELECT id || network_id || starts_at || title FROM meetings ORDER BY id",
        "SELECT meeting_id || person_id || present || minutes_attended FROM meeting_attendance ORDER BY meeting_id, person_id",
        "SELECT id || network_id || status || search_body FROM practices ORDER BY id",
        "SELECT id || organisation_id || values_json FROM reading_answers ORDER BY id",
        "SELECT id || organisation_a || organisation_b || kind FROM map_relations ORDER BY id",
    ];
    let mut out = String::new();
    for sql in queries {
        let rows: Vec<String> = sqlx::query_scalar(sql).fetch_all(db.pool()).await.unwrap();
        out.push_str(&rows.join("\n"));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_seed_gives_the_same_database() {
    let sizes = Sizes::divided(SMALL);
    let mut dumps = Vec::new();
    for seed in [3, 3, 4] {
        let test = TestDb::new(Engine::Sqlite).await.unwrap();
        generate(&test.db, sizes, seed).await.unwrap();
        dumps.push(dump(&test.db).await);
    }
    assert!(dumps[0].len() > 10_000);
    assert!(dumps[0] == dumps[1], "the same seed twice");
    assert!(dumps[0] != dumps[2], "another seed");
}

#[test]
fn network_sizes_are_heavy_tailed_and_every_region_has_programmes() {
    let world = World::plan(Sizes::EU, 1).unwrap();
    let mut sizes: Vec<usize> = world.networks.iter().map(|n| n.members.len()).collect();
    sizes.sort_unstable();
    let median = sizes[sizes.len() / 2];
    assert!((5..=20).contains(&median), "median {median}");
    assert!(sizes.iter().filter(|&&s| s >= 100).count() >= 50, "a few large networks");
    assert!(*sizes.last().unwrap() >= 300);
    let regions: HashSet<&str> = world.programmes.iter().map(|p| p.region.as_str()).collect();
    let all: HashSet<&str> = world.places.iter().map(|m| m.region.as_str()).collect();
    assert_eq!(regions, all);
    assert_eq!(world.meetings.len(), Sizes::EU.meetings);
    assert_eq!(world.attendance_total(), Sizes::EU.attendance);
    let per_meeting: Vec<usize> = world.meetings.iter().map(|m| m.attendees).filter(|&a| a > 0).collect();
    assert!(per_meeting.iter().all(|&a| a <= 30));
    assert!(per_meeting.iter().filter(|&&a| a >= 5).count() * 100 >= per_meeting.len() * 95);
    let (first, last) = (world.meetings.first().unwrap().date, world.meetings.last().unwrap().date);
    assert!((last - first).whole_days() > 2 * 365, "{first} – {last}");
}

#[test]
fn practice_columns_hold_the_texts_in_their_order() {
    assert_eq!(PRACTICE_COLUMNS[7..20], reti_domain::practices::TEXT_FIELDS);
}

#[test]
fn tax_codes_are_valid_unique_and_apart_from_the_demo() {
    let codes: HashSet<String> = (0..Sizes::EU.organisations).map(tax_code).collect();
    assert_eq!(codes.len(), Sizes::EU.organisations);
    assert!(codes.iter().all(|c| TaxCode::parse(c).is_ok()));
    let demo = std::str::from_utf8(include_bytes!("../../demo/organisations.csv")).unwrap();
    let mut demo_codes = demo.lines().skip(1).filter_map(|line| line.split(';').nth(2));
    assert!(demo_codes.all(|code| !codes.contains(code)));
}

#[test]
fn ids_are_uuids_in_the_order_of_their_rows() {
    let ids: Vec<String> = (0..1000).map(|i| id(5, Kind::Meeting, i)).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]));
    assert!(ids.iter().all(|i| uuid::Uuid::parse_str(i).is_ok_and(|u| u.get_version_num() == 7)));
    assert_eq!(id(5, Kind::Meeting, 3), ids[3]);
    assert_ne!(id(6, Kind::Meeting, 3), ids[3]);
}
