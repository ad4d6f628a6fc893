//! Custom indicators of a programme (issue 12, decision 0046): defined by the coordination beside
//! the built-in ones, each either a formula over indicator codes (built-in, or other custom
//! indicators of the programme, never in a cycle), parsed by [`crate::indicator_formula`] and never
//! run as code, or values typed per period (and per network) with a file as evidence; and the
//! AMIF/FAMI common indicators (Regulation (EU) 2021/1147, Annex VIII) an indicator reports.

use crate::indicator_formula::{self, Expr, FormulaError, Op};
use crate::indicators::{Indicator, Period, Unit, figure_value, period_within};
use crate::{FieldError, FieldErrors};
use time::Date;

/// The longest label, in characters.
pub const MAX_LABEL: usize = 200;
/// The longest note of a value, in characters.
pub const MAX_NOTE: usize = 2000;
/// The longest code, in characters.
pub const MAX_CODE: usize = 40;

/// The common indicators of the AMIF's specific objective 2 (legal migration and integration), in
/// Annex VIII of Regulation (EU) 2021/1147: outputs (O) and results (R). Only these concern what a
/// programme of local integration networks does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AmifIndicator {
    /// Participants in pre-departure measures.
    PreDeparture,
    /// Local and regional authorities supported to implement integration measures.
    AuthoritiesSupported,
    /// Participants supported.
    ParticipantsSupported,
    /// … of which in a language course.
    LanguageCourse,
    /// … of which in a civic orientation course.
    CivicOrientation,
    /// … of which who received personalised professional guidance.
    ProfessionalGuidance,
    /// Information packages and campaigns on legal migration channels.
    InformationCampaigns,
    /// Participants receiving information or assistance for family reunification.
    FamilyReunification,
    /// Participants benefiting from mobility schemes.
    MobilitySchemes,
    /// Integration projects where local and regional authorities are the beneficiary.
    AuthorityProjects,
    /// Participants in language courses who improved their level by at least one CEFR level.
    LanguageImproved,
    /// Participants who report that the activity was helpful for their integration.
    HelpfulForIntegration,
    /// Participants who applied for recognition of qualifications acquired in a third country.
    QualificationRecognition,
    /// Participants who applied for a long-term residence status.
    LongTermResidence,
}

impl AmifIndicator {
    pub const ALL: [AmifIndicator; 14] = [
        AmifIndicator::PreDeparture,
        AmifIndicator::AuthoritiesSupported,
        AmifIndicator::ParticipantsSupported,
        AmifIndicator::LanguageCourse,
        AmifIndicator::CivicOrientation,
        AmifIndicator::ProfessionalGuidance,
        AmifIndicator::InformationCampaigns,
        AmifIndicator::FamilyReunification,
        AmifIndicator::MobilitySchemes,
        AmifIndicator::AuthorityProjects,
        AmifIndicator::LanguageImproved,
        AmifIndicator::HelpfulForIntegration,
        AmifIndicator::QualificationRecognition,
        AmifIndicator::LongTermResidence,
    ];

    /// The reference as the programme's reports write it: `O.2.2`, `R.2.9`.
    pub fn reference(self) -> &'static str {
        match self {
            AmifIndicator::PreDeparture => "O.2.1",
            AmifIndicator::AuthoritiesSupported => "O.2.2",
            AmifIndicator::ParticipantsSupported => "O.2.3",
            AmifIndicator::LanguageCourse => "O.2.3.1",
            AmifIndicator::CivicOrientation => "O.2.3.2",
            AmifIndicator::ProfessionalGuidance => "O.2.3.3",
            AmifIndicator::InformationCampaigns => "O.2.4",
            AmifIndicator::FamilyReunification => "O.2.5",
            AmifIndicator::MobilitySchemes => "O.2.6",
            AmifIndicator::AuthorityProjects => "O.2.7",
            AmifIndicator::LanguageImproved => "R.2.8",
            AmifIndicator::HelpfulForIntegration => "R.2.9",
            AmifIndicator::QualificationRecognition => "R.2.10",
            AmifIndicator::LongTermResidence => "R.2.11",
        }
    }

    /// The Fluent id of its name: `custom-amif-o-2-3-1`.
    pub fn label_key(self) -> String {
        format!("custom-amif-{}", self.reference().to_ascii_lowercase().replace('.', "-"))
    }

    /// The indicator of a reference (`O.2.2`, case and spaces ignored); `field` names the field.
    pub fn parse(field: &str, reference: &str) -> Result<AmifIndicator, FieldError> {
        let wanted = reference.trim();
        AmifIndicator::ALL
            .into_iter()
            .find(|a| a.reference().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| FieldError::new(field, "error-custom-amif-unknown").with_arg("value", wanted))
    }
}

