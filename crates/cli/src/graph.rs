//! `reti graph metrics FILE.csv`: the metrics of an undirected graph read from an edge list;
//! `reti graph ties --programme ID`: a programme's cross-network ties (decision 0031).

use crate::translator;
use anyhow::{Context, bail};
use clap::Subcommand;
use reti_domain::TableError;
use reti_domain::edge_list::{self, EdgeListError, LineProblem};
use reti_domain::table::MAX_BYTES;
use reti_graph::export;
use reti_graph::{Options, SkipReason};
use reti_store::registry::export::ExportColumn;
use reti_web::export::{ExportWriter, Format};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum GraphCommand {
    /// Every metric of an undirected graph read from a CSV edge list with the header
    /// `source,target` (ids are any text; repeated edges and self-loops are reported and ignored):
    /// degree, betweenness, closeness, eigenvector centrality, clustering, Burt's constraint and
    /// Louvain communities, as networkx computes them.
    Metrics {
        file: PathBuf,
        #[arg(long, value_enum, default_value = "json")]
        format: GraphFormat,
        /// Seed of the Louvain communities (the same seed gives the same communities).
        #[arg(long, default_value_t = reti_graph::DEFAULT_SEED)]
        seed: u64,
        /// Threads to use (default: every core).
        #[arg(long)]
        threads: Option<usize>,
    },
    /// The cross-network ties of a programme on a date: networks linked by shared organisations
    /// and joint meetings, with brokers and bridges, and the change since a year before.
    Ties {
        /// The programme's id or code.
        #[arg(long)]
        programme: String,
        /// The date (YYYY-MM-DD; default today).
        #[arg(long)]
        at: Option<String>,
        /// The date compared with (default a year before).
        #[arg(long)]
        since: Option<String>,
        #[arg(long, value_enum, default_value = "json")]
        format: GraphFormat,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum GraphFormat {
    Json,
    Csv,
    Gexf,
    Graphml,
}

/// Bad lines listed before the rest are only counted.
const LISTED_ERRORS: usize = 20;
/// Ignored edges listed before the rest are only counted.
const LISTED_SKIPPED: usize = 100;

/// `reti graph metrics` (no database).
pub fn run(command: GraphCommand) -> anyhow::Result<()> {
    let GraphCommand::Metrics { file, format, seed, threads } = command else {
        bail!("`reti graph ties` reads the database")
    };
    let graph = read_edges(&file)?;
    let metrics = reti_graph::metrics_with(&graph, Options { seed, threads });
    let mut out = std::io::BufWriter::new(std::io::stdout());
    match format {
        GraphFormat::Json => write_json(&graph, &metrics, &mut out)?,
        GraphFormat::Csv => write_csv(&graph, &metrics, &mut out)?,
        GraphFormat::Gexf => out.write_all(export::gexf(&metrics_graph(&graph, &metrics, &file)).as_bytes())?,
        GraphFormat::Graphml => out.write_all(export::graphml(&metrics_graph(&graph, &metrics, &file)).as_bytes())?,
    }
    Ok(out.flush()?)
}

/// `reti graph ties`: the whole programme, as the command line reaches everything.
pub async fn ties(db: &reti_store::Db, command: GraphCommand) -> anyhow::Result<()> {
    let GraphCommand::Ties { programme, at, since, format } = command else {
        bail!("`reti graph metrics` reads a file")
    };
    let tr = translator();
    let found = match db.programme_details(&programme).await? {
        Some(found) => Some(found),
        None => match db.programme_by_code(&programme).await? {
            Some(p) => db.programme_details(&p.id).await?,
            None => None,
        },
    };
    let Some(details) = found else { bail!(tr.t_args("ties-cli-programme-unknown", &[("value", programme)])) };
    let (at, since) =
        reti_web::ties::period(at.as_deref().unwrap_or(""), since.as_deref().unwrap_or("")).map_err(|errors| {
            let messages: Vec<String> = errors.0.iter().map(|e| tr.t_args(e.code, &e.args)).collect();
            anyhow::anyhow!(messages.join("\n"))
        })?;
    let first = since - time::Duration::days(reti_domain::ties::MEETING_WINDOW_DAYS - 1);
    let data = db.ties_data(&details.id, first, at).await?;
    let now = reti_domain::ties::snapshot(&data, at);
    let change = reti_domain::ties::change(&reti_domain::ties::snapshot(&data, since), &now);
    let scope = reti_web::ties::TieScope::Whole;
    let title = format!("{} — {}", details.name, reti_domain::dates::format(at));
    let mut out = std::io::BufWriter::new(std::io::stdout());
    match format {
        GraphFormat::Json => {
            serde_json::to_writer(&mut out, &reti_web::api::ties::ties_dto(&now, &change, since, &scope))?;
            out.write_all(b"\n")?;
        }
        GraphFormat::Csv => {
            let table = reti_web::ties::tie_table(&now);
            let mut writer = ExportWriter::new(table.columns, Format::Csv, &mut out)?;
            for row in &table.rows {
                writer.row(row)?;
            }
            writer.finish()?;
        }
        GraphFormat::Gexf => out.write_all(export::gexf(&reti_web::ties::export_graph(&now, &title)).as_bytes())?,
        GraphFormat::Graphml => {
            out.write_all(export::graphml(&reti_web::ties::export_graph(&now, &title)).as_bytes())?
        }
    }
    Ok(out.flush()?)
}

/// The graph with every node's metrics as attributes, for GEXF and GraphML (no positions: the
/// layout is meant for maps of hundreds of nodes, not for any file).
fn metrics_graph(graph: &reti_graph::Graph, m: &reti_graph::Metrics, file: &Path) -> export::ExportGraph {
    use export::{AttributeDecl, AttributeType};
    let number = |value: Option<f64>| value.map_or_else(String::new, |x| x.to_string());
    let nodes = node_metrics(graph, m)
        .into_iter()
        .map(|row| export::ExportNode {
            id: row.id.to_owned(),
            label: row.id.to_owned(),
            attributes: [
                ("degree", row.degree.to_string()),
                ("betweenness", row.betweenness.to_string()),
                ("closeness", row.closeness.to_string()),
                ("eigenvector", number(row.eigenvector)),
                ("clustering", row.clustering.to_string()),
                ("constraint", number(row.constraint)),
                ("community", row.community.to_string()),
            ]
            .into_iter()
            .filter(|(_, value)| !value.is_empty())
            .map(|(key, value)| (key.to_owned(), value))
            .collect(),
            position: None,
        })
        .collect();
    let edges = graph
        .edges()
        .map(|(a, b)| export::ExportEdge {
            source: graph.id(a).to_owned(),
            target: graph.id(b).to_owned(),
            weight: None,
            attributes: Vec::new(),
        })
        .collect();
    let attribute = |key: &str, kind| AttributeDecl::new(key, key, kind);
    export::ExportGraph {
        title: file.display().to_string(),
        node_attributes: vec![
            attribute("degree", AttributeType::Integer),
            attribute("betweenness", AttributeType::Double),
            attribute("closeness", AttributeType::Double),
            attribute("eigenvector", AttributeType::Double),
            attribute("clustering", AttributeType::Double),
            attribute("constraint", AttributeType::Double),
            attribute("community", AttributeType::Integer),
        ],
        edge_attributes: Vec::new(),
        nodes,
        edges,
    }
}

/// Reads the edge list (`reti_domain::edge_list`): every bad line is reported (the first ones
/// listed) and refuses the file; ignored edges are reported on standard error.
fn read_edges(path: &Path) -> anyhow::Result<reti_graph::Graph> {
    let tr = translator();
    let file = path.display().to_string();
    let refused = |error: TableError| anyhow::anyhow!("{file}: {}", reti_web::error::table_message(&tr, &error));
    // The size first: a file past the bound is never read.
    let size = std::fs::metadata(path).with_context(|| format!("reading {file}"))?.len();
    if size > MAX_BYTES as u64 {
        return Err(refused(TableError::TooLarge { limit: MAX_BYTES as u64 }));
    }
    let bytes = std::fs::read(path).with_context(|| format!("reading {file}"))?;
    let at = |key: &str, line: u64, args: &[(&'static str, String)]| {
        let mut all = vec![("file", file.clone()), ("line", line.to_string())];
        all.extend_from_slice(args);
        tr.t_args(key, &all)
    };
    let list = match edge_list::read(&bytes) {
        Ok(list) => list,
        Err(EdgeListError::Empty) => bail!(tr.t_args("graph-file-empty", &[("file", file.clone())])),
        Err(EdgeListError::Unreadable { reason }) => bail!(at("graph-unreadable", 1, &[("reason", reason)])),
        Err(EdgeListError::Header { found }) => {
            bail!(tr.t_args("graph-header", &[("file", file.clone()), ("found", found)]))
        }
        Err(EdgeListError::TooManyRows { limit }) => return Err(refused(TableError::TooManyRows { limit })),
        Err(EdgeListError::NoEdges) => bail!(tr.t_args("graph-no-edges", &[("file", file.clone())])),
        Err(EdgeListError::Lines(errors)) => {
            for error in errors.iter().take(LISTED_ERRORS) {
                let message = match &error.problem {
                    LineProblem::Unreadable { reason } => {
                        at("graph-unreadable", error.line, &[("reason", reason.clone())])
                    }
                    LineProblem::Columns { count } => at("graph-columns", error.line, &[("count", count.to_string())]),
                    LineProblem::EmptyId { column } => {
                        at("graph-empty-id", error.line, &[("column", (*column).to_owned())])
                    }
                };
                eprintln!("{message}");
            }
            if errors.len() > LISTED_ERRORS {
                eprintln!("{}", tr.t_count("import-more-errors", (errors.len() - LISTED_ERRORS) as i64));
            }
            bail!(tr.t_count("graph-refused", errors.len() as i64));
        }
    };
    for skipped in list.skipped.iter().take(LISTED_SKIPPED) {
        let key = match skipped.reason {
            SkipReason::Duplicate => "graph-duplicate",
            SkipReason::SelfLoop => "graph-self-loop",
        };
        let ends = [("source", skipped.source.clone()), ("target", skipped.target.clone())];
        eprintln!("{}", at(key, skipped.line, &ends));
    }
    if list.skipped.len() > LISTED_SKIPPED {
        eprintln!("{}", tr.t_count("graph-more-skipped", (list.skipped.len() - LISTED_SKIPPED) as i64));
    }
    Ok(list.graph)
}

#[derive(Serialize)]
struct Report<'a> {
    nodes: usize,
    edges: usize,
    density: f64,
    components: usize,
    modularity: Option<f64>,
    communities: Vec<Vec<&'a str>>,
    node_metrics: Vec<NodeMetrics<'a>>,
}

#[derive(Serialize)]
struct NodeMetrics<'a> {
    id: &'a str,
    degree: usize,
    betweenness: f64,
    closeness: f64,
    eigenvector: Option<f64>,
    clustering: f64,
    constraint: Option<f64>,
    community: usize,
}

fn node_metrics<'a>(graph: &'a reti_graph::Graph, m: &reti_graph::Metrics) -> Vec<NodeMetrics<'a>> {
    (0..graph.node_count())
        .map(|v| NodeMetrics {
            id: graph.id(v),
            degree: m.degree[v],
            betweenness: m.betweenness[v],
            closeness: m.closeness[v],
            eigenvector: m.eigenvector.as_ref().map(|e| e[v]),
            clustering: m.clustering[v],
            constraint: m.constraint[v],
            community: m.community[v],
        })
        .collect()
}

