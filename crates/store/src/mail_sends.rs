//! What each mail job handed to the SMTP server, by the message's Message-ID (decision 0036): a
//! mail job run again after the server accepted its message — its worker died, or its lease
//! passed, before the job was marked done — finds the acceptance recorded and sends nothing.
//! Queue bookkeeping like the jobs table itself: written outside `Db::write`, not audited.

use crate::{Db, Result, Timestamp};
use sqlx::Row;

/// What the records say before a mail is handed to the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailSendState {
    /// No attempt before this one.
    First,
    /// An earlier attempt started and was not recorded as accepted: it failed, or the server
    /// accepted it and the worker stopped before recording so. Sent again, same Message-ID.
    Unsure,
    /// The server accepted it already: not to be sent again.
    Accepted,
}

/// How long the records are kept: longer than any retry of a mail job.
pub const KEEP_MAIL_SENDS: time::Duration = time::Duration::days(30);

impl Db {
    /// Records an attempt to send `message_id` to `recipient`, and says whether it was tried or
    /// accepted before.
    pub async fn mail_send_begin(&self, message_id: &str, recipient: &str, now: Timestamp) -> Result<MailSendState> {
        let row = sqlx::query(
            "INSERT INTO mail_sends (message_id, recipient, attempts, first_attempt_at) VALUES ($1, $2, 1, $3)
             ON CONFLICT (message_id) DO UPDATE SET attempts = mail_sends.attempts + 1
             RETURNING attempts, accepted_at",
        )
        .bind(message_id)
        .bind(recipient)
        .bind(now.to_db())
        .fetch_one(self.pool())
        .await?;
        let attempts: i64 = row.try_get("attempts")?;
        let accepted: Option<String> = row.try_get("accepted_at")?;
        Ok(match (accepted, attempts) {
            (Some(_), _) => MailSendState::Accepted,
            (None, 1) => MailSendState::First,
            (None, _) => MailSendState::Unsure,
        })
    }

    /// Records that the server accepted `message_id`.
    pub async fn mail_send_accepted(&self, message_id: &str, now: Timestamp) -> Result<()> {
        sqlx::query("UPDATE mail_sends SET accepted_at = $2 WHERE message_id = $1 AND accepted_at IS NULL")
            .bind(message_id)
            .bind(now.to_db())
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Deletes the records of mails first tried before `before`.
    pub async fn purge_mail_sends(&self, before: Timestamp) -> Result<u64> {
        let deleted = sqlx::query("DELETE FROM mail_sends WHERE first_attempt_at < $1")
            .bind(before.to_db())
            .execute(self.pool())
            .await?;
        Ok(deleted.rows_affected())
    }
}
