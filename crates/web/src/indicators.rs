//! Impact indicators (decision 0043) for the dashboards, the rows pages, the API and the CLI: who
//! sees which networks' figures, the figures with their targets, the links to the rows each figure
//! counts, the story of what changed and the charts, drawn here as accessible SVG.

use crate::AppState;
use crate::context::{Identity, NetworkAccess};
use crate::error::{AppError, AppResult};
use crate::i18n::Translator;
use reti_domain::indicators::{Indicator, Period, Sentence, StoryFigure};
use reti_domain::{FieldError, FieldErrors};
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
    Ok(Dashboard { networks, figures, before, targets, series, custom, custom_targets })
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

/// One bar of a chart: its label, its value and, when set, the target it is drawn against.
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub target: Option<f64>,
    pub shown: String,
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
        let bars =
            [Bar { label: "Ore <di> accompagnamento".into(), value: 3.0, target: Some(4.0), shown: "3,00".into() }];
        let svg = bar_chart("hours", "Ore", "Tre ore su quattro", &bars);
        assert!(
            svg.starts_with("<svg")
                && svg.contains(r#"role="img""#)
                && svg.contains(r#"aria-labelledby="hours-title hours-desc""#)
        );
        assert!(svg.contains("Ore &lt;di&gt; accompagnamento") && svg.contains("<line"), "{svg}");
    }
}
