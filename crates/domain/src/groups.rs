//! Small groups of networks (piccoli gruppi, SPEC §3): a partition of a programme's networks into
//! groups whose sizes lie within bounds, minimising the sum over every pair inside a group of
//!
//! `d(i, j) = (1 − Jaccard(action lines of i, action lines of j)) + |maturity_i − maturity_j| / 100`
//!
//! Two networks with no action line at all have nothing that tells them apart by line: the
//! Jaccard index of two empty sets is taken as 1, so the line part of their distance is 0. A
//! network without lines and one with lines are as far apart as can be (Jaccard 0).
//!
//! The optimiser (method in docs/groups.md): for each number of groups worth trying, a greedy
//! construction from far-apart seeds, then a local search over moves and swaps that keep every
//! group within bounds, perturbed and searched again (iterated local search), from several
//! restarts with fixed seeds, run on two threads. The result depends only on the input.

use crate::{FieldError, Maturity};
use std::collections::HashMap;
use std::ops::RangeInclusive;

/// The most networks one proposal takes: the distance matrix holds n² numbers (32 MB here).
pub const MAX_NETWORKS: usize = 2_000;
/// The most action lines one network may list, and the longest id or line name, in characters.
pub const MAX_LINES: usize = 64;
pub const MAX_TEXT: usize = 200;

/// One network as the optimiser sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub id: String,
    pub action_lines: Vec<String>,
    /// 0–100: the latest reading-tool index, or the declared maturity mapped to 15/50/85.
    pub maturity: f64,
}

/// Why no partition can be proposed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GroupingError {
    #[error("the minimum size must be at least 1 and not above the maximum ({min} > {max})")]
    BadBounds { min: usize, max: usize },
    #[error("no partition of {networks} networks into groups of {min} to {max}")]
    Infeasible { networks: usize, min: usize, max: usize },
    #[error("at most {limit} networks")]
    TooMany { limit: usize },
}

impl GroupingError {
    /// The error as a form field error, with the values its message quotes.
    pub fn field_error(&self) -> FieldError {
        match *self {
            GroupingError::BadBounds { min, max } => {
                FieldError::new("min_size", "error-groups-bounds").with_arg("min", min).with_arg("max", max)
            }
            GroupingError::Infeasible { networks, min, max } => FieldError::new("min_size", "error-groups-infeasible")
                .with_arg("networks", networks)
                .with_arg("min", min)
                .with_arg("max", max),
            GroupingError::TooMany { limit } => {
                FieldError::new("networks", "error-groups-too-many").with_arg("limit", limit)
            }
        }
    }
}

/// Size bounds of the groups, `1 ≤ min ≤ max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    pub min: usize,
    pub max: usize,
}

impl Bounds {
    pub fn new(min: usize, max: usize) -> Result<Bounds, GroupingError> {
        if min == 0 || min > max {
            return Err(GroupingError::BadBounds { min, max });
        }
        Ok(Bounds { min, max })
    }

    /// The numbers of groups `k` with `k·min ≤ n ≤ k·max`, or the error when there is none.
    pub fn group_counts(self, n: usize) -> Result<RangeInclusive<usize>, GroupingError> {
        let lowest = n.div_ceil(self.max);
        let highest = n / self.min;
        if lowest > highest {
            return Err(GroupingError::Infeasible { networks: n, min: self.min, max: self.max });
        }
        Ok(lowest..=highest)
    }

    pub fn admits(self, size: usize) -> bool {
        (self.min..=self.max).contains(&size)
    }
}

/// Pairwise distances of `n` networks, row by row.
#[derive(Debug, Clone)]
pub struct Distances {
    n: usize,
    d: Vec<f64>,
}

impl Distances {
    pub fn new(candidates: &[Candidate]) -> Distances {
        let mut codes: HashMap<&str, u32> = HashMap::new();
        let lines: Vec<Vec<u32>> = candidates
            .iter()
            .map(|c| {
                let mut set: Vec<u32> = c
                    .action_lines
                    .iter()
                    .map(|line| {
                        let next = codes.len() as u32;
                        *codes.entry(line.as_str()).or_insert(next)
                    })
                    .collect();
                set.sort_unstable();
                set.dedup();
                set
            })
            .collect();
        let n = candidates.len();
        let mut d = vec![0.0; n * n];
        for i in 0..n {
            for j in i + 1..n {
                let value = (1.0 - jaccard(&lines[i], &lines[j]))
                    + (candidates[i].maturity - candidates[j].maturity).abs() / 100.0;
                d[i * n + j] = value;
                d[j * n + i] = value;
            }
        }
        Distances { n, d }
    }

