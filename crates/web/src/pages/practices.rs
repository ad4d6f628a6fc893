//! Good practices inside the app (SPEC §6, decision 0029): networks' members write them, the
//! programme's coordination reviews and publishes them. Every step is audited and announced by
//! mail through the job queue.

use super::{form_status, render, render_status, set_flash_redirect};
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::extract::CurrentUser;
use crate::mail::Mail;
use crate::page::{FormPage, PageContext};
use crate::pagination::Pager;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use reti_domain::markdown;
use reti_domain::practices::{PracticeInput, PracticeRaw, PracticeStatus, TEXT_FIELDS, Transition, parse_comment};
use reti_domain::{FieldError, FieldErrors};
use reti_store::PageRequest;
use reti_store::jobs::NewJob;
use reti_store::practice_images::PracticeImage;
use reti_store::practices::{Practice, PracticeComment, PracticeFilter, PracticeMunicipality};
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    pub page: Option<u32>,
    pub status: String,
}

/// What the caller may do with a practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PracticeRights {
    /// A member of its network (or its author): may read it, and change and submit it while it
    /// is a draft or returned.
    pub author: bool,
    /// The coordination of its programme: may review, comment, publish and return it.
    pub reviewer: bool,
}

pub fn rights(user: &CurrentUser, practice: &Practice) -> PracticeRights {
    let member = practice.network_id.as_ref().is_some_and(|n| user.networks.iter().any(|a| &a.network_id == n));
    let author = member || practice.author_user_id.as_deref() == Some(user.identity.user.id.as_str());
    PracticeRights { author, reviewer: user.coordinates(&practice.programme_id) }
}

/// The practice of the route, when the caller may see it (others get a 404: it does not exist for
/// them).
pub(crate) async fn visible(state: &AppState, user: &CurrentUser, id: &str) -> AppResult<(Practice, PracticeRights)> {
    let practice = state.db.practice(id).await?.ok_or(AppError::NotFound)?;
    let rights = rights(user, &practice);
    if rights.author || rights.reviewer { Ok((practice, rights)) } else { Err(AppError::NotFound) }
}

pub struct PracticeRow {
    pub practice: Practice,
    pub status_key: String,
}

#[derive(Template)]
#[template(path = "practices/list.html")]
struct ListPage {
    page: PageContext,
    rows: Vec<PracticeRow>,
    pager: Pager,
    statuses: Vec<(&'static str, String)>,
    status: String,
    may_create: bool,
}

pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    page: PageContext,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    let status = PracticeStatus::parse(&query.status);
    let filter = if user.user.is_admin {
        PracticeFilter { status, ..PracticeFilter::default() }
    } else {
        PracticeFilter {
            network_ids: Some(user.networks.iter().map(|n| n.network_id.clone()).collect()),
            programme_ids: Some(user.coordinated_programmes()),
            status,
        }
    };
    let request = PageRequest::new(query.page, Some(20));
    let result = state.db.practices(&filter, request).await?;
    let status_code = status.map(|s| s.code().to_owned()).unwrap_or_default();
    let pager = Pager::new("/practices", &[("status", status_code.clone())], request, result.total);
    let rows =
        result.items.into_iter().map(|p| PracticeRow { status_key: p.status.label_key(), practice: p }).collect();
    let statuses = PracticeStatus::ALL.iter().map(|s| (s.code(), page.t(&s.label_key()))).collect();
    let may_create = !user.networks.is_empty();
    render(&ListPage { page, rows, pager, statuses, status: status_code, may_create })
}

