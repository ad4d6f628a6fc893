//! Personal data (SPEC §9, decision 0050): what the platform holds about a person as one JSON
//! document, erasure that turns a person into "Persona cancellata #N" while their rows stay (so
//! every count, register and indicator stays right), the consents given with an invitation or a
//! guest registration, and the retention of guests' data.

use crate::audit::Change;
use crate::jobs::{NewJob, enqueue_in};
use crate::{Actor, Db, Engine, Result, StoreError, Timestamp, Writer};
use reti_domain::text::fold;
use sqlx::any::AnyRow;
use sqlx::{Column, Row};
use time::Duration;

/// The version of the privacy notice the consent forms show; a consent records it with the
/// language it was read in. Change it whenever the notice's text changes.
pub const NOTICE_VERSION: &str = "2026-11";

/// The job that applies the retention periods, queued once a day.
pub const RETENTION_KIND: &str = "privacy_retention";

/// How long guests' data is kept after the event they came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Guest requests, and the guests who never became part of the registry, after the end of
    /// the last meeting they registered for.
    pub guests: Duration,
}

impl Default for Retention {
    fn default() -> Retention {
        Retention { guests: Duration::days(365) }
    }
}

/// What a consent was given for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentPurpose {
    Invitation,
    MeetingGuest,
}

impl ConsentPurpose {
    pub fn code(self) -> &'static str {
        match self {
            ConsentPurpose::Invitation => "invitation",
            ConsentPurpose::MeetingGuest => "meeting_guest",
        }
    }
}

/// A consent as the form collected it: the notice's version and the language it was shown in.
#[derive(Debug, Clone)]
pub struct Consent {
    pub notice_version: String,
    pub locale: String,
}

impl Consent {
    /// The current notice, read in `locale`.
    pub fn current(locale: &str) -> Consent {
        Consent { notice_version: NOTICE_VERSION.to_owned(), locale: locale.to_owned() }
    }
}

/// Records `consent`, given by `email` for `purpose` with the invitation or guest request
/// `reference_id`, inside the write that it allows.
pub(crate) async fn record_consent(
    w: &mut Writer<'_>,
    email: &str,
    purpose: ConsentPurpose,
    consent: &Consent,
    reference_id: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO consents (id, email, purpose, notice_version, locale, reference_id, given_at, ip)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(crate::new_id())
    .bind(email.trim().to_lowercase())
    .bind(purpose.code())
    .bind(&consent.notice_version)
    .bind(&consent.locale)
    .bind(reference_id)
    .bind(Timestamp::now().to_db())
    .bind(w.actor.ip.as_deref())
    .execute(&mut *w.tx)
    .await?;
    Ok(())
}

/// An erasure done: its number and the pseudonym that replaced the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Erased {
    pub number: i64,
    pub pseudonym: String,
    pub people: usize,
    pub accounts: usize,
}

/// What a retention run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RetentionOutcome {
    pub guest_requests_deleted: u64,
    /// Erasures made: guests of the registry, and addresses of guests who never confirmed.
    pub guests_erased: usize,
}

/// Whom an erasure is about: the accounts and registry records found, every e-mail address and
/// name by which they appear.
#[derive(Debug, Default)]
struct Subject {
    user_ids: Vec<String>,
    person_ids: Vec<String>,
    emails: Vec<String>,
    names: Vec<String>,
}

/// Why an erasure was made, as recorded.
#[derive(Clone, Copy)]
enum Reason {
    Request,
    Retention,
}

impl Reason {
    fn code(self) -> &'static str {
        match self {
            Reason::Request => "request",
            Reason::Retention => "retention",
        }
    }
}

