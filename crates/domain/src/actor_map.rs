//! The actor map of a network (mappa degli attori, SPEC §4 and §5): the organisations in and around
//! the network and their relations, the snapshots that freeze them per reading round with their
//! metrics, the change between two snapshots, and the growth spaces (spazi di crescita) — the
//! organisations of the territory that could cover what the network leaves uncovered.
//!
//! Everything here is pure: the metrics are computed by the `graph` crate at the edge and arrive
//! as numbers; the ranking of growth spaces is documented on [`growth_spaces`].

use crate::columns::{Column, ColumnMap};
use crate::import::column_problems;
use crate::registry::RESOURCE_VOCABULARY;
use crate::text::fold;
use crate::{FieldError, FieldErrors, RowError, Table, TaxCode, dates};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use time::Date;

/// The longest note of a relation, in characters.
pub const MAX_NOTE: usize = 1000;
/// How many of a network's weakest reading dimensions count as needs.
pub const WEAK_DIMENSIONS: usize = 2;
/// The seed of the map's layout: the same relations always give the same drawing.
pub const LAYOUT_SEED: u64 = 0x4d41_5053;

/// The kind of a relation between two organisations (SPEC §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    #[serde(rename = "collaborazione")]
    Collaboration,
    #[serde(rename = "scambio_informazioni")]
    InformationExchange,
    #[serde(rename = "condivisione_risorse")]
    ResourceSharing,
    #[serde(rename = "accordo_formale")]
    FormalAgreement,
}

impl RelationKind {
    pub const ALL: [RelationKind; 4] = [
        RelationKind::Collaboration,
        RelationKind::InformationExchange,
        RelationKind::ResourceSharing,
        RelationKind::FormalAgreement,
    ];

    /// The code, as stored, exported and sent over the API.
    pub fn code(self) -> &'static str {
        match self {
            RelationKind::Collaboration => "collaborazione",
            RelationKind::InformationExchange => "scambio_informazioni",
            RelationKind::ResourceSharing => "condivisione_risorse",
            RelationKind::FormalAgreement => "accordo_formale",
        }
    }

    /// The Italian words a spreadsheet may use instead of the code.
    fn italian(self) -> &'static str {
        match self {
            RelationKind::Collaboration => "collaborazione",
            RelationKind::InformationExchange => "scambio di informazioni",
            RelationKind::ResourceSharing => "condivisione di risorse",
            RelationKind::FormalAgreement => "accordo formale",
        }
    }

    /// The code or the Italian name, in any case and with `_` or spaces; `field` names the field.
    pub fn parse(input: &str, field: &str) -> Result<RelationKind, FieldError> {
        let folded = fold(&input.trim().replace('_', " "));
        if folded.is_empty() {
            return Err(FieldError::new(field, "error-required"));
        }
        RelationKind::ALL
            .into_iter()
            .find(|kind| fold(&kind.code().replace('_', " ")) == folded || kind.italian() == folded)
            .ok_or_else(|| FieldError::new(field, "error-map-kind-invalid"))
    }

    pub fn label_key(self) -> String {
        format!("map-kind-{}", self.code().replace('_', "-"))
    }
}

/// A relation as typed in a form, a body or a spreadsheet row: every field a string.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct RelationRaw {
    pub organisation_a: String,
    pub organisation_b: String,
    pub kind: String,
    pub strength: String,
    pub since: String,
    pub note: String,
}

/// What a relation is checked against: the organisations that exist (not archived).
pub struct RelationContext<'a> {
    pub organisation_ids: &'a BTreeSet<String>,
}

/// A valid relation. The pair is undirected: `organisation_a` is the smaller id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RelationInput {
    pub organisation_a: String,
    pub organisation_b: String,
    pub kind: RelationKind,
    /// 1 (weak) to 3 (strong).
    pub strength: u8,
    pub since: Option<Date>,
    pub note: String,
}

