//! Thematic labs (laboratori, SPEC §6, decision 0032): what a lab is made of, and the rules of
//! enrolment. Storage and access are the store's and the web's; the checks live here, once.

use crate::{Email, FieldError, FieldErrors};
use serde::{Deserialize, Serialize};

pub const MAX_TITLE: usize = 200;
pub const MAX_THEME: usize = 200;
pub const MAX_DESCRIPTION: usize = 20_000;
pub const MAX_CAPACITY: i64 = 10_000;
pub const MAX_GUEST_FIELD: usize = 200;

/// How people join a lab.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Enrolment {
    /// People of the programme's networks enrol themselves, within the capacity.
    Open,
    /// Only the coordination and the experts add people (or whole networks).
    Invitation,
}

impl Enrolment {
    pub const ALL: [Enrolment; 2] = [Enrolment::Open, Enrolment::Invitation];

    pub fn code(self) -> &'static str {
        match self {
            Enrolment::Open => "open",
            Enrolment::Invitation => "invitation",
        }
    }

    pub fn parse(code: &str) -> Option<Enrolment> {
        Enrolment::ALL.into_iter().find(|e| e.code() == code.trim())
    }

    pub fn label_key(self) -> String {
        format!("lab-enrolment-{}", self.code())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LabStatus {
    Planned,
    Running,
    Closed,
}

impl LabStatus {
    pub const ALL: [LabStatus; 3] = [LabStatus::Planned, LabStatus::Running, LabStatus::Closed];

    pub fn code(self) -> &'static str {
        match self {
            LabStatus::Planned => "planned",
            LabStatus::Running => "running",
            LabStatus::Closed => "closed",
        }
    }

    pub fn parse(code: &str) -> Option<LabStatus> {
        LabStatus::ALL.into_iter().find(|s| s.code() == code.trim())
    }

    pub fn label_key(self) -> String {
        format!("lab-status-{}", self.code())
    }
}

/// A lab's form as typed (web form or API body).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct LabRaw {
    pub title: String,
    pub theme: String,
    pub action_line: String,
    pub description: String,
    pub enrolment: String,
    pub capacity: String,
    pub status: String,
}

/// A checked lab. The action line is a number the store checks against the programme's lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LabInput {
    pub title: String,
    pub theme: String,
    pub action_line: Option<i64>,
    /// Markdown, rendered through the sanitiser when shown.
    pub description: String,
    pub enrolment: Enrolment,
    /// `None`: no limit.
    pub capacity: Option<i64>,
    pub status: LabStatus,
}

fn bounded(errors: &mut FieldErrors, field: &'static str, text: &str, max: usize) {
    if text.chars().count() > max {
        errors.add(FieldError::new(field, "error-too-long").with_arg("max", max));
    }
}

/// A capacity as typed: empty for no limit, else a whole number of places from 1.
pub fn parse_capacity(text: &str) -> Result<Option<i64>, FieldError> {
    match text.trim() {
        "" => Ok(None),
        text => match text.parse::<i64>() {
            Ok(n) if (1..=MAX_CAPACITY).contains(&n) => Ok(Some(n)),
            _ => Err(FieldError::new("capacity", "error-capacity-invalid")),
        },
    }
}

impl LabInput {
    pub fn parse(raw: &LabRaw) -> Result<LabInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let title = raw.title.trim().to_owned();
        if title.is_empty() {
            errors.push("title", "error-required");
        }
        bounded(&mut errors, "title", &title, MAX_TITLE);
        let theme = raw.theme.trim().to_owned();
        if theme.is_empty() {
            errors.push("theme", "error-required");
        }
        bounded(&mut errors, "theme", &theme, MAX_THEME);
        let action_line = match raw.action_line.trim() {
            "" => None,
            text => match text.parse::<i64>() {
                Ok(n) if (1..=99).contains(&n) => Some(n),
                _ => {
                    errors.push("action_line", "error-lab-action-line");
                    None
                }
            },
        };
        let description = raw.description.trim().to_owned();
        bounded(&mut errors, "description", &description, MAX_DESCRIPTION);
        let enrolment = Enrolment::parse(&raw.enrolment);
        if enrolment.is_none() {
            errors.push("enrolment", "error-lab-choice");
        }
        let capacity = errors.check(parse_capacity(&raw.capacity)).flatten();
        let status =
            if raw.status.trim().is_empty() { Some(LabStatus::Planned) } else { LabStatus::parse(&raw.status) };
        if status.is_none() {
            errors.push("status", "error-lab-choice");
        }
        match (enrolment, status) {
            (Some(enrolment), Some(status)) if errors.is_empty() => {
                Ok(LabInput { title, theme, action_line, description, enrolment, capacity, status })
            }
            _ => Err(errors),
        }
    }
}

/// An expert without an account: a guest named with their e-mail and organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GuestExpert {
    pub name: String,
    pub email: String,
    pub organisation: String,
}

impl GuestExpert {
    pub fn parse(name: &str, email: &str, organisation: &str) -> Result<GuestExpert, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = name.trim().to_owned();
        if name.is_empty() {
            errors.push("name", "error-required");
        }
        bounded(&mut errors, "name", &name, MAX_GUEST_FIELD);
        let email = errors.check(Email::parse(email)).map(|e| e.as_str().to_owned()).unwrap_or_default();
        let organisation = organisation.trim().to_owned();
        bounded(&mut errors, "organisation", &organisation, MAX_GUEST_FIELD);
        errors.into_result().map(|()| GuestExpert { name, email, organisation })
    }
}

