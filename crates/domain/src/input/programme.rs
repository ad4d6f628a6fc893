//! A programme, its details and its action lines, as the programme pages and
//! `POST`/`PUT /api/v1/programmes` give them.

use super::{NAME_CHARS, SHORT_CHARS, Source, finish, line_text, period, required_line_text, value};
use crate::FieldErrors;
use serde::Serialize;
use time::Date;

/// A new programme as typed.
#[derive(Debug, Clone, Default)]
pub struct NewProgrammeRaw {
    pub code: Option<String>,
    pub name: Option<String>,
}

/// A new programme: its code (spaces removed, upper case, e.g. `PROG-2463`) and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewProgramme {
    pub code: String,
    pub name: String,
}

impl NewProgramme {
    pub fn parse(raw: &NewProgrammeRaw) -> Result<NewProgramme, FieldErrors> {
        let mut errors = FieldErrors::default();
        let code = value(&raw.code).split_whitespace().collect::<String>().to_uppercase();
        if code.is_empty() {
            errors.push("code", "error-required");
        } else if code.chars().count() > SHORT_CHARS {
            errors.add(super::too_long("code", SHORT_CHARS));
        }
        let name = required_line_text(&mut errors, "name", &raw.name, NAME_CHARS);
        finish(errors, name.map(|name| NewProgramme { code, name }))
    }
}

/// A programme's details as typed.
#[derive(Debug, Clone, Default)]
pub struct ProgrammeRaw {
    pub name: Option<String>,
    pub fund: Option<String>,
    pub cup: Option<String>,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
}

/// A programme's valid details: a name, and dates in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProgrammeInput {
    pub name: String,
    pub fund: String,
    /// Codice Unico di Progetto.
    pub cup: String,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
}

impl ProgrammeInput {
    pub fn parse(raw: &ProgrammeRaw) -> Result<ProgrammeInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = required_line_text(&mut errors, "name", &raw.name, NAME_CHARS);
        let fund = line_text(&mut errors, "fund", &raw.fund, NAME_CHARS);
        let cup = line_text(&mut errors, "cup", &raw.cup, SHORT_CHARS);
        let (starts_on, ends_on) =
            period(&mut errors, ("starts_on", "ends_on"), (&raw.starts_on, &raw.ends_on), Source::Typed);
        let input = (|| Some(ProgrammeInput { name: name?, fund, cup, starts_on: starts_on?, ends_on: ends_on? }))();
        finish(errors, input)
    }
}

/// An action line as typed.
#[derive(Debug, Clone, Default)]
pub struct ActionLineRaw {
    pub number: Option<String>,
    pub title: Option<String>,
}

/// A valid action line: numbered 1 to 99, with a title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionLineInput {
    pub number: i64,
    pub title: String,
}

impl ActionLineInput {
    pub fn parse(raw: &ActionLineRaw) -> Result<ActionLineInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let number = value(&raw.number).trim().parse::<i64>().ok().filter(|n| (1..=99).contains(n));
        if number.is_none() {
            errors.push("number", "error-number-invalid");
        }
        let title = required_line_text(&mut errors, "title", &raw.title, NAME_CHARS);
        let input = (|| Some(ActionLineInput { number: number?, title: title? }))();
        finish(errors, input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn codes(errors: FieldErrors) -> Vec<(String, &'static str)> {
        errors.0.into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn programmes_and_their_lines() {
        let new = NewProgramme::parse(&NewProgrammeRaw { code: Some(" prog 2463 ".into()), name: Some("LAB".into()) });
        assert_eq!(new.unwrap().code, "PROG2463");
        let raw = ProgrammeRaw {
            name: Some("LAB'IMPACT".into()),
            starts_on: Some("1/3/2024".into()),
            ends_on: Some("2026-12-31".into()),
            ..ProgrammeRaw::default()
        };
        let input = ProgrammeInput::parse(&raw).unwrap();
        assert_eq!((input.starts_on, input.ends_on), (Some(date!(2024 - 03 - 01)), Some(date!(2026 - 12 - 31))));
        let backwards = ProgrammeRaw { ends_on: Some("2023-12-31".into()), ..raw };
        assert_eq!(codes(ProgrammeInput::parse(&backwards).unwrap_err()), [("ends_on".to_owned(), "error-date-order")]);
        let line = ActionLineRaw { number: Some("100".into()), title: Some(" ".into()) };
        assert_eq!(
            codes(ActionLineInput::parse(&line).unwrap_err()),
            [("number".to_owned(), "error-number-invalid"), ("title".to_owned(), "error-required")]
        );
    }
}
