//! Impact indicators (decision 0043) for the dashboards, the rows pages, the API and the CLI: who
//! sees which networks' figures, the figures with their targets, the links to the rows each figure
//! counts, the story of what changed and the charts, drawn here as accessible SVG.

use crate::AppState;
use crate::context::{Identity, NetworkAccess};
use crate::error::{AppError, AppResult};
use crate::i18n::Translator;
use reti_domain::indicators::{Indicator, Period, Sentence, StoryFigure};
use reti_domain::{FieldError, FieldErrors, Locale};
use reti_store::custom_indicators::CustomIndicator;
use reti_store::indicators::{Figures, IndicatorScope, Target};
use reti_store::registry::export::{ExportColumn, ExportTable};
use std::fmt::Write;

/// The networks of `programme_id` whose figures `identity` sees: every one for the coordination
/// (and the administrator), else those they work on (member, lead or facilitator), none for
/// someone with a role in the programme and no network yet; `None` when they have no part in it.
pub fn scope_of(identity: &Identity, programme_id: &str) -> Option<IndicatorScope> {
    if identity.coordinates(programme_id) {
        return Some(IndicatorScope::programme(programme_id));
    }
    if !crate::extract::in_programme(identity, programme_id) {
        return None;
    }
    let mut ids: Vec<String> =
        identity.networks.iter().filter(|n| n.programme_id == programme_id).map(|n| n.network_id.clone()).collect();
    ids.sort();
    ids.dedup();
    Some(IndicatorScope::networks(programme_id, ids))
}

/// What a request for figures names: a network (`network`), or a programme (`programme`, the
/// installation's only one when blank) and the caller's scope in it.
pub struct Resolved {
    pub programme_id: String,
    pub programme_name: String,
    pub scope: IndicatorScope,
    /// The network asked for: (id, name).
    pub network: Option<(String, String)>,
}

/// 404 for an unknown programme or network, 403 for one the caller does not see.
pub async fn resolve(state: &AppState, identity: &Identity, programme: &str, network: &str) -> AppResult<Resolved> {
    let (programme, network) = (programme.trim(), network.trim());
    if !network.is_empty() {
        let found = state.db.network(network).await?.ok_or(AppError::NotFound)?;
        if !programme.is_empty() && programme != found.programme_id {
            return Err(AppError::Invalid(unknown_network()));
        }
        if identity.network_access(&found.id, &found.programme_id) < NetworkAccess::Private {
            return Err(AppError::Forbidden);
        }
        let details = state.db.programme_details(&found.programme_id).await?.ok_or(AppError::NotFound)?;
        return Ok(Resolved {
            scope: IndicatorScope::networks(&found.programme_id, vec![found.id.clone()]),
            programme_id: found.programme_id,
            programme_name: details.name,
            network: Some((found.id, found.name)),
        });
    }
    let programme_id = match programme {
        "" => state
            .db
            .only_programme()
            .await?
            .ok_or_else(|| AppError::Invalid(FieldError::new("programme", "error-required").into()))?,
        id => id.to_owned(),
    };
    let details = state.db.programme_details(&programme_id).await?.ok_or(AppError::NotFound)?;
    let scope = scope_of(identity, &details.id).ok_or(AppError::Forbidden)?;
    Ok(Resolved { programme_id: details.id, programme_name: details.name, scope, network: None })
}

/// The indicators drawn as a time series by quarter.
pub const SERIES: [Indicator; 4] =
    [Indicator::MeetingsHeld, Indicator::ParticipantsUnique, Indicator::AccompanimentHours, Indicator::NewMembers];

/// A custom indicator and its value per quarter (`None`: no figure to compute it from).
pub type CustomSeries = (CustomIndicator, Vec<(Period, Option<f64>)>);

