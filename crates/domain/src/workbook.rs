//! Reading the first sheet of an XLSX workbook within bounds.
//!
//! A workbook is a zip of XML parts, and both layers can be made to explode: a sheet that
//! declares `A1:XFD1048576` (a dense reader allocates 2^34 cells), a part that inflates a
//! thousand times, a part that lies about its size, a shared-string table that announces four
//! billion entries (calamine reserves them), a DTD with nested entities. So the container is
//! checked part by part, reading each through a limit, before calamine opens it; then the sheet is
//! streamed cell by cell, never as a dense range. The numbers are explained in decision 0008.

use crate::table::{MAX_CELLS, MAX_COLUMNS, MAX_ROWS, Table, TableError, assemble};
use calamine::{Data, Reader, Xlsx};
use quick_xml::events::Event;
use std::io::{self, BufReader, Cursor, Read};
use zip::ZipArchive;

/// Parts in the zip (a one-sheet workbook from Excel has about a dozen).
pub const MAX_PARTS: usize = 1_000;
/// Bytes of all the parts once uncompressed.
pub const MAX_UNCOMPRESSED_BYTES: u64 = 256 * 1024 * 1024;
/// Uncompressed to compressed size of one part; real sheets stay well under it, bombs reach 1000.
pub const MAX_COMPRESSION_RATIO: u64 = 200;
/// Parts smaller than this are not held to the ratio (tiny parts compress oddly).
const RATIO_FLOOR_BYTES: u64 = 1024 * 1024;
/// Entries of the shared-string table: there cannot be more distinct strings than cells.
pub const MAX_SHARED_STRINGS: usize = MAX_CELLS;
/// Bytes of the shared-string table, which calamine keeps in memory whole.
pub const MAX_SHARED_STRINGS_BYTES: u64 = 64 * 1024 * 1024;

pub(crate) fn read_xlsx(bytes: &[u8]) -> Result<Table, TableError> {
    check_container(bytes)?;
    let mut workbook: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| TableError::Unreadable(format!("not a valid .xlsx file: {e}")))?;
    let name = workbook
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| TableError::Unreadable("the workbook has no worksheet".into()))?;
    let mut reader = workbook.worksheet_cells_reader(&name).map_err(|e| TableError::Unreadable(e.to_string()))?;
    let declared = reader.dimensions();
    let rows = u64::from(declared.end.0.saturating_sub(declared.start.0)) + 1;
    let columns = u64::from(declared.end.1.saturating_sub(declared.start.1)) + 1;
    // One row more than MAX_ROWS for the header.
    if rows > MAX_ROWS as u64 + 1 || u64::from(declared.end.1) >= MAX_COLUMNS as u64 {
        return Err(TableError::DeclaredDimensions { rows, columns, max_rows: MAX_ROWS, max_columns: MAX_COLUMNS });
    }

    // Rows as they come, cells at their absolute column; the columns left of the table go after.
    let mut records: Vec<(usize, Vec<String>)> = Vec::new();
    let mut slots = 0usize;
    let mut first_column = usize::MAX;
    while let Some(cell) = reader.next_cell().map_err(|e| TableError::Unreadable(e.to_string()))? {
        let (row, column) = cell.get_position();
        let (line, column) = (row as usize + 1, column as usize);
        if column >= MAX_COLUMNS {
            return Err(TableError::TooManyColumns { line, limit: MAX_COLUMNS });
        }
        let text = cell_text(&Data::from(cell.get_value().clone()));
        if text.trim().is_empty() {
            continue;
        }
        if records.last().is_none_or(|(last, _)| *last != line) {
            if records.len() > MAX_ROWS {
                return Err(TableError::TooManyRows { limit: MAX_ROWS });
            }
            records.push((line, Vec::new()));
        }
        let Some((_, cells)) = records.last_mut() else { continue };
        if cells.len() <= column {
            slots += column + 1 - cells.len();
            if slots > MAX_CELLS {
                return Err(TableError::TooManyCells { limit: MAX_CELLS });
            }
            cells.resize(column + 1, String::new());
        }
        cells[column] = text;
        first_column = first_column.min(column);
    }
    if records.is_empty() {
        return Err(TableError::Empty);
    }
    let records = records.into_iter().map(|(line, mut cells)| {
        cells.drain(..first_column.min(cells.len()));
        Ok((line, cells))
    });
    assemble(records, "xlsx", None)
}

