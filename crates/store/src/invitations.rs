//! Invitations: a coordinator invites an e-mail address to a role in a programme; the link in the
//! e-mail is single-use and expires.

use crate::audit::Change;
use crate::jobs::NewJob;
use crate::users::{NewUser, User, assign_role_in, insert_user};
use crate::{Actor, Db, Result, StoreError, Timestamp, new_id, secret};
use reti_domain::{Email, Password, PersonName, Role};
use serde_json::json;
use sqlx::Row;
use time::Duration;

pub const VALID_FOR: Duration = Duration::days(7);

#[derive(Debug, Clone)]
pub struct Invitation {
    pub id: String,
    pub email: String,
    pub programme_id: String,
    pub programme_name: String,
    pub role: Role,
    pub expires_at: Timestamp,
}

impl Db {
    /// Records an invitation and returns it with the secret for the link. `mail` writes the
    /// message that carries the link; it is enqueued in the same transaction.
    pub async fn create_invitation(
        &self,
        actor: &Actor,
        email: &Email,
        programme_id: &str,
        role: Role,
        mail: impl FnOnce(&Invitation, &str) -> NewJob,
    ) -> Result<(Invitation, String)> {
        let programme = self.programme(programme_id).await?.ok_or(StoreError::NotFound)?;
        let token = secret::new_secret();
        let now = Timestamp::now();
        let invitation = Invitation {
            id: new_id(),
            email: email.as_str().to_owned(),
            programme_id: programme.id.clone(),
            programme_name: programme.name,
            role,
            expires_at: now.after(VALID_FOR),
        };
        self.write(actor, async |w| {
            sqlx::query(
                "INSERT INTO invitations (id, email, programme_id, role, token_hash, invited_by, created_at, expires_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&invitation.id)
            .bind(&invitation.email)
            .bind(&invitation.programme_id)
            .bind(role.code())
            .bind(secret::hash_secret(&token))
            .bind(actor.user_id.as_deref())
            .bind(now.to_db())
            .bind(invitation.expires_at.to_db())
            .execute(&mut *w.tx)
            .await?;
            w.audit(Change {
                action: "invite",
                entity: "invitation",
                entity_id: Some(&invitation.id),
                programme_id: Some(&invitation.programme_id),
                before: None,
                after: Some(json!({"email": invitation.email, "role": role.code()})),
            })
            .await?;
            w.enqueue(&mail(&invitation, &token)).await
        })
        .await?;
        Ok((invitation, token))
    }

    /// The invitation behind a link, if it is still open.
    pub async fn open_invitation(&self, token: &str) -> Result<Option<Invitation>> {
        let row = sqlx::query(
            "SELECT i.id, i.email, i.programme_id, p.name AS programme_name, i.role, i.expires_at
             FROM invitations i JOIN programmes p ON p.id = i.programme_id
             WHERE i.token_hash = $1 AND i.accepted_at IS NULL AND i.expires_at > $2",
        )
        .bind(secret::hash_secret(token))
        .bind(Timestamp::now().to_db())
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let role: String = row.try_get("role")?;
        Ok(Some(Invitation {
            id: row.try_get("id")?,
            email: row.try_get("email")?,
            programme_id: row.try_get("programme_id")?,
            programme_name: row.try_get("programme_name")?,
            role: Role::parse(&role).map_err(|_| StoreError::Corrupt(role))?,
            expires_at: Timestamp::parse(&row.try_get::<String, _>("expires_at")?)?,
        }))
    }

    /// Accepts an invitation: spends the link, creates the account if the e-mail has none (from
    /// `new_account`, required then), gives the role and records the consent to the privacy
    /// notice, all in one transaction.
    pub async fn accept_invitation(
        &self,
        token: &str,
        new_account: Option<(&PersonName, &Password)>,
        consent: &crate::privacy::Consent,
        ip: Option<String>,
    ) -> Result<User> {
        let invitation = self.open_invitation(token).await?.ok_or(StoreError::NotFound)?;
        let email = Email::parse(&invitation.email).map_err(|_| StoreError::Corrupt(invitation.email.clone()))?;
        let existing = self.user_by_email(&email).await?;
        if existing.is_none() && new_account.is_none() {
            let mut errors = reti_domain::FieldErrors::default();
            errors.push("name", "error-required");
            errors.push("password", "error-required");
            return Err(StoreError::Invalid(errors));
        }
        let actor = Actor { user_id: existing.as_ref().map(|u| u.id.clone()), label: invitation.email.clone(), ip };
        let hash = match (&existing, new_account) {
            (None, Some((_, password))) => crate::users::hash_off_thread(Some(password)).await,
            _ => None,
        };
        self.write(&actor, async |w| {
            let spent = sqlx::query("UPDATE invitations SET accepted_at = $1 WHERE id = $2 AND accepted_at IS NULL")
                .bind(Timestamp::now().to_db())
                .bind(&invitation.id)
                .execute(&mut *w.tx)
                .await?
                .rows_affected();
            if spent == 0 {
                // Someone used the link between our read and this write.
                return Err(StoreError::NotFound);
            }
            let user = match (existing, new_account) {
                (Some(user), _) => user,
                (None, Some((name, _))) => {
                    let new = NewUser { email, name: name.clone(), password: None, is_admin: false };
                    insert_user(w, &new, hash).await?
                }
                (None, None) => unreachable!("checked before the transaction"),
            };
            assign_role_in(w, &user.id, &invitation.programme_id, invitation.role).await?;
            let purpose = crate::privacy::ConsentPurpose::Invitation;
            crate::privacy::record_consent(w, &invitation.email, purpose, consent, &invitation.id).await?;
            Ok(user)
        })
        .await
    }
}
