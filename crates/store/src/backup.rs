//! What a backup needs of the database (decision 0049): on SQLite a consistent copy of the file
//! (`VACUUM INTO`), on PostgreSQL every table's rows read in one snapshot, and a load of them that
//! replaces the whole schema in one transaction.

use crate::{Db, Engine, Result, StoreError, Tx};
use futures_util::TryStreamExt;
use std::collections::HashMap;
use std::path::Path;

/// sqlx's own table of applied migrations, created as sqlx creates it on PostgreSQL.
const POSTGRES_MIGRATIONS_TABLE: &str = "CREATE TABLE _sqlx_migrations (
    version BIGINT PRIMARY KEY,
    description TEXT NOT NULL,
    installed_on TIMESTAMPTZ NOT NULL DEFAULT now(),
    success BOOLEAN NOT NULL,
    checksum BYTEA NOT NULL,
    execution_time BIGINT NOT NULL
)";

/// The migration that brings the registers' aggregates and their triggers (decision 0056).
const INDICATOR_AGGREGATES: i64 = 40;

/// Quotes an identifier read from the catalogue.
fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The newest migration this binary carries for `engine`.
pub fn latest_migration(engine: Engine) -> i64 {
    crate::migrator_of(engine).iter().map(|migration| migration.version).max().unwrap_or(0)
}

impl Db {
    /// The newest migration applied to this database, 0 on a database never migrated.
    pub async fn applied_migration(&self) -> Result<i64> {
        if !self.has_table("_sqlx_migrations").await? {
            return Ok(0);
        }
        Ok(sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success = TRUE")
            .fetch_one(&self.pool)
            .await?)
    }

    /// Whether anything was ever recorded here: every write through [`Db::write`] leaves an audit
    /// entry, and an account is the first thing an installation gets. What `migrate` fills by
    /// itself (ISTAT's municipalities, the board's index) does not count.
    pub async fn holds_data(&self) -> Result<bool> {
        if !self.has_table("audit_log").await? || !self.has_table("users").await? {
            return Ok(false);
        }
        let rows: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM audit_log LIMIT 1) a) + (SELECT COUNT(*) FROM (SELECT 1 FROM users LIMIT 1) u)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(rows > 0)
    }

    async fn has_table(&self, name: &str) -> Result<bool> {
        let sql = match self.engine {
            Engine::Sqlite => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $1",
            Engine::Postgres => "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = $1",
        };
        let count: i64 = sqlx::query_scalar(sql).bind(name).fetch_one(&self.pool).await?;
        Ok(count > 0)
    }

    /// SQLite: writes a consistent copy of the database to `path` (which must not exist), while
    /// other connections go on reading and writing. `VACUUM INTO` reads in one transaction, so the
    /// copy is the database as of one commit.
    pub async fn vacuum_into(&self, path: &Path) -> Result<()> {
        if self.engine != Engine::Sqlite {
            return Err(StoreError::Corrupt("VACUUM INTO is for SQLite".into()));
        }
        let path = path.to_str().ok_or_else(|| StoreError::Corrupt("the path is not UTF-8".into()))?;
        sqlx::query("VACUUM INTO $1").bind(path).execute(&self.pool).await?;
        Ok(())
    }

    /// SQLite: moves what the write-ahead log holds into the database file and empties the log.
    pub async fn checkpoint(&self) -> Result<()> {
        if self.engine == Engine::Sqlite {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&self.pool).await?;
        }
        Ok(())
    }

    /// PostgreSQL: a read-only transaction that sees one snapshot of every table.
    pub async fn snapshot(&self) -> Result<Snapshot> {
        if self.engine != Engine::Postgres {
            return Err(StoreError::Corrupt("a row snapshot is for PostgreSQL".into()));
        }
        let tx = self.pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await?;
        Ok(Snapshot { tx })
    }

    /// PostgreSQL: opens the transaction that replaces every table of the current schema by the
    /// schema of migration `level` (the migrations up to it, run again) and the rows then given to
    /// [`Loader::insert`]. Nothing is visible to others, and nothing is lost, until
    /// [`Loader::commit`]; dropping the loader rolls everything back.
    pub async fn replace_all(&self, level: i64) -> Result<Loader> {
        if self.engine != Engine::Postgres {
            return Err(StoreError::Corrupt("a row load is for PostgreSQL".into()));
        }
        let mut tx = self.pool.begin().await?;
        let tables: Vec<String> =
            sqlx::query_scalar("SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema()")
                .fetch_all(&mut *tx)
                .await?;
        for table in &tables {
            sqlx::query(&format!("DROP TABLE IF EXISTS {} CASCADE", ident(table))).execute(&mut *tx).await?;
        }
        for migration in self.migrator().iter().filter(|m| m.version <= level && !m.migration_type.is_down_migration())
        {
            sqlx::raw_sql(&migration.sql).execute(&mut *tx).await?;
        }
        sqlx::query(POSTGRES_MIGRATIONS_TABLE).execute(&mut *tx).await?;
        // The registers' aggregates (migration 0040) are made again from the rows once they are all
        // in: their triggers rest while rows come in any order.
        let aggregates = level >= INDICATOR_AGGREGATES;
        if aggregates {
            sqlx::query("SELECT set_config('reti.indicator_aggregates', 'off', true)").execute(&mut *tx).await?;
        }
        // Rows come table by table in any order: the foreign keys are put back, and checked, once
        // every row is in.
        let foreign_keys: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT conrelid::regclass::text, conname::text, pg_get_constraintdef(oid)
             FROM pg_constraint WHERE contype = 'f' AND connamespace = current_schema()::regnamespace",
        )
        .fetch_all(&mut *tx)
        .await?;
        for (table, name, _) in &foreign_keys {
            sqlx::query(&format!("ALTER TABLE {table} DROP CONSTRAINT {}", ident(name))).execute(&mut *tx).await?;
        }
        Ok(Loader { tx, foreign_keys, columns: HashMap::new(), aggregates })
    }
}

