//! Matching a file's headers to the fields of an entity.
//!
//! Each field has a canonical name (used in errors and messages) and the headers people write for
//! it, in Italian and English. Headers are compared by [`header_key`], so case, accents, spaces and
//! punctuation do not matter: "Codice Fiscale", "codice_fiscale" and "CODICE-FISCALE" all match.
//! A header that matches no field is reported in [`ColumnMap::unknown`], never dropped silently.

use crate::table::{Table, TableRow};
use crate::text::header_key;
use std::collections::HashMap;

/// A field an import understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Canonical field name, e.g. "tax_code".
    pub field: &'static str,
    /// The headers that mean this field (compared by [`header_key`]).
    pub aliases: &'static [&'static str],
    /// A file without this column cannot be imported.
    pub required: bool,
}

/// Required fields that may instead be given in parts: a full name or a first name and a last
/// name. The field counts as present when any of its parts is.
const PARTS: &[(&str, &[&str])] = &[("name", &["first_name", "last_name"])];

/// Where each field is in a file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnMap {
    /// Field name → index of its column (the first matching one).
    pub fields: HashMap<&'static str, usize>,
    /// Non-empty headers that match no field, in file order.
    pub unknown: Vec<String>,
    /// Required fields with no column, in the order of the column list.
    pub missing: Vec<&'static str>,
    /// Headers that match a field already matched by an earlier column (the earlier one is used).
    pub duplicated: Vec<String>,
}

impl ColumnMap {
    /// The cell of `field` in `row`, or "" when the file has no such column.
    pub fn get<'a>(&self, row: &'a TableRow, field: &str) -> &'a str {
        self.fields.get(field).and_then(|&index| row.cells.get(index)).map_or("", String::as_str)
    }

    /// True when the file has a column for `field`.
    pub fn has(&self, field: &str) -> bool {
        self.fields.contains_key(field)
    }
}

/// Matches `headers` to `columns`. Empty headers are ignored (see [`map_table`] for a version
/// that reports unnamed columns holding data).
pub fn map_columns(headers: &[String], columns: &[Column]) -> ColumnMap {
    let keyed: Vec<(&Column, Vec<String>)> =
        columns.iter().map(|c| (c, c.aliases.iter().chain([&c.field]).map(|a| header_key(a)).collect())).collect();
    let mut map = ColumnMap::default();
    for (index, header) in headers.iter().enumerate() {
        let key = header_key(header);
        if key.is_empty() {
            continue;
        }
        match keyed.iter().find(|(_, keys)| keys.contains(&key)) {
            Some((column, _)) => {
                if map.fields.contains_key(column.field) {
                    map.duplicated.push(header.clone());
                } else {
                    map.fields.insert(column.field, index);
                }
            }
            None => map.unknown.push(header.clone()),
        }
    }
    for column in columns.iter().filter(|c| c.required) {
        let in_parts = PARTS
            .iter()
            .find(|(field, _)| *field == column.field)
            .is_some_and(|(_, parts)| parts.iter().any(|p| map.fields.contains_key(p)));
        if !map.fields.contains_key(column.field) && !in_parts {
            map.missing.push(column.field);
        }
    }
    map
}

/// [`map_columns`] on a table's headers; in addition, a column with an empty header but some data
/// is reported in `unknown` by its spreadsheet letter in brackets (`"[C]"`), so that its content is
/// not ignored unseen.
pub fn map_table(table: &Table, columns: &[Column]) -> ColumnMap {
    let mut map = map_columns(&table.headers, columns);
    let width = table.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0).max(table.headers.len());
    for index in 0..width {
        let unnamed = table.headers.get(index).is_none_or(|h| header_key(h).is_empty());
        if unnamed && table.rows.iter().any(|r| r.cells.get(index).is_some_and(|c| !c.is_empty())) {
            map.unknown.push(format!("[{}]", column_letter(index)));
        }
    }
    map
}

/// The spreadsheet name of a 0-based column index: 0 → "A", 26 → "AA".
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::read_table;

    const COLUMNS: &[Column] = &[
        Column { field: "name", aliases: &["denominazione", "nome", "ragione sociale"], required: true },
        Column { field: "tax_code", aliases: &["codice fiscale", "partita iva", "p.iva"], required: true },
        Column { field: "municipality", aliases: &["comune", "città"], required: false },
        Column { field: "email", aliases: &["e-mail", "posta elettronica"], required: false },
    ];

    fn headers(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn matches_ignoring_case_accents_and_punctuation() {
        let map = map_columns(&headers(&["RAGIONE SOCIALE", "P. IVA", "Citta'", "", "Note", "E_mail"]), COLUMNS);
        assert_eq!(map.fields["name"], 0);
        assert_eq!(map.fields["tax_code"], 1);
        assert_eq!(map.fields["municipality"], 2);
        assert_eq!(map.fields["email"], 5);
        assert_eq!(map.unknown, ["Note"]);
        assert!(map.missing.is_empty());
        assert!(map.duplicated.is_empty());
        let row = TableRow { line: 2, cells: headers(&["Comune", "0074", "Milano"]) };
        assert_eq!(map.get(&row, "municipality"), "Milano");
        assert_eq!(map.get(&row, "email"), "");
        assert_eq!(map.get(&row, "nonexistent"), "");
        assert!(map.has("email") && !map.has("phone"));
    }

    #[test]
    fn canonical_field_name_is_an_alias() {
        let map = map_columns(&headers(&["name", "tax_code"]), COLUMNS);
        assert_eq!(map.fields.len(), 2);
    }

    #[test]
    fn missing_and_duplicated() {
        let map = map_columns(&headers(&["Nome", "Denominazione", "Comune"]), COLUMNS);
        assert_eq!(map.fields["name"], 0);
        assert_eq!(map.duplicated, ["Denominazione"]);
        assert_eq!(map.missing, ["tax_code"]);
    }

    #[test]
    fn name_may_come_in_parts() {
        let columns = &[
            Column { field: "name", aliases: &["nome e cognome"], required: true },
            Column { field: "first_name", aliases: &["nome"], required: false },
            Column { field: "last_name", aliases: &["cognome"], required: false },
        ];
        assert!(map_columns(&headers(&["Nome", "Cognome"]), columns).missing.is_empty());
        assert_eq!(map_columns(&headers(&["Email"]), columns).missing, ["name"]);
    }

    #[test]
    fn unnamed_columns_with_data_are_reported() {
        let table = read_table(b"nome;;codice fiscale;\nA;x;1;\nB;;2;\n").unwrap();
        let map = map_table(&table, COLUMNS);
        assert_eq!(map.unknown, ["[B]"]);
        let table = read_table(b"nome;codice fiscale\nA;1;;extra\n").unwrap();
        assert_eq!(map_table(&table, COLUMNS).unknown, ["[D]"]);
    }

    #[test]
    fn letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }
}