#[derive(Template)]
#[template(path = "practices/form.html")]
struct FormTemplate {
    page: PageContext,
    title: String,
    action: String,
    networks: Vec<(String, String)>,
    /// (name, label, value) of each Markdown field.
    text_fields: Vec<(&'static str, String, String)>,
    form: PracticeRaw,
    errors: FieldErrors,
}

fn form_page(
    page: PageContext,
    user: &CurrentUser,
    title_key: &str,
    action: String,
    form: PracticeRaw,
    errors: FieldErrors,
) -> AppResult<Response> {
    let mut networks: Vec<(String, String)> =
        user.networks.iter().map(|n| (n.network_id.clone(), n.network_name.clone())).collect();
    networks.dedup();
    let text_fields = TEXT_FIELDS
        .iter()
        .map(|f| (*f, page.t(&format!("practice-field-{}", f.replace('_', "-"))), raw_text(&form, f).to_owned()))
        .collect();
    let status = form_status(&errors);
    render_status(status, &FormTemplate { title: page.t(title_key), page, action, networks, text_fields, form, errors })
}

/// The network a new practice belongs to: one of the author's.
fn network_of_author(user: &CurrentUser, network_id: Option<&str>) -> Result<String, FieldErrors> {
    match network_id {
        Some(id) if user.networks.iter().any(|n| n.network_id == id) => Ok(id.to_owned()),
        Some(_) => Err(FieldError::new("network_id", "error-practice-network-not-yours").into()),
        None => Err(FieldError::new("network_id", "error-required").into()),
    }
}

/// Checks a form and resolves its municipalities: the input and their ISTAT codes.
async fn checked(state: &AppState, form: &PracticeRaw) -> AppResult<Result<(PracticeInput, Vec<String>), FieldErrors>> {
    let input = match PracticeInput::parse(form) {
        Ok(input) => input,
        Err(errors) => return Ok(Err(errors)),
    };
    Ok(state.db.resolve_municipalities(&input.municipalities).await?.map(|codes| (input, codes)))
}

/// The form; someone on no network sees it with no network to choose, and saving tells them
/// that a practice needs one of theirs.
pub async fn new_form(FormPage(page): FormPage, user: CurrentUser) -> AppResult<Response> {
    let network_id = user.networks.first().map(|n| n.network_id.clone()).unwrap_or_default();
    let form = PracticeRaw { network_id, ..PracticeRaw::default() };
    form_page(page, &user, "practice-new", "/practices".into(), form, FieldErrors::default())
}

pub async fn create(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    user: CurrentUser,
    axum::Form(form): axum::Form<PracticeRaw>,
) -> AppResult<Response> {
    let outcome = match checked(&state, &form).await? {
        Ok((input, codes)) => match network_of_author(&user, input.network_id.as_deref()) {
            Ok(network_id) => Ok((input, codes, network_id)),
            Err(errors) => Err(errors),
        },
        Err(errors) => Err(errors),
    };
    match outcome {
        Ok((input, codes, network_id)) => {
            let programme_id = user
                .networks
                .iter()
                .find(|n| n.network_id == network_id)
                .map(|n| n.programme_id.clone())
                .ok_or(AppError::Forbidden)?;
            let practice = state
                .db
                .create_practice(&user.actor(), &programme_id, Some(&user.identity.user.id), &input, &codes)
                .await?;
            set_flash_redirect(&session, page.t("flash-saved"), &format!("/practices/{}", practice.id)).await
        }
        Err(errors) => form_page(page, &user, "practice-new", "/practices".into(), form, errors),
    }
}

/// The value of a Markdown field of a form, by name.
fn raw_text<'a>(form: &'a PracticeRaw, field: &str) -> &'a str {
    match field {
        "context" => &form.context,
        "problem" => &form.problem,
        "objectives" => &form.objectives,
        "target_group" => &form.target_group,
        "activities" => &form.activities,
        "actors" => &form.actors,
        "resources" => &form.resources,
        "results" => &form.results,
        "innovation" => &form.innovation,
        "sustainability" => &form.sustainability,
        "transferability" => &form.transferability,
        "lessons" => &form.lessons,
        _ => &form.contacts,
    }
}

fn raw_of(practice: &Practice, municipalities: &[PracticeMunicipality]) -> PracticeRaw {
    let t = &practice.texts;
    PracticeRaw {
        title: practice.title.clone(),
        network_id: practice.network_id.clone().unwrap_or_default(),
        municipalities: municipalities.iter().map(|m| m.name.clone()).collect::<Vec<_>>().join(", "),
        action_line: practice.action_line.map(|n| n.to_string()).unwrap_or_default(),
        theme: practice.theme.clone(),
        year: practice.year.map(|n| n.to_string()).unwrap_or_default(),
        context: t.context.clone(),
        problem: t.problem.clone(),
        objectives: t.objectives.clone(),
        target_group: t.target_group.clone(),
        activities: t.activities.clone(),
        actors: t.actors.clone(),
        resources: t.resources.clone(),
        results: t.results.clone(),
        innovation: t.innovation.clone(),
        sustainability: t.sustainability.clone(),
        transferability: t.transferability.clone(),
        lessons: t.lessons.clone(),
        contacts: t.contacts.clone(),
    }
}

pub(crate) async fn editable(state: &AppState, user: &CurrentUser, id: &str) -> AppResult<Practice> {
    let (practice, rights) = visible(state, user, id).await?;
    if !rights.author || !practice.status.editable() {
        return Err(AppError::Forbidden);
    }
    Ok(practice)
}