/// The sections of the export: a name and a statement whose one parameter is the lower-case
/// e-mail address. Accounts and registry records are found by that address.
const EXPORT_SECTIONS: &[(&str, &str)] = &[
    ("accounts", "SELECT id, email, name, locale, created_at, disabled_at FROM users WHERE LOWER(email) = $1"),
    (
        "programme_roles",
        "SELECT r.programme_id, p.name AS programme, r.role, r.created_at FROM role_assignments r
         JOIN programmes p ON p.id = r.programme_id JOIN users u ON u.id = r.user_id
         WHERE LOWER(u.email) = $1 ORDER BY r.created_at",
    ),
    (
        "network_roles",
        "SELECT a.network_id, n.name AS network, a.role, a.created_at FROM network_assignments a
         JOIN networks n ON n.id = a.network_id JOIN users u ON u.id = a.user_id
         WHERE LOWER(u.email) = $1 ORDER BY a.created_at",
    ),
    (
        "api_tokens",
        "SELECT t.name, t.created_at, t.expires_at, t.last_used_at, t.revoked_at FROM api_tokens t
         JOIN users u ON u.id = t.user_id WHERE LOWER(u.email) = $1 ORDER BY t.created_at",
    ),
    (
        "second_factor",
        "SELECT t.created_at, t.enabled_at FROM user_totp t JOIN users u ON u.id = t.user_id WHERE LOWER(u.email) = $1",
    ),
    (
        "people",
        "SELECT id, name, email, phone, tax_code, created_at, updated_at, archived_at, guest_since FROM people
         WHERE LOWER(email) = $1",
    ),
    (
        "affiliations",
        "SELECT a.person_id, a.organisation_id, o.name AS organisation, a.position, a.created_at, a.ended_at
         FROM affiliations a JOIN organisations o ON o.id = a.organisation_id JOIN people p ON p.id = a.person_id
         WHERE LOWER(p.email) = $1 ORDER BY a.created_at",
    ),
    (
        "meeting_registrations",
        "SELECT r.meeting_id, m.title, m.starts_at, r.status, r.queued_at FROM meeting_registrations r
         JOIN meetings m ON m.id = r.meeting_id JOIN people p ON p.id = r.person_id
         WHERE LOWER(p.email) = $1 ORDER BY m.starts_at",
    ),
    (
        "meeting_attendance",
        "SELECT a.meeting_id, m.title, m.starts_at, a.role FROM meeting_attendance a
         JOIN meetings m ON m.id = a.meeting_id JOIN people p ON p.id = a.person_id
         WHERE LOWER(p.email) = $1 ORDER BY m.starts_at",
    ),
    (
        "guest_requests",
        "SELECT g.meeting_id, m.title, g.name, g.email, g.locale, g.created_at, g.confirmed_at
         FROM meeting_guest_requests g JOIN meetings m ON m.id = g.meeting_id
         WHERE LOWER(g.email) = $1 ORDER BY g.created_at",
    ),
    (
        "invitations",
        "SELECT i.programme_id, i.role, i.created_at, i.expires_at, i.accepted_at FROM invitations i
         WHERE LOWER(i.email) = $1 ORDER BY i.created_at",
    ),
    (
        "consents",
        "SELECT purpose, notice_version, locale, reference_id, given_at FROM consents WHERE email = $1 ORDER BY given_at",
    ),
    (
        "labs",
        "SELECT l.id AS lab_id, l.title, lp.enrolled_at FROM lab_participants lp JOIN labs l ON l.id = lp.lab_id
         JOIN users u ON u.id = lp.user_id WHERE LOWER(u.email) = $1 ORDER BY lp.enrolled_at",
    ),
    (
        "lab_expert",
        "SELECT e.lab_id, l.title, e.name, e.email, e.organisation, e.created_at FROM lab_experts e
         JOIN labs l ON l.id = e.lab_id LEFT JOIN users u ON u.id = e.user_id
         WHERE LOWER(e.email) = $1 OR LOWER(u.email) = $1 ORDER BY e.created_at",
    ),
    (
        "meetings_created",
        "SELECT m.id, m.title, m.starts_at FROM meetings m JOIN users u ON u.id = m.created_by_user_id
         WHERE LOWER(u.email) = $1 ORDER BY m.starts_at",
    ),
    (
        "practices",
        "SELECT pr.id, pr.title, pr.status, pr.created_at FROM practices pr JOIN users u ON u.id = pr.author_user_id
         WHERE LOWER(u.email) = $1 ORDER BY pr.created_at",
    ),
    (
        "practice_comments",
        "SELECT c.id, c.practice_id, c.body, c.created_at FROM practice_comments c JOIN users u ON u.id = c.author_user_id
         WHERE LOWER(u.email) = $1 ORDER BY c.created_at",
    ),
    (
        "diary_entries",
        "SELECT d.id, d.network_id, d.entry_date, d.kind, d.created_at FROM diary_entries d
         JOIN users u ON u.id = d.author_user_id WHERE LOWER(u.email) = $1 ORDER BY d.entry_date",
    ),
    (
        "exchange_threads",
        "SELECT t.id, t.title, t.created_at FROM exchange_threads t JOIN users u ON u.id = t.author_user_id
         WHERE LOWER(u.email) = $1 ORDER BY t.created_at",
    ),
    (
        "exchange_messages",
        "SELECT x.id, x.thread_id, x.body, x.created_at FROM exchange_messages x JOIN users u ON u.id = x.author_user_id
         WHERE LOWER(u.email) = $1 ORDER BY x.created_at",
    ),
    (
        "document_revisions",
        "SELECT r.id, r.document_id, r.number, r.title, r.created_at FROM document_revisions r
         JOIN users u ON u.id = r.author_user_id WHERE LOWER(u.email) = $1 ORDER BY r.created_at",
    ),
    (
        "document_comments",
        "SELECT c.id, c.document_id, c.body, c.created_at FROM document_comments c
         JOIN users u ON u.id = c.author_user_id WHERE LOWER(u.email) = $1 ORDER BY c.created_at",
    ),
    (
        "reading_answers",
        "SELECT a.id, a.round_id, a.network_id, a.organisation_id, a.submitted_at FROM reading_answers a
         JOIN users u ON u.id = a.answered_by_user_id WHERE LOWER(u.email) = $1 ORDER BY a.created_at",
    ),
    // Entries made by them, or about their account or registry record. Who made the others,
    // from where, and the states before and after, are other people's data: left out.
    (
        "audit",
        "SELECT l.at, l.action, l.entity, l.entity_id,
                CASE WHEN l.actor_user_id IN (SELECT id FROM users WHERE LOWER(email) = $1) OR LOWER(l.actor_label) = $1
                     THEN l.actor_label ELSE NULL END AS actor_label,
                CASE WHEN l.actor_user_id IN (SELECT id FROM users WHERE LOWER(email) = $1) OR LOWER(l.actor_label) = $1
                     THEN l.ip ELSE NULL END AS ip
         FROM audit_log l
         WHERE l.actor_user_id IN (SELECT id FROM users WHERE LOWER(email) = $1)
            OR LOWER(l.actor_label) = $1
            OR l.entity_id IN (SELECT id FROM users WHERE LOWER(email) = $1)
            OR l.entity_id IN (SELECT id FROM people WHERE LOWER(email) = $1)
            OR l.entity_id IN (SELECT e.person_id FROM erasures e JOIN users u ON u.id = e.user_id WHERE LOWER(u.email) = $1)
         ORDER BY l.at, l.id",
    ),
];

