//! Shared documents over the API, with the pages' rules (decision 0034): whoever reaches the
//! owner's documents reads and writes them. A `PUT` names the revision it was based on; when that
//! is no longer the newest, nothing is saved and the answer is 409 with both versions.

use super::json::ApiJson;
use super::{ApiErrorBody, ApiPage, page_of};
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::extract::{DocumentAt, DocumentsIn, InLab, InNetwork, OwnerKind};
use crate::page::PageContext;
use crate::pages::documents::diff_pair;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use reti_domain::FieldErrors;
use reti_domain::documents::{self, CommentInput, CommentRaw, DiffHunk, DocumentInput, DocumentRaw, DocumentScope};
use reti_store::documents::{Document, DocumentSummary, Revision};
use reti_store::{PageRequest, StoreError};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct DocumentSummaryDto {
    pub id: String,
    pub title: String,
    pub revisions: i64,
    /// UTC, RFC 3339.
    pub updated_at: String,
    pub last_author_name: String,
}

fn summary_dto(d: DocumentSummary) -> DocumentSummaryDto {
    DocumentSummaryDto {
        id: d.id,
        title: d.title,
        revisions: d.revisions,
        updated_at: d.updated_at,
        last_author_name: d.last_author_name,
    }
}

#[derive(Serialize, ToSchema)]
pub struct RevisionDto {
    pub id: String,
    pub number: i64,
    pub title: String,
    /// Markdown; left out of lists of revisions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    pub summary: String,
    pub author_user_id: String,
    pub author_name: String,
    /// The number of the revision this one restored.
    pub restored_from: Option<i64>,
    pub created_at: String,
}

fn revision_dto(r: Revision, with_body: bool) -> RevisionDto {
    RevisionDto {
        id: r.id,
        number: r.number,
        title: r.title,
        body: with_body.then_some(r.body),
        summary: r.summary,
        author_user_id: r.author_user_id,
        author_name: r.author_name,
        restored_from: r.restored_from,
        created_at: r.created_at,
    }
}

#[derive(Serialize, ToSchema)]
pub struct DocumentDto {
    pub id: String,
    /// The owner: a network or a lab (the other is null).
    pub network_id: Option<String>,
    pub lab_id: Option<String>,
    pub title: String,
    pub revisions: i64,
    pub created_at: String,
    pub updated_at: String,
    /// The newest revision, with its body: send its `id` as `base_revision` when saving.
    pub current: RevisionDto,
}

fn document_dto(d: Document, current: Revision) -> DocumentDto {
    DocumentDto {
        network_id: match &d.scope {
            DocumentScope::Network(id) => Some(id.clone()),
            DocumentScope::Lab(_) => None,
        },
        lab_id: match &d.scope {
            DocumentScope::Lab(id) => Some(id.clone()),
            DocumentScope::Network(_) => None,
        },
        id: d.id,
        title: d.title,
        revisions: d.revisions,
        created_at: d.created_at,
        updated_at: d.updated_at,
        current: revision_dto(current, true),
    }
}

async fn document_body(state: &AppState, id: &str) -> AppResult<DocumentDto> {
    let document = state.db.document(id).await?.ok_or(AppError::NotFound)?;
    let current =
        state.db.document_revision(&document.id, &document.current_revision_id).await?.ok_or(AppError::NotFound)?;
    Ok(document_dto(document, current))
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct DocumentsQuery {
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

async fn documents_in<K: OwnerKind>(
    state: &AppState,
    docs: DocumentsIn<K>,
    query: DocumentsQuery,
) -> AppResult<Json<ApiPage<DocumentSummaryDto>>> {
    let page = state.db.documents_of(&docs.scope, PageRequest::new(query.page, query.per_page)).await?;
    Ok(Json(page_of(page, summary_dto)))
}

/// A network's documents, last changed first.
#[utoipa::path(get, path = "/api/v1/networks/{id}/documents", tag = "documents", params(DocumentsQuery),
    responses((status = 200, body = ApiPage<DocumentSummaryDto>), (status = 404, body = ApiErrorBody)))]
