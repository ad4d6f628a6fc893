//! The actor map of a network (SPEC §4, §5; decision 0030): its organisations (current members,
//! context actors added to the map, and whoever a relation names), the relations between them, the
//! snapshots that freeze it per reading round, and the data its growth spaces are ranked from.
//!
//! Every change is audited on the entity it touches (`map_actor`, `map_relation`,
//! `map_snapshot`) with the network's programme. The metrics of a snapshot are computed by the
//! caller (the `graph` crate lives at the web's edge) and stored as given.

use crate::audit::Change;
use crate::diary::programme_of;
use crate::sql::{Conditions, date_from_db, date_to_db};
use crate::{Actor, Db, Result, StoreError, Timestamp, Writer, new_id};
use reti_domain::actor_map::{
    Candidate, GrowthSpace, Need, RelationInput, RelationKind, SnapshotData, growth_spaces, weakest_dimensions,
};
use reti_domain::matrix::Raci;
use reti_domain::reading::RoundKind;
use reti_domain::{FieldError, Locale, OrganisationKind};
use serde::Serialize;
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet};

/// An organisation on a network's map.
#[derive(Debug, Clone, Serialize)]
pub struct MapOrganisation {
    pub id: String,
    pub name: String,
    pub kind: OrganisationKind,
    /// A current member (else a context actor).
    pub member: bool,
    /// Added to the map by hand (a context actor that may be taken off it).
    pub context_actor: bool,
    /// Its resources and competences (registry tags).
    pub resources: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Relation {
    pub id: String,
    pub organisation_a: String,
    pub name_a: String,
    pub organisation_b: String,
    pub name_b: String,
    pub kind: RelationKind,
    pub strength: u8,
    pub since: Option<time::Date>,
    pub note: String,
}

/// A network's map: its organisations by name, its relations by the names of their pair.
#[derive(Debug, Clone, Serialize)]
pub struct ActorMap {
    pub network_id: String,
    pub organisations: Vec<MapOrganisation>,
    pub relations: Vec<Relation>,
}

impl ActorMap {
    pub fn organisation(&self, id: &str) -> Option<&MapOrganisation> {
        self.organisations.iter().find(|o| o.id == id)
    }

