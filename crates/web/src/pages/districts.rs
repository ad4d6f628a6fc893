//! Social-planning districts (ambiti territoriali): the list, each with its municipalities and a
//! link to the networks that cover them.

use super::render;
use crate::AppState;
use crate::error::AppResult;
use crate::page::PageContext;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use reti_store::registry::districts::District;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    q: String,
}

#[derive(Template)]
#[template(path = "districts.html")]
struct ListPage {
    page: PageContext,
    q: String,
    districts: Vec<District>,
}

impl ListPage {
    fn municipality_names(district: &District) -> String {
        district.municipalities.iter().map(|m| m.name.as_str()).collect::<Vec<_>>().join(", ")
    }
}

pub async fn list(
    State(state): State<AppState>,
    page: PageContext,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    let districts = state.db.list_districts(&query.q).await?;
    render(&ListPage { page, q: query.q, districts })
}