/// Every table of a PostgreSQL database as of one moment (see [`Db::snapshot`]).
pub struct Snapshot {
    tx: Tx,
}

impl Snapshot {
    /// The tables of the current schema, sqlx's `_sqlx_migrations` included.
    pub async fn tables(&mut self) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename",
        )
        .fetch_all(&mut *self.tx)
        .await?)
    }

    /// The newest migration applied, as of the snapshot.
    pub async fn applied_migration(&mut self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success = TRUE")
            .fetch_one(&mut *self.tx)
            .await?)
    }

    /// Gives each row of `table` to `row` as one JSON object (PostgreSQL's `row_to_json`, which
    /// [`Loader::insert`] reads back column by column); returns how many.
    pub async fn each_row(
        &mut self,
        table: &str,
        mut row: impl FnMut(&str) -> anyhow::Result<()>,
    ) -> anyhow::Result<u64> {
        let sql = format!("SELECT row_to_json(t)::text FROM {} t", ident(table));
        let mut rows = sqlx::query_scalar::<_, String>(&sql).fetch(&mut *self.tx);
        let mut count = 0;
        while let Some(json) = rows.try_next().await? {
            row(&json)?;
            count += 1;
        }
        Ok(count)
    }

    /// Ends the read-only transaction.
    pub async fn finish(self) -> Result<()> {
        self.tx.commit().await?;
        Ok(())
    }
}

/// The transaction of [`Db::replace_all`].
pub struct Loader {
    tx: Tx,
    foreign_keys: Vec<(String, String, String)>,
    /// The columns a row gives, by table: all but the generated ones, which PostgreSQL computes.
    columns: HashMap<String, String>,
    /// Whether the schema has the registers' aggregates, to make again at the end.
    aggregates: bool,
}

impl Loader {
    /// Inserts `rows`, a JSON array of the objects [`Snapshot::each_row`] gave for `table`.
    pub async fn insert(&mut self, table: &str, rows: &str) -> Result<()> {
        if !self.columns.contains_key(table) {
            let names: Vec<String> = sqlx::query_scalar(
                "SELECT column_name::text FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER'
                 ORDER BY ordinal_position",
            )
            .bind(table)
            .fetch_all(&mut *self.tx)
            .await?;
            if names.is_empty() {
                return Err(StoreError::Corrupt(format!("the backup has rows of an unknown table {table}")));
            }
            let list = names.iter().map(|name| ident(name)).collect::<Vec<_>>().join(", ");
            self.columns.insert(table.to_owned(), list);
            // The backup's rows replace those the migrations wrote (the constants of
            // `indicator_period_parts`), which it holds too.
            sqlx::query(&format!("DELETE FROM {}", ident(table))).execute(&mut *self.tx).await?;
        }
        let columns = &self.columns[table];
        let table = ident(table);
        let sql = format!(
            "INSERT INTO {table} ({columns}) SELECT {columns} FROM json_populate_recordset(NULL::{table}, CAST($1 AS json))"
        );
        sqlx::query(&sql).bind(rows).execute(&mut *self.tx).await?;
        Ok(())
    }

    /// Puts the foreign keys back (checking every row against them) and commits.
    pub async fn commit(mut self) -> Result<()> {
        for (table, name, definition) in &self.foreign_keys {
            sqlx::query(&format!("ALTER TABLE {table} ADD CONSTRAINT {} {definition}", ident(name)))
                .execute(&mut *self.tx)
                .await?;
        }
        if self.aggregates {
            sqlx::raw_sql("DO $$ BEGIN PERFORM indicator_aggregates_rebuild(); END $$").execute(&mut *self.tx).await?;
        }
        self.tx.commit().await?;
        Ok(())
    }
}
