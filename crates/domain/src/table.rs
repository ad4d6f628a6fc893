//! Reading spreadsheet files as people really produce them: CSV saved by an Italian Excel
//! (semicolons, Windows-1252, CRLF, a BOM, trailing empty columns), CSV from other tools (commas,
//! tabs, UTF-8), ISTAT's own files (Latin-1, quoted headers spanning lines) and XLSX workbooks.
//!
//! [`read_table`] takes the bytes of a file and returns its header and rows, every cell as trimmed
//! text, each row with the line (or sheet row) where it starts so that errors can point at it.
//! Nothing here knows what the columns mean: see [`crate::columns`]. [`open_table`] gives the same
//! rows one at a time, for files too large to hold as a table.

use std::borrow::Cow;

/// Files over this size are refused before any parsing (the upload limit of the web too).
pub const MAX_BYTES: usize = 64 * 1024 * 1024;
/// Tables with more data rows than this are refused (a small file can hide a huge sheet).
pub const MAX_ROWS: usize = 1_000_000;
/// Rows with cells past this many columns are refused.
pub const MAX_COLUMNS: usize = 256;
/// Cells kept for the whole table, empty padding included (rows × header width).
pub const MAX_CELLS: usize = 5_000_000;
/// Excel's own limit for one cell.
pub const MAX_CELL_CHARS: usize = 32_767;

/// How much of a CSV file the delimiter sniffer reads.
const SNIFF_BYTES: usize = 1024 * 1024;
/// How many records the delimiter sniffer looks at.
const SNIFF_RECORDS: usize = 20;
const DELIMITERS: [u8; 3] = [b';', b',', b'\t'];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileFormat {
    Csv,
    Xlsx,
}

/// The contents of a file: its header and its non-empty rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The header cells, trimmed, with inner runs of whitespace (such as a line break inside a
    /// quoted header) collapsed to one space; trailing empty headers are dropped.
    pub headers: Vec<String>,
    pub rows: Vec<TableRow>,
    /// "UTF-8", "windows-1252", "UTF-16LE", "UTF-16BE" for CSV; "xlsx" for a workbook.
    pub encoding: &'static str,
    /// The CSV delimiter found; `None` for a workbook.
    pub delimiter: Option<u8>,
}

impl Table {
    pub fn format(&self) -> FileFormat {
        if self.delimiter.is_none() && self.encoding == "xlsx" { FileFormat::Xlsx } else { FileFormat::Csv }
    }
}

/// One record of the file. `cells` has at least as many entries as the header (padded with ""),
/// more only when a row has non-empty values beyond the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    /// 1-based line of the file where the record starts (for a workbook: the sheet row number).
    pub line: usize,
    /// Trimmed cell values.
    pub cells: Vec<String>,
}

/// Why a file is refused. Every bound names its limit, so that the message can say it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    #[error("the file is empty")]
    Empty,
    #[error("the file cannot be read: {0}")]
    Unreadable(String),
    #[error("the file is larger than {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("the table has more than {limit} rows")]
    TooManyRows { limit: usize },
    #[error("line {line} has cells beyond column {limit}")]
    TooManyColumns { line: usize, limit: usize },
    #[error("the table has more than {limit} cells")]
    TooManyCells { limit: usize },
    #[error("line {line} has a cell longer than {limit} characters")]
    CellTooLong { line: usize, limit: usize },
    #[error(
        "the sheet declares {rows} rows × {columns} columns; at most {max_rows} rows and {max_columns} columns are read"
    )]
    DeclaredDimensions { rows: u64, columns: u64, max_rows: usize, max_columns: usize },
    #[error("the workbook has more than {limit} parts")]
    TooManyParts { limit: usize },
    #[error("the workbook holds more than {limit} bytes once uncompressed")]
    Uncompressed { limit: u64 },
    #[error("the workbook part {part} is compressed more than {limit} to 1")]
    CompressionRatio { part: String, limit: u64 },
    #[error("the workbook part {part} does not match its declared size or checksum")]
    SizeMismatch { part: String },
    #[error("the workbook has more than {limit} shared strings")]
    TooManyStrings { limit: usize },
    #[error("the workbook's shared strings exceed {limit} bytes")]
    StringsTooLarge { limit: u64 },
    #[error("the workbook part {part} declares a DTD, which spreadsheets never need")]
    Doctype { part: String },
}

