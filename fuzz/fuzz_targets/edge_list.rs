//! The edge list of `reti graph metrics` (`reti_domain::edge_list`): any bytes are read without
//! a panic; every bad or ignored line is named (after the header, in file order); a graph read is
//! simple (no loop, no repeated edge, trimmed non-empty ids); and on a small graph every metric
//! is computed without a panic, within its range.

#![no_main]

use libfuzzer_sys::fuzz_target;
use reti_domain::edge_list::{EdgeListError, read};
use reti_graph::{Options, metrics_with};

fuzz_target!(|data: &[u8]| {
    let list = match read(data) {
        Ok(list) => list,
        Err(EdgeListError::Lines(errors)) => {
            assert!(!errors.is_empty());
            assert!(errors.windows(2).all(|w| w[0].line <= w[1].line), "{errors:?}");
            assert!(errors[0].line >= 2, "the header is line 1: {errors:?}");
            return;
        }
        Err(_) => return,
    };
    assert!(list.skipped.windows(2).all(|w| w[0].line < w[1].line), "{:?}", list.skipped);
    assert!(list.skipped.first().is_none_or(|s| s.line >= 2), "{:?}", list.skipped);
    let graph = &list.graph;
    for id in graph.ids() {
        assert!(!id.is_empty() && id == id.trim(), "{id:?}");
    }
    let mut seen = std::collections::HashSet::new();
    for (a, b) in graph.edges() {
        assert_ne!(a, b, "a loop");
        assert!(seen.insert((a.min(b), a.max(b))), "a repeated edge");
    }
    assert_eq!(seen.len(), graph.edge_count());
    assert!(graph.node_count() <= 2 * graph.edge_count() + list.skipped.len());
    if graph.node_count() > 40 {
        return;
    }
    let m = metrics_with(graph, Options { threads: Some(1), ..Options::default() });
    assert_eq!(m.degree.iter().sum::<usize>(), 2 * m.edges);
    assert!((0.0..=1.0).contains(&m.density), "{}", m.density);
    let unit = |values: &[f64]| values.iter().all(|v| (-1e-9..=1.0 + 1e-9).contains(v));
    assert!(unit(&m.betweenness) && unit(&m.closeness) && unit(&m.clustering), "{m:?}");
    assert!(m.modularity.is_none_or(|q| (-0.5 - 1e-9..=1.0).contains(&q)), "{m:?}");
    assert_eq!(m.community.len(), m.nodes);
    assert_eq!(m.communities.iter().map(Vec::len).sum::<usize>(), m.nodes);
});
