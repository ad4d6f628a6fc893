//! The objectives–processes matrix of a network (SPEC §4). Every change is one audit entry on the
//! network (`entity = "network_matrix"`, `entity_id` = the network), so the audit log is the
//! matrix's history of changes, read back by [`Db::matrix_history`].

use crate::audit::{Change, Entry};
use crate::diary::programme_of;
use crate::sql::{Page, PageRequest};
use crate::{Actor, Db, Result, StoreError, Timestamp, Writer, new_id};
use reti_domain::matrix::{Assignment, CellStatus, DEFAULT_PROCESSES, Load, ObjectiveInput, Raci, fragile, gaps, load};
use reti_domain::text::fold;
use reti_domain::{FieldError, FieldErrors};
use serde::Serialize;
use sqlx::Row;

/// The audit entity of every matrix change.
pub const HISTORY_ENTITY: &str = "network_matrix";

#[derive(Debug, Clone, Serialize)]
pub struct Process {
    pub id: String,
    pub position: i64,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Objective {
    pub id: String,
    pub position: i64,
    pub title: String,
    pub action_line_id: Option<String>,
    pub action_line_number: Option<i64>,
    pub action_line_title: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CellAssignment {
    pub objective_id: String,
    pub process_id: String,
    pub organisation_id: String,
    pub organisation_name: String,
    pub role: Raci,
}

#[derive(Debug, Clone, Serialize)]
pub struct CellState {
    pub objective_id: String,
    pub process_id: String,
    pub status: CellStatus,
}

/// A network's matrix: objectives by position, processes by position, the cells' statuses and
/// their RACI assignments.
#[derive(Debug, Clone, Serialize)]
pub struct Matrix {
    pub network_id: String,
    pub objectives: Vec<Objective>,
    pub processes: Vec<Process>,
    pub statuses: Vec<CellState>,
    pub assignments: Vec<CellAssignment>,
}

/// An organisation's load, with its name.
#[derive(Debug, Clone, Serialize)]
pub struct OrganisationLoad {
    pub organisation_id: String,
    pub organisation_name: String,
    pub load: Load,
}

/// What the matrix says about the network: who carries how much, what nobody is responsible for,
/// which processes rest on one organisation.
#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    /// Heaviest first.
    pub load: Vec<OrganisationLoad>,
    pub gaps: Vec<Objective>,
    /// A process and the one organisation it rests on.
    pub fragile: Vec<(Process, OrganisationLoad)>,
}

impl Matrix {
    pub fn status(&self, objective_id: &str, process_id: &str) -> CellStatus {
        self.statuses
            .iter()
            .find(|s| s.objective_id == objective_id && s.process_id == process_id)
            .map(|s| s.status)
            .unwrap_or_default()
    }

    /// The assignments of one cell, in the order R, A, C, I, then by organisation name.
    pub fn cell(&self, objective_id: &str, process_id: &str) -> Vec<&CellAssignment> {
        self.assignments.iter().filter(|a| a.objective_id == objective_id && a.process_id == process_id).collect()
    }

    pub fn objective(&self, id: &str) -> Option<&Objective> {
        self.objectives.iter().find(|o| o.id == id)
    }

    pub fn process(&self, id: &str) -> Option<&Process> {
        self.processes.iter().find(|p| p.id == id)
    }

