//! The typst source of an edition: page setup, cover, title page, table of contents,
//! introduction with its charts and English summary, chapters with their practices, and the
//! index of networks and territories.
//!
//! Only this module and [`super::markdown`] write markup; every string of the edition goes
//! through [`text`] or [`string`], which make typst string literals of it.

use super::markdown::{Footnotes, markdown};
use crate::chart::{Chart, charts, svg};
use crate::cover::{BACKGROUND, INK, Line, generated_lines};
use crate::{Edition, Labels, PracticeDoc};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Page setup and styles. `edition-title` is defined before this is included.
const PREAMBLE: &str = r##"#set text(font: ("Noto Serif", "Noto Naskh Arabic", "Droid Sans Fallback"), size: 10.5pt, lang: "it", hyphenate: false)
#set par(justify: false, leading: 0.62em, spacing: 1.1em)
#show raw: set text(font: ("Noto Sans Mono", "Noto Naskh Arabic", "Droid Sans Fallback"), size: 0.9em)
#show raw.where(block: true): block.with(fill: luma(245), inset: 6pt, width: 100%)
#show link: underline
#set table(stroke: 0.5pt + luma(140), inset: 4pt)
#show table.cell.where(y: 0): set text(weight: "bold")
#set terms(separator: ": ", tight: true)
#set quote(block: true)
#show heading: set block(above: 1.4em, below: 0.8em)
#show heading.where(level: 1): it => { pagebreak(weak: true); v(1.5cm); text(size: 20pt, it) }
#show heading.where(level: 2): set text(size: 15pt)
#show heading.where(level: 3): set text(size: 12pt)
#show heading.where(level: 4): set text(size: 11pt)
#show outline.entry.where(level: 1): set block(above: 1.1em)
#set page(paper: "a4", margin: (x: 2.3cm, top: 2.8cm, bottom: 2.5cm), numbering: "1", header: context {
  let page = here().page()
  let chapters = query(heading.where(level: 1))
  if not chapters.any(h => h.location().page() == page) {
    let current = chapters.filter(h => h.location().page() < page)
    set text(size: 8pt, fill: luma(80))
    grid(columns: (1fr, 1fr), column-gutter: 1em,
      align(start, edition-title),
      align(end, if current.len() > 0 { current.last().body }))
  }
})
"##;

/// `value` as a typst string literal: `"…"` with `\` and `"` escaped and the characters a PDF
/// cannot show dropped.
pub(super) fn string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push(' '),
            c if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `value` as markup that prints it literally: an embedded string literal ended by `;`. Runs
/// longer than [`LONG_RUN`] characters with no place to break (and not a URL, which typst breaks
/// by itself) get zero-width spaces so that the line can break.
pub(super) fn text(value: &str) -> String {
    format!("#{};", string(&breakable(value)))
}

const LONG_RUN: usize = 40;
const PIECE: usize = 20;

fn breakable(value: &str) -> std::borrow::Cow<'_, str> {
    if !value.split_whitespace().any(|word| word.chars().count() > LONG_RUN && !word.contains("://")) {
        return value.into();
    }
    let mut out = String::with_capacity(value.len() + value.len() / PIECE * 3);
    let mut run = 0;
    let mut in_url = false;
    for (i, c) in value.char_indices() {
        if c.is_whitespace() {
            run = 0;
            in_url = false;
        } else {
            if run == 0 {
                in_url = value[i..].split_whitespace().next().is_some_and(|w| w.contains("://"));
            }
            run += 1;
            if !in_url && run > PIECE && run % PIECE == 1 {
                out.push('\u{200B}');
            }
        }
        out.push(c);
    }
    out.into()
}

fn label(chapter: usize, practice: usize) -> String {
    format!("c{}-p{}", chapter + 1, practice + 1)
}