/// The common indicator a built-in indicator reports, and the key of its breakdown that does when
/// only part of its figure does. Only where it truly applies: the member municipalities are local
/// authorities supported to implement integration measures; the people at the networks' meetings
/// are participants supported.
pub fn amif_of(indicator: Indicator) -> Option<(AmifIndicator, Option<&'static str>)> {
    match indicator {
        Indicator::MemberOrganisations => Some((AmifIndicator::AuthoritiesSupported, Some("comune"))),
        Indicator::ParticipantsUnique => Some((AmifIndicator::ParticipantsSupported, None)),
        _ => None,
    }
}

/// How a custom indicator gets its figures.
#[derive(Debug, Clone, PartialEq)]
pub enum Definition {
    /// Computed from other indicators.
    Formula(Expr),
    /// Typed per period, with a file as evidence when `evidence_required`.
    Manual { evidence_required: bool },
}

impl Definition {
    /// How the definition is stored: the formula (none for values typed by hand) and whether each
    /// value needs its evidence (never for a formula).
    pub fn stored(&self) -> (Option<Expr>, bool) {
        match self {
            Definition::Formula(expr) => (Some(expr.clone()), false),
            Definition::Manual { evidence_required } => (None, *evidence_required),
        }
    }
}

/// A custom indicator as typed in the form or sent to the API.
#[derive(Debug, Clone, Default)]
pub struct CustomIndicatorRaw {
    pub code: String,
    pub label_it: String,
    pub label_en: String,
    pub unit: String,
    /// `formula` or `manual`.
    pub kind: String,
    pub formula: String,
    pub evidence_required: bool,
    /// An AMIF reference such as `R.2.9`, or empty.
    pub amif: String,
}

/// A valid custom indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomIndicatorInput {
    pub code: String,
    pub label_it: String,
    /// The Italian label when none was given.
    pub label_en: String,
    pub unit: Unit,
    pub definition: Definition,
    pub amif: Option<AmifIndicator>,
}

/// Another custom indicator of the programme: its code and, for a formula, the formula.
#[derive(Debug, Clone, PartialEq)]
pub struct Known {
    pub code: String,
    pub formula: Option<Expr>,
}

impl CustomIndicatorInput {
    /// Checks every field against the built-in indicators and `others`, the programme's custom
    /// indicators: a code is new, a formula names only known indicators, makes no cycle and never
    /// divides by a constant zero. Fields are named `custom_…`.
    pub fn parse(raw: &CustomIndicatorRaw, others: &[Known]) -> Result<CustomIndicatorInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let code = errors.check(code(raw.code.trim(), others));
        let label_it = errors.check(label("custom_label_it", &raw.label_it, true));
        let label_en = errors.check(label("custom_label_en", &raw.label_en, false));
        let unit = errors.check(Unit::parse("custom_unit", &raw.unit));
        let definition = match raw.kind.trim() {
            "formula" => errors.check(
                formula(&raw.formula, code.as_deref().unwrap_or(raw.code.trim()), others).map(Definition::Formula),
            ),
            "manual" => Some(Definition::Manual { evidence_required: raw.evidence_required }),
            _ => errors.check(Err(FieldError::new("custom_kind", "error-custom-kind-invalid"))),
        };
        let amif = match raw.amif.trim() {
            "" => Some(None),
            reference => errors.check(AmifIndicator::parse("custom_amif", reference).map(Some)),
        };
        match (code, label_it, label_en, unit, definition, amif) {
            (Some(code), Some(label_it), Some(label_en), Some(unit), Some(definition), Some(amif))
                if errors.is_empty() =>
            {
                let label_en = if label_en.is_empty() { label_it.clone() } else { label_en };
                Ok(CustomIndicatorInput { code, label_it, label_en, unit, definition, amif })
            }
            _ => Err(errors),
        }
    }
}

