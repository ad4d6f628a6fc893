//! Typed rows for the importable entities (SPEC §8 `reti import`): organisations, people,
//! networks, memberships and districts.
//!
//! Each entity has its column list (Italian and English headers) and a parser that checks every
//! row and collects every problem, so that an import can be refused whole with a row-by-row
//! report (SPEC §9). The fields a record shares with its form and its API call are checked by
//! its input type ([`crate::input`]), exactly as there; organisations and networks named in a
//! row are resolved by the caller.

use crate::columns::{Column, ColumnMap};
use crate::input::organisation::parse_tax_code;
use crate::input::{
    MembershipRaw, MembershipTerms, NAME_CHARS, NetworkContext, NetworkInput, NetworkRaw, OrganisationContext,
    OrganisationInput, OrganisationRaw, PersonInput, PersonRaw, SHORT_CHARS, Source, TEXT_CHARS, collapse, distinct,
    too_long,
};
use crate::table::{FileFormat, Table, TableRow};
use crate::taxcode::TaxCode;
use crate::territory::Territory;
use crate::text::fold;
use crate::{Email, FieldError, FieldErrors, MembershipRole, PersonName};
use serde::Serialize;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use time::Date;

/// The longest value quoted back in an error.
const VALUE_CHARS: usize = 100;

/// One problem in one cell (or, on line 1, with one column) of an imported file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// 1-based line (or sheet row) of the record.
    pub line: usize,
    /// Canonical field name ("tax_code", "joined_on", ...); its label is `field-` + the name with
    /// '_' replaced by '-'.
    pub field: String,
    /// Message key.
    pub code: &'static str,
    /// The offending cell as typed, cut to 100 characters.
    pub value: String,
    /// For "error-duplicate-in-file": the line where the value first appears.
    pub first_line: Option<usize>,
    /// The values the message quotes, as in [`FieldError::args`]: `max` for "error-too-long",
    /// `first_line` for a value repeated in the file.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<(&'static str, String)>,
}

impl RowError {
    pub fn new(line: usize, field: impl Into<String>, code: &'static str, value: &str) -> Self {
        RowError {
            line,
            field: field.into(),
            code,
            value: value.chars().take(VALUE_CHARS).collect(),
            first_line: None,
            args: Vec::new(),
        }
    }

    /// A value (`code` with the field's `first_line` argument) already met on `first_line`.
    pub fn repeated(line: usize, field: &str, code: &'static str, value: &str, first_line: usize) -> Self {
        RowError {
            first_line: Some(first_line),
            args: vec![("first_line", first_line.to_string())],
            ..RowError::new(line, field, code, value)
        }
    }

    /// What an input type refused in the cell `value`, reported under `field` with the error's
    /// arguments.
    pub fn from_field(line: usize, field: impl Into<String>, error: FieldError, value: &str) -> Self {
        RowError { args: error.args, ..RowError::new(line, field, error.code, value) }
    }
}

macro_rules! columns {
    ($($field:literal => [$($alias:literal),* $(,)?] $required:literal),* $(,)?) => {
        &[$(Column { field: $field, aliases: &[$($alias),*], required: $required }),*]
    };
}

pub const ORGANISATION_COLUMNS: &[Column] = columns![
    "name" => ["denominazione", "nome", "name", "ragione sociale", "denominazione ente", "nome ente", "ente",
        "organisation", "organization", "organisation name", "organization name"] true,
    "kind" => ["tipologia", "tipo", "kind", "type", "tipologia ente", "tipo ente", "tipo di ente", "categoria",
        "category"] true,
    "tax_code" => ["codice fiscale", "partita iva", "cf", "c.f.", "p.iva", "piva", "p. iva", "tax code", "vat number",
        "vat", "codice fiscale / partita iva", "codice fiscale o partita iva", "partita iva / codice fiscale",
        "cf / p.iva", "cf/piva", "p.iva / cf", "fiscal code", "tax id"] true,
    "municipality" => ["comune", "municipality", "città", "city", "town", "comune sede", "sede comune",
        "codice istat", "codice istat comune", "codice comune", "istat"] true,
    "province" => ["provincia", "province", "sigla provincia", "prov", "sigla prov"] false,
    "address" => ["indirizzo", "address", "sede", "sede legale", "indirizzo sede", "via", "street"] false,
    "email" => ["e-mail", "email", "posta elettronica", "pec", "mail", "indirizzo email", "indirizzo e-mail",
        "e-mail address"] false,
    "phone" => ["telefono", "phone", "tel", "cellulare", "telephone", "mobile", "numero di telefono", "recapito"] false,
    "website" => ["sito web", "sito", "website", "web", "url", "sito internet", "web site"] false,
    "resources" => ["risorse e competenze", "risorse", "competenze", "resources", "skills",
        "resources and competences", "competences", "risorse/competenze"] false,
];

pub const PERSON_COLUMNS: &[Column] = columns![
    "name" => ["nome e cognome", "nominativo", "name", "full name", "nome completo", "cognome e nome",
        "referente"] true,
    "first_name" => ["nome", "first name", "given name", "firstname"] false,
    "last_name" => ["cognome", "last name", "surname", "family name", "lastname"] false,
    "email" => ["e-mail", "email", "posta elettronica", "mail", "indirizzo email", "indirizzo e-mail"] false,
    "phone" => ["telefono", "phone", "tel", "cellulare", "telephone", "mobile"] false,
    "organisation" => ["ente", "organisation", "organization", "organizzazione", "codice fiscale ente", "cf ente",
        "ente di appartenenza", "organisation tax code", "organization tax code"] false,
    "position" => ["ruolo", "qualifica", "position", "job title", "incarico", "funzione", "ruolo nell'ente"] false,
    "person_tax_code" => ["codice fiscale", "cf", "c.f.", "tax code", "fiscal code", "codice fiscale persona",
        "personal tax code"] false,
];

