//! Programmes (piani d'intervento). The registry issue gives them their full record; here they
//! are what roles hang on.

use crate::audit::Change;
use crate::{Actor, Db, Result, StoreError, Timestamp, Writer, new_id};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Programme {
    pub id: String,
    pub code: String,
    pub name: String,
}

impl Db {
    /// The programmes in use (archived ones left out).
    pub async fn programmes(&self) -> Result<Vec<Programme>> {
        Ok(sqlx::query_as("SELECT id, code, name FROM programmes WHERE archived_at IS NULL ORDER BY code")
            .fetch_all(self.pool())
            .await?)
    }

    /// Every programme, archived ones too, with whether each is archived.
    pub async fn all_programmes(&self) -> Result<Vec<(Programme, bool)>> {
        let rows: Vec<(String, String, String, Option<String>)> =
            sqlx::query_as("SELECT id, code, name, archived_at FROM programmes ORDER BY code")
                .fetch_all(self.pool())
                .await?;
        Ok(rows
            .into_iter()
            .map(|(id, code, name, archived)| (Programme { id, code, name }, archived.is_some()))
            .collect())
    }

    /// Archives (or restores) a programme: it leaves pickers and the header; its data stays.
    pub async fn set_programme_archived(&self, actor: &Actor, id: &str, archived: bool) -> Result<()> {
        self.write(actor, async |w| {
            let changed = sqlx::query("UPDATE programmes SET archived_at = $1 WHERE id = $2")
                .bind(archived.then(|| Timestamp::now().to_db()))
                .bind(id)
                .execute(&mut *w.tx)
                .await?
                .rows_affected();
            if changed == 0 {
                return Err(StoreError::NotFound);
            }
            let action = if archived { "archive" } else { "restore" };
            w.audit(Change {
                action,
                entity: "programme",
                entity_id: Some(id),
                programme_id: Some(id),
                before: None,
                after: None,
            })
            .await
        })
        .await
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
        self.write(actor, async |w| {
            sqlx::query("INSERT INTO programmes (id, code, name, created_at) VALUES ($1, $2, $3, $4)")
                .bind(&programme.id)
                .bind(&programme.code)
                .bind(&programme.name)
                .bind(Timestamp::now().to_db())
                .execute(&mut *w.tx)
                .await
                .map_err(StoreError::unique_as("code"))?;
            w.audit(Change {
                action: "create",
                entity: "programme",
                entity_id: Some(&programme.id),
                programme_id: Some(&programme.id),
                before: None,
                after: Some(serde_json::to_value(&programme).expect("serialisable")),
            })
            .await
        })
        .await?;
        Ok(programme)
    }
}

/// A line of action of a programme (linea d'azione), numbered as in the programme document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ActionLine {
    pub id: String,
    pub programme_id: String,
    pub number: i64,
    pub title: String,
}

/// A programme's full record.
#[derive(Debug, Clone, Serialize)]
pub struct ProgrammeDetails {
    pub id: String,
    pub code: String,
    pub name: String,
    pub fund: String,
    pub cup: String,
    pub starts_on: Option<time::Date>,
    pub ends_on: Option<time::Date>,
    pub action_lines: Vec<ActionLine>,
}

/// A programme's details, validated in the domain.
pub use reti_domain::input::ProgrammeInput;

impl Db {
    pub async fn programme_details(&self, id: &str) -> Result<Option<ProgrammeDetails>> {
        let row = sqlx::query("SELECT id, code, name, fund, cup, starts_on, ends_on FROM programmes WHERE id = $1")
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        let Some(row) = row else { return Ok(None) };
        use sqlx::Row;
        let id: String = row.try_get("id")?;
        let (code, name, fund, cup) =
            (row.try_get("code")?, row.try_get("name")?, row.try_get("fund")?, row.try_get("cup")?);
        let (starts_on, ends_on) = (row.try_get("starts_on")?, row.try_get("ends_on")?);
        let action_lines = self.action_lines(&id).await?;
        Ok(Some(ProgrammeDetails {
            id,
            code,
            name,
            fund,
            cup,
            starts_on: crate::sql::date_from_db(starts_on)?,
            ends_on: crate::sql::date_from_db(ends_on)?,
            action_lines,
        }))
    }

