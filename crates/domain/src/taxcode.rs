//! Italian tax codes (SPEC §2): the 11-digit codice fiscale / partita IVA of organisations and the
//! 16-character codice fiscale of people, both validated with their check digit.
//!
//! A [`TaxCode`] is stored normalised (upper case, no spaces, no "IT" prefix on a VAT number) so
//! that it can identify an organisation: "it 00743110157" and "00743110157" are the same code.

use crate::FieldError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

const FIELD: &str = "tax_code";

/// A valid codice fiscale or partita IVA, normalised.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TaxCode(String);

impl TaxCode {
    /// Accepts the 11-digit numeric code (optionally prefixed by "IT") or the 16-character personal
    /// code, with spaces anywhere and in any case; checks the shape, then the check digit.
    pub fn parse(input: &str) -> Result<TaxCode, FieldError> {
        let code: String = input.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_uppercase).collect();
        if code.is_empty() {
            return Err(FieldError::new(FIELD, "error-required"));
        }
        let code = match code.strip_prefix("IT") {
            Some(rest) if rest.len() == 11 && rest.bytes().all(|b| b.is_ascii_digit()) => rest.to_owned(),
            _ => code,
        };
        let format = || FieldError::new(FIELD, "error-tax-code-format");
        let check = || FieldError::new(FIELD, "error-tax-code-check-digit");
        if code.len() == 11 && code.bytes().all(|b| b.is_ascii_digit()) {
            if check_digit_numeric(&code[..10]) != char::from(code.as_bytes()[10]) {
                return Err(check());
            }
        } else if code.len() == 16 && is_personal_shape(code.as_bytes()) {
            if check_char_personal(&code[..15]) != char::from(code.as_bytes()[15]) {
                return Err(check());
            }
        } else {
            return Err(format());
        }
        Ok(TaxCode(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True for the 16-character code of a person, false for the numeric code of an organisation.
    pub fn is_personal(&self) -> bool {
        self.0.len() == 16
    }
}

impl fmt::Display for TaxCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for TaxCode {
    type Err = FieldError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TaxCode::parse(s)
    }
}

impl TryFrom<String> for TaxCode {
    type Error = FieldError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        TaxCode::parse(&value)
    }
}

impl From<TaxCode> for String {
    fn from(code: TaxCode) -> Self {
        code.0
    }
}

impl AsRef<str> for TaxCode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// Parses `input` as a tax code; free function for callers that prefer it.
pub fn parse(input: &str) -> Result<TaxCode, FieldError> {
    TaxCode::parse(input)
}

/// The check digit of an 11-digit code from its first ten digits (the partita IVA algorithm:
/// digits in even positions, counting from 1, are doubled and reduced by 9 when over 9).
///
/// # Panics
/// If `first10` is not ten ASCII digits.
pub fn check_digit_numeric(first10: &str) -> char {
    assert!(first10.len() == 10 && first10.bytes().all(|b| b.is_ascii_digit()), "ten digits expected");
    let sum: u32 = first10
        .bytes()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    char::from(b'0' + ((10 - sum % 10) % 10) as u8)
}

/// The check character of a personal codice fiscale from its first fifteen characters (the
/// official tables for odd and even positions, sum modulo 26).
///
/// # Panics
/// If `first15` is not fifteen ASCII upper-case letters or digits.
pub fn check_char_personal(first15: &str) -> char {
    assert!(
        first15.len() == 15 && first15.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()),
        "fifteen upper-case letters or digits expected"
    );
    // Values of 0-9 and A-Z in odd positions (1st, 3rd, ...); 0-9 and A-J share a value.
    const ODD: [u32; 26] =
        [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
    let sum: u32 = first15
        .bytes()
        .enumerate()
        .map(|(i, b)| {
            let index = if b.is_ascii_digit() { b - b'0' } else { b - b'A' };
            if i % 2 == 0 { ODD[usize::from(index)] } else { u32::from(index) }
        })
        .sum();
    char::from(b'A' + (sum % 26) as u8)
}

