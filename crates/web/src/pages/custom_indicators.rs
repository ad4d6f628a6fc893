//! The custom indicators of a programme (decision 0046): the list and the coordination's forms to
//! define one, change it or delete it; the page explaining a figure (a formula with its inputs' values, or the values
//! typed by hand with their evidence) with the coordination's form to type a value and attach its
//! evidence; the evidence's download. Everyone else in the programme reads them within the networks
//! they see, as the dashboards do.

use super::{form_status, render_status, set_flash_redirect};
use crate::AppState;
use crate::custom_indicators::{self as custom, CustomFigures};
use crate::error::{AppError, AppResult};
use crate::extract::{CoordinatedIndicator, CoordinatedProgramme, CurrentUser};
use crate::i18n::Translator;
use crate::indicators as ind;
use crate::page::{FormPage, PageContext};
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use reti_domain::custom_indicators::{
    AmifIndicator, CustomIndicatorInput, CustomIndicatorRaw, Known, ManualValueInput, ManualValueRaw, named_by,
};
use reti_domain::indicators::{Indicator, Period, Unit};
use reti_domain::{FieldError, FieldErrors};
use reti_store::custom_indicators::{CustomIndicator, ManualValue};
use reti_store::programmes::ProgrammeDetails;
use serde::Deserialize;
use tower_sessions::Session;

/// Where the evidence of an indicator's values is kept.
pub(crate) fn evidence_dir(state: &AppState, indicator: &CustomIndicator) -> std::path::PathBuf {
    super::meetings::attachments_dir(state, &indicator.id)
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct DefinitionForm {
    pub custom_code: String,
    pub custom_label_it: String,
    pub custom_label_en: String,
    pub custom_unit: String,
    pub custom_kind: String,
    pub custom_formula: String,
    pub custom_evidence_required: String,
    pub custom_amif: String,
}

impl DefinitionForm {
    pub fn raw(&self) -> CustomIndicatorRaw {
        CustomIndicatorRaw {
            code: self.custom_code.clone(),
            label_it: self.custom_label_it.clone(),
            label_en: self.custom_label_en.clone(),
            unit: self.custom_unit.clone(),
            kind: self.custom_kind.clone(),
            formula: self.custom_formula.clone(),
            evidence_required: !self.custom_evidence_required.is_empty(),
            amif: self.custom_amif.clone(),
        }
    }
}

pub struct DefinitionLine {
    pub code: String,
    pub label: String,
    pub unit: String,
    pub definition: String,
    pub evidence_required: bool,
    pub amif: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "indicators/custom.html")]
