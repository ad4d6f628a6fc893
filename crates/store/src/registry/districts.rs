//! Social-planning districts (ambiti territoriali, SPEC §2): named sets of municipalities that
//! networks are read against. A municipality belongs to one district at a time, as Lombardy's
//! ambiti partition its comuni; districts come in by import (`reti import districts`).

use super::import::{ImportError, ImportResult, error, map_or_refuse};
use super::territory::MunicipalityRef;
use crate::audit::{self, Change};
use crate::sql::{Conditions, contains_pattern, placeholders};
use crate::{Actor, Db, Result, Timestamp, Tx, new_id};
use reti_domain::import::{self, RowError};
use reti_domain::table::Table;
use reti_domain::text::fold;
use serde::Serialize;
use sqlx::Row;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, Serialize)]
pub struct District {
    pub id: String,
    pub code: String,
    pub name: String,
    pub region: String,
    /// Sorted by name.
    pub municipalities: Vec<MunicipalityRef>,
}

/// A district as shown next to a network: without its municipalities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DistrictRef {
    pub id: String,
    pub code: String,
    pub name: String,
}

impl Db {
    /// Every district whose name or code contains `query` (all when empty), by name.
    pub async fn list_districts(&self, query: &str) -> Result<Vec<District>> {
        let mut conditions = Conditions::default();
        let query = query.trim();
        if !query.is_empty() {
            let name = conditions.bind(contains_pattern(&fold(query)));
            let code = conditions.bind(contains_pattern(&query.to_uppercase()));
            conditions.push(format!("(d.name_folded LIKE {name} ESCAPE '\\' OR d.code LIKE {code} ESCAPE '\\')"));
        }
        let sql = format!(
            "SELECT d.id, d.code, d.name, d.region FROM districts d{} ORDER BY d.name_folded, d.code",
            conditions.where_clause()
        );
        let rows = conditions.query(&sql).fetch_all(self.pool()).await?;
        let mut districts = rows
            .iter()
            .map(|row| {
                Ok(District {
                    id: row.try_get("id")?,
                    code: row.try_get("code")?,
                    name: row.try_get("name")?,
                    region: row.try_get("region")?,
                    municipalities: Vec::new(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let mut members: HashMap<String, Vec<MunicipalityRef>> = HashMap::new();
        for row in sqlx::query(
            "SELECT dm.district_id, m.istat_code, m.name, m.province_code FROM district_municipalities dm
             JOIN municipalities m ON m.istat_code = dm.istat_code ORDER BY m.name_folded",
        )
        .fetch_all(self.pool())
        .await?
        {
            members.entry(row.try_get("district_id")?).or_default().push(MunicipalityRef {
                istat_code: row.try_get("istat_code")?,
                name: row.try_get("name")?,
                province_code: row.try_get("province_code")?,
            });
        }
        for district in &mut districts {
            district.municipalities = members.remove(&district.id).unwrap_or_default();
        }
        Ok(districts)
    }

    /// Every district, without its municipalities, by name: for pickers.
    pub async fn district_choices(&self) -> Result<Vec<DistrictRef>> {
        let rows = sqlx::query("SELECT id, code, name FROM districts ORDER BY name_folded, code")
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|row| {
                Ok(DistrictRef { id: row.try_get("id")?, code: row.try_get("code")?, name: row.try_get("name")? })
            })
            .collect()
    }
}

impl Db {
    /// Imports districts, one row per municipality (see [`reti_domain::import::parse_districts`]).
    /// Each district in the file gets exactly the municipalities the file lists for it. A
    /// municipality of another district that the file does not list is refused, not moved: it
    /// belongs to one district at a time, so a move names both districts.
    pub(super) async fn import_districts(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        table: &Table,
        result: &mut ImportResult,
    ) -> std::result::Result<(), ImportError> {
        let Some(map) = map_or_refuse(&table.headers, import::DISTRICT_COLUMNS, result) else { return Ok(()) };
        let (rows, errors) = import::parse_districts(table, &map);
        result.errors.extend(errors);
        let territory = self.territory().await?;
        let existing: HashMap<String, String> = sqlx::query_as::<_, (String, String)>("SELECT code, id FROM districts")
            .fetch_all(&mut **tx)
            .await?
            .into_iter()
            .collect();
        let current: HashMap<String, String> = sqlx::query_as::<_, (String, String)>(
            "SELECT dm.istat_code, d.code FROM district_municipalities dm JOIN districts d ON d.id = dm.district_id",
        )
        .fetch_all(&mut **tx)
        .await?
        .into_iter()
        .collect();
        let codes_in_file: HashSet<&str> = rows.iter().map(|r| r.code.as_str()).collect();
        // code -> (name, region, municipalities), in the order of the file.
        let mut planned: Vec<(String, String, String, Vec<String>)> = Vec::new();
        let mut first_line: HashMap<String, usize> = HashMap::new();
        for row in &rows {
            let municipality = match territory.resolve(&row.municipality, &row.province) {
                Ok(found) => found,
                Err(problem) => {
                    result.errors.push(error(row.line, "municipality", problem.code, &row.municipality));
                    continue;
                }
            };
            if let Some(first) = first_line.get(&municipality.istat_code) {
                result.errors.push(RowError::repeated(
                    row.line,
                    "municipality",
                    "error-duplicate-in-file",
                    &row.municipality,
                    *first,
                ));
                continue;
            }
            first_line.insert(municipality.istat_code.clone(), row.line);
            if let Some(other) = current.get(&municipality.istat_code)
                && !codes_in_file.contains(other.as_str())
            {
                let value = format!("{} ({other})", row.municipality);
                result.errors.push(error(row.line, "municipality", "error-district-municipality-taken", &value));
                continue;
            }
            match planned.iter_mut().find(|(code, ..)| *code == row.code) {
                Some((.., members)) => members.push(municipality.istat_code.clone()),
                None => planned.push((
                    row.code.clone(),
                    row.name.clone(),
                    municipality.region.clone(),
                    vec![municipality.istat_code.clone()],
                )),
            }
        }
        if !result.errors.is_empty() {
            return Ok(());
        }
        let now = Timestamp::now().to_db();
        let mut ids = Vec::with_capacity(planned.len());
        for (code, name, region, members) in &planned {
            let (id, action) = match existing.get(code) {
                Some(id) => {
                    sqlx::query(
                        "UPDATE districts SET name = $1, name_folded = $2, region = $3, updated_at = $4 WHERE id = $5",
                    )
                    .bind(name)
                    .bind(fold(name))
                    .bind(region)
                    .bind(&now)
                    .bind(id)
                    .execute(&mut **tx)
                    .await?;
                    result.updated += 1;
                    (id.clone(), "update")
                }
                None => {
                    let id = new_id();
                    sqlx::query(
                        "INSERT INTO districts (id, code, name, name_folded, region, created_at, updated_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $6)",
                    )
                    .bind(&id)
                    .bind(code)
                    .bind(name)
                    .bind(fold(name))
                    .bind(region)
                    .bind(&now)
                    .execute(&mut **tx)
                    .await?;
                    result.created += 1;
                    (id, "create")
                }
            };
            sqlx::query("DELETE FROM district_municipalities WHERE district_id = $1")
                .bind(&id)
                .execute(&mut **tx)
                .await?;
            let after = serde_json::json!({"code": code, "name": name, "region": region, "municipalities": members});
            audit::record(
                tx,
                actor,
                Change {
                    action,
                    entity: "district",
                    entity_id: Some(&id),
                    programme_id: None,
                    before: None,
                    after: Some(after),
                },
            )
            .await?;
            ids.push(id);
        }
        // Deleted for every district of the file before any insert: a municipality may move
        // between two districts of the same file.
        for ((.., members), id) in planned.iter().zip(&ids) {
            for chunk in members.chunks(self.engine().rows_per_insert(2)) {
                let values: Vec<String> =
                    (0..chunk.len()).map(|i| format!("({})", placeholders(i * 2 + 1, 2))).collect();
                let sql = format!(
                    "INSERT INTO district_municipalities (istat_code, district_id) VALUES {}",
                    values.join(", ")
                );
                let mut query = sqlx::query(&sql);
                for istat_code in chunk {
                    query = query.bind(istat_code).bind(id);
                }
                query.execute(&mut **tx).await?;
            }
        }
        Ok(())
    }
}
