//! A deterministic force-directed layout (Fruchterman–Reingold), for drawing small graphs such
//! as actor maps (hundreds of nodes: each iteration compares every pair).

use crate::Graph;
use crate::community::random_points;

/// Iterations of the layout; the temperature falls linearly to 0 over them.
pub const LAYOUT_ITERATIONS: usize = 120;

/// Positions in the unit square, one per node: Fruchterman–Reingold from seeded random starting
/// points (repulsion k²/d between every pair, attraction d²/k along edges, k = √(1/n)), plus a
/// weak pull to the centre so that isolated nodes and small components stay in view; then scaled
/// to fill [0, 1]² keeping the aspect. The same graph and seed always give the same drawing.
pub fn layout(graph: &Graph, seed: u64) -> Vec<(f64, f64)> {
    let n = graph.node_count();
    let mut pos = random_points(seed, n);
    match n {
        0 => return pos,
        1 => return vec![(0.5, 0.5)],
        _ => {}
    }
    let k = (1.0 / n as f64).sqrt();
    let mut temperature = 0.1;
    let cool = temperature / (LAYOUT_ITERATIONS as f64 + 1.0);
    let mut shift = vec![(0.0f64, 0.0f64); n];
    for _ in 0..LAYOUT_ITERATIONS {
        for (i, s) in shift.iter_mut().enumerate() {
            let (xi, yi) = pos[i];
            let mut dx = 0.0;
            let mut dy = 0.0;
            for (j, &(xj, yj)) in pos.iter().enumerate() {
                if i == j {
                    continue;
                }
                let (ex, ey) = (xi - xj, yi - yj);
                let d2 = (ex * ex + ey * ey).max(1e-4);
                dx += ex * k * k / d2;
                dy += ey * k * k / d2;
            }
            for &j in graph.neighbors(i) {
                let (ex, ey) = (xi - pos[j as usize].0, yi - pos[j as usize].1);
                let d = (ex * ex + ey * ey).sqrt().max(1e-2);
                dx -= ex * d / k;
                dy -= ey * d / k;
            }
            dx -= (xi - 0.5) * 2.0 * k;
            dy -= (yi - 0.5) * 2.0 * k;
            *s = (dx, dy);
        }
        for (p, &(dx, dy)) in pos.iter_mut().zip(&shift) {
            let length = (dx * dx + dy * dy).sqrt().max(1e-2);
            p.0 += dx * temperature / length;
            p.1 += dy * temperature / length;
        }
        temperature -= cool;
    }
    let (min_x, max_x) = pos.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
    let (min_y, max_y) = pos.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));
    let span = (max_x - min_x).max(max_y - min_y).max(1e-12);
    let (pad_x, pad_y) = ((span - (max_x - min_x)) / 2.0, (span - (max_y - min_y)) / 2.0);
    pos.iter().map(|&(x, y)| ((x - min_x + pad_x) / span, (y - min_y + pad_y) / span)).collect()
}
