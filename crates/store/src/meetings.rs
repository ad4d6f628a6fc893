//! Meetings of the networks (SPEC §4): the meetings themselves and their series, invitees,
//! registrations with a waiting list, the attendance register with its sign-off and corrections,
//! minutes, attachments' records and follow-up actions. Times are stored as UTC text
//! (`reti_domain::meetings::to_db`); every change goes through [`Db::write`] with its audit entry.

use crate::audit::Change;
use crate::notices::{Notice, meeting_notice, meeting_notice_to};
use crate::registry::export::ExportColumn;
use crate::sql::{Conditions, Page, PageRequest, date_from_db, date_to_db};
use crate::{Actor, Db, Result, StoreError, Timestamp, Writer, new_id};
use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;
use reti_domain::meetings::{
    ActionDraft, ActionKind, ActionStatus, Attendance, MeetingDraft, MeetingKind, MeetingMode, RegisterLine,
    register_hash, room_link, to_db,
};
use reti_domain::{FieldError, FieldErrors};
use serde::Serialize;
use sqlx::Row;

#[derive(Debug, Clone, Serialize)]
pub struct Meeting {
    pub id: String,
    pub network_id: String,
    pub network_name: String,
    pub programme_id: String,
    pub series_id: Option<String>,
    pub title: String,
    pub kind: MeetingKind,
    pub mode: MeetingMode,
    pub place: String,
    pub link: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub agenda: String,
    pub registration_open: bool,
    pub capacity: Option<i64>,
    pub minutes: String,
    pub signed_at: Option<String>,
    pub signed_by: Option<String>,
    pub register_hash: Option<String>,
    pub sequence: i64,
    pub cancelled: bool,
    pub updated_at: String,
    pub registered: i64,
    pub waiting: i64,
    /// The lab this meeting is a session of.
    pub lab_id: Option<String>,
}

impl Meeting {
    pub fn length_minutes(&self) -> i64 {
        (self.ends_at - self.starts_at).num_minutes()
    }

    pub fn is_signed(&self) -> bool {
        self.signed_at.is_some()
    }

    /// Whether a registration now would go to the waiting list.
    pub fn is_full(&self) -> bool {
        self.capacity.is_some_and(|c| self.registered >= c)
    }
}

const MEETING_COLUMNS: &str = "m.id, m.network_id, n.name AS network_name, n.programme_id, m.series_id, m.title, m.kind, m.mode,
    m.place, m.link, m.starts_at, m.ends_at, m.agenda, m.registration_open, m.capacity, m.minutes, m.signed_at, m.signed_by,
    m.register_hash, m.sequence, m.cancelled_at, m.updated_at, m.lab_id,
    (SELECT COUNT(*) FROM meeting_registrations r WHERE r.meeting_id = m.id AND r.status = 'registered') AS registered,
    (SELECT COUNT(*) FROM meeting_registrations r WHERE r.meeting_id = m.id AND r.status = 'waiting') AS waiting";

fn instant(text: String) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(&text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| StoreError::Corrupt(format!("instant {text:?}")))
}

fn meeting_from_row(row: &sqlx::any::AnyRow) -> Result<Meeting> {
    let corrupt = |what: &str, code: String| StoreError::Corrupt(format!("{what} {code:?}"));
    let kind: String = row.try_get("kind")?;
    let mode: String = row.try_get("mode")?;
    Ok(Meeting {
        id: row.try_get("id")?,
        network_id: row.try_get("network_id")?,
        network_name: row.try_get("network_name")?,
        programme_id: row.try_get("programme_id")?,
        series_id: row.try_get("series_id")?,
        title: row.try_get("title")?,
        kind: MeetingKind::parse(&kind).map_err(|_| corrupt("kind", kind))?,
        mode: MeetingMode::parse(&mode).map_err(|_| corrupt("mode", mode))?,
        place: row.try_get("place")?,
        link: row.try_get("link")?,
        starts_at: instant(row.try_get("starts_at")?)?,
        ends_at: instant(row.try_get("ends_at")?)?,
        agenda: row.try_get("agenda")?,
        registration_open: row.try_get::<i64, _>("registration_open")? != 0,
        capacity: row.try_get("capacity")?,
        minutes: row.try_get("minutes")?,
        signed_at: row.try_get("signed_at")?,
        signed_by: row.try_get("signed_by")?,
        register_hash: row.try_get("register_hash")?,
        sequence: row.try_get("sequence")?,
        cancelled: row.try_get::<Option<String>, _>("cancelled_at")?.is_some(),
        updated_at: row.try_get("updated_at")?,
        registered: row.try_get("registered")?,
        waiting: row.try_get("waiting")?,
        lab_id: row.try_get("lab_id")?,
    })
}

/// A meeting as a calendar or a list shows it.
#[derive(Debug, Clone)]
pub struct MeetingBrief {
    pub id: String,
    pub title: String,
    pub network_name: String,
    pub kind: MeetingKind,
    pub mode: MeetingMode,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub cancelled: bool,
}

impl From<&Meeting> for MeetingBrief {
    fn from(meeting: &Meeting) -> MeetingBrief {
        MeetingBrief {
            id: meeting.id.clone(),
            title: meeting.title.clone(),
            network_name: meeting.network_name.clone(),
            kind: meeting.kind,
            mode: meeting.mode,
            starts_at: meeting.starts_at,
            ends_at: meeting.ends_at,
            cancelled: meeting.cancelled,
        }
    }
}

/// A [`MeetingBrief`] as [`Db::meeting_briefs`] reads it: id, title, network name, kind, mode,
/// start, end, cancellation time.
type BriefJson = (String, String, String, String, String, String, String, Option<String>);

fn brief_from_json(
    (id, title, network_name, kind, mode, starts_at, ends_at, cancelled_at): BriefJson,
) -> Result<MeetingBrief> {
    let corrupt = |what: &str, code: String| StoreError::Corrupt(format!("{what} {code:?}"));
    Ok(MeetingBrief {
        id,
        title,
        network_name,
        kind: MeetingKind::parse(&kind).map_err(|_| corrupt("kind", kind))?,
        mode: MeetingMode::parse(&mode).map_err(|_| corrupt("mode", mode))?,
        starts_at: instant(starts_at)?,
        ends_at: instant(ends_at)?,
        cancelled: cancelled_at.is_some(),
    })
}

/// Who a meeting invites.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum InviteeKind {
    Person,
    Organisation,
    Network,
    /// A group of a saved grouping of the programme (small groups): its networks' people.
    Group,
}

