//! The session store of `tower-sessions`, kept in our database so that app servers stay stateless.

use crate::audit::Change;
use crate::registry::networks::NetworkAssignment;
use crate::users::{Assignment, Roles, User, user_from_row};
use crate::{Actor, Db, StoreError, Timestamp, secret};
use async_trait::async_trait;
use serde_json::json;
use sqlx::Row;
use std::cell::RefCell;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

/// The session key that holds the logged-in user's id; the store copies it into its own column so
/// that every session of an account can be ended at once (password change, reset).
pub const USER_ID_KEY: &str = "user_id";

/// The session key that holds when the user logged in (stored timestamp form).
pub const LOGGED_IN_AT_KEY: &str = "logged_in_at";

/// The session key that holds the client address the person logged in from, shown to them among
/// their open sessions (decision 0059).
pub const LOGIN_ADDRESS_KEY: &str = "login_address";

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

/// The account a session belongs to, with its roles, as read with the session record.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub user: User,
    /// As [`Db::roles`] returns them.
    pub assignments: Vec<Assignment>,
    pub networks: Vec<NetworkAssignment>,
    /// The account's unread notifications, for the header's bell.
    pub unread_notifications: i64,
    /// Whether the account has its second factor on (decision 0060).
    pub has_totp: bool,
}

tokio::task_local! {
    /// Present while [`with_session_user`] runs: the store then reads the session's account and
    /// roles in the statement that reads the session, and leaves them here.
    static SESSION_USER: RefCell<Option<SessionUser>>;
}

/// Runs `future`, which may load the session; a session loaded during it is read together with its
/// account and that account's roles, in one statement, and these come back beside the output.
/// Nothing is kept beyond the call: the account is as fresh as the session record.
pub async fn with_session_user<F: Future>(future: F) -> (F::Output, Option<SessionUser>) {
    SESSION_USER
        .scope(RefCell::new(None), async move {
            let output = future.await;
            (output, SESSION_USER.with(|slot| slot.borrow_mut().take()))
        })
        .await
}

