//! The one text analyzer of the board of experiences (decision 0029): text and queries become the
//! same terms here, and both engines index the terms we give them (SQLite FTS5 and PostgreSQL
//! full-text with the `simple` configuration), so that a query finds the same practices on both.
//!
//! A term is a word folded (lower case, accents removed: "Città" → "citta"), cut at apostrophes
//! ("l'integrazione" → "l", "integrazione"), with Italian stop words dropped and then stemmed by
//! the Snowball stemmer of the language ("integrazioni" and "integrazione" → "integr").

use crate::text::fold;
use rust_stemmers::{Algorithm, Stemmer};
use std::sync::LazyLock;

/// The language a text is analysed in. The board is written in Italian; English is there for the
/// English words a practice quotes and for an English catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Italian,
    English,
}

static ITALIAN: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::Italian));
static ENGLISH: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// Words too common to tell practices apart (articles, prepositions, conjunctions, forms of
/// "essere"/"avere"), folded. Dropped before stemming.
const ITALIAN_STOP_WORDS: &[&str] = &[
    "a", "ad", "agli", "ai", "al", "alla", "alle", "allo", "anche", "che", "chi", "ci", "come", "con", "da", "dagli",
    "dai", "dal", "dalla", "dalle", "dallo", "degli", "dei", "del", "della", "delle", "dello", "di", "e", "ed", "gli",
    "ha", "hanno", "i", "il", "in", "la", "le", "lo", "l", "ma", "ne", "negli", "nei", "nel", "nella", "nelle",
    "nello", "non", "o", "per", "piu", "quale", "quali", "se", "si", "sia", "sono", "su", "sugli", "sui", "sul",
    "sulla", "sulle", "tra", "fra", "un", "una", "uno", "dell", "all", "nell", "sull", "dall", "un", "è", "e'",
];

/// The longest word kept, in characters: a longer run of letters is not a word anyone searches.
const MAX_WORD: usize = 40;

/// The terms of `text`, in order, repeated as often as they occur.
pub fn analyze(text: &str, language: Language) -> Vec<String> {
    let stemmer = match language {
        Language::Italian => &*ITALIAN,
        Language::English => &*ENGLISH,
    };
    fold(text)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty() && word.chars().count() <= MAX_WORD)
        .filter(|word| !ITALIAN_STOP_WORDS.contains(word))
        .map(|word| stemmer.stem(word).into_owned())
        .filter(|term| !term.is_empty())
        .collect()
}

/// The terms of `text` joined by spaces: the form stored beside a practice and indexed.
pub fn index_text(text: &str) -> String {
    analyze(text, Language::Italian).join(" ")
}

/// The longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// The most terms a query is searched with: the rest would only slow the search down.
pub const MAX_QUERY_TERMS: usize = 12;

/// Why a query cannot be searched: each a message for the person, never a server error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryError {
    /// Longer than [`MAX_QUERY_CHARS`].
    TooLong,
    /// Nothing searchable: only punctuation, or only stop words.
    NoWords,
}

impl QueryError {
    /// The Fluent id of the message.
    pub fn message_key(self) -> &'static str {
        match self {
            QueryError::TooLong => "board-query-too-long",
            QueryError::NoWords => "board-query-no-words",
        }
    }
}

/// A query ready for the engines: its distinct terms, at most [`MAX_QUERY_TERMS`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub terms: Vec<String>,
}

impl Query {
    /// `None` for an empty query (the board lists everything); an error for a query that cannot
    /// be searched.
    pub fn parse(raw: &str) -> Result<Option<Query>, QueryError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        if raw.chars().count() > MAX_QUERY_CHARS {
            return Err(QueryError::TooLong);
        }
        let mut terms: Vec<String> = Vec::new();
        for term in analyze(raw, Language::Italian) {
            if !terms.contains(&term) && terms.len() < MAX_QUERY_TERMS {
                terms.push(term);
            }
        }
        if terms.is_empty() { Err(QueryError::NoWords) } else { Ok(Some(Query { terms })) }
    }
}

