//! The indicator dashboards of a programme and of a network (decision 0043): figures against their
//! targets, each figure a link to the rows it counts, a time series by quarter, the programme's
//! median beside a network's figures, charts as accessible SVG with their data one click away, and
//! the story of what changed; the rows page of a figure; the coordination's targets form.

use super::{form_status, render, render_status, set_flash_redirect};
use crate::AppState;
use crate::custom_indicators::{self as custom, CustomFigures};
use crate::error::{AppError, AppResult};
use crate::export::{self, Format};
use crate::extract::{CoordinatedProgramme, CurrentUser, NetworkAt, Private};
use crate::i18n::Translator;
use crate::indicators as ind;
use crate::page::{FormPage, PageContext};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use reti_domain::indicators::{Breakdown, Indicator, Period, TargetInput, TargetRaw};
use reti_domain::meetings::{MeetingKind, MeetingMode};
use reti_domain::{FieldErrors, OrganisationKind};
use reti_store::custom_indicators::CustomTarget;
use reti_store::indicators::{Figures, IndicatorScope, Target, TraceRow};
use reti_store::programmes::ProgrammeDetails;
use serde::Deserialize;
use tower_sessions::Session;

/// The indicators of the programme's table of networks.
const NETWORK_COLUMNS: [Indicator; 5] = [
    Indicator::MemberOrganisations,
    Indicator::MeetingsHeld,
    Indicator::ParticipantsUnique,
    Indicator::AccompanimentHours,
    Indicator::PracticesPublished,
];

/// The programme's median is shown beside a network's figures from this many networks on, so
/// that it never is one other network's figure among two.
const MEDIAN_FROM: usize = 3;

/// The most rows a rows page lists (the downloads have them all).
const ROWS_ON_PAGE: usize = 1000;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PeriodQuery {
    pub period: String,
    pub format: String,
}

pub struct FigureRow {
    pub code: String,
    pub label: String,
    pub help: String,
    pub value: String,
    pub target: String,
    /// `met`, `missed` or empty.
    pub status: &'static str,
    pub median: String,
    pub rows_url: String,
    /// The AMIF common indicator it reports, or empty.
    pub amif: String,
}

pub struct Chart {
    pub id: String,
    pub title: String,
    pub svg: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

pub struct BreakdownTable {
    pub caption: String,
    pub rows: Vec<(String, String)>,
}

pub struct NetworkLine {
    pub id: String,
    pub name: String,
    pub cells: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "indicators/dashboard.html")]
struct DashboardPage {
    page: PageContext,
    heading: String,
    back_href: String,
    back_label: String,
    action: String,
    period: String,
    errors: FieldErrors,
    story: Vec<String>,
    figures: Vec<FigureRow>,
    show_median: bool,
    breakdowns: Vec<BreakdownTable>,
    charts: Vec<Chart>,
    network_headers: Vec<String>,
    networks: Vec<NetworkLine>,
    /// The coordination's targets form: the networks to choose from, the form's values.
    targets_form: Option<TargetsForm>,
    export_base: String,
    scope_note: bool,
    /// The page of the programme's custom indicators.
    custom_href: String,
    /// The programme's dashboard: the share of its networks with a funded sustainability plan.
    funded_share: Option<FundedShare>,
    /// The programme's dashboard: the funder reports.
    reports: Option<super::funder_reports::ReportsPanel>,
}

/// The indicator `funded_plan_share` over the networks of the dashboard; `href` is the
/// programme's table of plans, for the coordination.
pub struct FundedShare {
    pub text: String,
    pub href: Option<String>,
}

