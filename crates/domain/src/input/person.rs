//! A person who works in the programme, as the person form, `POST`/`PUT /api/v1/people` and
//! `reti import people` give them (their affiliations are resolved by the caller).

use super::{SHORT_CHARS, finish, line_text, optional, required};
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
