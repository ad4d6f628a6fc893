//! `reti indicators report` on the demo (SQLite): writes the funder report's PDF, prints its
//! path, and the PDF's text (read back by poppler's `pdftotext` when installed) names the
//! programme, the period and the networks, in Italian or in English; a bad period or language is
//! named.

use std::process::{Command, Output};

fn reti(data_dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reti"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("RETI_DATABASE_URL")
        .output()
        .unwrap()
}

#[test]
fn the_funder_report_of_the_demo_is_a_pdf_naming_its_networks() {
    let dir = tempfile::tempdir().unwrap();
    let demo = reti(dir.path(), &["demo"]);
    assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));
    let year = time::OffsetDateTime::now_utc().year().to_string();
    let path = dir.path().join("rapporto.pdf");
    let out = reti(
        dir.path(),
        &["indicators", "report", "--programme", "PROG-2463", "--period", &year, "--output", path.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), path.display().to_string());
    let pdf = std::fs::read(&path).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));

    if Command::new("pdftotext").arg("-v").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "pdftotext is not installed: under CI it must be");
        eprintln!("SKIPPED: pdftotext is not installed (apt-get install poppler-utils)");
    } else {
        let text = Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(&path).arg("-").output().unwrap();
        let text = String::from_utf8(text.stdout).unwrap().split_whitespace().collect::<Vec<_>>().join(" ");
        for expected in [
            "Rapporto per il finanziatore",
            "LAB'IMPACT — FAMI 2014-2020",
            &format!("Periodo: {year}"),
            "Incontri tenuti",
            "Rete Nord Milano per l'integrazione",
            "Rete Lomellina Solidale",
        ] {
            assert!(text.contains(expected), "{expected:?} is not in the report:\n{text}");
        }
    }

    let bad = reti(dir.path(), &["indicators", "report", "--period", "2026-Q7", "--output", "x.pdf"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--period"), "{}", String::from_utf8_lossy(&bad.stderr));

    // In English (decision 0058): the headings and the labels from the English locale files.
    let english = dir.path().join("report.pdf");
    let args = ["indicators", "report", "--period", &year, "--language", "en", "--output", english.to_str().unwrap()];
    let out = reti(dir.path(), &args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    if let Ok(text) = Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(&english).arg("-").output() {
        let text = String::from_utf8(text.stdout).unwrap().split_whitespace().collect::<Vec<_>>().join(" ");
        for expected in
            ["Report for the funder", &format!("Period: {year}"), "Meetings held", "Rete Lomellina Solidale"]
        {
            assert!(text.contains(expected), "{expected:?} is not in the English report:\n{text}");
        }
        for italian in ["Rapporto per il finanziatore", "Periodo", "Incontri tenuti", "Indice", "Caratteri"] {
            assert!(!text.contains(italian), "{italian:?} is in the English report:\n{text}");
        }
    }
    let bad = reti(dir.path(), &["indicators", "report", "--period", &year, "--language", "fr", "--output", "x.pdf"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--language"), "{}", String::from_utf8_lossy(&bad.stderr));
}