    pub fn len(&self) -> usize {
        self.n
    }

    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.d[i * self.n + j]
    }

    fn row(&self, i: usize) -> &[f64] {
        &self.d[i * self.n..(i + 1) * self.n]
    }

    /// The sum of the distances of every pair inside the group.
    pub fn group_cost(&self, group: &[usize]) -> f64 {
        let mut cost = 0.0;
        for (a, &i) in group.iter().enumerate() {
            for &j in &group[a + 1..] {
                cost += self.get(i, j);
            }
        }
        cost
    }

    /// The objective: the sum of the groups' costs, in their order.
    pub fn cost(&self, groups: &[Vec<usize>]) -> f64 {
        groups.iter().map(|group| self.group_cost(group)).sum()
    }
}

/// |A ∩ B| / |A ∪ B| of two sorted sets; 1 for two empty sets (see the module's note).
fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common as f64 / (a.len() + b.len() - common) as f64
}

/// A partition: groups of indices into the input, each sorted, ordered by their first member;
/// `cost` is the objective recomputed from the groups.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    pub groups: Vec<Vec<usize>>,
    pub cost: f64,
}

/// Proposes the partition of `candidates` into groups within `bounds` of least cost.
pub fn propose(candidates: &[Candidate], bounds: Bounds) -> Result<Proposal, GroupingError> {
    if candidates.len() > MAX_NETWORKS {
        return Err(GroupingError::TooMany { limit: MAX_NETWORKS });
    }
    let counts = bounds.group_counts(candidates.len())?;
    let distances = Distances::new(candidates);
    Ok(optimise(&distances, bounds, counts))
}

/// Checks that `groups` is a partition of `0..n` within `bounds`.
pub fn is_valid_partition(n: usize, groups: &[Vec<usize>], bounds: Bounds) -> bool {
    let mut seen = vec![false; n];
    for group in groups {
        if !bounds.admits(group.len()) {
            return false;
        }
        for &i in group {
            if i >= n || std::mem::replace(&mut seen[i], true) {
                return false;
            }
        }
    }
    seen.into_iter().all(|s| s)
}

/// What the coordination is shown about one group: the lines every member shares, the range of
/// maturity, and the group's cost.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupSummary {
    pub shared_lines: Vec<String>,
    pub maturity_min: f64,
    pub maturity_max: f64,
    pub cost: f64,
}

pub fn summarise(candidates: &[Candidate], distances: &Distances, group: &[usize]) -> GroupSummary {
    let mut shared: Vec<String> = match group.first() {
        Some(&first) => candidates[first].action_lines.clone(),
        None => Vec::new(),
    };
    for &i in group.iter().skip(1) {
        shared.retain(|line| candidates[i].action_lines.contains(line));
    }
    shared.sort();
    shared.dedup();
    let maturities = group.iter().map(|&i| candidates[i].maturity);
    GroupSummary {
        shared_lines: shared,
        maturity_min: maturities.clone().fold(f64::INFINITY, f64::min),
        maturity_max: maturities.fold(f64::NEG_INFINITY, f64::max),
        cost: distances.group_cost(group),
    }
}

/// The maturity of a network that has no reading-tool index yet: its declared maturity mapped to
/// 15 / 50 / 85 (issue 8); a network that declared none sits in the middle.
pub fn declared_maturity_score(declared: Option<Maturity>) -> f64 {
    match declared {
        Some(Maturity::FirstExperience) => 15.0,
        Some(Maturity::PriorProjects) | None => 50.0,
        Some(Maturity::Consolidated) => 85.0,
    }
}

/// The longest name of a saved grouping, in characters.
pub const MAX_NAME: usize = 200;

