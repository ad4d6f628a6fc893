//! Custom indicators of a programme (decision 0046): their definitions, the values typed by hand
//! with the evidence's file (kept like a meeting's attachments, under
//! `attachments/<indicator id>/<value id>`), and their targets, which share `indicator_targets`
//! with the built-in indicators by code.

use crate::audit::Change;
use crate::sql::Conditions;
use crate::{Actor, Db, Result, StoreError, Timestamp, new_id};
use reti_domain::Locale;
use reti_domain::custom_indicators::{AmifIndicator, CustomIndicatorInput, Known, ManualValueInput};
use reti_domain::indicator_formula::{self, Expr};
use reti_domain::indicators::{Period, Unit};
use serde::Serialize;
use sqlx::Row;

/// A custom indicator as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomIndicator {
    pub id: String,
    pub programme_id: String,
    pub code: String,
    pub label_it: String,
    pub label_en: String,
    pub unit: Unit,
    /// The formula, `None` for values typed by hand.
    pub formula: Option<Expr>,
    pub evidence_required: bool,
    pub amif: Option<AmifIndicator>,
}

impl CustomIndicator {
    pub fn label(&self, locale: Locale) -> &str {
        match locale {
            Locale::It => &self.label_it,
            Locale::En => &self.label_en,
        }
    }

    /// What a formula needs to know of it.
    pub fn known(&self) -> Known {
        Known { code: self.code.clone(), formula: self.formula.clone() }
    }

    /// A figure as shown, with the unit's decimals.
    pub fn format(&self, value: f64) -> String {
        let decimals = self.unit.decimals();
        format!("{value:.decimals$}")
    }
}

/// The file attached to a value as its evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
}

/// A value typed by hand.
#[derive(Debug, Clone, PartialEq)]
pub struct ManualValue {
    pub id: String,
    pub indicator_id: String,
    /// `None` for the programme as a whole.
    pub network_id: Option<String>,
    pub network_name: String,
    pub period: Period,
    pub value: f64,
    pub note: String,
    pub evidence: Option<Evidence>,
    pub created_by: String,
    pub created_at: String,
}

/// The target of a custom indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomTarget {
    pub code: String,
    pub network_id: Option<String>,
    pub period: Period,
    pub value: f64,
}

/// The file of an evidence being recorded: its name, type, size, and how to put it in place
/// (given the value's id) or take it away again when the transaction fails.
pub struct EvidenceFile<F, D> {
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub store: F,
    pub discard: D,
}

const INDICATOR_COLUMNS: &str =
    "id, programme_id, code, label_it, label_en, unit, formula, evidence_required, amif FROM custom_indicators";

fn indicator_from_row(row: &sqlx::any::AnyRow) -> Result<CustomIndicator> {
    let code: String = row.try_get("code")?;
    let corrupt = |what: &str| StoreError::Corrupt(format!("custom indicator {code:?}: {what}"));
    let unit: String = row.try_get("unit")?;
    let formula: Option<String> = row.try_get("formula")?;
    let amif: Option<String> = row.try_get("amif")?;
    Ok(CustomIndicator {
        id: row.try_get("id")?,
        programme_id: row.try_get("programme_id")?,
        label_it: row.try_get("label_it")?,
        label_en: row.try_get("label_en")?,
        unit: Unit::parse("unit", &unit).map_err(|_| corrupt("unit"))?,
        formula: formula.map(|f| indicator_formula::parse(&f)).transpose().map_err(|_| corrupt("formula"))?,
        evidence_required: row.try_get::<i64, _>("evidence_required")? != 0,
        amif: amif.map(|a| AmifIndicator::parse("amif", &a)).transpose().map_err(|_| corrupt("amif"))?,
        code,
    })
}

fn value_from_row(row: &sqlx::any::AnyRow) -> Result<ManualValue> {
    let period: String = row.try_get("period")?;
    let evidence_name: Option<String> = row.try_get("evidence_name")?;
    let evidence = match evidence_name {
        Some(file_name) => Some(Evidence {
            file_name,
            content_type: row.try_get::<Option<String>, _>("evidence_type")?.unwrap_or_default(),
            size_bytes: row.try_get::<Option<i64>, _>("evidence_size")?.unwrap_or_default(),
        }),
        None => None,
    };
    Ok(ManualValue {
        id: row.try_get("id")?,
        indicator_id: row.try_get("indicator_id")?,
        network_id: row.try_get("network_id")?,
        network_name: row.try_get::<Option<String>, _>("network_name")?.unwrap_or_default(),
        period: Period::parse("period", &period).map_err(|_| StoreError::Corrupt(format!("period {period:?}")))?,
        value: row.try_get("value")?,
        note: row.try_get("note")?,
        evidence,
        created_by: row.try_get("created_by")?,
        created_at: row.try_get("created_at")?,
    })
}