/// What kind of file the bytes are: a ZIP container is taken as a workbook, anything else as text.
pub fn detect_format(bytes: &[u8]) -> FileFormat {
    if bytes.starts_with(b"PK\x03\x04") { FileFormat::Xlsx } else { FileFormat::Csv }
}

/// Reads a CSV or XLSX file (detected from its content, not its name).
pub fn read_table(bytes: &[u8]) -> Result<Table, TableError> {
    let mut source = open_table(bytes)?;
    let rows = source.rows()?;
    let (headers, encoding, delimiter) = (rows.headers.clone(), rows.encoding, rows.delimiter);
    let rows = rows.collect::<Result<Vec<_>, _>>()?;
    Ok(Table { headers, rows, encoding, delimiter })
}

/// Opens a CSV or XLSX file for reading row by row (see [`TableSource::rows`]): the checks that
/// need the whole file (size, format, encoding, delimiter, the width of every record) are done
/// here, the rows are made one at a time, so that a large file is never held as a table.
pub fn open_table(bytes: &[u8]) -> Result<TableSource<'_>, TableError> {
    if bytes.len() > MAX_BYTES {
        return Err(TableError::TooLarge { limit: MAX_BYTES as u64 });
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Err(TableError::Unreadable("old Excel .xls format: save the file as .xlsx or .csv".into()));
    }
    match detect_format(bytes) {
        // A workbook's cells come out of its XML in any order: it is read whole.
        FileFormat::Xlsx => Ok(TableSource::Workbook(Some(crate::workbook::read_xlsx(bytes)?))),
        FileFormat::Csv => open_csv(bytes),
    }
}

/// A file opened by [`open_table`].
pub enum TableSource<'a> {
    Csv {
        text: Cow<'a, str>,
        encoding: &'static str,
        delimiter: u8,
    },
    /// Taken by the first call to [`TableSource::rows`].
    Workbook(Option<Table>),
}

impl TableSource<'_> {
    /// The header and an iterator over the rows. A row that breaks a bound (rows, cells) ends the
    /// iteration with an error.
    pub fn rows(&mut self) -> Result<TableRows<'_>, TableError> {
        match self {
            TableSource::Workbook(table) => {
                let table = table.take().ok_or(TableError::Empty)?;
                Ok(TableRows {
                    headers: table.headers,
                    encoding: table.encoding,
                    delimiter: table.delimiter,
                    records: Records::Workbook(table.rows.into_iter()),
                })
            }
            TableSource::Csv { text, encoding, delimiter } => {
                let mut records = Records::Csv {
                    reader: csv_reader(text, *delimiter),
                    record: csv::StringRecord::new(),
                    lines: LineCounter::new(text),
                    assembler: Assembler::default(),
                };
                // Records up to the header: the first non-empty one.
                while records.assembler().is_some_and(|a| a.headers.is_none()) {
                    if records.next_csv()?.is_none() {
                        return Err(TableError::Empty);
                    }
                }
                let headers = records.assembler().and_then(|a| a.headers.clone()).unwrap_or_default();
                Ok(TableRows { headers, encoding, delimiter: Some(*delimiter), records })
            }
        }
    }
}

/// The rows of a file, one at a time, with its header.
pub struct TableRows<'a> {
    pub headers: Vec<String>,
    pub encoding: &'static str,
    pub delimiter: Option<u8>,
    records: Records<'a>,
}

impl TableRows<'_> {
    pub fn format(&self) -> FileFormat {
        if self.delimiter.is_none() { FileFormat::Xlsx } else { FileFormat::Csv }
    }
}

enum Records<'a> {
    Csv { reader: csv::Reader<&'a [u8]>, record: csv::StringRecord, lines: LineCounter<'a>, assembler: Assembler },
    Workbook(std::vec::IntoIter<TableRow>),
}

