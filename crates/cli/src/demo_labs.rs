//! The demo's thematic labs: two labs of the programme, each with an expert who has an account
//! (the demo's facilitator) and a guest expert, participants from several networks (people of
//! the registry given an account without a password, so they appear but cannot log in), two
//! past sessions with their attendance and two to come, hosted by a participant's network.
//! Their materials are files under the data directory, written by [`load_materials`] when the
//! server has one.
//!
//! A lab that exists already (by title) is left alone, so loading twice adds nothing.

use chrono::{Duration, Utc};
use reti_domain::labs::{Enrolment, GuestExpert, Joiner, LabInput, LabStatus};
use reti_domain::meetings::{Attendance, MeetingDraft, MeetingKind, MeetingMode, resolve_local, to_local};
use reti_domain::{Email, PersonName, Role};
use reti_store::labs::LabFilter;
use reti_store::meetings::{InviteeKind, MeetingChanges};
use reti_store::users::NewUser;
use reti_store::{Actor, Db, PageRequest};
use std::path::Path;

struct LabSpec {
    title: &'static str,
    theme: &'static str,
    action_line: i64,
    description: &'static str,
    enrolment: Enrolment,
    capacity: Option<i64>,
    /// The demo networks (by position) its participants come from.
    networks: &'static [usize],
    guest: (&'static str, &'static str, &'static str),
    sessions: [&'static str; 4],
    material: (&'static str, &'static str),
}

const LABS: [LabSpec; 2] = [
    LabSpec {
        title: "Scuola e territorio contro la dispersione",
        theme: "Dispersione scolastica e ruolo dei CPIA",
        action_line: 1,
        description: "Le reti confrontano come scuole, CPIA e terzo settore intercettano gli studenti \
            con background migratorio a rischio di abbandono.\n\n\
            - **Obiettivo**: un protocollo condiviso di segnalazione e presa in carico\n\
            - **Metodo**: casi portati dalle reti, lavoro in piccoli gruppi, restituzione in plenaria\n",
        enrolment: Enrolment::Open,
        capacity: Some(25),
        networks: &[0, 1, 2, 3],
        guest: ("Laura Bianchi", "laura.bianchi@universita.example", "Università degli Studi di Milano-Bicocca"),
        sessions: [
            "Avvio: le mappe della dispersione nei territori",
            "Casi a confronto: il passaggio tra scuola media e superiore",
            "Il protocollo di segnalazione: prima bozza",
            "Restituzione e impegni delle reti",
        ],
        material: (
            "traccia-protocollo-segnalazione.md",
            "# Traccia del protocollo\n\n1. Chi segnala\n2. A chi\n3. Entro quando\n",
        ),
    },
    LabSpec {
        title: "Sportelli e informazione qualificata",
        theme: "Accesso ai servizi e mediazione linguistico-culturale",
        action_line: 2,
        description: "Un laboratorio su invito per gli operatori degli sportelli: come rendere \
            l'informazione chiara, tradotta e verificata.\n\n\
            Si lavora su materiali reali portati dalle reti.\n",
        enrolment: Enrolment::Invitation,
        capacity: Some(15),
        networks: &[0, 4, 5],
        guest: ("Samir Haddad", "samir.haddad@mediazione.example", "Cooperativa di mediazione interculturale"),
        sessions: [
            "Che cosa chiedono le persone agli sportelli",
            "Scrivere semplice: laboratorio sui testi",
            "Informazione tradotta e verificata",
            "Una guida comune per gli sportelli",
        ],
        material: ("glossario-sportelli.txt", "Glossario degli sportelli\n\npermesso di soggiorno: residence permit\n"),
    },
];

const FACILITATOR: &str = "accompagnatore@reti.example";
const MEMBER: &str = "membro@reti.example";

pub async fn load(db: &Db, actor: &Actor, programme_id: &str, networks: &[String]) -> anyhow::Result<()> {
    let filter = LabFilter { programme_ids: Some(vec![programme_id.to_owned()]), ..LabFilter::default() };
    let existing = db.labs(&filter, PageRequest::all()).await?.items;
    let today = to_local(Utc::now()).date_naive();
    for spec in &LABS {
        if existing.iter().any(|l| l.title == spec.title) {
            continue;
        }
        let input = LabInput {
            title: spec.title.to_owned(),
            theme: spec.theme.to_owned(),
            action_line: Some(spec.action_line),
            description: spec.description.to_owned(),
            enrolment: spec.enrolment,
            capacity: spec.capacity,
            status: LabStatus::Running,
        };
        let lab_id = db.create_lab(actor, programme_id, &input).await?;
        if let Some(facilitator) = db.user_by_email(&Email::parse(FACILITATOR)?).await? {
            db.add_lab_expert_account(actor, &lab_id, &facilitator.id).await?;
        }
        let (name, email, organisation) = spec.guest;
        db.add_lab_guest_expert(actor, &lab_id, &GuestExpert::parse(name, email, organisation).map_err(errors)?)
            .await?;

        // Participants: two people of each of its networks, given an account where they have none.
        let mut people = Vec::new();
        let mut person_ids = Vec::new();
        let mut hosts = Vec::new();
        for &index in spec.networks {
            let Some(network_id) = networks.get(index) else { continue };
            hosts.push(network_id.clone());
            for person in db.network_people(network_id).await?.into_iter().filter(|p| p.email.is_some()).take(2) {
                let user_id =
                    participant_account(db, actor, &person.name, person.email.as_deref().unwrap_or("")).await?;
                let assigned = db.network_assignments(&user_id).await?;
                if !assigned.iter().any(|a| a.network_id == *network_id) {
                    db.assign_to_network(actor, &user_id, network_id, Role::NetworkMember).await?;
                }
                people.push((user_id, network_id.clone()));
                person_ids.push(person.id);
            }
        }
        // The demo's member takes part in the open lab, so their account shows a lab they are in.
        if spec.enrolment == Enrolment::Open
            && let (Some(member), Some(first)) = (db.user_by_email(&Email::parse(MEMBER)?).await?, networks.first())
        {
            people.push((member.id, first.clone()));
        }
        db.enrol_in_lab(actor, &lab_id, &people, Joiner::Manager).await?;

        // Sessions: two past (a month and two weeks ago), two to come (in two and six weeks).
        let Some(host) = hosts.first() else { continue };
        let invitees: Vec<(InviteeKind, String)> = hosts.iter().map(|id| (InviteeKind::Network, id.clone())).collect();
        for (n, (title, days)) in spec.sessions.iter().zip([-30i64, -14, 14, 42]).enumerate() {
            let day = today + Duration::days(days);
            let start = resolve_local("starts_at", day.and_hms_opt(14, 30, 0).expect("a time"))?;
            let draft = MeetingDraft {
                title: (*title).to_owned(),
                kind: MeetingKind::Lab,
                mode: if n % 2 == 0 { MeetingMode::InPerson } else { MeetingMode::Videoconference },
                place: if n % 2 == 0 { "Sala riunioni di ANCI Lombardia, Milano".to_owned() } else { String::new() },
                link: String::new(),
                starts_at: start,
                ends_at: start + Duration::minutes(150),
                agenda: "1. Apertura degli esperti\n2. Lavoro in gruppi\n3. Restituzione".to_owned(),
                registration_open: true,
                capacity: None,
                recurrence: None,
            };
            let changes = MeetingChanges { draft: &draft, invitees: &invitees, room_base: Some("https://meet.jit.si") };
            let ids = db.create_lab_sessions(actor, &lab_id, host, &changes).await?;
            if days < 0 {
                let lines: Vec<Attendance> = person_ids
                    .iter()
                    .enumerate()
                    .map(|(p, person_id)| {
                        let present = (p + n) % 4 != 3;
                        Attendance {
                            person_id: person_id.clone(),
                            present,
                            minutes: if present { 150 } else { 0 },
                            role: "partecipante".to_owned(),
                        }
                    })
                    .collect();
                for id in &ids {
                    db.record_attendance(actor, id, &lines, None).await?;
                }
            }
        }
    }
    Ok(())
}

/// The account of a registry person taking part in a lab: theirs, or a new one without a
/// password (they are invited to set it when the programme opens the platform to them).
async fn participant_account(db: &Db, actor: &Actor, name: &str, email: &str) -> anyhow::Result<String> {
    let email = Email::parse(email)?;
    if let Some(user) = db.user_by_email(&email).await? {
        return Ok(user.id);
    }
    let new = NewUser { email, name: PersonName::parse(name)?, password: None, is_admin: false };
    Ok(db.create_user(actor, new).await?.id)
}

fn errors(errors: reti_domain::FieldErrors) -> anyhow::Error {
    anyhow::anyhow!("demo lab: {errors:?}")
}

/// Writes each demo lab's material under `data_dir` (a lab that has materials already is left
/// alone): the record and its file, as an upload would.
pub async fn load_materials(db: &Db, data_dir: &Path) -> anyhow::Result<()> {
    let actor = Actor::cli();
    let labs = db.labs(&LabFilter::default(), PageRequest::all()).await?.items;
    for spec in &LABS {
        let Some(summary) = labs.iter().find(|l| l.title == spec.title) else { continue };
        let lab = db.lab(&summary.id).await?.ok_or_else(|| anyhow::anyhow!("demo: lab gone"))?;
        if !lab.materials.is_empty() {
            continue;
        }
        let (file_name, text) = spec.material;
        let content_type = reti_domain::meetings::attachment_type(file_name, text.as_bytes(), text.len() as u64)
            .map_err(|e| anyhow::anyhow!("demo material: {e:?}"))?;
        let dir = data_dir.join("attachments").join(&lab.id);
        tokio::fs::create_dir_all(&dir).await?;
        let placed = dir.clone();
        let store = async move |id: &str| tokio::fs::write(dir.join(id), text).await;
        let discard = async move |id: &str| {
            let _ = tokio::fs::remove_file(placed.join(id)).await;
        };
        db.add_lab_material(&actor, &lab.id, file_name, content_type, text.len() as i64, store, discard).await?;
    }
    Ok(())
}