/// `funded_plan_share` over the networks of `scope` (decision 0044).
async fn funded_share(
    state: &AppState,
    tr: &Translator,
    scope: &IndicatorScope,
    coordinates: bool,
) -> AppResult<FundedShare> {
    let share = state.db.funded_plan_share(&scope.programme_id).await?;
    let in_scope = |id: &str| scope.network_ids.as_ref().is_none_or(|ids| ids.iter().any(|n| n == id));
    let counted: Vec<_> = share.rows.iter().filter(|r| in_scope(&r.network_id)).collect();
    let funded = counted.iter().filter(|r| r.funded).count();
    let percent = if counted.is_empty() {
        "—".to_owned()
    } else {
        format!("{:.0} %", funded as f64 * 100.0 / counted.len() as f64)
    };
    Ok(FundedShare {
        text: tr.t_args(
            "funder-report-funded-share",
            &[("funded", funded.to_string()), ("networks", counted.len().to_string()), ("share", percent)],
        ),
        href: coordinates.then(|| format!("/programmes/{}/sustainability", scope.programme_id)),
    })
}

pub struct TargetsForm {
    pub action: String,
    /// The built-in indicators, then the custom ones: (code, label).
    pub indicators: Vec<(String, String)>,
    pub networks: Vec<(String, String)>,
    pub raw: TargetFormRaw,
    pub errors: FieldErrors,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct TargetFormRaw {
    pub indicators_code: String,
    pub indicators_period: String,
    pub indicators_network: String,
    pub indicators_value: String,
}

fn breakdown_label(tr: &Translator, breakdown: Breakdown, key: &str) -> String {
    match breakdown {
        Breakdown::OrganisationKind => {
            OrganisationKind::parse(key).map(|k| tr.t(&k.label_key())).unwrap_or_else(|_| key.to_owned())
        }
        Breakdown::MeetingKindMode => {
            let (kind, mode) = key.split_once('/').unwrap_or((key, ""));
            let kind = MeetingKind::parse(kind).map(|k| tr.t(k.label_key())).unwrap_or_else(|_| kind.to_owned());
            let mode = MeetingMode::parse(mode).map(|m| tr.t(m.label_key())).unwrap_or_else(|_| mode.to_owned());
            format!("{kind} — {mode}")
        }
    }
}

fn breakdowns(tr: &Translator, figures: &[Figures], network_id: Option<&str>) -> Vec<BreakdownTable> {
    figures
        .iter()
        .filter_map(|f| {
            let breakdown = f.indicator.breakdown()?;
            let rows: Vec<(String, String)> = f
                .breakdown
                .iter()
                .filter(|(network, _, _)| network == network_id.unwrap_or(""))
                .map(|(_, key, value)| (breakdown_label(tr, breakdown, key), f.indicator.format(*value)))
                .collect();
            Some(BreakdownTable {
                caption: tr.t_args("indicators-breakdown-caption", &[("indicator", tr.t(&f.indicator.label_key()))]),
                rows,
            })
        })
        .collect()
}

/// The figures of this period and their targets, with the median of the programme's networks
/// when `medians` holds the programme-wide figures.
fn figure_rows(
    tr: &Translator,
    figures: &[Figures],
    targets: &[Target],
    programme_id: &str,
    network_id: Option<&str>,
    period: Period,
    medians: Option<&[Figures]>,
) -> Vec<FigureRow> {
    figures
        .iter()
        .map(|f| {
            let value = match network_id {
                Some(id) => f.network(id),
                None => f.total,
            };
            let target = ind::target_of(targets, f.indicator, network_id, period);
            let median = medians
                .and_then(|all| all.iter().find(|m| m.indicator == f.indicator))
                .and_then(|m| reti_domain::indicators::median(&m.by_network.values().copied().collect::<Vec<_>>()));
            FigureRow {
                code: f.indicator.code().to_owned(),
                label: tr.t(&f.indicator.label_key()),
                help: tr.t(&f.indicator.help_key()),
                value: ind::shown(f.indicator, value),
                target: target.map(|t| f.indicator.format(t)).unwrap_or_default(),
                status: ind::target_status(f.indicator, value, target),
                median: ind::shown(f.indicator, median),
                rows_url: ind::rows_url(f.indicator, programme_id, network_id, period),
                amif: crate::custom_indicators::builtin_amif_text(tr, f.indicator),
            }
        })
        .collect()
}

/// The rows of the custom indicators, after the built-in ones: their figures, targets and, when
/// `with_median`, the median of the programme's networks (`figures` then cover them all).
fn custom_figure_rows(
    tr: &Translator,
    figures: &[CustomFigures],
    targets: &[CustomTarget],
    programme_id: &str,
    network_id: Option<&str>,
    period: Period,
    with_median: bool,
) -> Vec<FigureRow> {
    figures
        .iter()
        .map(|f| {
            let indicator = &f.indicator;
            let value = f.of(network_id);
            let target = custom::target_of(targets, &indicator.code, network_id, period);
            let status = custom::target_status(value, target);
            let median = with_median
                .then(|| reti_domain::indicators::median(&f.by_network.values().filter_map(|v| *v).collect::<Vec<_>>()))
                .flatten();
            let help = match &indicator.formula {
                Some(expr) => tr.t_args("custom-help-formula", &[("value", expr.to_string())]),
                None => tr.t("custom-help-manual"),
            };
            let shown = |v: Option<f64>| v.map(|v| indicator.format(v)).unwrap_or_else(|| "—".to_owned());
            FigureRow {
                code: indicator.code.clone(),
                label: indicator.label(tr.locale).to_owned(),
                help,
                value: shown(value),
                target: target.map(|t| indicator.format(t)).unwrap_or_default(),
                status,
                median: shown(median),
                rows_url: custom::explain_url(programme_id, &indicator.code, network_id, period),
                amif: indicator.amif.map(|a| custom::amif_text(tr, a, None)).unwrap_or_default(),
            }
        })
        .collect()
}

/// The charts ([`ind::charts`]) drawn as SVG, each with its data table.
fn charts(tr: &Translator, dashboard: &ind::Dashboard, network_id: Option<&str>, period: Period) -> Vec<Chart> {
    ind::charts(tr, dashboard, network_id, period, &|figure| figure)
        .into_iter()
        .map(|chart| Chart {
            svg: ind::bar_chart(&chart.id, &chart.title, &chart.description, &chart.bars),
            id: chart.id,
            title: chart.title,
            headers: chart.headers,
            rows: chart.rows,
        })
        .collect()
}

fn targets_form(
    tr: &Translator,
    programme: &ProgrammeDetails,
    networks: &[(String, String)],
    custom: &[CustomFigures],
    raw: TargetFormRaw,
    errors: FieldErrors,
) -> TargetsForm {
    let built_in = Indicator::ALL.into_iter().map(|i| (i.code().to_owned(), tr.t(&i.label_key())));
    let custom = custom.iter().map(|f| (f.indicator.code.clone(), f.indicator.label(tr.locale).to_owned()));
    TargetsForm {
        action: format!("/programmes/{}/indicators/targets", programme.id),
        indicators: built_in.chain(custom).collect(),
        networks: networks.to_vec(),
        raw,
        errors,
    }
}

/// The programme's dashboard, with the targets form filled with `form` when it is shown again.
async fn programme_page(
    state: &AppState,
    page: PageContext,
    user: &CurrentUser,
    programme: ProgrammeDetails,
    period_text: &str,
    form: Option<(TargetFormRaw, FieldErrors)>,
) -> AppResult<Response> {
    let scope = ind::scope_of(user, &programme.id).ok_or(AppError::Forbidden)?;
    let tr = page.translator();
    let (period, errors) = match ind::period_or_this_year(period_text) {
        Ok(period) => (period, FieldErrors::default()),
        Err(errors) => (ind::period_or_this_year("").map_err(AppError::Invalid)?, errors),
    };
    let data = ind::dashboard(&state.db, &scope, &scope, None, period).await?;
    let story = ind::story_text(&tr, &ind::story(&data.figures, &data.before, &data.targets, None, period));
    let charts = charts(&tr, &data, None, period);
    let ind::Dashboard { networks, figures, targets, custom, custom_targets, .. } = data;
    let lines = networks
        .iter()
        .map(|(id, name)| NetworkLine {
            id: id.clone(),
            name: name.clone(),
            cells: NETWORK_COLUMNS
                .iter()
                .map(|&indicator| {
                    let value = figures.iter().find(|f| f.indicator == indicator).and_then(|f| f.network(id));
                    (ind::shown(indicator, value), ind::rows_url(indicator, &programme.id, Some(id), period))
                })
                .collect(),
        })
        .collect();
    let coordinates = user.coordinates(&programme.id);
    let (raw, form_errors) = form.unwrap_or_else(|| {
        (TargetFormRaw { indicators_period: period.to_string(), ..TargetFormRaw::default() }, FieldErrors::default())
    });
    let status = if form_errors.is_empty() { form_status(&errors) } else { form_status(&form_errors) };
    let mut rows = figure_rows(&tr, &figures, &targets, &programme.id, None, period, None);
    rows.extend(custom_figure_rows(&tr, &custom, &custom_targets, &programme.id, None, period, false));
    let funded_share = Some(funded_share(state, &tr, &scope, coordinates).await?);
    let reports = Some(super::funder_reports::panel(state, &page, &scope, period).await?);
    let template = DashboardPage {
        heading: tr.t_args("indicators-programme-heading", &[("programme", programme.name.clone())]),
        back_href: format!("/programmes/{}", programme.id),
        back_label: programme.name.clone(),
        action: format!("/programmes/{}/indicators", programme.id),
        period: period.to_string(),
        errors,
        story,
        figures: rows,
        show_median: false,
        breakdowns: breakdowns(&tr, &figures, None),
        charts,
        network_headers: NETWORK_COLUMNS.iter().map(|i| tr.t(&i.label_key())).collect(),
        networks: lines,
        targets_form: coordinates.then(|| targets_form(&tr, &programme, &networks, &custom, raw, form_errors)),
        export_base: format!("/programmes/{}/indicators/export?period={period}", programme.id),
        scope_note: !coordinates,
        custom_href: format!("/programmes/{}/indicators/custom?period={period}", programme.id),
        funded_share,
        reports,
        page,
    };
    render_status(status, &template)
}

pub async fn programme(
    State(state): State<AppState>,
    FormPage(page): FormPage,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<PeriodQuery>,
) -> AppResult<Response> {
    let programme = state.db.programme_details(&id).await?.ok_or(AppError::NotFound)?;
    programme_page(&state, page, &user, programme, &query.period, None).await
}

pub async fn set_target(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    CoordinatedProgramme { programme, user }: CoordinatedProgramme,
    axum::Form(form): axum::Form<TargetFormRaw>,
) -> AppResult<Response> {
    if let Some(indicator) = state.db.custom_indicator(&programme.id, form.indicators_code.trim()).await? {
        return set_custom_target(state, session, page, programme, user, form, indicator).await;
    }
    let raw = TargetRaw {
        indicator: form.indicators_code.clone(),
        period: form.indicators_period.clone(),
        value: form.indicators_value.clone(),
    };
    let input = match TargetInput::parse(&raw, programme.starts_on, programme.ends_on) {
        Ok(input) => input,
        Err(errors) => {
            let period = form.indicators_period.clone();
            let period = if Period::parse("period", &period).is_ok() { period } else { String::new() };
            return programme_page(&state, page, &user, programme, &period, Some((form, errors))).await;
        }
    };
    let network = Some(form.indicators_network.trim()).filter(|n| !n.is_empty());
    match state.db.set_indicator_target(&user.actor(), &programme.id, network, &input).await {
        Ok(_) => {}
        Err(reti_store::StoreError::Invalid(errors)) => {
            let period = input.period.to_string();
            return programme_page(&state, page, &user, programme, &period, Some((form, errors))).await;
        }
        Err(other) => return Err(other.into()),
    }
    let to = format!("/programmes/{}/indicators?period={}", programme.id, input.period);
    set_flash_redirect(&session, page.t("indicators-target-saved"), &to).await
}

/// The target of a custom indicator, checked as a built-in's.
async fn set_custom_target(
    state: AppState,
    session: Session,
    page: PageContext,
    programme: ProgrammeDetails,
    user: CurrentUser,
    form: TargetFormRaw,
    indicator: reti_store::custom_indicators::CustomIndicator,
) -> AppResult<Response> {
    let mut errors = FieldErrors::default();
    let period = errors.check(reti_domain::indicators::period_within(
        "indicators_period",
        &form.indicators_period,
        programme.starts_on,
        programme.ends_on,
    ));
    let value = errors.check(reti_domain::indicators::figure_value("indicators_value", &form.indicators_value));
    let network = Some(form.indicators_network.trim()).filter(|n| !n.is_empty());
    let saved = match (period, value) {
        (Some(period), Some(value)) if errors.is_empty() => {
            match state.db.set_custom_target(&user.actor(), &indicator, network, period, value).await {
                Ok(_) => Ok(period),
                Err(reti_store::StoreError::Invalid(errors)) => Err(errors),
                Err(other) => return Err(other.into()),
            }
        }
        _ => Err(errors),
    };
    match saved {
        Ok(period) => {
            let to = format!("/programmes/{}/indicators?period={period}", programme.id);
            set_flash_redirect(&session, page.t("indicators-target-saved"), &to).await
        }
        Err(errors) => {
            let period = form.indicators_period.clone();
            let period = if Period::parse("period", &period).is_ok() { period } else { String::new() };
            programme_page(&state, page, &user, programme, &period, Some((form, errors))).await
        }
    }
}

pub async fn network(
    State(state): State<AppState>,
    page: PageContext,
    view: NetworkAt<Private>,
    Query(query): Query<PeriodQuery>,
) -> AppResult<Response> {
    let network = view.network;
    let tr = page.translator();
    let (period, errors) = match ind::period_or_this_year(&query.period) {
        Ok(period) => (period, FieldErrors::default()),
        Err(errors) => (ind::period_or_this_year("").map_err(AppError::Invalid)?, errors),
    };
    let programme_id = network.programme_id.clone();
    let mine = IndicatorScope::networks(&programme_id, vec![network.id.clone()]);
    // The programme-wide figures give this network's and the median of all.
    let whole = IndicatorScope::programme(&programme_id);
    let data = ind::dashboard(&state.db, &whole, &mine, Some(&network.id), period).await?;
    let story =
        ind::story_text(&tr, &ind::story(&data.figures, &data.before, &data.targets, Some(&network.id), period));
    let charts = charts(&tr, &data, Some(&network.id), period);
    let ind::Dashboard { figures: whole, targets, custom, custom_targets, .. } = data;
    let networks_in_programme = whole.first().map(|f| f.by_network.len()).unwrap_or(0);
    let show_median = networks_in_programme >= MEDIAN_FROM;
    let mut figures =
        figure_rows(&tr, &whole, &targets, &programme_id, Some(&network.id), period, show_median.then_some(&whole[..]));
    figures.extend(custom_figure_rows(
        &tr,
        &custom,
        &custom_targets,
        &programme_id,
        Some(&network.id),
        period,
        show_median,
    ));
    let template = DashboardPage {
        heading: tr.t_args("indicators-network-heading", &[("network", network.name.clone())]),
        back_href: format!("/networks/{}", network.id),
        back_label: network.name.clone(),
        action: format!("/networks/{}/indicators", network.id),
        period: period.to_string(),
        story,
        figures,
        show_median,
        breakdowns: breakdowns(&tr, &whole, Some(&network.id)),
        charts,
        network_headers: Vec::new(),
        networks: Vec::new(),
        targets_form: None,
        export_base: format!("/networks/{}/indicators/export?period={period}", network.id),
        scope_note: false,
        custom_href: format!("/programmes/{programme_id}/indicators/custom?period={period}"),
        funded_share: None,
        reports: None,
        errors,
        page,
    };
    render_status(form_status(&template.errors), &template)
}

fn download(table: &reti_store::registry::export::ExportTable, format: Format, name: &str) -> AppResult<Response> {
    let bytes = export::write(table, format).map_err(AppError::Internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.{}\"", format.extension())),
        ],
        bytes,
    )
        .into_response())
}