/// The terms a practice is "like": the distinct terms of its title and theme, then the most
/// frequent terms of its text, at most [`MAX_QUERY_TERMS`]. `None` when there are none.
pub fn like_this(title_terms: &str, body_terms: &str) -> Option<Query> {
    let mut terms: Vec<String> = Vec::new();
    for term in title_terms.split_whitespace() {
        if term.chars().count() > 2 && !terms.iter().any(|t| t == term) && terms.len() < MAX_QUERY_TERMS / 2 {
            terms.push(term.to_owned());
        }
    }
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for term in body_terms.split_whitespace().filter(|t| t.chars().count() > 3) {
        *counts.entry(term).or_default() += 1;
    }
    let mut frequent: Vec<(&str, usize)> = counts.into_iter().collect();
    frequent.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    for (term, _) in frequent {
        if terms.len() >= MAX_QUERY_TERMS {
            break;
        }
        if !terms.iter().any(|t| t == term) {
            terms.push(term.to_owned());
        }
    }
    (!terms.is_empty()).then_some(Query { terms })
}

/// BM25's saturation and length normalisation (the usual values, as SQLite FTS5's `bm25()`).
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// A title term counts ten times a text term.
const TITLE_WEIGHT: f64 = 10.0;
/// The length, in terms, a practice is normalised against: a fixed pivot rather than the
/// catalogue's average, so that a practice's weights never change once written (decision 0035).
const PIVOT_LENGTH: f64 = 250.0;

/// Each distinct term of a practice (title terms, text terms, as stored) with its BM25 weight
/// without the inverse document frequency: the occurrences, the title's counted
/// [`TITLE_WEIGHT`] times, saturated and normalised by the practice's length, as FTS5's `bm25()`
/// does. The query multiplies it by [`idf`]; being fixed per practice, it can be indexed in
/// order, so that the best matches are read first.
pub fn term_weights(title_terms: &str, body_terms: &str) -> Vec<(String, f64)> {
    let mut frequencies: std::collections::BTreeMap<&str, f64> = std::collections::BTreeMap::new();
    let mut length = 0usize;
    for (terms, weight) in [(title_terms, TITLE_WEIGHT), (body_terms, 1.0)] {
        for term in terms.split_whitespace() {
            *frequencies.entry(term).or_default() += weight;
            length += 1;
        }
    }
    let norm = K1 * (1.0 - B + B * length as f64 / PIVOT_LENGTH);
    frequencies.into_iter().map(|(term, f)| (term.to_owned(), f * (K1 + 1.0) / (f + norm))).collect()
}

/// The inverse document frequency of a term found in `with_term` of `documents` practices:
/// BM25's, kept positive (a term in most practices still counts a little).
pub fn idf(documents: i64, with_term: i64) -> f64 {
    let (n, df) = (documents.max(with_term) as f64, with_term as f64);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// Markdown punctuation that means nothing to a reader of a snippet.
fn plain(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut chars = markdown.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // A link's target: "[testo](https://…)" keeps "testo".
            ']' if chars.peek() == Some(&'(') => {
                for skipped in chars.by_ref() {
                    if skipped == ')' {
                        break;
                    }
                }
            }
            '*' | '_' | '#' | '>' | '[' | ']' | '`' | '|' | '<' => out.push(' '),
            other => out.push(other),
        }
    }
    out
}

fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
}

/// Words shown in a snippet.
const SNIPPET_WORDS: usize = 30;

