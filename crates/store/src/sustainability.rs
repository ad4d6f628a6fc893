//! Sustainability plans (sostenibilità futura, issue 12, decision 0044): per network, a summary,
//! funding sources beyond the programme, commitments of member organisations after it, risks, the
//! growth spaces it will pursue, and its reviews at the reading-tool rounds; and the programme's
//! indicator `funded_plan_share`, the networks whose plan has a funding source obtained.
//!
//! Every change also stamps the plan's row, so that a network has a plan as soon as anything of it
//! is written.

use crate::audit::Change;
use crate::diary::programme_of;
use crate::reading::Round;
use crate::sql::{date_from_db, date_to_db};
use crate::{Actor, Db, Result, StoreError, Timestamp, Writer, new_id};
use reti_domain::input::sustainability::{
    CommitmentInput, GrowthInput, PlanInput, ReviewInput, RiskInput, SourceInput,
};
use reti_domain::reading::RoundKind;
use reti_domain::sustainability::{FundingKind, FundingStatus, Level};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

/// The code of the indicator [`Db::funded_plan_share`] computes.
pub const FUNDED_PLAN_SHARE: &str = "funded_plan_share";

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FundingSource {
    pub id: String,
    pub kind: FundingKind,
    pub amount_cents: Option<i64>,
    pub status: FundingStatus,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Commitment {
    pub id: String,
    pub organisation_id: String,
    pub organisation_name: String,
    pub commitment: String,
    pub until: Option<time::Date>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Risk {
    pub id: String,
    pub description: String,
    pub likelihood: Level,
    pub impact: Level,
    pub mitigation: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GrowthChoice {
    pub id: String,
    /// The organisation of a computed growth space; `None` for a free text.
    pub organisation_id: Option<String>,
    pub label: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Review {
    pub id: String,
    pub round_id: String,
    pub round_kind: RoundKind,
    pub round_opens_on: time::Date,
    pub reviewed_on: time::Date,
    pub reviewer_user_id: Option<String>,
    /// Empty when the reviewer's account is gone.
    pub reviewer_name: String,
    pub note: String,
}

/// Where a plan stands, for the programme's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    /// Nothing written yet.
    Missing,
    /// Written, without a funding source obtained.
    Draft,
    /// At least one funding source obtained.
    Funded,
}

impl PlanStatus {
    pub const ALL: [PlanStatus; 3] = [PlanStatus::Missing, PlanStatus::Draft, PlanStatus::Funded];

    pub fn code(self) -> &'static str {
        match self {
            PlanStatus::Missing => "missing",
            PlanStatus::Draft => "draft",
            PlanStatus::Funded => "funded",
        }
    }

    pub fn label_key(self) -> String {
        format!("sustain-plan-{}", self.code())
    }
}

/// A network's plan; an empty one when nothing was written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub network_id: String,
    pub summary: String,
    /// When anything of the plan last changed; `None` for a plan never written.
    pub updated_at: Option<String>,
    pub sources: Vec<FundingSource>,
    pub commitments: Vec<Commitment>,
    pub risks: Vec<Risk>,
    pub growth: Vec<GrowthChoice>,
    /// The earliest round first.
    pub reviews: Vec<Review>,
}

impl Plan {
    pub fn funded(&self) -> bool {
        self.sources.iter().any(|s| s.status == FundingStatus::Obtained)
    }

    pub fn status(&self) -> PlanStatus {
        if self.funded() {
            PlanStatus::Funded
        } else if self.updated_at.is_some() {
            PlanStatus::Draft
        } else {
            PlanStatus::Missing
        }
    }

    /// The review of the latest round.
    pub fn last_review(&self) -> Option<&Review> {
        self.reviews.last()
    }

    /// The latest of `rounds` that has opened by `today`, when the plan has no review at it: the
    /// plan is due for a review.
    pub fn review_due<'a>(&self, rounds: &'a [Round], today: time::Date) -> Option<&'a Round> {
        let latest = rounds.iter().filter(|r| r.opens_on <= today).max_by_key(|r| (r.opens_on, r.kind.code()))?;
        (!self.reviews.iter().any(|r| r.round_id == latest.id)).then_some(latest)
    }

    /// The total of the funding sources obtained, in cents.
    pub fn obtained_cents(&self) -> i64 {
        self.sources.iter().filter(|s| s.status == FundingStatus::Obtained).filter_map(|s| s.amount_cents).sum()
    }

    /// The item `id` of `section` as the audit log records it.
    fn item_value(&self, section: Section, id: &str) -> Option<serde_json::Value> {
        fn find<T: Serialize>(items: &[T], id: &str, id_of: fn(&T) -> &str) -> Option<serde_json::Value> {
            items.iter().find(|item| id_of(item) == id).and_then(|item| serde_json::to_value(item).ok())
        }
        match section {
            Section::Sources => find(&self.sources, id, |s| &s.id),
            Section::Commitments => find(&self.commitments, id, |c| &c.id),
            Section::Risks => find(&self.risks, id, |r| &r.id),
            Section::Growth => find(&self.growth, id, |g| &g.id),
            Section::Reviews => find(&self.reviews, id, |r| &r.id),
        }
    }
}

