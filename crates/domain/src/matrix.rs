//! The objectives–processes matrix (matrice organizzativa per obiettivi e processi, SPEC §4): rows
//! are a network's objectives, columns its processes, and each cell says which member
//! organisations are Responsible, Accountable, Consulted or Informed, and how far the work is.
//!
//! The analysis is pure: load per organisation, gaps (objectives nobody is responsible for) and
//! fragility (processes whose responsibility rests on one organisation).

use crate::{FieldError, FieldErrors};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The processes a network starts from (SPEC §4); each network then edits its own.
pub const DEFAULT_PROCESSES: [&str; 6] = [
    "Coordinamento",
    "Comunicazione",
    "Erogazione servizi",
    "Monitoraggio",
    "Raccolta fondi",
    "Coinvolgimento comunità",
];

/// The longest objective title and process name, in characters.
pub const MAX_TITLE: usize = 300;
pub const MAX_PROCESS_NAME: usize = 80;

/// RACI: who does the work, who answers for it, who is asked, who is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Raci {
    #[serde(rename = "R")]
    Responsible,
    #[serde(rename = "A")]
    Accountable,
    #[serde(rename = "C")]
    Consulted,
    #[serde(rename = "I")]
    Informed,
}

impl Raci {
    pub const ALL: [Raci; 4] = [Raci::Responsible, Raci::Accountable, Raci::Consulted, Raci::Informed];

    /// The letter, as stored and exported.
    pub fn code(self) -> &'static str {
        match self {
            Raci::Responsible => "R",
            Raci::Accountable => "A",
            Raci::Consulted => "C",
            Raci::Informed => "I",
        }
    }

    /// The letter in either case; `field` names the form field in the error.
    pub fn parse(input: &str, field: &str) -> Result<Raci, FieldError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(FieldError::new(field, "error-required"));
        }
        Raci::ALL
            .into_iter()
            .find(|raci| raci.code().eq_ignore_ascii_case(input))
            .ok_or_else(|| FieldError::new(field, "error-raci-invalid"))
    }

    pub fn label_key(self) -> String {
        format!("raci-{}", self.code().to_ascii_lowercase())
    }
}

/// How far the work of a cell has gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CellStatus {
    #[default]
    Planned,
    InProgress,
    Achieved,
    OnHold,
}

impl CellStatus {
    pub const ALL: [CellStatus; 4] =
        [CellStatus::Planned, CellStatus::InProgress, CellStatus::Achieved, CellStatus::OnHold];

    pub fn code(self) -> &'static str {
        match self {
            CellStatus::Planned => "planned",
            CellStatus::InProgress => "in_progress",
            CellStatus::Achieved => "achieved",
            CellStatus::OnHold => "on_hold",
        }
    }

    pub fn parse(input: &str) -> Result<CellStatus, FieldError> {
        CellStatus::ALL
            .into_iter()
            .find(|status| status.code() == input.trim())
            .ok_or_else(|| FieldError::new("status", "error-cell-status-invalid"))
    }

    pub fn label_key(self) -> String {
        format!("cell-status-{}", self.code().replace('_', "-"))
    }
}

/// An objective as typed: a title and, optionally, the action line it serves.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ObjectiveRaw {
    pub title: String,
    pub action_line_id: String,
}

/// The action lines of the network's programme, which an objective may point to.
pub struct ObjectiveContext<'a> {
    pub action_line_ids: &'a [String],
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectiveInput {
    pub title: String,
    pub action_line_id: Option<String>,
}

impl ObjectiveInput {
    pub fn parse(raw: &ObjectiveRaw, context: &ObjectiveContext<'_>) -> Result<ObjectiveInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let title = raw.title.trim();
        if title.is_empty() {
            errors.push("title", "error-required");
        } else if title.chars().count() > MAX_TITLE {
            errors.push("title", "error-text-too-long");
        }
        let line = raw.action_line_id.trim();
        let action_line_id = if line.is_empty() {
            None
        } else if context.action_line_ids.iter().any(|id| id == line) {
            Some(line.to_owned())
        } else {
            errors.push("action_line_id", "error-action-line-invalid");
            None
        };
        errors.into_result()?;
        Ok(ObjectiveInput { title: title.to_owned(), action_line_id })
    }
}

