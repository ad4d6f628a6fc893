//! Files out of tables: CSV that opens cleanly in Italian Excel (UTF-8 with BOM, semicolons),
//! XLSX, and JSON (an array of objects keyed by field name). CSV cells that a spreadsheet would run
//! as formulas are neutralised ([`reti_domain::formula`]); XLSX cells are typed strings, never
//! formulas, so they need no prefix.

use reti_store::registry::export::{ExportColumn, ExportTable};
use std::io::Write;

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

/// The whole table as a file in memory, for the downloads of the pages.
pub fn write(table: &ExportTable, format: Format) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut writer = ExportWriter::new(table.columns, format, &mut out)?;
    for row in &table.rows {
        writer.row(row)?;
    }
    writer.finish()?;
    Ok(out)
}

/// Writes a file row by row, so that an export of any length holds one row at a time: CSV and
/// JSON go straight to `out`; XLSX keeps its rows in a temporary file (the constant-memory mode of
/// `rust_xlsxwriter`) and zips the workbook into `out` at the end.
pub struct ExportWriter<W: Write + Send> {
    columns: &'static [ExportColumn],
    inner: Inner<W>,
}

enum Inner<W: Write> {
    Csv(Box<csv::Writer<W>>),
    Json { out: W, rows: usize },
    Xlsx { workbook: Box<rust_xlsxwriter::Workbook>, rows: u32, out: W },
}

impl<W: Write + Send> ExportWriter<W> {
    pub fn new(columns: &'static [ExportColumn], format: Format, mut out: W) -> anyhow::Result<ExportWriter<W>> {
        let inner = match format {
            Format::Csv => {
                // The BOM tells Excel the file is UTF-8; the semicolon is the separator Italian
                // Excel expects.
                out.write_all("\u{feff}".as_bytes())?;
                let mut writer =
                    csv::WriterBuilder::new().delimiter(b';').terminator(csv::Terminator::CRLF).from_writer(out);
                writer.write_record(columns.iter().map(|c| c.header))?;
                Inner::Csv(Box::new(writer))
            }
            Format::Json => {
                out.write_all(b"[")?;
                Inner::Json { out, rows: 0 }
            }
            Format::Xlsx => {
                let mut workbook = Box::new(rust_xlsxwriter::Workbook::new());
                let sheet = workbook.add_worksheet_with_constant_memory()?;
                let bold = rust_xlsxwriter::Format::new().set_bold();
                for (column, header) in columns.iter().enumerate() {
                    sheet.write_string_with_format(0, u16::try_from(column)?, header.header, &bold)?;
                }
                Inner::Xlsx { workbook, rows: 0, out }
            }
        };
        Ok(ExportWriter { columns, inner })
    }

    pub fn row(&mut self, row: &[String]) -> anyhow::Result<()> {
        match &mut self.inner {
            Inner::Csv(writer) => {
                writer.write_record(row.iter().map(|cell| reti_domain::formula::guard(cell).into_owned()))?;
            }
            Inner::Json { out, rows } => {
                let item: serde_json::Map<String, serde_json::Value> = self
                    .columns
                    .iter()
                    .zip(row)
                    .map(|(c, v)| (c.field.to_owned(), serde_json::Value::String(v.clone())))
                    .collect();
                out.write_all(if *rows == 0 { b"\n" } else { b",\n" })?;
                serde_json::to_writer(&mut *out, &item)?;
                *rows += 1;
            }
            Inner::Xlsx { workbook, rows, .. } => {
                *rows += 1;
                let sheet = workbook.worksheet_from_index(0)?;
                for (column, value) in row.iter().enumerate() {
                    // Text always: tax codes and ISTAT codes keep their leading zeros.
                    sheet.write_string(*rows, u16::try_from(column)?, value)?;
                }
            }
        }
        Ok(())
    }

    pub fn finish(self) -> anyhow::Result<()> {
        match self.inner {
            Inner::Csv(mut writer) => writer.flush()?,
            Inner::Json { mut out, rows } => {
                out.write_all(if rows == 0 { b"]" } else { b"\n]" })?;
                out.flush()?;
            }
            Inner::Xlsx { mut workbook, out, .. } => workbook.save_to_writer(out)?,
        }
        Ok(())
    }
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
