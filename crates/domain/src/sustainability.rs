//! A network's sustainability plan (sostenibilità futura, issue 12, decision 0044): the kinds and
//! statuses of its funding sources beyond the programme, the levels of its risks, and amounts of
//! money typed in euro and kept as integer cents, so that sums are exact on both engines.
//!
//! The plan's inputs are checked in [`crate::input::sustainability`].

use crate::FieldError;
use serde::{Deserialize, Serialize};

/// Where money after the programme may come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FundingKind {
    /// Fondi comunali.
    Municipal,
    /// Fondi regionali.
    Regional,
    /// Fondazioni.
    Foundation,
    /// Fondi europei.
    European,
    /// Autofinanziamento dei membri.
    SelfFunding,
    Other,
}

impl FundingKind {
    pub const ALL: [FundingKind; 6] = [
        FundingKind::Municipal,
        FundingKind::Regional,
        FundingKind::Foundation,
        FundingKind::European,
        FundingKind::SelfFunding,
        FundingKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            FundingKind::Municipal => "municipal",
            FundingKind::Regional => "regional",
            FundingKind::Foundation => "foundation",
            FundingKind::European => "european",
            FundingKind::SelfFunding => "self_funding",
            FundingKind::Other => "other",
        }
    }

    /// The kind of `code`, reported on `kind`.
    pub fn parse(code: &str) -> Result<FundingKind, FieldError> {
        parse_code(&FundingKind::ALL, FundingKind::code, "kind", "error-sustain-kind-invalid", code)
    }

    /// The Fluent id of the label.
    pub fn label_key(self) -> String {
        format!("sustain-kind-{}", self.code().replace('_', "-"))
    }
}

/// How far a funding source has gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FundingStatus {
    /// Ipotesi: considered, not asked for yet.
    Hypothesis,
    /// Richiesto.
    Requested,
    /// Ottenuto: the only status that makes a plan funded.
    Obtained,
    /// Negato.
    Denied,
}

impl FundingStatus {
    pub const ALL: [FundingStatus; 4] =
        [FundingStatus::Hypothesis, FundingStatus::Requested, FundingStatus::Obtained, FundingStatus::Denied];

    pub fn code(self) -> &'static str {
        match self {
            FundingStatus::Hypothesis => "hypothesis",
            FundingStatus::Requested => "requested",
            FundingStatus::Obtained => "obtained",
            FundingStatus::Denied => "denied",
        }
    }

    /// The status of `code`, reported on `status`.
    pub fn parse(code: &str) -> Result<FundingStatus, FieldError> {
        parse_code(&FundingStatus::ALL, FundingStatus::code, "status", "error-sustain-status-invalid", code)
    }

    pub fn label_key(self) -> String {
        format!("sustain-status-{}", self.code())
    }
}

/// The likelihood or the impact of a risk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Low,
    Medium,
    High,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Low, Level::Medium, Level::High];

    pub fn code(self) -> &'static str {
        match self {
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
        }
    }

    /// The level of `code`, reported on `field`.
    pub fn parse(field: &str, code: &str) -> Result<Level, FieldError> {
        parse_code(&Level::ALL, Level::code, field, "error-sustain-level-invalid", code)
    }

    pub fn label_key(self) -> String {
        format!("sustain-level-{}", self.code())
    }
}

fn parse_code<T: Copy>(
    all: &[T],
    code_of: fn(T) -> &'static str,
    field: &str,
    invalid: &'static str,
    code: &str,
) -> Result<T, FieldError> {
    let code = code.trim();
    if code.is_empty() {
        return Err(FieldError::new(field, "error-required"));
    }
    all.iter().copied().find(|value| code_of(*value) == code).ok_or_else(|| FieldError::new(field, invalid))
}

/// The largest amount a funding source may hold: one billion euro, in cents.
pub const MAX_CENTS: i64 = 1_000_000_000 * 100;

