//! The graph itself: string ids interned to dense indices, and the adjacency in CSR arrays
//! (`offsets`, `targets`), each neighbour list sorted, every undirected edge stored both ways.

use std::collections::{HashMap, HashSet};

/// A simple undirected graph: no self-loops, no parallel edges. Nodes are numbered `0..n` in the
/// order their ids were first seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Graph {
    ids: Vec<String>,
    index: HashMap<String, u32>,
    /// `targets[offsets[v]..offsets[v + 1]]` are the neighbours of `v`, ascending.
    offsets: Vec<usize>,
    targets: Vec<u32>,
}

/// Why an edge given to [`Graph::from_edges`] or [`GraphBuilder::add_edge`] was not added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    /// The same pair (in either direction) came earlier.
    Duplicate,
    /// Both ends are the same node. The node is kept; the loop is not.
    SelfLoop,
}

/// An edge that was left out: its 0-based position in the input, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SkippedEdge {
    pub position: usize,
    pub reason: SkipReason,
}

/// What [`GraphBuilder::add_edge`] did with an edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeOutcome {
    Added,
    Skipped(SkipReason),
}

/// Builds a [`Graph`] node by node and edge by edge; nodes may be added alone (isolated nodes).
#[derive(Debug, Default)]
pub struct GraphBuilder {
    ids: Vec<String>,
    index: HashMap<String, u32>,
    edges: Vec<(u32, u32)>,
    seen: HashSet<u64>,
}

impl GraphBuilder {
    pub fn new() -> GraphBuilder {
        GraphBuilder::default()
    }

    /// The node's index, adding it if new.
    ///
    /// # Panics
    /// Past `u32::MAX` nodes (callers bound their input long before).
    pub fn add_node(&mut self, id: &str) -> usize {
        if let Some(&v) = self.index.get(id) {
            return v as usize;
        }
        let v = u32::try_from(self.ids.len()).expect("fewer than 2^32 nodes");
        self.ids.push(id.to_owned());
        self.index.insert(id.to_owned(), v);
        v as usize
    }

    /// Adds both ends as nodes, and the edge unless it is a self-loop or a duplicate.
    pub fn add_edge(&mut self, a: &str, b: &str) -> EdgeOutcome {
        let a = self.add_node(a) as u32;
        let b = self.add_node(b) as u32;
        if a == b {
            return EdgeOutcome::Skipped(SkipReason::SelfLoop);
        }
        let (low, high) = if a < b { (a, b) } else { (b, a) };
        if !self.seen.insert((u64::from(low) << 32) | u64::from(high)) {
            return EdgeOutcome::Skipped(SkipReason::Duplicate);
        }
        self.edges.push((low, high));
        EdgeOutcome::Added
    }

    pub fn build(self) -> Graph {
        let n = self.ids.len();
        let mut offsets = vec![0usize; n + 1];
        for &(a, b) in &self.edges {
            offsets[a as usize + 1] += 1;
            offsets[b as usize + 1] += 1;
        }
        for v in 0..n {
            offsets[v + 1] += offsets[v];
        }
        let mut fill = offsets.clone();
        let mut targets = vec![0u32; 2 * self.edges.len()];
        for &(a, b) in &self.edges {
            targets[fill[a as usize]] = b;
            fill[a as usize] += 1;
            targets[fill[b as usize]] = a;
            fill[b as usize] += 1;
        }
        for v in 0..n {
            targets[offsets[v]..offsets[v + 1]].sort_unstable();
        }
        Graph { ids: self.ids, index: self.index, offsets, targets }
    }
}

impl Graph {
    /// The graph of these edges (ids are any strings; each edge undirected), with the edges left
    /// out: self-loops (their node stays) and repeats of an earlier pair.
    pub fn from_edges<'a>(edges: impl IntoIterator<Item = (&'a str, &'a str)>) -> (Graph, Vec<SkippedEdge>) {
        let mut builder = GraphBuilder::new();
        let mut skipped = Vec::new();
        for (position, (a, b)) in edges.into_iter().enumerate() {
            if let EdgeOutcome::Skipped(reason) = builder.add_edge(a, b) {
                skipped.push(SkippedEdge { position, reason });
            }
        }
        (builder.build(), skipped)
    }

    pub fn node_count(&self) -> usize {
        self.ids.len()
    }

    pub fn edge_count(&self) -> usize {
        self.targets.len() / 2
    }

    /// The ids, by node index.
    pub fn ids(&self) -> &[String] {
        &self.ids
    }

    pub fn id(&self, node: usize) -> &str {
        &self.ids[node]
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.index.get(id).map(|&v| v as usize)
    }

    /// The neighbours of `node`, ascending.
    pub fn neighbors(&self, node: usize) -> &[u32] {
        &self.targets[self.offsets[node]..self.offsets[node + 1]]
    }

    pub fn degree(&self, node: usize) -> usize {
        self.offsets[node + 1] - self.offsets[node]
    }

    /// The edges, each once with the lower index first, ascending.
    pub fn edges(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        (0..self.node_count())
            .flat_map(move |v| self.neighbors(v).iter().map(move |&w| (v, w as usize)).filter(|&(v, w)| v < w))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_and_loops_are_reported_and_left_out() {
        let (g, skipped) = Graph::from_edges([("a", "b"), ("b", "a"), ("c", "c"), ("a", "b"), ("b", "c")]);
        assert_eq!(g.node_count(), 3);
        assert_eq!(g.edge_count(), 2);
        assert_eq!(g.neighbors(1), &[0, 2]);
        let reasons: Vec<_> = skipped.iter().map(|s| (s.position, s.reason)).collect();
        assert_eq!(reasons, [(1, SkipReason::Duplicate), (2, SkipReason::SelfLoop), (3, SkipReason::Duplicate)]);
        assert_eq!(g.edges().collect::<Vec<_>>(), [(0, 1), (1, 2)]);
        assert_eq!(g.index_of("c"), Some(2));
        assert_eq!(g.index_of("d"), None);
    }

    #[test]
    fn isolated_nodes_come_from_the_builder() {
        let mut builder = GraphBuilder::new();
        builder.add_node("alone");
        assert_eq!(builder.add_edge("a", "b"), EdgeOutcome::Added);
        let g = builder.build();
        assert_eq!(g.ids(), ["alone", "a", "b"]);
        assert_eq!(g.degree(0), 0);
    }
}
