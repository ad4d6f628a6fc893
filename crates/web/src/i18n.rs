//! Translations (Fluent files under `locales/`) and the choice of language for a request:
//! a `?lang=` switch (for this session only), then the session's language (set from the saved
//! preference at login), then the saved preference, then `Accept-Language`, then Italian.

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{Loader, static_loader};
use reti_domain::Locale;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{LazyLock, PoisonError, RwLock};
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

/// The messages without arguments, per language (Italian, English), as Fluent resolved them the
/// first time: Fluent looks a message up and formats it anew on every call, and a page asks for a
/// hundred. The keys are the message ids of the locale files, so the table stays that small; a
/// missing key is not kept.
static RESOLVED: LazyLock<[ResolvedMessages; 2]> = LazyLock::new(Default::default);

type ResolvedMessages = RwLock<HashMap<Box<str>, Box<str>>>;

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
        let resolved = &RESOLVED[match self.locale {
            Locale::It => 0,
            Locale::En => 1,
        }];
        if let Some(text) = resolved.read().unwrap_or_else(PoisonError::into_inner).get(key) {
            return text.to_string();
        }
        match LOCALES.try_lookup(self.language(), key) {
            Some(text) => {
                resolved.write().unwrap_or_else(PoisonError::into_inner).insert(key.into(), text.as_str().into());
                text
            }
            None => key.to_owned(),
        }
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
            "limit",
            "part",
            "columns",
            "max_rows",
            "max_columns",
            "hours",
            "author",
            "process",
            "organisation",
            "network",
            "month",
            "registered",
            "capacity",
            "who",
            "at",
            "present",
            "minutes",
            "title",
            "intro",
            "when",
            "place",
            "action",
            "due",
            "item",
            "min",
            "max",
            "dimension",
            "date",
            "round",
            "opens",
            "closes",
            "networks",
            "group",
            "groups",
            "number",
            "grouping",
            "cost",
            "first_line",
            "column",
            "found",
            "source",
            "target",
            "free",
            "enrolled",
            "actor",
            "subject",
            "unread",
            "items",
            "resource",
            "relations",
            "from",
            "to",
            "before",
            "indicator",
            "joined",
            "period",
            "year",
            "position",
            "funded",
            "reviewer",
            "share",
            "pseudonym",
            "query",
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

    /// Every `.rs` under `crates/*/src` and every template, with its path.
    fn sources() -> Vec<(std::path::PathBuf, String)> {
        fn walk(dir: &Path, found: &mut Vec<(std::path::PathBuf, String)>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, found);
                } else if path.extension().is_some_and(|e| e == "rs" || e == "html") {
                    let mut text = std::fs::read_to_string(&path).unwrap();
                    // Unit tests may name keys that do not exist, to see them refused.
                    if let Some(tests) = text.find("#[cfg(test)]\nmod tests {") {
                        text.truncate(tests);
                    }
                    found.push((path, text));
                }
            }
        }
        let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut found = Vec::new();
        for krate in std::fs::read_dir(&crates).unwrap() {
            let krate = krate.unwrap().path();
            for dir in ["src", "templates"] {
                if krate.join(dir).is_dir() {
                    walk(&krate.join(dir), &mut found);
                }
            }
        }
        found
    }

    fn is_key(text: &str) -> bool {
        text.split('-').count() > 1
            && text
                .split('-')
                .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
    }

    /// The literal keys in `source`: the first argument of every translator call (`t("…")`,
    /// `t_args("…", …)`, `t_count("…", …)`, in code and templates), and every message code
    /// (`"error-…"`, `"flash-…"`), wherever it is written, since codes travel in `FieldError`s and
    /// flashes before a translator reads them.
    fn literal_keys(source: &str) -> Vec<String> {
        let mut keys = Vec::new();
        let mut push = |rest: &str| {
            if let Some((literal, _)) = rest.split_once('"')
                && is_key(literal)
            {
                keys.push(literal.to_owned());
            }
        };
        for call in ["t(\"", "t_args(\"", "t_count(\""] {
            for (at, _) in source.match_indices(call) {
                let before = source[..at].chars().next_back();
                if !before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    push(&source[at + call.len()..]);
                }
            }
        }
        for prefix in ["\"error-", "\"flash-"] {
            for (at, _) in source.match_indices(prefix) {
                push(&source[at + 1..]);
            }
        }
        // A field error's message names its field through `field-NAME` (see `error::field_message`).
        for call in ["FieldError::new(\"", ".push(\""] {
            for (at, _) in source.match_indices(call) {
                let rest = &source[at + call.len()..];
                if let Some((field, after)) = rest.split_once('"')
                    && (call.starts_with("FieldError") || after.starts_with(", \"error-"))
                    && !field.is_empty()
                    && field.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
                {
                    keys.push(format!("field-{}", field.replace('_', "-")));
                }
            }
        }
        keys
    }

    /// The keys code builds at run time (`format!("entity-{}", …)`, `label_key()`, the field of an
    /// import column), from the enums and lists they are built from.
    fn dynamic_keys() -> Vec<String> {
        use reti_domain::import::{MEMBERSHIP_COLUMNS, NETWORK_COLUMNS, ORGANISATION_COLUMNS, PERSON_COLUMNS};
        use reti_domain::{Maturity, MembershipRole, NetworkStatus, OrganisationKind, Role};
        use reti_store::registry::import::Entity;
        let mut keys: Vec<String> = Entity::ALL.iter().map(|e| format!("entity-{}", e.code())).collect();
        let columns = [ORGANISATION_COLUMNS, PERSON_COLUMNS, NETWORK_COLUMNS, MEMBERSHIP_COLUMNS];
        keys.extend(columns.iter().flat_map(|c| c.iter()).map(|c| format!("field-{}", c.field.replace('_', "-"))));
        keys.extend(OrganisationKind::ALL.iter().map(|v| v.label_key()));
        keys.extend(MembershipRole::ALL.iter().map(|v| v.label_key()));
        keys.extend(Maturity::ALL.iter().map(|v| v.label_key()));
        keys.extend(NetworkStatus::ALL.iter().map(|v| v.label_key()));
        keys.extend(Role::ALL.iter().map(|r| r.label_key().to_owned()));
        keys.extend(reti_domain::diary::DiaryKind::ALL.iter().map(|k| k.label_key()));
        keys.extend(reti_domain::matrix::Raci::ALL.iter().map(|r| r.label_key()));
        keys.extend(reti_domain::matrix::CellStatus::ALL.iter().map(|s| s.label_key()));
        keys.extend(reti_domain::actor_map::RelationKind::ALL.iter().map(|k| k.label_key()));
        keys.extend(
            [
                "objective_add",
                "objective_update",
                "objective_remove",
                "process_add",
                "process_update",
                "process_remove",
                "cell_update",
            ]
            .iter()
            .map(|action| format!("matrix-change-{}", action.replace('_', "-"))),
        );
        keys.extend(meeting_keys());
        keys.extend(reti_domain::reading::ItemKind::ALL.iter().map(|k| k.label_key()));
        keys.extend(reti_domain::reading::RoundKind::ALL.iter().map(|k| k.label_key()));
        keys.extend(reti_domain::labs::Enrolment::ALL.iter().map(|e| e.label_key()));
        keys.extend(reti_domain::labs::LabStatus::ALL.iter().map(|s| s.label_key()));
        keys.extend(reti_domain::sustainability::FundingKind::ALL.iter().map(|k| k.label_key()));
        keys.extend(reti_domain::sustainability::FundingStatus::ALL.iter().map(|s| s.label_key()));
        keys.extend(reti_domain::sustainability::Level::ALL.iter().map(|l| l.label_key()));
        keys.extend(reti_store::sustainability::PlanStatus::ALL.iter().map(|s| s.label_key()));
        keys.extend(reti_publish::Labels::KEYS.iter().map(|key| (*key).to_owned()));
        keys.extend(reti_domain::indicators::Unit::ALL.iter().map(|u| u.label_key()));
        keys.extend(reti_domain::custom_indicators::AmifIndicator::ALL.iter().map(|a| a.label_key()));
        keys.extend(Locale::ALL.iter().map(|l| format!("funder-report-language-{}", l.code())));
        keys
    }

    /// The meetings' keys built at run time: kinds, modes, statuses, months and weekdays.
    fn meeting_keys() -> Vec<String> {
        use reti_domain::meetings::{ActionStatus, MeetingKind, MeetingMode};
        let mut keys: Vec<String> = MeetingKind::ALL.iter().map(|k| k.label_key().to_owned()).collect();
        keys.extend(MeetingMode::ALL.iter().map(|m| m.label_key().to_owned()));
        keys.extend(ActionStatus::ALL.iter().map(|s| s.label_key().to_owned()));
        keys.extend((1..=12).map(|m| format!("month-{m}")));
        keys.extend((1..=7).map(|d| format!("weekday-{d}")));
        for status in ["registered", "waiting", "cancelled"] {
            keys.push(format!("registration-{status}"));
        }
        keys.extend(["registered", "waiting"].map(|s| format!("flash-registration-{s}")));
        keys.extend(["person", "organisation", "network"].map(|k| format!("invitee-{k}")));
        keys.extend(["action", "decision"].map(|k| format!("action-kind-{k}")));
        keys
    }

    #[test]
    fn every_key_used_in_code_and_templates_exists_in_both_languages() {
        let sources = sources();
        assert!(sources.iter().any(|(path, _)| path.ends_with("templates/base.html")), "templates were scanned");
        let mut used: Vec<(String, String)> = sources
            .iter()
            .flat_map(|(path, text)| literal_keys(text).into_iter().map(move |key| (key, path.display().to_string())))
            .collect();
        assert!(used.len() > 200, "too few keys found: {}", used.len());
        used.extend(dynamic_keys().into_iter().map(|key| (key, "an enum's label".to_owned())));
        for locale in ["it", "en"] {
            let defined = keys_of(locale);
            let missing: BTreeSet<_> = used.iter().filter(|(key, _)| !defined.contains(key)).collect();
            assert!(missing.is_empty(), "keys missing from locales/{locale}: {missing:#?}");
        }
    }

    #[test]
    fn keys_are_found_in_calls_and_codes_only() {
        let source = r#"page.t("nav-home") t_args("a-b", x) tr.t_count("c-d", 1) FieldError::new("x", "error-e")
            format("not-a-key") st("s-t") page.t(&format!("entity-{}", e)) "flash-f" "error-{}"
            errors.push("ends_on", "error-g") list.push("item")"#;
        assert_eq!(
            literal_keys(source),
            ["nav-home", "a-b", "c-d", "error-e", "error-g", "flash-f", "field-x", "field-ends-on"]
        );
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
