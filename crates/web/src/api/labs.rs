//! Thematic labs over JSON: the labs of the caller's programmes, one lab, its participants;
//! creating and changing labs (coordination; experts change their labs), enrolling and leaving.
//! The same access as the pages ([`LabAt`]): outside the programme a lab does not exist (404).

use super::json::ApiJson;
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::extract::{CurrentUser, LabAt, LabContent, SeeLab};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use reti_domain::labs::{Joiner, LabInput, LabRaw, LabStatus};
use reti_domain::{FieldError, FieldErrors};
use reti_store::PageRequest;
use reti_store::labs::{Lab, LabFilter, LabParticipant};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct LabLineDto {
    pub id: String,
    pub programme_id: String,
    pub title: String,
    pub theme: String,
    pub action_line: Option<i64>,
    /// `open` or `invitation`.
    pub enrolment: String,
    pub capacity: Option<i64>,
    /// `planned`, `running` or `closed`.
    pub status: String,
    pub participants: i64,
    pub networks: i64,
    /// UTC, RFC 3339.
    pub next_session: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct LabExpertDto {
    pub id: String,
    /// The expert's account; none for a guest.
    pub user_id: Option<String>,
    pub name: String,
    pub organisation: String,
}

#[derive(Serialize, ToSchema)]
pub struct LabParticipantDto {
    pub user_id: String,
    pub name: String,
    pub network_id: String,
    pub network_name: String,
    pub invited: bool,
    pub enrolled_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct LabMaterialDto {
    pub id: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
}

#[derive(Serialize, ToSchema)]
pub struct LabSessionDto {
    /// The meeting's id (`/api/v1/meetings/{id}`).
    pub id: String,
    pub title: String,
    pub starts_at: String,
    pub ends_at: String,
    pub cancelled: bool,
    pub present: i64,
}

#[derive(Serialize, ToSchema)]
pub struct LabDto {
    pub id: String,
    pub programme_id: String,
    pub title: String,
    pub theme: String,
    pub action_line: Option<i64>,
    /// Markdown.
    pub description: String,
    pub enrolment: String,
    pub capacity: Option<i64>,
    pub status: String,
    pub experts: Vec<LabExpertDto>,
    pub participants: Vec<LabParticipantDto>,
    pub materials: Vec<LabMaterialDto>,
    pub sessions: Vec<LabSessionDto>,
}

fn participant_dto(p: LabParticipant) -> LabParticipantDto {
    LabParticipantDto {
        user_id: p.user_id,
        name: p.name,
        network_id: p.network_id,
        network_name: p.network_name,
        invited: p.invited,
        enrolled_at: p.enrolled_at,
    }
}

async fn lab_dto(state: &AppState, lab: Lab) -> AppResult<LabDto> {
    let sessions = state
        .db
        .lab_sessions(&lab.id)
        .await?
        .into_iter()
        .map(|s| LabSessionDto {
            id: s.id,
            title: s.title,
            starts_at: s.starts_at.to_rfc3339(),
            ends_at: s.ends_at.to_rfc3339(),
            cancelled: s.cancelled,
            present: s.present,
        })
        .collect();
    Ok(LabDto {
        id: lab.id,
        programme_id: lab.programme_id,
        title: lab.title,
        theme: lab.theme,
        action_line: lab.action_line,
        description: lab.description,
        enrolment: lab.enrolment.code().to_owned(),
        capacity: lab.capacity,
        status: lab.status.code().to_owned(),
        experts: lab
            .experts
            .into_iter()
            .map(|e| LabExpertDto { id: e.id, user_id: e.user_id, name: e.name, organisation: e.organisation })
            .collect(),
        participants: lab.participants.into_iter().map(participant_dto).collect(),
        materials: lab
            .materials
            .into_iter()
            .map(|m| LabMaterialDto {
                id: m.id,
                file_name: m.file_name,
                content_type: m.content_type,
                size_bytes: m.size_bytes,
            })
            .collect(),
        sessions,
    })
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct LabListQuery {
    pub page: Option<u32>,
    pub per_page: Option<u32>,
    pub status: Option<String>,
    pub action_line: Option<i64>,
}

/// The labs of the caller's programmes, newest first.
#[utoipa::path(get, path = "/api/v1/labs", tag = "labs",
    params(("page" = Option<u32>, Query), ("per_page" = Option<u32>, Query),
        ("status" = Option<String>, Query, description = "planned, running or closed"),
        ("action_line" = Option<i64>, Query)),
    responses((status = 200, body = super::ApiPage<LabLineDto>), (status = 401, body = super::ApiErrorBody)))]
pub async fn list_labs(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<LabListQuery>,
) -> AppResult<Json<super::ApiPage<LabLineDto>>> {
    let filter = LabFilter {
        programme_ids: crate::pages::labs::programme_scope(&user),
        status: query.status.as_deref().and_then(LabStatus::parse),
        action_line: query.action_line,
    };
    let page = state.db.labs(&filter, PageRequest::new(query.page, query.per_page)).await?;
    Ok(Json(super::page_of(page, |lab| LabLineDto {
        id: lab.id,
        programme_id: lab.programme_id,
        title: lab.title,
        theme: lab.theme,
        action_line: lab.action_line,
        enrolment: lab.enrolment.code().to_owned(),
        capacity: lab.capacity,
        status: lab.status.code().to_owned(),
        participants: lab.participants,
        networks: lab.networks,
        next_session: lab.next_session,
    })))
}

/// One lab with its experts, participants, materials and sessions.
#[utoipa::path(get, path = "/api/v1/labs/{id}", tag = "labs",
    responses((status = 200, body = LabDto), (status = 404, body = super::ApiErrorBody)))]
