//! Impact indicators (SPEC §7, decision 0043): the catalogue of built-in indicators, each computed
//! from the records and never typed, the periods they are asked for (`2026`, `2026-Q1`,
//! `2026-03`), targets, the programme median and the short story of what changed.
//!
//! Every built-in indicator has a stable code (the API's, the CLI's, the exports'), a Fluent label
//! key, a unit, what it measures over a period (a flow in the period, a stock at its last day, or
//! a change between the first and the last observation up to its last day) and how a programme's
//! figure follows from its networks'.

use crate::FieldError;
use std::fmt;
use time::{Date, Month};

/// A period of the calendar, in Italy: a year, a quarter or a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Period {
    Year(i32),
    /// The year and the quarter, 1 to 4.
    Quarter(i32, u8),
    /// The year and the month, 1 to 12.
    Month(i32, u8),
}

/// The years a period may name.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

impl Period {
    /// `2026`, `2026-Q1` (or `2026-q1`), `2026-03`; `field` names the field in the error.
    pub fn parse(field: &str, input: &str) -> Result<Period, FieldError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(FieldError::new(field, "error-required"));
        }
        let invalid = || FieldError::new(field, "error-indicators-period-invalid").with_arg("value", input);
        let year = |text: &str| -> Result<i32, FieldError> {
            let year: i32 = (text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()))
                .then(|| text.parse().ok())
                .flatten()
                .ok_or_else(invalid)?;
            if YEARS.contains(&year) {
                Ok(year)
            } else {
                Err(FieldError::new(field, "error-indicators-period-year").with_arg("value", input))
            }
        };
        let Some((head, tail)) = input.split_once('-') else { return Ok(Period::Year(year(input)?)) };
        let y = year(head)?;
        let number = |text: &str| -> Option<u8> {
            (!text.is_empty() && text.len() <= 2 && text.bytes().all(|b| b.is_ascii_digit()))
                .then(|| text.parse().ok())
                .flatten()
        };
        if let Some(digits) = tail.strip_prefix(['Q', 'q']) {
            return match number(digits) {
                Some(q @ 1..=4) if digits.len() == 1 => Ok(Period::Quarter(y, q)),
                _ => Err(invalid()),
            };
        }
        match number(tail) {
            Some(m @ 1..=12) if tail.len() == 2 => Ok(Period::Month(y, m)),
            _ => Err(invalid()),
        }
    }

    pub fn year(self) -> i32 {
        match self {
            Period::Year(y) | Period::Quarter(y, _) | Period::Month(y, _) => y,
        }
    }

    pub fn first_day(self) -> Date {
        let (year, month) = match self {
            Period::Year(y) => (y, 1),
            Period::Quarter(y, q) => (y, (q - 1) * 3 + 1),
            Period::Month(y, m) => (y, m),
        };
        Date::from_calendar_date(year, month_of(month), 1).expect("periods hold valid months")
    }

    pub fn last_day(self) -> Date {
        let (year, month) = match self {
            Period::Year(y) => (y, 12),
            Period::Quarter(y, q) => (y, q * 3),
            Period::Month(y, m) => (y, m),
        };
        let month = month_of(month);
        Date::from_calendar_date(year, month, month.length(year)).expect("the last day of a month is valid")
    }

    /// The period of the same length just before this one.
    pub fn previous(self) -> Period {
        match self {
            Period::Year(y) => Period::Year(y - 1),
            Period::Quarter(y, 1) => Period::Quarter(y - 1, 4),
            Period::Quarter(y, q) => Period::Quarter(y, q - 1),
            Period::Month(y, 1) => Period::Month(y - 1, 12),
            Period::Month(y, m) => Period::Month(y, m - 1),
        }
    }

    /// The four quarters of the period's year: the points of a dashboard's time series.
    pub fn quarters(self) -> [Period; 4] {
        let y = self.year();
        [Period::Quarter(y, 1), Period::Quarter(y, 2), Period::Quarter(y, 3), Period::Quarter(y, 4)]
    }

    /// The period's year, this year in Italy by default.
    pub fn containing(day: Date) -> Period {
        Period::Year(day.year())
    }

    /// Whether the period lies within the dates of a programme (an open end does not bound it).
    pub fn within(self, starts_on: Option<Date>, ends_on: Option<Date>) -> bool {
        starts_on.is_none_or(|s| s <= self.first_day()) && ends_on.is_none_or(|e| self.last_day() <= e)
    }
}

