//! The import of CSV and XLSX files (`reti_domain::table`, `columns`, `import`, the actor map's
//! relations): any bytes are read without a panic, a table read is what its documentation says
//! (trimmed cells, padded rows, lines in order), and every problem of every import names a line
//! of the file (1 for a column) and a field.

#![no_main]

use libfuzzer_sys::fuzz_target;
use reti_domain::actor_map::{RELATION_COLUMNS, parse_relations};
use reti_domain::columns::{Column, map_table};
use reti_domain::import::{
    DISTRICT_COLUMNS, MEMBERSHIP_COLUMNS, NETWORK_COLUMNS, ORGANISATION_COLUMNS, PERSON_COLUMNS, parse_districts,
    parse_memberships, parse_networks, parse_organisations, parse_people,
};
use reti_domain::table::{Table, TableError, read_table};
use reti_domain::territory::Territory;
use reti_domain::{Municipality, RowError};
use std::collections::BTreeMap;
use std::sync::LazyLock;

static TERRITORY: LazyLock<Territory> = LazyLock::new(|| {
    let municipality = |code: &str, name: &str, province: &str| Municipality {
        istat_code: code.into(),
        name: name.into(),
        province: province.into(),
        province_code: province.into(),
        region: "Lombardia".into(),
        cadastral_code: String::new(),
    };
    Territory::new(vec![
        municipality("015146", "Milano", "MI"),
        municipality("013041", "Cantù", "CO"),
        municipality("016024", "Bergamo", "BG"),
    ])
});

fuzz_target!(|data: &[u8]| {
    let table = match read_table(data) {
        Ok(table) => table,
        Err(error) => {
            check_refusal(&error);
            return;
        }
    };
    check_table(&table);
    let errors = |columns: &[Column], parse: &dyn Fn(&reti_domain::ColumnMap) -> Vec<RowError>| {
        let map = map_table(&table, columns);
        let errors = parse(&map);
        for error in &errors {
            check_row_error(&table, columns, error);
        }
    };
    errors(ORGANISATION_COLUMNS, &|map| parse_organisations(&table, map, &TERRITORY).1);
    errors(PERSON_COLUMNS, &|map| parse_people(&table, map).1);
    errors(NETWORK_COLUMNS, &|map| parse_networks(&table, map).1);
    errors(MEMBERSHIP_COLUMNS, &|map| parse_memberships(&table, map).1);
    errors(DISTRICT_COLUMNS, &|map| parse_districts(&table, map).1);
    let ids = BTreeMap::from([("80012345674".to_owned(), "org-1".to_owned())]);
    errors(RELATION_COLUMNS, &|map| parse_relations(&table, map, &ids).err().unwrap_or_default());
});

/// A refusal that is about a line names one.
fn check_refusal(error: &TableError) {
    let message = error.to_string();
    match error {
        TableError::TooManyColumns { line, .. } | TableError::CellTooLong { line, .. } => {
            assert!(*line >= 1, "{message}");
        }
        _ => {}
    }
}

fn check_table(table: &Table) {
    for header in &table.headers {
        assert_eq!(header, header.trim(), "headers are trimmed: {:?}", table.headers);
    }
    assert!(table.headers.last().is_none_or(|h| !h.is_empty()), "no trailing empty header: {:?}", table.headers);
    let mut previous = 0;
    for row in &table.rows {
        assert!(row.line > previous, "lines in order: {} after {previous}", row.line);
        previous = row.line;
        assert!(row.cells.len() >= table.headers.len(), "a row is padded to the header: {row:?}");
        assert!(row.cells.iter().any(|c| !c.is_empty()), "no empty row: {row:?}");
        for cell in &row.cells {
            assert_eq!(cell, cell.trim(), "cells are trimmed: {row:?}");
        }
    }
}

/// A problem names a line of the file (1 for the header) and a field in snake case.
fn check_row_error(table: &Table, columns: &[Column], error: &RowError) {
    assert!(
        error.line == 1 || table.rows.iter().any(|row| row.line == error.line),
        "line {} is no line of the table: {error:?}",
        error.line
    );
    assert!(
        !error.field.is_empty() && error.field.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
        "a field name: {error:?}"
    );
    assert!(
        error.line == 1 || columns.iter().any(|c| c.field == error.field),
        "a problem of a row names a column: {error:?}"
    );
    assert!(error.code.starts_with("error-"), "a message key: {error:?}");
    assert!(error.value.chars().count() <= 100, "the value is cut: {error:?}");
}
