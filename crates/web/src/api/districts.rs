//! Social-planning districts (ambiti territoriali) over the API: read-only, they come in by import.

use crate::AppState;
use crate::error::AppResult;
use axum::Json;
use axum::extract::{Query, State};
use reti_store::registry::districts::District;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct DistrictMunicipalityDto {
    pub istat_code: String,
    pub name: String,
    pub province_code: String,
}

#[derive(Serialize, ToSchema)]
pub struct DistrictDto {
    pub id: String,
    /// The code networks are filtered by (`GET /api/v1/networks?district=`), as is the id.
    pub code: String,
    pub name: String,
    pub region: String,
    pub municipalities: Vec<DistrictMunicipalityDto>,
}

impl From<District> for DistrictDto {
    fn from(district: District) -> Self {
        DistrictDto {
            id: district.id,
            code: district.code,
            name: district.name,
            region: district.region,
            municipalities: district
                .municipalities
                .into_iter()
                .map(|m| DistrictMunicipalityDto {
                    istat_code: m.istat_code,
                    name: m.name,
                    province_code: m.province_code,
                })
                .collect(),
        }
    }
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct DistrictQuery {
    /// Part of a district's name or code.
    pub q: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/districts", tag = "registry", params(DistrictQuery), responses((status = 200, body = Vec<DistrictDto>)))]
pub async fn list_districts(
    State(state): State<AppState>,
    Query(query): Query<DistrictQuery>,
) -> AppResult<Json<Vec<DistrictDto>>> {
    let districts = state.db.list_districts(query.q.as_deref().unwrap_or("")).await?;
    Ok(Json(districts.into_iter().map(DistrictDto::from).collect()))
}
