//! Shared documents (decisions 0034 and 0040): a network's or a lab's document, its revisions and
//! the comments on them. A save names the revision it was based on and commits only if that is
//! still the newest one (a conditional UPDATE inside the write transaction), so two people never
//! overwrite each other.

use crate::audit::Change;
use crate::sql::{Page, PageRequest};
use crate::{Actor, Db, Result, StoreError, Timestamp, Writer, new_id};
use reti_domain::documents::{CommentInput, DocumentInput, DocumentScope};
use reti_domain::{FieldError, FieldErrors};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub id: String,
    /// The owner: a network or a lab.
    pub scope: DocumentScope,
    /// The name of the owner (the network's name, the lab's title).
    pub owner_name: String,
    pub programme_id: String,
    pub title: String,
    pub current_revision_id: String,
    pub revisions: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// A document as listed, with who saved it last.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentSummary {
    pub id: String,
    pub title: String,
    pub revisions: i64,
    pub updated_at: String,
    pub last_author_name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Revision {
    pub id: String,
    pub document_id: String,
    pub number: i64,
    pub title: String,
    pub body: String,
    pub summary: String,
    pub author_user_id: String,
    pub author_name: String,
    pub restored_from: Option<i64>,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocumentComment {
    pub id: String,
    pub revision_id: String,
    pub revision_number: i64,
    pub author_name: String,
    pub quote: String,
    pub body: String,
    pub created_at: String,
}

/// The owner column and value of a scope (the one place that knows how a scope is stored).
fn owner(scope: &DocumentScope) -> (&'static str, &str) {
    match scope {
        DocumentScope::Network(id) => ("network_id", id),
        DocumentScope::Lab(id) => ("lab_id", id),
    }
}

const DOCUMENT: &str = "SELECT d.id, d.network_id, d.lab_id, COALESCE(n.name, l.title) AS owner_name,
    COALESCE(n.programme_id, l.programme_id) AS programme_id, d.title, d.current_revision_id, d.revisions,
    d.created_at, d.updated_at FROM documents d LEFT JOIN networks n ON n.id = d.network_id LEFT JOIN labs l ON l.id = d.lab_id";

fn document_from_row(row: &AnyRow) -> Result<Document> {
    Ok(Document {
        id: row.try_get("id")?,
        scope: match (row.try_get::<Option<String>, _>("network_id")?, row.try_get::<Option<String>, _>("lab_id")?) {
            (Some(id), None) => DocumentScope::Network(id),
            (None, Some(id)) => DocumentScope::Lab(id),
            _ => return Err(StoreError::Corrupt("a document without exactly one owner".into())),
        },
        owner_name: row.try_get("owner_name")?,
        programme_id: row.try_get("programme_id")?,
        title: row.try_get("title")?,
        current_revision_id: row.try_get("current_revision_id")?,
        revisions: row.try_get("revisions")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

const REVISION: &str = "SELECT r.id, r.document_id, r.number, r.title, r.body, r.summary, r.author_user_id,
    u.name AS author_name, r.restored_from, r.created_at FROM document_revisions r JOIN users u ON u.id = r.author_user_id";
/// The same without the body: what a list of revisions needs.
const REVISION_META: &str = "SELECT r.id, r.document_id, r.number, r.title, '' AS body, r.summary, r.author_user_id,
    u.name AS author_name, r.restored_from, r.created_at FROM document_revisions r JOIN users u ON u.id = r.author_user_id";

fn revision_from_row(row: &AnyRow) -> Result<Revision> {
    Ok(Revision {
        id: row.try_get("id")?,
        document_id: row.try_get("document_id")?,
        number: row.try_get("number")?,
        title: row.try_get("title")?,
        body: row.try_get("body")?,
        summary: row.try_get("summary")?,
        author_user_id: row.try_get("author_user_id")?,
        author_name: row.try_get("author_name")?,
        restored_from: row.try_get("restored_from")?,
        created_at: row.try_get("created_at")?,
    })
}

/// A new revision: what it says and who wrote it.
struct NewRevision<'a> {
    title: &'a str,
    body: &'a str,
    summary: &'a str,
    author_user_id: &'a str,
    restored_from: Option<i64>,
}

/// Writes revision `number` of `document_id` inside `w`; returns its id.
async fn insert_revision(w: &mut Writer<'_>, document_id: &str, number: i64, new: &NewRevision<'_>) -> Result<String> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO document_revisions (id, document_id, number, title, body, summary, author_user_id, restored_from, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(document_id)
    .bind(number)
    .bind(new.title)
    .bind(new.body)
    .bind(new.summary)
    .bind(new.author_user_id)
    .bind(new.restored_from)
    .bind(Timestamp::now().to_db())
    .execute(&mut *w.tx)
    .await?;
    Ok(id)
}

/// A stale save: the revision it was based on is no longer the newest.
fn stale() -> StoreError {
    StoreError::Conflict { field: "base_revision" }
}

impl Db {
    /// One page of the documents of `scope`, last changed first.
    pub async fn documents_of(&self, scope: &DocumentScope, request: PageRequest) -> Result<Page<DocumentSummary>> {
        let (column, value) = owner(scope);
        let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM documents WHERE {column} = $1"))
            .bind(value)
            .fetch_one(self.pool())
            .await?;
        let sql = format!(
            "SELECT d.id, d.title, d.revisions, d.updated_at, u.name AS last_author_name
             FROM documents d JOIN document_revisions r ON r.id = d.current_revision_id JOIN users u ON u.id = r.author_user_id
             WHERE d.{column} = $1 ORDER BY d.updated_at DESC, d.id{}",
            request.limit_offset()
        );
        let rows = sqlx::query(&sql).bind(value).fetch_all(self.pool()).await?;
        let items = rows
            .iter()
            .map(|row| {
                Ok(DocumentSummary {
                    id: row.try_get("id")?,
                    title: row.try_get("title")?,
                    revisions: row.try_get("revisions")?,
                    updated_at: row.try_get("updated_at")?,
                    last_author_name: row.try_get("last_author_name")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Page { items, page: request.page, per_page: request.per_page, total })
    }

    pub async fn document(&self, id: &str) -> Result<Option<Document>> {
        let row = sqlx::query(&format!("{DOCUMENT} WHERE d.id = $1")).bind(id).fetch_optional(self.pool()).await?;
        row.as_ref().map(document_from_row).transpose()
    }

    /// A revision of `document_id` (a revision of another document is not found).
    pub async fn document_revision(&self, document_id: &str, revision_id: &str) -> Result<Option<Revision>> {
        let row = sqlx::query(&format!("{REVISION} WHERE r.id = $1 AND r.document_id = $2"))
            .bind(revision_id)
            .bind(document_id)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(revision_from_row).transpose()
    }

    /// One page of a document's revisions, newest first, without their bodies.
    pub async fn document_revisions(&self, document_id: &str, request: PageRequest) -> Result<Page<Revision>> {
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM document_revisions WHERE document_id = $1")
            .bind(document_id)
            .fetch_one(self.pool())
            .await?;
        let sql = format!("{REVISION_META} WHERE r.document_id = $1 ORDER BY r.number DESC{}", request.limit_offset());
        let rows = sqlx::query(&sql).bind(document_id).fetch_all(self.pool()).await?;
        let items = rows.iter().map(revision_from_row).collect::<Result<Vec<_>>>()?;
        Ok(Page { items, page: request.page, per_page: request.per_page, total })
    }

    /// A document's comments, oldest first, with the number of the revision each is on.
    pub async fn document_comments(&self, document_id: &str) -> Result<Vec<DocumentComment>> {
        let rows = sqlx::query(
            "SELECT c.id, c.revision_id, r.number AS revision_number, u.name AS author_name, c.quote, c.body, c.created_at
             FROM document_comments c JOIN document_revisions r ON r.id = c.revision_id JOIN users u ON u.id = c.author_user_id
             WHERE c.document_id = $1 ORDER BY c.created_at, c.id",
        )
        .bind(document_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(DocumentComment {
                    id: row.try_get("id")?,
                    revision_id: row.try_get("revision_id")?,
                    revision_number: row.try_get("revision_number")?,
                    author_name: row.try_get("author_name")?,
                    quote: row.try_get("quote")?,
                    body: row.try_get("body")?,
                    created_at: row.try_get("created_at")?,
                })
            })
            .collect()
    }

    /// A new document of `scope` with its first revision.
    pub async fn document_create(
        &self,
        actor: &Actor,
        scope: &DocumentScope,
        author_user_id: &str,
        input: &DocumentInput,
    ) -> Result<Document> {
        let programme_id = match scope {
            DocumentScope::Network(network_id) => crate::diary::programme_of(self, network_id).await?,
            DocumentScope::Lab(lab_id) => self.lab(lab_id).await?.ok_or(StoreError::NotFound)?.programme_id,
        };
        let (column, owner_id) = owner(scope);
        let id = new_id();
        let now = Timestamp::now().to_db();
        self.write(actor, async |w| {
            // The revision's id is known before it is written: the row needs it, and the
            // revision needs the row.
            let sql = format!(
                "INSERT INTO documents (id, {column}, title, current_revision_id, revisions, created_at, updated_at)
                 VALUES ($1, $2, $3, '', 1, $4, $4)"
            );
            sqlx::query(&sql).bind(&id).bind(owner_id).bind(&input.title).bind(&now).execute(&mut *w.tx).await?;
            let new = NewRevision {
                title: &input.title,
                body: &input.body,
                summary: &input.summary,
                author_user_id,
                restored_from: None,
            };
            let revision_id = insert_revision(w, &id, 1, &new).await?;
            sqlx::query("UPDATE documents SET current_revision_id = $1 WHERE id = $2")
                .bind(&revision_id)
                .bind(&id)
                .execute(&mut *w.tx)
                .await?;
            w.audit(Change {
                action: "create",
                entity: "document",
                entity_id: Some(&id),
                programme_id: Some(&programme_id),
                before: None,
                after: Some(serde_json::json!({column: owner_id, "title": input.title, "revision": 1,
                    "revision_id": revision_id, "summary": input.summary, "body_chars": input.body.chars().count()})),
            })
            .await
        })
        .await?;
        self.document(&id).await?.ok_or(StoreError::NotFound)
    }

    /// Saves a new revision of `document` based on `base_revision_id`. Refused with a conflict
    /// on `base_revision`, nothing written, when that is no longer the newest revision.
    pub async fn document_save(
        &self,
        actor: &Actor,
        document: &Document,
        base_revision_id: &str,
        author_user_id: &str,
        input: &DocumentInput,
    ) -> Result<Revision> {
        let new = NewRevision {
            title: &input.title,
            body: &input.body,
            summary: &input.summary,
            author_user_id,
            restored_from: None,
        };
        self.document_add_revision(actor, document, base_revision_id, &new, "update").await
    }

    /// Restores `revision_id` of `document`: a new revision with its title and body, based on
    /// `base_revision_id` like any save. A revision of another document is a field error.
    pub async fn document_restore(
        &self,
        actor: &Actor,
        document: &Document,
        revision_id: &str,
        base_revision_id: &str,
        author_user_id: &str,
    ) -> Result<Revision> {
        let old = self.document_revision(&document.id, revision_id).await?.ok_or_else(|| {
            StoreError::Invalid(FieldErrors::from(FieldError::new("revision_id", "error-document-foreign-revision")))
        })?;
        let new = NewRevision {
            title: &old.title,
            body: &old.body,
            summary: &old.summary,
            author_user_id,
            restored_from: Some(old.number),
        };
        self.document_add_revision(actor, document, base_revision_id, &new, "restore").await
    }

    async fn document_add_revision(
        &self,
        actor: &Actor,
        document: &Document,
        base_revision_id: &str,
        new: &NewRevision<'_>,
        action: &str,
    ) -> Result<Revision> {
        let now = Timestamp::now().to_db();
        let revision_id = self
            .write(actor, async |w| {
                // The conditional UPDATE is the lock: of two saves on the same base, one changes
                // the row and the other finds nothing to change and rolls back.
                let updated = sqlx::query(
                    "UPDATE documents SET title = $1, revisions = revisions + 1, updated_at = $2
                     WHERE id = $3 AND current_revision_id = $4",
                )
                .bind(new.title)
                .bind(&now)
                .bind(&document.id)
                .bind(base_revision_id)
                .execute(&mut *w.tx)
                .await?;
                if updated.rows_affected() != 1 {
                    return Err(stale());
                }
                let number: i64 = sqlx::query_scalar("SELECT revisions FROM documents WHERE id = $1")
                    .bind(&document.id)
                    .fetch_one(&mut *w.tx)
                    .await?;
                let revision_id = insert_revision(w, &document.id, number, new).await?;
                sqlx::query("UPDATE documents SET current_revision_id = $1 WHERE id = $2")
                    .bind(&revision_id)
                    .bind(&document.id)
                    .execute(&mut *w.tx)
                    .await?;
                w.audit(Change {
                    action,
                    entity: "document",
                    entity_id: Some(&document.id),
                    programme_id: Some(&document.programme_id),
                    before: Some(serde_json::json!({"revision_id": base_revision_id, "title": document.title})),
                    after: Some(serde_json::json!({"revision": number, "revision_id": revision_id, "title": new.title,
                        "summary": new.summary, "restored_from": new.restored_from, "body_chars": new.body.chars().count()})),
                })
                .await?;
                Ok(revision_id)
            })
            .await?;
        self.document_revision(&document.id, &revision_id).await?.ok_or(StoreError::NotFound)
    }

    /// A comment on a revision of `document`; a revision of another document is a field error.
    pub async fn document_comment(
        &self,
        actor: &Actor,
        document: &Document,
        author_user_id: &str,
        input: &CommentInput,
    ) -> Result<String> {
        if self.document_revision(&document.id, &input.revision_id).await?.is_none() {
            return Err(FieldErrors::from(FieldError::new("revision_id", "error-document-foreign-revision")).into());
        }
        let id = new_id();
        self.write(actor, async |w| {
            sqlx::query(
                "INSERT INTO document_comments (id, document_id, revision_id, author_user_id, quote, body, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&id)
            .bind(&document.id)
            .bind(&input.revision_id)
            .bind(author_user_id)
            .bind(&input.quote)
            .bind(&input.body)
            .bind(Timestamp::now().to_db())
            .execute(&mut *w.tx)
            .await?;
            w.audit(Change {
                action: "comment",
                entity: "document",
                entity_id: Some(&document.id),
                programme_id: Some(&document.programme_id),
                before: None,
                after: Some(serde_json::json!({"comment_id": id, "revision_id": input.revision_id,
                    "quote": input.quote, "body": input.body})),
            })
            .await
        })
        .await?;
        Ok(id)
    }
}
