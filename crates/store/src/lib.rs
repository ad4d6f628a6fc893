//! Storage of Reti: repositories over SQLite and PostgreSQL through one sqlx `Any` pool.
//!
//! Every SQL statement is written once, in the subset both engines share (`$1` placeholders,
//! text ids and timestamps, `BIGINT`/`INTEGER` counters), and each engine has its own migration
//! folder so that types and indexes can still differ where they must. Writes go through
//! [`Db::write`], which opens the transaction the engine needs and records the audit entry inside
//! it, so that a change and its audit trail commit or vanish together.

pub mod actor_map;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod bulk;
mod counted;
pub mod custom_indicators;
pub mod diary;
pub mod documents;
mod ebook;
pub mod editions;
pub mod exchanges;
pub mod funder_reports;
pub mod groups;
pub mod indicators;
pub mod invitations;
pub mod jobs;
pub mod labs;
pub mod mail_sends;
pub mod matrix;
pub mod meetings;
pub mod mfa;
pub mod notices;
pub mod practice_images;
pub mod practices;
pub mod privacy;
pub mod programmes;
pub mod reading;
pub mod registry;
pub mod secret;
pub mod sessions;
pub mod sustainability;

#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod throttle;
pub mod ties;
pub mod tokens;
pub mod users;
mod write;

pub use write::Writer;

mod clock;
#[cfg(test)]
mod schema_tests;
mod sql;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod write_tests;

pub use clock::Timestamp;
pub use counted::CountedPool;
pub use sql::{Page, PageRequest};

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{Any, Executor, Transaction};
use std::str::FromStr;
use std::time::Duration;

pub type Tx = Transaction<'static, Any>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn from_url(url: &str) -> Result<Engine, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Engine::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Engine::Postgres)
        } else {
            Err(StoreError::UnsupportedUrl)
        }
    }
}

/// The errors of the storage layer. Conflicts and validation problems are told apart from
/// database failures so that the web layer can answer 409/422 instead of 500.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("conflict on {field}")]
    Conflict { field: &'static str },
    #[error(transparent)]
    Invalid(#[from] reti_domain::FieldErrors),
    #[error("the database URL must start with sqlite: or postgres:")]
    UnsupportedUrl,
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration error: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("corrupt stored value: {0}")]
    Corrupt(String),
}

impl StoreError {
    /// Maps a unique-constraint violation to a conflict on `field`, leaving other errors alone.
    pub(crate) fn unique_as(field: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
        move |error| match &error {
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict { field },
            _ => StoreError::Database(error),
        }
    }
}

impl StoreError {
    /// Maps a foreign-key violation (a reference to something that does not exist) to a field
    /// error, leaving other errors alone.
    pub(crate) fn missing_reference_as(
        field: &'static str,
        code: &'static str,
    ) -> impl FnOnce(sqlx::Error) -> StoreError {
        move |error| match &error {
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
                StoreError::Invalid(reti_domain::FieldError::new(field, code).into())
            }
            _ => StoreError::Database(error),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Who makes a change, for the audit log. Serialisable, so that a job done on someone's behalf
/// (a password reset's lookup) records them.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Actor {
    pub user_id: Option<String>,
    pub label: String,
    pub ip: Option<String>,
}

impl Actor {
    pub fn user(user_id: &str, email: &str, ip: Option<String>) -> Actor {
        Actor { user_id: Some(user_id.to_owned()), label: email.to_owned(), ip }
    }

    /// The command line, run by whoever operates the server.
    pub fn cli() -> Actor {
        Actor { user_id: None, label: "cli".into(), ip: None }
    }

