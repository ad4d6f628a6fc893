//! The demo's reading tools (SPEC §3): the default instrument "Potenziale generativo della rete"
//! published, a baseline round ten months ago answered by most member organisations, and a
//! mid-term round open today, answered by about half of them — so that results, agreement and the
//! change between rounds show. The first network (the one the demo's network accounts belong to)
//! has not answered the mid-term round yet: its organisations answer it in the browser test.
//!
//! Answers go through the same validation and write path as the answering page; they are derived
//! deterministically from the names, and an organisation that already answered a round is left as
//! it is, so a second run writes nothing.

use reti_domain::reading::{ItemKind, RoundInput, RoundKind, default_instrument, parse_answers};
use reti_store::reading::Round;
use reti_store::{Actor, Db};

fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

/// Loads the reading tools of the programme whose networks are `network_ids` (in the demo's order).
pub async fn load(db: &Db, actor: &Actor, programme_id: &str, network_ids: &[String]) -> anyhow::Result<()> {
    let instrument = default_instrument();
    let version_id = db.create_instrument(actor, programme_id, &instrument, true).await?;
    let today = reti_domain::meetings::today_in_rome();
    let days = time::Duration::days;
    let plan = [
        (RoundKind::Baseline, today - days(300), today - days(270)),
        (RoundKind::Midterm, today - days(10), today + days(30)),
    ];
    let mut rounds: Vec<Round> = db.reading_rounds(programme_id).await?;
    for (kind, opens_on, closes_on) in plan {
        if !rounds.iter().any(|r| r.kind == kind) {
            let input = RoundInput { kind, version_id: version_id.clone(), opens_on, closes_on };
            db.create_round(actor, programme_id, &input, &[]).await?;
        }
    }
    rounds = db.reading_rounds(programme_id).await?;
    let members = db.reading_members(programme_id).await?;
    for round in &rounds {
        let version = db
            .reading_version(&round.version_id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("demo round {} lost its version", round.id))?;
        let answered_on = round.opens_on + days(5);
        for (network_id, organisation_id) in &members {
            let Some(position) = network_ids.iter().position(|id| id == network_id) else { continue };
            let seed = fnv1a(&format!("{network_id}{organisation_id}{}", round.kind.code()));
            let answers = match round.kind {
                RoundKind::Baseline => !seed.is_multiple_of(6),
                _ => position != 0 && seed.is_multiple_of(2),
            };
            if !answers || db.reading_answer(&round.id, organisation_id).await?.is_some() {
                continue;
            }
            // A network's level, the same in every round, grows a little between rounds; each
            // organisation sees it a little differently.
            let level = 1.8
                + (fnv1a(network_id) % 20) as f64 / 10.0
                + if round.kind == RoundKind::Baseline { 0.0 } else { 0.5 };
            let mut pairs = Vec::new();
            for (d, dimension) in version.content.dimensions.iter().enumerate() {
                for (i, item) in dimension.items.iter().enumerate() {
                    let noise = (fnv1a(&format!("{seed}{d}{i}")) % 5) as f64 / 2.0 - 1.0;
                    let tilt = if d % 3 == position % 3 { -0.8 } else { 0.0 };
                    let point = (level + noise + tilt).clamp(1.0, 5.0);
                    let share = (point - 1.0) / 4.0;
                    let value = match item.kind {
                        ItemKind::Likert if item.reverse => format!("{}", (6.0 - point).round()),
                        ItemKind::Likert => format!("{}", point.round()),
                        ItemKind::Single => format!("{}", (share * (item.choices.len() - 1) as f64).round()),
                        ItemKind::Multiple => {
                            let chosen = ((share * item.choices.len() as f64).round() as usize).max(1);
                            for index in 0..chosen.min(item.choices.len()) {
                                pairs.push((item.key.clone(), index.to_string()));
                            }
                            continue;
                        }
                        ItemKind::Number => format!("{}", (item.min + share * (item.max - item.min) / 2.0).round()),
                        ItemKind::Text => continue,
                    };
                    pairs.push((item.key.clone(), value));
                }
            }
            let values = parse_answers(&version.content, &pairs, true)
                .map_err(|errors| anyhow::anyhow!("demo answers refused: {errors:?}"))?;
            db.save_answer(actor, round, network_id, organisation_id, &values, true, answered_on).await?;
        }
    }
    Ok(())
}