impl RelationInput {
    pub fn parse(raw: &RelationRaw, context: &RelationContext<'_>) -> Result<RelationInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let mut organisation = |field: &str, value: &str| {
            let id = value.trim();
            if id.is_empty() {
                errors.push(field, "error-required");
                None
            } else if context.organisation_ids.contains(id) {
                Some(id.to_owned())
            } else {
                errors.push(field, "error-map-organisation-unknown");
                None
            }
        };
        let a = organisation("organisation_a", &raw.organisation_a);
        let b = organisation("organisation_b", &raw.organisation_b);
        if let (Some(a), Some(b)) = (&a, &b)
            && a == b
        {
            errors.push("organisation_b", "error-map-self-relation");
        }
        let kind = errors.check(RelationKind::parse(&raw.kind, "kind"));
        let strength = errors.check(parse_strength(&raw.strength));
        let since = errors.check(dates::parse_optional_cell("since", &raw.since));
        let note = raw.note.trim();
        if note.chars().count() > MAX_NOTE {
            errors.push("note", "error-text-too-long");
        }
        errors.into_result()?;
        let (Some(a), Some(b), Some(kind), Some(strength), Some(since)) = (a, b, kind, strength, since) else {
            unreachable!("every field parsed when there are no errors")
        };
        let (organisation_a, organisation_b) = if a <= b { (a, b) } else { (b, a) };
        Ok(RelationInput { organisation_a, organisation_b, kind, strength, since, note: note.to_owned() })
    }
}

/// A strength from 1 to 3; blank is 1 (a relation that exists is at least weak).
pub fn parse_strength(input: &str) -> Result<u8, FieldError> {
    let input = input.trim();
    if input.is_empty() {
        return Ok(1);
    }
    match input.parse::<i64>() {
        Ok(value @ 1..=3) => Ok(value as u8),
        Ok(_) => Err(FieldError::new("strength", "error-map-strength-range")),
        Err(_) => Err(FieldError::new("strength", "error-map-strength-range")),
    }
}

// ---------------------------------------------------------------------------------------------
// Import (same rules as the registry's: decision 0028)
// ---------------------------------------------------------------------------------------------

/// The columns of a relations file: the pair by tax code, as the export writes it.
pub const RELATION_COLUMNS: &[Column] = &[
    Column {
        field: "tax_code_a",
        aliases: &[
            "codice fiscale ente a",
            "cf ente a",
            "ente a codice fiscale",
            "tax code a",
            "organisation a tax code",
        ],
        required: true,
    },
    Column {
        field: "tax_code_b",
        aliases: &[
            "codice fiscale ente b",
            "cf ente b",
            "ente b codice fiscale",
            "tax code b",
            "organisation b tax code",
        ],
        required: true,
    },
    Column {
        field: "kind",
        aliases: &["tipo", "tipo di relazione", "tipologia", "kind", "relation kind"],
        required: true,
    },
    Column { field: "strength", aliases: &["intensità", "intensita", "forza", "strength"], required: false },
    Column { field: "since", aliases: &["dal", "da", "since", "data inizio", "inizio"], required: false },
    Column { field: "note", aliases: &["note", "nota", "notes"], required: false },
    Column { field: "name_a", aliases: &["ente a", "organisation a", "organization a"], required: false },
    Column { field: "name_b", aliases: &["ente b", "organisation b", "organization b"], required: false },
];

/// The tax codes a file names (valid ones only), for the caller to look up.
pub fn relation_tax_codes(table: &Table, map: &ColumnMap) -> Vec<String> {
    let mut codes = BTreeSet::new();
    for row in &table.rows {
        for field in ["tax_code_a", "tax_code_b"] {
            if let Ok(code) = TaxCode::parse(map.get(row, field)) {
                codes.insert(code.as_str().to_owned());
            }
        }
    }
    codes.into_iter().collect()
}

