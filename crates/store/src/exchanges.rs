//! Remote exchanges (issue 10, decisions 0033 and 0040): threads of a space (a network or a lab,
//! the [`ExchangeScope`]), their messages with quotes and attachments, per-person read
//! markers, moderation, and the in-app notifications they create with the mail each person wants
//! of them — immediately (one mail job per notification) or in a daily digest — each sent once.
//!
//! Who may read, write or moderate is the web layer's one access function; the store trusts the
//! space and thread it is given, and computes who is notified from the space's readers.

use crate::audit::Change;
use crate::jobs::{NewJob, enqueue_in};
use crate::sql::{Page, PageRequest};
use crate::{Actor, Db, Result, StoreError, Timestamp, new_id};
use chrono::{DateTime, Utc};
use reti_domain::exchanges::{MailMode, Mentionable, ReplyInput, ThreadInput, mentions};
use reti_domain::{FieldError, Role};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::BTreeMap;

/// The job kind that queues the immediate mails of one message's notifications.
pub const EXCHANGE_MAIL_KIND: &str = "exchange-mail";
/// The job kind that queues the day's digests.
pub const EXCHANGE_DIGEST_KIND: &str = "exchange-digest";
/// The digest of a day goes out at the first sweep from this hour (Europe/Rome).
pub const DIGEST_HOUR: u32 = 7;

/// Where a thread lives. Every query names its owner through [`ExchangeScope::column`], so a new
/// kind of space is a new arm here and a column in the table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum ExchangeScope {
    Network(String),
    Lab(String),
}

impl ExchangeScope {
    /// The column of `exchange_threads` that holds the owner.
    fn column(&self) -> &'static str {
        match self {
            ExchangeScope::Network(_) => "network_id",
            ExchangeScope::Lab(_) => "lab_id",
        }
    }

    pub fn id(&self) -> &str {
        match self {
            ExchangeScope::Network(id) | ExchangeScope::Lab(id) => id,
        }
    }

    /// The page of the space's threads.
    pub fn threads_path(&self) -> String {
        match self {
            ExchangeScope::Network(id) => format!("/networks/{id}/threads"),
            ExchangeScope::Lab(id) => format!("/labs/{id}/threads"),
        }
    }

    /// The page of the space itself.
    pub fn space_path(&self) -> String {
        match self {
            ExchangeScope::Network(id) => format!("/networks/{id}"),
            ExchangeScope::Lab(id) => format!("/labs/{id}"),
        }
    }

    /// `network` or `lab`, as the API names the kind of space.
    pub fn kind(&self) -> &'static str {
        match self {
            ExchangeScope::Network(_) => "network",
            ExchangeScope::Lab(_) => "lab",
        }
    }

    fn from_row(row: &AnyRow) -> Result<ExchangeScope> {
        let network: Option<String> = row.try_get("network_id")?;
        let lab: Option<String> = row.try_get("lab_id")?;
        match (network, lab) {
            (Some(id), None) => Ok(ExchangeScope::Network(id)),
            (None, Some(id)) => Ok(ExchangeScope::Lab(id)),
            _ => Err(StoreError::Corrupt("a thread without exactly one owner".into())),
        }
    }
}

/// A space resolved: its scope, name and programme.
#[derive(Debug, Clone, Serialize)]
pub struct ExchangeSpace {
    pub scope: ExchangeScope,
    pub name: String,
    pub programme_id: String,
}

