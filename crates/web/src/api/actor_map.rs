//! A network's actor map over the API (decision 0030), with the pages' rules: read by whoever sees
//! the network's private data, changed by its lead and the coordination. The metrics are the
//! `graph` crate's, the same as the page's and the snapshots'.

use super::ApiErrorBody;
use super::json::ApiJson;
use crate::AppState;
use crate::actor_map::{MapAt, snapshot_data};
use crate::context::RequestContext;
use crate::error::{AppError, AppResult};
use crate::i18n::Translator;
use crate::pages::actor_map::{reasons, relation_input};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use reti_domain::actor_map::{Need, RelationRaw, SnapshotData};
use reti_store::actor_map::{ActorMap, Relation, Snapshot, SnapshotSummary};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct RelationDto {
    pub id: String,
    pub organisation_a: String,
    pub name_a: String,
    pub organisation_b: String,
    pub name_b: String,
    /// `collaborazione`, `scambio_informazioni`, `condivisione_risorse` or `accordo_formale`.
    pub kind: String,
    /// 1 (weak) to 3 (strong).
    pub strength: u8,
    /// `YYYY-MM-DD`.
    pub since: Option<String>,
    pub note: String,
}

fn relation_dto(relation: &Relation) -> RelationDto {
    RelationDto {
        id: relation.id.clone(),
        organisation_a: relation.organisation_a.clone(),
        name_a: relation.name_a.clone(),
        organisation_b: relation.organisation_b.clone(),
        name_b: relation.name_b.clone(),
        kind: relation.kind.code().to_owned(),
        strength: relation.strength,
        since: relation.since.map(|d| d.to_string()),
        note: relation.note.clone(),
    }
}

/// An organisation of the map with its metrics (networkx's definitions; see the `graph` crate).
#[derive(Serialize, ToSchema)]
pub struct NodeDto {
    pub organisation_id: String,
    pub name: String,
    pub member: bool,
    pub degree: usize,
    pub betweenness: f64,
    pub closeness: f64,
    /// `null` when the map is disconnected.
    pub eigenvector: Option<f64>,
    pub clustering: f64,
    /// `null` for an organisation without relations.
    pub constraint: Option<f64>,
    pub community: usize,
}

#[derive(Serialize, ToSchema)]
pub struct EdgeDto {
    pub organisation_a: String,
    pub organisation_b: String,
    pub kind: String,
    pub strength: u8,
}

fn graph_parts(data: &SnapshotData) -> (Vec<NodeDto>, Vec<EdgeDto>) {
    let nodes = data
        .nodes
        .iter()
        .map(|n| NodeDto {
            organisation_id: n.organisation_id.clone(),
            name: n.name.clone(),
            member: n.member,
            degree: n.degree,
            betweenness: n.betweenness,
            closeness: n.closeness,
            eigenvector: n.eigenvector,
            clustering: n.clustering,
            constraint: n.constraint,
            community: n.community,
        })
        .collect();
    let edges = data
        .relations
        .iter()
        .map(|r| EdgeDto {
            organisation_a: r.organisation_a.clone(),
            organisation_b: r.organisation_b.clone(),
            kind: r.kind.code().to_owned(),
            strength: r.strength,
        })
        .collect();
    (nodes, edges)
}

#[derive(Serialize, ToSchema)]
pub struct MapDto {
    pub network_id: String,
    pub density: f64,
    pub components: usize,
    pub modularity: Option<f64>,
    pub nodes: Vec<NodeDto>,
    /// One per relation (a pair with two kinds of relation has two).
    pub edges: Vec<EdgeDto>,
    /// The organisations' resources (registry tags), by organisation id.
    pub resources: std::collections::BTreeMap<String, Vec<String>>,
}

fn map_dto(map: &ActorMap) -> MapDto {
    let data = snapshot_data(map);
    let (nodes, edges) = graph_parts(&data);
    MapDto {
        network_id: map.network_id.clone(),
        density: data.density,
        components: data.components,
        modularity: data.modularity,
        nodes,
        edges,
        resources: map.organisations.iter().map(|o| (o.id.clone(), o.resources.clone())).collect(),
    }
}