/// Turns groups of network ids (as a person arranged them) into groups of indices into `ids`,
/// checking that every network is in exactly one group and, when `bounds` is given, that every
/// group is within it. Errors name `groups` (or `groups[i]` for one group's size).
pub fn assign(ids: &[&str], groups: &[Vec<String>], bounds: Option<Bounds>) -> Result<Vec<Vec<usize>>, FieldError> {
    let index: HashMap<&str, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let mut seen = vec![false; ids.len()];
    let mut out = Vec::with_capacity(groups.len());
    for (position, group) in groups.iter().enumerate() {
        let mut members = Vec::with_capacity(group.len());
        for id in group {
            let Some(&i) = index.get(id.as_str()) else {
                return Err(FieldError::new("groups", "error-groups-network-unknown").with_arg("value", id));
            };
            if std::mem::replace(&mut seen[i], true) {
                return Err(FieldError::new("groups", "error-groups-network-twice").with_arg("value", id));
            }
            members.push(i);
        }
        if let Some(bounds) = bounds
            && !bounds.admits(members.len())
        {
            return Err(FieldError::new(format!("groups[{position}]"), "error-groups-size")
                .with_arg("group", position + 1)
                .with_arg("min", bounds.min)
                .with_arg("max", bounds.max));
        }
        if !members.is_empty() {
            members.sort_unstable();
            out.push(members);
        }
    }
    if let Some(missing) = seen.iter().position(|s| !s) {
        return Err(FieldError::new("groups", "error-groups-network-missing").with_arg("value", ids[missing]));
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// The search.

/// Improvements smaller than this are rounding, not progress.
const EPSILON: f64 = 1e-9;
/// Independent restarts, shared out over the numbers of groups tried.
const RESTARTS: usize = 8;
/// Pair evaluations the iterated local search may spend in all (well under a second of one
/// core); the unit tests, unoptimised, spend a hundredth.
const EFFORT: usize = if cfg!(test) { 4_000_000 } else { 400_000_000 };
/// A restart stops after this many perturbations in a row that found nothing cheaper.
const PATIENCE: usize = 300;

/// SplitMix64: small, fast and good enough to shuffle; seeded so the result is reproducible.
struct Rng(u64);

impl Rng {
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
}

fn optimise(distances: &Distances, bounds: Bounds, counts: RangeInclusive<usize>) -> Proposal {
    let n = distances.len();
    if n == 0 {
        return Proposal { groups: Vec::new(), cost: 0.0 };
    }
    // Every pair inside a group adds a non-negative distance, so more (smaller) groups are
    // nearly always cheaper: the largest counts are the ones worth the effort.
    let ks: Vec<usize> = counts.rev().take(3).collect();
    let iterations = (EFFORT / (n * n * RESTARTS)).clamp(20, 4_000);
    let run = |restart: usize| {
        let k = ks[restart % ks.len()];
        let mut rng = Rng(0x5EED_0000 + restart as u64);
        let mut state = State::construct(distances, bounds, k, &mut rng);
        state.iterated_search(&mut rng, iterations);
        state.into_groups()
    };
    let threads = std::thread::available_parallelism().map_or(1, |p| p.get()).min(2);
    let results: Vec<(usize, Vec<Vec<usize>>)> = if threads > 1 && n >= 40 {
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let run = &run;
                    scope.spawn(move || (t..RESTARTS).step_by(threads).map(|r| (r, run(r))).collect::<Vec<_>>())
                })
                .collect();
            handles.into_iter().flat_map(|h| h.join().expect("a search thread panicked")).collect()
        })
    } else {
        (0..RESTARTS).map(|r| (r, run(r))).collect()
    };
    // The cheapest, the earliest restart on ties: the same answer whatever the scheduling.
    let mut best: Option<(f64, usize, Vec<Vec<usize>>)> = None;
    for (restart, groups) in results {
        let cost = distances.cost(&groups);
        let better = match &best {
            None => true,
            Some((c, r, _)) => cost < c - EPSILON || ((cost - c).abs() <= EPSILON && restart < *r),
        };
        if better {
            best = Some((cost, restart, groups));
        }
    }
    let (cost, _, groups) = best.expect("at least one restart");
    Proposal { groups, cost }
}

/// A partition into `k` groups being improved, with `w[i·k + g]` = Σ_{j in g} d(i, j).
#[derive(Clone)]
struct State<'a> {
    d: &'a Distances,
    bounds: Bounds,
    k: usize,
    group: Vec<usize>,
    size: Vec<usize>,
    w: Vec<f64>,
    cost: f64,
}

