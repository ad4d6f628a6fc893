//! Bridges and articulation points against their definition: remove the edge (the node) and
//! count the connected components again.

use proptest::prelude::*;
use reti_graph::{Graph, GraphBuilder, components, cut_edges_and_nodes};

/// The graph on nodes `0..n` with these edges, less the edge `without_edge` and every edge of the
/// node `without_node`.
fn build(
    n: usize,
    edges: &[(usize, usize)],
    without_edge: Option<(usize, usize)>,
    without_node: Option<usize>,
) -> Graph {
    let mut builder = GraphBuilder::new();
    for v in 0..n {
        builder.add_node(&v.to_string());
    }
    for &(a, b) in edges {
        let skip_edge = without_edge.is_some_and(|(x, y)| (x, y) == (a, b) || (x, y) == (b, a));
        let skip_node = without_node.is_some_and(|v| v == a || v == b);
        if !skip_edge && !skip_node {
            builder.add_edge(&a.to_string(), &b.to_string());
        }
    }
    builder.build()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn cuts_are_what_removal_disconnects(
        (n, pairs) in (1usize..18).prop_flat_map(|n| (Just(n), proptest::collection::vec((0..n, 0..n), 0..40)))
    ) {
        let graph = build(n, &pairs, None, None);
        let edges: Vec<(usize, usize)> = graph.edges().collect();
        let (base, _) = components(&graph);
        let (bridges, cuts) = cut_edges_and_nodes(&graph);
        let expected_bridges: Vec<(usize, usize)> =
            edges.iter().copied().filter(|&e| components(&build(n, &edges, Some(e), None)).0 > base).collect();
        prop_assert_eq!(bridges, expected_bridges);
        // Without the node, the rest has more components than the graph had less the node's own
        // (an isolated node removed takes its component with it).
        let expected_cuts: Vec<usize> = (0..n)
            .filter(|&v| {
                let own = usize::from(graph.degree(v) == 0);
                components(&build(n, &edges, None, Some(v))).0 - 1 > base - own
            })
            .collect();
        prop_assert_eq!(cuts, expected_cuts);
    }
}
