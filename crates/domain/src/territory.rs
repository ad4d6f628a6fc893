//! ISTAT's municipalities (SPEC §2 "Territory"): parsing the official list ("Elenco comuni
//! italiani", shipped as `data/istat-elenco-comuni.csv`) and resolving what people type in a
//! spreadsheet ("Cantù", "CANTU'", "13041", "015146") to one municipality.

use crate::FieldError;
use crate::columns::{Column, map_columns};
use crate::table::{TableError, read_table};
use crate::text::header_key;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Municipality {
    /// 6 digits, zero-padded, e.g. "015146".
    pub istat_code: String,
    /// "Denominazione in italiano", e.g. "Milano".
    pub name: String,
    /// The province, metropolitan city or equivalent ("Denominazione dell'Unità territoriale
    /// sovracomunale"), e.g. "Milano".
    pub province: String,
    /// "Sigla automobilistica", e.g. "MI".
    pub province_code: String,
    pub region: String,
    /// "Codice Catastale del comune", e.g. "F205".
    pub cadastral_code: String,
}

/// The columns of ISTAT's list (the current headers and a few older or simpler spellings).
pub const ISTAT_COLUMNS: &[Column] = &[
    Column {
        field: "istat_code",
        aliases: &[
            "Codice Comune formato alfanumerico",
            "codice istat",
            "codice comune",
            "pro_com_t",
            "codice istat comune",
        ],
        required: true,
    },
    Column {
        field: "name",
        aliases: &[
            "Denominazione in italiano",
            "denominazione italiana",
            "denominazione comune",
            "comune",
            "nome comune",
        ],
        required: true,
    },
    Column {
        field: "province",
        aliases: &[
            "Denominazione dell'Unità territoriale sovracomunale (valida a fini statistici)",
            "Denominazione dell'Unità territoriale sovracomunale",
            "Denominazione Provincia",
            "Denominazione Città metropolitana",
            "provincia",
        ],
        required: true,
    },
    Column { field: "province_code", aliases: &["Sigla automobilistica", "sigla provincia", "sigla"], required: true },
    Column { field: "region", aliases: &["Denominazione Regione", "regione"], required: true },
    Column {
        field: "cadastral_code",
        aliases: &["Codice Catastale del comune", "codice catastale", "codice belfiore"],
        required: false,
    },
];

/// Headers that begin like the province column but carry a note ISTAT changes between editions.
const PROVINCE_HEADER_PREFIX: &str = "denominazionedellunitaterritorialesovracomunale";