/// A row as a JSON object, column by column: text, then integer, then real, else null.
fn row_json(row: &AnyRow) -> serde_json::Value {
    let mut object = serde_json::Map::new();
    for (index, column) in row.columns().iter().enumerate() {
        let value = if let Ok(text) = row.try_get::<Option<String>, _>(index) {
            text.map(serde_json::Value::from)
        } else if let Ok(number) = row.try_get::<Option<i64>, _>(index) {
            number.map(serde_json::Value::from)
        } else {
            row.try_get::<Option<f64>, _>(index).ok().flatten().map(serde_json::Value::from)
        };
        object.insert(column.name().to_owned(), value.unwrap_or(serde_json::Value::Null));
    }
    serde_json::Value::Object(object)
}

/// `column` contains `placeholder`, as a plain substring (no LIKE wildcards in e-mail addresses).
fn contains(engine: Engine, column: &str, placeholder: &str) -> String {
    match engine {
        Engine::Sqlite => format!("instr({column}, {placeholder}) > 0"),
        Engine::Postgres => format!("strpos({column}, {placeholder}) > 0"),
    }
}

impl Db {
    /// Everything the platform holds about the person with `email`, as one JSON document;
    /// `NotFound` when it holds nothing.
    pub async fn person_export(&self, email: &str) -> Result<serde_json::Value> {
        let email = email.trim().to_lowercase();
        let mut document = serde_json::Map::new();
        document.insert("email".into(), email.clone().into());
        document.insert("exported_at".into(), Timestamp::now().to_db().into());
        let mut found = false;
        for (section, sql) in EXPORT_SECTIONS {
            let rows = sqlx::query(sql).bind(&email).fetch_all(self.pool()).await?;
            found |= !rows.is_empty();
            document.insert((*section).to_owned(), rows.iter().map(row_json).collect());
        }
        if !found {
            return Err(StoreError::NotFound);
        }
        Ok(serde_json::Value::Object(document))
    }

