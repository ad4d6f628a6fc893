//! Shared documents (decisions 0034, 0040): a network's or a lab's documents (the same handlers), each save a revision; the history
//! with a diff between any two revisions; comments on a revision; restoring an old revision. A
//! save based on a revision that is no longer the newest is refused and answered with the merge
//! view: the newest version, the person's own (kept in the form) and the diff between them.

use super::{form_status, render, render_status, set_flash_redirect};
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::extract::{DocumentAt, DocumentsIn, OwnerKind};
use crate::page::{FormPage, PageContext};
use crate::pagination::Pager;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use reti_domain::documents::{
    self, CommentInput, CommentRaw, DiffHunk, DocumentInput, DocumentRaw, DocumentScope, local_time,
};
use reti_domain::markdown;
use reti_domain::{FieldError, FieldErrors};
use reti_store::documents::{Document, DocumentComment, DocumentSummary, Revision};
use reti_store::{PageRequest, StoreError};
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PageQuery {
    pub page: Option<u32>,
}

#[derive(Deserialize)]
pub struct RevisionPath {
    pub id: String,
    pub revision_id: String,
}

#[derive(Template)]
#[template(path = "documents/list.html")]
struct ListPage {
    page: PageContext,
    intro: String,
    owner_name: String,
    path: String,
    documents: Vec<DocumentSummary>,
    pager: Pager,
}

pub async fn list<K: OwnerKind>(
    State(state): State<AppState>,
    page: PageContext,
    docs: DocumentsIn<K>,
    Query(query): Query<PageQuery>,
) -> AppResult<Response> {
    let request = PageRequest::new(query.page, Some(20));
    let result = state.db.documents_of(&docs.scope, request).await?;
    let pager = Pager::new(&docs.path, &[], request, result.total);
    let documents =
        result.items.into_iter().map(|d| DocumentSummary { updated_at: local_time(&d.updated_at), ..d }).collect();
    let intro = page.t(match docs.scope {
        DocumentScope::Network(_) => "documents-intro",
        DocumentScope::Lab(_) => "labscope-documents-intro",
    });
    render(&ListPage { page, intro, owner_name: docs.owner_name, path: docs.path, documents, pager })
}

/// The newest version, as the merge view shows it beside the person's own.
pub struct MergeView {
    pub theirs: Revision,
    pub theirs_html: String,
    pub hunks: Vec<DiffHunk>,
    /// Both sets of changes applied, when they do not touch.
    pub merged: Option<String>,
    pub your_title: String,
}

#[derive(Template)]
#[template(path = "documents/form.html")]
struct FormTemplate {
    page: PageContext,
    heading: String,
    action: String,
    back: String,
    back_label: String,
    form: DocumentRaw,
    errors: FieldErrors,
    merge: Option<MergeView>,
}

pub async fn new_form<K: OwnerKind>(FormPage(page): FormPage, docs: DocumentsIn<K>) -> AppResult<Response> {
    render(&FormTemplate {
        heading: page.t("document-new"),
        page,
        action: docs.path.clone(),
        back: docs.path,
        back_label: docs.owner_name,
        form: DocumentRaw::default(),
        errors: FieldErrors::default(),
        merge: None,
    })
}

pub async fn create<K: OwnerKind>(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    docs: DocumentsIn<K>,
    axum::Form(form): axum::Form<DocumentRaw>,
) -> AppResult<Response> {
    match DocumentInput::parse(&form) {
        Ok(input) => {
            let user = &docs.user;
            let document = state.db.document_create(&user.actor(), &docs.scope, &user.identity.user.id, &input).await?;
            set_flash_redirect(&session, page.t("flash-saved"), &format!("/documents/{}", document.id)).await
        }
        Err(errors) => render_status(
            form_status(&errors),
            &FormTemplate {
                heading: page.t("document-new"),
                page,
                action: docs.path.clone(),
                back: docs.path,
                back_label: docs.owner_name,
                form,
                errors,
                merge: None,
            },
        ),
    }
}

/// The revision the document shows now.
async fn current(state: &AppState, document: &Document) -> AppResult<Revision> {
    state.db.document_revision(&document.id, &document.current_revision_id).await?.ok_or(AppError::NotFound)
}

fn edit_page(
    page: PageContext,
    doc: &DocumentAt,
    form: DocumentRaw,
    errors: FieldErrors,
    merge: Option<MergeView>,
) -> AppResult<Response> {
    let status = if merge.is_some() { StatusCode::CONFLICT } else { form_status(&errors) };
    render_status(
        status,
        &FormTemplate {
            heading: page.t_args("document-edit", &[("title", doc.document.title.clone())]),
            page,
            action: format!("/documents/{}", doc.document.id),
            back: format!("/documents/{}", doc.document.id),
            back_label: doc.document.title.clone(),
            form,
            errors,
            merge,
        },
    )
}