pub async fn list_documents(
    State(state): State<AppState>,
    docs: DocumentsIn<InNetwork>,
    Query(query): Query<DocumentsQuery>,
) -> AppResult<Json<ApiPage<DocumentSummaryDto>>> {
    documents_in(&state, docs, query).await
}

/// A lab's documents, last changed first: its experts, participants, facilitators and coordination.
#[utoipa::path(get, path = "/api/v1/labs/{id}/documents", tag = "documents", params(DocumentsQuery),
    responses((status = 200, body = ApiPage<DocumentSummaryDto>), (status = 404, body = ApiErrorBody)))]
pub async fn list_lab_documents(
    State(state): State<AppState>,
    docs: DocumentsIn<InLab>,
    Query(query): Query<DocumentsQuery>,
) -> AppResult<Json<ApiPage<DocumentSummaryDto>>> {
    documents_in(&state, docs, query).await
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct DocumentBody {
    pub title: String,
    /// Markdown, at most 200,000 characters.
    pub body: String,
    /// What changed, for the history (optional).
    pub summary: String,
    /// For `PUT`: the id of the revision the change was based on.
    pub base_revision: String,
}

fn input_of(body: &DocumentBody) -> Result<DocumentInput, FieldErrors> {
    DocumentInput::parse(&DocumentRaw {
        title: body.title.clone(),
        body: body.body.clone(),
        summary: body.summary.clone(),
        base_revision: body.base_revision.clone(),
    })
}

async fn create_in<K: OwnerKind>(
    state: &AppState,
    docs: DocumentsIn<K>,
    body: DocumentBody,
) -> AppResult<(StatusCode, Json<DocumentDto>)> {
    let input = input_of(&body).map_err(AppError::Invalid)?;
    let user = &docs.user;
    let document = state.db.document_create(&user.actor(), &docs.scope, &user.identity.user.id, &input).await?;
    Ok((StatusCode::CREATED, Json(document_body(state, &document.id).await?)))
}

/// A new document of the network, with its first revision.
#[utoipa::path(post, path = "/api/v1/networks/{id}/documents", tag = "documents", request_body = DocumentBody,
    responses((status = 201, body = DocumentDto), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn create_document(
    State(state): State<AppState>,
    docs: DocumentsIn<InNetwork>,
    ApiJson(body): ApiJson<DocumentBody>,
) -> AppResult<(StatusCode, Json<DocumentDto>)> {
    create_in(&state, docs, body).await
}

/// A new document of the lab, with its first revision.
#[utoipa::path(post, path = "/api/v1/labs/{id}/documents", tag = "documents", request_body = DocumentBody,
    responses((status = 201, body = DocumentDto), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn create_lab_document(
    State(state): State<AppState>,
    docs: DocumentsIn<InLab>,
    ApiJson(body): ApiJson<DocumentBody>,
) -> AppResult<(StatusCode, Json<DocumentDto>)> {
    create_in(&state, docs, body).await
}

/// A document with its newest revision.
#[utoipa::path(get, path = "/api/v1/documents/{id}", tag = "documents",
    responses((status = 200, body = DocumentDto), (status = 404, body = ApiErrorBody)))]
pub async fn get_document(State(state): State<AppState>, doc: DocumentAt) -> AppResult<Json<DocumentDto>> {
    Ok(Json(document_body(&state, &doc.document.id).await?))
}

#[derive(Serialize, ToSchema)]
pub struct YoursDto {
    pub title: String,
    pub body: String,
}

#[derive(Serialize, ToSchema)]
pub struct ConflictDetail {
    pub status: u16,
    /// `stale_revision`.
    pub code: String,
    pub message: String,
}

/// The answer to a stale save: nothing was saved.
#[derive(Serialize, ToSchema)]
pub struct ConflictDto {
    pub error: ConflictDetail,
    /// The newest revision, to base the next attempt on.
    pub current: RevisionDto,
    /// What was sent.
    pub yours: YoursDto,
    /// Both sets of changes applied, when they do not touch each other; send it again (with
    /// `current.id` as `base_revision`) to save it.
    pub merged: Option<String>,
    /// From the newest revision to what was sent.
    pub diff: Vec<HunkDto>,
}

/// A new revision, based on `base_revision`: 409 with both versions when that is no longer the
/// newest.
#[utoipa::path(put, path = "/api/v1/documents/{id}", tag = "documents", request_body = DocumentBody,
    responses((status = 200, body = DocumentDto), (status = 404, body = ApiErrorBody),
        (status = 409, body = ConflictDto), (status = 422, body = ApiErrorBody)))]
