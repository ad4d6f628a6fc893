//! `reti backup` and `reti restore`, run as an operator would, on SQLite and (when
//! `RETI_TEST_DATABASE_URL` is set) PostgreSQL: a round trip gives every table back row for row and
//! every attached file byte for byte, and a damaged backup changes nothing.

use reti_store::testing::TestDb;
use reti_store::{Actor, Db, Engine};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A data directory and its database: SQLite in the data directory, or a PostgreSQL database of
/// its own.
struct Target {
    data_dir: tempfile::TempDir,
    postgres: Option<TestDb>,
}

impl Target {
    async fn new(engine: Engine) -> Option<Target> {
        let postgres = match engine {
            Engine::Sqlite => None,
            Engine::Postgres => Some(TestDb::new(Engine::Postgres).await?),
        };
        let target = Target { data_dir: tempfile::tempdir().unwrap(), postgres };
        let migrate = target.reti(&["migrate"]);
        assert!(migrate.status.success(), "{}", text(&migrate.stderr));
        Some(target)
    }

    fn url(&self) -> String {
        match &self.postgres {
            Some(db) => db.url().to_owned(),
            None => format!("sqlite://{}", self.data_dir.path().join("reti.sqlite").display()),
        }
    }

    fn reti(&self, args: &[&str]) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_reti"));
        command.arg("--data-dir").arg(self.data_dir.path()).args(args).env_remove("RETI_DATABASE_URL");
        if let Some(db) = &self.postgres {
            command.arg("--database-url").arg(db.url());
        }
        command.output().unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let output = self.reti(args);
        assert!(output.status.success(), "reti {args:?}: {}", text(&output.stderr));
        text(&output.stdout)
    }

    /// The demo, and a practice image beside the demo labs' attachments.
    async fn fill(&self) {
        self.ok(&["demo"]);
        let image = self.data_dir.path().join("practice-images").join("p1");
        std::fs::create_dir_all(&image).unwrap();
        std::fs::write(image.join("i1"), (0..=255u8).cycle().take(70_000).collect::<Vec<u8>>()).unwrap();
    }

    async fn db(&self) -> Db {
        Db::connect(&self.url()).await.unwrap()
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every table, every row (every column, as text), sorted.
async fn dump(db: &Db) -> BTreeMap<String, Vec<String>> {
    let tables: Vec<String> = match db.engine() {
        Engine::Sqlite => sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"),
        Engine::Postgres => sqlx::query_scalar(
            "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename",
        ),
    }
    .fetch_all(db.pool())
    .await
    .unwrap();
    let mut dump = BTreeMap::new();
    for table in tables {
        let sql = match db.engine() {
            Engine::Sqlite => {
                let columns: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info($1)")
                    .bind(&table)
                    .fetch_all(db.pool())
                    .await
                    .unwrap();
                let row = columns.iter().map(|c| format!("quote(\"{c}\")")).collect::<Vec<_>>().join(" || '|' || ");
                format!("SELECT {row} FROM \"{table}\"")
            }
            Engine::Postgres => format!("SELECT row_to_json(t)::text FROM \"{table}\" t"),
        };
        let mut rows: Vec<String> = sqlx::query_scalar(&sql).fetch_all(db.pool()).await.unwrap();
        rows.sort();
        dump.insert(table, rows);
    }
    dump
}

/// Every file under the data directory's attachments and practice images, with its bytes.
fn files(data_dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.map(Result::unwrap) {
            if entry.file_type().unwrap().is_dir() {
                walk(root, &entry.path(), out);
            } else {
                out.insert(entry.path().strip_prefix(root).unwrap().to_owned(), std::fs::read(entry.path()).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    for root in ["attachments", "practice-images"] {
        walk(data_dir, &data_dir.join(root), &mut out);
    }
    out
}

async fn round_trip_gives_identical_data(engine: Engine) {
    let Some(source) = Target::new(engine).await else { return };
    source.fill().await;
    let backup = source.data_dir.path().join("reti.backup");
    let written = source.ok(&["backup", "--output", backup.to_str().unwrap()]);
    assert!(written.contains("backup written"), "{written}");

    let target = Target::new(engine).await.unwrap();
    let restored = target.ok(&["restore", backup.to_str().unwrap()]);
    assert!(restored.contains("restored"), "{restored}");

    let before = dump(&source.db().await).await;
    assert!(before["users"].len() > 5 && before["audit_log"].len() > 5, "the demo is in the source");
    let after = dump(&target.db().await).await;
    assert_eq!(before.keys().collect::<Vec<_>>(), after.keys().collect::<Vec<_>>(), "the same tables");
    for (table, rows) in &before {
        assert!(rows == &after[table], "table {table} differs after the round trip");
    }
    let attached = files(source.data_dir.path());
    assert!(attached.keys().any(|path| path.starts_with("attachments")), "the demo labs have attachments");
    assert!(attached.keys().any(|path| path.starts_with("practice-images")));
    assert_eq!(attached, files(target.data_dir.path()), "every file, byte for byte");

    // Now the target holds data: a second restore must be asked for.
    let refused = target.reti(&["restore", backup.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(text(&refused.stderr).contains("--force"), "{}", text(&refused.stderr));
    std::fs::write(target.data_dir.path().join("attachments").join("stray"), b"not in the backup").unwrap();
    target.ok(&["restore", "--force", backup.to_str().unwrap()]);
    assert_eq!(dump(&target.db().await).await, after);
    assert_eq!(attached, files(target.data_dir.path()), "the files are the backup's, nothing else");
}

/// Rewrites the backup `from` into `to`, passing each entry's bytes through `change`.
fn rewrite(from: &Path, to: &Path, change: impl Fn(&str, Vec<u8>) -> Vec<u8>) {
    use std::io::{Read, Write};
    let mut zip = zip::ZipArchive::new(std::fs::File::open(from).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    for index in 0..zip.len() {
        let mut entry = zip.by_index(index).unwrap();
        let name = entry.name().unwrap().into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        out.start_file(name.clone(), zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(&change(&name, bytes)).unwrap();
    }
    out.finish().unwrap();
}

async fn damaged_or_foreign_backups_change_nothing(engine: Engine) {
    let Some(source) = Target::new(engine).await else { return };
    source.fill().await;
    let dir = source.data_dir.path();
    let backup = dir.join("reti.backup");
    source.ok(&["backup", "--output", backup.to_str().unwrap()]);
    let bytes = std::fs::read(&backup).unwrap();

    let target = Target::new(engine).await.unwrap();
    target.fill().await;
    let before = (dump(&target.db().await).await, files(target.data_dir.path()));

    let truncated = dir.join("truncated");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let foreign = dir.join("foreign");
    std::fs::write(&foreign, b"name,email\nAnna,anna@example.org\n").unwrap();
    let flipped = dir.join("flipped");
    rewrite(&backup, &flipped, |name, mut bytes| {
        if name.starts_with("files/practice-images/") {
            bytes[1000] ^= 1;
        }
        bytes
    });
    let newer = dir.join("newer");
    rewrite(&backup, &newer, |name, bytes| {
        if name != "manifest.json" {
            return bytes;
        }
        let mut manifest: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        manifest["last_migration"] = 99_999.into();
        serde_json::to_vec(&manifest).unwrap()
    });
    let other_engine = dir.join("other-engine");
    rewrite(&backup, &other_engine, |name, bytes| {
        if name != "manifest.json" {
            return bytes;
        }
        let mut manifest: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        manifest["engine"] = if engine == Engine::Sqlite { "postgres" } else { "sqlite" }.into();
        serde_json::to_vec(&manifest).unwrap()
    });
    let cases = [
        (&truncated, "truncated"),
        (&foreign, "not a Reti backup"),
        (&flipped, "does not match its checksum"),
        (&newer, "newer schema"),
        (&other_engine, "restore it into a"),
    ];
    for (file, message) in cases {
        let output = target.reti(&["restore", "--force", file.to_str().unwrap()]);
        assert!(!output.status.success(), "{} restored", file.display());
        let stderr = text(&output.stderr);
        assert!(stderr.contains(message), "{}: {stderr}", file.display());
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    let after = (dump(&target.db().await).await, files(target.data_dir.path()));
    assert!(before == after, "a refused restore leaves the data as it was");
}

/// Accounts written one by one while the backup runs, each with its role and two audit entries in
/// one transaction: the backup holds whole transactions only.
async fn a_backup_taken_during_writes_is_consistent(engine: Engine) {
    let Some(source) = Target::new(engine).await else { return };
    source.fill().await;
    let db = source.db().await;
    let programme = db.programme_by_code("PROG-2463").await.unwrap().unwrap();
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let writer = tokio::spawn({
        let db = db.clone();
        async move {
            let actor = Actor { user_id: None, label: "writer".into(), ip: None };
            let mut written = 0;
            while !*stopped.borrow() || written < 5 {
                let new = reti_store::users::NewUser {
                    email: reti_domain::Email::parse(&format!("w{written}@writer.example")).unwrap(),
                    name: reti_domain::PersonName::parse(&format!("Writer {written}")).unwrap(),
                    password: None,
                    is_admin: false,
                };
                let roles = [(programme.id.clone(), reti_domain::Role::Facilitator)];
                db.create_user_with_roles(&actor, new, &roles).await.unwrap();
                written += 1;
            }
            written
        }
    });
    let backup = source.data_dir.path().join("reti.backup");
    let output = tokio::task::spawn_blocking({
        let (backup, data_dir, postgres) =
            (backup.clone(), source.data_dir.path().to_owned(), source.postgres.as_ref().map(|db| db.url().to_owned()));
        move || {
            let mut command = Command::new(env!("CARGO_BIN_EXE_reti"));
            command.arg("--data-dir").arg(data_dir).args(["backup", "--output"]).arg(backup);
            if let Some(url) = postgres {
                command.arg("--database-url").arg(url);
            }
            command.env_remove("RETI_DATABASE_URL").output().unwrap()
        }
    })
    .await
    .unwrap();
    stop.send(true).unwrap();
    let written = writer.await.unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));

    let target = Target::new(engine).await.unwrap();
    target.ok(&["restore", backup.to_str().unwrap()]);
    let restored = target.db().await;
    let count = async |sql: &str| -> i64 { sqlx::query_scalar(sql).fetch_one(restored.pool()).await.unwrap() };
    let users = count("SELECT COUNT(*) FROM users WHERE email LIKE '%@writer.example'").await;
    let roles = count(
        "SELECT COUNT(*) FROM role_assignments r JOIN users u ON u.id = r.user_id WHERE u.email LIKE '%@writer.example'",
    )
    .await;
    let audited_users = count("SELECT COUNT(*) FROM audit_log WHERE actor_label = 'writer' AND entity = 'user'").await;
    let audited_roles =
        count("SELECT COUNT(*) FROM audit_log WHERE actor_label = 'writer' AND entity = 'role_assignment'").await;
    assert!(users <= written as i64);
    assert_eq!((roles, audited_users, audited_roles), (users, users, users), "whole transactions only");
}

macro_rules! both_engines {
    ($($name:ident),*) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name(reti_store::Engine::Sqlite).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name(reti_store::Engine::Postgres).await;
                }
            }
        )*
    };
}

both_engines!(
    round_trip_gives_identical_data,
    damaged_or_foreign_backups_change_nothing,
    a_backup_taken_during_writes_is_consistent
);
