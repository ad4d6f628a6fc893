//! The figures of a programme's custom indicators (decision 0046) for the dashboards, the API, the
//! exports and the CLI: each formula computed over the built-in figures of the same scope (a
//! network, or the total of the networks the caller sees) and the custom figures before it; each
//! value typed by hand read for its network, the total being the programme's own value for the
//! coordination's whole scope, else the sum of the networks' values.

use crate::i18n::Translator;
use reti_domain::custom_indicators::{self as custom, AmifIndicator};
use reti_domain::indicator_formula::FormulaError;
use reti_domain::indicators::{Indicator, Period};
use reti_store::Db;
use reti_store::custom_indicators::{CustomIndicator, CustomTarget, ManualValue};
use reti_store::indicators::{Figures, IndicatorScope};
use std::collections::BTreeMap;

/// One custom indicator's figures over a period.
#[derive(Debug, Clone)]
pub struct CustomFigures {
    pub indicator: CustomIndicator,
    pub period: Period,
    /// Every network of the scope; `None` where there is nothing to show (no value typed, an input
    /// without a figure, a division by zero).
    pub by_network: BTreeMap<String, Option<f64>>,
    pub total: Option<f64>,
    /// Why a formula could not be computed somewhere (such as a division by zero).
    pub problem: Option<FormulaError>,
}

impl CustomFigures {
    pub fn network(&self, network_id: &str) -> Option<f64> {
        self.by_network.get(network_id).copied().flatten()
    }

    /// The figure of a network, or the total.
    pub fn of(&self, network_id: Option<&str>) -> Option<f64> {
        match network_id {
            Some(id) => self.network(id),
            None => self.total,
        }
    }
}

/// The figures of the programme's custom indicators over `period`, in `scope` (whose networks are
/// `networks`), from the built-in `figures` of the same scope and period.
pub async fn figures(
    db: &Db,
    scope: &IndicatorScope,
    networks: &[(String, String)],
    builtins: &[Figures],
    period: Period,
) -> Result<Vec<CustomFigures>, reti_store::StoreError> {
    let indicators = db.custom_indicators(&scope.programme_id).await?;
    if indicators.is_empty() {
        return Ok(Vec::new());
    }
    let values = db.custom_values(&scope.programme_id, None, Some(period)).await?;
    Ok(compute(indicators, &values, scope.network_ids.is_none(), networks, builtins, period))
}

/// The figures from the definitions, the values typed for the period and the built-in figures;
/// `whole_programme` when the scope is every network (then a value typed for the programme is
/// its total).
pub fn compute(
    indicators: Vec<CustomIndicator>,
    values: &[ManualValue],
    whole_programme: bool,
    networks: &[(String, String)],
    builtins: &[Figures],
    period: Period,
) -> Vec<CustomFigures> {
    let known: Vec<custom::Known> = indicators.iter().map(CustomIndicator::known).collect();
    // Stored formulas were checked for cycles when saved; none is computed if that ever fails.
    let order = custom::evaluation_order(&known).unwrap_or_default();
    let mut scopes: Vec<Option<&str>> = networks.iter().map(|(id, _)| Some(id.as_str())).collect();
    scopes.push(None);
    // Computed figures by scope then code.
    let mut computed: Vec<BTreeMap<&str, Option<f64>>> = vec![BTreeMap::new(); scopes.len()];
    let mut problems: BTreeMap<&str, FormulaError> = BTreeMap::new();
    for &at in &order {
        let indicator = &indicators[at];
        for (slot, network) in scopes.iter().enumerate() {
            let figure = match &indicator.formula {
                None => manual_figure(indicator, values, *network, whole_programme, networks),
                Some(expr) => {
                    let done = &computed[slot];
                    let lookup = |code: &str| -> Option<Option<f64>> {
                        if let Some(f) = builtins.iter().find(|f| f.indicator.code() == code) {
                            return Some(match network {
                                Some(id) => f.network(id),
                                None => f.total,
                            });
                        }
                        done.get(code).copied()
                    };
                    match custom::evaluate(expr, lookup) {
                        Ok(value) => value,
                        Err(error) => {
                            problems.entry(indicator.code.as_str()).or_insert(error);
                            None
                        }
                    }
                }
            };
            computed[slot].insert(indicator.code.as_str(), figure);
        }
    }
    let mut all: Vec<CustomFigures> = indicators
        .iter()
        .map(|indicator| {
            let code = indicator.code.as_str();
            let by_network = networks
                .iter()
                .enumerate()
                .map(|(slot, (id, _))| (id.clone(), computed[slot].get(code).copied().flatten()))
                .collect();
            CustomFigures {
                indicator: indicator.clone(),
                period,
                by_network,
                total: computed[scopes.len() - 1].get(code).copied().flatten(),
                problem: problems.get(code).cloned(),
            }
        })
        .collect();
    all.sort_by(|a, b| a.indicator.code.cmp(&b.indicator.code));
    all
}