fn month_of(number: u8) -> Month {
    Month::try_from(number).expect("months are 1..=12")
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Year(y) => write!(f, "{y:04}"),
            Period::Quarter(y, q) => write!(f, "{y:04}-Q{q}"),
            Period::Month(y, m) => write!(f, "{y:04}-{m:02}"),
        }
    }
}

/// What a figure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Count,
    Hours,
    /// Points of the reading tool's index (0–100).
    Points,
    /// A density (0–1).
    Ratio,
}

impl Unit {
    pub const ALL: [Unit; 4] = [Unit::Count, Unit::Hours, Unit::Points, Unit::Ratio];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Unit::Count => "count",
            Unit::Hours => "hours",
            Unit::Points => "points",
            Unit::Ratio => "ratio",
        }
    }

    /// The unit of a code; `field` names the field in the error.
    pub fn parse(field: &str, code: &str) -> Result<Unit, FieldError> {
        Unit::ALL
            .into_iter()
            .find(|u| u.code() == code.trim())
            .ok_or_else(|| FieldError::new(field, "error-custom-unit-invalid"))
    }

    /// The Fluent id of its name.
    pub fn label_key(self) -> String {
        format!("custom-unit-{}", self.code())
    }

    /// The decimals a figure of this unit is shown with.
    pub fn decimals(self) -> usize {
        match self {
            Unit::Count => 0,
            Unit::Hours => 2,
            Unit::Points => 1,
            Unit::Ratio => 3,
        }
    }
}

/// What a figure measures over a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// What happened in the period.
    Flow,
    /// What holds on the period's last day.
    Stock,
    /// The change from the first observation to the last one up to the period's last day.
    Change,
}

/// How a programme's figure follows from its networks'.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregation {
    /// The sum of the networks' figures.
    Sum,
    /// The records counted once however many networks they belong to (an organisation in two
    /// networks, a person at meetings of two networks).
    Distinct,
    /// The mean of the figures of the networks that have one.
    Mean,
}

/// How a figure is broken down beside its total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Breakdown {
    /// By kind of organisation (`comune`, `terzo_settore`, …).
    OrganisationKind,
    /// By kind and mode of meeting (`workshop/in_presenza`, …).
    MeetingKindMode,
}

/// The built-in indicators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Indicator {
    NetworksSupported,
    MemberOrganisations,
    NewMembers,
    CrossNetworkTies,
    MeetingsHeld,
    ParticipantsUnique,
    PersonMeetings,
    AccompanimentHours,
    LabParticipants,
    PracticesDrafted,
    PracticesPublished,
    ReadingIndexChange,
    DensityChange,
    ObjectivesWithoutResponsible,
}