pub const NETWORK_COLUMNS: &[Column] = columns![
    "name" => ["nome rete", "rete", "denominazione", "name", "nome", "network", "network name",
        "denominazione rete", "nome della rete"] true,
    "programme" => ["programma", "programme", "program", "codice programma", "programme code", "piano",
        "piano d'intervento"] false,
    "lead" => ["capofila", "lead", "lead partner", "ente capofila", "cf capofila", "codice fiscale capofila",
        "lead tax code"] false,
    "municipalities" => ["comuni", "municipalities", "territorio", "comuni coperti", "comuni della rete",
        "territory"] false,
    "action_lines" => ["linee d'azione", "linee", "action lines", "linee di azione", "linea d'azione",
        "action line", "linea di azione"] false,
    "maturity" => ["maturità", "maturity", "livello di maturità", "esperienza"] false,
    "status" => ["stato", "status"] false,
    "description" => ["descrizione", "description", "presentazione"] false,
];

pub const MEMBERSHIP_COLUMNS: &[Column] = columns![
    "network" => ["rete", "network", "nome rete", "network name", "denominazione rete"] true,
    "tax_code" => ["codice fiscale", "cf", "c.f.", "partita iva", "tax code", "p.iva", "piva", "vat number",
        "codice fiscale ente", "cf ente", "codice fiscale / partita iva", "cf / p.iva"] true,
    "role" => ["ruolo", "role", "ruolo nella rete", "tipo adesione", "tipo di adesione"] true,
    "joined_on" => ["dal", "data adesione", "joined", "joined on", "data di adesione", "data inizio", "inizio",
        "from", "since"] false,
    "left_on" => ["al", "data uscita", "left", "left on", "data di uscita", "data fine", "fine", "until", "to"] false,
    "organisation_name" => ["ente", "denominazione", "denominazione ente", "nome ente", "organisation",
        "organization", "organisation name"] false,
];

