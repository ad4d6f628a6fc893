//! Cross-network ties ("legami trasversali", SPEC §5): the graph whose nodes are a programme's
//! networks, linked by the organisations they share and by the meetings they take part in
//! together, at a chosen date, and how it changed since another (decision 0031).
//!
//! At a date D:
//! - two networks share an organisation when it is a member of both on D (joined on or before
//!   D, or with no date; not left on or before D);
//! - two networks meet when both take part in a meeting held in the year up to D
//!   (D − 365 days, D]: the meeting's own network, every network invited as a whole, and the
//!   network of every invited organisation and of every organisation of a person present (an
//!   organisation counts for a network it belongs to on the meeting's day, and not when it also
//!   belongs to the meeting's own network: then it came as a member of that one).
//!
//! The tie's weight is the number of shared organisations plus the number of joint meetings; the
//! metrics (betweenness, Burt's constraint, bridges, articulation points, density) are computed on
//! the unweighted graph, as networkx does by default.

use reti_graph::{Graph, GraphBuilder};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use time::{Date, Duration};

/// How far back meetings count for the graph at a date.
pub const MEETING_WINDOW_DAYS: i64 = 365;

/// The seed of the drawing's layout (the same graph is always drawn the same way).
pub const LAYOUT_SEED: u64 = 31;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TieNetwork {
    pub id: String,
    pub name: String,
}

/// One membership with its dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MembershipSpan {
    pub network_id: String,
    pub organisation_id: String,
    pub organisation_name: String,
    pub joined_on: Option<Date>,
    pub left_on: Option<Date>,
}

impl MembershipSpan {
    pub fn active_on(&self, day: Date) -> bool {
        self.joined_on.is_none_or(|j| j <= day) && self.left_on.is_none_or(|l| l > day)
    }
}

/// How a meeting reaches a network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// The network is invited as a whole (`target_id` is the network).
    Network,
    /// An organisation is invited (`target_id` is the organisation).
    Organisation,
    /// A person of the organisation `target_id` was present.
    Attendee,
}

/// A meeting and one of the ways it reaches beyond its own network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participation {
    pub meeting_id: String,
    pub meeting_title: String,
    pub meeting_network_id: String,
    /// The meeting's day in Italy.
    pub on: Date,
    pub via: Via,
    pub target_id: String,
}

/// What the ties are computed from: one programme's networks, their memberships (all dates) and
/// the participations of its meetings.
#[derive(Debug, Clone, Default)]
pub struct TieData {
    pub networks: Vec<TieNetwork>,
    pub memberships: Vec<MembershipSpan>,
    pub participations: Vec<Participation>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NetworkNode {
    pub id: String,
    pub name: String,
    /// Member organisations on the date.
    pub organisations: usize,
    pub degree: usize,
    pub betweenness: f64,
    /// `None` for a network without ties.
    pub constraint: Option<f64>,
    /// Removing it would split the networks it connects (an articulation point).
    pub cut_point: bool,
    /// In the unit square (see [`reti_graph::layout`]).
    pub position: (f64, f64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TieMeeting {
    pub id: String,
    pub title: String,
    pub on: Date,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tie {
    /// Indices into [`Snapshot::networks`], `a < b`.
    pub a: usize,
    pub b: usize,
    /// Names of the shared organisations, sorted.
    pub organisations: Vec<String>,
    /// Joint meetings, by date.
    pub meetings: Vec<TieMeeting>,
    /// Removing this tie would split the networks it connects.
    pub bridge: bool,
}

/// The kinds of a tie.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TieKind {
    Organisations,
    Meetings,
    Both,
}

impl TieKind {
    pub fn code(self) -> &'static str {
        match self {
            TieKind::Organisations => "organisations",
            TieKind::Meetings => "meetings",
            TieKind::Both => "both",
        }
    }
}

impl Tie {
    pub fn weight(&self) -> usize {
        self.organisations.len() + self.meetings.len()
    }

    pub fn kind(&self) -> TieKind {
        match (self.organisations.is_empty(), self.meetings.is_empty()) {
            (false, true) => TieKind::Organisations,
            (true, false) => TieKind::Meetings,
            _ => TieKind::Both,
        }
    }
}

/// An organisation that is a member of several networks on the date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedOrganisation {
    pub id: String,
    pub name: String,
    /// Indices into [`Snapshot::networks`], ascending.
    pub networks: Vec<usize>,
}

/// The graph of ties at a date.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub at: Date,
    /// The first day whose meetings count.
    pub meetings_from: Date,
    /// By name.
    pub networks: Vec<NetworkNode>,
    /// By (a, b).
    pub ties: Vec<Tie>,
    pub density: f64,
    pub components: usize,
    /// By name.
    pub shared: Vec<SharedOrganisation>,
}

