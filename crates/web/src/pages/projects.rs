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
use reti_domain::{FieldErrors, dates};
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

/// Euros as typed ("12.500,50", "12500.5", "12500") into cents.
pub fn parse_euros(text: &str) -> Option<i64> {
    let text = text.trim().trim_start_matches('€').trim();
    let normalised = if text.contains(',') { text.replace('.', "").replace(',', ".") } else { text.to_owned() };
    let value: f64 = normalised.parse().ok()?;
    (0.0..1e12).contains(&value).then(|| (value * 100.0).round() as i64)
}

fn validate(form: &ProjectForm, lines: &[ActionLine]) -> Result<ProjectInput, FieldErrors> {
    let mut errors = FieldErrors::default();
    if form.title.trim().is_empty() {
        errors.push("title", "error-required");
    }
    let budget_cents = if form.budget.trim().is_empty() {
        None
    } else {
        let parsed = parse_euros(&form.budget);
        if parsed.is_none() {
            errors.push("budget", "error-amount-invalid");
        }
        parsed
    };
    let starts_on = errors.check(dates::parse_optional("starts_on", &form.starts_on)).flatten();
    let ends_on = errors.check(dates::parse_optional("ends_on", &form.ends_on)).flatten();
    if let (Some(start), Some(end)) = (starts_on, ends_on)
        && end < start
    {
        errors.push("ends_on", "error-date-order");
    }
    if form.action_lines.iter().any(|id| !lines.iter().any(|l| &l.id == id)) {
        errors.push("action_lines", "error-action-line-invalid");
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ProjectInput {
        title: form.title.trim().to_owned(),
        description: form.description.trim().to_owned(),
        budget_cents,
        starts_on,
        ends_on,
        action_line_ids: form.action_lines.clone(),
    })
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
    if form.title.trim().is_empty() {
        let errors = FieldErrors::from(reti_domain::FieldError::new("action_title", "error-required"));
        let budget = project.budget_cents.map(format_euros).unwrap_or_default();
        return render_status(form_status(&errors), &ShowPage { page, project, network, manage: true, budget, errors });
    }
    let input =
        ActionInput { title: form.title, planned_outputs: form.planned_outputs, target_groups: form.target_groups };
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
    fn euros_round_trip_the_italian_way() {
        assert_eq!(format_euros(1_250_050), "12.500,50");
        assert_eq!(format_euros(5), "0,05");
        assert_eq!(parse_euros("12.500,50"), Some(1_250_050));
        assert_eq!(parse_euros("€ 12500.5"), Some(1_250_050));
        assert_eq!(parse_euros("12500"), Some(1_250_000));
        assert_eq!(parse_euros("dodici"), None);
        assert_eq!(parse_euros("-3"), None);
    }
}
