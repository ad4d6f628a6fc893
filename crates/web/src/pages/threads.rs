//! Remote exchanges as pages (issue 10): a space's threads (a network's or a lab's, the same
//! handlers for both) with the form that opens one, a thread's messages a page at a time with the
//! reply form (quoting by a link, no script), moderation, attachments;
//! the person's notifications; the choice of mail on the account page.

use super::{form_status, render_status, set_flash_redirect};
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::exchanges::{ExchangeAccess, SpaceAt, ThreadAt};
use crate::extract::{CurrentUser, OwnerKind};
use crate::page::{FormPage, PageContext};
use crate::pagination::Pager;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use reti_domain::exchanges::{MailMode, ReplyInput, ReplyRaw, ThreadInput, ThreadRaw, parse_reason, quote};
use reti_domain::markdown;
use reti_domain::meetings::{self, format_local};
use reti_domain::{FieldError, FieldErrors};
use reti_store::exchanges::{ExchangeScope, Message, NewFile, Notification, ThreadSummary, message_link};
use reti_store::{PageRequest, StoreError};
use serde::Deserialize;
use std::collections::HashMap;
use tokio::io::AsyncWriteExt;
use tower_sessions::Session;

/// The request body a message with its file may have: the file and room for the text fields.
pub const POST_BODY_LIMIT: usize = meetings::MAX_ATTACHMENT_BYTES as usize + 256 * 1024;

/// A stored timestamp as the pages show it (dd/mm/yyyy hh:mm, Europe/Rome).
pub fn when(stored: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(stored)
        .map(|t| format_local(t.with_timezone(&chrono::Utc)))
        .unwrap_or_else(|_| stored.to_owned())
}

fn attachments_dir(state: &AppState, scope: &ExchangeScope) -> std::path::PathBuf {
    state.config.data_dir.join("attachments").join(scope.id())
}

/// A multipart body that cannot be read: its text is what is missing.
fn unreadable() -> AppError {
    AppError::Invalid(FieldError::new("message", "error-required").into())
}

/// A file received with a message, in a temporary file next to its final place.
pub struct Received {
    pub(crate) name: String,
    pub(crate) content_type: &'static str,
    pub(crate) size: u64,
    pub(crate) temp: tempfile::NamedTempFile,
}

/// The text fields of a multipart form and its file, if one was chosen; problems with the file
/// (too large, of a type not accepted) as field errors on `file`. The file waits in `dir`, where it
/// will be kept. Custom indicators' evidence is received the same way.
pub(crate) async fn read_form(
    dir: &std::path::Path,
    multipart: &mut Multipart,
) -> AppResult<(HashMap<String, String>, Result<Option<Received>, FieldError>)> {
    let too_large = || FieldError::new("file", "error-attachment-too-large");
    let mut fields = HashMap::new();
    let mut file = Ok(None);
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) if error.status() == StatusCode::PAYLOAD_TOO_LARGE => return Ok((fields, Err(too_large()))),
            Err(_) => return Err(unreadable()),
        };
        let name = field.name().unwrap_or_default().to_owned();
        if name != "file" {
            let text = field.text().await.map_err(|_| unreadable())?;
            fields.insert(name, text);
            continue;
        }
        let file_name = field.file_name().unwrap_or_default().to_owned();
        tokio::fs::create_dir_all(dir).await.map_err(|e| AppError::Internal(e.into()))?;
        let temp = tempfile::NamedTempFile::new_in(dir).map_err(|e| AppError::Internal(e.into()))?;
        let mut out = tokio::fs::File::from_std(temp.reopen().map_err(|e| AppError::Internal(e.into()))?);
        let (mut size, mut head) = (0u64, Vec::new());
        let mut refused = None;
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    size += chunk.len() as u64;
                    if size > meetings::MAX_ATTACHMENT_BYTES {
                        refused = Some(too_large());
                        break;
                    }
                    if head.len() < 1024 {
                        head.extend_from_slice(&chunk[..chunk.len().min(1024 - head.len())]);
                    }
                    out.write_all(&chunk).await.map_err(|e| AppError::Internal(e.into()))?;
                }
                Ok(None) => break,
                Err(error) if error.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    refused = Some(too_large());
                    break;
                }
                Err(_) => return Err(unreadable()),
            }
        }
        out.flush().await.map_err(|e| AppError::Internal(e.into()))?;
        file = match refused {
            Some(error) => Err(error),
            // A file input left empty still sends its part, nameless and empty.
            None if file_name.is_empty() && size == 0 => Ok(None),
            None => {
                let name = meetings::clean_file_name(&file_name);
                meetings::attachment_type(&name, &head, size)
                    .map(|content_type| Some(Received { name, content_type, size, temp }))
            }
        };
        if file.is_err() {
            return Ok((fields, file));
        }
    }
    Ok((fields, file))
}