/// What a dashboard shows, read from the store.
pub struct Dashboard {
    /// The networks of the figures' scope: (id, name).
    pub networks: Vec<(String, String)>,
    pub figures: Vec<Figures>,
    /// The figures of the period before, in the dashboard's own scope.
    pub before: Vec<Figures>,
    pub targets: Vec<Target>,
    /// Each of [`SERIES`] by quarter of the period's year, for the network or the own scope.
    pub series: Vec<(Indicator, Vec<(Period, f64)>)>,
    /// The programme's custom indicators over the figures' scope (decision 0046).
    pub custom: Vec<crate::custom_indicators::CustomFigures>,
    pub custom_targets: Vec<reti_store::custom_indicators::CustomTarget>,
    /// Each custom indicator by quarter of the period's year, for the network or the own scope, as
    /// [`Dashboard::series`] (decision 0058); `None` where there is no figure (no value typed for the
    /// quarter, an input without a figure, a division by zero).
    pub custom_series: Vec<CustomSeries>,
}

/// The dashboard of `own` (a programme as the caller sees it, or one network, `network_id`), with
/// the figures over `figures_scope` (the same scope, or the whole programme for a network's
/// median).
pub async fn dashboard(
    db: &reti_store::Db,
    figures_scope: &IndicatorScope,
    own: &IndicatorScope,
    network_id: Option<&str>,
    period: Period,
) -> Result<Dashboard, reti_store::StoreError> {
    // The networks of each scope, read once for all the figures.
    let networks = db.indicator_networks(figures_scope).await?;
    let own_networks = db.indicator_networks(own).await?;
    let figures = db.indicator_figures_all_of(figures_scope, &networks, period).await?;
    let before = db.indicator_figures_all_of(own, &own_networks, period.previous()).await?;
    let targets = db.indicator_targets(&own.programme_id, Some(period)).await?;
    let mut series = Vec::new();
    for indicator in SERIES {
        let mut points = Vec::new();
        for quarter in period.quarters() {
            let figures = db.indicator_figures_of(own, &own_networks, indicator, quarter).await?;
            let value = match network_id {
                Some(id) => figures.network(id),
                None => figures.total,
            };
            points.push((quarter, value.unwrap_or(0.0)));
        }
        series.push((indicator, points));
    }
    let custom = crate::custom_indicators::figures(db, figures_scope, &networks, &figures, period).await?;
    let custom_targets = db.custom_targets(&own.programme_id, Some(period)).await?;
    let custom_series = custom_series(db, own, &networks, network_id, &custom, period).await?;
    Ok(Dashboard { networks, figures, before, targets, series, custom, custom_targets, custom_series })
}

/// The custom indicators of `custom` by quarter of the period's year, in `own` (whose networks are
/// among `networks`), for the network `network_id` or the scope's total: each quarter's formulas
/// over that quarter's built-in figures (only those the formulas name are read), each quarter's
/// values typed by hand.
async fn custom_series(
    db: &reti_store::Db,
    own: &IndicatorScope,
    networks: &[(String, String)],
    network_id: Option<&str>,
    custom: &[crate::custom_indicators::CustomFigures],
    period: Period,
) -> Result<Vec<CustomSeries>, reti_store::StoreError> {
    if custom.is_empty() {
        return Ok(Vec::new());
    }
    let indicators: Vec<CustomIndicator> = custom.iter().map(|f| f.indicator.clone()).collect();
    let mut named: Vec<Indicator> = Vec::new();
    for expr in indicators.iter().filter_map(|i| i.formula.as_ref()) {
        for code in reti_domain::indicator_formula::references(expr) {
            if let Ok(indicator) = Indicator::parse("code", code)
                && !named.contains(&indicator)
            {
                named.push(indicator);
            }
        }
    }
    let own_networks: Vec<(String, String)> = networks
        .iter()
        .filter(|(id, _)| own.network_ids.as_ref().is_none_or(|ids| ids.contains(id)))
        .cloned()
        .collect();
    let typed = if indicators.iter().any(|i| i.formula.is_none()) {
        db.custom_values(&own.programme_id, None, None).await?
    } else {
        Vec::new()
    };
    let mut points: Vec<Vec<(Period, Option<f64>)>> = vec![Vec::with_capacity(4); indicators.len()];
    for quarter in period.quarters() {
        let mut builtins = Vec::with_capacity(named.len());
        for &indicator in &named {
            builtins.push(db.indicator_figures(own, indicator, quarter).await?);
        }
        let values: Vec<_> = typed.iter().filter(|v| v.period == quarter).cloned().collect();
        let figures = crate::custom_indicators::compute(
            indicators.clone(),
            &values,
            own.network_ids.is_none(),
            &own_networks,
            &builtins,
            quarter,
        );
        for (slot, indicator) in indicators.iter().enumerate() {
            let value = figures.iter().find(|f| f.indicator.code == indicator.code).and_then(|f| f.of(network_id));
            points[slot].push((quarter, value));
        }
    }
    Ok(indicators.into_iter().zip(points).collect())
}

