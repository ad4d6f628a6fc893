//! Every metric against networkx, on the graphs written by `fixtures/make_fixtures.py`.

use reti_graph::{Graph, GraphBuilder, Metrics, Options, metrics_with, modularity};
use serde_json::Value;
use std::path::Path;

const TOLERANCE: f64 = 1e-9;
const EIGENVECTOR_TOLERANCE: f64 = 1e-6;

struct Fixture {
    name: String,
    data: Value,
    graph: Graph,
}

fn fixtures() -> Vec<Fixture> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures directory")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 10, "fixtures missing: run make_fixtures.py");
    paths
        .into_iter()
        .map(|path| {
            let data: Value = serde_json::from_slice(&std::fs::read(&path).expect("fixture")).expect("JSON");
            let mut builder = GraphBuilder::new();
            for id in data["nodes"].as_array().expect("nodes") {
                builder.add_node(id.as_str().expect("id"));
            }
            for edge in data["edges"].as_array().expect("edges") {
                builder.add_edge(edge[0].as_str().expect("id"), edge[1].as_str().expect("id"));
            }
            Fixture { name: data["name"].as_str().expect("name").to_owned(), graph: builder.build(), data }
        })
        .collect()
}

fn numbers(value: &Value) -> Vec<Option<f64>> {
    value.as_array().expect("array").iter().map(Value::as_f64).collect()
}

fn assert_close(fixture: &str, metric: &str, ours: &[Option<f64>], theirs: &[Option<f64>], tolerance: f64) {
    assert_eq!(ours.len(), theirs.len(), "{fixture} {metric}: length");
    for (node, (a, b)) in ours.iter().zip(theirs).enumerate() {
        match (a, b) {
            (Some(a), Some(b)) => {
                assert!((a - b).abs() <= tolerance, "{fixture} {metric} node {node}: ours {a}, networkx {b}")
            }
            (None, None) => {}
            _ => panic!("{fixture} {metric} node {node}: ours {a:?}, networkx {b:?}"),
        }
    }
}

fn all(values: &[f64]) -> Vec<Option<f64>> {
    values.iter().copied().map(Some).collect()
}

/// The partition written as lists of ids, as each node's community.
fn partition(graph: &Graph, lists: &Value) -> Vec<usize> {
    let mut community = vec![usize::MAX; graph.node_count()];
    for (c, members) in lists.as_array().expect("partition").iter().enumerate() {
        for id in members.as_array().expect("members") {
            community[graph.index_of(id.as_str().expect("id")).expect("known id")] = c;
        }
    }
    assert!(community.iter().all(|&c| c != usize::MAX), "partition covers every node");
    community
}

#[test]
fn every_metric_matches_networkx() {
    for threads in [1, 2, 3] {
        for Fixture { name, data, graph } in fixtures() {
            let m: Metrics = metrics_with(&graph, Options { threads: Some(threads), ..Options::default() });
            assert_eq!(m.nodes, data["nodes"].as_array().expect("nodes").len(), "{name}");
            assert_eq!(m.edges, data["edges"].as_array().expect("edges").len(), "{name}");
            assert!((m.density - data["density"].as_f64().expect("density")).abs() <= TOLERANCE, "{name} density");
            assert_eq!(m.components as u64, data["components"].as_u64().expect("components"), "{name}");
            let degree: Vec<u64> = m.degree.iter().map(|&d| d as u64).collect();
            let expected: Vec<u64> =
                data["degree"].as_array().expect("degree").iter().filter_map(Value::as_u64).collect();
            assert_eq!(degree, expected, "{name} degree");
            assert_close(&name, "betweenness", &all(&m.betweenness), &numbers(&data["betweenness"]), TOLERANCE);
            assert_close(&name, "closeness", &all(&m.closeness), &numbers(&data["closeness"]), TOLERANCE);
            assert_close(&name, "clustering", &all(&m.clustering), &numbers(&data["clustering"]), TOLERANCE);
            assert_close(&name, "constraint", &m.constraint, &numbers(&data["constraint"]), TOLERANCE);
            match (&m.eigenvector, data["eigenvector"].is_null()) {
                (None, true) => {}
                (Some(ours), false) => assert_close(
                    &name,
                    "eigenvector",
                    &all(ours),
                    &numbers(&data["eigenvector"]),
                    EIGENVECTOR_TOLERANCE,
                ),
                (ours, _) => panic!("{name} eigenvector: ours {ours:?}, networkx {}", data["eigenvector"]),
            }
        }
    }
}

#[test]
fn modularity_matches_networkx_and_our_communities_are_as_good() {
    for Fixture { name, data, graph } in fixtures() {
        for (lists, expected) in [("louvain", "louvain_modularity"), ("other_partition", "other_modularity")] {
            if data[lists].as_array().expect("partition").is_empty() {
                continue;
            }
            let ours = modularity(&graph, &partition(&graph, &data[lists]));
            match (ours, data[expected].as_f64()) {
                (Some(a), Some(b)) => assert!((a - b).abs() <= TOLERANCE, "{name} {lists}: ours {a}, networkx {b}"),
                (None, None) => {}
                (a, b) => panic!("{name} {lists}: ours {a:?}, networkx {b:?}"),
            }
        }
        let m = reti_graph::metrics(&graph);
        assert_eq!(m.modularity, modularity(&graph, &m.community), "{name}");
        if let (Some(ours), Some(theirs)) = (m.modularity, data["louvain_modularity"].as_f64()) {
            // Louvain is a heuristic: ours and networkx's (another random order) may differ a
            // little, either way.
            assert!(ours >= theirs - 0.02, "{name}: our communities {ours}, networkx's {theirs}");
        }
        let members: usize = m.communities.iter().map(Vec::len).sum();
        assert_eq!(members, graph.node_count(), "{name}: communities partition the nodes");
        for (c, nodes) in m.communities.iter().enumerate() {
            assert!(nodes.iter().all(|&v| m.community[v] == c), "{name}: community {c}");
        }
    }
}

#[test]
fn bridges_and_articulation_points_match_networkx() {
    for Fixture { name, data, graph } in fixtures() {
        let (bridges, cuts) = reti_graph::cut_edges_and_nodes(&graph);
        let mut ours: Vec<Vec<&str>> = bridges
            .iter()
            .map(|&(a, b)| {
                let mut pair = vec![graph.id(a), graph.id(b)];
                pair.sort_unstable();
                pair
            })
            .collect();
        ours.sort_unstable();
        let theirs: Vec<Vec<&str>> = data["bridges"]
            .as_array()
            .expect("bridges: run make_fixtures.py")
            .iter()
            .map(|pair| pair.as_array().expect("pair").iter().map(|id| id.as_str().expect("id")).collect())
            .collect();
        assert_eq!(ours, theirs, "{name} bridges");
        let mut ours: Vec<&str> = cuts.iter().map(|&v| graph.id(v)).collect();
        ours.sort_unstable();
        let theirs: Vec<&str> = data["articulation_points"]
            .as_array()
            .expect("articulation points")
            .iter()
            .map(|id| id.as_str().expect("id"))
            .collect();
        assert_eq!(ours, theirs, "{name} articulation points");
    }
}