/// One row per municipality: a district (ambito territoriale) is the set of its rows' municipalities.
pub const DISTRICT_COLUMNS: &[Column] = columns![
    "code" => ["codice ambito", "codice", "code", "district code", "codice distretto", "id ambito"] true,
    "name" => ["ambito", "nome ambito", "ambito territoriale", "denominazione ambito", "name", "district",
        "district name", "distretto", "nome"] true,
    "municipality" => ["comune", "municipality", "codice istat", "codice istat comune", "istat", "codice comune",
        "città", "town"] true,
    "province" => ["provincia", "province", "sigla provincia", "prov"] false,
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrganisationRow {
    pub line: usize,
    pub input: OrganisationInput,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonRow {
    pub line: usize,
    pub name: PersonName,
    pub email: Option<Email>,
    pub phone: String,
    pub organisation_tax_code: Option<TaxCode>,
    /// Job title in the organisation.
    pub position: String,
    /// The person's own codice fiscale: what matches them on re-import when they have no e-mail.
    pub tax_code: Option<TaxCode>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DistrictRow {
    pub line: usize,
    /// The district's code, as typed (trimmed, upper case).
    pub code: String,
    pub name: String,
    /// As typed: a name or an ISTAT code; resolved by the caller.
    pub municipality: String,
    /// May be "".
    pub province: String,
}

/// A network row: what the network form also has, as typed, to be checked by [`NetworkRow::input`]
/// once the caller knows the programme; the programme and the lead, which only a file names.
#[derive(Debug, Clone)]
pub struct NetworkRow {
    pub line: usize,
    pub raw: NetworkRaw,
    /// Programme code; may be "".
    pub programme: String,
    pub lead_tax_code: Option<TaxCode>,
}

impl NetworkRow {
    /// The row's network checked by [`NetworkInput::parse`], exactly as the form and the API check
    /// it; each problem quotes its cell.
    pub fn input(&self, context: &NetworkContext) -> Result<NetworkInput, Vec<RowError>> {
        NetworkInput::parse(&self.raw, context).map_err(|errors| {
            errors
                .0
                .into_iter()
                .map(|error| {
                    let value = match error.field.as_str() {
                        "name" => self.raw.name.clone().unwrap_or_default(),
                        "description" => self.raw.description.clone().unwrap_or_default(),
                        "maturity" => self.raw.maturity.clone().unwrap_or_default(),
                        "status" => self.raw.status.clone().unwrap_or_default(),
                        "municipalities" => self.raw.municipalities.join(", "),
                        "action_lines" => self.raw.action_lines.join(", "),
                        _ => self.programme.clone(),
                    };
                    let field = error.field.clone();
                    RowError::from_field(self.line, field, error, &value)
                })
                .collect()
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MembershipRow {
    pub line: usize,
    /// The network's name.
    pub network: String,
    pub tax_code: TaxCode,
    pub role: MembershipRole,
    pub joined_on: Option<Date>,
    pub left_on: Option<Date>,
    /// The organisation's name when the file has it: informative only, the tax code decides.
    pub organisation_name: String,
}

/// The problems with the columns themselves: each required column that is missing is an error on
/// line 1 ("error-column-missing", field = the canonical field name). Unknown and duplicated
/// columns are not errors: the caller reports them as warnings.
pub fn column_problems(map: &ColumnMap) -> Vec<RowError> {
    map.missing.iter().map(|field| RowError::new(1, *field, "error-column-missing", "")).collect()
}

/// Reads one row, collecting its errors.
struct Cells<'a> {
    map: &'a ColumnMap,
    row: &'a TableRow,
    source: Source,
    errors: Vec<RowError>,
}

impl<'a> Cells<'a> {
    fn new(format: FileFormat, map: &'a ColumnMap, row: &'a TableRow) -> Self {
        let source = if format == FileFormat::Xlsx { Source::Workbook } else { Source::Csv };
        Cells { map, row, source, errors: Vec::new() }
    }

    fn line(&self) -> usize {
        self.row.line
    }

    fn raw(&self, field: &str) -> &'a str {
        self.map.get(self.row, field)
    }

    /// The cell of `field`, as an input type's raw value.
    fn cell(&self, field: &str) -> Option<String> {
        Some(self.raw(field).to_owned())
    }

    /// Reports what an input type refused, each problem with its cell as typed (`typed` for the
    /// fields not read from one cell).
    fn refused(&mut self, errors: FieldErrors, typed: impl Fn(&str) -> Option<String>) {
        for error in errors.0 {
            let value = typed(&error.field).unwrap_or_else(|| self.raw(&error.field).to_owned());
            let field = error.field.clone();
            self.errors.push(RowError::from_field(self.row.line, field, error, &value));
        }
    }

    /// The result of an input type's parse: its value, or its problems reported.
    fn input<T>(&mut self, parsed: Result<T, FieldErrors>) -> Option<T> {
        parsed.map_err(|errors| self.refused(errors, |_| None)).ok()
    }

    fn error(&mut self, field: &str, code: &'static str, value: &str) {
        self.errors.push(RowError::new(self.row.line, field, code, value));
    }

    /// A one-line text: inner whitespace collapsed.
    fn line_text(&mut self, field: &str, max: usize) -> String {
        let value = collapse(self.raw(field));
        if value.chars().count() > max {
            self.errors.push(RowError::from_field(self.row.line, field, too_long(field, max), &value));
        }
        value
    }

    fn required_line_text(&mut self, field: &str, max: usize) -> Option<String> {
        let value = self.line_text(field, max);
        if value.is_empty() {
            self.error(field, "error-required", "");
            return None;
        }
        Some(value)
    }

    /// Applies a parser; its error is reported under `field` (whatever field name the parser
    /// itself uses).
    fn parsed<T>(&mut self, field: &str, parse: impl FnOnce(&str) -> Result<T, FieldError>) -> Option<T> {
        let value = self.raw(field);
        match parse(value) {
            Ok(parsed) => Some(parsed),
            Err(error) => {
                self.errors.push(RowError::from_field(self.row.line, field, error, value));
                None
            }
        }
    }

    /// Like [`Cells::parsed`], but an empty cell is `Some(None)`.
    fn optional<T>(&mut self, field: &str, parse: impl FnOnce(&str) -> Result<T, FieldError>) -> Option<Option<T>> {
        if self.raw(field).is_empty() { Some(None) } else { self.parsed(field, parse).map(Some) }
    }

    fn tax_code(&mut self, field: &str) -> Option<TaxCode> {
        let source = self.source;
        self.parsed(field, |value| parse_tax_code(value, source))
    }

    fn optional_tax_code(&mut self, field: &str) -> Option<Option<TaxCode>> {
        let source = self.source;
        self.optional(field, |value| parse_tax_code(value, source))
    }

    fn finish<T>(self, value: Option<T>, errors: &mut Vec<RowError>) -> Option<T> {
        let ok = self.errors.is_empty();
        errors.extend(self.errors);
        if ok { value } else { None }
    }
}

/// Records `key` as seen on `line`; if it was seen before, returns the first line.
fn seen_before<K: std::hash::Hash + Eq>(seen: &mut HashMap<K, usize>, key: K, line: usize) -> Option<usize> {
    match seen.entry(key) {
        Entry::Occupied(first) => Some(*first.get()),
        Entry::Vacant(slot) => {
            slot.insert(line);
            None
        }
    }
}

fn duplicate(line: usize, field: &str, value: &str, first_line: usize) -> RowError {
    RowError::repeated(line, field, "error-duplicate-in-file", value, first_line)
}

/// A person met in a file by e-mail or own tax code: the first line, the name (folded) and the
/// organisations of their rows.
type PersonSeen = (usize, String, Vec<Option<TaxCode>>);

/// A person who works for several organisations has one row for each. Records `key` (an e-mail
/// or a personal tax code) as seen on `line`; returns the first line with that key when this row
/// cannot be the same person for another organisation: another name, or the same organisation.
fn repeated_person<K: std::hash::Hash + Eq>(
    seen: &mut HashMap<K, PersonSeen>,
    key: K,
    name: &str,
    organisation: &Option<TaxCode>,
    line: usize,
) -> Option<usize> {
    match seen.entry(key) {
        Entry::Vacant(slot) => {
            slot.insert((line, name.to_owned(), vec![organisation.clone()]));
            None
        }
        Entry::Occupied(mut entry) => {
            let (first_line, first_name, organisations) = entry.get_mut();
            if first_name != name || organisations.contains(organisation) {
                return Some(*first_line);
            }
            organisations.push(organisation.clone());
            None
        }
    }
}

/// Reads organisations; `territory` resolves their municipalities.
pub fn parse_organisations(
    table: &Table,
    map: &ColumnMap,
    territory: &Territory,
) -> (Vec<OrganisationRow>, Vec<RowError>) {
    let mut parser = OrganisationParser::new(table.format(), territory);
    let mut errors = Vec::new();
    let rows = table.rows.iter().filter_map(|row| parser.parse(map, row, &mut errors)).collect();
    (rows, errors)
}

/// Parses organisation rows one at a time, so that a large file can be streamed to the database
/// instead of being held whole; remembers the tax codes seen, to report repeats within the file.
pub struct OrganisationParser<'t> {
    format: FileFormat,
    territory: &'t Territory,
    seen: HashMap<TaxCode, usize>,
}

impl<'t> OrganisationParser<'t> {
    pub fn new(format: FileFormat, territory: &'t Territory) -> Self {
        OrganisationParser { format, territory, seen: HashMap::new() }
    }

    /// The row, or `None` with its problems added to `errors`.
    pub fn parse(&mut self, map: &ColumnMap, row: &TableRow, errors: &mut Vec<RowError>) -> Option<OrganisationRow> {
        let mut cells = Cells::new(self.format, map, row);
        let raw = OrganisationRaw {
            name: cells.cell("name"),
            kind: cells.cell("kind"),
            tax_code: cells.cell("tax_code"),
            municipality: cells.cell("municipality"),
            province: cells.cell("province"),
            address: cells.cell("address"),
            email: cells.cell("email"),
            phone: cells.cell("phone"),
            website: cells.cell("website"),
            resources: split_list(cells.raw("resources")),
        };
        let context = OrganisationContext { territory: self.territory, source: cells.source };
        let input = cells.input(OrganisationInput::parse(&raw, &context));
        if let Some(input) = &input
            && let Some(first_line) = seen_before(&mut self.seen, input.tax_code.clone(), cells.line())
        {
            cells.errors.push(duplicate(cells.line(), "tax_code", input.tax_code.as_str(), first_line));
        }
        let line = cells.line();
        cells.finish(input.map(|input| OrganisationRow { line, input }), errors)
    }
}

pub fn parse_people(table: &Table, map: &ColumnMap) -> (Vec<PersonRow>, Vec<RowError>) {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashMap<Email, PersonSeen> = HashMap::new();
    let mut seen_codes: HashMap<TaxCode, PersonSeen> = HashMap::new();
    for row in &table.rows {
        let mut cells = Cells::new(table.format(), map, row);
        let full = cells.raw("name");
        let typed = if full.is_empty() {
            [cells.raw("first_name"), cells.raw("last_name")]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" ")
        } else {
            full.to_owned()
        };
        let raw = PersonRaw { name: Some(typed.clone()), email: cells.cell("email"), phone: cells.cell("phone") };
        let person = PersonInput::parse(&raw)
            .map_err(|errors| cells.refused(errors, |field| (field == "name").then(|| typed.clone())))
            .ok();
        let organisation = cells.optional_tax_code("organisation");
        let position = cells.line_text("position", TEXT_CHARS);
        let tax_code = cells.optional("person_tax_code", parse_personal_tax_code);
        let organisation_key = organisation.clone().flatten();
        let folded_name = fold(&collapse(&typed));
        if let Some(PersonInput { email: Some(address), .. }) = &person
            && let Some(first_line) =
                repeated_person(&mut seen, address.clone(), &folded_name, &organisation_key, cells.line())
        {
            cells.errors.push(duplicate(cells.line(), "email", address.as_str(), first_line));
        }
        if let Some(Some(code)) = &tax_code
            && let Some(first_line) =
                repeated_person(&mut seen_codes, code.clone(), &folded_name, &organisation_key, cells.line())
        {
            cells.errors.push(duplicate(cells.line(), "person_tax_code", code.as_str(), first_line));
        }
        let line = cells.line();
        let parsed = (|| {
            let PersonInput { name, email, phone } = person?;
            Some(PersonRow {
                line,
                name,
                email,
                phone,
                organisation_tax_code: organisation?,
                position,
                tax_code: tax_code?,
            })
        })();
        rows.extend(cells.finish(parsed, &mut errors));
    }
    (rows, errors)
}

pub fn parse_networks(table: &Table, map: &ColumnMap) -> (Vec<NetworkRow>, Vec<RowError>) {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for row in &table.rows {
        let mut cells = Cells::new(table.format(), map, row);
        let programme = cells.line_text("programme", SHORT_CHARS);
        let lead = cells.optional_tax_code("lead");
        let raw = NetworkRaw {
            name: cells.cell("name"),
            description: cells.cell("description"),
            maturity: cells.cell("maturity"),
            status: cells.cell("status"),
            municipalities: split_list(cells.raw("municipalities")),
            action_lines: split_list(cells.raw("action_lines")),
        };
        let name = collapse(cells.raw("name"));
        if !name.is_empty()
            && let Some(first_line) = seen_before(&mut seen, fold(&name), cells.line())
        {
            cells.errors.push(duplicate(cells.line(), "name", &name, first_line));
        }
        let line = cells.line();
        let parsed = lead.map(|lead_tax_code| NetworkRow { line, raw, programme, lead_tax_code });
        rows.extend(cells.finish(parsed, &mut errors));
    }
    (rows, errors)
}

pub fn parse_memberships(table: &Table, map: &ColumnMap) -> (Vec<MembershipRow>, Vec<RowError>) {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashMap<(String, TaxCode, Option<Date>), usize> = HashMap::new();
    for row in &table.rows {
        let mut cells = Cells::new(table.format(), map, row);
        let network = cells.required_line_text("network", NAME_CHARS);
        let tax_code = cells.tax_code("tax_code");
        let raw = MembershipRaw {
            role: cells.cell("role"),
            joined_on: cells.cell("joined_on"),
            left_on: cells.cell("left_on"),
        };
        let source = cells.source;
        let terms = cells.input(MembershipTerms::parse(&raw, &source));
        let organisation_name = cells.line_text("organisation_name", NAME_CHARS);
        if let (Some(network), Some(code), Some(terms)) = (&network, &tax_code, &terms)
            && let Some(first_line) =
                seen_before(&mut seen, (fold(network), code.clone(), terms.joined_on), cells.line())
        {
            cells.errors.push(duplicate(cells.line(), "tax_code", code.as_str(), first_line));
        }
        let line = cells.line();
        let parsed = (|| {
            let MembershipTerms { role, joined_on, left_on } = terms?;
            Some(MembershipRow {
                line,
                network: network?,
                tax_code: tax_code?,
                role,
                joined_on,
                left_on,
                organisation_name,
            })
        })();
        rows.extend(cells.finish(parsed, &mut errors));
    }
    (rows, errors)
}

/// A person's codice fiscale: the 16-character personal form only (an 11-digit code is a company's).
fn parse_personal_tax_code(value: &str) -> Result<TaxCode, FieldError> {
    let code = TaxCode::parse(value)?;
    if code.is_personal() { Ok(code) } else { Err(FieldError::new("person_tax_code", "error-tax-code-format")) }
}

/// Reads districts, one row per municipality. A code keeps one name throughout the file, and a
/// municipality is listed once: it belongs to one district at a time.
pub fn parse_districts(table: &Table, map: &ColumnMap) -> (Vec<DistrictRow>, Vec<RowError>) {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut names: HashMap<String, (String, usize)> = HashMap::new();
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for row in &table.rows {
        let mut cells = Cells::new(table.format(), map, row);
        let code = cells.required_line_text("code", SHORT_CHARS).map(|c| c.to_uppercase());
        let name = cells.required_line_text("name", NAME_CHARS);
        let municipality = cells.required_line_text("municipality", TEXT_CHARS);
        let province = cells.line_text("province", SHORT_CHARS);
        if let (Some(code), Some(name)) = (&code, &name) {
            match names.entry(code.clone()) {
                Entry::Occupied(first) if fold(&first.get().0) != fold(name) => {
                    let first_line = first.get().1;
                    cells.errors.push(RowError::repeated(
                        cells.line(),
                        "name",
                        "error-district-name-differs",
                        name,
                        first_line,
                    ));
                }
                Entry::Occupied(_) => {}
                Entry::Vacant(slot) => {
                    slot.insert((name.clone(), cells.line()));
                }
            }
        }
        if let Some(municipality) = &municipality
            && let Some(first_line) =
                seen_before(&mut seen, (fold(municipality), province.to_uppercase()), cells.line())
        {
            cells.errors.push(duplicate(cells.line(), "municipality", municipality, first_line));
        }
        let line = cells.line();
        let parsed = (|| Some(DistrictRow { line, code: code?, name: name?, municipality: municipality?, province }))();
        rows.extend(cells.finish(parsed, &mut errors));
    }
    (rows, errors)
}

/// A list typed in one cell, separated by commas, semicolons, vertical bars or line breaks:
/// trimmed, without empty items, without repeats (compared by [`fold`]; the first spelling wins).
pub fn split_list(value: &str) -> Vec<String> {
    distinct(value.split([',', ';', '|', '\n', '\r']))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::columns::map_table;
    use crate::table::read_table;
    use crate::taxcode::{check_char_personal, check_digit_numeric};
    use crate::{Maturity, NetworkStatus, OrganisationKind};
    use proptest::prelude::*;
    use time::macros::date;

    type Parser<T> = fn(&Table, &ColumnMap) -> (Vec<T>, Vec<RowError>);

    fn territory() -> Territory {
        let municipality = |code: &str, name: &str, province: &str| crate::Municipality {
            istat_code: code.into(),
            name: name.into(),
            province: province.into(),
            province_code: province.into(),
            region: "Lombardia".into(),
            cadastral_code: String::new(),
        };
        Territory::new(vec![municipality("015146", "Milano", "MI"), municipality("013041", "Cantù", "CO")])
    }

    fn organisations(table: &Table, map: &ColumnMap) -> (Vec<OrganisationRow>, Vec<RowError>) {
        parse_organisations(table, map, &territory())
    }

    fn parse_file<T>(csv: &str, columns: &[Column], parse: Parser<T>) -> (Vec<T>, Vec<RowError>, ColumnMap) {
        let table = read_table(csv.as_bytes()).unwrap();
        let map = map_table(&table, columns);
        let (rows, errors) = parse(&table, &map);
        (rows, errors, map)
    }

    fn codes(errors: &[RowError]) -> Vec<(usize, &str, &str)> {
        errors.iter().map(|e| (e.line, e.field.as_str(), e.code)).collect()
    }

    #[test]
    fn organisations_from_an_italian_sheet() {
        let csv = "Ragione sociale;Tipologia;P.IVA;Comune;Prov.;Indirizzo;PEC;Tel.;Sito web;Risorse e competenze;Note\r\n\
                   Comune di Milano;Comune;01199250158;015146;MI;Piazza della Scala 2;protocollo@postacert.comune.milano.it;02 02 02;www.comune.milano.it;\"mediazione culturale, sportello; Mediazione Culturale\";x\r\n\
                   Coop Aurora;cooperativa sociale;IT 00743110157;Cantù;;;;;;\r\n";
        let (rows, errors, map) = parse_file(csv, ORGANISATION_COLUMNS, organisations);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(map.unknown, ["Note"]);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 2);
        let milano = &rows[0].input;
        assert_eq!(milano.name, "Comune di Milano");
        assert_eq!(milano.kind, OrganisationKind::Municipality);
        assert_eq!(milano.tax_code.as_str(), "01199250158");
        assert_eq!(milano.municipality_code.as_deref(), Some("015146"));
        assert_eq!(milano.email.as_ref().unwrap().as_str(), "protocollo@postacert.comune.milano.it");
        assert_eq!(milano.resources, ["mediazione culturale", "sportello"]);
        let aurora = &rows[1].input;
        assert_eq!(aurora.municipality_code.as_deref(), Some("013041"));
        assert_eq!(aurora.kind, OrganisationKind::ThirdSector);
        assert_eq!(aurora.tax_code.as_str(), "00743110157");
        assert_eq!(aurora.email, None);
        assert!(aurora.resources.is_empty());
    }

    #[test]
    fn organisations_collect_every_problem() {
        let csv = "denominazione,tipo,codice fiscale,comune,email\n\
                   ,banca,00743110158,Atlantide,not-an-email\n\
                   Ente A,altro,00743110157,Milano,\n\
                   Ente B,altro,00743110157,,\n\
                   Ente C,altro,123,Milano,\n";
        let (rows, errors, _) = parse_file(csv, ORGANISATION_COLUMNS, organisations);
        assert_eq!(rows.len(), 1);
        assert_eq!(
            codes(&errors),
            [
                (2, "name", "error-required"),
                (2, "kind", "error-kind-invalid"),
                (2, "tax_code", "error-tax-code-check-digit"),
                (2, "municipality", "error-municipality-unknown"),
                (2, "email", "error-email-invalid"),
                (4, "tax_code", "error-duplicate-in-file"),
                (5, "tax_code", "error-tax-code-format"),
            ]
        );
        assert_eq!(errors[2].value, "00743110158");
        assert_eq!(errors[5].first_line, Some(3));
        assert_eq!(errors[5].value, "00743110157");
        assert_eq!(errors[0].first_line, None);
    }

    #[test]
    fn missing_columns_are_reported_on_line_one() {
        let table = read_table(b"nome;comune;colore\nA;Milano;blu\n").unwrap();
        let map = map_table(&table, ORGANISATION_COLUMNS);
        assert_eq!(map.unknown, ["colore"]);
        assert_eq!(
            codes(&column_problems(&map)),
            [(1, "kind", "error-column-missing"), (1, "tax_code", "error-column-missing")]
        );
    }

    #[test]
    fn long_values_are_cut_in_errors() {
        let long = "x".repeat(400);
        let csv = format!("denominazione;tipo;cf;comune\n{long};altro;00743110157;Milano\n");
        let (_, errors, _) = parse_file(&csv, ORGANISATION_COLUMNS, organisations);
        assert_eq!(codes(&errors), [(2, "name", "error-too-long")]);
        assert_eq!(errors[0].value.chars().count(), 100);
        assert_eq!(errors[0].args, [("max", "300".to_owned())], "the message names the limit");
    }

    #[test]
    fn people_with_full_or_split_names() {
        let csv = "Nome;Cognome;E-mail;Ente;Qualifica\n\
                   Maria;Bianchi;Maria.Bianchi@Example.it;01199250158;Assistente sociale\n\
                   Luca;;luca@example.it;;\n\
                   ;;;;\n\
                   Anna;Verdi;maria.bianchi@example.it;0119925015;\n\
                   ;;anon@example.it;;\n\
                   Maria;Bianchi;maria.bianchi@example.it;00743110157;Volontaria\n\
                   Maria;Bianchi;maria.bianchi@example.it;00743110157;\n";
        let (rows, errors, map) = parse_file(csv, PERSON_COLUMNS, parse_people);
        assert!(map.missing.is_empty());
        assert_eq!(rows.len(), 3, "one row per organisation of a person");
        assert_eq!(rows[2].organisation_tax_code.as_ref().unwrap().as_str(), "00743110157");
        assert_eq!(rows[0].name.as_str(), "Maria Bianchi");
        assert_eq!(rows[0].email.as_ref().unwrap().as_str(), "maria.bianchi@example.it");
        assert_eq!(rows[0].organisation_tax_code.as_ref().unwrap().as_str(), "01199250158");
        assert_eq!(rows[0].position, "Assistente sociale");
        assert_eq!(rows[1].name.as_str(), "Luca");
        assert_eq!(rows[1].organisation_tax_code, None);
        assert_eq!(
            codes(&errors),
            [
                (5, "organisation", "error-tax-code-format"),
                (5, "email", "error-duplicate-in-file"),
                (6, "name", "error-required"),
                (8, "email", "error-duplicate-in-file"),
            ]
        );
        assert_eq!(errors[1].first_line, Some(2));
        assert_eq!(errors[3].first_line, Some(2));

        let csv = "Nome e cognome,email\n  Giulia   Neri ,\n";
        let (rows, errors, _) = parse_file(csv, PERSON_COLUMNS, parse_people);
        assert!(errors.is_empty());
        assert_eq!(rows[0].name.as_str(), "Giulia Neri");
        assert_eq!(rows[0].email, None);
    }

    #[test]
    fn people_with_their_own_tax_code() {
        let csv = "Nome e cognome;Codice fiscale;Ente\n\
                   Maria Bianchi;rssmra85t10a562s;01199250158\n\
                   Luca Neri;01199250158;\n\
                   Anna Verdi;RSSMRA85T10A562S;\n\
                   Paolo Gialli;;\n";
        let (rows, errors, map) = parse_file(csv, PERSON_COLUMNS, parse_people);
        assert!(map.unknown.is_empty());
        assert_eq!(rows.len(), 2, "{errors:?}");
        assert_eq!(rows[0].tax_code.as_ref().unwrap().as_str(), "RSSMRA85T10A562S");
        assert_eq!(rows[0].organisation_tax_code.as_ref().unwrap().as_str(), "01199250158");
        assert_eq!(rows[1].tax_code, None);
        assert_eq!(
            codes(&errors),
            [(3, "person_tax_code", "error-tax-code-format"), (4, "person_tax_code", "error-duplicate-in-file")]
        );
        assert_eq!(errors[1].first_line, Some(2));
    }

    #[test]
    fn districts_one_row_per_municipality() {
        let csv = "Codice ambito;Ambito;Comune;Provincia\n\
                   lc-01;Ambito di Lecco;Lecco;LC\n\
                   LC-01;ambito di  LECCO;097042;\n\
                   LC-01;Ambito di Merate;Merate;LC\n\
                   LC-02;Ambito di Merate;lecco;lc\n\
                   ;;Erba;CO\n";
        let (rows, errors, map) = parse_file(csv, DISTRICT_COLUMNS, parse_districts);
        assert!(map.missing.is_empty());
        assert_eq!(rows.len(), 2, "{errors:?}");
        assert_eq!(rows[0].code, "LC-01");
        assert_eq!(rows[0].name, "Ambito di Lecco");
        assert_eq!(rows[0].municipality, "Lecco");
        assert_eq!(rows[0].province, "LC");
        assert_eq!(rows[1].municipality, "097042");
        assert_eq!(
            codes(&errors),
            [
                (4, "name", "error-district-name-differs"),
                (5, "municipality", "error-duplicate-in-file"),
                (6, "code", "error-required"),
                (6, "name", "error-required"),
            ]
        );
        assert_eq!(errors[0].first_line, Some(2));
        assert_eq!(errors[1].first_line, Some(2));

        let english = "code,name,municipality\nBG-1,Bergamo,Bergamo\n";
        let (rows, errors, _) = parse_file(english, DISTRICT_COLUMNS, parse_districts);
        assert!(errors.is_empty());
        assert_eq!(rows[0].code, "BG-1");
    }

    #[test]
    fn networks() {
        let csv = "Nome rete;Programma;Capofila;Comuni;Linee d'azione;Maturità;Stato;Descrizione\n\
                   Rete Brianza;PROG-2463;01199250158;\"Cantù, Milano; cantu' | 015146\";\"1;2, 4\";prima esperienza;;Una rete\n\
                   rete  brianza;;;;;;;\n\
                   Rete Sud;;;;;esperta;boh;\n";
        let (rows, errors, _) = parse_file(csv, NETWORK_COLUMNS, parse_networks);
        assert_eq!(codes(&errors), [(3, "name", "error-duplicate-in-file")]);
        assert_eq!(errors[0].value, "rete brianza");
        assert_eq!(errors[0].args, [("first_line", "2".to_owned())], "the message names the first line");
        assert_eq!(rows.len(), 2);
        let rete = &rows[0];
        assert_eq!(rete.programme, "PROG-2463");
        assert_eq!(rete.lead_tax_code.as_ref().unwrap().as_str(), "01199250158");
        assert_eq!(rete.raw.municipalities, ["Cantù", "Milano", "015146"]);
        assert_eq!(rete.raw.action_lines, ["1", "2", "4"]);

        let territory = territory();
        let lines = [("l1", 1), ("l2", 2), ("l4", 4)];
        let context = NetworkContext { programme_id: Some("p"), action_lines: &lines, territory: &territory };
        let input = rete.input(&context).unwrap();
        assert_eq!(input.name, "Rete Brianza");
        assert_eq!(input.municipality_codes, ["013041", "015146"]);
        assert_eq!(input.action_line_ids, ["l1", "l2", "l4"]);
        assert_eq!(input.maturity, Some(Maturity::FirstExperience));
        assert_eq!(input.status, NetworkStatus::Active);
        assert_eq!(input.description, "Una rete");
        let refused = rows[1].input(&context).unwrap_err();
        assert_eq!(
            codes(&refused),
            [(4, "maturity", "error-maturity-invalid"), (4, "status", "error-network-status-invalid")]
        );
        assert_eq!(refused[1].value, "boh");
    }

    #[test]
    fn memberships() {
        let csv = "Rete;CF;Ruolo;Dal;Al\n\
                   Rete Brianza;01199250158;capofila;01/03/2024;\n\
                   Rete Brianza;00743110157;aderente;2024-03-01;2023-12-31\n\
                   rete brianza;01199250158;partner;1/3/2024;\n\
                   Rete Sud;01199250158;socio;31/02/2024;45292\n\
                   Rete Sud;00743110157;partner;;\n";
        let (rows, errors, _) = parse_file(csv, MEMBERSHIP_COLUMNS, parse_memberships);
        assert_eq!(rows.len(), 2, "{errors:?}");
        assert_eq!(rows[0].role, MembershipRole::Lead);
        assert_eq!(rows[0].joined_on, Some(date!(2024 - 03 - 01)));
        assert_eq!(rows[0].left_on, None);
        assert_eq!(rows[1].network, "Rete Sud");
        assert_eq!(rows[1].joined_on, None);
        assert_eq!(
            codes(&errors),
            [
                (3, "left_on", "error-date-order"),
                (4, "tax_code", "error-duplicate-in-file"),
                (5, "role", "error-membership-role-invalid"),
                (5, "joined_on", "error-date-invalid"),
            ]
        );
        assert_eq!(errors[0].value, "2023-12-31");
        assert_eq!(errors[1].first_line, Some(2));
        assert_eq!(errors[3].value, "31/02/2024");
    }

    #[test]
    fn no_header_means_two_fields() {
        for list in [ORGANISATION_COLUMNS, PERSON_COLUMNS, NETWORK_COLUMNS, MEMBERSHIP_COLUMNS, DISTRICT_COLUMNS] {
            let mut owner: HashMap<String, &str> = HashMap::new();
            for column in list {
                for alias in column.aliases.iter().chain([&column.field]) {
                    let key = crate::text::header_key(alias);
                    if let Some(other) = owner.insert(key.clone(), column.field) {
                        assert_eq!(other, column.field, "header {key:?} means both {other} and {}", column.field);
                    }
                }
            }
        }
    }

    #[test]
    fn lists() {
        assert_eq!(split_list(" a ; b,, A |c\nd "), ["a", "b", "c", "d"]);
        assert!(split_list(" ; , ").is_empty());
    }

    proptest! {
        #[test]
        fn valid_rows_parse_and_round_trip(
            names in prop::collection::vec("[A-Za-z][A-Za-z ]{0,20}", 1..10),
            bodies in prop::collection::vec("[0-9]{10}", 10),
            kind in prop::sample::select(OrganisationKind::ALL.to_vec()),
        ) {
            let mut csv = String::from("denominazione;tipologia;codice fiscale;comune\n");
            let mut expected = Vec::new();
            for (i, name) in names.iter().enumerate() {
                // Distinct tax codes: the row index in the first two digits.
                let body = format!("{i:02}{}", &bodies[i][2..]);
                let code = format!("{body}{}", check_digit_numeric(&body));
                csv += &format!("{name};{};{code};Milano\n", kind.code());
                expected.push((collapse(name), code));
            }
            let (rows, errors, _) = parse_file(&csv, ORGANISATION_COLUMNS, organisations);
            prop_assert!(errors.is_empty(), "{:?}", errors);
            let got: Vec<(String, String)> =
                rows.iter().map(|r| (r.input.name.clone(), r.input.tax_code.to_string())).collect();
            prop_assert_eq!(got, expected);
        }

        #[test]
        fn names_longer_than_300_characters_are_refused_in_files(name in "[A-Za-zàèìòù]{301,400}") {
            let csv = format!("denominazione;tipologia;codice fiscale;comune\n{name};altro;00743110157;Milano\n");
            let (rows, errors, _) = parse_file(&csv, ORGANISATION_COLUMNS, organisations);
            prop_assert!(rows.is_empty());
            prop_assert_eq!(codes(&errors), vec![(2, "name", "error-too-long")]);
            let csv = format!("rete;cf;ruolo\n{name};00743110157;partner\n");
            let (_, errors, _) = parse_file(&csv, MEMBERSHIP_COLUMNS, parse_memberships);
            prop_assert_eq!(codes(&errors), vec![(2, "network", "error-too-long")]);
        }

        #[test]
        fn every_bad_check_character_is_reported(first15 in "[A-Z]{6}[0-9]{2}[A-Z][0-9]{2}[A-Z][0-9]{3}", shift in 1u8..26) {
            let right = check_char_personal(&first15);
            let wrong = char::from(b'A' + (right as u8 - b'A' + shift) % 26);
            let csv = format!("rete;cf;ruolo\nR;{first15}{wrong};partner\n");
            let (rows, errors, _) = parse_file(&csv, MEMBERSHIP_COLUMNS, parse_memberships);
            prop_assert!(rows.is_empty());
            prop_assert_eq!(codes(&errors), vec![(2, "tax_code", "error-tax-code-check-digit")]);
        }
    }
}
