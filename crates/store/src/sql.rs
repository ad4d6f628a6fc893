//! The SQL helpers every repository shares: numbered placeholders, WHERE clauses built from
//! optional filters, paging, `LIKE` patterns and stored dates. They live here, outside any
//! repository, so that modules depend on this one and never on each other for plumbing.

use crate::{Result, StoreError};
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

    /// The ` LIMIT … OFFSET …` tail of a query (empty for [`PageRequest::all`]).
    pub(crate) fn limit_offset(&self) -> String {
        if self.per_page == u32::MAX {
            return String::new();
        }
        format!(" LIMIT {} OFFSET {}", self.per_page, u64::from(self.page - 1) * u64::from(self.per_page))
    }
}

/// A `LIKE` pattern matching `text` anywhere, with LIKE's own wildcards escaped. Use it as
/// `column LIKE $n ESCAPE '\'`: SQLite has no default escape character.
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
    /// Named sets the clauses read, put before the statement by [`Conditions::with_clause`].
    pub sets: Vec<String>,
}

impl Conditions {
    /// Adds a bind value and returns its placeholder.
    pub fn bind(&mut self, value: impl Into<String>) -> String {
        self.binds.push(value.into());
        format!("${}", self.binds.len())
    }

    /// Adds every value and returns their placeholders, comma-separated, for `IN (…)`.
    pub fn bind_all<S: Into<String>>(&mut self, values: impl IntoIterator<Item = S>) -> String {
        values.into_iter().map(|value| self.bind(value)).collect::<Vec<_>>().join(", ")
    }

    pub fn push(&mut self, clause: String) {
        self.clauses.push(clause);
    }

    /// Names `select` (one column, `column`) as the set `name`, computed once per statement
    /// however many of its parts read it (a page and its count), and returns the name.
    pub fn set(&mut self, name: &str, column: &str, select: &str) -> String {
        self.sets.push(format!("{name}({column}) AS MATERIALIZED ({select})"));
        name.to_owned()
    }

