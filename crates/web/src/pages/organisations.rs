//! Organisations: list with search and filters, detail, create, edit, archive.

use super::{form_status, render, render_status, set_flash_redirect};
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::extract::{Coordination, CurrentUser};
use crate::page::{FormPage, PageContext};
use crate::pagination::Pager;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use reti_domain::input::{OrganisationContext, OrganisationRaw, Source};
use reti_domain::{FieldErrors, OrganisationKind};
use reti_store::PageRequest;
use reti_store::registry::organisations::{Organisation, OrganisationFilter, OrganisationInput, OrganisationMatches};
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ListQuery {
    pub q: String,
    pub kind: String,
    pub province: String,
    pub resource: String,
    pub archived: String,
    pub page: Option<u32>,
}

#[derive(Template)]
#[template(path = "organisations/list.html")]
struct ListPage {
    page: PageContext,
    query: ListQuery,
    kinds: Vec<(&'static str, String)>,
    rows: Vec<Organisation>,
    total: i64,
    pager: Pager,
    can_manage: bool,
}

pub fn kind_options(page: &PageContext) -> Vec<(&'static str, String)> {
    OrganisationKind::ALL.iter().map(|k| (k.code(), page.t(&k.label_key()))).collect()
}

pub async fn list(
    State(state): State<AppState>,
    identity: CurrentUser,
    page: PageContext,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    let filter = OrganisationFilter {
        query: Some(query.q.clone()),
        kind: OrganisationKind::parse(&query.kind).ok(),
        municipality_code: None,
        province_code: Some(query.province.clone()),
        resource: Some(query.resource.clone()),
        include_archived: query.archived == "1",
        scope: None,
    };
    let request = PageRequest::new(query.page, Some(25));
    let result = state.db.list_organisations(&filter, request).await?;
    let pager = Pager::new("/organisations", &query_pairs(&query), request, result.total);
    render(&ListPage {
        kinds: kind_options(&page),
        page,
        rows: result.items,
        total: result.total,
        pager,
        can_manage: identity.is_coordinator(),
        query,
    })
}

fn query_pairs(query: &ListQuery) -> Vec<(&'static str, String)> {
    vec![
        ("q", query.q.clone()),
        ("kind", query.kind.clone()),
        ("province", query.province.clone()),
        ("resource", query.resource.clone()),
        ("archived", query.archived.clone()),
    ]
}

#[derive(Template)]
#[template(path = "organisations/show.html")]
struct ShowPage {
    page: PageContext,
    organisation: Organisation,
    networks: Vec<(String, String, String)>,
    can_manage: bool,
}

pub async fn show(
    State(state): State<AppState>,
    identity: CurrentUser,
    FormPage(page): FormPage,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let organisation = state.db.organisation(&id).await?.ok_or(AppError::NotFound)?;
    // Past memberships are private data: shown only in networks whose history the viewer sees.
    let networks = state
        .db
        .organisation_networks(&id, Some(identity.scope()))
        .await?
        .into_iter()
        .map(|(id, name, role)| {
            let role = role.map_or_else(|| page.t("membership-ended"), |role| page.t(&role.label_key()));
            (id, name, role)
        })
        .collect();
    render(&ShowPage { page, organisation, networks, can_manage: identity.is_coordinator() })
}

/// The organisation form as typed, so that it can be shown again with its errors.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct OrganisationForm {
    pub name: String,
    pub kind: String,
    pub tax_code: String,
    pub municipality: String,
    pub province: String,
    pub address: String,
    pub email: String,
    pub phone: String,
    pub website: String,
    pub resources: String,
}

impl OrganisationForm {
    fn from_organisation(organisation: &Organisation) -> OrganisationForm {
        OrganisationForm {
            name: organisation.name.clone(),
            kind: organisation.kind.code().to_owned(),
            tax_code: organisation.tax_code.clone(),
            municipality: organisation.municipality.as_ref().map(|m| m.name.clone()).unwrap_or_default(),
            province: organisation.municipality.as_ref().map(|m| m.province_code.clone()).unwrap_or_default(),
            address: organisation.address.clone(),
            email: organisation.email.clone().unwrap_or_default(),
            phone: organisation.phone.clone(),
            website: organisation.website.clone(),
            resources: organisation.resources.join(", "),
        }
    }
}

/// Checks a submitted organisation, collecting every problem, as the API and the import do.
pub async fn validate(state: &AppState, form: &OrganisationForm) -> AppResult<Result<OrganisationInput, FieldErrors>> {
    let raw = OrganisationRaw {
        name: Some(form.name.clone()),
        kind: Some(form.kind.clone()),
        tax_code: Some(form.tax_code.clone()),
        municipality: Some(form.municipality.clone()),
        province: Some(form.province.clone()),
        address: Some(form.address.clone()),
        email: Some(form.email.clone()),
        phone: Some(form.phone.clone()),
        website: Some(form.website.clone()),
        resources: reti_domain::import::split_list(&form.resources),
    };
    let territory = state.db.territory().await?;
    Ok(OrganisationInput::parse(&raw, &OrganisationContext { territory: &territory, source: Source::Typed }))
}

