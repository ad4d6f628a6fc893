//! The EPUB 3 writer: an [`Edition`] as the bytes of an `.epub` (decision 0039).
//!
//! Layout: `mimetype` (first, stored), `META-INF/container.xml`, and under `EPUB/` the package
//! document, the navigation document, the cover (the uploaded image or a generated SVG) and its
//! page, the front matter with the charts, one XHTML document per chapter, an index of networks and territories, one style sheet, the embedded fonts and a
//! page with their licences (decision 0042): Noto Serif always, Noto Naskh Arabic and the GB 2312
//! cut of Droid Sans Fallback only when the edition's text uses those scripts.

use crate::chart::{Chart, charts, svg};
use crate::fonts::{APACHE, FONTS, FontFile, OFL, Script, script_of};
use crate::xhtml::{bdi, esc, markdown};
use crate::{Edition, Labels, PracticeDoc};
use std::collections::BTreeMap;
use std::io::{Cursor, Write};
use zip::CompressionMethod;
use zip::write::{SimpleFileOptions, ZipWriter};

const STYLE: &str = "@namespace epub \"http://www.idpf.org/2007/ops\";
body { font-family: \"Noto Serif\", \"Noto Naskh Arabic\", \"Droid Sans Fallback\", serif; line-height: 1.4; overflow-wrap: anywhere; }
h1, h2, h3, h4, h5, h6 { line-height: 1.2; }
table { border-collapse: collapse; }
th, td { border: 1px solid; padding: 0.2em 0.4em; text-align: start; vertical-align: top; }
dt { font-weight: bold; }
dd { margin: 0 0 0.4em 1.5em; }
aside[epub|type~='footnote'] { font-size: 0.9em; }
.note-number { font-weight: bold; margin-bottom: 0; }
.cover { text-align: center; margin: 0; padding: 0; }
.cover img { max-width: 100%; max-height: 100vh; }
figure svg { max-width: 100%; height: auto; }
.licence { white-space: pre-wrap; font-size: 0.8em; }
";

/// The embedded fonts `edition` needs: the Latin ones always, the others when its text uses
/// their script (a Chinese font is a megabyte the Italian-only editions need not carry).
fn fonts_for(edition: &Edition) -> Vec<&'static FontFile> {
    let mut scripts = vec![Script::Latin];
    for c in edition.strings().flat_map(str::chars) {
        if let Some(script) = script_of(c).filter(|s| !scripts.contains(s)) {
            scripts.push(script);
        }
    }
    FONTS.iter().filter(|f| scripts.contains(&f.script)).collect()
}

fn style(fonts: &[&FontFile]) -> String {
    let mut css = String::from(STYLE);
    for font in fonts {
        css.push_str(&format!(
            "@font-face {{ font-family: \"{}\"; src: url(\"fonts/{}\"); font-weight: {}; font-style: {}; }}\n",
            font.family,
            font.file,
            if font.bold { "bold" } else { "normal" },
            if font.italic { "italic" } else { "normal" }
        ));
    }
    css
}

/// The page with the embedded fonts' licences.
fn licences(fonts: &[&FontFile], labels: &Labels) -> String {
    let title = labels.get("ebook-fonts");
    let mut body = format!(
        "<section epub:type=\"appendix\" role=\"doc-appendix\" aria-labelledby=\"fonts\">\n<h1 id=\"fonts\">{}</h1>\n",
        esc(title)
    );
    let mut families: Vec<&str> = fonts.iter().map(|f| f.family).collect();
    families.dedup();
    body.push_str(&format!("<p>{}: {}.</p>\n", esc(labels.get("ebook-fonts-embedded")), families.join(", ")));
    body.push_str(&format!("<h2>SIL Open Font License 1.1</h2>\n<p class=\"licence\">{}</p>\n", esc(OFL)));
    if fonts.iter().any(|f| f.script == Script::Han) {
        body.push_str(&format!("<h2>Apache License 2.0</h2>\n<p class=\"licence\">{}</p>\n", esc(APACHE)));
    }
    body.push_str("</section>\n");
    document(title, "backmatter", &body)
}

