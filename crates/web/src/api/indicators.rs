//! The indicators over JSON (decisions 0043 and 0046): each figure with its target, the page
//! listing the rows it counts (or explaining a custom figure) and the AMIF common indicator it
//! reports. A person sees the networks their access allows: the coordination every network of the
//! programme, anyone else the networks they work on. The coordination defines custom indicators.

use super::json::ApiJson;
use crate::AppState;
use crate::context::RequestContext;
use crate::custom_indicators as custom;
use crate::error::{AppError, AppResult};
use crate::extract::{CoordinatedIndicator, CoordinatedProgramme, CurrentUser};
use crate::i18n::Translator;
use crate::indicators as ind;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use reti_domain::custom_indicators::{AmifIndicator, CustomIndicatorInput, CustomIndicatorRaw};
use reti_domain::indicators::Indicator;
use reti_store::custom_indicators::CustomIndicator;
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
    /// The page listing the records the value counts (add `&format=csv`, `xlsx` or `json`); for
    /// a custom indicator, the page explaining it: its formula and its inputs' values, or the
    /// values typed by hand with their evidence.
    pub rows_url: String,
    /// The AMIF common indicator (Regulation (EU) 2021/1147, Annex VIII) the figure reports.
    pub amif: Option<AmifDto>,
}

#[derive(Serialize, ToSchema)]
pub struct AmifDto {
    /// `O.2.3`, `R.2.9`, …
    pub reference: String,
    /// Its name in the request's language.
    pub label: String,
    /// The part of the figure that reports it, when only part does: the key of its breakdown
    /// (`comune`: the member municipalities).
    pub breakdown: Option<String>,
}

fn amif_dto(tr: &Translator, amif: AmifIndicator, breakdown: Option<&str>) -> AmifDto {
    AmifDto {
        reference: amif.reference().to_owned(),
        label: tr.t(&amif.label_key()),
        breakdown: breakdown.map(str::to_owned),
    }
}

#[derive(Serialize, ToSchema)]
pub struct IndicatorListDto {
    pub items: Vec<IndicatorItemDto>,
}

/// The indicators over a period (this year by default), the built-in ones then the programme's
/// custom ones: for one network (`network`), or for a programme (`programme`; the only one when
/// there is one), as a total over the networks the caller sees followed by each of them.
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
    let scope_networks = state.db.indicator_networks(&resolved.scope).await?;
    let networks: Vec<String> = match &resolved.network {
        Some((id, _)) => vec![id.clone()],
        None => scope_networks.iter().map(|(id, _)| id.clone()).collect(),
    };
    let item = |indicator: Indicator, network_id: Option<&str>, value: Option<f64>| IndicatorItemDto {
        code: indicator.code().to_owned(),
        label: tr.t(&indicator.label_key()),
        network_id: network_id.map(str::to_owned),
        period: period.to_string(),
        value,
        target: ind::target_of(&targets, indicator, network_id, period),
        rows_url: ind::rows_url(indicator, &resolved.programme_id, network_id, period),
        amif: reti_domain::custom_indicators::amif_of(indicator).map(|(amif, part)| amif_dto(&tr, amif, part)),
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
    let custom_figures = custom::figures(&state.db, &resolved.scope, &scope_networks, &figures, period).await?;
    let custom_targets = state.db.custom_targets(&resolved.programme_id, Some(period)).await?;
    for f in &custom_figures {
        let indicator = &f.indicator;
        let custom_item = |network_id: Option<&str>| IndicatorItemDto {
            code: indicator.code.clone(),
            label: indicator.label(tr.locale).to_owned(),
            network_id: network_id.map(str::to_owned),
            period: period.to_string(),
            value: f.of(network_id),
            target: custom::target_of(&custom_targets, &indicator.code, network_id, period),
            rows_url: custom::explain_url(&resolved.programme_id, &indicator.code, network_id, period),
            amif: indicator.amif.map(|amif| amif_dto(&tr, amif, None)),
        };
        if resolved.network.is_none() {
            items.push(custom_item(None));
        }
        for id in &networks {
            items.push(custom_item(Some(id)));
        }
    }
    Ok(Json(IndicatorListDto { items }))
}

