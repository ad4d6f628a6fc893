//! Programmes and their action lines over JSON: anyone with a token reads them; a platform
//! administrator opens a programme; its coordination updates it.

use super::json::ApiJson;
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::extract::{CoordinatedProgramme, Coordination};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use reti_domain::FieldErrors;
use reti_domain::input::{ActionLineInput, ActionLineRaw, NewProgramme, NewProgrammeRaw, ProgrammeInput, ProgrammeRaw};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct ActionLineDto {
    pub id: String,
    pub number: i64,
    pub title: String,
}

#[derive(Serialize, ToSchema)]
pub struct ProgrammeDto {
    pub id: String,
    pub code: String,
    pub name: String,
    pub fund: String,
    pub cup: String,
    /// `YYYY-MM-DD`
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    pub action_lines: Vec<ActionLineDto>,
}

/// Programmes, with their action lines.
#[utoipa::path(get, path = "/api/v1/programmes", tag = "registry", responses((status = 200, body = Vec<ProgrammeDto>)))]
pub async fn list_programmes(State(state): State<AppState>) -> AppResult<Json<Vec<ProgrammeDto>>> {
    let mut out = Vec::new();
    for programme in state.db.programmes().await? {
        if let Some(details) = state.db.programme_details(&programme.id).await? {
            out.push(programme_dto(details));
        }
    }
    Ok(Json(out))
}

fn programme_dto(p: reti_store::programmes::ProgrammeDetails) -> ProgrammeDto {
    ProgrammeDto {
        id: p.id,
        code: p.code,
        name: p.name,
        fund: p.fund,
        cup: p.cup,
        starts_on: p.starts_on.map(|d| d.to_string()),
        ends_on: p.ends_on.map(|d| d.to_string()),
        action_lines: p
            .action_lines
            .into_iter()
            .map(|l| ActionLineDto { id: l.id, number: l.number, title: l.title })
            .collect(),
    }
}

#[utoipa::path(get, path = "/api/v1/programmes/{id}", tag = "registry", responses((status = 200, body = ProgrammeDto), (status = 404, body = super::ApiErrorBody)))]
pub async fn get_programme(State(state): State<AppState>, Path(id): Path<String>) -> AppResult<Json<ProgrammeDto>> {
    Ok(Json(programme_dto(state.db.programme_details(&id).await?.ok_or(AppError::NotFound)?)))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct NewProgrammeBody {
    /// e.g. `PROG-2463`
    pub code: String,
    pub name: String,
}

/// Opens a new programme (platform administrator).
#[utoipa::path(post, path = "/api/v1/programmes", tag = "registry", request_body = NewProgrammeBody,
    responses((status = 201, body = ProgrammeDto), (status = 409, body = super::ApiErrorBody), (status = 422, body = super::ApiErrorBody)))]
pub async fn create_programme(
    State(state): State<AppState>,
    identity: Coordination,
    ApiJson(body): ApiJson<NewProgrammeBody>,
) -> AppResult<(StatusCode, Json<ProgrammeDto>)> {
    let new = NewProgramme::parse(&NewProgrammeRaw { code: Some(body.code), name: Some(body.name) })
        .map_err(AppError::Invalid)?;
    let programme = state.db.create_programme(&identity.actor(), &new.code, &new.name).await?;
    let details = state.db.programme_details(&programme.id).await?.ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(programme_dto(details))))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct ProgrammeBody {
    pub name: String,
    pub fund: String,
    pub cup: String,
    /// `YYYY-MM-DD`, or day first (`dd/mm/yyyy`, `d/m/yyyy`, with `/`, `-` or `.`)
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    /// Added, or renamed when the number exists.
    pub action_lines: Vec<ActionLineBody>,
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct ActionLineBody {
    pub number: i64,
    pub title: String,
}

/// Updates a programme (its coordination).
#[utoipa::path(put, path = "/api/v1/programmes/{id}", tag = "registry", request_body = ProgrammeBody,
    responses((status = 200, body = ProgrammeDto), (status = 403, body = super::ApiErrorBody), (status = 422, body = super::ApiErrorBody)))]
pub async fn update_programme(
    State(state): State<AppState>,
    CoordinatedProgramme { programme, user: identity }: CoordinatedProgramme,
    ApiJson(body): ApiJson<ProgrammeBody>,
) -> AppResult<Json<ProgrammeDto>> {
    let id = programme.id;
    let raw = ProgrammeRaw {
        name: Some(body.name),
        fund: Some(body.fund),
        cup: Some(body.cup),
        starts_on: body.starts_on,
        ends_on: body.ends_on,
    };
    let (input, mut errors) = match ProgrammeInput::parse(&raw) {
        Ok(input) => (Some(input), FieldErrors::default()),
        Err(errors) => (None, errors),
    };
    let mut lines: Vec<(i64, String)> = Vec::new();
    for (index, line) in body.action_lines.into_iter().enumerate() {
        let raw = ActionLineRaw { number: Some(line.number.to_string()), title: Some(line.title) };
        match ActionLineInput::parse(&raw) {
            Ok(line) => lines.push((line.number, line.title)),
            Err(problems) => errors.0.extend(problems.nested("action_lines", index).0),
        }
    }
    let (Some(input), true) = (input, errors.is_empty()) else { return Err(AppError::Invalid(errors)) };
    let actor = identity.actor();
    state.db.update_programme_with_action_lines(&actor, &id, &input, &lines).await?;
    Ok(Json(programme_dto(state.db.programme_details(&id).await?.ok_or(AppError::NotFound)?)))
}
