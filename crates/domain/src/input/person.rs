//! A person who works in the programme, as the person form, `POST`/`PUT /api/v1/people` and
//! `reti import people` give them (their affiliations are resolved by the caller).

use super::{SHORT_CHARS, TEXT_CHARS, finish, line_text, optional, required, required_line_text};
use crate::{Email, FieldErrors, PersonName};
use serde::Serialize;

/// A person as typed.
#[derive(Debug, Clone, Default)]
pub struct PersonRaw {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// A valid person, ready to be written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonInput {
    pub name: PersonName,
    pub email: Option<Email>,
    pub phone: String,
}

impl PersonInput {
    /// Nothing outside the person is needed to check them.
    pub fn parse(raw: &PersonRaw) -> Result<PersonInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = required(&mut errors, "name", &raw.name, PersonName::parse);
        let email = optional(&mut errors, "email", &raw.email, Email::parse);
        let phone = line_text(&mut errors, "phone", &raw.phone, SHORT_CHARS);
        let input = (|| Some(PersonInput { name: name?, email: email?, phone }))();
        finish(errors, input)
    }
}

/// An affiliation as typed: the organisation (its id) and the position held there.
#[derive(Debug, Clone, Default)]
pub struct AffiliationRaw {
    pub organisation_id: Option<String>,
    pub position: Option<String>,
}

/// A valid affiliation; whether the organisation exists is the caller's to check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AffiliationInput {
    pub organisation_id: String,
    /// Job title, one line, at most 300 characters; may be "".
    pub position: String,
}

impl AffiliationInput {
    pub fn parse(raw: &AffiliationRaw) -> Result<AffiliationInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let organisation_id = required_line_text(&mut errors, "organisation_id", &raw.organisation_id, TEXT_CHARS);
        let position = line_text(&mut errors, "position", &raw.position, TEXT_CHARS);
        finish(errors, organisation_id.map(|organisation_id| AffiliationInput { organisation_id, position }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_are_checked_whole() {
        let raw =
            PersonRaw { name: Some("  Maria   Bianchi ".into()), email: Some("Maria@Example.it".into()), phone: None };
        let input = PersonInput::parse(&raw).unwrap();
        assert_eq!(input.name.as_str(), "Maria Bianchi");
        assert_eq!(input.email.unwrap().as_str(), "maria@example.it");
        let affiliation =
            AffiliationRaw { organisation_id: Some("o".into()), position: Some(" Assistente  sociale ".into()) };
        assert_eq!(AffiliationInput::parse(&affiliation).unwrap().position, "Assistente sociale");
        let long = AffiliationRaw { organisation_id: None, position: Some("x".repeat(301)) };
        let fields: Vec<_> = AffiliationInput::parse(&long).unwrap_err().0.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["organisation_id", "position"]);
        let bad = PersonRaw { name: None, email: Some("x@".into()), phone: Some("1".repeat(101)) };
        let codes: Vec<_> = PersonInput::parse(&bad).unwrap_err().0.iter().map(|e| (e.field.clone(), e.code)).collect();
        assert_eq!(
            codes,
            [
                ("name".to_owned(), "error-required"),
                ("email".to_owned(), "error-email-invalid"),
                ("phone".to_owned(), "error-too-long")
            ]
        );
    }
}
