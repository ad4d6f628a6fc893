//! The registry over JSON: programmes, municipalities, organisations, people, networks with their
//! memberships, local projects. Same rules as the pages: anyone with a token reads the shared
//! registry and networks' public profiles; the coordination writes; a network's private data and
//! changes follow the caller's access to that network.

use super::json::ApiJson;
use crate::context::{Identity, NetworkAccess};
use crate::error::{AppError, AppResult};
use crate::extract::{
    CoordinatedProgramme, Coordination, CurrentUser, Manage, NetworkAt, PersonInScope, Private, ProjectAt, Public,
};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use reti_domain::dates;
use reti_domain::taxcode::TaxCode;
use reti_domain::{Email, FieldErrors, Maturity, MembershipRole, NetworkStatus, OrganisationKind, PersonName};
use reti_store::registry::networks::{MembershipInput, Network, NetworkFilter, NetworkInput};
use reti_store::registry::organisations::{Organisation, OrganisationFilter, OrganisationInput};
use reti_store::registry::people::{Person, PersonFilter, PersonInput};
use reti_store::registry::projects::{LocalProject, ProjectInput};
use reti_store::{Page, PageRequest};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;

/// A page of results.
#[derive(Serialize, ToSchema)]
pub struct ApiPage<T: ToSchema> {
    pub items: Vec<T>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
}

fn page_of<T, U: ToSchema>(page: Page<T>, map: impl FnMut(T) -> U) -> ApiPage<U> {
    ApiPage {
        items: page.items.into_iter().map(map).collect(),
        page: page.page,
        per_page: page.per_page,
        total: page.total,
    }
}