    pub fn relation(&self, id: &str) -> Option<&Relation> {
        self.relations.iter().find(|r| r.id == id)
    }
}

/// A snapshot as listed.
#[derive(Debug, Clone, Serialize)]
pub struct SnapshotSummary {
    pub id: String,
    pub round_id: String,
    pub round_kind: RoundKind,
    pub round_opens_on: time::Date,
    pub taken_at: String,
    pub density: f64,
    pub components: i64,
    pub relations: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Snapshot {
    pub summary: SnapshotSummary,
    pub data: SnapshotData,
}

/// How an import of relations went: how many were added and how many updated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RelationsImported {
    pub created: usize,
    pub updated: usize,
}

fn relation_from_row(row: &sqlx::any::AnyRow) -> Result<Relation> {
    let kind: String = row.try_get("kind")?;
    let strength: i64 = row.try_get("strength")?;
    Ok(Relation {
        id: row.try_get("id")?,
        organisation_a: row.try_get("organisation_a")?,
        name_a: row.try_get("name_a")?,
        organisation_b: row.try_get("organisation_b")?,
        name_b: row.try_get("name_b")?,
        kind: RelationKind::parse(&kind, "kind").map_err(|_| StoreError::Corrupt(format!("relation kind {kind:?}")))?,
        strength: u8::try_from(strength).map_err(|_| StoreError::Corrupt(format!("strength {strength}")))?,
        since: date_from_db(row.try_get("since")?)?,
        note: row.try_get("note")?,
    })
}

fn summary_from_row(row: &sqlx::any::AnyRow) -> Result<SnapshotSummary> {
    let kind: String = row.try_get("kind")?;
    Ok(SnapshotSummary {
        id: row.try_get("id")?,
        round_id: row.try_get("round_id")?,
        round_kind: RoundKind::parse(&kind).map_err(|_| StoreError::Corrupt(format!("round kind {kind:?}")))?,
        round_opens_on: date_from_db(Some(row.try_get("opens_on")?))?.unwrap_or(time::Date::MIN),
        taken_at: row.try_get("taken_at")?,
        density: row.try_get("density")?,
        components: row.try_get("components")?,
        relations: row.try_get("relations")?,
    })
}

fn organisation_kind(code: String) -> Result<OrganisationKind> {
    OrganisationKind::parse(&code).map_err(|_| StoreError::Corrupt(format!("kind {code:?}")))
}

fn tags_of(row: &sqlx::any::AnyRow) -> Result<Vec<String>> {
    let json: String = row.try_get("tags")?;
    let rows: Vec<(String,)> = serde_json::from_str(&json).map_err(|e| StoreError::Corrupt(format!("tags: {e}")))?;
    Ok(rows.into_iter().map(|(tag,)| tag).collect())
}

const SNAPSHOT_SQL: &str =
    "SELECT s.id, s.round_id, r.kind, r.opens_on, s.taken_at, s.density, s.components, s.relations, s.data_json
     FROM map_snapshots s JOIN reading_rounds r ON r.id = s.round_id";

/// The map's members: `$1` is the network.
const MEMBERS: &str = "SELECT organisation_id FROM memberships WHERE network_id = $1 AND left_on IS NULL";

impl Db {
    /// A network's map, in two statements.
    pub async fn actor_map(&self, network_id: &str) -> Result<ActorMap> {
        let tags = self.engine().json_rows(
            "t.tag",
            "t.tag_folded, t.tag",
            "FROM organisation_tags t WHERE t.organisation_id = o.id",
        );
        let sql = format!(
            "SELECT o.id, o.name, o.kind,
                (SELECT COUNT(*) FROM memberships m WHERE m.network_id = $1 AND m.organisation_id = o.id
                    AND m.left_on IS NULL) AS member,
                (SELECT COUNT(*) FROM map_actors x WHERE x.network_id = $1 AND x.organisation_id = o.id) AS actor,
                {tags} AS tags
             FROM organisations o
             WHERE o.id IN ({MEMBERS})
                OR o.id IN (SELECT organisation_id FROM map_actors WHERE network_id = $1)
                OR o.id IN (SELECT organisation_a FROM map_relations WHERE network_id = $1)
                OR o.id IN (SELECT organisation_b FROM map_relations WHERE network_id = $1)
             ORDER BY o.name_folded, o.id"
        );
        let organisations = sqlx::query(&sql)
            .bind(network_id)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|row| {
                Ok(MapOrganisation {
                    id: row.try_get("id")?,
                    name: row.try_get("name")?,
                    kind: organisation_kind(row.try_get("kind")?)?,
                    member: row.try_get::<i64, _>("member")? > 0,
                    context_actor: row.try_get::<i64, _>("actor")? > 0,
                    resources: tags_of(row)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let relations = sqlx::query(
            "SELECT r.id, r.organisation_a, a.name AS name_a, r.organisation_b, b.name AS name_b, r.kind, r.strength,
                r.since, r.note
             FROM map_relations r JOIN organisations a ON a.id = r.organisation_a
             JOIN organisations b ON b.id = r.organisation_b
             WHERE r.network_id = $1 ORDER BY a.name_folded, b.name_folded, r.kind, r.id",
        )
        .bind(network_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(relation_from_row)
        .collect::<Result<Vec<_>>>()?;
        Ok(ActorMap { network_id: network_id.to_owned(), organisations, relations })
    }

    /// Which of `ids` a relation may name: organisations that exist and are not archived.
    pub async fn map_existing_organisations(&self, ids: &[&str]) -> Result<BTreeSet<String>> {
        if ids.is_empty() {
            return Ok(BTreeSet::new());
        }
        let mut conditions = Conditions::default();
        let list = conditions.bind_all(ids.iter().copied());
        conditions.push(format!("id IN ({list})"));
        conditions.push("archived_at IS NULL".to_owned());
        let sql = format!("SELECT id FROM organisations{}", conditions.where_clause());
        let found: Vec<String> = conditions.query_scalar(&sql).fetch_all(self.pool()).await?;
        Ok(found.into_iter().collect())
    }

    /// The ids of the organisations with these tax codes (not archived), by tax code.
    pub async fn map_organisations_by_tax_code(&self, tax_codes: &[String]) -> Result<BTreeMap<String, String>> {
        let mut found = BTreeMap::new();
        for chunk in tax_codes.chunks(1000) {
            let mut conditions = Conditions::default();
            let list = conditions.bind_all(chunk.iter().cloned());
            conditions.push(format!("tax_code IN ({list})"));
            conditions.push("archived_at IS NULL".to_owned());
            let sql = format!("SELECT tax_code, id FROM organisations{}", conditions.where_clause());
            for row in conditions.query(&sql).fetch_all(self.pool()).await? {
                found.insert(row.try_get("tax_code")?, row.try_get("id")?);
            }
        }
        Ok(found)
    }

    /// The tax codes of the organisations on the network's map, by id (for the export).
    pub async fn map_tax_codes(&self, network_id: &str) -> Result<BTreeMap<String, String>> {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT id, tax_code FROM organisations WHERE id IN (SELECT organisation_a FROM map_relations WHERE network_id = $1)
                OR id IN (SELECT organisation_b FROM map_relations WHERE network_id = $1)",
        )
        .bind(network_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().collect())
    }

    /// The organisations of the network's territory (its municipalities) that are not archived
    /// and not current members, with their resources.
    pub async fn map_territory(&self, network_id: &str) -> Result<Vec<Candidate>> {
        let tags = self.engine().json_rows(
            "t.tag",
            "t.tag_folded, t.tag",
            "FROM organisation_tags t WHERE t.organisation_id = o.id",
        );
        let sql = format!(
            "SELECT o.id, o.name, {tags} AS tags FROM organisations o
             WHERE o.archived_at IS NULL
               AND o.municipality_code IN (SELECT istat_code FROM network_municipalities WHERE network_id = $1)
               AND o.id NOT IN ({MEMBERS})
             ORDER BY o.name_folded, o.id"
        );
        sqlx::query(&sql)
            .bind(network_id)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|row| {
                Ok(Candidate {
                    organisation_id: row.try_get("id")?,
                    name: row.try_get("name")?,
                    resources: tags_of(row)?,
                })
            })
            .collect()
    }

    /// Adds an organisation of the registry to the map as a context actor. An unknown or archived
    /// organisation is a field error; one already on the map (member or actor) a conflict.
    pub async fn map_add_actor(&self, actor: &Actor, network_id: &str, organisation_id: &str) -> Result<()> {
        let programme_id = programme_of(self, network_id).await?;
        self.write(actor, async |w| {
            let name: Option<String> =
                sqlx::query_scalar("SELECT name FROM organisations WHERE id = $1 AND archived_at IS NULL")
                    .bind(organisation_id)
                    .fetch_optional(&mut *w.tx)
                    .await?;
            let Some(name) = name else {
                return Err(StoreError::Invalid(
                    FieldError::new("organisation_id", "error-map-organisation-unknown").into(),
                ));
            };
            if on_map(w, network_id, organisation_id).await? {
                return Err(StoreError::Conflict { field: "organisation_id" });
            }
            insert_actor(w, network_id, organisation_id).await?;
            audit(
                w,
                "map_actor_add",
                "map_actor",
                network_id,
                &programme_id,
                None,
                Some(serde_json::json!({"organisation": name})),
            )
            .await
        })
        .await
    }

    /// Takes a context actor off the map, with its relations in this network.
    pub async fn map_remove_actor(&self, actor: &Actor, network_id: &str, organisation_id: &str) -> Result<()> {
        let programme_id = programme_of(self, network_id).await?;
        self.write(actor, async |w| {
            let removed = sqlx::query("DELETE FROM map_actors WHERE network_id = $1 AND organisation_id = $2")
                .bind(network_id)
                .bind(organisation_id)
                .execute(&mut *w.tx)
                .await?
                .rows_affected();
            if removed == 0 {
                return Err(StoreError::NotFound);
            }
            let relations = sqlx::query(
                "DELETE FROM map_relations WHERE network_id = $1 AND (organisation_a = $2 OR organisation_b = $2)",
            )
            .bind(network_id)
            .bind(organisation_id)
            .execute(&mut *w.tx)
            .await?
            .rows_affected();
            let before = serde_json::json!({"organisation_id": organisation_id, "relations": relations});
            audit(w, "map_actor_remove", "map_actor", network_id, &programme_id, Some(before), None).await
        })
        .await
    }

    /// Adds a relation; an organisation not yet on the map joins it as a context actor. The same
    /// kind of relation between the same pair twice is a conflict on `kind`.
    pub async fn map_add_relation(&self, actor: &Actor, network_id: &str, input: &RelationInput) -> Result<String> {
        let programme_id = programme_of(self, network_id).await?;
        self.write(actor, async |w| {
            let id = insert_relation(w, network_id, input).await?;
            audit(w, "map_relation_add", "map_relation", &id, &programme_id, None, Some(relation_json(input))).await?;
            Ok(id)
        })
        .await
    }

    pub async fn map_update_relation(
        &self,
        actor: &Actor,
        network_id: &str,
        id: &str,
        input: &RelationInput,
    ) -> Result<()> {
        let programme_id = programme_of(self, network_id).await?;
        let map = self.actor_map(network_id).await?;
        let before = map.relation(id).ok_or(StoreError::NotFound)?;
        let before = serde_json::json!({"organisation_a": before.organisation_a, "organisation_b": before.organisation_b,
            "kind": before.kind.code(), "strength": before.strength, "since": before.since.map(date_to_db), "note": before.note});
        self.write(actor, async |w| {
            for organisation_id in [&input.organisation_a, &input.organisation_b] {
                if !on_map(w, network_id, organisation_id).await? {
                    insert_actor(w, network_id, organisation_id).await?;
                }
            }
            sqlx::query(
                "UPDATE map_relations SET organisation_a = $1, organisation_b = $2, kind = $3, strength = $4, since = $5,
                    note = $6, updated_at = $7 WHERE id = $8 AND network_id = $9",
            )
            .bind(&input.organisation_a)
            .bind(&input.organisation_b)
            .bind(input.kind.code())
            .bind(i64::from(input.strength))
            .bind(input.since.map(date_to_db))
            .bind(&input.note)
            .bind(Timestamp::now().to_db())
            .bind(id)
            .bind(network_id)
            .execute(&mut *w.tx)
            .await
            .map_err(relation_error)?;
            audit(w, "map_relation_update", "map_relation", id, &programme_id, Some(before), Some(relation_json(input)))
                .await
        })
        .await
    }

    pub async fn map_delete_relation(&self, actor: &Actor, network_id: &str, id: &str) -> Result<()> {
        let programme_id = programme_of(self, network_id).await?;
        let map = self.actor_map(network_id).await?;
        let before = map.relation(id).ok_or(StoreError::NotFound)?;
        let before = serde_json::json!({"organisation_a": before.name_a, "organisation_b": before.name_b,
            "kind": before.kind.code(), "strength": before.strength});
        self.write(actor, async |w| {
            sqlx::query("DELETE FROM map_relations WHERE id = $1 AND network_id = $2")
                .bind(id)
                .bind(network_id)
                .execute(&mut *w.tx)
                .await?;
            audit(w, "map_relation_remove", "map_relation", id, &programme_id, Some(before), None).await
        })
        .await
    }

    /// Imports relations all or nothing: a pair and kind already on the map is updated (strength,
    /// since, note), any other added. One audit entry for the whole file.
    pub async fn map_import_relations(
        &self,
        actor: &Actor,
        network_id: &str,
        inputs: &[RelationInput],
        filename: &str,
    ) -> Result<RelationsImported> {
        let programme_id = programme_of(self, network_id).await?;
        self.write(actor, async |w| {
            let mut outcome = RelationsImported::default();
            for input in inputs {
                let updated = sqlx::query(
                    "UPDATE map_relations SET strength = $1, since = $2, note = $3, updated_at = $4
                     WHERE network_id = $5 AND organisation_a = $6 AND organisation_b = $7 AND kind = $8",
                )
                .bind(i64::from(input.strength))
                .bind(input.since.map(date_to_db))
                .bind(&input.note)
                .bind(Timestamp::now().to_db())
                .bind(network_id)
                .bind(&input.organisation_a)
                .bind(&input.organisation_b)
                .bind(input.kind.code())
                .execute(&mut *w.tx)
                .await?
                .rows_affected();
                if updated > 0 {
                    outcome.updated += 1;
                } else {
                    insert_relation(w, network_id, input).await?;
                    outcome.created += 1;
                }
            }
            let after = serde_json::json!({"file": filename, "created": outcome.created, "updated": outcome.updated});
            audit(w, "map_relations_import", "map_relation", network_id, &programme_id, None, Some(after)).await?;
            Ok(outcome)
        })
        .await
    }

    /// The network's snapshots, oldest round first.
    pub async fn map_snapshots(&self, network_id: &str) -> Result<Vec<SnapshotSummary>> {
        sqlx::query(&format!("{SNAPSHOT_SQL} WHERE s.network_id = $1 ORDER BY r.opens_on, r.kind"))
            .bind(network_id)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(summary_from_row)
            .collect()
    }

    /// One snapshot of the network, with its frozen map and metrics.
    pub async fn map_snapshot(&self, network_id: &str, id: &str) -> Result<Option<Snapshot>> {
        let row = sqlx::query(&format!("{SNAPSHOT_SQL} WHERE s.network_id = $1 AND s.id = $2"))
            .bind(network_id)
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        row.map(|row| {
            let json: String = row.try_get("data_json")?;
            Ok(Snapshot {
                summary: summary_from_row(&row)?,
                data: serde_json::from_str(&json).map_err(|e| StoreError::Corrupt(format!("snapshot: {e}")))?,
            })
        })
        .transpose()
    }

    /// Stores the snapshot of `round_id` (a round of the network's programme), replacing the one
    /// taken before for that round; returns its id.
    pub async fn map_save_snapshot(
        &self,
        actor: &Actor,
        network_id: &str,
        round_id: &str,
        data: &SnapshotData,
    ) -> Result<String> {
        let programme_id = programme_of(self, network_id).await?;
        let round_programme: Option<String> =
            sqlx::query_scalar("SELECT programme_id FROM reading_rounds WHERE id = $1")
                .bind(round_id)
                .fetch_optional(self.pool())
                .await?;
        if round_programme.as_deref() != Some(programme_id.as_str()) {
            return Err(StoreError::Invalid(FieldError::new("round_id", "error-map-round-unknown").into()));
        }
        let json = serde_json::to_string(data).map_err(|e| StoreError::Corrupt(format!("snapshot: {e}")))?;
        let id = new_id();
        self.write(actor, async |w| {
            sqlx::query("DELETE FROM map_snapshots WHERE network_id = $1 AND round_id = $2")
                .bind(network_id)
                .bind(round_id)
                .execute(&mut *w.tx)
                .await?;
            sqlx::query(
                "INSERT INTO map_snapshots (id, network_id, round_id, taken_at, density, components, relations, data_json)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&id)
            .bind(network_id)
            .bind(round_id)
            .bind(Timestamp::now().to_db())
            .bind(data.density)
            .bind(data.components as i64)
            .bind(data.relations.len() as i64)
            .bind(&json)
            .execute(&mut *w.tx)
            .await?;
            let after = serde_json::json!({"network_id": network_id, "round_id": round_id,
                "density": data.density, "components": data.components, "relations": data.relations.len()});
            audit(w, "map_snapshot_take", "map_snapshot", &id, &programme_id, None, Some(after)).await?;
            Ok(id)
        })
        .await
    }

    /// The growth spaces of a network (see [`growth_spaces`]): `candidates` (its
    /// [`Db::map_territory`]) ranked by the matrix's objectives and
    /// processes without a Responsible and its weakest dimensions in its latest reading results.
    pub async fn map_growth_spaces(
        &self,
        network_id: &str,
        programme_id: &str,
        candidates: &[Candidate],
        locale: Locale,
    ) -> Result<Vec<GrowthSpace>> {
        let matrix = self.matrix(network_id).await?;
        let responsible = |matches: &dyn Fn(&crate::matrix::CellAssignment) -> bool| {
            matrix.assignments.iter().any(|a| a.role == Raci::Responsible && matches(a))
        };
        let mut needs: Vec<Need> = matrix
            .objectives
            .iter()
            .filter(|o| !responsible(&|a| a.objective_id == o.id))
            .map(|o| Need::Objective { title: o.title.clone() })
            .collect();
        // A process counts only once the matrix has objectives: before, nobody could be responsible.
        if !matrix.objectives.is_empty() {
            needs.extend(
                matrix
                    .processes
                    .iter()
                    .filter(|p| !responsible(&|a| a.process_id == p.id))
                    .map(|p| Need::Process { name: p.name.clone() }),
            );
        }
        let results = self.reading_results(programme_id).await?;
        if let Some((round, network)) =
            results.iter().rev().find_map(|r| r.network(network_id).map(|network| (r, network)))
        {
            let scored: Vec<(String, Option<f64>)> = round
                .instrument
                .dimensions
                .iter()
                .zip(&network.profile.dimensions)
                .map(|(dimension, result)| (dimension.name.get(locale).to_owned(), result.score))
                .collect();
            needs.extend(weakest_dimensions(&scored));
        }
        Ok(growth_spaces(candidates, &needs))
    }
}

/// The `entity` of a relations file waiting in `pending_imports`: it names the network, so that a
/// file previewed for one network is never imported into another.
fn pending_entity(network_id: &str) -> String {
    format!("map_relations:{network_id}")
}

impl Db {
    /// Keeps a previewed relations file until its uploader confirms it (the registry import's
    /// table and lifetime).
    pub async fn map_save_pending(
        &self,
        user_id: &str,
        network_id: &str,
        filename: &str,
        content: &[u8],
    ) -> Result<String> {
        let id = new_id();
        let now = Timestamp::now();
        sqlx::query("DELETE FROM pending_imports WHERE created_at < $1")
            .bind(now.before(crate::registry::import::PENDING_IMPORT_LIFETIME).to_db())
            .execute(self.pool())
            .await?;
        sqlx::query(
            "INSERT INTO pending_imports (id, user_id, entity, filename, content, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&id)
        .bind(user_id)
        .bind(pending_entity(network_id))
        .bind(filename.chars().take(200).collect::<String>())
        .bind(content.to_vec())
        .bind(now.to_db())
        .execute(self.pool())
        .await?;
        Ok(id)
    }

    /// The previewed file `id` of `user_id` for this network, unexpired: (file name, content).
    pub async fn map_pending(&self, id: &str, user_id: &str, network_id: &str) -> Result<Option<(String, Vec<u8>)>> {
        let cutoff = Timestamp::now().before(crate::registry::import::PENDING_IMPORT_LIFETIME).to_db();
        let row: Option<(String, Vec<u8>)> = sqlx::query_as(
            "SELECT filename, content FROM pending_imports WHERE id = $1 AND user_id = $2 AND entity = $3
                AND created_at >= $4",
        )
        .bind(id)
        .bind(user_id)
        .bind(pending_entity(network_id))
        .bind(cutoff)
        .fetch_optional(self.pool())
        .await?;
        Ok(row)
    }

    pub async fn map_forget_pending(&self, id: &str) -> Result<()> {
        sqlx::query("DELETE FROM pending_imports WHERE id = $1").bind(id).execute(self.pool()).await?;
        Ok(())
    }
}

/// Whether the organisation is on the network's map as a member or a context actor.
async fn on_map(w: &mut Writer<'_>, network_id: &str, organisation_id: &str) -> Result<bool> {
    let found: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM organisations WHERE id = $2 AND (id IN ({MEMBERS})
            OR id IN (SELECT organisation_id FROM map_actors WHERE network_id = $1))"
    ))
    .bind(network_id)
    .bind(organisation_id)
    .fetch_one(&mut *w.tx)
    .await?;
    Ok(found > 0)
}

async fn insert_actor(w: &mut Writer<'_>, network_id: &str, organisation_id: &str) -> Result<()> {
    sqlx::query("INSERT INTO map_actors (network_id, organisation_id, created_at) VALUES ($1, $2, $3)")
        .bind(network_id)
        .bind(organisation_id)
        .bind(Timestamp::now().to_db())
        .execute(&mut *w.tx)
        .await
        .map_err(StoreError::missing_reference_as("organisation_id", "error-map-organisation-unknown"))?;
    Ok(())
}

fn relation_error(error: sqlx::Error) -> StoreError {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict { field: "kind" },
        sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
            StoreError::Invalid(FieldError::new("organisation_b", "error-map-organisation-unknown").into())
        }
        _ => StoreError::Database(error),
    }
}

async fn insert_relation(w: &mut Writer<'_>, network_id: &str, input: &RelationInput) -> Result<String> {
    for organisation_id in [&input.organisation_a, &input.organisation_b] {
        if !on_map(w, network_id, organisation_id).await? {
            insert_actor(w, network_id, organisation_id).await?;
        }
    }
    let id = new_id();
    let now = Timestamp::now().to_db();
    sqlx::query(
        "INSERT INTO map_relations (id, network_id, organisation_a, organisation_b, kind, strength, since, note,
            created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(&id)
    .bind(network_id)
    .bind(&input.organisation_a)
    .bind(&input.organisation_b)
    .bind(input.kind.code())
    .bind(i64::from(input.strength))
    .bind(input.since.map(date_to_db))
    .bind(&input.note)
    .bind(&now)
    .execute(&mut *w.tx)
    .await
    .map_err(relation_error)?;
    Ok(id)
}

fn relation_json(input: &RelationInput) -> serde_json::Value {
    serde_json::json!({"organisation_a": input.organisation_a, "organisation_b": input.organisation_b,
        "kind": input.kind.code(), "strength": input.strength, "since": input.since.map(date_to_db), "note": input.note})
}

async fn audit(
    w: &mut Writer<'_>,
    action: &str,
    entity: &str,
    entity_id: &str,
    programme_id: &str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<()> {
    w.audit(Change { action, entity, entity_id: Some(entity_id), programme_id: Some(programme_id), before, after })
        .await
}