pub async fn edit_form(
    State(state): State<AppState>,
    FormPage(page): FormPage,
    doc: DocumentAt,
) -> AppResult<Response> {
    let revision = current(&state, &doc.document).await?;
    let form =
        DocumentRaw { title: revision.title, body: revision.body, summary: String::new(), base_revision: revision.id };
    edit_page(page, &doc, form, FieldErrors::default(), None)
}

/// The merge view of a refused save: the newest revision against what the person sent, whose
/// text stays in the form, now based on the newest revision.
async fn merge_view(state: &AppState, doc: &DocumentAt, form: &mut DocumentRaw) -> AppResult<MergeView> {
    let document = state.db.document(&doc.document.id).await?.ok_or(AppError::NotFound)?;
    let theirs = current(state, &document).await?;
    let yours = documents::normalise_lines(&form.body);
    let base = state.db.document_revision(&document.id, &form.base_revision).await?;
    let merged = base
        .and_then(|base| documents::merge(&base.body, &theirs.body, &yours))
        .filter(|merged| *merged != yours && *merged != theirs.body);
    form.base_revision = theirs.id.clone();
    Ok(MergeView {
        theirs_html: markdown::render(&theirs.body),
        hunks: documents::diff(&theirs.body, &yours),
        merged,
        your_title: form.title.clone(),
        theirs,
    })
}

pub async fn save(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    doc: DocumentAt,
    axum::Form(mut form): axum::Form<DocumentRaw>,
) -> AppResult<Response> {
    let input = match DocumentInput::parse(&form) {
        Ok(input) => input,
        Err(errors) => return edit_page(page, &doc, form, errors, None),
    };
    let user = &doc.user;
    match state
        .db
        .document_save(&user.actor(), &doc.document, &form.base_revision, &user.identity.user.id, &input)
        .await
    {
        Ok(revision) => {
            let flash = page.t_args("document-flash-saved", &[("number", revision.number.to_string())]);
            set_flash_redirect(&session, flash, &format!("/documents/{}", doc.document.id)).await
        }
        Err(StoreError::Conflict { .. }) => {
            let merge = merge_view(&state, &doc, &mut form).await?;
            let errors = FieldError::new("document_body", "error-document-stale")
                .with_arg("number", merge.theirs.number)
                .with_arg("author", merge.theirs.author_name.clone());
            edit_page(page, &doc, form, errors.into(), Some(merge))
        }
        Err(other) => Err(other.into()),
    }
}

pub struct CommentView {
    pub comment: DocumentComment,
    pub html: String,
    pub at: String,
}

#[derive(Template)]
#[template(path = "documents/show.html")]
struct ShowPage {
    page: PageContext,
    document: Document,
    owner_path: String,
    revision: Revision,
    /// Whether the page shows the newest revision.
    newest: bool,
    at: String,
    html: String,
    comments: Vec<CommentView>,
    comment: CommentRaw,
    errors: FieldErrors,
}

async fn show_page(
    state: &AppState,
    page: PageContext,
    doc: DocumentAt,
    revision: Revision,
    comment: CommentRaw,
    errors: FieldErrors,
) -> AppResult<Response> {
    let newest = revision.id == doc.document.current_revision_id;
    let comments = state
        .db
        .document_comments(&doc.document.id)
        .await?
        .into_iter()
        .filter(|c| newest || c.revision_id == revision.id)
        .map(|c| CommentView { html: markdown::render(&c.body), at: local_time(&c.created_at), comment: c })
        .collect();
    let comment = CommentRaw { revision_id: revision.id.clone(), ..comment };
    render_status(
        form_status(&errors),
        &ShowPage {
            page,
            owner_path: doc.owner_path(),
            at: local_time(&revision.created_at),
            html: markdown::render(&revision.body),
            document: doc.document,
            newest,
            revision,
            comments,
            comment,
            errors,
        },
    )
}

pub async fn show(State(state): State<AppState>, FormPage(page): FormPage, doc: DocumentAt) -> AppResult<Response> {
    let revision = current(&state, &doc.document).await?;
    show_page(&state, page, doc, revision, CommentRaw::default(), FieldErrors::default()).await
}

/// An old revision, read as it was, with its comments.
pub async fn revision(
    State(state): State<AppState>,
    FormPage(page): FormPage,
    doc: DocumentAt,
    Path(path): Path<RevisionPath>,
) -> AppResult<Response> {
    let revision = state.db.document_revision(&doc.document.id, &path.revision_id).await?.ok_or(AppError::NotFound)?;
    show_page(&state, page, doc, revision, CommentRaw::default(), FieldErrors::default()).await
}

