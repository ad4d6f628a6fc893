//! `reti backup` and `reti restore` (decision 0049): one zip file holding the database, the files
//! of the data directory that belong to the data, and a manifest with a SHA-256 per part.

use crate::config::Config;
use anyhow::{Context, anyhow, bail};
use reti_store::{Db, Engine};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use zip::write::{SimpleFileOptions, ZipWriter};
use zip::{CompressionMethod, ZipArchive};

const FORMAT: &str = "reti-backup";
const FORMAT_VERSION: u32 = 1;
const MANIFEST: &str = "manifest.json";
/// The SQLite database, as one file.
const SQLITE_PART: &str = "database/reti.sqlite";
/// The PostgreSQL tables, one file of JSON lines each (`database/TABLE.jsonl`).
const POSTGRES_DIR: &str = "database/";
/// The folders of the data directory that hold data: the attachments of meetings, exchanges, labs
/// and indicators' evidence, and practice images. The mail outbox and `reti.toml` are not data.
pub const FILE_ROOTS: [&str; 2] = ["attachments", "practice-images"];
const FILES_DIR: &str = "files/";
/// Rows per insert when loading a PostgreSQL table, and bytes: a batch ends at whichever comes
/// first.
const BATCH_ROWS: usize = 2000;
const BATCH_BYTES: usize = 4 << 20;

#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    format: String,
    format_version: u32,
    /// `sqlite` or `postgres`.
    engine: String,
    /// The newest migration applied to the database saved.
    last_migration: i64,
    reti_version: String,
    /// RFC 3339, UTC.
    created_at: String,
    parts: Vec<Part>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Part {
    path: String,
    bytes: u64,
    sha256: String,
}

fn engine_name(engine: Engine) -> &'static str {
    match engine {
        Engine::Sqlite => "sqlite",
        Engine::Postgres => "postgres",
    }
}

/// The file of a `sqlite:` URL.
fn sqlite_path(url: &str) -> anyhow::Result<PathBuf> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).context("not a sqlite: URL")?;
    Ok(PathBuf::from(rest.split('?').next().unwrap_or(rest)))
}

/// A part's path is ours: relative, `/`-separated, without `.` or `..`, under a known folder.
fn safe_part(path: &str) -> bool {
    let known = path == SQLITE_PART
        || (path.starts_with(POSTGRES_DIR) && path.ends_with(".jsonl") && path.matches('/').count() == 1)
        || FILE_ROOTS.iter().any(|root| path.starts_with(&format!("{FILES_DIR}{root}/")));
    known
        && path.split('/').all(|component| {
            !component.is_empty() && component != "." && component != ".." && !component.contains(['\\', '\0'])
        })
}

/// What a backup or a restore did, for the operator.
pub struct Summary {
    pub engine: &'static str,
    pub last_migration: i64,
    pub database_bytes: u64,
    pub files: usize,
    pub file_bytes: u64,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} database at migration {} ({} bytes), {} files ({} bytes)",
            self.engine, self.last_migration, self.database_bytes, self.files, self.file_bytes
        )
    }
}

/// The zip being written, and the SHA-256 of each part as it goes in.
struct Archive {
    zip: ZipWriter<BufWriter<File>>,
    parts: Vec<Part>,
    current: Option<(String, Sha256, u64)>,
}

impl Archive {
    fn create(path: &Path) -> anyhow::Result<Archive> {
        let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
        Ok(Archive {
            zip: ZipWriter::new(BufWriter::new(file)).set_auto_large_file(),
            parts: Vec::new(),
            current: None,
        })
    }

    fn options() -> SimpleFileOptions {
        SimpleFileOptions::default().compression_method(CompressionMethod::Deflated).large_file(true)
    }

    fn start(&mut self, path: &str) -> anyhow::Result<()> {
        self.zip.start_file(path, Self::options())?;
        self.current = Some((path.to_owned(), Sha256::new(), 0));
        Ok(())
    }

    fn write(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        let (_, hash, size) = self.current.as_mut().context("no part is being written")?;
        hash.update(bytes);
        *size += bytes.len() as u64;
        self.zip.write_all(bytes)?;
        Ok(())
    }

    fn end(&mut self) -> anyhow::Result<u64> {
        let (path, hash, bytes) = self.current.take().context("no part is being written")?;
        self.parts.push(Part { path, bytes, sha256: format!("{:x}", hash.finalize()) });
        Ok(bytes)
    }

    fn add_file(&mut self, path: &str, file: &Path) -> anyhow::Result<u64> {
        let mut input = File::open(file).with_context(|| format!("reading {}", file.display()))?;
        self.start(path)?;
        let mut buffer = vec![0; 1 << 16];
        loop {
            let read = input.read(&mut buffer).with_context(|| format!("reading {}", file.display()))?;
            if read == 0 {
                break;
            }
            self.write(&buffer[..read])?;
        }
        self.end()
    }