impl Snapshot {
    pub fn tie_between(&self, a: &str, b: &str) -> Option<&Tie> {
        self.ties.iter().find(|t| {
            let (x, y) = (&self.networks[t.a].id, &self.networks[t.b].id);
            (x == a && y == b) || (x == b && y == a)
        })
    }

    /// The graph of the ties, nodes in the order of [`Snapshot::networks`].
    pub fn graph(&self) -> Graph {
        graph_of(&self.networks.iter().map(|n| n.id.as_str()).collect::<Vec<_>>(), &self.ties)
    }

    /// The view of someone who works on `visible` networks only: the ties that touch one of them,
    /// the networks at either end, and the shared organisations of theirs. Metrics stay those
    /// of the whole programme.
    pub fn restricted_to(&self, visible: &[String]) -> Snapshot {
        let mine: Vec<bool> = self.networks.iter().map(|n| visible.contains(&n.id)).collect();
        let mut keep = mine.clone();
        for tie in &self.ties {
            if mine[tie.a] || mine[tie.b] {
                keep[tie.a] = true;
                keep[tie.b] = true;
            }
        }
        let mut renumber = vec![usize::MAX; self.networks.len()];
        let mut networks = Vec::new();
        for (old, node) in self.networks.iter().enumerate().filter(|(i, _)| keep[*i]) {
            renumber[old] = networks.len();
            networks.push(node.clone());
        }
        let ties = self
            .ties
            .iter()
            .filter(|t| mine[t.a] || mine[t.b])
            .map(|t| Tie { a: renumber[t.a], b: renumber[t.b], ..t.clone() })
            .collect();
        let shared = self
            .shared
            .iter()
            .filter(|s| s.networks.iter().any(|&n| mine[n]))
            .map(|s| SharedOrganisation {
                networks: s.networks.iter().filter(|&&n| keep[n]).map(|&n| renumber[n]).collect(),
                ..s.clone()
            })
            .collect();
        Snapshot { networks, ties, shared, ..self.clone() }
    }
}

fn graph_of(ids: &[&str], ties: &[Tie]) -> Graph {
    let mut builder = GraphBuilder::new();
    for id in ids {
        builder.add_node(id);
    }
    for tie in ties {
        builder.add_edge(ids[tie.a], ids[tie.b]);
    }
    builder.build()
}

/// What is behind a tie while it is gathered: organisation names, meetings by id.
type Behind<'a> = (BTreeSet<String>, BTreeMap<&'a str, TieMeeting>);

