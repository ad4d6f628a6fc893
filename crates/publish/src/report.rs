//! A report as the PDF prints it (decision 0045): the funder report of a programme over a period.
//! The caller writes every word (headings, captions, the narrative, the typefaces' line, the figures
//! already formatted for the reader) in the report's language; this crate only typesets, as it does
//! for the e-book, and marks the document as written in that language.

/// A whole report: its title page, then its sections in order.
#[derive(Debug, Clone)]
pub struct Report {
    /// The PDF's stable identifier.
    pub identifier: uuid::Uuid,
    /// When it was built: the document's date.
    pub modified: time::OffsetDateTime,
    /// For example "Rapporto per il finanziatore".
    pub title: String,
    /// The programme's name.
    pub programme: String,
    /// The period as the title page says it, for example "Periodo: 2026".
    pub period: String,
    /// Lines under the period on the title page (when and by what it was built).
    pub notes: Vec<String>,
    /// The line naming the embedded typefaces and their licences, under the notes.
    pub fonts: String,
    /// The language every word is written in: the PDF's language (tagged text, hyphenation,
    /// quotes).
    pub language: reti_domain::Locale,
    /// The heading of the table of contents.
    pub contents: String,
    pub sections: Vec<ReportSection>,
}

/// A level-1 section; its blocks print in order.
#[derive(Debug, Clone)]
pub struct ReportSection {
    pub heading: String,
    pub blocks: Vec<ReportBlock>,
}

#[derive(Debug, Clone)]
pub enum ReportBlock {
    Paragraph(String),
    /// A level-2 heading inside the section (listed in the contents and the bookmarks).
    Subheading(String),
    Table(ReportTable),
    Chart(ReportChart),
}

/// A table with a header row repeated on each page; columns after the first are figures,
/// aligned right.
#[derive(Debug, Clone)]
pub struct ReportTable {
    pub caption: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A horizontal bar chart, drawn by typst: each bar's label and figure are text of the PDF, and
/// the description says in words what the bars show.
#[derive(Debug, Clone)]
pub struct ReportChart {
    pub title: String,
    pub description: String,
    /// The legend of the target mark, printed under the chart when a bar has a target.
    pub target_legend: String,
    pub bars: Vec<ReportBar>,
}

#[derive(Debug, Clone)]
pub struct ReportBar {
    pub label: String,
    pub value: f64,
    /// The value as printed beside the bar.
    pub shown: String,
    pub target: Option<f64>,
}