/// Parses ISTAT's list of municipalities (CSV as published, in Latin-1 with `;`, or XLSX).
/// Rows without a code (footnotes) are skipped; a malformed or repeated code makes the whole file
/// unreadable, since this is reference data.
pub fn parse_istat(bytes: &[u8]) -> Result<Vec<Municipality>, TableError> {
    let table = read_table(bytes)?;
    let mut map = map_columns(&table.headers, ISTAT_COLUMNS);
    if !map.has("province")
        && let Some(index) = table.headers.iter().position(|h| header_key(h).starts_with(PROVINCE_HEADER_PREFIX))
    {
        map.fields.insert("province", index);
        map.missing.retain(|f| *f != "province");
    }
    if !map.missing.is_empty() {
        return Err(TableError::Unreadable(format!(
            "not ISTAT's list of municipalities: missing columns {}",
            map.missing.join(", ")
        )));
    }
    let mut municipalities = Vec::with_capacity(table.rows.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    for row in &table.rows {
        let typed = map.get(row, "istat_code");
        if typed.is_empty() {
            continue;
        }
        let istat_code = normalise_istat_code(typed)
            .ok_or_else(|| TableError::Unreadable(format!("line {}: invalid ISTAT code {typed:?}", row.line)))?;
        if let Some(first) = seen.insert(istat_code.clone(), row.line) {
            return Err(TableError::Unreadable(format!(
                "line {}: ISTAT code {istat_code} repeated (first on line {first})",
                row.line
            )));
        }
        municipalities.push(Municipality {
            istat_code,
            name: map.get(row, "name").to_owned(),
            province: map.get(row, "province").to_owned(),
            province_code: map.get(row, "province_code").to_ascii_uppercase(),
            region: map.get(row, "region").to_owned(),
            cadastral_code: map.get(row, "cadastral_code").to_ascii_uppercase(),
        });
    }
    Ok(municipalities)
}

/// "15146" or "015146" → "015146" (spreadsheets drop leading zeros); `None` unless the input is
/// 1 to 6 ASCII digits (surrounding spaces allowed).
pub fn normalise_istat_code(input: &str) -> Option<String> {
    let digits = input.trim();
    if digits.is_empty() || digits.len() > 6 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(format!("{digits:0>6}"))
}

/// The municipalities, indexed to resolve what people type.
#[derive(Debug, Clone, Default)]
pub struct Territory {
    municipalities: Vec<Municipality>,
    by_code: HashMap<String, usize>,
    by_name: HashMap<String, Vec<usize>>,
}

impl Territory {
    pub fn new(municipalities: Vec<Municipality>) -> Self {
        let mut by_code = HashMap::new();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (index, municipality) in municipalities.iter().enumerate() {
            by_code.insert(municipality.istat_code.clone(), index);
            by_name.entry(header_key(&municipality.name)).or_default().push(index);
        }
        Territory { municipalities, by_code, by_name }
    }

    pub fn municipalities(&self) -> &[Municipality] {
        &self.municipalities
    }

    /// By ISTAT code, with or without its leading zeros.
    pub fn get(&self, code: &str) -> Option<&Municipality> {
        let code = normalise_istat_code(code)?;
        self.by_code.get(&code).map(|&i| &self.municipalities[i])
    }

    /// The municipality meant by `input` (an ISTAT code, or a name in any case, with or without
    /// accents or apostrophes), narrowed by `province` (a code such as "CO" or a name; may be "")
    /// when several municipalities share the name. Errors, on field "municipality":
    /// "error-municipality-unknown", "error-municipality-ambiguous" (same name in several
    /// provinces and none given), "error-municipality-province" (not in the province given).
    /// The ISTAT code meant by `input`, or `None` with the problem recorded on `field`.
    pub fn resolve_into(
        &self,
        input: &str,
        province: &str,
        errors: &mut crate::FieldErrors,
        field: &str,
    ) -> Option<String> {
        match self.resolve(input, province) {
            Ok(municipality) => Some(municipality.istat_code.clone()),
            Err(error) => {
                errors.push(field, error.code);
                None
            }
        }
    }

    pub fn resolve(&self, input: &str, province: &str) -> Result<&Municipality, FieldError> {
        const FIELD: &str = "municipality";
        let input = input.trim();
        if input.is_empty() {
            return Err(FieldError::new(FIELD, "error-required"));
        }
        if input.bytes().all(|b| b.is_ascii_digit()) {
            return self.get(input).ok_or_else(|| FieldError::new(FIELD, "error-municipality-unknown"));
        }
        let candidates =
            self.by_name.get(&header_key(input)).ok_or_else(|| FieldError::new(FIELD, "error-municipality-unknown"))?;
        let province_key = header_key(province);
        let matching: Vec<&Municipality> = candidates
            .iter()
            .map(|&i| &self.municipalities[i])
            .filter(|m| {
                province_key.is_empty()
                    || header_key(&m.province_code) == province_key
                    || header_key(&m.province) == province_key
                    // "Bolzano/Bozen": either half.
                    || m.province.split('/').any(|part| header_key(part) == province_key)
            })
            .collect();
        match matching[..] {
            [one] => Ok(one),
            [] => Err(FieldError::new(FIELD, "error-municipality-province")),
            _ => Err(FieldError::new(FIELD, "error-municipality-ambiguous")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static ISTAT: &[u8] = include_bytes!("../../../data/istat-elenco-comuni.csv");

    #[test]
    fn the_shipped_istat_list() {
        let municipalities = parse_istat(ISTAT).unwrap();
        assert!(municipalities.len() > 7_800, "{}", municipalities.len());
        assert!(municipalities.iter().filter(|m| m.region == "Lombardia").count() >= 1_500);
        assert!(municipalities.iter().all(|m| m.istat_code.len() == 6 && !m.name.is_empty()));
        assert!(municipalities.iter().all(|m| m.province_code.len() == 2 && !m.province.is_empty()));
        let territory = Territory::new(municipalities);
        let milano = territory.get("015146").unwrap();
        assert_eq!(
            milano,
            &Municipality {
                istat_code: "015146".into(),
                name: "Milano".into(),
                province: "Milano".into(),
                province_code: "MI".into(),
                region: "Lombardia".into(),
                cadastral_code: "F205".into(),
            }
        );
        let cantu = territory.get("13041").unwrap();
        assert_eq!((cantu.name.as_str(), cantu.province_code.as_str()), ("Cantù", "CO"));
        assert_eq!(territory.resolve("CANTU'", "").unwrap().istat_code, "013041");
        assert_eq!(territory.resolve("cantu", "Como").unwrap().istat_code, "013041");
        assert_eq!(territory.resolve("15146", "").unwrap().name, "Milano");
        assert_eq!(territory.resolve("Sant'Angelo Lodigiano", "LO").unwrap().province_code, "LO");
        // Samone is both in the province of Turin and in Trentino.
        assert_eq!(territory.resolve("Samone", "").unwrap_err().code, "error-municipality-ambiguous");
        assert_eq!(territory.resolve("Samone", "TO").unwrap().province_code, "TO");
        assert_eq!(territory.resolve("Milano", "CO").unwrap_err().code, "error-municipality-province");
        assert_eq!(territory.resolve("Atlantide", "").unwrap_err().code, "error-municipality-unknown");
        assert_eq!(territory.resolve("999999", "").unwrap_err().code, "error-municipality-unknown");
        assert_eq!(territory.resolve(" ", "").unwrap_err().code, "error-required");
        // Bilingual provinces can be named by either half.
        let bolzano = territory.resolve("Bolzano", "Bozen").unwrap();
        assert_eq!(bolzano.province_code, "BZ");
    }

    #[test]
    fn istat_codes() {
        assert_eq!(normalise_istat_code("15146").as_deref(), Some("015146"));
        assert_eq!(normalise_istat_code(" 015146 ").as_deref(), Some("015146"));
        assert_eq!(normalise_istat_code("1").as_deref(), Some("000001"));
        for bad in ["", "0151460", "15146.0", "MI", "-1"] {
            assert_eq!(normalise_istat_code(bad), None, "{bad}");
        }
    }

    #[test]
    fn small_and_foreign_files() {
        let csv = "Codice Comune formato alfanumerico;Denominazione in italiano;Denominazione Regione;\"Denominazione dell'Unità territoriale sovracomunale \n(valida dal 2025)\";Sigla automobilistica\n15146;Milano;Lombardia;Milano;mi\n;(1) nota a piè di pagina;;;\n";
        let parsed = parse_istat(csv.as_bytes()).unwrap();
        assert_eq!(parsed.len(), 1);
        assert_eq!(parsed[0].istat_code, "015146");
        assert_eq!(parsed[0].province, "Milano");
        assert_eq!(parsed[0].province_code, "MI");
        assert_eq!(parsed[0].cadastral_code, "");
        assert!(matches!(parse_istat(b"nome;cognome\nA;B\n"), Err(TableError::Unreadable(_))));
        let bad = "codice istat;comune;regione;provincia;sigla\nXY;Milano;Lombardia;Milano;MI\n";
        assert!(matches!(parse_istat(bad.as_bytes()), Err(TableError::Unreadable(_))));
        let repeated = "codice istat;comune;regione;provincia;sigla\n1;A;R;P;PP\n000001;B;R;P;PP\n";
        assert!(matches!(parse_istat(repeated.as_bytes()), Err(TableError::Unreadable(_))));
    }
}