/// The session record, its account (with its count of unread notifications and whether it has a
/// second factor, decision 0060) and the account's
/// roles (rows as [`Db::roles`] reads them, in its order), one row each; the session's row comes first (`kind` sorts `session` before
/// `programme` before `network`). An expired or unknown session gives no row at all.
const SESSION_WITH_USER: &str = "SELECT 'session' AS kind, s.data AS data, s.expires_at AS expires_at, u.id AS id,
        u.email AS email, u.name AS name, u.is_admin AS is_admin, u.locale AS locale, u.disabled_at AS disabled_at,
        NULL AS code, NULL AS role, NULL AS sort_key,
        (SELECT COUNT(*) FROM notifications nt WHERE nt.user_id = s.user_id AND nt.read_at IS NULL) AS unread,
        (SELECT COUNT(*) FROM user_totp t WHERE t.user_id = s.user_id AND t.enabled_at IS NOT NULL) AS totp
     FROM sessions s LEFT JOIN users u ON u.id = s.user_id WHERE s.id = $1 AND s.expires_at > $2
     UNION ALL
     SELECT 'programme', NULL, NULL, p.id, NULL, p.name, NULL, NULL, NULL, p.code, r.role, p.code, NULL, NULL
     FROM sessions s JOIN role_assignments r ON r.user_id = s.user_id JOIN programmes p ON p.id = r.programme_id
     WHERE s.id = $1 AND s.expires_at > $2
     UNION ALL
     SELECT 'network', NULL, NULL, n.id, NULL, n.name, NULL, NULL, NULL, n.programme_id, a.role, n.name_folded, NULL, NULL
     FROM sessions s JOIN network_assignments a ON a.user_id = s.user_id JOIN networks n ON n.id = a.network_id
     WHERE s.id = $1 AND s.expires_at > $2 AND n.archived_at IS NULL
     ORDER BY kind DESC, sort_key, role";

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
        let wants_user = SESSION_USER.try_with(|_| ()).is_ok();
        let sql = if wants_user {
            SESSION_WITH_USER
        } else {
            "SELECT data, expires_at FROM sessions WHERE id = $1 AND expires_at > $2"
        };
        let rows = sqlx::query(sql)
            .bind(id.to_string())
            .bind(Timestamp::now().to_db())
            .fetch_all(self.db.pool())
            .await
            .map_err(backend)?;
        let Some(row) = rows.first() else { return Ok(None) };
        let data: String = row.try_get("data").map_err(backend)?;
        let expires_at: String = row.try_get("expires_at").map_err(backend)?;
        let data = serde_json::from_str(&data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        if !within_absolute_lifetime(&data) {
            self.delete(id).await?;
            return Ok(None);
        }
        let expiry_date = Timestamp::parse(&expires_at).map_err(backend)?.0;
        if wants_user && row.try_get::<Option<String>, _>("id").map_err(backend)?.is_some() {
            let user = user_from_row(row).map_err(backend)?;
            let mut roles = Roles::default();
            for row in &rows[1..] {
                roles.push(row).map_err(backend)?;
            }
            let unread_notifications = row.try_get::<Option<i64>, _>("unread").map_err(backend)?.unwrap_or(0);
            let has_totp = row.try_get::<Option<i64>, _>("totp").map_err(backend)?.unwrap_or(0) > 0;
            let loaded = SessionUser {
                user,
                assignments: roles.assignments,
                networks: roles.networks,
                unread_notifications,
                has_totp,
            };
            SESSION_USER.with(|slot| *slot.borrow_mut() = Some(loaded));
        }
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

/// An open browser session of an account, as its owner sees it on the profile. It is named by
/// its handle, the hash of its id: the id is the cookie's secret and never leaves the server.
#[derive(Debug, Clone)]
pub struct OpenSession {
    pub handle: String,
    pub logged_in_at: Option<Timestamp>,
    /// The client address of the login (absent for sessions opened before it was kept).
    pub login_address: Option<String>,
    /// When it ends unless used again.
    pub expires_at: Timestamp,
    /// Whether it is the session asking.
    pub current: bool,
}

/// The handle of the session `id` (see [`OpenSession`]).
pub fn session_handle(id: &str) -> String {
    secret::hash_secret(id)
}

impl Db {
    /// The open sessions of `user_id`, the latest login first; `current` is the id of the session
    /// asking.
    pub async fn open_sessions(&self, user_id: &str, current: Option<&str>) -> crate::Result<Vec<OpenSession>> {
        let rows = sqlx::query("SELECT id, data, expires_at FROM sessions WHERE user_id = $1 AND expires_at > $2")
            .bind(user_id)
            .bind(Timestamp::now().to_db())
            .fetch_all(self.pool())
            .await?;
        let mut sessions = Vec::with_capacity(rows.len());
        for row in &rows {
            let id: String = row.try_get("id")?;
            let data: String = row.try_get("data")?;
            let data: std::collections::HashMap<String, serde_json::Value> =
                serde_json::from_str(&data).map_err(|_| StoreError::Corrupt("session data".into()))?;
            // Past its absolute lifetime it is refused at its next request already.
            if !within_absolute_lifetime(&data) {
                continue;
            }
            let text = |key: &str| data.get(key).and_then(|v| v.as_str()).map(str::to_owned);
            sessions.push(OpenSession {
                handle: session_handle(&id),
                logged_in_at: text(LOGGED_IN_AT_KEY).and_then(|at| Timestamp::parse(&at).ok()),
                login_address: text(LOGIN_ADDRESS_KEY),
                expires_at: Timestamp::parse(&row.try_get::<String, _>("expires_at")?)?,
                current: current == Some(id.as_str()),
            });
        }
        sessions.sort_by_key(|s| std::cmp::Reverse(s.logged_in_at));
        Ok(sessions)
    }

    /// Ends every session of `user_id` but `keep` (the one asking); returns how many ended.
    pub async fn end_other_sessions(&self, actor: &Actor, user_id: &str, keep: &str) -> crate::Result<u64> {
        self.write(actor, async |w| {
            let ended = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id <> $2")
                .bind(user_id)
                .bind(keep)
                .execute(&mut *w.tx)
                .await?
                .rows_affected();
            w.audit(Change {
                action: "end_other_sessions",
                entity: "session",
                entity_id: Some(user_id),
                programme_id: None,
                before: None,
                after: Some(json!({"ended": ended})),
            })
            .await?;
            Ok(ended)
        })
        .await
    }

    /// Ends the session of `user_id` whose handle is `handle`, other than `keep` (the one asking,
    /// which logs out instead). Only the account's own sessions are looked at: any other handle is
    /// `NotFound`, whoever's session it names.
    pub async fn end_session(&self, actor: &Actor, user_id: &str, handle: &str, keep: &str) -> crate::Result<()> {
        self.write(actor, async |w| {
            let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM sessions WHERE user_id = $1 AND id <> $2")
                .bind(user_id)
                .bind(keep)
                .fetch_all(&mut *w.tx)
                .await?;
            let id = ids.into_iter().find(|id| session_handle(id) == handle).ok_or(StoreError::NotFound)?;
            sqlx::query("DELETE FROM sessions WHERE id = $1 AND user_id = $2")
                .bind(&id)
                .bind(user_id)
                .execute(&mut *w.tx)
                .await?;
            w.audit(Change {
                action: "end_session",
                entity: "session",
                entity_id: Some(user_id),
                programme_id: None,
                before: None,
                after: None,
            })
            .await
        })
        .await
    }

    /// Removes expired sessions; run now and then by the server.
    pub async fn delete_expired_sessions(&self) -> crate::Result<u64> {
        Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(Timestamp::now().to_db())
            .execute(self.pool())
            .await?
            .rows_affected())
    }
}