/// Checks every part of the zip: how many, how large once uncompressed (declared and real), how
/// compressed, the shared-string table, and no DTD in any XML part.
fn check_container(bytes: &[u8]) -> Result<(), TableError> {
    let unreadable = |e: &dyn std::fmt::Display| TableError::Unreadable(format!("not a valid .xlsx file: {e}"));
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    if zip.len() > MAX_PARTS {
        return Err(TableError::TooManyParts { limit: MAX_PARTS });
    }
    let mut total = 0u64;
    for index in 0..zip.len() {
        let mut part = zip.by_index(index).map_err(|e| unreadable(&e))?;
        let name = part.name().map_err(|e| unreadable(&e))?.into_owned();
        let declared = part.size();
        if declared > MAX_UNCOMPRESSED_BYTES - total {
            return Err(TableError::Uncompressed { limit: MAX_UNCOMPRESSED_BYTES });
        }
        if declared > RATIO_FLOOR_BYTES && declared / part.compressed_size().max(1) > MAX_COMPRESSION_RATIO {
            return Err(TableError::CompressionRatio { part: name, limit: MAX_COMPRESSION_RATIO });
        }
        let lower = name.to_ascii_lowercase();
        let shared_strings = lower.ends_with("sharedstrings.xml");
        if shared_strings && declared > MAX_SHARED_STRINGS_BYTES {
            return Err(TableError::StringsTooLarge { limit: MAX_SHARED_STRINGS_BYTES });
        }
        // Never read more than the part declares, whatever its compressed stream holds.
        let mut limited = Counted { inner: (&mut part).take(declared), count: 0 };
        if shared_strings {
            check_shared_strings(&mut limited, &name)?;
        } else if lower.ends_with(".xml") || lower.ends_with(".rels") {
            check_prolog(&mut limited, &name)?;
        }
        io::copy(&mut limited, &mut io::sink()).map_err(|e| unreadable(&e))?;
        let read = limited.count;
        // The part must end where it said: one more byte means it lied about its size.
        let mut probe = [0u8; 1];
        if read < declared || part.read(&mut probe).map_or(true, |n| n > 0) {
            return Err(TableError::SizeMismatch { part: name });
        }
        total += read;
    }
    Ok(())
}

/// A reader that counts the bytes it gives.
struct Counted<R> {
    inner: R,
    count: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}

fn xml_reader<R: Read>(reader: R) -> quick_xml::Reader<BufReader<R>> {
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(reader));
    xml.config_mut().check_end_names = false;
    xml
}

fn xml_error(part: &str, error: impl std::fmt::Display) -> TableError {
    TableError::Unreadable(format!("not a valid .xlsx file: {part}: {error}"))
}

