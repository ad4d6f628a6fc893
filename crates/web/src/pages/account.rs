//! The user's own account: profile, language, notifications, password, second factor (decision
//! 0060), open sessions and API tokens.

use super::{form_status, new_password, render_status, set_flash_redirect};
use crate::AppState;
use crate::context::{Identity, RequestContext, SESSION_LOCALE_KEY};
use crate::error::{AppError, AppResult};
use crate::extract::CurrentUser;
use crate::page::{FormPage, PageContext};
use crate::second_factor::{grouped, otpauth_uri, qr_svg};
use crate::security::log_refusal;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use reti_domain::{FieldErrors, Locale, TokenLifetime};
use reti_store::mfa::{SecondFactor, looks_like_totp};
use reti_store::throttle::AttemptKind;
use reti_store::users::{LoginOutcome, User};
use serde::Deserialize;
use tower_sessions::Session;

pub struct TokenView {
    id: String,
    name: String,
    created: String,
    expires: String,
    expired: bool,
    revoked: bool,
}

/// An open session as the profile lists it.
pub struct SessionView {
    handle: String,
    logged_in: String,
    address: String,
    expires: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    page: PageContext,
    name: String,
    email: String,
    tokens: Vec<TokenView>,
    sessions: Vec<SessionView>,
    new_token: Option<String>,
    errors: FieldErrors,
    /// The notification checkboxes: field name, label key, whether on.
    notifications: Vec<(&'static str, &'static str, bool)>,
    /// The choices of mail about remote exchanges: code, label key, whether chosen.
    exchange_mail: Vec<(&'static str, String, bool)>,
    mfa: MfaView,
}

/// The second factor's section of the profile (decision 0060).
pub struct MfaView {
    /// `off`, `pending` or `on`.
    state: &'static str,
    /// The installation asks this account to have one.
    required: bool,
    /// While pending: the key in groups of four, the URI for the app and its QR code (an SVG of
    /// our own making, numbers only).
    secret: String,
    uri: String,
    qr: String,
    /// While on: since when, and the recovery codes left.
    since: String,
    codes_left: i64,
    /// Recovery codes just made: shown on this response only.
    new_codes: Vec<String>,
}

/// Issuer shown by authenticator apps beside the account.
const TOTP_ISSUER: &str = "Reti";

async fn account_page(
    state: &AppState,
    identity: &Identity,
    session: &Session,
    page: PageContext,
    new_token: Option<String>,
    errors: FieldErrors,
) -> AppResult<Response> {
    account_page_with_codes(state, identity, session, page, new_token, errors, Vec::new()).await
}

async fn account_page_with_codes(
    state: &AppState,
    identity: &Identity,
    session: &Session,
    page: PageContext,
    new_token: Option<String>,
    errors: FieldErrors,
    new_codes: Vec<String>,
) -> AppResult<Response> {
    let now = reti_store::Timestamp::now();
    let tokens = state
        .db
        .tokens_of(&identity.user.id)
        .await?
        .into_iter()
        .map(|t| TokenView {
            id: t.id,
            name: t.name,
            created: super::audit::rome_time(t.created_at.0),
            expires: super::audit::rome_time(t.expires_at.0),
            expired: t.expires_at <= now,
            revoked: t.revoked_at.is_some(),
        })
        .collect();
    let current = session.id().map(|id| id.to_string());
    let sessions = state
        .db
        .open_sessions(&identity.user.id, current.as_deref())
        .await?
        .into_iter()
        .map(|s| SessionView {
            handle: s.handle,
            logged_in: s.logged_in_at.map(|at| super::audit::rome_time(at.0)).unwrap_or_else(|| "—".into()),
            address: s.login_address.unwrap_or_else(|| "—".into()),
            expires: super::audit::rome_time(s.expires_at.0),
            current: s.current,
        })
        .collect();
    let prefs = state.db.notification_preferences(&identity.user.id).await?;
    let notifications = vec![
        ("invitations", "notifications-invitations", prefs.invitations),
        ("updates", "notifications-updates", prefs.updates),
        ("reminders", "notifications-reminders", prefs.reminders),
        ("follow_ups", "notifications-follow-ups", prefs.follow_ups),
    ];
    let mode = state.db.exchange_mail_mode(&identity.user.id).await?;
    let exchange_mail = reti_domain::exchanges::MailMode::ALL
        .into_iter()
        .map(|m| (m.code(), format!("exchange-mail-{}", m.code()), m == mode))
        .collect();
    let required = state.config.require_mfa_for.applies_to(identity);
    let mfa = match state.db.second_factor(&identity.user.id).await? {
        SecondFactor::Off => MfaView::new("off", required, new_codes),
        SecondFactor::Pending { secret } => MfaView {
            qr: qr_svg(&otpauth_uri(TOTP_ISSUER, &identity.user.email, &secret)).unwrap_or_default(),
            uri: otpauth_uri(TOTP_ISSUER, &identity.user.email, &secret),
            secret: grouped(&secret),
            ..MfaView::new("pending", required, new_codes)
        },
        SecondFactor::On { enabled_at, recovery_codes_left } => MfaView {
            since: super::audit::rome_time(enabled_at.0),
            codes_left: recovery_codes_left,
            ..MfaView::new("on", required, new_codes)
        },
    };
    let status = form_status(&errors);
    render_status(
        status,
        &AccountPage {
            page,
            name: identity.user.name.clone(),
            email: identity.user.email.clone(),
            tokens,
            sessions,
            new_token,
            errors,
            notifications,
            exchange_mail,
            mfa,
        },
    )
}

impl MfaView {
    fn new(state: &'static str, required: bool, new_codes: Vec<String>) -> MfaView {
        MfaView {
            state,
            required,
            secret: String::new(),
            uri: String::new(),
            qr: String::new(),
            since: String::new(),
            codes_left: 0,
            new_codes,
        }
    }
}

pub async fn show(
    State(state): State<AppState>,
    identity: CurrentUser,
    session: Session,
    FormPage(page): FormPage,
) -> AppResult<Response> {
    account_page(&state, &identity, &session, page, None, FieldErrors::default()).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LanguageForm {
    locale: String,
}

pub async fn set_language(
    State(state): State<AppState>,
    identity: CurrentUser,
    session: Session,
    Form(form): Form<LanguageForm>,
) -> AppResult<Response> {
    let locale = Locale::parse(&form.locale)
        .ok_or_else(|| AppError::Invalid(reti_domain::FieldError::new("locale", "error-locale-invalid").into()))?;
    state.db.set_locale(&identity.actor(), &identity.user.id, locale).await?;
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
    identity: CurrentUser,
    session: Session,
    FormPage(page): FormPage,
    Form(form): Form<PasswordForm>,
) -> AppResult<Response> {
    let mut errors = FieldErrors::default();
    let refused = |reason: &str| log_refusal(Some(&context), "POST", &context.path, reason, None);
    // The current password is guessed here as on the login page: the same budget of attempts.
    let kind = AttemptKind::PasswordChange;
    let Some(attempt) = state.db.reserve_attempt(kind, &identity.user.email, identity.client_ip()).await? else {
        refused("throttled");
        errors.push("current_password", "password-throttled");
        return account_page(&state, &identity, &session, page, None, errors).await;
    };
    if let LoginOutcome::Failure = state.db.check_login(&identity.user.email, &form.current_password).await? {
        refused("bad_credentials");
        errors.push("current_password", "error-current-password");
    } else {
        state.db.attempt_succeeded(attempt).await?;
    }
    let password =
        new_password(&mut errors, &form.password, &form.password_confirm, &[&identity.user.email, &identity.user.name]);
    let (true, Some(password)) = (errors.is_empty(), password) else {
        return account_page(&state, &identity, &session, page, None, errors).await;
    };
    let notice = |user: &User| super::password::changed_mail(&state.config.public_url, user);
    state.db.set_password(&identity.actor(), &identity.user.id, &password, notice).await?;
    // Changing the password ended every session, this one too: keep this one alive.
    session.cycle_id().await.map_err(super::session_error)?;
    set_flash_redirect(&session, page.t("flash-password-changed"), "/account").await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TokenForm {
    token_name: String,
    token_days: String,
}

pub async fn create_token(
    State(state): State<AppState>,
    identity: CurrentUser,
    session: Session,
    FormPage(page): FormPage,
    Form(form): Form<TokenForm>,
) -> AppResult<Response> {
    let name = form.token_name.trim();
    let mut errors = FieldErrors::default();
    if name.is_empty() {
        errors.push("token_name", "error-required");
    }
    let lifetime = errors.check(TokenLifetime::parse(&form.token_days, "token_days"));
    let (true, Some(lifetime)) = (errors.is_empty(), lifetime) else {
        return account_page(&state, &identity, &session, page, None, errors).await;
    };
    let (_, secret) = state.db.create_token_for(&identity.actor(), &identity.user.id, name, lifetime).await?;
    // Shown once, on this response only: it is not stored anywhere we could show it again.
    account_page(&state, &identity, &session, page, Some(secret), FieldErrors::default()).await
}

/// Ends every other session of the account (ASVS 3.3.4): a browser left logged in elsewhere.
pub async fn end_other_sessions(
    State(state): State<AppState>,
    identity: CurrentUser,
    session: Session,
    page: PageContext,
) -> AppResult<Response> {
    let keep = session.id().map(|id| id.to_string()).unwrap_or_default();
    let ended = state.db.end_other_sessions(&identity.actor(), &identity.user.id, &keep).await?;
    let ended = i64::try_from(ended).unwrap_or(i64::MAX);
    set_flash_redirect(&session, page.t_count("flash-sessions-ended", &ended), "/account").await
}

/// Ends one other session of the account, named by its handle; another person's is not found.
pub async fn end_session(
    State(state): State<AppState>,
    identity: CurrentUser,
    session: Session,
    page: PageContext,
    Path(handle): Path<String>,
) -> AppResult<Response> {
    let keep = session.id().map(|id| id.to_string()).unwrap_or_default();
    state.db.end_session(&identity.actor(), &identity.user.id, &handle, &keep).await?;
    set_flash_redirect(&session, page.t_count("flash-sessions-ended", &1), "/account").await
}

pub async fn revoke_token(
    State(state): State<AppState>,
    identity: CurrentUser,
    session: Session,
    page: PageContext,
    Path(id): Path<String>,
) -> AppResult<Response> {
    state.db.revoke_token(&identity.actor(), &identity.user.id, &id).await?;
    set_flash_redirect(&session, page.t("flash-token-revoked"), "/account").await
}

/// The notification checkboxes: a box left unticked is absent from the form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NotificationsForm {
    invitations: Option<String>,
    updates: Option<String>,
    reminders: Option<String>,
    follow_ups: Option<String>,
}

pub async fn set_notifications(
    State(state): State<AppState>,
    identity: CurrentUser,
    session: Session,
    page: PageContext,
    Form(form): Form<NotificationsForm>,
) -> AppResult<Response> {
    let prefs = reti_store::notices::Preferences {
        invitations: form.invitations.is_some(),
        updates: form.updates.is_some(),
        reminders: form.reminders.is_some(),
        follow_ups: form.follow_ups.is_some(),
    };
    state.db.set_notification_preferences(&identity.actor(), &identity.user.id, prefs).await?;
    set_flash_redirect(&session, page.t("flash-saved"), "/account").await
}

/// Gives the account a new TOTP key to confirm; the profile then shows it.
pub async fn mfa_setup(State(state): State<AppState>, identity: CurrentUser) -> AppResult<Response> {
    match state.db.start_totp(&identity.user.id).await {
        Ok(_) | Err(reti_store::StoreError::Conflict { .. }) => {}
        Err(error) => return Err(error.into()),
    }
    Ok(axum::response::Redirect::to("/account#second-factor").into_response())
}

/// Checks a code of the second factor typed on the profile (TOTP, or a recovery code when
/// `recovery` allows it), on the same budget of attempts as the login's second step; records the
/// problem against `field` in `errors`. What proved it, when something did.
async fn check_code(
    state: &AppState,
    identity: &CurrentUser,
    errors: &mut FieldErrors,
    field: &'static str,
    code: &str,
    recovery: bool,
) -> AppResult<Option<&'static str>> {
    let kind = AttemptKind::SecondFactor;
    let Some(attempt) = state.db.reserve_attempt(kind, &identity.user.email, identity.client_ip()).await? else {
        errors.push(field, "error-mfa-throttled");
        return Ok(None);
    };
    let proof = if looks_like_totp(code) {
        state.db.verify_totp(&identity.user.id, code).await?.then_some("totp")
    } else if recovery {
        state.db.use_recovery_code(&identity.actor(), &identity.user.id, code).await?.then_some("recovery_code")
    } else {
        None
    };
    match proof {
        Some(_) => state.db.attempt_succeeded(attempt).await?,
        None => errors.push(field, "error-mfa-code"),
    }
    Ok(proof)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EnableForm {
    enable_code: String,
}

/// Switches the second factor on with a current code of the key shown, and shows the recovery
/// codes, once.
pub async fn mfa_enable(
    State(state): State<AppState>,
    identity: CurrentUser,
    session: Session,
    FormPage(page): FormPage,
    Form(form): Form<EnableForm>,
) -> AppResult<Response> {
    let mut errors = FieldErrors::default();
    let kind = AttemptKind::SecondFactor;
    let Some(attempt) = state.db.reserve_attempt(kind, &identity.user.email, identity.client_ip()).await? else {
        errors.push("enable_code", "error-mfa-throttled");
        return account_page(&state, &identity, &session, page, None, errors).await;
    };
    let Some(codes) = state.db.enable_totp(&identity.actor(), &identity.user.id, &form.enable_code).await? else {
        errors.push("enable_code", "error-mfa-code");
        return account_page(&state, &identity, &session, page, None, errors).await;
    };
    state.db.attempt_succeeded(attempt).await?;
    account_page_with_codes(&state, &identity, &session, page, None, FieldErrors::default(), codes).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DisableForm {
    disable_code: String,
    disable_password: String,
}

/// Switches the second factor off, given a current code (or a recovery code) or the password.
pub async fn mfa_disable(
    State(state): State<AppState>,
    identity: CurrentUser,
    session: Session,
    FormPage(page): FormPage,
    Form(form): Form<DisableForm>,
) -> AppResult<Response> {
    let mut errors = FieldErrors::default();
    let confirmed_by = if !form.disable_code.trim().is_empty() {
        check_code(&state, &identity, &mut errors, "disable_code", &form.disable_code, true).await?
    } else if !form.disable_password.is_empty() {
        let kind = AttemptKind::PasswordChange;
        match state.db.reserve_attempt(kind, &identity.user.email, identity.client_ip()).await? {
            None => {
                errors.push("disable_password", "password-throttled");
                None
            }
            Some(attempt) => match state.db.check_login(&identity.user.email, &form.disable_password).await? {
                LoginOutcome::Success(_) => {
                    state.db.attempt_succeeded(attempt).await?;
                    Some("password")
                }
                LoginOutcome::Failure => {
                    errors.push("disable_password", "error-current-password");
                    None
                }
            },
        }
    } else {
        errors.push("disable_code", "error-mfa-confirm");
        None
    };
    let Some(confirmed_by) = confirmed_by else {
        return account_page(&state, &identity, &session, page, None, errors).await;
    };
    match state.db.disable_totp(&identity.actor(), &identity.user.id, confirmed_by).await {
        Ok(()) | Err(reti_store::StoreError::NotFound) => {}
        Err(error) => return Err(error.into()),
    }
    set_flash_redirect(&session, page.t("flash-mfa-disabled"), "/account").await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RenewForm {
    renew_code: String,
}

/// New recovery codes, given a current code of the app; shown once.
pub async fn mfa_renew_codes(
    State(state): State<AppState>,
    identity: CurrentUser,
    session: Session,
    FormPage(page): FormPage,
    Form(form): Form<RenewForm>,
) -> AppResult<Response> {
    let mut errors = FieldErrors::default();
    if check_code(&state, &identity, &mut errors, "renew_code", &form.renew_code, false).await?.is_none() {
        return account_page(&state, &identity, &session, page, None, errors).await;
    }
    let codes = match state.db.renew_recovery_codes(&identity.actor(), &identity.user.id).await {
        Ok(codes) => codes,
        Err(reti_store::StoreError::NotFound) => Vec::new(),
        Err(error) => return Err(error.into()),
    };
    account_page_with_codes(&state, &identity, &session, page, None, FieldErrors::default(), codes).await
}