/// LLLLLLDDLDDLDDDL, where the digits of the date and place may be replaced by the omocodia
/// letters L M N P Q R S T U V.
fn is_personal_shape(code: &[u8]) -> bool {
    const OMOCODIA: &[u8] = b"LMNPQRSTUV";
    const DIGITS: [usize; 7] = [6, 7, 9, 10, 12, 13, 14];
    code.iter().enumerate().all(|(i, &b)| {
        if DIGITS.contains(&i) { b.is_ascii_digit() || OMOCODIA.contains(&b) } else { b.is_ascii_uppercase() }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn numeric_codes() {
        // Partita IVA of a real company, and the municipality of Milano's codice fiscale.
        assert_eq!(check_digit_numeric("0074311015"), '7');
        assert_eq!(TaxCode::parse("00743110157").unwrap().as_str(), "00743110157");
        assert_eq!(TaxCode::parse("01199250158").unwrap().as_str(), "01199250158");
        assert_eq!(TaxCode::parse(" it 0074 3110 157 ").unwrap().as_str(), "00743110157");
        assert_eq!(TaxCode::parse("00743110158").unwrap_err().code, "error-tax-code-check-digit");
        assert!(!TaxCode::parse("00743110157").unwrap().is_personal());
    }

    #[test]
    fn personal_codes() {
        assert_eq!(check_char_personal("RSSMRA85T10A562"), 'S');
        let code = TaxCode::parse("rssmra85t10a562s").unwrap();
        assert_eq!(code.as_str(), "RSSMRA85T10A562S");
        assert!(code.is_personal());
        assert_eq!(code.to_string(), "RSSMRA85T10A562S");
        // Omocodia: the last digit 2 replaced by N, with its own check character.
        let omocode = format!("RSSMRA85T10A56N{}", check_char_personal("RSSMRA85T10A56N"));
        assert!(TaxCode::parse(&omocode).is_ok());
        assert_eq!(TaxCode::parse("RSSMRA85T10A562T").unwrap_err().code, "error-tax-code-check-digit");
    }

    #[test]
    fn malformed_codes() {
        assert_eq!(TaxCode::parse("  ").unwrap_err(), FieldError::new("tax_code", "error-required"));
        for bad in
            ["123", "0074311015", "007431101577", "RSSMRA85T10A562", "RSSMRA85T10A5X2S", "1SSMRA85T10A562S", "IT123"]
        {
            assert_eq!(TaxCode::parse(bad).unwrap_err().code, "error-tax-code-format", "{bad}");
        }
        assert_eq!(TaxCode::parse("ITRSSMRA85T10A562S").unwrap_err().code, "error-tax-code-format");
    }

    #[test]
    fn serde_round_trip() {
        let code = TaxCode::parse("00743110157").unwrap();
        assert_eq!(String::from(code.clone()), "00743110157");
        assert_eq!(TaxCode::try_from("IT00743110157".to_owned()).unwrap(), code);
        assert!(TaxCode::try_from("00743110158".to_owned()).is_err());
        assert_eq!("00743110157".parse::<TaxCode>().unwrap(), code);
    }

    fn personal_prefix() -> impl Strategy<Value = String> {
        let omo = "[0-9LMNPQRSTUV]";
        proptest::string::string_regex(&format!("[A-Z]{{6}}{omo}{{2}}[A-Z]{omo}{{2}}[A-Z]{omo}{{3}}")).unwrap()
    }

    proptest! {
        #[test]
        fn generated_numeric_codes_are_valid(first10 in "[0-9]{10}") {
            let code = format!("{first10}{}", check_digit_numeric(&first10));
            prop_assert_eq!(TaxCode::parse(&code).unwrap().to_string(), code.clone());
            prop_assert_eq!(TaxCode::parse(&format!("IT{code}")).unwrap().to_string(), code);
        }

        #[test]
        fn wrong_numeric_check_digit_is_rejected(first10 in "[0-9]{10}", other in 0u8..10) {
            let right = check_digit_numeric(&first10);
            let wrong = char::from(b'0' + other);
            prop_assume!(wrong != right);
            prop_assert_eq!(TaxCode::parse(&format!("{first10}{wrong}")).unwrap_err().code, "error-tax-code-check-digit");
        }

        #[test]
        fn changing_one_numeric_digit_is_detected(first10 in "[0-9]{10}", position in 0usize..10, delta in 1u8..10) {
            let code = format!("{first10}{}", check_digit_numeric(&first10));
            let mut bytes = code.into_bytes();
            bytes[position] = b'0' + (bytes[position] - b'0' + delta) % 10;
            let changed = String::from_utf8(bytes).unwrap();
            prop_assert!(TaxCode::parse(&changed).is_err());
        }

        #[test]
        fn generated_personal_codes_are_valid(first15 in personal_prefix()) {
            let code = format!("{first15}{}", check_char_personal(&first15));
            prop_assert_eq!(TaxCode::parse(&code.to_lowercase()).unwrap().to_string(), code);
        }

        #[test]
        fn wrong_personal_check_char_is_rejected(first15 in personal_prefix(), other in 0u8..26) {
            let right = check_char_personal(&first15);
            let wrong = char::from(b'A' + other);
            prop_assume!(wrong != right);
            prop_assert_eq!(TaxCode::parse(&format!("{first15}{wrong}")).unwrap_err().code, "error-tax-code-check-digit");
        }

        #[test]
        fn parse_never_panics(input in "\\PC{0,20}") {
            let _ = TaxCode::parse(&input);
        }
    }
}
