//! The funder report on the programme's dashboard (decision 0045): the button that asks for one
//! over the dashboard's period in the language chosen (decision 0058), the reports built so far with their progress or why they failed,
//! and the download, served only to someone who sees every network the report prints.

use super::editions::{failure, file_size, local_time};
use super::set_flash_redirect;
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::extract::CurrentUser;
use crate::funder_report::PDF_MIME;
use crate::indicators as ind;
use crate::page::{FormPage, PageContext};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use reti_domain::indicators::Period;
use reti_store::funder_reports::FunderReport;
use reti_store::indicators::IndicatorScope;
use serde::Deserialize;
use tower_sessions::Session;

/// The reports listed on the dashboard, newest first.
const LISTED: usize = 10;

pub struct ReportsPanel {
    pub action: String,
    pub period: String,
    /// The languages a report may be written in: (code, name), Italian first.
    pub languages: Vec<(&'static str, String)>,
    pub rows: Vec<ReportRow>,
    /// A build is queued or running: the page says to reload it.
    pub pending: bool,
}

pub struct ReportRow {
    pub id: String,
    pub period: String,
    /// The language's name.
    pub language: String,
    pub status: String,
    pub progress: i64,
    pub requested: String,
    pub error: String,
    /// (href, file name, size) once built.
    pub file: Option<(String, String, String)>,
}

/// Where a built report is downloaded.
pub fn download_path(report: &FunderReport) -> String {
    format!("/programmes/{}/indicators/reports/{}", report.programme_id, report.id)
}

/// The reports of the programme the caller may download, and the form asking for one over
/// `period`.
pub async fn panel(
    state: &AppState,
    page: &PageContext,
    scope: &IndicatorScope,
    period: Period,
) -> AppResult<ReportsPanel> {
    let reports = state.db.funder_reports(&scope.programme_id).await?;
    let rows: Vec<ReportRow> = reports
        .into_iter()
        .filter(|r| r.visible_in(scope))
        .take(LISTED)
        .map(|r| ReportRow {
            id: r.id.clone(),
            period: r.period.to_string(),
            language: page.t(&language_key(r.locale)),
            status: page.t(&format!("funder-report-status-{}", r.status.code())),
            progress: r.progress,
            requested: page.t_args(
                "funder-report-requested",
                &[("when", local_time(&r.requested_at)), ("who", r.requested_by_label.clone())],
            ),
            error: r.error.as_deref().map(|e| failure(page, e)).unwrap_or_default(),
            file: r.file_name.clone().map(|name| (download_path(&r), name, file_size(page, r.size.unwrap_or(0)))),
        })
        .collect();
    Ok(ReportsPanel {
        action: format!("/programmes/{}/indicators/reports", scope.programme_id),
        period: period.to_string(),
        languages: reti_domain::Locale::ALL.into_iter().map(|l| (l.code(), page.t(&language_key(l)))).collect(),
        pending: rows.iter().any(|r| r.file.is_none() && r.error.is_empty()),
        rows,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReportForm {
    pub funder_period: String,
    /// `it` (the default) or `en`.
    pub funder_language: String,
}

/// The Fluent id of a report language's name.
fn language_key(locale: reti_domain::Locale) -> String {
    format!("funder-report-language-{}", locale.code())
}

/// The caller's scope in the programme `id`: 404 for an unknown programme, 403 without a part
/// in it.
pub async fn scope_in(state: &AppState, user: &CurrentUser, programme_id: &str) -> AppResult<IndicatorScope> {
    let programme = state.db.programme_details(programme_id).await?.ok_or(AppError::NotFound)?;
    ind::scope_of(user, &programme.id).ok_or(AppError::Forbidden)
}

/// Queues a report of the networks the caller sees over the period asked for, in the language
/// chosen.
pub async fn request(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    user: CurrentUser,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<ReportForm>,
) -> AppResult<Response> {
    let scope = scope_in(&state, &user, &id).await?;
    let period = Period::parse("funder_period", &form.funder_period).map_err(|e| AppError::Invalid(e.into()))?;
    let locale = crate::funder_report::language("funder_language", &form.funder_language)
        .map_err(|e| AppError::Invalid(e.into()))?;
    state.db.request_funder_report(&user.actor(), &scope, period, locale).await?;
    let to = format!("/programmes/{}/indicators?period={period}#funder-reports", scope.programme_id);
    set_flash_redirect(&session, page.t("funder-report-queued"), &to).await
}

/// A report the caller may read: 404 when it is unknown or not of `programme_id` (when given),
/// 403 when it prints a network they do not see.
pub async fn readable(
    state: &AppState,
    user: &CurrentUser,
    programme_id: Option<&str>,
    report_id: &str,
) -> AppResult<FunderReport> {
    let report = state.db.funder_report(report_id).await?.ok_or(AppError::NotFound)?;
    if programme_id.is_some_and(|id| id != report.programme_id) {
        return Err(AppError::NotFound);
    }
    let scope = scope_in(state, user, &report.programme_id).await?;
    if !report.visible_in(&scope) {
        return Err(AppError::Forbidden);
    }
    Ok(report)
}

/// The PDF of a built report, as an attachment.
pub async fn pdf_response(state: &AppState, report: &FunderReport) -> AppResult<Response> {
    let bytes = state.db.funder_report_content(&report.id).await?.ok_or(AppError::NotFound)?;
    let name = report.file_name.clone().unwrap_or_else(|| "report.pdf".into());
    Ok((
        [
            (header::CONTENT_TYPE, PDF_MIME.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        bytes,
    )
        .into_response())
}

pub async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, report_id)): Path<(String, String)>,
) -> AppResult<Response> {
    let report = readable(&state, &user, Some(&id), &report_id).await?;
    pdf_response(&state, &report).await
}
