//! Impact indicators (decision 0043) on both engines: every built-in figure equals its
//! recomputation from the raw store lists, and the rows it lists make it; a member of one network
//! never sees another's figures (API, files, pages); bad periods and targets are named; the
//! dashboards draw accessible charts, tell the story and link each figure to its rows.

use crate::app_tests;
use crate::harness::TestApp;
use axum::http::StatusCode;
use chrono::DateTime;
use reti_domain::diary::{DiaryEntryInput, DiaryKind};
use reti_domain::indicators::{Aggregation, Indicator, Measure, Period};
use reti_domain::labs::{Enrolment, Joiner, LabInput, LabStatus};
use reti_domain::matrix::{CellStatus, ObjectiveInput, Raci};
use reti_domain::meetings::{Attendance, MeetingDraft, MeetingKind, MeetingMode, date_in_rome, today_in_rome};
use reti_domain::practices::{PracticeInput, PracticeRaw, PracticeStatus, Transition};
use reti_domain::reading::{ItemKind, RoundInput, RoundKind, default_instrument, format_number};
use reti_domain::taxcode::check_digit_numeric;
use reti_domain::{MembershipRole, NetworkStatus, OrganisationKind, PersonName, Role};
use reti_store::diary::DiaryFilter;
use reti_store::indicators::{IndicatorScope, value_of_rows};
use reti_store::matrix::CellInput;
use reti_store::meetings::{MeetingChanges, MeetingFilter};
use reti_store::practices::PracticeFilter;
use reti_store::registry::networks::MembershipInput;
use reti_store::registry::people::PersonInput;
use reti_store::users::User;
use reti_store::{Actor, PageRequest};
use std::collections::{BTreeMap, BTreeSet};
use time::macros::date;

fn tax_code(n: u32) -> String {
    let first10 = format!("{:07}000", 4_300_000 + n);
    format!("{first10}{}", check_digit_numeric(&first10))
}

struct World {
    /// Rete Adda, Rete Brembo, Rete Chiese.
    networks: Vec<String>,
    lab: String,
    coordinator: User,
    a_lead: User,
    b_member: User,
}

async fn organisation(app: &TestApp, name: &str, kind: OrganisationKind, n: u32) -> String {
    let input = reti_store::registry::organisations::OrganisationInput {
        name: name.into(),
        kind,
        tax_code: reti_domain::TaxCode::parse(&tax_code(n)).unwrap(),
        municipality_code: Some("015146".into()),
        address: String::new(),
        email: None,
        phone: String::new(),
        website: String::new(),
        resources: Vec::new(),
    };
    app.db.create_organisation(&Actor::cli(), &input).await.unwrap().id
}

async fn member(app: &TestApp, network: &str, organisation: &str, joined: Option<time::Date>) -> String {
    let input =
        MembershipInput { organisation_id: organisation.into(), role: MembershipRole::Partner, joined_on: joined };
    app.db.add_membership(&Actor::cli(), network, &input).await.unwrap()
}

async fn meeting(app: &TestApp, network: &str, title: &str, at: &str, kind: MeetingKind, mode: MeetingMode) -> String {
    let starts_at = DateTime::parse_from_rfc3339(at).unwrap().to_utc();
    let draft = MeetingDraft {
        title: title.into(),
        kind,
        mode,
        place: if mode.has_place() { "Sala consiliare".into() } else { String::new() },
        link: if mode.has_link() { "https://meet.example.org/reti".into() } else { String::new() },
        starts_at,
        ends_at: starts_at + chrono::Duration::hours(2),
        agenda: String::new(),
        registration_open: true,
        capacity: None,
        recurrence: None,
    };
    let changes = MeetingChanges { draft: &draft, invitees: &[], room_base: None };
    app.db.create_meetings(&Actor::cli(), network, &changes).await.unwrap().remove(0)
}

async fn person(app: &TestApp, name: &str) -> String {
    let input = PersonInput { name: PersonName::parse(name).unwrap(), email: None, phone: String::new() };
    app.db.create_person(&Actor::cli(), &input).await.unwrap().id
}

async fn present(app: &TestApp, meeting: &str, people: &[(&String, bool)]) {
    let lines: Vec<Attendance> = people
        .iter()
        .map(|(id, present)| Attendance {
            person_id: (*id).clone(),
            present: *present,
            minutes: 120,
            role: String::new(),
        })
        .collect();
    app.db.record_attendance(&Actor::cli(), meeting, &lines, None).await.unwrap();
}

async fn diary(app: &TestApp, network: &str, author: &User, day: time::Date, hundredths: i64) {
    let input = DiaryEntryInput {
        entry_date: day,
        hundredths,
        kind: DiaryKind::Coaching,
        notes: String::new(),
        growth_spaces: String::new(),
        next_steps: String::new(),
    };
    app.db.create_diary_entry(&Actor::cli(), network, &author.id, &input).await.unwrap();
}

async fn on_network(app: &TestApp, network: &str, role: Role) -> User {
    let user = app.user().role(role).create().await;
    app.db.assign_to_network(&Actor::cli(), &user.id, network, role).await.unwrap();
    user
}

async fn practice(app: &TestApp, network: &str, title: &str, publish: bool) {
    let text = "Testo".to_owned();
    let raw = PracticeRaw {
        title: title.into(),
        network_id: network.into(),
        action_line: "1".into(),
        theme: "Scuola".into(),
        year: "2025".into(),
        context: text.clone(),
        problem: text.clone(),
        objectives: text.clone(),
        target_group: text.clone(),
        activities: text.clone(),
        actors: text.clone(),
        resources: text.clone(),
        results: text.clone(),
        innovation: text.clone(),
        sustainability: text.clone(),
        transferability: text.clone(),
        lessons: text.clone(),
        contacts: text,
        ..PracticeRaw::default()
    };
    let input = PracticeInput::parse(&raw).unwrap();
    let practice =
        app.db.create_practice(&Actor::cli(), &app.programme_id, None, &input, &["015146".to_owned()]).await.unwrap();
    if publish {
        for step in [Transition::Submit, Transition::StartReview, Transition::Publish] {
            app.db.transition_practice(&Actor::cli(), &practice.id, step, "", &[]).await.unwrap();
        }
    }
}

