//! Remote exchanges over the API, with the pages' rules (decisions 0033, 0040): a network's threads
//! are read and written by whoever sees its private data and by its programme's coordination; its
//! facilitators and the coordination hide messages. A lab's are its experts', participants',
//! facilitators' and coordination's; all of them but the participants hide messages. Anyone else
//! gets 404. Attachments are added
//! from the pages; the API lists them with their download link.

use super::json::ApiJson;
use super::{ApiErrorBody, ApiPage, page_of};
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::exchanges::{ExchangeAccess, SpaceAt, ThreadAt};
use crate::extract::{CurrentUser, InLab, InNetwork};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use reti_domain::exchanges::{ReplyInput, ReplyRaw, ThreadInput, ThreadRaw, parse_reason};
use reti_domain::markdown;
use reti_store::PageRequest;
use reti_store::exchanges::{Message, Notification, ThreadSummary};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct ThreadsQuery {
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct ThreadSummaryDto {
    pub id: String,
    /// The title; a hidden thread's only for moderators (else null).
    pub title: Option<String>,
    pub author_name: String,
    pub created_at: String,
    pub last_message_at: String,
    pub replies: i64,
    /// Messages by others the caller has not read in the pages.
    pub unread: i64,
    pub hidden: bool,
}

#[derive(Serialize, ToSchema)]
pub struct HiddenDto {
    pub at: String,
    pub by_name: String,
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct AttachmentDto {
    pub id: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    /// Downloaded with a browser session.
    pub url: String,
}

#[derive(Serialize, ToSchema)]
pub struct MessageDto {
    pub id: String,
    pub author_user_id: String,
    pub author_name: String,
    /// The thread's first message.
    pub opening: bool,
    /// Markdown; null when hidden, except for moderators.
    pub body: Option<String>,
    /// The body as sanitised HTML, under the same rule.
    pub body_html: Option<String>,
    pub quoted_message_id: Option<String>,
    pub created_at: String,
    pub hidden: Option<HiddenDto>,
    pub attachments: Vec<AttachmentDto>,
}

#[derive(Serialize, ToSchema)]
pub struct ThreadDto {
    pub id: String,
    /// `network` or `lab`.
    pub space_kind: String,
    pub space_id: String,
    pub title: Option<String>,
    pub hidden: bool,
    /// Whether the caller may hide messages.
    pub moderator: bool,
    /// One page of the messages, the opening one first (`page`, `per_page`; 50 a page by default).
    pub messages: Vec<MessageDto>,
    /// How many messages the thread has in all.
    pub total_messages: i64,
    pub page: u32,
    pub per_page: u32,
}

#[derive(Serialize, ToSchema)]
pub struct NotificationDto {
    pub id: String,
    /// `exchange_thread`, `exchange_reply`, `exchange_mention` or `exchange_hidden`.
    pub kind: String,
    /// The page it is about, relative to the site.
    pub link: String,
    pub subject: String,
    pub actor_name: String,
    pub created_at: String,
    pub read: bool,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedDto {
    pub id: String,
}

fn summary_dto(thread: ThreadSummary, moderator: bool) -> ThreadSummaryDto {
    ThreadSummaryDto {
        title: (!thread.hidden || moderator).then_some(thread.title),
        id: thread.id,
        author_name: thread.author_name,
        created_at: thread.created_at,
        last_message_at: thread.last_message_at,
        replies: thread.replies,
        unread: thread.unread,
        hidden: thread.hidden,
    }
}

fn message_dto(message: Message, moderator: bool) -> MessageDto {
    let shown = message.hidden.is_none() || moderator;
    MessageDto {
        body_html: shown.then(|| markdown::render(&message.body)),
        body: shown.then_some(message.body),
        attachments: if shown {
            message
                .attachments
                .into_iter()
                .map(|f| AttachmentDto {
                    url: format!("/threads/{}/attachments/{}", f.thread_id, f.id),
                    id: f.id,
                    file_name: f.file_name,
                    content_type: f.content_type,
                    size_bytes: f.size_bytes,
                })
                .collect()
        } else {
            Vec::new()
        },
        hidden: message.hidden.map(|h| HiddenDto { at: h.at, by_name: h.by_name, reason: h.reason }),
        id: message.id,
        author_user_id: message.author_user_id,
        author_name: message.author_name,
        opening: message.opening,
        quoted_message_id: message.quoted_message_id,
        created_at: message.created_at,
    }
}

fn notification_dto(n: Notification) -> NotificationDto {
    NotificationDto {
        id: n.id,
        kind: n.kind.code().to_owned(),
        link: n.link,
        subject: n.subject,
        actor_name: n.actor_name,
        created_at: n.created_at,
        read: n.read,
    }
}

async fn threads_of(
    state: &AppState,
    access: ExchangeAccess,
    query: ThreadsQuery,
) -> AppResult<Json<ApiPage<ThreadSummaryDto>>> {
    let request = PageRequest::new(query.page, query.per_page);
    let page = state.db.exchange_threads(&access.space.scope, &access.user.identity.user.id, request).await?;
    Ok(Json(page_of(page, |t| summary_dto(t, access.moderator))))
}

/// A network's threads, the latest active first.
#[utoipa::path(get, path = "/api/v1/networks/{id}/threads", tag = "exchanges", params(ThreadsQuery),
    responses((status = 200, body = ApiPage<ThreadSummaryDto>), (status = 404, body = ApiErrorBody)))]
pub async fn list_threads(
    State(state): State<AppState>,
    space: SpaceAt<InNetwork>,
    Query(query): Query<ThreadsQuery>,
) -> AppResult<Json<ApiPage<ThreadSummaryDto>>> {
    threads_of(&state, space.access, query).await
}

/// A lab's threads, the latest active first: its experts, participants, facilitators and
/// coordination.
#[utoipa::path(get, path = "/api/v1/labs/{id}/threads", tag = "exchanges", params(ThreadsQuery),
    responses((status = 200, body = ApiPage<ThreadSummaryDto>), (status = 404, body = ApiErrorBody)))]