fn format_of(text: &str) -> AppResult<Format> {
    Format::parse(if text.is_empty() { "csv" } else { text })
        .ok_or_else(|| AppError::Invalid(reti_domain::FieldError::new("format", "error-indicators-format").into()))
}

/// The programme's figures in the caller's scope as CSV, XLSX or JSON.
pub async fn programme_export(
    State(state): State<AppState>,
    page: PageContext,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<PeriodQuery>,
) -> AppResult<Response> {
    let programme = state.db.programme_details(&id).await?.ok_or(AppError::NotFound)?;
    let scope = ind::scope_of(&user, &programme.id).ok_or(AppError::Forbidden)?;
    let period = ind::period_or_this_year(&query.period).map_err(AppError::Invalid)?;
    let format = format_of(&query.format)?;
    let networks = state.db.indicator_networks(&scope).await?;
    let figures = state.db.indicator_figures_all(&scope, period).await?;
    let targets = state.db.indicator_targets(&programme.id, Some(period)).await?;
    let tr = page.translator();
    let mut table = ind::export_table(&tr, &programme.id, &networks, &figures, &targets);
    let custom = custom::figures(&state.db, &scope, &networks, &figures, period).await?;
    let custom_targets = state.db.custom_targets(&programme.id, Some(period)).await?;
    table.rows.extend(custom::export_rows(&tr, &programme.id, &networks, &custom, &custom_targets));
    download(&table, format, &format!("indicatori-{}-{period}", programme.code))
}