/// The network's map: its organisations with their metrics, and its relations.
#[utoipa::path(get, path = "/api/v1/networks/{id}/map", tag = "actor map",
    responses((status = 200, body = MapDto), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn get_map(State(state): State<AppState>, at: MapAt) -> AppResult<Json<MapDto>> {
    Ok(Json(map_dto(&state.db.actor_map(&at.network.id).await?)))
}

/// The network's relations, by the names of their pair.
#[utoipa::path(get, path = "/api/v1/networks/{id}/map/relations", tag = "actor map",
    responses((status = 200, body = [RelationDto]), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn list_relations(State(state): State<AppState>, at: MapAt) -> AppResult<Json<Vec<RelationDto>>> {
    let map = state.db.actor_map(&at.network.id).await?;
    Ok(Json(map.relations.iter().map(relation_dto).collect()))
}

#[derive(Deserialize, Serialize, ToSchema)]
pub struct RelationBody {
    /// An organisation id; one not yet on the map joins it as a context actor.
    pub organisation_a: String,
    pub organisation_b: String,
    /// `collaborazione`, `scambio_informazioni`, `condivisione_risorse` or `accordo_formale`.
    pub kind: String,
    /// 1 to 3; 1 when absent.
    #[serde(default)]
    pub strength: Option<i64>,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub since: Option<String>,
    #[serde(default)]
    pub note: String,
}

async fn input_of(state: &AppState, body: RelationBody) -> AppResult<reti_domain::actor_map::RelationInput> {
    let raw = RelationRaw {
        organisation_a: body.organisation_a,
        organisation_b: body.organisation_b,
        kind: body.kind,
        strength: body.strength.map(|s| s.to_string()).unwrap_or_default(),
        since: body.since.unwrap_or_default(),
        note: body.note,
    };
    relation_input(state, &raw).await?.map_err(AppError::Invalid)
}

async fn relation_by_id(state: &AppState, network_id: &str, id: &str) -> AppResult<Json<RelationDto>> {
    let map = state.db.actor_map(network_id).await?;
    map.relation(id).map(|r| Json(relation_dto(r))).ok_or(AppError::NotFound)
}

/// Adds a relation; the same kind between the same pair twice is a conflict (409).
#[utoipa::path(post, path = "/api/v1/networks/{id}/map/relations", tag = "actor map", request_body = RelationBody,
    responses((status = 201, body = RelationDto), (status = 403, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn create_relation(
    State(state): State<AppState>,
    at: MapAt,
    ApiJson(body): ApiJson<RelationBody>,
) -> AppResult<(StatusCode, Json<RelationDto>)> {
    let at = at.editor()?;
    let input = input_of(&state, body).await?;
    let id = state.db.map_add_relation(&at.user.actor(), &at.network.id, &input).await?;
    Ok((StatusCode::CREATED, relation_by_id(&state, &at.network.id, &id).await?))
}

#[derive(Deserialize)]
pub struct RelationPath {
    pub id: String,
    pub relation_id: String,
}

#[utoipa::path(put, path = "/api/v1/networks/{id}/map/relations/{relation_id}", tag = "actor map", request_body = RelationBody,
    responses((status = 200, body = RelationDto), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn update_relation(
    State(state): State<AppState>,
    at: MapAt,
    Path(path): Path<RelationPath>,
    ApiJson(body): ApiJson<RelationBody>,
) -> AppResult<Json<RelationDto>> {
    let at = at.editor()?;
    let input = input_of(&state, body).await?;
    state.db.map_update_relation(&at.user.actor(), &at.network.id, &path.relation_id, &input).await?;
    relation_by_id(&state, &at.network.id, &path.relation_id).await
}

#[utoipa::path(delete, path = "/api/v1/networks/{id}/map/relations/{relation_id}", tag = "actor map",
    responses((status = 204), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn delete_relation(
    State(state): State<AppState>,
    at: MapAt,
    Path(path): Path<RelationPath>,
) -> AppResult<StatusCode> {
    let at = at.editor()?;
    state.db.map_delete_relation(&at.user.actor(), &at.network.id, &path.relation_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct SnapshotSummaryDto {
    pub id: String,
    pub round_id: String,
    /// `baseline`, `midterm` or `final`.
    pub round_kind: String,
    pub taken_at: String,
    pub density: f64,
    pub components: i64,
    pub relations: i64,
}

fn summary_dto(summary: &SnapshotSummary) -> SnapshotSummaryDto {
    SnapshotSummaryDto {
        id: summary.id.clone(),
        round_id: summary.round_id.clone(),
        round_kind: summary.round_kind.code().to_owned(),
        taken_at: summary.taken_at.clone(),
        density: summary.density,
        components: summary.components,
        relations: summary.relations,
    }
}

#[derive(Serialize, ToSchema)]
pub struct SnapshotDto {
    #[serde(flatten)]
    pub summary: SnapshotSummaryDto,
    pub modularity: Option<f64>,
    pub nodes: Vec<NodeDto>,
    pub edges: Vec<EdgeDto>,
}

fn snapshot_dto(snapshot: &Snapshot) -> SnapshotDto {
    let (nodes, edges) = graph_parts(&snapshot.data);
    SnapshotDto { summary: summary_dto(&snapshot.summary), modularity: snapshot.data.modularity, nodes, edges }
}

/// The network's snapshots, oldest round first.
#[utoipa::path(get, path = "/api/v1/networks/{id}/map/snapshots", tag = "actor map",
    responses((status = 200, body = [SnapshotSummaryDto]), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn list_snapshots(State(state): State<AppState>, at: MapAt) -> AppResult<Json<Vec<SnapshotSummaryDto>>> {
    Ok(Json(state.db.map_snapshots(&at.network.id).await?.iter().map(summary_dto).collect()))
}

#[derive(Deserialize)]
pub struct SnapshotPath {
    pub id: String,
    pub snapshot_id: String,
}

/// One snapshot with its frozen map and metrics.
#[utoipa::path(get, path = "/api/v1/networks/{id}/map/snapshots/{snapshot_id}", tag = "actor map",
    responses((status = 200, body = SnapshotDto), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn get_snapshot(
    State(state): State<AppState>,
    at: MapAt,
    Path(path): Path<SnapshotPath>,
) -> AppResult<Json<SnapshotDto>> {
    let snapshot = state.db.map_snapshot(&at.network.id, &path.snapshot_id).await?.ok_or(AppError::NotFound)?;
    Ok(Json(snapshot_dto(&snapshot)))
}

#[derive(Deserialize, Serialize, ToSchema)]
pub struct SnapshotBody {
    /// A reading round of the network's programme; its earlier snapshot is replaced.
    pub round_id: String,
}

/// Takes the snapshot of a round: the map as it is now, with its metrics.
#[utoipa::path(post, path = "/api/v1/networks/{id}/map/snapshots", tag = "actor map", request_body = SnapshotBody,
    responses((status = 201, body = SnapshotDto), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn take_snapshot(
    State(state): State<AppState>,
    at: MapAt,
    ApiJson(body): ApiJson<SnapshotBody>,
) -> AppResult<(StatusCode, Json<SnapshotDto>)> {
    let at = at.editor()?;
    let data = snapshot_data(&state.db.actor_map(&at.network.id).await?);
    let id = state.db.map_save_snapshot(&at.user.actor(), &at.network.id, body.round_id.trim(), &data).await?;
    let snapshot = state.db.map_snapshot(&at.network.id, &id).await?.ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(snapshot_dto(&snapshot))))
}

#[derive(Serialize, ToSchema)]
pub struct ReasonDto {
    /// The organisation's resource that meets the need.
    pub resource: String,
    /// `objective`, `process` or `dimension`.
    pub need_kind: String,
    /// The objective's title, the process's or the dimension's name.
    pub need: String,
    /// A dimension's score (0..100).
    pub score: Option<f64>,
    /// The reason in words, in the caller's language.
    pub text: String,
}

#[derive(Serialize, ToSchema)]
pub struct GrowthSpaceDto {
    pub organisation_id: String,
    pub name: String,
    /// 3 per objective without a Responsible, 2 per process without one, (100 − score) / 50 per
    /// weak dimension.
    pub score: f64,
    pub reasons: Vec<ReasonDto>,
}

/// The network's growth spaces: organisations of its territory, not members, ranked by what they
/// could cover.
#[utoipa::path(get, path = "/api/v1/networks/{id}/map/growth-spaces", tag = "actor map",
    responses((status = 200, body = [GrowthSpaceDto]), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn growth_spaces(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    at: MapAt,
) -> AppResult<Json<Vec<GrowthSpaceDto>>> {
    let tr = Translator::new(context.locale);
    let territory = state.db.map_territory(&at.network.id).await?;
    let spaces =
        state.db.map_growth_spaces(&at.network.id, &at.network.programme_id, &territory, context.locale).await?;
    Ok(Json(
        spaces
            .iter()
            .map(|space| GrowthSpaceDto {
                organisation_id: space.organisation_id.clone(),
                name: space.name.clone(),
                score: space.score,
                reasons: space
                    .reasons
                    .iter()
                    .zip(reasons(&tr, space))
                    .map(|(reason, text)| {
                        let (need_kind, need, score) = match &reason.need {
                            Need::Objective { title } => ("objective", title.clone(), None),
                            Need::Process { name } => ("process", name.clone(), None),
                            Need::Dimension { name, score } => ("dimension", name.clone(), Some(*score)),
                        };
                        ReasonDto {
                            resource: reason.resource.clone(),
                            need_kind: need_kind.to_owned(),
                            need,
                            score,
                            text,
                        }
                    })
                    .collect(),
            })
            .collect(),
    ))
}
