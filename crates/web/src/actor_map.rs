//! The actor map's edge between the store and the `graph` crate (decision 0030): who reaches a
//! network's map, its metrics computed by `graph` (the same numbers for the page, the API, the
//! snapshots and the demo), its drawing as SVG from the deterministic layout, and the graph as
//! `graph`'s GEXF and GraphML writers take it.
//!
//! The drawing has no script and no style attribute (CSP): sizes and colours are SVG presentation
//! attributes; `static/map.js` adds pan and zoom when JavaScript runs.

use crate::AppState;
use crate::context::NetworkAccess;
use crate::error::AppError;
use crate::extract::{CurrentUser, NetworkAt, Private};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use reti_domain::actor_map::{LAYOUT_SEED, RelationKind, SnapshotData, SnapshotNode, SnapshotRelation};
use reti_graph::GraphBuilder;
use reti_graph::export::{AttributeDecl, AttributeType, ExportEdge, ExportGraph, ExportNode};
use reti_store::actor_map::ActorMap;
use reti_store::registry::networks::Network;
use std::fmt::Write;

/// The network of the route's `{id}` with its map, when the caller sees its private data;
/// `editable` when they manage it (its lead and the coordination).
pub struct MapAt {
    pub network: Network,
    pub user: CurrentUser,
    pub editable: bool,
}

impl MapAt {
    /// 403 unless the caller may change the map.
    pub fn editor(self) -> Result<MapAt, AppError> {
        if self.editable { Ok(self) } else { Err(AppError::Forbidden) }
    }
}

impl FromRequestParts<AppState> for MapAt {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let NetworkAt { network, user, access, .. } = NetworkAt::<Private>::from_request_parts(parts, state).await?;
        Ok(MapAt { network, user, editable: access == NetworkAccess::Manage })
    }
}

/// The map with its metrics, computed by the `graph` crate: every organisation of the map is a
/// node (isolated ones too), every pair with at least one relation an edge.
pub fn snapshot_data(map: &ActorMap) -> SnapshotData {
    let mut builder = GraphBuilder::new();
    for organisation in &map.organisations {
        builder.add_node(&organisation.id);
    }
    for relation in &map.relations {
        // A second kind of relation between the same pair is the same edge.
        let _ = builder.add_edge(&relation.organisation_a, &relation.organisation_b);
    }
    let graph = builder.build();
    let metrics = reti_graph::metrics(&graph);
    let nodes = map
        .organisations
        .iter()
        .map(|organisation| {
            let v = graph.index_of(&organisation.id).unwrap_or_default();
            SnapshotNode {
                organisation_id: organisation.id.clone(),
                name: organisation.name.clone(),
                member: organisation.member,
                degree: metrics.degree[v],
                betweenness: metrics.betweenness[v],
                closeness: metrics.closeness[v],
                eigenvector: metrics.eigenvector.as_ref().map(|e| e[v]),
                clustering: metrics.clustering[v],
                constraint: metrics.constraint[v],
                community: metrics.community[v],
            }
        })
        .collect();
    SnapshotData {
        density: metrics.density,
        components: metrics.components,
        modularity: metrics.modularity,
        nodes,
        relations: map
            .relations
            .iter()
            .map(|r| SnapshotRelation {
                organisation_a: r.organisation_a.clone(),
                organisation_b: r.organisation_b.clone(),
                kind: r.kind,
                strength: r.strength,
            })
            .collect(),
    }
}