/// The first of `others` whose formula names `code`: while one does, `code` cannot go.
pub fn named_by<'a>(code: &str, others: &'a [Known]) -> Option<&'a str> {
    others
        .iter()
        .find(|k| k.formula.as_ref().is_some_and(|f| indicator_formula::references(f).contains(&code)))
        .map(|k| k.code.as_str())
}

fn code(input: &str, others: &[Known]) -> Result<String, FieldError> {
    if input.is_empty() {
        return Err(FieldError::new("custom_code", "error-required"));
    }
    let mut chars = input.chars();
    let well_formed = chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && input.len() >= 2
        && input.len() <= MAX_CODE;
    if !well_formed {
        return Err(FieldError::new("custom_code", "error-custom-code-invalid").with_arg("max", MAX_CODE));
    }
    if Indicator::ALL.iter().any(|i| i.code() == input) || others.iter().any(|k| k.code == input) {
        return Err(FieldError::new("custom_code", "error-custom-code-taken").with_arg("value", input));
    }
    Ok(input.to_owned())
}

fn label(field: &str, input: &str, required: bool) -> Result<String, FieldError> {
    let input = input.trim();
    if input.is_empty() && required {
        return Err(FieldError::new(field, "error-required"));
    }
    if input.chars().count() > MAX_LABEL {
        return Err(FieldError::new(field, "error-too-long").with_arg("max", MAX_LABEL));
    }
    Ok(input.to_owned())
}

/// Parses the formula of the indicator `own` and checks it against the catalogue and `others`.
fn formula(text: &str, own: &str, others: &[Known]) -> Result<Expr, FieldError> {
    let field = "custom_formula";
    let expr = indicator_formula::parse(text).map_err(|e| e.field_error(field))?;
    for name in indicator_formula::references(&expr) {
        let known = Indicator::ALL.iter().any(|i| i.code() == name) || others.iter().any(|k| k.code == name);
        if !known {
            return Err(FormulaError::UnknownIndicator { name: name.to_owned() }.field_error(field));
        }
    }
    if divides_by_constant_zero(&expr) {
        return Err(FormulaError::DivisionByZero.field_error(field));
    }
    let mut all = others.to_vec();
    all.push(Known { code: own.to_owned(), formula: Some(expr.clone()) });
    if let Err(name) = evaluation_order(&all) {
        return Err(FieldError::new(field, "error-custom-formula-cycle").with_arg("name", name));
    }
    Ok(expr)
}

/// Whether some division's divisor names no indicator and is zero: a formula that can never be
/// computed.
fn divides_by_constant_zero(expr: &Expr) -> bool {
    match expr {
        Expr::Number(_) | Expr::Indicator(_) => false,
        Expr::Neg(inner) => divides_by_constant_zero(inner),
        Expr::Binary(op, left, right) => {
            let constant_zero = *op == Op::Div
                && indicator_formula::references(right).is_empty()
                && indicator_formula::evaluate(right, |_| None) == Ok(0.0);
            constant_zero || divides_by_constant_zero(left) || divides_by_constant_zero(right)
        }
    }
}

