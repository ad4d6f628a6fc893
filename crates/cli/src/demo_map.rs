//! The demo's actor maps (SPEC §4, §5; decision 0030): for every network, relations among its
//! members (the lead at the centre, formal agreements with the partners, collaborations and
//! exchanges among them) and with two or three context actors of its territory; and two snapshots,
//! one per reading round: the baseline freezes the map as it was, the mid-term one after the
//! relations the network built since (new ties, context actors drawn in), so that growth shows.
//!
//! Relations are derived deterministically from the ids; a network that already has snapshots is
//! left as it is, so a second run writes nothing.

use reti_domain::actor_map::{RelationInput, RelationKind};
use reti_store::{Actor, Db};
use std::collections::BTreeSet;

fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

const NOTES: [&str; 6] = [
    "Tavolo mensile sui casi complessi",
    "Invio reciproco delle famiglie allo sportello",
    "Sala messa a disposizione per i corsi serali",
    "Protocollo d'intesa sull'accoglienza degli alunni neoarrivati",
    "Newsletter condivisa e calendario comune degli eventi",
    "",
];

fn relation(a: &str, b: &str, kind: RelationKind, strength: u8, since: time::Date, note: &str) -> RelationInput {
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    RelationInput {
        organisation_a: a.to_owned(),
        organisation_b: b.to_owned(),
        kind,
        strength,
        since: Some(since),
        note: note.to_owned(),
    }
}

/// The relations of one network at the baseline and those added by the mid-term round.
fn plan(
    lead: &str,
    partners: &[String],
    context: &[String],
    baseline: time::Date,
) -> (Vec<RelationInput>, Vec<RelationInput>) {
    let before = baseline - time::Duration::days(400);
    let after = baseline + time::Duration::days(120);
    let mut first = Vec::new();
    let mut later = Vec::new();
    let mut seen = BTreeSet::new();
    let mut push = |list: &mut Vec<RelationInput>, r: RelationInput| {
        if r.organisation_a != r.organisation_b
            && seen.insert((r.organisation_a.clone(), r.organisation_b.clone(), r.kind))
        {
            list.push(r);
        }
    };
    for (i, partner) in partners.iter().enumerate() {
        let seed = fnv1a(&format!("{lead}{partner}"));
        let note = NOTES[(seed % NOTES.len() as u64) as usize];
        let kind = if i % 3 == 0 { RelationKind::FormalAgreement } else { RelationKind::Collaboration };
        let r = relation(lead, partner, kind, 2 + (seed % 2) as u8, before, note);
        // Most partners work with the lead from the start; a few join it later.
        if i % 5 == 4 { push(&mut later, r) } else { push(&mut first, r) }
    }
    for (i, a) in partners.iter().enumerate() {
        for b in partners.iter().skip(i + 1) {
            let seed = fnv1a(&format!("{a}{b}"));
            match seed % 7 {
                0 => push(&mut first, relation(a, b, RelationKind::InformationExchange, 1, before, "")),
                1 => push(&mut first, relation(a, b, RelationKind::ResourceSharing, 2, before, NOTES[2])),
                2 | 3 => push(&mut later, relation(a, b, RelationKind::Collaboration, 1 + (seed % 3) as u8, after, "")),
                _ => {}
            }
        }
    }
    for (i, actor) in context.iter().enumerate() {
        let partner = partners.get(i % partners.len().max(1)).map_or(lead, String::as_str);
        push(&mut first, relation(partner, actor, RelationKind::InformationExchange, 1, before, NOTES[4]));
        push(&mut later, relation(lead, actor, RelationKind::Collaboration, 2, after, NOTES[1]));
    }
    (first, later)
}

/// Loads the maps of `network_ids` (the demo's networks) and their snapshots, one per round of the
/// programme (the first two rounds by date).
pub async fn load(db: &Db, actor: &Actor, programme_id: &str, network_ids: &[String]) -> anyhow::Result<()> {
    let mut rounds = db.reading_rounds(programme_id).await?;
    rounds.sort_by_key(|r| r.opens_on);
    let [baseline, midterm, ..] = rounds.as_slice() else {
        anyhow::bail!("demo maps: the programme needs two reading rounds");
    };
    for network_id in network_ids {
        if !db.map_snapshots(network_id).await?.is_empty() {
            continue;
        }
        let network =
            db.network(network_id).await?.ok_or_else(|| anyhow::anyhow!("demo maps: network {network_id} is gone"))?;
        let members: Vec<&reti_store::registry::networks::Membership> = network.current_members().collect();
        let Some(lead) = network.lead().or_else(|| members.first().copied()) else { continue };
        let partners: Vec<String> = members
            .iter()
            .filter(|m| m.organisation_id != lead.organisation_id)
            .map(|m| m.organisation_id.clone())
            .collect();
        let territory = db.map_territory(network_id).await?;
        let context: Vec<String> = territory
            .iter()
            .filter(|c| !c.resources.is_empty())
            .take(2 + (fnv1a(network_id) % 2) as usize)
            .map(|c| c.organisation_id.clone())
            .collect();
        let (first, later) = plan(&lead.organisation_id, &partners, &context, baseline.opens_on);
        db.map_import_relations(actor, network_id, &first, "demo").await?;
        let data = reti_web::actor_map::snapshot_data(&db.actor_map(network_id).await?);
        db.map_save_snapshot(actor, network_id, &baseline.id, &data).await?;
        db.map_import_relations(actor, network_id, &later, "demo").await?;
        let data = reti_web::actor_map::snapshot_data(&db.actor_map(network_id).await?);
        db.map_save_snapshot(actor, network_id, &midterm.id, &data).await?;
    }
    Ok(())
}