    /// `WITH …` for the sets named by [`Conditions::set`], to start the statement with.
    pub fn with_clause(&self) -> String {
        if self.sets.is_empty() { String::new() } else { format!("WITH {} ", self.sets.join(", ")) }
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

    pub fn query_as<'q, T>(
        &'q self,
        sql: &'q str,
    ) -> sqlx::query::QueryAs<'q, sqlx::Any, T, sqlx::any::AnyArguments<'q>>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
    {
        let mut query = sqlx::query_as(sql);
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

impl crate::Engine {
    /// How many rows one multi-row `INSERT` (written with [`Engine::values_list`]) should carry:
    /// a few thousand parameters, well below either engine's limit (32,766 on SQLite, 65,535 on
    /// PostgreSQL), so that a 50,000-row import takes tens of statements, not thousands.
    pub fn rows_per_insert(self, columns: usize) -> usize {
        let parameters = match self {
            crate::Engine::Sqlite => 4000,
            crate::Engine::Postgres => 6000,
        };
        (parameters / columns.max(1)).max(1)
    }

    /// The `VALUES` list of a multi-row statement: `rows` tuples of `columns` parameters. SQLite
    /// gets anonymous `?`: sqlx asks SQLite the name of every numbered parameter, a linear scan
    /// each, which makes a statement of numbered parameters cost the square of its width;
    /// anonymous ones bind in order at no cost. PostgreSQL needs `$1, $2, …`.
    pub fn values_list(self, rows: usize, columns: usize) -> String {
        let mut sql = String::with_capacity(rows * columns * 6);
        for row in 0..rows {
            sql.push_str(if row == 0 { "(" } else { ", (" });
            for column in 0..columns {
                if column > 0 {
                    sql.push_str(", ");
                }
                match self {
                    crate::Engine::Sqlite => sql.push('?'),
                    crate::Engine::Postgres => {
                        use std::fmt::Write;
                        let _ = write!(sql, "${}", row * columns + column + 1);
                    }
                }
            }
            sql.push(')');
        }
        sql
    }
}

impl crate::Engine {
    /// The rows of `from_where` (`FROM … WHERE …`) as one JSON array of arrays of `columns`, in
    /// text, `[]` when there are none: the lists that belong to a row (a person's affiliations)
    /// come in that row, since on SQLite each row of a result is a hand-over between the
    /// connection's thread and the request's.
    pub(crate) fn json_rows(self, columns: &str, order_by: &str, from_where: &str) -> String {
        match self {
            crate::Engine::Sqlite => {
                format!("(SELECT json_group_array(json_array({columns}) ORDER BY {order_by}) {from_where})")
            }
            crate::Engine::Postgres => format!(
                "(SELECT COALESCE(CAST(json_agg(json_build_array({columns}) ORDER BY {order_by}) AS TEXT), '[]') {from_where})"
            ),
        }
    }
}

impl crate::Engine {
    /// One row of a page as a JSON object: `{"column": page.column, …}` for each of `columns` of
    /// the page's list, then each of `json_columns` (columns that hold JSON in text, such as
    /// [`Engine::json_rows`] writes) as JSON rather than as a string to decode a second time.
    /// [`read_json_page`] reads each object into the struct serde derives for it, by name.
    pub(crate) fn json_page_item(self, columns: &[&str], json_columns: &[&str]) -> String {
        let plain = columns.iter().map(|column| format!("'{column}', page.{column}"));
        let json = json_columns.iter().map(|column| match self {
            crate::Engine::Sqlite => format!("'{column}', json(page.{column})"),
            crate::Engine::Postgres => format!("'{column}', CAST(page.{column} AS json)"),
        });
        let pairs = plain.chain(json).collect::<Vec<_>>().join(", ");
        match self {
            crate::Engine::Sqlite => format!("json_object({pairs})"),
            crate::Engine::Postgres => format!("json_build_object({pairs})"),
        }
    }

    /// The rows of `list` (a whole `SELECT … ORDER BY … LIMIT …`: the page) as one JSON array of
    /// `item` (an [`Engine::json_page_item`] of the columns of `list`, aliased `page`), in `order_by`
    /// (on the same columns), `[]` for an empty page.
    pub(crate) fn json_page_items(self, item: &str, order_by: &str, list: &str) -> String {
        match self {
            crate::Engine::Sqlite => {
                format!("(SELECT json_group_array({item} ORDER BY {order_by}) FROM ({list}) page)")
            }
            crate::Engine::Postgres => format!(
                "(SELECT COALESCE(CAST(json_agg({item} ORDER BY {order_by}) AS TEXT), '[]') FROM ({list}) page)"
            ),
        }
    }
}

/// A page of a list and its total in one statement and ONE row: `items` (from
/// [`Engine::json_page_items`]) and `count_sql` (a `SELECT COUNT(*) …` with the same
/// placeholders), the items deserialised with serde. On SQLite every row of a result is a hand-over
/// between the connection's thread and the request's, and through `Any` each row is copied column
/// by column; one row of JSON costs one hand-over and one copy, whatever the page's length
/// (decision 0048).
pub(crate) async fn read_json_page<T: serde::de::DeserializeOwned>(
    db: &crate::Db,
    conditions: &Conditions,
    items: &str,
    count_sql: &str,
) -> Result<(Vec<T>, i64)> {
    use sqlx::Row;
    let sql = format!("{}SELECT {items} AS items, ({count_sql}) AS total", conditions.with_clause());
    let row = conditions.query(&sql).fetch_one(db.pool()).await?;
    let items: String = row.try_get("items")?;
    let total: i64 = row.try_get("total")?;
    let items = serde_json::from_str(&items).map_err(|e| StoreError::Corrupt(format!("a page as JSON: {e}")))?;
    Ok((items, total))
}

/// A list's total as a column of its page's rows, `total`: the subquery names nothing of the outer
/// row, so both engines count once per statement, and a page is one statement instead of two.
/// `from_where` is the list's own `FROM … WHERE …`, with the same placeholders.
pub(crate) fn total_column(from_where: &str) -> String {
    format!("(SELECT COUNT(*) {from_where}) AS total")
}

/// The total of a page read with [`total_column`]: from its first row; a page past the end (not
/// the `first` page) has no row to carry it, so it is counted apart with `count_sql`.
pub(crate) async fn page_total(
    db: &crate::Db,
    conditions: &Conditions,
    rows: &[sqlx::any::AnyRow],
    first: bool,
    count_sql: &str,
) -> Result<i64> {
    use sqlx::Row;
    match rows.first() {
        Some(row) => Ok(row.try_get("total")?),
        None if !first => Ok(conditions.query_scalar(count_sql).fetch_one(db.pool()).await?),
        None => Ok(0),
    }
}

const DATE_FORMAT: &[time::format_description::FormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

/// A date as stored: `YYYY-MM-DD`.
pub(crate) fn date_to_db(date: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day())
}

/// A stored date back. A value that is not `YYYY-MM-DD` is corruption, never a missing date:
/// reading it as `None` would let the next save erase it silently.
pub(crate) fn date_from_db(text: Option<String>) -> Result<Option<time::Date>> {
    text.map(|text| time::Date::parse(&text, DATE_FORMAT).map_err(|_| StoreError::Corrupt(format!("date {text:?}"))))
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contains_pattern_escapes_like_wildcards() {
        assert_eq!(contains_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }

    #[test]
    fn conditions_number_their_placeholders_in_order() {
        let mut conditions = Conditions::default();
        let first = conditions.bind("a");
        let list = conditions.bind_all(["b", "c"]);
        conditions.push(format!("x = {first}"));
        conditions.push(format!("y IN ({list})"));
        assert_eq!(conditions.where_clause(), " WHERE x = $1 AND y IN ($2, $3)");
        assert_eq!(conditions.binds, ["a", "b", "c"]);
    }

    #[test]
    fn values_lists_are_anonymous_on_sqlite_and_numbered_on_postgres() {
        assert_eq!(crate::Engine::Sqlite.values_list(2, 3), "(?, ?, ?), (?, ?, ?)");
        assert_eq!(crate::Engine::Postgres.values_list(2, 3), "($1, $2, $3), ($4, $5, $6)");
    }

    #[test]
    fn paging_skips_whole_pages() {
        assert_eq!(PageRequest::new(Some(3), Some(20)).limit_offset(), " LIMIT 20 OFFSET 40");
        assert_eq!(PageRequest::all().limit_offset(), "");
    }

    crate::engine_tests! {
        async fn a_corrupt_stored_date_is_an_error_not_a_missing_date(db: Db) {
            let programme = db.create_programme(&crate::Actor::cli(), "P-1", "Programma").await.unwrap();
            sqlx::query("UPDATE programmes SET starts_on = '1/3/2026' WHERE id = $1")
                .bind(&programme.id)
                .execute(db.pool())
                .await
                .unwrap();
            let read = db.programme_details(&programme.id).await;
            assert!(matches!(read, Err(StoreError::Corrupt(_))), "{read:?}");
        }

        async fn audit_actor_filter_matches_percent_and_underscore_literally(db: Db) {
            for label in ["anna_rossi@comune.it", "annarossi@comune.it"] {
                let actor = crate::Actor { user_id: None, label: label.into(), ip: None };
                let change = crate::audit::Change {
                    action: "login", entity: "user", entity_id: None, programme_id: None, before: None, after: None,
                };
                db.log_event(&actor, change).await.unwrap();
            }
            let found = |actor: &str| {
                let filter = crate::audit::Filter { actor: Some(actor.into()), ..Default::default() };
                let db = db.clone();
                async move { db.audit_entries(&filter, 10, 0).await.unwrap().total }
            };
            assert_eq!(found("anna_").await, 1);
            assert_eq!(found("%").await, 0);
            assert_eq!(found("ROSSI").await, 2);
        }
    }

    #[test]
    fn dates_round_trip_and_corrupt_ones_are_errors() {
        let date = time::macros::date!(2026 - 02 - 03);
        assert_eq!(date_from_db(Some(date_to_db(date))).unwrap(), Some(date));
        assert_eq!(date_from_db(None).unwrap(), None);
        assert!(matches!(date_from_db(Some("03/02/2026".into())), Err(StoreError::Corrupt(_))));
    }
}