/// The order to compute `indicators` in, each after the custom ones its formula names; the code of
/// an indicator in a cycle otherwise.
pub fn evaluation_order(indicators: &[Known]) -> Result<Vec<usize>, String> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    fn visit(at: usize, all: &[Known], marks: &mut [Mark], order: &mut Vec<usize>) -> Result<(), String> {
        match marks[at] {
            Mark::Done => return Ok(()),
            Mark::Open => return Err(all[at].code.clone()),
            Mark::New => {}
        }
        marks[at] = Mark::Open;
        if let Some(expr) = &all[at].formula {
            for name in indicator_formula::references(expr) {
                if let Some(next) = all.iter().position(|k| k.code == name) {
                    visit(next, all, marks, order)?;
                }
            }
        }
        marks[at] = Mark::Done;
        order.push(at);
        Ok(())
    }
    let mut marks = vec![Mark::New; indicators.len()];
    let mut order = Vec::with_capacity(indicators.len());
    for at in 0..indicators.len() {
        visit(at, indicators, &mut marks, &mut order)?;
    }
    Ok(order)
}

/// The value of a formula where `lookup` gives, for each code, `None` when it is unknown and
/// `Some(None)` when it has no figure (a change without two observations, a value not typed):
/// then the formula has none either.
pub fn evaluate(expr: &Expr, lookup: impl Fn(&str) -> Option<Option<f64>>) -> Result<Option<f64>, FormulaError> {
    for name in indicator_formula::references(expr) {
        match lookup(name) {
            None => return Err(FormulaError::UnknownIndicator { name: name.to_owned() }),
            Some(None) => return Ok(None),
            Some(Some(_)) => {}
        }
    }
    indicator_formula::evaluate(expr, |name| lookup(name).flatten()).map(Some)
}

/// A value typed by hand, as in the form.
#[derive(Debug, Clone, Default)]
pub struct ManualValueRaw {
    pub period: String,
    pub value: String,
    pub note: String,
}

/// A valid value typed by hand.
#[derive(Debug, Clone, PartialEq)]
pub struct ManualValueInput {
    pub period: Period,
    pub value: f64,
    pub note: String,
}

