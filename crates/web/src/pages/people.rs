//! People who take part in the programme's work, and their affiliations. Personal data: only the
//! coordination sees the list; network pages show their own people to those with private access.

use super::organisations::{Picker, PickerQuery};
use super::{form_status, render, render_status, set_flash_redirect};
use crate::AppState;
use crate::error::AppResult;
use crate::extract::{Coordination, PersonInScope};
use crate::page::{FormPage, PageContext};
use crate::pagination::Pager;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use reti_domain::FieldErrors;
use reti_domain::input::{AffiliationInput, AffiliationRaw, PersonRaw};
use reti_store::PageRequest;
use reti_store::registry::people::{Person, PersonFilter, PersonInput};
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ListQuery {
    pub q: String,
    pub archived: String,
    pub page: Option<u32>,
}

#[derive(Template)]
#[template(path = "people/list.html")]
struct ListPage {
    page: PageContext,
    query: ListQuery,
    rows: Vec<Person>,
    total: i64,
    pager: Pager,
}

pub async fn list(
    State(state): State<AppState>,
    identity: Coordination,
    page: PageContext,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    let filter = PersonFilter {
        query: Some(query.q.clone()),
        organisation_id: None,
        include_archived: query.archived == "1",
        scope: Some(identity.scope()),
    };
    let request = PageRequest::new(query.page, Some(25));
    let result = state.db.list_people(&filter, request).await?;
    let pager =
        Pager::new("/people", &[("q", query.q.clone()), ("archived", query.archived.clone())], request, result.total);
    render(&ListPage { page, query, rows: result.items, total: result.total, pager })
}

#[derive(Template)]
#[template(path = "people/show.html")]
struct ShowPage {
    page: PageContext,
    person: Person,
    /// The organisations to add an affiliation to, found by the page's search.
    picker: Picker,
    errors: FieldErrors,
}

pub async fn show(
    State(state): State<AppState>,
    FormPage(page): FormPage,
    PersonInScope { person, .. }: PersonInScope,
    Query(query): Query<PickerQuery>,
) -> AppResult<Response> {
    let picker = Picker::find(&state, &query.organisation_q).await?;
    render(&ShowPage { page, person, picker, errors: FieldErrors::default() })
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct PersonForm {
    pub name: String,
    pub email: String,
    pub phone: String,
}

/// Checks a submitted person, as the API and the import do.
fn validate(form: &PersonForm) -> Result<PersonInput, FieldErrors> {
    PersonInput::parse(&PersonRaw {
        name: Some(form.name.clone()),
        email: Some(form.email.clone()),
        phone: Some(form.phone.clone()),
    })
}

#[derive(Template)]
#[template(path = "people/form.html")]
struct FormTemplate {
    page: PageContext,
    title: String,
    action: String,
    form: PersonForm,
    errors: FieldErrors,
}

fn form_page(
    page: PageContext,
    title_key: &str,
    action: String,
    form: PersonForm,
    errors: FieldErrors,
) -> AppResult<Response> {
    let status = form_status(&errors);
    render_status(status, &FormTemplate { title: page.t(title_key), page, action, form, errors })
}

pub async fn new_form(_: Coordination, FormPage(page): FormPage) -> AppResult<Response> {
    form_page(page, "person-new", "/people".into(), PersonForm::default(), FieldErrors::default())
}

pub async fn create(
    State(state): State<AppState>,
    identity: Coordination,
    session: Session,
    FormPage(page): FormPage,
    Form(form): Form<PersonForm>,
) -> AppResult<Response> {
    let input = match validate(&form) {
        Ok(input) => input,
        Err(errors) => return form_page(page, "person-new", "/people".into(), form, errors),
    };
    match state.db.create_person(&identity.actor(), &input).await {
        Ok(person) => set_flash_redirect(&session, page.t("flash-saved"), &format!("/people/{}", person.id)).await,
        Err(reti_store::StoreError::Conflict { field }) => form_page(
            page,
            "person-new",
            "/people".into(),
            form,
            FieldErrors::from(reti_domain::FieldError::new(field, "error-duplicate")),
        ),
        Err(error) => Err(error.into()),
    }
}

pub async fn edit_form(FormPage(page): FormPage, PersonInScope { person, .. }: PersonInScope) -> AppResult<Response> {
    let action = format!("/people/{}", person.id);
    let form = PersonForm { name: person.name, email: person.email.unwrap_or_default(), phone: person.phone };
    form_page(page, "person-edit", action, form, FieldErrors::default())
}

pub async fn update(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    PersonInScope { person, user: identity }: PersonInScope,
    Form(form): Form<PersonForm>,
) -> AppResult<Response> {
    let id = person.id;
    let action = format!("/people/{id}");
    let input = match validate(&form) {
        Ok(input) => input,
        Err(errors) => return form_page(page, "person-edit", action, form, errors),
    };
    match state.db.update_person(&identity.actor(), &id, &input).await {
        Ok(_) => set_flash_redirect(&session, page.t("flash-saved"), &action).await,
        Err(reti_store::StoreError::Conflict { field }) => form_page(
            page,
            "person-edit",
            action,
            form,
            FieldErrors::from(reti_domain::FieldError::new(field, "error-duplicate")),
        ),
        Err(error) => Err(error.into()),
    }
}

pub async fn archive(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    PersonInScope { person, user: identity }: PersonInScope,
) -> AppResult<Response> {
    state.db.set_person_archived(&identity.actor(), &person.id, !person.archived).await?;
    let key = if person.archived { "flash-restored" } else { "flash-archived" };
    set_flash_redirect(&session, page.t(key), &format!("/people/{}", person.id)).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AffiliationForm {
    organisation_id: String,
    organisation_q: String,
    position: String,
}

pub async fn add_affiliation(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    PersonInScope { person, user: identity }: PersonInScope,
    Form(form): Form<AffiliationForm>,
) -> AppResult<Response> {
    let id = person.id.clone();
    let raw = AffiliationRaw { organisation_id: Some(form.organisation_id), position: Some(form.position) };
    let checked = match AffiliationInput::parse(&raw) {
        Ok(input) if state.db.organisation(&input.organisation_id).await?.is_none() => {
            Err(FieldErrors::from(reti_domain::FieldError::new("organisation_id", "error-organisation-unknown")))
        }
        checked => checked,
    };
    let input = match checked {
        Ok(input) => input,
        Err(errors) => {
            let picker = Picker::find(&state, &form.organisation_q).await?;
            return render_status(form_status(&errors), &ShowPage { page, person, picker, errors });
        }
    };
    state.db.add_affiliation(&identity.actor(), &id, &input.organisation_id, &input.position).await?;
    set_flash_redirect(&session, page.t("flash-saved"), &format!("/people/{id}")).await
}

pub async fn end_affiliation(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    PersonInScope { user: identity, .. }: PersonInScope,
    Path((id, affiliation_id)): Path<(String, String)>,
) -> AppResult<Response> {
    state.db.end_affiliation(&identity.actor(), &id, &affiliation_id).await?;
    set_flash_redirect(&session, page.t("flash-saved"), &format!("/people/{id}")).await
}
