//! A network, as the network form and `POST`/`PUT /api/v1/networks` give it. Which programme the
//! editor may put it in depends on their roles: the caller decides it and passes the programme's
//! action lines.

use super::{DESCRIPTION_CHARS, NAME_CHARS, action_lines, finish, optional, required_line_text, text, value};
use crate::territory::Territory;
use crate::{FieldErrors, Maturity, NetworkStatus};
use serde::Serialize;

/// A network as typed.
#[derive(Debug, Clone, Default)]
pub struct NetworkRaw {
    pub name: Option<String>,
    pub description: Option<String>,
    pub maturity: Option<String>,
    /// Active when blank.
    pub status: Option<String>,
    /// Municipality names or ISTAT codes.
    pub municipalities: Vec<String>,
    /// Action line ids or numbers.
    pub action_lines: Vec<String>,
}

/// What checking a network needs: the programme it goes in (`None` when the editor may not use
/// the one asked for, reported on `programme`), its action lines as (id, number), the territory.
pub struct NetworkContext<'a> {
    pub programme_id: Option<&'a str>,
    pub action_lines: &'a [(&'a str, i64)],
    pub territory: &'a Territory,
}

/// A valid network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NetworkInput {
    pub programme_id: String,
    pub name: String,
    pub description: String,
    pub maturity: Option<Maturity>,
    pub status: NetworkStatus,
    pub municipality_codes: Vec<String>,
    pub action_line_ids: Vec<String>,
}

impl NetworkInput {
    pub fn parse(raw: &NetworkRaw, context: &NetworkContext) -> Result<NetworkInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        if context.programme_id.is_none() {
            errors.push("programme", "error-programme-invalid");
        }
        let name = required_line_text(&mut errors, "name", &raw.name, NAME_CHARS);
        let description = text(&mut errors, "description", &raw.description, DESCRIPTION_CHARS);
        let maturity = optional(&mut errors, "maturity", &raw.maturity, Maturity::parse);
        let status = match value(&raw.status).trim() {
            "" => Some(NetworkStatus::Active),
            typed => errors.check(NetworkStatus::parse(typed)),
        };
        let mut municipality_codes = Vec::new();
        for typed in super::distinct(raw.municipalities.iter().map(String::as_str)) {
            if let Some(code) = context.territory.resolve_into(&typed, "", &mut errors, "municipalities")
                && !municipality_codes.contains(&code)
            {
                municipality_codes.push(code);
            }
        }
        let action_line_ids = action_lines(&mut errors, "action_lines", &raw.action_lines, context.action_lines);
        let input = (|| {
            Some(NetworkInput {
                programme_id: context.programme_id?.to_owned(),
                name: name?,
                description,
                maturity: maturity?,
                status: status?,
                municipality_codes,
                action_line_ids,
            })
        })();
        finish(errors, input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Municipality;

    fn territory() -> Territory {
        let municipality = |code: &str, name: &str| Municipality {
            istat_code: code.into(),
            name: name.into(),
            province: "CO".into(),
            province_code: "CO".into(),
            region: "Lombardia".into(),
            cadastral_code: String::new(),
        };
        Territory::new(vec![municipality("013041", "Cantù"), municipality("013095", "Erba")])
    }

    #[test]
    fn networks_are_checked_whole() {
        let territory = territory();
        let lines = [("line-1", 1)];
        let context = NetworkContext { programme_id: Some("p"), action_lines: &lines, territory: &territory };
        let raw = NetworkRaw {
            name: Some(" Rete  Brianza ".into()),
            municipalities: vec!["cantu'".into(), "013041".into(), "Erba".into()],
            action_lines: vec!["1".into()],
            ..NetworkRaw::default()
        };
        let input = NetworkInput::parse(&raw, &context).unwrap();
        assert_eq!(input.name, "Rete Brianza");
        assert_eq!(input.status, NetworkStatus::Active);
        assert_eq!(input.municipality_codes, ["013041", "013095"]);
        assert_eq!(input.action_line_ids, ["line-1"]);

        let nowhere = NetworkContext { programme_id: None, ..context };
        let bad = NetworkRaw {
            name: Some("x".repeat(301)),
            maturity: Some("boh".into()),
            municipalities: vec!["Atlantide".into()],
            action_lines: vec!["9".into()],
            ..NetworkRaw::default()
        };
        let codes: Vec<_> =
            NetworkInput::parse(&bad, &nowhere).unwrap_err().0.into_iter().map(|e| (e.field, e.code)).collect();
        let expected = [
            ("programme", "error-programme-invalid"),
            ("name", "error-too-long"),
            ("maturity", "error-maturity-invalid"),
            ("municipalities", "error-municipality-unknown"),
            ("action_lines", "error-action-line-invalid"),
        ];
        assert_eq!(codes, expected.map(|(f, c)| (f.to_owned(), c)));
    }
}
