//! The edge list `reti graph metrics` reads: a CSV file with the header `source,target` and one
//! undirected edge per line, ids being any text. All of it is checked before anything is computed:
//! every bad line is an error naming its line, and one refuses the file; repeated edges and
//! self-loops are ignored and listed.

use crate::table::MAX_ROWS;
use reti_graph::{EdgeOutcome, Graph, GraphBuilder, SkipReason};

/// A graph read from an edge list, with the edges it ignored.
#[derive(Debug)]
pub struct EdgeList {
    pub graph: Graph,
    pub skipped: Vec<SkippedLine>,
}

/// An edge ignored, on its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedLine {
    pub line: u64,
    pub source: String,
    pub target: String,
    pub reason: SkipReason,
}

/// What is wrong with one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineProblem {
    /// The CSV reader could not read it (`reason` in words: "UTF-8" or the reader's message).
    Unreadable { reason: String },
    /// It has `count` cells, not two.
    Columns { count: usize },
    /// The id of `column` ("source" or "target") is empty.
    EmptyId { column: &'static str },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// 1-based line of the file.
    pub line: u64,
    pub problem: LineProblem,
}

/// Why an edge list is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EdgeListError {
    /// Not even a header.
    Empty,
    /// The header cannot be read.
    Unreadable {
        reason: String,
    },
    /// The header is not `source,target`; `found` is what it is.
    Header {
        found: String,
    },
    TooManyRows {
        limit: usize,
    },
    /// A header and no edge.
    NoEdges,
    /// Bad lines, every one of them, in file order.
    Lines(Vec<LineError>),
}

/// Reads an edge list (a UTF-8 BOM is allowed).
pub fn read(bytes: &[u8]) -> Result<EdgeList, EdgeListError> {
    let body = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(body);
    let mut record = csv::StringRecord::new();
    match reader.read_record(&mut record) {
        Ok(false) => return Err(EdgeListError::Empty),
        Err(error) => return Err(EdgeListError::Unreadable { reason: reason(&error) }),
        Ok(true) if record.len() == 2 && record[0].trim() == "source" && record[1].trim() == "target" => {}
        Ok(true) => return Err(EdgeListError::Header { found: record.iter().collect::<Vec<_>>().join(",") }),
    }
    let mut builder = GraphBuilder::new();
    let mut errors = Vec::new();
    let mut skipped = Vec::new();
    let mut rows = 0usize;
    let mut lines = LineCounter { body, counted_to: 0, line: 1 };
    loop {
        let next = reader.position().byte();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Err(error) => {
                let line = lines.line_at(error.position().map_or(next, csv::Position::byte));
                errors.push(LineError { line, problem: LineProblem::Unreadable { reason: reason(&error) } });
                continue;
            }
            Ok(true) => {}
        }
        rows += 1;
        if rows > MAX_ROWS {
            return Err(EdgeListError::TooManyRows { limit: MAX_ROWS });
        }
        let line = lines.line_at(record.position().map_or(next, csv::Position::byte));
        if record.len() != 2 {
            errors.push(LineError { line, problem: LineProblem::Columns { count: record.len() } });
            continue;
        }
        let (source, target) = (record[0].trim(), record[1].trim());
        if let Some(column) = [("source", source), ("target", target)].iter().find(|(_, id)| id.is_empty()) {
            errors.push(LineError { line, problem: LineProblem::EmptyId { column: column.0 } });
            continue;
        }
        if let EdgeOutcome::Skipped(reason) = builder.add_edge(source, target) {
            skipped.push(SkippedLine { line, source: source.to_owned(), target: target.to_owned(), reason });
        }
    }
    if !errors.is_empty() {
        return Err(EdgeListError::Lines(errors));
    }
    if rows == 0 {
        return Err(EdgeListError::NoEdges);
    }
    Ok(EdgeList { graph: builder.build(), skipped })
}

/// The line a record starts on, as an editor numbers it: CRLF, LF and a bare CR each end a line.
/// The CSV reader's own count is not that: it counts only LF, and places a record after a CRLF at
/// its LF (both found by the fuzz target `edge_list`: lines of a Windows file were named one too
/// early, and after a bare CR the header's own line number was given to the next record).
struct LineCounter<'a> {
    body: &'a [u8],
    /// Line ends before this byte are counted in `line`.
    counted_to: usize,
    line: u64,
}

