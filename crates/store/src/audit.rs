//! The audit log: who changed what, when, with the state before and after. Entries are written
//! inside the transaction of the change they describe.

use crate::sql::{Conditions, contains_pattern, page_total};
use crate::{Actor, Db, Result, Timestamp, Tx, new_id};
use serde::Serialize;
use sqlx::FromRow;

/// One entry to record.
pub struct Change<'a> {
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<&'a str>,
    pub programme_id: Option<&'a str>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

pub async fn record(tx: &mut Tx, actor: &Actor, change: Change<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (id, at, actor_user_id, actor_label, programme_id, action, entity, entity_id, before_json, after_json, ip)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(new_id())
    .bind(Timestamp::now().to_db())
    .bind(actor.user_id.as_deref())
    .bind(&actor.label)
    .bind(change.programme_id)
    .bind(change.action)
    .bind(change.entity)
    .bind(change.entity_id)
    .bind(change.before.map(|v| v.to_string()))
    .bind(change.after.map(|v| v.to_string()))
    .bind(actor.ip.as_deref())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Entry {
    pub id: String,
    #[sqlx(try_from = "String")]
    pub at: Timestamp,
    pub actor_label: String,
    pub programme_id: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub ip: Option<String>,
}

/// Which entries to show. `programmes` limits the view to entries of those programmes (a
/// coordinator's); `None` shows everything (the platform administrator's view).
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub programmes: Option<Vec<String>>,
    pub actor: Option<String>,
    pub entity: Option<String>,
    pub action: Option<String>,
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
}

pub struct Page {
    pub entries: Vec<Entry>,
    /// The entries that match, counted up to [`COUNT_LIMIT`].
    pub total: i64,
    /// More than [`COUNT_LIMIT`] entries match; `total` is the limit.
    pub more: bool,
}

/// The log only grows, and counting every matching entry on every view would cost more each
/// month: past this many, the view says "more than" (decision 0037).
pub const COUNT_LIMIT: i64 = 10_000;

impl Db {
    /// Entries newest first, filtered, `limit` at a time from `offset`.
    pub async fn audit_entries(&self, filter: &Filter, limit: i64, offset: i64) -> Result<Page> {
        let mut conditions = Conditions::default();
        if let Some(programmes) = &filter.programmes {
            if programmes.is_empty() {
                return Ok(Page { entries: Vec::new(), total: 0, more: false });
            }
            let list = conditions.bind_all(programmes.iter().cloned());
            conditions.push(format!("programme_id IN ({list})"));
        }
        if let Some(actor) = filter.actor.as_deref().filter(|s| !s.is_empty()) {
            let pattern = conditions.bind(contains_pattern(&actor.to_lowercase()));
            conditions.push(format!("LOWER(actor_label) LIKE {pattern} ESCAPE '\\'"));
        }
        if let Some(entity) = filter.entity.as_deref().filter(|s| !s.is_empty()) {
            let entity = conditions.bind(entity);
            conditions.push(format!("entity = {entity}"));
        }
        if let Some(action) = filter.action.as_deref().filter(|s| !s.is_empty()) {
            let action = conditions.bind(action);
            conditions.push(format!("action = {action}"));
        }
        if let Some(since) = filter.since {
            let since = conditions.bind(since.to_db());
            conditions.push(format!("at >= {since}"));
        }
        if let Some(until) = filter.until {
            let until = conditions.bind(until.to_db());
            conditions.push(format!("at < {until}"));
        }
        let where_clause = conditions.where_clause();

        let from_where = format!("FROM audit_log{where_clause}");
        let count_sql = format!("SELECT COUNT(*) FROM (SELECT 1 {from_where} LIMIT {}) bounded", COUNT_LIMIT + 1);
        let list_sql = format!(
            "SELECT id, at, actor_label, programme_id, action, entity, entity_id, before_json, after_json, ip, ({count_sql}) AS total
             {from_where} ORDER BY at DESC, id DESC LIMIT {limit} OFFSET {offset}",
            limit = limit.clamp(1, 500),
            offset = offset.max(0),
        );
        let rows = conditions.query(&list_sql).fetch_all(self.pool()).await?;
        let total = page_total(self, &conditions, &rows, offset <= 0, &count_sql).await?;
        let entries = rows.iter().map(Entry::from_row).collect::<Result<Vec<_>, _>>()?;
        Ok(Page { entries, total: total.min(COUNT_LIMIT), more: total > COUNT_LIMIT })
    }

    /// The distinct entity kinds and actions present, for the filter form: one statement that
    /// walks the indexes on `entity` and `action` from one value to the next, so that it reads a
    /// few index entries per value rather than the whole log.
    pub async fn audit_vocabulary(&self) -> Result<(Vec<String>, Vec<String>)> {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "WITH RECURSIVE entities(value) AS (
                 SELECT MIN(entity) FROM audit_log
                 UNION ALL
                 SELECT (SELECT MIN(entity) FROM audit_log WHERE entity > value) FROM entities WHERE value IS NOT NULL
             ), actions(value) AS (
                 SELECT MIN(action) FROM audit_log
                 UNION ALL
                 SELECT (SELECT MIN(action) FROM audit_log WHERE action > value) FROM actions WHERE value IS NOT NULL
             )
             SELECT 'entity' AS kind, value FROM entities WHERE value IS NOT NULL
             UNION ALL
             SELECT 'action', value FROM actions WHERE value IS NOT NULL
             ORDER BY kind, value",
        )
        .fetch_all(self.pool())
        .await?;
        let (entities, actions): (Vec<_>, Vec<_>) = rows.into_iter().partition(|(kind, _)| kind == "entity");
        Ok((entities.into_iter().map(|(_, v)| v).collect(), actions.into_iter().map(|(_, v)| v).collect()))
    }
}

impl Db {
    /// Records an event that changes nothing else (a login, a logout) in its own transaction.
    pub async fn log_event(&self, actor: &Actor, change: Change<'_>) -> Result<()> {
        self.write(actor, async |w| w.audit(change).await).await
    }
}

/// Records many entries with few statements (imports write thousands at once). Callers with very
/// many entries hand them over a few thousand at a time, so that their JSON never all sits in
/// memory together.
pub async fn record_many(tx: &mut Tx, engine: crate::Engine, actor: &Actor, changes: Vec<Change<'_>>) -> Result<()> {
    const COLUMNS: usize = 11;
    let at = Timestamp::now().to_db();
    for chunk in changes.chunks(engine.rows_per_insert(COLUMNS)) {
        let rendered: Vec<(String, Option<String>, Option<String>)> = chunk
            .iter()
            .map(|c| (new_id(), c.before.as_ref().map(ToString::to_string), c.after.as_ref().map(ToString::to_string)))
            .collect();
        let sql = format!(
            "INSERT INTO audit_log (id, at, actor_user_id, actor_label, programme_id, action, entity, entity_id, before_json, after_json, ip)
             VALUES {}",
            engine.values_list(chunk.len(), COLUMNS)
        );
        let mut query = sqlx::query(&sql);
        for (change, (id, before, after)) in chunk.iter().zip(&rendered) {
            query = query
                .bind(id.as_str())
                .bind(at.as_str())
                .bind(actor.user_id.as_deref())
                .bind(actor.label.as_str())
                .bind(change.programme_id)
                .bind(change.action)
                .bind(change.entity)
                .bind(change.entity_id)
                .bind(before.as_deref())
                .bind(after.as_deref())
                .bind(actor.ip.as_deref());
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}