/// A process name: required, short.
pub fn parse_process_name(input: &str) -> Result<String, FieldError> {
    let name = input.trim();
    if name.is_empty() {
        return Err(FieldError::new("name", "error-required"));
    }
    if name.chars().count() > MAX_PROCESS_NAME {
        return Err(FieldError::new("name", "error-text-too-long"));
    }
    Ok(name.to_owned())
}

/// One organisation's role in one cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment<'a> {
    pub objective_id: &'a str,
    pub process_id: &'a str,
    pub organisation_id: &'a str,
    pub role: Raci,
}

/// How many cells an organisation holds in each role.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Load {
    pub responsible: usize,
    pub accountable: usize,
    pub consulted: usize,
    pub informed: usize,
}

impl Load {
    pub fn total(&self) -> usize {
        self.responsible + self.accountable + self.consulted + self.informed
    }

    fn add(&mut self, role: Raci) {
        match role {
            Raci::Responsible => self.responsible += 1,
            Raci::Accountable => self.accountable += 1,
            Raci::Consulted => self.consulted += 1,
            Raci::Informed => self.informed += 1,
        }
    }
}

/// The load of every organisation that holds a role somewhere, by organisation id.
pub fn load<'a>(assignments: &[Assignment<'a>]) -> BTreeMap<&'a str, Load> {
    let mut loads: BTreeMap<&str, Load> = BTreeMap::new();
    for assignment in assignments {
        loads.entry(assignment.organisation_id).or_default().add(assignment.role);
    }
    loads
}