impl InviteeKind {
    pub fn code(self) -> &'static str {
        match self {
            InviteeKind::Person => "person",
            InviteeKind::Organisation => "organisation",
            InviteeKind::Network => "network",
            InviteeKind::Group => "group",
        }
    }

    pub fn parse(code: &str) -> Option<InviteeKind> {
        match code {
            "person" => Some(InviteeKind::Person),
            "organisation" => Some(InviteeKind::Organisation),
            "network" => Some(InviteeKind::Network),
            "group" => Some(InviteeKind::Group),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Invitee {
    pub kind: InviteeKind,
    pub target_id: String,
    /// The name of the person, organisation or network; a group's grouping.
    pub label: String,
    /// A group's number in its grouping (its stored position, from 1).
    pub group_number: Option<i64>,
}

/// A small group a meeting may invite.
#[derive(Debug, Clone)]
pub struct GroupChoice {
    pub id: String,
    /// Its number in its grouping, from 1.
    pub number: i64,
    pub grouping_name: String,
    pub network_names: Vec<String>,
}

/// Which meetings to list.
#[derive(Debug, Clone, Default)]
pub struct MeetingFilter {
    /// Only this network's.
    pub network: Option<String>,
    /// Only what a person reaches (`None`: everything, the administrator's view).
    pub reach: Option<Reach>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// Meetings that concern this account (id, e-mail): invited or registered as the person with
    /// its e-mail, or of a network the account works on.
    pub concerning_user: Option<(String, String)>,
    pub include_cancelled: bool,
}

/// The networks a person sees meetings of: those they work on, and every network of the
/// programmes they coordinate.
#[derive(Debug, Clone, Default)]
pub struct Reach {
    pub networks: Vec<String>,
    pub programmes: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum RegistrationStatus {
    Registered,
    Waiting,
    Cancelled,
}

impl RegistrationStatus {
    pub fn code(self) -> &'static str {
        match self {
            RegistrationStatus::Registered => "registered",
            RegistrationStatus::Waiting => "waiting",
            RegistrationStatus::Cancelled => "cancelled",
        }
    }

    fn parse(code: &str) -> Result<RegistrationStatus> {
        match code {
            "registered" => Ok(RegistrationStatus::Registered),
            "waiting" => Ok(RegistrationStatus::Waiting),
            "cancelled" => Ok(RegistrationStatus::Cancelled),
            other => Err(StoreError::Corrupt(format!("registration status {other:?}"))),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Registration {
    pub person_id: String,
    pub person_name: String,
    pub status: RegistrationStatus,
    pub queued_at: String,
}

/// A line of the register with the names to show.
#[derive(Debug, Clone, Serialize)]
pub struct AttendanceRow {
    pub person_id: String,
    pub person_name: String,
    pub organisation: String,
    pub present: bool,
    pub minutes: i64,
    pub role: String,
    pub walk_in: bool,
}

impl AttendanceRow {
    fn line(&self) -> RegisterLine {
        RegisterLine {
            person_id: self.person_id.clone(),
            present: self.present,
            minutes: self.minutes,
            role: self.role.clone(),
            walk_in: self.walk_in,
        }
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Correction {
    pub person_name: String,
    pub reason: String,
    pub actor_label: String,
    pub at: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Attachment {
    pub id: String,
    pub meeting_id: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub created_by: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct MeetingAction {
    pub id: String,
    pub meeting_id: String,
    pub kind: ActionKind,
    pub description: String,
    pub owner: String,
    pub due_on: Option<time::Date>,
    pub status: ActionStatus,
}

/// What creating or changing a meeting writes.
pub struct MeetingChanges<'a> {
    pub draft: &'a MeetingDraft,
    pub invitees: &'a [(InviteeKind, String)],
    /// The base URL of the video rooms, when one is configured.
    pub room_base: Option<&'a str>,
}

fn audit_value(meeting_id: &str, draft: &MeetingDraft, link: &str, starts: &str, ends: &str) -> serde_json::Value {
    serde_json::json!({"id": meeting_id, "title": draft.title, "kind": draft.kind.code(), "mode": draft.mode.code(),
        "place": draft.place, "link": link, "starts_at": starts, "ends_at": ends, "agenda": draft.agenda,
        "registration_open": draft.registration_open, "capacity": draft.capacity})
}

fn link_for(draft: &MeetingDraft, room_base: Option<&str>, meeting_id: &str) -> String {
    match room_base {
        Some(base) if draft.mode.has_link() && draft.link.is_empty() => room_link(base, meeting_id),
        _ => draft.link.clone(),
    }
}

impl Db {
    pub(crate) async fn network_programme(&self, network_id: &str) -> Result<String> {
        sqlx::query_scalar("SELECT programme_id FROM networks WHERE id = $1")
            .bind(network_id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Creates the meeting, or each meeting of its series (sharing a series id), with its
    /// invitees; returns their ids in order.
    pub async fn create_meetings(
        &self,
        actor: &Actor,
        network_id: &str,
        changes: &MeetingChanges<'_>,
    ) -> Result<Vec<String>> {
        self.create_meetings_of_lab(actor, network_id, changes, None).await
    }

    /// [`Db::create_meetings`], the meetings naming `lab_id` as their lab (sessions of a lab).
    pub(crate) async fn create_meetings_of_lab(
        &self,
        actor: &Actor,
        network_id: &str,
        changes: &MeetingChanges<'_>,
        lab_id: Option<&str>,
    ) -> Result<Vec<String>> {
        let programme_id = self.network_programme(network_id).await?;
        let draft = changes.draft;
        let occurrences = draft.occurrences();
        let series_id = (occurrences.len() > 1).then(new_id);
        let now = Timestamp::now().to_db();
        self.write(actor, async |w| {
            let mut ids = Vec::new();
            for (starts_at, ends_at) in &occurrences {
                let id = new_id();
                let link = link_for(draft, changes.room_base, &id);
                let (starts, ends) = (to_db(*starts_at), to_db(*ends_at));
                sqlx::query(
                    "INSERT INTO meetings (id, network_id, series_id, title, kind, mode, place, link, starts_at, ends_at, agenda,
                        registration_open, capacity, created_by_user_id, created_at, updated_at, lab_id)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16)",
                )
                .bind(&id)
                .bind(network_id)
                .bind(series_id.as_deref())
                .bind(&draft.title)
                .bind(draft.kind.code())
                .bind(draft.mode.code())
                .bind(&draft.place)
                .bind(&link)
                .bind(&starts)
                .bind(&ends)
                .bind(&draft.agenda)
                .bind(i64::from(draft.registration_open))
                .bind(draft.capacity)
                .bind(w.actor.user_id.as_deref())
                .bind(&now)
                .bind(lab_id)
                .execute(&mut *w.tx)
                .await?;
                set_invitees(w, &id, changes.invitees).await?;
                let mut after = audit_value(&id, draft, &link, &starts, &ends);
                after["series_id"] = serde_json::json!(series_id);
                if let Some(lab_id) = lab_id {
                    after["lab_id"] = serde_json::json!(lab_id);
                }
                after["invitees"] = invitees_json(changes.invitees);
                w.audit(Change {
                    action: "create",
                    entity: "meeting",
                    entity_id: Some(&id),
                    programme_id: Some(&programme_id),
                    before: None,
                    after: Some(after),
                })
                .await?;
                if series_id.is_none() {
                    w.enqueue(&meeting_notice(&id, Notice::Invitation)).await?;
                }
                ids.push(id);
            }
            // A series is announced once, with all its meetings (decision 0026).
            if series_id.is_some() {
                w.enqueue(&meeting_notice(&ids[0], Notice::SeriesInvitation)).await?;
            }
            Ok::<_, StoreError>(ids)
        })
        .await
    }

    /// Changes one meeting (of a series, only that one) and its invitees; raises its sequence so
    /// that calendars replace it.
    pub async fn update_meeting(&self, actor: &Actor, id: &str, changes: &MeetingChanges<'_>) -> Result<Meeting> {
        let before = self.meeting(id).await?.ok_or(StoreError::NotFound)?;
        let draft = changes.draft;
        let link = link_for(draft, changes.room_base, id);
        let (starts, ends) = (to_db(draft.starts_at), to_db(draft.ends_at));
        if before.is_signed() && (draft.starts_at != before.starts_at || draft.ends_at != before.ends_at) {
            // The signed register's hash covers the times: they are part of what was signed.
            return Err(FieldErrors::from(FieldError::new("starts_at", "error-register-locked")).into());
        }
        self.write(actor, async |w| {
            sqlx::query(
                "UPDATE meetings SET title = $1, kind = $2, mode = $3, place = $4, link = $5, starts_at = $6, ends_at = $7,
                    agenda = $8, registration_open = $9, capacity = $10, sequence = sequence + 1, updated_at = $11,
                    reminded_at = CASE WHEN starts_at = $6 THEN reminded_at END WHERE id = $12",
            )
            .bind(&draft.title)
            .bind(draft.kind.code())
            .bind(draft.mode.code())
            .bind(&draft.place)
            .bind(&link)
            .bind(&starts)
            .bind(&ends)
            .bind(&draft.agenda)
            .bind(i64::from(draft.registration_open))
            .bind(draft.capacity)
            .bind(Timestamp::now().to_db())
            .bind(id)
            .execute(&mut *w.tx)
            .await?;
            let invited_before = invited_people(w, id).await?;
            set_invitees(w, id, changes.invitees).await?;
            let invited_after = invited_people(w, id).await?;
            let uninvited: Vec<String> = invited_before.difference(&invited_after).cloned().collect();
            let mut after = audit_value(id, draft, &link, &starts, &ends);
            after["invitees"] = invitees_json(changes.invitees);
            w.audit(Change {
                action: "update",
                entity: "meeting",
                entity_id: Some(id),
                programme_id: Some(&before.programme_id),
                before: Some(serde_json::to_value(&before).expect("serialisable")),
                after: Some(after),
            })
            .await?;
            // More room may promote people waiting.
            let promoted = promote_waiting(w, id, &before.programme_id, draft.capacity).await?;
            w.enqueue(&meeting_notice(id, Notice::Update)).await?;
            if !promoted.is_empty() {
                w.enqueue(&meeting_notice_to(id, Notice::Promotion, promoted)).await?;
            }
            // Those no longer invited (and not registered, who still take part) drop it.
            if !uninvited.is_empty() {
                w.enqueue(&meeting_notice_to(id, Notice::Uninvited, uninvited)).await?;
            }
            Ok::<_, StoreError>(())
        })
        .await?;
        self.meeting(id).await?.ok_or(StoreError::NotFound)
    }

    /// Cancels a meeting: it stays, marked, so that calendars receive the cancellation.
    pub async fn cancel_meeting(&self, actor: &Actor, id: &str) -> Result<()> {
        let meeting = self.meeting(id).await?.ok_or(StoreError::NotFound)?;
        self.write(actor, async |w| {
            let now = Timestamp::now().to_db();
            let cancelled = sqlx::query(
                "UPDATE meetings SET cancelled_at = $1, sequence = sequence + 1, updated_at = $1 WHERE id = $2 AND cancelled_at IS NULL",
            )
            .bind(&now)
            .bind(id)
            .execute(&mut *w.tx)
            .await?
            .rows_affected();
            if cancelled == 1 {
                w.enqueue(&meeting_notice(id, Notice::Cancellation)).await?;
            }
            w.audit(Change {
                action: "cancel",
                entity: "meeting",
                entity_id: Some(id),
                programme_id: Some(&meeting.programme_id),
                before: None,
                after: None,
            })
            .await
        })
        .await
    }

    pub async fn meeting(&self, id: &str) -> Result<Option<Meeting>> {
        let sql =
            format!("SELECT {MEETING_COLUMNS} FROM meetings m JOIN networks n ON n.id = m.network_id WHERE m.id = $1");
        let row = sqlx::query(&sql).bind(id).fetch_optional(self.pool()).await?;
        row.as_ref().map(meeting_from_row).transpose()
    }

    /// The meetings of a series not cancelled, in order.
    pub async fn series_meetings(&self, series_id: &str) -> Result<Vec<Meeting>> {
        let sql = format!(
            "SELECT {MEETING_COLUMNS} FROM meetings m JOIN networks n ON n.id = m.network_id
             WHERE m.series_id = $1 AND m.cancelled_at IS NULL ORDER BY m.starts_at, m.id"
        );
        let rows = sqlx::query(&sql).bind(series_id).fetch_all(self.pool()).await?;
        rows.iter().map(meeting_from_row).collect()
    }

    /// The conditions of `filter`, bound.
    async fn meeting_conditions(&self, filter: &MeetingFilter) -> Result<Conditions> {
        let mut conditions = Conditions::default();
        if let Some(network) = &filter.network {
            let p = conditions.bind(network.clone());
            conditions.push(format!("m.network_id = {p}"));
        }
        if let Some(reach) = &filter.reach {
            let mut any = Vec::new();
            if !reach.networks.is_empty() {
                any.push(format!("m.network_id IN ({})", conditions.bind_all(reach.networks.iter().cloned())));
            }
            if !reach.programmes.is_empty() {
                let list = conditions.bind_all(reach.programmes.iter().cloned());
                any.push(format!("m.network_id IN (SELECT rn.id FROM networks rn WHERE rn.programme_id IN ({list}))"));
            }
            conditions.push(if any.is_empty() { "1 = 0".to_owned() } else { format!("({})", any.join(" OR ")) });
        }
        if let Some(from) = filter.from {
            let p = conditions.bind(to_db(from));
            conditions.push(format!("m.ends_at > {p}"));
        }
        if let Some(to) = filter.to {
            let p = conditions.bind(to_db(to));
            conditions.push(format!("m.starts_at < {p}"));
        }
        if !filter.include_cancelled {
            conditions.push("m.cancelled_at IS NULL".into());
        }
        if let Some((user_id, email)) = &filter.concerning_user {
            // The people with the account's e-mail (stored lower-case, as `Email` writes it) are
            // found through the e-mail's unique index, in the same statement. The meetings they
            // are invited to or registered for are one set, computed once: asked meeting by
            // meeting, PostgreSQL scanned the memberships again for each meeting (10 ms on the
            // demo's home page).
            let user = conditions.bind(user_id.clone());
            let email = conditions.bind(email.to_lowercase());
            conditions.push(format!(
                "(m.network_id IN (SELECT na.network_id FROM network_assignments na WHERE na.user_id = {user})
                  OR m.id IN (SELECT i.meeting_id FROM meeting_invitees i WHERE (i.kind, i.target_id) IN (
                     SELECT 'person', me.id FROM people me WHERE me.email = {email}
                     UNION ALL
                     SELECT 'organisation', af.organisation_id FROM people me JOIN affiliations af ON af.person_id = me.id
                     WHERE me.email = {email} AND af.ended_at IS NULL
                     UNION ALL
                     SELECT 'network', ms.network_id FROM people me JOIN affiliations af ON af.person_id = me.id
                     JOIN memberships ms ON ms.organisation_id = af.organisation_id
                     WHERE me.email = {email} AND af.ended_at IS NULL AND ms.left_on IS NULL))
                  OR m.id IN (SELECT r.meeting_id FROM people me JOIN meeting_registrations r ON r.person_id = me.id
                     WHERE me.email = {email} AND r.status <> 'cancelled'))"
            ));
        }
        Ok(conditions)
    }

    /// A page of meetings by start time, in one statement.
    pub async fn meetings(&self, filter: &MeetingFilter, page: PageRequest) -> Result<Page<Meeting>> {
        let conditions = self.meeting_conditions(filter).await?;
        let where_clause = conditions.where_clause();
        // The total rides on the page's rows, so a page is one statement.
        let sql = format!(
            "SELECT {MEETING_COLUMNS}, COUNT(*) OVER () AS total
             FROM meetings m JOIN networks n ON n.id = m.network_id{where_clause}
             ORDER BY m.starts_at, m.id{}",
            page.limit_offset()
        );
        let rows = conditions.query(&sql).fetch_all(self.pool()).await?;
        let total: i64 = match rows.first() {
            Some(row) => row.try_get("total")?,
            // A page past the end has no row to carry the total.
            None if page.page > 1 => {
                conditions
                    .query_scalar(&format!("SELECT COUNT(*) FROM meetings m{where_clause}"))
                    .fetch_one(self.pool())
                    .await?
            }
            None => 0,
        };
        let items = rows.iter().map(meeting_from_row).collect::<Result<Vec<_>>>()?;
        Ok(Page { items, page: page.page, per_page: page.per_page, total })
    }

    /// A page of meetings as calendars and lists show them ([`MeetingBrief`]), by start time, in
    /// one statement: no agenda, minutes nor registration counts to read for each line.
    pub async fn meeting_briefs(&self, filter: &MeetingFilter, page: PageRequest) -> Result<Page<MeetingBrief>> {
        let conditions = self.meeting_conditions(filter).await?;
        let where_clause = conditions.where_clause();
        // The page's meetings come as one JSON array in one row, whatever their number: on
        // SQLite each row of a result is a hand-over between the connection's thread and the
        // request's, and through `Any` a copy of every column (decision 0036).
        let items = self.engine.json_rows(
            "b.id, b.title, b.network_name, b.kind, b.mode, b.starts_at, b.ends_at, b.cancelled_at",
            "b.starts_at, b.id",
            &format!(
                "FROM (SELECT m.id, m.title, n.name AS network_name, m.kind, m.mode, m.starts_at, m.ends_at, m.cancelled_at
                 FROM meetings m JOIN networks n ON n.id = m.network_id{where_clause}
                 ORDER BY m.starts_at, m.id{}) b",
                page.limit_offset()
            ),
        );
        let sql = format!("SELECT {items} AS items, (SELECT COUNT(*) FROM meetings m{where_clause}) AS total");
        let row = conditions.query(&sql).fetch_one(self.pool()).await?;
        let total: i64 = row.try_get("total")?;
        let items: String = row.try_get("items")?;
        let rows: Vec<BriefJson> =
            serde_json::from_str(&items).map_err(|e| StoreError::Corrupt(format!("meetings as JSON: {e}")))?;
        let items = rows.into_iter().map(brief_from_json).collect::<Result<Vec<_>>>()?;
        Ok(Page { items, page: page.page, per_page: page.per_page, total })
    }

    pub async fn invitees(&self, meeting_id: &str) -> Result<Vec<Invitee>> {
        let rows = sqlx::query(
            "SELECT i.kind, i.target_id, COALESCE(p.name, o.name, n.name, gp.name, '') AS label, g.position
             FROM meeting_invitees i
             LEFT JOIN people p ON i.kind = 'person' AND p.id = i.target_id
             LEFT JOIN organisations o ON i.kind = 'organisation' AND o.id = i.target_id
             LEFT JOIN networks n ON i.kind = 'network' AND n.id = i.target_id
             LEFT JOIN grouping_groups g ON i.kind = 'group' AND g.id = i.target_id
             LEFT JOIN groupings gp ON gp.id = g.grouping_id
             WHERE i.meeting_id = $1 ORDER BY i.kind, label, g.position",
        )
        .bind(meeting_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let kind: String = row.try_get("kind")?;
                Ok(Invitee {
                    kind: InviteeKind::parse(&kind).ok_or_else(|| StoreError::Corrupt(format!("invitee {kind:?}")))?,
                    target_id: row.try_get("target_id")?,
                    label: row.try_get("label")?,
                    group_number: row.try_get("position")?,
                })
            })
            .collect()
    }

    /// The groups a meeting of the programme may invite: those of its ten latest saved groupings,
    /// and those of `chosen` (a meeting's current groups, of older groupings), in grouping order,
    /// each with its networks' names.
    pub async fn meeting_group_choices(&self, programme_id: &str, chosen: &[String]) -> Result<Vec<GroupChoice>> {
        let chosen = &chosen[..chosen.len().min(50)];
        let listed: Vec<String> = (0..chosen.len()).map(|i| format!("${}", i + 2)).collect();
        let or_chosen = if listed.is_empty() { String::new() } else { format!(" OR g.id IN ({})", listed.join(", ")) };
        let sql = format!(
            "SELECT g.id, g.position, gp.name AS grouping_name, n.name AS network_name
             FROM grouping_groups g JOIN groupings gp ON gp.id = g.grouping_id
             JOIN grouping_members gm ON gm.group_id = g.id JOIN networks n ON n.id = gm.network_id
             WHERE gp.programme_id = $1 AND (gp.id IN (SELECT id FROM groupings WHERE programme_id = $1
                 ORDER BY created_at DESC, id DESC LIMIT 10){or_chosen})
             ORDER BY gp.created_at DESC, gp.id, g.position, n.name_folded"
        );
        let mut query = sqlx::query(&sql).bind(programme_id);
        for id in chosen {
            query = query.bind(id);
        }
        let mut groups: Vec<GroupChoice> = Vec::new();
        for row in query.fetch_all(self.pool()).await? {
            let id: String = row.try_get("id")?;
            if groups.last().is_none_or(|g| g.id != id) {
                groups.push(GroupChoice {
                    id,
                    number: row.try_get("position")?,
                    grouping_name: row.try_get("grouping_name")?,
                    network_names: Vec::new(),
                });
            }
            groups.last_mut().expect("pushed above").network_names.push(row.try_get("network_name")?);
        }
        Ok(groups)
    }

    /// Registers the person: a place when there is one, the waiting list otherwise. Closed
    /// registrations and cancelled meetings are refused naming `person_id`.
    pub async fn register(&self, actor: &Actor, meeting_id: &str, person_id: &str) -> Result<RegistrationStatus> {
        let meeting = self.meeting(meeting_id).await?.ok_or(StoreError::NotFound)?;
        if !meeting.registration_open || meeting.cancelled {
            return Err(FieldErrors::from(FieldError::new("person_id", "error-registration-closed")).into());
        }
        self.write(actor, async |w| register_in(w, &meeting, person_id).await).await
    }

    /// Cancels the person's registration; when that frees a place, the first person waiting
    /// gets it. Returns who was promoted.
    pub async fn cancel_registration(
        &self,
        actor: &Actor,
        meeting_id: &str,
        person_id: &str,
    ) -> Result<Option<String>> {
        let meeting = self.meeting(meeting_id).await?.ok_or(StoreError::NotFound)?;
        self.write(actor, async |w| {
            let changed = sqlx::query(
                "UPDATE meeting_registrations SET status = 'cancelled', updated_at = $1
                 WHERE meeting_id = $2 AND person_id = $3 AND status <> 'cancelled'",
            )
            .bind(Timestamp::now().to_db())
            .bind(meeting_id)
            .bind(person_id)
            .execute(&mut *w.tx)
            .await?
            .rows_affected();
            if changed == 0 {
                return Err(StoreError::NotFound);
            }
            w.audit(Change {
                action: "unregister",
                entity: "meeting",
                entity_id: Some(meeting_id),
                programme_id: Some(&meeting.programme_id),
                before: None,
                after: Some(serde_json::json!({"person_id": person_id})),
            })
            .await?;
            let promoted = promote_waiting(w, meeting_id, &meeting.programme_id, meeting.capacity).await?;
            if !promoted.is_empty() {
                w.enqueue(&meeting_notice_to(meeting_id, Notice::Promotion, promoted.clone())).await?;
            }
            Ok(promoted.into_iter().next())
        })
        .await
    }

    pub async fn registrations(&self, meeting_id: &str) -> Result<Vec<Registration>> {
        let rows = sqlx::query(
            "SELECT r.person_id, p.name AS person_name, r.status, r.queued_at FROM meeting_registrations r
             JOIN people p ON p.id = r.person_id
             WHERE r.meeting_id = $1
             ORDER BY CASE r.status WHEN 'registered' THEN 0 WHEN 'waiting' THEN 1 ELSE 2 END, r.queued_at, r.id",
        )
        .bind(meeting_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Registration {
                    person_id: row.try_get("person_id")?,
                    person_name: row.try_get("person_name")?,
                    status: RegistrationStatus::parse(&row.try_get::<String, _>("status")?)?,
                    queued_at: row.try_get("queued_at")?,
                })
            })
            .collect()
    }

    /// The people a register form lists: the invited (directly, by organisation or by network),
    /// the registered and those already in the register, each once with an organisation.
    pub async fn register_candidates(&self, meeting_id: &str) -> Result<Vec<(String, String, String)>> {
        let sql = format!(
            "SELECT p.id, p.name, {organisation} AS organisation FROM people p
             WHERE p.archived_at IS NULL AND p.id IN ({invited}
                UNION SELECT r.person_id FROM meeting_registrations r WHERE r.meeting_id = $1 AND r.status = 'registered'
                UNION SELECT a.person_id FROM meeting_attendance a WHERE a.meeting_id = $1)
             ORDER BY p.name_folded, p.id",
            organisation = ORGANISATION_SQL,
            invited = invited_people_sql("$1"),
        );
        let rows = sqlx::query(&sql).bind(meeting_id).fetch_all(self.pool()).await?;
        rows.iter().map(|row| Ok((row.try_get("id")?, row.try_get("name")?, row.try_get("organisation")?))).collect()
    }

    pub async fn attendance(&self, meeting_id: &str) -> Result<Vec<AttendanceRow>> {
        let sql = format!(
            "SELECT a.person_id, p.name AS person_name, {ORGANISATION_SQL} AS organisation, a.present, a.minutes_attended,
                a.role, a.walk_in
             FROM meeting_attendance a JOIN people p ON p.id = a.person_id
             WHERE a.meeting_id = $1 ORDER BY p.name_folded, p.id"
        );
        let rows = sqlx::query(&sql).bind(meeting_id).fetch_all(self.pool()).await?;
        rows.iter()
            .map(|row| {
                Ok(AttendanceRow {
                    person_id: row.try_get("person_id")?,
                    person_name: row.try_get("person_name")?,
                    organisation: row.try_get("organisation")?,
                    present: row.try_get::<i64, _>("present")? != 0,
                    minutes: row.try_get("minutes_attended")?,
                    role: row.try_get("role")?,
                    walk_in: row.try_get::<i64, _>("walk_in")? != 0,
                })
            })
            .collect()
    }

    /// Records lines of the register. Someone not invited is recorded as a walk-in. Once the
    /// register is signed, every change needs a `reason`: it is kept with the change, the audit
    /// entry names it, and the register's hash is computed again over the corrected register.
    pub async fn record_attendance(
        &self,
        actor: &Actor,
        meeting_id: &str,
        lines: &[Attendance],
        reason: Option<&str>,
    ) -> Result<()> {
        let meeting = self.meeting(meeting_id).await?.ok_or(StoreError::NotFound)?;
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        if meeting.is_signed() && reason.is_none() {
            return Err(FieldErrors::from(FieldError::new("reason", "error-reason-required")).into());
        }
        let before: Vec<AttendanceRow> = self.attendance(meeting_id).await?;
        self.write(actor, async |w| {
            let now = Timestamp::now().to_db();
            for line in lines {
                let previous = before.iter().find(|r| r.person_id == line.person_id);
                if previous.is_some_and(|p| {
                    p.present == line.present && p.minutes == line.minutes && p.role == line.role
                }) {
                    continue;
                }
                let invited_sql = format!(
                    "SELECT COUNT(*) FROM meetings m WHERE m.id = $1 AND ({} OR EXISTS (SELECT 1 FROM meeting_registrations r
                       WHERE r.meeting_id = m.id AND r.person_id = $2 AND r.status = 'registered'))",
                    INVITED_SQL.replace("$person", "$2")
                );
                let invited: i64 =
                    sqlx::query_scalar(&invited_sql).bind(meeting_id).bind(&line.person_id).fetch_one(&mut *w.tx).await?;
                let walk_in = invited == 0;
                sqlx::query("DELETE FROM meeting_attendance WHERE meeting_id = $1 AND person_id = $2")
                    .bind(meeting_id)
                    .bind(&line.person_id)
                    .execute(&mut *w.tx)
                    .await?;
                sqlx::query(
                    "INSERT INTO meeting_attendance (meeting_id, person_id, present, minutes_attended, role, walk_in, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(meeting_id)
                .bind(&line.person_id)
                .bind(i64::from(line.present))
                .bind(line.minutes)
                .bind(&line.role)
                .bind(i64::from(walk_in))
                .bind(&now)
                .execute(&mut *w.tx)
                .await
                .map_err(StoreError::missing_reference_as("person_id", "error-person-invalid"))?;
                let after = serde_json::json!({"person_id": line.person_id, "present": line.present,
                    "minutes": line.minutes, "role": line.role, "walk_in": walk_in, "reason": reason});
                let before_json = previous.map(|p| serde_json::to_value(p).expect("serialisable"));
                if let Some(reason) = reason {
                    sqlx::query(
                        "INSERT INTO meeting_register_corrections (id, meeting_id, person_id, reason, before_json, after_json, actor_label, at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    )
                    .bind(new_id())
                    .bind(meeting_id)
                    .bind(&line.person_id)
                    .bind(reason)
                    .bind(before_json.as_ref().map(|v| v.to_string()))
                    .bind(after.to_string())
                    .bind(&w.actor.label)
                    .bind(&now)
                    .execute(&mut *w.tx)
                    .await?;
                }
                w.audit(Change {
                    action: if meeting.is_signed() { "correct_attendance" } else { "record_attendance" },
                    entity: "meeting",
                    entity_id: Some(meeting_id),
                    programme_id: Some(&meeting.programme_id),
                    before: before_json,
                    after: Some(after),
                })
                .await?;
            }
            if meeting.is_signed() {
                let hash = hash_in(w, &meeting).await?;
                sqlx::query("UPDATE meetings SET register_hash = $1, updated_at = $2 WHERE id = $3")
                    .bind(&hash)
                    .bind(&now)
                    .bind(meeting_id)
                    .execute(&mut *w.tx)
                    .await?;
            }
            Ok::<_, StoreError>(())
        })
        .await
    }

    /// The facilitator signs the register off: it is locked, and its hash recorded.
    pub async fn sign_register(&self, actor: &Actor, meeting_id: &str) -> Result<String> {
        let meeting = self.meeting(meeting_id).await?.ok_or(StoreError::NotFound)?;
        if meeting.is_signed() {
            return Err(StoreError::Conflict { field: "register" });
        }
        self.write(actor, async |w| {
            let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM meeting_attendance WHERE meeting_id = $1")
                .bind(meeting_id)
                .fetch_one(&mut *w.tx)
                .await?;
            if rows == 0 {
                return Err(FieldErrors::from(FieldError::new("register", "error-register-empty")).into());
            }
            let hash = hash_in(w, &meeting).await?;
            let now = Timestamp::now().to_db();
            sqlx::query(
                "UPDATE meetings SET signed_at = $1, signed_by = $2, register_hash = $3, updated_at = $1 WHERE id = $4",
            )
            .bind(&now)
            .bind(&w.actor.label)
            .bind(&hash)
            .bind(meeting_id)
            .execute(&mut *w.tx)
            .await?;
            w.audit(Change {
                action: "sign_register",
                entity: "meeting",
                entity_id: Some(meeting_id),
                programme_id: Some(&meeting.programme_id),
                before: None,
                after: Some(serde_json::json!({"register_hash": hash})),
            })
            .await?;
            Ok(hash)
        })
        .await
    }

    /// The hash of the register as it is now: equal to the recorded one unless the register was
    /// changed outside the application after signing.
    pub async fn current_register_hash(&self, meeting: &Meeting) -> Result<String> {
        let rows = self.attendance(&meeting.id).await?;
        let lines: Vec<RegisterLine> = rows.iter().map(AttendanceRow::line).collect();
        Ok(register_hash(&meeting.id, &to_db(meeting.starts_at), &to_db(meeting.ends_at), &lines))
    }

    pub async fn register_corrections(&self, meeting_id: &str) -> Result<Vec<Correction>> {
        Ok(sqlx::query_as(
            "SELECT p.name AS person_name, c.reason, c.actor_label, c.at FROM meeting_register_corrections c
             JOIN people p ON p.id = c.person_id WHERE c.meeting_id = $1 ORDER BY c.at, c.id",
        )
        .bind(meeting_id)
        .fetch_all(self.pool())
        .await?)
    }

    pub async fn set_minutes(&self, actor: &Actor, meeting_id: &str, minutes: &str) -> Result<()> {
        let meeting = self.meeting(meeting_id).await?.ok_or(StoreError::NotFound)?;
        self.write(actor, async |w| {
            sqlx::query("UPDATE meetings SET minutes = $1, updated_at = $2 WHERE id = $3")
                .bind(minutes.trim())
                .bind(Timestamp::now().to_db())
                .bind(meeting_id)
                .execute(&mut *w.tx)
                .await?;
            w.audit(Change {
                action: "minutes",
                entity: "meeting",
                entity_id: Some(meeting_id),
                programme_id: Some(&meeting.programme_id),
                before: Some(serde_json::json!({"minutes": meeting.minutes})),
                after: Some(serde_json::json!({"minutes": minutes.trim()})),
            })
            .await
        })
        .await
    }

    /// Records an attachment: `store_file` puts the file in place inside the transaction, after
    /// the row is written; when anything fails after that, the commit included, `discard_file`
    /// removes it, so that a failure leaves neither row nor file.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_attachment<F, D>(
        &self,
        actor: &Actor,
        meeting_id: &str,
        file_name: &str,
        content_type: &str,
        size_bytes: i64,
        store_file: F,
        discard_file: D,
    ) -> Result<Attachment>
    where
        F: AsyncFnOnce(&str) -> std::io::Result<()>,
        D: AsyncFnOnce(&str),
    {
        let meeting = self.meeting(meeting_id).await?.ok_or(StoreError::NotFound)?;
        let attachment = Attachment {
            id: new_id(),
            meeting_id: meeting_id.to_owned(),
            file_name: file_name.to_owned(),
            content_type: content_type.to_owned(),
            size_bytes,
            created_by: actor.label.clone(),
            created_at: Timestamp::now().to_db(),
        };
        let mut stored = false;
        let written = self
            .write(actor, async |w| {
            sqlx::query(
                "INSERT INTO meeting_attachments (id, meeting_id, file_name, content_type, size_bytes, created_by, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&attachment.id)
            .bind(meeting_id)
            .bind(&attachment.file_name)
            .bind(&attachment.content_type)
            .bind(size_bytes)
            .bind(&attachment.created_by)
            .bind(&attachment.created_at)
            .execute(&mut *w.tx)
            .await?;
            w.audit(Change {
                action: "attach",
                entity: "meeting",
                entity_id: Some(meeting_id),
                programme_id: Some(&meeting.programme_id),
                before: None,
                after: Some(serde_json::to_value(&attachment).expect("serialisable")),
            })
            .await?;
            store_file(&attachment.id).await.map_err(|e| StoreError::Corrupt(format!("attachment not stored: {e}")))?;
            stored = true;
            Ok::<_, StoreError>(())
        })
        .await;
        if let Err(error) = written {
            if stored {
                discard_file(&attachment.id).await;
            }
            return Err(error);
        }
        Ok(attachment)
    }

    /// The ids of every attachment, lab material and custom indicator's evidence, for the sweep of
    /// files without a row.
    pub async fn attachment_ids(&self) -> Result<std::collections::HashSet<String>> {
        let ids: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM meeting_attachments UNION ALL SELECT id FROM lab_materials
                 UNION ALL SELECT id FROM custom_indicator_values WHERE evidence_name IS NOT NULL",
        )
        .fetch_all(self.pool())
        .await?;
        Ok(ids.into_iter().collect())
    }

    pub async fn attachments(&self, meeting_id: &str) -> Result<Vec<Attachment>> {
        Ok(sqlx::query_as(
            "SELECT id, meeting_id, file_name, content_type, size_bytes, created_by, created_at FROM meeting_attachments
             WHERE meeting_id = $1 ORDER BY created_at, id",
        )
        .bind(meeting_id)
        .fetch_all(self.pool())
        .await?)
    }

    pub async fn add_meeting_action(&self, actor: &Actor, meeting_id: &str, draft: &ActionDraft) -> Result<String> {
        let meeting = self.meeting(meeting_id).await?.ok_or(StoreError::NotFound)?;
        let id = new_id();
        self.write(actor, async |w| {
            let now = Timestamp::now().to_db();
            sqlx::query(
                "INSERT INTO meeting_actions (id, meeting_id, kind, description, owner, due_on, status, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
            )
            .bind(&id)
            .bind(meeting_id)
            .bind(draft.kind.code())
            .bind(&draft.description)
            .bind(&draft.owner)
            .bind(draft.due_on.map(date_to_db))
            .bind(draft.status.code())
            .bind(&now)
            .execute(&mut *w.tx)
            .await?;
            w.audit(Change {
                action: "create",
                entity: "meeting_action",
                entity_id: Some(&id),
                programme_id: Some(&meeting.programme_id),
                before: None,
                after: Some(serde_json::json!({"meeting_id": meeting_id, "kind": draft.kind.code(), "description": draft.description,
                    "owner": draft.owner, "due_on": draft.due_on.map(date_to_db), "status": draft.status.code()})),
            })
            .await
        })
        .await?;
        Ok(id)
    }

    pub async fn set_meeting_action_status(
        &self,
        actor: &Actor,
        meeting_id: &str,
        action_id: &str,
        status: ActionStatus,
    ) -> Result<()> {
        let meeting = self.meeting(meeting_id).await?.ok_or(StoreError::NotFound)?;
        self.write(actor, async |w| {
            let changed = sqlx::query(
                "UPDATE meeting_actions SET status = $1, updated_at = $2 WHERE id = $3 AND meeting_id = $4",
            )
            .bind(status.code())
            .bind(Timestamp::now().to_db())
            .bind(action_id)
            .bind(meeting_id)
            .execute(&mut *w.tx)
            .await?
            .rows_affected();
            if changed == 0 {
                return Err(StoreError::NotFound);
            }
            w.audit(Change {
                action: "update",
                entity: "meeting_action",
                entity_id: Some(action_id),
                programme_id: Some(&meeting.programme_id),
                before: None,
                after: Some(serde_json::json!({"status": status.code()})),
            })
            .await
        })
        .await
    }

    pub async fn meeting_actions(&self, meeting_id: &str) -> Result<Vec<MeetingAction>> {
        let rows = sqlx::query(
            "SELECT id, meeting_id, kind, description, owner, due_on, status FROM meeting_actions
             WHERE meeting_id = $1 ORDER BY kind DESC, created_at, id",
        )
        .bind(meeting_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let kind: String = row.try_get("kind")?;
                let status: String = row.try_get("status")?;
                Ok(MeetingAction {
                    id: row.try_get("id")?,
                    meeting_id: row.try_get("meeting_id")?,
                    kind: ActionKind::parse(&kind).map_err(|_| StoreError::Corrupt(format!("action kind {kind:?}")))?,
                    description: row.try_get("description")?,
                    owner: row.try_get("owner")?,
                    due_on: date_from_db(row.try_get("due_on")?)?,
                    status: ActionStatus::parse(&status)
                        .map_err(|_| StoreError::Corrupt(format!("action status {status:?}")))?,
                })
            })
            .collect()
    }

    /// One row per person per meeting of the register, for funders: meeting, date (Europe/Rome),
    /// network, organisation, person, present, minutes (the columns of [`ATTENDANCE_COLUMNS`]).
    /// `networks` as in [`MeetingFilter`]. The rows are read from one statement and handed to
    /// `each` one at a time as they arrive, so that memory stays bounded however many there are.
    pub async fn attendance_export<E: From<StoreError>>(
        &self,
        networks: Option<&[String]>,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        mut each: impl FnMut(Vec<String>) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let mut conditions = Conditions::default();
        if let Some(networks) = networks {
            let list = conditions.bind_all(networks.iter().cloned());
            conditions.push(if networks.is_empty() { "1 = 0".into() } else { format!("m.network_id IN ({list})") });
        }
        if let Some(from) = from {
            let p = conditions.bind(to_db(from));
            conditions.push(format!("m.starts_at >= {p}"));
        }
        if let Some(to) = to {
            let p = conditions.bind(to_db(to));
            conditions.push(format!("m.starts_at < {p}"));
        }
        let sql = format!(
            "SELECT m.title, m.starts_at, n.name AS network, {ORGANISATION_SQL} AS organisation, p.name AS person,
                a.present, a.minutes_attended
             FROM meeting_attendance a
             JOIN meetings m ON m.id = a.meeting_id
             JOIN networks n ON n.id = m.network_id
             JOIN people p ON p.id = a.person_id{}
             ORDER BY m.starts_at, m.id, p.name_folded, p.id",
            conditions.where_clause()
        );
        let mut rows = conditions.query(&sql).fetch(self.pool());
        while let Some(row) = rows.try_next().await.map_err(StoreError::from)? {
            let line = (|| -> Result<Vec<String>> {
                let starts = instant(row.try_get("starts_at")?)?;
                Ok(vec![
                    row.try_get("title")?,
                    reti_domain::meetings::to_local(starts).format("%Y-%m-%d").to_string(),
                    row.try_get("network")?,
                    row.try_get("organisation")?,
                    row.try_get("person")?,
                    if row.try_get::<i64, _>("present")? != 0 { "sì" } else { "no" }.to_owned(),
                    row.try_get::<i64, _>("minutes_attended")?.to_string(),
                ])
            })()?;
            each(line)?;
        }
        Ok(())
    }
}

pub const ATTENDANCE_COLUMNS: &[ExportColumn] = &[
    ExportColumn { field: "meeting", header: "Incontro" },
    ExportColumn { field: "date", header: "Data" },
    ExportColumn { field: "network", header: "Rete" },
    ExportColumn { field: "organisation", header: "Ente" },
    ExportColumn { field: "person", header: "Persona" },
    ExportColumn { field: "present", header: "Presente" },
    ExportColumn { field: "minutes", header: "Minuti" },
];

/// Whether `$person` is invited to meeting `m.id`: named, through an organisation they work for,
/// or through a network (or a small group of networks) one of their organisations is a current
/// member of.
pub(crate) const INVITED_SQL: &str = "(EXISTS (SELECT 1 FROM meeting_invitees i WHERE i.meeting_id = m.id AND (
      (i.kind = 'person' AND i.target_id = $person)
   OR (i.kind = 'organisation' AND i.target_id IN (SELECT af.organisation_id FROM affiliations af WHERE af.person_id = $person AND af.ended_at IS NULL))
   OR (i.kind = 'network' AND i.target_id IN (SELECT ms.network_id FROM memberships ms JOIN affiliations af ON af.organisation_id = ms.organisation_id
          WHERE af.person_id = $person AND af.ended_at IS NULL AND ms.left_on IS NULL))
   OR (i.kind = 'group' AND i.target_id IN (SELECT gm.group_id FROM grouping_members gm
          JOIN memberships ms ON ms.network_id = gm.network_id JOIN affiliations af ON af.organisation_id = ms.organisation_id
          WHERE af.person_id = $person AND af.ended_at IS NULL AND ms.left_on IS NULL)))))";

