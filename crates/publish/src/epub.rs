//! The EPUB 3 writer: an [`Edition`] as the bytes of an `.epub` (decision 0039).
//!
//! Layout: `mimetype` (first, stored), `META-INF/container.xml`, and under `EPUB/` the package
//! document, the navigation document, a generated cover, the front matter, one XHTML document
//! per chapter, an index of networks and territories, one style sheet, the embedded fonts and a
//! page with their licences (decision 0042): Noto Serif always, Noto Naskh Arabic and the GB 2312
//! cut of Droid Sans Fallback only when the edition's text uses those scripts.

use crate::fonts::{APACHE, FONTS, FontFile, OFL, Script, script_of};
use crate::xhtml::{bdi, esc, markdown};
use crate::{Edition, PracticeDoc, SECTION_LABELS};
use std::collections::BTreeMap;
use std::io::{Cursor, Write};
use zip::CompressionMethod;
use zip::write::{SimpleFileOptions, ZipWriter};

const SUMMARY: &str = "Pubblicazione interamente testuale, in italiano, che soddisfa le WCAG 2.1 livello AA. \
Navigazione strutturata con titoli per capitolo, pratica e sezione; indice generale e punti di riferimento; \
ordine di lettura logico; tabelle con intestazioni; note come note EPUB; indice delle reti e dei territori con \
collegamenti alle pratiche. Caratteri incorporati con le loro licenze. \
Nessuna immagine, audio o video; nessun rischio noto.";

