//! Network analysis on a compact graph (CSR arrays): metrics, communities and a deterministic
//! layout. No I/O.
//!
//! ```
//! let (graph, skipped) = reti_graph::Graph::from_edges([("a", "b"), ("b", "c"), ("b", "a")]);
//! assert_eq!(skipped.len(), 1); // the repeated pair
//! let metrics = reti_graph::metrics(&graph);
//! assert_eq!(metrics.degree, [1, 2, 1]);
//! assert_eq!(metrics.betweenness[1], 1.0);
//! let positions = reti_graph::layout(&graph, 7);
//! assert_eq!(positions.len(), 3);
//! ```
//!
//! Every metric matches networkx 3 (see `tests/fixtures/make_fixtures.py`); where networkx gives
//! NaN or an arbitrary answer, the result is `None` (see the decision note 0025).

mod community;
mod csr;
mod cuts;
pub mod export;
mod layout;
mod local;
mod parallel;
mod paths;
mod spectral;

pub use community::{Partition, louvain, modularity};
pub use csr::{EdgeOutcome, Graph, GraphBuilder, SkipReason, SkippedEdge};
pub use cuts::{articulation_points, bridges, cut_edges_and_nodes};
pub use layout::{LAYOUT_ITERATIONS, layout};
pub use local::clustering_constraint;
pub use paths::betweenness_closeness;
pub use spectral::{components, eigenvector};

/// The seed of [`metrics`]'s Louvain communities.
pub const DEFAULT_SEED: u64 = 0x5EED;

/// Every metric of a graph. Per-node vectors are indexed by node (see [`Graph::ids`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Metrics {
    pub nodes: usize,
    pub edges: usize,
    /// 2m / n(n−1); 0 below two nodes (as networkx).
    pub density: f64,
    /// The number of connected components.
    pub components: usize,
    /// The component of each node, numbered by first node.
    pub component: Vec<usize>,
    /// Modularity of [`Metrics::communities`]; `None` without edges.
    pub modularity: Option<f64>,
    /// Louvain communities, each ascending, numbered by first node.
    pub communities: Vec<Vec<usize>>,
    /// Each node's index in `communities`.
    pub community: Vec<usize>,
    pub degree: Vec<usize>,
    pub betweenness: Vec<f64>,
    pub closeness: Vec<f64>,
    /// `None` on a disconnected graph (see [`eigenvector`]).
    pub eigenvector: Option<Vec<f64>>,
    pub clustering: Vec<f64>,
    /// `None` for isolated nodes.
    pub constraint: Vec<Option<f64>>,
}

/// How [`metrics_with`] runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Seed of the Louvain node order.
    pub seed: u64,
    /// Threads for the per-source and per-node work; the machine's parallelism when `None`.
    pub threads: Option<usize>,
}

impl Default for Options {
    fn default() -> Options {
        Options { seed: DEFAULT_SEED, threads: None }
    }
}

/// Every metric, with [`DEFAULT_SEED`] and all the machine's cores.
pub fn metrics(graph: &Graph) -> Metrics {
    metrics_with(graph, Options::default())
}

pub fn metrics_with(graph: &Graph, options: Options) -> Metrics {
    let n = graph.node_count();
    let m = graph.edge_count();
    let (betweenness, closeness) = betweenness_closeness(graph, options.threads);
    let (clustering, constraint) = clustering_constraint(graph, options.threads);
    let (components, component) = components(graph);
    let eigenvector = eigenvector(graph, components);
    let Partition { community, communities } = louvain(graph, options.seed);
    Metrics {
        nodes: n,
        edges: m,
        density: if n > 1 { 2.0 * m as f64 / (n as f64 * (n - 1) as f64) } else { 0.0 },
        components,
        component,
        modularity: modularity(graph, &community),
        communities,
        community,
        degree: (0..n).map(|v| graph.degree(v)).collect(),
        betweenness,
        closeness,
        eigenvector,
        clustering,
        constraint,
    }
}
