//! A network's sustainability plan, as its page's forms and `PUT /api/v1/networks/{id}/sustainability`
//! give it (decision 0044): the plan's summary, its funding sources, the commitments of member
//! organisations after the programme, its risks, the growth spaces it will pursue, and the reviews
//! at the reading-tool rounds. Fields new to the plan are named `sustain_…`, so that their labels
//! (`field-sustain-…`) belong to this plan alone.

use super::{DESCRIPTION_CHARS, TEXT_CHARS, date, finish, line_text, required_line_text, text, value};
use crate::sustainability::{FundingKind, FundingStatus, Level, parse_euro};
use crate::{FieldError, FieldErrors};
use serde::Deserialize;
use time::Date;

/// The longest note or text of one item, in characters.
pub const NOTE_CHARS: usize = 2_000;
/// The most items one list of a plan may hold.
pub const MAX_ITEMS: usize = 100;

/// The plan's summary as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SummaryRaw {
    pub sustain_summary: Option<String>,
}

/// The plan's summary: Markdown, possibly empty.
pub fn parse_summary(raw: &SummaryRaw) -> Result<String, FieldErrors> {
    let mut errors = FieldErrors::default();
    let summary = text(&mut errors, "sustain_summary", &raw.sustain_summary, DESCRIPTION_CHARS);
    finish(errors, Some(summary))
}

/// A funding source as typed: the amount in euro.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SourceRaw {
    pub kind: Option<String>,
    pub sustain_amount: Option<String>,
    pub status: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceInput {
    pub kind: FundingKind,
    /// Cents; `None` when the amount is not known yet.
    pub amount_cents: Option<i64>,
    pub status: FundingStatus,
    pub note: String,
}

impl SourceInput {
    pub fn parse(raw: &SourceRaw) -> Result<SourceInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let kind = errors.check(FundingKind::parse(value(&raw.kind)));
        let amount_cents = match value(&raw.sustain_amount).trim() {
            "" => Some(None),
            typed => errors.check(parse_euro(typed)).map(Some),
        };
        let status = errors.check(FundingStatus::parse(value(&raw.status)));
        let note = text(&mut errors, "note", &raw.note, NOTE_CHARS);
        let input = (|| Some(SourceInput { kind: kind?, amount_cents: amount_cents?, status: status?, note }))();
        finish(errors, input)
    }
}

/// A member organisation's commitment as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CommitmentRaw {
    pub organisation_id: Option<String>,
    pub sustain_commitment: Option<String>,
    /// Until when, `YYYY-MM-DD` or `dd/mm/yyyy`; blank for no end.
    pub sustain_until: Option<String>,
}

/// What checking a commitment needs: the ids of the network's current member organisations.
pub struct CommitmentContext<'a> {
    pub members: &'a [&'a str],
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitmentInput {
    pub organisation_id: String,
    pub commitment: String,
    pub until: Option<Date>,
}

impl CommitmentInput {
    pub fn parse(raw: &CommitmentRaw, context: &CommitmentContext) -> Result<CommitmentInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let organisation_id = match value(&raw.organisation_id).trim() {
            "" => {
                errors.push("organisation_id", "error-required");
                None
            }
            id if context.members.contains(&id) => Some(id.to_owned()),
            _ => {
                errors.push("organisation_id", "error-sustain-not-member");
                None
            }
        };
        let commitment = required_line_text(&mut errors, "sustain_commitment", &raw.sustain_commitment, TEXT_CHARS);
        let until = date(&mut errors, "sustain_until", &raw.sustain_until, super::Source::Typed);
        let input =
            (|| Some(CommitmentInput { organisation_id: organisation_id?, commitment: commitment?, until: until? }))();
        finish(errors, input)
    }
}

/// A risk as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RiskRaw {
    pub description: Option<String>,
    pub sustain_likelihood: Option<String>,
    pub sustain_impact: Option<String>,
    pub sustain_mitigation: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskInput {
    pub description: String,
    pub likelihood: Level,
    pub impact: Level,
    pub mitigation: String,
}