    pub async fn action_lines(&self, programme_id: &str) -> Result<Vec<ActionLine>> {
        Ok(sqlx::query_as(
            "SELECT id, programme_id, number, title FROM action_lines WHERE programme_id = $1 ORDER BY number",
        )
        .bind(programme_id)
        .fetch_all(self.pool())
        .await?)
    }

    pub async fn update_programme(&self, actor: &Actor, id: &str, input: &ProgrammeInput) -> Result<()> {
        self.update_programme_with_action_lines(actor, id, input, &[]).await
    }

    /// Updates the programme and adds or renames each `(number, title)` action line, all or nothing.
    pub async fn update_programme_with_action_lines(
        &self,
        actor: &Actor,
        id: &str,
        input: &ProgrammeInput,
        lines: &[(i64, String)],
    ) -> Result<()> {
        let before = self.programme_details(id).await?.ok_or(StoreError::NotFound)?;
        self.write(actor, async |w| {
            sqlx::query(
                "UPDATE programmes SET name = $1, fund = $2, cup = $3, starts_on = $4, ends_on = $5 WHERE id = $6",
            )
            .bind(input.name.trim())
            .bind(input.fund.trim())
            .bind(input.cup.trim())
            .bind(input.starts_on.map(crate::sql::date_to_db))
            .bind(input.ends_on.map(crate::sql::date_to_db))
            .bind(id)
            .execute(&mut *w.tx)
            .await?;
            w.audit(Change {
                action: "update",
                entity: "programme",
                entity_id: Some(id),
                programme_id: Some(id),
                before: Some(serde_json::json!({"name": before.name, "fund": before.fund, "cup": before.cup,
                    "starts_on": before.starts_on.map(crate::sql::date_to_db), "ends_on": before.ends_on.map(crate::sql::date_to_db)})),
                after: Some(serde_json::json!({"name": input.name, "fund": input.fund, "cup": input.cup,
                    "starts_on": input.starts_on.map(crate::sql::date_to_db), "ends_on": input.ends_on.map(crate::sql::date_to_db)})),
            })
            .await?;
            let mut numbers = std::collections::HashSet::new();
            for (number, title) in lines {
                if !numbers.insert(*number) {
                    return Err(invalid_line());
                }
                put_line(w, id, *number, title).await?;
            }
            Ok(())
        })
        .await
    }

    /// Adds the action line numbered `number`, or renames it if it exists.
    pub async fn put_action_line(
        &self,
        actor: &Actor,
        programme_id: &str,
        number: i64,
        title: &str,
    ) -> Result<ActionLine> {
        self.write(actor, async |w| put_line(w, programme_id, number, title).await).await
    }
}

fn invalid_line() -> StoreError {
    StoreError::Invalid(reti_domain::FieldError::new("action_lines", "error-action-line-invalid").into())
}

/// Adds or renames one action line; a line needs a number from 1 to 99 and a title.
async fn put_line(w: &mut Writer<'_>, programme_id: &str, number: i64, title: &str) -> Result<ActionLine> {
    if !(1..=99).contains(&number) || title.trim().is_empty() {
        return Err(invalid_line());
    }
    let existing: Option<(String, String)> =
        sqlx::query_as("SELECT id, title FROM action_lines WHERE programme_id = $1 AND number = $2")
            .bind(programme_id)
            .bind(number)
            .fetch_optional(&mut *w.tx)
            .await?;
    let (id, before) = match existing {
        Some((id, old_title)) => {
            sqlx::query("UPDATE action_lines SET title = $1 WHERE id = $2")
                .bind(title.trim())
                .bind(&id)
                .execute(&mut *w.tx)
                .await?;
            (id, Some(serde_json::json!({"number": number, "title": old_title})))
        }
        None => {
            let id = new_id();
            sqlx::query("INSERT INTO action_lines (id, programme_id, number, title) VALUES ($1, $2, $3, $4)")
                .bind(&id)
                .bind(programme_id)
                .bind(number)
                .bind(title.trim())
                .execute(&mut *w.tx)
                .await?;
            (id, None)
        }
    };
    let action = if before.is_some() { "update" } else { "create" };
    w.audit(Change {
        action,
        entity: "action_line",
        entity_id: Some(&id),
        programme_id: Some(programme_id),
        before,
        after: Some(serde_json::json!({"number": number, "title": title.trim()})),
    })
    .await?;
    Ok(ActionLine { id, programme_id: programme_id.to_owned(), number, title: title.trim().to_owned() })
}