fn answers(level: usize) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for dimension in default_instrument().dimensions {
        for item in dimension.items {
            let value = match item.kind {
                ItemKind::Likert => level.to_string(),
                ItemKind::Single => "1".into(),
                ItemKind::Multiple => "0".into(),
                ItemKind::Number => format_number(item.max),
                ItemKind::Text => continue,
            };
            pairs.push((item.key, value));
        }
    }
    pairs
}

/// A round of `kind` opened `days_ago`, answered by `organisation` of `network` at `level`.
async fn round(app: &TestApp, kind: RoundKind, days_ago: i64) -> String {
    let today = today_in_rome();
    let version_id =
        app.db.create_instrument(&Actor::cli(), &app.programme_id, &default_instrument(), true).await.unwrap();
    let input = RoundInput {
        kind,
        version_id,
        opens_on: today - time::Duration::days(days_ago),
        closes_on: today - time::Duration::days(days_ago - 20),
    };
    app.db.create_round(&Actor::cli(), &app.programme_id, &input, &[]).await.unwrap()
}

async fn answer(app: &TestApp, round_id: &str, network: &str, organisation: &str, level: usize) {
    let round = app.db.reading_round(round_id).await.unwrap().unwrap();
    let version = app.db.reading_version(&round.version_id).await.unwrap().unwrap();
    let values = reti_domain::reading::parse_answers(&version.content, &answers(level), true).unwrap();
    app.db.save_answer(&Actor::cli(), &round, network, organisation, &values, true, round.opens_on).await.unwrap();
}

/// Three networks through 2024–2026: members that join and leave, a shared organisation,
/// meetings with their registers (one cancelled, one person at two networks' meetings), diary
/// hours, a lab, practices, two reading rounds and two map snapshots, a matrix with a gap.
async fn world(app: &TestApp) -> World {
    let actor = Actor::cli();
    let mut networks = Vec::new();
    for (name, status) in [
        ("Rete Adda", NetworkStatus::Active),
        ("Rete Brembo", NetworkStatus::Active),
        ("Rete Chiese", NetworkStatus::Closed),
    ] {
        networks.push(app.network(name).status(status).create().await.id);
    }
    let (a, b, c) = (&networks[0], &networks[1], &networks[2]);
    let comune_1 = organisation(app, "Comune di Lecco", OrganisationKind::Municipality, 1).await;
    let comune_2 = organisation(app, "Comune di Brivio", OrganisationKind::Municipality, 2).await;
    let school = organisation(app, "Istituto comprensivo Adda", OrganisationKind::School, 3).await;
    let shared = organisation(app, "Cooperativa Ponte", OrganisationKind::ThirdSector, 4).await;
    let left = organisation(app, "Associazione Partita", OrganisationKind::MigrantAssociation, 5).await;
    let brembo = organisation(app, "Comune di Brembate", OrganisationKind::Municipality, 6).await;
    member(app, a, &comune_1, Some(date!(2024 - 05 - 01))).await;
    member(app, a, &comune_2, Some(date!(2025 - 03 - 10))).await;
    member(app, a, &school, Some(date!(2025 - 06 - 01))).await;
    member(app, a, &shared, None).await;
    member(app, b, &shared, Some(date!(2020 - 01 - 01))).await;
    member(app, b, &brembo, Some(date!(2025 - 09 - 30))).await;
    let leaving = member(app, c, &left, Some(date!(2024 - 01 - 01))).await;
    app.db.end_membership(&actor, c, &leaving, date!(2025 - 04 - 30)).await.unwrap();

    let (p1, p2, p3) = (person(app, "Paola Uno").await, person(app, "Piero Due").await, person(app, "Pia Tre").await);
    // 31/03/2025 at 23:30 in Italy is 21:30 UTC: the first quarter's.
    let m1 = meeting(app, a, "Workshop di avvio", "2025-03-31T21:30:00Z", MeetingKind::Workshop, MeetingMode::InPerson)
        .await;
    let m2 = meeting(
        app,
        a,
        "Accompagnamento",
        "2025-06-01T08:00:00Z",
        MeetingKind::Accompaniment,
        MeetingMode::Videoconference,
    )
    .await;
    let m3 = meeting(app, a, "Annullato", "2025-07-01T08:00:00Z", MeetingKind::Workshop, MeetingMode::InPerson).await;
    let m4 = meeting(app, b, "Tavolo Brembo", "2025-04-01T08:00:00Z", MeetingKind::Workshop, MeetingMode::Hybrid).await;
    let m5 =
        meeting(app, b, "Webinar di fine 2024", "2024-12-31T22:30:00Z", MeetingKind::Webinar, MeetingMode::Webinar)
            .await;
    present(app, &m1, &[(&p1, true), (&p2, true), (&p3, false)]).await;
    present(app, &m2, &[(&p1, true)]).await;
    present(app, &m3, &[(&p3, true)]).await;
    present(app, &m4, &[(&p1, true)]).await;
    present(app, &m5, &[(&p3, true)]).await;
    app.db.cancel_meeting(&actor, &m3).await.unwrap();

    let facilitator = on_network(app, a, Role::Facilitator).await;
    diary(app, a, &facilitator, date!(2025 - 02 - 01), 150).await;
    diary(app, a, &facilitator, date!(2025 - 05 - 01), 225).await;
    diary(app, a, &facilitator, date!(2024 - 12 - 31), 100).await;
    diary(app, b, &facilitator, date!(2025 - 03 - 03), 50).await;

    let a_lead = on_network(app, a, Role::NetworkLead).await;
    let a_member = on_network(app, a, Role::NetworkMember).await;
    let b_member = on_network(app, b, Role::NetworkMember).await;
    let lab_input = LabInput {
        title: "Laboratorio scuola".into(),
        theme: "Scuola".into(),
        action_line: None,
        description: String::new(),
        enrolment: Enrolment::Open,
        capacity: None,
        status: LabStatus::Running,
    };
    let lab = app.db.create_lab(&actor, &app.programme_id, &lab_input).await.unwrap();
    let people = [(a_lead.id.clone(), a.clone()), (a_member.id.clone(), a.clone()), (b_member.id.clone(), b.clone())];
    app.db.enrol_in_lab(&actor, &lab, &people, Joiner::Manager).await.unwrap();

    practice(app, a, "Doposcuola di quartiere", true).await;
    practice(app, a, "Sportello in bozza", false).await;
    practice(app, b, "Mediazione a scuola", true).await;

    let baseline = round(app, RoundKind::Baseline, 200).await;
    let midterm = round(app, RoundKind::Midterm, 30).await;
    answer(app, &baseline, a, &comune_1, 2).await;
    answer(app, &midterm, a, &comune_1, 4).await;
    answer(app, &baseline, b, &shared, 3).await;

    let coordinator = app.user().role(Role::Coordinator).create().await;
    app.login(&coordinator.email).await;
    let map = format!("/networks/{a}/map");
    let relate = |x: &str, y: &str| {
        let (x, y, map) = (x.to_owned(), y.to_owned(), map.clone());
        async move {
            let fields = [
                ("organisation_a", x.as_str()),
                ("organisation_b", y.as_str()),
                ("kind", "collaborazione"),
                ("strength", "2"),
            ];
            assert_eq!(app.post(&format!("{map}/relations"), &fields).await.status, StatusCode::SEE_OTHER);
        }
    };
    relate(&comune_1, &shared).await;
    assert_eq!(app.post(&format!("{map}/snapshots"), &[("round_id", &baseline)]).await.status, StatusCode::SEE_OTHER);
    relate(&comune_2, &shared).await;
    relate(&school, &comune_1).await;
    assert_eq!(app.post(&format!("{map}/snapshots"), &[("round_id", &midterm)]).await.status, StatusCode::SEE_OTHER);
    app.logout_locally();

    let gap = ObjectiveInput { title: "Orientamento scolastico".into(), action_line_id: None };
    let covered = ObjectiveInput { title: "Sportello unico".into(), action_line_id: None };
    app.db.add_objective(&actor, a, &gap).await.unwrap();
    let covered = app.db.add_objective(&actor, a, &covered).await.unwrap();
    let process = match app.db.matrix(a).await.unwrap().processes.first() {
        Some(process) => process.id.clone(),
        None => app.db.add_process(&actor, a, "Coordinamento").await.unwrap(),
    };
    let cell = CellInput { status: CellStatus::default(), assignments: vec![(comune_1.clone(), Raci::Responsible)] };
    app.db.set_cell(&actor, a, &covered, &process, &cell).await.unwrap();
    let consulted = ObjectiveInput { title: "Comunicazione".into(), action_line_id: None };
    let consulted = app.db.add_objective(&actor, a, &consulted).await.unwrap();
    let cell = CellInput { status: CellStatus::default(), assignments: vec![(shared.clone(), Raci::Consulted)] };
    app.db.set_cell(&actor, a, &consulted, &process, &cell).await.unwrap();

    World { networks, lab, coordinator, a_lead, b_member }
}

