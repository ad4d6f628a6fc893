//! The accompaniment diary (SPEC §4): a facilitator's entries on a network, with the hours spent.
//!
//! Hours are typed as decimals ("1,5", "2.25") and kept as hundredths of an hour, so that totals
//! are integer sums, exact on both engines.

use crate::{FieldError, FieldErrors, dates};
use serde::{Deserialize, Serialize};
use time::Date;

/// What kind of work an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiaryKind {
    /// Supporting a meeting of the network.
    MeetingSupport,
    /// Coaching the network's lead or coordination.
    Coaching,
    /// A phone call or an online contact.
    RemoteContact,
    /// Reading and commenting the network's documents.
    DocumentReview,
    /// A visit to the territory.
    FieldVisit,
}

impl DiaryKind {
    pub const ALL: [DiaryKind; 5] = [
        DiaryKind::MeetingSupport,
        DiaryKind::Coaching,
        DiaryKind::RemoteContact,
        DiaryKind::DocumentReview,
        DiaryKind::FieldVisit,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DiaryKind::MeetingSupport => "meeting_support",
            DiaryKind::Coaching => "coaching",
            DiaryKind::RemoteContact => "remote_contact",
            DiaryKind::DocumentReview => "document_review",
            DiaryKind::FieldVisit => "field_visit",
        }
    }

    pub fn parse(code: &str) -> Result<DiaryKind, FieldError> {
        if code.trim().is_empty() {
            return Err(FieldError::new("kind", "error-required"));
        }
        DiaryKind::ALL
            .into_iter()
            .find(|kind| kind.code() == code.trim())
            .ok_or_else(|| FieldError::new("kind", "error-diary-kind-invalid"))
    }

    /// The Fluent id of the label.
    pub fn label_key(self) -> String {
        format!("diary-kind-{}", self.code().replace('_', "-"))
    }
}

/// The most hours one entry may hold: one day.
pub const MAX_HUNDREDTHS: i64 = 24 * 100;
/// The longest text of a notes field, in characters.
pub const MAX_TEXT: usize = 20_000;

/// Hours as typed ("1,5", "1.5", "2") into hundredths of an hour: more than zero, at most 24, at
/// most two decimals.
pub fn parse_hours(input: &str) -> Result<i64, FieldError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(FieldError::new("hours", "error-required"));
    }
    let invalid = || FieldError::new("hours", "error-hours-invalid");
    let (whole, fraction) = input.split_once([',', '.']).unwrap_or((input, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) || whole.len() > 3 {
        return Err(invalid());
    }
    if fraction.len() > 2 {
        return Err(invalid());
    }
    let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| invalid())? };
    let fraction: i64 = format!("{fraction:0<2}").parse().map_err(|_| invalid())?;
    let hundredths = whole * 100 + fraction;
    if hundredths == 0 || hundredths > MAX_HUNDREDTHS {
        return Err(FieldError::new("hours", "error-hours-range"));
    }
    Ok(hundredths)
}

/// Hundredths of an hour as decimal hours the way the language writes them: "1,5" or "1.5".
pub fn format_hours(hundredths: i64, decimal_separator: char) -> String {
    let whole = hundredths / 100;
    let fraction = (hundredths % 100).abs();
    if fraction == 0 {
        whole.to_string()
    } else if fraction % 10 == 0 {
        format!("{whole}{decimal_separator}{}", fraction / 10)
    } else {
        format!("{whole}{decimal_separator}{fraction:02}")
    }
}

/// An entry as typed in a form or sent to the API.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct DiaryRaw {
    pub entry_date: String,
    pub hours: String,
    pub kind: String,
    pub notes: String,
    pub growth_spaces: String,
    pub next_steps: String,
}

/// What an entry is checked against: today (an entry records work done, not planned).
pub struct DiaryContext {
    pub today: Date,
}

