//! The two engines' migrations describe one schema: the same tables, the same columns, the same
//! nullability. Types may differ (`TEXT` against `TIMESTAMPTZ`, `INTEGER` against `BIGINT`), names
//! and `NOT NULL` may not, or a statement valid on one engine fails or misbehaves on the other.

use crate::testing::TestDb;
use crate::{Db, Engine};
use sqlx::Row;
use std::collections::BTreeSet;

/// `(table, column, nullable)` for every column of our tables, sorted.
type Shape = BTreeSet<(String, String, bool)>;

/// SQLite: every table of `sqlite_master` but its own and sqlx's. A primary key column counts as
/// NOT NULL, as on PostgreSQL: SQLite lets NULL into a non-integer primary key only for backwards
/// compatibility, and our rows never rely on it.
async fn sqlite_shape(db: &Db) -> Shape {
    let rows = sqlx::query(
        "SELECT m.name AS table_name, p.name AS column_name, (p.\"notnull\" = 0 AND p.pk = 0) AS nullable
         FROM sqlite_master m JOIN pragma_table_info(m.name) p
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND m.name <> '_sqlx_migrations'",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    rows.iter().map(|row| (row.get("table_name"), row.get("column_name"), row.get::<i64, _>("nullable") != 0)).collect()
}

/// PostgreSQL: the base tables of the `public` schema but sqlx's.
async fn postgres_shape(db: &Db) -> Shape {
    let rows = sqlx::query(
        "SELECT c.table_name::text AS table_name, c.column_name::text AS column_name, c.is_nullable::text AS nullable
         FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
         WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.table_name <> '_sqlx_migrations'",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    rows.iter()
        .map(|row| (row.get("table_name"), row.get("column_name"), row.get::<String, _>("nullable") == "YES"))
        .collect()
}

// Each engine's own full-text index of the practices (FTS5 tables, a tsvector column) is left out:
// it is where the engines differ on purpose (decision 0029).

/// Lines of `shape` missing from `other`, readable in a failure message.
fn missing(shape: &Shape, other: &Shape) -> Vec<String> {
    shape
        .difference(other)
        .map(|(table, column, nullable)| format!("{table}.{column}{}", if *nullable { "" } else { " NOT NULL" }))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_and_postgres_migrations_build_the_same_schema() {
    let Some(postgres) = TestDb::new(Engine::Postgres).await else { return };
    let sqlite = TestDb::new(Engine::Sqlite).await.expect("sqlite");
    let (sqlite_shape, postgres_shape) = (sqlite_shape(&sqlite.db).await, postgres_shape(&postgres.db).await);
    assert!(
        sqlite_shape.iter().any(|(table, ..)| table == "audit_log"),
        "the query reads our tables: {sqlite_shape:?}"
    );
    let (only_sqlite, only_postgres) =
        (missing(&sqlite_shape, &postgres_shape), missing(&postgres_shape, &sqlite_shape));
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "the migrations disagree.\nOnly on SQLite: {only_sqlite:#?}\nOnly on PostgreSQL: {only_postgres:#?}"
    );
}

#[test]
fn a_difference_names_table_column_and_nullability() {
    let shape = |nullable| Shape::from([("t".to_owned(), "c".to_owned(), nullable)]);
    assert_eq!(missing(&shape(false), &shape(true)), ["t.c NOT NULL"]);
    assert!(missing(&shape(true), &shape(true)).is_empty());
}