fn manual_figure(
    indicator: &CustomIndicator,
    values: &[ManualValue],
    network: Option<&str>,
    whole_programme: bool,
    networks: &[(String, String)],
) -> Option<f64> {
    let mine = values.iter().filter(|v| v.indicator_id == indicator.id);
    match network {
        Some(id) => mine.clone().find(|v| v.network_id.as_deref() == Some(id)).map(|v| v.value),
        None => {
            let own = mine.clone().find(|v| v.network_id.is_none()).filter(|_| whole_programme);
            if let Some(own) = own {
                return Some(own.value);
            }
            let typed: Vec<f64> = mine
                .filter(|v| v.network_id.as_ref().is_some_and(|n| networks.iter().any(|(id, _)| id == n)))
                .map(|v| v.value)
                .collect();
            (!typed.is_empty()).then(|| typed.iter().sum())
        }
    }
}

/// The target of a custom indicator for the programme (`network_id` none) or a network.
pub fn target_of(targets: &[CustomTarget], code: &str, network_id: Option<&str>, period: Period) -> Option<f64> {
    targets
        .iter()
        .find(|t| t.code == code && t.period == period && t.network_id.as_deref() == network_id)
        .map(|t| t.value)
}

/// Whether a custom figure meets its target (more is better, as for most built-ins): `met`,
/// `missed`, or empty without both.
pub fn target_status(value: Option<f64>, target: Option<f64>) -> &'static str {
    match (value, target) {
        (Some(v), Some(t)) if v >= t => "met",
        (Some(_), Some(_)) => "missed",
        _ => "",
    }
}

/// The page explaining a custom figure: its formula and inputs, or its values and evidence.
pub fn explain_url(programme_id: &str, code: &str, network_id: Option<&str>, period: Period) -> String {
    let mut url = format!("/programmes/{programme_id}/indicators/custom/{code}?period={period}");
    if let Some(network) = network_id {
        url.push_str(&format!("&network={network}"));
    }
    url
}

/// The AMIF common indicator an indicator reports, as shown: `O.2.3 — Partecipanti sostenuti`,
/// with the part of the figure that does when only part does.
pub fn amif_text(tr: &Translator, amif: AmifIndicator, part: Option<&str>) -> String {
    let name = tr.t(&amif.label_key());
    match part {
        Some(key) => tr.t_args(
            "custom-amif-part",
            &[("code", amif.reference().to_owned()), ("indicator", name), ("part", part_label(tr, key))],
        ),
        None => format!("{} — {name}", amif.reference()),
    }
}

fn part_label(tr: &Translator, key: &str) -> String {
    reti_domain::OrganisationKind::parse(key).map(|k| tr.t(&k.label_key())).unwrap_or_else(|_| key.to_owned())
}