impl Indicator {
    pub const ALL: [Indicator; 14] = [
        Indicator::NetworksSupported,
        Indicator::MemberOrganisations,
        Indicator::NewMembers,
        Indicator::CrossNetworkTies,
        Indicator::MeetingsHeld,
        Indicator::ParticipantsUnique,
        Indicator::PersonMeetings,
        Indicator::AccompanimentHours,
        Indicator::LabParticipants,
        Indicator::PracticesDrafted,
        Indicator::PracticesPublished,
        Indicator::ReadingIndexChange,
        Indicator::DensityChange,
        Indicator::ObjectivesWithoutResponsible,
    ];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Indicator::NetworksSupported => "networks_supported",
            Indicator::MemberOrganisations => "member_organisations",
            Indicator::NewMembers => "new_members",
            Indicator::CrossNetworkTies => "cross_network_ties",
            Indicator::MeetingsHeld => "meetings_held",
            Indicator::ParticipantsUnique => "participants_unique",
            Indicator::PersonMeetings => "person_meetings",
            Indicator::AccompanimentHours => "accompaniment_hours",
            Indicator::LabParticipants => "lab_participants",
            Indicator::PracticesDrafted => "practices_drafted",
            Indicator::PracticesPublished => "practices_published",
            Indicator::ReadingIndexChange => "reading_index_change",
            Indicator::DensityChange => "density_change",
            Indicator::ObjectivesWithoutResponsible => "objectives_without_responsible",
        }
    }

    /// The indicator of a code; `field` names the field in the error.
    pub fn parse(field: &str, code: &str) -> Result<Indicator, FieldError> {
        let code = code.trim();
        if code.is_empty() {
            return Err(FieldError::new(field, "error-required"));
        }
        Indicator::ALL
            .into_iter()
            .find(|i| i.code() == code)
            .ok_or_else(|| FieldError::new(field, "error-indicators-unknown").with_arg("value", code))
    }

    /// The Fluent id of its name.
    pub fn label_key(self) -> String {
        format!("indicators-name-{}", self.code().replace('_', "-"))
    }

    /// The Fluent id of the sentence saying what it counts.
    pub fn help_key(self) -> String {
        format!("indicators-help-{}", self.code().replace('_', "-"))
    }

    pub fn unit(self) -> Unit {
        match self {
            Indicator::AccompanimentHours => Unit::Hours,
            Indicator::ReadingIndexChange => Unit::Points,
            Indicator::DensityChange => Unit::Ratio,
            _ => Unit::Count,
        }
    }

    pub fn measure(self) -> Measure {
        match self {
            Indicator::NetworksSupported
            | Indicator::MemberOrganisations
            | Indicator::CrossNetworkTies
            | Indicator::ObjectivesWithoutResponsible => Measure::Stock,
            Indicator::ReadingIndexChange | Indicator::DensityChange => Measure::Change,
            _ => Measure::Flow,
        }
    }

    pub fn aggregation(self) -> Aggregation {
        match self {
            Indicator::MemberOrganisations
            | Indicator::CrossNetworkTies
            | Indicator::ParticipantsUnique
            | Indicator::LabParticipants => Aggregation::Distinct,
            Indicator::ReadingIndexChange | Indicator::DensityChange => Aggregation::Mean,
            _ => Aggregation::Sum,
        }
    }

    pub fn breakdown(self) -> Option<Breakdown> {
        match self {
            Indicator::MemberOrganisations => Some(Breakdown::OrganisationKind),
            Indicator::MeetingsHeld => Some(Breakdown::MeetingKindMode),
            _ => None,
        }
    }

    /// Whether more is better (a gap in the matrix is not).
    pub fn higher_is_better(self) -> bool {
        self != Indicator::ObjectivesWithoutResponsible
    }

    /// A figure as shown: the unit's decimals, a sign on changes.
    pub fn format(self, value: f64) -> String {
        let decimals = self.unit().decimals();
        if self.measure() == Measure::Change { format!("{value:+.decimals$}") } else { format!("{value:.decimals$}") }
    }
}

/// The programme's figure from its networks' (for [`Aggregation::Sum`] and [`Aggregation::Mean`];
/// a distinct count is counted apart, over the records).
pub fn aggregate(aggregation: Aggregation, values: &[f64]) -> Option<f64> {
    match aggregation {
        Aggregation::Sum | Aggregation::Distinct => Some(values.iter().sum()),
        Aggregation::Mean if values.is_empty() => None,
        Aggregation::Mean => Some(values.iter().sum::<f64>() / values.len() as f64),
    }
}

