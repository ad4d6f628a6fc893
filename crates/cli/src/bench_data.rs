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

/// `indicators`: a programme `code` (created) with `networks` networks of one member each,
/// `meetings` weekly meetings per network, all past, and a register of `attendees` people each,
/// drawn in turn from a pool of `10 × attendees` people (so that people meet in several networks):
/// `networks × meetings × attendees` register lines, and two diary entries per network.
pub async fn indicators(db: &Db, code: &str, networks: usize, meetings: u32, attendees: usize) -> anyhow::Result<()> {
    use reti_domain::meetings::{Frequency, Recurrence};
    let actor = Actor::cli();
    let programme = db.create_programme(&actor, code, &format!("Programma di prova {code}")).await?;
    let mut network_ids = Vec::with_capacity(networks);
    for n in 0..networks {
        let input = reti_store::registry::networks::NetworkInput {
            programme_id: programme.id.clone(),
            name: format!("Rete di prova {n:04}"),
            description: String::new(),
            maturity: None,
            status: reti_domain::NetworkStatus::Active,
            municipality_codes: vec!["015146".into()],
            action_line_ids: Vec::new(),
        };
        let network = db.create_network(&actor, &input).await?;
        let first10 = format!("{:07}000", 6_000_000 + n);
        let organisation = reti_store::registry::organisations::OrganisationInput {
            name: format!("Ente di prova {n:04}"),
            kind: reti_domain::OrganisationKind::ALL[n % reti_domain::OrganisationKind::ALL.len()],
            tax_code: reti_domain::TaxCode::parse(&format!(
                "{first10}{}",
                reti_domain::taxcode::check_digit_numeric(&first10)
            ))?,
            municipality_code: Some("015146".into()),
            address: String::new(),
            email: None,
            phone: String::new(),
            website: String::new(),
            resources: Vec::new(),
        };
        let organisation = db.create_organisation(&actor, &organisation).await?.id;
        let membership = reti_store::registry::networks::MembershipInput {
            organisation_id: organisation,
            role: reti_domain::MembershipRole::Lead,
            joined_on: None,
        };
        db.add_membership(&actor, &network.id, &membership).await?;
        network_ids.push(network.id);
    }
    let pool_size = attendees * 10;
    let lead = db.network(&network_ids[0]).await?.and_then(|n| n.lead().map(|m| m.organisation_id.clone()));
    let lead = lead.ok_or_else(|| anyhow::anyhow!("the first network has no lead"))?;
    for p in 0..pool_size {
        let input = PersonInput {
            name: PersonName::parse(&format!("Partecipante Prova {p:05}"))?,
            email: Some(Email::parse(&format!("partecipante.{p:05}.{code}@bench.reti.example").to_lowercase())?),
            phone: String::new(),
        };
        db.create_person_with_affiliations(&actor, &input, &[(lead.clone(), "partecipante".to_owned())]).await?;
    }
    let pool: Vec<String> = db.network_people(&network_ids[0]).await?.into_iter().map(|p| p.id).collect();
    let facilitator = reti_store::users::NewUser {
        email: Email::parse(&format!("accompagnatore.{code}@bench.reti.example").to_lowercase())?,
        name: PersonName::parse("Accompagnatore di prova")?,
        password: None,
        is_admin: false,
    };
    let facilitator = db
        .create_user_with_roles(&actor, facilitator, &[(programme.id.clone(), reti_domain::Role::Facilitator)])
        .await?;
    let first = Utc::now() - Duration::weeks(i64::from(meetings) + 1);
    let mut rows = 0;
    for (n, network_id) in network_ids.iter().enumerate() {
        let draft = MeetingDraft {
            title: "Incontro di rete".to_owned(),
            kind: MeetingKind::ALL[n % MeetingKind::ALL.len()],
            mode: MeetingMode::InPerson,
            place: "Sede".to_owned(),
            link: String::new(),
            starts_at: first,
            ends_at: first + Duration::minutes(90),
            agenda: String::new(),
            registration_open: false,
            capacity: None,
            recurrence: Some(Recurrence { frequency: Frequency::Weekly, count: Some(meetings), until: None }),
        };
        let changes = MeetingChanges { draft: &draft, invitees: &[], room_base: None };
        let ids = db.create_meetings(&actor, network_id, &changes).await?;
        for (m, id) in ids.iter().enumerate() {
            let lines: Vec<Attendance> = (0..attendees)
                .map(|a| Attendance {
                    person_id: pool[(n * 7 + m + a) % pool.len()].clone(),
                    present: true,
                    minutes: 90,
                    role: String::new(),
                })
                .collect();
            db.record_attendance(&actor, id, &lines, None).await?;
            rows += lines.len();
        }
        for (day, hundredths) in [(10, 150), (40, 225)] {
            let input = reti_domain::diary::DiaryEntryInput {
                entry_date: reti_domain::meetings::today_in_rome() - time::Duration::days(day),
                hundredths,
                kind: reti_domain::diary::DiaryKind::Coaching,
                notes: String::new(),
                growth_spaces: String::new(),
                next_steps: String::new(),
            };
            db.create_diary_entry(&actor, network_id, &facilitator.id, &input).await?;
        }
        if (n + 1) % 100 == 0 {
            eprintln!("{} networks, {rows} register lines", n + 1);
        }
    }
    println!("programme {} ({}): {networks} networks, {rows} register lines", programme.code, programme.id);
    Ok(())
}
