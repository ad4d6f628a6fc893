//! The demo's meetings: for every demo network, a year of them around the day the demo is loaded
//! (six months back, six months ahead): a monthly accompaniment cycle whose mode alternates
//! between in person, videoconference and hybrid, a group workshop in person, a lab session that
//! is hybrid and a webinar each quarter. Past meetings have their register (signed when more than
//! a week old), minutes and follow-up actions; future ones have registrations.
//!
//! The calendar moves with the day of loading, so that there are always past and future
//! meetings; everything else is derived from the network and the meeting's place in the year.
//! A network that already has meetings is left alone, so loading twice adds nothing.

use chrono::{Datelike, Duration, Months, NaiveDate, Utc};
use reti_domain::meetings::{
    ActionDraft, ActionKind, ActionStatus, Attendance, Frequency, MeetingDraft, MeetingKind, MeetingMode, Recurrence,
    resolve_local, to_local,
};
use reti_store::meetings::{InviteeKind, MeetingChanges, MeetingFilter};
use reti_store::{Actor, Db, PageRequest};

const ROOMS: &str = "https://meet.jit.si";

struct Plan {
    title: &'static str,
    kind: MeetingKind,
    mode: MeetingMode,
    /// Months after the start of the year of meetings.
    month: u32,
    hour: u32,
    minutes: i64,
}

/// The quarterly meetings beside the monthly cycle.
const QUARTERLY: [(&str, MeetingKind, MeetingMode, u32); 3] = [
    ("Workshop di gruppo: la matrice obiettivi e processi", MeetingKind::Workshop, MeetingMode::InPerson, 14),
    ("Laboratorio: mappare gli attori del territorio", MeetingKind::Lab, MeetingMode::Hybrid, 10),
    ("Webinar: co-progettare con gli enti locali", MeetingKind::Webinar, MeetingMode::Webinar, 17),
];

const MINUTES: &str = "## Presenti e ordine del giorno\n\nIl registro presenze è allegato al verbale.\n\n\
## Punti discussi\n\n- Stato delle azioni della progettazione locale\n- Spazi di crescita emersi dalla rilevazione\n\n\
## Decisioni\n\n- Si conferma il calendario dei prossimi incontri.\n";

pub async fn load(db: &Db, actor: &Actor, networks: &[String]) -> anyhow::Result<()> {
    let today = to_local(Utc::now()).date_naive();
    let start = today.with_day(1).expect("day 1") - Months::new(6);
    for (index, network_id) in networks.iter().enumerate() {
        let filter =
            MeetingFilter { network: Some(network_id.clone()), include_cancelled: true, ..MeetingFilter::default() };
        if db.meetings(&filter, PageRequest::new(Some(1), Some(1))).await?.total > 0 {
            continue;
        }
        let network =
            db.network(network_id).await?.ok_or_else(|| anyhow::anyhow!("demo: network {network_id} gone"))?;
        let place =
            format!("Sede di {}", network.lead().map(|m| m.organisation_name.as_str()).unwrap_or(&network.name));
        let cycle = Plan {
            title: "Incontro di accompagnamento",
            kind: MeetingKind::Accompaniment,
            mode: MeetingMode::InPerson,
            month: 0,
            hour: 10,
            minutes: 120,
        };
        // Networks meet on different weekdays: the first Tuesday, Wednesday or Thursday.
        let weekday_offset = (index % 3) as u32 + 1;
        let first_day = first_weekday(start, weekday_offset);
        let ids = create(db, actor, network_id, &cycle, first_day, &place, Some(12)).await?;
        // The cycle alternates modes: in person, by videoconference, hybrid.
        for (n, id) in ids.iter().enumerate().filter(|(n, _)| n % 3 != 0) {
            let meeting = db.meeting(id).await?.ok_or_else(|| anyhow::anyhow!("demo: meeting gone"))?;
            let mode = if n % 3 == 1 { MeetingMode::Videoconference } else { MeetingMode::Hybrid };
            let draft = MeetingDraft {
                title: meeting.title.clone(),
                kind: meeting.kind,
                mode,
                place: if mode.has_place() { place.clone() } else { String::new() },
                link: String::new(),
                starts_at: meeting.starts_at,
                ends_at: meeting.ends_at,
                agenda: meeting.agenda.clone(),
                registration_open: true,
                capacity: None,
                recurrence: None,
            };
            let invitees = [(InviteeKind::Network, network_id.clone())];
            let changes = MeetingChanges { draft: &draft, invitees: &invitees, room_base: Some(ROOMS) };
            db.update_meeting(actor, id, &changes).await?;
        }
        let mut all = ids;
        for quarter in 0..4u32 {
            let (title, kind, mode, hour) = QUARTERLY[(quarter as usize + index) % QUARTERLY.len()];
            let plan = Plan { title, kind, mode, month: quarter * 3 + 1, hour, minutes: 150 };
            let day = first_weekday(start + Months::new(plan.month), weekday_offset) + Duration::days(14);
            all.extend(create(db, actor, network_id, &plan, day, &place, None).await?);
        }
        fill(db, actor, network_id, &all, today).await?;
    }
    Ok(())
}