/// Who asks to join a lab, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Joiner {
    /// The person themself.
    Themself,
    /// The coordination or an expert, adding people.
    Manager,
}

/// Whether `adding` more people may join a lab now: a closed lab takes nobody, an invitation-only
/// one nobody on their own, and nobody past the capacity. The error names the field to fix.
pub fn check_enrolment(
    status: LabStatus,
    enrolment: Enrolment,
    capacity: Option<i64>,
    enrolled: i64,
    adding: i64,
    joiner: Joiner,
) -> Result<(), FieldError> {
    if status == LabStatus::Closed {
        return Err(FieldError::new("status", "error-lab-closed"));
    }
    if joiner == Joiner::Themself && enrolment == Enrolment::Invitation {
        return Err(FieldError::new("enrolment", "error-lab-invitation-only"));
    }
    if let Some(capacity) = capacity
        && enrolled + adding > capacity
    {
        return Err(FieldError::new("capacity", "error-lab-full").with_arg("free", (capacity - enrolled).max(0)));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn raw() -> LabRaw {
        LabRaw {
            title: " Scuola e territorio ".into(),
            theme: "Dispersione scolastica".into(),
            action_line: "1".into(),
            description: "Un **laboratorio**.".into(),
            enrolment: "open".into(),
            capacity: "20".into(),
            status: String::new(),
        }
    }

    #[test]
    fn a_lab_parses_with_defaults() {
        let input = LabInput::parse(&raw()).unwrap();
        assert_eq!(input.title, "Scuola e territorio");
        assert_eq!(input.capacity, Some(20));
        assert_eq!(input.status, LabStatus::Planned);
        assert_eq!(input.enrolment, Enrolment::Open);
        let unlimited = LabInput::parse(&LabRaw { capacity: " ".into(), action_line: String::new(), ..raw() }).unwrap();
        assert_eq!((unlimited.capacity, unlimited.action_line), (None, None));
    }

    #[test]
    fn bad_fields_are_named() {
        let bad = LabRaw {
            title: String::new(),
            theme: "x".repeat(MAX_THEME + 1),
            action_line: "zero".into(),
            enrolment: "chiunque".into(),
            capacity: "0".into(),
            status: "finito".into(),
            ..raw()
        };
        let errors = LabInput::parse(&bad).unwrap_err();
        for (field, code) in [
            ("title", "error-required"),
            ("theme", "error-too-long"),
            ("action_line", "error-lab-action-line"),
            ("enrolment", "error-lab-choice"),
            ("capacity", "error-capacity-invalid"),
            ("status", "error-lab-choice"),
        ] {
            assert_eq!(errors.for_field(field), Some(code), "{field}");
        }
        for capacity in ["-3", "1.5", "10001", "due"] {
            let errors = LabInput::parse(&LabRaw { capacity: capacity.into(), ..raw() }).unwrap_err();
            assert_eq!(errors.for_field("capacity"), Some("error-capacity-invalid"), "{capacity}");
        }
    }

    #[test]
    fn guest_experts_need_a_name_and_an_address() {
        let guest = GuestExpert::parse(" Anna Bianchi ", "Anna@Example.org", "Università").unwrap();
        assert_eq!((guest.name.as_str(), guest.email.as_str()), ("Anna Bianchi", "anna@example.org"));
        let errors = GuestExpert::parse("", "non-un-indirizzo", "").unwrap_err();
        assert_eq!(errors.for_field("name"), Some("error-required"));
        assert_eq!(errors.for_field("email"), Some("error-email-invalid"));
    }

    #[test]
    fn enrolment_rules() {
        use Joiner::*;
        let ok = |enrolment, capacity, enrolled, adding, joiner| {
            check_enrolment(LabStatus::Running, enrolment, capacity, enrolled, adding, joiner)
        };
        assert!(ok(Enrolment::Open, Some(2), 1, 1, Themself).is_ok());
        assert_eq!(ok(Enrolment::Open, Some(2), 2, 1, Themself).unwrap_err().code, "error-lab-full");
        assert_eq!(ok(Enrolment::Invitation, None, 0, 1, Themself).unwrap_err().field, "enrolment");
        assert!(ok(Enrolment::Invitation, None, 0, 1, Manager).is_ok());
        assert_eq!(ok(Enrolment::Invitation, Some(3), 1, 3, Manager).unwrap_err().field, "capacity");
        let closed = check_enrolment(LabStatus::Closed, Enrolment::Open, None, 0, 1, Themself);
        assert_eq!(closed.unwrap_err().code, "error-lab-closed");
    }

    proptest! {
        /// Whatever is asked, an accepted enrolment never takes a lab past its capacity.
        #[test]
        fn never_past_capacity(capacity in 1i64..50, enrolled in 0i64..60, adding in 1i64..60) {
            let outcome = check_enrolment(LabStatus::Running, Enrolment::Open, Some(capacity), enrolled, adding, Joiner::Manager);
            prop_assert_eq!(outcome.is_ok(), enrolled + adding <= capacity);
        }
    }
}