impl Db {
    /// The custom indicators of a programme, by code.
    pub async fn custom_indicators(&self, programme_id: &str) -> Result<Vec<CustomIndicator>> {
        let sql = format!("SELECT {INDICATOR_COLUMNS} WHERE programme_id = $1 ORDER BY code");
        let rows = sqlx::query(&sql).bind(programme_id).fetch_all(self.pool()).await?;
        rows.iter().map(indicator_from_row).collect()
    }

    pub async fn custom_indicator(&self, programme_id: &str, code: &str) -> Result<Option<CustomIndicator>> {
        let sql = format!("SELECT {INDICATOR_COLUMNS} WHERE programme_id = $1 AND code = $2");
        let row = sqlx::query(&sql).bind(programme_id).bind(code).fetch_optional(self.pool()).await?;
        row.as_ref().map(indicator_from_row).transpose()
    }

    /// Records a custom indicator checked against the programme's others (see
    /// [`CustomIndicatorInput::parse`]); a code taken meanwhile is a conflict on `custom_code`.
    pub async fn create_custom_indicator(
        &self,
        actor: &Actor,
        programme_id: &str,
        input: &CustomIndicatorInput,
    ) -> Result<CustomIndicator> {
        let (formula, evidence_required) = input.definition.stored();
        let indicator = CustomIndicator {
            id: new_id(),
            programme_id: programme_id.to_owned(),
            code: input.code.clone(),
            label_it: input.label_it.clone(),
            label_en: input.label_en.clone(),
            unit: input.unit,
            formula,
            evidence_required,
            amif: input.amif,
        };
        let now = Timestamp::now().to_db();
        let formula_text = indicator.formula.as_ref().map(Expr::to_string);
        self.write(actor, async |w| {
            sqlx::query(
                "INSERT INTO custom_indicators (id, programme_id, code, label_it, label_en, unit, formula, evidence_required, amif, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
            )
            .bind(&indicator.id)
            .bind(programme_id)
            .bind(&indicator.code)
            .bind(&indicator.label_it)
            .bind(&indicator.label_en)
            .bind(indicator.unit.code())
            .bind(formula_text.as_deref())
            .bind(i64::from(indicator.evidence_required))
            .bind(indicator.amif.map(AmifIndicator::reference))
            .bind(&now)
            .execute(&mut *w.tx)
            .await
            .map_err(StoreError::unique_as("custom_code"))?;
            w.audit(Change {
                action: "create",
                entity: "custom_indicator",
                entity_id: Some(&indicator.id),
                programme_id: Some(programme_id),
                before: None,
                after: Some(audit_view(&indicator)),
            })
            .await
        })
        .await?;
        Ok(indicator)
    }

    /// Changes what a custom indicator says and how it is computed; its code, which formulas and
    /// targets name, stays.
    pub async fn update_custom_indicator(
        &self,
        actor: &Actor,
        indicator: &CustomIndicator,
        input: &CustomIndicatorInput,
    ) -> Result<CustomIndicator> {
        let (formula, evidence_required) = input.definition.stored();
        let updated = CustomIndicator {
            label_it: input.label_it.clone(),
            label_en: input.label_en.clone(),
            unit: input.unit,
            formula,
            evidence_required,
            amif: input.amif,
            ..indicator.clone()
        };
        let now = Timestamp::now().to_db();
        self.write(actor, async |w| {
            sqlx::query(
                "UPDATE custom_indicators SET label_it = $2, label_en = $3, unit = $4, formula = $5,
                     evidence_required = $6, amif = $7, updated_at = $8
                 WHERE id = $1",
            )
            .bind(&updated.id)
            .bind(&updated.label_it)
            .bind(&updated.label_en)
            .bind(updated.unit.code())
            .bind(updated.formula.as_ref().map(Expr::to_string))
            .bind(i64::from(updated.evidence_required))
            .bind(updated.amif.map(AmifIndicator::reference))
            .bind(&now)
            .execute(&mut *w.tx)
            .await?;
            w.audit(Change {
                action: "update",
                entity: "custom_indicator",
                entity_id: Some(&updated.id),
                programme_id: Some(&updated.programme_id),
                before: Some(audit_view(indicator)),
                after: Some(audit_view(&updated)),
            })
            .await
        })
        .await?;
        Ok(updated)
    }