/// A checked entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiaryEntryInput {
    pub entry_date: Date,
    pub hundredths: i64,
    pub kind: DiaryKind,
    pub notes: String,
    pub growth_spaces: String,
    pub next_steps: String,
}

impl DiaryEntryInput {
    /// Checks every field and reports every problem at once.
    pub fn parse(raw: &DiaryRaw, context: &DiaryContext) -> Result<DiaryEntryInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let entry_date = match dates::parse_optional("entry_date", &raw.entry_date) {
            Ok(Some(date)) if date > context.today => {
                errors.push("entry_date", "error-date-future");
                None
            }
            Ok(Some(date)) => Some(date),
            Ok(None) => {
                errors.push("entry_date", "error-required");
                None
            }
            Err(error) => {
                errors.0.push(error);
                None
            }
        };
        let hundredths = errors.check(parse_hours(&raw.hours));
        let kind = errors.check(DiaryKind::parse(&raw.kind));
        for (field, text) in
            [("notes", &raw.notes), ("growth_spaces", &raw.growth_spaces), ("next_steps", &raw.next_steps)]
        {
            if text.chars().count() > MAX_TEXT {
                errors.push(field, "error-text-too-long");
            }
        }
        match (entry_date, hundredths, kind) {
            (Some(entry_date), Some(hundredths), Some(kind)) if errors.is_empty() => Ok(DiaryEntryInput {
                entry_date,
                hundredths,
                kind,
                notes: raw.notes.trim().to_owned(),
                growth_spaces: raw.growth_spaces.trim().to_owned(),
                next_steps: raw.next_steps.trim().to_owned(),
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    fn raw(date: &str, hours: &str, kind: &str) -> DiaryRaw {
        DiaryRaw { entry_date: date.into(), hours: hours.into(), kind: kind.into(), ..DiaryRaw::default() }
    }

    const TODAY: DiaryContext = DiaryContext { today: date!(2026 - 03 - 10) };

    #[test]
    fn hours_are_read_in_both_notations() {
        assert_eq!(parse_hours("1,5"), Ok(150));
        assert_eq!(parse_hours("1.25"), Ok(125));
        assert_eq!(parse_hours(" 2 "), Ok(200));
        assert_eq!(parse_hours(",5"), Ok(50));
        assert_eq!(parse_hours("24"), Ok(2400));
        assert_eq!(parse_hours("24,01").unwrap_err().code, "error-hours-range");
        assert_eq!(parse_hours("0").unwrap_err().code, "error-hours-range");
        assert_eq!(parse_hours("-1").unwrap_err().code, "error-hours-invalid");
        assert_eq!(parse_hours("1,255").unwrap_err().code, "error-hours-invalid");
        assert_eq!(parse_hours("due").unwrap_err().code, "error-hours-invalid");
        assert_eq!(parse_hours("").unwrap_err().code, "error-required");
    }

    #[test]
    fn a_good_entry_is_read_and_a_bad_one_names_every_field() {
        let entry = DiaryEntryInput::parse(&raw("2026-03-09", "1,5", "coaching"), &TODAY).unwrap();
        assert_eq!((entry.hundredths, entry.kind), (150, DiaryKind::Coaching));
        let errors = DiaryEntryInput::parse(&raw("2026-03-11", "25", "chat"), &TODAY).unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["entry_date", "hours", "kind"]);
        assert_eq!(errors.for_field("entry_date"), Some("error-date-future"));
        let errors = DiaryEntryInput::parse(&raw("", "", ""), &TODAY).unwrap_err();
        assert!(errors.0.iter().all(|e| e.code == "error-required"), "{errors:?}");
    }

    proptest! {
        #[test]
        fn formatted_hours_read_back(hundredths in 1i64..=MAX_HUNDREDTHS, comma in any::<bool>()) {
            let text = format_hours(hundredths, if comma { ',' } else { '.' });
            prop_assert_eq!(parse_hours(&text), Ok(hundredths));
        }
    }
}
