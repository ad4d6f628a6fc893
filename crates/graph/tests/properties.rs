//! Properties that hold on every graph, and closed forms on paths, stars and cliques.

use proptest::prelude::*;
use reti_graph::{Graph, GraphBuilder, Metrics, layout, metrics, modularity};

const TOLERANCE: f64 = 1e-9;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= TOLERANCE
}

/// A graph on `n` nodes named `v0..`, from (possibly repeated, possibly looping) index pairs.
fn build(n: usize, pairs: &[(usize, usize)], name: impl Fn(usize) -> String) -> Graph {
    let mut builder = GraphBuilder::new();
    for v in 0..n {
        builder.add_node(&name(v));
    }
    for &(a, b) in pairs {
        builder.add_edge(&name(a % n), &name(b % n));
    }
    builder.build()
}

fn arbitrary_graph() -> impl Strategy<Value = (usize, Vec<(usize, usize)>)> {
    (1usize..24).prop_flat_map(|n| (Just(n), proptest::collection::vec((0..n, 0..n), 0..60)))
}

/// The metrics of the node named `id`.
fn of(graph: &Graph, m: &Metrics, id: &str) -> (usize, f64, f64, f64, Option<f64>, Option<f64>) {
    let v = graph.index_of(id).expect("node");
    (
        m.degree[v],
        m.betweenness[v],
        m.closeness[v],
        m.clustering[v],
        m.constraint[v],
        m.eigenvector.as_ref().map(|e| e[v]),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Renaming the nodes and shuffling the order they are added in changes no node's metrics.
    #[test]
    fn metrics_do_not_depend_on_names_or_order((n, pairs) in arbitrary_graph(), rotation in 0usize..24) {
        let original = build(n, &pairs, |v| format!("v{v}"));
        // The same graph, nodes added in a rotated order with other names.
        let renamed = |v: usize| format!("node «{}»", (v + rotation) % n);
        let mut builder = GraphBuilder::new();
        for v in 0..n {
            builder.add_node(&renamed((v + n - rotation % n) % n));
        }
        for &(a, b) in pairs.iter().rev() {
            builder.add_edge(&renamed(b % n), &renamed(a % n));
        }
        let relabelled = builder.build();
        let (m1, m2) = (metrics(&original), metrics(&relabelled));
        prop_assert_eq!(m1.edges, m2.edges);
        prop_assert_eq!(m1.components, m2.components);
        prop_assert!(close(m1.density, m2.density));
        for v in 0..n {
            let a = of(&original, &m1, &format!("v{v}"));
            let b = of(&relabelled, &m2, &renamed(v));
            prop_assert_eq!(a.0, b.0);
            prop_assert!(close(a.1, b.1) && close(a.2, b.2) && close(a.3, b.3), "{:?} {:?}", a, b);
            match (a.4, b.4) {
                (Some(x), Some(y)) => prop_assert!(close(x, y)),
                (x, y) => prop_assert_eq!(x, y),
            }
            match (a.5, b.5) {
                (Some(x), Some(y)) => prop_assert!((x - y).abs() <= 1e-6),
                (x, y) => prop_assert_eq!(x, y),
            }
        }
    }

    /// Whatever the graph: values in range, communities a partition whose modularity is reported,
    /// and a layout inside the unit square that the same seed repeats.
    #[test]
    fn metrics_are_in_range((n, pairs) in arbitrary_graph(), seed in any::<u64>()) {
        let graph = build(n, &pairs, |v| v.to_string());
        let m = metrics(&graph);
        for v in 0..n {
            prop_assert!((0.0..=1.0 + TOLERANCE).contains(&m.betweenness[v]));
            prop_assert!((0.0..=1.0 + TOLERANCE).contains(&m.closeness[v]));
            prop_assert!((0.0..=1.0).contains(&m.clustering[v]));
            prop_assert_eq!(m.constraint[v].is_none(), m.degree[v] == 0);
        }
        prop_assert_eq!(m.degree.iter().sum::<usize>(), 2 * m.edges);
        if let Some(e) = &m.eigenvector {
            prop_assert_eq!(m.components, 1);
            prop_assert!((e.iter().map(|x| x * x).sum::<f64>() - 1.0).abs() < 1e-9);
            prop_assert!(e.iter().all(|&x| x > -1e-12));
        }
        prop_assert_eq!(m.modularity, modularity(&graph, &m.community));
        if let Some(q) = m.modularity {
            prop_assert!((-0.5..1.0).contains(&q));
            // Louvain never ends below the partition where every node stands alone.
            let singletons: Vec<usize> = (0..n).collect();
            prop_assert!(q >= modularity(&graph, &singletons).unwrap_or(0.0) - TOLERANCE);
        }
        let positions = layout(&graph, seed);
        prop_assert_eq!(positions.len(), n);
        prop_assert!(positions.iter().all(|&(x, y)| (0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y)));
        prop_assert_eq!(positions, layout(&graph, seed));
    }

    #[test]
    fn paths_have_closed_forms(n in 3usize..40) {
        let pairs: Vec<_> = (1..n).map(|v| (v - 1, v)).collect();
        let graph = build(n, &pairs, |v| format!("p{v}"));
        let m = metrics(&graph);
        let pairs_between = ((n - 1) * (n - 2)) as f64;
        for i in 0..n {
            // Node i lies on the paths between its i nodes on one side and n-1-i on the other.
            prop_assert!(close(m.betweenness[i], 2.0 * (i * (n - 1 - i)) as f64 / pairs_between));
            let distances = (i * (i + 1) / 2 + (n - 1 - i) * (n - i) / 2) as f64;
            prop_assert!(close(m.closeness[i], (n - 1) as f64 / distances));
            prop_assert!(close(m.clustering[i], 0.0));
        }
        prop_assert!(close(m.density, 2.0 / n as f64));
        // Ends: one tie, to a node of degree 2 that leads nowhere back: constraint 1.
        prop_assert!(close(m.constraint[0].expect("defined"), 1.0));
        prop_assert!(close(m.constraint[1].expect("defined"), 0.5));
        // Eigenvector of the path: sin(kπ/(n+1)), normalised.
        let theta = std::f64::consts::PI / (n + 1) as f64;
        let norm = ((n + 1) as f64 / 2.0).sqrt();
        let e = m.eigenvector.expect("connected");
        for (i, x) in e.iter().enumerate() {
            prop_assert!((x - ((i + 1) as f64 * theta).sin() / norm).abs() < 1e-6, "{i}: {x}");
        }
    }

    #[test]
    fn stars_have_closed_forms(leaves in 2usize..40) {
        let n = leaves + 1;
        let pairs: Vec<_> = (1..n).map(|v| (0, v)).collect();
        let graph = build(n, &pairs, |v| format!("s{v}"));
        let m = metrics(&graph);
        prop_assert!(close(m.betweenness[0], 1.0));
        prop_assert!(close(m.closeness[0], 1.0));
        prop_assert!(close(m.constraint[0].expect("defined"), 1.0 / leaves as f64));
        let e = m.eigenvector.expect("connected");
        prop_assert!((e[0] - 0.5f64.sqrt()).abs() < 1e-6);
        for (v, x) in e.iter().enumerate().skip(1) {
            prop_assert!(close(m.betweenness[v], 0.0));
            prop_assert!(close(m.closeness[v], (n - 1) as f64 / (1 + 2 * (n - 2)) as f64));
            prop_assert!(close(m.constraint[v].expect("defined"), 1.0));
            prop_assert!((x - (0.5 / leaves as f64).sqrt()).abs() < 1e-6);
        }
    }

    #[test]
    fn cliques_have_closed_forms(n in 2usize..25) {
        let pairs: Vec<_> = (0..n).flat_map(|a| (a + 1..n).map(move |b| (a, b))).collect();
        let graph = build(n, &pairs, |v| format!("k{v}"));
        let m = metrics(&graph);
        let d = (n - 1) as f64;
        let local = (1.0 + (n - 2) as f64 / d) / d;
        let e = m.eigenvector.as_ref().expect("connected");
        for (v, x) in e.iter().enumerate() {
            prop_assert!(close(m.betweenness[v], 0.0));
            prop_assert!(close(m.closeness[v], 1.0));
            let clustering = if n > 2 { 1.0 } else { 0.0 };
            prop_assert!(close(m.clustering[v], clustering));
            prop_assert!(close(m.constraint[v].expect("defined"), d * local * local));
            prop_assert!((x - 1.0 / (n as f64).sqrt()).abs() < 1e-6);
        }
        prop_assert!(close(m.density, 1.0));
        prop_assert_eq!(m.communities.len(), 1);
        prop_assert!(close(m.modularity.expect("edges"), 0.0));
    }
}

#[test]
fn one_node_and_no_edges() {
    let (graph, _) = Graph::from_edges([("solo", "solo")]);
    let m = metrics(&graph);
    assert_eq!((m.nodes, m.edges, m.components, m.density), (1, 0, 1, 0.0));
    assert_eq!((m.betweenness[0], m.closeness[0], m.clustering[0], m.constraint[0]), (0.0, 0.0, 0.0, None));
    assert_eq!(m.eigenvector, Some(vec![1.0]));
    assert_eq!((m.modularity, m.communities), (None, vec![vec![0]]));
    assert_eq!(layout(&graph, 1), [(0.5, 0.5)]);
}

#[test]
fn two_cliques_joined_by_a_bridge_are_two_communities() {
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for base in [0, 5] {
        pairs.extend((0..5).flat_map(|a| (a + 1..5).map(move |b| (base + a, base + b))));
    }
    pairs.push((4, 5));
    let graph = build(10, &pairs, |v| format!("c{v}"));
    let m = metrics(&graph);
    assert_eq!(m.communities, [vec![0, 1, 2, 3, 4], vec![5, 6, 7, 8, 9]]);
    assert_eq!(m.community, [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    // The bridge's ends carry every path between the cliques.
    assert!(m.betweenness[4] > m.betweenness[0]);
}