impl RiskInput {
    pub fn parse(raw: &RiskRaw) -> Result<RiskInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let description = required_line_text(&mut errors, "description", &raw.description, TEXT_CHARS);
        let likelihood = errors.check(Level::parse("sustain_likelihood", value(&raw.sustain_likelihood)));
        let impact = errors.check(Level::parse("sustain_impact", value(&raw.sustain_impact)));
        let mitigation = text(&mut errors, "sustain_mitigation", &raw.sustain_mitigation, NOTE_CHARS);
        let input =
            (|| Some(RiskInput { description: description?, likelihood: likelihood?, impact: impact?, mitigation }))();
        finish(errors, input)
    }
}

/// A growth space the network will pursue, as typed: one of its computed growth spaces (an
/// organisation of its territory), or a free text.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct GrowthRaw {
    pub organisation_id: Option<String>,
    pub sustain_growth_label: Option<String>,
    pub note: Option<String>,
}

/// What checking a growth space needs: the network's computed growth spaces, as (organisation id,
/// name).
pub struct GrowthContext<'a> {
    pub spaces: &'a [(&'a str, &'a str)],
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrowthInput {
    /// The organisation of a computed growth space; `None` for a free text.
    pub organisation_id: Option<String>,
    /// The free text, or the organisation's name when none is typed.
    pub label: String,
    pub note: String,
}

impl GrowthInput {
    pub fn parse(raw: &GrowthRaw, context: &GrowthContext) -> Result<GrowthInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let typed = line_text(&mut errors, "sustain_growth_label", &raw.sustain_growth_label, TEXT_CHARS);
        let note = text(&mut errors, "note", &raw.note, NOTE_CHARS);
        let chosen = value(&raw.organisation_id).trim();
        let input = if chosen.is_empty() {
            if typed.is_empty() {
                errors.push("sustain_growth_label", "error-sustain-growth-missing");
                None
            } else {
                Some(GrowthInput { organisation_id: None, label: typed, note })
            }
        } else {
            match context.spaces.iter().find(|(id, _)| *id == chosen) {
                Some((id, name)) => Some(GrowthInput {
                    organisation_id: Some((*id).to_owned()),
                    label: if typed.is_empty() { (*name).to_owned() } else { typed },
                    note,
                }),
                None => {
                    errors.push("organisation_id", "error-sustain-growth-unknown");
                    None
                }
            }
        };
        finish(errors, input)
    }
}

/// A review of the plan at a reading-tool round, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ReviewRaw {
    pub round_id: Option<String>,
    pub sustain_reviewed_on: Option<String>,
    pub note: Option<String>,
}

/// What checking a review needs: the programme's rounds that have opened, as (id, opening day);
/// the rounds the plan was reviewed at already; today.
pub struct ReviewContext<'a> {
    pub rounds: &'a [(&'a str, Date)],
    pub reviewed: &'a [&'a str],
    pub today: Date,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewInput {
    pub round_id: String,
    pub reviewed_on: Date,
    pub note: String,
}

impl ReviewInput {
    pub fn parse(raw: &ReviewRaw, context: &ReviewContext) -> Result<ReviewInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let round_id = match value(&raw.round_id).trim() {
            "" => {
                errors.push("round_id", "error-required");
                None
            }
            id if context.reviewed.contains(&id) => {
                errors.push("round_id", "error-sustain-review-exists");
                None
            }
            id => match context.rounds.iter().find(|(round, _)| *round == id) {
                Some((round, opens_on)) if *opens_on <= context.today => Some((*round).to_owned()),
                _ => {
                    errors.push("round_id", "error-sustain-round-invalid");
                    None
                }
            },
        };
        let reviewed_on = match date(&mut errors, "sustain_reviewed_on", &raw.sustain_reviewed_on, super::Source::Typed)
        {
            Some(Some(day)) if day > context.today => {
                errors.push("sustain_reviewed_on", "error-sustain-date-future");
                None
            }
            Some(Some(day)) => Some(day),
            Some(None) => {
                errors.push("sustain_reviewed_on", "error-required");
                None
            }
            None => None,
        };
        let note = text(&mut errors, "note", &raw.note, NOTE_CHARS);
        let input = (|| Some(ReviewInput { round_id: round_id?, reviewed_on: reviewed_on?, note }))();
        finish(errors, input)
    }
}

