//! The accompaniment diary (SPEC §4): facilitators' entries on the networks they accompany, and
//! the totals of hours per network, per facilitator and per month, summed in SQL.

use crate::audit::Change;
use crate::sql::{Conditions, Page, PageRequest, date_from_db, date_to_db};
use crate::{Actor, Db, Result, StoreError, Timestamp, new_id};
use reti_domain::diary::{DiaryEntryInput, DiaryKind};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, Clone, Serialize)]
pub struct DiaryEntry {
    pub id: String,
    pub network_id: String,
    pub network_name: String,
    pub programme_id: String,
    pub author_user_id: String,
    pub author_name: String,
    pub entry_date: time::Date,
    /// Hundredths of an hour.
    pub hundredths: i64,
    pub kind: DiaryKind,
    pub notes: String,
    pub growth_spaces: String,
    pub next_steps: String,
}

/// Which entries to read. Every filter that is set must hold; `None` does not filter.
#[derive(Debug, Clone, Default)]
pub struct DiaryFilter {
    pub network_ids: Option<Vec<String>>,
    pub programme_ids: Option<Vec<String>>,
    pub author_user_id: Option<String>,
}

impl DiaryFilter {
    pub fn network(network_id: &str) -> DiaryFilter {
        DiaryFilter { network_ids: Some(vec![network_id.to_owned()]), ..DiaryFilter::default() }
    }

    fn conditions(&self) -> Conditions {
        let mut conditions = Conditions::default();
        if let Some(ids) = &self.network_ids {
            if ids.is_empty() {
                conditions.push("1 = 0".into());
            } else {
                let list = conditions.bind_all(ids.iter().cloned());
                conditions.push(format!("d.network_id IN ({list})"));
            }
        }
        if let Some(ids) = &self.programme_ids {
            if ids.is_empty() {
                conditions.push("1 = 0".into());
            } else {
                let list = conditions.bind_all(ids.iter().cloned());
                conditions.push(format!("n.programme_id IN ({list})"));
            }
        }
        if let Some(author) = &self.author_user_id {
            let author = conditions.bind(author.clone());
            conditions.push(format!("d.author_user_id = {author}"));
        }
        conditions
    }
}

/// Hours summed under one key: a month (`YYYY-MM`), a facilitator or a network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HoursTotal {
    /// The month, the user id or the network id.
    pub key: String,
    /// The month again, or the facilitator's or network's name.
    pub label: String,
    pub hundredths: i64,
    pub entries: i64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct DiaryTotals {
    pub hundredths: i64,
    pub entries: i64,
    /// Newest month first.
    pub by_month: Vec<HoursTotal>,
    /// By name.
    pub by_facilitator: Vec<HoursTotal>,
    /// By name.
    pub by_network: Vec<HoursTotal>,
}

const FROM: &str =
    " FROM diary_entries d JOIN networks n ON n.id = d.network_id JOIN users u ON u.id = d.author_user_id";

fn entry_from_row(row: &AnyRow) -> Result<DiaryEntry> {
    let kind: String = row.try_get("kind")?;
    Ok(DiaryEntry {
        id: row.try_get("id")?,
        network_id: row.try_get("network_id")?,
        network_name: row.try_get("network_name")?,
        programme_id: row.try_get("programme_id")?,
        author_user_id: row.try_get("author_user_id")?,
        author_name: row.try_get("author_name")?,
        entry_date: date_from_db(Some(row.try_get("entry_date")?))?
            .ok_or_else(|| StoreError::Corrupt("diary date".into()))?,
        hundredths: row.try_get("hundredths")?,
        kind: DiaryKind::parse(&kind).map_err(|_| StoreError::Corrupt(format!("diary kind {kind:?}")))?,
        notes: row.try_get("notes")?,
        growth_spaces: row.try_get("growth_spaces")?,
        next_steps: row.try_get("next_steps")?,
    })
}

const COLUMNS: &str =
    "SELECT d.id, d.network_id, n.name AS network_name, n.programme_id, d.author_user_id, u.name AS author_name,
     d.entry_date, d.hundredths, d.kind, d.notes, d.growth_spaces, d.next_steps";

