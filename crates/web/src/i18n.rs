//! Translations (Fluent files under `locales/`) and the choice of language for a request:
//! a `?lang=` switch (for this session only), then the session's language (set from the saved
//! preference at login), then the saved preference, then `Accept-Language`, then Italian.

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{Loader, static_loader};
use reti_domain::Locale;
use std::borrow::Cow;
use std::collections::HashMap;
use unic_langid::{LanguageIdentifier, langid};

static_loader! {
    static LOCALES = {
        locales: "../../locales",
        fallback_language: "it",
        // Unicode isolation marks around arguments would end up inside e-mails and attributes.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static IT: LanguageIdentifier = langid!("it");
static EN: LanguageIdentifier = langid!("en");

/// Translates message ids into one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Translator {
    pub locale: Locale,
}

impl Translator {
    pub fn new(locale: Locale) -> Self {
        Self { locale }
    }

    fn language(&self) -> &'static LanguageIdentifier {
        match self.locale {
            Locale::It => &IT,
            Locale::En => &EN,
        }
    }

    /// The text of `key`; a missing key shows itself, so that it is noticed rather than hidden
    /// (a test checks that no key is missing).
    pub fn t(&self, key: &str) -> String {
        LOCALES.try_lookup(self.language(), key).unwrap_or_else(|| key.to_owned())
    }

    /// The text of `key` with named arguments.
    pub fn t_args(&self, key: &str, args: &[(&'static str, String)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> =
            args.iter().map(|(name, value)| (Cow::Borrowed(*name), FluentValue::from(value.clone()))).collect();
        LOCALES.try_lookup_with_args(self.language(), key, &args).unwrap_or_else(|| key.to_owned())
    }

    /// The text of `key` for a number `count`, choosing the plural form by it.
    pub fn t_count(&self, key: &str, count: i64) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> =
            [(Cow::Borrowed("count"), FluentValue::from(count))].into_iter().collect();
        LOCALES.try_lookup_with_args(self.language(), key, &args).unwrap_or_else(|| key.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::path::Path;

    fn keys_of(locale: &str) -> BTreeSet<String> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../locales").join(locale);
        let mut keys = BTreeSet::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for line in text.lines() {
                if let Some((key, _)) = line.split_once(" =")
                    && !key.is_empty()
                    && !key.starts_with([' ', '#', '.', '-'])
                {
                    assert!(keys.insert(key.to_owned()), "{locale}: {key} defined twice");
                }
            }
        }
        keys
    }

    #[test]
    fn every_key_exists_in_both_languages() {
        let it = keys_of("it");
        let en = keys_of("en");
        assert!(it.len() > 50, "too few keys: {}", it.len());
        let only_it: Vec<_> = it.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&it).collect();
        assert!(only_it.is_empty() && only_en.is_empty(), "only in it: {only_it:?}; only in en: {only_en:?}");
    }

    #[test]
    fn every_key_resolves_in_both_languages() {
        // Every variable any message uses, so that messages with arguments resolve too.
        let args: Vec<(&'static str, String)> = [
            "field",
            "email",
            "name",
            "role",
            "programme",
            "inviter",
            "link",
            "count",
            "code",
            "file",
            "reason",
            "line",
            "message",
            "value",
            "rows",
            "created",
            "updated",
            "page",
            "pages",
        ]
        .into_iter()
        .map(|name| (name, "x".to_owned()))
        .collect();
        for key in keys_of("it") {
            for locale in Locale::ALL {
                let text = Translator::new(locale).t_args(&key, &args);
                assert_ne!(text, key, "{key} does not resolve in {locale:?}");
            }
        }
    }

    #[test]
    fn plurals_follow_the_count() {
        let tr = Translator::new(Locale::It);
        assert_eq!(tr.t_count("audit-count", 1), "Una modifica trovata.");
        assert_eq!(tr.t_count("audit-count", 3), "3 modifiche trovate.");
    }

    #[test]
    fn arguments_are_substituted() {
        let text = Translator::new(Locale::En).t_args("flash-invitation-sent", &[("email", "a@b.it".into())]);
        assert!(text.contains("a@b.it"), "{text}");
    }
}