/// The map as the graph files carry it: every organisation a node (its name, kind of organisation,
/// `member` or `context` actor, resources), every relation an edge (its kind, its strength as
/// attribute and weight, the date it started when known), with the page's drawing positions
/// (GEXF), so that Gephi opens the picture the page shows.
pub fn export_graph(map: &ActorMap, title: &str) -> ExportGraph {
    let mut builder = GraphBuilder::new();
    for organisation in &map.organisations {
        builder.add_node(&organisation.id);
    }
    for relation in &map.relations {
        let _ = builder.add_edge(&relation.organisation_a, &relation.organisation_b);
    }
    let graph = builder.build();
    let positions = reti_graph::layout(&graph, LAYOUT_SEED);
    let nodes = map
        .organisations
        .iter()
        .map(|organisation| ExportNode {
            id: organisation.id.clone(),
            label: organisation.name.clone(),
            attributes: vec![
                ("name".to_owned(), organisation.name.clone()),
                ("kind".to_owned(), organisation.kind.code().to_owned()),
                ("actor".to_owned(), if organisation.member { "member" } else { "context" }.to_owned()),
                ("resources".to_owned(), organisation.resources.join("; ")),
            ],
            position: graph.index_of(&organisation.id).map(|v| (positions[v].0 * 1000.0, positions[v].1 * 1000.0)),
        })
        .collect();
    let edges = map
        .relations
        .iter()
        .map(|relation| {
            let mut attributes = vec![
                ("kind".to_owned(), relation.kind.code().to_owned()),
                ("strength".to_owned(), relation.strength.to_string()),
            ];
            if let Some(since) = relation.since {
                attributes.push(("since".to_owned(), since.to_string()));
            }
            ExportEdge {
                source: relation.organisation_a.clone(),
                target: relation.organisation_b.clone(),
                weight: Some(f64::from(relation.strength)),
                attributes,
            }
        })
        .collect();
    ExportGraph {
        title: title.to_owned(),
        node_attributes: vec![
            AttributeDecl::new("name", "name", AttributeType::String),
            AttributeDecl::new("kind", "kind", AttributeType::String),
            AttributeDecl::new("actor", "actor", AttributeType::String),
            AttributeDecl::new("resources", "resources", AttributeType::String),
        ],
        edge_attributes: vec![
            AttributeDecl::new("kind", "kind", AttributeType::String),
            AttributeDecl::new("strength", "strength", AttributeType::Integer),
            AttributeDecl::new("since", "since", AttributeType::String),
        ],
        nodes,
        edges,
    }
}

/// The colour of each kind of relation (Okabe–Ito, told apart with colour-blindness, each at
/// least 3:1 against white).
pub fn kind_colour(kind: RelationKind) -> &'static str {
    match kind {
        RelationKind::Collaboration => "#0072B2",
        RelationKind::InformationExchange => "#B35900",
        RelationKind::ResourceSharing => "#007A5E",
        RelationKind::FormalAgreement => "#A4336E",
    }
}

/// Members are filled in blue, context actors white with a dark ring.
pub const MEMBER_FILL: &str = "#17324D";
pub const ACTOR_FILL: &str = "#FFFFFF";
pub const ACTOR_STROKE: &str = "#5C6F82";

const WIDTH: f64 = 960.0;
const HEIGHT: f64 = 640.0;
const MARGIN: f64 = 70.0;

/// The texts of a drawing, in the reader's language.
pub struct DrawingText<'a> {
    pub title: &'a str,
    pub description: &'a str,
}

/// Draws `data` (its nodes and relations) as SVG: positions from the deterministic layout, radius
/// by degree (6 to 20 px), edges coloured by kind and as thick as their strength, members filled,
/// context actors ringed, every node labelled. The drawing is one image (`role="img"`), so it holds
/// no links: the table beside it links each organisation to its ego view.
pub fn draw(data: &SnapshotData, text: &DrawingText<'_>, id: &str) -> String {
    let mut builder = GraphBuilder::new();
    for node in &data.nodes {
        builder.add_node(&node.organisation_id);
    }
    for relation in &data.relations {
        let _ = builder.add_edge(&relation.organisation_a, &relation.organisation_b);
    }
    let graph = builder.build();
    let positions = reti_graph::layout(&graph, LAYOUT_SEED);
    let at = |organisation_id: &str| {
        graph.index_of(organisation_id).map(|v| {
            let (x, y) = positions[v];
            (MARGIN + x * (WIDTH - 2.0 * MARGIN), MARGIN + y * (HEIGHT - 2.0 * MARGIN))
        })
    };
    let max_degree = data.nodes.iter().map(|n| n.degree).max().unwrap_or(0).max(1) as f64;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{id}-title {id}-desc" class="actor-map" id="{id}" data-pan-zoom="true"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc><rect width="{WIDTH}" height="{HEIGHT}" fill="#FFFFFF"/><g class="actor-map-content">"##,
        escape(text.title),
        escape(text.description),
    );
    // Relations of several kinds between one pair are drawn side by side.
    let mut drawn: Vec<(&str, &str)> = Vec::new();
    for relation in &data.relations {
        let (Some((x1, y1)), Some((x2, y2))) = (at(&relation.organisation_a), at(&relation.organisation_b)) else {
            continue;
        };
        let pair = (relation.organisation_a.as_str(), relation.organisation_b.as_str());
        let rank = drawn.iter().filter(|p| **p == pair).count();
        drawn.push(pair);
        let length = ((x2 - x1).powi(2) + (y2 - y1).powi(2)).sqrt().max(1.0);
        let shift = 4.0 * rank.div_ceil(2) as f64 * if rank % 2 == 1 { 1.0 } else { -1.0 };
        let (nx, ny) = (-(y2 - y1) / length * shift, (x2 - x1) / length * shift);
        let _ = write!(
            svg,
            r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{}" stroke-width="{}" stroke-opacity="0.85" stroke-linecap="round"/>"#,
            x1 + nx,
            y1 + ny,
            x2 + nx,
            y2 + ny,
            kind_colour(relation.kind),
            1.5 * f64::from(relation.strength),
        );
    }
    for node in &data.nodes {
        let Some((x, y)) = at(&node.organisation_id) else { continue };
        let radius = 6.0 + 14.0 * node.degree as f64 / max_degree;
        let (fill, stroke) = if node.member { (MEMBER_FILL, "#FFFFFF") } else { (ACTOR_FILL, ACTOR_STROKE) };
        let _ = write!(
            svg,
            r##"<g><circle cx="{x:.1}" cy="{y:.1}" r="{radius:.1}" fill="{fill}" stroke="{stroke}" stroke-width="2"/><text x="{x:.1}" y="{:.1}" text-anchor="middle" font-size="12" font-family="Titillium Web, sans-serif" fill="#1A1A1A" stroke="#FFFFFF" stroke-width="3" paint-order="stroke">{}</text></g>"##,
            y + radius + 14.0,
            escape(&short(&node.name)),
        );
    }
    svg.push_str("</g></svg>");
    svg
}

