//! The validated input of each registry record, built in one place for the pages, the API and the
//! import: `XInput::parse(&raw, &context)`. `raw` holds what a form, a JSON body or an import row
//! gives, as text; the context carries what checking needs without I/O (the territory, where the
//! text comes from). Every problem is collected, so that a form, a call or a row is refused whole
//! with one [`FieldErrors`](crate::FieldErrors) naming each field.

pub mod edition;
pub mod membership;
pub mod network;
pub mod organisation;
pub mod person;
pub mod programme;
pub mod project;
pub mod sustainability;

pub use edition::{ChapterInput, ChapterRaw, EditionInput, EditionRaw};
pub use membership::{MembershipRaw, MembershipTerms};
pub use network::{NetworkContext, NetworkInput, NetworkRaw};
pub use organisation::{OrganisationContext, OrganisationInput, OrganisationRaw};
pub use person::{AffiliationInput, AffiliationRaw, PersonInput, PersonRaw};
pub use programme::{ActionLineInput, ActionLineRaw, NewProgramme, NewProgrammeRaw, ProgrammeInput, ProgrammeRaw};
pub use project::{ActionInput, ActionRaw, ProjectContext, ProjectInput, ProjectRaw};

use crate::text::fold;
use crate::{FieldError, FieldErrors, dates};
use time::Date;

/// Limits on free text, in characters.
pub const NAME_CHARS: usize = 300;
pub const SHORT_CHARS: usize = 100;
pub const TEXT_CHARS: usize = 300;
pub const DESCRIPTION_CHARS: usize = 10_000;

/// Where the text comes from. Spreadsheets write dates as Excel serial numbers, and a workbook
/// drops the leading zeros of a numeric tax code typed as a number; typed text has neither.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Source {
    /// A form or a JSON body.
    #[default]
    Typed,
    Csv,
    Workbook,
}

impl Source {
    pub(crate) fn spreadsheet(self) -> bool {
        self != Source::Typed
    }
}

/// `None` and blank are the same: nothing typed.
fn value(raw: &Option<String>) -> &str {
    raw.as_deref().unwrap_or("")
}

pub(crate) fn too_long(field: &str, max: usize) -> FieldError {
    FieldError::new(field, "error-too-long").with_arg("max", max)
}

/// A one-line text: trimmed, inner whitespace collapsed, at most `max` characters.
fn line_text(errors: &mut FieldErrors, field: &str, raw: &Option<String>, max: usize) -> String {
    let text = collapse(value(raw));
    if text.chars().count() > max {
        errors.add(too_long(field, max));
    }
    text
}

fn required_line_text(errors: &mut FieldErrors, field: &str, raw: &Option<String>, max: usize) -> Option<String> {
    let text = line_text(errors, field, raw, max);
    if text.is_empty() {
        errors.push(field, "error-required");
        return None;
    }
    Some(text)
}

/// A text of several lines: trimmed, at most `max` characters.
fn text(errors: &mut FieldErrors, field: &str, raw: &Option<String>, max: usize) -> String {
    let text = value(raw).trim();
    if text.chars().count() > max {
        errors.add(too_long(field, max));
    }
    text.to_owned()
}

/// Two optional dates, the second not before the first (reported on `end`).
fn period(
    errors: &mut FieldErrors,
    (start, end): (&str, &str),
    raw: (&Option<String>, &Option<String>),
    source: Source,
) -> (Option<Option<Date>>, Option<Option<Date>>) {
    let starts_on = date(errors, start, raw.0, source);
    let ends_on = date(errors, end, raw.1, source);
    if let (Some(Some(first)), Some(Some(last))) = (starts_on, ends_on)
        && last < first
    {
        errors.push(end, "error-date-order");
    }
    (starts_on, ends_on)
}

/// Action lines of the record's programme named by id or by number; `known` holds the
/// programme's (id, number) pairs. One error for the field, however many are wrong.
fn action_lines(errors: &mut FieldErrors, field: &str, typed: &[String], known: &[(&str, i64)]) -> Vec<String> {
    let mut ids = Vec::new();
    let mut wrong = false;
    for typed in typed.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        let number = typed.parse::<i64>().ok();
        match known.iter().find(|(id, n)| *id == typed || Some(*n) == number) {
            Some((id, _)) if !ids.iter().any(|known: &String| known == id) => ids.push((*id).to_owned()),
            Some(_) => {}
            None => wrong = true,
        }
    }
    if wrong {
        errors.push(field, "error-action-line-invalid");
    }
    ids
}

/// An optional value: blank is `Some(None)`; a parser's error is reported under `field`, whatever
/// field name the parser itself uses. `None` when there is an error.
fn optional<T>(
    errors: &mut FieldErrors,
    field: &str,
    raw: &Option<String>,
    parse: impl FnOnce(&str) -> Result<T, FieldError>,
) -> Option<Option<T>> {
    if value(raw).trim().is_empty() {
        return Some(None);
    }
    required(errors, field, raw, parse).map(Some)
}

/// A required value; a parser's error is reported under `field`.
fn required<T>(
    errors: &mut FieldErrors,
    field: &str,
    raw: &Option<String>,
    parse: impl FnOnce(&str) -> Result<T, FieldError>,
) -> Option<T> {
    match parse(value(raw)) {
        Ok(parsed) => Some(parsed),
        Err(error) => {
            errors.add(FieldError { field: field.to_owned(), ..error });
            None
        }
    }
}

/// An optional date, through [`dates`]: spreadsheet cells may also hold Excel serial numbers.
fn date(errors: &mut FieldErrors, field: &str, raw: &Option<String>, source: Source) -> Option<Option<Date>> {
    let parse = if source.spreadsheet() { dates::parse_optional_cell } else { dates::parse_optional };
    errors.check(parse(field, value(raw)))
}

/// Items typed one by one (a JSON list) or split from one cell: collapsed, without empty items,
/// without repeats (compared by [`fold`]; the first spelling wins), each at most `max` characters.
fn items(errors: &mut FieldErrors, field: &str, raw: &[String], max: usize) -> Vec<String> {
    let list = distinct(raw.iter().map(String::as_str));
    if list.iter().any(|item| item.chars().count() > max) {
        errors.add(too_long(field, max));
    }
    list
}

/// Collapsed, non-empty, distinct items (compared by [`fold`]; the first spelling wins).
pub fn distinct<'a>(typed: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    for item in typed {
        let item = collapse(item);
        let key = fold(&item);
        if !item.is_empty() && !keys.contains(&key) {
            keys.push(key);
            items.push(item);
        }
    }
    items
}

/// Collapses runs of whitespace (line breaks included) into one space.
pub fn collapse(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Finishes a parse: the value when every field was right, else every problem.
fn finish<T>(errors: FieldErrors, value: Option<T>) -> Result<T, FieldErrors> {
    match value {
        Some(value) if errors.is_empty() => Ok(value),
        _ => Err(errors),
    }
}