pub async fn edit_form(
    State(state): State<AppState>,
    FormPage(page): FormPage,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let practice = editable(&state, &user, &id).await?;
    let municipalities = state.db.practice_municipalities(&id).await?;
    let form = raw_of(&practice, &municipalities);
    form_page(page, &user, "practice-edit", format!("/practices/{id}"), form, FieldErrors::default())
}

pub async fn update(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    user: CurrentUser,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<PracticeRaw>,
) -> AppResult<Response> {
    editable(&state, &user, &id).await?;
    let outcome = match checked(&state, &form).await? {
        Ok((input, codes)) => match network_of_author(&user, input.network_id.as_deref()) {
            Ok(_) => Ok((input, codes)),
            Err(errors) => Err(errors),
        },
        Err(errors) => Err(errors),
    };
    match outcome {
        Ok((input, codes)) => {
            state.db.update_practice(&user.actor(), &id, &input, &codes).await?;
            set_flash_redirect(&session, page.t("flash-saved"), &format!("/practices/{id}")).await
        }
        Err(errors) => form_page(page, &user, "practice-edit", format!("/practices/{id}"), form, errors),
    }
}

/// A Markdown field as shown: its label and its sanitised HTML.
pub struct RenderedField {
    pub label: String,
    pub html: String,
}

/// The template's fields that have text, rendered through the one sanitiser.
pub fn rendered_fields(page: &PageContext, practice: &Practice) -> Vec<RenderedField> {
    practice
        .texts
        .fields()
        .iter()
        .filter(|(_, text)| !text.is_empty())
        .map(|(field, text)| RenderedField {
            label: page.t(&format!("practice-field-{}", field.replace('_', "-"))),
            html: markdown::render(text),
        })
        .collect()
}

pub struct CommentView {
    pub comment: PracticeComment,
    pub step_key: String,
    pub html: String,
}