    /// Adds every file under `root` as `prefix/relative/path`; returns how many and their bytes.
    fn add_tree(&mut self, root: &Path, prefix: &str) -> anyhow::Result<(usize, u64)> {
        let mut found = Vec::new();
        list_files(root, prefix, &mut found)?;
        found.sort();
        let (mut files, mut bytes) = (0, 0);
        for (name, path) in found {
            if !safe_part(&name) {
                tracing::warn!(file = %path.display(), "a file whose name a backup cannot hold is left out");
                continue;
            }
            match self.add_file(&name, &path) {
                Ok(size) => {
                    files += 1;
                    bytes += size;
                }
                // Deleted after it was listed (an attachment removed meanwhile): its row is gone too.
                Err(error) if is_not_found(&error) => {}
                Err(error) => return Err(error),
            }
        }
        Ok((files, bytes))
    }

    fn finish(mut self, mut manifest: Manifest) -> anyhow::Result<()> {
        manifest.parts = std::mem::take(&mut self.parts);
        self.zip.start_file(MANIFEST, Self::options())?;
        serde_json::to_writer_pretty(&mut self.zip, &manifest)?;
        let mut out = self.zip.finish()?;
        out.flush()?;
        out.get_ref().sync_all()?;
        Ok(())
    }
}

fn is_not_found(error: &anyhow::Error) -> bool {
    error
        .chain()
        .any(|cause| cause.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound))
}

fn list_files(dir: &Path, prefix: &str, found: &mut Vec<(String, PathBuf)>) -> anyhow::Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(error).with_context(|| format!("reading {}", dir.display())),
    };
    for entry in entries {
        let entry = entry?;
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            tracing::warn!(file = %entry.path().display(), "a file whose name is not UTF-8 is left out");
            continue;
        };
        let kind = entry.file_type()?;
        if kind.is_dir() {
            list_files(&entry.path(), &format!("{prefix}/{name}"), found)?;
        } else if kind.is_file() {
            found.push((format!("{prefix}/{name}"), entry.path()));
        }
    }
    Ok(())
}

/// Writes the backup of the configured database and data directory to `output`. The database is
/// read as of one moment while `reti serve` goes on; the file appears only once complete.
pub async fn backup(config: &Config, output: &Path) -> anyhow::Result<Summary> {
    let url = config.database_url();
    let engine = Engine::from_url(&url)?;
    if engine == Engine::Sqlite {
        let path = sqlite_path(&url)?;
        if !path.exists() {
            bail!("there is no database at {}: nothing to back up", path.display());
        }
    }
    let dir = match output.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let staging = tempfile::Builder::new()
        .prefix(".reti-backup-")
        .tempdir_in(dir)
        .with_context(|| format!("writing in {}", dir.display()))?;
    let partial = staging.path().join("backup.zip");
    let mut archive = Archive::create(&partial)?;
    let db = Db::connect(&url).await.context("opening the database")?;
    let (last_migration, database_bytes) = match engine {
        Engine::Sqlite => {
            let last = db.applied_migration().await?;
            let copy = staging.path().join("reti.sqlite");
            db.vacuum_into(&copy).await.context("copying the database")?;
            let bytes = archive.add_file(SQLITE_PART, &copy)?;
            std::fs::remove_file(&copy)?;
            (last, bytes)
        }
        Engine::Postgres => {
            let mut snapshot = db.snapshot().await?;
            let last = snapshot.applied_migration().await?;
            let mut bytes = 0;
            for table in snapshot.tables().await? {
                archive.start(&format!("{POSTGRES_DIR}{table}.jsonl"))?;
                snapshot
                    .each_row(&table, |row| {
                        archive.write(row.as_bytes())?;
                        archive.write(b"\n")
                    })
                    .await
                    .with_context(|| format!("reading table {table}"))?;
                bytes += archive.end()?;
            }
            snapshot.finish().await?;
            (last, bytes)
        }
    };
    db.close().await;
    // After the database: a file deleted between the two is the rarer case than one added, and a
    // row then missing its file is what a deletion caught half-way leaves anyway.
    let (mut files, mut file_bytes) = (0, 0);
    for root in FILE_ROOTS {
        let (count, bytes) = archive.add_tree(&config.data_dir.join(root), &format!("{FILES_DIR}{root}"))?;
        files += count;
        file_bytes += bytes;
    }
    let created_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    archive.finish(Manifest {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        engine: engine_name(engine).into(),
        last_migration,
        reti_version: env!("CARGO_PKG_VERSION").into(),
        created_at,
        parts: Vec::new(),
    })?;
    std::fs::rename(&partial, output).with_context(|| format!("writing {}", output.display()))?;
    Ok(Summary { engine: engine_name(engine), last_migration, database_bytes, files, file_bytes })
}

