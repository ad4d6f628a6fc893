//! Import from the browser: upload, preview with every error by line, confirm. And export.

use super::{render, render_status, set_flash_redirect};
use crate::AppState;
use crate::error::{AppError, AppResult, field_message, table_message};
use crate::export::Format;
use crate::extract::Coordination;
use crate::page::{FormPage, PageContext};
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use reti_store::registry::import::{Entity, ImportError, ImportResult, PENDING_IMPORT_LIFETIME};
use serde::Deserialize;
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};
use tower_sessions::Session;

/// The largest file the import accepts: the bound of the reader itself.
pub const UPLOAD_LIMIT: usize = reti_domain::table::MAX_BYTES;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ImportQuery {
    entity: String,
}

pub struct ErrorView {
    pub line: usize,
    pub field: String,
    pub message: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    page: PageContext,
    entities: Vec<(&'static str, String)>,
    selected: String,
    result: Option<ImportResult>,
    errors: Vec<ErrorView>,
    pending_id: Option<String>,
    filename: String,
    problem: String,
}

impl ImportPage {
    /// Every problem found, those past the listed ones included.
    fn error_count(&self) -> i64 {
        self.result.as_ref().map_or(self.errors.len(), ImportResult::error_count) as i64
    }

    /// Problems found but not listed (a report lists a bounded number).
    fn more_errors(&self) -> i64 {
        self.result.as_ref().map_or(0, |result| result.more_errors) as i64
    }

    /// The preview's warnings (likely duplicates), translated.
    fn warnings(&self) -> Vec<ErrorView> {
        self.result.as_ref().map(|result| row_views(&self.page, &result.warnings)).unwrap_or_default()
    }
}

fn entity_options(page: &PageContext) -> Vec<(&'static str, String)> {
    Entity::ALL.iter().map(|e| (e.code(), page.t(&format!("entity-{}", e.code())))).collect()
}

fn error_views(page: &PageContext, result: &ImportResult) -> Vec<ErrorView> {
    row_views(page, &result.errors)
}

/// Problems (or warnings) by line, translated.
fn row_views(page: &PageContext, rows: &[reti_domain::import::RowError]) -> Vec<ErrorView> {
    let tr = page.translator();
    rows.iter()
        .map(|e| ErrorView {
            line: e.line,
            field: tr.t(&format!("field-{}", e.field.replace('_', "-"))),
            message: field_message(&tr, &e.field, e.code, &e.args),
            value: e.value.clone(),
        })
        .collect()
}

pub async fn form(_: Coordination, FormPage(page): FormPage, Query(query): Query<ImportQuery>) -> AppResult<Response> {
    let selected = Entity::parse(&query.entity).unwrap_or(Entity::Organisations).code().to_owned();
    render(&ImportPage {
        entities: entity_options(&page),
        page,
        selected,
        result: None,
        errors: Vec::new(),
        pending_id: None,
        filename: String::new(),
        problem: String::new(),
    })
}

/// What came of reading the upload into a temporary file.
enum Upload {
    Missing,
    TooLarge,
    Received(String, Vec<u8>),
}

/// Copies the file field to a temporary file chunk by chunk, stopping at [`UPLOAD_LIMIT`], so that
/// no more than the limit is ever held; the accepted file is then read back whole.
async fn receive(mut field: axum::extract::multipart::Field<'_>) -> AppResult<Upload> {
    let name = field.file_name().unwrap_or("").to_owned();
    let temp = tempfile::tempfile().map_err(|e| AppError::Internal(e.into()))?;
    let mut file = tokio::fs::File::from_std(temp);
    let mut size = 0usize;
    loop {
        match field.chunk().await {
            Ok(Some(chunk)) => {
                size += chunk.len();
                if size > UPLOAD_LIMIT {
                    return Ok(Upload::TooLarge);
                }
                file.write_all(&chunk).await.map_err(|e| AppError::Internal(e.into()))?;
            }
            Ok(None) => break,
            Err(error) if error.status() == StatusCode::PAYLOAD_TOO_LARGE => return Ok(Upload::TooLarge),
            Err(_) => return Ok(Upload::Missing),
        }
    }
    if size == 0 {
        return Ok(Upload::Missing);
    }
    let mut bytes = Vec::with_capacity(size);
    file.rewind().await.map_err(|e| AppError::Internal(e.into()))?;
    file.read_to_end(&mut bytes).await.map_err(|e| AppError::Internal(e.into()))?;
    Ok(Upload::Received(name, bytes))
}

/// Reads the upload, checks it whole without writing, and shows the outcome.
pub async fn preview(
    State(state): State<AppState>,
    identity: Coordination,
    FormPage(page): FormPage,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let mut entity = None;
    let mut upload = Upload::Missing;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) if error.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                upload = Upload::TooLarge;
                break;
            }
            Err(_) => break,
        };
        match field.name() {
            Some("entity") => entity = field.text().await.ok().as_deref().and_then(Entity::parse),
            Some("file") => {
                upload = receive(field).await?;
                if matches!(upload, Upload::TooLarge) {
                    break;
                }
            }
            _ => {}
        }
    }
    let entity = entity.unwrap_or(Entity::Organisations);
    let entities = entity_options(&page);
    let empty_page = |page: PageContext, problem: String| ImportPage {
        entities: entities.clone(),
        page,
        selected: entity.code().to_owned(),
        result: None,
        errors: Vec::new(),
        pending_id: None,
        filename: String::new(),
        problem,
    };
    let (filename, bytes) = match upload {
        Upload::Received(filename, bytes) => (filename, bytes),
        Upload::Missing => {
            let problem = page.t("import-no-file");
            return render_status(StatusCode::UNPROCESSABLE_ENTITY, &empty_page(page, problem));
        }
        Upload::TooLarge => {
            let limit = format!("{} MB", UPLOAD_LIMIT / (1024 * 1024));
            let problem = page.t_args("import-upload-too-large", &[("limit", limit)]);
            return render_status(StatusCode::PAYLOAD_TOO_LARGE, &empty_page(page, problem));
        }
    };
    let result = match state.db.import_file(&identity.actor(), entity, &bytes, true).await {
        Ok(result) => result,
        Err(ImportError::Table(error)) => {
            let problem = table_message(&page.translator(), &error);
            return render_status(StatusCode::UNPROCESSABLE_ENTITY, &empty_page(page, problem));
        }
        Err(ImportError::Store(error)) => return Err(error.into()),
    };
    let pending_id = if result.accepted() {
        Some(state.db.save_pending_import(&identity.user.id, entity, &filename, &bytes).await?)
    } else {
        None
    };
    let status = if result.accepted() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let errors = error_views(&page, &result);
    render_status(
        status,
        &ImportPage {
            entities,
            page,
            selected: entity.code().to_owned(),
            result: Some(result),
            errors,
            pending_id,
            filename,
            problem: String::new(),
        },
    )
}

