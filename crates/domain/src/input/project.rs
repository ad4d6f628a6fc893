//! A network's local project and its actions, as the project pages and
//! `POST /api/v1/networks/{id}/projects`, `PUT /api/v1/projects/{id}` give them.

use super::{DESCRIPTION_CHARS, NAME_CHARS, Source, action_lines, finish, period, required_line_text, text, value};
use crate::FieldErrors;
use serde::Serialize;
use time::Date;

/// A project as typed.
#[derive(Debug, Clone, Default)]
pub struct ProjectRaw {
    pub title: Option<String>,
    pub description: Option<String>,
    /// In euros, as Italians or machines write them: `12.500,50`, `12500.5`, `€ 12500`.
    pub budget: Option<String>,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    /// Action line ids or numbers.
    pub action_lines: Vec<String>,
}

/// What checking a project needs: the action lines of its network's programme, as (id, number).
pub struct ProjectContext<'a> {
    pub action_lines: &'a [(&'a str, i64)],
}

/// A valid project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectInput {
    pub title: String,
    pub description: String,
    pub budget_cents: Option<i64>,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    pub action_line_ids: Vec<String>,
}

impl ProjectInput {
    pub fn parse(raw: &ProjectRaw, context: &ProjectContext) -> Result<ProjectInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let title = required_line_text(&mut errors, "title", &raw.title, NAME_CHARS);
        let description = text(&mut errors, "description", &raw.description, DESCRIPTION_CHARS);
        let budget = value(&raw.budget);
        let budget_cents = if budget.trim().is_empty() {
            Some(None)
        } else {
            let cents = parse_euros(budget);
            if cents.is_none() {
                errors.push("budget", "error-amount-invalid");
            }
            cents.map(Some)
        };
        let (starts_on, ends_on) =
            period(&mut errors, ("starts_on", "ends_on"), (&raw.starts_on, &raw.ends_on), Source::Typed);
        let action_line_ids = action_lines(&mut errors, "action_lines", &raw.action_lines, context.action_lines);
        let input = (|| {
            Some(ProjectInput {
                title: title?,
                description,
                budget_cents: budget_cents?,
                starts_on: starts_on?,
                ends_on: ends_on?,
                action_line_ids,
            })
        })();
        finish(errors, input)
    }
}

/// Euros as typed ("12.500,50", "12500.5", "12500") into cents; negative amounts are refused.
pub fn parse_euros(text: &str) -> Option<i64> {
    let text = text.trim().trim_start_matches('€').trim();
    let normalised = if text.contains(',') { text.replace('.', "").replace(',', ".") } else { text.to_owned() };
    let value: f64 = normalised.parse().ok()?;
    (0.0..1e12).contains(&value).then(|| (value * 100.0).round() as i64)
}

/// Cents written the way [`parse_euros`] reads them back (for callers that hold cents).
pub fn euros_of_cents(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", (cents / 100).abs(), (cents % 100).abs())
}

/// One action of a project as typed.
#[derive(Debug, Clone, Default)]
pub struct ActionRaw {
    pub title: Option<String>,
    pub planned_outputs: Option<String>,
    pub target_groups: Option<String>,
}

/// A valid action of a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionInput {
    pub title: String,
    pub planned_outputs: String,
    pub target_groups: String,
}

impl ActionInput {
    pub fn parse(raw: &ActionRaw) -> Result<ActionInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let title = required_line_text(&mut errors, "title", &raw.title, NAME_CHARS);
        let planned_outputs = text(&mut errors, "planned_outputs", &raw.planned_outputs, DESCRIPTION_CHARS);
        let target_groups = text(&mut errors, "target_groups", &raw.target_groups, DESCRIPTION_CHARS);
        finish(errors, title.map(|title| ActionInput { title, planned_outputs, target_groups }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const LINES: &[(&str, i64)] = &[("line-1", 1), ("line-2", 2)];

    fn codes(errors: FieldErrors) -> Vec<(String, &'static str)> {
        errors.0.into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn projects_are_checked_whole() {
        let raw = ProjectRaw {
            title: Some(" Scuola aperta ".into()),
            budget: Some("12.500,50".into()),
            action_lines: vec!["2".into(), "line-1".into(), "line-2".into()],
            ..ProjectRaw::default()
        };
        let input = ProjectInput::parse(&raw, &ProjectContext { action_lines: LINES }).unwrap();
        assert_eq!(input.title, "Scuola aperta");
        assert_eq!(input.budget_cents, Some(1_250_050));
        assert_eq!(input.action_line_ids, ["line-2", "line-1"]);
        let bad = ProjectRaw {
            title: None,
            budget: Some("-3".into()),
            starts_on: Some("2024-03-01".into()),
            ends_on: Some("1/1/2024".into()),
            action_lines: vec!["7".into()],
            ..ProjectRaw::default()
        };
        assert_eq!(
            codes(ProjectInput::parse(&bad, &ProjectContext { action_lines: LINES }).unwrap_err()),
            [
                ("title".to_owned(), "error-required"),
                ("budget".to_owned(), "error-amount-invalid"),
                ("ends_on".to_owned(), "error-date-order"),
                ("action_lines".to_owned(), "error-action-line-invalid"),
            ]
        );
        assert_eq!(
            codes(ActionInput::parse(&ActionRaw::default()).unwrap_err()),
            [("title".to_owned(), "error-required")]
        );
    }

    #[test]
    fn euros_the_italian_way() {
        assert_eq!(parse_euros("12.500,50"), Some(1_250_050));
        assert_eq!(parse_euros("€ 12500.5"), Some(1_250_050));
        assert_eq!(parse_euros("12500"), Some(1_250_000));
        assert_eq!(parse_euros("dodici"), None);
        assert_eq!(parse_euros("-3"), None);
    }

    proptest! {
        #[test]
        fn cents_survive_the_way_through_text(cents in 0i64..100_000_000_000) {
            prop_assert_eq!(parse_euros(&euros_of_cents(cents)), Some(cents));
        }
    }
}