/// A whole plan, as `PUT /api/v1/networks/{id}/sustainability` replaces it.
#[derive(Debug, Clone, Default)]
pub struct PlanRaw {
    pub summary: SummaryRaw,
    pub sources: Vec<SourceRaw>,
    pub commitments: Vec<CommitmentRaw>,
    pub risks: Vec<RiskRaw>,
    pub growth: Vec<GrowthRaw>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanInput {
    pub summary: String,
    pub sources: Vec<SourceInput>,
    pub commitments: Vec<CommitmentInput>,
    pub risks: Vec<RiskInput>,
    pub growth: Vec<GrowthInput>,
}

/// Checks every item of `raws` with `parse`, naming an item's problems `list[index].field`.
fn list<R, T>(
    errors: &mut FieldErrors,
    name: &str,
    raws: &[R],
    parse: impl Fn(&R) -> Result<T, FieldErrors>,
) -> Vec<T> {
    if raws.len() > MAX_ITEMS {
        errors.add(FieldError::new(name, "error-sustain-too-many").with_arg("max", MAX_ITEMS));
        return Vec::new();
    }
    let mut items = Vec::new();
    for (index, raw) in raws.iter().enumerate() {
        match parse(raw) {
            Ok(item) => items.push(item),
            Err(problems) => errors.0.extend(problems.nested(name, index).0),
        }
    }
    items
}

impl PlanInput {
    pub fn parse(
        raw: &PlanRaw,
        commitments: &CommitmentContext,
        growth: &GrowthContext,
    ) -> Result<PlanInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let summary = parse_summary(&raw.summary).map_err(|e| errors.0.extend(e.0)).ok();
        let sources = list(&mut errors, "sources", &raw.sources, SourceInput::parse);
        let commitment_list =
            list(&mut errors, "commitments", &raw.commitments, |r| CommitmentInput::parse(r, commitments));
        let risks = list(&mut errors, "risks", &raw.risks, RiskInput::parse);
        let growth = list(&mut errors, "growth", &raw.growth, |r| GrowthInput::parse(r, growth));
        let input = summary.map(|summary| PlanInput { summary, sources, commitments: commitment_list, risks, growth });
        finish(errors, input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn some(text: &str) -> Option<String> {
        Some(text.to_owned())
    }

    #[test]
    fn a_source_is_read_and_a_bad_one_names_every_field() {
        let raw = SourceRaw {
            kind: some("foundation"),
            sustain_amount: some("12.500"),
            status: some("requested"),
            note: None,
        };
        let source = SourceInput::parse(&raw).unwrap();
        assert_eq!(
            (source.kind, source.amount_cents, source.status),
            (FundingKind::Foundation, Some(1_250_000), FundingStatus::Requested)
        );
        let blank = SourceInput::parse(&SourceRaw { sustain_amount: some(" "), ..raw }).unwrap();
        assert_eq!(blank.amount_cents, None);
        let bad = SourceRaw {
            kind: some("bank"),
            sustain_amount: some("tanti"),
            status: None,
            note: some(&"x".repeat(2_001)),
        };
        let fields: Vec<(String, &str)> =
            SourceInput::parse(&bad).unwrap_err().0.into_iter().map(|e| (e.field, e.code)).collect();
        let expected = [
            ("kind", "error-sustain-kind-invalid"),
            ("sustain_amount", "error-sustain-amount-invalid"),
            ("status", "error-required"),
            ("note", "error-too-long"),
        ];
        assert_eq!(fields, expected.map(|(f, c)| (f.to_owned(), c)));
    }

    #[test]
    fn a_commitment_is_a_members() {
        let members = ["org-a"];
        let context = CommitmentContext { members: &members };
        let raw = CommitmentRaw {
            organisation_id: some("org-a"),
            sustain_commitment: some("Mette a disposizione la sede"),
            sustain_until: some("31/12/2027"),
        };
        assert_eq!(CommitmentInput::parse(&raw, &context).unwrap().until, Some(date!(2027 - 12 - 31)));
        let stranger =
            CommitmentRaw { organisation_id: some("org-z"), sustain_commitment: None, sustain_until: some("domani") };
        let codes: Vec<&str> =
            CommitmentInput::parse(&stranger, &context).unwrap_err().0.iter().map(|e| e.code).collect();
        assert_eq!(codes, ["error-sustain-not-member", "error-required", "error-date-invalid"]);
    }

    #[test]
    fn a_growth_space_is_computed_or_typed() {
        let spaces = [("org-g", "Cooperativa Aurora")];
        let context = GrowthContext { spaces: &spaces };
        let chosen =
            GrowthInput::parse(&GrowthRaw { organisation_id: some("org-g"), ..GrowthRaw::default() }, &context)
                .unwrap();
        assert_eq!((chosen.organisation_id.as_deref(), chosen.label.as_str()), (Some("org-g"), "Cooperativa Aurora"));
        let typed = GrowthInput::parse(
            &GrowthRaw { sustain_growth_label: some("  Le  scuole "), ..GrowthRaw::default() },
            &context,
        )
        .unwrap();
        assert_eq!((typed.organisation_id, typed.label.as_str()), (None, "Le scuole"));
        let unknown =
            GrowthInput::parse(&GrowthRaw { organisation_id: some("org-x"), ..GrowthRaw::default() }, &context);
        assert_eq!(unknown.unwrap_err().for_field("organisation_id"), Some("error-sustain-growth-unknown"));
        let nothing = GrowthInput::parse(&GrowthRaw::default(), &context);
        assert_eq!(nothing.unwrap_err().for_field("sustain_growth_label"), Some("error-sustain-growth-missing"));
    }

    #[test]
    fn a_review_is_at_an_opened_round_not_yet_reviewed() {
        let rounds = [("r1", date!(2026 - 01 - 10)), ("r2", date!(2026 - 06 - 01)), ("r3", date!(2027 - 01 - 01))];
        let context = ReviewContext { rounds: &rounds, reviewed: &["r1"], today: date!(2026 - 07 - 01) };
        let raw =
            |round: &str, day: &str| ReviewRaw { round_id: some(round), sustain_reviewed_on: some(day), note: None };
        assert_eq!(ReviewInput::parse(&raw("r2", "2026-06-30"), &context).unwrap().reviewed_on, date!(2026 - 06 - 30));
        let code = |round: &str, day: &str| ReviewInput::parse(&raw(round, day), &context).unwrap_err().0[0].code;
        assert_eq!(code("r1", "2026-06-30"), "error-sustain-review-exists");
        assert_eq!(code("r3", "2026-06-30"), "error-sustain-round-invalid");
        assert_eq!(code("rx", "2026-06-30"), "error-sustain-round-invalid");
        let future = ReviewInput::parse(&raw("r2", "2026-07-02"), &context).unwrap_err();
        assert_eq!(future.for_field("sustain_reviewed_on"), Some("error-sustain-date-future"));
    }

    #[test]
    fn a_whole_plan_names_the_item_of_each_problem() {
        let members = ["org-a"];
        let spaces: [(&str, &str); 0] = [];
        let raw = PlanRaw {
            summary: SummaryRaw { sustain_summary: some("Il piano") },
            sources: vec![
                SourceRaw { kind: some("european"), status: some("obtained"), ..SourceRaw::default() },
                SourceRaw { kind: some("european"), status: some("won"), ..SourceRaw::default() },
            ],
            risks: vec![RiskRaw {
                description: some("Uscita del capofila"),
                sustain_likelihood: some("low"),
                sustain_impact: some("high"),
                ..RiskRaw::default()
            }],
            ..PlanRaw::default()
        };
        let errors =
            PlanInput::parse(&raw, &CommitmentContext { members: &members }, &GrowthContext { spaces: &spaces })
                .unwrap_err();
        assert_eq!(errors.0.len(), 1);
        assert_eq!(
            (errors.0[0].field.as_str(), errors.0[0].code),
            ("sources[1].status", "error-sustain-status-invalid")
        );
        let too_many = PlanRaw { risks: vec![RiskRaw::default(); MAX_ITEMS + 1], ..PlanRaw::default() };
        let errors =
            PlanInput::parse(&too_many, &CommitmentContext { members: &members }, &GrowthContext { spaces: &spaces })
                .unwrap_err();
        assert_eq!(errors.for_field("risks"), Some("error-sustain-too-many"));
    }
}