/// The ids of the people meeting `meeting` (a parameter or a column) invites: the people
/// [`INVITED_SQL`] accepts, found from the meeting's invitees instead of by testing each person of
/// the registry (2.3 s for one meeting among 400,000 people, 8 ms this way).
pub(crate) fn invited_people_sql(meeting: &str) -> String {
    format!(
        "SELECT i.target_id FROM meeting_invitees i WHERE i.meeting_id = {meeting} AND i.kind = 'person'
         UNION SELECT af.person_id FROM meeting_invitees i JOIN affiliations af ON af.organisation_id = i.target_id
          WHERE i.meeting_id = {meeting} AND i.kind = 'organisation' AND af.ended_at IS NULL
         UNION SELECT af.person_id FROM meeting_invitees i JOIN memberships ms ON ms.network_id = i.target_id
          JOIN affiliations af ON af.organisation_id = ms.organisation_id
          WHERE i.meeting_id = {meeting} AND i.kind = 'network' AND ms.left_on IS NULL AND af.ended_at IS NULL
         UNION SELECT af.person_id FROM meeting_invitees i JOIN grouping_members gm ON gm.group_id = i.target_id
          JOIN memberships ms ON ms.network_id = gm.network_id JOIN affiliations af ON af.organisation_id = ms.organisation_id
          WHERE i.meeting_id = {meeting} AND i.kind = 'group' AND ms.left_on IS NULL AND af.ended_at IS NULL"
    )
}

