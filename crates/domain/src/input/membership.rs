//! The terms of an organisation's membership of a network (its role and dates), as the network
//! page, `POST /api/v1/networks/{id}/memberships` and `reti import memberships` give them. Which
//! network and which organisation are resolved by the caller.

use super::{Source, date, finish, required};
use crate::{FieldErrors, MembershipRole};
use serde::Serialize;
use time::Date;

/// A membership's terms as typed.
#[derive(Debug, Clone, Default)]
pub struct MembershipRaw {
    pub role: Option<String>,
    pub joined_on: Option<String>,
    pub left_on: Option<String>,
}

/// Valid terms: a role, and dates in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MembershipTerms {
    pub role: MembershipRole,
    pub joined_on: Option<Date>,
    pub left_on: Option<Date>,
}

impl MembershipTerms {
    /// `source` says whether dates may be Excel serial numbers.
    pub fn parse(raw: &MembershipRaw, source: &Source) -> Result<MembershipTerms, FieldErrors> {
        let mut errors = FieldErrors::default();
        let role = required(&mut errors, "role", &raw.role, MembershipRole::parse);
        let joined_on = date(&mut errors, "joined_on", &raw.joined_on, *source);
        let left_on = date(&mut errors, "left_on", &raw.left_on, *source);
        if let (Some(Some(joined)), Some(Some(left))) = (joined_on, left_on)
            && left < joined
        {
            errors.push("left_on", "error-date-order");
        }
        let terms = (|| Some(MembershipTerms { role: role?, joined_on: joined_on?, left_on: left_on? }))();
        finish(errors, terms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn raw(role: &str, joined: &str, left: &str) -> MembershipRaw {
        MembershipRaw { role: Some(role.into()), joined_on: Some(joined.into()), left_on: Some(left.into()) }
    }

    fn codes(result: Result<MembershipTerms, FieldErrors>) -> Vec<(String, &'static str)> {
        result.unwrap_err().0.into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn dates_are_read_one_way_everywhere() {
        let terms = MembershipTerms::parse(&raw("Capofila", "1/3/2024", ""), &Source::Typed).unwrap();
        assert_eq!(
            (terms.role, terms.joined_on, terms.left_on),
            (MembershipRole::Lead, Some(date!(2024 - 03 - 01)), None)
        );
        // Excel serials only in spreadsheet cells.
        assert_eq!(
            codes(MembershipTerms::parse(&raw("partner", "45352", ""), &Source::Typed)),
            [("joined_on".into(), "error-date-invalid")]
        );
        let cell = MembershipTerms::parse(&raw("partner", "45352", ""), &Source::Csv).unwrap();
        assert_eq!(cell.joined_on, Some(date!(2024 - 03 - 01)));
        for source in [Source::Typed, Source::Csv, Source::Workbook] {
            assert_eq!(
                codes(MembershipTerms::parse(&raw("socio", "31/02/2024", "2023-01-01"), &source)),
                [("role".into(), "error-membership-role-invalid"), ("joined_on".into(), "error-date-invalid")]
            );
            assert_eq!(
                codes(MembershipTerms::parse(&raw("partner", "2024-03-01", "2023-12-31"), &source)),
                [("left_on".into(), "error-date-order")]
            );
        }
    }
}