/// The whole typst source of `edition`; `cover` names the uploaded cover image the world serves,
/// with its text alternative, if there is one to use.
pub(super) fn markup(edition: &Edition, cover: Option<(&str, &str)>) -> String {
    let mut out = String::with_capacity(4096 + edition.chapters.len() * 64 * 1024);
    let mut notes = Footnotes::default();
    let subtitle = edition.subtitle.as_deref().filter(|s| !s.trim().is_empty());
    let full_title = match subtitle {
        Some(subtitle) => format!("{}: {}", edition.title, subtitle),
        None => edition.title.clone(),
    };
    let date = edition.modified.to_offset(time::UtcOffset::UTC).date();
    let authors: Vec<String> = edition.editors.iter().map(|e| string(e)).collect();
    let _ = writeln!(
        out,
        "#let edition-title = {}\n#set document(title: {}, author: ({}), date: datetime(year: {}, month: {}, day: {}))",
        string(&edition.title),
        string(&full_title),
        authors.iter().map(|a| format!("{a},")).collect::<String>(),
        date.year(),
        u8::from(date.month()),
        date.day(),
    );
    out.push_str(PREAMBLE);
    let labels = &edition.labels;
    match cover {
        Some((file, alt)) => uploaded_cover(&mut out, file, alt),
        None => generated_cover(&mut out, edition),
    }
    title_page(&mut out, edition, subtitle);
    let _ = writeln!(out, "#outline(title: [{}], depth: 2)\n", text(labels.get("ebook-contents")));
    let _ = writeln!(out, "#heading(level: 1)[{}]\n", text(labels.get("ebook-introduction")));
    out.push_str(&markdown(&edition.introduction_markdown, 2, &mut notes));
    for chart in charts(edition) {
        figure(&mut out, &chart);
    }
    if !edition.english_summary_markdown.trim().is_empty() {
        // The one passage in English, marked as such (the tagged PDF carries the language).
        let _ = writeln!(
            out,
            "#[\n#set text(lang: \"en\")\n#heading(level: 2)[{}]\n\n{}]\n",
            text(labels.get("ebook-english-summary")),
            markdown(&edition.english_summary_markdown, 3, &mut notes)
        );
    }
    for (i, chapter) in edition.chapters.iter().enumerate() {
        let _ = writeln!(out, "\n#heading(level: 1)[{}]\n", text(&chapter.title));
        out.push_str(&markdown(&chapter.introduction_markdown, 2, &mut notes));
        for (j, practice) in chapter.practices.iter().enumerate() {
            practice_section(&mut out, practice, &label(i, j), labels, &mut notes);
        }
    }
    index(&mut out, edition);
    out
}

/// The uploaded cover as the first page, edge to edge, with its text alternative.
fn uploaded_cover(out: &mut String, file: &str, alt: &str) {
    let _ = writeln!(
        out,
        "#page(margin: 0pt, header: none, numbering: none)[#image({}, width: 100%, height: 100%, fit: \"contain\", alt: {})]",
        string(file),
        string(alt)
    );
}

/// The generated cover as the first page: the design of the EPUB's SVG cover, as text.
fn generated_cover(out: &mut String, edition: &Edition) {
    let _ = writeln!(
        out,
        "#page(fill: rgb(\"{BACKGROUND}\"), header: none, numbering: none)[\n#set align(center)\n#set text(fill: rgb(\"{INK}\"))\n#v(18%)"
    );
    for (line, words) in generated_lines(edition) {
        let style = match line {
            Line::Title => "size: 28pt, weight: \"bold\"",
            Line::Subtitle => "size: 17pt",
            Line::Editors => "size: 13pt",
            Line::Year => "size: 15pt, weight: \"bold\"",
        };
        if line == Line::Year {
            out.push_str("#v(1fr)\n");
        }
        let _ = writeln!(out, "#text({style})[{}]\n", text(&words));
    }
    out.push_str("#v(6%)\n]\n");
}

/// A chart as a figure (the SVG, its description as the alt text) and its figures as a table.
fn figure(out: &mut String, chart: &Chart) {
    let _ = writeln!(
        out,
        "#figure(image(bytes({}), format: \"svg\", width: 100%, alt: {}), caption: [{}])\n",
        string(&svg(chart)),
        string(&chart.long_description()),
        text(&chart.title)
    );
    let _ = write!(
        out,
        "#figure(kind: table, caption: [{}], table(columns: (auto, auto), table.header([{}], [{}]),",
        text(&chart.data_caption),
        text(&chart.category),
        text(&chart.value_heading)
    );
    for (name, count) in &chart.bars {
        let _ = write!(out, "[{}], [{}],", text(name), text(&count.to_string()));
    }
    out.push_str("))\n\n");
}

fn title_page(out: &mut String, edition: &Edition, subtitle: Option<&str>) {
    let labels = &edition.labels;
    out.push_str("#page(header: none, numbering: none)[\n#set align(center)\n#v(22%)\n");
    let _ = writeln!(out, "#text(size: 26pt, weight: \"bold\")[{}]\n", text(&edition.title));
    if let Some(subtitle) = subtitle {
        let _ = writeln!(out, "#text(size: 15pt)[{}]\n", text(subtitle));
    }
    out.push_str("#v(2em)\n");
    if !edition.editors.is_empty() {
        let names: Vec<String> = edition.editors.iter().map(|e| text(e)).collect();
        let _ = writeln!(out, "{} {}\n", text(labels.get("ebook-edited-by")), names.join(", "));
    }
    let _ = writeln!(out, "{}\n", text(&edition.year.to_string()));
    let _ = writeln!(
        out,
        "#v(1fr)\n#set text(size: 9pt)\n{}: {}\n\n\
{}: Noto Serif, Noto Sans Mono, Noto Naskh Arabic (SIL Open Font License 1.1); Droid Sans Fallback (Apache License 2.0).\n]\n",
        text(labels.get("ebook-licence")),
        text(&edition.licence),
        text(labels.get("ebook-fonts")),
    );
}