/// A list of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    Sources,
    Commitments,
    Risks,
    Growth,
    Reviews,
}

impl Section {
    pub const ALL: [Section; 5] =
        [Section::Sources, Section::Commitments, Section::Risks, Section::Growth, Section::Reviews];

    /// The section's name in paths (`/networks/{id}/sustainability/sources`).
    pub fn code(self) -> &'static str {
        match self {
            Section::Sources => "sources",
            Section::Commitments => "commitments",
            Section::Risks => "risks",
            Section::Growth => "growth",
            Section::Reviews => "reviews",
        }
    }

    pub fn parse(code: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|s| s.code() == code)
    }

    fn table(self) -> &'static str {
        match self {
            Section::Sources => "sustainability_sources",
            Section::Commitments => "sustainability_commitments",
            Section::Risks => "sustainability_risks",
            Section::Growth => "sustainability_growth",
            Section::Reviews => "sustainability_reviews",
        }
    }

    fn entity(self) -> &'static str {
        match self {
            Section::Sources => "sustainability_source",
            Section::Commitments => "sustainability_commitment",
            Section::Risks => "sustainability_risk",
            Section::Growth => "sustainability_growth",
            Section::Reviews => "sustainability_review",
        }
    }
}

/// One item of a plan, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanItem {
    Source(SourceInput),
    Commitment(CommitmentInput),
    Risk(RiskInput),
    Growth(GrowthInput),
}

impl PlanItem {
    pub fn section(&self) -> Section {
        match self {
            PlanItem::Source(_) => Section::Sources,
            PlanItem::Commitment(_) => Section::Commitments,
            PlanItem::Risk(_) => Section::Risks,
            PlanItem::Growth(_) => Section::Growth,
        }
    }

    fn audit_value(&self) -> serde_json::Value {
        match self {
            PlanItem::Source(s) => serde_json::json!({"kind": s.kind.code(), "amount_cents": s.amount_cents,
                "status": s.status.code(), "note": s.note}),
            PlanItem::Commitment(c) => serde_json::json!({"organisation_id": c.organisation_id,
                "commitment": c.commitment, "until": c.until.map(date_to_db)}),
            PlanItem::Risk(r) => serde_json::json!({"description": r.description, "likelihood": r.likelihood.code(),
                "impact": r.impact.code(), "mitigation": r.mitigation}),
            PlanItem::Growth(g) => {
                serde_json::json!({"organisation_id": g.organisation_id, "label": g.label, "note": g.note})
            }
        }
    }
}

/// One network's row of the programme's table of plans.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanRow {
    pub network_id: String,
    pub network_name: String,
    pub status: PlanStatus,
    pub funded: bool,
    pub sources: i64,
    /// The funding obtained, in cents.
    pub obtained_cents: i64,
    pub last_review_on: Option<time::Date>,
}

/// The indicator `funded_plan_share`: of `networks` (the programme's networks not archived),
/// `funded` have a plan with at least one funding source obtained; `rows` are the networks it
/// counts, by name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FundedPlanShare {
    pub funded: i64,
    pub networks: i64,
    pub rows: Vec<PlanRow>,
}

impl FundedPlanShare {
    /// The share as a fraction (0 to 1); `None` for a programme without networks.
    pub fn share(&self) -> Option<f64> {
        (self.networks > 0).then(|| self.funded as f64 / self.networks as f64)
    }
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} {value:?}"))
}

