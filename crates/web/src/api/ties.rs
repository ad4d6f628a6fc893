//! Cross-network ties over JSON (decision 0031): the programme's networks with their brokerage
//! metrics, the ties with their kind and weight, the organisations in several networks, and what
//! changed since an earlier date. Scope as on the page.

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::ties::{self, TieScope, TiesProgramme};
use axum::Json;
use axum::extract::{Query, State};
use reti_domain::ties::Snapshot;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TiesQuery {
    pub at: String,
    pub since: String,
}

#[derive(Serialize, ToSchema)]
pub struct TieNetworkDto {
    pub id: String,
    pub name: String,
    /// Member organisations on the date.
    pub organisations: usize,
    /// Ties to other networks.
    pub degree: usize,
    /// Normalised as networkx's `betweenness_centrality`, on the unweighted graph.
    pub betweenness: f64,
    /// Burt's constraint; `null` for a network without ties.
    pub constraint: Option<f64>,
    /// Whether removing the network splits the others (an articulation point).
    pub cut_point: bool,
}

#[derive(Serialize, ToSchema)]
pub struct TieMeetingDto {
    pub id: String,
    pub title: String,
    /// The day in Italy, `YYYY-MM-DD`.
    pub date: String,
}

#[derive(Serialize, ToSchema)]
pub struct TieDto {
    pub source: String,
    pub target: String,
    /// `organisations`, `meetings` or `both`.
    pub kind: String,
    /// Shared organisations plus joint meetings.
    pub weight: usize,
    /// Names of the shared organisations.
    pub organisations: Vec<String>,
    pub meetings: Vec<TieMeetingDto>,
    /// Whether removing the tie splits the networks it connects.
    pub bridge: bool,
}

#[derive(Serialize, ToSchema)]
pub struct SharedOrganisationDto {
    pub id: String,
    pub name: String,
    pub networks: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TieChangeDto {
    pub since: String,
    /// Pairs of network names.
    pub gained: Vec<[String; 2]>,
    pub lost: Vec<[String; 2]>,
    pub density_before: f64,
    pub density_change: f64,
}

#[derive(Serialize, ToSchema)]
pub struct TiesDto {
    pub at: String,
    /// The first day whose meetings count (a year before `at`).
    pub meetings_from: String,
    /// `whole` (coordination, facilitators) or `networks` (only the ties of the caller's networks).
    pub scope: String,
    pub density: f64,
    pub components: usize,
    pub networks: Vec<TieNetworkDto>,
    pub ties: Vec<TieDto>,
    pub shared_organisations: Vec<SharedOrganisationDto>,
    pub change: TieChangeDto,
}

pub fn ties_dto(now: &Snapshot, change: &reti_domain::ties::Change, since: time::Date, scope: &TieScope) -> TiesDto {
    let id = |i: usize| now.networks[i].id.clone();
    TiesDto {
        at: now.at.to_string(),
        meetings_from: now.meetings_from.to_string(),
        scope: match scope {
            TieScope::Whole => "whole",
            TieScope::Networks(_) => "networks",
        }
        .to_owned(),
        density: now.density,
        components: now.components,
        networks: now
            .networks
            .iter()
            .map(|n| TieNetworkDto {
                id: n.id.clone(),
                name: n.name.clone(),
                organisations: n.organisations,
                degree: n.degree,
                betweenness: n.betweenness,
                constraint: n.constraint,
                cut_point: n.cut_point,
            })
            .collect(),
        ties: now
            .ties
            .iter()
            .map(|t| TieDto {
                source: id(t.a),
                target: id(t.b),
                kind: t.kind().code().to_owned(),
                weight: t.weight(),
                organisations: t.organisations.clone(),
                meetings: t
                    .meetings
                    .iter()
                    .map(|m| TieMeetingDto { id: m.id.clone(), title: m.title.clone(), date: m.on.to_string() })
                    .collect(),
                bridge: t.bridge,
            })
            .collect(),
        shared_organisations: now
            .shared
            .iter()
            .map(|s| SharedOrganisationDto {
                id: s.id.clone(),
                name: s.name.clone(),
                networks: s.networks.iter().map(|&i| id(i)).collect(),
            })
            .collect(),
        change: TieChangeDto {
            since: since.to_string(),
            gained: change.gained.iter().map(|(a, b)| [a.clone(), b.clone()]).collect(),
            lost: change.lost.iter().map(|(a, b)| [a.clone(), b.clone()]).collect(),
            density_before: change.density_before,
            density_change: change.density_change(),
        },
    }
}

/// The programme's cross-network ties on a date (today by default), and the change since another
/// (a year earlier by default). The coordination and the programme's facilitators see every
/// network; a network's members and leads the ties of their networks.
#[utoipa::path(get, path = "/api/v1/programmes/{id}/ties", tag = "ties",
    params(("at" = Option<String>, Query, description = "YYYY-MM-DD; today when absent"),
           ("since" = Option<String>, Query, description = "YYYY-MM-DD before `at`; a year earlier when absent")),
    responses((status = 200, body = TiesDto), (status = 403, body = super::ApiErrorBody),
              (status = 404, body = super::ApiErrorBody), (status = 422, body = super::ApiErrorBody)))]
pub async fn get_ties(
    State(state): State<AppState>,
    TiesProgramme { programme, scope, .. }: TiesProgramme,
    Query(query): Query<TiesQuery>,
) -> AppResult<Json<TiesDto>> {
    let (at, since) = ties::period(&query.at, &query.since).map_err(AppError::Invalid)?;
    let loaded = ties::load(&state, &programme.id, &scope, at, since).await?;
    Ok(Json(ties_dto(&loaded.now, &loaded.change, since, &scope)))
}
