//! The demo's cross-network ties (decision 0031): shared organisations come from the registry's
//! memberships; joint meetings come from here. For each small group of the demo's grouping, a
//! group workshop of its networks about two months ago, and a joint lab session about fourteen
//! months ago with the next group's first network too (so that the page's comparison with a
//! year before shows ties gained and lost),
//! each a meeting of the group's first network inviting the others, with the people of the
//! invited networks present. A network whose joint meetings exist already is left alone.

use chrono::{Duration, Months, Utc};
use reti_domain::meetings::{Attendance, MeetingDraft, MeetingKind, MeetingMode, resolve_local, to_local};
use reti_store::meetings::{InviteeKind, MeetingChanges, MeetingFilter};
use reti_store::{Actor, Db, PageRequest};

const WORKSHOP: &str = "Workshop di gruppo tra reti: obiettivi comuni";
const LAB: &str = "Laboratorio tra reti: mappare gli attori";

pub async fn load(db: &Db, actor: &Actor, programme_id: &str) -> anyhow::Result<()> {
    let Some(line) = db.groupings(programme_id, PageRequest::new(None, Some(1))).await?.items.into_iter().next() else {
        return Ok(());
    };
    let Some(grouping) = db.grouping(programme_id, &line.id).await? else { return Ok(()) };
    let today = to_local(Utc::now()).date_naive();
    for (n, group) in grouping.groups.iter().enumerate() {
        let [host, guests @ ..] = group.network_ids.as_slice() else { continue };
        if guests.is_empty() {
            continue;
        }
        let filter = MeetingFilter { network: Some(host.clone()), include_cancelled: true, ..MeetingFilter::default() };
        let existing = db.meetings(&filter, PageRequest::all()).await?.items;
        // The lab of a year ago also had the next group's first network: a tie since lost.
        let next = &grouping.groups[(n + 1) % grouping.groups.len()].network_ids;
        let mut lab_networks = group.network_ids.clone();
        lab_networks.extend(next.first().filter(|id| !lab_networks.contains(id)).cloned());
        let plans = [
            (WORKSHOP, MeetingKind::Workshop, 2u32, group.network_ids.clone()),
            (LAB, MeetingKind::Lab, 14, lab_networks),
        ];
        for (title, kind, months_ago, networks) in plans {
            if existing.iter().any(|m| m.title == title) {
                continue;
            }
            let day = today - Months::new(months_ago) + Duration::days(n as i64);
            let start = resolve_local("starts_at", day.and_hms_opt(10, 0, 0).expect("a time"))?;
            let draft = MeetingDraft {
                title: title.to_owned(),
                kind,
                mode: MeetingMode::InPerson,
                place: "Sede del coordinamento regionale".to_owned(),
                link: String::new(),
                starts_at: start,
                ends_at: start + Duration::minutes(180),
                agenda: "1. Presentazione delle reti\n2. Lavoro in gruppi misti\n3. Impegni comuni".to_owned(),
                registration_open: true,
                capacity: None,
                recurrence: None,
            };
            let invitees: Vec<(InviteeKind, String)> =
                networks.iter().map(|id| (InviteeKind::Network, id.clone())).collect();
            let changes = MeetingChanges { draft: &draft, invitees: &invitees, room_base: None };
            for id in db.create_meetings(actor, host, &changes).await? {
                let mut lines = Vec::new();
                for network in &networks {
                    for person in db.network_people(network).await?.into_iter().take(2) {
                        if !lines.iter().any(|l: &Attendance| l.person_id == person.id) {
                            lines.push(Attendance {
                                person_id: person.id,
                                present: true,
                                minutes: 180,
                                role: String::new(),
                            });
                        }
                    }
                }
                db.record_attendance(actor, &id, &lines, None).await?;
            }
        }
    }
    Ok(())
}