#[derive(Template)]
#[template(path = "organisations/form.html")]
struct FormTemplate {
    page: PageContext,
    title: String,
    action: String,
    form: OrganisationForm,
    errors: FieldErrors,
    kinds: Vec<(&'static str, String)>,
    suggestions: Vec<String>,
}

async fn form_page(
    state: &AppState,
    page: PageContext,
    title_key: &str,
    action: String,
    form: OrganisationForm,
    errors: FieldErrors,
) -> AppResult<Response> {
    let mut suggestions: Vec<String> = reti_domain::registry::RESOURCE_VOCABULARY
        .iter()
        .map(|(_, it, en)| if page.locale == reti_domain::Locale::En { (*en).to_owned() } else { (*it).to_owned() })
        .collect();
    for (tag, _) in state.db.resource_tags_in_use(50).await? {
        if !suggestions.iter().any(|s| reti_domain::text::fold(s) == reti_domain::text::fold(&tag)) {
            suggestions.push(tag);
        }
    }
    let status = form_status(&errors);
    render_status(
        status,
        &FormTemplate { title: page.t(title_key), kinds: kind_options(&page), page, action, form, errors, suggestions },
    )
}

pub async fn new_form(State(state): State<AppState>, _: Coordination, FormPage(page): FormPage) -> AppResult<Response> {
    form_page(
        &state,
        page,
        "organisation-new",
        "/organisations".into(),
        OrganisationForm::default(),
        FieldErrors::default(),
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    identity: Coordination,
    session: Session,
    FormPage(page): FormPage,
    Form(form): Form<OrganisationForm>,
) -> AppResult<Response> {
    let input = match validate(&state, &form).await? {
        Ok(input) => input,
        Err(errors) => return form_page(&state, page, "organisation-new", "/organisations".into(), form, errors).await,
    };
    match state.db.create_organisation(&identity.actor(), &input).await {
        Ok(organisation) => {
            set_flash_redirect(&session, page.t("flash-saved"), &format!("/organisations/{}", organisation.id)).await
        }
        Err(reti_store::StoreError::Conflict { field }) => {
            let errors = FieldErrors::from(reti_domain::FieldError::new(field, "error-tax-code-taken"));
            form_page(&state, page, "organisation-new", "/organisations".into(), form, errors).await
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    _: Coordination,
    FormPage(page): FormPage,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let organisation = state.db.organisation(&id).await?.ok_or(AppError::NotFound)?;
    let form = OrganisationForm::from_organisation(&organisation);
    form_page(&state, page, "organisation-edit", format!("/organisations/{id}"), form, FieldErrors::default()).await
}

pub async fn update(
    State(state): State<AppState>,
    identity: Coordination,
    session: Session,
    FormPage(page): FormPage,
    Path(id): Path<String>,
    Form(form): Form<OrganisationForm>,
) -> AppResult<Response> {
    state.db.organisation(&id).await?.ok_or(AppError::NotFound)?;
    let action = format!("/organisations/{id}");
    let input = match validate(&state, &form).await? {
        Ok(input) => input,
        Err(errors) => return form_page(&state, page, "organisation-edit", action, form, errors).await,
    };
    match state.db.update_organisation(&identity.actor(), &id, &input).await {
        Ok(_) => set_flash_redirect(&session, page.t("flash-saved"), &action).await,
        Err(reti_store::StoreError::Conflict { field }) => {
            let errors = FieldErrors::from(reti_domain::FieldError::new(field, "error-tax-code-taken"));
            form_page(&state, page, "organisation-edit", action, form, errors).await
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn archive(
    State(state): State<AppState>,
    identity: Coordination,
    session: Session,
    page: PageContext,
    Path(id): Path<String>,
) -> AppResult<Response> {
    state.db.set_organisation_archived(&identity.actor(), &id, true).await?;
    set_flash_redirect(&session, page.t("flash-archived"), &format!("/organisations/{id}")).await
}

pub async fn restore(
    State(state): State<AppState>,
    identity: Coordination,
    session: Session,
    page: PageContext,
    Path(id): Path<String>,
) -> AppResult<Response> {
    state.db.set_organisation_archived(&identity.actor(), &id, false).await?;
    set_flash_redirect(&session, page.t("flash-restored"), &format!("/organisations/{id}")).await
}

/// How many organisations a picker offers at once.
const PICKER_LIMIT: i64 = 20;

/// What someone typed into an organisation picker: the query of the page's search form, carried
/// again by the form that adds, so that a refused form shows the same choices.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct PickerQuery {
    pub organisation_q: String,
}

/// An organisation picker for forms that add a membership or an affiliation: search first, then
/// choose among the matches. The registry is never listed whole (decision 0065).
pub struct Picker {
    pub query: String,
    pub matches: OrganisationMatches,
}

impl Picker {
    pub async fn find(state: &AppState, query: &str) -> AppResult<Picker> {
        let matches = state.db.organisation_matches(query, PICKER_LIMIT).await?;
        Ok(Picker { query: query.trim().to_owned(), matches })
    }

    /// Not searched: a page that offers no picker (someone who cannot add).
    pub fn none() -> Picker {
        Picker { query: String::new(), matches: OrganisationMatches::default() }
    }
}
