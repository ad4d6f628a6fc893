//! The typst source of a funder report (decision 0045): the e-book's fonts, page and table
//! styles; a title page; the contents; then each section with its paragraphs, tables and bar
//! charts. Every string reaches the markup through [`text`] or [`string`], as in the e-book.

use super::document::{string, text};
use crate::{Report, ReportBlock, ReportChart, ReportTable};
use std::fmt::Write;

/// Page setup and styles, as the e-book's; `report-title` and the text's language are set before
/// this is included.
const PREAMBLE: &str = r##"#set text(font: ("Noto Serif", "Noto Naskh Arabic", "Droid Sans Fallback"), size: 10.5pt, hyphenate: false)
#set par(justify: false, leading: 0.62em, spacing: 1.1em)
#set table(stroke: 0.5pt + luma(140), inset: 4pt)
#show table.cell.where(y: 0): set text(weight: "bold")
#show heading: set block(above: 1.4em, below: 0.8em)
#show heading.where(level: 1): it => { pagebreak(weak: true); v(1cm); text(size: 20pt, it) }
#show heading.where(level: 2): set text(size: 14pt)
#show outline.entry.where(level: 1): set block(above: 1.1em)
#set page(paper: "a4", margin: (x: 2.3cm, top: 2.8cm, bottom: 2.5cm), numbering: "1", header: context {
  set text(size: 8pt, fill: luma(80))
  align(end, report-title)
})
"##;

/// The share of a chart's width the longest bar takes: the rest leaves room for its figure.
const BAR_SPAN: f64 = 80.0;

/// The whole typst source of `report`.
pub(super) fn markup(report: &Report) -> String {
    let mut out = String::with_capacity(8192 + report.sections.len() * 16 * 1024);
    let date = report.modified.to_offset(time::UtcOffset::UTC).date();
    let full_title = format!("{} — {} — {}", report.title, report.programme, report.period);
    let _ = writeln!(
        out,
        "#let report-title = {}\n#set document(title: {}, date: datetime(year: {}, month: {}, day: {}))",
        string(&format!("{} — {}", report.title, report.programme)),
        string(&full_title),
        date.year(),
        u8::from(date.month()),
        date.day(),
    );
    let _ = writeln!(out, "#set text(lang: {})", string(report.language.code()));
    out.push_str(PREAMBLE);
    out.push_str("#page(header: none, numbering: none)[\n#set align(center)\n#v(22%)\n");
    let _ = writeln!(out, "#text(size: 26pt, weight: \"bold\")[{}]\n", text(&report.title));
    let _ = writeln!(out, "#text(size: 17pt)[{}]\n", text(&report.programme));
    let _ = writeln!(out, "#text(size: 14pt)[{}]\n", text(&report.period));
    out.push_str("#v(1fr)\n#set text(size: 9pt)\n");
    for note in &report.notes {
        let _ = writeln!(out, "{}\n", text(note));
    }
    let _ = writeln!(out, "{}\n]\n", text(&report.fonts));
    let _ = writeln!(out, "#outline(title: [{}], depth: 2)\n", text(&report.contents));
    for section in &report.sections {
        let _ = writeln!(out, "\n#heading(level: 1)[{}]\n", text(&section.heading));
        for block in &section.blocks {
            match block {
                ReportBlock::Paragraph(body) => {
                    let _ = writeln!(out, "{}\n", text(body));
                }
                ReportBlock::Subheading(heading) => {
                    let _ = writeln!(out, "#heading(level: 2)[{}]\n", text(heading));
                }
                ReportBlock::Table(table) => write_table(&mut out, table),
                ReportBlock::Chart(chart) => write_chart(&mut out, chart),
            }
        }
    }
    out
}

