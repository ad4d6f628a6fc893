//! Small groups of a programme's networks (SPEC §3, decision 0024): what the optimiser needs of
//! each network (its action lines and maturity), and the groupings the coordination saves. A
//! saved grouping is checked again here (every network of the programme in exactly one group,
//! every group within its bounds) and its cost recomputed, so nothing else can store a wrong one.

use crate::audit::Change;
use crate::{Actor, Db, Page, PageRequest, Result, StoreError, Timestamp, new_id};
use reti_domain::groups::{self, Bounds, Candidate, Distances};
use reti_domain::{FieldError, FieldErrors, Maturity};
use serde::Serialize;
use sqlx::Row;
use std::collections::HashMap;

/// A network as the grouping sees it.
#[derive(Debug, Clone, Serialize)]
pub struct GroupingNetwork {
    pub id: String,
    pub name: String,
    /// Its action lines' ids, and their labels ("1. Scuola …") in the same order.
    pub line_ids: Vec<String>,
    pub lines: Vec<String>,
    pub maturity: f64,
}

impl GroupingNetwork {
    pub fn candidate(&self) -> Candidate {
        Candidate { id: self.id.clone(), action_lines: self.lines.clone(), maturity: self.maturity }
    }
}

/// A saved grouping with its groups, each a list of network ids.
#[derive(Debug, Clone, Serialize)]
pub struct Grouping {
    pub id: String,
    pub programme_id: String,
    pub name: String,
    pub min_size: i64,
    pub max_size: i64,
    /// The cost when it was saved.
    pub cost: f64,
    pub created_at: String,
    pub groups: Vec<SavedGroup>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SavedGroup {
    pub id: String,
    pub position: i64,
    pub network_ids: Vec<String>,
}

/// One line of the list of saved groupings.
#[derive(Debug, Clone, Serialize)]
pub struct GroupingLine {
    pub id: String,
    pub name: String,
    pub min_size: i64,
    pub max_size: i64,
    pub cost: f64,
    pub created_at: String,
    pub groups: i64,
}

/// What is saved: a name, the bounds the groups respect, and the groups of network ids.
#[derive(Debug, Clone)]
pub struct GroupingInput {
    pub name: String,
    pub bounds: Bounds,
    pub groups: Vec<Vec<String>>,
}

fn millionths(cost: f64) -> i64 {
    (cost * 1_000_000.0).round() as i64
}

impl Db {
    /// Each current network's maturity on the 0–100 scale of the grouping: its latest reading-tool
    /// index, or, before its first round with results, its declared maturity mapped to
    /// 15 / 50 / 85 (`reti_domain::groups::declared_maturity_score`).
    pub async fn network_maturities(&self, programme_id: &str) -> Result<HashMap<String, f64>> {
        let measured = self.latest_reading_index_by_network(programme_id).await?;
        let rows = sqlx::query("SELECT id, maturity FROM networks WHERE programme_id = $1 AND archived_at IS NULL")
            .bind(programme_id)
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|row| {
                let code: Option<String> = row.try_get("maturity")?;
                let declared = code.as_deref().map(Maturity::parse).transpose().ok().flatten();
                let id: String = row.try_get("id")?;
                let maturity = measured.get(&id).copied().unwrap_or_else(|| groups::declared_maturity_score(declared));
                Ok((id, maturity))
            })
            .collect()
    }

