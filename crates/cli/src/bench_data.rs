//! Synthetic data at benchmark scale, written through the store as the site writes it (every
//! change with its audit entry), so that the figures measure the real tables and indexes.
//!
//! `meetings`: `count` meetings of one network, spread evenly over the year around today (six
//! months back, six ahead), every kind and mode in turn, inviting the whole network. Past
//! meetings get a register line for each of `attendees` people of the network; when the network
//! has fewer people, the missing ones are created and affiliated to its lead organisation.

use chrono::{Duration, Utc};
use reti_domain::meetings::{Attendance, MeetingDraft, MeetingKind, MeetingMode};
use reti_domain::{Email, PersonName};
use reti_store::meetings::{InviteeKind, MeetingChanges};
use reti_store::registry::people::PersonInput;
use reti_store::{Actor, Db};

pub async fn meetings(db: &Db, network_id: &str, count: usize, attendees: usize) -> anyhow::Result<()> {
    let actor = Actor::cli();
    let network = db.network(network_id).await?.ok_or_else(|| anyhow::anyhow!("no network {network_id}"))?;
    let mut people = db.network_people(network_id).await?;
    if people.len() < attendees {
        let organisation = network
            .lead()
            .or_else(|| network.current_members().next())
            .ok_or_else(|| anyhow::anyhow!("the network {} has no member organisation", network.name))?
            .organisation_id
            .clone();
        for n in people.len()..attendees {
            let input = PersonInput {
                name: PersonName::parse(&format!("Persona Prova {n:05}"))?,
                email: Some(Email::parse(&format!("prova.{n:05}.{network_id}@bench.reti.example"))?),
                phone: String::new(),
            };
            let affiliation = [(organisation.clone(), "partecipante".to_owned())];
            db.create_person_with_affiliations(&actor, &input, &affiliation).await?;
        }
        people = db.network_people(network_id).await?;
    }
    let people = &people[..attendees.min(people.len())];
    let now = Utc::now();
    let first = now - Duration::days(182);
    let step = Duration::days(365) / i32::try_from(count.max(1))?;
    let invitees = [(InviteeKind::Network, network_id.to_owned())];
    let mut rows = 0;
    for n in 0..count {
        let kind = MeetingKind::ALL[n % MeetingKind::ALL.len()];
        let mode = MeetingMode::ALL[n % MeetingMode::ALL.len()];
        let starts_at = first + step * i32::try_from(n)?;
        let draft = MeetingDraft {
            title: format!("Incontro di prova {}", n + 1),
            kind,
            mode,
            place: if mode.has_place() { format!("Sede di {}", network.name) } else { String::new() },
            link: String::new(),
            starts_at,
            ends_at: starts_at + Duration::minutes(90),
            agenda: "1. Aggiornamenti\n2. Prossimi passi".to_owned(),
            registration_open: true,
            capacity: None,
            recurrence: None,
        };
        let changes = MeetingChanges { draft: &draft, invitees: &invitees, room_base: Some("https://meet.jit.si") };
        let ids = db.create_meetings(&actor, network_id, &changes).await?;
        if starts_at < now {
            let lines: Vec<Attendance> = people
                .iter()
                .enumerate()
                .map(|(p, person)| {
                    let present = (n + p) % 5 != 4;
                    Attendance {
                        person_id: person.id.clone(),
                        present,
                        minutes: if present { 90 } else { 0 },
                        role: "partecipante".to_owned(),
                    }
                })
                .collect();
            for id in &ids {
                db.record_attendance(&actor, id, &lines, None).await?;
                rows += lines.len();
            }
        }
    }
    println!("{count} meetings in {}, {rows} register lines", network.name);
    Ok(())
}
