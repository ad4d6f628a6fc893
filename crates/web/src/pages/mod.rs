//! HTML pages. Each handler gathers what its template shows; permissions are the route table's
//! (coarse) and the handler's own (which programme, which network).

pub mod account;
pub mod actor_map;
pub mod audit;
pub mod board;
pub mod custom_indicators;
pub mod diary;
pub mod districts;
pub mod documents;
pub mod editions;
pub mod funder_reports;
pub mod groups;
pub mod guests;
pub mod home;
pub mod imports;
pub mod indicators;
pub mod info;
pub mod invitations;
pub mod jobs;
pub mod labs;
pub mod login;
pub mod matrix;
pub mod meetings;
pub mod networks;
pub mod organisations;
pub mod password;
pub mod people;
pub mod practice_images;
pub mod practices;
pub mod privacy;
pub mod programmes;
pub mod projects;
pub mod reading;
pub mod sustainability;
pub mod territory;
pub mod threads;
pub mod ties;
pub mod users;

use crate::context::RequestContext;
use crate::error::{AppError, AppResult};
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use reti_domain::{FieldErrors, Password};
use reti_store::Actor;

/// Renders a template as a 200 page.
pub fn render(template: &impl Template) -> AppResult<Response> {
    render_status(StatusCode::OK, template)
}

/// Renders a template with a status, e.g. a form shown again with its errors (422).
pub fn render_status(status: StatusCode, template: &impl Template) -> AppResult<Response> {
    let html = template.render().map_err(|e| AppError::Internal(e.into()))?;
    Ok((status, Html(html)).into_response())
}

/// The status of a form page: 200 when fine, 422 when it shows errors.
pub fn form_status(errors: &FieldErrors) -> StatusCode {
    if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY }
}

/// The audit actor of a request: the logged-in user, or anonymous, with the client address.
pub fn actor_of(context: &RequestContext) -> Actor {
    match &context.identity {
        Some(identity) => Actor::user(&identity.user.id, &identity.user.email, Some(context.client_ip.clone())),
        None => Actor::anonymous(Some(context.client_ip.clone())),
    }
}

/// Checks a new password and its confirmation, recording problems in `errors`; `user_inputs` are the
/// account's e-mail and name (a password made of them is weak).
pub fn new_password(
    errors: &mut FieldErrors,
    password: &str,
    confirmation: &str,
    user_inputs: &[&str],
) -> Option<Password> {
    let password = errors.check(Password::parse(password, user_inputs))?;
    if password.expose() != confirmation {
        errors.push("password_confirm", "error-password-mismatch");
        return None;
    }
    Some(password)
}

/// Logs `user_id` in on this session: a fresh session id (a session fixed by someone else before
/// login is useless after), a fresh CSRF token, the login time that bounds the session's life, and
/// the address it came from (shown to the person among their sessions).
pub async fn start_session(session: &tower_sessions::Session, user_id: &str, client_ip: &str) -> AppResult<()> {
    session.cycle_id().await.map_err(session_error)?;
    session.insert(reti_store::sessions::USER_ID_KEY, user_id).await.map_err(session_error)?;
    let now = reti_store::Timestamp::now().to_db();
    session.insert(reti_store::sessions::LOGGED_IN_AT_KEY, now).await.map_err(session_error)?;
    session.insert(reti_store::sessions::LOGIN_ADDRESS_KEY, client_ip).await.map_err(session_error)?;
    let csrf = reti_store::secret::new_secret();
    session.insert(crate::context::SESSION_CSRF_KEY, csrf).await.map_err(session_error)?;
    Ok(())
}

/// A session operation failing is an internal error.
pub fn session_error(error: tower_sessions::session::Error) -> AppError {
    AppError::Internal(error.into())
}

/// Shows `message` on the next page and goes there (post/redirect/get).
pub async fn set_flash_redirect(session: &tower_sessions::Session, message: String, to: &str) -> AppResult<Response> {
    crate::page::set_flash(session, message).await?;
    Ok(axum::response::Redirect::to(to).into_response())
}