fn write_table(out: &mut String, table: &ReportTable) {
    let columns = table.headers.len().max(1);
    let _ = writeln!(out, "#block(sticky: true)[#strong[{}]]", text(&table.caption));
    let widths = std::iter::once("1fr").chain(std::iter::repeat_n("auto", columns - 1)).collect::<Vec<_>>().join(", ");
    let aligns = std::iter::once("start").chain(std::iter::repeat_n("end", columns - 1)).collect::<Vec<_>>().join(", ");
    let _ = write!(out, "#table(columns: ({widths},), align: ({aligns},), table.header(");
    for header in &table.headers {
        let _ = write!(out, "[{}],", text(header));
    }
    out.push_str("),\n");
    let empty = String::new();
    for row in &table.rows {
        for cell in row.iter().chain(std::iter::repeat(&empty)).take(columns) {
            let _ = write!(out, "[{}],", text(cell));
        }
        out.push('\n');
    }
    out.push_str(")\n\n");
}

fn write_chart(out: &mut String, chart: &ReportChart) {
    let max = chart.bars.iter().flat_map(|b| [b.value, b.target.unwrap_or(0.0)]).fold(0.0_f64, f64::max).max(1e-9);
    let span = |v: f64| (v.max(0.0) / max * BAR_SPAN).min(BAR_SPAN);
    let _ = writeln!(out, "#block(sticky: true)[#strong[{}]]", text(&chart.title));
    out.push_str("#block(breakable: false, grid(columns: (32%, 1fr), column-gutter: 8pt, row-gutter: 5pt, align: (end + horizon, start + horizon),\n");
    for bar in &chart.bars {
        let width = span(bar.value);
        let _ = write!(
            out,
            "[{}], box(width: 100%, height: 11pt)[#place(start + horizon, rect(width: {width:.2}%, height: 9pt, fill: rgb(\"#1f5f99\")))",
            text(&bar.label)
        );
        if let Some(target) = bar.target {
            let _ = write!(
                out,
                "#place(start + horizon, dx: {:.2}%, line(length: 13pt, angle: 90deg, stroke: 1.5pt + rgb(\"#b00020\")))",
                span(target)
            );
        }
        let _ =
            writeln!(out, "#place(start + horizon, dx: {width:.2}% + 4pt, text(size: 8.5pt)[{}])],", text(&bar.shown));
    }
    out.push_str("))\n");
    if chart.bars.iter().any(|b| b.target.is_some()) {
        let _ = writeln!(
            out,
            "#text(size: 8.5pt, fill: rgb(\"#b00020\"))[|] #text(size: 8.5pt)[{}]\n",
            text(&chart.target_legend)
        );
    }
    let _ = writeln!(out, "#text(size: 9pt, style: \"italic\")[{}]\n", text(&chart.description));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ReportBar, ReportSection};

    #[test]
    fn bars_are_scaled_to_the_largest_value_or_target() {
        let chart = ReportChart {
            title: "Ore".into(),
            description: "Due barre".into(),
            target_legend: "Obiettivo".into(),
            bars: vec![
                ReportBar { label: "A".into(), value: 2.0, shown: "2".into(), target: Some(4.0) },
                ReportBar { label: "B".into(), value: -1.0, shown: "-1".into(), target: None },
            ],
        };
        let mut out = String::new();
        write_chart(&mut out, &chart);
        assert!(out.contains("rect(width: 40.00%") && out.contains("dx: 80.00%"), "{out}");
        assert!(out.contains("rect(width: 0.00%"), "a negative value draws no bar: {out}");
    }

    #[test]
    fn every_string_is_a_literal() {
        let report = Report {
            identifier: uuid::Uuid::nil(),
            modified: time::OffsetDateTime::UNIX_EPOCH,
            title: "#panic()".into(),
            programme: "P".into(),
            period: "2026".into(),
            notes: vec![],
            fonts: "Caratteri".into(),
            language: reti_domain::Locale::En,
            contents: "Indice".into(),
            sections: vec![ReportSection {
                heading: "]".into(),
                blocks: vec![ReportBlock::Table(ReportTable {
                    caption: "$x$".into(),
                    headers: vec!["a".into(), "b".into()],
                    rows: vec![vec!["\"".into()]],
                })],
            }],
        };
        let source = markup(&report);
        assert!(source.contains("#set text(lang: \"en\")"), "the document is in the report's language: {source}");
        assert!(!source.contains("lang: \"it\""), "{source}");
        assert!(source.contains(r##"#"#panic()";"##) && source.contains(r#"[#"\"";],[#"";],"#), "{source}");
    }
}
