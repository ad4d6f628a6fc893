//! The objectives–processes matrix of a network (SPEC §4): the grid with its analysis (load per
//! organisation, gaps, fragility), one form per cell, the forms of objectives and processes, the
//! history of changes and the CSV/XLSX export. Everything works without JavaScript.

use super::{form_status, render, render_status, set_flash_redirect};
use crate::AppState;
use crate::accompaniment::MatrixAt;
use crate::error::{AppError, AppResult};
use crate::export::{self, Format};
use crate::page::{FormPage, PageContext};
use crate::pagination::Pager;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use reti_domain::matrix::{CellStatus, ObjectiveContext, ObjectiveInput, ObjectiveRaw, Raci, parse_process_name};
use reti_domain::{FieldError, FieldErrors};
use reti_store::PageRequest;
use reti_store::matrix::{Analysis, CellAssignment, CellInput, Matrix};
use reti_store::programmes::ActionLine;
use reti_store::registry::export::{ExportColumn, ExportTable};
use reti_store::registry::networks::Network;
use serde::Deserialize;
use std::collections::HashMap;
use tower_sessions::Session;

/// One cell of the grid as shown.
pub struct CellView {
    pub objective_id: String,
    pub process_id: String,
    pub status_key: String,
    /// (RACI letter, organisation name, the letter's label key).
    pub assignments: Vec<(String, String, String)>,
}

/// One row of the grid: the objective and its cells, process by process.
pub struct RowView {
    pub id: String,
    pub title: String,
    pub line: String,
    pub action_line_id: String,
    pub cells: Vec<CellView>,
}

