//! A network's local projects and their actions over JSON, private to those with access to the
//! network's private data; its managers write.

use super::json::ApiJson;
use super::programmes::ActionLineDto;
use crate::AppState;
use crate::context::NetworkAccess;
use crate::error::{AppError, AppResult};
use crate::extract::{Manage, NetworkAt, Private, ProjectAt};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use reti_domain::FieldErrors;
use reti_domain::input::project::euros_of_cents;
use reti_domain::input::{ActionRaw, ProjectContext, ProjectRaw};
use reti_store::registry::networks::Network;
use reti_store::registry::projects::{ActionInput, LocalProject, ProjectInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct ProjectActionDto {
    pub id: String,
    pub title: String,
    pub planned_outputs: String,
    pub target_groups: String,
}

#[derive(Serialize, ToSchema)]
pub struct ProjectDto {
    pub id: String,
    pub network_id: String,
    pub title: String,
    pub description: String,
    pub budget_cents: Option<i64>,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    pub archived: bool,
    pub action_lines: Vec<ActionLineDto>,
    pub actions: Vec<ProjectActionDto>,
}

fn project_dto(p: LocalProject) -> ProjectDto {
    ProjectDto {
        id: p.id,
        network_id: p.network_id,
        title: p.title,
        description: p.description,
        budget_cents: p.budget_cents,
        starts_on: p.starts_on.map(|d| d.to_string()),
        ends_on: p.ends_on.map(|d| d.to_string()),
        archived: p.archived,
        action_lines: p
            .action_lines
            .into_iter()
            .map(|l| ActionLineDto { id: l.id, number: l.number, title: l.title })
            .collect(),
        actions: p
            .actions
            .into_iter()
            .map(|a| ProjectActionDto {
                id: a.id,
                title: a.title,
                planned_outputs: a.planned_outputs,
                target_groups: a.target_groups,
            })
            .collect(),
    }
}

/// A network's local projects (private to those with access to its private data).
#[utoipa::path(get, path = "/api/v1/networks/{id}/projects", tag = "registry", responses((status = 200, body = Vec<ProjectDto>), (status = 403, body = super::ApiErrorBody)))]
pub async fn list_projects(
    State(state): State<AppState>,
    NetworkAt { network, access, .. }: NetworkAt<Private>,
) -> AppResult<Json<Vec<ProjectDto>>> {
    let projects = state.db.projects_of_network(&network.id, access == NetworkAccess::Manage).await?;
    Ok(Json(projects.into_iter().map(project_dto).collect()))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct ProjectBody {
    pub title: String,
    pub description: String,
    pub budget_cents: Option<i64>,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    /// Action line ids or numbers.
    pub action_lines: Vec<String>,
    /// Replaces the actions when given.
    pub actions: Option<Vec<ProjectActionBody>>,
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct ProjectActionBody {
    pub title: String,
    pub planned_outputs: String,
    pub target_groups: String,
}

/// Checks a body as the project pages do: the project, then each of its actions.
async fn project_input(
    state: &AppState,
    network: &Network,
    body: ProjectBody,
) -> AppResult<(ProjectInput, Option<Vec<ActionInput>>)> {
    let lines = state.db.action_lines(&network.programme_id).await?;
    let known: Vec<(&str, i64)> = lines.iter().map(|l| (l.id.as_str(), l.number)).collect();
    let raw = ProjectRaw {
        title: Some(body.title),
        description: Some(body.description),
        budget: body.budget_cents.map(euros_of_cents),
        starts_on: body.starts_on,
        ends_on: body.ends_on,
        action_lines: body.action_lines,
    };
    let (input, mut errors) = match ProjectInput::parse(&raw, &ProjectContext { action_lines: &known }) {
        Ok(input) => (Some(input), FieldErrors::default()),
        Err(errors) => (None, errors.renamed("budget", "budget_cents")),
    };
    let actions = body.actions.map(|actions| {
        let mut valid = Vec::new();
        for (index, action) in actions.into_iter().enumerate() {
            let raw = ActionRaw {
                title: Some(action.title),
                planned_outputs: Some(action.planned_outputs),
                target_groups: Some(action.target_groups),
            };
            match ActionInput::parse(&raw) {
                Ok(action) => valid.push(action),
                Err(problems) => errors.0.extend(problems.nested("actions", index).0),
            }
        }
        valid
    });
    match (input, errors.is_empty()) {
        (Some(input), true) => Ok((input, actions)),
        _ => Err(AppError::Invalid(errors)),
    }
}

#[utoipa::path(post, path = "/api/v1/networks/{id}/projects", tag = "registry", request_body = ProjectBody, responses((status = 201, body = ProjectDto), (status = 422, body = super::ApiErrorBody)))]
pub async fn create_project(
    State(state): State<AppState>,
    NetworkAt { network, user: identity, .. }: NetworkAt<Manage>,
    ApiJson(body): ApiJson<ProjectBody>,
) -> AppResult<(StatusCode, Json<ProjectDto>)> {
    let (input, actions) = project_input(&state, &network, body).await?;
    let actor = identity.actor();
    let project = state.db.create_project_with_actions(&actor, &network.id, &input, actions.as_deref()).await?;
    Ok((StatusCode::CREATED, Json(project_dto(project))))
}

#[utoipa::path(get, path = "/api/v1/projects/{id}", tag = "registry", responses((status = 200, body = ProjectDto), (status = 403, body = super::ApiErrorBody), (status = 404, body = super::ApiErrorBody)))]
pub async fn get_project(ProjectAt { project, .. }: ProjectAt<Private>) -> AppResult<Json<ProjectDto>> {
    Ok(Json(project_dto(project)))
}

#[utoipa::path(put, path = "/api/v1/projects/{id}", tag = "registry", request_body = ProjectBody, responses((status = 200, body = ProjectDto), (status = 422, body = super::ApiErrorBody)))]
pub async fn update_project(
    State(state): State<AppState>,
    ProjectAt { project, network, user: identity, .. }: ProjectAt<Manage>,
    ApiJson(body): ApiJson<ProjectBody>,
) -> AppResult<Json<ProjectDto>> {
    let (input, actions) = project_input(&state, &network, body).await?;
    let actor = identity.actor();
    let project = state.db.update_project_with_actions(&actor, &project.id, &input, actions.as_deref()).await?;
    Ok(Json(project_dto(project)))
}

#[utoipa::path(delete, path = "/api/v1/projects/{id}", tag = "registry", responses((status = 204), (status = 403, body = super::ApiErrorBody)))]
pub async fn archive_project(
    State(state): State<AppState>,
    ProjectAt { project, user: identity, .. }: ProjectAt<Manage>,
) -> AppResult<StatusCode> {
    state.db.set_project_archived(&identity.actor(), &project.id, true).await?;
    Ok(StatusCode::NO_CONTENT)
}