    /// The programme's current networks by name, with their action lines and maturity.
    pub async fn grouping_networks(&self, programme_id: &str) -> Result<Vec<GroupingNetwork>> {
        let maturities = self.network_maturities(programme_id).await?;
        let rows = sqlx::query(
            "SELECT n.id, n.name, a.id AS line_id, a.number, a.title FROM networks n
             LEFT JOIN network_action_lines l ON l.network_id = n.id
             LEFT JOIN action_lines a ON a.id = l.action_line_id
             WHERE n.programme_id = $1 AND n.archived_at IS NULL
             ORDER BY n.name_folded, n.id, a.number",
        )
        .bind(programme_id)
        .fetch_all(self.pool())
        .await?;
        let mut out: Vec<GroupingNetwork> = Vec::new();
        for row in &rows {
            let id: String = row.try_get("id")?;
            if out.last().is_none_or(|n| n.id != id) {
                let maturity = maturities.get(&id).copied().unwrap_or(50.0);
                out.push(GroupingNetwork {
                    id,
                    name: row.try_get("name")?,
                    line_ids: Vec::new(),
                    lines: Vec::new(),
                    maturity,
                });
            }
            let network = out.last_mut().expect("pushed above");
            if let Some(line_id) = row.try_get::<Option<String>, _>("line_id")? {
                let number: i64 = row.try_get("number")?;
                let title: String = row.try_get("title")?;
                network.line_ids.push(line_id);
                network.lines.push(format!("{number}. {title}"));
            }
        }
        Ok(out)
    }

