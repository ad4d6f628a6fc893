//! Meeting mail (issue 7, decision 0022): which notices a meeting's change queues, who receives
//! them, the sweep that queues the 24-hour reminders and the reminders of follow-ups falling due,
//! and each account's notification preferences.
//!
//! A change to a meeting queues one notice job in its own write transaction; when the job runs,
//! [`Db::queue_meeting_mails`] turns it into one mail job per recipient in one transaction. The
//! sweep marks what it reminds of (`reminded_at`) in the transaction that queues the reminder, so
//! several workers or app servers sweeping together send each reminder once.

use crate::audit::Change;
use crate::jobs::{NewJob, enqueue_in};
use crate::meetings::{Meeting, RegistrationStatus, invited_people_sql, register_in};
use crate::{Actor, Db, Result, StoreError, Timestamp};
use chrono::{DateTime, Utc};
use reti_domain::meetings::MeetingMode;
use reti_domain::meetings::to_db;
use reti_domain::{FieldError, FieldErrors};
use serde::{Deserialize, Serialize};
use sqlx::Row;

/// The job kind of a meeting's notice, expanded into mails when it runs.
pub const MEETING_NOTICE_KIND: &str = "meeting-notice";
/// The job kind of a follow-up action's reminder.
pub const FOLLOW_UP_NOTICE_KIND: &str = "follow-up-notice";
/// Meetings starting within this long get their reminder.
pub const REMINDER_AHEAD: chrono::TimeDelta = chrono::TimeDelta::hours(24);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Notice {
    Invitation,
    Update,
    Cancellation,
    Reminder,
    /// The invitation to every meeting of a new series, in one mail (decision 0026).
    SeriesInvitation,
    /// A place freed by a cancellation went to someone on the waiting list.
    Promotion,
    /// The meeting no longer invites these people: their calendars drop it.
    Uninvited,
}

impl Notice {
    /// The preference that switches this notice off.
    fn preference(self) -> &'static str {
        match self {
            Notice::Invitation | Notice::SeriesInvitation => "invitations",
            Notice::Update | Notice::Cancellation | Notice::Promotion | Notice::Uninvited => "updates",
            Notice::Reminder => "reminders",
        }
    }
}

/// The payload of a meeting's notice job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingNotice {
    pub meeting_id: String,
    pub notice: Notice,
    /// Only these people (promoted, uninvited); empty: everyone the meeting concerns.
    #[serde(default)]
    pub people: Vec<String>,
    /// The key of this notice among the meeting's mails, new for each change: a run of the job
    /// again mails nobody twice. Payloads queued before it existed use the meeting's sequence.
    #[serde(default)]
    pub round: Option<String>,
}

pub fn meeting_notice(meeting_id: &str, notice: Notice) -> NewJob {
    meeting_notice_to(meeting_id, notice, Vec::new())
}

/// The notice of `meeting_id` to `people` only.
pub fn meeting_notice_to(meeting_id: &str, notice: Notice, people: Vec<String>) -> NewJob {
    let payload = MeetingNotice { meeting_id: meeting_id.to_owned(), notice, people, round: Some(crate::new_id()) };
    NewJob::new(MEETING_NOTICE_KIND, serde_json::to_value(payload).expect("serialisable"))
}

/// Someone a notice goes to, with the language of their account when they have one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub name: String,
    pub email: String,
    pub locale: Option<String>,
}

/// A follow-up action falling due, with its owner when the owner is someone with an e-mail.
#[derive(Debug, Clone)]
pub struct FollowUp {
    pub action_id: String,
    pub description: String,
    pub due_on: String,
    pub meeting: Meeting,
    pub owner: Option<Recipient>,
}

/// Which mails an account receives; all on unless switched off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preferences {
    pub invitations: bool,
    pub updates: bool,
    pub reminders: bool,
    pub follow_ups: bool,
}

