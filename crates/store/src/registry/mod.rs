//! The registry (SPEC §2): territory, organisations, people, networks, local projects, and the
//! all-or-nothing import of spreadsheets into them.

#[cfg(test)]
mod district_tests;
pub mod districts;
pub mod export;
pub mod import;
pub mod network_lists;
pub mod networks;
pub mod organisations;
pub mod people;
pub mod projects;
pub mod scope;
pub mod territory;
#[cfg(test)]
mod tests;

/// What the audit log records of an input the registry writes (its `after`).
pub(crate) trait AuditValue {
    fn audit_value(&self) -> serde_json::Value;
}

/// Archives (or restores) one row of a registry table, with its audit entry, in one transaction.
/// Archived records leave lists and pickers; their history stays. `table` is one of ours, never input.
pub(crate) async fn set_archived(
    db: &crate::Db,
    actor: &crate::Actor,
    table: &'static str,
    entity: &'static str,
    id: &str,
    programme_id: Option<&str>,
    archived: bool,
) -> crate::Result<()> {
    let now = crate::Timestamp::now().to_db();
    db.write(actor, async |w| {
        let sql = format!("UPDATE {table} SET archived_at = $1, updated_at = $2 WHERE id = $3");
        let changed = sqlx::query(&sql)
            .bind(archived.then(|| now.clone()))
            .bind(&now)
            .bind(id)
            .execute(&mut *w.tx)
            .await?
            .rows_affected();
        if changed == 0 {
            return Err(crate::StoreError::NotFound);
        }
        let action = if archived { "archive" } else { "restore" };
        w.audit(crate::audit::Change { action, entity, entity_id: Some(id), programme_id, before: None, after: None })
            .await
    })
    .await
}
