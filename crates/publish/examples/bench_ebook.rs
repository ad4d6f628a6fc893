//! The e-book benchmark (issue 11, `scripts/bench-ebook`): an edition of N synthetic practices
//! (default 500) written as EPUB and as PDF, and Debian's pandoc making an EPUB from the same
//! content as Markdown, in the same run. Prints the times and the ratio EPUB / pandoc.
//!
//!     cargo run --release -p reti-publish --example bench_ebook -- [PRACTICES]

#[allow(dead_code)]
#[path = "../tests/common/mod.rs"]
mod common;

use reti_publish::{Edition, write_epub, write_pdf};
use std::process::Command;
use std::time::{Duration, Instant};

const RUNS: usize = 3;

fn main() {
    let count: usize = std::env::args().nth(1).map(|n| n.parse().expect("PRACTICES is a number")).unwrap_or(500);
    let edition = common::synthetic(count);
    let dir = std::env::temp_dir().join(format!("reti-bench-ebook-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();

    let (epub_time, epub) = median(|| write_epub(&edition).unwrap());
    let started = Instant::now();
    let pdf = write_pdf(&edition).unwrap();
    let pdf_time = started.elapsed();
    std::fs::write(dir.join("reti.epub"), &epub).unwrap();
    std::fs::write(dir.join("reti.pdf"), &pdf).unwrap();

    let source = dir.join("edition.md");
    std::fs::write(&source, pandoc_markdown(&edition)).unwrap();
    let output = dir.join("pandoc.epub");
    let (pandoc_time, ok) = median(|| {
        Command::new("pandoc")
            .args(["--from", "markdown", "--to", "epub3", "--output"])
            .arg(&output)
            .arg(&source)
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
    });

    println!("edition of {count} practices ({} chapters)", edition.chapters.len());
    println!("write_epub  {:>9.1} ms  (median of {RUNS})  {:>7} KiB", ms(epub_time), epub.len() / 1024);
    println!("write_pdf   {:>9.1} ms  (one run)  {:>7} KiB", ms(pdf_time), pdf.len() / 1024);
    if ok {
        let size = std::fs::metadata(&output).map(|m| m.len() / 1024).unwrap_or(0);
        println!("pandoc epub {:>9.1} ms  (median of {RUNS})  {size:>7} KiB", ms(pandoc_time));
        println!("EPUB / pandoc = {:.3}  (goal ≤ 0.2)", epub_time.as_secs_f64() / pandoc_time.as_secs_f64());
    } else {
        println!("pandoc did not run (apt-get install pandoc): no ratio");
    }
    println!("PDF of {count} practices: {:.1} s  (goal < 30 s)", pdf_time.as_secs_f64());
    std::fs::remove_dir_all(&dir).ok();
}

fn median<T>(mut run: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::with_capacity(RUNS);
    let mut last = None;
    for _ in 0..RUNS {
        let started = Instant::now();
        last = Some(run());
        times.push(started.elapsed());
    }
    times.sort();
    (times[RUNS / 2], last.expect("RUNS > 0"))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The edition as one pandoc Markdown document: the same headings, facts and section texts.
/// Footnote labels get the practice's number, as one document shares one namespace of labels.
fn pandoc_markdown(edition: &Edition) -> String {
    let yaml = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    let mut out = format!(
        "---\ntitle: {}\nsubtitle: {}\nauthor: [{}]\nlang: it\nrights: {}\n---\n\n# Introduzione\n\n{}\n\n",
        yaml(&edition.title),
        yaml(edition.subtitle.as_deref().unwrap_or("")),
        edition.editors.iter().map(|e| yaml(e)).collect::<Vec<_>>().join(", "),
        yaml(&edition.licence),
        edition.introduction_markdown
    );
    let mut n = 0;
    for chapter in &edition.chapters {
        out.push_str(&format!("# {}\n\n{}\n\n", chapter.title, chapter.introduction_markdown));
        for practice in &chapter.practices {
            n += 1;
            out.push_str(&format!("## {}\n\n", practice.title));
            if let Some(network) = &practice.network {
                out.push_str(&format!("**Rete:** {network}  \n"));
            }
            out.push_str(&format!("**Territorio:** {}\n\n", practice.territories.join(", ")));
            for (field, text) in practice.texts.fields() {
                if !text.trim().is_empty() {
                    out.push_str(&format!("### {field}\n\n{}\n\n", text.replace("[^", &format!("[^p{n}-"))));
                }
            }
        }
    }
    out
}