/// One network's figures as CSV, XLSX or JSON.
pub async fn network_export(
    State(state): State<AppState>,
    page: PageContext,
    view: NetworkAt<Private>,
    Query(query): Query<PeriodQuery>,
) -> AppResult<Response> {
    let network = view.network;
    let period = ind::period_or_this_year(&query.period).map_err(AppError::Invalid)?;
    let format = format_of(&query.format)?;
    let scope = IndicatorScope::networks(&network.programme_id, vec![network.id.clone()]);
    let networks = vec![(network.id.clone(), network.name.clone())];
    let figures = state.db.indicator_figures_all(&scope, period).await?;
    let targets = state.db.indicator_targets(&network.programme_id, Some(period)).await?;
    let tr = page.translator();
    let mut table = ind::export_table(&tr, &network.programme_id, &networks, &figures, &targets);
    let custom = custom::figures(&state.db, &scope, &networks, &figures, period).await?;
    let custom_targets = state.db.custom_targets(&network.programme_id, Some(period)).await?;
    table.rows.extend(custom::export_rows(&tr, &network.programme_id, &networks, &custom, &custom_targets));
    download(&table, format, &format!("indicatori-rete-{period}"))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RowsQuery {
    pub programme: String,
    pub network: String,
    pub period: String,
    pub format: String,
}

pub struct RowView {
    pub network: String,
    pub date: String,
    pub title: String,
    pub href: String,
    pub detail: String,
    pub amount: String,
}

#[derive(Template)]
#[template(path = "indicators/rows.html")]
struct RowsPage {
    page: PageContext,
    label: String,
    help: String,
    scope_label: String,
    back_href: String,
    period: String,
    value: String,
    rows: Vec<RowView>,
    total_rows: usize,
    truncated: bool,
    download_base: String,
}

/// Where a record is shown, when there is a page for it.
fn record_href(row: &TraceRow) -> String {
    let network = &row.network_id;
    match row.record {
        "network" => format!("/networks/{}", row.link_id),
        "organisation" | "membership" => format!("/organisations/{}", row.link_id),
        "meeting" | "attendance" => format!("/meetings/{}", row.link_id),
        "diary_entry" => format!("/networks/{network}/diary"),
        "lab_participant" => format!("/labs/{}", row.link_id),
        "practice" => format!("/practices/{}", row.link_id),
        "reading_round" => format!("/networks/{network}/reading"),
        "map_snapshot" => format!("/networks/{network}/map"),
        "matrix_objective" => format!("/networks/{network}/matrix"),
        _ => String::new(),
    }
}

fn detail_label(tr: &Translator, indicator: Indicator, row: &TraceRow) -> String {
    match indicator {
        Indicator::MeetingsHeld => breakdown_label(tr, Breakdown::MeetingKindMode, &row.detail),
        Indicator::MemberOrganisations | Indicator::CrossNetworkTies => {
            breakdown_label(tr, Breakdown::OrganisationKind, &row.detail)
        }
        Indicator::ParticipantsUnique => tr.t_args("indicators-rows-meetings", &[("count", row.detail.clone())]),
        _ => row.detail.clone(),
    }
}

/// The records a figure counts: of a network (`network`) or of the caller's scope in a programme.
pub async fn rows(
    State(state): State<AppState>,
    page: PageContext,
    user: CurrentUser,
    Path(code): Path<String>,
    Query(query): Query<RowsQuery>,
) -> AppResult<Response> {
    let indicator = Indicator::parse("code", &code).map_err(|_| AppError::NotFound)?;
    let resolved = ind::resolve(&state, &user, &query.programme, &query.network).await?;
    let period = ind::period_or_this_year(&query.period).map_err(AppError::Invalid)?;
    let tr = page.translator();
    if !query.format.is_empty() {
        let format = format_of(&query.format)?;
        let rows = state.db.indicator_rows(&resolved.scope, indicator, period, None).await?;
        return download(&ind::rows_table(&rows), format, &format!("{}-{period}", indicator.code()));
    }
    let figures = state.db.indicator_figures(&resolved.scope, indicator, period).await?;
    let value = match &resolved.network {
        Some((id, _)) => figures.network(id),
        None => figures.total,
    };
    let rows = state.db.indicator_rows(&resolved.scope, indicator, period, Some(ROWS_ON_PAGE + 1)).await?;
    let truncated = rows.len() > ROWS_ON_PAGE;
    let views: Vec<RowView> = rows
        .iter()
        .take(ROWS_ON_PAGE)
        .map(|row| RowView {
            network: row.network_name.clone(),
            date: reti_domain::dates::parse(&row.date).map(reti_domain::dates::format).unwrap_or_default(),
            title: row.title.clone(),
            href: record_href(row),
            detail: detail_label(&tr, indicator, row),
            amount: indicator.format(row.amount).trim_start_matches('+').to_owned(),
        })
        .collect();
    let (scope_label, back_href) = match &resolved.network {
        Some((id, name)) => (name.clone(), format!("/networks/{id}/indicators?period={period}")),
        None => (
            resolved.programme_name.clone(),
            format!("/programmes/{}/indicators?period={period}", resolved.programme_id),
        ),
    };
    let download_base = format!(
        "{}&format=",
        ind::rows_url(indicator, &resolved.programme_id, resolved.network.as_ref().map(|(id, _)| id.as_str()), period)
    );
    render(&RowsPage {
        label: tr.t(&indicator.label_key()),
        help: tr.t(&indicator.help_key()),
        scope_label,
        back_href,
        period: period.to_string(),
        value: ind::shown(indicator, value),
        total_rows: views.len(),
        rows: views,
        truncated,
        download_base,
        page,
    })
}