fn audit_value(input: &DiaryEntryInput) -> serde_json::Value {
    serde_json::json!({"entry_date": date_to_db(input.entry_date), "hundredths": input.hundredths, "kind": input.kind.code(),
        "notes": input.notes, "growth_spaces": input.growth_spaces, "next_steps": input.next_steps})
}

fn entry_value(entry: &DiaryEntry) -> serde_json::Value {
    serde_json::json!({"network_id": entry.network_id, "author_user_id": entry.author_user_id,
        "entry_date": date_to_db(entry.entry_date), "hundredths": entry.hundredths, "kind": entry.kind.code(),
        "notes": entry.notes, "growth_spaces": entry.growth_spaces, "next_steps": entry.next_steps})
}

impl Db {
    /// One page of entries, newest first.
    pub async fn diary_entries(&self, filter: &DiaryFilter, request: PageRequest) -> Result<Page<DiaryEntry>> {
        let conditions = filter.conditions();
        let where_clause = conditions.where_clause();
        let total: i64 =
            conditions.query_scalar(&format!("SELECT COUNT(*){FROM}{where_clause}")).fetch_one(self.pool()).await?;
        let sql = format!(
            "{COLUMNS}{FROM}{where_clause} ORDER BY d.entry_date DESC, d.created_at DESC{}",
            request.limit_offset()
        );
        let rows = conditions.query(&sql).fetch_all(self.pool()).await?;
        let items = rows.iter().map(entry_from_row).collect::<Result<Vec<_>>>()?;
        Ok(Page { items, page: request.page, per_page: request.per_page, total })
    }

    pub async fn diary_entry(&self, id: &str) -> Result<Option<DiaryEntry>> {
        let sql = format!("{COLUMNS}{FROM} WHERE d.id = $1");
        let row = sqlx::query(&sql).bind(id).fetch_optional(self.pool()).await?;
        row.as_ref().map(entry_from_row).transpose()
    }

    /// The hours of the entries `filter` selects, in all and per month, facilitator and network.
    pub async fn diary_totals(&self, filter: &DiaryFilter) -> Result<DiaryTotals> {
        let conditions = filter.conditions();
        let where_clause = conditions.where_clause();
        // SUM of a PostgreSQL BIGINT is NUMERIC: cast back so that both engines give an integer.
        let sum = "CAST(COALESCE(SUM(d.hundredths), 0) AS BIGINT) AS hundredths, COUNT(*) AS entries";
        let grouped = |key: &str, label: &str, order: &str| {
            format!(
                "SELECT {key} AS group_key, {label} AS group_label, {sum}{FROM}{where_clause} GROUP BY {key}, {label} ORDER BY {order}"
            )
        };
        let read = |rows: Vec<AnyRow>| -> Result<Vec<HoursTotal>> {
            rows.iter()
                .map(|row| {
                    Ok(HoursTotal {
                        key: row.try_get("group_key")?,
                        label: row.try_get("group_label")?,
                        hundredths: row.try_get("hundredths")?,
                        entries: row.try_get("entries")?,
                    })
                })
                .collect()
        };
        let month = "SUBSTR(d.entry_date, 1, 7)";
        let by_month =
            read(conditions.query(&grouped(month, month, &format!("{month} DESC"))).fetch_all(self.pool()).await?)?;
        let by_facilitator = read(
            conditions
                .query(&grouped("d.author_user_id", "u.name", "u.name, d.author_user_id"))
                .fetch_all(self.pool())
                .await?,
        )?;
        let by_network = read(
            conditions.query(&grouped("d.network_id", "n.name", "n.name, d.network_id")).fetch_all(self.pool()).await?,
        )?;
        let row = conditions.query(&format!("SELECT {sum}{FROM}{where_clause}")).fetch_one(self.pool()).await?;
        Ok(DiaryTotals {
            hundredths: row.try_get("hundredths")?,
            entries: row.try_get("entries")?,
            by_month,
            by_facilitator,
            by_network,
        })
    }