/// The median of some figures (the mean of the middle two for an even count), `None` for none.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if sorted.is_empty() {
        return None;
    }
    sorted.sort_by(f64::total_cmp);
    let middle = sorted.len() / 2;
    Some(if sorted.len().is_multiple_of(2) { (sorted[middle - 1] + sorted[middle]) / 2.0 } else { sorted[middle] })
}

/// The most a target may be.
pub const MAX_TARGET: f64 = 1_000_000_000.0;

/// A target as typed in the form or sent to the API.
#[derive(Debug, Clone, Default)]
pub struct TargetRaw {
    pub indicator: String,
    pub period: String,
    pub value: String,
}

/// A valid target: an indicator, a period within the programme and a value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TargetInput {
    pub indicator: Indicator,
    pub period: Period,
    pub value: f64,
}

impl TargetInput {
    /// Checks every field; a period outside the programme's dates is refused with them.
    pub fn parse(
        raw: &TargetRaw,
        programme_starts_on: Option<Date>,
        programme_ends_on: Option<Date>,
    ) -> Result<TargetInput, crate::FieldErrors> {
        let mut errors = crate::FieldErrors::default();
        let indicator = errors.check(Indicator::parse("indicators_code", &raw.indicator));
        let period =
            errors.check(period_within("indicators_period", &raw.period, programme_starts_on, programme_ends_on));
        let value = errors.check(figure_value("indicators_value", &raw.value));
        match (indicator, period, value) {
            (Some(indicator), Some(period), Some(value)) if errors.is_empty() => {
                Ok(TargetInput { indicator, period, value })
            }
            _ => Err(errors),
        }
    }
}

/// A period within the programme's dates; one outside is refused naming them. `field` names the
/// field in the error.
pub fn period_within(
    field: &str,
    input: &str,
    programme_starts_on: Option<Date>,
    programme_ends_on: Option<Date>,
) -> Result<Period, FieldError> {
    let period = Period::parse(field, input)?;
    if period.within(programme_starts_on, programme_ends_on) {
        return Ok(period);
    }
    let day = |d: Option<Date>| d.map(crate::dates::format).unwrap_or_else(|| "…".to_owned());
    Err(FieldError::new(field, "error-indicators-period-outside")
        .with_arg("value", period)
        .with_arg("from", day(programme_starts_on))
        .with_arg("to", day(programme_ends_on)))
}

/// A figure as typed (a target, a value entered by hand): a number from 0 to [`MAX_TARGET`], with
/// a decimal comma or point; `field` names the field in the error.
pub fn figure_value(field: &str, input: &str) -> Result<f64, FieldError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(FieldError::new(field, "error-required"));
    }
    match crate::reading::parse_decimal(input) {
        Some(value) if value.is_finite() && (0.0..=MAX_TARGET).contains(&value) => Ok(value),
        _ => Err(FieldError::new(field, "error-indicators-value-invalid")),
    }
}

/// One sentence of a dashboard's story: a Fluent id and its arguments. `indicator`, when set, is
/// passed translated as `$indicator`.
#[derive(Debug, Clone, PartialEq)]
pub struct Sentence {
    pub key: &'static str,
    pub indicator: Option<Indicator>,
    pub args: Vec<(&'static str, String)>,
}

impl Sentence {
    fn new(key: &'static str) -> Sentence {
        Sentence { key, indicator: None, args: Vec::new() }
    }

    fn arg(mut self, name: &'static str, value: impl ToString) -> Sentence {
        self.args.push((name, value.to_string()));
        self
    }
}

/// One indicator's figures for a story: now, in the period before, and the target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StoryFigure {
    pub indicator: Indicator,
    pub now: Option<f64>,
    pub before: Option<f64>,
    pub target: Option<f64>,
}