/// Refuses a DTD before the root element: OOXML has none, and entity declarations are how an
/// XML file multiplies itself ("billion laughs").
fn check_prolog<R: Read>(reader: &mut R, part: &str) -> Result<(), TableError> {
    let mut xml = xml_reader(reader);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf).map_err(|e| xml_error(part, e))? {
            Event::DocType(_) => return Err(TableError::Doctype { part: part.to_owned() }),
            Event::Start(_) | Event::Empty(_) | Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

/// Counts the shared strings, and refuses a table that announces more than the bound (calamine
/// reserves room for the announced count up front).
fn check_shared_strings<R: Read>(reader: &mut R, part: &str) -> Result<(), TableError> {
    let too_many = TableError::TooManyStrings { limit: MAX_SHARED_STRINGS };
    let mut xml = xml_reader(reader);
    let mut buf = Vec::new();
    let mut strings = 0usize;
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf).map_err(|e| xml_error(part, e))? {
            Event::DocType(_) => return Err(TableError::Doctype { part: part.to_owned() }),
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sst" => {
                for attribute in e.attributes().flatten() {
                    if matches!(attribute.key.local_name().as_ref(), "count" | "uniqueCount") {
                        let announced = attribute.value.trim().parse::<u64>().ok();
                        if announced.is_none_or(|n| n > MAX_SHARED_STRINGS as u64) {
                            return Err(too_many);
                        }
                    }
                }
            }
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "si" => {
                strings += 1;
                if strings > MAX_SHARED_STRINGS {
                    return Err(too_many);
                }
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

/// A workbook cell as the text a person sees (without number formatting): integers without ".0",
/// dates as ISO 8601.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (year, month, day, hour, minute, second, _) = dt.to_ymd_hms_milli();
            let serial = dt.as_f64();
            if serial < 1.0 {
                format!("{hour:02}:{minute:02}:{second:02}")
            } else if (hour, minute, second) == (0, 0, 0) {
                format!("{year:04}-{month:02}-{day:02}")
            } else {
                format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}")
            }
        }
        Data::DateTime(dt) => float_text(dt.as_f64()),
        Data::DateTimeIso(s) => s.strip_suffix("T00:00:00").unwrap_or(s).to_owned(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

fn float_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{f:.0}")
    } else {
        // Rust prints floats in plain decimal notation, shortest form that round-trips.
        f.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::read_table;
    use rust_xlsxwriter::Workbook;
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    #[test]
    fn float_text_is_plain() {
        assert_eq!(float_text(15146.0), "15146");
        assert_eq!(float_text(0.1), "0.1");
        assert_eq!(float_text(1e20), "100000000000000000000");
        assert_eq!(float_text(-3.5), "-3.5");
    }

    /// A small workbook with a header and one row, as Excel would save it.
    fn workbook(extra: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.write(0, 0, "Denominazione").unwrap();
        sheet.write(1, 0, "Comune di Cantù").unwrap();
        extra(sheet);
        workbook.save_to_buffer().unwrap()
    }

    /// The same zip with the parts rewritten by `edit` (name, content) → content.
    fn rezip(bytes: &[u8], edit: impl Fn(&str, Vec<u8>) -> Vec<u8>) -> Vec<u8> {
        let mut source = ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for index in 0..source.len() {
            let mut part = source.by_index(index).unwrap();
            let name = part.name().unwrap().into_owned();
            let mut content = Vec::new();
            part.read_to_end(&mut content).unwrap();
            out.start_file(name.as_str(), SimpleFileOptions::default()).unwrap();
            out.write_all(&edit(&name, content)).unwrap();
        }
        out.finish().unwrap().into_inner()
    }

    fn sheet_edit(bytes: &[u8], edit: impl Fn(String) -> String) -> Vec<u8> {
        rezip(bytes, |name, content| {
            if name == "xl/worksheets/sheet1.xml" {
                edit(String::from_utf8(content).unwrap()).into_bytes()
            } else {
                content
            }
        })
    }

    #[test]
    fn streams_a_workbook_that_declares_the_whole_sheet() {
        // The workbook of issue 6: cells A1 and XFD1048576, 1.6 KB, which a dense range turns into
        // a 512 GiB allocation.
        let bytes = workbook(|sheet| {
            sheet.write(1_048_575, 16_383, "x").unwrap();
        });
        assert!(bytes.len() < 10_000);
        assert_eq!(
            read_table(&bytes).unwrap_err(),
            TableError::DeclaredDimensions {
                rows: 1_048_576,
                columns: 16_384,
                max_rows: MAX_ROWS,
                max_columns: MAX_COLUMNS
            }
        );
        // Without the declaration the cells themselves are refused, still without allocating.
        let undeclared = sheet_edit(&bytes, |xml| xml.replace("<dimension ref=\"A1:XFD1048576\"/>", ""));
        assert_eq!(
            read_table(&undeclared).unwrap_err(),
            TableError::TooManyColumns { line: 1_048_576, limit: MAX_COLUMNS }
        );
    }

    #[test]
    fn a_far_row_within_the_columns_is_read_sparsely() {
        let bytes = workbook(|sheet| {
            sheet.write(900_000, 0, "lontano").unwrap();
        });
        let table = read_table(&bytes).unwrap();
        assert_eq!(table.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 900_001]);
    }

    #[test]
    fn refuses_a_zip_bomb() {
        // 8 MB of spaces inside the sheet deflate to about 8 KB.
        let padding = " ".repeat(8 * 1024 * 1024);
        let bytes = sheet_edit(&workbook(|_| {}), |xml| xml.replace("<sheetData>", &format!("<sheetData>{padding}")));
        assert!(bytes.len() < 200_000, "{}", bytes.len());
        assert_eq!(
            read_table(&bytes).unwrap_err(),
            TableError::CompressionRatio { part: "xl/worksheets/sheet1.xml".into(), limit: MAX_COMPRESSION_RATIO }
        );
    }

    /// Offsets of the uncompressed-size fields of `name` in the local header and the central
    /// directory of a zip.
    fn size_fields(bytes: &[u8], name: &str) -> Vec<usize> {
        let mut offsets = Vec::new();
        for (signature, size_at, name_at) in [(b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)] {
            for start in 0..bytes.len().saturating_sub(name_at + name.len()) {
                if &bytes[start..start + 4] == signature
                    && &bytes[start + name_at..start + name_at + name.len()] == name.as_bytes()
                {
                    offsets.push(start + size_at);
                }
            }
        }
        offsets
    }

    #[test]
    fn refuses_a_part_that_lies_about_its_size() {
        let padding = " ".repeat(4 * 1024 * 1024);
        let mut bytes =
            sheet_edit(&workbook(|_| {}), |xml| xml.replace("<sheetData>", &format!("<sheetData>{padding}")));
        let offsets = size_fields(&bytes, "xl/worksheets/sheet1.xml");
        assert_eq!(offsets.len(), 2);
        for offset in offsets {
            bytes[offset..offset + 4].copy_from_slice(&1000u32.to_le_bytes());
        }
        assert_eq!(
            read_table(&bytes).unwrap_err(),
            TableError::SizeMismatch { part: "xl/worksheets/sheet1.xml".into() }
        );
    }

    #[test]
    fn refuses_entity_expansion() {
        let laughs = "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\"><!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\"><!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>";
        let bytes = sheet_edit(&workbook(|_| {}), |xml| {
            xml.replacen("?>", &format!("?>{laughs}"), 1).replace(
                "<sheetData>",
                "<sheetData><row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>&lol3;</t></is></c></row>",
            )
        });
        assert_eq!(read_table(&bytes).unwrap_err(), TableError::Doctype { part: "xl/worksheets/sheet1.xml".into() });
    }

    #[test]
    fn refuses_an_announced_flood_of_shared_strings() {
        let bytes = rezip(&workbook(|_| {}), |name, content| {
            if name == "xl/sharedStrings.xml" {
                let xml = String::from_utf8(content).unwrap();
                let at = xml.find("uniqueCount=\"").unwrap() + "uniqueCount=\"".len();
                let end = at + xml[at..].find('"').unwrap();
                format!("{}4000000000{}", &xml[..at], &xml[end..]).into_bytes()
            } else {
                content
            }
        });
        assert_eq!(read_table(&bytes).unwrap_err(), TableError::TooManyStrings { limit: MAX_SHARED_STRINGS });
    }
}
