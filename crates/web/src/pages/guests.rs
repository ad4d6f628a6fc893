//! Guests without an account registering for a webinar (issue 7, decision 0022): a public form
//! (name, e-mail; throttled like the other public forms), a confirmation link by e-mail, and on
//! confirmation a place or the waiting list like anyone else, with the calendar file by e-mail.

use super::password::MessagePage;
use super::{actor_of, form_status, render, render_status};
use crate::AppState;
use crate::context::RequestContext;
use crate::error::{AppError, AppResult};
use crate::mail::Mail;
use crate::notices::meeting_mail;
use crate::page::{FormPage, PageContext};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::{Extension, Form};
use reti_domain::meetings::format_local;
use reti_domain::{Email, FieldError, FieldErrors, PersonName};
use reti_store::meetings::{Meeting, RegistrationStatus};
use reti_store::notices::{Notice, takes_guests};
use reti_store::privacy::Consent;
use reti_store::throttle::AttemptKind;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "guests/register.html")]
struct RegisterPage {
    page: PageContext,
    title: String,
    when: String,
    action: String,
    guest_name: String,
    email: String,
    consent: bool,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "guests/confirm.html")]
struct ConfirmPage {
    page: PageContext,
    title: String,
    when: String,
    action: String,
}

/// The webinar, when it takes guests; not found otherwise (other meetings stay private).
async fn webinar(state: &AppState, id: &str) -> AppResult<Meeting> {
    match state.db.meeting(id).await? {
        Some(meeting) if takes_guests(&meeting) => Ok(meeting),
        _ => Err(AppError::NotFound),
    }
}

fn register_page(page: PageContext, meeting: &Meeting, form: GuestForm, errors: FieldErrors) -> AppResult<Response> {
    render_status(
        form_status(&errors),
        &RegisterPage {
            page,
            title: meeting.title.clone(),
            when: format_local(meeting.starts_at),
            action: format!("/meetings/{}/guests", meeting.id),
            guest_name: form.name,
            email: form.email,
            consent: form.consent.is_some(),
            errors,
        },
    )
}

pub async fn form(
    State(state): State<AppState>,
    FormPage(page): FormPage,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let meeting = webinar(&state, &id).await?;
    register_page(page, &meeting, GuestForm::default(), FieldErrors::default())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct GuestForm {
    name: String,
    email: String,
    /// The privacy notice accepted: the box is required, nothing is written without it.
    consent: Option<String>,
}

pub async fn submit(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    FormPage(page): FormPage,
    Path(id): Path<String>,
    Form(form): Form<GuestForm>,
) -> AppResult<Response> {
    let meeting = webinar(&state, &id).await?;
    let mut errors = FieldErrors::default();
    let name = errors.check(PersonName::parse(&form.name));
    let email = errors.check(Email::parse(&form.email));
    if form.consent.is_none() {
        errors.push("consent", "error-consent-required");
    }
    let (true, Some(name), Some(email)) = (errors.is_empty(), name, email) else {
        return register_page(page, &meeting, form, errors);
    };
    if state.db.reserve_attempt(AttemptKind::GuestRegistration, email.as_str(), &context.client_ip).await?.is_none() {
        crate::security::log_refusal(Some(&context), "POST", &context.path, "throttled", None);
        let errors = FieldErrors::from(FieldError::new("email", "password-throttled"));
        let mut response = register_page(page, &meeting, form, errors)?;
        *response.status_mut() = axum::http::StatusCode::TOO_MANY_REQUESTS;
        return Ok(response);
    }
    let tr = page.translator();
    let public_url = state.config.public_url.clone();
    let mail = |meeting: &Meeting, secret: &str| {
        let link = format!("{public_url}/guests/{secret}");
        let body = tr.t_args(
            "mail-guest-confirm-body",
            &[("name", name.as_str().to_owned()), ("title", meeting.title.clone()), ("link", link)],
        );
        Mail { to: email.as_str().to_owned(), subject: tr.t("mail-guest-confirm-subject"), body, attachment: None }
            .job()
    };
    let locale = page.locale.code();
    let consent = Consent::current(locale);
    state
        .db
        .request_guest_registration(
            &actor_of(&context),
            &meeting.id,
            name.as_str(),
            email.as_str(),
            locale,
            &consent,
            mail,
        )
        .await?;
    render(&MessagePage {
        title: tr.t("guest-sent-title"),
        message: tr.t("guest-sent-text"),
        link_href: "/".into(),
        link_label: tr.t("nav-home"),
        page,
    })
}

fn invalid_link(page: PageContext) -> AppResult<Response> {
    let tr = page.translator();
    render_status(
        axum::http::StatusCode::GONE,
        &MessagePage {
            title: tr.t("link-invalid-title"),
            message: tr.t("guest-link-invalid"),
            link_href: "/".into(),
            link_label: tr.t("nav-home"),
            page,
        },
    )
}

pub async fn confirm_form(
    State(state): State<AppState>,
    FormPage(page): FormPage,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let Some(meeting) = state.db.guest_request_meeting(&token).await? else { return invalid_link(page) };
    render(&ConfirmPage {
        page,
        title: meeting.title.clone(),
        when: format_local(meeting.starts_at),
        action: format!("/guests/{token}"),
    })
}

pub async fn confirm(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    page: PageContext,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let config = state.config.clone();
    // In the language the guest registered in, stored with the request.
    let mail = |meeting: &Meeting, recipient: &reti_store::notices::Recipient, _: RegistrationStatus| {
        meeting_mail(&config, std::slice::from_ref(meeting), Notice::Invitation, recipient).job()
    };
    let Some(status) = state.db.confirm_guest(&actor_of(&context), &token, mail).await? else {
        return invalid_link(page);
    };
    let tr = page.translator();
    let message = match status {
        RegistrationStatus::Waiting => tr.t("guest-confirmed-waiting"),
        _ => tr.t("guest-confirmed-text"),
    };
    render(&MessagePage {
        title: tr.t("guest-confirmed-title"),
        message,
        link_href: "/".into(),
        link_label: tr.t("nav-home"),
        page,
    })
}