/// The period asked for (`period`), this year in Italy when blank.
pub fn period_or_this_year(input: &str) -> Result<Period, FieldErrors> {
    if input.trim().is_empty() {
        return Ok(Period::containing(reti_domain::meetings::today_in_rome()));
    }
    Period::parse("period", input).map_err(FieldErrors::from)
}

/// The page listing the rows of a figure.
pub fn rows_url(indicator: Indicator, programme_id: &str, network_id: Option<&str>, period: Period) -> String {
    let mut url = format!("/indicators/{}/rows?programme={programme_id}", indicator.code());
    if let Some(network) = network_id {
        url.push_str(&format!("&network={network}"));
    }
    url.push_str(&format!("&period={period}"));
    url
}

/// The target of `indicator` for the programme (`network_id` none) or a network.
pub fn target_of(targets: &[Target], indicator: Indicator, network_id: Option<&str>, period: Period) -> Option<f64> {
    targets
        .iter()
        .find(|t| t.indicator == indicator && t.period == period && t.network_id.as_deref() == network_id)
        .map(|t| t.value)
}

/// Whether a figure meets its target: `met`, `missed`, or empty without both.
pub fn target_status(indicator: Indicator, value: Option<f64>, target: Option<f64>) -> &'static str {
    match (value, target) {
        (Some(v), Some(t)) if (indicator.higher_is_better() && v >= t) || (!indicator.higher_is_better() && v <= t) => {
            "met"
        }
        (Some(_), Some(_)) => "missed",
        _ => "",
    }
}

/// A figure as shown, `—` when there is none.
pub fn shown(indicator: Indicator, value: Option<f64>) -> String {
    value.map(|v| indicator.format(v)).unwrap_or_else(|| "—".to_owned())
}

/// The story's sentences in the reader's language.
pub fn story_text(tr: &Translator, sentences: &[Sentence]) -> Vec<String> {
    sentences
        .iter()
        .map(|s| {
            let mut args = s.args.clone();
            if let Some(indicator) = s.indicator {
                args.push(("indicator", tr.t(&indicator.label_key())));
            }
            tr.t_args(s.key, &args)
        })
        .collect()
}

/// The story of a network (`network_id`) or of the whole scope, from this period's figures and
/// the period before's.
pub fn story(
    now: &[Figures],
    before: &[Figures],
    targets: &[Target],
    network_id: Option<&str>,
    period: Period,
) -> Vec<Sentence> {
    let value = |figures: &[Figures], indicator: Indicator| {
        figures.iter().find(|f| f.indicator == indicator).and_then(|f| match network_id {
            Some(id) => f.network(id),
            None => f.total,
        })
    };
    let figures: Vec<StoryFigure> = Indicator::ALL
        .into_iter()
        .map(|indicator| StoryFigure {
            indicator,
            now: value(now, indicator),
            before: value(before, indicator),
            target: target_of(targets, indicator, network_id, period),
        })
        .collect();
    let municipalities = |figures: &[Figures]| {
        figures
            .iter()
            .find(|f| f.indicator == Indicator::MemberOrganisations)
            .map(|f| {
                f.breakdown
                    .iter()
                    .filter(|(network, key, _)| network == network_id.unwrap_or("") && key == "comune")
                    .map(|(_, _, v)| *v as i64)
                    .sum::<i64>()
            })
            .unwrap_or(0)
    };
    reti_domain::indicators::story(&figures, (municipalities(now), municipalities(before)))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// One bar of a chart: its label, its value and, when set, the target it is drawn against; the
/// value and the target as written.
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub target: Option<f64>,
    pub shown: String,
    /// Empty without a target.
    pub target_shown: String,
}