/// Reads every row of a relations file: the relations, or every problem by line and field
/// (missing columns on line 1, an organisation unknown by its tax code, a bad kind or strength, a
/// relation repeated in the file). `ids` maps tax codes to organisation ids.
pub fn parse_relations(
    table: &Table,
    map: &ColumnMap,
    ids: &BTreeMap<String, String>,
) -> Result<Vec<RelationInput>, Vec<RowError>> {
    let mut errors = column_problems(map);
    if !errors.is_empty() {
        return Err(errors);
    }
    if table.rows.is_empty() {
        return Err(vec![RowError::new(1, "file", "error-map-no-relations", "")]);
    }
    let known: BTreeSet<String> = ids.values().cloned().collect();
    let context = RelationContext { organisation_ids: &known };
    let mut relations = Vec::new();
    let mut seen: BTreeMap<(String, String, RelationKind), usize> = BTreeMap::new();
    for row in &table.rows {
        let cell = |field: &str| map.get(row, field).to_owned();
        let mut id_of = |field: &str| -> String {
            let typed = map.get(row, field);
            if typed.trim().is_empty() {
                return String::new();
            }
            match TaxCode::parse(typed) {
                Ok(code) => ids.get(code.as_str()).cloned().unwrap_or_else(|| format!("?{typed}")),
                Err(error) => {
                    errors.push(RowError::from_field(
                        row.line,
                        field,
                        FieldError { field: field.into(), ..error },
                        typed,
                    ));
                    String::from("?")
                }
            }
        };
        let raw = RelationRaw {
            organisation_a: id_of("tax_code_a"),
            organisation_b: id_of("tax_code_b"),
            kind: cell("kind"),
            strength: cell("strength"),
            since: cell("since"),
            note: cell("note"),
        };
        match RelationInput::parse(&raw, &context) {
            Ok(input) => {
                let key = (input.organisation_a.clone(), input.organisation_b.clone(), input.kind);
                if let Some(first) = seen.get(&key) {
                    errors.push(RowError::repeated(row.line, "kind", "error-duplicate-in-file", &raw.kind, *first));
                } else {
                    seen.insert(key, row.line);
                    relations.push(input);
                }
            }
            Err(problems) => {
                for problem in problems.0 {
                    // The form's fields are the file's tax-code columns.
                    let field = match problem.field.as_str() {
                        "organisation_a" => "tax_code_a",
                        "organisation_b" => "tax_code_b",
                        other => other,
                    }
                    .to_owned();
                    if field.starts_with("tax_code") && errors.iter().any(|e| e.line == row.line && e.field == field) {
                        continue;
                    }
                    let value = map.get(row, &field).to_owned();
                    errors.push(RowError::from_field(row.line, field, problem, &value));
                }
            }
        }
    }
    if errors.is_empty() { Ok(relations) } else { Err(errors) }
}

// ---------------------------------------------------------------------------------------------
// Snapshots
// ---------------------------------------------------------------------------------------------

/// One organisation of a snapshot, with its metrics (see the `graph` crate; networkx's).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapshotNode {
    pub organisation_id: String,
    pub name: String,
    pub member: bool,
    pub degree: usize,
    pub betweenness: f64,
    pub closeness: f64,
    /// `None` on a disconnected map.
    pub eigenvector: Option<f64>,
    pub clustering: f64,
    /// `None` for an organisation without relations.
    pub constraint: Option<f64>,
    pub community: usize,
}

/// One relation of a snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotRelation {
    pub organisation_a: String,
    pub organisation_b: String,
    pub kind: RelationKind,
    pub strength: u8,
}

/// A map frozen with its metrics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapshotData {
    pub density: f64,
    pub components: usize,
    pub modularity: Option<f64>,
    pub nodes: Vec<SnapshotNode>,
    pub relations: Vec<SnapshotRelation>,
}

/// How one organisation's position changed between two snapshots (`None`: absent from one).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeChange {
    pub organisation_id: String,
    pub name: String,
    pub degree_before: Option<usize>,
    pub degree_after: Option<usize>,
    pub betweenness_before: Option<f64>,
    pub betweenness_after: Option<f64>,
    pub closeness_before: Option<f64>,
    pub closeness_after: Option<f64>,
}

impl NodeChange {
    /// The change in betweenness (absent counts as 0).
    pub fn betweenness_delta(&self) -> f64 {
        self.betweenness_after.unwrap_or(0.0) - self.betweenness_before.unwrap_or(0.0)
    }

