//! The belt and braces of attachments (of meetings and of exchanges): files under `attachments/`
//! that no row records. An upload
//! removes its file when its transaction fails (`Db::add_attachment`), but a process killed
//! between putting the file in place and the commit, or an upload's temporary file left by a
//! crash, would stay; `serve` sweeps them at start and every hour.

use reti_store::Db;
use std::path::Path;
use std::time::{Duration, SystemTime};

/// Files younger than this may belong to an upload in flight, whose row is not committed yet.
pub const ORPHAN_AGE: Duration = Duration::from_secs(3600);

/// Removes the files under `data_dir/attachments/*/` older than `older_than` whose name is no
/// attachment's id; returns how many.
pub async fn sweep_orphans(db: &Db, data_dir: &Path, older_than: Duration) -> anyhow::Result<usize> {
    let root = data_dir.join("attachments");
    if !tokio::fs::try_exists(&root).await? {
        return Ok(0);
    }
    let mut known = db.attachment_ids().await?;
    known.extend(db.exchange_attachment_ids().await?);
    let cutoff = SystemTime::now().checked_sub(older_than).unwrap_or(SystemTime::UNIX_EPOCH);
    let mut removed = 0;
    let mut meetings = tokio::fs::read_dir(&root).await?;
    while let Some(meeting) = meetings.next_entry().await? {
        if !meeting.file_type().await?.is_dir() {
            continue;
        }
        let mut files = tokio::fs::read_dir(meeting.path()).await?;
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