impl Records<'_> {
    fn assembler(&self) -> Option<&Assembler> {
        match self {
            Records::Csv { assembler, .. } => Some(assembler),
            Records::Workbook(_) => None,
        }
    }

    /// The next CSV record through the assembler: `Some(None)` for a record that is not a data row
    /// (the header, an empty line); `None` at the end.
    fn next_csv(&mut self) -> Result<Option<Option<TableRow>>, TableError> {
        let Records::Csv { reader, record, lines, assembler } = self else { return Ok(None) };
        if !reader.read_record(record).map_err(|e| TableError::Unreadable(e.to_string()))? {
            return Ok(None);
        }
        let line = record.position().map_or(0, |p| lines.line_at(p.byte() as usize));
        assembler.push(line, record.iter().map(str::to_owned).collect()).map(Some)
    }
}

impl Iterator for TableRows<'_> {
    type Item = Result<TableRow, TableError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Records::Workbook(rows) = &mut self.records {
            return rows.next().map(Ok);
        }
        loop {
            match self.records.next_csv() {
                Ok(Some(Some(row))) => return Some(Ok(row)),
                Ok(Some(None)) => {}
                Ok(None) => return None,
                Err(error) => return Some(Err(error)),
            }
        }
    }
}

/// Builds a table from raw records (line, cells): see [`Assembler`].
pub(crate) fn assemble(
    records: impl Iterator<Item = Result<(usize, Vec<String>), TableError>>,
    encoding: &'static str,
    delimiter: Option<u8>,
) -> Result<Table, TableError> {
    let mut assembler = Assembler::default();
    let mut rows = Vec::new();
    for record in records {
        let (line, cells) = record?;
        rows.extend(assembler.push(line, cells)?);
    }
    let headers = assembler.headers.ok_or(TableError::Empty)?;
    Ok(Table { headers, rows, encoding, delimiter })
}

/// Turns raw records into rows: finds the header, drops empty rows, trims, pads and cuts rows to
/// the header's width, within the bounds on rows, columns and cells.
#[derive(Default)]
struct Assembler {
    headers: Option<Vec<String>>,
    rows: usize,
    kept_cells: usize,
}

impl Assembler {
    /// The row made of one record; `None` for the header and for empty records.
    fn push(&mut self, line: usize, mut cells: Vec<String>) -> Result<Option<TableRow>, TableError> {
        if cells.len() > MAX_COLUMNS {
            return Err(TableError::TooManyColumns { line, limit: MAX_COLUMNS });
        }
        for cell in &mut cells {
            if cell.len() > MAX_CELL_CHARS && cell.chars().count() > MAX_CELL_CHARS {
                return Err(TableError::CellTooLong { line, limit: MAX_CELL_CHARS });
            }
            let trimmed = cell.trim();
            if trimmed.len() != cell.len() {
                *cell = trimmed.to_owned();
            }
        }
        if cells.iter().all(String::is_empty) {
            return Ok(None);
        }
        let Some(header) = &self.headers else {
            let mut header: Vec<String> =
                cells.iter().map(|c| c.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
            while header.last().is_some_and(String::is_empty) {
                header.pop();
            }
            self.headers = Some(header);
            return Ok(None);
        };
        if self.rows >= MAX_ROWS {
            return Err(TableError::TooManyRows { limit: MAX_ROWS });
        }
        while cells.len() > header.len() && cells.last().is_some_and(String::is_empty) {
            cells.pop();
        }
        self.kept_cells += cells.len().max(header.len());
        if self.kept_cells > MAX_CELLS {
            return Err(TableError::TooManyCells { limit: MAX_CELLS });
        }
        if cells.len() < header.len() {
            cells.resize(header.len(), String::new());
        }
        self.rows += 1;
        Ok(Some(TableRow { line, cells }))
    }
}

// ---------------------------------------------------------------------------------------------
// CSV

fn decode(bytes: &[u8]) -> (Cow<'_, str>, &'static str) {
    if let Some((encoding, bom_length)) = encoding_rs::Encoding::for_bom(bytes)
        && (encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE)
    {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_length..]);
        let name = if encoding == encoding_rs::UTF_16LE { "UTF-16LE" } else { "UTF-16BE" };
        return (text, name);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        // UTF-8 is read in place: the file is not copied.
        Ok(text) => (Cow::Borrowed(text), "UTF-8"),
        Err(_) => {
            // ISO-8859-1 is a subset of Windows-1252 for every printable character.
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            (text, "windows-1252")
        }
    }
}