fn write_json(graph: &reti_graph::Graph, m: &reti_graph::Metrics, out: &mut impl Write) -> anyhow::Result<()> {
    let report = Report {
        nodes: m.nodes,
        edges: m.edges,
        density: m.density,
        components: m.components,
        modularity: m.modularity,
        communities: m.communities.iter().map(|c| c.iter().map(|&v| graph.id(v)).collect()).collect(),
        node_metrics: node_metrics(graph, m),
    };
    serde_json::to_writer(&mut *out, &report)?;
    Ok(out.write_all(b"\n")?)
}

const COLUMNS: &[ExportColumn] = &[
    ExportColumn { field: "id", header: "id" },
    ExportColumn { field: "degree", header: "degree" },
    ExportColumn { field: "betweenness", header: "betweenness" },
    ExportColumn { field: "closeness", header: "closeness" },
    ExportColumn { field: "eigenvector", header: "eigenvector" },
    ExportColumn { field: "clustering", header: "clustering" },
    ExportColumn { field: "constraint", header: "constraint" },
    ExportColumn { field: "community", header: "community" },
];

/// One row per node through the house CSV writer (cells never start a formula); an undefined
/// value is an empty cell.
fn write_csv(graph: &reti_graph::Graph, m: &reti_graph::Metrics, out: &mut (impl Write + Send)) -> anyhow::Result<()> {
    let mut writer = ExportWriter::new(COLUMNS, Format::Csv, out)?;
    let number = |value: Option<f64>| value.map_or_else(String::new, |x| x.to_string());
    for row in node_metrics(graph, m) {
        writer.row(&[
            row.id.to_owned(),
            row.degree.to_string(),
            row.betweenness.to_string(),
            row.closeness.to_string(),
            number(row.eigenvector),
            row.clustering.to_string(),
            number(row.constraint),
            row.community.to_string(),
        ])?;
    }
    writer.finish()
}
