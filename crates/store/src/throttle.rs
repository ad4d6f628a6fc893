//! Login throttling kept in the database, so that it holds across several app servers: too many
//! failures for one e-mail or from one address within the window block further attempts.

use crate::{Db, Result, Timestamp, new_id};
use time::Duration;

pub const WINDOW: Duration = Duration::minutes(15);
pub const MAX_FAILURES_PER_EMAIL: i64 = 5;
pub const MAX_FAILURES_PER_IP: i64 = 30;

impl Db {
    /// Whether a login for `email` from `ip` may be attempted now.
    pub async fn login_allowed(&self, email: &str, ip: &str) -> Result<bool> {
        let since = Timestamp::now().before(WINDOW).to_db();
        let by_email: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM login_attempts WHERE email = $1 AND at > $2")
            .bind(email.trim().to_lowercase())
            .bind(&since)
            .fetch_one(self.pool())
            .await?;
        let by_ip: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM login_attempts WHERE ip = $1 AND at > $2")
            .bind(ip)
            .bind(&since)
            .fetch_one(self.pool())
            .await?;
        Ok(by_email < MAX_FAILURES_PER_EMAIL && by_ip < MAX_FAILURES_PER_IP)
    }

    pub async fn record_login_failure(&self, email: &str, ip: &str) -> Result<()> {
        let now = Timestamp::now();
        sqlx::query("INSERT INTO login_attempts (id, email, ip, at) VALUES ($1, $2, $3, $4)")
            .bind(new_id())
            .bind(email.trim().to_lowercase())
            .bind(ip)
            .bind(now.to_db())
            .execute(self.pool())
            .await?;
        // Old attempts say nothing any more.
        sqlx::query("DELETE FROM login_attempts WHERE at < $1")
            .bind(now.before(WINDOW).to_db())
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// A successful login clears the failures counted against that e-mail.
    pub async fn clear_login_failures(&self, email: &str) -> Result<()> {
        sqlx::query("DELETE FROM login_attempts WHERE email = $1")
            .bind(email.trim().to_lowercase())
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
