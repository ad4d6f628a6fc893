//! Forgotten passwords: a single-use link valid for one hour, sent by e-mail. The answer to the
//! request never tells whether the address has an account: the request only queues a
//! [`RESET_LOOKUP_KIND`] job, the same work whatever the address, and a worker (on any app server,
//! after a crash too) looks the address up and queues the mail.

use super::{actor_of, form_status, new_password, render, render_status, set_flash_redirect};
use crate::AppState;
use crate::WebConfig;
use crate::context::RequestContext;
use crate::error::{AppError, AppResult};
use crate::i18n::Translator;
use crate::mail::Mail;
use crate::page::{FormPage, PageContext};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::{Extension, Form};
use reti_domain::{Email, FieldErrors, Locale};
use reti_store::jobs::NewJob;
use reti_store::throttle::AttemptKind;
use reti_store::users::User;
use reti_store::{Actor, Db};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

/// The job kind that looks up a forgotten password's address and, when it has an account, queues
/// the mail with the reset link.
pub const RESET_LOOKUP_KIND: &str = "password_reset_lookup";

/// What a [`RESET_LOOKUP_KIND`] job carries: the address, the language of the page the request
/// came from (for an account without a preference), and who asked, for the audit log.
#[derive(Serialize, Deserialize)]
struct ResetLookup {
    email: String,
    locale: String,
    actor: Actor,
}

impl ResetLookup {
    fn job(&self) -> NewJob {
        NewJob::new(RESET_LOOKUP_KIND, serde_json::json!(self))
    }
}

#[derive(Template)]
#[template(path = "password_forgot.html")]
struct ForgotPage {
    page: PageContext,
    email: String,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "message.html")]
pub(crate) struct MessagePage {
    pub page: PageContext,
    pub title: String,
    pub message: String,
    pub link_href: String,
    pub link_label: String,
}

#[derive(Template)]
#[template(path = "password_reset.html")]
struct ResetPage {
    page: PageContext,
    email: String,
    action: String,
    errors: FieldErrors,
}

pub async fn forgot_form(FormPage(page): FormPage) -> AppResult<Response> {
    render(&ForgotPage { page, email: String::new(), errors: FieldErrors::default() })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ForgotForm {
    email: String,
}

pub async fn forgot_submit(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    FormPage(page): FormPage,
    Form(form): Form<ForgotForm>,
) -> AppResult<Response> {
    let email = match Email::parse(&form.email) {
        Ok(email) => email,
        Err(error) => {
            let errors = FieldErrors::from(error);
            return render_status(form_status(&errors), &ForgotPage { page, email: form.email, errors });
        }
    };
    if state.db.reserve_attempt(AttemptKind::PasswordForgot, email.as_str(), &context.client_ip).await?.is_none() {
        crate::security::log_refusal(Some(&context), "POST", &context.path, "throttled", None);
        let errors = FieldErrors::from(reti_domain::FieldError::new("email", "password-throttled"));
        let status = axum::http::StatusCode::TOO_MANY_REQUESTS;
        return render_status(status, &ForgotPage { page, email: form.email, errors });
    }
    // Looked up by a worker, after the answer: the request does the same work for every address,
    // so that the answer cannot tell, even by its timing, whether the address has an account.
    let lookup = ResetLookup {
        email: email.as_str().to_owned(),
        locale: page.locale.code().to_owned(),
        actor: actor_of(&context),
    };
    state.db.enqueue(&lookup.job()).await?;
    let tr = page.translator();
    render(&MessagePage {
        title: tr.t("forgot-sent-title"),
        message: tr.t("forgot-sent-text"),
        link_href: "/login".into(),
        link_label: tr.t("login-title"),
        page,
    })
}

/// Runs a [`RESET_LOOKUP_KIND`] job: when the address has an active account, records a reset link
/// and queues its mail, in one transaction; otherwise does nothing. Delivery is at least once, so
/// a worker that dies after the commit may send a second, equally valid, link.
pub async fn look_up_reset(db: &Db, config: &WebConfig, payload: serde_json::Value) -> anyhow::Result<()> {
    let lookup: ResetLookup = serde_json::from_value(payload)?;
    let Ok(email) = Email::parse(&lookup.email) else { return Ok(()) };
    let locale = Locale::parse(&lookup.locale).unwrap_or_default();
    let mail = |user: &User, token: &str| {
        let tr = Translator::new(user.locale.unwrap_or(locale));
        let link = format!("{}/password/reset/{token}", config.public_url);
        let body = tr.t_args("mail-reset-body", &[("name", user.name.clone()), ("link", link)]);
        Mail { to: user.email.clone(), subject: tr.t("mail-reset-subject"), body, attachment: None }.job()
    };
    db.start_password_reset(&lookup.actor, &email, mail).await?;
    Ok(())
}

/// The notice that an account's password was changed or reset (ASVS 2.5.5), in the account's
/// language (Italian when it has none): when, and what to do if it was not them. It carries no
/// secret link, only the public address of the forgotten-password page.
pub fn changed_mail(public_url: &str, user: &User) -> NewJob {
    let tr = Translator::new(user.locale.unwrap_or_default());
    let args = [
        ("name", user.name.clone()),
        ("when", super::audit::rome_time(time::OffsetDateTime::now_utc())),
        ("link", format!("{public_url}/password/forgot")),
    ];
    let body = tr.t_args("mail-password-changed-body", &args);
    Mail { to: user.email.clone(), subject: tr.t("mail-password-changed-subject"), body, attachment: None }.job()
}

fn invalid_link(page: PageContext) -> AppResult<Response> {
    let tr = page.translator();
    render_status(
        axum::http::StatusCode::GONE,
        &MessagePage {
            title: tr.t("link-invalid-title"),
            message: tr.t("link-invalid-text"),
            link_href: "/password/forgot".into(),
            link_label: tr.t("forgot-title"),
            page,
        },
    )
}

pub async fn reset_form(
    State(state): State<AppState>,
    FormPage(page): FormPage,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let Some(user) = state.db.password_reset_user(&token).await? else { return invalid_link(page) };
    render(&ResetPage {
        page,
        email: user.email,
        action: format!("/password/reset/{token}"),
        errors: FieldErrors::default(),
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ResetForm {
    password: String,
    password_confirm: String,
}

pub async fn reset_submit(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    session: Session,
    FormPage(page): FormPage,
    Path(token): Path<String>,
    Form(form): Form<ResetForm>,
) -> AppResult<Response> {
    let Some(user) = state.db.password_reset_user(&token).await? else { return invalid_link(page) };
    let mut errors = FieldErrors::default();
    let Some(password) = new_password(&mut errors, &form.password, &form.password_confirm, &[&user.email, &user.name])
    else {
        let action = format!("/password/reset/{token}");
        return render_status(form_status(&errors), &ResetPage { page, email: user.email, action, errors });
    };
    let notice = |user: &User| changed_mail(&state.config.public_url, user);
    match state.db.complete_password_reset(&actor_of(&context), &token, &password, notice).await {
        Ok(_) => set_flash_redirect(&session, page.t("flash-password-reset"), "/login").await,
        Err(reti_store::StoreError::NotFound) => invalid_link(page),
        Err(error) => Err(AppError::from(error)),
    }
}
