//! Networks: list, profile (public part for every logged-in person, private part for its members,
//! facilitators and coordination), create, edit, archive, memberships and local projects.

use super::organisations::{Picker, PickerQuery};
use super::{form_status, render, render_status, set_flash_redirect};
use crate::AppState;
use crate::context::{Identity, NetworkAccess};
use crate::error::{AppError, AppResult};
use crate::extract::{CoordinatedNetwork, Coordination, CurrentUser, Level, Manage, NetworkAt, Public};
use crate::page::{FormPage, PageContext};
use crate::pagination::Pager;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use reti_domain::input::{MembershipRaw, MembershipTerms, NetworkContext, NetworkRaw, Source};
use reti_domain::{FieldError, FieldErrors, Maturity, MembershipRole, NetworkStatus, dates};
use reti_store::PageRequest;
use reti_store::programmes::{ActionLine, Programme};
use reti_store::registry::districts::DistrictRef;
use reti_store::registry::network_lists::ListsWanted;
use reti_store::registry::networks::{MembershipInput, Network, NetworkFilter, NetworkInput, NetworkSummary};
use reti_store::registry::projects::ProjectLink;
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ListQuery {
    pub q: String,
    pub status: String,
    pub maturity: String,
    pub province: String,
    pub district: String,
    pub archived: String,
    pub page: Option<u32>,
}

