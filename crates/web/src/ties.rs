//! Cross-network ties of a programme (decision 0031), for the page, its downloads and the API:
//! who sees them and how much, the dates asked for, the drawing and the files.

use crate::AppState;
use crate::context::Identity;
use crate::error::{AppError, AppResult};
use crate::extract::{CurrentUser, route_id};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use reti_domain::ties::{self, Change, Snapshot};
use reti_domain::{FieldError, FieldErrors, Role, dates};
use reti_graph::export::{AttributeDecl, AttributeType, ExportEdge, ExportGraph, ExportNode};
use reti_store::programmes::ProgrammeDetails;
use reti_store::registry::export::{ExportColumn, ExportTable};
use std::fmt::Write;
use time::{Date, Duration};

/// How much of the programme's ties a person sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TieScope {
    /// The coordination of the programme, the administrator and the programme's facilitators.
    Whole,
    /// Someone who works on these networks of the programme (member or lead): the ties that
    /// touch them.
    Networks(Vec<String>),
}

impl TieScope {
    /// The scope of `identity` in `programme_id`, `None` when they have no part in it.
    pub fn of(identity: &Identity, programme_id: &str) -> Option<TieScope> {
        if identity.coordinates(programme_id) {
            return Some(TieScope::Whole);
        }
        let mine: Vec<_> = identity.networks.iter().filter(|n| n.programme_id == programme_id).collect();
        if mine.iter().any(|n| n.role == Role::Facilitator) {
            return Some(TieScope::Whole);
        }
        let mut ids: Vec<String> = mine.iter().map(|n| n.network_id.clone()).collect();
        ids.dedup();
        (!ids.is_empty()).then_some(TieScope::Networks(ids))
    }
}

/// The programme of the route's `{id}` and the caller's scope in it: 404 for an unknown
/// programme, 403 for someone with no part in it.
pub struct TiesProgramme {
    pub programme: ProgrammeDetails,
    pub scope: TieScope,
    pub user: CurrentUser,
}

impl FromRequestParts<AppState> for TiesProgramme {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        let programme = state.db.programme_details(&route_id(parts, state).await?).await?.ok_or(AppError::NotFound)?;
        let scope = TieScope::of(&user, &programme.id).ok_or(AppError::Forbidden)?;
        Ok(TiesProgramme { programme, scope, user })
    }
}

