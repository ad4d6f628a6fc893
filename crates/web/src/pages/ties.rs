//! The page of a programme's cross-network ties (decision 0031): the drawing, the ties, the
//! brokers and bridges, the organisations in several networks and what changed since an earlier
//! date; the ties as CSV or XLSX, the graph as GEXF or GraphML.

use super::{form_status, render_status};
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::export::{self, Format};
use crate::page::PageContext;
use crate::ties::{self, TieScope, Ties, TiesProgramme};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use reti_domain::ties::TieKind;
use reti_domain::{FieldError, FieldErrors, dates};
use reti_store::programmes::ProgrammeDetails;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PeriodQuery {
    pub at: String,
    pub since: String,
    pub format: String,
}

impl PeriodQuery {
    /// The query string that asks for the same dates.
    fn dates_query(&self) -> String {
        let mut parts = Vec::new();
        for (name, value) in [("at", &self.at), ("since", &self.since)] {
            if !value.trim().is_empty() {
                parts.push(format!("{name}={}", urlencoding(value.trim())));
            }
        }
        parts.join("&")
    }
}

/// Dates are digits and separators; anything else is percent-encoded.
fn urlencoding(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b == b'-' { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

pub struct TieRow {
    pub a: String,
    pub b: String,
    pub kind: String,
    pub weight: usize,
    pub organisations: String,
    pub meetings: String,
    pub bridge: bool,
}

pub struct BrokerRow {
    pub id: String,
    pub name: String,
    pub degree: usize,
    pub organisations: usize,
    pub betweenness: String,
    pub constraint: String,
    pub cut_point: bool,
}

#[derive(Template)]
#[template(path = "ties/show.html")]
struct ShowPage {
    page: PageContext,
    programme: ProgrammeDetails,
    whole: bool,
    at: String,
    since: String,
    errors: FieldErrors,
    at_label: String,
    since_label: String,
    meetings_from: String,
    networks: usize,
    tie_count: usize,
    density: String,
    density_before: String,
    density_change: String,
    components: usize,
    svg: String,
    ties: Vec<TieRow>,
    brokers: Vec<BrokerRow>,
    shared: Vec<(String, String, String)>,
    gained: Vec<String>,
    lost: Vec<String>,
    query: String,
    legend: Vec<(String, &'static str, &'static str)>,
}

fn tie_kind_label(page: &PageContext, kind: TieKind) -> String {
    page.t(&format!("ties-kind-{}", kind.code()))
}

pub async fn show(
    State(state): State<AppState>,
    page: PageContext,
    TiesProgramme { programme, scope, .. }: TiesProgramme,
    Query(query): Query<PeriodQuery>,
) -> AppResult<Response> {
    let (period, errors) = match ties::period(&query.at, &query.since) {
        Ok(period) => (period, FieldErrors::default()),
        Err(errors) => (ties::period("", "").map_err(AppError::Invalid)?, errors),
    };
    let (at, since) = period;
    let Ties { now, change, .. } = ties::load(&state, &programme.id, &scope, at, since).await?;
    let at_label = dates::format(at);
    let title = page.t_args("ties-svg-title", &[("programme", programme.name.clone()), ("date", at_label.clone())]);
    let description = page.t_args(
        "ties-svg-desc",
        &[
            ("networks", now.networks.len().to_string()),
            ("count", now.ties.len().to_string()),
            ("value", ties::three(now.density)),
        ],
    );
    let svg = ties::svg(&now, &title, &description);
    let names = |i: usize| now.networks[i].name.clone();
    let rows = now
        .ties
        .iter()
        .map(|t| TieRow {
            a: names(t.a),
            b: names(t.b),
            kind: tie_kind_label(&page, t.kind()),
            weight: t.weight(),
            organisations: t.organisations.join("; "),
            meetings: t
                .meetings
                .iter()
                .map(|m| format!("{} ({})", m.title, dates::format(m.on)))
                .collect::<Vec<_>>()
                .join("; "),
            bridge: t.bridge,
        })
        .collect();
    // Brokers first: highest betweenness, then lowest constraint.
    let mut order: Vec<usize> = (0..now.networks.len()).collect();
    order.sort_by(|&x, &y| {
        let (a, b) = (&now.networks[x], &now.networks[y]);
        let constraint = |c: Option<f64>| c.unwrap_or(f64::INFINITY);
        b.betweenness.total_cmp(&a.betweenness).then(constraint(a.constraint).total_cmp(&constraint(b.constraint)))
    });
    let brokers = order
        .iter()
        .map(|&i| {
            let n = &now.networks[i];
            BrokerRow {
                id: n.id.clone(),
                name: n.name.clone(),
                degree: n.degree,
                organisations: n.organisations,
                betweenness: ties::three(n.betweenness),
                constraint: n.constraint.map(ties::three).unwrap_or_else(|| "—".to_owned()),
                cut_point: n.cut_point,
            }
        })
        .collect();
    let shared = now
        .shared
        .iter()
        .map(|s| (s.id.clone(), s.name.clone(), s.networks.iter().map(|&i| names(i)).collect::<Vec<_>>().join("; ")))
        .collect();
    let pair = |(a, b): &(String, String)| format!("{a} — {b}");
    let legend = [TieKind::Organisations, TieKind::Meetings, TieKind::Both]
        .into_iter()
        .map(|kind| {
            let (colour, dash) = ties::tie_style(kind);
            (tie_kind_label(&page, kind), colour, dash)
        })
        .collect();
    let template = ShowPage {
        whole: scope == TieScope::Whole,
        at: query.at.clone(),
        since: query.since.clone(),
        errors,
        since_label: dates::format(since),
        meetings_from: dates::format(now.meetings_from),
        networks: now.networks.len(),
        tie_count: now.ties.len(),
        density: ties::three(change.density_after),
        density_before: ties::three(change.density_before),
        density_change: format!("{:+.3}", change.density_change()),
        components: now.components,
        svg,
        ties: rows,
        brokers,
        shared,
        gained: change.gained.iter().map(pair).collect(),
        lost: change.lost.iter().map(pair).collect(),
        query: query.dates_query(),
        legend,
        at_label,
        page,
        programme,
    };
    render_status(form_status(&template.errors), &template)
}

/// The period of a download: a bad date refuses the download (422).
async fn snapshot_for(
    state: &AppState,
    programme: &ProgrammeDetails,
    scope: &TieScope,
    query: &PeriodQuery,
) -> AppResult<reti_domain::ties::Snapshot> {
    let (at, since) = ties::period(&query.at, &query.since).map_err(AppError::Invalid)?;
    Ok(ties::load(state, &programme.id, scope, at, since).await?.now)
}

fn file_name(programme: &ProgrammeDetails, at: time::Date, extension: &str) -> String {
    let code: String =
        programme.code.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
    format!("legami-{code}-{at}.{extension}")
}

/// The ties as CSV or XLSX.
pub async fn export(
    State(state): State<AppState>,
    TiesProgramme { programme, scope, .. }: TiesProgramme,
    Query(query): Query<PeriodQuery>,
) -> AppResult<Response> {
    let format = match Format::parse(&query.format) {
        Some(format @ (Format::Csv | Format::Xlsx)) => format,
        _ => return Err(AppError::Invalid(FieldError::new("format", "error-export-format").into())),
    };
    let snapshot = snapshot_for(&state, &programme, &scope, &query).await?;
    let bytes = export::write(&ties::tie_table(&snapshot), format).map_err(AppError::Internal)?;
    let name = file_name(&programme, snapshot.at, format.extension());
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        bytes,
    )
        .into_response())
}