fn required_date(text: String) -> Result<time::Date> {
    date_from_db(Some(text.clone()))?.ok_or_else(|| corrupt("date", &text))
}

fn source_from_row(row: &AnyRow) -> Result<FundingSource> {
    let kind: String = row.try_get("kind")?;
    let status: String = row.try_get("status")?;
    Ok(FundingSource {
        id: row.try_get("id")?,
        kind: FundingKind::parse(&kind).map_err(|_| corrupt("funding kind", &kind))?,
        amount_cents: row.try_get("amount_cents")?,
        status: FundingStatus::parse(&status).map_err(|_| corrupt("funding status", &status))?,
        note: row.try_get("note")?,
    })
}

fn level(row: &AnyRow, column: &str) -> Result<Level> {
    let code: String = row.try_get(column)?;
    Level::parse(column, &code).map_err(|_| corrupt("risk level", &code))
}

fn review_from_row(row: &AnyRow) -> Result<Review> {
    let kind: String = row.try_get("round_kind")?;
    Ok(Review {
        id: row.try_get("id")?,
        round_id: row.try_get("round_id")?,
        round_kind: RoundKind::parse(&kind).map_err(|_| corrupt("round kind", &kind))?,
        round_opens_on: required_date(row.try_get("opens_on")?)?,
        reviewed_on: required_date(row.try_get("reviewed_on")?)?,
        reviewer_user_id: row.try_get("reviewer_user_id")?,
        reviewer_name: row.try_get::<Option<String>, _>("reviewer_name")?.unwrap_or_default(),
        note: row.try_get("note")?,
    })
}

/// Stamps the plan's row (creating it) with the time of a change.
async fn touch(w: &mut Writer<'_>, network_id: &str, now: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO sustainability_plans (network_id, summary, updated_at) VALUES ($1, '', $2)
         ON CONFLICT (network_id) DO UPDATE SET updated_at = excluded.updated_at",
    )
    .bind(network_id)
    .bind(now)
    .execute(&mut *w.tx)
    .await?;
    Ok(())
}