impl<'a> State<'a> {
    /// Seeds far apart (the first at random), then every other network, in random order, into
    /// the group where it adds least among those below their balanced target size.
    fn construct(d: &'a Distances, bounds: Bounds, k: usize, rng: &mut Rng) -> State<'a> {
        let n = d.len();
        let mut state =
            State { d, bounds, k, group: vec![usize::MAX; n], size: vec![0; k], w: vec![0.0; n * k], cost: 0.0 };
        // Balanced sizes lie within bounds whenever k is a feasible count.
        let target: Vec<usize> = (0..k).map(|g| n / k + usize::from(g < n % k)).collect();
        let mut nearest = vec![f64::INFINITY; n];
        let mut seed = rng.below(n);
        for g in 0..k {
            state.place(seed, g);
            for (i, near) in nearest.iter_mut().enumerate() {
                *near = near.min(d.get(seed, i));
            }
            if g + 1 < k {
                seed = (0..n)
                    .filter(|&i| state.group[i] == usize::MAX)
                    .max_by(|&a, &b| nearest[a].total_cmp(&nearest[b]).then(b.cmp(&a)))
                    .expect("fewer seeds than networks");
            }
        }
        let mut order: Vec<usize> = (0..n).filter(|&i| state.group[i] == usize::MAX).collect();
        for i in (1..order.len()).rev() {
            order.swap(i, rng.below(i + 1));
        }
        for i in order {
            let g = (0..k)
                .filter(|&g| state.size[g] < target[g])
                .min_by(|&a, &b| state.w[i * k + a].total_cmp(&state.w[i * k + b]))
                .expect("room for every network");
            state.place(i, g);
        }
        state.cost = (0..n).map(|i| state.w[i * k + state.group[i]]).sum::<f64>() / 2.0;
        state
    }

    fn place(&mut self, i: usize, g: usize) {
        self.group[i] = g;
        self.size[g] += 1;
        let k = self.k;
        for (j, dij) in self.d.row(i).iter().enumerate() {
            self.w[j * k + g] += dij;
        }
    }

    fn shift(&mut self, i: usize, to: usize) {
        let (k, from) = (self.k, self.group[i]);
        self.cost += self.w[i * k + to] - self.w[i * k + from];
        self.group[i] = to;
        self.size[from] -= 1;
        self.size[to] += 1;
        for (j, dij) in self.d.row(i).iter().enumerate() {
            self.w[j * k + from] -= dij;
            self.w[j * k + to] += dij;
        }
    }

    fn swap_delta(&self, i: usize, j: usize) -> f64 {
        let (k, a, b) = (self.k, self.group[i], self.group[j]);
        let dij = self.d.get(i, j);
        (self.w[i * k + b] - self.w[i * k + a]) + (self.w[j * k + a] - self.w[j * k + b]) - 2.0 * dij
    }

    /// Best moves and first-improving swaps until neither helps.
    fn local_search(&mut self) {
        let (n, k) = (self.d.len(), self.k);
        loop {
            let mut improved = false;
            if self.bounds.min < self.bounds.max {
                for i in 0..n {
                    let from = self.group[i];
                    if self.size[from] <= self.bounds.min {
                        continue;
                    }
                    let here = self.w[i * k + from];
                    let mut best = (-EPSILON, usize::MAX);
                    for to in (0..k).filter(|&to| to != from && self.size[to] < self.bounds.max) {
                        let delta = self.w[i * k + to] - here;
                        if delta < best.0 {
                            best = (delta, to);
                        }
                    }
                    if best.1 != usize::MAX {
                        self.shift(i, best.1);
                        improved = true;
                    }
                }
            }
            for i in 0..n {
                for j in i + 1..n {
                    if self.group[i] != self.group[j] && self.swap_delta(i, j) < -EPSILON {
                        let (a, b) = (self.group[i], self.group[j]);
                        self.shift(i, b);
                        self.shift(j, a);
                        improved = true;
                    }
                }
            }
            if !improved {
                break;
            }
        }
    }

    /// Local search, then `iterations` times: a few random swaps, local search again, keeping
    /// the result only when it is cheaper.
    fn iterated_search(&mut self, rng: &mut Rng, iterations: usize) {
        self.local_search();
        let n = self.d.len();
        if self.k < 2 {
            return;
        }
        let mut best = self.clone();
        let mut fruitless = 0;
        for _ in 0..iterations {
            if fruitless == PATIENCE {
                break;
            }
            let kicks = 2 + rng.below(3);
            for _ in 0..kicks {
                let i = rng.below(n);
                let j = rng.below(n);
                if self.group[i] != self.group[j] {
                    let (a, b) = (self.group[i], self.group[j]);
                    self.shift(i, b);
                    self.shift(j, a);
                }
            }
            self.local_search();
            if self.cost < best.cost - EPSILON {
                best.clone_from(self);
                fruitless = 0;
            } else {
                self.clone_from(&best);
                fruitless += 1;
            }
        }
        *self = best;
    }

    fn into_groups(self) -> Vec<Vec<usize>> {
        let mut groups = vec![Vec::new(); self.k];
        for (i, &g) in self.group.iter().enumerate() {
            groups[g].push(i);
        }
        groups.retain(|g| !g.is_empty());
        groups.sort_by_key(|g| g[0]);
        groups
    }
}

// ---------------------------------------------------------------------------------------------
// The CSV of `reti groups propose`.

/// One problem with the input file: its line (1 is the header), the field, a message key and the
/// value that was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub line: usize,
    pub field: String,
    pub code: &'static str,
    pub value: String,
}

