//! The demo's small groups (SPEC §3): one saved grouping of the demo programme's networks, as the
//! optimiser proposes it for groups of 2 to 4. A programme that has a grouping already is left as
//! it is, so a second run writes nothing.

use reti_domain::groups::{self, Bounds, Candidate};
use reti_store::groups::{GroupingInput, GroupingNetwork};
use reti_store::{Actor, Db, PageRequest};

pub async fn load(db: &Db, actor: &Actor, programme_id: &str) -> anyhow::Result<()> {
    if db.groupings(programme_id, PageRequest::new(None, Some(1))).await?.total > 0 {
        return Ok(());
    }
    let networks = db.grouping_networks(programme_id).await?;
    let candidates: Vec<Candidate> = networks.iter().map(GroupingNetwork::candidate).collect();
    let bounds = Bounds::new(2, 4)?;
    let Ok(proposal) = groups::propose(&candidates, bounds) else {
        // Fewer than two networks: nothing to group.
        return Ok(());
    };
    let groups = proposal.groups.iter().map(|g| g.iter().map(|&i| networks[i].id.clone()).collect()).collect();
    let input = GroupingInput { name: "Piccoli gruppi dell'Attività 1 — primo ciclo".into(), bounds, groups };
    db.save_grouping(actor, programme_id, &input).await?;
    Ok(())
}