/// A label short enough to read on the map; the table beside it has the full name.
fn short(name: &str) -> String {
    const MAX: usize = 32;
    if name.chars().count() <= MAX {
        name.to_owned()
    } else {
        format!("{}…", name.chars().take(MAX - 1).collect::<String>())
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// The part of `data` around one organisation: it, its neighbours, and the relations among them.
pub fn ego(data: &SnapshotData, organisation_id: &str) -> SnapshotData {
    let mut keep: Vec<&str> = vec![organisation_id];
    for relation in &data.relations {
        if relation.organisation_a == organisation_id {
            keep.push(&relation.organisation_b);
        } else if relation.organisation_b == organisation_id {
            keep.push(&relation.organisation_a);
        }
    }
    SnapshotData {
        density: data.density,
        components: data.components,
        modularity: data.modularity,
        nodes: data.nodes.iter().filter(|n| keep.contains(&n.organisation_id.as_str())).cloned().collect(),
        relations: data
            .relations
            .iter()
            .filter(|r| keep.contains(&r.organisation_a.as_str()) && keep.contains(&r.organisation_b.as_str()))
            .cloned()
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: &str, degree: usize) -> SnapshotNode {
        SnapshotNode {
            organisation_id: id.into(),
            name: format!("<{id}>"),
            member: id != "c",
            degree,
            betweenness: 0.0,
            closeness: 0.0,
            eigenvector: None,
            clustering: 0.0,
            constraint: None,
            community: 0,
        }
    }

    fn data() -> SnapshotData {
        let relation = |a: &str, b: &str, kind| SnapshotRelation {
            organisation_a: a.into(),
            organisation_b: b.into(),
            kind,
            strength: 2,
        };
        SnapshotData {
            density: 0.0,
            components: 1,
            modularity: None,
            nodes: vec![node("a", 2), node("b", 1), node("c", 1), node("d", 0)],
            relations: vec![
                relation("a", "b", RelationKind::Collaboration),
                relation("a", "b", RelationKind::FormalAgreement),
                relation("a", "c", RelationKind::InformationExchange),
            ],
        }
    }

    #[test]
    fn the_drawing_is_accessible_escaped_and_deterministic() {
        let text = DrawingText { title: "Mappa & rete", description: "Quattro enti" };
        let svg = draw(&data(), &text, "map");
        assert!(svg.contains(r#"role="img""#) && svg.contains("<title id=\"map-title\">Mappa &amp; rete</title>"));
        assert!(svg.contains("&lt;a&gt;") && !svg.contains("<a"), "escaped, and no link inside an image");
        assert_eq!(svg.matches("<line").count(), 3);
        assert_eq!(svg.matches("<circle").count(), 4);
        assert!(!svg.contains("style="));
        assert_eq!(svg, draw(&data(), &text, "map"));
    }

    #[test]
    fn the_ego_view_keeps_the_neighbours_and_their_relations() {
        let around = ego(&data(), "b");
        let ids: Vec<&str> = around.nodes.iter().map(|n| n.organisation_id.as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
        assert_eq!(around.relations.len(), 2);
    }
}