// ---------------------------------------------------------------- programmes and territory

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
    let mut errors = FieldErrors::default();
    let code = body.code.split_whitespace().collect::<String>().to_uppercase();
    if code.is_empty() {
        errors.push("code", "error-required");
    }
    if body.name.trim().is_empty() {
        errors.push("name", "error-required");
    }
    errors.into_result().map_err(AppError::Invalid)?;
    let programme = state.db.create_programme(&identity.actor(), &code, &body.name).await?;
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
    let mut errors = FieldErrors::default();
    if body.name.trim().is_empty() {
        errors.push("name", "error-required");
    }
    let starts_on = errors.check(dates::parse_optional("starts_on", body.starts_on.as_deref().unwrap_or(""))).flatten();
    let ends_on = errors.check(dates::parse_optional("ends_on", body.ends_on.as_deref().unwrap_or(""))).flatten();
    if body.action_lines.iter().any(|l| !(1..=99).contains(&l.number) || l.title.trim().is_empty()) {
        errors.push("action_lines", "error-action-line-invalid");
    }
    errors.into_result().map_err(AppError::Invalid)?;
    let actor = identity.actor();
    let input =
        reti_store::programmes::ProgrammeInput { name: body.name, fund: body.fund, cup: body.cup, starts_on, ends_on };
    let lines: Vec<(i64, String)> = body.action_lines.iter().map(|l| (l.number, l.title.clone())).collect();
    state.db.update_programme_with_action_lines(&actor, &id, &input, &lines).await?;
    Ok(Json(programme_dto(state.db.programme_details(&id).await?.ok_or(AppError::NotFound)?)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MunicipalityQuery {
    /// Part of the name (accents and case ignored) or the ISTAT code.
    pub q: String,
    /// e.g. `Lombardia`
    pub region: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct MunicipalityDto {
    pub istat_code: String,
    pub name: String,
    pub province: String,
    pub province_code: String,
    pub region: String,
    pub cadastral_code: String,
}

/// ISTAT's municipalities by name or code.
#[utoipa::path(get, path = "/api/v1/municipalities", tag = "registry", params(MunicipalityQuery), responses((status = 200, body = Vec<MunicipalityDto>)))]
pub async fn search_municipalities(
    State(state): State<AppState>,
    Query(query): Query<MunicipalityQuery>,
) -> AppResult<Json<Vec<MunicipalityDto>>> {
    let found = state.db.search_municipalities(&query.q, query.region.as_deref().filter(|r| !r.is_empty()), 50).await?;
    Ok(Json(
        found
            .into_iter()
            .map(|m| MunicipalityDto {
                istat_code: m.istat_code,
                name: m.name,
                province: m.province,
                province_code: m.province_code,
                region: m.region,
                cadastral_code: m.cadastral_code,
            })
            .collect(),
    ))
}

// ---------------------------------------------------------------- organisations

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

async fn organisation_input(state: &AppState, body: OrganisationBody) -> AppResult<OrganisationInput> {
    let mut errors = FieldErrors::default();
    let name = body.name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        errors.push("name", "error-required");
    }
    let kind = errors.check(OrganisationKind::parse(&body.kind));
    let tax_code = errors.check(TaxCode::parse(&body.tax_code));
    let email = match body.email.as_deref().filter(|e| !e.trim().is_empty()) {
        Some(email) => errors.check(Email::parse(email)),
        None => None,
    };
    let municipality_code = match body.municipality.as_deref().filter(|m| !m.trim().is_empty()) {
        Some(typed) => {
            let index = state.db.territory().await?;
            index.resolve_into(typed, body.province.as_deref().unwrap_or(""), &mut errors, "municipality")
        }
        None => None,
    };
    match (kind, tax_code, errors.is_empty()) {
        (Some(kind), Some(tax_code), true) => Ok(OrganisationInput {
            name,
            kind,
            tax_code,
            municipality_code,
            address: body.address,
            email,
            phone: body.phone,
            website: body.website,
            resources: body.resources,
        }),
        _ => Err(AppError::Invalid(errors)),
    }
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

// ---------------------------------------------------------------- people

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

fn person_input(body: &PersonBody) -> AppResult<PersonInput> {
    let mut errors = FieldErrors::default();
    let name = errors.check(PersonName::parse(&body.name));
    let email = match body.email.as_deref().filter(|e| !e.trim().is_empty()) {
        Some(email) => errors.check(Email::parse(email)),
        None => None,
    };
    match (name, errors.is_empty()) {
        (Some(name), true) => Ok(PersonInput { name, email, phone: body.phone.clone() }),
        _ => Err(AppError::Invalid(errors)),
    }
}

fn affiliations(body: &PersonBody) -> Vec<(String, String)> {
    body.affiliations.iter().map(|a| (a.organisation_id.clone(), a.position.clone())).collect()
}

#[utoipa::path(post, path = "/api/v1/people", tag = "registry", request_body = PersonBody, responses((status = 201, body = PersonDto), (status = 422, body = super::ApiErrorBody)))]
pub async fn create_person(
    State(state): State<AppState>,
    identity: Coordination,
    ApiJson(body): ApiJson<PersonBody>,
) -> AppResult<(StatusCode, Json<PersonDto>)> {
    let input = person_input(&body)?;
    let person = state.db.create_person_with_affiliations(&identity.actor(), &input, &affiliations(&body)).await?;
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
    let input = person_input(&body)?;
    let actor = identity.actor();
    let person = state.db.update_person_with_affiliations(&actor, &person.id, &input, &affiliations(&body)).await?;
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

// ---------------------------------------------------------------- networks

#[derive(Serialize, ToSchema)]
pub struct MembershipDto {
    pub id: String,
    pub organisation_id: String,
    pub organisation_name: String,
    pub tax_code: String,
    /// `lead` (capofila), `partner` or `supporter` (aderente).
    pub role: String,
    pub joined_on: Option<String>,
    pub left_on: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct MunicipalityRefDto {
    pub istat_code: String,
    pub name: String,
    pub province_code: String,
}

#[derive(Serialize, ToSchema)]
pub struct NetworkDto {
    pub id: String,
    pub programme_id: String,
    pub programme_code: String,
    pub name: String,
    pub description: String,
    /// `first_experience`, `prior_projects` or `consolidated`.
    pub maturity: Option<String>,
    /// `forming`, `active` or `closed`.
    pub status: String,
    pub archived: bool,
    pub municipalities: Vec<MunicipalityRefDto>,
    pub action_lines: Vec<ActionLineDto>,
    pub lead: Option<String>,
    /// Current members (name and role) for everyone; with dates and history only for those
    /// with access to the network's private data.
    pub memberships: Vec<MembershipDto>,
    /// Whether `memberships` holds the full history (private view).
    pub private: bool,
}

fn network_dto(network: Network, private: bool) -> NetworkDto {
    let lead = network.lead().map(|l| l.organisation_name.clone());
    let memberships = network
        .memberships
        .iter()
        .filter(|m| private || m.is_current())
        .map(|m| MembershipDto {
            id: m.id.clone(),
            organisation_id: m.organisation_id.clone(),
            organisation_name: m.organisation_name.clone(),
            tax_code: m.tax_code.clone(),
            role: m.role.code().to_owned(),
            joined_on: if private { m.joined_on.map(|d| d.to_string()) } else { None },
            left_on: m.left_on.map(|d| d.to_string()),
        })
        .collect();
    NetworkDto {
        id: network.id,
        programme_id: network.programme_id,
        programme_code: network.programme_code,
        name: network.name,
        description: network.description,
        maturity: network.maturity.map(|m| m.code().to_owned()),
        status: network.status.code().to_owned(),
        archived: network.archived,
        municipalities: network
            .municipalities
            .into_iter()
            .map(|m| MunicipalityRefDto { istat_code: m.istat_code, name: m.name, province_code: m.province_code })
            .collect(),
        action_lines: network
            .action_lines
            .into_iter()
            .map(|l| ActionLineDto { id: l.id, number: l.number, title: l.title })
            .collect(),
        lead,
        memberships,
        private,
    }
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct NetworkQuery {
    pub q: Option<String>,
    pub programme: Option<String>,
    pub status: Option<String>,
    pub maturity: Option<String>,
    pub province: Option<String>,
    pub action_line: Option<String>,
    pub organisation: Option<String>,
    /// A district (ambito territoriale), by id or code: networks covering one of its municipalities.
    pub district: Option<String>,
    pub include_archived: Option<bool>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/networks", tag = "registry", params(NetworkQuery), responses((status = 200, body = ApiPage<NetworkDto>)))]
pub async fn list_networks(
    State(state): State<AppState>,
    identity: CurrentUser,
    Query(query): Query<NetworkQuery>,
) -> AppResult<Json<ApiPage<NetworkDto>>> {
    let mut errors = FieldErrors::default();
    let status = query.status.as_deref().filter(|s| !s.is_empty()).and_then(|s| errors.check(NetworkStatus::parse(s)));
    let maturity = query.maturity.as_deref().filter(|s| !s.is_empty()).and_then(|s| errors.check(Maturity::parse(s)));
    errors.clone().into_result().map_err(AppError::Invalid)?;
    let filter = NetworkFilter {
        programme_ids: query.programme.filter(|p| !p.is_empty()).map(|p| vec![p]),
        query: query.q,
        status,
        maturity,
        action_line_id: query.action_line,
        province_code: query.province,
        organisation_id: query.organisation,
        // Past memberships are private data: they count only where the caller sees the history.
        history_scope: Some(identity.scope()),
        scope: None,
        district_id: query.district,
        include_archived: query.include_archived.unwrap_or(false),
    };
    let page = state.db.list_networks(&filter, PageRequest::new(query.page, query.per_page)).await?;
    Ok(Json(page_of(page, |n| {
        let private = identity.network_access(&n.id, &n.programme_id) >= NetworkAccess::Private;
        network_dto(n, private)
    })))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct NetworkBody {
    pub programme_id: String,
    pub name: String,
    pub description: String,
    pub maturity: Option<String>,
    pub status: Option<String>,
    /// Municipality names or ISTAT codes.
    pub municipalities: Vec<String>,
    /// Action line ids or numbers.
    pub action_lines: Vec<String>,
}

async fn network_input(
    state: &AppState,
    identity: &Identity,
    body: NetworkBody,
    existing: Option<&Network>,
) -> AppResult<NetworkInput> {
    let mut errors = FieldErrors::default();
    let programme_id = match existing {
        Some(network) if !identity.coordinates(&network.programme_id) || body.programme_id.is_empty() => {
            network.programme_id.clone()
        }
        _ => body.programme_id.clone(),
    };
    // A network goes only into a programme its editor coordinates; a referent keeps it where it is.
    let stays = existing.is_some_and(|network| network.programme_id == programme_id);
    if state.db.programme(&programme_id).await?.is_none() || !(stays || identity.coordinates(&programme_id)) {
        errors.push("programme_id", "error-programme-invalid");
    }
    let name = body.name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        errors.push("name", "error-required");
    }
    let maturity = body.maturity.as_deref().filter(|m| !m.is_empty()).and_then(|m| errors.check(Maturity::parse(m)));
    let status = match body.status.as_deref().filter(|s| !s.is_empty()) {
        Some(status) => errors.check(NetworkStatus::parse(status)),
        None => Some(NetworkStatus::Active),
    };
    let index = state.db.territory().await?;
    let mut codes = Vec::new();
    for typed in &body.municipalities {
        codes.extend(index.resolve_into(typed, "", &mut errors, "municipalities"));
    }
    let lines = state.db.action_lines(&programme_id).await?;
    let mut line_ids = Vec::new();
    for typed in &body.action_lines {
        match lines.iter().find(|l| &l.id == typed || typed.trim().parse::<i64>().ok() == Some(l.number)) {
            Some(line) => line_ids.push(line.id.clone()),
            None => errors.push("action_lines", "error-action-line-invalid"),
        }
    }
    match (status, errors.is_empty()) {
        (Some(status), true) => Ok(NetworkInput {
            programme_id,
            name,
            description: body.description,
            maturity,
            status,
            municipality_codes: codes,
            action_line_ids: line_ids,
        }),
        _ => Err(AppError::Invalid(errors)),
    }
}

#[utoipa::path(post, path = "/api/v1/networks", tag = "registry", request_body = NetworkBody, responses((status = 201, body = NetworkDto), (status = 422, body = super::ApiErrorBody)))]
pub async fn create_network(
    State(state): State<AppState>,
    identity: Coordination,
    ApiJson(body): ApiJson<NetworkBody>,
) -> AppResult<(StatusCode, Json<NetworkDto>)> {
    let input = network_input(&state, &identity, body, None).await?;
    let network = state.db.create_network(&identity.actor(), &input).await?;
    Ok((StatusCode::CREATED, Json(network_dto(network, true))))
}

#[utoipa::path(get, path = "/api/v1/networks/{id}", tag = "registry", responses((status = 200, body = NetworkDto), (status = 404, body = super::ApiErrorBody)))]
pub async fn get_network(NetworkAt { network, access, .. }: NetworkAt<Public>) -> AppResult<Json<NetworkDto>> {
    Ok(Json(network_dto(network, access >= NetworkAccess::Private)))
}

#[utoipa::path(put, path = "/api/v1/networks/{id}", tag = "registry", request_body = NetworkBody, responses((status = 200, body = NetworkDto), (status = 403, body = super::ApiErrorBody), (status = 422, body = super::ApiErrorBody)))]
pub async fn update_network(
    State(state): State<AppState>,
    NetworkAt { network, user: identity, .. }: NetworkAt<Manage>,
    ApiJson(body): ApiJson<NetworkBody>,
) -> AppResult<Json<NetworkDto>> {
    let input = network_input(&state, &identity, body, Some(&network)).await?;
    Ok(Json(network_dto(state.db.update_network(&identity.actor(), &network.id, &input).await?, true)))
}

#[utoipa::path(delete, path = "/api/v1/networks/{id}", tag = "registry", responses((status = 204), (status = 403, body = super::ApiErrorBody)))]
pub async fn archive_network(
    State(state): State<AppState>,
    NetworkAt { network, user: identity, .. }: NetworkAt<Public>,
) -> AppResult<StatusCode> {
    if !identity.coordinates(&network.programme_id) {
        return Err(AppError::Forbidden);
    }
    state.db.set_network_archived(&identity.actor(), &network.id, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct MembershipBody {
    pub organisation_id: String,
    /// `lead`, `partner` or `supporter` (Italian names accepted too).
    pub role: String,
    /// `YYYY-MM-DD`, or day first (`dd/mm/yyyy`, `d/m/yyyy`, with `/`, `-` or `.`)
    pub joined_on: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedId {
    pub id: String,
}

#[utoipa::path(post, path = "/api/v1/networks/{id}/memberships", tag = "registry", request_body = MembershipBody,
    responses((status = 201, body = CreatedId), (status = 409, body = super::ApiErrorBody), (status = 422, body = super::ApiErrorBody)))]
pub async fn add_membership(
    State(state): State<AppState>,
    NetworkAt { network, user: identity, .. }: NetworkAt<Manage>,
    ApiJson(body): ApiJson<MembershipBody>,
) -> AppResult<(StatusCode, Json<CreatedId>)> {
    let mut errors = FieldErrors::default();
    let role = errors.check(MembershipRole::parse(&body.role));
    let joined_on = errors.check(dates::parse_optional("joined_on", body.joined_on.as_deref().unwrap_or(""))).flatten();
    let (Some(role), true) = (role, errors.is_empty()) else { return Err(AppError::Invalid(errors)) };
    let input = MembershipInput { organisation_id: body.organisation_id, role, joined_on };
    let membership = state.db.add_membership(&identity.actor(), &network.id, &input).await?;
    Ok((StatusCode::CREATED, Json(CreatedId { id: membership })))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct EndMembershipBody {
    /// `YYYY-MM-DD` or day first (`dd/mm/yyyy`); today when absent.
    pub left_on: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/networks/{id}/memberships/{membership_id}/end", tag = "registry", request_body = EndMembershipBody,
    responses((status = 204), (status = 404, body = super::ApiErrorBody), (status = 422, body = super::ApiErrorBody)))]
pub async fn end_membership(
    State(state): State<AppState>,
    NetworkAt { user: identity, .. }: NetworkAt<Manage>,
    Path((id, membership_id)): Path<(String, String)>,
    ApiJson(body): ApiJson<EndMembershipBody>,
) -> AppResult<StatusCode> {
    let mut errors = FieldErrors::default();
    let left_on = errors
        .check(dates::parse_optional("left_on", body.left_on.as_deref().unwrap_or("")))
        .flatten()
        .unwrap_or_else(|| time::OffsetDateTime::now_utc().date());
    errors.into_result().map_err(AppError::Invalid)?;
    state.db.end_membership(&identity.actor(), &id, &membership_id, left_on).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---------------------------------------------------------------- local projects

#[derive(Serialize, ToSchema)]
pub struct ProjectActionDto {
    pub id: String,
    pub title: String,
    pub planned_outputs: String,
    pub target_groups: String,
}

#[derive(Serialize, ToSchema)]
pub struct ProjectDto {
    pub id: String,
    pub network_id: String,
    pub title: String,
    pub description: String,
    pub budget_cents: Option<i64>,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    pub archived: bool,
    pub action_lines: Vec<ActionLineDto>,
    pub actions: Vec<ProjectActionDto>,
}

fn project_dto(p: LocalProject) -> ProjectDto {
    ProjectDto {
        id: p.id,
        network_id: p.network_id,
        title: p.title,
        description: p.description,
        budget_cents: p.budget_cents,
        starts_on: p.starts_on.map(|d| d.to_string()),
        ends_on: p.ends_on.map(|d| d.to_string()),
        archived: p.archived,
        action_lines: p
            .action_lines
            .into_iter()
            .map(|l| ActionLineDto { id: l.id, number: l.number, title: l.title })
            .collect(),
        actions: p
            .actions
            .into_iter()
            .map(|a| ProjectActionDto {
                id: a.id,
                title: a.title,
                planned_outputs: a.planned_outputs,
                target_groups: a.target_groups,
            })
            .collect(),
    }
}

/// A network's local projects (private to those with access to its private data).
#[utoipa::path(get, path = "/api/v1/networks/{id}/projects", tag = "registry", responses((status = 200, body = Vec<ProjectDto>), (status = 403, body = super::ApiErrorBody)))]
pub async fn list_projects(
    State(state): State<AppState>,
    NetworkAt { network, access, .. }: NetworkAt<Private>,
) -> AppResult<Json<Vec<ProjectDto>>> {
    let projects = state.db.projects_of_network(&network.id, access == NetworkAccess::Manage).await?;
    Ok(Json(projects.into_iter().map(project_dto).collect()))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct ProjectBody {
    pub title: String,
    pub description: String,
    pub budget_cents: Option<i64>,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    /// Action line ids or numbers.
    pub action_lines: Vec<String>,
    /// Replaces the actions when given.
    pub actions: Option<Vec<ProjectActionBody>>,
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct ProjectActionBody {
    pub title: String,
    pub planned_outputs: String,
    pub target_groups: String,
}

async fn project_input(state: &AppState, network: &Network, body: &ProjectBody) -> AppResult<ProjectInput> {
    let mut errors = FieldErrors::default();
    if body.title.trim().is_empty() {
        errors.push("title", "error-required");
    }
    if body.budget_cents.is_some_and(|b| b < 0) {
        errors.push("budget_cents", "error-amount-invalid");
    }
    let starts_on = errors.check(dates::parse_optional("starts_on", body.starts_on.as_deref().unwrap_or(""))).flatten();
    let ends_on = errors.check(dates::parse_optional("ends_on", body.ends_on.as_deref().unwrap_or(""))).flatten();
    if let (Some(start), Some(end)) = (starts_on, ends_on)
        && end < start
    {
        errors.push("ends_on", "error-date-order");
    }
    let lines = state.db.action_lines(&network.programme_id).await?;
    let mut line_ids = Vec::new();
    for typed in &body.action_lines {
        match lines.iter().find(|l| &l.id == typed || typed.trim().parse::<i64>().ok() == Some(l.number)) {
            Some(line) => line_ids.push(line.id.clone()),
            None => errors.push("action_lines", "error-action-line-invalid"),
        }
    }
    if body.actions.iter().flatten().any(|a| a.title.trim().is_empty()) {
        errors.push("actions", "error-required");
    }
    errors.into_result().map_err(AppError::Invalid)?;
    Ok(ProjectInput {
        title: body.title.trim().to_owned(),
        description: body.description.clone(),
        budget_cents: body.budget_cents,
        starts_on,
        ends_on,
        action_line_ids: line_ids,
    })
}

fn action_inputs(body: &ProjectBody) -> Option<Vec<reti_store::registry::projects::ActionInput>> {
    body.actions.as_ref().map(|actions| {
        actions
            .iter()
            .map(|action| reti_store::registry::projects::ActionInput {
                title: action.title.clone(),
                planned_outputs: action.planned_outputs.clone(),
                target_groups: action.target_groups.clone(),
            })
            .collect()
    })
}

#[utoipa::path(post, path = "/api/v1/networks/{id}/projects", tag = "registry", request_body = ProjectBody, responses((status = 201, body = ProjectDto), (status = 422, body = super::ApiErrorBody)))]
pub async fn create_project(
    State(state): State<AppState>,
    NetworkAt { network, user: identity, .. }: NetworkAt<Manage>,
    ApiJson(body): ApiJson<ProjectBody>,
) -> AppResult<(StatusCode, Json<ProjectDto>)> {
    let input = project_input(&state, &network, &body).await?;
    let actor = identity.actor();
    let project =
        state.db.create_project_with_actions(&actor, &network.id, &input, action_inputs(&body).as_deref()).await?;
    Ok((StatusCode::CREATED, Json(project_dto(project))))
}

#[utoipa::path(get, path = "/api/v1/projects/{id}", tag = "registry", responses((status = 200, body = ProjectDto), (status = 403, body = super::ApiErrorBody), (status = 404, body = super::ApiErrorBody)))]
pub async fn get_project(ProjectAt { project, .. }: ProjectAt<Private>) -> AppResult<Json<ProjectDto>> {
    Ok(Json(project_dto(project)))
}

#[utoipa::path(put, path = "/api/v1/projects/{id}", tag = "registry", request_body = ProjectBody, responses((status = 200, body = ProjectDto), (status = 422, body = super::ApiErrorBody)))]
pub async fn update_project(
    State(state): State<AppState>,
    ProjectAt { project, network, user: identity, .. }: ProjectAt<Manage>,
    ApiJson(body): ApiJson<ProjectBody>,
) -> AppResult<Json<ProjectDto>> {
    let input = project_input(&state, &network, &body).await?;
    let actor = identity.actor();
    let project =
        state.db.update_project_with_actions(&actor, &project.id, &input, action_inputs(&body).as_deref()).await?;
    Ok(Json(project_dto(project)))
}

#[utoipa::path(delete, path = "/api/v1/projects/{id}", tag = "registry", responses((status = 204), (status = 403, body = super::ApiErrorBody)))]
pub async fn archive_project(
    State(state): State<AppState>,
    ProjectAt { project, user: identity, .. }: ProjectAt<Manage>,
) -> AppResult<StatusCode> {
    state.db.set_project_archived(&identity.actor(), &project.id, true).await?;
    Ok(StatusCode::NO_CONTENT)
}
