//! The belt and braces of attachments (of meetings, of exchanges, the evidence of custom
//! indicators' values) and practice images: files under `attachments/` or `practice-images/` that
//! no row records. An upload removes its file when its transaction fails (`Db::add_attachment`),
//! but a process killed between putting the file in place and the commit, or an upload's temporary
//! file left by a crash, would stay; `serve` sweeps them at start and every hour.

use reti_store::Db;
use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, SystemTime};

/// Files younger than this may belong to an upload in flight, whose row is not committed yet.
pub const ORPHAN_AGE: Duration = Duration::from_secs(3600);

/// Removes the files under `data_dir/attachments/*/` and `data_dir/practice-images/*/` older
/// than `older_than` whose name is no attachment's or image's id; returns how many.
pub async fn sweep_orphans(db: &Db, data_dir: &Path, older_than: Duration) -> anyhow::Result<usize> {
    let cutoff = SystemTime::now().checked_sub(older_than).unwrap_or(SystemTime::UNIX_EPOCH);
    let mut known = db.attachment_ids().await?;
    known.extend(db.exchange_attachment_ids().await?);
    let attachments = sweep_root(&data_dir.join("attachments"), &known, cutoff).await?;
    let images = sweep_root(&data_dir.join("practice-images"), &db.practice_image_ids().await?, cutoff).await?;
    Ok(attachments + images)
}

async fn sweep_root(root: &Path, known: &HashSet<String>, cutoff: SystemTime) -> anyhow::Result<usize> {
    if !tokio::fs::try_exists(root).await? {
        return Ok(0);
    }
    let mut removed = 0;
    let mut owners = tokio::fs::read_dir(root).await?;
    while let Some(owner) = owners.next_entry().await? {
        if !owner.file_type().await?.is_dir() {
            continue;
        }
        let mut files = tokio::fs::read_dir(owner.path()).await?;
        while let Some(file) = files.next_entry().await? {
            let metadata = file.metadata().await?;
            let recorded = file.file_name().to_str().is_some_and(|name| known.contains(name));
            if metadata.is_file() && !recorded && metadata.modified()? <= cutoff {
                tokio::fs::remove_file(file.path()).await?;
                removed += 1;
            }
        }
    }
    Ok(removed)
}
