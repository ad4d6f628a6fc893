//! Local projects (progettazioni locali): a network's project in the programme, with its actions,
//! their planned outputs and target groups.

use super::AuditValue;
use crate::audit::Change;
use crate::programmes::ActionLine;
use crate::sql::{date_from_db, date_to_db};
use crate::{Actor, Db, Result, StoreError, Timestamp, Writer, new_id};
use serde::Serialize;
use sqlx::Row;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ProjectAction {
    pub id: String,
    pub position: i64,
    pub title: String,
    pub planned_outputs: String,
    pub target_groups: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct LocalProject {
    pub id: String,
    pub network_id: String,
    pub title: String,
    pub description: String,
    pub budget_cents: Option<i64>,
    pub starts_on: Option<time::Date>,
    pub ends_on: Option<time::Date>,
    pub archived: bool,
    pub action_lines: Vec<ActionLine>,
    pub actions: Vec<ProjectAction>,
}

/// A project and its actions, validated in the domain.
pub use reti_domain::input::{ActionInput, ProjectInput};

/// A local project as a network's page links to it.
#[derive(Debug, Clone)]
pub struct ProjectLink {
    pub id: String,
    pub title: String,
    pub archived: bool,
}

impl AuditValue for ProjectInput {
    fn audit_value(&self) -> serde_json::Value {
        serde_json::json!({"title": self.title, "description": self.description, "budget_cents": self.budget_cents,
            "starts_on": self.starts_on.map(date_to_db), "ends_on": self.ends_on.map(date_to_db), "action_lines": self.action_line_ids})
    }
}

impl Db {
    async fn programme_of_network(&self, network_id: &str) -> Result<String> {
        sqlx::query_scalar("SELECT programme_id FROM networks WHERE id = $1")
            .bind(network_id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub async fn create_project(&self, actor: &Actor, network_id: &str, input: &ProjectInput) -> Result<LocalProject> {
        self.create_project_with_actions(actor, network_id, input, None).await
    }

    /// Creates the project with `actions` (when given), all or nothing.
    pub async fn create_project_with_actions(
        &self,
        actor: &Actor,
        network_id: &str,
        input: &ProjectInput,
        actions: Option<&[ActionInput]>,
    ) -> Result<LocalProject> {
        let programme_id = self.programme_of_network(network_id).await?;
        let id = new_id();
        let now = Timestamp::now().to_db();
        self.write(actor, async |w| {
            sqlx::query(
                "INSERT INTO local_projects (id, network_id, title, description, budget_cents, starts_on, ends_on, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
            )
            .bind(&id)
            .bind(network_id)
            .bind(input.title.trim())
            .bind(input.description.trim())
            .bind(input.budget_cents)
            .bind(input.starts_on.map(date_to_db))
            .bind(input.ends_on.map(date_to_db))
            .bind(&now)
            .execute(&mut *w.tx)
            .await?;
            set_lines(&mut w.tx, &id, &input.action_line_ids).await?;
            w.audit(Change {
                action: "create",
                entity: "local_project",
                entity_id: Some(&id),
                programme_id: Some(&programme_id),
                before: None,
                after: Some(input.audit_value()),
            })
            .await?;
            if let Some(actions) = actions {
                replace_actions(w, &id, &programme_id, &[], actions).await?;
            }
            Ok::<_, StoreError>(())
        })
        .await?;
        self.project(&id).await?.ok_or(StoreError::NotFound)
    }

    pub async fn update_project(&self, actor: &Actor, id: &str, input: &ProjectInput) -> Result<LocalProject> {
        self.update_project_with_actions(actor, id, input, None).await
    }

    /// Updates the project and, when `actions` is given, replaces its actions, all or nothing.
    pub async fn update_project_with_actions(
        &self,
        actor: &Actor,
        id: &str,
        input: &ProjectInput,
        actions: Option<&[ActionInput]>,
    ) -> Result<LocalProject> {
        let before = self.project(id).await?.ok_or(StoreError::NotFound)?;
        let programme_id = self.programme_of_network(&before.network_id).await?;
        self.write(actor, async |w| {
            sqlx::query(
                "UPDATE local_projects SET title = $1, description = $2, budget_cents = $3, starts_on = $4, ends_on = $5, updated_at = $6 WHERE id = $7",
            )
            .bind(input.title.trim())
            .bind(input.description.trim())
            .bind(input.budget_cents)
            .bind(input.starts_on.map(date_to_db))
            .bind(input.ends_on.map(date_to_db))
            .bind(Timestamp::now().to_db())
            .bind(id)
            .execute(&mut *w.tx)
            .await?;
            set_lines(&mut w.tx, id, &input.action_line_ids).await?;
            w.audit(Change {
                action: "update",
                entity: "local_project",
                entity_id: Some(id),
                programme_id: Some(&programme_id),
                before: Some(serde_json::json!({"title": before.title, "description": before.description, "budget_cents": before.budget_cents,
                    "starts_on": before.starts_on.map(date_to_db), "ends_on": before.ends_on.map(date_to_db)})),
                after: Some(input.audit_value()),
            })
            .await?;
            if let Some(actions) = actions {
                replace_actions(w, id, &programme_id, &before.actions, actions).await?;
            }
            Ok::<_, StoreError>(())
        })
        .await?;
        self.project(id).await?.ok_or(StoreError::NotFound)
    }

    pub async fn set_project_archived(&self, actor: &Actor, id: &str, archived: bool) -> Result<()> {
        let project = self.project(id).await?.ok_or(StoreError::NotFound)?;
        let programme_id = self.programme_of_network(&project.network_id).await?;
        super::set_archived(self, actor, "local_projects", "local_project", id, Some(&programme_id), archived).await
    }

    pub async fn project(&self, id: &str) -> Result<Option<LocalProject>> {
        let sql = format!("{} WHERE p.id = $1", select(self.engine()));
        let row = sqlx::query(&sql).bind(id).fetch_optional(self.pool()).await?;
        row.as_ref().map(project_from_row).transpose()
    }

    /// The local projects of a network, archived ones too when asked.
    pub async fn projects_of_network(&self, network_id: &str, include_archived: bool) -> Result<Vec<LocalProject>> {
        let sql = format!(
            "{} WHERE p.network_id = $1{} ORDER BY p.created_at",
            select(self.engine()),
            if include_archived { "" } else { " AND p.archived_at IS NULL" }
        );
        let rows = sqlx::query(&sql).bind(network_id).fetch_all(self.pool()).await?;
        rows.iter().map(project_from_row).collect()
    }

    pub async fn add_project_action(
        &self,
        actor: &Actor,
        project_id: &str,
        input: &ActionInput,
    ) -> Result<ProjectAction> {
        let project = self.project(project_id).await?.ok_or(StoreError::NotFound)?;
        let programme_id = self.programme_of_network(&project.network_id).await?;
        let position = project.actions.iter().map(|a| a.position).max().unwrap_or(0) + 1;
        self.write(actor, async |w| insert_action(w, project_id, &programme_id, position, input).await).await
    }

    pub async fn remove_project_action(&self, actor: &Actor, project_id: &str, action_id: &str) -> Result<()> {
        let project = self.project(project_id).await?.ok_or(StoreError::NotFound)?;
        let action = project.actions.iter().find(|a| a.id == action_id).ok_or(StoreError::NotFound)?;
        let programme_id = self.programme_of_network(&project.network_id).await?;
        self.write(actor, async |w| delete_action(w, &programme_id, action).await).await
    }
}

/// Deletes the project's `existing` actions and inserts `actions` in their order.
async fn replace_actions(
    w: &mut Writer<'_>,
    project_id: &str,
    programme_id: &str,
    existing: &[ProjectAction],
    actions: &[ActionInput],
) -> Result<()> {
    for action in existing {
        delete_action(w, programme_id, action).await?;
    }
    for (position, input) in (1..).zip(actions) {
        insert_action(w, project_id, programme_id, position, input).await?;
    }
    Ok(())
}

/// Inserts one action; an action needs a title.
async fn insert_action(
    w: &mut Writer<'_>,
    project_id: &str,
    programme_id: &str,
    position: i64,
    input: &ActionInput,
) -> Result<ProjectAction> {
    if input.title.trim().is_empty() {
        return Err(StoreError::Invalid(reti_domain::FieldError::new("actions", "error-required").into()));
    }
    let action = ProjectAction {
        id: new_id(),
        position,
        title: input.title.trim().to_owned(),
        planned_outputs: input.planned_outputs.trim().to_owned(),
        target_groups: input.target_groups.trim().to_owned(),
    };
    sqlx::query(
        "INSERT INTO project_actions (id, project_id, position, title, planned_outputs, target_groups) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&action.id)
    .bind(project_id)
    .bind(position)
    .bind(&action.title)
    .bind(&action.planned_outputs)
    .bind(&action.target_groups)
    .execute(&mut *w.tx)
    .await?;
    w.audit(Change {
        action: "create",
        entity: "project_action",
        entity_id: Some(&action.id),
        programme_id: Some(programme_id),
        before: None,
        after: Some(serde_json::to_value(&action).expect("serialisable")),
    })
    .await?;
    Ok(action)
}

async fn delete_action(w: &mut Writer<'_>, programme_id: &str, action: &ProjectAction) -> Result<()> {
    sqlx::query("DELETE FROM project_actions WHERE id = $1").bind(&action.id).execute(&mut *w.tx).await?;
    w.audit(Change {
        action: "delete",
        entity: "project_action",
        entity_id: Some(&action.id),
        programme_id: Some(programme_id),
        before: Some(serde_json::to_value(action).expect("serialisable")),
        after: None,
    })
    .await
}

/// A project with its action lines (by number) and actions (by position), each list as one JSON
/// array in the project's row: a project is one statement and one row.
fn select(engine: crate::Engine) -> String {
    let action_lines = engine.json_rows(
        "a.id, a.programme_id, a.number, a.title",
        "a.number",
        "FROM local_project_action_lines pal JOIN action_lines a ON a.id = pal.action_line_id WHERE pal.project_id = p.id",
    );
    let actions = engine.json_rows(
        "x.id, x.position, x.title, x.planned_outputs, x.target_groups",
        "x.position",
        "FROM project_actions x WHERE x.project_id = p.id",
    );
    format!(
        "SELECT p.id, p.network_id, p.title, p.description, p.budget_cents, p.starts_on, p.ends_on, p.archived_at,
            {action_lines} AS action_lines, {actions} AS actions
         FROM local_projects p"
    )
}

fn project_from_row(row: &sqlx::any::AnyRow) -> Result<LocalProject> {
    let action_lines: String = row.try_get("action_lines")?;
    let action_lines: Vec<(String, String, i64, String)> =
        serde_json::from_str(&action_lines).map_err(|e| StoreError::Corrupt(format!("action_lines: {e}")))?;
    let actions: String = row.try_get("actions")?;
    let actions: Vec<(String, i64, String, String, String)> =
        serde_json::from_str(&actions).map_err(|e| StoreError::Corrupt(format!("actions: {e}")))?;
    Ok(LocalProject {
        id: row.try_get("id")?,
        network_id: row.try_get("network_id")?,
        title: row.try_get("title")?,
        description: row.try_get("description")?,
        budget_cents: row.try_get("budget_cents")?,
        starts_on: date_from_db(row.try_get("starts_on")?)?,
        ends_on: date_from_db(row.try_get("ends_on")?)?,
        archived: row.try_get::<Option<String>, _>("archived_at")?.is_some(),
        action_lines: action_lines
            .into_iter()
            .map(|(id, programme_id, number, title)| ActionLine { id, programme_id, number, title })
            .collect(),
        actions: actions
            .into_iter()
            .map(|(id, position, title, planned_outputs, target_groups)| ProjectAction {
                id,
                position,
                title,
                planned_outputs,
                target_groups,
            })
            .collect(),
    })
}

async fn set_lines(tx: &mut crate::Tx, project_id: &str, lines: &[String]) -> Result<()> {
    sqlx::query("DELETE FROM local_project_action_lines WHERE project_id = $1")
        .bind(project_id)
        .execute(&mut **tx)
        .await?;
    let mut lines = lines.to_vec();
    lines.sort();
    lines.dedup();
    for line in lines {
        sqlx::query("INSERT INTO local_project_action_lines (project_id, action_line_id) VALUES ($1, $2)")
            .bind(project_id)
            .bind(&line)
            .execute(&mut **tx)
            .await
            .map_err(StoreError::missing_reference_as("action_lines", "error-action-line-invalid"))?;
    }
    Ok(())
}
