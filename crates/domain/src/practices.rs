//! Good practices (SPEC §6): the template a network fills in, and the workflow that takes a
//! practice from draft to the public board (decision 0029).
//!
//! A draft may be incomplete: only its title is required to save it. Submission asks for the
//! whole template ([`PracticeInput::missing_for_submission`]), so that reviewers read complete
//! practices and the board shows only complete ones.

use crate::{FieldError, FieldErrors};
use serde::{Deserialize, Serialize};

/// The Markdown fields of the template, in the order of the form, with their Fluent label ids.
pub const TEXT_FIELDS: [&str; 13] = [
    "context",
    "problem",
    "objectives",
    "target_group",
    "activities",
    "actors",
    "resources",
    "results",
    "innovation",
    "sustainability",
    "transferability",
    "lessons",
    "contacts",
];

/// What a submitted practice must have besides its title.
pub const REQUIRED_FOR_SUBMISSION: [&str; 10] = [
    "theme",
    "action_line",
    "year",
    "context",
    "problem",
    "objectives",
    "target_group",
    "activities",
    "results",
    "contacts",
];

pub const MAX_TITLE: usize = 200;
pub const MAX_THEME: usize = 120;
/// The longest Markdown field, in characters.
pub const MAX_TEXT: usize = 20_000;
pub const MAX_MUNICIPALITIES: usize = 50;
pub const MIN_YEAR: i32 = 1990;
pub const MAX_YEAR: i32 = 2100;

/// A practice as typed in the form, sent to the API or read from an import file. Municipalities
/// are names or ISTAT codes, one per line or separated by commas in a form.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct PracticeRaw {
    pub title: String,
    pub network_id: String,
    pub municipalities: String,
    pub action_line: String,
    pub theme: String,
    pub year: String,
    pub context: String,
    pub problem: String,
    pub objectives: String,
    pub target_group: String,
    pub activities: String,
    pub actors: String,
    pub resources: String,
    pub results: String,
    pub innovation: String,
    pub sustainability: String,
    pub transferability: String,
    pub lessons: String,
    pub contacts: String,
}

/// The Markdown fields of a practice, by name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PracticeTexts {
    pub context: String,
    pub problem: String,
    pub objectives: String,
    pub target_group: String,
    pub activities: String,
    pub actors: String,
    pub resources: String,
    pub results: String,
    pub innovation: String,
    pub sustainability: String,
    pub transferability: String,
    pub lessons: String,
    pub contacts: String,
}

impl PracticeTexts {
    /// (field, text) in the order of [`TEXT_FIELDS`].
    pub fn fields(&self) -> [(&'static str, &str); 13] {
        [
            ("context", &self.context),
            ("problem", &self.problem),
            ("objectives", &self.objectives),
            ("target_group", &self.target_group),
            ("activities", &self.activities),
            ("actors", &self.actors),
            ("resources", &self.resources),
            ("results", &self.results),
            ("innovation", &self.innovation),
            ("sustainability", &self.sustainability),
            ("transferability", &self.transferability),
            ("lessons", &self.lessons),
            ("contacts", &self.contacts),
        ]
    }

    fn from_raw(raw: &PracticeRaw) -> PracticeTexts {
        let t = |s: &str| s.trim().replace("\r\n", "\n");
        PracticeTexts {
            context: t(&raw.context),
            problem: t(&raw.problem),
            objectives: t(&raw.objectives),
            target_group: t(&raw.target_group),
            activities: t(&raw.activities),
            actors: t(&raw.actors),
            resources: t(&raw.resources),
            results: t(&raw.results),
            innovation: t(&raw.innovation),
            sustainability: t(&raw.sustainability),
            transferability: t(&raw.transferability),
            lessons: t(&raw.lessons),
            contacts: t(&raw.contacts),
        }
    }

    /// Everything searchable in one text, for the analyzer.
    pub fn joined(&self) -> String {
        self.fields().iter().map(|(_, text)| *text).collect::<Vec<_>>().join("\n")
    }
}

/// A checked practice. Municipalities are still as typed: the store resolves them against the
/// register of municipalities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PracticeInput {
    pub title: String,
    pub network_id: Option<String>,
    pub municipalities: Vec<String>,
    pub action_line: Option<i64>,
    pub theme: String,
    pub year: Option<i32>,
    pub texts: PracticeTexts,
}

