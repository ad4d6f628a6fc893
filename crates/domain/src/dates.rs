//! Dates as people type them and spreadsheets write them, read in one place for the pages, the
//! API and the import, and written back the way Italians read them.
//!
//! Accepted everywhere: ISO `yyyy-mm-dd` (what `<input type="date">` sends; a time after it is
//! ignored) and day first, `dd/mm/yyyy` or `d/m/yyyy`, with `/`, `-` or `.` between the parts.
//! Spreadsheet cells may also hold an Excel serial day number ([`parse_cell`]).

use crate::FieldError;
use time::{Date, Duration, Month};

/// The message key of a date that cannot be read.
pub const INVALID: &str = "error-date-invalid";

/// A typed date, or `None` when `input` is not one of the accepted forms (including "").
pub fn parse(input: &str) -> Option<Date> {
    let input = input.trim();
    let date_part = input.split([' ', 'T']).next()?;
    let [a, b, c] = date_part.split(['/', '-', '.']).collect::<Vec<_>>()[..] else { return None };
    let digits = |s: &str, range: std::ops::RangeInclusive<usize>| {
        range.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    let (year, month, day) = if digits(a, 4..=4) && digits(b, 1..=2) && digits(c, 1..=2) {
        (a, b, c)
    } else if digits(a, 1..=2) && digits(b, 1..=2) && digits(c, 4..=4) {
        (c, b, a)
    } else {
        return None;
    };
    let month = Month::try_from(month.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(year.parse().ok()?, month, day.parse().ok()?).ok()
}

/// A date in a spreadsheet cell: a typed form, or an Excel serial day number (10000 and over,
/// i.e. from 1927: smaller numbers are more likely a year or a typo than a date).
pub fn parse_cell(input: &str) -> Option<Date> {
    parse(input).or_else(|| excel_serial(input.trim()))
}

/// An optional typed date of `field`: blank is `None`, anything unreadable an error naming it.
pub fn parse_optional(field: &str, input: &str) -> Result<Option<Date>, FieldError> {
    optional_with(field, input, parse)
}

/// An optional date of `field` in a spreadsheet cell (see [`parse_cell`]).
pub fn parse_optional_cell(field: &str, input: &str) -> Result<Option<Date>, FieldError> {
    optional_with(field, input, parse_cell)
}

fn optional_with(field: &str, input: &str, parse: fn(&str) -> Option<Date>) -> Result<Option<Date>, FieldError> {
    if input.trim().is_empty() {
        return Ok(None);
    }
    parse(input).map(Some).ok_or_else(|| FieldError::new(field, INVALID))
}

/// A date as Italians write it, `dd/mm/yyyy`, in both languages of the interface.
pub fn format(date: Date) -> String {
    format!("{:02}/{:02}/{:04}", date.day(), u8::from(date.month()), date.year())
}

/// An Excel serial date (days since 1899-12-30 in the 1900 system, valid from 1900-03-01), with
/// an optional fraction of a day that is ignored.
fn excel_serial(input: &str) -> Option<Date> {
    let (whole, fraction) = input.split_once(['.', ',']).unwrap_or((input, "0"));
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let days: i64 = whole.parse().ok()?;
    if !(10_000..=2_958_465).contains(&days) {
        return None;
    }
    Date::from_calendar_date(1899, Month::December, 30).ok()?.checked_add(Duration::days(days))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn every_typed_form_is_read() {
        for text in
            ["01/03/2024", "1/3/2024", "1.3.2024", "01-03-2024", "2024-03-01", " 2024-3-1 ", "2024-03-01T10:00:00"]
        {
            assert_eq!(parse(text), Some(date!(2024 - 03 - 01)), "{text}");
        }
        assert_eq!(parse("29/02/2024"), Some(date!(2024 - 02 - 29)));
        for bad in ["", "2024", "29/02/2023", "13/13/2024", "31/04/2024", "1/3/24", "ieri", "2024-3", "-45352", "45352"]
        {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn only_cells_read_excel_serials() {
        assert_eq!(parse_cell("45352"), Some(date!(2024 - 03 - 01)));
        assert_eq!(parse_cell("45352.5"), Some(date!(2024 - 03 - 01)));
        assert_eq!(parse_cell("01/03/2024"), Some(date!(2024 - 03 - 01)));
        for bad in ["9999", "45352.x", "2958466"] {
            assert_eq!(parse_cell(bad), None, "{bad}");
        }
    }

    #[test]
    fn optional_dates_name_their_field() {
        assert_eq!(parse_optional("joined_on", " "), Ok(None));
        assert_eq!(parse_optional("joined_on", "1/3/2024"), Ok(Some(date!(2024 - 03 - 01))));
        assert_eq!(parse_optional("joined_on", "ieri"), Err(FieldError::new("joined_on", INVALID)));
        assert_eq!(parse_optional("joined_on", "45352"), Err(FieldError::new("joined_on", INVALID)));
        assert_eq!(parse_optional_cell("joined_on", "45352"), Ok(Some(date!(2024 - 03 - 01))));
    }

    #[test]
    fn dates_are_shown_day_first() {
        assert_eq!(format(date!(2024 - 03 - 01)), "01/03/2024");
        assert_eq!(format(date!(0987 - 12 - 31)), "31/12/0987");
    }

    proptest! {
        #[test]
        fn format_then_parse_round_trips(days in 0i64..80_000) {
            let day = date!(1950 - 01 - 01) + Duration::days(days);
            prop_assert_eq!(parse(&format(day)), Some(day));
            prop_assert_eq!(parse(&day.to_string()), Some(day));
            prop_assert_eq!(parse_cell(&format(day)), Some(day));
        }
    }
}