    pub fn analysis(&self) -> Analysis {
        let assignments: Vec<Assignment<'_>> = self
            .assignments
            .iter()
            .map(|a| Assignment {
                objective_id: &a.objective_id,
                process_id: &a.process_id,
                organisation_id: &a.organisation_id,
                role: a.role,
            })
            .collect();
        let name_of = |id: &str| {
            self.assignments
                .iter()
                .find(|a| a.organisation_id == id)
                .map(|a| a.organisation_name.clone())
                .unwrap_or_default()
        };
        let loads = load(&assignments);
        let mut load_rows: Vec<OrganisationLoad> = loads
            .iter()
            .map(|(id, load)| OrganisationLoad {
                organisation_id: (*id).to_owned(),
                organisation_name: name_of(id),
                load: *load,
            })
            .collect();
        load_rows.sort_by(|a, b| {
            b.load
                .total()
                .cmp(&a.load.total())
                .then_with(|| fold(&a.organisation_name).cmp(&fold(&b.organisation_name)))
        });
        let objective_ids: Vec<&str> = self.objectives.iter().map(|o| o.id.as_str()).collect();
        let gap_ids = gaps(&objective_ids, &assignments);
        let process_ids: Vec<&str> = self.processes.iter().map(|p| p.id.as_str()).collect();
        let fragile = fragile(&process_ids, &assignments)
            .into_iter()
            .filter_map(|(process_id, organisation_id)| {
                let process = self.process(process_id)?.clone();
                let load = loads.get(organisation_id).copied().unwrap_or_default();
                Some((
                    process,
                    OrganisationLoad {
                        organisation_id: organisation_id.to_owned(),
                        organisation_name: name_of(organisation_id),
                        load,
                    },
                ))
            })
            .collect();
        Analysis {
            load: load_rows,
            gaps: self.objectives.iter().filter(|o| gap_ids.contains(&o.id.as_str())).cloned().collect(),
            fragile,
        }
    }
}

/// A cell as saved: its status and who holds which role.
#[derive(Debug, Clone)]
pub struct CellInput {
    pub status: CellStatus,
    /// (organisation id, role); an organisation at most once.
    pub assignments: Vec<(String, Raci)>,
}

impl Db {
    pub async fn matrix(&self, network_id: &str) -> Result<Matrix> {
        let processes = sqlx::query(
            "SELECT id, position, name FROM matrix_processes WHERE network_id = $1 ORDER BY position, name_folded",
        )
        .bind(network_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|row| {
            Ok(Process { id: row.try_get("id")?, position: row.try_get("position")?, name: row.try_get("name")? })
        })
        .collect::<Result<Vec<_>>>()?;
        let objectives = sqlx::query(
            "SELECT o.id, o.position, o.title, o.action_line_id, a.number, a.title AS line_title FROM matrix_objectives o
             LEFT JOIN action_lines a ON a.id = o.action_line_id WHERE o.network_id = $1 ORDER BY o.position, o.created_at",
        )
        .bind(network_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|row| {
            Ok(Objective {
                id: row.try_get("id")?,
                position: row.try_get("position")?,
                title: row.try_get("title")?,
                action_line_id: row.try_get("action_line_id")?,
                action_line_number: row.try_get("number")?,
                action_line_title: row.try_get("line_title")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let statuses = sqlx::query(
            "SELECT c.objective_id, c.process_id, c.status FROM matrix_cells c
             JOIN matrix_objectives o ON o.id = c.objective_id WHERE o.network_id = $1",
        )
        .bind(network_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|row| {
            let status: String = row.try_get("status")?;
            Ok(CellState {
                objective_id: row.try_get("objective_id")?,
                process_id: row.try_get("process_id")?,
                status: CellStatus::parse(&status)
                    .map_err(|_| StoreError::Corrupt(format!("cell status {status:?}")))?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let mut assignments = sqlx::query(
            "SELECT m.objective_id, m.process_id, m.organisation_id, g.name, m.role FROM matrix_assignments m
             JOIN matrix_objectives o ON o.id = m.objective_id JOIN organisations g ON g.id = m.organisation_id
             WHERE o.network_id = $1",
        )
        .bind(network_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|row| {
            let role: String = row.try_get("role")?;
            Ok(CellAssignment {
                objective_id: row.try_get("objective_id")?,
                process_id: row.try_get("process_id")?,
                organisation_id: row.try_get("organisation_id")?,
                organisation_name: row.try_get("name")?,
                role: Raci::parse(&role, "role").map_err(|_| StoreError::Corrupt(format!("RACI role {role:?}")))?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        assignments.sort_by(|a, b| {
            a.role.cmp(&b.role).then_with(|| fold(&a.organisation_name).cmp(&fold(&b.organisation_name)))
        });
        Ok(Matrix { network_id: network_id.to_owned(), objectives, processes, statuses, assignments })
    }

    /// Adds an objective at the end. The network's first objective brings in the default
    /// processes when it has none.
    pub async fn add_objective(&self, actor: &Actor, network_id: &str, input: &ObjectiveInput) -> Result<String> {
        let programme_id = programme_of(self, network_id).await?;
        let id = new_id();
        let now = Timestamp::now().to_db();
        self.write(actor, async |w| {
            let processes: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM matrix_processes WHERE network_id = $1")
                .bind(network_id)
                .fetch_one(&mut *w.tx)
                .await?;
            let objectives: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM matrix_objectives WHERE network_id = $1")
                .bind(network_id)
                .fetch_one(&mut *w.tx)
                .await?;
            if processes == 0 && objectives == 0 {
                for (position, name) in (1..).zip(DEFAULT_PROCESSES) {
                    insert_process(w, network_id, position, name, &now).await?;
                }
            }
            let position: i64 = sqlx::query_scalar(
                "SELECT COALESCE(MAX(position), 0) + 1 FROM matrix_objectives WHERE network_id = $1",
            )
            .bind(network_id)
            .fetch_one(&mut *w.tx)
            .await?;
            sqlx::query(
                "INSERT INTO matrix_objectives (id, network_id, position, title, action_line_id, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $6)",
            )
            .bind(&id)
            .bind(network_id)
            .bind(position)
            .bind(&input.title)
            .bind(input.action_line_id.as_deref())
            .bind(&now)
            .execute(&mut *w.tx)
            .await
            .map_err(StoreError::missing_reference_as("action_line_id", "error-action-line-invalid"))?;
            let after = serde_json::json!({"objective": input.title, "action_line_id": input.action_line_id});
            history(w, network_id, &programme_id, "objective_add", None, Some(after)).await
        })
        .await?;
        Ok(id)
    }

    pub async fn update_objective(
        &self,
        actor: &Actor,
        network_id: &str,
        id: &str,
        input: &ObjectiveInput,
    ) -> Result<()> {
        let programme_id = programme_of(self, network_id).await?;
        let matrix = self.matrix(network_id).await?;
        let before = matrix.objective(id).ok_or(StoreError::NotFound)?;
        self.write(actor, async |w| {
            sqlx::query("UPDATE matrix_objectives SET title = $1, action_line_id = $2, updated_at = $3 WHERE id = $4 AND network_id = $5")
                .bind(&input.title)
                .bind(input.action_line_id.as_deref())
                .bind(Timestamp::now().to_db())
                .bind(id)
                .bind(network_id)
                .execute(&mut *w.tx)
                .await
                .map_err(StoreError::missing_reference_as("action_line_id", "error-action-line-invalid"))?;
            let before = serde_json::json!({"objective": before.title, "action_line_id": before.action_line_id});
            let after = serde_json::json!({"objective": input.title, "action_line_id": input.action_line_id});
            history(w, network_id, &programme_id, "objective_update", Some(before), Some(after)).await
        })
        .await
    }

    /// Removes an objective with its cells.
    pub async fn remove_objective(&self, actor: &Actor, network_id: &str, id: &str) -> Result<()> {
        let programme_id = programme_of(self, network_id).await?;
        let matrix = self.matrix(network_id).await?;
        let before = matrix.objective(id).ok_or(StoreError::NotFound)?;
        self.write(actor, async |w| {
            sqlx::query("DELETE FROM matrix_objectives WHERE id = $1 AND network_id = $2")
                .bind(id)
                .bind(network_id)
                .execute(&mut *w.tx)
                .await?;
            let before = serde_json::json!({"objective": before.title});
            history(w, network_id, &programme_id, "objective_remove", Some(before), None).await
        })
        .await
    }

    /// Adds a process at the end; a name the network already uses is a conflict.
    pub async fn add_process(&self, actor: &Actor, network_id: &str, name: &str) -> Result<String> {
        let programme_id = programme_of(self, network_id).await?;
        let now = Timestamp::now().to_db();
        self.write(actor, async |w| {
            let position: i64 =
                sqlx::query_scalar("SELECT COALESCE(MAX(position), 0) + 1 FROM matrix_processes WHERE network_id = $1")
                    .bind(network_id)
                    .fetch_one(&mut *w.tx)
                    .await?;
            let id = insert_process(w, network_id, position, name, &now).await?;
            history(w, network_id, &programme_id, "process_add", None, Some(serde_json::json!({"process": name})))
                .await?;
            Ok(id)
        })
        .await
    }

    /// Renames a process and, when `position` is given (1 = first), moves it there.
    pub async fn update_process(
        &self,
        actor: &Actor,
        network_id: &str,
        id: &str,
        name: &str,
        position: Option<i64>,
    ) -> Result<()> {
        let programme_id = programme_of(self, network_id).await?;
        let matrix = self.matrix(network_id).await?;
        let before = matrix.process(id).ok_or(StoreError::NotFound)?;
        let mut order: Vec<&str> = matrix.processes.iter().map(|p| p.id.as_str()).filter(|p| *p != id).collect();
        let current = matrix.processes.iter().position(|p| p.id == id).unwrap_or(0);
        let wanted = position.map_or(current, |p| usize::try_from(p.max(1) - 1).unwrap_or(0).min(order.len()));
        order.insert(wanted, id);
        self.write(actor, async |w| {
            sqlx::query("UPDATE matrix_processes SET name = $1, name_folded = $2 WHERE id = $3 AND network_id = $4")
                .bind(name)
                .bind(fold(name))
                .bind(id)
                .bind(network_id)
                .execute(&mut *w.tx)
                .await
                .map_err(StoreError::unique_as("name"))?;
            for (position, process_id) in (1i64..).zip(&order) {
                sqlx::query("UPDATE matrix_processes SET position = $1 WHERE id = $2 AND network_id = $3")
                    .bind(position)
                    .bind(*process_id)
                    .bind(network_id)
                    .execute(&mut *w.tx)
                    .await?;
            }
            let before = serde_json::json!({"process": before.name, "position": current + 1});
            let after = serde_json::json!({"process": name, "position": wanted + 1});
            history(w, network_id, &programme_id, "process_update", Some(before), Some(after)).await
        })
        .await
    }

    /// Removes a process with its cells.
    pub async fn remove_process(&self, actor: &Actor, network_id: &str, id: &str) -> Result<()> {
        let programme_id = programme_of(self, network_id).await?;
        let matrix = self.matrix(network_id).await?;
        let before = matrix.process(id).ok_or(StoreError::NotFound)?;
        self.write(actor, async |w| {
            sqlx::query("DELETE FROM matrix_processes WHERE id = $1 AND network_id = $2")
                .bind(id)
                .bind(network_id)
                .execute(&mut *w.tx)
                .await?;
            let before = serde_json::json!({"process": before.name});
            history(w, network_id, &programme_id, "process_remove", Some(before), None).await
        })
        .await
    }

    /// Replaces one cell: its status and its assignments. Only current members of the network may
    /// hold a role; a problem names the row (`assignments[1].organisation_id`) and nothing is saved.
    pub async fn set_cell(
        &self,
        actor: &Actor,
        network_id: &str,
        objective_id: &str,
        process_id: &str,
        input: &CellInput,
    ) -> Result<()> {
        let programme_id = programme_of(self, network_id).await?;
        let matrix = self.matrix(network_id).await?;
        let objective = matrix.objective(objective_id).ok_or(StoreError::NotFound)?;
        let process = matrix.process(process_id).ok_or(StoreError::NotFound)?;
        let members: Vec<(String, String)> = sqlx::query_as(
            "SELECT m.organisation_id, g.name FROM memberships m JOIN organisations g ON g.id = m.organisation_id
             WHERE m.network_id = $1 AND m.left_on IS NULL",
        )
        .bind(network_id)
        .fetch_all(self.pool())
        .await?;
        let mut errors = FieldErrors::default();
        let mut seen: Vec<&str> = Vec::new();
        for (index, (organisation_id, _)) in input.assignments.iter().enumerate() {
            let field = format!("assignments[{index}].organisation_id");
            if !members.iter().any(|(id, _)| id == organisation_id) {
                errors.0.push(FieldError::new(field, "error-matrix-not-member"));
            } else if seen.contains(&organisation_id.as_str()) {
                errors.0.push(FieldError::new(field, "error-matrix-repeated"));
            }
            seen.push(organisation_id);
        }
        errors.into_result()?;
        let name_of = |id: &str| members.iter().find(|(m, _)| m == id).map(|(_, n)| n.clone()).unwrap_or_default();
        let before = serde_json::json!({"objective": objective.title, "process": process.name,
            "status": matrix.status(objective_id, process_id).code(),
            "assignments": matrix.cell(objective_id, process_id).iter().map(|a| format!("{} {}", a.role.code(), a.organisation_name)).collect::<Vec<_>>()});
        let after = serde_json::json!({"objective": objective.title, "process": process.name, "status": input.status.code(),
            "assignments": input.assignments.iter().map(|(id, role)| format!("{} {}", role.code(), name_of(id))).collect::<Vec<_>>()});
        let now = Timestamp::now().to_db();
        self.write(actor, async |w| {
            sqlx::query("DELETE FROM matrix_assignments WHERE objective_id = $1 AND process_id = $2")
                .bind(objective_id)
                .bind(process_id)
                .execute(&mut *w.tx)
                .await?;
            sqlx::query("DELETE FROM matrix_cells WHERE objective_id = $1 AND process_id = $2")
                .bind(objective_id)
                .bind(process_id)
                .execute(&mut *w.tx)
                .await?;
            sqlx::query("INSERT INTO matrix_cells (objective_id, process_id, status, updated_at) VALUES ($1, $2, $3, $4)")
                .bind(objective_id)
                .bind(process_id)
                .bind(input.status.code())
                .bind(&now)
                .execute(&mut *w.tx)
                .await?;
            for (organisation_id, role) in &input.assignments {
                sqlx::query(
                    "INSERT INTO matrix_assignments (objective_id, process_id, organisation_id, role) VALUES ($1, $2, $3, $4)",
                )
                .bind(objective_id)
                .bind(process_id)
                .bind(organisation_id)
                .bind(role.code())
                .execute(&mut *w.tx)
                .await?;
            }
            history(w, network_id, &programme_id, "cell_update", Some(before), Some(after)).await
        })
        .await
    }

    /// The matrix's changes, newest first.
    pub async fn matrix_history(&self, network_id: &str, request: PageRequest) -> Result<Page<Entry>> {
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE entity = $1 AND entity_id = $2")
            .bind(HISTORY_ENTITY)
            .bind(network_id)
            .fetch_one(self.pool())
            .await?;
        let sql = format!(
            "SELECT id, at, actor_label, programme_id, action, entity, entity_id, before_json, after_json, ip FROM audit_log
             WHERE entity = $1 AND entity_id = $2 ORDER BY at DESC, id DESC{}",
            request.limit_offset()
        );
        let items =
            sqlx::query_as::<_, Entry>(&sql).bind(HISTORY_ENTITY).bind(network_id).fetch_all(self.pool()).await?;
        Ok(Page { items, page: request.page, per_page: request.per_page, total })
    }
}

async fn insert_process(w: &mut Writer<'_>, network_id: &str, position: i64, name: &str, now: &str) -> Result<String> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO matrix_processes (id, network_id, position, name, name_folded, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(network_id)
    .bind(position)
    .bind(name)
    .bind(fold(name))
    .bind(now)
    .execute(&mut *w.tx)
    .await
    .map_err(StoreError::unique_as("name"))?;
    Ok(id)
}

/// Records a matrix change on the network: the audit entry is the history.
async fn history(
    w: &mut Writer<'_>,
    network_id: &str,
    programme_id: &str,
    action: &str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<()> {
    w.audit(Change {
        action,
        entity: HISTORY_ENTITY,
        entity_id: Some(network_id),
        programme_id: Some(programme_id),
        before,
        after,
    })
    .await
}
