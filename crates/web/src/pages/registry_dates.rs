//! Dates typed in forms: `YYYY-MM-DD` (what `<input type="date">` sends) or `DD/MM/YYYY`.

use reti_domain::FieldErrors;
use time::Date;
use time::macros::format_description;

pub fn today() -> Date {
    time::OffsetDateTime::now_utc().date()
}

pub fn parse_date(text: &str) -> Option<Date> {
    let text = text.trim();
    Date::parse(text, format_description!("[year]-[month]-[day]"))
        .or_else(|_| Date::parse(text, format_description!("[day]/[month]/[year]")))
        .ok()
}

/// An optional date: empty is `None`, anything unreadable is an error on `field`.
pub fn optional_date(errors: &mut FieldErrors, field: &'static str, text: &str) -> Option<Date> {
    if text.trim().is_empty() {
        return None;
    }
    let parsed = parse_date(text);
    if parsed.is_none() {
        errors.push(field, "error-date-invalid");
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_are_read() {
        assert_eq!(parse_date("2026-03-01"), parse_date("01/03/2026"));
        assert!(parse_date("31/02/2026").is_none());
        let mut errors = FieldErrors::default();
        assert_eq!(optional_date(&mut errors, "joined_on", " "), None);
        assert!(errors.is_empty());
        optional_date(&mut errors, "joined_on", "ieri");
        assert_eq!(errors.for_field("joined_on"), Some("error-date-invalid"));
    }
}
