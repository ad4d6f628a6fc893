//! Accounts, their roles per programme, and password resets.

use crate::audit::Change;
use crate::registry::networks::NetworkAssignment;
use crate::sql::placeholders;
use crate::{Actor, Db, Result, StoreError, Timestamp, Writer, auth, new_id, secret};
use reti_domain::{Email, Locale, Password, PersonName, Role};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;
use time::Duration;

#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: String,
    pub email: String,
    pub name: String,
    pub is_admin: bool,
    pub locale: Option<Locale>,
    pub disabled: bool,
}

/// A role a user holds in a programme, with the programme's names for display.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Assignment {
    pub programme_id: String,
    pub programme_code: String,
    pub programme_name: String,
    #[sqlx(try_from = "String")]
    pub role: RoleColumn,
}

/// A [`Role`] as read from its text column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RoleColumn(pub Role);

impl TryFrom<String> for RoleColumn {
    type Error = StoreError;
    fn try_from(code: String) -> Result<Self, Self::Error> {
        Role::parse(&code).map(RoleColumn).map_err(|_| StoreError::Corrupt(format!("role {code:?}")))
    }
}

pub struct NewUser {
    pub email: Email,
    pub name: PersonName,
    pub password: Option<Password>,
    pub is_admin: bool,
}

const USER_COLUMNS: &str = "id, email, name, is_admin, locale, disabled_at";

pub(crate) fn user_from_row(row: &sqlx::any::AnyRow) -> Result<User> {
    let locale: Option<String> = row.try_get("locale")?;
    let disabled_at: Option<String> = row.try_get("disabled_at")?;
    Ok(User {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        name: row.try_get("name")?,
        is_admin: row.try_get::<i64, _>("is_admin")? != 0,
        locale: locale.as_deref().and_then(Locale::parse),
        disabled: disabled_at.is_some(),
    })
}

/// The roles of a user as [`Db::roles`] reads them, one row each: `kind` (`programme` or
/// `network`), `id`, `code` (the programme's code, or the network's programme), `name`, `role`.
#[derive(Default)]
pub(crate) struct Roles {
    pub assignments: Vec<Assignment>,
    pub networks: Vec<NetworkAssignment>,
}

impl Roles {
    pub fn push(&mut self, row: &sqlx::any::AnyRow) -> Result<()> {
        let kind: String = row.try_get("kind")?;
        let role = RoleColumn::try_from(row.try_get::<String, _>("role")?)?;
        if kind == "programme" {
            self.assignments.push(Assignment {
                programme_id: row.try_get("id")?,
                programme_code: row.try_get("code")?,
                programme_name: row.try_get("name")?,
                role,
            });
        } else {
            self.networks.push(NetworkAssignment {
                network_id: row.try_get("id")?,
                network_name: row.try_get("name")?,
                programme_id: row.try_get("code")?,
                role: role.0,
            });
        }
        Ok(())
    }
}

/// The outcome of a login attempt, kept coarse on purpose: the caller must not be able to tell an
/// unknown e-mail from a wrong password.
pub enum LoginOutcome {
    Success(User),
    Failure,
}

impl Db {
    pub async fn create_user(&self, actor: &Actor, new: NewUser) -> Result<User> {
        self.create_user_with_roles(actor, new, &[]).await
    }

    /// Creates an account holding `roles` (programme id, role), all or nothing: an unknown
    /// programme leaves no account behind.
    pub async fn create_user_with_roles(&self, actor: &Actor, new: NewUser, roles: &[(String, Role)]) -> Result<User> {
        let hash = hash_off_thread(new.password.as_ref()).await;
        self.write(actor, async |w| {
            let user = insert_user(w, &new, hash).await?;
            for (programme_id, role) in roles {
                assign_role_in(w, &user.id, programme_id, *role).await?;
            }
            Ok(user)
        })
        .await
    }