/// The EPUB 3 file of `edition`.
pub fn write_epub(edition: &Edition) -> zip::result::ZipResult<Vec<u8>> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    // The mimetype must come first, uncompressed and without extra fields (OCF 3.3 §4.3).
    zip.start_file("mimetype", SimpleFileOptions::default().compression_method(CompressionMethod::Stored))?;
    zip.write_all(b"application/epub+zip")?;
    let deflated = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let mut put = |name: &str, body: &str| -> zip::result::ZipResult<()> {
        zip.start_file(name, deflated)?;
        zip.write_all(body.as_bytes())?;
        Ok(())
    };
    put("META-INF/container.xml", CONTAINER)?;
    let fonts = fonts_for(edition);
    put("EPUB/style.css", &style(&fonts))?;
    let uploaded = crate::cover::uploaded(edition);
    let cover_alt = crate::cover::alt(edition, uploaded.as_ref().map(|(cover, _, _)| *cover));
    let (cover_file, cover_mime, cover_bytes) = crate::cover::epub_cover(edition, uploaded);
    put("EPUB/cover.xhtml", &cover(&edition.title, cover_file, &cover_alt))?;
    let charts = charts(edition);
    put("EPUB/front.xhtml", &front(edition, &charts))?;
    for (i, _) in edition.chapters.iter().enumerate() {
        put(&format!("EPUB/{}", chapter_file(i)), &chapter(edition, i))?;
    }
    put("EPUB/index.xhtml", &index(edition))?;
    put("EPUB/fonts.xhtml", &licences(&fonts, &edition.labels))?;
    put("EPUB/nav.xhtml", &nav(edition))?;
    let images = Images { cover: (cover_file, cover_mime), inline_svg: !charts.is_empty() };
    put("EPUB/package.opf", &package(edition, &fonts, &images))?;
    zip.start_file(format!("EPUB/{cover_file}"), deflated)?;
    zip.write_all(&cover_bytes)?;
    for font in &fonts {
        zip.start_file(format!("EPUB/fonts/{}", font.file), deflated)?;
        zip.write_all(font.bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}

const CONTAINER: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"#;

fn chapter_file(i: usize) -> String {
    format!("chapter-{}.xhtml", i + 1)
}

fn practice_id(chapter: usize, practice: usize) -> String {
    format!("c{}-p{}", chapter + 1, practice + 1)
}

fn document(title: &str, body_type: &str, body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n\
<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"it\" xml:lang=\"it\">\n\
<head>\n<meta charset=\"UTF-8\"/>\n<title>{}</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"style.css\"/>\n</head>\n\
<body epub:type=\"{body_type}\">\n{body}</body>\n</html>\n",
        esc(title)
    )
}

fn full_title(edition: &Edition) -> String {
    match edition.subtitle.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(subtitle) => format!("{}: {}", edition.title, subtitle),
        None => edition.title.clone(),
    }
}

/// The cover page: the cover image alone, its text alternative saying what it shows.
fn cover(title: &str, file: &str, alt: &str) -> String {
    let body = format!(
        "<section class=\"cover\" epub:type=\"cover\">\n<img role=\"doc-cover\" src=\"{file}\" alt=\"{}\"/>\n</section>\n",
        esc(alt)
    );
    document(title, "frontmatter", &body)
}

fn names(list: &[String]) -> String {
    list.iter().map(|n| bdi(n)).collect::<Vec<_>>().join(", ")
}

fn front(edition: &Edition, charts: &[Chart]) -> String {
    let labels = &edition.labels;
    let mut body = format!(
        "<section epub:type=\"preface\" role=\"doc-introduction\" aria-labelledby=\"intro\">\n<h1 id=\"intro\">{}</h1>\n",
        esc(labels.get("ebook-introduction"))
    );
    body.push_str(&markdown(&edition.introduction_markdown, "intro", 2));
    for chart in charts {
        body.push_str(&figure(chart));
    }
    if !edition.english_summary_markdown.trim().is_empty() {
        // The one passage in English: marked so that a screen reader switches voice.
        body.push_str(&format!(
            "<section lang=\"en\" xml:lang=\"en\" aria-labelledby=\"summary-en\">\n<h2 id=\"summary-en\">{}</h2>\n{}</section>\n",
            esc(labels.get("ebook-english-summary")),
            markdown(&edition.english_summary_markdown, "summary-en", 3)
        ));
    }
    body.push_str(&format!(
        "</section>\n<section epub:type=\"colophon\" role=\"doc-colophon\" aria-labelledby=\"colophon\">\n<h2 id=\"colophon\">{}</h2>\n<dl>\n",
        esc(labels.get("ebook-colophon"))
    ));
    body.push_str(&format!(
        "<dt>{}</dt><dd dir=\"auto\">{}</dd>\n",
        esc(labels.get("ebook-title")),
        esc(&full_title(edition))
    ));
    if !edition.editors.is_empty() {
        body.push_str(&format!(
            "<dt>{}</dt><dd>{}</dd>\n",
            esc(labels.get("ebook-edited-by")),
            names(&edition.editors)
        ));
    }
    body.push_str(&format!(
        "<dt>{}</dt><dd>{}</dd>\n<dt>{}</dt><dd>{}</dd>\n<dt>{}</dt><dd><a href=\"fonts.xhtml\">{}</a></dd>\n</dl>\n</section>\n",
        esc(labels.get("ebook-year")),
        edition.year,
        esc(labels.get("ebook-licence")),
        esc(&edition.licence),
        esc(labels.get("ebook-fonts")),
        esc(labels.get("ebook-fonts-link")),
    ));
    document(labels.get("ebook-introduction"), "frontmatter", &body)
}

