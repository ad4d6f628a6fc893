//! The message keys this crate produces have a sentence in both languages, and the registry's
//! Fluent file does not redefine a key of the other files (fluent-templates refuses a duplicate).

use crate::columns::Column;
use crate::import::{DISTRICT_COLUMNS, MEMBERSHIP_COLUMNS, NETWORK_COLUMNS, ORGANISATION_COLUMNS, PERSON_COLUMNS};
use crate::{Maturity, MembershipRole, NetworkStatus, OrganisationKind};
use std::collections::BTreeSet;

const IT_REGISTRY: &str = include_str!("../../../locales/it/registry.ftl");
const EN_REGISTRY: &str = include_str!("../../../locales/en/registry.ftl");
const IT_OTHERS: [&str; 4] = [
    include_str!("../../../locales/it/main.ftl"),
    include_str!("../../../locales/it/layout.ftl"),
    include_str!("../../../locales/it/registry-ui.ftl"),
    include_str!("../../../locales/it/districts.ftl"),
];
const EN_OTHERS: [&str; 4] = [
    include_str!("../../../locales/en/main.ftl"),
    include_str!("../../../locales/en/layout.ftl"),
    include_str!("../../../locales/en/registry-ui.ftl"),
    include_str!("../../../locales/en/districts.ftl"),
];

/// Every message key the registry code can return.
const CODES: &[&str] = &[
    "error-required",
    "error-email-invalid",
    "error-name-invalid",
    "error-tax-code-format",
    "error-tax-code-check-digit",
    "error-date-invalid",
    "error-date-order",
    "error-duplicate-in-file",
    "error-column-missing",
    "error-too-long",
    "error-kind-invalid",
    "error-membership-role-invalid",
    "error-maturity-invalid",
    "error-network-status-invalid",
    "error-municipality-unknown",
    "error-municipality-ambiguous",
    "error-municipality-province",
    "error-district-name-differs",
];

fn keys(ftl: &str) -> Vec<&str> {
    ftl.lines()
        .filter(|line| line.starts_with(|c: char| c.is_ascii_lowercase()))
        .filter_map(|line| line.split_once(" =").map(|(key, _)| key.trim()))
        .collect()
}

fn vocabulary_keys() -> Vec<String> {
    let mut all: Vec<String> = OrganisationKind::ALL.iter().map(|v| v.label_key()).collect();
    all.extend(MembershipRole::ALL.iter().map(|v| v.label_key()));
    all.extend(Maturity::ALL.iter().map(|v| v.label_key()));
    all.extend(NetworkStatus::ALL.iter().map(|v| v.label_key()));
    all
}

fn field_keys() -> BTreeSet<String> {
    let lists: [&[Column]; 5] =
        [ORGANISATION_COLUMNS, PERSON_COLUMNS, NETWORK_COLUMNS, MEMBERSHIP_COLUMNS, DISTRICT_COLUMNS];
    lists.iter().flat_map(|l| l.iter()).map(|c| format!("field-{}", c.field.replace('_', "-"))).collect()
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
fn every_key_produced_has_a_message() {
    for (registry, others) in [(IT_REGISTRY, IT_OTHERS), (EN_REGISTRY, EN_OTHERS)] {
        let defined: BTreeSet<&str> = keys(registry).into_iter().chain(others.iter().flat_map(|f| keys(f))).collect();
        let wanted = CODES.iter().map(|c| (*c).to_owned()).chain(vocabulary_keys()).chain(field_keys());
        for key in wanted {
            assert!(defined.contains(key.as_str()), "no message for {key}");
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