/// The organisation a person currently works for (the first by name when several).
const ORGANISATION_SQL: &str =
    "COALESCE((SELECT MIN(o.name) FROM affiliations af JOIN organisations o ON o.id = af.organisation_id
    WHERE af.person_id = p.id AND af.ended_at IS NULL), '')";

fn invitees_json(invitees: &[(InviteeKind, String)]) -> serde_json::Value {
    invitees.iter().map(|(k, id)| serde_json::json!({"kind": k.code(), "id": id})).collect()
}

async fn set_invitees(w: &mut Writer<'_>, meeting_id: &str, invitees: &[(InviteeKind, String)]) -> Result<()> {
    sqlx::query("DELETE FROM meeting_invitees WHERE meeting_id = $1").bind(meeting_id).execute(&mut *w.tx).await?;
    let mut invitees = invitees.to_vec();
    invitees.sort_by(|a, b| (a.0.code(), &a.1).cmp(&(b.0.code(), &b.1)));
    invitees.dedup();
    for (kind, target) in &invitees {
        // Networks and groups only of the meeting's own programme; people and organisations are
        // the registry's, shared by all programmes.
        let sql = match kind {
            InviteeKind::Person => "SELECT COUNT(*) FROM people WHERE id = $1",
            InviteeKind::Organisation => "SELECT COUNT(*) FROM organisations WHERE id = $1",
            InviteeKind::Network => {
                "SELECT COUNT(*) FROM networks n JOIN meetings m ON m.id = $2 JOIN networks host ON host.id = m.network_id
                 WHERE n.id = $1 AND n.programme_id = host.programme_id"
            }
            InviteeKind::Group => {
                "SELECT COUNT(*) FROM grouping_groups g JOIN groupings gp ON gp.id = g.grouping_id
                 JOIN meetings m ON m.id = $2 JOIN networks host ON host.id = m.network_id
                 WHERE g.id = $1 AND gp.programme_id = host.programme_id"
            }
        };
        let mut query = sqlx::query_scalar(sql).bind(target);
        if matches!(kind, InviteeKind::Network | InviteeKind::Group) {
            query = query.bind(meeting_id);
        }
        let exists: i64 = query.fetch_one(&mut *w.tx).await?;
        if exists == 0 {
            return Err(FieldErrors::from(FieldError::new("invitees", "error-invitee-invalid")).into());
        }
        sqlx::query("INSERT INTO meeting_invitees (meeting_id, kind, target_id) VALUES ($1, $2, $3)")
            .bind(meeting_id)
            .bind(kind.code())
            .bind(target)
            .execute(&mut *w.tx)
            .await?;
    }
    Ok(())
}

