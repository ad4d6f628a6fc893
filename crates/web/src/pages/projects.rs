//! Local projects of a network: title, budget, period, action lines, and actions with planned
//! outputs and target groups. Seen by those with private access to the network, changed by those
//! who manage it.

use super::{form_status, render, render_status, set_flash_redirect};
use crate::AppState;
use crate::context::NetworkAccess;
use crate::error::AppResult;
use crate::extract::{Manage, NetworkAt, Private, ProjectAt};
use crate::page::{FormPage, PageContext};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use reti_domain::FieldErrors;
use reti_domain::input::{ActionRaw, ProjectContext, ProjectRaw};
use reti_store::programmes::ActionLine;
use reti_store::registry::networks::Network;
use reti_store::registry::projects::{ActionInput, LocalProject, ProjectInput};
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ProjectForm {
    pub title: String,
    pub description: String,
    pub budget: String,
    pub starts_on: String,
    pub ends_on: String,
    pub action_lines: Vec<String>,
}

impl ProjectForm {
    fn from_project(project: &LocalProject) -> ProjectForm {
        ProjectForm {
            title: project.title.clone(),
            description: project.description.clone(),
            budget: project.budget_cents.map(format_euros).unwrap_or_default(),
            starts_on: project.starts_on.map(|d| d.to_string()).unwrap_or_default(),
            ends_on: project.ends_on.map(|d| d.to_string()).unwrap_or_default(),
            action_lines: project.action_lines.iter().map(|l| l.id.clone()).collect(),
        }
    }

    /// Reads the posted form; `action_lines` repeats, which `axum::Form` cannot read into a Vec.
    fn parse(body: &str) -> ProjectForm {
        serde_html_form::from_str(body).unwrap_or_default()
    }
}

/// Cents as euros the Italian way: 12.500,00.
pub fn format_euros(cents: i64) -> String {
    let euros = cents / 100;
    let mut digits = euros.abs().to_string();
    let mut grouped = String::new();
    while digits.len() > 3 {
        let tail = digits.split_off(digits.len() - 3);
        grouped = format!(".{tail}{grouped}");
    }
    format!("{}{digits}{grouped},{:02}", if cents < 0 { "-" } else { "" }, (cents % 100).abs())
}

/// Checks a submitted project, as the API does.
fn validate(form: &ProjectForm, lines: &[ActionLine]) -> Result<ProjectInput, FieldErrors> {
    let known: Vec<(&str, i64)> = lines.iter().map(|l| (l.id.as_str(), l.number)).collect();
    let raw = ProjectRaw {
        title: Some(form.title.clone()),
        description: Some(form.description.clone()),
        budget: Some(form.budget.clone()),
        starts_on: Some(form.starts_on.clone()),
        ends_on: Some(form.ends_on.clone()),
        action_lines: form.action_lines.clone(),
    };
    ProjectInput::parse(&raw, &ProjectContext { action_lines: &known })
}

#[derive(Template)]
#[template(path = "projects/form.html")]
struct FormTemplate {
    page: PageContext,
    title: String,
    action: String,
    network: Network,
    lines: Vec<ActionLine>,
    form: ProjectForm,
    errors: FieldErrors,
}

fn form_page(
    page: PageContext,
    title_key: &str,
    action: String,
    network: Network,
    lines: Vec<ActionLine>,
    form: ProjectForm,
    errors: FieldErrors,
) -> AppResult<Response> {
    let status = form_status(&errors);
    render_status(status, &FormTemplate { title: page.t(title_key), page, action, network, lines, form, errors })
}

pub async fn new_form(
    State(state): State<AppState>,
    FormPage(page): FormPage,
    NetworkAt { network, .. }: NetworkAt<Manage>,
) -> AppResult<Response> {
    let lines = state.db.action_lines(&network.programme_id).await?;
    let action = format!("/networks/{}/projects", network.id);
    form_page(page, "project-new", action, network, lines, ProjectForm::default(), FieldErrors::default())
}