fn csv_reader(text: &str, delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes())
}

/// The delimiter under which the first records have the most consistent number of fields (more
/// than one); on a tie the one giving more fields, then `;`, `,`, tab in that order.
fn sniff_delimiter(text: &str) -> u8 {
    let mut best: Option<((usize, usize), u8)> = None;
    for delimiter in DELIMITERS {
        let mut counts: Vec<usize> = Vec::new();
        let mut record = csv::StringRecord::new();
        let mut reader = csv_reader(text, delimiter);
        while counts.len() < SNIFF_RECORDS {
            match reader.read_record(&mut record) {
                Ok(true) => {
                    if record.iter().any(|f| !f.trim().is_empty()) {
                        counts.push(record.len());
                    }
                }
                _ => break,
            }
        }
        if counts.is_empty() {
            continue;
        }
        let mut frequencies: Vec<(usize, usize)> = Vec::new();
        for &count in &counts {
            match frequencies.iter_mut().find(|(c, _)| *c == count) {
                Some((_, n)) => *n += 1,
                None => frequencies.push((count, 1)),
            }
        }
        let (mode, frequency) = frequencies.iter().copied().max_by_key(|&(count, n)| (n, count)).unwrap_or((0, 0));
        if mode <= 1 {
            continue;
        }
        // Share of consistent records, in thousandths, so that delimiters that split records
        // differently (quoted line breaks) are compared fairly.
        let score = (frequency * 1000 / counts.len(), mode);
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, delimiter));
        }
    }
    best.map_or(b';', |(_, delimiter)| delimiter)
}

fn open_csv(bytes: &[u8]) -> Result<TableSource<'_>, TableError> {
    let (text, encoding) = decode(bytes);
    if text.contains('\0') {
        return Err(TableError::Unreadable("binary content: not a CSV file".into()));
    }
    if text.trim().is_empty() {
        return Err(TableError::Empty);
    }
    let delimiter = sniff_delimiter(prefix(&text, SNIFF_BYTES));
    check_records(text.as_bytes(), delimiter)?;
    Ok(TableSource::Csv { text, encoding, delimiter })
}