    pub fn degree_delta(&self) -> i64 {
        self.degree_after.unwrap_or(0) as i64 - self.degree_before.unwrap_or(0) as i64
    }
}

/// What changed from `before` to `after`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SnapshotChange {
    pub density_before: f64,
    pub density_after: f64,
    pub components_before: usize,
    pub components_after: usize,
    /// Relations (pair and kind) in `after` only.
    pub new_relations: Vec<SnapshotRelation>,
    /// Relations in `before` only.
    pub ended_relations: Vec<SnapshotRelation>,
    /// Every organisation of either snapshot, the largest change in betweenness first.
    pub nodes: Vec<NodeChange>,
}

/// The change between two snapshots.
pub fn compare(before: &SnapshotData, after: &SnapshotData) -> SnapshotChange {
    let key = |r: &SnapshotRelation| (r.organisation_a.clone(), r.organisation_b.clone(), r.kind);
    let old: BTreeSet<_> = before.relations.iter().map(key).collect();
    let new: BTreeSet<_> = after.relations.iter().map(key).collect();
    let mut nodes: BTreeMap<&str, NodeChange> = BTreeMap::new();
    for (node, is_after) in before.nodes.iter().map(|n| (n, false)).chain(after.nodes.iter().map(|n| (n, true))) {
        let change = nodes.entry(&node.organisation_id).or_insert_with(|| NodeChange {
            organisation_id: node.organisation_id.clone(),
            name: node.name.clone(),
            degree_before: None,
            degree_after: None,
            betweenness_before: None,
            betweenness_after: None,
            closeness_before: None,
            closeness_after: None,
        });
        if is_after {
            change.name = node.name.clone();
            change.degree_after = Some(node.degree);
            change.betweenness_after = Some(node.betweenness);
            change.closeness_after = Some(node.closeness);
        } else {
            change.degree_before = Some(node.degree);
            change.betweenness_before = Some(node.betweenness);
            change.closeness_before = Some(node.closeness);
        }
    }
    let mut nodes: Vec<NodeChange> = nodes.into_values().collect();
    nodes.sort_by(|a, b| {
        b.betweenness_delta()
            .abs()
            .total_cmp(&a.betweenness_delta().abs())
            .then_with(|| fold(&a.name).cmp(&fold(&b.name)))
    });
    SnapshotChange {
        density_before: before.density,
        density_after: after.density,
        components_before: before.components,
        components_after: after.components,
        new_relations: after.relations.iter().filter(|r| !old.contains(&key(r))).cloned().collect(),
        ended_relations: before.relations.iter().filter(|r| !new.contains(&key(r))).cloned().collect(),
        nodes,
    }
}

// ---------------------------------------------------------------------------------------------
// Growth spaces
// ---------------------------------------------------------------------------------------------

/// Something the network leaves uncovered.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Need {
    /// A matrix objective nobody is Responsible for.
    Objective { title: String },
    /// A matrix process nobody is Responsible for in any objective.
    Process { name: String },
    /// One of the network's weakest reading-tool dimensions, with its score (0..100).
    Dimension { name: String, score: f64 },
}

impl Need {
    /// How much covering this need is worth (see [`growth_spaces`]).
    pub fn weight(&self) -> f64 {
        match self {
            Need::Objective { .. } => 3.0,
            Need::Process { .. } => 2.0,
            Need::Dimension { score, .. } => ((100.0 - score) / 50.0).clamp(0.0, 2.0),
        }
    }

    fn text(&self) -> &str {
        match self {
            Need::Objective { title } => title,
            Need::Process { name } | Need::Dimension { name, .. } => name,
        }
    }
}

/// An organisation of the territory that is not a member, with its resources (registry tags).
#[derive(Debug, Clone)]
pub struct Candidate {
    pub organisation_id: String,
    pub name: String,
    pub resources: Vec<String>,
}

/// Why a candidate is proposed: it offers `resource`, and `need` is uncovered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    pub resource: String,
    pub need: Need,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GrowthSpace {
    pub organisation_id: String,
    pub name: String,
    pub score: f64,
    pub reasons: Vec<Reason>,
}

