//! Connected components and eigenvector centrality.

use crate::Graph;

/// The component of every node, numbered from 0 in the order of each component's first node.
pub fn components(graph: &Graph) -> (usize, Vec<usize>) {
    let n = graph.node_count();
    let mut component = vec![usize::MAX; n];
    let mut count = 0;
    let mut stack = Vec::new();
    for start in 0..n {
        if component[start] != usize::MAX {
            continue;
        }
        component[start] = count;
        stack.push(start);
        while let Some(v) = stack.pop() {
            for &w in graph.neighbors(v) {
                if component[w as usize] == usize::MAX {
                    component[w as usize] = count;
                    stack.push(w as usize);
                }
            }
        }
        count += 1;
    }
    (count, component)
}

/// Iterations stop when no entry moves by more than this (the error left is about this over the
/// relative spectral gap).
const TOLERANCE: f64 = 1e-13;
/// Bound on the work of the power iteration, in neighbour visits.
const WORK: usize = 1_000_000_000;

/// Eigenvector centrality as networkx's `eigenvector_centrality_numpy`: the eigenvector of the
/// adjacency matrix's largest eigenvalue, non-negative, unit Euclidean norm; 1 for a lone node.
///
/// `None` for a disconnected (or empty) graph: networkx refuses those (`AmbiguousSolution`,
/// networkx issue 6888) because when components tie any mix of their vectors is an eigenvector,
/// and otherwise every node outside the dominant component gets 0. Also `None`, honestly, when
/// the iteration has not converged within its bound of work.
pub fn eigenvector(graph: &Graph, components: usize) -> Option<Vec<f64>> {
    let n = graph.node_count();
    if n == 0 || components != 1 {
        return None;
    }
    if n == 1 {
        return Some(vec![1.0]);
    }
    // Power iteration on A + I: the shift makes the largest eigenvalue dominant in absolute value
    // also on bipartite graphs, where −λ is an eigenvalue too.
    let visits = n + 2 * graph.edge_count();
    let mut x = vec![1.0 / (n as f64).sqrt(); n];
    let mut y = vec![0.0; n];
    for _ in 0..(WORK / visits).max(1000) {
        for (v, next) in y.iter_mut().enumerate() {
            *next = x[v] + graph.neighbors(v).iter().map(|&w| x[w as usize]).sum::<f64>();
        }
        let norm = y.iter().map(|value| value * value).sum::<f64>().sqrt();
        let mut moved = 0.0f64;
        for (old, &new) in x.iter_mut().zip(&y) {
            let new = new / norm;
            moved = moved.max((new - *old).abs());
            *old = new;
        }
        if moved <= TOLERANCE {
            return Some(x);
        }
    }
    None
}
