//! Fresh databases for tests: a temporary SQLite file, or a new PostgreSQL database created on the
//! server named by `RETI_TEST_DATABASE_URL` and dropped afterwards.

use crate::{Db, Engine};

pub const POSTGRES_URL_VAR: &str = "RETI_TEST_DATABASE_URL";

/// The server for the PostgreSQL variants of the tests, or `None` to skip them.
///
/// Under CI (`CI` set, as `.ci/run` runs) a missing server is a failure, not a skip: a green CI run
/// must mean both engines passed. Elsewhere the skip is announced once per test binary on the
/// process's stderr. libtest captures `eprintln!` of passing tests, but not writes to the stderr
/// handle itself, so the notice shows in `cargo test` output without drowning it in one line per test.
pub fn postgres_url_or_skip() -> Option<String> {
    match postgres_url(std::env::var(POSTGRES_URL_VAR).ok(), std::env::var("CI").ok()) {
        Ok(Some(url)) => Some(url),
        Ok(None) => {
            static NOTICE: std::sync::Once = std::sync::Once::new();
            NOTICE.call_once(|| {
                use std::io::Write;
                let _ = writeln!(
                    std::io::stderr(),
                    "\nSKIPPED: the PostgreSQL variants of these tests pass without running, because \
                     {POSTGRES_URL_VAR} is not set (scripts/test sets it)\n"
                );
            });
            None
        }
        Err(message) => panic!("{message}"),
    }
}

/// The decision of [`postgres_url_or_skip`], apart from the environment.
fn postgres_url(url: Option<String>, ci: Option<String>) -> Result<Option<String>, String> {
    let url = url.filter(|url| !url.trim().is_empty());
    let in_ci = ci.is_some_and(|ci| !matches!(ci.trim(), "" | "0" | "false"));
    match url {
        Some(url) => Ok(Some(url)),
        None if in_ci => Err(format!(
            "CI is set but {POSTGRES_URL_VAR} is not: the PostgreSQL variants must run in CI \
             (set it to a server where tests may create databases, e.g. postgres://127.0.0.1:5432/test)"
        )),
        None => Ok(None),
    }
}

/// A migrated database that disappears when dropped.
pub struct TestDb {
    pub db: Db,
    url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    File(std::path::PathBuf),
    Database { admin_url: String, name: String },
}

impl TestDb {
    /// A fresh database of `engine`; `None` for PostgreSQL when `RETI_TEST_DATABASE_URL` is unset
    /// (a failure under CI: see [`postgres_url_or_skip`]).
    pub async fn new(engine: Engine) -> Option<TestDb> {
        let name = format!("reti_test_{}", uuid::Uuid::now_v7().simple());
        let (url, cleanup) = match engine {
            Engine::Sqlite => {
                let path = std::env::temp_dir().join(format!("{name}.sqlite"));
                (format!("sqlite://{}", path.display()), Cleanup::File(path))
            }
            Engine::Postgres => {
                let admin_url = postgres_url_or_skip()?;
                let admin = Db::connect(&admin_url).await.expect("connect to the PostgreSQL test server");
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(admin.pool())
                    .await
                    .expect("create test database");
                admin.close().await;
                (replace_database(&admin_url, &name), Cleanup::Database { admin_url, name })
            }
        };
        let db = Db::connect(&url).await.expect("open test database");
        db.migrate().await.expect("migrate test database");
        Some(TestDb { db, url, cleanup })
    }

    /// The database's URL, for a process of its own (the CLI tests).
    pub fn url(&self) -> &str {
        &self.url
    }
}

/// Makes every later insert into `table` for which `when` holds (a condition on `NEW`, in the SQL
/// both engines share) fail, as a crash or a broken constraint would: the way to test that a
/// write failing half-way leaves nothing behind.
pub async fn fail_inserts(db: &Db, table: &str, when: &str) {
    let name = format!("reti_fail_{}", uuid::Uuid::now_v7().simple());
    let statements = match db.engine() {
        Engine::Sqlite => vec![format!(
            "CREATE TRIGGER {name} BEFORE INSERT ON {table} WHEN {when} BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
        )],
        Engine::Postgres => vec![
            format!(
                "CREATE FUNCTION {name}() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql"
            ),
            format!(
                "CREATE TRIGGER {name} BEFORE INSERT ON {table} FOR EACH ROW WHEN ({when}) EXECUTE FUNCTION {name}()"
            ),
        ],
    };
    for statement in statements {
        sqlx::query(&statement).execute(db.pool()).await.expect("install the failing trigger");
    }
}