/// The people the meeting invites (by name, organisation or network) and not registered, as
/// `w` sees them.
async fn invited_people(w: &mut Writer<'_>, meeting_id: &str) -> Result<std::collections::BTreeSet<String>> {
    let sql = format!(
        "SELECT p.id FROM people p WHERE p.id IN ({invited})
           AND NOT EXISTS (SELECT 1 FROM meeting_registrations r WHERE r.meeting_id = $1 AND r.person_id = p.id AND r.status <> 'cancelled')",
        invited = invited_people_sql("$1"),
    );
    Ok(sqlx::query_scalar(&sql).bind(meeting_id).fetch_all(&mut *w.tx).await?.into_iter().collect())
}

/// Registers the person inside `w`: a place when there is one, the waiting list otherwise.
pub(crate) async fn register_in(w: &mut Writer<'_>, meeting: &Meeting, person_id: &str) -> Result<RegistrationStatus> {
    // Counted inside the write transaction, so that two last-place registrations queue.
    let registered: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM meeting_registrations WHERE meeting_id = $1 AND status = 'registered' AND person_id <> $2",
        )
        .bind(&meeting.id)
        .bind(person_id)
        .fetch_one(&mut *w.tx)
        .await?;
    let existing: Option<String> =
        sqlx::query_scalar("SELECT status FROM meeting_registrations WHERE meeting_id = $1 AND person_id = $2")
            .bind(&meeting.id)
            .bind(person_id)
            .fetch_optional(&mut *w.tx)
            .await?;
    if let Some(status) = existing.as_deref().map(RegistrationStatus::parse).transpose()?
        && status != RegistrationStatus::Cancelled
    {
        return Ok(status);
    }
    let status = if meeting.capacity.is_some_and(|c| registered >= c) {
        RegistrationStatus::Waiting
    } else {
        RegistrationStatus::Registered
    };
    let now = Timestamp::now().to_db();
    if existing.is_some() {
        sqlx::query(
                "UPDATE meeting_registrations SET status = $1, queued_at = $2, updated_at = $2 WHERE meeting_id = $3 AND person_id = $4",
            )
            .bind(status.code())
            .bind(&now)
            .bind(&meeting.id)
            .bind(person_id)
            .execute(&mut *w.tx)
            .await?;
    } else {
        sqlx::query(
            "INSERT INTO meeting_registrations (id, meeting_id, person_id, status, queued_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $5)",
        )
        .bind(new_id())
        .bind(&meeting.id)
        .bind(person_id)
        .bind(status.code())
        .bind(&now)
        .execute(&mut *w.tx)
        .await
        .map_err(StoreError::missing_reference_as("person_id", "error-person-invalid"))?;
    }
    w.audit(Change {
        action: "register",
        entity: "meeting",
        entity_id: Some(&meeting.id),
        programme_id: Some(&meeting.programme_id),
        before: None,
        after: Some(serde_json::json!({"person_id": person_id, "status": status.code()})),
    })
    .await?;
    Ok(status)
}

