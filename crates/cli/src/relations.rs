//! `reti import relations FILE --network ID [--dry-run]`: a network's actor-map relations from CSV
//! or XLSX, with the rules of the page's import (decision 0030): bounded reader, every bad row named
//! by line and field, all or nothing.

use anyhow::{Context, bail};
use reti_domain::TableError;
use reti_store::{Actor, Db};
use reti_web::i18n::Translator;
use reti_web::pages::actor_map::{RelationsProblem, read_relations};
use std::collections::BTreeSet;
use std::path::Path;

pub async fn import(db: &Db, tr: &Translator, file: &Path, network_id: &str, dry_run: bool) -> anyhow::Result<()> {
    let refused =
        |error: TableError| anyhow::anyhow!("{}: {}", file.display(), reti_web::error::table_message(tr, &error));
    let size = std::fs::metadata(file).with_context(|| format!("reading {}", file.display()))?.len();
    if size > reti_domain::table::MAX_BYTES as u64 {
        return Err(refused(TableError::TooLarge { limit: reti_domain::table::MAX_BYTES as u64 }));
    }
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    if db.network(network_id).await?.is_none() {
        bail!("{}", tr.t_args("cli-map-no-network", &[("network", network_id.to_owned())]));
    }
    let relations = match read_relations(db, &bytes).await? {
        Ok(relations) => relations,
        Err(RelationsProblem::Table(error)) => return Err(refused(error)),
        Err(RelationsProblem::Rows(errors)) => {
            for error in &errors {
                let message = reti_web::error::field_message(tr, &error.field, error.code, &error.args);
                let line = tr.t_args(
                    "cli-import-error",
                    &[("line", error.line.to_string()), ("message", message), ("value", error.value.clone())],
                );
                eprintln!("{line}");
            }
            bail!(tr.t_count("import-refused", errors.len() as i64));
        }
    };
    let rows = relations.len().to_string();
    let (created, updated) = if dry_run {
        let map = db.actor_map(network_id).await?;
        let existing: BTreeSet<(&str, &str, reti_domain::actor_map::RelationKind)> =
            map.relations.iter().map(|r| (r.organisation_a.as_str(), r.organisation_b.as_str(), r.kind)).collect();
        let updated = relations
            .iter()
            .filter(|r| existing.contains(&(r.organisation_a.as_str(), r.organisation_b.as_str(), r.kind)))
            .count();
        (relations.len() - updated, updated)
    } else {
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let outcome = db.map_import_relations(&Actor::cli(), network_id, &relations, &name).await?;
        (outcome.created, outcome.updated)
    };
    let key = if dry_run { "cli-import-dry-run" } else { "cli-import-done" };
    println!(
        "{}",
        tr.t_args(key, &[("rows", rows), ("created", created.to_string()), ("updated", updated.to_string())])
    );
    Ok(())
}
