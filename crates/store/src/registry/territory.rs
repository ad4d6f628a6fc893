//! Italian municipalities (ISTAT), kept in the database as reference data and refreshed from the
//! list shipped with the binary.

use super::{Conditions, contains_pattern};
use crate::{Db, Result};
use reti_domain::territory::Municipality;
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

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct MunicipalityRecord {
    pub istat_code: String,
    pub name: String,
    pub province: String,
    pub province_code: String,
    pub region: String,
    pub cadastral_code: String,
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

    async fn replace_municipalities(&self, list: &[Municipality]) -> Result<()> {
        let mut tx = self.begin().await?;
        for chunk in list.chunks(self.engine().rows_per_insert(7)) {
            let values: Vec<String> =
                (0..chunk.len()).map(|i| format!("({})", super::placeholders(i * 7 + 1, 7))).collect();
            let sql = format!(
                "INSERT INTO municipalities (istat_code, name, name_folded, province, province_code, region, cadastral_code)
                 VALUES {} ON CONFLICT (istat_code) DO UPDATE SET name = excluded.name, name_folded = excluded.name_folded,
                 province = excluded.province, province_code = excluded.province_code, region = excluded.region,
                 cadastral_code = excluded.cadastral_code",
                values.join(", ")
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
            query.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Municipalities whose name contains `query` (accents and case folded) or whose ISTAT code is
    /// `query`; names that start with it come first.
    pub async fn search_municipalities(
        &self,
        query: &str,
        region: Option<&str>,
        limit: i64,
    ) -> Result<Vec<MunicipalityRecord>> {
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
        let mut query = sqlx::query_as(&sql);
        for value in &conditions.binds {
            query = query.bind(value);
        }
        Ok(query.fetch_all(self.pool()).await?)
    }

    pub async fn municipality(&self, istat_code: &str) -> Result<Option<MunicipalityRecord>> {
        Ok(sqlx::query_as(
            "SELECT istat_code, name, province, province_code, region, cadastral_code FROM municipalities WHERE istat_code = $1",
        )
        .bind(istat_code)
        .fetch_optional(self.pool())
        .await?)
    }

    /// Every municipality, for resolving the names in an import in memory.
    pub async fn all_municipalities(&self) -> Result<Vec<MunicipalityRecord>> {
        Ok(sqlx::query_as(
            "SELECT istat_code, name, province, province_code, region, cadastral_code FROM municipalities",
        )
        .fetch_all(self.pool())
        .await?)
    }
}

/// Finds municipalities by what people type: an ISTAT code (with or without leading zeros) or a
/// name, optionally narrowed by the province's name or abbreviation.
pub struct MunicipalityIndex {
    by_code: std::collections::HashMap<String, MunicipalityRef>,
    by_name: std::collections::HashMap<String, Vec<(MunicipalityRef, String)>>,
}

/// Why a municipality could not be found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unresolved {
    Unknown,
    Ambiguous,
}

impl MunicipalityIndex {
    pub fn new(records: Vec<MunicipalityRecord>) -> MunicipalityIndex {
        let mut by_code = std::collections::HashMap::new();
        let mut by_name: std::collections::HashMap<String, Vec<(MunicipalityRef, String)>> =
            std::collections::HashMap::new();
        for record in records {
            let reference = MunicipalityRef {
                istat_code: record.istat_code.clone(),
                name: record.name.clone(),
                province_code: record.province_code.clone(),
            };
            by_name.entry(fold(&record.name)).or_default().push((reference.clone(), fold(&record.province)));
            by_code.insert(record.istat_code, reference);
        }
        MunicipalityIndex { by_code, by_name }
    }

    /// The ISTAT code of what was typed, or `None` with the problem recorded on `field`.
    pub fn resolve_into(
        &self,
        typed: &str,
        province: &str,
        errors: &mut reti_domain::FieldErrors,
        field: &'static str,
    ) -> Option<String> {
        match self.resolve(typed, province) {
            Ok(found) => Some(found.istat_code),
            Err(Unresolved::Unknown) => {
                errors.push(field, "error-municipality-unknown");
                None
            }
            Err(Unresolved::Ambiguous) => {
                errors.push(field, "error-municipality-ambiguous");
                None
            }
        }
    }

    pub fn resolve(&self, typed: &str, province: &str) -> Result<MunicipalityRef, Unresolved> {
        if let Some(code) = reti_domain::territory::normalise_istat_code(typed.trim()) {
            return self.by_code.get(&code).cloned().ok_or(Unresolved::Unknown);
        }
        let candidates = self.by_name.get(&fold(typed)).ok_or(Unresolved::Unknown)?;
        let province = fold(province);
        let matching: Vec<_> = candidates
            .iter()
            .filter(|(reference, province_name)| {
                province.is_empty() || *province_name == province || fold(&reference.province_code) == province
            })
            .collect();
        match matching.as_slice() {
            [(only, _)] => Ok(only.clone()),
            [] => Err(Unresolved::Unknown),
            _ => Err(Unresolved::Ambiguous),
        }
    }
}