    /// Erases the person with `email` (their account, their registry record, their guest
    /// requests and invitations): see [`Db::erase_person`]. `NotFound` when nothing has it.
    pub async fn erase_by_email(&self, actor: &Actor, email: &str) -> Result<Erased> {
        let email = email.trim().to_lowercase();
        self.write(actor, async |w| {
            let subject = subject_of(w, Some(&email), None).await?;
            erase_in(w, self.engine(), subject, Reason::Request).await
        })
        .await
    }

    /// Erases the registry person `person_id` and the account with their e-mail address: names,
    /// addresses, phone and tax code become the pseudonym "Persona cancellata #N", login is
    /// disabled, sessions and tokens deleted, pending invitations removed. Their attendance,
    /// registrations, authored content and audit entries keep their rows without the personal
    /// details, so every count stays what it was.
    pub async fn erase_person(&self, actor: &Actor, person_id: &str) -> Result<Erased> {
        self.write(actor, async |w| {
            let subject = subject_of(w, None, Some(person_id)).await?;
            erase_in(w, self.engine(), subject, Reason::Request).await
        })
        .await
    }

    /// Queues the retention job of the day `now` falls on, once a day however many servers
    /// sweep; returns whether it did.
    pub async fn privacy_sweep_retention(&self, now: Timestamp) -> Result<bool> {
        let day = now.to_db()[..10].to_owned();
        self.system_write(async |b| {
            let first =
                sqlx::query("INSERT INTO retention_runs (day, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(&day)
                    .bind(now.to_db())
                    .execute(&mut *b.tx)
                    .await?
                    .rows_affected();
            if first == 1 {
                enqueue_in(&mut b.tx, &NewJob::new(RETENTION_KIND, serde_json::json!({ "day": day }))).await?;
            }
            Ok(first == 1)
        })
        .await
    }

    /// Applies `retention` as of `now`: erases the guests who never joined the registry (no
    /// affiliation, no account) once the last meeting they registered for or attended ended
    /// before the period, erases the addresses of guest requests past the period that belong to
    /// nobody in the registry, and deletes those requests (of meetings that ended before the
    /// period, or whose link expired before it) with their consents.
    pub async fn apply_retention(&self, now: Timestamp, retention: Retention) -> Result<RetentionOutcome> {
        let cutoff = now.before(retention.guests).to_db();
        let actor = Actor { user_id: None, label: "retention".into(), ip: None };
        self.write(&actor, async |w| {
            let expired: Vec<String> = sqlx::query_scalar(
                "SELECT g.id FROM meeting_guest_requests g JOIN meetings m ON m.id = g.meeting_id
                 WHERE m.ends_at < $1 OR (g.confirmed_at IS NULL AND g.expires_at < $1) ORDER BY g.id",
            )
            .bind(&cutoff)
            .fetch_all(&mut *w.tx)
            .await?;
            let guests: Vec<String> = sqlx::query_scalar(
                "SELECT p.id FROM people p
                 WHERE p.guest_since IS NOT NULL AND p.erased_at IS NULL AND p.guest_since < $1
                   AND NOT EXISTS (SELECT 1 FROM affiliations a WHERE a.person_id = p.id)
                   AND NOT EXISTS (SELECT 1 FROM users u WHERE LOWER(u.email) = LOWER(p.email))
                   AND NOT EXISTS (SELECT 1 FROM meeting_registrations r JOIN meetings m ON m.id = r.meeting_id
                                   WHERE r.person_id = p.id AND m.ends_at >= $1)
                   AND NOT EXISTS (SELECT 1 FROM meeting_attendance t JOIN meetings m ON m.id = t.meeting_id
                                   WHERE t.person_id = p.id AND m.ends_at >= $1)
                 ORDER BY p.id",
            )
            .bind(&cutoff)
            .fetch_all(&mut *w.tx)
            .await?;
            // Guests who never confirmed, or whose address is nobody's in the registry: their
            // address is forgotten wherever it was copied (the mail sent to them, the throttle).
            // Read before any erasure of this run, which would leave pseudonyms in the requests.
            let mut addresses: Vec<String> = Vec::new();
            for id in &expired {
                let email: Option<String> = sqlx::query_scalar(
                    "SELECT LOWER(g.email) FROM meeting_guest_requests g WHERE g.id = $1
                     AND NOT EXISTS (SELECT 1 FROM users u WHERE LOWER(u.email) = LOWER(g.email))
                     AND NOT EXISTS (SELECT 1 FROM people p WHERE LOWER(p.email) = LOWER(g.email))",
                )
                .bind(id)
                .fetch_optional(&mut *w.tx)
                .await?;
                if let Some(email) = email {
                    push_unique(&mut addresses, email);
                }
            }
            let mut erased = 0;
            for person_id in &guests {
                let subject = subject_of(w, None, Some(person_id)).await?;
                erase_in(w, self.engine(), subject, Reason::Retention).await?;
                erased += 1;
            }
            for email in &addresses {
                let subject = subject_of(w, Some(email), None).await?;
                erase_in(w, self.engine(), subject, Reason::Retention).await?;
                erased += 1;
            }
            let mut deleted = 0;
            for id in &expired {
                sqlx::query("DELETE FROM consents WHERE reference_id = $1").bind(id).execute(&mut *w.tx).await?;
                deleted += sqlx::query("DELETE FROM meeting_guest_requests WHERE id = $1")
                    .bind(id)
                    .execute(&mut *w.tx)
                    .await?
                    .rows_affected();
            }
            if deleted > 0 {
                w.audit(Change {
                    action: "retention",
                    entity: "meeting_guest",
                    entity_id: None,
                    programme_id: None,
                    before: None,
                    after: Some(serde_json::json!({ "deleted": deleted, "before": cutoff })),
                })
                .await?;
            }
            Ok(RetentionOutcome { guest_requests_deleted: deleted, guests_erased: erased })
        })
        .await
    }
}

fn push_unique(list: &mut Vec<String>, value: String) {
    if !value.is_empty() && !list.contains(&value) {
        list.push(value);
    }
}

/// Finds the subject by e-mail address or by registry person; `NotFound` when nothing matches.
async fn subject_of(w: &mut Writer<'_>, email: Option<&str>, person_id: Option<&str>) -> Result<Subject> {
    let mut subject = Subject::default();
    if let Some(id) = person_id {
        let row = sqlx::query("SELECT id, name, email FROM people WHERE id = $1 AND erased_at IS NULL")
            .bind(id)
            .fetch_optional(&mut *w.tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        subject.person_ids.push(row.try_get("id")?);
        push_unique(&mut subject.names, row.try_get("name")?);
        if let Some(email) = row.try_get::<Option<String>, _>("email")? {
            push_unique(&mut subject.emails, email.to_lowercase());
        }
    }
    if let Some(email) = email {
        push_unique(&mut subject.emails, email.to_owned());
    }
    let mut found = !subject.person_ids.is_empty();
    for email in subject.emails.clone() {
        let people = sqlx::query("SELECT id, name FROM people WHERE LOWER(email) = $1 AND erased_at IS NULL")
            .bind(&email)
            .fetch_all(&mut *w.tx)
            .await?;
        for row in &people {
            push_unique(&mut subject.person_ids, row.try_get("id")?);
            push_unique(&mut subject.names, row.try_get("name")?);
        }
        let users = sqlx::query("SELECT id, name FROM users WHERE LOWER(email) = $1 AND erased_at IS NULL")
            .bind(&email)
            .fetch_all(&mut *w.tx)
            .await?;
        for row in &users {
            push_unique(&mut subject.user_ids, row.try_get("id")?);
            push_unique(&mut subject.names, row.try_get("name")?);
        }
        let guests: Vec<String> = sqlx::query_scalar("SELECT name FROM meeting_guest_requests WHERE LOWER(email) = $1")
            .bind(&email)
            .fetch_all(&mut *w.tx)
            .await?;
        let invitations: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM invitations WHERE LOWER(email) = $1")
            .bind(&email)
            .fetch_one(&mut *w.tx)
            .await?;
        found |= !people.is_empty() || !users.is_empty() || !guests.is_empty() || invitations > 0;
        for name in guests {
            push_unique(&mut subject.names, name);
        }
    }
    for user_id in subject.user_ids.clone() {
        let experts: Vec<String> = sqlx::query_scalar("SELECT name FROM lab_experts WHERE user_id = $1")
            .bind(&user_id)
            .fetch_all(&mut *w.tx)
            .await?;
        for name in experts {
            push_unique(&mut subject.names, name);
        }
    }
    if !found {
        return Err(StoreError::NotFound);
    }
    Ok(subject)
}

/// Runs one statement for each id of `ids`.
async fn for_each(w: &mut Writer<'_>, sql: &str, ids: &[String], first: &[&str]) -> Result<()> {
    for id in ids {
        let mut query = sqlx::query(sql);
        for value in first {
            query = query.bind(*value);
        }
        query.bind(id).execute(&mut *w.tx).await?;
    }
    Ok(())
}

async fn erase_in(w: &mut Writer<'_>, engine: Engine, subject: Subject, reason: Reason) -> Result<Erased> {
    let now = Timestamp::now().to_db();
    let number: i64 =
        sqlx::query_scalar("SELECT COALESCE(MAX(number), 0) + 1 FROM erasures").fetch_one(&mut *w.tx).await?;
    let pseudonym = format!("Persona cancellata #{number}");
    let pseudonym_email = format!("cancellata-{number}@reti.invalid");
    sqlx::query("INSERT INTO erasures (number, person_id, user_id, reason, erased_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(number)
        .bind(subject.person_ids.first().map(String::as_str))
        .bind(subject.user_ids.first().map(String::as_str))
        .bind(reason.code())
        .bind(&now)
        .execute(&mut *w.tx)
        .await?;
    let programme = match subject.person_ids.first() {
        Some(id) => {
            let organisations: Vec<String> = sqlx::query_scalar(
                "SELECT organisation_id FROM affiliations WHERE person_id = $1 AND ended_at IS NULL",
            )
            .bind(id)
            .fetch_all(&mut *w.tx)
            .await?;
            crate::registry::scope::audit_programme(&mut w.tx, w.actor, &organisations).await?
        }
        None => None,
    };

    // The account: no way in, nothing to reach them by.
    for (index, user_id) in subject.user_ids.iter().enumerate() {
        let email =
            if index == 0 { pseudonym_email.clone() } else { format!("cancellata-{number}-{index}@reti.invalid") };
        sqlx::query(
            "UPDATE users SET name = $1, email = $2, password_hash = NULL, locale = NULL,
             disabled_at = COALESCE(disabled_at, $3), erased_at = $3 WHERE id = $4",
        )
        .bind(&pseudonym)
        .bind(email)
        .bind(&now)
        .bind(user_id)
        .execute(&mut *w.tx)
        .await?;
    }
    for sql in [
        "DELETE FROM sessions WHERE user_id = $1",
        "DELETE FROM api_tokens WHERE user_id = $1",
        "DELETE FROM user_totp WHERE user_id = $1",
        "DELETE FROM mfa_recovery_codes WHERE user_id = $1",
        "DELETE FROM password_resets WHERE user_id = $1",
        "DELETE FROM calendar_feeds WHERE user_id = $1",
        "DELETE FROM pending_imports WHERE user_id = $1",
        "DELETE FROM notifications WHERE user_id = $1",
        "UPDATE lab_experts SET email = '' WHERE user_id = $1",
    ] {
        for_each(w, sql, &subject.user_ids, &[]).await?;
    }
    for_each(w, "UPDATE audit_log SET ip = NULL WHERE actor_user_id = $1", &subject.user_ids, &[]).await?;

    // The registry record: the row stays for the registers and the indicators.
    let folded = fold(&pseudonym);
    for_each(
        w,
        "UPDATE people SET name = $1, name_folded = $2, email = NULL, phone = '', tax_code = NULL,
         erased_at = $3, updated_at = $3 WHERE id = $4",
        &subject.person_ids,
        &[pseudonym.as_str(), folded.as_str(), now.as_str()],
    )
    .await?;

    // Where the address itself is the record.
    for email in &subject.emails {
        for sql in [
            "DELETE FROM invitations WHERE LOWER(email) = $1 AND accepted_at IS NULL",
            "DELETE FROM login_attempts WHERE LOWER(email) = $1",
            "UPDATE audit_log SET ip = NULL WHERE LOWER(actor_label) = $1",
            "UPDATE lab_experts SET email = '' WHERE LOWER(email) = $1",
        ] {
            sqlx::query(sql).bind(email).execute(&mut *w.tx).await?;
        }
        // Mail not sent yet would go to someone who asked to be forgotten.
        sqlx::query(&format!(
            "DELETE FROM jobs WHERE status IN ('queued', 'failed', 'dead') AND {}",
            contains(engine, "LOWER(payload)", "$1")
        ))
        .bind(email)
        .execute(&mut *w.tx)
        .await?;
    }

    // Every other place the addresses and names were copied to (labels of authors and actors,
    // audit states, mail records, free text): replaced where they stand whole, column by column.
    // The database finds the values holding them; Rust replaces them, so that "Anna Rossi" in
    // "Marianna Rossi" or "anna@x.it" in "marianna@x.it" stays.
    let mut replacements: Vec<(String, String)> = Vec::new();
    for email in &subject.emails {
        replacements.push((email.clone(), pseudonym_email.clone()));
    }
    let mut names: Vec<&String> = subject.names.iter().filter(|n| n.chars().count() >= 3).collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    for name in names {
        replacements.push((name.clone(), pseudonym.clone()));
        let folded_name = fold(name);
        if folded_name != *name && folded_name.chars().count() >= 3 {
            replacements.push((folded_name, folded.clone()));
        }
    }
    let needles: Vec<String> = replacements.iter().map(|(from, _)| from.to_lowercase()).collect();
    for (table, column) in text_columns(w, engine).await? {
        let lowered = format!("LOWER({column})");
        let filter: Vec<String> = (1..=needles.len()).map(|n| contains(engine, &lowered, &format!("${n}"))).collect();
        let sql = format!("SELECT DISTINCT {column} AS value FROM {table} WHERE {}", filter.join(" OR "));
        let mut query = sqlx::query_scalar::<_, String>(&sql);
        for needle in &needles {
            query = query.bind(needle);
        }
        let values = query.fetch_all(&mut *w.tx).await?;
        for value in values {
            if let Some(replaced) = replace_whole(&value, &replacements) {
                sqlx::query(&format!("UPDATE {table} SET {column} = $1 WHERE {column} = $2"))
                    .bind(replaced)
                    .bind(&value)
                    .execute(&mut *w.tx)
                    .await?;
            }
        }
    }

    w.audit(Change {
        action: "erase",
        entity: "person",
        entity_id: subject.person_ids.first().or(subject.user_ids.first()).map(String::as_str),
        programme_id: programme.as_deref(),
        before: None,
        after: Some(serde_json::json!({ "pseudonym": pseudonym, "number": number, "reason": reason.code() })),
    })
    .await?;
    Ok(Erased { number, pseudonym, people: subject.person_ids.len(), accounts: subject.user_ids.len() })
}

/// Every text column of every table of ours (not the migrations' bookkeeping, not the sessions,
/// deleted already, not ISTAT's municipalities, shipped reference data).
pub(crate) async fn text_columns(w: &mut Writer<'_>, engine: Engine) -> Result<Vec<(String, String)>> {
    let sql = match engine {
        Engine::Sqlite => {
            "SELECT m.name AS table_name, p.name AS column_name FROM sqlite_master m JOIN pragma_table_info(m.name) p
             WHERE m.type = 'table' AND m.sql NOT LIKE 'CREATE VIRTUAL TABLE%' AND UPPER(p.type) = 'TEXT'
               AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
               AND m.name NOT IN ('_sqlx_migrations', 'sessions', 'municipalities')
             ORDER BY m.name, p.cid"
        }
        Engine::Postgres => {
            "SELECT c.table_name::text AS table_name, c.column_name::text AS column_name
             FROM information_schema.columns c
             JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
             WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
               AND c.data_type IN ('text', 'character varying') AND c.is_generated = 'NEVER'
               AND c.table_name NOT IN ('_sqlx_migrations', 'sessions', 'municipalities')
             ORDER BY c.table_name, c.ordinal_position"
        }
    };
    let rows = sqlx::query(sql).fetch_all(&mut *w.tx).await?;
    rows.iter().map(|row| Ok((row.try_get("table_name")?, row.try_get("column_name")?))).collect()
}

/// Whether `c` continues a name or an e-mail address it stands next to.
fn joins(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '%' | '+' | '-' | '@')
}

/// `text` with each `(needle, replacement)` replaced where the needle stands whole (ignoring
/// case): not preceded by a letter, digit or `._%+-`, not followed by a letter, digit, `_%+-@`
/// or by a dot that goes on. `None` when nothing changed.
pub(crate) fn replace_whole(text: &str, replacements: &[(String, String)]) -> Option<String> {
    let mut out = text.to_owned();
    let mut changed = false;
    for (needle, replacement) in replacements {
        // Case is ignored when lower-casing keeps every character's length, so that positions
        // found in the lower-cased text are positions in the text.
        let keeps_length = out
            .chars()
            .chain(needle.chars())
            .all(|c| c.to_lowercase().map(char::len_utf8).sum::<usize>() == c.len_utf8());
        let (haystack, needle) =
            if keeps_length { (out.to_lowercase(), needle.to_lowercase()) } else { (out.clone(), needle.clone()) };
        if needle.is_empty() {
            continue;
        }
        let mut result = String::with_capacity(out.len());
        let (mut copied, mut from) = (0, 0);
        while let Some(found) = haystack[from..].find(&needle) {
            let start = from + found;
            let end = start + needle.len();
            let before = haystack[..start].chars().next_back();
            let mut after = haystack[end..].chars();
            let whole_before = before.is_none_or(|c| !joins(c) && c != '.');
            let whole_after = match after.next() {
                None => true,
                Some('.') => after.next().is_none_or(|c| !c.is_alphanumeric()),
                Some(c) => !joins(c),
            };
            if whole_before && whole_after {
                result.push_str(&out[copied..start]);
                result.push_str(replacement);
                copied = end;
                from = end;
            } else {
                from = start + needle.chars().next().map_or(1, char::len_utf8);
            }
        }
        if copied > 0 {
            result.push_str(&out[copied..]);
            out = result;
            changed = true;
        }
    }
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::replace_whole;

    fn replace(text: &str) -> Option<String> {
        let replacements = [
            ("anna@esempio.it".to_owned(), "cancellata-1@reti.invalid".to_owned()),
            ("Anna Rossi".to_owned(), "Persona cancellata #1".to_owned()),
        ];
        replace_whole(text, &replacements)
    }

    #[test]
    fn whole_names_and_addresses_are_replaced_wherever_they_stand() {
        assert_eq!(replace("Anna Rossi").as_deref(), Some("Persona cancellata #1"));
        assert_eq!(replace("ANNA@esempio.it").as_deref(), Some("cancellata-1@reti.invalid"), "any case");
        assert_eq!(
            replace(r#"{"name":"Anna Rossi","email":"anna@esempio.it"}"#).as_deref(),
            Some(r#"{"name":"Persona cancellata #1","email":"cancellata-1@reti.invalid"}"#)
        );
        assert_eq!(
            replace("Scrivere ad Anna Rossi <anna@esempio.it>. Grazie, anna rossi.").as_deref(),
            Some("Scrivere ad Persona cancellata #1 <cancellata-1@reti.invalid>. Grazie, Persona cancellata #1.")
        );
    }

    #[test]
    fn longer_names_and_addresses_holding_them_stay() {
        for text in [
            "Marianna Rossi",
            "Anna Rossini",
            "marianna@esempio.it",
            "anna@esempio.it.com",
            "x.anna@esempio.it",
            "anna@esempio.itx",
            "",
        ] {
            assert_eq!(replace(text), None, "{text}");
        }
        assert_eq!(
            replace("Marianna Rossi e Anna Rossi").as_deref(),
            Some("Marianna Rossi e Persona cancellata #1"),
            "a whole one after one that is not"
        );
        assert_eq!(replace("Ànna Rossì e Anna Rossi").as_deref(), Some("Ànna Rossì e Persona cancellata #1"));
    }
}