async fn insert_item(w: &mut Writer<'_>, network_id: &str, id: &str, item: &PlanItem, now: &str) -> Result<()> {
    let query = match item {
        PlanItem::Source(s) => sqlx::query(
            "INSERT INTO sustainability_sources (id, network_id, kind, amount_cents, status, note, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(network_id)
        .bind(s.kind.code())
        .bind(s.amount_cents)
        .bind(s.status.code())
        .bind(&s.note)
        .bind(now),
        PlanItem::Commitment(c) => sqlx::query(
            "INSERT INTO sustainability_commitments (id, network_id, organisation_id, commitment, until_on, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(network_id)
        .bind(&c.organisation_id)
        .bind(&c.commitment)
        .bind(c.until.map(date_to_db))
        .bind(now),
        PlanItem::Risk(r) => sqlx::query(
            "INSERT INTO sustainability_risks (id, network_id, description, likelihood, impact, mitigation, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(network_id)
        .bind(&r.description)
        .bind(r.likelihood.code())
        .bind(r.impact.code())
        .bind(&r.mitigation)
        .bind(now),
        PlanItem::Growth(g) => sqlx::query(
            "INSERT INTO sustainability_growth (id, network_id, organisation_id, label, note, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(network_id)
        .bind(&g.organisation_id)
        .bind(&g.label)
        .bind(&g.note)
        .bind(now),
    };
    query.execute(&mut *w.tx).await?;
    Ok(())
}

async fn update_item(w: &mut Writer<'_>, network_id: &str, id: &str, item: &PlanItem) -> Result<()> {
    let query = match item {
        PlanItem::Source(s) => sqlx::query(
            "UPDATE sustainability_sources SET kind = $1, amount_cents = $2, status = $3, note = $4
             WHERE id = $5 AND network_id = $6",
        )
        .bind(s.kind.code())
        .bind(s.amount_cents)
        .bind(s.status.code())
        .bind(&s.note),
        PlanItem::Commitment(c) => sqlx::query(
            "UPDATE sustainability_commitments SET organisation_id = $1, commitment = $2, until_on = $3
             WHERE id = $4 AND network_id = $5",
        )
        .bind(&c.organisation_id)
        .bind(&c.commitment)
        .bind(c.until.map(date_to_db)),
        PlanItem::Risk(r) => sqlx::query(
            "UPDATE sustainability_risks SET description = $1, likelihood = $2, impact = $3, mitigation = $4
             WHERE id = $5 AND network_id = $6",
        )
        .bind(&r.description)
        .bind(r.likelihood.code())
        .bind(r.impact.code())
        .bind(&r.mitigation),
        PlanItem::Growth(g) => sqlx::query(
            "UPDATE sustainability_growth SET organisation_id = $1, label = $2, note = $3
             WHERE id = $4 AND network_id = $5",
        )
        .bind(&g.organisation_id)
        .bind(&g.label)
        .bind(&g.note),
    };
    query.bind(id).bind(network_id).execute(&mut *w.tx).await?;
    Ok(())
}

impl Db {
    /// The plan of `network_id` (an empty plan when nothing was written).
    pub async fn sustainability_plan(&self, network_id: &str) -> Result<Plan> {
        let plan = sqlx::query("SELECT summary, updated_at FROM sustainability_plans WHERE network_id = $1")
            .bind(network_id)
            .fetch_optional(self.pool())
            .await?;
        let (summary, updated_at) = match plan {
            Some(row) => (row.try_get("summary")?, Some(row.try_get("updated_at")?)),
            None => (String::new(), None),
        };
        let sources = sqlx::query(
            "SELECT id, kind, amount_cents, status, note FROM sustainability_sources WHERE network_id = $1 ORDER BY created_at, id",
        )
        .bind(network_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(source_from_row)
        .collect::<Result<Vec<_>>>()?;
        let commitments = sqlx::query(
            "SELECT c.id, c.organisation_id, o.name AS organisation_name, c.commitment, c.until_on
             FROM sustainability_commitments c JOIN organisations o ON o.id = c.organisation_id
             WHERE c.network_id = $1 ORDER BY c.created_at, c.id",
        )
        .bind(network_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|row| {
            Ok(Commitment {
                id: row.try_get("id")?,
                organisation_id: row.try_get("organisation_id")?,
                organisation_name: row.try_get("organisation_name")?,
                commitment: row.try_get("commitment")?,
                until: date_from_db(row.try_get("until_on")?)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let risks = sqlx::query(
            "SELECT id, description, likelihood, impact, mitigation FROM sustainability_risks WHERE network_id = $1 ORDER BY created_at, id",
        )
        .bind(network_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|row| {
            Ok(Risk {
                id: row.try_get("id")?,
                description: row.try_get("description")?,
                likelihood: level(row, "likelihood")?,
                impact: level(row, "impact")?,
                mitigation: row.try_get("mitigation")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let growth = sqlx::query(
            "SELECT id, organisation_id, label, note FROM sustainability_growth WHERE network_id = $1 ORDER BY created_at, id",
        )
        .bind(network_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|row| {
            Ok(GrowthChoice {
                id: row.try_get("id")?,
                organisation_id: row.try_get("organisation_id")?,
                label: row.try_get("label")?,
                note: row.try_get("note")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let reviews = sqlx::query(
            "SELECT s.id, s.round_id, r.kind AS round_kind, r.opens_on, s.reviewed_on, s.reviewer_user_id,
                    u.name AS reviewer_name, s.note
             FROM sustainability_reviews s JOIN reading_rounds r ON r.id = s.round_id
             LEFT JOIN users u ON u.id = s.reviewer_user_id
             WHERE s.network_id = $1 ORDER BY r.opens_on, s.reviewed_on, s.id",
        )
        .bind(network_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(review_from_row)
        .collect::<Result<Vec<_>>>()?;
        Ok(Plan {
            network_id: network_id.to_owned(),
            summary,
            updated_at,
            sources,
            commitments,
            risks,
            growth,
            reviews,
        })
    }

    /// Changes the plan's summary.
    pub async fn save_plan_summary(&self, actor: &Actor, network_id: &str, summary: &str) -> Result<()> {
        let programme_id = programme_of(self, network_id).await?;
        let before = self.sustainability_plan(network_id).await?.summary;
        let now = Timestamp::now().to_db();
        self.write(actor, async |w| {
            sqlx::query(
                "INSERT INTO sustainability_plans (network_id, summary, updated_at) VALUES ($1, $2, $3)
                 ON CONFLICT (network_id) DO UPDATE SET summary = excluded.summary, updated_at = excluded.updated_at",
            )
            .bind(network_id)
            .bind(summary)
            .bind(&now)
            .execute(&mut *w.tx)
            .await?;
            w.audit(Change {
                action: "update",
                entity: "sustainability_plan",
                entity_id: Some(network_id),
                programme_id: Some(&programme_id),
                before: Some(serde_json::json!({"summary": before})),
                after: Some(serde_json::json!({"summary": summary})),
            })
            .await
        })
        .await
    }

    /// Adds an item to the plan; returns its id.
    pub async fn add_plan_item(&self, actor: &Actor, network_id: &str, item: &PlanItem) -> Result<String> {
        let programme_id = programme_of(self, network_id).await?;
        let id = new_id();
        let now = Timestamp::now().to_db();
        self.write(actor, async |w| {
            insert_item(w, network_id, &id, item, &now).await?;
            touch(w, network_id, &now).await?;
            w.audit(Change {
                action: "create",
                entity: item.section().entity(),
                entity_id: Some(&id),
                programme_id: Some(&programme_id),
                before: None,
                after: Some(item.audit_value()),
            })
            .await
        })
        .await?;
        Ok(id)
    }

    /// Changes the item `id` of the plan (an item of another network, or of another section, is
    /// not found).
    pub async fn update_plan_item(&self, actor: &Actor, network_id: &str, id: &str, item: &PlanItem) -> Result<()> {
        let programme_id = programme_of(self, network_id).await?;
        let plan = self.sustainability_plan(network_id).await?;
        let before = plan.item_value(item.section(), id).ok_or(StoreError::NotFound)?;
        let now = Timestamp::now().to_db();
        self.write(actor, async |w| {
            update_item(w, network_id, id, item).await?;
            touch(w, network_id, &now).await?;
            w.audit(Change {
                action: "update",
                entity: item.section().entity(),
                entity_id: Some(id),
                programme_id: Some(&programme_id),
                before: Some(before),
                after: Some(item.audit_value()),
            })
            .await
        })
        .await
    }

    /// Removes the item `id` of `section` from the plan (reviews included).
    pub async fn delete_plan_item(&self, actor: &Actor, network_id: &str, section: Section, id: &str) -> Result<()> {
        let programme_id = programme_of(self, network_id).await?;
        let plan = self.sustainability_plan(network_id).await?;
        let before = plan.item_value(section, id).ok_or(StoreError::NotFound)?;
        let now = Timestamp::now().to_db();
        self.write(actor, async |w| {
            sqlx::query(&format!("DELETE FROM {} WHERE id = $1 AND network_id = $2", section.table()))
                .bind(id)
                .bind(network_id)
                .execute(&mut *w.tx)
                .await?;
            touch(w, network_id, &now).await?;
            w.audit(Change {
                action: "delete",
                entity: section.entity(),
                entity_id: Some(id),
                programme_id: Some(&programme_id),
                before: Some(before),
                after: None,
            })
            .await
        })
        .await
    }

    /// Replaces the plan's summary and lists with `input` in one transaction (the reviews stay):
    /// what `PUT /api/v1/networks/{id}/sustainability` does. Items get new ids.
    pub async fn replace_plan(&self, actor: &Actor, network_id: &str, input: &PlanInput) -> Result<Plan> {
        let programme_id = programme_of(self, network_id).await?;
        let before = serde_json::to_value(self.sustainability_plan(network_id).await?).ok();
        let now = Timestamp::now().to_db();
        let items: Vec<PlanItem> = input
            .sources
            .iter()
            .cloned()
            .map(PlanItem::Source)
            .chain(input.commitments.iter().cloned().map(PlanItem::Commitment))
            .chain(input.risks.iter().cloned().map(PlanItem::Risk))
            .chain(input.growth.iter().cloned().map(PlanItem::Growth))
            .collect();
        self.write(actor, async |w| {
            for section in [Section::Sources, Section::Commitments, Section::Risks, Section::Growth] {
                sqlx::query(&format!("DELETE FROM {} WHERE network_id = $1", section.table()))
                    .bind(network_id)
                    .execute(&mut *w.tx)
                    .await?;
            }
            for item in &items {
                insert_item(w, network_id, &new_id(), item, &now).await?;
            }
            sqlx::query(
                "INSERT INTO sustainability_plans (network_id, summary, updated_at) VALUES ($1, $2, $3)
                 ON CONFLICT (network_id) DO UPDATE SET summary = excluded.summary, updated_at = excluded.updated_at",
            )
            .bind(network_id)
            .bind(&input.summary)
            .bind(&now)
            .execute(&mut *w.tx)
            .await?;
            let after = serde_json::json!({"summary": input.summary,
                "items": items.iter().map(|i| serde_json::json!({"section": i.section().code(), "item": i.audit_value()})).collect::<Vec<_>>()});
            w.audit(Change {
                action: "replace",
                entity: "sustainability_plan",
                entity_id: Some(network_id),
                programme_id: Some(&programme_id),
                before,
                after: Some(after),
            })
            .await
        })
        .await?;
        self.sustainability_plan(network_id).await
    }

    /// Records a review of the plan at a round, by `reviewer_user_id`. A second review at the
    /// same round is a conflict on `round_id`.
    pub async fn add_plan_review(
        &self,
        actor: &Actor,
        network_id: &str,
        reviewer_user_id: &str,
        input: &ReviewInput,
    ) -> Result<String> {
        let programme_id = programme_of(self, network_id).await?;
        let id = new_id();
        let now = Timestamp::now().to_db();
        self.write(actor, async |w| {
            sqlx::query(
                "INSERT INTO sustainability_reviews (id, network_id, round_id, reviewed_on, reviewer_user_id, note, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&id)
            .bind(network_id)
            .bind(&input.round_id)
            .bind(date_to_db(input.reviewed_on))
            .bind(reviewer_user_id)
            .bind(&input.note)
            .bind(&now)
            .execute(&mut *w.tx)
            .await
            .map_err(StoreError::unique_as("round_id"))?;
            touch(w, network_id, &now).await?;
            w.audit(Change {
                action: "create",
                entity: Section::Reviews.entity(),
                entity_id: Some(&id),
                programme_id: Some(&programme_id),
                before: None,
                after: Some(serde_json::json!({"round_id": input.round_id,
                    "reviewed_on": date_to_db(input.reviewed_on), "note": input.note})),
            })
            .await
        })
        .await?;
        Ok(id)
    }

    /// The indicator `funded_plan_share` of a programme, with the networks it counts.
    pub async fn funded_plan_share(&self, programme_id: &str) -> Result<FundedPlanShare> {
        let rows = sqlx::query(
            "SELECT n.id, n.name,
                    (SELECT COUNT(*) FROM sustainability_plans p WHERE p.network_id = n.id) AS plans,
                    (SELECT COUNT(*) FROM sustainability_sources s WHERE s.network_id = n.id) AS sources,
                    (SELECT COUNT(*) FROM sustainability_sources s WHERE s.network_id = n.id AND s.status = $2) AS obtained,
                    CAST((SELECT COALESCE(SUM(s.amount_cents), 0) FROM sustainability_sources s
                          WHERE s.network_id = n.id AND s.status = $2) AS BIGINT) AS obtained_cents,
                    (SELECT MAX(r.reviewed_on) FROM sustainability_reviews r WHERE r.network_id = n.id) AS last_review_on
             FROM networks n WHERE n.programme_id = $1 AND n.archived_at IS NULL ORDER BY n.name_folded, n.id",
        )
        .bind(programme_id)
        .bind(FundingStatus::Obtained.code())
        .fetch_all(self.pool())
        .await?;
        let rows = rows
            .iter()
            .map(|row| {
                let plans: i64 = row.try_get("plans")?;
                let obtained: i64 = row.try_get("obtained")?;
                let status = match (obtained > 0, plans > 0) {
                    (true, _) => PlanStatus::Funded,
                    (false, true) => PlanStatus::Draft,
                    (false, false) => PlanStatus::Missing,
                };
                Ok(PlanRow {
                    network_id: row.try_get("id")?,
                    network_name: row.try_get("name")?,
                    status,
                    funded: obtained > 0,
                    sources: row.try_get("sources")?,
                    obtained_cents: row.try_get("obtained_cents")?,
                    last_review_on: date_from_db(row.try_get("last_review_on")?)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let funded = rows.iter().filter(|r| r.funded).count() as i64;
        Ok(FundedPlanShare { funded, networks: rows.len() as i64, rows })
    }
}