/// A chart before it is drawn, as SVG on the dashboards ([`bar_chart`]) or by typst in the funder
/// report: its title and description, its bars, and its data as a table.
pub struct ChartData {
    /// Unique on its page.
    pub id: String,
    pub title: String,
    pub description: String,
    pub bars: Vec<Bar>,
    pub headers: Vec<String>,
    /// Each row's first cell heads it.
    pub rows: Vec<Vec<String>>,
}

/// The charts of a dashboard, of the network `network_id` or of its own scope: the figures against
/// their targets (built-in, then custom), then each series by quarter (built-in, then each custom
/// indicator with a figure in some quarter; a quarter without one is an empty bar written "—").
/// `numbers` writes each figure: as it is on the dashboards, or for the report's language.
pub fn charts(
    tr: &Translator,
    data: &Dashboard,
    network_id: Option<&str>,
    period: Period,
    numbers: &dyn Fn(String) -> String,
) -> Vec<ChartData> {
    let mut charts = Vec::new();
    let value = |f: &Figures| match network_id {
        Some(id) => f.network(id),
        None => f.total,
    };
    // (label, value, target, value written, target written)
    let mut against: Vec<(String, f64, f64, String, String)> = data
        .figures
        .iter()
        .filter_map(|f| {
            let (v, t) = (value(f)?, target_of(&data.targets, f.indicator, network_id, period)?);
            Some((tr.t(&f.indicator.label_key()), v, t, numbers(f.indicator.format(v)), numbers(f.indicator.format(t))))
        })
        .collect();
    against.extend(data.custom.iter().filter_map(|f| {
        let indicator = &f.indicator;
        let v = f.of(network_id)?;
        let t = crate::custom_indicators::target_of(&data.custom_targets, &indicator.code, network_id, period)?;
        Some((indicator.label(tr.locale).to_owned(), v, t, numbers(indicator.format(v)), numbers(indicator.format(t))))
    }));
    if !against.is_empty() {
        let title = tr.t_args("indicators-chart-targets", &[("period", period.to_string())]);
        charts.push(ChartData {
            id: "targets".into(),
            description: tr.t_args("indicators-chart-targets-desc", &[("count", against.len().to_string())]),
            title,
            bars: against
                .iter()
                .map(|(label, v, t, shown, target_shown)| Bar {
                    label: label.clone(),
                    value: *v,
                    target: Some(*t),
                    shown: shown.clone(),
                    target_shown: target_shown.clone(),
                })
                .collect(),
            headers: vec![
                tr.t("indicators-column-indicator"),
                tr.t("indicators-column-value"),
                tr.t("indicators-column-target"),
            ],
            rows: against
                .into_iter()
                .map(|(label, _, _, shown, target_shown)| vec![label, shown, target_shown])
                .collect(),
        });
    }
    let series = data.series.iter().map(|(indicator, points)| {
        let written: Vec<(Period, Option<f64>, String)> =
            points.iter().map(|(q, v)| (*q, Some(*v), numbers(indicator.format(*v)))).collect();
        (tr.t(&indicator.label_key()), format!("series-{}", indicator.code().replace('_', "-")), written)
    });
    let custom = data.custom_series.iter().filter(|(_, points)| points.iter().any(|(_, v)| v.is_some())).map(
        |(indicator, points)| {
            let written: Vec<(Period, Option<f64>, String)> = points
                .iter()
                .map(|(q, v)| (*q, *v, v.map(|v| numbers(indicator.format(v))).unwrap_or_else(|| "—".to_owned())))
                .collect();
            (
                indicator.label(tr.locale).to_owned(),
                format!("series-custom-{}", indicator.code.replace('_', "-")),
                written,
            )
        },
    );
    for (label, id, points) in series.chain(custom) {
        let title =
            tr.t_args("indicators-chart-series", &[("indicator", label.clone()), ("year", period.year().to_string())]);
        let description = points.iter().map(|(q, _, shown)| format!("{q}: {shown}")).collect::<Vec<_>>().join("; ");
        charts.push(ChartData {
            id,
            title,
            description,
            bars: points
                .iter()
                .map(|(q, v, shown)| Bar {
                    label: q.to_string(),
                    value: v.unwrap_or(0.0),
                    target: None,
                    shown: shown.clone(),
                    target_shown: String::new(),
                })
                .collect(),
            headers: vec![tr.t("indicators-column-quarter"), label],
            rows: points.into_iter().map(|(q, _, shown)| vec![q.to_string(), shown]).collect(),
        });
    }
    charts
}

