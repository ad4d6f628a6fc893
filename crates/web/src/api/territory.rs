//! ISTAT's municipalities over JSON, by name (accents folded) or code.

use crate::AppState;
use crate::error::AppResult;
use axum::Json;
use axum::extract::{Query, State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

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
