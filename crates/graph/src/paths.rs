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
        let mut state = Search::new(n);
        let mut betweenness = vec![0.0f64; n];
        let mut closeness = Vec::new();
        for source in (worker..n).step_by(threads) {
            let total = state.run(graph, source, &mut betweenness);
            closeness.push((source, state.order.len(), total));
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
    order: Vec<u32>,
}

const UNSEEN: u32 = u32::MAX;

impl Search {
    fn new(n: usize) -> Search {
        Search { dist: vec![UNSEEN; n], sigma: vec![0.0; n], share: vec![0.0; n], order: Vec::with_capacity(n) }
    }

    /// Adds the dependencies of `source` to `betweenness`; returns the sum of its distances.
    fn run(&mut self, graph: &Graph, source: usize, betweenness: &mut [f64]) -> u64 {
        for &v in &self.order {
            self.dist[v as usize] = UNSEEN;
            self.sigma[v as usize] = 0.0;
        }
        self.order.clear();
        self.dist[source] = 0;
        self.sigma[source] = 1.0;
        self.order.push(source as u32);
        let mut head = 0;
        let mut total = 0u64;
        while head < self.order.len() {
            let v = self.order[head] as usize;
            head += 1;
            let next = self.dist[v] + 1;
            let sigma_v = self.sigma[v];
            total += u64::from(next - 1);
            for &w in graph.neighbors(v) {
                let w = w as usize;
                if self.dist[w] == UNSEEN {
                    self.dist[w] = next;
                    self.order.push(w as u32);
                }
                if self.dist[w] == next {
                    self.sigma[w] += sigma_v;
                }
            }
        }
        // Backward, pulling from the successors: δ(v) = σ(v) · Σ (1 + δ(w)) / σ(w).
        for &v in self.order.iter().rev() {
            let v = v as usize;
            let next = self.dist[v] + 1;
            let mut pulled = 0.0;
            for &w in graph.neighbors(v) {
                if self.dist[w as usize] == next {
                    pulled += self.share[w as usize];
                }
            }
            let delta = self.sigma[v] * pulled;
            if v != source {
                betweenness[v] += delta;
            }
            self.share[v] = (1.0 + delta) / self.sigma[v];
        }
        total
    }
}
