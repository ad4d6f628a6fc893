//! An edition of the e-book of best practices (SPEC §6, decision 0041) and its chapters, as the
//! coordination's forms give them; and the reordering of a chapter list or a chapter's practices.
//!
//! The fields new to editions are named `editions_*` in the forms and in the errors, so that each
//! has a label of its own (`field-editions-…`).

use super::{NAME_CHARS, SHORT_CHARS, finish, required_line_text, text, value};
use crate::practices::{MAX_TEXT, MAX_YEAR, MIN_YEAR};
use crate::{FieldError, FieldErrors};
use serde::{Deserialize, Serialize};

/// The licence an edition gets unless the coordination picks another.
pub const DEFAULT_LICENCE: &str = "CC BY 4.0";
/// At most this many editors, each at most [`SHORT_CHARS`] characters.
pub const MAX_EDITORS: usize = 20;

/// An edition as typed: editors one per line.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct EditionRaw {
    pub title: Option<String>,
    #[serde(rename = "editions_subtitle")]
    pub subtitle: Option<String>,
    pub year: Option<String>,
    #[serde(rename = "editions_editors")]
    pub editors: Option<String>,
    #[serde(rename = "editions_licence")]
    pub licence: Option<String>,
    #[serde(rename = "editions_introduction")]
    pub introduction: Option<String>,
    #[serde(rename = "editions_english_summary")]
    pub english_summary: Option<String>,
}

/// A valid edition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EditionInput {
    pub title: String,
    pub subtitle: String,
    pub year: i32,
    pub editors: Vec<String>,
    pub licence: String,
    /// Markdown.
    pub introduction: String,
    /// Markdown, in English; empty for none.
    pub english_summary: String,
}

impl EditionInput {
    pub fn parse(raw: &EditionRaw) -> Result<EditionInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let title = required_line_text(&mut errors, "title", &raw.title, NAME_CHARS);
        let subtitle = super::line_text(&mut errors, "editions_subtitle", &raw.subtitle, NAME_CHARS);
        let year = match value(&raw.year).trim() {
            "" => {
                errors.push("year", "error-required");
                None
            }
            typed => match typed.parse::<i32>() {
                Ok(year) if (MIN_YEAR..=MAX_YEAR).contains(&year) => Some(year),
                _ => {
                    errors.add(
                        FieldError::new("year", "error-practice-year")
                            .with_arg("min", MIN_YEAR)
                            .with_arg("max", MAX_YEAR),
                    );
                    None
                }
            },
        };
        let editors = super::distinct(value(&raw.editors).lines());
        if editors.iter().any(|e| e.chars().count() > SHORT_CHARS) {
            errors.add(super::too_long("editions_editors", SHORT_CHARS));
        }
        if editors.len() > MAX_EDITORS {
            errors.add(
                FieldError::new("editions_editors", "editions-error-too-many-editors").with_arg("max", MAX_EDITORS),
            );
        }
        let licence = match value(&raw.licence).trim() {
            "" => Some(DEFAULT_LICENCE.to_owned()),
            _ => required_line_text(&mut errors, "editions_licence", &raw.licence, SHORT_CHARS),
        };
        let introduction = markdown(&mut errors, "editions_introduction", &raw.introduction);
        let english_summary = markdown(&mut errors, "editions_english_summary", &raw.english_summary);
        let input = (|| {
            Some(EditionInput {
                title: title?,
                subtitle,
                year: year?,
                editors,
                licence: licence?,
                introduction,
                english_summary,
            })
        })();
        finish(errors, input)
    }
}

/// A Markdown text: trimmed, Windows line ends made plain, at most [`MAX_TEXT`] characters.
fn markdown(errors: &mut FieldErrors, field: &str, raw: &Option<String>) -> String {
    text(errors, field, raw, MAX_TEXT).replace("\r\n", "\n")
}

/// A chapter as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct ChapterRaw {
    #[serde(rename = "editions_chapter_title")]
    pub title: Option<String>,
    #[serde(rename = "editions_chapter_introduction")]
    pub introduction: Option<String>,
}

/// A valid chapter: its title and its introduction (Markdown).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChapterInput {
    pub title: String,
    pub introduction: String,
}

impl ChapterInput {
    pub fn parse(raw: &ChapterRaw) -> Result<ChapterInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let title = required_line_text(&mut errors, "editions_chapter_title", &raw.title, NAME_CHARS);
        let introduction = markdown(&mut errors, "editions_chapter_introduction", &raw.introduction);
        finish(errors, title.map(|title| ChapterInput { title, introduction }))
    }
}

/// One step of an ordered list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Move {
    Up,
    Down,
}

