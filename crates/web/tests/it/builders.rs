//! Builders of the data a test starts from, written through the store as the CLI would (no copied
//! SQL): programmes, networks with their lead, people and their organisations, meetings, and
//! practices on the public board. Each has the defaults most tests want; a test names only what
//! it cares about. Users are built by [`crate::harness::UserBuilder`].

use crate::harness::TestApp;
use reti_domain::meetings::{MeetingDraft, MeetingKind, MeetingMode};
use reti_domain::practices::PracticeRecord;
use reti_domain::{Email, MembershipRole, NetworkStatus, PersonName};
use reti_store::Actor;
use reti_store::meetings::{InviteeKind, MeetingChanges};
use reti_store::registry::networks::{MembershipInput, Network, NetworkInput};
use reti_store::registry::people::PersonInput;

impl TestApp {
    /// Another programme beside the test's own; returns its id.
    pub async fn programme(&self, code: &str, name: &str) -> String {
        self.db.create_programme(&Actor::cli(), code, name).await.unwrap().id
    }

    /// An active network of the test's programme, in Milano.
    pub fn network(&self, name: &str) -> NetworkBuilder<'_> {
        NetworkBuilder { app: self, name: name.to_owned(), status: NetworkStatus::Active, members: Vec::new() }
    }

    /// A person of the registry, with no e-mail and no organisation unless given.
    pub fn person(&self, name: &str) -> PersonBuilder<'_> {
        PersonBuilder { app: self, name: name.to_owned(), email: None, works_for: Vec::new() }
    }

    /// A one-hour webinar of `network_id`, open to registration, two days from now, inviting no one.
    pub fn meeting(&self, network_id: &str, title: &str) -> MeetingBuilder<'_> {
        let starts_at = chrono::Utc::now() + chrono::Duration::days(2);
        MeetingBuilder {
            app: self,
            network_id: network_id.to_owned(),
            title: title.to_owned(),
            starts_at,
            invitees: Vec::new(),
        }
    }

    /// Puts `records` on the public board through the import, as `reti import practices
    /// --publish` does; returns their ids in order.
    pub async fn publish(&self, records: &[PracticeRecord]) -> Vec<String> {
        let entries = self.db.prepare_practice_import(records, true).await.unwrap().unwrap();
        self.db.import_practices(&Actor::cli(), &entries, true).await.unwrap()
    }
}

/// A complete practice as an import entry (every field the submission asks for), in Milano, of no
/// network.
pub fn practice(title: &str, problem: &str) -> PracticeRecord {
    PracticeRecord {
        title: title.into(),
        network: None,
        municipalities: vec!["Milano".into()],
        action_line: Some(2),
        theme: "Accesso ai servizi".into(),
        year: Some(2023),
        context: "Contesto della rete.".into(),
        problem: problem.into(),
        objectives: "Obiettivi chiari.".into(),
        target_group: "Famiglie".into(),
        activities: "Attività svolte.".into(),
        results: "Risultati misurati.".into(),
        contacts: "rete@example.org".into(),
        ..PracticeRecord::default()
    }
}

pub struct NetworkBuilder<'a> {
    app: &'a TestApp,
    name: String,
    status: NetworkStatus,
    members: Vec<(String, MembershipRole)>,
}

impl NetworkBuilder<'_> {
    /// The organisation leading the network (its current lead membership).
    pub fn lead(self, organisation_id: &str) -> Self {
        self.member(organisation_id, MembershipRole::Lead)
    }

    /// A current member of the network since an unknown date.
    pub fn member(mut self, organisation_id: &str, role: MembershipRole) -> Self {
        self.members.push((organisation_id.to_owned(), role));
        self
    }

    pub fn status(mut self, status: NetworkStatus) -> Self {
        self.status = status;
        self
    }

    /// The network as the store reads it back, memberships included.
    pub async fn create(self) -> Network {
        let actor = Actor::cli();
        let input = NetworkInput {
            programme_id: self.app.programme_id.clone(),
            name: self.name,
            description: String::new(),
            maturity: None,
            status: self.status,
            municipality_codes: vec!["015146".into()],
            action_line_ids: Vec::new(),
        };
        let network = self.app.db.create_network(&actor, &input).await.unwrap();
        for (organisation_id, role) in self.members {
            let membership = MembershipInput { organisation_id, role, joined_on: None };
            self.app.db.add_membership(&actor, &network.id, &membership).await.unwrap();
        }
        self.app.db.network(&network.id).await.unwrap().unwrap()
    }
}

pub struct PersonBuilder<'a> {
    app: &'a TestApp,
    name: String,
    email: Option<String>,
    works_for: Vec<String>,
}

impl PersonBuilder<'_> {
    pub fn email(mut self, email: &str) -> Self {
        self.email = Some(email.to_owned());
        self
    }

    /// An affiliation to `organisation_id`, as «Operatrice».
    pub fn works_for(mut self, organisation_id: &str) -> Self {
        self.works_for.push(organisation_id.to_owned());
        self
    }

    /// The person's id.
    pub async fn create(self) -> String {
        let actor = Actor::cli();
        let input = PersonInput {
            name: PersonName::parse(&self.name).unwrap(),
            email: self.email.map(|email| Email::parse(&email).unwrap()),
            phone: String::new(),
        };
        let id = self.app.db.create_person(&actor, &input).await.unwrap().id;
        for organisation_id in &self.works_for {
            self.app.db.add_affiliation(&actor, &id, organisation_id, "Operatrice").await.unwrap();
        }
        id
    }
}

pub struct MeetingBuilder<'a> {
    app: &'a TestApp,
    network_id: String,
    title: String,
    starts_at: chrono::DateTime<chrono::Utc>,
    invitees: Vec<(InviteeKind, String)>,
}

impl MeetingBuilder<'_> {
    pub fn invite(mut self, kind: InviteeKind, id: &str) -> Self {
        self.invitees.push((kind, id.to_owned()));
        self
    }

    /// The meeting's id.
    pub async fn create(self) -> String {
        let draft = MeetingDraft {
            title: self.title,
            kind: MeetingKind::Webinar,
            mode: MeetingMode::Webinar,
            place: String::new(),
            link: "https://webinar.example.org/1".into(),
            starts_at: self.starts_at,
            ends_at: self.starts_at + chrono::Duration::hours(1),
            agenda: String::new(),
            registration_open: true,
            capacity: None,
            recurrence: None,
        };
        let changes = MeetingChanges { draft: &draft, invitees: &self.invitees, room_base: None };
        self.app.db.create_meetings(&Actor::cli(), &self.network_id, &changes).await.unwrap().remove(0)
    }
}

/// A valid numeric tax code, different for each `n`: for the organisations a test makes in bulk.
pub fn tax_code(n: u32) -> String {
    let first10 = format!("{:010}", 7_000_000_000 + u64::from(n));
    format!("{first10}{}", reti_domain::taxcode::check_digit_numeric(&first10))
}
