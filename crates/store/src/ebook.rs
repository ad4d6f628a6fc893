//! What the e-book reads besides the practices themselves (SPEC §6, decision 0039): the names of
//! their municipalities and the titles of the action lines, one statement each.

use crate::{Db, Result};
use sqlx::Row;
use std::collections::HashMap;

impl Db {
    /// Municipality names of every published practice, by practice id, in the practice's order.
    pub async fn ebook_published_territories(&self) -> Result<HashMap<String, Vec<String>>> {
        let rows = sqlx::query(
            "SELECT pm.practice_id, m.name FROM practice_municipalities pm
             JOIN municipalities m ON m.istat_code = pm.istat_code
             JOIN practices p ON p.id = pm.practice_id
             WHERE p.status = 'published' ORDER BY pm.practice_id, pm.position",
        )
        .fetch_all(self.pool())
        .await?;
        let mut names: HashMap<String, Vec<String>> = HashMap::new();
        for row in &rows {
            names.entry(row.try_get("practice_id")?).or_default().push(row.try_get("name")?);
        }
        Ok(names)
    }

    /// Action line titles by (programme id, number).
    pub async fn ebook_action_line_titles(&self) -> Result<HashMap<(String, i64), String>> {
        let rows = sqlx::query("SELECT programme_id, number, title FROM action_lines").fetch_all(self.pool()).await?;
        rows.iter()
            .map(|row| Ok(((row.try_get("programme_id")?, row.try_get::<i64, _>("number")?), row.try_get("title")?)))
            .collect()
    }
}