/// The objectives (in the order given) that no organisation is Responsible for, in any process.
pub fn gaps<'a>(objective_ids: &[&'a str], assignments: &[Assignment<'_>]) -> Vec<&'a str> {
    let covered: BTreeSet<&str> =
        assignments.iter().filter(|a| a.role == Raci::Responsible).map(|a| a.objective_id).collect();
    objective_ids.iter().copied().filter(|id| !covered.contains(id)).collect()
}

/// The processes (in the order given) whose Responsible and Accountable roles, across all
/// objectives, rest on exactly one organisation, with that organisation: if it leaves, nobody
/// carries the process.
pub fn fragile<'a, 'b>(process_ids: &[&'a str], assignments: &[Assignment<'b>]) -> Vec<(&'a str, &'b str)> {
    let mut carriers: BTreeMap<&str, BTreeSet<&'b str>> = BTreeMap::new();
    for assignment in assignments.iter().filter(|a| matches!(a.role, Raci::Responsible | Raci::Accountable)) {
        carriers.entry(assignment.process_id).or_default().insert(assignment.organisation_id);
    }
    process_ids
        .iter()
        .filter_map(|id| match carriers.get(id) {
            Some(set) if set.len() == 1 => set.iter().next().map(|only| (*id, *only)),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn a<'a>(objective_id: &'a str, process_id: &'a str, organisation_id: &'a str, role: Raci) -> Assignment<'a> {
        Assignment { objective_id, process_id, organisation_id, role }
    }

    #[test]
    fn letters_are_read_in_either_case() {
        assert_eq!(Raci::parse("r", "role"), Ok(Raci::Responsible));
        assert_eq!(Raci::parse(" A ", "role"), Ok(Raci::Accountable));
        assert_eq!(Raci::parse("X", "role_1").unwrap_err(), FieldError::new("role_1", "error-raci-invalid"));
        assert_eq!(CellStatus::parse("in_progress"), Ok(CellStatus::InProgress));
        assert!(CellStatus::parse("done").is_err());
    }

    #[test]
    fn an_objective_needs_a_title_and_a_known_action_line() {
        let lines = vec!["line-1".to_owned()];
        let context = ObjectiveContext { action_line_ids: &lines };
        let raw = ObjectiveRaw { title: " Sportello unico ".into(), action_line_id: "line-1".into() };
        let input = ObjectiveInput::parse(&raw, &context).unwrap();
        assert_eq!((input.title.as_str(), input.action_line_id.as_deref()), ("Sportello unico", Some("line-1")));
        let errors =
            ObjectiveInput::parse(&ObjectiveRaw { title: " ".into(), action_line_id: "other".into() }, &context)
                .unwrap_err();
        assert_eq!(errors.for_field("title"), Some("error-required"));
        assert_eq!(errors.for_field("action_line_id"), Some("error-action-line-invalid"));
        assert_eq!(parse_process_name(&"x".repeat(81)).unwrap_err().code, "error-text-too-long");
    }

    #[test]
    fn load_gaps_and_fragility_of_a_small_matrix() {
        let assignments = [
            a("o1", "coord", "comune", Raci::Responsible),
            a("o1", "coord", "coop", Raci::Consulted),
            a("o1", "comm", "coop", Raci::Responsible),
            a("o2", "comm", "assoc", Raci::Accountable),
            a("o2", "coord", "comune", Raci::Accountable),
        ];
        let loads = load(&assignments);
        assert_eq!(loads["comune"], Load { responsible: 1, accountable: 1, consulted: 0, informed: 0 });
        assert_eq!(loads["coop"].total(), 2);
        assert_eq!(gaps(&["o1", "o2", "o3"], &assignments), ["o2", "o3"]);
        // Coordination rests on the municipality alone; communication has two carriers; funding none.
        assert_eq!(fragile(&["coord", "comm", "funds"], &assignments), [("coord", "comune")]);
    }

    fn arbitrary_assignments() -> impl Strategy<Value = Vec<(usize, usize, usize, usize)>> {
        prop::collection::vec((0usize..4, 0usize..3, 0usize..5, 0usize..4), 0..40)
    }

    const OBJECTIVES: [&str; 4] = ["o0", "o1", "o2", "o3"];
    const PROCESSES: [&str; 3] = ["p0", "p1", "p2"];
    const ORGANISATIONS: [&str; 5] = ["g0", "g1", "g2", "g3", "g4"];

    fn build(raw: &[(usize, usize, usize, usize)]) -> Vec<Assignment<'static>> {
        raw.iter().map(|&(o, p, g, r)| a(OBJECTIVES[o], PROCESSES[p], ORGANISATIONS[g], Raci::ALL[r])).collect()
    }

    proptest! {
        #[test]
        fn every_assignment_counts_once_in_the_load(raw in arbitrary_assignments()) {
            let assignments = build(&raw);
            let total: usize = load(&assignments).values().map(Load::total).sum();
            prop_assert_eq!(total, assignments.len());
        }

        #[test]
        fn an_objective_is_a_gap_exactly_when_nobody_is_responsible(raw in arbitrary_assignments()) {
            let assignments = build(&raw);
            let found = gaps(&OBJECTIVES, &assignments);
            for objective in OBJECTIVES {
                let responsible = assignments.iter().any(|a| a.objective_id == objective && a.role == Raci::Responsible);
                prop_assert_eq!(found.contains(&objective), !responsible);
            }
        }

        #[test]
        fn a_fragile_process_has_one_carrier_and_a_second_one_mends_it(raw in arbitrary_assignments()) {
            let mut assignments = build(&raw);
            for (process, only) in fragile(&PROCESSES, &assignments) {
                let carriers: BTreeSet<&str> = assignments
                    .iter()
                    .filter(|a| a.process_id == process && matches!(a.role, Raci::Responsible | Raci::Accountable))
                    .map(|a| a.organisation_id)
                    .collect();
                prop_assert_eq!(carriers.into_iter().collect::<Vec<_>>(), vec![only]);
            }
            let other = if fragile(&PROCESSES, &assignments).first().is_some_and(|(_, g)| *g == "g0") { "g1" } else { "g0" };
            if let Some((process, _)) = fragile(&PROCESSES, &assignments).first().copied() {
                assignments.push(a("o0", process, other, Raci::Responsible));
                prop_assert!(!fragile(&PROCESSES, &assignments).iter().any(|(p, _)| *p == process));
            }
        }
    }
}
