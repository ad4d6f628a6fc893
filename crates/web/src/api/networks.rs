//! Networks and their memberships over JSON: everyone with a token reads the public profiles; a
//! network's private data and changes follow the caller's access to that network.

use super::json::ApiJson;
use super::programmes::ActionLineDto;
use super::{ApiPage, page_of};
use crate::AppState;
use crate::context::{Identity, NetworkAccess};
use crate::error::{AppError, AppResult};
use crate::extract::{CoordinatedNetwork, Coordination, CurrentUser, Manage, NetworkAt, Public};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use reti_domain::dates;
use reti_domain::input::{MembershipRaw, MembershipTerms, NetworkContext, NetworkRaw, Source};
use reti_domain::{FieldErrors, Maturity, NetworkStatus};
use reti_store::PageRequest;
use reti_store::registry::networks::{MembershipInput, Network, NetworkFilter, NetworkInput};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

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

/// Checks a body as the network form does. A network goes only into a programme its editor
/// coordinates; a referent keeps it where it is.
async fn network_input(
    state: &AppState,
    identity: &Identity,
    body: NetworkBody,
    existing: Option<&Network>,
) -> AppResult<NetworkInput> {
    let programme_id = match existing {
        Some(network) if !identity.coordinates(&network.programme_id) || body.programme_id.is_empty() => {
            network.programme_id.clone()
        }
        _ => body.programme_id.clone(),
    };
    let stays = existing.is_some_and(|network| network.programme_id == programme_id);
    let allowed = state.db.programme(&programme_id).await?.is_some() && (stays || identity.coordinates(&programme_id));
    let lines = if allowed { state.db.action_lines(&programme_id).await? } else { Vec::new() };
    let known: Vec<(&str, i64)> = lines.iter().map(|l| (l.id.as_str(), l.number)).collect();
    let raw = NetworkRaw {
        name: Some(body.name),
        description: Some(body.description),
        maturity: body.maturity,
        status: body.status,
        municipalities: body.municipalities,
        action_lines: body.action_lines,
    };
    let territory = state.db.territory().await?;
    let context = NetworkContext {
        programme_id: allowed.then_some(programme_id.as_str()),
        action_lines: &known,
        territory: &territory,
    };
    NetworkInput::parse(&raw, &context).map_err(|errors| AppError::Invalid(errors.renamed("programme", "programme_id")))
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
    CoordinatedNetwork { network, user: identity }: CoordinatedNetwork,
) -> AppResult<StatusCode> {
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
    let raw = MembershipRaw { role: Some(body.role), joined_on: body.joined_on, left_on: None };
    let terms = MembershipTerms::parse(&raw, &Source::Typed).map_err(AppError::Invalid)?;
    let input = MembershipInput { organisation_id: body.organisation_id, role: terms.role, joined_on: terms.joined_on };
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