/// Splits the municipalities of a form: one per line or separated by commas or semicolons.
pub fn split_municipalities(raw: &str) -> Vec<String> {
    raw.split(['\n', ',', ';']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

impl PracticeInput {
    /// Checks what a draft needs: a title, and every field within its bounds.
    pub fn parse(raw: &PracticeRaw) -> Result<PracticeInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let title = raw.title.trim().to_owned();
        if title.is_empty() {
            errors.push("title", "error-required");
        } else if title.chars().count() > MAX_TITLE {
            errors.add(FieldError::new("title", "error-too-long").with_arg("max", MAX_TITLE));
        }
        let theme = raw.theme.trim().to_owned();
        if theme.chars().count() > MAX_THEME {
            errors.add(FieldError::new("theme", "error-too-long").with_arg("max", MAX_THEME));
        }
        let action_line = match raw.action_line.trim() {
            "" => None,
            text => match text.parse::<i64>() {
                Ok(n) if (1..=99).contains(&n) => Some(n),
                _ => {
                    errors.push("action_line", "error-practice-action-line");
                    None
                }
            },
        };
        let year = match raw.year.trim() {
            "" => None,
            text => match text.parse::<i32>() {
                Ok(y) if (MIN_YEAR..=MAX_YEAR).contains(&y) => Some(y),
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
        let texts = PracticeTexts::from_raw(raw);
        for (field, text) in texts.fields() {
            if text.chars().count() > MAX_TEXT {
                errors.add(FieldError::new(field, "error-too-long").with_arg("max", MAX_TEXT));
            }
        }
        let municipalities = split_municipalities(&raw.municipalities);
        if municipalities.len() > MAX_MUNICIPALITIES {
            errors
                .add(FieldError::new("municipalities", "error-practice-too-many").with_arg("max", MAX_MUNICIPALITIES));
        }
        let network_id = Some(raw.network_id.trim()).filter(|s| !s.is_empty()).map(str::to_owned);
        if errors.is_empty() {
            Ok(PracticeInput { title, network_id, municipalities, action_line, theme, year, texts })
        } else {
            Err(errors)
        }
    }

    /// The fields a submission still lacks, each named, in the order of the form.
    pub fn missing_for_submission(&self) -> FieldErrors {
        let mut errors = FieldErrors::default();
        for field in REQUIRED_FOR_SUBMISSION {
            let missing = match field {
                "theme" => self.theme.is_empty(),
                "action_line" => self.action_line.is_none(),
                "year" => self.year.is_none(),
                text => self.texts.fields().iter().any(|(name, value)| *name == text && value.is_empty()),
            };
            if missing {
                errors.push(field, "error-practice-required-to-submit");
            }
        }
        errors
    }
}

/// Where a practice is in its workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PracticeStatus {
    Draft,
    Submitted,
    InReview,
    Published,
    Returned,
}

impl PracticeStatus {
    pub const ALL: [PracticeStatus; 5] = [
        PracticeStatus::Draft,
        PracticeStatus::Submitted,
        PracticeStatus::InReview,
        PracticeStatus::Published,
        PracticeStatus::Returned,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PracticeStatus::Draft => "draft",
            PracticeStatus::Submitted => "submitted",
            PracticeStatus::InReview => "in_review",
            PracticeStatus::Published => "published",
            PracticeStatus::Returned => "returned",
        }
    }

    pub fn parse(code: &str) -> Option<PracticeStatus> {
        PracticeStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label_key(self) -> String {
        format!("practice-status-{}", self.code().replace('_', "-"))
    }

    /// Whether its authors may still change it.
    pub fn editable(self) -> bool {
        matches!(self, PracticeStatus::Draft | PracticeStatus::Returned)
    }
}

/// A step of the workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Transition {
    /// The authors send the practice to the coordination.
    Submit,
    /// A reviewer takes it up.
    StartReview,
    /// A reviewer puts it on the board.
    Publish,
    /// A reviewer sends it back with reasons.
    Return,
}

impl Transition {
    pub const ALL: [Transition; 4] =
        [Transition::Submit, Transition::StartReview, Transition::Publish, Transition::Return];

    pub fn code(self) -> &'static str {
        match self {
            Transition::Submit => "submit",
            Transition::StartReview => "start_review",
            Transition::Publish => "publish",
            Transition::Return => "return",
        }
    }

    pub fn parse(code: &str) -> Option<Transition> {
        Transition::ALL.into_iter().find(|t| t.code() == code)
    }

    /// Whether the coordination (reviewers) takes this step, rather than the authors.
    pub fn by_reviewer(self) -> bool {
        !matches!(self, Transition::Submit)
    }

    /// Whether the step needs a comment: returning a practice says why.
    pub fn needs_reason(self) -> bool {
        matches!(self, Transition::Return)
    }

    /// The status after this step from `from`, or why it cannot be taken.
    pub fn apply(self, from: PracticeStatus) -> Result<PracticeStatus, FieldError> {
        use PracticeStatus as S;
        let to = match (self, from) {
            (Transition::Submit, S::Draft | S::Returned) => S::Submitted,
            (Transition::StartReview, S::Submitted) => S::InReview,
            (Transition::Publish, S::Submitted | S::InReview) => S::Published,
            (Transition::Return, S::Submitted | S::InReview) => S::Returned,
            _ => return Err(FieldError::new("status", "error-practice-transition")),
        };
        Ok(to)
    }
}

