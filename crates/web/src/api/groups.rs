//! Small groups over JSON, for the coordination of a programme: propose a partition of its
//! networks within size bounds, list the saved groupings, save one.

use super::json::ApiJson;
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::extract::CoordinatedProgramme;
use crate::pages::groups::{bounds_of, proposal_for};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use reti_domain::groups::{self, Bounds, Candidate, Distances};
use reti_domain::{FieldError, FieldErrors};
use reti_store::PageRequest;
use reti_store::groups::{GroupingInput, GroupingNetwork};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct ProposeBody {
    pub min_size: u32,
    pub max_size: u32,
}

#[derive(Serialize, ToSchema)]
pub struct GroupNetworkDto {
    pub id: String,
    pub name: String,
    pub action_lines: Vec<String>,
    /// 0–100.
    pub maturity: f64,
}

#[derive(Serialize, ToSchema)]
pub struct GroupDto {
    pub networks: Vec<GroupNetworkDto>,
    /// The action lines every network of the group has.
    pub shared_lines: Vec<String>,
    pub maturity_min: f64,
    pub maturity_max: f64,
    /// The sum of the distances of the group's pairs.
    pub cost: f64,
}

#[derive(Serialize, ToSchema)]
pub struct ProposalDto {
    pub groups: Vec<GroupDto>,
    pub cost: f64,
}

fn proposal_dto(networks: &[GroupingNetwork], groups_of: &[Vec<usize>]) -> ProposalDto {
    let candidates: Vec<Candidate> = networks.iter().map(GroupingNetwork::candidate).collect();
    let distances = Distances::new(&candidates);
    let groups = groups_of
        .iter()
        .map(|group| {
            let summary = groups::summarise(&candidates, &distances, group);
            GroupDto {
                networks: group
                    .iter()
                    .map(|&i| GroupNetworkDto {
                        id: networks[i].id.clone(),
                        name: networks[i].name.clone(),
                        action_lines: networks[i].lines.clone(),
                        maturity: networks[i].maturity,
                    })
                    .collect(),
                shared_lines: summary.shared_lines,
                maturity_min: summary.maturity_min,
                maturity_max: summary.maturity_max,
                cost: summary.cost,
            }
        })
        .collect();
    ProposalDto { groups, cost: distances.cost(groups_of) }
}

fn bounds(min: u32, max: u32) -> Result<Bounds, AppError> {
    bounds_of(&min.to_string(), &max.to_string()).map_err(AppError::Invalid)
}

/// Proposes small groups of the programme's networks within the size bounds (coordination).
#[utoipa::path(post, path = "/api/v1/programmes/{id}/groupings/propose", tag = "groups", request_body = ProposeBody,
    responses((status = 200, body = ProposalDto), (status = 403, body = super::ApiErrorBody), (status = 422, body = super::ApiErrorBody)))]
pub async fn propose(
    State(state): State<AppState>,
    CoordinatedProgramme { programme, .. }: CoordinatedProgramme,
    ApiJson(body): ApiJson<ProposeBody>,
) -> AppResult<Json<ProposalDto>> {
    let bounds = bounds(body.min_size, body.max_size)?;
    let (networks, proposal) = proposal_for(&state, &programme.id, bounds).await?.map_err(AppError::Invalid)?;
    Ok(Json(proposal_dto(&networks, &proposal.groups)))
}

#[derive(Serialize, ToSchema)]
pub struct GroupingLineDto {
    pub id: String,
    pub name: String,
    pub min_size: i64,
    pub max_size: i64,
    /// The cost when saved.
    pub cost: f64,
    pub created_at: String,
    /// How many groups.
    pub groups: i64,
}

#[derive(Serialize, ToSchema)]
pub struct GroupingDto {
    pub id: String,
    pub name: String,
    pub min_size: i64,
    pub max_size: i64,
    /// The cost when saved.
    pub cost: f64,
    pub created_at: String,
    /// Each group's id and network ids.
    pub groups: Vec<SavedGroupDto>,
}

#[derive(Serialize, ToSchema)]
pub struct SavedGroupDto {
    pub id: String,
    pub network_ids: Vec<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct ListQuery {
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// The programme's saved groupings, newest first (coordination).
#[utoipa::path(get, path = "/api/v1/programmes/{id}/groupings", tag = "groups",
    params(("page" = Option<u32>, Query), ("per_page" = Option<u32>, Query)),
    responses((status = 200, body = super::ApiPage<GroupingLineDto>), (status = 403, body = super::ApiErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    CoordinatedProgramme { programme, .. }: CoordinatedProgramme,
    Query(query): Query<ListQuery>,
) -> AppResult<Json<super::ApiPage<GroupingLineDto>>> {
    let page = state.db.groupings(&programme.id, PageRequest::new(query.page, query.per_page)).await?;
    Ok(Json(super::page_of(page, |line| GroupingLineDto {
        id: line.id,
        name: line.name,
        min_size: line.min_size,
        max_size: line.max_size,
        cost: line.cost,
        created_at: line.created_at,
        groups: line.groups,
    })))
}

#[derive(Deserialize)]
pub struct GroupingPath {
    pub id: String,
    pub grouping_id: String,
}

/// One saved grouping with its groups (coordination).
#[utoipa::path(get, path = "/api/v1/programmes/{id}/groupings/{grouping_id}", tag = "groups",
    responses((status = 200, body = GroupingDto), (status = 403, body = super::ApiErrorBody), (status = 404, body = super::ApiErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    CoordinatedProgramme { programme, .. }: CoordinatedProgramme,
    Path(path): Path<GroupingPath>,
) -> AppResult<Json<GroupingDto>> {
    let grouping = state.db.grouping(&programme.id, &path.grouping_id).await?.ok_or(AppError::NotFound)?;
    Ok(Json(GroupingDto {
        id: grouping.id,
        name: grouping.name,
        min_size: grouping.min_size,
        max_size: grouping.max_size,
        cost: grouping.cost,
        created_at: grouping.created_at,
        groups: grouping.groups.into_iter().map(|g| SavedGroupDto { id: g.id, network_ids: g.network_ids }).collect(),
    }))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct GroupingBody {
    pub name: String,
    pub min_size: u32,
    pub max_size: u32,
    /// Each group's network ids: every network of the programme exactly once.
    pub groups: Vec<Vec<String>>,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedDto {
    pub id: String,
    pub cost: f64,
}

/// Saves a grouping of the programme's networks (coordination); 422 naming the field when a
/// network is missing, repeated or foreign, or a group is outside the bounds.
#[utoipa::path(post, path = "/api/v1/programmes/{id}/groupings", tag = "groups", request_body = GroupingBody,
    responses((status = 201, body = CreatedDto), (status = 403, body = super::ApiErrorBody), (status = 422, body = super::ApiErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    CoordinatedProgramme { programme, user }: CoordinatedProgramme,
    ApiJson(body): ApiJson<GroupingBody>,
) -> AppResult<(StatusCode, Json<CreatedDto>)> {
    let bounds = bounds(body.min_size, body.max_size)?;
    if body.groups.iter().map(Vec::len).sum::<usize>() > groups::MAX_NETWORKS {
        return Err(AppError::Invalid(FieldErrors(vec![
            FieldError::new("groups", "error-groups-too-many").with_arg("limit", groups::MAX_NETWORKS),
        ])));
    }
    let input = GroupingInput { name: body.name, bounds, groups: body.groups };
    let id = state.db.save_grouping(&user.actor(), &programme.id, &input).await?;
    let saved = state.db.grouping(&programme.id, &id).await?.ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(CreatedDto { id, cost: saved.cost })))
}