type Zip = ZipArchive<BufReader<File>>;

/// Opens `input` and checks everything before anything is touched: the manifest, that this binary
/// can restore it into the configured engine, and every part's size and SHA-256.
fn open_backup(input: &Path, engine: Engine) -> anyhow::Result<(Zip, Manifest)> {
    let name = input.display();
    let file = File::open(input).with_context(|| format!("opening {name}"))?;
    let mut zip = ZipArchive::new(BufReader::new(file))
        .map_err(|error| anyhow!("{name} is not a Reti backup, or it is truncated ({error})"))?;
    let manifest: Manifest = {
        let entry = zip.by_name(MANIFEST).map_err(|_| anyhow!("{name} is not a Reti backup: it has no manifest"))?;
        serde_json::from_reader(entry.take(16 << 20))
            .map_err(|error| anyhow!("{name} is not a Reti backup: its manifest is unreadable ({error})"))?
    };
    if manifest.format != FORMAT {
        bail!("{name} is not a Reti backup");
    }
    if manifest.format_version > FORMAT_VERSION {
        bail!(
            "{name} was written by a newer Reti ({}, backup format {}): this one reads format {FORMAT_VERSION}",
            manifest.reti_version,
            manifest.format_version
        );
    }
    if manifest.engine != engine_name(engine) {
        bail!(
            "{name} holds a {} database and the configured database is {}: restore it into a {} database",
            manifest.engine,
            engine_name(engine),
            manifest.engine
        );
    }
    let latest = reti_store::backup::latest_migration(engine);
    if manifest.last_migration > latest {
        bail!(
            "{name} comes from a newer schema (migration {}) than this Reti knows (migration {latest}): upgrade Reti ({}) first",
            manifest.last_migration,
            manifest.reti_version
        );
    }
    let listed: std::collections::HashSet<&str> = manifest.parts.iter().map(|part| part.path.as_str()).collect();
    if listed.len() != manifest.parts.len() {
        bail!("{name} is damaged: its manifest lists a part twice");
    }
    let has_database = match engine {
        Engine::Sqlite => listed.contains(SQLITE_PART),
        Engine::Postgres => listed.contains("database/_sqlx_migrations.jsonl"),
    };
    if !has_database {
        bail!("{name} is damaged: it holds no database");
    }
    for index in 0..zip.len() {
        let entry = zip.name_for_index(index).and_then(Result::ok).context(format!("{name} is damaged"))?;
        if entry != MANIFEST && !listed.contains(&*entry) {
            bail!("{name} is damaged: it holds {entry}, which its manifest does not list");
        }
    }
    for part in &manifest.parts {
        if !safe_part(&part.path) {
            bail!("{name} is damaged: it names a file {} that Reti never writes", part.path);
        }
        let mut entry = zip.by_name(&part.path).map_err(|_| anyhow!("{name} is damaged: {} is missing", part.path))?;
        let mut hash = HashingWriter { hash: Sha256::new(), bytes: 0 };
        std::io::copy(&mut entry, &mut hash)
            .map_err(|error| anyhow!("{name} is damaged: {} cannot be read ({error})", part.path))?;
        if hash.bytes != part.bytes || format!("{:x}", hash.hash.finalize()) != part.sha256 {
            bail!("{name} is damaged: {} does not match its checksum", part.path);
        }
    }
    Ok((zip, manifest))
}

struct HashingWriter {
    hash: Sha256,
    bytes: u64,
}

impl Write for HashingWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.hash.update(bytes);
        self.bytes += bytes.len() as u64;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn extract(zip: &mut Zip, part: &str, to: &Path) -> anyhow::Result<()> {
    let mut entry = zip.by_name(part)?;
    let mut out = File::create(to).with_context(|| format!("writing {}", to.display()))?;
    std::io::copy(&mut entry, &mut out).with_context(|| format!("writing {}", to.display()))?;
    out.sync_all()?;
    Ok(())
}

