//! Personal data (SPEC §9, decision 0050): a person downloads what the platform holds about them
//! from their profile; the coordination erases a person from the registry page, after a
//! confirmation.

use super::{render, set_flash_redirect};
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::extract::{CurrentUser, PersonInScope};
use crate::page::{FormPage, PageContext};
use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

/// The person's own data as one JSON file: always the data of the account asking, found by its
/// address; nobody gets anyone else's here.
pub async fn export(State(state): State<AppState>, identity: CurrentUser) -> AppResult<Response> {
    let document = state.db.person_export(&identity.user.email).await?;
    let body = serde_json::to_vec_pretty(&document).map_err(|e| AppError::Internal(e.into()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"reti-miei-dati.json\"".to_owned()),
        ],
        body,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "people/erase.html")]
struct ErasePage {
    page: PageContext,
    id: String,
    name: String,
}

/// The confirmation step of an erasure: what will go and what will stay.
pub async fn erase_form(FormPage(page): FormPage, PersonInScope { person, .. }: PersonInScope) -> AppResult<Response> {
    render(&ErasePage { page, id: person.id, name: person.name })
}

pub async fn erase(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    PersonInScope { person, user: identity }: PersonInScope,
) -> AppResult<Response> {
    let erased = state.db.erase_person(&identity.actor(), &person.id).await?;
    let message = page.t_args("flash-person-erased", &[("pseudonym", erased.pseudonym)]);
    set_flash_redirect(&session, message, &format!("/people/{}", person.id)).await
}
