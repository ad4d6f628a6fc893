//! Organisations over JSON: anyone with a token reads the shared registry; the coordination writes.

use super::json::ApiJson;
use super::{ApiPage, page_of};
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::extract::Coordination;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use reti_domain::OrganisationKind;
use reti_domain::input::{OrganisationContext, OrganisationRaw, Source};
use reti_store::PageRequest;
use reti_store::registry::organisations::{Organisation, OrganisationFilter, OrganisationInput};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct OrganisationDto {
    pub id: String,
    pub name: String,
    /// One of `comune`, `istituto_scolastico`, `cpia`, `asst_ats`, `prefettura`, `questura`,
    /// `terzo_settore`, `associazione_migranti`, `ente_religioso`, `impresa`, `universita`, `altro`.
    pub kind: String,
    pub tax_code: String,
    /// ISTAT code of the municipality.
    pub municipality: Option<String>,
    pub municipality_name: Option<String>,
    pub province_code: Option<String>,
    pub address: String,
    pub email: Option<String>,
    pub phone: String,
    pub website: String,
    pub resources: Vec<String>,
    pub archived: bool,
}

fn organisation_dto(o: Organisation) -> OrganisationDto {
    OrganisationDto {
        id: o.id,
        name: o.name,
        kind: o.kind.code().to_owned(),
        tax_code: o.tax_code,
        municipality: o.municipality.as_ref().map(|m| m.istat_code.clone()),
        municipality_name: o.municipality.as_ref().map(|m| m.name.clone()),
        province_code: o.municipality.as_ref().map(|m| m.province_code.clone()),
        address: o.address,
        email: o.email,
        phone: o.phone,
        website: o.website,
        resources: o.resources,
        archived: o.archived,
    }
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct OrganisationQuery {
    /// Part of the name, or the exact tax code.
    pub q: Option<String>,
    pub kind: Option<String>,
    /// Province abbreviation, e.g. `MI`.
    pub province: Option<String>,
    /// ISTAT code of the municipality.
    pub municipality: Option<String>,
    /// A resource tag.
    pub resource: Option<String>,
    pub include_archived: Option<bool>,
    pub page: Option<u32>,
    /// 1–500, default 50.
    pub per_page: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/organisations", tag = "registry", params(OrganisationQuery),
    responses((status = 200, body = ApiPage<OrganisationDto>), (status = 401, body = super::ApiErrorBody)))]
pub async fn list_organisations(
    State(state): State<AppState>,
    Query(query): Query<OrganisationQuery>,
) -> AppResult<Json<ApiPage<OrganisationDto>>> {
    let kind = match query.kind.as_deref().filter(|k| !k.is_empty()) {
        Some(kind) => Some(OrganisationKind::parse(kind).map_err(|e| AppError::Invalid(e.into()))?),
        None => None,
    };
    let filter = OrganisationFilter {
        query: query.q,
        kind,
        municipality_code: query.municipality,
        province_code: query.province,
        resource: query.resource,
        include_archived: query.include_archived.unwrap_or(false),
        scope: None,
    };
    let page = state.db.list_organisations(&filter, PageRequest::new(query.page, query.per_page)).await?;
    Ok(Json(page_of(page, organisation_dto)))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct OrganisationBody {
    pub name: String,
    pub kind: String,
    pub tax_code: String,
    /// Municipality name or ISTAT code.
    pub municipality: Option<String>,
    /// Province, to tell apart municipalities with the same name.
    pub province: Option<String>,
    pub address: String,
    pub email: Option<String>,
    pub phone: String,
    pub website: String,
    pub resources: Vec<String>,
}

/// Checks a body as the organisation form and the import do.
async fn organisation_input(state: &AppState, body: OrganisationBody) -> AppResult<OrganisationInput> {
    let raw = OrganisationRaw {
        name: Some(body.name),
        kind: Some(body.kind),
        tax_code: Some(body.tax_code),
        municipality: body.municipality,
        province: body.province,
        address: Some(body.address),
        email: body.email,
        phone: Some(body.phone),
        website: Some(body.website),
        resources: body.resources,
    };
    let territory = state.db.territory().await?;
    OrganisationInput::parse(&raw, &OrganisationContext { territory: &territory, source: Source::Typed })
        .map_err(AppError::Invalid)
}

#[utoipa::path(post, path = "/api/v1/organisations", tag = "registry", request_body = OrganisationBody,
    responses((status = 201, body = OrganisationDto), (status = 409, body = super::ApiErrorBody), (status = 422, body = super::ApiErrorBody)))]
pub async fn create_organisation(
    State(state): State<AppState>,
    identity: Coordination,
    ApiJson(body): ApiJson<OrganisationBody>,
) -> AppResult<(StatusCode, Json<OrganisationDto>)> {
    let input = organisation_input(&state, body).await?;
    let created = state.db.create_organisation(&identity.actor(), &input).await?;
    Ok((StatusCode::CREATED, Json(organisation_dto(created))))
}

#[utoipa::path(get, path = "/api/v1/organisations/{id}", tag = "registry", responses((status = 200, body = OrganisationDto), (status = 404, body = super::ApiErrorBody)))]
pub async fn get_organisation(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> AppResult<Json<OrganisationDto>> {
    Ok(Json(organisation_dto(state.db.organisation(&id).await?.ok_or(AppError::NotFound)?)))
}

#[utoipa::path(put, path = "/api/v1/organisations/{id}", tag = "registry", request_body = OrganisationBody,
    responses((status = 200, body = OrganisationDto), (status = 404, body = super::ApiErrorBody), (status = 422, body = super::ApiErrorBody)))]
pub async fn update_organisation(
    State(state): State<AppState>,
    identity: Coordination,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<OrganisationBody>,
) -> AppResult<Json<OrganisationDto>> {
    state.db.organisation(&id).await?.ok_or(AppError::NotFound)?;
    let input = organisation_input(&state, body).await?;
    Ok(Json(organisation_dto(state.db.update_organisation(&identity.actor(), &id, &input).await?)))
}

/// Archives the organisation (it leaves lists; its history stays).
#[utoipa::path(delete, path = "/api/v1/organisations/{id}", tag = "registry", responses((status = 204), (status = 404, body = super::ApiErrorBody)))]
pub async fn archive_organisation(
    State(state): State<AppState>,
    identity: Coordination,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    state.db.set_organisation_archived(&identity.actor(), &id, true).await?;
    Ok(StatusCode::NO_CONTENT)
}