impl Default for Preferences {
    fn default() -> Preferences {
        Preferences { invitations: true, updates: true, reminders: true, follow_ups: true }
    }
}

/// The account of a person (same e-mail) and whether `$column` is on for it.
fn wants(column: &str) -> String {
    format!(
        "COALESCE((SELECT np.{column} FROM users u JOIN notification_preferences np ON np.user_id = u.id
           WHERE LOWER(u.email) = LOWER(p.email)), 1) = 1"
    )
}

/// The language of the account with the person's e-mail, else the one the person last confirmed a
/// guest registration in.
const LOCALE_SQL: &str = "COALESCE((SELECT u.locale FROM users u WHERE LOWER(u.email) = LOWER(p.email)),
    (SELECT g.locale FROM meeting_guest_requests g WHERE LOWER(g.email) = LOWER(p.email)
       AND g.confirmed_at IS NOT NULL AND g.locale IS NOT NULL ORDER BY g.confirmed_at DESC LIMIT 1))";

fn recipient_from_row(row: &sqlx::any::AnyRow) -> Result<Recipient> {
    Ok(Recipient { name: row.try_get("name")?, email: row.try_get("email")?, locale: row.try_get("locale")? })
}

impl Db {
    /// Who receives `notice` of the meeting: the people invited (named, through their organisation
    /// or network) or registered — or only `people`, when given — with an e-mail, who have not
    /// switched that notice off.
    pub async fn meeting_recipients(
        &self,
        meeting_id: &str,
        notice: Notice,
        people: &[String],
    ) -> Result<Vec<Recipient>> {
        let concerned = if people.is_empty() {
            format!(
                "p.id IN ({invited} UNION SELECT r.person_id FROM meeting_registrations r
                    WHERE r.meeting_id = $1 AND r.status <> 'cancelled')",
                invited = invited_people_sql("$1"),
            )
        } else {
            let list = (2..people.len() + 2).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
            format!("p.id IN ({list})")
        };
        let sql = format!(
            "SELECT p.name, p.email, {LOCALE_SQL} AS locale FROM people p, meetings m
             WHERE m.id = $1 AND p.archived_at IS NULL AND p.email IS NOT NULL AND p.email <> ''
               AND {concerned} AND {wants}
             ORDER BY p.email",
            wants = wants(notice.preference()),
        );
        let mut query = sqlx::query(&sql).bind(meeting_id);
        for person in people {
            query = query.bind(person);
        }
        let rows = query.fetch_all(self.pool()).await?;
        rows.iter().map(recipient_from_row).collect()
    }

    /// Queues, in one transaction, the mail `mail` renders for each recipient of `notice`;
    /// returns how many. `mail` receives the meeting — or every meeting of its series, for a
    /// series' invitation — and the recipient. Each recipient is recorded under the notice's
    /// round in the same transaction, so running the notice again queues nothing twice.
    /// Nothing when the meeting is gone.
    pub async fn queue_meeting_mails(
        &self,
        notice: &MeetingNotice,
        mail: impl Fn(&[Meeting], &Recipient) -> NewJob,
    ) -> Result<usize> {
        let Some(meeting) = self.meeting(&notice.meeting_id).await? else { return Ok(0) };
        let round = notice.round.clone().unwrap_or_else(|| meeting.sequence.to_string());
        let meetings = match (&meeting.series_id, notice.notice) {
            (Some(series), Notice::SeriesInvitation) => self.series_meetings(series).await?,
            _ => vec![meeting],
        };
        let recipients = self.meeting_recipients(&notice.meeting_id, notice.notice, &notice.people).await?;
        let notice_code = serde_json::to_value(notice.notice).expect("serialisable");
        let notice_code = notice_code.as_str().unwrap_or_default();
        let now = Timestamp::now().to_db();
        self.system_write(async |b| {
            let mut queued = 0;
            for recipient in &recipients {
                let first = sqlx::query(
                    "INSERT INTO meeting_notice_deliveries (meeting_id, notice, round, email, created_at)
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                )
                .bind(&notice.meeting_id)
                .bind(notice_code)
                .bind(&round)
                .bind(recipient.email.to_lowercase())
                .bind(&now)
                .execute(&mut *b.tx)
                .await?
                .rows_affected();
                if first == 1 {
                    enqueue_in(&mut b.tx, &mail(&meetings, recipient)).await?;
                    queued += 1;
                }
            }
            Ok(queued)
        })
        .await
    }

    /// Queues the reminders due at `now`: of meetings starting within [`REMINDER_AHEAD`], and of
    /// open follow-up actions due by tomorrow. Each is marked in the transaction that queues it,
    /// so a second sweep (or another server's) finds nothing left; returns how many were queued.
    pub async fn sweep_reminders(&self, now: DateTime<Utc>) -> Result<usize> {
        let stamp = Timestamp::now().to_db();
        let tomorrow = (now + chrono::TimeDelta::days(1)).format("%Y-%m-%d").to_string();
        self.system_write(async |b| {
            // An UPDATE … RETURNING takes the rows it changes: a concurrent sweep waits for the
            // row lock and then no longer sees it as unreminded.
            let meetings: Vec<String> = sqlx::query_scalar(
                "UPDATE meetings SET reminded_at = $1
                 WHERE reminded_at IS NULL AND cancelled_at IS NULL AND starts_at > $2 AND starts_at <= $3
                 RETURNING id",
            )
            .bind(&stamp)
            .bind(to_db(now))
            .bind(to_db(now + REMINDER_AHEAD))
            .fetch_all(&mut *b.tx)
            .await?;
            for id in &meetings {
                enqueue_in(&mut b.tx, &meeting_notice(id, Notice::Reminder)).await?;
            }
            let actions: Vec<String> = sqlx::query_scalar(
                "UPDATE meeting_actions SET reminded_at = $1
                 WHERE reminded_at IS NULL AND kind = 'action' AND status <> 'done' AND due_on IS NOT NULL AND due_on <= $2
                   AND meeting_id IN (SELECT id FROM meetings WHERE cancelled_at IS NULL)
                 RETURNING id",
            )
            .bind(&stamp)
            .bind(&tomorrow)
            .fetch_all(&mut *b.tx)
            .await?;
            for id in &actions {
                enqueue_in(&mut b.tx, &NewJob::new(FOLLOW_UP_NOTICE_KIND, serde_json::json!({ "action_id": id })))
                    .await?;
            }
            Ok(meetings.len() + actions.len())
        })
        .await
    }

    /// A follow-up action with its owner as a recipient: the person whose e-mail or name the owner
    /// field holds, unless they switched follow-up reminders off.
    pub async fn follow_up(&self, action_id: &str) -> Result<Option<FollowUp>> {
        let row = sqlx::query("SELECT meeting_id, description, owner, due_on FROM meeting_actions WHERE id = $1")
            .bind(action_id)
            .fetch_optional(self.pool())
            .await?;
        let Some(row) = row else { return Ok(None) };
        let meeting_id: String = row.try_get("meeting_id")?;
        let owner: String = row.try_get("owner")?;
        let meeting = self.meeting(&meeting_id).await?.ok_or(StoreError::NotFound)?;
        let sql = format!(
            "SELECT p.name, p.email, {LOCALE_SQL} AS locale FROM people p
             WHERE p.archived_at IS NULL AND p.email IS NOT NULL AND p.email <> ''
               AND (LOWER(p.email) = LOWER($1) OR p.name = $1) AND {wants}
             ORDER BY p.id LIMIT 1",
            wants = wants("follow_ups"),
        );
        let owner = match sqlx::query(&sql).bind(owner.trim()).fetch_optional(self.pool()).await? {
            Some(row) => Some(recipient_from_row(&row)?),
            None => None,
        };
        Ok(Some(FollowUp {
            action_id: action_id.to_owned(),
            description: row.try_get("description")?,
            due_on: row.try_get::<Option<String>, _>("due_on")?.unwrap_or_default(),
            meeting,
            owner,
        }))
    }

    pub async fn notification_preferences(&self, user_id: &str) -> Result<Preferences> {
        let row = sqlx::query(
            "SELECT invitations, updates, reminders, follow_ups FROM notification_preferences WHERE user_id = $1",
        )
        .bind(user_id)
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(Preferences::default()) };
        let on = |name: &str| -> Result<bool> { Ok(row.try_get::<i64, _>(name)? != 0) };
        Ok(Preferences {
            invitations: on("invitations")?,
            updates: on("updates")?,
            reminders: on("reminders")?,
            follow_ups: on("follow_ups")?,
        })
    }

    /// Records the account's choices. Audited.
    pub async fn set_notification_preferences(&self, actor: &Actor, user_id: &str, prefs: Preferences) -> Result<()> {
        let before = self.notification_preferences(user_id).await?;
        self.write(actor, async |w| {
            sqlx::query("DELETE FROM notification_preferences WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *w.tx)
                .await?;
            sqlx::query(
                "INSERT INTO notification_preferences (user_id, invitations, updates, reminders, follow_ups, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(user_id)
            .bind(i64::from(prefs.invitations))
            .bind(i64::from(prefs.updates))
            .bind(i64::from(prefs.reminders))
            .bind(i64::from(prefs.follow_ups))
            .bind(Timestamp::now().to_db())
            .execute(&mut *w.tx)
            .await?;
            w.audit(Change {
                action: "update",
                entity: "notification_preferences",
                entity_id: Some(user_id),
                programme_id: None,
                before: Some(serde_json::to_value(before).expect("serialisable")),
                after: Some(serde_json::to_value(prefs).expect("serialisable")),
            })
            .await
        })
        .await
    }
}

/// How long a guest's confirmation link works.
pub const GUEST_LINK_LIFETIME: time::Duration = time::Duration::hours(48);

impl Db {
    /// A guest asks to register for a webinar open to registration: records the request with the
    /// hash of a new secret and queues `mail` (which carries the link with the secret) in the same
    /// transaction. Refused naming `email` when the meeting takes no guests.
    #[allow(clippy::too_many_arguments)]
    pub async fn request_guest_registration(
        &self,
        actor: &Actor,
        meeting_id: &str,
        name: &str,
        email: &str,
        locale: &str,
        consent: &crate::privacy::Consent,
        mail: impl FnOnce(&Meeting, &str) -> NewJob,
    ) -> Result<()> {
        let meeting = self.meeting(meeting_id).await?.ok_or(StoreError::NotFound)?;
        if !takes_guests(&meeting) {
            return Err(FieldErrors::from(FieldError::new("email", "error-registration-closed")).into());
        }
        let secret = crate::secret::new_secret();
        let job = mail(&meeting, &secret);
        let id = crate::new_id();
        let now = Timestamp::now();
        self.write(actor, async |w| {
            sqlx::query(
                "INSERT INTO meeting_guest_requests (id, meeting_id, name, email, token_hash, created_at, expires_at, locale)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&id)
            .bind(meeting_id)
            .bind(name)
            .bind(email)
            .bind(crate::secret::hash_secret(&secret))
            .bind(now.to_db())
            .bind(now.after(GUEST_LINK_LIFETIME).to_db())
            .bind(locale)
            .execute(&mut *w.tx)
            .await?;
            crate::privacy::record_consent(w, email, crate::privacy::ConsentPurpose::MeetingGuest, consent, &id).await?;
            w.enqueue(&job).await?;
            w.audit(Change {
                action: "request",
                entity: "meeting_guest",
                entity_id: Some(&id),
                programme_id: Some(&meeting.programme_id),
                before: None,
                after: Some(serde_json::json!({"meeting_id": meeting_id})),
            })
            .await
        })
        .await
    }

    /// The meeting a working (unexpired, unconfirmed) guest link is for.
    pub async fn guest_request_meeting(&self, token: &str) -> Result<Option<Meeting>> {
        let meeting_id: Option<String> = sqlx::query_scalar(
            "SELECT meeting_id FROM meeting_guest_requests WHERE token_hash = $1 AND confirmed_at IS NULL AND expires_at > $2",
        )
        .bind(crate::secret::hash_secret(token))
        .bind(Timestamp::now().to_db())
        .fetch_optional(self.pool())
        .await?;
        match meeting_id {
            Some(id) => self.meeting(&id).await,
            None => Ok(None),
        }
    }

    /// Confirms a guest's link: the guest becomes a person (or is the person with that e-mail),
    /// registered or waiting like anyone else, and `mail` (with the calendar file) is queued, all
    /// in one transaction. `None` when the link does not work (unknown, used or expired).
    pub async fn confirm_guest(
        &self,
        actor: &Actor,
        token: &str,
        mail: impl FnOnce(&Meeting, &Recipient, RegistrationStatus) -> NewJob,
    ) -> Result<Option<RegistrationStatus>> {
        let Some(meeting) = self.guest_request_meeting(token).await? else { return Ok(None) };
        if !takes_guests(&meeting) {
            return Err(FieldErrors::from(FieldError::new("email", "error-registration-closed")).into());
        }
        let now = Timestamp::now().to_db();
        self.write(actor, async |w| {
            // Taken by the UPDATE: of two confirmations at once, only one changes the row.
            let row = sqlx::query(
                "UPDATE meeting_guest_requests SET confirmed_at = $1
                 WHERE token_hash = $2 AND confirmed_at IS NULL AND expires_at > $1 RETURNING id, name, email, locale",
            )
            .bind(&now)
            .bind(crate::secret::hash_secret(token))
            .fetch_optional(&mut *w.tx)
            .await?;
            let Some(row) = row else { return Ok(None) };
            let request_id: String = row.try_get("id")?;
            let name: String = row.try_get("name")?;
            let email: String = row.try_get("email")?;
            let locale: Option<String> = row.try_get("locale")?;
            let existing: Option<String> = sqlx::query_scalar("SELECT id FROM people WHERE LOWER(email) = LOWER($1)")
                .bind(&email)
                .fetch_optional(&mut *w.tx)
                .await?;
            let person_id = match existing {
                Some(id) => id,
                None => {
                    let id = crate::new_id();
                    sqlx::query(
                        "INSERT INTO people (id, name, name_folded, email, phone, created_at, updated_at, guest_since)
                         VALUES ($1, $2, $3, $4, '', $5, $5, $5)",
                    )
                    .bind(&id)
                    .bind(&name)
                    .bind(reti_domain::text::fold(&name))
                    .bind(&email)
                    .bind(&now)
                    .execute(&mut *w.tx)
                    .await?;
                    id
                }
            };
            let status = register_in(w, &meeting, &person_id).await?;
            w.audit(Change {
                action: "confirm",
                entity: "meeting_guest",
                entity_id: Some(&request_id),
                programme_id: Some(&meeting.programme_id),
                before: None,
                after: Some(
                    serde_json::json!({"meeting_id": meeting.id, "person_id": person_id, "status": status.code()}),
                ),
            })
            .await?;
            let recipient = Recipient { name, email, locale };
            w.enqueue(&mail(&meeting, &recipient, status)).await?;
            Ok(Some(status))
        })
        .await
    }
}

/// Guests may register for webinars open to registration and not cancelled.
pub fn takes_guests(meeting: &Meeting) -> bool {
    meeting.mode == MeetingMode::Webinar && meeting.registration_open && !meeting.cancelled
}
