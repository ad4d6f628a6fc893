//! The board of experiences over JSON: the same search as `/bacheca`, public, without a token
//! (decision 0029).

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::pages::board::{BoardQuery, PER_PAGE, capped, rows};
use axum::Json;
use axum::extract::{Query, State};
use reti_domain::FieldError;
use reti_store::PageRequest;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
// Only documents the query string (the handler reads it as `BoardQuery`, shared with the page).
#[allow(dead_code)]
pub struct BoardParams {
    /// Words in Italian: inflections, accents and apostrophes do not matter ("citta" finds "città").
    pub q: Option<String>,
    /// The number of an action line.
    pub action_line: Option<i64>,
    pub theme: Option<String>,
    /// A province's code, e.g. `RM`.
    pub province: Option<String>,
    /// A network's id.
    pub network: Option<String>,
    pub year: Option<i64>,
    pub page: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct BoardPracticeDto {
    pub id: String,
    pub title: String,
    /// The practice's public page.
    pub url: String,
    /// A passage around the words found: HTML, escaped, the words in `<mark>`.
    pub snippet: String,
    pub network: Option<String>,
    pub year: Option<i64>,
    pub theme: String,
    pub action_line: Option<i64>,
    /// Its images, in the practice's order.
    pub images: Vec<BoardImageDto>,
}

#[derive(Serialize, ToSchema)]
pub struct BoardImageDto {
    /// The image file, public like the practice's page.
    pub url: String,
    /// The required text alternative.
    pub alt: String,
    pub caption: String,
    /// In pixels, as stored at upload.
    pub width: i64,
    pub height: i64,
    /// `image/png`, `image/jpeg` or `image/webp`.
    pub mime: String,
}

#[derive(Serialize, ToSchema)]
pub struct BoardResults {
    /// Best match first (newest first without `q`), at most 20 per page.
    pub items: Vec<BoardPracticeDto>,
    /// How many practices match, counted up to 1,000.
    pub total: i64,
    /// True when more than `total` practices match.
    pub more: bool,
}

/// Published practices, searched and filtered. Public: no token.
#[utoipa::path(get, path = "/api/v1/board/practices", tag = "board", params(BoardParams), security(()),
    responses((status = 200, body = BoardResults), (status = 422, body = super::ApiErrorBody)))]
pub async fn search_practices(
    State(state): State<AppState>,
    Query(query): Query<BoardQuery>,
) -> AppResult<Json<BoardResults>> {
    let filter = query.filter().map_err(|error| AppError::Invalid(FieldError::new("q", error.message_key()).into()))?;
    let result = state.db.board(&filter, PageRequest::new(query.page, Some(PER_PAGE))).await?;
    let base = &state.config.public_url;
    let (total, more) = capped(result.total);
    let ids: Vec<String> = result.items.iter().map(|item| item.id.clone()).collect();
    let mut images = state.db.practice_images_of(&ids).await?;
    let items = rows(result.items, &filter)
        .into_iter()
        .map(|row| BoardPracticeDto {
            images: images
                .remove(&row.item.id)
                .unwrap_or_default()
                .into_iter()
                .map(|image| BoardImageDto {
                    url: format!("{base}/practices/{}/images/{}", row.item.id, image.id),
                    alt: image.alt,
                    caption: image.caption,
                    width: image.width,
                    height: image.height,
                    mime: image.mime,
                })
                .collect(),
            url: format!("{base}/bacheca/{}", row.item.id),
            id: row.item.id,
            title: row.item.title,
            snippet: row.snippet,
            network: row.item.network_name,
            year: row.item.year,
            theme: row.item.theme,
            action_line: row.item.action_line,
        })
        .collect();
    Ok(Json(BoardResults { items, total, more }))
}