#[derive(Template)]
#[template(path = "networks/list.html")]
struct ListPage {
    page: PageContext,
    query: ListQuery,
    rows: Vec<NetworkSummary>,
    total: i64,
    pager: Pager,
    can_manage: bool,
    statuses: Vec<(&'static str, String)>,
    maturities: Vec<(&'static str, String)>,
    districts: Vec<DistrictRef>,
}

fn status_options(page: &PageContext) -> Vec<(&'static str, String)> {
    NetworkStatus::ALL.iter().map(|s| (s.code(), page.t(&s.label_key()))).collect()
}

fn maturity_options(page: &PageContext) -> Vec<(&'static str, String)> {
    Maturity::ALL.iter().map(|m| (m.code(), page.t(&m.label_key()))).collect()
}

pub async fn list(
    State(state): State<AppState>,
    identity: CurrentUser,
    page: PageContext,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    let filter = NetworkFilter {
        query: Some(query.q.clone()),
        status: NetworkStatus::parse(&query.status).ok(),
        maturity: Maturity::parse(&query.maturity).ok(),
        province_code: Some(query.province.clone()),
        district_id: Some(query.district.clone()),
        include_archived: query.archived == "1",
        ..NetworkFilter::default()
    };
    let request = PageRequest::new(query.page, Some(25));
    let result = state.db.list_network_summaries(&filter, request).await?;
    let filters = vec![
        ("q", query.q.clone()),
        ("status", query.status.clone()),
        ("maturity", query.maturity.clone()),
        ("province", query.province.clone()),
        ("district", query.district.clone()),
        ("archived", query.archived.clone()),
    ];
    let pager = Pager::new("/networks", &filters, request, result.total);
    render(&ListPage {
        districts: state.db.district_choices().await?,
        statuses: status_options(&page),
        maturities: maturity_options(&page),
        page,
        rows: result.items,
        total: result.total,
        pager,
        can_manage: identity.is_coordinator(),
        query,
    })
}

#[derive(Template)]
#[template(path = "networks/show.html")]
struct ShowPage {
    page: PageContext,
    network: Network,
    private: bool,
    manage: bool,
    projects: Vec<ProjectLink>,
    people: Vec<(String, String, String)>,
    /// The organisations a manager may add, found by the page's search.
    picker: Picker,
    roles: Vec<(&'static str, String)>,
    errors: FieldErrors,
    today: String,
    districts: Vec<DistrictRef>,
    /// Whether the user reaches the network's accompaniment diary.
    diary: bool,
    /// The membership whose end was refused: its date field shows the error.
    ending: String,
    /// The network's remote exchanges for a reader: threads, and those with unread messages.
    exchanges: Option<(i64, i64)>,
}

async fn show_page(
    state: &AppState,
    page: PageContext,
    view: NetworkAt<impl Level>,
    errors: FieldErrors,
    ending: &str,
    organisation_query: &str,
) -> AppResult<Response> {
    let private = view.access >= NetworkAccess::Private;
    let manage = view.access == NetworkAccess::Manage;
    let wanted = ListsWanted { projects: private, archived_projects: manage, people: private };
    let lists = state.db.network_lists(&view.network.id, wanted).await?;
    let people = lists
        .people
        .into_iter()
        .map(|(name, email, organisation)| (name, email.unwrap_or_default(), organisation))
        .collect();
    let picker = if manage { Picker::find(state, organisation_query).await? } else { Picker::none() };
    let roles = MembershipRole::ALL.iter().map(|r| (r.code(), page.t(&r.label_key()))).collect();
    let status = form_status(&errors);
    let today = time::OffsetDateTime::now_utc().date().to_string();
    let diary = view.user.coordinates(&view.network.programme_id)
        || crate::accompaniment::facilitates(&view.user, &view.network.id);
    let exchanges = if private {
        let scope = reti_store::exchanges::ExchangeScope::Network(view.network.id.clone());
        Some(state.db.exchange_unread(&scope, &view.user.identity.user.id).await?)
    } else {
        None
    };
    render_status(
        status,
        &ShowPage {
            page,
            network: view.network,
            private,
            manage,
            projects: lists.projects,
            people,
            picker,
            roles,
            errors,
            today,
            districts: lists.districts,
            diary,
            ending: ending.to_owned(),
            exchanges,
        },
    )
}

pub async fn show(
    State(state): State<AppState>,
    FormPage(page): FormPage,
    view: NetworkAt<Public>,
    Query(picker): Query<PickerQuery>,
) -> AppResult<Response> {
    show_page(&state, page, view, FieldErrors::default(), "", &picker.organisation_q).await
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct NetworkForm {
    pub programme: String,
    pub name: String,
    pub description: String,
    pub maturity: String,
    pub status: String,
    pub municipalities: String,
    pub action_lines: Vec<String>,
}

impl NetworkForm {
    fn from_network(network: &Network) -> NetworkForm {
        NetworkForm {
            programme: network.programme_id.clone(),
            name: network.name.clone(),
            description: network.description.clone(),
            maturity: network.maturity.map(|m| m.code().to_owned()).unwrap_or_default(),
            status: network.status.code().to_owned(),
            municipalities: network.municipalities.iter().map(|m| m.name.clone()).collect::<Vec<_>>().join(", "),
            action_lines: network.action_lines.iter().map(|a| a.id.clone()).collect(),
        }
    }
}

/// The programmes a user may put networks in, with their action lines.
async fn programme_choices(state: &AppState, identity: &Identity) -> AppResult<Vec<(Programme, Vec<ActionLine>)>> {
    let mut choices = Vec::new();
    for programme in state.db.programmes().await? {
        if identity.coordinates(&programme.id) {
            let lines = state.db.action_lines(&programme.id).await?;
            choices.push((programme, lines));
        }
    }
    Ok(choices)
}

/// The programmes a network may be put in when `identity` edits `network`: any it coordinates, or
/// (for the network's referent) the one it is in.
async fn allowed_programmes(
    state: &AppState,
    identity: &Identity,
    network: Option<&Network>,
) -> AppResult<Vec<(Programme, Vec<ActionLine>)>> {
    match network {
        Some(network) if !identity.coordinates(&network.programme_id) => {
            let programme = state.db.programme(&network.programme_id).await?.ok_or(AppError::NotFound)?;
            let lines = state.db.action_lines(&programme.id).await?;
            Ok(vec![(programme, lines)])
        }
        _ => programme_choices(state, identity).await,
    }
}

/// Checks a submitted network, as the API does; `choices` are the programmes the editor may use.
async fn validate(
    state: &AppState,
    choices: &[(Programme, Vec<ActionLine>)],
    form: &NetworkForm,
) -> AppResult<Result<NetworkInput, FieldErrors>> {
    let programme = choices.iter().find(|(p, _)| p.id == form.programme);
    let known: Vec<(&str, i64)> =
        programme.iter().flat_map(|(_, lines)| lines.iter().map(|l| (l.id.as_str(), l.number))).collect();
    let raw = NetworkRaw {
        name: Some(form.name.clone()),
        description: Some(form.description.clone()),
        maturity: Some(form.maturity.clone()),
        status: Some(form.status.clone()),
        municipalities: reti_domain::import::split_list(&form.municipalities),
        action_lines: form.action_lines.clone(),
    };
    let territory = state.db.territory().await?;
    let context = NetworkContext {
        programme_id: programme.map(|(p, _)| p.id.as_str()),
        action_lines: &known,
        territory: &territory,
    };
    Ok(NetworkInput::parse(&raw, &context))
}

#[derive(Template)]
#[template(path = "networks/form.html")]
struct FormTemplate {
    page: PageContext,
    title: String,
    action: String,
    form: NetworkForm,
    errors: FieldErrors,
    programmes: Vec<(Programme, Vec<ActionLine>)>,
    statuses: Vec<(&'static str, String)>,
    maturities: Vec<(&'static str, String)>,
}

async fn form_page(
    programmes: Vec<(Programme, Vec<ActionLine>)>,
    page: PageContext,
    title_key: &str,
    action: String,
    mut form: NetworkForm,
    errors: FieldErrors,
) -> AppResult<Response> {
    if form.programme.is_empty()
        && let Some((first, _)) = programmes.first()
    {
        form.programme = first.id.clone();
    }
    let status = form_status(&errors);
    render_status(
        status,
        &FormTemplate {
            title: page.t(title_key),
            statuses: status_options(&page),
            maturities: maturity_options(&page),
            page,
            action,
            form,
            errors,
            programmes,
        },
    )
}

/// Reads the posted form; `action_lines` repeats, which `axum::Form` cannot read into a Vec.
fn parse_network_form(body: &str) -> NetworkForm {
    serde_html_form::from_str(body).unwrap_or_default()
}

pub async fn new_form(
    State(state): State<AppState>,
    identity: Coordination,
    FormPage(page): FormPage,
) -> AppResult<Response> {
    let programmes = programme_choices(&state, &identity).await?;
    form_page(programmes, page, "network-new", "/networks".into(), NetworkForm::default(), FieldErrors::default()).await
}

pub async fn create(
    State(state): State<AppState>,
    identity: Coordination,
    session: Session,
    FormPage(page): FormPage,
    body: String,
) -> AppResult<Response> {
    let form = parse_network_form(&body);
    let programmes = programme_choices(&state, &identity).await?;
    let input = match validate(&state, &programmes, &form).await? {
        Ok(input) => input,
        Err(errors) => return form_page(programmes, page, "network-new", "/networks".into(), form, errors).await,
    };
    match state.db.create_network(&identity.actor(), &input).await {
        Ok(network) => set_flash_redirect(&session, page.t("flash-saved"), &format!("/networks/{}", network.id)).await,
        Err(reti_store::StoreError::Conflict { field }) => {
            let errors = FieldErrors::from(FieldError::new(field, "error-network-name-taken"));
            form_page(programmes, page, "network-new", "/networks".into(), form, errors).await
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    FormPage(page): FormPage,
    NetworkAt { network, user, .. }: NetworkAt<Manage>,
) -> AppResult<Response> {
    let form = NetworkForm::from_network(&network);
    let programmes = allowed_programmes(&state, &user, Some(&network)).await?;
    form_page(programmes, page, "network-edit", format!("/networks/{}", network.id), form, FieldErrors::default()).await
}

pub async fn update(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    NetworkAt { network, user: identity, .. }: NetworkAt<Manage>,
    body: String,
) -> AppResult<Response> {
    let id = &network.id;
    let mut form = parse_network_form(&body);
    // A referent (who coordinates no programme) keeps the network in its programme.
    if form.programme.is_empty() || !identity.coordinates(&network.programme_id) {
        form.programme = network.programme_id.clone();
    }
    let programmes = allowed_programmes(&state, &identity, Some(&network)).await?;
    let action = format!("/networks/{id}");
    let input = match validate(&state, &programmes, &form).await? {
        Ok(input) => input,
        Err(errors) => return form_page(programmes, page, "network-edit", action, form, errors).await,
    };
    match state.db.update_network(&identity.actor(), id, &input).await {
        Ok(_) => set_flash_redirect(&session, page.t("flash-saved"), &action).await,
        Err(reti_store::StoreError::Conflict { field }) => {
            let errors = FieldErrors::from(FieldError::new(field, "error-network-name-taken"));
            form_page(programmes, page, "network-edit", action, form, errors).await
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn archive(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    CoordinatedNetwork { network, user }: CoordinatedNetwork,
) -> AppResult<Response> {
    state.db.set_network_archived(&user.actor(), &network.id, !network.archived).await?;
    let key = if network.archived { "flash-restored" } else { "flash-archived" };
    set_flash_redirect(&session, page.t(key), &format!("/networks/{}", network.id)).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MembershipForm {
    organisation_id: String,
    organisation_q: String,
    role: String,
    joined_on: String,
}

pub async fn add_membership(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    view: NetworkAt<Manage>,
    Form(form): Form<MembershipForm>,
) -> AppResult<Response> {
    let (id, identity) = (&view.network.id, &view.user);
    let raw = MembershipRaw { role: Some(form.role.clone()), joined_on: Some(form.joined_on.clone()), left_on: None };
    let (terms, mut errors) = match MembershipTerms::parse(&raw, &Source::Typed) {
        Ok(terms) => (Some(terms), FieldErrors::default()),
        Err(errors) => (None, errors),
    };
    if form.organisation_id.is_empty() {
        errors.push("organisation_id", "error-required");
    }
    if let (Some(terms), true) = (terms, errors.is_empty()) {
        let input = MembershipInput {
            organisation_id: form.organisation_id.clone(),
            role: terms.role,
            joined_on: terms.joined_on,
        };
        match state.db.add_membership(&identity.actor(), id, &input).await {
            Ok(_) => return set_flash_redirect(&session, page.t("flash-saved"), &format!("/networks/{id}")).await,
            Err(reti_store::StoreError::Conflict { field: "role" }) => errors.push("role", "error-lead-exists"),
            Err(reti_store::StoreError::Conflict { field }) => errors.push(field, "error-already-member"),
            Err(reti_store::StoreError::Invalid(more)) => errors.0.extend(more.0),
            Err(error) => return Err(error.into()),
        }
    }
    show_page(&state, page, view, errors, "", &form.organisation_q).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EndMembershipForm {
    left_on: String,
}

pub async fn end_membership(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    view: NetworkAt<Manage>,
    Path((id, membership_id)): Path<(String, String)>,
    Form(form): Form<EndMembershipForm>,
) -> AppResult<Response> {
    let identity = &view.user;
    let mut errors = FieldErrors::default();
    let left_on = errors
        .check(dates::parse_optional("left_on", &form.left_on))
        .flatten()
        .unwrap_or_else(|| time::OffsetDateTime::now_utc().date());
    if errors.is_empty() {
        match state.db.end_membership(&identity.actor(), &id, &membership_id, left_on).await {
            Ok(()) => return set_flash_redirect(&session, page.t("flash-saved"), &format!("/networks/{id}")).await,
            Err(reti_store::StoreError::Invalid(more)) => errors.0.extend(more.0),
            Err(error) => return Err(error.into()),
        }
    }
    show_page(&state, page, view, errors, &membership_id, "").await
}

/// For the local-projects module, whose routes name a project: its network and the user's access.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_action_lines_are_all_read() {
        let form = parse_network_form("csrf_token=x&name=Rete&action_lines=a&action_lines=b&municipalities=Como");
        assert_eq!((form.name.as_str(), form.action_lines), ("Rete", vec!["a".to_owned(), "b".to_owned()]));
        assert!(parse_network_form("name=Rete").action_lines.is_empty());
    }
}