/// Reads `id,action_lines,maturity` (any column order; lines separated by `|`). Every problem
/// is reported, by line, up to the first hundred.
pub fn parse_csv(bytes: &[u8]) -> Result<Vec<Candidate>, Vec<InputError>> {
    const COLUMNS: [&str; 3] = ["id", "action_lines", "maturity"];
    let error = |line: usize, field: &str, code: &'static str, value: &str| InputError {
        line,
        field: field.to_owned(),
        code,
        value: value.chars().take(MAX_TEXT).collect(),
    };
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text);
    let header = reader.headers().map_err(|_| vec![error(1, "header", "error-groups-csv-unreadable", "")])?.clone();
    let mut errors = Vec::new();
    let mut position = [None; 3];
    for (index, name) in header.iter().enumerate() {
        let name = name.trim();
        match COLUMNS.iter().position(|c| c.eq_ignore_ascii_case(name)) {
            Some(c) if position[c].is_none() => position[c] = Some(index),
            Some(_) => errors.push(error(1, name, "error-groups-column-repeated", name)),
            None => errors.push(error(1, name, "error-groups-column-unknown", name)),
        }
    }
    for (c, found) in position.iter().enumerate() {
        if found.is_none() {
            errors.push(error(1, COLUMNS[c], "error-groups-column-missing", COLUMNS[c]));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let [id_at, lines_at, maturity_at] = position.map(|p| p.expect("checked above"));
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut candidates = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        if errors.len() >= 100 {
            break;
        }
        let Ok(record) = record else {
            errors.push(error(line, "line", "error-groups-csv-unreadable", ""));
            continue;
        };
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if candidates.len() + errors.len() >= MAX_NETWORKS {
            errors.push(error(line, "id", "error-groups-too-many", &MAX_NETWORKS.to_string()));
            break;
        }
        let cell = |at: usize| record.get(at).unwrap_or("").trim();
        let id = cell(id_at);
        if id.is_empty() {
            errors.push(error(line, "id", "error-required", id));
        } else if id.chars().count() > MAX_TEXT {
            errors.push(error(line, "id", "error-too-long", id));
        } else if let Some(first) = seen.insert(id.to_owned(), line) {
            errors.push(error(line, "id", "error-groups-id-repeated", &format!("{id} ({first})")));
        }
        let lines: Vec<String> =
            cell(lines_at).split('|').map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
        if lines.len() > MAX_LINES || lines.iter().any(|l| l.chars().count() > MAX_TEXT) {
            errors.push(error(line, "action_lines", "error-too-long", cell(lines_at)));
        }
        let raw = cell(maturity_at);
        let maturity = raw.replace(',', ".").parse::<f64>().ok().filter(|m| (0.0..=100.0).contains(m));
        if maturity.is_none() {
            errors.push(error(line, "maturity", "error-groups-maturity", raw));
        }
        if let Some(maturity) = maturity {
            candidates.push(Candidate { id: id.to_owned(), action_lines: lines, maturity });
        }
    }
    if errors.is_empty() { Ok(candidates) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn candidate(id: usize, lines: &[&str], maturity: f64) -> Candidate {
        Candidate { id: id.to_string(), action_lines: lines.iter().map(|l| l.to_string()).collect(), maturity }
    }

    /// The optimum by enumeration of every partition, for tiny instances.
    fn brute_force(d: &Distances, bounds: Bounds) -> f64 {
        fn go(i: usize, d: &Distances, bounds: Bounds, groups: &mut Vec<Vec<usize>>, best: &mut f64) {
            if i == d.len() {
                if groups.iter().all(|g| bounds.admits(g.len())) {
                    *best = best.min(d.cost(groups));
                }
                return;
            }
            for g in 0..groups.len() {
                if groups[g].len() < bounds.max {
                    groups[g].push(i);
                    go(i + 1, d, bounds, groups, best);
                    groups[g].pop();
                }
            }
            groups.push(vec![i]);
            go(i + 1, d, bounds, groups, best);
            groups.pop();
        }
        let mut best = f64::INFINITY;
        go(0, d, bounds, &mut Vec::new(), &mut best);
        best
    }

    #[test]
    fn distance_follows_the_formula() {
        let a = candidate(0, &["scuola", "servizi"], 15.0);
        let b = candidate(1, &["servizi", "informazione"], 85.0);
        let c = candidate(2, &[], 50.0);
        let e = candidate(3, &[], 50.0);
        let d = Distances::new(&[a, b, c, e]);
        assert!((d.get(0, 1) - ((1.0 - 1.0 / 3.0) + 0.7)).abs() < 1e-12);
        assert!((d.get(0, 2) - (1.0 + 0.35)).abs() < 1e-12);
        // Two networks without lines differ only by maturity.
        assert_eq!(d.get(2, 3), 0.0);
    }

    #[test]
    fn feasibility_is_checked_first() {
        assert_eq!(Bounds::new(0, 3), Err(GroupingError::BadBounds { min: 0, max: 3 }));
        assert_eq!(Bounds::new(4, 3), Err(GroupingError::BadBounds { min: 4, max: 3 }));
        let bounds = Bounds::new(4, 5).unwrap();
        assert_eq!(bounds.group_counts(11), Err(GroupingError::Infeasible { networks: 11, min: 4, max: 5 }));
        assert_eq!(bounds.group_counts(12), Ok(3..=3));
        let items: Vec<Candidate> = (0..7).map(|i| candidate(i, &["a"], 50.0)).collect();
        assert_eq!(propose(&items, bounds), Err(GroupingError::Infeasible { networks: 7, min: 4, max: 5 }));
        assert_eq!(propose(&[], bounds).unwrap(), Proposal { groups: Vec::new(), cost: 0.0 });
    }

    #[test]
    fn clear_clusters_are_found() {
        let mut items = Vec::new();
        for i in 0..12 {
            let line = ["scuola", "servizi", "informazione", "partecipazione"][i % 4];
            items.push(candidate(i, &[line], 15.0 + (i % 4) as f64 * 20.0));
        }
        let proposal = propose(&items, Bounds::new(3, 3).unwrap()).unwrap();
        assert_eq!(proposal.cost, 0.0);
        assert_eq!(proposal.groups, vec![vec![0, 4, 8], vec![1, 5, 9], vec![2, 6, 10], vec![3, 7, 11]]);
    }

    #[test]
    fn summaries_explain_a_group() {
        let items =
            vec![candidate(0, &["a", "b"], 15.0), candidate(1, &["b", "a", "c"], 50.0), candidate(2, &["b"], 85.0)];
        let d = Distances::new(&items);
        let summary = summarise(&items, &d, &[0, 1, 2]);
        assert_eq!(summary.shared_lines, vec!["b".to_string()]);
        assert_eq!((summary.maturity_min, summary.maturity_max), (15.0, 85.0));
        assert_eq!(summary.cost, d.group_cost(&[0, 1, 2]));
    }

    #[test]
    fn arrangements_by_hand_are_checked() {
        let ids = ["a", "b", "c", "d"];
        let groups = |g: &[&[&str]]| g.iter().map(|g| g.iter().map(|s| s.to_string()).collect()).collect::<Vec<_>>();
        let bounds = Some(Bounds::new(2, 2).unwrap());
        assert_eq!(assign(&ids, &groups(&[&["c", "a"], &["b", "d"]]), bounds), Ok(vec![vec![0, 2], vec![1, 3]]));
        assert_eq!(assign(&ids, &groups(&[&["a", "b", "c"], &["d"]]), bounds).unwrap_err().code, "error-groups-size");
        assert!(assign(&ids, &groups(&[&["a", "b", "c"], &["d"]]), None).is_ok());
        assert_eq!(
            assign(&ids, &groups(&[&["a", "b"], &["c"]]), None).unwrap_err().code,
            "error-groups-network-missing"
        );
        assert_eq!(assign(&ids, &groups(&[&["a", "x"]]), None).unwrap_err().code, "error-groups-network-unknown");
        assert_eq!(assign(&ids, &groups(&[&["a", "a"]]), None).unwrap_err().code, "error-groups-network-twice");
        assert_eq!(declared_maturity_score(Some(Maturity::Consolidated)), 85.0);
    }

    #[test]
    fn the_csv_names_line_and_field() {
        let ok = parse_csv(b"\xEF\xBB\xBFid,action_lines,maturity\nA,scuola|servizi,15\nB,,50,\n").unwrap();
        assert_eq!(ok[0].action_lines, vec!["scuola", "servizi"]);
        assert!(ok[1].action_lines.is_empty());
        let errors = parse_csv(b"id,lines,maturity\n").unwrap_err();
        assert_eq!((errors[0].line, errors[0].code), (1, "error-groups-column-unknown"));
        assert_eq!(errors[1].field, "action_lines");
        let errors = parse_csv(b"maturity,id,action_lines\n10,A,x\n20,A,y\n101,B,z\nabc,C,\n").unwrap_err();
        let found: Vec<_> = errors.iter().map(|e| (e.line, e.field.as_str(), e.code)).collect();
        assert_eq!(
            found,
            vec![
                (3, "id", "error-groups-id-repeated"),
                (4, "maturity", "error-groups-maturity"),
                (5, "maturity", "error-groups-maturity")
            ]
        );
    }

    fn instance() -> impl Strategy<Value = (Vec<Candidate>, usize, usize)> {
        (0usize..=40, 1usize..=6, 0usize..=4)
            .prop_flat_map(|(n, min, extra)| {
                let item = (proptest::collection::btree_set(0usize..5, 0..=3), 0u8..=100);
                (proptest::collection::vec(item, n), Just(min), Just(min + extra))
            })
            .prop_map(|(items, min, max)| {
                let candidates = items
                    .into_iter()
                    .enumerate()
                    .map(|(i, (lines, maturity))| Candidate {
                        id: format!("n{i}"),
                        action_lines: lines.into_iter().map(|l| format!("line{l}")).collect(),
                        maturity: f64::from(maturity),
                    })
                    .collect();
                (candidates, min, max)
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn proposals_are_valid_partitions_with_their_true_cost((items, min, max) in instance()) {
            let bounds = Bounds::new(min, max).unwrap();
            match propose(&items, bounds) {
                Ok(proposal) => {
                    prop_assert!(bounds.group_counts(items.len()).is_ok());
                    prop_assert!(is_valid_partition(items.len(), &proposal.groups, bounds));
                    let recomputed: f64 = proposal
                        .groups
                        .iter()
                        .flat_map(|g| g.iter().enumerate().flat_map(move |(a, &i)| g[a + 1..].iter().map(move |&j| (i, j))))
                        .map(|(i, j)| {
                            let (a, b) = (&items[i], &items[j]);
                            let common = a.action_lines.iter().filter(|l| b.action_lines.contains(l)).count();
                            let union = a.action_lines.len() + b.action_lines.len() - common;
                            let jaccard = if union == 0 { 1.0 } else { common as f64 / union as f64 };
                            (1.0 - jaccard) + (a.maturity - b.maturity).abs() / 100.0
                        })
                        .sum();
                    prop_assert!((proposal.cost - recomputed).abs() < 1e-9);
                }
                Err(error) => {
                    prop_assert_eq!(error, GroupingError::Infeasible { networks: items.len(), min, max });
                    prop_assert!(!(0..=items.len()).any(|k| k * min <= items.len() && items.len() <= k * max));
                }
            }
        }

        #[test]
        fn tiny_instances_reach_the_optimum((items, min, max) in instance().prop_filter("tiny", |(i, _, _)| i.len() <= 8)) {
            let bounds = Bounds::new(min, max).unwrap();
            if let Ok(proposal) = propose(&items, bounds) {
                let best = brute_force(&Distances::new(&items), bounds);
                prop_assert!(proposal.cost <= best + 1e-9, "{} > {}", proposal.cost, best);
            }
        }
    }
}
