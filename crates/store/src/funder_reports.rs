//! The funder report (issue 12, decision 0045): a PDF of a programme's indicators over a period,
//! requested inside one write with its audit entry and its job ([`FUNDER_REPORT_KIND`]); the job's
//! progress, its file and its failure are the queue's own bookkeeping, as for the e-book's
//! editions. A report remembers the networks it was built for (those its requester saw), and is
//! shown and served only to someone who sees them all. Each is written in the language asked for
//! (Italian by default, or English; decision 0058).

use crate::audit::Change;
use crate::editions::VersionStatus;
use crate::indicators::IndicatorScope;
use crate::jobs::NewJob;
use crate::{Actor, Db, Result, StoreError, Timestamp, new_id};
use reti_domain::Locale;
use reti_domain::indicators::Period;
use serde_json::json;
use sqlx::Row;

/// The job that builds one report: payload `{"report_id": …}`.
pub const FUNDER_REPORT_KIND: &str = "funder_report_build";
/// Stored error texts are cut to this many characters.
const ERROR_LIMIT: usize = 2000;

/// A report as listed: everything but the file's bytes.
#[derive(Debug, Clone)]
pub struct FunderReport {
    pub id: String,
    pub programme_id: String,
    pub period: Period,
    /// The networks it covers; `None` for every network of the programme.
    pub network_ids: Option<Vec<String>>,
    /// The language it is written in (decision 0058).
    pub locale: Locale,
    pub status: VersionStatus,
    /// 0–100.
    pub progress: i64,
    pub error: Option<String>,
    pub requested_by_label: String,
    pub requested_at: String,
    pub built_at: Option<String>,
    pub file_name: Option<String>,
    pub size: Option<i64>,
    /// Hex.
    pub sha256: Option<String>,
}

impl FunderReport {
    /// The figures it prints: its programme, its networks.
    pub fn scope(&self) -> IndicatorScope {
        match &self.network_ids {
            Some(ids) => IndicatorScope::networks(&self.programme_id, ids.clone()),
            None => IndicatorScope::programme(&self.programme_id),
        }
    }

    /// Whether someone who sees `scope` sees everything the report prints.
    pub fn visible_in(&self, scope: &IndicatorScope) -> bool {
        if scope.programme_id != self.programme_id {
            return false;
        }
        match (&scope.network_ids, &self.network_ids) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(seen), Some(printed)) => printed.iter().all(|id| seen.contains(id)),
        }
    }
}

/// A built report's file.
#[derive(Debug, Clone)]
pub struct ReportFile {
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub sha256: String,
}

const COLUMNS: &str =
    "SELECT id, programme_id, period, network_ids, locale, status, progress, error, requested_by_label,
    requested_at, built_at, file_name, size, sha256 FROM funder_reports";

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} {value:?}"))
}

fn report_from_row(row: &sqlx::any::AnyRow) -> Result<FunderReport> {
    let status: String = row.try_get("status")?;
    let period: String = row.try_get("period")?;
    let network_ids: Option<String> = row.try_get("network_ids")?;
    let locale: String = row.try_get("locale")?;
    let network_ids = network_ids
        .map(|text| serde_json::from_str::<Vec<String>>(&text).map_err(|_| corrupt("report networks", &text)))
        .transpose()?;
    Ok(FunderReport {
        id: row.try_get("id")?,
        programme_id: row.try_get("programme_id")?,
        period: Period::parse("period", &period).map_err(|_| corrupt("report period", &period))?,
        network_ids,
        locale: Locale::ALL
            .into_iter()
            .find(|l| l.code() == locale)
            .ok_or_else(|| corrupt("report language", &locale))?,
        status: VersionStatus::parse(&status).ok_or_else(|| corrupt("report status", &status))?,
        progress: row.try_get("progress")?,
        error: row.try_get("error")?,
        requested_by_label: row.try_get("requested_by_label")?,
        requested_at: row.try_get("requested_at")?,
        built_at: row.try_get("built_at")?,
        file_name: row.try_get("file_name")?,
        size: row.try_get("size")?,
        sha256: row.try_get("sha256")?,
    })
}

