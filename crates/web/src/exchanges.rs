//! Who reads, writes and moderates remote exchanges (decisions 0033, 0040): one function,
//! [`exchange_access`], for every kind of space, and the extractors that call it. A network's
//! readers and writers are the people with private access to it and its programme's coordination,
//! its moderators its facilitators and the coordination; a lab's are its experts, participants,
//! facilitators and coordination ([`reaches_lab_space`]), its moderators all of them but the
//! participants. Anyone else gets 404: an outsider does not learn that a thread exists.

use crate::context::NetworkAccess;
use crate::error::AppError;
use crate::extract::{CurrentUser, OwnerKind, facilitates_lab, reaches_lab_space, route_id};
use crate::i18n::Translator;
use crate::mail::Mail;
use crate::{AppState, WebConfig};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use reti_domain::Locale;
use reti_store::Db;
use reti_store::exchanges::{ExchangeScope, ExchangeSpace, MailRecipient, Notification, Thread};
use std::marker::PhantomData;

/// A space as the caller reaches it.
pub struct ExchangeAccess {
    pub space: ExchangeSpace,
    /// May hide messages.
    pub moderator: bool,
    pub user: CurrentUser,
}

/// The caller's access to the space `scope` names: 404 for an unknown space and for one they may
/// not read alike.
pub async fn exchange_access(
    state: &AppState,
    user: CurrentUser,
    scope: &ExchangeScope,
) -> Result<ExchangeAccess, AppError> {
    let space = state.db.exchange_space(scope).await?.ok_or(AppError::NotFound)?;
    let (reads, moderator) = match scope {
        ExchangeScope::Network(id) => (
            user.network_access(id, &space.programme_id) >= NetworkAccess::Private,
            user.coordinates(&space.programme_id) || crate::accompaniment::facilitates(&user, id),
        ),
        ExchangeScope::Lab(id) => {
            let lab = state.db.lab(id).await?.ok_or(AppError::NotFound)?;
            (
                reaches_lab_space(&user, &lab),
                user.coordinates(&lab.programme_id) || lab.has_expert(&user.user.id) || facilitates_lab(&user, &lab),
            )
        }
    };
    if !reads {
        return Err(AppError::NotFound);
    }
    Ok(ExchangeAccess { space, moderator, user })
}

/// The space named by the route's `{id}`, when the caller reads it.
pub struct SpaceAt<K: OwnerKind> {
    pub access: ExchangeAccess,
    kind: PhantomData<K>,
}

impl<K: OwnerKind> FromRequestParts<AppState> for SpaceAt<K> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        let scope = K::exchange_scope(route_id(parts, state).await?);
        Ok(SpaceAt { access: exchange_access(state, user, &scope).await?, kind: PhantomData })
    }
}

/// The thread named by the route's `{id}`, with the caller's access to its space.
pub struct ThreadAt {
    pub thread: Thread,
    pub access: ExchangeAccess,
}

impl FromRequestParts<AppState> for ThreadAt {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        let id = route_id(parts, state).await?;
        let thread = state.db.exchange_thread(&id, &user.identity.user.id).await?.ok_or(AppError::NotFound)?;
        let access = exchange_access(state, user, &thread.scope).await?;
        Ok(ThreadAt { thread, access })
    }
}

// ---------------------------------------------------------------------------------------------
// Mail: the jobs that turn notifications into e-mails, in each person's language.

fn translator(recipient: &MailRecipient) -> Translator {
    Translator::new(recipient.locale.as_deref().and_then(Locale::parse).unwrap_or_default())
}

fn sentence(tr: &Translator, notification: &Notification) -> String {
    tr.t_args(
        &notification.kind.message_key(),
        &[("actor", notification.actor_name.clone()), ("subject", notification.subject.clone())],
    )
}

/// The e-mail of one notification, sent as it happens.
pub fn notification_mail(config: &WebConfig, recipient: &MailRecipient, notification: &Notification) -> Mail {
    let tr = translator(recipient);
    let text = sentence(&tr, notification);
    let body = tr.t_args(
        "mail-exchange-body",
        &[
            ("name", recipient.name.clone()),
            ("subject", text.clone()),
            ("link", format!("{}{}", config.public_url, notification.link)),
            ("title", format!("{}/account#exchange-mail", config.public_url)),
        ],
    );
    Mail {
        to: recipient.email.clone(),
        subject: tr.t_args("mail-exchange-subject", &[("subject", text)]),
        body,
        attachment: None,
    }
}

/// The daily digest: every notification since the last one, each with its link.
pub fn digest_mail(config: &WebConfig, day: &str, recipient: &MailRecipient, items: &[Notification]) -> Mail {
    let tr = translator(recipient);
    let lines = items
        .iter()
        .map(|n| format!("- {}\n  {}{}", sentence(&tr, n), config.public_url, n.link))
        .collect::<Vec<_>>()
        .join("\n");
    let date = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_else(|_| day.to_owned());
    let body = tr.t_args(
        "mail-exchange-digest-body",
        &[
            ("name", recipient.name.clone()),
            ("items", lines),
            ("title", format!("{}/account#exchange-mail", config.public_url)),
        ],
    );
    Mail {
        to: recipient.email.clone(),
        subject: tr.t_args("mail-exchange-digest-subject", &[("date", date)]),
        body,
        attachment: None,
    }
}

/// Runs an `exchange-mail` job: the immediate mails of one message's notifications.
pub async fn send_immediate(db: &Db, config: &WebConfig, payload: serde_json::Value) -> anyhow::Result<()> {
    let source_id = payload["source_id"].as_str().unwrap_or_default();
    db.exchange_queue_immediate_mails(source_id, |recipient, notification| {
        notification_mail(config, recipient, notification).job()
    })
    .await?;
    Ok(())
}

/// Runs an `exchange-digest` job: the day's digests.
pub async fn send_digests(db: &Db, config: &WebConfig, payload: serde_json::Value) -> anyhow::Result<()> {
    let day = payload["day"].as_str().unwrap_or_default().to_owned();
    db.exchange_queue_digests(&day, |recipient, items| digest_mail(config, &day, recipient, items).job()).await?;
    Ok(())
}