/// The words (folded stems) of needs each resource of the shared vocabulary answers, by the
/// vocabulary's code: a process "Comunicazione" is met by "Informazione e comunicazione", a weak
/// dimension "Empowerment di comunità" by "Animazione di comunità".
const RESOURCE_MEETS: &[(&str, &[&str])] = &[
    ("mediazione", &["mediaz", "servizi", "inclus", "access", "interculturale"]),
    ("italiano-l2", &["italian", "lingu", "scuol", "inclus"]),
    ("orientamento-lavoro", &["lavor", "occupaz", "economic"]),
    ("formazione-professionale", &["formaz", "lavor", "competenz"]),
    ("accoglienza", &["accogl", "servizi", "inclus"]),
    ("consulenza-legale", &["legal", "document", "servizi", "diritt"]),
    ("salute", &["salut", "sanitar", "servizi"]),
    ("supporto-psicologico", &["psicolog", "benessere", "servizi"]),
    ("scuola", &["scuol", "scolast", "dispersion", "istruz"]),
    ("minori", &["minori", "famigli", "scuol"]),
    ("informazione", &["comunicaz", "informaz", "narraz", "visibil"]),
    ("sportello", &["servizi", "access", "orientam", "sportell"]),
    ("spazi", &["spazi", "sede", "territori"]),
    ("volontariato", &["volontar", "coinvolg", "comunit"]),
    ("animazione-comunita", &["comunit", "coinvolg", "relazion", "empower", "territori"]),
    ("partecipazione", &["partecip", "cittadinanz", "empower", "coinvolg"]),
    ("cultura", &["cultur", "narraz", "sportiv"]),
    ("progettazione", &["fondi", "fundrais", "sostenib", "progett", "innovaz"]),
    ("ricerca", &["monitor", "valutaz", "ricerc", "innovaz"]),
    ("coordinamento", &["coordin", "squadra", "corresponsab", "process", "governance"]),
];

/// The stems a resource answers: those of its vocabulary entry (matched by code or by either
/// label), and for a free tag its own words of five letters or more, cut to five.
fn stems(resource: &str) -> Vec<String> {
    let folded = fold(resource);
    let code = RESOURCE_VOCABULARY
        .iter()
        .find(|(code, it, en)| *code == folded || fold(it) == folded || fold(en) == folded)
        .map(|(code, _, _)| *code);
    match code.and_then(|code| RESOURCE_MEETS.iter().find(|(c, _)| *c == code)) {
        Some((_, stems)) => stems.iter().map(|s| (*s).to_owned()).collect(),
        None => folded
            .split(|c: char| !c.is_alphanumeric())
            .filter(|word| word.chars().count() >= 5)
            .map(|word| word.chars().take(5).collect())
            .collect(),
    }
}

/// Whether `resource` answers `need`: a word of the need's name begins with one of its stems.
pub fn meets(resource: &str, need: &Need) -> bool {
    let text = fold(need.text());
    let words: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    stems(resource).iter().any(|stem| words.iter().any(|word| word.starts_with(stem.as_str())))
}

/// Ranks the candidates by what they could cover. Each need an organisation answers (through the
/// first of its resources that meets it) adds the need's weight: 3 for an objective without a
/// Responsible, 2 for a process without a Responsible, (100 − score) / 50 for a weak reading
/// dimension (0 to 2: the weaker, the more). Candidates that answer nothing are left out; ties go
/// by the number of needs met, then by name.
pub fn growth_spaces(candidates: &[Candidate], needs: &[Need]) -> Vec<GrowthSpace> {
    let mut ranked: Vec<GrowthSpace> = candidates
        .iter()
        .filter_map(|candidate| {
            let reasons: Vec<Reason> = needs
                .iter()
                .filter_map(|need| {
                    let resource = candidate.resources.iter().find(|r| meets(r, need))?;
                    Some(Reason { resource: resource.clone(), need: need.clone() })
                })
                .collect();
            if reasons.is_empty() {
                return None;
            }
            Some(GrowthSpace {
                organisation_id: candidate.organisation_id.clone(),
                name: candidate.name.clone(),
                score: reasons.iter().map(|r| r.need.weight()).sum(),
                reasons,
            })
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| b.reasons.len().cmp(&a.reasons.len()))
            .then_with(|| fold(&a.name).cmp(&fold(&b.name)))
    });
    ranked
}