/// A figure as written in `locale` (`figure` as [`Indicator::format`] writes it, `-1234.5`):
/// `-1.234,5` in Italian, `-1,234.5` in English. Anything else (`—`) stays as it is.
pub fn localised(locale: Locale, figure: &str) -> String {
    let (sign, digits) = match figure.strip_prefix(['+', '-']) {
        Some(rest) => (&figure[..1], rest),
        None => ("", figure),
    };
    let (whole, fraction) = match digits.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (digits, None),
    };
    let is_digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if !is_digits(whole) || fraction.is_some_and(|f| !is_digits(f)) {
        return figure.to_owned();
    }
    let (group, decimal) = match locale {
        Locale::It => ('.', ','),
        Locale::En => (',', '.'),
    };
    let mut out = String::with_capacity(figure.len() + whole.len() / 3);
    out.push_str(sign);
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            out.push(group);
        }
        out.push(digit);
    }
    if let Some(fraction) = fraction {
        out.push(decimal);
        out.push_str(fraction);
    }
    out
}

/// A bar chart as SVG with a title and a description (`id` makes their ids unique on the page);
/// the data table goes beside it in the page.
pub fn bar_chart(id: &str, title: &str, description: &str, bars: &[Bar]) -> String {
    const WIDTH: f64 = 640.0;
    const LABEL: f64 = 220.0;
    const ROW: f64 = 28.0;
    let height = 20.0 + ROW * bars.len().max(1) as f64;
    let max = bars.iter().flat_map(|b| [b.value, b.target.unwrap_or(0.0)]).fold(0.0_f64, f64::max).max(1e-9);
    let scale = |v: f64| (v.max(0.0) / max) * (WIDTH - LABEL - 70.0);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="reti-chart img-fluid" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(title),
        escape(description)
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = 10.0 + ROW * i as f64;
        let width = scale(bar.value);
        let _ = write!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end" font-size="12" fill="#212529">{}</text><rect x="{LABEL:.1}" y="{y:.1}" width="{width:.1}" height="18" fill="#1f5f99"/><text x="{:.1}" y="{:.1}" font-size="12" fill="#212529">{}</text>"##,
            LABEL - 8.0,
            y + 13.0,
            escape(&bar.label),
            LABEL + width + 6.0,
            y + 13.0,
            escape(&bar.shown)
        );
        if let Some(target) = bar.target {
            let x = LABEL + scale(target);
            let _ = write!(
                svg,
                r##"<line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}" stroke="#b00020" stroke-width="3"/>"##,
                y - 3.0,
                y + 21.0
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

/// The columns of an export of figures.
pub const EXPORT_COLUMNS: &[ExportColumn] = &[
    ExportColumn { field: "programme_id", header: "Programma" },
    ExportColumn { field: "network_id", header: "Rete (id)" },
    ExportColumn { field: "network", header: "Rete" },
    ExportColumn { field: "code", header: "Indicatore (codice)" },
    ExportColumn { field: "label", header: "Indicatore" },
    ExportColumn { field: "period", header: "Periodo" },
    ExportColumn { field: "value", header: "Valore" },
    ExportColumn { field: "target", header: "Obiettivo" },
    ExportColumn { field: "amif", header: "Indicatore comune FAMI" },
];

/// Every figure of `figures` as rows: the scope's total first (network empty), then each network.
pub fn export_table(
    tr: &Translator,
    programme_id: &str,
    networks: &[(String, String)],
    figures: &[Figures],
    targets: &[Target],
) -> ExportTable {
    let mut rows = Vec::new();
    for f in figures {
        let label = tr.t(&f.indicator.label_key());
        let amif = reti_domain::custom_indicators::amif_of(f.indicator)
            .map(|(amif, part)| match part {
                Some(part) => format!("{} ({part})", amif.reference()),
                None => amif.reference().to_owned(),
            })
            .unwrap_or_default();
        let plain =
            |v: Option<f64>| v.map(|v| format!("{v:.prec$}", prec = f.indicator.unit().decimals())).unwrap_or_default();
        rows.push(vec![
            programme_id.to_owned(),
            String::new(),
            String::new(),
            f.indicator.code().to_owned(),
            label.clone(),
            f.period.to_string(),
            plain(f.total),
            plain(target_of(targets, f.indicator, None, f.period)),
            amif.clone(),
        ]);
        for (id, name) in networks {
            rows.push(vec![
                programme_id.to_owned(),
                id.clone(),
                name.clone(),
                f.indicator.code().to_owned(),
                label.clone(),
                f.period.to_string(),
                plain(f.network(id)),
                plain(target_of(targets, f.indicator, Some(id), f.period)),
                amif.clone(),
            ]);
        }
    }
    ExportTable { columns: EXPORT_COLUMNS, rows }
}

/// The columns of an export of the rows a figure counts.
pub const ROW_COLUMNS: &[ExportColumn] = &[
    ExportColumn { field: "network_id", header: "Rete (id)" },
    ExportColumn { field: "network", header: "Rete" },
    ExportColumn { field: "record", header: "Tipo di dato" },
    ExportColumn { field: "record_id", header: "Id" },
    ExportColumn { field: "date", header: "Data" },
    ExportColumn { field: "title", header: "Descrizione" },
    ExportColumn { field: "detail", header: "Dettaglio" },
    ExportColumn { field: "amount", header: "Quantità" },
];

pub fn rows_table(rows: &[reti_store::indicators::TraceRow]) -> ExportTable {
    ExportTable {
        columns: ROW_COLUMNS,
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    r.network_id.clone(),
                    r.network_name.clone(),
                    r.record.to_owned(),
                    r.record_id.clone(),
                    r.date.clone(),
                    r.title.clone(),
                    r.detail.clone(),
                    format!("{}", r.amount),
                ]
            })
            .collect(),
    }
}

