//! Logging in and out. Wrong password and unknown e-mail get the same answer in the same time;
//! repeated failures are throttled (see `reti_store::throttle`). An account with a second factor
//! (decision 0060) gives its code on a second page before the session is logged in.

use super::{actor_of, render_status, session_error};
use crate::access::safe_next;
use crate::context::{RequestContext, SESSION_LOCALE_KEY};
use crate::error::AppResult;
use crate::page::{FormPage, PageContext};
use crate::second_factor::{PENDING_KEY, PendingLogin};
use crate::security::log_refusal;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use reti_store::audit::Change;
use reti_store::mfa::{Proof, looks_like_totp};
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
    state.db.attempt_succeeded(attempt).await?;
    if state.db.has_totp(&user.id).await? {
        // The password was right; the session stays anonymous until the second step.
        begin_second_step(&session, &user.id, &next).await?;
        return Ok(Redirect::to(CODE_PATH).into_response());
    }
    // Whoever the installation asks for a second factor and has none is told so by a banner on
    // every page (`RequestContext::mfa_setup_due`), leading to the profile.
    complete_login(&state, &context, &session, &user, None).await?;
    Ok(Redirect::to(&next).into_response())
}

/// Where the second step of logging in is asked.
pub const CODE_PATH: &str = "/login/code";

/// Puts the session in the half-logged-in state: a fresh id, no user (a previous login on this
/// browser ends here), the pending login and a fresh CSRF token.
async fn begin_second_step(session: &Session, user_id: &str, next: &str) -> AppResult<()> {
    session.remove_value(reti_store::sessions::USER_ID_KEY).await.map_err(session_error)?;
    session.remove_value(reti_store::sessions::LOGGED_IN_AT_KEY).await.map_err(session_error)?;
    session.cycle_id().await.map_err(session_error)?;
    session.insert(PENDING_KEY, PendingLogin::new(user_id, next)).await.map_err(session_error)?;
    let csrf = reti_store::secret::new_secret();
    session.insert(crate::context::SESSION_CSRF_KEY, csrf).await.map_err(session_error)?;
    Ok(())
}

/// Logs `user` in on this session and records it; `second_factor` says how the second step was
/// passed, when there was one.
async fn complete_login(
    state: &AppState,
    context: &RequestContext,
    session: &Session,
    user: &reti_store::users::User,
    second_factor: Option<Proof>,
) -> AppResult<()> {
    super::start_session(session, &user.id, &context.client_ip).await?;
    if let Some(locale) = user.locale {
        session.insert(SESSION_LOCALE_KEY, locale).await.map_err(session_error)?;
    }
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
                after: second_factor.map(|proof| serde_json::json!({"second_factor": proof.code()})),
            },
        )
        .await?;
    Ok(())
}

#[derive(Template)]
#[template(path = "login_code.html")]
struct CodePage {
    page: PageContext,
    error: String,
}

/// The login waiting for its second step on this session, if it is still fresh; a stale one is
/// forgotten.
async fn pending_login(session: &Session) -> AppResult<Option<PendingLogin>> {
    let pending = session.get::<PendingLogin>(PENDING_KEY).await.map_err(session_error)?;
    match pending {
        Some(pending) if pending.is_fresh() => Ok(Some(pending)),
        Some(_) => {
            session.remove_value(PENDING_KEY).await.map_err(session_error)?;
            Ok(None)
        }
        None => Ok(None),
    }
}

/// Back to the first step, saying why.
async fn back_to_login(session: &Session, page: &PageContext) -> AppResult<Response> {
    super::set_flash_redirect(session, page.t("login-code-expired"), "/login").await
}

pub async fn code_form(session: Session, FormPage(page): FormPage) -> AppResult<Response> {
    if page.identity.is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    if pending_login(&session).await?.is_none() {
        return back_to_login(&session, &page).await;
    }
    render_status(StatusCode::OK, &CodePage { page, error: String::new() })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CodeForm {
    code: String,
}

pub async fn code_submit(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    session: Session,
    FormPage(page): FormPage,
    Form(form): Form<CodeForm>,
) -> AppResult<Response> {
    let Some(pending) = pending_login(&session).await? else { return back_to_login(&session, &page).await };
    let Some(user) = state.db.user(&pending.user_id).await?.filter(|user| !user.disabled) else {
        session.remove_value(PENDING_KEY).await.map_err(session_error)?;
        return back_to_login(&session, &page).await;
    };
    let again = |page: PageContext, status: StatusCode, key: &str| {
        let error = page.t(key);
        render_status(status, &CodePage { page, error })
    };
    // Counted before the code is checked, on a budget of its own: knowing the password buys no
    // more guesses than not knowing it.
    let Some(attempt) = state.db.reserve_attempt(AttemptKind::SecondFactor, &user.email, &context.client_ip).await?
    else {
        return again(page, StatusCode::TOO_MANY_REQUESTS, "login-code-throttled");
    };
    let actor = reti_store::Actor::user(&user.id, &user.email, Some(context.client_ip.clone()));
    let proof = if looks_like_totp(&form.code) {
        state.db.verify_totp(&user.id, &form.code).await?.then_some(Proof::Totp)
    } else {
        state.db.use_recovery_code(&actor, &user.id, &form.code).await?.then_some(Proof::RecoveryCode)
    };
    let Some(proof) = proof else {
        return again(page, StatusCode::UNAUTHORIZED, "login-code-failed");
    };
    state.db.attempt_succeeded(attempt).await?;
    session.remove_value(PENDING_KEY).await.map_err(session_error)?;
    complete_login(&state, &context, &session, &user, Some(proof)).await?;
    Ok(Redirect::to(&safe_next(Some(&pending.next))).into_response())
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
