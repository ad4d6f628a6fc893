//! The audit log: who changed what, when, with the state before and after. Entries are written
//! inside the transaction of the change they describe.

use crate::sql::{Conditions, contains_pattern, read_json_page};
use crate::{Actor, Db, Result, Timestamp, Tx, new_id};
use serde::{Deserialize, Serialize};
use sqlx::Row;

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

#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow)]
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
pub const COUNT_LIMIT: i64 = 1_000;

/// The audit view: a page of entries, and the entity kinds and actions present for its filter form.
pub struct View {
    pub page: Page,
    pub entities: Vec<String>,
    pub actions: Vec<String>,
}

/// The statement parts of a page of entries: its conditions, the page as one JSON array
/// (`Engine::json_page_items`) and the bounded count, with the same placeholders.
struct EntriesSql {
    conditions: Conditions,
    items: String,
    count_sql: String,
}

impl Db {
    /// Entries newest first, filtered, `limit` at a time from `offset`.
    pub async fn audit_entries(&self, filter: &Filter, limit: i64, offset: i64) -> Result<Page> {
        let Some(sql) = self.entries_sql(filter, limit, offset) else { return Ok(Page::empty()) };
        let (entries, total) = read_json_page(self, &sql.conditions, &sql.items, &sql.count_sql).await?;
        Ok(Page::bounded(entries, total))
    }

    /// The page of [`Db::audit_entries`] and the vocabulary of [`Db::audit_vocabulary`] in one
    /// statement, as the audit view shows them.
    pub async fn audit_view(&self, filter: &Filter, limit: i64, offset: i64) -> Result<View> {
        let Some(sql) = self.entries_sql(filter, limit, offset) else {
            let (entities, actions) = self.audit_vocabulary().await?;
            return Ok(View { page: Page::empty(), entities, actions });
        };
        let statement = format!(
            "SELECT {} AS items, ({}) AS total, {} AS entities, {} AS actions",
            sql.items,
            sql.count_sql,
            distinct_values(self.engine(), "entity"),
            distinct_values(self.engine(), "action"),
        );
        let row = sql.conditions.query(&statement).fetch_one(self.pool()).await?;
        let json = |column: &str| -> Result<String> { Ok(row.try_get(column)?) };
        let entries = parse_json(&json("items")?, "entries")?;
        Ok(View {
            page: Page::bounded(entries, row.try_get("total")?),
            entities: parse_json(&json("entities")?, "entities")?,
            actions: parse_json(&json("actions")?, "actions")?,
        })
    }

    fn entries_sql(&self, filter: &Filter, limit: i64, offset: i64) -> Option<EntriesSql> {
        let mut conditions = Conditions::default();
        if let Some(programmes) = &filter.programmes {
            if programmes.is_empty() {
                return None;
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
        let from_where = format!("FROM audit_log{}", conditions.where_clause());
        let count_sql = format!("SELECT COUNT(*) FROM (SELECT 1 {from_where} LIMIT {}) bounded", COUNT_LIMIT + 1);
        let engine = self.engine();
        let item = engine.json_page_item(
            &[
                "id",
                "at",
                "actor_label",
                "programme_id",
                "action",
                "entity",
                "entity_id",
                "before_json",
                "after_json",
                "ip",
            ],
            &[],
        );
        let list = format!(
            "SELECT id, at, actor_label, programme_id, action, entity, entity_id, before_json, after_json, ip
             {from_where} ORDER BY at DESC, id DESC LIMIT {limit} OFFSET {offset}",
            limit = limit.clamp(1, 500),
            offset = offset.max(0),
        );
        let items = engine.json_page_items(&item, "page.at DESC, page.id DESC", &list);
        Some(EntriesSql { conditions, items, count_sql })
    }

    /// The distinct entity kinds and actions present, for the filter form.
    pub async fn audit_vocabulary(&self) -> Result<(Vec<String>, Vec<String>)> {
        let statement = format!(
            "SELECT {} AS entities, {} AS actions",
            distinct_values(self.engine(), "entity"),
            distinct_values(self.engine(), "action")
        );
        let (entities, actions): (String, String) = sqlx::query_as(&statement).fetch_one(self.pool()).await?;
        Ok((parse_json(&entities, "entities")?, parse_json(&actions, "actions")?))
    }
}

impl Page {
    fn empty() -> Page {
        Page { entries: Vec::new(), total: 0, more: false }
    }

    /// A page whose count stopped past [`COUNT_LIMIT`].
    fn bounded(entries: Vec<Entry>, counted: i64) -> Page {
        Page { entries, total: counted.min(COUNT_LIMIT), more: counted > COUNT_LIMIT }
    }
}

/// The distinct values of the log's `column` (`entity` or `action`), in order, as a JSON array in
/// text: a recursive walk of the column's index from one value to the next, so that it reads a few
/// index entries per value rather than the whole log, which grows with every change.
fn distinct_values(engine: crate::Engine, column: &str) -> String {
    let walk = format!(
        "WITH RECURSIVE walk(value) AS (
             SELECT MIN({column}) FROM audit_log
             UNION ALL
             SELECT (SELECT MIN({column}) FROM audit_log WHERE {column} > value) FROM walk WHERE value IS NOT NULL
         )
         SELECT value FROM walk WHERE value IS NOT NULL"
    );
    match engine {
        crate::Engine::Sqlite => format!("(SELECT json_group_array(value ORDER BY value) FROM ({walk}) present)"),
        crate::Engine::Postgres => {
            format!("(SELECT COALESCE(CAST(json_agg(value ORDER BY value) AS TEXT), '[]') FROM ({walk}) present)")
        }
    }
}

fn parse_json<T: serde::de::DeserializeOwned>(json: &str, what: &str) -> Result<T> {
    serde_json::from_str(json).map_err(|e| crate::StoreError::Corrupt(format!("audit {what} as JSON: {e}")))
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
