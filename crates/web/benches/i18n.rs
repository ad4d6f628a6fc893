//! Does a table of argument-free translations in front of Fluent pay for itself (decision 0037)?
//! A page calls `t()` fifty to two hundred times; this times pages of `PAGE` argument-free
//! messages of the Italian locale files, translated three ways: straight through Fluent (what
//! `Translator::t` did before the table), through a table filled on first use (what 0037 added),
//! and through `Translator::t` as it is now; on one thread and on two at once, as a server's
//! workers do. Each figure is the fastest of `ROUNDS` runs of `PAGES` pages (a busy machine only
//! ever adds time), per call and per page.
//!
//! `scripts/bench-i18n` runs it; the figures and the decision are in `docs/benchmarks/pages.md`.

use fluent_templates::{Loader, static_loader};
use reti_domain::Locale;
use reti_web::i18n::Translator;
use std::collections::HashMap;
use std::hint::black_box;
use std::path::Path;
use std::sync::{LazyLock, PoisonError, RwLock};
use std::time::{Duration, Instant};
use unic_langid::{LanguageIdentifier, langid};

static_loader! {
    static LOCALES = {
        locales: "../../locales",
        fallback_language: "it",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static IT: LanguageIdentifier = langid!("it");

/// The messages' texts after their first look-up, as decision 0037 keeps them.
static TABLE: LazyLock<Table> = LazyLock::new(Default::default);

type Table = RwLock<HashMap<Box<str>, Box<str>>>;

const PAGE: usize = 100;
const PAGES: u32 = 200;
const ROUNDS: usize = 30;

fn fluent(key: &str) -> String {
    LOCALES.try_lookup(&IT, key).unwrap_or_else(|| key.to_owned())
}

fn table(key: &str) -> String {
    if let Some(text) = TABLE.read().unwrap_or_else(PoisonError::into_inner).get(key) {
        return text.to_string();
    }
    let text = fluent(key);
    TABLE.write().unwrap_or_else(PoisonError::into_inner).insert(key.into(), text.as_str().into());
    text
}

fn translator(key: &str) -> String {
    Translator::new(Locale::It).t(key)
}

/// `PAGE` messages without arguments of the Italian files, spread over all of them.
fn page_keys() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../locales/it");
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|entry| entry.unwrap().path()).collect();
    files.sort();
    let mut keys = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(file).unwrap();
        let mut current: Option<(String, bool)> = None;
        for line in text.lines() {
            if line.starts_with([' ', '\t']) {
                if let Some((_, plain)) = current.as_mut() {
                    *plain &= !line.contains('{');
                }
                continue;
            }
            keys.extend(current.take().filter(|(_, plain)| *plain).map(|(key, _)| key));
            if let Some((key, value)) = line.split_once(" =")
                && !key.is_empty()
                && !key.starts_with(['#', '-'])
            {
                current = Some((key.to_owned(), !value.contains('{')));
            }
        }
        keys.extend(current.filter(|(_, plain)| *plain).map(|(key, _)| key));
    }
    let step = (keys.len() / PAGE).max(1);
    keys.into_iter().step_by(step).take(PAGE).collect()
}

/// The fastest round's time per call of each thread, with `threads` threads translating
/// `PAGES` pages each at once.
fn per_call(keys: &[String], threads: usize, translate: fn(&str) -> String) -> Duration {
    for key in keys {
        black_box(translate(key));
    }
    let mut best = Duration::MAX;
    for _ in 0..ROUNDS {
        let start = Instant::now();
        std::thread::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(|| {
                    for _ in 0..PAGES {
                        for key in keys {
                            black_box(translate(black_box(key)));
                        }
                    }
                });
            }
        });
        best = best.min(start.elapsed());
    }
    best / (PAGES * keys.len() as u32)
}

fn main() {
    let keys = page_keys();
    assert_eq!(keys.len(), PAGE, "enough messages without arguments");
    for key in &keys {
        assert_eq!(fluent(key), translator(key), "{key}: the same text every way");
        assert_eq!(table(key), translator(key), "{key}: the same text every way");
    }
    println!("{PAGE} argument-free messages per page, fastest of {ROUNDS} runs of {PAGES} pages");
    println!("{:<32} {:>7} {:>12} {:>12}", "way", "threads", "ns/call", "µs/page");
    for threads in [1, 2] {
        let mut straight = Duration::ZERO;
        for (name, translate) in [
            ("Fluent straight", fluent as fn(&str) -> String),
            ("table in front of Fluent", table),
            ("Translator::t (this build)", translator),
        ] {
            let call = per_call(&keys, threads, translate);
            if straight.is_zero() {
                straight = call;
            }
            let saving = 100.0 * (1.0 - call.as_secs_f64() / straight.as_secs_f64());
            println!(
                "{name:<32} {threads:>7} {:>12.1} {:>12.2}   {saving:+.0} % against Fluent",
                call.as_secs_f64() * 1e9,
                call.as_secs_f64() * 1e6 * PAGE as f64,
            );
        }
    }
}
