//! Files out of tables: CSV that opens cleanly in Italian Excel (UTF-8 with BOM, semicolons),
//! XLSX, and JSON (an array of objects keyed by field name). CSV cells that a spreadsheet would run
//! as formulas are neutralised ([`reti_domain::formula`]); XLSX cells are typed strings, never
//! formulas, so they need no prefix.

use reti_store::registry::export::ExportTable;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Json,
}

impl Format {
    pub fn parse(text: &str) -> Option<Format> {
        match text.to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            "json" => Some(Format::Json),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Json => "json",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Json => "application/json",
        }
    }
}

pub fn write(table: &ExportTable, format: Format) -> anyhow::Result<Vec<u8>> {
    match format {
        Format::Csv => write_csv(table),
        Format::Xlsx => write_xlsx(table),
        Format::Json => write_json(table),
    }
}

fn write_csv(table: &ExportTable) -> anyhow::Result<Vec<u8>> {
    // The BOM tells Excel the file is UTF-8; the semicolon is the separator Italian Excel expects.
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut writer =
            csv::WriterBuilder::new().delimiter(b';').terminator(csv::Terminator::CRLF).from_writer(&mut out);
        writer.write_record(table.columns.iter().map(|c| c.header))?;
        for row in &table.rows {
            writer.write_record(row.iter().map(|cell| reti_domain::formula::guard(cell).into_owned()))?;
        }
        writer.flush()?;
    }
    Ok(out)
}

fn write_xlsx(table: &ExportTable) -> anyhow::Result<Vec<u8>> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (column, header) in table.columns.iter().enumerate() {
        sheet.write_string_with_format(0, u16::try_from(column)?, header.header, &bold)?;
    }
    for (index, row) in table.rows.iter().enumerate() {
        let line = u32::try_from(index + 1)?;
        for (column, value) in row.iter().enumerate() {
            // Text always: tax codes and ISTAT codes keep their leading zeros.
            sheet.write_string(line, u16::try_from(column)?, value)?;
        }
    }
    Ok(workbook.save_to_buffer()?)
}

fn write_json(table: &ExportTable) -> anyhow::Result<Vec<u8>> {
    let items: Vec<serde_json::Map<String, serde_json::Value>> = table
        .rows
        .iter()
        .map(|row| {
            table
                .columns
                .iter()
                .zip(row)
                .map(|(c, v)| (c.field.to_owned(), serde_json::Value::String(v.clone())))
                .collect()
        })
        .collect();
    Ok(serde_json::to_vec_pretty(&items)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reti_store::registry::export::ExportColumn;

    const COLUMNS: &[ExportColumn] = &[
        ExportColumn { field: "name", header: "Denominazione" },
        ExportColumn { field: "tax_code", header: "Codice fiscale" },
    ];

    fn table() -> ExportTable {
        ExportTable { columns: COLUMNS, rows: vec![vec!["Coop; \"Il Ponte\"".into(), "00743110157".into()]] }
    }

    #[test]
    fn csv_is_excel_friendly_and_reads_back() {
        let bytes = write(&table(), Format::Csv).unwrap();
        assert!(bytes.starts_with("\u{feff}Denominazione;Codice fiscale\r\n".as_bytes()));
        let read = reti_domain::table::read_table(&bytes).unwrap();
        assert_eq!(read.headers, vec!["Denominazione", "Codice fiscale"]);
        assert_eq!(read.rows[0].cells, vec!["Coop; \"Il Ponte\"", "00743110157"]);
    }

    #[test]
    fn xlsx_reads_back_with_leading_zeros() {
        let bytes = write(&table(), Format::Xlsx).unwrap();
        let read = reti_domain::table::read_table(&bytes).unwrap();
        assert_eq!(read.rows[0].cells[1], "00743110157");
    }

    fn hostile() -> ExportTable {
        ExportTable { columns: COLUMNS, rows: vec![vec![FORMULA.into(), "-1".into()]] }
    }

    const FORMULA: &str = "=HYPERLINK(\"http://evil.example\",\"x\")";

    #[test]
    fn csv_neutralises_formulas_and_reads_them_back() {
        let bytes = write(&hostile(), Format::Csv).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        let line = text.lines().nth(1).unwrap();
        assert!(line.starts_with("\"'=HYPERLINK("), "the formula is prefixed: {line}");
        assert!(line.ends_with(";'-1"), "every trigger character is prefixed: {line}");
        let read = reti_domain::table::read_table(&bytes).unwrap();
        assert_eq!(read.rows[0].cells, vec!["'=HYPERLINK(\"http://evil.example\",\"x\")", "'-1"]);
        let values: Vec<&str> = read.rows[0].cells.iter().map(|c| reti_domain::formula::unguard(c)).collect();
        assert_eq!(values, vec![FORMULA, "-1"]);
    }

    #[test]
    fn xlsx_writes_formulas_as_typed_strings() {
        use calamine::{Data, Reader};
        let bytes = write(&hostile(), Format::Xlsx).unwrap();
        let mut workbook = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let sheet = workbook.sheet_names()[0].clone();
        let formulas = workbook.worksheet_formula(&sheet).unwrap();
        assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "no cell is a formula");
        let values = workbook.worksheet_range(&sheet).unwrap();
        assert_eq!(values.get((1, 0)), Some(&Data::String(FORMULA.into())));
        assert_eq!(values.get((1, 1)), Some(&Data::String("-1".into())));
    }

    #[test]
    fn json_is_an_array_of_objects() {
        let value: serde_json::Value = serde_json::from_slice(&write(&table(), Format::Json).unwrap()).unwrap();
        assert_eq!(value[0]["tax_code"], "00743110157");
    }
}
