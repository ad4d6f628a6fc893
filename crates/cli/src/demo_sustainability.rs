//! The demo's sustainability plans (issue 12, decision 0044): the first three networks have a
//! plan — the first a funded one, reviewed at the baseline round and due for a review at the
//! mid-term round; the second funded by its municipality; the third still hoping for European
//! funds — so that the programme's table of plans shows every status but "not written".
//!
//! Plans go through the same validation and write path as the plan's page. A network whose plan
//! was written already is left as it is, so a second run writes nothing.

use reti_domain::Locale;
use reti_domain::input::sustainability::{
    CommitmentContext, CommitmentInput, CommitmentRaw, GrowthContext, GrowthInput, GrowthRaw, ReviewContext,
    ReviewInput, ReviewRaw, RiskInput, RiskRaw, SourceInput, SourceRaw,
};
use reti_domain::reading::RoundKind;
use reti_store::sustainability::PlanItem;
use reti_store::{Actor, Db};

/// (kind, amount in euro, status, note) of each demo network's funding sources.
type Source = (&'static str, &'static str, &'static str, &'static str);

const SUMMARIES: [&str; 3] = [
    "La rete vuole rendere stabile lo **sportello unico** per l'integrazione e il tavolo di coordinamento oltre la fine del programma, con fondi propri dei Comuni, una fondazione del territorio e l'impegno dei partner.",
    "Il Comune capofila ha inserito le azioni della rete nel Piano di zona: il tavolo continuerà con fondi comunali.",
    "La rete cerca fondi europei per continuare il lavoro con le scuole e le famiglie.",
];

const SOURCES: [&[Source]; 3] = [
    &[
        ("foundation", "25.000", "obtained", "Bando della fondazione di comunità, annualità 2027"),
        ("regional", "40.000", "requested", "Domanda sul nuovo avviso regionale AMIF"),
        ("self_funding", "", "hypothesis", "Quote dei partner per la sede del tavolo"),
    ],
    &[("municipal", "18.000", "obtained", "Piano di zona 2027-2029")],
    &[("european", "120.000", "requested", "Progetto Erasmus+ con due reti di altri Paesi")],
];

const COMMITMENTS: [&str; 2] =
    ["Mette a disposizione la sede e la segreteria del tavolo", "Garantisce la mediazione linguistica allo sportello"];

const RISKS: [(&str, &str, &str, &str); 2] = [
    (
        "Il finanziamento regionale non viene concesso",
        "medium",
        "high",
        "Ridurre le aperture dello sportello e chiedere un contributo ai Comuni",
    ),
    (
        "Il referente della rete cambia incarico",
        "low",
        "medium",
        "Affiancare un secondo referente già dal prossimo anno",
    ),
];

fn some(text: &str) -> Option<String> {
    Some(text.to_owned())
}

/// Loads the plans of the first networks of `network_ids` (in the demo's order).
pub async fn load(db: &Db, actor: &Actor, programme_id: &str, network_ids: &[String]) -> anyhow::Result<()> {
    let rounds = db.reading_rounds(programme_id).await?;
    for (index, network_id) in network_ids.iter().take(SUMMARIES.len()).enumerate() {
        if db.sustainability_plan(network_id).await?.updated_at.is_some() {
            continue;
        }
        let network =
            db.network(network_id).await?.ok_or_else(|| anyhow::anyhow!("demo network {network_id} vanished"))?;
        let invalid = |what: &str, errors: reti_domain::FieldErrors| anyhow::anyhow!("demo {what}: {errors:?}");
        db.save_plan_summary(actor, network_id, SUMMARIES[index]).await?;
        for (kind, amount, status, note) in SOURCES[index] {
            let raw =
                SourceRaw { kind: some(kind), sustain_amount: some(amount), status: some(status), note: some(note) };
            let input = SourceInput::parse(&raw).map_err(|e| invalid("funding source", e))?;
            db.add_plan_item(actor, network_id, &PlanItem::Source(input)).await?;
        }
        if index > 0 {
            let (description, likelihood, impact, mitigation) = RISKS[0];
            let raw = RiskRaw {
                description: some(description),
                sustain_likelihood: some(likelihood),
                sustain_impact: some(impact),
                sustain_mitigation: some(mitigation),
            };
            let input = RiskInput::parse(&raw).map_err(|e| invalid("risk", e))?;
            db.add_plan_item(actor, network_id, &PlanItem::Risk(input)).await?;
            continue;
        }
        let members: Vec<&str> = network.current_members().map(|m| m.organisation_id.as_str()).collect();
        let until = (reti_domain::meetings::today_in_rome() + time::Duration::days(730)).to_string();
        for (organisation_id, commitment) in members.iter().zip(COMMITMENTS) {
            let raw = CommitmentRaw {
                organisation_id: some(organisation_id),
                sustain_commitment: some(commitment),
                sustain_until: some(&until),
            };
            let input = CommitmentInput::parse(&raw, &CommitmentContext { members: &members })
                .map_err(|e| invalid("commitment", e))?;
            db.add_plan_item(actor, network_id, &PlanItem::Commitment(input)).await?;
        }
        for (description, likelihood, impact, mitigation) in RISKS {
            let raw = RiskRaw {
                description: some(description),
                sustain_likelihood: some(likelihood),
                sustain_impact: some(impact),
                sustain_mitigation: some(mitigation),
            };
            let input = RiskInput::parse(&raw).map_err(|e| invalid("risk", e))?;
            db.add_plan_item(actor, network_id, &PlanItem::Risk(input)).await?;
        }
        let territory = db.map_territory(network_id).await?;
        let spaces = db.map_growth_spaces(network_id, programme_id, &territory, Locale::It).await?;
        let spaces: Vec<(&str, &str)> = spaces.iter().map(|s| (s.organisation_id.as_str(), s.name.as_str())).collect();
        let mut growth = vec![GrowthRaw {
            sustain_growth_label: some("Coinvolgere le associazioni di migranti nel tavolo di coordinamento"),
            ..GrowthRaw::default()
        }];
        if let Some((id, _)) = spaces.first() {
            growth.insert(
                0,
                GrowthRaw {
                    organisation_id: some(id),
                    note: some("Primo contatto entro l'anno"),
                    ..GrowthRaw::default()
                },
            );
        }
        for raw in growth {
            let input =
                GrowthInput::parse(&raw, &GrowthContext { spaces: &spaces }).map_err(|e| invalid("growth", e))?;
            db.add_plan_item(actor, network_id, &PlanItem::Growth(input)).await?;
        }
        let facilitators = db.network_facilitators(network_id).await?;
        if let (Some(baseline), Some(reviewer)) =
            (rounds.iter().find(|r| r.kind == RoundKind::Baseline), facilitators.first())
        {
            let raw = ReviewRaw {
                round_id: some(&baseline.id),
                sustain_reviewed_on: some(&(baseline.closes_on).to_string()),
                note: some("Prima stesura del piano, discussa al tavolo di rete."),
            };
            let context = ReviewContext {
                rounds: &[(baseline.id.as_str(), baseline.opens_on)],
                reviewed: &[],
                today: reti_domain::meetings::today_in_rome(),
            };
            let input = ReviewInput::parse(&raw, &context).map_err(|e| invalid("review", e))?;
            db.add_plan_review(actor, network_id, reviewer, &input).await?;
        }
    }
    Ok(())
}