    pub async fn user(&self, id: &str) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        let row = sqlx::query(&sql).bind(id).fetch_optional(self.pool()).await?;
        row.as_ref().map(user_from_row).transpose()
    }

    pub async fn user_by_email(&self, email: &Email) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1");
        let row = sqlx::query(&sql).bind(email.as_str()).fetch_optional(self.pool()).await?;
        row.as_ref().map(user_from_row).transpose()
    }

    pub async fn user_count(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(self.pool()).await?)
    }

    pub async fn users(&self) -> Result<Vec<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY name, email");
        let rows = sqlx::query(&sql).fetch_all(self.pool()).await?;
        rows.iter().map(user_from_row).collect()
    }

    /// Users holding any role in one of `programmes`.
    pub async fn users_in_programmes(&self, programmes: &[String]) -> Result<Vec<User>> {
        if programmes.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM users WHERE id IN
             (SELECT user_id FROM role_assignments WHERE programme_id IN ({})) ORDER BY name, email",
            placeholders(1, programmes.len())
        );
        let mut query = sqlx::query(&sql);
        for programme in programmes {
            query = query.bind(programme);
        }
        let rows = query.fetch_all(self.pool()).await?;
        rows.iter().map(user_from_row).collect()
    }

    /// Checks e-mail and password. Unknown accounts, disabled accounts and wrong passwords all take
    /// one argon2 verification and give the same answer.
    pub async fn check_login(&self, email: &str, password: &str) -> Result<LoginOutcome> {
        let Ok(email) = Email::parse(email) else {
            auth::verify_against_dummy(password);
            return Ok(LoginOutcome::Failure);
        };
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS}, password_hash FROM users WHERE email = $1"))
            .bind(email.as_str())
            .fetch_optional(self.pool())
            .await?;
        let Some(row) = row else {
            auth::verify_against_dummy(password);
            return Ok(LoginOutcome::Failure);
        };
        let user = user_from_row(&row)?;
        let hash: Option<String> = row.try_get("password_hash")?;
        let password = password.to_owned();
        // argon2 is CPU-bound for tens of milliseconds: keep it off the async workers.
        let verified = tokio::task::spawn_blocking(move || match hash {
            Some(hash) => auth::verify_password(&password, &hash),
            None => {
                auth::verify_against_dummy(&password);
                false
            }
        })
        .await
        .unwrap_or(false);
        Ok(if verified && !user.disabled { LoginOutcome::Success(user) } else { LoginOutcome::Failure })
    }

    /// The owner changes their password (knowing the current one): sessions end, tokens stay.
    /// `mail` is the notice to the account, queued with the change (ASVS 2.5.5).
    pub async fn set_password(
        &self,
        actor: &Actor,
        user_id: &str,
        password: &Password,
        mail: impl FnOnce(&User) -> crate::jobs::NewJob,
    ) -> Result<()> {
        self.replace_password(actor, user_id, password, false, mail).await
    }

    /// An operator resets the password (`reti user reset-password`): as with a reset link,
    /// whoever used the account before is out, sessions and API tokens alike; `mail` tells the
    /// account.
    pub async fn reset_password(
        &self,
        actor: &Actor,
        user_id: &str,
        password: &Password,
        mail: impl FnOnce(&User) -> crate::jobs::NewJob,
    ) -> Result<()> {
        self.replace_password(actor, user_id, password, true, mail).await
    }

    async fn replace_password(
        &self,
        actor: &Actor,
        user_id: &str,
        password: &Password,
        revoke: bool,
        mail: impl FnOnce(&User) -> crate::jobs::NewJob,
    ) -> Result<()> {
        let hash = hash_off_thread(Some(password)).await;
        self.write(actor, async |w| {
            let user = store_password_hash(w, user_id, hash).await?;
            // A new password ends every open session of the account.
            sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *w.tx).await?;
            let revoked = if revoke { crate::tokens::revoke_all_tokens(&mut w.tx, user_id).await? } else { 0 };
            w.audit(Change {
                action: if revoke { "reset_password" } else { "set_password" },
                entity: "user",
                entity_id: Some(user_id),
                programme_id: None,
                before: None,
                after: Some(json!({"password": "***", "tokens_revoked": revoked})),
            })
            .await?;
            w.enqueue(&mail(&user)).await?;
            Ok(())
        })
        .await
    }

    pub async fn set_locale(&self, actor: &Actor, user_id: &str, locale: Locale) -> Result<()> {
        self.write(actor, async |w| {
            let before: Option<Option<String>> = sqlx::query_scalar("SELECT locale FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_optional(&mut *w.tx)
                .await?;
            let Some(before) = before else { return Err(StoreError::NotFound) };
            sqlx::query("UPDATE users SET locale = $1 WHERE id = $2")
                .bind(locale.code())
                .bind(user_id)
                .execute(&mut *w.tx)
                .await?;
            w.audit(Change {
                action: "update",
                entity: "user",
                entity_id: Some(user_id),
                programme_id: None,
                before: Some(json!({"locale": before})),
                after: Some(json!({"locale": locale.code()})),
            })
            .await
        })
        .await
    }

    pub async fn assignments(&self, user_id: &str) -> Result<Vec<Assignment>> {
        Ok(sqlx::query_as(
            "SELECT p.id AS programme_id, p.code AS programme_code, p.name AS programme_name, r.role
             FROM role_assignments r JOIN programmes p ON p.id = r.programme_id
             WHERE r.user_id = $1 ORDER BY p.code, r.role",
        )
        .bind(user_id)
        .fetch_all(self.pool())
        .await?)
    }

    /// Everything the user holds, in one statement for the request context: the programme roles
    /// (as [`Db::assignments`]) and the networks worked on (as [`Db::network_assignments`]).
    pub async fn roles(&self, user_id: &str) -> Result<(Vec<Assignment>, Vec<NetworkAssignment>)> {
        let rows = sqlx::query(
            "SELECT 'programme' AS kind, p.id AS id, p.code AS code, p.name AS name, r.role AS role, p.code AS sort_key
             FROM role_assignments r JOIN programmes p ON p.id = r.programme_id WHERE r.user_id = $1
             UNION ALL
             SELECT 'network', n.id, n.programme_id, n.name, a.role, n.name_folded
             FROM network_assignments a JOIN networks n ON n.id = a.network_id
             WHERE a.user_id = $1 AND n.archived_at IS NULL
             ORDER BY kind DESC, sort_key, role",
        )
        .bind(user_id)
        .fetch_all(self.pool())
        .await?;
        let mut roles = Roles::default();
        for row in &rows {
            roles.push(row)?;
        }
        Ok((roles.assignments, roles.networks))
    }

    /// Gives `role` in `programme_id` to the user; giving a role already held changes nothing.
    pub async fn assign_role(&self, actor: &Actor, user_id: &str, programme_id: &str, role: Role) -> Result<()> {
        self.write(actor, async |w| assign_role_in(w, user_id, programme_id, role).await).await
    }

    /// Starts a password reset for the account with this e-mail, if there is one, and returns the
    /// secret for the link (valid one hour, once).
    pub async fn start_password_reset(
        &self,
        actor: &Actor,
        email: &Email,
        mail: impl FnOnce(&User, &str) -> crate::jobs::NewJob,
    ) -> Result<Option<(User, String)>> {
        let Some(user) = self.user_by_email(email).await? else { return Ok(None) };
        if user.disabled {
            return Ok(None);
        }
        let token = secret::new_secret();
        let now = Timestamp::now();
        self.write(actor, async |w| {
            sqlx::query(
                "INSERT INTO password_resets (id, user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(new_id())
            .bind(&user.id)
            .bind(secret::hash_secret(&token))
            .bind(now.to_db())
            .bind(now.after(Duration::hours(1)).to_db())
            .execute(&mut *w.tx)
            .await?;
            w.audit(Change {
                action: "request_reset",
                entity: "user",
                entity_id: Some(&user.id),
                programme_id: None,
                before: None,
                after: None,
            })
            .await?;
            w.enqueue(&mail(&user, &token)).await
        })
        .await?;
        Ok(Some((user, token)))
    }

    /// The account a reset link is for, if the link is still valid.
    pub async fn password_reset_user(&self, token: &str) -> Result<Option<User>> {
        let user_id: Option<String> = sqlx::query_scalar(
            "SELECT user_id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
        )
        .bind(secret::hash_secret(token))
        .bind(Timestamp::now().to_db())
        .fetch_optional(self.pool())
        .await?;
        match user_id {
            Some(id) => self.user(&id).await,
            None => Ok(None),
        }
    }

    /// Uses a reset link: sets the password, spends the link and queues `mail`, the notice to the
    /// account, in one transaction.
    pub async fn complete_password_reset(
        &self,
        actor: &Actor,
        token: &str,
        password: &Password,
        mail: impl FnOnce(&User) -> crate::jobs::NewJob,
    ) -> Result<User> {
        let hash = hash_off_thread(Some(password)).await;
        let now = Timestamp::now().to_db();
        self.write(actor, async |w| {
            let user_id: Option<String> = sqlx::query_scalar(
                "UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING user_id",
            )
            .bind(&now)
            .bind(secret::hash_secret(token))
            .fetch_optional(&mut *w.tx)
            .await?;
            let user_id = user_id.ok_or(StoreError::NotFound)?;
            let user = store_password_hash(w, &user_id, hash).await?;
            // Whoever could use the account before the reset is locked out: sessions and API tokens alike.
            sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(&user_id).execute(&mut *w.tx).await?;
            let revoked = crate::tokens::revoke_all_tokens(&mut w.tx, &user_id).await?;
            w.audit(Change {
                action: "reset_password",
                entity: "user",
                entity_id: Some(&user_id),
                programme_id: None,
                before: None,
                after: Some(json!({"tokens_revoked": revoked})),
            })
            .await?;
            w.enqueue(&mail(&user)).await?;
            Ok(user)
        })
        .await
    }
}

/// Stores the new password hash of the account and returns the account.
async fn store_password_hash(w: &mut Writer<'_>, user_id: &str, hash: Option<String>) -> Result<User> {
    let row = sqlx::query(&format!("UPDATE users SET password_hash = $1 WHERE id = $2 RETURNING {USER_COLUMNS}"))
        .bind(hash)
        .bind(user_id)
        .fetch_optional(&mut *w.tx)
        .await?;
    row.as_ref().map(user_from_row).transpose()?.ok_or(StoreError::NotFound)
}

/// The argon2 hash of `password`, computed off the async workers (and before the write
/// transaction, which should not hold the write lock for tens of milliseconds).
pub(crate) async fn hash_off_thread(password: Option<&Password>) -> Option<String> {
    let password = password?.expose().to_owned();
    Some(tokio::task::spawn_blocking(move || auth::hash_password(&password)).await.expect("hashing does not panic"))
}

/// Inserts the account `new` with its password already hashed.
pub(crate) async fn insert_user(w: &mut Writer<'_>, new: &NewUser, hash: Option<String>) -> Result<User> {
    let user = User {
        id: new_id(),
        email: new.email.as_str().to_owned(),
        name: new.name.as_str().to_owned(),
        is_admin: new.is_admin,
        locale: None,
        disabled: false,
    };
    sqlx::query(
        "INSERT INTO users (id, email, name, password_hash, is_admin, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&user.id)
    .bind(&user.email)
    .bind(&user.name)
    .bind(hash)
    .bind(i64::from(user.is_admin))
    .bind(Timestamp::now().to_db())
    .execute(&mut *w.tx)
    .await
    .map_err(StoreError::unique_as("email"))?;
    w.audit(Change {
        action: "create",
        entity: "user",
        entity_id: Some(&user.id),
        programme_id: None,
        before: None,
        after: Some(json!({"email": user.email, "name": user.name, "is_admin": user.is_admin})),
    })
    .await?;
    Ok(user)
}

/// Gives `role` in `programme_id` to the user, unless they hold it already.
pub(crate) async fn assign_role_in(w: &mut Writer<'_>, user_id: &str, programme_id: &str, role: Role) -> Result<()> {
    let exists: Option<String> =
        sqlx::query_scalar("SELECT id FROM role_assignments WHERE user_id = $1 AND programme_id = $2 AND role = $3")
            .bind(user_id)
            .bind(programme_id)
            .bind(role.code())
            .fetch_optional(&mut *w.tx)
            .await?;
    if exists.is_some() {
        return Ok(());
    }
    let id = new_id();
    sqlx::query(
        "INSERT INTO role_assignments (id, user_id, programme_id, role, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(programme_id)
    .bind(role.code())
    .bind(Timestamp::now().to_db())
    .execute(&mut *w.tx)
    .await
    .map_err(StoreError::missing_reference_as("programme", "error-programme-unknown"))?;
    w.audit(Change {
        action: "assign_role",
        entity: "role_assignment",
        entity_id: Some(&id),
        programme_id: Some(programme_id),
        before: None,
        after: Some(json!({"user_id": user_id, "role": role.code()})),
    })
    .await
}
