//! The user's own account: profile, language, password and API tokens.

use super::{actor_of, form_status, new_password, render_status, set_flash_redirect};
use crate::AppState;
use crate::context::{RequestContext, SESSION_LOCALE_KEY};
use crate::error::{AppError, AppResult};
use crate::page::{FormPage, PageContext};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::{Extension, Form};
use reti_domain::{FieldErrors, Locale};
use reti_store::users::LoginOutcome;
use serde::Deserialize;
use tower_sessions::Session;

pub struct TokenView {
    id: String,
    name: String,
    created: String,
    revoked: bool,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    page: PageContext,
    name: String,
    email: String,
    tokens: Vec<TokenView>,
    new_token: Option<String>,
    errors: FieldErrors,
}

fn identity(context: &RequestContext) -> AppResult<&crate::context::Identity> {
    context.identity.as_ref().ok_or(AppError::Unauthorized)
}

async fn account_page(
    state: &AppState,
    context: &RequestContext,
    page: PageContext,
    new_token: Option<String>,
    errors: FieldErrors,
) -> AppResult<Response> {
    let identity = identity(context)?;
    let tokens = state
        .db
        .tokens_of(&identity.user.id)
        .await?
        .into_iter()
        .map(|t| TokenView {
            id: t.id,
            name: t.name,
            created: super::audit::rome_time(t.created_at.0),
            revoked: t.revoked_at.is_some(),
        })
        .collect();
    let status = form_status(&errors);
    render_status(
        status,
        &AccountPage {
            page,
            name: identity.user.name.clone(),
            email: identity.user.email.clone(),
            tokens,
            new_token,
            errors,
        },
    )
}

pub async fn show(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    FormPage(page): FormPage,
) -> AppResult<Response> {
    account_page(&state, &context, page, None, FieldErrors::default()).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LanguageForm {
    locale: String,
}

pub async fn set_language(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    session: Session,
    Form(form): Form<LanguageForm>,
) -> AppResult<Response> {
    let identity = identity(&context)?;
    let locale = Locale::parse(&form.locale)
        .ok_or_else(|| AppError::Invalid(reti_domain::FieldError::new("locale", "error-locale-invalid").into()))?;
    state.db.set_locale(&actor_of(&context), &identity.user.id, locale).await?;
    session.insert(SESSION_LOCALE_KEY, locale).await.map_err(super::session_error)?;
    let tr = crate::i18n::Translator::new(locale);
    set_flash_redirect(&session, tr.t("flash-saved"), "/account").await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordForm {
    current_password: String,
    password: String,
    password_confirm: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    session: Session,
    FormPage(page): FormPage,
    Form(form): Form<PasswordForm>,
) -> AppResult<Response> {
    let identity = identity(&context)?;
    let mut errors = FieldErrors::default();
    if let LoginOutcome::Failure = state.db.check_login(&identity.user.email, &form.current_password).await? {
        errors.push("current_password", "error-current-password");
    }
    let password = new_password(&mut errors, &form.password, &form.password_confirm);
    let (true, Some(password)) = (errors.is_empty(), password) else {
        return account_page(&state, &context, page, None, errors).await;
    };
    state.db.set_password(&actor_of(&context), &identity.user.id, &password).await?;
    // Changing the password ended every session, this one too: keep this one alive.
    session.cycle_id().await.map_err(super::session_error)?;
    set_flash_redirect(&session, page.t("flash-password-changed"), "/account").await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TokenForm {
    token_name: String,
}

pub async fn create_token(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    FormPage(page): FormPage,
    Form(form): Form<TokenForm>,
) -> AppResult<Response> {
    let identity = identity(&context)?;
    let name = form.token_name.trim();
    if name.is_empty() {
        let errors = FieldErrors::from(reti_domain::FieldError::new("token_name", "error-required"));
        return account_page(&state, &context, page, None, errors).await;
    }
    let (_, secret) = state.db.create_token(&actor_of(&context), &identity.user.id, name).await?;
    // Shown once, on this response only: it is not stored anywhere we could show it again.
    account_page(&state, &context, page, Some(secret), FieldErrors::default()).await
}

pub async fn revoke_token(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    session: Session,
    page: PageContext,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let identity = identity(&context)?;
    state.db.revoke_token(&actor_of(&context), &identity.user.id, &id).await?;
    set_flash_redirect(&session, page.t("flash-token-revoked"), "/account").await
}