    /// Deletes a custom indicator with its values and targets; the caller checks first that no
    /// other formula names it. Returns the ids of the values whose evidence files are to go.
    pub async fn delete_custom_indicator(&self, actor: &Actor, indicator: &CustomIndicator) -> Result<Vec<String>> {
        self.write(actor, async |w| {
            let with_evidence: Vec<String> = sqlx::query_scalar(
                "SELECT id FROM custom_indicator_values WHERE indicator_id = $1 AND evidence_name IS NOT NULL",
            )
            .bind(&indicator.id)
            .fetch_all(&mut *w.tx)
            .await?;
            sqlx::query("DELETE FROM custom_indicator_values WHERE indicator_id = $1")
                .bind(&indicator.id)
                .execute(&mut *w.tx)
                .await?;
            sqlx::query("DELETE FROM indicator_targets WHERE programme_id = $1 AND indicator = $2")
                .bind(&indicator.programme_id)
                .bind(&indicator.code)
                .execute(&mut *w.tx)
                .await?;
            let deleted = sqlx::query("DELETE FROM custom_indicators WHERE id = $1")
                .bind(&indicator.id)
                .execute(&mut *w.tx)
                .await?
                .rows_affected();
            if deleted == 0 {
                return Err(StoreError::NotFound);
            }
            w.audit(Change {
                action: "delete",
                entity: "custom_indicator",
                entity_id: Some(&indicator.id),
                programme_id: Some(&indicator.programme_id),
                before: Some(audit_view(indicator)),
                after: None,
            })
            .await?;
            Ok(with_evidence)
        })
        .await
    }

    /// The values typed for the programme's custom indicators: of one indicator or all, of one
    /// period or all; by indicator, period, then the programme's before the networks' by name.
    pub async fn custom_values(
        &self,
        programme_id: &str,
        indicator_id: Option<&str>,
        period: Option<Period>,
    ) -> Result<Vec<ManualValue>> {
        let mut c = Conditions::default();
        let programme = c.bind(programme_id);
        c.push(format!("ci.programme_id = {programme}"));
        if let Some(id) = indicator_id {
            let id = c.bind(id);
            c.push(format!("v.indicator_id = {id}"));
        }
        if let Some(period) = period {
            let period = c.bind(period.to_string());
            c.push(format!("v.period = {period}"));
        }
        let sql = format!(
            "SELECT v.id, v.indicator_id, v.network_id, n.name AS network_name, v.period, v.value, v.note,
                    v.evidence_name, v.evidence_type, v.evidence_size, v.created_by, v.created_at
             FROM custom_indicator_values v JOIN custom_indicators ci ON ci.id = v.indicator_id
             LEFT JOIN networks n ON n.id = v.network_id{}
             ORDER BY ci.code, v.period, v.scope_key <> '', n.name_folded, v.scope_key",
            c.where_clause()
        );
        c.query(&sql).fetch_all(self.pool()).await?.iter().map(value_from_row).collect()
    }