pub async fn get_lab(State(state): State<AppState>, LabAt { lab, .. }: LabAt<SeeLab>) -> AppResult<Json<LabDto>> {
    Ok(Json(lab_dto(&state, lab).await?))
}

/// A lab as sent: its programme (on creation only) and the form's fields; numbers as text or
/// numbers alike.
#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct LabBody {
    pub programme_id: String,
    pub title: String,
    pub theme: String,
    pub action_line: Option<i64>,
    /// Markdown.
    pub description: String,
    /// `open` or `invitation`.
    pub enrolment: String,
    /// Empty for no limit.
    pub capacity: Option<i64>,
    /// `planned` (the default), `running` or `closed`.
    pub status: String,
}

impl LabBody {
    fn input(&self) -> Result<LabInput, AppError> {
        let raw = LabRaw {
            title: self.title.clone(),
            theme: self.theme.clone(),
            action_line: self.action_line.map(|n| n.to_string()).unwrap_or_default(),
            description: self.description.clone(),
            enrolment: self.enrolment.clone(),
            capacity: self.capacity.map(|n| n.to_string()).unwrap_or_default(),
            status: self.status.clone(),
        };
        LabInput::parse(&raw).map_err(AppError::Invalid)
    }
}

/// Creates a lab in a programme the caller coordinates.
#[utoipa::path(post, path = "/api/v1/labs", tag = "labs", request_body = LabBody,
    responses((status = 201, body = LabDto), (status = 403, body = super::ApiErrorBody), (status = 422, body = super::ApiErrorBody)))]
pub async fn create_lab(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<LabBody>,
) -> AppResult<(StatusCode, Json<LabDto>)> {
    if state.db.programme_details(&body.programme_id).await?.is_none() {
        return Err(AppError::Invalid(FieldErrors::from(FieldError::new("programme_id", "error-required"))));
    }
    if !user.coordinates(&body.programme_id) {
        return Err(AppError::Forbidden);
    }
    let input = body.input()?;
    let id = state.db.create_lab(&user.actor(), &body.programme_id, &input).await?;
    let lab = state.db.lab(&id).await?.ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(lab_dto(&state, lab).await?)))
}

/// Changes a lab (its coordination or its experts); its programme stays.
#[utoipa::path(put, path = "/api/v1/labs/{id}", tag = "labs", request_body = LabBody,
    responses((status = 200, body = LabDto), (status = 403, body = super::ApiErrorBody), (status = 404, body = super::ApiErrorBody), (status = 422, body = super::ApiErrorBody)))]
pub async fn update_lab(
    State(state): State<AppState>,
    LabAt { lab, user, .. }: LabAt<LabContent>,
    ApiJson(body): ApiJson<LabBody>,
) -> AppResult<Json<LabDto>> {
    let input = body.input()?;
    state.db.update_lab(&user.actor(), &lab.id, &input).await?;
    let lab = state.db.lab(&lab.id).await?.ok_or(AppError::NotFound)?;
    Ok(Json(lab_dto(&state, lab).await?))
}

/// The lab's participants, by network.
#[utoipa::path(get, path = "/api/v1/labs/{id}/participants", tag = "labs",
    responses((status = 200, body = Vec<LabParticipantDto>), (status = 404, body = super::ApiErrorBody)))]
pub async fn list_participants(LabAt { lab, .. }: LabAt<SeeLab>) -> AppResult<Json<Vec<LabParticipantDto>>> {
    Ok(Json(lab.participants.into_iter().map(participant_dto).collect()))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct EnrolBody {
    /// The caller's network of the lab's programme they come from.
    pub network_id: String,
}

/// Enrols the caller (open labs only, within the capacity); 422 naming the field otherwise.
#[utoipa::path(post, path = "/api/v1/labs/{id}/enrolment", tag = "labs", request_body = EnrolBody,
    responses((status = 200, body = Vec<LabParticipantDto>), (status = 404, body = super::ApiErrorBody), (status = 422, body = super::ApiErrorBody)))]
pub async fn enrol(
    State(state): State<AppState>,
    LabAt { lab, user, .. }: LabAt<SeeLab>,
    ApiJson(body): ApiJson<EnrolBody>,
) -> AppResult<Json<Vec<LabParticipantDto>>> {
    let people = [(user.user.id.clone(), body.network_id)];
    state.db.enrol_in_lab(&user.actor(), &lab.id, &people, Joiner::Themself).await?;
    let lab = state.db.lab(&lab.id).await?.ok_or(AppError::NotFound)?;
    Ok(Json(lab.participants.into_iter().map(participant_dto).collect()))
}

/// The caller leaves the lab.
#[utoipa::path(delete, path = "/api/v1/labs/{id}/enrolment", tag = "labs",
    responses((status = 204), (status = 404, body = super::ApiErrorBody)))]
pub async fn leave(State(state): State<AppState>, LabAt { lab, user, .. }: LabAt<SeeLab>) -> AppResult<StatusCode> {
    state.db.leave_lab(&user.actor(), &lab.id, &user.user.id).await?;
    Ok(StatusCode::NO_CONTENT)
}