/// Puts a received file in its place, ready to be recorded; the caller removes it if the record
/// fails (`discard`), and the hourly sweep removes it if the process dies in between.
fn place(state: &AppState, scope: &ExchangeScope, received: Option<Received>) -> AppResult<Option<NewFile>> {
    let Some(received) = received else { return Ok(None) };
    let id = reti_store::new_id();
    received.temp.persist(attachments_dir(state, scope).join(&id)).map_err(|e| AppError::Internal(e.error.into()))?;
    Ok(Some(NewFile {
        id,
        file_name: received.name,
        content_type: received.content_type.to_owned(),
        size_bytes: i64::try_from(received.size).map_err(|e| AppError::Internal(e.into()))?,
    }))
}

async fn discard(state: &AppState, scope: &ExchangeScope, file: Option<&NewFile>) {
    if let Some(file) = file
        && let Err(error) = tokio::fs::remove_file(attachments_dir(state, scope).join(&file.id)).await
    {
        tracing::warn!(%error, "could not remove the file of a message not recorded");
    }
}

/// Records a message with its placed file, removing the file when the record fails.
async fn with_file<T>(
    state: &AppState,
    scope: &ExchangeScope,
    received: Option<Received>,
    record: impl AsyncFnOnce(Option<&NewFile>) -> Result<T, StoreError>,
) -> AppResult<Result<T, FieldErrors>> {
    let file = place(state, scope, received)?;
    match record(file.as_ref()).await {
        Ok(value) => Ok(Ok(value)),
        Err(error) => {
            discard(state, scope, file.as_ref()).await;
            match error {
                StoreError::Invalid(errors) => Ok(Err(errors)),
                other => Err(other.into()),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// A space's threads

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    pub page: Option<u32>,
}

pub struct ThreadRow {
    pub thread: ThreadSummary,
    pub last: String,
    /// The title as the viewer may see it (a hidden thread's only to moderators).
    pub title: String,
}

#[derive(Template)]
#[template(path = "threads/list.html")]
struct ListPage {
    page: PageContext,
    name: String,
    space_href: String,
    action: String,
    threads: Vec<ThreadRow>,
    pager: Pager,
    form: ThreadRaw,
    errors: FieldErrors,
    attachment_limit: String,
}

fn attachment_limit() -> String {
    format!("{} MB", meetings::MAX_ATTACHMENT_BYTES / (1024 * 1024))
}

async fn list_page(
    state: &AppState,
    page: PageContext,
    access: ExchangeAccess,
    request: PageRequest,
    form: ThreadRaw,
    errors: FieldErrors,
) -> AppResult<Response> {
    let scope = &access.space.scope;
    let result = state.db.exchange_threads(scope, &access.user.identity.user.id, request).await?;
    let path = scope.threads_path();
    let pager = Pager::new(&path, &[], request, result.total);
    let hidden_title = page.t("exchange-thread-hidden-title");
    let threads = result
        .items
        .into_iter()
        .map(|thread| ThreadRow {
            last: when(&thread.last_message_at),
            title: if thread.hidden && !access.moderator { hidden_title.clone() } else { thread.title.clone() },
            thread,
        })
        .collect();
    let status = form_status(&errors);
    render_status(
        status,
        &ListPage {
            page,
            name: access.space.name.clone(),
            space_href: scope.space_path(),
            action: path,
            threads,
            pager,
            form,
            errors,
            attachment_limit: attachment_limit(),
        },
    )
}

pub async fn list<K: OwnerKind>(
    State(state): State<AppState>,
    FormPage(page): FormPage,
    space: SpaceAt<K>,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    let request = PageRequest::new(query.page, Some(20));
    list_page(&state, page, space.access, request, ThreadRaw::default(), FieldErrors::default()).await
}

pub async fn create<K: OwnerKind>(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    space: SpaceAt<K>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let access = space.access;
    let scope = access.space.scope.clone();
    let (fields, file) = read_form(&attachments_dir(&state, &scope), &mut multipart).await?;
    let raw = ThreadRaw {
        title: fields.get("title").cloned().unwrap_or_default(),
        message: fields.get("message").cloned().unwrap_or_default(),
    };
    let parsed = ThreadInput::parse(&raw);
    let (input, received) = match (parsed, file) {
        (Ok(input), Ok(received)) => (input, received),
        (parsed, file) => {
            let mut errors = parsed.err().unwrap_or_default();
            if let Err(error) = file {
                errors.add(error);
            }
            return list_page(&state, page, access, PageRequest::new(None, Some(20)), raw, errors).await;
        }
    };
    let user = &access.user;
    let recorded = with_file(&state, &scope, received, async |file| {
        state.db.exchange_create_thread(&user.actor(), &access.space, &user.identity.user.id, &input, file).await
    })
    .await?;
    match recorded {
        Ok(thread_id) => {
            set_flash_redirect(&session, page.t("flash-exchange-thread-created"), &format!("/threads/{thread_id}"))
                .await
        }
        Err(errors) => list_page(&state, page, access, PageRequest::new(None, Some(20)), raw, errors).await,
    }
}

// ---------------------------------------------------------------------------------------------
// A thread

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ShowQuery {
    /// The message a reply starts by quoting.
    pub quote: Option<String>,
    pub page: Option<u32>,
    /// A message to show: the page that holds it (a notification's link).
    pub message: Option<String>,
}

/// Messages on a page of a thread.
pub const MESSAGES_PER_PAGE: u32 = 50;

pub struct MessageView {
    pub message: Message,
    pub when: String,
    /// The sanitised HTML of the body, for whoever may see it.
    pub html: String,
    pub unread: bool,
    /// `(link, name, size)` of each file.
    pub files: Vec<(String, String, String)>,
    /// Why hiding this message was refused, if it was.
    pub hide_error: String,
}

#[derive(Template)]
#[template(path = "threads/show.html")]
struct ShowPage {
    page: PageContext,
    name: String,
    space_href: String,
    threads_href: String,
    thread_id: String,
    title: String,
    hidden: bool,
    moderator: bool,
    messages: Vec<MessageView>,
    pager: Pager,
    form: ReplyRaw,
    errors: FieldErrors,
    attachment_limit: String,
}

fn size(bytes: i64) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}

/// The page of a thread's messages a form answers on: the last one, where a reply lands.
async fn last_page(state: &AppState, thread_id: &str) -> AppResult<PageRequest> {
    let total = state.db.exchange_message_count(thread_id).await?;
    let pages = u32::try_from((total - 1).max(0) / i64::from(MESSAGES_PER_PAGE)).unwrap_or(u32::MAX - 1) + 1;
    Ok(PageRequest::new(Some(pages), Some(MESSAGES_PER_PAGE)))
}

async fn show_page(
    state: &AppState,
    page: PageContext,
    at: ThreadAt,
    request: PageRequest,
    form: ReplyRaw,
    errors: FieldErrors,
    hide_errors: (String, FieldErrors),
) -> AppResult<Response> {
    let ThreadAt { thread, access } = at;
    let viewer = access.user.identity.user.id.clone();
    let read_at = thread.read_at.clone().unwrap_or_default();
    let result = state.db.exchange_messages(&thread.id, request).await?;
    let pager = Pager::new(&format!("/threads/{}", thread.id), &[], request, result.total);
    let messages = result
        .items
        .into_iter()
        .map(|message| MessageView {
            when: when(&message.created_at),
            html: if message.hidden.is_none() || access.moderator {
                markdown::render(&message.body)
            } else {
                String::new()
            },
            unread: message.author_user_id != viewer && message.created_at > read_at,
            hide_error: if hide_errors.0 == message.id {
                page.field_error(&hide_errors.1, "hide_reason")
            } else {
                String::new()
            },
            files: message
                .attachments
                .iter()
                .map(|f| {
                    (format!("/threads/{}/attachments/{}", thread.id, f.id), f.file_name.clone(), size(f.size_bytes))
                })
                .collect(),
            message,
        })
        .collect();
    // Read up to now only once the newest messages were on the page.
    if pager.next_href.is_none() {
        state.db.exchange_mark_read(&thread.id, &viewer).await?;
    }
    let status =
        if errors.is_empty() && hide_errors.1.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let title =
        if thread.hidden && !access.moderator { page.t("exchange-thread-hidden-title") } else { thread.title.clone() };
    render_status(
        status,
        &ShowPage {
            page,
            name: access.space.name.clone(),
            space_href: access.space.scope.space_path(),
            threads_href: access.space.scope.threads_path(),
            thread_id: thread.id,
            title,
            hidden: thread.hidden,
            moderator: access.moderator,
            messages,
            pager,
            form,
            errors,
            attachment_limit: attachment_limit(),
        },
    )
}

pub async fn show(
    State(state): State<AppState>,
    FormPage(page): FormPage,
    at: ThreadAt,
    Query(query): Query<ShowQuery>,
) -> AppResult<Response> {
    let mut form = ReplyRaw::default();
    if let Some(quoted) = query.quote.filter(|_| !at.thread.hidden)
        && let Some(message) = state.db.exchange_message(&at.thread.id, &quoted).await?
        && message.hidden.is_none()
    {
        form = ReplyRaw { message: quote(&message.author_name, &message.body), quote: message.id.clone() };
    }
    let page_number = match &query.message {
        Some(message_id) => state.db.exchange_message_page(&at.thread.id, message_id, MESSAGES_PER_PAGE).await?,
        None => None,
    };
    let request = if form.quote.is_empty() {
        PageRequest::new(page_number.or(query.page), Some(MESSAGES_PER_PAGE))
    } else {
        // Quoting: the reply form is at the foot of every page; the newest messages are the context.
        last_page(&state, &at.thread.id).await?
    };
    show_page(&state, page, at, request, form, FieldErrors::default(), (String::new(), FieldErrors::default())).await
}

pub async fn reply(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    at: ThreadAt,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let scope = at.access.space.scope.clone();
    let (fields, file) = read_form(&attachments_dir(&state, &scope), &mut multipart).await?;
    let raw = ReplyRaw {
        message: fields.get("message").cloned().unwrap_or_default(),
        quote: fields.get("quote").cloned().unwrap_or_default(),
    };
    let no_hide = (String::new(), FieldErrors::default());
    let (input, received) = match (ReplyInput::parse(&raw), file) {
        (Ok(input), Ok(received)) => (input, received),
        (parsed, file) => {
            let mut errors = parsed.err().unwrap_or_default();
            if let Err(error) = file {
                errors.add(error);
            }
            let request = last_page(&state, &at.thread.id).await?;
            return show_page(&state, page, at, request, raw, errors, no_hide).await;
        }
    };
    let user = &at.access.user;
    let recorded = with_file(&state, &scope, received, async |file| {
        state.db.exchange_reply(&user.actor(), &at.access.space, &at.thread, &user.identity.user.id, &input, file).await
    })
    .await?;
    match recorded {
        Ok(message_id) => {
            set_flash_redirect(
                &session,
                page.t("flash-exchange-reply-added"),
                &message_link(&at.thread.id, &message_id),
            )
            .await
        }
        Err(errors) => {
            let request = last_page(&state, &at.thread.id).await?;
            show_page(&state, page, at, request, raw, errors, no_hide).await
        }
    }
}

#[derive(Deserialize)]
pub struct MessagePath {
    pub id: String,
    pub message_id: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct HideForm {
    hide_reason: String,
}

pub async fn hide(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    at: ThreadAt,
    Path(path): Path<MessagePath>,
    axum::Form(form): axum::Form<HideForm>,
) -> AppResult<Response> {
    if !at.access.moderator {
        return Err(AppError::Forbidden);
    }
    let reason = match parse_reason(&form.hide_reason) {
        Ok(reason) => reason,
        Err(errors) => {
            let number = state.db.exchange_message_page(&at.thread.id, &path.message_id, MESSAGES_PER_PAGE).await?;
            let request = PageRequest::new(number, Some(MESSAGES_PER_PAGE));
            let hide_errors = (path.message_id, errors);
            return show_page(&state, page, at, request, ReplyRaw::default(), FieldErrors::default(), hide_errors)
                .await;
        }
    };
    let user = &at.access.user;
    state.db.exchange_hide(&user.actor(), &at.thread, &path.message_id, &user.identity.user.id, &reason).await?;
    set_flash_redirect(&session, page.t("flash-exchange-hidden"), &message_link(&at.thread.id, &path.message_id)).await
}

#[derive(Deserialize)]
pub struct AttachmentPath {
    pub id: String,
    pub attachment_id: String,
}

/// A message's file; a hidden message's only to moderators.
pub async fn download(
    State(state): State<AppState>,
    at: ThreadAt,
    Path(path): Path<AttachmentPath>,
) -> AppResult<Response> {
    let message_id =
        state.db.exchange_attachment_message(&at.thread.id, &path.attachment_id).await?.ok_or(AppError::NotFound)?;
    let message = state.db.exchange_message(&at.thread.id, &message_id).await?.ok_or(AppError::NotFound)?;
    let file = message.attachments.iter().find(|f| f.id == path.attachment_id).ok_or(AppError::NotFound)?;
    if message.hidden.is_some() && !at.access.moderator {
        return Err(AppError::NotFound);
    }
    let bytes = tokio::fs::read(attachments_dir(&state, &at.access.space.scope).join(&file.id))
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let disposition = format!("attachment; filename=\"{}\"", file.file_name.replace(|c: char| !c.is_ascii(), "_"));
    Ok((
        [
            (header::CONTENT_TYPE, file.content_type.clone()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

// ---------------------------------------------------------------------------------------------
// Notifications and the mail choice

pub struct NotificationView {
    pub notification: Notification,
    pub text: String,
    pub when: String,
}

#[derive(Template)]
#[template(path = "threads/notifications.html")]
struct NotificationsPage {
    page: PageContext,
    notifications: Vec<NotificationView>,
    pager: Pager,
    unread: i64,
}

/// A notification's sentence in the page's language.
pub fn notification_text(page: &PageContext, notification: &Notification) -> String {
    page.t_args(
        &notification.kind.message_key(),
        &[("actor", notification.actor_name.clone()), ("subject", notification.subject.clone())],
    )
}

pub async fn notifications(
    State(state): State<AppState>,
    FormPage(page): FormPage,
    user: CurrentUser,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    let request = PageRequest::new(query.page, Some(30));
    let result = state.db.notifications(&user.identity.user.id, request).await?;
    let pager = Pager::new("/notifications", &[], request, result.total);
    let notifications = result
        .items
        .into_iter()
        .map(|notification| NotificationView {
            text: notification_text(&page, &notification),
            when: when(&notification.created_at),
            notification,
        })
        .collect();
    let unread = page.unread_notifications;
    render_status(StatusCode::OK, &NotificationsPage { page, notifications, pager, unread })
}

#[derive(Deserialize)]
pub struct NotificationPath {
    pub id: String,
}

/// Marks one notification read and follows its link.
pub async fn open_notification(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(path): Path<NotificationPath>,
) -> AppResult<Response> {
    let link = state.db.notification_link(&user.identity.user.id, &path.id).await?.ok_or(AppError::NotFound)?;
    state.db.notifications_mark_read(&user.identity.user.id, Some(&path.id)).await?;
    Ok(axum::response::Redirect::to(&link).into_response())
}

pub async fn mark_all_read(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    user: CurrentUser,
) -> AppResult<Response> {
    state.db.notifications_mark_read(&user.identity.user.id, None).await?;
    set_flash_redirect(&session, page.t("flash-notifications-read"), "/notifications").await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MailForm {
    exchange_mail: String,
}

pub async fn set_mail(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    user: CurrentUser,
    axum::Form(form): axum::Form<MailForm>,
) -> AppResult<Response> {
    let mode = MailMode::parse(&form.exchange_mail).map_err(|e| AppError::Invalid(e.into()))?;
    state.db.set_exchange_mail_mode(&user.actor(), &user.identity.user.id, mode).await?;
    set_flash_redirect(&session, page.t("flash-saved"), "/account#exchange-mail").await
}
