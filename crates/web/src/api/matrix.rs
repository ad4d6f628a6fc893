//! A network's accompaniment diary and objectives–processes matrix over the API, with the same
//! rules as the pages (decision 0021): the diary is its facilitators' and the coordination's; the
//! matrix is read by whoever sees the network's private data and changed by its lead, its
//! facilitators and the coordination.

use super::ApiErrorBody;
use super::json::ApiJson;
use crate::AppState;
use crate::accompaniment::{DiaryAt, MatrixAt, today};
use crate::error::{AppError, AppResult};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use reti_domain::FieldErrors;
use reti_domain::diary::{DiaryContext, DiaryEntryInput, DiaryRaw};
use reti_domain::matrix::{CellStatus, ObjectiveContext, ObjectiveInput, ObjectiveRaw, Raci, parse_process_name};
use reti_store::PageRequest;
use reti_store::diary::{DiaryEntry, DiaryFilter, DiaryTotals, HoursTotal};
use reti_store::matrix::{CellInput, Matrix};
use reti_store::registry::networks::Network;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

// ---------------------------------------------------------------- diary

#[derive(Serialize, ToSchema)]
pub struct DiaryEntryDto {
    pub id: String,
    pub network_id: String,
    pub author_user_id: String,
    pub author_name: String,
    /// `YYYY-MM-DD`.
    pub entry_date: String,
    /// Decimal hours, e.g. 1.5.
    pub hours: f64,
    /// `meeting_support`, `coaching`, `remote_contact`, `document_review` or `field_visit`.
    pub kind: String,
    /// Markdown.
    pub notes: String,
    pub growth_spaces: String,
    pub next_steps: String,
}

fn hours_of(hundredths: i64) -> f64 {
    hundredths as f64 / 100.0
}

fn entry_dto(entry: DiaryEntry) -> DiaryEntryDto {
    DiaryEntryDto {
        id: entry.id,
        network_id: entry.network_id,
        author_user_id: entry.author_user_id,
        author_name: entry.author_name,
        entry_date: entry.entry_date.to_string(),
        hours: hours_of(entry.hundredths),
        kind: entry.kind.code().to_owned(),
        notes: entry.notes,
        growth_spaces: entry.growth_spaces,
        next_steps: entry.next_steps,
    }
}

#[derive(Serialize, ToSchema)]
pub struct HoursTotalDto {
    /// The month (`YYYY-MM`) or the facilitator's user id.
    pub key: String,
    /// The month again, or the facilitator's name.
    pub label: String,
    pub hours: f64,
    pub entries: i64,
}

#[derive(Serialize, ToSchema)]
pub struct DiaryTotalsDto {
    pub hours: f64,
    pub entries: i64,
    pub by_month: Vec<HoursTotalDto>,
    pub by_facilitator: Vec<HoursTotalDto>,
}

fn totals_dto(totals: DiaryTotals) -> DiaryTotalsDto {
    let rows = |list: Vec<HoursTotal>| {
        list.into_iter()
            .map(|t| HoursTotalDto { key: t.key, label: t.label, hours: hours_of(t.hundredths), entries: t.entries })
            .collect()
    };
    DiaryTotalsDto {
        hours: hours_of(totals.hundredths),
        entries: totals.entries,
        by_month: rows(totals.by_month),
        by_facilitator: rows(totals.by_facilitator),
    }
}

