//! Bridges and articulation points (Tarjan's low-link), from one depth-first search kept on an
//! explicit stack, so that a path of a million nodes needs no deep recursion.

use crate::Graph;

/// The bridges (edges whose removal adds a connected component, as networkx's `bridges`) and the
/// articulation points (nodes whose removal does, as networkx's `articulation_points`), each
/// ascending: bridges as `(low, high)` node pairs.
pub fn cut_edges_and_nodes(graph: &Graph) -> (Vec<(usize, usize)>, Vec<usize>) {
    const UNSEEN: u32 = u32::MAX;
    let n = graph.node_count();
    let mut order = vec![UNSEEN; n];
    let mut low = vec![0u32; n];
    let mut is_cut = vec![false; n];
    let mut bridges = Vec::new();
    // A frame: the node, its parent in the tree, and the next neighbour to look at.
    let mut stack: Vec<(usize, usize, usize)> = Vec::new();
    let mut counter = 0u32;
    for root in 0..n {
        if order[root] != UNSEEN {
            continue;
        }
        order[root] = counter;
        low[root] = counter;
        counter += 1;
        let mut root_children = 0usize;
        stack.push((root, usize::MAX, 0));
        while let Some(frame) = stack.last_mut() {
            let (v, parent, next) = *frame;
            if let Some(&w) = graph.neighbors(v).get(next) {
                frame.2 += 1;
                let w = w as usize;
                if order[w] == UNSEEN {
                    order[w] = counter;
                    low[w] = counter;
                    counter += 1;
                    if v == root {
                        root_children += 1;
                    }
                    stack.push((w, v, 0));
                } else if w != parent {
                    // A simple graph: the parent is reached by the tree edge only.
                    low[v] = low[v].min(order[w]);
                }
                continue;
            }
            stack.pop();
            if parent == usize::MAX {
                continue;
            }
            low[parent] = low[parent].min(low[v]);
            if low[v] > order[parent] {
                bridges.push((parent.min(v), parent.max(v)));
            }
            if parent != root && low[v] >= order[parent] {
                is_cut[parent] = true;
            }
        }
        if root_children > 1 {
            is_cut[root] = true;
        }
    }
    bridges.sort_unstable();
    (bridges, (0..n).filter(|&v| is_cut[v]).collect())
}

/// The bridges, ascending (see [`cut_edges_and_nodes`]).
pub fn bridges(graph: &Graph) -> Vec<(usize, usize)> {
    cut_edges_and_nodes(graph).0
}

/// The articulation points, ascending (see [`cut_edges_and_nodes`]).
pub fn articulation_points(graph: &Graph) -> Vec<usize> {
    cut_edges_and_nodes(graph).1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_path_needs_no_recursion() {
        let ids: Vec<String> = (0..200_000).map(|v| v.to_string()).collect();
        let (graph, _) = Graph::from_edges(ids.windows(2).map(|w| (w[0].as_str(), w[1].as_str())));
        let (bridges, cuts) = cut_edges_and_nodes(&graph);
        assert_eq!(bridges.len(), 199_999);
        assert_eq!(cuts.len(), 199_998);
    }

    #[test]
    fn two_triangles_joined_by_an_edge() {
        let (graph, _) =
            Graph::from_edges([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "e"), ("e", "f"), ("f", "d")]);
        assert_eq!(bridges(&graph), [(2, 3)]);
        assert_eq!(articulation_points(&graph), [2, 3]);
    }
}
