//! Thematic labs (SPEC §6, decision 0032): the labs of the caller's programmes, a lab's page with
//! its sessions, participants by network, experts and materials, enrolment, invitations, and the
//! forms of the coordination and the experts. Who reaches what is [`LabAt`]'s.

use super::{form_status, render, render_status, set_flash_redirect};
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::extract::{
    CoordinateLab, Coordination, CurrentUser, LabAccess, LabAt, LabContent, SeeLab, reaches_lab_space,
};
use crate::page::{FormPage, PageContext};
use crate::pagination::Pager;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use reti_domain::documents::{DocumentScope, local_time};
use reti_domain::labs::{Enrolment, GuestExpert, Joiner, LabInput, LabRaw, LabStatus};
use reti_domain::markdown;
use reti_domain::meetings::{self, to_local};
use reti_domain::{FieldError, FieldErrors};
use reti_store::PageRequest;
use reti_store::documents::DocumentSummary;
use reti_store::exchanges::{ExchangeScope, ThreadSummary};
use reti_store::labs::{Lab, LabCandidate, LabFilter, LabParticipant, LabSession, LabSummary};
use reti_store::programmes::{ActionLine, Programme};
use serde::Deserialize;
use tower_sessions::Session;

/// How many accounts the invitation form offers at most.
const CANDIDATES: i64 = 500;

/// The programmes whose labs `user` sees (`None`: all, for the administrator).
pub fn programme_scope(user: &CurrentUser) -> Option<Vec<String>> {
    if user.user.is_admin {
        return None;
    }
    let mut ids: Vec<String> = user.assignments.iter().map(|a| a.programme_id.clone()).collect();
    ids.extend(user.networks.iter().map(|n| n.programme_id.clone()));
    ids.sort();
    ids.dedup();
    Some(ids)
}

fn when(instant: chrono::DateTime<chrono::Utc>) -> String {
    to_local(instant).format("%d/%m/%Y %H:%M").to_string()
}

fn when_text(text: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(text).map(|t| when(t.with_timezone(&chrono::Utc))).unwrap_or_default()
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    pub page: Option<u32>,
    pub status: String,
    pub action_line: String,
}

pub struct LabRow {
    pub lab: LabSummary,
    pub status: String,
    pub enrolment: String,
    pub next_session: String,
}

#[derive(Template)]
#[template(path = "labs/list.html")]
struct ListPage {
    page: PageContext,
    rows: Vec<LabRow>,
    pager: Pager,
    statuses: Vec<(&'static str, String)>,
    status: String,
    action_lines: Vec<(String, String)>,
    action_line: String,
    may_create: bool,
}

pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    page: PageContext,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    let status = LabStatus::parse(&query.status);
    let action_line = query.action_line.trim().parse::<i64>().ok().filter(|n| (1..=99).contains(n));
    let filter = LabFilter { programme_ids: programme_scope(&user), status, action_line };
    let request = PageRequest::new(query.page, Some(20));
    let result = state.db.labs(&filter, request).await?;
    let status_code = status.map(|s| s.code().to_owned()).unwrap_or_default();
    let line_code = action_line.map(|n| n.to_string()).unwrap_or_default();
    let pager = Pager::new(
        "/labs",
        &[("status", status_code.clone()), ("action_line", line_code.clone())],
        request,
        result.total,
    );
    let rows = result
        .items
        .into_iter()
        .map(|lab| LabRow {
            status: page.t(&lab.status.label_key()),
            enrolment: page.t(&lab.enrolment.label_key()),
            next_session: lab.next_session.as_deref().map(when_text).unwrap_or_default(),
            lab,
        })
        .collect();
    let statuses = LabStatus::ALL.iter().map(|s| (s.code(), page.t(&s.label_key()))).collect();
    let mut action_lines = Vec::new();
    for programme_id in first_programmes(&state, &user).await? {
        for line in state.db.action_lines(&programme_id).await? {
            let entry = (line.number.to_string(), format!("{}. {}", line.number, line.title));
            if !action_lines.iter().any(|(n, _): &(String, String)| *n == entry.0) {
                action_lines.push(entry);
            }
        }
    }
    action_lines.sort_by_key(|(n, _)| n.parse::<i64>().unwrap_or(0));
    let may_create = user.is_coordinator();
    render(&ListPage {
        page,
        rows,
        pager,
        statuses,
        status: status_code,
        action_lines,
        action_line: line_code,
        may_create,
    })
}