fn practice_section(out: &mut String, practice: &PracticeDoc, label: &str, labels: &Labels, notes: &mut Footnotes) {
    let _ = writeln!(out, "\n#heading(level: 2)[{}]<{label}>\n", text(&practice.title));
    let mut facts: Vec<(&str, String)> = Vec::new();
    if let Some(network) = &practice.network {
        facts.push(("practice-field-network", text(network)));
    }
    if !practice.territories.is_empty() {
        facts.push(("ebook-territory", practice.territories.iter().map(|t| text(t)).collect::<Vec<_>>().join(", ")));
    }
    if let Some(line) = practice.action_line {
        facts.push(("practice-field-action-line", text(&line.to_string())));
    }
    if !practice.theme.trim().is_empty() {
        facts.push(("practice-field-theme", text(&practice.theme)));
    }
    if let Some(year) = practice.year {
        facts.push(("practice-field-year", text(&year.to_string())));
    }
    if !facts.is_empty() {
        out.push_str("#terms(");
        for (term, value) in facts {
            let _ = write!(out, "terms.item[{}][{value}],", text(labels.get(term)));
        }
        out.push_str(")\n\n");
    }
    for (field, body) in practice.texts.fields() {
        // Optional sections left empty are not printed, as in the EPUB.
        if body.trim().is_empty() {
            continue;
        }
        let _ = writeln!(out, "#heading(level: 3, outlined: false)[{}]\n", text(labels.section(field)));
        out.push_str(&markdown(body, 4, notes));
    }
}

/// Networks and territories in Italian alphabetical order (case and accents folded), each with
/// links to its practices and their pages.
fn index(out: &mut String, edition: &Edition) {
    type Entries<'a> = BTreeMap<String, (&'a str, Vec<(String, &'a str)>)>;
    let mut networks: Entries = BTreeMap::new();
    let mut territories: Entries = BTreeMap::new();
    for (i, chapter) in edition.chapters.iter().enumerate() {
        for (j, practice) in chapter.practices.iter().enumerate() {
            let link = (label(i, j), practice.title.as_str());
            if let Some(network) = &practice.network {
                let entry =
                    networks.entry(reti_domain::text::fold(network)).or_insert_with(|| (network.as_str(), Vec::new()));
                entry.1.push(link.clone());
            }
            for territory in &practice.territories {
                let entry = territories
                    .entry(reti_domain::text::fold(territory))
                    .or_insert_with(|| (territory.as_str(), Vec::new()));
                if !entry.1.contains(&link) {
                    entry.1.push(link.clone());
                }
            }
        }
    }
    let labels = &edition.labels;
    let _ = writeln!(out, "\n#heading(level: 1)[{}]\n", text(labels.get("ebook-index")));
    let page = text(labels.get("ebook-page"));
    for (heading, entries) in
        [(labels.get("ebook-index-networks"), &networks), (labels.get("ebook-index-territories"), &territories)]
    {
        let _ = writeln!(out, "#heading(level: 2)[{}]\n", text(heading));
        if entries.is_empty() {
            let _ = writeln!(out, "{}\n", text(labels.get("ebook-index-empty")));
            continue;
        }
        for (name, links) in entries.values() {
            let _ = write!(out, "#strong[{}]: ", text(name));
            let links: Vec<String> = links
                .iter()
                .map(|(label, title)| {
                    format!("#link(<{label}>)[{}] ({page}~#(context locate(<{label}>).page()))", text(title))
                })
                .collect();
            out.push_str(&links.join("; "));
            out.push_str("\n\n");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_become_literals() {
        assert_eq!(string("a\"b\\c\nd\u{1}"), r#""a\"b\\c\nd""#);
        assert_eq!(text("#x"), "#\"#x\";");
    }

    #[test]
    fn long_runs_can_break_and_urls_are_left_to_typst() {
        let long = "a".repeat(45);
        let broken = breakable(&long);
        assert_eq!(broken.matches('\u{200B}').count(), 2, "{broken}");
        assert_eq!(broken.replace('\u{200B}', ""), long);
        let url = format!("https://example.org/{}", "b".repeat(60));
        assert_eq!(breakable(&url), url);
        assert_eq!(breakable("parole brevi"), "parole brevi");
    }
}