/// The day in Italy of a stored timestamp.
fn day_of(stored: &str) -> time::Date {
    date_in_rome(DateTime::parse_from_rfc3339(stored).unwrap().to_utc())
}

fn within(period: Period, day: time::Date) -> bool {
    period.first_day() <= day && day <= period.last_day()
}

/// What a network contributes to an indicator, from the raw lists: the records (key, amount), or
/// for a change its value.
enum Expected {
    Records(Vec<(String, f64)>),
    Change(Option<f64>),
}

/// Recomputes every indicator for every network from the store's own lists (not the indicator
/// queries): memberships, meetings and their registers, diary entries, the lab, practices, reading
/// results, map snapshots and the matrix.
async fn recompute(app: &TestApp, w: &World, period: Period) -> BTreeMap<(Indicator, String), Expected> {
    let mut expected = BTreeMap::new();
    let mut all_memberships = Vec::new();
    for id in &w.networks {
        all_memberships.push((id.clone(), app.db.network(id).await.unwrap().unwrap().memberships));
    }
    let active = |m: &reti_store::registry::networks::Membership, day: time::Date| {
        m.joined_on.is_none_or(|j| j <= day) && m.left_on.is_none_or(|l| l > day)
    };
    let end = period.last_day();
    let today = today_in_rome();
    let now = DateTime::from_timestamp(time::OffsetDateTime::now_utc().unix_timestamp(), 0).unwrap();
    let results = app.db.reading_results(&app.programme_id).await.unwrap();
    let lab = app.db.lab(&w.lab).await.unwrap().unwrap();
    for (id, memberships) in &all_memberships {
        let network = app.db.network(id).await.unwrap().unwrap();
        let records = |list: Vec<(String, f64)>| Expected::Records(list);
        expected.insert(
            (Indicator::NetworksSupported, id.clone()),
            records(if network.status == NetworkStatus::Closed { vec![] } else { vec![(id.clone(), 1.0)] }),
        );
        expected.insert(
            (Indicator::MemberOrganisations, id.clone()),
            records(memberships.iter().filter(|m| active(m, end)).map(|m| (m.organisation_id.clone(), 1.0)).collect()),
        );
        expected.insert(
            (Indicator::NewMembers, id.clone()),
            records(
                memberships
                    .iter()
                    .filter(|m| m.joined_on.is_some_and(|j| within(period, j)))
                    .map(|m| (m.id.clone(), 1.0))
                    .collect(),
            ),
        );
        let shared: Vec<(String, f64)> = memberships
            .iter()
            .filter(|m| active(m, end))
            .filter(|m| {
                all_memberships.iter().any(|(other, list)| {
                    other != id && list.iter().any(|o| o.organisation_id == m.organisation_id && active(o, end))
                })
            })
            .map(|m| (m.organisation_id.clone(), 1.0))
            .collect();
        expected.insert((Indicator::CrossNetworkTies, id.clone()), records(shared));

        let filter = MeetingFilter { network: Some(id.clone()), include_cancelled: true, ..MeetingFilter::default() };
        let meetings = app.db.meetings(&filter, PageRequest::all()).await.unwrap().items;
        let held: Vec<_> = meetings
            .iter()
            .filter(|m| !m.cancelled && within(period, date_in_rome(m.starts_at)) && m.starts_at <= now)
            .collect();
        expected
            .insert((Indicator::MeetingsHeld, id.clone()), records(held.iter().map(|m| (m.id.clone(), 1.0)).collect()));
        let mut people = Vec::new();
        for m in &held {
            for row in app.db.attendance(&m.id).await.unwrap().into_iter().filter(|r| r.present) {
                people.push((row.person_id, 1.0));
            }
        }
        expected.insert((Indicator::ParticipantsUnique, id.clone()), records(people.clone()));
        expected.insert((Indicator::PersonMeetings, id.clone()), records(people));

        let entries = app.db.diary_entries(&DiaryFilter::network(id), PageRequest::all()).await.unwrap().items;
        expected.insert(
            (Indicator::AccompanimentHours, id.clone()),
            records(
                entries
                    .iter()
                    .filter(|e| within(period, e.entry_date))
                    .map(|e| (e.id.clone(), e.hundredths as f64 / 100.0))
                    .collect(),
            ),
        );
        expected.insert(
            (Indicator::LabParticipants, id.clone()),
            records(
                lab.participants
                    .iter()
                    .filter(|p| &p.network_id == id && within(period, day_of(&p.enrolled_at)))
                    .map(|p| (p.user_id.clone(), 1.0))
                    .collect(),
            ),
        );
        let filter = PracticeFilter { network_ids: Some(vec![id.clone()]), ..PracticeFilter::default() };
        let practices = app.db.practices(&filter, PageRequest::all()).await.unwrap().items;
        expected.insert(
            (Indicator::PracticesDrafted, id.clone()),
            records(
                practices
                    .iter()
                    .filter(|p| within(period, day_of(&p.created_at)))
                    .map(|p| (p.id.clone(), 1.0))
                    .collect(),
            ),
        );
        expected.insert(
            (Indicator::PracticesPublished, id.clone()),
            records(
                practices
                    .iter()
                    .filter(|p| p.status == PracticeStatus::Published)
                    .filter(|p| p.published_at.as_deref().is_some_and(|at| within(period, day_of(at))))
                    .map(|p| (p.id.clone(), 1.0))
                    .collect(),
            ),
        );

        let indices: Vec<(RoundKind, f64)> = results
            .iter()
            .filter(|r| r.round.opens_on <= end)
            .filter_map(|r| Some((r.round.kind, r.network(id)?.profile.index?)))
            .collect();
        let baseline = indices.iter().find(|(kind, _)| *kind == RoundKind::Baseline).map(|(_, i)| *i);
        let latest = indices.iter().rev().find(|(kind, _)| *kind != RoundKind::Baseline).map(|(_, i)| *i);
        expected.insert(
            (Indicator::ReadingIndexChange, id.clone()),
            Expected::Change(baseline.zip(latest).map(|(b, l)| l - b)),
        );
        let mut snapshots = app.db.map_snapshots(id).await.unwrap();
        snapshots.retain(|s| day_of(&s.taken_at) <= end);
        snapshots.sort_by(|x, y| (&x.taken_at, &x.id).cmp(&(&y.taken_at, &y.id)));
        let change = (snapshots.len() >= 2).then(|| snapshots[snapshots.len() - 1].density - snapshots[0].density);
        expected.insert((Indicator::DensityChange, id.clone()), Expected::Change(change));

        // The fixture's objectives were all written today.
        let matrix = app.db.matrix(id).await.unwrap();
        let gaps: Vec<(String, f64)> = if today <= end {
            matrix
                .objectives
                .iter()
                .filter(|o| !matrix.assignments.iter().any(|a| a.objective_id == o.id && a.role == Raci::Responsible))
                .map(|o| (o.id.clone(), 1.0))
                .collect()
        } else {
            Vec::new()
        };
        expected.insert((Indicator::ObjectivesWithoutResponsible, id.clone()), records(gaps));
    }
    expected
}

