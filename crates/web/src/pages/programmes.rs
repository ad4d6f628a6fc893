//! Programmes: code, CUP, fund, period and action lines. The coordination of a programme edits it.

use super::{form_status, render_status, set_flash_redirect};
use crate::AppState;
use crate::context::Identity;
use crate::error::{AppError, AppResult};
use crate::extract::{CoordinatedProgramme, CurrentUser};
use crate::page::{FormPage, PageContext};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use reti_domain::FieldErrors;
use reti_domain::input::{ActionLineInput, ActionLineRaw, NewProgramme, NewProgrammeRaw, ProgrammeRaw};
use reti_store::programmes::{Programme, ProgrammeDetails, ProgrammeInput};
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Template)]
#[template(path = "programmes/list.html")]
struct ListPage {
    page: PageContext,
    programmes: Vec<(Programme, bool)>,
    is_admin: bool,
    form: NewProgrammeForm,
    errors: FieldErrors,
}

async fn list_page(
    state: &AppState,
    identity: &Identity,
    page: PageContext,
    form: NewProgrammeForm,
    errors: FieldErrors,
) -> AppResult<Response> {
    let is_admin = identity.user.is_admin;
    let programmes = if is_admin {
        state.db.all_programmes().await?
    } else {
        state.db.programmes().await?.into_iter().map(|p| (p, false)).collect()
    };
    let status = form_status(&errors);
    render_status(status, &ListPage { page, programmes, is_admin, form, errors })
}

pub async fn list(
    State(state): State<AppState>,
    identity: CurrentUser,
    FormPage(page): FormPage,
) -> AppResult<Response> {
    list_page(&state, &identity, page, NewProgrammeForm::default(), FieldErrors::default()).await
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct NewProgrammeForm {
    code: String,
    name: String,
}

/// The platform administrator opens a new programme; its coordination then fills it in.
pub async fn create(
    State(state): State<AppState>,
    identity: CurrentUser,
    session: Session,
    FormPage(page): FormPage,
    Form(form): Form<NewProgrammeForm>,
) -> AppResult<Response> {
    let raw = NewProgrammeRaw { code: Some(form.code.clone()), name: Some(form.name.clone()) };
    let new = match NewProgramme::parse(&raw) {
        Ok(new) => new,
        Err(errors) => return list_page(&state, &identity, page, form, errors).await,
    };
    match state.db.create_programme(&identity.actor(), &new.code, &new.name).await {
        Ok(programme) => {
            set_flash_redirect(&session, page.t("flash-saved"), &format!("/programmes/{}", programme.id)).await
        }
        Err(reti_store::StoreError::Conflict { field }) => {
            list_page(
                &state,
                &identity,
                page,
                form,
                FieldErrors::from(reti_domain::FieldError::new(field, "error-duplicate")),
            )
            .await
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn archive(
    State(state): State<AppState>,
    identity: CurrentUser,
    session: Session,
    page: PageContext,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let archived = state
        .db
        .all_programmes()
        .await?
        .into_iter()
        .find(|(p, _)| p.id == id)
        .map(|(_, a)| a)
        .ok_or(AppError::NotFound)?;
    state.db.set_programme_archived(&identity.actor(), &id, !archived).await?;
    let key = if archived { "flash-restored" } else { "flash-archived" };
    set_flash_redirect(&session, page.t(key), "/programmes").await
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ProgrammeForm {
    name: String,
    fund: String,
    cup: String,
    starts_on: String,
    ends_on: String,
}

#[derive(Template)]
#[template(path = "programmes/show.html")]
struct ShowPage {
    page: PageContext,
    programme: ProgrammeDetails,
    can_manage: bool,
    form: ProgrammeForm,
    errors: FieldErrors,
    next_number: i64,
}

fn show_page(
    page: PageContext,
    programme: ProgrammeDetails,
    can_manage: bool,
    form: Option<ProgrammeForm>,
    errors: FieldErrors,
) -> AppResult<Response> {
    let form = form.unwrap_or_else(|| ProgrammeForm {
        name: programme.name.clone(),
        fund: programme.fund.clone(),
        cup: programme.cup.clone(),
        starts_on: programme.starts_on.map(|d| d.to_string()).unwrap_or_default(),
        ends_on: programme.ends_on.map(|d| d.to_string()).unwrap_or_default(),
    });
    let next_number = programme.action_lines.iter().map(|l| l.number).max().unwrap_or(0) + 1;
    let status = form_status(&errors);
    render_status(status, &ShowPage { page, programme, can_manage, form, errors, next_number })
}

pub async fn show(
    State(state): State<AppState>,
    identity: CurrentUser,
    FormPage(page): FormPage,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let programme = state.db.programme_details(&id).await?.ok_or(AppError::NotFound)?;
    show_page(page, programme, identity.coordinates(&id), None, FieldErrors::default())
}

pub async fn update(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    CoordinatedProgramme { programme, user: identity }: CoordinatedProgramme,
    Form(form): Form<ProgrammeForm>,
) -> AppResult<Response> {
    let id = programme.id.clone();
    let raw = ProgrammeRaw {
        name: Some(form.name.clone()),
        fund: Some(form.fund.clone()),
        cup: Some(form.cup.clone()),
        starts_on: Some(form.starts_on.clone()),
        ends_on: Some(form.ends_on.clone()),
    };
    let input = match ProgrammeInput::parse(&raw) {
        Ok(input) => input,
        Err(errors) => return show_page(page, programme, true, Some(form), errors),
    };
    state.db.update_programme(&identity.actor(), &id, &input).await?;
    set_flash_redirect(&session, page.t("flash-saved"), &format!("/programmes/{id}")).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ActionLineForm {
    number: String,
    title: String,
}

pub async fn put_action_line(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    CoordinatedProgramme { programme, user: identity }: CoordinatedProgramme,
    Form(form): Form<ActionLineForm>,
) -> AppResult<Response> {
    let id = programme.id.clone();
    let line = match ActionLineInput::parse(&ActionLineRaw { number: Some(form.number), title: Some(form.title) }) {
        Ok(line) => line,
        Err(errors) => return show_page(page, programme, true, None, errors),
    };
    state.db.put_action_line(&identity.actor(), &id, line.number, &line.title).await?;
    set_flash_redirect(&session, page.t("flash-saved"), &format!("/programmes/{id}")).await
}