/// The longest review comment or reason, in characters.
pub const MAX_COMMENT: usize = 5_000;

/// A reviewer's comment or a reason for returning, checked.
pub fn parse_comment(raw: &str, required: bool) -> Result<String, FieldError> {
    let comment = raw.trim().replace("\r\n", "\n");
    if comment.is_empty() && required {
        return Err(FieldError::new("comment", "error-practice-reason-required"));
    }
    if comment.chars().count() > MAX_COMMENT {
        return Err(FieldError::new("comment", "error-too-long").with_arg("max", MAX_COMMENT));
    }
    Ok(comment)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete() -> PracticeRaw {
        PracticeRaw {
            title: "Sportello unico".into(),
            action_line: "2".into(),
            theme: "Inclusione".into(),
            year: "2024".into(),
            context: "c".into(),
            problem: "p".into(),
            objectives: "o".into(),
            target_group: "t".into(),
            activities: "a".into(),
            results: "r".into(),
            contacts: "x".into(),
            ..PracticeRaw::default()
        }
    }

    #[test]
    fn a_draft_needs_only_a_title() {
        let errors = PracticeInput::parse(&PracticeRaw::default()).unwrap_err();
        assert_eq!(errors.for_field("title"), Some("error-required"));
        let draft = PracticeInput::parse(&PracticeRaw { title: "x".into(), ..PracticeRaw::default() }).unwrap();
        let missing = draft.missing_for_submission();
        assert_eq!(missing.0.len(), REQUIRED_FOR_SUBMISSION.len());
        assert_eq!(missing.for_field("problem"), Some("error-practice-required-to-submit"));
        assert!(PracticeInput::parse(&complete()).unwrap().missing_for_submission().is_empty());
    }

    #[test]
    fn bounds_are_checked() {
        let raw =
            PracticeRaw { action_line: "0".into(), year: "12".into(), problem: "x".repeat(MAX_TEXT + 1), ..complete() };
        let errors = PracticeInput::parse(&raw).unwrap_err();
        for field in ["action_line", "year", "problem"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
    }

    #[test]
    fn the_workflow_goes_one_way() {
        use PracticeStatus as S;
        assert_eq!(Transition::Submit.apply(S::Draft), Ok(S::Submitted));
        assert_eq!(Transition::StartReview.apply(S::Submitted), Ok(S::InReview));
        assert_eq!(Transition::Return.apply(S::InReview), Ok(S::Returned));
        assert_eq!(Transition::Submit.apply(S::Returned), Ok(S::Submitted));
        assert_eq!(Transition::Publish.apply(S::InReview), Ok(S::Published));
        assert!(Transition::Publish.apply(S::Draft).is_err());
        assert!(Transition::Submit.apply(S::Published).is_err());
        assert!(Transition::Return.apply(S::Published).is_err());
        assert!(parse_comment("  ", true).is_err());
    }
}

/// A practice in the shape of the import and export files (JSON): the template's fields in
/// English snake_case, `network` a name or an id, `municipalities` names or ISTAT codes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PracticeRecord {
    pub title: String,
    pub network: Option<String>,
    pub municipalities: Vec<String>,
    pub action_line: Option<i64>,
    pub theme: String,
    pub year: Option<i64>,
    pub context: String,
    pub problem: String,
    pub objectives: String,
    pub target_group: String,
    pub activities: String,
    pub actors: String,
    pub resources: String,
    pub results: String,
    pub innovation: String,
    pub sustainability: String,
    pub transferability: String,
    pub lessons: String,
    pub contacts: String,
}

