//! The demo's good practices (decision 0029): a catalogue of the networks' experiences on the
//! seed's themes, loaded through the import as `reti import practices` would, most of them
//! straight on the board and a few left as drafts for the workflow.

use reti_store::practices::PracticeFilter;
use reti_store::{Actor, Db, PageRequest};

pub const PUBLISHED: &[u8] = include_bytes!("../demo/practices.json");
pub const DRAFTS: &[u8] = include_bytes!("../demo/practices_drafts.json");

/// Loads the practices once: a database that has practices already is left alone.
pub async fn load(db: &Db, actor: &Actor) -> anyhow::Result<()> {
    if db.practices(&PracticeFilter::default(), PageRequest::new(Some(1), Some(1))).await?.total > 0 {
        return Ok(());
    }
    let tr = crate::translator();
    crate::practices::import_bytes(db, &tr, actor, PUBLISHED, true).await?;
    crate::practices::import_bytes(db, &tr, actor, DRAFTS, false).await?;
    Ok(())
}
