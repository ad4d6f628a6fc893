//! The built-in indicators over JSON (decision 0043): each figure with its target and the page
//! listing the rows it counts. A person sees the networks their access allows: the coordination
//! every network of the programme, anyone else the networks they work on.

use crate::AppState;
use crate::context::RequestContext;
use crate::error::{AppError, AppResult};
use crate::extract::CurrentUser;
use crate::i18n::Translator;
use crate::indicators as ind;
use axum::extract::{Query, State};
use axum::{Extension, Json};
use reti_domain::indicators::Indicator;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct IndicatorsQuery {
    pub programme: String,
    pub network: String,
    pub period: String,
}

#[derive(Serialize, ToSchema)]
pub struct IndicatorItemDto {
    /// The indicator's stable code, e.g. `accompaniment_hours`.
    pub code: String,
    /// Its name in the request's language.
    pub label: String,
    /// The network; `null` for the figure of every network the caller sees.
    pub network_id: Option<String>,
    /// `2026`, `2026-Q1` or `2026-03`.
    pub period: String,
    /// `null` when there is nothing to measure (a change needs two observations).
    pub value: Option<f64>,
    pub target: Option<f64>,
    /// The page listing the records the value counts (add `&format=csv`, `xlsx` or `json`).
    pub rows_url: String,
}

#[derive(Serialize, ToSchema)]
pub struct IndicatorListDto {
    pub items: Vec<IndicatorItemDto>,
}

/// The built-in indicators over a period (this year by default): for one network (`network`),
/// or for a programme (`programme`; the only one when there is one), as a total over the networks
/// the caller sees followed by each of them.
#[utoipa::path(get, path = "/api/v1/indicators", tag = "indicators",
    params(("programme" = Option<String>, Query, description = "programme id"),
           ("network" = Option<String>, Query, description = "network id"),
           ("period" = Option<String>, Query, description = "`2026`, `2026-Q1` or `2026-03`; this year when absent")),
    responses((status = 200, body = IndicatorListDto), (status = 403, body = super::ApiErrorBody),
              (status = 404, body = super::ApiErrorBody), (status = 422, body = super::ApiErrorBody)))]
pub async fn list_indicators(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    user: CurrentUser,
    Query(query): Query<IndicatorsQuery>,
) -> AppResult<Json<IndicatorListDto>> {
    let period = ind::period_or_this_year(&query.period).map_err(AppError::Invalid)?;
    let resolved = ind::resolve(&state, &user, &query.programme, &query.network).await?;
    let tr = Translator::new(context.locale);
    let figures = state.db.indicator_figures_all(&resolved.scope, period).await?;
    let targets = state.db.indicator_targets(&resolved.programme_id, Some(period)).await?;
    let networks: Vec<String> = match &resolved.network {
        Some((id, _)) => vec![id.clone()],
        None => state.db.indicator_networks(&resolved.scope).await?.into_iter().map(|(id, _)| id).collect(),
    };
    let item = |indicator: Indicator, network_id: Option<&str>, value: Option<f64>| IndicatorItemDto {
        code: indicator.code().to_owned(),
        label: tr.t(&indicator.label_key()),
        network_id: network_id.map(str::to_owned),
        period: period.to_string(),
        value,
        target: ind::target_of(&targets, indicator, network_id, period),
        rows_url: ind::rows_url(indicator, &resolved.programme_id, network_id, period),
    };
    let mut items = Vec::new();
    for f in &figures {
        if resolved.network.is_none() {
            items.push(item(f.indicator, None, f.total));
        }
        for id in &networks {
            items.push(item(f.indicator, Some(id), f.network(id)));
        }
    }
    Ok(Json(IndicatorListDto { items }))
}