/// The largest import file read, in bytes (checked before reading).
pub const MAX_IMPORT_BYTES: u64 = 64 * 1024 * 1024;
/// The most practices one import holds.
pub const MAX_IMPORT_ENTRIES: usize = 100_000;

impl PracticeRecord {
    /// The record as a form would send it (the network is resolved by the caller).
    pub fn to_raw(&self) -> PracticeRaw {
        PracticeRaw {
            title: self.title.clone(),
            network_id: String::new(),
            municipalities: self.municipalities.join("\n"),
            action_line: self.action_line.map(|n| n.to_string()).unwrap_or_default(),
            theme: self.theme.clone(),
            year: self.year.map(|n| n.to_string()).unwrap_or_default(),
            context: self.context.clone(),
            problem: self.problem.clone(),
            objectives: self.objectives.clone(),
            target_group: self.target_group.clone(),
            activities: self.activities.clone(),
            actors: self.actors.clone(),
            resources: self.resources.clone(),
            results: self.results.clone(),
            innovation: self.innovation.clone(),
            sustainability: self.sustainability.clone(),
            transferability: self.transferability.clone(),
            lessons: self.lessons.clone(),
            contacts: self.contacts.clone(),
        }
    }
}

/// Reads an import file: a JSON array of practice objects. Every problem is named by the entry's
/// index and the field, `practices[3].year`; a wrong type is reported field by field rather than
/// as the first error of the parser.
pub fn parse_import(bytes: &[u8]) -> Result<Vec<PracticeRecord>, FieldErrors> {
    let file_error = |code: &'static str| -> FieldErrors { FieldError::new("file", code).into() };
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|_| file_error("error-practice-import-not-json"))?;
    let serde_json::Value::Array(entries) = value else {
        return Err(file_error("error-practice-import-not-array"));
    };
    if entries.len() > MAX_IMPORT_ENTRIES {
        return Err(FieldError::new("file", "error-practice-too-many").with_arg("max", MAX_IMPORT_ENTRIES).into());
    }
    let mut errors = FieldErrors::default();
    let mut records = Vec::with_capacity(entries.len());
    for (index, entry) in entries.iter().enumerate() {
        match record_of(entry) {
            Ok(record) => records.push(record),
            Err(entry_errors) => errors.0.extend(entry_errors.nested("practices", index).0),
        }
    }
    if errors.is_empty() { Ok(records) } else { Err(errors) }
}

const RECORD_TEXT_FIELDS: [&str; 15] = [
    "title",
    "theme",
    "context",
    "problem",
    "objectives",
    "target_group",
    "activities",
    "actors",
    "resources",
    "results",
    "innovation",
    "sustainability",
    "transferability",
    "lessons",
    "contacts",
];

