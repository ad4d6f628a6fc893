//! Accounts: e-mail addresses, passwords, names and the roles of SPEC §1.

use crate::FieldError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A role held in one programme. The platform administrator is not a role of a programme but a
/// flag on the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Coordinamento regionale.
    Coordinator,
    /// Accompagnatore / Esperto.
    Facilitator,
    /// Referente di rete.
    NetworkLead,
    /// Membro di rete.
    NetworkMember,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Coordinator, Role::Facilitator, Role::NetworkLead, Role::NetworkMember];

    pub fn code(self) -> &'static str {
        match self {
            Role::Coordinator => "coordinator",
            Role::Facilitator => "facilitator",
            Role::NetworkLead => "network_lead",
            Role::NetworkMember => "network_member",
        }
    }

    pub fn parse(code: &str) -> Result<Role, FieldError> {
        Role::ALL
            .into_iter()
            .find(|role| role.code() == code.trim())
            .ok_or_else(|| FieldError::new("role", "error-role-invalid"))
    }

    /// The Fluent id of the role's label.
    pub fn label_key(self) -> &'static str {
        match self {
            Role::Coordinator => "role-coordinator",
            Role::Facilitator => "role-facilitator",
            Role::NetworkLead => "role-network-lead",
            Role::NetworkMember => "role-network-member",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A syntactically valid e-mail address, trimmed and lower-cased so that it can identify an account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(input: &str) -> Result<Email, FieldError> {
        let email = input.trim().to_lowercase();
        let invalid = || FieldError::new("email", "error-email-invalid");
        if email.is_empty() {
            return Err(FieldError::new("email", "error-required"));
        }
        if email.len() > Self::MAX_LEN || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid());
        }
        let (local, domain) = email.rsplit_once('@').ok_or_else(invalid)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        if local.is_empty() || local.contains('@') || local.len() > 64 || !domain_ok {
            return Err(invalid());
        }
        Ok(Email(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A password that meets the policy: long enough to resist guessing, short enough that hashing it
/// cannot be used to exhaust the server.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 10;
    pub const MAX_CHARS: usize = 256;

    pub fn parse(input: &str) -> Result<Password, FieldError> {
        let chars = input.chars().count();
        if chars == 0 {
            return Err(FieldError::new("password", "error-required"));
        }
        if chars < Self::MIN_CHARS {
            return Err(FieldError::new("password", "error-password-too-short"));
        }
        if chars > Self::MAX_CHARS {
            return Err(FieldError::new("password", "error-password-too-long"));
        }
        Ok(Password(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// A person's display name: trimmed, not empty, of a sensible length.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonName(String);

impl PersonName {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(input: &str) -> Result<PersonName, FieldError> {
        let name = input.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Err(FieldError::new("name", "error-required"));
        }
        if name.chars().count() > Self::MAX_CHARS || name.chars().any(char::is_control) {
            return Err(FieldError::new("name", "error-name-invalid"));
        }
        Ok(PersonName(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn email_is_normalised() {
        assert_eq!(Email::parse("  Anna.Rossi@Comune.Milano.IT ").unwrap().as_str(), "anna.rossi@comune.milano.it");
    }

    #[test]
    fn email_rejects_malformed() {
        for bad in ["", "anna", "anna@", "@x.it", "anna@x", "an na@x.it", "anna@x..it", "anna@.x.it"] {
            assert!(Email::parse(bad).is_err(), "{bad:?} accepted");
        }
        assert_eq!(Email::parse(" ").unwrap_err().code, "error-required");
    }

    #[test]
    fn password_policy() {
        assert_eq!(Password::parse("short").unwrap_err().code, "error-password-too-short");
        assert_eq!(Password::parse(&"x".repeat(300)).unwrap_err().code, "error-password-too-long");
        assert!(Password::parse("una-password-lunga").is_ok());
        assert_eq!(format!("{:?}", Password::parse("una-password-lunga").unwrap()), "Password(***)");
    }

    #[test]
    fn role_codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.code()).unwrap(), role);
        }
        assert!(Role::parse("admin").is_err());
    }

    #[test]
    fn names_collapse_whitespace() {
        assert_eq!(PersonName::parse("  Maria   Bianchi ").unwrap().as_str(), "Maria Bianchi");
        assert!(PersonName::parse("   ").is_err());
    }

    proptest! {
        #[test]
        fn parsed_email_is_a_fixed_point(input in "\\PC{0,80}") {
            if let Ok(email) = Email::parse(&input) {
                prop_assert_eq!(Email::parse(email.as_str()).unwrap(), email);
            }
        }
    }
}
