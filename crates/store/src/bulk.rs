//! Rows written in bulk, for generated data (`reti generate --scale`, decision 0053): multi-row
//! `INSERT`s inside a [`crate::Db::write`] transaction, so that a million rows cost a few thousand
//! statements, each prepared once per connection and reused. The caller names the table and its
//! columns; the rows go in as they are, checked by the database's own constraints (foreign keys,
//! uniqueness, `CHECK`s) and by nothing else, so they must be valid records already.

use crate::{Result, Writer};

/// One value of a row. A null keeps its type: PostgreSQL refuses a text parameter in a `BIGINT`
/// column, even a null one.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Int(i64),
    Real(f64),
    NullText,
    NullInt,
}

impl From<String> for Value {
    fn from(value: String) -> Value {
        Value::Text(value)
    }
}

impl From<&str> for Value {
    fn from(value: &str) -> Value {
        Value::Text(value.to_owned())
    }
}

impl From<i64> for Value {
    fn from(value: i64) -> Value {
        Value::Int(value)
    }
}

impl From<f64> for Value {
    fn from(value: f64) -> Value {
        Value::Real(value)
    }
}

impl From<Option<String>> for Value {
    fn from(value: Option<String>) -> Value {
        value.map_or(Value::NullText, Value::Text)
    }
}

impl From<Option<i64>> for Value {
    fn from(value: Option<i64>) -> Value {
        value.map_or(Value::NullInt, Value::Int)
    }
}

/// Rows of one table waiting to be inserted, row after row.
#[derive(Debug)]
pub struct Rows {
    table: &'static str,
    columns: &'static [&'static str],
    values: Vec<Value>,
}

impl Rows {
    pub fn new(table: &'static str, columns: &'static [&'static str]) -> Rows {
        Rows { table, columns, values: Vec::new() }
    }

    /// Adds a row: one value per column, in the columns' order.
    pub fn push<const N: usize>(&mut self, row: [Value; N]) {
        assert_eq!(N, self.columns.len(), "a row of {} has {} columns", self.table, self.columns.len());
        self.values.extend(row);
    }

    /// Adds a row given as a sequence of values, one per column, in the columns' order.
    pub fn push_all(&mut self, row: impl IntoIterator<Item = Value>) {
        let before = self.values.len();
        self.values.extend(row);
        let pushed = self.values.len() - before;
        assert_eq!(pushed, self.columns.len(), "a row of {} has {} columns", self.table, self.columns.len());
    }

    pub fn table(&self) -> &'static str {
        self.table
    }

    /// How many rows wait.
    pub fn len(&self) -> usize {
        self.values.len() / self.columns.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

impl Writer<'_> {
    /// Inserts the rows waiting in `rows` and empties it; returns how many there were.
    pub async fn insert_rows(&mut self, rows: &mut Rows) -> Result<usize> {
        let width = rows.columns.len();
        let per_statement = self.engine.rows_per_insert(width);
        let count = rows.len();
        let head = format!("INSERT INTO {} ({}) VALUES ", rows.table, rows.columns.join(", "));
        let mut full: Option<String> = None;
        for chunk in rows.values.chunks(per_statement * width) {
            let n = chunk.len() / width;
            let partial;
            let sql = if n == per_statement {
                full.get_or_insert_with(|| format!("{head}{}", self.engine.values_list(n, width))).as_str()
            } else {
                partial = format!("{head}{}", self.engine.values_list(n, width));
                partial.as_str()
            };
            let mut query = sqlx::query(sql);
            for value in chunk {
                query = match value {
                    Value::Text(text) => query.bind(text.as_str()),
                    Value::Int(n) => query.bind(*n),
                    Value::Real(x) => query.bind(*x),
                    Value::NullText => query.bind(None::<&str>),
                    Value::NullInt => query.bind(None::<i64>),
                };
            }
            query.execute(&mut *self.tx).await?;
        }
        rows.values.clear();
        Ok(count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Actor;

    crate::engine_tests! {
        async fn rows_go_in_whole_statements_and_a_partial_last_one(db: Db) {
            let programme = db.create_programme(&Actor::cli(), "P-1", "Programma").await.unwrap();
            let mut rows = Rows::new("action_lines", &["id", "programme_id", "number", "title"]);
            // More than one statement's worth on both engines, and a remainder.
            let count = 2 * crate::Engine::Sqlite.rows_per_insert(4).max(crate::Engine::Postgres.rows_per_insert(4)) + 7;
            for n in 0..count {
                rows.push([
                    format!("line-{n:05}").into(),
                    programme.id.as_str().into(),
                    Value::Int(n as i64 + 1),
                    format!("Linea {n}").into(),
                ]);
            }
            assert_eq!(rows.len(), count);
            let written = db.write(&Actor::cli(), async |w| w.insert_rows(&mut rows).await).await.unwrap();
            assert_eq!(written, count);
            assert!(rows.is_empty());
            let (stored, last): (i64, i64) =
                sqlx::query_as("SELECT COUNT(*), MAX(number) FROM action_lines WHERE programme_id = $1")
                    .bind(&programme.id)
                    .fetch_one(db.pool())
                    .await
                    .unwrap();
            assert_eq!((stored, last), (count as i64, count as i64));
        }

        async fn typed_nulls_go_into_text_and_integer_columns(db: Db) {
            let mut rows = Rows::new("programmes", &["id", "code", "name", "created_at", "starts_on"]);
            rows.push(["p1".into(), "P-1".into(), "Uno".into(), "2026-01-01T00:00:00.000000Z".into(), Value::NullText]);
            db.write(&Actor::cli(), async |w| w.insert_rows(&mut rows).await).await.unwrap();
            let starts: Option<String> = sqlx::query_scalar("SELECT starts_on FROM programmes WHERE id = 'p1'")
                .fetch_one(db.pool())
                .await
                .unwrap();
            assert_eq!(starts, None);
            let mut practices = Rows::new(
                "practices",
                &["id", "programme_id", "title", "year", "status", "created_at", "updated_at"],
            );
            let at = "2026-01-01T00:00:00.000000Z";
            practices.push(["x1".into(), "p1".into(), "Pratica".into(), Value::NullInt, "draft".into(), at.into(), at.into()]);
            db.write(&Actor::cli(), async |w| w.insert_rows(&mut practices).await).await.unwrap();
            let year: Option<i64> =
                sqlx::query_scalar("SELECT year FROM practices WHERE id = 'x1'").fetch_one(db.pool()).await.unwrap();
            assert_eq!(year, None);
        }

        async fn a_broken_reference_refuses_the_whole_write(db: Db) {
            let mut rows = Rows::new("action_lines", &["id", "programme_id", "number", "title"]);
            rows.push(["l1".into(), "no-such-programme".into(), Value::Int(1), "Linea".into()]);
            let outcome = db.write(&Actor::cli(), async |w| w.insert_rows(&mut rows).await).await;
            assert!(outcome.is_err());
            let stored: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM action_lines").fetch_one(db.pool()).await.unwrap();
            assert_eq!(stored, 0);
        }
    }
}
