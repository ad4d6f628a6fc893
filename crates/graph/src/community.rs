//! Communities by the Louvain method, and the modularity of a partition.

use crate::Graph;

/// The modularity of a partition (`community[v]` is the community of node `v`), as networkx's
/// `modularity(G, communities)` with resolution 1: Σ_c L_c/m − (D_c/2m)², L_c the edges inside c,
/// D_c the sum of its degrees. `None` on a graph without edges, where it is undefined (networkx
/// divides by zero).
pub fn modularity(graph: &Graph, community: &[usize]) -> Option<f64> {
    let m = graph.edge_count();
    if m == 0 {
        return None;
    }
    let count = community.iter().max().map_or(0, |&c| c + 1);
    let mut inside = vec![0usize; count];
    let mut degrees = vec![0usize; count];
    for v in 0..graph.node_count() {
        degrees[community[v]] += graph.degree(v);
    }
    for (v, w) in graph.edges() {
        if community[v] == community[w] {
            inside[community[v]] += 1;
        }
    }
    let m = m as f64;
    Some(inside.iter().zip(&degrees).map(|(&l, &d)| l as f64 / m - (d as f64 / (2.0 * m)).powi(2)).sum())
}

/// A partition found by Louvain: the community of every node, numbered in the order of each
/// community's first node, and the members of each community ascending.
#[derive(Debug, Clone, PartialEq)]
pub struct Partition {
    pub community: Vec<usize>,
    pub communities: Vec<Vec<usize>>,
}

/// Communities by the Louvain method (Blondel et al. 2008), resolution 1: nodes move, one at a
/// time in an order shuffled by `seed`, to the neighbouring community that most increases
/// modularity, until none moves; then the communities become the nodes of a smaller graph and it
/// starts again, until a level moves nothing. The same graph and seed give the same partition.
/// Isolated nodes are communities of their own.
pub fn louvain(graph: &Graph, seed: u64) -> Partition {
    let n = graph.node_count();
    let mut level = Level::from_graph(graph);
    let mut assignment: Vec<usize> = (0..n).collect();
    let mut random = SplitMix64(seed);
    loop {
        let (moved, community) = level.local_moves(&mut random);
        if !moved {
            break;
        }
        for c in &mut assignment {
            *c = community[*c];
        }
        level = level.aggregate(&community);
    }
    renumber(&assignment)
}

/// Numbers communities by their first node, so the result does not depend on internal labels.
fn renumber(assignment: &[usize]) -> Partition {
    let mut label = vec![usize::MAX; assignment.len()];
    let mut community = Vec::with_capacity(assignment.len());
    let mut communities: Vec<Vec<usize>> = Vec::new();
    for (v, &c) in assignment.iter().enumerate() {
        if label[c] == usize::MAX {
            label[c] = communities.len();
            communities.push(Vec::new());
        }
        community.push(label[c]);
        communities[label[c]].push(v);
    }
    Partition { community, communities }
}

/// A weighted graph of one level: CSR adjacency without self-loops, plus each node's loop weight
/// (the edges inside the community it stands for) and its weighted degree.
struct Level {
    offsets: Vec<usize>,
    targets: Vec<usize>,
    weights: Vec<f64>,
    loops: Vec<f64>,
    degree: Vec<f64>,
    total: f64,
}

impl Level {
    fn from_graph(graph: &Graph) -> Level {
        let n = graph.node_count();
        let mut offsets = Vec::with_capacity(n + 1);
        let mut targets = Vec::with_capacity(2 * graph.edge_count());
        offsets.push(0);
        for v in 0..n {
            targets.extend(graph.neighbors(v).iter().map(|&w| w as usize));
            offsets.push(targets.len());
        }
        let weights = vec![1.0; targets.len()];
        let degree = (0..n).map(|v| graph.degree(v) as f64).collect();
        Level { offsets, targets, weights, loops: vec![0.0; n], degree, total: 2.0 * graph.edge_count() as f64 }
    }

    fn len(&self) -> usize {
        self.degree.len()
    }

    /// Moves nodes between communities until a full pass moves none. Returns whether any node
    /// moved, and each node's community numbered `0..k`.
    fn local_moves(&self, random: &mut SplitMix64) -> (bool, Vec<usize>) {
        let n = self.len();
        let mut community: Vec<usize> = (0..n).collect();
        if self.total == 0.0 {
            return (false, community);
        }
        let mut tot = self.degree.clone();
        let mut order: Vec<usize> = (0..n).collect();
        random.shuffle(&mut order);
        // Weight from the node in hand to each neighbouring community, and which are touched.
        let mut link = vec![0.0f64; n];
        let mut touched = Vec::new();
        let mut moved_any = false;
        loop {
            let mut moved = false;
            for &v in &order {
                let own = community[v];
                let k = self.degree[v];
                for i in self.offsets[v]..self.offsets[v + 1] {
                    let c = community[self.targets[i]];
                    if link[c] == 0.0 {
                        touched.push(c);
                    }
                    link[c] += self.weights[i];
                }
                tot[own] -= k;
                // Gain of joining c, up to a common positive factor: link(v, c) − tot(c)·k / 2m.
                let mut best = own;
                let mut best_gain = link[own] - tot[own] * k / self.total;
                for &c in &touched {
                    let gain = link[c] - tot[c] * k / self.total;
                    if gain > best_gain + 1e-12 {
                        best = c;
                        best_gain = gain;
                    }
                }
                for &c in &touched {
                    link[c] = 0.0;
                }
                touched.clear();
                tot[best] += k;
                if best != own {
                    community[v] = best;
                    moved = true;
                    moved_any = true;
                }
            }
            if !moved {
                break;
            }
        }
        let mut label = vec![usize::MAX; n];
        let mut next = 0;
        for c in &mut community {
            if label[*c] == usize::MAX {
                label[*c] = next;
                next += 1;
            }
            *c = label[*c];
        }
        (moved_any, community)
    }

    /// The graph whose nodes are the communities of this one.
    fn aggregate(&self, community: &[usize]) -> Level {
        let k = community.iter().max().map_or(0, |&c| c + 1);
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); k];
        for (v, &c) in community.iter().enumerate() {
            members[c].push(v);
        }
        let mut loops = vec![0.0; k];
        let mut degree = vec![0.0; k];
        let mut offsets = vec![0];
        let mut targets = Vec::new();
        let mut weights = Vec::new();
        let mut link = vec![0.0f64; k];
        let mut touched = Vec::new();
        for (c, nodes) in members.iter().enumerate() {
            for &v in nodes {
                loops[c] += self.loops[v];
                degree[c] += self.degree[v];
                for i in self.offsets[v]..self.offsets[v + 1] {
                    let d = community[self.targets[i]];
                    if d == c {
                        // Each inner edge is seen from both ends.
                        loops[c] += self.weights[i] / 2.0;
                    } else {
                        if link[d] == 0.0 {
                            touched.push(d);
                        }
                        link[d] += self.weights[i];
                    }
                }
            }
            touched.sort_unstable();
            for &d in &touched {
                targets.push(d);
                weights.push(link[d]);
                link[d] = 0.0;
            }
            touched.clear();
            offsets.push(targets.len());
        }
        Level { offsets, targets, weights, loops, degree, total: self.total }
    }
}

/// A small, fixed pseudo-random generator (SplitMix64), so that a seed gives the same order on
/// every platform and with every version of every dependency.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Fisher–Yates.
    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

pub(crate) fn random_points(seed: u64, n: usize) -> Vec<(f64, f64)> {
    let mut random = SplitMix64(seed);
    (0..n).map(|_| (random.unit(), random.unit())).collect()
}