impl Db {
    /// A new report of `scope` over `period` in `locale`, queued with its build job in the same
    /// write.
    pub async fn request_funder_report(
        &self,
        actor: &Actor,
        scope: &IndicatorScope,
        period: Period,
        locale: Locale,
    ) -> Result<FunderReport> {
        self.programme_details(&scope.programme_id).await?.ok_or(StoreError::NotFound)?;
        let id = new_id();
        let network_ids = scope.network_ids.as_ref().map(|ids| {
            let mut ids = ids.clone();
            ids.sort();
            ids.dedup();
            serde_json::to_string(&ids).expect("a list of strings serialises")
        });
        self.write(actor, async |w| {
            sqlx::query(
                "INSERT INTO funder_reports (id, programme_id, period, network_ids, locale, status, progress,
                     requested_by, requested_by_label, requested_at)
                 VALUES ($1, $2, $3, $4, $5, 'queued', 0, $6, $7, $8)",
            )
            .bind(&id)
            .bind(&scope.programme_id)
            .bind(period.to_string())
            .bind(network_ids.as_deref())
            .bind(locale.code())
            .bind(actor.user_id.as_deref())
            .bind(&actor.label)
            .bind(Timestamp::now().to_db())
            .execute(&mut *w.tx)
            .await?;
            let mut job = NewJob::new(FUNDER_REPORT_KIND, json!({"report_id": id}));
            job.max_attempts = 3;
            w.enqueue(&job).await?;
            w.audit(Change {
                action: "request",
                entity: "funder_report",
                entity_id: Some(&id),
                programme_id: Some(&scope.programme_id),
                before: None,
                after: Some(json!({"period": period.to_string(), "network_ids": network_ids, "locale": locale.code()})),
            })
            .await
        })
        .await?;
        self.funder_report(&id).await?.ok_or(StoreError::NotFound)
    }

    /// The reports of a programme, newest first.
    pub async fn funder_reports(&self, programme_id: &str) -> Result<Vec<FunderReport>> {
        let sql = format!("{COLUMNS} WHERE programme_id = $1 ORDER BY requested_at DESC, id DESC");
        let rows = sqlx::query(&sql).bind(programme_id).fetch_all(self.pool()).await?;
        rows.iter().map(report_from_row).collect()
    }

    pub async fn funder_report(&self, id: &str) -> Result<Option<FunderReport>> {
        let sql = format!("{COLUMNS} WHERE id = $1");
        let row = sqlx::query(&sql).bind(id).fetch_optional(self.pool()).await?;
        row.as_ref().map(report_from_row).transpose()
    }

    /// Records how far a build is (the worker's bookkeeping; no audit entry).
    pub async fn funder_report_progress(&self, id: &str, status: VersionStatus, progress: i64) -> Result<()> {
        self.system_write(async |b| {
            sqlx::query("UPDATE funder_reports SET status = $1, progress = $2, error = NULL WHERE id = $3")
                .bind(status.code())
                .bind(progress.clamp(0, 100))
                .bind(id)
                .execute(&mut *b.tx)
                .await?;
            Ok(())
        })
        .await
    }

    /// Stores the built file and marks the report done.
    pub async fn finish_funder_report(&self, id: &str, file: &ReportFile) -> Result<()> {
        self.system_write(async |b| {
            sqlx::query(
                "UPDATE funder_reports SET status = 'done', progress = 100, error = NULL, built_at = $1,
                     file_name = $2, size = $3, sha256 = $4, content = $5 WHERE id = $6",
            )
            .bind(Timestamp::now().to_db())
            .bind(&file.file_name)
            .bind(file.bytes.len() as i64)
            .bind(&file.sha256)
            .bind(file.bytes.clone())
            .bind(id)
            .execute(&mut *b.tx)
            .await?;
            Ok(())
        })
        .await
    }

    /// Marks a build failed, with why.
    pub async fn fail_funder_report(&self, id: &str, error: &str) -> Result<()> {
        let error: String = error.chars().take(ERROR_LIMIT).collect();
        self.system_write(async |b| {
            sqlx::query("UPDATE funder_reports SET status = 'failed', error = $1 WHERE id = $2")
                .bind(&error)
                .bind(id)
                .execute(&mut *b.tx)
                .await?;
            Ok(())
        })
        .await
    }

    /// The bytes of a done report.
    pub async fn funder_report_content(&self, id: &str) -> Result<Option<Vec<u8>>> {
        let content: Option<Option<Vec<u8>>> =
            sqlx::query_scalar("SELECT content FROM funder_reports WHERE id = $1 AND status = 'done'")
                .bind(id)
                .fetch_optional(self.pool())
                .await?;
        Ok(content.flatten())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(network_ids: Option<Vec<&str>>) -> FunderReport {
        FunderReport {
            id: "r".into(),
            programme_id: "p".into(),
            period: Period::Year(2026),
            network_ids: network_ids.map(|ids| ids.into_iter().map(str::to_owned).collect()),
            locale: Locale::It,
            status: VersionStatus::Done,
            progress: 100,
            error: None,
            requested_by_label: String::new(),
            requested_at: String::new(),
            built_at: None,
            file_name: None,
            size: None,
            sha256: None,
        }
    }

    #[test]
    fn a_report_is_visible_to_whoever_sees_all_it_prints() {
        let whole = IndicatorScope::programme("p");
        let two = IndicatorScope::networks("p", vec!["a".into(), "b".into()]);
        assert!(report(None).visible_in(&whole));
        assert!(!report(None).visible_in(&two), "the whole programme is more than two networks");
        assert!(report(Some(vec!["a"])).visible_in(&two));
        assert!(!report(Some(vec!["a", "c"])).visible_in(&two));
        assert!(!report(None).visible_in(&IndicatorScope::programme("q")), "another programme's");
    }
}