#[derive(Serialize, ToSchema)]
pub struct CustomIndicatorDto {
    pub id: String,
    pub programme_id: String,
    pub code: String,
    pub label_it: String,
    pub label_en: String,
    /// `count`, `hours`, `points` or `ratio`.
    pub unit: String,
    /// The formula as the parser prints it; `null` for values typed by hand.
    pub formula: Option<String>,
    /// Whether a value typed by hand needs a file as evidence.
    pub evidence_required: bool,
    /// The AMIF common indicator it reports, such as `R.2.9`.
    pub amif: Option<String>,
}

fn custom_dto(indicator: CustomIndicator) -> CustomIndicatorDto {
    CustomIndicatorDto {
        formula: indicator.formula.as_ref().map(ToString::to_string),
        unit: indicator.unit.code().to_owned(),
        amif: indicator.amif.map(|a| a.reference().to_owned()),
        id: indicator.id,
        programme_id: indicator.programme_id,
        code: indicator.code,
        label_it: indicator.label_it,
        label_en: indicator.label_en,
        evidence_required: indicator.evidence_required,
    }
}

#[derive(Serialize, ToSchema)]
pub struct CustomIndicatorListDto {
    pub items: Vec<CustomIndicatorDto>,
}

/// The custom indicators of a programme, to anyone with a part in it.
#[utoipa::path(get, path = "/api/v1/programmes/{id}/indicators/custom", tag = "indicators",
    responses((status = 200, body = CustomIndicatorListDto), (status = 403, body = super::ApiErrorBody),
              (status = 404, body = super::ApiErrorBody)))]
pub async fn list_custom_indicators(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Json<CustomIndicatorListDto>> {
    let programme = state.db.programme_details(&id).await?.ok_or(AppError::NotFound)?;
    ind::scope_of(&user, &programme.id).ok_or(AppError::Forbidden)?;
    let items = state.db.custom_indicators(&programme.id).await?.into_iter().map(custom_dto).collect();
    Ok(Json(CustomIndicatorListDto { items }))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct CustomIndicatorBody {
    /// Lower case letters, digits and `_`, starting with a letter; not a built-in code.
    pub code: String,
    pub label_it: String,
    /// The Italian label when absent.
    pub label_en: String,
    /// `count`, `hours`, `points` or `ratio`.
    pub unit: String,
    /// A formula over indicator codes (`+ - * /`, parentheses, numbers); absent for values typed
    /// by hand.
    pub formula: Option<String>,
    /// For values typed by hand: whether each needs a file as evidence.
    pub evidence_required: bool,
    /// An AMIF common indicator of specific objective 2, such as `O.2.3` or `R.2.9`.
    pub amif: Option<String>,
}

/// Defines a custom indicator of the programme (the coordination). Problems are named by the
/// body's fields (`formula`, `code`, …).
#[utoipa::path(post, path = "/api/v1/programmes/{id}/indicators/custom", tag = "indicators",
    request_body = CustomIndicatorBody,
    responses((status = 201, body = CustomIndicatorDto), (status = 403, body = super::ApiErrorBody),
              (status = 409, body = super::ApiErrorBody), (status = 422, body = super::ApiErrorBody)))]
