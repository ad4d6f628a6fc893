//! Logging in and out. Wrong password and unknown e-mail get the same answer in the same time;
//! repeated failures are throttled (see `reti_store::throttle`).

use super::{actor_of, render_status, session_error};
use crate::access::safe_next;
use crate::context::{RequestContext, SESSION_LOCALE_KEY};
use crate::error::AppResult;
use crate::page::{FormPage, PageContext};
use crate::security::log_refusal;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use reti_store::audit::Change;
use reti_store::throttle::AttemptKind;
use reti_store::users::LoginOutcome;
use serde::Deserialize;
use tower_sessions::Session;

use crate::AppState;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    page: PageContext,
    email: String,
    next: String,
    error: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn form(FormPage(page): FormPage, Query(query): Query<NextQuery>) -> AppResult<Response> {
    if page.identity.is_some() {
        return Ok(Redirect::to(&safe_next(query.next.as_deref())).into_response());
    }
    let next = safe_next(query.next.as_deref());
    render_status(StatusCode::OK, &LoginPage { page, email: String::new(), next, error: String::new() })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
}

pub async fn submit(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    session: Session,
    FormPage(page): FormPage,
    Form(form): Form<LoginForm>,
) -> AppResult<Response> {
    let next = safe_next(form.next.as_deref());
    let again = |page: PageContext, status: StatusCode, key: &str| {
        let error = page.t(key);
        render_status(status, &LoginPage { page, email: form.email.clone(), next: next.clone(), error })
    };
    let refused = |reason: &str| log_refusal(Some(&context), "POST", &context.path, reason, Some(&form.email));
    // Reserved before the password is checked: counted even while the check runs.
    let Some(attempt) = state.db.reserve_attempt(AttemptKind::Login, &form.email, &context.client_ip).await? else {
        refused("throttled");
        return again(page, StatusCode::TOO_MANY_REQUESTS, "login-throttled");
    };
    let user = match state.db.check_login(&form.email, &form.password).await? {
        LoginOutcome::Success(user) => user,
        LoginOutcome::Failure => {
            refused("bad_credentials");
            return again(page, StatusCode::UNAUTHORIZED, "login-failed");
        }
    };
    super::start_session(&session, &user.id, &context.client_ip).await?;
    if let Some(locale) = user.locale {
        session.insert(SESSION_LOCALE_KEY, locale).await.map_err(session_error)?;
    }
    state.db.attempt_succeeded(attempt).await?;
    let actor = reti_store::Actor::user(&user.id, &user.email, Some(context.client_ip.clone()));
    state
        .db
        .log_event(
            &actor,
            Change {
                action: "login",
                entity: "session",
                entity_id: Some(&user.id),
                programme_id: None,
                before: None,
                after: None,
            },
        )
        .await?;
    Ok(Redirect::to(&next).into_response())
}

pub async fn logout(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    session: Session,
) -> AppResult<Response> {
    if let Some(identity) = &context.identity {
        state
            .db
            .log_event(
                &actor_of(&context),
                Change {
                    action: "logout",
                    entity: "session",
                    entity_id: Some(&identity.user.id),
                    programme_id: None,
                    before: None,
                    after: None,
                },
            )
            .await?;
    }
    session.flush().await.map_err(session_error)?;
    Ok(Redirect::to("/").into_response())
}