/// Imports a previewed file for real.
pub async fn confirm(
    State(state): State<AppState>,
    identity: Coordination,
    session: Session,
    FormPage(page): FormPage,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let pending = state.db.pending_import(&id, &identity.user.id).await?.ok_or(AppError::NotFound)?;
    if pending.expired {
        let hours = PENDING_IMPORT_LIFETIME.whole_hours().to_string();
        let problem = page.t_args("import-expired", &[("hours", hours)]);
        return render_status(
            StatusCode::GONE,
            &ImportPage {
                entities: entity_options(&page),
                page,
                selected: pending.entity.code().to_owned(),
                result: None,
                errors: Vec::new(),
                pending_id: None,
                filename: pending.filename,
                problem,
            },
        );
    }
    let result = match state.db.confirm_pending_import(&identity.actor(), &id, &pending).await {
        Ok(result) => result,
        Err(ImportError::Table(_)) => return Err(AppError::NotFound),
        Err(ImportError::Store(error)) => return Err(error.into()),
    };
    if !result.accepted() {
        // The database changed since the preview: show what is wrong now.
        let errors = error_views(&page, &result);
        return render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ImportPage {
                entities: entity_options(&page),
                page,
                selected: pending.entity.code().to_owned(),
                result: Some(result),
                errors,
                pending_id: None,
                filename: pending.filename,
                problem: String::new(),
            },
        );
    }
    let message = page
        .t_args("flash-imported", &[("created", result.created.to_string()), ("updated", result.updated.to_string())]);
    let target = match pending.entity {
        Entity::Organisations => "/organisations",
        Entity::People => "/people",
        Entity::Networks | Entity::Memberships => "/networks",
        Entity::Districts => "/districts",
    };
    set_flash_redirect(&session, message, target).await
}

/// `/export/{entity}.{csv|xlsx|json}`
pub async fn export(
    State(state): State<AppState>,
    identity: Coordination,
    Path(file): Path<String>,
) -> AppResult<Response> {
    let (entity, format) = file.rsplit_once('.').ok_or(AppError::NotFound)?;
    let entity = Entity::parse(entity).ok_or(AppError::NotFound)?;
    let format = Format::parse(format).ok_or(AppError::NotFound)?;
    let table = state.db.export_table(entity, &identity.scope()).await?;
    let bytes = crate::export::write(&table, format)?;
    let disposition = format!("attachment; filename=\"reti-{}.{}\"", entity.code(), format.extension());
    Ok(([(header::CONTENT_TYPE, format.content_type().to_owned()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response())
}