/// The first day of `month_start`'s month that falls `weekday` days after Monday.
fn first_weekday(month_start: NaiveDate, weekday: u32) -> NaiveDate {
    let shift = (7 + weekday - month_start.weekday().num_days_from_monday()) % 7;
    month_start + Duration::days(i64::from(shift))
}

async fn create(
    db: &Db,
    actor: &Actor,
    network_id: &str,
    plan: &Plan,
    day: NaiveDate,
    place: &str,
    monthly_count: Option<u32>,
) -> anyhow::Result<Vec<String>> {
    let start = resolve_local("starts_at", day.and_hms_opt(plan.hour, 0, 0).expect("a time"))?;
    let draft = MeetingDraft {
        title: plan.title.to_owned(),
        kind: plan.kind,
        mode: plan.mode,
        place: if plan.mode.has_place() { place.to_owned() } else { String::new() },
        link: String::new(),
        starts_at: start,
        ends_at: start + Duration::minutes(plan.minutes),
        agenda: "1. Aggiornamenti dalla rete\n2. Lavoro sul tema dell'incontro\n3. Prossimi passi".to_owned(),
        registration_open: true,
        capacity: (plan.kind == MeetingKind::Webinar).then_some(40),
        recurrence: monthly_count.map(|count| Recurrence {
            frequency: Frequency::Monthly,
            count: Some(count),
            until: None,
        }),
    };
    let invitees = [(InviteeKind::Network, network_id.to_owned())];
    let changes = MeetingChanges { draft: &draft, invitees: &invitees, room_base: Some(ROOMS) };
    Ok(db.create_meetings(actor, network_id, &changes).await?)
}

/// Registers, records, signs and writes minutes and actions, as the year would have.
async fn fill(db: &Db, actor: &Actor, network_id: &str, ids: &[String], today: NaiveDate) -> anyhow::Result<()> {
    let people = db.network_people(network_id).await?;
    for (n, id) in ids.iter().enumerate() {
        let meeting = db.meeting(id).await?.ok_or_else(|| anyhow::anyhow!("demo: meeting gone"))?;
        let day = to_local(meeting.starts_at).date_naive();
        if day >= today {
            for person in people.iter().take(3 + n % 3) {
                db.register(actor, id, &person.id).await?;
            }
            continue;
        }
        let length = meeting.length_minutes();
        let lines: Vec<Attendance> = people
            .iter()
            .enumerate()
            .map(|(p, person)| {
                // About four in five come; some leave early.
                let present = (n + p) % 5 != 4;
                let minutes = if !present {
                    0
                } else if (n + p) % 4 == 0 {
                    length - 30
                } else {
                    length
                };
                let role = if p == 0 { "referente della rete" } else { "partecipante" };
                Attendance { person_id: person.id.clone(), present, minutes, role: role.to_owned() }
            })
            .collect();
        if !lines.is_empty() {
            db.record_attendance(actor, id, &lines, None).await?;
            if day + Duration::days(7) < today {
                db.sign_register(actor, id).await?;
            }
        }
        db.set_minutes(actor, id, MINUTES).await?;
        let owner = people.first().map(|p| p.name.clone()).unwrap_or_else(|| "Coordinamento".to_owned());
        let due = day + Duration::days(21);
        let actions = [
            (ActionKind::Decision, "Confermare il calendario del trimestre", String::new(), None, ActionStatus::Done),
            (
                ActionKind::Action,
                "Condividere il verbale con gli enti della rete",
                owner,
                time::Date::from_calendar_date(due.year(), time::Month::try_from(due.month() as u8)?, due.day() as u8)
                    .ok(),
                if due < today { ActionStatus::Done } else { ActionStatus::InProgress },
            ),
        ];
        for (kind, description, owner, due_on, status) in actions {
            let draft = ActionDraft { kind, description: description.to_owned(), owner, due_on, status };
            db.add_meeting_action(actor, id, &draft).await?;
        }
    }
    Ok(())
}
