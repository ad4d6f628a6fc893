//! The session store of `tower-sessions`, kept in our database so that app servers stay stateless.

use crate::{Db, Timestamp};
use async_trait::async_trait;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

/// The session key that holds the logged-in user's id; the store copies it into its own column so
/// that every session of an account can be ended at once (password change, reset).
pub const USER_ID_KEY: &str = "user_id";

/// The session key that holds when the user logged in (stored timestamp form).
pub const LOGGED_IN_AT_KEY: &str = "logged_in_at";

/// However active a session stays, it ends this long after login (decision 0011).
pub const ABSOLUTE_LIFETIME: time::Duration = time::Duration::days(7);

/// Whether a session's data still allows it to live: a logged-in session needs a login time
/// within [`ABSOLUTE_LIFETIME`] (a session that lacks one is refused rather than kept forever).
fn within_absolute_lifetime(data: &std::collections::HashMap<String, serde_json::Value>) -> bool {
    if !data.contains_key(USER_ID_KEY) {
        return true;
    }
    data.get(LOGGED_IN_AT_KEY)
        .and_then(|v| v.as_str())
        .and_then(|text| Timestamp::parse(text).ok())
        .is_some_and(|at| at > Timestamp::now().before(ABSOLUTE_LIFETIME))
}

#[derive(Debug, Clone)]
pub struct DbSessionStore {
    db: Db,
}

impl DbSessionStore {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}

fn backend(error: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(error.to_string())
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // Ids are 128 random bits; still, never overwrite another session on a collision.
        loop {
            let taken: Option<String> = sqlx::query_scalar("SELECT id FROM sessions WHERE id = $1")
                .bind(record.id.to_string())
                .fetch_optional(self.db.pool())
                .await
                .map_err(backend)?;
            if taken.is_none() {
                break;
            }
            record.id = Id::default();
        }
        self.save(record).await
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = serde_json::to_string(&record.data).map_err(|e| session_store::Error::Encode(e.to_string()))?;
        let user_id = record.data.get(USER_ID_KEY).and_then(|v| v.as_str()).map(str::to_owned);
        sqlx::query(
            "INSERT INTO sessions (id, user_id, data, expires_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, data = excluded.data, expires_at = excluded.expires_at",
        )
        .bind(record.id.to_string())
        .bind(user_id)
        .bind(data)
        .bind(Timestamp(record.expiry_date).to_db())
        .execute(self.db.pool())
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let row: Option<(String, String)> =
            sqlx::query_as("SELECT data, expires_at FROM sessions WHERE id = $1 AND expires_at > $2")
                .bind(id.to_string())
                .bind(Timestamp::now().to_db())
                .fetch_optional(self.db.pool())
                .await
                .map_err(backend)?;
        let Some((data, expires_at)) = row else { return Ok(None) };
        let data = serde_json::from_str(&data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        if !within_absolute_lifetime(&data) {
            self.delete(id).await?;
            return Ok(None);
        }
        let expiry_date = Timestamp::parse(&expires_at).map_err(backend)?.0;
        Ok(Some(Record { id: *id, data, expiry_date }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id.to_string())
            .execute(self.db.pool())
            .await
            .map_err(backend)?;
        Ok(())
    }
}

impl Db {
    /// Removes expired sessions; run now and then by the server.
    pub async fn delete_expired_sessions(&self) -> crate::Result<u64> {
        Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(Timestamp::now().to_db())
            .execute(self.pool())
            .await?
            .rows_affected())
    }
}