/// The ties at `at`.
pub fn snapshot(data: &TieData, at: Date) -> Snapshot {
    let mut order: Vec<&TieNetwork> = data.networks.iter().collect();
    order.sort_by(|x, y| x.name.to_lowercase().cmp(&y.name.to_lowercase()).then(x.id.cmp(&y.id)));
    let index: HashMap<&str, usize> = order.iter().enumerate().map(|(i, n)| (n.id.as_str(), i)).collect();
    let meetings_from = at - Duration::days(MEETING_WINDOW_DAYS - 1);

    // Organisation → its networks on `at`.
    let mut members: BTreeMap<&str, (&str, BTreeSet<usize>)> = BTreeMap::new();
    let mut sizes = vec![0usize; order.len()];
    for span in data.memberships.iter().filter(|m| m.active_on(at)) {
        if let Some(&n) = index.get(span.network_id.as_str()) {
            let entry = members.entry(&span.organisation_id).or_insert((&span.organisation_name, BTreeSet::new()));
            if entry.1.insert(n) {
                sizes[n] += 1;
            }
        }
    }
    let mut pairs: BTreeMap<(usize, usize), Behind<'_>> = BTreeMap::new();
    let mut shared = Vec::new();
    for (&organisation, (name, networks)) in &members {
        if networks.len() < 2 {
            continue;
        }
        let list: Vec<usize> = networks.iter().copied().collect();
        for (i, &a) in list.iter().enumerate() {
            for &b in &list[i + 1..] {
                pairs.entry((a, b)).or_default().0.insert((*name).to_owned());
            }
        }
        shared.push(SharedOrganisation { id: organisation.to_owned(), name: (*name).to_owned(), networks: list });
    }
    shared.sort_by(|x, y| x.name.to_lowercase().cmp(&y.name.to_lowercase()).then(x.id.cmp(&y.id)));

    // Meeting → the networks taking part.
    let mut spans_of: HashMap<&str, Vec<&MembershipSpan>> = HashMap::new();
    for span in &data.memberships {
        spans_of.entry(&span.organisation_id).or_default().push(span);
    }
    let mut meetings: BTreeMap<&str, (TieMeeting, BTreeSet<usize>)> = BTreeMap::new();
    for p in data.participations.iter().filter(|p| p.on >= meetings_from && p.on <= at) {
        let Some(&own) = index.get(p.meeting_network_id.as_str()) else { continue };
        let entry = meetings.entry(&p.meeting_id).or_insert_with(|| {
            (TieMeeting { id: p.meeting_id.clone(), title: p.meeting_title.clone(), on: p.on }, BTreeSet::from([own]))
        });
        match p.via {
            Via::Network => entry.1.extend(index.get(p.target_id.as_str())),
            Via::Organisation | Via::Attendee => {
                let spans = spans_of.get(p.target_id.as_str()).map_or(&[][..], Vec::as_slice);
                let active = || spans.iter().filter(|s| s.active_on(p.on));
                if active().any(|s| s.network_id == p.meeting_network_id) {
                    continue;
                }
                entry.1.extend(active().filter_map(|s| index.get(s.network_id.as_str())));
            }
        }
    }
    for (meeting, networks) in meetings.values() {
        let list: Vec<usize> = networks.iter().copied().collect();
        for (i, &a) in list.iter().enumerate() {
            for &b in &list[i + 1..] {
                pairs.entry((a, b)).or_default().1.insert(&meeting.id, meeting.clone());
            }
        }
    }
    let mut ties: Vec<Tie> = pairs
        .into_iter()
        .map(|((a, b), (organisations, meetings))| {
            let mut meetings: Vec<TieMeeting> = meetings.into_values().collect();
            meetings.sort_by(|x, y| x.on.cmp(&y.on).then(x.id.cmp(&y.id)));
            Tie { a, b, organisations: organisations.into_iter().collect(), meetings, bridge: false }
        })
        .collect();

    let ids: Vec<&str> = order.iter().map(|n| n.id.as_str()).collect();
    let graph = graph_of(&ids, &ties);
    let (bridges, cuts) = reti_graph::cut_edges_and_nodes(&graph);
    for tie in &mut ties {
        tie.bridge = bridges.binary_search(&(tie.a, tie.b)).is_ok();
    }
    let (betweenness, _) = reti_graph::betweenness_closeness(&graph, Some(1));
    let (_, constraint) = reti_graph::clustering_constraint(&graph, Some(1));
    let (components, _) = reti_graph::components(&graph);
    let positions = reti_graph::layout(&graph, LAYOUT_SEED);
    let n = order.len();
    let networks = order
        .iter()
        .enumerate()
        .map(|(i, network)| NetworkNode {
            id: network.id.clone(),
            name: network.name.clone(),
            organisations: sizes[i],
            degree: graph.degree(i),
            betweenness: betweenness[i],
            constraint: constraint[i],
            cut_point: cuts.binary_search(&i).is_ok(),
            position: positions[i],
        })
        .collect();
    let density = if n > 1 { 2.0 * ties.len() as f64 / (n as f64 * (n - 1) as f64) } else { 0.0 };
    Snapshot { at, meetings_from, networks, ties, density, components, shared }
}

/// What changed between two snapshots of the same programme.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Network names of the ties present now and not before, sorted.
    pub gained: Vec<(String, String)>,
    pub lost: Vec<(String, String)>,
    pub density_before: f64,
    pub density_after: f64,
}

impl Change {
    pub fn density_change(&self) -> f64 {
        self.density_after - self.density_before
    }
}

/// Each tie's network ids (ascending) with its network names.
type Pairs = BTreeMap<(String, String), (String, String)>;

fn pair_names(snapshot: &Snapshot) -> Pairs {
    snapshot
        .ties
        .iter()
        .map(|t| {
            let (a, b) = (&snapshot.networks[t.a], &snapshot.networks[t.b]);
            let key = if a.id < b.id { (a.id.clone(), b.id.clone()) } else { (b.id.clone(), a.id.clone()) };
            (key, (a.name.clone(), b.name.clone()))
        })
        .collect()
}