pub async fn comment(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    doc: DocumentAt,
    axum::Form(form): axum::Form<CommentRaw>,
) -> AppResult<Response> {
    let revision = match state.db.document_revision(&doc.document.id, form.revision_id.trim()).await? {
        Some(revision) => revision,
        None => {
            let errors = FieldError::new("revision_id", "error-document-foreign-revision").into();
            let revision = current(&state, &doc.document).await?;
            return show_page(&state, page, doc, revision, form, errors).await;
        }
    };
    let input = match CommentInput::parse(&form) {
        Ok(input) => input,
        Err(errors) => return show_page(&state, page, doc, revision, form, errors).await,
    };
    let user = &doc.user;
    state.db.document_comment(&user.actor(), &doc.document, &user.identity.user.id, &input).await?;
    let back = if revision.id == doc.document.current_revision_id {
        format!("/documents/{}#comments", doc.document.id)
    } else {
        format!("/documents/{}/revisions/{}#comments", doc.document.id, revision.id)
    };
    set_flash_redirect(&session, page.t("document-flash-commented"), &back).await
}

pub struct RevisionRow {
    pub revision: Revision,
    pub at: String,
}

#[derive(Template)]
#[template(path = "documents/history.html")]
struct HistoryPage {
    page: PageContext,
    document: Document,
    owner_path: String,
    rows: Vec<RevisionRow>,
    pager: Pager,
    /// The revisions the diff form proposes: the one before the newest, and the newest.
    from: String,
    to: String,
    errors: FieldErrors,
}

async fn history_page(
    state: &AppState,
    page: PageContext,
    doc: DocumentAt,
    query_page: Option<u32>,
    errors: FieldErrors,
) -> AppResult<Response> {
    let request = PageRequest::new(query_page, Some(20));
    let result = state.db.document_revisions(&doc.document.id, request).await?;
    let path = format!("/documents/{}/history", doc.document.id);
    let pager = Pager::new(&path, &[], request, result.total);
    let rows: Vec<RevisionRow> = result
        .items
        .into_iter()
        .map(|revision| RevisionRow { at: local_time(&revision.created_at), revision })
        .collect();
    let to = doc.document.current_revision_id.clone();
    let from = rows.iter().map(|r| &r.revision.id).find(|id| **id != to).cloned().unwrap_or_else(|| to.clone());
    let status = if errors.for_field("base_revision").is_some() { StatusCode::CONFLICT } else { form_status(&errors) };
    render_status(
        status,
        &HistoryPage { page, owner_path: doc.owner_path(), document: doc.document, rows, pager, from, to, errors },
    )
}

pub async fn history(
    State(state): State<AppState>,
    FormPage(page): FormPage,
    doc: DocumentAt,
    Query(query): Query<PageQuery>,
) -> AppResult<Response> {
    history_page(&state, page, doc, query.page, FieldErrors::default()).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DiffQuery {
    pub from: String,
    pub to: String,
}

#[derive(Template)]
#[template(path = "documents/diff.html")]
struct DiffPage {
    page: PageContext,
    document: Document,
    from: Revision,
    to: Revision,
    from_at: String,
    to_at: String,
    hunks: Vec<DiffHunk>,
}

/// The two revisions of a diff, each of this document: a field error names the one that is not.
pub async fn diff_pair(state: &AppState, document: &Document, from: &str, to: &str) -> AppResult<(Revision, Revision)> {
    let from_revision = state.db.document_revision(&document.id, from).await?;
    let to_revision = state.db.document_revision(&document.id, to).await?;
    let mut errors = FieldErrors::default();
    if from_revision.is_none() {
        errors.push("from_revision", "error-document-foreign-revision");
    }
    if to_revision.is_none() {
        errors.push("to_revision", "error-document-foreign-revision");
    }
    match (from_revision, to_revision) {
        (Some(from), Some(to)) => Ok((from, to)),
        _ => Err(AppError::Invalid(errors)),
    }
}

pub async fn diff(
    State(state): State<AppState>,
    page: PageContext,
    doc: DocumentAt,
    Query(query): Query<DiffQuery>,
) -> AppResult<Response> {
    let (from, to) = diff_pair(&state, &doc.document, &query.from, &query.to).await?;
    let hunks = documents::diff(&from.body, &to.body);
    render(&DiffPage {
        page,
        document: doc.document,
        from_at: local_time(&from.created_at),
        to_at: local_time(&to.created_at),
        from,
        to,
        hunks,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RestoreForm {
    pub revision_id: String,
    pub base_revision: String,
}

pub async fn restore(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    doc: DocumentAt,
    axum::Form(form): axum::Form<RestoreForm>,
) -> AppResult<Response> {
    let user = &doc.user;
    let outcome = state
        .db
        .document_restore(&user.actor(), &doc.document, &form.revision_id, &form.base_revision, &user.identity.user.id)
        .await;
    match outcome {
        Ok(revision) => {
            let args =
                [("number", revision.number.to_string()), ("from", revision.restored_from.unwrap_or(0).to_string())];
            set_flash_redirect(
                &session,
                page.t_args("document-flash-restored", &args),
                &format!("/documents/{}", doc.document.id),
            )
            .await
        }
        Err(StoreError::Conflict { .. }) => {
            let errors = FieldError::new("base_revision", "error-document-stale-restore").into();
            history_page(&state, page, doc, None, errors).await
        }
        Err(StoreError::Invalid(errors)) => history_page(&state, page, doc, None, errors).await,
        Err(other) => Err(other.into()),
    }
}
