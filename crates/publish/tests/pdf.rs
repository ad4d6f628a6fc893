//! The PDF read back by poppler's tools (Debian's `poppler-utils`): `pdftotext` recovers the
//! practices' text exactly, `pdfinfo` sees a tagged PDF, `pdftohtml -xml` sees the bookmarks.
//! Skipped (said aloud) when the tools are missing, except under CI where they must be there.

mod common;

use common::{TYPST_HOSTILE, awkward, labels, normal, synthetic};
use reti_publish::{
    CoverImage, Edition, Report, ReportBar, ReportBlock, ReportChart, ReportSection, ReportTable, write_pdf,
    write_report_pdf,
};
use std::process::Command;

/// Runs a poppler tool on `pdf` (written to a temporary file, which stands for the argument
/// `PDF`) and returns its standard output; `None` when poppler-utils is not installed.
fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> Option<String> {
    if Command::new(tool).arg("-v").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "{tool} is not installed: under CI it must be");
        eprintln!("SKIPPED: {tool} is not installed (apt-get install poppler-utils)");
        return None;
    }
    let dir = tempdir(tool);
    let path = dir.join("edition.pdf");
    std::fs::write(&path, pdf).unwrap();
    let args = args.iter().map(|a| if *a == "PDF" { path.as_os_str() } else { std::ffi::OsStr::new(a) });
    let output = Command::new(tool).args(args).output().unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert!(output.status.success(), "{tool}: {}", String::from_utf8_lossy(&output.stderr));
    Some(String::from_utf8(output.stdout).unwrap())
}