/// Makes every later transaction that inserts into `table` fail at its COMMIT, after all its
/// statements succeeded: each insert also adds a row breaking a deferred foreign key, which both
/// engines check only when committing. The way to test what a failed commit leaves behind.
pub async fn fail_commits(db: &Db, table: &str) {
    let name = format!("reti_commit_{}", uuid::Uuid::now_v7().simple());
    let mut statements = vec![
        format!("CREATE TABLE {name}_parent (id TEXT PRIMARY KEY)"),
        format!("CREATE TABLE {name} (parent TEXT REFERENCES {name}_parent(id) DEFERRABLE INITIALLY DEFERRED)"),
    ];
    statements.extend(match db.engine() {
        Engine::Sqlite => vec![format!(
            "CREATE TRIGGER {name} AFTER INSERT ON {table} BEGIN INSERT INTO {name} (parent) VALUES ('missing'); END"
        )],
        Engine::Postgres => vec![
            format!(
                "CREATE FUNCTION {name}() RETURNS trigger AS $$ BEGIN INSERT INTO {name} (parent) VALUES ('missing'); RETURN NEW; END $$ LANGUAGE plpgsql"
            ),
            format!("CREATE TRIGGER {name} AFTER INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()"),
        ],
    });
    for statement in statements {
        sqlx::query(&statement).execute(db.pool()).await.expect("install the failing commit");
    }
}

/// `postgres://host:port/test?x` → `postgres://host:port/NAME?x`
fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_part = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{host_part}/{name}?{query}"),
        None => format!("{host_part}/{name}"),
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::Database { admin_url, name } => {
                let (db, admin_url, name) = (self.db.clone(), admin_url.clone(), name.clone());
                // Drop runs inside the test's runtime, which cannot be blocked on: use a thread.
                let _ = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
                    runtime.block_on(async move {
                        db.close().await;
                        if let Ok(admin) = Db::connect(&admin_url).await {
                            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                                .execute(admin.pool())
                                .await;
                            admin.close().await;
                        }
                    });
                })
                .join();
            }
        }
    }
}

/// Runs a storage test body on SQLite and, when configured, on PostgreSQL: one test per engine.
#[macro_export]
macro_rules! engine_tests {
    ($(async fn $name:ident($db:ident: Db) $body:block)*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;
                async fn body($db: $crate::Db) $body

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let test = $crate::testing::TestDb::new($crate::Engine::Sqlite).await.expect("sqlite");
                    body(test.db.clone()).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    let Some(test) = $crate::testing::TestDb::new($crate::Engine::Postgres).await else { return };
                    body(test.db.clone()).await;
                }
            }
        )*
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_is_skipped_only_outside_ci() {
        let url = || Some("postgres://127.0.0.1:5432/test".to_owned());
        assert_eq!(postgres_url(url(), Some("true".into())), Ok(url()));
        assert_eq!(postgres_url(None, None), Ok(None));
        assert_eq!(postgres_url(None, Some("false".into())), Ok(None));
        assert_eq!(postgres_url(Some(" ".into()), None), Ok(None));
        for ci in ["true", "1"] {
            let refused = postgres_url(None, Some(ci.into())).unwrap_err();
            assert!(refused.contains(POSTGRES_URL_VAR), "{refused}");
        }
    }

    #[test]
    fn database_name_is_replaced() {
        assert_eq!(replace_database("postgres://127.0.0.1:5432/test", "x"), "postgres://127.0.0.1:5432/x");
        assert_eq!(replace_database("postgres://u@h/test?sslmode=disable", "x"), "postgres://u@h/x?sslmode=disable");
        assert_eq!(replace_database("postgres://h:5432", "x"), "postgres://h:5432/x");
    }
}
