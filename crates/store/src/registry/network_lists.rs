//! What a network's page lists beside the network itself (its projects, the people of its members,
//! its districts), read as one row of JSON arrays: one statement instead of one per list (decision
//! 0027).

use super::districts::DistrictRef;
use super::projects::ProjectLink;
use crate::{Db, Result, StoreError};
use serde::de::DeserializeOwned;
use sqlx::Row;

/// The lists of a network's page.
#[derive(Debug, Clone, Default)]
pub struct NetworkLists {
    /// Its local projects, oldest first.
    pub projects: Vec<ProjectLink>,
    /// The people currently working for its current members: (name, e-mail, organisation), in the
    /// order of the memberships (lead first), then by name.
    pub people: Vec<(String, Option<String>, String)>,
    /// The districts its municipalities fall in, by name.
    pub districts: Vec<DistrictRef>,
}

/// Which lists to read: the private ones only for viewers who see them.
#[derive(Debug, Clone, Copy)]
pub struct ListsWanted {
    pub projects: bool,
    pub archived_projects: bool,
    pub people: bool,
}

impl Db {
    pub async fn network_lists(&self, network_id: &str, wanted: ListsWanted) -> Result<NetworkLists> {
        let engine = self.engine();
        let projects = if wanted.projects {
            engine.json_rows(
                "lp.id, lp.title, lp.archived_at",
                "lp.created_at",
                &format!(
                    "FROM local_projects lp WHERE lp.network_id = $1{}",
                    if wanted.archived_projects { "" } else { " AND lp.archived_at IS NULL" }
                ),
            )
        } else {
            "'[]'".to_owned()
        };
        let people = if wanted.people {
            engine.json_rows(
                "p.name, p.email, o.name",
                "CASE ms.role WHEN 'lead' THEN 0 WHEN 'partner' THEN 1 ELSE 2 END, o.name_folded, ms.id, p.name_folded, p.id",
                "FROM memberships ms
                 JOIN organisations o ON o.id = ms.organisation_id
                 JOIN affiliations a ON a.organisation_id = ms.organisation_id AND a.ended_at IS NULL
                 JOIN people p ON p.id = a.person_id AND p.archived_at IS NULL
                 WHERE ms.network_id = $1 AND ms.left_on IS NULL",
            )
        } else {
            "'[]'".to_owned()
        };
        let districts = engine.json_rows(
            "d.id, d.code, d.name",
            "d.name_folded, d.code",
            "FROM (SELECT DISTINCT d.id, d.code, d.name, d.name_folded FROM districts d
                   JOIN district_municipalities dm ON dm.district_id = d.id
                   JOIN network_municipalities nm ON nm.istat_code = dm.istat_code
                   WHERE nm.network_id = $1) d",
        );
        let sql = format!("SELECT {projects} AS projects, {people} AS people, {districts} AS districts");
        let row = sqlx::query(&sql).bind(network_id).fetch_one(self.pool()).await?;
        Ok(NetworkLists {
            projects: list::<(String, String, Option<String>)>(&row, "projects")?
                .into_iter()
                .map(|(id, title, archived_at)| ProjectLink { id, title, archived: archived_at.is_some() })
                .collect(),
            people: list(&row, "people")?,
            districts: list::<(String, String, String)>(&row, "districts")?
                .into_iter()
                .map(|(id, code, name)| DistrictRef { id, code, name })
                .collect(),
        })
    }
}

fn list<T: DeserializeOwned>(row: &sqlx::any::AnyRow, column: &str) -> Result<Vec<T>> {
    let json: String = row.try_get(column)?;
    serde_json::from_str(&json).map_err(|e| StoreError::Corrupt(format!("{column}: {e}")))
}