    /// Saves the grouping of the programme's networks; refused, naming the field, when a
    /// network is missing, repeated or foreign, or a group is outside the bounds.
    pub async fn save_grouping(&self, actor: &Actor, programme_id: &str, input: &GroupingInput) -> Result<String> {
        let name = input.name.trim();
        if name.is_empty() {
            return Err(FieldErrors(vec![FieldError::new("name", "error-required")]).into());
        }
        if name.chars().count() > groups::MAX_NAME {
            return Err(FieldErrors(vec![FieldError::new("name", "error-too-long")]).into());
        }
        let networks = self.grouping_networks(programme_id).await?;
        let ids: Vec<&str> = networks.iter().map(|n| n.id.as_str()).collect();
        let indices = groups::assign(&ids, &input.groups, Some(input.bounds))
            .map_err(|error| StoreError::Invalid(FieldErrors(vec![error])))?;
        let candidates: Vec<Candidate> = networks.iter().map(GroupingNetwork::candidate).collect();
        let cost = Distances::new(&candidates).cost(&indices);
        let id = new_id();
        let now = Timestamp::now().to_db();
        self.write(actor, async |w| {
            sqlx::query(
                "INSERT INTO groupings (id, programme_id, name, min_size, max_size, cost_millionths, created_by_user_id, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&id)
            .bind(programme_id)
            .bind(name)
            .bind(input.bounds.min as i64)
            .bind(input.bounds.max as i64)
            .bind(millionths(cost))
            .bind(w.actor.user_id.as_deref())
            .bind(&now)
            .execute(&mut *w.tx)
            .await?;
            let mut saved = Vec::new();
            for (position, group) in indices.iter().enumerate() {
                let group_id = new_id();
                sqlx::query("INSERT INTO grouping_groups (id, grouping_id, position) VALUES ($1, $2, $3)")
                    .bind(&group_id)
                    .bind(&id)
                    .bind(position as i64 + 1)
                    .execute(&mut *w.tx)
                    .await?;
                for &i in group {
                    sqlx::query("INSERT INTO grouping_members (group_id, network_id) VALUES ($1, $2)")
                        .bind(&group_id)
                        .bind(ids[i])
                        .execute(&mut *w.tx)
                        .await?;
                }
                saved.push(group.iter().map(|&i| ids[i]).collect::<Vec<_>>());
            }
            w.audit(Change {
                action: "create",
                entity: "grouping",
                entity_id: Some(&id),
                programme_id: Some(programme_id),
                before: None,
                after: Some(serde_json::json!({"id": id, "name": name, "min_size": input.bounds.min,
                    "max_size": input.bounds.max, "cost": cost, "groups": saved})),
            })
            .await?;
            Ok::<_, StoreError>(())
        })
        .await?;
        Ok(id)
    }

    /// The programme's saved groupings, newest first.
    pub async fn groupings(&self, programme_id: &str, page: PageRequest) -> Result<Page<GroupingLine>> {
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM groupings WHERE programme_id = $1")
            .bind(programme_id)
            .fetch_one(self.pool())
            .await?;
        let rows = sqlx::query(&format!(
            "SELECT g.id, g.name, g.min_size, g.max_size, g.cost_millionths, g.created_at,
                    (SELECT COUNT(*) FROM grouping_groups x WHERE x.grouping_id = g.id) AS groups
             FROM groupings g WHERE g.programme_id = $1 ORDER BY g.created_at DESC, g.id DESC{}",
            page.limit_offset()
        ))
        .bind(programme_id)
        .fetch_all(self.pool())
        .await?;
        let items = rows
            .iter()
            .map(|row| {
                Ok(GroupingLine {
                    id: row.try_get("id")?,
                    name: row.try_get("name")?,
                    min_size: row.try_get("min_size")?,
                    max_size: row.try_get("max_size")?,
                    cost: row.try_get::<i64, _>("cost_millionths")? as f64 / 1_000_000.0,
                    created_at: row.try_get("created_at")?,
                    groups: row.try_get("groups")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Page { items, page: page.page, per_page: page.per_page, total })
    }

    /// A saved grouping of the programme, with its groups in order.
    pub async fn grouping(&self, programme_id: &str, id: &str) -> Result<Option<Grouping>> {
        let Some(row) = sqlx::query(
            "SELECT id, programme_id, name, min_size, max_size, cost_millionths, created_at FROM groupings
             WHERE id = $1 AND programme_id = $2",
        )
        .bind(id)
        .bind(programme_id)
        .fetch_optional(self.pool())
        .await?
        else {
            return Ok(None);
        };
        let members = sqlx::query(
            "SELECT g.id, g.position, m.network_id FROM grouping_groups g
             JOIN grouping_members m ON m.group_id = g.id
             JOIN networks n ON n.id = m.network_id
             WHERE g.grouping_id = $1 ORDER BY g.position, n.name_folded",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        let mut groups: Vec<SavedGroup> = Vec::new();
        for member in &members {
            let group_id: String = member.try_get("id")?;
            if groups.last().is_none_or(|g| g.id != group_id) {
                groups.push(SavedGroup {
                    id: group_id,
                    position: member.try_get("position")?,
                    network_ids: Vec::new(),
                });
            }
            groups.last_mut().expect("pushed above").network_ids.push(member.try_get("network_id")?);
        }
        Ok(Some(Grouping {
            id: row.try_get("id")?,
            programme_id: row.try_get("programme_id")?,
            name: row.try_get("name")?,
            min_size: row.try_get("min_size")?,
            max_size: row.try_get("max_size")?,
            cost: row.try_get::<i64, _>("cost_millionths")? as f64 / 1_000_000.0,
            created_at: row.try_get("created_at")?,
            groups,
        }))
    }

    /// Those of `ids` that are current networks of the programme, with their names, by name.
    pub async fn networks_named(&self, programme_id: &str, ids: &[String]) -> Result<Vec<(String, String)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "SELECT id, name FROM networks WHERE programme_id = $1 AND archived_at IS NULL AND id IN ({})
             ORDER BY name_folded",
            list.join(", ")
        );
        let mut query = sqlx::query_as(&sql).bind(programme_id);
        for id in ids {
            query = query.bind(id);
        }
        Ok(query.fetch_all(self.pool()).await?)
    }

    /// A saved group's programme and networks (for a meeting that invites the group).
    pub async fn grouping_group(&self, group_id: &str) -> Result<Option<(String, Vec<String>)>> {
        let rows = sqlx::query(
            "SELECT p.programme_id, m.network_id FROM grouping_groups g
             JOIN groupings p ON p.id = g.grouping_id
             JOIN grouping_members m ON m.group_id = g.id
             JOIN networks n ON n.id = m.network_id
             WHERE g.id = $1 ORDER BY n.name_folded",
        )
        .bind(group_id)
        .fetch_all(self.pool())
        .await?;
        let Some(first) = rows.first() else { return Ok(None) };
        let programme: String = first.try_get("programme_id")?;
        let networks = rows.iter().map(|row| row.try_get("network_id")).collect::<std::result::Result<_, _>>()?;
        Ok(Some((programme, networks)))
    }
}
