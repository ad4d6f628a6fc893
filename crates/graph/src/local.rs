//! Metrics of a node's neighbourhood: local clustering and Burt's constraint, from one pass over
//! the pairs of adjacent neighbours (nodes striped over the threads).

use crate::Graph;
use crate::parallel::{striped, threads_for};

/// Local clustering (as networkx's `clustering`: triangles over possible pairs, 0 below degree
/// 2) and Burt's constraint (as networkx's `constraint` on an unweighted graph, where the
/// proportional tie from `u` to a neighbour is `1/deg(u)`; `None` for a node without neighbours,
/// where networkx gives NaN).
pub fn clustering_constraint(graph: &Graph, threads: Option<usize>) -> (Vec<f64>, Vec<Option<f64>>) {
    let n = graph.node_count();
    let inverse_degree: Vec<f64> = (0..n).map(|v| 1.0 / graph.degree(v).max(1) as f64).collect();
    let threads = threads_for(n, 1024, threads);
    let parts = striped(threads, |worker, threads| {
        // `mark[w] == u + 1` while `w` is a neighbour of the node `u` in hand.
        let mut mark = vec![0usize; n];
        let mut out = Vec::with_capacity(n / threads + 1);
        for u in (worker..n).step_by(threads) {
            let neighbours = graph.neighbors(u);
            let degree = neighbours.len();
            if degree == 0 {
                out.push((u, 0.0, None));
                continue;
            }
            for &w in neighbours {
                mark[w as usize] = u + 1;
            }
            let mut closed = 0usize;
            let mut constraint = 0.0;
            for &v in neighbours {
                // Σ over the common neighbours w of u and v of p(w→v) = 1/deg(w).
                let mut indirect = 0.0;
                for &w in graph.neighbors(v as usize) {
                    if mark[w as usize] == u + 1 {
                        closed += 1;
                        indirect += inverse_degree[w as usize];
                    }
                }
                let local = (1.0 + indirect) * inverse_degree[u];
                constraint += local * local;
            }
            let clustering = if degree < 2 { 0.0 } else { closed as f64 / (degree * (degree - 1)) as f64 };
            out.push((u, clustering, Some(constraint)));
        }
        out
    });
    let mut clustering = vec![0.0; n];
    let mut constraint = vec![None; n];
    for (u, c, b) in parts.into_iter().flatten() {
        clustering[u] = c;
        constraint[u] = b;
    }
    (clustering, constraint)
}