fn value_of(indicator: Indicator, expected: &Expected) -> Option<f64> {
    match expected {
        Expected::Change(change) => *change,
        Expected::Records(records) if indicator.aggregation() == Aggregation::Distinct => {
            Some(records.iter().map(|(k, _)| k.as_str()).collect::<BTreeSet<_>>().len() as f64)
        }
        Expected::Records(records) => Some(records.iter().map(|(_, v)| v).sum()),
    }
}

fn total_of(
    indicator: Indicator,
    expected: &BTreeMap<(Indicator, String), Expected>,
    networks: &[String],
) -> Option<f64> {
    let mine: Vec<&Expected> = networks.iter().map(|id| &expected[&(indicator, id.clone())]).collect();
    match indicator.aggregation() {
        Aggregation::Distinct => {
            let keys: BTreeSet<&str> = mine
                .iter()
                .flat_map(|e| match e {
                    Expected::Records(records) => records.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
                    Expected::Change(_) => Vec::new(),
                })
                .collect();
            Some(keys.len() as f64)
        }
        Aggregation::Sum => Some(mine.iter().filter_map(|e| value_of(indicator, e)).sum()),
        Aggregation::Mean => {
            let values: Vec<f64> = mine.iter().filter_map(|e| value_of(indicator, e)).collect();
            (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
        }
    }
}

/// The figures the registers' aggregates give (decision 0056) against the registers themselves
/// (the rows each figure lists, read from the raw lines), for every scope and many periods: this
/// year's and 2025's, their quarters and months; and every aggregate table against what it is
/// made of.
async fn aggregates_agree(app: &TestApp, step: &str, scopes: &[IndicatorScope]) {
    let drift = app.db.indicator_aggregates_drift().await.unwrap();
    assert!(drift.is_empty(), "{step}: the aggregates drift from the registers: {drift:?}");
    let this = today_in_rome().year();
    let mut periods = BTreeSet::new();
    for year in [this - 1, this, 2025, 2026] {
        periods.insert(Period::Year(year));
        periods.extend(Period::Year(year).quarters());
    }
    for year in [this, 2025] {
        for month in 1..=12 {
            periods.insert(Period::Month(year, month));
        }
    }
    for scope in scopes {
        for &period in &periods {
            for indicator in [Indicator::MeetingsHeld, Indicator::ParticipantsUnique, Indicator::PersonMeetings] {
                let figures = app.db.indicator_figures(scope, indicator, period).await.unwrap();
                let rows = app.db.indicator_rows(scope, indicator, period, None).await.unwrap();
                let at = format!("{step}: {} {period} {:?}", indicator.code(), scope.network_ids);
                assert!(
                    same(figures.total, value_of_rows(indicator, &rows)),
                    "{at}: total {:?}, rows {rows:?}",
                    figures.total
                );
                for (network, value) in &figures.by_network {
                    let mine: Vec<_> = rows.iter().filter(|r| &r.network_id == network).cloned().collect();
                    assert!(
                        same(Some(*value), value_of_rows(indicator, &mine)),
                        "{at} {network}: {value}, rows {mine:?}"
                    );
                }
                if indicator == Indicator::MeetingsHeld {
                    let mut want: BTreeMap<(String, String), f64> = BTreeMap::new();
                    for row in &rows {
                        *want.entry((row.network_id.clone(), row.detail.clone())).or_default() += 1.0;
                        *want.entry((String::new(), row.detail.clone())).or_default() += 1.0;
                    }
                    let got: BTreeMap<(String, String), f64> =
                        figures.breakdown.iter().map(|(n, k, v)| ((n.clone(), k.clone()), *v)).collect();
                    assert_eq!(got, want, "{at}: kinds and modes");
                }
            }
        }
    }
}

fn same(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() < 1e-9,
        (a, b) => a.is_none() && b.is_none(),
    }
}

