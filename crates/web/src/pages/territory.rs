//! Searching ISTAT's municipalities by name (accents folded) or code.

use super::render;
use crate::AppState;
use crate::error::AppResult;
use crate::page::PageContext;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use reti_domain::territory::Municipality;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SearchQuery {
    q: String,
    region: String,
}

#[derive(Template)]
#[template(path = "municipalities.html")]
struct SearchPage {
    page: PageContext,
    q: String,
    region: String,
    results: Vec<Municipality>,
}

pub async fn search(
    State(state): State<AppState>,
    page: PageContext,
    Query(query): Query<SearchQuery>,
) -> AppResult<Response> {
    let results = if query.q.trim().is_empty() {
        Vec::new()
    } else {
        let region = Some(query.region.as_str()).filter(|r| !r.is_empty());
        state.db.search_municipalities(&query.q, region, 50).await?
    };
    render(&SearchPage { page, q: query.q, region: query.region, results })
}