/// The programmes whose action lines the filter offers: the caller's (a few), or the first few
/// of the installation for the administrator.
async fn first_programmes(state: &AppState, user: &CurrentUser) -> AppResult<Vec<String>> {
    Ok(match programme_scope(user) {
        Some(ids) => ids.into_iter().take(5).collect(),
        None => state.db.programmes().await?.into_iter().take(5).map(|p| p.id).collect(),
    })
}

// ---------------------------------------------------------------------------------------------
// New and edit

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LabForm {
    pub programme_id: String,
    #[serde(flatten)]
    pub lab: LabRaw,
}

#[derive(Template)]
#[template(path = "labs/form.html")]
struct FormTemplate {
    page: PageContext,
    title: String,
    action: String,
    programme: Programme,
    /// Other programmes the coordination may create the lab in instead (new labs only).
    other_programmes: Vec<Programme>,
    action_lines: Vec<ActionLine>,
    enrolments: Vec<(&'static str, String)>,
    statuses: Vec<(&'static str, String)>,
    form: LabRaw,
    errors: FieldErrors,
}

#[allow(clippy::too_many_arguments)]
async fn form_page(
    state: &AppState,
    page: PageContext,
    programme: Programme,
    other_programmes: Vec<Programme>,
    lab_id: Option<&str>,
    form: LabRaw,
    errors: FieldErrors,
) -> AppResult<Response> {
    let action_lines = state.db.action_lines(&programme.id).await?;
    let enrolments = Enrolment::ALL.iter().map(|e| (e.code(), page.t(&e.label_key()))).collect();
    let statuses = LabStatus::ALL.iter().map(|s| (s.code(), page.t(&s.label_key()))).collect();
    let (title, action) = match lab_id {
        Some(id) => (page.t("lab-edit"), format!("/labs/{id}")),
        None => (page.t("lab-new"), "/labs".to_owned()),
    };
    render_status(
        form_status(&errors),
        &FormTemplate {
            page,
            title,
            action,
            programme,
            other_programmes,
            action_lines,
            enrolments,
            statuses,
            form,
            errors,
        },
    )
}

/// The programmes `user` coordinates (all of them for the administrator).
async fn coordinated(state: &AppState, user: &CurrentUser) -> AppResult<Vec<Programme>> {
    Ok(state.db.programmes().await?.into_iter().filter(|p| user.coordinates(&p.id)).collect())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewQuery {
    pub programme: String,
}

pub async fn new_form(
    State(state): State<AppState>,
    FormPage(page): FormPage,
    Coordination(user): Coordination,
    Query(query): Query<NewQuery>,
) -> AppResult<Response> {
    let mut programmes = coordinated(&state, &user).await?;
    let chosen = programmes.iter().position(|p| p.id == query.programme).unwrap_or(0);
    if programmes.is_empty() {
        return Err(AppError::Forbidden);
    }
    let programme = programmes.remove(chosen);
    let form = LabRaw { enrolment: "open".into(), status: "planned".into(), ..LabRaw::default() };
    form_page(&state, page, programme, programmes, None, form, FieldErrors::default()).await
}

pub async fn create(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    Coordination(user): Coordination,
    axum::Form(form): axum::Form<LabForm>,
) -> AppResult<Response> {
    let mut programmes = coordinated(&state, &user).await?;
    let Some(chosen) = programmes.iter().position(|p| p.id == form.programme_id) else {
        // Not a programme the caller coordinates: the form again, on their first one.
        if programmes.is_empty() {
            return Err(AppError::Forbidden);
        }
        let programme = programmes.remove(0);
        let errors = FieldErrors::from(FieldError::new("programme_id", "error-lab-programme"));
        return form_page(&state, page, programme, programmes, None, form.lab, errors).await;
    };
    let programme = programmes.remove(chosen);
    let outcome = match LabInput::parse(&form.lab) {
        Ok(input) => state.db.create_lab(&user.actor(), &programme.id, &input).await,
        Err(errors) => Err(errors.into()),
    };
    match outcome {
        Ok(id) => set_flash_redirect(&session, page.t("flash-saved"), &format!("/labs/{id}")).await,
        Err(reti_store::StoreError::Invalid(errors)) => {
            form_page(&state, page, programme, programmes, None, form.lab, errors).await
        }
        Err(other) => Err(other.into()),
    }
}

fn raw_of(lab: &Lab) -> LabRaw {
    LabRaw {
        title: lab.title.clone(),
        theme: lab.theme.clone(),
        action_line: lab.action_line.map(|n| n.to_string()).unwrap_or_default(),
        description: lab.description.clone(),
        enrolment: lab.enrolment.code().to_owned(),
        capacity: lab.capacity.map(|n| n.to_string()).unwrap_or_default(),
        status: lab.status.code().to_owned(),
    }
}

fn programme_of(lab: &Lab) -> Programme {
    Programme { id: lab.programme_id.clone(), code: String::new(), name: lab.programme_name.clone() }
}

pub async fn edit_form(
    State(state): State<AppState>,
    FormPage(page): FormPage,
    LabAt { lab, .. }: LabAt<LabContent>,
) -> AppResult<Response> {
    let form = raw_of(&lab);
    form_page(&state, page, programme_of(&lab), Vec::new(), Some(&lab.id), form, FieldErrors::default()).await
}

pub async fn update(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    LabAt { lab, user, .. }: LabAt<LabContent>,
    axum::Form(form): axum::Form<LabForm>,
) -> AppResult<Response> {
    let outcome = match LabInput::parse(&form.lab) {
        Ok(input) => state.db.update_lab(&user.actor(), &lab.id, &input).await,
        Err(errors) => Err(errors.into()),
    };
    match outcome {
        Ok(()) => set_flash_redirect(&session, page.t("flash-saved"), &format!("/labs/{}", lab.id)).await,
        Err(reti_store::StoreError::Invalid(errors)) => {
            form_page(&state, page, programme_of(&lab), Vec::new(), Some(&lab.id), form.lab, errors).await
        }
        Err(other) => Err(other.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// The lab's page

pub struct SessionLine {
    pub session: LabSession,
    pub when: String,
    pub mode: String,
}

/// The lab's own space on its page: its latest threads and documents, for those who reach them.
pub struct LabSpaceView {
    /// `(thread, last activity)`, the latest active first.
    pub threads: Vec<(ThreadSummary, String)>,
    pub threads_total: i64,
    pub documents: Vec<DocumentSummary>,
    pub documents_total: i64,
}

/// How many threads and documents the lab's page shows.
const SPACE_ITEMS: u32 = 5;

async fn lab_space(state: &AppState, user: &CurrentUser, lab: &Lab) -> AppResult<Option<LabSpaceView>> {
    if !reaches_lab_space(user, lab) {
        return Ok(None);
    }
    let request = PageRequest::new(Some(1), Some(SPACE_ITEMS));
    let threads = state.db.exchange_threads(&ExchangeScope::Lab(lab.id.clone()), &user.user.id, request).await?;
    let documents = state.db.documents_of(&DocumentScope::Lab(lab.id.clone()), request).await?;
    Ok(Some(LabSpaceView {
        threads: threads
            .items
            .into_iter()
            .filter(|t| !t.hidden)
            .map(|t| {
                let last = super::threads::when(&t.last_message_at);
                (t, last)
            })
            .collect(),
        threads_total: threads.total,
        documents: documents
            .items
            .into_iter()
            .map(|d| DocumentSummary { updated_at: local_time(&d.updated_at), ..d })
            .collect(),
        documents_total: documents.total,
    }))
}

pub struct NetworkGroup {
    pub name: String,
    pub people: Vec<LabParticipant>,
}

pub struct MaterialLine {
    pub id: String,
    pub file_name: String,
    pub size: String,
    pub created_at: String,
}

#[derive(Template)]
#[template(path = "labs/show.html")]
struct ShowPage {
    page: PageContext,
    lab: Lab,
    /// How many are enrolled.
    enrolled: i64,
    status: String,
    enrolment: String,
    description: String,
    upcoming: Vec<SessionLine>,
    past: Vec<SessionLine>,
    groups: Vec<NetworkGroup>,
    materials: Vec<MaterialLine>,
    manage: bool,
    coordinate: bool,
    /// The caller's own participation (the network they come from), if any.
    own: Option<String>,
    /// The caller's networks of the lab's programme they may enrol from (id, name).
    own_networks: Vec<(String, String)>,
    may_enrol: bool,
    candidates: Vec<LabCandidate>,
    /// The programme's networks (id, name), for whole-network invitations and hosting sessions.
    networks: Vec<(String, String)>,
    attachment_limit: String,
    errors: FieldErrors,
    /// Its threads and documents, when the caller reaches them.
    space: Option<LabSpaceView>,
}

async fn show_page(
    state: &AppState,
    page: PageContext,
    user: &CurrentUser,
    lab: Lab,
    access: LabAccess,
    errors: FieldErrors,
) -> AppResult<Response> {
    let manage = access >= LabAccess::Content;
    let now = chrono::Utc::now();
    let (mut upcoming, mut past) = (Vec::new(), Vec::new());
    for session in state.db.lab_sessions(&lab.id).await? {
        let line = SessionLine { when: when(session.starts_at), mode: page.t(session.mode.label_key()), session };
        if line.session.ends_at >= now { upcoming.push(line) } else { past.push(line) }
    }
    past.reverse();
    let mut groups: Vec<NetworkGroup> = Vec::new();
    for participant in &lab.participants {
        match groups.last_mut() {
            Some(group) if group.name == participant.network_name => group.people.push(participant.clone()),
            _ => {
                groups.push(NetworkGroup { name: participant.network_name.clone(), people: vec![participant.clone()] })
            }
        }
    }
    let materials = lab
        .materials
        .iter()
        .map(|m| MaterialLine {
            id: m.id.clone(),
            file_name: m.file_name.clone(),
            size: format!("{:.1} KB", m.size_bytes as f64 / 1024.0),
            created_at: when_text(&m.created_at),
        })
        .collect();
    let own = lab.participant(&user.user.id).map(|p| p.network_name.clone());
    let mut own_networks: Vec<(String, String)> = user
        .networks
        .iter()
        .filter(|n| n.programme_id == lab.programme_id)
        .filter(|n| matches!(n.role, reti_domain::Role::NetworkMember | reti_domain::Role::NetworkLead))
        .map(|n| (n.network_id.clone(), n.network_name.clone()))
        .collect();
    own_networks.dedup();
    let may_enrol = own.is_none()
        && !own_networks.is_empty()
        && lab.enrolment == Enrolment::Open
        && lab.status != LabStatus::Closed
        && !lab.is_full();
    let (candidates, networks) = if manage {
        let candidates = state.db.lab_candidates(&lab.programme_id, None, CANDIDATES).await?;
        let networks = state.db.programme_networks_for_labs(&lab.programme_id).await?;
        (candidates.into_iter().filter(|c| lab.participant(&c.user_id).is_none()).collect(), networks)
    } else {
        (Vec::new(), Vec::new())
    };
    let status = page.t(&lab.status.label_key());
    let enrolment = page.t(&lab.enrolment.label_key());
    let description = markdown::render(&lab.description);
    let space = lab_space(state, user, &lab).await?;
    render_status(
        form_status(&errors),
        &ShowPage {
            page,
            enrolled: lab.participants.len() as i64,
            status,
            enrolment,
            description,
            upcoming,
            past,
            groups,
            materials,
            manage,
            coordinate: access == LabAccess::Coordinate,
            own,
            own_networks,
            may_enrol,
            candidates,
            networks,
            attachment_limit: format!("{} MB", meetings::MAX_ATTACHMENT_BYTES / (1024 * 1024)),
            errors,
            space,
            lab,
        },
    )
}

pub async fn show(
    State(state): State<AppState>,
    FormPage(page): FormPage,
    LabAt { lab, access, user, .. }: LabAt<SeeLab>,
) -> AppResult<Response> {
    show_page(&state, page, &user, lab, access, FieldErrors::default()).await
}

/// The lab's page again with `errors`, or the error itself when it is not a form's.
async fn refused<L: crate::extract::LabLevel>(
    state: &AppState,
    page: PageContext,
    at: LabAt<L>,
    error: reti_store::StoreError,
) -> AppResult<Response> {
    match error {
        reti_store::StoreError::Invalid(errors) => {
            // Read again: the refused change left it as it was.
            let lab = state.db.lab(&at.lab.id).await?.ok_or(AppError::NotFound)?;
            show_page(state, page, &at.user, lab, at.access, errors).await
        }
        other => Err(other.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// Enrolment

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EnrolForm {
    pub network_id: String,
}

/// The person enrols themself, from one of their networks of the lab's programme.
pub async fn enrol(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    at: LabAt<SeeLab>,
    axum::Form(form): axum::Form<EnrolForm>,
) -> AppResult<Response> {
    let people = [(at.user.user.id.clone(), form.network_id.clone())];
    match state.db.enrol_in_lab(&at.user.actor(), &at.lab.id, &people, Joiner::Themself).await {
        Ok(_) => set_flash_redirect(&session, page.t("lab-flash-enrolled"), &format!("/labs/{}", at.lab.id)).await,
        Err(error) => refused(&state, page, at, error).await,
    }
}

pub async fn leave(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    LabAt { lab, user, .. }: LabAt<SeeLab>,
) -> AppResult<Response> {
    state.db.leave_lab(&user.actor(), &lab.id, &user.user.id).await?;
    set_flash_redirect(&session, page.t("lab-flash-left"), &format!("/labs/{}", lab.id)).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct InviteForm {
    /// `user id|network id`: one person from one network.
    pub person: String,
    /// A whole network: every account working on it.
    pub network_id: String,
}

/// The coordination or an expert adds a person, or every person of a network.
pub async fn invite(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    at: LabAt<LabContent>,
    axum::Form(form): axum::Form<InviteForm>,
) -> AppResult<Response> {
    let people: Vec<(String, String)> = if let Some((user_id, network_id)) = form.person.split_once('|') {
        vec![(user_id.to_owned(), network_id.to_owned())]
    } else if !form.network_id.is_empty() {
        let members = state.db.lab_candidates(&at.lab.programme_id, Some(&form.network_id), CANDIDATES).await?;
        if members.is_empty() {
            let error = FieldErrors::from(FieldError::new("network_id", "error-lab-network-empty"));
            return refused(&state, page, at, error.into()).await;
        }
        members.into_iter().map(|c| (c.user_id, c.network_id)).collect()
    } else {
        return refused(&state, page, at, FieldErrors::from(FieldError::new("person", "error-required")).into()).await;
    };
    match state.db.enrol_in_lab(&at.user.actor(), &at.lab.id, &people, Joiner::Manager).await {
        Ok(added) => {
            let message = page.t_count("lab-flash-invited", &(added as i64));
            set_flash_redirect(&session, message, &format!("/labs/{}#participants", at.lab.id)).await
        }
        Err(error) => refused(&state, page, at, error).await,
    }
}

pub async fn remove_participant(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    LabAt { lab, user, .. }: LabAt<LabContent>,
    Path((_, user_id)): Path<(String, String)>,
) -> AppResult<Response> {
    state.db.leave_lab(&user.actor(), &lab.id, &user_id).await?;
    set_flash_redirect(&session, page.t("lab-flash-removed"), &format!("/labs/{}#participants", lab.id)).await
}

// ---------------------------------------------------------------------------------------------
// Experts

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ExpertForm {
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub organisation: String,
}

/// Adds an expert: an account chosen by its e-mail, or a guest named with address and
/// organisation.
pub async fn add_expert(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    at: LabAt<CoordinateLab>,
    axum::Form(form): axum::Form<ExpertForm>,
) -> AppResult<Response> {
    let outcome = if !form.user_id.trim().is_empty() {
        match state.db.user_id_by_email_for_labs(form.user_id.trim()).await? {
            Some(user_id) => state.db.add_lab_expert_account(&at.user.actor(), &at.lab.id, &user_id).await,
            None => Err(FieldErrors::from(FieldError::new("user_id", "error-lab-expert-unknown")).into()),
        }
    } else {
        match GuestExpert::parse(&form.name, &form.email, &form.organisation) {
            Ok(guest) => state.db.add_lab_guest_expert(&at.user.actor(), &at.lab.id, &guest).await,
            Err(errors) => Err(errors.into()),
        }
    };
    match outcome {
        Ok(()) => set_flash_redirect(&session, page.t("flash-saved"), &format!("/labs/{}#experts", at.lab.id)).await,
        Err(error) => refused(&state, page, at, error).await,
    }
}

pub async fn remove_expert(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    LabAt { lab, user, .. }: LabAt<CoordinateLab>,
    Path((_, expert_id)): Path<(String, String)>,
) -> AppResult<Response> {
    state.db.remove_lab_expert(&user.actor(), &lab.id, &expert_id).await?;
    set_flash_redirect(&session, page.t("flash-saved"), &format!("/labs/{}#experts", lab.id)).await
}

// ---------------------------------------------------------------------------------------------
// Materials

pub async fn upload_material(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    at: LabAt<LabContent>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let id = at.lab.id.clone();
    let (name, temp, size, head) = match super::meetings::receive_attachment(&state, &id, &mut multipart).await? {
        Ok(received) => received,
        Err(error) => return refused(&state, page, at, FieldErrors::from(error).into()).await,
    };
    let content_type = match meetings::attachment_type(&name, &head, size) {
        Ok(content_type) => content_type,
        Err(error) => return refused(&state, page, at, FieldErrors::from(error).into()).await,
    };
    let dir = super::meetings::attachments_dir(&state, &id);
    let size = i64::try_from(size).map_err(|e| AppError::Internal(e.into()))?;
    let placed = dir.clone();
    let store = async move |material_id: &str| temp.persist(dir.join(material_id)).map(|_| ()).map_err(|e| e.error);
    let discard = async move |material_id: &str| {
        if let Err(error) = tokio::fs::remove_file(placed.join(material_id)).await {
            tracing::warn!(%error, "could not remove the file of a material not recorded");
        }
    };
    state.db.add_lab_material(&at.user.actor(), &id, &name, content_type, size, store, discard).await?;
    set_flash_redirect(&session, page.t("flash-attachment-added"), &format!("/labs/{id}#materials")).await
}

pub async fn download_material(
    State(state): State<AppState>,
    LabAt { lab, .. }: LabAt<SeeLab>,
    Path((_, material_id)): Path<(String, String)>,
) -> AppResult<Response> {
    let material = lab.materials.iter().find(|m| m.id == material_id).ok_or(AppError::NotFound)?;
    let bytes = tokio::fs::read(super::meetings::attachments_dir(&state, &lab.id).join(&material.id))
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let disposition = format!("attachment; filename=\"{}\"", material.file_name.replace(|c: char| !c.is_ascii(), "_"));
    Ok((
        [
            (header::CONTENT_TYPE, material.content_type.clone()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

pub async fn delete_material(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    LabAt { lab, user, .. }: LabAt<LabContent>,
    Path((_, material_id)): Path<(String, String)>,
) -> AppResult<Response> {
    state.db.remove_lab_material(&user.actor(), &lab.id, &material_id).await?;
    let file = super::meetings::attachments_dir(&state, &lab.id).join(&material_id);
    if let Err(error) = tokio::fs::remove_file(file).await {
        // The record is gone; the sweep of files without a row removes this one later.
        tracing::warn!(%error, "could not remove the file of a deleted material");
    }
    set_flash_redirect(&session, page.t("lab-flash-material-deleted"), &format!("/labs/{}#materials", lab.id)).await
}

// ---------------------------------------------------------------------------------------------
// Sessions

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SessionQuery {
    pub network_id: String,
}

/// "Add a session": the meeting form of the chosen host network, with kind lab, the lab and its
/// participants' networks preset.
pub async fn new_session(
    State(state): State<AppState>,
    LabAt { lab, .. }: LabAt<LabContent>,
    Query(query): Query<SessionQuery>,
) -> AppResult<Response> {
    let networks = state.db.programme_networks_for_labs(&lab.programme_id).await?;
    let host = networks
        .iter()
        .find(|(id, _)| *id == query.network_id)
        .or_else(|| networks.iter().find(|(id, _)| lab.participants.iter().any(|p| p.network_id == *id)))
        .or(networks.first())
        .ok_or(AppError::NotFound)?;
    Ok(Redirect::to(&format!("/networks/{}/meetings/new?lab={}", host.0, lab.id)).into_response())
}

/// Whether `user` may schedule sessions of `lab`: its experts and its coordination.
pub fn manages_lab(user: &crate::context::Identity, lab: &Lab) -> bool {
    LabAccess::of(user, lab).is_some_and(|a| a >= LabAccess::Content)
}
