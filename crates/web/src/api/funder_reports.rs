//! The funder report over JSON (decision 0045): ask for one (it is built on the job queue), follow
//! it, download its PDF. A report prints the networks its requester sees, and only someone who
//! sees them all reads it.

use super::json::ApiJson;
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::extract::CurrentUser;
use crate::indicators as ind;
use crate::pages::funder_reports::{pdf_response, readable};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use reti_domain::indicators::Period;
use reti_store::funder_reports::FunderReport;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct FunderReportBody {
    /// The programme's id; the installation's only one when absent.
    pub programme: String,
    /// `2026`, `2026-Q1` or `2026-03`.
    pub period: String,
    /// The report's language: `it` (the default) or `en`.
    pub language: String,
}

#[derive(Serialize, ToSchema)]
pub struct FunderReportDto {
    pub id: String,
    pub programme_id: String,
    pub period: String,
    /// The networks it prints; `null` for every network of the programme.
    pub network_ids: Option<Vec<String>>,
    /// The report's language: `it` or `en`.
    pub language: String,
    /// `queued`, `running`, `done` or `failed`.
    pub status: String,
    /// 0–100.
    pub progress: i64,
    /// Why the build failed.
    pub error: Option<String>,
    pub requested_by: String,
    pub requested_at: String,
    pub built_at: Option<String>,
    pub size_bytes: Option<i64>,
    pub sha256: Option<String>,
    /// Where the PDF is, once built (the same token reads it).
    pub download_url: Option<String>,
}

fn dto(state: &AppState, report: FunderReport) -> FunderReportDto {
    FunderReportDto {
        download_url: report
            .file_name
            .is_some()
            .then(|| format!("{}/api/v1/indicators/reports/{}/file", state.config.public_url, report.id)),
        id: report.id,
        programme_id: report.programme_id,
        period: report.period.to_string(),
        network_ids: report.network_ids,
        language: report.locale.code().to_owned(),
        status: report.status.code().to_owned(),
        progress: report.progress,
        error: report.error,
        requested_by: report.requested_by_label,
        requested_at: report.requested_at,
        built_at: report.built_at,
        size_bytes: report.size,
        sha256: report.sha256,
    }
}

/// Asks for the funder report of a programme over a period, in Italian or English, printing the
/// networks the caller sees; it is built by the job queue: follow it with `GET /api/v1/indicators/reports/{id}`.
#[utoipa::path(post, path = "/api/v1/indicators/reports", tag = "indicators", request_body = FunderReportBody,
    responses((status = 202, body = FunderReportDto), (status = 403, body = super::ApiErrorBody),
              (status = 404, body = super::ApiErrorBody), (status = 422, body = super::ApiErrorBody)))]
pub async fn request_report(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<FunderReportBody>,
) -> AppResult<(StatusCode, Json<FunderReportDto>)> {
    let period = Period::parse("period", &body.period).map_err(|e| AppError::Invalid(e.into()))?;
    let locale = crate::funder_report::language("language", &body.language).map_err(|e| AppError::Invalid(e.into()))?;
    let resolved = ind::resolve(&state, &user, &body.programme, "").await?;
    let report = state.db.request_funder_report(&user.actor(), &resolved.scope, period, locale).await?;
    Ok((StatusCode::ACCEPTED, Json(dto(&state, report))))
}

/// A funder report: its progress, why it failed, or where its PDF is.
#[utoipa::path(get, path = "/api/v1/indicators/reports/{id}", tag = "indicators",
    responses((status = 200, body = FunderReportDto), (status = 403, body = super::ApiErrorBody),
              (status = 404, body = super::ApiErrorBody)))]
pub async fn get_report(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Json<FunderReportDto>> {
    let report = readable(&state, &user, None, &id).await?;
    Ok(Json(dto(&state, report)))
}

/// The PDF of a built funder report; 404 until it is built.
#[utoipa::path(get, path = "/api/v1/indicators/reports/{id}/file", tag = "indicators",
    responses((status = 200, description = "The report's PDF", content_type = "application/pdf"),
              (status = 403, body = super::ApiErrorBody), (status = 404, body = super::ApiErrorBody)))]
pub async fn report_file(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let report = readable(&state, &user, None, &id).await?;
    pdf_response(&state, &report).await
}