pub async fn create(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    NetworkAt { network, user: identity, .. }: NetworkAt<Manage>,
    body: String,
) -> AppResult<Response> {
    let network_id = network.id.clone();
    let lines = state.db.action_lines(&network.programme_id).await?;
    let form = ProjectForm::parse(&body);
    match validate(&form, &lines) {
        Ok(input) => {
            let project = state.db.create_project(&identity.actor(), &network_id, &input).await?;
            set_flash_redirect(&session, page.t("flash-saved"), &format!("/projects/{}", project.id)).await
        }
        Err(errors) => {
            form_page(page, "project-new", format!("/networks/{network_id}/projects"), network, lines, form, errors)
        }
    }
}

#[derive(Template)]
#[template(path = "projects/show.html")]
struct ShowPage {
    page: PageContext,
    project: LocalProject,
    network: Network,
    manage: bool,
    budget: String,
    errors: FieldErrors,
}

pub async fn show(
    FormPage(page): FormPage,
    ProjectAt { project, network, access, .. }: ProjectAt<Private>,
) -> AppResult<Response> {
    let budget = project.budget_cents.map(format_euros).unwrap_or_default();
    render(&ShowPage {
        page,
        project,
        network,
        manage: access == NetworkAccess::Manage,
        budget,
        errors: FieldErrors::default(),
    })
}

pub async fn edit_form(
    State(state): State<AppState>,
    FormPage(page): FormPage,
    ProjectAt { project, network, .. }: ProjectAt<Manage>,
) -> AppResult<Response> {
    let lines = state.db.action_lines(&network.programme_id).await?;
    form_page(
        page,
        "project-edit",
        format!("/projects/{}", project.id),
        network,
        lines,
        ProjectForm::from_project(&project),
        FieldErrors::default(),
    )
}

pub async fn update(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    ProjectAt { project, network, user: identity, .. }: ProjectAt<Manage>,
    body: String,
) -> AppResult<Response> {
    let id = project.id;
    let lines = state.db.action_lines(&network.programme_id).await?;
    let form = ProjectForm::parse(&body);
    match validate(&form, &lines) {
        Ok(input) => {
            state.db.update_project(&identity.actor(), &id, &input).await?;
            set_flash_redirect(&session, page.t("flash-saved"), &format!("/projects/{id}")).await
        }
        Err(errors) => form_page(page, "project-edit", format!("/projects/{id}"), network, lines, form, errors),
    }
}

pub async fn archive(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    ProjectAt { project, user: identity, .. }: ProjectAt<Manage>,
) -> AppResult<Response> {
    state.db.set_project_archived(&identity.actor(), &project.id, !project.archived).await?;
    let key = if project.archived { "flash-restored" } else { "flash-archived" };
    set_flash_redirect(&session, page.t(key), &format!("/projects/{}", project.id)).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ActionForm {
    #[serde(rename = "action_title")]
    title: String,
    planned_outputs: String,
    target_groups: String,
}

pub async fn add_action(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    ProjectAt { project, network, user: identity, .. }: ProjectAt<Manage>,
    Form(form): Form<ActionForm>,
) -> AppResult<Response> {
    let id = project.id.clone();
    let raw = ActionRaw {
        title: Some(form.title),
        planned_outputs: Some(form.planned_outputs),
        target_groups: Some(form.target_groups),
    };
    let input = match ActionInput::parse(&raw) {
        Ok(input) => input,
        Err(errors) => {
            // The form calls the action's title `action_title`, apart from the project's.
            let errors = errors.renamed("title", "action_title");
            let budget = project.budget_cents.map(format_euros).unwrap_or_default();
            return render_status(
                form_status(&errors),
                &ShowPage { page, project, network, manage: true, budget, errors },
            );
        }
    };
    state.db.add_project_action(&identity.actor(), &id, &input).await?;
    set_flash_redirect(&session, page.t("flash-saved"), &format!("/projects/{id}")).await
}

pub async fn remove_action(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    ProjectAt { user: identity, .. }: ProjectAt<Manage>,
    Path((id, action_id)): Path<(String, String)>,
) -> AppResult<Response> {
    state.db.remove_project_action(&identity.actor(), &id, &action_id).await?;
    set_flash_redirect(&session, page.t("flash-saved"), &format!("/projects/{id}")).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn euros_are_shown_the_italian_way() {
        assert_eq!(format_euros(1_250_050), "12.500,50");
        assert_eq!(format_euros(5), "0,05");
        assert_eq!(reti_domain::input::project::parse_euros(&format_euros(1_250_050)), Some(1_250_050));
    }
}