struct ListPage {
    page: PageContext,
    programme: ProgrammeDetails,
    period: String,
    lines: Vec<DefinitionLine>,
    /// The built-in indicators that report an AMIF common indicator: (label, reference).
    amif_map: Vec<(String, String)>,
    /// The form, for the coordination.
    form: Option<DefinitionForm>,
    units: Vec<(&'static str, String)>,
    amif_options: Vec<(&'static str, String)>,
    form_action: String,
    errors: FieldErrors,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    pub period: String,
}

async fn list_page(
    state: &AppState,
    page: PageContext,
    user: &CurrentUser,
    programme: ProgrammeDetails,
    period: &str,
    form: Option<DefinitionForm>,
    errors: FieldErrors,
) -> AppResult<Response> {
    ind::scope_of(user, &programme.id).ok_or(AppError::Forbidden)?;
    let tr = page.translator();
    let period =
        ind::period_or_this_year(period).unwrap_or_else(|_| Period::containing(reti_domain::meetings::today_in_rome()));
    let lines = state
        .db
        .custom_indicators(&programme.id)
        .await?
        .iter()
        .map(|indicator| DefinitionLine {
            code: indicator.code.clone(),
            label: indicator.label(tr.locale).to_owned(),
            unit: tr.t(&indicator.unit.label_key()),
            definition: match &indicator.formula {
                Some(expr) => expr.to_string(),
                None => tr.t("custom-kind-manual"),
            },
            evidence_required: indicator.evidence_required,
            amif: indicator.amif.map(|a| custom::amif_text(&tr, a, None)).unwrap_or_default(),
            href: custom::explain_url(&programme.id, &indicator.code, None, period),
        })
        .collect();
    let amif_map = Indicator::ALL
        .into_iter()
        .filter_map(|i| {
            reti_domain::custom_indicators::amif_of(i)
                .map(|(amif, part)| (tr.t(&i.label_key()), custom::amif_text(&tr, amif, part)))
        })
        .collect();
    let coordinates = user.coordinates(&programme.id);
    let form = coordinates.then(|| {
        form.unwrap_or_else(|| DefinitionForm {
            custom_kind: "formula".into(),
            custom_unit: "count".into(),
            ..DefinitionForm::default()
        })
    });
    let template = ListPage {
        form_action: format!("/programmes/{}/indicators/custom", programme.id),
        period: period.to_string(),
        lines,
        amif_map,
        form,
        units: Unit::ALL.into_iter().map(|u| (u.code(), tr.t(&u.label_key()))).collect(),
        amif_options: AmifIndicator::ALL
            .into_iter()
            .map(|a| (a.reference(), custom::amif_text(&tr, a, None)))
            .collect(),
        programme,
        errors,
        page,
    };
    render_status(form_status(&template.errors), &template)
}

pub async fn list(
    State(state): State<AppState>,
    FormPage(page): FormPage,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    let programme = state.db.programme_details(&id).await?.ok_or(AppError::NotFound)?;
    list_page(&state, page, &user, programme, &query.period, None, FieldErrors::default()).await
}

pub async fn create(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    CoordinatedProgramme { programme, user }: CoordinatedProgramme,
    axum::Form(form): axum::Form<DefinitionForm>,
) -> AppResult<Response> {
    let others: Vec<_> = state.db.custom_indicators(&programme.id).await?.iter().map(CustomIndicator::known).collect();
    let input = match CustomIndicatorInput::parse(&form.raw(), &others) {
        Ok(input) => input,
        Err(errors) => return list_page(&state, page, &user, programme, "", Some(form), errors).await,
    };
    let indicator = match state.db.create_custom_indicator(&user.actor(), &programme.id, &input).await {
        Ok(indicator) => indicator,
        Err(reti_store::StoreError::Conflict { .. }) => {
            let error = FieldError::new("custom_code", "error-custom-code-taken").with_arg("value", &input.code);
            return list_page(&state, page, &user, programme, "", Some(form), error.into()).await;
        }
        Err(other) => return Err(other.into()),
    };
    let to = format!("/programmes/{}/indicators/custom/{}", programme.id, indicator.code);
    set_flash_redirect(&session, page.t("custom-created"), &to).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ExplainQuery {
    pub period: String,
    pub network: String,
}

pub struct InputLine {
    pub code: String,
    pub label: String,
    pub value: String,
    pub href: String,
}

pub struct ValueLine {
    pub network: String,
    pub period: String,
    pub value: String,
    pub note: String,
    pub evidence: String,
    pub evidence_href: String,
    pub by: String,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ValueForm {
    pub custom_period: String,
    pub custom_network: String,
    pub custom_value: String,
    pub custom_note: String,
}

#[derive(Template)]
#[template(path = "indicators/custom_explain.html")]
struct ExplainPage {
    page: PageContext,
    label: String,
    code: String,
    unit: String,
    amif: String,
    scope_label: String,
    back_href: String,
    period: String,
    value: String,
    formula: String,
    inputs: Vec<InputLine>,
    problem: String,
    manual: bool,
    evidence_required: bool,
    values: Vec<ValueLine>,
    /// The form to type a value, for the coordination.
    value_form: Option<ValueForm>,
    action: String,
    networks: Vec<(String, String)>,
    /// The page to change or delete the indicator, for the coordination.
    edit_href: String,
    errors: FieldErrors,
}

/// The explanation of a figure, with the value form filled with `form` when it is shown again.
async fn explain_page(
    state: &AppState,
    page: PageContext,
    user: &CurrentUser,
    programme_id: &str,
    code: &str,
    query: &ExplainQuery,
    form: Option<(ValueForm, FieldErrors)>,
) -> AppResult<Response> {
    let resolved = ind::resolve(state, user, programme_id, &query.network).await?;
    let indicator = state.db.custom_indicator(&resolved.programme_id, code).await?.ok_or(AppError::NotFound)?;
    let (period, mut errors) = match ind::period_or_this_year(&query.period) {
        Ok(period) => (period, FieldErrors::default()),
        Err(errors) => (ind::period_or_this_year("").map_err(AppError::Invalid)?, errors),
    };
    let tr = page.translator();
    let networks = state.db.indicator_networks(&resolved.scope).await?;
    let builtins = state.db.indicator_figures_all(&resolved.scope, period).await?;
    let all = custom::figures(&state.db, &resolved.scope, &networks, &builtins, period).await?;
    let network_id = resolved.network.as_ref().map(|(id, _)| id.as_str());
    let mine = all.iter().find(|f| f.indicator.code == indicator.code);
    let value = mine.and_then(|f| f.of(network_id));
    let inputs = match &indicator.formula {
        Some(expr) => reti_domain::indicator_formula::references(expr)
            .into_iter()
            .map(|name| input_line(&tr, name, &builtins, &all, &resolved.programme_id, network_id, period))
            .collect(),
        None => Vec::new(),
    };
    let problem = mine
        .and_then(|f| f.problem.as_ref())
        .map(|p| crate::error::field_message(&tr, "custom_formula", p.code(), &p.field_error("custom_formula").args))
        .unwrap_or_default();
    let values = if indicator.formula.is_none() {
        let coordinates = user.coordinates(&resolved.programme_id);
        state
            .db
            .custom_values(&resolved.programme_id, Some(&indicator.id), None)
            .await?
            .into_iter()
            .filter(|v| match (&v.network_id, network_id) {
                (Some(id), Some(wanted)) => id == wanted,
                (Some(id), None) => networks.iter().any(|(n, _)| n == id),
                (None, Some(_)) => false,
                (None, None) => coordinates,
            })
            .map(|v| value_line(&tr, &resolved.programme_id, &indicator, v))
            .collect()
    } else {
        Vec::new()
    };
    let coordinates = user.coordinates(&resolved.programme_id);
    let value_form = match form {
        Some((form, form_errors)) => {
            errors = form_errors;
            Some(form)
        }
        None => Some(ValueForm {
            custom_period: period.to_string(),
            custom_network: network_id.unwrap_or("").to_owned(),
            ..ValueForm::default()
        }),
    }
    .filter(|_| coordinates && indicator.formula.is_none());
    let (scope_label, back_href) = match &resolved.network {
        Some((id, name)) => (name.clone(), format!("/networks/{id}/indicators?period={period}")),
        None => (
            resolved.programme_name.clone(),
            format!("/programmes/{}/indicators?period={period}", resolved.programme_id),
        ),
    };
    let template = ExplainPage {
        label: indicator.label(tr.locale).to_owned(),
        code: indicator.code.clone(),
        unit: tr.t(&indicator.unit.label_key()),
        amif: indicator.amif.map(|a| custom::amif_text(&tr, a, None)).unwrap_or_default(),
        scope_label,
        back_href,
        period: period.to_string(),
        value: value.map(|v| indicator.format(v)).unwrap_or_else(|| "—".to_owned()),
        formula: indicator.formula.as_ref().map(ToString::to_string).unwrap_or_default(),
        inputs,
        problem,
        manual: indicator.formula.is_none(),
        evidence_required: indicator.evidence_required,
        values,
        value_form,
        action: format!("/programmes/{}/indicators/custom/{}/values", resolved.programme_id, indicator.code),
        networks,
        edit_href: if coordinates { edit_url(&resolved.programme_id, &indicator.code) } else { String::new() },
        errors,
        page,
    };
    render_status(form_status(&template.errors), &template)
}

fn input_line(
    tr: &Translator,
    name: &str,
    builtins: &[reti_store::indicators::Figures],
    custom: &[CustomFigures],
    programme_id: &str,
    network_id: Option<&str>,
    period: Period,
) -> InputLine {
    if let Some(f) = builtins.iter().find(|f| f.indicator.code() == name) {
        let value = match network_id {
            Some(id) => f.network(id),
            None => f.total,
        };
        return InputLine {
            code: name.to_owned(),
            label: tr.t(&f.indicator.label_key()),
            value: ind::shown(f.indicator, value),
            href: ind::rows_url(f.indicator, programme_id, network_id, period),
        };
    }
    let found = custom.iter().find(|f| f.indicator.code == name);
    InputLine {
        code: name.to_owned(),
        label: found.map(|f| f.indicator.label(tr.locale).to_owned()).unwrap_or_default(),
        value: found.and_then(|f| f.of(network_id).map(|v| f.indicator.format(v))).unwrap_or_else(|| "—".to_owned()),
        href: custom::explain_url(programme_id, name, network_id, period),
    }
}

fn value_line(tr: &Translator, programme_id: &str, indicator: &CustomIndicator, value: ManualValue) -> ValueLine {
    ValueLine {
        network: if value.network_id.is_some() { value.network_name } else { tr.t("indicators-whole-programme") },
        period: value.period.to_string(),
        value: indicator.format(value.value),
        note: value.note,
        evidence_href: match &value.evidence {
            Some(_) => {
                format!("/programmes/{programme_id}/indicators/custom/{}/values/{}/evidence", indicator.code, value.id)
            }
            None => String::new(),
        },
        evidence: value.evidence.map(|e| e.file_name).unwrap_or_default(),
        by: value.created_by,
    }
}

pub async fn explain(
    State(state): State<AppState>,
    FormPage(page): FormPage,
    user: CurrentUser,
    Path((id, code)): Path<(String, String)>,
    Query(query): Query<ExplainQuery>,
) -> AppResult<Response> {
    explain_page(&state, page, &user, &id, &code, &query, None).await
}

/// A received file as a value's evidence, kept under `dir` when the value is recorded. A macro
/// rather than a function: the futures of the closures must stay concrete for the handlers' own
/// futures to be `Send`.
macro_rules! evidence_file {
    ($dir:expr, $received:expr) => {{
        let dir: std::path::PathBuf = $dir;
        let received: $crate::pages::threads::Received = $received;
        let placed = dir.clone();
        let temp = received.temp;
        i64::try_from(received.size).map_err(|e| $crate::error::AppError::Internal(e.into())).map(|size_bytes| {
            reti_store::custom_indicators::EvidenceFile {
                file_name: received.name,
                content_type: received.content_type.to_owned(),
                size_bytes,
                store: async move |value_id: &str| temp.persist(dir.join(value_id)).map(|_| ()).map_err(|e| e.error),
                discard: async move |value_id: &str| {
                    if let Err(error) = tokio::fs::remove_file(placed.join(value_id)).await {
                        tracing::warn!(%error, "could not remove the evidence of a value not recorded");
                    }
                },
            }
        })
    }};
}
pub(crate) use evidence_file;

/// A value typed by hand, with its evidence attached (a multipart form, CSRF token first).
pub async fn add_value(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    CoordinatedIndicator { indicator, programme, user }: CoordinatedIndicator,
    mut multipart: Multipart,
) -> AppResult<Response> {
    if indicator.formula.is_some() {
        return Err(AppError::NotFound);
    }
    let dir = evidence_dir(&state, &indicator);
    let (fields, file) = super::threads::read_form(&dir, &mut multipart).await?;
    let field = |name: &str| fields.get(name).cloned().unwrap_or_default();
    let form = ValueForm {
        custom_period: field("custom_period"),
        custom_network: field("custom_network"),
        custom_value: field("custom_value"),
        custom_note: field("custom_note"),
    };
    let raw = ManualValueRaw {
        period: form.custom_period.clone(),
        value: form.custom_value.clone(),
        note: form.custom_note.clone(),
    };
    let has_evidence = matches!(file, Ok(Some(_)));
    let parsed = ManualValueInput::parse(
        &raw,
        indicator.evidence_required,
        has_evidence,
        programme.starts_on,
        programme.ends_on,
    );
    let query = |form: &ValueForm| ExplainQuery {
        period: Period::parse("period", &form.custom_period).map(|p| p.to_string()).unwrap_or_default(),
        network: String::new(),
    };
    let (input, received) = match (parsed, file) {
        (Ok(input), Ok(received)) => (input, received),
        (parsed, file) => {
            let mut errors = parsed.err().unwrap_or_default();
            if let Err(error) = file {
                errors.0.retain(|e| e.field != "file");
                errors.add(error);
            }
            let query = query(&form);
            return explain_page(&state, page, &user, &programme.id, &indicator.code, &query, Some((form, errors)))
                .await;
        }
    };
    let network = Some(form.custom_network.trim()).filter(|n| !n.is_empty());
    let evidence = match received {
        Some(received) => Some(evidence_file!(dir, received)?),
        None => None,
    };
    match state.db.set_custom_value(&user.actor(), &indicator, network, &input, evidence).await {
        Ok(_) => {}
        Err(reti_store::StoreError::Invalid(errors)) => {
            let query = query(&form);
            return explain_page(&state, page, &user, &programme.id, &indicator.code, &query, Some((form, errors)))
                .await;
        }
        Err(other) => return Err(other.into()),
    }
    let mut to = custom::explain_url(&programme.id, &indicator.code, None, input.period);
    to.push_str("#values");
    set_flash_redirect(&session, page.t("custom-value-saved"), &to).await
}

/// The evidence of a value, to whoever sees the value.
pub async fn evidence(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, code, value_id)): Path<(String, String, String)>,
) -> AppResult<Response> {
    let programme = state.db.programme_details(&id).await?.ok_or(AppError::NotFound)?;
    let scope = ind::scope_of(&user, &programme.id).ok_or(AppError::Forbidden)?;
    let indicator = state.db.custom_indicator(&programme.id, &code).await?.ok_or(AppError::NotFound)?;
    let value = state
        .db
        .custom_values(&id, Some(&indicator.id), None)
        .await?
        .into_iter()
        .find(|v| v.id == value_id)
        .ok_or(AppError::NotFound)?;
    let visible = match (&value.network_id, &scope.network_ids) {
        (_, None) => true,
        (Some(network), Some(ids)) => ids.contains(network),
        (None, Some(_)) => false,
    };
    if !visible {
        return Err(AppError::Forbidden);
    }
    let evidence = value.evidence.ok_or(AppError::NotFound)?;
    let bytes = tokio::fs::read(evidence_dir(&state, &indicator).join(&value.id))
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let disposition = format!("attachment; filename=\"{}\"", evidence.file_name.replace(|c: char| !c.is_ascii(), "_"));
    Ok((
        [
            (header::CONTENT_TYPE, evidence.content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

fn edit_url(programme_id: &str, code: &str) -> String {
    format!("/programmes/{programme_id}/indicators/custom/{code}/edit")
}

#[derive(Template)]
#[template(path = "indicators/custom_edit.html")]
struct EditPage {
    page: PageContext,
    label: String,
    back_href: String,
    action: String,
    form: DefinitionForm,
    units: Vec<(&'static str, String)>,
    amif_options: Vec<(&'static str, String)>,
    errors: FieldErrors,
}

fn edit_page(
    page: PageContext,
    programme_id: &str,
    indicator: &CustomIndicator,
    form: DefinitionForm,
    errors: FieldErrors,
) -> AppResult<Response> {
    let tr = page.translator();
    let template = EditPage {
        label: indicator.label(tr.locale).to_owned(),
        back_href: format!("/programmes/{programme_id}/indicators/custom/{}", indicator.code),
        action: format!("/programmes/{programme_id}/indicators/custom/{}", indicator.code),
        form,
        units: Unit::ALL.into_iter().map(|u| (u.code(), tr.t(&u.label_key()))).collect(),
        amif_options: AmifIndicator::ALL
            .into_iter()
            .map(|a| (a.reference(), custom::amif_text(&tr, a, None)))
            .collect(),
        errors,
        page,
    };
    render_status(form_status(&template.errors), &template)
}

/// The definition as the form shows it.
fn definition_form(indicator: &CustomIndicator) -> DefinitionForm {
    DefinitionForm {
        custom_code: indicator.code.clone(),
        custom_label_it: indicator.label_it.clone(),
        custom_label_en: indicator.label_en.clone(),
        custom_unit: indicator.unit.code().to_owned(),
        custom_kind: if indicator.formula.is_some() { "formula" } else { "manual" }.to_owned(),
        custom_formula: indicator.formula.as_ref().map(ToString::to_string).unwrap_or_default(),
        custom_evidence_required: if indicator.evidence_required { "1" } else { "" }.to_owned(),
        custom_amif: indicator.amif.map(|a| a.reference().to_owned()).unwrap_or_default(),
    }
}

/// The programme's other custom indicators, as a formula needs to know them.
async fn others_than(state: &AppState, indicator: &CustomIndicator) -> AppResult<Vec<Known>> {
    Ok(state
        .db
        .custom_indicators(&indicator.programme_id)
        .await?
        .iter()
        .filter(|other| other.id != indicator.id)
        .map(CustomIndicator::known)
        .collect())
}

/// Checks a changed definition: the code and the kind are the indicator's own, whatever was sent.
pub async fn checked_update(
    state: &AppState,
    indicator: &CustomIndicator,
    mut raw: CustomIndicatorRaw,
) -> AppResult<Result<CustomIndicatorInput, FieldErrors>> {
    raw.code = indicator.code.clone();
    raw.kind = if indicator.formula.is_some() { "formula" } else { "manual" }.to_owned();
    Ok(CustomIndicatorInput::parse(&raw, &others_than(state, indicator).await?))
}

/// Why an indicator cannot be deleted: another formula names it.
pub async fn deletion_refused(state: &AppState, indicator: &CustomIndicator) -> AppResult<Option<FieldError>> {
    let others = others_than(state, indicator).await?;
    Ok(named_by(&indicator.code, &others)
        .map(|name| FieldError::new("custom_confirm", "error-custom-delete-named").with_arg("name", name)))
}

/// Deletes the indicator and then its evidence files.
pub async fn delete_with_evidence(state: &AppState, user: &CurrentUser, indicator: &CustomIndicator) -> AppResult<()> {
    let with_evidence = state.db.delete_custom_indicator(&user.actor(), indicator).await?;
    let dir = evidence_dir(state, indicator);
    for value_id in with_evidence {
        if let Err(error) = tokio::fs::remove_file(dir.join(&value_id)).await {
            tracing::warn!(%error, "could not remove the evidence of a deleted indicator's value");
        }
    }
    let _ = tokio::fs::remove_dir(&dir).await;
    Ok(())
}

pub async fn edit_form(
    FormPage(page): FormPage,
    CoordinatedIndicator { indicator, programme, .. }: CoordinatedIndicator,
) -> AppResult<Response> {
    edit_page(page, &programme.id, &indicator, definition_form(&indicator), FieldErrors::default())
}

pub async fn update(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    CoordinatedIndicator { indicator, programme, user }: CoordinatedIndicator,
    axum::Form(form): axum::Form<DefinitionForm>,
) -> AppResult<Response> {
    let input = match checked_update(&state, &indicator, form.raw()).await? {
        Ok(input) => input,
        Err(errors) => {
            let form = DefinitionForm {
                custom_code: indicator.code.clone(),
                custom_kind: definition_form(&indicator).custom_kind,
                ..form
            };
            return edit_page(page, &programme.id, &indicator, form, errors);
        }
    };
    state.db.update_custom_indicator(&user.actor(), &indicator, &input).await?;
    let to = format!("/programmes/{}/indicators/custom/{}", programme.id, indicator.code);
    set_flash_redirect(&session, page.t("custom-updated"), &to).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DeleteForm {
    pub custom_confirm: String,
}

pub async fn delete(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    CoordinatedIndicator { indicator, programme, user }: CoordinatedIndicator,
    axum::Form(form): axum::Form<DeleteForm>,
) -> AppResult<Response> {
    let refused = match deletion_refused(&state, &indicator).await? {
        Some(error) => Some(error),
        None if form.custom_confirm.is_empty() => {
            Some(FieldError::new("custom_confirm", "error-custom-delete-confirm"))
        }
        None => None,
    };
    if let Some(error) = refused {
        return edit_page(page, &programme.id, &indicator, definition_form(&indicator), error.into());
    }
    delete_with_evidence(&state, &user, &indicator).await?;
    let to = format!("/programmes/{}/indicators/custom", programme.id);
    set_flash_redirect(&session, page.t("custom-deleted"), &to).await
}
