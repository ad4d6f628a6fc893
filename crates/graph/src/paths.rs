//! Shortest-path metrics: betweenness (Brandes) and closeness, from one breadth-first search per
//! source, the sources striped over the threads.

use crate::Graph;
use crate::parallel::{striped, threads_for};

/// Betweenness and closeness of every node, normalised as networkx's
/// `betweenness_centrality(G, normalized=True)` and `closeness_centrality(G)` (Wasserman–Faust
/// scaling: a node reaching r nodes, itself included, at total distance D has
/// `(r-1)/D · (r-1)/(n-1)`; 0 when it reaches none).
pub fn betweenness_closeness(graph: &Graph, threads: Option<usize>) -> (Vec<f64>, Vec<f64>) {
    let n = graph.node_count();
    let threads = threads_for(n, 64, threads);
    let parts = striped(threads, |worker, threads| {
        let mut state = Search::new(graph);
        let mut betweenness = vec![0.0f64; n];
        let mut closeness = Vec::new();
        for source in (worker..n).step_by(threads) {
            let total = state.run(graph, source, &mut betweenness);
            closeness.push((source, state.reached, total));
        }
        (betweenness, closeness)
    });
    let mut betweenness = vec![0.0f64; n];
    let mut closeness = vec![0.0f64; n];
    for (part, sums) in parts {
        for (b, p) in betweenness.iter_mut().zip(part) {
            *b += p;
        }
        for (source, reached, total) in sums {
            if total > 0 && n > 1 {
                let r = (reached - 1) as f64;
                closeness[source] = r / total as f64 * (r / (n - 1) as f64);
            }
        }
    }
    // Each unordered pair was counted from both ends; networkx divides that sum by (n-1)(n-2).
    if n > 2 {
        let scale = 1.0 / ((n - 1) as f64 * (n - 2) as f64);
        for b in &mut betweenness {
            *b *= scale;
        }
    } else {
        betweenness.fill(0.0);
    }
    (betweenness, closeness)
}

/// The arrays of one breadth-first search, reused from source to source (only the nodes reached
/// are reset).
struct Search {
    dist: Vec<u32>,
    sigma: Vec<f64>,
    /// After the backward pass, `(1 + δ(w)) / σ(w)`: what a successor passes to its predecessors.
    share: Vec<f64>,
    /// The nodes in the order reached; `order[..reached]` after a search.
    order: Vec<u32>,
    reached: usize,
    /// The successors of `order[i]` on shortest paths are `successors[first[i]..first[i + 1]]`,
    /// written by the forward pass so that the backward pass reads only them, in sequence.
    successors: Vec<u32>,
    first: Vec<usize>,
}

const UNSEEN: u32 = u32::MAX;

impl Search {
    fn new(graph: &Graph) -> Search {
        let n = graph.node_count();
        Search {
            dist: vec![UNSEEN; n],
            sigma: vec![0.0; n],
            share: vec![0.0; n],
            order: vec![0; n + 1],
            reached: 0,
            successors: vec![0; 2 * graph.edge_count() + 1],
            first: vec![0; n + 1],
        }
    }

    /// Adds the dependencies of `source` to `betweenness`; returns the sum of its distances.
    ///
    /// The inner loops are branch-free: whether a neighbour is new, or a successor, is as likely
    /// as not, so those writes are always made and kept or not by advancing an end (`order` and
    /// `successors` have one spare slot for this).
    fn run(&mut self, graph: &Graph, source: usize, betweenness: &mut [f64]) -> u64 {
        let Search { dist, sigma, share, order, successors, first, .. } = self;
        for &v in &order[..self.reached] {
            dist[v as usize] = UNSEEN;
            sigma[v as usize] = 0.0;
        }
        dist[source] = 0;
        sigma[source] = 1.0;
        order[0] = source as u32;
        let mut len = 1;
        let mut head = 0;
        let mut end = 0;
        let mut total = 0u64;
        while head < len {
            let v = order[head] as usize;
            first[head] = end;
            head += 1;
            let next = dist[v] + 1;
            let sigma_v = sigma[v];
            total += u64::from(next - 1);
            for &w in graph.neighbors(v) {
                let seen = dist[w as usize];
                let new = seen == UNSEEN;
                order[len] = w;
                len += usize::from(new);
                let d = if new { next } else { seen };
                dist[w as usize] = d;
                let successor = d == next;
                sigma[w as usize] += sigma_v * f64::from(u8::from(successor));
                successors[end] = w;
                end += usize::from(successor);
            }
        }
        first[len] = end;
        self.reached = len;
        // Backward, pulling from the successors: δ(v) = σ(v) · Σ (1 + δ(w)) / σ(w).
        for i in (0..len).rev() {
            let v = order[i] as usize;
            let pulled: f64 = successors[first[i]..first[i + 1]].iter().map(|&w| share[w as usize]).sum();
            let delta = sigma[v] * pulled;
            if v != source {
                betweenness[v] += delta;
            }
            share[v] = (1.0 + delta) / sigma[v];
        }
        total
    }
}