/// The AMIF reference of a built-in indicator as shown, or empty.
pub fn builtin_amif_text(tr: &Translator, indicator: Indicator) -> String {
    custom::amif_of(indicator).map(|(amif, part)| amif_text(tr, amif, part)).unwrap_or_default()
}

/// The rows of an export for the custom figures: the total first, then each network.
pub fn export_rows(
    tr: &Translator,
    programme_id: &str,
    networks: &[(String, String)],
    figures: &[CustomFigures],
    targets: &[CustomTarget],
) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for f in figures {
        let indicator = &f.indicator;
        let label = indicator.label(tr.locale).to_owned();
        let amif = indicator.amif.map(|a| a.reference().to_owned()).unwrap_or_default();
        let plain = |v: Option<f64>| v.map(|v| indicator.format(v)).unwrap_or_default();
        let mut row = |network_id: Option<&str>, name: &str| {
            rows.push(vec![
                programme_id.to_owned(),
                network_id.unwrap_or("").to_owned(),
                name.to_owned(),
                indicator.code.clone(),
                label.clone(),
                f.period.to_string(),
                plain(f.of(network_id)),
                plain(target_of(targets, &indicator.code, network_id, f.period)),
                amif.clone(),
            ]);
        };
        row(None, "");
        for (id, name) in networks {
            row(Some(id), name);
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use reti_domain::custom_indicators::Known;
    use reti_domain::indicator_formula::parse;
    use reti_domain::indicators::Unit;

    fn indicator(code: &str, formula: Option<&str>) -> CustomIndicator {
        CustomIndicator {
            id: format!("id-{code}"),
            programme_id: "p".into(),
            code: code.into(),
            label_it: code.into(),
            label_en: code.into(),
            unit: Unit::Count,
            formula: formula.map(|f| parse(f).unwrap()),
            evidence_required: false,
            amif: None,
        }
    }

    fn value(code: &str, network: Option<&str>, v: f64) -> ManualValue {
        ManualValue {
            id: format!("v-{code}-{network:?}"),
            indicator_id: format!("id-{code}"),
            network_id: network.map(str::to_owned),
            network_name: String::new(),
            period: Period::Year(2026),
            value: v,
            note: String::new(),
            evidence: None,
            created_by: String::new(),
            created_at: String::new(),
        }
    }

    #[test]
    fn formulas_use_built_ins_and_custom_figures_of_the_same_scope() {
        let networks = vec![("a".to_owned(), "A".to_owned()), ("b".to_owned(), "B".to_owned())];
        let hours = Figures {
            indicator: Indicator::AccompanimentHours,
            period: Period::Year(2026),
            by_network: [("a".to_owned(), 10.0), ("b".to_owned(), 0.0)].into(),
            total: Some(10.0),
            breakdown: Vec::new(),
        };
        let indicators = vec![
            indicator("per_volunteer", Some("accompaniment_hours / volunteers")),
            indicator("volunteers", None),
            indicator("doubled", Some("per_volunteer * 2")),
        ];
        assert!(
            custom::evaluation_order(&indicators.iter().map(CustomIndicator::known).collect::<Vec<Known>>()).is_ok()
        );
        let values = [value("volunteers", Some("a"), 5.0), value("volunteers", Some("b"), 0.0)];
        let all = compute(indicators, &values, true, &networks, &[hours], Period::Year(2026));
        let get = |code: &str| all.iter().find(|f| f.indicator.code == code).unwrap();
        assert_eq!(get("volunteers").total, Some(5.0), "the networks' sum without a programme value");
        assert_eq!(get("per_volunteer").network("a"), Some(2.0));
        assert_eq!(get("per_volunteer").network("b"), None, "a division by zero shows nothing");
        assert_eq!(get("per_volunteer").problem, Some(FormulaError::DivisionByZero));
        assert_eq!(get("doubled").network("a"), Some(4.0));
        assert_eq!(get("doubled").total, Some(4.0));
    }
}