fn rows(matrix: &Matrix) -> Vec<RowView> {
    matrix
        .objectives
        .iter()
        .map(|objective| RowView {
            id: objective.id.clone(),
            title: objective.title.clone(),
            line: match (objective.action_line_number, &objective.action_line_title) {
                (Some(number), Some(title)) => format!("{number}. {title}"),
                _ => String::new(),
            },
            action_line_id: objective.action_line_id.clone().unwrap_or_default(),
            cells: matrix
                .processes
                .iter()
                .map(|process| CellView {
                    objective_id: objective.id.clone(),
                    process_id: process.id.clone(),
                    status_key: matrix.status(&objective.id, &process.id).label_key(),
                    assignments: matrix
                        .cell(&objective.id, &process.id)
                        .into_iter()
                        .map(|a| (a.role.code().to_owned(), a.organisation_name.clone(), a.role.label_key()))
                        .collect(),
                })
                .collect(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "matrix/show.html")]
struct ShowPage {
    page: PageContext,
    network: Network,
    matrix: Matrix,
    rows: Vec<RowView>,
    analysis: Analysis,
    lines: Vec<ActionLine>,
    editable: bool,
    errors: FieldErrors,
    /// The form the errors belong to, so that only it shows them.
    failed_form: String,
}

impl ShowPage {
    /// The error of `field` when it belongs to the form `form`.
    fn error_of(&self, form: &str, field: &str) -> String {
        if self.failed_form == form { self.page.field_error(&self.errors, field) } else { String::new() }
    }
}

async fn show_page(
    state: &AppState,
    page: PageContext,
    at: MatrixAt,
    errors: FieldErrors,
    failed_form: &str,
) -> AppResult<Response> {
    let matrix = state.db.matrix(&at.network.id).await?;
    let lines = state.db.action_lines(&at.network.programme_id).await?;
    let template = ShowPage {
        page,
        rows: rows(&matrix),
        analysis: matrix.analysis(),
        matrix,
        lines,
        editable: at.editable,
        network: at.network,
        errors,
        failed_form: failed_form.to_owned(),
    };
    render_status(form_status(&template.errors), &template)
}

pub async fn show(State(state): State<AppState>, FormPage(page): FormPage, at: MatrixAt) -> AppResult<Response> {
    show_page(&state, page, at, FieldErrors::default(), "").await
}

#[derive(Deserialize)]
pub struct ObjectivePath {
    pub id: String,
    pub objective_id: String,
}

#[derive(Deserialize)]
pub struct ProcessPath {
    pub id: String,
    pub process_id: String,
}

#[derive(Deserialize)]
pub struct CellPath {
    pub id: String,
    pub objective_id: String,
    pub process_id: String,
}

async fn objective_input(
    state: &AppState,
    network: &Network,
    raw: &ObjectiveRaw,
) -> AppResult<Result<ObjectiveInput, FieldErrors>> {
    let lines = state.db.action_lines(&network.programme_id).await?;
    let ids: Vec<String> = lines.into_iter().map(|l| l.id).collect();
    Ok(ObjectiveInput::parse(raw, &ObjectiveContext { action_line_ids: &ids }))
}

fn back(network_id: &str) -> String {
    format!("/networks/{network_id}/matrix")
}

pub async fn add_objective(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    at: MatrixAt,
    axum::Form(raw): axum::Form<ObjectiveRaw>,
) -> AppResult<Response> {
    let at = at.editor()?;
    match objective_input(&state, &at.network, &raw).await? {
        Ok(input) => {
            state.db.add_objective(&at.user.actor(), &at.network.id, &input).await?;
            set_flash_redirect(&session, page.t("flash-saved"), &back(&at.network.id)).await
        }
        Err(errors) => show_page(&state, page, at, errors, "objective-new").await,
    }
}

pub async fn update_objective(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    at: MatrixAt,
    Path(path): Path<ObjectivePath>,
    axum::Form(raw): axum::Form<ObjectiveRaw>,
) -> AppResult<Response> {
    let at = at.editor()?;
    match objective_input(&state, &at.network, &raw).await? {
        Ok(input) => {
            state.db.update_objective(&at.user.actor(), &at.network.id, &path.objective_id, &input).await?;
            set_flash_redirect(&session, page.t("flash-saved"), &back(&path.id)).await
        }
        Err(errors) => show_page(&state, page, at, errors, &path.objective_id).await,
    }
}

pub async fn remove_objective(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    at: MatrixAt,
    Path(path): Path<ObjectivePath>,
) -> AppResult<Response> {
    let at = at.editor()?;
    state.db.remove_objective(&at.user.actor(), &at.network.id, &path.objective_id).await?;
    set_flash_redirect(&session, page.t("flash-saved"), &back(&path.id)).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ProcessForm {
    pub name: String,
    pub position: String,
}

pub async fn add_process(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    at: MatrixAt,
    axum::Form(form): axum::Form<ProcessForm>,
) -> AppResult<Response> {
    let at = at.editor()?;
    let name = match parse_process_name(&form.name) {
        Ok(name) => name,
        Err(error) => return show_page(&state, page, at, error.into(), "process-new").await,
    };
    match state.db.add_process(&at.user.actor(), &at.network.id, &name).await {
        Ok(_) => set_flash_redirect(&session, page.t("flash-saved"), &back(&at.network.id)).await,
        Err(reti_store::StoreError::Conflict { field }) => {
            show_page(&state, page, at, FieldError::new(field, "error-duplicate").into(), "process-new").await
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn update_process(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    at: MatrixAt,
    Path(path): Path<ProcessPath>,
    axum::Form(form): axum::Form<ProcessForm>,
) -> AppResult<Response> {
    let at = at.editor()?;
    let mut errors = FieldErrors::default();
    let name = errors.check(parse_process_name(&form.name));
    let position = if form.position.trim().is_empty() {
        None
    } else {
        let parsed = form.position.trim().parse::<i64>().ok().filter(|p| *p >= 1);
        if parsed.is_none() {
            errors.push("position", "error-invalid-type");
        }
        parsed
    };
    let Some(name) = name.filter(|_| errors.is_empty()) else {
        return show_page(&state, page, at, errors, &path.process_id).await;
    };
    match state.db.update_process(&at.user.actor(), &at.network.id, &path.process_id, &name, position).await {
        Ok(()) => set_flash_redirect(&session, page.t("flash-saved"), &back(&path.id)).await,
        Err(reti_store::StoreError::Conflict { field }) => {
            show_page(&state, page, at, FieldError::new(field, "error-duplicate").into(), &path.process_id).await
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn remove_process(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    at: MatrixAt,
    Path(path): Path<ProcessPath>,
) -> AppResult<Response> {
    let at = at.editor()?;
    state.db.remove_process(&at.user.actor(), &at.network.id, &path.process_id).await?;
    set_flash_redirect(&session, page.t("flash-saved"), &back(&path.id)).await
}

#[derive(Template)]
#[template(path = "matrix/cell.html")]
struct CellPage {
    page: PageContext,
    network: Network,
    objective: String,
    process: String,
    action: String,
    status: String,
    statuses: Vec<(&'static str, String)>,
    /// (organisation id, name, role letter or "").
    members: Vec<(String, String, String)>,
    roles: Vec<(&'static str, String)>,
    errors: FieldErrors,
}

async fn cell_page(
    state: &AppState,
    page: PageContext,
    at: MatrixAt,
    path: &CellPath,
    chosen: Option<(String, HashMap<String, String>)>,
    errors: FieldErrors,
) -> AppResult<Response> {
    let matrix = state.db.matrix(&at.network.id).await?;
    let objective = matrix.objective(&path.objective_id).ok_or(AppError::NotFound)?.title.clone();
    let process = matrix.process(&path.process_id).ok_or(AppError::NotFound)?.name.clone();
    let current: Vec<&CellAssignment> = matrix.cell(&path.objective_id, &path.process_id);
    let (status, roles_chosen) = chosen.unwrap_or_else(|| {
        let roles = current.iter().map(|a| (a.organisation_id.clone(), a.role.code().to_owned())).collect();
        (matrix.status(&path.objective_id, &path.process_id).code().to_owned(), roles)
    });
    let members = at
        .network
        .current_members()
        .map(|m| {
            let role = roles_chosen.get(&m.organisation_id).cloned().unwrap_or_default();
            (m.organisation_id.clone(), m.organisation_name.clone(), role)
        })
        .collect();
    let template = CellPage {
        statuses: CellStatus::ALL.iter().map(|s| (s.code(), page.t(&s.label_key()))).collect(),
        roles: Raci::ALL.iter().map(|r| (r.code(), page.t(&r.label_key()))).collect(),
        page,
        action: format!("/networks/{}/matrix/cells/{}/{}", at.network.id, path.objective_id, path.process_id),
        network: at.network,
        objective,
        process,
        status,
        members,
        errors,
    };
    render_status(form_status(&template.errors), &template)
}

pub async fn cell_form(
    State(state): State<AppState>,
    FormPage(page): FormPage,
    at: MatrixAt,
    Path(path): Path<CellPath>,
) -> AppResult<Response> {
    let at = at.editor()?;
    cell_page(&state, page, at, &path, None, FieldErrors::default()).await
}

/// The cell form: `status`, and `role_<organisation id>` for each member (blank: no role).
pub async fn save_cell(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    at: MatrixAt,
    Path(path): Path<CellPath>,
    axum::Form(fields): axum::Form<HashMap<String, String>>,
) -> AppResult<Response> {
    let at = at.editor()?;
    let mut errors = FieldErrors::default();
    let status_text = fields.get("status").cloned().unwrap_or_default();
    let status = errors.check(CellStatus::parse(&status_text));
    let mut chosen = HashMap::new();
    let mut assignments = Vec::new();
    for member in at.network.current_members() {
        let field = format!("role_{}", member.organisation_id);
        let Some(value) = fields.get(&field).filter(|v| !v.trim().is_empty()) else { continue };
        chosen.insert(member.organisation_id.clone(), value.clone());
        if let Some(role) = errors.check(Raci::parse(value, "role")) {
            assignments.push((member.organisation_id.clone(), role));
        }
    }
    let Some(status) = status.filter(|_| errors.is_empty()) else {
        return cell_page(&state, page, at, &path, Some((status_text, chosen)), errors).await;
    };
    let input = CellInput { status, assignments };
    state.db.set_cell(&at.user.actor(), &at.network.id, &path.objective_id, &path.process_id, &input).await?;
    set_flash_redirect(&session, page.t("flash-saved"), &back(&path.id)).await
}

/// One change of the history as shown.
pub struct ChangeView {
    pub when: String,
    pub actor: String,
    pub action_key: String,
    pub before: String,
    pub after: String,
}

/// A change's JSON as a short line: `key: value; …`.
fn summary(json: Option<&str>) -> String {
    let Some(value) = json.and_then(|j| serde_json::from_str::<serde_json::Value>(j).ok()) else {
        return String::new();
    };
    let Some(object) = value.as_object() else { return String::new() };
    object
        .iter()
        .filter(|(key, _)| !key.ends_with("_id"))
        .map(|(key, value)| match value {
            serde_json::Value::String(text) => format!("{key}: {text}"),
            serde_json::Value::Array(items) => {
                format!("{key}: {}", items.iter().filter_map(|i| i.as_str()).collect::<Vec<_>>().join(", "))
            }
            other => format!("{key}: {other}"),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[derive(Template)]
#[template(path = "matrix/history.html")]
struct HistoryPage {
    page: PageContext,
    network: Network,
    changes: Vec<ChangeView>,
    pager: Pager,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct HistoryQuery {
    pub page: Option<u32>,
}

pub async fn history(
    State(state): State<AppState>,
    page: PageContext,
    at: MatrixAt,
    Query(query): Query<HistoryQuery>,
) -> AppResult<Response> {
    let request = PageRequest::new(query.page, Some(30));
    let result = state.db.matrix_history(&at.network.id, request).await?;
    let pager = Pager::new(&format!("/networks/{}/matrix/history", at.network.id), &[], request, result.total);
    let changes = result
        .items
        .into_iter()
        .map(|entry| ChangeView {
            when: entry.at.to_string(),
            actor: entry.actor_label,
            action_key: format!("matrix-change-{}", entry.action.replace('_', "-")),
            before: summary(entry.before_json.as_deref()),
            after: summary(entry.after_json.as_deref()),
        })
        .collect();
    render(&HistoryPage { page, network: at.network, changes, pager })
}

/// The matrix as a long table: one row per cell and organisation (cells without anyone have one
/// row with empty organisation and role), headers in Italian like every export.
pub const EXPORT_COLUMNS: &[ExportColumn] = &[
    ExportColumn { field: "objective", header: "Obiettivo" },
    ExportColumn { field: "action_line", header: "Linea d'azione" },
    ExportColumn { field: "process", header: "Processo" },
    ExportColumn { field: "status", header: "Stato" },
    ExportColumn { field: "organisation", header: "Ente" },
    ExportColumn { field: "role", header: "Ruolo RACI" },
];

pub fn export_table(matrix: &Matrix) -> ExportTable {
    let mut rows = Vec::new();
    for objective in &matrix.objectives {
        let line = objective.action_line_number.map(|n| n.to_string()).unwrap_or_default();
        for process in &matrix.processes {
            let status = matrix.status(&objective.id, &process.id).code().to_owned();
            let cell = matrix.cell(&objective.id, &process.id);
            let row = |organisation: &str, role: &str| {
                vec![
                    objective.title.clone(),
                    line.clone(),
                    process.name.clone(),
                    status.clone(),
                    organisation.to_owned(),
                    role.to_owned(),
                ]
            };
            if cell.is_empty() {
                rows.push(row("", ""));
            }
            for assignment in cell {
                rows.push(row(&assignment.organisation_name, assignment.role.code()));
            }
        }
    }
    ExportTable { columns: EXPORT_COLUMNS, rows }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ExportQuery {
    pub format: String,
}

pub async fn export(
    State(state): State<AppState>,
    at: MatrixAt,
    Query(query): Query<ExportQuery>,
) -> AppResult<Response> {
    let format = match Format::parse(&query.format) {
        Some(format @ (Format::Csv | Format::Xlsx)) => format,
        _ => return Err(AppError::Invalid(FieldError::new("format", "error-export-format").into())),
    };
    let matrix = state.db.matrix(&at.network.id).await?;
    let bytes = export::write(&export_table(&matrix), format).map_err(AppError::Internal)?;
    let filename = format!("matrice-{}.{}", at.network.id, format.extension());
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
        ],
        bytes,
    )
        .into_response())
}