/// Gives free places to the people waiting, first come first served; returns who got one.
async fn promote_waiting(
    w: &mut Writer<'_>,
    meeting_id: &str,
    programme_id: &str,
    capacity: Option<i64>,
) -> Result<Vec<String>> {
    let registered: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM meeting_registrations WHERE meeting_id = $1 AND status = 'registered'",
    )
    .bind(meeting_id)
    .fetch_one(&mut *w.tx)
    .await?;
    let free = capacity.map_or(i64::MAX, |c| (c - registered).max(0));
    if free == 0 {
        return Ok(Vec::new());
    }
    let limit = if free == i64::MAX { String::new() } else { format!(" LIMIT {free}") };
    let waiting: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT person_id FROM meeting_registrations WHERE meeting_id = $1 AND status = 'waiting' ORDER BY queued_at, id{limit}"
    ))
    .bind(meeting_id)
    .fetch_all(&mut *w.tx)
    .await?;
    for person_id in &waiting {
        sqlx::query(
            "UPDATE meeting_registrations SET status = 'registered', updated_at = $1 WHERE meeting_id = $2 AND person_id = $3",
        )
        .bind(Timestamp::now().to_db())
        .bind(meeting_id)
        .bind(person_id)
        .execute(&mut *w.tx)
        .await?;
        w.audit(Change {
            action: "promote",
            entity: "meeting",
            entity_id: Some(meeting_id),
            programme_id: Some(programme_id),
            before: None,
            after: Some(serde_json::json!({"person_id": person_id, "status": "registered"})),
        })
        .await?;
    }
    Ok(waiting)
}