/// A network of the programme the caller does not see, or that is not the programme's, is an
/// error naming the field.
pub fn unknown_network() -> FieldErrors {
    FieldError::new("network", "error-indicators-network-unknown").into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_is_an_image_with_its_title_and_description() {
        let bars = [Bar {
            label: "Ore <di> accompagnamento".into(),
            value: 3.0,
            target: Some(4.0),
            shown: "3,00".into(),
            target_shown: "4,00".into(),
        }];
        let svg = bar_chart("hours", "Ore", "Tre ore su quattro", &bars);
        assert!(
            svg.starts_with("<svg")
                && svg.contains(r#"role="img""#)
                && svg.contains(r#"aria-labelledby="hours-title hours-desc""#)
        );
        assert!(svg.contains("Ore &lt;di&gt; accompagnamento") && svg.contains("<line"), "{svg}");
    }

    #[test]
    fn figures_are_written_for_the_language() {
        assert_eq!(localised(Locale::It, "1234567.50"), "1.234.567,50");
        assert_eq!(localised(Locale::En, "1234567.50"), "1,234,567.50");
        assert_eq!(localised(Locale::It, "+12.5"), "+12,5");
        assert_eq!(localised(Locale::En, "-1234"), "-1,234");
        assert_eq!(localised(Locale::It, "123"), "123");
        assert_eq!(localised(Locale::En, "—"), "—");
        assert_eq!(localised(Locale::It, "1.2.3"), "1.2.3", "not a figure");
    }
}
