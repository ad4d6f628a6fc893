//! The public board of experiences, `/bacheca` (SPEC §6, decision 0029): the published practices
//! for everyone, without login, searched in Italian, filtered, one stable page each with Open
//! Graph tags and the practices "like this".

use super::practices::{RenderedField, rendered_fields};
use super::{render, render_status};
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::page::PageContext;
use crate::pagination::Pager;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use reti_domain::practices::PracticeStatus;
use reti_domain::search::{self, QueryError};
use reti_store::PageRequest;
use reti_store::practice_images::PracticeImage;
use reti_store::practices::{BOARD_COUNT_CAP, BoardFacets, BoardFilter, BoardItem, Practice, PracticeMunicipality};
use serde::Deserialize;

/// The board's query string, shared by the page and the API.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub struct BoardQuery {
    pub q: String,
    pub action_line: String,
    pub theme: String,
    pub province: String,
    pub network: String,
    pub year: String,
    pub page: Option<u32>,
}

impl BoardQuery {
    /// The filter, or why the query cannot be searched. Filters that are not numbers where numbers
    /// are expected are ignored: they come from links, and filtering by nothing is harmless.
    pub fn filter(&self) -> Result<BoardFilter, QueryError> {
        let text = |s: &str| Some(s.trim()).filter(|s| !s.is_empty()).map(str::to_owned);
        Ok(BoardFilter {
            query: search::Query::parse(&self.q)?,
            action_line: self.action_line.trim().parse().ok(),
            theme: text(&self.theme),
            province_code: text(&self.province),
            network_id: text(&self.network),
            year: self.year.trim().parse().ok(),
        })
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("q", self.q.clone()),
            ("action_line", self.action_line.clone()),
            ("theme", self.theme.clone()),
            ("province", self.province.clone()),
            ("network", self.network.clone()),
            ("year", self.year.clone()),
        ]
    }
}

/// A listed practice with its highlighted snippet (escaped HTML with `<mark>`).
pub struct BoardRow {
    pub item: BoardItem,
    pub snippet: String,
}

pub fn rows(items: Vec<BoardItem>, filter: &BoardFilter) -> Vec<BoardRow> {
    items
        .into_iter()
        .map(|item| BoardRow { snippet: search::snippet(&item.text, filter.query.as_ref()), item })
        .collect()
}

pub const PER_PAGE: u32 = 20;

/// A counted total as shown: at most the cap, and whether there are more.
pub fn capped(total: i64) -> (i64, bool) {
    (total.min(BOARD_COUNT_CAP), total > BOARD_COUNT_CAP)
}

#[derive(Template)]
#[template(path = "board/list.html")]
struct ListPage {
    page: PageContext,
    query: BoardQuery,
    facets: BoardFacets,
    rows: Vec<BoardRow>,
    total: i64,
    /// More than `total` (the count stops at the cap).
    more: bool,
    pager: Pager,
    error: String,
}

pub async fn list(
    State(state): State<AppState>,
    page: PageContext,
    Query(query): Query<BoardQuery>,
) -> AppResult<Response> {
    let facets = state.db.board_facets(Some(query.network.as_str()).filter(|id| !id.is_empty())).await?;
    let request = PageRequest::new(query.page, Some(PER_PAGE));
    match query.filter() {
        Ok(filter) => {
            let result = state.db.board(&filter, request).await?;
            let (total, more) = capped(result.total);
            let pager = Pager::new("/bacheca", &query.pairs(), request, total);
            let rows = rows(result.items, &filter);
            render(&ListPage { page, query, facets, rows, total, more, pager, error: String::new() })
        }
        Err(error) => {
            let pager = Pager::new("/bacheca", &[], request, 0);
            let message = page.t(error.message_key());
            let mut query = query;
            if query.q.chars().count() > 300 {
                query.q = query.q.chars().take(300).collect();
            }
            render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ListPage { page, query, facets, rows: Vec::new(), total: 0, more: false, pager, error: message },
            )
        }
    }
}

#[derive(Template)]
#[template(path = "board/show.html")]
struct ShowPage {
    page: PageContext,
    practice: Practice,
    municipalities: Vec<PracticeMunicipality>,
    fields: Vec<RenderedField>,
    like_this: Vec<BoardItem>,
    url: String,
    description: String,
    images: Vec<PracticeImage>,
    public_url: String,
}

/// A published practice, at its stable address `/bacheca/{id}`.
pub async fn show(State(state): State<AppState>, page: PageContext, Path(id): Path<String>) -> AppResult<Response> {
    let practice =
        state.db.practice(&id).await?.filter(|p| p.status == PracticeStatus::Published).ok_or(AppError::NotFound)?;
    let municipalities = state.db.practice_municipalities(&id).await?;
    let like_this = state.db.board_like_this(&practice, 5).await?;
    let fields = rendered_fields(&page, &practice);
    let url = format!("{}/bacheca/{}", state.config.public_url, practice.id);
    // The description of a link preview: the problem's first words, as plain text (the template
    // escapes it).
    let description: String = search::snippet(&practice.texts.problem, None)
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    let images = state.db.practice_images(&id).await?;
    let public_url = state.config.public_url.clone();
    render(&ShowPage { page, practice, municipalities, fields, like_this, url, description, images, public_url })
}