fn record_of(entry: &serde_json::Value) -> Result<PracticeRecord, FieldErrors> {
    use serde_json::Value;
    let Value::Object(object) = entry else {
        return Err(FieldError::new("entry", "error-practice-import-not-object").into());
    };
    let mut errors = FieldErrors::default();
    let mut record = PracticeRecord::default();
    for (key, value) in object {
        let text = |errors: &mut FieldErrors| -> String {
            match value {
                Value::String(s) => s.clone(),
                Value::Null => String::new(),
                _ => {
                    errors.push(key.as_str(), "error-practice-import-not-text");
                    String::new()
                }
            }
        };
        let number = |errors: &mut FieldErrors| -> Option<i64> {
            match value {
                Value::Number(n) => n.as_i64().or_else(|| {
                    errors.push(key.as_str(), "error-practice-import-not-number");
                    None
                }),
                Value::String(s) if s.trim().is_empty() => None,
                Value::String(s) => s.trim().parse().ok().or_else(|| {
                    errors.push(key.as_str(), "error-practice-import-not-number");
                    None
                }),
                Value::Null => None,
                _ => {
                    errors.push(key.as_str(), "error-practice-import-not-number");
                    None
                }
            }
        };
        match key.as_str() {
            "network" => {
                record.network = match value {
                    Value::String(s) if s.trim().is_empty() => None,
                    Value::String(s) => Some(s.trim().to_owned()),
                    Value::Number(n) => Some(n.to_string()),
                    Value::Null => None,
                    _ => {
                        errors.push("network", "error-practice-import-not-text");
                        None
                    }
                }
            }
            "municipalities" => match value {
                Value::Array(items) => {
                    for item in items {
                        match item {
                            Value::String(s) => record.municipalities.push(s.trim().to_owned()),
                            Value::Number(n) => record.municipalities.push(n.to_string()),
                            _ => errors.push("municipalities", "error-practice-import-not-text"),
                        }
                    }
                }
                Value::String(s) => record.municipalities = split_municipalities(s),
                Value::Null => {}
                _ => errors.push("municipalities", "error-practice-import-not-list"),
            },
            "action_line" => record.action_line = number(&mut errors),
            "year" => record.year = number(&mut errors),
            field if RECORD_TEXT_FIELDS.contains(&field) => {
                let value = text(&mut errors);
                match field {
                    "title" => record.title = value,
                    "theme" => record.theme = value,
                    "context" => record.context = value,
                    "problem" => record.problem = value,
                    "objectives" => record.objectives = value,
                    "target_group" => record.target_group = value,
                    "activities" => record.activities = value,
                    "actors" => record.actors = value,
                    "resources" => record.resources = value,
                    "results" => record.results = value,
                    "innovation" => record.innovation = value,
                    "sustainability" => record.sustainability = value,
                    "transferability" => record.transferability = value,
                    "lessons" => record.lessons = value,
                    _ => record.contacts = value,
                }
            }
            other => errors.push(other, "error-practice-import-unknown-field"),
        }
    }
    if errors.is_empty() { Ok(record) } else { Err(errors) }
}

#[cfg(test)]
mod import_tests {
    use super::*;

    #[test]
    fn every_bad_entry_is_named_by_index_and_field() {
        let file = br#"[{"title": "Buona", "year": 2024, "municipalities": ["Milano"]},
            {"title": 3, "year": "dopo"}, "no", {"title": "x", "colour": "red"}]"#;
        let errors = parse_import(file).unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["practices[1].title", "practices[1].year", "practices[2].entry", "practices[3].colour"]);
        assert!(parse_import(b"{}").is_err());
        assert!(parse_import(b"[").is_err());
        let records = parse_import(br#"[{"title": "A", "action_line": "2", "network": 7}]"#).unwrap();
        assert_eq!(records[0].action_line, Some(2));
        assert_eq!(records[0].network.as_deref(), Some("7"));
    }
}