#[derive(Template)]
#[template(path = "practices/show.html")]
struct ShowPage {
    page: PageContext,
    practice: Practice,
    status_key: String,
    municipalities: Vec<PracticeMunicipality>,
    fields: Vec<RenderedField>,
    comments: Vec<CommentView>,
    rights: PracticeRights,
    transitions: Vec<(&'static str, String)>,
    images: Vec<PracticeImage>,
    image_limit: String,
    errors: FieldErrors,
}

pub(crate) async fn show_page(
    state: &AppState,
    page: PageContext,
    practice: Practice,
    rights: PracticeRights,
    errors: FieldErrors,
) -> AppResult<Response> {
    let municipalities = state.db.practice_municipalities(&practice.id).await?;
    let comments = state
        .db
        .practice_comments(&practice.id)
        .await?
        .into_iter()
        .map(|c| CommentView {
            step_key: format!("practice-step-{}", c.step.replace('_', "-")),
            html: markdown::render(&c.body),
            comment: c,
        })
        .collect();
    let transitions = Transition::ALL
        .into_iter()
        .filter(|t| t.apply(practice.status).is_ok())
        .filter(|t| if t.by_reviewer() { rights.reviewer } else { rights.author })
        .map(|t| (t.code(), page.t(&format!("practice-action-{}", t.code().replace('_', "-")))))
        .collect();
    let fields = rendered_fields(&page, &practice);
    let images = state.db.practice_images(&practice.id).await?;
    let image_limit = format!("{} MB", super::practice_images::MAX_IMAGE_BYTES / (1024 * 1024));
    let status = form_status(&errors);
    let status_key = practice.status.label_key();
    render_status(
        status,
        &ShowPage {
            page,
            status_key,
            practice,
            municipalities,
            fields,
            comments,
            rights,
            transitions,
            images,
            image_limit,
            errors,
        },
    )
}

pub async fn show(
    State(state): State<AppState>,
    page: PageContext,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (practice, rights) = visible(&state, &user, &id).await?;
    show_page(&state, page, practice, rights, FieldErrors::default()).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StepForm {
    pub step: String,
    pub comment: String,
}

/// The mails that announce a step: to the coordination when the authors act, to the author when
/// the coordination does.
async fn notices(
    state: &AppState,
    page: &PageContext,
    practice: &Practice,
    step: &str,
    by_reviewer: bool,
) -> AppResult<Vec<NewJob>> {
    let recipients = if by_reviewer {
        match &practice.author_user_id {
            Some(author) => state.db.user_email(author).await?.into_iter().collect(),
            None => Vec::new(),
        }
    } else {
        state.db.programme_coordinator_emails(&practice.programme_id).await?
    };
    let args = [("title", practice.title.clone())];
    let subject = page.t_args(&format!("practice-mail-subject-{step}"), &args);
    let link = format!("{}/practices/{}", state.config.public_url, practice.id);
    let body = format!("{}\n\n{link}\n", page.t_args(&format!("practice-mail-body-{step}"), &args));
    Ok(recipients
        .into_iter()
        .map(|to| Mail { to, subject: subject.clone(), body: body.clone(), attachment: None }.job())
        .collect())
}

/// Takes a step of the workflow (submit, start review, publish, return) or leaves a comment.
pub async fn step(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    user: CurrentUser,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<StepForm>,
) -> AppResult<Response> {
    let (practice, rights) = visible(&state, &user, &id).await?;
    let comment_step = form.step == "comment";
    let transition = Transition::parse(&form.step);
    let by_reviewer = comment_step || transition.is_some_and(Transition::by_reviewer);
    if transition.is_none() && !comment_step {
        return Err(AppError::Invalid(FieldError::new("step", "error-practice-transition").into()));
    }
    if (by_reviewer && !rights.reviewer) || (!by_reviewer && !rights.author) {
        return Err(AppError::Forbidden);
    }
    let required = comment_step || transition.is_some_and(Transition::needs_reason);
    let comment = match parse_comment(&form.comment, required) {
        Ok(comment) => comment,
        Err(error) => return show_page(&state, page, practice, rights, error.into()).await,
    };
    let step_code = transition.map_or("comment", Transition::code);
    let jobs = notices(&state, &page, &practice, step_code, by_reviewer).await?;
    let outcome = match transition {
        Some(transition) => {
            state.db.transition_practice(&user.actor(), &id, transition, &comment, &jobs).await.map(|_| ())
        }
        None => state.db.comment_practice(&user.actor(), &id, &comment, &jobs).await,
    };
    match outcome {
        Ok(()) => {
            set_flash_redirect(
                &session,
                page.t(&format!("practice-flash-{}", step_code.replace('_', "-"))),
                &format!("/practices/{id}"),
            )
            .await
        }
        Err(reti_store::StoreError::Invalid(errors)) => show_page(&state, page, practice, rights, errors).await,
        Err(other) => Err(other.into()),
    }
}

/// The practices the caller reaches, as JSON (the import's shape), CSV or XLSX:
/// `/practices/export/practices.json`.
pub async fn export(State(state): State<AppState>, user: CurrentUser, Path(file): Path<String>) -> AppResult<Response> {
    let filter = if user.user.is_admin {
        PracticeFilter::default()
    } else {
        PracticeFilter {
            network_ids: Some(user.networks.iter().map(|n| n.network_id.clone()).collect()),
            programme_ids: Some(user.coordinated_programmes()),
            status: None,
        }
    };
    export_file(&state, &filter, &file).await
}

/// The published practices, for everyone: `/bacheca/export/practices.{json,csv,xlsx}`.
pub async fn export_published(State(state): State<AppState>, Path(file): Path<String>) -> AppResult<Response> {
    let filter =
        PracticeFilter { status: Some(reti_domain::practices::PracticeStatus::Published), ..Default::default() };
    export_file(&state, &filter, &file).await
}

/// The practices `filter` selects as `file` (`practices.json`, `.csv` or `.xlsx`): the JSON in
/// the import's shape, the tables through the shared export writer.
async fn export_file(state: &AppState, filter: &PracticeFilter, file: &str) -> AppResult<Response> {
    use axum::http::header;
    use axum::response::IntoResponse;
    let format = file.strip_prefix("practices.").and_then(crate::export::Format::parse).ok_or(AppError::NotFound)?;
    let practices = state.db.practices_export(filter).await?;
    let bytes = match format {
        crate::export::Format::Json => {
            let records: Vec<_> =
                practices.into_iter().map(|(p, codes)| reti_store::practices::record_of(&p, codes)).collect();
            serde_json::to_vec_pretty(&records).map_err(|e| AppError::Internal(e.into()))?
        }
        other => crate::export::write(&reti_store::practices::export_table(practices), other)?,
    };
    let disposition = format!("attachment; filename=\"reti-practices.{}\"", format.extension());
    Ok(([(header::CONTENT_TYPE, format.content_type().to_owned()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response())
}
