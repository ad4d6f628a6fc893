//! Editions of the e-book over JSON (issue 11, decision 0041): the coordination lists them, reads
//! one with its chapters and versions, and asks for a build, which runs on the job queue. The
//! built files are public at the `download_url` of each file.

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::extract::Coordination;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use reti_store::editions::{Edition, EditionVersion};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct EditionFileDto {
    /// `epub` (and `pdf` once the PDF writer is wired in).
    pub format: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    /// SHA-256 of the file, hex.
    pub sha256: String,
    /// Public, stable.
    pub download_url: String,
}

#[derive(Serialize, ToSchema)]
pub struct EditionVersionDto {
    pub number: i64,
    /// `queued`, `running`, `done` or `failed`.
    pub status: String,
    /// 0–100.
    pub progress: i64,
    /// Why a failed build failed.
    pub error: Option<String>,
    pub requested_by: String,
    /// UTC, RFC 3339.
    pub requested_at: String,
    pub built_at: Option<String>,
    pub files: Vec<EditionFileDto>,
}

#[derive(Serialize, ToSchema)]
pub struct EditionLineDto {
    pub id: String,
    pub title: String,
    pub subtitle: String,
    pub year: i64,
    /// The newest version, if any was asked for.
    pub latest_version: Option<EditionVersionDto>,
}

#[derive(Serialize, ToSchema)]
pub struct ChosenPracticeDto {
    pub practice_id: String,
    pub title: String,
    /// False for a practice taken off the board since: builds leave it out.
    pub published: bool,
}

#[derive(Serialize, ToSchema)]
pub struct EditionChapterDto {
    pub id: String,
    pub title: String,
    /// Markdown.
    pub introduction: String,
    /// In the order of the book.
    pub practices: Vec<ChosenPracticeDto>,
}

#[derive(Serialize, ToSchema)]
pub struct EditionDto {
    pub id: String,
    pub title: String,
    pub subtitle: String,
    pub year: i64,
    pub editors: Vec<String>,
    pub licence: String,
    /// Markdown.
    pub introduction: String,
    /// Markdown, in English (marked as English in the e-book); empty for none.
    pub english_summary: String,
    /// An uploaded cover; otherwise the e-book draws one.
    pub has_cover: bool,
    pub chapters: Vec<EditionChapterDto>,
    /// Newest first.
    pub versions: Vec<EditionVersionDto>,
}

fn version_dto(state: &AppState, version: EditionVersion) -> EditionVersionDto {
    let files = version
        .files
        .into_iter()
        .map(|f| EditionFileDto {
            download_url: format!(
                "{}/bacheca/ebook/{}/{}/{}",
                state.config.public_url, version.edition_id, version.number, f.file_name
            ),
            format: f.format,
            file_name: f.file_name,
            content_type: f.mime,
            size_bytes: f.size,
            sha256: f.sha256,
        })
        .collect();
    EditionVersionDto {
        number: version.number,
        status: version.status.code().to_owned(),
        progress: version.progress,
        error: version.error,
        requested_by: version.requested_by_label,
        requested_at: version.requested_at,
        built_at: version.built_at,
        files,
    }
}

async fn edition_of(state: &AppState, id: &str) -> AppResult<Edition> {
    state.db.edition(id).await?.ok_or(AppError::NotFound)
}

/// Every edition, newest first, with its newest version.
#[utoipa::path(get, path = "/api/v1/editions", tag = "ebook",
    responses((status = 200, body = Vec<EditionLineDto>), (status = 403, body = super::ApiErrorBody)))]
pub async fn list_editions(State(state): State<AppState>, _: Coordination) -> AppResult<Json<Vec<EditionLineDto>>> {
    let mut lines = Vec::new();
    for edition in state.db.editions().await? {
        let latest = state.db.edition_versions(&edition.id).await?.into_iter().next();
        lines.push(EditionLineDto {
            latest_version: latest.map(|v| version_dto(&state, v)),
            id: edition.id,
            title: edition.title,
            subtitle: edition.subtitle,
            year: edition.year,
        });
    }
    Ok(Json(lines))
}

/// One edition with its chapters and every version.
#[utoipa::path(get, path = "/api/v1/editions/{id}", tag = "ebook",
    responses((status = 200, body = EditionDto), (status = 403, body = super::ApiErrorBody), (status = 404, body = super::ApiErrorBody)))]
pub async fn get_edition(
    State(state): State<AppState>,
    _: Coordination,
    Path(id): Path<String>,
) -> AppResult<Json<EditionDto>> {
    let edition = edition_of(&state, &id).await?;
    let chapters = state
        .db
        .edition_chapters(&edition.id)
        .await?
        .into_iter()
        .map(|c| EditionChapterDto {
            id: c.id,
            title: c.title,
            introduction: c.introduction,
            practices: c
                .practices
                .into_iter()
                .map(|p| ChosenPracticeDto { practice_id: p.practice_id, title: p.title, published: p.published })
                .collect(),
        })
        .collect();
    let versions = state.db.edition_versions(&edition.id).await?.into_iter().map(|v| version_dto(&state, v)).collect();
    Ok(Json(EditionDto {
        id: edition.id,
        title: edition.title,
        subtitle: edition.subtitle,
        year: edition.year,
        editors: edition.editors,
        licence: edition.licence,
        introduction: edition.introduction,
        english_summary: edition.english_summary,
        has_cover: edition.has_cover,
        chapters,
        versions,
    }))
}

/// Queues a build: a new version, built by the job queue; follow it with `GET /api/v1/editions/{id}`.
/// 422 when no chapter has a published practice.
#[utoipa::path(post, path = "/api/v1/editions/{id}/builds", tag = "ebook",
    responses((status = 202, body = EditionVersionDto), (status = 403, body = super::ApiErrorBody),
        (status = 404, body = super::ApiErrorBody), (status = 422, body = super::ApiErrorBody)))]
pub async fn build_edition(
    State(state): State<AppState>,
    user: Coordination,
    Path(id): Path<String>,
) -> AppResult<(StatusCode, Json<EditionVersionDto>)> {
    let edition = edition_of(&state, &id).await?;
    let version = crate::pages::editions::request_build(&state, &user, &edition.id).await?;
    Ok((StatusCode::ACCEPTED, Json(version_dto(&state, version))))
}
