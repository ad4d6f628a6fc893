//! The words the e-book prints around its content (section headings, the index's and the
//! colophon's words, the accessibility summary): this crate has no translations of its own, so
//! the caller looks every key of [`Labels::KEYS`] up in the locale files and hands them in.

use std::collections::HashMap;

/// The e-book's words, by Fluent key.
#[derive(Debug, Clone)]
pub struct Labels {
    words: HashMap<&'static str, String>,
}

impl Labels {
    /// Every key the writers print: the practice template's headings (`practice-field-*`, shared
    /// with the practice pages) and the e-book's own words (`ebook-*`). None takes an argument.
    pub const KEYS: [&'static str; 46] = [
        "practice-field-network",
        "practice-field-action-line",
        "practice-field-theme",
        "practice-field-year",
        "practice-field-context",
        "practice-field-problem",
        "practice-field-objectives",
        "practice-field-target-group",
        "practice-field-activities",
        "practice-field-actors",
        "practice-field-resources",
        "practice-field-results",
        "practice-field-innovation",
        "practice-field-sustainability",
        "practice-field-transferability",
        "practice-field-lessons",
        "practice-field-contacts",
        "ebook-territory",
        "ebook-contents",
        "ebook-cover",
        "ebook-introduction",
        "ebook-colophon",
        "ebook-title",
        "ebook-edited-by",
        "ebook-year",
        "ebook-licence",
        "ebook-fonts",
        "ebook-fonts-link",
        "ebook-fonts-embedded",
        "ebook-index",
        "ebook-index-networks",
        "ebook-index-territories",
        "ebook-index-empty",
        "ebook-landmarks",
        "ebook-start",
        "ebook-page",
        "ebook-accessibility-summary",
        "ebook-english-summary",
        "ebook-chart-themes",
        "ebook-chart-themes-description",
        "ebook-chart-themes-data",
        "ebook-chart-practices",
        "ebook-chart-no-theme",
        "ebook-chart-territories",
        "ebook-chart-territories-description",
        "ebook-chart-territories-data",
    ];

    /// The labels, each key of [`Labels::KEYS`] looked up by `lookup` (a translator's `t`).
    pub fn from_lookup(lookup: impl Fn(&str) -> String) -> Labels {
        Labels { words: Labels::KEYS.iter().map(|key| (*key, lookup(key))).collect() }
    }

    /// The word for `key`; a key the caller did not give shows itself, as a missing translation
    /// does on the pages.
    pub(crate) fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.words.get(key).map_or(key, String::as_str)
    }

    /// The heading of the practice template's section `field` (a name of
    /// [`crate::PracticeTexts::fields`]).
    pub(crate) fn section(&self, field: &str) -> &str {
        let key = format!("practice-field-{}", field.replace('_', "-"));
        self.words.get(key.as_str()).map_or("", String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_section_of_the_template_has_a_key() {
        let labels = Labels::from_lookup(|key| format!("<{key}>"));
        for (field, _) in crate::PracticeTexts::default().fields() {
            assert_eq!(labels.section(field), format!("<practice-field-{}>", field.replace('_', "-")));
        }
        let mut keys = Labels::KEYS.to_vec();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), Labels::KEYS.len(), "no key twice");
    }
}
