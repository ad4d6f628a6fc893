//! API bearer tokens: shown once, stored as a hash, revocable, and expiring (decision 0011).

use crate::audit::Change;
use crate::users::User;
use crate::{Actor, Db, Result, StoreError, Timestamp, new_id, secret};
use reti_domain::TokenLifetime;
use serde::Serialize;
use serde_json::json;

/// The prefix makes a leaked token recognisable to secret scanners.
pub const TOKEN_PREFIX: &str = "reti_";

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ApiToken {
    pub id: String,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub created_at: Timestamp,
    #[sqlx(try_from = "String")]
    pub expires_at: Timestamp,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

impl Db {
    /// Creates a token of the default lifetime for `user_id`.
    pub async fn create_token(&self, actor: &Actor, user_id: &str, name: &str) -> Result<(ApiToken, String)> {
        self.create_token_for(actor, user_id, name, TokenLifetime::default()).await
    }

    /// Creates a token for `user_id` valid for `lifetime`, and returns it with its secret, which is
    /// never stored.
    pub async fn create_token_for(
        &self,
        actor: &Actor,
        user_id: &str,
        name: &str,
        lifetime: TokenLifetime,
    ) -> Result<(ApiToken, String)> {
        let secret = format!("{TOKEN_PREFIX}{}", secret::new_secret());
        let created_at = Timestamp::now();
        let token = ApiToken {
            id: new_id(),
            name: name.trim().chars().take(100).collect(),
            created_at,
            expires_at: created_at.after(time::Duration::days(lifetime.days())),
            last_used_at: None,
            revoked_at: None,
        };
        self.write(actor, async |w| {
            sqlx::query(
                "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&token.id)
            .bind(user_id)
            .bind(&token.name)
            .bind(secret::hash_secret(&secret))
            .bind(token.created_at.to_db())
            .bind(token.expires_at.to_db())
            .execute(&mut *w.tx)
            .await?;
            w.audit(Change {
                action: "create",
                entity: "api_token",
                entity_id: Some(&token.id),
                programme_id: None,
                before: None,
                after: Some(json!({"user_id": user_id, "name": token.name, "expires_at": token.expires_at.to_db()})),
            })
            .await
        })
        .await?;
        Ok((token, secret))
    }

    pub async fn tokens_of(&self, user_id: &str) -> Result<Vec<ApiToken>> {
        Ok(sqlx::query_as(
            "SELECT id, name, created_at, expires_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC",
        )
        .bind(user_id)
        .fetch_all(self.pool())
        .await?)
    }

    /// Revokes one of the user's own tokens.
    pub async fn revoke_token(&self, actor: &Actor, user_id: &str, token_id: &str) -> Result<()> {
        self.write(actor, async |w| {
            let changed = sqlx::query(
                "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
            )
            .bind(Timestamp::now().to_db())
            .bind(token_id)
            .bind(user_id)
            .execute(&mut *w.tx)
            .await?
            .rows_affected();
            if changed == 0 {
                return Err(StoreError::NotFound);
            }
            w.audit(Change {
                action: "revoke",
                entity: "api_token",
                entity_id: Some(token_id),
                programme_id: None,
                before: None,
                after: None,
            })
            .await
        })
        .await
    }

    /// The active account behind a bearer token, if the token is valid, not revoked and not expired.
    pub async fn user_by_token(&self, secret: &str) -> Result<Option<User>> {
        if !secret.starts_with(TOKEN_PREFIX) {
            return Ok(None);
        }
        let hash = secret::hash_secret(secret);
        let row: Option<(String, String)> = sqlx::query_as(
            "SELECT id, user_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2",
        )
        .bind(&hash)
        .bind(Timestamp::now().to_db())
        .fetch_optional(self.pool())
        .await?;
        let Some((token_id, user_id)) = row else { return Ok(None) };
        // Bookkeeping, not a change anyone makes: one statement, no audit entry.
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(Timestamp::now().to_db())
            .bind(&token_id)
            .execute(self.pool())
            .await?;
        Ok(self.user(&user_id).await?.filter(|user| !user.disabled))
    }
}

/// Revokes every live token of an account, in the caller's transaction (a password reset).
pub(crate) async fn revoke_all_tokens(tx: &mut crate::Tx, user_id: &str) -> Result<u64> {
    Ok(sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
        .bind(Timestamp::now().to_db())
        .bind(user_id)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}