/// An amount typed in euro into cents: "1.500", "1.500,50", "1500.5", "€ 2.000" (the Italian
/// notation, with dots between thousands and a decimal comma, or a decimal point when one dot is
/// followed by one or two digits). At most two decimals, at most [`MAX_CENTS`]; reported on
/// `sustain_amount`.
pub fn parse_euro(input: &str) -> Result<i64, FieldError> {
    const FIELD: &str = "sustain_amount";
    let invalid = || FieldError::new(FIELD, "error-sustain-amount-invalid");
    let text: String = input.chars().filter(|c| !c.is_whitespace() && *c != '€').collect();
    if text.is_empty() {
        return Err(FieldError::new(FIELD, "error-required"));
    }
    if !text.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',') {
        return Err(invalid());
    }
    let (whole, fraction) = match (text.matches(',').count(), text.matches('.').count()) {
        (0, 1) => match text.split_once('.') {
            Some((whole, fraction)) if (1..=2).contains(&fraction.len()) => (whole.to_owned(), fraction),
            _ => (grouped(&text).ok_or_else(invalid)?, ""),
        },
        (0, _) => (grouped(&text).ok_or_else(invalid)?, ""),
        (1, _) => {
            let (whole, fraction) = text.split_once(',').ok_or_else(invalid)?;
            (grouped(whole).ok_or_else(invalid)?, fraction)
        }
        _ => return Err(invalid()),
    };
    if whole.is_empty() || fraction.len() > 2 || !fraction.bytes().all(|b| b.is_ascii_digit()) || whole.len() > 12 {
        return Err(invalid());
    }
    let euro: i64 = whole.parse().map_err(|_| invalid())?;
    let cents: i64 = if fraction.is_empty() { 0 } else { format!("{fraction:0<2}").parse().map_err(|_| invalid())? };
    let total = euro.checked_mul(100).and_then(|e| e.checked_add(cents)).ok_or_else(invalid)?;
    if total > MAX_CENTS {
        return Err(FieldError::new(FIELD, "error-sustain-amount-range").with_arg("max", "1.000.000.000"));
    }
    Ok(total)
}

/// Digits with dots between groups of three ("1.500.000") as plain digits; `None` when the
/// groups are wrong. Without dots, the digits as they are.
fn grouped(text: &str) -> Option<String> {
    let groups: Vec<&str> = text.split('.').collect();
    let digits = |group: &str| group.bytes().all(|b| b.is_ascii_digit());
    let first_ok = groups.first().is_some_and(|g| (1..=3).contains(&g.len()) || groups.len() == 1);
    let rest_ok = groups.iter().skip(1).all(|g| g.len() == 3);
    (first_ok && rest_ok && groups.iter().all(|g| digits(g))).then(|| groups.concat())
}

/// Cents as euro the way Italians write them: "1.500,00". The English pages write the same
/// figure with `,` between thousands and a decimal point ("1,500.00").
pub fn format_euro(cents: i64, decimal_separator: char) -> String {
    let thousands = if decimal_separator == ',' { '.' } else { ',' };
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index).is_multiple_of(3) {
            grouped.push(thousands);
        }
        grouped.push(digit);
    }
    format!("{sign}{grouped}{decimal_separator}{:02}", cents % 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn euro_are_read_in_the_usual_notations() {
        assert_eq!(parse_euro("1.500"), Ok(150_000));
        assert_eq!(parse_euro("1.500,5"), Ok(150_050));
        assert_eq!(parse_euro("1500.50"), Ok(150_050));
        assert_eq!(parse_euro("€ 2.000.000"), Ok(200_000_000));
        assert_eq!(parse_euro("12,34"), Ok(1_234));
        assert_eq!(parse_euro("0"), Ok(0));
        assert_eq!(parse_euro("").unwrap_err().code, "error-required");
        for wrong in ["1.50.0", "12,345", "-5", "1,2,3", "dieci", ",5", "1.5.0,00", "1,500.00"] {
            assert_eq!(parse_euro(wrong).unwrap_err().code, "error-sustain-amount-invalid", "{wrong}");
        }
        assert_eq!(parse_euro("1.000.000.001").unwrap_err().code, "error-sustain-amount-range");
        assert_eq!(parse_euro("1000000000"), Ok(MAX_CENTS));
    }

    #[test]
    fn codes_are_parsed_and_named() {
        assert_eq!(FundingKind::parse("self_funding"), Ok(FundingKind::SelfFunding));
        assert_eq!(FundingKind::parse("bank").unwrap_err().code, "error-sustain-kind-invalid");
        assert_eq!(FundingStatus::parse(" obtained "), Ok(FundingStatus::Obtained));
        assert_eq!(FundingStatus::parse("").unwrap_err().code, "error-required");
        assert_eq!(Level::parse("sustain_impact", "huge").unwrap_err().field, "sustain_impact");
        assert_eq!(FundingKind::SelfFunding.label_key(), "sustain-kind-self-funding");
    }

    #[test]
    fn euro_are_formatted_per_language() {
        assert_eq!(format_euro(150_050, ','), "1.500,50");
        assert_eq!(format_euro(150_050, '.'), "1,500.50");
        assert_eq!(format_euro(5, ','), "0,05");
        assert_eq!(format_euro(100_000_000, ','), "1.000.000,00");
    }

    proptest! {
        #[test]
        fn formatted_italian_amounts_read_back(cents in 0i64..=MAX_CENTS) {
            prop_assert_eq!(parse_euro(&format_euro(cents, ',')), Ok(cents));
        }
    }
}