/// A chart as a figure (the SVG, with its title and description) followed by its figures as a
/// table with headers.
fn figure(chart: &Chart) -> String {
    let mut out = format!(
        "<figure id=\"{id}\" aria-labelledby=\"{id}-caption\">\n{}<figcaption id=\"{id}-caption\">{}</figcaption>\n</figure>\n\
<table>\n<caption>{}</caption>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>\n",
        svg(chart),
        esc(&chart.title),
        esc(&chart.data_caption),
        esc(&chart.category),
        esc(&chart.value_heading),
        id = chart.id,
    );
    for (name, count) in &chart.bars {
        out.push_str(&format!("<tr><th scope=\"row\">{}</th><td>{count}</td></tr>\n", bdi(name)));
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

fn chapter(edition: &Edition, i: usize) -> String {
    let chapter = &edition.chapters[i];
    let mut body = format!(
        "<section epub:type=\"chapter\" role=\"doc-chapter\" aria-labelledby=\"chapter\">\n<h1 id=\"chapter\" dir=\"auto\">{}</h1>\n",
        esc(&chapter.title)
    );
    body.push_str(&markdown(&chapter.introduction_markdown, &format!("c{}-intro", i + 1), 2));
    for (j, practice) in chapter.practices.iter().enumerate() {
        body.push_str(&practice_section(practice, &practice_id(i, j), &edition.labels));
    }
    body.push_str("</section>\n");
    document(&chapter.title, "bodymatter", &body)
}

fn practice_section(practice: &PracticeDoc, id: &str, labels: &Labels) -> String {
    let mut out = format!(
        "<section id=\"{id}\" aria-labelledby=\"{id}-h\">\n<h2 id=\"{id}-h\" dir=\"auto\">{}</h2>\n<dl>\n",
        esc(&practice.title)
    );
    let term = |key: &str| esc(labels.get(key));
    if let Some(network) = &practice.network {
        out.push_str(&format!("<dt>{}</dt><dd>{}</dd>\n", term("practice-field-network"), bdi(network)));
    }
    if !practice.territories.is_empty() {
        out.push_str(&format!("<dt>{}</dt><dd>{}</dd>\n", term("ebook-territory"), names(&practice.territories)));
    }
    if let Some(line) = practice.action_line {
        out.push_str(&format!("<dt>{}</dt><dd>{line}</dd>\n", term("practice-field-action-line")));
    }
    if !practice.theme.trim().is_empty() {
        out.push_str(&format!(
            "<dt>{}</dt><dd dir=\"auto\">{}</dd>\n",
            term("practice-field-theme"),
            esc(&practice.theme)
        ));
    }
    if let Some(year) = practice.year {
        out.push_str(&format!("<dt>{}</dt><dd>{year}</dd>\n", term("practice-field-year")));
    }
    out.push_str("</dl>\n");
    for (field, text) in practice.texts.fields() {
        // Optional sections left empty are not printed: an empty heading helps nobody.
        if text.trim().is_empty() {
            continue;
        }
        let section_id = format!("{id}-{}", field.replace('_', "-"));
        out.push_str(&format!(
            "<section aria-labelledby=\"{section_id}\">\n<h3 id=\"{section_id}\">{}</h3>\n",
            esc(labels.section(field))
        ));
        out.push_str(&markdown(text, &section_id, 4));
        out.push_str("</section>\n");
    }
    out.push_str("</section>\n");
    out
}

/// Networks and territories, each with links to its practices, in Italian alphabetical order
/// (case and accents folded).
fn index(edition: &Edition) -> String {
    let mut networks: BTreeMap<String, (String, Vec<(String, String)>)> = BTreeMap::new();
    let mut territories: BTreeMap<String, (String, Vec<(String, String)>)> = BTreeMap::new();
    for (i, chapter) in edition.chapters.iter().enumerate() {
        for (j, practice) in chapter.practices.iter().enumerate() {
            let link = (format!("{}#{}", chapter_file(i), practice_id(i, j)), practice.title.clone());
            if let Some(network) = &practice.network {
                let entry =
                    networks.entry(reti_domain::text::fold(network)).or_insert_with(|| (network.clone(), Vec::new()));
                entry.1.push(link.clone());
            }
            for territory in &practice.territories {
                let entry = territories
                    .entry(reti_domain::text::fold(territory))
                    .or_insert_with(|| (territory.clone(), Vec::new()));
                if !entry.1.contains(&link) {
                    entry.1.push(link.clone());
                }
            }
        }
    }
    let labels = &edition.labels;
    let title = labels.get("ebook-index");
    let mut body = format!(
        "<section epub:type=\"backmatter\" role=\"doc-index\" aria-labelledby=\"index\">\n<h1 id=\"index\">{}</h1>\n",
        esc(title)
    );
    for (id, heading, entries) in [
        ("networks", labels.get("ebook-index-networks"), &networks),
        ("territories", labels.get("ebook-index-territories"), &territories),
    ] {
        body.push_str(&format!("<section aria-labelledby=\"{id}\">\n<h2 id=\"{id}\">{}</h2>\n", esc(heading)));
        if entries.is_empty() {
            body.push_str(&format!("<p>{}</p>\n", esc(labels.get("ebook-index-empty"))));
        } else {
            body.push_str("<ul>\n");
            for (name, links) in entries.values() {
                body.push_str(&format!("<li>{}: ", bdi(name)));
                let links: Vec<String> =
                    links.iter().map(|(href, title)| format!("<a href=\"{href}\">{}</a>", bdi(title))).collect();
                body.push_str(&links.join("; "));
                body.push_str("</li>\n");
            }
            body.push_str("</ul>\n");
        }
        body.push_str("</section>\n");
    }
    body.push_str("</section>\n");
    document(title, "backmatter", &body)
}

fn nav(edition: &Edition) -> String {
    let labels = &edition.labels;
    let word = |key: &str| esc(labels.get(key));
    let mut body = format!(
        "<nav epub:type=\"toc\" role=\"doc-toc\" id=\"toc\" aria-labelledby=\"toc-h\">\n<h1 id=\"toc-h\">{}</h1>\n<ol>\n\
<li><a href=\"cover.xhtml\">{}</a></li>\n<li><a href=\"front.xhtml\">{}</a></li>\n",
        word("ebook-contents"),
        word("ebook-cover"),
        word("ebook-introduction"),
    );
    for (i, chapter) in edition.chapters.iter().enumerate() {
        body.push_str(&format!("<li><a href=\"{}\">{}</a>", chapter_file(i), bdi(&chapter.title)));
        if !chapter.practices.is_empty() {
            body.push_str("\n<ol>\n");
            for (j, practice) in chapter.practices.iter().enumerate() {
                body.push_str(&format!(
                    "<li><a href=\"{}#{}\">{}</a></li>\n",
                    chapter_file(i),
                    practice_id(i, j),
                    bdi(&practice.title)
                ));
            }
            body.push_str("</ol>\n");
        }
        body.push_str("</li>\n");
    }
    body.push_str(&format!(
        "<li><a href=\"index.xhtml\">{}</a></li>\n<li><a href=\"fonts.xhtml\">{}</a></li>\n</ol>\n</nav>\n",
        word("ebook-index"),
        word("ebook-fonts"),
    ));
    let first = if edition.chapters.is_empty() { "front.xhtml".to_string() } else { chapter_file(0) };
    body.push_str(&format!(
        "<nav epub:type=\"landmarks\" aria-labelledby=\"landmarks-h\" hidden=\"hidden\">\n<h2 id=\"landmarks-h\">{}</h2>\n<ol>\n\
<li><a epub:type=\"cover\" href=\"cover.xhtml\">{}</a></li>\n\
<li><a epub:type=\"toc\" href=\"nav.xhtml#toc\">{}</a></li>\n\
<li><a epub:type=\"bodymatter\" href=\"{first}\">{}</a></li>\n\
<li><a epub:type=\"index\" href=\"index.xhtml\">{}</a></li>\n</ol>\n</nav>\n",
        word("ebook-landmarks"),
        word("ebook-cover"),
        word("ebook-contents"),
        word("ebook-start"),
        word("ebook-index"),
    ));
    document(labels.get("ebook-contents"), "frontmatter", &body)
}

/// The images the package declares: the cover's file and media type, and whether the front
/// matter draws charts (inline SVG must be declared on its document).
struct Images {
    cover: (&'static str, &'static str),
    inline_svg: bool,
}

fn package(edition: &Edition, fonts: &[&FontFile], images: &Images) -> String {
    let modified = edition
        .modified
        .to_offset(time::UtcOffset::UTC)
        .format(time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z"))
        .unwrap_or_default();
    let mut meta = format!(
        "<dc:identifier id=\"pub-id\">urn:uuid:{}</dc:identifier>\n<dc:title id=\"title\">{}</dc:title>\n\
<meta refines=\"#title\" property=\"title-type\">main</meta>\n",
        edition.identifier,
        esc(&edition.title)
    );
    if let Some(subtitle) = edition.subtitle.as_deref().filter(|s| !s.trim().is_empty()) {
        meta.push_str(&format!(
            "<dc:title id=\"subtitle\">{}</dc:title>\n<meta refines=\"#subtitle\" property=\"title-type\">subtitle</meta>\n",
            esc(subtitle)
        ));
    }
    for (i, editor) in edition.editors.iter().enumerate() {
        meta.push_str(&format!(
            "<dc:contributor id=\"editor-{n}\">{}</dc:contributor>\n<meta refines=\"#editor-{n}\" property=\"role\" scheme=\"marc:relators\">edt</meta>\n",
            esc(editor),
            n = i + 1
        ));
    }
    meta.push_str(&format!(
        "<dc:language>it</dc:language>\n<dc:date>{}</dc:date>\n<dc:rights>{}</dc:rights>\n<meta property=\"dcterms:modified\">{modified}</meta>\n",
        edition.year,
        esc(&edition.licence)
    ));
    // EPUB Accessibility 1.1: only what is true of this file. The cover and the charts are
    // visual, and each has a text alternative (the charts' figures are tables too), so text
    // alone suffices.
    meta.push_str(&format!(
        "<meta property=\"schema:accessMode\">textual</meta>\n\
<meta property=\"schema:accessMode\">visual</meta>\n\
<meta property=\"schema:accessModeSufficient\">textual</meta>\n\
<meta property=\"schema:accessibilityFeature\">structuralNavigation</meta>\n\
<meta property=\"schema:accessibilityFeature\">tableOfContents</meta>\n\
<meta property=\"schema:accessibilityFeature\">readingOrder</meta>\n\
<meta property=\"schema:accessibilityFeature\">alternativeText</meta>\n\
<meta property=\"schema:accessibilityHazard\">none</meta>\n\
<meta property=\"schema:accessibilitySummary\">{}</meta>\n\
<meta property=\"dcterms:conformsTo\">EPUB Accessibility 1.1 - WCAG 2.1 Level AA</meta>\n",
        esc(edition.labels.get("ebook-accessibility-summary"))
    ));
    let (cover_file, cover_mime) = images.cover;
    let mut manifest = format!(
        "<item id=\"nav\" href=\"nav.xhtml\" media-type=\"application/xhtml+xml\" properties=\"nav\"/>\n\
<item id=\"style\" href=\"style.css\" media-type=\"text/css\"/>\n\
<item id=\"cover-image\" href=\"{cover_file}\" media-type=\"{cover_mime}\" properties=\"cover-image\"/>\n\
<item id=\"cover\" href=\"cover.xhtml\" media-type=\"application/xhtml+xml\"/>\n\
<item id=\"front\" href=\"front.xhtml\" media-type=\"application/xhtml+xml\"{}/>\n",
        if images.inline_svg { " properties=\"svg\"" } else { "" }
    );
    let mut spine = String::from("<itemref idref=\"cover\"/>\n<itemref idref=\"nav\"/>\n<itemref idref=\"front\"/>\n");
    for i in 0..edition.chapters.len() {
        manifest.push_str(&format!(
            "<item id=\"chapter-{n}\" href=\"{}\" media-type=\"application/xhtml+xml\"/>\n",
            chapter_file(i),
            n = i + 1
        ));
        spine.push_str(&format!("<itemref idref=\"chapter-{}\"/>\n", i + 1));
    }
    manifest.push_str("<item id=\"index\" href=\"index.xhtml\" media-type=\"application/xhtml+xml\"/>\n");
    manifest.push_str("<item id=\"fonts\" href=\"fonts.xhtml\" media-type=\"application/xhtml+xml\"/>\n");
    spine.push_str("<itemref idref=\"index\"/>\n<itemref idref=\"fonts\"/>\n");
    for (i, font) in fonts.iter().enumerate() {
        manifest.push_str(&format!(
            "<item id=\"font-{}\" href=\"fonts/{}\" media-type=\"font/ttf\"/>\n",
            i + 1,
            font.file
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" unique-identifier=\"pub-id\" xml:lang=\"it\" dir=\"ltr\">\n\
<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n{meta}</metadata>\n<manifest>\n{manifest}</manifest>\n\
<spine>\n{spine}</spine>\n</package>\n"
    )
}