impl Move {
    pub fn parse(code: &str) -> Option<Move> {
        match code {
            "up" => Some(Move::Up),
            "down" => Some(Move::Down),
            _ => None,
        }
    }
}

/// `items` with `item` moved one place up or down; `None` when `item` is not there or is already
/// at that end (nothing to do).
pub fn moved<T: PartialEq + Clone>(items: &[T], item: &T, step: Move) -> Option<Vec<T>> {
    let at = items.iter().position(|i| i == item)?;
    let to = match step {
        Move::Up => at.checked_sub(1)?,
        Move::Down => Some(at + 1).filter(|&to| to < items.len())?,
    };
    let mut out = items.to_vec();
    out.swap(at, to);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn codes(errors: FieldErrors) -> Vec<(String, &'static str)> {
        errors.0.into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn an_edition_is_checked_whole() {
        let raw = EditionRaw {
            title: Some("  Buone  pratiche ".into()),
            year: Some("2026".into()),
            editors: Some("Anna Rossi\r\n\r\nanna rossi\nLuca Bianchi".into()),
            introduction: Some("Perché *questo* libro.\r\n".into()),
            english_summary: Some(" Why *this* book.\r\nFor everyone. ".into()),
            ..EditionRaw::default()
        };
        let input = EditionInput::parse(&raw).unwrap();
        assert_eq!(input.title, "Buone pratiche");
        assert_eq!(input.editors, ["Anna Rossi", "Luca Bianchi"]);
        assert_eq!(input.licence, DEFAULT_LICENCE, "blank is the default licence");
        assert_eq!(input.introduction, "Perché *questo* libro.");
        assert_eq!(input.english_summary, "Why *this* book.\nFor everyone.");
        let bad = EditionRaw {
            subtitle: Some("x".repeat(NAME_CHARS + 1)),
            year: Some("1900".into()),
            editors: Some((0..=MAX_EDITORS).map(|n| format!("Curatore {n}")).collect::<Vec<_>>().join("\n")),
            introduction: Some("y".repeat(MAX_TEXT + 1)),
            english_summary: Some("z".repeat(MAX_TEXT + 1)),
            ..EditionRaw::default()
        };
        assert_eq!(
            codes(EditionInput::parse(&bad).unwrap_err()),
            [
                ("title".to_owned(), "error-required"),
                ("editions_subtitle".to_owned(), "error-too-long"),
                ("year".to_owned(), "error-practice-year"),
                ("editions_editors".to_owned(), "editions-error-too-many-editors"),
                ("editions_introduction".to_owned(), "error-too-long"),
                ("editions_english_summary".to_owned(), "error-too-long"),
            ]
        );
        assert_eq!(
            codes(EditionInput::parse(&EditionRaw { title: Some("T".into()), ..EditionRaw::default() }).unwrap_err()),
            [("year".to_owned(), "error-required")]
        );
    }

    #[test]
    fn a_chapter_needs_a_title() {
        let raw = ChapterRaw { title: Some(" Scuola ".into()), introduction: Some("Intro".into()) };
        assert_eq!(
            ChapterInput::parse(&raw).unwrap(),
            ChapterInput { title: "Scuola".into(), introduction: "Intro".into() }
        );
        assert_eq!(
            codes(ChapterInput::parse(&ChapterRaw::default()).unwrap_err()),
            [("editions_chapter_title".to_owned(), "error-required")]
        );
    }

    #[test]
    fn moves_stop_at_the_ends() {
        let list = ["a", "b", "c"];
        assert_eq!(moved(&list, &"b", Move::Up).unwrap(), ["b", "a", "c"]);
        assert_eq!(moved(&list, &"b", Move::Down).unwrap(), ["a", "c", "b"]);
        assert_eq!(moved(&list, &"a", Move::Up), None);
        assert_eq!(moved(&list, &"c", Move::Down), None);
        assert_eq!(moved(&list, &"z", Move::Up), None);
        assert_eq!(Move::parse("up"), Some(Move::Up));
        assert_eq!(Move::parse("sideways"), None);
    }

    proptest! {
        #[test]
        fn a_move_keeps_every_item_once(len in 1usize..12, pick in 0usize..12, up in any::<bool>()) {
            let items: Vec<usize> = (0..len).collect();
            let item = pick % len;
            let step = if up { Move::Up } else { Move::Down };
            if let Some(out) = moved(&items, &item, step) {
                let mut sorted = out.clone();
                sorted.sort_unstable();
                prop_assert_eq!(&sorted, &items);
                let at = out.iter().position(|&i| i == item).unwrap();
                prop_assert_eq!(at as isize - item as isize, if up { -1 } else { 1 });
                // Moving back restores the list.
                let back = if up { Move::Down } else { Move::Up };
                prop_assert_eq!(moved(&out, &item, back).unwrap(), items);
            }
        }
    }
}