pub fn change(before: &Snapshot, after: &Snapshot) -> Change {
    let (old, new) = (pair_names(before), pair_names(after));
    let only = |x: &Pairs, y: &Pairs| {
        let mut names: Vec<(String, String)> =
            x.iter().filter(|(k, _)| !y.contains_key(*k)).map(|(_, v)| v.clone()).collect();
        names.sort();
        names
    };
    Change {
        gained: only(&new, &old),
        lost: only(&old, &new),
        density_before: before.density,
        density_after: after.density,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn network(id: &str) -> TieNetwork {
        TieNetwork { id: id.into(), name: format!("Rete {id}") }
    }

    fn span(network: &str, organisation: &str, joined: Option<Date>, left: Option<Date>) -> MembershipSpan {
        MembershipSpan {
            network_id: network.into(),
            organisation_id: organisation.into(),
            organisation_name: format!("Ente {organisation}"),
            joined_on: joined,
            left_on: left,
        }
    }

    fn meeting(id: &str, network: &str, on: Date, via: Via, target: &str) -> Participation {
        Participation {
            meeting_id: id.into(),
            meeting_title: format!("Incontro {id}"),
            meeting_network_id: network.into(),
            on,
            via,
            target_id: target.into(),
        }
    }

    fn data() -> TieData {
        TieData {
            networks: ["a", "b", "c", "d"].into_iter().map(network).collect(),
            memberships: vec![
                span("a", "x", None, None),
                span("b", "x", Some(date!(2024 - 01 - 01)), None),
                span("b", "y", None, Some(date!(2025 - 01 - 01))),
                span("c", "y", None, None),
                span("d", "z", None, None),
                span("a", "w", None, None),
                span("c", "w", None, None),
            ],
            participations: vec![
                // A workshop of c with d invited.
                meeting("m1", "c", date!(2024 - 06 - 01), Via::Network, "d"),
                // z (a member of d) attends a meeting of a: a–d.
                meeting("m2", "a", date!(2024 - 09 - 01), Via::Attendee, "z"),
                // w attends a meeting of a: w is a member of a, so no tie with c through it.
                meeting("m3", "a", date!(2024 - 09 - 01), Via::Attendee, "w"),
            ],
        }
    }

    fn names(s: &Snapshot) -> Vec<(String, String, usize, TieKind, bool)> {
        s.ties
            .iter()
            .map(|t| (s.networks[t.a].id.clone(), s.networks[t.b].id.clone(), t.weight(), t.kind(), t.bridge))
            .collect()
    }

    #[test]
    fn ties_from_organisations_and_meetings_at_a_date() {
        let s = snapshot(&data(), date!(2024 - 12 - 31));
        assert_eq!(
            names(&s),
            [
                ("a".into(), "b".into(), 1, TieKind::Organisations, false),
                ("a".into(), "c".into(), 1, TieKind::Organisations, false),
                ("a".into(), "d".into(), 1, TieKind::Meetings, false),
                ("b".into(), "c".into(), 1, TieKind::Organisations, false),
                ("c".into(), "d".into(), 1, TieKind::Meetings, false),
            ]
        );
        assert_eq!(s.shared.iter().map(|o| o.id.as_str()).collect::<Vec<_>>(), ["w", "x", "y"]);
        assert!((s.density - 5.0 / 6.0).abs() < 1e-12);
        assert_eq!(s.components, 1);

        // A year later: y has left b, the meetings are out of the window.
        let later = snapshot(&data(), date!(2025 - 12 - 31));
        assert_eq!(
            names(&later),
            [
                ("a".into(), "b".into(), 1, TieKind::Organisations, true),
                ("a".into(), "c".into(), 1, TieKind::Organisations, true),
            ]
        );
        assert!(later.networks[0].cut_point);
        let change = change(&s, &later);
        assert_eq!(change.lost.len(), 3);
        assert!(change.gained.is_empty());
        assert!(change.density_change() < 0.0);

        // Before x joined b: no a–b tie.
        let early = snapshot(&data(), date!(2023 - 12 - 31));
        assert!(early.tie_between("a", "b").is_none());
        assert!(early.tie_between("b", "c").is_some());
    }

    #[test]
    fn a_member_sees_the_ties_of_their_networks() {
        let s = snapshot(&data(), date!(2024 - 12 - 31)).restricted_to(&["d".to_owned()]);
        assert_eq!(s.networks.iter().map(|n| n.id.as_str()).collect::<Vec<_>>(), ["a", "c", "d"]);
        assert_eq!(s.ties.len(), 2);
        assert!(s.shared.is_empty());
    }
}