impl LineCounter<'_> {
    /// Records come in file order, so each call counts only the bytes since the last one.
    fn line_at(&mut self, byte: u64) -> u64 {
        let mut start = usize::try_from(byte).unwrap_or(usize::MAX).min(self.body.len());
        // A record's content never begins with a line end: those are the ends of lines before it.
        while matches!(self.body.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        if start > self.counted_to {
            let ends = (self.counted_to..start)
                .filter(|&at| match self.body[at] {
                    b'\n' => true,
                    b'\r' => self.body.get(at + 1) != Some(&b'\n'),
                    _ => false,
                })
                .count();
            self.line += ends as u64;
            self.counted_to = start;
        }
        self.line
    }
}

/// What the CSV reader could not read, in words.
fn reason(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::Utf8 { .. } => "UTF-8".to_owned(),
        _ => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edges_are_read_and_repeats_and_loops_listed() {
        let list = read("\u{feff}source,target\na,b\n\"Città, «Nord»\", b \nb,a\nc,c\n".as_bytes()).unwrap();
        assert_eq!((list.graph.node_count(), list.graph.edge_count()), (4, 2), "c keeps its node, not its loop");
        assert!(list.graph.index_of("Città, «Nord»").is_some());
        let skipped: Vec<_> = list.skipped.iter().map(|s| (s.line, s.reason)).collect();
        assert_eq!(skipped, [(4, SkipReason::Duplicate), (5, SkipReason::SelfLoop)]);
    }

    #[test]
    fn every_bad_line_is_named() {
        let errors = match read(b"source,target\na,b,c\n,b\na\xff,b\na,\n") {
            Err(EdgeListError::Lines(errors)) => errors,
            other => panic!("{other:?}"),
        };
        let lines: Vec<_> = errors.iter().map(|e| (e.line, e.problem.clone())).collect();
        assert_eq!(
            lines,
            [
                (2, LineProblem::Columns { count: 3 }),
                (3, LineProblem::EmptyId { column: "source" }),
                (4, LineProblem::Unreadable { reason: "UTF-8".into() }),
                (5, LineProblem::EmptyId { column: "target" }),
            ]
        );
    }

    #[test]
    fn lines_of_a_windows_file_are_counted_right() {
        let errors = match read(b"\xef\xbb\xbfsource , target\r\na,b,c\r\n,b\r\na\xff,b\r\nx,\r\n") {
            Err(EdgeListError::Lines(errors)) => errors,
            other => panic!("{other:?}"),
        };
        assert_eq!(errors.iter().map(|e| e.line).collect::<Vec<_>>(), [2, 3, 4, 5]);
        let list = read(b"source,target\r\na,b\r\nb,a\r\n").unwrap();
        assert_eq!(list.skipped.iter().map(|s| s.line).collect::<Vec<_>>(), [3]);
    }

    #[test]
    fn a_bare_cr_ends_a_line_and_blank_lines_count() {
        let errors = match read(b"\xef\xbb\xbfsource , target\r\0\0") {
            Err(EdgeListError::Lines(errors)) => errors,
            other => panic!("{other:?}"),
        };
        assert_eq!(errors.iter().map(|e| e.line).collect::<Vec<_>>(), [2]);
        let errors = match read(b"source,target\r\ra,b\n\n\r\nb,\r\"x\ny\",\n") {
            Err(EdgeListError::Lines(errors)) => errors,
            other => panic!("{other:?}"),
        };
        assert_eq!(errors.iter().map(|e| e.line).collect::<Vec<_>>(), [6, 7]);
    }

    #[test]
    fn a_file_without_header_or_edges_is_refused() {
        assert_eq!(read(b"").unwrap_err(), EdgeListError::Empty);
        assert_eq!(read(b"from,to\na,b\n").unwrap_err(), EdgeListError::Header { found: "from,to".into() });
        assert_eq!(read(b"source,target\n").unwrap_err(), EdgeListError::NoEdges);
    }
}
