//! Throttling kept in the database, so that it holds across several app servers (decision 0002):
//! too many attempts for one e-mail or from one address within the window block further ones.
//!
//! An attempt is recorded *before* it is evaluated and then counted together with every attempt
//! recorded before it (decision 0011): a burst of parallel requests cannot all read "no failures
//! yet" and all go on to check a password.

use crate::{Db, Result, Timestamp, new_id};
use time::Duration;

pub const WINDOW: Duration = Duration::minutes(15);

/// What is being attempted; each kind has its own budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptKind {
    /// Logging in; a success clears the e-mail's failures.
    Login,
    /// Changing one's password, which checks the current one; a success clears the failures.
    PasswordChange,
    /// Asking for a reset link; every request counts, since each one may send a mail.
    PasswordForgot,
    /// A guest registering for a webinar; every request counts, since each one sends a mail.
    GuestRegistration,
    /// A code of the second factor (at login's second step, or confirming a change of it); a
    /// success clears the failures. Its own budget: knowing the password gives no more guesses.
    SecondFactor,
}

impl AttemptKind {
    fn code(self) -> &'static str {
        match self {
            AttemptKind::Login => "login",
            AttemptKind::PasswordChange => "password_change",
            AttemptKind::PasswordForgot => "password_forgot",
            AttemptKind::GuestRegistration => "guest_registration",
            AttemptKind::SecondFactor => "second_factor",
        }
    }

    /// The most attempts allowed in the window per e-mail and per client address.
    pub fn limits(self) -> (i64, i64) {
        match self {
            AttemptKind::Login | AttemptKind::PasswordChange | AttemptKind::SecondFactor => (5, 30),
            AttemptKind::PasswordForgot | AttemptKind::GuestRegistration => (3, 10),
        }
    }
}

/// An attempt that was within the limits and is now counted: it stays counted as a failure unless
/// [`Db::attempt_succeeded`] clears it.
#[derive(Debug)]
#[must_use = "an attempt is either evaluated or given up"]
pub struct Attempt {
    kind: AttemptKind,
    email: String,
}

impl Db {
    /// Records an attempt of `kind` for `email` from `ip`, and returns it when it is within the
    /// limits; `None` means "too many, try later" (and the refused attempt is not kept, so that
    /// waiting is enough to get through again).
    pub async fn reserve_attempt(&self, kind: AttemptKind, email: &str, ip: &str) -> Result<Option<Attempt>> {
        let email = email.trim().to_lowercase();
        let now = Timestamp::now();
        let since = now.before(WINDOW).to_db();
        let id = new_id();
        // Old attempts say nothing any more.
        sqlx::query("DELETE FROM login_attempts WHERE at < $1").bind(&since).execute(self.pool()).await?;
        sqlx::query("INSERT INTO login_attempts (id, kind, email, ip, at) VALUES ($1, $2, $3, $4, $5)")
            .bind(&id)
            .bind(kind.code())
            .bind(&email)
            .bind(ip)
            .bind(now.to_db())
            .execute(self.pool())
            .await?;
        // Counted after our own row is in: whoever inserted before us is counted too, so at most
        // the limit of a burst get through.
        let by_email: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM login_attempts WHERE kind = $1 AND email = $2 AND at > $3")
                .bind(kind.code())
                .bind(&email)
                .bind(&since)
                .fetch_one(self.pool())
                .await?;
        let by_ip: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM login_attempts WHERE kind = $1 AND ip = $2 AND at > $3")
                .bind(kind.code())
                .bind(ip)
                .bind(&since)
                .fetch_one(self.pool())
                .await?;
        let (max_by_email, max_by_ip) = kind.limits();
        if by_email > max_by_email || by_ip > max_by_ip {
            sqlx::query("DELETE FROM login_attempts WHERE id = $1").bind(&id).execute(self.pool()).await?;
            return Ok(None);
        }
        Ok(Some(Attempt { kind, email }))
    }

    /// A successful attempt clears the attempts counted against its e-mail.
    pub async fn attempt_succeeded(&self, attempt: Attempt) -> Result<()> {
        sqlx::query("DELETE FROM login_attempts WHERE kind = $1 AND email = $2")
            .bind(attempt.kind.code())
            .bind(&attempt.email)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