/// A passage of `text` (Markdown) around the words matching `query`, as HTML: escaped, with the
/// matching words in `<mark>`. The passage is the window of [`SNIPPET_WORDS`] words with the most
/// matches; without a query, the beginning of the text.
pub fn snippet(text: &str, query: Option<&Query>) -> String {
    let plain = plain(text);
    let words: Vec<&str> = plain.split_whitespace().collect();
    let matches: Vec<bool> = words
        .iter()
        .map(|word| query.is_some_and(|q| analyze(word, Language::Italian).iter().any(|term| q.terms.contains(term))))
        .collect();
    let window = SNIPPET_WORDS.min(words.len());
    let mut best = (0, 0);
    if window > 0 {
        let mut count = matches[..window].iter().filter(|m| **m).count();
        best = (count, 0);
        for start in 1..=words.len() - window {
            count = count + usize::from(matches[start + window - 1]) - usize::from(matches[start - 1]);
            if count > best.0 {
                best = (count, start);
            }
        }
    }
    let start = best.1;
    let mut out = String::new();
    if start > 0 {
        out.push_str("… ");
    }
    for (i, word) in words.iter().enumerate().skip(start).take(window) {
        if i > start {
            out.push(' ');
        }
        if matches[i] {
            // The word without the punctuation around it is marked: "<mark>città</mark>."
            let core = word.trim_matches(|c: char| !c.is_alphanumeric());
            let start = word.find(core).unwrap_or(0);
            escape(&word[..start], &mut out);
            out.push_str("<mark>");
            escape(core, &mut out);
            out.push_str("</mark>");
            escape(&word[start + core.len()..], &mut out);
        } else {
            escape(word, &mut out);
        }
    }
    if start + window < words.len() {
        out.push_str(" …");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn terms(text: &str) -> Vec<String> {
        analyze(text, Language::Italian)
    }

    #[test]
    fn inflections_and_apostrophes_meet() {
        assert_eq!(terms("l'integrazione"), terms("integrazioni"));
        assert_eq!(terms("città"), terms("citta"));
        assert_eq!(terms("CITTÀ"), terms("cittá"));
        assert_eq!(terms("servizi sociali"), terms("servizio sociale"));
        assert_eq!(terms("dell'Abitare"), terms("abitare"));
    }

    #[test]
    fn stop_words_are_dropped() {
        assert_eq!(terms("il lavoro della rete"), terms("lavoro rete"));
    }

    #[test]
    fn queries_are_bounded_and_need_words() {
        assert_eq!(Query::parse("   "), Ok(None));
        assert_eq!(Query::parse("?!... ---"), Err(QueryError::NoWords));
        assert_eq!(Query::parse(&"a".repeat(10_000)), Err(QueryError::TooLong));
        let query = Query::parse("integrazione integrazioni città").unwrap().unwrap();
        assert_eq!(query.terms.len(), 2);
        assert_eq!(query.terms, ["integr", "citt"]);
    }

    #[test]
    fn snippets_mark_matches_and_escape() {
        let query = Query::parse("integrazione").unwrap();
        let html =
            snippet("Percorsi di **integrazioni**, <script>alert(1)</script> [sito](javascript:x)", query.as_ref());
        assert!(html.contains("<mark>integrazioni</mark>"), "{html}");
        let city = snippet("Servizi nella città.", Query::parse("citta").unwrap().as_ref());
        assert!(city.ends_with("<mark>città</mark>."), "{city}");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("javascript"), "{html}");
    }

    #[test]
    fn title_terms_weigh_more_and_rare_terms_count_more() {
        let weights = term_weights("radio", "radio scuola scuola");
        let weight = |t: &str| weights.iter().find(|(term, _)| term == t).unwrap().1;
        assert!(weight("radio") > weight("scuola"));
        assert!(idf(1000, 3) > idf(1000, 900));
        assert!(idf(10, 10) > 0.0);
    }

    proptest! {
        #[test]
        fn terms_are_safe_for_both_engines(text in "\\PC{0,200}") {
            for term in terms(&text) {
                prop_assert!(!term.is_empty());
                prop_assert!(term.chars().all(|c| c.is_ascii_alphanumeric()), "{term:?}");
            }
            let _ = Query::parse(&text);
            let _ = snippet(&text, Query::parse(&text).ok().flatten().as_ref());
        }
    }
}
