//! The registry's Fluent file does not redefine a key of the other files (fluent-templates refuses
//! a duplicate), and its error messages name their field. That every key the code produces has a
//! sentence in both languages is checked over all crates by the web crate's i18n tests.

use std::collections::BTreeSet;

const IT_REGISTRY: &str = include_str!("../../../locales/it/registry.ftl");
const EN_REGISTRY: &str = include_str!("../../../locales/en/registry.ftl");
const IT_OTHERS: [&str; 2] =
    [include_str!("../../../locales/it/main.ftl"), include_str!("../../../locales/it/layout.ftl")];
const EN_OTHERS: [&str; 2] =
    [include_str!("../../../locales/en/main.ftl"), include_str!("../../../locales/en/layout.ftl")];

fn keys(ftl: &str) -> Vec<&str> {
    ftl.lines()
        .filter(|line| line.starts_with(|c: char| c.is_ascii_lowercase()))
        .filter_map(|line| line.split_once(" =").map(|(key, _)| key.trim()))
        .collect()
}

#[test]
fn both_languages_have_the_same_registry_keys() {
    let it: BTreeSet<&str> = keys(IT_REGISTRY).into_iter().collect();
    let en: BTreeSet<&str> = keys(EN_REGISTRY).into_iter().collect();
    assert_eq!(it, en);
    assert_eq!(keys(IT_REGISTRY).len(), it.len(), "a key is repeated in it/registry.ftl");
}

#[test]
fn registry_keys_are_not_defined_elsewhere() {
    for (registry, others) in [(IT_REGISTRY, IT_OTHERS), (EN_REGISTRY, EN_OTHERS)] {
        let elsewhere: BTreeSet<&str> = others.iter().flat_map(|f| keys(f)).collect();
        for key in keys(registry) {
            assert!(!elsewhere.contains(key), "{key} is defined both in registry.ftl and another file");
        }
    }
}

#[test]
fn error_messages_name_the_field() {
    for registry in [IT_REGISTRY, EN_REGISTRY] {
        for line in registry.lines().filter(|l| l.starts_with("error-")) {
            assert!(line.contains("{ $field }"), "{line}");
        }
    }
}
