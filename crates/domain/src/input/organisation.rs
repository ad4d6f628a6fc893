//! An organisation (ente), as the organisation form, `POST`/`PUT /api/v1/organisations` and
//! `reti import organisations` give it.

use super::{NAME_CHARS, SHORT_CHARS, Source, TEXT_CHARS, finish, items, line_text, optional, required};
use crate::taxcode::TaxCode;
use crate::territory::Territory;
use crate::{Email, FieldError, FieldErrors, OrganisationKind};
use serde::Serialize;

/// An organisation as typed.
#[derive(Debug, Clone, Default)]
pub struct OrganisationRaw {
    pub name: Option<String>,
    pub kind: Option<String>,
    pub tax_code: Option<String>,
    /// A municipality's name or ISTAT code.
    pub municipality: Option<String>,
    /// Tells apart municipalities with the same name.
    pub province: Option<String>,
    pub address: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    /// Resource tags, one by one.
    pub resources: Vec<String>,
}

/// What checking an organisation needs.
pub struct OrganisationContext<'a> {
    pub territory: &'a Territory,
    pub source: Source,
}

/// A valid organisation, ready to be written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrganisationInput {
    /// One line, at most 300 characters.
    pub name: String,
    pub kind: OrganisationKind,
    pub tax_code: TaxCode,
    /// ISTAT code of the municipality, when one was given.
    pub municipality_code: Option<String>,
    pub address: String,
    pub email: Option<Email>,
    pub phone: String,
    pub website: String,
    pub resources: Vec<String>,
}

impl OrganisationInput {
    pub fn parse(raw: &OrganisationRaw, context: &OrganisationContext) -> Result<OrganisationInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = super::required_line_text(&mut errors, "name", &raw.name, NAME_CHARS);
        let kind = required(&mut errors, "kind", &raw.kind, OrganisationKind::parse);
        let tax_code = required(&mut errors, "tax_code", &raw.tax_code, |typed| parse_tax_code(typed, context.source));
        let province = line_text(&mut errors, "province", &raw.province, SHORT_CHARS);
        let municipality = optional(&mut errors, "municipality", &raw.municipality, |typed| {
            context.territory.resolve(typed, &province).map(|m| m.istat_code.clone())
        });
        let address = line_text(&mut errors, "address", &raw.address, TEXT_CHARS);
        let email = optional(&mut errors, "email", &raw.email, Email::parse);
        let phone = line_text(&mut errors, "phone", &raw.phone, SHORT_CHARS);
        let website = line_text(&mut errors, "website", &raw.website, TEXT_CHARS);
        let resources = items(&mut errors, "resources", &raw.resources, TEXT_CHARS);
        let input = (|| {
            Some(OrganisationInput {
                name: name?,
                kind: kind?,
                tax_code: tax_code?,
                municipality_code: municipality?,
                address,
                email: email?,
                phone,
                website,
                resources,
            })
        })();
        finish(errors, input)
    }
}

/// A workbook drops the leading zeros of a numeric tax code typed as a number (00743110157 becomes
/// 743110157): from a workbook, a shorter all-digit code is padded back before it is checked.
pub(crate) fn parse_tax_code(typed: &str, source: Source) -> Result<TaxCode, FieldError> {
    let trimmed = typed.trim();
    if source == Source::Workbook && (7..11).contains(&trimmed.len()) && trimmed.bytes().all(|b| b.is_ascii_digit()) {
        return TaxCode::parse(&format!("{trimmed:0>11}"));
    }
    TaxCode::parse(typed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Municipality;
    use proptest::prelude::*;

    fn territory() -> Territory {
        let municipality = |code: &str, name: &str, province: &str| Municipality {
            istat_code: code.into(),
            name: name.into(),
            province: province.into(),
            province_code: province.into(),
            region: "Lombardia".into(),
            cadastral_code: String::new(),
        };
        Territory::new(vec![municipality("015146", "Milano", "MI"), municipality("013041", "Cantù", "CO")])
    }

    fn raw(name: &str) -> OrganisationRaw {
        OrganisationRaw {
            name: Some(name.into()),
            kind: Some("cooperativa sociale".into()),
            tax_code: Some("00743110157".into()),
            municipality: Some("CANTU'".into()),
            resources: vec!["Mediazione".into(), " mediazione ".into(), "".into()],
            ..OrganisationRaw::default()
        }
    }

    fn parse(raw: &OrganisationRaw, source: Source) -> Result<OrganisationInput, FieldErrors> {
        OrganisationInput::parse(raw, &OrganisationContext { territory: &territory(), source })
    }

    fn fields(errors: &FieldErrors) -> Vec<(String, &'static str)> {
        errors.0.iter().map(|e| (e.field.clone(), e.code)).collect()
    }

    fn only(field: &str, code: &'static str) -> Vec<(String, &'static str)> {
        vec![(field.to_owned(), code)]
    }

    #[test]
    fn a_typed_organisation_is_normalised() {
        let input = parse(&raw("  Coop   Aurora "), Source::Typed).unwrap();
        assert_eq!(input.name, "Coop Aurora");
        assert_eq!(input.kind, OrganisationKind::ThirdSector);
        assert_eq!(input.municipality_code.as_deref(), Some("013041"));
        assert_eq!(input.resources, ["Mediazione"]);
        assert_eq!(input.email, None);
    }

    #[test]
    fn every_problem_is_named() {
        let bad = OrganisationRaw {
            name: Some(" ".into()),
            kind: Some("banca".into()),
            tax_code: Some("743110157".into()),
            municipality: Some("Atlantide".into()),
            email: Some("not-an-email".into()),
            resources: vec!["x".repeat(301)],
            ..OrganisationRaw::default()
        };
        let errors = parse(&bad, Source::Typed).unwrap_err();
        let expected = [
            ("name", "error-required"),
            ("kind", "error-kind-invalid"),
            ("tax_code", "error-tax-code-format"),
            ("municipality", "error-municipality-unknown"),
            ("email", "error-email-invalid"),
            ("resources", "error-too-long"),
        ];
        assert_eq!(fields(&errors), expected.map(|(field, code)| (field.to_owned(), code)));
        assert_eq!(errors.get("resources").unwrap().args, [("max", "300".to_owned())]);
    }

    #[test]
    fn workbooks_get_their_zeros_back() {
        let short = OrganisationRaw { tax_code: Some("743110157".into()), ..raw("A") };
        assert_eq!(parse(&short, Source::Workbook).unwrap().tax_code.as_str(), "00743110157");
        assert!(parse(&short, Source::Csv).is_err());
        let wrong = OrganisationRaw { tax_code: Some("743110158".into()), ..raw("A") };
        assert_eq!(
            fields(&parse(&wrong, Source::Workbook).unwrap_err()),
            only("tax_code", "error-tax-code-check-digit")
        );
    }

    proptest! {
        #[test]
        fn names_longer_than_300_characters_are_refused_from_every_source(
            name in "[a-zA-Zàèéìòù0-9 '.-]{0,400}",
            source in prop::sample::select(vec![Source::Typed, Source::Csv, Source::Workbook]),
        ) {
            let collapsed = super::super::collapse(&name);
            let result = parse(&raw(&name), source);
            match collapsed.chars().count() {
                0 => prop_assert_eq!(fields(&result.unwrap_err()), only("name", "error-required")),
                1..=300 => prop_assert_eq!(result.unwrap().name, collapsed),
                _ => prop_assert_eq!(fields(&result.unwrap_err()), only("name", "error-too-long")),
            }
        }
    }
}