#[derive(Serialize, ToSchema)]
pub struct DiaryPageDto {
    pub items: Vec<DiaryEntryDto>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
    /// Over all the network's entries, not only this page.
    pub totals: DiaryTotalsDto,
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct DiaryQuery {
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// A network's diary, newest first, with its totals.
#[utoipa::path(get, path = "/api/v1/networks/{id}/diary", tag = "accompaniment", params(DiaryQuery),
    responses((status = 200, body = DiaryPageDto), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn list_diary(
    State(state): State<AppState>,
    diary: DiaryAt,
    Query(query): Query<DiaryQuery>,
) -> AppResult<Json<DiaryPageDto>> {
    let filter = DiaryFilter::network(&diary.network.id);
    let page = state.db.diary_entries(&filter, PageRequest::new(query.page, query.per_page)).await?;
    let totals = state.db.diary_totals(&filter).await?;
    Ok(Json(DiaryPageDto {
        items: page.items.into_iter().map(entry_dto).collect(),
        page: page.page,
        per_page: page.per_page,
        total: page.total,
        totals: totals_dto(totals),
    }))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct DiaryBody {
    /// `YYYY-MM-DD` (or `dd/mm/yyyy`), not in the future.
    pub entry_date: String,
    /// More than 0, at most 24, at most two decimals.
    pub hours: f64,
    /// `meeting_support`, `coaching`, `remote_contact`, `document_review` or `field_visit`.
    pub kind: String,
    /// Markdown; raw HTML is shown as text.
    pub notes: String,
    pub growth_spaces: String,
    pub next_steps: String,
}

fn diary_input(body: DiaryBody) -> AppResult<DiaryEntryInput> {
    let raw = DiaryRaw {
        entry_date: body.entry_date,
        hours: if body.hours.is_finite() { body.hours.to_string() } else { String::new() },
        kind: body.kind,
        notes: body.notes,
        growth_spaces: body.growth_spaces,
        next_steps: body.next_steps,
    };
    DiaryEntryInput::parse(&raw, &DiaryContext { today: today() }).map_err(AppError::Invalid)
}

#[utoipa::path(post, path = "/api/v1/networks/{id}/diary", tag = "accompaniment", request_body = DiaryBody,
    responses((status = 201, body = DiaryEntryDto), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn create_diary_entry(
    State(state): State<AppState>,
    diary: DiaryAt,
    ApiJson(body): ApiJson<DiaryBody>,
) -> AppResult<(StatusCode, Json<DiaryEntryDto>)> {
    let input = diary_input(body)?;
    let user = &diary.user;
    let entry = state.db.create_diary_entry(&user.actor(), &diary.network.id, &user.identity.user.id, &input).await?;
    Ok((StatusCode::CREATED, Json(entry_dto(entry))))
}

#[derive(Deserialize)]
pub struct EntryPath {
    pub id: String,
    pub entry_id: String,
}

async fn entry_of(state: &AppState, diary: &DiaryAt, entry_id: &str) -> AppResult<DiaryEntry> {
    state.db.diary_entry(entry_id).await?.filter(|e| e.network_id == diary.network.id).ok_or(AppError::NotFound)
}

#[utoipa::path(get, path = "/api/v1/networks/{id}/diary/{entry_id}", tag = "accompaniment",
    responses((status = 200, body = DiaryEntryDto), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn get_diary_entry(
    State(state): State<AppState>,
    diary: DiaryAt,
    Path(path): Path<EntryPath>,
) -> AppResult<Json<DiaryEntryDto>> {
    Ok(Json(entry_dto(entry_of(&state, &diary, &path.entry_id).await?)))
}

/// Changes an entry: its author or the coordination.
#[utoipa::path(put, path = "/api/v1/networks/{id}/diary/{entry_id}", tag = "accompaniment", request_body = DiaryBody,
    responses((status = 200, body = DiaryEntryDto), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn update_diary_entry(
    State(state): State<AppState>,
    diary: DiaryAt,
    Path(path): Path<EntryPath>,
    ApiJson(body): ApiJson<DiaryBody>,
) -> AppResult<Json<DiaryEntryDto>> {
    let entry = entry_of(&state, &diary, &path.entry_id).await?;
    if !diary.may_edit(&entry.author_user_id) {
        return Err(AppError::Forbidden);
    }
    let input = diary_input(body)?;
    let entry = state.db.update_diary_entry(&diary.user.actor(), &diary.network.id, &path.entry_id, &input).await?;
    Ok(Json(entry_dto(entry)))
}

#[utoipa::path(delete, path = "/api/v1/networks/{id}/diary/{entry_id}", tag = "accompaniment",
    responses((status = 204), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn delete_diary_entry(
    State(state): State<AppState>,
    diary: DiaryAt,
    Path(path): Path<EntryPath>,
) -> AppResult<StatusCode> {
    let entry = entry_of(&state, &diary, &path.entry_id).await?;
    if !diary.may_edit(&entry.author_user_id) {
        return Err(AppError::Forbidden);
    }
    state.db.delete_diary_entry(&diary.user.actor(), &diary.network.id, &path.entry_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---------------------------------------------------------------- matrix

#[derive(Serialize, ToSchema)]
pub struct ObjectiveDto {
    pub id: String,
    pub position: i64,
    pub title: String,
    pub action_line_id: Option<String>,
    pub action_line_number: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct ProcessDto {
    pub id: String,
    pub position: i64,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct AssignmentDto {
    pub organisation_id: String,
    pub organisation_name: String,
    /// `R`, `A`, `C` or `I`.
    pub role: String,
}

#[derive(Serialize, ToSchema)]
pub struct CellDto {
    pub objective_id: String,
    pub process_id: String,
    /// `planned`, `in_progress`, `achieved` or `on_hold`.
    pub status: String,
    pub assignments: Vec<AssignmentDto>,
}

#[derive(Serialize, ToSchema)]
pub struct LoadDto {
    pub organisation_id: String,
    pub organisation_name: String,
    pub responsible: usize,
    pub accountable: usize,
    pub consulted: usize,
    pub informed: usize,
}

#[derive(Serialize, ToSchema)]
pub struct FragileDto {
    pub process_id: String,
    /// The one organisation that is Responsible or Accountable for the process.
    pub organisation_id: String,
}

#[derive(Serialize, ToSchema)]
pub struct MatrixDto {
    pub network_id: String,
    pub objectives: Vec<ObjectiveDto>,
    pub processes: Vec<ProcessDto>,
    /// Every objective × process, row by row.
    pub cells: Vec<CellDto>,
    /// Heaviest first.
    pub load: Vec<LoadDto>,
    /// Objectives nobody is Responsible for.
    pub gaps: Vec<String>,
    pub fragile: Vec<FragileDto>,
}

fn matrix_dto(matrix: Matrix) -> MatrixDto {
    let analysis = matrix.analysis();
    let mut cells = Vec::new();
    for objective in &matrix.objectives {
        for process in &matrix.processes {
            cells.push(CellDto {
                objective_id: objective.id.clone(),
                process_id: process.id.clone(),
                status: matrix.status(&objective.id, &process.id).code().to_owned(),
                assignments: matrix
                    .cell(&objective.id, &process.id)
                    .into_iter()
                    .map(|a| AssignmentDto {
                        organisation_id: a.organisation_id.clone(),
                        organisation_name: a.organisation_name.clone(),
                        role: a.role.code().to_owned(),
                    })
                    .collect(),
            });
        }
    }
    MatrixDto {
        network_id: matrix.network_id.clone(),
        objectives: matrix
            .objectives
            .iter()
            .map(|o| ObjectiveDto {
                id: o.id.clone(),
                position: o.position,
                title: o.title.clone(),
                action_line_id: o.action_line_id.clone(),
                action_line_number: o.action_line_number,
            })
            .collect(),
        processes: matrix
            .processes
            .iter()
            .map(|p| ProcessDto { id: p.id.clone(), position: p.position, name: p.name.clone() })
            .collect(),
        cells,
        load: analysis
            .load
            .into_iter()
            .map(|l| LoadDto {
                organisation_id: l.organisation_id,
                organisation_name: l.organisation_name,
                responsible: l.load.responsible,
                accountable: l.load.accountable,
                consulted: l.load.consulted,
                informed: l.load.informed,
            })
            .collect(),
        gaps: analysis.gaps.into_iter().map(|o| o.id).collect(),
        fragile: analysis
            .fragile
            .into_iter()
            .map(|(p, o)| FragileDto { process_id: p.id, organisation_id: o.organisation_id })
            .collect(),
    }
}

async fn current(state: &AppState, network: &Network) -> AppResult<Json<MatrixDto>> {
    Ok(Json(matrix_dto(state.db.matrix(&network.id).await?)))
}

/// A network's matrix with its analysis.
#[utoipa::path(get, path = "/api/v1/networks/{id}/matrix", tag = "accompaniment",
    responses((status = 200, body = MatrixDto), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn get_matrix(State(state): State<AppState>, at: MatrixAt) -> AppResult<Json<MatrixDto>> {
    current(&state, &at.network).await
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct ObjectiveBody {
    pub title: String,
    /// An action line of the network's programme, or empty.
    pub action_line_id: String,
}

async fn objective_input(state: &AppState, network: &Network, body: ObjectiveBody) -> AppResult<ObjectiveInput> {
    let ids: Vec<String> = state.db.action_lines(&network.programme_id).await?.into_iter().map(|l| l.id).collect();
    let raw = ObjectiveRaw { title: body.title, action_line_id: body.action_line_id };
    ObjectiveInput::parse(&raw, &ObjectiveContext { action_line_ids: &ids }).map_err(AppError::Invalid)
}

/// Adds an objective; the first one brings in the default processes.
#[utoipa::path(post, path = "/api/v1/networks/{id}/matrix/objectives", tag = "accompaniment", request_body = ObjectiveBody,
    responses((status = 201, body = MatrixDto), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn add_objective(
    State(state): State<AppState>,
    at: MatrixAt,
    ApiJson(body): ApiJson<ObjectiveBody>,
) -> AppResult<(StatusCode, Json<MatrixDto>)> {
    let at = at.editor()?;
    let input = objective_input(&state, &at.network, body).await?;
    state.db.add_objective(&at.user.actor(), &at.network.id, &input).await?;
    Ok((StatusCode::CREATED, current(&state, &at.network).await?))
}

#[derive(Deserialize)]
pub struct ObjectivePath {
    pub id: String,
    pub objective_id: String,
}

#[utoipa::path(put, path = "/api/v1/networks/{id}/matrix/objectives/{objective_id}", tag = "accompaniment", request_body = ObjectiveBody,
    responses((status = 200, body = MatrixDto), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn update_objective(
    State(state): State<AppState>,
    at: MatrixAt,
    Path(path): Path<ObjectivePath>,
    ApiJson(body): ApiJson<ObjectiveBody>,
) -> AppResult<Json<MatrixDto>> {
    let at = at.editor()?;
    let input = objective_input(&state, &at.network, body).await?;
    state.db.update_objective(&at.user.actor(), &path.id, &path.objective_id, &input).await?;
    current(&state, &at.network).await
}

#[utoipa::path(delete, path = "/api/v1/networks/{id}/matrix/objectives/{objective_id}", tag = "accompaniment",
    responses((status = 200, body = MatrixDto), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn remove_objective(
    State(state): State<AppState>,
    at: MatrixAt,
    Path(path): Path<ObjectivePath>,
) -> AppResult<Json<MatrixDto>> {
    let at = at.editor()?;
    state.db.remove_objective(&at.user.actor(), &path.id, &path.objective_id).await?;
    current(&state, &at.network).await
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct ProcessBody {
    pub name: String,
    /// Where to move the process (1 = first); absent keeps its place.
    pub position: Option<i64>,
}

#[utoipa::path(post, path = "/api/v1/networks/{id}/matrix/processes", tag = "accompaniment", request_body = ProcessBody,
    responses((status = 201, body = MatrixDto), (status = 403, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn add_process(
    State(state): State<AppState>,
    at: MatrixAt,
    ApiJson(body): ApiJson<ProcessBody>,
) -> AppResult<(StatusCode, Json<MatrixDto>)> {
    let at = at.editor()?;
    let name = parse_process_name(&body.name).map_err(|e| AppError::Invalid(e.into()))?;
    state.db.add_process(&at.user.actor(), &at.network.id, &name).await?;
    Ok((StatusCode::CREATED, current(&state, &at.network).await?))
}

#[derive(Deserialize)]
pub struct ProcessPath {
    pub id: String,
    pub process_id: String,
}

/// Renames a process and, with `position`, moves it.
#[utoipa::path(put, path = "/api/v1/networks/{id}/matrix/processes/{process_id}", tag = "accompaniment", request_body = ProcessBody,
    responses((status = 200, body = MatrixDto), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn update_process(
    State(state): State<AppState>,
    at: MatrixAt,
    Path(path): Path<ProcessPath>,
    ApiJson(body): ApiJson<ProcessBody>,
) -> AppResult<Json<MatrixDto>> {
    let at = at.editor()?;
    let mut errors = FieldErrors::default();
    let name = errors.check(parse_process_name(&body.name));
    if body.position.is_some_and(|p| p < 1) {
        errors.push("position", "error-invalid-type");
    }
    errors.into_result().map_err(AppError::Invalid)?;
    let name = name.unwrap_or_default();
    state.db.update_process(&at.user.actor(), &path.id, &path.process_id, &name, body.position).await?;
    current(&state, &at.network).await
}

#[utoipa::path(delete, path = "/api/v1/networks/{id}/matrix/processes/{process_id}", tag = "accompaniment",
    responses((status = 200, body = MatrixDto), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn remove_process(
    State(state): State<AppState>,
    at: MatrixAt,
    Path(path): Path<ProcessPath>,
) -> AppResult<Json<MatrixDto>> {
    let at = at.editor()?;
    state.db.remove_process(&at.user.actor(), &path.id, &path.process_id).await?;
    current(&state, &at.network).await
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct AssignmentBody {
    /// A current member organisation of the network.
    pub organisation_id: String,
    /// `R`, `A`, `C` or `I`.
    pub role: String,
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct CellBody {
    /// `planned`, `in_progress`, `achieved` or `on_hold`.
    pub status: String,
    /// Replaces the cell's assignments; an organisation at most once.
    pub assignments: Vec<AssignmentBody>,
}

#[derive(Deserialize)]
pub struct CellPath {
    pub id: String,
    pub objective_id: String,
    pub process_id: String,
}

/// Replaces one cell: its status and who holds which role.
#[utoipa::path(put, path = "/api/v1/networks/{id}/matrix/cells/{objective_id}/{process_id}", tag = "accompaniment", request_body = CellBody,
    responses((status = 200, body = MatrixDto), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn put_cell(
    State(state): State<AppState>,
    at: MatrixAt,
    Path(path): Path<CellPath>,
    ApiJson(body): ApiJson<CellBody>,
) -> AppResult<Json<MatrixDto>> {
    let at = at.editor()?;
    let mut errors = FieldErrors::default();
    let status = if body.status.trim().is_empty() {
        Some(CellStatus::default())
    } else {
        errors.check(CellStatus::parse(&body.status))
    };
    let mut assignments = Vec::new();
    for (index, assignment) in body.assignments.iter().enumerate() {
        if let Some(role) = errors.check(Raci::parse(&assignment.role, &format!("assignments[{index}].role"))) {
            assignments.push((assignment.organisation_id.clone(), role));
        }
    }
    errors.into_result().map_err(AppError::Invalid)?;
    let input = CellInput { status: status.unwrap_or_default(), assignments };
    state.db.set_cell(&at.user.actor(), &path.id, &path.objective_id, &path.process_id, &input).await?;
    current(&state, &at.network).await
}