/// The start of `text`, at most `bytes` long, cut at a character boundary.
fn prefix(text: &str, bytes: usize) -> &str {
    let mut end = bytes.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Walks the records without keeping them, so that a line of millions of fields or one huge
/// field is refused before the csv reader allocates a slot for every field.
fn check_records(text: &[u8], delimiter: u8) -> Result<(), TableError> {
    let mut reader = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    // Enough for any cell within MAX_CELL_CHARS (UTF-8 takes at most 4 bytes a character).
    let mut field = vec![0u8; 4 * MAX_CELL_CHARS];
    let mut lines = LineCounter::new_bytes(text);
    let (mut input, mut offset) = (text, 0usize);
    let (mut fields, mut record_start) = (0usize, 0usize);
    loop {
        let (result, read, _) = reader.read_field(input, &mut field);
        input = &input[read..];
        offset += read;
        match result {
            csv_core::ReadFieldResult::InputEmpty => {}
            csv_core::ReadFieldResult::OutputFull => {
                return Err(TableError::CellTooLong { line: lines.line_at(record_start), limit: MAX_CELL_CHARS });
            }
            csv_core::ReadFieldResult::Field { record_end } => {
                fields += 1;
                if fields > MAX_COLUMNS {
                    return Err(TableError::TooManyColumns { line: lines.line_at(record_start), limit: MAX_COLUMNS });
                }
                if record_end {
                    fields = 0;
                    record_start = offset;
                }
            }
            csv_core::ReadFieldResult::End => return Ok(()),
        }
    }
}

/// Line numbers of byte offsets, for offsets that only grow.
///
/// csv's own `Position::line()` counts a line when it meets its '\n', which for CRLF files is
/// after the next record has started: records of a CRLF file would be one line early. The byte
/// offset of a record is right, give or take the line break before it, which is skipped here.
struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        Self::new_bytes(text.as_bytes())
    }

    fn new_bytes(text: &'a [u8]) -> Self {
        LineCounter { text, offset: 0, line: 1 }
    }

    fn line_at(&mut self, byte: usize) -> usize {
        let mut start = byte.min(self.text.len());
        while start < self.text.len() && matches!(self.text[start], b'\r' | b'\n') {
            start += 1;
        }
        if start > self.offset {
            let span = &self.text[self.offset..start];
            // A line ends with "\n", "\r\n", or a lone "\r" (old Mac files).
            let breaks = span
                .iter()
                .enumerate()
                .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && self.text.get(self.offset + i + 1) != Some(&b'\n')))
                .count();
            self.line += breaks;
            self.offset = start;
        }
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cells(table: &Table) -> Vec<Vec<&str>> {
        table.rows.iter().map(|r| r.cells.iter().map(String::as_str).collect()).collect()
    }

    fn lines(table: &Table) -> Vec<usize> {
        table.rows.iter().map(|r| r.line).collect()
    }

    #[test]
    fn excel_italian_csv() {
        let bytes = b"\xEF\xBB\xBFDenominazione;Comune;Codice fiscale;;;\r\nComune di Cant\xC3\xB9;Cant\xC3\xB9;00743110157;;;\r\n;;;;;\r\n Coop. Sociale ; Milano ;01199250158;;;\r\n";
        let table = read_table(bytes).unwrap();
        assert_eq!(table.headers, ["Denominazione", "Comune", "Codice fiscale"]);
        assert_eq!(table.encoding, "UTF-8");
        assert_eq!(table.delimiter, Some(b';'));
        assert_eq!(table.format(), FileFormat::Csv);
        assert_eq!(
            cells(&table),
            [vec!["Comune di Cantù", "Cantù", "00743110157"], vec!["Coop. Sociale", "Milano", "01199250158"]]
        );
        assert_eq!(lines(&table), [2, 4]);
    }

    #[test]
    fn windows_1252() {
        let table = read_table(b"nome;citt\xe0\nCant\xf9;\x80 5\n").unwrap();
        assert_eq!(table.encoding, "windows-1252");
        assert_eq!(table.headers, ["nome", "città"]);
        assert_eq!(cells(&table), [vec!["Cantù", "€ 5"]]);
    }

    #[test]
    fn utf16_with_bom() {
        let text = "nome\tcomune\nCantù\tMilano\n";
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let table = read_table(&bytes).unwrap();
        assert_eq!(table.encoding, "UTF-16LE");
        assert_eq!(table.delimiter, Some(b'\t'));
        assert_eq!(cells(&table), [vec!["Cantù", "Milano"]]);
    }

    #[test]
    fn comma_with_quoted_separators_and_quotes() {
        let table =
            read_table(b"name,description,city\n\"Rossi, Mario\",\"He said \"\"hi\"\"; then left\",Milano\nA,B,C\n")
                .unwrap();
        assert_eq!(table.delimiter, Some(b','));
        assert_eq!(cells(&table), [vec!["Rossi, Mario", "He said \"hi\"; then left", "Milano"], vec!["A", "B", "C"]]);
        assert_eq!(lines(&table), [2, 3]);
    }

    #[test]
    fn semicolon_with_commas_in_text() {
        let table = read_table(b"nome;descrizione\nA;uno, due, tre\nB;quattro, cinque\n").unwrap();
        assert_eq!(table.delimiter, Some(b';'));
        assert_eq!(cells(&table)[0], ["A", "uno, due, tre"]);
    }

    #[test]
    fn tab_separated() {
        let table = read_table(b"a\tb\tc\n1\t2\t3\n4\t5\t6\n").unwrap();
        assert_eq!(table.delimiter, Some(b'\t'));
        assert_eq!(cells(&table), [vec!["1", "2", "3"], vec!["4", "5", "6"]]);
    }

    #[test]
    fn multiline_quoted_header_and_cells() {
        let bytes = b"Codice;\"Denominazione dell'Unit\xe0 territoriale sovracomunale \n(valida a fini statistici)\";Nome\r\n001;Torino;\"riga uno\r\nriga due\"\r\n002;Milano;x\r\n";
        let table = read_table(bytes).unwrap();
        assert_eq!(table.delimiter, Some(b';'));
        assert_eq!(table.headers[1], "Denominazione dell'Unità territoriale sovracomunale (valida a fini statistici)");
        assert_eq!(cells(&table)[0], ["001", "Torino", "riga uno\r\nriga due"]);
        assert_eq!(lines(&table), [3, 5]);
    }

    #[test]
    fn short_rows_are_padded_and_long_rows_kept() {
        let table = read_table(b"a;b;c\n1\n1;2;3;4;;\n").unwrap();
        assert_eq!(cells(&table), [vec!["1", "", ""], vec!["1", "2", "3", "4"]]);
    }

    #[test]
    fn old_mac_line_breaks() {
        let table = read_table(b"a;b\r1;2\r\r3;4\r").unwrap();
        assert_eq!(cells(&table), [vec!["1", "2"], vec!["3", "4"]]);
        assert_eq!(lines(&table), [2, 4]);
    }

    #[test]
    fn blank_lines_before_header_keep_line_numbers() {
        let table = read_table(b"\n\n a ; b \n1;2\n").unwrap();
        assert_eq!(table.headers, ["a", "b"]);
        assert_eq!(lines(&table), [4]);
    }

    #[test]
    fn header_only_and_empty_files() {
        assert_eq!(read_table(b"").unwrap_err(), TableError::Empty);
        assert_eq!(read_table(b"\xEF\xBB\xBF \r\n;;;\r\n").unwrap_err(), TableError::Empty);
        let table = read_table(b"nome;comune\r\n").unwrap();
        assert_eq!(table.headers, ["nome", "comune"]);
        assert!(table.rows.is_empty());
        let single = read_table(b"comune\nMilano\n").unwrap();
        assert_eq!(single.headers, ["comune"]);
        assert_eq!(cells(&single), [vec!["Milano"]]);
    }

    #[test]
    fn refuses_binary_and_old_excel() {
        assert!(matches!(read_table(b"\x00\x01\x02abc"), Err(TableError::Unreadable(_))));
        assert!(matches!(
            read_table(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]),
            Err(TableError::Unreadable(_))
        ));
        assert!(matches!(read_table(b"PK\x03\x04garbage"), Err(TableError::Unreadable(_))));
    }

    #[test]
    fn refuses_too_large() {
        let big = vec![b'a'; MAX_BYTES + 1];
        assert_eq!(read_table(&big).unwrap_err(), TableError::TooLarge { limit: MAX_BYTES as u64 });
    }

    #[test]
    fn refuses_a_ten_million_character_line() {
        let mut one_cell = b"nome;comune\n".to_vec();
        one_cell.extend(std::iter::repeat_n(b'a', 10_000_000));
        one_cell.extend(b";Milano\n");
        assert_eq!(read_table(&one_cell).unwrap_err(), TableError::CellTooLong { line: 2, limit: MAX_CELL_CHARS });

        let mut fields = b"nome;comune\nA;Milano\n".to_vec();
        fields.extend(std::iter::repeat_n(b';', 10_000_000));
        assert_eq!(read_table(&fields).unwrap_err(), TableError::TooManyColumns { line: 3, limit: MAX_COLUMNS });
    }

    #[test]
    fn refuses_padding_past_the_cell_bound() {
        // 40 KB of text: a wide header, then rows of one cell each, padded to the header's width.
        let header = (0..MAX_COLUMNS).map(|i| format!("c{i}")).collect::<Vec<_>>().join(";");
        let text = format!("{header}\n{}", "x\n".repeat(MAX_CELLS / MAX_COLUMNS + 1));
        assert_eq!(read_table(text.as_bytes()).unwrap_err(), TableError::TooManyCells { limit: MAX_CELLS });
    }

    #[test]
    fn xlsx_workbook() {
        use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        let date = Format::new().set_num_format("dd/mm/yyyy");
        // The table starts on row 3, column B, as people leave room for a title.
        sheet.write(2, 1, " Denominazione ").unwrap();
        sheet.write(2, 2, "Codice ISTAT").unwrap();
        sheet.write(2, 3, "Quota").unwrap();
        sheet.write(2, 4, "Dal").unwrap();
        sheet.write(2, 5, "Attivo").unwrap();
        sheet.write(3, 1, "Comune di Milano").unwrap();
        sheet.write(3, 2, 15146).unwrap();
        sheet.write(3, 3, 0.25).unwrap();
        sheet.write_datetime_with_format(3, 4, ExcelDateTime::from_ymd(2024, 3, 1).unwrap(), &date).unwrap();
        sheet.write(3, 5, true).unwrap();
        sheet.write(5, 1, "Cantù").unwrap();
        sheet.write(5, 2, 13041.0).unwrap();
        sheet.write(5, 3, 1234567.5).unwrap();
        let bytes = workbook.save_to_buffer().unwrap();

        let table = read_table(&bytes).unwrap();
        assert_eq!(table.encoding, "xlsx");
        assert_eq!(table.delimiter, None);
        assert_eq!(table.format(), FileFormat::Xlsx);
        assert_eq!(table.headers, ["Denominazione", "Codice ISTAT", "Quota", "Dal", "Attivo"]);
        assert_eq!(
            cells(&table),
            [
                vec!["Comune di Milano", "15146", "0.25", "2024-03-01", "true"],
                vec!["Cantù", "13041", "1234567.5", "", ""]
            ]
        );
        assert_eq!(lines(&table), [4, 6]);
    }

    fn small_workbook() -> Vec<u8> {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.write(0, 0, "Denominazione").unwrap();
        sheet.write(0, 1, "Quota").unwrap();
        sheet.write(1, 0, "Comune di Cantù").unwrap();
        sheet.write(1, 1, 0.25).unwrap();
        workbook.save_to_buffer().unwrap()
    }

    fn csv_cell() -> impl Strategy<Value = String> {
        "[a-zA-Zàèù0-9 ,;\t\"\n]{0,12}"
    }

    fn quote(cell: &str) -> String {
        format!("\"{}\"", cell.replace('"', "\"\""))
    }

    proptest! {
        /// Any grid written the way Excel writes it (every field quoted, `;`, CRLF) reads back as
        /// the same trimmed cells.
        #[test]
        fn quoted_grid_round_trips(
            header in prop::collection::vec("[a-z]{1,8}", 2..5),
            rows in prop::collection::vec(prop::collection::vec(csv_cell(), 5), 0..6),
            delimiter in prop::sample::select(vec![b';', b',', b'\t']),
        ) {
            let width = header.len();
            let separator = char::from(delimiter).to_string();
            let mut text = header.iter().map(|h| quote(h)).collect::<Vec<_>>().join(&separator) + "\r\n";
            let rows: Vec<Vec<String>> = rows.into_iter().map(|r| r[..width].to_vec()).collect();
            for row in &rows {
                text += &(row.iter().map(|c| quote(c)).collect::<Vec<_>>().join(&separator) + "\r\n");
            }
            let table = read_table(text.as_bytes()).unwrap();
            prop_assert_eq!(&table.headers, &header);
            let expected: Vec<Vec<String>> = rows
                .iter()
                .map(|r| r.iter().map(|c| c.trim().to_owned()).collect::<Vec<_>>())
                .filter(|r| r.iter().any(|c| !c.is_empty()))
                .collect();
            let got: Vec<Vec<String>> = table.rows.iter().map(|r| r.cells.clone()).collect();
            prop_assert_eq!(got, expected);
            prop_assert_eq!(table.delimiter, Some(delimiter));
        }

        #[test]
        fn never_panics(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
            let _ = read_table(&bytes);
        }

        /// A damaged workbook is read or refused, never a panic, and what is read stays within
        /// the bounds.
        #[test]
        fn damaged_workbooks_are_bounded(damage in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
            let mut bytes = small_workbook();
            for (at, value) in damage {
                let at = at.index(bytes.len());
                bytes[at] = value;
            }
            if let Ok(table) = read_table(&bytes) {
                prop_assert!(table.headers.len() <= MAX_COLUMNS);
                prop_assert!(table.rows.len() <= MAX_ROWS);
                prop_assert!(table.rows.iter().all(|r| r.cells.len() <= MAX_COLUMNS));
            }
        }
    }
}