impl ManualValueInput {
    /// Checks the value of an indicator that requires evidence (`evidence_required`) or not, with
    /// a file attached (`has_evidence`) or not; a period outside the programme is refused with its
    /// dates. Fields: `custom_period`, `custom_value`, `custom_note`, and `file` for the evidence.
    pub fn parse(
        raw: &ManualValueRaw,
        evidence_required: bool,
        has_evidence: bool,
        programme_starts_on: Option<Date>,
        programme_ends_on: Option<Date>,
    ) -> Result<ManualValueInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let period = errors.check(period_within("custom_period", &raw.period, programme_starts_on, programme_ends_on));
        let value = errors.check(figure_value("custom_value", &raw.value));
        let note = errors.check(if raw.note.trim().chars().count() > MAX_NOTE {
            Err(FieldError::new("custom_note", "error-too-long").with_arg("max", MAX_NOTE))
        } else {
            Ok(raw.note.trim().to_owned())
        });
        if evidence_required && !has_evidence {
            errors.add(FieldError::new("file", "error-custom-evidence-required"));
        }
        match (period, value, note) {
            (Some(period), Some(value), Some(note)) if errors.is_empty() => {
                Ok(ManualValueInput { period, value, note })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn an_indicator_named_by_another_formula_is_found() {
        let known = |code: &str, formula: Option<&str>| Known {
            code: code.into(),
            formula: formula.map(|f| indicator_formula::parse(f).unwrap()),
        };
        let others = [known("volontari", None), known("per_rete", Some("volontari / networks_supported"))];
        assert_eq!(named_by("volontari", &others), Some("per_rete"));
        assert_eq!(named_by("per_rete", &others), None);
        assert_eq!(named_by("volontari_bis", &others), None, "a name is matched whole");
    }

    #[test]
    fn a_definition_is_stored_as_a_formula_or_as_the_evidence_rule() {
        let expr = indicator_formula::parse("meetings_held * 2").unwrap();
        assert_eq!(Definition::Formula(expr.clone()).stored(), (Some(expr), false));
        assert_eq!(Definition::Manual { evidence_required: true }.stored(), (None, true));
        assert_eq!(Definition::Manual { evidence_required: false }.stored(), (None, false));
    }

    fn raw(code: &str, kind: &str, formula: &str) -> CustomIndicatorRaw {
        CustomIndicatorRaw {
            code: code.into(),
            label_it: "Ore per rete".into(),
            label_en: String::new(),
            unit: "hours".into(),
            kind: kind.into(),
            formula: formula.into(),
            evidence_required: false,
            amif: String::new(),
        }
    }

    fn known(code: &str, formula: Option<&str>) -> Known {
        Known { code: code.into(), formula: formula.map(|f| indicator_formula::parse(f).unwrap()) }
    }

    #[test]
    fn a_formula_over_built_ins_and_custom_indicators_is_accepted() {
        let others = [known("volunteers", None)];
        let input = CustomIndicatorInput::parse(
            &raw("hours_per_network", "formula", "accompaniment_hours / networks_supported + volunteers"),
            &others,
        )
        .unwrap();
        assert_eq!(input.label_en, "Ore per rete", "the Italian label when no English one");
        assert_eq!(input.unit, Unit::Hours);
        let Definition::Formula(expr) = &input.definition else { panic!("a formula") };
        assert_eq!(expr.to_string(), "accompaniment_hours / networks_supported + volunteers");
    }

    #[test]
    fn bad_indicators_name_their_fields() {
        let field = |raw: &CustomIndicatorRaw, others: &[Known], field: &str| {
            let errors = CustomIndicatorInput::parse(raw, others).unwrap_err();
            errors.get(field).cloned().unwrap_or_else(|| panic!("{field}: {errors:?}"))
        };
        let unknown = field(&raw("ratio_x", "formula", "happiness / 2"), &[], "custom_formula");
        assert_eq!((unknown.code, unknown.args[0].1.as_str()), ("error-sustain-formula-unknown", "happiness"));
        let zero = field(&raw("ratio_x", "formula", "meetings_held / (2 - 2)"), &[], "custom_formula");
        assert_eq!(zero.code, "error-sustain-formula-division-by-zero");
        let code = field(&raw("meetings_held", "manual", ""), &[], "custom_code");
        assert_eq!(code.code, "error-custom-code-taken");
        assert_eq!(field(&raw("Ore!", "manual", ""), &[], "custom_code").code, "error-custom-code-invalid");
        assert_eq!(
            field(&raw("own", "formula", "own + 1"), &[known("own", None)], "custom_code").code,
            "error-custom-code-taken"
        );
        let looping = [known("p", Some("q + 1")), known("q", Some("1"))];
        // `q` re-defined to name `p` would loop; as a new code naming both it does not.
        assert!(CustomIndicatorInput::parse(&raw("r_1", "formula", "p + q"), &looping).is_ok());
        let cycle = [known("p", Some("q + 1")), known("q", Some("p"))];
        assert_eq!(field(&raw("r_1", "formula", "p"), &cycle, "custom_formula").code, "error-custom-formula-cycle");
        assert_eq!(field(&raw("x_1", "boh", ""), &[], "custom_kind").code, "error-custom-kind-invalid");
        let bad_amif = CustomIndicatorRaw { amif: "X.9".into(), ..raw("x_1", "manual", "") };
        assert_eq!(field(&bad_amif, &[], "custom_amif").code, "error-custom-amif-unknown");
        let bad_unit = CustomIndicatorRaw { unit: "litri".into(), ..raw("x_1", "manual", "") };
        assert_eq!(field(&bad_unit, &[], "custom_unit").code, "error-custom-unit-invalid");
        let script = field(&raw("x_1", "formula", "system('rm -rf /')"), &[], "custom_formula");
        assert_eq!(script.code, "error-sustain-formula-unexpected-char");
        // A divisor that names an indicator is checked when computed, not refused.
        assert!(
            CustomIndicatorInput::parse(&raw("x_1", "formula", "1 / (meetings_held - meetings_held)"), &[]).is_ok()
        );
    }

    #[test]
    fn cycles_are_found_and_the_order_follows_references() {
        let chain = [known("c", Some("b + 1")), known("b", Some("a * 2")), known("a", None)];
        let order = evaluation_order(&chain).unwrap();
        let codes: Vec<&str> = order.iter().map(|&i| chain[i].code.as_str()).collect();
        assert_eq!(codes, ["a", "b", "c"]);
        let cycle = [known("p", Some("q + 1")), known("q", Some("p + 1"))];
        assert!(evaluation_order(&cycle).is_err());
    }

    #[test]
    fn a_formula_without_a_figure_has_none_and_unknown_codes_are_errors() {
        let expr = indicator_formula::parse("a / b").unwrap();
        let lookup = |name: &str| match name {
            "a" => Some(Some(6.0)),
            "b" => Some(Some(3.0)),
            "c" => Some(None),
            _ => None,
        };
        assert_eq!(evaluate(&expr, lookup), Ok(Some(2.0)));
        assert_eq!(evaluate(&indicator_formula::parse("a + c").unwrap(), lookup), Ok(None));
        assert!(matches!(
            evaluate(&indicator_formula::parse("z").unwrap(), lookup),
            Err(FormulaError::UnknownIndicator { .. })
        ));
        assert_eq!(
            evaluate(&indicator_formula::parse("a / (b - 3)").unwrap(), lookup),
            Err(FormulaError::DivisionByZero)
        );
    }

    #[test]
    fn a_manual_value_needs_its_evidence_when_required() {
        let raw = ManualValueRaw { period: "2026-Q1".into(), value: "12,5".into(), note: String::new() };
        let errors = ManualValueInput::parse(&raw, true, false, None, None).unwrap_err();
        assert_eq!(errors.for_field("file"), Some("error-custom-evidence-required"));
        let value = ManualValueInput::parse(&raw, true, true, None, None).unwrap();
        assert_eq!((value.period, value.value), (Period::Quarter(2026, 1), 12.5));
        let outside = ManualValueInput::parse(&raw, false, false, Some(date!(2026 - 04 - 01)), None).unwrap_err();
        assert_eq!(outside.for_field("custom_period"), Some("error-indicators-period-outside"));
        let bad = ManualValueRaw { value: "molti".into(), ..raw };
        assert_eq!(
            ManualValueInput::parse(&bad, false, false, None, None).unwrap_err().for_field("custom_value"),
            Some("error-indicators-value-invalid")
        );
    }

    #[test]
    fn amif_references_read_back_and_map_where_they_apply() {
        for amif in AmifIndicator::ALL {
            assert_eq!(AmifIndicator::parse("amif", &amif.reference().to_lowercase()), Ok(amif));
        }
        assert_eq!(amif_of(Indicator::ParticipantsUnique), Some((AmifIndicator::ParticipantsSupported, None)));
        assert_eq!(amif_of(Indicator::MeetingsHeld), None);
        assert_eq!(AmifIndicator::LanguageCourse.label_key(), "custom-amif-o-2-3-1");
    }

    proptest! {
        #[test]
        fn any_definition_is_refused_or_accepted_without_panicking(
            code in "\\PC{0,50}", formula in "[-+*/() 0-9.a-z_]{0,80}", kind in "formula|manual|\\PC{0,5}"
        ) {
            let raw = CustomIndicatorRaw { code, formula, kind, ..raw("x", "", "") };
            let others = [known("a", None), known("b", Some("a + 1"))];
            if let Ok(input) = CustomIndicatorInput::parse(&raw, &others)
                && let Definition::Formula(expr) = input.definition
            {
                let all = [known("a", None), known("b", Some("a + 1")), Known { code: input.code, formula: Some(expr) }];
                prop_assert!(evaluation_order(&all).is_ok());
            }
        }
    }
}