app_tests! {
    async fn every_indicator_equals_its_recomputation_from_the_records(app: TestApp) {
        let w = world(&app).await;
        let token = app.token_for(&w.coordinator).await;
        let this_year = Period::containing(today_in_rome());
        let periods = [Period::Year(2025), Period::Quarter(2025, 1), Period::Quarter(2025, 2), Period::Month(2024, 12), this_year];
        let mut nonzero = BTreeSet::new();
        for period in periods {
            let expected = recompute(&app, &w, period).await;
            let scope = IndicatorScope::programme(&app.programme_id);
            let figures = app.db.indicator_figures_all(&scope, period).await.unwrap();
            let api = app.api_get(&format!("/api/v1/indicators?programme={}&period={period}", app.programme_id), Some(&token)).await;
            assert_eq!(api.status, StatusCode::OK, "{}", api.body);
            let items = api.json()["items"].as_array().unwrap().clone();
            assert_eq!(items.len(), Indicator::ALL.len() * (1 + w.networks.len()));
            for f in &figures {
                let indicator = f.indicator;
                for id in &w.networks {
                    let want = value_of(indicator, &expected[&(indicator, id.clone())]);
                    let got = f.network(id);
                    assert!(same(got, want), "{} {period} {id}: {got:?} ≠ recomputed {want:?}", indicator.code());
                    if want.is_some_and(|v| v != 0.0) {
                        nonzero.insert(indicator);
                    }
                    let one = IndicatorScope::networks(&app.programme_id, vec![id.clone()]);
                    let rows = app.db.indicator_rows(&one, indicator, period, None).await.unwrap();
                    assert!(same(value_of_rows(indicator, &rows), got), "{} {period} {id}: the rows make the figure", indicator.code());
                    let item = items.iter().find(|i| i["code"] == indicator.code() && i["network_id"] == id.as_str()).unwrap();
                    assert!(same(item["value"].as_f64(), got), "{item}");
                    assert_eq!(item["period"], period.to_string());
                    assert!(item["rows_url"].as_str().unwrap().starts_with(&format!("/indicators/{}/rows?", indicator.code())));
                }
                let want = total_of(indicator, &expected, &w.networks);
                assert!(same(f.total, want), "{} {period} total: {:?} ≠ recomputed {want:?}", indicator.code(), f.total);
                let rows = app.db.indicator_rows(&scope, indicator, period, None).await.unwrap();
                assert!(same(value_of_rows(indicator, &rows), f.total), "{} {period}: the programme's rows", indicator.code());
                let item = items.iter().find(|i| i["code"] == indicator.code() && i["network_id"].is_null()).unwrap();
                assert!(same(item["value"].as_f64(), f.total), "{item}");
            }
        }
        // The fixture gives every indicator a figure somewhere.
        let missing: Vec<&str> = Indicator::ALL.iter().filter(|i| !nonzero.contains(i)).map(|i| i.code()).collect();
        assert!(missing.is_empty(), "never measured: {missing:?}");

        // Some figures by hand, for the reader.
        let figures = app.db.indicator_figures_all(&IndicatorScope::programme(&app.programme_id), Period::Year(2025)).await.unwrap();
        let get = |i: Indicator| figures.iter().find(|f| f.indicator == i).unwrap();
        let (a, b) = (&w.networks[0], &w.networks[1]);
        assert_eq!(get(Indicator::MeetingsHeld).network(a), Some(2.0), "the cancelled one left out");
        assert_eq!(get(Indicator::ParticipantsUnique).total, Some(2.0), "Paola counted once across two networks");
        assert_eq!(get(Indicator::PersonMeetings).total, Some(4.0));
        assert_eq!(get(Indicator::AccompanimentHours).network(a), Some(3.75));
        assert_eq!(get(Indicator::NewMembers).network(a), Some(2.0));
        assert_eq!(get(Indicator::CrossNetworkTies).network(b), Some(1.0));
        assert_eq!(get(Indicator::MemberOrganisations).total, Some(5.0), "the shared organisation once");
        assert_eq!(get(Indicator::NetworksSupported).total, Some(2.0), "the closed network is not supported");
        let q1 = app.db.indicator_figures(&IndicatorScope::programme(&app.programme_id), Indicator::MeetingsHeld, Period::Quarter(2025, 1)).await.unwrap();
        assert_eq!(q1.network(a), Some(1.0), "31/03 at 23:30 in Italy is in the first quarter");
        let kinds = &get(Indicator::MeetingsHeld).breakdown;
        assert!(kinds.contains(&(String::new(), "workshop/in_presenza".into(), 1.0)), "{kinds:?}");
        assert!(kinds.contains(&(a.clone(), "accompaniment/videoconferenza".into(), 1.0)), "{kinds:?}");
        let municipalities = &get(Indicator::MemberOrganisations).breakdown;
        assert!(municipalities.contains(&(a.clone(), "comune".into(), 2.0)), "{municipalities:?}");
        assert!(matches!(Indicator::ReadingIndexChange.measure(), Measure::Change));
    }

    async fn the_registers_aggregates_follow_every_change_of_meetings_and_lines(app: TestApp) {
        let actor = Actor::cli();
        let mut networks = Vec::new();
        for name in ["Rete Oglio", "Rete Serio", "Rete Mella"] {
            networks.push(app.network(name).create().await.id);
        }
        let (a, b, c) = (networks[0].clone(), networks[1].clone(), networks[2].clone());
        let mut people = Vec::new();
        for name in ["Anna Uno", "Bruno Due", "Carla Tre", "Dario Quattro", "Elena Cinque"] {
            people.push(person(&app, name).await);
        }
        let p = |i: usize| &people[i];
        let now = chrono::Utc::now();
        let at = |days: i64| (now + chrono::Duration::days(days)).format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let (workshop, webinar, accompaniment) = (MeetingKind::Workshop, MeetingKind::Webinar, MeetingKind::Accompaniment);
        let (in_person, online) = (MeetingMode::InPerson, MeetingMode::Videoconference);
        let m = [
            meeting(&app, &a, "Ieri", &at(-1), workshop, in_person).await,
            meeting(&app, &a, "Un mese fa", &at(-35), accompaniment, online).await,
            meeting(&app, &b, "Fra due giorni", &at(2), workshop, in_person).await,
            meeting(&app, &b, "Un anno fa", &at(-380), webinar, MeetingMode::Webinar).await,
            // 23:30 on 31 March in Italy, then 00:30 on 1 April.
            meeting(&app, &c, "Fine marzo", "2025-03-31T21:30:00Z", workshop, MeetingMode::Hybrid).await,
            meeting(&app, &c, "Inizio aprile", "2025-03-31T22:30:00Z", workshop, in_person).await,
            // 23:30 on 31 October, then 00:30 on 1 January 2026.
            meeting(&app, &a, "Fine ottobre", "2025-10-31T22:30:00Z", accompaniment, online).await,
            meeting(&app, &a, "Capodanno", "2025-12-31T23:30:00Z", workshop, in_person).await,
        ];
        present(&app, &m[0], &[(p(0), true), (p(1), true), (p(2), false)]).await;
        present(&app, &m[1], &[(p(0), true), (p(3), true)]).await;
        // A register written ahead, for a meeting not started yet: not counted until it starts.
        present(&app, &m[2], &[(p(4), true), (p(0), true)]).await;
        present(&app, &m[3], &[(p(1), true)]).await;
        present(&app, &m[4], &[(p(2), true)]).await;
        present(&app, &m[5], &[(p(2), true), (p(3), true)]).await;
        present(&app, &m[6], &[(p(4), true)]).await;
        present(&app, &m[7], &[(p(4), true), (p(0), true)]).await;
        let second = app.db.create_programme(&actor, "P-2", "Secondo programma").await.unwrap().id;
        let scopes = [
            IndicatorScope::programme(&app.programme_id),
            IndicatorScope::programme(&second),
            IndicatorScope::networks(&app.programme_id, vec![a.clone()]),
            IndicatorScope::networks(&app.programme_id, vec![a.clone(), b.clone()]),
        ];
        aggregates_agree(&app, "registers written", &scopes).await;

        present(&app, &m[0], &[(p(0), false), (p(2), true)]).await;
        aggregates_agree(&app, "a register rewritten", &scopes).await;

        let sql = |statement: &'static str, binds: Vec<String>| {
            let db = app.db.clone();
            async move {
                let mut query = sqlx::query(statement);
                for value in binds {
                    query = query.bind(value);
                }
                query.execute(db.pool()).await.unwrap();
            }
        };
        let steps: Vec<(&str, &'static str, Vec<String>)> = vec![
            ("moved a month back", "UPDATE meetings SET starts_at = $1 WHERE id = $2", vec![at(-70), m[1].clone()]),
            ("moved to another network", "UPDATE meetings SET network_id = $1 WHERE id = $2", vec![b.clone(), m[0].clone()]),
            ("a meeting ahead brought back", "UPDATE meetings SET starts_at = $1 WHERE id = $2", vec![at(-2), m[2].clone()]),
            ("a meeting put ahead", "UPDATE meetings SET starts_at = $1 WHERE id = $2", vec![at(3), m[4].clone()]),
            ("retyped", "UPDATE meetings SET kind = 'webinar', mode = 'webinar' WHERE id = $1", vec![m[5].clone()]),
            ("restored", "UPDATE meetings SET cancelled_at = NULL WHERE id = $1", vec![m[6].clone()]),
            ("a network's meetings moved at once", "UPDATE meetings SET starts_at = $1 WHERE network_id = $2", vec!["2025-04-30T22:30:00Z".into(), c.clone()]),
            ("a line deleted", "DELETE FROM meeting_attendance WHERE meeting_id = $1 AND person_id = $2", vec![m[5].clone(), p(3).clone()]),
            ("lines marked absent", "UPDATE meeting_attendance SET present = 0 WHERE meeting_id = $1", vec![m[1].clone()]),
            ("a meeting deleted with its register", "DELETE FROM meetings WHERE id = $1", vec![m[7].clone()]),
            ("a network archived", "UPDATE networks SET archived_at = '2026-01-01T00:00:00.000000Z' WHERE id = $1", vec![c.clone()]),
            ("a network restored", "UPDATE networks SET archived_at = NULL WHERE id = $1", vec![c.clone()]),
            ("a network moved to another programme", "UPDATE networks SET programme_id = $1 WHERE id = $2", vec![second.clone(), b.clone()]),
        ];
        app.db.cancel_meeting(&actor, &m[6]).await.unwrap();
        aggregates_agree(&app, "cancelled", &scopes).await;
        for (step, statement, binds) in steps {
            sql(statement, binds).await;
            aggregates_agree(&app, step, &scopes).await;
        }
    }

    async fn a_member_of_one_network_never_sees_anothers_figures(app: TestApp) {
        let w = world(&app).await;
        let (a, b) = (&w.networks[0], &w.networks[1]);
        let token = app.token_for(&w.b_member).await;
        let base = format!("/api/v1/indicators?programme={}&period=2025", app.programme_id);
        let mine = app.api_get(&base, Some(&token)).await;
        assert_eq!(mine.status, StatusCode::OK, "{}", mine.body);
        let items = mine.json()["items"].as_array().unwrap().clone();
        assert!(items.iter().all(|i| i["network_id"].is_null() || i["network_id"] == b.as_str()), "{items:?}");
        assert!(!mine.body.contains(a.as_str()), "A is never named");
        let hours = items.iter().find(|i| i["code"] == "accompaniment_hours" && i["network_id"].is_null()).unwrap();
        assert_eq!(hours["value"], 0.5, "the total is B's alone");
        let people = items.iter().find(|i| i["code"] == "participants_unique" && i["network_id"].is_null()).unwrap();
        assert_eq!(people["value"], 1.0);
        assert_eq!(app.api_get(&format!("{base}&network={a}"), Some(&token)).await.status, StatusCode::FORBIDDEN);

        app.login(&w.b_member.email).await;
        assert_eq!(app.get(&format!("/networks/{a}/indicators?period=2025")).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.get(&format!("/networks/{a}/indicators/export?period=2025&format=csv")).await.status, StatusCode::FORBIDDEN);
        let rows = format!("/indicators/meetings_held/rows?programme={}&network={a}&period=2025", app.programme_id);
        assert_eq!(app.get(&rows).await.status, StatusCode::FORBIDDEN);
        let page = app.get(&format!("/programmes/{}/indicators?period=2025", app.programme_id)).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(!page.body.contains("Rete Adda") && !page.body.contains(a.as_str()), "{}", page.body);
        assert!(page.body.contains("Rete Brembo"));
        let csv = app.get(&format!("/programmes/{}/indicators/export?period=2025&format=csv", app.programme_id)).await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.body.contains(b.as_str()) && !csv.body.contains(a.as_str()), "{}", csv.body);
        let all_rows = app.get(&format!("/indicators/meetings_held/rows?programme={}&period=2025", app.programme_id)).await;
        assert_eq!(all_rows.status, StatusCode::OK);
        assert!(all_rows.body.contains("Tavolo Brembo") && !all_rows.body.contains("Workshop di avvio"), "{}", all_rows.body);

        // Another programme's coordinator sees nothing of this one.
        let other = app.db.create_programme(&Actor::cli(), "ALTRO-1", "Altro programma").await.unwrap();
        let new = reti_store::users::NewUser {
            email: reti_domain::Email::parse("altra-ind@prova.it").unwrap(),
            name: PersonName::parse("Altra Coordinatrice").unwrap(),
            password: Some(reti_domain::Password::parse(crate::harness::PASSWORD, &[]).unwrap()),
            is_admin: false,
        };
        let stranger = app.db.create_user_with_roles(&Actor::cli(), new, &[(other.id, Role::Coordinator)]).await.unwrap();
        let token = app.token_for(&stranger).await;
        assert_eq!(app.api_get(&base, Some(&token)).await.status, StatusCode::FORBIDDEN);
    }

    async fn bad_periods_and_targets_are_named(app: TestApp) {
        let w = world(&app).await;
        let token = app.token_for(&w.coordinator).await;
        let bad = app.api_get(&format!("/api/v1/indicators?programme={}&period=2025-Q5", app.programme_id), Some(&token)).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(bad.body.contains("\"period\"") && bad.body.contains("2026-Q1"), "{}", bad.body);
        app.login(&w.coordinator.email).await;
        let programme = format!("/programmes/{}", app.programme_id);
        let page = app.get(&format!("{programme}/indicators?period=marzo")).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.body.contains("non è un periodo valido"), "{}", page.body);

        let dates = [("name", "LAB'IMPACT"), ("fund", "FAMI"), ("cup", ""), ("starts_on", "2024-01-01"), ("ends_on", "2026-12-31")];
        assert_eq!(app.post(&programme, &dates).await.status, StatusCode::SEE_OTHER);
        let targets = format!("{programme}/indicators/targets");
        let outside = app.post(&targets, &[("indicators_code", "accompaniment_hours"), ("indicators_period", "2027-Q1"), ("indicators_network", ""), ("indicators_value", "10")]).await;
        assert_eq!(outside.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(outside.body.contains("fuori dalle date del programma (dal 01/01/2024 al 31/12/2026)"), "{}", outside.body);
        let unknown = app.post(&targets, &[("indicators_code", "felicità"), ("indicators_period", "2025"), ("indicators_network", ""), ("indicators_value", "-2")]).await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(unknown.body.contains("non indica un indicatore conosciuto") && unknown.body.contains("da 0 in su"), "{}", unknown.body);
        let stranger = app.post(&targets, &[("indicators_code", "new_members"), ("indicators_period", "2025"), ("indicators_network", "nope"), ("indicators_value", "1")]).await;
        assert_eq!(stranger.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(app.db.indicator_targets(&app.programme_id, None).await.unwrap().is_empty(), "nothing written");

        let a = &w.networks[0];
        let saved = app.post(&targets, &[("indicators_code", "accompaniment_hours"), ("indicators_period", "2025"), ("indicators_network", a), ("indicators_value", "3")]).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let again = app.post(&targets, &[("indicators_code", "accompaniment_hours"), ("indicators_period", "2025"), ("indicators_network", a), ("indicators_value", "3,5")]).await;
        assert_eq!(again.status, StatusCode::SEE_OTHER);
        app.post(&targets, &[("indicators_code", "meetings_held"), ("indicators_period", "2025"), ("indicators_network", ""), ("indicators_value", "10")]).await;
        assert_eq!(app.db.indicator_targets(&app.programme_id, None).await.unwrap().len(), 2, "a target replaced, not added");
        let api = app.api_get(&format!("/api/v1/indicators?network={a}&period=2025"), Some(&token)).await.json();
        let hours = api["items"].as_array().unwrap().iter().find(|i| i["code"] == "accompaniment_hours").unwrap().clone();
        assert_eq!((hours["value"].as_f64(), hours["target"].as_f64()), (Some(3.75), Some(3.5)));
        let api = app.api_get(&format!("/api/v1/indicators?programme={}&period=2025", app.programme_id), Some(&token)).await.json();
        let meetings = api["items"].as_array().unwrap().iter().find(|i| i["code"] == "meetings_held" && i["network_id"].is_null()).unwrap().clone();
        assert_eq!(meetings["target"].as_f64(), Some(10.0));

        // Only the coordination sets targets.
        app.login(&w.a_lead.email).await;
        let refused = app.post(&targets, &[("indicators_code", "new_members"), ("indicators_period", "2025"), ("indicators_network", a), ("indicators_value", "1")]).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
    }

    async fn dashboards_chart_tell_and_trace(app: TestApp) {
        let w = world(&app).await;
        let a = &w.networks[0];
        app.login(&w.coordinator.email).await;
        app.post(&format!("/programmes/{}/indicators/targets", app.programme_id), &[("indicators_code", "accompaniment_hours"), ("indicators_period", "2025"), ("indicators_network", a), ("indicators_value", "3")]).await;
        let programme = app.get(&format!("/programmes/{}", app.programme_id)).await;
        assert!(programme.body.contains(&format!("/programmes/{}/indicators", app.programme_id)), "the programme links its dashboard");
        let dashboard = app.get(&format!("/programmes/{}/indicators?period=2025", app.programme_id)).await;
        assert_eq!(dashboard.status, StatusCode::OK, "{}", dashboard.body);
        assert!(dashboard.body.contains("Rete Adda") && dashboard.body.contains("Rete Brembo"));
        assert!(dashboard.body.contains("name=\"indicators_value\""), "the targets form");

        app.login(&w.a_lead.email).await;
        let network = app.get(&format!("/networks/{a}")).await;
        assert!(network.body.contains(&format!("/networks/{a}/indicators")), "the network links its dashboard");
        let page = app.get(&format!("/networks/{a}/indicators?period=2025")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let body = &page.body;
        assert!(body.contains(r#"role="img""#) && body.contains("<title id=\"series-meetings-held-title\">") && body.contains("<desc id=\"targets-desc\">"), "{body}");
        assert!(body.contains("<details>"), "the data one click away");
        assert!(body.contains("2 nuovi membri.") && body.contains("Un secondo comune ha aderito."), "{body}");
        assert!(body.contains("Ore di accompagnamento: 3.75, sopra l&#39;obiettivo (3.00).") || body.contains("Ore di accompagnamento: 3.75, sopra l'obiettivo (3.00)."), "{body}");
        assert!(body.contains("Mediana delle reti del programma"), "three networks: the median is shown");
        assert!(!body.contains("name=\"indicators_value\""), "no targets form for a lead");
        // Follow the meetings' figure to its rows.
        let marker = "data-indicator=\"meetings_held\"";
        let before = &body[..body.find(marker).unwrap()];
        let href = before[before.rfind("href=\"").unwrap() + 6..].split('"').next().unwrap().replace("&amp;", "&").replace("&#38;", "&");
        let rows = app.get(&href).await;
        assert_eq!(rows.status, StatusCode::OK, "{href}: {}", rows.body);
        assert!(rows.body.contains("Workshop di avvio") && rows.body.contains("Accompagnamento"), "{}", rows.body);
        assert!(!rows.body.contains("Annullato") && !rows.body.contains("Tavolo Brembo"), "{}", rows.body);
        assert_eq!(rows.body.matches("class=\"indicator-row\"").count(), 2);
        assert!(rows.body.contains("<dd class=\"col-sm-8\" id=\"indicator-value\">2</dd>"), "{}", rows.body);
        let csv = app.get(&format!("{href}&format=csv")).await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.body.starts_with('\u{feff}') && csv.body.contains("Workshop di avvio"), "{}", csv.body);
        let json = app.get(&format!("/networks/{a}/indicators/export?period=2025&format=json")).await;
        let rows: serde_json::Value = serde_json::from_str(&json.body).unwrap();
        let hours = rows.as_array().unwrap().iter().find(|r| r["code"] == "accompaniment_hours" && r["network_id"] == a.as_str()).unwrap().clone();
        assert_eq!((hours["value"].as_str(), hours["target"].as_str()), (Some("3.75"), Some("3.00")));
        assert_eq!(app.get("/indicators/happiness/rows?period=2025").await.status, StatusCode::NOT_FOUND);
    }
}