fn tempdir(tool: &str) -> std::path::PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("reti-pdf-{}-{tool}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The text of `pdf` with every run of white space made one space (lines and columns are
/// layout, not text).
fn text(pdf: &[u8]) -> Option<String> {
    let raw = poppler("pdftotext", &["-enc", "UTF-8", "PDF", "-"], pdf)?;
    Some(raw.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn assert_contains(text: &str, expected: &str) {
    let expected = expected.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains(&expected), "{expected:?} is not in the PDF's text:\n{text}");
}

fn titles(edition: &Edition) -> Vec<&str> {
    edition.chapters.iter().flat_map(|c| c.practices.iter().map(|p| p.title.as_str())).collect()
}

#[test]
fn the_text_of_an_awkward_edition_extracts_exactly() {
    let edition = awkward();
    let pdf = write_pdf(&edition).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let Some(text) = text(&pdf) else { return };
    for title in titles(&edition).into_iter().filter(|t| !t.contains('\u{0645}')) {
        // Emoji have no glyph in the embedded fonts: the text around them must still be there.
        assert_contains(&text, title.trim_end_matches(" 🌏"));
    }
    for expected in [
        TYPST_HOSTILE,
        "#pagebreak() #{panic()} $ a^2 $ = Titolo",
        "<c1-p1> @c1-p1",
        "Rete #1 [prova]",
        "Forlì-Cesena",
        "L'efficacia dell'affidamento e la fiducia",
        "l’accoglienza è più forte perché c’è “qualità”.",
        "Centro d'accoglienza",
        "più annidato",
        "Testo con nota",
        "Prima nota con enfasi.",
        "<script>alert(1)</script>",
        "codice <xml> & \"citato\"",
        "Comune 200",
        "riga & <nota> \"17\"",
        "中文学习小组",
        "华人社区网络 & <amici>",
        "只有背景。",
        "Pratica senza testo \"vuota\" <b>",
        "Capitolo <uno> & \"due\"",
        "Indice delle reti e dei territori",
        "CC BY 4.0",
        "A cura di Giulia Rossi",
    ] {
        assert_contains(&text, expected);
    }
    // Arabic is shaped right to left; pdftotext gives it back in logical order.
    for arabic in ["شبكة الأمل", "الرباط", "مركز الاستقبال"] {
        assert_contains(&text, arabic);
    }
}

#[test]
fn the_pdf_has_a_contents_page_bookmarks_running_headers_and_tags() {
    let edition = normal();
    let pdf = write_pdf(&edition).unwrap();
    let Some(info) = poppler("pdfinfo", &["-enc", "UTF-8", "PDF"], &pdf) else { return };
    assert!(info.lines().any(|l| l.starts_with("Tagged:") && l.ends_with("yes")), "{info}");
    let field = |name: &str| info.lines().find_map(|l| l.strip_prefix(name)).map(str::trim).unwrap_or_default();
    assert_eq!(field("Title:"), "Buone pratiche 2026: Reti per l'integrazione", "{info}");
    assert_eq!(field("Author:"), "Giulia Rossi, فاطمة الزهراء", "{info}");
    let Some(xml) = poppler("pdftohtml", &["-xml", "-i", "-stdout", "-q", "PDF"], &pdf) else { return };
    let outline = &xml[xml.find("<outline>").expect("the PDF has bookmarks")..];
    for title in
        ["Introduzione", "Linea 1 — Accoglienza", "Sportello di orientamento 1", "Indice delle reti e dei territori"]
    {
        assert!(outline.contains(&format!(">{title}</item>")), "{title} is not a bookmark:\n{outline}");
    }
    // The generated cover, then the title page, then the contents: every practice with the
    // number of its page.
    let cover = poppler("pdftotext", &["-f", "1", "-l", "1", "PDF", "-"], &pdf).unwrap();
    assert_contains(
        &cover.split_whitespace().collect::<Vec<_>>().join(" "),
        "Buone pratiche 2026 Reti per l'integrazione",
    );
    let contents = poppler("pdftotext", &["-f", "3", "-l", "3", "-layout", "PDF", "-"], &pdf).unwrap();
    for n in 1..=5 {
        let line = contents
            .lines()
            .find(|l| l.contains(&format!("Sportello di orientamento {n}")))
            .unwrap_or_else(|| panic!("practice {n} is not in the contents:\n{contents}"));
        assert!(line.trim_end().ends_with(|c: char| c.is_ascii_digit()), "no page number: {line}");
    }
    // The chapter's first page has no running header; the next one has the edition's title and
    // the chapter's, and every page its number at the foot.
    let pages: usize = info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap();
    let page =
        |p: usize| poppler("pdftotext", &["-f", &p.to_string(), "-l", &p.to_string(), "PDF", "-"], &pdf).unwrap();
    let lines = |text: &str| -> Vec<String> {
        text.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect()
    };
    let opening = (3..=pages).find(|&p| page(p).contains("Pratiche di accoglienza.")).expect("chapter 1 is printed");
    let first = lines(&page(opening));
    assert!(!first[0].contains("Buone pratiche 2026"), "{first:?}");
    assert_eq!(first.last().unwrap(), &opening.to_string(), "{first:?}");
    let next = lines(&page(opening + 1));
    let header = format!("{} {}", next[0], next[1]);
    assert!(header.contains("Buone pratiche 2026") && header.contains("Linea 1 — Accoglienza"), "{next:?}");
    assert_eq!(next.last().unwrap(), &(opening + 1).to_string(), "{next:?}");
}

fn many_practices(count: usize) {
    let edition = synthetic(count);
    let pdf = write_pdf(&edition).unwrap();
    let Some(info) = poppler("pdfinfo", &["-enc", "UTF-8", "PDF"], &pdf) else { return };
    let pages: usize = info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap();
    assert!(pages > count, "{pages} pages");
    let Some(text) = text(&pdf) else { return };
    for title in titles(&edition) {
        assert_contains(&text, title);
    }
    assert_contains(&text, "con un'attenzione particolare alle famiglie più fragili e all'efficacia degli interventi.");
}

#[test]
fn fifty_practices_make_a_pdf() {
    many_practices(50);
}

/// Ten minutes in an unoptimised build on a loaded two-core machine: run on demand
/// (`cargo test -p reti-publish --test pdf -- --ignored`) and timed by `scripts/bench-ebook`.
#[test]
#[ignore = "slow without optimisations; scripts/bench-ebook times it"]
fn five_hundred_practices_make_a_pdf() {
    many_practices(500);
}

#[test]
fn an_uploaded_cover_is_the_first_page_and_the_words_are_the_callers() {
    let picture = image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(40, 60, image::Rgb([200, 80, 20])));
    let mut png = std::io::Cursor::new(Vec::new());
    picture.write_to(&mut png, image::ImageFormat::Png).unwrap();
    let mut edition = normal();
    edition.cover = Some(CoverImage { mime: "image/png".into(), bytes: png.into_inner(), alt: "Fili".into() });
    edition.labels = labels("en");
    let pdf = write_pdf(&edition).unwrap();
    let Some(images) = poppler("pdfimages", &["-list", "PDF"], &pdf) else { return };
    let first = images.lines().nth(2).unwrap_or_default();
    assert_eq!(first.split_whitespace().next(), Some("1"), "the cover is on page 1:\n{images}");
    let cover = poppler("pdftotext", &["-f", "1", "-l", "1", "PDF", "-"], &pdf).unwrap();
    assert!(cover.trim().is_empty(), "the uploaded cover is the image alone: {cover:?}");
    let Some(text) = text(&pdf) else { return };
    for expected in ["Contents", "Introduction", "Context", "Network: Rete 2", "Index of networks and territories"] {
        assert_contains(&text, expected);
    }
}

#[test]
fn the_charts_data_and_the_english_summary_are_text() {
    let pdf = write_pdf(&normal()).unwrap();
    let Some(text) = text(&pdf) else { return };
    for expected in [
        "Figura 1: Pratiche per tema",
        "Tabella 1: Pratiche per tema: i dati del grafico",
        "Tabella 2: Territori con più pratiche: i dati del grafico",
        "Summary in English",
        "This collection presents the networks' good practices.",
    ] {
        assert_contains(&text, expected);
    }
}

/// A funder report with a hundred networks: title page, the figures against their targets, a
/// chart, a table per network.
fn funder_report(networks: usize) -> Report {
    let headers = vec!["Indicatore".to_owned(), "Valore".into(), "Obiettivo".into(), "Esito".into()];
    let mut network_blocks = Vec::new();
    for n in 0..networks {
        network_blocks.push(ReportBlock::Subheading(format!("Rete d'esempio n. {n:03} — Forlì & “amici”")));
        network_blocks.push(ReportBlock::Table(ReportTable {
            caption: format!("Rete d'esempio n. {n:03}: indicatori del periodo 2026"),
            headers: headers.clone(),
            rows: vec![
                vec!["Incontri tenuti".into(), format!("{}", n + 7), "10".into(), String::new()],
                vec!["Ore di accompagnamento".into(), format!("{},50", n + 1), String::new(), String::new()],
            ],
        }));
    }
    Report {
        identifier: uuid::Uuid::nil(),
        modified: time::OffsetDateTime::UNIX_EPOCH,
        title: "Rapporto per il finanziatore".into(),
        programme: "LAB'IMPACT — FAMI 2014-2020".into(),
        period: "Periodo: 2026".into(),
        notes: vec!["Generato il 28/11/2026 con Reti.".into()],
        fonts: "Caratteri: Noto Serif, Noto Sans Mono e Noto Naskh Arabic (SIL Open Font License 1.1).".into(),
        language: reti_domain::Locale::It,
        contents: "Indice".into(),
        sections: vec![
            ReportSection {
                heading: "Sintesi".into(),
                blocks: vec![ReportBlock::Paragraph(
                    "Tre nuovi membri; ore di accompagnamento sopra l'obiettivo.".into(),
                )],
            },
            ReportSection {
                heading: "Indicatori".into(),
                blocks: vec![
                    ReportBlock::Table(ReportTable {
                        caption: "Indicatori del periodo 2026".into(),
                        headers: headers.clone(),
                        rows: vec![vec![
                            "Incontri tenuti".into(),
                            "1.234".into(),
                            "1.000".into(),
                            "obiettivo raggiunto".into(),
                        ]],
                    }),
                    ReportBlock::Chart(ReportChart {
                        title: "Indicatori e obiettivi, 2026".into(),
                        description: "Un indicatore con il suo obiettivo.".into(),
                        target_legend: "obiettivo".into(),
                        bars: vec![ReportBar {
                            label: "Incontri tenuti".into(),
                            value: 1234.0,
                            shown: "1.234 / 1.000".into(),
                            target: Some(1000.0),
                        }],
                    }),
                ],
            },
            ReportSection { heading: "Le reti".into(), blocks: network_blocks },
        ],
    }
}

#[test]
fn a_funder_report_prints_its_figures_charts_and_networks_as_text() {
    let pdf = write_report_pdf(&funder_report(100)).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let Some(text) = text(&pdf) else { return };
    for expected in [
        "Rapporto per il finanziatore",
        "LAB'IMPACT — FAMI 2014-2020",
        "Periodo: 2026",
        "Tre nuovi membri; ore di accompagnamento sopra l'obiettivo.",
        "1.234 1.000 obiettivo raggiunto",
        "1.234 / 1.000",
        "Rete d'esempio n. 000 — Forlì & “amici”",
        "Rete d'esempio n. 099 — Forlì & “amici”",
        "100,50",
    ] {
        assert_contains(&text, expected);
    }
    let Some(xml) = poppler("pdftohtml", &["-xml", "-i", "-stdout", "-q", "PDF"], &pdf) else { return };
    let outline = &xml[xml.find("<outline>").expect("the PDF has bookmarks")..];
    assert!(outline.contains(">Le reti</item>") && outline.contains("n. 042"), "{outline}");
}
