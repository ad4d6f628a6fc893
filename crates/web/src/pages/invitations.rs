//! Invitations: the coordination invites a person by e-mail to a role in a programme it
//! coordinates; the person follows the single-use link, sets a name and password, and is in.

use super::password::MessagePage;
use super::{form_status, new_password, render, render_status, set_flash_redirect};
use crate::AppState;
use crate::context::{Identity, RequestContext};
use crate::error::{AppError, AppResult};
use crate::extract::CurrentUser;
use crate::i18n::Translator;
use crate::mail::Mail;
use crate::page::{FormPage, PageContext};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use reti_domain::{Email, FieldErrors, PersonName, Role};
use reti_store::invitations::Invitation;
use reti_store::privacy::Consent;
use reti_store::programmes::Programme;
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Template)]
#[template(path = "invitation_new.html")]
struct NewInvitationPage {
    page: PageContext,
    email: String,
    programmes: Vec<(String, String)>,
    selected_programme: String,
    roles: Vec<(&'static str, String)>,
    selected_role: String,
    errors: FieldErrors,
}

/// The programmes in which `identity` may invite: all for the administrator, else those coordinated.
async fn invitable_programmes(state: &AppState, identity: &Identity) -> AppResult<Vec<Programme>> {
    let all = state.db.programmes().await?;
    if identity.user.is_admin {
        return Ok(all);
    }
    let mine = identity.coordinated_programmes();
    Ok(all.into_iter().filter(|p| mine.contains(&p.id)).collect())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct InvitationForm {
    email: String,
    programme: String,
    role: String,
}

async fn new_page(
    state: &AppState,
    page: PageContext,
    identity: &Identity,
    form: InvitationForm,
    errors: FieldErrors,
) -> AppResult<Response> {
    let tr = page.translator();
    let programmes = invitable_programmes(state, identity).await?.into_iter().map(|p| (p.id, p.name)).collect();
    let roles = Role::ALL.into_iter().map(|r| (r.code(), tr.t(r.label_key()))).collect();
    let status = form_status(&errors);
    render_status(
        status,
        &NewInvitationPage {
            page,
            email: form.email,
            programmes,
            selected_programme: form.programme,
            roles,
            selected_role: if form.role.is_empty() { Role::NetworkMember.code().to_owned() } else { form.role },
            errors,
        },
    )
}

pub async fn new_form(
    State(state): State<AppState>,
    identity: CurrentUser,
    FormPage(page): FormPage,
) -> AppResult<Response> {
    new_page(&state, page, &identity, InvitationForm::default(), FieldErrors::default()).await
}

pub async fn create(
    State(state): State<AppState>,
    identity: CurrentUser,
    session: Session,
    FormPage(page): FormPage,
    Form(form): Form<InvitationForm>,
) -> AppResult<Response> {
    let mut errors = FieldErrors::default();
    let email = errors.check(Email::parse(&form.email));
    let role = errors.check(Role::parse(&form.role));
    let programme = invitable_programmes(&state, &identity).await?.into_iter().find(|p| p.id == form.programme);
    if programme.is_none() {
        errors.push("programme", "error-programme-invalid");
    }
    let (Some(email), Some(role), Some(programme)) = (email, role, programme) else {
        return new_page(&state, page, &identity, form, errors).await;
    };
    // The invitee has no language preference yet: write in the inviter's language.
    let tr = Translator::new(page.locale);
    let mail = |invitation: &Invitation, token: &str| {
        let link = format!("{}/invitations/{token}", state.config.public_url);
        let body = tr.t_args(
            "mail-invitation-body",
            &[
                ("inviter", identity.user.name.clone()),
                ("programme", invitation.programme_name.clone()),
                ("role", tr.t(role.label_key())),
                ("link", link),
            ],
        );
        Mail { to: email.to_string(), subject: tr.t("mail-invitation-subject"), body, attachment: None }.job()
    };
    state.db.create_invitation(&identity.actor(), &email, &programme.id, role, mail).await?;
    set_flash_redirect(
        &session,
        tr.t_args("flash-invitation-sent", &[("email", email.to_string())]),
        "/invitations/new",
    )
    .await
}

#[derive(Template)]
#[template(path = "invitation_accept.html")]
struct AcceptPage {
    page: PageContext,
    email: String,
    role: String,
    programme: String,
    has_account: bool,
    person_name: String,
    consent: bool,
    action: String,
    errors: FieldErrors,
}

fn invalid_invitation(page: PageContext) -> AppResult<Response> {
    let tr = page.translator();
    render_status(
        StatusCode::GONE,
        &MessagePage {
            title: tr.t("link-invalid-title"),
            message: tr.t("invitation-invalid-text"),
            link_href: "/".into(),
            link_label: tr.t("layout-error-home"),
            page,
        },
    )
}

pub async fn accept_form(
    State(state): State<AppState>,
    FormPage(page): FormPage,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let Some(invitation) = state.db.open_invitation(&token).await? else { return invalid_invitation(page) };
    let has_account = state.db.user_by_email(&Email::parse(&invitation.email)?).await?.is_some();
    let role = page.t(invitation.role.label_key());
    render(&AcceptPage {
        email: invitation.email,
        role,
        programme: invitation.programme_name,
        has_account,
        person_name: String::new(),
        consent: false,
        action: format!("/invitations/{token}"),
        errors: FieldErrors::default(),
        page,
    })
}

impl From<reti_domain::FieldError> for AppError {
    fn from(error: reti_domain::FieldError) -> Self {
        AppError::Invalid(error.into())
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AcceptForm {
    name: String,
    password: String,
    password_confirm: String,
    /// The privacy notice accepted: required, for a new account and an existing one alike.
    consent: Option<String>,
}

pub async fn accept_submit(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    session: Session,
    FormPage(page): FormPage,
    Path(token): Path<String>,
    Form(form): Form<AcceptForm>,
) -> AppResult<Response> {
    let Some(invitation) = state.db.open_invitation(&token).await? else { return invalid_invitation(page) };
    let existing = state.db.user_by_email(&Email::parse(&invitation.email)?).await?;
    let mut errors = FieldErrors::default();
    let new_account = if existing.is_some() {
        // The account exists: accepting only adds the role; its name and password stay.
        None
    } else {
        let name = errors.check(PersonName::parse(&form.name));
        let password =
            new_password(&mut errors, &form.password, &form.password_confirm, &[&invitation.email, &form.name]);
        name.zip(password)
    };
    if form.consent.is_none() {
        errors.push("consent", "error-consent-required");
    }
    if !errors.is_empty() {
        let role = page.t(invitation.role.label_key());
        return render_status(
            form_status(&errors),
            &AcceptPage {
                email: invitation.email,
                role,
                programme: invitation.programme_name,
                has_account: existing.is_some(),
                person_name: form.name,
                consent: form.consent.is_some(),
                action: format!("/invitations/{token}"),
                errors,
                page,
            },
        );
    }
    let account = new_account.as_ref().map(|(name, password)| (name, password));
    let consent = Consent::current(page.locale.code());
    let user = match state.db.accept_invitation(&token, account, &consent, Some(context.client_ip.clone())).await {
        Ok(user) => user,
        Err(reti_store::StoreError::NotFound) => return invalid_invitation(page),
        Err(error) => return Err(error.into()),
    };
    if existing.is_none() || context.identity.as_ref().is_some_and(|i| i.user.id == user.id) {
        super::start_session(&session, &user.id, &context.client_ip).await?;
        return set_flash_redirect(&session, page.t("flash-invitation-accepted"), "/").await;
    }
    // An existing account that is not the one logged in: it must log in itself.
    crate::page::set_flash(&session, page.t("flash-invitation-accepted")).await?;
    Ok(Redirect::to("/login").into_response())
}