pub async fn list_lab_threads(
    State(state): State<AppState>,
    space: SpaceAt<InLab>,
    Query(query): Query<ThreadsQuery>,
) -> AppResult<Json<ApiPage<ThreadSummaryDto>>> {
    threads_of(&state, space.access, query).await
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct ThreadBody {
    /// At most 200 characters.
    pub title: String,
    /// Markdown, at most 20,000 characters; `@name` or `@email` mentions a reader of the space.
    pub message: String,
}

async fn open_thread(
    state: &AppState,
    access: ExchangeAccess,
    body: ThreadBody,
) -> AppResult<(StatusCode, Json<CreatedDto>)> {
    let input =
        ThreadInput::parse(&ThreadRaw { title: body.title, message: body.message }).map_err(AppError::Invalid)?;
    let user = &access.user;
    let id =
        state.db.exchange_create_thread(&user.actor(), &access.space, &user.identity.user.id, &input, None).await?;
    Ok((StatusCode::CREATED, Json(CreatedDto { id })))
}

/// Opens a thread in a network.
#[utoipa::path(post, path = "/api/v1/networks/{id}/threads", tag = "exchanges", request_body = ThreadBody,
    responses((status = 201, body = CreatedDto), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn create_thread(
    State(state): State<AppState>,
    space: SpaceAt<InNetwork>,
    ApiJson(body): ApiJson<ThreadBody>,
) -> AppResult<(StatusCode, Json<CreatedDto>)> {
    open_thread(&state, space.access, body).await
}

/// Opens a thread in a lab.
#[utoipa::path(post, path = "/api/v1/labs/{id}/threads", tag = "exchanges", request_body = ThreadBody,
    responses((status = 201, body = CreatedDto), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn create_lab_thread(
    State(state): State<AppState>,
    space: SpaceAt<InLab>,
    ApiJson(body): ApiJson<ThreadBody>,
) -> AppResult<(StatusCode, Json<CreatedDto>)> {
    open_thread(&state, space.access, body).await
}

/// A thread with one page of its messages.
#[utoipa::path(get, path = "/api/v1/threads/{id}", tag = "exchanges", params(ThreadsQuery),
    responses((status = 200, body = ThreadDto), (status = 404, body = ApiErrorBody)))]
pub async fn get_thread(
    State(state): State<AppState>,
    at: ThreadAt,
    Query(query): Query<ThreadsQuery>,
) -> AppResult<Json<ThreadDto>> {
    let ThreadAt { thread, access } = at;
    let moderator = access.moderator;
    let request = PageRequest::new(query.page, query.per_page);
    let page = state.db.exchange_messages(&thread.id, request).await?;
    Ok(Json(ThreadDto {
        space_kind: access.space.scope.kind().to_owned(),
        space_id: access.space.scope.id().to_owned(),
        title: (!thread.hidden || moderator).then_some(thread.title),
        id: thread.id,
        hidden: thread.hidden,
        moderator,
        messages: page.items.into_iter().map(|m| message_dto(m, moderator)).collect(),
        total_messages: page.total,
        page: page.page,
        per_page: page.per_page,
    }))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct ReplyBody {
    /// Markdown, at most 20,000 characters.
    pub message: String,
    /// The id of a visible message of the thread that the reply quotes.
    pub quote: String,
}

/// Replies in a thread (refused when the thread is hidden).
#[utoipa::path(post, path = "/api/v1/threads/{id}/replies", tag = "exchanges", request_body = ReplyBody,
    responses((status = 201, body = CreatedDto), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn create_reply(
    State(state): State<AppState>,
    at: ThreadAt,
    ApiJson(body): ApiJson<ReplyBody>,
) -> AppResult<(StatusCode, Json<CreatedDto>)> {
    let input = ReplyInput::parse(&ReplyRaw { message: body.message, quote: body.quote }).map_err(AppError::Invalid)?;
    let user = &at.access.user;
    let id = state
        .db
        .exchange_reply(&user.actor(), &at.access.space, &at.thread, &user.identity.user.id, &input, None)
        .await?;
    Ok((StatusCode::CREATED, Json(CreatedDto { id })))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct HideBody {
    /// Required; shown to everyone in the message's place.
    pub hide_reason: String,
}

#[derive(Deserialize)]
pub struct MessagePath {
    pub id: String,
    pub message_id: String,
}

/// Hides a message with a reason: the space's moderators (a network's facilitators, a lab's experts
/// and facilitators, the programme's coordination).
#[utoipa::path(post, path = "/api/v1/threads/{id}/messages/{message_id}/hide", tag = "exchanges", request_body = HideBody,
    responses((status = 204), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn hide_message(
    State(state): State<AppState>,
    at: ThreadAt,
    Path(path): Path<MessagePath>,
    ApiJson(body): ApiJson<HideBody>,
) -> AppResult<StatusCode> {
    if !at.access.moderator {
        return Err(AppError::Forbidden);
    }
    let reason = parse_reason(&body.hide_reason).map_err(AppError::Invalid)?;
    let user = &at.access.user;
    state.db.exchange_hide(&user.actor(), &at.thread, &path.message_id, &user.identity.user.id, &reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's notifications, newest first.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "exchanges", params(ThreadsQuery),
    responses((status = 200, body = ApiPage<NotificationDto>), (status = 401, body = ApiErrorBody)))]
pub async fn list_notifications(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<ThreadsQuery>,
) -> AppResult<Json<ApiPage<NotificationDto>>> {
    let page = state.db.notifications(&user.identity.user.id, PageRequest::new(query.page, query.per_page)).await?;
    Ok(Json(page_of(page, notification_dto)))
}