/// What changed, in a few sentences (SPEC §7's story: stronger networks, more competent, more able
/// to govern integrated interventions): new members, municipalities joining, meetings and people
/// reached, the reading tool's index, then every target met or missed. `municipalities` are the
/// member municipalities (comuni) now and at the end of the period before.
pub fn story(figures: &[StoryFigure], municipalities: (i64, i64)) -> Vec<Sentence> {
    let get = |indicator: Indicator| figures.iter().find(|f| f.indicator == indicator);
    let count = |value: f64| value.round() as i64;
    let mut sentences = Vec::new();
    if let Some(new) = get(Indicator::NewMembers).and_then(|f| f.now).filter(|v| *v > 0.0) {
        let key = if count(new) == 1 { "indicators-story-new-member" } else { "indicators-story-new-members" };
        sentences.push(Sentence::new(key).arg("count", count(new)));
    }
    let (now, before) = municipalities;
    if now > before {
        // Fluent's plural selectors need numbers; the variants are chosen here instead.
        let key = match (now - before, now) {
            (1, 1) => "indicators-story-municipality-first",
            (1, 2) => "indicators-story-municipality-second",
            (1, 3) => "indicators-story-municipality-third",
            (1, _) => "indicators-story-municipality-another",
            _ => "indicators-story-municipalities",
        };
        sentences.push(Sentence::new(key).arg("count", now).arg("joined", now - before));
    }
    if let Some(f) = get(Indicator::MeetingsHeld)
        && let Some(now) = f.now
    {
        let before = f.before.unwrap_or(0.0);
        let key = if now > before {
            "indicators-story-meetings-up"
        } else if now < before {
            "indicators-story-meetings-down"
        } else {
            "indicators-story-meetings-same"
        };
        sentences.push(Sentence::new(key).arg("count", count(now)).arg("before", count(before)));
    }
    if let Some(people) = get(Indicator::ParticipantsUnique).and_then(|f| f.now).filter(|v| *v > 0.0) {
        sentences.push(Sentence::new("indicators-story-participants").arg("count", count(people)));
    }
    if let Some(change) = get(Indicator::ReadingIndexChange).and_then(|f| f.now) {
        let key = if change >= 0.0 { "indicators-story-reading-up" } else { "indicators-story-reading-down" };
        sentences.push(Sentence::new(key).arg("value", format!("{:.1}", change.abs())));
    }
    for f in figures {
        let (Some(now), Some(target)) = (f.now, f.target) else { continue };
        let met = if f.indicator.higher_is_better() { now >= target } else { now <= target };
        let key = if met { "indicators-story-target-met" } else { "indicators-story-target-missed" };
        sentences.push(Sentence {
            key,
            indicator: Some(f.indicator),
            args: vec![("value", f.indicator.format(now)), ("target", f.indicator.format(target))],
        });
    }
    sentences
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn periods_are_years_quarters_and_months() {
        assert_eq!(Period::parse("period", "2026"), Ok(Period::Year(2026)));
        assert_eq!(Period::parse("period", " 2026-Q1 "), Ok(Period::Quarter(2026, 1)));
        assert_eq!(Period::parse("period", "2026-q4"), Ok(Period::Quarter(2026, 4)));
        assert_eq!(Period::parse("period", "2026-03"), Ok(Period::Month(2026, 3)));
        let q3 = Period::Quarter(2026, 3);
        assert_eq!((q3.first_day(), q3.last_day()), (date!(2026 - 07 - 01), date!(2026 - 09 - 30)));
        assert_eq!(Period::Month(2024, 2).last_day(), date!(2024 - 02 - 29));
        assert_eq!(Period::Year(2026).last_day(), date!(2026 - 12 - 31));
        assert_eq!(Period::Quarter(2026, 1).previous(), Period::Quarter(2025, 4));
        assert_eq!(Period::Month(2026, 1).previous(), Period::Month(2025, 12));
    }

    #[test]
    fn bad_periods_say_why() {
        for bad in ["26", "2026-Q5", "2026-Q0", "2026-Q01", "2026-13", "2026-3", "2026-00", "2026/03", "marzo", "2026-"]
        {
            let error = Period::parse("period", bad).unwrap_err();
            assert_eq!((error.field.as_str(), error.code), ("period", "error-indicators-period-invalid"), "{bad}");
        }
        assert_eq!(Period::parse("period", "1999").unwrap_err().code, "error-indicators-period-year");
        assert_eq!(Period::parse("period", " ").unwrap_err().code, "error-required");
    }

    proptest! {
        #[test]
        fn a_period_reads_back_from_its_code(year in 2000i32..=2100, q in 1u8..=4, m in 1u8..=12) {
            for period in [Period::Year(year), Period::Quarter(year, q), Period::Month(year, m)] {
                prop_assert_eq!(Period::parse("period", &period.to_string()), Ok(period));
                prop_assert!(period.first_day() <= period.last_day());
                prop_assert_eq!(period.previous().last_day().next_day(), Some(period.first_day()));
            }
        }
    }

    #[test]
    fn every_code_reads_back_and_unknown_ones_are_named() {
        for indicator in Indicator::ALL {
            assert_eq!(Indicator::parse("code", indicator.code()), Ok(indicator));
        }
        let error = Indicator::parse("code", "happiness").unwrap_err();
        assert_eq!((error.code, error.args[0].1.as_str()), ("error-indicators-unknown", "happiness"));
    }

    #[test]
    fn medians_and_means() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&[]), None);
        assert_eq!(aggregate(Aggregation::Mean, &[1.0, 2.0]), Some(1.5));
        assert_eq!(aggregate(Aggregation::Mean, &[]), None);
        assert_eq!(aggregate(Aggregation::Sum, &[]), Some(0.0));
    }

    #[test]
    fn a_target_outside_the_programme_is_refused_with_its_dates() {
        let raw = TargetRaw { indicator: "new_members".into(), period: "2027-Q1".into(), value: "3".into() };
        let errors = TargetInput::parse(&raw, Some(date!(2025 - 01 - 01)), Some(date!(2026 - 12 - 31))).unwrap_err();
        let error = errors.get("indicators_period").unwrap();
        assert_eq!(error.code, "error-indicators-period-outside");
        assert!(error.args.contains(&("to", "31/12/2026".to_owned())), "{error:?}");
        let ok = TargetRaw { period: "2026".into(), value: "12,5".into(), ..raw.clone() };
        let target = TargetInput::parse(&ok, Some(date!(2025 - 01 - 01)), Some(date!(2026 - 12 - 31))).unwrap();
        assert_eq!(target.value, 12.5);
        let bad = TargetRaw { indicator: "x".into(), period: "2026".into(), value: "-1".into() };
        let errors = TargetInput::parse(&bad, None, None).unwrap_err();
        assert_eq!(errors.for_field("indicators_code"), Some("error-indicators-unknown"));
        assert_eq!(errors.for_field("indicators_value"), Some("error-indicators-value-invalid"));
    }

    #[test]
    fn the_story_tells_members_municipalities_and_targets() {
        let figures = [
            StoryFigure { indicator: Indicator::NewMembers, now: Some(3.0), before: Some(1.0), target: None },
            StoryFigure { indicator: Indicator::AccompanimentHours, now: Some(40.0), before: None, target: Some(30.0) },
            StoryFigure { indicator: Indicator::MeetingsHeld, now: Some(2.0), before: Some(5.0), target: Some(4.0) },
        ];
        let keys: Vec<&str> = story(&figures, (2, 1)).iter().map(|s| s.key).collect();
        assert_eq!(
            keys,
            [
                "indicators-story-new-members",
                "indicators-story-municipality-second",
                "indicators-story-meetings-down",
                "indicators-story-target-met",
                "indicators-story-target-missed"
            ]
        );
    }
}