async fn graph_file(
    state: &AppState,
    programme: &ProgrammeDetails,
    scope: &TieScope,
    query: &PeriodQuery,
    extension: &str,
    content_type: &str,
    write: fn(&reti_graph::export::ExportGraph) -> String,
) -> AppResult<Response> {
    let snapshot = snapshot_for(state, programme, scope, query).await?;
    let title = format!("{} — {}", programme.name, dates::format(snapshot.at));
    let body = write(&ties::export_graph(&snapshot, &title));
    let name = file_name(programme, snapshot.at, extension);
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        body,
    )
        .into_response())
}

/// The graph as GEXF 1.3 (Gephi).
pub async fn gexf(
    State(state): State<AppState>,
    TiesProgramme { programme, scope, .. }: TiesProgramme,
    Query(query): Query<PeriodQuery>,
) -> AppResult<Response> {
    graph_file(&state, &programme, &scope, &query, "gexf", "application/gexf+xml", reti_graph::export::gexf).await
}

/// The graph as GraphML.
pub async fn graphml(
    State(state): State<AppState>,
    TiesProgramme { programme, scope, .. }: TiesProgramme,
    Query(query): Query<PeriodQuery>,
) -> AppResult<Response> {
    graph_file(&state, &programme, &scope, &query, "graphml", "application/graphml+xml", reti_graph::export::graphml)
        .await
}