    /// Someone not logged in (a login attempt, an invitation being accepted).
    pub fn anonymous(ip: Option<String>) -> Actor {
        Actor { user_id: None, label: "anonymous".into(), ip }
    }
}

#[derive(Debug, Clone)]
pub struct Db {
    pool: CountedPool,
    engine: Engine,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

fn migrator_of(engine: Engine) -> &'static sqlx::migrate::Migrator {
    match engine {
        Engine::Sqlite => &SQLITE_MIGRATIONS,
        Engine::Postgres => &POSTGRES_MIGRATIONS,
    }
}

impl Db {
    /// Opens a pool on `url` (`sqlite://FILE` creates the file if missing).
    pub async fn connect(url: &str) -> Result<Db> {
        install_default_drivers();
        let engine = Engine::from_url(url)?;
        let options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(10));
        let pool = match engine {
            Engine::Sqlite => {
                let url = if url.contains("mode=") {
                    url.to_owned()
                } else {
                    format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
                };
                // One file, many readers, one writer: WAL lets readers go on while a write commits;
                // busy_timeout makes a second writer wait instead of failing. A 16 MiB page cache
                // per connection (SQLite's default is 2 MiB) holds the board search's working set
                // at 50,000 practices: without it a two-word search spends as long in read()
                // system calls as in SQLite (docs/benchmarks/practices.md).
                // The file is also mapped into memory (up to 1 GiB, `mmap_size`): pages are then read
                // from the operating system's cache without a read() system call and a copy each,
                // and all connections share them; the board's two-word searches look up about 1,300
                // practices spread over the whole index (decision 0057).
                // A connection to a local file cannot go stale: testing it before every use (the
                // default) costs a round trip to its worker thread on every query.
                options
                    .max_connections(8)
                    .test_before_acquire(false)
                    .after_connect(|connection, _| {
                        Box::pin(async move {
                            connection
                                .execute(
                                    "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;\n                                     PRAGMA cache_size = -16384; PRAGMA mmap_size = 1073741824;",
                                )
                                .await?;
                            Ok(())
                        })
                    })
                    .connect(&url)
                    .await?
            }
            // No JIT compilation: it pays off for long analytical queries, not for ours, and it
            // starts at a planner cost a search reaches when the statistics are stale (a statement
            // of 20 ms took 50-100 ms more to compile, decision 0057).
            Engine::Postgres => {
                options
                    .max_connections(16)
                    .after_connect(|connection, _| {
                        Box::pin(async move {
                            connection.execute("SET jit = off").await?;
                            Ok(())
                        })
                    })
                    .connect(url)
                    .await?
            }
        };
        Ok(Db { pool: CountedPool::new(pool), engine })
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    pub fn pool(&self) -> &CountedPool {
        &self.pool
    }

    /// How many statements this handle (and its clones) has run, for tests that bound the
    /// statements a page costs.
    pub fn statements(&self) -> u64 {
        self.pool.statements()
    }

    /// Applies the embedded migrations of this engine, then rebuilds the board's index if an older
    /// database left it behind (see [`Db::rebuild_board_index_if_stale`]).
    pub async fn migrate(&self) -> Result<()> {
        self.migrator().run(&*self.pool).await?;
        self.rebuild_board_index_if_stale().await?;
        Ok(())
    }

    fn migrator(&self) -> &'static sqlx::migrate::Migrator {
        migrator_of(self.engine)
    }

    /// Opens a write transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`), so
    /// that two writers queue on `busy_timeout` instead of failing when the reader upgrades. Only
    /// [`Db::write`], [`Db::system_write`] and the import (which rolls back on purpose) open one.
    pub(crate) async fn begin(&self) -> Result<Tx> {
        self.pool.count();
        self.pool.release_held().await;
        Ok(match self.engine {
            Engine::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Engine::Postgres => self.pool.begin().await?,
        })
    }

    /// Refreshes PostgreSQL's planner statistics after a bulk load, so that the first pages after
    /// it are planned on the real table sizes rather than on empty tables (autovacuum keeps them
    /// current afterwards). SQLite is left without statistics on purpose: it never refreshes them
    /// by itself, and with its STAT4 samples of a 33-practice demo the board's search planned 2 to
    /// 180 s statements once 50,000 practices were imported; its default estimates plan our
    /// queries well at every size.
    pub async fn refresh_statistics(&self) -> Result<()> {
        if self.engine == Engine::Postgres {
            sqlx::query("ANALYZE").execute(&self.pool).await?;
        }
        Ok(())
    }

    /// After a bulk import onto the board: on PostgreSQL, `VACUUM (ANALYZE)` of the board's tables,
    /// so that the planner knows their sizes and the index-only scans of `practice_terms` find its
    /// pages all-visible instead of visiting the table for each entry (autovacuum would get there,
    /// later, and only where it is on). Nothing on SQLite (see [`Db::refresh_statistics`]).
    pub async fn refresh_board_statistics(&self) -> Result<()> {
        if self.engine == Engine::Postgres {
            sqlx::query("VACUUM (ANALYZE) practices, practice_terms, practice_term_counts, practice_facets")
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

impl FromStr for Engine {
    type Err = StoreError;
    fn from_str(url: &str) -> Result<Self, Self::Err> {
        Engine::from_url(url)
    }
}

/// A new time-ordered id.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