/// The two dates compared: `at` (today in Italy when blank) and `since` (a year before `at` when
/// blank), `since` before `at`.
pub fn period(at: &str, since: &str) -> Result<(Date, Date), FieldErrors> {
    let mut errors = FieldErrors::default();
    let read = |field: &str, raw: &str, errors: &mut FieldErrors| match dates::parse_optional(field, raw) {
        Ok(date) => date,
        Err(error) => {
            errors.add(error);
            None
        }
    };
    let at_date = read("at", at, &mut errors);
    let since_date = read("since", since, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let at = at_date.unwrap_or_else(reti_domain::meetings::today_in_rome);
    let since = since_date.unwrap_or_else(|| at.replace_year(at.year() - 1).unwrap_or(at - Duration::days(365)));
    if since >= at {
        return Err(FieldErrors(vec![FieldError::new("since", "error-ties-since-after")]));
    }
    Ok((at, since))
}

/// The ties at `at` and at `since`, and what changed, as `scope` sees them.
pub struct Ties {
    pub now: Snapshot,
    pub before: Snapshot,
    pub change: Change,
}

pub async fn load(state: &AppState, programme_id: &str, scope: &TieScope, at: Date, since: Date) -> AppResult<Ties> {
    let first = since.min(at) - Duration::days(ties::MEETING_WINDOW_DAYS - 1);
    let data = state.db.ties_data(programme_id, first, at).await?;
    let view = |snapshot: Snapshot| match scope {
        TieScope::Whole => snapshot,
        TieScope::Networks(ids) => snapshot.restricted_to(ids),
    };
    let now = view(ties::snapshot(&data, at));
    let before = view(ties::snapshot(&data, since));
    let change = ties::change(&before, &now);
    Ok(Ties { now, before, change })
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

const WIDTH: f64 = 760.0;
const HEIGHT: f64 = 520.0;
const MARGIN: f64 = 90.0;

/// The colour and dash of a tie of this kind (the legend of the page uses the same).
pub fn tie_style(kind: ties::TieKind) -> (&'static str, &'static str) {
    match kind {
        ties::TieKind::Organisations => ("#1f5f99", ""),
        ties::TieKind::Meetings => ("#995c00", "6 4"),
        ties::TieKind::Both => ("#3b3b3b", ""),
    }
}

/// The networks (circles, larger for higher betweenness, dark red for cut points) and their ties
/// (lines, thicker for heavier ties, coloured and dashed by kind, bridges doubled), drawn
/// from the deterministic layout, with a title and a description for screen readers.
pub fn svg(snapshot: &Snapshot, title: &str, description: &str) -> String {
    let point = |i: usize| {
        let (x, y) = snapshot.networks[i].position;
        (MARGIN + x * (WIDTH - 2.0 * MARGIN), MARGIN * 0.6 + y * (HEIGHT - 1.6 * MARGIN))
    };
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="reti-ties img-fluid" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="ties-title ties-desc" xmlns="http://www.w3.org/2000/svg"><title id="ties-title">{}</title><desc id="ties-desc">{}</desc>"#,
        escape(title),
        escape(description)
    );
    for tie in &snapshot.ties {
        let ((x1, y1), (x2, y2)) = (point(tie.a), point(tie.b));
        let (colour, dash) = tie_style(tie.kind());
        let width = 1.5 + (tie.weight() as f64).ln() * 1.5;
        if tie.bridge {
            let _ = write!(
                svg,
                r##"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="#b00020" stroke-width="{:.1}" stroke-opacity="0.35"/>"##,
                width + 6.0
            );
        }
        let _ = write!(
            svg,
            r#"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="{colour}" stroke-width="{width:.1}" stroke-dasharray="{dash}"/>"#
        );
    }
    for (i, network) in snapshot.networks.iter().enumerate() {
        let (x, y) = point(i);
        let radius = 7.0 + 18.0 * network.betweenness.sqrt();
        let fill = if network.cut_point { "#b00020" } else { "#1f5f99" };
        let _ = write!(
            svg,
            r##"<circle cx="{x:.1}" cy="{y:.1}" r="{radius:.1}" fill="{fill}" stroke="#ffffff" stroke-width="2"/><text x="{x:.1}" y="{:.1}" text-anchor="middle" font-size="13" fill="#212529" stroke="#ffffff" stroke-width="3" paint-order="stroke">{}</text>"##,
            y + radius + 15.0,
            escape(&network.name)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A number for tables and files: three decimals.
pub fn three(value: f64) -> String {
    format!("{value:.3}")
}

const TIE_COLUMNS: &[ExportColumn] = &[
    ExportColumn { field: "network_a", header: "Rete A" },
    ExportColumn { field: "network_b", header: "Rete B" },
    ExportColumn { field: "kind", header: "Tipo" },
    ExportColumn { field: "weight", header: "Peso" },
    ExportColumn { field: "shared_organisations", header: "Enti condivisi" },
    ExportColumn { field: "joint_meetings", header: "Incontri comuni" },
    ExportColumn { field: "bridge", header: "Ponte" },
];

/// One row per tie: its two networks, kind, weight, the organisations and meetings behind it.
pub fn tie_table(snapshot: &Snapshot) -> ExportTable {
    let rows = snapshot
        .ties
        .iter()
        .map(|t| {
            vec![
                snapshot.networks[t.a].name.clone(),
                snapshot.networks[t.b].name.clone(),
                t.kind().code().to_owned(),
                t.weight().to_string(),
                t.organisations.join("; "),
                t.meetings
                    .iter()
                    .map(|m| format!("{} ({})", m.title, dates::format(m.on)))
                    .collect::<Vec<_>>()
                    .join("; "),
                if t.bridge { "sì" } else { "no" }.to_owned(),
            ]
        })
        .collect();
    ExportTable { columns: TIE_COLUMNS, rows }
}

/// The snapshot for Gephi and the rest: networks with their metrics and positions, ties with
/// their weight, kind and counts.
pub fn export_graph(snapshot: &Snapshot, title: &str) -> ExportGraph {
    let nodes = snapshot
        .networks
        .iter()
        .map(|n| ExportNode {
            id: n.id.clone(),
            label: n.name.clone(),
            attributes: [
                ("organisations", n.organisations.to_string()),
                ("betweenness", n.betweenness.to_string()),
                ("constraint", n.constraint.map(|c| c.to_string()).unwrap_or_default()),
                ("cut_point", n.cut_point.to_string()),
            ]
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
            position: Some((n.position.0 * 1000.0, n.position.1 * 1000.0)),
        })
        .collect();
    let edges = snapshot
        .ties
        .iter()
        .map(|t| ExportEdge {
            source: snapshot.networks[t.a].id.clone(),
            target: snapshot.networks[t.b].id.clone(),
            weight: Some(t.weight() as f64),
            attributes: vec![
                ("kind".to_owned(), t.kind().code().to_owned()),
                ("organisations".to_owned(), t.organisations.len().to_string()),
                ("meetings".to_owned(), t.meetings.len().to_string()),
                ("bridge".to_owned(), t.bridge.to_string()),
            ],
        })
        .collect();
    ExportGraph {
        title: title.to_owned(),
        node_attributes: vec![
            AttributeDecl::new("organisations", "organisations", AttributeType::Integer),
            AttributeDecl::new("betweenness", "betweenness", AttributeType::Double),
            AttributeDecl::new("constraint", "constraint", AttributeType::Double),
            AttributeDecl::new("cut_point", "cut_point", AttributeType::Boolean),
        ],
        edge_attributes: vec![
            AttributeDecl::new("kind", "kind", AttributeType::String),
            AttributeDecl::new("organisations", "shared_organisations", AttributeType::Integer),
            AttributeDecl::new("meetings", "joint_meetings", AttributeType::Integer),
            AttributeDecl::new("bridge", "bridge", AttributeType::Boolean),
        ],
        nodes,
        edges,
    }
}