/// The weakest scored dimensions, lowest first: at most [`WEAK_DIMENSIONS`], as needs.
pub fn weakest_dimensions(scored: &[(String, Option<f64>)]) -> Vec<Need> {
    let mut scored: Vec<(&String, f64)> = scored.iter().filter_map(|(name, s)| s.map(|s| (name, s))).collect();
    scored.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(b.0)));
    scored
        .into_iter()
        .take(WEAK_DIMENSIONS)
        .map(|(name, score)| Need::Dimension { name: name.clone(), score })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids() -> BTreeSet<String> {
        ["o1", "o2", "o3"].iter().map(|s| (*s).to_owned()).collect()
    }

    fn raw(a: &str, b: &str, kind: &str, strength: &str) -> RelationRaw {
        RelationRaw {
            organisation_a: a.into(),
            organisation_b: b.into(),
            kind: kind.into(),
            strength: strength.into(),
            ..RelationRaw::default()
        }
    }

    fn codes(errors: &FieldErrors) -> Vec<(&str, &str)> {
        errors.0.iter().map(|e| (e.field.as_str(), e.code)).collect()
    }

    #[test]
    fn a_relation_parses_and_orders_its_pair() {
        let ids = ids();
        let context = RelationContext { organisation_ids: &ids };
        let mut input = raw("o2", "o1", "Scambio di informazioni", "3");
        input.since = "01/02/2024".into();
        let relation = RelationInput::parse(&input, &context).unwrap();
        assert_eq!((relation.organisation_a.as_str(), relation.organisation_b.as_str()), ("o1", "o2"));
        assert_eq!(relation.kind, RelationKind::InformationExchange);
        assert_eq!(relation.strength, 3);
        assert_eq!(relation.since, dates::parse("2024-02-01"));
        assert_eq!(RelationInput::parse(&raw("o1", "o3", "accordo_formale", ""), &context).unwrap().strength, 1);
    }

    #[test]
    fn bad_relations_name_their_fields() {
        let ids = ids();
        let context = RelationContext { organisation_ids: &ids };
        let errors = RelationInput::parse(&raw("o1", "o1", "amicizia", "4"), &context).unwrap_err();
        assert_eq!(
            codes(&errors),
            [
                ("organisation_b", "error-map-self-relation"),
                ("kind", "error-map-kind-invalid"),
                ("strength", "error-map-strength-range")
            ]
        );
        let errors = RelationInput::parse(&raw("o1", "nope", "", "0"), &context).unwrap_err();
        assert_eq!(
            codes(&errors),
            [
                ("organisation_b", "error-map-organisation-unknown"),
                ("kind", "error-required"),
                ("strength", "error-map-strength-range")
            ]
        );
        let mut long = raw("", "o2", "collaborazione", "x");
        long.note = "a".repeat(MAX_NOTE + 1);
        long.since = "31/02/2024".into();
        let errors = RelationInput::parse(&long, &context).unwrap_err();
        assert_eq!(
            codes(&errors),
            [
                ("organisation_a", "error-required"),
                ("strength", "error-map-strength-range"),
                ("since", "error-date-invalid"),
                ("note", "error-text-too-long")
            ]
        );
    }

    #[test]
    fn kinds_round_trip() {
        for kind in RelationKind::ALL {
            assert_eq!(RelationKind::parse(kind.code(), "kind").unwrap(), kind);
            assert_eq!(RelationKind::parse(&kind.code().to_uppercase(), "kind").unwrap(), kind);
            assert!(kind.label_key().starts_with("map-kind-"));
        }
    }

    fn relations_file(csv: &str) -> Result<Vec<RelationInput>, Vec<RowError>> {
        let table = crate::table::read_table(csv.as_bytes()).unwrap();
        let map = crate::columns::map_table(&table, RELATION_COLUMNS);
        let codes = relation_tax_codes(&table, &map);
        let ids: BTreeMap<String, String> =
            codes.into_iter().filter(|c| c != "00743110157").map(|c| (c.clone(), format!("id-{c}"))).collect();
        parse_relations(&table, &map, &ids)
    }

    fn lines(errors: &[RowError]) -> Vec<(usize, &str, &str)> {
        errors.iter().map(|e| (e.line, e.field.as_str(), e.code)).collect()
    }

    #[test]
    fn a_relations_file_reads_like_the_export() {
        let csv = "Codice fiscale ente A;Ente A;Codice fiscale ente B;Ente B;Tipo;Intensità;Dal;Note\r\n\
                   01199250158;Comune;80012000826;Scuola;collaborazione;3;2024-01-15;tavolo\r\n\
                   80012000826;;01199250158;;Accordo formale;;;\r\n";
        let relations = relations_file(csv).unwrap();
        assert_eq!(relations.len(), 2);
        assert_eq!(relations[0].organisation_a, "id-01199250158");
        assert_eq!(relations[1].kind, RelationKind::FormalAgreement);
        assert_eq!(relations[1].strength, 1);
    }

    #[test]
    fn bad_relation_rows_are_named_by_line_and_field() {
        let csv = "Codice fiscale ente A;Codice fiscale ente B;Tipo;Intensità\r\n\
                   01199250158;00743110157;collaborazione;2\r\n\
                   01199250158;80012000826;collaborazione;4\r\n\
                   01199250158;01199250158;amicizia;1\r\n\
                   01199250158;80012000826;collaborazione;1\r\n\
                   ;80012000826;collaborazione;1\r\n";
        let errors = relations_file(csv).unwrap_err();
        assert_eq!(
            lines(&errors),
            [
                (2, "tax_code_b", "error-map-organisation-unknown"),
                (3, "strength", "error-map-strength-range"),
                (4, "tax_code_b", "error-map-self-relation"),
                (4, "kind", "error-map-kind-invalid"),
                (6, "tax_code_a", "error-required"),
            ]
        );
        let errors = relations_file("Codice fiscale ente A;Tipo\r\n01199250158;collaborazione\r\n").unwrap_err();
        assert_eq!(lines(&errors), [(1, "tax_code_b", "error-column-missing")]);
        let errors = relations_file("Codice fiscale ente A;Codice fiscale ente B;Tipo\r\n").unwrap_err();
        assert_eq!(lines(&errors), [(1, "file", "error-map-no-relations")]);
        let csv = "Codice fiscale ente A;Codice fiscale ente B;Tipo\r\n01199250158;80012000826;collaborazione\r\n\
                   80012000826;01199250158;collaborazione\r\n";
        assert_eq!(lines(&relations_file(csv).unwrap_err()), [(3, "kind", "error-duplicate-in-file")]);
    }

    fn node(id: &str, degree: usize, betweenness: f64) -> SnapshotNode {
        SnapshotNode {
            organisation_id: id.into(),
            name: id.to_uppercase(),
            member: true,
            degree,
            betweenness,
            closeness: 0.5,
            eigenvector: None,
            clustering: 0.0,
            constraint: None,
            community: 0,
        }
    }

    fn relation(a: &str, b: &str) -> SnapshotRelation {
        SnapshotRelation {
            organisation_a: a.into(),
            organisation_b: b.into(),
            kind: RelationKind::Collaboration,
            strength: 2,
        }
    }

    #[test]
    fn compare_finds_new_and_ended_relations_and_central_changes() {
        let before = SnapshotData {
            density: 0.5,
            components: 1,
            modularity: None,
            nodes: vec![node("a", 1, 0.0), node("b", 2, 1.0), node("c", 1, 0.0)],
            relations: vec![relation("a", "b"), relation("b", "c")],
        };
        let after = SnapshotData {
            density: 0.6,
            components: 1,
            modularity: None,
            nodes: vec![node("a", 2, 0.5), node("b", 1, 0.0), node("c", 1, 0.0), node("d", 1, 0.0)],
            relations: vec![relation("a", "b"), relation("a", "d")],
        };
        let change = compare(&before, &after);
        assert_eq!(change.new_relations, [relation("a", "d")]);
        assert_eq!(change.ended_relations, [relation("b", "c")]);
        assert_eq!(change.nodes[0].organisation_id, "b");
        assert_eq!(change.nodes[0].betweenness_delta(), -1.0);
        assert_eq!(change.nodes[1].organisation_id, "a");
        let d = change.nodes.iter().find(|n| n.organisation_id == "d").unwrap();
        assert_eq!((d.degree_before, d.degree_after, d.degree_delta()), (None, Some(1), 1));
        assert_eq!((change.density_before, change.density_after), (0.5, 0.6));
    }

    fn candidate(id: &str, resources: &[&str]) -> Candidate {
        Candidate {
            organisation_id: id.into(),
            name: id.into(),
            resources: resources.iter().map(|r| (*r).to_owned()).collect(),
        }
    }

    #[test]
    fn vocabulary_resources_meet_needs_by_their_stems() {
        let process = Need::Process { name: "Comunicazione".into() };
        assert!(meets("Informazione e comunicazione", &process));
        assert!(meets("informazione", &process));
        assert!(!meets("Supporto psicologico", &process));
        let dimension = Need::Dimension { name: "Empowerment di comunità".into(), score: 40.0 };
        assert!(meets("Animazione di comunità", &dimension));
        // A free tag meets a need through its own words.
        assert!(meets("Comunicazione sociale", &process));
        assert!(!meets("Orti", &process));
    }

    #[test]
    fn growth_spaces_are_ranked_by_weighted_needs_with_reasons() {
        let needs = vec![
            Need::Objective { title: "Raccolta fondi per lo sportello".into() },
            Need::Process { name: "Comunicazione".into() },
            Need::Dimension { name: "Coordinamento che cura i processi".into(), score: 30.0 },
        ];
        let ranked = growth_spaces(
            &[
                candidate("comms", &["Informazione e comunicazione"]),
                candidate("fund", &["Progettazione e fundraising", "Coordinamento di rete"]),
                candidate("none", &["Attività culturali e sportive"]),
            ],
            &needs,
        );
        let order: Vec<&str> = ranked.iter().map(|g| g.organisation_id.as_str()).collect();
        assert_eq!(order, ["fund", "comms"]);
        assert_eq!(ranked[0].score, 3.0 + 1.4);
        assert_eq!(ranked[0].reasons[0].resource, "Progettazione e fundraising");
        assert_eq!(ranked[0].reasons[1].resource, "Coordinamento di rete");
        assert_eq!(ranked[1].score, 2.0);
        assert_eq!(
            ranked[1].reasons,
            [Reason { resource: "Informazione e comunicazione".into(), need: needs[1].clone() }]
        );
    }

    #[test]
    fn ties_go_by_needs_then_name_and_weights_stay_in_range() {
        let needs = vec![Need::Process { name: "Monitoraggio".into() }];
        let ranked = growth_spaces(&[candidate("b", &["Ricerca e valutazione"]), candidate("a", &["ricerca"])], &needs);
        assert_eq!(ranked.iter().map(|g| g.name.as_str()).collect::<Vec<_>>(), ["a", "b"]);
        for score in [-10.0, 0.0, 50.0, 100.0, 130.0] {
            let weight = Need::Dimension { name: String::new(), score }.weight();
            assert!((0.0..=2.0).contains(&weight));
        }
    }

    #[test]
    fn weakest_dimensions_are_the_lowest_scored() {
        let dims = vec![
            ("A".to_owned(), Some(70.0)),
            ("B".to_owned(), None),
            ("C".to_owned(), Some(20.0)),
            ("D".to_owned(), Some(50.0)),
        ];
        assert_eq!(
            weakest_dimensions(&dims),
            [Need::Dimension { name: "C".into(), score: 20.0 }, Need::Dimension { name: "D".into(), score: 50.0 }]
        );
    }
}