    pub async fn create_diary_entry(
        &self,
        actor: &Actor,
        network_id: &str,
        author_user_id: &str,
        input: &DiaryEntryInput,
    ) -> Result<DiaryEntry> {
        let programme_id = programme_of(self, network_id).await?;
        let id = new_id();
        let now = Timestamp::now().to_db();
        self.write(actor, async |w| {
            sqlx::query(
                "INSERT INTO diary_entries (id, network_id, author_user_id, entry_date, hundredths, kind, notes, growth_spaces, next_steps, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
            )
            .bind(&id)
            .bind(network_id)
            .bind(author_user_id)
            .bind(date_to_db(input.entry_date))
            .bind(input.hundredths)
            .bind(input.kind.code())
            .bind(&input.notes)
            .bind(&input.growth_spaces)
            .bind(&input.next_steps)
            .bind(&now)
            .execute(&mut *w.tx)
            .await?;
            w.audit(Change {
                action: "create",
                entity: "diary_entry",
                entity_id: Some(&id),
                programme_id: Some(&programme_id),
                before: None,
                after: Some(audit_value(input)),
            })
            .await
        })
        .await?;
        self.diary_entry(&id).await?.ok_or(StoreError::NotFound)
    }

    /// Changes an entry of `network_id` (an entry of another network is not found).
    pub async fn update_diary_entry(
        &self,
        actor: &Actor,
        network_id: &str,
        id: &str,
        input: &DiaryEntryInput,
    ) -> Result<DiaryEntry> {
        let before = self.diary_entry(id).await?.filter(|e| e.network_id == network_id).ok_or(StoreError::NotFound)?;
        self.write(actor, async |w| {
            sqlx::query(
                "UPDATE diary_entries SET entry_date = $1, hundredths = $2, kind = $3, notes = $4, growth_spaces = $5, next_steps = $6, updated_at = $7
                 WHERE id = $8 AND network_id = $9",
            )
            .bind(date_to_db(input.entry_date))
            .bind(input.hundredths)
            .bind(input.kind.code())
            .bind(&input.notes)
            .bind(&input.growth_spaces)
            .bind(&input.next_steps)
            .bind(Timestamp::now().to_db())
            .bind(id)
            .bind(network_id)
            .execute(&mut *w.tx)
            .await?;
            w.audit(Change {
                action: "update",
                entity: "diary_entry",
                entity_id: Some(id),
                programme_id: Some(&before.programme_id),
                before: Some(entry_value(&before)),
                after: Some(audit_value(input)),
            })
            .await
        })
        .await?;
        self.diary_entry(id).await?.ok_or(StoreError::NotFound)
    }

    pub async fn delete_diary_entry(&self, actor: &Actor, network_id: &str, id: &str) -> Result<()> {
        let before = self.diary_entry(id).await?.filter(|e| e.network_id == network_id).ok_or(StoreError::NotFound)?;
        self.write(actor, async |w| {
            sqlx::query("DELETE FROM diary_entries WHERE id = $1 AND network_id = $2")
                .bind(id)
                .bind(network_id)
                .execute(&mut *w.tx)
                .await?;
            w.audit(Change {
                action: "delete",
                entity: "diary_entry",
                entity_id: Some(id),
                programme_id: Some(&before.programme_id),
                before: Some(entry_value(&before)),
                after: None,
            })
            .await
        })
        .await
    }
}

impl Db {
    /// The accounts that accompany a network as facilitators, the earliest assigned first.
    pub async fn network_facilitators(&self, network_id: &str) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT user_id FROM network_assignments WHERE network_id = $1 AND role = $2 ORDER BY created_at, user_id",
        )
        .bind(network_id)
        .bind(reti_domain::Role::Facilitator.code())
        .fetch_all(self.pool())
        .await?)
    }
}

/// The programme of a network, for the audit entry; an unknown network is not found.
pub(crate) async fn programme_of(db: &Db, network_id: &str) -> Result<String> {
    sqlx::query_scalar("SELECT programme_id FROM networks WHERE id = $1")
        .bind(network_id)
        .fetch_optional(db.pool())
        .await?
        .ok_or(StoreError::NotFound)
}
