//! The registry (SPEC §2): territory, organisations, people, networks, local projects, and the
//! all-or-nothing import of spreadsheets into them.

#[cfg(test)]
mod district_tests;
pub mod districts;
pub mod export;
pub mod import;
pub mod networks;
pub mod organisations;
pub mod people;
pub mod projects;
pub mod territory;
#[cfg(test)]
mod tests;

use serde::Serialize;

/// One page of a list, with the total that matches the filter.
#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
}

/// Which page of a list to read.
#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    pub page: u32,
    pub per_page: u32,
}

impl PageRequest {
    pub const MAX_PER_PAGE: u32 = 500;

    pub fn new(page: Option<u32>, per_page: Option<u32>) -> PageRequest {
        PageRequest { page: page.unwrap_or(1).max(1), per_page: per_page.unwrap_or(50).clamp(1, Self::MAX_PER_PAGE) }
    }

    /// Everything, for exports.
    pub fn all() -> PageRequest {
        PageRequest { page: 1, per_page: u32::MAX }
    }

    pub(crate) fn limit_offset(&self) -> String {
        if self.per_page == u32::MAX {
            return String::new();
        }
        format!(" LIMIT {} OFFSET {}", self.per_page, u64::from(self.page - 1) * u64::from(self.per_page))
    }
}

/// A `LIKE` pattern matching `text` anywhere, with LIKE's own wildcards escaped.
pub(crate) fn contains_pattern(text: &str) -> String {
    let escaped: String =
        text.chars().flat_map(|c| if matches!(c, '%' | '_' | '\\') { vec!['\\', c] } else { vec![c] }).collect();
    format!("%{escaped}%")
}

/// Builds a WHERE clause with numbered parameters for `Any` (`$1`, `$2`, …).
#[derive(Default)]
pub(crate) struct Conditions {
    pub clauses: Vec<String>,
    pub binds: Vec<String>,
}

impl Conditions {
    /// Adds a bind value and returns its placeholder.
    pub fn bind(&mut self, value: impl Into<String>) -> String {
        self.binds.push(value.into());
        format!("${}", self.binds.len())
    }

    pub fn push(&mut self, clause: String) {
        self.clauses.push(clause);
    }

    pub fn where_clause(&self) -> String {
        if self.clauses.is_empty() { String::new() } else { format!(" WHERE {}", self.clauses.join(" AND ")) }
    }

    pub fn query<'q>(&'q self, sql: &'q str) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        let mut query = sqlx::query(sql);
        for value in &self.binds {
            query = query.bind(value);
        }
        query
    }

    pub fn query_scalar<'q, T>(
        &'q self,
        sql: &'q str,
    ) -> sqlx::query::QueryScalar<'q, sqlx::Any, T, sqlx::any::AnyArguments<'q>>
    where
        (T,): for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
    {
        let mut query = sqlx::query_scalar(sql);
        for value in &self.binds {
            query = query.bind(value);
        }
        query
    }
}

/// `$first, $first+1, …` for `count` values.
pub(crate) fn placeholders(first: usize, count: usize) -> String {
    (first..first + count).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// Archives (or restores) one row of a registry table, with its audit entry, in one transaction.
/// Archived records leave lists and pickers; their history stays. `table` is one of ours, never input.
pub(crate) async fn set_archived(
    db: &crate::Db,
    actor: &crate::Actor,
    table: &'static str,
    entity: &'static str,
    id: &str,
    programme_id: Option<&str>,
    archived: bool,
) -> crate::Result<()> {
    let now = crate::Timestamp::now().to_db();
    let mut tx = db.begin().await?;
    let sql = format!("UPDATE {table} SET archived_at = $1, updated_at = $2 WHERE id = $3");
    let changed = sqlx::query(&sql)
        .bind(archived.then(|| now.clone()))
        .bind(&now)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if changed == 0 {
        return Err(crate::StoreError::NotFound);
    }
    let action = if archived { "archive" } else { "restore" };
    let change = crate::audit::Change { action, entity, entity_id: Some(id), programme_id, before: None, after: None };
    crate::audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(())
}

/// A date as stored: `YYYY-MM-DD`.
pub(crate) fn date_to_db(date: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day())
}

pub(crate) fn date_from_db(text: Option<String>) -> Option<time::Date> {
    let text = text?;
    time::Date::parse(&text, time::macros::format_description!("[year]-[month]-[day]")).ok()
}