/// Someone who reads a space, with whether they work on it (a network's people, not only its
/// programme's coordination): they hear of every new thread.
#[derive(Debug, Clone)]
pub struct Reader {
    pub id: String,
    pub name: String,
    pub email: String,
    pub assigned: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ThreadSummary {
    pub id: String,
    pub title: String,
    pub author_name: String,
    pub created_at: String,
    pub last_message_at: String,
    pub replies: i64,
    /// Messages by others the viewer has not seen.
    pub unread: i64,
    /// The opening message is hidden by a moderator.
    pub hidden: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Thread {
    pub id: String,
    pub scope: ExchangeScope,
    pub programme_id: String,
    pub title: String,
    pub author_user_id: String,
    pub created_at: String,
    pub hidden: bool,
    /// When the viewer last read it (none: never).
    pub read_at: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Hidden {
    pub at: String,
    pub by_name: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExchangeAttachment {
    pub id: String,
    pub message_id: String,
    pub thread_id: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Message {
    pub id: String,
    pub thread_id: String,
    pub author_user_id: String,
    pub author_name: String,
    pub opening: bool,
    pub body: String,
    pub quoted_message_id: Option<String>,
    pub created_at: String,
    pub hidden: Option<Hidden>,
    pub attachments: Vec<ExchangeAttachment>,
}

/// A file already in its place under the data directory, to record with its message.
#[derive(Debug, Clone)]
pub struct NewFile {
    pub id: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
}

/// What a notification tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// A new thread in a space one works on.
    ExchangeThread,
    /// A reply in a thread one took part in.
    ExchangeReply,
    /// One was @mentioned.
    ExchangeMention,
    /// A moderator hid one's message.
    ExchangeHidden,
}

impl NotificationKind {
    pub fn code(self) -> &'static str {
        match self {
            NotificationKind::ExchangeThread => "exchange_thread",
            NotificationKind::ExchangeReply => "exchange_reply",
            NotificationKind::ExchangeMention => "exchange_mention",
            NotificationKind::ExchangeHidden => "exchange_hidden",
        }
    }

    fn parse(code: &str) -> Result<NotificationKind> {
        [
            NotificationKind::ExchangeThread,
            NotificationKind::ExchangeReply,
            NotificationKind::ExchangeMention,
            NotificationKind::ExchangeHidden,
        ]
        .into_iter()
        .find(|k| k.code() == code)
        .ok_or_else(|| StoreError::Corrupt(format!("notification kind {code:?}")))
    }

    /// The Fluent id of its sentence (`$actor`, `$subject`).
    pub fn message_key(self) -> String {
        format!("notification-{}", self.code().replace('_', "-"))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Notification {
    pub id: String,
    pub kind: NotificationKind,
    pub link: String,
    pub subject: String,
    pub actor_name: String,
    pub created_at: String,
    pub read: bool,
}

/// Someone a notification mail goes to, with the language of their account.
#[derive(Debug, Clone)]
pub struct MailRecipient {
    pub name: String,
    pub email: String,
    pub locale: Option<String>,
}

fn notification_from_row(row: &AnyRow) -> Result<Notification> {
    Ok(Notification {
        id: row.try_get("id")?,
        kind: NotificationKind::parse(&row.try_get::<String, _>("kind")?)?,
        link: row.try_get("link")?,
        subject: row.try_get("subject")?,
        actor_name: row.try_get("actor_name")?,
        created_at: row.try_get("created_at")?,
        read: row.try_get::<Option<String>, _>("read_at")?.is_some(),
    })
}

const NOTIFICATION_COLUMNS: &str = "n.id, n.kind, n.link, n.subject, n.actor_name, n.created_at, n.read_at";

/// The link of a message within its thread's pages: the thread's page opens at the page of
/// messages that holds it.
pub fn message_link(thread_id: &str, message_id: &str) -> String {
    format!("/threads/{thread_id}?message={message_id}#m-{message_id}")
}

/// A notification to write: who, what, about which message.
struct Notice {
    user_id: String,
    kind: NotificationKind,
}

/// The notices of a new message: mentions first, then the people the message concerns; each
/// person once, never the author.
fn notices_of(
    author: &str,
    body: &str,
    readers: &[Reader],
    concerned: &[String],
    concerned_kind: NotificationKind,
) -> Vec<Notice> {
    let candidates: Vec<Mentionable> = readers
        .iter()
        .map(|r| Mentionable { id: r.id.clone(), name: r.name.clone(), email: r.email.clone() })
        .collect();
    let mut notices: Vec<Notice> = mentions(body, &candidates)
        .into_iter()
        .map(|m| Notice { user_id: m.id.clone(), kind: NotificationKind::ExchangeMention })
        .collect();
    for user_id in concerned {
        if readers.iter().any(|r| &r.id == user_id) && !notices.iter().any(|n| &n.user_id == user_id) {
            notices.push(Notice { user_id: user_id.clone(), kind: concerned_kind });
        }
    }
    notices.retain(|n| n.user_id != author);
    notices
}

/// The job that mails the notifications of `source_id` to those who want them immediately.
fn mail_job(source_id: &str) -> NewJob {
    NewJob::new(EXCHANGE_MAIL_KIND, serde_json::json!({ "source_id": source_id }))
}

async fn insert_notices(
    w: &mut crate::write::Writer<'_>,
    notices: &[Notice],
    link: &str,
    subject: &str,
    actor_name: &str,
    source_id: &str,
    now: &str,
) -> Result<()> {
    for notice in notices {
        sqlx::query(
            "INSERT INTO notifications (id, user_id, kind, link, subject, actor_name, source_id, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(new_id())
        .bind(&notice.user_id)
        .bind(notice.kind.code())
        .bind(link)
        .bind(subject)
        .bind(actor_name)
        .bind(source_id)
        .bind(now)
        .execute(&mut *w.tx)
        .await?;
    }
    if !notices.is_empty() {
        w.enqueue(&mail_job(source_id)).await?;
    }
    Ok(())
}

/// A message to write.
struct NewMessage<'a> {
    id: &'a str,
    thread_id: &'a str,
    author: &'a str,
    opening: bool,
    body: &'a str,
    quote: Option<&'a str>,
}

async fn insert_message(w: &mut crate::write::Writer<'_>, message: NewMessage<'_>, now: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO exchange_messages (id, thread_id, author_user_id, opening, body, quoted_message_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(message.id)
    .bind(message.thread_id)
    .bind(message.author)
    .bind(i64::from(message.opening))
    .bind(message.body)
    .bind(message.quote)
    .bind(now)
    .execute(&mut *w.tx)
    .await?;
    Ok(())
}

async fn insert_file(
    w: &mut crate::write::Writer<'_>,
    file: &NewFile,
    message_id: &str,
    thread_id: &str,
    now: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO exchange_attachments (id, message_id, thread_id, file_name, content_type, size_bytes, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&file.id)
    .bind(message_id)
    .bind(thread_id)
    .bind(&file.file_name)
    .bind(&file.content_type)
    .bind(file.size_bytes)
    .bind(now)
    .execute(&mut *w.tx)
    .await?;
    Ok(())
}

fn file_value(file: Option<&NewFile>) -> serde_json::Value {
    file.map(|f| serde_json::json!({"id": f.id, "file_name": f.file_name, "content_type": f.content_type, "size_bytes": f.size_bytes}))
        .unwrap_or(serde_json::Value::Null)
}

const MESSAGE: &str =
    "SELECT m.id, m.thread_id, m.author_user_id, u.name AS author_name, m.opening, m.body, m.quoted_message_id,
            m.created_at, m.hidden_at, m.hidden_reason, h.name AS hidden_by_name
     FROM exchange_messages m JOIN users u ON u.id = m.author_user_id
     LEFT JOIN users h ON h.id = m.hidden_by_user_id";

/// [`MESSAGE`] with the thread's number of messages in each row (`$1` is the thread).
const MESSAGE_WITH_TOTAL: &str =
    "SELECT m.id, m.thread_id, m.author_user_id, u.name AS author_name, m.opening, m.body, m.quoted_message_id,
            m.created_at, m.hidden_at, m.hidden_reason, h.name AS hidden_by_name,
            (SELECT COUNT(*) FROM exchange_messages c WHERE c.thread_id = $1) AS total
     FROM exchange_messages m JOIN users u ON u.id = m.author_user_id
     LEFT JOIN users h ON h.id = m.hidden_by_user_id";

fn attachment_from_row(row: &AnyRow) -> Result<ExchangeAttachment> {
    Ok(ExchangeAttachment {
        id: row.try_get("id")?,
        message_id: row.try_get("message_id")?,
        thread_id: row.try_get("thread_id")?,
        file_name: row.try_get("file_name")?,
        content_type: row.try_get("content_type")?,
        size_bytes: row.try_get("size_bytes")?,
        created_at: row.try_get("created_at")?,
    })
}

/// A message of [`MESSAGE`], taking its files out of `files`.
fn message_from_row(row: &AnyRow, files: &mut BTreeMap<String, Vec<ExchangeAttachment>>) -> Result<Message> {
    let id: String = row.try_get("id")?;
    let hidden = match row.try_get::<Option<String>, _>("hidden_at")? {
        Some(at) => Some(Hidden {
            at,
            by_name: row.try_get::<Option<String>, _>("hidden_by_name")?.unwrap_or_default(),
            reason: row.try_get::<Option<String>, _>("hidden_reason")?.unwrap_or_default(),
        }),
        None => None,
    };
    Ok(Message {
        attachments: files.remove(&id).unwrap_or_default(),
        id,
        thread_id: row.try_get("thread_id")?,
        author_user_id: row.try_get("author_user_id")?,
        author_name: row.try_get("author_name")?,
        opening: row.try_get::<i64, _>("opening")? == 1,
        body: row.try_get("body")?,
        quoted_message_id: row.try_get("quoted_message_id")?,
        created_at: row.try_get("created_at")?,
        hidden,
    })
}

impl Db {
    /// The space `scope` names; none when it does not exist.
    pub async fn exchange_space(&self, scope: &ExchangeScope) -> Result<Option<ExchangeSpace>> {
        let row = match scope {
            ExchangeScope::Network(id) => {
                sqlx::query("SELECT name, programme_id FROM networks WHERE id = $1")
                    .bind(id)
                    .fetch_optional(self.pool())
                    .await?
            }
            ExchangeScope::Lab(id) => {
                sqlx::query("SELECT title AS name, programme_id FROM labs WHERE id = $1")
                    .bind(id)
                    .fetch_optional(self.pool())
                    .await?
            }
        };
        row.map(|row| {
            Ok(ExchangeSpace {
                scope: scope.clone(),
                name: row.try_get("name")?,
                programme_id: row.try_get("programme_id")?,
            })
        })
        .transpose()
    }

    /// Who reads the space (the accounts the web layer's access function lets in), by name. For a
    /// network: its people, its programme's coordination and the administrators. For a lab: its
    /// experts with an account and its participants (its people), its programme's coordination and
    /// facilitators, the facilitators of its participants' networks and the administrators.
    pub async fn exchange_readers(&self, space: &ExchangeSpace) -> Result<Vec<Reader>> {
        let rows = match &space.scope {
            ExchangeScope::Network(network_id) => {
                sqlx::query(
                    "SELECT u.id, u.name, u.email,
                    CAST(CASE WHEN EXISTS (SELECT 1 FROM network_assignments a WHERE a.user_id = u.id AND a.network_id = $1)
                         THEN 1 ELSE 0 END AS BIGINT) AS assigned
             FROM users u
             WHERE u.disabled_at IS NULL
               AND (EXISTS (SELECT 1 FROM network_assignments a JOIN networks n ON n.id = a.network_id
                            WHERE a.user_id = u.id AND a.network_id = $1 AND n.archived_at IS NULL)
                    OR EXISTS (SELECT 1 FROM role_assignments r WHERE r.user_id = u.id AND r.programme_id = $2 AND r.role = $3)
                    OR u.is_admin = 1)
             ORDER BY u.name, u.id",
                )
                .bind(network_id)
                .bind(&space.programme_id)
                .bind(Role::Coordinator.code())
                .fetch_all(self.pool())
                .await?
            }
            ExchangeScope::Lab(lab_id) => {
                sqlx::query(
                    "SELECT u.id, u.name, u.email,
                    CAST(CASE WHEN EXISTS (SELECT 1 FROM lab_participants p WHERE p.lab_id = $1 AND p.user_id = u.id)
                           OR EXISTS (SELECT 1 FROM lab_experts e WHERE e.lab_id = $1 AND e.user_id = u.id)
                         THEN 1 ELSE 0 END AS BIGINT) AS assigned
             FROM users u
             WHERE u.disabled_at IS NULL
               AND (EXISTS (SELECT 1 FROM lab_participants p WHERE p.lab_id = $1 AND p.user_id = u.id)
                    OR EXISTS (SELECT 1 FROM lab_experts e WHERE e.lab_id = $1 AND e.user_id = u.id)
                    OR EXISTS (SELECT 1 FROM role_assignments r WHERE r.user_id = u.id AND r.programme_id = $2
                               AND r.role IN ($3, $4))
                    OR EXISTS (SELECT 1 FROM network_assignments a JOIN lab_participants p ON p.network_id = a.network_id
                               WHERE p.lab_id = $1 AND a.user_id = u.id AND a.role = $4)
                    OR u.is_admin = 1)
             ORDER BY u.name, u.id",
                )
                .bind(lab_id)
                .bind(&space.programme_id)
                .bind(Role::Coordinator.code())
                .bind(Role::Facilitator.code())
                .fetch_all(self.pool())
                .await?
            }
        };
        rows.iter()
            .map(|row| {
                Ok(Reader {
                    id: row.try_get("id")?,
                    name: row.try_get("name")?,
                    email: row.try_get("email")?,
                    assigned: row.try_get::<i64, _>("assigned")? == 1,
                })
            })
            .collect()
    }

    /// Opens a thread with its first message (and its file); notifies the mentioned and the
    /// space's people. Returns the thread's id.
    pub async fn exchange_create_thread(
        &self,
        actor: &Actor,
        space: &ExchangeSpace,
        author: &str,
        input: &ThreadInput,
        file: Option<&NewFile>,
    ) -> Result<String> {
        let readers = self.exchange_readers(space).await?;
        let author_name = readers.iter().find(|r| r.id == author).map(|r| r.name.clone()).unwrap_or_default();
        let people: Vec<String> = readers.iter().filter(|r| r.assigned).map(|r| r.id.clone()).collect();
        let notices = notices_of(author, &input.body, &readers, &people, NotificationKind::ExchangeThread);
        let (thread_id, message_id, now) = (new_id(), new_id(), Timestamp::now().to_db());
        self.write(actor, async |w| {
            let sql = format!(
                "INSERT INTO exchange_threads (id, {owner}, programme_id, title, author_user_id, created_at, last_message_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $6)",
                owner = space.scope.column()
            );
            sqlx::query(&sql)
                .bind(&thread_id)
                .bind(space.scope.id())
                .bind(&space.programme_id)
                .bind(&input.title)
                .bind(author)
                .bind(&now)
                .execute(&mut *w.tx)
                .await?;
            let opening = NewMessage {
                id: &message_id,
                thread_id: &thread_id,
                author,
                opening: true,
                body: &input.body,
                quote: None,
            };
            insert_message(w, opening, &now).await?;
            if let Some(file) = file {
                insert_file(w, file, &message_id, &thread_id, &now).await?;
            }
            w.audit(Change {
                action: "create",
                entity: "exchange_thread",
                entity_id: Some(&thread_id),
                programme_id: Some(&space.programme_id),
                before: None,
                after: Some(serde_json::json!({"scope": space.scope, "title": input.title, "body": input.body,
                    "attachment": file_value(file)})),
            })
            .await?;
            let link = message_link(&thread_id, &message_id);
            insert_notices(w, &notices, &link, &input.title, &author_name, &message_id, &now).await
        })
        .await?;
        Ok(thread_id)
    }

    /// Adds a reply to `thread` (refused when the thread is hidden, or when the quoted message is
    /// not a visible message of it); notifies the mentioned and the thread's participants.
    /// Returns the message's id.
    pub async fn exchange_reply(
        &self,
        actor: &Actor,
        space: &ExchangeSpace,
        thread: &Thread,
        author: &str,
        input: &ReplyInput,
        file: Option<&NewFile>,
    ) -> Result<String> {
        if thread.hidden {
            return Err(StoreError::Invalid(FieldError::new("message", "error-exchange-thread-hidden").into()));
        }
        if let Some(quote) = &input.quote {
            let visible: Option<String> = sqlx::query_scalar(
                "SELECT id FROM exchange_messages WHERE id = $1 AND thread_id = $2 AND hidden_at IS NULL",
            )
            .bind(quote)
            .bind(&thread.id)
            .fetch_optional(self.pool())
            .await?;
            if visible.is_none() {
                return Err(StoreError::Invalid(FieldError::new("quote", "error-exchange-quote-invalid").into()));
            }
        }
        let readers = self.exchange_readers(space).await?;
        let author_name = readers.iter().find(|r| r.id == author).map(|r| r.name.clone()).unwrap_or_default();
        let participants: Vec<String> =
            sqlx::query_scalar("SELECT DISTINCT author_user_id FROM exchange_messages WHERE thread_id = $1")
                .bind(&thread.id)
                .fetch_all(self.pool())
                .await?;
        let notices = notices_of(author, &input.body, &readers, &participants, NotificationKind::ExchangeReply);
        let (message_id, now) = (new_id(), Timestamp::now().to_db());
        self.write(actor, async |w| {
            // Hidden in the meantime: the reply is refused whole.
            let open = sqlx::query(
                "UPDATE exchange_threads SET last_message_at = $1 WHERE id = $2 AND NOT EXISTS
                   (SELECT 1 FROM exchange_messages o WHERE o.thread_id = $2 AND o.opening = 1 AND o.hidden_at IS NOT NULL)",
            )
            .bind(&now)
            .bind(&thread.id)
            .execute(&mut *w.tx)
            .await?
            .rows_affected();
            if open == 0 {
                return Err(StoreError::Invalid(FieldError::new("message", "error-exchange-thread-hidden").into()));
            }
            let reply = NewMessage {
                id: &message_id,
                thread_id: &thread.id,
                author,
                opening: false,
                body: &input.body,
                quote: input.quote.as_deref(),
            };
            insert_message(w, reply, &now).await?;
            if let Some(file) = file {
                insert_file(w, file, &message_id, &thread.id, &now).await?;
            }
            w.audit(Change {
                action: "reply",
                entity: "exchange_thread",
                entity_id: Some(&thread.id),
                programme_id: Some(&space.programme_id),
                before: None,
                after: Some(serde_json::json!({"message_id": message_id, "body": input.body, "quote": input.quote,
                    "attachment": file_value(file)})),
            })
            .await?;
            let link = message_link(&thread.id, &message_id);
            insert_notices(w, &notices, &link, &thread.title, &author_name, &message_id, &now).await
        })
        .await?;
        Ok(message_id)
    }

    /// Hides a message of `thread` with the moderator's reason (audited with the text hidden) and
    /// tells its author. A message already hidden is not found.
    pub async fn exchange_hide(
        &self,
        actor: &Actor,
        thread: &Thread,
        message_id: &str,
        moderator: &str,
        reason: &str,
    ) -> Result<()> {
        let row = sqlx::query(
            "SELECT m.author_user_id, m.body, u.name AS moderator_name FROM exchange_messages m, users u
             WHERE m.id = $1 AND m.thread_id = $2 AND m.hidden_at IS NULL AND u.id = $3",
        )
        .bind(message_id)
        .bind(&thread.id)
        .bind(moderator)
        .fetch_optional(self.pool())
        .await?
        .ok_or(StoreError::NotFound)?;
        let author: String = row.try_get("author_user_id")?;
        let body: String = row.try_get("body")?;
        let moderator_name: String = row.try_get("moderator_name")?;
        let now = Timestamp::now().to_db();
        self.write(actor, async |w| {
            let hidden = sqlx::query(
                "UPDATE exchange_messages SET hidden_at = $1, hidden_by_user_id = $2, hidden_reason = $3
                 WHERE id = $4 AND thread_id = $5 AND hidden_at IS NULL",
            )
            .bind(&now)
            .bind(moderator)
            .bind(reason)
            .bind(message_id)
            .bind(&thread.id)
            .execute(&mut *w.tx)
            .await?
            .rows_affected();
            if hidden == 0 {
                return Err(StoreError::NotFound);
            }
            w.audit(Change {
                action: "hide",
                entity: "exchange_message",
                entity_id: Some(message_id),
                programme_id: Some(&thread.programme_id),
                before: Some(serde_json::json!({"thread_id": thread.id, "body": body})),
                after: Some(serde_json::json!({"hidden_reason": reason})),
            })
            .await?;
            let notices = if author == moderator {
                Vec::new()
            } else {
                vec![Notice { user_id: author.clone(), kind: NotificationKind::ExchangeHidden }]
            };
            let source = format!("{message_id}:hidden");
            insert_notices(
                w,
                &notices,
                &message_link(&thread.id, message_id),
                &thread.title,
                &moderator_name,
                &source,
                &now,
            )
            .await
        })
        .await
    }

    /// One page of a space's threads, the latest active first, with the viewer's unread counts.
    pub async fn exchange_threads(
        &self,
        scope: &ExchangeScope,
        viewer: &str,
        request: PageRequest,
    ) -> Result<Page<ThreadSummary>> {
        let owner = scope.column();
        let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM exchange_threads WHERE {owner} = $1"))
            .bind(scope.id())
            .fetch_one(self.pool())
            .await?;
        let sql = format!(
            "SELECT t.id, t.title, t.created_at, t.last_message_at, u.name AS author_name, o.hidden_at,
                    (SELECT COUNT(*) FROM exchange_messages m WHERE m.thread_id = t.id AND m.opening = 0) AS replies,
                    (SELECT COUNT(*) FROM exchange_messages m WHERE m.thread_id = t.id AND m.author_user_id <> $2
                       AND m.created_at > COALESCE(r.read_at, '')) AS unread
             FROM exchange_threads t JOIN users u ON u.id = t.author_user_id
             JOIN exchange_messages o ON o.thread_id = t.id AND o.opening = 1
             LEFT JOIN exchange_reads r ON r.thread_id = t.id AND r.user_id = $2
             WHERE t.{owner} = $1 ORDER BY t.last_message_at DESC, t.id DESC{}",
            request.limit_offset()
        );
        let rows = sqlx::query(&sql).bind(scope.id()).bind(viewer).fetch_all(self.pool()).await?;
        let items = rows
            .iter()
            .map(|row| {
                Ok(ThreadSummary {
                    id: row.try_get("id")?,
                    title: row.try_get("title")?,
                    author_name: row.try_get("author_name")?,
                    created_at: row.try_get("created_at")?,
                    last_message_at: row.try_get("last_message_at")?,
                    replies: row.try_get("replies")?,
                    unread: row.try_get("unread")?,
                    hidden: row.try_get::<Option<String>, _>("hidden_at")?.is_some(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Page { items, page: request.page, per_page: request.per_page, total })
    }

    /// How many threads the space has, and how many of them hold messages `viewer` has not read.
    pub async fn exchange_unread(&self, scope: &ExchangeScope, viewer: &str) -> Result<(i64, i64)> {
        let sql = format!(
            "SELECT COUNT(*) AS threads, CAST(COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM exchange_messages m
                 WHERE m.thread_id = t.id AND m.author_user_id <> $2 AND m.created_at > COALESCE(r.read_at, ''))
                 THEN 1 ELSE 0 END), 0) AS BIGINT) AS unread
             FROM exchange_threads t LEFT JOIN exchange_reads r ON r.thread_id = t.id AND r.user_id = $2
             WHERE t.{} = $1",
            scope.column()
        );
        let row = sqlx::query(&sql).bind(scope.id()).bind(viewer).fetch_one(self.pool()).await?;
        Ok((row.try_get("threads")?, row.try_get("unread")?))
    }

    /// A thread, with when `viewer` last read it.
    pub async fn exchange_thread(&self, id: &str, viewer: &str) -> Result<Option<Thread>> {
        let row = sqlx::query(
            "SELECT t.id, t.network_id, t.lab_id, t.programme_id, t.title, t.author_user_id, t.created_at, o.hidden_at, r.read_at
             FROM exchange_threads t JOIN exchange_messages o ON o.thread_id = t.id AND o.opening = 1
             LEFT JOIN exchange_reads r ON r.thread_id = t.id AND r.user_id = $2
             WHERE t.id = $1",
        )
        .bind(id)
        .bind(viewer)
        .fetch_optional(self.pool())
        .await?;
        row.map(|row| {
            Ok(Thread {
                id: row.try_get("id")?,
                scope: ExchangeScope::from_row(&row)?,
                programme_id: row.try_get("programme_id")?,
                title: row.try_get("title")?,
                author_user_id: row.try_get("author_user_id")?,
                created_at: row.try_get("created_at")?,
                hidden: row.try_get::<Option<String>, _>("hidden_at")?.is_some(),
                read_at: row.try_get("read_at")?,
            })
        })
        .transpose()
    }

    /// One page of a thread's messages in order (the opening one first), each with its files: two
    /// statements, whatever the page's size.
    pub async fn exchange_messages(&self, thread_id: &str, request: PageRequest) -> Result<Page<Message>> {
        // The total rides along in each row; only a page past the end asks for it apart.
        let sql = format!(
            "{MESSAGE_WITH_TOTAL} WHERE m.thread_id = $1 ORDER BY m.opening DESC, m.created_at, m.id{}",
            request.limit_offset()
        );
        let rows = sqlx::query(&sql).bind(thread_id).fetch_all(self.pool()).await?;
        let total: i64 = match rows.first() {
            Some(row) => row.try_get("total")?,
            None => self.exchange_message_count(thread_id).await?,
        };
        let files = sqlx::query(&format!(
            "SELECT id, message_id, thread_id, file_name, content_type, size_bytes, created_at FROM exchange_attachments
             WHERE message_id IN (SELECT m.id FROM exchange_messages m WHERE m.thread_id = $1
                                  ORDER BY m.opening DESC, m.created_at, m.id{})
             ORDER BY created_at, id",
            request.limit_offset()
        ))
        .bind(thread_id)
        .fetch_all(self.pool())
        .await?;
        let mut by_message: BTreeMap<String, Vec<ExchangeAttachment>> = BTreeMap::new();
        for row in &files {
            let file = attachment_from_row(row)?;
            by_message.entry(file.message_id.clone()).or_default().push(file);
        }
        let items = rows.iter().map(|row| message_from_row(row, &mut by_message)).collect::<Result<Vec<_>>>()?;
        Ok(Page { items, page: request.page, per_page: request.per_page, total })
    }

    /// How many messages a thread has, hidden ones included.
    pub async fn exchange_message_count(&self, thread_id: &str) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM exchange_messages WHERE thread_id = $1")
            .bind(thread_id)
            .fetch_one(self.pool())
            .await?)
    }

    /// The page of a thread's messages, `per_page` a page, that holds `message_id`; none when the
    /// thread has no such message.
    pub async fn exchange_message_page(&self, thread_id: &str, message_id: &str, per_page: u32) -> Result<Option<u32>> {
        let before: Option<i64> = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM exchange_messages b WHERE b.thread_id = m.thread_id
                       AND (b.opening > m.opening OR (b.opening = m.opening
                            AND (b.created_at < m.created_at OR (b.created_at = m.created_at AND b.id < m.id)))))
             FROM exchange_messages m WHERE m.thread_id = $1 AND m.id = $2",
        )
        .bind(thread_id)
        .bind(message_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(before.map(|before| u32::try_from(before / i64::from(per_page.max(1))).unwrap_or(u32::MAX - 1) + 1))
    }

    /// One message of a thread, with its files; none when the thread has no such message.
    pub async fn exchange_message(&self, thread_id: &str, message_id: &str) -> Result<Option<Message>> {
        let row = sqlx::query(&format!("{MESSAGE} WHERE m.thread_id = $1 AND m.id = $2"))
            .bind(thread_id)
            .bind(message_id)
            .fetch_optional(self.pool())
            .await?;
        let Some(row) = row else { return Ok(None) };
        let files = sqlx::query(
            "SELECT id, message_id, thread_id, file_name, content_type, size_bytes, created_at FROM exchange_attachments
             WHERE message_id = $1 ORDER BY created_at, id",
        )
        .bind(message_id)
        .fetch_all(self.pool())
        .await?;
        let mut by_message: BTreeMap<String, Vec<ExchangeAttachment>> = BTreeMap::new();
        by_message.insert(message_id.to_owned(), files.iter().map(attachment_from_row).collect::<Result<Vec<_>>>()?);
        message_from_row(&row, &mut by_message).map(Some)
    }

    /// The message of a thread that carries the attachment `attachment_id`, if any.
    pub async fn exchange_attachment_message(&self, thread_id: &str, attachment_id: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT message_id FROM exchange_attachments WHERE id = $1 AND thread_id = $2")
            .bind(attachment_id)
            .bind(thread_id)
            .fetch_optional(self.pool())
            .await?)
    }

    /// Records that `user_id` has read the thread up to now. A read marker is bookkeeping of what a
    /// page showed, not a change of anyone's data: one statement, no audit entry.
    pub async fn exchange_mark_read(&self, thread_id: &str, user_id: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO exchange_reads (thread_id, user_id, read_at) VALUES ($1, $2, $3)
             ON CONFLICT (thread_id, user_id) DO UPDATE SET read_at = excluded.read_at",
        )
        .bind(thread_id)
        .bind(user_id)
        .bind(Timestamp::now().to_db())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// One page of `user_id`'s notifications, newest first.
    pub async fn notifications(&self, user_id: &str, request: PageRequest) -> Result<Page<Notification>> {
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE user_id = $1")
            .bind(user_id)
            .fetch_one(self.pool())
            .await?;
        let sql = format!(
            "SELECT {NOTIFICATION_COLUMNS} FROM notifications n WHERE n.user_id = $1
             ORDER BY n.created_at DESC, n.id DESC{}",
            request.limit_offset()
        );
        let rows = sqlx::query(&sql).bind(user_id).fetch_all(self.pool()).await?;
        let items = rows.iter().map(notification_from_row).collect::<Result<Vec<_>>>()?;
        Ok(Page { items, page: request.page, per_page: request.per_page, total })
    }

    /// Marks `user_id`'s notification `id` read, or all of them when `id` is none; returns how
    /// many changed. Like a read marker, bookkeeping without an audit entry.
    pub async fn notifications_mark_read(&self, user_id: &str, id: Option<&str>) -> Result<u64> {
        let now = Timestamp::now().to_db();
        let result = match id {
            Some(id) => {
                sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND id = $3 AND read_at IS NULL")
                    .bind(&now)
                    .bind(user_id)
                    .bind(id)
                    .execute(self.pool())
                    .await?
            }
            None => {
                sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
                    .bind(&now)
                    .bind(user_id)
                    .execute(self.pool())
                    .await?
            }
        };
        Ok(result.rows_affected())
    }

    /// The link of `user_id`'s notification `id`; none when it is not theirs.
    pub async fn notification_link(&self, user_id: &str, id: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT link FROM notifications WHERE user_id = $1 AND id = $2")
            .bind(user_id)
            .bind(id)
            .fetch_optional(self.pool())
            .await?)
    }

    /// The unread notifications of `user_id` (the API's count; pages read it with the session).
    pub async fn notifications_unread(&self, user_id: &str) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
            .bind(user_id)
            .fetch_one(self.pool())
            .await?)
    }

    pub async fn exchange_mail_mode(&self, user_id: &str) -> Result<MailMode> {
        let mode: Option<String> = sqlx::query_scalar("SELECT mode FROM exchange_mail_preferences WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(self.pool())
            .await?;
        match mode {
            Some(code) => MailMode::parse(&code).map_err(|_| StoreError::Corrupt(format!("mail mode {code:?}"))),
            None => Ok(MailMode::default()),
        }
    }

    pub async fn set_exchange_mail_mode(&self, actor: &Actor, user_id: &str, mode: MailMode) -> Result<()> {
        let before = self.exchange_mail_mode(user_id).await?;
        self.write(actor, async |w| {
            sqlx::query(
                "INSERT INTO exchange_mail_preferences (user_id, mode, updated_at) VALUES ($1, $2, $3)
                 ON CONFLICT (user_id) DO UPDATE SET mode = excluded.mode, updated_at = excluded.updated_at",
            )
            .bind(user_id)
            .bind(mode.code())
            .bind(Timestamp::now().to_db())
            .execute(&mut *w.tx)
            .await?;
            w.audit(Change {
                action: "update",
                entity: "exchange_mail_preferences",
                entity_id: Some(user_id),
                programme_id: None,
                before: Some(serde_json::json!({"mode": before.code()})),
                after: Some(serde_json::json!({"mode": mode.code()})),
            })
            .await
        })
        .await
    }

    /// Queues the immediate mail of each notification of `source_id` whose person wants mail
    /// immediately, marking it mailed in the same transaction: run twice, it mails nobody twice.
    pub async fn exchange_queue_immediate_mails(
        &self,
        source_id: &str,
        mail: impl Fn(&MailRecipient, &Notification) -> NewJob,
    ) -> Result<usize> {
        let rows = sqlx::query(&format!(
            "SELECT {NOTIFICATION_COLUMNS}, u.name AS user_name, u.email, u.locale
             FROM notifications n JOIN users u ON u.id = n.user_id
             LEFT JOIN exchange_mail_preferences p ON p.user_id = n.user_id
             WHERE n.source_id = $1 AND n.mailed_at IS NULL AND n.digest_id IS NULL AND u.disabled_at IS NULL
               AND COALESCE(p.mode, 'immediate') = 'immediate'
             ORDER BY u.email"
        ))
        .bind(source_id)
        .fetch_all(self.pool())
        .await?;
        let mut pending = Vec::new();
        for row in &rows {
            let recipient = MailRecipient {
                name: row.try_get("user_name")?,
                email: row.try_get("email")?,
                locale: row.try_get("locale")?,
            };
            pending.push((recipient, notification_from_row(row)?));
        }
        let now = Timestamp::now().to_db();
        self.system_write(async |b| {
            let mut queued = 0;
            for (recipient, notification) in &pending {
                let first = sqlx::query("UPDATE notifications SET mailed_at = $1 WHERE id = $2 AND mailed_at IS NULL")
                    .bind(&now)
                    .bind(&notification.id)
                    .execute(&mut *b.tx)
                    .await?
                    .rows_affected();
                if first == 1 {
                    enqueue_in(&mut b.tx, &mail(recipient, notification)).await?;
                    queued += 1;
                }
            }
            Ok(queued)
        })
        .await
    }

    /// Queues the digest job of the day `now` falls on (Europe/Rome) from [`DIGEST_HOUR`], once a
    /// day however many servers sweep; returns whether it did.
    pub async fn exchange_sweep_digest(&self, now: DateTime<Utc>) -> Result<bool> {
        use chrono::Timelike;
        let local = now.with_timezone(&reti_domain::meetings::ZONE);
        if local.hour() < DIGEST_HOUR {
            return Ok(false);
        }
        let day = local.date_naive().to_string();
        self.system_write(async |b| {
            let first = sqlx::query(
                "INSERT INTO exchange_digest_runs (day, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            )
            .bind(&day)
            .bind(Timestamp::now().to_db())
            .execute(&mut *b.tx)
            .await?
            .rows_affected();
            if first == 1 {
                enqueue_in(&mut b.tx, &NewJob::new(EXCHANGE_DIGEST_KIND, serde_json::json!({ "day": day }))).await?;
            }
            Ok(first == 1)
        })
        .await
    }

    /// Queues, in one transaction, one digest mail per person who chose the digest, with every
    /// notification not mailed yet; each digest is recorded under (person, `day`) with the
    /// notifications it carried, so a second run the same day sends nothing. Returns how many.
    pub async fn exchange_queue_digests(
        &self,
        day: &str,
        mail: impl Fn(&MailRecipient, &[Notification]) -> NewJob,
    ) -> Result<usize> {
        let rows = sqlx::query(&format!(
            "SELECT {NOTIFICATION_COLUMNS}, n.user_id, u.name AS user_name, u.email, u.locale
             FROM notifications n JOIN users u ON u.id = n.user_id
             JOIN exchange_mail_preferences p ON p.user_id = n.user_id
             WHERE p.mode = 'digest' AND n.digest_id IS NULL AND n.mailed_at IS NULL AND u.disabled_at IS NULL
             ORDER BY n.user_id, n.created_at, n.id"
        ))
        .fetch_all(self.pool())
        .await?;
        let mut people: Vec<(String, MailRecipient, Vec<Notification>)> = Vec::new();
        for row in &rows {
            let user_id: String = row.try_get("user_id")?;
            if people.last().is_none_or(|(id, _, _)| *id != user_id) {
                let recipient = MailRecipient {
                    name: row.try_get("user_name")?,
                    email: row.try_get("email")?,
                    locale: row.try_get("locale")?,
                };
                people.push((user_id, recipient, Vec::new()));
            }
            if let Some((_, _, items)) = people.last_mut() {
                items.push(notification_from_row(row)?);
            }
        }
        let now = Timestamp::now().to_db();
        self.system_write(async |b| {
            let mut queued = 0;
            for (user_id, recipient, items) in &people {
                let digest_id = new_id();
                let first = sqlx::query(
                    "INSERT INTO exchange_digests (id, user_id, day, items, created_at) VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT (user_id, day) DO NOTHING",
                )
                .bind(&digest_id)
                .bind(user_id)
                .bind(day)
                .bind(i64::try_from(items.len()).unwrap_or(i64::MAX))
                .bind(&now)
                .execute(&mut *b.tx)
                .await?
                .rows_affected();
                if first == 0 {
                    continue;
                }
                for item in items {
                    sqlx::query("UPDATE notifications SET digest_id = $1 WHERE id = $2 AND digest_id IS NULL")
                        .bind(&digest_id)
                        .bind(&item.id)
                        .execute(&mut *b.tx)
                        .await?;
                }
                enqueue_in(&mut b.tx, &mail(recipient, items)).await?;
                queued += 1;
            }
            Ok(queued)
        })
        .await
    }

    /// The ids of every exchange attachment, for the sweep of files without a row.
    pub async fn exchange_attachment_ids(&self) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar("SELECT id FROM exchange_attachments").fetch_all(self.pool()).await?)
    }
}
