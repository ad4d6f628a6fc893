//! The accessibility statement and the privacy notice.

use super::render;
use crate::error::AppResult;
use crate::page::PageContext;
use askama::Template;
use axum::response::Response;

#[derive(Template)]
#[template(path = "info.html")]
struct InfoPage {
    page: PageContext,
    title: String,
    sections: Vec<(String, String)>,
}

fn info(page: PageContext, prefix: &str, sections: &[&str]) -> AppResult<Response> {
    let tr = page.translator();
    let title = tr.t(&format!("{prefix}-title"));
    let sections = sections
        .iter()
        .map(|section| (tr.t(&format!("{prefix}-{section}-heading")), tr.t(&format!("{prefix}-{section}-text"))))
        .collect();
    render(&InfoPage { page, title, sections })
}

pub async fn accessibility(page: PageContext) -> AppResult<Response> {
    info(page, "accessibility", &["status", "measures", "feedback", "enforcement"])
}

pub async fn privacy(page: PageContext) -> AppResult<Response> {
    info(page, "privacy", &["controller", "data", "purpose", "retention", "rights"])
}