/// The register's hash computed inside a write transaction (over what that transaction sees).
async fn hash_in(w: &mut Writer<'_>, meeting: &Meeting) -> Result<String> {
    let rows = sqlx::query(
        "SELECT person_id, present, minutes_attended, role, walk_in FROM meeting_attendance WHERE meeting_id = $1",
    )
    .bind(&meeting.id)
    .fetch_all(&mut *w.tx)
    .await?;
    let lines = rows
        .iter()
        .map(|row| {
            Ok(RegisterLine {
                person_id: row.try_get("person_id")?,
                present: row.try_get::<i64, _>("present")? != 0,
                minutes: row.try_get("minutes_attended")?,
                role: row.try_get("role")?,
                walk_in: row.try_get::<i64, _>("walk_in")? != 0,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(register_hash(&meeting.id, &to_db(meeting.starts_at), &to_db(meeting.ends_at), &lines))
}

/// A calendar feed of an account: its own meetings, or one network's.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CalendarFeed {
    pub id: String,
    pub user_id: String,
    pub network_id: Option<String>,
    pub network_name: Option<String>,
    pub created_at: String,
}

const FEED_COLUMNS: &str = "f.id, f.user_id, f.network_id, n.name AS network_name, f.created_at";

impl Db {
    /// A new feed for `user_id` (of `network_id`, when given); returns it with its secret, which
    /// is never stored.
    pub async fn create_calendar_feed(
        &self,
        actor: &Actor,
        user_id: &str,
        network_id: Option<&str>,
    ) -> Result<(CalendarFeed, String)> {
        let secret = crate::secret::new_secret();
        let id = new_id();
        self.write(actor, async |w| {
            sqlx::query(
                "INSERT INTO calendar_feeds (id, user_id, network_id, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&id)
            .bind(user_id)
            .bind(network_id)
            .bind(crate::secret::hash_secret(&secret))
            .bind(Timestamp::now().to_db())
            .execute(&mut *w.tx)
            .await?;
            w.audit(Change {
                action: "create",
                entity: "calendar_feed",
                entity_id: Some(&id),
                programme_id: None,
                before: None,
                after: Some(serde_json::json!({"user_id": user_id, "network_id": network_id})),
            })
            .await
        })
        .await?;
        let feed = self.calendar_feeds(user_id).await?.into_iter().find(|f| f.id == id).ok_or(StoreError::NotFound)?;
        Ok((feed, secret))
    }

    /// The account's feeds that still work.
    pub async fn calendar_feeds(&self, user_id: &str) -> Result<Vec<CalendarFeed>> {
        let sql = format!(
            "SELECT {FEED_COLUMNS} FROM calendar_feeds f LEFT JOIN networks n ON n.id = f.network_id
             WHERE f.user_id = $1 AND f.revoked_at IS NULL ORDER BY f.created_at, f.id"
        );
        Ok(sqlx::query_as(&sql).bind(user_id).fetch_all(self.pool()).await?)
    }

    /// The working feed whose secret is `token`.
    pub async fn calendar_feed_by_token(&self, token: &str) -> Result<Option<CalendarFeed>> {
        let sql = format!(
            "SELECT {FEED_COLUMNS} FROM calendar_feeds f LEFT JOIN networks n ON n.id = f.network_id
             WHERE f.token_hash = $1 AND f.revoked_at IS NULL"
        );
        Ok(sqlx::query_as(&sql).bind(crate::secret::hash_secret(token)).fetch_optional(self.pool()).await?)
    }

    /// Revokes one of the account's feeds: its URL stops working at once.
    pub async fn revoke_calendar_feed(&self, actor: &Actor, user_id: &str, feed_id: &str) -> Result<()> {
        self.write(actor, async |w| {
            let changed = sqlx::query(
                "UPDATE calendar_feeds SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
            )
            .bind(Timestamp::now().to_db())
            .bind(feed_id)
            .bind(user_id)
            .execute(&mut *w.tx)
            .await?
            .rows_affected();
            if changed == 0 {
                return Err(StoreError::NotFound);
            }
            w.audit(Change {
                action: "revoke",
                entity: "calendar_feed",
                entity_id: Some(feed_id),
                programme_id: None,
                before: None,
                after: None,
            })
            .await
        })
        .await
    }
}
