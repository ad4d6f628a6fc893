//! Programmes (piani d'intervento). The registry issue gives them their full record; here they
//! are what roles hang on.

use crate::audit::{self, Change};
use crate::{Actor, Db, Result, StoreError, Timestamp, new_id};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Programme {
    pub id: String,
    pub code: String,
    pub name: String,
}

impl Db {
    pub async fn programmes(&self) -> Result<Vec<Programme>> {
        Ok(sqlx::query_as("SELECT id, code, name FROM programmes ORDER BY code").fetch_all(self.pool()).await?)
    }

    pub async fn programme_by_code(&self, code: &str) -> Result<Option<Programme>> {
        Ok(sqlx::query_as("SELECT id, code, name FROM programmes WHERE code = $1")
            .bind(code)
            .fetch_optional(self.pool())
            .await?)
    }

    pub async fn programme(&self, id: &str) -> Result<Option<Programme>> {
        Ok(sqlx::query_as("SELECT id, code, name FROM programmes WHERE id = $1")
            .bind(id)
            .fetch_optional(self.pool())
            .await?)
    }

    pub async fn create_programme(&self, actor: &Actor, code: &str, name: &str) -> Result<Programme> {
        let programme = Programme { id: new_id(), code: code.trim().to_owned(), name: name.trim().to_owned() };
        let mut tx = self.begin().await?;
        sqlx::query("INSERT INTO programmes (id, code, name, created_at) VALUES ($1, $2, $3, $4)")
            .bind(&programme.id)
            .bind(&programme.code)
            .bind(&programme.name)
            .bind(Timestamp::now().to_db())
            .execute(&mut *tx)
            .await
            .map_err(StoreError::unique_as("code"))?;
        audit::record(
            &mut tx,
            actor,
            Change {
                action: "create",
                entity: "programme",
                entity_id: Some(&programme.id),
                programme_id: Some(&programme.id),
                before: None,
                after: Some(serde_json::to_value(&programme).expect("serialisable")),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(programme)
    }
}
