//! People and their affiliations over JSON: personal data, for the coordination within its scope.

use super::json::ApiJson;
use super::{ApiPage, page_of};
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::extract::{Coordination, PersonInScope};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use reti_domain::FieldErrors;
use reti_domain::input::{AffiliationInput, AffiliationRaw, PersonRaw};
use reti_store::PageRequest;
use reti_store::registry::people::{Person, PersonFilter, PersonInput};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct AffiliationDto {
    pub organisation_id: String,
    pub organisation_name: String,
    pub position: String,
    pub ended: bool,
}

#[derive(Serialize, ToSchema)]
pub struct PersonDto {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: String,
    pub archived: bool,
    pub affiliations: Vec<AffiliationDto>,
}

fn person_dto(p: Person) -> PersonDto {
    PersonDto {
        id: p.id,
        name: p.name,
        email: p.email,
        phone: p.phone,
        archived: p.archived,
        affiliations: p
            .affiliations
            .into_iter()
            .map(|a| AffiliationDto {
                organisation_id: a.organisation_id,
                organisation_name: a.organisation_name,
                position: a.position,
                ended: a.ended,
            })
            .collect(),
    }
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct PersonQuery {
    pub q: Option<String>,
    pub organisation: Option<String>,
    pub include_archived: Option<bool>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// People (personal data: the coordination only).
#[utoipa::path(get, path = "/api/v1/people", tag = "registry", params(PersonQuery), responses((status = 200, body = ApiPage<PersonDto>), (status = 403, body = super::ApiErrorBody)))]
pub async fn list_people(
    State(state): State<AppState>,
    identity: Coordination,
    Query(query): Query<PersonQuery>,
) -> AppResult<Json<ApiPage<PersonDto>>> {
    let filter = PersonFilter {
        query: query.q,
        organisation_id: query.organisation,
        include_archived: query.include_archived.unwrap_or(false),
        scope: Some(identity.scope()),
    };
    let page = state.db.list_people(&filter, PageRequest::new(query.page, query.per_page)).await?;
    Ok(Json(page_of(page, person_dto)))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct PersonBody {
    pub name: String,
    pub email: Option<String>,
    pub phone: String,
    /// Organisations the person works for (ids), with the position held.
    pub affiliations: Vec<AffiliationBody>,
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct AffiliationBody {
    pub organisation_id: String,
    pub position: String,
}

/// Checks a body as the person pages and the import do: the person, then each affiliation.
fn person_input(body: PersonBody) -> AppResult<(PersonInput, Vec<(String, String)>)> {
    let raw = PersonRaw { name: Some(body.name), email: body.email, phone: Some(body.phone) };
    let (input, mut errors) = match PersonInput::parse(&raw) {
        Ok(input) => (Some(input), FieldErrors::default()),
        Err(errors) => (None, errors),
    };
    let mut affiliations = Vec::new();
    for (index, affiliation) in body.affiliations.into_iter().enumerate() {
        let raw =
            AffiliationRaw { organisation_id: Some(affiliation.organisation_id), position: Some(affiliation.position) };
        match AffiliationInput::parse(&raw) {
            Ok(valid) => affiliations.push((valid.organisation_id, valid.position)),
            Err(problems) => errors.0.extend(problems.nested("affiliations", index).0),
        }
    }
    match (input, errors.is_empty()) {
        (Some(input), true) => Ok((input, affiliations)),
        _ => Err(AppError::Invalid(errors)),
    }
}

#[utoipa::path(post, path = "/api/v1/people", tag = "registry", request_body = PersonBody, responses((status = 201, body = PersonDto), (status = 422, body = super::ApiErrorBody)))]
pub async fn create_person(
    State(state): State<AppState>,
    identity: Coordination,
    ApiJson(body): ApiJson<PersonBody>,
) -> AppResult<(StatusCode, Json<PersonDto>)> {
    let (input, affiliations) = person_input(body)?;
    let person = state.db.create_person_with_affiliations(&identity.actor(), &input, &affiliations).await?;
    Ok((StatusCode::CREATED, Json(person_dto(person))))
}

#[utoipa::path(get, path = "/api/v1/people/{id}", tag = "registry", responses((status = 200, body = PersonDto), (status = 404, body = super::ApiErrorBody)))]
pub async fn get_person(PersonInScope { person, .. }: PersonInScope) -> AppResult<Json<PersonDto>> {
    Ok(Json(person_dto(person)))
}

#[utoipa::path(put, path = "/api/v1/people/{id}", tag = "registry", request_body = PersonBody, responses((status = 200, body = PersonDto), (status = 422, body = super::ApiErrorBody)))]
pub async fn update_person(
    State(state): State<AppState>,
    PersonInScope { person, user: identity }: PersonInScope,
    ApiJson(body): ApiJson<PersonBody>,
) -> AppResult<Json<PersonDto>> {
    let (input, affiliations) = person_input(body)?;
    let actor = identity.actor();
    let person = state.db.update_person_with_affiliations(&actor, &person.id, &input, &affiliations).await?;
    Ok(Json(person_dto(person)))
}

#[utoipa::path(delete, path = "/api/v1/people/{id}", tag = "registry", responses((status = 204), (status = 404, body = super::ApiErrorBody)))]
pub async fn archive_person(
    State(state): State<AppState>,
    PersonInScope { person, user: identity }: PersonInScope,
) -> AppResult<StatusCode> {
    state.db.set_person_archived(&identity.actor(), &person.id, true).await?;
    Ok(StatusCode::NO_CONTENT)
}
