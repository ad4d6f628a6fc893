//! Import from the browser: upload, preview with every error by line, confirm. And export.

use super::organisations::require_registry_manager;
use super::{actor_of, render, render_status, set_flash_redirect};
use crate::AppState;
use crate::context::RequestContext;
use crate::error::{AppError, AppResult, field_message};
use crate::export::Format;
use crate::page::{FormPage, PageContext};
use askama::Template;
use axum::Extension;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use reti_store::registry::import::{Entity, ImportError, ImportResult};
use serde::Deserialize;
use tower_sessions::Session;

/// The largest file the import accepts.
pub const UPLOAD_LIMIT: usize = 64 * 1024 * 1024;

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
            message: field_message(&tr, &e.field, e.code),
            value: e.value.clone(),
        })
        .collect()
}

pub async fn form(
    Extension(context): Extension<RequestContext>,
    FormPage(page): FormPage,
    Query(query): Query<ImportQuery>,
) -> AppResult<Response> {
    require_registry_manager(&context)?;
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

/// Reads the upload, checks it whole without writing, and shows the outcome.
pub async fn preview(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    FormPage(page): FormPage,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let identity = require_registry_manager(&context)?;
    let mut entity = None;
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart.next_field().await.map_err(|_| AppError::PayloadTooLarge)? {
        match field.name() {
            Some("entity") => entity = Entity::parse(&field.text().await.map_err(|_| AppError::PayloadTooLarge)?),
            Some("file") => {
                let name = field.file_name().unwrap_or("").to_owned();
                let bytes = field.bytes().await.map_err(|_| AppError::PayloadTooLarge)?;
                file = Some((name, bytes.to_vec()));
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
    let Some((filename, bytes)) = file.filter(|(_, bytes)| !bytes.is_empty()) else {
        let problem = page.t("import-no-file");
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &empty_page(page, problem));
    };
    let result = match state.db.import_file(&actor_of(&context), entity, &bytes, true).await {
        Ok(result) => result,
        Err(ImportError::Table(_)) => {
            let problem = page.t("import-unreadable");
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
    Extension(context): Extension<RequestContext>,
    session: Session,
    FormPage(page): FormPage,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let identity = require_registry_manager(&context)?;
    let pending = state.db.pending_import(&id, &identity.user.id).await?.ok_or(AppError::NotFound)?;
    let result = match state.db.import_file(&actor_of(&context), pending.entity, &pending.content, false).await {
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
    state.db.delete_pending_import(&id).await?;
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
    Extension(context): Extension<RequestContext>,
    Path(file): Path<String>,
) -> AppResult<Response> {
    require_registry_manager(&context)?;
    let (entity, format) = file.rsplit_once('.').ok_or(AppError::NotFound)?;
    let entity = Entity::parse(entity).ok_or(AppError::NotFound)?;
    let format = Format::parse(format).ok_or(AppError::NotFound)?;
    let table = state.db.export_table(entity).await?;
    let bytes = crate::export::write(&table, format)?;
    let disposition = format!("attachment; filename=\"reti-{}.{}\"", entity.code(), format.extension());
    Ok(([(header::CONTENT_TYPE, format.content_type().to_owned()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response())
}