/// Restores `input` into the configured database and data directory. Nothing changes until the
/// whole backup has been checked; a database holding data is replaced only with `force`. The new
/// database and files are prepared beside the old ones and put in their place at the end, so a
/// restore that fails leaves the old data as it was.
pub async fn restore(config: &Config, input: &Path, force: bool) -> anyhow::Result<Summary> {
    let url = config.database_url();
    let engine = Engine::from_url(&url)?;
    let (mut zip, manifest) = open_backup(input, engine)?;
    let holds_data = match engine {
        Engine::Sqlite => {
            let path = sqlite_path(&url)?;
            if path.exists() {
                let old = Db::connect(&format!("sqlite://{}?mode=rw", path.display())).await?;
                let holds = old.holds_data().await?;
                old.close().await;
                holds.then(|| path.display().to_string())
            } else {
                None
            }
        }
        Engine::Postgres => {
            let db = Db::connect(&url).await.context("opening the database")?;
            let holds = db.holds_data().await?;
            db.close().await;
            holds.then(|| "configured with --database-url".to_owned())
        }
    };
    if let Some(database) = holds_data
        && !force
    {
        bail!(
            "the database {database} holds data, and a restore replaces all of it: take a backup of it first, \
             then run the restore again with --force"
        );
    }

    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("creating the data directory {}", config.data_dir.display()))?;
    let staging = tempfile::Builder::new()
        .prefix(".reti-restore-")
        .tempdir_in(&config.data_dir)
        .with_context(|| format!("writing in {}", config.data_dir.display()))?;
    let (mut files, mut file_bytes, mut database_bytes) = (0, 0, 0);
    for part in &manifest.parts {
        if let Some(relative) = part.path.strip_prefix(FILES_DIR) {
            let to = staging.path().join(relative);
            std::fs::create_dir_all(to.parent().context("a file has a folder")?)?;
            extract(&mut zip, &part.path, &to)?;
            files += 1;
            file_bytes += part.bytes;
        } else {
            database_bytes += part.bytes;
        }
    }

    match engine {
        Engine::Sqlite => {
            let path = sqlite_path(&url)?;
            let dir = match path.parent() {
                Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
                _ => PathBuf::from("."),
            };
            std::fs::create_dir_all(&dir)?;
            let copy = tempfile::Builder::new()
                .prefix(".reti-restore-")
                .tempfile_in(&dir)
                .with_context(|| format!("writing in {}", dir.display()))?;
            extract(&mut zip, SQLITE_PART, copy.path())?;
            if path.exists() {
                // Everything the old database has in its write-ahead log goes into its file, so
                // that no log is left to be replayed onto the restored one.
                let old = Db::connect(&format!("sqlite://{}?mode=rw", path.display())).await?;
                old.checkpoint().await.context("checkpointing the old database")?;
                old.close().await;
            }
            swap_files(&config.data_dir, staging.path())?;
            copy.persist(&path).with_context(|| format!("replacing {}", path.display()))?;
            for suffix in ["-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
        }
        Engine::Postgres => {
            let db = Db::connect(&url).await.context("opening the database")?;
            let mut loader = db.replace_all(manifest.last_migration).await?;
            for part in manifest.parts.iter().filter(|part| part.path.starts_with(POSTGRES_DIR)) {
                let table = &part.path[POSTGRES_DIR.len()..part.path.len() - ".jsonl".len()];
                let lines = BufReader::new(zip.by_name(&part.path)?);
                let mut batch = String::new();
                let mut rows = 0;
                for line in lines.lines() {
                    let line = line?;
                    batch.push(if batch.is_empty() { '[' } else { ',' });
                    batch.push_str(&line);
                    rows += 1;
                    if rows == BATCH_ROWS || batch.len() >= BATCH_BYTES {
                        batch.push(']');
                        loader.insert(table, &batch).await.with_context(|| format!("loading table {table}"))?;
                        batch.clear();
                        rows = 0;
                    }
                }
                if !batch.is_empty() {
                    batch.push(']');
                    loader.insert(table, &batch).await.with_context(|| format!("loading table {table}"))?;
                }
            }
            loader.commit().await.context("loading the backup")?;
            db.close().await;
            swap_files(&config.data_dir, staging.path())?;
        }
    }
    // A backup of an older schema is brought up to this binary's.
    crate::open(config).await?.close().await;
    Ok(Summary {
        engine: engine_name(engine),
        last_migration: manifest.last_migration,
        database_bytes,
        files,
        file_bytes,
    })
}

/// Puts each restored folder in place of the old one, which goes into `staging` (removed with it).
fn swap_files(data_dir: &Path, staging: &Path) -> anyhow::Result<()> {
    let old = staging.join(".old");
    std::fs::create_dir_all(&old)?;
    for root in FILE_ROOTS {
        let current = data_dir.join(root);
        if current.exists() {
            std::fs::rename(&current, old.join(root)).with_context(|| format!("moving {}", current.display()))?;
        }
        let restored = staging.join(root);
        if restored.exists() {
            std::fs::rename(&restored, &current).with_context(|| format!("replacing {}", current.display()))?;
        }
    }
    Ok(())
}