pub async fn create_custom_indicator(
    State(state): State<AppState>,
    CoordinatedProgramme { programme, user }: CoordinatedProgramme,
    ApiJson(body): ApiJson<CustomIndicatorBody>,
) -> AppResult<(StatusCode, Json<CustomIndicatorDto>)> {
    let raw = CustomIndicatorRaw {
        code: body.code,
        label_it: body.label_it,
        label_en: body.label_en,
        unit: body.unit,
        kind: if body.formula.is_some() { "formula" } else { "manual" }.to_owned(),
        formula: body.formula.unwrap_or_default(),
        evidence_required: body.evidence_required,
        amif: body.amif.unwrap_or_default(),
    };
    let others: Vec<_> = state.db.custom_indicators(&programme.id).await?.iter().map(CustomIndicator::known).collect();
    let input = CustomIndicatorInput::parse(&raw, &others).map_err(|errors| {
        let renamed = ["code", "label_it", "label_en", "unit", "formula", "amif"]
            .into_iter()
            .fold(errors, |errors, name| errors.renamed(&format!("custom_{name}"), name));
        AppError::Invalid(renamed)
    })?;
    let indicator = state.db.create_custom_indicator(&user.actor(), &programme.id, &input).await?;
    Ok((StatusCode::CREATED, Json(custom_dto(indicator))))
}

/// The body's field names for the form's `custom_…` ones.
fn body_fields(errors: reti_domain::FieldErrors) -> reti_domain::FieldErrors {
    ["code", "label_it", "label_en", "unit", "formula", "amif", "period", "value", "note"]
        .into_iter()
        .fold(errors, |errors, name| errors.renamed(&format!("custom_{name}"), name))
}

/// Changes a custom indicator (the coordination): its labels, unit, AMIF reference and formula, or
/// whether its values need evidence. Its code and kind stay: `code` and the presence of `formula`
/// in the body are not read for that.
#[utoipa::path(put, path = "/api/v1/programmes/{id}/indicators/custom/{code}", tag = "indicators",
    request_body = CustomIndicatorBody,
    responses((status = 200, body = CustomIndicatorDto), (status = 403, body = super::ApiErrorBody),
              (status = 404, body = super::ApiErrorBody), (status = 422, body = super::ApiErrorBody)))]
pub async fn update_custom_indicator(
    State(state): State<AppState>,
    CoordinatedIndicator { indicator, user, .. }: CoordinatedIndicator,
    ApiJson(body): ApiJson<CustomIndicatorBody>,
) -> AppResult<Json<CustomIndicatorDto>> {
    let raw = CustomIndicatorRaw {
        code: String::new(),
        label_it: body.label_it,
        label_en: body.label_en,
        unit: body.unit,
        kind: String::new(),
        formula: body.formula.unwrap_or_default(),
        evidence_required: body.evidence_required,
        amif: body.amif.unwrap_or_default(),
    };
    let input = crate::pages::custom_indicators::checked_update(&state, &indicator, raw)
        .await?
        .map_err(|errors| AppError::Invalid(body_fields(errors)))?;
    let updated = state.db.update_custom_indicator(&user.actor(), &indicator, &input).await?;
    Ok(Json(custom_dto(updated)))
}

/// Deletes a custom indicator with its values, their evidence and its targets (the coordination);
/// refused while another custom formula names it.
#[utoipa::path(delete, path = "/api/v1/programmes/{id}/indicators/custom/{code}", tag = "indicators",
    responses((status = 204), (status = 403, body = super::ApiErrorBody), (status = 404, body = super::ApiErrorBody),
              (status = 422, body = super::ApiErrorBody)))]