const STYLE: &str = "@namespace epub \"http://www.idpf.org/2007/ops\";
body { font-family: \"Noto Serif\", \"Noto Naskh Arabic\", \"Droid Sans Fallback\", serif; line-height: 1.4; overflow-wrap: anywhere; }
h1, h2, h3, h4, h5, h6 { line-height: 1.2; }
table { border-collapse: collapse; }
th, td { border: 1px solid; padding: 0.2em 0.4em; text-align: start; vertical-align: top; }
dt { font-weight: bold; }
dd { margin: 0 0 0.4em 1.5em; }
aside[epub|type~='footnote'] { font-size: 0.9em; }
.note-number { font-weight: bold; margin-bottom: 0; }
.cover { text-align: center; margin-top: 30%; }
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
fn licences(fonts: &[&FontFile]) -> String {
    let mut body = String::from(
        "<section epub:type=\"appendix\" role=\"doc-appendix\" aria-labelledby=\"fonts\">\n<h1 id=\"fonts\">Caratteri tipografici</h1>\n",
    );
    let mut families: Vec<&str> = fonts.iter().map(|f| f.family).collect();
    families.dedup();
    body.push_str(&format!("<p>Questo libro incorpora i caratteri {}.</p>\n", families.join(", ")));
    body.push_str(&format!("<h2>SIL Open Font License 1.1</h2>\n<p class=\"licence\">{}</p>\n", esc(OFL)));
    if fonts.iter().any(|f| f.script == Script::Han) {
        body.push_str(&format!("<h2>Apache License 2.0</h2>\n<p class=\"licence\">{}</p>\n", esc(APACHE)));
    }
    body.push_str("</section>\n");
    document("Caratteri tipografici", "backmatter", &body)
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
    put("EPUB/cover.xhtml", &cover(edition))?;
    put("EPUB/front.xhtml", &front(edition))?;
    for (i, _) in edition.chapters.iter().enumerate() {
        put(&format!("EPUB/{}", chapter_file(i)), &chapter(edition, i))?;
    }
    put("EPUB/index.xhtml", &index(edition))?;
    put("EPUB/fonts.xhtml", &licences(&fonts))?;
    put("EPUB/nav.xhtml", &nav(edition))?;
    put("EPUB/package.opf", &package(edition, &fonts))?;
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

fn cover(edition: &Edition) -> String {
    let mut body =
        format!("<section class=\"cover\" epub:type=\"cover\">\n<h1 dir=\"auto\">{}</h1>\n", esc(&edition.title));
    if let Some(subtitle) = edition.subtitle.as_deref().filter(|s| !s.trim().is_empty()) {
        body.push_str(&format!("<p dir=\"auto\">{}</p>\n", esc(subtitle)));
    }
    if !edition.editors.is_empty() {
        body.push_str(&format!("<p>A cura di {}</p>\n", names(&edition.editors)));
    }
    body.push_str(&format!("<p>{}</p>\n</section>\n", edition.year));
    document(&edition.title, "frontmatter", &body)
}

fn names(list: &[String]) -> String {
    list.iter().map(|n| bdi(n)).collect::<Vec<_>>().join(", ")
}

fn front(edition: &Edition) -> String {
    let mut body = String::from(
        "<section epub:type=\"preface\" role=\"doc-introduction\" aria-labelledby=\"intro\">\n<h1 id=\"intro\">Introduzione</h1>\n",
    );
    body.push_str(&markdown(&edition.introduction_markdown, "intro", 2));
    body.push_str("</section>\n<section epub:type=\"colophon\" role=\"doc-colophon\" aria-labelledby=\"colophon\">\n<h2 id=\"colophon\">Colophon</h2>\n<dl>\n");
    body.push_str(&format!("<dt>Titolo</dt><dd dir=\"auto\">{}</dd>\n", esc(&full_title(edition))));
    if !edition.editors.is_empty() {
        body.push_str(&format!("<dt>A cura di</dt><dd>{}</dd>\n", names(&edition.editors)));
    }
    body.push_str(&format!(
        "<dt>Anno</dt><dd>{}</dd>\n<dt>Licenza</dt><dd>{}</dd>\n\
<dt>Caratteri</dt><dd><a href=\"fonts.xhtml\">caratteri tipografici incorporati e loro licenze</a></dd>\n</dl>\n</section>\n",
        edition.year,
        esc(&edition.licence)
    ));
    document("Introduzione", "frontmatter", &body)
}

fn chapter(edition: &Edition, i: usize) -> String {
    let chapter = &edition.chapters[i];
    let mut body = format!(
        "<section epub:type=\"chapter\" role=\"doc-chapter\" aria-labelledby=\"chapter\">\n<h1 id=\"chapter\" dir=\"auto\">{}</h1>\n",
        esc(&chapter.title)
    );
    body.push_str(&markdown(&chapter.introduction_markdown, &format!("c{}-intro", i + 1), 2));
    for (j, practice) in chapter.practices.iter().enumerate() {
        body.push_str(&practice_section(practice, &practice_id(i, j)));
    }
    body.push_str("</section>\n");
    document(&chapter.title, "bodymatter", &body)
}

fn practice_section(practice: &PracticeDoc, id: &str) -> String {
    let mut out = format!(
        "<section id=\"{id}\" aria-labelledby=\"{id}-h\">\n<h2 id=\"{id}-h\" dir=\"auto\">{}</h2>\n<dl>\n",
        esc(&practice.title)
    );
    if let Some(network) = &practice.network {
        out.push_str(&format!("<dt>Rete</dt><dd>{}</dd>\n", bdi(network)));
    }
    if !practice.territories.is_empty() {
        out.push_str(&format!("<dt>Territorio</dt><dd>{}</dd>\n", names(&practice.territories)));
    }
    if let Some(line) = practice.action_line {
        out.push_str(&format!("<dt>Linea d&#39;azione</dt><dd>{line}</dd>\n"));
    }
    if !practice.theme.trim().is_empty() {
        out.push_str(&format!("<dt>Tema</dt><dd dir=\"auto\">{}</dd>\n", esc(&practice.theme)));
    }
    if let Some(year) = practice.year {
        out.push_str(&format!("<dt>Anno</dt><dd>{year}</dd>\n"));
    }
    out.push_str("</dl>\n");
    for ((field, text), (_, label)) in practice.texts.fields().iter().zip(SECTION_LABELS) {
        // Optional sections left empty are not printed: an empty heading helps nobody.
        if text.trim().is_empty() {
            continue;
        }
        let section_id = format!("{id}-{}", field.replace('_', "-"));
        out.push_str(&format!("<section aria-labelledby=\"{section_id}\">\n<h3 id=\"{section_id}\">{label}</h3>\n"));
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
    let mut body = String::from(
        "<section epub:type=\"backmatter\" role=\"doc-index\" aria-labelledby=\"index\">\n<h1 id=\"index\">Indice delle reti e dei territori</h1>\n",
    );
    for (id, heading, entries) in [("networks", "Reti", &networks), ("territories", "Territori", &territories)] {
        body.push_str(&format!("<section aria-labelledby=\"{id}\">\n<h2 id=\"{id}\">{heading}</h2>\n"));
        if entries.is_empty() {
            body.push_str("<p>Nessuna voce.</p>\n");
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
    document("Indice delle reti e dei territori", "backmatter", &body)
}

fn nav(edition: &Edition) -> String {
    let mut body = String::from(
        "<nav epub:type=\"toc\" role=\"doc-toc\" id=\"toc\" aria-labelledby=\"toc-h\">\n<h1 id=\"toc-h\">Indice</h1>\n<ol>\n\
<li><a href=\"cover.xhtml\">Copertina</a></li>\n<li><a href=\"front.xhtml\">Introduzione</a></li>\n",
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
    body.push_str(
        "<li><a href=\"index.xhtml\">Indice delle reti e dei territori</a></li>\n<li><a href=\"fonts.xhtml\">Caratteri tipografici</a></li>\n</ol>\n</nav>\n",
    );
    let first = if edition.chapters.is_empty() { "front.xhtml".to_string() } else { chapter_file(0) };
    body.push_str(&format!(
        "<nav epub:type=\"landmarks\" aria-labelledby=\"landmarks-h\" hidden=\"hidden\">\n<h2 id=\"landmarks-h\">Punti di riferimento</h2>\n<ol>\n\
<li><a epub:type=\"cover\" href=\"cover.xhtml\">Copertina</a></li>\n\
<li><a epub:type=\"toc\" href=\"nav.xhtml#toc\">Indice</a></li>\n\
<li><a epub:type=\"bodymatter\" href=\"{first}\">Inizio</a></li>\n\
<li><a epub:type=\"index\" href=\"index.xhtml\">Indice delle reti e dei territori</a></li>\n</ol>\n</nav>\n"
    ));
    document("Indice", "frontmatter", &body)
}

fn package(edition: &Edition, fonts: &[&FontFile]) -> String {
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
    // EPUB Accessibility 1.1: only what is true of this file.
    meta.push_str(&format!(
        "<meta property=\"schema:accessMode\">textual</meta>\n\
<meta property=\"schema:accessModeSufficient\">textual</meta>\n\
<meta property=\"schema:accessibilityFeature\">structuralNavigation</meta>\n\
<meta property=\"schema:accessibilityFeature\">tableOfContents</meta>\n\
<meta property=\"schema:accessibilityFeature\">readingOrder</meta>\n\
<meta property=\"schema:accessibilityHazard\">none</meta>\n\
<meta property=\"schema:accessibilitySummary\">{}</meta>\n\
<meta property=\"dcterms:conformsTo\">EPUB Accessibility 1.1 - WCAG 2.1 Level AA</meta>\n",
        esc(SUMMARY)
    ));
    let mut manifest = String::from(
        "<item id=\"nav\" href=\"nav.xhtml\" media-type=\"application/xhtml+xml\" properties=\"nav\"/>\n\
<item id=\"style\" href=\"style.css\" media-type=\"text/css\"/>\n\
<item id=\"cover\" href=\"cover.xhtml\" media-type=\"application/xhtml+xml\"/>\n\
<item id=\"front\" href=\"front.xhtml\" media-type=\"application/xhtml+xml\"/>\n",
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
