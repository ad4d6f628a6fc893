//! CSV formula injection (OWASP "CSV Injection"): a cell that starts with `=`, `+`, `-`, `@`, tab or
//! carriage return is run as a formula by spreadsheet programs. Exported cells that could be read
//! so get a leading `'`, and the import takes that same `'` away, so that a file exported and
//! imported back keeps its values exactly.

/// The characters that make a spreadsheet read a cell as a formula.
const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether `text` is some apostrophes (possibly none) followed by a trigger character.
fn is_guarded_form(text: &str) -> bool {
    text.trim_start_matches('\'').starts_with(TRIGGERS)
}

/// The cell as written to a CSV file: `'` prefixed when a spreadsheet could read it as a formula.
/// Values that already start with apostrophes before a trigger get one more, so that
/// [`unguard`] gives every value back unchanged.
pub fn guard(cell: &str) -> std::borrow::Cow<'_, str> {
    if is_guarded_form(cell) { format!("'{cell}").into() } else { cell.into() }
}

/// The value of a cell read from a file: the `'` that [`guard`] adds is taken away.
pub fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if is_guarded_form(rest) => rest,
        _ => cell,
    }
}

/// Takes the guard away from every cell of a table read from a file.
pub fn unguard_table(table: &mut crate::Table) {
    table.rows.iter_mut().for_each(unguard_row);
}

/// Takes the guard away from every cell of a row read from a file.
pub fn unguard_row(row: &mut crate::TableRow) {
    for cell in &mut row.cells {
        if unguard(cell).len() != cell.len() {
            // `unguard` takes away exactly the leading apostrophe.
            cell.remove(0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(guard("=HYPERLINK(\"http://x\",\"x\")"), "'=HYPERLINK(\"http://x\",\"x\")");
        for cell in ["+39 02 1234", "-5", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(guard(cell), format!("'{cell}"));
        }
        assert_eq!(guard("Rete Milano"), "Rete Milano");
        assert_eq!(guard("'ciao"), "'ciao");
        assert_eq!(guard("''=1"), "'''=1");
        assert_eq!(guard(""), "");
    }

    #[test]
    fn only_the_guard_is_taken_away() {
        assert_eq!(unguard("'=1+1"), "=1+1");
        assert_eq!(unguard("'ciao"), "'ciao");
        assert_eq!(unguard("''=1"), "'=1");
        assert_eq!(unguard("=1"), "=1");
    }

    proptest! {
        #[test]
        fn unguard_inverts_guard(cell in "['=+@a \\-\\t\\r]{0,6}.{0,10}") {
            let guarded = guard(&cell);
            prop_assert_eq!(unguard(&guarded), cell.as_str());
            prop_assert!(!guarded.starts_with(TRIGGERS));
        }
    }
}