pub async fn delete_custom_indicator(
    State(state): State<AppState>,
    CoordinatedIndicator { indicator, user, .. }: CoordinatedIndicator,
) -> AppResult<StatusCode> {
    if let Some(error) = crate::pages::custom_indicators::deletion_refused(&state, &indicator).await? {
        return Err(AppError::Invalid(reti_domain::FieldErrors::from(error).renamed("custom_confirm", "code")));
    }
    crate::pages::custom_indicators::delete_with_evidence(&state, &user, &indicator).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A file sent in JSON, as a value's evidence.
#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct EvidenceBody {
    /// Its name, whose extension says its type (`pdf`, `png`, `jpg`, `docx`, `xlsx`, `odt`, `csv`, `txt`…).
    pub file_name: String,
    /// Its bytes in base64; the request body as a whole is at most 1 MiB.
    pub content_base64: String,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct CustomValueBody {
    /// `2026`, `2026-Q1` or `2026-03`, within the programme's dates.
    pub period: String,
    /// The network; absent for the programme as a whole.
    pub network_id: Option<String>,
    pub value: Option<f64>,
    pub note: String,
    /// Required when the indicator asks for evidence.
    pub evidence: Option<EvidenceBody>,
}

#[derive(Serialize, ToSchema)]
pub struct CustomValueDto {
    pub id: String,
}

/// Sets the value of a custom indicator typed by hand, for a period and the programme or one of
/// its networks, with its evidence (the coordination); it replaces the value there was.
#[utoipa::path(post, path = "/api/v1/programmes/{id}/indicators/custom/{code}/values", tag = "indicators",
    request_body = CustomValueBody,
    responses((status = 201, body = CustomValueDto), (status = 403, body = super::ApiErrorBody),
              (status = 404, body = super::ApiErrorBody), (status = 422, body = super::ApiErrorBody)))]
pub async fn set_custom_value(
    State(state): State<AppState>,
    CoordinatedIndicator { indicator, programme, user }: CoordinatedIndicator,
    ApiJson(body): ApiJson<CustomValueBody>,
) -> AppResult<(StatusCode, Json<CustomValueDto>)> {
    use base64::Engine as _;
    use reti_domain::custom_indicators::{ManualValueInput, ManualValueRaw};
    if indicator.formula.is_some() {
        return Err(AppError::NotFound);
    }
    let file = match &body.evidence {
        Some(evidence) => {
            let bytes =
                base64::engine::general_purpose::STANDARD.decode(evidence.content_base64.trim()).map_err(|_| {
                    AppError::Invalid(reti_domain::FieldError::new("evidence", "error-evidence-base64").into())
                })?;
            let name = reti_domain::meetings::clean_file_name(&evidence.file_name);
            let content_type =
                reti_domain::meetings::attachment_type(&name, &bytes[..bytes.len().min(1024)], bytes.len() as u64)
                    .map_err(|error| {
                        AppError::Invalid(reti_domain::FieldErrors::from(error).renamed("file", "evidence"))
                    })?;
            Some((name, content_type, bytes))
        }
        None => None,
    };
    let raw = ManualValueRaw {
        period: body.period,
        value: body.value.map(|v| v.to_string()).unwrap_or_default(),
        note: body.note,
    };
    let input = ManualValueInput::parse(
        &raw,
        indicator.evidence_required,
        file.is_some(),
        programme.starts_on,
        programme.ends_on,
    )
    .map_err(|errors| AppError::Invalid(body_fields(errors).renamed("file", "evidence")))?;
    let dir = crate::pages::custom_indicators::evidence_dir(&state, &indicator);
    let evidence = match file {
        Some((name, content_type, bytes)) => {
            tokio::fs::create_dir_all(&dir).await.map_err(|e| AppError::Internal(e.into()))?;
            let mut temp = tempfile::NamedTempFile::new_in(&dir).map_err(|e| AppError::Internal(e.into()))?;
            std::io::Write::write_all(&mut temp, &bytes).map_err(|e| AppError::Internal(e.into()))?;
            let received = crate::pages::threads::Received { name, content_type, size: bytes.len() as u64, temp };
            Some(crate::pages::custom_indicators::evidence_file!(dir, received)?)
        }
        None => None,
    };
    let network = body.network_id.as_deref().map(str::trim).filter(|n| !n.is_empty());
    let id =
        state.db.set_custom_value(&user.actor(), &indicator, network, &input, evidence).await.map_err(|error| {
            match error {
                reti_store::StoreError::Invalid(errors) => {
                    AppError::Invalid(errors.renamed("custom_network", "network_id"))
                }
                other => other.into(),
            }
        })?;
    Ok((StatusCode::CREATED, Json(CustomValueDto { id })))
}
