//! Italian municipalities (ISTAT), kept in the database as reference data and refreshed from the
//! list shipped with the binary.

use crate::sql::{Conditions, contains_pattern};
use crate::{Db, Result};
use reti_domain::territory::{Municipality, Territory};
use reti_domain::text::fold;
use serde::Serialize;

/// The ISTAT list the binary ships (`data/istat-elenco-comuni.csv`, ISTAT's own format).
pub static ISTAT_LIST: &[u8] = include_bytes!("../../../../data/istat-elenco-comuni.csv");

/// A municipality as shown next to other records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct MunicipalityRef {
    pub istat_code: String,
    pub name: String,
    pub province_code: String,
}

impl Db {
    /// Loads the shipped ISTAT list when the table does not hold it yet (first start, or a newer
    /// list in a newer binary). Returns how many municipalities were written.
    pub async fn sync_municipalities(&self) -> Result<usize> {
        let list = reti_domain::territory::parse_istat(ISTAT_LIST)
            .map_err(|e| crate::StoreError::Corrupt(format!("shipped ISTAT list: {e}")))?;
        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM municipalities").fetch_one(self.pool()).await?;
        if stored == list.len() as i64 {
            return Ok(0);
        }
        self.replace_municipalities(&list).await?;
        Ok(list.len())
    }

    /// Writes the shipped list: reference data, nobody's change, so no audit entry.
    async fn replace_municipalities(&self, list: &[Municipality]) -> Result<()> {
        let engine = self.engine();
        self.system_write(async |b| {
            for chunk in list.chunks(engine.rows_per_insert(7)) {
                let sql = format!(
                    "INSERT INTO municipalities (istat_code, name, name_folded, province, province_code, region, cadastral_code)
                     VALUES {} ON CONFLICT (istat_code) DO UPDATE SET name = excluded.name, name_folded = excluded.name_folded,
                     province = excluded.province, province_code = excluded.province_code, region = excluded.region,
                     cadastral_code = excluded.cadastral_code",
                    engine.values_list(chunk.len(), 7)
                );
                let mut query = sqlx::query(&sql);
                for m in chunk {
                    query = query
                        .bind(&m.istat_code)
                        .bind(&m.name)
                        .bind(fold(&m.name))
                        .bind(&m.province)
                        .bind(&m.province_code)
                        .bind(&m.region)
                        .bind(&m.cadastral_code);
                }
                query.execute(&mut *b.tx).await?;
            }
            Ok(())
        })
        .await
    }

    /// Municipalities whose name contains `query` (accents and case folded) or whose ISTAT code is
    /// `query`; names that start with it come first.
    pub async fn search_municipalities(
        &self,
        query: &str,
        region: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Municipality>> {
        let folded = fold(query);
        let mut conditions = Conditions::default();
        let code = reti_domain::territory::normalise_istat_code(query.trim());
        let name_match = conditions.bind(contains_pattern(&folded));
        match code {
            Some(code) => {
                let code = conditions.bind(code);
                conditions.push(format!("(name_folded LIKE {name_match} ESCAPE '\\' OR istat_code = {code})"));
            }
            None => conditions.push(format!("name_folded LIKE {name_match} ESCAPE '\\'")),
        }
        if let Some(region) = region {
            let region = conditions.bind(region);
            conditions.push(format!("region = {region}"));
        }
        let prefix = conditions.bind(format!("{}%", folded.replace(['%', '_', '\\'], "")));
        let sql = format!(
            "SELECT istat_code, name, province, province_code, region, cadastral_code FROM municipalities{}
             ORDER BY CASE WHEN name_folded LIKE {prefix} THEN 0 ELSE 1 END, name_folded LIMIT {}",
            conditions.where_clause(),
            limit.clamp(1, 200)
        );
        let rows = conditions.query(&sql).fetch_all(self.pool()).await?;
        rows.iter().map(municipality_from_row).collect()
    }

    /// Every municipality, indexed to resolve what people type (names, codes) in memory.
    pub async fn territory(&self) -> Result<Territory> {
        let rows =
            sqlx::query("SELECT istat_code, name, province, province_code, region, cadastral_code FROM municipalities")
                .fetch_all(self.pool())
                .await?;
        Ok(Territory::new(rows.iter().map(municipality_from_row).collect::<Result<_>>()?))
    }
}

fn municipality_from_row(row: &sqlx::any::AnyRow) -> Result<Municipality> {
    use sqlx::Row;
    Ok(Municipality {
        istat_code: row.try_get("istat_code")?,
        name: row.try_get("name")?,
        province: row.try_get("province")?,
        province_code: row.try_get("province_code")?,
        region: row.try_get("region")?,
        cadastral_code: row.try_get("cadastral_code")?,
    })
}