    /// Sets the value of a custom indicator typed by hand for the programme (`network_id` none) or
    /// one of its networks over a period, replacing the one there was; `evidence` puts its file in
    /// place inside the transaction and takes it away when anything fails after that.
    pub async fn set_custom_value<F, D>(
        &self,
        actor: &Actor,
        indicator: &CustomIndicator,
        network_id: Option<&str>,
        input: &ManualValueInput,
        evidence: Option<EvidenceFile<F, D>>,
    ) -> Result<String>
    where
        F: AsyncFnOnce(&str) -> std::io::Result<()>,
        D: AsyncFnOnce(&str),
    {
        if let Some(network_id) = network_id {
            self.check_network_of(&indicator.programme_id, network_id, "custom_network").await?;
        }
        let id = new_id();
        let now = Timestamp::now().to_db();
        let period = input.period.to_string();
        let scope_key = network_id.unwrap_or("");
        let (meta, store, discard) = match evidence {
            Some(EvidenceFile { file_name, content_type, size_bytes, store, discard }) => {
                (Some(Evidence { file_name, content_type, size_bytes }), Some(store), Some(discard))
            }
            None => (None, None, None),
        };
        let mut stored = false;
        let written = self
            .write(actor, async |w| {
                let before: Option<f64> = sqlx::query_scalar(
                    "SELECT value FROM custom_indicator_values WHERE indicator_id = $1 AND scope_key = $2 AND period = $3",
                )
                .bind(&indicator.id)
                .bind(scope_key)
                .bind(&period)
                .fetch_optional(&mut *w.tx)
                .await?;
                sqlx::query("DELETE FROM custom_indicator_values WHERE indicator_id = $1 AND scope_key = $2 AND period = $3")
                    .bind(&indicator.id)
                    .bind(scope_key)
                    .bind(&period)
                    .execute(&mut *w.tx)
                    .await?;
                sqlx::query(
                    "INSERT INTO custom_indicator_values (id, indicator_id, network_id, scope_key, period, value, note,
                        evidence_name, evidence_type, evidence_size, created_by, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                )
                .bind(&id)
                .bind(&indicator.id)
                .bind(network_id)
                .bind(scope_key)
                .bind(&period)
                .bind(input.value)
                .bind(&input.note)
                .bind(meta.as_ref().map(|e| e.file_name.clone()))
                .bind(meta.as_ref().map(|e| e.content_type.clone()))
                .bind(meta.as_ref().map(|e| e.size_bytes))
                .bind(&actor.label)
                .bind(&now)
                .execute(&mut *w.tx)
                .await?;
                let value = |v: f64| {
                    serde_json::json!({"code": indicator.code, "period": period, "network_id": network_id, "value": v})
                };
                let mut after = value(input.value);
                after["note"] = serde_json::json!(input.note);
                after["evidence"] = serde_json::to_value(&meta).expect("serialisable");
                w.audit(Change {
                    action: "set_value",
                    entity: "custom_indicator",
                    entity_id: Some(&indicator.id),
                    programme_id: Some(&indicator.programme_id),
                    before: before.map(value),
                    after: Some(after),
                })
                .await?;
                if let Some(store) = store {
                    store(&id).await.map_err(|e| StoreError::Corrupt(format!("evidence not stored: {e}")))?;
                    stored = true;
                }
                Ok::<_, StoreError>(())
            })
            .await;
        if let Err(error) = written {
            if stored && let Some(discard) = discard {
                discard(&id).await;
            }
            return Err(error);
        }
        Ok(id)
    }

    /// The targets of the programme's custom indicators, of one period or all.
    pub async fn custom_targets(&self, programme_id: &str, period: Option<Period>) -> Result<Vec<CustomTarget>> {
        let mut c = Conditions::default();
        let programme = c.bind(programme_id);
        c.push(format!("t.programme_id = {programme}"));
        if let Some(period) = period {
            let p = c.bind(period.to_string());
            c.push(format!("t.period = {p}"));
        }
        let sql = format!(
            "SELECT t.network_id, t.indicator, t.period, t.value FROM indicator_targets t
             JOIN custom_indicators ci ON ci.programme_id = t.programme_id AND ci.code = t.indicator{}
             ORDER BY t.period, t.indicator, t.scope_key",
            c.where_clause()
        );
        let rows = c.query(&sql).fetch_all(self.pool()).await?;
        rows.iter()
            .map(|row| {
                let period: String = row.try_get("period")?;
                Ok(CustomTarget {
                    code: row.try_get("indicator")?,
                    network_id: row.try_get("network_id")?,
                    period: Period::parse("period", &period)
                        .map_err(|_| StoreError::Corrupt(format!("period {period:?}")))?,
                    value: row.try_get("value")?,
                })
            })
            .collect()
    }

    /// Sets the target of a custom indicator, as [`Db::set_indicator_target`] does a built-in's.
    pub async fn set_custom_target(
        &self,
        actor: &Actor,
        indicator: &CustomIndicator,
        network_id: Option<&str>,
        period: Period,
        value: f64,
    ) -> Result<String> {
        self.set_target_of_code(actor, &indicator.programme_id, network_id, &indicator.code, period, value).await
    }

    /// A network that is not the programme's is an error on `field`.
    pub(crate) async fn check_network_of(&self, programme_id: &str, network_id: &str, field: &str) -> Result<()> {
        let programme: Option<String> = sqlx::query_scalar("SELECT programme_id FROM networks WHERE id = $1")
            .bind(network_id)
            .fetch_optional(self.pool())
            .await?;
        if programme.as_deref() == Some(programme_id) {
            Ok(())
        } else {
            Err(StoreError::Invalid(reti_domain::FieldError::new(field, "error-indicators-network-unknown").into()))
        }
    }
}

/// A custom indicator as the audit log records it.
fn audit_view(indicator: &CustomIndicator) -> serde_json::Value {
    serde_json::json!({
        "code": indicator.code, "label_it": indicator.label_it, "label_en": indicator.label_en,
        "unit": indicator.unit.code(), "formula": indicator.formula.as_ref().map(Expr::to_string),
        "evidence_required": indicator.evidence_required, "amif": indicator.amif.map(AmifIndicator::reference),
    })
}