pub async fn update_document(
    State(state): State<AppState>,
    page: PageContext,
    doc: DocumentAt,
    ApiJson(body): ApiJson<DocumentBody>,
) -> AppResult<Response> {
    let parsed = input_of(&body);
    let mut errors = parsed.as_ref().err().cloned().unwrap_or_default();
    if body.base_revision.trim().is_empty() {
        errors.push("base_revision", "error-required");
    }
    let input = match parsed {
        Ok(input) if errors.is_empty() => input,
        _ => return Err(AppError::Invalid(errors)),
    };
    let user = &doc.user;
    match state
        .db
        .document_save(&user.actor(), &doc.document, &body.base_revision, &user.identity.user.id, &input)
        .await
    {
        Ok(_) => Ok(Json(document_body(&state, &doc.document.id).await?).into_response()),
        Err(StoreError::Conflict { .. }) => {
            let document = state.db.document(&doc.document.id).await?.ok_or(AppError::NotFound)?;
            let theirs = state
                .db
                .document_revision(&document.id, &document.current_revision_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let base = state.db.document_revision(&document.id, &body.base_revision).await?;
            let merged = base.and_then(|base| documents::merge(&base.body, &theirs.body, &input.body));
            let message = page.t_args(
                "error-document-stale",
                &[
                    ("field", page.t("field-document-body")),
                    ("number", theirs.number.to_string()),
                    ("author", theirs.author_name.clone()),
                ],
            );
            let conflict = ConflictDto {
                error: ConflictDetail { status: 409, code: "stale_revision".into(), message },
                diff: documents::diff(&theirs.body, &input.body).into_iter().map(hunk_dto).collect(),
                current: revision_dto(theirs, true),
                yours: YoursDto { title: input.title, body: input.body },
                merged,
            };
            Ok((StatusCode::CONFLICT, Json(conflict)).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// A document's revisions, newest first, without their bodies.
#[utoipa::path(get, path = "/api/v1/documents/{id}/revisions", tag = "documents", params(DocumentsQuery),
    responses((status = 200, body = ApiPage<RevisionDto>), (status = 404, body = ApiErrorBody)))]
pub async fn list_revisions(
    State(state): State<AppState>,
    doc: DocumentAt,
    Query(query): Query<DocumentsQuery>,
) -> AppResult<Json<ApiPage<RevisionDto>>> {
    let page = state.db.document_revisions(&doc.document.id, PageRequest::new(query.page, query.per_page)).await?;
    Ok(Json(page_of(page, |r| revision_dto(r, false))))
}

#[derive(Serialize, ToSchema)]
pub struct SegmentDto {
    pub text: String,
    /// Whether these words changed inside a changed line.
    pub changed: bool,
}

#[derive(Serialize, ToSchema)]
pub struct LineDto {
    /// `same`, `removed` or `added`.
    pub change: String,
    pub old_line: Option<usize>,
    pub new_line: Option<usize>,
    pub segments: Vec<SegmentDto>,
}

#[derive(Serialize, ToSchema)]
pub struct HunkDto {
    pub lines: Vec<LineDto>,
}

fn hunk_dto(hunk: DiffHunk) -> HunkDto {
    HunkDto {
        lines: hunk
            .lines
            .into_iter()
            .map(|l| LineDto {
                change: l.change.code().to_owned(),
                old_line: l.old_line,
                new_line: l.new_line,
                segments: l.segments.into_iter().map(|s| SegmentDto { text: s.text, changed: s.changed }).collect(),
            })
            .collect(),
    }
}

#[derive(Serialize, ToSchema)]
pub struct DiffDto {
    pub from: RevisionDto,
    pub to: RevisionDto,
    /// Empty when the bodies are the same.
    pub hunks: Vec<HunkDto>,
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct DiffParams {
    /// A revision id of this document.
    pub from: String,
    /// A revision id of this document.
    pub to: String,
}

/// The line diff between any two revisions of the document.
#[utoipa::path(get, path = "/api/v1/documents/{id}/diff", tag = "documents", params(DiffParams),
    responses((status = 200, body = DiffDto), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn diff_revisions(
    State(state): State<AppState>,
    doc: DocumentAt,
    Query(query): Query<DiffParams>,
) -> AppResult<Json<DiffDto>> {
    let (from, to) = diff_pair(&state, &doc.document, &query.from, &query.to).await?;
    let hunks = documents::diff(&from.body, &to.body).into_iter().map(hunk_dto).collect();
    Ok(Json(DiffDto { from: revision_dto(from, false), to: revision_dto(to, false), hunks }))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct CommentBody {
    pub revision_id: String,
    /// The passage commented on (optional).
    pub quote: String,
    /// Markdown.
    pub body: String,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedDto {
    pub id: String,
}

/// A comment on a revision of the document.
#[utoipa::path(post, path = "/api/v1/documents/{id}/comments", tag = "documents", request_body = CommentBody,
    responses((status = 201, body = CreatedDto), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn create_comment(
    State(state): State<AppState>,
    doc: DocumentAt,
    ApiJson(body): ApiJson<CommentBody>,
) -> AppResult<(StatusCode, Json<CreatedDto>)> {
    let raw = CommentRaw { revision_id: body.revision_id, quote: body.quote, body: body.body };
    let input = CommentInput::parse(&raw).map_err(AppError::Invalid)?;
    let user = &doc.user;
    let id = state.db.document_comment(&user.actor(), &doc.document, &user.identity.user.id, &input).await?;
    Ok((StatusCode::CREATED, Json(CreatedDto { id })))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct RestoreBody {
    /// The revision whose title and body come back.
    pub revision_id: String,
    /// The newest revision as the caller knows it.
    pub base_revision: String,
}

/// Restores a revision: a new revision with its title and body. 409 when `base_revision` is no
/// longer the newest.
#[utoipa::path(post, path = "/api/v1/documents/{id}/restore", tag = "documents", request_body = RestoreBody,
    responses((status = 200, body = DocumentDto), (status = 404, body = ApiErrorBody),
        (status = 409, body = ConflictDetail), (status = 422, body = ApiErrorBody)))]
pub async fn restore_revision(
    State(state): State<AppState>,
    page: PageContext,
    doc: DocumentAt,
    ApiJson(body): ApiJson<RestoreBody>,
) -> AppResult<Response> {
    let user = &doc.user;
    match state
        .db
        .document_restore(&user.actor(), &doc.document, &body.revision_id, &body.base_revision, &user.identity.user.id)
        .await
    {
        Ok(_) => Ok(Json(document_body(&state, &doc.document.id).await?).into_response()),
        Err(StoreError::Conflict { .. }) => {
            let message = page.t_args("error-document-stale-restore", &[("field", page.t("field-base-revision"))]);
            let error = ConflictDetail { status: 409, code: "stale_revision".into(), message };
            Ok((StatusCode::CONFLICT, Json(serde_json::json!({ "error": error }))).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
